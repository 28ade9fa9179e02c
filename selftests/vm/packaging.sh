#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Packaging, on the host (nothing is loaded): what a lab admin's
# "make install" and "dkms install" would put on a host, into scratch
# trees. KTAP; run by "make check" as its "packaging" step.
#
#   make install DESTDIR=build/packaging/root PREFIX=/usr
#       the module for every kernel with headers, depmod'ed, in
#       lib/modules/KVER/updates; the tool in usr/sbin, its man page, its
#       bash completion, the UAPI header, nestsw@.service and its helper,
#       QEMU's tap scripts qemu-ifup and qemu-ifdown, libvirt's qemu hook
#       (etc/libvirt/hooks/qemu.d/nestsw, beside an admin's own
#       etc/libvirt/hooks/qemu, left as it was). The tree stays for
#       selftests/install.sh, which modprobes the module from it in the VM.
#   make install / make uninstall DESTDIR=... (PREFIX /usr/local)
#       the default prefix; uninstall leaves no file behind
#   make dkms-source, dkms add / build / install, per kernel with headers,
#       against /lib/modules/KVER/build, in a scratch DKMS tree, source
#       tree and install tree (--dkmstree, --sourcetree, --installtree;
#       signing key there too): nothing of the host's DKMS state is used
#       or changed
#
# Usage: selftests/vm/packaging.sh (as root: dkms wants it)

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=../lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib.sh"

ROOT=$NSW_TOP/build/packaging/root
KVERS=()

# make_in ARGS...: make in the top directory, quietly, for every kernel
# with headers (also under "make check KVERS=6.1", whose KVERS would
# reach this make through MAKEFLAGS)
make_in()
{
	make -s -C "$NSW_TOP" KVERS="${KVERS[*]}" "$@"
}

# installed_module ROOT KVER: ROOT has nestsw.ko for KVER in its updates
# directory, built for KVER, and depmod's index of ROOT lists it
installed_module()
{
	local ko=$1/lib/modules/$2/updates/nestsw.ko magic

	[[ -f $ko ]] || { echo "no $ko"; return 1; }
	magic=$(modinfo -F vermagic "$ko") || return
	[[ $magic == "$2 "* ]] || { echo "vermagic '$magic', want $2"; return 1; }
	grep -q '^updates/nestsw.ko:' "$1/lib/modules/$2/modules.dep" ||
		{ echo "modules.dep of $2 does not list updates/nestsw.ko"; return 1; }
}

# tool_runs BIN: the installed tool starts and prints its version
tool_runs()
{
	local out

	[[ -x $1 ]] || { echo "no executable $1"; return 1; }
	out=$("$1" -V) || return
	[[ $out == *"$(dkms_version)"* ]] || { echo "version: $out"; return 1; }
}

# dkms_version: PACKAGE_VERSION of dkms.conf
dkms_version()
{
	sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$NSW_TOP/dkms.conf"
}

# header_compiles INCLUDEDIR: a C file including <linux/nestsw.h> from
# there compiles
header_compiles()
{
	printf '#include <linux/nestsw.h>\nint x = NESTSW_VLAN_TRUNK;\n' |
		gcc -fsyntax-only -I "$1" -x c -
}

# completes FILE WANT WORDS...: bash with completion FILE, completing the
# command line WORDS (the last one being typed), offers WANT (in order)
completes()
{
	local file=$1 want=$2 got; shift 2

	got=$(bash --norc --noprofile -c '
		source "$1" || exit
		[[ $(complete -p nestsw) == "complete -F _nestsw nestsw" ]] || exit
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		_nestsw
		echo "${COMPREPLY[*]}"' bash "$file" "$@") || return
	[[ $got == "$want" ]] || { echo "offered '$got', want '$want'"; return 1; }
}

# no_files DIR: DIR holds directories only
no_files()
{
	local left

	left=$(find "$1" ! -type d)
	[[ -z $left ]] || { echo "left: $left"; return 1; }
}

# dkms_run ARGS...: dkms on the scratch trees of $DKMS
dkms_run()
{
	mok_signing_key=$DKMS/mok.key mok_certificate=$DKMS/mok.pub \
		dkms --dkmstree "$DKMS/var" --sourcetree "$DKMS/usr/src" \
		--installtree "$DKMS/modules" "$@"
}

# dkms_built KVER: dkms's build of the module for KVER, for KVER
dkms_built()
{
	local ko magic

	ko=$(find "$DKMS/var/nestsw/$VERSION/$1" -name 'nestsw.ko*' | head -n1)
	[[ -n $ko ]] || { echo "dkms built no nestsw.ko for $1"; return 1; }
	magic=$(modinfo -F vermagic "$ko") || return
	[[ $magic == "$1 "* ]] || { echo "vermagic '$magic', want $1"; return 1; }
}

# boot_unit ROOT PREFIX: ROOT has nestsw@.service, which starts the boot
# helper installed under PREFIX, and udev's 90-nestsw.rules, which runs
# its hotplug with the installed tool; the helper is executable
boot_unit()
{
	local unit rule helper=$2/lib/nestsw/nestsw-boot

	unit=$(find "$1" -name 'nestsw@.service' -print -quit)
	[[ -n $unit ]] || { echo "no nestsw@.service under $1"; return 1; }
	grep -qx "ExecStart=$helper up %i" "$unit" ||
		{ echo "$unit: $(grep ExecStart= "$unit")"; return 1; }
	rule=$(find "$1" -path '*/udev/rules.d/90-nestsw.rules' -print -quit)
	[[ -n $rule ]] || { echo "no udev/rules.d/90-nestsw.rules under $1"; return 1; }
	grep -qF "RUN+=\"/usr/bin/env NESTSW=$2/sbin/nestsw $helper hotplug \$name\"" "$rule" ||
		{ echo "$rule: $(grep RUN "$rule")"; return 1; }
	[[ -x $1$helper ]] || { echo "no executable $1$helper"; return 1; }
}

# qemu_scripts ROOT PREFIX: QEMU's tap scripts are installed under PREFIX,
# executable, and find what they source: run outside QEMU, qemu-ifup reads
# its parent's command line (this shell's), finds no tap and says so
qemu_scripts()
{
	local dir=$1$2/lib/nestsw f out

	for f in qemu-ifup qemu-ifdown; do
		[[ -x $dir/$f ]] || { echo "no executable $dir/$f"; return 1; }
	done
	[[ -f $dir/nestsw-tap.sh ]] || { echo "no $dir/nestsw-tap.sh"; return 1; }
	out=$("$dir/qemu-ifup" vm1 2>&1) && { echo "qemu-ifup vm1 succeeded: $out"; return 1; }
	[[ $out == "nestsw qemu-ifup: cannot tell which NIC is vm1"* ]] ||
		{ echo "qemu-ifup vm1: $out"; return 1; }
}

# libvirt_hook ROOT PREFIX: ROOT's etc/libvirt/hooks/qemu.d/nestsw is a
# link to the hook in PREFIX/lib/nestsw, executable, which runs the tool
# installed in PREFIX/sbin; the admin's etc/libvirt/hooks/qemu is as
# ADMIN_HOOK wrote it
ADMIN_HOOK=$'#!/bin/sh\n# the admin\'s own hook\nexit 0'
admin_hook()
{
	mkdir -p "$1/etc/libvirt/hooks" &&
	printf '%s\n' "$ADMIN_HOOK" >"$1/etc/libvirt/hooks/qemu" &&
	chmod 0755 "$1/etc/libvirt/hooks/qemu"
}

libvirt_hook()
{
	local link=$1/etc/libvirt/hooks/qemu.d/nestsw hook=$2/lib/nestsw/libvirt-qemu-hook

	[[ $(readlink "$link") == "$hook" ]] ||
		{ echo "$link: '$(readlink "$link")', want a link to $hook"; return 1; }
	[[ -x $1$hook ]] || { echo "no executable $1$hook"; return 1; }
	grep -qx "NSW_DEFAULT_TOOL=$2/sbin/nestsw" "$1$hook" ||
		{ echo "$1$hook: $(grep NSW_DEFAULT_TOOL= "$1$hook")"; return 1; }
	[[ -x $1$2/sbin/nestsw ]] || { echo "no $1$2/sbin/nestsw"; return 1; }
	[[ $(<"$1/etc/libvirt/hooks/qemu") == "$ADMIN_HOOK" ]] ||
		{ echo "etc/libvirt/hooks/qemu changed: $(<"$1/etc/libvirt/hooks/qemu")"; return 1; }
}

# local_install_uninstall: make install into $LOCAL with the default
# PREFIX puts the tool, header and completion under usr/local; make
# uninstall then leaves no file
local_install()
{
	make_in install DESTDIR="$LOCAL" || return
	[[ -x $LOCAL/usr/local/sbin/nestsw &&
	   -f $LOCAL/usr/local/include/linux/nestsw.h &&
	   -f $LOCAL/usr/local/share/bash-completion/completions/nestsw ]]
}

local_uninstall()
{
	make_in uninstall DESTDIR="$LOCAL" && no_files "$LOCAL"
}

dkms_add()
{
	local k

	mkdir -p "$DKMS/var" || return
	# the install tree has a directory per kernel, as /lib/modules has
	for k in "${KVERS[@]}"; do
		mkdir -p "$DKMS/modules/$k" || return
	done
	make_in dkms-source DESTDIR="$DKMS" && dkms_run add -m nestsw -v "$VERSION"
}

dkms_build()
{
	dkms_run build -m nestsw -v "$VERSION" -k "$1" && dkms_built "$1"
}

dkms_install()
{
	dkms_run install --no-depmod -m nestsw -v "$VERSION" -k "$1" &&
		[[ -f $DKMS/modules/$1/updates/dkms/nestsw.ko ]]
}

dkms_status()
{
	dkms_run status nestsw | grep -q "^nestsw/$VERSION, $1, .*: installed"
}

dkms_remove()
{
	dkms_run remove --no-depmod -m nestsw -v "$VERSION" --all &&
		[[ ! -e $DKMS/var/nestsw ]]
}

ktap_header
nsw_require make dkms depmod modinfo gcc
for d in /lib/modules/*/build; do
	[[ -d $d ]] && { d=${d%/build}; KVERS+=("${d##*/}"); }
done
((${#KVERS[@]})) || ktap_skip_all "no kernel headers in /lib/modules"
VERSION=$(dkms_version)
ktap_plan $((15 + 2 * ${#KVERS[@]}))

rm -rf "$ROOT"
admin_hook "$ROOT" || ktap_bail "cannot write $ROOT/etc/libvirt/hooks/qemu"
check "make install DESTDIR=build/packaging/root PREFIX=/usr" \
	make_in install DESTDIR="$ROOT" PREFIX=/usr
for k in "${KVERS[@]}"; do
	check "lib/modules/$k/updates/nestsw.ko, built for $k, in depmod's index" \
		installed_module "$ROOT" "$k"
done
check "usr/sbin/nestsw runs and prints version $VERSION" tool_runs "$ROOT/usr/sbin/nestsw"
check "usr/share/man/man8/nestsw.8 is a man page" \
	grep -q '^\.TH NESTSW 8' "$ROOT/usr/share/man/man8/nestsw.8"
check "usr/include/linux/nestsw.h: a program including <linux/nestsw.h> compiles" \
	header_compiles "$ROOT/usr/include"
check "nestsw@.service starts usr/lib/nestsw/nestsw-boot, installed; udev's rule runs its hotplug" \
	boot_unit "$ROOT" /usr
check "usr/lib/nestsw/qemu-ifup and qemu-ifdown, QEMU's tap scripts, installed and runnable" \
	qemu_scripts "$ROOT" /usr
check "etc/libvirt/hooks/qemu.d/nestsw: libvirt's qemu hook in usr/lib/nestsw, using usr/sbin/nestsw; the admin's hooks/qemu untouched" \
	libvirt_hook "$ROOT" /usr
check "usr/share/bash-completion/completions/nestsw completes 'nestsw pg set dev sw0 learning ' with off on inherit" \
	completes "$ROOT/usr/share/bash-completion/completions/nestsw" "off on inherit" \
	nestsw pg set dev sw0 learning ""
# completes_conf FILE: the configuration commands complete
completes_conf()
{
	completes "$1" --dry-run nestsw syncconf "" &&
		completes "$1" "show showconf" nestsw sh
}
check "...and 'nestsw syncconf ' with --dry-run (no switch on this host), 'nestsw sh' with show showconf" \
	completes_conf "$ROOT/usr/share/bash-completion/completions/nestsw"

LOCAL=$NSW_TMP/local
check "make install DESTDIR=... (default PREFIX): the tool, header and completion under usr/local" \
	local_install
check "make uninstall DESTDIR=... leaves no file behind" local_uninstall

DKMS=$NSW_TMP/dkms
check "make dkms-source DESTDIR=...: dkms add nestsw/$VERSION from usr/src/nestsw-$VERSION" \
	dkms_add
for k in "${KVERS[@]}"; do
	check "dkms build nestsw/$VERSION -k $k, against /lib/modules/$k/build" \
		dkms_build "$k"
done
k=${KVERS[0]}
check "dkms install -k $k --no-depmod puts it in the install tree, $k/updates/dkms" \
	dkms_install "$k"
check "dkms status lists nestsw/$VERSION installed for $k" dkms_status "$k"
check "dkms remove --all: nothing of nestsw left in the DKMS tree" dkms_remove
ktap_finished

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What "make install" installed works: the tree selftests/vm/packaging.sh
# made with "make install DESTDIR=build/packaging/root PREFIX=/usr" (make
# check's packaging step, before the VM passes) is the root of a lab host
# here. modprobe finds the module there through depmod's index and loads
# it; the installed tool drives it; the installed bash completion offers
# the switches, ports and port groups of a namespace; modprobe -r unloads.
#
#   netns lab: sw0 (nestsw), port p1 (a veth), port groups default, vesx1
#
# Skipped where that tree has no module for this kernel (the debug
# kernel: make install builds for the kernels with headers in
# /lib/modules).

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

ROOT=$NSW_TOP/build/packaging/root
KO=$ROOT/lib/modules/$(uname -r)/updates/nestsw.ko
COMPLETION=$ROOT/usr/share/bash-completion/completions/nestsw

# completes WANT WORDS...: the installed completion, with the installed
# tool first in PATH, offers WANT (sorted) for the command line WORDS
completes()
{
	local want=$1 got; shift

	got=$(PATH=$ROOT/usr/sbin:$PATH bash --norc --noprofile -c '
		source "$1" || exit
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		_nestsw
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
		bash "$COMPLETION" "$@") || return
	got=${got% }
	[[ $got == "$want" ]] || { echo "offered '$got', want '$want'"; return 1; }
}

# resolves_to_installed: modprobe -d ROOT finds nestsw at the installed
# file, through depmod's index there
resolves_to_installed()
{
	local out

	out=$(modprobe -d "$ROOT" --show-depends nestsw) || return
	[[ $out == "insmod $KO "* || $out == "insmod $KO" ]] ||
		{ echo "modprobe --show-depends: $out"; return 1; }
}

modprobe_installed()
{
	modprobe -d "$ROOT" nestsw && nsw_loaded
}

ktap_header
nsw_require ip modprobe depmod
[[ -f $KO ]] || ktap_skip_all "no $KO (selftests/vm/packaging.sh makes it)"
ktap_plan 9
nsw_kmsg_mark
nsw_unload 30000 || ktap_bail "cannot unload nestsw"

check "modprobe -d build/packaging/root finds nestsw at lib/modules/$(uname -r)/updates/nestsw.ko" \
	resolves_to_installed
check "modprobe -d build/packaging/root nestsw loads it" \
	modprobe_installed

declare lab
setup_ns lab || ktap_bail "cannot create a namespace"
if ! nsw_switch_add "$lab" sw0 ||
   ! nsw_ip "$lab" "link add p1 type veth peer name p1g" "link set p1 master sw0"; then
	ktap_bail "cannot add sw0 and its port"
fi
check "the installed tool adds port group vesx1 to sw0" \
	in_ns "$lab" "$ROOT/usr/sbin/nestsw" pg add dev sw0 name vesx1 learning on
check "the completion offers the switch after 'nestsw -n NS pg show dev'" \
	completes sw0 nestsw -n "$lab" pg show dev ""
check "its port groups after 'nestsw -n NS pg set dev sw0 name'" \
	completes "default vesx1" nestsw -n "$lab" pg set dev sw0 name ""
check "its port after 'nestsw -n NS port set dev'" \
	completes p1 nestsw -n "$lab" port set dev ""
check "the port groups of the port's switch after 'nestsw -n NS port set dev p1 pg'" \
	completes "default vesx1" nestsw -n "$lab" port set dev p1 pg ""

nsw_ip "$lab" "link del sw0"
check "modprobe -r -d build/packaging/root nestsw unloads it" \
	modprobe -r -d "$ROOT" nestsw
check_kmsg
ktap_finished

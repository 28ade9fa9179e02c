#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A distributed switch: one file of port groups for the switches of four
# hosts, each host's ports in a drop-in of its own (sw0.conf.d/*.conf),
# with device names that differ from host to host. Each host's sw0.conf
# is the shared file (a link to it here; a copy on real hosts). Every
# host's switch gets the shared [Switch] and port groups and its own
# ports; a port of the shared file that only h4 has is left out elsewhere,
# with a message and no error. A drop-in that describes again a port
# group or a port described elsewhere is refused, naming both places, and
# changes nothing. --dry-run of a drop-in change names the drop-in's lines.
# On h3, nestsw-boot brings sw0 up and hotplug attaches tap3, which only
# h3's drop-in lists, when it appears.
#
#          shared.conf: [Switch] ageing 600; PGs trunk, vesx, mgmt;
#                       [Port] wan4 (uplink, only h4 has it)
#        h1/sw0.conf -> ../shared.conf, h1/sw0.conf.d/10-ports.conf ...
#
#   netns h1          h2          h3                  h4
#   +---------+ +---------+ +-----------------+ +-----------------+
#   | sw0     | | sw0     | | sw0 (nestsw-    | | sw0             |
#   |  upl1   | |  upl2   | |  boot up)       | |  upl4  wan4     |
#   |  vm1    | |  vm2    | |  upl3 vm3       | |  vm4            |
#   +---------+ +---------+ |  tap3 (hotplug) | +-----------------+
#                           +-----------------+
#   uplN, wan4: uplinks in PG trunk; vmN: PG vesx, MACs 02:00:00:00:0N:01
#   (dummy devices); tap3: PG mgmt (VLAN 10), MAC 02:00:00:00:03:03

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

BOOT=$NSW_TOP/tools/nestsw/nestsw-boot
SHARED=$NSW_TMP/shared.conf
HOSTS="1 2 3 4"
TAP3_MAC=02:00:00:00:03:03

ktap_header
nsw_require ip
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 18
nsw_kmsg_mark
# shellcheck disable=SC2034 # h1 and h4 are read through ns()
declare h1 h2 h3 h4
setup_ns h1 h2 h3 h4 || ktap_bail "cannot create namespaces"
[[ -c /dev/net/tun ]] || modprobe tun 2>/dev/null

# ns N: host N's namespace
ns()
{
	local v=h$1

	echo "${!v}"
}

# conf N, dropins N: host N's sw0.conf and its drop-in directory
conf()
{
	echo "$NSW_TMP/h$1/sw0.conf"
}

dropins()
{
	echo "$NSW_TMP/h$1/sw0.conf.d"
}

# mac N: vmN's MAC
mac()
{
	printf '02:00:00:00:%02x:01\n' "$1"
}

# line_of FILE LINE: the number of the line LINE of FILE
line_of()
{
	grep -nxF -- "$2" "$1" | head -n1 | cut -d: -f1
}

write_shared()
{
	cat >"$SHARED" <<-'EOF'
	# sw0 of every host: the same port groups everywhere
	[Switch]
	ageing = 600

	[PortGroup]
	name = trunk
	vlan = trunk

	[PortGroup]
	name = vesx
	vlan = trunk
	forged-transmits = accept
	learning = on

	[PortGroup]
	name = mgmt
	vlan = 10

	# the WAN uplink, which only h4 has
	[Port]
	dev = wan4
	pg = trunk
	role = uplink
	EOF
}

# write_host N: hN's sw0.conf (the shared file) and its drop-in
write_host()
{
	local n=$1 dir

	dir=$(dropins "$n")
	mkdir -p "$dir" && ln -sfn ../shared.conf "$(conf "$n")" || return
	cat >"$dir/10-ports.conf" <<-EOF
	# the ports of h$n
	[Port]
	dev = upl$n
	pg = trunk
	role = uplink

	[Port]
	dev = vm$n
	pg = vesx
	initial-mac = $(mac "$n")
	effective-mac = $(mac "$n")
	EOF
	[[ $n == 3 ]] || return 0
	cat >>"$dir/10-ports.conf" <<-EOF

	# the nested ESXi's vNIC: QEMU -netdev tap,ifname=tap3,script=no
	[Port]
	dev = tap3
	pg = mgmt
	initial-mac = $TAP3_MAC
	effective-mac = $TAP3_MAC
	EOF
}

# devices N: hN's devices (no switch)
devices()
{
	local n=$1 lines

	lines=("link add upl$n type dummy" "link add vm$n type dummy")

	[[ $n != 4 ]] || lines+=("link add wan4 type dummy")
	nsw_ip "$(ns "$n")" "${lines[@]}"
}

setup()
{
	local n

	write_shared || return
	for n in $HOSTS; do
		write_host "$n" && devices "$n" || return
	done
}
setup || ktap_bail "cannot build the hosts"

# nsw N ARGS...: the tool in hN; its stderr in $NSW_TMP/err (the
# namespace's shell gives back both streams as one)
nsw()
{
	local n=$1 cmd; shift

	printf -v cmd '%q ' "$NSW_TOOL" "$@"
	in_ns_sh "$(ns "$n")" "$cmd 2>$(printf %q "$NSW_TMP/err")"
}

# said TEXT...: the last stderr is these lines, exactly
said()
{
	local want

	want=$(printf '%s\n' "$@")
	cat "$NSW_TMP/err"
	[[ $(<"$NSW_TMP/err") == "$want" ]] ||
		{ printf 'want:\n%s\n' "$want"; return 1; }
}

# wan4_absent N: the message for the shared file's wan4, on a host without it
wan4_absent()
{
	echo "$(conf "$1"):$(line_of "$SHARED" "dev = wan4"): wan4 does not exist (yet): its [Port] applies when it appears."
}

# setconf_host N: sw0 made in hN and set from hN's sw0.conf and drop-ins
setconf_host()
{
	local n=$1 want=()

	nsw_switch_add "$(ns "$n")" sw0 && nsw "$n" setconf sw0 "$(conf "$n")" || return
	[[ $n == 4 ]] || want=("$(wan4_absent "$n")")
	said "${want[@]}"
}

# boot N ARGS...: nestsw-boot in hN with /etc/nestsw there $NSW_TMP/hN,
# as udev and systemd run it; its stderr in $NSW_TMP/err
boot()
{
	local n=$1 env=; shift

	[[ $1 != hotplug ]] || env="ACTION=add SEQNUM=$((++SEQ))"
	in_ns_sh "$(ns "$n")" "$env NESTSW=$(printf %q "$NSW_TOOL") \
		NESTSW_CONF_DIR=$(printf %q "$NSW_TMP/h$n") \
		NESTSW_RUN_DIR=$(printf %q "$NSW_TMP/run$n") \
		$(printf %q "$BOOT") $* 2>$(printf %q "$NSW_TMP/err")"
}
SEQ=0

# boot_h3: nestsw-boot up sw0 on h3 leaves tap3 and wan4 out, and says
# where each is listed
boot_h3()
{
	local ports

	ports=$(dropins 3)/10-ports.conf
	boot 3 up sw0 &&
	said "$(wan4_absent 3)" \
	     "$ports:$(line_of "$ports" "dev = tap3"): tap3 does not exist (yet): its [Port] applies when it appears."
}

for n in 1 2 4; do
	check "h$n: setconf sw0 of the shared file and h$n's drop-in$(
		[[ $n == 4 ]] || echo ", leaving out wan4, which h$n lacks, with a message")" \
		setconf_host "$n"
done
check "h3: nestsw-boot up sw0 applies them, leaving out tap3 (not there yet) and wan4, naming the file and line of each" \
	boot_h3

# shared_part N: hN's showconf up to its first [Port], in $NSW_TMP/sharedN
shared_part()
{
	nsw_showconf_to "$(ns "$1")" sw0 "$NSW_TMP/show$1" &&
	sed '/^\[Port\]$/,$d' "$NSW_TMP/show$1" >"$NSW_TMP/shared$1"
}

# alike: every host's switch has the same [Switch] and port groups
alike()
{
	local n

	for n in $HOSTS; do
		shared_part "$n" || return
		diff -u "$NSW_TMP/shared1" "$NSW_TMP/shared$n" || return
	done
	nsw_conf_has "$NSW_TMP/shared1" "ageing = 600" "name = trunk" \
		"name = vesx" "learning = on" "name = mgmt" "vlan = 10"
}
check "the four switches' showconf give the same default policy and port groups" alike

# own_ports N PORT...: hN's sw0 has these ports, vmN in vesx with its MACs
own_ports()
{
	local n=$1; shift

	nsw_ports_are "$(ns "$n")" sw0 "$@" &&
	nsw_conf_has "$NSW_TMP/show$n" "dev = upl$n" "role = uplink" \
		"dev = vm$n" "pg = vesx" "initial-mac = $(mac "$n")"
}
for n in 1 2 3; do
	check "h$n's ports are those of its drop-in: upl$n, vm$n" own_ports "$n" "upl$n" "vm$n"
done
check "h4's are upl4, vm4 and the shared file's wan4" own_ports 4 upl4 vm4 wan4

# --- a drop-in may not describe again what another piece describes --------

# dup_refused N CMD: CMD of hN's configuration with a drop-in 50-dup.conf
# that has a new port group, the shared vesx and hN's vmN again: refused,
# naming both places of each duplicate
dup_refused()
{
	local n=$1 cmd=$2 dir dup ports

	dir=$(dropins "$n")
	dup=$dir/50-dup.conf
	ports=$dir/10-ports.conf
	printf '%s\n' "[PortGroup]" "name = extra" "" "[PortGroup]" \
		"name = vesx" "learning = off" "" "[Port]" "dev = vm$n" \
		"pg = extra" >"$dup"
	nsw "$n" "$cmd" sw0 "$(conf "$n")" && return 1
	said "$dup:4: Duplicate port group \"vesx\" (first at $(conf "$n"):$(($(line_of "$SHARED" "name = vesx") - 1)))." \
	     "$dup:8: Duplicate port vm$n (first at $ports:$(($(line_of "$ports" "dev = vm$n") - 1)))."
}

# unchanged N: hN's showconf is as it was before (shared_part saved it)
unchanged()
{
	nsw_showconf_to "$(ns "$1")" sw0 "$NSW_TMP/now$1" &&
	diff -u "$NSW_TMP/show$1" "$NSW_TMP/now$1"
}

check "h1: a drop-in with port group vesx and port vm1 again: syncconf refuses it, naming both places of each" \
	dup_refused 1 syncconf
check "...and setconf too" dup_refused 1 setconf
check "...and h1's switch is as it was: no port group extra, vm1 still in vesx" unchanged 1
rm -f "$(dropins 1)/50-dup.conf"

# --- --dry-run of a change in drop-ins ---------------------------------------

# dry_run_h2: vm2 moves to mgmt in 10-ports.conf, vm2b comes in a new
# 20-more.conf; syncconf --dry-run names the drop-ins' lines
dry_run_h2()
{
	local dir ports more got want

	dir=$(dropins 2)
	ports=$dir/10-ports.conf
	more=$dir/20-more.conf
	nsw_ip "$h2" "link add vm2b type dummy" &&
	sed -i 's/^pg = vesx$/pg = mgmt/' "$ports" &&
	printf '%s\n' "[Port]" "dev = vm2b" "pg = mgmt" >"$more" || return
	got=$(nsw 2 syncconf --dry-run sw0 "$(conf 2)") || return
	want="$more:2: enslave port vm2b
$ports:$(($(line_of "$ports" "dev = vm2") - 1)): set port vm2 pg mgmt
$more:1: set port vm2b pg mgmt"
	echo "$got"
	[[ $got == "$want" ]] || { printf 'want:\n%s\n' "$want"; return 1; }
}
check "h2: syncconf --dry-run of a change in two drop-ins prints each change after its drop-in's FILE:LINE" \
	dry_run_h2
check "...and changes nothing" unchanged 2
check "syncconf then makes them" eval "nsw 2 syncconf sw0 $(conf 2) &&
	nsw_ports_are $h2 sw0 upl2 vm2 vm2b &&
	nsw 2 port show dev vm2 | grep -q ' pg mgmt '"

# --- hotplug of a device only a drop-in lists -------------------------------

# tap3_joined: tap3 is h3's port, up, in mgmt with its MACs
tap3_joined()
{
	local out flags

	flags=$(<"$(ns_root "$h3")/sys/class/net/tap3/flags") || return
	((flags & 1)) || { echo "tap3 is down"; return 1; }
	out=$(nsw 3 port show dev tap3) || return
	echo "$out"
	[[ $out == *" pg mgmt "* && $out == *"initial-mac $TAP3_MAC "* ]] &&
		nsw_ports_are "$h3" sw0 upl3 vm3 tap3
}

nsw_ip "$h3" "tuntap add mode tap name tap3" || ktap_bail "cannot make tap3"
check "h3: tap3 appears; nestsw-boot hotplug tap3, as udev runs it, exits 0" \
	boot 3 hotplug tap3
check "...and tap3, which only h3's drop-in lists, joins sw0 in mgmt with its MAC, up" \
	tap3_joined

check_kmsg
ktap_finished

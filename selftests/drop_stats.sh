#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Drops are visible to the standard tools: `ethtool -S sw0` has the
# switch's totals per reason, which equal the ports' counters of
# `nestsw -j -s port show` and outlive a port's release.
#
#   netns g: eth0 (mg): forged, tagged, unknown unicast frames
#        |
#   +---vg (default PG: forged-transmits reject, untagged)--+
#   |  sw0 (nestsw), netns sw                               |
#   +---vh (default PG)-------------------------------------+
#        |
#   netns h: eth0 (mh)

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=3				# frames per case
F=02:00:00:00:0c:01		# a forged source
U=02:00:00:00:0c:02		# an unknown destination

ktap_header
nsw_require ip ethtool
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 7
nsw_kmsg_mark
declare sw g h
setup_ns sw g h || ktap_bail "cannot create namespaces"

declare mg mh
setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_veth_port "$sw" sw0 vg "$g" &&
	nsw_veth_port "$sw" sw0 vh "$h" &&
	mg=$(nsw_mac "$g" eth0) && mh=$(nsw_mac "$h" eth0)
}
setup || ktap_bail "cannot build the topology"

# g sends N forged frames, N tagged VLAN 10 on its untagged port, N to a
# MAC nobody has
raw_frames "$g" eth0 "$mh" "$F" 0800 46 "$N"
raw_frames "$g" eth0 "$mh" "$mg" 8100000a0800 42 "$N"
raw_frames "$g" eth0 "$U" "$mg" 0800 46 "$N"
check_nsw_drops "vg counts them: forged, vlan, no-destination, $N each" \
	"$sw" vg forged "$N" vg vlan "$N" vg no-destination "$N"

# ethtool_stat NAME: a counter of `ethtool -S sw0`
ethtool_stat()
{
	in_ns "$sw" ethtool -S sw0 | awk -v k="$1:" '$1 == k { print $2 }'
}
# totals_agree: ethtool -S sw0 equals the sum of the ports' counters
totals_agree()
{
	local r want got wrong=0

	nsw_drops "$sw" || return
	for r in vlan forged mac-change no-destination invalid-source mtu \
		 limit static-conflict reflection; do
		want=$(( ${NSW_DROPS[vg|$r]:-0} + ${NSW_DROPS[vh|$r]:-0} ))
		got=$(ethtool_stat "drop_${r//-/_}")
		echo "drop_${r//-/_}: $got (ports: $want)"
		[[ $got == "$want" ]] || wrong=1
	done
	((!wrong))
}
# stats_are NAME WANT...: ethtool -S sw0 shows each NAME with its WANT
stats_are()
{
	local got wrong=0

	while (($# >= 2)); do
		got=$(ethtool_stat "$1")
		echo "$1: ${got:-none} (want $2)"
		[[ $got == "$2" ]] || wrong=1
		shift 2
	done
	((!wrong))
}
check "ethtool -S sw0: drop_forged $N, drop_vlan $N, drop_no_destination $N" \
	stats_are drop_forged "$N" drop_vlan "$N" drop_no_destination "$N"
check "ethtool -S sw0 equals the ports' counters, reason by reason" \
	totals_agree
check "vg is released (ip link del vg)" nsw_ip "$sw" "link del vg"
check "ethtool -S sw0 still counts vg's drops" \
	stats_are drop_forged "$N" drop_vlan "$N" drop_no_destination "$N"
driver_named()
{
	in_ns "$sw" ethtool -i sw0 | grep -x "driver: nestsw"
}
check "ethtool -i sw0 names the driver nestsw (its link kind)" driver_named

check_kmsg
ktap_finished

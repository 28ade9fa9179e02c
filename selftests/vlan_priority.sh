#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Priority-tagged frames (an 802.1Q tag with VID 0: a guest that uses
# 802.1p priority sends them) belong to the VLAN of the port they come in
# on, as 802.1Q says: on an access port, that port's VLAN; on an untagged
# port or a trunk, VLAN 0, the untagged frames'. They are delivered as any
# frame of that VLAN: untagged to access and untagged ports, tagged with
# the VLAN's VID to a trunk, keeping their priority. A frame tagged with
# another VID from an access port is still dropped (reason vlan).
#
#   a1           a2           b1           u1           u2           t1
#   eth0         eth0         eth0         eth0         eth0         eth0
#    |            |            |            |            |            |
#   va1          va2          vb1          vu1          vu2          vt1
#   pg v10       pg v10       pg v20       pg default   pg default   pg trunk
#   vlan 10      vlan 10      vlan 20      untagged     untagged     trunk
#   +---------------------------------------------------------------------+
#   |  sw0                                                     (netns sw)  |
#   +---------------------------------------------------------------------+
#
# Every frame is a broadcast of ethertype 0x88b5 (no stack answers it),
# sent with a packet socket; a 0x88b5 frame from each guest's own MAC is
# what the captures count.

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=3		# frames per case
PAD=46		# bytes after the ethertype: 60-byte frames once untagged
BCAST=ff:ff:ff:ff:ff:ff
PRIO5=8100a000	# an 802.1Q tag: priority 5, VID 0
VID20=81000014	# an 802.1Q tag: priority 0, VID 20

ktap_header
nsw_require ip tcpdump /usr/bin/python3
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 14
nsw_kmsg_mark
declare sw a1 a2 b1 u1 u2 t1
setup_ns sw a1 a2 b1 u1 u2 t1 || ktap_bail "cannot create namespaces"

nsw()
{
	nsw_tool "$sw" "$@"
}

declare ma1 mu1 mt1
setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_veth_port "$sw" sw0 va1 "$a1" &&
	nsw_veth_port "$sw" sw0 va2 "$a2" &&
	nsw_veth_port "$sw" sw0 vb1 "$b1" &&
	nsw_veth_port "$sw" sw0 vu1 "$u1" &&
	nsw_veth_port "$sw" sw0 vu2 "$u2" &&
	nsw_veth_port "$sw" sw0 vt1 "$t1" &&
	nsw pg add dev sw0 name v10 vlan 10 &&
	nsw pg add dev sw0 name v20 vlan 20 &&
	nsw pg add dev sw0 name trunk vlan trunk &&
	nsw port set dev va1 pg v10 &&
	nsw port set dev va2 pg v10 &&
	nsw port set dev vb1 pg v20 &&
	nsw port set dev vt1 pg trunk &&
	ma1=$(nsw_mac "$a1" eth0) && mu1=$(nsw_mac "$u1" eth0) &&
	mt1=$(nsw_mac "$t1" eth0)
}
setup || ktap_bail "cannot build the topology"

declare cap_a1 cap_a2 cap_b1 cap_u1 cap_u2 cap_t1
captures()
{
	cap_start cap_a1 "$a1" eth0 &&
	cap_start cap_a2 "$a2" eth0 &&
	cap_start cap_b1 "$b1" eth0 &&
	cap_start cap_u1 "$u1" eth0 &&
	cap_start cap_u2 "$u2" eth0 &&
	cap_start cap_t1 "$t1" eth0
}
captures || ktap_bail "cannot start tcpdump"

# from MAC: tcpdump -e's start of a broadcast from MAC, any tags
from()
{
	echo "^$1 > $BCAST, "
}

# untagged MAC: a broadcast from MAC received untagged
untagged()
{
	echo "$(from "$1")ethertype Unknown \\(0x88b5\\), length 60:"
}

# tagged MAC VID PRIO: a broadcast from MAC received tagged VID, priority PRIO
tagged()
{
	echo "$(from "$1")ethertype 802\\.1Q \\(0x8100\\), length 64: vlan $2, p $3, ethertype Unknown \\(0x88b5\\)"
}

# send NS SRC TAG: N broadcasts from SRC out of NS's eth0, behind TAG
send()
{
	raw_frames "$1" eth0 "$BCAST" "$2" "$3"88b5 "$PAD" "$N"
}

# --- from a trunk (every capture sees frames here) -------------------------

nsw_drops_mark "$sw"
trunk_frames()
{
	send "$t1" "$mt1" "$PRIO5" && send "$t1" "$mt1" 8100000a &&
	send "$t1" "$mt1" "$VID20"
}
check "t1 (trunk) sends priority-tagged broadcasts, and some tagged VLAN 10 and 20" \
	trunk_frames
check_seen "a priority tag on a trunk is an untagged frame's: u1 and u2 receive those untagged; a1, a2 and b1 only those of their VLAN" \
	"$N" "$cap_u1" "$(untagged "$mt1")" "$N" "$cap_u2" "$(untagged "$mt1")" \
	"$N" "$cap_a1" "$(untagged "$mt1")" "$N" "$cap_a2" "$(untagged "$mt1")" \
	"$N" "$cap_b1" "$(untagged "$mt1")"
check_nsw_drops "the switch dropped none of them" "$sw"

# --- from an access port --------------------------------------------------

nsw_drops_mark "$sw"
check "a1 (access, VLAN 10) sends priority-tagged broadcasts (priority 5, VID 0)" \
	send "$a1" "$ma1" "$PRIO5"
check_seen "a2 (VLAN 10) receives them untagged, t1 (trunk) tagged VLAN 10 with priority 5" \
	"$N" "$cap_a2" "$(untagged "$ma1")" "$N" "$cap_t1" "$(tagged "$ma1" 10 5)"
check_seen "nobody else receives them: not b1 (VLAN 20), not u1 nor u2 (untagged)" \
	0 "$cap_b1" "$(from "$ma1")" 0 "$cap_u1" "$(from "$ma1")" \
	0 "$cap_u2" "$(from "$ma1")"
check_nsw_drops "the switch dropped none of them" "$sw"

nsw_drops_mark "$sw"
check "a1 sends broadcasts tagged VID 20" send "$a1" "$ma1" "$VID20"
check_nsw_drops "all dropped on va1 for their tag: vlan" "$sw" va1 vlan "$N"
check_seen "they reach nobody: a2 and t1 saw a1's frames above, none since" \
	"$N" "$cap_a2" "$(from "$ma1")" "$N" "$cap_t1" "$(from "$ma1")" \
	0 "$cap_b1" "$(from "$ma1")"

# --- from an untagged port ------------------------------------------------

nsw_drops_mark "$sw"
check "u1 (untagged) sends priority-tagged broadcasts" send "$u1" "$mu1" "$PRIO5"
check_seen "u2 (untagged) and t1 (trunk) receive them untagged, a1 and b1 none" \
	"$N" "$cap_u2" "$(untagged "$mu1")" "$N" "$cap_t1" "$(untagged "$mu1")" \
	0 "$cap_a1" "$(from "$mu1")" 0 "$cap_b1" "$(from "$mu1")"
check_nsw_drops "the switch dropped none of them" "$sw"

check_kmsg
ktap_finished

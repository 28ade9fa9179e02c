#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The switch's VLANs are 802.1Q's (C-tags, ethertype 0x8100). An 802.1ad
# S-tag (0x88a8) is none of its tags: a frame that starts with one is an
# untagged frame of ethertype 0x88a8, and passes through with its S-tag
# (QinQ through the switch, as the bridge does): from an access port, in
# that port's VLAN (to a trunk with that VLAN's C-tag outside the S-tag);
# from a trunk or an untagged port, in VLAN 0. The host's 802.1ad VLAN
# device on sw0 sends such frames too. So a trunk never carries one VLAN
# under two tag types.
#
#   a1           a2           b1           u1           t1           t2
#   eth0         eth0         eth0         eth0         eth0         eth0
#    |            |            |            |            |            |
#   va1          va2          vb1          vu1          vt1          vt2
#   pg v10       pg v10       pg v20       pg default   pg trunk     pg trunk
#   vlan 10      vlan 10      vlan 20      untagged     trunk        trunk
#   +---------------------------------------------------------------------+
#   |  sw0, sw0.ad (802.1ad, VID 10)                           (netns sw)  |
#   +---------------------------------------------------------------------+
#
# Every frame is a broadcast of ethertype 0x88b5 behind its tags (no stack
# answers it), sent with a packet socket; the captures count them by
# source MAC and tags.

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=3		# frames per case
PAD=46		# bytes after the last ethertype
BCAST=ff:ff:ff:ff:ff:ff

ktap_header
nsw_require ip tcpdump /usr/bin/python3
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 14
nsw_kmsg_mark
declare sw a1 a2 b1 u1 t1 t2
setup_ns sw a1 a2 b1 u1 t1 t2 || ktap_bail "cannot create namespaces"

nsw()
{
	nsw_tool "$sw" "$@"
}

declare ma1 mt1 msw
setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_veth_port "$sw" sw0 va1 "$a1" &&
	nsw_veth_port "$sw" sw0 va2 "$a2" &&
	nsw_veth_port "$sw" sw0 vb1 "$b1" &&
	nsw_veth_port "$sw" sw0 vu1 "$u1" &&
	nsw_veth_port "$sw" sw0 vt1 "$t1" &&
	nsw_veth_port "$sw" sw0 vt2 "$t2" &&
	nsw pg add dev sw0 name v10 vlan 10 &&
	nsw pg add dev sw0 name v20 vlan 20 &&
	nsw pg add dev sw0 name trunk vlan trunk &&
	nsw port set dev va1 pg v10 &&
	nsw port set dev va2 pg v10 &&
	nsw port set dev vb1 pg v20 &&
	nsw port set dev vt1 pg trunk &&
	nsw port set dev vt2 pg trunk &&
	nsw_ip "$sw" "link add link sw0 name sw0.ad type vlan proto 802.1ad id 10" \
		"link set sw0.ad up" &&
	ma1=$(nsw_mac "$a1" eth0) && mt1=$(nsw_mac "$t1" eth0) &&
	msw=$(nsw_mac "$sw" sw0)
}
setup || ktap_bail "cannot build the topology"

declare cap_a2 cap_b1 cap_u1 cap_t2
captures()
{
	cap_start cap_a2 "$a2" eth0 &&
	cap_start cap_b1 "$b1" eth0 &&
	cap_start cap_u1 "$u1" eth0 &&
	cap_start cap_t2 "$t2" eth0
}
captures || ktap_bail "cannot start tcpdump"

# tcpdump -e lines of a broadcast from MAC (64 bytes: PAD behind a tag):
# from MAC, any; untagged MAC; ctag MAC VID; stag MAC VID; qinq MAC C S
# (a C-tag outside an S-tag, 68 bytes)
from()
{
	echo "^$1 > $BCAST, "
}

untagged()
{
	echo "$(from "$1")ethertype Unknown \\(0x88b5\\), length 60:"
}

ctag()
{
	echo "$(from "$1")ethertype 802\\.1Q \\(0x8100\\), length 64: vlan $2, p 0, ethertype Unknown \\(0x88b5\\)"
}

stag()
{
	echo "$(from "$1")ethertype 802\\.1Q-QinQ \\(0x88a8\\), length 64: vlan $2, p 0, ethertype Unknown \\(0x88b5\\)"
}

qinq()
{
	echo "$(from "$1")ethertype 802\\.1Q \\(0x8100\\), length 68: vlan $2, p 0, ethertype 802\\.1Q-QinQ \\(0x88a8\\), vlan $3, p 0, ethertype Unknown \\(0x88b5\\)"
}

# send NS DEV SRC TAG: N broadcasts from SRC out of DEV in NS, behind TAG
# (hex: ethertype and TCI), or untagged if TAG is empty
send()
{
	raw_frames "$1" "$2" "$BCAST" "$3" "$4"88b5 "$PAD" "$N"
}

# --- C-tags from a trunk (every capture sees frames here) -----------------

nsw_drops_mark "$sw"
ctags()
{
	send "$t1" eth0 "$mt1" 8100000a && send "$t1" eth0 "$mt1" 81000014 &&
	send "$t1" eth0 "$mt1" ""
}
check "t1 (trunk) sends broadcasts C-tagged VLAN 10, VLAN 20 and untagged" ctags
check_seen "each reaches its VLAN: a2 (10), b1 (20), u1 (untagged) untagged, t2 as sent" \
	"$N" "$cap_a2" "$(untagged "$mt1")" "$N" "$cap_b1" "$(untagged "$mt1")" \
	"$N" "$cap_u1" "$(untagged "$mt1")" "$N" "$cap_t2" "$(ctag "$mt1" 10)" \
	"$N" "$cap_t2" "$(ctag "$mt1" 20)" "$N" "$cap_t2" "$(untagged "$mt1")"
check_nsw_drops "the switch dropped none of them" "$sw"

# --- an S-tag from a trunk: VLAN 0 ----------------------------------------

nsw_drops_mark "$sw"
check "t1 sends broadcasts S-tagged 10 (802.1ad)" send "$t1" eth0 "$mt1" 88a8000a
check_seen "they are untagged frames: u1 and t2 receive them with their S-tag" \
	"$N" "$cap_u1" "$(stag "$mt1" 10)" "$N" "$cap_t2" "$(stag "$mt1" 10)"
check_seen "VLAN 10 is not theirs: a2 saw t1's C-tagged frames above, none since" \
	"$N" "$cap_a2" "$(from "$mt1")" "$N" "$cap_b1" "$(from "$mt1")"
check_nsw_drops "the switch dropped none of them" "$sw"

# --- an S-tag from an access port: the port's VLAN --------------------------

nsw_drops_mark "$sw"
check "a1 (access, VLAN 10) sends broadcasts S-tagged 20" \
	send "$a1" eth0 "$ma1" 88a80014
check_seen "they pass in VLAN 10: a2 receives them with their S-tag, t2 with C-tag 10 outside it" \
	"$N" "$cap_a2" "$(stag "$ma1" 20)" "$N" "$cap_t2" "$(qinq "$ma1" 10 20)"
check_seen "nobody else: not b1 (VLAN 20), not u1 (untagged)" \
	0 "$cap_b1" "$(from "$ma1")" 0 "$cap_u1" "$(from "$ma1")"
check_nsw_drops "the switch dropped none of them" "$sw"

# --- the host's 802.1ad VLAN device -----------------------------------------

nsw_drops_mark "$sw"
check "the host sends broadcasts on sw0.ad (802.1ad, VID 10)" \
	send "$sw" sw0.ad "$msw" ""
check_seen "they are untagged frames: u1 and t2 receive them with S-tag 10, a2 none" \
	"$N" "$cap_u1" "$(stag "$msw" 10)" "$N" "$cap_t2" "$(stag "$msw" 10)" \
	0 "$cap_a2" "$(from "$msw")"

check_kmsg
ktap_finished

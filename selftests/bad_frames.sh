#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Frames no well-behaved guest sends, crafted byte by byte out of the
# guests' eth0 (packet sockets): each is either forwarded intact or
# dropped, and a drop by the switch is counted under its reason (exactly
# once per frame, no other counter moving). The kernel logs no splat.
#
#   - runts (a bare 14-byte header, 20 bytes): forwarded intact
#   - a truncated VLAN header (ethertype 802.1Q and 0, 2 or 4 bytes: the
#     core wants 2 bytes behind the tag): dropped by the kernel's VLAN
#     untagging before any rx_handler runs; the switch never sees it,
#     nobody receives it
#   - double-tagged frames (802.1Q in 802.1Q) on an access port: dropped,
#     reason vlan; on a trunk: forwarded with both tags (an 802.1ad outer
#     tag is no VLAN tag of the switch's: vlan_qinq.sh)
#   - multicast and all-zero source MACs: dropped, reason invalid-source,
#     and never learned (a learning port learns a unicast source sent
#     alongside)
#   - a jumbo frame beyond the egress port's MTU: dropped, reason mtu,
#     counted on the egress port; to a port with a jumbo MTU: forwarded
#   - at the MTU's edge: 1500 bytes after the Ethernet header to a port
#     of MTU 1500 are forwarded, 1508 (within the 18 bytes of header and
#     tag the MTU does not count) are dropped, reason mtu, by the switch
#     and not by the device behind it
#
#      g1 mtu 9000      g2 mtu 1500      g3 mtu 9000      t1       t2
#        eth0             eth0             eth0           eth0     eth0
#         |                |                |              |        |
#        vp1 mtu 9000     vp2              vp3 mtu 9000   vt1      vt2
#   +----|----------------|----------------|--------------|--------|---+
#   |    PG acc: vlan 10, learning on, forged-transmits    PG trunk:   |
#   |    accept                                            vlan 4095   |
#   |  sw0                                     netns sw                |
#   +-------------------------------------------------------------------+

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=3		# frames per case
PY=/usr/bin/python3
JUMBO=3000	# bytes after the MACs of a jumbo frame
LEARNED=02:00:00:00:bb:01	# a unicast source g1 may use (forged accept)
QINQ=02:00:00:00:bb:02		# the source of g1's double-tagged frames

ktap_header
nsw_require ip jq tcpdump "$PY"
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 23
nsw_kmsg_mark
declare sw g1 g2 g3 t1 t2
setup_ns sw g1 g2 g3 t1 t2 || ktap_bail "cannot create namespaces"

# raw NS DST SRC HEX PAD: N frames DST SRC HEX (the bytes after the MACs)
# and PAD bytes of 0xa5, out of NS's eth0
raw()
{
	raw_frames "$1" eth0 "$2" "$3" "$4" "${5:-0}" "$N"
}

declare m1 m2 m3 mt1 mt2 cap2 cap3 capt2
setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_veth_port "$sw" sw0 vp1 "$g1" &&
	nsw_veth_port "$sw" sw0 vp2 "$g2" &&
	nsw_veth_port "$sw" sw0 vp3 "$g3" &&
	nsw_veth_port "$sw" sw0 vt1 "$t1" &&
	nsw_veth_port "$sw" sw0 vt2 "$t2" &&
	nsw_ip "$sw" "link set vp1 mtu 9000" "link set vp3 mtu 9000" &&
	nsw_ip "$g1" "link set eth0 mtu 9000" &&
	nsw_ip "$g3" "link set eth0 mtu 9000" &&
	nsw_tool "$sw" pg add dev sw0 name acc vlan 10 learning on \
		forged-transmits accept &&
	nsw_tool "$sw" pg add dev sw0 name trunk vlan 4095 &&
	nsw_tool "$sw" port set dev vp1 pg acc &&
	nsw_tool "$sw" port set dev vp2 pg acc &&
	nsw_tool "$sw" port set dev vp3 pg acc &&
	nsw_tool "$sw" port set dev vt1 pg trunk &&
	nsw_tool "$sw" port set dev vt2 pg trunk &&
	m1=$(nsw_mac "$g1" eth0) && m2=$(nsw_mac "$g2" eth0) &&
	m3=$(nsw_mac "$g3" eth0) && mt1=$(nsw_mac "$t1" eth0) &&
	mt2=$(nsw_mac "$t2" eth0) &&
	cap_start cap2 "$g2" eth0 && cap_start cap3 "$g3" eth0 &&
	cap_start capt2 "$t2" eth0
}
setup || ktap_bail "cannot build the topology"

# from MAC: the start of a tcpdump -e line of a frame from MAC
from()
{
	echo "^$1 > "
}

# --- runts ----------------------------------------------------------------

nsw_drops_mark "$sw"
runts()
{
	raw "$g1" "$m2" "$m1" 88b5 && raw "$g1" "$m2" "$m1" 88b5 6
}
check "g1 sends bare 14-byte headers and 20-byte runts to g2" runts
check_seen "g2 receives them intact: 14 and 20 bytes, ethertype 0x88b5" \
	"$N" "$cap2" "$(from "$m1")$m2, ethertype Unknown \\(0x88b5\\), length 14" \
	"$N" "$cap2" "$(from "$m1")$m2, ethertype Unknown \\(0x88b5\\), length 20"
check_nsw_drops "the switch dropped none of them" "$sw"

# --- truncated VLAN headers -----------------------------------------------

cnt_mark "$sw"
nsw_drops_mark "$sw"
truncated_vlan()
{
	raw "$t1" "$mt2" "$mt1" 8100 && raw "$t1" "$mt2" "$mt1" 81000014 &&
	raw "$t1" "$mt2" "$mt1" 8100001488b5
}
check "t1 sends frames with ethertype 802.1Q and 0, 2 or 4 bytes of VLAN header" \
	truncated_vlan
check_cnt "they reach vt1" "$sw" vt1 rx_packets $((3 * N))
check_seen "nobody receives them: the kernel drops them before the switch" \
	0 "$capt2" "$(from "$mt1")" 0 "$cap2" "$(from "$mt1")" \
	0 "$cap3" "$(from "$mt1")"
check_nsw_drops "no nestsw drop counter moved: the switch never saw them" "$sw"

# --- double tags ------------------------------------------------------------

trunk_tags()
{
	raw "$t1" "$mt2" "$mt1" 81000014810000"1e"88b5 6
}
check "t1 (trunk) sends frames tagged 20 inside 30 to t2" trunk_tags
check_seen "t2 receives them intact, with both tags" \
	"$N" "$capt2" "$(from "$mt1")$mt2, ethertype 802.1Q \\(0x8100\\), length 28: vlan 20, p 0, ethertype 802.1Q \\(0x8100\\), vlan 30, p 0, ethertype Unknown \\(0x88b5\\)"

nsw_drops_mark "$sw"
access_double_tags()
{
	raw "$g1" "$m2" "$QINQ" 81000014810000"1e"88b5 6
}
check "g1 (access port) sends 802.1Q-in-802.1Q frames to g2" access_double_tags
check_nsw_drops "all dropped on vp1 for their tags: vlan" "$sw" vp1 vlan "$N"
check_seen "they reach nobody" 0 "$cap2" "$(from "$QINQ")" \
	0 "$cap3" "$(from "$QINQ")" 0 "$capt2" "$(from "$QINQ")"

# --- source MACs that are no station's ------------------------------------

nsw_drops_mark "$sw"
odd_sources()
{
	raw "$g1" "$m2" 01:00:5e:00:00:42 88b5 6 &&
	raw "$g1" "$m2" 00:00:00:00:00:00 88b5 6 &&
	raw "$g1" "$m2" "$LEARNED" 88b5 6
}
check "g1 sends from a multicast, the zero and a unicast source MAC" odd_sources
check_nsw_drops "the multicast and zero sources are dropped: invalid-source" \
	"$sw" vp1 invalid-source $((2 * N))
nsw_learn_check_fdb "vp1 learned the unicast source only" "$sw" vp1 "$LEARNED"

# --- jumbo frames ---------------------------------------------------------

nsw_drops_mark "$sw"
jumbos()
{
	raw "$g1" "$m2" "$m1" 88b5 $((JUMBO - 2)) &&
	raw "$g1" "$m3" "$m1" 88b5 $((JUMBO - 2))
}
check "g1 sends $((JUMBO + 12))-byte frames to g2 (MTU 1500) and g3 (MTU 9000)" \
	jumbos
check_nsw_drops "those to g2 are dropped on vp2, its egress: mtu" \
	"$sw" vp2 mtu "$N"
check_seen "g3 receives its own intact, g2 none" \
	"$N" "$cap3" "$(from "$m1")$m3, ethertype Unknown \\(0x88b5\\), length $((JUMBO + 12))" \
	0 "$cap2" "length $((JUMBO + 12))"

# --- the MTU's edge ---------------------------------------------------------

nsw_drops_mark "$sw"
cnt_mark "$sw"
mtu_edge()
{
	raw "$g1" "$m2" "$m1" 88b5 1500 && raw "$g1" "$m2" "$m1" 88b5 1508
}
check "g1 sends 1514- and 1522-byte frames (1500 and 1508 bytes after the header) to g2 (MTU 1500)" \
	mtu_edge
check_nsw_drops "the 1522-byte ones are dropped on vp2, its egress: mtu" \
	"$sw" vp2 mtu "$N"
check_seen "g2 receives the 1514-byte ones intact, no 1522-byte one" \
	"$N" "$cap2" "$(from "$m1")$m2, ethertype Unknown \\(0x88b5\\), length 1514" \
	0 "$cap2" "length 1522"
check_cnt "vp2 itself (the veth) dropped none of them" "$sw" vp2 tx_dropped 0

check_kmsg
ktap_finished

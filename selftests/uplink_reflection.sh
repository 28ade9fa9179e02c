#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Reflections: a switch with two uplinks into one physical segment (a
# team) sees what it floods out of one uplink come back in by the other.
# A frame that arrives on an uplink with a source MAC of the switch's own
# side is dropped, counted as reflection on that uplink, and moves and
# refreshes nothing (ESXi's reverse-path check): the MACs of nested
# guests learned on a guest port and seen there within the last 2 s, the
# guest ports' own (initial, effective) MACs, static entries on guest
# ports, and the switch's own MAC. A nested guest that has been silent on
# its port for 2 s may have migrated: when its MAC then turns up behind an
# uplink, it moves there.
#
# N1 and N2 are nested guests behind vesx1 (frames.py sends for them); S
# is a MAC with a static entry on vp1; the Linux bridge br0 in netns phys
# is the physical switch, "remote" a host on it.
#
#     vesx1: eth0 (m1), N1, N2, S
#        |
#   +---vp1 (PG nested: learning on, forged-transmits accept)---------+
#   |   sw0 (nestsw, m_sw), netns sw                                  |
#   |        up1 (uplink)                     up2 (uplink)            |
#   +---------|----------------------------------|--------------------+
#             | veth                             | veth
#   +--------e1-------------br0-----------------e2-------+
#   |                        |       netns phys          |
#   +-----------------------r0---------------------------+
#                            | veth
#                      remote: eth0 (mr)

# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=3				# frames per case
N1=02:00:00:00:01:01		# a nested guest behind vesx1
N2=02:00:00:00:01:03		# another one, that migrates
S=02:00:00:00:01:02		# a static entry on vp1
BCAST=ff:ff:ff:ff:ff:ff
HOLD_S=2			# NSW_REFLECTION_HOLD

ktap_header
nsw_require ip tcpdump
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 22
nsw_kmsg_mark
declare sw vesx1 phys remote
setup_ns sw vesx1 phys remote || ktap_bail "cannot create namespaces"

declare m1 m_sw mr tx_v tx_sw tx_r cap_v cap_r cap_e1 cap_e2
setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_veth_port "$sw" sw0 vp1 "$vesx1" &&
	nsw_ip "$phys" "link add br0 type bridge" "link set br0 up" \
		"link add r0 type veth peer name eth0 netns $remote" \
		"link set r0 master br0" "link set r0 up" &&
	nsw_ip "$remote" "link set eth0 up" &&
	nsw_ip "$sw" "link add up1 type veth peer name e1 netns $phys" \
		"link add up2 type veth peer name e2 netns $phys" \
		"link set up1 master sw0" "link set up2 master sw0" \
		"link set up1 up" "link set up2 up" &&
	nsw_ip "$phys" "link set e1 master br0" "link set e2 master br0" \
		"link set e1 up" "link set e2 up" &&
	nsw_tool "$sw" port set dev up1 role uplink &&
	nsw_tool "$sw" port set dev up2 role uplink &&
	nsw_tool "$sw" pg add dev sw0 name nested learning on \
		forged-transmits accept &&
	nsw_tool "$sw" port set dev vp1 pg nested &&
	nsw_tool "$sw" fdb add dev vp1 mac "$S" &&
	m1=$(nsw_mac "$vesx1" eth0) && m_sw=$(nsw_mac "$sw" sw0) &&
	mr=$(nsw_mac "$remote" eth0) &&
	frames_start tx_v "$vesx1" eth0 &&
	frames_start tx_sw "$sw" sw0 &&
	frames_start tx_r "$remote" eth0 &&
	cap_start cap_v "$vesx1" eth0 &&
	cap_start cap_r "$remote" eth0 &&
	cap_start cap_e1 "$phys" e1 &&
	cap_start cap_e2 "$phys" e2
}
setup || ktap_bail "cannot build the topology"

# __flood_seen RE: the remote host, and e1 and e2 together, saw N frames
# shellcheck disable=SC2317 # called through busywait
__flood_seen()
{
	__cap_reached "$cap_r" "$1" "$N" &&
	(($(cap_count "$cap_e1" "$1") + $(cap_count "$cap_e2" "$1") >= N))
}

# flood_uplinks DESC PORT: the N frames to UDP port PORT reached the remote
# host and left sw0 by one uplink (e1 or e2 saw them all, the other none):
# set OUT to it, IN to the other, by which the reflections come back
declare OUT IN
flood_uplinks()
{
	local re n1 n2

	re=$(frame_re "$2")
	OUT=up1 IN=up2
	busywait "$NSW_WAIT_MS" __flood_seen "$re"
	n1=$(cap_count "$cap_e1" "$re")
	n2=$(cap_count "$cap_e2" "$re")
	((n2 > n1)) && OUT=up2 IN=up1
	ktap_info "remote: $(cap_count "$cap_r" "$re"), sent by up1: $n1, by up2: $n2"
	check_eq "$1" "$(cap_count "$cap_r" "$re") $((n1 > n2 ? n1 : n2)) $((n1 < n2 ? n1 : n2))" \
		"$N $N 0"
}

# n1_not_on_uplink: no FDB line puts N1 behind up1 or up2 (the segment's
# own MACs may move between the uplinks: not counted here)
# shellcheck disable=SC2317 # called through check
n1_not_on_uplink()
{
	! nsw_tool "$sw" fdb show dev sw0 | grep "^$N1 dev up"
}

# N2 speaks once (to vesx1's own MAC: filtered, learned on vp1)
frames_send "$tx_v" "$N2" "$m1" 7200 1
busywait "$NSW_WAIT_MS" nsw_fdb_learned "$sw" sw0 vp1 "$N2"
check "sw0 learned N2 on vp1" nsw_fdb_learned "$sw" sw0 vp1 "$N2"

# --- a nested guest's broadcasts ------------------------------------------

nsw_drops_mark "$sw"
frames_send "$tx_v" "$N1" "$BCAST" 7201 "$N"
flood_uplinks "N1's broadcasts reach the remote host, by one uplink of sw0" 7201
check_nsw_drops "the copies that came back by $IN are dropped as reflection" \
	"$sw" "$IN" reflection "$N"
check "N1 is still learned on vp1" nsw_fdb_learned "$sw" sw0 vp1 "$N1"
check "N1 has no entry on an uplink" n1_not_on_uplink
# proven live below: vesx1's capture sees frames to N2 (7206) and N1 (7202)
check_seen "vesx1 does not get N1's broadcasts back" \
	0 "$cap_v" "$(frame_re 7201)"

# fdb_kept: m1 and S are still vp1's, m_sw still local, N1 not on an
# uplink
# shellcheck disable=SC2317 # called through check
fdb_kept()
{
	local fdb

	fdb=$(nsw_tool "$sw" fdb show dev sw0) || return
	echo "$fdb"
	grep -q "^$m1 dev vp1 .*guest" <<<"$fdb" &&
	grep -q "^$S dev vp1 .*static" <<<"$fdb" &&
	grep -q "^$m_sw .*local" <<<"$fdb" &&
	! grep -q "^$N1 dev up" <<<"$fdb"
}

# --- the guest port's own MAC, a static entry, the switch's own MAC --------

nsw_drops_mark "$sw"
frames_send "$tx_v" "$m1" "$BCAST" 7203 "$N"
flood_uplinks "vesx1's own broadcasts reach the remote host, by one uplink" 7203
check_nsw_drops "those that came back by $IN are reflection, not static-conflict" \
	"$sw" "$IN" reflection "$N"

nsw_drops_mark "$sw"
frames_send "$tx_v" "$S" "$BCAST" 7204 "$N"
flood_uplinks "broadcasts from S (static on vp1) reach the remote host, by one uplink" 7204
check_nsw_drops "those that came back by $IN are reflection" \
	"$sw" "$IN" reflection "$N"

nsw_drops_mark "$sw"
frames_send "$tx_sw" "$m_sw" "$BCAST" 7205 "$N"
flood_uplinks "sw0's own broadcasts reach the remote host, by one uplink" 7205
check_nsw_drops "those that came back by $IN are reflection" \
	"$sw" "$IN" reflection "$N"
check "the FDB still has vp1's guest and static entries and sw0's own" \
	fdb_kept

# --- a genuine move: N2 migrated behind the physical network ---------------

# N2 has been silent on vp1 since the start; the frames from it by an
# uplink after the hold are its own, from its new host. br0 sends frames
# to m1 by the uplink vp1's frames left by (it learned m1 there, 7203).
flood_uplinks "vp1's frames still leave by the same uplink" 7203
nsw_sleep $((HOLD_S + 1))
nsw_drops_mark "$sw"
moves0=$(nsw_learn_stat "$sw" "$OUT" moves)
frames_send "$tx_r" "$N2" "$m1" 7206 "$N"
check_seen "after ${HOLD_S}s of silence, N2's frames from the remote host reach vesx1" \
	"$N" "$cap_v" "$(frame_re 7206)"
check "N2 moved to $OUT" nsw_fdb_learned "$sw" sw0 "$OUT" "$N2"
check_eq "$OUT counts one move" \
	$(($(nsw_learn_stat "$sw" "$OUT" moves) - moves0)) 1
check_nsw_drops "none of them was dropped" "$sw"

frames_send "$tx_v" "$m1" "$N2" 7207 "$N"
check_seen "frames from vesx1 to N2 now reach the remote host" \
	"$N" "$cap_r" "$(frame_re 7207)"

# --- frames to N1 from the physical network --------------------------------

# (Last: with N1's entry on an uplink, as before the reverse-path check,
# they would loop between sw0 and br0 for as long as the test runs.)
frames_send "$tx_r" "$mr" "$N1" 7202 "$N"
check_seen "the remote host's frames to N1 reach vesx1, N1 stays on vp1" \
	"$N" "$cap_v" "$(frame_re 7202)"
check "N1 is still learned on vp1 after them" \
	nsw_fdb_learned "$sw" sw0 vp1 "$N1"

check_kmsg
ktap_finished

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Moves and static conflicts. A learned MAC seen on another learning port
# moves there: the move is counted on the new port, reported by
# `nestsw monitor`, and frames to the MAC follow it. A source MAC that is
# another port's guest MAC, or the switch's own, is never learned: on a
# learning port its frames are dropped and counted as static-conflict,
# also when the guest behind the port uses it as its own MAC (the port
# then has no entry for it).
#
# N1, a nested guest, first sends from behind vesx1, then (migrated) from
# behind vesx4.
#
#     vesx1 (N1)        g2            vesx4 (N1 later)
#   +-----------+  +-----------+  +-----------+
#   |   eth0    |  |   eth0 m2 |  |   eth0    |
#   +-----|-----+  +-----|-----+  +-----|-----+
#   +----vp1------------vp2------------vp4-----+
#   |  PG nested      default        PG nested  |
#   |  (learning on, forged-transmits accept)   |
#   |                  sw0                      |
#   +-------------------------------------------+
#                     netns sw

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=3				# frames per case
N1=02:00:00:00:01:01		# the nested guest that migrates

ktap_header
nsw_require ip tcpdump
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 18
nsw_kmsg_mark
declare sw vesx1 g2 vesx4
setup_ns sw vesx1 g2 vesx4 || ktap_bail "cannot create namespaces"

declare m1 m2 m_sw tx_n1 tx_v4 tx_g2 cap_v1 cap_g2 cap_v4
MON=$NSW_TMP/monitor.out
setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_veth_port "$sw" sw0 vp1 "$vesx1" &&
	nsw_veth_port "$sw" sw0 vp2 "$g2" &&
	nsw_veth_port "$sw" sw0 vp4 "$vesx4" &&
	m1=$(nsw_mac "$vesx1" eth0) && m2=$(nsw_mac "$g2" eth0) &&
	m_sw=$(nsw_mac "$sw" sw0) &&
	nsw_tool "$sw" pg add dev sw0 name nested learning on \
		forged-transmits accept &&
	nsw_tool "$sw" port set dev vp1 pg nested &&
	nsw_tool "$sw" port set dev vp4 pg nested &&
	frames_start tx_n1 "$vesx1" eth0 &&
	frames_start tx_v4 "$vesx4" eth0 &&
	frames_start tx_g2 "$g2" eth0 &&
	cap_start cap_v1 "$vesx1" eth0 &&
	cap_start cap_g2 "$g2" eth0 &&
	cap_start cap_v4 "$vesx4" eth0 &&
	__in_ns_bg "$sw" "$NSW_TOOL monitor >$MON 2>&1 </dev/null"
}
setup || ktap_bail "cannot build the topology"

# fdb_guest NS PORT MAC: MAC is still PORT's guest entry, and nothing else
fdb_guest()
{
	local lines

	lines=$(nsw_tool "$1" fdb show dev sw0 | grep "^$3 ")
	[[ $lines == "$3 dev $2 master sw0 guest" ]] || { echo "$lines"; return 1; }
}

# follows_unlisted PORT MAC OWNER: PORT's effective MAC is MAC, whose FDB
# entry is still only OWNER's guest entry
follows_unlisted()
{
	local out

	out=$(nsw_tool "$sw" port show dev "$1") || return
	echo "$out"
	[[ $out == *"effective-mac $2"* ]] && fdb_guest "$sw" "$3" "$2"
}

# --- a move ---------------------------------------------------------------

frames_send "$tx_n1" "$N1" "$m2" 7001 "$N"
check_seen "N1's frames from behind vesx1 reach g2" "$N" "$cap_g2" "$(frame_re 7001)"
busywait "$NSW_WAIT_MS" nsw_fdb_learned "$sw" sw0 vp1 "$N1"
check "sw0 learned N1 on vp1" nsw_fdb_learned "$sw" sw0 vp1 "$N1"

moves0=$(nsw_learn_stat "$sw" vp4 moves)
frames_send "$tx_v4" "$N1" "$m2" 7002 "$N"
check_seen "N1 migrates: its frames from behind vesx4 reach g2" \
	"$N" "$cap_g2" "$(frame_re 7002)"
check "the entry moved to vp4" nsw_fdb_learned "$sw" sw0 vp4 "$N1"
check_eq "vp4 counts one move and one entry, vp1 none left" \
	"$(($(nsw_learn_stat "$sw" vp4 moves) - moves0)) $(nsw_learn_stat "$sw" vp4 entries) $(nsw_learn_stat "$sw" vp1 entries)" \
	"1 1 0"
check "nestsw monitor reported the move from vp1 to vp4" \
	busywait "$NSW_WAIT_MS" nsw_saw "$MON" "^move dev vp4 mac $N1 vlan 0 .*from vp1"

frames_send "$tx_g2" "$m2" "$N1" 7003 "$N"
check_seen "g2's frames to N1 now go to vesx4, and not to vesx1" \
	"$N" "$cap_v4" "$(frame_re 7003)" 0 "$cap_v1" "$(frame_re 7003)"

# --- static conflicts -----------------------------------------------------

nsw_drops_mark "$sw"
frames_send "$tx_v4" "$m2" "$m1" 7004 "$N"
check_seen "frames from behind vesx4 with g2's MAC as source reach no one" \
	0 "$cap_v1" "$(frame_re 7004)"
check_nsw_drops "vp4 counts them as static-conflict" "$sw" vp4 static-conflict "$N"
check "g2's MAC is still only vp2's guest entry" fdb_guest "$sw" vp2 "$m2"

nsw_drops_mark "$sw"
frames_send "$tx_v4" "$m_sw" "$m1" 7005 "$N"
check_seen "frames with sw0's own MAC as source reach no one" \
	0 "$cap_v1" "$(frame_re 7005)"
check_nsw_drops "vp4 counts them as static-conflict too" \
	"$sw" vp4 static-conflict "$N"
check "nestsw monitor reported the policy drops" \
	nsw_saw "$MON" "^policy-drop dev vp4 mac $m2 .*static-conflict"

# vesx4's own MAC becomes g2's: vp4 follows it, with no entry of its own
check "vesx4 sets its eth0 to g2's MAC $m2" \
	nsw_ip "$vesx4" "link set eth0 address $m2"
check "nestsw port show: vp4's effective-mac is $m2, still only vp2's entry" \
	follows_unlisted vp4 "$m2" vp2
nsw_drops_mark "$sw"
frames_send "$tx_v4" "$m2" "$m1" 7006 "$N"
check_seen "vesx4's frames from its own MAC, g2's, reach no one" \
	0 "$cap_v1" "$(frame_re 7006)"
check_nsw_drops "vp4 counts them as static-conflict" \
	"$sw" vp4 static-conflict "$N"

check_kmsg
ktap_finished

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Ageing. A learned entry whose MAC is not seen for its port group's
# ageing time (10..1000000 s) is removed, and `nestsw monitor` reports it;
# one that keeps being seen stays. Once N1's entry is gone, frames to N1
# are unknown unicast again: they reach the learning ports (unknown-flood
# on) and no plain guest.
#
#     vesx1 (N1)        g2           vesx4
#   +-----------+  +-----------+  +-----------+
#   |   eth0    |  |   eth0 m2 |  |   eth0    |
#   +-----|-----+  +-----|-----+  +-----|-----+
#   +----vp1------------vp2------------vp4-----+
#   |  PG nested      default        PG nested  |
#   |  (learning on, forged-transmits accept,   |
#   |   ageing 10)       sw0                    |
#   +-------------------------------------------+
#                     netns sw

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=3				# frames per case
N1=02:00:00:00:01:01		# a nested guest behind vesx1
AGEING=10			# seconds, the shortest there is

ktap_header
nsw_require ip tcpdump
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 11
nsw_kmsg_mark
declare sw vesx1 g2 vesx4
setup_ns sw vesx1 g2 vesx4 || ktap_bail "cannot create namespaces"

declare SENT m2 tx_n1 tx_g2 cap_v1 cap_v4
MON=$NSW_TMP/monitor.out
setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_veth_port "$sw" sw0 vp1 "$vesx1" &&
	nsw_veth_port "$sw" sw0 vp2 "$g2" &&
	nsw_veth_port "$sw" sw0 vp4 "$vesx4" &&
	m2=$(nsw_mac "$g2" eth0) &&
	frames_start tx_n1 "$vesx1" eth0 &&
	frames_start tx_g2 "$g2" eth0 &&
	cap_start cap_v1 "$vesx1" eth0 &&
	cap_start cap_v4 "$vesx4" eth0 &&
	__in_ns_bg "$sw" "$NSW_TOOL monitor >$MON 2>&1 </dev/null"
}
setup || ktap_bail "cannot build the topology"

# refresh_for SECONDS: N1 sends a frame every second for SECONDS; SENT is
# when it began to send the last one
refresh_for()
{
	local i

	for ((i = 0; i < $1; i++)); do
		__now
		SENT=$NSW_NOW
		frames_send "$tx_n1" "$N1" "$m2" 8001 1 || return
		nsw_sleep 1
	done
}

check_fails "ageing 9 is refused (10..1000000 s)" \
	nsw_tool "$sw" pg add dev sw0 name nested ageing 9
check "nestsw pg add dev sw0 name nested learning on forged-transmits accept ageing $AGEING" \
	in_ns_sh "$sw" "$NSW_TOOL pg add dev sw0 name nested learning on \
			forged-transmits accept ageing $AGEING &&
		$NSW_TOOL port set dev vp1 pg nested &&
		$NSW_TOOL port set dev vp4 pg nested"

frames_send "$tx_n1" "$N1" "$m2" 8000 "$N"
busywait "$NSW_WAIT_MS" nsw_fdb_learned "$sw" sw0 vp1 "$N1"
check "sw0 learned N1 on vp1" nsw_fdb_learned "$sw" sw0 vp1 "$N1"

refresh_for $((AGEING + 4))
check "N1, seen every second for $((AGEING + 4)) s, is still learned" \
	nsw_fdb_learned "$sw" sw0 vp1 "$N1"
check_fails "nothing reported it aged meanwhile" nsw_saw "$MON" "^age .*mac $N1"

# unseen: gone after the ageing time, give or take the ageing work's
# period. The bound only tells "never" from "late on a busy machine".
# The entry was last refreshed after SENT: it cannot go before SENT +
# AGEING, however slow the machine (a second off for the clocks' ticks).
check "once N1 is silent, its entry goes (no later than $((AGEING * 6)) s: a hang)" \
	busywait $((AGEING * 6 * 1000)) nsw_fdb_lacks "$sw" sw0 "$N1"
__now
ktap_info "gone $(((NSW_NOW - SENT) / 1000)) ms after N1's last frame was sent (ageing $AGEING s)"
check "not before the ageing time: ${AGEING}-ish seconds after the last frame" \
	test $(((NSW_NOW - SENT) / 1000)) -ge $(((AGEING - 1) * 1000))
check "nestsw monitor reported N1 aged out on vp1" \
	busywait "$NSW_WAIT_MS" nsw_saw "$MON" "^age dev vp1 mac $N1 vlan 0"

frames_send "$tx_g2" "$m2" "$N1" 8002 "$N"
check_seen "frames to N1 are unknown unicast again: vesx1 and vesx4 get them" \
	"$N" "$cap_v1" "$(frame_re 8002)" "$N" "$cap_v4" "$(frame_re 8002)"
relearn()
{
	frames_send "$tx_n1" "$N1" "$m2" 8003 1 &&
	busywait "$NSW_WAIT_MS" nsw_fdb_learned "$sw" sw0 vp1 "$N1"
}
check "a frame from N1 learns it again" relearn

check_kmsg
ktap_finished

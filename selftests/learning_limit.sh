#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mac-limit: a learning guest port learns at most mac-limit source MACs.
# At the limit, a frame from a new source is dropped (limit-policy drop,
# the default: counted as a "limit" drop and as not-learned-dropped) or
# forwarded without being learned (limit-policy allow: not-learned-
# allowed); frames from the sources it learned still pass. The limit is
# per port, and a port learns again once entries are gone (fdb flush, or
# a learned MAC taken over by a static entry elsewhere). `nestsw monitor`
# reports each refused source as a limit-hit event, dropped or not.
#
# g1 and g2 are nested hypervisors: frames.py sends from the MACs of the
# nested guests behind them (A1.., B1..) to g3, whose capture shows what
# passed.
#
#        g1 (A1..A8)           g2 (B1..B5)            g3
#   +----------------+    +----------------+    +------------+
#   |   eth0  m1     |    |   eth0  m2     |    | eth0  m3   |
#   +-------|--------+    +-------|--------+    +-----|------+
#           | veth                | veth              | veth
#   +-------|---------------------|-------------------|------+
#   |      vp1                   vp2                 vp3     |
#   |  PG nested: learning on, forged-transmits     PG       |
#   |    accept, mac-limit 4, limit-policy drop     default  |
#   |    (allow for a while)                                 |
#   |  sw0                   nestsw -j monitor (background)  |
#   +--------------------------------------------------------+
#                            netns sw

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=2				# frames per source and case
LIMIT=4
A=(x 02:00:00:0a:00:01 02:00:00:0a:00:02 02:00:00:0a:00:03 02:00:00:0a:00:04
   02:00:00:0a:00:05 02:00:00:0a:00:06 02:00:00:0a:00:07 02:00:00:0a:00:08)
B=(x 02:00:00:0b:00:01 02:00:00:0b:00:02 02:00:00:0b:00:03 02:00:00:0b:00:04
   02:00:00:0b:00:05)

ktap_header
nsw_require ip tcpdump jq
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 44
nsw_kmsg_mark
declare sw g1 g2 g3
setup_ns sw g1 g2 g3 || ktap_bail "cannot create namespaces"

declare m3 tx_g1 tx_g2 cap_g3 mon
setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_veth_port "$sw" sw0 vp1 "$g1" &&
	nsw_veth_port "$sw" sw0 vp2 "$g2" &&
	nsw_veth_port "$sw" sw0 vp3 "$g3" &&
	m3=$(nsw_mac "$g3" eth0) &&
	frames_start tx_g1 "$g1" eth0 &&
	frames_start tx_g2 "$g2" eth0 &&
	cap_start cap_g3 "$g3" eth0 &&
	nsw_learn_monitor_start mon "$sw"
}
setup || ktap_bail "cannot build the topology"

mark()
{
	nsw_drops_mark "$sw" && nsw_learn_mark "$sw"
}

# send TX PORT SRC...: N frames to g3 from each SRC, UDP port PORT
send()
{
	local tx=$1 port=$2 src; shift 2

	for src in "$@"; do
		frames_send "$tx" "$src" "$m3" "$port" "$N" || return
	done
}

# ev EVENT PORT MAC [EXTRA]: a jq condition for nsw_learn_events
ev()
{
	echo ".event == \"$1\" and .ifname == \"$2\" and .mac == \"$3\"${4:+ and $4}"
}

check "nestsw pg add dev sw0 name nested learning on forged-transmits accept mac-limit $LIMIT" \
	nsw_tool "$sw" pg add dev sw0 name nested learning on \
		forged-transmits accept mac-limit "$LIMIT"
check "vp1 and vp2 join port group nested" \
	in_ns_sh "$sw" "$NSW_TOOL port set dev vp1 pg nested &&
		$NSW_TOOL port set dev vp2 pg nested"

# --- up to the limit ------------------------------------------------------

mark
send "$tx_g1" 6001 "${A[@]:1:4}"
check_seen "frames from 4 nested guests behind vp1 reach g3" \
	$((4 * N)) "$cap_g3" "$(frame_re 6001)"
nsw_learn_check "vp1 learned 4 sources: learned +4, entries 4, nothing refused" "$sw" \
	vp1 learned +4 vp1 entries 4 vp1 not-learned-dropped +0 \
	vp1 not-learned-allowed +0
nsw_learn_check_fdb "nestsw fdb show dev vp1 lists the 4 as learned" \
	"$sw" vp1 "${A[@]:1:4}"
check_nsw_drops "nothing was dropped" "$sw"
nsw_learn_check_event "nestsw monitor reported a learn event for each of them" \
	"$mon" 4 '.event == "learn" and .ifname == "vp1"'

# --- at the limit, limit-policy drop --------------------------------------

mark
send "$tx_g1" 6002 "${A[5]}"
send "$tx_g1" 6003 "${A[@]:1:4}"
check_seen "at the limit, frames from a 5th new source (A5) never reach g3" \
	0 "$cap_g3" "$(frame_re 6002)"
check_seen "frames from the 4 learned sources still do" \
	$((4 * N)) "$cap_g3" "$(frame_re 6003)"
check_nsw_drops "A5's frames are counted as limit drops on vp1, nothing else" \
	"$sw" vp1 limit "$N"
nsw_learn_check "and as not-learned-dropped; nothing learned, entries stay 4" "$sw" \
	vp1 not-learned-dropped "+$N" vp1 learned +0 vp1 entries 4 \
	vp1 not-learned-allowed +0
nsw_learn_check_fdb "nestsw fdb show dev vp1: A5 is not learned, the 4 stay" \
	"$sw" vp1 "${A[@]:1:4}"
nsw_learn_check_event "nestsw monitor: a limit-hit event on vp1 for each frame of A5, dropped" \
	"$mon" "$N" "$(ev limit-hit vp1 "${A[5]}" '.dropped == true')"
nsw_learn_check_event "and none for the learned sources" \
	"$mon" 0 '.event == "limit-hit" and (.mac | startswith("02:00:00:0a:00:0")) and .mac != "'"${A[5]}"'"'

# --- the limit is per port ------------------------------------------------

mark
send "$tx_g2" 6004 "${B[@]:1:4}"
check_seen "vp2, in the same port group, learns its own 4: their frames reach g3" \
	$((4 * N)) "$cap_g3" "$(frame_re 6004)"
nsw_learn_check "vp2 learned +4, entries 4; vp1 still has 4" "$sw" \
	vp2 learned +4 vp2 entries 4 vp1 entries 4 vp1 learned +0
nsw_learn_check_fdb "nestsw fdb show dev vp2 lists B1..B4 as learned" \
	"$sw" vp2 "${B[@]:1:4}"
mark
send "$tx_g2" 6005 "${B[5]}"
check_seen "vp2's 5th new source (B5) is dropped too" \
	0 "$cap_g3" "$(frame_re 6005)"
check_nsw_drops "counted as limit drops on vp2" "$sw" vp2 limit "$N"
nsw_learn_check "and as not-learned-dropped on vp2, not on vp1" "$sw" \
	vp2 not-learned-dropped "+$N" vp1 not-learned-dropped +0 vp2 entries 4

# --- limit-policy allow ---------------------------------------------------

check "nestsw pg set dev sw0 name nested limit-policy allow" \
	nsw_tool "$sw" pg set dev sw0 name nested limit-policy allow
mark
send "$tx_g1" 6006 "${A[6]}"
send "$tx_g1" 6007 "${A[@]:1:4}"
check_seen "under allow, frames from a new source at the limit (A6) reach g3" \
	"$N" "$cap_g3" "$(frame_re 6006)"
check_seen "and so do those of the learned sources" \
	$((4 * N)) "$cap_g3" "$(frame_re 6007)"
check_nsw_drops "nothing is dropped" "$sw"
nsw_learn_check "A6 is not learned: not-learned-allowed +$N, learned +0, entries stay 4" "$sw" \
	vp1 not-learned-allowed "+$N" vp1 learned +0 vp1 entries 4 \
	vp1 not-learned-dropped +0
nsw_learn_check_fdb "nestsw fdb show dev vp1: A6 is not there, the 4 stay" \
	"$sw" vp1 "${A[@]:1:4}"
nsw_learn_check_event "nestsw monitor: a limit-hit event on vp1 for each frame of A6, not dropped" \
	"$mon" "$N" "$(ev limit-hit vp1 "${A[6]}" '.dropped == false')"
nsw_learn_check_event "and no policy-drop event for A6" \
	"$mon" 0 "$(ev policy-drop vp1 "${A[6]}")"
nsw_learn_check_event "under drop, A5's drops were told once, as limit-hits: no policy-drop event" \
	"$mon" 0 "$(ev policy-drop vp1 "${A[5]}")"

check "nestsw pg set dev sw0 name nested limit-policy inherit (drop)" \
	nsw_tool "$sw" pg set dev sw0 name nested limit-policy inherit

# --- one entry fewer, one new source --------------------------------------

# A static entry for A4 on vp3 takes A4 over: vp1's learned entry goes.
check "nestsw fdb add dev vp3 mac ${A[4]} (vp1 had learned it)" \
	nsw_tool "$sw" fdb add dev vp3 mac "${A[4]}"
nsw_learn_check_fdb "vp1's learned entry for A4 is gone, A1..A3 stay" \
	"$sw" vp1 "${A[@]:1:3}"
mark
send "$tx_g1" 6008 "${A[5]}"
send "$tx_g1" 6009 "${A[6]}"
check_seen "with one entry free, A5 is learned on vp1: its frames reach g3" \
	"$N" "$cap_g3" "$(frame_re 6008)"
check_seen "then vp1 is at its limit again: A6's frames are dropped" \
	0 "$cap_g3" "$(frame_re 6009)"
nsw_learn_check "vp1: learned +1, entries 4, not-learned-dropped +$N" "$sw" \
	vp1 learned +1 vp1 entries 4 vp1 not-learned-dropped "+$N"
check_nsw_drops "A6's frames count as limit drops" "$sw" vp1 limit "$N"

# --- flush ----------------------------------------------------------------

check "nestsw fdb flush dev vp1" nsw_tool "$sw" fdb flush dev vp1
nsw_learn_check_fdb "the flush removed vp1's learned entries" "$sw" vp1
nsw_learn_check_fdb "and kept vp2's" "$sw" vp2 "${B[@]:1:4}"
mark
send "$tx_g1" 6010 "${A[6]}" "${A[7]}" "${A[8]}" "${A[1]}"
send "$tx_g1" 6011 "${A[2]}"
check_seen "after the flush vp1 learns 4 sources again: their frames reach g3" \
	$((4 * N)) "$cap_g3" "$(frame_re 6010)"
check_seen "and a 5th is dropped: the limit counts from 0 again, not below" \
	0 "$cap_g3" "$(frame_re 6011)"
nsw_learn_check "vp1: learned +4, entries 4, not-learned-dropped +$N" "$sw" \
	vp1 learned +4 vp1 entries 4 vp1 not-learned-dropped "+$N"
nsw_learn_check_fdb "nestsw fdb show dev vp1 lists them" \
	"$sw" vp1 "${A[6]}" "${A[7]}" "${A[8]}" "${A[1]}"

check_kmsg
ktap_finished

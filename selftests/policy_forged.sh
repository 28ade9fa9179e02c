#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# forged-transmits. Under reject (the default) a frame from a guest port
# whose source MAC is not the guest's effective MAC is dropped, and counted
# as "forged" on that port; under accept it passes. A veth port's effective
# MAC is its peer's; a tap's is the one the admin sets with
# `nestsw port set`, and once it differs from the initial MAC, the initial
# one is forged too.
#
# g1 and the tap's guest send crafted frames (selftests/lib/frames.py) to
# g2's MAC, from their own MAC and from the MACs of nested guests behind
# them (F1, F2): g2's capture shows what passed, nestsw's drop counters
# and `ip -s link` what did not.
#
#        g1                    g2            tap guest (frames.py)
#   +------------+      +------------+      +------------+
#   |  eth0  m1  |      |  eth0  m2  |      | T, then T2 |
#   +-----|------+      +-----|------+      +-----|------+
#         | veth              | veth              | /dev/net/tun
#   +-----|-------------------|-------------------|-----+
#   |    vp1                 vp2                 tp3    |
#   |                                (admin-set MACs)   |
#   |  sw0; PG default: forged-transmits reject          |
#   |       PG vesx: forged-transmits accept, later      |
#   |                inherit (reject)                    |
#   +----------------------------------------------------+
#                           netns sw
#
# At the end, a static FDB entry on vp1 (nestsw fdb add) lets g1 send from
# F1, and from F1 only, under reject.

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=3				# frames per case
F1=02:00:00:00:f0:01		# nested guests: not the guests' own MACs
F2=02:00:00:00:f0:02
T=02:00:00:00:03:01		# the tap guest's initial MAC
T2=02:00:00:00:03:02		# and the one it changes to

ktap_header
nsw_require ip tcpdump
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 31
nsw_kmsg_mark
declare sw g1 g2
setup_ns sw g1 g2 || ktap_bail "cannot create namespaces"

declare m1 m2 tx_g1 tx_tap cap_g2
setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_veth_port "$sw" sw0 vp1 "$g1" &&
	nsw_veth_port "$sw" sw0 vp2 "$g2" &&
	nsw_tap_port "$sw" sw0 tp3 &&
	nsw_tool "$sw" port set dev tp3 initial-mac "$T" effective-mac "$T" &&
	m1=$(nsw_mac "$g1" eth0) && m2=$(nsw_mac "$g2" eth0) &&
	frames_start tx_g1 "$g1" eth0 &&
	frames_start tx_tap "$sw" tp3 &&
	cap_start cap_g2 "$g2" eth0
}
setup || ktap_bail "cannot build the topology"

mark()
{
	cnt_mark "$sw" && nsw_drops_mark "$sw"
}

# --- a veth guest under reject --------------------------------------------

mark
frames_send "$tx_g1" "$m1" "$m2" 5001 "$N" &&
frames_send "$tx_g1" "$F1" "$m2" 5002 "$N"
check_seen "g1's frames from its own MAC reach g2 under reject" \
	"$N" "$cap_g2" "$(frame_re 5001)"
check_seen "g1's frames from a forged MAC never reach g2" \
	0 "$cap_g2" "$(frame_re 5002)"
check_nsw_drops "they are counted as forged on vp1, and nothing else is dropped" \
	"$sw" vp1 forged "$N"
check_cnt "ip -s link: vp1 received all $((2 * N)), sw0 counts $N dropped, vp2 sent $N" \
	"$sw" vp1 rx_packets $((2 * N)) "$sw" sw0 rx_dropped "$N" \
	"$sw" vp2 tx_packets "$N" "$g2" eth0 rx_packets "$N"

# --- a tap guest under reject ---------------------------------------------

mark
frames_send "$tx_tap" "$T" "$m2" 5010 "$N" &&
frames_send "$tx_tap" "$F2" "$m2" 5011 "$N"
check_seen "the tap guest's frames from its effective MAC reach g2" \
	"$N" "$cap_g2" "$(frame_re 5010)"
check_seen "its frames from a forged MAC never reach g2" \
	0 "$cap_g2" "$(frame_re 5011)"
check_nsw_drops "they are counted as forged on tp3" "$sw" tp3 forged "$N"
check_cnt "ip -s link: tp3 received all $((2 * N)), sw0 counts $N dropped" \
	"$sw" tp3 rx_packets $((2 * N)) "$sw" sw0 rx_dropped "$N"

check "nestsw port set dev tp3 effective-mac $T2 (initial stays $T)" \
	nsw_tool "$sw" port set dev tp3 effective-mac "$T2"
mark
frames_send "$tx_tap" "$T2" "$m2" 5012 "$N" &&
frames_send "$tx_tap" "$T" "$m2" 5013 "$N"
check_seen "frames from the new effective MAC reach g2" \
	"$N" "$cap_g2" "$(frame_re 5012)"
check_seen "frames from the initial MAC are forged now: they do not" \
	0 "$cap_g2" "$(frame_re 5013)"
check_nsw_drops "they are counted as forged on tp3" "$sw" tp3 forged "$N"

# --- accept ---------------------------------------------------------------

check "nestsw pg add dev sw0 name vesx forged-transmits accept" \
	nsw_tool "$sw" pg add dev sw0 name vesx forged-transmits accept
check "vp1 and tp3 join port group vesx" \
	in_ns_sh "$sw" "$NSW_TOOL port set dev vp1 pg vesx &&
		$NSW_TOOL port set dev tp3 pg vesx"
mark
frames_send "$tx_g1" "$F1" "$m2" 5003 "$N" &&
frames_send "$tx_tap" "$F2" "$m2" 5014 "$N" &&
frames_send "$tx_tap" "$T" "$m2" 5015 "$N"
check_seen "under accept g1's frames from F1 reach g2" \
	"$N" "$cap_g2" "$(frame_re 5003)"
check_seen "and so do the tap guest's from F2 and from its initial MAC" \
	"$N" "$cap_g2" "$(frame_re 5014)" "$N" "$cap_g2" "$(frame_re 5015)"
check_nsw_drops "no drop is counted" "$sw"
check_cnt "ip -s link: sw0 counts no drop, vp2 sent g2 all $((3 * N))" \
	"$sw" sw0 rx_dropped 0 "$sw" vp2 tx_packets $((3 * N))

# --- back to reject, live -------------------------------------------------

check "nestsw pg set dev sw0 name vesx forged-transmits inherit (reject)" \
	nsw_tool "$sw" pg set dev sw0 name vesx forged-transmits inherit
mark
frames_send "$tx_g1" "$F1" "$m2" 5004 "$N" &&
frames_send "$tx_tap" "$F2" "$m2" 5016 "$N"
check_seen "forged frames from g1 and the tap guest are dropped again" \
	0 "$cap_g2" "$(frame_re 5004)" 0 "$cap_g2" "$(frame_re 5016)"
check_nsw_drops "counted as forged on vp1 and on tp3" \
	"$sw" vp1 forged "$N" tp3 forged "$N"

# --- a static FDB entry allows one more source MAC ------------------------

check "nestsw fdb add dev vp1 mac $F1" nsw_tool "$sw" fdb add dev vp1 mac "$F1"
mark
frames_send "$tx_g1" "$F1" "$m2" 5005 "$N" &&
frames_send "$tx_g1" "$F2" "$m2" 5006 "$N"
check_seen "under reject g1's frames from $F1 reach g2 now" \
	"$N" "$cap_g2" "$(frame_re 5005)"
check_seen "its frames from $F2 still do not" 0 "$cap_g2" "$(frame_re 5006)"
check_nsw_drops "only those count as forged on vp1" "$sw" vp1 forged "$N"
check "nestsw fdb del dev vp1 mac $F1" nsw_tool "$sw" fdb del dev vp1 mac "$F1"
mark
frames_send "$tx_g1" "$F1" "$m2" 5007 "$N"
check_seen "without the entry g1's frames from $F1 are dropped again" \
	0 "$cap_g2" "$(frame_re 5007)"
check_nsw_drops "counted as forged on vp1" "$sw" vp1 forged "$N"

# --- the tool's two outputs agree -----------------------------------------

# forged_shown PORT WANT: `nestsw -s port show dev PORT` prints WANT forged
forged_shown()
{
	local out re='drops:.* forged ([0-9]+)'

	out=$(nsw_tool "$sw" -s port show dev "$1") || return
	echo "$out"
	[[ $out =~ $re ]] && [[ ${BASH_REMATCH[1]} == "$2" ]]
}
nsw_drops "$sw"
check_eq "nestsw -j -s: vp1 has dropped $((4 * N)) forged frames in all" \
	"${NSW_DROPS[vp1|forged]}" $((4 * N))
check "nestsw -s port show dev vp1 prints the same count" \
	forged_shown vp1 $((4 * N))

check_kmsg
ktap_finished

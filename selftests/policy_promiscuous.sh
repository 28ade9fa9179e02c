#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# promiscuous. Under accept, while a guest is promiscuous, its port gets a
# copy of every frame in its VLAN scope: of unicast between two other
# guests, known (g1 to g2) and unknown (g1 to a MAC nobody has), exactly
# one copy each. Under reject (the default) it gets none, and so does a
# promiscuous guest in another VLAN and a guest that is not promiscuous.
# A veth guest is promiscuous while its peer's promiscuity count is above
# zero (`ip link set eth0 promisc on`, a macvlan on it); a tap's guest
# while the admin says so (`nestsw port set dev tp6 guest-promiscuous on`).
#
# g1 sends crafted frames (selftests/lib/frames.py); every other guest
# captures what it receives with tcpdump -p, which leaves the promiscuity
# alone.
#
#      g1         g2         g3          g4          g5       tap guest
#   +------+   +------+   +------+   +-------+   +------+   +---------+
#   | eth0 |   | eth0 |   | eth0 |   | eth0  |   | eth0 |   |frames.py|
#   +--|---+   +--|---+   +--|---+   +--|----+   +--|---+   +----|----+
#   +--|----------|----------|----------|-----------|-----------|----+
#   | vp1        vp2        vp3        vp4         vp5         tp6   |
#   |   PG default         PG spy    PG spy10    PG spy      PG spy  |
#   |   (reject)        (accept)   (accept,    (accept)    (accept)  |
#   |                              VLAN 10)                          |
#   |   promiscuous:  -     -    on, then   on         never   admin |
#   |                            off, macvlan                        |
#   |                                   sw0                          |
#   +----------------------------------------------------------------+
#                               netns sw
#
# Later PG spy turns to reject.

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=3				# frames per case
U=02:00:00:00:00:99		# nobody's MAC: unknown unicast

ktap_header
nsw_require ip tcpdump
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 32
nsw_kmsg_mark
declare sw g1 g2 g3 g4 g5
setup_ns sw g1 g2 g3 g4 g5 || ktap_bail "cannot create namespaces"

# tx_tap is the tap's guest: it keeps the tap's carrier up
# shellcheck disable=SC2034
declare m1 m2 tx_g1 tx_tap cap_g2 cap_g3 cap_g4 cap_g5 cap_tap
setup()
{
	local i ns

	nsw_switch_add "$sw" sw0 || return
	for i in 1 2 3 4 5; do
		ns=g$i
		nsw_veth_port "$sw" sw0 "vp$i" "${!ns}" || return
	done
	nsw_tap_port "$sw" sw0 tp6 &&
	in_ns_sh "$sw" "
		$NSW_TOOL pg add dev sw0 name spy promiscuous accept &&
		$NSW_TOOL pg add dev sw0 name spy10 vlan 10 promiscuous accept &&
		$NSW_TOOL port set dev vp3 pg spy &&
		$NSW_TOOL port set dev vp4 pg spy10 &&
		$NSW_TOOL port set dev vp5 pg spy &&
		$NSW_TOOL port set dev tp6 pg spy initial-mac 02:00:00:00:06:01 \
			effective-mac 02:00:00:00:06:01" &&
	m1=$(nsw_mac "$g1" eth0) && m2=$(nsw_mac "$g2" eth0) &&
	frames_start tx_g1 "$g1" eth0 &&
	frames_start tx_tap "$sw" tp6 &&
	cap_start cap_g2 "$g2" eth0 &&
	cap_start cap_g3 "$g3" eth0 &&
	cap_start cap_g4 "$g4" eth0 &&
	cap_start cap_g5 "$g5" eth0 &&
	cap_start cap_tap "$sw" tp6 out
}
setup || ktap_bail "cannot build the topology"

mark()
{
	cnt_mark "$sw" && nsw_drops_mark "$sw"
}

# send PORT: N frames g1 -> g2 (UDP port PORT), N g1 -> U (PORT+1)
send()
{
	frames_send "$tx_g1" "$m1" "$m2" "$1" "$N" &&
	frames_send "$tx_g1" "$m1" "$U" $(($1 + 1)) "$N"
}

# promisc_shown PORT... WANT: nestsw -j port show says guest-promiscuous
# WANT (true, false) for each PORT
promisc_shown()
{
	local want=${*: -1} port ok=0

	nsw_ports_json "$sw" || return
	for port in "${@:1:$#-1}"; do
		echo "$port guest-promiscuous ${NSW_PORTJ[$port|guest-promiscuous]}"
		[[ ${NSW_PORTJ[$port|guest-promiscuous]} == "$want" ]] || ok=1
	done
	return "$ok"
}

# --- promiscuous guests under accept --------------------------------------

check "g3 and g4 go promiscuous (ip link set eth0 promisc on), tp6 is set so" \
	in_ns_sh "$sw" "
		ip -n $g3 link set eth0 promisc on &&
		ip -n $g4 link set eth0 promisc on &&
		$NSW_TOOL port set dev tp6 guest-promiscuous on"
check "nestsw port show: guest-promiscuous on for vp3, vp4, tp6" \
	promisc_shown vp3 vp4 tp6 true
check "and off for vp2 and vp5" promisc_shown vp2 vp5 false
mark
send 5101
re_k=$(frame_re 5101) re_u=$(frame_re 5102)
check_seen "g2 receives g1's known unicast once, and no unknown unicast" \
	"$N" "$cap_g2" "$re_k" 0 "$cap_g2" "$re_u"
check_seen "g3 (promiscuous, accept) gets one copy of each known unicast frame" \
	"$N" "$cap_g3" "$re_k"
check_seen "g3 gets one copy of each unknown unicast frame" \
	"$N" "$cap_g3" "$re_u"
check_seen "the tap guest (guest-promiscuous on) gets one copy of each, known and unknown" \
	"$N" "$cap_tap" "$re_k" "$N" "$cap_tap" "$re_u"
check_seen "g4, promiscuous in VLAN 10, gets none" \
	0 "$cap_g4" "$re_k" 0 "$cap_g4" "$re_u"
check_seen "g5, in the accept PG but not promiscuous, gets none" \
	0 "$cap_g5" "$re_k" 0 "$cap_g5" "$re_u"
check_cnt "ip -s link: the switch sent $((2 * N)) to vp3 and to tp6, $N to vp2, none to vp4, vp5" \
	"$sw" vp3 tx_packets $((2 * N)) "$sw" tp6 tx_packets $((2 * N)) \
	"$sw" vp2 tx_packets "$N" "$sw" vp4 tx_packets 0 "$sw" vp5 tx_packets 0
check_nsw_drops "no drop is counted: the unknown unicast had promiscuous ports to go to" "$sw"

check_fails "nestsw port set dev vp3 guest-promiscuous is refused: a veth port follows its peer" \
	nsw_tool "$sw" port set dev vp3 guest-promiscuous off

# --- they leave promiscuous mode ------------------------------------------

check "g3 leaves promiscuous mode, tp6 is set so" \
	in_ns_sh "$sw" "ip -n $g3 link set eth0 promisc off &&
		$NSW_TOOL port set dev tp6 guest-promiscuous off"
check "nestsw port show: guest-promiscuous off for vp3 and tp6" \
	promisc_shown vp3 tp6 false
mark
send 5103
re_k=$(frame_re 5103) re_u=$(frame_re 5104)
check_seen "g2 receives the known unicast" "$N" "$cap_g2" "$re_k"
check_seen "the copies stop: g3 and the tap guest get none" \
	0 "$cap_g3" "$re_k" 0 "$cap_g3" "$re_u" \
	0 "$cap_tap" "$re_k" 0 "$cap_tap" "$re_u"
check_seen "g4 and g5 still get none" \
	0 "$cap_g4" "$re_k" 0 "$cap_g4" "$re_u" \
	0 "$cap_g5" "$re_k" 0 "$cap_g5" "$re_u"
check_nsw_drops "the unknown unicast has nowhere to go: no-destination on vp1" \
	"$sw" vp1 no-destination "$N"

# --- promiscuity without the PROMISC flag: a macvlan ----------------------

add_macvlan()
{
	local out

	nsw_ip "$g3" "link add mv0 link eth0 type macvlan" "link set mv0 up" &&
	out=$(in_ns "$g3" ip -d link show dev eth0) || return
	echo "$out"
	[[ $out == *" promiscuity 1 "* && $out != *PROMISC* ]]
}
check "a macvlan on g3's eth0: promiscuity 1, no PROMISC flag (ip -d link)" add_macvlan
check "nestsw port show: guest-promiscuous on for vp3 again" \
	promisc_shown vp3 true
check "tp6 is set promiscuous again" \
	nsw_tool "$sw" port set dev tp6 guest-promiscuous on
mark
send 5105
re_k=$(frame_re 5105) re_u=$(frame_re 5106)
check_seen "g3 gets one copy of each known and unknown unicast frame again" \
	"$N" "$cap_g3" "$re_k" "$N" "$cap_g3" "$re_u"
check_seen "so does the tap guest" "$N" "$cap_tap" "$re_k" "$N" "$cap_tap" "$re_u"
check_nsw_drops "no drop is counted" "$sw"

# --- PG spy turns to reject -----------------------------------------------

check "nestsw pg set dev sw0 name spy promiscuous reject" \
	nsw_tool "$sw" pg set dev sw0 name spy promiscuous reject
mark
send 5107
re_k=$(frame_re 5107) re_u=$(frame_re 5108)
check_seen "g2 receives the known unicast" "$N" "$cap_g2" "$re_k"
check_seen "under reject promiscuous g3 and the tap guest get none" \
	0 "$cap_g3" "$re_k" 0 "$cap_g3" "$re_u" \
	0 "$cap_tap" "$re_k" 0 "$cap_tap" "$re_u"
check_nsw_drops "the unknown unicast has nowhere to go: no-destination on vp1" \
	"$sw" vp1 no-destination "$N"
check_cnt "ip -s link: the switch sent nothing to vp3 nor tp6" \
	"$sw" vp3 tx_packets 0 "$sw" tp6 tx_packets 0

# --- the tool's two outputs agree -----------------------------------------

# no_dest_shown PORT WANT: `nestsw -s port show dev PORT` prints WANT
no_dest_shown()
{
	local out re='drops:.* no-destination ([0-9]+)'

	out=$(nsw_tool "$sw" -s port show dev "$1") || return
	echo "$out"
	[[ $out =~ $re ]] && [[ ${BASH_REMATCH[1]} == "$2" ]]
}
nsw_drops "$sw"
check_eq "nestsw -j -s: vp1 has dropped $((2 * N)) frames with no destination in all" \
	"${NSW_DROPS[vp1|no-destination]}" $((2 * N))
check "nestsw -s port show dev vp1 prints the same count" \
	no_dest_shown vp1 $((2 * N))

check_kmsg
ktap_finished

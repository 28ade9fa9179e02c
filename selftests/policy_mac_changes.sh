#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mac-changes. Under reject (the default), while a guest's effective MAC
# differs from its initial MAC, every frame to its port is dropped (to its
# initial MAC, broadcast) and counted as "mac-change" on that port, and
# its new MAC has no FDB entry: frames to it are unknown unicast, which
# no port here takes ("no-destination" on the sender's port). Under accept
# the new MAC has its entry and the frames reach it. Changing the MAC back to the
# initial one restores delivery. A veth port follows its peer's MAC live,
# also after the peer moved to another namespace and was renamed; a tap's
# effective MAC is what the admin sets with `nestsw port set`.
#
# g2 sends crafted frames (selftests/lib/frames.py) to the MACs of g1 and of
# the tap's guest; their captures show what reached them, nestsw's drop
# counters and `ip -s link` what did not.
#
#        g1 (later g1b)        g2            tap guest (frames.py)
#   +------------------+  +------------+    +-----------------+
#   | eth0 (vnic0) I1  |  |  eth0  m2  |    | T, admin-set T2 |
#   | -> E1, E2, I1    |  |            |    |                 |
#   +--------|---------+  +-----|------+    +--------|--------+
#            | veth             | veth               | /dev/net/tun
#   +--------|------------------|--------------------|-----+
#   |       vp1                vp2                  tp3    |
#   |  sw0; PG default: mac-changes reject                 |
#   |       PG vesx: mac-changes accept                    |
#   +------------------------------------------------------+
#                            netns sw

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=3				# frames per case
E1=02:00:00:00:01:e1		# MACs g1 changes to
E2=02:00:00:00:01:e2
T=02:00:00:00:03:01		# the tap guest's initial MAC
T2=02:00:00:00:03:02		# and the one the admin says it uses
BC=ff:ff:ff:ff:ff:ff

ktap_header
nsw_require ip tcpdump
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 44
nsw_kmsg_mark
declare sw g1 g1b g2
setup_ns sw g1 g1b g2 || ktap_bail "cannot create namespaces"

# tx_tap is the tap's guest: it keeps the tap's carrier up
# shellcheck disable=SC2034
declare i1 m2 tx_g2 tx_tap cap_g1 cap_tap
setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_veth_port "$sw" sw0 vp1 "$g1" &&
	nsw_veth_port "$sw" sw0 vp2 "$g2" &&
	nsw_tap_port "$sw" sw0 tp3 &&
	nsw_tool "$sw" port set dev tp3 initial-mac "$T" effective-mac "$T" &&
	nsw_tool "$sw" pg add dev sw0 name vesx mac-changes accept &&
	i1=$(nsw_mac "$g1" eth0) && m2=$(nsw_mac "$g2" eth0) &&
	frames_start tx_g2 "$g2" eth0 &&
	frames_start tx_tap "$sw" tp3 &&
	cap_start cap_g1 "$g1" eth0 &&
	cap_start cap_tap "$sw" tp3 out
}
setup || ktap_bail "cannot build the topology"

mark()
{
	cnt_mark "$sw" "$g1" && nsw_drops_mark "$sw"
}

# send PORT DST...: N frames from g2 to each DST, UDP ports PORT, PORT+1...
send()
{
	local port=$1 dst; shift

	for dst in "$@"; do
		frames_send "$tx_g2" "$m2" "$dst" "$port" "$N" || return
		port=$((port + 1))
	done
}

# macs_shown PORT INITIAL EFFECTIVE FOLLOWS: `nestsw port show dev PORT`
# prints those MACs, and so does its JSON, with follows-peer FOLLOWS
macs_shown()
{
	local out want="initial-mac $2 effective-mac $3"

	out=$(nsw_tool "$sw" port show dev "$1") || return
	echo "$out"
	[[ $out == *"$want"* ]] || { echo "want '$want'"; return 1; }
	nsw_ports_json "$sw" || return
	out="${NSW_PORTJ[$1|initial-mac]} ${NSW_PORTJ[$1|effective-mac]} ${NSW_PORTJ[$1|follows-peer]}"
	echo "JSON: $out"
	[[ $out == "$2 $3 $4" ]]
}

# fdb_guest_entries [MAC PORT]...: in sw0's FDB, MAC is PORT's guest
# entry, or has no entry at all for PORT "-"
fdb_guest_entries()
{
	local fdb

	fdb=$(nsw_fdb_entries "$sw" sw0) || return
	echo "$fdb"
	while (($# >= 2)); do
		if [[ $2 == - ]]; then
			! grep -q "^$1 " <<<"$fdb" || return
		else
			grep -qx "$1 - $2 guest" <<<"$fdb" || return
		fi
		shift 2
	done
}

# --- a veth guest that changes its MAC, under reject ----------------------

mark
send 6001 "$i1"
check_seen "under reject g1 receives g2's frames at its initial MAC" \
	"$N" "$cap_g1" "$(frame_re 6001)"

check "g1 changes its MAC to $E1 (ip link set eth0 address)" \
	nsw_ip "$g1" "link set eth0 address $E1"
check "nestsw port show: vp1 follows it: initial-mac $i1, effective-mac $E1" \
	macs_shown vp1 "$i1" "$E1" true
check "nestsw fdb show: under reject $E1 has no entry, $i1 still has vp1's" \
	fdb_guest_entries "$E1" - "$i1" vp1
mark
send 6002 "$E1" "$i1" "$BC"
check_seen "g1 receives nothing: not at its new MAC, nor its initial one, nor broadcast" \
	0 "$cap_g1" "$(frame_re 6002)" 0 "$cap_g1" "$(frame_re 6003)" \
	0 "$cap_g1" "$(frame_re 6004)"
check_seen "the tap guest still receives the broadcast" \
	"$N" "$cap_tap" "$(frame_re 6004)"
check_nsw_drops "to $i1 and broadcast: mac-change on vp1; to $E1: no-destination on vp2" \
	"$sw" vp1 mac-change $((2 * N)) vp2 no-destination "$N"
check_cnt "ip -s link: vp2 received $((3 * N)), the switch sent vp1 nothing" \
	"$sw" vp2 rx_packets $((3 * N)) "$sw" vp1 tx_packets 0 \
	"$g1" eth0 rx_packets 0
check_fails "nestsw port set dev vp1 effective-mac is refused: a veth port follows its peer" \
	nsw_tool "$sw" port set dev vp1 effective-mac "$E2"

# --- accept ---------------------------------------------------------------

check "vp1 joins port group vesx (mac-changes accept)" \
	nsw_tool "$sw" port set dev vp1 pg vesx
check "nestsw fdb show: under accept $E1 is vp1's guest entry" \
	fdb_guest_entries "$E1" vp1 "$i1" vp1
mark
send 6005 "$E1"
check_seen "under accept g1 receives the frames to its new MAC" \
	"$N" "$cap_g1" "$(frame_re 6005)"
check_nsw_drops "no drop is counted" "$sw"

check "vp1 goes back to port group default (reject)" \
	nsw_tool "$sw" port set dev vp1 pg default
mark
check "nestsw fdb show: under reject again $E1 has no entry" \
	fdb_guest_entries "$E1" - "$i1" vp1
send 6006 "$E1"
check_seen "under reject again the frames to $E1 do not reach g1" \
	0 "$cap_g1" "$(frame_re 6006)"
check_nsw_drops "counted as no-destination on vp2" "$sw" vp2 no-destination "$N"

# --- back to the initial MAC ----------------------------------------------

check "g1 changes its MAC back to $i1" nsw_ip "$g1" "link set eth0 address $i1"
check "nestsw port show: effective-mac is $i1 again" \
	macs_shown vp1 "$i1" "$i1" true
mark
send 6007 "$i1" "$BC"
check_seen "under reject g1 receives the frames to its MAC and broadcast again" \
	"$N" "$cap_g1" "$(frame_re 6007)" "$N" "$cap_g1" "$(frame_re 6008)"
check_nsw_drops "no drop is counted" "$sw"
check_cnt "ip -s link: the switch sent vp1 all $((2 * N))" \
	"$sw" vp1 tx_packets $((2 * N)) "$g1" eth0 rx_packets $((2 * N))

# --- the peer moves to another namespace, renamed -------------------------

move_peer()
{
	nsw_ip "$g1" "link set eth0 netns $g1b" &&
	nsw_ip "$g1b" "link set eth0 name vnic0" "link set vnic0 address $E2" \
		"link set vnic0 up"
}
check "g1's eth0 moves to namespace g1b as vnic0, MAC $E2" move_peer
check "nestsw port show: vp1 follows it there: effective-mac $E2" \
	macs_shown vp1 "$i1" "$E2" true
declare cap_g1b
cap_start cap_g1b "$g1b" vnic0 || ktap_bail "cannot start tcpdump"
mark
send 6010 "$E2"
check_seen "under reject the frames to $E2 do not reach vnic0" \
	0 "$cap_g1b" "$(frame_re 6010)"
check_nsw_drops "counted as no-destination on vp2: $E2 has no entry" \
	"$sw" vp2 no-destination "$N"
check "vnic0 takes the initial MAC $i1 back" \
	nsw_ip "$g1b" "link set vnic0 address $i1"
mark
send 6011 "$i1"
check_seen "the frames to $i1 reach vnic0" "$N" "$cap_g1b" "$(frame_re 6011)"
check_nsw_drops "no drop is counted" "$sw"

# --- a tap guest: the admin sets its MACs ---------------------------------

mark
send 6020 "$T"
check_seen "the tap guest receives frames at $T (initial and effective)" \
	"$N" "$cap_tap" "$(frame_re 6020)"
check "nestsw port set dev tp3 effective-mac $T2" \
	nsw_tool "$sw" port set dev tp3 effective-mac "$T2"
check "nestsw port show: initial-mac $T, effective-mac $T2, admin-set" \
	macs_shown tp3 "$T" "$T2" false
mark
send 6021 "$T2" "$T" "$BC"
check_seen "under reject it receives nothing: not at $T2, $T, nor broadcast" \
	0 "$cap_tap" "$(frame_re 6021)" 0 "$cap_tap" "$(frame_re 6022)" \
	0 "$cap_tap" "$(frame_re 6023)"
check_seen "g1 (vnic0) still receives the broadcast" \
	"$N" "$cap_g1b" "$(frame_re 6023)"
check_nsw_drops "to $T and broadcast: mac-change on tp3; to $T2: no-destination on vp2" \
	"$sw" tp3 mac-change $((2 * N)) vp2 no-destination "$N"
check_cnt "ip -s link: vp2 received $((3 * N)), the switch sent tp3 nothing" \
	"$sw" vp2 rx_packets $((3 * N)) "$sw" tp3 tx_packets 0
check "tp3 joins port group vesx (mac-changes accept)" \
	nsw_tool "$sw" port set dev tp3 pg vesx
mark
send 6024 "$T2"
check_seen "under accept the tap guest receives the frames to $T2" \
	"$N" "$cap_tap" "$(frame_re 6024)"
check "tp3 back in port group default, effective-mac $T again" \
	nsw_tool "$sw" port set dev tp3 pg default effective-mac "$T"
mark
send 6025 "$T"
check_seen "under reject it receives the frames to $T again" \
	"$N" "$cap_tap" "$(frame_re 6025)"
check_nsw_drops "no drop is counted" "$sw"

# --- the tool's two outputs agree -----------------------------------------

# mac_change_shown PORT WANT: `nestsw -s port show dev PORT` prints WANT
mac_change_shown()
{
	local out re='drops:.* mac-change ([0-9]+)'

	out=$(nsw_tool "$sw" -s port show dev "$1") || return
	echo "$out"
	[[ $out =~ $re ]] && [[ ${BASH_REMATCH[1]} == "$2" ]]
}
nsw_drops "$sw"
check_eq "nestsw -j -s: tp3 has dropped $((2 * N)) frames for mac-change in all" \
	"${NSW_DROPS[tp3|mac-change]}" $((2 * N))
check "nestsw -s port show dev tp3 prints the same count" \
	mac_change_shown tp3 $((2 * N))

check_kmsg
ktap_finished

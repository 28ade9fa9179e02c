#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Uplinks per port group: the seed lab's four-NIC layout on one switch.
# Each nested host's port group names its own active uplink and a shared
# standby one (a hypervisor switch's per-port-group teaming override); the
# five uplinks go into one physical switch (br0), which floods to them all.
#
#  - all a nested host sends out leaves by its own uplink: broadcasts and
#    known unicast, whichever uplink the destination was learned on;
#  - a broadcast from the physical network reaches each nested host once,
#    by its own uplink (br0 sends it to all five: without this, five
#    copies each), and its source moves between no uplinks;
#  - when an uplink loses its carrier, its host goes by the standby one,
#    and back when the carrier returns; a renamed uplink is no longer the
#    one a port group names;
#  - what the tool and the module refuse.
#
#    h1        h2        h3        h4           (nested hosts, 10.0.0.N)
#     |         |         |         |
#  +-v1--------v2--------v3--------v4------------------------------------+
#  |  pg1       pg2       pg3       pg4: active-uplinks upN,            |
#  |                                     standby-uplinks up5             |
#  |  sw0 (netns sw)                                                     |
#  |   up1       up2       up3       up4       up5   (uplinks, default)  |
#  +----|---------|---------|---------|---------|------------------------+
#      p1        p2        p3        p4        p5
#  +----+---------+-------- br0 -----+---------+----- pr ---- r (remote,
#  |  netns phys                                               10.0.0.100)
#  +---------------------------------------------------------------------+

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=3				# frames per case
BCAST=ff:ff:ff:ff:ff:ff
HOSTS=(1 2 3 4)

ktap_header
nsw_require ip tcpdump jq ping
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 29
nsw_kmsg_mark
declare sw phys r h1 h2 h3 h4
setup_ns sw phys r h1 h2 h3 h4 || ktap_bail "cannot create namespaces"

declare -A HNS MAC TX CAP_H CAP_P
declare mr tx_r

setup()
{
	local i

	nsw_switch_add "$sw" sw0 &&
	nsw_ip "$phys" "link add br0 type bridge" "link set br0 up" \
		"link add pr type veth peer name eth0 netns $r" \
		"link set pr master br0" "link set pr up" &&
	nsw_ip "$r" "link set eth0 up" "addr add 10.0.0.100/24 dev eth0" || return
	# the port groups name their uplinks before those exist
	for i in "${HOSTS[@]}"; do
		nsw_tool "$sw" pg add dev sw0 name "pg$i" active-uplinks "up$i" \
			standby-uplinks up5 || return
	done
	for i in 1 2 3 4 5; do
		nsw_ip "$sw" "link add up$i type veth peer name p$i netns $phys" \
			"link set up$i master sw0" "link set up$i up" &&
		nsw_ip "$phys" "link set p$i master br0" "link set p$i up" &&
		nsw_tool "$sw" port set dev "up$i" role uplink || return
	done
	HNS=([1]=$h1 [2]=$h2 [3]=$h3 [4]=$h4)
	for i in "${HOSTS[@]}"; do
		nsw_veth_port "$sw" sw0 "v$i" "${HNS[$i]}" "10.0.0.$i/24" &&
		nsw_tool "$sw" port set dev "v$i" pg "pg$i" &&
		MAC[$i]=$(nsw_mac "${HNS[$i]}" eth0) || return
	done
	mr=$(nsw_mac "$r" eth0)
	# No ARP between h1 and r: a probe of a stale entry, late on a slow
	# kernel, would be one more of h1's frames dropped while it has no
	# uplink (check 13 counts them).
	nsw_neigh "$h1" eth0 10.0.0.100 "$mr" &&
	nsw_neigh "$r" eth0 10.0.0.1 "${MAC[1]}"
}
setup || ktap_bail "cannot build the topology"

# the frames each uplink sends (p1..p5 receive), each host receives
captures()
{
	local i

	for i in 1 2 3 4 5; do
		cap_start "CAP_P[$i]" "$phys" "p$i" || return
	done
	for i in "${HOSTS[@]}"; do
		cap_start "CAP_H[$i]" "${HNS[$i]}" eth0 &&
		frames_start "TX[$i]" "${HNS[$i]}" eth0 || return
	done
	frames_start tx_r "$r" eth0
}
captures || ktap_bail "cannot start the captures and senders"

check "pg show: pg1 has active-uplinks up1 standby-uplinks up5" \
	nsw_shows "$sw" pg show dev sw0 name pg1 \
	" active-uplinks up1 standby-uplinks up5"
check "-j: arrays of names" nsw_shows "$sw" -j pg show dev sw0 name pg1 \
	'"active-uplinks":["up1"],"standby-uplinks":["up5"]'

# --- from the physical network ------------------------------------------

nsw_learn_mark "$sw"
frames_send "$tx_r" "$mr" "$BCAST" 8001 "$N"
check_seen "r's $N broadcasts reach each nested host $N times, not 5 x $N" \
	"$N" "${CAP_H[1]}" "$(frame_to_re 8001 "$BCAST")" \
	"$N" "${CAP_H[2]}" "$(frame_to_re 8001 "$BCAST")" \
	"$N" "${CAP_H[3]}" "$(frame_to_re 8001 "$BCAST")" \
	"$N" "${CAP_H[4]}" "$(frame_to_re 8001 "$BCAST")"
nsw_learn_check "r came in by all five uplinks: learned once, moved none" \
	"$sw" up1 moves +0 up2 moves +0 up3 moves +0 up4 moves +0 up5 moves +0
check_eq "the FDB has r once, on an uplink" \
	"$(nsw_tool "$sw" -j fdb show dev sw0 |
	   jq -r "[.[] | select(.mac == \"$mr\") | .ifname | test(\"^up\")] | @csv")" \
	true

# sent_by DESC PORT I [I]...: host I's frames sent with PORT left by
# the uplink of pI (the uplink given as a number, 1..5), and by no other
sent_by()
{
	local desc=$1 port=$2 args=() i u p; shift 2

	while (($# >= 2)); do
		i=$1 u=$2
		shift 2
		for p in 1 2 3 4 5; do
			args+=($((p == u ? N : 0)) "${CAP_P[$p]}"
			       "^${MAC[$i]} > .*$(frame_re "$port")")
		done
	done
	check_seen "$desc" "${args[@]}"
}

# --- to the physical network --------------------------------------------

for i in "${HOSTS[@]}"; do
	frames_send "${TX[$i]}" "${MAC[$i]}" "$BCAST" 8002 "$N"
done
sent_by "each nested host's broadcasts leave by its own uplink, and no other" \
	8002 1 1 2 2 3 3 4 4
for i in "${HOSTS[@]}"; do
	frames_send "${TX[$i]}" "${MAC[$i]}" "$mr" 8003 "$N"
done
sent_by "so does its known unicast to r, learned on one uplink for all" \
	8003 1 1 2 2 3 3 4 4
pings()
{
	nsw_ping "$h1" 10.0.0.100 3 && nsw_ping "$r" 10.0.0.4 3
}
check "h1 pings r, r pings h4" pings

# --- failover --------------------------------------------------------------

nsw_ip "$phys" "link set p1 down"
check "up1 lost its carrier (p1 down)" busywait "$NSW_WAIT_MS" \
	nsw_carrier "$sw" up1 0
frames_send "${TX[1]}" "${MAC[1]}" "$BCAST" 8004 "$N"
frames_send "${TX[2]}" "${MAC[2]}" "$BCAST" 8004 "$N"
sent_by "up1 down: h1 goes by the standby up5, h2 still by up2" \
	8004 1 5 2 2
frames_send "$tx_r" "$mr" "$BCAST" 8005 "$N"
check_seen "r's broadcasts reach h1 once, by up5" \
	"$N" "${CAP_H[1]}" "$(frame_to_re 8005 "$BCAST")" \
	"$N" "${CAP_H[2]}" "$(frame_to_re 8005 "$BCAST")"
check "h1 pings r by the standby" nsw_ping "$h1" 10.0.0.100 3

# a renamed uplink is not the one the port groups name any more
nsw_ip "$sw" "link set up5 down" "link set up5 name spare" "link set spare up"
nsw_drops_mark "$sw"	# counters by name: after the rename
frames_send "${TX[1]}" "${MAC[1]}" "$mr" 8006 "$N"
check_nsw_drops "up5 renamed spare: h1 has no uplink, its frames to r dropped" \
	"$sw" v1 no-destination "$N"
check "pg show: pg1 still names up5" nsw_shows "$sw" pg show dev sw0 \
	name pg1 "standby-uplinks up5"
nsw_ip "$sw" "link set spare down" "link set spare name up5" "link set up5 up"
busywait "$NSW_WAIT_MS" nsw_carrier "$sw" up5 1
frames_send "${TX[1]}" "${MAC[1]}" "$mr" 8007 "$N"
sent_by "renamed up5 again: h1's frames to r go by it" 8007 1 5

# --- failback ---------------------------------------------------------------

nsw_ip "$phys" "link set p1 up"
check "up1 has its carrier again" busywait "$NSW_WAIT_MS" \
	nsw_carrier "$sw" up1 1
# tcpdump on p1 may have ended with its device: a new capture
cap_start "CAP_P[1]" "$phys" p1 || ktap_info "cannot restart tcpdump on p1"
frames_send "${TX[1]}" "${MAC[1]}" "$BCAST" 8008 "$N"
sent_by "up1 back: h1 goes by up1 again" 8008 1 1

# --- back to every uplink ------------------------------------------------------

check "pg set ... active-uplinks all standby-uplinks none" \
	nsw_tool "$sw" pg set dev sw0 name pg2 active-uplinks all \
	standby-uplinks none
check "-j: both empty" nsw_shows "$sw" -j pg show dev sw0 name pg2 \
	'"active-uplinks":[],"standby-uplinks":[]'
# copies PORT I: how many of host I's frames with PORT the uplinks sent
copies()
{
	local p n=0

	for p in 1 2 3 4 5; do
		n=$((n + $(cap_count "${CAP_P[$p]}" "^${MAC[$2]} > .*$(frame_re "$1")")))
	done
	echo "$n"
}

__copies_reached()
{
	(($(copies "$1" "$2") >= $3))
}

frames_send "${TX[2]}" "${MAC[2]}" "$BCAST" 8009 "$N"
busywait "$NSW_WAIT_MS" __copies_reached 8009 2 "$N"
__settle
check_eq "h2 now uses one of the five: $N copies of its $N broadcasts in all" \
	"$(copies 8009 2)" "$N"

# --- refusals -----------------------------------------------------------------

check "the module refuses an uplink named both active and standby" \
	nsw_exits 2 nsw_tool "$sw" pg set dev sw0 name pg1 standby-uplinks up1
check "the tool refuses a name with a slash" \
	nsw_exits 1 nsw_tool "$sw" pg set dev sw0 name pg1 active-uplinks a/b
check "and 33 names" nsw_exits 1 nsw_tool "$sw" pg set dev sw0 name pg1 \
	active-uplinks "$(printf 'u%d,' {1..32})u33"
check "pg1 is as it was" nsw_shows "$sw" pg show dev sw0 name pg1 \
	" active-uplinks up1 standby-uplinks up5"

# the 33rd uplink of a switch
add_dummies()
{
	local i lines=()

	for ((i = 6; i <= 33; i++)); do
		lines+=("link add up$i type dummy" "link set up$i master sw0")
	done
	nsw_ip "$sw" "${lines[@]}" || return
	for ((i = 6; i <= 32; i++)); do
		nsw_tool "$sw" port set dev "up$i" role uplink || return
	done
}
check "32 uplinks (27 dummies more)" add_dummies
check "the 33rd is refused" nsw_exits 2 nsw_tool "$sw" port set dev up33 \
	role uplink
one_goes()
{
	nsw_ip "$sw" "link del up6" &&
	nsw_tool "$sw" port set dev up33 role uplink
}
check "after one goes, the 33rd fits" one_goes
frames_send "${TX[3]}" "${MAC[3]}" "$BCAST" 8010 "$N"
sent_by "h3 still goes by up3" 8010 3 3

check_kmsg
ktap_finished

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `ip -s link` numbers. The switch device counts what the host stack sends
# into the switch through sw0 (tx) and what the switch delivers to the host
# stack (rx); frames between ports do not touch them. Ports keep their own
# counters: a port's rx is what its guest sent into the switch, its tx what
# the switch sent to the guest. Frames the switch has nowhere to send are
# counted in sw0's rx_dropped/tx_dropped.
#
# Neighbours are static (no ARP) and IPv6 is off, so every frame counted is
# one the test sent: a ping is one 98-byte frame each way (56 data bytes,
# ICMP 8, IPv4 20, Ethernet 14).
#
#      g1 10.0.0.11                     g2 10.0.0.12
#     +------------+                   +------------+
#     |    eth0    |                   |    eth0    |
#     +-----|------+                   +-----|------+
#           | veth                           | veth
#     +-----|--------------------------------|------+
#     |    vp1 ------------ sw0 ----------- vp2     |
#     |           10.0.0.1/24 (the host's port)     |
#     +---------------------------------------------+
#                       netns sw
#
# 02:00:00:00:00:99 (10.0.0.99 for g1) is nobody's, and there is no uplink.

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=10		# pings per case
M=5		# broadcasts, unknown unicast frames per case
LEN=98		# bytes of one ping frame, Ethernet header included
LEN_L3=84	# the same without it (the Linux bridge's rx_bytes convention)

ktap_header
nsw_require ip ping
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 22
nsw_kmsg_mark
declare sw g1 g2
setup_ns sw g1 g2 || ktap_bail "cannot create namespaces"

setup()
{
	local m1 m2 msw

	nsw_switch_add "$sw" sw0 10.0.0.1/24 &&
	nsw_veth_port "$sw" sw0 vp1 "$g1" 10.0.0.11/24 &&
	nsw_veth_port "$sw" sw0 vp2 "$g2" 10.0.0.12/24 || return
	m1=$(nsw_mac "$g1" eth0) && m2=$(nsw_mac "$g2" eth0) &&
	msw=$(nsw_mac "$sw" sw0) || return
	nsw_neigh "$sw" sw0 10.0.0.11 "$m1" 10.0.0.12 "$m2" &&
	nsw_neigh "$g1" eth0 10.0.0.1 "$msw" 10.0.0.12 "$m2" \
		10.0.0.99 02:00:00:00:00:99 &&
	nsw_neigh "$g2" eth0 10.0.0.1 "$msw" 10.0.0.11 "$m1"
}
setup || ktap_bail "cannot build the topology"

mark()
{
	cnt_mark "$sw" "$g1" "$g2"
}

# ip_s_agrees NS DEV: `ip -s link` prints the numbers of sysfs
ip_s_agrees()
{
	local out stat want got lines b p i

	out=$(in_ns "$1" ip -s link show dev "$2") || return
	echo "$out"
	# "RX:  bytes packets errors dropped ..." and the numbers below
	mapfile -t lines <<<"$out"
	for stat in rx tx; do
		want="$(cnt_get "$1" "$2" "${stat}_bytes") $(cnt_get "$1" "$2" "${stat}_packets")"
		got=
		for ((i = 0; i + 1 < ${#lines[@]}; i++)); do
			[[ ${lines[i],,} =~ ^\ *$stat:\ +bytes ]] || continue
			read -r b p _ <<<"${lines[i + 1]}"
			got="$b $p"
		done
		[[ $got == "$want" ]] || {
			echo "$stat: ip -s says '$got', sysfs '$want'"
			return 1
		}
	done
}

# --- the host pings g1 ----------------------------------------------------

mark
check "the host pings g1 $N times" nsw_ping "$sw" 10.0.0.11 "$N"
check_cnt "sw0 counts the host's $N requests as tx and $N replies as rx" \
	"$sw" sw0 tx_packets "$N" "$sw" sw0 rx_packets "$N"
check_cnt "sw0 counts $((N * LEN)) bytes each way (rx may leave out the Ethernet header)" \
	"$sw" sw0 tx_bytes $((N * LEN)) "$sw" sw0 rx_bytes "$((N * LEN))|$((N * LEN_L3))"
check_cnt "port vp1 sends g1 $N frames and receives $N from it" \
	"$sw" vp1 tx_packets "$N" "$sw" vp1 rx_packets "$N"
check_cnt "g1's eth0 receives $N and sends $N" \
	"$g1" eth0 rx_packets "$N" "$g1" eth0 tx_packets "$N"
check_cnt "g2 and its port vp2 see none of it" \
	"$sw" vp2 tx_packets 0 "$g2" eth0 rx_packets 0
check_cnt "no drop is counted on sw0" "$sw" sw0 rx_dropped+tx_dropped 0

# --- g1 pings g2 ----------------------------------------------------------

mark
check "g1 pings g2 $N times" nsw_ping "$g1" 10.0.0.12 "$N"
check_cnt "ports vp1 and vp2 each receive $N and send $N" \
	"$sw" vp1 rx_packets "$N" "$sw" vp1 tx_packets "$N" \
	"$sw" vp2 rx_packets "$N" "$sw" vp2 tx_packets "$N"
check_cnt "frames between ports do not count on sw0" \
	"$sw" sw0 rx_packets 0 "$sw" sw0 tx_packets 0
check_cnt "no drop is counted on sw0" "$sw" sw0 rx_dropped+tx_dropped 0

# --- g2 pings the host ----------------------------------------------------

mark
check "g2 pings the host $N times" nsw_ping "$g2" 10.0.0.1 "$N"
check_cnt "sw0 counts $N rx (requests up the host stack) and $N tx (replies)" \
	"$sw" sw0 rx_packets "$N" "$sw" sw0 tx_packets "$N"
check_cnt "g1's port vp1 sees none of it" "$sw" vp1 tx_packets 0

# --- broadcast ------------------------------------------------------------

mark
nsw_ping_nowait "$sw" 10.0.0.255 "$M" -b
check_cnt "a broadcast from the host counts once on sw0 tx and goes out of vp1 and vp2" \
	"$sw" sw0 tx_packets "$M" "$sw" vp1 tx_packets "$M" "$sw" vp2 tx_packets "$M"
check_cnt "the host's broadcast does not come back to it (sw0 rx)" \
	"$sw" sw0 rx_packets 0

mark
nsw_ping_nowait "$g1" 10.0.0.255 "$M" -b
check_cnt "a broadcast from g1 counts on sw0 rx and goes out of vp2" \
	"$sw" sw0 rx_packets "$M" "$sw" vp2 tx_packets "$M"
check_cnt "g1's broadcast does not go back out of vp1" "$sw" vp1 tx_packets 0

# --- drops ----------------------------------------------------------------

mark
nsw_udp "$g1" 10.0.0.99 9 "$M"
check_cnt "$M unknown unicast frames with no uplink: vp1 receives them, sw0 counts $M drops" \
	"$sw" vp1 rx_packets "$M" "$sw" sw0 rx_dropped+tx_dropped "$M"
check_cnt "and nothing goes out of vp2 or up to the host" \
	"$sw" vp2 tx_packets 0 "$sw" sw0 rx_packets 0

check "ip -s link on sw0 shows the numbers above" ip_s_agrees "$sw" sw0
check_kmsg
ktap_finished

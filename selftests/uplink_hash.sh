#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A switch with two uplinks. What a guest floods (broadcast, unknown
# unicast) leaves by exactly one uplink, the one its source port hashes
# to, so the physical network never gets two copies; with eight guests
# both uplinks carry traffic. A frame from one uplink never goes out of
# the other (no loop between the physical networks). When an uplink goes
# away, administratively down on the switch side or without carrier (its
# far side down), the sources that hashed to it move to the other.
#
# Eight guests share one namespace (g1..g8, each the peer of a port of
# sw0) and send raw frames (ethertype 0x88b5) through packet sockets; the
# two "physical" namespaces capture what each uplink brings them. The
# physical network's floods reach a guest by its own uplink only.
#
#                       netns gs: g1 .. g8 (02:00:00:00:01:0N)
#                          |  |  |  |  |  |  |  |   veth
#   +----------------------|--|--|--|--|--|--|--|----------------------+
#   |                     vg1 ...                vg8  (guests)          |
#   |   sw0 (nestsw)                                                   |
#   |          up1 (uplink)                 up2 (uplink)               |
#   +-----------|-----------------------------|-------------------------+
#               | veth          netns sw      | veth
#   +-----------|-----------+     +-----------|-----------+
#   |   eth0  netns p1      |     |   eth0  netns p2      |
#   +-----------------------+     +-----------------------+

# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

PY=/usr/bin/python3
N=4		# frames per guest and case
GUESTS=8

ktap_header
nsw_require ip tcpdump "$PY"
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 11
nsw_kmsg_mark
declare sw gs p1 p2
setup_ns sw gs p1 p2 || ktap_bail "cannot create namespaces"

gmac()
{
	printf '02:00:00:00:01:%02x' "$1"
}

setup()
{
	local i sw_lines=() gs_lines=()

	sw_lines=("link add sw0 type nestsw" "link set sw0 up"
		  "link add up1 type veth peer name eth0 netns $p1"
		  "link add up2 type veth peer name eth0 netns $p2"
		  "link set up1 master sw0" "link set up2 master sw0"
		  "link set up1 up" "link set up2 up")
	for ((i = 1; i <= GUESTS; i++)); do
		sw_lines+=("link add vg$i type veth peer name g$i address $(gmac "$i") netns $gs"
			   "link set vg$i master sw0" "link set vg$i up")
		gs_lines+=("link set g$i up")
	done
	nsw_ip "$sw" "${sw_lines[@]}" &&
	nsw_ip "$gs" "${gs_lines[@]}" &&
	nsw_ip "$p1" "link set eth0 up" &&
	nsw_ip "$p2" "link set eth0 up" &&
	nsw_tool "$sw" port set dev up1 role uplink &&
	nsw_tool "$sw" port set dev up2 role uplink
}
setup || ktap_bail "cannot build the topology"

# send NS DST COUNT DEV...: COUNT raw frames to DST out of each DEV, from
# DEV's MAC, ethertype 0x88b5 (local experimental)
send()
{
	local ns=$1 dst=$2 count=$3; shift 3

	NSW_TRAFFIC=$((NSW_TRAFFIC + 1))
	# shellcheck disable=SC2016 # Python
	in_ns "$ns" "$PY" -c '
import socket, sys
dst = bytes.fromhex(sys.argv[1].replace(":", ""))
for dev in sys.argv[3:]:
    with open("/sys/class/net/%s/address" % dev) as f:
        src = bytes.fromhex(f.read().strip().replace(":", ""))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((dev, 0))
    for i in range(int(sys.argv[2])):
        s.send(dst + src + b"\x88\xb5" + b"nestsw uplink hash".ljust(46, b"\0"))
' "$dst" "$count" "$@"
}

GDEVS=()
for ((i = 1; i <= GUESTS; i++)); do
	GDEVS+=("g$i")
done

re_frame()
{
	echo "^$1 > $2, .*0x88b5"
}

declare cap1 cap2
captures()
{
	cap_start cap1 "$p1" eth0 && cap_start cap2 "$p2" eth0
}
captures || ktap_bail "cannot start tcpdump"

# COUNT1[i], COUNT2[i]: guest i's frames to DST seen on p1, p2
declare -a COUNT1 COUNT2
# shellcheck disable=SC2317 # called through busywait
__all_arrived()
{
	local dst=$1 want=$2 i n=0

	for ((i = 1; i <= GUESTS; i++)); do
		n=$((n + $(cap_count "$cap1" "$(re_frame "$(gmac "$i")" "$dst")") +
			 $(cap_count "$cap2" "$(re_frame "$(gmac "$i")" "$dst")")))
	done
	((n >= want))
}

# count_frames DST: wait for the guests' N frames each, then fill COUNT1/2
count_frames()
{
	local dst=$1 i re

	busywait "$NSW_WAIT_MS" __all_arrived "$dst" $((GUESTS * N))
	NSW_SETTLED=-1
	__settle
	for ((i = 1; i <= GUESTS; i++)); do
		re=$(re_frame "$(gmac "$i")" "$dst")
		COUNT1[i]=$(cap_count "$cap1" "$re")
		COUNT2[i]=$(cap_count "$cap2" "$re")
	done
}

counts_info()
{
	local i out="frames per guest on p1/p2:"

	for ((i = 1; i <= GUESTS; i++)); do
		out+=" g$i ${COUNT1[i]}/${COUNT2[i]}"
	done
	ktap_info "$out"
}

# check_one_uplink DESC: each guest's N frames all went out of one uplink
check_one_uplink()
{
	local i ok=1

	counts_info
	for ((i = 1; i <= GUESTS; i++)); do
		if ! [[ ${COUNT1[i]}/${COUNT2[i]} == "$N/0" ||
			${COUNT1[i]}/${COUNT2[i]} == "0/$N" ]]; then
			ok=0
		fi
	done
	if ((ok)); then ktap_ok "$1"; else ktap_fail "$1"; fi
}

# check_both_used DESC: some guest's frames went by up1, another's by up2
check_both_used()
{
	local i on1=0 on2=0

	for ((i = 1; i <= GUESTS; i++)); do
		((COUNT1[i] > 0)) && on1=$((on1 + 1))
		((COUNT2[i] > 0)) && on2=$((on2 + 1))
	done
	ktap_info "guests using up1: $on1, up2: $on2"
	if ((on1 > 0 && on2 > 0)); then ktap_ok "$1"; else ktap_fail "$1"; fi
}

# check_all_on UPLINK DESC: every guest's N frames went by UPLINK (1, 2)
check_all_on()
{
	local up=$1 i ok=1 want

	counts_info
	for ((i = 1; i <= GUESTS; i++)); do
		want="0/$N"
		((up == 1)) && want="$N/0"
		[[ ${COUNT1[i]}/${COUNT2[i]} == "$want" ]] || ok=0
	done
	if ((ok)); then ktap_ok "$2"; else ktap_fail "$2"; fi
}

# --- broadcast ----------------------------------------------------------

send "$gs" ff:ff:ff:ff:ff:ff "$N" "${GDEVS[@]}"
count_frames ff:ff:ff:ff:ff:ff
check_one_uplink "each guest's $N broadcasts leave by one uplink: one copy each, all by the same uplink"
check_both_used "the $GUESTS guests' broadcasts use both uplinks"
declare -a BCAST1=("${COUNT1[@]}")

# --- unknown unicast ----------------------------------------------------

send "$gs" 02:00:00:00:00:99 "$N" "${GDEVS[@]}"
count_frames 02:00:00:00:00:99
check_one_uplink "each guest's $N unknown unicast frames leave by one uplink, one copy each"
check_both_used "the $GUESTS guests' unknown unicast uses both uplinks"
declare -a UCAST1=("${COUNT1[@]}")
check_eq "each guest's unknown unicast takes the uplink its broadcasts took" \
	"${UCAST1[*]}" "${BCAST1[*]}"

# --- from an uplink ------------------------------------------------------

# A guest gets the physical network's floods by the uplink it sends by:
# a physical network floods to every uplink (uplink_teaming.sh).
P1_MAC=$(nsw_mac "$p1" eth0)
cnt_mark "$sw"
send "$p1" ff:ff:ff:ff:ff:ff "$N" eth0
send "$p1" 02:00:00:00:00:98 "$N" eth0
declare -a by_up1=()
for ((i = 1; i <= GUESTS; i++)); do
	want=0
	((BCAST1[i - 1] == N)) && want=$N
	by_up1+=("$sw" "vg$i" tx_packets "$want")
done
check_cnt "p1's broadcasts reach the guests that send by up1, only them; never up2" \
	"${by_up1[@]}" "$sw" up2 tx_packets 0
check_seen "p2 sees none of p1's broadcast or unknown unicast frames" \
	0 "$cap2" "^$P1_MAC > "

# --- an uplink goes away --------------------------------------------------

nsw_ip "$sw" "link set up1 down"
send "$gs" 02:00:00:00:00:97 "$N" "${GDEVS[@]}"
count_frames 02:00:00:00:00:97
check_all_on 2 "with up1 down, every guest's unknown unicast leaves by up2, $N each"

nsw_ip "$sw" "link set up1 up"
nsw_ip "$p1" "link set eth0 down"
busywait "$NSW_WAIT_MS" nsw_carrier "$sw" up1 0 || ktap_info "up1 still has carrier"
send "$gs" 02:00:00:00:00:96 "$N" "${GDEVS[@]}"
count_frames 02:00:00:00:00:96
check_all_on 2 "with up1's carrier off (p1 down), every guest's unknown unicast leaves by up2"

# tcpdump on p1 may have ended with its device: a new capture
nsw_ip "$p1" "link set eth0 up"
busywait "$NSW_WAIT_MS" nsw_carrier "$sw" up1 1 || ktap_info "up1 has no carrier"
cap_start cap1 "$p1" eth0 || ktap_info "cannot restart tcpdump on p1"
send "$gs" 02:00:00:00:00:95 "$N" "${GDEVS[@]}"
count_frames 02:00:00:00:00:95
check_eq "with up1 back, each guest takes the uplink it took at first" \
	"${COUNT1[*]}" "${UCAST1[*]}"

check_kmsg
ktap_finished

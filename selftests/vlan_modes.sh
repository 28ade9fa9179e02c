#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The VLAN setting of a port group: 0 untagged, 1..4094 access (frames
# tagged on ingress, untagged on egress), 4095 trunk (tagged frames pass as
# they are, untagged ones are VLAN 0). A guest on an access port that sends
# tagged frames has them dropped (drop reason vlan). The host's sw0 is a
# trunk: sw0.10 is the host in VLAN 10. An uplink in a trunk group carries
# the access ports' frames out tagged.
#
#   a1           a2           b1           u1           t1
#   eth0         eth0         eth0         eth0         eth0 10.0.0.33
#   10.0.10.11   10.0.10.12   10.0.10.21   10.0.0.31    eth0.10 10.0.10.13
#   (eth0.10
#   10.0.110.11)
#     |            |            |            |            |
#    va1          va2          vb1          vu1          vt1          vup
#   pg v10       pg v10       pg v20       pg default   pg trunk     pg upl
#   vlan 10      vlan 10      vlan 20      untagged     trunk        trunk,
#     |            |            |            |            |          uplink
#   +-------------------------------------------------------------+    |
#   |  sw0 10.0.0.1/24, sw0.10 10.0.10.1/24        (netns sw)      |----+
#   +-------------------------------------------------------------+    |
#                                                                 up   |
#                                          eth0 10.0.0.100, eth0.10 10.0.10.100
#
# b1 has an address in VLAN 10's subnet on purpose: only the VLAN keeps it
# apart. Neighbours are static, no ARP; a1 also knows 10.0.10.21 and
# 10.0.10.31 by b1's and u1's MACs (u1's address is 10.0.0.31): MACs known
# to the switch, but not in VLAN 10.

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=3		# frames per case
PY=/usr/bin/python3

ktap_header
nsw_require ip ping tcpdump "$PY"
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 27
nsw_kmsg_mark
declare sw a1 a2 b1 u1 t1 up
setup_ns sw a1 a2 b1 u1 t1 up || ktap_bail "cannot create namespaces"

nsw()
{
	nsw_tool "$sw" "$@"
}

declare ma1 ma2 mb1 mu1 mt1 mup msw
setup()
{
	nsw_switch_add "$sw" sw0 10.0.0.1/24 &&
	nsw_veth_port "$sw" sw0 va1 "$a1" 10.0.10.11/24 &&
	nsw_veth_port "$sw" sw0 va2 "$a2" 10.0.10.12/24 &&
	nsw_veth_port "$sw" sw0 vb1 "$b1" 10.0.10.21/24 &&
	nsw_veth_port "$sw" sw0 vu1 "$u1" 10.0.0.31/24 &&
	nsw_veth_port "$sw" sw0 vt1 "$t1" 10.0.0.33/24 &&
	nsw_veth_port "$sw" sw0 vup "$up" 10.0.0.100/24 || return
	nsw pg add dev sw0 name v10 vlan 10 &&
	nsw pg add dev sw0 name v20 vlan 20 &&
	nsw pg add dev sw0 name trunk vlan trunk &&
	nsw pg add dev sw0 name upl vlan trunk &&
	nsw port set dev va1 pg v10 &&
	nsw port set dev va2 pg v10 &&
	nsw port set dev vb1 pg v20 &&
	nsw port set dev vt1 pg trunk &&
	nsw port set dev vup pg upl role uplink || return
	nsw_ip "$sw" "link add link sw0 name sw0.10 type vlan id 10" \
		"addr add 10.0.10.1/24 dev sw0.10" "link set sw0.10 up" &&
	nsw_ip "$t1" "link add link eth0 name eth0.10 type vlan id 10" \
		"addr add 10.0.10.13/24 dev eth0.10" "link set eth0.10 up" &&
	nsw_ip "$up" "link add link eth0 name eth0.10 type vlan id 10" \
		"addr add 10.0.10.100/24 dev eth0.10" "link set eth0.10 up" &&
	nsw_ip "$a1" "link add link eth0 name eth0.10 type vlan id 10" \
		"addr add 10.0.110.11/24 dev eth0.10" "link set eth0.10 up" ||
		return
	ma1=$(nsw_mac "$a1" eth0) && ma2=$(nsw_mac "$a2" eth0) &&
	mb1=$(nsw_mac "$b1" eth0) && mu1=$(nsw_mac "$u1" eth0) &&
	mt1=$(nsw_mac "$t1" eth0) && mup=$(nsw_mac "$up" eth0) &&
	msw=$(nsw_mac "$sw" sw0) || return
	nsw_neigh "$a1" eth0 10.0.10.12 "$ma2" 10.0.10.13 "$mt1" \
		10.0.10.1 "$msw" 10.0.10.100 "$mup" \
		10.0.10.21 "$mb1" 10.0.10.31 "$mu1" &&
	nsw_neigh "$a2" eth0 10.0.10.11 "$ma1" &&
	nsw_neigh "$t1" eth0.10 10.0.10.11 "$ma1" &&
	nsw_neigh "$t1" eth0 10.0.0.31 "$mu1" &&
	nsw_neigh "$u1" eth0 10.0.0.33 "$mt1" &&
	nsw_neigh "$sw" sw0.10 10.0.10.11 "$ma1" &&
	nsw_neigh "$up" eth0.10 10.0.10.11 "$ma1"
}
setup || ktap_bail "cannot build the topology"

declare cap_a1 cap_a2 cap_b1 cap_u1 cap_t1 cap_up cap_host
captures()
{
	cap_start cap_a1 "$a1" eth0 &&
	cap_start cap_a2 "$a2" eth0 &&
	cap_start cap_b1 "$b1" eth0 &&
	cap_start cap_u1 "$u1" eth0 &&
	cap_start cap_t1 "$t1" eth0 &&
	cap_start cap_up "$up" eth0 &&
	cap_start cap_host "$sw" sw0
}
captures || ktap_bail "cannot start tcpdump"

# --- helpers --------------------------------------------------------------

# tcpdump -e lines: an untagged or a tagged ICMP echo KIND (request,
# reply) from SRC to DST, or one either way
icmp()
{
	echo "${1//./\\.} > ${2//./\\.}: ICMP echo $3"
}

untagged()
{
	echo "^[0-9a-f:]{17} > [0-9a-f:]{17}, ethertype IPv4 \\(0x0800\\), length [0-9]+: $(icmp "$@")"
}

tagged()
{
	local vid=$1; shift

	echo "ethertype 802\\.1Q \\(0x8100\\), length [0-9]+: vlan $vid, p 0, ethertype IPv4 \\(0x0800\\), $(icmp "$@")"
}

# drop NS PORT REASON: the drop counter of PORT for REASON (nestsw -s)
PY_DROP='import json, sys
print(json.load(sys.stdin)[0]["drops"][sys.argv[1]])'
drop()
{
	in_ns_sh "$sw" "$(printf '%q -j -s port show dev %q | %q -c %q %q' \
		"$NSW_TOOL" "$1" "$PY" "$PY_DROP" "$2")"
}

declare -A DROP_MARK
drop_mark()
{
	DROP_MARK[$1|$2]=$(drop "$1" "$2")
}

__drop_reached()
{
	local n

	n=$(drop "$1" "$2") && ((n - ${DROP_MARK[$1|$2]:-0} >= $3))
}

# check_drop DESC PORT REASON WANT: moved by WANT since drop_mark
check_drop()
{
	local desc=$1 port=$2 reason=$3 want=$4 n d

	if ((want == 0)); then
		__settle
	else
		busywait "$NSW_WAIT_MS" __drop_reached "$port" "$reason" "$want"
	fi
	n=$(drop "$port" "$reason")
	d=$((n - ${DROP_MARK[$port|$reason]:-0}))
	ktap_info "nestsw -s port show dev $port: drops $reason +$d (want +$want)"
	if ((d == want)); then
		ktap_ok "$desc"
		return 0
	fi
	ktap_fail "$desc"
	return 1
}

# --- access ports of one VLAN -------------------------------------------

drop_mark va1 vlan
check "a1 pings a2, both access ports in VLAN 10" nsw_ping "$a1" 10.0.10.12 "$N"
check_seen "a2 receives the requests untagged, a1 the replies untagged" \
	"$N" "$cap_a2" "$(untagged 10.0.10.11 10.0.10.12 request)" \
	"$N" "$cap_a1" "$(untagged 10.0.10.12 10.0.10.11 reply)"
check_drop "an untagged frame on an access port is no vlan drop" va1 vlan 0

re=$(icmp 10.0.10.11 10.0.10.255 request)
nsw_ping_nowait "$a1" 10.0.10.255 "$N" -b
check_seen "a1's broadcast reaches a2 untagged; t1, the host and the uplink tagged 10" \
	"$N" "$cap_a2" "$(untagged 10.0.10.11 10.0.10.255 request)" \
	"$N" "$cap_t1" "$(tagged 10 10.0.10.11 10.0.10.255 request)" \
	"$N" "$cap_host" "$(tagged 10 10.0.10.11 10.0.10.255 request)" \
	"$N" "$cap_up" "$(tagged 10 10.0.10.11 10.0.10.255 request)"
check_seen "it reaches neither b1 (VLAN 20) nor u1 (untagged)" \
	0 "$cap_b1" "$re" 0 "$cap_u1" "$re"

re=$(icmp 10.0.10.21 10.0.10.255 request)
nsw_ping_nowait "$b1" 10.0.10.255 "$N" -b
check_seen "b1's broadcast reaches t1 and the uplink tagged 20" \
	"$N" "$cap_t1" "$(tagged 20 10.0.10.21 10.0.10.255 request)" \
	"$N" "$cap_up" "$(tagged 20 10.0.10.21 10.0.10.255 request)"
check_seen "it reaches no VLAN 10 port (a1, a2), not u1, not the host's sw0.10" \
	0 "$cap_a1" "$re" 0 "$cap_a2" "$re" 0 "$cap_u1" "$re" \
	0 "$cap_host" "$(tagged 10 10.0.10.21 10.0.10.255 request)"

re1=$(icmp 10.0.10.11 10.0.10.21 request)
re2=$(icmp 10.0.10.11 10.0.10.31 request)
nsw_ping_nowait "$a1" 10.0.10.21 "$N"
nsw_ping_nowait "$a1" 10.0.10.31 "$N"
check_seen "a1's unicast to b1's and u1's MACs reaches neither: not in VLAN 10" \
	0 "$cap_b1" "$re1" 0 "$cap_u1" "$re2" 0 "$cap_t1" "$re1" 0 "$cap_t1" "$re2"
check_seen "as unknown unicast in VLAN 10 it leaves by the uplink, tagged 10" \
	"$N" "$cap_up" "$(tagged 10 10.0.10.11 10.0.10.21 request)" \
	"$N" "$cap_up" "$(tagged 10 10.0.10.11 10.0.10.31 request)"

# --- access port and trunk -------------------------------------------------

check "a1 (access 10) pings t1's eth0.10 on the trunk" \
	nsw_ping "$a1" 10.0.10.13 "$N"
check_seen "t1 receives the requests tagged 10, a1 the replies untagged" \
	"$N" "$cap_t1" "$(tagged 10 10.0.10.11 10.0.10.13 request)" \
	"$N" "$cap_a1" "$(untagged 10.0.10.13 10.0.10.11 reply)"
check_seen "no other port sees them" \
	0 "$cap_a2" "$(icmp 10.0.10.11 10.0.10.13 request)" \
	0 "$cap_b1" "$(icmp 10.0.10.13 10.0.10.11 reply)" \
	0 "$cap_up" "$(icmp 10.0.10.11 10.0.10.13 request)"

check "a1 pings the host's sw0.10 (the host's port is a trunk)" \
	nsw_ping "$a1" 10.0.10.1 "$N"
check_seen "sw0 receives the requests tagged 10, a1 the replies untagged" \
	"$N" "$cap_host" "$(tagged 10 10.0.10.11 10.0.10.1 request)" \
	"$N" "$cap_a1" "$(untagged 10.0.10.1 10.0.10.11 reply)"

# --- a frame the host tags itself -------------------------------------------

# host_tagged VID PORT: the host sends N UDP broadcasts from 10.0.10.1 to
# PORT with an 802.1Q header of VLAN VID in the frame itself, through a
# packet socket on sw0 (sw0.10's tag comes out of band; this one does not)
PY_SEND='import socket, struct, sys
dev, src, vid, port, n = sys.argv[1:]
data = b"nestsw"
udp = struct.pack("!HHHH", 40000, int(port), 8 + len(data), 0) + data
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                 socket.inet_aton("10.0.10.1"), socket.inet_aton("10.0.10.255"))
c = sum(struct.unpack("!10H", ip))
c = (c & 0xffff) + (c >> 16)
ip = ip[:10] + struct.pack("!H", ~(c + (c >> 16)) & 0xffff) + ip[12:]
eth = b"\xff" * 6 + bytes.fromhex(src.replace(":", ""))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((dev, 0))
for i in range(int(n)):
    s.send(eth + struct.pack("!HHH", 0x8100, int(vid), 0x0800) + ip + udp)'
host_tagged()
{
	NSW_TRAFFIC=$((NSW_TRAFFIC + 1))
	in_ns "$sw" "$PY" -c "$PY_SEND" sw0 "$msw" "$1" "$2" "$N"
}

udp_bcast()
{
	echo "10\\.0\\.10\\.1\\.40000 > 10\\.0\\.10\\.255\\.$1: UDP"
}

check "the host sends $N broadcasts tagged 10 in the frame through a packet socket on sw0" \
	host_tagged 10 5010
re=$(udp_bcast 5010)
check_seen "they are VLAN 10: a1, a2 receive them untagged, t1 and the uplink tagged 10" \
	"$N" "$cap_a1" "^[0-9a-f:]{17} > ff:ff:ff:ff:ff:ff, ethertype IPv4 \\(0x0800\\), length [0-9]+: $re" \
	"$N" "$cap_a2" "^[0-9a-f:]{17} > ff:ff:ff:ff:ff:ff, ethertype IPv4 \\(0x0800\\), length [0-9]+: $re" \
	"$N" "$cap_t1" "vlan 10, p 0, ethertype IPv4 \\(0x0800\\), $re" \
	"$N" "$cap_up" "vlan 10, p 0, ethertype IPv4 \\(0x0800\\), $re"
check_seen "they reach neither b1 (VLAN 20) nor u1 (untagged)" \
	0 "$cap_b1" "$re" 0 "$cap_u1" "$re"

# --- a tagged frame from an access port ------------------------------------

re=$(icmp 10.0.110.11 10.0.110.255 request)
drop_mark va1 vlan
nsw_ping_nowait "$a1" 10.0.110.255 "$N" -b
check_drop "a1's frames tagged 10 (from its eth0.10) are dropped: vlan" \
	va1 vlan "$N"
check_seen "they reach nobody: no guest, not the uplink, not the host" \
	0 "$cap_a2" "$re" 0 "$cap_b1" "$re" 0 "$cap_u1" "$re" 0 "$cap_t1" "$re" \
	0 "$cap_up" "$re" 0 "$cap_host" "$re"

# --- untagged ports and the trunk's untagged frames -------------------------

re=$(icmp 10.0.0.31 10.0.0.255 request)
nsw_ping_nowait "$u1" 10.0.0.255 "$N" -b
check_seen "u1's broadcast (untagged group) reaches t1, the host and the uplink untagged" \
	"$N" "$cap_t1" "$(untagged 10.0.0.31 10.0.0.255 request)" \
	"$N" "$cap_host" "$(untagged 10.0.0.31 10.0.0.255 request)" \
	"$N" "$cap_up" "$(untagged 10.0.0.31 10.0.0.255 request)"
check_seen "it reaches no access port: not a1, a2 (VLAN 10) nor b1 (VLAN 20)" \
	0 "$cap_a1" "$re" 0 "$cap_a2" "$re" 0 "$cap_b1" "$re"

check "t1's untagged eth0 pings u1: a trunk's untagged frames are VLAN 0" \
	nsw_ping "$t1" 10.0.0.31 "$N"
check_seen "u1 receives the requests untagged, t1 the replies untagged" \
	"$N" "$cap_u1" "$(untagged 10.0.0.33 10.0.0.31 request)" \
	"$N" "$cap_t1" "$(untagged 10.0.0.31 10.0.0.33 reply)"

re=$(icmp 10.0.0.33 10.0.0.255 request)
nsw_ping_nowait "$t1" 10.0.0.255 "$N" -b
check_seen "t1's untagged broadcast reaches u1, not the access ports a1, a2, b1" \
	"$N" "$cap_u1" "$(untagged 10.0.0.33 10.0.0.255 request)" \
	0 "$cap_a1" "$re" 0 "$cap_a2" "$re" 0 "$cap_b1" "$re"

# --- the uplink in a trunk group ------------------------------------------

check "a1 pings up's eth0.10 beyond the uplink" nsw_ping "$a1" 10.0.10.100 "$N"
check_seen "the uplink's far side sees the requests tagged 10, a1 the replies untagged" \
	"$N" "$cap_up" "$(tagged 10 10.0.10.11 10.0.10.100 request)" \
	"$N" "$cap_a1" "$(untagged 10.0.10.100 10.0.10.11 reply)"

check_kmsg
ktap_finished

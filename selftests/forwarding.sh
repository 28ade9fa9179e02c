#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Forwarding on one switch. The switch knows each veth port's guest MAC
# (the MAC of the peer, in the guest's netns) and its own MAC. Known
# unicast goes to that one port (or up the host stack for sw0's MAC);
# broadcast and multicast go to every port but the one they came in on,
# and to the host; unknown unicast goes to uplinks only, never to guest
# ports; nothing goes back out of the port it came in on.
#
# Every guest captures what its eth0 receives (tcpdump -Q in), and so does
# the host on sw0; the switch side's port counters back the captures up.
#
#    g1 10.0.0.11     g2 10.0.0.12     g3 10.0.0.13     up 10.0.0.100
#   +-----------+    +-----------+    +-----------+    +-----------+
#   |   eth0    |    |   eth0    |    |   eth0    |    |   eth0    |
#   +-----|-----+    +-----|-----+    +-----|-----+    +-----|-----+
#         | veth           | veth           | veth           | veth
#   +-----|----------------|----------------|----------------|-----+
#   |    vp1              vp2              vp3              vup    |
#   |   guest            guest            guest           uplink   |
#   |                                                              |
#   |              sw0 10.0.0.1/24 (the host's port)               |
#   +--------------------------------------------------------------+
#                               netns sw
#
# Unknown unicast: MACs 02:00:00:00:00:99 (10.0.0.99 for g1), :98
# (10.0.0.98 for up) and :96 (10.0.0.96 for the host) are nobody's; g1
# knows 10.0.0.97 by g1's own MAC.

# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=3	# frames per case

ktap_header
nsw_require ip ping tcpdump
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 23
nsw_kmsg_mark
declare sw g1 g2 g3 up
setup_ns sw g1 g2 g3 up || ktap_bail "cannot create namespaces"

setup()
{
	nsw_switch_add "$sw" sw0 10.0.0.1/24 &&
	nsw_veth_port "$sw" sw0 vp1 "$g1" 10.0.0.11/24 &&
	nsw_veth_port "$sw" sw0 vp2 "$g2" 10.0.0.12/24 &&
	nsw_veth_port "$sw" sw0 vp3 "$g3" 10.0.0.13/24 &&
	nsw_veth_port "$sw" sw0 vup "$up" 10.0.0.100/24 &&
	nsw_neigh "$g1" eth0 10.0.0.99 02:00:00:00:00:99 \
		10.0.0.97 "$(nsw_mac "$g1" eth0)" &&
	nsw_neigh "$up" eth0 10.0.0.98 02:00:00:00:00:98 &&
	nsw_neigh "$sw" sw0 10.0.0.96 02:00:00:00:00:96
}
setup || ktap_bail "cannot build the topology"

declare cap_g1 cap_g2 cap_g3 cap_up cap_host
captures()
{
	cap_start cap_g1 "$g1" eth0 &&
	cap_start cap_g2 "$g2" eth0 &&
	cap_start cap_g3 "$g3" eth0 &&
	cap_start cap_up "$up" eth0 &&
	cap_start cap_host "$sw" sw0
}
captures || ktap_bail "cannot start tcpdump"

# tcpdump -e -nn -t lines to count
icmp_req()
{
	echo "${1//./\\.} > ${2//./\\.}: ICMP echo request"
}

udp_to()
{
	echo " > ${1//./\\.}\\.$2: UDP"
}

# --- unknown unicast with no uplink ---------------------------------------

cnt_mark "$sw"
nsw_udp "$g1" 10.0.0.99 5001 "$N"
re=$(udp_to 10.0.0.99 5001)
check_cnt "g1's unknown unicast reaches the switch (vp1 receives $N)" \
	"$sw" vp1 rx_packets "$N"
check_seen "with no uplink it reaches nobody: no guest, not vup, not the host" \
	0 "$cap_g2" "$re" 0 "$cap_g3" "$re" 0 "$cap_up" "$re" 0 "$cap_host" "$re"

# --- vup becomes the uplink -----------------------------------------------

have_uplink=0
if [[ -x $NSW_TOOL ]]; then
	check "nestsw port set dev vup role uplink" \
		nsw_tool "$sw" port set dev vup role uplink && have_uplink=1
else
	ktap_skip "nestsw port set dev vup role uplink" "$NSW_TOOL not built"
fi

# --- known unicast --------------------------------------------------------

re=$(icmp_req 10.0.0.11 10.0.0.12)
check "g1 pings g2 through sw0" nsw_ping "$g1" 10.0.0.12 "$N"
check_seen "g2 receives g1's $N echo requests" "$N" "$cap_g2" "$re"
check_seen "g3, the uplink and the host do not see them" \
	0 "$cap_g3" "$re" 0 "$cap_up" "$re" 0 "$cap_host" "$re"

re=$(icmp_req 10.0.0.11 10.0.0.1)
check "g1 pings the host's address on sw0" nsw_ping "$g1" 10.0.0.1 "$N"
check_seen "the host receives g1's $N echo requests on sw0" "$N" "$cap_host" "$re"
check_seen "g2, g3 and the uplink do not see them" \
	0 "$cap_g2" "$re" 0 "$cap_g3" "$re" 0 "$cap_up" "$re"

# --- broadcast and multicast ----------------------------------------------

re=$(icmp_req 10.0.0.11 10.0.0.255)
nsw_ping_nowait "$g1" 10.0.0.255 "$N" -b
check_seen "a broadcast from g1 reaches g2, g3, the uplink and the host, once each" \
	"$N" "$cap_g2" "$re" "$N" "$cap_g3" "$re" "$N" "$cap_up" "$re" \
	"$N" "$cap_host" "$re"
check_seen "the broadcast does not come back to g1" 0 "$cap_g1" "$re"

re=$(icmp_req 10.0.0.12 224.0.0.1)
nsw_ping_nowait "$g2" 224.0.0.1 "$N" -I eth0
check_seen "a multicast from g2 reaches g1, g3, the uplink and the host, once each" \
	"$N" "$cap_g1" "$re" "$N" "$cap_g3" "$re" "$N" "$cap_up" "$re" \
	"$N" "$cap_host" "$re"
check_seen "the multicast does not come back to g2" 0 "$cap_g2" "$re"

# --- unknown unicast with an uplink ---------------------------------------

re=$(udp_to 10.0.0.99 5002)
desc_up="g1's unknown unicast reaches the uplink, $N frames"
desc_none="it reaches no guest port, not the host, and not g1 again"
desc_cnt="port counters agree: vup sends $N, vp2 and vp3 nothing"
if ((have_uplink)); then
	cnt_mark "$sw"
	nsw_udp "$g1" 10.0.0.99 5002 "$N"
	check_seen "$desc_up" "$N" "$cap_up" "$re"
	check_seen "$desc_none" 0 "$cap_g2" "$re" 0 "$cap_g3" "$re" \
		0 "$cap_host" "$re" 0 "$cap_g1" "$re"
	check_cnt "$desc_cnt" "$sw" vup tx_packets "$N" \
		"$sw" vp2 tx_packets 0 "$sw" vp3 tx_packets 0
else
	ktap_skip "$desc_up" "no uplink"
	ktap_skip "$desc_none" "no uplink"
	ktap_skip "$desc_cnt" "no uplink"
fi

re=$(udp_to 10.0.0.96 5005)
desc_up="the host's unknown unicast reaches the uplink, $N frames"
desc_none="it reaches no guest port"
if ((have_uplink)); then
	nsw_udp "$sw" 10.0.0.96 5005 "$N"
	check_seen "$desc_up" "$N" "$cap_up" "$re"
	check_seen "$desc_none" 0 "$cap_g1" "$re" 0 "$cap_g2" "$re" 0 "$cap_g3" "$re"
else
	ktap_skip "$desc_up" "no uplink"
	ktap_skip "$desc_none" "no uplink"
fi

# --- never back out of the ingress port -----------------------------------

re=$(udp_to 10.0.0.98 5003)
cnt_mark "$sw"
nsw_udp "$up" 10.0.0.98 5003 "$N"
check_cnt "unknown unicast from the uplink side reaches the switch (vup receives $N)" \
	"$sw" vup rx_packets "$N"
check_seen "it does not go back out of the uplink, nor to any guest or the host" \
	0 "$cap_up" "$re" 0 "$cap_g1" "$re" 0 "$cap_g2" "$re" 0 "$cap_g3" "$re" \
	0 "$cap_host" "$re"

re=$(udp_to 10.0.0.97 5004)
cnt_mark "$sw"
nsw_udp "$g1" 10.0.0.97 5004 "$N"
check_cnt "g1 sends $N frames to its own MAC into the switch (vp1 receives $N)" \
	"$sw" vp1 rx_packets "$N"
check_seen "they do not come back to g1 and go nowhere else" \
	0 "$cap_g1" "$re" 0 "$cap_g2" "$re" 0 "$cap_g3" "$re" 0 "$cap_up" "$re" \
	0 "$cap_host" "$re"

check_kmsg
ktap_finished

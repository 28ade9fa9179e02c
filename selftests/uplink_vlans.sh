#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An uplink limited to some VLANs (trunk-vlans), and a VXLAN uplink
# beside a physical one on one switch: eth1 carries VLANs 10 and 20 to
# the physical network, vx30 carries VLAN 30 to the other site. Each
# VLAN's frames leave by the uplinks that carry it, and a limited trunk
# takes no frame of another VLAN (nor untagged ones) from outside.
#
#   g10 (vlan 10)     g20 (vlan 20)     g30 (vlan 30)       guests
#     |                 |                 |
#  +-vp10--------------vp20--------------vp30----------------------+
#  |  sw0 (netns sw)                                               |
#  |  eth1: uplink, PG phys: trunk, trunk-vlans 10,20              |
#  |  vx30: uplink, PG vx30: vlan 30 (VXLAN VNI 30 over ul0)       |
#  +---|------------------------------------------|----------------+
#      | veth                                     | ul0 192.0.2.1
#   eth0 (netns phys): eth0.10 10.10.0.100,       | veth
#        eth0.20 10.20.0.100, eth0.30 10.30.0.99  ul0 192.0.2.2 (netns site2)
#                                                 vx30 10.30.0.100

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=3				# frames per case
BCAST=ff:ff:ff:ff:ff:ff

ktap_header
nsw_require ip tcpdump jq ping bridge
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 20
nsw_kmsg_mark
declare sw phys site2 g10 g20 g30
setup_ns sw phys site2 g10 g20 g30 || ktap_bail "cannot create namespaces"

declare m10 m30 tx10 tx30 tx_p30 tx_p cap_p cap_s2 cap30
setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_tool "$sw" pg add dev sw0 name phys vlan trunk trunk-vlans 10,20 &&
	nsw_ip "$sw" "link add eth1 type veth peer name eth0 netns $phys" \
		"link set eth1 master sw0" "link set eth1 up" &&
	nsw_tool "$sw" port set dev eth1 role uplink pg phys &&
	nsw_ip "$phys" "link set eth0 up" \
		"link add link eth0 name eth0.10 type vlan id 10" \
		"link add link eth0 name eth0.20 type vlan id 20" \
		"link add link eth0 name eth0.30 type vlan id 30" \
		"addr add 10.10.0.100/24 dev eth0.10" \
		"addr add 10.20.0.100/24 dev eth0.20" \
		"addr add 10.30.0.99/24 dev eth0.30" \
		"link set eth0.10 up" "link set eth0.20 up" "link set eth0.30 up" &&
	nsw_underlay "$sw" 192.0.2.1 192.0.2.2 "$site2" ul0 &&
	nsw_vxlan_uplink "$sw" sw0 vx30 30 30 192.0.2.1 192.0.2.2 &&
	nsw_ip "$site2" "link add vx30 mtu 1500 type vxlan id 30 local 192.0.2.2 dev ul0 dstport 4789" \
		"addr add 10.30.0.100/24 dev vx30" "link set vx30 up" &&
	in_ns "$site2" bridge fdb append 00:00:00:00:00:00 dev vx30 \
		dst 192.0.2.1 self &&
	nsw_tool "$sw" pg add dev sw0 name v10 vlan 10 &&
	nsw_tool "$sw" pg add dev sw0 name v20 vlan 20 &&
	nsw_tool "$sw" pg add dev sw0 name v30 vlan 30 &&
	nsw_veth_port "$sw" sw0 vp10 "$g10" 10.10.0.1/24 &&
	nsw_veth_port "$sw" sw0 vp20 "$g20" 10.20.0.1/24 &&
	nsw_veth_port "$sw" sw0 vp30 "$g30" 10.30.0.1/24 &&
	nsw_tool "$sw" port set dev vp10 pg v10 &&
	nsw_tool "$sw" port set dev vp20 pg v20 &&
	nsw_tool "$sw" port set dev vp30 pg v30 &&
	m10=$(nsw_mac "$g10" eth0) && m30=$(nsw_mac "$g30" eth0) &&
	frames_start tx10 "$g10" eth0 && frames_start tx30 "$g30" eth0 &&
	frames_start tx_p "$phys" eth0 && frames_start tx_p30 "$phys" eth0.30 &&
	cap_start cap_p "$phys" eth0 && cap_start cap_s2 "$site2" vx30 &&
	cap_start cap30 "$g30" eth0
}
setup || ktap_bail "cannot build the topology"

check "pg show: phys is a trunk of VLANs 10 and 20" \
	nsw_shows "$sw" pg show dev sw0 name phys " vlan trunk trunk-vlans 10,20"
check "-j: the VLANs as an array" \
	nsw_shows "$sw" -j pg show dev sw0 name phys '"trunk-vlans":[10,20]'

# --- each VLAN by its own uplink ----------------------------------------

pings()
{
	nsw_ping "$g10" 10.10.0.100 3 && nsw_ping "$g20" 10.20.0.100 3
}
check "g10 and g20 reach the physical network by eth1 (tagged 10, 20)" pings
check "g30 reaches the other site by vx30" nsw_ping "$g30" 10.30.0.100 3

frames_send "$tx10" "$m10" "$BCAST" 9001 "$N"
frames_send "$tx30" "$m30" "$BCAST" 9002 "$N"
check_seen "g30's broadcasts leave by vx30 only, not tagged 30 by eth1" \
	"$N" "$cap_s2" "$(frame_to_re 9002 "$BCAST")" \
	"$N" "$cap_p" "> $BCAST, .*vlan 10, .*$(frame_re 9001)" \
	0 "$cap_p" "$(frame_to_re 9002 "$BCAST")"

# --- what eth1 takes -------------------------------------------------------

nsw_drops_mark "$sw"
frames_send "$tx_p30" "$(nsw_mac "$phys" eth0.30)" "$BCAST" 9003 "$N"
frames_send "$tx_p" "$(nsw_mac "$phys" eth0)" "$BCAST" 9004 "$N"
check_nsw_drops "eth1 drops VLAN 30 and untagged frames from outside (vlan)" \
	"$sw" eth1 vlan $((2 * N))
in_ns "$site2" ping -q -n -c 1 -b -W 1 10.30.0.255 >/dev/null 2>&1
check_seen "g30 got none of them (it got the other site's broadcast)" \
	0 "$cap30" "$(frame_re 9003)" 1 "$cap30" "ICMP echo request"

# --- changing the set ----------------------------------------------------------

ranges()
{
	nsw_tool "$sw" pg set dev sw0 name phys trunk-vlans ' untagged, 10-12 ,20' &&
	nsw_shows "$sw" pg show dev sw0 name phys 'trunk-vlans untagged,10-12,20'
}
check "trunk-vlans ' untagged, 10-12 ,20' is shown untagged,10-12,20" ranges
nsw_drops_mark "$sw"
frames_send "$tx_p" "$(nsw_mac "$phys" eth0)" "$BCAST" 9005 "$N"
check_nsw_drops "untagged frames now pass eth1" "$sw"
check "the set back to 10,20" nsw_tool "$sw" pg set dev sw0 name phys \
	trunk-vlans 10,20

# --- refusals ----------------------------------------------------------------

check "the module refuses vlan 10 for a trunk limited to some VLANs" \
	nsw_exits 2 nsw_tool "$sw" pg set dev sw0 name phys vlan 10
check "and trunk-vlans for an access port group" \
	nsw_exits 2 nsw_tool "$sw" pg add dev sw0 name bad vlan 5 trunk-vlans 10
check "the tool refuses VLAN 4095" \
	nsw_exits 1 nsw_tool "$sw" pg set dev sw0 name phys trunk-vlans 10,4095
check "and a range backwards" \
	nsw_exits 1 nsw_tool "$sw" pg set dev sw0 name phys trunk-vlans 20-10
check "and an empty item" \
	nsw_exits 1 nsw_tool "$sw" pg set dev sw0 name phys trunk-vlans 10,,20
unchanged()
{
	! nsw_tool "$sw" pg show dev sw0 name bad >/dev/null 2>&1 &&
	nsw_shows "$sw" pg show dev sw0 name phys " vlan trunk trunk-vlans 10,20"
}
check "no group bad; phys as it was" unchanged
to_access()
{
	nsw_tool "$sw" pg set dev sw0 name phys trunk-vlans all vlan 10 &&
	nsw_shows "$sw" -j pg show dev sw0 name phys '"vlan":10,'
}
check "trunk-vlans all and vlan 10 in one request: an access group" to_access
check "g20 no longer reaches eth1's network (phys is access 10, untagged)" \
	nsw_exits 1 nsw_ping "$g20" 10.20.0.100 1
to_trunk()
{
	nsw_tool "$sw" pg set dev sw0 name phys vlan trunk trunk-vlans 10,20 &&
	nsw_ping "$g20" 10.20.0.100 3
}
check "vlan trunk trunk-vlans 10,20 again: g20 does" to_trunk

check_kmsg
ktap_finished

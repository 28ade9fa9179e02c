#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A switch across hosts and sites over VXLAN: each host's nestsw switch
# has a kernel vxlan device as its uplink (VNI 10010 for VLAN 10: the
# vxlan port is in an access port group, so frames cross the overlay
# untagged, one VNI per VLAN), flooding to the other VTEPs by static
# all-zeros FDB entries (head-end replication: the WAN carries no
# multicast). Hosts A and C are at site 1, host B at site 2, behind a
# router ("wan").
#
#   gA 10.10.0.11 (nested guest)                  gB 10.10.0.21
#      |                                             |
#   vesxA: vsw0, g10_1 (PG vlan10), vmnic0 (trunk) vesxB: the same, g10_2
#      |                                             |
#   hostA: sw0                      hostC: sw0    hostB: sw0
#     vesx1 (PG vesx: trunk,          idle          vesx2 (PG vesx)
#            learning on,             vx10          idle  (PG vesx)
#            forged accept)           ul0           vx10
#     idle  (PG vesx: a nested         |            ul0 198.51.100.2
#            hypervisor with no        |             |
#            guest: gets floods)       |             |
#     vx10  (uplink, PG vx10:          |             |
#            vlan 10) VNI 10010        |             |
#     ul0 192.0.2.1 --+    192.0.2.3 --+             |
#                     |                |             |
#   wan:  br site1 192.0.2.254/24 (ip_forward) wan_b 198.51.100.254/24
#
# MTU: the guests keep 1500; the underlay (ul0, the WAN's links) is set to
# 1550, so that a full-size guest frame plus VXLAN's 50 bytes (outer IPv4,
# UDP, VXLAN, inner Ethernet) crosses unfragmented; vx10 is 1500.
#
# Learning, both halves: nestsw learns gB's MAC on its vx10 uplink and
# sends known unicast out of vx10 alone (not to the idle learning port);
# the vxlan device learns which VTEP gB's MAC is behind and sends the
# frames there alone, so host C's underlay receives none. A frame to a
# MAC nobody learned is flooded, to the idle port and to both VTEPs.

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=20			# datagrams per stream
VNI=10010
KNOWN_TO=10.10.0.77	# nobody's address, known by gA as gB's MAC
UNKNOWN_TO=10.10.0.78	# nobody's, with a MAC nobody has
UNKNOWN_MAC=02:00:00:10:00:99
declare -A VTEP=([a]=192.0.2.1 [b]=198.51.100.2 [c]=192.0.2.3)
declare -A GW=([a]=192.0.2.254 [c]=192.0.2.254 [b]=198.51.100.254)

ktap_header
nsw_require ip bridge ping jq
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
modprobe vxlan 2>/dev/null
ip link add nsw-vxprobe type vxlan id 1 dstport 4789 2>/dev/null ||
	ktap_skip_all "this kernel cannot make a vxlan device"
ip link del nsw-vxprobe
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 16
nsw_kmsg_mark

# host_setup H NS: host H's underlay link to the WAN (site 1's LAN for A
# and C), its switch with vx10 as the uplink, flooding to the other two
# VTEPs, and an idle learning port
host_setup()
{
	local h=$1 ns=$2 o remotes=() br=site1

	[[ $h == b ]] && br=
	for o in a b c; do
		[[ $o == "$h" ]] || remotes+=("${VTEP[$o]}")
	done
	nsw_underlay "$ns" "${VTEP[$h]}" "${GW[$h]}" "$wan" "wan_$h" $br &&
	nsw_switch_add "$ns" sw0 &&
	nsw_vxlan_uplink "$ns" sw0 vx10 "$VNI" 10 "${VTEP[$h]}" "${remotes[@]}" &&
	nsw_ip "$ns" "link add idle type veth peer name idle0" "link set idle0 up" \
		"link set idle master sw0" "link set idle up" &&
	nsw_tool "$ns" pg add dev sw0 name vesx vlan trunk learning on \
		forged-transmits accept &&
	nsw_tool "$ns" port set dev idle pg vesx
}

lab_setup()
{
	nsw_wan_router "$wan" site1 "${GW[a]}" &&
	host_setup a "$hosta" && host_setup b "$hostb" && host_setup c "$hostc" &&
	nsw_lab_vesx_on "$hosta" sw0 vesx 1 "$vesxa" "$ga" &&
	nsw_lab_vesx_on "$hostb" sw0 vesx 2 "$vesxb" "$gb"
}

# check_no_frags DESC NS FIELD BASE...: each NS's FIELD is still at BASE
check_no_frags()
{
	local desc=$1 ok=1 items=() v; shift

	while (($# >= 3)); do
		v=$(nsw_snmp_ip "$1" "$2")
		items+=("${1%%-*} $2 +$((v - $3))")
		((v == $3)) || ok=0
		shift 3
	done
	__info_list "${items[@]}"
	ktap_result "$desc" $((!ok))
}

# check_fdb_has DESC NS WANT: host NS's nestsw FDB has the entry WANT
# ("MAC VLAN PORT FLAGS", as nsw_fdb_entries prints it)
check_fdb_has()
{
	local out

	out=$(nsw_fdb_entries "$2" sw0)
	if grep -qxF "$3" <<<"$out"; then
		ktap_info "$3"
		ktap_ok "$1"
		return
	fi
	ktap_info "want '$3' in:" "$out"
	ktap_fail "$1"
}

declare wan hosta hostb hostc vesxa vesxb ga gb
setup_ns wan hosta hostb hostc vesxa vesxb ga gb || ktap_bail "cannot create namespaces"
NSW_LAB_VLANS=10
lab_setup || ktap_bail "cannot build the two sites"
mac_ga=$(nsw_lab_mac 10 1)
mac_gb=$(nsw_lab_mac 10 2)

check_eq "vx10 (VNI $VNI) over a $NSW_UL_MTU-byte underlay has the guests' MTU, 1500" \
	"$(<"${NSW_ROOT[$hosta]}/sys/class/net/vx10/mtu")" 1500
check "gA (site 1) pings gB (site 2) across the WAN, over VXLAN" \
	nsw_ping "$ga" "$(nsw_lab_addr 10 2)" 3
check "and gB pings gA" nsw_ping "$gb" "$(nsw_lab_addr 10 1)" 3

frag_a=$(nsw_snmp_ip "$hosta" FragCreates)
frag_w=$(nsw_snmp_ip "$wan" FragCreates)
reasm_b=$(nsw_snmp_ip "$hostb" ReasmReqds)
check "a full-size ping (1500-byte packets, DF set) from gA to gB is answered" \
	nsw_ping "$ga" "$(nsw_lab_addr 10 2)" 3 -M "do" -s 1472
check_no_frags "the underlay carried its 1550-byte VXLAN packets whole: no fragment made on host A or the WAN, none reassembled on host B" \
	"$hosta" FragCreates "$frag_a" "$wan" FragCreates "$frag_w" \
	"$hostb" ReasmReqds "$reasm_b"
check_fails "a 1501-byte packet with DF set does not leave gA (its MTU is 1500)" \
	in_ns "$ga" ping -q -n -c 1 -W 1 -M "do" -s 1473 "$(nsw_lab_addr 10 2)"

check_fdb_has "host A's sw0 learned gB's MAC on its vx10 uplink, in VLAN 10" \
	"$hosta" "$mac_gb 10 vx10 learned"
check_fdb_has "host B's sw0 learned gA's MAC on its vx10 uplink, in VLAN 10" \
	"$hostb" "$mac_ga 10 vx10 learned"
check_eq "host A's vx10 learned gB's MAC behind host B's VTEP (${VTEP[b]})" \
	"$(nsw_vxlan_vtep "$hosta" vx10 "$mac_gb")" "${VTEP[b]}"
check_eq "host C's vx10 learned no VTEP for gB's MAC (gB never sent to C)" \
	"$(nsw_vxlan_vtep "$hostc" vx10 "$mac_gb")" ""

nsw_neigh "$ga" eth0 "$KNOWN_TO" "$mac_gb" "$UNKNOWN_TO" "$UNKNOWN_MAC" ||
	ktap_bail "cannot add gA's neighbours"

cnt_mark "$hosta" "$hostb" "$hostc" "$gb"
nsw_udp "$ga" "$KNOWN_TO" 5001 "$N"
check_cnt "known unicast: host A sends gA's $N datagrams to gB out of vx10 alone, none to its idle learning port or back to vesxA" \
	"$hosta" vx10 tx_packets "$N" "$hosta" idle tx_packets 0 \
	"$hosta" vesx1 tx_packets 0
check_cnt "they reach gB by host B's vesx2 alone, none to its idle port" \
	"$gb" eth0 rx_packets "$N" "$hostb" vesx2 tx_packets "$N" \
	"$hostb" idle tx_packets 0
check_cnt "one VTEP: host B's underlay receives the $N, host C's none" \
	"$hostb" ul0 rx_packets "$N" "$hostc" ul0 rx_packets 0

cnt_mark "$hosta" "$hostb" "$hostc" "$gb"
nsw_udp "$ga" "$UNKNOWN_TO" 5002 "$N"
check_cnt "unknown unicast: gA's $N datagrams to a MAC nobody learned go to vx10 (which sends a copy to each of the 2 other VTEPs) and to host A's idle learning port" \
	"$hosta" vx10 tx_packets $((2 * N)) "$hosta" idle tx_packets "$N" \
	"$hosta" vesx1 tx_packets 0
check_cnt "and vx10 floods them to both other VTEPs: host B's and host C's underlay receive $N each" \
	"$hostb" ul0 rx_packets "$N" "$hostc" ul0 rx_packets "$N" \
	"$gb" eth0 rx_packets 0

check_kmsg
ktap_finished

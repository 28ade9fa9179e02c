#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# group-fwd: the link-local group addresses 01:80:c2:00:00:0N (STP, LACP,
# LLDP...) that cross the switch. By default none does: such a frame goes
# up the stack of the port it came in on, as on a bridge. A port group
# (or the switch's default) that forwards one lets it cross between ports
# whose policies both forward it, uplinks included; ports of other groups
# never see it.
#
# Crafted frames (frames.py) to the STP and LLDP addresses from g1, the tap
# guest and g4; each capture also counts a broadcast sent after them, which
# shows it was listening. Then the real protocols, kernel-made: two nested
# hosts h1 and h2, each with an 802.3ad bond over its vNIC and an STP
# bridge on the bond: LACP comes up, and h2's bridge takes h1's as root,
# only once their port group forwards lacp and stp.
#
#      g1        g2      tap guest     g4      phys        h1        h2
#     eth0      eth0    (frames.py)   eth0     eth0     br0(stp)  br0(stp)
#      |         |          |          |        |       bond0     bond0
#      |         |          |          |        |       eth0      eth0
#   +-vp1-------vp2--------tp3--------vp4------vu-------vh1-------vh2-+
#   |  PG lab: vp1 vp2 tp3   PG default: vp4, vu (uplink)  PG lag:   |
#   |                                                     vh1 vh2    |
#   |                      sw0 (netns sw)                            |
#   +----------------------------------------------------------------+

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=3				# frames per case
STP=01:80:c2:00:00:00
LLDP=01:80:c2:00:00:0e
BCAST=ff:ff:ff:ff:ff:ff
T=02:00:00:00:03:01		# the tap guest's MAC
# A protocol's convergence under TCG on a busy machine: a hang bound only.
PROTO_MS=$NSW_TEARDOWN_MS

ktap_header
nsw_require ip tcpdump
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
modprobe bonding max_bonds=0 2>/dev/null
[[ -d /sys/module/bonding ]] || ktap_skip_all "no bonding driver"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 25
nsw_kmsg_mark
declare sw g1 g2 g4 phys h1 h2
setup_ns sw g1 g2 g4 phys h1 h2 || ktap_bail "cannot create namespaces"

declare m1 m4 tx_g1 tx_tap tx_g4 cap_g1 cap_g2 cap_tap cap_g4 cap_phys
setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_tool "$sw" pg add dev sw0 name lab &&
	nsw_veth_port "$sw" sw0 vp1 "$g1" &&
	nsw_veth_port "$sw" sw0 vp2 "$g2" &&
	nsw_tap_port "$sw" sw0 tp3 &&
	nsw_tool "$sw" port set dev tp3 initial-mac "$T" effective-mac "$T" &&
	nsw_veth_port "$sw" sw0 vp4 "$g4" &&
	nsw_veth_port "$sw" sw0 vu "$phys" &&
	in_ns_sh "$sw" "$NSW_TOOL port set dev vp1 pg lab &&
		$NSW_TOOL port set dev vp2 pg lab &&
		$NSW_TOOL port set dev tp3 pg lab &&
		$NSW_TOOL port set dev vu role uplink" &&
	m1=$(nsw_mac "$g1" eth0) && m4=$(nsw_mac "$g4" eth0) &&
	frames_start tx_g1 "$g1" eth0 &&
	frames_start tx_tap "$sw" tp3 &&
	frames_start tx_g4 "$g4" eth0 &&
	cap_start cap_g1 "$g1" eth0 &&
	cap_start cap_g2 "$g2" eth0 &&
	cap_start cap_tap "$sw" tp3 out &&
	cap_start cap_g4 "$g4" eth0 &&
	cap_start cap_phys "$phys" eth0
}
setup || ktap_bail "cannot build the topology"

# send TX SRC DST PORT BPORT: N frames from SRC to DST, then N broadcasts
# (UDP port BPORT), which show that the captures were listening
send()
{
	frames_send "$1" "$2" "$3" "$4" "$N" &&
	frames_send "$1" "$2" "$BCAST" "$5" "$N"
}

# --- by default no group address crosses ----------------------------------

send "$tx_g1" "$m1" "$STP" 6001 6002
check_seen "default: the broadcasts from g1 reach every other port" \
	"$N" "$cap_g2" "$(frame_to_re 6002 "$BCAST")" "$N" "$cap_tap" "$(frame_to_re 6002 "$BCAST")" \
	"$N" "$cap_g4" "$(frame_to_re 6002 "$BCAST")" "$N" "$cap_phys" "$(frame_to_re 6002 "$BCAST")"
check_seen "default: g1's frames to $STP reach no one" \
	0 "$cap_g2" "$(frame_to_re 6001 "$STP")" 0 "$cap_tap" "$(frame_to_re 6001 "$STP")" \
	0 "$cap_g4" "$(frame_to_re 6001 "$STP")" 0 "$cap_phys" "$(frame_to_re 6001 "$STP")"

# --- a port group forwards STP --------------------------------------------

check "nestsw pg set dev sw0 name lab group-fwd stp" \
	nsw_tool "$sw" pg set dev sw0 name lab group-fwd stp
send "$tx_g1" "$m1" "$STP" 6011 6012
check_seen "lab forwards stp: g1's frames to $STP reach g2 and the tap guest" \
	"$N" "$cap_g2" "$(frame_to_re 6011 "$STP")" "$N" "$cap_tap" "$(frame_to_re 6011 "$STP")"
check_seen "not g4 nor the uplink, whose port group does not (each saw the broadcasts)" \
	"$N" "$cap_g4" "$(frame_to_re 6012 "$BCAST")" 0 "$cap_g4" "$(frame_to_re 6011 "$STP")" \
	"$N" "$cap_phys" "$(frame_to_re 6012 "$BCAST")" 0 "$cap_phys" "$(frame_to_re 6011 "$STP")"
send "$tx_tap" "$T" "$STP" 6021 6022
check_seen "the tap guest's frames to $STP reach g1 and g2" \
	"$N" "$cap_g1" "$(frame_to_re 6021 "$STP")" "$N" "$cap_g2" "$(frame_to_re 6021 "$STP")"
send "$tx_g1" "$m1" "$LLDP" 6031 6032
check_seen "g1's frames to $LLDP (not forwarded) reach no one" \
	"$N" "$cap_g2" "$(frame_to_re 6032 "$BCAST")" 0 "$cap_g2" "$(frame_to_re 6031 "$LLDP")" \
	"$N" "$cap_tap" "$(frame_to_re 6032 "$BCAST")" 0 "$cap_tap" "$(frame_to_re 6031 "$LLDP")"
send "$tx_g4" "$m4" "$STP" 6041 6042
check_seen "g4's frames to $STP (its group does not forward it) reach no one" \
	"$N" "$cap_g1" "$(frame_to_re 6042 "$BCAST")" 0 "$cap_g1" "$(frame_to_re 6041 "$STP")" \
	"$N" "$cap_phys" "$(frame_to_re 6042 "$BCAST")" 0 "$cap_phys" "$(frame_to_re 6041 "$STP")"

# --- the switch's default, inherited --------------------------------------

check "nestsw policy set dev sw0 group-fwd lldp" \
	nsw_tool "$sw" policy set dev sw0 group-fwd lldp
send "$tx_g4" "$m4" "$LLDP" 6051 6052
check_seen "default inherits lldp: g4's frames to $LLDP reach the uplink" \
	"$N" "$cap_phys" "$(frame_to_re 6051 "$LLDP")"
check_seen "not lab's ports, which override it with stp" \
	"$N" "$cap_g1" "$(frame_to_re 6052 "$BCAST")" 0 "$cap_g1" "$(frame_to_re 6051 "$LLDP")"
check "nestsw pg set dev sw0 name lab group-fwd inherit" \
	nsw_tool "$sw" pg set dev sw0 name lab group-fwd inherit
send "$tx_g4" "$m4" "$LLDP" 6061 6062
check_seen "lab inherits lldp too: they reach g1, g2, the tap guest and the uplink" \
	"$N" "$cap_g1" "$(frame_to_re 6061 "$LLDP")" "$N" "$cap_g2" "$(frame_to_re 6061 "$LLDP")" \
	"$N" "$cap_tap" "$(frame_to_re 6061 "$LLDP")" "$N" "$cap_phys" "$(frame_to_re 6061 "$LLDP")"
send "$tx_g1" "$m1" "$STP" 6071 6072
check_seen "and lab's stp went with its override" \
	"$N" "$cap_g2" "$(frame_to_re 6072 "$BCAST")" 0 "$cap_g2" "$(frame_to_re 6071 "$STP")"

# --- the tool's view, and what it refuses -----------------------------------

check "pg show: lab's group-fwd is lldp (inherited)" \
	nsw_shows "$sw" pg show dev sw0 name lab "group-fwd lldp (inherited)"
check "nestsw -j policy show prints it as a list" \
	nsw_shows "$sw" -j policy show dev sw0 '"group-fwd":["lldp"]'
check "nestsw pg set ... group-fwd stp,bogus: a usage error (exit 1)" \
	nsw_exits 1 nsw_tool "$sw" pg set dev sw0 name lab group-fwd stp,bogus
check "so is group-fwd 01:80:c2:00:00:10, no link-local group address" \
	nsw_exits 1 nsw_tool "$sw" policy set dev sw0 group-fwd 01:80:c2:00:00:10

# --- real protocols: LACP and STP between two nested hosts ----------------

# host_setup NS PORT PRIO: a nested host: bond0 (802.3ad, fast LACP) over
# eth0, the veth of port PORT, and br0 (STP, priority PRIO) over bond0
host_setup()
{
	nsw_veth_port "$sw" sw0 "$2" "$1" &&
	nsw_tool "$sw" port set dev "$2" pg lag &&
	nsw_ip "$1" "link add bond0 type bond mode 802.3ad lacp_rate fast miimon 100" \
		"link set eth0 down" "link set eth0 master bond0" \
		"link add br0 type bridge stp_state 1 priority $3 hello_time 100 forward_delay 200" \
		"link set bond0 master br0" "link set bond0 up" "link set br0 up"
}

# partner NS: the MAC of the LACP partner of NS's bond0 (/proc/net is the
# reader's namespace's: read it there)
partner()
{
	local line

	in_ns "$1" cat /proc/net/bonding/bond0 | while read -r line; do
		[[ $line == "Partner Mac Address:"* ]] && { echo "${line##* }"; break; }
	done
}

# partners: h1's and h2's bonds are each other's LACP partner
partners()
{
	[[ $(partner "$h1") == "$b2" && $(partner "$h2") == "$b1" ]]
}

root_is()
{
	local id

	read -r id <"$(ns_root "$1")/sys/class/net/br0/bridge/root_id" &&
	[[ $id == "$2" ]]
}

declare cap_h2 b1 b2
lag()
{
	nsw_tool "$sw" pg add dev sw0 name lag group-fwd none &&
	host_setup "$h1" vh1 4096 && host_setup "$h2" vh2 32768 &&
	b1=$(nsw_mac "$h1" bond0) && b2=$(nsw_mac "$h2" bond0) &&
	cap_start cap_h2 "$h2" eth0 inout
}
lag || ktap_bail "cannot build the nested hosts h1 and h2"
check "h2 sends LACPDUs (3 seen on its own vNIC)" \
	busywait "$PROTO_MS" __cap_reached "$cap_h2" "^$b2 > 01:80:c2:00:00:02, .*LACP" 3
check_seen "none of h1's reaches h2 while lag forwards no group address" \
	0 "$cap_h2" "^$b1 > 01:80:c2:00:00:02, .*LACP"
check_eq "h1's bond has no LACP partner" "$(partner "$h1")" 00:00:00:00:00:00
check "nestsw pg set dev sw0 name lag group-fwd lacp,stp" \
	nsw_tool "$sw" pg set dev sw0 name lag group-fwd lacp,stp
check "LACP comes up: h1's partner is h2's bond, and h2's is h1's" \
	busywait "$PROTO_MS" partners
check "STP: h2's bridge takes h1's (priority 4096) as root" \
	busywait "$PROTO_MS" root_is "$h2" "1000.${b1//:/}"

check_kmsg
ktap_finished

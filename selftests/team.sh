#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# team: a nested hypervisor with two vNICs teamed inside it. Its port
# group under "team on" makes its two ports one: a source MAC does not
# move between them, a frame for the team goes to one member only (the
# one it last sent from; another if that one loses its carrier), and no
# frame from the team comes back into it.
#
# First crafted frames (frames.py) out of each vNIC, as a bond or a
# nested vSwitch sends them, with team off (the problem: moves, the
# team's own broadcast back in, two copies of every flood) and on. Then
# the real thing: a bond of the two vNICs in the nested host, a bridge
# on it, a nested guest behind the bridge: g reaches the nested guest
# with the bond in active-backup (across a failover) and in balance-xor,
# and the nested bridge keeps its guest on its own port.
#
#        g                     nh (nested hypervisor)        ng
#      eth0               eth0      eth1                    eth0
#       |                  |   bond0   |    br0 -- vg ----- (nested
#       |                  |  (later)  |                     guest)
#   +--vp1----------------vn1---------vn2---------+
#   |  PG default          PG vesx: team on,      |
#   |                      learning, mac-changes  |
#   |                      and forged accept      |
#   |  sw0 (netns sw)                             |
#   +---------------------------------------------+

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=3				# frames per case
BCAST=ff:ff:ff:ff:ff:ff
M1=02:00:00:00:77:01		# nested guests' MACs, sent from both vNICs
M2=02:00:00:00:77:02
M3=02:00:00:00:77:03

ktap_header
nsw_require ip tcpdump jq ping
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
modprobe bonding max_bonds=0 2>/dev/null
[[ -d /sys/module/bonding ]] || ktap_skip_all "no bonding driver"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 30
nsw_kmsg_mark
declare sw g nh ng
setup_ns sw g nh ng || ktap_bail "cannot create namespaces"

declare mg tx_g tx_n1 tx_n2 cap_g cap_n1 cap_n2
setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_tool "$sw" pg add dev sw0 name vesx learning on \
		mac-changes accept forged-transmits accept &&
	nsw_veth_port "$sw" sw0 vp1 "$g" 10.0.0.1/24 &&
	nsw_ip "$sw" "link add vn1 type veth peer name eth0 netns $nh" \
		"link add vn2 type veth peer name eth1 netns $nh" \
		"link set vn1 master sw0" "link set vn2 master sw0" \
		"link set vn1 up" "link set vn2 up" &&
	nsw_ip "$nh" "link set eth0 up" "link set eth1 up" &&
	in_ns_sh "$sw" "$NSW_TOOL port set dev vn1 pg vesx &&
		$NSW_TOOL port set dev vn2 pg vesx" &&
	mg=$(nsw_mac "$g" eth0) &&
	frames_start tx_g "$g" eth0 &&
	frames_start tx_n1 "$nh" eth0 &&
	frames_start tx_n2 "$nh" eth1 &&
	cap_start cap_g "$g" eth0 &&
	cap_start cap_n1 "$nh" eth0 &&
	cap_start cap_n2 "$nh" eth1
}
setup || ktap_bail "cannot build the topology"

# --- team off: what a team needs ------------------------------------------

nsw_learn_mark "$sw"
frames_send "$tx_n1" "$M1" "$mg" 7001 "$N" &&
frames_send "$tx_n2" "$M1" "$mg" 7002 "$N"
nsw_learn_check "team off: $M1 from vn1, then from vn2, moves to vn2" \
	"$sw" vn2 moves +1
frames_send "$tx_n1" "$M1" "$BCAST" 7003 "$N"
check_seen "team off: vn1's broadcasts come back in by vn2" \
	"$N" "$cap_n2" "$(frame_to_re 7003 "$BCAST")"
frames_send "$tx_g" "$mg" "$BCAST" 7004 "$N"
check_seen "team off: g's broadcasts reach the VM twice, by each vNIC" \
	"$N" "$cap_n1" "$(frame_to_re 7004 "$BCAST")" "$N" "$cap_n2" "$(frame_to_re 7004 "$BCAST")"

# --- team on --------------------------------------------------------------

check "nestsw pg set dev sw0 name vesx team on" \
	nsw_tool "$sw" pg set dev sw0 name vesx team on
team_shown()
{
	nsw_shows "$sw" pg show dev sw0 name vesx " team on" &&
	nsw_shows "$sw" -j pg show dev sw0 name vesx '"team":true'
}
check "pg show says team on; -j says true" team_shown

nsw_learn_mark "$sw"
frames_send "$tx_n1" "$M2" "$mg" 7011 "$N" &&
frames_send "$tx_n2" "$M2" "$mg" 7012 "$N"
check_seen "g gets $M2's frames from both vNICs" \
	"$N" "$cap_g" "$(frame_to_re 7011 "$mg")" "$N" "$cap_g" "$(frame_to_re 7012 "$mg")"
nsw_learn_check "$M2 from vn1, then from vn2: the team's, no move" \
	"$sw" vn1 moves +0 vn2 moves +0 vn1 learned +1 vn2 learned +0

frames_send "$tx_n2" "$M2" "$BCAST" 7013 "$N"
frames_send "$tx_g" "$mg" "$BCAST" 7014 "$N"
check_seen "vn2 sent last: g's broadcasts reach the VM once, by vn2" \
	"$N" "$cap_n2" "$(frame_to_re 7014 "$BCAST")" 0 "$cap_n1" "$(frame_to_re 7014 "$BCAST")"
check_seen "the team's own broadcasts do not come back in by vn1" \
	0 "$cap_n1" "$(frame_to_re 7013 "$BCAST")"
frames_send "$tx_g" "$mg" "$M2" 7015 "$N"
check_seen "g's frames to $M2 (learned on vn1) go to vn2, where the team sends from" \
	"$N" "$cap_n2" "$(frame_to_re 7015 "$M2")" 0 "$cap_n1" "$(frame_to_re 7015 "$M2")"

frames_send "$tx_n1" "$M3" "$BCAST" 7016 "$N"
frames_send "$tx_g" "$mg" "$BCAST" 7017 "$N"
check_seen "vn1 sent last: g's broadcasts reach the VM by vn1 only" \
	"$N" "$cap_n1" "$(frame_to_re 7017 "$BCAST")" 0 "$cap_n2" "$(frame_to_re 7017 "$BCAST")"
check_seen "and vn1's own do not come back in by vn2" \
	0 "$cap_n2" "$(frame_to_re 7016 "$BCAST")"
frames_send "$tx_n1" "$M2" "$M3" 7018 "$N"
check_seen "a frame from the team to a MAC of the team stays in it (its segment)" \
	0 "$cap_n2" "$(frame_to_re 7018 "$M3")" 0 "$cap_g" "$(frame_to_re 7018 "$M3")"

# a bond gives its vNICs one MAC: the first's guest MAC, from vn2
mn1=$(nsw_mac "$nh" eth0)
nsw_drops_mark "$sw"
frames_send "$tx_n2" "$mn1" "$mg" 7019 "$N"
check_seen "vn2 may send from vn1's guest MAC (a teammate's is no conflict)" \
	"$N" "$cap_g" "$(frame_to_re 7019 "$mg")"
check_nsw_drops "nothing dropped" "$sw"

frames_send "$tx_n1" "$M3" "$mg" 7022 "$N"
check_seen "vn1 sends again" "$N" "$cap_g" "$(frame_to_re 7022 "$mg")"
check "vn1, where the team sent from, loses its carrier (eth0 down in the VM)" \
	nsw_ip "$nh" "link set eth0 down"
frames_send "$tx_g" "$mg" "$BCAST" 7020 "$N" &&
frames_send "$tx_g" "$mg" "$M2" 7021 "$N"
check_seen "g's broadcasts and frames to $M2 go by vn2 now" \
	"$N" "$cap_n2" "$(frame_to_re 7020 "$BCAST")" "$N" "$cap_n2" "$(frame_to_re 7021 "$M2")"
check "eth0 up again" nsw_ip "$nh" "link set eth0 up"

# --- a bond in the nested host, a nested guest behind its bridge ------------

check "nestsw fdb flush dev sw0" nsw_tool "$sw" fdb flush dev sw0
# nested: in the VM, a bridge br0 with the nested guest ng (10.0.0.21) on
# vg, its veth
nested()
{
	nsw_ip "$nh" "link add br0 type bridge" \
		"link add vg type veth peer name eth0 netns $ng" \
		"link set vg master br0" "link set vg up" "link set br0 up" &&
	nsw_ip "$ng" "addr add 10.0.0.21/24 dev eth0" "link set eth0 up"
}
nested || ktap_bail "cannot build the nested guest"

# bond MODE: the VM's two vNICs in bond0 (MODE, a new one), on br0
bond()
{
	if [[ -e $(ns_root "$nh")/sys/class/net/bond0 ]]; then
		nsw_ip "$nh" "link del bond0" || return
	fi
	nsw_ip "$nh" "link add bond0 type bond mode $1 miimon 100" \
		"link set eth0 down" "link set eth1 down" \
		"link set eth0 master bond0" "link set eth1 master bond0" \
		"link set bond0 master br0" "link set bond0 up"
}

# active SLAVE: the bond's active slave is SLAVE
active()
{
	[[ $(in_ns "$nh" cat /sys/class/net/bond0/bonding/active_slave) == "$1" ]]
}

check "the VM bonds eth0 and eth1, active-backup" bond active-backup
check "g pings the nested guest" nsw_ping "$g" 10.0.0.21
act=$(in_ns "$nh" cat /sys/class/net/bond0/bonding/active_slave)
other=eth1
[[ $act == eth1 ]] && other=eth0
failover()
{
	nsw_ip "$nh" "link set $act down" && busywait "$NSW_WAIT_MS" active "$other"
}
check "the VM's active vNIC ($act) goes down: the bond fails over to $other" \
	failover
check "g still pings the nested guest" nsw_ping "$g" 10.0.0.21
check "$act up again" nsw_ip "$nh" "link set $act up"

mng=$(nsw_mac "$ng" eth0)
# ng_on_vg: the nested bridge has the nested guest's MAC on vg, not bond0
ng_on_vg()
{
	in_ns "$nh" bridge fdb show br br0 | grep -q "^$mng dev vg "
}
check "the VM bonds them in balance-xor" bond balance-xor
check "g pings the nested guest" nsw_ping "$g" 10.0.0.21
ng_pings_g()
{
	in_ns "$ng" ip neigh flush dev eth0 && nsw_ping "$ng" 10.0.0.1
}
check "the nested guest, its ARP cache flushed, pings g (its ARP broadcast does not come back)" \
	ng_pings_g
check "the nested bridge still has its guest on vg, not on bond0" ng_on_vg

check_kmsg
ktap_finished

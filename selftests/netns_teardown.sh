#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Namespaces that hold a switch, its ports and the guests behind them are
# deleted in every order, with traffic going through the switch, and the
# kernel cleans up: the devices go, the switch forgets ports that went,
# and nestsw still unloads at the end.
#
# Each case builds:
#
#      g1 10.0.0.11            g2 10.0.0.12
#     +------------+          +------------+
#     |    eth0    |          |    eth0    |
#     +-----|------+          +-----|------+
#           | veth                  | veth
#     +-----|-----------------------|------+
#     |    vp1 ------- sw0 ------- vp2     |
#     |         10.0.0.1/24 (host)         |
#     +------------------------------------+
#                    netns sw
#
# and runs pings through it (one flood, one every 10 ms), then:
#   A  deletes sw first; g1 and g2 see their eth0 vanish
#   B  deletes g1 and g2 first; sw0 loses vp1 and vp2, keeps working with a
#      new port (vp3, guest g3), then sw goes
#   C  deletes sw0 itself; its ports stay, released; then every netns at once
#   D  moves vp1 to another netns: it leaves sw0, which carries on
#   E  deletes one netns holding sw0, its ports and their peers together
#      (vp3's peer lives in netns w, a witness that the netns was torn down)

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

FLOWING=20	# packets a port must carry before we call it traffic

ktap_header
nsw_require ip ping
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 17
nsw_kmsg_mark

declare sw g1 g2 g3 w all

# build: the topology above, in fresh namespaces sw, g1, g2
build()
{
	setup_ns sw g1 g2 &&
	nsw_switch_add "$sw" sw0 10.0.0.1/24 &&
	nsw_veth_port "$sw" sw0 vp1 "$g1" 10.0.0.11/24 &&
	nsw_veth_port "$sw" sw0 vp2 "$g2" 10.0.0.12/24
}

# flowing NS DEV: DEV carries traffic (FLOWING frames received, 10 s at most)
flowing()
{
	cnt_mark "$1"
	busywait "$NSW_TEARDOWN_MS" __cnt_reached "$1" "$2" rx_packets "$FLOWING" ||
		{ echo "$2 received $(cnt_delta "$1" "$2" rx_packets) frames"; return 1; }
}

# guest_traffic: g1 floods g2, g2 pings the host every 10 ms
guest_traffic()
{
	in_ns_bg "$g1" ping -f -q -w 60 10.0.0.12 &&
	in_ns_bg "$g2" ping -q -i 0.01 -w 60 10.0.0.1
}

# host_traffic: the host floods g1 and pings g2 every 10 ms
host_traffic()
{
	in_ns_bg "$sw" ping -f -q -w 60 10.0.0.11 &&
	in_ns_bg "$sw" ping -q -i 0.01 -w 60 10.0.0.12
}

gone()
{
	local ns=$1 dev; shift

	for dev in "$@"; do
		nsw_dev_gone "$ns" "$dev" || return
	done
}

# vanish NS DEV...: the devices disappear (a netns cleanup ran), 10 s at most
vanish()
{
	busywait "$NSW_TEARDOWN_MS" gone "$@" || { echo "still there: $*"; return 1; }
}

guests_lose_eth0()
{
	vanish "$g1" eth0 && vanish "$g2" eth0
}

# moved_out: vp1 is in g3, masterless, and sw0 has only vp2 left
moved_out()
{
	local master ports

	nsw_dev_exists "$g3" vp1 || { echo "vp1 is not in g3"; return 1; }
	master=$(nsw_master "$g3" vp1)
	[[ -z $master ]] || { echo "vp1 has master $master in g3"; return 1; }
	ports=$(nsw_ports "$sw" sw0)
	[[ $ports == vp2 ]] || { echo "sw0's ports: $ports"; return 1; }
}

no_ports()
{
	[[ -z $(nsw_ports "$1" "$2") ]]
}

# --- A: the switch's netns goes first -------------------------------------

defer_scope_push
build || ktap_bail "cannot build the topology"
guest_traffic || ktap_bail "cannot start pings"
check "A: traffic flows from g1 and g2 through sw0" flowing "$sw" vp1
cleanup_ns "$sw"
check "A: sw's netns deleted under traffic: g1's and g2's eth0 vanish with it" \
	guests_lose_eth0
defer_scope_pop

# --- B: the guests' netns go first ----------------------------------------

defer_scope_push
build || ktap_bail "cannot build the topology"
host_traffic || ktap_bail "cannot start pings"
check "B: traffic flows from the host to g1 and g2" flowing "$sw" vp1
cleanup_ns "$g1" "$g2"
check "B: g1's and g2's netns deleted under traffic: sw0 loses vp1 and vp2" \
	vanish "$sw" vp1 vp2
check "B: sw0 lists no port any more" no_ports "$sw" sw0
if ! setup_ns g3 || ! nsw_veth_port "$sw" sw0 vp3 "$g3" 10.0.0.13/24; then
	ktap_bail "cannot add a port"
fi
check "B: sw0 still works: the host pings a new guest g3" nsw_ping "$sw" 10.0.0.13 3
cleanup_ns "$sw"
check "B: then sw's netns goes, and g3's eth0 with it" vanish "$g3" eth0
defer_scope_pop

# --- C: the switch device goes first --------------------------------------

defer_scope_push
build || ktap_bail "cannot build the topology"
if ! guest_traffic || ! host_traffic; then
	ktap_bail "cannot start pings"
fi
check "C: traffic flows from the host and the guests" flowing "$sw" vp2
check "C: ip link del sw0 under traffic" in_ns "$sw" ip link del sw0
check "C: its ports vp1 and vp2 stay, released" nsw_released "$sw" vp1 vp2
cleanup_ns "$sw" "$g1" "$g2"
defer_scope_pop

# --- D: a port moves to another netns -------------------------------------

defer_scope_push
if ! build || ! setup_ns g3; then
	ktap_bail "cannot build the topology"
fi
guest_traffic || ktap_bail "cannot start pings"
check "D: traffic flows from g1 and g2" flowing "$sw" vp1
nsw_ip "$sw" "link set vp1 netns $g3"
check "D: vp1 moved to another netns under traffic leaves sw0" moved_out
check "D: sw0 carries on: g2 pings the host" nsw_ping "$g2" 10.0.0.1 3
defer_scope_pop

# --- E: one netns holds it all --------------------------------------------

defer_scope_push
setup_ns all w || ktap_bail "cannot create namespaces"
all_in_one()
{
	nsw_switch_add "$all" sw0 10.0.0.1/24 &&
	nsw_ip "$all" "link add vp1 type veth peer name vq1" \
		"link add vp2 type veth peer name vq2" "link add d0 type dummy" \
		"link set vp1 master sw0" "link set vp2 master sw0" \
		"link set d0 master sw0" "link set vp1 up" "link set vp2 up" \
		"link set vq1 up" "link set vq2 up" "link set d0 up" &&
	nsw_veth_port "$all" sw0 vp3 "$w" 10.0.0.13/24
}
all_in_one || ktap_bail "cannot build the all-in-one netns"
cleanup_ns "$all"
check "E: a netns with a switch, its ports and their peers is torn down (w's eth0 vanishes)" \
	vanish "$w" eth0
defer_scope_pop

# --- the module ------------------------------------------------------------

check "nestsw unloads after all this" nsw_unload
check "and loads again" nsw_load
check_kmsg
ktap_finished

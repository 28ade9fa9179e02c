#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rmmod nestsw with switches alive in several namespaces, traffic going
# through them: it succeeds and deletes every switch, the ports live on,
# released. Loaded again, nestsw takes the same ports and forwards again.
# Twice.
#
#   netns swa                          netns swb
#   +------------------------------+   +------------------------------+
#   | sw0 10.0.0.1/24              |   | sw0 10.0.0.1/24              |
#   |  +- vp1 == eth0 of ga1 .11   |   |  +- vp1 == eth0 of gb1 .11   |
#   |  +- vp2 == eth0 of ga2 .12   |   |  +- vp2 == eth0 of gb2 .12   |
#   +------------------------------+   +------------------------------+
#   ga1 floods ga2; ga2 pings swa's     gb1 pings gb2 and gb2 pings swb's
#   host every 10 ms                    host, every 10 ms
#
#   this test's own netns: switch nswtXXXXXX with a dummy port nswdXXXXXX

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

FLOWING=20	# frames a port must carry before we call it traffic
UNLOAD_MS=$((3 * NSW_TEARDOWN_MS))	# rmmod under traffic, see below

ktap_header
nsw_require ip ping
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 14
nsw_kmsg_mark

declare swa ga1 ga2 swb gb1 gb2
setup_ns swa ga1 ga2 swb gb1 gb2 || ktap_bail "cannot create namespaces"
printf -v top_sw 'nswt%06x' $((SRANDOM & 0xffffff))
printf -v top_port 'nswd%06x' $((SRANDOM & 0xffffff))
defer ip link del "$top_sw"
defer ip link del "$top_port"

# switches: (re)create both switches and the top one, enslave their ports
switches()
{
	nsw_switch_add "$swa" sw0 10.0.0.1/24 &&
	nsw_ip "$swa" "link set vp1 master sw0" "link set vp2 master sw0" &&
	nsw_switch_add "$swb" sw0 10.0.0.1/24 &&
	nsw_ip "$swb" "link set vp1 master sw0" "link set vp2 master sw0" &&
	nsw_ip "" "link add $top_sw type nestsw" "link set $top_port master $top_sw"
}

build()
{
	nsw_switch_add "$swa" sw0 10.0.0.1/24 &&
	nsw_veth_port "$swa" sw0 vp1 "$ga1" 10.0.0.11/24 &&
	nsw_veth_port "$swa" sw0 vp2 "$ga2" 10.0.0.12/24 &&
	nsw_switch_add "$swb" sw0 10.0.0.1/24 &&
	nsw_veth_port "$swb" sw0 vp1 "$gb1" 10.0.0.11/24 &&
	nsw_veth_port "$swb" sw0 vp2 "$gb2" 10.0.0.12/24 &&
	nsw_ip "" "link add $top_port type dummy" "link add $top_sw type nestsw" \
		"link set $top_port master $top_sw"
}

forward()
{
	nsw_ping "$ga1" 10.0.0.12 3 && nsw_ping "$gb1" 10.0.0.12 3
}

# traffic: start the pings until the end of the defer scope
traffic()
{
	in_ns_bg "$ga1" ping -f -q -w 60 10.0.0.12 &&
	in_ns_bg "$ga2" ping -q -i 0.01 -w 60 10.0.0.1 &&
	in_ns_bg "$gb1" ping -q -i 0.01 -w 60 10.0.0.12 &&
	in_ns_bg "$gb2" ping -q -i 0.01 -w 60 10.0.0.1
}

flowing()
{
	cnt_mark "$swa" "$swb"
	if ! busywait "$NSW_TEARDOWN_MS" __cnt_reached "$swa" vp1 rx_packets "$FLOWING" ||
	   ! busywait "$NSW_TEARDOWN_MS" __cnt_reached "$swb" vp2 rx_packets "$FLOWING"; then
		echo "swa/vp1 rx +$(cnt_delta "$swa" vp1 rx_packets)," \
			"swb/vp2 rx +$(cnt_delta "$swb" vp2 rx_packets)"
		return 1
	fi
}

# no_switch_left: every switch is gone with the module
no_switch_left()
{
	local ns

	for ns in "$swa" "$swb"; do
		nsw_dev_gone "$ns" sw0 || { echo "sw0 of $ns is still there"; return 1; }
	done
	nsw_dev_gone "" "$top_sw" || { echo "$top_sw is still there"; return 1; }
	[[ ! -d /sys/module/nestsw ]] || { echo "/sys/module/nestsw is still there"; return 1; }
}

# ports_released: the ports are still there, without a master
ports_released()
{
	local ns dev master

	for ns in "$swa" "$swb"; do
		for dev in vp1 vp2; do
			master=$(nsw_master "$ns" "$dev") || { echo "$dev of $ns is gone"; return 1; }
			[[ -z $master ]] || { echo "$dev of $ns has master $master"; return 1; }
		done
	done
	master=$(nsw_master "" "$top_port") || { echo "$top_port is gone"; return 1; }
	[[ -z $master ]] || { echo "$top_port has master $master"; return 1; }
}

reforward()
{
	switches && forward
}

all_gone_ports_released()
{
	no_switch_left && ports_released
}

build || ktap_bail "cannot build the topology"
check "g1 pings g2 through sw0 in both namespaces" forward

# --- first unload, under traffic ------------------------------------------

defer_scope_push
traffic || ktap_bail "cannot start pings"
check "traffic flows through both switches" flowing
# Unregistering the switches and their RCU callbacks takes seconds to
# tens of seconds on the debug kernel under TCG: the bound catches a hang.
check "rmmod nestsw succeeds with three live switches under traffic" \
	nsw_unload "$UNLOAD_MS"
defer_scope_pop
check "every switch is gone with the module" no_switch_left
check "every port lives on, released" ports_released
check_fails "with the module gone, no nestsw device can be created" \
	in_ns "$swa" ip link add sw0 type nestsw

# --- load again, forward, second unload -----------------------------------

check "insmod nestsw again" nsw_load
check "new switches take the old ports and forward again" reforward

defer_scope_push
traffic || ktap_bail "cannot start pings"
check "traffic flows again" flowing
check "a second rmmod under traffic succeeds" nsw_unload "$UNLOAD_MS"
defer_scope_pop
check "every switch is gone again, and the ports are released" \
	all_gone_ports_released

check "insmod nestsw a third time" nsw_load
check "and it forwards once more" reforward

check_kmsg
ktap_finished

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Which devices can be ports: `ip link set DEV master sw0` takes any
# Ethernet device (veth, dummy, tap) as a guest port, `ip link set DEV
# nomaster` gives it back. Refused, with an "Error: nestsw: ..." message
# and nothing half-done: loopback, the switch itself, another nestsw
# switch, devices without an Ethernet header (tun, ipip, gre) and a device
# another rx handler already uses (the lower device of a macvlan).
#
# A port of a Linux bridge or of another nestsw never reaches nestsw as
# such: the kernel (rtnetlink's do_set_master) releases a device from its
# current master before it offers it to the new one, so `ip link set DEV
# master sw0` moves it. Checked: it ends up in sw0 and only there.
#
#   netns sw                                                 netns g1
#   +-------------------------------------------------------+ +------+
#   | sw0 (nestsw) <-- vp1 (veth) ==========================|=| eth0 |
#   |              <-- d0 (dummy), tap0 (tap)               | +------+
#   |              <-- vb1 (veth, first a port of br0)      |
#   |              <-- vs1 (veth, first a port of sw1)      |
#   |                                                       |
#   | refused: lo, sw0, sw1 (nestsw), tun0 (tun),           |
#   |          ipip1 (ipip), gre1 (gre), vm1 (under mv1,    |
#   |          a macvlan)                                   |
#   | br0 (bridge)   sw1 (nestsw)                           |
#   +-------------------------------------------------------+

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

ktap_header
nsw_require ip
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 18
nsw_kmsg_mark
declare sw g1
setup_ns sw g1 || ktap_bail "cannot create namespaces"

# is_port NS DEV SW: DEV's master is SW, and SW lists DEV among its ports
is_port()
{
	local master

	master=$(nsw_master "$1" "$2")
	[[ $master == "$3" ]] || { echo "$2 has master '$master'"; return 1; }
	nsw_ports "$1" "$3" | grep -qx -- "$2" || { echo "$3 does not list $2"; return 1; }
}

# not_port NS DEV SW: DEV has no master, SW does not list it
not_port()
{
	local master

	master=$(nsw_master "$1" "$2")
	[[ -z $master ]] || { echo "$2 has master '$master'"; return 1; }
	! nsw_ports "$1" "$3" | grep -qx -- "$2" || { echo "$3 lists $2"; return 1; }
}

# not_listed NS DEV MASTER: MASTER does not list DEV among its ports
not_listed()
{
	! nsw_ports "$1" "$3" | grep -qx -- "$2" || { echo "$3 lists $2"; return 1; }
}

# enslaved NS DEV SW: `ip link set DEV master SW` succeeds and DEV is a port
enslaved()
{
	in_ns "$1" ip link set "$2" master "$3" && is_port "$@"
}

released()
{
	in_ns "$1" ip link set "$2" nomaster && not_port "$@"
}

role_is()
{
	local out

	out=$(nsw_tool "$1" -j port show dev "$2") || return
	echo "$out"
	[[ $out =~ \"role\":\ *\"$3\" ]]
}

nsw_ip "$sw" "link add sw0 type nestsw" "link add sw1 type nestsw" \
	"link set sw0 up" "link add vp1 type veth peer name eth0 netns $g1" \
	"link add d0 type dummy" || ktap_bail "cannot create sw0, sw1, vp1, d0"
# /dev/net/tun appears with the module (no udev, no static nodes in the VM)
modprobe -q tun 2>/dev/null

# --- accepted -------------------------------------------------------------

check "a veth is enslaved to sw0 and listed as its port" enslaved "$sw" vp1 sw0
if [[ -x $NSW_TOOL ]]; then
	check "a new port's role is guest" role_is "$sw" vp1 guest
else
	ktap_skip "a new port's role is guest" "$NSW_TOOL not built"
fi
check "a dummy device is enslaved to sw0" enslaved "$sw" d0 sw0
if nsw_ip "$sw" "tuntap add tap0 mode tap" >/dev/null; then
	check "a tap device is enslaved to sw0" enslaved "$sw" tap0 sw0
else
	ktap_skip "a tap device is enslaved to sw0" "cannot create a tap device"
fi
check "vp1 is released with nomaster and no longer listed" released "$sw" vp1 sw0
check "a released port is enslaved again" enslaved "$sw" vp1 sw0

# --- refused --------------------------------------------------------------

check_refused "the loopback device is refused" \
	"$sw" lo in_ns "$sw" ip link set lo master sw0
check_refused "sw0 cannot be its own port" \
	"$sw" sw0 in_ns "$sw" ip link set sw0 master sw0
check_refused "another nestsw switch (sw1) cannot be a port of sw0" \
	"$sw" sw1 in_ns "$sw" ip link set sw1 master sw0

if nsw_ip "$sw" "tuntap add tun0 mode tun" >/dev/null; then
	check_refused "a tun device (no Ethernet header) is refused" \
		"$sw" tun0 in_ns "$sw" ip link set tun0 master sw0
else
	ktap_skip "a tun device (no Ethernet header) is refused" "cannot create a tun device"
fi
if nsw_ip "$sw" "link add ipip1 type ipip local 192.0.2.1 remote 192.0.2.2" >/dev/null; then
	check_refused "an ipip tunnel is refused" \
		"$sw" ipip1 in_ns "$sw" ip link set ipip1 master sw0
else
	ktap_skip "an ipip tunnel is refused" "cannot create an ipip device"
fi
if nsw_ip "$sw" "link add gre1 type gre local 192.0.2.1 remote 192.0.2.3" >/dev/null; then
	check_refused "a gre tunnel is refused" \
		"$sw" gre1 in_ns "$sw" ip link set gre1 master sw0
else
	ktap_skip "a gre tunnel is refused" "cannot create a gre device"
fi
if nsw_ip "$sw" "link add vm1 type veth peer name vm2" \
	"link add mv1 link vm1 type macvlan mode bridge" >/dev/null; then
	check_refused "a device a macvlan sits on (rx handler in use) is refused" \
		"$sw" vm1 in_ns "$sw" ip link set vm1 master sw0
	check "the macvlan on the refused device is untouched" \
		nsw_dev_exists "$sw" mv1
else
	ktap_skip "a device a macvlan sits on (rx handler in use) is refused" \
		"cannot create a macvlan"
	ktap_skip "the macvlan on the refused device is untouched" \
		"cannot create a macvlan"
fi

# --- moved from another master --------------------------------------------

# moved NS DEV FROM TO: DEV, a port of FROM, set to master TO is TO's only
moved()
{
	enslaved "$1" "$2" "$4" && not_listed "$1" "$2" "$3"
}

if nsw_ip "$sw" "link add br0 type bridge" "link add vb1 type veth peer name vb2" \
	"link set vb1 master br0" "link add vs1 type veth peer name vs2" \
	"link set vs1 master sw1"; then
	check "a port of bridge br0 set to master sw0 moves: it is sw0's port" \
		enslaved "$sw" vb1 sw0
	check "and br0 no longer has it" not_listed "$sw" vb1 br0
	check "a port of switch sw1 set to master sw0 moves to sw0, out of sw1" \
		moved "$sw" vs1 sw1 sw0
else
	ktap_fail "a port of bridge br0 set to master sw0 moves: it is sw0's port"
	ktap_fail "and br0 no longer has it"
	ktap_fail "a port of switch sw1 set to master sw0 moves to sw0, out of sw1"
fi

check_kmsg
ktap_finished

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A port must be a device the Linux bridge would take (br_add_if). Beyond
# what enslave.sh checks (loopback, non-Ethernet, the switch itself, a
# busy device), nestsw refuses, with an "Error: nestsw: ..." message and
# nothing half-done:
# - a device stacked on the switch (a VLAN or a macvlan of sw0): it would
#   loop sw0's frames back into sw0; a VLAN of another device is a port
#   as before;
# - a device that does not allow bridging (IFF_DONT_BRIDGE): a Wi-Fi
#   station, here mac80211_hwsim's (Debian's kernels; the debug kernel has
#   no Wi-Fi: skipped there). The Linux bridge refusing it too shows that
#   the device has the flag.
#
#   netns sw                                 the test's own netns
#   +-----------------------------------+    +----------------------------+
#   | sw0 (nestsw) <-- d0.10 (VLAN of   |    | sww (nestsw)  br0 (bridge) |
#   |                   dummy d0)       |    |                            |
#   | refused: sw0.10 (VLAN of sw0),    |    | refused by both: wlan0     |
#   |          mv0 (macvlan of sw0)     |    |   (mac80211_hwsim station) |
#   +-----------------------------------+    +----------------------------+
#
# Wi-Fi devices cannot change netns by `ip link set netns`, so the Wi-Fi
# checks run in the test's own netns.

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

ktap_header
nsw_require ip
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 8
nsw_kmsg_mark
declare sw
setup_ns sw || ktap_bail "cannot create namespaces"

modprobe -q 8021q 2>/dev/null
nsw_ip "$sw" "link add sw0 type nestsw" "link set sw0 up" \
	"link add d0 type dummy" "link add link d0 name d0.10 type vlan id 10" \
	"link add link sw0 name sw0.10 type vlan id 10" \
	"link add link sw0 name mv0 type macvlan mode bridge" ||
	ktap_bail "cannot create sw0, d0, d0.10, sw0.10, mv0"

# --- stacked on the switch --------------------------------------------------

check_refused "a VLAN device on sw0 (sw0.10) is refused as a port of sw0" \
	"$sw" sw0.10 in_ns "$sw" ip link set sw0.10 master sw0
check_refused "a macvlan on sw0 (mv0) is refused as a port of sw0" \
	"$sw" mv0 in_ns "$sw" ip link set mv0 master sw0
untouched()
{
	nsw_dev_exists "$sw" sw0.10 && nsw_dev_exists "$sw" mv0 &&
	[[ -z $(nsw_ports "$sw" sw0) ]]
}
check "sw0.10 and mv0 are still there, and sw0 has no port" untouched
d0_10_is_port()
{
	in_ns "$sw" ip link set d0.10 master sw0 &&
	[[ $(nsw_master "$sw" d0.10) == sw0 ]]
}
check "a VLAN device on a dummy (d0.10) is a port of sw0" d0_10_is_port

# --- IFF_DONT_BRIDGE ---------------------------------------------------------

WIFI_CHECKS=(
	"a Wi-Fi station (wlan0) cannot be a port of a Linux bridge: it has IFF_DONT_BRIDGE"
	"a Wi-Fi station (wlan0) is refused as a port of sww"
	"the bridge and sww take a dummy: the refusals were about wlan0"
)

# wifi_station: the name of a Wi-Fi station device of mac80211_hwsim
wifi_station()
{
	local d type

	for d in /sys/class/net/*; do
		[[ -e $d/phy80211 ]] || continue
		read -r type <"$d/type"
		((type == 1)) && { echo "${d##*/}"; return 0; }
	done
	return 1
}

wifi=
if [[ -d /sys/module/mac80211_hwsim ]]; then
	ktap_info "mac80211_hwsim is loaded already: not using it"
elif modprobe -q mac80211_hwsim radios=1 2>/dev/null; then
	defer rmmod mac80211_hwsim
	busywait 5000 wifi_station >/dev/null
	wifi=$(wifi_station)
fi
if [[ -n $wifi ]]; then
	ip link add sww type nestsw && defer ip link del sww
	ip link add br0 type bridge && defer ip link del br0
	ip link add dmw type dummy && defer ip link del dmw
	ip link add dmb type dummy && defer ip link del dmb
	ktap_info "the Wi-Fi station is $wifi"
	check_fails "${WIFI_CHECKS[0]}" ip link set "$wifi" master br0
	check_refused "${WIFI_CHECKS[1]}" "" "$wifi" ip link set "$wifi" master sww
	check "${WIFI_CHECKS[2]}" ip -batch - <<<"link set dmb master br0
link set dmw master sww"
else
	for c in "${WIFI_CHECKS[@]}"; do
		ktap_skip "$c" "no Wi-Fi station (mac80211_hwsim) on this kernel"
	done
fi

check_kmsg
ktap_finished

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A switch's life: `ip link add sw0 type nestsw` makes an Ethernet device
# with a random MAC that can carry the host's address; `ip link del sw0`
# removes it and releases its ports, which live on and can join another
# switch. Many create/delete cycles, with and without ports, leave nothing
# behind.
#
#   netns a                                         netns b
#   +--------------------------------------------+  +-------------+
#   |  sw0 (nestsw) 10.0.0.1/24    sw1 (nestsw)  |  | sw0 (nestsw)|
#   |   |                                        |  |  same name, |
#   |   +-- vp1 ====veth==== vq1                 |  |  other netns|
#   |   +-- vp2 ====veth==== vq2                 |  +-------------+
#   |   +-- d0  (dummy)                          |
#   |                                            |
#   |  swc: created, given vp1 vp2 d0, deleted,  |
#   |       30 times; sw9: created and deleted   |
#   |       100 times; sw-0..sw-19 at once       |
#   +--------------------------------------------+

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

CYCLES=100
PORT_CYCLES=30
MANY=20

ktap_header
nsw_require ip
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 22
nsw_kmsg_mark
declare a b
setup_ns a b || ktap_bail "cannot create namespaces"

# kind_is NS DEV KIND
kind_is()
{
	local out

	out=$(in_ns "$1" ip -d -o link show dev "$2") || return
	[[ $out =~ [[:space:]]$3[[:space:]] ]]
}

# mac_is_random_unicast NS DEV: not zero, not multicast, locally administered
mac_is_random_unicast()
{
	local mac first

	mac=$(nsw_mac "$1" "$2") || return 1
	echo "$2 has MAC $mac"
	first=$((16#${mac%%:*}))
	[[ $mac != 00:00:00:00:00:00 ]] && ((!(first & 1) && (first & 2)))
}

# switches NS: how many nestsw devices NS has
switches()
{
	local out lines

	out=$(in_ns "$1" ip -o link show type nestsw) || return
	mapfile -t lines <<<"$out"
	[[ -n $out ]] || lines=()
	echo "${#lines[@]}"
}

has_addr()
{
	local out

	out=$(in_ns "$1" ip -4 -o addr show dev "$2") || return
	[[ $out == *" $3/"* ]]
}

is_up()
{
	local flags

	read -r flags <"$(ns_root "$1")/sys/class/net/$2/flags" || return
	((flags & 1))
}

up_with_addr()
{
	is_up "$1" "$2" && has_addr "$1" "$2" "$3"
}

# gone_with_addr NS DEV ADDR: DEV is gone and nothing holds ADDR any more
gone_with_addr()
{
	local out

	nsw_dev_gone "$1" "$2" || return
	out=$(in_ns "$1" ip -4 -o addr show) || return
	[[ $out != *" $3/"* ]]
}

# ports_of NS SW DEV...: each DEV is a port of SW
ports_of()
{
	local ns=$1 sw=$2 dev master; shift 2

	for dev in "$@"; do
		master=$(nsw_master "$ns" "$dev")
		[[ $master == "$sw" ]] || { echo "$dev has master '$master'"; return 1; }
	done
}

# batch NS FILE: `ip -batch FILE` in NS, timed
batch()
{
	local start rc

	__now
	start=$NSW_NOW
	in_ns "$1" ip -batch "$2"
	rc=$?
	__now
	ktap_info "ip -batch $(wc -l <"$2") commands: $(((NSW_NOW - start) / 1000)) ms"
	return "$rc"
}

# enslave NS SW DEV...: make each DEV an up port of SW
enslave()
{
	local ns=$1 sw=$2 dev lines=(); shift 2

	for dev in "$@"; do
		lines+=("link set $dev master $sw" "link set $dev up")
	done
	nsw_ip "$ns" "${lines[@]}"
}

# --- create ---------------------------------------------------------------

check "ip link add sw0 type nestsw creates a switch" \
	in_ns "$a" ip link add sw0 type nestsw
check "sw0 is a device of kind nestsw" kind_is "$a" sw0 nestsw
check "sw0 has a random unicast, locally administered MAC" \
	mac_is_random_unicast "$a" sw0
nsw_ip "$a" "link add sw1 type nestsw"
check_fails "a second switch gets a MAC of its own, not sw0's" \
	test "$(nsw_mac "$a" sw0)" = "$(nsw_mac "$a" sw1)"
check_fails "a second device named sw0 in the same netns is refused" \
	in_ns "$a" ip link add sw0 type nestsw
check "another netns can have its own sw0 at the same time" \
	in_ns "$b" ip link add sw0 type nestsw

nsw_ip "$a" "link set sw0 up" "addr add 10.0.0.1/24 dev sw0"
check "sw0 comes up and holds the host's address 10.0.0.1/24" \
	up_with_addr "$a" sw0 10.0.0.1

# --- delete ---------------------------------------------------------------

check "ip link del sw0 removes the switch" in_ns "$a" ip link del sw0
check "sw0 is gone from netns a, and its address with it" \
	gone_with_addr "$a" sw0 10.0.0.1
check "sw0 of netns b is still there" nsw_dev_exists "$b" sw0
check_fails "deleting sw0 again fails: it is gone" in_ns "$a" ip link del sw0

# --- cycles ---------------------------------------------------------------

for ((i = 0; i < CYCLES; i++)); do
	echo "link add sw9 type nestsw"
	echo "link set sw9 up"
	echo "link del sw9"
done >"$NSW_TMP/cycles"
check "$CYCLES create/up/delete cycles of a switch succeed" batch "$a" "$NSW_TMP/cycles"
check_eq "no switch is left over but sw1" "$(switches "$a")" 1

for ((i = 0; i < MANY; i++)); do
	echo "link add sw-$i type nestsw"
done >"$NSW_TMP/many-add"
for ((i = 0; i < MANY; i++)); do
	echo "link del sw-$i"
done >"$NSW_TMP/many-del"
batch "$a" "$NSW_TMP/many-add"
check_eq "$MANY switches live side by side in one netns" "$(switches "$a")" $((MANY + 1))
batch "$a" "$NSW_TMP/many-del"
check_eq "deleting them leaves only sw1" "$(switches "$a")" 1

nsw_ip "$a" "link add vp1 type veth peer name vq1" \
	"link add vp2 type veth peer name vq2" "link add d0 type dummy" \
	"link set vq1 up" "link set vq2 up" ||
	ktap_bail "cannot create the veth and dummy devices"

for ((i = 0; i < PORT_CYCLES; i++)); do
	echo "link add swc type nestsw"
	echo "link set vp1 master swc"
	echo "link set vp2 master swc"
	echo "link set d0 master swc"
	echo "link set swc up"
	echo "link set vp1 up"
	echo "link del swc"
	echo "link set vp1 down"
done >"$NSW_TMP/port-cycles"
check "$PORT_CYCLES cycles of create, enslave veth and dummy, delete succeed" \
	batch "$a" "$NSW_TMP/port-cycles"
check "after the cycles vp1, vp2 and d0 exist and have no master" \
	nsw_released "$a" vp1 vp2 d0

# --- delete with ports attached -------------------------------------------

if ! nsw_switch_add "$a" sw0 10.0.0.1/24 || ! enslave "$a" sw0 vp1 vp2 d0; then
	ktap_bail "cannot build sw0 with three ports"
fi
check "sw0 has the ports vp1, vp2 and d0" ports_of "$a" sw0 vp1 vp2 d0
check "an up switch with an address and three up ports is deleted" \
	in_ns "$a" ip link del sw0
check "its ports live on, released (no master)" nsw_released "$a" vp1 vp2 d0
nsw_ip "$a" "link add sw2 type nestsw"
enslave "$a" sw2 vp1 vp2 d0
check "the released ports join a new switch" ports_of "$a" sw2 vp1 vp2 d0

check_kmsg
ktap_finished

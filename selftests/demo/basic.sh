#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make demo": two guests and the host on one nestsw switch.
#
#   +-- ns guest1 ------+   +-- ns guest2 ------+
#   | eth0 10.0.0.1/24  |   | eth0 10.0.0.2/24  |
#   +--------|----------+   +--------|----------+
#        vg1 (port)              vg2 (port)
#   +--------|-----------------------|----------+
#   |        +--------- sw0 ---------+          |
#   |                10.0.0.254/24 (the host)   |
#   +-------------------------------------------+
set -euo pipefail

cleanup()
{
	ip netns del guest1 2>/dev/null || true
	ip netns del guest2 2>/dev/null || true
	ip link del sw0 2>/dev/null || true
}
trap cleanup EXIT

step()
{
	printf '\n$ %s\n' "$*"
	"$@"
}

grep -q '^nestsw ' /proc/modules || insmod "$NESTSW_KO"

ip link add sw0 type nestsw
ip addr add 10.0.0.254/24 dev sw0
ip link set sw0 up
for i in 1 2; do
	ip netns add "guest$i"
	ip link add "vg$i" type veth peer name eth0 netns "guest$i"
	ip link set "vg$i" master sw0 up
	ip -n "guest$i" addr add "10.0.0.$i/24" dev eth0
	ip -n "guest$i" link set eth0 up
done

step ip -d link show master sw0
step ip netns exec guest1 ping -c 3 -i 0.2 10.0.0.2
step ip netns exec guest2 ping -c 3 -i 0.2 10.0.0.254
step ip -s link show sw0
step ip -s link show master sw0
echo
echo "demo: guest1, guest2 and the host talk through sw0"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The TCP half of `make bench` (selftests/bench/bench.sh boots a VM of two
# vCPUs for it, without instruction counting): iperf3 over veth guests,
# through nestsw and through the Linux bridge, on three paths. Throughput
# here is wall-clock and an emulated machine's speed drifts from second to
# second, so both switches are up side by side and each run through one is
# followed by the same run through the other (in turn first); only the
# ratio of such a pair counts (report.py: the median over rounds, and
# their spread). One line per run:
#
#   bench-tcp round=R impl=nestsw|bridge path=PATH mbps=N retr=N
#
#   netns n1 .11   netns n2 .12          netns b1 .11   netns b2 .12
#      eth0           eth0                  eth0           eth0
#       |              |                     |              |
#      np1 -- sw0 -- np2                    bp1 -- br0 -- bp2
#        10.9.0.1 (host)                      10.9.1.1 (host)
#
# Paths: g2g (guest to guest), h2g (the host to a guest: what it sends
# through the switch device), g2h (a guest to the host). The switches as a
# user would have them: nestsw's default port group (veth guests' MACs
# follow their peers), the bridge's defaults.
#
# Env: BENCH_TCP_ROUNDS (7), BENCH_TCP_SECS (5 seconds a run), BENCH_KO
# (default NESTSW_KO).
set -euo pipefail

ROUNDS=${BENCH_TCP_ROUNDS:-7}
SECS=${BENCH_TCP_SECS:-5}
KO=${BENCH_KO:-${NESTSW_KO:-}}

die() { echo "bench: error: $*" >&2; exit 1; }
info() { echo "bench-info $*"; }

ip_batch() { printf '%s\n' "$@" | ip -batch -; }

# The switch device of IMPL, its guests' namespaces, its subnet.
sw_dev() { [[ $1 == nestsw ]] && echo sw0 || echo br0; }
prefix() { [[ $1 == nestsw ]] && echo n || echo b; }
net() { [[ $1 == nestsw ]] && echo 10.9.0 || echo 10.9.1; }

# in_ns NS CMD...: CMD in netns NS, or here if NS is empty
in_ns() {
	local ns=$1; shift
	if [[ -n $ns ]]; then
		ip netns exec "$ns" "$@"
	else
		"$@"
	fi
}

wait_ping() {
	local try
	for ((try = 0; try < 30; try++)); do
		in_ns "$1" ping -c 1 -W 1 -q "$2" >/dev/null 2>&1 && return 0
	done
	return 1
}

# up IMPL: the switch with the host's address .1 and two guests; an
# iperf3 server in the second guest
up() {
	local dev p net i
	dev=$(sw_dev "$1") p=$(prefix "$1") net=$(net "$1")
	ip_batch "link add $dev type $1" "addr add $net.1/24 dev $dev" \
		"link set $dev up"
	for i in 1 2; do
		ip netns add "$p$i"
		ip_batch "link add ${p}p$i type veth peer name eth0 netns $p$i" \
			"link set ${p}p$i master $dev" "link set ${p}p$i up"
		ip -n "$p$i" addr add "$net.1$i/24" dev eth0
		ip -n "$p$i" link set eth0 up
		ip -n "$p$i" link set lo up
	done
	ip netns exec "${p}2" iperf3 -s -D
	# until every path answers (ports come up, addresses resolve)
	if ! { wait_ping "${p}1" "$net.12" && wait_ping "" "$net.12" &&
	       wait_ping "${p}1" "$net.1"; }; then
		die "$1: the guests do not answer"
	fi
}

# iperf NS DST: one run from NS to DST; prints "MBPS RETRANSMITS"
iperf() {
	local out
	out=$(in_ns "$1" iperf3 -c "$2" -t "$SECS" -J) ||
		die "iperf3 from '${1:-host}' to $2 failed: $(jq -r '.error // empty' <<<"$out")"
	jq -r '"\(.end.sum_received.bits_per_second / 1e6 | floor)" +
	       " \(.end.sum_sent.retransmits)"' <<<"$out"
}

# run ROUND IMPL PATH: one run, one line
run() {
	local p net ns dst res mbps retr
	p=$(prefix "$2") net=$(net "$2")
	case $3 in
	g2g) ns=${p}1 dst=$net.12 ;;
	h2g) ns="" dst=$net.12 ;;
	g2h) ns=${p}1 dst=$net.1 ;;
	esac
	res=$(iperf "$ns" "$dst") || exit 1
	read -r mbps retr <<<"$res"
	echo "bench-tcp round=$1 impl=$2 path=$3 mbps=$mbps retr=$retr"
}

main() {
	local round path impls
	[[ -f $KO ]] || die "no module: '$KO'"
	command -v iperf3 >/dev/null || die "no iperf3 (make setup)"
	modprobe -a bridge veth
	lsmod | grep -q '^nestsw ' || insmod "$KO"
	sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 2>/dev/null || true
	info "kernel=$(uname -r) cpus=$(nproc) rounds=$ROUNDS secs=$SECS"
	# the host's server, bound to any address, serves both switches
	iperf3 -s -D
	up nestsw
	up bridge
	iperf n1 10.9.0.12 >/dev/null || exit 1	# warm-ups, not counted
	iperf b1 10.9.1.12 >/dev/null || exit 1
	for ((round = 1; round <= ROUNDS; round++)); do
		impls="nestsw bridge"
		((round % 2)) || impls="bridge nestsw"
		for path in g2g h2g g2h; do
			run "$round" "${impls% *}" "$path"
			run "$round" "${impls#* }" "$path"
		done
	done
	echo "bench-tcp-done"
}

main "$@"

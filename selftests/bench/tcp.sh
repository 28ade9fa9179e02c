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
# Then, in the same boot, a MAC flood on two CPUs (flood2): pktgen sends
# legitimate frames d0 -> d1 on CPU 1 while CPU 0 floods fl0 and fl1, two
# ports at their mac-limit (limit-policy drop), from a million sources;
# against CPU 0 sending as many known frames on c0 and c1. The ratio of
# the legitimate rates shows what the flood costs the other traffic
# beyond a CPU's share (TCG runs the two vCPUs in turn in one thread: no
# cache effects, but a lock the flood held would show). One line per run:
#
#   bench-flood2 round=R pair=P mode=flood|control kpps=N
#
# Env: BENCH_TCP_ROUNDS (7), BENCH_TCP_SECS (5 seconds a run), BENCH_KO
# (default NESTSW_KO), BENCH_FLOOD2_ROUNDS (5, two pairs each: 0 leaves
# it out), BENCH_FLOOD2_PKTS (100000 legitimate frames a run), NSW_TOOL.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROUNDS=${BENCH_TCP_ROUNDS:-7}
SECS=${BENCH_TCP_SECS:-5}
KO=${BENCH_KO:-${NESTSW_KO:-}}
F2_ROUNDS=${BENCH_FLOOD2_ROUNDS:-5}
F2_PKTS=${BENCH_FLOOD2_PKTS:-100000}
TOOL=${NSW_TOOL:-$HERE/../../tools/nestsw/nestsw}

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

# --- flood2 -------------------------------------------------------------

tool() { "$TOOL" "$@"; }

# shellcheck source=selftests/bench/pktgen.sh
source "$HERE/pktgen.sh"

# pg_kpps DEV: thousands of frames a second of DEV's last run, all sent
pg_kpps() {
	local usec sent
	read -r usec sent <<<"$(pg_result "$1")"
	((sent == F2_PKTS)) || die "pktgen $1 sent $sent"
	echo $((sent * 1000 / usec))
}

F2_DST=02:00:00:00:0d:01
F2_SRC=02:00:00:00:0a:01

# sw1: d0, d1, c0, c1 learn (d1 has learned F2_DST); fl0, fl1 at their
# mac-limit of 4096 already
flood2_up() {
	local i=0 dev
	modprobe pktgen
	for dev in d0 d1 c0 c1 fl0 fl1; do
		ip_batch "link add $dev address $(printf '02:00:00:00:01:%02x' "$i") type dummy" \
			"link set $dev up"
		i=$((i + 1))
	done
	ip_batch "link add sw1 type nestsw" "link set sw1 up"
	tool pg add dev sw1 name learn forged-transmits accept learning on \
		ageing 1000000
	tool pg add dev sw1 name flood forged-transmits accept learning on \
		mac-limit 4096 limit-policy drop ageing 1000000
	for dev in d0 d1 c0 c1 fl0 fl1; do
		ip link set "$dev" master sw1
		tool port set dev "$dev" pg "$([[ $dev == fl* ]] && echo flood || echo learn)"
	done
	pg_clear
	pg_add_on 0 d1 10 "$F2_DST" "$F2_DST"
	pg_start
	pg_clear
	pg_add_on 0 fl0 100000 "$F2_DST" 02:30:00:00:00:00 "src_mac_count 1000000"
	pg_add_on 1 fl1 100000 "$F2_DST" 02:31:00:00:00:00 "src_mac_count 1000000"
	pg_start
	info "flood2 learned=$(tool -j stats dev fl0 | jq -r '.[0].learning.entries'),$(tool -j stats dev fl1 | jq -r '.[0].learning.entries') pkts=$F2_PKTS"
}

# flood2_run ROUND PAIR MODE: one run of the legitimate frames beside a
# flood or beside known frames, one line
flood2_run() {
	pg_clear
	pg_add_on 1 d0 "$F2_PKTS" "$F2_DST" "$F2_SRC"
	if [[ $3 == flood ]]; then
		pg_add_on 0 fl0 "$F2_PKTS" "$F2_DST" 02:30:00:00:00:00 "src_mac_count 1000000"
		pg_add_on 0 fl1 "$F2_PKTS" "$F2_DST" 02:31:00:00:00:00 "src_mac_count 1000000"
	else
		pg_add_on 0 c0 "$F2_PKTS" "$F2_DST" 02:00:00:00:0c:00
		pg_add_on 0 c1 "$F2_PKTS" "$F2_DST" 02:00:00:00:0c:01
	fi
	pg_start
	echo "bench-flood2 round=$1 pair=$2 mode=$3 kpps=$(pg_kpps d0)"
}

flood2() {
	local round
	((F2_ROUNDS > 0)) || return 0
	flood2_up
	for ((round = 1; round <= F2_ROUNDS; round++)); do
		flood2_run "$round" 1 flood
		flood2_run "$round" 1 control
		flood2_run "$round" 2 control
		flood2_run "$round" 2 flood
	done
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
	flood2
	echo "bench-tcp-done"
}

main "$@"

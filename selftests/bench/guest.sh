#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest half of `make bench` (selftests/bench/bench.sh boots the VM):
# sets up each case on dummy ports, injects 64-byte frames with pktgen
# (xmit_mode netif_receive: the receive path runs with no NIC) and prints
# one line per run:
#
#   bench case=CASE impl=IMPL inst=N rep=N pkts=N ns=N delivered=N leaked=N
#
# "ns" is pktgen's elapsed time; under `run.sh -i` guest time counts
# instructions, one per ns, so ns / pkts is instructions per packet. The
# baseline is the same injection into a lone dummy. "delivered" frames
# left by d1, "leaked" by any other port (a flood). Other lines:
#
#   bench-info KEY=VALUE ...      facts of a case (FDB size, memory)
#
#       pktgen                    pktgen
#         |                         |
#   +-----|----------------+     +--|--+
#   |    d0  -->  d1 (drop) |     | d0  |  baseline: a lone dummy
#   |   sw0 / br0 / dp0     |     +-----+
#   +-----------------------+
#
# Cases (DST is d1's MAC, SRC d0's; never a source the sweeps use):
#   a  known unicast, no policies: nestsw PG forged-transmits accept,
#      learning off, DST d1's guest MAC; bridge learning and flooding on,
#      a static entry for DST; OVS one wildcarded flow in_port(1) -> 2
#   b  known unicast, forged-transmits reject, learning on, access VLAN 10
#      on both ports; bridge vlan_filtering, pvid 10 untagged on both
#   c  known unicast to a learned DST with 1k, 64k, 1M learned entries
#      (sources swept on 16 fill ports of mac-limit 65536)
#   d  every frame from a new source (the cost of creating an entry)
#   e  a 1M-source MAC flood into a port of mac-limit 4096, then
#      legitimate traffic d0 -> d1 on other ports, against no flood
#   f  known unicast with 10, 1000, 100000 every-VLAN entries (static,
#      on f0: a big lab's guest MACs) in the FDB, to DST learned on d1
#      and to DSTG, d1's guest MAC
#   g  the floor of a port-to-port move, tc matchall mirred redirect
#      d0 -> d1, against nestsw under every policy (case b's port group)
#      and the bridge (b's): with pktgen's shared skbs, which a switch
#      must clone (skb_share_check), and unshared ("flag !SHARED", 6.12's
#      pktgen, not 6.1's), as frames from a veth, tap or NIC arrive
#
# Env: BENCH_PKTS (200000), BENCH_REPS (3, after a warm-up), BENCH_INST (3
# fresh instances of a switch per case: hash seeds differ, the host side
# quotes the cheapest; OVS gets 2), BENCH_CASES ("a b c d e f g"), BENCH_FDB
# ("1000 64000 1048576"), BENCH_FLOOD (1048576), BENCH_LEARN (60000 new
# sources per run of d), BENCH_ANY ("10 1000 100000" every-VLAN entries
# of f), BENCH_KO (default NESTSW_KO), NSW_TOOL.
set -euo pipefail

PKTS=${BENCH_PKTS:-200000}
REPS=${BENCH_REPS:-3}
INST=${BENCH_INST:-3}
CASES=${BENCH_CASES:-a b c d e f g}
FDB_SIZES=${BENCH_FDB:-1000 64000 1048576}
FLOOD=${BENCH_FLOOD:-1048576}
LEARN=${BENCH_LEARN:-60000}
ANY_SIZES=${BENCH_ANY:-10 1000 100000}
HERE=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
TOOL=${NSW_TOOL:-$HERE/../../tools/nestsw/nestsw}
KO=${BENCH_KO:-${NESTSW_KO:-}}

SRC=02:00:00:00:00:01		# the frames' source: a guest behind d0
DST=02:00:00:00:00:02		# their destination: a guest behind d1
DSTG=02:00:00:00:00:03		# d1's own guest MAC (case f)
FILL_PORTS=16			# ports the FDB of case c is learned on
MAC_LIMIT_MAX=65536

die() { echo "bench: error: $*" >&2; exit 1; }
info() { echo "bench-info $*"; }

# shellcheck source=selftests/bench/pktgen.sh
source "$HERE/pktgen.sh"

# pg_ns DEV: "NS SENT" of DEV's last run
pg_ns() {
	local usec sent
	read -r usec sent <<<"$(pg_result "$1")"
	echo "$((usec * 1000)) $sent"
}

# run DEV COUNT DST SRC [CMD...]: one run; prints "NS SENT"
run() {
	local dev=$1
	pg_clear
	pg_add "$@"
	pg_start
	pg_ns "$dev"
}

# Frames d1 sent (dropped by the dummy): what reached the destination.
delivered() {
	if [[ -e /sys/class/net/d1 ]]; then
		cat /sys/class/net/d1/statistics/tx_packets
	else
		echo 0
	fi
}

# Frames the other ports sent: known unicast floods none.
leaked() {
	local f n sum=0
	for f in /sys/class/net/*/statistics/tx_packets; do
		case $f in
		*/d1/* | */lo/* | */sw0/* | */br0/*) continue ;;
		esac
		read -r n <"$f"
		sum=$((sum + n))
	done
	echo "$sum"
}

# result CASE IMPL INST REP DEV COUNT DST SRC [CMD...]: one run, one line
result() {
	local line="case=$1 impl=$2 inst=$3 rep=$4" ns sent out leak; shift 4
	out=$(delivered) leak=$(leaked)
	read -r ns sent <<<"$(run "$@")"
	echo "bench $line pkts=$sent ns=$ns delivered=$(($(delivered) - out))" \
		"leaked=$(($(leaked) - leak))"
}

# measure CASE IMPL INST DEV DST SRC [CMD...]: a warm-up, then REPS runs
measure() {
	local cse=$1 impl=$2 inst=$3 rep; shift 3
	run "$1" "$PKTS" "${@:2}" >/dev/null
	for ((rep = 1; rep <= REPS; rep++)); do
		result "$cse" "$impl" "$inst" "$rep" "$1" "$PKTS" "${@:2}"
	done
}

ip_batch() { printf '%s\n' "$@" | ip -batch -; }

# dummies NAME...: up, with MACs 02:00:00:00:01:NN (SRC and DST are the
# guests' behind them: a bridge sends a frame to its port's own MAC up)
dummies() {
	local i=0 dev mac
	for dev in "$@"; do
		mac=$(printf '02:00:00:00:01:%02x' "$i")
		ip_batch "link add $dev address $mac type dummy" "link set $dev up"
		i=$((i + 1))
	done
}

del_all() {
	local dev
	for dev in sw0 br0 d0 d1 $(fill_names) fl0; do
		if [[ -e /sys/class/net/$dev ]]; then
			ip link del "$dev"
		fi
	done
	ovs-dpctl del-dp dp0 2>/dev/null || true
}

fill_names() {
	local i
	for ((i = 0; i < FILL_PORTS; i++)); do
		printf 'f%d ' "$i"
	done
}

tool() { "$TOOL" "$@"; }

# A guest port's MACs, as a hypervisor's agent would set them.
guest_macs() { tool port set dev "$1" initial-mac "$2" effective-mac "$2"; }

# nestsw_pair PG: sw0 with d0 and d1 in PG (created by the caller)
nestsw_switch() {
	ip_batch "link add sw0 type nestsw" "link set sw0 up"
}

nestsw_ports() {
	local pg=$1 dev; shift
	for dev in "$@"; do
		ip link set "$dev" master sw0
		tool port set dev "$dev" pg "$pg"
	done
}

setup_nestsw_a() {
	dummies d0 d1
	nestsw_switch
	tool pg add dev sw0 name bench forged-transmits accept learning off
	nestsw_ports bench d0 d1
	guest_macs d1 "$DST"
}

setup_nestsw_b() {
	dummies d0 d1
	nestsw_switch
	tool pg add dev sw0 name bench vlan 10 forged-transmits reject learning on
	nestsw_ports bench d0 d1
	guest_macs d0 "$SRC"
	guest_macs d1 "$DST"
}

bridge_add() {
	ip_batch "link add br0 type bridge $*" "link set br0 up" \
		"link set d0 master br0" "link set d1 master br0"
}

setup_bridge_a() {
	dummies d0 d1
	bridge_add
	bridge fdb add "$DST" dev d1 master static
}

setup_bridge_b() {
	local dev
	dummies d0 d1
	bridge_add vlan_filtering 1
	for dev in d0 d1; do
		bridge vlan del vid 1 dev "$dev"
		bridge vlan add vid 10 dev "$dev" pvid untagged
	done
	bridge fdb add "$DST" dev d1 master static vlan 10
}

# OVS kernel datapath, no vswitchd: one flow, in_port(1) to port 2.
setup_ovs_a() {
	dummies d0 d1
	ovs-dpctl add-dp dp0
	ovs-dpctl add-if dp0 d0
	ovs-dpctl add-if dp0 d1
	ovs-dpctl add-flow dp0 "in_port(1),eth(),eth_type(0x0800),ipv4()" 2
}

# case_ab CASE IMPL...: each IMPL in INST fresh instances
case_ab() {
	local cse=$1 impl inst n; shift
	for impl in "$@"; do
		n=$INST
		[[ $impl == ovs ]] && n=$(((INST + 1) / 2))
		for ((inst = 1; inst <= n; inst++)); do
			"setup_${impl}_$cse"
			measure "$cse" "$impl" "$inst" d0 "$DST" "$SRC"
			del_all
		done
	done
}

baseline() {
	dummies d0
	measure base dummy 1 d0 "$DST" "$SRC"
	del_all
}

meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }

# learned ENTRIES of a nestsw port
learned() {
	tool -j stats dev "$1" | jq -r '.[0].learning.entries // 0'
}

# fill_fdb TOTAL: sweep sources on the fill ports until TOTAL are learned
# (65536 per port at most); prints the entries learned
fill_fdb() {
	local total=$1 i n want have try
	for ((i = 0; i < FILL_PORTS && total > 0; i++)); do
		want=$((total < MAC_LIMIT_MAX ? total : MAC_LIMIT_MAX))
		total=$((total - want))
		# an insert refused while the table grows is retried
		for ((try = 0; try < 4; try++)); do
			have=$(learned "f$i")
			((have >= want)) && break
			run "f$i" "$want" "$DST" "$(printf '02:1%x:00:00:00:00' "$i")" \
				"src_mac_count $want" >/dev/null
		done
	done
	n=0
	for ((i = 0; i < FILL_PORTS; i++)); do
		n=$((n + $(learned "f$i")))
	done
	echo "$n"
}

# c: the FDB grows; known unicast d0 -> a DST learned on d1
case_c() {
	local size n
	# shellcheck disable=SC2046 # the fill ports' names
	dummies d0 d1 $(fill_names)
	nestsw_switch
	tool pg add dev sw0 name learn forged-transmits accept learning on \
		unknown-flood off mac-limit "$MAC_LIMIT_MAX" ageing 1000000
	# shellcheck disable=SC2046
	nestsw_ports learn d0 d1 $(fill_names)
	run d1 10 "$SRC" "$DST" >/dev/null	# d1 learns DST
	run d0 10 "$DST" "$SRC" >/dev/null	# d0 learns SRC
	for size in $FDB_SIZES; do
		n=$(fill_fdb "$size")
		info "case=c size=$size learned=$n slab_kb=$(meminfo Slab)"
		measure c "nestsw-$size" 1 d0 "$DST" "$SRC"
	done
	del_all
}

# d: LEARN new sources per run; the entries are flushed between runs
case_d_run() {
	local impl=$1 inst=$2 rep
	for ((rep = 0; rep <= REPS; rep++)); do
		if [[ $impl == nestsw ]]; then
			tool fdb flush dev d0
		else
			bridge fdb flush dev d0 dynamic 2>/dev/null ||
				ip link set br0 type bridge fdb_flush
		fi
		if ((rep == 0)); then	# the warm-up
			run d0 "$LEARN" "$DST" 02:20:00:00:00:00 \
				"src_mac_count $LEARN" >/dev/null
			continue
		fi
		result d "$impl" "$inst" "$rep" d0 "$LEARN" "$DST" \
			02:20:00:00:00:00 "src_mac_count $LEARN"
	done
}

case_d() {
	local inst
	for ((inst = 1; inst <= INST; inst++)); do
		dummies d0 d1
		nestsw_switch
		tool pg add dev sw0 name learn forged-transmits accept learning on \
			mac-limit "$MAC_LIMIT_MAX" ageing 1000000
		nestsw_ports learn d0 d1
		guest_macs d1 "$DST"
		case_d_run nestsw "$inst"
		info "case=d impl=nestsw inst=$inst learned=$(learned d0)"
		del_all
		setup_bridge_a
		case_d_run bridge "$inst"
		del_all
	done
}

# e: legitimate d0 -> d1, alone; a MAC flood on fl0; legitimate again
case_e() {
	local mem0 mem1 mem2 slab0 slab1 slab2
	dummies d0 d1 fl0
	nestsw_switch
	# guest time jumps while the VM waits for the host (icount,
	# sleep=off): no entry ages out during the case
	tool pg add dev sw0 name learn forged-transmits accept learning on \
		ageing 1000000
	tool pg add dev sw0 name flood forged-transmits accept learning on \
		mac-limit 4096 limit-policy drop ageing 1000000
	nestsw_ports learn d0 d1
	nestsw_ports flood fl0
	run d1 10 "$SRC" "$DST" >/dev/null
	measure e legit-alone 1 d0 "$DST" "$SRC"
	mem0=$(meminfo MemAvailable) slab0=$(meminfo Slab)
	result e flood 1 1 fl0 "$FLOOD" "$DST" 02:30:00:00:00:00 \
		"src_mac_count $FLOOD"
	mem1=$(meminfo MemAvailable) slab1=$(meminfo Slab)
	info "case=e flood=$FLOOD learned=$(learned fl0)" \
		"dropped=$(tool -j stats dev fl0 | jq -r '.[0].drops.limit // 0')"
	measure e legit-flooded 1 d0 "$DST" "$SRC"
	# a second flood of other sources: memory stays where it was
	run fl0 $((FLOOD / 4)) "$DST" 02:31:00:00:00:00 \
		"src_mac_count $((FLOOD / 4))" >/dev/null
	mem2=$(meminfo MemAvailable) slab2=$(meminfo Slab)
	info "case=e learned2=$(learned fl0) memavail_kb=$mem0,$mem1,$mem2" \
		"slab_kb=$slab0,$slab1,$slab2"
	del_all
}

# any_static FROM TO: every-VLAN static entries FROM..TO-1 on f0, one batch
# (02:00:40:..: their last four bytes are never DST's or DSTG's)
any_static() {
	local file=/tmp/bench-any.batch
	awk -v from="$1" -v to="$2" 'BEGIN {
		for (i = from; i < to; i++)
			printf "fdb add dev f0 mac 02:00:40:%02x:%02x:%02x\n",
			       int(i / 65536) % 256, int(i / 256) % 256, i % 256
	}' >"$file"
	tool -batch "$file"
}

# f: every-VLAN entries grow; known unicast d0 -> DST (learned on d1) and
# d0 -> DSTG (d1's guest MAC)
case_f() {
	local size have=0
	dummies d0 d1 f0
	nestsw_switch
	tool pg add dev sw0 name learn forged-transmits accept learning on \
		ageing 1000000
	nestsw_ports learn d0 d1 f0
	guest_macs d1 "$DSTG"
	run d1 10 "$SRC" "$DST" >/dev/null	# d1 learns DST
	run d0 10 "$DST" "$SRC" >/dev/null	# d0 learns SRC
	for size in $ANY_SIZES; do
		any_static "$have" "$size"
		have=$size
		info "case=f size=$size static=$(tool fdb show dev f0 | wc -l)" \
			"slab_kb=$(meminfo Slab)"
		measure f "learned-$size" 1 d0 "$DST" "$SRC"
		measure f "guest-$size" 1 d0 "$DSTG" "$SRC"
	done
	del_all
}

setup_mirred_g() {
	dummies d0 d1
	tc qdisc add dev d0 clsact
	tc filter add dev d0 ingress matchall \
		action mirred egress redirect dev d1
}

# Whether this kernel's pktgen injects unshared skbs ("flag !SHARED").
pktgen_unshared() {
	local ok=1
	dummies d0
	pg_clear
	echo "add_device d0" >"$PGDIR/kpktgend_0"
	echo "flag !SHARED" >"$PGDIR/d0" 2>/dev/null &&
		grep -q '^Result: OK' "$PGDIR/d0" && ok=0
	pg_clear
	del_all
	return "$ok"
}

# g: each of the floor, nestsw and the bridge (fresh instances: hash
# seeds), shared skbs, then unshared where pktgen can
case_g() {
	local impl inst n unshared=0
	pktgen_unshared && unshared=1
	info "case=g unshared=$unshared"
	for impl in mirred nestsw bridge; do
		n=$INST
		[[ $impl == mirred ]] && n=1
		for ((inst = 1; inst <= n; inst++)); do
			case $impl in
			mirred) setup_mirred_g ;;
			*) "setup_${impl}_b" ;;
			esac
			measure g "$impl" "$inst" d0 "$DST" "$SRC"
			((unshared)) && measure g "$impl-unshared" "$inst" d0 \
				"$DST" "$SRC" "flag !SHARED"
			del_all
		done
	done
}

main() {
	local cse
	[[ -f $KO ]] || die "no module: '$KO'"
	[[ -x $TOOL ]] || die "no tool: $TOOL (make tool)"
	modprobe -a dummy bridge openvswitch pktgen
	lsmod | grep -q '^nestsw ' || insmod "$KO"
	# no IPv6 autoconfiguration chatter on the new links
	sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 2>/dev/null || true
	info "kernel=$(uname -r) pkts=$PKTS reps=$REPS inst=$INST"
	del_all
	baseline
	for cse in $CASES; do
		case $cse in
		a) case_ab a nestsw bridge ovs ;;
		b) case_ab b nestsw bridge ;;
		c) case_c ;;
		d) case_d ;;
		e) case_e ;;
		f) case_f ;;
		g) case_g ;;
		*) die "no case $cse" ;;
		esac
	done
	baseline	# again at the end: the figures did not drift
	echo "bench-done"
}

main "$@"

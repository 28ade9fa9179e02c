#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`: per-packet cost of nestsw, the Linux bridge and the Open
# vSwitch kernel datapath, in instructions, in one VM per kernel booted with
# instruction counting (selftests/vm/run.sh -i; selftests/bench/guest.sh
# runs the cases), and TCP throughput through nestsw against the bridge in
# a second VM of two vCPUs (selftests/bench/tcp.sh). report.py turns their
# lines into build/bench/results.json, results.md (printed) and
# results.rst (for Documentation/networking).
#
# Usage: selftests/bench/bench.sh [KVER...]   (default: 6.12)
#   KVER: a /lib/modules entry or its release ("6.12", "6.1"); the module
#   build/KVER/nestsw.ko and the tool must be built (make modules tool).
# Env: BENCH_* are passed to the guests (see guest.sh, tcp.sh);
#   BENCH_TCP_ROUNDS=0 leaves the TCP VM out.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$HERE/../.." && pwd -P)
OUT=$REPO/build/bench
readonly HERE REPO OUT

die() { echo "bench: error: $*" >&2; exit 1; }

# "6.12" -> the installed 6.12.x release
resolve_kver() {
	local k
	if [[ -d /lib/modules/$1 ]]; then
		echo "$1"
		return
	fi
	for k in /lib/modules/"$1".*/; do
		[[ -d $k ]] && basename "$k"
	done | sort -V | tail -n 1
}

# The guest's environment: the BENCH_* variables given to us.
guest_env() {
	local v
	for v in $(compgen -e); do
		[[ $v == BENCH_* ]] && printf '%s=%s\n' "$v" "${!v}"
	done
	return 0
}

# bench_kernel KVER: one VM; its output in $OUT/KVER.log
bench_kernel() {
	local kver=$1 ko=$OUT/$1/nestsw.ko env=()
	[[ -f $REPO/build/$kver/nestsw.ko ]] ||
		die "build/$kver/nestsw.ko missing (make modules)"
	# a copy: a rebuild while the VM runs does not change what it loads
	mkdir -p "$OUT/$kver"
	cp "$REPO/build/$kver/nestsw.ko" "$ko"
	mapfile -t env < <(guest_env)
	echo "bench: kernel $kver (instruction counting: wall time is slow)" >&2
	"$REPO/selftests/vm/run.sh" -i -k "$kver" -t 1800 -- \
		env "${env[@]}" BENCH_KO="$ko" bash selftests/bench/guest.sh |
		tee "$OUT/$kver.log" | grep --line-buffered -E '^bench(-info)? ' |
		sed -u 's/^/    /' >&2
	grep -q '^bench-done' "$OUT/$kver.log" || die "kernel $kver: the guest did not finish"
}

# bench_tcp KVER: iperf3 in a VM of two vCPUs, real time; $OUT/KVER-tcp.log
bench_tcp() {
	local kver=$1 ko=$OUT/$1/nestsw.ko env=()
	mapfile -t env < <(guest_env)
	echo "bench: kernel $kver, TCP (two vCPUs, wall time)" >&2
	"$REPO/selftests/vm/run.sh" -k "$kver" -t 1800 -- \
		env "${env[@]}" BENCH_KO="$ko" bash selftests/bench/tcp.sh |
		tee "$OUT/$kver-tcp.log" | grep --line-buffered -E '^bench-(info|tcp) ' |
		sed -u 's/^/    /' >&2
	grep -q '^bench-tcp-done' "$OUT/$kver-tcp.log" ||
		die "kernel $kver: the TCP guest did not finish"
}

main() {
	local kvers=() k kver logs=() tcp=()
	(($#)) || set -- 6.12
	[[ -x $REPO/tools/nestsw/nestsw ]] || die "tools/nestsw/nestsw missing (make tool)"
	for k in "$@"; do
		kver=$(resolve_kver "$k")
		[[ -n $kver ]] || die "no kernel $k under /lib/modules"
		kvers+=("$kver")
	done
	mkdir -p "$OUT"
	for kver in "${kvers[@]}"; do
		bench_kernel "$kver"
		logs+=("$OUT/$kver.log")
		if [[ ${BENCH_TCP_ROUNDS:-5} != 0 ]]; then
			bench_tcp "$kver"
			tcp+=(--tcp "$OUT/$kver-tcp.log")
		fi
	done
	/usr/bin/python3 "$HERE/report.py" --json "$OUT/results.json" \
		--markdown "$OUT/results.md" --rst "$OUT/results.rst" \
		"${tcp[@]}" "${logs[@]}"
}

main "$@"

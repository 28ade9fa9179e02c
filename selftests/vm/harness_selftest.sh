#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prove that the debug kernel + run.sh catch kernel bugs: boot
# `run.sh -k debug` with deliberately broken modules (a use-after-free that
# KASAN must report, a leak that kmemleak must report, a WARN_ON) and a clean
# control (which also checks that the guest has two CPUs and /dev/fd), and
# check that run.sh fails for the bugs, passes the control and passes an
# exit code through.
# KTAP on stdout; exit 0 only when every test passes.
#
# Usage: selftests/vm/harness_selftest.sh
# Env:   NESTSW_CACHE (see debug-kernel.sh)
# Logs:  build/vm/harness-test/*.log (one per run.sh run)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$HERE/../.." && pwd -P)
readonly HERE REPO
readonly OUT=$REPO/build/vm/harness-test
readonly RUN=$HERE/run.sh

TESTNUM=0
FAILED=0

ok() {
	TESTNUM=$((TESTNUM + 1))
	echo "ok $TESTNUM - $1"
}

not_ok() {
	TESTNUM=$((TESTNUM + 1))
	FAILED=$((FAILED + 1))
	echo "not ok $TESTNUM - $1"
}

# Show a log as KTAP diagnostics (at most its last lines).
diag() {
	tail -n "${2:-30}" "$1" | sed 's/^/# /'
}

# Build the modules in a copy under build/: Kbuild writes its objects next
# to the sources, and the source tree is not the place for them.
build_modules() {
	local kdir=$1
	rm -rf "$OUT"
	mkdir -p "$OUT"
	cp "$HERE"/harness-test/{Kbuild,Makefile,*.c} "$OUT/"
	make -C "$kdir" M="$OUT" modules >"$OUT/build.log" 2>&1
}

# run_case NAME WANT_RC COMMAND PATTERN...: run.sh must exit WANT_RC and its
# output (stdout + stderr) must match every extended regex PATTERN.
run_case() {
	local name=$1 want=$2 cmd=$3 rc=0 log pattern missing=()
	shift 3
	log=$OUT/$name.log
	"$RUN" -k debug -- "$cmd" >"$log" 2>&1 || rc=$?
	for pattern in "$@"; do
		grep -qE -- "$pattern" "$log" || missing+=("/$pattern/")
	done
	if ((rc == want && ${#missing[@]} == 0)); then
		ok "$name: run.sh exit $rc, output has $*"
	else
		not_ok "$name: run.sh exit $rc (want $want), missing: ${missing[*]:-none}"
		diag "$log" 40
	fi
}

main() {
	local kdir
	echo "TAP version 13"
	echo "1..6"
	if ! kdir=$("$HERE/debug-kernel.sh"); then
		echo "Bail out! the debug kernel does not build"
		exit 1
	fi
	if build_modules "$kdir"; then
		ok "harness modules build against $kdir"
	else
		not_ok "harness modules build against $kdir"
		diag "$OUT/build.log"
		echo "Bail out! cannot go on without the modules"
		exit 1
	fi
	# control: Debian userspace on the debug kernel, no splat, on two
	# CPUs (no ACPI: the CPUs come from the MP table), with /dev/fd for
	# bash's process substitution
	run_case control 0 \
		"uname -a | grep -- -nestsw-debug && ip netns add a && ip -n a link set lo up && ip netns exec a ping -c 1 -W 5 127.0.0.1 && echo cpus \$(nproc) && cat <(echo process substitution)" \
		'PASS' '1 received' '^cpus 2$' '^process substitution$'
	run_case exit-code 3 'echo ran; exit 3' 'command exited 3' '^ran$'
	run_case use-after-free 1 "insmod $OUT/nestsw_harness_uaf.ko; true" \
		'FAIL: kernel splat' 'BUG: KASAN: [a-z-]*use-after-free' 'nestsw_harness_uaf_init'
	run_case leak 1 "insmod $OUT/nestsw_harness_leak.ko" \
		'FAIL: kernel splat' 'unreferenced object' 'nestsw_harness_leak_one'
	run_case warning 1 "insmod $OUT/nestsw_harness_warn.ko; true" \
		'FAIL: kernel splat' 'WARNING: .*nestsw_harness_warn_init'
	echo "# $((TESTNUM - FAILED)) passed, $FAILED failed"
	((FAILED == 0))
}

main "$@"

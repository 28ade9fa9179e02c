#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make check": static checks, packaging (make install into a DESTDIR,
# dkms build for each kernel with headers: selftests/vm/packaging.sh, on
# the host), then every selftest in a VM on each kernel given (default:
# 6.1 6.12 debug). Prints one line per pass naming its
# kernel, and ends with the totals as "N passed, N failed".
#
# TESTS="a.sh b.sh" limits the selftests run in each pass.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1

declare -a SUMMARY=()
PASSED=0
FAILED=0
SKIPPED=0
PASS_TIMEOUT=3600	# s, one kernel's VM

# Installed release for "6.1"/"6.12", a full name, or "debug".
resolve_kver()
{
	local want=$1 dir

	if [ "$want" = debug ]; then
		echo debug
		return
	fi
	for dir in /lib/modules/*/build; do
		dir=${dir%/build}
		dir=${dir##*/}
		if [ "$dir" = "$want" ] || [[ "$dir" == "$want".* ]]; then
			echo "$dir"
			return
		fi
	done
	return 1
}

record()
{
	local name=$1 log=$2 rc=$3 line p=0 f=0 s=0

	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n1)
	if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)? ]]; then
		p=${BASH_REMATCH[1]}
		f=${BASH_REMATCH[2]}
		s=${BASH_REMATCH[4]:-0}
	fi
	# A pass that failed without a failing test (splat, timeout, build
	# error) still counts as one failure.
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	PASSED=$((PASSED + p))
	FAILED=$((FAILED + f))
	SKIPPED=$((SKIPPED + s))
	SUMMARY+=("$(printf '%-28s %s (%d passed, %d failed, %d skipped)' \
		"$name" "$([ "$rc" -eq 0 ] && echo ok || echo FAILED)" "$p" "$f" "$s")")
}

# record_time NAME START: NAME's wall time since START ($SECONDS) in
# build/check/times, the breakdown of a whole run
record_time()
{
	printf '%-28s %3d min %2d s\n' "$1" $(((SECONDS - $2) / 60)) \
		$(((SECONDS - $2) % 60)) >>build/check/times
}

run_step()
{
	local name=$1 log start=$SECONDS

	shift
	log=build/check/${name//[^A-Za-z0-9.+_-]/_}.log
	echo "=== $name"
	"$@" 2>&1 | tee "$log"
	record "$name" "$log" "${PIPESTATUS[0]}"
	record_time "$name" "$start"
}

static_checks()
{
	make -s static && echo "1 passed, 0 failed"
}

# packaging.sh's KTAP, and its totals as a plain line for record()
packaging_checks()
{
	local log=build/check/packaging.ktap rc

	bash selftests/vm/packaging.sh | tee "$log"
	rc=${PIPESTATUS[0]}
	sed -n 's/^# \([0-9]* passed, [0-9]* failed\).*/\1/p' "$log" | tail -n1
	return "$rc"
}

# The debug kernel (minutes to build on a fresh machine) builds while the
# other steps run: at nice 19 it takes the CPU time the VMs leave idle.
# Both functions run in this shell, not in run_step's pipeline: only
# this shell can wait for the build.
DEBUG_BUILD_PID=
start_debug_build()
{
	# shellcheck disable=SC2016 # for that bash
	setsid bash -c 'nice -n 19 make -s debug-kernel; rc=$?
		printf "%-28s %3d min %2d s\n" "debug kernel (background)" \
			$((SECONDS / 60)) $((SECONDS % 60)) >>build/check/times
		exit $rc' >build/check/debug-kernel.log 2>&1 &
	DEBUG_BUILD_PID=$!
	# shellcheck disable=SC2064 # the pid now
	trap "kill -- -$DEBUG_BUILD_PID 2>/dev/null" EXIT
}

wait_debug_build()
{
	local rc=0

	[ -n "$DEBUG_BUILD_PID" ] || return 0
	wait "$DEBUG_BUILD_PID" || rc=$?
	DEBUG_BUILD_PID=
	trap - EXIT
	if [ "$rc" -ne 0 ]; then
		tail -n 40 build/check/debug-kernel.log
		return "$rc"
	fi
}

tests_on()
{
	local kver=$1

	if [ "$kver" = debug ]; then
		make -s debug-kernel >/dev/null || return 1
	fi
	# ynl_cli.sh's cli.py: the guest cannot extract it (read-only /)
	make -s tool build/nl_fuzz "build/$kver/nestsw.ko" \
		build/linux-6.12/tools/net/ynl/cli.py || return 1
	# Each test has its own timeout (selftests/settings); the whole pass
	# on the debug kernel takes about 28 min here.
	# shellcheck disable=SC2086 # TESTS is a list
	bash selftests/vm/run.sh -k "$kver" -t "$PASS_TIMEOUT" -- \
		bash selftests/run_tests.sh ${TESTS:-}
}

mkdir -p build/check
: >build/check/times
[ $# -gt 0 ] || set -- 6.1 6.12 debug
case " $* " in
*" debug "*) start_debug_build ;;
esac

run_step static static_checks
run_step packaging packaging_checks
for want in "$@"; do
	if ! kver=$(resolve_kver "$want"); then
		echo "check: no kernel headers for $want (run make setup)"
		SUMMARY+=("$(printf '%-28s FAILED (not installed)' "$want")")
		FAILED=$((FAILED + 1))
		continue
	fi
	if [ "$kver" = debug ] && ! wait_debug_build; then
		SUMMARY+=("$(printf '%-28s FAILED (build/check/debug-kernel.log)' debug)")
		FAILED=$((FAILED + 1))
		continue
	fi
	run_step "selftests $kver" tests_on "$kver"
	if [ "$kver" = debug ]; then
		run_step "harness selftest debug" bash selftests/vm/harness_selftest.sh
	fi
done

record_time "check, in all" 0

echo
echo "=== summary"
printf '%s\n' "${SUMMARY[@]}"
echo "wall time (build/check/times):"
cat build/check/times
if [ "$SKIPPED" -gt 0 ]; then
	echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
else
	echo "$PASSED passed, $FAILED failed"
fi
[ "$FAILED" -eq 0 ]

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make check": static checks, packaging (make install into a DESTDIR,
# dkms build for each kernel with headers: selftests/vm/packaging.sh, on
# the host), then every selftest in a VM on each kernel given (default:
# 6.1 6.12 debug). Prints one line per pass naming its kernel, each step's
# wall time (build/check/times), and ends with the totals as
# "N passed, N failed".
#
# The VM passes run in two lanes at once: an emulated VM keeps about one
# of the two cores busy (its tests are mostly serial), so two use both.
# The debug pass (the tests of DEBUG_TESTS) is split in two halves, one a
# lane; the debug kernel (minutes to build on a fresh machine) builds in
# the background from the start, at nice 19, and the halves wait for it.
# Each pass's output is printed whole when it ends.
#
# TESTS="a.sh b.sh" limits the selftests run in each pass.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1

CHECK=build/check
declare -a SUMMARY=() FAILURES=()
PASSED=0
FAILED=0
SKIPPED=0
PASS_TIMEOUT=3600	# s, one VM

# The debug pass's longest tests, and their seconds on the debug kernel
# (a fresh 2-core machine, two debug VMs side by side): the halves get
# them in turn, longest first, so that the lanes take about as long as
# each other. Any other test counts as 35 s. The first half's lane also
# runs the harness selftest after it (HARNESS_COST).
declare -A DEBUG_COST=([stress_lifecycle.sh]=144 [qemu_tap.sh]=90
	[pg_basic.sh]=71 [uplink_teaming.sh]=61 [mac_flood.sh]=55
	[fdb_static.sh]=53 [bad_frames.sh]=49 [netns_teardown.sh]=46
	[module_unload.sh]=43 [nl_fuzz.sh]=43 [group_fwd.sh]=42
	[learning_ageing.sh]=40)
HARNESS_COST=135

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

# record NAME LOG RC: a step's line in the summary, from the last
# "N passed, N failed" line of its log
record()
{
	local name=$1 log=$2 rc=$3 line p=0 f=0 s=0

	line=$(grep -E '^(# )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n1)
	if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)? ]]; then
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
	[ "$rc" -eq 0 ] || failures "$name" "$log"
}

# failures NAME LOG: the failed tests and checks of a step, for the end of
# the output (all that a CI log's tail may keep)
failures()
{
	local line

	while IFS= read -r line; do
		FAILURES+=("$1: $line")
	done < <(grep -E '^(# )?not ok|^nestsw-vm: kernel .*: FAIL' "$2" | head -n 20)
}

# record_time NAME START: NAME's wall time since START ($SECONDS) in
# build/check/times, the breakdown of a whole run
record_time()
{
	printf '%-28s %3d min %2d s\n' "$1" $(((SECONDS - $2) / 60)) \
		$(((SECONDS - $2) % 60)) >>"$CHECK/times"
}

log_of()
{
	echo "$CHECK/${1//[^A-Za-z0-9.+_-]/_}.log"
}

# run_step NAME CMD...: CMD now, its output live and in NAME's log
run_step()
{
	local name=$1 log start=$SECONDS

	shift
	log=$(log_of "$name")
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
	local log=$CHECK/packaging.ktap rc

	bash selftests/vm/packaging.sh | tee "$log"
	rc=${PIPESTATUS[0]}
	sed -n 's/^# \([0-9]* passed, [0-9]* failed\).*/\1/p' "$log" | tail -n1
	return "$rc"
}

# The debug kernel and the module built against it, in the background:
# at nice 19 they take the CPU time the other steps leave idle. The exit
# code goes to debug-kernel.rc, which the lanes wait for.
DEBUG_BUILD_PID=
start_debug_build()
{
	# shellcheck disable=SC2016 # for that bash
	setsid bash -c 'nice -n 19 make -s debug-kernel >/dev/null &&
		nice -n 19 make -s build/debug/nestsw.ko; rc=$?
		printf "%-28s %3d min %2d s\n" "debug kernel (background)" \
			$((SECONDS / 60)) $((SECONDS % 60)) >>build/check/times
		echo $rc >build/check/debug-kernel.rc
		exit $rc' >"$CHECK/debug-kernel.log" 2>&1 &
	DEBUG_BUILD_PID=$!
	# shellcheck disable=SC2064 # the pid now
	trap "kill -- -$DEBUG_BUILD_PID 2>/dev/null" EXIT
}

# The nested guest's kernel of qemu_tap.sh (a few minutes on a fresh
# machine, cached after): built beside the static checks, awaited by
# build_for_vms.
# build_for_vms, which waits, runs in a subshell: the exit code goes
# through a file.
start_guest_build()
{
	# shellcheck disable=SC2016 # for that bash
	bash -c 'make -s guest-kernel; echo $? >"$1/guest-kernel.rc"' _ "$CHECK" \
		>"$CHECK/guest-kernel.log" 2>&1 &
}

# built NAME WHAT: wait for the background build NAME (its exit code in
# NAME.rc); if it failed, say that WHAT did not build, with its log's tail
built()
{
	while [ ! -s "$CHECK/$1.rc" ]; do
		sleep 2
	done
	[ "$(cat "$CHECK/$1.rc")" = 0 ] && return
	echo "$2 did not build: $CHECK/$1.log"
	tail -n 40 "$CHECK/$1.log"
	return 1
}

guest_built()
{
	built guest-kernel "the nested guest's kernel"
}

debug_built()
{
	built debug-kernel "the debug kernel"
}

# all_tests: TESTS, or every selftest
all_tests()
{
	local t

	if [ -n "${TESTS:-}" ]; then
		# shellcheck disable=SC2086 # a list
		printf '%s\n' $TESTS
		return
	fi
	for t in selftests/*.sh; do
		case ${t##*/} in
		lib.sh | run_tests.sh) ;;
		*) echo "${t##*/}" ;;
		esac
	done
}

# The debug pass runs the tests whose kernel paths KASAN, lockdep and
# kmemleak are there for: objects created and freed under traffic (ports,
# switches, port groups, uplink slots, FDB entries aged, flushed and
# evicted, taps, namespaces, the module itself), the netlink fuzzer, and
# the frame paths that parse, clone, segment or tag skbs. The others check
# forwarding decisions, the tool and the scripts over paths these already
# run; the stock passes run every test. Unless TESTS names them, only
# these run in the debug pass (the whole set would double make check).
DEBUG_TESTS=" stress_lifecycle.sh nl_fuzz.sh module_unload.sh netns_teardown.sh"
DEBUG_TESTS+=" switch_lifecycle.sh enslave.sh pg_basic.sh learning_ageing.sh"
DEBUG_TESTS+=" learning_flush.sh mac_flood.sh uplink_teaming.sh team.sh qemu_tap.sh"
DEBUG_TESTS+=" forwarding.sh bad_frames.sh offloads.sh vlan_qinq.sh pktgen_shared.sh"
DEBUG_TESTS+=" drop_trace.sh vxlan_sites.sh group_fwd.sh fdb_static.sh "

# half I: the tests of the debug pass's half I (1 or 2): each test, the
# longest first, goes to the half with less to do so far; those of
# DEBUG_TESTS, or of TESTS when given
half()
{
	local want=$1 t cost load1=$HARNESS_COST load2=0

	while read -r cost t; do
		if ((load1 <= load2)); then
			load1=$((load1 + cost))
			((want == 1)) && echo "$t"
		else
			load2=$((load2 + cost))
			((want == 2)) && echo "$t"
		fi
	done < <(all_tests | while read -r t; do
			[[ -n ${TESTS:-} || $DEBUG_TESTS == *" $t "* ]] &&
				echo "${DEBUG_COST[$t]:-35} $t"
		done | sort -k1,1nr -k2,2)
}

# vm_pass KVER TEST...: the tests in one VM (none: nothing to do)
vm_pass()
{
	local kver=$1

	shift
	if [ $# -eq 0 ]; then
		echo "0 passed, 0 failed"
		return
	fi
	bash selftests/vm/run.sh -k "$kver" -t "$PASS_TIMEOUT" -- \
		bash selftests/run_tests.sh "$@"
}

job_name()
{
	case $1 in
	debug:*) echo "selftests debug (${1#debug:}/2)" ;;
	harness) echo "harness selftest debug" ;;
	*) echo "selftests $1" ;;
	esac
}

# run_job JOB: one pass (a kernel release, debug:1, debug:2 or harness),
# its output in its log, its exit code in LOG.rc; then the output whole
run_job()
{
	local job=$1 name log rc=0 start=$SECONDS tests=()

	name=$(job_name "$job")
	log=$(log_of "$name")
	case $job in
	debug:*) debug_built && mapfile -t tests < <(half "${job#debug:}") &&
		vm_pass debug "${tests[@]}" ;;
	harness) debug_built && bash selftests/vm/harness_selftest.sh ;;
	*) mapfile -t tests < <(all_tests) && vm_pass "$job" "${tests[@]}" ;;
	esac >"$log" 2>&1 || rc=$?
	echo "$rc" >"$log.rc"
	record_time "$name" "$start"
	# shellcheck disable=SC2016 # for that bash
	flock "$CHECK/output.lock" bash -c 'echo "=== $1"; cat "$2"' _ "$name" "$log"
}

lane()
{
	local job

	for job; do
		run_job "$job"
	done
}

mkdir -p "$CHECK"
: >"$CHECK/times"
rm -f "$CHECK"/*.rc
[ $# -gt 0 ] || set -- 6.1 6.12 debug

# The passes, in order: the stock kernels, then the debug halves and the
# harness selftest (which boots the debug kernel with planted bugs).
JOBS=()
for want in "$@"; do
	if ! kver=$(resolve_kver "$want"); then
		echo "check: no kernel headers for $want (run make setup)"
		SUMMARY+=("$(printf '%-28s FAILED (not installed)' "$want")")
		FAILED=$((FAILED + 1))
	elif [ "$kver" = debug ]; then
		start_debug_build
	else
		JOBS+=("$kver")
	fi
done
[ -z "$DEBUG_BUILD_PID" ] || JOBS+=(debug:1 debug:2 harness)

# A test renamed or removed must not drop out of the debug pass unseen.
for t in $DEBUG_TESTS "${!DEBUG_COST[@]}"; do
	[ -f "selftests/$t" ] && continue
	echo "check: DEBUG_TESTS or DEBUG_COST names $t, which is not a selftest"
	SUMMARY+=("$(printf '%-28s FAILED (no such selftest)' "$t")")
	FAILED=$((FAILED + 1))
done

# What the passes share, built once: the lanes must not make it at once.
# ynl_cli.sh's cli.py is extracted here: the guest's / is read-only.
build_for_vms()
{
	local job targets=(tool build/nl_fuzz build/linux-6.12/tools/net/ynl/cli.py)

	for job in "${JOBS[@]}"; do
		[[ $job == debug:* || $job == harness ]] ||
			targets+=("build/$job/nestsw.ko")
	done
	make -s "${targets[@]}" && guest_built && echo "1 passed, 0 failed"
}

start_guest_build
run_step static static_checks
run_step "build for the VMs" build_for_vms
run_step packaging packaging_checks

# jobs 0, 2, 4... in one lane, 1, 3, 5... in the other
LANE_PIDS=()
for first in 0 1; do
	lane_jobs=()
	for ((i = first; i < ${#JOBS[@]}; i += 2)); do
		lane_jobs+=("${JOBS[i]}")
	done
	lane "${lane_jobs[@]}" &
	LANE_PIDS+=($!)
done
wait "${LANE_PIDS[@]}"
for job in "${JOBS[@]}"; do
	name=$(job_name "$job")
	log=$(log_of "$name")
	record "$name" "$log" "$(cat "$log.rc" 2>/dev/null || echo 1)"
done
record_time "check, in all" 0

echo
echo "=== summary"
printf '%s\n' "${SUMMARY[@]}"
echo "wall time (build/check/times):"
cat "$CHECK/times"
[ ${#FAILURES[@]} -eq 0 ] || printf '%s\n' "failed:" "${FAILURES[@]}"
if [ "$SKIPPED" -gt 0 ]; then
	echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
else
	echo "$PASSED passed, $FAILED failed"
fi
[ "$FAILED" -eq 0 ]

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lib.sh: helpers shared by the nestsw selftests. Source it, do not run it.
#
# Output is KTAP (kselftest): "TAP version 13", a plan "1..N", one
# "ok N description" / "not ok N description" / "ok N description # SKIP why"
# line per check, diagnostics as "# ..." lines, totals, and the kselftest
# exit code (0 pass, 1 fail, 4 skip).
#
# A test runs as root, normally inside the QEMU guest started by
# selftests/vm/run.sh, which sets NESTSW_KO to the module to load.
#
#   ktap_header; ktap_plan N             header and plan
#   check DESC CMD...                    CMD succeeds
#   check_fails DESC CMD...              CMD fails
#   check_refused DESC NS DEV CMD...     CMD fails with a "nestsw: ..." message
#                                        and leaves DEV without a master
#   check_cnt DESC NS DEV STAT WANT...   counters moved by WANT since cnt_mark
#   check_seen DESC WANT CAP REGEX...    a capture saw WANT matching frames
#   check_nsw_drops DESC NS [PORT REASON WANT]...
#                                        nestsw's per-reason drop counters
#                                        moved by WANT since nsw_drops_mark,
#                                        and no other one moved
#   check_kmsg                           the kernel logged no splat meanwhile
#   ktap_finished                        totals and exit code
#
#   setup_ns A B                         namespaces $A, $B, deleted on exit
#   setup_userns C                       a rootless container $C (user +
#                                        network namespace of nobody)
#   in_ns NS CMD... / in_ns_sh NS SCRIPT run in a namespace
#   defer CMD...                         run CMD on exit (last in, first
#   defer_scope_push / defer_scope_pop   out), or at the end of a scope
#   busywait TIMEOUT_MS CMD...           retry CMD until it succeeds
#   nsw_load / nsw_unload                insmod $NESTSW_KO / rmmod nestsw
#   nsw_ports_are NS MASTER PORT...      MASTER's ports are these
#   frames_start ID NS DEV / frames_send ID SRC DST PORT COUNT
#                                        crafted frames out of a guest's
#                                        device (veth peer or tap)
#   raw_frames NS DEV DST SRC HEX PAD COUNT
#                                        frames crafted byte by byte (tags,
#                                        runts, jumbos) out of a device
#
# Speed: in the emulated VM every exec costs 0.2-0.5 s, and `ip netns
# exec` about 1 s. So each namespace gets one long-lived bash (its "ns
# shell", fed through a FIFO) that runs the commands meant for it; sysfs
# files of a namespace are read through /proc/PID/root of that shell, with
# shell builtins; sleeps and waits use no process at all.

export LC_ALL=C

NSW_SELFTESTS=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
NSW_TOP=$(dirname "$NSW_SELFTESTS")
: "${NSW_TOOL:=$NSW_TOP/tools/nestsw/nestsw}"

# How long a check waits for something that should happen (frames to be
# seen, counters to move), and how long a check that expects nothing waits
# for stragglers before it looks.
: "${NSW_WAIT_MS:=15000}"
# Namespace and device teardown is asynchronous (cleanup_net runs in a
# workqueue) and slow on the debug kernel under TCG: wait longer for it.
: "${NSW_TEARDOWN_MS:=90000}"
: "${NSW_QUIET_MS:=200}"

ksft_pass=0
ksft_fail=1
ksft_skip=4

##############################################################################
# KTAP output

KTAP_NUM=0
KTAP_PLAN=
KTAP_PASS=0
KTAP_FAIL=0
KTAP_SKIP=0

ktap_header()
{
	echo "TAP version 13"
}

ktap_plan()
{
	KTAP_PLAN=$1
	echo "1..$1"
}

# ktap_info TEXT...: diagnostic lines; a multi-line argument is split
ktap_info()
{
	local arg line

	for arg in "$@"; do
		while IFS= read -r line; do
			printf '# %s\n' "$line"
		done <<<"$arg"
	done
}

ktap_ok()
{
	KTAP_NUM=$((KTAP_NUM + 1))
	KTAP_PASS=$((KTAP_PASS + 1))
	echo "ok $KTAP_NUM $1"
}

ktap_fail()
{
	KTAP_NUM=$((KTAP_NUM + 1))
	KTAP_FAIL=$((KTAP_FAIL + 1))
	echo "not ok $KTAP_NUM $1"
}

# ktap_skip DESC [REASON]
ktap_skip()
{
	KTAP_NUM=$((KTAP_NUM + 1))
	KTAP_SKIP=$((KTAP_SKIP + 1))
	echo "ok $KTAP_NUM $1 # SKIP${2:+ $2}"
}

# ktap_result DESC RC: 0 is a pass, 4 a skip, anything else a failure
ktap_result()
{
	case $2 in
	0) ktap_ok "$1" ;;
	"$ksft_skip") ktap_skip "$1" ;;
	*) ktap_fail "$1" ;;
	esac
}

ktap_totals()
{
	echo "# Totals: pass:$KTAP_PASS fail:$KTAP_FAIL xfail:0 xpass:0 skip:$KTAP_SKIP error:0"
	echo "# $KTAP_PASS passed, $KTAP_FAIL failed, $KTAP_SKIP skipped"
}

ktap_finished()
{
	local ran=$((KTAP_PASS + KTAP_FAIL + KTAP_SKIP))

	if [[ -n $KTAP_PLAN ]] && ((ran != KTAP_PLAN)); then
		ktap_info "planned $KTAP_PLAN checks but ran $ran"
		KTAP_FAIL=$((KTAP_FAIL + (ran < KTAP_PLAN ? KTAP_PLAN - ran : 1)))
	fi
	ktap_totals
	if ((KTAP_FAIL > 0)); then
		exit "$ksft_fail"
	elif ((KTAP_PASS == 0 && KTAP_SKIP > 0)); then
		exit "$ksft_skip"
	fi
	exit "$ksft_pass"
}

# ktap_skip_all REASON: nothing can be checked here (missing module, tool)
ktap_skip_all()
{
	if [[ -z $KTAP_PLAN ]]; then
		echo "1..0 # SKIP $1"
	else
		while ((KTAP_NUM < KTAP_PLAN)); do
			ktap_skip "not checked" "$1"
		done
		ktap_totals
	fi
	exit "$ksft_skip"
}

# ktap_bail REASON: the test cannot go on (its setup failed)
ktap_bail()
{
	echo "Bail out! $1"
	KTAP_FAIL=$((KTAP_FAIL + 1))
	if [[ -n $KTAP_PLAN ]] && ((KTAP_NUM + 1 < KTAP_PLAN)); then
		KTAP_FAIL=$((KTAP_FAIL + KTAP_PLAN - KTAP_NUM - 1))
	fi
	ktap_totals
	exit "$ksft_fail"
}

##############################################################################
# Checks. Each prints one KTAP line named by DESC and, on failure, the
# command and its output as diagnostics.

# __cmd_str CMD...: CMD as a user would type it ("in_ns NS ip ..." is
# "ip -n NS ...", other commands run in a namespace get "(in NS)")
__cmd_str()
{
	if [[ $1 == in_ns && -z $2 ]]; then
		echo "${*:3}"
	elif [[ $1 == in_ns && $3 == ip ]]; then
		echo "ip -n $2 ${*:4}"
	elif [[ $1 == in_ns ]]; then
		echo "${*:3} (in $2)"
	else
		echo "$*"
	fi
}

__cmd_failed()
{
	local rc=$1 out=$2; shift 2

	ktap_info "\$ $(__cmd_str "$@") (exit $rc)"
	[[ -z $out ]] || ktap_info "$out"
}

# check DESC CMD...: CMD succeeds
check()
{
	local desc=$1 out rc; shift

	out=$("$@" 2>&1)
	rc=$?
	if ((rc == 0)); then
		ktap_ok "$desc"
		return 0
	fi
	__cmd_failed "$rc" "$out" "$@"
	ktap_fail "$desc"
	return 1
}

# check_fails DESC CMD...: CMD fails
check_fails()
{
	local desc=$1 out; shift

	if out=$("$@" 2>&1); then
		__cmd_failed 0 "$out" "$@"
		ktap_info "this should have failed"
		ktap_fail "$desc"
		return 1
	fi
	ktap_ok "$desc"
}

# check_refused DESC NS DEV CMD...: CMD (which enslaves DEV in NS) fails,
# prints an error message that names nestsw (the module's extack message),
# and DEV is left without a master.
check_refused()
{
	local desc=$1 ns=$2 dev=$3 err rc master; shift 3

	err=$("$@" 2>&1)
	rc=$?
	if ((rc == 0)); then
		__cmd_failed 0 "$err" "$@"
		ktap_info "this should have been refused"
		in_ns "$ns" ip link set "$dev" nomaster >/dev/null 2>&1
		ktap_fail "$desc"
		return 1
	fi
	ktap_info "$(__cmd_str "$@"): ${err:-(no message)}"
	if [[ $err != *nestsw* ]]; then
		ktap_info "the error message should say why, from nestsw"
		ktap_fail "$desc"
		return 1
	fi
	master=$(nsw_master "$ns" "$dev")
	if [[ -n $master ]]; then
		ktap_info "$dev has master $master after the refusal"
		ktap_fail "$desc"
		return 1
	fi
	ktap_ok "$desc"
}

# check_eq DESC GOT WANT
check_eq()
{
	if [[ $2 == "$3" ]]; then
		ktap_ok "$1"
		return 0
	fi
	ktap_info "got '$2', want '$3'"
	ktap_fail "$1"
	return 1
}

# __info_list ITEM...: one diagnostic line "ITEM, ITEM, ..."
__info_list()
{
	local out=$1; shift

	while (($#)); do
		out+=", $1"
		shift
	done
	ktap_info "$out"
}

##############################################################################
# defer: undo steps registered next to the step they undo, run last in,
# first out at the end of the scope or on any exit.

NSW_DEFER=()
NSW_DEFER_SCOPES=()

defer()
{
	local cmd

	printf -v cmd '%q ' "$@"
	NSW_DEFER+=("$cmd")
}

__defer_run_to()
{
	local mark=$1 cmd

	while ((${#NSW_DEFER[@]} > mark)); do
		cmd=${NSW_DEFER[-1]}
		unset 'NSW_DEFER[-1]'
		eval "$cmd" >/dev/null 2>&1
	done
}

defer_scope_push()
{
	NSW_DEFER_SCOPES+=("${#NSW_DEFER[@]}")
}

defer_scope_pop()
{
	local mark=${NSW_DEFER_SCOPES[-1]}

	unset 'NSW_DEFER_SCOPES[-1]'
	__defer_run_to "$mark"
}

__nsw_exit()
{
	__defer_run_to 0
	[[ -z $NSW_TMP ]] || rm -rf "$NSW_TMP"
}

trap __nsw_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

NSW_TMP=$(mktemp -d /tmp/nestsw-selftest.XXXXXX) || exit "$ksft_fail"
# A FIFO nobody writes to: `read -t` on it is a sleep without a process.
mkfifo "$NSW_TMP/sleep" || exit "$ksft_fail"
exec {NSW_SLEEP_FD}<>"$NSW_TMP/sleep"

##############################################################################
# Waiting

# nsw_sleep SECONDS (fractions allowed)
nsw_sleep()
{
	read -r -t "$1" -u "$NSW_SLEEP_FD" _
	return 0
}

# NSW_NOW: microseconds, updated by __now
__now()
{
	local t=${EPOCHREALTIME/./}

	NSW_NOW=$((10#$t))
}

# busywait TIMEOUT_MS CMD...: run CMD until it succeeds, at most TIMEOUT_MS
busywait()
{
	local timeout_ms=$1 start; shift

	__now
	start=$NSW_NOW
	while :; do
		"$@" && return 0
		__now
		((NSW_NOW - start > timeout_ms * 1000)) && return 1
		nsw_sleep 0.02
	done
}

# lines_n FILE REGEX: how many lines of FILE match REGEX (grep -E)
lines_n()
{
	grep -cE "$2" "$1"
}

__lines_reached()
{
	(($(lines_n "$1" "$3") >= $2))
}

# lines_match FILE WANT REGEX: FILE (a capture, a monitor's or a trace's
# output) comes to have WANT lines that match REGEX, and no more; says
# how many, and on a mismatch shows FILE's end
lines_match()
{
	local n

	busywait "$NSW_WAIT_MS" __lines_reached "$1" "$2" "$3"
	n=$(lines_n "$1" "$3")
	echo "${1##*/}: $n lines match '$3'"
	((n == $2)) && return 0
	tail -n 5 "$1"
	return 1
}

# Traffic helpers bump NSW_TRAFFIC; a check that expects nothing waits
# NSW_QUIET_MS once after new traffic before it looks.
NSW_TRAFFIC=0
NSW_SETTLED=0

__settle()
{
	if ((NSW_SETTLED != NSW_TRAFFIC)); then
		nsw_sleep "$(printf '%d.%03d' $((NSW_QUIET_MS / 1000)) $((NSW_QUIET_MS % 1000)))"
		NSW_SETTLED=$NSW_TRAFFIC
	fi
}

##############################################################################
# Namespaces and their shells

declare -A NSW_NSH_IN NSW_NSH_OUT NSW_NSH_PID NSW_ROOT NSW_USERNS

# setup_ns NAME...: create a namespace per NAME, uniquely named
# "NAME-XXXXXX", store its name in the variable NAME, start its ns shell,
# and delete it on exit (or at the end of the current defer scope). IPv6 is
# off (no router solicitations, DAD or MLD to count), broadcast pings are
# ignored (the default, made sure); loopback stays down.
setup_ns()
{
	local var ns names=() batch=

	for var in "$@"; do
		while :; do
			printf -v ns '%s-%06x' "$var" $((SRANDOM & 0xffffff))
			[[ -e /run/netns/$ns ]] || break
		done
		names+=("$ns")
		printf -v "$var" %s "$ns"
		batch+="netns add $ns"$'\n'
	done
	if ! ip -batch - <<<"$batch"; then
		ktap_info "cannot create namespaces ${names[*]}"
		return "$ksft_fail"
	fi
	defer cleanup_ns "${names[@]}"
	__nsh_start "${names[@]}"
}

# setup_userns NAME: a rootless container: a user namespace and the network
# namespace it owns, made by an unprivileged user (nobody, uid 65534, maps
# itself to root: `unshare --user --map-root-user --net`). Its name goes in
# the variable NAME; in_ns and in_ns_sh run commands as the container's root.
# It has no /run/netns name, and its /sys is not its own: the sysfs readers
# (nsw_mac, nsw_master...) do not work there. Gone on exit.
setup_userns()
{
	local ns

	printf -v ns '%s-%06x' "$1" $((SRANDOM & 0xffffff))
	printf -v "$1" %s "$ns"
	NSW_USERNS[$ns]=1
	defer cleanup_ns "$ns"
	__nsh_start "$ns"
}

# __nsh_exec NS: become the shell of NS (stdin and stdout are its FIFOs)
__nsh_exec()
{
	if [[ -n ${NSW_USERNS[$1]} ]]; then
		exec setpriv --reuid=65534 --regid=65534 --clear-groups -- \
			unshare --user --map-root-user --net -- \
			bash --norc --noprofile
	fi
	exec ip netns exec "$1" bash --norc --noprofile
}

__nsh_start()
{
	local ns dir fifos=() fd_in fd_out

	for ns in "$@"; do
		fifos+=("$NSW_TMP/nsh.$ns.in" "$NSW_TMP/nsh.$ns.out")
	done
	mkfifo "${fifos[@]}" || return
	# start them all, then connect: they come up in parallel
	for ns in "$@"; do
		dir=$NSW_TMP/nsh.$ns
		__nsh_exec "$ns" <"$dir.in" >"$dir.out" 2>&1 &
		NSW_NSH_PID[$ns]=$!
		NSW_ROOT[$ns]=/proc/$!/root
		[[ -z ${NSW_USERNS[$ns]} ]] || NSW_ROOT[$ns]=/nonexistent
	done
	for ns in "$@"; do
		dir=$NSW_TMP/nsh.$ns
		exec {fd_in}>"$dir.in" {fd_out}<"$dir.out"
		NSW_NSH_IN[$ns]=$fd_in
		NSW_NSH_OUT[$ns]=$fd_out
	done
	for ns in "$@"; do
		in_ns_sh "$ns" '
			echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6
			echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6
			echo 1 >/proc/sys/net/ipv4/icmp_echo_ignore_broadcasts
			[[ -e /sys/class/net/lo ]]' || return
	done
}

# cleanup_ns NS...: stop what runs in the namespaces, delete them
cleanup_ns()
{
	local ns fd batch=

	# a shell killed already (test timed out) must not kill us with SIGPIPE
	trap '' PIPE
	for ns in "$@"; do
		[[ -n ${NSW_NSH_IN[$ns]} ]] || continue
		fd=${NSW_NSH_IN[$ns]}
		# shellcheck disable=SC2016 # for the ns shell
		{ printf '%s\n' 'kill $(jobs -p) 2>/dev/null; exit 0' >&"$fd"; } 2>/dev/null
		exec {fd}>&-
		fd=${NSW_NSH_OUT[$ns]}
		exec {fd}<&-
		wait "${NSW_NSH_PID[$ns]}" 2>/dev/null
		unset "NSW_NSH_IN[$ns]" "NSW_NSH_OUT[$ns]" "NSW_NSH_PID[$ns]"
		NSW_ROOT[$ns]=/nonexistent
		[[ -e /run/netns/$ns ]] && batch+="netns del $ns"$'\n'
	done
	trap - PIPE
	[[ -z $batch ]] || ip -batch - <<<"$batch" >/dev/null 2>&1
	return 0
}

# __nsh NS SCRIPT: run shell code in NS's shell; its output, its status.
# The shell prints a marker line with the status after the output (and a
# newline before it, dropped here, in case the output lacks one).
__nsh()
{
	local ns=$1 script=$2 fd_in fd_out line lines=()

	fd_in=${NSW_NSH_IN[$ns]}
	fd_out=${NSW_NSH_OUT[$ns]}
	if [[ -z $fd_in ]] || ! kill -0 "${NSW_NSH_PID[$ns]}" 2>/dev/null; then
		echo "no shell for namespace '$ns'" >&2
		return 1
	fi
	printf '{ %s\n} </dev/null 2>&1; printf "\\n__NSW_RC__ %%d\\n" "$?"\n' \
		"$script" >&"$fd_in"
	while IFS= read -r line <&"$fd_out"; do
		if [[ $line == "__NSW_RC__ "* ]]; then
			if ((${#lines[@]})) && [[ -z ${lines[-1]} ]]; then
				unset 'lines[-1]'
			fi
			((${#lines[@]} == 0)) || printf '%s\n' "${lines[@]}"
			return "${line#__NSW_RC__ }"
		fi
		lines+=("$line")
	done
	echo "the shell of namespace '$ns' is gone" >&2
	return 1
}

# in_ns NS CMD...: run CMD in NS ("" is the test's own namespace)
in_ns()
{
	local ns=$1 cmd; shift

	if [[ -z $ns ]]; then
		"$@"
		return
	fi
	printf -v cmd '%q ' "$@"
	__nsh "$ns" "$cmd"
}

# in_ns_sh NS SCRIPT: run shell code in NS, in a subshell of its ns shell
in_ns_sh()
{
	local ns=$1 q

	if [[ -z $ns ]]; then
		(eval "$2")
		return
	fi
	printf -v q '%q' "$2"
	__nsh "$ns" "(eval $q)"
}

# in_ns_bg NS CMD...: start CMD in NS in the background until the end of
# the defer scope, output to /dev/null; NSW_BG_PID is its pid
in_ns_bg()
{
	local ns=$1 cmd; shift

	printf -v cmd '%q ' "$@"
	__in_ns_bg "$ns" "$cmd >/dev/null 2>&1 </dev/null"
}

__in_ns_bg()
{
	local ns=$1 out

	if [[ -z $ns ]]; then
		eval "$2 &"
		NSW_BG_PID=$!
	else
		out=$(__nsh "$ns" "$2 & echo \$!") || return
		NSW_BG_PID=$out
	fi
	[[ $NSW_BG_PID =~ ^[0-9]+$ ]] || return 1
	defer nsw_kill "$NSW_BG_PID"
}

# nsw_kill PID: end a process (of any namespace) and wait until it is gone
nsw_kill()
{
	kill "$1" 2>/dev/null
	busywait 5000 __pid_gone "$1"
}

# __pid_gone PID: PID has ended. A zombie has too: bash may reap a
# background child only at its next fork or wait, and kill -0 succeeds on
# a zombie, so a loop of builtins would wait for it for ever.
__pid_gone()
{
	local stat

	read -r stat 2>/dev/null <"/proc/$1/stat" || return 0
	stat=${stat##*) }
	[[ ${stat%% *} == Z ]]
}

# ns_root NS: where NS's /sys is seen from here ("" for our own)
ns_root()
{
	[[ -z $1 ]] || echo "${NSW_ROOT[$1]}"
}

##############################################################################
# Requirements, module

# nsw_require CMD...: skip the whole test unless root with CMDs installed
nsw_require()
{
	local cmd

	((EUID == 0)) || ktap_skip_all "must run as root"
	for cmd in "$@"; do
		command -v "$cmd" >/dev/null || ktap_skip_all "$cmd not installed"
	done
}

nsw_loaded()
{
	[[ -d /sys/module/nestsw ]]
}

# nsw_load: insmod $NESTSW_KO unless nestsw is loaded; skip the test when
# there is no module to load
nsw_load()
{
	local err

	nsw_loaded && return 0
	if [[ -z $NESTSW_KO || ! -f $NESTSW_KO ]]; then
		ktap_skip_all "nestsw.ko not found (NESTSW_KO='${NESTSW_KO:-}')"
	fi
	if ! err=$(insmod "$NESTSW_KO" 2>&1); then
		ktap_info "insmod $NESTSW_KO: $err"
		return "$ksft_fail"
	fi
	return 0
}

# nsw_unload [TIMEOUT_MS]: rmmod nestsw. A module that waits for a
# reference that never comes back hangs rmmod in the kernel: say so (with
# the kernel log) instead of hanging the test.
nsw_unload()
{
	local timeout_ms=${1:-30000} out=$NSW_TMP/rmmod.out pid rc start

	nsw_loaded || return 0
	__now
	start=$NSW_NOW
	rmmod nestsw >"$out" 2>&1 &
	pid=$!
	if ! busywait "$timeout_ms" __pid_gone "$pid"; then
		ktap_info "rmmod nestsw still running after $((timeout_ms / 1000)) s, in:"
		ktap_info "$(cat "/proc/$pid/stack" 2>&1)"
		ktap_info "$(dmesg | tail -n 20)"
		return "$ksft_fail"
	fi
	__now
	ktap_info "rmmod nestsw took $(((NSW_NOW - start) / 1000)) ms"
	wait "$pid"
	rc=$?
	if ((rc != 0)) || nsw_loaded; then
		ktap_info "rmmod nestsw: exit $rc: $(<"$out")"
		return "$ksft_fail"
	fi
	return 0
}

# nsw_tool NS ARGS...: the nestsw tool in NS; exit 4 (skip) if not built
nsw_tool()
{
	local ns=$1; shift

	[[ -x $NSW_TOOL ]] || return "$ksft_skip"
	in_ns "$ns" "$NSW_TOOL" "$@"
}

# nsw_shows NS ARGS... WANT: `nestsw ARGS` in NS prints WANT (it prints
# what it got, for the log)
nsw_shows()
{
	local out

	out=$(nsw_tool "$1" "${@:2:$#-2}") || return
	echo "$out"
	[[ $out == *"${*: -1}"* ]]
}

# nsw_exits CODE CMD...: CMD fails with exit status CODE, and says why
nsw_exits()
{
	local out rc

	out=$("${@:2}" 2>&1)
	rc=$?
	echo "$out (exit $rc)"
	((rc == $1)) && [[ -n $out ]]
}

# nsw_showconf_to NS SW FILE: `nestsw showconf SW` in NS, into FILE
nsw_showconf_to()
{
	in_ns_sh "$1" "$(printf %q "$NSW_TOOL") showconf $2 >$(printf %q "$3")"
}

# nsw_conf_has FILE LINE...: FILE has each LINE
nsw_conf_has()
{
	local f=$1 line; shift

	for line; do
		grep -qxF -- "$line" "$f" || { ktap_info "no line \"$line\""; return 1; }
	done
}

# Kernel log: nsw_kmsg_mark at the start, check_kmsg at the end fails on
# any warning, oops or leak report logged in between (the VM runner also
# fails the run on them; this names the test that caused one).
NSW_KMSG_LINES=0

nsw_kmsg_mark()
{
	local log

	log=$(dmesg 2>/dev/null)
	NSW_KMSG_LINES=$(wc -l <<<"$log")
}

check_kmsg()
{
	local desc="the kernel logged no warning, oops or leak" bad

	bad=$(dmesg 2>/dev/null | tail -n +$((NSW_KMSG_LINES + 1)) |
	      grep -E 'BUG|WARNING|Call Trace|KASAN|UBSAN|unreferenced object|refcount_t|unregister_netdevice: waiting|general protection|circular locking|suspicious RCU')
	if [[ -z $bad ]]; then
		ktap_ok "$desc"
		return 0
	fi
	ktap_info "$bad"
	ktap_fail "$desc"
	return 1
}

##############################################################################
# Devices. Reads go through sysfs (no process); changes through `ip`.

# nsw_ip NS LINE...: run `ip` commands in NS, one per LINE, in one process
# ("link set vp1 up" "addr add 10.0.0.1/24 dev sw0")
nsw_ip()
{
	local ns=$1 file; shift

	if (($# == 1)); then
		# shellcheck disable=SC2086 # one command line, split into words
		in_ns "$ns" ip $1
		return
	fi
	file=$NSW_TMP/batch.$BASHPID.$RANDOM
	printf '%s\n' "$@" >"$file"
	in_ns "$ns" ip -batch "$file"
}

# nsw_quiet_arp NS DEV: once resolved, DEV's neighbours stay reachable for
# ten minutes and are not re-probed, so no ARP frame turns up in a count
# (there is no per-namespace default to set beforehand)
nsw_quiet_arp()
{
	in_ns_sh "$1" "
		echo 600000 >/proc/sys/net/ipv4/neigh/$2/base_reachable_time_ms &&
		echo 600 >/proc/sys/net/ipv4/neigh/$2/delay_first_probe_time"
}

# nsw_switch_add NS SW [CIDR]: create switch SW in NS, up, with an address
nsw_switch_add()
{
	local ns=$1 sw=$2 cidr=$3 lines=("link add $2 type nestsw" "link set $2 up")

	[[ -z $cidr ]] || lines+=("addr add $cidr dev $sw")
	nsw_ip "$ns" "${lines[@]}" && nsw_quiet_arp "$ns" "$sw"
}

# nsw_veth_port SWNS SW PORT GNS [CIDR]: a veth pair, PORT in SWNS
# enslaved to SW, its peer "eth0" in the guest namespace GNS with address
# CIDR. The peer is created in GNS with its MAC before PORT is enslaved:
# the switch takes the guest's MAC at enslave time.
nsw_veth_port()
{
	local swns=$1 sw=$2 port=$3 gns=$4 cidr=$5 lines=("link set eth0 up")

	nsw_ip "$swns" "link add $port type veth peer name eth0 netns $gns" \
		"link set $port master $sw" "link set $port up" || return
	[[ -z $cidr ]] || lines+=("addr add $cidr dev eth0")
	nsw_ip "$gns" "${lines[@]}" && nsw_quiet_arp "$gns" eth0
}

# nsw_tap_port SWNS SW PORT: a tap device PORT in SWNS, enslaved to SW and
# up. It has no carrier (the switch's frames to it are dropped before
# anything sees them) until a guest attaches to it: frames_start.
nsw_tap_port()
{
	[[ -c /dev/net/tun ]] || modprobe tun 2>/dev/null
	nsw_ip "$1" "tuntap add mode tap name $3" "link set $3 master $2" \
		"link set $3 up"
}

# nsw_mac NS DEV: DEV's MAC address
nsw_mac()
{
	local root mac

	root=$(ns_root "$1")
	read -r mac <"$root/sys/class/net/$2/address" || return
	echo "$mac"
}

nsw_dev_exists()
{
	local root

	root=$(ns_root "$1")
	[[ -e $root/sys/class/net/$2 ]]
}

nsw_dev_gone()
{
	! nsw_dev_exists "$@"
}

# nsw_carrier NS DEV WANT: DEV's carrier is WANT (1 or 0) now
nsw_carrier()
{
	local c

	read -r c <"$(ns_root "$1")/sys/class/net/$2/carrier" 2>/dev/null
	[[ $c == "$3" ]]
}

# nsw_master NS DEV: the name of DEV's master, empty if none
nsw_master()
{
	local root dir

	root=$(ns_root "$1")
	[[ -e $root/sys/class/net/$2 ]] || return 1
	[[ -e $root/sys/class/net/$2/master ]] || return 0
	dir=$(cd -P "$root/sys/class/net/$2/master" && pwd) || return 1
	echo "${dir##*/}"
}

# nsw_released NS DEV...: each DEV exists and has no master
nsw_released()
{
	local ns=$1 dev master; shift

	for dev in "$@"; do
		master=$(nsw_master "$ns" "$dev") || { echo "$dev is gone"; return 1; }
		[[ -z $master ]] || { echo "$dev still has master $master"; return 1; }
	done
}

# nsw_ports NS MASTER: the names of MASTER's ports, one a line
nsw_ports()
{
	local root f

	root=$(ns_root "$1")
	for f in "$root/sys/class/net/$2"/lower_*; do
		[[ -e $f ]] && echo "${f##*/lower_}"
	done
	return 0
}

# nsw_ports_are NS MASTER PORT...: MASTER's ports are these, in any order
nsw_ports_are()
{
	local ns=$1 master=$2 got want; shift 2

	got=$(nsw_ports "$ns" "$master" | sort | tr '\n' ' ')
	want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	[[ $got == "$want" ]] || { ktap_info "ports of $master: $got"; return 1; }
}

# nsw_neigh NS DEV ADDR MAC...: permanent neighbour entries (no ARP)
nsw_neigh()
{
	local ns=$1 dev=$2 lines=(); shift 2

	while (($# >= 2)); do
		lines+=("neigh replace $1 lladdr $2 dev $dev nud permanent")
		shift 2
	done
	nsw_ip "$ns" "${lines[@]}"
}

##############################################################################
# Traffic

# nsw_ping NS ADDR [COUNT [PING ARGS...]]: COUNT pings, all answered
nsw_ping()
{
	local ns=$1 addr=$2 count=${3:-1}

	shift $(($# < 3 ? $# : 3))
	NSW_TRAFFIC=$((NSW_TRAFFIC + 1))
	in_ns "$ns" ping -q -n -c "$count" -i 0.02 -w 10 "$@" "$addr"
}

# nsw_ping_nowait NS ADDR COUNT [PING ARGS...]: send COUNT echo requests
# nobody answers (broadcast, multicast), without waiting for replies
nsw_ping_nowait()
{
	local ns=$1 addr=$2 count=$3; shift 3

	NSW_TRAFFIC=$((NSW_TRAFFIC + 1))
	in_ns "$ns" ping -q -n -c "$count" -i 0.02 -W 0.05 "$@" "$addr" >/dev/null 2>&1
	return 0
}

# nsw_udp NS ADDR PORT [COUNT]: send COUNT UDP datagrams to ADDR:PORT
nsw_udp()
{
	local ns=$1 addr=$2 port=$3 count=${4:-1}

	NSW_TRAFFIC=$((NSW_TRAFFIC + 1))
	in_ns_sh "$ns" "for ((i = 0; i < $count; i++)); do
		echo nestsw >/dev/udp/$addr/$port || exit
	done"
}

##############################################################################
# Counters: /sys/class/net/DEV/statistics/STAT in a namespace, the numbers
# `ip -s link` prints. STAT may be a sum: "rx_dropped+tx_dropped".

declare -A NSW_CNT

# cnt_get NS DEV STAT
cnt_get()
{
	local root s v n=0

	root=$(ns_root "$1")
	for s in ${3//+/ }; do
		read -r v <"$root/sys/class/net/$2/statistics/$s" || return
		n=$((n + v))
	done
	echo "$n"
}

# cnt_mark NS...: remember every counter of every device in the namespaces
cnt_mark()
{
	local ns root f v dev

	for ns in "$@"; do
		root=$(ns_root "$ns")
		for f in "$root"/sys/class/net/*/statistics/*; do
			read -r v <"$f" 2>/dev/null || continue
			dev=${f%/statistics/*}
			NSW_CNT["$ns|${dev##*/}|${f##*/}"]=$v
		done
	done
}

# cnt_delta NS DEV STAT: how much the counter moved since cnt_mark
cnt_delta()
{
	local ns=$1 dev=$2 stat=$3 s base=0 now

	for s in ${stat//+/ }; do
		base=$((base + ${NSW_CNT["$ns|$dev|$s"]:-0}))
	done
	now=$(cnt_get "$ns" "$dev" "$stat") || return 1
	echo $((now - base))
}

__cnt_reached()
{
	local d

	d=$(cnt_delta "$1" "$2" "$3") && ((d >= $4))
}

# check_cnt DESC NS DEV STAT WANT [NS DEV STAT WANT]...: each counter moved
# by exactly WANT since cnt_mark; WANT may list accepted values ("84|98").
# Waits for counters that should move; looks once (after the quiet window)
# at those that should not.
check_cnt()
{
	local desc=$1 ok=1 ns dev stat want d items=(); shift

	while (($# >= 4)); do
		ns=$1 dev=$2 stat=$3 want=$4
		shift 4
		if [[ $want == 0 ]]; then
			__settle
		else
			busywait "$NSW_WAIT_MS" __cnt_reached "$ns" "$dev" "$stat" "${want%%|*}"
		fi
		d=$(cnt_delta "$ns" "$dev" "$stat")
		items+=("$dev $stat +$d (want +$want)")
		[[ "|$want|" == *"|$d|"* ]] || ok=0
	done
	__info_list "${items[@]}"
	if ((ok)); then
		ktap_ok "$desc"
		return 0
	fi
	ktap_fail "$desc"
	return 1
}

##############################################################################
# Captures: tcpdump in the background on a device, keeping the frames the
# device receives (-Q in), not in promiscuous mode (-p: a capture must not
# change what the switch sends), one line per frame with MACs (-e).

NSW_CAP_SEQ=0

# cap_start VAR NS DEV [DIR]: start a capture, store its id in VAR. DIR
# is "in" (the default) or "out": what the switch sends to a tap port,
# captured on the tap in the switch's namespace, is what the tap sends.
cap_start()
{
	local var=$1 ns=$2 dev=$3 dir=${4:-in} id

	NSW_CAP_SEQ=$((NSW_CAP_SEQ + 1))
	id=$NSW_TMP/cap.$NSW_CAP_SEQ
	printf -v "$var" %s "$id"
	echo "$ns/$dev" >"$id.dev"
	: >"$id.out"
	__in_ns_bg "$ns" "tcpdump -i $dev -p -Q $dir -e -nn -t -l --immediate-mode \
		>$id.out 2>$id.err </dev/null" || return
	if ! busywait "$NSW_WAIT_MS" __cap_listening "$id"; then
		ktap_info "tcpdump on $ns/$dev did not start: $(<"$id.err")"
		return "$ksft_fail"
	fi
}

__cap_listening()
{
	local line

	[[ -f $1.err ]] || return 1
	while IFS= read -r line; do
		[[ $line == *"listening on"* ]] && return 0
	done <"$1.err"
	return 1
}

# cap_count ID REGEX: frames seen so far whose tcpdump line matches REGEX
cap_count()
{
	local line n=0

	while IFS= read -r line; do
		[[ $line =~ $2 ]] && n=$((n + 1))
	done <"$1.out"
	echo "$n"
}

# cap_lines ID REGEX: those lines (the first three), "DEV: LINE"
cap_lines()
{
	local line n=0 dev

	read -r dev <"$1.dev"
	while IFS= read -r line && ((n < 3)); do
		[[ $line =~ $2 ]] && { echo "$dev: $line"; n=$((n + 1)); }
	done <"$1.out"
}

__cap_reached()
{
	local n

	n=$(cap_count "$1" "$2") && ((n >= $3))
}

# check_seen DESC WANT CAP REGEX [WANT CAP REGEX]...: each capture saw
# exactly WANT frames matching REGEX. Waits for frames that should come;
# looks once (after the quiet window) for frames that should not.
check_seen()
{
	local desc=$1 ok=1 want cap re n dev items=() bad=(); shift

	while (($# >= 3)); do
		want=$1 cap=$2 re=$3
		shift 3
		if ((want == 0)); then
			__settle
		else
			busywait "$NSW_WAIT_MS" __cap_reached "$cap" "$re" "$want"
		fi
		n=$(cap_count "$cap" "$re")
		read -r dev <"$cap.dev"
		items+=("$dev: $n (want $want)")
		if ((n != want)); then
			ok=0
			bad+=("$(cap_lines "$cap" "$re")")
		fi
	done
	__info_list "${items[@]}"
	if ((ok)); then
		ktap_ok "$desc"
		return 0
	fi
	ktap_info "${bad[@]}"
	ktap_fail "$desc"
	return 1
}

##############################################################################
# Crafted frames: selftests/lib/frames.py sends them out of a guest's
# device (a veth peer in the guest's namespace, or a tap it attaches to as
# a hypervisor would), with any source and destination MAC: IPv4/UDP from
# 10.0.0.200 to 10.0.0.77, an address no guest has, so nobody answers.
# Sending is a line written to the helper's FIFO, not a process.

declare -A NSW_FRM_CMD NSW_FRM_ACK
NSW_FRM_SEQ=0

# frames_start VAR NS DEV: start a sender on DEV in NS, its id in VAR. On
# a tap, it also keeps the tap's carrier up (it reads what the switch
# sends, and throws it away) until the end of the defer scope.
frames_start()
{
	local var=$1 ns=$2 dev=$3 id fd_cmd fd_ack line

	NSW_FRM_SEQ=$((NSW_FRM_SEQ + 1))
	id=$NSW_TMP/frames.$NSW_FRM_SEQ
	printf -v "$var" %s "$id"
	mkfifo "$id.cmd" "$id.ack" || return
	# read-write: opening either end blocks nobody
	exec {fd_cmd}<>"$id.cmd" {fd_ack}<>"$id.ack"
	NSW_FRM_CMD[$id]=$fd_cmd
	NSW_FRM_ACK[$id]=$fd_ack
	__in_ns_bg "$ns" "/usr/bin/python3 $NSW_SELFTESTS/lib/frames.py $dev \
		$id.cmd $id.ack 2>$id.err </dev/null" || return
	if ! read -r -t 30 -u "$fd_ack" line || [[ $line != ready ]]; then
		ktap_info "frames.py on $ns/$dev did not start: $(<"$id.err")"
		return "$ksft_fail"
	fi
}

# frames_send ID SRC DST PORT COUNT: COUNT frames from MAC SRC to MAC DST,
# UDP port PORT; returns once they are sent
frames_send()
{
	local id=$1 line

	NSW_TRAFFIC=$((NSW_TRAFFIC + 1))
	echo "$2 $3 $4 $5" >&"${NSW_FRM_CMD[$id]}"
	if ! read -r -t 30 -u "${NSW_FRM_ACK[$id]}" line || [[ $line != "sent $5" ]]; then
		ktap_info "frames.py did not send: ${line:-(no answer)} $(<"$id.err")"
		return 1
	fi
}

# frame_re PORT: the tcpdump line of frames_send's frames to PORT
frame_re()
{
	echo " > 10\\.0\\.0\\.77\\.$1: "
}

# frame_to_re PORT DST: the tcpdump line of frames_send's frames to PORT,
# sent to MAC DST
frame_to_re()
{
	echo "> $2, .*$(frame_re "$1")"
}

# raw_frames NS DEV DST SRC HEX PAD COUNT: COUNT frames out of DEV in NS
# (a packet socket; one process), byte by byte: the MACs DST and SRC, then
# HEX (ethertype, tags...) and PAD bytes of 0xa5
NSW_PY_RAW='import socket, sys
dev, dst, src, rest, pad, n = sys.argv[1:]
frame = (bytes.fromhex(dst.replace(":", "")) +
         bytes.fromhex(src.replace(":", "")) +
         bytes.fromhex(rest) + b"\xa5" * int(pad))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((dev, 0))
for i in range(int(n)):
    s.send(frame)'
raw_frames()
{
	NSW_TRAFFIC=$((NSW_TRAFFIC + 1))
	in_ns "$1" /usr/bin/python3 -c "$NSW_PY_RAW" "${@:2:6}"
}

##############################################################################
# Drop counters of ports, by reason, as the nestsw tool shows them
# (nestsw -j -s port show): NSW_DROPS["PORT|REASON"].

declare -A NSW_DROPS NSW_DROPS_BASE NSW_DROPS_WANT

# A JSON reader for `nestsw -j port show`: jq if there is one (0.3 s a
# run under TCG), else python (1.4 s). Prints "PORT KEY VALUE" lines, one
# per member of each port ("drops.REASON" for its drop counters).
__ports_parse()
{
	if [[ -z $NSW_NO_JQ ]] && command -v jq >/dev/null; then
		jq -r '.[] | .ifname as $p |
			(to_entries[] | select(.value | type != "object") |
			 "\($p) \(.key) \(.value)"),
			(.drops // {} | to_entries[] | "\($p) drops.\(.key) \(.value)")'
	else
		/usr/bin/python3 -c '
import json, sys
show = lambda v: v if isinstance(v, str) else json.dumps(v)
for p in json.load(sys.stdin):
    for k, v in p.items():
        if not isinstance(v, dict):
            print(p["ifname"], k, show(v))
    for k, v in p.get("drops", {}).items():
        print(p["ifname"], "drops." + k, v)'
	fi
}

# nsw_ports_json NS: read `nestsw -j -s port show` in NS into
# NSW_PORTJ["PORT|KEY"] (KEY as in the JSON: initial-mac, follows-peer...)
# and the drop counters into NSW_DROPS["PORT|REASON"]
declare -A NSW_PORTJ
nsw_ports_json()
{
	local out port key val

	out=$(in_ns_sh "$1" "$(declare -f __ports_parse)
		set -o pipefail; $(printf %q "$NSW_TOOL") -j -s port show | __ports_parse") || {
		ktap_info "nestsw -j -s port show: $out"
		return 1
	}
	NSW_PORTJ=()
	NSW_DROPS=()
	while read -r port key val; do
		if [[ $key == drops.* ]]; then
			NSW_DROPS["$port|${key#drops.}"]=$val
		else
			# shellcheck disable=SC2034 # for the tests
			NSW_PORTJ["$port|$key"]=$val
		fi
	done <<<"$out"
}

# nsw_drops NS: read the drop counters of every port in NS
nsw_drops()
{
	nsw_ports_json "$1"
}

# nsw_drops_mark NS: remember the drop counters of every port in NS
nsw_drops_mark()
{
	local k

	nsw_drops "$1" || return
	NSW_DROPS_BASE=()
	for k in "${!NSW_DROPS[@]}"; do
		NSW_DROPS_BASE[$k]=${NSW_DROPS[$k]}
	done
}

# __nsw_drops_reached NS: the counters of NSW_DROPS_WANT have moved since
# nsw_drops_mark by at least their WANT
__nsw_drops_reached()
{
	local k

	nsw_drops "$1" || return
	for k in "${!NSW_DROPS_WANT[@]}"; do
		((${NSW_DROPS[$k]:-0} - ${NSW_DROPS_BASE[$k]:-0} >= ${NSW_DROPS_WANT[$k]})) ||
			return 1
	done
}

# check_nsw_drops DESC NS [PORT REASON WANT]...: each counter moved by
# exactly WANT since nsw_drops_mark, and no other drop counter of any port
# in NS moved. Waits for those that should move.
check_nsw_drops()
{
	local desc=$1 ns=$2 ok=1 wait=0 k d items=(); shift 2

	NSW_DROPS_WANT=()
	while (($# >= 3)); do
		NSW_DROPS_WANT["$1|$2"]=$3
		(($3 == 0)) || wait=1
		shift 3
	done
	if ((wait)); then
		busywait "$NSW_WAIT_MS" __nsw_drops_reached "$ns"
	else
		__settle
		nsw_drops "$ns"
	fi
	if ((${#NSW_DROPS[@]} == 0)); then
		ktap_info "no drop counters shown"
		ok=0
	fi
	for k in "${!NSW_DROPS_WANT[@]}"; do
		d=$((${NSW_DROPS[$k]:-0} - ${NSW_DROPS_BASE[$k]:-0}))
		items+=("${k/|/ } +$d (want +${NSW_DROPS_WANT[$k]})")
		((d == NSW_DROPS_WANT[$k])) || ok=0
	done
	for k in "${!NSW_DROPS[@]}"; do
		[[ -z ${NSW_DROPS_WANT[$k]} ]] || continue
		d=$((${NSW_DROPS[$k]} - ${NSW_DROPS_BASE[$k]:-0}))
		((d == 0)) || { items+=("${k/|/ } +$d (want +0)"); ok=0; }
	done
	((${#items[@]})) || items=("no drop counter moved")
	__info_list "${items[@]}"
	if ((ok)); then
		ktap_ok "$desc"
		return 0
	fi
	ktap_fail "$desc"
	return 1
}

##############################################################################
# Learning: the "learning" counters of ports, the learned FDB entries, and
# `nestsw -j monitor` events (learning_limit.sh, mac_flood.sh). JSON is
# read with jq: nsw_require jq.

declare -A NSW_LEARN NSW_LEARN_BASE

# nsw_learn_read NS: the learning counters of every port in NS
# (nestsw -j -s port show) into NSW_LEARN["PORT|KEY"]
nsw_learn_read()
{
	local out port key val

	out=$(nsw_tool "$1" -j -s port show) || {
		ktap_info "nestsw -j -s port show: $out"
		return 1
	}
	NSW_LEARN=()
	# shellcheck disable=SC2016 # jq's variables
	out=$(jq -r '.[] | .ifname as $p |
		(.learning // {} | to_entries[] | "\($p) \(.key) \(.value)")' <<<"$out")
	while read -r port key val; do
		[[ -n $key ]] && NSW_LEARN["$port|$key"]=$val
	done <<<"$out"
}

# nsw_learn_mark NS: remember the learning counters of every port in NS
nsw_learn_mark()
{
	local k

	nsw_learn_read "$1" || return
	NSW_LEARN_BASE=()
	for k in "${!NSW_LEARN[@]}"; do
		NSW_LEARN_BASE[$k]=${NSW_LEARN[$k]}
	done
}

# __nsw_learn_got PORT KEY WANT: the counter as WANT means it, "+D" (moved
# by D since nsw_learn_mark) or "N" (is N now)
__nsw_learn_got()
{
	local v=${NSW_LEARN["$1|$2"]:-missing}

	if [[ $3 == +* && $v != missing ]]; then
		echo "+$((v - ${NSW_LEARN_BASE["$1|$2"]:-0}))"
	else
		echo "$v"
	fi
}

# __nsw_learn_match NS PORT KEY WANT...: every counter is as wanted
__nsw_learn_match()
{
	local ns=$1; shift

	nsw_learn_read "$ns" || return
	while (($# >= 3)); do
		[[ $(__nsw_learn_got "$1" "$2" "$3") == "$3" ]] || return 1
		shift 3
	done
}

# nsw_learn_check DESC NS [PORT KEY WANT]...: each learning counter of
# nestsw -j -s port show (entries, learned, moves, not-learned-allowed,
# not-learned-dropped) moved by WANT ("+3") since nsw_learn_mark or is
# WANT ("4") now. Waits a while for them to get there.
nsw_learn_check()
{
	local desc=$1 ns=$2 items=() ok=1 got; shift 2

	__settle
	busywait "$NSW_WAIT_MS" __nsw_learn_match "$ns" "$@"
	while (($# >= 3)); do
		got=$(__nsw_learn_got "$1" "$2" "$3")
		items+=("$1 $2 $got (want $3)")
		[[ $got == "$3" ]] || ok=0
		shift 3
	done
	__info_list "${items[@]}"
	if ((ok)); then
		ktap_ok "$desc"
		return 0
	fi
	ktap_fail "$desc"
	return 1
}

# nsw_learn_fdb NS DEV: the MACs learned on DEV (nestsw -j fdb show dev
# DEV, flag "learned"), sorted, one a line
nsw_learn_fdb()
{
	local out

	out=$(nsw_tool "$1" -j fdb show dev "$2") || {
		echo "nestsw -j fdb show dev $2: $out"
		return 1
	}
	jq -r '.[] | select(.flags // [] | index("learned")) | .mac' \
		<<<"$out" | sort
}

# nsw_learn_check_fdb DESC NS DEV MAC...: exactly these MACs are learned
# on DEV
nsw_learn_check_fdb()
{
	local desc=$1 ns=$2 dev=$3 got want; shift 3

	got=$(nsw_learn_fdb "$ns" "$dev")
	want=$( (($#)) && printf '%s\n' "$@" | sort)
	if [[ $got == "$want" ]]; then
		ktap_info "learned on $dev: ${got//$'\n'/ }"
		ktap_ok "$desc"
		return 0
	fi
	got=${got:-none} want=${want:-none}
	ktap_info "learned on $dev: ${got//$'\n'/ }" "want: ${want//$'\n'/ }"
	ktap_fail "$desc"
	return 1
}

# nsw_learn_monitor_start VAR NS: `nestsw -j monitor` in NS in the
# background until the end of the defer scope, its events (JSON lines) to
# a file whose name goes to VAR; returns once it has joined the monitor
# group (its netlink socket in /proc/PID/net/netlink has a group)
NSW_LEARN_MON_SEQ=0
nsw_learn_monitor_start()
{
	local var=$1 ns=$2 file

	NSW_LEARN_MON_SEQ=$((NSW_LEARN_MON_SEQ + 1))
	file=$NSW_TMP/monitor.$NSW_LEARN_MON_SEQ
	printf -v "$var" %s "$file.json"
	: >"$file.json"
	__in_ns_bg "$ns" "exec $(printf %q "$NSW_TOOL") -j monitor \
		>$file.json 2>$file.err </dev/null" || return
	echo "$NSW_BG_PID" >"$file.pid"
	if ! busywait "$NSW_WAIT_MS" __nsw_learn_joined "$NSW_BG_PID"; then
		ktap_info "nestsw monitor did not join its group: $(<"$file.err")"
		return "$ksft_fail"
	fi
}

__nsw_learn_joined()
{
	local eth pid groups rest

	[[ -e /proc/$1 ]] || return 1
	while read -r _ eth pid groups rest; do
		[[ $eth == 16 && $pid == "$1" && $groups =~ ^[0-9a-f]+$ ]] &&
			((16#$groups)) && return 0
	done <"/proc/$1/net/netlink"
	return 1
}

# nsw_learn_events FILE SELECT: how many events in FILE (JSON lines of
# nestsw -j monitor) SELECT, a jq condition, holds for
nsw_learn_events()
{
	jq -c "select($2)" "$1" 2>/dev/null | wc -l
}

__nsw_learn_events_reached()
{
	local n

	n=$(nsw_learn_events "$1" "$2") && ((n >= $3))
}

# nsw_learn_check_event DESC FILE WANT SELECT: FILE has exactly WANT events (or
# at least N if WANT is "N+") SELECT holds for; waits for those that
# should come, looks once (after the quiet window) if none should
nsw_learn_check_event()
{
	local desc=$1 file=$2 want=$3 sel=$4 n

	if [[ $want == 0 ]]; then
		__settle
	else
		busywait "$NSW_WAIT_MS" __nsw_learn_events_reached "$file" "$sel" "${want%+}"
	fi
	n=$(nsw_learn_events "$file" "$sel")
	ktap_info "events with $sel: $n (want $want)"
	if [[ $n == "$want" ]] || { [[ $want == *+ ]] && ((n >= ${want%+})); }; then
		ktap_ok "$desc"
		return 0
	fi
	[[ -s ${file%.json}.err ]] && ktap_info "monitor: $(head -3 "${file%.json}.err")"
	ktap_fail "$desc"
	return 1
}

##############################################################################
# The seed lab of DESIGN.md ("The lab it serves"), shared by seed_lab.sh and
# demo/seed_lab.sh:
#
#   phys    the physical network: a router, eth0.10 10.10.0.254/24
#           (management) and eth0.20 10.20.0.254/24 (VM traffic), no
#           ip_forward; eth0 is the peer of sw0's port "uplink"
#   host    sw0; "uplink" (role uplink, PG trunk: vlan trunk) and vesx1..4,
#           each in its own PG vesxN (trunk, learning on, forged-transmits
#           accept, promiscuous reject)
#   vesxN   a nested hypervisor: vmnic0 (the peer of sw0's vesxN) is the
#           uplink of its own switch vsw0 (PG trunk); vsw0's ports g10_N
#           and g20_N (PGs vlan10: vlan 10, vlan20: vlan 20) lead to its
#           guests. The four vsw0 are configured as a distributed switch
#           is: from one shared file, $NSW_LAB_VESX_FILE
#           (nsw_lab_vesx_conf: the port groups and vmnic0), each with a
#           drop-in of its own for its guest ports, whose names differ
#           (nsw_lab_vesx_ports), with nestsw -n NETNS setconf of
#           $(nsw_lab_vesx_file N)
#   g10_N   vesxN's guest in VLAN 10: eth0 10.10.0.N1/24, default route
#           via the router
#   g20_N   vesxN's guest in VLAN 20: eth0 10.20.0.N1/24, likewise
#
# NSW_LAB[ROLE] holds each namespace's name. MACs are fixed, to be read
# in an FDB: guests 02:00:00:VV:00:0N (VV the VLAN), vmnic0 of vesxN
# 02:00:00:00:00:0N, the router 02:00:00:00:fe:01.

NSW_LAB_HOSTS=4
NSW_LAB_VLANS="10 20"
NSW_LAB_ROUTER_MAC=02:00:00:00:fe:01
declare -A NSW_LAB

# nsw_lab_mac VLAN N: the MAC of vesxN's guest in VLAN
nsw_lab_mac()
{
	printf '02:00:00:%02d:00:%02x\n' "$1" "$2"
}

# nsw_lab_addr VLAN N: the address of vesxN's guest in VLAN
nsw_lab_addr()
{
	echo "10.$1.0.${2}1"
}

# nsw_lab_router VLAN: the router's address in VLAN
nsw_lab_router()
{
	echo "10.$1.0.254"
}

__nsw_lab_host()
{
	local h=${NSW_LAB[host]} n tool lines script

	printf -v tool %q "$NSW_TOOL"
	lines=("link add sw0 type nestsw" "link set sw0 up"
	       "link add uplink type veth peer name eth0 address $NSW_LAB_ROUTER_MAC netns ${NSW_LAB[phys]}"
	       "link set uplink master sw0" "link set uplink up")
	script="$tool pg add dev sw0 name trunk vlan trunk &&
		$tool port set dev uplink role uplink pg trunk"
	for ((n = 1; n <= NSW_LAB_HOSTS; n++)); do
		lines+=("link add vesx$n type veth peer name vmnic0 address 02:00:00:00:00:0$n netns ${NSW_LAB[vesx$n]}"
			"link set vesx$n master sw0" "link set vesx$n up")
		script+=" &&
		$tool pg add dev sw0 name vesx$n vlan trunk learning on forged-transmits accept promiscuous reject &&
		$tool port set dev vesx$n pg vesx$n"
	done
	nsw_ip "$h" "${lines[@]}" && in_ns_sh "$h" "$script"
}

__nsw_lab_phys()
{
	local p=${NSW_LAB[phys]} v lines=("link set eth0 up") script

	script="echo 0 >/proc/sys/net/ipv4/ip_forward"
	for v in $NSW_LAB_VLANS; do
		lines+=("link add link eth0 name eth0.$v type vlan id $v"
			"addr add $(nsw_lab_router "$v")/24 dev eth0.$v"
			"link set eth0.$v up")
		script+=" && echo 600000 >/proc/sys/net/ipv4/neigh/eth0.$v/base_reachable_time_ms"
		script+=" && echo 600 >/proc/sys/net/ipv4/neigh/eth0.$v/delay_first_probe_time"
	done
	nsw_ip "$p" "${lines[@]}" && in_ns_sh "$p" "$script"
}

# nsw_lab_vesx_conf: the configuration every nested hypervisor's vsw0
# shares, one file for the four of them (as a distributed switch gives
# them the same port groups): a port group per VLAN, the uplink vmnic0 on
# a trunk (every vesxN names it so)
nsw_lab_vesx_conf()
{
	local v

	printf '%s\n' "# vsw0 of every nested hypervisor" "[PortGroup]" \
		"name = trunk" "vlan = trunk"
	for v in $NSW_LAB_VLANS; do
		printf '%s\n' "" "[PortGroup]" "name = vlan$v" "vlan = $v"
	done
	printf '%s\n' "" "[Port]" "dev = vmnic0" "pg = trunk" "role = uplink"
}

# nsw_lab_vesx_ports N: vesxN's drop-in, its guest ports gVLAN_N
nsw_lab_vesx_ports()
{
	local v

	echo "# the guest ports of vesx$1"
	for v in $NSW_LAB_VLANS; do
		printf '%s\n' "[Port]" "dev = g${v}_$1" "pg = vlan$v" ""
	done
}

# nsw_lab_vesx_file N: vesxN's vsw0.conf (its /etc/nestsw/vsw0.conf): a
# link to the shared file, beside vsw0.conf.d/ports.conf
nsw_lab_vesx_file()
{
	echo "$NSW_TMP/etc-vesx$1/vsw0.conf"
}

# nsw_lab_pgs N: what the shared file gives vesxN's vsw0: its showconf up
# to the first port
nsw_lab_pgs()
{
	"$NSW_TOOL" -n "${NSW_LAB[vesx$1]}" showconf vsw0 | sed '/^\[Port\]$/,$d'
}

# vsw0 of vesxN: its ports, then `nestsw -n NETNS setconf` of the shared
# file and vesxN's drop-in
__nsw_lab_vesx()
{
	local n=$1 x=${NSW_LAB[vesx$1]} v g lines file

	lines=("link add vsw0 type nestsw" "link set vsw0 up"
	       "link set vmnic0 up")
	for v in $NSW_LAB_VLANS; do
		g=${NSW_LAB[g${v}_$n]}
		lines+=("link add g${v}_$n type veth peer name eth0 address $(nsw_lab_mac "$v" "$n") netns $g"
			"link set g${v}_$n up")
	done
	file=$(nsw_lab_vesx_file "$n")
	mkdir -p "$file.d" && ln -sfn "$NSW_LAB_VESX_FILE" "$file" &&
	nsw_lab_vesx_ports "$n" >"$file.d/ports.conf" &&
	nsw_ip "$x" "${lines[@]}" &&
	"$NSW_TOOL" -n "$x" setconf vsw0 "$file" || return
	for v in $NSW_LAB_VLANS; do
		g=${NSW_LAB[g${v}_$n]}
		nsw_ip "$g" "addr add $(nsw_lab_addr "$v" "$n")/24 dev eth0" \
			"link set eth0 up" \
			"route add default via $(nsw_lab_router "$v")" &&
		nsw_quiet_arp "$g" eth0 || return
	done
}

# nsw_lab_setup: create the lab's namespaces (deleted on exit) and build it;
# the nested hypervisors are built in parallel
nsw_lab_setup()
{
	local roles=(phys host) n role pids=() pid rc=0

	for ((n = 1; n <= NSW_LAB_HOSTS; n++)); do
		roles+=("vesx$n" "g10_$n" "g20_$n")
	done
	# setup_ns stores the names in these
	local "${roles[@]}"
	setup_ns "${roles[@]}" || return
	for role in "${roles[@]}"; do
		NSW_LAB[$role]=${!role}
	done
	__nsw_lab_host && __nsw_lab_phys || return
	NSW_LAB_VESX_FILE=$NSW_TMP/vesx.conf
	nsw_lab_vesx_conf >"$NSW_LAB_VESX_FILE" || return
	for ((n = 1; n <= NSW_LAB_HOSTS; n++)); do
		__nsw_lab_vesx "$n" &
		pids+=($!)
	done
	for pid in "${pids[@]}"; do
		wait "$pid" || rc=1
	done
	return "$rc"
}

# nsw_ping_many NS COUNT ADDR...: COUNT pings to every ADDR at once from
# NS; prints "ADDR: N/COUNT answered" for each; fails unless all were
nsw_ping_many()
{
	local ns=$1 args; shift

	printf -v args '%q ' "$NSW_TMP/ping.$BASHPID.$RANDOM" "$@"
	NSW_TRAFFIC=$((NSW_TRAFFIC + 1))
	# shellcheck disable=SC2016 # for the ns shell
	in_ns_sh "$ns" "set -- $args"'
		out=$1 count=$2 rc=0 pids=() re="([0-9]+) received"
		shift 2
		for a; do
			ping -q -n -c "$count" -i 0.02 -w 10 "$a" >"$out.$a" 2>&1 &
			pids+=($!)
		done
		for p in "${pids[@]}"; do
			wait "$p" || rc=1
		done
		for a; do
			got=0
			[[ $(<"$out.$a") =~ $re ]] && got=${BASH_REMATCH[1]}
			echo "$a: $got/$count answered"
		done
		exit $rc'
}

# nsw_fdb_entries NS SW: SW's FDB as `nestsw -j fdb show dev SW` gives it,
# one "MAC VLAN PORT FLAG,FLAG..." line an entry (VLAN "-": every VLAN)
nsw_fdb_entries()
{
	local filter='.[] | "\(.mac) \(.vlan // "-") \(.ifname) \(.flags // [] | join(","))"'

	if [[ -z $NSW_NO_JQ ]] && command -v jq >/dev/null; then
		in_ns_sh "$1" "set -o pipefail; $(printf %q "$NSW_TOOL") -j fdb show dev $2 |
			jq -r $(printf %q "$filter")"
	else
		in_ns_sh "$1" "set -o pipefail; $(printf %q "$NSW_TOOL") -j fdb show dev $2 |
			/usr/bin/python3 -c '
import json, sys
for e in json.load(sys.stdin):
    print(e[\"mac\"], e.get(\"vlan\", \"-\"), e[\"ifname\"], \",\".join(e.get(\"flags\", [])))'"
	fi
}

##############################################################################
# Learned entries, as the learning tests look at them

# nsw_learn_stat NS PORT KEY: one learning counter of PORT (entries,
# learned, moves...), from `nestsw -j -s port show`
nsw_learn_stat()
{
	nsw_tool "$1" -j -s port show dev "$2" | /usr/bin/python3 -c '
import json, sys
print(json.load(sys.stdin)[0]["learning"][sys.argv[1]])' "$3"
}

# nsw_fdb_learned NS SW PORT MAC: MAC is a learned entry of PORT in SW's
# FDB, in VLAN 0
nsw_fdb_learned()
{
	nsw_tool "$1" fdb show dev "$2" |
		grep -qE "^$4 dev $3 vlan 0 master $2 learned( |$)"
}

# nsw_fdb_lacks NS SW MAC: SW's FDB has no entry for MAC
nsw_fdb_lacks()
{
	! nsw_tool "$1" fdb show dev "$2" | grep -q "^$3 "
}

# nsw_saw FILE REGEX: a line of FILE (a monitor's output) matches REGEX
nsw_saw()
{
	grep -qE "$2" "$1"
}

##############################################################################
# VXLAN between hosts (vxlan_sites.sh, demo/seed_lab.sh's second site): a
# host's underlay link to a WAN router, and a vxlan device as the uplink
# of its switch. The underlay's MTU is NSW_UL_MTU, 1550: VXLAN over IPv4
# costs 50 bytes, so the guests and the vxlan devices keep 1500.

NSW_UL_MTU=1550

# nsw_underlay NS ADDR GW WAN PEER [BRIDGE]: a veth "ul0" in NS with
# ADDR/24 and a default route via GW, its peer PEER in the router's
# namespace WAN: enslaved to BRIDGE there (a site's LAN), or else given
# GW/24 (a link of its own); ARP entries stay (nsw_quiet_arp)
nsw_underlay()
{
	local ns=$1 addr=$2 gw=$3 wan=$4 peer=$5 br=$6

	nsw_ip "$ns" "link add ul0 mtu $NSW_UL_MTU type veth peer name $peer mtu $NSW_UL_MTU netns $wan" \
		"link set ul0 up" "addr add $addr/24 dev ul0" \
		"route add default via $gw" && nsw_quiet_arp "$ns" ul0 || return
	if [[ -n $br ]]; then
		nsw_ip "$wan" "link set $peer master $br" "link set $peer up"
	else
		nsw_ip "$wan" "link set $peer up" "addr add $gw/24 dev $peer" &&
		nsw_quiet_arp "$wan" "$peer"
	fi
}

# nsw_wan_router WAN BRIDGE GW: WAN routes (ip_forward), with a site LAN
# BRIDGE at GW/24 for nsw_underlay's links
nsw_wan_router()
{
	nsw_ip "$1" "link add $2 type bridge" "link set $2 mtu $NSW_UL_MTU up" \
		"addr add $3/24 dev $2" &&
	in_ns_sh "$1" "echo 1 >/proc/sys/net/ipv4/ip_forward" &&
	nsw_quiet_arp "$1" "$2"
}

# nsw_vxlan_uplink NS SW VX VNI VLAN LOCAL REMOTE...: in NS, a vxlan
# device VX (VNI, from LOCAL over ul0, MTU 1500, learning on) flooding to
# each REMOTE VTEP (an all-zeros FDB entry each: head-end replication),
# enslaved to SW as an uplink in a port group VX that is an access port
# group of VLAN: one VNI per VLAN, frames cross untagged
nsw_vxlan_uplink()
{
	local ns=$1 sw=$2 vx=$3 vni=$4 vlan=$5 local=$6 r fdb=true tool

	shift 6
	for r; do
		fdb+=" && bridge fdb append 00:00:00:00:00:00 dev $vx dst $r self"
	done
	printf -v tool %q "$NSW_TOOL"
	nsw_ip "$ns" "link add $vx mtu 1500 type vxlan id $vni local $local dev ul0 dstport 4789" &&
	in_ns_sh "$ns" "$fdb" &&
	nsw_ip "$ns" "link set $vx master $sw" "link set $vx up" &&
	in_ns_sh "$ns" "$tool pg add dev $sw name $vx vlan $vlan &&
		$tool port set dev $vx role uplink pg $vx"
}

# nsw_vxlan_vtep NS VX MAC: the remote VTEP NS's vxlan device VX learned
# MAC behind (empty if none)
nsw_vxlan_vtep()
{
	in_ns "$1" bridge fdb show dev "$2" | sed -n "s/^$3 dst \([^ ]*\) .*/\1/p"
}

# nsw_snmp_ip NS FIELD: a counter of the "Ip:" lines of NS's
# /proc/net/snmp (FragCreates, ReasmReqds...)
nsw_snmp_ip()
{
	local line names=() values=() i

	while read -r line; do
		[[ $line == Ip:* ]] || continue
		if ((${#names[@]})); then
			read -r -a values <<<"$line"
			break
		fi
		read -r -a names <<<"$line"
	done <"/proc/${NSW_NSH_PID[$1]}/net/snmp"
	for ((i = 1; i < ${#names[@]}; i++)); do
		[[ ${names[i]} == "$2" ]] && { echo "${values[i]}"; return; }
	done
	return 1
}

# nsw_lab_vesx_on NS SW PG N VESX GUEST...: a nested hypervisor VESX on
# switch SW of NS (port vesxN, in port group PG), built as the seed lab's
# vesxN (nsw_lab_vesx: vsw0, guests in NSW_LAB_VLANS) with the guest
# namespaces GUEST..., one per VLAN; its vsw0 from a shared file of its
# own, vesxN.conf, and its drop-in. With NSW_LAB_TWO_NICS set, VESX has two
# vNICs, ports vesxN and vesxNb (nic0 and nic1 in VESX), bonded in VESX
# (active-backup) as vmnic0, the uplink of its vsw0: PG wants team on
nsw_lab_vesx_on()
{
	local ns=$1 sw=$2 pg=$3 n=$4 vesx=$5 v mac
	local NSW_LAB_VESX_FILE=$NSW_TMP/vesx$4.conf

	shift 5
	NSW_LAB[vesx$n]=$vesx
	for v in $NSW_LAB_VLANS; do
		NSW_LAB[g${v}_$n]=$1
		shift
	done
	mac=$(printf '02:00:00:00:00:%02x' "$n")
	if [[ -z $NSW_LAB_TWO_NICS ]]; then
		nsw_ip "$ns" "link add vesx$n type veth peer name vmnic0 address $mac netns $vesx" \
			"link set vesx$n master $sw" "link set vesx$n up" &&
		nsw_tool "$ns" port set dev "vesx$n" pg "$pg" || return
	else
		nsw_ip "$ns" "link add vesx$n type veth peer name nic0 address $mac netns $vesx" \
			"link add vesx${n}b type veth peer name nic1 address ${mac%:*}:$(printf %02x $((n + 16))) netns $vesx" \
			"link set vesx$n master $sw" "link set vesx${n}b master $sw" \
			"link set vesx$n up" "link set vesx${n}b up" &&
		nsw_ip "$vesx" "link add vmnic0 type bond mode active-backup miimon 100" \
			"link set nic0 master vmnic0" "link set nic1 master vmnic0" &&
		nsw_tool "$ns" port set dev "vesx$n" pg "$pg" &&
		nsw_tool "$ns" port set dev "vesx${n}b" pg "$pg" || return
	fi
	nsw_lab_vesx_conf >"$NSW_LAB_VESX_FILE" && __nsw_lab_vesx "$n"
}

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Drops are visible to the standard tools: every frame the switch drops
# fires the tracepoint nestsw:nestsw_drop (what perf, bpftrace and
# dropwatch-style scripts read) with the port, the reason, both MACs and
# the VLAN, and `ethtool -S sw0` has the switch's totals per reason, which
# equal the ports' counters of `nestsw -j -s port show` and outlive a
# port's release. The events are read from a tracefs instance of the
# test's own, enabled before the frames are sent, and with perf record.
#
#   netns g: eth0 (mg): forged, tagged, unknown unicast frames
#        |
#   +---vg (default PG: forged-transmits reject, untagged)--+
#   |  sw0 (nestsw), netns sw                               |
#   +---vh (default PG)-------------------------------------+
#        |
#   netns h: eth0 (mh)

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=3				# frames per case
F=02:00:00:00:0c:01		# a forged source
U=02:00:00:00:0c:02		# an unknown destination
TRACEFS=/sys/kernel/tracing

ktap_header
nsw_require ip ethtool
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 13
nsw_kmsg_mark
if [[ ! -d $TRACEFS/instances ]]; then
	mount -t tracefs nodev "$TRACEFS" 2>/dev/null ||
		ktap_skip_all "no tracefs in this kernel"
fi
declare sw g h
setup_ns sw g h || ktap_bail "cannot create namespaces"

declare mg mh inst
setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_veth_port "$sw" sw0 vg "$g" &&
	nsw_veth_port "$sw" sw0 vh "$h" &&
	mg=$(nsw_mac "$g" eth0) && mh=$(nsw_mac "$h" eth0) &&
	inst=$TRACEFS/instances/nestsw-$$ &&
	mkdir "$inst" && defer rmdir "$inst"
}
setup || ktap_bail "cannot build the topology"

check "the tracepoint nestsw:nestsw_drop exists, with its fields" \
	grep -qE 'field:char dev\[16\].*field:int ifindex.*field:char reason\[16\].*field:int vid.*field:u8 src\[6\].*field:u8 dst\[6\]' \
	<(tr '\n' ' ' <"$TRACEFS/events/nestsw/nestsw_drop/format")
enable_event()
{
	echo 1 >"$inst/events/nestsw/nestsw_drop/enable"
}
check "it is enabled in a tracing instance of this test" enable_event

# traced WANT REGEX: the instance's trace has WANT lines matching REGEX
traced()
{
	local rc

	lines_match "$inst/trace" "$1" "$2"
	rc=$?
	grep -m 1 -E "$2" "$inst/trace"
	return "$rc"
}

raw_frames "$g" eth0 "$mh" "$F" 0800 46 "$N"
check "$N forged frames: dev=vg reason=forged src=F dst=mh vlan=0" \
	traced "$N" "nestsw_drop: dev=vg ifindex=[0-9]+ reason=forged src=$F dst=$mh vlan=0$"
raw_frames "$g" eth0 "$mh" "$mg" 8100000a0800 42 "$N"
check "$N frames tagged VLAN 10 on an untagged port: reason=vlan vlan=-1" \
	traced "$N" "nestsw_drop: dev=vg ifindex=[0-9]+ reason=vlan src=$mg dst=$mh vlan=-1$"
raw_frames "$g" eth0 "$U" "$mg" 0800 46 "$N"
check "$N frames to an unknown MAC with nowhere to go: reason=no-destination" \
	traced "$N" "nestsw_drop: dev=vg ifindex=[0-9]+ reason=no-destination src=$mg dst=$U vlan=0$"

# g sends N frames to h, which are forwarded, then N forged ones, which
# perf records (if installed) and the instance sees; these last ones show
# that the instance would have seen events for the N before them.
# perf_recorded: `perf record -e nestsw:nestsw_drop -a` sees the forged
# frames sent while it records. perf enables the event before it starts
# its command, which tells us so by making a file.
perf_recorded()
{
	local data=$NSW_TMP/perf.data ready=$NSW_TMP/perf.ready
	local stop=$NSW_TMP/perf.stop out=$NSW_TMP/perf.out pid n

	rm -f "$ready" "$stop"
	# --synth=no -B -N: no walk of every process's maps and no build
	# ids, which take tens of seconds under TCG and a tracepoint needs not
	# shellcheck disable=SC2016 # expanded by the inner bash
	perf record -q --synth=no -B -N -e nestsw:nestsw_drop -a -o "$data" \
		-- /bin/bash -c \
		'touch "$1"; while [[ ! -e $2 ]]; do sleep 0.1; done' \
		perf-wait "$ready" "$stop" >"$out" 2>&1 &
	pid=$!
	# a bound for a hang only: perf starts slowly in a busy TCG VM
	if ! busywait "$NSW_TEARDOWN_MS" test -e "$ready"; then
		echo "perf record did not start: $(<"$out")"
		kill "$pid"
		raw_frames "$g" eth0 "$mh" "$F" 0800 46 "$N"
		return 1
	fi
	raw_frames "$g" eth0 "$mh" "$F" 0800 46 "$N"
	busywait "$NSW_WAIT_MS" __lines_reached "$inst/trace" $((2 * N)) \
		"reason=forged"
	touch "$stop"
	wait "$pid" || { echo "perf record failed: $(<"$out")"; return 1; }
	n=$(perf script -i "$data" 2>/dev/null | grep -cE \
		"nestsw:nestsw_drop: dev=vg ifindex=[0-9]+ reason=forged src=$F dst=$mh vlan=0$")
	echo "perf script: $n such events"
	((n == N))
}
raw_frames "$g" eth0 "$mh" "$mg" 0800 46 "$N"
if command -v perf >/dev/null; then
	check "perf record -e nestsw:nestsw_drop -a sees $N more forged frames" \
		perf_recorded
else
	ktap_skip "perf record -e nestsw:nestsw_drop" "perf is not installed"
	raw_frames "$g" eth0 "$mh" "$F" 0800 46 "$N"
fi
check "$N frames forwarded to h fire none: $((4 * N)) events in all" \
	traced $((4 * N)) "nestsw_drop: "

# ethtool_stat NAME: a counter of `ethtool -S sw0`
ethtool_stat()
{
	in_ns "$sw" ethtool -S sw0 | awk -v k="$1:" '$1 == k { print $2 }'
}
# totals_agree: ethtool -S sw0 equals the sum of the ports' counters
totals_agree()
{
	local r want got wrong=0

	nsw_drops "$sw" || return
	for r in vlan forged mac-change no-destination invalid-source mtu \
		 limit static-conflict reflection; do
		want=$(( ${NSW_DROPS[vg|$r]:-0} + ${NSW_DROPS[vh|$r]:-0} ))
		got=$(ethtool_stat "drop_${r//-/_}")
		echo "drop_${r//-/_}: $got (ports: $want)"
		[[ $got == "$want" ]] || wrong=1
	done
	((!wrong))
}
# stats_are NAME WANT...: ethtool -S sw0 shows each NAME with its WANT
stats_are()
{
	local got wrong=0

	while (($# >= 2)); do
		got=$(ethtool_stat "$1")
		echo "$1: ${got:-none} (want $2)"
		[[ $got == "$2" ]] || wrong=1
		shift 2
	done
	((!wrong))
}
check "ethtool -S sw0: drop_forged $((2 * N)), drop_vlan $N, drop_no_destination $N" \
	stats_are drop_forged $((2 * N)) drop_vlan "$N" drop_no_destination "$N"
check "ethtool -S sw0 equals the ports' counters, reason by reason" \
	totals_agree
check "vg is released (ip link del vg)" nsw_ip "$sw" "link del vg"
check "ethtool -S sw0 still counts vg's drops" \
	stats_are drop_forged $((2 * N)) drop_vlan "$N" drop_no_destination "$N"
driver_named()
{
	in_ns "$sw" ethtool -i sw0 | grep -x "driver: nestsw"
}
check "ethtool -i sw0 names the driver nestsw (its link kind)" driver_named

check_kmsg
ktap_finished

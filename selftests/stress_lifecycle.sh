#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lifecycle under load: with pktgen (broadcasts from random source MACs,
# learned up to the port's limit and aged out) and ping traffic running
# through sw0, random operations in quick succession:
# ports added, released and deleted, ports moved between port groups,
# every policy key and VLAN changed, port groups added and deleted, the
# FDB flushed, the veth peers' MAC and promiscuity changed, peers moved to
# another namespace and back, peers deleted, the switch deleted and made
# again. Each round ends by deleting the switch's namespace with
# everything live (odd rounds) or the switch itself (even rounds), then
# rmmod and insmod. The kernel must log no splat (KASAN, lockdep, RCU,
# refcount, hung task: the hung task timeout is lowered to 45 s meanwhile),
# and the VM runner's kmemleak scan after the test must find no leak.
#
# NSW_STRESS_OPS operations (default 1000; 300 on the debug kernel) in
# NSW_STRESS_ROUNDS rounds
# (default 2), all of them however long they take: the operations go 25
# at a time, as three batches run at once (`ip -batch` in netns sw, in
# netns g, and `nestsw -batch`), and only a chunk whose batches have not
# ended after NSW_STRESS_HANG seconds (300) fails the round, as no
# progress, with the kernel stacks of what was not done (on a busy
# machine the slowest part is the kernel's netdev-NAME module autoload,
# a modprobe that every lookup of an absent device name starts). A busy
# machine makes the test slower, never failed. pktgen
# sends NSW_STRESS_PPS frames a second (100 on the debug kernel, 2000 on
# the others).
#
#   t1 eth0 10.0.0.1   t2 eth0 10.0.0.2      pktgen on pkg     g (a netns
#        | ping <-> |                           |               where peers
#       vt1        vt2    vp0..vp7 (veth,      vpk              go and come
#   +----|----------|-----  peers pe0..pe7)----|----+           back)
#   |  sw0   PGs default, traffic (vt1, vt2, vpk:   |
#   |        learning on, forged-transmits accept),  |
#   |        pg0..pg3 come and go       netns sw     |
#   +------------------------------------------------+

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

ROUNDS=${NSW_STRESS_ROUNDS:-2}
# A chunk takes about 7 s on the debug kernel, 2 s on the others.
HANG=${NSW_STRESS_HANG:-300}
if [[ ${NESTSW_KVER:-} == debug ]]; then
	# About a second an operation there, two VMs side by side: 300 are
	# five minutes of CI, most of which is the debug kernel's.
	OPS=${NSW_STRESS_OPS:-300}
	# pktgen's frames a second: what the emulated debug VM absorbs.
	# Above it (500/s, the bridge in place of nestsw alike), RCU
	# callbacks are queued faster than they run: kmemleak's metadata
	# fills memory, rcu_barrier() waits for minutes.
	PPS=${NSW_STRESS_PPS:-100}
else
	OPS=${NSW_STRESS_OPS:-1000}
	PPS=${NSW_STRESS_PPS:-2000}
fi
PORTS=8		# vp0..vp7
PGS=4		# pg0..pg3
HUNG=/proc/sys/kernel/hung_task_timeout_secs

ktap_header
nsw_require ip ping modprobe
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
modprobe pktgen 2>/dev/null
[[ -d /proc/net/pktgen ]] || ktap_skip_all "no pktgen"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan $((5 * ROUNDS + 2))
nsw_kmsg_mark

if [[ -w $HUNG ]]; then
	defer eval "echo $(<"$HUNG") >$HUNG"
	echo 45 >"$HUNG"
fi

declare sw t1 t2 g

# --- the topology and its traffic -----------------------------------------

switch_lines()
{
	printf '%s\n' "link add sw0 type nestsw" "link set sw0 up" \
		"link set vt1 master sw0" "link set vt2 master sw0" \
		"link set vpk master sw0"
}

build()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_veth_port "$sw" sw0 vt1 "$t1" 10.0.0.1/24 &&
	nsw_veth_port "$sw" sw0 vt2 "$t2" 10.0.0.2/24 &&
	nsw_ip "$sw" "link add vpk type veth peer name pkg" \
		"link set vpk master sw0" "link set vpk up" "link set pkg up" &&
	nsw_tool "$sw" pg add dev sw0 name traffic learning on \
		forged-transmits accept mac-limit 32 ageing 10 &&
	nsw_tool "$sw" port set dev vt1 pg traffic &&
	nsw_tool "$sw" port set dev vt2 pg traffic &&
	nsw_tool "$sw" port set dev vpk pg traffic
}

# pktgen in netns sw: $PPS broadcasts a second from 4096 random source
# MACs out of pkg, into vpk, while "start" is being written (killing the
# writer stops it). vpk holds 32 of them (mac-limit) that, seen again
# seldom, age out after 10 s: the ageing work frees entries as it walks
# them, and new ones are learned. IPv6 frames: the namespaces have IPv6
# off, so the receivers drop them at once and the VM's time goes to the
# switch.
# shellcheck disable=SC2016 # for the ns shell
PKTGEN='
pg() { echo "$2" >"/proc/net/pktgen/$1"; }
pg kpktgend_0 rem_device_all &&
pg kpktgend_0 "add_device pkg" &&
pg pkg "count 0" && pg pkg "pkt_size 80" &&
pg pkg "delay $((1000000000 / PPS))" &&
pg pkg "dst_mac ff:ff:ff:ff:ff:ff" && pg pkg "src_mac 02:00:00:aa:00:00" &&
pg pkg "src_mac_count 4096" && pg pkg "flag MACSRC_RND" &&
pg pkg "dst6 fd00::2" && pg pkg "src6 fd00::1"'

traffic()
{
	in_ns_sh "$sw" "PPS=$PPS; $PKTGEN" &&
	in_ns_bg "$sw" bash -c 'echo start >/proc/net/pktgen/pgctrl' &&
	in_ns_bg "$t1" ping -q -i 0.05 10.0.0.2 &&
	in_ns_bg "$t2" ping -q -i 0.05 10.0.0.1
}

# flowing: pktgen's and the pings' frames go through sw0
flowing()
{
	cnt_mark "$sw"
	busywait "$NSW_TEARDOWN_MS" __cnt_reached "$sw" vpk rx_packets 50 &&
	busywait "$NSW_TEARDOWN_MS" __cnt_reached "$sw" vt2 tx_packets 10
}

# --- random operations ------------------------------------------------------

# Each operation adds a line to one of three batches: `ip` commands of
# netns sw, `ip` commands of netns g, nestsw commands (of netns sw). Every
# CHUNK operations the three run at once, each in one process, with
# -force: `ip link del` races with `nestsw port set`, a flush with the
# deletion of the switch. Most lines may fail (the port is gone, the peer
# moved away, the switch is being made again), which is what the switch
# must take.
CHUNK=25
IP_SW=()
IP_G=()
NSW=()
BATCH_PIDS=()
NOPS=0
STALLED=

rnd_mac()
{
	printf '02:%02x:%02x:%02x:%02x:%02x' $((SRANDOM % 256)) $((SRANDOM % 256)) \
		$((SRANDOM % 256)) $((SRANDOM % 256)) $((SRANDOM % 256))
}

# the peer pe$1's lines go to the batch of whichever namespace holds it
peer_line()
{
	if [[ -e ${NSW_ROOT[$g]}/sys/class/net/pe$1 ]]; then
		IP_G+=("$2")
	else
		IP_SW+=("$2")
	fi
}

POLICY_KEYS=(promiscuous:accept promiscuous:reject mac-changes:accept
	mac-changes:reject forged-transmits:accept forged-transmits:reject
	learning:on learning:off mac-limit:1 mac-limit:64 mac-limit:65536
	limit-policy:drop limit-policy:allow unknown-flood:on unknown-flood:off
	ageing:10 ageing:300)

op_policy()
{
	local kv=${POLICY_KEYS[$((SRANDOM % ${#POLICY_KEYS[@]}))]}

	if ((SRANDOM % 4 == 0)); then
		NSW+=("policy set dev sw0 ${kv%%:*} ${kv#*:}")
	else
		NSW+=("pg set dev sw0 name $(rnd_pg_any) ${kv%%:*} ${kv#*:}")
	fi
}

rnd_pg_any()
{
	case $((SRANDOM % 6)) in
	0) echo default ;;
	1) echo traffic ;;
	*) echo "pg$((SRANDOM % PGS))" ;;
	esac
}

# the readers of the configuration: dumps walk the FDB and the ports
# under RCU while the RX path and the writers change them
op_dump()
{
	case $((SRANDOM % 3)) in
	0) NSW+=("fdb show dev sw0") ;;
	1) NSW+=("show dev sw0") ;;
	2) IP_SW+=("link show master sw0") ;;
	esac
}

op()
{
	local i=$((SRANDOM % PORTS))

	case $((SRANDOM % 18)) in
	0 | 1) IP_SW+=("link add vp$i type veth peer name pe$i"
		       "link set vp$i master sw0" "link set vp$i up"
		       "link set pe$i up") ;;
	2) IP_SW+=("link set vp$i nomaster") ;;
	3) IP_SW+=("link del vp$i") ;;
	4) NSW+=("port set dev vp$i pg $(rnd_pg_any)") ;;
	5 | 6) op_policy ;;
	7) NSW+=("pg set dev sw0 name $(rnd_pg_any) vlan $(((SRANDOM % 3) * 2047))") ;;
	8) NSW+=("pg add dev sw0 name pg$((SRANDOM % PGS))") ;;
	9) NSW+=("pg del dev sw0 name pg$((SRANDOM % PGS))") ;;
	10 | 11) # now and then the whole FDB: vpk's entries must live to age out
		if ((SRANDOM % 4)); then
			NSW+=("fdb flush dev vp$i")
		else
			NSW+=("fdb flush dev sw0")
		fi ;;
	12) peer_line "$i" "link set pe$i address $(rnd_mac)" ;;
	13) peer_line "$i" "link set pe$i promisc $( ((SRANDOM % 2)) && echo on || echo off)" ;;
	14) if [[ -e ${NSW_ROOT[$g]}/sys/class/net/pe$i ]]; then
		IP_G+=("link set pe$i netns $sw")
	    else
		IP_SW+=("link set pe$i netns $g")
	    fi ;;
	15) peer_line "$i" "link del pe$i" ;;
	16) if ((SRANDOM % 8 == 0)); then	# the switch, deleted and made again
		IP_SW+=("link del sw0")
		mapfile -t -O "${#IP_SW[@]}" IP_SW < <(switch_lines)
	    else
		IP_SW+=("link set pe$i down" "link set pe$i up")
	    fi ;;
	17) op_dump ;;
	esac
	NOPS=$((NOPS + 1))
}

# start_batch FILE LINES CMD...: CMD -batch FILE in the background, FILE
# holding the array LINES, if not empty
start_batch()
{
	local file=$NSW_TMP/$1
	local -n batch=$2

	shift 2
	((${#batch[@]})) || return 0
	printf '%s\n' "${batch[@]}" >"$file"
	"$@" -batch "$file" >/dev/null 2>&1 &
	BATCH_PIDS+=($!)
}

# the state of the processes not done when a chunk stalled, on the
# console: what they wait for
__stall_report()
{
	local pid

	for pid in "$@"; do
		[[ -r /proc/$pid/stack ]] || continue
		ktap_info "not done: $(tr '\0' ' ' <"/proc/$pid/cmdline")($(cat "/proc/$pid/wchan"))"
		sed 's/^/#   /' "/proc/$pid/stack"
	done
	echo w >/proc/sysrq-trigger
}

# the three batches at once, each in one process. A watchdog kills those
# not done after HANG s and leaves $NSW_TMP/stalled: STALLED then says so.
flush_batches()
{
	local dog

	BATCH_PIDS=()
	start_batch ip_sw IP_SW ip -n "$sw" -force
	start_batch ip_g IP_G ip -n "$g" -force
	start_batch nsw NSW "$NSW_TOOL" -n "$sw" -force
	if ((${#BATCH_PIDS[@]})); then
		# (read -t: a builtin, so killing the subshell leaves no sleep)
		{
			read -r -t "$HANG" -u "$NSW_SLEEP_FD" _
			__stall_report "${BATCH_PIDS[@]}" >"$NSW_TMP/stalled" 2>&1
			kill "${BATCH_PIDS[@]}"
		} 2>/dev/null &
		dog=$!
		wait "${BATCH_PIDS[@]}"
		{ kill "$dog" && wait "$dog"; } 2>/dev/null
	fi
	if [[ -e $NSW_TMP/stalled ]]; then
		STALLED="no progress for $HANG s: the chunk ending at operation $NOPS"
		ktap_info "$STALLED"
		cat "$NSW_TMP/stalled"
		rm -f "$NSW_TMP/stalled"
	fi
	IP_SW=()
	IP_G=()
	NSW=()
}

# random_ops COUNT: COUNT operations, CHUNK at a time, unless one stalls
random_ops()
{
	local count=$1 n=0

	while ((n < count)) && [[ -z $STALLED ]]; do
		op
		n=$((n + 1))
		((n % CHUNK == 0)) && flush_batches
	done
	[[ -n $STALLED ]] || flush_batches
	# made again if it was deleted last
	ip -n "$sw" link add sw0 type nestsw >/dev/null 2>&1
	return 0
}

# --- the rounds ---------------------------------------------------------------

reload()
{
	nsw_unload "$NSW_TEARDOWN_MS" && nsw_load
}

# all_done BEFORE: the round did its share of operations, none stalled
all_done()
{
	[[ -z $STALLED ]] && ((NOPS - $1 >= per_round))
}

no_hung_task()
{
	! dmesg | tail -n +$((NSW_KMSG_LINES + 1)) | grep "blocked for more than"
}

__now
start=$NSW_NOW
per_round=$(((OPS + ROUNDS - 1) / ROUNDS))
for ((round = 1; round <= ROUNDS; round++)); do
	defer_scope_push
	setup_ns sw t1 t2 g || ktap_bail "cannot create namespaces"
	build || ktap_bail "round $round: cannot build the topology"
	traffic || ktap_bail "round $round: cannot start the traffic"
	check "round $round: pktgen's and the pings' frames flow through sw0" flowing

	before=$NOPS
	random_ops "$per_round"
	__now
	ktap_info "round $round: $((NOPS - before)) operations, $(((NSW_NOW - start) / 1000000)) s so far (not checked)"
	check "round $round: $per_round random operations under traffic, each chunk of $CHUNK ending within $HANG s" \
		all_done "$before"
	check "round $round: after them, sw0 answers" nsw_tool "$sw" show dev sw0

	# (pktgen's writer lives in netns sw and goes with it; the pings of
	# t1 and t2 go on)
	if ((round % 2)); then
		check "round $round: the namespace holding sw0 is deleted under traffic" \
			cleanup_ns "$sw"
	else
		check "round $round: sw0 is deleted under traffic" \
			in_ns "$sw" ip link del sw0
	fi
	check "round $round: rmmod nestsw, then insmod" reload
	defer_scope_pop
done
ktap_info "$NOPS random operations in all"
check "no hung task was reported" no_hung_task
check_kmsg
ktap_finished

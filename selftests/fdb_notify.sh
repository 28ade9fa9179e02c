#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `bridge monitor fdb` sees nestsw's FDB change, as it sees a bridge's:
# RTM_NEWNEIGH when a MAC is learned, moves or gets a static entry, and
# RTM_DELNEIGH when it is deleted, flushed or ages out, each naming the
# port, the VLAN and the master sw0. The messages are rate limited per
# switch (100 a second): a port released with 400 static entries sends at
# most 100 deletions in the second it goes.
#
#   netns n: eth0 (sends as A, B, C)     netns n2: eth0 (sends as A)
#        |                                    |
#   +---vn (pg nested: learning on,      ----vn2 (pg nested)----------+
#   |       forged-transmits accept, ageing 10)                       |
#   |  sw0 (nestsw), netns sw: `bridge monitor fdb` here              |
#   +---vh (default pg) ------ vx (default pg; 400 static entries) ---+
#        |                      |
#   netns h: eth0 (mh)      netns x

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

A=02:00:00:00:0d:01		# nested guests behind vn
B=02:00:00:00:0d:02
C=02:00:00:00:0d:03
S=02:00:00:00:0d:10		# a static entry
AGEING=10			# s, the least there is
BURST=100			# NESTSW_EVENT_BURST
MANY=400			# static entries of vx

ktap_header
nsw_require ip bridge
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 12
nsw_kmsg_mark
declare sw n n2 h x
setup_ns sw n n2 h x || ktap_bail "cannot create namespaces"

declare mh tx_n tx_n2 mon
setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_tool "$sw" pg add dev sw0 name nested learning on \
		forged-transmits accept ageing "$AGEING" &&
	nsw_veth_port "$sw" sw0 vn "$n" &&
	nsw_veth_port "$sw" sw0 vn2 "$n2" &&
	nsw_veth_port "$sw" sw0 vh "$h" &&
	nsw_veth_port "$sw" sw0 vx "$x" &&
	nsw_tool "$sw" port set dev vn pg nested &&
	nsw_tool "$sw" port set dev vn2 pg nested &&
	mh=$(nsw_mac "$h" eth0) &&
	frames_start tx_n "$n" eth0 &&
	frames_start tx_n2 "$n2" eth0 &&
	mon_start
}

# mon_start: `bridge monitor fdb` in netns sw, its lines in $mon, once it
# has joined RTNLGRP_NEIGH (its socket in /proc/PID/net/netlink has a group)
mon_start()
{
	mon=$NSW_TMP/bridge-monitor
	: >"$mon"
	__in_ns_bg "$sw" "exec bridge monitor fdb >$mon 2>$mon.err </dev/null" ||
		return
	busywait "$NSW_WAIT_MS" mon_joined "$NSW_BG_PID" || {
		ktap_info "bridge monitor did not join: $(<"$mon.err")"
		return 1
	}
}
mon_joined()
{
	local proto pid groups

	[[ -e /proc/$1 ]] || return 1
	while read -r _ proto pid groups _; do
		[[ $proto == 0 && $pid == "$1" && $groups =~ ^[0-9a-f]+$ ]] &&
			((16#$groups)) && return 0
	done <"/proc/$1/net/netlink"
	return 1
}
setup || ktap_bail "cannot build the topology"

# seen WANT REGEX: bridge monitor fdb printed WANT lines that are REGEX
# (whole lines, but for trailing blanks)
seen()
{
	lines_match "$mon" "$1" "^$2 *\$"
}

frames_send "$tx_n" "$A" "$mh" 7301 1
check "learning A on vn: '$A dev vn master sw0'" \
	seen 1 "$A dev vn (vlan 0 )?master sw0"
frames_send "$tx_n2" "$A" "$mh" 7302 1
check "A moving to vn2: '$A dev vn2 master sw0'" \
	seen 1 "$A dev vn2 (vlan 0 )?master sw0"
check "nestsw fdb add dev vh mac S vlan 5" \
	nsw_tool "$sw" fdb add dev vh mac "$S" vlan 5
check "the static entry: '$S dev vh vlan 5 master sw0 static'" \
	seen 1 "$S dev vh vlan 5 master sw0 static"
check "nestsw fdb del dev vh mac S vlan 5" \
	nsw_tool "$sw" fdb del dev vh mac "$S" vlan 5
check "its deletion: 'Deleted $S dev vh vlan 5 master sw0 static'" \
	seen 1 "Deleted $S dev vh vlan 5 master sw0 static"

frames_send "$tx_n" "$B" "$mh" 7303 1
flush()
{
	seen 1 "$B dev vn (vlan 0 )?master sw0" &&
	nsw_tool "$sw" fdb flush dev sw0
}
check "B learned on vn, then nestsw fdb flush dev sw0" flush
flushed()
{
	seen 1 "Deleted $A dev vn2 (vlan 0 )?master sw0" &&
	seen 1 "Deleted $B dev vn (vlan 0 )?master sw0"
}
check "the flush deletes A (on vn2) and B: two 'Deleted' lines" flushed

frames_send "$tx_n" "$C" "$mh" 7304 1
aged()
{
	busywait $(((AGEING * 6) * 1000)) __lines_reached "$mon" 1 \
		"^Deleted $C dev vn (vlan 0 )?master sw0 *\$"
	seen 1 "Deleted $C dev vn (vlan 0 )?master sw0"
}
check "C, learned on vn, ages out after ${AGEING} s: 'Deleted $C ...'" aged

# --- the rate limit ----------------------------------------------------------

# many_static: MANY static entries on vx, 02:00:00:01:XX:XX, in one batch
many_static()
{
	local i file=$NSW_TMP/static.batch

	for ((i = 0; i < MANY; i++)); do
		printf 'fdb add dev vx mac 02:00:00:01:%02x:%02x\n' \
			$((i >> 8)) $((i & 255))
	done >"$file"
	nsw_tool "$sw" -batch "$file"
}
check "vx gets $MANY static entries" many_static
nsw_sleep 1.1	# a new second for the limit
rate_limited()
{
	local n

	nsw_ip "$sw" "link del vx" || return
	busywait "$NSW_WAIT_MS" __lines_reached "$mon" 1 "^Deleted 02:00:00:01:"
	nsw_sleep 0.5
	n=$(lines_n "$mon" "^Deleted 02:00:00:01:.* dev vx master sw0 static *\$")
	echo "$n of $MANY deletions shown (at most $((2 * BURST)): two seconds)"
	((n >= 1 && n <= 2 * BURST))
}
check "releasing vx: at most $((2 * BURST)) of its $MANY deletions are sent" \
	rate_limited

check_kmsg
ktap_finished

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The switch device offers the bridge's offloads (scatter-gather, checksum,
# TSO/GSO, highdma), recomputed from its ports as they come, go and change
# theirs: a GSO type (tx-udp-segmentation) is offered while some port has
# it. The host's TCP then reaches sw0 in GSO frames larger than the MTU
# (its capture sees them), and a port that cannot take them gets them
# segmented by the core, not dropped: the stream arrives whole.
#
#   netns sw: sw0 10.0.1.1/24 (TCP sender), captures on sw0
#        |
#   +----+--- vp1 ---------- vp2 ----+
#        | veth              | veth
#   netns g1: eth0          netns g2: eth0
#   10.0.1.2 (TCP sink)     10.0.1.3

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

BYTES=$((4 << 20))		# one TCP stream
PY=/usr/bin/python3
SINK=$NSW_SELFTESTS/lib/tcp_sink.py
# a tcpdump line of an IPv4 frame of 1600 bytes or more from the host to g1
BIG_RE='length (1[6-9][0-9]{2}|[2-9][0-9]{3}|[0-9]{5,}): 10\.0\.1\.1\.[0-9]+ > 10\.0\.1\.2\.'

ktap_header
nsw_require ip tcpdump ethtool
[[ -x $PY ]] || ktap_skip_all "$PY not installed"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 12
nsw_kmsg_mark
declare sw g1 g2
setup_ns sw g1 g2 || ktap_bail "cannot create namespaces"

setup()
{
	nsw_switch_add "$sw" sw0 10.0.1.1/24 &&
	nsw_veth_port "$sw" sw0 vp1 "$g1" 10.0.1.2/24 &&
	nsw_veth_port "$sw" sw0 vp2 "$g2" 10.0.1.3/24 &&
	in_ns "$g1" ethtool -K eth0 gro off	# g1's capture sees the wire
}
setup || ktap_bail "cannot build the topology"

# features DEV WANT...: `ethtool -k DEV` in netns sw shows each
# "FEATURE: on|off" of WANT
features()
{
	local dev=$1 out want miss=(); shift

	out=$(in_ns "$sw" ethtool -k "$dev") || return
	for want in "$@"; do
		grep -qE "^[[:space:]]*${want%:*}: ${want#*: }( |$)" <<<"$out" ||
			miss+=("$want")
	done
	((${#miss[@]} == 0)) && { echo "ethtool -k $dev: $*"; return 0; }
	echo "ethtool -k $dev lacks: ${miss[*]}"
	grep -E "$(printf '%s|' "${@%%:*}")^$" <<<"$out"
	return 1
}

check "sw0 offers scatter-gather, checksum, TSO, GSO, highdma" \
	features sw0 "scatter-gather: on" "tx-checksum-ip-generic: on" \
	"tcp-segmentation-offload: on" "generic-segmentation-offload: on" \
	"highdma: on" "tx-udp-segmentation: on"

ports_udp_seg()
{
	in_ns "$sw" ethtool -K vp1 tx-udp-segmentation "$1" &&
	in_ns "$sw" ethtool -K vp2 tx-udp-segmentation "$2"
}
check "vp1 and vp2 turn tx-udp-segmentation off" ports_udp_seg off off
check "sw0 no longer offers it (no port has it); TSO stays" \
	features sw0 "tx-udp-segmentation: off" "tcp-segmentation-offload: on"
check "vp2 turns it on again" ports_udp_seg off on
check "sw0 offers it again (one port has it)" \
	features sw0 "tx-udp-segmentation: on"
check "vp2 leaves the switch" nsw_ip "$sw" "link set vp2 nomaster"
check "sw0 no longer offers it (vp1, its only port, has not)" \
	features sw0 "tx-udp-segmentation: off"

# tcp_to_g1 CAP: a TCP stream of BYTES from the host to g1, captured on
# sw0 by CAP; its sink's "BYTES SHA256" must equal the sender's
tcp_to_g1()
{
	local out=$NSW_TMP/sink.$1 sent got

	rm -f "$out"
	in_ns_bg "$g1" "$PY" "$SINK" listen 10.0.1.2 5001 "$out" || return
	busywait "$NSW_WAIT_MS" in_ns_sh "$g1" "ss -Hltn | grep -q ':5001 '" ||
		return
	sent=$(in_ns "$sw" "$PY" "$SINK" send 10.0.1.2 5001 "$BYTES") || return
	busywait "$NSW_WAIT_MS" test -s "$out" || return
	got=$(<"$out")
	echo "sent: $sent; received: $got"
	[[ $got == "$sent" ]]
}

declare cap_sw0 cap_g1
cap_start cap_sw0 "$sw" sw0 out || ktap_bail "cannot start tcpdump"
check "a 4 MiB TCP stream from the host reaches g1 whole" tcp_to_g1 a

# big_frames CAP NAME SOME: CAP saw frames over 1600 bytes (SOME 1: waits
# for one) or none (SOME 0)
big_frames()
{
	local n

	(($3 == 0)) || busywait "$NSW_WAIT_MS" __cap_reached "$1" "$BIG_RE" 1
	n=$(cap_count "$1" "$BIG_RE")
	echo "$2: $n frames over 1600 bytes"
	(($3 ? n > 0 : n == 0))
}
check "sw0 carried it in GSO frames larger than the MTU" \
	big_frames "$cap_sw0" sw0 1

check "vp1 turns TSO and GSO off: it cannot take them" \
	in_ns "$sw" ethtool -K vp1 tso off gso off
cap_start cap_g1 "$g1" eth0 in || ktap_bail "cannot start tcpdump"
stream_segmented()
{
	tcp_to_g1 b && big_frames "$cap_g1" "g1's eth0" 0
}
check "a second stream reaches g1 whole, segmented: no frame over the MTU" \
	stream_segmented

check_kmsg
ktap_finished

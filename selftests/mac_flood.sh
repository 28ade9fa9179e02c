#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A MAC flood from a guest: thousands of frames, each from a new random
# locally administered unicast source MAC, into a learning port with
# mac-limit 64 (limit-policy drop). The switch learns 64 of them and no
# more, drops the rest (counted as "limit"), and keeps switching the other
# guests' traffic: pings between g2 and g3 during the flood are all
# answered. `nestsw monitor`, listening since before the flood, gets at
# most NESTSW_EVENT_BURST (100) events a second, and the events say how
# many were left out (suppressed): every event is either received or
# counted. Then, with the default mac-limit (4096), a second flood fills
# the port up to 4096 entries, and not one more.
#
#      g1 (the flood)           g2                  g3
#   +----------------+    +------------+      +------------+
#   |   eth0         |    | eth0       |      | eth0  m3   |
#   |  random MACs   |    | 10.0.0.2   | ping | 10.0.0.3   |
#   +-------|--------+    +-----|------+      +-----|------+
#           | veth              | veth              | veth
#   +-------|-------------------|-------------------|------+
#   |      vp1                 vp2                 vp3     |
#   |  PG flood: learning on,    PG default                |
#   |    forged-transmits accept, mac-limit 64             |
#   |  sw0               nestsw -j monitor (background)    |
#   +------------------------------------------------------+
#                           netns sw
#
# The flood's frames go to g3's MAC (known unicast: the learned sources'
# frames reach g3, the others are dropped on vp1). g2 and g3 know each
# other's MAC (no ARP): g3 receives the flood's frames and the pings only.

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

LIMIT=64
FLOOD=${NSW_FLOOD:-6000}	# frames (and source MACs) of the first flood
FLOOD_S=3			# it lasts at least this long (seconds)
PINGS=50
BURST=100			# NESTSW_EVENT_BURST
DEFAULT_LIMIT=4096		# mac-limit by default
FLOOD2=$((DEFAULT_LIMIT - LIMIT + 500))	# the second flood: 500 too many

ktap_header
nsw_require ip jq ping
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 15
nsw_kmsg_mark
declare sw g1 g2 g3
setup_ns sw g1 g2 g3 || ktap_bail "cannot create namespaces"

# The flood: COUNT frames from distinct random locally administered
# unicast MACs to DST, no faster than COUNT in SECS seconds; then
# "sent COUNT SECONDS" in OUT. A full backlog (ENOBUFS) is waited out:
# every frame reaches the switch.
cat >"$NSW_TMP/flood.py" <<'EOF'
import os, socket, struct, sys, time

dev, dst, count, secs, out = sys.argv[1:6]
count, secs = int(count), float(secs)
sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
sock.bind((dev, 0))
payload = b"nestsw mac flood"
udp = struct.pack("!HHHH", 7000, 7000, 8 + len(payload), 0) + payload
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                 bytes([10, 0, 0, 200]), bytes([10, 0, 0, 77]))
s = sum(struct.unpack("!10H", ip))
s = (s >> 16) + (s & 0xFFFF)
ip = ip[:10] + struct.pack("!H", ~(s + (s >> 16)) & 0xFFFF) + ip[12:]
tail = b"\x08\x00" + ip + udp
dst = bytes.fromhex(dst.replace(":", ""))
seen = set()
start = time.monotonic()
n = 0
while n < count:
    src = bytearray(os.urandom(6))
    src[0] = (src[0] & 0xFC) | 0x02	# unicast, locally administered
    src = bytes(src)
    if src in seen:
        continue
    seen.add(src)
    while True:
        try:
            sock.send(dst + src + tail)
            break
        except OSError:		# ENOBUFS: the backlog is full
            time.sleep(0.001)
    n += 1
    if n % 100 == 0:
        ahead = start + secs * n / count - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)
with open(out + ".tmp", "w") as f:
    f.write("sent %d %.3f\n" % (n, time.monotonic() - start))
os.rename(out + ".tmp", out)
EOF

declare m3 mon tx_g1
setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_veth_port "$sw" sw0 vp1 "$g1" &&
	nsw_veth_port "$sw" sw0 vp2 "$g2" 10.0.0.2/24 &&
	nsw_veth_port "$sw" sw0 vp3 "$g3" 10.0.0.3/24 &&
	m3=$(nsw_mac "$g3" eth0) &&
	nsw_neigh "$g2" eth0 10.0.0.3 "$m3" &&
	nsw_neigh "$g3" eth0 10.0.0.2 "$(nsw_mac "$g2" eth0)" &&
	nsw_tool "$sw" pg add dev sw0 name flood learning on \
		forged-transmits accept mac-limit "$LIMIT" &&
	nsw_tool "$sw" port set dev vp1 pg flood &&
	nsw_learn_monitor_start mon "$sw"
}
setup || ktap_bail "cannot build the topology"

# flood_start COUNT SECS: start a flood from g1, in the background
FLOOD_SEQ=0
FLOOD_OUT=
flood_start()
{
	FLOOD_SEQ=$((FLOOD_SEQ + 1))
	FLOOD_OUT=$NSW_TMP/flood.$FLOOD_SEQ.out
	__in_ns_bg "$g1" "/usr/bin/python3 $NSW_TMP/flood.py eth0 $m3 $1 $2 \
		$FLOOD_OUT 2>$FLOOD_OUT.err </dev/null"
}

flood_done()
{
	[[ -e $FLOOD_OUT ]]
}

# flood_wait: until the flood is over; FLOOD_SENT and FLOOD_SECS from it
flood_wait()
{
	if ! busywait 300000 flood_done; then
		ktap_info "the flood did not end: $(cat "$FLOOD_OUT.err" 2>/dev/null)"
		return 1
	fi
	read -r _ FLOOD_SENT FLOOD_SECS <"$FLOOD_OUT"
	ktap_info "flood: $FLOOD_SENT frames in $FLOOD_SECS s"
}

# pings_during_flood: PINGS pings from g2 to g3, all answered, and the
# flood was still on when they ended
pings_during_flood()
{
	nsw_ping "$g2" 10.0.0.3 "$PINGS" || return
	if flood_done; then
		echo "the flood ended before the pings did: make it longer (NSW_FLOOD)"
		return 1
	fi
}

# learned_shown PORT N: nestsw fdb show dev PORT lists N learned entries
learned_shown()
{
	local n

	n=$(nsw_learn_fdb "$sw" "$1" | wc -l)
	echo "$n learned entries on $1"
	((n == $2))
}

# --- the flood ------------------------------------------------------------

cnt_mark "$sw" "$g3"
nsw_drops_mark "$sw"
nsw_learn_mark "$sw"
flood_start "$FLOOD" "$FLOOD_S" || ktap_bail "cannot start the flood"
check "during the flood, $PINGS pings from g2 to g3 are all answered" \
	pings_during_flood
flood_wait || ktap_bail "the flood failed"
refused=$((FLOOD_SENT - LIMIT))

check_cnt "vp1 received all $FLOOD_SENT frames of the flood" \
	"$sw" vp1 rx_packets "$FLOOD_SENT"
nsw_learn_check "vp1 learned $LIMIT sources and holds $LIMIT entries, no more" "$sw" \
	vp1 learned "+$LIMIT" vp1 entries "$LIMIT" vp1 not-learned-dropped "+$refused"
check "nestsw fdb show dev vp1 lists $LIMIT learned entries" \
	learned_shown vp1 "$LIMIT"
check_nsw_drops "the other $refused frames are counted as limit drops on vp1, nothing else" \
	"$sw" vp1 limit "$refused"
# (Counted, not captured: tcpdump's ring, starved of CPU by the flood,
# loses frames.)
check_cnt "g3 received the $LIMIT learned sources' frames and the $PINGS pings, no more" \
	"$sw" vp3 tx_packets $((LIMIT + PINGS)) "$g3" eth0 rx_packets $((LIMIT + PINGS))

# --- the monitor under the flood ------------------------------------------

# The flood makes an event a frame (learn, or limit-hit: a drop at the
# limit is not told again as a policy-drop): far more than BURST a second.
events=$(nsw_learn_events "$mon" true)
max=$((BURST * (${FLOOD_SECS%.*} + 3)))
ktap_info "the monitor got $events events for $((LIMIT + refused)) made in ${FLOOD_SECS}s"
check "the monitor got at most $BURST events a second ($events <= $max), and at least $BURST" \
	eval "((events >= BURST && events <= max))"
nsw_learn_check_event "an event reports how many were suppressed before it" \
	"$mon" 1+ '.suppressed > 0'

# Once a second has passed, a new event is sent with the count of those
# left out before it: probe with frames from new sources until one is.
PROBES=0
probe()
{
	local mac

	PROBES=$((PROBES + 1))
	printf -v mac '02:00:00:ee:%02x:%02x' $((PROBES / 256)) $((PROBES % 256))
	frames_send "$tx_g1" "$mac" "$m3" 7001 1 &&
	busywait 300 probe_seen "$mac"
}

# probe_seen MAC: the event of the probe frame from MAC was received
probe_seen()
{
	(($(nsw_learn_events "$mon" ".mac == \"$1\"") == 1))
}
frames_start tx_g1 "$g1" eth0 || ktap_bail "cannot start frames.py"
busywait 10000 probe
made=$((LIMIT + refused + PROBES))
got=$(jq -s 'length + (map(.suppressed) | add)' "$mon")
check_eq "every event was received or counted as suppressed ($PROBES probe frames)" \
	"$got" "$made"
lost=$(grep -c "events lost" "${mon%.json}.err")
check_eq "the monitor lost no event (no full receive buffer)" "$lost" 0

# --- the default mac-limit ------------------------------------------------

check "nestsw pg set dev sw0 name flood mac-limit inherit ($DEFAULT_LIMIT)" \
	nsw_tool "$sw" pg set dev sw0 name flood mac-limit inherit
nsw_drops_mark "$sw"
nsw_learn_mark "$sw"
flood_start "$FLOOD2" 0 || ktap_bail "cannot start the flood"
flood_wait || ktap_bail "the flood failed"
nsw_learn_check "a flood of $FLOOD2 more sources fills vp1 up to $DEFAULT_LIMIT entries, no more" \
	"$sw" vp1 entries "$DEFAULT_LIMIT" vp1 learned "+$((DEFAULT_LIMIT - LIMIT))" \
	vp1 not-learned-dropped "+$((FLOOD2 - DEFAULT_LIMIT + LIMIT))"
check_nsw_drops "the $((FLOOD2 - DEFAULT_LIMIT + LIMIT)) frames beyond are limit drops" \
	"$sw" vp1 limit $((FLOOD2 - DEFAULT_LIMIT + LIMIT))
check "nestsw fdb show dev vp1 lists $DEFAULT_LIMIT learned entries" \
	learned_shown vp1 "$DEFAULT_LIMIT"

check_kmsg
ktap_finished

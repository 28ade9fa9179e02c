#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A forwarded frame leaves without its receive timestamp. While any
# socket on the host asks for receive timestamps (SO_TIMESTAMP: ntpd,
# tcpdump, chrony...), every received frame carries the wall-clock time of
# its arrival in skb->tstamp; an egress qdisc that paces by departure time
# (fq) reads that field as one, and drops a frame whose time is beyond its
# horizon (10 s): wall-clock time is decades ahead of fq's clock. The
# switch clears it, as the bridge does when it forwards.
#
#   g1 eth0 10.0.0.1          g2 eth0 10.0.0.2
#        |                         |
#       vp1                       vp2, qdisc fq
#   +----|-------------------------|----+
#   |  sw0                   (netns sw) |   a process holds a UDP socket
#   +-----------------------------------+   with SO_TIMESTAMP open

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=5		# pings

ktap_header
nsw_require ip tc ping /usr/bin/python3
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
declare sw g1 g2
setup_ns sw g1 g2 || ktap_bail "cannot create namespaces"
# Without sch_fq (a kernel built without it) there is nothing to check.
nsw_ip "$sw" "link add fqprobe type dummy" || ktap_bail "cannot add a dummy"
in_ns "$sw" tc qdisc add dev fqprobe root fq >/dev/null 2>&1 ||
	ktap_skip_all "no fq qdisc in this kernel"
ktap_plan 5
nsw_kmsg_mark

# Turns receive timestamps on for the whole host until killed; says
# "ready" in FILE once its socket has the option (SO_TIMESTAMP is 29 on
# x86; Python's socket module does not name it).
PY_TSTAMP='import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, getattr(socket, "SO_TIMESTAMP", 29), 1)
open(sys.argv[1], "w").write("ready\n")
time.sleep(3600)'
TS_READY=$NSW_TMP/tstamp.ready

tstamp_ready()
{
	[[ -s $TS_READY ]]
}

setup()
{
	in_ns_bg "$g1" /usr/bin/python3 -c "$PY_TSTAMP" "$TS_READY" &&
	busywait "$NSW_WAIT_MS" tstamp_ready &&
	nsw_switch_add "$sw" sw0 &&
	nsw_veth_port "$sw" sw0 vp1 "$g1" 10.0.0.1/24 &&
	nsw_veth_port "$sw" sw0 vp2 "$g2" 10.0.0.2/24 &&
	nsw_neigh "$g1" eth0 10.0.0.2 "$(nsw_mac "$g2" eth0)" &&
	nsw_neigh "$g2" eth0 10.0.0.1 "$(nsw_mac "$g1" eth0)"
}
setup || ktap_bail "cannot build the topology"

# fq_stat NS DEV KEY: a counter of DEV's fq qdisc (packets, horizon_drops),
# wherever tc -s -j puts it in the qdisc's object
fq_stat()
{
	in_ns "$1" tc -s -j qdisc show dev "$2" | /usr/bin/python3 -c '
import json, sys
def find(o):
    if isinstance(o, dict):
        if sys.argv[1] in o:
            return o[sys.argv[1]]
        o = list(o.values())
    if isinstance(o, list):
        for v in o:
            r = find(v)
            if r is not None:
                return r
    return None
q = [q for q in json.load(sys.stdin) if q["kind"] == "fq"]
print(find(q))' "$3"
}

check "a socket holds SO_TIMESTAMP on (receive timestamps for every frame)" \
	tstamp_ready
check "vp2 gets the fq qdisc" in_ns "$sw" tc qdisc add dev vp2 root fq
sent0=$(fq_stat "$sw" vp2 packets)
horizon0=$(fq_stat "$sw" vp2 horizon_drops)
check "g1 pings g2 through sw0 ($N pings, all answered)" nsw_ping "$g1" 10.0.0.2 "$N"
sent=$(($(fq_stat "$sw" vp2 packets) - sent0))
horizon=$(($(fq_stat "$sw" vp2 horizon_drops) - horizon0))
ktap_info "fq on vp2: sent +$sent (want +$N or more), horizon_drops +$horizon"
check_eq "fq on vp2 sent the forwarded frames, none dropped beyond its horizon" \
	"$((sent >= N)) $horizon" "1 0"
check_kmsg
ktap_finished

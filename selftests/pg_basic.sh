#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Port groups and policy inheritance, through the nestsw tool. Every switch
# has the port group `default`; `nestsw pg add/set/del/show` manage the
# others; bad requests are refused with a message and change nothing. A
# policy key a port group does not set follows the switch's default
# (`nestsw policy set`), one it sets wins, and `inherit` gives it back to
# the default. A port moved to another group gets that group's policy on
# its next frame, while the other ports carry on undisturbed.
#
#    g1 10.0.0.11     g2 10.0.0.12     g3 10.0.0.13     g4 10.0.0.14
#   +-----------+    +-----------+    +-----------+    +-----------+
#   |   eth0    |    |   eth0    |    |   eth0    |    |   eth0    |
#   +-----|-----+    +-----|-----+    +-----|-----+    +-----|-----+
#         | veth           | veth           | veth           | veth
#   +-----|----------------|----------------|----------------|-----+
#   |    vp1              vp2              vp3              vp4    |
#   |  (moved to                                                   |
#   |  vesx2 later)      all in port group default                |
#   |                                                              |
#   |              sw0 10.0.0.1/24 (the host's port)               |
#   +--------------------------------------------------------------+
#                               netns sw
#
# g1 sends UDP frames to g2 from a forged source, 02:00:00:00:00:66
# (10.0.0.66), raw through a packet socket; g3 pings g4 throughout the
# move of vp1 to another group. Neighbours are static: no ARP.

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=3			# forged frames per case
FORGED=02:00:00:00:00:66
PY=/usr/bin/python3

ktap_header
nsw_require ip ping tcpdump "$PY"
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 46
nsw_kmsg_mark
declare sw g1 g2 g3 g4
setup_ns sw g1 g2 g3 g4 || ktap_bail "cannot create namespaces"

declare m2 m3 m4
setup()
{
	nsw_switch_add "$sw" sw0 10.0.0.1/24 &&
	nsw_veth_port "$sw" sw0 vp1 "$g1" 10.0.0.11/24 &&
	nsw_veth_port "$sw" sw0 vp2 "$g2" 10.0.0.12/24 &&
	nsw_veth_port "$sw" sw0 vp3 "$g3" 10.0.0.13/24 &&
	nsw_veth_port "$sw" sw0 vp4 "$g4" 10.0.0.14/24 || return
	m2=$(nsw_mac "$g2" eth0) && m3=$(nsw_mac "$g3" eth0) &&
	m4=$(nsw_mac "$g4" eth0) || return
	nsw_neigh "$g3" eth0 10.0.0.14 "$m4" &&
	nsw_neigh "$g4" eth0 10.0.0.13 "$m3"
}
setup || ktap_bail "cannot build the topology"

declare cap_g2
cap_start cap_g2 "$g2" eth0 || ktap_bail "cannot start tcpdump"

# --- helpers --------------------------------------------------------------

# nestsw in the switch's namespace
nsw()
{
	nsw_tool "$sw" "$@"
}

# pg_line PG: PG's line of `nestsw pg show dev sw0`, up to the security
# keys (the learning keys that follow them are checked with pg_key)
pg_line()
{
	local out line

	out=$(nsw pg show dev sw0) || return
	while IFS= read -r line; do
		[[ $line == "pg $1 "* ]] && echo "${line%% learning *}"
	done <<<"$out"
}

# pg_json PG: what `nestsw -j pg show dev sw0` says of PG, in one line:
# "vlan=V ports=N policy=KEY:VAL,... effective=KEY:VAL,..."
PY_PG='import json, sys
SEC = ("promiscuous", "mac-changes", "forged-transmits")
kv = lambda d: ",".join("%s:%s" % i for i in sorted(d.items()) if i[0] in SEC)
for g in json.load(sys.stdin):
    if g["name"] == sys.argv[1]:
        print("vlan=%d ports=%d policy=%s effective=%s" %
              (g["vlan"], g["ports"], kv(g["policy"]), kv(g["effective"])))'
pg_json()
{
	in_ns_sh "$sw" "$(printf '%q -j pg show dev sw0 | %q -c %q %q' \
		"$NSW_TOOL" "$PY" "$PY_PG" "$1")"
}

# pg_key PG KEY: "own=VALUE eff=VALUE" of one policy key of PG (JSON;
# own is "-" when PG inherits it)
PY_KEY='import json, sys
for g in json.load(sys.stdin):
    if g["name"] == sys.argv[1]:
        print("own=%s eff=%s" % (g["policy"].get(sys.argv[2], "-"),
                                 g["effective"][sys.argv[2]]))'
pg_key()
{
	in_ns_sh "$sw" "$(printf '%q -j pg show dev sw0 | %q -c %q %q %q' \
		"$NSW_TOOL" "$PY" "$PY_KEY" "$1" "$2")"
}

# pg_names: the names of the port groups of sw0 (JSON), space separated
PY_NAMES='import json, sys
print(" ".join(g["name"] for g in json.load(sys.stdin)))'
pg_names()
{
	in_ns_sh "$sw" "$(printf '%q -j pg show dev sw0 | %q -c %q' \
		"$NSW_TOOL" "$PY" "$PY_NAMES")"
}

# port_pg PORT: "PG ROLE" of PORT, from `nestsw -j port show dev PORT`
PY_PORT='import json, sys
p = json.load(sys.stdin)[0]
print(p["pg"], p["role"])'
port_pg()
{
	in_ns_sh "$sw" "$(printf '%q -j port show dev %q | %q -c %q' \
		"$NSW_TOOL" "$1" "$PY" "$PY_PORT")"
}

# state: the switch's port groups and ports, as the tool shows them
state()
{
	in_ns_sh "$sw" "$(printf '%q -j pg show dev sw0 && %q -j port show' \
		"$NSW_TOOL" "$NSW_TOOL")"
}

# check_refusal DESC REGEX ARGS...: `nestsw ARGS` fails with a message
# matching REGEX, and leaves the port groups and ports as $STATE had them
STATE=
check_refusal()
{
	local desc=$1 re=$2 out rc now; shift 2

	out=$(nsw "$@" 2>&1)
	rc=$?
	ktap_info "\$ nestsw $* (exit $rc): ${out:-(no message)}"
	if ((rc == 0)); then
		ktap_info "this should have been refused"
		ktap_fail "$desc"
		return 1
	fi
	if ! [[ $out =~ $re ]]; then
		ktap_info "the message should match '$re'"
		ktap_fail "$desc"
		return 1
	fi
	now=$(state)
	if [[ $now != "$STATE" ]]; then
		ktap_info "the switch changed: was" "$STATE" "is now" "$now"
		ktap_fail "$desc"
		return 1
	fi
	ktap_ok "$desc"
}

# drops: "PORT REASON N" for each drop counter of each port of sw0
PY_DROPS='import json, sys
for p in json.load(sys.stdin):
    for k, v in p.get("drops", {}).items():
        print(p["ifname"], k, v)'
declare -A DROPS
drops_read()
{
	in_ns_sh "$sw" "$(printf '%q -j -s port show | %q -c %q' \
		"$NSW_TOOL" "$PY" "$PY_DROPS")"
}

drops_mark()
{
	local out port reason n

	DROPS=()
	out=$(drops_read) || return
	while read -r port reason n; do
		DROPS[$port|$reason]=$n
	done <<<"$out"
}

# drops_delta PORT REASON: how much the counter moved since drops_mark
drops_delta()
{
	local out port reason n

	out=$(drops_read) || return
	while read -r port reason n; do
		if [[ $port == "$1" && $reason == "$2" ]]; then
			echo $((n - ${DROPS[$1|$2]:-0}))
			return 0
		fi
	done <<<"$out"
	return 1
}

__drops_reached()
{
	local d

	d=$(drops_delta "$1" "$2") && ((d >= $3))
}

# check_drops DESC PORT REASON WANT: the drop counter of PORT for REASON
# (nestsw -s port show) moved by WANT since drops_mark
check_drops()
{
	local desc=$1 port=$2 reason=$3 want=$4 d

	if ((want == 0)); then
		__settle
	else
		busywait "$NSW_WAIT_MS" __drops_reached "$port" "$reason" "$want"
	fi
	d=$(drops_delta "$port" "$reason")
	ktap_info "$port drops $reason +${d:-?} (want +$want)"
	if [[ $d == "$want" ]]; then
		ktap_ok "$desc"
		return 0
	fi
	ktap_fail "$desc"
	return 1
}

# send_forged UDPPORT: g1 sends N UDP frames to g2 from $FORGED
PY_SEND='import socket, struct, sys
dev, src, dst, sip, dip, port, n = sys.argv[1:]
mac = lambda m: bytes.fromhex(m.replace(":", ""))
data = b"nestsw"
udp = struct.pack("!HHHH", 40000, int(port), 8 + len(data), 0) + data
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                 socket.inet_aton(sip), socket.inet_aton(dip))
c = sum(struct.unpack("!10H", ip))
c = (c & 0xffff) + (c >> 16)
ip = ip[:10] + struct.pack("!H", ~(c + (c >> 16)) & 0xffff) + ip[12:]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((dev, 0))
for i in range(int(n)):
    s.send(mac(dst) + mac(src) + b"\x08\x00" + ip + udp)'
send_forged()
{
	NSW_TRAFFIC=$((NSW_TRAFFIC + 1))
	in_ns "$g1" "$PY" -c "$PY_SEND" eth0 "$FORGED" "$m2" 10.0.0.66 \
		10.0.0.12 "$1" "$N"
}

forged_re()
{
	echo "^$FORGED > $m2, .* 10\\.0\\.0\\.66\\.40000 > 10\\.0\\.0\\.12\\.$1: UDP"
}

# --- the port group default -----------------------------------------------

ALL_REJECT=forged-transmits:reject,mac-changes:reject,promiscuous:reject
check_eq "a new switch has the port group default, and only it" \
	"$(pg_names)" "default"
check_eq "pg show prints default untagged, with the 4 ports, all inherited" \
	"$(nsw pg show dev sw0)" \
	"pg default vlan untagged ports 4 promiscuous reject (inherited) mac-changes reject (inherited) forged-transmits reject (inherited) learning off (inherited) mac-limit 4096 (inherited) limit-policy drop (inherited) unknown-flood on (inherited) ageing 300 (inherited) group-fwd none (inherited)"
check_eq "pg show -j: default sets nothing, all three keys are in force as reject" \
	"$(pg_json default)" "vlan=0 ports=4 policy= effective=$ALL_REJECT"

# --- add, show, set, del ----------------------------------------------------

check "nestsw pg add dev sw0 name vesx1 vlan 10 mac-changes accept" \
	nsw pg add dev sw0 name vesx1 vlan 10 mac-changes accept
check_eq "pg show lists vesx1: vlan 10, no ports, mac-changes its own, the rest inherited" \
	"$(pg_line vesx1)" \
	"pg vesx1 vlan 10 ports 0 promiscuous reject (inherited) mac-changes accept forged-transmits reject (inherited)"
check_eq "pg show -j name vesx1: policy has mac-changes only, effective all three" \
	"$(pg_json vesx1)" \
	"vlan=10 ports=0 policy=mac-changes:accept effective=forged-transmits:reject,mac-changes:accept,promiscuous:reject"
check "nestsw pg set dev sw0 name vesx1 vlan trunk promiscuous accept" \
	nsw pg set dev sw0 name vesx1 vlan trunk promiscuous accept
check_eq "vesx1 is now a trunk (4095) with promiscuous accept, mac-changes kept" \
	"$(pg_json vesx1)" \
	"vlan=4095 ports=0 policy=mac-changes:accept,promiscuous:accept effective=forged-transmits:reject,mac-changes:accept,promiscuous:accept"
check "nestsw port set dev vp1 pg vesx1" nsw port set dev vp1 pg vesx1
check_eq "port show says vp1 is in vesx1; pg show counts it there, not in default" \
	"$(port_pg vp1); $(pg_json vesx1); $(pg_json default)" \
	"vesx1 guest; vlan=4095 ports=1 policy=mac-changes:accept,promiscuous:accept effective=forged-transmits:reject,mac-changes:accept,promiscuous:accept; vlan=0 ports=3 policy= effective=$ALL_REJECT"

# --- refusals ---------------------------------------------------------------

STATE=$(state)
check_refusal "a second port group vesx1 is refused (it exists), its vlan unchanged" \
	"nestsw: .*exists" pg add dev sw0 name vesx1 vlan 30
check_refusal "deleting the port group default is refused" \
	"nestsw: .*default.*cannot be deleted" pg del dev sw0 name default
check_refusal "deleting vesx1 while vp1 is in it is refused, the message names vp1" \
	"nestsw: .*vp1([^0-9]|$)" pg del dev sw0 name vesx1
check_refusal "moving vp2 to an unknown port group NOPE is refused, its role unchanged too" \
	"nestsw: .*no such port group" port set dev vp2 pg NOPE role uplink
check_refusal "a 16-character port group name is refused" \
	"Invalid name .*1 to 15 letters" pg add dev sw0 name abcdefghijklmnop
check_refusal "vlan 4096 is refused" \
	"Invalid vlan \"4096\"" pg set dev sw0 name vesx1 vlan 4096
check_refusal "an unknown keyword is refused, and the vlan before it not applied" \
	"Unknown keyword \"colour\"" pg set dev sw0 name vesx1 vlan 20 colour blue
check_refusal "promiscuous maybe is refused, and the vlan before it not applied" \
	"Invalid promiscuous \"maybe\"" pg set dev sw0 name vesx1 vlan 20 promiscuous maybe

check "nestsw port set dev vp1 pg default" nsw port set dev vp1 pg default
check "nestsw pg del dev sw0 name vesx1, now empty" nsw pg del dev sw0 name vesx1
check_eq "pg show lists default alone again, with its 4 ports" \
	"$(pg_names) $(pg_json default)" \
	"default vlan=0 ports=4 policy= effective=$ALL_REJECT"
check_fails "pg show dev sw0 name vesx1 fails: vesx1 is gone" \
	nsw pg show dev sw0 name vesx1

# --- inheritance ------------------------------------------------------------

check "nestsw pg add dev sw0 name vesx2 (sets nothing)" \
	nsw pg add dev sw0 name vesx2
check "nestsw policy set dev sw0 forged-transmits accept" \
	nsw policy set dev sw0 forged-transmits accept
check_eq "vesx2 follows the default: forged-transmits accept (inherited)" \
	"$(pg_line vesx2)|$(pg_json vesx2)" \
	"pg vesx2 vlan untagged ports 0 promiscuous reject (inherited) mac-changes reject (inherited) forged-transmits accept (inherited)|vlan=0 ports=0 policy= effective=forged-transmits:accept,mac-changes:reject,promiscuous:reject"
check_eq "vesx2 sets forged-transmits reject: it wins over the default's accept" \
	"$(nsw pg set dev sw0 name vesx2 forged-transmits reject 2>&1; pg_line vesx2)|$(pg_json vesx2)" \
	"pg vesx2 vlan untagged ports 0 promiscuous reject (inherited) mac-changes reject (inherited) forged-transmits reject|vlan=0 ports=0 policy=forged-transmits:reject effective=forged-transmits:reject,mac-changes:reject,promiscuous:reject"
check_eq "forged-transmits inherit: vesx2 follows the default's accept again" \
	"$(nsw pg set dev sw0 name vesx2 forged-transmits inherit 2>&1; pg_json vesx2)" \
	"vlan=0 ports=0 policy= effective=forged-transmits:accept,mac-changes:reject,promiscuous:reject"
check_eq "the default back to reject: vesx2 follows it, forged-transmits reject (inherited)" \
	"$(nsw policy set dev sw0 forged-transmits reject 2>&1; pg_line vesx2)" \
	"pg vesx2 vlan untagged ports 0 promiscuous reject (inherited) mac-changes reject (inherited) forged-transmits reject (inherited)"

# the learning keys inherit the same way
check_eq "the default's mac-limit 100: vesx2 follows it" \
	"$(nsw policy set dev sw0 mac-limit 100 2>&1; pg_key vesx2 mac-limit)" \
	"own=- eff=100"
check_eq "vesx2 sets mac-limit 10 and learning on: its own win" \
	"$(nsw pg set dev sw0 name vesx2 mac-limit 10 learning on 2>&1; pg_key vesx2 mac-limit; pg_key vesx2 learning)" \
	"own=10 eff=10
own=True eff=True"
check_eq "mac-limit inherit: vesx2 follows the default's 100 again, keeps learning on" \
	"$(nsw pg set dev sw0 name vesx2 mac-limit inherit 2>&1; pg_key vesx2 mac-limit; pg_key vesx2 learning)" \
	"own=- eff=100
own=True eff=True"
check "vesx2 back to learning inherit (off)" \
	nsw pg set dev sw0 name vesx2 learning inherit

# --- the policy in force follows the port ---------------------------------

check "nestsw pg set dev sw0 name vesx2 forged-transmits accept" \
	nsw pg set dev sw0 name vesx2 forged-transmits accept

drops_mark
send_forged 5001
check_seen "in default (forged-transmits reject), g1's forged frames do not reach g2" \
	0 "$cap_g2" "$(forged_re 5001)"
check_drops "vp1 counts them as forged drops" vp1 forged "$N"

# g3 pings g4 all along the move of vp1
ping_out=$NSW_TMP/ping.out
ping_pid=$(in_ns_sh "$g3" "ping -n -c 150 -i 0.02 -W 2 10.0.0.14 \
	>$ping_out 2>&1 </dev/null & echo \$!")
[[ $ping_pid =~ ^[0-9]+$ ]] && defer nsw_kill "$ping_pid"
ping_replies()
{
	cap_count "${ping_out%.out}" "bytes from 10\\.0\\.0\\.14"
}
__replies_reached()
{
	(($(ping_replies) >= $1))
}
busywait "$NSW_WAIT_MS" __replies_reached 5
check "nestsw port set dev vp1 pg vesx2, while g3 pings g4" \
	nsw port set dev vp1 pg vesx2
moved_at=$(ping_replies)
ktap_info "g3 had $moved_at replies from g4 when vp1 moved"

check_eq "port show says vp1 is in vesx2; pg show counts 1 port in vesx2, 3 in default" \
	"$(port_pg vp1) $(pg_json vesx2 | cut -d' ' -f2) $(pg_json default | cut -d' ' -f2)" \
	"vesx2 guest ports=1 ports=3"

drops_mark
send_forged 5002
check_seen "in vesx2 (forged-transmits accept), g1's forged frames reach g2" \
	"$N" "$cap_g2" "$(forged_re 5002)"
check_drops "vp1 counts no forged drop" vp1 forged 0

ping_done()
{
	busywait 30000 __pid_gone "$ping_pid" || return
	cat "$ping_out"
	((moved_at < 150)) || { echo "ping ended before vp1 moved"; return 1; }
	grep -q "150 packets transmitted, 150 received" "$ping_out"
}
check "g3's 150 pings to g4 across the move were all answered" ping_done

check "nestsw pg set dev sw0 name vesx2 forged-transmits inherit" \
	nsw pg set dev sw0 name vesx2 forged-transmits inherit
drops_mark
send_forged 5003
check_seen "vesx2 inherits the default's reject: g1's forged frames do not reach g2" \
	0 "$cap_g2" "$(forged_re 5003)"
check_drops "vp1 counts them as forged drops again" vp1 forged "$N"

check "nestsw policy set dev sw0 forged-transmits accept" \
	nsw policy set dev sw0 forged-transmits accept
send_forged 5004
check_seen "vesx2 follows the default to accept: g1's forged frames reach g2" \
	"$N" "$cap_g2" "$(forged_re 5004)"

check_kmsg
ktap_finished

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The nestsw tool's output and errors, as a script sees them. Every -j and
# -j -p output (show, policy show, pg show, port show, stats, with and
# without -s) is valid JSON with the members nestsw(8) documents, the same
# values as the text output and as the kernel state (sysfs, what was
# configured); -p is the same JSON indented. Help exits 0 for every
# command. A bad command line or a request the kernel refuses exits 1 or 2
# (as nestsw(8) says) with a message on stderr and nothing on stdout, and
# changes nothing. -n NETNS works as ip -n does.
#
#                          netns sw
#   +---------------------------------------------------------+
#   |  sw0 (nestsw): forged-transmits accept                  |
#   |    PG lab: vlan 10, mac-changes accept                   |
#   |    vp1 (veth, peer vp1g here): guest in lab             |
#   |    dm1 (dummy): uplink in default, MACs set by the admin |
#   +---------------------------------------------------------+
#   the test's own netns: no switch

# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

PY=/usr/bin/python3
DM1_MAC=02:00:00:00:0d:01

ktap_header
nsw_require ip "$PY"
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 44
nsw_kmsg_mark
declare sw
setup_ns sw || ktap_bail "cannot create namespaces"

setup()
{
	nsw_ip "$sw" "link add sw0 type nestsw" \
		"link add vp1 type veth peer name vp1g" "link add dm1 type dummy" \
		"link set vp1 master sw0" "link set dm1 master sw0" \
		"link set sw0 up" "link set vp1 up" "link set vp1g up" &&
	nsw_tool "$sw" policy set dev sw0 forged-transmits accept &&
	nsw_tool "$sw" pg add dev sw0 name lab vlan 10 mac-changes accept &&
	nsw_tool "$sw" port set dev vp1 pg lab &&
	nsw_tool "$sw" port set dev dm1 role uplink initial-mac "$DM1_MAC"
}
setup || ktap_bail "cannot build the topology"

sysfs()
{
	local root v

	root=$(ns_root "$sw")
	read -r v <"$root/sys/class/net/$1/$2" && echo "$v"
}
# shellcheck disable=SC2317 # called through busywait
__vlan_drops_seen()
{
	local out

	out=$(nsw_tool "$sw" -j -s port show dev vp1) && [[ $out == *'"vlan":3'* ]]
}

SW=$(sysfs sw0 ifindex)
VP1=$(sysfs vp1 ifindex)
DM1=$(sysfs dm1 ifindex)
GUEST_MAC=$(sysfs vp1g address)

# tool3 ARGS...: the text, -j and -j -p outputs of nestsw ARGS, in one
# ns shell call, separated by lines "--8<--"
tool3()
{
	local q

	printf -v q '%q ' "$@"
	in_ns_sh "$sw" "
		$NSW_TOOL $q && echo --8\<-- &&
		$NSW_TOOL -j $q && echo --8\<-- &&
		$NSW_TOOL -j -p $q"
}

# check_out DESC PYCODE ARGS...: run nestsw ARGS three ways; PYCODE sees
# txt (the text output), j (the -j output, parsed) and may assert; the
# -j and -j -p outputs must both parse and be equal, -p indented
check_out()
{
	local desc=$1 code=$2 out; shift 2

	if ! out=$(tool3 "$@"); then
		ktap_info "nestsw $* failed:" "$out"
		ktap_fail "$desc"
		return 1
	fi
	# shellcheck disable=SC2016 # Python
	if out=$("$PY" -c '
import json, sys
txt, compact, pretty = sys.argv[2].split("--8<--\n")
j = json.loads(compact)
assert json.loads(pretty) == j, "-p differs from -j"
assert "\n " in pretty, "-p is not indented"
assert isinstance(j, list), "not an array"
SW, VP1, DM1 = (int(x) for x in sys.argv[3:6])
GUEST_MAC, DM1_MAC = sys.argv[6:8]
exec(sys.argv[1])
' "$code" "$out" "$SW" "$VP1" "$DM1" "$GUEST_MAC" "$DM1_MAC" 2>&1); then
		ktap_ok "$desc"
		return 0
	fi
	ktap_info "nestsw $*:" "${out##*$'\n'}"
	ktap_fail "$desc"
	return 1
}

# Three tagged frames (VLAN 5) from vp1's guest: lab is an access port
# group, so vp1 counts 3 vlan drops.
# shellcheck disable=SC2016 # Python
in_ns "$sw" "$PY" -c '
import socket
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("vp1g", 0))
src = bytes.fromhex(open("/sys/class/net/vp1g/address").read().strip().replace(":", ""))
for i in range(3):
    s.send(b"\xff" * 6 + src + b"\x81\x00\x00\x05\x88\xb5" + bytes(46))
' || ktap_bail "cannot send tagged frames"
busywait "$NSW_WAIT_MS" __vlan_drops_seen

# --- JSON output, text output ------------------------------------------

POLICY='
want = {"promiscuous": "reject", "mac-changes": "reject", "forged-transmits": "accept",
        "learning": False, "mac-limit": 4096, "limit-policy": "drop",
        "unknown-flood": True, "ageing": 300, "group-fwd": []}
def word(v):
    if isinstance(v, list):
        return ",".join(v) or "none"
    return {True: "on", False: "off"}.get(v, str(v)) if not isinstance(v, str) else v
want_txt = " ".join("%s %s" % (k, word(v)) for k, v in want.items())'
check_out "policy show: JSON ifindex, ifname, policy; the text line agrees" "$POLICY"'
assert j == [{"ifindex": SW, "ifname": "sw0", "policy": want}], j
assert txt.strip() == "sw0 " + want_txt, txt' \
	policy show dev sw0

LAB="$POLICY"'
lab = {"name": "lab", "switch": "sw0", "vlan": 10, "ports": 1, "team": False,
       "active-uplinks": [], "standby-uplinks": [],
       "policy": {"mac-changes": "accept"},
       "effective": dict(want, **{"mac-changes": "accept"})}
lab_txt = "pg lab vlan 10 ports 1 " + " ".join(
    "%s %s%s" % (k, word(v), "" if k == "mac-changes" else " (inherited)")
    for k, v in lab["effective"].items())'
check_out "pg show: lab (vlan 10, 1 port, mac-changes set) and default (untagged); text agrees" "$LAB"'
pgs = {g["name"]: g for g in j}
assert pgs["lab"] == lab, pgs
d = pgs["default"]
assert (d["vlan"], d["ports"], d["policy"]) == (0, 1, {}), d
assert d["effective"]["forged-transmits"] == "accept", d
lines = txt.splitlines()
assert len(j) == 2 and len(lines) == 2, txt
assert lab_txt in lines, txt
assert any(l.startswith("pg default vlan untagged ports 1 ") for l in lines), txt' \
	pg show dev sw0
check_out "pg show name lab: lab alone" "$LAB"'
assert j == [lab], j
assert txt.strip() == lab_txt, txt' \
	pg show dev sw0 name lab

PORTS='
vp1 = {"ifindex": VP1, "ifname": "vp1", "switch": "sw0", "pg": "lab",
       "role": "guest", "initial-mac": GUEST_MAC, "effective-mac": GUEST_MAC,
       "guest-promiscuous": False, "follows-peer": True}
vp1_txt = ("vp1 switch sw0 pg lab role guest initial-mac %s effective-mac %s "
           "guest-promiscuous off follows veth peer" % (GUEST_MAC, GUEST_MAC))
drops = {"vlan": 3, "forged": 0, "mac-change": 0, "no-destination": 0,
         "invalid-source": 0, "mtu": 0, "limit": 0, "static-conflict": 0,
         "reflection": 0}
zero = dict.fromkeys(drops, 0)
drops_txt = "drops: vlan 3 forged 0 mac-change 0 no-destination 0 invalid-source 0 mtu 0 limit 0 static-conflict 0 reflection 0"
learn0 = dict.fromkeys(["entries", "learned", "moves", "not-learned-allowed",
                        "not-learned-dropped"], 0)
learn_txt = "learning: " + " ".join("%s 0" % k for k in learn0)'
check_out "port show: vp1 (guest in lab, its guest's MACs, follows the peer) and dm1 (uplink)" "$PORTS"'
ports = {p["ifname"]: p for p in j}
assert ports["vp1"] == vp1, ports
d = ports["dm1"]
assert (d["ifindex"], d["pg"], d["role"], d["follows-peer"]) == (DM1, "default", "uplink", False), d
assert d["initial-mac"] == DM1_MAC and "effective-mac" not in d, d
lines = txt.splitlines()
assert vp1_txt in lines, txt
assert any(l.startswith("dm1 switch sw0 pg default role uplink") for l in lines), txt' \
	port show
check_out "port show -s dev vp1: its 3 vlan drops, in JSON and in the text's second line" "$PORTS"'
assert j == [dict(vp1, drops=drops, learning=learn0)], j
lines = txt.splitlines()
assert lines[0] == vp1_txt and drops_txt in lines[1] and learn_txt in lines[2], txt' \
	-s port show dev vp1
STATS="$PORTS"'
def stat(p, d):
    return {"ifindex": p, "ifname": {VP1: "vp1", DM1: "dm1"}[p], "switch": "sw0",
            "drops": d, "learning": learn0}
def stat_txt(name, d):
    return "%s switch sw0 drops: %s %s" % (name, " ".join("%s %d" % kv for kv in d.items()), learn_txt)'
check_out "stats: every port's drop counters (vp1: 3 vlan), JSON and text" "$STATS"'
assert sorted(j, key=lambda s: s["ifindex"]) == sorted([stat(VP1, drops), stat(DM1, zero)], key=lambda s: s["ifindex"]), j
assert sorted(txt.splitlines()) == sorted([stat_txt("vp1", drops), stat_txt("dm1", zero)]), txt' \
	stats
check_out "stats dev sw0: the same two ports" "$STATS"'
assert sorted(p["ifname"] for p in j) == ["dm1", "vp1"], j' \
	stats dev sw0
check_out "stats dev vp1: vp1 alone" "$STATS"'
assert j == [stat(VP1, drops)], j
assert txt.strip() == stat_txt("vp1", drops), txt' \
	stats dev vp1
SHOW="$PORTS$LAB"'
assert len(j) == 1, j
s = j[0]
assert (s["ifindex"], s["ifname"]) == (SW, "sw0"), s
assert s["policy"] == want, s
pgs = {g["name"]: g for g in s["port-groups"]}
assert set(pgs) == {"default", "lab"}, pgs
assert all("switch" not in g for g in pgs.values()), pgs
assert pgs["lab"] == {k: v for k, v in lab.items() if k != "switch"}, pgs
ports = {p["ifname"]: p for p in s["ports"]}
assert set(ports) == {"vp1", "dm1"} and all("switch" not in p for p in ports.values()), ports
lines = txt.splitlines()
assert lines[0] == "switch sw0 " + want_txt, txt
assert "    " + lab_txt in lines, txt
assert any(l.startswith("    port vp1 pg lab role guest initial-mac " + GUEST_MAC) for l in lines), txt'
check_out "show: sw0 with its policy, port-groups and ports (no switch member), JSON and text" "$SHOW"'
assert ports["vp1"] == {k: v for k, v in vp1.items() if k != "switch"}, ports
assert not any("drops" in l for l in lines), txt' \
	show
check_out "show -s: each port has its drop counters" "$SHOW"'
assert ports["vp1"]["drops"] == drops and ports["dm1"]["drops"] == zero, ports
assert ports["vp1"]["learning"] == learn0, ports
assert any(drops_txt in l for l in lines), txt' \
	-s show dev sw0

# --- help ----------------------------------------------------------------

COMMANDS=(show policy pg port fdb stats monitor showconf setconf syncconf)
help_out=$(in_ns_sh "$sw" "
	$NSW_TOOL help >/dev/null 2>&1; echo \"help \$?\"
	for c in ${COMMANDS[*]}; do
		$NSW_TOOL \$c help >/dev/null 2>&1; a=\$?
		$NSW_TOOL help \$c >/dev/null 2>&1; echo \"\$c \$a \$?\"
	done" 2>&1)
help_txt=$(in_ns_sh "$sw" "$NSW_TOOL help 2>&1")
missing=
for c in "${COMMANDS[@]}"; do
	[[ $help_txt == *"$c"* ]] || missing+=" $c"
done
check_eq "nestsw help exits 0 and names every command" \
	"$(grep '^help ' <<<"$help_out")${missing:+ missing:$missing}" "help 0"
for c in "${COMMANDS[@]}"; do
	check_eq "nestsw $c help and nestsw help $c exit 0" \
		"$(grep "^$c " <<<"$help_out")" "$c 0 0"
done

# --- bad input -------------------------------------------------------------

# exit code ; what stderr must name ; arguments
BAD=(
	"1;frobnicate;frobnicate"
	"1;colour;pg add dev sw0 name x colour red"
	"1;02:00:00:00:0d;port set dev dm1 initial-mac 02:00:00:00:0d"
	"1;01:00:5e:00:00:01;port set dev dm1 initial-mac 01:00:5e:00:00:01"
	"1;4096;pg add dev sw0 name x vlan 4096"
	"1;4096;pg set dev sw0 name lab vlan 4096"
	"1;maybe;policy set dev sw0 promiscuous maybe"
	"1;superuplink;port set dev dm1 role superuplink"
	"1;vlan;pg add dev sw0 name x vlan 10 vlan 20"
	"1;abcdefghijklmnop;pg add dev sw0 name abcdefghijklmnop"
	"1;nosuch0;port show dev nosuch0"
	"1;nosuch0;pg show dev nosuch0"
	"1;nosuchns;-n nosuchns show"
	"2;switch;pg add dev vp1 name x"
	"2;no such port group;pg show dev sw0 name nosuch"
	"2;no such port group;port set dev dm1 role guest pg nosuch"
	"2;exists;pg add dev sw0 name lab"
	"2;default;pg del dev sw0 name default"
	"2;peer;port set dev vp1 effective-mac 02:00:00:00:0e:01"
)

state_before=$(nsw_tool "$sw" -j -s show)
script=
for b in "${BAD[@]}"; do
	script+="$NSW_TOOL ${b#*;*;} >\$T/o 2>\$T/e; rc=\$?
		printf '%s;%s;%s\\n' \"\$rc\" \"\$(wc -c <\$T/o)\" \"\$(tr '\\n' ' ' <\$T/e)\"
		"
done
bad_out=$(in_ns_sh "$sw" "T=\$(mktemp -d); $script rm -rf \$T")
i=0
while IFS=';' read -r rc nout err; do
	b=${BAD[i]}
	i=$((i + 1))
	want_rc=${b%%;*}
	what=${b#*;}
	what=${what%%;*}
	args=${b#*;*;}
	desc="nestsw $args: exit $want_rc, a message naming '$what'"
	if [[ "|$want_rc|" == *"|$rc|"* && $nout == 0 && ${err,,} == *"${what,,}"* ]]; then
		ktap_info "$err"
		ktap_ok "$desc"
	else
		ktap_info "exit $rc, $nout bytes on stdout, stderr: ${err:-(nothing)}"
		ktap_fail "$desc"
	fi
done <<<"$bad_out"
((i == ${#BAD[@]})) || ktap_info "only $i of ${#BAD[@]} bad command lines ran"
check_eq "after the bad command lines, the switch, its port groups and ports are as they were" \
	"$(nsw_tool "$sw" -j -s show)" "$state_before"

# --- -n NETNS --------------------------------------------------------------

check_eq "nestsw -n NETNS -j -s show, from another netns, shows what it shows inside" \
	"$(nsw_tool "" -n "$sw" -j -s show)" "$state_before"
check_eq "without -n, the test's own netns has no switch: -j show is []" \
	"$(nsw_tool "" -j show)" "[]"

check_kmsg
ktap_finished

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Static FDB entries: "nestsw fdb add dev PORT mac MAC [vlan VID]" sends
# frames to MAC to PORT and, under forged-transmits reject (the default),
# lets PORT send with MAC as source: one extra MAC without opening the
# port. Entries are listed with their flags by "nestsw fdb show" and
# "bridge fdb show"; a MAC the FDB holds already (another port's static or
# guest MAC, the switch's own, in that VLAN or in every VLAN) is refused,
# and only the admin's own entries can be deleted. A port that leaves the
# switch takes its entries along.
#
# g1 and g2 send raw Ethernet frames (ethertype 0x88b5) with the source
# MAC the check needs; every guest captures what its eth0 receives.
#
#    g1               g2               g3
#   +--------+       +--------+       +--------+
#   |  eth0  |       |  eth0  |       |  eth0  |
#   +---|----+       +---|----+       +---|----+
#       | veth           | veth           | veth
#   +---|----------------|----------------|----+
#   |  vp1              vp2              vp3   |
#   |   sw0 (all ports guests in "default":    |
#   |        forged-transmits reject)          |
#   +------------------------------------------+
#                    netns sw
#
# EXTRA (02:00:00:00:aa:01) becomes a static entry of vp1, OTHER
# (02:00:00:00:aa:02) is nobody's, VLAN10 (02:00:00:00:aa:10) is vp1's in
# VLAN 10 only (the ports are untagged: VLAN 0).

# shellcheck disable=SC2317 # helpers called through check
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=3	# frames per case
EXTRA=02:00:00:00:aa:01
OTHER=02:00:00:00:aa:02
VLAN10=02:00:00:00:aa:10

ktap_header
nsw_require ip tcpdump /usr/bin/python3
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 28
nsw_kmsg_mark
declare sw g1 g2 g3
setup_ns sw g1 g2 g3 || ktap_bail "cannot create namespaces"

setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_veth_port "$sw" sw0 vp1 "$g1" &&
	nsw_veth_port "$sw" sw0 vp2 "$g2" &&
	nsw_veth_port "$sw" sw0 vp3 "$g3"
}
setup || ktap_bail "cannot build the topology"
G1=$(nsw_mac "$g1" eth0)
G2=$(nsw_mac "$g2" eth0)
SW0=$(nsw_mac "$sw" sw0)

declare cap_g1 cap_g2 cap_g3
if ! { cap_start cap_g1 "$g1" eth0 && cap_start cap_g2 "$g2" eth0 &&
       cap_start cap_g3 "$g3" eth0; }; then
	ktap_bail "cannot start tcpdump"
fi

# send_raw NS SRC DST COUNT: COUNT frames from SRC to DST out of NS's eth0
send_raw()
{
	NSW_TRAFFIC=$((NSW_TRAFFIC + 1))
	in_ns "$1" /usr/bin/python3 -c '
import socket, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
mac = lambda m: bytes.fromhex(m.replace(":", ""))
frame = mac(dst) + mac(src) + b"\x88\xb5" + b"nestsw fdb_static".ljust(46, b".")
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
for _ in range(n):
    s.send(frame)
' "$2" "$3" "$4"
}

# frames from SRC to DST, as tcpdump -e prints them
from_to()
{
	echo "^$1 > $2, ethertype Unknown \\(0x88b5\\)"
}

# drops SWNS PORT REASON: PORT's drop counter REASON, from the tool's JSON
drops()
{
	nsw_tool "$1" -j -s port show dev "$2" | /usr/bin/python3 -c '
import json, sys
print(json.load(sys.stdin)[0]["drops"][sys.argv[1]])' "$3"
}

# check_drops DESC SWNS PORT REASON BEFORE WANT: the counter moved by WANT
check_drops()
{
	local now

	__settle
	now=$(drops "$2" "$3" "$4")
	check_eq "$1" "$((now - $5))" "$6"
}

# fdb_has NS DEV REGEX: a line of "nestsw fdb show dev DEV" matches
fdb_has()
{
	nsw_tool "$1" fdb show dev "$2" | grep -qE "$3"
}

fdb_lacks()
{
	! fdb_has "$@"
}

# fdb_json_ok NS: "nestsw -j fdb show" parses and lists EXTRA as vp1's
fdb_json_ok()
{
	nsw_tool "$1" -j fdb show | /usr/bin/python3 -c '
import json, sys
e = [x for x in json.load(sys.stdin) if x["mac"] == sys.argv[1]]
assert len(e) == 1 and e[0]["ifname"] == "vp1" and e[0]["flags"] == ["static"], e
assert "vlan" not in e[0], e' "$EXTRA"
}

# refused DESC NS CMD...: the tool fails with a message naming nestsw's
# reason, and the FDB is as before
refused()
{
	local desc=$1 ns=$2 before after err; shift 2

	before=$(nsw_tool "$ns" fdb show | sort)
	if err=$(nsw_tool "$ns" "$@" 2>&1); then
		ktap_info "nestsw $*: succeeded, should have been refused"
		ktap_fail "$desc"
		return 1
	fi
	ktap_info "nestsw $*: $err"
	after=$(nsw_tool "$ns" fdb show | sort)
	if [[ $before != "$after" ]]; then
		ktap_info "the FDB changed:" "$after"
		ktap_fail "$desc"
		return 1
	fi
	ktap_ok "$desc"
}

# --- what a new switch holds ----------------------------------------------

check "fdb show lists sw0's own MAC as local" \
	fdb_has "$sw" sw0 "^$SW0 dev sw0 master sw0 local$"
check "fdb show lists g1's MAC as vp1's guest entry, for every VLAN" \
	fdb_has "$sw" vp1 "^$G1 dev vp1 master sw0 guest$"

# --- forged-transmits reject without an entry -----------------------------

before=$(drops "$sw" vp1 forged)
send_raw "$g1" "$OTHER" "$G2" "$N"
check_seen "g1's frames with a source that is not its MAC do not reach g2" \
	0 "$cap_g2" "$(from_to "$OTHER" "$G2")"
check_drops "vp1 counts them as forged (+$N)" "$sw" vp1 forged "$before" "$N"

# --- a static entry lets one extra source through -------------------------

check "nestsw fdb add dev vp1 mac $EXTRA" \
	nsw_tool "$sw" fdb add dev vp1 mac "$EXTRA"
check "fdb show lists it as vp1's static entry, for every VLAN" \
	fdb_has "$sw" vp1 "^$EXTRA dev vp1 master sw0 static$"
check "bridge fdb show lists it on vp1" \
	in_ns_sh "$sw" "bridge fdb show | grep -q '^$EXTRA dev vp1 master sw0 static'"
check "nestsw -j fdb show parses and says the same" fdb_json_ok "$sw"

before=$(drops "$sw" vp1 forged)
send_raw "$g1" "$EXTRA" "$G2" "$N"
check_seen "g1's frames from $EXTRA now reach g2, $N of them" \
	"$N" "$cap_g2" "$(from_to "$EXTRA" "$G2")"
send_raw "$g1" "$OTHER" "$G2" "$N"
check_seen "frames from $OTHER still do not" 0 "$cap_g2" "$(from_to "$OTHER" "$G2")"
check_drops "only those count as forged (+$N)" "$sw" vp1 forged "$before" "$N"

send_raw "$g2" "$G2" "$EXTRA" "$N"
check_seen "frames to $EXTRA go to vp1 and to no other port" \
	"$N" "$cap_g1" "$(from_to "$G2" "$EXTRA")" \
	0 "$cap_g3" "$(from_to "$G2" "$EXTRA")"

# --- an entry for one VLAN ------------------------------------------------

check "nestsw fdb add dev vp1 mac $VLAN10 vlan 10" \
	nsw_tool "$sw" fdb add dev vp1 mac "$VLAN10" vlan 10
check "fdb show lists it with its VLAN" \
	fdb_has "$sw" vp1 "^$VLAN10 dev vp1 vlan 10 master sw0 static$"
before=$(drops "$sw" vp2 no-destination)
send_raw "$g2" "$G2" "$VLAN10" "$N"
check_seen "untagged frames (VLAN 0) to it are not sent to vp1" \
	0 "$cap_g1" "$(from_to "$G2" "$VLAN10")"
check_drops "they are unknown unicast with nowhere to go (no-destination +$N)" \
	"$sw" vp2 no-destination "$before" "$N"

# --- refusals ---------------------------------------------------------------

refused "a MAC that is vp1's static entry is refused on vp2" \
	"$sw" fdb add dev vp2 mac "$EXTRA"
refused "g1's guest MAC is refused on vp2, in every VLAN or in one" \
	"$sw" fdb add dev vp2 mac "$G1" vlan 5
refused "the switch's own MAC is refused" "$sw" fdb add dev vp2 mac "$SW0"
refused "a guest's entry cannot be deleted" "$sw" fdb del dev vp1 mac "$G1"
refused "another port's static entry cannot be deleted" \
	"$sw" fdb del dev vp2 mac "$EXTRA"
refused "a multicast MAC is refused" "$sw" fdb add dev vp2 mac 01:00:5e:00:00:01
refused "vlan 4095 is refused" "$sw" fdb add dev vp2 mac "$OTHER" vlan 4095
refused "an entry on a device that is not a port is refused" \
	"$sw" fdb add dev sw0 mac "$OTHER"

# --- deleting, and a port that leaves ----------------------------------------

check "nestsw fdb del dev vp1 mac $EXTRA" \
	nsw_tool "$sw" fdb del dev vp1 mac "$EXTRA"
before=$(drops "$sw" vp1 forged)
send_raw "$g1" "$EXTRA" "$G2" "$N"
check_drops "then g1's frames from $EXTRA are forged again (+$N)" \
	"$sw" vp1 forged "$before" "$N"

nsw_ip "$sw" "link set vp1 nomaster"
check "vp1 leaving sw0 takes its entries along (static and guest)" \
	fdb_lacks "$sw" sw0 "dev vp1 "

check_kmsg
ktap_finished

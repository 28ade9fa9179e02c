#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make demo": the seed lab of DESIGN.md, built by selftests/lib.sh's
# nsw_lab_setup (the lab selftests/seed_lab.sh checks): a router, a switch
# sw0 and four nested hypervisors, each with its own nestsw switch and a
# guest in VLAN 10 and one in VLAN 20. The guests ping each other across
# the hosts; then a stream to one nested guest is counted on sw0's ports,
# once with learning and once as upstream practice sets the nested port
# groups (promiscuous, no learning); last, the file that configured the
# four nested hypervisors' switches alike. Runs as root in the VM:
#
#   selftests/vm/run.sh -k 6.1 -- bash selftests/demo/seed_lab.sh

# shellcheck source-path=SCRIPTDIR
# shellcheck source=../lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib.sh"

N=50			# datagrams of the stream
STREAM_TO=10.10.0.77	# nobody's address, known as vesx3's VLAN-10 guest's MAC
FAILED=0

die()
{
	echo "demo: $*" >&2
	exit 1
}

# show NS ARGS...: print `nestsw ARGS` as a user types it, run it in NS
show()
{
	local ns=$1 out line; shift

	printf '   $ nestsw %s\n' "$*"
	out=$(nsw_tool "$ns" "$@" 2>&1) || FAILED=1
	while IFS= read -r line; do
		printf '   %s\n' "$line"
	done <<<"$out"
}

picture()
{
	cat <<'EOF'

The seed lab: one host, four nested hypervisors (vESX), VLAN 10 and 20.

                   router (netns phys), no ip_forward
          eth0.10 10.10.0.254/24      eth0.20 10.20.0.254/24
                            \            /
                             eth0 (trunk)
                                 |
  +------------------------------|----------------------------------+
  | sw0 (host)                 uplink   role uplink, PG trunk        |
  |   vesx1        vesx2        vesx3        vesx4                   |
  |   each in its PG vesxN: trunk, learning on, forged-transmits     |
  |   accept, promiscuous reject                                     |
  +----|------------|------------|------------|----------------------+
       |            |            |            |
  +----|----+  +----|----+  +----|----+  +----|----+
  | vmnic0  |  | vmnic0  |  | vmnic0  |  | vmnic0  |  uplink of vsw0
  | vsw0    |  | vsw0    |  | vsw0    |  | vsw0    |  (vesxN's own nestsw)
  | g10 g20 |  | g10 g20 |  | g10 g20 |  | g10 g20 |  PGs vlan 10, vlan 20
  +--|---|--+  +--|---|--+  +--|---|--+  +--|---|--+
     |   |        |   |        |   |        |   |
    .11 .11      .21 .21      .31 .31      .41 .41    nested guests, each a netns:
                                                      10.10.0.N1/24 in VLAN 10,
                                                      10.20.0.N1/24 in VLAN 20
EOF
}

# pings VLAN: every guest of VLAN pings the others and the router
pings()
{
	local v=$1 n m addrs out line

	for ((n = 1; n <= NSW_LAB_HOSTS; n++)); do
		addrs=()
		for ((m = 1; m <= NSW_LAB_HOSTS; m++)); do
			((m == n)) || addrs+=("$(nsw_lab_addr "$v" "$m")")
		done
		addrs+=("$(nsw_lab_router "$v")")
		out=$(nsw_ping_many "${NSW_LAB[g${v}_$n]}" 3 "${addrs[@]}") || FAILED=1
		line="  $(nsw_lab_addr "$v" "$n") (vesx$n) ->"
		while read -r addr res _; do
			line+="  .${addr##*.}${res:+ $res}"
		done <<<"$out"
		echo "${line//:/}"
	done
}

# no_ping NS ADDR WHAT: a ping that must not be answered
no_ping()
{
	if in_ns "$1" ping -q -n -c 2 -i 0.2 -W 1 "$2" >/dev/null 2>&1; then
		echo "  $3: answered (it should not be)"
		FAILED=1
	else
		echo "  $3: no answer"
	fi
}

__sent()
{
	local d

	d=$(cnt_delta "${NSW_LAB[host]}" vesx3 tx_packets) && ((d >= N))
}

# stream ROW: N datagrams from the router to vesx3's VLAN-10 guest; the
# frames each vESX port of sw0 sent, in a table row; sets TO and COPIES
stream()
{
	local row=$1 n d

	cnt_mark "${NSW_LAB[host]}"
	nsw_udp "${NSW_LAB[phys]}" "$STREAM_TO" 5000 "$N" || FAILED=1
	busywait "$NSW_WAIT_MS" __sent
	__settle
	printf '  %-32s' "$row"
	TO=0 COPIES=0
	for ((n = 1; n <= NSW_LAB_HOSTS; n++)); do
		d=$(cnt_delta "${NSW_LAB[host]}" "vesx$n" tx_packets)
		printf ' %6s' "$d"
		if ((n == 3)); then
			TO=$d
		else
			COPIES=$((COPIES + d))
		fi
	done
	printf '   %s to vesx3, %s copies\n' "$TO" "$COPIES"
}

nsw_require ip ping
[[ -x $NSW_TOOL ]] || die "$NSW_TOOL is not built (make tool)"
nsw_load || die "cannot load nestsw"
picture
nsw_lab_setup || die "cannot build the lab"
nsw_neigh "${NSW_LAB[phys]}" eth0.10 "$STREAM_TO" "$(nsw_lab_mac 10 3)" ||
	die "cannot add the router's neighbour $STREAM_TO"

echo
echo "1. Every nested guest pings the others of its VLAN, on every vESX, and the router"
echo "   (answers out of 3 pings):"
pings 10
pings 20

echo
echo "2. VLAN 10 and VLAN 20 do not meet (the router does not route between them):"
no_ping "${NSW_LAB[g10_1]}" 10.20.0.11 "vesx1's VLAN-10 guest -> 10.20.0.11 (vesx1's VLAN-20 guest)"
no_ping "${NSW_LAB[g10_2]}" 10.20.0.41 "vesx2's VLAN-10 guest -> 10.20.0.41 (vesx4's VLAN-20 guest)"

echo
echo "3. sw0 learned each nested guest's MAC (02:00:00:VLAN:00:0N) on its vESX port:"
show "${NSW_LAB[host]}" fdb show dev sw0

echo
echo "4. $N UDP datagrams from the router to vesx3's VLAN-10 guest (10.10.0.31):"
printf '  %-32s' "frames sent by sw0's ports:"
printf ' %6s' vesx1 vesx2 vesx3 vesx4
echo
stream "learning (nestsw)"
learn_to=$TO learn_copies=$COPIES
for ((n = 1; n <= NSW_LAB_HOSTS; n++)); do
	nsw_tool "${NSW_LAB[host]}" pg set dev sw0 name "vesx$n" promiscuous accept \
		mac-changes accept learning off || FAILED=1
done
stream "promiscuous (upstream practice)"
promisc_to=$TO promisc_copies=$COPIES

echo
echo "   (upstream practice here: nestsw pg set dev sw0 name vesxN promiscuous accept"
echo "    mac-changes accept learning off)"
echo
echo "learning: $learn_to frames to vesx3, $learn_copies copies elsewhere;" \
	"promiscuous: $promisc_to to vesx3, $promisc_copies copies to vesx1, vesx2, vesx4"
if ((learn_to != N || learn_copies != 0 || promisc_to != N ||
     promisc_copies != 3 * N)); then
	echo "demo: want $N and 0 with learning, $N and $((3 * N)) with promiscuous mode" >&2
	FAILED=1
fi
echo
echo "5. One file configured the switch of every vESX, as a distributed switch would"
echo "   (nestsw -n VESX setconf vsw0 vesx.conf, on each of the four):"
sed 's/^/   | /' "$NSW_LAB_VESX_FILE"
for ((n = 2; n <= NSW_LAB_HOSTS; n++)); do
	if [[ $("$NSW_TOOL" -n "${NSW_LAB[vesx$n]}" showconf vsw0) == \
	      "$("$NSW_TOOL" -n "${NSW_LAB[vesx1]}" showconf vsw0)" ]]; then
		echo "   vesx$n: nestsw showconf vsw0 prints what vesx1's does"
	else
		echo "   vesx$n: nestsw showconf vsw0 differs from vesx1's"
		FAILED=1
	fi
done
((FAILED == 0)) || die "something did not work as it should (see above)"
echo "demo: the nested guests talk across four nested hypervisors; learning sends each frame to one of them"

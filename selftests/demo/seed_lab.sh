#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make demo": the seed lab of DESIGN.md, built by selftests/lib.sh's
# nsw_lab_setup (the lab selftests/seed_lab.sh checks): a router, a switch
# sw0 and four nested hypervisors, each with its own nestsw switch and a
# guest in VLAN 10 and one in VLAN 20. The guests ping each other across
# the hosts; then a stream to one nested guest is counted on sw0's ports,
# once with learning and once as upstream practice sets the nested port
# groups (promiscuous, no learning); then the shared file that gave the
# four nested hypervisors' switches the same port groups, and the drop-in
# of each with its own ports. Then a second site joins over
# VXLAN (site2): VLAN 30 stretched across a WAN router, nestsw learning the
# remote guest on the vxlan uplink, which is on sw0 beside its trunk
# uplink (limited to VLANs 10 and 20); site 1's new nested hypervisor has
# two vNICs, bonded inside it, and fails over. Runs as root in the VM:
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
  |g10_1    |  |g10_2    |  |g10_3    |  |g10_4    |  PG vlan10 (VLAN 10),
  |  g20_1  |  |  g20_2  |  |  g20_3  |  |  g20_4  |  PG vlan20 (VLAN 20)
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

# site2_picture: the second site
site2_picture()
{
	cat <<'EOF2'

Site 2 joins over VXLAN: VLAN 30 stretched across a WAN router, VNI 10030.
At site 1 it is one more uplink of sw0: the trunk uplink to the router
carries VLANs 10 and 20 only (pg trunk: trunk-vlans 10,20), vx30 VLAN 30.
vesx5 is a nested hypervisor with two vNICs, bonded inside it
(active-backup): its port group is a team.

       site 1 (netns host)                           site 2 (netns site2)
  sw0: uplink (PG trunk: trunk, VLANs 10, 20)   sw0: vx30 (uplink, vlan 30)
       vx30 (uplink, PG vx30: vlan 30)               vesx6 (PG vesx6: trunk,
       vesx5, vesx5b (PG vesx5: trunk, team on,            learning on)
         learning on, mac-changes accept)
       ul0 192.0.2.1/24, MTU 1550                    ul0 198.51.100.2/24
            \                                          /
             +-- wan: 192.0.2.254 | 198.51.100.254 ---+   (a router)
  vesx5: nic0 + nic1 = bond vmnic0, vsw0,       vesx6: vsw0, guest 10.30.0.61
         guest 10.30.0.51
EOF2
}

# site2_setup: the WAN, site 2's host, and VLAN 30 on both sites
site2_setup()
{
	local NSW_LAB_VLANS=30 wan site2 vesx5 vesx6 g30_5 g30_6 ns sw n

	setup_ns wan site2 vesx5 vesx6 g30_5 g30_6 || return
	NSW_LAB[wan]=$wan
	NSW_LAB[site2]=$site2
	nsw_wan_router "$wan" site1 192.0.2.254 &&
	nsw_underlay "${NSW_LAB[host]}" 192.0.2.1 192.0.2.254 "$wan" wan_1 site1 &&
	nsw_underlay "$site2" 198.51.100.2 198.51.100.254 "$wan" wan_2 &&
	nsw_tool "${NSW_LAB[host]}" pg set dev sw0 name trunk trunk-vlans 10,20 &&
	nsw_vxlan_uplink "${NSW_LAB[host]}" sw0 vx30 10030 30 192.0.2.1 198.51.100.2 &&
	nsw_switch_add "$site2" sw0 &&
	nsw_vxlan_uplink "$site2" sw0 vx30 10030 30 198.51.100.2 192.0.2.1 &&
	nsw_tool "${NSW_LAB[host]}" pg add dev sw0 name vesx5 vlan trunk \
		learning on forged-transmits accept mac-changes accept team on &&
	nsw_tool "$site2" pg add dev sw0 name vesx6 vlan trunk learning on \
		forged-transmits accept &&
	NSW_LAB_TWO_NICS=1 nsw_lab_vesx_on "${NSW_LAB[host]}" sw0 vesx5 5 \
		"$vesx5" "$g30_5" &&
	nsw_lab_vesx_on "$site2" sw0 vesx6 6 "$vesx6" "$g30_6"
}

__sent2()
{
	local d

	d=$(cnt_delta "${NSW_LAB[site2]}" vesx6 tx_packets) && ((d >= N))
}

# site2: build site 2, ping across, show what was learned, count a stream
site2()
{
	local out to d_vx d_back d_to d_up

	site2_picture
	site2_setup || die "cannot build site 2"
	echo
	echo "6. vesx5's guest (site 1) pings vesx6's (site 2), also full-size (1472 + 28"
	echo "   bytes, DF set: the underlay's MTU is 1550, VXLAN adds 50):"
	out=$(nsw_ping_many "${NSW_LAB[g30_5]}" 3 10.30.0.61) || FAILED=1
	echo "  $out"
	if out=$(nsw_ping "${NSW_LAB[g30_5]}" 10.30.0.61 3 -M "do" -s 1472 2>&1); then
		echo "  full-size: 3/3 answered"
	else
		echo "  full-size: not all answered: $out"
		FAILED=1
	fi
	echo
	echo "7. Site 1's sw0 learned vesx6's guest (02:00:00:30:00:06) on its vx30 uplink,"
	echo "   and vx30 learned which VTEP it is behind:"
	show "${NSW_LAB[host]}" fdb show dev vx30
	printf '   $ bridge fdb show dev vx30 | grep -v 00:00:00:00:00:00\n'
	in_ns "${NSW_LAB[host]}" bridge fdb show dev vx30 | grep -v '^00:00:00:00:00:00' |
		sed 's/^/   /'
	to=$(nsw_vxlan_vtep "${NSW_LAB[host]}" vx30 02:00:00:30:00:06)
	[[ $to == 198.51.100.2 ]] || { echo "   want it behind 198.51.100.2"; FAILED=1; }

	echo
	echo "8. $N UDP datagrams from vesx5's guest to vesx6's, across the sites:"
	nsw_neigh "${NSW_LAB[g30_5]}" eth0 10.30.0.77 02:00:00:30:00:06 || FAILED=1
	cnt_mark "${NSW_LAB[host]}" "${NSW_LAB[site2]}"
	nsw_udp "${NSW_LAB[g30_5]}" 10.30.0.77 5005 "$N" || FAILED=1
	busywait "$NSW_WAIT_MS" __sent2
	__settle
	d_vx=$(cnt_delta "${NSW_LAB[host]}" vx30 tx_packets)
	d_back=$(($(cnt_delta "${NSW_LAB[host]}" vesx5 tx_packets) +
		  $(cnt_delta "${NSW_LAB[host]}" vesx5b tx_packets)))
	d_to=$(cnt_delta "${NSW_LAB[site2]}" vesx6 tx_packets)
	d_up=$(cnt_delta "${NSW_LAB[host]}" uplink tx_packets)
	echo "  site 1: sw0 sent $d_vx out of vx30, $d_up out of its trunk uplink," \
		"$d_back back to vesx5; site 2: sw0 sent $d_to to vesx6"
	if ((d_vx != N || d_up != 0 || d_back != 0 || d_to != N)); then
		echo "demo: want $N, 0, 0 and $N" >&2
		FAILED=1
	fi
	failover
}

__bond_on()
{
	in_ns "${NSW_LAB[vesx5]}" cat /sys/class/net/vmnic0/bonding/active_slave |
		grep -qx "$1"
}

# failover: vesx5's first vNIC goes down; its bond goes on by the other
failover()
{
	local out moves

	echo
	echo "9. vesx5's nic0 goes down: its bond fails over to nic1, sw0 sends to"
	echo "   vesx5b; the guest still reaches site 2, and no MAC moved:"
	nsw_ip "${NSW_LAB[vesx5]}" "link set nic0 down"
	busywait "$NSW_WAIT_MS" __bond_on nic1 || { echo "  the bond did not fail over"; FAILED=1; }
	out=$(nsw_ping_many "${NSW_LAB[g30_5]}" 3 10.30.0.61) || FAILED=1
	echo "  $out"
	show "${NSW_LAB[host]}" -s port show dev vesx5b
	moves=$(($(nsw_learn_stat "${NSW_LAB[host]}" vesx5 moves) +
		 $(nsw_learn_stat "${NSW_LAB[host]}" vesx5b moves)))
	echo "  moves on vesx5 and vesx5b: $moves"
	((moves == 0)) || FAILED=1
}

nsw_require ip ping bridge
[[ -x $NSW_TOOL ]] || die "$NSW_TOOL is not built (make tool)"
nsw_load || die "cannot load nestsw"
modprobe bonding max_bonds=0 || die "no bonding driver"
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
echo "5. One shared file configured the switch of every vESX, as a distributed"
echo "   switch would, each vESX's own ports in a drop-in (nestsw -n VESX setconf"
echo "   vsw0 /etc/nestsw/vsw0.conf on each of the four: the shared file, then"
echo "   /etc/nestsw/vsw0.conf.d/*.conf). The shared file:"
sed 's/^/   | /' "$NSW_LAB_VESX_FILE"
echo "   vesx1's vsw0.conf.d/ports.conf (vesx2's names g10_2 and g20_2, ...):"
sed 's/^/   | /' "$(nsw_lab_vesx_file 1).d/ports.conf"
for ((n = 2; n <= NSW_LAB_HOSTS; n++)); do
	if [[ $(nsw_lab_pgs "$n") == "$(nsw_lab_pgs 1)" ]]; then
		echo "   vesx$n: nestsw showconf vsw0 has vesx1's port groups, and its own ports:" \
			"$(nsw_ports "${NSW_LAB[vesx$n]}" vsw0 | sort | tr '\n' ' ')"
	else
		echo "   vesx$n: nestsw showconf vsw0 has other port groups than vesx1's"
		FAILED=1
	fi
done
site2
echo
((FAILED == 0)) || die "something did not work as it should (see above)"
echo "demo: the nested guests talk across four nested hypervisors and two sites; learning sends each frame to one of them"

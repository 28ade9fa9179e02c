#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The seed lab (DESIGN.md, "The lab it serves"): four nested hypervisors
# on one switch, each with its own nestsw switch and two guests, in VLAN 10
# (management) and VLAN 20 (VM traffic), and a router on the physical
# network that does not route between the VLANs.
#
#                      phys: router, no ip_forward
#            eth0.10 10.10.0.254/24    eth0.20 10.20.0.254/24
#                             \          /
#                               eth0 (trunk)
#                                 | veth
#   host  +-----------------------|------------------------------------+
#         | sw0                 uplink   role uplink, PG trunk (4095)   |
#         |  vesx1         vesx2         vesx3         vesx4            |
#         |  PG vesxN: trunk, learning on, forged-transmits accept,     |
#         |            promiscuous reject                               |
#         +---|-------------|-------------|-------------|---------------+
#             | veth        |             |             |
#   vesxN +---|---------------------+   (vesx2, vesx3, vesx4 alike)
#         | vmnic0  uplink, PG trunk|
#         | vsw0                    |
#         |  g10_N (PG vlan10: 10)  |
#         |  g20_N (PG vlan20: 20)  |
#         +---|--------------|------+
#             | veth         | veth
#         g10_N eth0      g20_N eth0
#         10.10.0.N1/24   10.20.0.N1/24    default route via the router
#
# The four vsw0 are one distributed switch: one file of port groups (and
# the uplink vmnic0) for all, each vesxN's guest ports, whose names differ,
# in a drop-in of its own (vsw0.conf.d/ports.conf).
#
# Guest MACs are 02:00:00:VV:00:0N (VLAN VV, vesxN). After the pings, sw0
# has learned each nested guest's MAC on its vESX port: a unicast stream to
# vesx3's VLAN-10 guest leaves sw0 by vesx3's port alone. The same stream
# with the vESX port groups as upstream practice sets them (promiscuous
# accept, learning off) is copied to every nested hypervisor.
#
# The streams go to 10.10.0.77, an address nobody has, known by the
# senders as vesx3's VLAN-10 guest's MAC (a permanent neighbour): the
# guest receives them and drops them without an answer (no ip_forward),
# so nothing else crosses the switch while they are counted.

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

PINGS=3		# pings per pair
N=50		# datagrams per stream
STREAM_TO=10.10.0.77

ktap_header
nsw_require ip ping tcpdump jq
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 27
nsw_kmsg_mark
nsw_lab_setup || ktap_bail "cannot build the lab"

host=${NSW_LAB[host]}
phys=${NSW_LAB[phys]}

# guest VLAN N: the namespace of vesxN's guest in VLAN
guest()
{
	echo "${NSW_LAB[g$1_$2]}"
}

# check_pings DESC NS ADDR...: every ping from NS to each ADDR answered
check_pings()
{
	local desc=$1 ns=$2 out rc; shift 2

	out=$(nsw_ping_many "$ns" "$PINGS" "$@" 2>&1)
	rc=$?
	ktap_info "$out"
	ktap_result "$desc" "$rc"
}

# --- every nested guest reaches the others of its VLAN and the router -----

for v in $NSW_LAB_VLANS; do
	for ((n = 1; n <= NSW_LAB_HOSTS; n++)); do
		addrs=() others=
		for ((m = n + 1; m <= NSW_LAB_HOSTS; m++)); do
			addrs+=("$(nsw_lab_addr "$v" "$m")")
			others+="vesx$m's, "
		done
		addrs+=("$(nsw_lab_router "$v")")
		desc="VLAN $v: vesx$n's guest pings"
		[[ -z $others ]] || desc+=" ${others%, } guests and"
		desc+=" the router"
		check_pings "$desc, every ping answered" \
			"$(guest "$v" "$n")" "${addrs[@]}"
	done
done

# --- one shared file configures every nested hypervisor's switch ---------

# vesx_alike: showconf of each vesxN's vsw0 has the same policy and port
# groups, from the shared file
vesx_alike()
{
	local n first='' pgs

	for ((n = 1; n <= NSW_LAB_HOSTS; n++)); do
		pgs=$(nsw_lab_pgs "$n") || return
		[[ -n $first ]] || first=$pgs
		if [[ $pgs != "$first" ]]; then
			ktap_info "vesx$n's vsw0 differs from vesx1's:" "$pgs"
			return 1
		fi
	done
	grep -qx "name = vlan20" <<<"$first"
}
check "the four nested hypervisors' switches have the same port groups, from one shared file" \
	vesx_alike

# vesx_ports: each vesxN's vsw0 has the shared vmnic0 and the guest
# ports of its own drop-in
vesx_ports()
{
	local n

	for ((n = 1; n <= NSW_LAB_HOSTS; n++)); do
		nsw_ports_are "${NSW_LAB[vesx$n]}" vsw0 vmnic0 "g10_$n" "g20_$n" ||
			return
	done
}
check "and each has the shared uplink vmnic0 and the guest ports its drop-in names, g10_N and g20_N" \
	vesx_ports

# --- VLAN 10 and VLAN 20 do not meet ---------------------------------------

g10_1=$(guest 10 1)
vlan20=()
for ((n = 1; n <= NSW_LAB_HOSTS; n++)); do
	vlan20+=("$(guest 20 "$n")")
done
vlan20_quiet=()
for ns in "${vlan20[@]}"; do
	vlan20_quiet+=("$ns" eth0 rx_packets 0)
done

# vesx1's VLAN-10 guest takes VLAN 20 for on-link: it ARPs for its
# addresses in VLAN 10, once per address (mcast_solicit 1)
declare cap_g10_3
arp_setup()
{
	in_ns_sh "$g10_1" "echo 1 >/proc/sys/net/ipv4/neigh/eth0/mcast_solicit" &&
	nsw_ip "$g10_1" "route add 10.20.0.0/24 dev eth0" &&
	cap_start cap_g10_3 "$(guest 10 3)" eth0
}
arp_setup || ktap_bail "cannot set up vesx1's VLAN-10 guest"

cnt_mark "$phys" "${vlan20[@]}"
check_fails "vesx1's VLAN-10 guest gets no ARP answer for vesx1's VLAN-20 guest (10.20.0.11) behind the same vsw0" \
	in_ns "$g10_1" ping -q -n -c 1 -W 2 10.20.0.11
check_seen "its ARP request is flooded in VLAN 10: vesx3's VLAN-10 guest sees it, once" \
	1 "$cap_g10_3" "Request who-has 10\\.20\\.0\\.11 tell 10\\.10\\.0\\.11"
check_cnt "no VLAN-20 port sees it: the VLAN-20 guests and the router's eth0.20 receive nothing" \
	"${vlan20_quiet[@]}" "$phys" eth0.20 rx_packets 0

g10_2=$(guest 10 2)
cnt_mark "$phys" "$g10_2" "${vlan20[@]}"
check_fails "vesx2's VLAN-10 guest cannot ping vesx4's VLAN-20 guest (10.20.0.41) through the router" \
	in_ns "$g10_2" ping -q -n -c "$PINGS" -i 0.2 -W 1 10.20.0.41
check_cnt "the router receives the $PINGS echo requests on eth0.10 and routes none (no ip_forward): nothing leaves eth0.20, no VLAN-20 guest receives anything, no error comes back" \
	"$phys" eth0.10 rx_packets "$PINGS" "$phys" eth0.20 tx_packets 0 \
	"${vlan20_quiet[@]}" "$g10_2" eth0 rx_packets 0

# --- learning: frames to a nested guest go to its vESX port alone ----------

# fdb_check WANT...: sw0's FDB has every "MAC VLAN PORT FLAGS" entry of
# WANT, and no other entry for those MACs; a WANT "MAC - -" means no
# learned entry for MAC on a vESX port. Prints the entries of those MACs.
fdb_check()
{
	local fdb line mac want e ok=0 shown='' macs=() wants=()
	local -A wanted

	fdb=$(nsw_fdb_entries "$host" sw0) || { echo "$fdb"; return 1; }
	for want in "$@"; do
		mac=${want%% *}
		[[ -n ${wanted[$mac]+set} ]] || macs+=("$mac")
		wanted[$mac]+="$want|"
	done
	for mac in "${macs[@]}"; do
		e=()
		while IFS= read -r line; do
			[[ $line == "$mac "* ]] && e+=("$line")
		done <<<"$fdb"
		shown=
		for line in "${e[@]}"; do
			shown+="${shown:+, }$line"
		done
		echo "sw0: ${shown:-no entry for $mac}"
		if [[ ${wanted[$mac]} == "$mac - -|" ]]; then
			for line in "${e[@]}"; do
				[[ $line =~ ^[^\ ]+\ [^\ ]+\ vesx[0-9]+\ .*learned ]] &&
					{ echo "  want no learned entry on a vESX port"; ok=1; }
			done
			continue
		fi
		for line in "${e[@]}"; do
			[[ ${wanted[$mac]} == *"$line|"* ]] ||
				{ echo "  want no entry '$line'"; ok=1; }
		done
		shown="|${e[*]/%/|}"
		shown=${shown//| /|}
		IFS='|' read -r -a wants <<<"${wanted[$mac]}"
		for line in "${wants[@]}"; do
			[[ $shown == *"|$line|"* ]] ||
				{ echo "  want '$line'"; ok=1; }
		done
	done
	return "$ok"
}

# check_fdb DESC WANT...
check_fdb()
{
	local desc=$1 out rc; shift

	out=$(fdb_check "$@")
	rc=$?
	ktap_info "$out"
	ktap_result "$desc" "$rc"
}

router_learned=()
guests_learned=()
guests_unlearned=()
for v in $NSW_LAB_VLANS; do
	router_learned+=("$NSW_LAB_ROUTER_MAC $v uplink learned")
	for ((n = 1; n <= NSW_LAB_HOSTS; n++)); do
		guests_learned+=("$(nsw_lab_mac "$v" "$n") $v vesx$n learned")
		guests_unlearned+=("$(nsw_lab_mac "$v" "$n") - -")
	done
done
check_fdb "nestsw fdb show dev sw0: each nested guest's MAC is learned on its vESX port, in its VLAN, and nowhere else" \
	"${guests_learned[@]}"
check_fdb "and the router's MAC on the uplink, in VLANs 10 and 20" \
	"${router_learned[@]}"

# vesx_learn KEY WANT: nsw_learn_check arguments in VESX_LEARN, for
# every vESX port of sw0
VESX_LEARN=()
vesx_learn()
{
	local n

	VESX_LEARN=()
	for ((n = 1; n <= NSW_LAB_HOSTS; n++)); do
		VESX_LEARN+=("vesx$n" "$1" "$2")
	done
}
vesx_learn entries 2
nsw_learn_check "nestsw -s port show: each vESX port of sw0 has 2 learned entries, its two nested guests" \
	"$host" "${VESX_LEARN[@]}"

g10_3=$(guest 10 3)
g10=()
for ((n = 1; n <= NSW_LAB_HOSTS; n++)); do
	g10+=("$(guest 10 "$n")")
done
mac_g10_3=$(nsw_lab_mac 10 3)
stream_setup()
{
	nsw_neigh "$g10_1" eth0 "$STREAM_TO" "$mac_g10_3" &&
	nsw_neigh "$phys" eth0.10 "$STREAM_TO" "$mac_g10_3"
}
stream_setup || ktap_bail "cannot add the streams' neighbours"

# ports_cnt WANT PORT...: check_cnt arguments in PORTS_CNT, the
# tx_packets of each PORT of sw0 moved by WANT
PORTS_CNT=()
ports_cnt()
{
	local want=$1 p; shift

	PORTS_CNT=()
	for p; do
		PORTS_CNT+=("$host" "$p" tx_packets "$want")
	done
}

# copies PORT...: how many frames the PORTs of sw0 sent since cnt_mark
copies()
{
	local p d sum=0

	for p; do
		d=$(cnt_delta "$host" "$p" tx_packets) && sum=$((sum + d))
	done
	echo "$sum"
}

cnt_mark "$host" "$g10_3"
nsw_udp "$g10_1" "$STREAM_TO" 5001 "$N"
ports_cnt 0 vesx1 vesx2 vesx4 uplink
check_cnt "learning: $N datagrams from vesx1's VLAN-10 guest to vesx3's reach it by vesx3's port alone: none to vesx2, vesx4, the uplink, or back to vesx1" \
	"$g10_3" eth0 rx_packets "$N" "$host" vesx3 tx_packets "$N" "${PORTS_CNT[@]}"

cnt_mark "$host" "$g10_3"
nsw_udp "$phys" "$STREAM_TO" 5002 "$N"
ports_cnt 0 vesx1 vesx2 vesx4
check_cnt "learning: $N datagrams from the router to vesx3's VLAN-10 guest reach it by vesx3's port alone: no copy to vesx1, vesx2, vesx4" \
	"$g10_3" eth0 rx_packets "$N" "$host" vesx3 tx_packets "$N" "${PORTS_CNT[@]}"
learn_to=$(copies vesx3)
learn_copies=$(copies vesx1 vesx2 vesx4)

# --- upstream practice: promiscuous, no learning: a copy for every host ----

pg_upstream()
{
	local n script=true tool

	printf -v tool %q "$NSW_TOOL"
	for ((n = 1; n <= NSW_LAB_HOSTS; n++)); do
		script+=" && $tool pg set dev sw0 name vesx$n promiscuous accept mac-changes accept learning off"
	done
	in_ns_sh "$host" "$script"
}
check "as upstream practice: nestsw pg set dev sw0 name vesxN promiscuous accept mac-changes accept learning off, for vesx1..$NSW_LAB_HOSTS" \
	pg_upstream
check_fdb "sw0 forgets the nested guests' MACs it learned on the vESX ports" \
	"${guests_unlearned[@]}"
vesx_learn entries 0
nsw_learn_check "nestsw -s port show: no vESX port of sw0 has a learned entry" \
	"$host" "${VESX_LEARN[@]}"

cnt_mark "$host" "${g10[@]}"
nsw_udp "$phys" "$STREAM_TO" 5003 "$N"
ports_cnt "$N" vesx1 vesx2 vesx4
check_cnt "promiscuous: the router's $N datagrams to vesx3's VLAN-10 guest reach all four vESX ports: $N to vesx3, $((3 * N)) copies to vesx1, vesx2, vesx4" \
	"$g10_3" eth0 rx_packets "$N" "$host" vesx3 tx_packets "$N" "${PORTS_CNT[@]}"
promisc_to=$(copies vesx3)
promisc_copies=$(copies vesx1 vesx2 vesx4)
ktap_info "the router's $N datagrams to vesx3's VLAN-10 guest, as sw0's vESX ports sent them:" \
	"learning: $learn_to frames to vesx3, $learn_copies copies elsewhere; promiscuous: $promisc_to to vesx3, $promisc_copies copies to vesx1, vesx2, vesx4"
check_cnt "the copies go no further than the nested hypervisors' vNICs: no other VLAN-10 guest receives one" \
	"${NSW_LAB[g10_1]}" eth0 rx_packets 0 "${NSW_LAB[g10_2]}" eth0 rx_packets 0 \
	"${NSW_LAB[g10_4]}" eth0 rx_packets 0

cnt_mark "$host" "$g10_3"
nsw_udp "$g10_1" "$STREAM_TO" 5004 "$N"
ports_cnt "$N" vesx2 vesx4 uplink
check_cnt "promiscuous: $N datagrams from vesx1's VLAN-10 guest to vesx3's are flooded: to vesx3, and copies to vesx2, vesx4 and the physical network (uplink)" \
	"$g10_3" eth0 rx_packets "$N" "$host" vesx3 tx_packets "$N" "${PORTS_CNT[@]}" \
	"$host" vesx1 tx_packets 0

check_kmsg
ktap_finished

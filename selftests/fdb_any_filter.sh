#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Many every-VLAN FDB entries (a big lab's guest MACs). A lookup asks for
# the every-VLAN key only when a filter of those entries says the MAC may
# have one; the filter grows and shrinks with their number (about sixteen
# slots an entry), each size replacing the last under traffic. Checked
# here: while pings run between two guests, 600 static entries of every
# VLAN are added on vp3 and then removed, in batches, so the filter goes
# through its sizes up and down; after each step, frames to the first, a
# middle and the last of those MACs reach g3 alone (the entry is found),
# frames to g2's MAC reach g2 alone, and once the entries are gone their
# MACs are unknown again (sent to the uplink vp2 alone). No ping is lost,
# and the kernel logs no splat (the debug kernel's KASAN watches the
# replaced filters).
#
#    g1               g2               g3
#   +--------+       +--------+       +--------+
#   |  eth0  |       |  eth0  |       |  eth0  |
#   +---|----+       +---|----+       +---|----+
#       | veth           | veth           | veth
#   +---|----------------|----------------|----+
#   |  vp1          vp2 (uplink)         vp3   |
#   |   sw0 (the static entries                |
#   |        02:00:40:00:00:00.. on vp3)       |
#   +------------------------------------------+
#                    netns sw

# shellcheck disable=SC2317 # helpers called through check
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

MANY=600	# static entries: the filter grows from 4096 to 16384 slots
N=3		# frames per destination and step

ktap_header
nsw_require ip tcpdump ping /usr/bin/python3
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 12
nsw_kmsg_mark
declare sw g1 g2 g3
setup_ns sw g1 g2 g3 || ktap_bail "cannot create namespaces"

setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_veth_port "$sw" sw0 vp1 "$g1" 10.0.0.1/24 &&
	nsw_veth_port "$sw" sw0 vp2 "$g2" 10.0.0.2/24 &&
	nsw_veth_port "$sw" sw0 vp3 "$g3" &&
	nsw_tool "$sw" port set dev vp2 role uplink
}
setup || ktap_bail "cannot build the topology"
G1=$(nsw_mac "$g1" eth0)
G2=$(nsw_mac "$g2" eth0)
nsw_neigh "$g1" eth0 10.0.0.2 "$G2" || ktap_bail "cannot set neighbours"
nsw_neigh "$g2" eth0 10.0.0.1 "$G1" || ktap_bail "cannot set neighbours"

declare cap_g2 cap_g3 frm
if ! { cap_start cap_g2 "$g2" eth0 && cap_start cap_g3 "$g3" eth0; }; then
	ktap_bail "cannot start tcpdump"
fi
frames_start frm "$g1" eth0 || ktap_bail "cannot start the frame sender"

# any_mac I: the I-th static entry's MAC
any_mac()
{
	printf '02:00:40:%02x:%02x:%02x' $(($1 >> 16)) $((($1 >> 8) & 255)) \
		$(($1 & 255))
}

# batch VERB: "fdb VERB" of the MANY entries, one nestsw -batch
batch()
{
	local i file=$NSW_TMP/any.batch

	for ((i = 0; i < MANY; i++)); do
		echo "fdb $1 dev vp3 mac $(any_mac "$i")"
	done >"$file"
	nsw_tool "$sw" -batch "$file"
}

static_on_vp3()
{
	nsw_tool "$sw" fdb show dev vp3 | grep -c static
}

# to_many DESC WANT_G2 WANT_G3 UDP: N frames from g1 to the first, a middle
# and the last MAC of the entries (UDP ports UDP, UDP+1, UDP+2), then to G2
# (UDP+3); each capture sees WANT_* of the first three kinds, and g2 alone
# the frames to G2
to_many()
{
	local desc=$1 want2=$2 want3=$3 port=$4 i args=()

	for i in 0 $((MANY / 2)) $((MANY - 1)); do
		frames_send "$frm" "$G1" "$(any_mac "$i")" "$port" "$N" ||
			{ ktap_fail "$desc"; return 1; }
		args+=("$want2" "$cap_g2" "$(frame_re "$port")"
		       "$want3" "$cap_g3" "$(frame_re "$port")")
		port=$((port + 1))
	done
	frames_send "$frm" "$G1" "$G2" "$port" "$N" ||
		{ ktap_fail "$desc"; return 1; }
	args+=("$N" "$cap_g2" "$(frame_re "$port")"
	       0 "$cap_g3" "$(frame_re "$port")")
	check_seen "$desc" "${args[@]}"
}

# pings_start: pings g1 -> g2, 20 a second, in the background until
# pings_done interrupts them and reads ping's summary
pings_start()
{
	__in_ns_bg "$g1" "ping -n -q -i 0.05 -W 2 10.0.0.2 \
		>$NSW_TMP/ping.out 2>&1 </dev/null" && PING_PID=$NSW_BG_PID
}

pings_done()
{
	local line sent got

	kill -INT "$PING_PID"
	busywait "$NSW_WAIT_MS" grep -q "packets transmitted" "$NSW_TMP/ping.out" ||
		{ ktap_info "ping did not end: $(<"$NSW_TMP/ping.out")"; return 1; }
	line=$(grep "packets transmitted" "$NSW_TMP/ping.out")
	ktap_info "g1 -> g2: $line"
	[[ $line =~ ^([0-9]+)\ packets\ transmitted,\ ([0-9]+)\ received ]] ||
		return 1
	sent=${BASH_REMATCH[1]} got=${BASH_REMATCH[2]}
	# the last one may have been on its way when ping was interrupted
	((sent >= 100 && got >= sent - 1))
}

pings_start || ktap_bail "cannot start ping"
check "vp3 gets $MANY static entries of every VLAN in one batch" batch add
check_eq "nestsw fdb show dev vp3 lists $MANY static entries" \
	"$(static_on_vp3)" "$MANY"
to_many "frames to the first, a middle and the last of them reach g3 alone; to G2, g2 alone" \
	0 "$N" 7010
check "the $MANY entries are removed in one batch" batch del
check_eq "nestsw fdb show dev vp3 lists no static entry" "$(static_on_vp3)" 0
to_many "frames to those MACs are unknown again: to the uplink vp2 alone" \
	"$N" 0 7020
check "the $MANY entries are added again" batch add
to_many "frames to them reach g3 alone again" 0 "$N" 7030
check "vp3 leaves the switch, taking them along" \
	nsw_ip "$sw" "link set vp3 nomaster"
check_eq "nestsw fdb show has none of them" \
	"$(nsw_tool "$sw" fdb show | grep -c 02:00:40)" 0
check "every ping g1 -> g2 during the adds and removals is answered" \
	pings_done

check_kmsg
ktap_finished

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Flushing learned entries. What a port learned goes when the admin
# flushes it (`nestsw fdb flush dev PORT`, or `dev SW` for the whole
# switch), when the port moves to another port group, when its group turns
# learning off, and when the port leaves the switch. Guest, local and
# static entries stay in every case but the last.
#
#     vesx1 (N1)        g2           vesx4 (N4)
#   +-----------+  +-----------+  +-----------+
#   |   eth0    |  |   eth0 m2 |  |   eth0    |
#   +-----|-----+  +-----|-----+  +-----|-----+
#   +----vp1------------vp2------------vp4-----+
#   |  PG nested (learning on, forged accept)   |
#   |  PG nested2 (the same)     sw0            |
#   +-------------------------------------------+
#                     netns sw

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N1=02:00:00:00:01:01		# a nested guest behind vesx1
N4=02:00:00:00:04:01		# one behind vesx4
S2=02:00:00:00:02:99		# a static entry on vp2

ktap_header
nsw_require ip
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 14
nsw_kmsg_mark
declare sw vesx1 g2 vesx4
setup_ns sw vesx1 g2 vesx4 || ktap_bail "cannot create namespaces"

declare m2 tx_n1 tx_n4
setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_veth_port "$sw" sw0 vp1 "$vesx1" &&
	nsw_veth_port "$sw" sw0 vp2 "$g2" &&
	nsw_veth_port "$sw" sw0 vp4 "$vesx4" &&
	m2=$(nsw_mac "$g2" eth0) &&
	in_ns_sh "$sw" "$NSW_TOOL pg add dev sw0 name nested learning on \
			forged-transmits accept &&
		$NSW_TOOL pg add dev sw0 name nested2 learning on \
			forged-transmits accept &&
		$NSW_TOOL port set dev vp1 pg nested &&
		$NSW_TOOL port set dev vp4 pg nested &&
		$NSW_TOOL fdb add dev vp2 mac $S2" &&
	frames_start tx_n1 "$vesx1" eth0 &&
	frames_start tx_n4 "$vesx4" eth0
}
setup || ktap_bail "cannot build the topology"

# learned_is WANT...: sw0's learned entries are exactly "MAC PORT" WANT
learned_is()
{
	local got want

	got=$(nsw_tool "$sw" fdb show dev sw0 | grep ' learned' |
	      while read -r mac _ port _; do echo "$mac $port"; done | sort)
	want=$(printf '%s\n' "$@" | grep . | sort)
	[[ $got == "$want" ]] || { echo "learned: ${got:-none}, want: ${want:-none}"; return 1; }
}

# others_kept: the guest, local and static entries are all there
others_kept()
{
	local fdb

	fdb=$(nsw_tool "$sw" fdb show dev sw0)
	if grep -q "^$m2 dev vp2 master sw0 guest$" <<<"$fdb" &&
	   grep -q "^$S2 dev vp2 master sw0 static$" <<<"$fdb" &&
	   grep -q " dev sw0 master sw0 local$" <<<"$fdb" &&
	   (($(grep -c ' guest$' <<<"$fdb") == 3)); then
		return 0
	fi
	echo "$fdb"
	return 1
}

# learn: N1 and N4 send a frame each, and are learned
learn()
{
	frames_send "$tx_n1" "$N1" "$m2" 9001 1 &&
	frames_send "$tx_n4" "$N4" "$m2" 9002 1 &&
	busywait "$NSW_WAIT_MS" learned_is "$N1 vp1" "$N4 vp4"
}

# after ARGS WANT...: run the tool in sw's namespace, then check learned_is WANT...
after()
{
	local args=$1; shift

	# shellcheck disable=SC2086 # ARGS is a command line
	nsw_tool "$sw" $args && learned_is "$@"
}

check "N1 is learned on vp1, N4 on vp4" learn
check "nestsw fdb flush dev vp1 removes N1 only" \
	after "fdb flush dev vp1" "$N4 vp4"
check "guest, local and static entries stay" others_kept

learn >/dev/null
check "nestsw fdb flush dev sw0 removes every learned entry" \
	after "fdb flush dev sw0"
check "guest, local and static entries stay" others_kept

learn >/dev/null
check "vp1 moving to port group nested2 forgets N1, vp4 keeps N4" \
	after "port set dev vp1 pg nested2" "$N4 vp4"

learn >/dev/null
check "learning off in nested forgets N4 (vp4), nested2's N1 stays" \
	after "pg set dev sw0 name nested learning off" "$N1 vp1"
frames_send "$tx_n4" "$N4" "$m2" 9003 1
check "and N4 is not learned again while learning is off" learned_is "$N1 vp1"
check "guest, local and static entries stay" others_kept

check "learning back on: N4 is learned again" \
	after "pg set dev sw0 name nested learning on" "$N1 vp1"
check "(after a frame from N4)" learn
nsw_ip "$sw" "link set vp1 nomaster"
check "vp1 leaving sw0 takes N1 (and its guest entry) along" learned_is "$N4 vp4"
check_fails "nestsw fdb flush dev vp1 is refused once vp1 is no port" \
	nsw_tool "$sw" fdb flush dev vp1

check_kmsg
ktap_finished

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A switch's configuration as a file: `nestsw showconf` prints it, and
# `nestsw setconf` on a fresh switch reproduces it exactly (round trip),
# enslaving the ports it lists; setconf also deletes the port groups and
# releases the ports the file lacks, and flushes the learned entries;
# --dry-run prints those changes and makes none.
# `nestsw syncconf` changes only what differs: while g2 pings g3, a change
# of another port group leaves vp1's learned entry and counters as they
# were, and the pings lose nothing.
#
#    vesx1 (N1)        g2             g3             g4         (tap t1)
#   +-----------+ +-----------+ +-----------+ +-----------+
#   |   eth0    | |   eth0    | |   eth0    | |   eth0    |
#   +-----|-----+ +-----|-----+ +-----|-----+ +-----|-----+
#         |             |             |             |
#   +----vp1-----------vp2-----------vp3-----------vp4-----------t1----+
#   |  PG vesx1       default       default      (released    PG acc10 |
#   |  trunk,         2 static      uplink        by setconf) vlan 10, |
#   |  learning on    entries                                 MACs set |
#   |                   sw0 10.0.0.1/24, default ageing 600            |
#   +------------------------------------------------------------------+
#                               netns sw
#
# N1 is a nested guest behind vesx1: frames.py frames with its own MAC.

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N1=02:00:00:00:01:01
S1=02:00:00:00:0b:01		# static entries on vp2
S2=02:00:00:00:0b:02
T1_INITIAL=02:00:00:00:0a:01	# the tap's guest MACs, set by the admin
T1_EFFECTIVE=02:00:00:00:0a:02

ktap_header
nsw_require ip ping
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 19
nsw_kmsg_mark
declare sw vesx1 g2 g3 g4
setup_ns sw vesx1 g2 g3 g4 || ktap_bail "cannot create namespaces"

A=$NSW_TMP/a.conf	# the configuration, as showconf printed it
B=$NSW_TMP/b.conf	# the same, port group acc10 in VLAN 20

nsw()
{
	nsw_tool "$sw" "$@"
}

configure()
{
	nsw policy set dev sw0 ageing 600 &&
	nsw pg add dev sw0 name vesx1 vlan trunk forged-transmits accept \
		learning on &&
	nsw pg add dev sw0 name acc10 vlan 10 mac-limit 100 &&
	nsw port set dev vp1 pg vesx1 &&
	nsw port set dev vp3 role uplink &&
	nsw port set dev t1 pg acc10 initial-mac $T1_INITIAL \
		effective-mac $T1_EFFECTIVE guest-promiscuous on &&
	nsw fdb add dev vp2 mac $S1 vlan 0 &&
	nsw fdb add dev vp2 mac $S2
}

declare tx_n1
setup()
{
	nsw_switch_add "$sw" sw0 10.0.0.1/24 &&
	nsw_veth_port "$sw" sw0 vp1 "$vesx1" &&
	nsw_veth_port "$sw" sw0 vp2 "$g2" 10.0.0.12/24 &&
	nsw_veth_port "$sw" sw0 vp3 "$g3" 10.0.0.13/24 &&
	nsw_ip "$sw" "link add vp4 type veth peer name eth0 netns $g4" &&
	nsw_tap_port "$sw" sw0 t1 &&
	configure &&
	frames_start tx_n1 "$vesx1" eth0
}
setup || ktap_bail "cannot build the topology"

# --- helpers --------------------------------------------------------------

# same_conf FILE: showconf prints FILE again
same_conf()
{
	nsw_showconf_to "$sw" sw0 "$NSW_TMP/now.conf" || return
	if ! diff -u "$1" "$NSW_TMP/now.conf" >"$NSW_TMP/diff"; then
		ktap_info "$(<"$NSW_TMP/diff")"
		return 1
	fi
}

learn_n1()
{
	frames_send "$tx_n1" "$N1" ff:ff:ff:ff:ff:ff 7001 3 &&
	busywait "$NSW_WAIT_MS" nsw_fdb_learned "$sw" sw0 vp1 "$N1"
}

# --- showconf ------------------------------------------------------------

learn_n1 || ktap_info "N1 was not learned on vp1"
check "showconf prints the switch, its port groups and ports" \
	nsw_showconf_to "$sw" sw0 "$A"
check "the file has the policy, groups, tap MACs and static entries" \
	nsw_conf_has "$A" "[Switch]" "ageing = 600" "name = vesx1" "vlan = trunk" \
	"forged-transmits = accept" "learning = on" "vlan = 10" \
	"mac-limit = 100" "dev = vp3" "role = uplink" \
	"initial-mac = $T1_INITIAL" "effective-mac = $T1_EFFECTIVE" \
	"guest-promiscuous = on" "fdb = $S1 vlan 0" "fdb = $S2"
check_fails "learned entries and veth peers' MACs are not in it" \
	grep -qiE "$N1|effective-mac = $(nsw_mac "$vesx1" eth0)" "$A"

# --- round trip ----------------------------------------------------------

# fresh_setconf FILE: sw0 deleted and created again, then setconf FILE
fresh_setconf()
{
	nsw_ip "$sw" "link del sw0" &&
	nsw_switch_add "$sw" sw0 10.0.0.1/24 &&
	nsw setconf sw0 "$1"
}

check "a fresh switch takes the file with setconf" fresh_setconf "$A"
check "setconf enslaved the ports the file lists" nsw_ports_are "$sw" sw0 t1 vp1 vp2 vp3
check "showconf then prints the same file" same_conf "$A"

# --- setconf removes what the file lacks ---------------------------------

strays()
{
	nsw pg add dev sw0 name stray && nsw port set dev vp2 pg stray &&
	nsw_ip "$sw" "link set vp4 master sw0"
}

# setconf_deletes FILE PG: setconf FILE deletes port group PG
setconf_deletes()
{
	nsw setconf sw0 "$1" && ! nsw pg show dev sw0 name "$2" 2>/dev/null
}

# dry_run_strays: setconf --dry-run of $A prints what setconf would do
dry_run_strays()
{
	local got want

	got=$(nsw setconf --dry-run sw0 "$A" | sed "s|^$A:[0-9]*: |A:N: |") || return
	want=$'release port vp4\nA:N: set port vp2 pg default\ndelete port group stray\nflush learned entries of the switch'
	echo "$got"
	[[ $got == "$want" ]] || { echo "want:"; echo "$want"; return 1; }
}

# strays_kept: the stray port group and port are still there
strays_kept()
{
	nsw_ports_are "$sw" sw0 t1 vp1 vp2 vp3 vp4 &&
	nsw port show dev vp2 | grep -q " pg stray "
}

check "a stray port group with a port, and a stray port" strays
check "setconf --dry-run prints the release, the move, the deletion and the flush" \
	dry_run_strays
check "...and changes nothing" strays_kept
check "setconf deletes the port group the file lacks" \
	setconf_deletes "$A" stray
check "setconf releases the port the file lacks" nsw_released "$sw" vp4
check "and leaves the switch as the file says" same_conf "$A"

# --- syncconf changes only what differs -----------------------------------

# ping_bg: g2 pings g3 for about 3 s, in the background
ping_bg()
{
	NSW_TRAFFIC=$((NSW_TRAFFIC + 1))
	__in_ns_bg "$g2" "exec ping -q -n -c 60 -i 0.05 10.0.0.13 \
		>$NSW_TMP/ping.out 2>&1 </dev/null"
}

# ping_clean: the background pings all came back
ping_clean()
{
	busywait 20000 __pid_gone "$NSW_BG_PID" || return
	if ! grep -q " 0% packet loss" "$NSW_TMP/ping.out"; then
		ktap_info "$(<"$NSW_TMP/ping.out")"
		return 1
	fi
}

syncconf_vlan20()
{
	nsw syncconf sw0 "$B" &&
	nsw pg show dev sw0 name acc10 | grep -q " vlan 20 "
}

# learned_is N: vp1's "learned" counter is N
learned_is()
{
	local got

	got=$(nsw_learn_stat "$sw" vp1 learned)
	[[ $got == "$1" ]] || { ktap_info "learned $got, was $1"; return 1; }
}

# setconf_stdin_flushes FILE: setconf - <FILE, and N1 is no longer learned
setconf_stdin_flushes()
{
	in_ns_sh "$sw" "$(printf %q "$NSW_TOOL") setconf sw0 - <$1" &&
	nsw_fdb_lacks "$sw" sw0 "$N1"
}

sed 's/^vlan = 10$/vlan = 20/' "$A" >"$B"
learn_n1 || ktap_info "N1 was not learned on vp1 again"
learned=$(nsw_learn_stat "$sw" vp1 learned)
ping_bg
check "syncconf moves port group acc10 to VLAN 20" syncconf_vlan20
check "vp1 keeps its learned N1 through syncconf" \
	nsw_fdb_learned "$sw" sw0 vp1 "$N1"
check "vp1's learning counters are as they were" learned_is "$learned"
check "g2's pings to g3 lose nothing meanwhile" ping_clean
# same_values_keep: the module keeps vp1's learned entries when a request
# sets what vp1 and its group have already (syncconf relies on it no more
# than on sending only what differs)
same_values_keep()
{
	nsw pg set dev sw0 name vesx1 vlan trunk learning on &&
	nsw port set dev vp1 pg vesx1 role guest &&
	nsw_fdb_learned "$sw" sw0 vp1 "$N1"
}
check "setting the values vp1 has already keeps its learned entries" \
	same_values_keep
check "setconf of the same file (from stdin) flushes the learned entries" \
	setconf_stdin_flushes "$B"

check_kmsg
ktap_finished

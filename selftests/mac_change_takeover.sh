#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A guest cannot take over a MAC learned on another port by changing its
# own MAC. Plain guest g (port group default: mac-changes reject) sets its
# eth0 to the MAC of a nested guest learned behind the nested hypervisor's
# port vn, then to the lab gateway's, learned on the uplink: both entries
# stay where they were learned, g's port gets no entry for either, frames
# to them still reach their owners and not g, and the owners' own frames
# are not dropped. Under mac-changes accept the same: the guest's MAC gets
# no entry, the kernel log says so, rate limited (g flips its MAC 60
# times). The admin's word does take over: `nestsw port set` of a tap's
# MACs removes the learned entry. Enslaving a veth whose guest already
# uses a learned MAC is refused.
#
#   netns n: eth0, sends as NG        netns gw: eth0 (GW), the gateway
#        |                                 |
#   +---vn (pg nested: learning on,   ----up0 (uplink)------------------+
#   |       forged-transmits accept)                                    |
#   |  sw0 (nestsw), netns sw                                           |
#   +---vg (default pg) ------vh (default pg) -----tp (tap, later)------+
#        |                     |
#   netns g: eth0 (mg) ->   netns h: eth0 (mh), sends to NG and GW
#   NG, GW...

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=3				# frames per case
NG=02:00:00:00:0b:01		# a nested guest behind vn
FLIPS=60			# MAC changes of the rate limit case
BURST=10			# net_ratelimit(): 10 lines per 5 s (sysctl)

ktap_header
nsw_require ip tcpdump
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 29
nsw_kmsg_mark
declare sw n gw g h x
setup_ns sw n gw g h x || ktap_bail "cannot create namespaces"

declare GW mg mh tx_n tx_gw tx_h cap_n cap_gw cap_g cap_h
setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_tool "$sw" pg add dev sw0 name nested learning on \
		forged-transmits accept &&
	nsw_tool "$sw" pg add dev sw0 name acc mac-changes accept &&
	nsw_veth_port "$sw" sw0 vn "$n" &&
	nsw_veth_port "$sw" sw0 up0 "$gw" &&
	nsw_veth_port "$sw" sw0 vg "$g" &&
	nsw_veth_port "$sw" sw0 vh "$h" &&
	nsw_tool "$sw" port set dev vn pg nested &&
	nsw_tool "$sw" port set dev up0 role uplink &&
	GW=$(nsw_mac "$gw" eth0) && mg=$(nsw_mac "$g" eth0) &&
	mh=$(nsw_mac "$h" eth0) &&
	frames_start tx_n "$n" eth0 &&
	frames_start tx_gw "$gw" eth0 &&
	frames_start tx_h "$h" eth0 &&
	cap_start cap_n "$n" eth0 &&
	cap_start cap_gw "$gw" eth0 &&
	cap_start cap_g "$g" eth0 &&
	cap_start cap_h "$h" eth0
}
setup || ktap_bail "cannot build the topology"

# fdb_has MAC WANT: sw0's FDB entries of MAC are exactly WANT ("PORT
# FLAGS" lines, VLAN "-" for every VLAN, as nsw_fdb_entries prints them)
fdb_has()
{
	local got

	got=$(nsw_fdb_entries "$sw" sw0 | grep "^$1 " | cut -d' ' -f2-)
	echo "entries of $1: ${got:-none}; want: ${2:-none}"
	[[ $got == "$2" ]]
}

# owners_reached PORT: h's frames to NG reach n and to GW reach the
# gateway, none reaches g; UDP ports PORT and PORT+1
owners_reached()
{
	frames_send "$tx_h" "$mh" "$NG" "$1" "$N" &&
	frames_send "$tx_h" "$mh" "$GW" $(($1 + 1)) "$N" || return
	check_seen "h's frames to NG reach n, to GW the gateway, none reaches g" \
		"$N" "$cap_n" "$(frame_re "$1")" \
		"$N" "$cap_gw" "$(frame_re $(($1 + 1)))" \
		0 "$cap_g" "$(frame_re "$1")" 0 "$cap_g" "$(frame_re $(($1 + 1)))"
}

# owners_send PORT: n (as NG) and the gateway send to h, who gets all
owners_send()
{
	nsw_drops_mark "$sw" &&
	frames_send "$tx_n" "$NG" "$mh" "$1" "$N" &&
	frames_send "$tx_gw" "$GW" "$mh" $(($1 + 1)) "$N" || return
	check_seen "NG's and GW's own frames still reach h" \
		"$N" "$cap_h" "$(frame_re "$1")" \
		"$N" "$cap_h" "$(frame_re $(($1 + 1)))"
	check_nsw_drops "none of them is dropped (no static-conflict)" "$sw"
}

# --- the owners become known ----------------------------------------------

frames_send "$tx_n" "$NG" "$mh" 7201 "$N"
frames_send "$tx_gw" "$GW" "$mh" 7202 "$N"
check_seen "the nested guest's and the gateway's frames reach h" \
	"$N" "$cap_h" "$(frame_re 7201)" "$N" "$cap_h" "$(frame_re 7202)"
# owners_learned: NG is learned on vn and GW on up0, nothing else of them
owners_learned()
{
	fdb_has "$NG" "0 vn learned" && fdb_has "$GW" "0 up0 learned"
}
check "NG is learned on vn and GW on up0" owners_learned

# --- under mac-changes reject ---------------------------------------------

check "g (mac-changes reject) sets its MAC to NG" \
	nsw_ip "$g" "link set eth0 address $NG"
check "NG stays learned on vn; vg has no entry for it" \
	fdb_has "$NG" "0 vn learned"
owners_reached 7210
check "g sets its MAC to GW, the gateway's" \
	nsw_ip "$g" "link set eth0 address $GW"
check "GW stays learned on up0; vg has no entry for it" \
	fdb_has "$GW" "0 up0 learned"
owners_reached 7212
owners_send 7214

# --- under mac-changes accept ---------------------------------------------

# kmsg_count FROM PATTERN: kernel log lines after line FROM with PATTERN
kmsg_count()
{
	dmesg | tail -n +$(($1 + 1)) | grep -c "$2"
}
check "vg joins port group acc (mac-changes accept) while g uses GW" \
	nsw_tool "$sw" port set dev vg pg acc
check "GW stays learned on up0; vg still has no entry for it" \
	fdb_has "$GW" "0 up0 learned"
logged_gw()
{
	(($(kmsg_count "$NSW_KMSG_LINES" "guest MAC $GW is in use elsewhere") >= 1))
}
check "the kernel log says GW is in use elsewhere" logged_gw
check "g sets its MAC to NG under accept" \
	nsw_ip "$g" "link set eth0 address $NG"
check "NG stays learned on vn; vg has no entry for it" \
	fdb_has "$NG" "0 vn learned"
owners_reached 7220
owners_send 7222

# flip ITERATIONS: g's MAC goes GW, NG, GW... in one ip -batch
flip()
{
	local i lines=()

	for ((i = 0; i < $1; i++)); do
		lines+=("link set eth0 address $GW" "link set eth0 address $NG")
	done
	nsw_ip "$g" "${lines[@]}"
}
from=$(dmesg | wc -l)
t0=$(date +%s)
check "g changes its MAC $((2 * FLIPS)) times between GW and NG" \
	flip "$FLIPS"
secs=$(($(date +%s) - t0))
nlines=$(kmsg_count "$from" "is in use elsewhere")
# the 5 s window may have begun before the flips: one burst more
bound=$((BURST * (secs / 5 + 2)))
ktap_info "$((2 * FLIPS)) refused MACs in $secs s: $nlines log lines"
rate_limited()
{
	((nlines >= 1 && nlines <= bound && nlines < 2 * FLIPS))
}
check "the kernel log line is rate limited (at most $bound in $secs s)" \
	rate_limited
check "NG stays learned on vn and GW on up0; vg has neither" owners_learned
owners_reached 7230

# --- the admin's word takes over ------------------------------------------

check "g takes its own MAC back" nsw_ip "$g" "link set eth0 address $mg"
tap_given_ng()
{
	nsw_tap_port "$sw" sw0 tp &&
	nsw_tool "$sw" port set dev tp initial-mac "$NG" effective-mac "$NG"
}
check "a tap port tp, given NG by the admin (nestsw port set)" tap_given_ng
check "NG is now tp's guest entry; the learned entry on vn is gone" \
	fdb_has "$NG" "- tp guest"

# --- enslaving a veth whose guest already uses a learned MAC ----------------

check "a veth vx whose guest (netns x) uses GW" \
	nsw_ip "$sw" "link add vx type veth peer name eth0 netns $x" \
		"link set vx up"
nsw_ip "$x" "link set eth0 address $GW" "link set eth0 up"
check_refused "enslaving vx is refused: GW is learned on up0" \
	"$sw" vx in_ns "$sw" ip link set vx master sw0
check "GW stays learned on up0" fdb_has "$GW" "0 up0 learned"

check_kmsg
ktap_finished

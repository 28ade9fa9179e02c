#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Known unicast never goes from one uplink out of another. A MAC learned
# on uplink up1 (or a static entry there) is in the physical network, and
# so is whoever sent the frame to it by up2: the frame is dropped and
# counted on up2 as no-destination, as unknown unicast from an uplink with
# no guest to go to is. Frames from a guest to that MAC still leave by up1
# (the uplink its port group names: a guest sends all by its own uplink),
# and frames from the physical network to a guest still reach it.
#
#   netns g: eth0 (mg)                      p1 sends from A (learned on up1)
#       |                                   S: a static entry on up1
#   +--vg------------------------------------------------------------+
#   |  sw0 (nestsw), netns sw                                        |
#   |       up1 (uplink)                         up2 (uplink)        |
#   +--------|------------------------------------|------------------+
#            | veth                               | veth
#   +--------|---------+                +---------|---------+
#   |  eth0  netns p1  |                |  eth0  netns p2   |
#   +------------------+                +-------------------+

# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=3				# frames per case
A=02:00:00:00:0a:01		# a host behind up1, learned there
S=02:00:00:00:0a:02		# a host behind up1, a static entry there

ktap_header
nsw_require ip tcpdump
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 9
nsw_kmsg_mark
declare sw g p1 p2
setup_ns sw g p1 p2 || ktap_bail "cannot create namespaces"

declare mg tx_g tx_p1 tx_p2 cap_g cap_p1 cap_p2
setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_veth_port "$sw" sw0 vg "$g" &&
	nsw_veth_port "$sw" sw0 up1 "$p1" &&
	nsw_veth_port "$sw" sw0 up2 "$p2" &&
	nsw_tool "$sw" port set dev up1 role uplink &&
	nsw_tool "$sw" port set dev up2 role uplink &&
	nsw_tool "$sw" fdb add dev up1 mac "$S" &&
	nsw_tool "$sw" pg add dev sw0 name g active-uplinks up1 &&
	nsw_tool "$sw" port set dev vg pg g &&
	mg=$(nsw_mac "$g" eth0) &&
	frames_start tx_g "$g" eth0 &&
	frames_start tx_p1 "$p1" eth0 &&
	frames_start tx_p2 "$p2" eth0 &&
	cap_start cap_g "$g" eth0 &&
	cap_start cap_p1 "$p1" eth0 &&
	cap_start cap_p2 "$p2" eth0
}
setup || ktap_bail "cannot build the topology"

# A becomes known behind up1: a frame from it to the guest
frames_send "$tx_p1" "$A" "$mg" 7101 "$N"
check_seen "A's frames from behind up1 reach the guest" \
	"$N" "$cap_g" "$(frame_re 7101)"
check "sw0 learned A on up1" nsw_fdb_learned "$sw" sw0 up1 "$A"

# p1's capture is live: the guest's frames to A and to S arrive there
frames_send "$tx_g" "$mg" "$A" 7102 "$N"
frames_send "$tx_g" "$mg" "$S" 7103 "$N"
check_seen "the guest's frames to A and to S leave by up1 alone" \
	"$N" "$cap_p1" "$(frame_re 7102)" "$N" "$cap_p1" "$(frame_re 7103)" \
	0 "$cap_p2" "$(frame_re 7102)" 0 "$cap_p2" "$(frame_re 7103)"

# --- from up2 to a MAC behind up1 ------------------------------------------

nsw_drops_mark "$sw"
frames_send "$tx_p2" "$(nsw_mac "$p2" eth0)" "$A" 7104 "$N"
check_seen "frames from behind up2 to A (learned on up1) do not leave by up1" \
	0 "$cap_p1" "$(frame_re 7104)" 0 "$cap_g" "$(frame_re 7104)"
check_nsw_drops "up2 counts them as no-destination" \
	"$sw" up2 no-destination "$N"

nsw_drops_mark "$sw"
frames_send "$tx_p2" "$(nsw_mac "$p2" eth0)" "$S" 7105 "$N"
check_seen "frames from behind up2 to S (static on up1) do not leave by up1" \
	0 "$cap_p1" "$(frame_re 7105)" 0 "$cap_g" "$(frame_re 7105)"
check_nsw_drops "up2 counts them as no-destination too" \
	"$sw" up2 no-destination "$N"

# --- from up2 to the guest -------------------------------------------------

frames_send "$tx_p2" "$(nsw_mac "$p2" eth0)" "$mg" 7106 "$N"
check_seen "frames from behind up2 to the guest still reach it, and not p1" \
	"$N" "$cap_g" "$(frame_re 7106)" 0 "$cap_p1" "$(frame_re 7106)"

check_kmsg
ktap_finished

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# MAC learning behind a port. A nested hypervisor's port in a port group
# with learning on learns the MACs of the nested guests behind it, so that
# frames to a nested guest go to that port alone: no promiscuous mode, no
# copy anywhere else. A plain guest port (learning off) learns nothing, and
# frames to a MAC behind it are unknown unicast, which never reach a plain
# guest port; unknown unicast reaches learning ports only while their port
# group has unknown-flood on.
#
# The nested guests N1 (behind vesx1) and N3 (behind g3) are frames.py
# senders with their own MACs on the vNIC (eth0) of their host.
#
#     vesx1 (N1)      g2           g3 (N3)        vesx4
#   +-----------+ +-----------+ +-----------+ +-----------+
#   |   eth0    | |   eth0    | |   eth0    | |   eth0    |
#   +-----|-----+ +-----|-----+ +-----|-----+ +-----|-----+
#         |             |             |             |
#   +----vp1-----------vp2-----------vp3-----------vp4-----+
#   |  PG nested       default      PG plain       PG nested|
#   |  learning on,               forged accept,          |
#   |  forged accept               learning off           |
#   |                     sw0 (no uplink)                 |
#   +-----------------------------------------------------+
#                          netns sw

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

N=3				# frames per case
N1=02:00:00:00:01:01		# a nested guest behind vesx1
N3=02:00:00:00:03:01		# one behind g3, a plain guest port

ktap_header
nsw_require ip tcpdump
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 19
nsw_kmsg_mark
declare sw vesx1 g2 g3 vesx4
setup_ns sw vesx1 g2 g3 vesx4 || ktap_bail "cannot create namespaces"

declare m2 tx_n1 tx_g2 tx_n3 cap_v1 cap_g2 cap_g3 cap_v4
setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_veth_port "$sw" sw0 vp1 "$vesx1" &&
	nsw_veth_port "$sw" sw0 vp2 "$g2" &&
	nsw_veth_port "$sw" sw0 vp3 "$g3" &&
	nsw_veth_port "$sw" sw0 vp4 "$vesx4" &&
	m2=$(nsw_mac "$g2" eth0) &&
	frames_start tx_n1 "$vesx1" eth0 &&
	frames_start tx_g2 "$g2" eth0 &&
	frames_start tx_n3 "$g3" eth0 &&
	cap_start cap_v1 "$vesx1" eth0 &&
	cap_start cap_g2 "$g2" eth0 &&
	cap_start cap_g3 "$g3" eth0 &&
	cap_start cap_v4 "$vesx4" eth0
}
setup || ktap_bail "cannot build the topology"

check "nestsw pg add dev sw0 name nested learning on forged-transmits accept" \
	nsw_tool "$sw" pg add dev sw0 name nested learning on forged-transmits accept
check "nestsw pg add dev sw0 name plain forged-transmits accept (learning off)" \
	nsw_tool "$sw" pg add dev sw0 name plain forged-transmits accept
check "vp1 and vp4 join nested, vp3 joins plain" \
	in_ns_sh "$sw" "$NSW_TOOL port set dev vp1 pg nested &&
		$NSW_TOOL port set dev vp4 pg nested &&
		$NSW_TOOL port set dev vp3 pg plain"

# --- a nested guest is learned behind its hypervisor's port ---------------

learned0=$(nsw_learn_stat "$sw" vp1 learned)
frames_send "$tx_n1" "$N1" "$m2" 6001 "$N"
check_seen "N1's frames from behind vesx1 reach g2" "$N" "$cap_g2" "$(frame_re 6001)"
check "sw0 learned N1 on vp1 (nestsw fdb show: learned, VLAN 0)" \
	nsw_fdb_learned "$sw" sw0 vp1 "$N1"
check_eq "vp1 counts one learned entry" \
	"$(($(nsw_learn_stat "$sw" vp1 learned) - learned0))/$(nsw_learn_stat "$sw" vp1 entries)" "1/1"
check "bridge fdb show lists it as a dynamic entry" \
	in_ns_sh "$sw" "bridge fdb show | grep -qE '^$N1 dev vp1 (vlan 0 )?master sw0 *\$'"

frames_send "$tx_g2" "$m2" "$N1" 6002 "$N"
check_seen "g2's frames to N1 go to vesx1 only" "$N" "$cap_v1" "$(frame_re 6002)"
check_seen "g3 and vesx4 get no copy" 0 "$cap_g3" "$(frame_re 6002)" 0 "$cap_v4" "$(frame_re 6002)"

# --- a plain guest port learns nothing ------------------------------------

frames_send "$tx_n3" "$N3" "$m2" 6003 "$N"
check_seen "N3's frames from behind g3 reach g2 (forged-transmits accept)" \
	"$N" "$cap_g2" "$(frame_re 6003)"
check "sw0 did not learn N3: vp3 is a plain guest port" nsw_fdb_lacks "$sw" sw0 "$N3"
check_eq "vp3 counts no learned entry" "$(nsw_learn_stat "$sw" vp3 entries)" 0

frames_send "$tx_g2" "$m2" "$N3" 6004 "$N"
check_seen "g2's frames to N3 are unknown unicast: g3, a plain guest, gets none" \
	0 "$cap_g3" "$(frame_re 6004)"
check_seen "the learning ports vesx1 and vesx4 get them (unknown-flood on)" \
	"$N" "$cap_v1" "$(frame_re 6004)" "$N" "$cap_v4" "$(frame_re 6004)"

# --- unknown-flood off ----------------------------------------------------

check "nestsw pg set dev sw0 name nested unknown-flood off" \
	nsw_tool "$sw" pg set dev sw0 name nested unknown-flood off
nsw_drops_mark "$sw"
frames_send "$tx_g2" "$m2" "$N3" 6005 "$N"
check_seen "then unknown unicast reaches neither vesx1, vesx4 nor g3" \
	0 "$cap_v1" "$(frame_re 6005)" 0 "$cap_v4" "$(frame_re 6005)" 0 "$cap_g3" "$(frame_re 6005)"
check_nsw_drops "with nowhere to go it is dropped on vp2 (no-destination)" \
	"$sw" vp2 no-destination "$N"
frames_send "$tx_g2" "$m2" "$N1" 6006 "$N"
check_seen "known unicast to N1 still reaches vesx1" "$N" "$cap_v1" "$(frame_re 6006)"

check_kmsg
ktap_finished

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The switch device does not take shared skbs: its transmit edits the
# frame (pulls the Ethernet header, takes tags out) and hands it to the
# ports' queues, so one skb sent many times over (pktgen's clone_skb,
# burst) would be edited and queued while still in flight. Like the
# bridge and veth it does not advertise IFF_TX_SKB_SHARING, and pktgen
# refuses clone_skb on it; a dummy device, which only frees what it is
# given, does advertise it and is accepted (the check is live).
#
#   dummy0      sw0            (netns sw, both on pktgen's thread of CPU 0)

# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

PG=/proc/net/pktgen

ktap_header
nsw_require ip
[[ -d $PG ]] || modprobe pktgen 2>/dev/null
[[ -d $PG ]] || ktap_skip_all "no pktgen in this kernel"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 4
nsw_kmsg_mark
declare sw
setup_ns sw || ktap_bail "cannot create namespaces"

# pg NS FILE CMD: write one pktgen command to FILE of NS's /proc/net/pktgen
pg()
{
	in_ns_sh "$1" "echo '$3' >$PG/$2"
}

setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_ip "$sw" "link add dummy0 type dummy" "link set dummy0 up" &&
	pg "$sw" kpktgend_0 "add_device sw0" &&
	pg "$sw" kpktgend_0 "add_device dummy0" &&
	defer pg "$sw" kpktgend_0 rem_device_all
}
setup || ktap_bail "cannot build the topology"

check "pktgen takes clone_skb 1 on dummy0 (it may share skbs)" \
	pg "$sw" dummy0 "clone_skb 1"
check_fails "pktgen refuses clone_skb 1 on sw0 (it may not)" \
	pg "$sw" sw0 "clone_skb 1"
check "pktgen still takes clone_skb 0 on sw0" pg "$sw" sw0 "clone_skb 0"
check_kmsg
ktap_finished

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# showconf's output reads back to the same switch, for every value it can
# print: the switch's policy with every key off its default; port groups
# that override every key with each of its values (the range ends of the
# numbers), one that overrides some, one that overrides none (inherits
# all, after a key was set and given back with "inherit"), the group
# default overriding; VLANs untagged, 1, 4094 and trunk; names of every
# allowed character; ports of both roles, a tap's initial and effective
# MACs, guest promiscuous on and off, a veth whose initial MAC differs
# from its peer's and one that follows it; static FDB entries in every
# VLAN (on an uplink), in VLAN 0, 1 and 4094, the same MAC in two VLANs
# (a MAC in every VLAN excludes it from each). showconf prints
# it, a fresh switch takes it with setconf, and showconf prints the same
# file again; the port groups, ports and static entries the tool shows
# are the same too.
#
#             g1           g2
#   +--------------+ +----------+
#   |     eth0     | |   eth0   |
#   +-------|------+ +-----|----+
#           | veth         | veth
#   +------vp1------------vp2------t1------t2------dm1------dm2----+
#   |      inherit        some    A.b_c-9  all-max  default  default|
#   |                             (tap)    (tap)    uplink   guest  |
#   |                          sw0                                  |
#   +---------------------------------------------------------------+
#                               netns sw

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

M1=02:00:00:00:0a:01	# t1's initial and effective MACs
M2=02:00:00:00:0a:02
M3=02:00:00:00:0a:03	# t2's
M4=02:00:00:00:0a:04	# vp2's initial MAC, not its peer's
S1=02:00:00:00:0b:01	# static entries
S3=02:00:00:00:0b:03
S4=02:00:00:00:0b:04

ktap_header
nsw_require ip
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 9
nsw_kmsg_mark
declare sw g1 g2
setup_ns sw g1 g2 || ktap_bail "cannot create namespaces"

A=$NSW_TMP/a.conf	# showconf of the switch as built
B=$NSW_TMP/b.conf
# group-fwd all, as showconf writes it
ALL_GROUPS=stp,pause,lacp,eapol,01:80:c2:00:00:04,01:80:c2:00:00:05
ALL_GROUPS+=,01:80:c2:00:00:06,01:80:c2:00:00:07,01:80:c2:00:00:08
ALL_GROUPS+=,01:80:c2:00:00:09,01:80:c2:00:00:0a,01:80:c2:00:00:0b
ALL_GROUPS+=,01:80:c2:00:00:0c,01:80:c2:00:00:0d,lldp,01:80:c2:00:00:0f	# showconf after setconf A on a fresh switch

nsw()
{
	nsw_tool "$sw" "$@"
}

configure()
{
	nsw policy set dev sw0 promiscuous accept mac-changes accept \
		forged-transmits accept learning on mac-limit 65536 \
		limit-policy allow unknown-flood off ageing 1000000 \
		group-fwd all &&
	nsw pg set dev sw0 name default vlan 1 learning off &&
	nsw pg add dev sw0 name A.b_c-9 vlan trunk promiscuous reject \
		mac-changes reject forged-transmits reject learning off \
		mac-limit 1 limit-policy drop unknown-flood on ageing 10 \
		group-fwd none trunk-vlans untagged,2,4-4094 \
		active-uplinks dm1,eth9 standby-uplinks dm2 &&
	nsw pg add dev sw0 name all-max vlan 4094 promiscuous accept \
		mac-changes accept forged-transmits accept learning on \
		mac-limit 65536 limit-policy allow unknown-flood off \
		ageing 1000000 group-fwd lacp,stp,01:80:c2:00:00:0D &&
	nsw pg add dev sw0 name some vlan 100 mac-limit 500 \
		forged-transmits reject team on &&
	nsw pg add dev sw0 name inherit learning on &&
	nsw pg set dev sw0 name inherit learning inherit &&
	nsw port set dev t1 pg A.b_c-9 initial-mac $M1 effective-mac $M2 \
		guest-promiscuous on &&
	nsw port set dev t2 pg all-max initial-mac $M3 effective-mac $M3 \
		guest-promiscuous off &&
	nsw port set dev vp1 pg inherit &&
	nsw port set dev vp2 pg some initial-mac $M4 &&
	nsw port set dev dm1 role uplink &&
	nsw fdb add dev t1 mac $S1 vlan 0 &&
	nsw fdb add dev t1 mac $S1 vlan 4094 &&
	nsw fdb add dev vp2 mac $S3 vlan 1 &&
	nsw fdb add dev dm1 mac $S4
}

setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_veth_port "$sw" sw0 vp1 "$g1" &&
	nsw_veth_port "$sw" sw0 vp2 "$g2" &&
	nsw_tap_port "$sw" sw0 t1 &&
	nsw_tap_port "$sw" sw0 t2 &&
	nsw_ip "$sw" "link add dm1 type dummy" "link set dm1 master sw0" \
		"link add dm2 type dummy" "link set dm2 master sw0" &&
	configure
}
setup || ktap_bail "cannot build the topology"

# shown: what the tool shows of sw0's configuration: port groups, ports,
# static entries but the switch's own (a new switch has a new MAC)
shown()
{
	nsw pg show dev sw0 | sort &&
	nsw port show | sort &&
	nsw fdb show dev sw0 | grep " static" | grep -v " dev sw0 " | sort
}

# A name a file cannot hold is refused (the module and tool once took it,
# and showconf printed "name = x ;y", read back as "x")
check_fails "a port group named \"x ;y\" is refused" \
	nsw pg add dev sw0 name "x ;y"
check "showconf prints the switch" nsw_showconf_to "$sw" sw0 "$A"
check "the file has every value" nsw_conf_has "$A" \
	"promiscuous = accept" "promiscuous = reject" \
	"mac-changes = accept" "mac-changes = reject" \
	"forged-transmits = accept" "forged-transmits = reject" \
	"learning = on" "learning = off" "mac-limit = 1" "mac-limit = 65536" \
	"mac-limit = 500" "limit-policy = allow" "limit-policy = drop" \
	"unknown-flood = on" "unknown-flood = off" "ageing = 10" \
	"ageing = 1000000" "vlan = untagged" "vlan = 1" "vlan = 100" \
	"vlan = 4094" "vlan = trunk" "name = A.b_c-9" "role = guest" \
	"role = uplink" "initial-mac = $M1" "effective-mac = $M2" \
	"initial-mac = $M4" "guest-promiscuous = on" \
	"guest-promiscuous = off" "fdb = $S1 vlan 0" "fdb = $S1 vlan 4094" \
	"fdb = $S3 vlan 1" "fdb = $S4" "group-fwd = none" "team = on" \
	"group-fwd = stp,lacp,01:80:c2:00:00:0d" "group-fwd = $ALL_GROUPS" \
	"trunk-vlans = untagged,2,4-4094" "active-uplinks = dm1,eth9" \
	"standby-uplinks = dm2"
# inherits_all: port group "inherit" has no policy key in the file
inherits_all()
{
	sed -n '/^name = inherit$/,/^$/p' "$A" >"$NSW_TMP/inherit"
	ktap_info "$(<"$NSW_TMP/inherit")"
	[[ $(wc -l <"$NSW_TMP/inherit") -le 3 ]] &&
	nsw_conf_has "$NSW_TMP/inherit" "vlan = untagged"
}
check "port group inherit, given back learning, sets no key" inherits_all
before=$(shown)

# fresh_setconf: sw0 deleted (its ports released) and created again, then
# setconf A
fresh_setconf()
{
	nsw_ip "$sw" "link del sw0" &&
	nsw_switch_add "$sw" sw0 &&
	nsw setconf sw0 "$A"
}
check "a fresh switch takes the file" fresh_setconf
check "showconf prints it again" nsw_showconf_to "$sw" sw0 "$B"
# same_file: B is A
same_file()
{
	diff -u "$A" "$B" >"$NSW_TMP/diff" && return
	ktap_info "$(<"$NSW_TMP/diff")"
	return 1
}
check "the file is the same" same_file
check_eq "port groups, ports and static entries show the same" \
	"$(shown)" "$before"

check_kmsg
ktap_finished

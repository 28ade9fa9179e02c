#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A generic netlink client that no one here wrote drives the nestsw family
# from its spec alone: YNL's cli.py (tools/net/ynl in linux-source-6.12)
# with Documentation/netlink/specs/nestsw.yaml. It creates a port group
# with a policy, sets the switch's default policy, moves ports, makes one
# attribute inherited again, and dumps ports and port groups; what it
# reads back agrees with the nestsw tool. A request the kernel refuses
# makes cli.py fail and print the kernel's extack message, and changes
# nothing.
#
# cli.py comes from build/linux-6.12 (the Makefile's
# build/linux-6.12/tools/net/ynl/cli.py target, made on the host before
# the VM boots: the guest sees the host's / read-only); without it the
# test is skipped.
#
#                         netns sw
#   +-----------------------------------------------------+
#   |  sw0 (nestsw)                                        |
#   |    vp1 (veth, peer vp1g here): guest, moved to vesx  |
#   |    vup (veth, peer vupg here): made an uplink        |
#   +-----------------------------------------------------+

# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

PY=/usr/bin/python3
YNL=${NSW_YNL:-$NSW_TOP/build/linux-6.12/tools/net/ynl}
CLI=$YNL/cli.py
SPEC=$NSW_TOP/Documentation/netlink/specs/nestsw.yaml

ktap_header
nsw_require ip "$PY"
[[ -f $CLI ]] || ktap_skip_all "no $CLI (make build/linux-6.12/tools/net/ynl/cli.py)"
"$PY" -c 'import yaml' 2>/dev/null || ktap_skip_all "python3-yaml not installed"
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 23
nsw_kmsg_mark
declare sw
setup_ns sw || ktap_bail "cannot create namespaces"

nsw_ip "$sw" "link add sw0 type nestsw" \
	"link add vp1 type veth peer name vp1g" \
	"link add vup type veth peer name vupg" \
	"link set vp1 master sw0" "link set vup master sw0" ||
	ktap_bail "cannot build the topology"

ifindex()
{
	local root idx

	root=$(ns_root "$sw")
	read -r idx <"$root/sys/class/net/$1/ifindex" && echo "$idx"
}
SW=$(ifindex sw0)
VP1=$(ifindex vp1)
VUP=$(ifindex vup)
GUEST_MAC=$(nsw_mac "$sw" vp1g)

# ynl ARGS...: cli.py on the spec, JSON output (the schema check is done
# once, below)
ynl()
{
	in_ns "$sw" "$PY" "$CLI" --spec "$SPEC" --no-schema --output-json "$@"
}

# check_json DESC PYEXPR JSON...: PYEXPR is true of the JSON texts, as
# a, b, ... (the values of a check are printed when it fails)
check_json()
{
	local desc=$1 expr=$2 out; shift 2

	# shellcheck disable=SC2016 # Python
	if out=$("$PY" -c '
import json, sys
names = "abcdefgh"
env = {names[i]: json.loads(t) for i, t in enumerate(sys.argv[2:])}
sys.exit(0 if eval("(" + sys.argv[1] + ")", {}, env) else 1)' "$expr" "$@" 2>&1); then
		ktap_ok "$desc"
		return 0
	fi
	ktap_info "$expr" "$@" "$out"
	ktap_fail "$desc"
	return 1
}

# --- changes through cli.py -------------------------------------------

ops=$(in_ns "$sw" "$PY" "$CLI" --spec "$SPEC" \
	--schema "$YNL/../../../Documentation/netlink/genetlink-legacy.yaml" --list-ops 2>&1)
check "cli.py validates the spec against YNL's genetlink-legacy schema and lists pg-new" \
	grep -q '^pg-new' <<<"$ops" || ktap_info "$ops"

check "cli.py pg-new vesx, vlan trunk, mac-changes and forged-transmits accept" \
	ynl --do pg-new --json "{\"switch-ifindex\": $SW, \"name\": \"vesx\",
		\"vlan\": 4095, \"policy\": {\"mac-changes\": \"accept\",
		\"forged-transmits\": \"accept\"}}"
pg=$(nsw_tool "$sw" -j pg show dev sw0 name vesx)
check_json "nestsw sees vesx: trunk, no port, the two keys set, promiscuous inherited" \
	'a[0]["name"] == "vesx" and a[0]["vlan"] == 4095 and a[0]["ports"] == 0
	 and a[0]["policy"] == {"mac-changes": "accept", "forged-transmits": "accept"}
	 and a[0]["effective"]["promiscuous"] == "reject"' "$pg"

check "cli.py switch-set promiscuous accept ageing 60" \
	ynl --do switch-set --json "{\"ifindex\": $SW, \"policy\": {\"promiscuous\": \"accept\", \"ageing\": 60}}"
pol=$(nsw_tool "$sw" -j policy show dev sw0)
pg=$(nsw_tool "$sw" -j pg show dev sw0 name vesx)
check_json "nestsw sees the switch's promiscuous accept and ageing 60, the other keys as they were" \
	'a[0]["policy"] == {"promiscuous": "accept", "mac-changes": "reject",
	 "forged-transmits": "reject", "learning": False, "mac-limit": 4096,
	 "limit-policy": "drop", "unknown-flood": True, "ageing": 60,
	 "group-fwd": []}' "$pol"
check_json "vesx inherits it: effective promiscuous accept, still not set by vesx" \
	'b[0]["effective"]["promiscuous"] == "accept" and "promiscuous" not in b[0]["policy"]' \
	"$pol" "$pg"

check "cli.py port-set vp1 pg vesx, and vup role uplink" \
	in_ns_sh "$sw" "
	$PY $CLI --spec $SPEC --no-schema --do port-set \
		--json '{\"ifindex\": $VP1, \"pg\": \"vesx\"}' &&
	$PY $CLI --spec $SPEC --no-schema --do port-set \
		--json '{\"ifindex\": $VUP, \"role\": \"uplink\"}'"
check "cli.py pg-set vesx inherit mac-changes (a flags attribute)" \
	ynl --do pg-set --json "{\"switch-ifindex\": $SW, \"name\": \"vesx\",
		\"inherit\": [\"mac-changes\"]}"
pg=$(nsw_tool "$sw" -j pg show dev sw0 name vesx)
check_json "nestsw sees vesx with one port, mac-changes inherited (reject), forged-transmits still set" \
	'a[0]["ports"] == 1 and a[0]["policy"] == {"forged-transmits": "accept"}
	 and a[0]["effective"]["mac-changes"] == "reject"' "$pg"

# --- reading through cli.py -------------------------------------------

ports=$(ynl --dump port-get)
tool_ports=$(nsw_tool "$sw" -j port show)
check_json "cli.py port dump: vp1 guest in vesx with its guest's MAC, vup uplink in default" \
	"{p['ifindex']: (p['role'], p['pg'], p.get('initial-mac'), p['follows-peer'])
	  for p in a} == {$VP1: ('guest', 'vesx', '$GUEST_MAC', 1),
			  $VUP: ('uplink', 'default', '$(nsw_mac "$sw" vupg)', 1)}" \
	"$ports"
check_json "the nestsw tool shows the same ports, port groups and roles" \
	'sorted((p["ifindex"], p["pg"], p["role"]) for p in a) ==
	 sorted((p["ifindex"], p["pg"], p["role"]) for p in b)' "$ports" "$tool_ports"
check_json "cli.py decodes the drop counters of each port (all zero)" \
	'all(set(p["drops"].values()) == {0} and "forged" in p["drops"] for p in a)' \
	"$ports"

pgs=$(ynl --dump pg-get --json "{\"switch-ifindex\": $SW}")
tool_pgs=$(nsw_tool "$sw" -j pg show dev sw0)
check_json "cli.py pg dump: default (1 port) and vesx (1 port, trunk)" \
	'sorted((g["name"], g["vlan"], g["ports"]) for g in a) ==
	 [("default", 0, 1), ("vesx", 4095, 1)]' "$pgs"
check_json "its effective policies are the nestsw tool's (group-fwd: a mask, a list)" \
	'{g["name"]: dict(g["effective-policy"], **{"group-fwd": g["effective-policy"]["group-fwd"] != 0}) for g in a} ==
	 {g["name"]: dict(g["effective"], **{"group-fwd": g["effective"]["group-fwd"] != []}) for g in b}' \
	"$pgs" "$tool_pgs"

sw_reply=$(ynl --do switch-get --json "{\"ifindex\": $SW}")
check_json "cli.py switch-get: sw0 with promiscuous accept" \
	'a["ifname"] == "sw0" and a["policy"]["promiscuous"] == "accept"' "$sw_reply"
check "cli.py switch-set group-fwd 16385 (bits 0 and 14)" \
	ynl --do switch-set --json "{\"ifindex\": $SW, \"policy\": {\"group-fwd\": 16385}}"
pol=$(nsw_tool "$sw" -j policy show dev sw0)
check_json "nestsw shows the switch's group-fwd as stp and lldp" \
	'a[0]["policy"]["group-fwd"] == ["stp", "lldp"]' "$pol"

# VLANs 10 (byte 1, bit 2) and 20 (byte 2, bit 4), in hex
VLANS_10_20=$("$PY" -c 'b = bytearray(512); b[1] = 4; b[2] = 16; print(b.hex())')
check "cli.py pg-set vesx trunk-vlans (a bitmap in hex), active-uplinks [vup]" \
	ynl --do pg-set --json "{\"switch-ifindex\": $SW, \"name\": \"vesx\",
		\"trunk-vlans\": \"$VLANS_10_20\", \"active-uplinks\": {\"name\": [\"vup\"]}}"
pg=$(nsw_tool "$sw" -j pg show dev sw0 name vesx)
check_json "nestsw shows vesx's trunk-vlans 10, 20 and active uplink vup" \
	'a[0]["trunk-vlans"] == [10, 20] and a[0]["active-uplinks"] == ["vup"]
	 and a[0]["standby-uplinks"] == []' "$pg"

# --- refusals through cli.py ------------------------------------------

# check_ynl_refused DESC MSG CLI-ARGS...: cli.py fails and prints the
# kernel's message MSG, and that the name attribute was the bad one
check_ynl_refused()
{
	local desc=$1 msg=$2 out; shift 2

	if out=$(ynl "$@" 2>&1); then
		ktap_info "cli.py $*: succeeded" "$out"
		ktap_fail "$desc"
		return 1
	fi
	if [[ $out != *"$msg"* || $out != *"'bad-attr': '.name'"* ]]; then
		ktap_info "cli.py $*:" "$out" \
			"want the kernel's message: $msg, and bad-attr .name"
		ktap_fail "$desc"
		return 1
	fi
	ktap_info "$(head -n 1 <<<"$out")" "$(grep -m 1 -F "$msg" <<<"$out")"
	ktap_ok "$desc"
}

pgs_before=$(nsw_tool "$sw" -j pg show dev sw0)
check_ynl_refused "cli.py pg-new vesx again fails with the kernel's message, naming the name" \
	"a port group of this name exists" \
	--do pg-new --json "{\"switch-ifindex\": $SW, \"name\": \"vesx\", \"vlan\": 7}"
check_ynl_refused "cli.py pg-del vesx, which has a port, fails with the kernel's message, naming the name" \
	"port group still has" \
	--do pg-del --json "{\"switch-ifindex\": $SW, \"name\": \"vesx\"}"
check_eq "the port groups are as they were" \
	"$(nsw_tool "$sw" -j pg show dev sw0)" "$pgs_before"

check_kmsg
ktap_finished

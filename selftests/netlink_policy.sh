#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The nestsw generic netlink family refuses every malformed or impossible
# request, for every command and attribute of the spec
# (Documentation/netlink/specs/nestsw.yaml) and of kmod/netlink.c's
# policies: values out of range, wrong sizes and types, attributes the
# command does not take, unknown or wrong devices and port groups, missing
# attributes, garbage in the policy nest. Each refusal has the right errno,
# an extack message, and points at the bad (or missing) attribute where
# netlink can carry that. A refused request changes nothing: a dump of
# every switch, port group and port is the same before and after. Without
# CAP_NET_ADMIN, every change command is refused (EPERM) and changes
# nothing, while gets and dumps still work; the same for root of a user
# namespace (unshare -U -r), which has no CAP_NET_ADMIN over netns sw. In
# a user namespace with a network namespace of its own, the dumps show
# only that namespace's switch, none of netns sw's.
#
# The requests are built by hand by selftests/nl_raw.py (a raw genetlink
# client), so that they can be wrong in ways the nestsw tool never is.
#
#                           netns sw
#   +-------------------------------------------------------------+
#   |  sw0 (nestsw)  forged-transmits accept        sw1 (nestsw)   |
#   |   PGs: default, lab (vlan 10, promiscuous       PG: other    |
#   |        accept), spare, trk (trunk of VLANs 10, 20)           |
#   |   ports: vp1 (veth, peer vp1g here; guest, default)          |
#   |          dm1 (dummy; guest, lab, MACs set by the admin)       |
#   |                                                             |
#   |  dm2 (dummy, not a port)                                    |
#   +-------------------------------------------------------------+

# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

PY=/usr/bin/python3
NL_RAW=$NSW_SELFTESTS/nl_raw.py
DM1_MAC=02:00:00:00:0d:01

ktap_header
nsw_require ip setpriv "$PY"
nsw_load || ktap_bail "cannot load nestsw"
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
declare sw
setup_ns sw || ktap_bail "cannot create namespaces"

setup()
{
	nsw_ip "$sw" "link add sw0 type nestsw" "link add sw1 type nestsw" \
		"link add vp1 type veth peer name vp1g" \
		"link add dm1 type dummy" "link add dm2 type dummy" \
		"link set vp1 master sw0" "link set dm1 master sw0" &&
	nsw_tool "$sw" policy set dev sw0 forged-transmits accept &&
	nsw_tool "$sw" pg add dev sw0 name lab vlan 10 promiscuous accept &&
	nsw_tool "$sw" pg add dev sw0 name spare &&
	nsw_tool "$sw" pg add dev sw0 name trk vlan trunk trunk-vlans 10,20 &&
	nsw_tool "$sw" pg add dev sw1 name other &&
	nsw_tool "$sw" port set dev dm1 pg lab initial-mac "$DM1_MAC" \
		effective-mac "$DM1_MAC"
}
setup || ktap_bail "cannot build the topology"

GUEST_MAC=$(nsw_mac "$sw" vp1g)	# vp1's guest: initial and effective MAC
SW_MAC=$(nsw_mac "$sw" sw0)	# the switch's own, static
FRESH=02:00:00:00:0e:01		# nobody's

# bits LEN VID...: a trunk-vlans bitmap of LEN bytes with the VIDs' bits,
# in hex
bits()
{
	"$PY" -c 'import sys
b = bytearray(int(sys.argv[1]))
for v in map(int, sys.argv[2:]):
    b[v // 8] |= 1 << v % 8
print(b.hex())' "$@"
}
BITS_10=$(bits 512 10)
BITS_4095=$(bits 512 10 4095)
BITS_NONE=$(bits 512)
BITS_SHORT=$(bits 511 10)
# names N [FIRST]: N uplink names u1..uN (from uFIRST), as nest members
names()
{
	local i out=()

	for ((i = ${2:-1}; i < ${2:-1} + $1; i++)); do
		out+=("1:str:u$i")
	done
	echo "${out[*]}"
}
NEW="pg-new 1:u32:@sw0 2:str:new1"

# Attribute numbers (uapi/linux/nestsw.h):
#   port:   1 ifindex, 2 switch-ifindex, 3 role, 4 pg, 5 initial-mac,
#           6 effective-mac, 7 guest-promiscuous, 8 follows-peer, 9 drops,
#           10 learning
#   switch: 1 ifindex, 2 ifname, 3 policy
#   pg:     1 switch-ifindex, 2 name, 3 vlan, 4 policy, 5 effective-policy,
#           6 inherit, 7 ports, 8 team, 9 trunk-vlans, 10 active-uplinks,
#           11 standby-uplinks
#   uplinks: 1 name
#   policy: 1 promiscuous, 2 mac-changes, 3 forged-transmits, 4 learning,
#           5 mac-limit, 6 limit-policy, 7 unknown-flood, 8 ageing,
#           9 group-fwd
#   fdb:    1 switch-ifindex, 2 port-ifindex, 3 mac, 4 vlan, 5 flags, 6 age
# Line: description ; errno ; where it points ; request (see nl_raw.py).
# An ifindex that names no device is ENODEV; a device of the wrong kind
# (not a switch, not a port) is EINVAL, as kmod/netlink.c answers.
# A nest shorter than an attribute header is EINVAL on 6.1, ERANGE on 6.12
# (the netlink core's choice).
REFUSALS=$(cat <<EOF
port-get without ifindex ; EINVAL ; miss:1 ; port-get
port-get of ifindex 0 ; ERANGE ; bad:1 ; port-get 1:u32:0
port-get of an unknown ifindex ; ENODEV ; bad:1 ; port-get 1:u32:99999
port-get of a device that is no port (dm2) ; EINVAL ; bad:1 ; port-get 1:u32:@dm2
port-get of the switch itself ; EINVAL ; bad:1 ; port-get 1:u32:@sw0
port-get with the ifindex as a u8 ; EINVAL ; bad:1 ; port-get 1:u8:5
port-get with attribute 0 ; EINVAL ; bad:0 ; port-get 0:u32:1 1:u32:@vp1
port-get with role, which it does not take ; EINVAL ; bad:3 ; port-get 1:u32:@vp1 3:u32:0
port-get with an unknown attribute 200 ; EINVAL ; bad:200 ; port-get 1:u32:@vp1 200:u32:0
port dump filtered by switch-ifindex 0 ; ERANGE ; bad?:2 ; port-get dump 2:u32:0
port dump filtered by an unknown switch ; ENODEV ; bad?:2 ; port-get dump 2:u32:99999
port dump filtered by a device that is no switch (dm2) ; EINVAL ; bad?:2 ; port-get dump 2:u32:@dm2
port dump with pg, which it does not take ; EINVAL ; bad?:4 ; port-get dump 4:str:lab
port-set without ifindex ; EINVAL ; miss:1 ; port-set 3:u32:1
port-set of ifindex 0 ; ERANGE ; bad:1 ; port-set 1:u32:0 3:u32:1
port-set of an unknown ifindex ; ENODEV ; bad:1 ; port-set 1:u32:99999 3:u32:1
port-set of a device that is no port (dm2) ; EINVAL ; bad:1 ; port-set 1:u32:@dm2 3:u32:1
port-set of the switch itself ; EINVAL ; bad:1 ; port-set 1:u32:@sw0 3:u32:1
port-set role 2 ; ERANGE ; bad:3 ; port-set 1:u32:@dm1 3:u32:2
port-set role as a u8 ; EINVAL ; bad:3 ; port-set 1:u32:@dm1 3:u8:1
port-set pg that does not exist ; ENOENT ; bad:4 ; port-set 1:u32:@dm1 4:str:nosuch
port-set pg of another switch (sw1's other) ; ENOENT ; bad:4 ; port-set 1:u32:@dm1 4:str:other
port-set pg name without its NUL ; EINVAL ; bad:4 ; port-set 1:u32:@dm1 4:strz:spare
port-set pg name of 16 characters ; EINVAL ; bad:4 ; port-set 1:u32:@dm1 4:str:abcdefghijklmnop
port-set initial-mac of 5 bytes ; ERANGE ; bad:5 ; port-set 1:u32:@dm1 5:hex:02000000aa
port-set initial-mac of 7 bytes ; ERANGE ; bad:5 ; port-set 1:u32:@dm1 5:hex:02000000aa0101
port-set initial-mac multicast ; EINVAL ; bad:5 ; port-set 1:u32:@dm1 5:mac:01:00:5e:00:00:01
port-set initial-mac all zeros ; EINVAL ; bad:5 ; port-set 1:u32:@dm1 5:mac:00:00:00:00:00:00
port-set effective-mac of 5 bytes ; ERANGE ; bad:6 ; port-set 1:u32:@dm1 6:hex:02000000aa
port-set effective-mac broadcast ; EINVAL ; bad:6 ; port-set 1:u32:@dm1 6:mac:ff:ff:ff:ff:ff:ff
port-set initial-mac in use by vp1's guest (bug 4) ; EEXIST ; bad:5 ; port-set 1:u32:@dm1 5:mac:$GUEST_MAC
port-set effective-mac in use by the switch (bug 4) ; EEXIST ; bad:6 ; port-set 1:u32:@dm1 6:mac:$SW_MAC
port-set pg spare with an initial-mac in use: neither applied (bug 4) ; EEXIST ; bad:5 ; port-set 1:u32:@dm1 4:str:spare 5:mac:$GUEST_MAC
port-set a fresh initial-mac with an effective-mac in use: neither applied (bug 4) ; EEXIST ; bad:6 ; port-set 1:u32:@dm1 5:mac:$FRESH 6:mac:$GUEST_MAC
port-set role uplink with a pg that does not exist: role not applied ; ENOENT ; bad:4 ; port-set 1:u32:@dm1 3:u32:1 4:str:nosuch
port-set guest-promiscuous 2 ; ERANGE ; bad:7 ; port-set 1:u32:@dm1 7:u8:2
port-set guest-promiscuous as a u32 ; EINVAL ; bad:7 ; port-set 1:u32:@dm1 7:u32:1
port-set effective-mac of a veth port, which follows its peer ; EOPNOTSUPP ; bad:6 ; port-set 1:u32:@vp1 6:mac:$FRESH
port-set guest-promiscuous of a veth port ; EOPNOTSUPP ; bad:7 ; port-set 1:u32:@vp1 7:u8:1
port-set switch-ifindex, which it does not take ; EINVAL ; bad:2 ; port-set 1:u32:@dm1 2:u32:@sw1
port-set follows-peer (replies only) ; EINVAL ; bad:8 ; port-set 1:u32:@dm1 8:u8:1
port-set drops (replies only) ; EINVAL ; bad:9 ; port-set 1:u32:@dm1 9:nest:[1:u64:0]
port-set learning (replies only) ; EINVAL ; bad:10 ; port-set 1:u32:@dm1 10:nest:[1:u32:0]
switch-get without ifindex ; EINVAL ; miss:1 ; switch-get
switch-get of ifindex 0 ; ERANGE ; bad:1 ; switch-get 1:u32:0
switch-get of an unknown ifindex ; ENODEV ; bad:1 ; switch-get 1:u32:99999
switch-get of a port (vp1) ; EINVAL ; bad:1 ; switch-get 1:u32:@vp1
switch-get with the ifindex as a u64 ; EINVAL ; bad:1 ; switch-get 1:u64:1
switch-get with ifname, which it does not take ; EINVAL ; bad:2 ; switch-get 1:u32:@sw0 2:str:sw0
switch-set without ifindex ; EINVAL ; miss:1 ; switch-set 3:nest:[1:u32:1]
switch-set of an unknown ifindex ; ENODEV ; bad:1 ; switch-set 1:u32:99999 3:nest:[1:u32:1]
switch-set of a device that is no switch (dm2) ; EINVAL ; bad:1 ; switch-set 1:u32:@dm2 3:nest:[1:u32:1]
switch-set promiscuous 2 ; ERANGE ; bad:3/1 ; switch-set 1:u32:@sw0 3:nest:[1:u32:2]
switch-set mac-changes 2 ; ERANGE ; bad:3/2 ; switch-set 1:u32:@sw0 3:nest:[2:u32:2]
switch-set promiscuous accept with forged-transmits 2: neither applied ; ERANGE ; bad:3/3 ; switch-set 1:u32:@sw0 3:nest:[1:u32:1 3:u32:2]
switch-set a verdict as a u8 ; EINVAL ; bad:3/1 ; switch-set 1:u32:@sw0 3:nest:[1:u8:1]
switch-set an unknown attribute 10 in the policy ; EINVAL ; bad:3/10 ; switch-set 1:u32:@sw0 3:nest:[1:u32:1 10:u32:1]
switch-set learning 2 ; ERANGE ; bad:3/4 ; switch-set 1:u32:@sw0 3:nest:[4:u32:2]
switch-set mac-limit 0 ; ERANGE ; bad:3/5 ; switch-set 1:u32:@sw0 3:nest:[5:u32:0]
switch-set mac-limit 65537 ; ERANGE ; bad:3/5 ; switch-set 1:u32:@sw0 3:nest:[5:u32:65537]
switch-set limit-policy 2 ; ERANGE ; bad:3/6 ; switch-set 1:u32:@sw0 3:nest:[6:u32:2]
switch-set unknown-flood 2 ; ERANGE ; bad:3/7 ; switch-set 1:u32:@sw0 3:nest:[7:u32:2]
switch-set ageing 9 ; ERANGE ; bad:3/8 ; switch-set 1:u32:@sw0 3:nest:[8:u32:9]
switch-set ageing 1000001 ; ERANGE ; bad:3/8 ; switch-set 1:u32:@sw0 3:nest:[8:u32:1000001]
switch-set group-fwd 0x10000 (past 01:80:c2:00:00:0f) ; EINVAL ; bad:3/9 ; switch-set 1:u32:@sw0 3:nest:[9:u32:0x10000]
switch-set group-fwd as a u16 ; EINVAL ; bad:3/9 ; switch-set 1:u32:@sw0 3:nest:[9:u16:1]
switch-set mac-limit as a u16 ; EINVAL ; bad:3/5 ; switch-set 1:u32:@sw0 3:nest:[5:u16:10]
switch-set attribute 0 in the policy ; EINVAL ; bad:3/0 ; switch-set 1:u32:@sw0 3:nest:[0:u32:1]
switch-set a nested attribute in the policy ; EINVAL ; bad:3/1 ; switch-set 1:u32:@sw0 3:nest:[1:nest:[1:u32:1]]
switch-set a policy without NLA_F_NESTED ; EINVAL ; bad:3 ; switch-set 1:u32:@sw0 3:nonest:[1:u32:1]
switch-set a policy of 2 bytes ; EINVAL|ERANGE ; bad:3 ; switch-set 1:u32:@sw0 3:nesthex:0101
switch-set a policy holding an attribute longer than the nest ; EINVAL ; - ; switch-set 1:u32:@sw0 3:nesthex:ff00010001000000
switch-set a policy with trailing bytes ; EINVAL ; - ; switch-set 1:u32:@sw0 3:nesthex:080001000100000001
switch-set ifname, which it does not take ; EINVAL ; bad:2 ; switch-set 1:u32:@sw0 2:str:sw9
switch-set an unknown attribute 4 ; EINVAL ; bad:4 ; switch-set 1:u32:@sw0 4:u32:0
pg-new without switch-ifindex ; EINVAL ; miss:1 ; pg-new 2:str:new1
pg-new without name ; EINVAL ; miss:2 ; pg-new 1:u32:@sw0
pg-new in switch ifindex 0 ; ERANGE ; bad:1 ; pg-new 1:u32:0 2:str:new1
pg-new in an unknown switch ; ENODEV ; bad:1 ; pg-new 1:u32:99999 2:str:new1
pg-new in a port (vp1) ; EINVAL ; bad:1 ; pg-new 1:u32:@vp1 2:str:new1
pg-new of an existing name (lab) ; EEXIST ; bad:2 ; pg-new 1:u32:@sw0 2:str:lab
pg-new of default ; EEXIST ; bad:2 ; pg-new 1:u32:@sw0 2:str:default
pg-new with an empty name ; EINVAL ; bad:2 ; pg-new 1:u32:@sw0 2:str:
pg-new with a name without its NUL ; EINVAL ; bad:2 ; pg-new 1:u32:@sw0 2:strz:new1
pg-new with a name of 16 characters ; EINVAL ; bad:2 ; pg-new 1:u32:@sw0 2:str:abcdefghijklmnop
pg-new vlan 4096 ; ERANGE ; bad:3 ; pg-new 1:u32:@sw0 2:str:new1 3:u16:4096
pg-new vlan as a u32 ; EINVAL ; bad:3 ; pg-new 1:u32:@sw0 2:str:new1 3:u32:10
pg-new mac-changes 2 ; ERANGE ; bad:4/2 ; pg-new 1:u32:@sw0 2:str:new1 4:nest:[2:u32:2]
pg-new an unknown attribute 10 in the policy ; EINVAL ; bad:4/10 ; pg-new 1:u32:@sw0 2:str:new1 4:nest:[10:u32:0]
pg-new group-fwd 0x80000001: nothing created ; EINVAL ; bad:4/9 ; pg-new 1:u32:@sw0 2:str:new1 4:nest:[9:u32:0x80000001]
pg-new learning on with ageing 9: nothing created ; ERANGE ; bad:4/8 ; pg-new 1:u32:@sw0 2:str:new1 4:nest:[4:u32:1 8:u32:9]
pg-new a policy without NLA_F_NESTED ; EINVAL ; bad:4 ; pg-new 1:u32:@sw0 2:str:new1 4:nonest:[1:u32:1]
pg-new a policy of 3 bytes ; EINVAL|ERANGE ; bad:4 ; pg-new 1:u32:@sw0 2:str:new1 4:nesthex:010203
pg-new with inherit ; EINVAL ; bad:6 ; pg-new 1:u32:@sw0 2:str:new1 6:u32:1
pg-new with effective-policy (replies only) ; EINVAL ; bad:5 ; pg-new 1:u32:@sw0 2:str:new1 5:nest:[1:u32:1]
pg-new with ports (replies only) ; EINVAL ; bad:7 ; pg-new 1:u32:@sw0 2:str:new1 7:u32:0
pg-new team 2: nothing created ; ERANGE ; bad:8 ; pg-new 1:u32:@sw0 2:str:new1 8:u8:2
pg-new team as a u32 ; EINVAL ; bad:8 ; pg-new 1:u32:@sw0 2:str:new1 8:u32:1
pg-new trunk-vlans of 511 bytes ; EINVAL|ERANGE ; bad:9 ; $NEW 3:u16:4095 9:hex:$BITS_SHORT
pg-new trunk-vlans with VLAN 4095: nothing created ; EINVAL ; bad:9 ; $NEW 3:u16:4095 9:hex:$BITS_4095
pg-new trunk-vlans of no VLAN ; EINVAL ; bad:9 ; $NEW 3:u16:4095 9:hex:$BITS_NONE
pg-new trunk-vlans for an access group (vlan 10) ; EINVAL ; bad:9 ; $NEW 3:u16:10 9:hex:$BITS_10
pg-new trunk-vlans for an untagged group (no vlan) ; EINVAL ; bad:9 ; $NEW 9:hex:$BITS_10
pg-new active-uplinks without NLA_F_NESTED ; EINVAL ; bad:10 ; $NEW 10:nonest:[1:str:eth1]
pg-new active-uplinks with an unknown attribute 2 ; EINVAL ; bad:10/2 ; $NEW 10:nest:[2:str:eth1]
pg-new active-uplinks with a name of 16 characters ; EINVAL ; bad:10/1 ; $NEW 10:nest:[1:str:abcdefghijklmnop]
pg-new active-uplinks with an empty name ; EINVAL ; bad:10/1 ; $NEW 10:nest:[1:str:]
pg-new active-uplinks with a name with a slash ; EINVAL ; bad:10/1 ; $NEW 10:nest:[1:str:a%2Fb]
pg-new active-uplinks with a name without its NUL ; EINVAL ; bad:10/1 ; $NEW 10:nest:[1:strz:eth1]
pg-new active-uplinks as a string ; EINVAL ; bad:10 ; $NEW 10:str:eth1
pg-new standby-uplinks of 33 names ; EINVAL ; bad:11/1 ; $NEW 11:nest:[$(names 33)]
pg-new 20 active and 13 standby uplinks ; EINVAL ; bad:11 ; $NEW 10:nest:[$(names 20)] 11:nest:[$(names 13 21)]
pg-new eth1 both active and standby ; EINVAL ; bad:11 ; $NEW 10:nest:[1:str:eth1] 11:nest:[1:str:eth1]
pg-set without switch-ifindex ; EINVAL ; miss:1 ; pg-set 2:str:lab 3:u16:20
pg-set without name ; EINVAL ; miss:2 ; pg-set 1:u32:@sw0 3:u16:20
pg-set in an unknown switch ; ENODEV ; bad:1 ; pg-set 1:u32:99999 2:str:lab 3:u16:20
pg-set in a port (vp1) ; EINVAL ; bad:1 ; pg-set 1:u32:@vp1 2:str:lab 3:u16:20
pg-set of a pg that does not exist ; ENOENT ; bad:2 ; pg-set 1:u32:@sw0 2:str:nosuch 3:u16:20
pg-set of another switch's pg (other) ; ENOENT ; bad:2 ; pg-set 1:u32:@sw0 2:str:other 3:u16:20
pg-set vlan 4096 ; ERANGE ; bad:3 ; pg-set 1:u32:@sw0 2:str:lab 3:u16:4096
pg-set vlan 65535 ; ERANGE ; bad:3 ; pg-set 1:u32:@sw0 2:str:lab 3:u16:65535
pg-set forged-transmits 2 ; ERANGE ; bad:4/3 ; pg-set 1:u32:@sw0 2:str:lab 4:nest:[3:u32:2]
pg-set a verdict as a u16 ; EINVAL ; bad:4/1 ; pg-set 1:u32:@sw0 2:str:lab 4:nest:[1:u16:1]
pg-set inherit with an unknown bit (512) ; EINVAL ; bad:6 ; pg-set 1:u32:@sw0 2:str:lab 6:u32:512
pg-set group-fwd both set and inherited ; EINVAL ; bad:6 ; pg-set 1:u32:@sw0 2:str:lab 4:nest:[9:u32:1] 6:u32:256
pg-set mac-limit 65537 with vlan 20: neither applied ; ERANGE ; bad:4/5 ; pg-set 1:u32:@sw0 2:str:lab 3:u16:20 4:nest:[5:u32:65537]
pg-set learning both set and inherited ; EINVAL ; bad:6 ; pg-set 1:u32:@sw0 2:str:lab 4:nest:[4:u32:1] 6:u32:8
pg-set inherit 0xffffffff ; EINVAL ; bad:6 ; pg-set 1:u32:@sw0 2:str:lab 6:u32:0xffffffff
pg-set inherit as a u8 ; EINVAL ; bad:6 ; pg-set 1:u32:@sw0 2:str:lab 6:u8:1
pg-set vlan 20 with promiscuous both set and inherited: nothing applied ; EINVAL ; bad:6 ; pg-set 1:u32:@sw0 2:str:lab 3:u16:20 4:nest:[1:u32:0] 6:u32:1
pg-set with ports (replies only) ; EINVAL ; bad:7 ; pg-set 1:u32:@sw0 2:str:lab 7:u32:5
pg-set team 2 with vlan 20: neither applied ; ERANGE ; bad:8 ; pg-set 1:u32:@sw0 2:str:lab 3:u16:20 8:u8:2
pg-set vlan 10 of trk, a trunk of some VLANs ; EINVAL ; bad:3 ; pg-set 1:u32:@sw0 2:str:trk 3:u16:10
pg-set trunk-vlans of lab (access 10) ; EINVAL ; bad:9 ; pg-set 1:u32:@sw0 2:str:lab 9:hex:$BITS_10
pg-set eth1 twice in active-uplinks, with vlan 20: nothing applied ; EINVAL ; bad:10 ; pg-set 1:u32:@sw0 2:str:lab 3:u16:20 10:nest:[1:str:eth1 1:str:eth1]
pg-set 33 active uplinks, with team 1: nothing applied ; EINVAL ; bad:10/1 ; pg-set 1:u32:@sw0 2:str:lab 8:u8:1 10:nest:[$(names 33)]
pg-del without switch-ifindex ; EINVAL ; miss:1 ; pg-del 2:str:spare
pg-del without name ; EINVAL ; miss:2 ; pg-del 1:u32:@sw0
pg-del in an unknown switch ; ENODEV ; bad:1 ; pg-del 1:u32:99999 2:str:spare
pg-del in a device that is no switch (dm2) ; EINVAL ; bad:1 ; pg-del 1:u32:@dm2 2:str:spare
pg-del of a pg that does not exist ; ENOENT ; bad:2 ; pg-del 1:u32:@sw0 2:str:nosuch
pg-del of default ; EPERM ; bad:2 ; pg-del 1:u32:@sw0 2:str:default
pg-del of lab, which has a port ; EBUSY ; bad:2 ; pg-del 1:u32:@sw0 2:str:lab
pg-del with a name without its NUL ; EINVAL ; bad:2 ; pg-del 1:u32:@sw0 2:strz:spare
pg-del with vlan, which it does not take ; EINVAL ; bad:3 ; pg-del 1:u32:@sw0 2:str:spare 3:u16:0
pg-get without switch-ifindex ; EINVAL ; miss:1 ; pg-get 2:str:lab
pg-get without name ; EINVAL ; miss:2 ; pg-get 1:u32:@sw0
pg-get in an unknown switch ; ENODEV ; bad:1 ; pg-get 1:u32:99999 2:str:lab
pg-get of a pg that does not exist ; ENOENT ; bad:2 ; pg-get 1:u32:@sw0 2:str:nosuch
pg-get with vlan, which it does not take ; EINVAL ; bad:3 ; pg-get 1:u32:@sw0 2:str:lab 3:u16:0
pg dump without switch-ifindex ; EINVAL ; - ; pg-get dump
pg dump of an unknown switch ; ENODEV ; bad?:1 ; pg-get dump 1:u32:99999
pg dump of a port (vp1) ; EINVAL ; bad?:1 ; pg-get dump 1:u32:@vp1
pg dump of switch ifindex 0 ; ERANGE ; bad?:1 ; pg-get dump 1:u32:0
fdb-new without port-ifindex ; EINVAL ; miss:2 ; fdb-new 3:mac:$FRESH
fdb-new without mac ; EINVAL ; miss:3 ; fdb-new 2:u32:@vp1
fdb-new on an unknown port ; ENODEV ; bad:2 ; fdb-new 2:u32:99999 3:mac:$FRESH
fdb-new on the switch itself ; EINVAL ; bad:2 ; fdb-new 2:u32:@sw0 3:mac:$FRESH
fdb-new with a mac of 5 bytes ; ERANGE ; bad:3 ; fdb-new 2:u32:@vp1 3:hex:02000000aa
fdb-new with a multicast mac ; EINVAL ; bad:3 ; fdb-new 2:u32:@vp1 3:mac:01:00:5e:00:00:01
fdb-new vlan 4095 ; ERANGE ; bad:4 ; fdb-new 2:u32:@vp1 3:mac:$FRESH 4:u16:4095
fdb-new vlan as a u32 ; EINVAL ; bad:4 ; fdb-new 2:u32:@vp1 3:mac:$FRESH 4:u32:10
fdb-new of vp1's guest MAC on dm1 ; EEXIST ; bad:3 ; fdb-new 2:u32:@dm1 3:mac:$GUEST_MAC
fdb-new of the switch's MAC in VLAN 5 ; EEXIST ; bad:3 ; fdb-new 2:u32:@dm1 3:mac:$SW_MAC 4:u16:5
fdb-new with flags (replies only) ; EINVAL ; bad:5 ; fdb-new 2:u32:@vp1 3:mac:$FRESH 5:u32:1
fdb-new with age (replies only) ; EINVAL ; bad:6 ; fdb-new 2:u32:@vp1 3:mac:$FRESH 6:u32:1
fdb-new with switch-ifindex, which it does not take ; EINVAL ; bad:1 ; fdb-new 1:u32:@sw0 2:u32:@vp1 3:mac:$FRESH
fdb-del of an entry that does not exist ; ENOENT ; bad:3 ; fdb-del 2:u32:@vp1 3:mac:$FRESH
fdb-del of vp1's guest entry ; EINVAL ; bad:3 ; fdb-del 2:u32:@vp1 3:mac:$GUEST_MAC
fdb-del of vp1's guest entry through dm1 ; EINVAL ; bad:3 ; fdb-del 2:u32:@dm1 3:mac:$GUEST_MAC
fdb-del without mac ; EINVAL ; miss:3 ; fdb-del 2:u32:@vp1
fdb dump without a switch or a port ; EINVAL ; - ; fdb-get dump
fdb dump of an unknown device ; ENODEV ; bad?:1 ; fdb-get dump 1:u32:99999
fdb dump of a port given as the switch ; EINVAL ; bad?:1 ; fdb-get dump 1:u32:@vp1
fdb dump of the switch given as a port ; EINVAL ; bad?:2 ; fdb-get dump 2:u32:@sw0
fdb dump with mac, which it does not take ; EINVAL ; bad?:3 ; fdb-get dump 1:u32:@sw0 3:mac:$FRESH
fdb-flush without a switch or a port ; EINVAL ; miss:1 ; fdb-flush
fdb-flush of an unknown port ; ENODEV ; bad:2 ; fdb-flush 2:u32:99999
fdb-flush of the switch given as a port ; EINVAL ; bad:2 ; fdb-flush 2:u32:@sw0
fdb-flush of a port given as the switch ; EINVAL ; bad:1 ; fdb-flush 1:u32:@vp1
fdb-flush with vlan, which it does not take ; EINVAL ; bad:4 ; fdb-flush 1:u32:@sw0 4:u16:1
EOF
)

# Without CAP_NET_ADMIN: each change refused before the family sees it;
# reading still works.
UNPRIV=$(cat <<EOF
without CAP_NET_ADMIN, port-set is refused ; EPERM ; nomsg ; port-set 1:u32:@dm1 3:u32:1
without CAP_NET_ADMIN, switch-set is refused ; EPERM ; nomsg ; switch-set 1:u32:@sw0 3:nest:[1:u32:1]
without CAP_NET_ADMIN, pg-new is refused ; EPERM ; nomsg ; pg-new 1:u32:@sw0 2:str:new1
without CAP_NET_ADMIN, pg-set is refused ; EPERM ; nomsg ; pg-set 1:u32:@sw0 2:str:lab 3:u16:20
without CAP_NET_ADMIN, pg-del is refused ; EPERM ; nomsg ; pg-del 1:u32:@sw0 2:str:spare
without CAP_NET_ADMIN, fdb-new is refused ; EPERM ; nomsg ; fdb-new 2:u32:@dm1 3:mac:$FRESH
without CAP_NET_ADMIN, fdb-del is refused ; EPERM ; nomsg ; fdb-del 2:u32:@dm1 3:mac:$FRESH
without CAP_NET_ADMIN, fdb-flush is refused ; EPERM ; nomsg ; fdb-flush 1:u32:@sw0
without CAP_NET_ADMIN, the fdb dump works ; 0 ; - ; fdb-get dump 1:u32:@sw0
without CAP_NET_ADMIN, port-get works ; 0 ; - ; port-get 1:u32:@dm1
without CAP_NET_ADMIN, the port dump works ; 0 ; - ; port-get dump
without CAP_NET_ADMIN, switch-get works ; 0 ; - ; switch-get 1:u32:@sw0
without CAP_NET_ADMIN, the switch dump works ; 0 ; - ; switch-get dump
without CAP_NET_ADMIN, pg-get works ; 0 ; - ; pg-get 1:u32:@sw0 2:str:lab
without CAP_NET_ADMIN, the pg dump works ; 0 ; - ; pg-get dump 1:u32:@sw0
EOF
)

# Root of a user namespace has no CAP_NET_ADMIN over netns sw, which the
# initial user namespace owns.
USERNS=${UNPRIV//without CAP_NET_ADMIN,/as root of a user namespace,}

# The same changes with CAP_NET_ADMIN succeed: the refusals above were
# about the capability, and the state dumps would see these changes.
PRIV=$(cat <<EOF
with CAP_NET_ADMIN, the same port-set works ; 0 ; - ; port-set 1:u32:@dm1 3:u32:1
with CAP_NET_ADMIN, the same pg-new works ; 0 ; - ; pg-new 1:u32:@sw0 2:str:new1
with CAP_NET_ADMIN, the same fdb-new works ; 0 ; - ; fdb-new 2:u32:@dm1 3:mac:$FRESH
EOF
)

nlines()
{
	grep -c ';' <<<"$1"
}

ktap_plan $(($(nlines "$REFUSALS") + 2 * $(nlines "$UNPRIV") + $(nlines "$PRIV") + 9))
nsw_kmsg_mark

# run_batch NAME LINES [PREFIX...]: the requests, one KTAP line each (the
# client runs under PREFIX)
run_batch()
{
	local name=$1 reqs=$2 file=$NSW_TMP/$1.batch out line n=0 want; shift 2

	printf '%s\n' "$reqs" >"$file"
	want=$(nlines "$reqs")
	out=$(in_ns "$sw" "$@" "$PY" "$NL_RAW" batch "$file")
	while IFS= read -r line; do
		case $line in
		"ok "*) n=$((n + 1)); ktap_ok "${line#ok }" ;;
		"not ok "*) n=$((n + 1)); ktap_fail "${line#not ok }" ;;
		"# "*) ktap_info "${line#\# }" ;;
		*) ktap_info "$line" ;;
		esac
	done <<<"$out"
	((n == want)) || ktap_info "$name: $n answers to $want requests"
}

state()
{
	in_ns "$sw" "$PY" "$NL_RAW" state
}

check_state()
{
	local desc=$1 before=$2 after

	after=$(state)
	if [[ -n $before && $after == "$before" ]]; then
		ktap_ok "$desc"
		return 0
	fi
	ktap_info "before:" "$before" "after:" "$after"
	ktap_fail "$desc"
}

# count_objects STATE: "SWITCHES PGS PORTS" in a state dump
count_objects()
{
	local line s=0 g=0 p=0

	while read -r line; do
		case $line in
		"switch "*) s=$((s + 1)) ;;
		"pg "*) g=$((g + 1)) ;;
		"port "*) p=$((p + 1)) ;;
		esac
	done <<<"$1"
	echo "$s $g $p"
}

before=$(state)
check_eq "a dump shows 2 switches, 6 port groups (4 + 2) and 2 ports" \
	"$(count_objects "$before")" "2 6 2"
run_batch refusals "$REFUSALS"
check_state "after all the refusals, switches, port groups and ports are as they were" \
	"$before"

run_batch unpriv "$UNPRIV" setpriv --inh-caps=-all --bounding-set=-all --
check_state "after the refusals without CAP_NET_ADMIN, nothing changed" "$before"

run_batch userns "$USERNS" unshare -U -r --
check_state "after the refusals in a user namespace, nothing changed" "$before"
check_fails "the nestsw tool in a user namespace cannot add a port group" \
	in_ns "$sw" unshare -U -r -- "$NSW_TOOL" pg add dev sw0 name userns

# own_netns_show: `nestsw -j show` and the port dump in a new user and
# network namespace that has a switch of its own, swu
own_netns_show()
{
	# shellcheck disable=SC2016 # for the inner shell
	in_ns "$sw" unshare -U -r -n -- bash -c '
		ip link add swu type nestsw &&
		ip link add dmu type dummy &&
		ip link set dmu master swu &&
		"$1" -j show && "$1" -j port show' _ "$NSW_TOOL"
}
own=$(own_netns_show)
ktap_info "in a new user and network namespace: $own"
# shellcheck disable=SC2317 # called through check
lists_own()
{
	grep -q '"swu"' <<<"$own" && grep -q '"dmu"' <<<"$own"
}
check "a new user and network namespace lists its own switch swu and port dmu" \
	lists_own
check_fails "it lists no switch and no port of netns sw" \
	grep -qE '"(sw0|sw1|vp1|dm1)"' <<<"$own"

run_batch priv "$PRIV"
after=$(state)
check_fails "the dump sees the port-set and pg-new made with CAP_NET_ADMIN" \
	test "$after" == "$before"

check_kmsg
ktap_finished

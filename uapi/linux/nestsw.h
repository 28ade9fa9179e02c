/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * nestsw: a virtual switch for nested virtualization labs.
 *
 * Generic netlink family "nestsw", described by
 * Documentation/netlink/specs/nestsw.yaml (this header follows it; "make
 * spec" checks that they agree). Every change needs CAP_NET_ADMIN over the
 * user namespace that owns the network namespace of the request's socket
 * (a rootless container's root manages its own switches); every refusal
 * carries an extended ack message naming the offending attribute; a
 * refused request changes nothing.
 */
#ifndef _UAPI_LINUX_NESTSW_H
#define _UAPI_LINUX_NESTSW_H

#define NESTSW_FAMILY_NAME	"nestsw"
#define NESTSW_FAMILY_VERSION	1
#define NESTSW_MCGRP_MONITOR	"monitor"
/* Monitor events a switch sends at most per second. */
#define NESTSW_EVENT_BURST	100

/* Size of a port group name, with its terminating NUL. */
#define NESTSW_PG_NAME_LEN	16
/* The vlan value of a trunk port group. */
#define NESTSW_VLAN_TRUNK	4095
/* Bounds of mac-limit (learned entries per port) and ageing (seconds). */
#define NESTSW_MAC_LIMIT_MAX	65536
#define NESTSW_AGEING_MIN	10
#define NESTSW_AGEING_MAX	1000000
/*
 * The link-local group addresses 01:80:c2:00:00:00 to 01:80:c2:00:00:0f that
 * group-fwd can forward: bit N is the address ending in N.
 */
#define NESTSW_GROUP_FWD_ALL	0xffff

/* Size of %NESTSW_A_PG_TRUNK_VLANS: a bit for each of VLANs 0 to 4095. */
#define NESTSW_VLAN_BITMAP_LEN	512

/*
 * The most uplinks a switch has, and a port group names (active and
 * standby together).
 */
#define NESTSW_UPLINKS_MAX	32

/**
 * enum nestsw_port_role - what a port is to the switch
 * @NESTSW_PORT_ROLE_GUEST: a VM's vNIC (the default): its port group's
 *	policy applies; it receives known unicast for its guest, floods, and
 *	unknown unicast only when its policy lets it
 * @NESTSW_PORT_ROLE_UPLINK: the way out of the switch (a NIC, a veth to the
 *	physical network, a tunnel): it receives unknown unicast; guest
 *	policies do not apply to it. With several uplinks
 *	(%NESTSW_UPLINKS_MAX at most), each source port uses one of its port
 *	group's, chosen by hash, for all it sends out and all the floods it
 *	gets from outside; a MAC behind one uplink that shows up behind
 *	another has not moved (they are one network).
 */
enum nestsw_port_role {
	NESTSW_PORT_ROLE_GUEST,
	NESTSW_PORT_ROLE_UPLINK,
};

/**
 * enum nestsw_verdict - value of a security policy
 * @NESTSW_VERDICT_REJECT: the restrictive value (the default)
 * @NESTSW_VERDICT_ACCEPT: the permissive value
 */
enum nestsw_verdict {
	NESTSW_VERDICT_REJECT,
	NESTSW_VERDICT_ACCEPT,
};

/**
 * enum nestsw_policy_attrs - one bit per policy attribute, in the inherit
 *	mask of %NESTSW_CMD_PG_SET: the port group stops overriding it and
 *	inherits the switch's default again
 * @NESTSW_POLICY_ATTR_PROMISCUOUS: %NESTSW_A_POLICY_PROMISCUOUS
 * @NESTSW_POLICY_ATTR_MAC_CHANGES: %NESTSW_A_POLICY_MAC_CHANGES
 * @NESTSW_POLICY_ATTR_FORGED_TRANSMITS: %NESTSW_A_POLICY_FORGED_TRANSMITS
 * @NESTSW_POLICY_ATTR_LEARNING: %NESTSW_A_POLICY_LEARNING
 * @NESTSW_POLICY_ATTR_MAC_LIMIT: %NESTSW_A_POLICY_MAC_LIMIT
 * @NESTSW_POLICY_ATTR_LIMIT_POLICY: %NESTSW_A_POLICY_LIMIT_POLICY
 * @NESTSW_POLICY_ATTR_UNKNOWN_FLOOD: %NESTSW_A_POLICY_UNKNOWN_FLOOD
 * @NESTSW_POLICY_ATTR_AGEING: %NESTSW_A_POLICY_AGEING
 * @NESTSW_POLICY_ATTR_GROUP_FWD: %NESTSW_A_POLICY_GROUP_FWD
 */
enum nestsw_policy_attrs {
	NESTSW_POLICY_ATTR_PROMISCUOUS = 1,
	NESTSW_POLICY_ATTR_MAC_CHANGES = 2,
	NESTSW_POLICY_ATTR_FORGED_TRANSMITS = 4,
	NESTSW_POLICY_ATTR_LEARNING = 8,
	NESTSW_POLICY_ATTR_MAC_LIMIT = 16,
	NESTSW_POLICY_ATTR_LIMIT_POLICY = 32,
	NESTSW_POLICY_ATTR_UNKNOWN_FLOOD = 64,
	NESTSW_POLICY_ATTR_AGEING = 128,
	NESTSW_POLICY_ATTR_GROUP_FWD = 256,
};

/**
 * enum nestsw_limit_policy - what a port at its mac-limit does with a frame
 *	from a new source MAC
 * @NESTSW_LIMIT_POLICY_DROP: drop it (the default; reason limit)
 * @NESTSW_LIMIT_POLICY_ALLOW: forward it without learning its source
 */
enum nestsw_limit_policy {
	NESTSW_LIMIT_POLICY_DROP,
	NESTSW_LIMIT_POLICY_ALLOW,
};

/**
 * enum nestsw_fdb_flags - what an FDB entry is
 * @NESTSW_FDB_FLAG_STATIC: added by the admin (fdb-new): frames to its MAC go
 *	to its port, and under forged-transmits reject the port may send
 *	with it as source
 * @NESTSW_FDB_FLAG_LOCAL: the switch's own MAC: frames to it reach the host
 * @NESTSW_FDB_FLAG_GUEST: a guest port's initial or effective MAC, kept by
 *	the switch as the port's configuration changes
 * @NESTSW_FDB_FLAG_LEARNED: a source MAC seen on a learning port; removed
 *	when unseen for the port's ageing time
 */
enum nestsw_fdb_flags {
	NESTSW_FDB_FLAG_STATIC = 1,
	NESTSW_FDB_FLAG_LOCAL = 2,
	NESTSW_FDB_FLAG_GUEST = 4,
	NESTSW_FDB_FLAG_LEARNED = 8,
};

/**
 * enum nestsw_a_policy - a security policy (attribute-set "policy"): the
 *	switch's default, or what a port group overrides; in a port group an
 *	absent attribute is inherited from the switch
 * @NESTSW_A_POLICY_PROMISCUOUS: u32, &enum nestsw_verdict; accept: while the
 *	guest is promiscuous, its port receives a copy of every frame in its
 *	VLAN scope
 * @NESTSW_A_POLICY_MAC_CHANGES: u32, &enum nestsw_verdict; reject: while a
 *	guest's effective MAC differs from its initial MAC, every frame to its
 *	port is dropped
 * @NESTSW_A_POLICY_FORGED_TRANSMITS: u32, &enum nestsw_verdict; reject: a
 *	frame from a guest port whose source MAC is neither its effective MAC
 *	nor a static FDB entry on that port is dropped
 * @NESTSW_A_POLICY_LEARNING: u32, 0 off (the default), 1 on: source MACs
 *	seen on a guest port are learned (uplinks always learn)
 * @NESTSW_A_POLICY_MAC_LIMIT: u32, 1..%NESTSW_MAC_LIMIT_MAX (default 4096):
 *	the most learned entries per port
 * @NESTSW_A_POLICY_LIMIT_POLICY: u32, &enum nestsw_limit_policy: a port at
 *	its limit drops frames from new sources, or forwards them unlearned
 * @NESTSW_A_POLICY_UNKNOWN_FLOOD: u32, 1 on (the default), 0 off: unknown
 *	unicast is flooded to a learning guest port
 * @NESTSW_A_POLICY_AGEING: u32, %NESTSW_AGEING_MIN..%NESTSW_AGEING_MAX
 *	seconds (default 300): learned entries unseen this long are removed
 * @NESTSW_A_POLICY_GROUP_FWD: u32, a mask within %NESTSW_GROUP_FWD_ALL
 *	(default 0): the link-local group addresses 01:80:c2:00:00:0N (bit N)
 *	that cross the switch between ports (uplinks included) whose policy
 *	both forward them: STP (bit 0), pause (1), LACP and the other slow
 *	protocols (2), EAPOL (3), LLDP (14)... Frames to an address not
 *	forwarded stay on the link: they go up the stack of the port they
 *	came in on
 */
enum nestsw_a_policy {
	NESTSW_A_POLICY_UNSPEC,
	NESTSW_A_POLICY_PROMISCUOUS,
	NESTSW_A_POLICY_MAC_CHANGES,
	NESTSW_A_POLICY_FORGED_TRANSMITS,
	NESTSW_A_POLICY_LEARNING,
	NESTSW_A_POLICY_MAC_LIMIT,
	NESTSW_A_POLICY_LIMIT_POLICY,
	NESTSW_A_POLICY_UNKNOWN_FLOOD,
	NESTSW_A_POLICY_AGEING,
	NESTSW_A_POLICY_GROUP_FWD,

	__NESTSW_A_POLICY_MAX,
	NESTSW_A_POLICY_MAX = (__NESTSW_A_POLICY_MAX - 1)
};

/**
 * enum nestsw_a_drops - frames the switch dropped, by reason, counted on
 *	the port they came from unless said otherwise (attribute-set "drops")
 * @NESTSW_A_DROPS_VLAN: u64, outside the port's VLAN scope (e.g. tagged on
 *	an access port)
 * @NESTSW_A_DROPS_FORGED: u64, forged source MAC, under forged-transmits
 *	reject
 * @NESTSW_A_DROPS_MAC_CHANGE: u64, to a guest whose effective MAC differs
 *	from its initial one, under mac-changes reject (counted on the
 *	destination port)
 * @NESTSW_A_DROPS_NO_DESTINATION: u64, unknown unicast with no port to go
 *	to (no uplink), or known unicast from an uplink to a MAC behind
 *	another uplink (never from one uplink out of another)
 * @NESTSW_A_DROPS_INVALID_SOURCE: u64, a multicast or all-zero source MAC
 * @NESTSW_A_DROPS_MTU: u64, larger than the egress port's MTU (counted on
 *	the egress port)
 * @NESTSW_A_DROPS_PAD: alignment padding of the 64-bit counters
 * @NESTSW_A_DROPS_LIMIT: u64, from a new source MAC on a port at its
 *	mac-limit, under limit-policy drop
 * @NESTSW_A_DROPS_STATIC_CONFLICT: u64, from a source MAC that is another
 *	port's guest or static MAC, or the switch's own, on a learning port
 * @NESTSW_A_DROPS_REFLECTION: u64, on an uplink, from a source MAC of the
 *	switch's own side: a guest port's guest or static MAC, the switch's
 *	own, or a MAC learned on a guest port and seen there in the last 2 s
 *	(the switch's flood back from the physical network, as with two
 *	uplinks into one segment); it moves and refreshes nothing
 */
enum nestsw_a_drops {
	NESTSW_A_DROPS_UNSPEC,
	NESTSW_A_DROPS_VLAN,
	NESTSW_A_DROPS_FORGED,
	NESTSW_A_DROPS_MAC_CHANGE,
	NESTSW_A_DROPS_NO_DESTINATION,
	NESTSW_A_DROPS_INVALID_SOURCE,
	NESTSW_A_DROPS_MTU,
	NESTSW_A_DROPS_PAD,
	NESTSW_A_DROPS_LIMIT,
	NESTSW_A_DROPS_STATIC_CONFLICT,
	NESTSW_A_DROPS_REFLECTION,

	__NESTSW_A_DROPS_MAX,
	NESTSW_A_DROPS_MAX = (__NESTSW_A_DROPS_MAX - 1)
};

/**
 * enum nestsw_a_learning - a port's learning (attribute-set "learning")
 * @NESTSW_A_LEARNING_ENTRIES: u32, learned entries on the port now
 * @NESTSW_A_LEARNING_LEARNED: u64, entries learned on the port
 * @NESTSW_A_LEARNING_MOVES: u64, learned MACs that moved to the port from
 *	another one
 * @NESTSW_A_LEARNING_NOT_LEARNED_ALLOWED: u64, frames from new sources at
 *	the limit, forwarded unlearned (limit-policy allow)
 * @NESTSW_A_LEARNING_NOT_LEARNED_DROPPED: u64, frames from new sources at
 *	the limit, dropped (limit-policy drop)
 * @NESTSW_A_LEARNING_PAD: alignment padding of the 64-bit counters
 */
enum nestsw_a_learning {
	NESTSW_A_LEARNING_UNSPEC,
	NESTSW_A_LEARNING_ENTRIES,
	NESTSW_A_LEARNING_LEARNED,
	NESTSW_A_LEARNING_MOVES,
	NESTSW_A_LEARNING_NOT_LEARNED_ALLOWED,
	NESTSW_A_LEARNING_NOT_LEARNED_DROPPED,
	NESTSW_A_LEARNING_PAD,

	__NESTSW_A_LEARNING_MAX,
	NESTSW_A_LEARNING_MAX = (__NESTSW_A_LEARNING_MAX - 1)
};

/**
 * enum nestsw_a_switch - a switch (attribute-set "switch")
 * @NESTSW_A_SWITCH_IFINDEX: u32, index of the switch device
 * @NESTSW_A_SWITCH_IFNAME: string, name of the switch device (replies)
 * @NESTSW_A_SWITCH_POLICY: nest, &enum nestsw_a_policy: the default policy
 *	of the switch's port groups; every attribute is present in replies
 */
enum nestsw_a_switch {
	NESTSW_A_SWITCH_UNSPEC,
	NESTSW_A_SWITCH_IFINDEX,
	NESTSW_A_SWITCH_IFNAME,
	NESTSW_A_SWITCH_POLICY,

	__NESTSW_A_SWITCH_MAX,
	NESTSW_A_SWITCH_MAX = (__NESTSW_A_SWITCH_MAX - 1)
};

/**
 * enum nestsw_a_pg - a port group (attribute-set "pg")
 * @NESTSW_A_PG_SWITCH_IFINDEX: u32, index of the switch the port group
 *	belongs to
 * @NESTSW_A_PG_NAME: string, 1 to 15 characters, unique in the switch;
 *	every switch has the port group "default", which cannot be deleted.
 *	%NESTSW_CMD_PG_NEW takes only letters, digits, '.', '_' and '-'
 * @NESTSW_A_PG_VLAN: u16, 0: untagged; 1..4094: access (frames tagged on
 *	ingress, untagged on egress); 4095: trunk (tagged frames pass as they
 *	are)
 * @NESTSW_A_PG_POLICY: nest, &enum nestsw_a_policy: what the port group
 *	overrides of the switch's default
 * @NESTSW_A_PG_EFFECTIVE_POLICY: nest, &enum nestsw_a_policy: the policy in
 *	force (replies)
 * @NESTSW_A_PG_INHERIT: u32, &enum nestsw_policy_attrs: policy attributes
 *	to inherit from the switch again (%NESTSW_CMD_PG_SET); one that is also
 *	given a value in %NESTSW_A_PG_POLICY is refused
 * @NESTSW_A_PG_PORTS: u32, number of ports in the port group (replies)
 * @NESTSW_A_PG_TEAM: u8, 1: the port group's guest ports are one VM's
 *	vNICs, teamed inside it (a nested hypervisor's two vNICs under a bond
 *	or its own vSwitch); 0 (the default): they are not. A team's source
 *	MACs do not move between its members (a member's entries and guest
 *	MACs are the team's), a frame for the team goes to one member only
 *	(the one the team last sent from, else the first that is up), and
 *	no frame from the team goes back into it
 * @NESTSW_A_PG_TRUNK_VLANS: binary, %NESTSW_VLAN_BITMAP_LEN bytes: the VLANs
 *	a trunk port group carries, bit N (byte N / 8, bit N % 8, least
 *	significant first) for VLAN N; bit 0 is untagged frames, bit 4095 must
 *	be clear, and at least one bit set. All of 0..4094 (the default) is
 *	every VLAN; in replies only while the set is smaller. Refused unless
 *	the port group is (or becomes, in the same request) a trunk; a trunk
 *	port group with a smaller set stays a trunk until its set is all
 *	again. A port of the group takes and gets frames of these VLANs only
 *	(an uplink limited to the VLANs its network carries)
 * @NESTSW_A_PG_ACTIVE_UPLINKS: nest, &enum nestsw_a_uplinks: the uplinks
 *	the port group's guests use, by device name (uplinks that do not
 *	exist yet included); an empty nest (the default) is every uplink not
 *	named standby. Each guest uses one, chosen by a hash of its port
 *	among those that are up, have carrier and carry the frame's VLAN,
 *	for all it sends to the physical network (floods and known unicast),
 *	and gets floods from the physical network only by that one
 * @NESTSW_A_PG_STANDBY_UPLINKS: nest, &enum nestsw_a_uplinks: uplinks the
 *	guests use only while none of the active ones can carry the frame's
 *	VLAN; an empty nest (the default) is none. A name is active or
 *	standby, not both; %NESTSW_UPLINKS_MAX names at most in all
 */
enum nestsw_a_pg {
	NESTSW_A_PG_UNSPEC,
	NESTSW_A_PG_SWITCH_IFINDEX,
	NESTSW_A_PG_NAME,
	NESTSW_A_PG_VLAN,
	NESTSW_A_PG_POLICY,
	NESTSW_A_PG_EFFECTIVE_POLICY,
	NESTSW_A_PG_INHERIT,
	NESTSW_A_PG_PORTS,
	NESTSW_A_PG_TEAM,
	NESTSW_A_PG_TRUNK_VLANS,
	NESTSW_A_PG_ACTIVE_UPLINKS,
	NESTSW_A_PG_STANDBY_UPLINKS,

	__NESTSW_A_PG_MAX,
	NESTSW_A_PG_MAX = (__NESTSW_A_PG_MAX - 1)
};

/**
 * enum nestsw_a_uplinks - uplinks named by a port group (attribute-set
 *	"uplinks")
 * @NESTSW_A_UPLINKS_NAME: string, 1 to 15 characters, a device name; once
 *	per uplink, in the order given
 */
enum nestsw_a_uplinks {
	NESTSW_A_UPLINKS_UNSPEC,
	NESTSW_A_UPLINKS_NAME,

	__NESTSW_A_UPLINKS_MAX,
	NESTSW_A_UPLINKS_MAX = (__NESTSW_A_UPLINKS_MAX - 1)
};

/**
 * enum nestsw_a_port - a port (attribute-set "port")
 * @NESTSW_A_PORT_IFINDEX: u32, index of the port device; selects the port
 *	in %NESTSW_CMD_PORT_GET and %NESTSW_CMD_PORT_SET
 * @NESTSW_A_PORT_SWITCH_IFINDEX: u32, index of the switch the port is
 *	enslaved to; in replies, and a filter of a %NESTSW_CMD_PORT_GET dump
 *	(which refuses a device that is not a switch)
 * @NESTSW_A_PORT_ROLE: u32, &enum nestsw_port_role
 * @NESTSW_A_PORT_PG: string, name of the port's port group
 * @NESTSW_A_PORT_INITIAL_MAC: binary (6 bytes), the MAC the hypervisor
 *	assigned to the guest; a veth port takes its peer's MAC when enslaved,
 *	unless the admin sets it; absent from replies while unknown
 * @NESTSW_A_PORT_EFFECTIVE_MAC: binary (6 bytes), the MAC the guest uses
 *	now: a veth port follows its peer's; the admin sets it for other
 *	devices; absent from replies while unknown
 * @NESTSW_A_PORT_GUEST_PROMISCUOUS: u8, 1 while the guest is promiscuous: a
 *	veth port follows its peer's promiscuity count; the admin sets it for
 *	other devices
 * @NESTSW_A_PORT_FOLLOWS_PEER: u8, 1 if the effective MAC and guest
 *	promiscuous follow a veth peer (replies)
 * @NESTSW_A_PORT_DROPS: nest, &enum nestsw_a_drops: drop counters by reason
 *	(replies)
 * @NESTSW_A_PORT_LEARNING: nest, &enum nestsw_a_learning: learned entries
 *	and learning counters (replies)
 */
enum nestsw_a_port {
	NESTSW_A_PORT_UNSPEC,
	NESTSW_A_PORT_IFINDEX,
	NESTSW_A_PORT_SWITCH_IFINDEX,
	NESTSW_A_PORT_ROLE,
	NESTSW_A_PORT_PG,
	NESTSW_A_PORT_INITIAL_MAC,
	NESTSW_A_PORT_EFFECTIVE_MAC,
	NESTSW_A_PORT_GUEST_PROMISCUOUS,
	NESTSW_A_PORT_FOLLOWS_PEER,
	NESTSW_A_PORT_DROPS,
	NESTSW_A_PORT_LEARNING,

	__NESTSW_A_PORT_MAX,
	NESTSW_A_PORT_MAX = (__NESTSW_A_PORT_MAX - 1)
};

/**
 * enum nestsw_a_fdb - an FDB entry (attribute-set "fdb")
 * @NESTSW_A_FDB_SWITCH_IFINDEX: u32, index of the switch; in replies, and
 *	what an fdb-get dump lists
 * @NESTSW_A_FDB_PORT_IFINDEX: u32, index of the port frames to the MAC go
 *	to; selects the port in fdb-new and fdb-del, a filter of an fdb-get
 *	dump; absent from replies for the switch's own MAC
 * @NESTSW_A_FDB_MAC: binary (6 bytes), the MAC; a unicast address in
 *	fdb-new
 * @NESTSW_A_FDB_VLAN: u16, 0..4094: the VLAN the entry is for; absent: every
 *	VLAN (guests' MACs, the switch's own)
 * @NESTSW_A_FDB_FLAGS: u32, &enum nestsw_fdb_flags (replies)
 * @NESTSW_A_FDB_AGE: u32, milliseconds since a learned entry's MAC was last
 *	seen (replies)
 */
enum nestsw_a_fdb {
	NESTSW_A_FDB_UNSPEC,
	NESTSW_A_FDB_SWITCH_IFINDEX,
	NESTSW_A_FDB_PORT_IFINDEX,
	NESTSW_A_FDB_MAC,
	NESTSW_A_FDB_VLAN,
	NESTSW_A_FDB_FLAGS,
	NESTSW_A_FDB_AGE,

	__NESTSW_A_FDB_MAX,
	NESTSW_A_FDB_MAX = (__NESTSW_A_FDB_MAX - 1)
};

/**
 * enum nestsw_event_type - what a monitor event reports
 * @NESTSW_EVENT_LEARN: a source MAC was learned on a port
 * @NESTSW_EVENT_MOVE: a learned MAC moved to another port (the old one is
 *	%NESTSW_A_EVENT_FROM_IFINDEX)
 * @NESTSW_EVENT_AGE: a learned entry aged out
 * @NESTSW_EVENT_LIMIT_HIT: a new source MAC on a port at its mac-limit
 *	(%NESTSW_A_EVENT_DROPPED says whether the frame was dropped)
 * @NESTSW_EVENT_POLICY_DROP: a frame dropped by the port's policy
 *	(%NESTSW_A_EVENT_REASON says why)
 */
enum nestsw_event_type {
	NESTSW_EVENT_LEARN = 1,
	NESTSW_EVENT_MOVE,
	NESTSW_EVENT_AGE,
	NESTSW_EVENT_LIMIT_HIT,
	NESTSW_EVENT_POLICY_DROP,
};

/**
 * enum nestsw_a_event - a monitor event (attribute-set "event"), sent to
 *	the multicast group %NESTSW_MCGRP_MONITOR; at most
 *	%NESTSW_EVENT_BURST events a second per switch, the rest are counted
 *	in %NESTSW_A_EVENT_SUPPRESSED of the next one
 * @NESTSW_A_EVENT_TYPE: u32, &enum nestsw_event_type
 * @NESTSW_A_EVENT_SWITCH_IFINDEX: u32, the switch
 * @NESTSW_A_EVENT_PORT_IFINDEX: u32, the port
 * @NESTSW_A_EVENT_MAC: binary (6 bytes), the source MAC
 * @NESTSW_A_EVENT_VLAN: u16, the frame's or the entry's VLAN
 * @NESTSW_A_EVENT_FROM_IFINDEX: u32, the port a moved MAC was on
 * @NESTSW_A_EVENT_REASON: u32, the &enum nestsw_a_drops counter of a
 *	policy drop
 * @NESTSW_A_EVENT_DROPPED: u8, 1 if the frame of a limit-hit was dropped
 * @NESTSW_A_EVENT_SUPPRESSED: u32, events left out by the rate limit since
 *	the previous one
 */
enum nestsw_a_event {
	NESTSW_A_EVENT_UNSPEC,
	NESTSW_A_EVENT_TYPE,
	NESTSW_A_EVENT_SWITCH_IFINDEX,
	NESTSW_A_EVENT_PORT_IFINDEX,
	NESTSW_A_EVENT_MAC,
	NESTSW_A_EVENT_VLAN,
	NESTSW_A_EVENT_FROM_IFINDEX,
	NESTSW_A_EVENT_REASON,
	NESTSW_A_EVENT_DROPPED,
	NESTSW_A_EVENT_SUPPRESSED,

	__NESTSW_A_EVENT_MAX,
	NESTSW_A_EVENT_MAX = (__NESTSW_A_EVENT_MAX - 1)
};

/**
 * enum nestsw_cmd - generic netlink commands
 * @NESTSW_CMD_PORT_GET: get one port, or dump the ports of every switch in
 *	the network namespace (or of one switch)
 * @NESTSW_CMD_PORT_SET: change a port's role, port group, or (for devices
 *	other than veth) its guest's MACs and promiscuous flag (admin)
 * @NESTSW_CMD_SWITCH_GET: get one switch and its default policy, or dump
 *	the switches of the network namespace
 * @NESTSW_CMD_SWITCH_SET: change a switch's default policy (admin)
 * @NESTSW_CMD_PG_NEW: create a port group (admin)
 * @NESTSW_CMD_PG_SET: change a port group's VLAN, team, uplinks or policy
 *	(admin)
 * @NESTSW_CMD_PG_DEL: delete a port group; refused while it has ports
 *	(admin)
 * @NESTSW_CMD_PG_GET: get one port group, or dump the port groups of a
 *	switch
 * @NESTSW_CMD_FDB_NEW: add a static FDB entry to a port (admin); refused if
 *	the MAC is in the FDB already (in that VLAN, or in every VLAN)
 * @NESTSW_CMD_FDB_DEL: remove a static FDB entry the admin added (admin)
 * @NESTSW_CMD_FDB_GET: dump the FDB of a switch, or a port's entries
 * @NESTSW_CMD_FDB_FLUSH: remove the learned entries of a switch, or of a
 *	port (admin)
 * @NESTSW_CMD_EVENT: a monitor event (notification)
 */
enum nestsw_cmd {
	NESTSW_CMD_UNSPEC,
	NESTSW_CMD_PORT_GET,
	NESTSW_CMD_PORT_SET,
	NESTSW_CMD_SWITCH_GET,
	NESTSW_CMD_SWITCH_SET,
	NESTSW_CMD_PG_NEW,
	NESTSW_CMD_PG_SET,
	NESTSW_CMD_PG_DEL,
	NESTSW_CMD_PG_GET,
	NESTSW_CMD_FDB_NEW,
	NESTSW_CMD_FDB_DEL,
	NESTSW_CMD_FDB_GET,
	NESTSW_CMD_FDB_FLUSH,
	NESTSW_CMD_EVENT,

	__NESTSW_CMD_MAX,
	NESTSW_CMD_MAX = (__NESTSW_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_NESTSW_H */

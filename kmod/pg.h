/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSW_PG_H
#define _NSW_PG_H

#include <linux/if_vlan.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/types.h>
#include <uapi/linux/nestsw.h>

struct netlink_ext_ack;
struct nsw_port;
struct nsw_switch;

/**
 * struct nsw_team - the guest ports of a port group under team on: one
 *	VM's vNICs, teamed inside it
 * @active: the member the team last sent a frame from, where frames for
 *	the team go while it can take them. Written by the data path (RCU)
 *	when it changes; a reader checks that the port is still a member
 *	(its cfg's team). Cleared under RTNL by nsw_team_forget() when the
 *	port goes, after the data path let go of it, so it never points to
 *	a freed port.
 * @rcu: frees the team after a grace period
 *
 * Lifetime: allocated under RTNL when the group's team goes on, freed
 * with kfree_rcu() when it goes off or the group is deleted, after its
 * members' cfgs were replaced by ones without it; a reader with an old
 * cfg may use it until its RCU read section ends.
 */
struct nsw_team {
	struct nsw_port __rcu *active;
	struct rcu_head rcu;
};

/*
 * A policy: the security verdicts (enum nestsw_verdict) and the learning
 * settings, as the NESTSW_A_POLICY_* attributes carry them.
 */
struct nsw_policy {
	u32 promiscuous;
	u32 mac_changes;
	u32 forged_transmits;
	u32 learning;
	u32 mac_limit;
	u32 limit_policy;	/* enum nestsw_limit_policy */
	u32 unknown_flood;
	u32 ageing;		/* seconds */
	u32 group_fwd;		/* bit N: 01:80:c2:00:00:0N crosses */
};

#define NSW_POLICY_ATTRS_ALL	(NESTSW_POLICY_ATTR_GROUP_FWD * 2 - 1)

/* A policy attribute: its NESTSW_POLICY_ATTR_* bit and its field. */
struct nsw_policy_field {
	u16 attr;
	u32 bit;
	size_t offset;
};

extern const struct nsw_policy_field nsw_policy_fields[NESTSW_A_POLICY_MAX];

static inline u32 *nsw_policy_val(struct nsw_policy *policy,
				  const struct nsw_policy_field *field)
{
	return (u32 *)((u8 *)policy + field->offset);
}

static inline u32 nsw_policy_get(const struct nsw_policy *policy,
				 const struct nsw_policy_field *field)
{
	return *(const u32 *)((const u8 *)policy + field->offset);
}

/**
 * struct nsw_vlan_set - the VLANs a trunk port group carries
 * @some: only those in @map (false: every VLAN)
 * @map: bit N: VLAN N (0: untagged frames)
 */
struct nsw_vlan_set {
	bool some;
	DECLARE_BITMAP(map, VLAN_N_VID);
};

/**
 * struct nsw_uplink_names - the uplinks a port group's guests use, by
 *	device name (resolved to the switch's uplink slots in each guest's
 *	cfg: see nsw_pg_uplink_masks())
 * @n_active: names in @active; 0: every uplink not named standby
 * @n_standby: names in @standby, used while no active one can carry
 * @active: the active uplinks' names
 * @standby: the standby uplinks' names
 */
struct nsw_uplink_names {
	u8 n_active;
	u8 n_standby;
	char active[NESTSW_UPLINKS_MAX][IFNAMSIZ];
	char standby[NESTSW_UPLINKS_MAX][IFNAMSIZ];
};

/**
 * struct nsw_pg - a port group
 * @list: in the switch's pgs list
 * @name: unique in the switch
 * @vlan: 0 untagged, 1..4094 access, NESTSW_VLAN_TRUNK
 * @policy: the overrides; only the fields named in @set count
 * @set: NESTSW_POLICY_ATTR_* bits of @policy that override the switch
 * @nports: ports in the group
 * @team: its guest ports are one VM's team (NULL: not a team)
 * @vlans: the VLANs of a trunk
 * @uplinks: the uplinks its guests use
 *
 * Lifetime and locking: RTNL for everything. The data path never sees a
 * port group: it reads each port's configuration snapshot (struct
 * nsw_port_cfg), rebuilt whenever the group changes. Freed with kfree()
 * under RTNL; the "default" group lives as long as its switch.
 */
struct nsw_pg {
	struct list_head list;
	char name[NESTSW_PG_NAME_LEN];
	u16 vlan;
	struct nsw_policy policy;
	u32 set;
	unsigned int nports;
	struct nsw_team *team;
	struct nsw_vlan_set vlans;
	struct nsw_uplink_names uplinks;
};

int nsw_pg_init(struct nsw_switch *sw);
void nsw_pg_destroy(struct nsw_switch *sw);
struct nsw_pg *nsw_pg_find(struct nsw_switch *sw, const char *name);
struct nsw_pg *nsw_pg_create(struct nsw_switch *sw, const char *name);
void nsw_pg_delete(struct nsw_pg *pg);
void nsw_team_forget(struct nsw_switch *sw, const struct nsw_port *port);
void nsw_pg_uplink_masks(const struct nsw_switch *sw, const struct nsw_pg *pg,
			 u32 *active, u32 *standby);
void nsw_pg_effective(const struct nsw_switch *sw, const struct nsw_pg *pg,
		      struct nsw_policy *out);

/* The ageing time of @policy in jiffies. */
static inline unsigned long nsw_policy_ageing(const struct nsw_policy *policy)
{
	return (unsigned long)policy->ageing * HZ;
}

#endif /* _NSW_PG_H */

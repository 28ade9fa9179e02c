// SPDX-License-Identifier: GPL-2.0
/*
 * Port groups: a name, a VLAN setting and the policy attributes that
 * override the switch's default. Configuration only; the data path reads
 * the per-port snapshot that port.c computes from them.
 */
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "device.h"
#include "pg.h"

static const char nsw_pg_default_name[] = "default";

#define NSW_POLICY_FIELD(name, field) \
	{ NESTSW_A_POLICY_##name, NESTSW_POLICY_ATTR_##name, \
	  offsetof(struct nsw_policy, field) }

const struct nsw_policy_field nsw_policy_fields[NESTSW_A_POLICY_MAX] = {
	NSW_POLICY_FIELD(PROMISCUOUS, promiscuous),
	NSW_POLICY_FIELD(MAC_CHANGES, mac_changes),
	NSW_POLICY_FIELD(FORGED_TRANSMITS, forged_transmits),
	NSW_POLICY_FIELD(LEARNING, learning),
	NSW_POLICY_FIELD(MAC_LIMIT, mac_limit),
	NSW_POLICY_FIELD(LIMIT_POLICY, limit_policy),
	NSW_POLICY_FIELD(UNKNOWN_FLOOD, unknown_flood),
	NSW_POLICY_FIELD(AGEING, ageing),
	NSW_POLICY_FIELD(GROUP_FWD, group_fwd),
};

struct nsw_pg *nsw_pg_find(struct nsw_switch *sw, const char *name)
{
	struct nsw_pg *pg;

	ASSERT_RTNL();
	list_for_each_entry(pg, &sw->pgs, list)
		if (!strcmp(pg->name, name))
			return pg;
	return NULL;
}

/* A group with nothing overridden, untagged. The caller checks the name. */
struct nsw_pg *nsw_pg_create(struct nsw_switch *sw, const char *name)
{
	struct nsw_pg *pg;

	ASSERT_RTNL();
	pg = kzalloc(sizeof(*pg), GFP_KERNEL);
	if (!pg)
		return NULL;
	strscpy(pg->name, name, sizeof(pg->name));
	list_add_tail(&pg->list, &sw->pgs);
	return pg;
}

void nsw_pg_delete(struct nsw_pg *pg)
{
	ASSERT_RTNL();
	WARN_ON(pg->nports);
	list_del(&pg->list);
	if (pg->team)
		kfree_rcu(pg->team, rcu);
	kfree(pg);
}

/*
 * @port, gone from the data path (its rx_handler unregistered), is no
 * team's active member any more. Any team: a reader with an old cfg may
 * have made it active in a group it has left meanwhile. RTNL.
 */
void nsw_team_forget(struct nsw_switch *sw, const struct nsw_port *port)
{
	struct nsw_pg *pg;

	ASSERT_RTNL();
	list_for_each_entry(pg, &sw->pgs, list)
		if (pg->team && rcu_access_pointer(pg->team->active) == port)
			RCU_INIT_POINTER(pg->team->active, NULL);
}

/* The slots of the uplinks named in @names[0..@n-1]. RTNL. */
static u32 nsw_uplinks_named(const struct nsw_switch *sw,
			     const char (*names)[IFNAMSIZ], unsigned int n)
{
	const struct nsw_port *port;
	unsigned int i;
	u32 mask = 0;

	list_for_each_entry(port, &sw->ports, list) {
		if (port->uplink_slot < 0)
			continue;
		for (i = 0; i < n; i++)
			if (!strcmp(port->dev->name, names[i]))
				mask |= BIT(port->uplink_slot);
	}
	return mask;
}

/*
 * The uplinks @pg's guests use, as masks of slots: the active ones it
 * names, or every uplink (those to come included) but the standby ones;
 * the standby ones it names. RTNL.
 */
void nsw_pg_uplink_masks(const struct nsw_switch *sw, const struct nsw_pg *pg,
			 u32 *active, u32 *standby)
{
	const struct nsw_uplink_names *names = &pg->uplinks;

	*standby = nsw_uplinks_named(sw, names->standby, names->n_standby);
	*active = names->n_active ?
		  nsw_uplinks_named(sw, names->active, names->n_active) :
		  ~*standby;
}

int nsw_pg_init(struct nsw_switch *sw)
{
	INIT_LIST_HEAD(&sw->pgs);
	sw->policy = (struct nsw_policy) {
		.promiscuous = NESTSW_VERDICT_REJECT,
		.mac_changes = NESTSW_VERDICT_REJECT,
		.forged_transmits = NESTSW_VERDICT_REJECT,
		.learning = 0,
		.mac_limit = 4096,
		.limit_policy = NESTSW_LIMIT_POLICY_DROP,
		.unknown_flood = 1,
		.ageing = 300,
		.group_fwd = 0,
	};
	sw->default_pg = nsw_pg_create(sw, nsw_pg_default_name);
	return sw->default_pg ? 0 : -ENOMEM;
}

/* After the last port has left. */
void nsw_pg_destroy(struct nsw_switch *sw)
{
	struct nsw_pg *pg, *tmp;

	list_for_each_entry_safe(pg, tmp, &sw->pgs, list)
		nsw_pg_delete(pg);
	sw->default_pg = NULL;
}

/* The policy in force in @pg: its overrides, else the switch's default. */
void nsw_pg_effective(const struct nsw_switch *sw, const struct nsw_pg *pg,
		      struct nsw_policy *out)
{
	const struct nsw_policy_field *f;

	*out = sw->policy;
	for (f = nsw_policy_fields; f < nsw_policy_fields + NESTSW_A_POLICY_MAX;
	     f++)
		if (pg->set & f->bit)
			*nsw_policy_val(out, f) = nsw_policy_get(&pg->policy, f);
}

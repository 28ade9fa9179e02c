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
	kfree(pg);
}

int nsw_pg_init(struct nsw_switch *sw)
{
	INIT_LIST_HEAD(&sw->pgs);
	sw->policy = (struct nsw_policy) {
		.promiscuous = NESTSW_VERDICT_REJECT,
		.mac_changes = NESTSW_VERDICT_REJECT,
		.forged_transmits = NESTSW_VERDICT_REJECT,
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
	*out = sw->policy;
	if (pg->set & NESTSW_POLICY_ATTR_PROMISCUOUS)
		out->promiscuous = pg->policy.promiscuous;
	if (pg->set & NESTSW_POLICY_ATTR_MAC_CHANGES)
		out->mac_changes = pg->policy.mac_changes;
	if (pg->set & NESTSW_POLICY_ATTR_FORGED_TRANSMITS)
		out->forged_transmits = pg->policy.forged_transmits;
}

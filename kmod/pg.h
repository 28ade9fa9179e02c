/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSW_PG_H
#define _NSW_PG_H

#include <linux/list.h>
#include <linux/types.h>
#include <uapi/linux/nestsw.h>

struct netlink_ext_ack;
struct nsw_switch;

/* A security policy: enum nestsw_verdict values. */
struct nsw_policy {
	u8 promiscuous;
	u8 mac_changes;
	u8 forged_transmits;
};

#define NSW_POLICY_ATTRS_ALL	(NESTSW_POLICY_ATTR_PROMISCUOUS |	\
				 NESTSW_POLICY_ATTR_MAC_CHANGES |	\
				 NESTSW_POLICY_ATTR_FORGED_TRANSMITS)

/**
 * struct nsw_pg - a port group
 * @list: in the switch's pgs list
 * @name: unique in the switch
 * @vlan: 0 untagged, 1..4094 access, NESTSW_VLAN_TRUNK
 * @policy: the overrides; only the fields named in @set count
 * @set: NESTSW_POLICY_ATTR_* bits of @policy that override the switch
 * @nports: ports in the group
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
};

int nsw_pg_init(struct nsw_switch *sw);
void nsw_pg_destroy(struct nsw_switch *sw);
struct nsw_pg *nsw_pg_find(struct nsw_switch *sw, const char *name);
struct nsw_pg *nsw_pg_create(struct nsw_switch *sw, const char *name);
void nsw_pg_delete(struct nsw_pg *pg);
void nsw_pg_effective(const struct nsw_switch *sw, const struct nsw_pg *pg,
		      struct nsw_policy *out);

#endif /* _NSW_PG_H */

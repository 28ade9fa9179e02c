/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSW_FDB_H
#define _NSW_FDB_H

#include <linux/if_ether.h>
#include <linux/rhashtable-types.h>
#include <uapi/linux/nestsw.h>

struct nsw_switch;
struct nsw_port;

/* Key of an FDB entry; 8 bytes, so hashing reads two words. */
struct nsw_fdb_key {
	u8 addr[ETH_ALEN];
	u16 vid;
};

/* VLAN of entries valid in every VLAN: guests' MACs, the switch's own. */
#define NSW_VID_ANY	NESTSW_VLAN_TRUNK

/* enum nestsw_fdb_flags, as userspace sees them. */
enum nsw_fdb_flags {
	NSW_FDB_STATIC	= NESTSW_FDB_FLAG_STATIC,	/* the admin's */
	NSW_FDB_LOCAL	= NESTSW_FDB_FLAG_LOCAL,	/* to the host */
	NSW_FDB_GUEST	= NESTSW_FDB_FLAG_GUEST,	/* a guest's MAC */
};

/**
 * struct nsw_fdb_entry - where frames to one {MAC, VLAN} go
 * @node: in the switch's FDB rhashtable
 * @list: in the switch's fdb_list, for walks (flush, dump, ageing)
 * @key: {MAC, VLAN}
 * @port: destination port, NULL for NSW_FDB_LOCAL entries. Stable for the
 *	life of a static entry; the port outlives the entry (nsw_port_del()
 *	removes the port's entries before freeing it).
 * @flags: enum nsw_fdb_flags; written under fdb_lock, read with
 *	READ_ONCE() (an admin's entry can become a guest's in place)
 * @rcu: frees the entry after a grace period
 *
 * Lifetime: inserted and removed under the switch's fdb_lock; looked up
 * under RCU; freed with kfree_rcu().
 */
struct nsw_fdb_entry {
	struct rhash_head node;
	struct hlist_node list;
	struct nsw_fdb_key key;
	struct nsw_port *port;
	unsigned long flags;
	struct rcu_head rcu;
};

int nsw_fdb_init(struct nsw_switch *sw);
void nsw_fdb_destroy(struct nsw_switch *sw);

struct nsw_fdb_entry *nsw_fdb_lookup_rcu(struct nsw_switch *sw,
					 const u8 *addr, u16 vid);
struct nsw_fdb_entry *nsw_fdb_find_rcu(struct nsw_switch *sw,
				       const u8 *addr, u16 vid);
int nsw_fdb_add_static(struct nsw_switch *sw, struct nsw_port *port,
		       const u8 *addr, u16 vid, unsigned long flags);
void nsw_fdb_del_static(struct nsw_switch *sw, const u8 *addr, u16 vid);
int nsw_fdb_del_admin(struct nsw_port *port, const u8 *addr, u16 vid,
		      bool guest);
void nsw_fdb_del_port(struct nsw_switch *sw, const struct nsw_port *port);

struct netlink_callback;
int nsw_fdb_dump(struct sk_buff *skb, struct netlink_callback *cb,
		 struct net_device *dev, struct net_device *filter_dev,
		 int *idx);

#endif /* _NSW_FDB_H */

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSW_FDB_H
#define _NSW_FDB_H

#include <linux/bits.h>
#include <linux/if_ether.h>
#include <linux/rhashtable-types.h>
#include <uapi/linux/nestsw.h>

struct nsw_switch;
struct nsw_port;
struct sk_buff;

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
	NSW_FDB_LEARNED	= NESTSW_FDB_FLAG_LEARNED,	/* a source seen */
};

/* What learning a frame's source came to (nsw_fdb_learn_rcu()). */
enum nsw_learn {
	NSW_LEARN_KNOWN,	/* the port's already: refreshed if learned */
	NSW_LEARN_NEW,		/* a new entry */
	NSW_LEARN_MOVED,	/* moved from another port */
	NSW_LEARN_LIMIT,	/* the port is at its mac-limit: not learned */
	NSW_LEARN_CONFLICT,	/* another port's guest or static MAC, or local */
	NSW_LEARN_REFLECTION,	/* on an uplink: the switch's own frame, back */
};

/**
 * struct nsw_fdb_entry - where frames to one {MAC, VLAN} go
 * @node: in the switch's FDB rhashtable
 * @key: {MAC, VLAN}
 * @port: destination port, NULL for NSW_FDB_LOCAL entries. Stable for the
 *	life of a static entry; a learned one moves (written under fdb_lock,
 *	read with READ_ONCE()). The port outlives its entries: nsw_port_del()
 *	removes them before it frees the port after a grace period.
 * @flags: enum nsw_fdb_flags; written under fdb_lock, read with
 *	READ_ONCE() (an admin's entry can become a guest's in place)
 * @updated: jiffies when a learned entry's MAC was last seen; refreshed
 *	lock-free by the data path (WRITE_ONCE, only when it changed). It
 *	starts the cache line of what only writers and walks touch, so that
 *	refreshing a source does not evict what a lookup of it reads.
 * @mac_node: in the switch's fdb_mac rhltable, with every entry of its MAC
 *	whatever its VLAN: what a new every-VLAN entry would clash with
 * @list: in the switch's fdb_list, for walks (flush, dump, ageing)
 * @rcu: frees the entry after a grace period
 *
 * Lifetime: allocated from nsw_fdb_cache; inserted and removed under the
 * switch's fdb_lock; looked up under RCU; freed by nsw_fdb_free_rcu()
 * after a grace period (module exit waits for those with rcu_barrier()
 * before it destroys the cache). Learned entries are created by the data
 * path (GFP_ATOMIC, bounded by the port's mac-limit), removed by the
 * ageing work, flushes and the port's removal.
 */
struct nsw_fdb_entry {
	struct rhash_head node;
	struct nsw_fdb_key key;
	struct nsw_port *port;
	unsigned long flags;

	unsigned long updated ____cacheline_aligned_in_smp;
	struct rhlist_head mac_node;
	struct hlist_node list;
	struct rcu_head rcu;
};

/**
 * struct nsw_fdb_any - which MACs may have an entry of every VLAN
 * @rcu: frees a replaced filter after a grace period
 * @bits: log2 of the number of slots
 * @count: per slot, how many every-VLAN entries have a MAC that hashes to
 *	it (nsw_fdb_any_slot()); saturates at U8_MAX and then stays there (a
 *	slot too high costs a lookup, never a wrong answer)
 *
 * While a MAC's slot is zero, a lookup skips the every-VLAN key: known
 * unicast to a learned MAC costs one lookup. The slots grow and shrink with
 * the number of every-VLAN entries (nsw_fdb_any_fit()), about sixteen an
 * entry, so such a MAC finds a zero slot as often beside 100000 guest MACs
 * as beside ten.
 *
 * Lifetime: the switch's (sw->fdb_any), from nsw_fdb_init() to
 * nsw_fdb_destroy(). Every-VLAN entries are added and removed only under
 * RTNL (the admin's and the guests' MACs, never learned), so the filter is
 * replaced under RTNL and the old one freed after a grace period; its
 * slots are written under RTNL and fdb_lock, read locklessly by the data
 * path.
 */
struct nsw_fdb_any {
	struct rcu_head rcu;
	unsigned int bits;
	u8 count[];
};

int nsw_fdb_cache_init(void);
void nsw_fdb_cache_exit(void);

int nsw_fdb_init(struct nsw_switch *sw);
void nsw_fdb_destroy(struct nsw_switch *sw);

struct nsw_fdb_entry *nsw_fdb_lookup_rcu(struct nsw_switch *sw,
					 const u8 *addr, u16 vid);
struct nsw_fdb_entry *nsw_fdb_find_rcu(struct nsw_switch *sw,
				       const u8 *addr, u16 vid);
int nsw_fdb_add_static(struct nsw_switch *sw, struct nsw_port *port,
		       const u8 *addr, u16 vid, unsigned long flags,
		       bool evict);
void nsw_fdb_del_static(struct nsw_switch *sw, const u8 *addr, u16 vid);
bool nsw_fdb_mac_taken(struct nsw_switch *sw, const struct nsw_port *port,
		       const u8 *addr);
int nsw_fdb_del_admin(struct nsw_port *port, const u8 *addr, u16 vid,
		      bool guest);
void nsw_fdb_del_port(struct nsw_switch *sw, const struct nsw_port *port);
void nsw_fdb_flush(struct nsw_switch *sw, const struct nsw_port *port);

struct nsw_port_cfg;
enum nsw_learn nsw_fdb_learn_rcu(struct nsw_port *port,
				 const struct nsw_port_cfg *cfg,
				 const u8 *addr, u16 vid,
				 struct nsw_port **moved_from);

int nsw_fdb_fill_neigh(struct sk_buff *skb, const struct nsw_switch *sw,
		       const struct nsw_fdb_entry *fdb, u32 portid, u32 seq,
		       int type, unsigned int nlflags);

struct netlink_callback;
int nsw_fdb_dump(struct sk_buff *skb, struct netlink_callback *cb,
		 struct net_device *dev, struct net_device *filter_dev,
		 int *idx);

#endif /* _NSW_FDB_H */

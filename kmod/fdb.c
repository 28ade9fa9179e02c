// SPDX-License-Identifier: GPL-2.0
/*
 * The forwarding database: {MAC, VLAN} -> port, in an rhashtable as the
 * Linux bridge keeps it. Lookups and the refresh of a known source are
 * lock-free under RCU; inserts, moves and removals take the switch's
 * fdb_lock; entries are freed after a grace period. Learned entries are
 * bounded per port by its mac-limit and aged out by delayed work.
 */
#include <linux/etherdevice.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/rhashtable.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/netlink.h>
#include <uapi/linux/neighbour.h>

#include "device.h"
#include "fdb.h"
#include "notify.h"
#include "port.h"

/* The ageing work runs at least this often, and at most ten times a second. */
#define NSW_AGEING_PERIOD	(2 * HZ)
#define NSW_AGEING_GAP		(HZ / 10)

/*
 * How long a MAC learned on a guest port holds against the same MAC on an
 * uplink: a reflection of the guest's flood is back well within it; a
 * nested guest silent this long may have migrated behind the uplink.
 */
#define NSW_REFLECTION_HOLD	(2 * HZ)

/*
 * Slots of the every-VLAN filter (struct nsw_fdb_any): 2^NSW_FDB_ANY_SPREAD
 * an entry, so about 6% of other MACs share a slot with one; at least 4 KiB,
 * at most 4 MiB (262144 every-VLAN entries at full spread).
 */
#define NSW_FDB_ANY_SPREAD	4
#define NSW_FDB_ANY_MIN_BITS	12
#define NSW_FDB_ANY_MAX_BITS	22

static struct kmem_cache *nsw_fdb_cache __read_mostly;

/*
 * Whether @obj's key differs from the one looked up: a six and a two byte
 * compare, inline, where rhashtable's default calls memcmp().
 */
static int nsw_fdb_key_cmp(struct rhashtable_compare_arg *arg,
			   const void *obj)
{
	const struct nsw_fdb_entry *fdb = obj;
	const struct nsw_fdb_key *key = arg->key;

	return !ether_addr_equal(fdb->key.addr, key->addr) ||
	       fdb->key.vid != key->vid;
}

static const struct rhashtable_params nsw_fdb_params = {
	.head_offset = offsetof(struct nsw_fdb_entry, node),
	.key_offset = offsetof(struct nsw_fdb_entry, key),
	.key_len = sizeof(struct nsw_fdb_key),
	.obj_cmpfn = nsw_fdb_key_cmp,
	.automatic_shrinking = true,
};

/* sw->fdb_mac: the entries of a MAC, in every VLAN. */
static const struct rhashtable_params nsw_fdb_mac_params = {
	.head_offset = offsetof(struct nsw_fdb_entry, mac_node),
	.key_offset = offsetof(struct nsw_fdb_entry, key.addr),
	.key_len = ETH_ALEN,
	.automatic_shrinking = true,
};

/* Entries in cache lines of their own (see struct nsw_fdb_entry). */
int __init nsw_fdb_cache_init(void)
{
	nsw_fdb_cache = kmem_cache_create("nestsw_fdb",
					  sizeof(struct nsw_fdb_entry), 0,
					  SLAB_HWCACHE_ALIGN, NULL);
	return nsw_fdb_cache ? 0 : -ENOMEM;
}

/* After rcu_barrier(): no entry is still waiting for its grace period. */
void nsw_fdb_cache_exit(void)
{
	kmem_cache_destroy(nsw_fdb_cache);
}

static void nsw_fdb_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(nsw_fdb_cache,
			container_of(head, struct nsw_fdb_entry, rcu));
}

static struct nsw_fdb_any *nsw_fdb_any_alloc(unsigned int bits)
{
	struct nsw_fdb_any *any;

	any = kvzalloc(struct_size(any, count, BIT(bits)), GFP_KERNEL);
	if (any)
		any->bits = bits;
	return any;
}

static void nsw_fdb_ageing(struct work_struct *work);

int nsw_fdb_init(struct nsw_switch *sw)
{
	struct nsw_fdb_any *any;
	int err;

	spin_lock_init(&sw->fdb_lock);
	INIT_HLIST_HEAD(&sw->fdb_list);
	any = nsw_fdb_any_alloc(NSW_FDB_ANY_MIN_BITS);
	if (!any)
		return -ENOMEM;
	RCU_INIT_POINTER(sw->fdb_any, any);
	err = rhashtable_init(&sw->fdb, &nsw_fdb_params);
	if (err)
		goto free_any;
	err = rhltable_init(&sw->fdb_mac, &nsw_fdb_mac_params);
	if (err)
		goto destroy_fdb;
	INIT_DELAYED_WORK(&sw->fdb_ageing, nsw_fdb_ageing);
	queue_delayed_work(system_long_wq, &sw->fdb_ageing, NSW_AGEING_PERIOD);
	return 0;

destroy_fdb:
	rhashtable_destroy(&sw->fdb);
free_any:
	kvfree(any);
	return err;
}

static void nsw_fdb_free(void *ptr, void *arg)
{
	kmem_cache_free(nsw_fdb_cache, ptr);
}

/*
 * Called once no data path can reach the switch (and its ports are gone):
 * no grace period needed. The ageing work is stopped first.
 */
void nsw_fdb_destroy(struct nsw_switch *sw)
{
	cancel_delayed_work_sync(&sw->fdb_ageing);
	rhltable_destroy(&sw->fdb_mac);
	rhashtable_free_and_destroy(&sw->fdb, nsw_fdb_free, NULL);
	kvfree(rcu_dereference_protected(sw->fdb_any, true));
}

static void nsw_fdb_key_init(struct nsw_fdb_key *key, const u8 *addr, u16 vid)
{
	ether_addr_copy(key->addr, addr);
	key->vid = vid;
}

struct nsw_fdb_entry *nsw_fdb_lookup_rcu(struct nsw_switch *sw,
					 const u8 *addr, u16 vid)
{
	struct nsw_fdb_key key;

	nsw_fdb_key_init(&key, addr, vid);
	return rhashtable_lookup(&sw->fdb, &key, nsw_fdb_params);
}

/* The slot of @addr in a filter of 2^@bits slots: its last four bytes. */
static unsigned int nsw_fdb_any_slot(const u8 *addr, unsigned int bits)
{
	return hash_32(get_unaligned((const u32 *)(addr + 2)), bits);
}

/* Counts @fdb in or out of @any if it is an entry of every VLAN. */
static void nsw_fdb_any_count(struct nsw_fdb_any *any,
			      const struct nsw_fdb_entry *fdb, int n)
{
	u8 *slot;

	if (fdb->key.vid != NSW_VID_ANY)
		return;
	slot = &any->count[nsw_fdb_any_slot(fdb->key.addr, any->bits)];
	if (*slot != U8_MAX)
		WRITE_ONCE(*slot, *slot + n);
}

/*
 * An entry in or out of the switch's filter; fdb_lock held, and RTNL for
 * an entry of every VLAN (learned ones are of one VLAN: nothing to do).
 */
static void nsw_fdb_any_account(struct nsw_switch *sw,
				const struct nsw_fdb_entry *fdb, int n)
{
	if (fdb->key.vid != NSW_VID_ANY)
		return;
	sw->n_any += n;
	nsw_fdb_any_count(rtnl_dereference(sw->fdb_any), fdb, n);
}

/* The filter's size for @n entries of every VLAN. */
static unsigned int nsw_fdb_any_bits(unsigned int n)
{
	return clamp_t(unsigned int, order_base_2(n) + NSW_FDB_ANY_SPREAD,
		       NSW_FDB_ANY_MIN_BITS, NSW_FDB_ANY_MAX_BITS);
}

/*
 * Sizes the filter to the entries of every VLAN after they changed: a new
 * one, twice as big, when they outgrow it, half as big or less when they
 * fill a quarter of the size they need. RTNL: those entries change only
 * under it, so the walk counts a stable set. If the allocation fails, the
 * old filter stays: still right, only more often asking for a lookup.
 */
static void nsw_fdb_any_fit(struct nsw_switch *sw)
{
	struct nsw_fdb_any *old = rtnl_dereference(sw->fdb_any), *any;
	unsigned int bits = nsw_fdb_any_bits(sw->n_any);
	struct nsw_fdb_entry *fdb;

	if (bits <= old->bits && bits + 2 > old->bits)
		return;
	any = nsw_fdb_any_alloc(bits);
	if (!any)
		return;
	rcu_read_lock();
	hlist_for_each_entry_rcu(fdb, &sw->fdb_list, list)
		nsw_fdb_any_count(any, fdb, 1);
	rcu_read_unlock();
	rcu_assign_pointer(sw->fdb_any, any);
	kvfree_rcu(old, rcu);
}

/* Whether @addr may have an entry of every VLAN. RCU. */
static bool nsw_fdb_any_maybe(const struct nsw_switch *sw, const u8 *addr)
{
	const struct nsw_fdb_any *any = rcu_dereference(sw->fdb_any);

	return READ_ONCE(any->count[nsw_fdb_any_slot(addr, any->bits)]);
}

/*
 * Where frames to @addr in VLAN @vid go: an entry for every VLAN (a guest's
 * MAC, the switch's own), else the entry of that VLAN. Most MACs have no
 * entry of every VLAN, and the filter says so without a lookup: a learned
 * MAC costs one lookup, not two. A reader that races with an insert sees
 * the entry or not, as without the filter (the count goes up before the
 * entry is published and down after it is unpublished).
 */
struct nsw_fdb_entry *nsw_fdb_find_rcu(struct nsw_switch *sw,
				       const u8 *addr, u16 vid)
{
	struct nsw_fdb_entry *fdb;

	if (nsw_fdb_any_maybe(sw, addr)) {
		fdb = nsw_fdb_lookup_rcu(sw, addr, NSW_VID_ANY);
		if (fdb || vid == NSW_VID_ANY)
			return fdb;
	} else if (vid == NSW_VID_ANY) {
		return NULL;
	}
	return nsw_fdb_lookup_rcu(sw, addr, vid);
}

static void nsw_fdb_del_locked(struct nsw_switch *sw,
			       struct nsw_fdb_entry *fdb);

/* Whether @fdb is for a MAC in VLAN @vid, or in every VLAN. */
static bool nsw_fdb_overlaps(const struct nsw_fdb_entry *fdb, u16 vid)
{
	return vid == NSW_VID_ANY || fdb->key.vid == vid ||
	       fdb->key.vid == NSW_VID_ANY;
}

/*
 * Whether an entry clashes with a new static one of @port for {@addr,
 * @vid}: an entry of every VLAN clashes with any entry of its MAC, and the
 * reverse. Entries learned on @port give way, and with @evict (the admin's
 * word) those learned on other ports too: if nothing else clashes, they
 * are removed. A guest's own MAC change never evicts: another station's
 * entry is not the guest's to take. Caller holds sw->fdb_lock and RCU.
 */
static bool nsw_fdb_clash_locked(struct nsw_switch *sw,
				 const struct nsw_port *port, const u8 *addr,
				 u16 vid, bool evict)
{
	struct rhlist_head *list, *pos;
	struct nsw_fdb_entry *fdb;

	list = rhltable_lookup(&sw->fdb_mac, addr, nsw_fdb_mac_params);
	rhl_for_each_entry_rcu(fdb, pos, list, mac_node)
		if (nsw_fdb_overlaps(fdb, vid) &&
		    !((fdb->flags & NSW_FDB_LEARNED) &&
		      (evict || fdb->port == port)))
			return true;
	rhl_for_each_entry_rcu(fdb, pos, list, mac_node)
		if (nsw_fdb_overlaps(fdb, vid))
			nsw_fdb_del_locked(sw, fdb);
	return false;
}

/*
 * Whether @addr is another's: an entry of it, in any VLAN, that is not
 * @port's and not learned (another port's guest or static MAC, or the
 * switch's own). RTNL.
 */
bool nsw_fdb_mac_taken(struct nsw_switch *sw, const struct nsw_port *port,
		       const u8 *addr)
{
	struct rhlist_head *list, *pos;
	struct nsw_fdb_entry *fdb;
	bool taken = false;

	spin_lock_bh(&sw->fdb_lock);
	rcu_read_lock();
	list = rhltable_lookup(&sw->fdb_mac, addr, nsw_fdb_mac_params);
	rhl_for_each_entry_rcu(fdb, pos, list, mac_node)
		if (fdb->port != port && !(fdb->flags & NSW_FDB_LEARNED))
			taken = true;
	rcu_read_unlock();
	spin_unlock_bh(&sw->fdb_lock);
	return taken;
}

/*
 * Publishes @fdb in both tables; caller holds sw->fdb_lock. The MAC table
 * first: only writers, under the lock, read it.
 */
static int nsw_fdb_insert_locked(struct nsw_switch *sw,
				 struct nsw_fdb_entry *fdb)
{
	int err;

	err = rhltable_insert(&sw->fdb_mac, &fdb->mac_node,
			      nsw_fdb_mac_params);
	if (err)
		return err;
	nsw_fdb_any_account(sw, fdb, 1);
	err = rhashtable_lookup_insert_fast(&sw->fdb, &fdb->node,
					    nsw_fdb_params);
	if (err) {
		nsw_fdb_any_account(sw, fdb, -1);
		rhltable_remove(&sw->fdb_mac, &fdb->mac_node,
				nsw_fdb_mac_params);
		return err;
	}
	hlist_add_head_rcu(&fdb->list, &sw->fdb_list);
	nsw_notify_neigh(sw, fdb, RTM_NEWNEIGH);
	return 0;
}

/*
 * Caller holds RTNL. -EEXIST if an entry holds @addr in VLAN @vid (see
 * nsw_fdb_clash_locked() for @evict).
 */
int nsw_fdb_add_static(struct nsw_switch *sw, struct nsw_port *port,
		       const u8 *addr, u16 vid, unsigned long flags,
		       bool evict)
{
	struct nsw_fdb_entry *fdb;
	int err = -EEXIST;

	fdb = kmem_cache_zalloc(nsw_fdb_cache, GFP_KERNEL);
	if (!fdb)
		return -ENOMEM;

	nsw_fdb_key_init(&fdb->key, addr, vid);
	fdb->port = port;
	fdb->flags = flags;

	spin_lock_bh(&sw->fdb_lock);
	rcu_read_lock();
	if (!nsw_fdb_clash_locked(sw, port, addr, vid, evict))
		err = nsw_fdb_insert_locked(sw, fdb);
	rcu_read_unlock();
	spin_unlock_bh(&sw->fdb_lock);
	if (err)
		kmem_cache_free(nsw_fdb_cache, fdb);
	else
		nsw_fdb_any_fit(sw);
	return err;
}

/* Caller holds sw->fdb_lock. */
static void nsw_fdb_del_locked(struct nsw_switch *sw,
			       struct nsw_fdb_entry *fdb)
{
	nsw_notify_neigh(sw, fdb, RTM_DELNEIGH);
	if (fdb->flags & NSW_FDB_LEARNED)
		nsw_port_unlearned(fdb->port);
	rhashtable_remove_fast(&sw->fdb, &fdb->node, nsw_fdb_params);
	rhltable_remove(&sw->fdb_mac, &fdb->mac_node, nsw_fdb_mac_params);
	nsw_fdb_any_account(sw, fdb, -1);
	hlist_del_init_rcu(&fdb->list);
	call_rcu(&fdb->rcu, nsw_fdb_free_rcu);
}

void nsw_fdb_del_static(struct nsw_switch *sw, const u8 *addr, u16 vid)
{
	struct nsw_fdb_entry *fdb;

	spin_lock_bh(&sw->fdb_lock);
	rcu_read_lock();
	fdb = nsw_fdb_lookup_rcu(sw, addr, vid);
	if (fdb)
		nsw_fdb_del_locked(sw, fdb);
	rcu_read_unlock();
	spin_unlock_bh(&sw->fdb_lock);
	nsw_fdb_any_fit(sw);
}

/**
 * nsw_fdb_del_admin() - remove a static entry the admin added to @port
 * @port: the port the entry must point to
 * @addr: its MAC
 * @vid: its VLAN, or NSW_VID_ANY
 * @guest: @addr is also the port's guest MAC: the entry stays, as the
 *	guest's (port.c does not add a guest entry the port already has)
 *
 * Caller holds RTNL. Return: 0, -ENOENT if there is no such entry, -EINVAL
 * if it is not an admin's static entry of @port.
 */
int nsw_fdb_del_admin(struct nsw_port *port, const u8 *addr, u16 vid,
		      bool guest)
{
	struct nsw_switch *sw = port->sw;
	struct nsw_fdb_entry *fdb;
	int err = 0;

	spin_lock_bh(&sw->fdb_lock);
	rcu_read_lock();
	fdb = nsw_fdb_lookup_rcu(sw, addr, vid);
	if (!fdb)
		err = -ENOENT;
	else if (fdb->port != port || !(fdb->flags & NSW_FDB_STATIC))
		err = -EINVAL;
	else if (guest)
		WRITE_ONCE(fdb->flags, NSW_FDB_GUEST);
	else
		nsw_fdb_del_locked(sw, fdb);
	rcu_read_unlock();
	spin_unlock_bh(&sw->fdb_lock);
	nsw_fdb_any_fit(sw);
	return err;
}

/*
 * Removes every entry pointing to @port; the port is freed after this.
 * RTNL.
 */
void nsw_fdb_del_port(struct nsw_switch *sw, const struct nsw_port *port)
{
	struct nsw_fdb_entry *fdb;
	struct hlist_node *tmp;

	spin_lock_bh(&sw->fdb_lock);
	hlist_for_each_entry_safe(fdb, tmp, &sw->fdb_list, list) {
		if (fdb->port == port)
			nsw_fdb_del_locked(sw, fdb);
	}
	spin_unlock_bh(&sw->fdb_lock);
	nsw_fdb_any_fit(sw);
}

/* Removes the learned entries of @port, or of every port if NULL. */
void nsw_fdb_flush(struct nsw_switch *sw, const struct nsw_port *port)
{
	struct nsw_fdb_entry *fdb;
	struct hlist_node *tmp;

	spin_lock_bh(&sw->fdb_lock);
	hlist_for_each_entry_safe(fdb, tmp, &sw->fdb_list, list) {
		if ((fdb->flags & NSW_FDB_LEARNED) && (!port || fdb->port == port))
			nsw_fdb_del_locked(sw, fdb);
	}
	spin_unlock_bh(&sw->fdb_lock);
}

/* A new learned entry; caller holds sw->fdb_lock. */
static enum nsw_learn nsw_fdb_create_locked(struct nsw_port *port,
					    const u8 *addr, u16 vid)
{
	struct nsw_switch *sw = port->sw;
	struct nsw_fdb_entry *fdb;

	fdb = kmem_cache_alloc(nsw_fdb_cache, GFP_ATOMIC);
	if (unlikely(!fdb))
		return NSW_LEARN_LIMIT;
	nsw_fdb_key_init(&fdb->key, addr, vid);
	fdb->port = port;
	fdb->flags = NSW_FDB_LEARNED;
	fdb->updated = jiffies;
	if (unlikely(nsw_fdb_insert_locked(sw, fdb))) {
		kmem_cache_free(nsw_fdb_cache, fdb);
		return NSW_LEARN_LIMIT;
	}
	nsw_port_learned(port);
	nsw_event_fdb(sw, NESTSW_EVENT_LEARN, fdb, NULL);
	return NSW_LEARN_NEW;
}

/*
 * Whether a frame from an uplink whose source is @fdb's MAC, of another
 * port, is the switch's own frame back from the physical network (ESXi's
 * reverse-path check): the switch's own MAC, a guest port's guest or
 * static MAC, or a MAC learned on a guest port and seen there within
 * NSW_REFLECTION_HOLD. A MAC of another uplink is not: the physical
 * network's MACs move between uplinks. RCU.
 */
static bool nsw_fdb_reflected_rcu(const struct nsw_fdb_entry *fdb,
				  unsigned long now)
{
	const struct nsw_port *owner = READ_ONCE(fdb->port);

	if (!owner)
		return true;
	if (rcu_dereference(owner->cfg)->uplink)
		return false;
	return !(READ_ONCE(fdb->flags) & NSW_FDB_LEARNED) ||
	       time_before(now, READ_ONCE(fdb->updated) + NSW_REFLECTION_HOLD);
}

/*
 * Whether @fdb, not on the port of @cfg, is on its side all the same; the
 * source then has not moved. A teammate's entry is the team's: the source
 * does not move between the VM's vNICs (delivery picks the member), nor is
 * a teammate's guest MAC a conflict (a bond gives its members one MAC).
 * The uplinks are one network, which floods to them all: a MAC behind one
 * that turns up behind another is where it was (and the way back to it is
 * the sender's own uplink, whichever it is behind). RCU.
 */
static bool nsw_fdb_same_side(const struct nsw_fdb_entry *fdb,
			      const struct nsw_port_cfg *cfg)
{
	const struct nsw_port *owner = READ_ONCE(fdb->port);

	if (cfg->team)
		return nsw_port_in_team(owner, cfg->team);
	return cfg->uplink && owner && rcu_dereference(owner->cfg)->uplink;
}

/*
 * A source that is not @port's yet: learned, moved to @port, or refused.
 * The slow path of nsw_fdb_learn_rcu(), under the lock.
 */
static noinline enum nsw_learn
nsw_fdb_learn_slow(struct nsw_port *port, const struct nsw_port_cfg *cfg,
		   const u8 *addr, u16 vid, struct nsw_port **moved_from)
{
	struct nsw_switch *sw = port->sw;
	struct nsw_fdb_entry *fdb;
	enum nsw_learn ret;

	spin_lock(&sw->fdb_lock);
	fdb = nsw_fdb_find_rcu(sw, addr, vid);
	if (fdb && fdb->port != port && cfg->uplink &&
	    nsw_fdb_reflected_rcu(fdb, jiffies)) {
		ret = NSW_LEARN_REFLECTION;
	} else if (fdb && fdb->port != port && nsw_fdb_same_side(fdb, cfg)) {
		if (fdb->flags & NSW_FDB_LEARNED)
			WRITE_ONCE(fdb->updated, jiffies);
		ret = NSW_LEARN_KNOWN;
	} else if (fdb && !(fdb->flags & NSW_FDB_LEARNED)) {
		ret = fdb->port == port ? NSW_LEARN_KNOWN : NSW_LEARN_CONFLICT;
	} else if (fdb && fdb->port == port) {
		WRITE_ONCE(fdb->updated, jiffies);
		ret = NSW_LEARN_KNOWN;
	} else if (port->n_learned >= cfg->mac_limit) {
		ret = NSW_LEARN_LIMIT;
	} else if (fdb) {
		*moved_from = fdb->port;
		nsw_port_unlearned(fdb->port);
		nsw_port_learned(port);
		WRITE_ONCE(fdb->port, port);
		WRITE_ONCE(fdb->updated, jiffies);
		nsw_event_fdb(sw, NESTSW_EVENT_MOVE, fdb, *moved_from);
		nsw_notify_neigh(sw, fdb, RTM_NEWNEIGH);
		ret = NSW_LEARN_MOVED;
	} else {
		ret = nsw_fdb_create_locked(port, addr, vid);
	}
	spin_unlock(&sw->fdb_lock);
	return ret;
}

/**
 * nsw_fdb_learn_rcu() - learn that @addr in VLAN @vid is behind @port
 * @port: the port the frame came in on, a learning one
 * @cfg: its configuration
 * @addr: the frame's source MAC
 * @vid: the frame's VLAN
 * @moved_from: set to the port a moved entry was on
 *
 * A known source of @port costs one lookup and, once a jiffy, a store; a
 * new one takes the lock and allocates, within the port's mac-limit (read
 * before the lock, checked again under it). On an
 * uplink, a source of the switch's own side is a reflection: refused,
 * with nothing moved or refreshed (nsw_fdb_reflected_rcu()).
 * Called from the data path under RCU, BH disabled.
 */
enum nsw_learn nsw_fdb_learn_rcu(struct nsw_port *port,
				 const struct nsw_port_cfg *cfg,
				 const u8 *addr, u16 vid,
				 struct nsw_port **moved_from)
{
	struct nsw_fdb_entry *fdb = nsw_fdb_find_rcu(port->sw, addr, vid);
	unsigned long now = jiffies;

	if (likely(fdb && READ_ONCE(fdb->port) == port)) {
		if (READ_ONCE(fdb->updated) != now)
			WRITE_ONCE(fdb->updated, now);
		return NSW_LEARN_KNOWN;
	}
	if (unlikely(fdb && nsw_fdb_same_side(fdb, cfg))) {
		if ((READ_ONCE(fdb->flags) & NSW_FDB_LEARNED) &&
		    READ_ONCE(fdb->updated) != now)
			WRITE_ONCE(fdb->updated, now);
		return NSW_LEARN_KNOWN;
	}
	if (fdb && cfg->uplink && nsw_fdb_reflected_rcu(fdb, now))
		return NSW_LEARN_REFLECTION;
	if (fdb && !(READ_ONCE(fdb->flags) & NSW_FDB_LEARNED))
		return NSW_LEARN_CONFLICT;
	/*
	 * A new source or a move, refused at the limit: a flood of new MACs
	 * at a full port must not serialise every CPU's learning on the lock.
	 */
	if (READ_ONCE(port->n_learned) >= cfg->mac_limit)
		return NSW_LEARN_LIMIT;
	return nsw_fdb_learn_slow(port, cfg, addr, vid, moved_from);
}

/* When a learned entry expires, from its port's ageing time. RCU. */
static unsigned long nsw_fdb_expires(const struct nsw_fdb_entry *fdb)
{
	const struct nsw_port *port = READ_ONCE(fdb->port);

	return READ_ONCE(fdb->updated) + rcu_dereference(port->cfg)->ageing;
}

/*
 * Removes the learned entries whose time is up, then runs again when the
 * next one's is (at most NSW_AGEING_PERIOD later, so that an entry of a
 * port with a short ageing time learned meanwhile is not kept long).
 */
static void nsw_fdb_ageing(struct work_struct *work)
{
	struct nsw_switch *sw = container_of(work, struct nsw_switch,
					     fdb_ageing.work);
	unsigned long now = jiffies, next = now + NSW_AGEING_PERIOD;
	struct nsw_fdb_entry *fdb;
	unsigned long expires;

	rcu_read_lock();
	hlist_for_each_entry_rcu(fdb, &sw->fdb_list, list) {
		if (!(READ_ONCE(fdb->flags) & NSW_FDB_LEARNED))
			continue;
		expires = nsw_fdb_expires(fdb);
		if (time_after(expires, now)) {
			if (time_before(expires, next))
				next = expires;
			continue;
		}
		spin_lock_bh(&sw->fdb_lock);
		/* Still there, and not refreshed meanwhile? */
		if (!hlist_unhashed(&fdb->list) &&
		    !time_after(nsw_fdb_expires(fdb), jiffies)) {
			nsw_event_fdb(sw, NESTSW_EVENT_AGE, fdb, NULL);
			nsw_fdb_del_locked(sw, fdb);
		}
		spin_unlock_bh(&sw->fdb_lock);
	}
	rcu_read_unlock();
	queue_delayed_work(system_long_wq, &sw->fdb_ageing,
			   max(next - now, (unsigned long)NSW_AGEING_GAP));
}

/*
 * rtnetlink: "bridge fdb show" lists the switch's entries through the
 * switch device. (Adding them with "bridge fdb add ... master" is not
 * possible: the core sends that only to masters of IFF_BRIDGE_PORT
 * devices, a flag that tells other code the port is a Linux bridge's.)
 */

/* A learned entry's age, as the bridge reports it ("bridge -s fdb"). */
static int nsw_fdb_put_cacheinfo(struct sk_buff *skb,
				 const struct nsw_fdb_entry *fdb)
{
	unsigned long age = jiffies - READ_ONCE(fdb->updated);
	struct nda_cacheinfo ci = {
		.ndm_used = jiffies_to_clock_t(age),
		.ndm_confirmed = jiffies_to_clock_t(age),
		.ndm_updated = jiffies_to_clock_t(age),
	};

	return nla_put(skb, NDA_CACHEINFO, sizeof(ci), &ci);
}

/*
 * @fdb as an AF_BRIDGE neighbour message of @type (RTM_NEWNEIGH,
 * RTM_DELNEIGH), for a dump (@nlflags NLM_F_MULTI) or a notification.
 */
int nsw_fdb_fill_neigh(struct sk_buff *skb, const struct nsw_switch *sw,
		       const struct nsw_fdb_entry *fdb, u32 portid, u32 seq,
		       int type, unsigned int nlflags)
{
	const struct nsw_port *port = READ_ONCE(fdb->port);
	unsigned long flags;
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;

	nlh = nlmsg_put(skb, portid, seq, type, sizeof(*ndm), nlflags);
	if (!nlh)
		return -EMSGSIZE;

	ndm = nlmsg_data(nlh);
	memset(ndm, 0, sizeof(*ndm));
	ndm->ndm_family = AF_BRIDGE;
	ndm->ndm_ifindex = port ? port->dev->ifindex : sw->dev->ifindex;
	flags = READ_ONCE(fdb->flags);
	ndm->ndm_state = flags & NSW_FDB_LOCAL ? NUD_PERMANENT :
			 flags & NSW_FDB_LEARNED ? NUD_REACHABLE : NUD_NOARP;
	if ((flags & NSW_FDB_LEARNED) && nsw_fdb_put_cacheinfo(skb, fdb))
		goto cancel;
	if (nla_put(skb, NDA_LLADDR, ETH_ALEN, fdb->key.addr) ||
	    nla_put_u32(skb, NDA_MASTER, sw->dev->ifindex) ||
	    (fdb->key.vid != NSW_VID_ANY &&
	     nla_put_u16(skb, NDA_VLAN, fdb->key.vid)))
		goto cancel;
	nlmsg_end(skb, nlh);
	return 0;

cancel:
	nlmsg_cancel(skb, nlh);
	return -EMSGSIZE;
}

/* The device of @fdb's port, or NULL for the switch's own MAC. RCU. */
static struct net_device *nsw_fdb_dev(const struct nsw_fdb_entry *fdb)
{
	const struct nsw_port *port = READ_ONCE(fdb->port);

	return port ? port->dev : NULL;
}

/* ndo_fdb_dump of the switch device: every entry, as a bridge's. */
int nsw_fdb_dump(struct sk_buff *skb, struct netlink_callback *cb,
		 struct net_device *dev, struct net_device *filter_dev,
		 int *idx)
{
	struct nsw_switch *sw = netdev_priv(dev);
	struct nsw_fdb_entry *fdb;
	int err = 0;

	rcu_read_lock();
	hlist_for_each_entry_rcu(fdb, &sw->fdb_list, list) {
		if (*idx < cb->args[2] ||
		    (filter_dev && nsw_fdb_dev(fdb) != filter_dev))
			goto skip;
		err = nsw_fdb_fill_neigh(skb, sw, fdb,
					 NETLINK_CB(cb->skb).portid,
					 cb->nlh->nlmsg_seq, RTM_NEWNEIGH,
					 NLM_F_MULTI);
		if (err)
			break;
skip:
		*idx += 1;
	}
	rcu_read_unlock();
	return err;
}

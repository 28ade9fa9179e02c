// SPDX-License-Identifier: GPL-2.0
/*
 * The forwarding database: {MAC, VLAN} -> port, in an rhashtable as the
 * Linux bridge keeps it. Lookups are lock-free under RCU; inserts and
 * removals take the switch's fdb_lock; entries are freed after a grace
 * period.
 */
#include <linux/etherdevice.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/netlink.h>
#include <uapi/linux/neighbour.h>

#include "device.h"
#include "fdb.h"
#include "port.h"

static const struct rhashtable_params nsw_fdb_params = {
	.head_offset = offsetof(struct nsw_fdb_entry, node),
	.key_offset = offsetof(struct nsw_fdb_entry, key),
	.key_len = sizeof(struct nsw_fdb_key),
	.automatic_shrinking = true,
};

int nsw_fdb_init(struct nsw_switch *sw)
{
	spin_lock_init(&sw->fdb_lock);
	INIT_HLIST_HEAD(&sw->fdb_list);
	return rhashtable_init(&sw->fdb, &nsw_fdb_params);
}

static void nsw_fdb_free(void *ptr, void *arg)
{
	kfree(ptr);
}

/* Called once no data path can reach the switch: no grace period needed. */
void nsw_fdb_destroy(struct nsw_switch *sw)
{
	rhashtable_free_and_destroy(&sw->fdb, nsw_fdb_free, NULL);
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

/*
 * Where frames to @addr in VLAN @vid go: an entry for every VLAN (a guest's
 * MAC, the switch's own), else the entry of that VLAN.
 */
struct nsw_fdb_entry *nsw_fdb_find_rcu(struct nsw_switch *sw,
				       const u8 *addr, u16 vid)
{
	struct nsw_fdb_entry *fdb;

	fdb = nsw_fdb_lookup_rcu(sw, addr, NSW_VID_ANY);
	if (fdb || vid == NSW_VID_ANY)
		return fdb;
	return nsw_fdb_lookup_rcu(sw, addr, vid);
}

/*
 * Whether an entry clashes with a new one for {@addr, @vid}: an entry of
 * every VLAN clashes with any entry of its MAC, and the reverse. Caller
 * holds sw->fdb_lock; a walk of the whole table for an every-VLAN entry is
 * fine at configuration time.
 */
static bool nsw_fdb_clash_locked(struct nsw_switch *sw, const u8 *addr,
				 u16 vid)
{
	struct nsw_fdb_entry *fdb;

	if (vid != NSW_VID_ANY)
		return nsw_fdb_lookup_rcu(sw, addr, vid) ||
		       nsw_fdb_lookup_rcu(sw, addr, NSW_VID_ANY);
	hlist_for_each_entry(fdb, &sw->fdb_list, list)
		if (ether_addr_equal(fdb->key.addr, addr))
			return true;
	return false;
}

/* Caller holds RTNL. -EEXIST if an entry holds @addr in VLAN @vid. */
int nsw_fdb_add_static(struct nsw_switch *sw, struct nsw_port *port,
		       const u8 *addr, u16 vid, unsigned long flags)
{
	struct nsw_fdb_entry *fdb;
	int err = -EEXIST;

	fdb = kzalloc(sizeof(*fdb), GFP_KERNEL);
	if (!fdb)
		return -ENOMEM;

	nsw_fdb_key_init(&fdb->key, addr, vid);
	fdb->port = port;
	fdb->flags = flags;

	spin_lock_bh(&sw->fdb_lock);
	rcu_read_lock();
	if (!nsw_fdb_clash_locked(sw, addr, vid))
		err = rhashtable_lookup_insert_fast(&sw->fdb, &fdb->node,
						    nsw_fdb_params);
	if (!err)
		hlist_add_head_rcu(&fdb->list, &sw->fdb_list);
	rcu_read_unlock();
	spin_unlock_bh(&sw->fdb_lock);
	if (err)
		kfree(fdb);
	return err;
}

/* Caller holds sw->fdb_lock. */
static void nsw_fdb_del_locked(struct nsw_switch *sw,
			       struct nsw_fdb_entry *fdb)
{
	rhashtable_remove_fast(&sw->fdb, &fdb->node, nsw_fdb_params);
	hlist_del_rcu(&fdb->list);
	kfree_rcu(fdb, rcu);
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
	return err;
}

/* Removes every entry pointing to @port; the port is freed after this. */
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
}

/*
 * rtnetlink: "bridge fdb show" lists the switch's entries through the
 * switch device. (Adding them with "bridge fdb add ... master" is not
 * possible: the core sends that only to masters of IFF_BRIDGE_PORT
 * devices, a flag that tells other code the port is a Linux bridge's.)
 */

static int nsw_fdb_fill(struct sk_buff *skb, const struct nsw_switch *sw,
			const struct nsw_fdb_entry *fdb, u32 portid, u32 seq)
{
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;
	bool local;

	nlh = nlmsg_put(skb, portid, seq, RTM_NEWNEIGH, sizeof(*ndm),
			NLM_F_MULTI);
	if (!nlh)
		return -EMSGSIZE;

	ndm = nlmsg_data(nlh);
	memset(ndm, 0, sizeof(*ndm));
	ndm->ndm_family = AF_BRIDGE;
	ndm->ndm_ifindex = fdb->port ? fdb->port->dev->ifindex :
				       sw->dev->ifindex;
	local = READ_ONCE(fdb->flags) & NSW_FDB_LOCAL;
	ndm->ndm_state = local ? NUD_PERMANENT : NUD_NOARP;
	if (nla_put(skb, NDA_LLADDR, ETH_ALEN, fdb->key.addr) ||
	    nla_put_u32(skb, NDA_MASTER, sw->dev->ifindex) ||
	    (fdb->key.vid != NSW_VID_ANY &&
	     nla_put_u16(skb, NDA_VLAN, fdb->key.vid))) {
		nlmsg_cancel(skb, nlh);
		return -EMSGSIZE;
	}
	nlmsg_end(skb, nlh);
	return 0;
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
		    (filter_dev && (!fdb->port || fdb->port->dev != filter_dev)))
			goto skip;
		err = nsw_fdb_fill(skb, sw, fdb, NETLINK_CB(cb->skb).portid,
				   cb->nlh->nlmsg_seq);
		if (err)
			break;
skip:
		*idx += 1;
	}
	rcu_read_unlock();
	return err;
}

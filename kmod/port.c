// SPDX-License-Identifier: GPL-2.0
/*
 * Ports: enslaving and releasing devices, their configuration (role, port
 * group, the guest's MACs) and the snapshot of it the data path reads, and
 * following the guest behind a veth port (its peer, in whatever netns it
 * lives) as its MAC changes.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/jhash.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/rtnetlink.h>
#include <uapi/linux/nestsw.h>

#include "device.h"
#include "fdb.h"
#include "pg.h"
#include "port.h"

/*
 * The guest side of a port that has a peer (veth; netkit since 6.7), in
 * whatever netns it lives, or NULL. The driver's pointer to the peer is
 * RCU-protected; our RTNL keeps the peer registered once found. RTNL.
 */
static struct net_device *nsw_peer(struct net_device *dev)
{
	const struct net_device_ops *ops = dev->netdev_ops;
	struct net_device *peer;

	if (!ops->ndo_get_peer_dev)
		return NULL;
	rcu_read_lock();
	peer = ops->ndo_get_peer_dev(dev);
	rcu_read_unlock();
	return peer;
}

const char *const nsw_drop_names[NSW_DROP_MAX] = {
	[NSW_DROP_VLAN] = "vlan",
	[NSW_DROP_FORGED] = "forged",
	[NSW_DROP_MAC_CHANGE] = "mac-change",
	[NSW_DROP_NO_DESTINATION] = "no-destination",
	[NSW_DROP_INVALID_SOURCE] = "invalid-source",
	[NSW_DROP_MTU] = "mtu",
	[NSW_DROP_LIMIT] = "limit",
	[NSW_DROP_STATIC_CONFLICT] = "static-conflict",
	[NSW_DROP_REFLECTION] = "reflection",
};

bool nsw_port_guest_promisc_rcu(const struct nsw_port *port)
{
	const struct net_device *peer = rcu_dereference(port->peer);

	if (peer)
		return READ_ONCE(peer->promiscuity) > 0;
	return READ_ONCE(port->guest_promisc);
}

/* The sums of the per-CPU counters. */
void nsw_port_read_stats(const struct nsw_port *port,
			 u64 drops[NSW_DROP_MAX], u64 learn[NSW_LEARN_MAX])
{
	int cpu, i;

	memset(drops, 0, NSW_DROP_MAX * sizeof(*drops));
	memset(learn, 0, NSW_LEARN_MAX * sizeof(*learn));
	for_each_possible_cpu(cpu) {
		const struct nsw_port_stats *stats = per_cpu_ptr(port->stats,
								 cpu);
		u64 d[NSW_DROP_MAX], l[NSW_LEARN_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&stats->syncp);
			for (i = 0; i < NSW_DROP_MAX; i++)
				d[i] = u64_stats_read(&stats->drops[i]);
			for (i = 0; i < NSW_LEARN_MAX; i++)
				l[i] = u64_stats_read(&stats->learn[i]);
		} while (u64_stats_fetch_retry(&stats->syncp, start));
		for (i = 0; i < NSW_DROP_MAX; i++)
			drops[i] += d[i];
		for (i = 0; i < NSW_LEARN_MAX; i++)
			learn[i] += l[i];
	}
}

/*
 * The port owning the every-VLAN entry of @mac, or NULL; with @guest_only,
 * only if it is a guest entry (not one the admin added). RTNL.
 */
static struct nsw_port *nsw_guest_mac_owner(struct nsw_switch *sw,
					    const u8 *mac, bool guest_only)
{
	struct nsw_fdb_entry *fdb;
	struct nsw_port *owner;

	rcu_read_lock();
	fdb = nsw_fdb_lookup_rcu(sw, mac, NSW_VID_ANY);
	owner = fdb && (!guest_only || (fdb->flags & NSW_FDB_GUEST)) ?
		fdb->port : NULL;
	rcu_read_unlock();
	return owner;
}

/* What the data path needs, from the port's current configuration. */
static void nsw_port_cfg_fill(const struct nsw_port *port,
			      struct nsw_port_cfg *cfg)
{
	bool guest = port->role == NESTSW_PORT_ROLE_GUEST;
	struct nsw_policy policy;

	nsw_pg_effective(port->sw, port->pg, &policy);
	memset(cfg, 0, sizeof(*cfg));
	cfg->vlan = port->pg->vlan;
	cfg->uplink = !guest;
	cfg->forged_reject = guest &&
		policy.forged_transmits == NESTSW_VERDICT_REJECT;
	cfg->mac_change_drop = guest &&
		policy.mac_changes == NESTSW_VERDICT_REJECT &&
		!ether_addr_equal(port->initial_mac, port->effective_mac);
	cfg->promisc_accept = guest &&
		policy.promiscuous == NESTSW_VERDICT_ACCEPT;
	ether_addr_copy(cfg->effective_mac, port->effective_mac);
	cfg->own_mac_known = guest &&
		nsw_guest_mac_owner(port->sw, port->effective_mac, false) == port;
	cfg->learn = !guest || policy.learning;
	cfg->flood_unknown = guest && policy.learning && policy.unknown_flood;
	cfg->limit_allow = policy.limit_policy == NESTSW_LIMIT_POLICY_ALLOW;
	cfg->mac_limit = policy.mac_limit;
	cfg->ageing = nsw_policy_ageing(&policy);
	cfg->group_fwd = policy.group_fwd;
	cfg->team = guest ? port->pg->team : NULL;
	if (guest)
		nsw_pg_uplink_masks(port->sw, port->pg, &cfg->active_uplinks,
				    &cfg->standby_uplinks);
	cfg->some_vlans = cfg->vlan == NESTSW_VLAN_TRUNK && port->pg->vlans.some;
	if (cfg->some_vlans)
		bitmap_copy(cfg->vlans, port->pg->vlans.map, VLAN_N_VID);
}

static bool nsw_port_cfg_same_vlans(const struct nsw_port_cfg *old,
				    const struct nsw_port_cfg *cfg)
{
	return old->vlan == cfg->vlan && old->some_vlans == cfg->some_vlans &&
	       (!cfg->some_vlans ||
		bitmap_equal(old->vlans, cfg->vlans, VLAN_N_VID));
}

/*
 * Whether the port's learned entries no longer hold after @cfg replaces
 * @old: it stopped learning, or its VLANs changed.
 */
static bool nsw_port_cfg_unlearns(const struct nsw_port_cfg *old,
				  const struct nsw_port_cfg *cfg)
{
	return old && old->learn &&
	       (!cfg->learn || !nsw_port_cfg_same_vlans(old, cfg));
}

/* Keeps the switch's count of promiscuous ports. RTNL. */
static void nsw_port_cfg_account(struct nsw_switch *sw,
				 const struct nsw_port_cfg *cfg, int delta)
{
	if (!cfg)
		return;
	if (cfg->promisc_accept)
		WRITE_ONCE(sw->n_promisc, sw->n_promisc + delta);
}

/* Publishes @cfg, filled from the port's configuration. RTNL. */
static void nsw_port_cfg_publish(struct nsw_port *port,
				 struct nsw_port_cfg *cfg)
{
	struct nsw_port_cfg *old;

	nsw_port_cfg_fill(port, cfg);
	nsw_port_cfg_account(port->sw, cfg, 1);
	old = rcu_replace_pointer(port->cfg, cfg, lockdep_rtnl_is_held());
	nsw_port_cfg_account(port->sw, old, -1);
	if (nsw_port_cfg_unlearns(old, cfg))
		nsw_fdb_flush(port->sw, port);
	if (old)
		kfree_rcu(old, rcu);
}

/*
 * Rebuilds the snapshot of every port of @sw in @pg (every port if @pg is
 * NULL) after a change of the group or of the switch's default policy.
 * The caller allocates the snapshots before it changes anything, so that
 * nothing is half applied: nsw_cfgs_alloc(), change, nsw_cfgs_publish().
 */
struct nsw_port_cfg **nsw_cfgs_alloc(struct nsw_switch *sw,
				     const struct nsw_pg *pg)
{
	struct nsw_port_cfg **cfgs;
	unsigned int n = 0, i;
	struct nsw_port *port;

	ASSERT_RTNL();
	list_for_each_entry(port, &sw->ports, list)
		n += !pg || port->pg == pg;

	/* NULL-terminated; filled from the start, so a failure frees all. */
	cfgs = kcalloc(n + 1, sizeof(*cfgs), GFP_KERNEL);
	if (!cfgs)
		return NULL;
	for (i = 0; i < n; i++) {
		cfgs[i] = kmalloc(sizeof(**cfgs), GFP_KERNEL);
		if (!cfgs[i]) {
			nsw_cfgs_free(cfgs);
			return NULL;
		}
	}
	return cfgs;
}

/* One cfg, as nsw_cfgs_alloc() gives them, for a change of one port. */
static struct nsw_port_cfg **nsw_cfgs_alloc_one(void)
{
	struct nsw_port_cfg **cfgs = kcalloc(2, sizeof(*cfgs), GFP_KERNEL);

	if (!cfgs)
		return NULL;
	cfgs[0] = kmalloc(sizeof(**cfgs), GFP_KERNEL);
	if (!cfgs[0]) {
		kfree(cfgs);
		return NULL;
	}
	return cfgs;
}

void nsw_cfgs_free(struct nsw_port_cfg **cfgs)
{
	struct nsw_port_cfg **cfg;

	for (cfg = cfgs; *cfg; cfg++)
		kfree(*cfg);
	kfree(cfgs);
}

static bool nsw_mac_is(const u8 *mac, const u8 *a, const u8 *b)
{
	return ether_addr_equal(mac, a) || ether_addr_equal(mac, b);
}

/*
 * Whether @change gives the MAC @i (0 initial, 1 effective) on the admin's
 * word: the admin's own MACs take over what other ports learned, and a
 * clash with another port's or a static entry refuses the change. Others
 * (the guest's, or the admin's kept as they were through a change of
 * group or role) never evict, and with @change->best_effort or when kept,
 * a MAC in use elsewhere gets no entry.
 */
static bool nsw_mac_by_admin(const struct nsw_port_change *change, int i)
{
	return !change->from_guest &&
	       (i ? change->effective_mac : change->initial_mac);
}

/*
 * Points the FDB's guest entries of @port at {@initial, @effective}:
 * adds what is new first, so that a conflict leaves everything as it was,
 * then removes what the port no longer uses.
 */
static int nsw_port_sync_guest_fdb(struct nsw_port *port, const u8 *initial,
				   const u8 *effective,
				   struct nsw_port_change *change,
				   struct netlink_ext_ack *extack)
{
	const u8 *had[] = { port->initial_mac, port->effective_mac };
	const u8 *want[] = { initial, effective };
	struct nsw_switch *sw = port->sw;
	bool added[2] = {}, admin;
	int i, err = 0;

	for (i = 0; i < 2; i++) {
		if (is_zero_ether_addr(want[i]) ||
		    (i && ether_addr_equal(want[0], want[1])) ||
		    nsw_guest_mac_owner(sw, want[i], false) == port)
			continue;
		admin = nsw_mac_by_admin(change, i);
		err = nsw_fdb_add_static(sw, port, want[i], NSW_VID_ANY,
					 NSW_FDB_GUEST, admin);
		if (err == -EEXIST &&
		    (change->best_effort || (!admin && !change->from_guest))) {
			if (net_ratelimit())
				netdev_warn(port->dev, "guest MAC %pM is in use elsewhere on %s: frames to it are not switched to this port\n",
					    want[i], netdev_name(sw->dev));
			continue;
		}
		if (err) {
			if (err == -EEXIST) {
				NL_SET_ERR_MSG_MOD(extack,
						   "MAC is already another port's or the switch's");
				change->conflict = want[i];
			}
			goto undo;
		}
		added[i] = true;
	}

	for (i = 0; i < 2; i++)
		if (!is_zero_ether_addr(had[i]) &&
		    !nsw_mac_is(had[i], initial, effective) &&
		    nsw_guest_mac_owner(sw, had[i], true) == port)
			nsw_fdb_del_static(sw, had[i], NSW_VID_ANY);
	return 0;

undo:
	while (i--)
		if (added[i])
			nsw_fdb_del_static(sw, want[i], NSW_VID_ANY);
	return err;
}

/*
 * The guest's MACs as the FDB holds them: none for an uplink; under
 * mac-changes reject, only the initial one (frames to a changed MAC are
 * dropped anyway, and an entry would claim another station's MAC).
 */
static void nsw_port_fdb_macs(const struct nsw_port *port,
			      const struct nsw_pg *pg, u32 role,
			      const u8 **initial, const u8 **effective)
{
	static const u8 no_mac[ETH_ALEN];
	struct nsw_policy policy;

	if (role != NESTSW_PORT_ROLE_GUEST) {
		*initial = no_mac;
		*effective = no_mac;
		return;
	}
	nsw_pg_effective(port->sw, pg, &policy);
	if (policy.mac_changes == NESTSW_VERDICT_REJECT &&
	    !ether_addr_equal(*initial, *effective))
		*effective = no_mac;
}

/*
 * After a policy change, the FDB holds a changed guest MAC or not as
 * mac-changes now says; best effort, as a guest's own change (a refusal
 * is logged).
 */
static void nsw_port_resync_guest_fdb(struct nsw_port *port)
{
	const u8 *initial = port->initial_mac, *effective = port->effective_mac;
	struct nsw_port_change change = {
		.from_guest = true,
		.best_effort = true,
	};

	nsw_port_fdb_macs(port, port->pg, port->role, &initial, &effective);
	if (nsw_port_sync_guest_fdb(port, initial, effective, &change, NULL))
		netdev_warn(port->dev, "out of memory switching the guest's MAC %pM\n",
			    effective);
}

/* Same RTNL section as nsw_cfgs_alloc(): the set of ports is the same. */
void nsw_cfgs_publish(struct nsw_switch *sw, const struct nsw_pg *pg,
		      struct nsw_port_cfg **cfgs)
{
	struct nsw_port_cfg **cfg = cfgs;
	struct nsw_port *port;

	ASSERT_RTNL();
	list_for_each_entry(port, &sw->ports, list) {
		if (pg && port->pg != pg)
			continue;
		nsw_port_resync_guest_fdb(port);
		nsw_port_cfg_publish(port, *cfg++);
	}
	WARN_ON(*cfg);
	kfree(cfgs);
}

/*
 * An effective MAC the admin names is refused if another port or the
 * switch has it, also when it gets no entry (mac-changes reject): the
 * admin's mistake is told now, not when the policy changes.
 */
static int nsw_port_check_unused(struct nsw_port *port,
				 struct nsw_port_change *change,
				 const u8 *fdb_effective,
				 struct netlink_ext_ack *extack)
{
	const u8 *mac = change->effective_mac;

	if (!nsw_mac_by_admin(change, 1) || fdb_effective == mac ||
	    !nsw_fdb_mac_taken(port->sw, port, mac))
		return 0;
	NL_SET_ERR_MSG_MOD(extack, "MAC is already another port's or the switch's");
	change->conflict = mac;
	return -EEXIST;
}

/*
 * Gives @port, becoming an uplink, a free slot of the switch's; its
 * pointer is set once the guests' cfgs name the slot. RTNL.
 */
static void nsw_uplink_slot_take(struct nsw_port *port)
{
	struct nsw_switch *sw = port->sw;

	port->uplink_slot = __ffs(~sw->uplink_slots);
	WRITE_ONCE(sw->uplink_slots, sw->uplink_slots | BIT(port->uplink_slot));
}

/* @port is no uplink any more: readers find its slot empty. RTNL. */
static void nsw_uplink_slot_release(struct nsw_port *port)
{
	struct nsw_switch *sw = port->sw;

	if (port->uplink_slot < 0)
		return;
	RCU_INIT_POINTER(sw->uplinks[port->uplink_slot], NULL);
	WRITE_ONCE(sw->uplink_slots,
		   sw->uplink_slots & ~BIT(port->uplink_slot));
	sw->uplink_freed |= BIT(port->uplink_slot);
	port->uplink_slot = -1;
}

/*
 * Rebuilds every cfg of the switch after an uplink came, went or was
 * renamed: the guests' masks of uplink slots follow (the names their
 * groups give are resolved again). @cfgs from nsw_cfgs_alloc(sw, NULL).
 */
static void nsw_uplinks_publish(struct nsw_switch *sw,
				struct nsw_port_cfg **cfgs)
{
	struct nsw_port *port;
	u32 taken = 0;

	nsw_cfgs_publish(sw, NULL, cfgs);
	list_for_each_entry(port, &sw->ports, list)
		if (port->uplink_slot >= 0 &&
		    !rtnl_dereference(sw->uplinks[port->uplink_slot]))
			taken |= BIT(port->uplink_slot);
	/*
	 * A reader may still hold an old cfg whose mask names a slot taken
	 * again for its former uplink: the new one must not get its frames.
	 * After a grace period, every cfg a reader can hold is a new one.
	 */
	if (taken & sw->uplink_freed) {
		synchronize_net();
		sw->uplink_freed = 0;
	}
	list_for_each_entry(port, &sw->ports, list)
		if (port->uplink_slot >= 0)
			rcu_assign_pointer(sw->uplinks[port->uplink_slot], port);
}

static int nsw_uplink_check_room(struct nsw_port *port, int role,
				 struct netlink_ext_ack *extack)
{
	if (role != NESTSW_PORT_ROLE_UPLINK || port->uplink_slot >= 0 ||
	    ~port->sw->uplink_slots)
		return 0;
	NL_SET_ERR_MSG_MOD(extack, "the switch has its most uplinks (32)");
	return -ENOSPC;
}

static void nsw_port_set_pg(struct nsw_port *port, struct nsw_pg *pg)
{
	if (port->pg)
		port->pg->nports--;
	pg->nports++;
	port->pg = pg;
}

/* Applies @change whole, or nothing of it. RTNL. */
int nsw_port_change(struct nsw_port *port, struct nsw_port_change *change,
		    struct netlink_ext_ack *extack)
{
	const u8 *initial = change->initial_mac ?: port->initial_mac;
	const u8 *effective = change->effective_mac ?: port->effective_mac;
	u32 role = change->role >= 0 ? change->role : port->role;
	struct nsw_pg *pg = change->pg ?: port->pg;
	const u8 *fdb_initial = initial, *fdb_effective = effective;
	struct nsw_port_cfg **cfgs;
	bool new_pg, new_role;
	int err;

	ASSERT_RTNL();
	err = nsw_uplink_check_room(port, role, extack);
	if (err)
		return err;
	/* A new uplink, or one less: every guest's uplinks change. */
	new_role = role != port->role;
	cfgs = new_role ? nsw_cfgs_alloc(port->sw, NULL) : nsw_cfgs_alloc_one();
	if (!cfgs)
		return -ENOMEM;

	/* An uplink has no guest: its MACs stay, but not in the FDB. */
	nsw_port_fdb_macs(port, pg, role, &fdb_initial, &fdb_effective);
	if (role == NESTSW_PORT_ROLE_GUEST)
		err = nsw_port_check_unused(port, change, fdb_effective,
					    extack);
	if (!err)
		err = nsw_port_sync_guest_fdb(port, fdb_initial, fdb_effective,
					      change, extack);
	if (err) {
		nsw_cfgs_free(cfgs);
		return err;
	}

	ether_addr_copy(port->initial_mac, initial);
	ether_addr_copy(port->effective_mac, effective);
	new_pg = pg != port->pg;
	if (new_pg)
		nsw_port_set_pg(port, pg);
	port->role = role;
	if (change->guest_promisc >= 0)
		WRITE_ONCE(port->guest_promisc, change->guest_promisc);
	if (new_role) {
		if (role == NESTSW_PORT_ROLE_UPLINK)
			nsw_uplink_slot_take(port);
		else
			nsw_uplink_slot_release(port);
		nsw_uplinks_publish(port->sw, cfgs);
	} else {
		nsw_port_cfg_publish(port, cfgs[0]);
		kfree(cfgs);
	}
	/* What the port learned in its old group is not its new group's. */
	if (new_pg)
		nsw_fdb_flush(port->sw, port);
	return 0;
}

static int nsw_port_check(struct nsw_switch *sw, struct net_device *dev,
			  struct netlink_ext_ack *extack)
{
	if (dev->flags & IFF_LOOPBACK) {
		NL_SET_ERR_MSG_MOD(extack, "a loopback device cannot be a port");
		return -EINVAL;
	}
	if (dev == sw->dev) {
		NL_SET_ERR_MSG_MOD(extack, "a switch cannot be its own port");
		return -ELOOP;
	}
	if (nsw_is_switch(dev)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "a nestsw switch cannot be a port of another");
		return -ELOOP;
	}
	if (dev->type != ARPHRD_ETHER || dev->addr_len != ETH_ALEN ||
	    !is_valid_ether_addr(dev->dev_addr)) {
		NL_SET_ERR_MSG_MOD(extack, "only Ethernet devices can be ports");
		return -EPROTONOSUPPORT;
	}
	if (dev->priv_flags & IFF_DONT_BRIDGE) {
		NL_SET_ERR_MSG_MOD(extack,
				   "device does not allow switching (IFF_DONT_BRIDGE: a Wi-Fi station without 4addr)");
		return -EOPNOTSUPP;
	}
	if (netdev_has_upper_dev(sw->dev, dev)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "device is stacked on this switch (a VLAN or macvlan of it): a loop");
		return -ELOOP;
	}
	if (netdev_master_upper_dev_get(dev) ||
	    rtnl_dereference(dev->rx_handler)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "device is in use by another master or an rx_handler (macvlan, ipvlan, team...)");
		return -EBUSY;
	}
	return 0;
}

static struct nsw_port *nsw_port_alloc(struct nsw_switch *sw,
				       struct net_device *dev)
{
	struct nsw_port *port;

	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		return NULL;
	port->stats = netdev_alloc_pcpu_stats(struct nsw_port_stats);
	if (!port->stats) {
		kfree(port);
		return NULL;
	}
	port->sw = sw;
	port->dev = dev;
	port->role = NESTSW_PORT_ROLE_GUEST;
	port->hash = jhash_1word(dev->ifindex, 0);
	port->uplink_slot = -1;
	return port;
}

/* Frees a port that never was, or no longer is, visible. */
static void nsw_port_free_rcu(struct rcu_head *head)
{
	struct nsw_port *port = container_of(head, struct nsw_port, rcu);

	free_percpu(port->stats);
	kfree(port);
}

/* A veth port follows its peer: the guest's MACs start as the peer's. */
static int nsw_port_attach_peer(struct nsw_port *port,
				struct netlink_ext_ack *extack)
{
	struct net_device *peer = nsw_peer(port->dev);
	struct nsw_port_change change = {
		.role = -1,
		.guest_promisc = -1,
		.from_guest = true,
	};
	int err;

	if (!peer)
		return 0;
	change.initial_mac = peer->dev_addr;
	change.effective_mac = peer->dev_addr;
	err = nsw_port_change(port, &change, extack);
	if (err)
		return err;
	netdev_hold(peer, &port->peer_tracker, GFP_KERNEL);
	rcu_assign_pointer(port->peer, peer);
	return 0;
}

/* The switch keeps what a departing port dropped, for its totals. RTNL. */
static void nsw_port_keep_drops(struct nsw_port *port)
{
	u64 drops[NSW_DROP_MAX], learn[NSW_LEARN_MAX];
	int i;

	nsw_port_read_stats(port, drops, learn);
	for (i = 0; i < NSW_DROP_MAX; i++)
		port->sw->drops_gone[i] += drops[i];
}

static void nsw_port_detach(struct nsw_port *port)
{
	struct net_device *peer = rtnl_dereference(port->peer);
	struct nsw_port_cfg *cfg = rtnl_dereference(port->cfg);

	nsw_fdb_del_port(port->sw, port);
	if (peer) {
		RCU_INIT_POINTER(port->peer, NULL);
		netdev_put(peer, &port->peer_tracker);
	}
	nsw_port_cfg_account(port->sw, cfg, -1);
	kfree_rcu(cfg, rcu);
	nsw_team_forget(port->sw, port);
	/*
	 * Guests' masks may name the slot until the next uplink comes (see
	 * nsw_uplinks_publish()).
	 */
	nsw_uplink_slot_release(port);
	port->pg->nports--;
	/* Drops counted by readers still in flight now are not kept. */
	nsw_port_keep_drops(port);
	call_rcu(&port->rcu, nsw_port_free_rcu);
}

int nsw_port_add(struct nsw_switch *sw, struct net_device *dev,
		 struct netlink_ext_ack *extack)
{
	struct nsw_port_cfg *cfg;
	struct nsw_port *port;
	int err;

	err = nsw_port_check(sw, dev, extack);
	if (err)
		return err;

	port = nsw_port_alloc(sw, dev);
	cfg = kmalloc(sizeof(*cfg), GFP_KERNEL);
	if (!port || !cfg) {
		kfree(cfg);
		if (port)
			nsw_port_free_rcu(&port->rcu);
		return -ENOMEM;
	}
	nsw_port_set_pg(port, sw->default_pg);
	nsw_port_cfg_publish(port, cfg);

	err = nsw_port_attach_peer(port, extack);
	if (err)
		goto detach;

	err = dev_set_promiscuity(dev, 1);
	if (err)
		goto detach;

	err = netdev_rx_handler_register(dev, nsw_handle_frame, port);
	if (err)
		goto unset_promisc;

	err = netdev_master_upper_dev_link(dev, sw->dev, NULL, NULL, extack);
	if (err)
		goto unregister_handler;

	dev_disable_lro(dev);
	netdev_hold(dev, &port->dev_tracker, GFP_KERNEL);
	list_add_tail_rcu(&port->list, &sw->ports);
	nsw_features_recompute(sw);
	return 0;

unregister_handler:
	netdev_rx_handler_unregister(dev);
unset_promisc:
	dev_set_promiscuity(dev, -1);
detach:
	/* The data path may have seen it through the rx_handler or the FDB. */
	nsw_port_detach(port);
	return err;
}

void nsw_port_del(struct nsw_port *port)
{
	struct net_device *dev = port->dev;
	struct nsw_switch *sw = port->sw;

	list_del_rcu(&port->list);
	netdev_upper_dev_unlink(dev, sw->dev);
	/* Waits for the data path to let go of the rx_handler and the list. */
	netdev_rx_handler_unregister(dev);
	dev_set_promiscuity(dev, -1);
	netdev_put(dev, &port->dev_tracker);
	/* FDB readers may still hold the port: it is freed after them. */
	nsw_port_detach(port);
	nsw_features_recompute(sw);
}

void nsw_port_del_all(struct nsw_switch *sw)
{
	struct nsw_port *port, *tmp;

	list_for_each_entry_safe(port, tmp, &sw->ports, list)
		nsw_port_del(port);
}

/* A veth peer changed its MAC: if its other end is our port, follow it. */
static void nsw_port_peer_changed(struct net_device *peer)
{
	struct net_device *dev = nsw_peer(peer);
	struct nsw_port_change change = {
		.effective_mac = peer->dev_addr,
		.role = -1,
		.guest_promisc = -1,
		.from_guest = true,
		.best_effort = true,
	};
	struct nsw_port *port;

	port = dev ? nsw_port_get_rtnl(dev) : NULL;
	if (!port || rtnl_dereference(port->peer) != peer)
		return;
	if (nsw_port_change(port, &change, NULL))
		netdev_warn(dev, "out of memory following the guest's MAC %pM\n",
			    peer->dev_addr);
}

static void nsw_uplink_renamed(struct nsw_switch *sw)
{
	struct nsw_port_cfg **cfgs = nsw_cfgs_alloc(sw, NULL);

	if (!cfgs) {
		netdev_warn(sw->dev, "out of memory following an uplink's new name\n");
		return;
	}
	nsw_uplinks_publish(sw, cfgs);
}

static int nsw_netdev_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct nsw_port *port = nsw_port_get_rtnl(dev);

	switch (event) {
	case NETDEV_UNREGISTER:
		if (port)
			nsw_port_del(port);
		break;
	case NETDEV_PRE_TYPE_CHANGE:
		/* A port stays Ethernet; refuse what would change that. */
		if (port)
			return notifier_from_errno(-EBUSY);
		break;
	case NETDEV_CHANGEADDR:
		nsw_port_peer_changed(dev);
		break;
	case NETDEV_CHANGENAME:
		/* Port groups name their uplinks. */
		if (port && port->uplink_slot >= 0)
			nsw_uplink_renamed(port->sw);
		break;
	case NETDEV_FEAT_CHANGE:
		/* What the switch device may offload depends on its ports'. */
		if (port)
			nsw_features_recompute(port->sw);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block nsw_notifier = {
	.notifier_call = nsw_netdev_event,
};

int nsw_port_notifier_register(void)
{
	return register_netdevice_notifier(&nsw_notifier);
}

void nsw_port_notifier_unregister(void)
{
	unregister_netdevice_notifier(&nsw_notifier);
}

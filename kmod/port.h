/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSW_PORT_H
#define _NSW_PORT_H

#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/rtnetlink.h>
#include <linux/u64_stats_sync.h>
#include <uapi/linux/nestsw.h>

struct nsw_switch;
struct nsw_pg;

/*
 * Why the switch dropped a frame. netlink.c maps each to its
 * NESTSW_A_DROPS_* attribute; nsw_drop_names[] has its name.
 */
enum nsw_drop_reason {
	NSW_DROP_VLAN,
	NSW_DROP_FORGED,
	NSW_DROP_MAC_CHANGE,
	NSW_DROP_NO_DESTINATION,
	NSW_DROP_INVALID_SOURCE,
	NSW_DROP_MTU,
	NSW_DROP_LIMIT,
	NSW_DROP_STATIC_CONFLICT,
	NSW_DROP_REFLECTION,
	NSW_DROP_MAX
};

/* Names of the drop reasons, as `nestsw -s` prints them; at most 15 bytes. */
#define NSW_DROP_NAME_LEN	16
extern const char *const nsw_drop_names[NSW_DROP_MAX];

/* What learning did with a source; NESTSW_A_LEARNING_* minus two. */
enum nsw_learn_stat {
	NSW_LEARN_LEARNED,
	NSW_LEARN_MOVES,
	NSW_LEARN_NOT_LEARNED_ALLOWED,
	NSW_LEARN_NOT_LEARNED_DROPPED,
	NSW_LEARN_MAX
};

/* Per-CPU counters of a port: drops by reason, learning. */
struct nsw_port_stats {
	u64_stats_t drops[NSW_DROP_MAX];
	u64_stats_t learn[NSW_LEARN_MAX];
	struct u64_stats_sync syncp;
};

/**
 * struct nsw_port_cfg - what the data path needs to know of a port,
 *	computed at configuration time from its role, port group, the
 *	switch's default policy and the guest's MACs
 * @vlan: the port group's: 0 untagged, 1..4094 access, NESTSW_VLAN_TRUNK
 * @uplink: role uplink
 * @forged_reject: a guest port under forged-transmits reject
 * @mac_change_drop: a guest port under mac-changes reject whose effective
 *	MAC differs from its initial MAC: frames to it are dropped
 * @promisc_accept: a guest port under promiscuous accept: while the guest
 *	is promiscuous, it gets a copy of every frame in its VLAN scope
 * @effective_mac: the guest's effective MAC (forged-transmits)
 * @own_mac_known: @effective_mac has this port's FDB entry of every VLAN,
 *	which only a change of the port removes (a new cfg follows): frames
 *	from it need no learning lookup
 * @learn: learns its sources: an uplink, or a guest under learning on
 * @flood_unknown: a learning guest under unknown-flood on: it gets
 *	unknown unicast
 * @limit_allow: at @mac_limit, frames from new sources pass unlearned
 * @mac_limit: the most learned entries of the port
 * @ageing: jiffies a learned entry lives unseen
 * @group_fwd: the link-local group addresses that cross the port (bit N:
 *	01:80:c2:00:00:0N), in and out, any role
 * @team: the team of a guest port in a port group under team on, else
 *	NULL (see struct nsw_team for its lifetime)
 * @active_uplinks: of a guest port, its port group's active uplinks, as
 *	a mask of the switch's uplink slots (struct nsw_switch)
 * @standby_uplinks: likewise, the standby ones
 * @some_vlans: a trunk that carries only the VLANs in @vlans
 * @rcu: frees the snapshot after a grace period
 * @vlans: the VLANs of a trunk under @some_vlans (0: untagged)
 *
 * Lifetime: immutable once published in port->cfg; replaced whole under
 * RTNL, the old one freed with kfree_rcu().
 */
struct nsw_port_cfg {
	u16 vlan;
	bool uplink;
	bool forged_reject;
	bool mac_change_drop;
	bool promisc_accept;
	u8 effective_mac[ETH_ALEN];
	bool own_mac_known;
	bool learn;
	bool flood_unknown;
	bool limit_allow;
	u32 mac_limit;
	unsigned long ageing;
	u16 group_fwd;
	struct nsw_team *team;
	u32 active_uplinks;
	u32 standby_uplinks;
	bool some_vlans;
	struct rcu_head rcu;
	DECLARE_BITMAP(vlans, VLAN_N_VID);
};

/* Whether a port of @cfg carries VLAN @vid (0: untagged frames). */
static inline bool nsw_in_vlan(const struct nsw_port_cfg *cfg, u16 vid)
{
	if (cfg->vlan == NESTSW_VLAN_TRUNK)
		return likely(!cfg->some_vlans) || test_bit(vid, cfg->vlans);
	return cfg->vlan == vid;
}

/*
 * The bit of a link-local group address (01:80:c2:00:00:0N) in a
 * group_fwd mask: BIT(N).
 */
static inline u16 nsw_group_bit(const u8 *dest)
{
	return BIT(dest[5] & 0x0f);
}

/**
 * struct nsw_port - a device enslaved to a switch
 * @sw: the switch; outlives the port (see struct nsw_switch)
 * @dev: the port device; a reference is held (@dev_tracker) while enslaved
 * @list: entry in @sw->ports (RTNL writes, RCU reads)
 * @cfg: the data path's view of the port (RCU; RTNL writes)
 * @stats: per-CPU drop counters
 * @peer: the veth peer whose MAC and promiscuity the port follows, or
 *	NULL; a reference is held (@peer_tracker). A veth pair is always
 *	unregistered together, so the peer never outlives the port's
 *	release, which drops the reference. RCU readers read its promiscuity.
 * @hash: picks this port's uplink among several
 * @uplink_slot: an uplink's slot in the switch's (-1: none); RTNL
 * @role: enum nestsw_port_role; RTNL
 * @pg: the port group; RTNL
 * @initial_mac: the MAC the hypervisor assigned; RTNL
 * @effective_mac: the MAC the guest uses now; RTNL
 * @guest_promisc: admin-set guest promiscuous flag (ports without @peer);
 *	written under RTNL, read with READ_ONCE()
 * @n_learned: learned FDB entries pointing to the port; written under the
 *	switch's fdb_lock (nsw_port_learned()), read with READ_ONCE() by
 *	dumps and by the data path's check of the mac-limit
 * @rcu: frees the port after a grace period
 *
 * Lifetime: created by nsw_port_add() under RTNL when the device is
 * enslaved; found by the data path through the device's rx_handler_data.
 * nsw_port_del() (RTNL) unpublishes it (list, rx_handler, FDB; the
 * rx_handler's removal waits for readers) and frees it with kfree_rcu(), so
 * a reader that got the port from an FDB entry or the port list may use it
 * until its RCU read section ends.
 */
struct nsw_port {
	struct nsw_switch *sw;
	struct net_device *dev;
	netdevice_tracker dev_tracker;
	struct list_head list;
	struct nsw_port_cfg __rcu *cfg;
	struct nsw_port_stats __percpu *stats;
	struct net_device __rcu *peer;
	netdevice_tracker peer_tracker;
	u32 hash;
	int uplink_slot;
	u32 role;
	struct nsw_pg *pg;
	u8 initial_mac[ETH_ALEN];
	u8 effective_mac[ETH_ALEN];
	bool guest_promisc;
	unsigned int n_learned;
	struct rcu_head rcu;
};

rx_handler_result_t nsw_handle_frame(struct sk_buff **pskb);

static inline struct nsw_port *nsw_port_get_rcu(const struct net_device *dev)
{
	return rcu_dereference(dev->rx_handler_data);
}

/* Whether @port (NULL: the switch's own) is a member of @team now. RCU. */
static inline bool nsw_port_in_team(const struct nsw_port *port,
				    const struct nsw_team *team)
{
	return port && rcu_dereference(port->cfg)->team == team;
}

static inline struct nsw_port *nsw_port_get_rtnl(const struct net_device *dev)
{
	if (rcu_access_pointer(dev->rx_handler) != nsw_handle_frame)
		return NULL;
	return rtnl_dereference(dev->rx_handler_data);
}

static inline void nsw_port_drop(struct nsw_port *port,
				 enum nsw_drop_reason reason)
{
	struct nsw_port_stats *stats = this_cpu_ptr(port->stats);

	u64_stats_update_begin(&stats->syncp);
	u64_stats_inc(&stats->drops[reason]);
	u64_stats_update_end(&stats->syncp);
}

static inline void nsw_port_learn_stat(struct nsw_port *port,
				       enum nsw_learn_stat stat)
{
	struct nsw_port_stats *stats = this_cpu_ptr(port->stats);

	u64_stats_update_begin(&stats->syncp);
	u64_stats_inc(&stats->learn[stat]);
	u64_stats_update_end(&stats->syncp);
}

/* Counts a learned entry in or out of @port; the switch's fdb_lock held. */
static inline void nsw_port_learned(struct nsw_port *port)
{
	WRITE_ONCE(port->n_learned, port->n_learned + 1);
}

static inline void nsw_port_unlearned(struct nsw_port *port)
{
	WRITE_ONCE(port->n_learned, port->n_learned - 1);
}

bool nsw_port_guest_promisc_rcu(const struct nsw_port *port);
void nsw_port_read_stats(const struct nsw_port *port,
			 u64 drops[NSW_DROP_MAX], u64 learn[NSW_LEARN_MAX]);

int nsw_port_add(struct nsw_switch *sw, struct net_device *dev,
		 struct netlink_ext_ack *extack);
void nsw_port_del(struct nsw_port *port);
void nsw_port_del_all(struct nsw_switch *sw);

/* Configuration changes, all under RTNL. */
struct nsw_port_change {
	struct nsw_pg *pg;		/* NULL: unchanged */
	const u8 *initial_mac;		/* NULL: unchanged */
	const u8 *effective_mac;	/* NULL: unchanged */
	int role;			/* -1: unchanged */
	int guest_promisc;		/* -1: unchanged */
	bool from_guest;		/* the MACs are the guest's choice */
	bool best_effort;		/* a MAC in use elsewhere gets no entry */
	const u8 *conflict;		/* out: the MAC in use elsewhere */
};

int nsw_port_change(struct nsw_port *port, struct nsw_port_change *change,
		    struct netlink_ext_ack *extack);
struct nsw_port_cfg **nsw_cfgs_alloc(struct nsw_switch *sw,
				     const struct nsw_pg *pg);
void nsw_cfgs_free(struct nsw_port_cfg **cfgs);
void nsw_cfgs_publish(struct nsw_switch *sw, const struct nsw_pg *pg,
		      struct nsw_port_cfg **cfgs);

int nsw_port_notifier_register(void);
void nsw_port_notifier_unregister(void);

#endif /* _NSW_PORT_H */

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSW_DEVICE_H
#define _NSW_DEVICE_H

#include <linux/netdevice.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>

#include "fdb.h"
#include "notify.h"
#include "pg.h"
#include "port.h"

/**
 * struct nsw_switch - one switch, the private area of its net_device
 * @dev: the switch device, the host's own port on the switch
 * @ports: the ports; changed under RTNL, walked under RCU by the data path
 * @pgs: the port groups (struct nsw_pg); RTNL
 * @default_pg: the group "default", where new ports go
 * @policy: the default policy of the port groups; RTNL
 * @n_promisc: ports whose policy is promiscuous accept; written under RTNL,
 *	read with READ_ONCE(): while zero, known unicast makes no copies
 * @fdb: FDB entries keyed by {MAC, VLAN} (see fdb.h); lookups under RCU
 * @fdb_mac: the same entries keyed by MAC alone (an rhltable: one MAC, several
 *	VLANs); read and written under fdb_lock, never by the data path
 * @fdb_list: every FDB entry, for walks; RCU readers, fdb_lock writers
 * @fdb_lock: serialises FDB inserts and removals
 * @fdb_any: the filter of entries of every VLAN (struct nsw_fdb_any)
 * @n_any: how many entries of every VLAN (NSW_VID_ANY) there are; written
 *	under RTNL and fdb_lock, read under RTNL
 * @fdb_ageing: removes learned entries unseen for their port's ageing
 *	time; queued by nsw_init(), requeues itself, cancelled in ndo_uninit
 * @events: the rate limit of monitor events (notify.c)
 * @neigh_events: the rate limit of its RTNLGRP_NEIGH messages (notify.c)
 * @drops_gone: drops counted by ports since released, for ethtool -S; RTNL
 * @uplink_slots: the slots of @uplinks that an uplink holds (bit N: slot
 *	N); written under RTNL, read by the data path with READ_ONCE()
 * @uplinks: the uplinks, each in the slot it took when it became one, so
 *	that a guest's cfg names its port group's uplinks as a mask of slots.
 *	RTNL writes, RCU reads. A slot is cleared when its uplink goes (a
 *	reader with an old mask finds it empty) and set again only after
 *	every cfg was rebuilt for the new uplink
 * @uplink_freed: slots cleared since readers last may have held a cfg
 *	naming them: one is set again only after a grace period; RTNL
 *
 * Lifetime: allocated and freed with @dev (alloc_netdev/free_netdev). Ports
 * are released before @dev is unregistered (nsw_dellink()), so no port
 * outlives its switch; the FDB and the port groups go in ndo_uninit, when
 * no data path or configuration path can see the switch any more.
 */
struct nsw_switch {
	struct net_device *dev;
	struct list_head ports;
	struct list_head pgs;
	struct nsw_pg *default_pg;
	struct nsw_policy policy;
	unsigned int n_promisc;
	struct rhashtable fdb;
	struct rhltable fdb_mac;
	struct hlist_head fdb_list;
	spinlock_t fdb_lock;	/* FDB writers */
	struct nsw_fdb_any __rcu *fdb_any;
	unsigned int n_any;
	struct delayed_work fdb_ageing;
	struct nsw_event_limit events;
	struct nsw_event_limit neigh_events;
	u64 drops_gone[NSW_DROP_MAX];
	u32 uplink_slots;
	struct nsw_port __rcu *uplinks[NESTSW_UPLINKS_MAX];
	u32 uplink_freed;
};

extern struct rtnl_link_ops nsw_link_ops;

bool nsw_is_switch(const struct net_device *dev);
void nsw_features_recompute(struct nsw_switch *sw);

/* The switch of @dev, or NULL if @dev is not a nestsw switch. */
static inline struct nsw_switch *nsw_switch_of(struct net_device *dev)
{
	return dev && nsw_is_switch(dev) ? netdev_priv(dev) : NULL;
}

#endif /* _NSW_DEVICE_H */

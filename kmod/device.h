/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSW_DEVICE_H
#define _NSW_DEVICE_H

#include <linux/netdevice.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>

/**
 * struct nsw_switch - one switch, the private area of its net_device
 * @dev: the switch device, the host's own port on the switch
 * @ports: the ports; changed under RTNL, walked under RCU by the data path
 * @fdb: FDB entries keyed by {MAC, VLAN} (see fdb.h); lookups under RCU
 * @fdb_list: every FDB entry, for walks; RCU readers, fdb_lock writers
 * @fdb_lock: serialises FDB inserts and removals
 *
 * Lifetime: allocated and freed with @dev (alloc_netdev/free_netdev). Ports
 * are released before @dev is unregistered (nsw_dellink()), so no port
 * outlives its switch; the FDB is emptied and destroyed in ndo_uninit, when
 * no data path can see the switch any more.
 */
struct nsw_switch {
	struct net_device *dev;
	struct list_head ports;
	struct rhashtable fdb;
	struct hlist_head fdb_list;
	spinlock_t fdb_lock;	/* FDB writers */
};

extern struct rtnl_link_ops nsw_link_ops;

bool nsw_is_switch(const struct net_device *dev);

#endif /* _NSW_DEVICE_H */

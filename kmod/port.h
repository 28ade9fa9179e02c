/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSW_PORT_H
#define _NSW_PORT_H

#include <linux/if_ether.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/rtnetlink.h>

struct nsw_switch;

/**
 * struct nsw_port - a device enslaved to a switch
 * @sw: the switch; outlives the port (see struct nsw_switch)
 * @dev: the port device; a reference is held (@dev_tracker) while enslaved
 * @list: entry in @sw->ports (RTNL writes, RCU reads)
 * @role: enum nestsw_port_role; written under RTNL, read with READ_ONCE()
 * @guest_mac: MAC of the guest behind the port (a veth's peer), zero if not
 *	known; RTNL. Its static FDB entry is what the data path reads.
 * @rcu: frees the port after a grace period
 *
 * Lifetime: created by nsw_port_add() under RTNL when the device is
 * enslaved; found by the data path through the device's rx_handler_data.
 * nsw_port_del() (RTNL) unpublishes it (list, FDB, rx_handler; the latter
 * waits for readers) and frees it with kfree_rcu(), so a reader that got the
 * port from an FDB entry may use it until its RCU read section ends.
 */
struct nsw_port {
	struct nsw_switch *sw;
	struct net_device *dev;
	netdevice_tracker dev_tracker;
	struct list_head list;
	u32 role;
	u8 guest_mac[ETH_ALEN];
	struct rcu_head rcu;
};

rx_handler_result_t nsw_handle_frame(struct sk_buff **pskb);

static inline struct nsw_port *nsw_port_get_rcu(const struct net_device *dev)
{
	return rcu_dereference(dev->rx_handler_data);
}

static inline struct nsw_port *nsw_port_get_rtnl(const struct net_device *dev)
{
	if (rcu_access_pointer(dev->rx_handler) != nsw_handle_frame)
		return NULL;
	return rtnl_dereference(dev->rx_handler_data);
}

int nsw_port_add(struct nsw_switch *sw, struct net_device *dev,
		 struct netlink_ext_ack *extack);
void nsw_port_del(struct nsw_port *port);
void nsw_port_del_all(struct nsw_switch *sw);

int nsw_port_notifier_register(void);
void nsw_port_notifier_unregister(void);

#endif /* _NSW_PORT_H */

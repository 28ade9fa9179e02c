// SPDX-License-Identifier: GPL-2.0
/*
 * Ports: enslaving and releasing devices, and following the guest behind a
 * veth port (its peer, in whatever netns it lives) as its MAC changes.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/rtnetlink.h>
#include <uapi/linux/nestsw.h>

#include "device.h"
#include "fdb.h"
#include "port.h"

#define NSW_VID_NONE	0

/* The guest side of a veth port, or NULL. RTNL. */
static struct net_device *nsw_veth_peer(const struct net_device *dev)
{
	const struct rtnl_link_ops *ops = dev->rtnl_link_ops;
	int iflink;

	if (!ops || strcmp(ops->kind, "veth") || !ops->get_link_net)
		return NULL;
	iflink = dev_get_iflink(dev);
	if (!iflink)
		return NULL;
	return __dev_get_by_index(ops->get_link_net(dev), iflink);
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
	if (netdev_master_upper_dev_get(dev) ||
	    rtnl_dereference(dev->rx_handler)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "device is in use by another master or an rx_handler (macvlan, ipvlan, team...)");
		return -EBUSY;
	}
	return 0;
}

/* Publishes the guest MAC as a static entry; the data path only reads it. */
static int nsw_port_set_guest_mac(struct nsw_port *port, const u8 *mac,
				  struct netlink_ext_ack *extack)
{
	struct nsw_switch *sw = port->sw;
	int err;

	if (ether_addr_equal(port->guest_mac, mac))
		return 0;

	if (!is_zero_ether_addr(mac)) {
		err = nsw_fdb_add_static(sw, port, mac, NSW_VID_NONE, 0);
		if (err == -EEXIST)
			NL_SET_ERR_MSG_MOD(extack,
					   "the guest MAC behind this device is already another port's or the switch's");
		if (err)
			return err;
	}
	if (!is_zero_ether_addr(port->guest_mac))
		nsw_fdb_del_static(sw, port->guest_mac, NSW_VID_NONE);
	ether_addr_copy(port->guest_mac, mac);
	return 0;
}

int nsw_port_add(struct nsw_switch *sw, struct net_device *dev,
		 struct netlink_ext_ack *extack)
{
	struct net_device *peer;
	struct nsw_port *port;
	int err;

	err = nsw_port_check(sw, dev, extack);
	if (err)
		return err;

	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		return -ENOMEM;
	port->sw = sw;
	port->dev = dev;
	port->role = NESTSW_PORT_ROLE_GUEST;

	err = dev_set_promiscuity(dev, 1);
	if (err)
		goto free_port;

	err = netdev_rx_handler_register(dev, nsw_handle_frame, port);
	if (err)
		goto unset_promisc;

	err = netdev_master_upper_dev_link(dev, sw->dev, NULL, NULL, extack);
	if (err)
		goto unregister_handler;

	peer = nsw_veth_peer(dev);
	if (peer) {
		err = nsw_port_set_guest_mac(port, peer->dev_addr, extack);
		if (err)
			goto unlink;
	}

	dev_disable_lro(dev);
	netdev_hold(dev, &port->dev_tracker, GFP_KERNEL);
	list_add_tail_rcu(&port->list, &sw->ports);
	return 0;

unlink:
	netdev_upper_dev_unlink(dev, sw->dev);
unregister_handler:
	netdev_rx_handler_unregister(dev);
unset_promisc:
	dev_set_promiscuity(dev, -1);
free_port:
	/* The data path may have seen it through the rx_handler. */
	kfree_rcu(port, rcu);
	return err;
}

void nsw_port_del(struct nsw_port *port)
{
	struct net_device *dev = port->dev;
	struct nsw_switch *sw = port->sw;

	list_del_rcu(&port->list);
	netdev_upper_dev_unlink(dev, sw->dev);
	/* Waits for the data path to let go of the rx_handler... */
	netdev_rx_handler_unregister(dev);
	/* ...but FDB readers may still hold the port: free it after them. */
	nsw_fdb_del_port(sw, port);
	dev_set_promiscuity(dev, -1);
	netdev_put(dev, &port->dev_tracker);
	kfree_rcu(port, rcu);
}

void nsw_port_del_all(struct nsw_switch *sw)
{
	struct nsw_port *port, *tmp;

	list_for_each_entry_safe(port, tmp, &sw->ports, list)
		nsw_port_del(port);
}

/* A veth peer changed: if its other end is our port, follow the guest. */
static void nsw_port_peer_changed(struct net_device *peer)
{
	struct net_device *dev = nsw_veth_peer(peer);
	struct nsw_port *port;

	if (!dev)
		return;
	port = nsw_port_get_rtnl(dev);
	if (!port)
		return;
	if (nsw_port_set_guest_mac(port, peer->dev_addr, NULL))
		netdev_warn(dev, "guest MAC %pM is already in use on %s; frames to it are not switched to this port\n",
			    peer->dev_addr, netdev_name(port->sw->dev));
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

// SPDX-License-Identifier: GPL-2.0
/*
 * The switch device: "ip link add sw0 type nestsw". It is the host's own
 * port on the switch: what the host sends through it is switched to the
 * ports, and frames for its MAC (and floods) reach the host stack.
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <net/rtnetlink.h>

#include "device.h"
#include "fdb.h"
#include "forward.h"
#include "port.h"

/*
 * The host's port is a trunk: its VLAN devices hand their tag over out of
 * band; a tag in the frame itself (a packet socket, a VLAN device that does
 * not offload) is taken out of it as a port's receive path does. Only
 * 802.1Q tags: an 802.1ad S-tag stays in the frame (the core puts it there,
 * see nsw_setup()), which is then an untagged one. NULL if the frame is
 * dropped.
 */
static struct sk_buff *nsw_xmit_untag(struct sk_buff *skb)
{
	if (!skb_vlan_tag_present(skb) &&
	    eth_hdr(skb)->h_proto == htons(ETH_P_8021Q)) {
		skb->protocol = eth_hdr(skb)->h_proto;
		skb = skb_vlan_untag(skb);
		if (unlikely(!skb))
			return NULL;
	}
	/* VLAN 4095 is reserved: it means "every VLAN" in the FDB. */
	if (unlikely(skb_vlan_tag_present(skb) &&
		     skb_vlan_tag_get_id(skb) == VLAN_N_VID - 1)) {
		kfree_skb(skb);
		return NULL;
	}
	return skb;
}

static netdev_tx_t nsw_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct nsw_switch *sw = netdev_priv(dev);

	dev_sw_netstats_tx_add(dev, 1, skb->len);

	skb_reset_mac_header(skb);
	skb_pull(skb, ETH_HLEN);
	skb = nsw_xmit_untag(skb);
	if (unlikely(!skb)) {
		dev_core_stats_tx_dropped_inc(dev);
		return NETDEV_TX_OK;
	}
	/* The core holds rcu_read_lock_bh(); the data path wants RCU. */
	rcu_read_lock();
	nsw_forward(sw, NULL, skb,
		    skb_vlan_tag_present(skb) ? skb_vlan_tag_get_id(skb) : 0);
	rcu_read_unlock();
	return NETDEV_TX_OK;
}

static int nsw_init(struct net_device *dev)
{
	struct nsw_switch *sw = netdev_priv(dev);
	int err;

	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		return -ENOMEM;

	err = nsw_pg_init(sw);
	if (err)
		goto free_stats;

	err = nsw_fdb_init(sw);
	if (err)
		goto destroy_pgs;

	err = nsw_fdb_add_static(sw, NULL, dev->dev_addr, NSW_VID_ANY,
				 NSW_FDB_LOCAL, true);
	if (err)
		goto destroy_fdb;
	return 0;

destroy_fdb:
	nsw_fdb_destroy(sw);
destroy_pgs:
	nsw_pg_destroy(sw);
free_stats:
	free_percpu(dev->tstats);
	return err;
}

/* Runs after the core has waited for every data path user of @dev. */
static void nsw_uninit(struct net_device *dev)
{
	struct nsw_switch *sw = netdev_priv(dev);

	nsw_fdb_destroy(sw);
	nsw_pg_destroy(sw);
	free_percpu(dev->tstats);
}

static int nsw_set_mac_address(struct net_device *dev, void *p)
{
	struct nsw_switch *sw = netdev_priv(dev);
	struct sockaddr *addr = p;
	int err;

	if (!is_valid_ether_addr(addr->sa_data))
		return -EADDRNOTAVAIL;
	if (ether_addr_equal(dev->dev_addr, addr->sa_data))
		return 0;

	err = nsw_fdb_add_static(sw, NULL, addr->sa_data, NSW_VID_ANY,
				 NSW_FDB_LOCAL, true);
	if (err)
		return err == -EEXIST ? -EADDRINUSE : err;

	nsw_fdb_del_static(sw, dev->dev_addr, NSW_VID_ANY);
	eth_hw_addr_set(dev, addr->sa_data);
	return 0;
}

/*
 * What the host may hand the switch device: what every port can take (a
 * frame may go to any of them), as the bridge computes it; a port that
 * cannot take a GSO or checksum-offloaded frame gets it segmented or
 * checksummed by the core on its way out. RTNL.
 */
static netdev_features_t nsw_fix_features(struct net_device *dev,
					  netdev_features_t features)
{
	struct nsw_switch *sw = netdev_priv(dev);
	netdev_features_t mask = features;
	struct nsw_port *port;

	if (list_empty(&sw->ports))
		return features;
	features &= ~NETIF_F_ONE_FOR_ALL;
	list_for_each_entry(port, &sw->ports, list)
		features = netdev_increment_features(features,
						     port->dev->features, mask);
	return netdev_add_tso_features(features, mask);
}

/*
 * Recomputes the switch device's offloads and GSO limits after a port came,
 * went or changed its own. RTNL.
 */
void nsw_features_recompute(struct nsw_switch *sw)
{
	unsigned int tso_max_size = TSO_MAX_SIZE;
	u16 tso_max_segs = TSO_MAX_SEGS;
	struct nsw_port *port;

	list_for_each_entry(port, &sw->ports, list) {
		tso_max_size = min(tso_max_size, port->dev->tso_max_size);
		tso_max_segs = min(tso_max_segs, port->dev->tso_max_segs);
	}
	netif_set_tso_max_size(sw->dev, tso_max_size);
	netif_set_tso_max_segs(sw->dev, tso_max_segs);
	netdev_update_features(sw->dev);
}

static int nsw_add_slave(struct net_device *dev, struct net_device *slave,
			 struct netlink_ext_ack *extack)
{
	return nsw_port_add(netdev_priv(dev), slave, extack);
}

static int nsw_del_slave(struct net_device *dev, struct net_device *slave)
{
	struct nsw_port *port = nsw_port_get_rtnl(slave);

	if (!port || port->sw != netdev_priv(dev))
		return -EINVAL;
	nsw_port_del(port);
	return 0;
}

static const struct net_device_ops nsw_netdev_ops = {
	.ndo_init		= nsw_init,
	.ndo_uninit		= nsw_uninit,
	.ndo_start_xmit		= nsw_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
	.ndo_set_mac_address	= nsw_set_mac_address,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_add_slave		= nsw_add_slave,
	.ndo_del_slave		= nsw_del_slave,
	.ndo_fdb_dump		= nsw_fdb_dump,
	.ndo_fix_features	= nsw_fix_features,
};

/*
 * ethtool -S: the switch's drops by reason, over every port it has had.
 * The ethtool core holds RTNL, which keeps the port list still.
 */
static int nsw_get_sset_count(struct net_device *dev, int sset)
{
	return sset == ETH_SS_STATS ? NSW_DROP_MAX : -EOPNOTSUPP;
}

/* "drop_mac_change" for "mac-change": ethtool's names use underscores. */
static void nsw_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	char *name;
	int i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < NSW_DROP_MAX; i++) {
		name = (char *)data;
		ethtool_sprintf(&data, "drop_%s", nsw_drop_names[i]);
		strreplace(name, '-', '_');
	}
}

static void nsw_get_ethtool_stats(struct net_device *dev,
				  struct ethtool_stats *stats, u64 *data)
{
	struct nsw_switch *sw = netdev_priv(dev);
	u64 drops[NSW_DROP_MAX], learn[NSW_LEARN_MAX];
	struct nsw_port *port;
	int i;

	ASSERT_RTNL();
	memcpy(data, sw->drops_gone, sizeof(sw->drops_gone));
	list_for_each_entry(port, &sw->ports, list) {
		nsw_port_read_stats(port, drops, learn);
		for (i = 0; i < NSW_DROP_MAX; i++)
			data[i] += drops[i];
	}
}

static const struct ethtool_ops nsw_ethtool_ops = {
	.get_link		= ethtool_op_get_link,
	.get_sset_count		= nsw_get_sset_count,
	.get_strings		= nsw_get_strings,
	.get_ethtool_stats	= nsw_get_ethtool_stats,
};

bool nsw_is_switch(const struct net_device *dev)
{
	return dev->netdev_ops == &nsw_netdev_ops;
}

/* The offloads of the switch device, as the bridge's. */
#define NSW_FEATURES	(NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_HIGHDMA | \
			 NETIF_F_GSO_MASK | NETIF_F_HW_CSUM)

static void nsw_setup(struct net_device *dev)
{
	struct nsw_switch *sw = netdev_priv(dev);

	ether_setup(dev);
	eth_hw_addr_random(dev);

	dev->netdev_ops = &nsw_netdev_ops;
	dev->ethtool_ops = &nsw_ethtool_ops;
	dev->needs_free_netdev = true;
	dev->priv_flags |= IFF_NO_QUEUE;
	/*
	 * nsw_xmit() edits and queues what it is given: pktgen must not hand
	 * it one skb many times (clone_skb), as ether_setup() allowed.
	 */
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->max_mtu = ETH_MAX_MTU;
	/*
	 * C-tags of the host's VLAN devices reach nsw_xmit() out of band;
	 * S-tags (802.1ad devices) in the frame, as on a port.
	 */
	dev->features |= NSW_FEATURES | NETIF_F_HW_VLAN_CTAG_TX;
	dev->hw_features = NSW_FEATURES | NETIF_F_HW_VLAN_CTAG_TX;
	dev->vlan_features = NSW_FEATURES;
	nsw_dev_set_lltx_netns_local(dev);

	sw->dev = dev;
	INIT_LIST_HEAD(&sw->ports);
}

/* Releases the ports before the device goes, so none outlives the switch. */
static void nsw_dellink(struct net_device *dev, struct list_head *head)
{
	nsw_port_del_all(netdev_priv(dev));
	unregister_netdevice_queue(dev, head);
}

struct rtnl_link_ops nsw_link_ops __read_mostly = {
	.kind		= "nestsw",
	.priv_size	= sizeof(struct nsw_switch),
	.setup		= nsw_setup,
	.dellink	= nsw_dellink,
};

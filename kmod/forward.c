// SPDX-License-Identifier: GPL-2.0
/*
 * Delivery: known unicast to one port, broadcast and multicast to every
 * port and the host, unknown unicast to the uplinks only. Never back out of
 * the ingress port. Runs under RCU (BH) with skb->data past the Ethernet
 * header, as an rx_handler leaves it.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <uapi/linux/nestsw.h>

#include "device.h"
#include "fdb.h"
#include "forward.h"
#include "port.h"

#define NSW_VID_NONE	0

/* Counts a frame that had nowhere to go: on rx from a port, tx from host. */
static void nsw_drop(struct nsw_switch *sw, const struct nsw_port *from,
		     struct sk_buff *skb)
{
	if (from)
		dev_core_stats_rx_dropped_inc(sw->dev);
	else
		dev_core_stats_tx_dropped_inc(sw->dev);
	kfree_skb(skb);
}

static void nsw_deliver(struct nsw_port *to, struct sk_buff *skb)
{
	skb->dev = to->dev;
	if (unlikely(!is_skb_forwardable(to->dev, skb))) {
		/* Larger than the port's MTU: dropped as a bridge does. */
		dev_core_stats_tx_dropped_inc(to->dev);
		kfree_skb(skb);
		return;
	}
	skb_push(skb, ETH_HLEN);
	skb_forward_csum(skb);
	dev_queue_xmit(skb);
}

/* Up the host stack, as if received by the switch device. */
static void nsw_deliver_local(struct nsw_switch *sw, struct sk_buff *skb)
{
	struct net_device *dev = sw->dev;

	if (unlikely(!(dev->flags & IFF_UP))) {
		kfree_skb(skb);
		return;
	}
	dev_sw_netstats_rx_add(dev, skb->len + ETH_HLEN);
	skb->dev = dev;
	if (skb->pkt_type == PACKET_OTHERHOST &&
	    ether_addr_equal(eth_hdr(skb)->h_dest, dev->dev_addr))
		skb->pkt_type = PACKET_HOST;
	netif_receive_skb(skb);
}

static bool nsw_may_deliver(const struct nsw_port *to,
			    const struct nsw_port *from)
{
	return to != from && netif_running(to->dev);
}

static bool nsw_floods_to(const struct nsw_port *to,
			  const struct nsw_port *from, bool unknown_unicast)
{
	if (!nsw_may_deliver(to, from))
		return false;
	return !unknown_unicast ||
	       READ_ONCE(to->role) == NESTSW_PORT_ROLE_UPLINK;
}

static void nsw_deliver_clone(struct nsw_switch *sw, struct nsw_port *to,
			      struct sk_buff *skb)
{
	struct sk_buff *clone = skb_clone(skb, GFP_ATOMIC);

	if (unlikely(!clone)) {
		dev_core_stats_tx_dropped_inc(sw->dev);
		return;
	}
	nsw_deliver(to, clone);
}

/*
 * Sends @skb to every eligible port (and the host when @to_host), cloning
 * for all but the last receiver so the common one-receiver case copies
 * nothing.
 */
static void nsw_flood(struct nsw_switch *sw, struct nsw_port *from,
		      struct sk_buff *skb, bool unknown_unicast, bool to_host)
{
	struct nsw_port *prev = NULL;
	struct nsw_port *port;

	list_for_each_entry_rcu(port, &sw->ports, list) {
		if (!nsw_floods_to(port, from, unknown_unicast))
			continue;
		if (prev)
			nsw_deliver_clone(sw, prev, skb);
		prev = port;
	}

	if (to_host) {
		if (prev)
			nsw_deliver_clone(sw, prev, skb);
		nsw_deliver_local(sw, skb);
	} else if (prev) {
		nsw_deliver(prev, skb);
	} else if (unknown_unicast) {
		nsw_drop(sw, from, skb);	/* no uplink */
	} else {
		consume_skb(skb);	/* a flood on a switch with no peers */
	}
}

/*
 * Switches @skb, received on @from (NULL: sent by the host through the
 * switch device). Consumes @skb.
 */
void nsw_forward(struct nsw_switch *sw, struct nsw_port *from,
		 struct sk_buff *skb)
{
	const u8 *dest = eth_hdr(skb)->h_dest;
	struct nsw_fdb_entry *fdb;

	if (is_multicast_ether_addr(dest)) {
		nsw_flood(sw, from, skb, false, from);
		return;
	}

	fdb = nsw_fdb_lookup_rcu(sw, dest, NSW_VID_NONE);
	if (!fdb) {
		nsw_flood(sw, from, skb, true, false);
		return;
	}

	if (fdb->flags & NSW_FDB_LOCAL) {
		if (from)
			nsw_deliver_local(sw, skb);
		else
			nsw_drop(sw, from, skb);
		return;
	}

	if (nsw_may_deliver(fdb->port, from))
		nsw_deliver(fdb->port, skb);
	else if (fdb->port == from)
		consume_skb(skb);	/* for its own segment: filtered */
	else
		nsw_drop(sw, from, skb);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The receive path of a port: the rx_handler that takes every frame a port
 * receives and hands it to the switch.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>

#include "device.h"
#include "forward.h"
#include "port.h"

rx_handler_result_t nsw_handle_frame(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct nsw_port *port;

	if (unlikely(skb->pkt_type == PACKET_LOOPBACK))
		return RX_HANDLER_PASS;

	/* IEEE 802.1D reserved addresses (STP, LACP, LLDP) stay on the link. */
	if (unlikely(is_link_local_ether_addr(eth_hdr(skb)->h_dest)))
		return RX_HANDLER_PASS;

	port = nsw_port_get_rcu(skb->dev);
	if (unlikely(!is_valid_ether_addr(eth_hdr(skb)->h_source))) {
		dev_core_stats_rx_dropped_inc(port->sw->dev);
		kfree_skb(skb);
		return RX_HANDLER_CONSUMED;
	}

	/* pktgen and taps may hold a reference: we edit the skb, unshare it. */
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return RX_HANDLER_CONSUMED;

	nsw_forward(port->sw, port, skb);
	return RX_HANDLER_CONSUMED;
}

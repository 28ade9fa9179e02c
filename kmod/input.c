// SPDX-License-Identifier: GPL-2.0
/*
 * The receive path of a port: the rx_handler that takes every frame a port
 * receives, classifies it into a VLAN, applies the port's guest policy,
 * learns its source and hands it to forwarding.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <uapi/linux/nestsw.h>

#include "device.h"
#include "fdb.h"
#include "forward.h"
#include "notify.h"
#include "nsw_trace.h"
#include "port.h"

/*
 * Classifies @skb into a VLAN (0: untagged), or -1 outside the port's
 * scope. An untagged or access port takes untagged frames, and
 * priority-tagged ones (VID 0), which 802.1Q puts in the port's VLAN: their
 * tag takes that VLAN's VID and keeps its priority for a trunk. A trunk
 * takes both, of the VLANs it carries; a priority tag there is an untagged
 * frame's.
 */
static int nsw_vlan_ingress(const struct nsw_port_cfg *cfg,
			    struct sk_buff *skb)
{
	u16 vid = 0;

	if (cfg->vlan != NESTSW_VLAN_TRUNK) {
		if (!skb_vlan_tag_present(skb))
			return cfg->vlan;
		if (skb_vlan_tag_get_id(skb))
			return -1;
		skb->vlan_tci |= cfg->vlan;
		return cfg->vlan;
	}
	if (skb_vlan_tag_present(skb)) {
		vid = skb_vlan_tag_get_id(skb);
		if (vid == VLAN_N_VID - 1)
			return -1;
	}
	return nsw_in_vlan(cfg, vid) ? vid : -1;
}

/*
 * The switch's VLANs are 802.1Q's. An outer 802.1ad S-tag (or any other
 * than a C-tag) that the core took out of band is put back into the frame,
 * which is then an untagged frame with ethertype 0x88a8 (QinQ passes
 * through in the port's VLAN), as the bridge does. NULL if the frame is
 * lost (no memory).
 */
static struct sk_buff *nsw_stag_inline(struct sk_buff *skb)
{
	skb_push(skb, ETH_HLEN);
	skb = __vlan_hwaccel_push_inside(skb);
	if (likely(skb))
		skb_pull(skb, ETH_HLEN);
	return skb;
}

/* A source the admin allowed on this port with a static FDB entry. */
static bool nsw_static_source(struct nsw_port *port, const u8 *src, u16 vid)
{
	struct nsw_fdb_entry *fdb = nsw_fdb_find_rcu(port->sw, src, vid);

	return fdb && READ_ONCE(fdb->port) == port &&
	       (READ_ONCE(fdb->flags) & NSW_FDB_STATIC);
}

/*
 * Drops a frame for @reason, and tells the monitor (rate limited; a drop
 * at the limit was told as a limit-hit already; reflections are a team's
 * normal life, one per flood, and would crowd out the other events).
 */
static rx_handler_result_t nsw_drop(struct nsw_port *port,
				    struct sk_buff *skb,
				    enum nsw_drop_reason reason, int vid)
{
	nsw_port_drop(port, reason);
	trace_nestsw_drop(port->dev, skb, reason, vid);
	dev_core_stats_rx_dropped_inc(port->sw->dev);
	if (reason != NSW_DROP_LIMIT && reason != NSW_DROP_REFLECTION)
		nsw_event_drop(port, reason, eth_hdr(skb)->h_source, vid);
	kfree_skb(skb);
	return RX_HANDLER_CONSUMED;
}

/*
 * Learns the source of a frame from @port; NSW_DROP_MAX if the frame goes
 * on, else why it is dropped.
 */
static enum nsw_drop_reason nsw_learn_source(struct nsw_port *port,
					     const struct nsw_port_cfg *cfg,
					     const u8 *src, u16 vid)
{
	struct nsw_port *from = NULL;

	switch (nsw_fdb_learn_rcu(port, cfg, src, vid, &from)) {
	case NSW_LEARN_KNOWN:
		break;
	case NSW_LEARN_NEW:
		nsw_port_learn_stat(port, NSW_LEARN_LEARNED);
		break;
	case NSW_LEARN_MOVED:
		nsw_port_learn_stat(port, NSW_LEARN_MOVES);
		break;
	case NSW_LEARN_LIMIT:
		nsw_event_limit_hit(port, src, vid, !cfg->limit_allow);
		if (cfg->limit_allow) {
			nsw_port_learn_stat(port, NSW_LEARN_NOT_LEARNED_ALLOWED);
			break;
		}
		nsw_port_learn_stat(port, NSW_LEARN_NOT_LEARNED_DROPPED);
		return NSW_DROP_LIMIT;
	case NSW_LEARN_CONFLICT:
		return NSW_DROP_STATIC_CONFLICT;
	case NSW_LEARN_REFLECTION:
		return NSW_DROP_REFLECTION;
	}
	return NSW_DROP_MAX;
}

/*
 * The source's verdicts, forged-transmits then learning; NSW_DROP_MAX if
 * the frame goes on. The guest's own MAC needs no lookup for either: the
 * FDB holds it as the port's already when the cfg says so.
 */
static enum nsw_drop_reason nsw_check_source(struct nsw_port *port,
					     const struct nsw_port_cfg *cfg,
					     const u8 *src, u16 vid)
{
	bool own;

	if (!cfg->forged_reject && !cfg->learn)
		return NSW_DROP_MAX;
	own = ether_addr_equal(src, cfg->effective_mac);
	if (cfg->forged_reject && !own && !nsw_static_source(port, src, vid))
		return NSW_DROP_FORGED;
	if (!cfg->learn || (own && cfg->own_mac_known))
		return NSW_DROP_MAX;
	return nsw_learn_source(port, cfg, src, vid);
}

static bool nsw_link_local_stays(const struct nsw_port_cfg *cfg,
				 const u8 *dest)
{
	return is_link_local_ether_addr(dest) &&
	       !(cfg->group_fwd & nsw_group_bit(dest));
}

/*
 * The team's frames go to the member it last sent from: the active vNIC of
 * an active-backup bond, the one a balance-xor bond uses for the flow. A
 * store only when it changes.
 */
static void nsw_team_seen(struct nsw_team *team, struct nsw_port *port)
{
	if (rcu_access_pointer(team->active) != port)
		rcu_assign_pointer(team->active, port);
}

rx_handler_result_t nsw_handle_frame(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	const struct nsw_port_cfg *cfg;
	enum nsw_drop_reason reason;
	struct nsw_port *port;
	const u8 *src;
	int vid;

	if (unlikely(skb->pkt_type == PACKET_LOOPBACK))
		return RX_HANDLER_PASS;

	port = nsw_port_get_rcu(skb->dev);
	cfg = rcu_dereference(port->cfg);
	/*
	 * IEEE 802.1D reserved addresses (STP, LACP, LLDP) stay on the link,
	 * unless the port's policy forwards them.
	 */
	if (unlikely(nsw_link_local_stays(cfg, eth_hdr(skb)->h_dest)))
		return RX_HANDLER_PASS;

	src = eth_hdr(skb)->h_source;
	if (unlikely(!is_valid_ether_addr(src)))
		return nsw_drop(port, skb, NSW_DROP_INVALID_SOURCE, -1);

	/* pktgen and taps may hold a reference: we edit the skb, unshare it. */
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return RX_HANDLER_CONSUMED;

	if (unlikely(skb_vlan_tag_present(skb) &&
		     skb->vlan_proto != htons(ETH_P_8021Q))) {
		skb = nsw_stag_inline(skb);
		if (unlikely(!skb)) {
			dev_core_stats_rx_dropped_inc(port->sw->dev);
			return RX_HANDLER_CONSUMED;
		}
	}

	vid = nsw_vlan_ingress(cfg, skb);
	if (unlikely(vid < 0))
		return nsw_drop(port, skb, NSW_DROP_VLAN, -1);
	reason = nsw_check_source(port, cfg, eth_hdr(skb)->h_source, vid);
	if (unlikely(reason != NSW_DROP_MAX))
		return nsw_drop(port, skb, reason, vid);

	if (cfg->team)
		nsw_team_seen(cfg->team, port);
	nsw_forward(port->sw, port, skb, vid);
	return RX_HANDLER_CONSUMED;
}

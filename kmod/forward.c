// SPDX-License-Identifier: GPL-2.0
/*
 * Delivery of a classified frame: known unicast to one port, broadcast and
 * multicast to every port in its VLAN and the host, unknown unicast to one
 * uplink (chosen per source port) and to promiscuous guests; copies for
 * guests allowed to be promiscuous. Never back out of the ingress port,
 * never from an uplink to another; each port sends to and gets floods from
 * the physical network by one uplink. Runs under RCU (BH) with skb->data past
 * the Ethernet header, as an rx_handler leaves it.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <uapi/linux/nestsw.h>

#include "device.h"
#include "fdb.h"
#include "forward.h"
#include "nsw_trace.h"
#include "port.h"

/* Where a frame came from and what it is; fixed for one nsw_forward(). */
struct nsw_frame {
	struct nsw_switch *sw;
	struct nsw_port *from;		/* NULL: the host */
	bool from_uplink;
	u32 hash;			/* picks the uplink of the source */
	u32 active;			/* its active uplinks (slots) */
	u32 standby;			/* its standby uplinks */
	u16 vid;			/* 0: untagged */
	u16 group_bit;			/* link-local from a port: its bit */
	const struct nsw_team *team;	/* the source's team, or NULL */
};

/* A trunk carries the frame's VLAN as a tag; other ports carry none. */
static void nsw_vlan_egress(struct sk_buff *skb, bool trunk, u16 vid)
{
	if (!trunk || !vid)
		__vlan_hwaccel_clear_tag(skb);
	else if (!skb_vlan_tag_present(skb))
		__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), vid);
}

/*
 * Drops a frame of @f, counted on @port by @reason and on the switch device
 * as received (from a port) or sent (by the host) and dropped.
 */
static void nsw_drop_frame(const struct nsw_frame *f, struct nsw_port *port,
			   enum nsw_drop_reason reason, struct sk_buff *skb)
{
	if (port)
		nsw_port_drop(port, reason);
	trace_nestsw_drop(port ? port->dev : f->sw->dev, skb, reason, f->vid);
	if (f->from)
		dev_core_stats_rx_dropped_inc(f->sw->dev);
	else
		dev_core_stats_tx_dropped_inc(f->sw->dev);
	kfree_skb(skb);
}

static void nsw_deliver(const struct nsw_frame *f, struct nsw_port *to,
			struct sk_buff *skb)
{
	const struct nsw_port_cfg *cfg = rcu_dereference(to->cfg);

	if (unlikely(cfg->mac_change_drop)) {
		nsw_drop_frame(f, to, NSW_DROP_MAC_CHANGE, skb);
		return;
	}
	skb->dev = to->dev;
	nsw_vlan_egress(skb, cfg->vlan == NESTSW_VLAN_TRUNK, f->vid);
	/* The MTU bounds the frame, its Ethernet header included. */
	skb_push(skb, ETH_HLEN);
	if (unlikely(!is_skb_forwardable(to->dev, skb))) {
		nsw_drop_frame(f, to, NSW_DROP_MTU, skb);
		return;
	}
	/*
	 * A receive timestamp is wall-clock time; an egress qdisc (fq) reads
	 * skb->tstamp as a departure time and would drop the frame as beyond
	 * its horizon.
	 */
	skb_clear_tstamp(skb);
	skb_forward_csum(skb);
	dev_queue_xmit(skb);
}

static void nsw_deliver_clone(const struct nsw_frame *f, struct nsw_port *to,
			      struct sk_buff *skb)
{
	struct sk_buff *clone = skb_clone(skb, GFP_ATOMIC);

	if (unlikely(!clone)) {
		dev_core_stats_tx_dropped_inc(f->sw->dev);
		return;
	}
	nsw_deliver(f, to, clone);
}

/* Up the host stack, as if received by the switch device (a trunk). */
static void nsw_deliver_local(const struct nsw_frame *f, struct sk_buff *skb)
{
	struct net_device *dev = f->sw->dev;

	if (unlikely(!(dev->flags & IFF_UP))) {
		kfree_skb(skb);
		return;
	}
	dev_sw_netstats_rx_add(dev, skb->len + ETH_HLEN);
	skb->dev = dev;
	nsw_vlan_egress(skb, true, f->vid);
	if (skb->pkt_type == PACKET_OTHERHOST &&
	    ether_addr_equal(eth_hdr(skb)->h_dest, dev->dev_addr))
		skb->pkt_type = PACKET_HOST;
	netif_receive_skb(skb);
}

static bool nsw_promisc_guest(const struct nsw_port *port,
			      const struct nsw_port_cfg *cfg)
{
	return cfg->promisc_accept && nsw_port_guest_promisc_rcu(port);
}

/*
 * Whether @to can take a frame of the flow @f: up, in its VLAN, not back,
 * and for a link-local group address, one its policy forwards.
 */
static bool nsw_can_send(const struct nsw_frame *f, const struct nsw_port *to,
			 const struct nsw_port_cfg *cfg)
{
	return to != f->from && netif_running(to->dev) &&
	       nsw_in_vlan(cfg, f->vid) && !(f->group_bit & ~cfg->group_fwd) &&
	       !(f->team && cfg->team == f->team);
}

/* A member of @team that can take a frame of @f: up, with carrier. */
static bool nsw_team_member_usable(const struct nsw_frame *f,
				   const struct nsw_port *port,
				   const struct nsw_team *team)
{
	const struct nsw_port_cfg *cfg = rcu_dereference(port->cfg);

	return cfg->team == team && netif_running(port->dev) &&
	       netif_carrier_ok(port->dev) && nsw_in_vlan(cfg, f->vid);
}

/*
 * The member that takes @team's frames: the one it last sent from, else
 * (gone down) the first in the list that can; NULL if none can.
 */
static struct nsw_port *nsw_team_pick(const struct nsw_frame *f,
				      const struct nsw_team *team)
{
	struct nsw_port *port = rcu_dereference(team->active);

	if (port && nsw_team_member_usable(f, port, team))
		return port;
	list_for_each_entry_rcu(port, &f->sw->ports, list)
		if (nsw_team_member_usable(f, port, team))
			return port;
	return NULL;
}

/* Whether @to is not a team's member, or the one that takes its frames. */
static bool nsw_team_takes(const struct nsw_frame *f, const struct nsw_port *to,
			   const struct nsw_port_cfg *cfg)
{
	return !cfg->team || nsw_team_pick(f, cfg->team) == to;
}

/*
 * An uplink that can carry a frame of VLAN @vid now: up, with carrier (so
 * that a source's pick never lands on a dead link), in the VLAN.
 */
static bool nsw_uplink_carries(const struct nsw_port *up, u16 vid)
{
	return netif_running(up->dev) && netif_carrier_ok(up->dev) &&
	       nsw_in_vlan(rcu_dereference(up->cfg), vid);
}

/* Of the uplinks in the slots of @mask that carry @vid, the one of @hash. */
static struct nsw_port *nsw_uplink_among(struct nsw_switch *sw, u32 mask,
					 u32 hash, u16 vid)
{
	struct nsw_port *up, *usable[NESTSW_UPLINKS_MAX];
	unsigned int n = 0;

	for (mask &= READ_ONCE(sw->uplink_slots); mask; mask &= mask - 1) {
		up = rcu_dereference(sw->uplinks[__ffs(mask)]);
		if (up && nsw_uplink_carries(up, vid))
			usable[n++] = up;
	}
	return n ? usable[hash % n] : NULL;
}

/*
 * The uplink of a source for VLAN @vid: by its @hash among its active
 * uplinks that carry the VLAN, else among its standby ones; NULL if none
 * can. All the source sends out leaves by it, so that the physical network
 * sees each MAC behind one of its ports.
 */
static struct nsw_port *nsw_uplink_pick(struct nsw_switch *sw, u32 active,
					u32 standby, u32 hash, u16 vid)
{
	return nsw_uplink_among(sw, active, hash, vid) ?:
	       nsw_uplink_among(sw, standby, hash, vid);
}

/*
 * Whether a flood from an uplink may reach @to (NULL: the host, which
 * uses every uplink): only by the uplink @to sends by. A physical network
 * floods to all the uplinks, so each of its floods arrives once per
 * uplink: every port takes the copy of its own.
 */
static bool nsw_by_own_uplink(const struct nsw_frame *f,
			      const struct nsw_port *to,
			      const struct nsw_port_cfg *cfg)
{
	if (!f->from_uplink)
		return true;
	if (!to)
		return nsw_uplink_pick(f->sw, ~0U, 0, 0, f->vid) == f->from;
	return nsw_uplink_pick(f->sw, cfg->active_uplinks, cfg->standby_uplinks,
			       to->hash, f->vid) == f->from;
}

/*
 * Guests a flood reaches: all of a broadcast; of unknown unicast, the
 * learning ones under unknown-flood on (a guest may be behind them) and the
 * promiscuous ones.
 */
static bool nsw_guest_flooded(const struct nsw_frame *f,
			      const struct nsw_port *to,
			      const struct nsw_port_cfg *cfg, bool unknown_unicast)
{
	if (!nsw_can_send(f, to, cfg) || !nsw_team_takes(f, to, cfg))
		return false;
	if (unknown_unicast && !cfg->flood_unknown &&
	    !nsw_promisc_guest(to, cfg))
		return false;
	return nsw_by_own_uplink(f, to, cfg);
}

/*
 * The uplink a flood from a guest or the host leaves by: the source's,
 * if it takes the frame (a link-local one its policy may not forward).
 * Never from an uplink out of another.
 */
static struct nsw_port *nsw_flood_uplink(const struct nsw_frame *f)
{
	struct nsw_port *up;

	if (f->from_uplink)
		return NULL;
	up = nsw_uplink_pick(f->sw, f->active, f->standby, f->hash, f->vid);
	if (up && (f->group_bit & ~rcu_dereference(up->cfg)->group_fwd))
		return NULL;
	return up;
}

/*
 * Sends @skb to every guest port the flood reaches, to the source's uplink
 * and to the host when @to_host, cloning for all but the last receiver.
 */
static void nsw_flood(const struct nsw_frame *f, struct sk_buff *skb,
		      bool unknown_unicast, bool to_host)
{
	struct nsw_port *prev = NULL, *port, *up;
	const struct nsw_port_cfg *cfg;

	list_for_each_entry_rcu(port, &f->sw->ports, list) {
		cfg = rcu_dereference(port->cfg);
		if (cfg->uplink ||
		    !nsw_guest_flooded(f, port, cfg, unknown_unicast))
			continue;
		if (prev)
			nsw_deliver_clone(f, prev, skb);
		prev = port;
	}
	up = nsw_flood_uplink(f);
	if (up) {
		if (prev)
			nsw_deliver_clone(f, prev, skb);
		prev = up;
	}

	if (to_host && nsw_by_own_uplink(f, NULL, NULL)) {
		if (prev)
			nsw_deliver_clone(f, prev, skb);
		nsw_deliver_local(f, skb);
	} else if (prev) {
		nsw_deliver(f, prev, skb);
	} else if (unknown_unicast) {
		nsw_drop_frame(f, f->from, NSW_DROP_NO_DESTINATION, skb);
	} else {
		consume_skb(skb);	/* a flood on a switch with no peers */
	}
}

/* Copies of a known unicast frame for the promiscuous guests in its VLAN. */
static void nsw_promisc_copies(const struct nsw_frame *f,
			       const struct nsw_port *dest,
			       struct sk_buff *skb)
{
	const struct nsw_port_cfg *cfg;
	struct nsw_port *port;

	list_for_each_entry_rcu(port, &f->sw->ports, list) {
		if (port == dest)
			continue;
		cfg = rcu_dereference(port->cfg);
		if (nsw_promisc_guest(port, cfg) && nsw_can_send(f, port, cfg) &&
		    nsw_team_takes(f, port, cfg))
			nsw_deliver_clone(f, port, skb);
	}
}

/*
 * Whether known unicast to @to, an FDB entry's port (@cfg its
 * configuration), can go there: else it is flooded.
 */
static bool nsw_dest_usable(const struct nsw_frame *f,
			    const struct nsw_port *to,
			    const struct nsw_port_cfg *cfg)
{
	if (!to || to == f->from)
		return true;	/* the host, or the frame's own segment */
	return nsw_in_vlan(cfg, f->vid) && netif_running(to->dev);
}

static void nsw_unicast(const struct nsw_frame *f, struct sk_buff *skb,
			struct nsw_fdb_entry *fdb)
{
	struct nsw_port *to = fdb ? READ_ONCE(fdb->port) : NULL;
	const struct nsw_port_cfg *cfg = to ? rcu_dereference(to->cfg) : NULL;

	/*
	 * Behind the uplinks: from a guest or the host, by the source's own
	 * uplink, whichever the MAC was learned on (the uplinks are one
	 * network). Never from an uplink out of another: the MAC is in the
	 * physical network the frame came from, which has delivered it, and
	 * must not have it looped back (nor flooded).
	 */
	if (cfg && cfg->uplink && to != f->from) {
		if (f->from_uplink) {
			nsw_drop_frame(f, f->from, NSW_DROP_NO_DESTINATION,
				       skb);
			return;
		}
		to = nsw_uplink_pick(f->sw, f->active, f->standby, f->hash,
				     f->vid);
		if (!to) {
			nsw_drop_frame(f, f->from, NSW_DROP_NO_DESTINATION,
				       skb);
			return;
		}
		cfg = rcu_dereference(to->cfg);
	}
	/*
	 * To a team: its own frames stay in it (its segment), others go to
	 * the member that takes them.
	 */
	if (unlikely(cfg && cfg->team)) {
		if (cfg->team == f->team) {
			consume_skb(skb);
			return;
		}
		to = nsw_team_pick(f, cfg->team) ?: to;
		cfg = rcu_dereference(to->cfg);
	}
	/* Unknown unicast: the flood takes the promiscuous guests along. */
	if (!fdb || !nsw_dest_usable(f, to, cfg)) {
		nsw_flood(f, skb, true, false);
		return;
	}

	if (unlikely(READ_ONCE(f->sw->n_promisc)))
		nsw_promisc_copies(f, to, skb);

	if (!to) {
		if (f->from)
			nsw_deliver_local(f, skb);
		else
			consume_skb(skb);	/* the host to itself */
	} else if (to == f->from) {
		consume_skb(skb);	/* for its own segment: filtered */
	} else {
		nsw_deliver(f, to, skb);
	}
}

/*
 * Switches @skb, of VLAN @vid (0: untagged), received on @from (NULL: sent
 * by the host through the switch device). Consumes @skb.
 */
void nsw_forward(struct nsw_switch *sw, struct nsw_port *from,
		 struct sk_buff *skb, u16 vid)
{
	const struct nsw_port_cfg *cfg = from ? rcu_dereference(from->cfg) : NULL;
	const u8 *dest = eth_hdr(skb)->h_dest;
	struct nsw_frame f = {
		.sw = sw,
		.from = from,
		.from_uplink = cfg && cfg->uplink,
		.hash = from ? from->hash : 0,
		/* The host uses every uplink. */
		.active = cfg ? cfg->active_uplinks : ~0U,
		.standby = cfg ? cfg->standby_uplinks : 0,
		.vid = vid,
		.team = cfg ? cfg->team : NULL,
	};

	if (is_multicast_ether_addr(dest)) {
		/* The host's own are its business, as the bridge's are. */
		if (unlikely(from && is_link_local_ether_addr(dest)))
			f.group_bit = nsw_group_bit(dest);
		nsw_flood(&f, skb, false, from);
	} else {
		nsw_unicast(&f, skb, nsw_fdb_find_rcu(sw, dest, vid));
	}
}

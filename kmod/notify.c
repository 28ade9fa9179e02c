// SPDX-License-Identifier: GPL-2.0
/*
 * What the switch tells userspace, in one place: monitor events on the
 * genl group, the neighbour messages "bridge monitor fdb" reads, and the
 * tracepoints. The data path and the configuration code call in; nothing
 * here calls back into them. Every message is sent with GFP_ATOMIC, from
 * wherever the change happened (BH off, under the FDB's lock for the
 * FDB's), and rate limited per switch.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>
#include <uapi/linux/neighbour.h>

#include "device.h"
#include "fdb.h"
#include "netlink.h"
#include "notify.h"
#include "port.h"

#define CREATE_TRACE_POINTS
#include "nsw_trace.h"

/*
 * Whether @lim lets one more message through in this second; if not, it
 * is counted as suppressed.
 */
static bool nsw_event_allowed(struct nsw_event_limit *lim)
{
	unsigned long now = jiffies;

	if (time_after(now, READ_ONCE(lim->begin) + HZ)) {
		WRITE_ONCE(lim->begin, now);
		atomic_set(&lim->sent, 0);
	}
	if (atomic_inc_return(&lim->sent) <= NESTSW_EVENT_BURST)
		return true;
	atomic_inc(&lim->suppressed);
	return false;
}

/*
 * A new event message for @sw if anyone listens and the rate limit lets it
 * through, with its type, switch and suppressed count; NULL otherwise.
 */
static struct sk_buff *nsw_event_new(struct nsw_switch *sw,
				     enum nestsw_event_type type, void **hdr)
{
	struct nsw_event_limit *lim = &sw->events;
	struct sk_buff *msg;
	u32 suppressed;

	if (!genl_has_listeners(&nsw_genl_family, dev_net(sw->dev), 0) ||
	    !nsw_event_allowed(lim))
		return NULL;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		goto suppress;
	*hdr = genlmsg_put(msg, 0, 0, &nsw_genl_family, 0, NESTSW_CMD_EVENT);
	suppressed = atomic_xchg(&lim->suppressed, 0);
	if (!*hdr || nla_put_u32(msg, NESTSW_A_EVENT_TYPE, type) ||
	    nla_put_u32(msg, NESTSW_A_EVENT_SWITCH_IFINDEX, sw->dev->ifindex) ||
	    nla_put_u32(msg, NESTSW_A_EVENT_SUPPRESSED, suppressed)) {
		atomic_add(suppressed, &lim->suppressed);
		nlmsg_free(msg);
		goto suppress;
	}
	return msg;

suppress:
	atomic_inc(&lim->suppressed);
	return NULL;
}

/* Sends an event that nsw_event_new() began, once @err says it is whole. */
static void nsw_event_send(struct nsw_switch *sw, struct sk_buff *msg,
			   void *hdr, int err)
{
	if (err) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&nsw_genl_family, dev_net(sw->dev), msg, 0, 0,
				GFP_ATOMIC);
}

static int nsw_event_put_source(struct sk_buff *msg,
				const struct nsw_port *port, const u8 *mac,
				int vid)
{
	if (nla_put_u32(msg, NESTSW_A_EVENT_PORT_IFINDEX, port->dev->ifindex) ||
	    nla_put(msg, NESTSW_A_EVENT_MAC, ETH_ALEN, mac) ||
	    (vid >= 0 && nla_put_u16(msg, NESTSW_A_EVENT_VLAN, vid)))
		return -EMSGSIZE;
	return 0;
}

/* A learned entry was created, moved (from @from) or aged out. */
void nsw_event_fdb(struct nsw_switch *sw, enum nestsw_event_type type,
		   const struct nsw_fdb_entry *fdb,
		   const struct nsw_port *from)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = nsw_event_new(sw, type, &hdr);
	if (!msg)
		return;
	err = nsw_event_put_source(msg, READ_ONCE(fdb->port), fdb->key.addr,
				   fdb->key.vid);
	if (!err && from)
		err = nla_put_u32(msg, NESTSW_A_EVENT_FROM_IFINDEX,
				  from->dev->ifindex);
	nsw_event_send(sw, msg, hdr, err);
}

/* A new source on a port at its mac-limit. */
void nsw_event_limit_hit(struct nsw_port *port, const u8 *mac, u16 vid,
			 bool dropped)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = nsw_event_new(port->sw, NESTSW_EVENT_LIMIT_HIT, &hdr);
	if (!msg)
		return;
	err = nsw_event_put_source(msg, port, mac, vid) ?:
	      nla_put_u8(msg, NESTSW_A_EVENT_DROPPED, dropped);
	nsw_event_send(port->sw, msg, hdr, err);
}

/* A frame from @port dropped for @reason (enum nsw_drop_reason). */
void nsw_event_drop(struct nsw_port *port, int reason, const u8 *mac,
		    int vid)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = nsw_event_new(port->sw, NESTSW_EVENT_POLICY_DROP, &hdr);
	if (!msg)
		return;
	err = nsw_event_put_source(msg, port, mac, vid) ?:
	      nla_put_u32(msg, NESTSW_A_EVENT_REASON, nsw_drop_attrs[reason]);
	nsw_event_send(port->sw, msg, hdr, err);
}

static size_t nsw_neigh_msg_size(void)
{
	return NLMSG_ALIGN(sizeof(struct ndmsg)) +
	       nla_total_size(ETH_ALEN) +		/* NDA_LLADDR */
	       nla_total_size(sizeof(u32)) +		/* NDA_MASTER */
	       nla_total_size(sizeof(u16)) +		/* NDA_VLAN */
	       nla_total_size(sizeof(struct nda_cacheinfo));
}

/**
 * nsw_notify_neigh() - tell RTNLGRP_NEIGH that an FDB entry changed
 * @sw: its switch
 * @fdb: the entry, as it is now (or was, for RTM_DELNEIGH)
 * @type: RTM_NEWNEIGH (added, moved) or RTM_DELNEIGH (removed)
 *
 * As the bridge does it, so that "bridge monitor fdb" and other
 * rtnetlink listeners see nestsw's FDB change; rate limited.
 */
void nsw_notify_neigh(struct nsw_switch *sw, const struct nsw_fdb_entry *fdb,
		      int type)
{
	struct net *net = dev_net(sw->dev);
	struct sk_buff *skb;
	int err = -ENOBUFS;

	if (!netlink_has_listeners(net->rtnl, RTNLGRP_NEIGH) ||
	    !nsw_event_allowed(&sw->neigh_events))
		return;
	skb = nlmsg_new(nsw_neigh_msg_size(), GFP_ATOMIC);
	if (!skb)
		goto errout;
	err = nsw_fdb_fill_neigh(skb, sw, fdb, 0, 0, type, 0);
	if (err < 0) {
		/* nsw_neigh_msg_size() is wrong */
		WARN_ON(err == -EMSGSIZE);
		kfree_skb(skb);
		goto errout;
	}
	rtnl_notify(skb, net, 0, RTNLGRP_NEIGH, NULL, GFP_ATOMIC);
	return;
errout:
	rtnl_set_sk_err(net, RTNLGRP_NEIGH, err);
}

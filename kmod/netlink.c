// SPDX-License-Identifier: GPL-2.0
/*
 * The "nestsw" generic netlink family (Documentation/netlink/specs/
 * nestsw.yaml). Changes need CAP_NET_ADMIN over the user namespace that
 * owns the network namespace of the request's socket, which is where every
 * device is looked up (GENL_UNS_ADMIN_PERM, as WireGuard): a rootless
 * container's root manages its own switches, no one else's. Everything,
 * dumps included, runs under RTNL, which guards every configuration object
 * (switch policy, port groups, ports); a request is checked whole before
 * anything changes, so a refused one changes nothing.
 */
#include <linux/ctype.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <uapi/linux/nestsw.h>

#include "device.h"
#include "fdb.h"
#include "netlink.h"
#include "pg.h"
#include "port.h"

static struct netlink_range_validation nsw_mac_limit_range = {
	.min = 1,
	.max = NESTSW_MAC_LIMIT_MAX,
};

static struct netlink_range_validation nsw_ageing_range = {
	.min = NESTSW_AGEING_MIN,
	.max = NESTSW_AGEING_MAX,
};

static const struct nla_policy nsw_policy_policy[] = {
	[NESTSW_A_POLICY_PROMISCUOUS] =
		NLA_POLICY_MAX(NLA_U32, NESTSW_VERDICT_ACCEPT),
	[NESTSW_A_POLICY_MAC_CHANGES] =
		NLA_POLICY_MAX(NLA_U32, NESTSW_VERDICT_ACCEPT),
	[NESTSW_A_POLICY_FORGED_TRANSMITS] =
		NLA_POLICY_MAX(NLA_U32, NESTSW_VERDICT_ACCEPT),
	[NESTSW_A_POLICY_LEARNING] = NLA_POLICY_MAX(NLA_U32, 1),
	[NESTSW_A_POLICY_MAC_LIMIT] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &nsw_mac_limit_range),
	[NESTSW_A_POLICY_LIMIT_POLICY] =
		NLA_POLICY_MAX(NLA_U32, NESTSW_LIMIT_POLICY_ALLOW),
	[NESTSW_A_POLICY_UNKNOWN_FLOOD] = NLA_POLICY_MAX(NLA_U32, 1),
	[NESTSW_A_POLICY_AGEING] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &nsw_ageing_range),
	[NESTSW_A_POLICY_GROUP_FWD] =
		NLA_POLICY_MASK(NLA_U32, NESTSW_GROUP_FWD_ALL),
};

#define NSW_PG_NAME_POLICY \
	{ .type = NLA_NUL_STRING, .len = NESTSW_PG_NAME_LEN - 1 }

/* Per command, as the spec lists them: anything else is refused. */
static const struct nla_policy nsw_port_get_policy[] = {
	[NESTSW_A_PORT_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[NESTSW_A_PORT_SWITCH_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
};

static const struct nla_policy nsw_port_set_policy[] = {
	[NESTSW_A_PORT_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[NESTSW_A_PORT_ROLE] = NLA_POLICY_MAX(NLA_U32,
					      NESTSW_PORT_ROLE_UPLINK),
	[NESTSW_A_PORT_PG] = NSW_PG_NAME_POLICY,
	[NESTSW_A_PORT_INITIAL_MAC] = NLA_POLICY_ETH_ADDR,
	[NESTSW_A_PORT_EFFECTIVE_MAC] = NLA_POLICY_ETH_ADDR,
	[NESTSW_A_PORT_GUEST_PROMISCUOUS] = NLA_POLICY_MAX(NLA_U8, 1),
};

static const struct nla_policy nsw_switch_get_policy[] = {
	[NESTSW_A_SWITCH_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
};

static const struct nla_policy nsw_switch_set_policy[] = {
	[NESTSW_A_SWITCH_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[NESTSW_A_SWITCH_POLICY] = NLA_POLICY_NESTED(nsw_policy_policy),
};

static const struct nla_policy nsw_uplinks_policy[] = {
	[NESTSW_A_UPLINKS_NAME] = { .type = NLA_NUL_STRING,
				    .len = IFNAMSIZ - 1 },
};

static const struct nla_policy nsw_pg_policy[] = {
	[NESTSW_A_PG_SWITCH_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[NESTSW_A_PG_NAME] = NSW_PG_NAME_POLICY,
	[NESTSW_A_PG_VLAN] = NLA_POLICY_MAX(NLA_U16, NESTSW_VLAN_TRUNK),
	[NESTSW_A_PG_POLICY] = NLA_POLICY_NESTED(nsw_policy_policy),
	[NESTSW_A_PG_INHERIT] = NLA_POLICY_MASK(NLA_U32, NSW_POLICY_ATTRS_ALL),
	[NESTSW_A_PG_TEAM] = NLA_POLICY_MAX(NLA_U8, 1),
	[NESTSW_A_PG_TRUNK_VLANS] =
		NLA_POLICY_EXACT_LEN(NESTSW_VLAN_BITMAP_LEN),
	[NESTSW_A_PG_ACTIVE_UPLINKS] = NLA_POLICY_NESTED(nsw_uplinks_policy),
	[NESTSW_A_PG_STANDBY_UPLINKS] = NLA_POLICY_NESTED(nsw_uplinks_policy),
};

static const struct nla_policy nsw_pg_get_policy[] = {
	[NESTSW_A_PG_SWITCH_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[NESTSW_A_PG_NAME] = NSW_PG_NAME_POLICY,
};

static const struct nla_policy nsw_fdb_policy[] = {
	[NESTSW_A_FDB_PORT_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[NESTSW_A_FDB_MAC] = NLA_POLICY_ETH_ADDR,
	[NESTSW_A_FDB_VLAN] = NLA_POLICY_MAX(NLA_U16, VLAN_N_VID - 2),
};

static const struct nla_policy nsw_fdb_get_policy[] = {
	[NESTSW_A_FDB_SWITCH_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[NESTSW_A_FDB_PORT_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* The policy fields named by @mask, one u32 attribute each. */
static int nsw_put_policy(struct sk_buff *skb, int attrtype,
			  const struct nsw_policy *policy, u32 mask)
{
	struct nlattr *nest = nla_nest_start(skb, attrtype);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(nsw_policy_fields); i++) {
		const struct nsw_policy_field *f = &nsw_policy_fields[i];

		if ((mask & f->bit) &&
		    nla_put_u32(skb, f->attr, nsw_policy_get(policy, f))) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Reads a validated policy nest into @policy; returns the fields it set. */
static u32 nsw_parse_policy(const struct nlattr *nest,
			    struct nsw_policy *policy)
{
	struct nlattr *tb[NESTSW_A_POLICY_MAX + 1];
	u32 mask = 0;
	int i;

	if (!nest || nla_parse_nested(tb, NESTSW_A_POLICY_MAX, nest,
				      nsw_policy_policy, NULL))
		return 0;
	for (i = 0; i < ARRAY_SIZE(nsw_policy_fields); i++) {
		const struct nsw_policy_field *f = &nsw_policy_fields[i];

		if (tb[f->attr]) {
			*nsw_policy_val(policy, f) = nla_get_u32(tb[f->attr]);
			mask |= f->bit;
		}
	}
	return mask;
}

/*
 * A required attribute that is missing: the extack names it (missing type)
 * and says which, so that every refusal carries a message.
 */
#define NSW_NL_REQUIRE(info, attrtype, what) ({				\
	struct genl_info *__nsw_info = (info);				\
	bool __missing = GENL_REQ_ATTR_CHECK(__nsw_info, attrtype);	\
									\
	if (__missing)							\
		NL_SET_ERR_MSG_MOD(__nsw_info->extack, "missing " what);\
	__missing;							\
})

/*
 * The device, switch or port @attr names in @net, or an ERR_PTR with
 * @extack set: for do requests and dumps alike. RTNL.
 */
static struct net_device *nsw_lookup_dev(struct net *net,
					 const struct nlattr *attr,
					 struct netlink_ext_ack *extack)
{
	struct net_device *dev = __dev_get_by_index(net, nla_get_u32(attr));

	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such device");
		return ERR_PTR(-ENODEV);
	}
	return dev;
}

static struct nsw_switch *nsw_lookup_switch(struct net *net,
					    const struct nlattr *attr,
					    struct netlink_ext_ack *extack)
{
	struct net_device *dev = nsw_lookup_dev(net, attr, extack);

	if (IS_ERR(dev))
		return ERR_CAST(dev);
	if (!nsw_is_switch(dev)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "device is not a nestsw switch");
		return ERR_PTR(-EINVAL);
	}
	return netdev_priv(dev);
}

static struct nsw_port *nsw_lookup_port(struct net *net,
					const struct nlattr *attr,
					struct netlink_ext_ack *extack)
{
	struct net_device *dev = nsw_lookup_dev(net, attr, extack);
	struct nsw_port *port;

	if (IS_ERR(dev))
		return ERR_CAST(dev);
	port = nsw_port_get_rtnl(dev);
	if (!port) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "device is not a nestsw port");
		return ERR_PTR(-EINVAL);
	}
	return port;
}

/* The switch named by @attrtype, which is required. RTNL. */
static struct nsw_switch *nsw_nl_switch(struct genl_info *info, int attrtype)
{
	if (NSW_NL_REQUIRE(info, attrtype, "switch ifindex"))
		return ERR_PTR(-EINVAL);
	return nsw_lookup_switch(genl_info_net(info), info->attrs[attrtype],
				 info->extack);
}

/* The port group named by @attrtype in @sw, or an ERR_PTR. RTNL. */
static struct nsw_pg *nsw_nl_pg(struct nsw_switch *sw, struct genl_info *info,
				int attrtype)
{
	struct nlattr *attr = info->attrs[attrtype];
	struct nsw_pg *pg;

	if (NSW_NL_REQUIRE(info, attrtype, "port group name"))
		return ERR_PTR(-EINVAL);
	pg = nsw_pg_find(sw, nla_data(attr));
	if (!pg) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "no such port group in this switch");
		return ERR_PTR(-ENOENT);
	}
	return pg;
}

/* The port group of the switch named by @sw_attr, or an ERR_PTR. RTNL. */
static struct nsw_pg *nsw_nl_switch_pg(struct genl_info *info, int sw_attr,
				       int pg_attr, struct nsw_switch **swp)
{
	struct nsw_switch *sw = nsw_nl_switch(info, sw_attr);

	if (IS_ERR(sw))
		return ERR_CAST(sw);
	*swp = sw;
	return nsw_nl_pg(sw, info, pg_attr);
}

/* The port named by @attrtype, which is required. RTNL. */
static struct nsw_port *nsw_nl_port(struct genl_info *info, int attrtype)
{
	if (NSW_NL_REQUIRE(info, attrtype, "port ifindex"))
		return ERR_PTR(-EINVAL);
	return nsw_lookup_port(genl_info_net(info), info->attrs[attrtype],
			       info->extack);
}

/* Replies to a do request with what @fill puts in a new message. */
static int nsw_reply(struct genl_info *info, u8 cmd,
		     int (*fill)(struct sk_buff *skb, const void *obj),
		     const void *obj)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &nsw_genl_family, 0, cmd);
	if (!hdr || fill(msg, obj)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* One object of a dump; -EMSGSIZE when the skb is full. */
static int nsw_dump_one(struct sk_buff *skb, struct netlink_callback *cb,
			u8 cmd, int (*fill)(struct sk_buff *skb,
					    const void *obj),
			const void *obj)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &nsw_genl_family, NLM_F_MULTI, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (fill(skb, obj)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* A dump that filled the skb goes on in the next call. */
static int nsw_dump_done(struct sk_buff *skb, int err)
{
	return err == -EMSGSIZE && skb->len ? skb->len : err ?: skb->len;
}

/* ---- ports -------------------------------------------------------- */

/* An unknown (all-zero) MAC is left out. */
static int nsw_put_mac(struct sk_buff *skb, int attrtype, const u8 *mac)
{
	if (is_zero_ether_addr(mac))
		return 0;
	return nla_put(skb, attrtype, ETH_ALEN, mac);
}

/* The attribute of each drop reason. */
const u16 nsw_drop_attrs[NSW_DROP_MAX] = {
	[NSW_DROP_VLAN] = NESTSW_A_DROPS_VLAN,
	[NSW_DROP_FORGED] = NESTSW_A_DROPS_FORGED,
	[NSW_DROP_MAC_CHANGE] = NESTSW_A_DROPS_MAC_CHANGE,
	[NSW_DROP_NO_DESTINATION] = NESTSW_A_DROPS_NO_DESTINATION,
	[NSW_DROP_INVALID_SOURCE] = NESTSW_A_DROPS_INVALID_SOURCE,
	[NSW_DROP_MTU] = NESTSW_A_DROPS_MTU,
	[NSW_DROP_LIMIT] = NESTSW_A_DROPS_LIMIT,
	[NSW_DROP_STATIC_CONFLICT] = NESTSW_A_DROPS_STATIC_CONFLICT,
	[NSW_DROP_REFLECTION] = NESTSW_A_DROPS_REFLECTION,
};

/* The drop counters of a port, in the nest NESTSW_A_PORT_DROPS. */
static int nsw_put_drops(struct sk_buff *skb, const u64 *drops)
{
	struct nlattr *nest = nla_nest_start(skb, NESTSW_A_PORT_DROPS);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < NSW_DROP_MAX; i++)
		if (nla_put_u64_64bit(skb, nsw_drop_attrs[i], drops[i],
				      NESTSW_A_DROPS_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* Learned entries and learning counters, in NESTSW_A_PORT_LEARNING. */
static int nsw_put_learning(struct sk_buff *skb, const struct nsw_port *port,
			    const u64 *learn)
{
	struct nlattr *nest = nla_nest_start(skb, NESTSW_A_PORT_LEARNING);
	int i;

	if (!nest || nla_put_u32(skb, NESTSW_A_LEARNING_ENTRIES,
				 READ_ONCE(port->n_learned)))
		return -EMSGSIZE;
	for (i = 0; i < NSW_LEARN_MAX; i++)
		if (nla_put_u64_64bit(skb, NESTSW_A_LEARNING_LEARNED + i,
				      learn[i], NESTSW_A_LEARNING_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int nsw_port_fill(struct sk_buff *skb, const void *obj)
{
	const struct nsw_port *port = obj;
	u64 drops[NSW_DROP_MAX];
	u64 learn[NSW_LEARN_MAX];
	bool promisc;

	rcu_read_lock();
	promisc = nsw_port_guest_promisc_rcu(port);
	rcu_read_unlock();
	nsw_port_read_stats(port, drops, learn);

	if (nla_put_u32(skb, NESTSW_A_PORT_IFINDEX, port->dev->ifindex) ||
	    nla_put_u32(skb, NESTSW_A_PORT_SWITCH_IFINDEX,
			port->sw->dev->ifindex) ||
	    nla_put_u32(skb, NESTSW_A_PORT_ROLE, port->role) ||
	    nla_put_string(skb, NESTSW_A_PORT_PG, port->pg->name) ||
	    nsw_put_mac(skb, NESTSW_A_PORT_INITIAL_MAC, port->initial_mac) ||
	    nsw_put_mac(skb, NESTSW_A_PORT_EFFECTIVE_MAC, port->effective_mac) ||
	    nla_put_u8(skb, NESTSW_A_PORT_GUEST_PROMISCUOUS, promisc) ||
	    nla_put_u8(skb, NESTSW_A_PORT_FOLLOWS_PEER,
		       !!rcu_access_pointer(port->peer)))
		return -EMSGSIZE;
	if (nsw_put_drops(skb, drops) || nsw_put_learning(skb, port, learn))
		return -EMSGSIZE;
	return 0;
}

static int nsw_port_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nsw_port *port;
	int err;

	rtnl_lock();
	port = nsw_nl_port(info, NESTSW_A_PORT_IFINDEX);
	err = PTR_ERR_OR_ZERO(port);
	if (!err)
		err = nsw_reply(info, NESTSW_CMD_PORT_GET, nsw_port_fill, port);
	rtnl_unlock();
	return err;
}

/*
 * Dumps the ports of every switch in the netns, or of the one given by
 * NESTSW_A_PORT_SWITCH_IFINDEX. cb->args[0]: devices already walked.
 */
static int nsw_port_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb)
{
	struct nlattr *sw_attr = nsw_dump_attrs(cb)[NESTSW_A_PORT_SWITCH_IFINDEX];
	struct net *net = sock_net(skb->sk);
	struct nsw_switch *sw = NULL;
	struct net_device *dev;
	struct nsw_port *port;
	long idx = 0;
	int err = 0;

	rtnl_lock();
	/* a filter naming no switch is an error, as in the other dumps */
	if (sw_attr) {
		sw = nsw_lookup_switch(net, sw_attr, cb->extack);
		if (IS_ERR(sw)) {
			rtnl_unlock();
			return PTR_ERR(sw);
		}
	}
	for_each_netdev(net, dev) {
		if (idx < cb->args[0]) {
			idx++;
			continue;
		}
		port = nsw_port_get_rtnl(dev);
		if (port && (!sw || port->sw == sw)) {
			err = nsw_dump_one(skb, cb, NESTSW_CMD_PORT_GET,
					   nsw_port_fill, port);
			if (err)
				break;
		}
		idx++;
	}
	rtnl_unlock();
	cb->args[0] = idx;
	return nsw_dump_done(skb, err);
}

static int nsw_port_parse_change(struct nsw_port *port, struct genl_info *info,
				 struct nsw_port_change *change)
{
	struct nlattr **attrs = info->attrs;
	bool follows = rcu_access_pointer(port->peer);
	int i;

	static const int follow_attrs[] = {
		NESTSW_A_PORT_EFFECTIVE_MAC, NESTSW_A_PORT_GUEST_PROMISCUOUS,
	};

	for (i = 0; follows && i < ARRAY_SIZE(follow_attrs); i++) {
		if (attrs[follow_attrs[i]]) {
			NL_SET_ERR_MSG_ATTR(info->extack, attrs[follow_attrs[i]],
					    "a veth port follows its peer: only the initial MAC can be set");
			return -EOPNOTSUPP;
		}
	}
	for (i = NESTSW_A_PORT_INITIAL_MAC; i <= NESTSW_A_PORT_EFFECTIVE_MAC;
	     i++) {
		if (attrs[i] && !is_valid_ether_addr(nla_data(attrs[i]))) {
			NL_SET_ERR_MSG_ATTR(info->extack, attrs[i],
					    "not a unicast MAC address");
			return -EINVAL;
		}
	}
	if (attrs[NESTSW_A_PORT_PG]) {
		change->pg = nsw_nl_pg(port->sw, info, NESTSW_A_PORT_PG);
		if (IS_ERR(change->pg))
			return PTR_ERR(change->pg);
	}
	if (attrs[NESTSW_A_PORT_INITIAL_MAC])
		change->initial_mac = nla_data(attrs[NESTSW_A_PORT_INITIAL_MAC]);
	if (attrs[NESTSW_A_PORT_EFFECTIVE_MAC])
		change->effective_mac =
			nla_data(attrs[NESTSW_A_PORT_EFFECTIVE_MAC]);
	if (attrs[NESTSW_A_PORT_ROLE])
		change->role = nla_get_u32(attrs[NESTSW_A_PORT_ROLE]);
	if (attrs[NESTSW_A_PORT_GUEST_PROMISCUOUS])
		change->guest_promisc =
			nla_get_u8(attrs[NESTSW_A_PORT_GUEST_PROMISCUOUS]);
	return 0;
}

/* Points the extack at the MAC attribute that another port holds. */
static void nsw_port_conflict_attr(struct genl_info *info,
				   const struct nsw_port_change *change)
{
	int i;

	for (i = NESTSW_A_PORT_INITIAL_MAC; i <= NESTSW_A_PORT_EFFECTIVE_MAC;
	     i++)
		if (info->attrs[i] && change->conflict == nla_data(info->attrs[i]))
			NL_SET_BAD_ATTR(info->extack, info->attrs[i]);
}

static int nsw_port_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nsw_port_change change = {
		.role = -1,
		.guest_promisc = -1,
	};
	struct nsw_port *port;
	int err;

	rtnl_lock();
	port = nsw_nl_port(info, NESTSW_A_PORT_IFINDEX);
	err = PTR_ERR_OR_ZERO(port);
	if (!err)
		err = nsw_port_parse_change(port, info, &change);
	if (!err)
		err = nsw_port_change(port, &change, info->extack);
	if (err == -EEXIST)
		nsw_port_conflict_attr(info, &change);
	rtnl_unlock();
	return err;
}

/* ---- switches ----------------------------------------------------- */

static int nsw_switch_fill(struct sk_buff *skb, const void *obj)
{
	const struct nsw_switch *sw = obj;

	if (nla_put_u32(skb, NESTSW_A_SWITCH_IFINDEX, sw->dev->ifindex) ||
	    nla_put_string(skb, NESTSW_A_SWITCH_IFNAME, sw->dev->name) ||
	    nsw_put_policy(skb, NESTSW_A_SWITCH_POLICY, &sw->policy,
			   NSW_POLICY_ATTRS_ALL))
		return -EMSGSIZE;
	return 0;
}

static int nsw_switch_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nsw_switch *sw;
	int err;

	rtnl_lock();
	sw = nsw_nl_switch(info, NESTSW_A_SWITCH_IFINDEX);
	err = PTR_ERR_OR_ZERO(sw);
	if (!err)
		err = nsw_reply(info, NESTSW_CMD_SWITCH_GET, nsw_switch_fill,
				sw);
	rtnl_unlock();
	return err;
}

static int nsw_switch_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	long idx = 0;
	int err = 0;

	rtnl_lock();
	for_each_netdev(net, dev) {
		if (idx < cb->args[0]) {
			idx++;
			continue;
		}
		if (nsw_is_switch(dev)) {
			err = nsw_dump_one(skb, cb, NESTSW_CMD_SWITCH_GET,
					   nsw_switch_fill, netdev_priv(dev));
			if (err)
				break;
		}
		idx++;
	}
	rtnl_unlock();
	cb->args[0] = idx;
	return nsw_dump_done(skb, err);
}

static int nsw_switch_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nsw_port_cfg **cfgs;
	struct nsw_policy policy;
	struct nsw_switch *sw;
	int err = 0;

	rtnl_lock();
	sw = nsw_nl_switch(info, NESTSW_A_SWITCH_IFINDEX);
	if (IS_ERR(sw)) {
		err = PTR_ERR(sw);
		goto unlock;
	}
	policy = sw->policy;
	if (!nsw_parse_policy(info->attrs[NESTSW_A_SWITCH_POLICY], &policy))
		goto unlock;	/* nothing to change */

	cfgs = nsw_cfgs_alloc(sw, NULL);
	if (!cfgs) {
		err = -ENOMEM;
		goto unlock;
	}
	sw->policy = policy;
	nsw_cfgs_publish(sw, NULL, cfgs);
unlock:
	rtnl_unlock();
	return err;
}

/* ---- port groups -------------------------------------------------- */

struct nsw_pg_ref {
	const struct nsw_switch *sw;
	const struct nsw_pg *pg;
};

/* A trunk's VLANs as NESTSW_A_PG_TRUNK_VLANS has them, if not all. */
static int nsw_put_vlans(struct sk_buff *skb, const struct nsw_vlan_set *set)
{
	struct nlattr *attr;
	unsigned int vid;
	u8 *bits;

	if (!set->some)
		return 0;
	attr = nla_reserve(skb, NESTSW_A_PG_TRUNK_VLANS,
			   NESTSW_VLAN_BITMAP_LEN);
	if (!attr)
		return -EMSGSIZE;
	bits = nla_data(attr);
	memset(bits, 0, NESTSW_VLAN_BITMAP_LEN);
	for_each_set_bit(vid, set->map, VLAN_N_VID)
		bits[vid / 8] |= BIT(vid % 8);
	return 0;
}

static int nsw_put_uplinks(struct sk_buff *skb, int attrtype,
			   const char (*names)[IFNAMSIZ], unsigned int n)
{
	struct nlattr *nest = nla_nest_start(skb, attrtype);
	unsigned int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		if (nla_put_string(skb, NESTSW_A_UPLINKS_NAME, names[i])) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int nsw_pg_fill(struct sk_buff *skb, const void *obj)
{
	const struct nsw_pg_ref *ref = obj;
	const struct nsw_pg *pg = ref->pg;
	const struct nsw_uplink_names *up = &pg->uplinks;
	struct nsw_policy effective;

	nsw_pg_effective(ref->sw, pg, &effective);
	if (nla_put_u32(skb, NESTSW_A_PG_SWITCH_IFINDEX,
			ref->sw->dev->ifindex) ||
	    nla_put_string(skb, NESTSW_A_PG_NAME, pg->name) ||
	    nla_put_u16(skb, NESTSW_A_PG_VLAN, pg->vlan) ||
	    nsw_put_policy(skb, NESTSW_A_PG_POLICY, &pg->policy, pg->set) ||
	    nsw_put_policy(skb, NESTSW_A_PG_EFFECTIVE_POLICY, &effective,
			   NSW_POLICY_ATTRS_ALL) ||
	    nla_put_u32(skb, NESTSW_A_PG_PORTS, pg->nports) ||
	    nla_put_u8(skb, NESTSW_A_PG_TEAM, !!pg->team) ||
	    nsw_put_vlans(skb, &pg->vlans) ||
	    nsw_put_uplinks(skb, NESTSW_A_PG_ACTIVE_UPLINKS, up->active,
			    up->n_active) ||
	    nsw_put_uplinks(skb, NESTSW_A_PG_STANDBY_UPLINKS, up->standby,
			    up->n_standby))
		return -EMSGSIZE;
	return 0;
}

static int nsw_pg_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nsw_switch *sw = NULL;
	struct nsw_pg_ref ref;
	struct nsw_pg *pg;
	int err;

	rtnl_lock();
	pg = nsw_nl_switch_pg(info, NESTSW_A_PG_SWITCH_IFINDEX,
			      NESTSW_A_PG_NAME, &sw);
	err = PTR_ERR_OR_ZERO(pg);
	if (!err) {
		ref = (struct nsw_pg_ref){ .sw = sw, .pg = pg };
		err = nsw_reply(info, NESTSW_CMD_PG_GET, nsw_pg_fill, &ref);
	}
	rtnl_unlock();
	return err;
}

/* The port groups of one switch; cb->args[0]: groups already sent. */
static int nsw_pg_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr *attr = nsw_dump_attrs(cb)[NESTSW_A_PG_SWITCH_IFINDEX];
	struct nsw_pg_ref ref = {};
	struct nsw_pg *pg;
	long idx = 0;
	int err = 0;

	if (!attr) {
		NL_SET_ERR_MSG_MOD(cb->extack,
				   "dumping port groups needs the switch's ifindex");
		return -EINVAL;
	}

	rtnl_lock();
	ref.sw = nsw_lookup_switch(sock_net(skb->sk), attr, cb->extack);
	if (IS_ERR(ref.sw)) {
		err = PTR_ERR(ref.sw);
		goto unlock;
	}
	list_for_each_entry(pg, &ref.sw->pgs, list) {
		if (idx++ < cb->args[0])
			continue;
		ref.pg = pg;
		err = nsw_dump_one(skb, cb, NESTSW_CMD_PG_GET, nsw_pg_fill,
				   &ref);
		if (err) {
			idx--;
			break;
		}
	}
	cb->args[0] = idx;
unlock:
	rtnl_unlock();
	return nsw_dump_done(skb, err);
}

/* Checks that nothing is both given a value and inherited. */
static int nsw_pg_check_inherit(struct genl_info *info, u32 set, u32 inherit)
{
	if (set & inherit) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NESTSW_A_PG_INHERIT],
				    "a policy attribute cannot be both set and inherited");
		return -EINVAL;
	}
	return 0;
}

/*
 * A new port group's name is made of letters, digits, '.', '_' and '-', so
 * that a configuration file holds it as it is (no blank, comment or
 * newline in it) and every tool prints it plainly. Names are looked up as
 * given: this is checked where a group is created.
 */
static bool nsw_pg_name_valid(const char *name)
{
	for (; *name; name++)
		if (!(isascii(*name) && isalnum(*name)) && !strchr("._-", *name))
			return false;
	return true;
}

static int nsw_pg_check_new_name(struct nsw_switch *sw,
				 struct genl_info *info)
{
	struct nlattr *attr = info->attrs[NESTSW_A_PG_NAME];
	const char *name = nla_data(attr);

	if (!*name) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "empty port group name");
		return -EINVAL;
	}
	if (!nsw_pg_name_valid(name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "port group name may hold only letters, digits, '.', '_' and '-'");
		return -EINVAL;
	}
	if (nsw_pg_find(sw, name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "a port group of this name exists");
		return -EEXIST;
	}
	return 0;
}

/*
 * What a pg-new or pg-set makes of a group's VLANs and uplinks: the
 * group's, changed by the request, checked whole before it applies.
 */
struct nsw_pg_req {
	u16 vlan;
	struct nsw_vlan_set vlans;
	struct nsw_uplink_names uplinks;
};

static int nsw_parse_vlans(struct genl_info *info, struct nsw_vlan_set *set)
{
	struct nlattr *attr = info->attrs[NESTSW_A_PG_TRUNK_VLANS];
	unsigned int vid, n = 0;
	const u8 *bits;

	if (!attr)
		return 0;
	bits = nla_data(attr);
	bitmap_zero(set->map, VLAN_N_VID);
	for (vid = 0; vid < VLAN_N_VID; vid++) {
		if (bits[vid / 8] & BIT(vid % 8)) {
			__set_bit(vid, set->map);
			n++;
		}
	}
	if (test_bit(VLAN_N_VID - 1, set->map)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "VLAN 4095 is reserved: a trunk cannot carry it");
		return -EINVAL;
	}
	if (!n) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "trunk VLANs: at least one VLAN is needed");
		return -EINVAL;
	}
	set->some = n < VLAN_N_VID - 1;
	return 0;
}

static int nsw_parse_uplinks(struct genl_info *info, int attrtype,
			     char (*names)[IFNAMSIZ], u8 *n)
{
	struct nlattr *nest = info->attrs[attrtype], *attr;
	int rem;

	if (!nest)
		return 0;
	*n = 0;
	nla_for_each_nested(attr, nest, rem) {
		if (*n == NESTSW_UPLINKS_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "a port group names 32 uplinks at most");
			return -EINVAL;
		}
		if (!dev_valid_name(nla_data(attr))) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "uplink: not a valid device name");
			return -EINVAL;
		}
		strscpy(names[(*n)++], nla_data(attr), IFNAMSIZ);
	}
	return 0;
}

/* The @i-th uplink name of @up: the active ones, then the standby ones. */
static const char *nsw_uplink_name(const struct nsw_uplink_names *up,
				   unsigned int i)
{
	return i < up->n_active ? up->active[i] : up->standby[i - up->n_active];
}

/* No more than the most uplinks, and none named twice. */
static int nsw_check_uplinks(struct genl_info *info,
			     const struct nsw_uplink_names *up)
{
	struct nlattr *attr = info->attrs[NESTSW_A_PG_STANDBY_UPLINKS] ?:
			      info->attrs[NESTSW_A_PG_ACTIVE_UPLINKS];
	unsigned int n = up->n_active + up->n_standby, i, j;

	if (n > NESTSW_UPLINKS_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "a port group names 32 uplinks at most, active and standby");
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++) {
			if (strcmp(nsw_uplink_name(up, i),
				   nsw_uplink_name(up, j)))
				continue;
			NSW_SET_ERR_MSG_FMT(info->extack,
					    "an uplink is named twice",
					    "uplink %s is named twice (an uplink is active or standby)",
					    nsw_uplink_name(up, i));
			NL_SET_BAD_ATTR(info->extack, attr);
			return -EINVAL;
		}
	}
	return 0;
}

/* A group limited to some VLANs stays a trunk. */
static int nsw_check_trunk(struct genl_info *info, const struct nsw_pg_req *req)
{
	struct nlattr **attrs = info->attrs;

	if (!req->vlans.some || req->vlan == NESTSW_VLAN_TRUNK)
		return 0;
	if (attrs[NESTSW_A_PG_TRUNK_VLANS])
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[NESTSW_A_PG_TRUNK_VLANS],
				    "trunk VLANs are for a trunk port group (vlan 4095)");
	else
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[NESTSW_A_PG_VLAN],
				    "the trunk carries some VLANs only: give it every VLAN to make it other than a trunk");
	return -EINVAL;
}

/* @req: @pg's (NULL: a new group's) with the request's changes. */
static struct nsw_pg_req *nsw_pg_parse_req(struct genl_info *info,
					   const struct nsw_pg *pg)
{
	struct nlattr **attrs = info->attrs;
	struct nsw_pg_req *req;
	int err;

	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return ERR_PTR(-ENOMEM);
	if (pg) {
		req->vlan = pg->vlan;
		req->vlans = pg->vlans;
		req->uplinks = pg->uplinks;
	}
	if (attrs[NESTSW_A_PG_VLAN])
		req->vlan = nla_get_u16(attrs[NESTSW_A_PG_VLAN]);
	err = nsw_parse_vlans(info, &req->vlans);
	if (!err)
		err = nsw_check_trunk(info, req);
	if (!err)
		err = nsw_parse_uplinks(info, NESTSW_A_PG_ACTIVE_UPLINKS,
					req->uplinks.active,
					&req->uplinks.n_active);
	if (!err)
		err = nsw_parse_uplinks(info, NESTSW_A_PG_STANDBY_UPLINKS,
					req->uplinks.standby,
					&req->uplinks.n_standby);
	if (!err)
		err = nsw_check_uplinks(info, &req->uplinks);
	if (err) {
		kfree(req);
		return ERR_PTR(err);
	}
	return req;
}

static void nsw_pg_apply_req(struct nsw_pg *pg, const struct nsw_pg_req *req)
{
	pg->vlan = req->vlan;
	pg->vlans = req->vlans;
	pg->uplinks = req->uplinks;
}

/* Whether a pg-new or pg-set asks for team on. */
static bool nsw_nl_team_on(struct nlattr **attrs)
{
	return attrs[NESTSW_A_PG_TEAM] && nla_get_u8(attrs[NESTSW_A_PG_TEAM]);
}

static int nsw_pg_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct nsw_policy policy = {};
	struct nsw_pg_req *req = NULL;
	struct nsw_switch *sw;
	struct nsw_pg *pg;
	int err = 0;

	if (attrs[NESTSW_A_PG_INHERIT]) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[NESTSW_A_PG_INHERIT],
				    "a new port group inherits what it does not set");
		return -EINVAL;
	}

	rtnl_lock();
	sw = nsw_nl_switch(info, NESTSW_A_PG_SWITCH_IFINDEX);
	if (IS_ERR(sw)) {
		err = PTR_ERR(sw);
		goto unlock;
	}
	if (NSW_NL_REQUIRE(info, NESTSW_A_PG_NAME, "port group name")) {
		err = -EINVAL;
		goto unlock;
	}
	err = nsw_pg_check_new_name(sw, info);
	if (err)
		goto unlock;
	req = nsw_pg_parse_req(info, NULL);
	if (IS_ERR(req)) {
		err = PTR_ERR(req);
		req = NULL;
		goto unlock;
	}
	pg = nsw_pg_create(sw, nla_data(attrs[NESTSW_A_PG_NAME]));
	if (!pg) {
		err = -ENOMEM;
		goto unlock;
	}
	if (nsw_nl_team_on(attrs)) {
		pg->team = kzalloc(sizeof(*pg->team), GFP_KERNEL);
		if (!pg->team) {
			nsw_pg_delete(pg);
			err = -ENOMEM;
			goto unlock;
		}
	}
	nsw_pg_apply_req(pg, req);
	pg->set = nsw_parse_policy(attrs[NESTSW_A_PG_POLICY], &policy);
	pg->policy = policy;
unlock:
	rtnl_unlock();
	kfree(req);
	return err;
}

static int nsw_pg_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nsw_team *team = NULL, *old_team = NULL;
	struct nlattr **attrs = info->attrs;
	struct nsw_pg_req *req = NULL;
	struct nsw_port_cfg **cfgs;
	struct nsw_switch *sw = NULL;
	struct nsw_policy policy;
	u32 set, inherit = 0;
	struct nsw_pg *pg;
	int err;

	rtnl_lock();
	pg = nsw_nl_switch_pg(info, NESTSW_A_PG_SWITCH_IFINDEX,
			      NESTSW_A_PG_NAME, &sw);
	if (IS_ERR(pg)) {
		err = PTR_ERR(pg);
		goto unlock;
	}

	policy = pg->policy;
	set = nsw_parse_policy(attrs[NESTSW_A_PG_POLICY], &policy);
	if (attrs[NESTSW_A_PG_INHERIT])
		inherit = nla_get_u32(attrs[NESTSW_A_PG_INHERIT]);
	err = nsw_pg_check_inherit(info, set, inherit);
	if (err)
		goto unlock;
	req = nsw_pg_parse_req(info, pg);
	if (IS_ERR(req)) {
		err = PTR_ERR(req);
		req = NULL;
		goto unlock;
	}

	if (nsw_nl_team_on(attrs) && !pg->team) {
		team = kzalloc(sizeof(*team), GFP_KERNEL);
		if (!team) {
			err = -ENOMEM;
			goto unlock;
		}
	}
	cfgs = nsw_cfgs_alloc(sw, pg);
	if (!cfgs) {
		kfree(team);
		err = -ENOMEM;
		goto unlock;
	}
	nsw_pg_apply_req(pg, req);
	pg->policy = policy;
	pg->set = (pg->set | set) & ~inherit;
	if (team) {
		pg->team = team;
	} else if (attrs[NESTSW_A_PG_TEAM] && !nsw_nl_team_on(attrs)) {
		old_team = pg->team;
		pg->team = NULL;
	}
	nsw_cfgs_publish(sw, pg, cfgs);
	/* Readers of the members' old cfgs may use it until they are done. */
	if (old_team)
		kfree_rcu(old_team, rcu);
unlock:
	rtnl_unlock();
	kfree(req);
	return err;
}

/* Names the first port of @pg in the refusal (6.2+: see compat.h). */
static void nsw_pg_busy_msg(struct nsw_switch *sw, struct nsw_pg *pg,
			    struct genl_info *info)
{
	struct nsw_port *port;

	list_for_each_entry(port, &sw->ports, list) {
		if (port->pg != pg)
			continue;
		NSW_SET_ERR_MSG_FMT(info->extack,
				    "port group still has ports",
				    "port group still has %u port(s): %s%s",
				    pg->nports, port->dev->name,
				    pg->nports > 1 ? ", ..." : "");
		return;
	}
}

static int nsw_pg_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nsw_switch *sw = NULL;
	struct nsw_pg *pg;
	int err;

	rtnl_lock();
	pg = nsw_nl_switch_pg(info, NESTSW_A_PG_SWITCH_IFINDEX,
			      NESTSW_A_PG_NAME, &sw);
	if (IS_ERR(pg)) {
		err = PTR_ERR(pg);
		goto unlock;
	}
	if (pg == sw->default_pg) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NESTSW_A_PG_NAME],
				    "the default port group cannot be deleted");
		err = -EPERM;
	} else if (pg->nports) {
		nsw_pg_busy_msg(sw, pg, info);
		NL_SET_BAD_ATTR(info->extack, info->attrs[NESTSW_A_PG_NAME]);
		err = -EBUSY;
	} else {
		nsw_pg_delete(pg);
		err = 0;
	}
unlock:
	rtnl_unlock();
	return err;
}

/* ---- FDB ---------------------------------------------------------- */

/* A static entry as fdb-new and fdb-del name it. */
struct nsw_fdb_req {
	struct nsw_port *port;
	const u8 *mac;
	u16 vid;
};

static int nsw_fdb_parse(struct genl_info *info, struct nsw_fdb_req *req)
{
	struct nlattr **attrs = info->attrs;

	req->port = nsw_nl_port(info, NESTSW_A_FDB_PORT_IFINDEX);
	if (IS_ERR(req->port))
		return PTR_ERR(req->port);
	if (NSW_NL_REQUIRE(info, NESTSW_A_FDB_MAC, "MAC address"))
		return -EINVAL;
	req->mac = nla_data(attrs[NESTSW_A_FDB_MAC]);
	if (!is_valid_ether_addr(req->mac)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[NESTSW_A_FDB_MAC],
				    "not a unicast MAC address");
		return -EINVAL;
	}
	req->vid = attrs[NESTSW_A_FDB_VLAN] ?
		   nla_get_u16(attrs[NESTSW_A_FDB_VLAN]) : NSW_VID_ANY;
	return 0;
}

static int nsw_fdb_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nsw_fdb_req req;
	int err;

	rtnl_lock();
	err = nsw_fdb_parse(info, &req);
	if (!err)
		err = nsw_fdb_add_static(req.port->sw, req.port, req.mac,
					 req.vid, NSW_FDB_STATIC, true);
	if (err == -EEXIST)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NESTSW_A_FDB_MAC],
				    "MAC is in the FDB already, in this VLAN or in every VLAN");
	rtnl_unlock();
	return err;
}

/* Whether @mac is one of @port's guest MACs, whose entry must stay. */
static bool nsw_fdb_is_guest_mac(const struct nsw_port *port, const u8 *mac,
				 u16 vid)
{
	return vid == NSW_VID_ANY &&
	       (ether_addr_equal(mac, port->initial_mac) ||
		ether_addr_equal(mac, port->effective_mac));
}

static int nsw_fdb_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *mac_attr = info->attrs[NESTSW_A_FDB_MAC];
	struct nsw_fdb_req req;
	int err;

	rtnl_lock();
	err = nsw_fdb_parse(info, &req);
	if (err)
		goto unlock;
	err = nsw_fdb_del_admin(req.port, req.mac, req.vid,
				nsw_fdb_is_guest_mac(req.port, req.mac, req.vid));
	if (err == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, mac_attr,
				    "no FDB entry for this MAC in this VLAN");
	else if (err)
		NL_SET_ERR_MSG_ATTR(info->extack, mac_attr,
				    "not a static entry the admin added to this port");
unlock:
	rtnl_unlock();
	return err;
}

struct nsw_fdb_ref {
	const struct nsw_switch *sw;
	const struct nsw_fdb_entry *fdb;
};

/* Under RCU: the entry may go meanwhile, but is not freed. */
static int nsw_fdb_fill(struct sk_buff *skb, const void *obj)
{
	const struct nsw_fdb_ref *ref = obj;
	const struct nsw_fdb_entry *fdb = ref->fdb;
	const struct nsw_port *port = READ_ONCE(fdb->port);
	unsigned long flags = READ_ONCE(fdb->flags);
	unsigned long age = jiffies - READ_ONCE(fdb->updated);

	if (nla_put_u32(skb, NESTSW_A_FDB_SWITCH_IFINDEX,
			ref->sw->dev->ifindex) ||
	    (port && nla_put_u32(skb, NESTSW_A_FDB_PORT_IFINDEX,
				 port->dev->ifindex)) ||
	    nla_put(skb, NESTSW_A_FDB_MAC, ETH_ALEN, fdb->key.addr) ||
	    (fdb->key.vid != NSW_VID_ANY &&
	     nla_put_u16(skb, NESTSW_A_FDB_VLAN, fdb->key.vid)) ||
	    nla_put_u32(skb, NESTSW_A_FDB_FLAGS, flags) ||
	    ((flags & NSW_FDB_LEARNED) &&
	     nla_put_u32(skb, NESTSW_A_FDB_AGE, jiffies_to_msecs(age))))
		return -EMSGSIZE;
	return 0;
}

/* The switch (and port, if the dump names one) an fdb-get dump lists. RTNL. */
static struct nsw_switch *nsw_fdb_dump_target(struct sk_buff *skb,
					      struct netlink_callback *cb,
					      struct nsw_port **port)
{
	struct nlattr **attrs = nsw_dump_attrs(cb);
	struct net *net = sock_net(skb->sk);

	*port = NULL;
	if (attrs[NESTSW_A_FDB_PORT_IFINDEX]) {
		*port = nsw_lookup_port(net, attrs[NESTSW_A_FDB_PORT_IFINDEX],
					cb->extack);
		return IS_ERR(*port) ? ERR_CAST(*port) : (*port)->sw;
	}
	if (attrs[NESTSW_A_FDB_SWITCH_IFINDEX])
		return nsw_lookup_switch(net, attrs[NESTSW_A_FDB_SWITCH_IFINDEX],
					 cb->extack);
	NL_SET_ERR_MSG_MOD(cb->extack,
			   "dumping the FDB needs a switch or port ifindex");
	return ERR_PTR(-EINVAL);
}

/* cb->args[0]: entries of the switch's list already walked. */
static int nsw_fdb_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nsw_fdb_entry *fdb;
	struct nsw_fdb_ref ref;
	struct nsw_switch *sw;
	struct nsw_port *port;
	long idx = 0;
	int err = 0;

	rtnl_lock();
	sw = nsw_fdb_dump_target(skb, cb, &port);
	if (IS_ERR(sw)) {
		rtnl_unlock();
		return PTR_ERR(sw);
	}
	ref.sw = sw;
	rcu_read_lock();
	hlist_for_each_entry_rcu(fdb, &sw->fdb_list, list) {
		if (idx++ < cb->args[0] ||
		    (port && READ_ONCE(fdb->port) != port))
			continue;
		ref.fdb = fdb;
		err = nsw_dump_one(skb, cb, NESTSW_CMD_FDB_GET, nsw_fdb_fill,
				   &ref);
		if (err) {
			idx--;
			break;
		}
	}
	rcu_read_unlock();
	rtnl_unlock();
	cb->args[0] = idx;
	return nsw_dump_done(skb, err);
}

/* The learned entries of a port, or of a whole switch. */
static int nsw_fdb_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct nsw_switch *sw;
	struct nsw_port *port;
	int err = 0;

	rtnl_lock();
	if (attrs[NESTSW_A_FDB_PORT_IFINDEX]) {
		port = nsw_nl_port(info, NESTSW_A_FDB_PORT_IFINDEX);
		if (IS_ERR(port))
			err = PTR_ERR(port);
		else
			nsw_fdb_flush(port->sw, port);
	} else {
		sw = nsw_nl_switch(info, NESTSW_A_FDB_SWITCH_IFINDEX);
		if (IS_ERR(sw))
			err = PTR_ERR(sw);
		else
			nsw_fdb_flush(sw, NULL);
	}
	rtnl_unlock();
	return err;
}

/* ---- monitor events ------------------------------------------------ */

/* The guests' MACs are for admins to watch (where the kernel can say so). */
static const struct genl_multicast_group nsw_mcgrps[] = {
	{ .name = NESTSW_MCGRP_MONITOR, .flags = NSW_MCAST_ADMIN, },
};

static const struct genl_ops nsw_genl_ops[] = {
	{
		.cmd = NESTSW_CMD_PORT_GET,
		.doit = nsw_port_get_doit,
		.dumpit = nsw_port_get_dumpit,
		.policy = nsw_port_get_policy,
		.maxattr = ARRAY_SIZE(nsw_port_get_policy) - 1,
	},
	{
		.cmd = NESTSW_CMD_PORT_SET,
		.doit = nsw_port_set_doit,
		.policy = nsw_port_set_policy,
		.maxattr = ARRAY_SIZE(nsw_port_set_policy) - 1,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NESTSW_CMD_SWITCH_GET,
		.doit = nsw_switch_get_doit,
		.dumpit = nsw_switch_get_dumpit,
		.policy = nsw_switch_get_policy,
		.maxattr = ARRAY_SIZE(nsw_switch_get_policy) - 1,
	},
	{
		.cmd = NESTSW_CMD_SWITCH_SET,
		.doit = nsw_switch_set_doit,
		.policy = nsw_switch_set_policy,
		.maxattr = ARRAY_SIZE(nsw_switch_set_policy) - 1,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NESTSW_CMD_PG_NEW,
		.doit = nsw_pg_new_doit,
		.policy = nsw_pg_policy,
		.maxattr = ARRAY_SIZE(nsw_pg_policy) - 1,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NESTSW_CMD_PG_SET,
		.doit = nsw_pg_set_doit,
		.policy = nsw_pg_policy,
		.maxattr = ARRAY_SIZE(nsw_pg_policy) - 1,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NESTSW_CMD_PG_DEL,
		.doit = nsw_pg_del_doit,
		.policy = nsw_pg_get_policy,
		.maxattr = ARRAY_SIZE(nsw_pg_get_policy) - 1,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NESTSW_CMD_PG_GET,
		.doit = nsw_pg_get_doit,
		.dumpit = nsw_pg_get_dumpit,
		.policy = nsw_pg_get_policy,
		.maxattr = ARRAY_SIZE(nsw_pg_get_policy) - 1,
	},
	{
		.cmd = NESTSW_CMD_FDB_NEW,
		.doit = nsw_fdb_new_doit,
		.policy = nsw_fdb_policy,
		.maxattr = ARRAY_SIZE(nsw_fdb_policy) - 1,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NESTSW_CMD_FDB_DEL,
		.doit = nsw_fdb_del_doit,
		.policy = nsw_fdb_policy,
		.maxattr = ARRAY_SIZE(nsw_fdb_policy) - 1,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NESTSW_CMD_FDB_GET,
		.dumpit = nsw_fdb_get_dumpit,
		.policy = nsw_fdb_get_policy,
		.maxattr = ARRAY_SIZE(nsw_fdb_get_policy) - 1,
	},
	{
		.cmd = NESTSW_CMD_FDB_FLUSH,
		.doit = nsw_fdb_flush_doit,
		.policy = nsw_fdb_get_policy,
		.maxattr = ARRAY_SIZE(nsw_fdb_get_policy) - 1,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

struct genl_family nsw_genl_family __ro_after_init = {
	.name = NESTSW_FAMILY_NAME,
	.version = NESTSW_FAMILY_VERSION,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = nsw_genl_ops,
	.n_ops = ARRAY_SIZE(nsw_genl_ops),
	.mcgrps = nsw_mcgrps,
	.n_mcgrps = ARRAY_SIZE(nsw_mcgrps),
	/* Every command is new: reserved header fields must be zero. */
	.resv_start_op = NESTSW_CMD_PORT_GET,
};

int __init nsw_genl_init(void)
{
	return genl_register_family(&nsw_genl_family);
}

void nsw_genl_exit(void)
{
	genl_unregister_family(&nsw_genl_family);
}

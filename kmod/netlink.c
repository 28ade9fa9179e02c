// SPDX-License-Identifier: GPL-2.0
/*
 * The "nestsw" generic netlink family (Documentation/netlink/specs/
 * nestsw.yaml). Changes need CAP_NET_ADMIN (GENL_ADMIN_PERM) and run under
 * RTNL, as every port change does; reads run under RCU.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <uapi/linux/nestsw.h>

#include "device.h"
#include "netlink.h"
#include "port.h"

/* Per command, as the spec lists them: anything else is refused. */
static const struct nla_policy nsw_port_get_policy[] = {
	[NESTSW_A_PORT_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[NESTSW_A_PORT_SWITCH_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
};

static const struct nla_policy nsw_port_set_policy[] = {
	[NESTSW_A_PORT_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[NESTSW_A_PORT_ROLE] = NLA_POLICY_MAX(NLA_U32,
					      NESTSW_PORT_ROLE_UPLINK),
};

static struct genl_family nsw_genl_family;

static int nsw_port_fill(struct sk_buff *skb, const struct nsw_port *port,
			 u32 portid, u32 seq, int flags)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &nsw_genl_family, flags,
			  NESTSW_CMD_PORT_GET);
	if (!hdr)
		return -EMSGSIZE;

	if (nla_put_u32(skb, NESTSW_A_PORT_IFINDEX, port->dev->ifindex) ||
	    nla_put_u32(skb, NESTSW_A_PORT_SWITCH_IFINDEX,
			port->sw->dev->ifindex) ||
	    nla_put_u32(skb, NESTSW_A_PORT_ROLE, READ_ONCE(port->role))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* The port named by NESTSW_A_PORT_IFINDEX, or NULL with extack set. RCU. */
static struct nsw_port *nsw_port_from_attr_rcu(struct genl_info *info)
{
	struct net_device *dev;
	struct nlattr *attr;

	if (GENL_REQ_ATTR_CHECK(info, NESTSW_A_PORT_IFINDEX))
		return NULL;

	attr = info->attrs[NESTSW_A_PORT_IFINDEX];
	dev = dev_get_by_index_rcu(genl_info_net(info), nla_get_u32(attr));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such device");
		return NULL;
	}
	if (rcu_access_pointer(dev->rx_handler) != nsw_handle_frame) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "device is not a nestsw port");
		return NULL;
	}
	return nsw_port_get_rcu(dev);
}

static int nsw_port_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nsw_port *port;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rcu_read_lock();
	port = nsw_port_from_attr_rcu(info);
	err = port ? nsw_port_fill(msg, port, info->snd_portid, info->snd_seq,
				   0) : -ENODEV;
	rcu_read_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
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
	struct net_device *dev;
	struct nsw_port *port;
	long idx = 0;
	int err = 0;

	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		if (idx++ < cb->args[0])
			continue;
		if (rcu_access_pointer(dev->rx_handler) != nsw_handle_frame)
			continue;
		port = nsw_port_get_rcu(dev);
		if (sw_attr &&
		    port->sw->dev->ifindex != nla_get_u32(sw_attr))
			continue;
		err = nsw_port_fill(skb, port, NETLINK_CB(cb->skb).portid,
				    cb->nlh->nlmsg_seq, NLM_F_MULTI);
		if (err) {
			idx--;
			break;
		}
	}
	rcu_read_unlock();
	cb->args[0] = idx;
	return err == -EMSGSIZE && skb->len ? skb->len : err ?: skb->len;
}

static int nsw_port_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *role = info->attrs[NESTSW_A_PORT_ROLE];
	struct nsw_port *port;
	int err = 0;

	rtnl_lock();
	rcu_read_lock();
	port = nsw_port_from_attr_rcu(info);
	rcu_read_unlock();
	if (!port) {
		err = -ENODEV;
		goto unlock;
	}
	/* RTNL keeps the port alive from here on. */
	if (role)
		WRITE_ONCE(port->role, nla_get_u32(role));
unlock:
	rtnl_unlock();
	return err;
}

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
		.flags = GENL_ADMIN_PERM,
	},
};

static struct genl_family nsw_genl_family __ro_after_init = {
	.name = NESTSW_FAMILY_NAME,
	.version = NESTSW_FAMILY_VERSION,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = nsw_genl_ops,
	.n_ops = ARRAY_SIZE(nsw_genl_ops),
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

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels nestsw supports (6.1 to 6.12). This file
 * is force-included into every object (see Kbuild) and is the only place
 * that tests LINUX_VERSION_CODE. Each helper names the release that made
 * it necessary.
 */
#ifndef _NSW_COMPAT_H
#define _NSW_COMPAT_H

#include <linux/version.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "nestsw needs Linux 6.1 or newer"
#endif

/*
 * 6.12 turned NETIF_F_LLTX into the dev->lltx bit, and moved "may not
 * change netns" from NETIF_F_NETNS_LOCAL to a bit as well (dev->netns_local,
 * renamed dev->netns_immutable in 6.15 and in 6.12.y stable, which Debian
 * ships).
 */
static inline void nsw_dev_set_lltx_netns_local(struct net_device *dev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	dev->lltx = true;
	dev->netns_immutable = true;
#else
	dev->features |= NETIF_F_LLTX | NETIF_F_NETNS_LOCAL;
#endif
}

/* 6.2 embedded a struct genl_info, with the parsed attributes, in dumps. */
static inline struct nlattr **nsw_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	return genl_dumpit_info(cb)->info.attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * 6.2 added formatted extack messages, kept in a buffer of the extack.
 * 6.1 has no such buffer: it gets @fixed, the message without arguments.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define NSW_SET_ERR_MSG_FMT(extack, fixed, fmt, args...)		\
	NL_SET_ERR_MSG_FMT_MOD(extack, fmt, ##args)
#else
#define NSW_SET_ERR_MSG_FMT(extack, fixed, fmt, args...)		\
	NL_SET_ERR_MSG_MOD(extack, fixed)
#endif

/*
 * 6.7 (and 6.6.y) let a multicast group require CAP_NET_ADMIN of its
 * listeners; without it, anyone in the network namespace may listen.
 */
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define NSW_MCAST_ADMIN	GENL_MCAST_CAP_NET_ADMIN
#else
#define NSW_MCAST_ADMIN	0
#endif

#endif /* _NSW_COMPAT_H */

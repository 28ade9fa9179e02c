// SPDX-License-Identifier: GPL-2.0
/*
 * nestsw: the requests that change a switch, built in one place for the
 * commands and the configuration file (req.h).
 */
#include <linux/nestsw.h>

#include "genl.h"
#include "nestsw.h"
#include "req.h"

/* PG_GET of @name, or a dump of the port groups of @sw if NULL. */
struct nlmsghdr *nsw_pg_get(unsigned int sw, const char *name)
{
	struct nlmsghdr *nlh;

	nlh = nsw_genl_msg(NESTSW_CMD_PG_GET, name ? 0 : NLM_F_DUMP);
	if (!nlh)
		return NULL;
	mnl_attr_put_u32(nlh, NESTSW_A_PG_SWITCH_IFINDEX, sw);
	if (name)
		mnl_attr_put_strz(nlh, NESTSW_A_PG_NAME, name);
	return nlh;
}

/*
 * PORT_GET of @ifindex or, with @ifindex 0, a dump of the ports of the
 * switch @sw_ifindex, or of every switch if 0.
 */
struct nlmsghdr *nsw_port_get(unsigned int ifindex, unsigned int sw_ifindex)
{
	struct nlmsghdr *nlh;

	nlh = nsw_genl_msg(NESTSW_CMD_PORT_GET, ifindex ? 0 : NLM_F_DUMP);
	if (!nlh)
		return NULL;
	if (ifindex)
		mnl_attr_put_u32(nlh, NESTSW_A_PORT_IFINDEX, ifindex);
	else if (sw_ifindex)
		mnl_attr_put_u32(nlh, NESTSW_A_PORT_SWITCH_IFINDEX,
				 sw_ifindex);
	return nlh;
}

/*
 * A dump of the FDB entries of a switch (@type NESTSW_A_FDB_SWITCH_IFINDEX)
 * or of a port (NESTSW_A_FDB_PORT_IFINDEX).
 */
struct nlmsghdr *nsw_fdb_dump(unsigned int type, unsigned int ifindex)
{
	struct nlmsghdr *nlh = nsw_genl_msg(NESTSW_CMD_FDB_GET, NLM_F_DUMP);

	if (!nlh)
		return NULL;
	mnl_attr_put_u32(nlh, type, ifindex);
	return nlh;
}

/* SWITCH_SET: the switch's default policy. */
int nsw_req_switch_set(unsigned int sw, const struct nsw_policy *policy)
{
	struct nlmsghdr *nlh = nsw_genl_msg(NESTSW_CMD_SWITCH_SET, 0);

	if (!nlh)
		return NSW_EXIT_KERNEL;
	mnl_attr_put_u32(nlh, NESTSW_A_SWITCH_IFINDEX, sw);
	nsw_policy_put(nlh, NESTSW_A_SWITCH_POLICY, policy);
	return nsw_genl_talk(nlh, NULL, NULL);
}

/* PG_NEW, PG_SET or PG_DEL. */
int nsw_req_pg(unsigned char cmd, const struct nsw_pg_req *r)
{
	struct nlmsghdr *nlh = nsw_genl_msg(cmd, 0);

	if (!nlh)
		return NSW_EXIT_KERNEL;
	mnl_attr_put_u32(nlh, NESTSW_A_PG_SWITCH_IFINDEX, r->sw);
	mnl_attr_put_strz(nlh, NESTSW_A_PG_NAME, r->name);
	if (r->vlan >= 0)
		mnl_attr_put_u16(nlh, NESTSW_A_PG_VLAN, r->vlan);
	if (r->team >= 0)
		mnl_attr_put_u8(nlh, NESTSW_A_PG_TEAM, r->team);
	if (r->scope)
		nsw_scope_put(nlh, r->scope);
	if (r->policy) {
		nsw_policy_put(nlh, NESTSW_A_PG_POLICY, r->policy);
		if (r->policy->inherit)
			mnl_attr_put_u32(nlh, NESTSW_A_PG_INHERIT,
					 r->policy->inherit);
	}
	return nsw_genl_talk(nlh, NULL, NULL);
}

/* PORT_SET. */
int nsw_req_port_set(const struct nsw_port_req *r)
{
	struct nlmsghdr *nlh = nsw_genl_msg(NESTSW_CMD_PORT_SET, 0);

	if (!nlh)
		return NSW_EXIT_KERNEL;
	mnl_attr_put_u32(nlh, NESTSW_A_PORT_IFINDEX, r->ifindex);
	if (r->pg)
		mnl_attr_put_strz(nlh, NESTSW_A_PORT_PG, r->pg);
	if (r->role >= 0)
		mnl_attr_put_u32(nlh, NESTSW_A_PORT_ROLE, r->role);
	if (r->initial_mac)
		mnl_attr_put(nlh, NESTSW_A_PORT_INITIAL_MAC, NSW_MAC_LEN,
			     r->initial_mac);
	if (r->effective_mac)
		mnl_attr_put(nlh, NESTSW_A_PORT_EFFECTIVE_MAC, NSW_MAC_LEN,
			     r->effective_mac);
	if (r->guest_promisc >= 0)
		mnl_attr_put_u8(nlh, NESTSW_A_PORT_GUEST_PROMISCUOUS,
				r->guest_promisc);
	return nsw_genl_talk(nlh, NULL, NULL);
}

/* FDB_NEW or FDB_DEL of a static entry of @port; @vid -1: every VLAN. */
int nsw_req_fdb(unsigned char cmd, unsigned int port,
		const unsigned char *mac, int vid)
{
	struct nlmsghdr *nlh = nsw_genl_msg(cmd, 0);

	if (!nlh)
		return NSW_EXIT_KERNEL;
	mnl_attr_put_u32(nlh, NESTSW_A_FDB_PORT_IFINDEX, port);
	mnl_attr_put(nlh, NESTSW_A_FDB_MAC, NSW_MAC_LEN, mac);
	if (vid >= 0)
		mnl_attr_put_u16(nlh, NESTSW_A_FDB_VLAN, vid);
	return nsw_genl_talk(nlh, NULL, NULL);
}

/*
 * FDB_FLUSH of the learned entries of a switch (@type
 * NESTSW_A_FDB_SWITCH_IFINDEX) or of a port (NESTSW_A_FDB_PORT_IFINDEX).
 */
int nsw_req_fdb_flush(unsigned int type, unsigned int ifindex)
{
	struct nlmsghdr *nlh = nsw_genl_msg(NESTSW_CMD_FDB_FLUSH, 0);

	if (!nlh)
		return NSW_EXIT_KERNEL;
	mnl_attr_put_u32(nlh, type, ifindex);
	return nsw_genl_talk(nlh, NULL, NULL);
}

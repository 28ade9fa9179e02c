// SPDX-License-Identifier: GPL-2.0
/*
 * nestsw: a switch's configuration as the kernel has it: its default
 * policy (switch-get), its port groups (pg-get), its ports (port-get) and
 * the static FDB entries the admin added to them (fdb-get, the entries
 * flagged static). Learned entries and counters are left out.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/nestsw.h>

#include "conf.h"
#include "genl.h"
#include "req.h"

static int conf_pg_collect(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NESTSW_A_PG_MAX + 1] = {};
	struct conf *c = data;
	struct conf_pg *pg;

	if (nsw_genl_parse(nlh, tb, nsw_pg_attr_types, NESTSW_A_PG_MAX,
			   NESTSW_A_PG_NAME) != MNL_CB_OK)
		return MNL_CB_ERROR;
	c->pgs = nsw_conf_grow(c->pgs, &c->n_pgs, sizeof(*c->pgs));
	pg = &c->pgs[c->n_pgs - 1];
	snprintf(pg->name, sizeof(pg->name), "%s",
		 mnl_attr_get_str(tb[NESTSW_A_PG_NAME]));
	if (tb[NESTSW_A_PG_VLAN])
		pg->vlan = mnl_attr_get_u16(tb[NESTSW_A_PG_VLAN]);
	if (tb[NESTSW_A_PG_TEAM])
		pg->team = mnl_attr_get_u8(tb[NESTSW_A_PG_TEAM]);
	if (nsw_scope_parse(tb, &pg->scope) != MNL_CB_OK)
		return MNL_CB_ERROR;
	nsw_scope_given_all(&pg->scope);
	if (tb[NESTSW_A_PG_POLICY])
		return nsw_policy_parse(tb[NESTSW_A_PG_POLICY], &pg->policy);
	return MNL_CB_OK;
}

/* Copy a MAC attribute, if there is one of the right size. */
static bool conf_mac(const struct nlattr *attr, unsigned char *mac)
{
	if (!attr || mnl_attr_get_payload_len(attr) != NSW_MAC_LEN)
		return false;
	memcpy(mac, mnl_attr_get_payload(attr), NSW_MAC_LEN);
	return true;
}

static int conf_port_collect(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NESTSW_A_PORT_MAX + 1] = {};
	struct conf *c = data;
	struct conf_port *p;

	if (nsw_genl_parse(nlh, tb, nsw_port_attr_types, NESTSW_A_PORT_MAX,
			   NESTSW_A_PORT_IFINDEX) != MNL_CB_OK)
		return MNL_CB_ERROR;
	c->ports = nsw_conf_grow(c->ports, &c->n_ports, sizeof(*c->ports));
	p = &c->ports[c->n_ports - 1];
	p->ifindex = mnl_attr_get_u32(tb[NESTSW_A_PORT_IFINDEX]);
	nsw_ifname(p->ifindex, p->dev);
	snprintf(p->pg, sizeof(p->pg), "%s", tb[NESTSW_A_PORT_PG] ?
		 mnl_attr_get_str(tb[NESTSW_A_PORT_PG]) : NSW_CONF_DEFAULT_PG);
	if (tb[NESTSW_A_PORT_ROLE] &&
	    mnl_attr_get_u32(tb[NESTSW_A_PORT_ROLE]) <= NESTSW_PORT_ROLE_UPLINK)
		p->role = mnl_attr_get_u32(tb[NESTSW_A_PORT_ROLE]);
	p->has_initial = conf_mac(tb[NESTSW_A_PORT_INITIAL_MAC],
				  p->initial_mac);
	p->has_effective = conf_mac(tb[NESTSW_A_PORT_EFFECTIVE_MAC],
				    p->effective_mac);
	p->guest_promisc = tb[NESTSW_A_PORT_GUEST_PROMISCUOUS] ?
		mnl_attr_get_u8(tb[NESTSW_A_PORT_GUEST_PROMISCUOUS]) : 0;
	p->follows_peer = tb[NESTSW_A_PORT_FOLLOWS_PEER] &&
			  mnl_attr_get_u8(tb[NESTSW_A_PORT_FOLLOWS_PEER]);
	return MNL_CB_OK;
}

/* An entry the admin added goes to its port; the others are not config. */
static int conf_fdb_collect(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NESTSW_A_FDB_MAX + 1] = {};
	struct conf_port *port;
	struct conf_fdb *e;

	if (nsw_genl_parse(nlh, tb, nsw_fdb_attr_types, NESTSW_A_FDB_MAX,
			   NESTSW_A_FDB_FLAGS) != MNL_CB_OK)
		return MNL_CB_ERROR;
	if (!(mnl_attr_get_u32(tb[NESTSW_A_FDB_FLAGS]) & NESTSW_FDB_FLAG_STATIC) ||
	    !tb[NESTSW_A_FDB_PORT_IFINDEX])
		return MNL_CB_OK;
	port = nsw_conf_port(data,
			     mnl_attr_get_u32(tb[NESTSW_A_FDB_PORT_IFINDEX]));
	if (!port)
		return MNL_CB_OK;	/* a port that came meanwhile */
	port->fdb = nsw_conf_grow(port->fdb, &port->n_fdb, sizeof(*port->fdb));
	e = &port->fdb[port->n_fdb - 1];
	e->vid = tb[NESTSW_A_FDB_VLAN] ? mnl_attr_get_u16(tb[NESTSW_A_FDB_VLAN]) :
					 -1;
	if (!conf_mac(tb[NESTSW_A_FDB_MAC], e->mac)) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/**
 * nsw_conf_read_switch() - what a switch's configuration is now
 * @sw_ifindex: the switch
 * @c: zeroed; filled (free it with nsw_conf_free(), even on failure). A
 *	port's MACs and guest promiscuous flag are all the kernel's, those
 *	of a veth that follows its peer too.
 *
 * Return: 0, or NSW_EXIT_KERNEL after printing the error.
 */
int nsw_conf_read_switch(unsigned int sw_ifindex, struct conf *c)
{
	struct nsw_switches sws = {};
	int ret;

	ret = nsw_switch_get(sw_ifindex, &sws);
	if (!ret && sws.n == 1)
		c->policy = sws.sw[0].policy;
	free(sws.sw);
	if (ret)
		return ret;
	nsw_policy_defaults(&c->policy);	/* an older kernel's reply */
	return nsw_genl_talk(nsw_pg_get(sw_ifindex, NULL), conf_pg_collect,
			     c) ?:
	       nsw_genl_talk(nsw_port_get(0, sw_ifindex), conf_port_collect,
			     c) ?:
	       nsw_genl_talk(nsw_fdb_dump(NESTSW_A_FDB_SWITCH_IFINDEX,
					  sw_ifindex), conf_fdb_collect, c);
}

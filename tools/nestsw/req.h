/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nestsw: the requests of the family "nestsw", each built in one place
 * for the commands (show, stats, policy, pg, port, fdb) and the
 * configuration file (showconf, setconf, syncconf).
 *
 * The gets return the request, for nsw_genl_talk() or nsw_genl_show() with
 * the caller's callback (NULL if the family cannot be reached, which
 * those take). The changes send theirs and return 0, or NSW_EXIT_KERNEL
 * after printing the kernel's error.
 */
#ifndef NSW_REQ_H
#define NSW_REQ_H

#include "policy.h"
#include "scope.h"

/**
 * struct nsw_pg_req - a PG_NEW, PG_SET or PG_DEL
 * @sw: the switch's ifindex
 * @name: the port group's name
 * @vlan: its VLAN, or -1 to leave it out
 * @policy: what it overrides and, for PG_SET, which keys it inherits
 *	again; NULL for none
 * @team: 1 its guest ports are one VM's team, 0 not, -1 to leave it out
 * @scope: its trunk VLANs and uplinks, those given; NULL for none
 */
struct nsw_pg_req {
	unsigned int sw;
	const char *name;
	int vlan;
	const struct nsw_policy *policy;
	int team;
	const struct nsw_scope *scope;
};

/**
 * struct nsw_port_req - a PORT_SET; NULL or a negative number leaves a
 *	setting out
 * @ifindex: the port
 * @pg: its port group's name
 * @role: enum nestsw_port_role
 * @initial_mac: the guest's MAC as its hypervisor assigned it
 * @effective_mac: the MAC the guest uses now
 * @guest_promisc: 0 or 1
 */
struct nsw_port_req {
	unsigned int ifindex;
	const char *pg;
	int role;
	const unsigned char *initial_mac;
	const unsigned char *effective_mac;
	int guest_promisc;
};

struct nlmsghdr *nsw_pg_get(unsigned int sw, const char *name);
struct nlmsghdr *nsw_port_get(unsigned int ifindex, unsigned int sw_ifindex);
struct nlmsghdr *nsw_fdb_dump(unsigned int type, unsigned int ifindex);

int nsw_req_switch_set(unsigned int sw, const struct nsw_policy *policy);
int nsw_req_pg(unsigned char cmd, const struct nsw_pg_req *r);
int nsw_req_port_set(const struct nsw_port_req *r);
int nsw_req_fdb(unsigned char cmd, unsigned int port,
		const unsigned char *mac, int vid);
int nsw_req_fdb_flush(unsigned int type, unsigned int ifindex);

#endif /* NSW_REQ_H */

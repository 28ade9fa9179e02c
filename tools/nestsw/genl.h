/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nestsw: requests to the generic netlink family "nestsw".
 *
 * A command builds one request with nsw_genl_msg(), adds its attributes
 * with libmnl's mnl_attr_put_*() and sends it with nsw_genl_talk(). The
 * socket is opened, and the family looked up, by the first nsw_genl_msg():
 * after the command line is checked, so a bad one sends nothing.
 */
#ifndef NSW_GENL_H
#define NSW_GENL_H

#include <libmnl/libmnl.h>
#include <linux/nestsw.h>
#include <linux/rtnetlink.h>

/* A request holds at most this much, header included. */
#define NSW_REQ_SIZE	4096

struct nlmsghdr *nsw_genl_msg(unsigned char cmd, unsigned short flags);
int nsw_genl_talk(struct nlmsghdr *req, mnl_cb_t cb, void *data);
int nsw_genl_show(struct nlmsghdr *req, mnl_cb_t cb, void *data);
int nsw_genl_parse(const struct nlmsghdr *nlh, const struct nlattr **tb,
		   const enum mnl_attr_data_type *types, unsigned int max,
		   unsigned int need);
int nsw_genl_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
			  const enum mnl_attr_data_type *types,
			  unsigned int max);
void nsw_genl_close(void);

/* The types of the attributes of PG_GET, PORT_GET and FDB_GET replies. */
extern const enum mnl_attr_data_type nsw_pg_attr_types[NESTSW_A_PG_MAX + 1];
extern const enum mnl_attr_data_type nsw_port_attr_types[NESTSW_A_PORT_MAX + 1];
extern const enum mnl_attr_data_type nsw_fdb_attr_types[NESTSW_A_FDB_MAX + 1];

/* Port membership (IFLA_MASTER) is rtnetlink's: the same, on its socket. */
struct nlmsghdr *nsw_rtnl_msg(unsigned short type, unsigned short flags,
			      struct ifinfomsg **hdr);
int nsw_rtnl_talk(struct nlmsghdr *req, mnl_cb_t cb, void *data);

/**
 * struct nsw_listener - what nsw_genl_listen() passes messages to
 * @cb: called with each multicast message of the family and its command;
 *	returns MNL_CB_OK to go on listening
 * @data: passed to @cb
 */
struct nsw_listener {
	int (*cb)(const struct nlmsghdr *nlh, unsigned char cmd, void *data);
	void *data;
};

int nsw_genl_listen(const struct nsw_listener *l);

#endif /* NSW_GENL_H */

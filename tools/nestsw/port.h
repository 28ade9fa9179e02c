/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nestsw: ports as PORT_GET replies them, for "port", "stats" and "show".
 */
#ifndef NSW_PORT_H
#define NSW_PORT_H

#include <stdbool.h>
#include <libmnl/libmnl.h>
#include <linux/nestsw.h>

#include "nestsw.h"

/**
 * struct nsw_port_view - what nsw_port_print() prints of a port
 * @view: by itself, or under its switch
 * @config: its port group, role and guest MACs
 * @drops: its drop and learning counters
 */
struct nsw_port_view {
	enum nsw_view view;
	bool config;
	bool drops;
};

int nsw_port_print(const struct nlmsghdr *nlh, void *data);
const char *nsw_drop_name(unsigned int type);

/* The words of enum nestsw_port_role. */
int nsw_arg_role(const char *key, const char *val, int *role);

extern const char *const nsw_port_roles[NESTSW_PORT_ROLE_UPLINK + 1];

#endif /* NSW_PORT_H */

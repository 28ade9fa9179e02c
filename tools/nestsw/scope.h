/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nestsw: what a port group reaches, beside its VLAN: the VLANs of a trunk
 * (trunk-vlans) and the uplinks its guests use (active-uplinks,
 * standby-uplinks). One description for the command line, the
 * configuration file, the requests and the output.
 */
#ifndef NSW_SCOPE_H
#define NSW_SCOPE_H

#include <libmnl/libmnl.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <linux/nestsw.h>

/**
 * struct nsw_scope - a port group's trunk VLANs and uplinks
 * @vlans_given: @vlans was given (a command line sets only what it gives)
 * @active_given: likewise @active
 * @standby_given: likewise @standby
 * @vlans: bit N (byte N / 8, bit N % 8) for VLAN N, as
 *	NESTSW_A_PG_TRUNK_VLANS; all of 0..4094 is every VLAN
 * @n_active: how many names @active has; 0: every uplink not standby
 * @n_standby: how many names @standby has
 * @active: the active uplinks' names
 * @standby: the standby uplinks' names
 */
struct nsw_scope {
	bool vlans_given;
	bool active_given;
	bool standby_given;
	unsigned char vlans[NESTSW_VLAN_BITMAP_LEN];
	unsigned int n_active;
	unsigned int n_standby;
	char active[NESTSW_UPLINKS_MAX][IF_NAMESIZE];
	char standby[NESTSW_UPLINKS_MAX][IF_NAMESIZE];
};

void nsw_scope_init(struct nsw_scope *s);
int nsw_scope_arg(struct nsw_scope *s, const char *key, const char *val);
void nsw_scope_given_all(struct nsw_scope *s);
bool nsw_scope_equal(const struct nsw_scope *a, const struct nsw_scope *b);
bool nsw_scope_some_vlans(const struct nsw_scope *s);
const char *nsw_scope_twice(const struct nsw_scope *s);
void nsw_scope_put(struct nlmsghdr *nlh, const struct nsw_scope *s);
int nsw_scope_parse(const struct nlattr *const *tb, struct nsw_scope *s);
void nsw_scope_print_vlans(const struct nsw_scope *s);
void nsw_scope_print_uplinks(const struct nsw_scope *s);
void nsw_scope_write(FILE *f, const struct nsw_scope *s);
void nsw_scope_where(FILE *f);

#endif /* NSW_SCOPE_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nestsw: the security policy, shared by "policy" (a switch's default) and
 * "pg" (what a port group overrides), and the switches that hold the
 * defaults, shared by "policy", "show" and "stats".
 */
#ifndef NSW_POLICY_H
#define NSW_POLICY_H

#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <libmnl/libmnl.h>
#include <linux/nestsw.h>

/**
 * struct nsw_policy - policy values, from the command line or a reply
 * @val: by NESTSW_A_POLICY_* type: its value (an enum, 0 or 1, a number)
 * @given: bit (1 << type) set for each value in @val
 * @inherit: NESTSW_POLICY_ATTR_* bits: keys given as "inherit"
 */
struct nsw_policy {
	unsigned int val[NESTSW_A_POLICY_MAX + 1];
	unsigned int given;
	unsigned int inherit;
};

void nsw_policy_where_keys(FILE *f, const char *lead, bool inherit);
int nsw_policy_arg(struct nsw_policy *p, const char *key, const char *val,
		   bool inherit);
void nsw_policy_put(struct nlmsghdr *nlh, unsigned int type,
		    const struct nsw_policy *p);
int nsw_policy_parse(const struct nlattr *nest, struct nsw_policy *p);
void nsw_policy_defaults(struct nsw_policy *p);
bool nsw_policy_equal(const struct nsw_policy *a, const struct nsw_policy *b);
unsigned int nsw_policy_attrs(const struct nsw_policy *p);
void nsw_policy_write(FILE *f, const struct nsw_policy *p);
void nsw_policy_print(const struct nsw_policy *p);
void nsw_policy_print_pg(const struct nsw_policy *own,
			 const struct nsw_policy *eff);

/**
 * struct nsw_switch - a switch, as SWITCH_GET replies
 * @ifindex: its interface index
 * @ifname: its name
 * @policy: its default policy
 */
struct nsw_switch {
	unsigned int ifindex;
	char ifname[IF_NAMESIZE];
	struct nsw_policy policy;
};

/**
 * struct nsw_switches - what nsw_switch_get() found
 * @sw: the switches, in the order of the reply; free() it
 * @n: how many
 */
struct nsw_switches {
	struct nsw_switch *sw;
	unsigned int n;
};

int nsw_switch_get(unsigned int ifindex, struct nsw_switches *sws);
int nsw_switch_show_each(struct nlmsghdr *(*req)(unsigned int sw),
			 mnl_cb_t cb, void *data);
void nsw_switch_print(const struct nsw_switch *sw);
int nsw_is_switch(unsigned int ifindex, bool *is_switch);

#endif /* NSW_POLICY_H */

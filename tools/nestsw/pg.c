// SPDX-License-Identifier: GPL-2.0
/*
 * nestsw pg: port groups, their VLAN and what they override of their
 * switch's default policy.
 *
 *	nestsw pg add dev SW name PG [vlan VLAN] [team on|off] [SCOPE] [POLICY]
 *	nestsw pg set dev SW name PG [vlan VLAN] [team on|off] [SCOPE] [POLICY]
 *	nestsw pg del dev SW name PG
 *	nestsw pg show [dev SW [name PG]]
 *
 * Without dev, pg show lists the port groups of every switch, as ip link
 * show lists every link.
 */
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <linux/nestsw.h>

#include "genl.h"
#include "nestsw.h"
#include "policy.h"
#include "print.h"
#include "req.h"
#include "scope.h"

const char nsw_pg_help[] =
	"pg add dev SW name PG [vlan VLAN] [team on|off] [SCOPE] [POLICY]\n"
	"pg set dev SW name PG [vlan VLAN] [team on|off] [SCOPE] [POLICY]\n"
	"pg del dev SW name PG\n"
	"pg show [dev SW [name PG]]\n";

void nsw_pg_where(FILE *f)
{
	fprintf(f,
		"where  PG := a port group name: 1 to %d letters, digits, ., _ or -\n"
		"       VLAN := untagged|1..4094|trunk (0 is untagged, %d trunk)\n",
		NESTSW_PG_NAME_LEN - 1, NESTSW_VLAN_TRUNK);
	fputs("       team on: the group's guest ports are one VM's vNICs, teamed in it\n"
	      "       SCOPE := [trunk-vlans VALUE] [active-uplinks VALUE] [standby-uplinks VALUE]\n",
	      f);
	nsw_scope_where(f);
	nsw_policy_where_keys(f, "", true);
	fputs("       inherit (pg set only): back to the switch's default\n", f);
}

enum pg_op {
	PG_SHOW,
	PG_ADD,
	PG_SET,
	PG_DEL,
};

/*
 * The command line; a zero switch, a NULL name, a negative vlan or team:
 * absent.
 */
struct pg_args {
	enum pg_op op;
	unsigned int sw;
	const char *name;
	int vlan;
	int team;
	struct nsw_scope scope;
	struct nsw_policy policy;
};

static int pg_arg(void *ctx, const char *key, const char *val)
{
	struct pg_args *a = ctx;
	int ret;

	if (nsw_kw(key, "dev"))
		return nsw_arg_dev(key, val, &a->sw);
	if (nsw_kw(key, "name"))
		return nsw_arg_name(key, val, &a->name);
	if (a->op != PG_ADD && a->op != PG_SET)
		return NSW_UNKNOWN;
	if (nsw_kw(key, "vlan"))
		return nsw_arg_vlan(key, val, &a->vlan);
	if (nsw_kw(key, "team"))
		return nsw_arg_off_on(key, val, &a->team);
	/* after the policy keys, which their abbreviations came first */
	ret = nsw_policy_arg(&a->policy, key, val, a->op == PG_SET);
	if (ret != NSW_UNKNOWN)
		return ret;
	return nsw_scope_arg(&a->scope, key, val);
}

/*
 * Parse the command line of @a->op: dev, and name, needed but for show;
 * show takes name only with dev.
 */
static int pg_args(int argc, char **argv, struct pg_args *a)
{
	int ret;

	ret = nsw_parse_pairs("pg", argc, argv, pg_arg, a);
	if (ret)
		return ret;
	if (!a->sw && (a->op != PG_SHOW || a->name))
		return nsw_usage("pg", "Missing keyword", "dev");
	if (!a->name && a->op != PG_SHOW)
		return nsw_usage("pg", "Missing keyword", "name");
	if (a->op == PG_SET && a->vlan < 0 && a->team < 0 &&
	    !a->scope.vlans_given && !a->scope.active_given &&
	    !a->scope.standby_given && !a->policy.given && !a->policy.inherit)
		return nsw_usage("pg", "Nothing to set", NULL);
	return 0;
}

/* Send PG_NEW, PG_SET or PG_DEL with what @a holds. */
static int pg_change(unsigned char cmd, const struct pg_args *a)
{
	const struct nsw_pg_req r = {
		.sw = a->sw, .name = a->name, .vlan = a->vlan,
		.policy = &a->policy, .team = a->team, .scope = &a->scope,
	};

	return nsw_req_pg(cmd, &r);
}

/* " vlan untagged", " vlan trunk" or " vlan N"; in JSON, the number. */
static void pg_print_vlan(unsigned int vlan)
{
	char num[8];

	nsw_print_string(NSW_PRINT_TEXT, NULL, " vlan %s",
			 nsw_vlan_str(vlan, num, sizeof(num)));
	nsw_print_uint(NSW_PRINT_JSON, "vlan", NULL, vlan);
}

/* "pg NAME vlan V ports N POLICY", or a JSON object. */
static void pg_print_attrs(const struct nlattr **tb, enum nsw_view view,
			   const struct nsw_scope *scope,
			   const struct nsw_policy *own,
			   const struct nsw_policy *eff)
{
	char name[IF_NAMESIZE];
	unsigned int ifindex;
	bool team;

	nsw_json_open_object(NULL);
	nsw_print_string(NSW_PRINT_TEXT, NULL, "%s",
			 view == NSW_VIEW_NESTED ? "    pg " : "pg ");
	nsw_print_string(NSW_PRINT_ANY, "name", "%s",
			 mnl_attr_get_str(tb[NESTSW_A_PG_NAME]));
	if (view != NSW_VIEW_NESTED && tb[NESTSW_A_PG_SWITCH_IFINDEX]) {
		ifindex = mnl_attr_get_u32(tb[NESTSW_A_PG_SWITCH_IFINDEX]);
		nsw_print_string(view == NSW_VIEW_LIST ? NSW_PRINT_ANY :
				 NSW_PRINT_JSON, "switch", " switch %s",
				 nsw_ifname(ifindex, name));
	}
	if (tb[NESTSW_A_PG_VLAN])
		pg_print_vlan(mnl_attr_get_u16(tb[NESTSW_A_PG_VLAN]));
	nsw_scope_print_vlans(scope);
	if (tb[NESTSW_A_PG_PORTS])
		nsw_print_uint(NSW_PRINT_ANY, "ports", " ports %u",
			       mnl_attr_get_u32(tb[NESTSW_A_PG_PORTS]));
	/* in text only when on, as ip prints a flag */
	if (tb[NESTSW_A_PG_TEAM]) {
		team = mnl_attr_get_u8(tb[NESTSW_A_PG_TEAM]);
		nsw_print_bool(team ? NSW_PRINT_ANY : NSW_PRINT_JSON, "team",
			       " team %s", team);
	}
	nsw_scope_print_uplinks(scope);
	nsw_policy_print_pg(own, eff);
	nsw_json_close_object();
	nsw_print_nl();
}

/* A PG_GET reply; @data points to its enum nsw_view. */
static int pg_print(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NESTSW_A_PG_MAX + 1] = {};
	struct nsw_policy own = {}, eff = {};
	const enum nsw_view *view = data;
	struct nsw_scope scope;

	if (nsw_genl_parse(nlh, tb, nsw_pg_attr_types, NESTSW_A_PG_MAX,
			   NESTSW_A_PG_NAME) != MNL_CB_OK)
		return MNL_CB_ERROR;
	if ((tb[NESTSW_A_PG_POLICY] &&
	     nsw_policy_parse(tb[NESTSW_A_PG_POLICY], &own) != MNL_CB_OK) ||
	    (tb[NESTSW_A_PG_EFFECTIVE_POLICY] &&
	     nsw_policy_parse(tb[NESTSW_A_PG_EFFECTIVE_POLICY], &eff) !=
	     MNL_CB_OK) ||
	    nsw_scope_parse(tb, &scope) != MNL_CB_OK)
		return MNL_CB_ERROR;
	pg_print_attrs(tb, *view, &scope, &own, &eff);
	return MNL_CB_OK;
}

/* A dump of the port groups of the switch @sw. */
static struct nlmsghdr *pg_dump(unsigned int sw)
{
	return nsw_pg_get(sw, NULL);
}

/* The port groups of the switch @sw_ifindex, as lines under it. */
int nsw_pg_list(unsigned int sw_ifindex)
{
	enum nsw_view view = NSW_VIEW_NESTED;

	return nsw_genl_talk(pg_dump(sw_ifindex), pg_print, &view);
}

static int pg_show(int argc, char **argv)
{
	enum nsw_view view = NSW_VIEW_ALONE;
	struct pg_args a = { .op = PG_SHOW, .vlan = -1, .team = -1 };
	int ret;

	ret = pg_args(argc, argv, &a);
	if (ret)
		return ret;
	if (!a.sw) {
		view = NSW_VIEW_LIST;
		return nsw_switch_show_each(pg_dump, pg_print, &view);
	}
	return nsw_genl_show(nsw_pg_get(a.sw, a.name), pg_print, &view);
}

/* pg add or set: @op's command line, then @cmd. */
static int pg_run(enum pg_op op, unsigned char cmd, int argc, char **argv)
{
	struct pg_args a = { .op = op, .vlan = -1, .team = -1 };
	int ret;

	nsw_scope_init(&a.scope);
	ret = pg_args(argc, argv, &a);
	return ret ? ret : pg_change(cmd, &a);
}

static int pg_add(int argc, char **argv)
{
	return pg_run(PG_ADD, NESTSW_CMD_PG_NEW, argc, argv);
}

static int pg_set(int argc, char **argv)
{
	return pg_run(PG_SET, NESTSW_CMD_PG_SET, argc, argv);
}

/* What pg_del_port() looks for, and how many it found. */
struct pg_members {
	const char *name;
	unsigned int n;
};

/* A PORT_GET reply: print the port's name if it is in the group. */
static int pg_del_port(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NESTSW_A_PORT_PG + 1] = {};
	struct pg_members *m = data;
	char name[IF_NAMESIZE];

	if (nsw_genl_parse(nlh, tb, nsw_port_attr_types, NESTSW_A_PORT_PG,
			   NESTSW_A_PORT_IFINDEX) != MNL_CB_OK)
		return MNL_CB_ERROR;
	if (!tb[NESTSW_A_PORT_PG] ||
	    strcmp(mnl_attr_get_str(tb[NESTSW_A_PORT_PG]), m->name))
		return MNL_CB_OK;
	if (!m->n)
		nsw_err_lead();
	fprintf(stderr, "%s%s", m->n++ ? " " : "Ports in the port group: ",
		nsw_ifname(mnl_attr_get_u32(tb[NESTSW_A_PORT_IFINDEX]), name));
	return MNL_CB_OK;
}

/*
 * A refused delete names the ports still in the group, which a kernel
 * without formatted error messages (6.1) cannot.
 */
static int pg_del(int argc, char **argv)
{
	struct pg_args a = { .op = PG_DEL, .vlan = -1, .team = -1 };
	struct pg_members m;
	int ret;

	ret = pg_args(argc, argv, &a);
	if (ret)
		return ret;
	ret = pg_change(NESTSW_CMD_PG_DEL, &a);
	/* the kernel's errno, kept by printing: busy means it has ports */
	if (ret != NSW_EXIT_KERNEL || errno != EBUSY)
		return ret;
	m = (struct pg_members){ .name = a.name };
	nsw_genl_talk(nsw_port_get(0, a.sw), pg_del_port, &m);
	if (m.n)
		fputc('\n', stderr);
	return ret;
}

int nsw_pg(int argc, char **argv)
{
	static const struct nsw_subcmd subs[] = {
		{ "show", pg_show },
		{ "add", pg_add },
		{ "set", pg_set },
		{ "del", pg_del },
	};

	return nsw_run_subcmd("pg", subs, ARRAY_SIZE(subs), argc, argv);
}

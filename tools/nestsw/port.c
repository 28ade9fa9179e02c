// SPDX-License-Identifier: GPL-2.0
/*
 * nestsw port: the switch a port belongs to and its role.
 *
 *	nestsw port show [dev PORT]
 *	nestsw port set dev PORT role guest|uplink
 */
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <linux/nestsw.h>

#include "genl.h"
#include "nestsw.h"
#include "print.h"

const char nsw_port_help[] =
	"port show [dev PORT]\n"
	"port set dev PORT role guest|uplink\n";

static const char *const port_roles[] = {
	[NESTSW_PORT_ROLE_GUEST] = "guest",
	[NESTSW_PORT_ROLE_UPLINK] = "uplink",
};

/* The command line; a zero ifindex or a negative role: not given. */
struct port_args {
	bool set;
	unsigned int ifindex;
	int role;
};

static int port_arg(void *ctx, const char *key, const char *val)
{
	struct port_args *a = ctx;

	if (!strcmp(key, "dev"))
		return nsw_arg_dev(key, val, &a->ifindex);
	if (a->set && !strcmp(key, "role"))
		return nsw_arg_choice(key, val, port_roles,
				      ARRAY_SIZE(port_roles), &a->role);
	return NSW_UNKNOWN;
}

static void port_print_role(unsigned int role)
{
	if (role < ARRAY_SIZE(port_roles))
		nsw_print_string(NSW_PRINT_ANY, "role", " role %s",
				 port_roles[role]);
	else
		nsw_print_uint(NSW_PRINT_ANY, "role", " role %u", role);
}

/* "eth1 switch sw0 role uplink", or the same as a JSON object. */
static void port_print_attrs(const struct nlattr **tb)
{
	unsigned int ifindex = mnl_attr_get_u32(tb[NESTSW_A_PORT_IFINDEX]);
	char name[IF_NAMESIZE];

	nsw_json_open_object(NULL);
	nsw_print_uint(NSW_PRINT_JSON, "ifindex", NULL, ifindex);
	nsw_print_string(NSW_PRINT_ANY, "ifname", "%s",
			 nsw_ifname(ifindex, name));
	if (tb[NESTSW_A_PORT_SWITCH_IFINDEX]) {
		ifindex = mnl_attr_get_u32(tb[NESTSW_A_PORT_SWITCH_IFINDEX]);
		nsw_print_string(NSW_PRINT_ANY, "switch", " switch %s",
				 nsw_ifname(ifindex, name));
	}
	if (tb[NESTSW_A_PORT_ROLE])
		port_print_role(mnl_attr_get_u32(tb[NESTSW_A_PORT_ROLE]));
	nsw_json_close_object();
	nsw_print_nl();
}

static int port_print(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type types[NESTSW_A_PORT_MAX + 1] = {
		[NESTSW_A_PORT_IFINDEX] = MNL_TYPE_U32,
		[NESTSW_A_PORT_SWITCH_IFINDEX] = MNL_TYPE_U32,
		[NESTSW_A_PORT_ROLE] = MNL_TYPE_U32,
	};
	const struct nlattr *tb[NESTSW_A_PORT_MAX + 1] = {};

	if (nsw_genl_parse(nlh, tb, types, NESTSW_A_PORT_MAX) != MNL_CB_OK)
		return MNL_CB_ERROR;
	if (!tb[NESTSW_A_PORT_IFINDEX]) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	port_print_attrs(tb);
	return MNL_CB_OK;
}

static int port_show(int argc, char **argv)
{
	struct port_args a = { .role = -1 };
	struct nlmsghdr *nlh;
	int ret;

	ret = nsw_parse_pairs("port", argc, argv, port_arg, &a);
	if (ret)
		return ret;
	nlh = nsw_genl_msg(NESTSW_CMD_PORT_GET, a.ifindex ? 0 : NLM_F_DUMP);
	if (!nlh)
		return NSW_EXIT_KERNEL;
	if (a.ifindex)
		mnl_attr_put_u32(nlh, NESTSW_A_PORT_IFINDEX, a.ifindex);
	nsw_json_open_array(NULL);
	ret = nsw_genl_talk(nlh, port_print, NULL);
	nsw_json_close_array();
	return ret;
}

static int port_set(int argc, char **argv)
{
	struct port_args a = { .set = true, .role = -1 };
	struct nlmsghdr *nlh;
	int ret;

	ret = nsw_parse_pairs("port", argc, argv, port_arg, &a);
	if (ret)
		return ret;
	if (!a.ifindex)
		return nsw_usage("port", "Missing keyword", "dev");
	if (a.role < 0)
		return nsw_usage("port", "Nothing to set", NULL);
	nlh = nsw_genl_msg(NESTSW_CMD_PORT_SET, 0);
	if (!nlh)
		return NSW_EXIT_KERNEL;
	mnl_attr_put_u32(nlh, NESTSW_A_PORT_IFINDEX, a.ifindex);
	mnl_attr_put_u32(nlh, NESTSW_A_PORT_ROLE, a.role);
	return nsw_genl_talk(nlh, NULL, NULL);
}

int nsw_port(int argc, char **argv)
{
	if (!argc)
		return port_show(0, NULL);
	if (!strcmp(*argv, "show"))
		return port_show(argc - 1, argv + 1);
	if (!strcmp(*argv, "set"))
		return port_set(argc - 1, argv + 1);
	return nsw_usage("port", "Unknown command", *argv);
}

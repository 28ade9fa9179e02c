// SPDX-License-Identifier: GPL-2.0
/*
 * nestsw port: a port's switch, port group and role, and its guest's MACs
 * and promiscuous flag.
 *
 *	nestsw port show [dev PORT]
 *	nestsw port set dev PORT [pg PG] [role guest|uplink]
 *		[initial-mac MAC] [effective-mac MAC]
 *		[guest-promiscuous on|off]
 */
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <linux/nestsw.h>

#include "genl.h"
#include "nestsw.h"
#include "port.h"
#include "print.h"
#include "req.h"

const char nsw_port_help[] =
	"port show [dev PORT]\n"
	"port set dev PORT [pg PG] [role guest|uplink] [initial-mac MAC]\n"
	"         [effective-mac MAC] [guest-promiscuous on|off]\n";

void nsw_port_where(FILE *f)
{
	fprintf(f,
		"where  PG := a port group name: 1 to %d letters, digits, ., _ or -\n"
		"       MAC := xx:xx:xx:xx:xx:xx, neither multicast nor zero\n"
		"       initial-mac, effective-mac, guest-promiscuous: for ports\n"
		"       other than veth (a veth port follows its peer)\n",
		NESTSW_PG_NAME_LEN - 1);
}

const char *const nsw_port_roles[NESTSW_PORT_ROLE_UPLINK + 1] = {
	[NESTSW_PORT_ROLE_GUEST] = "guest",
	[NESTSW_PORT_ROLE_UPLINK] = "uplink",
};

/* The drop counters, in the order printed. */
static const struct {
	unsigned int type;	/* NESTSW_A_DROPS_* */
	const char *name;
} port_drops[] = {
	{ NESTSW_A_DROPS_VLAN, "vlan" },
	{ NESTSW_A_DROPS_FORGED, "forged" },
	{ NESTSW_A_DROPS_MAC_CHANGE, "mac-change" },
	{ NESTSW_A_DROPS_NO_DESTINATION, "no-destination" },
	{ NESTSW_A_DROPS_INVALID_SOURCE, "invalid-source" },
	{ NESTSW_A_DROPS_MTU, "mtu" },
	{ NESTSW_A_DROPS_LIMIT, "limit" },
	{ NESTSW_A_DROPS_STATIC_CONFLICT, "static-conflict" },
	{ NESTSW_A_DROPS_REFLECTION, "reflection" },
};

/* The learning counters, in the order printed; entries is a u32. */
static const struct {
	unsigned int type;	/* NESTSW_A_LEARNING_* */
	const char *name;
} port_learning[] = {
	{ NESTSW_A_LEARNING_ENTRIES, "entries" },
	{ NESTSW_A_LEARNING_LEARNED, "learned" },
	{ NESTSW_A_LEARNING_MOVES, "moves" },
	{ NESTSW_A_LEARNING_NOT_LEARNED_ALLOWED, "not-learned-allowed" },
	{ NESTSW_A_LEARNING_NOT_LEARNED_DROPPED, "not-learned-dropped" },
};

/**
 * nsw_drop_name() - the name of a drop counter, as port show prints it
 * @type: NESTSW_A_DROPS_*
 *
 * Return: the name, or NULL if unknown (a newer kernel's).
 */
const char *nsw_drop_name(unsigned int type)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(port_drops); i++)
		if (port_drops[i].type == type)
			return port_drops[i].name;
	return NULL;
}

/*
 * The command line; a zero ifindex, a NULL pg or a negative value: not
 * given.
 */
struct port_args {
	bool set;
	unsigned int ifindex;
	const char *pg;
	int role;
	int guest_promisc;
	bool has_initial_mac;
	bool has_effective_mac;
	unsigned char initial_mac[NSW_MAC_LEN];
	unsigned char effective_mac[NSW_MAC_LEN];
};

/* A port's "role guest|uplink": enum nestsw_port_role. */
int nsw_arg_role(const char *key, const char *val, int *role)
{
	return nsw_arg_choice(key, val, nsw_port_roles,
			      ARRAY_SIZE(nsw_port_roles), role);
}

static int port_arg(void *ctx, const char *key, const char *val)
{
	struct port_args *a = ctx;

	if (nsw_kw(key, "dev"))
		return nsw_arg_dev(key, val, &a->ifindex);
	if (!a->set)
		return NSW_UNKNOWN;
	if (nsw_kw(key, "pg"))
		return nsw_arg_name(key, val, &a->pg);
	if (nsw_kw(key, "role"))
		return nsw_arg_role(key, val, &a->role);
	if (nsw_kw(key, "initial-mac"))
		return nsw_arg_port_mac(key, val, a->initial_mac,
					&a->has_initial_mac);
	if (nsw_kw(key, "effective-mac"))
		return nsw_arg_port_mac(key, val, a->effective_mac,
					&a->has_effective_mac);
	if (nsw_kw(key, "guest-promiscuous"))
		return nsw_arg_off_on(key, val, &a->guest_promisc);
	return NSW_UNKNOWN;
}

/* " KEY xx:xx:xx:xx:xx:xx"; a MAC never set (all zeros) is left out. */
static void port_print_mac(const char *key, const struct nlattr *attr)
{
	static const unsigned char unset[NSW_MAC_LEN];
	char text[NSW_MAC_STRLEN];
	char fmt[32];

	if (!attr || !memcmp(mnl_attr_get_payload(attr), unset, NSW_MAC_LEN))
		return;
	snprintf(fmt, sizeof(fmt), " %s %%s", key);
	nsw_print_string(NSW_PRINT_ANY, key, fmt,
			 nsw_mac_str(mnl_attr_get_payload(attr), text));
}

/* " pg PG role R initial-mac M effective-mac M guest-promiscuous on ..." */
static void port_print_config(const struct nlattr **tb)
{
	const struct nlattr *attr;

	if (tb[NESTSW_A_PORT_PG])
		nsw_print_string(NSW_PRINT_ANY, "pg", " pg %s",
				 mnl_attr_get_str(tb[NESTSW_A_PORT_PG]));
	if (tb[NESTSW_A_PORT_ROLE])
		nsw_print_enum(NSW_PRINT_ANY, "role", " role %s", nsw_port_roles,
			       ARRAY_SIZE(nsw_port_roles),
			       mnl_attr_get_u32(tb[NESTSW_A_PORT_ROLE]));
	port_print_mac("initial-mac", tb[NESTSW_A_PORT_INITIAL_MAC]);
	port_print_mac("effective-mac", tb[NESTSW_A_PORT_EFFECTIVE_MAC]);
	attr = tb[NESTSW_A_PORT_GUEST_PROMISCUOUS];
	if (attr)
		nsw_print_bool(NSW_PRINT_ANY, "guest-promiscuous",
			       " guest-promiscuous %s", mnl_attr_get_u8(attr));
	attr = tb[NESTSW_A_PORT_FOLLOWS_PEER];
	if (attr) {
		nsw_print_bool(NSW_PRINT_JSON, "follows-peer", NULL,
			       mnl_attr_get_u8(attr));
		nsw_print_string(NSW_PRINT_TEXT, NULL, " %s",
				 mnl_attr_get_u8(attr) ? "follows veth peer" :
							 "admin-set");
	}
}

/* "@lead drops: vlan N forged N ...", or the JSON object "drops". */
static int port_print_drops(const struct nlattr *nest, const char *lead)
{
	enum mnl_attr_data_type types[NESTSW_A_DROPS_MAX + 1] = {};
	const struct nlattr *tb[NESTSW_A_DROPS_MAX + 1] = {};
	unsigned int i, type;
	char fmt[32];

	for (i = 0; i < ARRAY_SIZE(port_drops); i++)
		types[port_drops[i].type] = MNL_TYPE_U64;
	if (nsw_genl_parse_nested(nest, tb, types, NESTSW_A_DROPS_MAX) !=
	    MNL_CB_OK)
		return MNL_CB_ERROR;
	nsw_print_string(NSW_PRINT_TEXT, NULL, "%sdrops:", lead);
	nsw_json_open_object("drops");
	for (i = 0; i < ARRAY_SIZE(port_drops); i++) {
		type = port_drops[i].type;
		if (!tb[type])
			continue;
		snprintf(fmt, sizeof(fmt), " %s %%llu", port_drops[i].name);
		nsw_print_u64(NSW_PRINT_ANY, port_drops[i].name, fmt,
			      mnl_attr_get_u64(tb[type]));
	}
	nsw_json_close_object();
	return MNL_CB_OK;
}

/*
 * "@lead learning: entries N learned N moves N ...", or the JSON object
 * "learning".
 */
static int port_print_learning(const struct nlattr *nest, const char *lead)
{
	enum mnl_attr_data_type types[NESTSW_A_LEARNING_MAX + 1] = {};
	const struct nlattr *tb[NESTSW_A_LEARNING_MAX + 1] = {};
	unsigned int i, type;
	char fmt[40];

	for (i = 0; i < ARRAY_SIZE(port_learning); i++)
		types[port_learning[i].type] = MNL_TYPE_U64;
	types[NESTSW_A_LEARNING_ENTRIES] = MNL_TYPE_U32;
	if (nsw_genl_parse_nested(nest, tb, types, NESTSW_A_LEARNING_MAX) !=
	    MNL_CB_OK)
		return MNL_CB_ERROR;
	nsw_print_string(NSW_PRINT_TEXT, NULL, "%slearning:", lead);
	nsw_json_open_object("learning");
	for (i = 0; i < ARRAY_SIZE(port_learning); i++) {
		type = port_learning[i].type;
		if (!tb[type])
			continue;
		snprintf(fmt, sizeof(fmt), " %s %%llu", port_learning[i].name);
		nsw_print_u64(NSW_PRINT_ANY, port_learning[i].name, fmt,
			      type == NESTSW_A_LEARNING_ENTRIES ?
			      mnl_attr_get_u32(tb[type]) :
			      mnl_attr_get_u64(tb[type]));
	}
	nsw_json_close_object();
	return MNL_CB_OK;
}

/* "eth1 switch sw0 ...", or "    port eth1 ..." under its switch. */
static int port_print_attrs(const struct nlattr **tb,
			    const struct nsw_port_view *v)
{
	unsigned int ifindex = mnl_attr_get_u32(tb[NESTSW_A_PORT_IFINDEX]);
	bool nested = v->view == NSW_VIEW_NESTED;
	const char *lead = !v->config ? " " : nested ? "\n        " : "\n    ";
	char name[IF_NAMESIZE];
	int ret = MNL_CB_OK;

	nsw_json_open_object(NULL);
	nsw_print_uint(NSW_PRINT_JSON, "ifindex", NULL, ifindex);
	nsw_print_string(NSW_PRINT_ANY, "ifname", nested ? "    port %s" : "%s",
			 nsw_ifname(ifindex, name));
	if (!nested && tb[NESTSW_A_PORT_SWITCH_IFINDEX]) {
		ifindex = mnl_attr_get_u32(tb[NESTSW_A_PORT_SWITCH_IFINDEX]);
		nsw_print_string(NSW_PRINT_ANY, "switch", " switch %s",
				 nsw_ifname(ifindex, name));
	}
	if (v->config)
		port_print_config(tb);
	if (v->drops && tb[NESTSW_A_PORT_DROPS])
		ret = port_print_drops(tb[NESTSW_A_PORT_DROPS], lead);
	if (ret == MNL_CB_OK && v->drops && tb[NESTSW_A_PORT_LEARNING])
		ret = port_print_learning(tb[NESTSW_A_PORT_LEARNING], lead);
	nsw_json_close_object();
	nsw_print_nl();
	return ret;
}

/* Are the MACs of a reply six bytes long, as libmnl cannot check? */
static bool port_macs_valid(const struct nlattr **tb)
{
	static const unsigned int macs[] = {
		NESTSW_A_PORT_INITIAL_MAC, NESTSW_A_PORT_EFFECTIVE_MAC,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(macs); i++)
		if (tb[macs[i]] &&
		    mnl_attr_get_payload_len(tb[macs[i]]) != NSW_MAC_LEN)
			return false;
	return true;
}

/**
 * nsw_port_print() - print a PORT_GET reply
 * @nlh: the reply
 * @data: a struct nsw_port_view
 *
 * Return: MNL_CB_OK, or MNL_CB_ERROR (errno EPROTO) if it is malformed.
 */
int nsw_port_print(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NESTSW_A_PORT_MAX + 1] = {};

	if (nsw_genl_parse(nlh, tb, nsw_port_attr_types, NESTSW_A_PORT_MAX,
			   NESTSW_A_PORT_IFINDEX) != MNL_CB_OK)
		return MNL_CB_ERROR;
	if (!port_macs_valid(tb)) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	return port_print_attrs(tb, data);
}

static int port_show(int argc, char **argv)
{
	struct nsw_port_view v = { NSW_VIEW_ALONE, true, nsw_show_stats };
	struct port_args a = {};
	int ret;

	ret = nsw_parse_pairs("port", argc, argv, port_arg, &a);
	if (ret)
		return ret;
	return nsw_genl_show(nsw_port_get(a.ifindex, 0), nsw_port_print, &v);
}

static bool port_set_empty(const struct port_args *a)
{
	return !a->pg && a->role < 0 && a->guest_promisc < 0 &&
	       !a->has_initial_mac && !a->has_effective_mac;
}

static int port_set(int argc, char **argv)
{
	struct port_args a = { .set = true, .role = -1, .guest_promisc = -1 };
	struct nsw_port_req r;
	int ret;

	ret = nsw_parse_pairs("port", argc, argv, port_arg, &a);
	if (ret)
		return ret;
	if (!a.ifindex)
		return nsw_usage("port", "Missing keyword", "dev");
	if (port_set_empty(&a))
		return nsw_usage("port", "Nothing to set", NULL);
	r.ifindex = a.ifindex;
	r.pg = a.pg;
	r.role = a.role;
	r.initial_mac = a.has_initial_mac ? a.initial_mac : NULL;
	r.effective_mac = a.has_effective_mac ? a.effective_mac : NULL;
	r.guest_promisc = a.guest_promisc;
	return nsw_req_port_set(&r);
}

int nsw_port(int argc, char **argv)
{
	static const struct nsw_subcmd subs[] = {
		{ "show", port_show },
		{ "set", port_set },
	};

	return nsw_run_subcmd("port", subs, ARRAY_SIZE(subs), argc, argv);
}

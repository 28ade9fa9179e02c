// SPDX-License-Identifier: GPL-2.0
/*
 * nestsw fdb: a switch's forwarding database, and the static entries the
 * admin adds to a port.
 *
 *	nestsw fdb show [dev SW|PORT]
 *	nestsw fdb add|del dev PORT mac MAC [vlan VID]
 *	nestsw fdb flush dev SW|PORT
 *
 * Text as "bridge fdb show" prints it: "MAC dev PORT [vlan VID] master SW
 * FLAGS [age S.Ds]", a line per entry. JSON: an array of objects with
 * those members, the age as "age-ms".
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

/* The highest VLAN an entry can be for: 4095 is the trunk setting. */

const char nsw_fdb_help[] =
	"fdb show [dev SW|PORT]\n"
	"fdb { add | del } dev PORT mac MAC [vlan VID]\n"
	"fdb flush dev SW|PORT\n";

void nsw_fdb_where(FILE *f)
{
	fprintf(f,
		"where  MAC := xx:xx:xx:xx:xx:xx, neither multicast nor zero\n"
		"       VID := 0..%d, the VLAN the entry is for (default: every VLAN)\n"
		"       A static entry sends frames to MAC to PORT and, under\n"
		"       forged-transmits reject, lets PORT send with MAC as source.\n"
		"       flush removes the learned entries of SW or PORT.\n",
		NSW_FDB_VID_MAX);
}

/* NESTSW_FDB_FLAG_* by bit number. */
static const char *const fdb_flags[] = {
	"static", "local", "guest", "learned",
};

/* The command line; a zero ifindex or a negative vid: not given. */
struct fdb_args {
	bool change;
	unsigned int ifindex;
	bool has_mac;
	unsigned char mac[NSW_MAC_LEN];
	int vid;
};

static int fdb_arg(void *ctx, const char *key, const char *val)
{
	struct fdb_args *a = ctx;

	if (nsw_kw(key, "dev"))
		return nsw_arg_dev(key, val, &a->ifindex);
	if (!a->change)
		return NSW_UNKNOWN;
	if (nsw_kw(key, "mac")) {
		a->has_mac = true;
		return nsw_arg_mac(key, val, a->mac);
	}
	if (nsw_kw(key, "vlan"))
		return nsw_arg_fdb_vlan(key, val, &a->vid);
	return NSW_UNKNOWN;
}

/* " static guest", or the JSON array "flags". */
static void fdb_print_flags(unsigned int flags)
{
	unsigned int i;

	nsw_json_open_array("flags");
	for (i = 0; i < ARRAY_SIZE(fdb_flags); i++)
		if (flags & (1U << i))
			nsw_print_string(NSW_PRINT_ANY, NULL, " %s",
					 fdb_flags[i]);
	nsw_json_close_array();
}

/* " age 12.3s" (tenths of a second, rounded down), or "age-ms" in JSON. */
static void fdb_print_age(unsigned int ms)
{
	char text[24];

	snprintf(text, sizeof(text), "%u.%u", ms / 1000, ms % 1000 / 100);
	nsw_print_string(NSW_PRINT_TEXT, NULL, " age %ss", text);
	nsw_print_uint(NSW_PRINT_JSON, "age-ms", NULL, ms);
}

static int fdb_print(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NESTSW_A_FDB_MAX + 1] = {};
	unsigned int sw, dev;
	char text[NSW_MAC_STRLEN];
	char name[IF_NAMESIZE];

	if (nsw_genl_parse(nlh, tb, nsw_fdb_attr_types, NESTSW_A_FDB_MAX,
			   NESTSW_A_FDB_SWITCH_IFINDEX) != MNL_CB_OK)
		return MNL_CB_ERROR;
	if (!tb[NESTSW_A_FDB_MAC] ||
	    mnl_attr_get_payload_len(tb[NESTSW_A_FDB_MAC]) != NSW_MAC_LEN) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	sw = mnl_attr_get_u32(tb[NESTSW_A_FDB_SWITCH_IFINDEX]);
	dev = tb[NESTSW_A_FDB_PORT_IFINDEX] ?
	      mnl_attr_get_u32(tb[NESTSW_A_FDB_PORT_IFINDEX]) : sw;

	nsw_json_open_object(NULL);
	nsw_print_string(NSW_PRINT_ANY, "mac", "%s",
			 nsw_mac_str(mnl_attr_get_payload(tb[NESTSW_A_FDB_MAC]),
				     text));
	nsw_print_string(NSW_PRINT_ANY, "ifname", " dev %s",
			 nsw_ifname(dev, name));
	if (tb[NESTSW_A_FDB_VLAN])
		nsw_print_uint(NSW_PRINT_ANY, "vlan", " vlan %u",
			       mnl_attr_get_u16(tb[NESTSW_A_FDB_VLAN]));
	nsw_print_string(NSW_PRINT_ANY, "master", " master %s",
			 nsw_ifname(sw, name));
	if (tb[NESTSW_A_FDB_FLAGS])
		fdb_print_flags(mnl_attr_get_u32(tb[NESTSW_A_FDB_FLAGS]));
	if (tb[NESTSW_A_FDB_AGE])
		fdb_print_age(mnl_attr_get_u32(tb[NESTSW_A_FDB_AGE]));
	nsw_json_close_object();
	nsw_print_nl();
	return MNL_CB_OK;
}

/* A dump of the entries of the switch @sw. */
static struct nlmsghdr *fdb_dump_switch(unsigned int sw)
{
	return nsw_fdb_dump(NESTSW_A_FDB_SWITCH_IFINDEX, sw);
}

/* The attribute that names @ifindex: the switch's, or a port's. */
static int fdb_dev_attr(unsigned int ifindex, unsigned int *type)
{
	bool is_switch;
	int ret;

	ret = nsw_is_switch(ifindex, &is_switch);
	*type = is_switch ? NESTSW_A_FDB_SWITCH_IFINDEX :
			    NESTSW_A_FDB_PORT_IFINDEX;
	return ret;
}

static int fdb_show(int argc, char **argv)
{
	struct fdb_args a = { .vid = -1 };
	unsigned int type;
	int ret;

	ret = nsw_parse_pairs("fdb", argc, argv, fdb_arg, &a);
	if (ret)
		return ret;
	if (!a.ifindex)
		return nsw_switch_show_each(fdb_dump_switch, fdb_print, NULL);
	ret = fdb_dev_attr(a.ifindex, &type);
	if (ret)
		return ret;
	return nsw_genl_show(nsw_fdb_dump(type, a.ifindex), fdb_print, NULL);
}

/* The learned entries of a switch, or of a port. */
static int fdb_flush(int argc, char **argv)
{
	struct fdb_args a = { .vid = -1 };
	unsigned int type;
	int ret;

	ret = nsw_parse_pairs("fdb", argc, argv, fdb_arg, &a);
	if (ret)
		return ret;
	if (!a.ifindex)
		return nsw_usage("fdb", "Missing keyword", "dev");
	ret = fdb_dev_attr(a.ifindex, &type);
	if (ret)
		return ret;
	return nsw_req_fdb_flush(type, a.ifindex);
}

static int fdb_change(unsigned char cmd, int argc, char **argv)
{
	struct fdb_args a = { .change = true, .vid = -1 };
	int ret;

	ret = nsw_parse_pairs("fdb", argc, argv, fdb_arg, &a);
	if (ret)
		return ret;
	if (!a.ifindex)
		return nsw_usage("fdb", "Missing keyword", "dev");
	if (!a.has_mac)
		return nsw_usage("fdb", "Missing keyword", "mac");
	return nsw_req_fdb(cmd, a.ifindex, a.mac, a.vid);
}

static int fdb_add(int argc, char **argv)
{
	return fdb_change(NESTSW_CMD_FDB_NEW, argc, argv);
}

static int fdb_del(int argc, char **argv)
{
	return fdb_change(NESTSW_CMD_FDB_DEL, argc, argv);
}

int nsw_fdb(int argc, char **argv)
{
	static const struct nsw_subcmd subs[] = {
		{ "show", fdb_show },
		{ "add", fdb_add },
		{ "del", fdb_del },
		{ "flush", fdb_flush },
	};

	return nsw_run_subcmd("fdb", subs, ARRAY_SIZE(subs), argc, argv);
}

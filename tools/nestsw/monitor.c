// SPDX-License-Identifier: GPL-2.0
/*
 * nestsw monitor: the events of the multicast group "monitor", a line each,
 * until interrupted.
 *
 *	nestsw monitor [dev SW]
 *
 * Text: "EVENT dev PORT mac MAC [vlan VID] [DETAIL] switch SW [(N
 * suppressed)]". JSON: an object per event, one per line (JSON lines).
 * Each line is flushed as it is printed: stdout may be a file another
 * program reads.
 */
#include <net/if.h>
#include <signal.h>
#include <unistd.h>
#include <linux/nestsw.h>

#include "genl.h"
#include "nestsw.h"
#include "policy.h"
#include "port.h"
#include "print.h"

const char nsw_monitor_help[] =
	"monitor [dev SW]\n";

void nsw_monitor_where(FILE *f)
{
	fputs("where  SW := the switch whose events are shown (default: all)\n"
	      "       Prints a line per event (learn, move, age, limit-hit,\n"
	      "       policy-drop) until SIGINT or SIGTERM, then exits with 0.\n",
	      f);
}

/* enum nestsw_event_type by value. */
static const char *const monitor_events[] = {
	[NESTSW_EVENT_LEARN] = "learn",
	[NESTSW_EVENT_MOVE] = "move",
	[NESTSW_EVENT_AGE] = "age",
	[NESTSW_EVENT_LIMIT_HIT] = "limit-hit",
	[NESTSW_EVENT_POLICY_DROP] = "policy-drop",
};

/* " KEY NAME" of the device @attr holds, or the JSON member KEY. */
static void monitor_print_dev(const char *key, const char *fmt,
			      const struct nlattr *attr)
{
	char name[IF_NAMESIZE];

	if (attr)
		nsw_print_string(NSW_PRINT_ANY, key, fmt,
				 nsw_ifname(mnl_attr_get_u32(attr), name));
}

/* What follows the MAC and VLAN: "from PORT", "dropped", "reason R". */
static void monitor_print_detail(const struct nlattr **tb)
{
	const struct nlattr *attr;
	const char *name;
	char num[16];

	monitor_print_dev("from", " from %s", tb[NESTSW_A_EVENT_FROM_IFINDEX]);
	attr = tb[NESTSW_A_EVENT_DROPPED];
	if (attr) {
		nsw_print_string(NSW_PRINT_TEXT, NULL, " %s",
				 mnl_attr_get_u8(attr) ? "dropped" : "allowed");
		nsw_print_bool(NSW_PRINT_JSON, "dropped", NULL,
			       mnl_attr_get_u8(attr));
	}
	attr = tb[NESTSW_A_EVENT_REASON];
	if (attr) {
		name = nsw_drop_name(mnl_attr_get_u32(attr));
		if (!name) {
			snprintf(num, sizeof(num), "%u", mnl_attr_get_u32(attr));
			name = num;
		}
		nsw_print_string(NSW_PRINT_ANY, "reason", " reason %s", name);
	}
}

static void monitor_print(const struct nlattr **tb)
{
	const struct nlattr *attr;
	char text[NSW_MAC_STRLEN];
	unsigned int suppressed;

	nsw_json_open_object(NULL);
	nsw_print_enum(NSW_PRINT_ANY, "event", "%s", monitor_events,
		       ARRAY_SIZE(monitor_events),
		       mnl_attr_get_u32(tb[NESTSW_A_EVENT_TYPE]));
	monitor_print_dev("ifname", " dev %s", tb[NESTSW_A_EVENT_PORT_IFINDEX]);
	attr = tb[NESTSW_A_EVENT_MAC];
	if (attr)
		nsw_print_string(NSW_PRINT_ANY, "mac", " mac %s",
				 nsw_mac_str(mnl_attr_get_payload(attr), text));
	attr = tb[NESTSW_A_EVENT_VLAN];
	if (attr)
		nsw_print_uint(NSW_PRINT_ANY, "vlan", " vlan %u",
			       mnl_attr_get_u16(attr));
	monitor_print_detail(tb);
	monitor_print_dev("switch", " switch %s",
			  tb[NESTSW_A_EVENT_SWITCH_IFINDEX]);
	attr = tb[NESTSW_A_EVENT_SUPPRESSED];
	suppressed = attr ? mnl_attr_get_u32(attr) : 0;
	nsw_print_uint(NSW_PRINT_JSON, "suppressed", NULL, suppressed);
	if (suppressed)
		nsw_print_uint(NSW_PRINT_TEXT, NULL, " (%u suppressed)",
			       suppressed);
	nsw_json_close_object();
	nsw_print_nl();
	fflush(stdout);
}

/*
 * An event, printed if it is of the switch *@data (or any if 0). One that
 * is malformed, or another command, is skipped: the monitor goes on.
 */
static int monitor_event(const struct nlmsghdr *nlh, unsigned char cmd,
			 void *data)
{
	static const enum mnl_attr_data_type types[NESTSW_A_EVENT_MAX + 1] = {
		[NESTSW_A_EVENT_TYPE] = MNL_TYPE_U32,
		[NESTSW_A_EVENT_SWITCH_IFINDEX] = MNL_TYPE_U32,
		[NESTSW_A_EVENT_PORT_IFINDEX] = MNL_TYPE_U32,
		[NESTSW_A_EVENT_MAC] = MNL_TYPE_BINARY,
		[NESTSW_A_EVENT_VLAN] = MNL_TYPE_U16,
		[NESTSW_A_EVENT_FROM_IFINDEX] = MNL_TYPE_U32,
		[NESTSW_A_EVENT_REASON] = MNL_TYPE_U32,
		[NESTSW_A_EVENT_DROPPED] = MNL_TYPE_U8,
		[NESTSW_A_EVENT_SUPPRESSED] = MNL_TYPE_U32,
	};
	const struct nlattr *tb[NESTSW_A_EVENT_MAX + 1] = {};
	const unsigned int *sw = data;
	const struct nlattr *attr;

	if (cmd != NESTSW_CMD_EVENT ||
	    nsw_genl_parse(nlh, tb, types, NESTSW_A_EVENT_MAX,
			   NESTSW_A_EVENT_TYPE) != MNL_CB_OK)
		return MNL_CB_OK;
	attr = tb[NESTSW_A_EVENT_MAC];
	if (attr && mnl_attr_get_payload_len(attr) != NSW_MAC_LEN)
		return MNL_CB_OK;
	attr = tb[NESTSW_A_EVENT_SWITCH_IFINDEX];
	if (*sw && (!attr || mnl_attr_get_u32(attr) != *sw))
		return MNL_CB_OK;
	monitor_print(tb);
	return MNL_CB_OK;
}

/*
 * Every line printed was flushed, and a line being printed is in stdio's
 * buffer alone, which _exit() drops: no half line is written.
 */
static void monitor_stop(int sig)
{
	_exit(NSW_EXIT_OK);
}

static int monitor_signals(void)
{
	struct sigaction sa = { .sa_handler = monitor_stop };

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL)) {
		nsw_err_lead();
		perror("Cannot catch SIGINT and SIGTERM");
		return NSW_EXIT_KERNEL;
	}
	return 0;
}

int nsw_monitor(int argc, char **argv)
{
	unsigned int sw = 0;
	struct nsw_listener l = { monitor_event, &sw };
	bool is_switch;
	int ret;

	ret = nsw_parse_pairs("monitor", argc, argv, nsw_arg_dev_only, &sw);
	if (ret)
		return ret;
	if (sw) {
		ret = nsw_is_switch(sw, &is_switch);
		if (ret)
			return ret;
		if (!is_switch) {
			nsw_err_lead();
			fprintf(stderr, "Device \"%s\" is not a nestsw switch.\n",
				argv[1]);
			return NSW_EXIT_USAGE;
		}
	}
	ret = monitor_signals();
	if (ret)
		return ret;
	nsw_print_stream();
	return nsw_genl_listen(&l);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * nestsw stats: the drop counters of ports, one line per port.
 *
 *	nestsw stats [dev SW|PORT]
 *
 * Which of the two dev names is told by the switches SWITCH_GET lists,
 * so that it holds in any network namespace (sysfs would show the one it
 * was mounted in).
 */
#include <stdlib.h>
#include <string.h>

#include "genl.h"
#include "nestsw.h"
#include "policy.h"
#include "port.h"
#include "print.h"

const char nsw_stats_help[] =
	"stats [dev SW|PORT]\n";

/* Is @ifindex a switch? 0 (and @is_switch set) or an exit code. */
static int stats_is_switch(unsigned int ifindex, bool *is_switch)
{
	struct nsw_switches sws = {};
	unsigned int i;
	int ret;

	ret = nsw_switch_get(0, &sws);
	*is_switch = false;
	for (i = 0; i < sws.n; i++)
		if (sws.sw[i].ifindex == ifindex)
			*is_switch = true;
	free(sws.sw);
	return ret;
}

int nsw_stats(int argc, char **argv)
{
	struct nsw_port_view v = { NSW_VIEW_ALONE, false, true };
	unsigned int ifindex = 0;
	struct nlmsghdr *nlh;
	bool is_switch = false;
	int ret;

	ret = nsw_parse_pairs("stats", argc, argv, nsw_arg_dev_only, &ifindex);
	if (ret)
		return ret;
	if (ifindex) {
		ret = stats_is_switch(ifindex, &is_switch);
		if (ret)
			return ret;
	}
	nlh = is_switch ? nsw_port_get(0, ifindex) : nsw_port_get(ifindex, 0);
	return nsw_genl_show(nlh, nsw_port_print, &v);
}

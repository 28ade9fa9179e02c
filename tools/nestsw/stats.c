// SPDX-License-Identifier: GPL-2.0
/*
 * nestsw stats: the drop and learning counters of ports, one line per port.
 *
 *	nestsw stats [dev SW|PORT]
 *
 * nsw_is_switch() tells which of the two dev names.
 */
#include <string.h>

#include "genl.h"
#include "nestsw.h"
#include "policy.h"
#include "port.h"
#include "print.h"
#include "req.h"

const char nsw_stats_help[] =
	"stats [dev SW|PORT]\n";

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
		ret = nsw_is_switch(ifindex, &is_switch);
		if (ret)
			return ret;
	}
	nlh = is_switch ? nsw_port_get(0, ifindex) : nsw_port_get(ifindex, 0);
	return nsw_genl_show(nlh, nsw_port_print, &v);
}

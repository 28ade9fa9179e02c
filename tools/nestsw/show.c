// SPDX-License-Identifier: GPL-2.0
/*
 * nestsw show: switches at a glance, each with its default policy, its
 * port groups and its ports.
 *
 *	nestsw show [dev SW]
 *
 * Text: a line per switch, then one per port group and port, indented.
 * JSON: one array, an object per switch with the arrays "port-groups" and
 * "ports", whose members are those of "pg show" and "port show".
 */
#include <stdlib.h>
#include <string.h>

#include "genl.h"
#include "nestsw.h"
#include "policy.h"
#include "port.h"
#include "print.h"
#include "req.h"

const char nsw_show_help[] =
	"show [dev SW]\n";

static int show_ports(unsigned int sw_ifindex)
{
	struct nsw_port_view v = { NSW_VIEW_NESTED, true, nsw_show_stats };

	return nsw_genl_talk(nsw_port_get(0, sw_ifindex), nsw_port_print, &v);
}

static int show_switch(const struct nsw_switch *sw)
{
	int ret;

	nsw_json_open_object(NULL);
	nsw_print_string(NSW_PRINT_TEXT, NULL, "%s", "switch ");
	nsw_switch_print(sw);
	nsw_print_nl();
	nsw_json_open_array("port-groups");
	ret = nsw_pg_list(sw->ifindex);
	nsw_json_close_array();
	if (!ret) {
		nsw_json_open_array("ports");
		ret = show_ports(sw->ifindex);
		nsw_json_close_array();
	}
	nsw_json_close_object();
	return ret;
}

int nsw_show(int argc, char **argv)
{
	struct nsw_switches sws = {};
	unsigned int ifindex = 0;
	unsigned int i;
	int ret;

	ret = nsw_parse_pairs("show", argc, argv, nsw_arg_dev_only, &ifindex);
	if (ret)
		return ret;
	ret = nsw_switch_get(ifindex, &sws);
	if (!ret) {
		nsw_json_open_array(NULL);
		for (i = 0; i < sws.n && !ret; i++) {
			if (i)
				nsw_print_nl();	/* a blank line between */
			ret = show_switch(&sws.sw[i]);
		}
		nsw_json_close_array();
	}
	free(sws.sw);
	return ret;
}

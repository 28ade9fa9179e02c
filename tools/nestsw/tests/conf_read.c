// SPDX-License-Identifier: GPL-2.0
/*
 * conf_read FILE: read a configuration file as setconf does (no kernel
 * needed), then print it as showconf would, or print its errors; exit
 * with the code setconf would have at that point. For tests/conf_parse.sh.
 */
#include <stdio.h>

#include "../conf.h"

bool nsw_show_stats;	/* main.c's, which is not linked */

int main(int argc, char **argv)
{
	struct conf c = {};
	int ret;

	if (argc != 2) {
		fputs("usage: conf_read FILE\n", stderr);
		return NSW_EXIT_USAGE;
	}
	ret = nsw_conf_read_file(argv[1], &c);
	if (!ret)
		nsw_conf_write(stdout, &c);
	nsw_conf_free(&c);
	return ret;
}

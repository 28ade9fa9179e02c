// SPDX-License-Identifier: GPL-2.0
/*
 * print_json [-f] WORD...: print the WORDs as nestsw -j prints a name: a
 * JSON array of strings, through print.c. With -f, as a command that
 * failed: nothing must reach stdout. For tests/conventions.sh.
 */
#include <string.h>

#include "../print.h"

int main(int argc, char **argv)
{
	bool fail = argc > 1 && !strcmp(argv[1], "-f");
	int i;

	nsw_print_init(true, false);
	nsw_print_begin();
	nsw_json_open_array(NULL);
	for (i = 1 + fail; i < argc; i++)
		nsw_print_string(NSW_PRINT_JSON, NULL, NULL, argv[i]);
	nsw_json_close_array();
	nsw_print_end(!fail);
	return fail;
}

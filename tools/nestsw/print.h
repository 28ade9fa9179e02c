/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nestsw: text and JSON output from one description of each object.
 *
 * A command prints an object with one sequence of calls, as iproute2 does
 * with print_string(PRINT_ANY, ...): @key names the JSON member, @fmt (one
 * conversion for the value) formats the text. With -j only the JSON is
 * printed, else only the text.
 */
#ifndef NSW_PRINT_H
#define NSW_PRINT_H

#include <stdbool.h>

enum nsw_print {
	NSW_PRINT_JSON = 1,	/* a member of the JSON object only */
	NSW_PRINT_TEXT = 2,	/* text output only */
	NSW_PRINT_ANY = NSW_PRINT_JSON | NSW_PRINT_TEXT,
};

void nsw_print_init(bool json, bool pretty);
void nsw_print_begin(void);
void nsw_print_stream(void);
void nsw_print_end(bool ok);

void nsw_json_open_object(const char *key);
void nsw_json_close_object(void);
void nsw_json_open_array(const char *key);
void nsw_json_close_array(void);

void nsw_print_string(enum nsw_print type, const char *key, const char *fmt,
		      const char *val);
void nsw_print_uint(enum nsw_print type, const char *key, const char *fmt,
		    unsigned int val);
void nsw_print_u64(enum nsw_print type, const char *key, const char *fmt,
		   unsigned long long val);
void nsw_print_bool(enum nsw_print type, const char *key, const char *fmt,
		    bool val);
void nsw_print_enum(enum nsw_print type, const char *key, const char *fmt,
		    const char *const *names, unsigned int n, unsigned int val);
void nsw_print_nl(void);

#endif /* NSW_PRINT_H */

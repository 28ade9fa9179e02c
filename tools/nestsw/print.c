// SPDX-License-Identifier: GPL-2.0
/*
 * nestsw: text and JSON output.
 *
 * JSON is written to stdout as it comes, nothing is buffered: a member
 * writes the comma that separates it from the one before, and -p puts
 * each member on its own line, indented by its depth.
 */
#include <stdio.h>

#include "print.h"

#define NSW_JSON_DEPTH	8	/* deeper than anything a command prints */

static struct {
	bool on;
	bool pretty;
	int depth;
	bool started[NSW_JSON_DEPTH];	/* a member was printed at depth */
} nsw_json;

/* -j: JSON output; -p: indented JSON, so it implies -j. */
void nsw_print_init(bool json, bool pretty)
{
	nsw_json.on = json || pretty;
	nsw_json.pretty = pretty;
}

/*
 * End a command's output, in a batch: JSON a command left open when it
 * failed midway is not continued by the next, and what was printed goes
 * out before the next line runs.
 */
void nsw_print_end(void)
{
	if (nsw_json.depth)
		putchar('\n');
	nsw_json.depth = 0;
	fflush(stdout);
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_newline(void)
{
	if (nsw_json.pretty)
		printf("\n%*s", 4 * nsw_json.depth, "");
}

/* Start a member of the open array, or of the open object if @key. */
static void json_member(const char *key)
{
	if (nsw_json.depth) {
		if (nsw_json.started[nsw_json.depth])
			putchar(',');
		nsw_json.started[nsw_json.depth] = true;
		json_newline();
	}
	if (!key)
		return;
	json_string(key);
	fputs(nsw_json.pretty ? ": " : ":", stdout);
}

static void json_open(const char *key, char c)
{
	if (!nsw_json.on)
		return;
	json_member(key);
	putchar(c);
	nsw_json.started[++nsw_json.depth] = false;
}

static void json_close(char c)
{
	if (!nsw_json.on)
		return;
	if (nsw_json.started[nsw_json.depth--])
		json_newline();
	putchar(c);
	if (!nsw_json.depth)
		putchar('\n');
}

void nsw_json_open_object(const char *key)
{
	json_open(key, '{');
}

void nsw_json_close_object(void)
{
	json_close('}');
}

void nsw_json_open_array(const char *key)
{
	json_open(key, '[');
}

void nsw_json_close_array(void)
{
	json_close(']');
}

/* Is a value of @type printed as text? */
static bool print_text(enum nsw_print type)
{
	return !nsw_json.on && (type & NSW_PRINT_TEXT);
}

/* Is a value of @type printed as JSON? Then its member @key is started. */
static bool print_json(enum nsw_print type, const char *key)
{
	if (!nsw_json.on || !(type & NSW_PRINT_JSON))
		return false;
	json_member(key);
	return true;
}

void nsw_print_string(enum nsw_print type, const char *key, const char *fmt,
		      const char *val)
{
	if (print_text(type))
		printf(fmt, val);
	else if (print_json(type, key))
		json_string(val);
}

void nsw_print_uint(enum nsw_print type, const char *key, const char *fmt,
		    unsigned int val)
{
	if (print_text(type))
		printf(fmt, val);
	else if (print_json(type, key))
		printf("%u", val);
}

void nsw_print_u64(enum nsw_print type, const char *key, const char *fmt,
		   unsigned long long val)
{
	if (print_text(type))
		printf(fmt, val);
	else if (print_json(type, key))
		printf("%llu", val);
}

/* JSON true or false; text "on" or "off" through @fmt's %s. */
void nsw_print_bool(enum nsw_print type, const char *key, const char *fmt,
		    bool val)
{
	if (print_text(type))
		printf(fmt, val ? "on" : "off");
	else if (print_json(type, key))
		fputs(val ? "true" : "false", stdout);
}

/*
 * A value of an enum by its name in @names (n of them), or by its number
 * if it has none (a newer kernel's), as a string either way.
 */
void nsw_print_enum(enum nsw_print type, const char *key, const char *fmt,
		    const char *const *names, unsigned int n, unsigned int val)
{
	char num[16];

	if (val < n && names[val]) {
		nsw_print_string(type, key, fmt, names[val]);
		return;
	}
	snprintf(num, sizeof(num), "%u", val);
	nsw_print_string(type, key, fmt, num);
}

/* End a line of text output; JSON lays itself out. */
void nsw_print_nl(void)
{
	if (!nsw_json.on)
		putchar('\n');
}

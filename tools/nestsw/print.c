// SPDX-License-Identifier: GPL-2.0
/*
 * nestsw: text and JSON output.
 *
 * A member writes the comma that separates it from the one before, and
 * -p puts each member on its own line, indented by its depth.
 *
 * With -j a command's output is kept in memory until it ends
 * (nsw_print_begin(), nsw_print_end()), and goes to stdout only if the
 * command succeeded: stdout has whole JSON documents or nothing, never
 * the start of one that an error cut short. monitor, which never ends,
 * prints as it goes (nsw_print_stream()).
 *
 * Strings are valid UTF-8 JSON whatever the bytes of a name: '"', '\\'
 * and control characters are escaped, valid UTF-8 is kept as it is, and
 * each byte that is not part of valid UTF-8 is written \u00XX, XX the
 * byte (as if it were Latin-1): the result is valid, the byte can be read
 * back.
 */
#include <stdio.h>
#include <stdlib.h>

#include "print.h"

#define NSW_JSON_DEPTH	8	/* deeper than anything a command prints */

static struct {
	bool on;
	bool pretty;
	int depth;
	bool started[NSW_JSON_DEPTH];	/* a member was printed at depth */
	FILE *out;	/* stdout, or the memory stream of a command's JSON */
	char *buf;	/* that stream's buffer */
	size_t len;
} nsw_json;

/* -j: JSON output; -p: indented JSON, so it implies -j. */
void nsw_print_init(bool json, bool pretty)
{
	nsw_json.on = json || pretty;
	nsw_json.pretty = pretty;
	nsw_json.out = stdout;
}

/* Start a command's output: with -j, in memory (if memory allows). */
void nsw_print_begin(void)
{
	FILE *f;

	if (!nsw_json.on || nsw_json.out != stdout)
		return;
	f = open_memstream(&nsw_json.buf, &nsw_json.len);
	if (f)
		nsw_json.out = f;
}

/* Back to stdout, with what was kept in memory if @keep. */
static void print_release(bool keep)
{
	if (nsw_json.out == stdout)
		return;
	fclose(nsw_json.out);
	nsw_json.out = stdout;
	if (keep)
		fwrite(nsw_json.buf, 1, nsw_json.len, stdout);
	free(nsw_json.buf);
	nsw_json.buf = NULL;
}

/* From now on print as it comes: for output that never ends (monitor). */
void nsw_print_stream(void)
{
	print_release(true);
}

/*
 * End a command's output: printed if @ok, else dropped. In a batch, JSON
 * a command left open is not continued by the next, and what was printed
 * goes out before the next line runs.
 */
void nsw_print_end(bool ok)
{
	if (nsw_json.depth)
		fputc('\n', nsw_json.out);
	nsw_json.depth = 0;
	print_release(ok);
	fflush(stdout);
}

/* The length of the valid UTF-8 character at @s, or 0 if it is not one. */
static unsigned int utf8_len(const unsigned char *s)
{
	/* the lowest character of each length: less is overlong */
	static const unsigned int min[] = { 0, 0x80, 0x800, 0x10000 };
	unsigned int c = *s, n, i;

	if (c < 0x80)
		return 1;
	if (c < 0xc0 || c > 0xf4)
		return 0;
	n = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;	/* bytes that follow */
	c &= 0x3f >> n;
	for (i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* overlong, a UTF-16 surrogate, beyond U+10FFFF */
	if (c < min[n] || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	return n + 1;
}

static void json_string(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	FILE *f = nsw_json.out;
	unsigned int n;

	fputc('"', f);
	while (*s) {
		n = utf8_len(s);
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if (*s < 0x20 || !n)
			fprintf(f, "\\u%04x", *s);
		else
			fwrite(s, 1, n, f);
		s += n ?: 1;
	}
	fputc('"', f);
}

static void json_newline(void)
{
	if (nsw_json.pretty)
		fprintf(nsw_json.out, "\n%*s", 4 * nsw_json.depth, "");
}

/* Start a member of the open array, or of the open object if @key. */
static void json_member(const char *key)
{
	if (nsw_json.depth) {
		if (nsw_json.started[nsw_json.depth])
			fputc(',', nsw_json.out);
		nsw_json.started[nsw_json.depth] = true;
		json_newline();
	}
	if (!key)
		return;
	json_string(key);
	fputs(nsw_json.pretty ? ": " : ":", nsw_json.out);
}

static void json_open(const char *key, char c)
{
	if (!nsw_json.on)
		return;
	json_member(key);
	fputc(c, nsw_json.out);
	nsw_json.started[++nsw_json.depth] = false;
}

static void json_close(char c)
{
	if (!nsw_json.on)
		return;
	if (nsw_json.started[nsw_json.depth--])
		json_newline();
	fputc(c, nsw_json.out);
	if (!nsw_json.depth)
		fputc('\n', nsw_json.out);
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
		fprintf(nsw_json.out, fmt, val);
	else if (print_json(type, key))
		json_string(val);
}

void nsw_print_uint(enum nsw_print type, const char *key, const char *fmt,
		    unsigned int val)
{
	if (print_text(type))
		fprintf(nsw_json.out, fmt, val);
	else if (print_json(type, key))
		fprintf(nsw_json.out, "%u", val);
}

void nsw_print_u64(enum nsw_print type, const char *key, const char *fmt,
		   unsigned long long val)
{
	if (print_text(type))
		fprintf(nsw_json.out, fmt, val);
	else if (print_json(type, key))
		fprintf(nsw_json.out, "%llu", val);
}

/* JSON true or false; text "on" or "off" through @fmt's %s. */
void nsw_print_bool(enum nsw_print type, const char *key, const char *fmt,
		    bool val)
{
	if (print_text(type))
		fprintf(nsw_json.out, fmt, val ? "on" : "off");
	else if (print_json(type, key))
		fputs(val ? "true" : "false", nsw_json.out);
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
		fputc('\n', nsw_json.out);
}

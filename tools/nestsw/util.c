// SPDX-License-Identifier: GPL-2.0
/*
 * nestsw: command line helpers. Every error is printed here, once, on
 * stderr; the caller only passes the exit code up.
 */
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "nestsw.h"

/*
 * Print 'WHAT "WORD", try "nestsw CMD help".' (no WORD if NULL, no CMD for
 * the command itself) and return NSW_EXIT_USAGE.
 */
int nsw_usage(const char *cmd, const char *what, const char *word)
{
	fputs(what, stderr);
	if (word)
		fprintf(stderr, " \"%s\"", word);
	fprintf(stderr, ", try \"nestsw %s%shelp\".\n",
		cmd ? cmd : "", cmd ? " " : "");
	return NSW_EXIT_USAGE;
}

static int nsw_missing(const char *key)
{
	fprintf(stderr, "Missing value after \"%s\".\n", key);
	return NSW_EXIT_USAGE;
}

/* Is argv[i] a keyword already given at an earlier even position? */
static bool nsw_repeated(char **argv, int i)
{
	int j;

	for (j = 0; j < i; j += 2)
		if (!strcmp(argv[j], argv[i]))
			return true;
	return false;
}

/**
 * nsw_parse_pairs() - walk a command line made of "KEYWORD VALUE" pairs
 * @cmd: the command, named in hints
 * @argc: number of words
 * @argv: the words
 * @fn: called for each pair, with @val NULL if the line ends after @key;
 *	returns 0, an exit code after printing why, or NSW_UNKNOWN
 * @ctx: passed to @fn
 *
 * Return: 0 or an exit code; unknown and repeated keywords are refused.
 */
int nsw_parse_pairs(const char *cmd, int argc, char **argv,
		    int (*fn)(void *ctx, const char *key, const char *val),
		    void *ctx)
{
	int i, ret;

	for (i = 0; i < argc; i += 2) {
		if (nsw_repeated(argv, i))
			return nsw_usage(cmd, "Duplicate keyword", argv[i]);
		ret = fn(ctx, argv[i], i + 1 < argc ? argv[i + 1] : NULL);
		if (ret == NSW_UNKNOWN)
			return nsw_usage(cmd, "Unknown keyword", argv[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/* The value of "dev NAME": the ifindex of NAME in our network namespace. */
int nsw_arg_dev(const char *key, const char *val, unsigned int *ifindex)
{
	if (!val)
		return nsw_missing(key);
	*ifindex = if_nametoindex(val);
	if (!*ifindex) {
		fprintf(stderr, "Cannot find device \"%s\"\n", val);
		return NSW_EXIT_USAGE;
	}
	return 0;
}

static const char *nsw_list_sep(unsigned int i, unsigned int n)
{
	if (!i)
		return "";
	return i + 1 < n ? ", " : " or ";
}

/* The value of "KEY a|b|c": its index in @names (n of them, none NULL). */
int nsw_arg_choice(const char *key, const char *val,
		   const char *const *names, unsigned int n, int *choice)
{
	unsigned int i;

	if (!val)
		return nsw_missing(key);
	for (i = 0; i < n; i++) {
		if (!strcmp(val, names[i])) {
			*choice = i;
			return 0;
		}
	}
	fprintf(stderr, "Invalid %s \"%s\", expected ", key, val);
	for (i = 0; i < n; i++)
		fprintf(stderr, "%s%s", nsw_list_sep(i, n), names[i]);
	fputs(".\n", stderr);
	return NSW_EXIT_USAGE;
}

/* The name of @ifindex in @buf (IF_NAMESIZE), or "ifN" if it has none. */
const char *nsw_ifname(unsigned int ifindex, char *buf)
{
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "if%u", ifindex);
	return buf;
}

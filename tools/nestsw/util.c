// SPDX-License-Identifier: GPL-2.0
/*
 * nestsw: command line helpers. Every error is printed here, once, on
 * stderr; the caller only passes the exit code up.
 */
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/nestsw.h>

#include "nestsw.h"

/*
 * What nsw_err_lead() prints: "FILE:LINE: " of the batch line that runs,
 * then that of the configuration file line being read, if any. The names
 * are the callers' (command line words), kept as they are: a long path is
 * not cut short.
 */
struct nsw_err_pos {
	const char *file;
	unsigned int line;
};

static struct nsw_err_pos nsw_err_batch;
static struct nsw_err_pos nsw_err_where;

/**
 * nsw_err_at() - name the line of a configuration file errors are about
 *	from now on
 * @file: the file, or NULL to stop naming one; it must live until then
 * @line: its line
 */
void nsw_err_at(const char *file, unsigned int line)
{
	nsw_err_where = (struct nsw_err_pos){ file, line };
}

/**
 * nsw_err_batch_at() - name the line of a -batch file that runs
 * @file: the file, or NULL at the end of the batch; it must live until then
 * @line: its line
 */
void nsw_err_batch_at(const char *file, unsigned int line)
{
	nsw_err_batch = (struct nsw_err_pos){ file, line };
}

static void nsw_err_pos_print(const struct nsw_err_pos *pos)
{
	if (pos->file)
		fprintf(stderr, "%s:%u: ", pos->file, pos->line);
}

/*
 * Start an error message: with the lines nsw_err_batch_at() and
 * nsw_err_at() named, if any. What the command printed on stdout goes
 * first, so that both streams into one file read in order; errno is kept
 * for the perror() or errno test that may follow.
 */
void nsw_err_lead(void)
{
	int err = errno;

	fflush(stdout);
	nsw_err_pos_print(&nsw_err_batch);
	nsw_err_pos_print(&nsw_err_where);
	errno = err;
}

/*
 * Print 'WHAT "WORD", try "nestsw CMD help".' (no WORD if NULL, no CMD for
 * the command itself) and return NSW_EXIT_USAGE.
 */
int nsw_usage(const char *cmd, const char *what, const char *word)
{
	nsw_err_lead();
	fputs(what, stderr);
	if (word)
		fprintf(stderr, " \"%s\"", word);
	fprintf(stderr, ", try \"nestsw %s%shelp\".\n",
		cmd ? cmd : "", cmd ? " " : "");
	return NSW_EXIT_USAGE;
}

int nsw_missing(const char *key)
{
	nsw_err_lead();
	fprintf(stderr, "Missing value after \"%s\".\n", key);
	return NSW_EXIT_USAGE;
}

/**
 * nsw_run_subcmd() - run the subcommand that argv[0] names
 * @cmd: the command, named in hints
 * @subs: its subcommands; the first runs when none is named
 * @n: how many
 * @argc: number of words after @cmd
 * @argv: the words
 *
 * Return: the subcommand's exit code, or NSW_EXIT_USAGE if unknown.
 */
int nsw_run_subcmd(const char *cmd, const struct nsw_subcmd *subs,
		   unsigned int n, int argc, char **argv)
{
	unsigned int i;

	if (!argc)
		return subs[0].run(0, argv);
	for (i = 0; i < n; i++)
		if (!strcmp(*argv, subs[i].name))
			return subs[i].run(argc - 1, argv + 1);
	return nsw_usage(cmd, "Unknown command", *argv);
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
		nsw_err_lead();
		fprintf(stderr, "Cannot find device \"%s\"\n", val);
		return NSW_EXIT_USAGE;
	}
	return 0;
}

/* A nsw_parse_pairs() callback for "[dev NAME]": @ctx is the ifindex. */
int nsw_arg_dev_only(void *ctx, const char *key, const char *val)
{
	if (!strcmp(key, "dev"))
		return nsw_arg_dev(key, val, ctx);
	return NSW_UNKNOWN;
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
	nsw_err_lead();
	fprintf(stderr, "Invalid %s \"%s\", expected ", key, val);
	for (i = 0; i < n; i++)
		fprintf(stderr, "%s%s", nsw_list_sep(i, n), names[i]);
	fputs(".\n", stderr);
	return NSW_EXIT_USAGE;
}

/* @s as a decimal number up to @max, digits only; false if it is not. */
bool nsw_uint(const char *s, unsigned int max, unsigned int *num)
{
	unsigned long n;
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (*end || errno || n > max)
		return false;
	*num = n;
	return true;
}

/*
 * Whether @name can name a port group: 1 to 15 ASCII letters, digits, '.',
 * '_' and '-', as the kernel takes for a new one, and as a configuration
 * file holds it (no blank, comment character or newline).
 */
bool nsw_pg_name_valid(const char *name)
{
	const char *s;

	for (s = name; *s; s++)
		if (!(isascii((unsigned char)*s) && isalnum((unsigned char)*s)) &&
		    !strchr("._-", *s))
			return false;
	return s > name && s - name < NESTSW_PG_NAME_LEN;
}

/* The value of "KEY NAME": a port group name (nsw_pg_name_valid()). */
int nsw_arg_name(const char *key, const char *val, const char **name)
{
	if (!val)
		return nsw_missing(key);
	if (!nsw_pg_name_valid(val)) {
		nsw_err_lead();
		fprintf(stderr,
			"Invalid %s \"%s\", expected 1 to %d letters, digits, \".\", \"_\" or \"-\".\n",
			key, val, NESTSW_PG_NAME_LEN - 1);
		return NSW_EXIT_USAGE;
	}
	*name = val;
	return 0;
}

/* One to two hex digits of a MAC, then @sep; NULL if they are not there. */
static const char *nsw_mac_byte(const char *s, char sep, unsigned char *b)
{
	unsigned int v = 0;
	int i;

	for (i = 0; i < 2 && isxdigit((unsigned char)*s); i++, s++)
		v = v * 16 + (isdigit((unsigned char)*s) ? *s - '0' :
			      tolower((unsigned char)*s) - 'a' + 10);
	if (!i || *s != sep)
		return NULL;
	*b = v;
	return s + 1;
}

/*
 * The value of "KEY MAC": six bytes as xx:xx:xx:xx:xx:xx, a guest's own
 * address, so neither multicast nor all zeros.
 */
int nsw_arg_mac(const char *key, const char *val, unsigned char *mac)
{
	const char *s = val;
	const char *why = "expected xx:xx:xx:xx:xx:xx";
	int i;

	if (!val)
		return nsw_missing(key);
	for (i = 0; s && i < NSW_MAC_LEN; i++)
		s = nsw_mac_byte(s, i + 1 < NSW_MAC_LEN ? ':' : '\0', &mac[i]);
	if (s) {
		why = NULL;
		if (mac[0] & 1)
			why = "a multicast address";
		else if (!(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
			why = "all zeros";
	}
	if (why) {
		nsw_err_lead();
		fprintf(stderr, "Invalid MAC \"%s\" for %s: %s.\n", val, key, why);
		return NSW_EXIT_USAGE;
	}
	return 0;
}

/* @mac as xx:xx:xx:xx:xx:xx in @buf (NSW_MAC_STRLEN). */
const char *nsw_mac_str(const unsigned char *mac, char *buf)
{
	snprintf(buf, NSW_MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

/* The name of @ifindex in @buf (IF_NAMESIZE), or "ifN" if it has none. */
const char *nsw_ifname(unsigned int ifindex, char *buf)
{
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "if%u", ifindex);
	return buf;
}

/* The value of "vlan VLAN": untagged, 1 to 4094 or trunk (0, 4095 too). */
int nsw_arg_vlan(const char *key, const char *val, int *vlan)
{
	unsigned int v;

	if (!val)
		return nsw_missing(key);
	if (!strcmp(val, "untagged")) {
		*vlan = 0;
	} else if (!strcmp(val, "trunk")) {
		*vlan = NESTSW_VLAN_TRUNK;
	} else if (nsw_uint(val, NESTSW_VLAN_TRUNK, &v)) {
		*vlan = v;
	} else {
		nsw_err_lead();
		fprintf(stderr,
			"Invalid %s \"%s\", expected untagged, 1 to 4094 or trunk.\n",
			key, val);
		return NSW_EXIT_USAGE;
	}
	return 0;
}

/* A port group's vlan as the tool writes it: "untagged", "trunk" or N. */
const char *nsw_vlan_str(unsigned int vlan, char *buf, size_t size)
{
	if (!vlan)
		return "untagged";
	if (vlan == NESTSW_VLAN_TRUNK)
		return "trunk";
	snprintf(buf, size, "%u", vlan);
	return buf;
}

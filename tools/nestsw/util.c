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

/* End an error message: ', try "nestsw CMD help".' (no CMD: the command). */
static int nsw_hint(const char *cmd)
{
	fprintf(stderr, ", try \"nestsw %s%shelp\".\n",
		cmd ? cmd : "", cmd ? " " : "");
	return NSW_EXIT_USAGE;
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
	return nsw_hint(cmd);
}

int nsw_missing(const char *key)
{
	nsw_err_lead();
	fprintf(stderr, "Missing value after \"%s\".\n", key);
	return NSW_EXIT_USAGE;
}

static const char *nsw_list_sep(unsigned int i, unsigned int n)
{
	if (!i)
		return "";
	return i + 1 < n ? ", " : " or ";
}

#define NSW_ABBREV_MAX	16	/* more names than any command has words */

/*
 * A word being matched, as ip's matches() does, against the names one
 * command takes: those it abbreviates (is a prefix of), in the order
 * offered, or the one it is in full.
 */
struct nsw_abbrev {
	const char *word;
	const char *cand[NSW_ABBREV_MAX];
	int idx[NSW_ABBREV_MAX];	/* the order in which each was offered */
	unsigned int n;
	int offered;
	int exact;			/* the index of the full name, or -1 */
};

static void nsw_abbrev_init(struct nsw_abbrev *ab, const char *word)
{
	*ab = (struct nsw_abbrev){ .word = word, .exact = -1 };
}

static void nsw_abbrev_offer(struct nsw_abbrev *ab, const char *name)
{
	int i = ab->offered++;

	if (!strcmp(ab->word, name))
		ab->exact = i;
	if (*ab->word && !strncmp(ab->word, name, strlen(ab->word)) &&
	    ab->n < NSW_ABBREV_MAX) {
		ab->cand[ab->n] = name;
		ab->idx[ab->n++] = i;
	}
}

/*
 * Which name the word stands for: the one it is in full; else the only
 * one it abbreviates; else, for a word of one letter, the first offered
 * (ip's "ip l", "ip a": the table's order decides). A longer word that
 * abbreviates several is ambiguous.
 *
 * Return: the index of the name in the order offered, or NSW_UNKNOWN
 * after printing 'Unknown WHAT' or 'Ambiguous WHAT', with a hint at @cmd.
 */
static int nsw_abbrev_pick(const struct nsw_abbrev *ab, const char *cmd,
			   const char *what)
{
	unsigned int i;

	if (ab->exact >= 0)
		return ab->exact;
	if (ab->n == 1 || (ab->n > 1 && !ab->word[1]))
		return ab->idx[0];
	nsw_err_lead();
	fprintf(stderr, "%s %s \"%s\"", ab->n ? "Ambiguous" : "Unknown",
		what, ab->word);
	for (i = 0; i < ab->n; i++)
		fprintf(stderr, "%s%s", i ? nsw_list_sep(i, ab->n) : " (",
			ab->cand[i]);
	if (ab->n)
		fputc(')', stderr);
	nsw_hint(cmd);
	return NSW_UNKNOWN;
}

/**
 * nsw_lookup() - the row of a table that a word names or abbreviates
 * @cmd: the command, named in hints, or NULL for the command itself
 * @what: what the rows are, for errors: "command"...
 * @word: the word
 * @names: the name of the first row; each row's follows @stride bytes on
 * @stride: the size of a row
 * @n: how many rows
 *
 * Return: the row's index, or NSW_UNKNOWN after printing why there is none.
 */
int nsw_lookup(const char *cmd, const char *what, const char *word,
	       const char *const *names, size_t stride, unsigned int n)
{
	struct nsw_abbrev ab;
	unsigned int i;

	nsw_abbrev_init(&ab, word);
	for (i = 0; i < n; i++)
		nsw_abbrev_offer(&ab, *(const char *const *)
				 ((const char *)names + i * stride));
	return nsw_abbrev_pick(&ab, cmd, what);
}

/**
 * nsw_run_subcmd() - run the subcommand that argv[0] names or abbreviates
 * @cmd: the command, named in hints
 * @subs: its subcommands; the first runs when none is named
 * @n: how many
 * @argc: number of words after @cmd
 * @argv: the words
 *
 * Return: the subcommand's exit code, NSW_HELP for "help", or
 * NSW_EXIT_USAGE if unknown or ambiguous.
 */
int nsw_run_subcmd(const char *cmd, const struct nsw_subcmd *subs,
		   unsigned int n, int argc, char **argv)
{
	int i;

	if (!argc)
		return subs[0].run(0, argv);
	if (!strcmp(*argv, "help"))
		return NSW_HELP;
	i = nsw_lookup(cmd, "command", *argv, &subs[0].name, sizeof(*subs), n);
	if (i < 0)
		return NSW_EXIT_USAGE;
	return subs[i].run(argc - 1, argv + 1);
}

/* While a keyword is looked up: the names the callback tests it against. */
static struct nsw_abbrev *nsw_probe;

/**
 * nsw_kw() - whether a keyword of a nsw_parse_pairs() callback is @name
 * @key: the keyword, as the callback got it
 * @name: a keyword the command takes, in full
 *
 * nsw_parse_pairs() first calls the callback to learn which keywords it
 * takes, where nsw_kw() only notes @name and answers false; then with
 * @key in full, the one the word on the command line abbreviates.
 */
bool nsw_kw(const char *key, const char *name)
{
	if (nsw_probe) {
		nsw_abbrev_offer(nsw_probe, name);
		return false;
	}
	return !strcmp(key, name);
}

/*
 * The keyword @word stands for, in full, among those @fn takes (asked
 * with no value: it tests every keyword it takes with nsw_kw() and
 * returns NSW_UNKNOWN); NULL after printing why there is none.
 */
static const char *nsw_keyword(const char *cmd, const char *word,
			       int (*fn)(void *ctx, const char *key,
					 const char *val), void *ctx)
{
	struct nsw_abbrev ab;
	int i;

	nsw_abbrev_init(&ab, word);
	nsw_probe = &ab;
	fn(ctx, word, NULL);
	nsw_probe = NULL;
	i = nsw_abbrev_pick(&ab, cmd, "keyword");
	if (i < 0)
		return NULL;
	return i == ab.exact ? word : ab.cand[0];
}

/* Is @key, in full, a keyword already given in @keys (@n of them)? */
static bool nsw_repeated(const char **keys, int n, const char *key)
{
	int j;

	for (j = 0; j < n; j++)
		if (!strcmp(keys[j], key))
			return true;
	return false;
}

#define NSW_PAIRS_MAX	64	/* keywords on a command line, at most */

/* Is "help" one of the keywords (even positions) of @argv? */
static bool nsw_has_help(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i += 2)
		if (!strcmp(argv[i], "help"))
			return true;
	return false;
}

/**
 * nsw_parse_pairs() - walk a command line made of "KEYWORD VALUE" pairs
 * @cmd: the command, named in hints
 * @argc: number of words
 * @argv: the words; a keyword may be abbreviated (nsw_kw())
 * @fn: called for each pair, with the keyword in full, with @val NULL if
 *	the line ends after it; tests keywords with nsw_kw(); returns 0, an
 *	exit code after printing why, or NSW_UNKNOWN
 * @ctx: passed to @fn
 *
 * Return: 0, an exit code, or NSW_HELP if a keyword is "help" (then
 * nothing else is read); unknown, ambiguous and repeated keywords are
 * refused.
 */
int nsw_parse_pairs(const char *cmd, int argc, char **argv,
		    int (*fn)(void *ctx, const char *key, const char *val),
		    void *ctx)
{
	const char *keys[NSW_PAIRS_MAX];
	int i, ret;

	if (nsw_has_help(argc, argv))
		return NSW_HELP;
	if (argc > 2 * NSW_PAIRS_MAX)
		return nsw_usage(cmd, "Too many words", NULL);
	for (i = 0; i < argc; i += 2) {
		keys[i / 2] = nsw_keyword(cmd, argv[i], fn, ctx);
		if (!keys[i / 2])
			return NSW_EXIT_USAGE;
		if (nsw_repeated(keys, i / 2, keys[i / 2]))
			return nsw_usage(cmd, "Duplicate keyword", keys[i / 2]);
		ret = fn(ctx, keys[i / 2], i + 1 < argc ? argv[i + 1] : NULL);
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
	if (nsw_kw(key, "dev"))
		return nsw_arg_dev(key, val, ctx);
	return NSW_UNKNOWN;
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

/* The value of "vlan VID" of an FDB entry: 0 to 4094. */
int nsw_arg_fdb_vlan(const char *key, const char *val, int *vid)
{
	unsigned int v;

	if (!val)
		return nsw_missing(key);
	if (!nsw_uint(val, NSW_FDB_VID_MAX, &v)) {
		nsw_err_lead();
		fprintf(stderr, "Invalid %s \"%s\", expected 0 to %d.\n", key,
			val, NSW_FDB_VID_MAX);
		return NSW_EXIT_USAGE;
	}
	*vid = v;
	return 0;
}

/* The value of "KEY off|on": 0 or 1. */
int nsw_arg_off_on(const char *key, const char *val, int *on)
{
	static const char *const off_on[] = { "off", "on" };

	return nsw_arg_choice(key, val, off_on, ARRAY_SIZE(off_on), on);
}

/* A port's "initial-mac MAC" or "effective-mac MAC"; sets *@given. */
int nsw_arg_port_mac(const char *key, const char *val, unsigned char *mac,
		     bool *given)
{
	*given = true;
	return nsw_arg_mac(key, val, mac);
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

// SPDX-License-Identifier: GPL-2.0
/*
 * nestsw -batch FILE: commands from a file (- for stdin), one a line, as
 * ip -batch reads them. A line holds the words one would give after
 * "nestsw [OPTIONS]"; the options of the command line apply to every
 * line. One process, one generic netlink socket for the whole file: that
 * is what makes a batch of hundreds of commands cheap.
 *
 *	nestsw [-j] [-p] [-s] [-n NETNS] [-force] -batch FILE
 *
 * A line that ends in a backslash continues on the next one, as ip's
 * getcmdline() has it. Every error message names the line, "FILE:LINE: "
 * (the first line of a command that goes on over several). The first
 * command that fails ends the batch with "Command failed FILE:LINE" (ip's words), or
 * with -force the batch goes on; the exit code is that line's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nestsw.h"

#define BATCH_MAX_WORDS	256	/* far more than any command takes */
#define BATCH_MAX_LINES	64	/* lines a command may go on over */

/**
 * struct batch_cmd - a command of the file, read over one line or more
 * @argv: its words, NULL after the last; they point into the lines
 * @argc: how many
 * @more: the lines after the first, which the command went on to
 * @n_more: how many
 */
struct batch_cmd {
	char *argv[BATCH_MAX_WORDS + 1];
	int argc;
	char *more[BATCH_MAX_LINES];
	unsigned int n_more;
};

/* Print why the line is wrong, after its "FILE:LINE: "; -1. */
static int batch_bad(const char *why)
{
	nsw_err_lead();
	fprintf(stderr, "%s.\n", why);
	return -1;
}

/*
 * Whether the unquoted word from @s to @end is the line's last and ends
 * in a backslash: the command continues on the next line, as ip's
 * getcmdline() reads it. The backslash is cut off.
 */
static bool batch_goes_on(char *s, char *end)
{
	if (end[strspn(end, " \t\r\n")] || end[-1] != '\\')
		return false;
	end[-1] = '\0';
	return true;
}

/*
 * Split @s into words, in place, after the @c->argc words @c has, as
 * iproute2's makeargs() does: blanks separate words; "..." or '...' make
 * one word of what they enclose, blanks and # included; a word that
 * starts with # starts a comment, to the end of the line. A backslash
 * that ends the line (outside a comment) acts as a blank, and sets @more.
 *
 * Return: 0, or -1 after printing why the line is wrong.
 */
static int batch_split(char *s, struct batch_cmd *c, bool *more)
{
	static const char blanks[] = " \t\r\n";
	char *end;

	*more = false;
	for (;;) {
		s += strspn(s, blanks);
		if (!*s || *s == '#')
			return 0;
		if (c->argc == BATCH_MAX_WORDS)
			return batch_bad("Too many words");
		if (*s == '"' || *s == '\'') {
			end = strchr(s + 1, *s);
			if (!end)
				return batch_bad("Unterminated quoted string");
			if (end[1] && !strchr(blanks, end[1]))
				return batch_bad("A quoted word ends at its closing quote");
			c->argv[c->argc++] = s + 1;
		} else {
			end = s + strcspn(s, blanks);
			*more = batch_goes_on(s, end);
			if (*s)
				c->argv[c->argc++] = s;
		}
		if (!*end)
			return 0;
		*end = '\0';
		s = end + 1;
	}
}

/*
 * Read the command that starts with @line: over the lines after it too,
 * while one ends in a backslash; @n counts the lines read.
 *
 * Return: 0, or -1 after printing why the command is wrong.
 */
static int batch_read(FILE *f, char *line, unsigned int *n,
		      struct batch_cmd *c)
{
	size_t size;
	bool more;

	if (batch_split(line, c, &more))
		return -1;
	while (more) {
		if (c->n_more == BATCH_MAX_LINES)
			return batch_bad("Too many continuation lines");
		line = NULL;
		size = 0;
		if (getline(&line, &size, f) < 0) {
			free(line);
			return batch_bad("Missing continuation line");
		}
		++*n;
		c->more[c->n_more++] = line;
		if (batch_split(line, c, &more))
			return -1;
	}
	return 0;
}

/* Run the command @c through @run; 0 for a blank line. */
static int batch_line(struct batch_cmd *c, int (*run)(int argc, char **argv))
{
	if (!c->argc)
		return 0;
	c->argv[c->argc] = NULL;
	/* a second -batch, or -j for one line: it would apply to none */
	if (c->argv[0][0] == '-') {
		nsw_err_lead();
		fprintf(stderr,
			"Option \"%s\" in a batch file: options go on the command line, before -batch.\n",
			c->argv[0]);
		return NSW_EXIT_USAGE;
	}
	return run(c->argc, c->argv);
}

/*
 * Read and run the command that starts with @line, line @n of @f; @n
 * becomes its last line. Errors name its first, as ip's do.
 */
static int batch_one(FILE *f, const char *file, char *line, unsigned int *n,
		     int (*run)(int argc, char **argv))
{
	struct batch_cmd c = {};
	unsigned int i;
	int err;

	nsw_err_batch_at(file, *n);
	err = batch_read(f, line, n, &c) ? NSW_EXIT_USAGE : batch_line(&c, run);
	for (i = 0; i < c.n_more; i++)
		free(c.more[i]);
	return err;
}

/* Run the commands of @f, named @file; the exit code of the first failed. */
static int batch_run(FILE *f, const char *file, bool force,
		     int (*run)(int argc, char **argv))
{
	unsigned int n = 0, first;
	char *line = NULL;
	size_t size = 0;
	int ret = 0, err;

	while (getline(&line, &size, f) >= 0) {
		first = ++n;
		err = batch_one(f, file, line, &n, run);
		if (!err)
			continue;
		fprintf(stderr, "Command failed %s:%u\n", file, first);
		ret = ret ?: err;
		if (!force)
			break;
	}
	nsw_err_batch_at(NULL, 0);
	if (ferror(f)) {
		fprintf(stderr, "Cannot read \"%s\": %s\n", file,
			strerror(errno));
		ret = ret ?: NSW_EXIT_USAGE;
	}
	free(line);
	return ret;
}

/**
 * nsw_batch() - run the commands of a file, one a line
 * @file: the file, or "-" for stdin
 * @force: go on after a line that failed
 * @run: runs the words of a command line, as main() does
 *
 * Return: 0 if every line succeeded, else the exit code of the first line
 * that failed (NSW_EXIT_USAGE if the file cannot be read).
 */
int nsw_batch(const char *file, bool force, int (*run)(int argc, char **argv))
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	int ret;

	if (!f) {
		fprintf(stderr, "Cannot open batch file \"%s\": %s\n", file,
			strerror(errno));
		return NSW_EXIT_USAGE;
	}
	ret = batch_run(f, file, force, run);
	if (f != stdin)
		fclose(f);
	return ret;
}

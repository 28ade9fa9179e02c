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
 * Every error message names the line, "FILE:LINE: ". The first line that
 * fails ends the batch with "Command failed FILE:LINE" (ip's words), or
 * with -force the batch goes on; the exit code is that line's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nestsw.h"
#include "print.h"

#define BATCH_MAX_WORDS	256	/* far more than any command takes */

/* Print why the line is wrong, after its "FILE:LINE: "; -1. */
static int batch_bad(const char *why)
{
	nsw_err_lead();
	fprintf(stderr, "%s.\n", why);
	return -1;
}

/*
 * Split @s into words, in place, as iproute2's makeargs() does: blanks
 * separate words; "..." or '...' make one word of what they enclose,
 * blanks and # included; a word that starts with # starts a comment, to
 * the end of the line.
 *
 * Return: the number of words in @argv (0 for a blank or comment line),
 * or -1 after printing why the line is wrong.
 */
static int batch_split(char *s, char **argv)
{
	static const char blanks[] = " \t\r\n";
	int argc = 0;
	char *end;

	for (;;) {
		s += strspn(s, blanks);
		if (!*s || *s == '#')
			return argc;
		if (argc == BATCH_MAX_WORDS)
			return batch_bad("Too many words");
		if (*s == '"' || *s == '\'') {
			end = strchr(s + 1, *s);
			if (!end)
				return batch_bad("Unterminated quoted string");
			if (end[1] && !strchr(blanks, end[1]))
				return batch_bad("A quoted word ends at its closing quote");
			argv[argc++] = s + 1;
		} else {
			end = s + strcspn(s, blanks);
			argv[argc++] = s;
		}
		if (!*end)
			return argc;
		*end = '\0';
		s = end + 1;
	}
}

/* Run the command of @line through @run; 0 for a blank line. */
static int batch_line(char *line, int (*run)(int argc, char **argv))
{
	char *argv[BATCH_MAX_WORDS + 1];
	int argc;

	argc = batch_split(line, argv);
	if (argc <= 0)
		return argc ? NSW_EXIT_USAGE : 0;
	argv[argc] = NULL;
	/* a second -batch, or -j for one line: it would apply to none */
	if (argv[0][0] == '-') {
		nsw_err_lead();
		fprintf(stderr,
			"Option \"%s\" in a batch file: options go on the command line, before -batch.\n",
			argv[0]);
		return NSW_EXIT_USAGE;
	}
	return run(argc, argv);
}

/* Run the lines of @f, named @file; the exit code of the first failed. */
static int batch_run(FILE *f, const char *file, bool force,
		     int (*run)(int argc, char **argv))
{
	unsigned int n = 0;
	char *line = NULL;
	size_t size = 0;
	int ret = 0, err;

	while (getline(&line, &size, f) >= 0) {
		nsw_err_batch_at(file, ++n);
		err = batch_line(line, run);
		nsw_print_end();
		if (!err)
			continue;
		fprintf(stderr, "Command failed %s:%u\n", file, n);
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

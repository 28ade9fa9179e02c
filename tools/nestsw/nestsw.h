/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nestsw: what every command shares: exit codes, the command table entry
 * and the command line helpers of util.c.
 */
#ifndef NSW_NESTSW_H
#define NSW_NESTSW_H

#include <stdbool.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Exit codes; the usage text in main.c and nestsw.8 document them. */
enum {
	NSW_EXIT_OK = 0,
	NSW_EXIT_USAGE = 1,	/* bad command line, no such device or netns */
	NSW_EXIT_KERNEL = 2,	/* the kernel refused, or could not be asked */
};

/* Returned by a keyword callback of nsw_parse_pairs() for a word it lacks. */
#define NSW_UNKNOWN	(-1)

/**
 * struct nsw_cmd - a command: a row of the table in main.c
 * @name: the word that selects it
 * @run: called with the words after @name; returns an exit code
 * @help: its usage, one line per form, each starting with @name
 */
struct nsw_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
};

/* -s: commands that have counters print them. */
extern bool nsw_stats;

int nsw_port(int argc, char **argv);
extern const char nsw_port_help[];

int nsw_usage(const char *cmd, const char *what, const char *word);
int nsw_parse_pairs(const char *cmd, int argc, char **argv,
		    int (*fn)(void *ctx, const char *key, const char *val),
		    void *ctx);
int nsw_arg_dev(const char *key, const char *val, unsigned int *ifindex);
int nsw_arg_choice(const char *key, const char *val,
		   const char *const *names, unsigned int n, int *choice);
const char *nsw_ifname(unsigned int ifindex, char *buf);

#endif /* NSW_NESTSW_H */

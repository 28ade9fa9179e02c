/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nestsw: what every command shares: exit codes, the command table entry
 * and the command line helpers of util.c.
 */
#ifndef NSW_NESTSW_H
#define NSW_NESTSW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define NSW_MAC_LEN	6
/* An FDB entry's VLAN: 0 to 4094 (4095 is the trunk of a port group). */
#define NSW_FDB_VID_MAX	(NESTSW_VLAN_TRUNK - 1)
#define NSW_MAC_STRLEN	18	/* "xx:xx:xx:xx:xx:xx" and its NUL */

/* Exit codes; the usage text in main.c and nestsw.8 document them. */
enum {
	NSW_EXIT_OK = 0,
	NSW_EXIT_USAGE = 1,	/* bad command line, no such device or netns */
	NSW_EXIT_KERNEL = 2,	/* the kernel refused, or could not be asked */
};

/* Returned by a keyword callback of nsw_parse_pairs() for a word it lacks. */
#define NSW_UNKNOWN	(-1)
/*
 * Returned by a command that found the word "help" where a keyword or a
 * subcommand goes: nsw_dispatch() prints the command's usage, exits 0.
 */
#define NSW_HELP	(-2)

/**
 * struct nsw_cmd - a command: a row of the table in main.c
 * @name: the word that selects it
 * @run: called with the words after @name; returns an exit code
 * @help: its usage, one line per form, each starting with @name
 * @where: prints what the words of @help stand for, or NULL
 */
struct nsw_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
	void (*where)(FILE *f);
};

/*
 * How a port group or a port is printed: by itself (pg show, port show,
 * stats), by itself among every switch's (pg show without dev: the text
 * names its switch too), or as a line under its switch (show), which
 * names the switch.
 */
enum nsw_view {
	NSW_VIEW_ALONE,
	NSW_VIEW_LIST,
	NSW_VIEW_NESTED,
};

/**
 * struct nsw_subcmd - a word after a command's name: "show", "set"...
 * @name: the word
 * @run: called with the words after it; returns an exit code
 */
struct nsw_subcmd {
	const char *name;
	int (*run)(int argc, char **argv);
};

/* -s: commands that have counters print them. */
extern bool nsw_show_stats;

int nsw_show(int argc, char **argv);
extern const char nsw_show_help[];
int nsw_policy(int argc, char **argv);
extern const char nsw_policy_help[];
void nsw_policy_where(FILE *f);
int nsw_pg(int argc, char **argv);
extern const char nsw_pg_help[];
void nsw_pg_where(FILE *f);
int nsw_port(int argc, char **argv);
extern const char nsw_port_help[];
void nsw_port_where(FILE *f);
int nsw_fdb(int argc, char **argv);
extern const char nsw_fdb_help[];
void nsw_fdb_where(FILE *f);
int nsw_stats(int argc, char **argv);
extern const char nsw_stats_help[];
int nsw_showconf(int argc, char **argv);
int nsw_setconf(int argc, char **argv);
int nsw_syncconf(int argc, char **argv);
extern const char nsw_showconf_help[];
extern const char nsw_setconf_help[];
extern const char nsw_syncconf_help[];
void nsw_conf_where(FILE *f);
int nsw_monitor(int argc, char **argv);
extern const char nsw_monitor_help[];
void nsw_monitor_where(FILE *f);

/* -batch FILE: each line's words to @run, which is nsw_dispatch(). */
int nsw_batch(const char *file, bool force, int (*run)(int argc, char **argv));

/* For show: the port groups of a switch, under it. */
int nsw_pg_list(unsigned int sw_ifindex);

void nsw_err_at(const char *file, unsigned int line);
void nsw_err_batch_at(const char *file, unsigned int line);
void nsw_err_lead(void);
int nsw_usage(const char *cmd, const char *what, const char *word);
int nsw_missing(const char *key);
int nsw_lookup(const char *cmd, const char *what, const char *word,
	       const char *const *names, size_t stride, unsigned int n);
bool nsw_kw(const char *key, const char *name);
int nsw_run_subcmd(const char *cmd, const struct nsw_subcmd *subs,
		   unsigned int n, int argc, char **argv);
int nsw_parse_pairs(const char *cmd, int argc, char **argv,
		    int (*fn)(void *ctx, const char *key, const char *val),
		    void *ctx);
int nsw_arg_dev(const char *key, const char *val, unsigned int *ifindex);
int nsw_arg_dev_only(void *ctx, const char *key, const char *val);
int nsw_arg_choice(const char *key, const char *val,
		   const char *const *names, unsigned int n, int *choice);
bool nsw_uint(const char *s, unsigned int max, unsigned int *num);
bool nsw_pg_name_valid(const char *name);
int nsw_arg_name(const char *key, const char *val, const char **name);
int nsw_arg_mac(const char *key, const char *val, unsigned char *mac);
int nsw_arg_vlan(const char *key, const char *val, int *vlan);
int nsw_arg_fdb_vlan(const char *key, const char *val, int *vid);
int nsw_arg_off_on(const char *key, const char *val, int *on);
int nsw_arg_port_mac(const char *key, const char *val, unsigned char *mac,
		     bool *given);
const char *nsw_vlan_str(unsigned int vlan, char *buf, size_t size);
const char *nsw_mac_str(const unsigned char *mac, char *buf);
const char *nsw_ifname(unsigned int ifindex, char *buf);

#endif /* NSW_NESTSW_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * nestsw: configure the nestsw virtual switch over generic netlink.
 *
 * Options first, then a command from nsw_cmds[], one file per command. A
 * new command is a new file and a row in that table. With -batch, the
 * commands come from a file instead (batch.c), each through
 * nsw_dispatch() as one from the command line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "genl.h"
#include "nestsw.h"
#include "print.h"

#define NSW_NETNS_DIR	"/run/netns"
#define NSW_OPT_FORCE	256	/* -force has no short form */

bool nsw_show_stats;

static const struct nsw_cmd nsw_cmds[] = {
	{ "show", nsw_show, nsw_show_help, NULL },
	{ "policy", nsw_policy, nsw_policy_help, nsw_policy_where },
	{ "pg", nsw_pg, nsw_pg_help, nsw_pg_where },
	{ "port", nsw_port, nsw_port_help, nsw_port_where },
	{ "fdb", nsw_fdb, nsw_fdb_help, nsw_fdb_where },
	{ "stats", nsw_stats, nsw_stats_help, NULL },
	{ "monitor", nsw_monitor, nsw_monitor_help, nsw_monitor_where },
	{ "showconf", nsw_showconf, nsw_showconf_help, nsw_conf_where },
	{ "setconf", nsw_setconf, nsw_setconf_help, nsw_conf_where },
	{ "syncconf", nsw_syncconf, nsw_syncconf_help, nsw_conf_where },
};

/* -json, --json and -j alike, as iproute2 takes them. */
static const struct option nsw_long_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "stats", no_argument, NULL, 's' },
	{ "netns", required_argument, NULL, 'n' },
	{ "batch", required_argument, NULL, 'b' },
	{ "force", no_argument, NULL, NSW_OPT_FORCE },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{}
};

struct nsw_options {
	bool json;
	bool pretty;
	bool version;
	bool help;
	bool force;
	const char *netns;
	const char *batch;
};

/*
 * Print @help, one "nestsw FORM" line per line, the first after @lead; a
 * line that starts with a blank continues the form before it.
 */
static void nsw_help_lines(FILE *f, const char *lead, const char *help)
{
	const char *end;

	while (*help) {
		end = strchrnul(help, '\n');
		fprintf(f, "%-7s%s%.*s\n", lead,
			*help == ' ' ? "       " : "nestsw ",
			(int)(end - help), help);
		lead = "";
		help = *end ? end + 1 : end;
	}
}

static void nsw_help_all(FILE *f)
{
	unsigned int i;

	fputs("Usage: nestsw [OPTIONS] COMMAND [ARGS]\n"
	      "       nestsw help [COMMAND]\n"
	      "       nestsw COMMAND help\n"
	      "Commands:\n", f);
	for (i = 0; i < ARRAY_SIZE(nsw_cmds); i++)
		nsw_help_lines(f, "", nsw_cmds[i].help);
	fputs("Options:\n"
	      "       -j, -json           JSON output\n"
	      "       -p, -pretty         indented JSON output (implies -j)\n"
	      "       -s, -stats          show statistics\n"
	      "       -n, -netns NETNS    run in network namespace NETNS\n"
	      "                           (/run/netns/NETNS, as ip -n)\n"
	      "       -b, -batch FILE     run the commands of FILE (- for stdin),\n"
	      "                           one a line, without \"nestsw\" and options;\n"
	      "                           stop at the first that fails\n"
	      "       -force              with -batch, go on after a failed line\n"
	      "       -V, -version        print the version\n"
	      "       -h, -help           print this help\n"
	      "Exit status:\n"
	      "       0  success\n"
	      "       1  bad command line: unknown command, keyword or value,\n"
	      "          no such device or network namespace\n"
	      "       2  the kernel refused the request (the error follows), or\n"
	      "          could not be asked: module not loaded, socket error\n"
	      "       With -batch: 0 if every line succeeded, else the status\n"
	      "       of the first line that failed; 1 if FILE cannot be read.\n",
	      f);
}

/*
 * The command @name names or abbreviates (nsw_lookup(): a one-letter
 * word is the first of nsw_cmds[] it starts, as "ip l" is ip link), or
 * NULL after printing why there is none.
 */
static const struct nsw_cmd *nsw_find(const char *name)
{
	int i;

	i = nsw_lookup(NULL, "command", name, &nsw_cmds[0].name,
		       sizeof(nsw_cmds[0]), ARRAY_SIZE(nsw_cmds));
	return i < 0 ? NULL : &nsw_cmds[i];
}

/*
 * -force in full only: getopt_long_only() would take "-f", iproute2's
 * -family, for its abbreviation.
 */
static bool nsw_is_force(const char *word)
{
	return !strcmp(word + strspn(word, "-"), "force");
}

static int nsw_parse_options(int argc, char **argv, struct nsw_options *o)
{
	int c;

	while ((c = getopt_long_only(argc, argv, "+jpsn:b:Vh",
				     nsw_long_options, NULL)) != -1) {
		switch (c) {
		case 'j':
			o->json = true;
			break;
		case 'p':
			o->pretty = true;
			break;
		case 's':
			nsw_show_stats = true;
			break;
		case 'n':
			o->netns = optarg;
			break;
		case 'b':
			o->batch = optarg;
			break;
		case NSW_OPT_FORCE:
			if (!nsw_is_force(argv[optind - 1])) {
				fprintf(stderr, "%s: unrecognized option '%s'\n"
					"Try \"nestsw help\".\n", argv[0],
					argv[optind - 1]);
				return NSW_EXIT_USAGE;
			}
			o->force = true;
			break;
		case 'V':
			o->version = true;
			break;
		case 'h':
			o->help = true;
			break;
		default:
			fputs("Try \"nestsw help\".\n", stderr);
			return NSW_EXIT_USAGE;
		}
	}
	return 0;
}

/*
 * Enter /run/netns/NAME as ip -n does. Sockets opened from here on, the
 * generic netlink one and those of if_nametoindex(), live in it.
 */
static int nsw_enter_netns(const char *name)
{
	char path[PATH_MAX];
	int fd, err;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, "..")) {
		fprintf(stderr, "Invalid network namespace name \"%s\"\n", name);
		return NSW_EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "%s/%s", NSW_NETNS_DIR, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "Cannot open network namespace \"%s\": %s\n",
			name, strerror(errno));
		return NSW_EXIT_USAGE;
	}
	err = setns(fd, CLONE_NEWNET) ? errno : 0;
	close(fd);
	if (err) {
		fprintf(stderr, "Cannot enter network namespace \"%s\": %s\n",
			name, strerror(err));
		return NSW_EXIT_KERNEL;
	}
	return 0;
}

/* The usage of @cmd, on stdout: it was asked for. */
static int nsw_help_cmd(const struct nsw_cmd *cmd)
{
	nsw_help_lines(stdout, "Usage:", cmd->help);
	if (cmd->where)
		cmd->where(stdout);
	return NSW_EXIT_OK;
}

/* "nestsw help [COMMAND]" */
static int nsw_help(int argc, char **argv)
{
	const struct nsw_cmd *cmd;

	if (!argc) {
		nsw_help_all(stdout);
		return NSW_EXIT_OK;
	}
	cmd = nsw_find(*argv);
	return cmd ? nsw_help_cmd(cmd) : NSW_EXIT_USAGE;
}

/*
 * Run the command of @argv; "help" after any word of it where a keyword
 * or a subcommand goes prints its usage instead. What it prints goes to
 * stdout when it ends, with -j only if it succeeded (print.c).
 */
static int nsw_dispatch(int argc, char **argv)
{
	const struct nsw_cmd *cmd;
	int ret;

	if (!argc) {
		nsw_help_all(stderr);
		return NSW_EXIT_USAGE;
	}
	if (!strcmp(*argv, "help"))
		return nsw_help(argc - 1, argv + 1);
	cmd = nsw_find(*argv);
	if (!cmd)
		return NSW_EXIT_USAGE;
	if (argc > 1 && !strcmp(argv[1], "help"))
		return nsw_help_cmd(cmd);
	nsw_print_begin();
	ret = cmd->run(argc - 1, argv + 1);
	nsw_print_end(ret == NSW_EXIT_OK);
	return ret == NSW_HELP ? nsw_help_cmd(cmd) : ret;
}

/* -batch FILE: the commands are in FILE, none after it. */
static int nsw_run_batch(const struct nsw_options *o, int argc, char **argv)
{
	if (argc) {
		fprintf(stderr,
			"\"%s\" after -batch FILE: the commands go in FILE, one a line.\n",
			*argv);
		return NSW_EXIT_USAGE;
	}
	return nsw_batch(o->batch, o->force, nsw_dispatch);
}

int main(int argc, char **argv)
{
	struct nsw_options o = {};
	int ret;

	ret = nsw_parse_options(argc, argv, &o);
	if (ret)
		return ret;
	if (o.version) {
		printf("nestsw %s\n", NSW_VERSION);
		return NSW_EXIT_OK;
	}
	if (o.help) {
		nsw_help_all(stdout);
		return NSW_EXIT_OK;
	}
	if (o.netns) {
		ret = nsw_enter_netns(o.netns);
		if (ret)
			return ret;
	}
	nsw_print_init(o.json, o.pretty);
	if (o.batch)
		ret = nsw_run_batch(&o, argc - optind, argv + optind);
	else
		ret = nsw_dispatch(argc - optind, argv + optind);
	nsw_genl_close();
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * nestsw: the configuration file of a switch, read and written.
 *
 * The format is INI, as WireGuard's: a [Switch] section (the default
 * policy), a [PortGroup] section per port group, a [Port] section per
 * port, "KEY = VALUE" lines whose keys and values are the tool's own
 * keywords (policy keys from policy.c's table). A comment starts with "#"
 * or ";" at the start of a line or after a blank (so "dev = a#b" names the
 * device a#b: no value showconf writes has a blank in it, a device name
 * cannot and a port group name has neither blank nor "#" nor ";"). Blanks
 * around a line, a key and a value do not count; a line may end in CRLF,
 * the last may lack its newline. nestsw.8 and Documentation/networking/
 * nestsw.rst describe it.
 *
 * The format is small enough to read here, line by line with getline(),
 * so that no line is too long and a NUL byte is an error of its line.
 * Every error of a file is printed, with its line; none stops the reading.
 *
 * A file's drop-ins, the files FILE.d/NAME.conf, are read after it in the
 * order of their names, as systemd reads a unit's: a file of port groups
 * the same on several hosts, each host's ports in a drop-in of its own.
 * Each piece starts outside any section, and adds sections: an object (the
 * [Switch], a port group, a port) is described in one place only, so a
 * drop-in cannot change what the shared file says behind its back. A
 * duplicate names both places.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "port.h"

enum conf_section {
	CONF_NONE,	/* before the first section */
	CONF_SWITCH,
	CONF_PG,
	CONF_PORT,
	CONF_BAD,	/* an unknown one: its keys are not looked at */
};

static const char *const conf_sections[] = {
	[CONF_SWITCH] = "Switch",
	[CONF_PG] = "PortGroup",
	[CONF_PORT] = "Port",
};

/**
 * struct conf_parse - reading a file and its drop-ins
 * @f: the file being read
 * @c: what they describe
 * @line: the line being read, counted over every piece (struct conf)
 * @first: the first line of the file being read
 * @sec: the section it is in
 * @seen: the keys of this section so far, to refuse a repeated one
 * @n_seen: how many
 * @errors: how many errors were printed
 */
struct conf_parse {
	FILE *f;
	struct conf *c;
	unsigned int line;
	unsigned int first;
	enum conf_section sec;
	char **seen;
	unsigned int n_seen;
	unsigned int errors;
};

/* Print "FILE:LINE: MESSAGE" and count it. */
static void conf_error(struct conf_parse *p, const char *fmt, ...)
{
	va_list ap;

	nsw_conf_err_at(p->c, p->line);
	nsw_err_lead();
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	p->errors++;
}

static void conf_nomem(void)
{
	perror("nestsw");
	exit(NSW_EXIT_KERNEL);
}

/* Append a zeroed element to @array of @n (then n + 1); exits if no memory. */
void *nsw_conf_grow(void *array, unsigned int *n, size_t size)
{
	char *a = realloc(array, (*n + 1) * size);

	if (!a)
		conf_nomem();
	memset(a + *n * size, 0, size);
	(*n)++;
	return a;
}

/* A port group as a file's section starts it: every VLAN, every uplink. */
static struct conf_pg *conf_new_pg(struct conf *c)
{
	struct conf_pg *pg;

	c->pgs = nsw_conf_grow(c->pgs, &c->n_pgs, sizeof(*c->pgs));
	pg = &c->pgs[c->n_pgs - 1];
	nsw_scope_init(&pg->scope);
	nsw_scope_given_all(&pg->scope);
	return pg;
}

static char *conf_strdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		conf_nomem();
	return d;
}

/*
 * Where @line is, for a message about the line being read: "line N" in
 * the same file, "FILE:N" in another. Free it.
 */
static char *conf_first(struct conf_parse *p, unsigned int line)
{
	const char *file, *here;
	unsigned int n, here_n;
	char *s;

	file = nsw_conf_line(p->c, line, &n);
	here = nsw_conf_line(p->c, p->line, &here_n);
	if ((file == here ? asprintf(&s, "line %u", n) :
			    asprintf(&s, "%s:%u", file, n)) < 0)
		conf_nomem();
	return s;
}

static void conf_forget_keys(struct conf_parse *p)
{
	while (p->n_seen)
		free(p->seen[--p->n_seen]);
}

/* "[NAME]": a new section begins. */
static void conf_section_start(struct conf_parse *p, const char *s)
{
	size_t len = strlen(s);
	struct conf *c = p->c;
	unsigned int i;
	char *first;

	conf_forget_keys(p);
	p->sec = CONF_BAD;
	if (s[len - 1] != ']') {
		conf_error(p, "Syntax error, expected [Section], KEY = VALUE or a comment.");
		return;
	}
	for (i = CONF_SWITCH; i < ARRAY_SIZE(conf_sections); i++)
		if (strlen(conf_sections[i]) == len - 2 &&
		    !strncmp(s + 1, conf_sections[i], len - 2))
			p->sec = i;
	switch (p->sec) {
	case CONF_SWITCH:
		if (c->switch_line) {
			first = conf_first(p, c->switch_line);
			conf_error(p, "A second [Switch] section (the first is at %s).",
				   first);
			free(first);
		}
		c->switch_line = p->line;
		break;
	case CONF_PG:
		conf_new_pg(c)->line = p->line;
		break;
	case CONF_PORT:
		c->ports = nsw_conf_grow(c->ports, &c->n_ports,
					 sizeof(*c->ports));
		c->ports[c->n_ports - 1].line = p->line;
		c->ports[c->n_ports - 1].guest_promisc = -1;
		break;
	default:
		conf_error(p, "Unknown section %s, expected [Switch], [PortGroup] or [Port].",
			   s);
	}
}

/* Refuse a key given twice in a section (fdb may be). */
static bool conf_repeated(struct conf_parse *p, const char *name)
{
	unsigned int i;

	if (!strcmp(name, "fdb"))
		return false;
	for (i = 0; i < p->n_seen; i++) {
		if (!strcmp(p->seen[i], name)) {
			conf_error(p, "Duplicate key \"%s\" in [%s].", name,
				   conf_sections[p->sec]);
			return true;
		}
	}
	p->seen = nsw_conf_grow(p->seen, &p->n_seen, sizeof(*p->seen));
	p->seen[p->n_seen - 1] = conf_strdup(name);
	return false;
}

/* The switch's default policy, and how the file treats other ports. */
static int conf_switch_key(struct conf_parse *p, const char *name,
			   const char *value)
{
	static const char *const other_ports[] = { "release", "keep" };
	int choice, ret;

	if (strcmp(name, "other-ports"))
		return nsw_policy_arg(&p->c->policy, name, value, false);
	ret = nsw_arg_choice(name, value, other_ports,
			     ARRAY_SIZE(other_ports), &choice);
	if (!ret)
		p->c->keep_other_ports = choice;
	return ret;
}

static int conf_pg_key(struct conf_parse *p, const char *name,
		       const char *value)
{
	struct conf_pg *pg = &p->c->pgs[p->c->n_pgs - 1];
	const char *s;
	int vlan, ret;

	if (!strcmp(name, "name")) {
		pg->name_line = p->line;
		ret = nsw_arg_name(name, value, &s);
		if (!ret)
			snprintf(pg->name, sizeof(pg->name), "%s", s);
		return ret;
	}
	if (!strcmp(name, "vlan")) {
		ret = nsw_arg_vlan(name, value, &vlan);
		pg->vlan = vlan;
		return ret;
	}
	if (!strcmp(name, "team"))
		return nsw_arg_off_on(name, value, &pg->team);
	ret = nsw_policy_arg(&pg->policy, name, value, false);
	if (ret != NSW_UNKNOWN)
		return ret;
	return nsw_scope_arg(&pg->scope, name, value);
}

/* "fdb = MAC" or "fdb = MAC vlan VID", blanks of any length between. */
static int conf_fdb_key(struct conf_parse *p, struct conf_port *port,
			const char *value)
{
	static const char *const vlan_word[] = { "vlan" };
	char *buf, *mac, *key, *vid, *more, *save;
	struct conf_fdb *e;
	int choice, ret = NSW_EXIT_USAGE;

	buf = conf_strdup(value);
	mac = strtok_r(buf, " \t", &save);
	key = strtok_r(NULL, " \t", &save);
	vid = strtok_r(NULL, " \t", &save);
	more = strtok_r(NULL, " \t", &save);
	port->fdb = nsw_conf_grow(port->fdb, &port->n_fdb, sizeof(*port->fdb));
	e = &port->fdb[port->n_fdb - 1];
	e->line = p->line;
	e->vid = -1;
	if (nsw_arg_mac("fdb", mac ? mac : "", e->mac) ||
	    (key && nsw_arg_choice("fdb", key, vlan_word, 1, &choice)))
		goto out;
	if (key && (!vid || more)) {
		conf_error(p, "Invalid fdb \"%s\", expected MAC [vlan 0..%d].",
			   value, NSW_FDB_VID_MAX);
		goto out;
	}
	if (key && nsw_arg_fdb_vlan("vlan", vid, &e->vid))
		goto out;
	if (nsw_conf_fdb(port, e) != e) {
		conf_error(p, "Duplicate fdb \"%s\".", value);
		goto out;
	}
	ret = 0;
out:
	free(buf);
	return ret;
}

static int conf_port_key(struct conf_parse *p, const char *name,
			 const char *value)
{
	struct conf_port *port = &p->c->ports[p->c->n_ports - 1];
	const char *s;
	int v, ret;

	if (!strcmp(name, "dev")) {
		port->dev_line = p->line;
		if (!*value || strlen(value) >= IF_NAMESIZE) {
			conf_error(p, "Invalid dev \"%s\", expected a device name.",
				   value);
			return NSW_EXIT_USAGE;
		}
		snprintf(port->dev, sizeof(port->dev), "%s", value);
		return 0;
	}
	if (!strcmp(name, "pg")) {
		ret = nsw_arg_name(name, value, &s);
		if (!ret)
			snprintf(port->pg, sizeof(port->pg), "%s", s);
		return ret;
	}
	if (!strcmp(name, "role")) {
		ret = nsw_arg_role(name, value, &v);
		port->role = v;
		return ret;
	}
	if (!strcmp(name, "initial-mac"))
		return nsw_arg_port_mac(name, value, port->initial_mac,
					&port->has_initial);
	if (!strcmp(name, "effective-mac"))
		return nsw_arg_port_mac(name, value, port->effective_mac,
					&port->has_effective);
	if (!strcmp(name, "guest-promiscuous"))
		return nsw_arg_off_on(name, value, &port->guest_promisc);
	if (!strcmp(name, "fdb"))
		return conf_fdb_key(p, port, value);
	return NSW_UNKNOWN;
}

/* "NAME = VALUE" in the current section. */
static void conf_key(struct conf_parse *p, const char *name,
		     const char *value)
{
	int ret;

	switch (p->sec) {
	case CONF_NONE:
		conf_error(p, "Key \"%s\" before any section.", name);
		return;
	case CONF_BAD:
		return;	/* the section was refused */
	default:
		break;
	}
	if (conf_repeated(p, name))
		return;
	if (p->sec == CONF_SWITCH)
		ret = conf_switch_key(p, name, value);
	else if (p->sec == CONF_PG)
		ret = conf_pg_key(p, name, value);
	else
		ret = conf_port_key(p, name, value);
	if (ret == NSW_UNKNOWN)
		conf_error(p, "Unknown key \"%s\" in [%s].", name,
			   conf_sections[p->sec]);
	else if (ret)
		p->errors++;	/* printed where it was found */
}

/* Blanks off both ends of @s. */
static char *conf_trim(char *s)
{
	char *end = s + strlen(s);

	while (isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return s;
}

/* Cut @s at its comment: "#" or ";" at its start or after a blank. */
static void conf_cut_comment(char *s)
{
	char *c;

	for (c = s; *c; c++) {
		if ((*c == '#' || *c == ';') &&
		    (c == s || isblank((unsigned char)c[-1]))) {
			*c = '\0';
			return;
		}
	}
}

/* One line of @len bytes, its newline included if it has one. */
static void conf_line(struct conf_parse *p, char *s, size_t len)
{
	char *eq;

	nsw_conf_err_at(p->c, p->line);
	if (memchr(s, '\0', len)) {
		conf_error(p, "A NUL byte in the line.");
		return;
	}
	if (p->line == p->first && !strncmp(s, "\xef\xbb\xbf", 3))
		s += 3;	/* a UTF-8 byte order mark */
	conf_cut_comment(s);
	s = conf_trim(s);
	if (!*s)
		return;
	if (*s == '[') {
		conf_section_start(p, s);
		return;
	}
	eq = strchr(s, '=');
	if (!eq || eq == s) {
		conf_error(p, "Syntax error, expected [Section], KEY = VALUE or a comment.");
		return;
	}
	*eq = '\0';
	conf_key(p, conf_trim(s), conf_trim(eq + 1));
}

/* What the module would refuse of @pg's trunk VLANs and uplinks. */
static void conf_check_scope(struct conf_parse *p, const struct conf_pg *pg)
{
	const char *twice = nsw_scope_twice(&pg->scope);

	if (nsw_scope_some_vlans(&pg->scope) && pg->vlan != NESTSW_VLAN_TRUNK)
		conf_error(p, "Port group \"%s\": trunk-vlans are for a trunk (vlan = trunk).",
			   pg->name);
	if (twice)
		conf_error(p, "Port group \"%s\" names uplink %s twice (active or standby).",
			   pg->name, twice);
}

/*
 * Every port group named once, with what the module takes; "default"
 * there, as every switch has it.
 */
static void conf_check_pgs(struct conf_parse *p)
{
	struct conf *c = p->c;
	struct conf_pg *pg, *first;
	unsigned int i;
	char *where;

	for (i = 0; i < c->n_pgs; i++) {
		pg = &c->pgs[i];
		p->line = pg->line;
		first = nsw_conf_pg(c, pg->name);
		if (!pg->name_line) {
			conf_error(p, "[PortGroup] without a name.");
		} else if (pg->name[0] && first != pg) {
			where = conf_first(p, first->line);
			conf_error(p, "Duplicate port group \"%s\" (first at %s).",
				   pg->name, where);
			free(where);
		}
		conf_check_scope(p, pg);
	}
	if (!nsw_conf_pg(c, NSW_CONF_DEFAULT_PG))
		strcpy(conf_new_pg(c)->name, NSW_CONF_DEFAULT_PG);
}

/* Every port named once, in a port group of the file. */
static void conf_check_ports(struct conf_parse *p)
{
	struct conf *c = p->c;
	struct conf_port *port;
	unsigned int i, j;
	char *where;

	for (i = 0; i < c->n_ports; i++) {
		port = &c->ports[i];
		p->line = port->line;
		if (!port->dev[0]) {
			/* a dev refused where it was given is an error there */
			if (!port->dev_line)
				conf_error(p, "[Port] without a dev.");
			continue;
		}
		if (!port->pg[0])
			strcpy(port->pg, NSW_CONF_DEFAULT_PG);
		if (!nsw_conf_pg(c, port->pg))
			conf_error(p, "Port group \"%s\" of port %s is not in the file.",
				   port->pg, port->dev);
		for (j = 0; j < i; j++) {
			if (strcmp(c->ports[j].dev, port->dev))
				continue;
			where = conf_first(p, c->ports[j].line);
			conf_error(p, "Duplicate port %s (first at %s).",
				   port->dev, where);
			free(where);
		}
	}
}

/* The lines of @p->f; its errors printed. Return: 0, or an exit code. */
static int conf_parse_file(struct conf_parse *p, const char *file)
{
	size_t size = 0;
	char *buf = NULL;
	ssize_t len;
	int err;

	p->sec = CONF_NONE;	/* a section ends with its file */
	p->first = p->line + 1;
	while ((len = getline(&buf, &size, p->f)) >= 0) {
		p->line++;
		conf_line(p, buf, len);
	}
	err = errno;
	free(buf);
	conf_forget_keys(p);
	if (!ferror(p->f))
		return 0;
	nsw_err_at(NULL, 0);	/* the message names the file */
	nsw_err_lead();
	fprintf(stderr, "%s: cannot read: %s\n", file, strerror(err));
	return err == ENOMEM ? NSW_EXIT_KERNEL : NSW_EXIT_USAGE;
}

/* Read @file (its name, which @p->c keeps) as the next piece. */
static int conf_read_piece(struct conf_parse *p, char *file)
{
	struct conf *c = p->c;
	int ret;

	c->pieces = nsw_conf_grow(c->pieces, &c->n_pieces, sizeof(*c->pieces));
	c->pieces[c->n_pieces - 1].file = file;
	c->pieces[c->n_pieces - 1].base = p->line;
	p->f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	if (!p->f) {
		nsw_err_at(NULL, 0);
		nsw_err_lead();
		fprintf(stderr, "Cannot open \"%s\": %s\n", file,
			strerror(errno));
		return NSW_EXIT_USAGE;
	}
	ret = conf_parse_file(p, file);
	if (p->f != stdin)
		fclose(p->f);
	return ret;
}

/* A drop-in: NAME.conf, not hidden. */
static int conf_dropin(const struct dirent *d)
{
	size_t len = strlen(d->d_name);

	return d->d_name[0] != '.' && len > 5 &&
	       !strcmp(d->d_name + len - 5, ".conf");
}

/* By name, byte by byte, whatever the locale. */
static int conf_dropin_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* The drop-ins of @file, in the order of their names; none is no error. */
static int conf_read_dropins(struct conf_parse *p, const char *file)
{
	struct dirent **names;
	int n, i, ret = 0;
	char *dir, *path;

	if (asprintf(&dir, "%s.d", file) < 0)
		conf_nomem();
	n = scandir(dir, &names, conf_dropin, conf_dropin_cmp);
	if (n < 0 && errno != ENOENT) {
		nsw_err_at(NULL, 0);
		nsw_err_lead();
		fprintf(stderr, "Cannot read the directory \"%s\": %s\n", dir,
			strerror(errno));
		ret = errno == ENOMEM ? NSW_EXIT_KERNEL : NSW_EXIT_USAGE;
	}
	for (i = 0; i < n; i++) {
		if (asprintf(&path, "%s/%s", dir, names[i]->d_name) < 0)
			conf_nomem();
		free(names[i]);
		ret = conf_read_piece(p, path) ?: ret;
	}
	if (n >= 0)
		free(names);
	free(dir);
	return ret;
}

/**
 * nsw_conf_read_file() - read and check a configuration file and its
 *	drop-ins
 * @file: its name, or "-" for stdin (which has no drop-ins)
 * @c: zeroed; what they describe (free it with nsw_conf_free(), even on
 *	failure)
 *
 * Every error found is printed, as "FILE:LINE: MESSAGE", FILE the piece
 * it is in.
 *
 * Return: 0, or an exit code.
 */
int nsw_conf_read_file(const char *file, struct conf *c)
{
	struct conf_parse p = { .c = c };
	int ret;

	ret = conf_read_piece(&p, conf_strdup(file));
	if (strcmp(file, "-") && ret != NSW_EXIT_KERNEL)
		ret = conf_read_dropins(&p, file) ?: ret;
	free(p.seen);
	if (!ret) {	/* a piece missing would make errors of the others */
		conf_check_pgs(&p);
		conf_check_ports(&p);
		nsw_policy_defaults(&c->policy);
		ret = p.errors ? NSW_EXIT_USAGE : 0;
	}
	nsw_err_at(NULL, 0);
	return ret;
}

/**
 * nsw_conf_line() - the file of a line of a configuration
 * @c: the configuration
 * @line: a line of it, counted over all its pieces (not 0)
 * @file_line: set to the line's number in its file
 *
 * Return: the file's name, which lives as long as @c.
 */
const char *nsw_conf_line(const struct conf *c, unsigned int line,
			  unsigned int *file_line)
{
	unsigned int i = c->n_pieces;

	while (i > 1 && c->pieces[i - 1].base >= line)
		i--;
	*file_line = line - c->pieces[i - 1].base;
	return c->pieces[i - 1].file;
}

/* Errors are about @line of @c from now on (none if 0): nsw_err_at(). */
void nsw_conf_err_at(const struct conf *c, unsigned int line)
{
	const char *file = NULL;
	unsigned int n = 0;

	if (line)
		file = nsw_conf_line(c, line, &n);
	nsw_err_at(file, n);
}

static void conf_write_mac(FILE *f, const char *key, bool has,
			   const unsigned char *mac)
{
	char text[NSW_MAC_STRLEN];

	if (has)
		fprintf(f, "%s = %s\n", key, nsw_mac_str(mac, text));
}

static void conf_write_port(FILE *f, const struct conf_port *port)
{
	char text[NSW_MAC_STRLEN];
	unsigned int i;

	fprintf(f, "\n[Port]\ndev = %s\npg = %s\nrole = %s\n", port->dev,
		port->pg, nsw_port_roles[port->role]);
	conf_write_mac(f, "initial-mac", port->has_initial,
		       port->initial_mac);
	conf_write_mac(f, "effective-mac", port->has_effective,
		       port->effective_mac);
	if (port->guest_promisc >= 0)
		fprintf(f, "guest-promiscuous = %s\n",
			port->guest_promisc ? "on" : "off");
	for (i = 0; i < port->n_fdb; i++) {
		fprintf(f, "fdb = %s", nsw_mac_str(port->fdb[i].mac, text));
		if (port->fdb[i].vid >= 0)
			fprintf(f, " vlan %d", port->fdb[i].vid);
		fputc('\n', f);
	}
}

/* @c in the format nsw_conf_read_file() reads. */
void nsw_conf_write(FILE *f, const struct conf *c)
{
	char num[8];
	unsigned int i;

	fputs("[Switch]\n", f);
	nsw_policy_write(f, &c->policy);
	for (i = 0; i < c->n_pgs; i++) {
		fprintf(f, "\n[PortGroup]\nname = %s\nvlan = %s\n",
			c->pgs[i].name,
			nsw_vlan_str(c->pgs[i].vlan, num, sizeof(num)));
		if (c->pgs[i].team)
			fputs("team = on\n", f);
		nsw_scope_write(f, &c->pgs[i].scope);
		nsw_policy_write(f, &c->pgs[i].policy);
	}
	for (i = 0; i < c->n_ports; i++)
		conf_write_port(f, &c->ports[i]);
}

void nsw_conf_free(struct conf *c)
{
	unsigned int i;

	for (i = 0; i < c->n_ports; i++)
		free(c->ports[i].fdb);
	free(c->ports);
	free(c->pgs);
	for (i = 0; i < c->n_pieces; i++)
		free(c->pieces[i].file);
	free(c->pieces);
}

/* The port group @name of @c, or NULL. */
struct conf_pg *nsw_conf_pg(const struct conf *c, const char *name)
{
	unsigned int i;

	for (i = 0; i < c->n_pgs; i++)
		if (!strcmp(c->pgs[i].name, name))
			return &c->pgs[i];
	return NULL;
}

/* The port of @c on device @ifindex, or NULL. */
struct conf_port *nsw_conf_port(const struct conf *c, unsigned int ifindex)
{
	unsigned int i;

	for (i = 0; i < c->n_ports; i++)
		if (c->ports[i].ifindex == ifindex)
			return &c->ports[i];
	return NULL;
}

/* The first entry of @p for the MAC and VLAN of @e, or NULL. */
const struct conf_fdb *nsw_conf_fdb(const struct conf_port *p,
				    const struct conf_fdb *e)
{
	unsigned int i;

	for (i = 0; i < p->n_fdb; i++)
		if (p->fdb[i].vid == e->vid &&
		    !memcmp(p->fdb[i].mac, e->mac, NSW_MAC_LEN))
			return &p->fdb[i];
	return NULL;
}

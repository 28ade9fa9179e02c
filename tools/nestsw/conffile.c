// SPDX-License-Identifier: GPL-2.0
/*
 * nestsw: the configuration file of a switch, read and written.
 *
 * The format is INI, as WireGuard's: a [Switch] section (the default
 * policy), a [PortGroup] section per port group, a [Port] section per
 * port, "KEY = VALUE" lines whose keys and values are the tool's own
 * keywords (policy keys from policy.c's table), comments from "#" or ";"
 * (and after " ;" on a line). nestsw.8 and Documentation/networking/
 * nestsw.rst describe it.
 *
 * libinih parses the lines; a reader of ours feeds it, one line a call,
 * and so knows the line number of each key (the library's handler is not
 * given it) and where each section starts (it is not told either, and
 * two [Port] sections in a row would otherwise read as one). Lines may not
 * start with blanks: libinih would take them for a continued value.
 */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
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

#define CONF_MAX_KEYS	24	/* distinct keys in a section, at most */
#define CONF_KEY_LEN	32

/**
 * struct conf_parse - reading one file
 * @f: the file
 * @c: what it describes
 * @line: the line libinih is at
 * @sec: the section it is in
 * @seen: the keys of this section so far, to refuse a repeated one
 * @n_seen: how many
 * @handler_err: the first line the handler refused, or 0
 * @errors: how many errors were printed
 */
struct conf_parse {
	FILE *f;
	struct conf *c;
	unsigned int line;
	enum conf_section sec;
	char seen[CONF_MAX_KEYS][CONF_KEY_LEN];
	unsigned int n_seen;
	unsigned int handler_err;
	unsigned int errors;
};

/* Print "FILE:LINE: MESSAGE" and count it. */
static void conf_error(struct conf_parse *p, const char *fmt, ...)
{
	va_list ap;

	nsw_err_at(p->c->file, p->line);
	nsw_err_lead();
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	p->errors++;
}

/* Append a zeroed element to @array of @n (then n + 1); exits if no memory. */
void *nsw_conf_grow(void *array, unsigned int *n, size_t size)
{
	char *a = realloc(array, (*n + 1) * size);

	if (!a) {
		perror("nestsw");
		exit(NSW_EXIT_KERNEL);
	}
	memset(a + *n * size, 0, size);
	(*n)++;
	return a;
}

/* "[NAME]" at the start of the line: a new section begins. */
static void conf_section_start(struct conf_parse *p, const char *s)
{
	const char *end = strchr(s, ']');
	struct conf *c = p->c;
	unsigned int i;

	p->n_seen = 0;
	p->sec = CONF_BAD;
	if (!end)
		return;	/* libinih says so */
	for (i = CONF_SWITCH; i < ARRAY_SIZE(conf_sections); i++)
		if (strlen(conf_sections[i]) == (size_t)(end - s - 1) &&
		    !strncmp(s + 1, conf_sections[i], end - s - 1))
			p->sec = i;
	switch (p->sec) {
	case CONF_SWITCH:
		if (c->switch_line)
			conf_error(p, "A second [Switch] section (the first is at line %u).",
				   c->switch_line);
		c->switch_line = p->line;
		break;
	case CONF_PG:
		c->pgs = nsw_conf_grow(c->pgs, &c->n_pgs, sizeof(*c->pgs));
		c->pgs[c->n_pgs - 1].line = p->line;
		break;
	case CONF_PORT:
		c->ports = nsw_conf_grow(c->ports, &c->n_ports,
					 sizeof(*c->ports));
		c->ports[c->n_ports - 1].line = p->line;
		c->ports[c->n_ports - 1].guest_promisc = -1;
		break;
	default:
		conf_error(p, "Unknown section %.*s, expected [Switch], [PortGroup] or [Port].",
			   (int)(end - s + 1), s);
	}
}

/* libinih's reader: fgets(), counting lines and watching for sections. */
static char *conf_reader(char *str, int num, void *stream)
{
	struct conf_parse *p = stream;
	const char *s = str;
	size_t len;
	int ch;

	if (!fgets(str, num, p->f))
		return NULL;
	p->line++;
	len = strlen(str);
	if (len && str[len - 1] != '\n' && !feof(p->f)) {
		conf_error(p, "Line too long, at most %d characters.", num - 3);
		do
			ch = fgetc(p->f);
		while (ch != EOF && ch != '\n');
		str[0] = '\0';
		return str;
	}
	if (p->line == 1 && !strncmp(s, "\xef\xbb\xbf", 3))
		s += 3;	/* a UTF-8 BOM, which libinih skips */
	if (isblank((unsigned char)*s)) {
		while (isspace((unsigned char)*s))
			s++;
		if (*s) {
			conf_error(p, "A line may not start with blanks.");
			str[0] = '\0';
		}
		return str;
	}
	if (*s == '[') {
		conf_section_start(p, s);
	} else if (*s && !strchr(";#\r\n", *s) && !strpbrk(s, "=:")) {
		conf_error(p, "Syntax error, expected [Section], KEY = VALUE or a comment.");
		str[0] = '\0';
	}
	return str;
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
	if (p->n_seen < CONF_MAX_KEYS)
		snprintf(p->seen[p->n_seen++], CONF_KEY_LEN, "%s", name);
	return false;
}

static int conf_switch_key(struct conf_parse *p, const char *name,
			   const char *value)
{
	return nsw_policy_arg(&p->c->policy, name, value, false);
}

static int conf_pg_key(struct conf_parse *p, const char *name,
		       const char *value)
{
	struct conf_pg *pg = &p->c->pgs[p->c->n_pgs - 1];
	const char *s;
	int vlan, ret;

	if (!strcmp(name, "name")) {
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
	return nsw_policy_arg(&pg->policy, name, value, false);
}

/* "fdb = MAC" or "fdb = MAC vlan VID". */
static int conf_fdb_key(struct conf_parse *p, struct conf_port *port,
			const char *value)
{
	static const char *const vlan_word[] = { "vlan" };
	char buf[64], *mac, *key, *vid, *more, *save;
	struct conf_fdb *e;
	unsigned int v;
	int choice;

	snprintf(buf, sizeof(buf), "%s", value);
	mac = strtok_r(buf, " \t", &save);
	key = strtok_r(NULL, " \t", &save);
	vid = strtok_r(NULL, " \t", &save);
	more = strtok_r(NULL, " \t", &save);
	port->fdb = nsw_conf_grow(port->fdb, &port->n_fdb, sizeof(*port->fdb));
	e = &port->fdb[port->n_fdb - 1];
	e->line = p->line;
	e->vid = -1;
	if (nsw_arg_mac("fdb", mac ? mac : "", e->mac))
		return NSW_EXIT_USAGE;
	if (key && nsw_arg_choice("fdb", key, vlan_word, 1, &choice))
		return NSW_EXIT_USAGE;
	if (key && (!vid || more || !nsw_uint(vid, NESTSW_VLAN_TRUNK - 1, &v))) {
		conf_error(p, "Invalid fdb \"%s\", expected MAC [vlan 0..%d].",
			   value, NESTSW_VLAN_TRUNK - 1);
		return NSW_EXIT_USAGE;
	}
	if (key)
		e->vid = v;
	if (nsw_conf_fdb(port, e) != e) {
		conf_error(p, "Duplicate fdb \"%s\".", value);
		return NSW_EXIT_USAGE;
	}
	return 0;
}

static int conf_port_mac(const char *name, const char *value,
			 unsigned char *mac, bool *has)
{
	*has = true;
	return nsw_arg_mac(name, value, mac);
}

static int conf_port_key(struct conf_parse *p, const char *name,
			 const char *value)
{
	static const char *const off_on[] = { "off", "on" };
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
		ret = nsw_arg_choice(name, value, nsw_port_roles,
				     ARRAY_SIZE(nsw_port_roles), &v);
		port->role = v;
		return ret;
	}
	if (!strcmp(name, "initial-mac"))
		return conf_port_mac(name, value, port->initial_mac,
				     &port->has_initial);
	if (!strcmp(name, "effective-mac"))
		return conf_port_mac(name, value, port->effective_mac,
				     &port->has_effective);
	if (!strcmp(name, "guest-promiscuous"))
		return nsw_arg_choice(name, value, off_on, ARRAY_SIZE(off_on),
				      &port->guest_promisc);
	if (!strcmp(name, "fdb"))
		return conf_fdb_key(p, port, value);
	return NSW_UNKNOWN;
}

/* libinih's handler: one "NAME = VALUE" of the current section. */
static int conf_handler(void *user, const char *section, const char *name,
			const char *value)
{
	struct conf_parse *p = user;
	int ret = 0;

	nsw_err_at(p->c->file, p->line);
	switch (p->sec) {
	case CONF_NONE:
		conf_error(p, "Key \"%s\" before any section.", name);
		ret = NSW_EXIT_USAGE;
		break;
	case CONF_BAD:
		return 1;	/* the section was refused */
	default:
		if (conf_repeated(p, name)) {
			ret = NSW_EXIT_USAGE;
			break;
		}
		if (p->sec == CONF_SWITCH)
			ret = conf_switch_key(p, name, value);
		else if (p->sec == CONF_PG)
			ret = conf_pg_key(p, name, value);
		else
			ret = conf_port_key(p, name, value);
		if (ret == NSW_UNKNOWN) {
			conf_error(p, "Unknown key \"%s\" in [%s].", name,
				   conf_sections[p->sec]);
		} else if (ret) {
			p->errors++;	/* printed where it was found */
		}
	}
	if (ret && !p->handler_err)
		p->handler_err = p->line;
	return !ret;
}

/* Every port group named once; "default" there, as every switch has it. */
static void conf_check_pgs(struct conf_parse *p)
{
	struct conf *c = p->c;
	struct conf_pg *pg, *first;
	unsigned int i;

	for (i = 0; i < c->n_pgs; i++) {
		pg = &c->pgs[i];
		p->line = pg->line;
		first = nsw_conf_pg(c, pg->name);
		if (!pg->name[0])
			conf_error(p, "[PortGroup] without a name.");
		else if (first != pg)
			conf_error(p, "Duplicate port group \"%s\" (first at line %u).",
				   pg->name, first->line);
	}
	if (!nsw_conf_pg(c, NSW_CONF_DEFAULT_PG)) {
		c->pgs = nsw_conf_grow(c->pgs, &c->n_pgs, sizeof(*c->pgs));
		strcpy(c->pgs[c->n_pgs - 1].name, NSW_CONF_DEFAULT_PG);
	}
}

/* Every port named once, in a port group of the file. */
static void conf_check_ports(struct conf_parse *p)
{
	struct conf *c = p->c;
	struct conf_port *port;
	unsigned int i, j;

	for (i = 0; i < c->n_ports; i++) {
		port = &c->ports[i];
		p->line = port->line;
		if (!port->dev[0]) {
			conf_error(p, "[Port] without a dev.");
			continue;
		}
		if (!port->pg[0])
			strcpy(port->pg, NSW_CONF_DEFAULT_PG);
		if (!nsw_conf_pg(c, port->pg))
			conf_error(p, "Port group \"%s\" of port %s is not in the file.",
				   port->pg, port->dev);
		for (j = 0; j < i; j++)
			if (!strcmp(c->ports[j].dev, port->dev))
				conf_error(p, "Duplicate port %s (first at line %u).",
					   port->dev, c->ports[j].line);
	}
}

static int conf_parse_file(struct conf_parse *p)
{
	int ret;

	ret = ini_parse_stream(conf_reader, p, conf_handler, p);
	if (ret > 0 && (unsigned int)ret != p->handler_err) {
		p->line = ret;
		conf_error(p, "Syntax error, expected [Section], KEY = VALUE or a comment.");
	} else if (ret < 0) {
		nsw_err_at(NULL, 0);	/* the message names the file */
		nsw_err_lead();
		fprintf(stderr, "%s: cannot parse: %s\n", p->c->file,
			strerror(ENOMEM));
		return NSW_EXIT_KERNEL;
	}
	if (ferror(p->f)) {
		nsw_err_at(NULL, 0);
		nsw_err_lead();
		fprintf(stderr, "%s: cannot read: %s\n", p->c->file,
			strerror(errno));
		return NSW_EXIT_USAGE;
	}
	conf_check_pgs(p);
	conf_check_ports(p);
	nsw_policy_defaults(&p->c->policy);
	return p->errors ? NSW_EXIT_USAGE : 0;
}

/**
 * nsw_conf_read_file() - read and check a configuration file
 * @file: its name, or "-" for stdin
 * @c: zeroed; what it describes (free it with nsw_conf_free(), even on
 *	failure)
 *
 * Every error found is printed, as "FILE:LINE: MESSAGE".
 *
 * Return: 0, or an exit code.
 */
int nsw_conf_read_file(const char *file, struct conf *c)
{
	struct conf_parse p = { .c = c };
	int ret;

	c->file = file;
	p.f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	if (!p.f) {
		nsw_err_lead();
		fprintf(stderr, "Cannot open \"%s\": %s\n", file,
			strerror(errno));
		return NSW_EXIT_USAGE;
	}
	ret = conf_parse_file(&p);
	if (p.f != stdin)
		fclose(p.f);
	nsw_err_at(NULL, 0);
	return ret;
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

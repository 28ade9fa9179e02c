// SPDX-License-Identifier: GPL-2.0
/*
 * nestsw showconf, setconf, syncconf: a switch's whole configuration as a
 * file (conffile.c), as WireGuard's wg showconf/setconf/syncconf.
 *
 *	nestsw showconf SW
 *	nestsw setconf SW FILE
 *	nestsw syncconf SW FILE
 *
 * setconf and syncconf read the whole file, and its drop-ins (FILE.d/,
 * conffile.c), and check them, and the devices they name, before anything
 * changes. They then plan the change, as a list
 * of requests from what the switch has now (confread.c) to what the file
 * says, each with the requests that undo it, and send them in order: port
 * groups created and changed, ports enslaved, static entries the file
 * lacks removed, ports the file lacks released, ports changed, static
 * entries added, port groups the file lacks deleted. Only what differs is
 * sent, so a port the file leaves as it is keeps its learned entries and
 * counters. If the kernel refuses a request, what was sent is undone, in
 * reverse. setconf then flushes the switch's learned entries, so that the
 * switch holds exactly what the file says; syncconf keeps them.
 *
 * A port whose device does not exist yet is left out ("nestsw-boot
 * hotplug", run by udev when it appears, applies the file again), and a
 * file with "other-ports = keep" releases no port it does not list (VM
 * taps that QEMU's script or libvirt's hook attached).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/nestsw.h>

#include "conf.h"
#include "genl.h"
#include "req.h"

const char nsw_showconf_help[] =
	"showconf SW\n";
const char nsw_setconf_help[] =
	"setconf [ --dry-run ] SW FILE\n";
const char nsw_syncconf_help[] =
	"syncconf [ --dry-run ] SW FILE\n";

void nsw_conf_where(FILE *f)
{
	fputs("where  FILE := a configuration file (see nestsw(8)), - for stdin;\n"
	      "       the files FILE.d/*.conf are read after it, in name order\n"
	      "       setconf: the switch becomes what FILE says: what FILE lacks\n"
	      "       is removed, ports are enslaved and released, learned\n"
	      "       entries flushed. syncconf: the same, but only what differs\n"
	      "       is changed: other ports keep their learned entries.\n"
	      "       All or nothing: a bad FILE changes nothing; a change the\n"
	      "       kernel refuses is undone. --dry-run prints the changes,\n"
	      "       one a line, and makes none.\n", f);
}

enum conf_op {
	CONF_SWITCH_SET,
	CONF_PG_NEW,
	CONF_PG_SET,
	CONF_PG_DEL,
	CONF_MASTER,	/* enslave to @master, or release if 0 */
	CONF_PORT_SET,
	CONF_FDB_NEW,
	CONF_FDB_DEL,
	CONF_FLUSH,
};

/**
 * struct conf_req - one request of a plan
 * @op: what it does
 * @ifindex: the switch (switch, port group, flush) or the port
 * @master: CONF_MASTER: the switch, or 0
 * @pg: the port group (its name, vlan and policy), for CONF_PG_*; or
 *	CONF_PORT_SET: the port group to move the port to, or NULL
 * @vlan: CONF_PG_SET: the vlan to set, or -1
 * @policy: CONF_SWITCH_SET, CONF_PG_SET: the values to set, and (pg) the
 *	keys to inherit again
 * @role: CONF_PORT_SET: the role to set, or -1
 * @promisc: CONF_PORT_SET: the guest promiscuous flag to set, or -1
 * @initial: CONF_PORT_SET: the initial MAC to set, or NULL
 * @effective: CONF_PORT_SET: the effective MAC to set, or NULL
 * @fdb: CONF_FDB_*: the entry
 * @line: the line of the file it comes from, or 0
 * @what: what it changes, in messages
 *
 * Pointers point into the configurations the plan was made from, which
 * live as long as it does.
 */
struct conf_req {
	enum conf_op op;
	unsigned int ifindex;
	unsigned int master;
	const struct conf_pg *pg;
	int vlan;
	struct nsw_policy policy;
	int role;
	int promisc;
	const unsigned char *initial;
	const unsigned char *effective;
	const struct conf_fdb *fdb;
	unsigned int line;
	char what[64];
};

/**
 * struct conf_step - a request, and what undoes it once it is done
 * @req: the request
 * @undo: requests that undo it, sent in this order
 * @n_undo: how many
 */
struct conf_step {
	struct conf_req req;
	struct conf_req *undo;
	unsigned int n_undo;
};

/**
 * struct conf_plan - from one configuration to another
 * @sw: the switch
 * @cur: what it has now
 * @want: what the file says
 * @steps: the requests, in order
 * @n_steps: how many
 */
struct conf_plan {
	unsigned int sw;
	struct conf *cur;
	struct conf *want;
	struct conf_step *steps;
	unsigned int n_steps;
};

/* ---- requests ------------------------------------------------------- */

/* PG_NEW of @r->pg as the file has it, PG_SET of what differs, PG_DEL. */
static int conf_pg_send(unsigned char cmd, const struct conf_req *r)
{
	struct nsw_pg_req pg = {
		.sw = r->ifindex, .name = r->pg->name, .vlan = -1, .team = -1,
	};

	if (cmd == NESTSW_CMD_PG_NEW) {
		pg.vlan = r->pg->vlan;
		pg.team = r->pg->team;
		pg.scope = &r->pg->scope;
		pg.policy = &r->pg->policy;
	} else if (cmd == NESTSW_CMD_PG_SET) {
		pg.vlan = r->vlan;
		pg.team = r->pg->team;
		pg.scope = &r->pg->scope;
		pg.policy = &r->policy;
	}
	return nsw_req_pg(cmd, &pg);
}

static int conf_port_send(const struct conf_req *r)
{
	struct nsw_port_req port = {
		.ifindex = r->ifindex, .pg = r->pg ? r->pg->name : NULL,
		.role = r->role, .initial_mac = r->initial,
		.effective_mac = r->effective, .guest_promisc = r->promisc,
	};

	return nsw_req_port_set(&port);
}

/* ip link set dev IFINDEX master MASTER (nomaster if 0). */
static int conf_set_master(const struct conf_req *r)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;

	nlh = nsw_rtnl_msg(RTM_NEWLINK, 0, &ifi);
	if (!nlh)
		return NSW_EXIT_KERNEL;
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = r->ifindex;
	mnl_attr_put_u32(nlh, IFLA_MASTER, r->master);
	return nsw_rtnl_talk(nlh, NULL, NULL);
}

static int conf_send(const struct conf_req *r)
{
	switch (r->op) {
	case CONF_SWITCH_SET:
		return nsw_req_switch_set(r->ifindex, &r->policy);
	case CONF_PG_NEW:
		return conf_pg_send(NESTSW_CMD_PG_NEW, r);
	case CONF_PG_SET:
		return conf_pg_send(NESTSW_CMD_PG_SET, r);
	case CONF_PG_DEL:
		return conf_pg_send(NESTSW_CMD_PG_DEL, r);
	case CONF_MASTER:
		return conf_set_master(r);
	case CONF_PORT_SET:
		return conf_port_send(r);
	case CONF_FDB_NEW:
		return nsw_req_fdb(NESTSW_CMD_FDB_NEW, r->ifindex, r->fdb->mac,
				   r->fdb->vid);
	case CONF_FDB_DEL:
		return nsw_req_fdb(NESTSW_CMD_FDB_DEL, r->ifindex, r->fdb->mac,
				   r->fdb->vid);
	case CONF_FLUSH:
		return nsw_req_fdb_flush(NESTSW_A_FDB_SWITCH_IFINDEX,
					 r->ifindex);
	}
	return NSW_EXIT_KERNEL;
}

/* ---- the plan ------------------------------------------------------- */

static struct conf_req conf_req(enum conf_op op, unsigned int ifindex,
				unsigned int line, const char *what,
				const char *name)
{
	struct conf_req r = {
		.op = op, .ifindex = ifindex, .vlan = -1, .role = -1,
		.promisc = -1, .line = line,
	};

	snprintf(r.what, sizeof(r.what), "%s %s", what, name);
	return r;
}

/* Append a step doing @req; its undo requests are added with conf_undo(). */
static struct conf_step *conf_step(struct conf_plan *pl,
				   const struct conf_req *req)
{
	struct conf_step *s;

	pl->steps = nsw_conf_grow(pl->steps, &pl->n_steps, sizeof(*s));
	s = &pl->steps[pl->n_steps - 1];
	s->req = *req;
	return s;
}

static void conf_undo(struct conf_step *s, const struct conf_req *req)
{
	s->undo = nsw_conf_grow(s->undo, &s->n_undo, sizeof(*s->undo));
	s->undo[s->n_undo - 1] = *req;
}

static void conf_plan_switch(struct conf_plan *pl)
{
	struct conf_req r = conf_req(CONF_SWITCH_SET, pl->sw,
				     pl->want->switch_line, "default policy of",
				     "the switch");
	struct conf_step *s;

	if (nsw_policy_equal(&pl->cur->policy, &pl->want->policy))
		return;
	r.policy = pl->want->policy;
	s = conf_step(pl, &r);
	r.policy = pl->cur->policy;
	conf_undo(s, &r);
}

/*
 * A PG_SET from @from to @to: the vlan, team, the keys set, those
 * inherited.
 */
static struct conf_req conf_pg_change(struct conf_plan *pl,
				      const struct conf_pg *from,
				      const struct conf_pg *to,
				      unsigned int line)
{
	struct conf_req r = conf_req(CONF_PG_SET, pl->sw, line, "port group",
				     to->name);

	r.pg = to;
	r.vlan = to->vlan;
	r.policy = to->policy;
	r.policy.inherit = nsw_policy_attrs(&from->policy) &
			   ~nsw_policy_attrs(&to->policy);
	return r;
}

static void conf_plan_pgs(struct conf_plan *pl)
{
	const struct conf_pg *want, *cur;
	struct conf_req r;
	struct conf_step *s;
	unsigned int i;

	for (i = 0; i < pl->want->n_pgs; i++) {
		want = &pl->want->pgs[i];
		cur = nsw_conf_pg(pl->cur, want->name);
		if (!cur) {
			r = conf_req(CONF_PG_NEW, pl->sw, want->line,
				     "port group", want->name);
			r.pg = want;
			s = conf_step(pl, &r);
			r.op = CONF_PG_DEL;
			conf_undo(s, &r);
		} else if (cur->vlan != want->vlan || cur->team != want->team ||
			   !nsw_scope_equal(&cur->scope, &want->scope) ||
			   !nsw_policy_equal(&cur->policy, &want->policy)) {
			r = conf_pg_change(pl, cur, want, want->line);
			s = conf_step(pl, &r);
			r = conf_pg_change(pl, want, cur, 0);
			conf_undo(s, &r);
		}
	}
}

/*
 * A port the file does not list but keeps (other-ports = keep) in port
 * group @name, or NULL.
 */
static const struct conf_port *conf_kept_port_in(const struct conf_plan *pl,
						 const char *name)
{
	const struct conf_port *cur;
	unsigned int i;

	for (i = 0; pl->want->keep_other_ports && i < pl->cur->n_ports; i++) {
		cur = &pl->cur->ports[i];
		if (!strcmp(cur->pg, name) &&
		    !nsw_conf_port(pl->want, cur->ifindex))
			return cur;
	}
	return NULL;
}

/*
 * The port groups the file lacks, once no port is in them. One that holds
 * a port the file keeps (a VM's tap) stays, as that port does.
 */
static void conf_plan_pg_dels(struct conf_plan *pl)
{
	const struct conf_port *kept;
	const struct conf_pg *cur;
	struct conf_req r;
	struct conf_step *s;
	unsigned int i;

	for (i = 0; i < pl->cur->n_pgs; i++) {
		cur = &pl->cur->pgs[i];
		if (nsw_conf_pg(pl->want, cur->name))
			continue;
		kept = conf_kept_port_in(pl, cur->name);
		if (kept) {
			fprintf(stderr,
				"Port group %s stays: it holds %s, which other-ports = keep keeps.\n",
				cur->name, kept->dev);
			continue;
		}
		r = conf_req(CONF_PG_DEL, pl->sw, 0, "port group", cur->name);
		r.pg = cur;
		s = conf_step(pl, &r);
		r.op = CONF_PG_NEW;
		conf_undo(s, &r);
	}
}

static struct conf_req conf_fdb_req(enum conf_op op, const struct conf_port *p,
				    const struct conf_fdb *e)
{
	struct conf_req r = conf_req(op, p->ifindex, e->line, "fdb of", p->dev);

	r.fdb = e;
	return r;
}

/* @port's settings as a PORT_SET, all of them (to restore it). */
static struct conf_req conf_port_all(struct conf_plan *pl,
				     const struct conf_port *port)
{
	struct conf_req r = conf_req(CONF_PORT_SET, port->ifindex, 0, "port",
				     port->dev);

	r.pg = nsw_conf_pg(pl->cur, port->pg);
	r.role = port->role;
	r.initial = port->has_initial ? port->initial_mac : NULL;
	if (!port->follows_peer) {
		r.effective = port->has_effective ? port->effective_mac : NULL;
		r.promisc = port->guest_promisc;
	}
	return r;
}

/*
 * Release the ports the file lacks, unless it keeps other ports; undone
 * by enslaving them again with their settings and static entries (what
 * they learned is lost).
 */
static void conf_plan_releases(struct conf_plan *pl)
{
	const struct conf_port *cur;
	struct conf_req r;
	struct conf_step *s;
	unsigned int i, j;

	for (i = 0; !pl->want->keep_other_ports && i < pl->cur->n_ports; i++) {
		cur = &pl->cur->ports[i];
		if (nsw_conf_port(pl->want, cur->ifindex))
			continue;
		r = conf_req(CONF_MASTER, cur->ifindex, 0, "port", cur->dev);
		s = conf_step(pl, &r);
		r.master = pl->sw;
		conf_undo(s, &r);
		r = conf_port_all(pl, cur);
		conf_undo(s, &r);
		for (j = 0; j < cur->n_fdb; j++) {
			r = conf_fdb_req(CONF_FDB_NEW, cur, &cur->fdb[j]);
			conf_undo(s, &r);
		}
	}
}

static bool conf_mac_differs(bool has, const unsigned char *mac,
			     bool cur_has, const unsigned char *cur)
{
	return has && (!cur_has || memcmp(mac, cur, NSW_MAC_LEN));
}

/*
 * The PORT_SET that makes @cur (NULL: just enslaved) what @want says, the
 * one that undoes it in @undo; false if nothing differs.
 */
static bool conf_port_diff(struct conf_plan *pl, const struct conf_port *want,
			   const struct conf_port *cur, struct conf_req *r,
			   struct conf_req *undo)
{
	static const struct conf_port fresh = { .pg = NSW_CONF_DEFAULT_PG };
	const struct conf_port *old = cur ? cur : &fresh;
	int promisc = want->guest_promisc < 0 ? 0 : want->guest_promisc;
	bool any = false;

	*r = conf_req(CONF_PORT_SET, want->ifindex, want->line, "port",
		      want->dev);
	*undo = conf_req(CONF_PORT_SET, want->ifindex, 0, "port", want->dev);
	if (strcmp(want->pg, old->pg)) {
		r->pg = nsw_conf_pg(pl->want, want->pg);
		undo->pg = nsw_conf_pg(pl->cur, old->pg);
		any = true;
	}
	if (want->role != old->role) {
		r->role = want->role;
		undo->role = old->role;
		any = true;
	}
	if (conf_mac_differs(want->has_initial, want->initial_mac,
			     old->has_initial, old->initial_mac)) {
		r->initial = want->initial_mac;
		undo->initial = old->has_initial ? old->initial_mac : NULL;
		any = true;
	}
	if (conf_mac_differs(want->has_effective, want->effective_mac,
			     old->has_effective, old->effective_mac)) {
		r->effective = want->effective_mac;
		undo->effective = old->has_effective ? old->effective_mac : NULL;
		any = true;
	}
	/* A veth's flag follows its peer: no need, nor way, to set it. */
	if (!want->follows_peer && promisc != old->guest_promisc) {
		r->promisc = promisc;
		undo->promisc = old->guest_promisc;
		any = true;
	}
	return any;
}

/* The file's ports that are not the switch's yet. */
static void conf_plan_enslaves(struct conf_plan *pl)
{
	const struct conf_port *want;
	struct conf_req r;
	struct conf_step *s;
	unsigned int i;

	for (i = 0; i < pl->want->n_ports; i++) {
		want = &pl->want->ports[i];
		if (nsw_conf_port(pl->cur, want->ifindex))
			continue;
		r = conf_req(CONF_MASTER, want->ifindex, want->dev_line, "port",
			     want->dev);
		r.master = pl->sw;
		s = conf_step(pl, &r);
		r.master = 0;
		conf_undo(s, &r);
	}
}

/* Static entries the file lacks: all before any is added, so one may move. */
static void conf_plan_fdb_dels(struct conf_plan *pl)
{
	const struct conf_port *want, *cur;
	struct conf_req r;
	struct conf_step *s;
	unsigned int i, j;

	for (i = 0; i < pl->cur->n_ports; i++) {
		cur = &pl->cur->ports[i];
		want = nsw_conf_port(pl->want, cur->ifindex);
		for (j = 0; want && j < cur->n_fdb; j++) {
			if (nsw_conf_fdb(want, &cur->fdb[j]))
				continue;
			r = conf_fdb_req(CONF_FDB_DEL, cur, &cur->fdb[j]);
			s = conf_step(pl, &r);
			r.op = CONF_FDB_NEW;
			conf_undo(s, &r);
		}
	}
}

/*
 * Each port's settings and new static entries. A port enslaved by this
 * plan needs no undo of them: its release undoes all.
 */
static void conf_plan_port_sets(struct conf_plan *pl)
{
	const struct conf_port *want, *cur;
	struct conf_req r, undo;
	struct conf_step *s;
	unsigned int i, j;

	for (i = 0; i < pl->want->n_ports; i++) {
		want = &pl->want->ports[i];
		cur = nsw_conf_port(pl->cur, want->ifindex);
		if (conf_port_diff(pl, want, cur, &r, &undo)) {
			s = conf_step(pl, &r);
			if (cur)
				conf_undo(s, &undo);
		}
		for (j = 0; j < want->n_fdb; j++) {
			if (cur && nsw_conf_fdb(cur, &want->fdb[j]))
				continue;
			r = conf_fdb_req(CONF_FDB_NEW, want, &want->fdb[j]);
			s = conf_step(pl, &r);
			r.op = CONF_FDB_DEL;
			if (cur)
				conf_undo(s, &r);
		}
	}
}

static void conf_plan(struct conf_plan *pl, bool flush)
{
	struct conf_req r;

	conf_plan_switch(pl);
	conf_plan_pgs(pl);
	conf_plan_enslaves(pl);
	conf_plan_fdb_dels(pl);
	conf_plan_releases(pl);
	conf_plan_port_sets(pl);
	conf_plan_pg_dels(pl);
	if (flush) {
		r = conf_req(CONF_FLUSH, pl->sw, 0, "learned entries of",
			     "the switch");
		conf_step(pl, &r);
	}
}

static void conf_plan_free(struct conf_plan *pl)
{
	unsigned int i;

	for (i = 0; i < pl->n_steps; i++)
		free(pl->steps[i].undo);
	free(pl->steps);
}

/* ---- applying it ---------------------------------------------------- */

/* Undo the first @n steps, last first; returns how many undos failed. */
static unsigned int conf_rollback(struct conf_plan *pl, unsigned int n)
{
	unsigned int failed = 0, i;
	struct conf_step *s;

	nsw_err_at(NULL, 0);
	while (n--) {
		s = &pl->steps[n];
		for (i = 0; i < s->n_undo; i++) {
			if (conf_send(&s->undo[i])) {
				nsw_err_lead();
				fprintf(stderr, "Could not undo the change of %s.\n",
					s->undo[i].what);
				failed++;
			}
		}
	}
	return failed;
}

static int conf_apply(struct conf_plan *pl)
{
	const struct conf_req *r;
	unsigned int i, failed;

	for (i = 0; i < pl->n_steps; i++) {
		r = &pl->steps[i].req;
		nsw_conf_err_at(pl->want, r->line);
		if (!conf_send(r))
			continue;
		nsw_err_lead();
		fprintf(stderr, "The kernel refused the change of %s.\n",
			r->what);
		failed = conf_rollback(pl, i);
		nsw_err_lead();
		if (failed)
			fprintf(stderr, "%u of %u changes not undone: the switch is half set.\n",
				failed, i);
		else
			fprintf(stderr, "%u changes undone: the switch is as it was.\n",
				i);
		return NSW_EXIT_KERNEL;
	}
	nsw_err_at(NULL, 0);
	return 0;
}

/* A request, for --dry-run: "FILE:LINE: set port vp1 pg vesx1". */
static void conf_print_req(const struct conf_plan *pl,
			   const struct conf_req *r)
{
	static const char *const verbs[] = {
		[CONF_SWITCH_SET] = "set", [CONF_PG_NEW] = "create",
		[CONF_PG_SET] = "set", [CONF_PG_DEL] = "delete",
		[CONF_MASTER] = "enslave", [CONF_PORT_SET] = "set",
		[CONF_FDB_NEW] = "add", [CONF_FDB_DEL] = "delete",
		[CONF_FLUSH] = "flush",
	};
	char text[NSW_MAC_STRLEN];
	const char *file;
	unsigned int line;

	if (r->line) {
		file = nsw_conf_line(pl->want, r->line, &line);
		printf("%s:%u: ", file, line);
	}
	printf("%s %s", r->op == CONF_MASTER && !r->master ? "release" :
	       verbs[r->op], r->what);
	if (r->fdb) {
		printf(" %s", nsw_mac_str(r->fdb->mac, text));
		if (r->fdb->vid >= 0)
			printf(" vlan %d", r->fdb->vid);
	}
	if (r->op == CONF_PORT_SET) {
		if (r->pg)
			printf(" pg %s", r->pg->name);
		if (r->role >= 0)
			printf(" role %s", r->role == NESTSW_PORT_ROLE_UPLINK ?
			       "uplink" : "guest");
		if (r->initial)
			printf(" initial-mac %s", nsw_mac_str(r->initial, text));
		if (r->effective)
			printf(" effective-mac %s",
			       nsw_mac_str(r->effective, text));
		if (r->promisc >= 0)
			printf(" guest-promiscuous %s", r->promisc ? "on" : "off");
	}
	putchar('\n');
}

/* ---- checking the file against the devices -------------------------- */

/* What conf_link_cb() finds of a device. */
struct conf_link {
	unsigned int master;
	bool veth;
};

static int conf_linkinfo_cb(const struct nlattr *attr, void *data)
{
	struct conf_link *l = data;

	if (mnl_attr_get_type(attr) == IFLA_INFO_KIND &&
	    !mnl_attr_validate(attr, MNL_TYPE_STRING))
		l->veth = !strncmp(mnl_attr_get_str(attr), "veth",
				   mnl_attr_get_payload_len(attr));
	return MNL_CB_OK;
}

static int conf_link_attr_cb(const struct nlattr *attr, void *data)
{
	struct conf_link *l = data;

	switch (mnl_attr_get_type(attr)) {
	case IFLA_MASTER:
		if (!mnl_attr_validate(attr, MNL_TYPE_U32))
			l->master = mnl_attr_get_u32(attr);
		break;
	case IFLA_LINKINFO:
		if (!mnl_attr_validate(attr, MNL_TYPE_NESTED))
			mnl_attr_parse_nested(attr, conf_linkinfo_cb, l);
		break;
	}
	return MNL_CB_OK;
}

static int conf_link_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct ifinfomsg), conf_link_attr_cb,
			      data);
}

/* ip link show dev IFINDEX: its master and whether it is a veth. */
static int conf_link_get(unsigned int ifindex, struct conf_link *l)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;

	nlh = nsw_rtnl_msg(RTM_GETLINK, 0, &ifi);
	if (!nlh)
		return NSW_EXIT_KERNEL;
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nsw_rtnl_talk(nlh, conf_link_cb, l);
}

static int conf_check_port(struct conf_port *p, unsigned int sw,
			   const struct conf *c)
{
	struct conf_link l = {};
	char name[IF_NAMESIZE];
	int ret;

	nsw_conf_err_at(c, p->dev_line);
	ret = nsw_arg_dev("dev", p->dev, &p->ifindex);
	if (ret)
		return ret;
	ret = conf_link_get(p->ifindex, &l);
	if (ret)
		return ret;
	if (p->ifindex == sw) {
		nsw_err_lead();
		fprintf(stderr, "%s is the switch itself, not a port.\n",
			p->dev);
		return NSW_EXIT_USAGE;
	}
	if (l.master && l.master != sw) {
		nsw_err_lead();
		fprintf(stderr, "%s is enslaved to %s: release it first.\n",
			p->dev, nsw_ifname(l.master, name));
		return NSW_EXIT_USAGE;
	}
	p->follows_peer = l.veth;
	if (l.veth && (p->has_effective || p->guest_promisc >= 0)) {
		nsw_err_lead();
		fprintf(stderr, "%s is a veth, which follows its peer: only initial-mac is set.\n",
			p->dev);
		return NSW_EXIT_USAGE;
	}
	return 0;
}

/*
 * A port whose device does not exist (a VM not started yet, a NIC not
 * named yet) is not an error: "nestsw-boot hotplug" applies the file again
 * when the device appears. Said on stderr, as a typo looks the same.
 */
static bool conf_port_absent(const struct conf_port *p, const struct conf *c)
{
	if (if_nametoindex(p->dev) || errno != ENODEV)
		return false;
	nsw_conf_err_at(c, p->dev_line);
	nsw_err_lead();
	fprintf(stderr, "%s does not exist (yet): its [Port] applies when it appears.\n",
		p->dev);
	return true;
}

/*
 * Every device of the file that exists may be the switch's port; the
 * others are left out of @want.
 */
static int conf_check_ports(struct conf *want, unsigned int sw)
{
	struct conf_port *p;
	unsigned int i = 0;
	int ret = 0, err;

	while (i < want->n_ports) {
		p = &want->ports[i];
		if (conf_port_absent(p, want)) {
			free(p->fdb);
			want->n_ports--;
			memmove(p, p + 1, (want->n_ports - i) * sizeof(*p));
			continue;
		}
		err = conf_check_port(p, sw, want);
		if (err == NSW_EXIT_KERNEL)
			return err;
		ret = ret ?: err;
		i++;
	}
	nsw_err_at(NULL, 0);
	return ret;
}

/* ---- the commands --------------------------------------------------- */

/* Static entries by MAC, then VLAN (every VLAN first). */
static int conf_fdb_cmp(const void *a, const void *b)
{
	const struct conf_fdb *x = a, *y = b;

	return memcmp(x->mac, y->mac, NSW_MAC_LEN) ?: x->vid - y->vid;
}

/*
 * What of @c is configuration, for showconf, in an order that does not
 * depend on the kernel's (the FDB lists the newest entry first): a veth port's effective MAC
 * and promiscuous flag follow its peer, and its initial MAC is the peer's
 * when enslaved, unless it was set otherwise.
 */
static void conf_showable(struct conf *c)
{
	struct conf_port *p;
	unsigned int i;

	for (i = 0; i < c->n_ports; i++) {
		p = &c->ports[i];
		if (p->n_fdb)
			qsort(p->fdb, p->n_fdb, sizeof(*p->fdb), conf_fdb_cmp);
		if (!p->follows_peer)
			continue;
		p->has_initial = p->has_initial && p->has_effective &&
			memcmp(p->initial_mac, p->effective_mac, NSW_MAC_LEN);
		p->has_effective = false;
		p->guest_promisc = -1;
	}
}

static int conf_showconf(int argc, char **argv)
{
	struct conf c = {};
	unsigned int sw;
	int ret;

	if (argc != 1)
		return nsw_usage("showconf", argc ? "Too many words" :
				 "Missing switch", argc ? argv[1] : NULL);
	ret = nsw_arg_dev("showconf", argv[0], &sw);
	if (!ret)
		ret = nsw_conf_read_switch(sw, &c);
	if (!ret) {
		conf_showable(&c);
		printf("# nestsw showconf %s\n", argv[0]);
		nsw_conf_write(stdout, &c);
	}
	nsw_conf_free(&c);
	return ret;
}

/* setconf (@flush) or syncconf: [--dry-run] SW FILE. */
static int conf_set(const char *cmd, bool flush, int argc, char **argv)
{
	struct conf cur = {}, want = {};
	struct conf_plan pl = {};
	bool dry_run = false;
	unsigned int i;
	int ret;

	if (argc && !strcmp(argv[0], "--dry-run")) {
		dry_run = true;
		argc--;
		argv++;
	}
	if (argc && !strcmp(argv[0], "help"))
		return NSW_HELP;
	if (argc != 2)
		return nsw_usage(cmd, argc > 2 ? "Too many words" :
				 "Expected SW FILE", argc > 2 ? argv[2] : NULL);
	ret = nsw_arg_dev(cmd, argv[0], &pl.sw) ?:
	      nsw_conf_read_file(argv[1], &want);
	if (!ret)
		ret = conf_check_ports(&want, pl.sw);
	if (!ret)
		ret = nsw_conf_read_switch(pl.sw, &cur);
	if (!ret) {
		pl.cur = &cur;
		pl.want = &want;
		conf_plan(&pl, flush);
		for (i = 0; dry_run && i < pl.n_steps; i++)
			conf_print_req(&pl, &pl.steps[i].req);
		if (!dry_run)
			ret = conf_apply(&pl);
	}
	conf_plan_free(&pl);
	nsw_conf_free(&want);
	nsw_conf_free(&cur);
	return ret;
}

int nsw_showconf(int argc, char **argv)
{
	return conf_showconf(argc, argv);
}

int nsw_setconf(int argc, char **argv)
{
	return conf_set("setconf", true, argc, argv);
}

int nsw_syncconf(int argc, char **argv)
{
	return conf_set("syncconf", false, argc, argv);
}

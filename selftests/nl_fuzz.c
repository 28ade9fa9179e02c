// SPDX-License-Identifier: GPL-2.0
/*
 * nl_fuzz: a seeded generic netlink fuzzer of the nestsw family, run by
 * selftests/nl_fuzz.sh in a namespace holding its topology (switches sw0
 * and sw1, ports vp1 (veth) and dm1 (dummy) on sw0, dm2 a dummy that is
 * no port).
 *
 *   nl_fuzz SEED COUNT
 *
 * It sends COUNT generated requests in rounds. A round starts with a few
 * well-formed requests built from the attribute tables below (which follow
 * uapi/linux/nestsw.h and kmod/netlink.c's policies): random commands on
 * the real switches, ports, port groups and FDB, with values in range,
 * that may or may not succeed. Then the state (dumps of every switch,
 * port group, port and FDB entry, counters left out) is taken, a batch of
 * malformed requests follows, each malformed in one way that no correct
 * kernel accepts, and the state is taken again: it must be the same.
 * Every few rounds a switch "fzsw" and a port "fzdm" are created, used
 * and deleted over rtnetlink, and the malformed batch then includes
 * well-formed requests for the devices that vanished.
 *
 * Checked: every malformed request is refused; every refusal (of any
 * request) carries an extack message, except the genetlink core's own
 * refusals of a command the family does not have (EOPNOTSUPP), which it
 * makes before the family sees the request; the state is unchanged by
 * the refused batch. Each failure prints the seed, the request's number
 * and kind, the errno and the request in hex; the same SEED replays the
 * same requests. The last line is "nl_fuzz: sent N ..." with the totals.
 */
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/nestsw.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS	0x200
#endif

#define VALID_PER_ROUND		4
#define BAD_PER_ROUND		40
#define CHURN_EVERY		25	/* rounds between fzsw/fzdm lives */
#define MAX_FAILS_SHOWN		20
#define STATE_SIZE		(1 << 20)

/* What the kernel's policies take, per attribute (kmod/netlink.c). */
enum fz_type {
	T_NONE, T_U8, T_U16, T_U32, T_MAC, T_NAME, T_POLICY,
	T_VLANS,	/* trunk-vlans: NESTSW_VLAN_BITMAP_LEN bytes */
	T_UPLINKS,	/* a nest of uplink names */
};

struct fz_attr {
	enum fz_type type;
	uint32_t max;		/* largest value in range (T_U8..T_U32) */
	uint32_t min;
};

#define FZ_MAX_ATTRS	16

/* One command: its attributes, by number, and which are required. */
struct fz_cmd {
	const char *name;
	uint8_t cmd;
	bool doit, dumpit;
	struct fz_attr attrs[FZ_MAX_ATTRS];
	uint32_t required;	/* bits of attribute numbers, doit */
};

/* Every bit of the pg-set inherit mask: a mask of contiguous low bits. */
#define POLICY_ATTRS_ALL	(NESTSW_POLICY_ATTR_GROUP_FWD * 2u - 1)
#define U32_IFINDEX	{ T_U32, UINT32_MAX, 1 }
#define PG_NAME		{ T_NAME, 0, 0 }

static const struct fz_attr fz_policy_attrs[NESTSW_A_POLICY_MAX + 1] = {
	[NESTSW_A_POLICY_PROMISCUOUS] = { T_U32, NESTSW_VERDICT_ACCEPT, 0 },
	[NESTSW_A_POLICY_MAC_CHANGES] = { T_U32, NESTSW_VERDICT_ACCEPT, 0 },
	[NESTSW_A_POLICY_FORGED_TRANSMITS] = { T_U32, NESTSW_VERDICT_ACCEPT, 0 },
	[NESTSW_A_POLICY_LEARNING] = { T_U32, 1, 0 },
	[NESTSW_A_POLICY_MAC_LIMIT] = { T_U32, NESTSW_MAC_LIMIT_MAX, 1 },
	[NESTSW_A_POLICY_LIMIT_POLICY] = { T_U32, NESTSW_LIMIT_POLICY_ALLOW, 0 },
	[NESTSW_A_POLICY_UNKNOWN_FLOOD] = { T_U32, 1, 0 },
	[NESTSW_A_POLICY_AGEING] = { T_U32, NESTSW_AGEING_MAX, NESTSW_AGEING_MIN },
	[NESTSW_A_POLICY_GROUP_FWD] = { T_U32, NESTSW_GROUP_FWD_ALL, 0 },
};

#define BIT(n)	(1u << (n))

static const struct fz_cmd fz_cmds[] = {
	{ "port-get", NESTSW_CMD_PORT_GET, true, true, {
		[NESTSW_A_PORT_IFINDEX] = U32_IFINDEX,
		[NESTSW_A_PORT_SWITCH_IFINDEX] = U32_IFINDEX,
	  }, BIT(NESTSW_A_PORT_IFINDEX) },
	{ "port-set", NESTSW_CMD_PORT_SET, true, false, {
		[NESTSW_A_PORT_IFINDEX] = U32_IFINDEX,
		[NESTSW_A_PORT_ROLE] = { T_U32, NESTSW_PORT_ROLE_UPLINK, 0 },
		[NESTSW_A_PORT_PG] = PG_NAME,
		[NESTSW_A_PORT_INITIAL_MAC] = { T_MAC, 0, 0 },
		[NESTSW_A_PORT_EFFECTIVE_MAC] = { T_MAC, 0, 0 },
		[NESTSW_A_PORT_GUEST_PROMISCUOUS] = { T_U8, 1, 0 },
	  }, BIT(NESTSW_A_PORT_IFINDEX) },
	{ "switch-get", NESTSW_CMD_SWITCH_GET, true, true, {
		[NESTSW_A_SWITCH_IFINDEX] = U32_IFINDEX,
	  }, BIT(NESTSW_A_SWITCH_IFINDEX) },
	{ "switch-set", NESTSW_CMD_SWITCH_SET, true, false, {
		[NESTSW_A_SWITCH_IFINDEX] = U32_IFINDEX,
		[NESTSW_A_SWITCH_POLICY] = { T_POLICY, 0, 0 },
	  }, BIT(NESTSW_A_SWITCH_IFINDEX) },
	{ "pg-new", NESTSW_CMD_PG_NEW, true, false, {
		[NESTSW_A_PG_SWITCH_IFINDEX] = U32_IFINDEX,
		[NESTSW_A_PG_NAME] = PG_NAME,
		[NESTSW_A_PG_VLAN] = { T_U16, NESTSW_VLAN_TRUNK, 0 },
		[NESTSW_A_PG_POLICY] = { T_POLICY, 0, 0 },
		[NESTSW_A_PG_TEAM] = { T_U8, 1, 0 },
		[NESTSW_A_PG_TRUNK_VLANS] = { T_VLANS, 0, 0 },
		[NESTSW_A_PG_ACTIVE_UPLINKS] = { T_UPLINKS, 0, 0 },
		[NESTSW_A_PG_STANDBY_UPLINKS] = { T_UPLINKS, 0, 0 },
	  }, BIT(NESTSW_A_PG_SWITCH_IFINDEX) | BIT(NESTSW_A_PG_NAME) },
	{ "pg-set", NESTSW_CMD_PG_SET, true, false, {
		[NESTSW_A_PG_SWITCH_IFINDEX] = U32_IFINDEX,
		[NESTSW_A_PG_NAME] = PG_NAME,
		[NESTSW_A_PG_VLAN] = { T_U16, NESTSW_VLAN_TRUNK, 0 },
		[NESTSW_A_PG_POLICY] = { T_POLICY, 0, 0 },
		[NESTSW_A_PG_INHERIT] = { T_U32, POLICY_ATTRS_ALL, 0 },
		[NESTSW_A_PG_TEAM] = { T_U8, 1, 0 },
		[NESTSW_A_PG_TRUNK_VLANS] = { T_VLANS, 0, 0 },
		[NESTSW_A_PG_ACTIVE_UPLINKS] = { T_UPLINKS, 0, 0 },
		[NESTSW_A_PG_STANDBY_UPLINKS] = { T_UPLINKS, 0, 0 },
	  }, BIT(NESTSW_A_PG_SWITCH_IFINDEX) | BIT(NESTSW_A_PG_NAME) },
	{ "pg-del", NESTSW_CMD_PG_DEL, true, false, {
		[NESTSW_A_PG_SWITCH_IFINDEX] = U32_IFINDEX,
		[NESTSW_A_PG_NAME] = PG_NAME,
	  }, BIT(NESTSW_A_PG_SWITCH_IFINDEX) | BIT(NESTSW_A_PG_NAME) },
	{ "pg-get", NESTSW_CMD_PG_GET, true, true, {
		[NESTSW_A_PG_SWITCH_IFINDEX] = U32_IFINDEX,
		[NESTSW_A_PG_NAME] = PG_NAME,
	  }, BIT(NESTSW_A_PG_SWITCH_IFINDEX) | BIT(NESTSW_A_PG_NAME) },
	{ "fdb-new", NESTSW_CMD_FDB_NEW, true, false, {
		[NESTSW_A_FDB_PORT_IFINDEX] = U32_IFINDEX,
		[NESTSW_A_FDB_MAC] = { T_MAC, 0, 0 },
		[NESTSW_A_FDB_VLAN] = { T_U16, 4094, 0 },
	  }, BIT(NESTSW_A_FDB_PORT_IFINDEX) | BIT(NESTSW_A_FDB_MAC) },
	{ "fdb-del", NESTSW_CMD_FDB_DEL, true, false, {
		[NESTSW_A_FDB_PORT_IFINDEX] = U32_IFINDEX,
		[NESTSW_A_FDB_MAC] = { T_MAC, 0, 0 },
		[NESTSW_A_FDB_VLAN] = { T_U16, 4094, 0 },
	  }, BIT(NESTSW_A_FDB_PORT_IFINDEX) | BIT(NESTSW_A_FDB_MAC) },
	{ "fdb-get", NESTSW_CMD_FDB_GET, false, true, {
		[NESTSW_A_FDB_SWITCH_IFINDEX] = U32_IFINDEX,
		[NESTSW_A_FDB_PORT_IFINDEX] = U32_IFINDEX,
	  }, 0 },
	{ "fdb-flush", NESTSW_CMD_FDB_FLUSH, true, false, {
		[NESTSW_A_FDB_SWITCH_IFINDEX] = U32_IFINDEX,
		[NESTSW_A_FDB_PORT_IFINDEX] = U32_IFINDEX,
	  }, 0 },
};

#define N_CMDS	(sizeof(fz_cmds) / sizeof(fz_cmds[0]))

/* The ways a request is malformed (or aimed at a device that is gone). */
enum fz_kind {
	K_VALID,
	K_MISSING,	/* a required attribute left out */
	K_RANGE,	/* a value out of its range */
	K_LENGTH,	/* an attribute of the wrong size (short or oversized) */
	K_UNKNOWN,	/* an attribute the command does not take */
	K_TRUNCATED,	/* the last attribute runs past the message */
	K_NEST,		/* garbage in a policy or uplinks nest */
	K_BADMAC,	/* a multicast or zero MAC where a unicast one is due */
	K_WRONGDEV,	/* a switch where a port is due, or a non-port */
	K_GONE,		/* a device that vanished, or never was */
	K_HEADER,	/* reserved bits of the genetlink or netlink header */
	K_NOCMD,	/* a command the family does not have */
	N_KINDS
};

static const char *const fz_kind_names[N_KINDS] = {
	"valid", "missing", "range", "length", "unknown-attr", "truncated",
	"nest-garbage", "bad-mac", "wrong-device", "gone-device", "header",
	"no-command",
};

/* The world the generator aims at. */
static struct {
	uint32_t sw[2];		/* sw0, sw1 */
	uint32_t port[2];	/* vp1 (veth), dm1 (dummy) */
	uint32_t other;		/* dm2, no port */
	uint32_t gone[2];	/* fzsw, fzdm once deleted; 0 before */
} fz;

static const char *const fz_pg_names[] = {
	"default", "lab", "spare", "fz0", "fz1", "fz2", "fz3",
};

static struct mnl_socket *fz_nl, *fz_rt;
static uint16_t fz_family;
static uint32_t fz_seq;
static unsigned long long fz_seed;
static uint64_t fz_rng;

static struct {
	unsigned long sent, valid, valid_ok, refused, bad_accepted, no_extack,
		core_refusals, state_diffs, rounds, lives;
	unsigned long by_kind[N_KINDS];
} st;

static union {
	struct nlmsghdr nlh;
	char buf[8192];
} fz_req;

static union {
	struct nlmsghdr nlh;
	char buf[65536];
} fz_reply;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stdout, "# nl_fuzz: seed %llu: ", fz_seed);
	vfprintf(stdout, fmt, ap);
	fprintf(stdout, "\n");
	va_end(ap);
	exit(2);
}

/* xorshift64*: the same seed, the same requests */
static uint64_t rnd(void)
{
	fz_rng ^= fz_rng >> 12;
	fz_rng ^= fz_rng << 25;
	fz_rng ^= fz_rng >> 27;
	return fz_rng * 0x2545F4914F6CDD1DULL;
}

static uint32_t rnd_below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static bool chance(unsigned int percent)
{
	return rnd_below(100) < percent;
}

/* ---- building requests ------------------------------------------------- */

static struct nlmsghdr *req_start(uint8_t cmd, bool dump)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(fz_req.buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = fz_family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (dump ? NLM_F_DUMP : 0);
	nlh->nlmsg_seq = ++fz_seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = NESTSW_FAMILY_VERSION;
	return nlh;
}

/* An attribute of any length, as raw bytes (padded as netlink wants). */
static void put_raw(struct nlmsghdr *nlh, uint16_t type, const void *data,
		    size_t len)
{
	mnl_attr_put(nlh, type, len, data);
}

static void put_u32(struct nlmsghdr *nlh, uint16_t type, uint32_t v)
{
	mnl_attr_put_u32(nlh, type, v);
}

static void rnd_unicast_mac(uint8_t *mac)
{
	/* a small pool, so that entries meet again */
	static const uint8_t pool[][6] = {
		{ 0x02, 0, 0, 0, 0xf0, 1 }, { 0x02, 0, 0, 0, 0xf0, 2 },
		{ 0x02, 0, 0, 0, 0xf0, 3 }, { 0x02, 0, 0, 0, 0xf0, 4 },
		{ 0x02, 0, 0, 0, 0xf0, 5 }, { 0x02, 0, 0, 0, 0xf0, 6 },
	};

	memcpy(mac, pool[rnd_below(6)], 6);
}

static uint32_t rnd_in(const struct fz_attr *a)
{
	/* mostly the edges, where off-by-ones live */
	switch (rnd_below(4)) {
	case 0:
		return a->min;
	case 1:
		return a->max;
	default:
		return a->min + rnd_below(a->max - a->min + 1);
	}
}

/* A policy nest with a random choice of in-range attributes. */
static void put_policy(struct nlmsghdr *nlh, uint16_t type, uint32_t skip)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	unsigned int i;

	for (i = 1; i <= NESTSW_A_POLICY_MAX; i++)
		if (!(skip & BIT(i - 1)) && chance(40))
			put_u32(nlh, i, rnd_in(&fz_policy_attrs[i]));
	mnl_attr_nest_end(nlh, nest);
}

static uint32_t pick_switch(void)
{
	return fz.sw[rnd_below(2)];
}

static uint32_t pick_port(void)
{
	return fz.port[rnd_below(2)];
}

/*
 * A trunk's VLANs: a few random ones (0..4094), or with VLAN 4095 too
 * (@reserved), which no kernel takes.
 */
static void put_vlans(struct nlmsghdr *nlh, int t, bool reserved)
{
	uint8_t bits[NESTSW_VLAN_BITMAP_LEN] = {};
	unsigned int i, vid;

	for (i = 0; i <= rnd_below(4); i++) {
		vid = rnd_below(NESTSW_VLAN_TRUNK);
		bits[vid / 8] |= 1U << (vid % 8);
	}
	if (reserved)
		bits[NESTSW_VLAN_TRUNK / 8] |= 1U << (NESTSW_VLAN_TRUNK % 8);
	put_raw(nlh, t, bits, sizeof(bits));
}

/* Up to three uplink names, some of devices that exist. */
static void put_uplinks(struct nlmsghdr *nlh, int t)
{
	static const char *const names[] = { "vp1", "dm1", "dm2", "up9" };
	struct nlattr *nest = mnl_attr_nest_start(nlh, t);
	unsigned int i, first = rnd_below(4), n = rnd_below(4);

	for (i = 0; i < n && first + i < 4; i++)
		mnl_attr_put_strz(nlh, NESTSW_A_UPLINKS_NAME, names[first + i]);
	mnl_attr_nest_end(nlh, nest);
}

/* A well-formed value for attribute @t of @c, aimed at the real world. */
static void put_valid(struct nlmsghdr *nlh, const struct fz_cmd *c, int t)
{
	const struct fz_attr *a = &c->attrs[t];
	uint8_t mac[6];
	const char *name;

	switch (a->type) {
	case T_U8:
		mnl_attr_put_u8(nlh, t, rnd_in(a));
		break;
	case T_U16:
		mnl_attr_put_u16(nlh, t, rnd_in(a));
		break;
	case T_U32:
		if (a->max != UINT32_MAX) {
			put_u32(nlh, t, rnd_in(a));
		} else if ((c->cmd == NESTSW_CMD_PORT_GET && t == NESTSW_A_PORT_IFINDEX) ||
			   c->cmd == NESTSW_CMD_PORT_SET ||
			   ((c->cmd == NESTSW_CMD_FDB_NEW || c->cmd == NESTSW_CMD_FDB_DEL ||
			     c->cmd == NESTSW_CMD_FDB_GET || c->cmd == NESTSW_CMD_FDB_FLUSH) &&
			    t == NESTSW_A_FDB_PORT_IFINDEX)) {
			put_u32(nlh, t, pick_port());
		} else {
			put_u32(nlh, t, pick_switch());
		}
		break;
	case T_MAC:
		rnd_unicast_mac(mac);
		put_raw(nlh, t, mac, 6);
		break;
	case T_NAME:
		name = fz_pg_names[rnd_below(sizeof(fz_pg_names) / sizeof(fz_pg_names[0]))];
		mnl_attr_put_strz(nlh, t, name);
		break;
	case T_POLICY:
		put_policy(nlh, t, 0);
		break;
	case T_VLANS:
		put_vlans(nlh, t, false);
		break;
	case T_UPLINKS:
		put_uplinks(nlh, t);
		break;
	case T_NONE:
		break;
	}
}

static bool takes(const struct fz_cmd *c, int t)
{
	return t > 0 && t < FZ_MAX_ATTRS && c->attrs[t].type != T_NONE;
}

/*
 * A well-formed request of @c, as a doit or (if it has one, sometimes) a
 * dump: its required attributes and a random choice of the others, but
 * never attribute @leave_out. For the fdb dump and flush, one of switch
 * or port. Returns whether it is a dump.
 */
static bool build_valid(const struct fz_cmd *c, int leave_out)
{
	bool dump = c->dumpit && (!c->doit || chance(30));
	struct nlmsghdr *nlh = req_start(c->cmd, dump);
	bool fdb_sel = c->cmd == NESTSW_CMD_FDB_GET ||
		       c->cmd == NESTSW_CMD_FDB_FLUSH;
	int sel = rnd_below(2) ? NESTSW_A_FDB_SWITCH_IFINDEX : NESTSW_A_FDB_PORT_IFINDEX;
	bool policy = false;
	int t;

	for (t = 1; t < FZ_MAX_ATTRS; t++) {
		bool want;

		if (!takes(c, t) || t == leave_out)
			continue;
		if (fdb_sel)
			want = t == sel;
		else if (dump)	/* dumps: the pg dump needs its switch */
			want = (c->cmd == NESTSW_CMD_PG_GET &&
				t == NESTSW_A_PG_SWITCH_IFINDEX) ||
			       (c->cmd == NESTSW_CMD_PORT_GET &&
				t == NESTSW_A_PORT_SWITCH_IFINDEX && chance(50));
		else
			want = (c->required & BIT(t)) || chance(40);
		/* set and inherited at once is refused: inherit alone */
		if (want && t == NESTSW_A_PG_INHERIT && policy)
			continue;
		if (want && c->attrs[t].type == T_POLICY)
			policy = true;
		if (want)
			put_valid(nlh, c, t);
	}
	return dump;
}

/* ---- answers ------------------------------------------------------------ */

struct fz_answer {
	int err;		/* 0 or a negative errno */
	bool extack_msg;	/* NLMSGERR_ATTR_MSG in the error */
	char msg[128];
};

/* The extack message of an error, if any: TLVs after @off bytes of @nlh. */
static void read_extack(const struct nlmsghdr *nlh, size_t off,
			struct fz_answer *ans)
{
	const struct nlattr *attr;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	mnl_attr_for_each(attr, nlh, off) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG) {
			ans->extack_msg = true;
			snprintf(ans->msg, sizeof(ans->msg), "%.*s",
				 (int)mnl_attr_get_payload_len(attr),
				 (const char *)mnl_attr_get_payload(attr));
		}
	}
}

typedef void (*fz_reply_cb)(const struct nlmsghdr *nlh, void *data);

/*
 * Send the request in fz_req (of @len bytes, the header's length may lie)
 * on @nl and read up to its ack or NLMSG_DONE; data messages go to @cb.
 */
static void transact(struct mnl_socket *nl, size_t len, struct fz_answer *ans,
		     fz_reply_cb cb, void *data)
{
	uint32_t seq = fz_req.nlh.nlmsg_seq;

	memset(ans, 0, sizeof(*ans));
	if (mnl_socket_sendto(nl, fz_req.buf, len) < 0)
		die("send: %s", strerror(errno));
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, fz_reply.buf, sizeof(fz_reply.buf));
		struct nlmsghdr *nlh = &fz_reply.nlh;
		int rem = n;

		if (n < 0)
			die("recv: %s", strerror(errno));
		for (; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

				ans->err = e->error;
				/* NETLINK_CAP_ACK: the request's header only */
				read_extack(nlh, sizeof(*e), ans);
				return;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				int *e = mnl_nlmsg_get_payload(nlh);

				ans->err = *e;
				read_extack(nlh, sizeof(*e), ans);
				return;
			}
			if (cb)
				cb(nlh, data);
		}
	}
}

static void nl_open(struct mnl_socket **nl, int bus)
{
	int one = 1;

	*nl = mnl_socket_open(bus);
	if (!*nl || mnl_socket_bind(*nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("netlink socket: %s", strerror(errno));
	if (mnl_socket_setsockopt(*nl, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    mnl_socket_setsockopt(*nl, NETLINK_CAP_ACK, &one, sizeof(one)))
		die("NETLINK_EXT_ACK: %s", strerror(errno));
}

static void family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID)
			fz_family = mnl_attr_get_u16(attr);
}

static void family_lookup(void)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(fz_req.buf);
	struct genlmsghdr *g;
	struct fz_answer ans;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++fz_seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, NESTSW_FAMILY_NAME);
	transact(fz_nl, nlh->nlmsg_len, &ans, family_cb, NULL);
	if (ans.err || !fz_family)
		die("no genetlink family %s: %s", NESTSW_FAMILY_NAME,
		    strerror(-ans.err));
}

/* ---- the state: every switch, port group, port and FDB entry ----------- */

struct fz_state {
	char *rec[4096];
	unsigned int n;
	uint32_t switches[64];
	unsigned int n_switches;
};

/* Counters and ages move by themselves: not state. */
static bool is_counter(uint8_t cmd, uint16_t type)
{
	return (cmd == NESTSW_CMD_PORT_GET && (type == NESTSW_A_PORT_DROPS ||
					       type == NESTSW_A_PORT_LEARNING)) ||
	       (cmd == NESTSW_CMD_FDB_GET && type == NESTSW_A_FDB_AGE);
}

static void state_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct fz_state *s = data;
	const struct nlattr *attr;
	char line[4096];
	size_t len;

	len = snprintf(line, sizeof(line), "%u", g->cmd);
	mnl_attr_for_each(attr, nlh, sizeof(*g)) {
		uint16_t type = mnl_attr_get_type(attr);
		const uint8_t *p = mnl_attr_get_payload(attr);
		uint16_t i, plen = mnl_attr_get_payload_len(attr);

		if (is_counter(g->cmd, type))
			continue;
		if (g->cmd == NESTSW_CMD_SWITCH_GET &&
		    type == NESTSW_A_SWITCH_IFINDEX &&
		    s->n_switches < 64)
			s->switches[s->n_switches++] = mnl_attr_get_u32(attr);
		len += snprintf(line + len, sizeof(line) - len, " %u:", type);
		for (i = 0; i < plen && len < sizeof(line) - 3; i++)
			len += snprintf(line + len, sizeof(line) - len, "%02x", p[i]);
	}
	if (s->n < sizeof(s->rec) / sizeof(s->rec[0]))
		s->rec[s->n++] = strdup(line);
}

static void state_dump(struct fz_state *s, uint8_t cmd, int attr, uint32_t v)
{
	struct nlmsghdr *nlh = req_start(cmd, true);
	struct fz_answer ans;

	if (attr)
		put_u32(nlh, attr, v);
	transact(fz_nl, nlh->nlmsg_len, &ans, state_cb, s);
	if (ans.err)
		die("state dump (command %u): %s", cmd, strerror(-ans.err));
}

static int cmp_rec(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void state_take(struct fz_state *s)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	state_dump(s, NESTSW_CMD_SWITCH_GET, 0, 0);
	state_dump(s, NESTSW_CMD_PORT_GET, 0, 0);
	for (i = 0; i < s->n_switches; i++) {
		state_dump(s, NESTSW_CMD_PG_GET, NESTSW_A_PG_SWITCH_IFINDEX,
			   s->switches[i]);
		state_dump(s, NESTSW_CMD_FDB_GET, NESTSW_A_FDB_SWITCH_IFINDEX,
			   s->switches[i]);
	}
	/* hash table walks need not keep their order */
	qsort(s->rec, s->n, sizeof(s->rec[0]), cmp_rec);
}

static void state_free(struct fz_state *s)
{
	while (s->n)
		free(s->rec[--s->n]);
}

/* Print how @a and @b differ; true if they do. */
static bool state_differs(const struct fz_state *a, const struct fz_state *b)
{
	unsigned int i = 0, j = 0, shown = 0;
	bool differ = false;

	while (i < a->n || j < b->n) {
		int c = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->rec[i], b->rec[j]);

		if (!c) {
			i++, j++;
			continue;
		}
		differ = true;
		if (shown++ < 10)
			printf("#   %s %s\n", c < 0 ? "before:" : "after: ",
			       c < 0 ? a->rec[i] : b->rec[j]);
		if (c < 0)
			i++;
		else
			j++;
	}
	return differ;
}

/* ---- rtnetlink: devices that come and go ---------------------------------- */

static void rt_link(uint16_t type, uint16_t flags, const char *name,
		    const char *kind, uint32_t master, uint32_t ifindex)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(fz_req.buf);
	struct ifinfomsg *ifi;
	struct fz_answer ans;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++fz_seq;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = ifindex;
	if (name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (kind) {
		struct nlattr *li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);

		mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kind);
		mnl_attr_nest_end(nlh, li);
	}
	if (master)
		put_u32(nlh, IFLA_MASTER, master);
	transact(fz_rt, nlh->nlmsg_len, &ans, NULL, NULL);
	if (ans.err)
		die("rtnetlink (%s): %s", name ? name : "del", strerror(-ans.err));
}

static uint32_t ifindex_of(const char *name)
{
	uint32_t i = if_nametoindex(name);

	if (!i)
		die("no device %s: run me in nl_fuzz.sh's namespace", name);
	return i;
}

/* ---- one request, checked -------------------------------------------------- */

static void show_request(size_t len)
{
	const uint8_t *p = (const uint8_t *)fz_req.buf;
	size_t i;

	printf("#   request:");
	for (i = 0; i < len && i < 256; i++)
		printf("%s%02x", i % 4 ? "" : " ", p[i]);
	printf("%s\n", len > 256 ? " ..." : "");
}

static unsigned long fz_fails;

static void fail(enum fz_kind kind, const char *cmd, const struct fz_answer *ans,
		 size_t len, const char *what)
{
	fz_fails++;
	if (fz_fails > MAX_FAILS_SHOWN)
		return;
	printf("# FAIL seed %llu request %lu (%s %s): %s: %s%s%s\n", fz_seed,
	       st.sent, fz_kind_names[kind], cmd, what,
	       ans->err ? strerror(-ans->err) : "accepted",
	       ans->extack_msg ? ", extack: " : "", ans->msg);
	show_request(len);
}

/* The genetlink core refuses these before the family sees them. */
static bool core_refusal(enum fz_kind kind, const struct fz_answer *ans)
{
	return kind == K_NOCMD && ans->err == -EOPNOTSUPP;
}

/* Send fz_req (@len bytes) and check its answer. */
static void send_checked(enum fz_kind kind, const char *cmd, size_t len)
{
	struct fz_answer ans;

	st.sent++;
	st.by_kind[kind]++;
	transact(fz_nl, len, &ans, NULL, NULL);
	if (kind == K_VALID) {
		st.valid++;
		if (!ans.err)
			st.valid_ok++;
	} else if (!ans.err) {
		st.bad_accepted++;
		fail(kind, cmd, &ans, len, "a malformed request was accepted");
		return;
	}
	if (!ans.err)
		return;
	st.refused++;
	if (core_refusal(kind, &ans)) {
		st.core_refusals++;
		return;
	}
	if (!ans.extack_msg) {
		st.no_extack++;
		fail(kind, cmd, &ans, len, "refused without an extack message");
	}
}

static const struct fz_cmd *rnd_cmd(void)
{
	return &fz_cmds[rnd_below(N_CMDS)];
}

static void send_valid(void)
{
	const struct fz_cmd *c = rnd_cmd();

	build_valid(c, 0);
	send_checked(K_VALID, c->name, fz_req.nlh.nlmsg_len);
}

/* A doit command other than fdb-get (which has only a dump). */
static const struct fz_cmd *rnd_doit_cmd(void)
{
	const struct fz_cmd *c;

	do
		c = rnd_cmd();
	while (!c->doit);
	return c;
}

static int rnd_taken_attr(const struct fz_cmd *c, enum fz_type want)
{
	int cand[FZ_MAX_ATTRS], n = 0, t;

	for (t = 1; t < FZ_MAX_ATTRS; t++)
		if (takes(c, t) && (want == T_NONE || c->attrs[t].type == want))
			cand[n++] = t;
	return n ? cand[rnd_below(n)] : 0;
}

/* The request in fz_req without its attribute @t (the first of it). */
static void drop_attr(int t)
{
	struct nlmsghdr *nlh = &fz_req.nlh;
	struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) == t) {
			size_t alen = MNL_ALIGN(attr->nla_len);
			char *end = (char *)nlh + nlh->nlmsg_len;

			memmove(attr, (char *)attr + alen, end - ((char *)attr + alen));
			nlh->nlmsg_len -= alen;
			return;
		}
	}
}

/* A value of @a out of its range. */
static uint32_t rnd_out_of_range(const struct fz_attr *a, uint32_t width_max)
{
	if (a->min > 0 && (a->max == width_max || chance(50)))
		return rnd_below(a->min);
	if (a->max >= width_max)	/* no room above */
		return a->min - 1;
	return a->max + 1 + rnd_below(width_max - a->max);
}

/* An out-of-range value: a top-level attribute, or in a policy nest. */
static void build_range(const struct fz_cmd **cp)
{
	const struct fz_cmd *c;
	struct nlmsghdr *nlh;
	int t;

	do {
		c = rnd_doit_cmd();
		t = rnd_taken_attr(c, T_NONE);
	} while (c->attrs[t].type == T_MAC || c->attrs[t].type == T_NAME ||
		 c->attrs[t].type == T_UPLINKS);
	*cp = c;
	build_valid(c, t);
	/* dumps refuse the same: but build_valid may have made one */
	nlh = &fz_req.nlh;
	switch (c->attrs[t].type) {
	case T_U8:
		mnl_attr_put_u8(nlh, t, rnd_out_of_range(&c->attrs[t], 0xff));
		break;
	case T_U16:
		mnl_attr_put_u16(nlh, t, rnd_out_of_range(&c->attrs[t], 0xffff));
		break;
	case T_U32:
		if (c->attrs[t].max == UINT32_MAX)	/* an ifindex: 0 */
			put_u32(nlh, t, 0);
		else if (c->cmd == NESTSW_CMD_PG_SET && t == NESTSW_A_PG_INHERIT)
			put_u32(nlh, t, (POLICY_ATTRS_ALL + 1) << rnd_below(23));
		else
			put_u32(nlh, t, rnd_out_of_range(&c->attrs[t], UINT32_MAX));
		break;
	case T_POLICY: {
		struct nlattr *nest = mnl_attr_nest_start(nlh, t);
		int p = 1 + rnd_below(NESTSW_A_POLICY_MAX);

		if (chance(50))
			put_u32(nlh, 1 + rnd_below(NESTSW_A_POLICY_MAX),
				rnd_in(&fz_policy_attrs[1]));
		if (p != NESTSW_A_POLICY_PROMISCUOUS && chance(50))
			put_u32(nlh, NESTSW_A_POLICY_PROMISCUOUS, 1);
		put_u32(nlh, p, rnd_out_of_range(&fz_policy_attrs[p], UINT32_MAX));
		mnl_attr_nest_end(nlh, nest);
		break;
	}
	case T_VLANS:
		put_vlans(nlh, t, true);
		break;
	default:
		break;
	}
}

/* Sizes each kind of attribute must not have. */
static size_t rnd_wrong_len(enum fz_type type)
{
	static const size_t u8s[] = { 0, 2, 4, 8 }, u16s[] = { 0, 1, 4, 8 },
		u32s[] = { 0, 1, 2, 3, 8, 16 }, macs[] = { 0, 1, 5, 7, 8, 16 },
		vlans[] = { 0, 1, 64, NESTSW_VLAN_BITMAP_LEN - 1,
			    NESTSW_VLAN_BITMAP_LEN + 1, 2 * NESTSW_VLAN_BITMAP_LEN };
	size_t len;

	if (chance(10)) {	/* oversized */
		len = 64 + rnd_below(3000);
		return len == NESTSW_VLAN_BITMAP_LEN && type == T_VLANS ? len + 4 : len;
	}
	switch (type) {
	case T_U8:
		return u8s[rnd_below(4)];
	case T_U16:
		return u16s[rnd_below(4)];
	case T_U32:
		return u32s[rnd_below(6)];
	case T_MAC:
		return macs[rnd_below(6)];
	case T_VLANS:
		return vlans[rnd_below(6)];
	default:
		return 0;
	}
}

static void build_length(const struct fz_cmd **cp)
{
	uint8_t junk[3100];
	const struct fz_cmd *c;
	size_t len, i;
	int t;

	do {
		c = rnd_doit_cmd();
		t = rnd_taken_attr(c, T_NONE);
	} while (c->attrs[t].type == T_POLICY || c->attrs[t].type == T_UPLINKS);
	*cp = c;
	build_valid(c, t);
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = rnd();
	if (c->attrs[t].type == T_NAME) {
		/* no NUL, or longer than NESTSW_PG_NAME_LEN - 1 */
		len = chance(50) ? 1 + rnd_below(15) : NESTSW_PG_NAME_LEN + rnd_below(200);
		for (i = 0; i < len; i++)
			junk[i] = 'a' + rnd_below(26);
		if (len >= NESTSW_PG_NAME_LEN && chance(50))
			junk[len++] = 0;
	} else {
		len = rnd_wrong_len(c->attrs[t].type);
	}
	put_raw(&fz_req.nlh, t, junk, len);
}

static void build_unknown(const struct fz_cmd **cp)
{
	const struct fz_cmd *c = rnd_cmd();
	uint32_t v = rnd();
	int t;

	*cp = c;
	build_valid(c, 0);
	/* 14 bits: the kernel masks NLA_F_NESTED and NLA_F_NET_BYTEORDER off */
	do
		t = chance(50) ? rnd_below(FZ_MAX_ATTRS) : rnd_below(NLA_F_NET_BYTEORDER);
	while (takes(c, t));
	put_raw(&fz_req.nlh, t, &v, rnd_below(2) ? 4 : rnd_below(5));
}

/* The last attribute claims more bytes than the message holds. */
static size_t build_truncated(const struct fz_cmd **cp)
{
	const struct fz_cmd *c = rnd_doit_cmd();
	struct nlmsghdr *nlh = &fz_req.nlh;
	struct nlattr *last;
	uint32_t v = rnd();

	*cp = c;
	build_valid(c, 0);
	last = (struct nlattr *)((char *)nlh + nlh->nlmsg_len);
	put_raw(nlh, 1 + rnd_below(FZ_MAX_ATTRS - 1), &v, 4);
	if (chance(50)) {
		last->nla_len = 8 + 4 + rnd_below(64);	/* past the end */
	} else {
		last->nla_len = rnd_below(4);		/* shorter than a header */
	}
	if (chance(30))		/* the netlink length cuts it, too */
		nlh->nlmsg_len -= 1 + rnd_below(3);
	return nlh->nlmsg_len;
}

/* A valid inner attribute of a nest of @uplinks names, else of a policy. */
static void put_inner(struct nlmsghdr *nlh, bool uplinks)
{
	if (uplinks)
		mnl_attr_put_strz(nlh, NESTSW_A_UPLINKS_NAME, "fzup");
	else
		put_u32(nlh, 1 + rnd_below(NESTSW_A_POLICY_MAX), 0);
}

/* A name no nest of uplinks takes: 16 bytes, or no NUL at its end. */
static void put_bad_name(struct nlmsghdr *nlh)
{
	static const char name[] = "fzupfzupfzupfzup";

	if (chance(50))
		mnl_attr_put_strz(nlh, NESTSW_A_UPLINKS_NAME, name);
	else
		put_raw(nlh, NESTSW_A_UPLINKS_NAME, name, 4);
}

/*
 * A nest, a policy or a list of uplinks, holding something its policy
 * does not take.
 */
static void build_nest(const struct fz_cmd **cp)
{
	static const uint8_t cmds[] = {
		NESTSW_CMD_SWITCH_SET, NESTSW_CMD_PG_NEW, NESTSW_CMD_PG_SET,
	};
	const struct fz_cmd *c = &fz_cmds[cmds[rnd_below(3)] - 1];
	int t = rnd_taken_attr(c, chance(50) ? T_UPLINKS : T_POLICY);
	struct nlmsghdr *nlh;
	struct nlattr *nest, *inner;
	int inner_max, pick;
	uint8_t junk[64];
	unsigned int i;
	bool uplinks;
	uint32_t v;

	if (!t)		/* a switch has no uplinks nest */
		t = rnd_taken_attr(c, T_POLICY);
	uplinks = c->attrs[t].type == T_UPLINKS;
	inner_max = uplinks ? NESTSW_A_UPLINKS_MAX : NESTSW_A_POLICY_MAX;
	*cp = c;
	build_valid(c, t);
	nlh = &fz_req.nlh;
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = rnd();
	pick = rnd_below(uplinks ? 6 : 5);
	nest = mnl_attr_nest_start(nlh, t);
	switch (pick) {
	case 0:		/* not flagged as a nest */
		put_inner(nlh, uplinks);
		mnl_attr_nest_end(nlh, nest);
		nest->nla_type &= ~NLA_F_NESTED;
		break;
	case 1:		/* shorter than an attribute header */
		memcpy(mnl_nlmsg_get_payload_tail(nlh), junk, 4);
		nlh->nlmsg_len += 4;
		nest->nla_len = 4 + 1 + rnd_below(3);
		break;
	case 2:		/* an inner attribute past the nest's end */
		put_inner(nlh, uplinks);
		inner = mnl_attr_get_payload(nest);
		inner->nla_len = MNL_ALIGN(inner->nla_len) + 4 * (1 + rnd_below(8));
		mnl_attr_nest_end(nlh, nest);
		break;
	case 3:		/* an unknown inner attribute, among valid ones */
		if (chance(50))
			put_inner(nlh, uplinks);
		v = rnd();
		put_raw(nlh, chance(50) ? 0 : inner_max + 1 + rnd_below(100),
			&v, 4);
		mnl_attr_nest_end(nlh, nest);
		break;
	case 4:		/* a nest inside the nest */
		put_policy(nlh, 1 + rnd_below(inner_max), 0);
		mnl_attr_nest_end(nlh, nest);
		break;
	default:	/* a name too long, or not a string */
		if (chance(50))
			put_inner(nlh, uplinks);
		put_bad_name(nlh);
		mnl_attr_nest_end(nlh, nest);
		break;
	}
}

/* A required attribute left out: ifindex, name or MAC of a doit. */
static void build_missing(const struct fz_cmd **cp)
{
	const struct fz_cmd *c;
	int t;

	do
		c = rnd_doit_cmd();
	while (!c->required && c->cmd != NESTSW_CMD_FDB_FLUSH);
	*cp = c;
	if (c->cmd == NESTSW_CMD_FDB_FLUSH) {	/* neither switch nor port */
		req_start(c->cmd, false);
		return;
	}
	do
		t = rnd_taken_attr(c, T_NONE);
	while (!(c->required & BIT(t)));
	build_valid(c, t);
	/* a doit: build_valid makes a dump only for commands with one */
	fz_req.nlh.nlmsg_flags &= ~NLM_F_DUMP;
}

static void build_badmac(const struct fz_cmd **cp)
{
	static const uint8_t bad[][6] = {
		{ 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 },
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		{ 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 },
		{ 0, 0, 0, 0, 0, 0 },
	};
	const struct fz_cmd *c = &fz_cmds[NESTSW_CMD_FDB_NEW - 1];
	struct nlmsghdr *nlh = req_start(c->cmd, false);
	uint8_t mac[6];
	int t = NESTSW_A_FDB_MAC;

	memcpy(mac, bad[rnd_below(4)], 6);
	if (mac[0] & 1)
		mac[5] ^= rnd();
	if (chance(50)) {	/* port-set of dm1, whose MACs the admin sets */
		c = &fz_cmds[NESTSW_CMD_PORT_SET - 1];
		nlh = req_start(c->cmd, false);
		put_u32(nlh, NESTSW_A_PORT_IFINDEX, fz.port[1]);
		t = rnd_below(2) ? NESTSW_A_PORT_INITIAL_MAC : NESTSW_A_PORT_EFFECTIVE_MAC;
	} else {
		put_u32(nlh, NESTSW_A_FDB_PORT_IFINDEX, pick_port());
	}
	*cp = c;
	put_raw(nlh, t, mac, 6);
}

/* The ifindex attributes of @c, by what they name. */
static bool names_port(const struct fz_cmd *c, int t)
{
	return (c->cmd == NESTSW_CMD_PORT_GET && t == NESTSW_A_PORT_IFINDEX) ||
	       (c->cmd == NESTSW_CMD_PORT_SET && t == NESTSW_A_PORT_IFINDEX) ||
	       (c->cmd >= NESTSW_CMD_FDB_NEW && t == NESTSW_A_FDB_PORT_IFINDEX);
}

/* Aim one ifindex of a well-formed request at @ifindex (0: as it fits). */
static void build_aimed(const struct fz_cmd **cp, bool gone)
{
	const struct fz_cmd *c;
	struct nlmsghdr *nlh;
	uint32_t target;
	int t;

	do {
		c = rnd_cmd();
		t = rnd_taken_attr(c, T_U32);
	} while (!t || c->attrs[t].max != UINT32_MAX);
	*cp = c;
	if (gone) {
		target = fz.gone[rnd_below(2)];
		if (!target || chance(20))
			target = 100000 + rnd_below(1000000);
	} else if (names_port(c, t)) {	/* a switch, or a non-port */
		target = rnd_below(2) ? pick_switch() : fz.other;
	} else {
		target = rnd_below(2) ? pick_port() : fz.other;
	}
	build_valid(c, t);
	nlh = &fz_req.nlh;
	/* the fdb dump and flush: the other selector must go */
	if (c->cmd == NESTSW_CMD_FDB_GET || c->cmd == NESTSW_CMD_FDB_FLUSH)
		drop_attr(t == NESTSW_A_FDB_SWITCH_IFINDEX ?
			  NESTSW_A_FDB_PORT_IFINDEX : NESTSW_A_FDB_SWITCH_IFINDEX);
	/* a port dump without its filter lists all: keep it a doit */
	if (c->cmd == NESTSW_CMD_PORT_GET && t == NESTSW_A_PORT_IFINDEX)
		nlh->nlmsg_flags &= ~NLM_F_DUMP;
	if (c->cmd == NESTSW_CMD_PORT_GET && t == NESTSW_A_PORT_SWITCH_IFINDEX)
		nlh->nlmsg_flags |= NLM_F_DUMP;
	if (c->cmd == NESTSW_CMD_SWITCH_GET)
		nlh->nlmsg_flags &= ~NLM_F_DUMP;
	put_u32(nlh, t, target);
}

static void build_header(const struct fz_cmd **cp)
{
	const struct fz_cmd *c = rnd_cmd();
	struct genlmsghdr *g;

	*cp = c;
	build_valid(c, 0);
	g = mnl_nlmsg_get_payload(&fz_req.nlh);
	if (chance(50))
		g->reserved = 1 + rnd_below(0xffff);
	else if (fz_req.nlh.nlmsg_flags & NLM_F_DUMP)	/* DUMP is 0x300 */
		fz_req.nlh.nlmsg_flags |= NLM_F_ATOMIC;
	else	/* NLM_F_ROOT, _MATCH or _ATOMIC: no doit's flags */
		fz_req.nlh.nlmsg_flags |= NLM_F_ROOT << rnd_below(3);
}

static void build_nocmd(const struct fz_cmd **cp)
{
	static const struct fz_cmd none = { .name = "(none)" };
	uint8_t cmd;
	bool dump = chance(50);

	*cp = &none;
	switch (rnd_below(4)) {
	case 0:		/* a doit of the dump-only fdb-get */
		cmd = NESTSW_CMD_FDB_GET;
		dump = false;
		break;
	case 1:		/* a dump of a doit-only command */
		cmd = NESTSW_CMD_PORT_SET + 2 * rnd_below(3);
		dump = true;
		break;
	default:	/* unspec, the event, or beyond */
		cmd = rnd_below(2) ? 0 : NESTSW_CMD_EVENT + rnd_below(256 - NESTSW_CMD_EVENT);
		break;
	}
	req_start(cmd, dump);
	put_u32(&fz_req.nlh, 1, pick_switch());
}

static void send_bad(void)
{
	enum fz_kind kind = 1 + rnd_below(N_KINDS - 1);
	const struct fz_cmd *c = NULL;
	size_t len = 0;

	switch (kind) {
	case K_MISSING:
		build_missing(&c);
		break;
	case K_RANGE:
		build_range(&c);
		break;
	case K_LENGTH:
		build_length(&c);
		break;
	case K_UNKNOWN:
		build_unknown(&c);
		break;
	case K_TRUNCATED:
		len = build_truncated(&c);
		break;
	case K_NEST:
		build_nest(&c);
		break;
	case K_BADMAC:
		build_badmac(&c);
		break;
	case K_WRONGDEV:
		build_aimed(&c, false);
		break;
	case K_GONE:
		build_aimed(&c, true);
		break;
	case K_HEADER:
		build_header(&c);
		break;
	default:
		build_nocmd(&c);
		break;
	}
	send_checked(kind, c->name, len ? len : fz_req.nlh.nlmsg_len);
}

/*
 * A switch fzsw with a port fzdm: well-formed requests on them, then both
 * deleted; their ifindexes are what K_GONE aims at from now on.
 */
static void device_life(void)
{
	uint32_t sw, dm, real_sw0 = fz.sw[0], real_dm1 = fz.port[1];
	bool first;
	int i;

	rt_link(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, "fzsw", "nestsw", 0, 0);
	sw = ifindex_of("fzsw");
	rt_link(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, "fzdm", "dummy", sw, 0);
	dm = ifindex_of("fzdm");
	fz.sw[0] = sw;
	fz.port[1] = dm;
	for (i = 0; i < VALID_PER_ROUND * 2; i++)
		send_valid();
	fz.sw[0] = real_sw0;
	fz.port[1] = real_dm1;
	first = rnd_below(2);	/* the switch first, or its port */
	rt_link(RTM_DELLINK, 0, NULL, NULL, 0, first ? sw : dm);
	rt_link(RTM_DELLINK, 0, NULL, NULL, 0, first ? dm : sw);
	fz.gone[0] = sw;
	fz.gone[1] = dm;
	st.lives++;
}

static void round_run(unsigned long count)
{
	struct fz_state before, after;
	int i;

	if (st.rounds % CHURN_EVERY == CHURN_EVERY - 1)
		device_life();
	for (i = 0; i < VALID_PER_ROUND && st.sent < count; i++)
		send_valid();
	state_take(&before);
	for (i = 0; i < BAD_PER_ROUND && st.sent < count; i++)
		send_bad();
	state_take(&after);
	if (state_differs(&before, &after)) {
		st.state_diffs++;
		printf("# FAIL seed %llu: the state changed during the refused requests %lu..%lu\n",
		       fz_seed, st.sent - i, st.sent - 1);
	}
	state_free(&before);
	state_free(&after);
	st.rounds++;
}

int main(int argc, char **argv)
{
	unsigned long count;
	struct timespec t0, t1;
	int k;

	if (argc != 3) {
		fprintf(stderr, "usage: nl_fuzz SEED COUNT\n");
		return 2;
	}
	fz_seed = strtoull(argv[1], NULL, 0);
	count = strtoul(argv[2], NULL, 0);
	fz_rng = fz_seed * 2654435761ULL + 0x9E3779B97F4A7C15ULL;
	printf("# nl_fuzz: seed %llu, %lu requests\n", fz_seed, count);
	fflush(stdout);

	fz.sw[0] = ifindex_of("sw0");
	fz.sw[1] = ifindex_of("sw1");
	fz.port[0] = ifindex_of("vp1");
	fz.port[1] = ifindex_of("dm1");
	fz.other = ifindex_of("dm2");
	nl_open(&fz_nl, NETLINK_GENERIC);
	nl_open(&fz_rt, NETLINK_ROUTE);
	family_lookup();

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (st.sent < count)
		round_run(count);
	clock_gettime(CLOCK_MONOTONIC, &t1);

	printf("# nl_fuzz: by kind:");
	for (k = 0; k < N_KINDS; k++)
		printf(" %s %lu", fz_kind_names[k], st.by_kind[k]);
	printf("\n");
	printf("nl_fuzz: sent %lu valid %lu valid_ok %lu refused %lu bad_accepted %lu no_extack %lu core_refusals %lu state_diffs %lu rounds %lu device_lives %lu seconds %ld\n",
	       st.sent, st.valid, st.valid_ok, st.refused, st.bad_accepted,
	       st.no_extack, st.core_refusals, st.state_diffs, st.rounds,
	       st.lives, (long)(t1.tv_sec - t0.tv_sec));
	return fz_fails || st.state_diffs ? 1 : 0;
}

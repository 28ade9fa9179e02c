// SPDX-License-Identifier: GPL-2.0
/*
 * nestsw: generic netlink transport.
 *
 * One socket, one request at a time: every request asks for an ack (or is
 * a dump, which ends in NLMSG_DONE), and the replies are read up to it.
 * Errors are printed as iproute2 does, with the kernel's extended ack:
 * "Error: nestsw: MESSAGE (attribute NAME).", NAME the spec's name of the
 * attribute the kernel points at, by offset or (missing) by type.
 *
 * nsw_genl_listen() then turns the socket into a listener of the family's
 * multicast group "monitor", whose id the family lookup found.
 *
 * A second socket, rtnetlink, serves the few link requests the tool makes
 * (setconf enslaves and releases ports), with the same error printing.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/nestsw.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "genl.h"
#include "nestsw.h"
#include "print.h"

#define NSW_RECV_SIZE	32768	/* the most the kernel puts in one read */
#define NSW_MSG_PREFIX	NESTSW_FAMILY_NAME ": "

/**
 * struct nsw_sock - a netlink socket the tool talks through
 * @nl: the socket, NULL until first used
 * @portid: its port id
 * @seq: the sequence number of its last request
 */
struct nsw_sock {
	struct mnl_socket *nl;
	unsigned int portid;
	unsigned int seq;
};

/* Generic netlink for the family; rtnetlink for port membership. */
static struct nsw_sock nsw_genl_sock, nsw_rtnl_sock;
static unsigned short nsw_family;
static unsigned int nsw_mcgrp_monitor;	/* 0: the family has none */

/* Buffers in unions with a header, to be aligned as netlink wants. */
static union {
	struct nlmsghdr nlh;
	char buf[NSW_REQ_SIZE];
} nsw_req;

static union {
	struct nlmsghdr nlh;
	char buf[NSW_RECV_SIZE];
} nsw_reply;

/* The extended ack of the last error, reset by each request. */
static struct {
	char msg[256];
	unsigned int offs;	/* of the bad attribute in the request, or 0 */
	unsigned int miss;	/* type of a missing attribute, if has_miss */
	unsigned int miss_nest;	/* offset of the nest it is missing in, or 0 */
	bool has_miss;
} nsw_ext;

static struct nlmsghdr *nsw_msg(unsigned short type, unsigned char cmd,
				unsigned char version, unsigned short flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nsw_req.buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

static int nsw_ext_attr(const struct nlattr *attr, void *data)
{
	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		if (!mnl_attr_validate(attr, MNL_TYPE_NUL_STRING))
			snprintf(nsw_ext.msg, sizeof(nsw_ext.msg), "%s",
				 mnl_attr_get_str(attr));
		break;
	case NLMSGERR_ATTR_OFFS:
		if (!mnl_attr_validate(attr, MNL_TYPE_U32))
			nsw_ext.offs = mnl_attr_get_u32(attr);
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		if (!mnl_attr_validate(attr, MNL_TYPE_U32)) {
			nsw_ext.miss = mnl_attr_get_u32(attr);
			nsw_ext.has_miss = true;
		}
		break;
	case NLMSGERR_ATTR_MISS_NEST:
		if (!mnl_attr_validate(attr, MNL_TYPE_U32))
			nsw_ext.miss_nest = mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

/* Keep the extended ack found @offs into the payload; fail with @err. */
static int nsw_fail(const struct nlmsghdr *nlh, unsigned int offs, int err)
{
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_parse(nlh, offs, nsw_ext_attr, NULL);
	errno = -err;
	return MNL_CB_ERROR;
}

static int nsw_error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	unsigned int offs = sizeof(*e);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (!e->error)
		return MNL_CB_STOP;
	/* The request is echoed, whole unless NETLINK_CAP_ACK took effect. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		offs += mnl_nlmsg_get_payload_len(&e->msg);
	return nsw_fail(nlh, offs, e->error);
}

/* A dump ends with NLMSG_DONE, which carries an error if it failed. */
static int nsw_done_cb(const struct nlmsghdr *nlh, void *data)
{
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(err))
		return MNL_CB_STOP;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	return err ? nsw_fail(nlh, sizeof(err), err) : MNL_CB_STOP;
}

/*
 * A reply @cb could not read stops nsw_run() early: read away what is
 * left of the request's replies (its ack, the rest of a dump, which the
 * kernel goes on writing as it is read), or the next request, in the same
 * batch, would take them for its own.
 */
static void nsw_drain(struct nsw_sock *sk)
{
	while (recv(mnl_socket_get_fd(sk->nl), nsw_reply.buf,
		    sizeof(nsw_reply.buf), MSG_DONTWAIT) > 0)
		;
}

/* Send @req on @sk, pass each reply to @cb; 0 or a negative errno. */
static int nsw_run(struct nsw_sock *sk, struct nlmsghdr *req, mnl_cb_t cb,
		   void *data)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {	/* libmnl wants it writable */
		[NLMSG_ERROR] = nsw_error_cb,
		[NLMSG_DONE] = nsw_done_cb,
	};
	ssize_t len;
	int ret, err;

	memset(&nsw_ext, 0, sizeof(nsw_ext));
	req->nlmsg_seq = ++sk->seq;
	if (mnl_socket_sendto(sk->nl, req, req->nlmsg_len) < 0)
		return -errno;
	do {
		len = mnl_socket_recvfrom(sk->nl, nsw_reply.buf,
					  sizeof(nsw_reply.buf));
		if (len < 0)
			return -errno;
		ret = mnl_cb_run2(nsw_reply.buf, len, req->nlmsg_seq,
				  sk->portid, cb, data, ctl, ARRAY_SIZE(ctl));
	} while (ret == MNL_CB_OK);
	if (ret != MNL_CB_ERROR)
		return 0;
	err = errno ?: EIO;
	nsw_drain(sk);
	errno = err;	/* the kernel's, which pg del reads */
	return -err;
}

/**
 * struct nsw_attr_set - an attribute set of the spec, whose attributes an
 *	error names (see the types tables, which parse replies, below)
 * @names: by type, the name the spec gives it
 * @max: the highest type
 * @nests: by type, the set an attribute nests, or NULL (none nest)
 */
struct nsw_attr_set {
	const char *const *names;
	unsigned int max;
	const struct nsw_attr_set *const *nests;
};

static const struct nsw_attr_set nsw_switch_set, nsw_pg_set, nsw_port_set,
	nsw_fdb_set;

/* The set of a request of the family, or NULL (the controller's, rtnl). */
static const struct nsw_attr_set *nsw_req_set(const struct nlmsghdr *req,
					      size_t hdrlen)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(req);

	if (hdrlen != GENL_HDRLEN || req->nlmsg_type != nsw_family)
		return NULL;
	switch (genl->cmd) {
	case NESTSW_CMD_PORT_GET:
	case NESTSW_CMD_PORT_SET:
		return &nsw_port_set;
	case NESTSW_CMD_SWITCH_GET:
	case NESTSW_CMD_SWITCH_SET:
		return &nsw_switch_set;
	case NESTSW_CMD_PG_NEW:
	case NESTSW_CMD_PG_SET:
	case NESTSW_CMD_PG_DEL:
	case NESTSW_CMD_PG_GET:
		return &nsw_pg_set;
	default:
		return &nsw_fdb_set;
	}
}

/* Append the name of attribute @type of @set (its number if unknown). */
static void nsw_attr_name(const struct nsw_attr_set *set, unsigned int type,
			  char *buf, size_t size)
{
	size_t len = strlen(buf);

	if (set && type <= set->max && set->names[type])
		snprintf(buf + len, size - len, "%s", set->names[type]);
	else
		snprintf(buf + len, size - len, "%u", type);
}

/**
 * nsw_attr_path() - name the attribute at @at, among those from @a to
 *	@end, of @set: its path from the request's top level, "policy.ageing"
 * @a: the first attribute
 * @end: where they end
 * @at: where the attribute the kernel named starts
 * @set: their set, or NULL if unknown (numbers are printed); set to the
 *	set the attribute found nests, or NULL
 * @buf: the path is appended to it
 * @size: its size
 *
 * Return: whether an attribute starts at @at.
 */
static bool nsw_attr_path(const char *a, const char *end, const char *at,
			  const struct nsw_attr_set **set, char *buf,
			  size_t size)
{
	const struct nlattr *attr;
	unsigned int type;
	size_t len;

	for (; a + sizeof(*attr) <= end; a += MNL_ALIGN(attr->nla_len)) {
		attr = (const void *)a;
		if (attr->nla_len < sizeof(*attr) || attr->nla_len > end - a)
			return false;
		if (at >= a + MNL_ALIGN(attr->nla_len))
			continue;
		type = mnl_attr_get_type(attr);
		nsw_attr_name(*set, type, buf, size);
		*set = *set && (*set)->nests && type <= (*set)->max ?
		       (*set)->nests[type] : NULL;
		if (at == a)
			return true;
		len = strlen(buf);
		snprintf(buf + len, size - len, ".");
		return nsw_attr_path(mnl_attr_get_payload(attr),
				     a + attr->nla_len, at, set, buf, size);
	}
	return false;
}

/*
 * The attribute of @req (@hdrlen after its header) at @offs, as a path of
 * the spec's names in @buf; false if there is none there.
 */
static bool nsw_req_attr(const struct nlmsghdr *req, size_t hdrlen,
			 unsigned int offs, const struct nsw_attr_set **set,
			 char *buf, size_t size)
{
	const char *start = (const char *)req;

	*buf = '\0';
	*set = nsw_req_set(req, hdrlen);
	return offs >= mnl_nlmsg_size(hdrlen) && offs < req->nlmsg_len &&
	       nsw_attr_path(start + mnl_nlmsg_size(hdrlen),
			     start + req->nlmsg_len, start + offs, set, buf,
			     size);
}

/*
 * Which attribute of @req (@hdrlen after its header) the kernel named:
 * the bad one, " (attribute policy.ageing)", or the one missing, at the
 * top level or in a nest, " (missing attribute name)". Names are the
 * spec's, numbers those the tool does not know (a newer kernel's).
 */
static void nsw_perror_attr(const struct nlmsghdr *req, size_t hdrlen)
{
	const struct nsw_attr_set *set;
	char path[128];
	size_t len;

	if (nsw_req_attr(req, hdrlen, nsw_ext.offs, &set, path, sizeof(path)))
		fprintf(stderr, " (attribute %s)", path);
	else if (nsw_ext.offs)
		fprintf(stderr, " (attribute at offset %u)", nsw_ext.offs);
	if (!nsw_ext.has_miss)
		return;
	if (nsw_req_attr(req, hdrlen, nsw_ext.miss_nest, &set, path,
			 sizeof(path))) {
		len = strlen(path);
		snprintf(path + len, sizeof(path) - len, ".");
	} else {
		*path = '\0';
		set = nsw_req_set(req, hdrlen);
	}
	nsw_attr_name(set, nsw_ext.miss, path, sizeof(path));
	fprintf(stderr, " (missing attribute %s)", path);
}

/*
 * "Error: nestsw: MESSAGE (attribute NAME)." for a request of the family;
 * rtnetlink's (@hdrlen its header's size) say "nestsw: " only if the
 * module wrote the message.
 */
static void nsw_perror(const struct nlmsghdr *req, size_t hdrlen, int err)
{
	const char *msg = nsw_ext.msg[0] ? nsw_ext.msg : strerror(err);
	const char *prefix = hdrlen == GENL_HDRLEN ? NSW_MSG_PREFIX : "";
	size_t len;

	/* NL_SET_ERR_MSG_MOD() in the module already names it. */
	if (!strncmp(msg, NSW_MSG_PREFIX, strlen(NSW_MSG_PREFIX))) {
		msg += strlen(NSW_MSG_PREFIX);
		prefix = NSW_MSG_PREFIX;
	}
	len = strlen(msg);
	if (len && msg[len - 1] == '.')
		len--;
	nsw_err_lead();
	fprintf(stderr, "Error: %s%.*s", prefix, (int)len, msg);
	nsw_perror_attr(req, hdrlen);
	fputs(".\n", stderr);
}

/* A member of CTRL_ATTR_MCAST_GROUPS: keep the id of "monitor". */
static int nsw_mcgrp_cb(const struct nlattr *grp, void *data)
{
	static const enum mnl_attr_data_type types[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
		[CTRL_ATTR_MCAST_GRP_NAME] = MNL_TYPE_NUL_STRING,
		[CTRL_ATTR_MCAST_GRP_ID] = MNL_TYPE_U32,
	};
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1] = {};

	if (nsw_genl_parse_nested(grp, tb, types, CTRL_ATTR_MCAST_GRP_MAX) !=
	    MNL_CB_OK)
		return MNL_CB_ERROR;
	if (tb[CTRL_ATTR_MCAST_GRP_NAME] && tb[CTRL_ATTR_MCAST_GRP_ID] &&
	    !strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]),
		    NESTSW_MCGRP_MONITOR))
		nsw_mcgrp_monitor = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	return MNL_CB_OK;
}

static int nsw_family_cb(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type types[CTRL_ATTR_MAX + 1] = {
		[CTRL_ATTR_FAMILY_ID] = MNL_TYPE_U16,
		[CTRL_ATTR_MCAST_GROUPS] = MNL_TYPE_NESTED,
	};
	const struct nlattr *tb[CTRL_ATTR_MAX + 1] = {};

	if (nsw_genl_parse(nlh, tb, types, CTRL_ATTR_MAX,
			   CTRL_ATTR_FAMILY_ID) != MNL_CB_OK)
		return MNL_CB_ERROR;
	nsw_family = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_MCAST_GROUPS] &&
	    mnl_attr_parse_nested(tb[CTRL_ATTR_MCAST_GROUPS], nsw_mcgrp_cb,
				  NULL) != MNL_CB_OK) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static int nsw_lookup_family(void)
{
	struct nlmsghdr *nlh;
	int err;

	nlh = nsw_msg(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, NESTSW_FAMILY_NAME);
	err = nsw_run(&nsw_genl_sock, nlh, nsw_family_cb, NULL);
	if (err == -ENOENT) {
		nsw_err_lead();
		fprintf(stderr,
			"nestsw: kernel module not loaded (genetlink family %s not found)\n",
			NESTSW_FAMILY_NAME);
		return NSW_EXIT_KERNEL;
	}
	if (err) {
		nsw_perror(nlh, GENL_HDRLEN, -err);
		return NSW_EXIT_KERNEL;
	}
	return 0;
}

static void nsw_sock_close(struct nsw_sock *sk)
{
	if (sk->nl)
		mnl_socket_close(sk->nl);
	sk->nl = NULL;
}

/* Open @sk, a socket of @bus (@what names it in errors). */
static int nsw_sock_open(struct nsw_sock *sk, int bus, const char *what)
{
	int one = 1;

	sk->nl = mnl_socket_open(bus);
	if (!sk->nl) {
		nsw_err_lead();
		fprintf(stderr, "Cannot open %s socket: %s\n", what,
			strerror(errno));
		return NSW_EXIT_KERNEL;
	}
	/* Best effort: without them errors lose their message, no more. */
	mnl_socket_setsockopt(sk->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(sk->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(sk->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		nsw_err_lead();
		fprintf(stderr, "Cannot bind %s socket: %s\n", what,
			strerror(errno));
		nsw_sock_close(sk);
		return NSW_EXIT_KERNEL;
	}
	sk->portid = mnl_socket_get_portid(sk->nl);
	sk->seq = time(NULL);
	return 0;
}

/*
 * Open the generic netlink socket and look the family up. On failure it
 * is closed, so the next command of a batch tries again, as the first.
 */
static int nsw_open(void)
{
	int ret;

	ret = nsw_sock_open(&nsw_genl_sock, NETLINK_GENERIC, "generic netlink");
	if (ret)
		return ret;
	ret = nsw_lookup_family();
	if (ret)
		nsw_sock_close(&nsw_genl_sock);
	return ret;
}

/**
 * nsw_genl_msg() - start the request of a command
 * @cmd: NESTSW_CMD_*
 * @flags: NLM_F_DUMP or 0; NLM_F_REQUEST and NLM_F_ACK are added
 *
 * Return: the request, or NULL (with the reason printed) if the family
 * cannot be reached; the caller then exits with NSW_EXIT_KERNEL.
 */
struct nlmsghdr *nsw_genl_msg(unsigned char cmd, unsigned short flags)
{
	if (!nsw_genl_sock.nl && nsw_open())
		return NULL;
	return nsw_msg(nsw_family, cmd, NESTSW_FAMILY_VERSION, flags);
}

/**
 * nsw_genl_talk() - send a request and read its replies
 * @req: from nsw_genl_msg(), or NULL if that failed
 * @cb: called for each reply message, or NULL if none is expected
 * @data: passed to @cb
 *
 * Return: 0, or NSW_EXIT_KERNEL after printing the error (nsw_genl_msg()
 * printed it if @req is NULL).
 */
int nsw_genl_talk(struct nlmsghdr *req, mnl_cb_t cb, void *data)
{
	int err;

	if (!req)
		return NSW_EXIT_KERNEL;
	err = nsw_run(&nsw_genl_sock, req, cb, data);
	if (!err)
		return 0;
	nsw_perror(req, GENL_HDRLEN, -err);
	return NSW_EXIT_KERNEL;
}

/**
 * nsw_rtnl_msg() - start an rtnetlink request
 * @type: RTM_*
 * @flags: added to NLM_F_REQUEST and NLM_F_ACK
 * @hdr: set to its struct ifinfomsg, zeroed
 *
 * Return: the request, or NULL (with the reason printed) if no rtnetlink
 * socket can be opened.
 */
struct nlmsghdr *nsw_rtnl_msg(unsigned short type, unsigned short flags,
			      struct ifinfomsg **hdr)
{
	struct nlmsghdr *nlh;

	if (!nsw_rtnl_sock.nl &&
	    nsw_sock_open(&nsw_rtnl_sock, NETLINK_ROUTE, "rtnetlink"))
		return NULL;
	nlh = mnl_nlmsg_put_header(nsw_req.buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	*hdr = mnl_nlmsg_put_extra_header(nlh, sizeof(**hdr));
	return nlh;
}

/* nsw_genl_talk() for a request of nsw_rtnl_msg(). */
int nsw_rtnl_talk(struct nlmsghdr *req, mnl_cb_t cb, void *data)
{
	int err;

	if (!req)
		return NSW_EXIT_KERNEL;
	err = nsw_run(&nsw_rtnl_sock, req, cb, data);
	if (!err)
		return 0;
	nsw_perror(req, sizeof(struct ifinfomsg), -err);
	return NSW_EXIT_KERNEL;
}

/**
 * nsw_genl_show() - nsw_genl_talk() whose replies @cb prints: with -j, as
 *	the members of one JSON array
 * @req: from nsw_genl_msg(), or NULL if that failed (nothing is printed)
 * @cb: prints a reply
 * @data: passed to @cb
 *
 * Return: as nsw_genl_talk().
 */
int nsw_genl_show(struct nlmsghdr *req, mnl_cb_t cb, void *data)
{
	int ret;

	if (!req)
		return NSW_EXIT_KERNEL;
	nsw_json_open_array(NULL);
	ret = nsw_genl_talk(req, cb, data);
	nsw_json_close_array();
	return ret;
}

/* A multicast message: a command of our family, for @cb. */
static int nsw_event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nsw_listener *l = data;
	const struct genlmsghdr *genl;

	if (nlh->nlmsg_type != nsw_family ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl))
		return MNL_CB_OK;
	genl = mnl_nlmsg_get_payload(nlh);
	return l->cb(nlh, genl->cmd, l->data);
}

/* Pass each multicast message to @l until an error; NSW_EXIT_KERNEL. */
static int nsw_listen_loop(const struct nsw_listener *l)
{
	ssize_t len;
	int ret;

	for (;;) {
		len = mnl_socket_recvfrom(nsw_genl_sock.nl, nsw_reply.buf,
					  sizeof(nsw_reply.buf));
		if (len < 0 && (errno == EINTR || errno == ENOBUFS)) {
			if (errno == ENOBUFS) {
				nsw_err_lead();
				fputs("nestsw: events lost (receive buffer full)\n",
				      stderr);
			}
			continue;
		}
		if (len < 0) {
			nsw_err_lead();
			perror("Cannot receive events");
			return NSW_EXIT_KERNEL;
		}
		ret = mnl_cb_run(nsw_reply.buf, len, 0, 0, nsw_event_cb,
				 (void *)l);
		if (ret == MNL_CB_ERROR) {
			nsw_err_lead();
			perror("Cannot read an event");
			return NSW_EXIT_KERNEL;
		}
	}
}

/*
 * A flood of learning or drop events outruns a terminal: give the monitor
 * the receive buffer iproute2's monitors ask for. Root may pass rmem_max;
 * without the privilege the kernel caps it.
 */
static void nsw_grow_rcvbuf(int fd)
{
	int size = 1024 * 1024;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

/**
 * nsw_genl_listen() - join the multicast group "monitor", pass each of its
 *	messages to a callback, until an error
 * @l: the callback, which returns MNL_CB_OK to go on
 *
 * Requests cannot be sent while it listens. When it stops, the socket is
 * closed: the next command of a batch opens a new one, outside the group.
 *
 * Return: NSW_EXIT_KERNEL after printing why it stopped.
 */
int nsw_genl_listen(const struct nsw_listener *l)
{
	unsigned int grp;
	int ret;

	if (!nsw_genl_sock.nl && nsw_open())
		return NSW_EXIT_KERNEL;
	grp = nsw_mcgrp_monitor;
	if (!grp) {
		nsw_err_lead();
		fprintf(stderr,
			"nestsw: kernel module has no multicast group \"%s\"\n",
			NESTSW_MCGRP_MONITOR);
		return NSW_EXIT_KERNEL;
	}
	nsw_grow_rcvbuf(mnl_socket_get_fd(nsw_genl_sock.nl));
	if (mnl_socket_setsockopt(nsw_genl_sock.nl, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) < 0) {
		nsw_err_lead();
		perror("Cannot join the monitor group");
		return NSW_EXIT_KERNEL;
	}
	ret = nsw_listen_loop(l);
	nsw_sock_close(&nsw_genl_sock);
	return ret;
}

/* What nsw_genl_parse() passes to nsw_parse_attr(). */
struct nsw_attrs {
	const struct nlattr **tb;
	const enum mnl_attr_data_type *types;
	unsigned int max;
};

static int nsw_parse_attr(const struct nlattr *attr, void *data)
{
	const struct nsw_attrs *p = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type > p->max)	/* from a newer kernel */
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, p->types[type])) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	p->tb[type] = attr;
	return MNL_CB_OK;
}

/* @ret, or MNL_CB_ERROR (errno EPROTO) if the attribute @need is absent. */
static int nsw_parsed(int ret, const struct nlattr **tb, unsigned int need)
{
	if (ret == MNL_CB_OK && need && !tb[need]) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	return ret;
}

const enum mnl_attr_data_type nsw_pg_attr_types[NESTSW_A_PG_MAX + 1] = {
	[NESTSW_A_PG_SWITCH_IFINDEX] = MNL_TYPE_U32,
	[NESTSW_A_PG_NAME] = MNL_TYPE_NUL_STRING,
	[NESTSW_A_PG_VLAN] = MNL_TYPE_U16,
	[NESTSW_A_PG_POLICY] = MNL_TYPE_NESTED,
	[NESTSW_A_PG_EFFECTIVE_POLICY] = MNL_TYPE_NESTED,
	[NESTSW_A_PG_INHERIT] = MNL_TYPE_U32,
	[NESTSW_A_PG_PORTS] = MNL_TYPE_U32,
	[NESTSW_A_PG_TEAM] = MNL_TYPE_U8,
	[NESTSW_A_PG_TRUNK_VLANS] = MNL_TYPE_BINARY,
	[NESTSW_A_PG_ACTIVE_UPLINKS] = MNL_TYPE_NESTED,
	[NESTSW_A_PG_STANDBY_UPLINKS] = MNL_TYPE_NESTED,
};

const enum mnl_attr_data_type nsw_port_attr_types[NESTSW_A_PORT_MAX + 1] = {
	[NESTSW_A_PORT_IFINDEX] = MNL_TYPE_U32,
	[NESTSW_A_PORT_SWITCH_IFINDEX] = MNL_TYPE_U32,
	[NESTSW_A_PORT_ROLE] = MNL_TYPE_U32,
	[NESTSW_A_PORT_PG] = MNL_TYPE_NUL_STRING,
	[NESTSW_A_PORT_INITIAL_MAC] = MNL_TYPE_BINARY,
	[NESTSW_A_PORT_EFFECTIVE_MAC] = MNL_TYPE_BINARY,
	[NESTSW_A_PORT_GUEST_PROMISCUOUS] = MNL_TYPE_U8,
	[NESTSW_A_PORT_FOLLOWS_PEER] = MNL_TYPE_U8,
	[NESTSW_A_PORT_DROPS] = MNL_TYPE_NESTED,
	[NESTSW_A_PORT_LEARNING] = MNL_TYPE_NESTED,
};

const enum mnl_attr_data_type nsw_fdb_attr_types[NESTSW_A_FDB_MAX + 1] = {
	[NESTSW_A_FDB_SWITCH_IFINDEX] = MNL_TYPE_U32,
	[NESTSW_A_FDB_PORT_IFINDEX] = MNL_TYPE_U32,
	[NESTSW_A_FDB_MAC] = MNL_TYPE_BINARY,
	[NESTSW_A_FDB_VLAN] = MNL_TYPE_U16,
	[NESTSW_A_FDB_FLAGS] = MNL_TYPE_U32,
	[NESTSW_A_FDB_AGE] = MNL_TYPE_U32,
};

/*
 * The names of the attributes of each set, as the spec
 * (Documentation/netlink/specs/nestsw.yaml) gives them, for errors; make
 * spec (selftests/spec_check.py) checks them, and the nests, against it.
 */
static const char *const nsw_policy_attr_names[NESTSW_A_POLICY_MAX + 1] = {
	[NESTSW_A_POLICY_PROMISCUOUS] = "promiscuous",
	[NESTSW_A_POLICY_MAC_CHANGES] = "mac-changes",
	[NESTSW_A_POLICY_FORGED_TRANSMITS] = "forged-transmits",
	[NESTSW_A_POLICY_LEARNING] = "learning",
	[NESTSW_A_POLICY_MAC_LIMIT] = "mac-limit",
	[NESTSW_A_POLICY_LIMIT_POLICY] = "limit-policy",
	[NESTSW_A_POLICY_UNKNOWN_FLOOD] = "unknown-flood",
	[NESTSW_A_POLICY_AGEING] = "ageing",
	[NESTSW_A_POLICY_GROUP_FWD] = "group-fwd",
};

static const struct nsw_attr_set nsw_policy_set = {
	nsw_policy_attr_names, NESTSW_A_POLICY_MAX, NULL
};

static const char *const nsw_switch_attr_names[NESTSW_A_SWITCH_MAX + 1] = {
	[NESTSW_A_SWITCH_IFINDEX] = "ifindex",
	[NESTSW_A_SWITCH_IFNAME] = "ifname",
	[NESTSW_A_SWITCH_POLICY] = "policy",
};

static const struct nsw_attr_set *const
nsw_switch_nests[NESTSW_A_SWITCH_MAX + 1] = {
	[NESTSW_A_SWITCH_POLICY] = &nsw_policy_set,
};

static const struct nsw_attr_set nsw_switch_set = {
	nsw_switch_attr_names, NESTSW_A_SWITCH_MAX, nsw_switch_nests
};

static const char *const nsw_pg_attr_names[NESTSW_A_PG_MAX + 1] = {
	[NESTSW_A_PG_SWITCH_IFINDEX] = "switch-ifindex",
	[NESTSW_A_PG_NAME] = "name",
	[NESTSW_A_PG_VLAN] = "vlan",
	[NESTSW_A_PG_POLICY] = "policy",
	[NESTSW_A_PG_EFFECTIVE_POLICY] = "effective-policy",
	[NESTSW_A_PG_INHERIT] = "inherit",
	[NESTSW_A_PG_PORTS] = "ports",
	[NESTSW_A_PG_TEAM] = "team",
	[NESTSW_A_PG_TRUNK_VLANS] = "trunk-vlans",
	[NESTSW_A_PG_ACTIVE_UPLINKS] = "active-uplinks",
	[NESTSW_A_PG_STANDBY_UPLINKS] = "standby-uplinks",
};

static const char *const nsw_uplinks_attr_names[NESTSW_A_UPLINKS_MAX + 1] = {
	[NESTSW_A_UPLINKS_NAME] = "name",
};

static const struct nsw_attr_set nsw_uplinks_set = {
	nsw_uplinks_attr_names, NESTSW_A_UPLINKS_MAX, NULL
};

static const struct nsw_attr_set *const nsw_pg_nests[NESTSW_A_PG_MAX + 1] = {
	[NESTSW_A_PG_POLICY] = &nsw_policy_set,
	[NESTSW_A_PG_EFFECTIVE_POLICY] = &nsw_policy_set,
	[NESTSW_A_PG_ACTIVE_UPLINKS] = &nsw_uplinks_set,
	[NESTSW_A_PG_STANDBY_UPLINKS] = &nsw_uplinks_set,
};

static const struct nsw_attr_set nsw_pg_set = {
	nsw_pg_attr_names, NESTSW_A_PG_MAX, nsw_pg_nests
};

static const char *const nsw_port_attr_names[NESTSW_A_PORT_MAX + 1] = {
	[NESTSW_A_PORT_IFINDEX] = "ifindex",
	[NESTSW_A_PORT_SWITCH_IFINDEX] = "switch-ifindex",
	[NESTSW_A_PORT_ROLE] = "role",
	[NESTSW_A_PORT_PG] = "pg",
	[NESTSW_A_PORT_INITIAL_MAC] = "initial-mac",
	[NESTSW_A_PORT_EFFECTIVE_MAC] = "effective-mac",
	[NESTSW_A_PORT_GUEST_PROMISCUOUS] = "guest-promiscuous",
	[NESTSW_A_PORT_FOLLOWS_PEER] = "follows-peer",
	[NESTSW_A_PORT_DROPS] = "drops",
	[NESTSW_A_PORT_LEARNING] = "learning",
};

static const struct nsw_attr_set nsw_port_set = {
	nsw_port_attr_names, NESTSW_A_PORT_MAX, NULL
};

static const char *const nsw_fdb_attr_names[NESTSW_A_FDB_MAX + 1] = {
	[NESTSW_A_FDB_SWITCH_IFINDEX] = "switch-ifindex",
	[NESTSW_A_FDB_PORT_IFINDEX] = "port-ifindex",
	[NESTSW_A_FDB_MAC] = "mac",
	[NESTSW_A_FDB_VLAN] = "vlan",
	[NESTSW_A_FDB_FLAGS] = "flags",
	[NESTSW_A_FDB_AGE] = "age",
};

static const struct nsw_attr_set nsw_fdb_set = {
	nsw_fdb_attr_names, NESTSW_A_FDB_MAX, NULL
};

/**
 * nsw_genl_parse() - index the attributes of a reply by type
 * @nlh: the reply
 * @tb: max + 1 entries, zeroed; each attribute found is stored in its slot
 * @types: max + 1 entries: the type each attribute must have
 * @max: the highest attribute type known; higher ones are skipped
 * @need: an attribute the reply must have, or 0
 *
 * Return: MNL_CB_OK, or MNL_CB_ERROR (errno EPROTO) if one is malformed
 * or @need is missing.
 */
int nsw_genl_parse(const struct nlmsghdr *nlh, const struct nlattr **tb,
		   const enum mnl_attr_data_type *types, unsigned int max,
		   unsigned int need)
{
	struct nsw_attrs p = { tb, types, max };

	return nsw_parsed(mnl_attr_parse(nlh, GENL_HDRLEN, nsw_parse_attr, &p),
			  tb, need);
}

/* nsw_genl_parse() for the attributes nested in @nest. */
int nsw_genl_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
			  const enum mnl_attr_data_type *types,
			  unsigned int max)
{
	struct nsw_attrs p = { tb, types, max };

	return mnl_attr_parse_nested(nest, nsw_parse_attr, &p);
}

void nsw_genl_close(void)
{
	nsw_sock_close(&nsw_genl_sock);
	nsw_sock_close(&nsw_rtnl_sock);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * nestsw: a port group's trunk VLANs and uplinks (see scope.h).
 *
 *	trunk-vlans all|VLANS		VLANS := VLAN[,VLAN...]
 *					VLAN := untagged|N|N-M (1..4094)
 *	active-uplinks all|DEV[,DEV...]
 *	standby-uplinks none|DEV[,DEV...]
 *
 * Lists take blanks around their commas, as a configuration file's
 * "eth1, eth2".
 */
#include <stdlib.h>
#include <string.h>

#include "nestsw.h"
#include "print.h"
#include "scope.h"

/* The highest VLAN a trunk carries; 4095 is reserved. */
#define SCOPE_VID_MAX	(NESTSW_VLAN_TRUNK - 1)

static bool scope_has_vlan(const unsigned char *vlans, unsigned int vid)
{
	return vlans[vid / 8] & (1U << (vid % 8));
}

static void scope_add_vlan(unsigned char *vlans, unsigned int vid)
{
	vlans[vid / 8] |= 1U << (vid % 8);
}

static void scope_every_vlan(unsigned char *vlans)
{
	memset(vlans, 0xff, NESTSW_VLAN_BITMAP_LEN);
	vlans[NESTSW_VLAN_TRUNK / 8] &= ~(1U << (NESTSW_VLAN_TRUNK % 8));
}

/* Whether @vlans is every VLAN: the trunk is not limited. */
static bool scope_all_vlans(const unsigned char *vlans)
{
	unsigned int vid;

	for (vid = 0; vid <= SCOPE_VID_MAX; vid++)
		if (!scope_has_vlan(vlans, vid))
			return false;
	return true;
}

/* No key given; every VLAN, the uplinks a new group uses. */
void nsw_scope_init(struct nsw_scope *s)
{
	memset(s, 0, sizeof(*s));
	scope_every_vlan(s->vlans);
}

/* Every key given, as a configuration's PG_NEW and PG_SET send them. */
void nsw_scope_given_all(struct nsw_scope *s)
{
	s->vlans_given = true;
	s->active_given = true;
	s->standby_given = true;
}

typedef int (*scope_item_fn)(void *ctx, const char *item, size_t len);

/*
 * Calls @fn for each item of the comma-separated list @val, without the
 * blanks around it; stops at the first it refuses (non-zero).
 */
static int scope_each(const char *val, scope_item_fn fn, void *ctx)
{
	const char *s, *end;
	size_t len;
	int ret;

	for (s = val; ; s = end + 1) {
		s += strspn(s, " \t");
		end = s + strcspn(s, ",");
		for (len = end - s; len && strchr(" \t", s[len - 1]); len--)
			;
		ret = fn(ctx, s, len);
		if (ret || !*end)
			return ret;
	}
}

/* "untagged" or 1..4094, @len bytes of @s. */
static bool scope_vid(const char *s, size_t len, unsigned int *vid)
{
	char buf[8];

	if (len == strlen("untagged") && !strncmp(s, "untagged", len)) {
		*vid = 0;
		return true;
	}
	if (!len || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return nsw_uint(buf, SCOPE_VID_MAX, vid);
}

/* A VLAN or a range N-M of the list, into the bitmap @ctx. */
static int scope_vlan_item(void *ctx, const char *item, size_t len)
{
	const char *dash = memchr(item, '-', len);
	unsigned int lo, hi;

	if (!dash) {
		if (!scope_vid(item, len, &lo))
			return -1;
		hi = lo;
	} else if (!scope_vid(item, dash - item, &lo) ||
		   !scope_vid(dash + 1, item + len - dash - 1, &hi) ||
		   lo > hi) {
		return -1;
	}
	for (; lo <= hi; lo++)
		scope_add_vlan(ctx, lo);
	return 0;
}

/* The item a list refused: the first one its callback fails on. */
static void scope_bad_item(const char *key, const char *val, const char *why,
			   const char *expected)
{
	nsw_err_lead();
	fprintf(stderr, "Invalid %s \"%s\": %s; expected %s.\n", key, val, why,
		expected);
}

static int scope_arg_vlans(struct nsw_scope *s, const char *key,
			   const char *val)
{
	unsigned char vlans[NESTSW_VLAN_BITMAP_LEN] = {};

	if (!strcmp(val, "all")) {
		scope_every_vlan(vlans);
	} else if (scope_each(val, scope_vlan_item, vlans)) {
		scope_bad_item(key, val,
			       "an item is no VLAN (untagged, 1 to 4094) or range N-M of them",
			       "all or a list, e.g. 10,20,100-199");
		return NSW_EXIT_USAGE;
	}
	memcpy(s->vlans, vlans, sizeof(vlans));
	s->vlans_given = true;
	return 0;
}

/* Where an uplink list's names go. */
struct scope_names {
	char (*names)[IF_NAMESIZE];
	unsigned int n;
	const char *key;
	const char *val;
	const char *expected;
};

/* A device name as the kernel takes one: 1 to 15 bytes, no blank, / or :. */
static bool scope_dev_name(const char *item, size_t len)
{
	size_t i;

	if (!len || len >= IF_NAMESIZE || (len <= 2 && !strncmp(item, "..", len)))
		return false;
	for (i = 0; i < len; i++)
		if (strchr(" \t/:", item[i]))
			return false;
	return true;
}

static int scope_name_item(void *ctx, const char *item, size_t len)
{
	struct scope_names *l = ctx;

	if (!scope_dev_name(item, len)) {
		scope_bad_item(l->key, l->val, "an item is no device name",
			       l->expected);
		return -1;
	}
	if (l->n == NESTSW_UPLINKS_MAX) {
		scope_bad_item(l->key, l->val, "more than 32 uplinks",
			       l->expected);
		return -1;
	}
	memcpy(l->names[l->n], item, len);
	l->names[l->n++][len] = '\0';
	return 0;
}

/* active-uplinks all|LIST or standby-uplinks none|LIST. */
static int scope_arg_names(const char *key, const char *val,
			   const char *empty, char (*names)[IF_NAMESIZE],
			   unsigned int *n)
{
	char list[NESTSW_UPLINKS_MAX][IF_NAMESIZE], expected[64];
	struct scope_names l = {
		.names = list, .key = key, .val = val, .expected = expected,
	};

	snprintf(expected, sizeof(expected),
		 "%s or up to 32 device names", empty);

	if (strcmp(val, empty) && scope_each(val, scope_name_item, &l))
		return NSW_EXIT_USAGE;
	memcpy(names, list, sizeof(list));
	*n = l.n;
	return 0;
}

/**
 * nsw_scope_arg() - take "KEY VALUE" if KEY is trunk-vlans,
 *	active-uplinks or standby-uplinks
 * @s: where the value goes
 * @key: the keyword
 * @val: its value, or NULL if the line ended
 *
 * Return: 0, an exit code after printing why, or NSW_UNKNOWN.
 */
int nsw_scope_arg(struct nsw_scope *s, const char *key, const char *val)
{
	int ret;

	if (nsw_kw(key, "trunk-vlans"))
		return val ? scope_arg_vlans(s, key, val) : nsw_missing(key);
	if (nsw_kw(key, "active-uplinks")) {
		if (!val)
			return nsw_missing(key);
		ret = scope_arg_names(key, val, "all", s->active, &s->n_active);
		s->active_given = !ret;
		return ret;
	}
	if (nsw_kw(key, "standby-uplinks")) {
		if (!val)
			return nsw_missing(key);
		ret = scope_arg_names(key, val, "none", s->standby,
				      &s->n_standby);
		s->standby_given = !ret;
		return ret;
	}
	return NSW_UNKNOWN;
}

static bool scope_names_equal(const char (*a)[IF_NAMESIZE], unsigned int na,
			      const char (*b)[IF_NAMESIZE], unsigned int nb)
{
	unsigned int i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (strcmp(a[i], b[i]))
			return false;
	return true;
}

/* Whether @a and @b are the same VLANs and uplinks (what is given aside). */
bool nsw_scope_equal(const struct nsw_scope *a, const struct nsw_scope *b)
{
	return !memcmp(a->vlans, b->vlans, sizeof(a->vlans)) &&
	       scope_names_equal(a->active, a->n_active, b->active,
				 b->n_active) &&
	       scope_names_equal(a->standby, a->n_standby, b->standby,
				 b->n_standby);
}

/* Whether @s limits a trunk to some of its VLANs. */
bool nsw_scope_some_vlans(const struct nsw_scope *s)
{
	return !scope_all_vlans(s->vlans);
}

/* The @i-th uplink @s names: the active ones, then the standby ones. */
static const char *scope_uplink(const struct nsw_scope *s, unsigned int i)
{
	return i < s->n_active ? s->active[i] : s->standby[i - s->n_active];
}

/*
 * An uplink @s names twice (an uplink is active or standby), or NULL; as
 * the module refuses it, so that a file is refused before any is applied.
 */
const char *nsw_scope_twice(const struct nsw_scope *s)
{
	unsigned int n = s->n_active + s->n_standby, i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (!strcmp(scope_uplink(s, i), scope_uplink(s, j)))
				return scope_uplink(s, i);
	return NULL;
}

static void scope_put_names(struct nlmsghdr *nlh, unsigned int type,
			    const char (*names)[IF_NAMESIZE], unsigned int n)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	unsigned int i;

	for (i = 0; i < n; i++)
		mnl_attr_put_strz(nlh, NESTSW_A_UPLINKS_NAME, names[i]);
	mnl_attr_nest_end(nlh, nest);
}

/* The keys @s gives, as PG_NEW and PG_SET attributes. */
void nsw_scope_put(struct nlmsghdr *nlh, const struct nsw_scope *s)
{
	if (s->vlans_given)
		mnl_attr_put(nlh, NESTSW_A_PG_TRUNK_VLANS, sizeof(s->vlans),
			     s->vlans);
	if (s->active_given)
		scope_put_names(nlh, NESTSW_A_PG_ACTIVE_UPLINKS, s->active,
				s->n_active);
	if (s->standby_given)
		scope_put_names(nlh, NESTSW_A_PG_STANDBY_UPLINKS, s->standby,
				s->n_standby);
}

static int scope_parse_names(const struct nlattr *nest,
			     char (*names)[IF_NAMESIZE], unsigned int *n)
{
	const struct nlattr *attr;

	*n = 0;
	if (!nest)
		return MNL_CB_OK;
	mnl_attr_for_each_nested(attr, nest) {
		if (mnl_attr_get_type(attr) != NESTSW_A_UPLINKS_NAME ||
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0 ||
		    *n == NESTSW_UPLINKS_MAX)
			return MNL_CB_ERROR;
		snprintf(names[(*n)++], IF_NAMESIZE, "%s",
			 mnl_attr_get_str(attr));
	}
	return MNL_CB_OK;
}

/* @s from a PG_GET reply's attributes @tb (every VLAN if none are). */
int nsw_scope_parse(const struct nlattr *const *tb, struct nsw_scope *s)
{
	const struct nlattr *vlans = tb[NESTSW_A_PG_TRUNK_VLANS];

	nsw_scope_init(s);
	if (vlans) {
		if (mnl_attr_get_payload_len(vlans) != sizeof(s->vlans))
			return MNL_CB_ERROR;
		memcpy(s->vlans, mnl_attr_get_payload(vlans), sizeof(s->vlans));
	}
	if (scope_parse_names(tb[NESTSW_A_PG_ACTIVE_UPLINKS], s->active,
			      &s->n_active) != MNL_CB_OK ||
	    scope_parse_names(tb[NESTSW_A_PG_STANDBY_UPLINKS], s->standby,
			      &s->n_standby) != MNL_CB_OK)
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

/* "untagged,10,20-29": the VLANs as the command line takes them. */
static char *scope_vlans_text(const unsigned char *vlans)
{
	/* "NNNN-NNNN," for every other VLAN at the worst */
	size_t size = (SCOPE_VID_MAX / 2 + 1) * 10 + 16, len = 0;
	unsigned int lo, hi;
	char *buf;

	buf = calloc(1, size);
	if (!buf)
		return NULL;
	if (scope_has_vlan(vlans, 0))
		len = snprintf(buf, size, "untagged");
	for (lo = 1; lo <= SCOPE_VID_MAX; lo = hi + 1) {
		hi = lo;
		if (!scope_has_vlan(vlans, lo))
			continue;
		while (hi < SCOPE_VID_MAX && scope_has_vlan(vlans, hi + 1))
			hi++;
		len += snprintf(buf + len, size - len, "%s%u", len ? "," : "",
				lo);
		if (hi > lo)
			len += snprintf(buf + len, size - len, "-%u", hi);
	}
	return buf;
}

static void scope_print_names(const char *key,
			      const char (*names)[IF_NAMESIZE], unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		nsw_print_string(NSW_PRINT_TEXT, NULL, i ? ",%s" : "%s",
				 names[i]);
	nsw_json_open_array(key);
	for (i = 0; i < n; i++)
		nsw_print_string(NSW_PRINT_JSON, NULL, NULL, names[i]);
	nsw_json_close_array();
}

/*
 * " trunk-vlans LIST" for a trunk limited to some VLANs (in JSON an array
 * of VLANs, 0 untagged); nothing for every VLAN.
 */
void nsw_scope_print_vlans(const struct nsw_scope *s)
{
	unsigned int vid;
	char *text;

	if (scope_all_vlans(s->vlans))
		return;
	text = scope_vlans_text(s->vlans);
	nsw_print_string(NSW_PRINT_TEXT, NULL, " trunk-vlans %s",
			 text ? text : "?");
	free(text);
	nsw_json_open_array("trunk-vlans");
	for (vid = 0; vid <= SCOPE_VID_MAX; vid++)
		if (scope_has_vlan(s->vlans, vid))
			nsw_print_uint(NSW_PRINT_JSON, NULL, NULL, vid);
	nsw_json_close_array();
}

/*
 * " active-uplinks LIST standby-uplinks LIST", each in text only when
 * not the default; in JSON always (arrays, empty by default).
 */
void nsw_scope_print_uplinks(const struct nsw_scope *s)
{
	if (s->n_active)
		nsw_print_string(NSW_PRINT_TEXT, NULL, "%s",
				 " active-uplinks ");
	scope_print_names("active-uplinks", s->active, s->n_active);
	if (s->n_standby)
		nsw_print_string(NSW_PRINT_TEXT, NULL, "%s",
				 " standby-uplinks ");
	scope_print_names("standby-uplinks", s->standby, s->n_standby);
}

static void scope_write_names(FILE *f, const char *key,
			      const char (*names)[IF_NAMESIZE], unsigned int n)
{
	unsigned int i;

	if (!n)
		return;
	fprintf(f, "%s = ", key);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? "," : "", names[i]);
	fputc('\n', f);
}

/* "KEY = VALUE" lines for what is not the default: the file's form. */
void nsw_scope_write(FILE *f, const struct nsw_scope *s)
{
	char *text;

	if (!scope_all_vlans(s->vlans)) {
		text = scope_vlans_text(s->vlans);
		fprintf(f, "trunk-vlans = %s\n", text ? text : "all");
		free(text);
	}
	scope_write_names(f, "active-uplinks", s->active, s->n_active);
	scope_write_names(f, "standby-uplinks", s->standby, s->n_standby);
}

void nsw_scope_where(FILE *f)
{
	fputs("       trunk-vlans all|VLANS: the VLANs of a trunk (vlan trunk)\n"
	      "       VLANS := VLAN[,VLAN...], VLAN := untagged|N|N-M (1..4094)\n"
	      "       active-uplinks all|DEV[,DEV...]: the uplinks the guests use\n"
	      "       standby-uplinks none|DEV[,DEV...]: used while no active one can\n",
	      f);
}

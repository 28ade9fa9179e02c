// SPDX-License-Identifier: GPL-2.0
/*
 * nestsw policy: the switch's default policy; and the policy keys, which
 * "pg" shares, and the switches, which "show" and "stats" share.
 *
 *	nestsw policy show [dev SW]
 *	nestsw policy set dev SW [promiscuous accept|reject] ...
 *		[learning on|off] [mac-limit N] ... [ageing S]
 *
 * Each key is a row of policy_keys[]: its keyword (and JSON member), its
 * attribute, its bit in a port group's inherit mask and its values: names,
 * off|on, a range of numbers, or a set of link-local group addresses. A
 * new key is a new row there, and in nestsw.8.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <linux/nestsw.h>

#include "genl.h"
#include "nestsw.h"
#include "policy.h"
#include "print.h"
#include "req.h"

const char nsw_policy_help[] =
	"policy show [dev SW]\n"
	"policy set dev SW POLICY\n";

/* The values of enum nestsw_verdict, then the word of pg set's inherit. */
static const char *const policy_verdicts[] = {
	[NESTSW_VERDICT_REJECT] = "reject",
	[NESTSW_VERDICT_ACCEPT] = "accept",
	"inherit",
};

/* The values of enum nestsw_limit_policy, then "inherit". */
static const char *const policy_limit_policies[] = {
	[NESTSW_LIMIT_POLICY_DROP] = "drop",
	[NESTSW_LIMIT_POLICY_ALLOW] = "allow",
	"inherit",
};

/* A switch: 0 off, 1 on; then "inherit". */
static const char *const policy_off_on[] = { "off", "on", "inherit" };

/*
 * The link-local group addresses of group-fwd (bit N: 01:80:c2:00:00:0N) by
 * the protocol that uses them; the others go by their address.
 */
#define POLICY_GROUPS		16
#define POLICY_GROUP_LEN	sizeof("01:80:c2:00:00:0f")
static const char *const policy_groups[POLICY_GROUPS] = {
	[0] = "stp", [1] = "pause", [2] = "lacp", [3] = "eapol", [14] = "lldp",
};

/*
 * What a key's values are: names (a string in JSON), off or on (a JSON
 * boolean), a number in a range (a JSON number), or a set of link-local
 * group addresses (a mask; a JSON array of their names).
 */
enum policy_kind {
	POLICY_ENUM,
	POLICY_BOOL,
	POLICY_NUM,
	POLICY_GROUPS_SET,
};

/**
 * struct policy_key - a policy key
 * @name: the keyword, and the JSON member
 * @type: its NESTSW_A_POLICY_* attribute
 * @inherit: its NESTSW_POLICY_ATTR_* bit
 * @kind: what its values are
 * @values: POLICY_ENUM, POLICY_BOOL: the names of its values, by value,
 *	then "inherit"
 * @n_values: how many values, "inherit" not counted
 * @min: POLICY_NUM: the lowest value
 * @max: POLICY_NUM: the highest value
 * @unit: POLICY_NUM: what the number counts, for the usage, or NULL
 * @def: the value of a new switch (the kernel's default)
 */
struct policy_key {
	const char *name;
	unsigned int type;
	unsigned int inherit;
	enum policy_kind kind;
	const char *const *values;
	unsigned int n_values;
	unsigned int min;
	unsigned int max;
	const char *unit;
	unsigned int def;
};

/* A row of policy_keys[] for NESTSW_A_POLICY_@_attr, with two values. */
#define POLICY_KEY_ENUM(_name, _attr, _values, _def)			\
	{ .name = _name, .type = NESTSW_A_POLICY_##_attr,		\
	  .inherit = NESTSW_POLICY_ATTR_##_attr, .kind = POLICY_ENUM,	\
	  .values = _values, .n_values = 2, .def = _def }
#define POLICY_KEY_BOOL(_name, _attr, _def)				\
	{ .name = _name, .type = NESTSW_A_POLICY_##_attr,		\
	  .inherit = NESTSW_POLICY_ATTR_##_attr, .kind = POLICY_BOOL,	\
	  .values = policy_off_on, .n_values = 2, .def = _def }
#define POLICY_KEY_NUM(_name, _attr, _min, _max, _unit, _def)		\
	{ .name = _name, .type = NESTSW_A_POLICY_##_attr,		\
	  .inherit = NESTSW_POLICY_ATTR_##_attr, .kind = POLICY_NUM,	\
	  .min = _min, .max = _max, .unit = _unit, .def = _def }
#define POLICY_KEY_GROUPS(_name, _attr, _def)				\
	{ .name = _name, .type = NESTSW_A_POLICY_##_attr,		\
	  .inherit = NESTSW_POLICY_ATTR_##_attr,			\
	  .kind = POLICY_GROUPS_SET, .def = _def }

/* In the order they are printed; defaults as the UAPI header gives them. */
static const struct policy_key policy_keys[] = {
	POLICY_KEY_ENUM("promiscuous", PROMISCUOUS, policy_verdicts,
			NESTSW_VERDICT_REJECT),
	POLICY_KEY_ENUM("mac-changes", MAC_CHANGES, policy_verdicts,
			NESTSW_VERDICT_REJECT),
	POLICY_KEY_ENUM("forged-transmits", FORGED_TRANSMITS,
			policy_verdicts, NESTSW_VERDICT_REJECT),
	POLICY_KEY_BOOL("learning", LEARNING, 0),
	POLICY_KEY_NUM("mac-limit", MAC_LIMIT, 1, NESTSW_MAC_LIMIT_MAX,
		       "learned MACs per port", 4096),
	POLICY_KEY_ENUM("limit-policy", LIMIT_POLICY, policy_limit_policies,
			NESTSW_LIMIT_POLICY_DROP),
	POLICY_KEY_BOOL("unknown-flood", UNKNOWN_FLOOD, 1),
	POLICY_KEY_NUM("ageing", AGEING, NESTSW_AGEING_MIN,
		       NESTSW_AGEING_MAX, "seconds", 300),
	POLICY_KEY_GROUPS("group-fwd", GROUP_FWD, 0),
};

#define POLICY_KEYS_END	(policy_keys + ARRAY_SIZE(policy_keys))

/* The names of a group-fwd list's GROUP, separated by @sep. */
static void policy_groups_names(FILE *f, const char *sep)
{
	unsigned int bit;

	for (bit = 0; bit < POLICY_GROUPS; bit++)
		if (policy_groups[bit])
			fprintf(f, "%s%s", policy_groups[bit], sep);
	fputs("01:80:c2:00:00:0N", f);
}

/*
 * The POLICY of the usage, a line per key: "[KEY VALUE|VALUE]" or "[KEY
 * MIN..MAX] (UNIT)", with "|inherit" too if @inherit. The first line
 * starts with @lead.
 */
void nsw_policy_where_keys(FILE *f, const char *lead, bool inherit)
{
	const char *sep = "POLICY := ";
	const struct policy_key *k;
	unsigned int i;

	for (k = policy_keys; k < POLICY_KEYS_END; k++) {
		fprintf(f, "%-7s%s[%s ", lead, sep, k->name);
		if (k->kind == POLICY_GROUPS_SET) {
			fprintf(f, "none|all|GROUP,...%s]",
				inherit ? "|inherit" : "");
		} else if (k->kind == POLICY_NUM) {
			fprintf(f, "%u..%u%s]", k->min, k->max,
				inherit ? "|inherit" : "");
			if (k->unit)
				fprintf(f, " (%s)", k->unit);
		} else {
			for (i = 0; i < k->n_values + inherit; i++)
				fprintf(f, "%s%s", i ? "|" : "", k->values[i]);
			fputc(']', f);
		}
		fputc('\n', f);
		lead = "";
		sep = "          ";
	}
	fputs("       GROUP := ", f);
	policy_groups_names(f, "|");
	fputs(" (N: 0..f)\n", f);
}

void nsw_policy_where(FILE *f)
{
	nsw_policy_where_keys(f, "where", false);
}

static const struct policy_key *policy_key(const char *name)
{
	const struct policy_key *k;

	for (k = policy_keys; k < POLICY_KEYS_END; k++)
		if (nsw_kw(name, k->name))
			return k;
	return NULL;
}

/* The value of a POLICY_NUM key: a number from @k->min to @k->max. */
static int policy_arg_num(const struct policy_key *k, const char *val,
			  bool inherit, int *v)
{
	unsigned int n;

	if (!val)
		return nsw_missing(k->name);
	if (inherit && !strcmp(val, "inherit")) {
		*v = -1;
		return 0;
	}
	if (!nsw_uint(val, k->max, &n) || n < k->min) {
		nsw_err_lead();
		fprintf(stderr, "Invalid %s \"%s\", expected %u to %u%s.\n",
			k->name, val, k->min, k->max,
			inherit ? " or inherit" : "");
		return NSW_EXIT_USAGE;
	}
	*v = n;
	return 0;
}

/* The name of group address @bit: its protocol's, else the address. */
static const char *policy_group_name(unsigned int bit,
				     char buf[POLICY_GROUP_LEN])
{
	if (policy_groups[bit])
		return policy_groups[bit];
	snprintf(buf, POLICY_GROUP_LEN, "01:80:c2:00:00:%02x", bit);
	return buf;
}

/* The bit of the group named by the @len bytes at @s, or -1. */
static int policy_group_bit(const char *s, size_t len)
{
	char buf[POLICY_GROUP_LEN];
	const char *name;
	unsigned int bit;

	for (bit = 0; bit < POLICY_GROUPS; bit++) {
		name = policy_group_name(bit, buf);
		if (strlen(name) == len && !strncasecmp(s, name, len))
			return bit;
	}
	return -1;
}

/*
 * The value of a POLICY_GROUPS_SET key: "none", "all", or a list of
 * groups separated by commas (blanks around them are fine: a config
 * file's "stp, lldp").
 */
static int policy_arg_groups(const struct policy_key *k, const char *val,
			     bool inherit, int *v)
{
	unsigned int mask = 0;
	const char *s, *end;
	size_t len;
	int bit;

	if (!val)
		return nsw_missing(k->name);
	if (inherit && !strcmp(val, "inherit")) {
		*v = -1;
		return 0;
	}
	if (!strcmp(val, "none") || !strcmp(val, "all")) {
		*v = strcmp(val, "all") ? 0 : NESTSW_GROUP_FWD_ALL;
		return 0;
	}
	for (s = val; ; s = end + 1) {
		s += strspn(s, " \t");
		end = s + strcspn(s, ",");
		for (len = end - s; len && strchr(" \t", s[len - 1]); len--)
			;
		bit = policy_group_bit(s, len);
		if (bit < 0) {
			nsw_err_lead();
			fprintf(stderr, "Invalid %s \"%s\": \"%.*s\" is none of ",
				k->name, val, (int)len, s);
			policy_groups_names(stderr, ", ");
			fprintf(stderr, "; expected none, all%s or a list.\n",
				inherit ? ", inherit" : "");
			return NSW_EXIT_USAGE;
		}
		mask |= 1U << bit;
		if (!*end)
			break;
	}
	*v = mask;
	return 0;
}

/**
 * nsw_policy_arg() - take "KEY VALUE" if KEY is a policy key
 * @p: where the value goes
 * @key: the keyword
 * @val: its value, or NULL if the line ended
 * @inherit: the value may be "inherit" (pg set)
 *
 * Return: 0, an exit code after printing why, or NSW_UNKNOWN.
 */
int nsw_policy_arg(struct nsw_policy *p, const char *key, const char *val,
		   bool inherit)
{
	const struct policy_key *k = policy_key(key);
	int v, ret;

	if (!k)
		return NSW_UNKNOWN;
	if (k->kind == POLICY_NUM) {
		ret = policy_arg_num(k, val, inherit, &v);
	} else if (k->kind == POLICY_GROUPS_SET) {
		ret = policy_arg_groups(k, val, inherit, &v);
	} else {
		ret = nsw_arg_choice(key, val, k->values,
				     k->n_values + inherit, &v);
		if (!ret && (unsigned int)v == k->n_values)
			v = -1;
	}
	if (ret)
		return ret;
	if (v < 0) {
		p->inherit |= k->inherit;
	} else {
		p->val[k->type] = v;
		p->given |= 1U << k->type;
	}
	return 0;
}

/* Give every key @p lacks the value a new switch has. */
void nsw_policy_defaults(struct nsw_policy *p)
{
	const struct policy_key *k;

	for (k = policy_keys; k < POLICY_KEYS_END; k++) {
		if (!(p->given & (1U << k->type)))
			p->val[k->type] = k->def;
		p->given |= 1U << k->type;
	}
}

/* Whether @a and @b give the same keys the same values. */
bool nsw_policy_equal(const struct nsw_policy *a, const struct nsw_policy *b)
{
	const struct policy_key *k;

	if (a->given != b->given)
		return false;
	for (k = policy_keys; k < POLICY_KEYS_END; k++)
		if ((a->given & (1U << k->type)) &&
		    a->val[k->type] != b->val[k->type])
			return false;
	return true;
}

/* The NESTSW_POLICY_ATTR_* bits of the keys @p gives. */
unsigned int nsw_policy_attrs(const struct nsw_policy *p)
{
	const struct policy_key *k;
	unsigned int attrs = 0;

	for (k = policy_keys; k < POLICY_KEYS_END; k++)
		if (p->given & (1U << k->type))
			attrs |= k->inherit;
	return attrs;
}

/* A group-fwd @mask as the command line takes it: "stp,lldp", "none". */
static const char *policy_groups_text(unsigned int mask, char *buf,
				      size_t size)
{
	char name[POLICY_GROUP_LEN];
	unsigned int bit;
	size_t len = 0;

	snprintf(buf, size, "none");
	for (bit = 0; bit < POLICY_GROUPS; bit++)
		if (mask & (1U << bit))
			len += snprintf(buf + len, size - len, "%s%s",
					len ? "," : "",
					policy_group_name(bit, name));
	return buf;
}

/* Big enough for every group's name and a comma. */
#define POLICY_GROUPS_TEXT_LEN	(POLICY_GROUPS * POLICY_GROUP_LEN)

/* "KEY = VALUE" a line, for each key @p gives: the config file's form. */
void nsw_policy_write(FILE *f, const struct nsw_policy *p)
{
	char groups[POLICY_GROUPS_TEXT_LEN];
	const struct policy_key *k;
	unsigned int val;

	for (k = policy_keys; k < POLICY_KEYS_END; k++) {
		if (!(p->given & (1U << k->type)))
			continue;
		val = p->val[k->type];
		if (k->kind == POLICY_GROUPS_SET)
			fprintf(f, "%s = %s\n", k->name,
				policy_groups_text(val, groups,
						   sizeof(groups)));
		else if (k->kind == POLICY_NUM || val >= k->n_values)
			fprintf(f, "%s = %u\n", k->name, val);
		else
			fprintf(f, "%s = %s\n", k->name, k->values[val]);
	}
}

/* The values given in @p, if any, in a nest of type @type. */
void nsw_policy_put(struct nlmsghdr *nlh, unsigned int type,
		    const struct nsw_policy *p)
{
	const struct policy_key *k;
	struct nlattr *nest;

	if (!p->given)
		return;
	nest = mnl_attr_nest_start(nlh, type);
	for (k = policy_keys; k < POLICY_KEYS_END; k++)
		if (p->given & (1U << k->type))
			mnl_attr_put_u32(nlh, k->type, p->val[k->type]);
	mnl_attr_nest_end(nlh, nest);
}

/* Fill @p (zeroed) from a policy nest; MNL_CB_OK or MNL_CB_ERROR. */
int nsw_policy_parse(const struct nlattr *nest, struct nsw_policy *p)
{
	enum mnl_attr_data_type types[NESTSW_A_POLICY_MAX + 1] = {};
	const struct nlattr *tb[NESTSW_A_POLICY_MAX + 1] = {};
	const struct policy_key *k;

	for (k = policy_keys; k < POLICY_KEYS_END; k++)
		types[k->type] = MNL_TYPE_U32;
	if (nsw_genl_parse_nested(nest, tb, types, NESTSW_A_POLICY_MAX) !=
	    MNL_CB_OK)
		return MNL_CB_ERROR;
	for (k = policy_keys; k < POLICY_KEYS_END; k++) {
		if (tb[k->type]) {
			p->val[k->type] = mnl_attr_get_u32(tb[k->type]);
			p->given |= 1U << k->type;
		}
	}
	return MNL_CB_OK;
}

/*
 * The value @val of @k, as " VALUE" (text) or the member @k->name (JSON):
 * a string, a boolean or a number, by its kind.
 */
static void policy_value(enum nsw_print type, const struct policy_key *k,
			 unsigned int val)
{
	char buf[POLICY_GROUPS_TEXT_LEN];
	unsigned int bit;

	switch (k->kind) {
	case POLICY_GROUPS_SET:
		if (type == NSW_PRINT_TEXT) {
			nsw_print_string(type, NULL, " %s",
					 policy_groups_text(val, buf,
							    sizeof(buf)));
			break;
		}
		nsw_json_open_array(k->name);
		for (bit = 0; bit < POLICY_GROUPS; bit++)
			if (val & (1U << bit))
				nsw_print_string(NSW_PRINT_JSON, NULL, NULL,
						 policy_group_name(bit, buf));
		nsw_json_close_array();
		break;
	case POLICY_ENUM:
		nsw_print_enum(type, k->name, " %s", k->values, k->n_values,
			       val);
		break;
	case POLICY_BOOL:
		nsw_print_bool(type, k->name, " %s", val);
		break;
	case POLICY_NUM:
		nsw_print_uint(type, k->name, " %u", val);
		break;
	}
}

/* The JSON object @member with the values given in @p. */
static void policy_json(const char *member, const struct nsw_policy *p)
{
	const struct policy_key *k;

	nsw_json_open_object(member);
	for (k = policy_keys; k < POLICY_KEYS_END; k++)
		if (p->given & (1U << k->type))
			policy_value(NSW_PRINT_JSON, k, p->val[k->type]);
	nsw_json_close_object();
}

/*
 * " KEY VALUE" for each value given in @p, followed by " (inherited)" if
 * @own is not NULL and lacks it.
 */
static void policy_text(const struct nsw_policy *p,
			const struct nsw_policy *own)
{
	const struct policy_key *k;
	unsigned int bit;

	for (k = policy_keys; k < POLICY_KEYS_END; k++) {
		bit = 1U << k->type;
		if (!(p->given & bit))
			continue;
		nsw_print_string(NSW_PRINT_TEXT, NULL, " %s", k->name);
		policy_value(NSW_PRINT_TEXT, k, p->val[k->type]);
		if (own && !(own->given & bit))
			nsw_print_string(NSW_PRINT_TEXT, NULL, "%s",
					 " (inherited)");
	}
}

/* A switch's policy: " KEY VALUE..." or the JSON member "policy". */
void nsw_policy_print(const struct nsw_policy *p)
{
	policy_json("policy", p);
	policy_text(p, NULL);
}

/*
 * A port group's policy: in force, each inherited value marked so; or the
 * JSON members "policy" (its own values) and "effective" (all of them).
 */
void nsw_policy_print_pg(const struct nsw_policy *own,
			 const struct nsw_policy *eff)
{
	policy_json("policy", own);
	policy_json("effective", eff);
	policy_text(eff, own);
}

static int switch_collect(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type types[NESTSW_A_SWITCH_MAX + 1] = {
		[NESTSW_A_SWITCH_IFINDEX] = MNL_TYPE_U32,
		[NESTSW_A_SWITCH_IFNAME] = MNL_TYPE_NUL_STRING,
		[NESTSW_A_SWITCH_POLICY] = MNL_TYPE_NESTED,
	};
	const struct nlattr *tb[NESTSW_A_SWITCH_MAX + 1] = {};
	struct nsw_switches *sws = data;
	struct nsw_switch *sw;

	if (nsw_genl_parse(nlh, tb, types, NESTSW_A_SWITCH_MAX,
			   NESTSW_A_SWITCH_IFINDEX) != MNL_CB_OK)
		return MNL_CB_ERROR;
	sw = realloc(sws->sw, (sws->n + 1) * sizeof(*sw));
	if (!sw)
		return MNL_CB_ERROR;	/* errno ENOMEM */
	sws->sw = sw;
	sw = memset(&sw[sws->n++], 0, sizeof(*sw));
	sw->ifindex = mnl_attr_get_u32(tb[NESTSW_A_SWITCH_IFINDEX]);
	if (tb[NESTSW_A_SWITCH_IFNAME])
		snprintf(sw->ifname, sizeof(sw->ifname), "%s",
			 mnl_attr_get_str(tb[NESTSW_A_SWITCH_IFNAME]));
	else
		nsw_ifname(sw->ifindex, sw->ifname);
	if (tb[NESTSW_A_SWITCH_POLICY])
		return nsw_policy_parse(tb[NESTSW_A_SWITCH_POLICY],
					&sw->policy);
	return MNL_CB_OK;
}

/**
 * nsw_switch_get() - the switch @ifindex, or every switch if 0
 * @ifindex: the switch, or 0
 * @sws: zeroed; filled even on failure, the caller frees @sws->sw
 *
 * Return: 0, or NSW_EXIT_KERNEL after printing the error.
 */
int nsw_switch_get(unsigned int ifindex, struct nsw_switches *sws)
{
	struct nlmsghdr *nlh;

	nlh = nsw_genl_msg(NESTSW_CMD_SWITCH_GET, ifindex ? 0 : NLM_F_DUMP);
	if (nlh && ifindex)
		mnl_attr_put_u32(nlh, NESTSW_A_SWITCH_IFINDEX, ifindex);
	return nsw_genl_talk(nlh, switch_collect, sws);
}

/**
 * nsw_switch_show_each() - a dump for each switch, whose replies @cb
 *	prints: with -j, as the members of one JSON array
 * @req: makes the dump for a switch, from its ifindex
 * @cb: prints a reply
 * @data: passed to @cb
 *
 * Return: 0, or NSW_EXIT_KERNEL after printing the error.
 */
int nsw_switch_show_each(struct nlmsghdr *(*req)(unsigned int sw),
			 mnl_cb_t cb, void *data)
{
	struct nsw_switches sws = {};
	unsigned int i;
	int ret;

	ret = nsw_switch_get(0, &sws);
	if (!ret) {
		nsw_json_open_array(NULL);
		for (i = 0; i < sws.n && !ret; i++)
			ret = nsw_genl_talk(req(sws.sw[i].ifindex), cb, data);
		nsw_json_close_array();
	}
	free(sws.sw);
	return ret;
}

/* "sw0 promiscuous reject ...", in the caller's JSON object. */
void nsw_switch_print(const struct nsw_switch *sw)
{
	nsw_print_uint(NSW_PRINT_JSON, "ifindex", NULL, sw->ifindex);
	nsw_print_string(NSW_PRINT_ANY, "ifname", "%s", sw->ifname);
	nsw_policy_print(&sw->policy);
}

/* The command line; a zero ifindex: not given. */
struct policy_args {
	bool set;
	unsigned int ifindex;
	struct nsw_policy policy;
};

static int policy_arg(void *ctx, const char *key, const char *val)
{
	struct policy_args *a = ctx;

	if (nsw_kw(key, "dev"))
		return nsw_arg_dev(key, val, &a->ifindex);
	if (a->set)
		return nsw_policy_arg(&a->policy, key, val, false);
	return NSW_UNKNOWN;
}

static int policy_show(int argc, char **argv)
{
	struct nsw_switches sws = {};
	struct policy_args a = {};
	unsigned int i;
	int ret;

	ret = nsw_parse_pairs("policy", argc, argv, policy_arg, &a);
	if (ret)
		return ret;
	ret = nsw_switch_get(a.ifindex, &sws);
	if (ret) {
		free(sws.sw);
		return ret;
	}
	nsw_json_open_array(NULL);
	for (i = 0; i < sws.n; i++) {
		nsw_json_open_object(NULL);
		nsw_switch_print(&sws.sw[i]);
		nsw_json_close_object();
		nsw_print_nl();
	}
	nsw_json_close_array();
	free(sws.sw);
	return NSW_EXIT_OK;
}

static int policy_set(int argc, char **argv)
{
	struct policy_args a = { .set = true };
	int ret;

	ret = nsw_parse_pairs("policy", argc, argv, policy_arg, &a);
	if (ret)
		return ret;
	if (!a.ifindex)
		return nsw_usage("policy", "Missing keyword", "dev");
	if (!a.policy.given)
		return nsw_usage("policy", "Nothing to set", NULL);
	return nsw_req_switch_set(a.ifindex, &a.policy);
}

int nsw_policy(int argc, char **argv)
{
	static const struct nsw_subcmd subs[] = {
		{ "show", policy_show },
		{ "set", policy_set },
	};

	return nsw_run_subcmd("policy", subs, ARRAY_SIZE(subs), argc, argv);
}

/**
 * nsw_is_switch() - whether a device is a switch or (maybe) a port
 * @ifindex: the device
 * @is_switch: set to whether it is one of the switches SWITCH_GET lists,
 *	which holds in any network namespace (sysfs would show the one it was
 *	mounted in)
 *
 * Return: 0, or an exit code.
 */
int nsw_is_switch(unsigned int ifindex, bool *is_switch)
{
	struct nsw_switches sws = {};
	unsigned int i;
	int ret;

	ret = nsw_switch_get(0, &sws);
	*is_switch = false;
	for (i = 0; i < sws.n; i++)
		if (sws.sw[i].ifindex == ifindex)
			*is_switch = true;
	free(sws.sw);
	return ret;
}

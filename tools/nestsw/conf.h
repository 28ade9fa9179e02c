/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nestsw: a switch's configuration, as a file describes it (conffile.c)
 * or as the kernel has it (confread.c), for showconf, setconf and
 * syncconf (conf.c). Learned state is never part of it.
 */
#ifndef NSW_CONF_H
#define NSW_CONF_H

#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>

#include "nestsw.h"
#include "policy.h"
#include "scope.h"

/* The port group every switch has, which cannot be deleted. */
#define NSW_CONF_DEFAULT_PG	"default"

/**
 * struct conf_fdb - a static FDB entry the admin added to a port
 * @mac: its MAC
 * @vid: its VLAN, or -1 for every VLAN
 * @line: where the configuration gives it
 */
struct conf_fdb {
	unsigned char mac[NSW_MAC_LEN];
	int vid;
	unsigned int line;
};

/**
 * struct conf_pg - a port group
 * @name: its name
 * @vlan: 0 untagged, 1..4094 access, 4095 trunk
 * @team: 1 its guest ports are one VM's team, else 0
 * @scope: its trunk VLANs and uplinks (every key given)
 * @policy: what it overrides of the switch's default (given: the keys it
 *	sets; the others are inherited)
 * @line: where its section starts
 * @name_line: where a file gives its name, or 0
 */
struct conf_pg {
	char name[NESTSW_PG_NAME_LEN];
	unsigned int vlan;
	int team;
	struct nsw_scope scope;
	struct nsw_policy policy;
	unsigned int line;
	unsigned int name_line;
};

/**
 * struct conf_port - a port
 * @dev: its device's name
 * @ifindex: its device, once looked up
 * @pg: its port group's name ("default" if the file names none)
 * @role: enum nestsw_port_role
 * @has_initial: @initial_mac is known (the kernel's) or given (a file's)
 * @has_effective: likewise for @effective_mac
 * @initial_mac: the guest's MAC as the hypervisor assigned it
 * @effective_mac: the MAC the guest uses now
 * @guest_promisc: 0 or 1, or -1 if a file does not give it
 * @follows_peer: a veth: its effective MAC and promiscuous flag follow the
 *	peer, and are not configuration
 * @fdb: its static FDB entries; @n_fdb of them
 * @n_fdb: how many
 * @line: where its section starts
 * @dev_line: where the file names its device
 */
struct conf_port {
	char dev[IF_NAMESIZE];
	unsigned int ifindex;
	char pg[NESTSW_PG_NAME_LEN];
	unsigned int role;
	bool has_initial;
	bool has_effective;
	unsigned char initial_mac[NSW_MAC_LEN];
	unsigned char effective_mac[NSW_MAC_LEN];
	int guest_promisc;
	bool follows_peer;
	struct conf_fdb *fdb;
	unsigned int n_fdb;
	unsigned int line;
	unsigned int dev_line;
};

/**
 * struct conf_piece - a file a configuration was read from
 * @file: its name, as messages give it ("-" is stdin)
 * @base: how many lines of the configuration come before its first
 */
struct conf_piece {
	char *file;
	unsigned int base;
};

/**
 * struct conf - the configuration of one switch
 * @pieces: the files it was read from, in order: a file, then its
 *	drop-ins (the files *.conf of FILE.d). The lines of the pieces are
 *	counted as one: the @line of a section or a key counts from the first
 *	line of the first piece, and nsw_conf_line() names its file and line
 * @n_pieces: how many
 * @switch_line: where its [Switch] section starts, or 0
 * @keep_other_ports: a file's "other-ports = keep": setconf and syncconf
 *	leave the ports it does not list alone (they release them otherwise)
 * @policy: the switch's default policy, every key given
 * @pgs: its port groups, "default" among them
 * @n_pgs: how many
 * @ports: its ports
 * @n_ports: how many
 */
struct conf {
	struct conf_piece *pieces;
	unsigned int n_pieces;
	unsigned int switch_line;
	bool keep_other_ports;
	struct nsw_policy policy;
	struct conf_pg *pgs;
	unsigned int n_pgs;
	struct conf_port *ports;
	unsigned int n_ports;
};

int nsw_conf_read_file(const char *file, struct conf *c);
const char *nsw_conf_line(const struct conf *c, unsigned int line,
			  unsigned int *file_line);
void nsw_conf_err_at(const struct conf *c, unsigned int line);
void nsw_conf_write(FILE *f, const struct conf *c);
int nsw_conf_read_switch(unsigned int sw_ifindex, struct conf *c);
void nsw_conf_free(struct conf *c);

struct conf_pg *nsw_conf_pg(const struct conf *c, const char *name);
struct conf_port *nsw_conf_port(const struct conf *c, unsigned int ifindex);
const struct conf_fdb *nsw_conf_fdb(const struct conf_port *p,
				    const struct conf_fdb *e);
void *nsw_conf_grow(void *array, unsigned int *n, size_t size);

#endif /* NSW_CONF_H */

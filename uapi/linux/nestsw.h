/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * nestsw: a virtual switch for nested virtualization labs.
 *
 * Generic netlink family "nestsw", described by
 * Documentation/netlink/specs/nestsw.yaml. Every change needs CAP_NET_ADMIN
 * in the network namespace of the switch; every refusal carries an extack
 * message naming the offending attribute.
 */
#ifndef _UAPI_LINUX_NESTSW_H
#define _UAPI_LINUX_NESTSW_H

#define NESTSW_FAMILY_NAME	"nestsw"
#define NESTSW_FAMILY_VERSION	1

/**
 * enum nestsw_port_role - what a port is to the switch
 * @NESTSW_PORT_ROLE_GUEST: a VM's vNIC (the default); receives unknown
 *	unicast only when promiscuous, its guest policies apply
 * @NESTSW_PORT_ROLE_UPLINK: the way out of the switch (a NIC, a veth to the
 *	physical network, a tunnel); receives unknown unicast
 */
enum nestsw_port_role {
	NESTSW_PORT_ROLE_GUEST,
	NESTSW_PORT_ROLE_UPLINK,
};

/**
 * enum nestsw_a_port - attributes of a port (attribute-set "port")
 * @NESTSW_A_PORT_IFINDEX: u32, ifindex of the port device; selects the port
 *	in PORT_GET and PORT_SET
 * @NESTSW_A_PORT_SWITCH_IFINDEX: u32, ifindex of the switch the port is
 *	enslaved to; in replies, and as a filter of a PORT_GET dump
 * @NESTSW_A_PORT_ROLE: u32, &enum nestsw_port_role
 */
enum nestsw_a_port {
	NESTSW_A_PORT_UNSPEC,
	NESTSW_A_PORT_IFINDEX,
	NESTSW_A_PORT_SWITCH_IFINDEX,
	NESTSW_A_PORT_ROLE,

	__NESTSW_A_PORT_MAX,
	NESTSW_A_PORT_MAX = (__NESTSW_A_PORT_MAX - 1)
};

/**
 * enum nestsw_cmd - generic netlink commands
 * @NESTSW_CMD_PORT_GET: get one port (by %NESTSW_A_PORT_IFINDEX), or dump
 *	all ports in the namespace (optionally of one switch)
 * @NESTSW_CMD_PORT_SET: change a port's attributes (admin)
 */
enum nestsw_cmd {
	NESTSW_CMD_UNSPEC,
	NESTSW_CMD_PORT_GET,
	NESTSW_CMD_PORT_SET,

	__NESTSW_CMD_MAX,
	NESTSW_CMD_MAX = (__NESTSW_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_NESTSW_H */

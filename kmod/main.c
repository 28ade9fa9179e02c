// SPDX-License-Identifier: GPL-2.0
/*
 * nestsw: a virtual switch for labs that run hypervisors inside VMs, with
 * the port-group security model of a hypervisor's standard vSwitch and MAC
 * learning behind nested hypervisors' ports.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>
#include <uapi/linux/nestsw.h>

#include "device.h"
#include "netlink.h"
#include "port.h"

static int __init nsw_init_module(void)
{
	int err;

	err = nsw_port_notifier_register();
	if (err)
		return err;

	err = rtnl_link_register(&nsw_link_ops);
	if (err)
		goto unregister_notifier;

	err = nsw_genl_init();
	if (err)
		goto unregister_link;
	return 0;

unregister_link:
	rtnl_link_unregister(&nsw_link_ops);
unregister_notifier:
	nsw_port_notifier_unregister();
	return err;
}

static void __exit nsw_exit_module(void)
{
	nsw_genl_exit();
	/* Deletes every switch, in every netns, releasing its ports. */
	rtnl_link_unregister(&nsw_link_ops);
	nsw_port_notifier_unregister();
	/* Ports are freed by call_rcu(): let those callbacks run first. */
	rcu_barrier();
}

module_init(nsw_init_module);
module_exit(nsw_exit_module);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Virtual switch for nested virtualization labs");
MODULE_AUTHOR("nestsw developers");
MODULE_ALIAS_RTNL_LINK("nestsw");
MODULE_ALIAS_GENL_FAMILY(NESTSW_FAMILY_NAME);

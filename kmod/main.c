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

/*
 * The family comes first and goes last: every switch emits monitor events
 * on it (from its data path and its ageing work) until the switch is gone,
 * and switches exist only between rtnl_link_register() and
 * rtnl_link_unregister().
 */
static int __init nsw_init_module(void)
{
	int err;

	err = nsw_fdb_cache_init();
	if (err)
		return err;

	err = nsw_genl_init();
	if (err)
		goto destroy_cache;

	err = nsw_port_notifier_register();
	if (err)
		goto unregister_genl;

	err = rtnl_link_register(&nsw_link_ops);
	if (err)
		goto unregister_notifier;
	return 0;

unregister_notifier:
	nsw_port_notifier_unregister();
unregister_genl:
	nsw_genl_exit();
destroy_cache:
	nsw_fdb_cache_exit();
	return err;
}

static void __exit nsw_exit_module(void)
{
	/*
	 * Deletes every switch, in every netns, releasing its ports: their
	 * rx_handlers are gone after a synchronize_net(), and each switch's
	 * ageing work is cancelled in its ndo_uninit. Nothing emits events
	 * after this returns.
	 */
	rtnl_link_unregister(&nsw_link_ops);
	nsw_port_notifier_unregister();
	/* Ports and FDB entries are freed by call_rcu(): let those run. */
	rcu_barrier();
	nsw_genl_exit();
	nsw_fdb_cache_exit();
}

module_init(nsw_init_module);
module_exit(nsw_exit_module);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Virtual switch for nested virtualization labs");
MODULE_AUTHOR("nestsw developers");
MODULE_ALIAS_RTNL_LINK("nestsw");
MODULE_ALIAS_GENL_FAMILY(NESTSW_FAMILY_NAME);

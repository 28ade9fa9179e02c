// SPDX-License-Identifier: GPL-2.0
/*
 * VM harness self-test only (selftests/vm/harness_selftest.sh), never part of
 * nestsw: leaks one kmalloc'ed object at init and stays loaded, so that the
 * runner's kmemleak scan must report an "unreferenced object".
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

/* noinline: the only copy of the pointer dies with this frame */
static noinline int nestsw_harness_leak_one(void)
{
	char *p = kmalloc(200, GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	memset(p, 0x5a, 200);
	return 0;
}

static int __init nestsw_harness_leak_init(void)
{
	int err = nestsw_harness_leak_one();

	if (!err)
		pr_info("nestsw_harness_leak: leaked 200 bytes on purpose\n");
	return err;
}

static void __exit nestsw_harness_leak_exit(void)
{
}

module_init(nestsw_harness_leak_init);
module_exit(nestsw_harness_leak_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nestsw VM harness self-test: deliberate memory leak");

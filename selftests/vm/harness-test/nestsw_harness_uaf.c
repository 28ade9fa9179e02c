// SPDX-License-Identifier: GPL-2.0
/*
 * VM harness self-test only (selftests/vm/harness_selftest.sh), never part of
 * nestsw: reads a kmalloc'ed object after kfree() at init, which KASAN must
 * report, then fails the load so that nothing stays behind.
 */
#include <linux/compiler.h>
#include <linux/module.h>
#include <linux/slab.h>

static int __init nestsw_harness_uaf_init(void)
{
	char *p = kmalloc(64, GFP_KERNEL);
	char c;

	if (!p)
		return -ENOMEM;
	p[8] = 42;
	kfree(p);
	/* keep the compiler from seeing (and warning about) the bug */
	OPTIMIZER_HIDE_VAR(p);
	c = READ_ONCE(p[8]);
	pr_info("nestsw_harness_uaf: read %d after kfree\n", c);
	return -EAGAIN;
}

module_init(nestsw_harness_uaf_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nestsw VM harness self-test: deliberate use-after-free");

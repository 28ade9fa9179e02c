// SPDX-License-Identifier: GPL-2.0
/*
 * VM harness self-test only (selftests/vm/harness_selftest.sh), never part of
 * nestsw: hits a WARN_ON() at init, which run.sh must see as "WARNING:" in
 * the console, then fails the load so that nothing stays behind.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init nestsw_harness_warn_init(void)
{
	WARN_ON(1);
	return -EAGAIN;
}

module_init(nestsw_harness_warn_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nestsw VM harness self-test: deliberate WARN_ON");

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSW_NETLINK_H
#define _NSW_NETLINK_H

#include <linux/types.h>
#include <net/genetlink.h>

#include "port.h"

/* The family, for notify.c's events; the NESTSW_A_DROPS_* of each reason. */
extern struct genl_family nsw_genl_family;
extern const u16 nsw_drop_attrs[NSW_DROP_MAX];

int nsw_genl_init(void);
void nsw_genl_exit(void);

#endif /* _NSW_NETLINK_H */

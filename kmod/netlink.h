/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSW_NETLINK_H
#define _NSW_NETLINK_H

int nsw_genl_init(void);
void nsw_genl_exit(void);

#endif /* _NSW_NETLINK_H */

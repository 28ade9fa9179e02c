/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSW_NETLINK_H
#define _NSW_NETLINK_H

#include <linux/atomic.h>
#include <linux/types.h>
#include <uapi/linux/nestsw.h>

struct nsw_fdb_entry;
struct nsw_port;
struct nsw_switch;

/**
 * struct nsw_event_limit - at most NESTSW_EVENT_BURST monitor events a
 *	second per switch
 * @begin: jiffies when the current second began
 * @sent: events in the current second
 * @suppressed: events left out since the last one sent
 *
 * Lock-free: two CPUs that start a new second at once only let a few more
 * events through.
 */
struct nsw_event_limit {
	unsigned long begin;
	atomic_t sent;
	atomic_t suppressed;
};

int nsw_genl_init(void);
void nsw_genl_exit(void);

void nsw_event_fdb(struct nsw_switch *sw, enum nestsw_event_type type,
		   const struct nsw_fdb_entry *fdb,
		   const struct nsw_port *from);
void nsw_event_limit_hit(struct nsw_port *port, const u8 *mac, u16 vid,
			 bool dropped);
void nsw_event_drop(struct nsw_port *port, int reason, const u8 *mac,
		    int vid);

#endif /* _NSW_NETLINK_H */

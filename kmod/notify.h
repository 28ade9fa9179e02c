/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSW_NOTIFY_H
#define _NSW_NOTIFY_H

#include <linux/atomic.h>
#include <linux/types.h>
#include <uapi/linux/nestsw.h>

struct nsw_fdb_entry;
struct nsw_port;
struct nsw_switch;

/**
 * struct nsw_event_limit - at most NESTSW_EVENT_BURST messages a second
 * @begin: jiffies when the current second began
 * @sent: messages in the current second
 * @suppressed: messages left out since the last one sent
 *
 * Lock-free: two CPUs that start a new second at once only let a few more
 * messages through.
 */
struct nsw_event_limit {
	unsigned long begin;
	atomic_t sent;
	atomic_t suppressed;
};

/* Monitor events on the genl group: what rtnetlink cannot carry. */
void nsw_event_fdb(struct nsw_switch *sw, enum nestsw_event_type type,
		   const struct nsw_fdb_entry *fdb,
		   const struct nsw_port *from);
void nsw_event_limit_hit(struct nsw_port *port, const u8 *mac, u16 vid,
			 bool dropped);
void nsw_event_drop(struct nsw_port *port, int reason, const u8 *mac,
		    int vid);

/* RTM_NEWNEIGH / RTM_DELNEIGH on RTNLGRP_NEIGH, as the bridge sends. */
void nsw_notify_neigh(struct nsw_switch *sw, const struct nsw_fdb_entry *fdb,
		      int type);

#endif /* _NSW_NOTIFY_H */

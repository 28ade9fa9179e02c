/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nestsw's tracepoints: "perf record -e nestsw:nestsw_drop", bpftrace's
 * tracepoint:nestsw:nestsw_drop, /sys/kernel/tracing/events/nestsw/.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM nestsw

#if !defined(_NSW_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _NSW_TRACE_H

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/tracepoint.h>

#include "port.h"

/*
 * A frame the switch dropped: at @dev (the port it came in on or was to
 * leave by; the switch device for the host's own frames), why, its MACs
 * and VLAN (-1: not classified yet).
 */
TRACE_EVENT(nestsw_drop,

	TP_PROTO(const struct net_device *dev, const struct sk_buff *skb,
		 int reason, int vid),

	TP_ARGS(dev, skb, reason, vid),

	TP_STRUCT__entry(
		__array(char, dev, IFNAMSIZ)
		__field(int, ifindex)
		__array(char, reason, NSW_DROP_NAME_LEN)
		__field(int, vid)
		__array(u8, src, ETH_ALEN)
		__array(u8, dst, ETH_ALEN)
	),

	TP_fast_assign(
		memcpy(__entry->dev, dev->name, IFNAMSIZ);
		__entry->ifindex = dev->ifindex;
		strscpy(__entry->reason, nsw_drop_names[reason],
			NSW_DROP_NAME_LEN);
		__entry->vid = vid;
		ether_addr_copy(__entry->src, eth_hdr(skb)->h_source);
		ether_addr_copy(__entry->dst, eth_hdr(skb)->h_dest);
	),

	TP_printk("dev=%s ifindex=%d reason=%s src=%pM dst=%pM vlan=%d",
		  __entry->dev, __entry->ifindex, __entry->reason,
		  __entry->src, __entry->dst, __entry->vid)
);

#endif /* _NSW_TRACE_H */

/* Out of the kernel tree: this file is found beside its user. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE nsw_trace
#include <trace/define_trace.h>

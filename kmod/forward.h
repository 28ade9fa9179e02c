/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSW_FORWARD_H
#define _NSW_FORWARD_H

#include <linux/skbuff.h>

struct nsw_switch;
struct nsw_port;

void nsw_forward(struct nsw_switch *sw, struct nsw_port *from,
		 struct sk_buff *skb, u16 vid);

#endif /* _NSW_FORWARD_H */

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pktgen helpers of the bench's guests (sourced by guest.sh and tcp.sh,
# which define die()). Frames are 60-byte UDP, injected as received
# (xmit_mode netif_receive) into the device that sends them.

PGDIR=/proc/net/pktgen

# pg_set DEV CMD...: pktgen commands for DEV, each checked
pg_set() {
	local dev=$1 cmd; shift
	for cmd in "$@"; do
		echo "$cmd" >"$PGDIR/$dev"
		grep -q '^Result: OK' "$PGDIR/$dev" ||
			die "pktgen $dev '$cmd': $(grep '^Result' "$PGDIR/$dev")"
	done
}

# pg_add_on THREAD DEV COUNT DST SRC [CMD...]: DEV joins pktgen thread
# THREAD (a CPU), sending COUNT frames DST <- SRC, plus CMD (a sweep)
pg_add_on() {
	local thread=$1 dev=$2 count=$3 dst=$4 src=$5; shift 5
	echo "add_device $dev" >"$PGDIR/kpktgend_$thread"
	pg_set "$dev" "xmit_mode netif_receive" "pkt_size 60" "count $count" \
		"delay 0" "dst_mac $dst" "src_mac $src" "dst 198.51.100.2" \
		"src_min 198.51.100.1" "src_max 198.51.100.1" "$@"
}

# pg_add DEV COUNT DST SRC [CMD...]: the same on CPU 0's thread
pg_add() { pg_add_on 0 "$@"; }

# pg_clear: every thread lets go of its devices
pg_clear() {
	local thread
	for thread in "$PGDIR"/kpktgend_*; do
		echo rem_device_all >"$thread"
	done
}

pg_start() { echo start >"$PGDIR/pgctrl"; }

# pg_result DEV: "USEC SENT" of DEV's last run ("Result: OK: 1234(c..+d..)
# usec, N (60byte,0frags)")
pg_result() {
	local line
	line=$(grep -A1 '^Result:' "$PGDIR/$1" | tr '\n' ' ')
	[[ $line =~ OK:\ ([0-9]+)\(.*usec,\ ([0-9]+)\ \( ]] ||
		die "pktgen $1: $line"
	echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
}

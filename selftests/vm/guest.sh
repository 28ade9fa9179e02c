# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
#
# Stage 2 of the nestsw VM, PID 1 after switch_root (the host's bash on the
# 9p root). Sourced by the per-run script that run.sh generates, which sets:
#   nestsw_run_dir     shared (9p, read-write) directory of this run
#   nestsw_repo        repo top dir (the cwd of the command)
#   nestsw_cmd         the command, an array
#   NESTSW_KVER, NESTSW_KO (exported to the command)
# Stage 1 (initramfs-init.sh) did the mounts. Never exits: PID 1 exiting
# panics the kernel. Ends the VM with sysrq b.

: "${nestsw_run_dir:?}" "${nestsw_repo:?}" "${nestsw_cmd[0]:?}"
readonly nestsw_out=/dev/ttyS1
readonly nestsw_kmemleak=/sys/kernel/debug/kmemleak
# the kernel starts init without PATH
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# uptimes (s) at the command's start and end
nestsw_t_start=0
nestsw_t_end=0
# jiffies at the command's start (debug kernel)
nestsw_j_start=0

nestsw_log() { echo "nestsw-vm: $*" >/dev/kmsg; }

nestsw_uptime() {
	local up _
	read -r up _ </proc/uptime
	echo "$up"
}

nestsw_run_command() {
	local rc=0
	[[ -e $nestsw_kmemleak ]] && nestsw_j_start=$(nestsw_jiffies)
	nestsw_t_start=$(nestsw_uptime)
	echo "$nestsw_t_start" >"$nestsw_run_dir/started"
	nestsw_log "command start (uptime $nestsw_t_start s)"
	(cd "$nestsw_repo" && exec env -i \
		PATH="$PATH" HOME=/tmp TERM=dumb LANG=C.UTF-8 NESTSW_VM=1 \
		NESTSW_KVER="$NESTSW_KVER" NESTSW_KO="$NESTSW_KO" \
		NESTSW_CACHE="${NESTSW_CACHE:-/var/cache/nestsw}" \
		"${nestsw_cmd[@]}") </dev/null >"$nestsw_out" 2>&1 || rc=$?
	nestsw_t_end=$(nestsw_uptime)
	nestsw_log "command exit $rc"
	return "$rc"
}

# jiffies now, from /proc/timer_list (bash builtins only: no exec)
nestsw_jiffies() {
	local key val _
	while read -r key val _; do
		[[ $key == jiffies: ]] && { echo "$val"; return; }
	done </proc/timer_list
	echo 0
}

# Keep the kmemleak records of objects allocated after the command started
# (record's "jiffies N" >= jiffies at the start); boot-time suspects are not
# the command's. Scanning before the command to "clear" them instead would
# cost 30 s on the debug kernel under TCG.
nestsw_kmemleak_filter() {
	awk -v start="$nestsw_j_start" '
		function flush() {
			if (rec == "") return
			if (j >= start) printf "%s", rec; else skipped++
			rec = ""
		}
		/^unreferenced object/ { flush(); j = start }
		match($0, /, jiffies [0-9]+/) { j = substr($0, RSTART + 10, RLENGTH - 10) + 0 }
		{ rec = rec $0 "\n" }
		END { flush(); if (skipped) print "nestsw-vm: kmemleak: " skipped " suspect(s) from before the command ignored" }
	' "$nestsw_kmemleak"
}

# kmemleak reports an object only when a scan finds it unreferenced, older
# than 5 s and unchanged since the previous scan: scan, (wait), scan. The
# report goes to the console, where run.sh looks for "unreferenced object".
nestsw_kmemleak_report() {
	local wait
	[[ -e $nestsw_kmemleak ]] || return 0
	nestsw_log "kmemleak: scanning"
	echo scan >"$nestsw_kmemleak"
	wait=$(awk -v now="$(nestsw_uptime)" -v end="$nestsw_t_end" \
		'BEGIN { w = end + 6 - now; print (w > 0 ? w : 0) }')
	sleep "$wait"
	echo scan >"$nestsw_kmemleak"
	nestsw_kmemleak_filter >/dev/console
	nestsw_log "kmemleak: done"
}

nestsw_finish() {
	local rc=$1
	nestsw_kmemleak_report
	# tcsetattr(TCSADRAIN): wait until the command's output has left the UART
	stty -F "$nestsw_out" raw
	echo "$rc" >"$nestsw_run_dir/rc.tmp"
	mv "$nestsw_run_dir/rc.tmp" "$nestsw_run_dir/rc"
	echo b >/proc/sysrq-trigger
	# not reached unless sysrq failed
	while :; do poweroff -f; sleep 1; done
}

nestsw_main() {
	local rc=0
	nestsw_log "stage 2 start"
	nestsw_run_command || rc=$?
	nestsw_finish "$rc"
}

nestsw_main

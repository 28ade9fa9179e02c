#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A real VM on a tap port. QEMU runs inside the test VM with a tap on
# nestsw, attached by tools/nestsw/qemu-ifup (script=) and released by
# qemu-ifdown (downscript=), as a lab admin would run it. Its guest is a
# tiny Linux (selftests/vm/guest.config, "make guest-kernel") with a
# busybox initramfs, on QEMU's -M microvm; its virtio-net NIC is the tap.
# Refused first, with no guest at all: QEMU with no mac= (its default is
# every VM's), an unknown port group, an unknown switch.
#
# The guest's /init runs the commands the test writes to its serial
# console and answers each with its output and exit code, on the same
# console (a QEMU pipe chardev). A hang detector ends it all when the
# guest prints nothing for $NSW_GUEST_QUIET_S seconds ("no progress").
#
#           nested guest (QEMU -M microvm, TCG in the test VM)
#   +---------------------------------------------------+
#   | eth0 (virtio-net) M, 10.0.0.2                      |
#   |   mv0 (macvlan: a nested guest) F, 10.0.0.3        |
#   +-----------|---------------------------------------+
#               | QEMU's tap backend        g1
#   +-----------|-----------------+   +--------------+
#   |         qtap0          vp1 -|---|- eth0        |
#   |  sw0; PG vesx1 (qemu-ifup)  |   |  10.0.0.1    |
#   |  sw0 10.0.0.254 (the host)  |   +--------------+
#   +-----------------------------+
#                netns sw
#
# The VM then starts once more with its tap named qtap2, paused (-S):
# qemu-ifup gives it the same port group and MAC.
# PG vesx1 inherits the switch's default policy (forged transmits
# rejected, no learning) until the nested-guest checks set forged-transmits
# accept and learning on; promiscuous stays rejected throughout.

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

UP=$NSW_TOP/tools/nestsw/qemu-ifup
DOWN=$NSW_TOP/tools/nestsw/qemu-ifdown
KERNEL=${NESTSW_CACHE:-/var/cache/nestsw}/linux-guest/vmlinux
M=52:54:00:00:00:11		# the VM's MAC
F=02:00:00:00:0f:01		# the nested guest's (macvlan) MAC
X=02:00:00:00:99:99		# a MAC on no port
N=5				# frames per case
# the hang detector: no line from the nested guest for this long
: "${NSW_GUEST_QUIET_S:=600}"
# frames cross two emulated machines: counters may take a while
NSW_WAIT_MS=60000

ktap_header
nsw_require ip qemu-system-x86_64 busybox cpio jq
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 23
nsw_kmsg_mark
declare sw g1 tx_g1
setup_ns sw g1 || ktap_bail "cannot create namespaces"
[[ -c /dev/net/tun ]] || modprobe tun
if ! { nsw_switch_add "$sw" sw0 10.0.0.254/24 &&
	nsw_veth_port "$sw" sw0 vp1 "$g1" 10.0.0.1/24 &&
	nsw_tool "$sw" pg add dev sw0 name vesx1; }; then
	ktap_bail "cannot set up the switch"
fi

# qemu_args TAP [MAC]: QEMU's options for the nested guest, NUL-separated
qemu_args()
{
	local dev=virtio-net-device,netdev=n0

	[[ -z $2 ]] || dev+=",mac=$2"
	# microvm: no firmware to run, no PCI to probe; the kernel's PVH
	# entry, no decompressor. acpi=off: QEMU puts the virtio-mmio
	# devices on the kernel command line instead.
	printf '%s\0' -M microvm,acpi=off,rtc=off,x-option-roms=off \
		-accel tcg -m 64 -nodefaults -no-user-config -display none \
		-no-reboot \
		-netdev "tap,id=n0,ifname=$1,script=$UP,downscript=$NSW_TMP/ifdown" \
		-device "$dev"
}

# qemu_refused DESC WANT [VAR=VALUE...]: QEMU, in the switch's namespace,
# with the environment VAR=VALUE and no mac= when WANT says "mac=", does
# not start, and what it printed contains WANT
qemu_refused()
{
	local desc=$1 want=$2 args=() mac=$M out rc; shift 2

	[[ $want != *mac=* ]] || mac=
	mapfile -d '' args < <(qemu_args qtap1 "$mac")
	# -S: should the script wrongly succeed, QEMU waits, not boots
	out=$(timeout 120 ip netns exec "$sw" env NESTSW="$NSW_TOOL" "$@" \
		qemu-system-x86_64 "${args[@]}" -S 2>&1 </dev/null)
	rc=$?
	ktap_info "QEMU (exit $rc): $out"
	if ((rc == 0 || rc == 124)) || [[ $out != *"$want"* ]]; then
		ktap_fail "$desc"
		return 1
	fi
	ktap_ok "$desc"
}

# The downscript: qemu-ifdown, then what it left, for the checks below
# (QEMU still holds the tap while its downscript runs)
cat >"$NSW_TMP/ifdown" <<EOF
#!/bin/sh
$DOWN "\$1"
rc=\$?
master=none
[ -e /sys/class/net/\$1/master ] && master=\$(basename "\$(readlink /sys/class/net/\$1/master)")
echo "rc=\$rc exists=\$([ -e /sys/class/net/\$1 ] && echo yes) master=\$master" >$NSW_TMP/ifdown.out
exit \$rc
EOF
chmod +x "$NSW_TMP/ifdown"

qemu_refused "QEMU with no mac= does not start: qemu-ifup says QEMU's default MAC is every VM's, add mac=" \
	"52:54:00:12:34:56, the same in every VM; add mac="
qemu_refused "QEMU with NESTSW_PG=nosuch does not start: no port group 'nosuch' on sw0" \
	"no port group 'nosuch' on sw0" NESTSW_PG=nosuch
qemu_refused "QEMU with NESTSW_SWITCH=nosuch does not start: switch 'nosuch' not found" \
	"switch 'nosuch' not found" NESTSW_SWITCH=nosuch
check "the refused starts left no port on sw0" nsw_ports_are "$sw" sw0 vp1

[[ -r $KERNEL ]] ||
	ktap_skip_all "no nested guest kernel $KERNEL: make guest-kernel (make check builds it)"

##############################################################################
# The nested guest

# guest_initramfs FILE: busybox and an /init that runs what the console
# says, line by line, answering "__NSW_RC__ RC" after each; uncompressed
guest_initramfs()
{
	local dir=$NSW_TMP/initramfs

	mkdir -p "$dir/bin" "$dir/proc" "$dir/sys" "$dir/dev" &&
		cp "$(command -v busybox)" "$dir/bin/busybox" || return
	cat >"$dir/init" <<-'EOF'
		#!/bin/busybox sh
		/bin/busybox --install -s /bin
		export PATH=/bin
		mount -t proc proc /proc
		mount -t sysfs sys /sys
		mount -t devtmpfs dev /dev
		exec </dev/ttyS0 >/dev/ttyS0 2>&1
		stty -echo -onlcr
		echo 1 >/proc/sys/kernel/printk
		read -r up _ </proc/uptime
		echo "__NSW_READY__ $up"
		while read -r cmd; do
			eval "$cmd"
			echo "__NSW_RC__ $?"
		done
		reboot -f
	EOF
	chmod +x "$dir/init" &&
		(cd "$dir" && find . | cpio -o -H newc --quiet) >"$1"
}

GUEST_PID=
GUEST_START=

# guest_start: QEMU in the switch's namespace, its console a pipe
guest_start()
{
	local args=()

	guest_initramfs "$NSW_TMP/guest.cpio" || return
	mkfifo "$NSW_TMP/con.in" "$NSW_TMP/con.out" || return
	# read-write: opening blocks nobody
	exec {CON_IN}<>"$NSW_TMP/con.in" {CON_OUT}<>"$NSW_TMP/con.out"
	mapfile -d '' args < <(qemu_args qtap0 "$M")
	__now
	GUEST_START=$NSW_NOW
	ip netns exec "$sw" env NESTSW="$NSW_TOOL" NESTSW_PG=vesx1 \
		qemu-system-x86_64 "${args[@]}" \
		-kernel "$KERNEL" -initrd "$NSW_TMP/guest.cpio" \
		-append "console=ttyS0 reboot=t panic=-1 no_timer_check" \
		-chardev "pipe,id=con,path=$NSW_TMP/con" -serial chardev:con \
		</dev/null >"$NSW_TMP/qemu.log" 2>&1 &
	GUEST_PID=$!
	defer guest_kill
	: >"$NSW_TMP/guest.log"
}

# guest_gone: QEMU has exited (it is our child: a zombie until waited for)
guest_gone()
{
	local stat

	read -r stat 2>/dev/null <"/proc/$GUEST_PID/stat" || return 0
	[[ $stat == *") Z "* ]]
}

# guest_kill: end QEMU, if it runs
guest_kill()
{
	[[ -n $GUEST_PID ]] || return 0
	kill "$GUEST_PID" 2>/dev/null
	wait "$GUEST_PID" 2>/dev/null
	GUEST_PID=
}

# guest_line: the guest's next console line in GUEST_LINE (also logged);
# fails when QEMU is gone or the guest printed nothing for
# NSW_GUEST_QUIET_S seconds. A read that times out keeps what it read of
# a line: the emulated UART of a loaded machine can stop mid-line.
guest_line()
{
	local quiet=0 part

	GUEST_LINE=
	while ! IFS= read -r -t 5 -u "$CON_OUT" part; do
		if [[ -n $part ]]; then
			GUEST_LINE+=$part
			quiet=0
			continue
		fi
		quiet=$((quiet + 5))
		if guest_gone; then
			ktap_info "QEMU is gone: $(<"$NSW_TMP/qemu.log")"
			return 1
		fi
		if ((quiet >= NSW_GUEST_QUIET_S)); then
			ktap_info "no progress: the nested guest printed nothing for $quiet s"
			ktap_info "its last lines:" "$(tail -n 20 "$NSW_TMP/guest.log")"
			guest_kill
			return 1
		fi
	done
	GUEST_LINE+=$part
	GUEST_LINE=${GUEST_LINE%$'\r'}
	printf '%s\n' "$GUEST_LINE" >>"$NSW_TMP/guest.log"
}

# guest_ready: wait for the guest's init; GUEST_BOOT says how long it took
guest_ready()
{
	while guest_line; do
		[[ $GUEST_LINE == __NSW_READY__* ]] || continue
		__now
		GUEST_BOOT="$(((NSW_NOW - GUEST_START) / 1000000)) s wall, ${GUEST_LINE#__NSW_READY__ } s guest uptime"
		return 0
	done
	return 1
}

# in_guest CMD: run shell code in the guest (as one line: the guest reads
# a command a line); its output, its exit code
in_guest()
{
	local out=()

	[[ -n $GUEST_PID ]] || return 1
	printf '%s\n' "${1//$'\n'/ }" >&"$CON_IN"
	while guest_line; do
		if [[ $GUEST_LINE == "__NSW_RC__ "* ]]; then
			((${#out[@]} == 0)) || printf '%s\n' "${out[@]}"
			return "${GUEST_LINE#__NSW_RC__ }"
		fi
		out+=("$GUEST_LINE")
	done
	GUEST_PID=
	return 1
}

# guest_cnt STAT: a counter of the guest's eth0
guest_cnt()
{
	in_guest "cat /sys/class/net/eth0/statistics/$1"
}

# port_is PORT WORD...: `nestsw port show dev PORT` has each WORD
port_is()
{
	local out w

	out=$(nsw_tool "$sw" port show dev "$1") || return
	echo "$out"
	for w in "${@:2}"; do
		[[ " $out " == *" $w "* ]] || { echo "no '$w'"; return 1; }
	done
}

# tap_up: qtap0 is up (IFF_UP)
tap_up()
{
	local flags

	read -r flags <"$(ns_root "$sw")/sys/class/net/qtap0/flags" || return
	((flags & 1))
}

# icmp_in_echos NS: the echo requests NS's stack has received (the
# InEchos column of /proc/net/snmp, found by its name)
icmp_in_echos()
{
	# shellcheck disable=SC2016 # awk's
	in_ns "$1" awk '/^Icmp:/ {
		if (!col) { for (i = 2; i <= NF; i++) if ($i == "InEchos") col = i; next }
		print $col }' /proc/net/snmp
}

# g1_answered WANT: g1 answered WANT echo requests since ECHOES
ECHOES=0
g1_answered()
{
	local n

	n=$(icmp_in_echos "$g1") || return
	echo "g1 answered $((n - ECHOES))"
	((n - ECHOES == $1))
}

# guest_rx: frames the guest's eth0 received since RX
RX=0
guest_rx()
{
	local n

	n=$(guest_cnt rx_packets) || return
	echo $((n - RX))
}

guest_rx_reached()
{
	local n

	n=$(guest_rx) && ((n >= $1))
}

guest_rx_is()
{
	local n

	n=$(guest_rx) || return
	echo "guest eth0 rx +$n"
	((n == $1))
}

# ifup_attached: qtap0 is sw0's, in PG vesx1, up
ifup_attached()
{
	port_is qtap0 "switch sw0" "pg vesx1" && tap_up
}

# tap_gone: qtap0 went with QEMU, and sw0 has vp1 alone
tap_gone()
{
	busywait "$NSW_TEARDOWN_MS" nsw_dev_gone "$sw" qtap0 &&
		nsw_ports_are "$sw" sw0 vp1
}

guest_start || ktap_bail "cannot start QEMU"
# qemu-ifup runs before QEMU starts its guest
busywait "$NSW_WAIT_MS" ifup_attached >/dev/null
check "qemu-ifup enslaved qtap0 to sw0 in port group vesx1 (NESTSW_PG) and set it up" \
	ifup_attached
check "the port's initial and effective MAC are the VM's mac=$M" \
	port_is qtap0 "initial-mac $M" "effective-mac $M"

if guest_ready; then
	ktap_ok "the nested guest booted to its init ($GUEST_BOOT)"
else
	ktap_fail "the nested guest booted to its init"
	ktap_bail "the nested guest did not boot"
fi

in_guest "echo 1 >/proc/sys/net/ipv4/conf/all/arp_ignore;
	ip link set eth0 up && ip addr add 10.0.0.2/24 dev eth0" >/dev/null ||
	ktap_bail "cannot configure the guest's eth0"
ECHOES=$(icmp_in_echos "$g1")
check "the guest pings g1 through its virtio-net NIC, the tap and sw0: 3 answered" \
	in_guest "ping -c 3 -W 10 10.0.0.1 | grep -q '3 packets received'"
check "g1 answered 3 echo requests" g1_answered 3

# A nested guest behind the VM's one vNIC: its frames carry F
in_guest "ip link add link eth0 name mv0 type macvlan &&
	ip link set mv0 address $F && ip addr add 10.0.0.3/24 dev mv0 &&
	ip link set mv0 up" >/dev/null || ktap_bail "cannot add the guest's macvlan"
# only_forged N: since nsw_drops_mark, qtap0 dropped at least N frames as
# forged (busybox's arping may send more than its -c), no port anything
# else
only_forged()
{
	local k d ok=0

	nsw_drops "$sw" || return
	for k in "${!NSW_DROPS[@]}"; do
		d=$((NSW_DROPS[$k] - ${NSW_DROPS_BASE[$k]:-0}))
		((d)) || continue
		echo "${k/|/ } +$d"
		[[ $k == "qtap0|forged" ]] || return 1
		((d < $1)) || ok=1
	done
	((ok))
}
nsw_drops_mark "$sw"
check_fails "under the default policy, the nested guest's ARP requests get no answer" \
	in_guest "arping -c 3 -w 10 -I mv0 10.0.0.1"
busywait "$NSW_WAIT_MS" only_forged 3 >/dev/null
check "...they are dropped as forged on qtap0 (3 or more), nothing else" \
	only_forged 3
ktap_info "drops since the nested guest's arping: $(only_forged 0 | paste -sd ' ')"

# Frames to another MAC: the guest, promiscuous, would count them
in_guest "ip link set eth0 promisc on" >/dev/null
RX=$(guest_cnt rx_packets)
cnt_mark "$sw"
frames_start tx_g1 "$g1" eth0 || ktap_bail "frames.py on g1"
G1=$(nsw_mac "$g1" eth0)
frames_send "$tx_g1" "$G1" "$X" 9 "$N" &&
	frames_send "$tx_g1" "$G1" "$M" 9 "$N"
check_cnt "frames from g1 to $X do not enter qtap0; those to the VM's MAC do" \
	"$sw" qtap0 tx_packets "$N"
busywait "$NSW_WAIT_MS" guest_rx_reached "$N"
check "the promiscuous guest received the $N frames to its MAC and none of those to $X" \
	guest_rx_is "$N"
in_guest "ip link set eth0 promisc off" >/dev/null

# The VM as a nested hypervisor: learning instead of promiscuous mode
nsw_tool "$sw" pg set dev sw0 name vesx1 forged-transmits accept learning on ||
	ktap_bail "cannot set learning on"
check "with learning on and forged transmits accepted, the nested guest pings g1: 3 answered" \
	in_guest "ping -c 3 -W 10 -I mv0 10.0.0.1 | grep -q '3 packets received'"
nsw_learn_check_fdb "its MAC is learned on qtap0" "$sw" qtap0 "$F"
nsw_learn_check_fdb "...and on no other port" "$sw" vp1
check "the VM and the nested guest ping the host (sw0, 10.0.0.254)" \
	in_guest "ping -c 2 -W 10 10.0.0.254 | grep -q '2 packets received' &&
		ping -c 2 -W 10 -I mv0 10.0.0.254 | grep -q '2 packets received'"

# The end: the guest powers off, QEMU runs the downscript and exits
printf 'reboot -f\n' >&"$CON_IN"
if busywait 300000 guest_gone; then
	wait "$GUEST_PID"
	rc=$?
	GUEST_PID=
	ktap_info "QEMU exit $rc: $(<"$NSW_TMP/qemu.log")"
	check_eq "the guest powered off: QEMU exits 0" "$rc" 0
else
	ktap_fail "the guest powered off: QEMU exits 0"
fi
check "qemu-ifdown released qtap0 while QEMU held it" \
	grep -qx 'rc=0 exists=yes master=none' "$NSW_TMP/ifdown.out"
check "qtap0 is gone with QEMU; sw0's ports: vp1" tap_gone

# The VM again, its tap named otherwise: the same port group and MAC. -S:
# QEMU opens its tap and stops before the guest runs.
second_start()
{
	local args=()

	mapfile -d '' args < <(qemu_args qtap2 "$M")
	ip netns exec "$sw" env NESTSW="$NSW_TOOL" NESTSW_PG=vesx1 \
		qemu-system-x86_64 "${args[@]}" -S \
		</dev/null >"$NSW_TMP/qemu.log" 2>&1 &
	GUEST_PID=$!
}
# (not in a check: the check's subshell would keep QEMU's pid)
second_start
busywait "$NSW_WAIT_MS" port_is qtap2 "switch sw0" >/dev/null
check "started again on a tap named qtap2, the VM is in vesx1 with $M again" \
	port_is qtap2 "switch sw0" "pg vesx1" "initial-mac $M" "effective-mac $M"
guest_kill
check "QEMU ends: qtap2 is gone; sw0's ports: vp1" \
	eval "busywait $NSW_TEARDOWN_MS nsw_dev_gone $sw qtap2 && nsw_ports_are $sw sw0 vp1"
check_kmsg
ktap_finished

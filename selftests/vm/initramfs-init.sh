#!/bin/busybox sh
# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the nestsw VM's initramfs (busybox-static ash), stage 1 of 2:
# load the virtio-pci + 9p modules listed in /modules.list, mount the host's /
# read-only and the repo read-write over virtio-9p, mount the rest (tmpfs,
# debugfs, devpts), bring lo up, then switch_root to the
# host's bash running the per-run script (stage 2, selftests/vm/guest.sh).
# run.sh passes nestsw_repo=, nestsw_test= and (debug kernel)
# nestsw_libmodules= on the kernel command line; the
# kernel hands unknown name=value arguments to init as environment variables.
# Copied into the initramfs by run.sh (a change here rebuilds the initramfs).

P9OPTS=trans=virtio,version=9p2000.L,msize=512000

# Any failure: say why on the console and reboot. run.sh then finds no exit
# code file and fails the run, printing the console's tail.
fail() {
	echo "nestsw-init: FATAL: $*"
	echo b >/proc/sysrq-trigger
	sleep 5
	reboot -f
}

/bin/busybox --install -s /bin
export PATH=/bin
mkdir -p /dev /proc /sys /newroot
mount -t devtmpfs devtmpfs /dev || fail "mount devtmpfs"
# the initramfs may lack /dev/console (it is built without root's mknod)
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc || fail "mount proc"
mount -t sysfs sysfs /sys || fail "mount sysfs"

while read -r mod; do
	insmod "/modules/$mod.ko" || fail "insmod $mod"
done </modules.list

# virtio devices probe as their driver registers, but do not bet on it:
# retry the first 9p mount for a few seconds.
tries=0
until mount -t 9p -o "ro,cache=loose,$P9OPTS" nestsw_root /newroot 2>/dev/null; do
	tries=$((tries + 1))
	[ "$tries" -lt 50 ] || fail "mount 9p nestsw_root"
	sleep 0.1
done
if [ -z "${nestsw_repo:-}" ] || [ -z "${nestsw_test:-}" ]; then
	fail "nestsw_repo= or nestsw_test= missing from the kernel command line"
fi
mount -t 9p -o "$P9OPTS" nestsw_repo "/newroot$nestsw_repo" || fail "mount 9p nestsw_repo on $nestsw_repo"
# fresh /tmp (never shared with the host) and a writable /run (ip netns add)
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /newroot/tmp || fail "mount /tmp"
mount -t tmpfs -o mode=755,nosuid,nodev tmpfs /newroot/run || fail "mount /run"
# The rest of the setup happens here too, with busybox already in memory:
# every program that stage 2 would run comes over 9p with its libraries,
# at up to a second each under TCG.
mount -t debugfs debugfs /sys/kernel/debug || fail "mount debugfs"
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts || fail "mount devpts"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm || fail "mount /dev/shm"
# what udev would link: bash's process substitution, <(...), opens /dev/fd/N
for link in fd:/proc/self/fd stdin:fd/0 stdout:fd/1 stderr:fd/2; do
	ln -s "${link#*:}" "/dev/${link%%:*}" || fail "link /dev/${link%%:*}"
done
# a kernel built here gets run.sh's /lib/modules (builtin lists only), so
# that modprobe of a builtin succeeds as on Debian's kernels
if [ -n "${nestsw_libmodules:-}" ]; then
	mount --bind "/newroot$nestsw_libmodules" /newroot/lib/modules || fail "bind /lib/modules"
fi
hostname nestsw-vm
ip link set lo up || fail "lo up"
# ttyS1 carries the command's output: raw, so no \n -> \r\n and no echo
stty -F /dev/ttyS1 raw -echo || fail "stty ttyS1"
# /sys/kernel/debug, /dev/pts and /dev/shm move along with their parents
for fs in dev proc sys; do
	mount --move "/$fs" "/newroot/$fs" || fail "move /$fs"
done
# switch_root (not chroot): frees the initramfs and makes the 9p root "/"
exec switch_root /newroot /bin/bash "$nestsw_test"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# qemu-ifup's reading of QEMU's command line, without QEMU: fake
# /proc/PID/cmdline files (NUL-separated arguments) through nsw_qemu_mac of
# tools/nestsw/nestsw-tap.sh. It must find the MAC of the NIC behind the
# tap QEMU names, and refuse, with a message saying what to add, when it
# cannot tell which NIC that is or when QEMU was given no MAC (QEMU's
# default, 52:54:00:12:34:56, is every VM's). Needs no root and no VM:
#
#   bash selftests/qemu_ifup_cmdline.sh
#
# selftests/qemu_tap.sh runs the script under a real QEMU.

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
# shellcheck source=../tools/nestsw/nestsw-tap.sh
source "$NSW_TOP/tools/nestsw/nestsw-tap.sh"

UP=/usr/lib/nestsw/qemu-ifup
DOWN=/usr/lib/nestsw/qemu-ifdown
M1=52:54:00:00:00:01
M2=52:54:00:00:00:02

# cmdline ARG...: a fake /proc/PID/cmdline of qemu-system-x86_64 ARG...
cmdline()
{
	printf '%s\0' qemu-system-x86_64 -M microvm "$@" >"$NSW_TMP/cmdline"
}

# mac_is TAP WANT [SCRIPT]: the MAC found for TAP, by the script run as
# SCRIPT (default $UP), is WANT
mac_is()
{
	local got

	got=$(nsw_qemu_mac "$NSW_TMP/cmdline" "$1" "${3:-$UP}") || return
	[[ $got == "$2" ]] || { echo "got $got, want $2"; return 1; }
}

# refused TAP TEXT: no MAC for TAP, and the message contains TEXT
refused()
{
	local out rc

	out=$(nsw_qemu_mac "$NSW_TMP/cmdline" "$1" "$UP" 2>&1)
	rc=$?
	echo "$out"
	((rc != 0)) || { echo "found a MAC, want a refusal"; return 1; }
	[[ $out == "nestsw: "*"$2"* ]] ||
		{ echo "the message does not say '$2'"; return 1; }
}

ktap_header
ktap_plan 16

cmdline -netdev "tap,id=n0,ifname=vm1,script=$UP,downscript=$DOWN" \
	-device "virtio-net-pci,netdev=n0,mac=$M1"
check "-netdev tap,ifname=vm1 + -device ...,netdev=n0,mac=M1: M1" mac_is vm1 "$M1"

cmdline -device "virtio-net-pci,mac=$M2,netdev=b" \
	-netdev "tap,id=a,ifname=vm1,script=$UP" \
	-netdev "tap,id=b,ifname=vm2,script=$UP" \
	-device "e1000,netdev=a,mac=$M1"
check "two NICs, devices before and after their netdevs: each tap its own MAC" \
	eval "mac_is vm1 $M1 && mac_is vm2 $M2"

cmdline --netdev "type=tap,ifname=vm1,id=n0,script=$UP" \
	--device "driver=virtio-net-device,netdev=n0,mac=$M1"
check "--netdev type=tap,... and --device driver=...: M1" mac_is vm1 "$M1"

cmdline -nic "tap,ifname=vm1,model=virtio-net-pci,mac=$M1,script=$UP"
check "-nic tap,ifname=vm1,...,mac=M1: M1" mac_is vm1 "$M1"

cmdline -netdev "tap,id=n0,ifname=vm1,script=$UP" \
	-device "virtio-net-pci,netdev=n0,mac=52-54-00-AB-CD-EF"
check "mac=52-54-00-AB-CD-EF is 52:54:00:ab:cd:ef" mac_is vm1 52:54:00:ab:cd:ef

cmdline -netdev '{"type":"tap","id":"n0","ifname":"vm1","script":"'$UP'"}' \
	-device '{"driver":"virtio-net-pci","netdev":"n0","mac":"'$M1'","bus":"pci.0"}'
check "JSON -netdev and -device: M1" mac_is vm1 "$M1"

cmdline -netdev "tap,id=n0,script=$UP,downscript=$DOWN" \
	-device "virtio-net-pci,netdev=n0,mac=$M1" \
	-netdev "tap,id=n1,ifname=other,script=$UP" \
	-device "virtio-net-pci,netdev=n1,mac=$M2" \
	-netdev "tap,id=n2,script=/etc/qemu-ifup" \
	-device "virtio-net-pci,netdev=n2,mac=52:54:00:00:00:03"
check "no ifname=, the one tap without ifname= that runs this script: M1" \
	mac_is tap0 "$M1"

cmdline -netdev "tap,id=n0" -device "virtio-net-pci,netdev=n0,mac=$M1"
check "no script= runs /etc/qemu-ifup: found when run as /etc/qemu-ifup" \
	mac_is tap0 "$M1" /etc/qemu-ifup

cmdline -netdev "tap,id=n0,script=/opt/my,,vm/qemu-ifup" \
	-device "virtio-net-pci,netdev=n0,mac=$M1"
check "',,' in a value is a comma: script=/opt/my,,vm/qemu-ifup is /opt/my,vm/qemu-ifup" \
	mac_is tap0 "$M1" /opt/my,vm/qemu-ifup

cmdline -netdev "tap,id=n0,script=$UP" -device "virtio-net-pci,netdev=n0,mac=$M1" \
	-netdev "tap,id=n1,script=$UP" -device "virtio-net-pci,netdev=n1,mac=$M2"
check "refused: no ifname= and two taps run this script; says to add ifname=" \
	refused tap1 "add ifname=tap1"

cmdline -netdev "tap,id=n0,ifname=vm1,script=$UP" \
	-device "virtio-net-pci,netdev=n0,mac=$M1"
check "refused: tap vm9 named nowhere and no tap without ifname=" \
	refused vm9 "add ifname=vm9"

cmdline -netdev "tap,id=n0,ifname=vm1,script=$UP" -device "virtio-net-pci,netdev=n0"
check "refused: -device without mac=; says QEMU's default is every VM's, add mac=" \
	refused vm1 "52:54:00:12:34:56, the same in every VM; add mac="

cmdline -nic "tap,ifname=vm1,script=$UP"
check "refused: -nic tap without mac=" refused vm1 "add mac="

cmdline -netdev "tap,id=n0,ifname=vm1,script=$UP" -device "virtio-net-pci,netdev=n1,mac=$M1"
check "refused: no -device uses the netdev" refused vm1 "no -device ...,netdev=n0"

cmdline -netdev "tap,id=n0,ifname=vm1,script=$UP" \
	-device "virtio-net-pci,netdev=n0,mac=52:54:00:00:01"
check "refused: mac=52:54:00:00:01 is not a MAC" refused vm1 "is not a MAC address"

rm -f "$NSW_TMP/cmdline"
check "refused: a cmdline that cannot be read" refused vm1 "cannot read"

ktap_finished

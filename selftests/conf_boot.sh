#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The boot helper that nestsw@.service runs, by hand in a namespace (the
# VM has no systemd): `nestsw-boot up sw0 FILE` creates sw0, waits for the
# ports the file lists (the tap t1 appears a second later, as a VM's
# would), and applies the file; `nestsw-boot down sw0` deletes the switch.
# A port that never appears fails the start after the wait, and leaves no
# switch behind.
#
#         g1
#   +-----------+
#   |   eth0    |
#   +-----|-----+
#         | veth                (tap t1, created late)
#   +----vp1---------------------t1-----+
#   |  PG vesx1 (trunk, learning on)    |
#   |          sw0, from the file       |
#   +-----------------------------------+
#                 netns sw

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

BOOT=$NSW_TOP/tools/nestsw/nestsw-boot
FILE=$NSW_TMP/sw0.conf

ktap_header
nsw_require ip
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 9
nsw_kmsg_mark
declare sw g1
setup_ns sw g1 || ktap_bail "cannot create namespaces"

nsw_ip "$sw" "link add vp1 type veth peer name eth0 netns $g1" ||
	ktap_bail "cannot build the topology"
[[ -c /dev/net/tun ]] || modprobe tun 2>/dev/null

cat >"$FILE" <<EOF
# sw0 of the lab host
[Switch]
ageing = 600

[PortGroup]
name = vesx1
vlan = trunk
learning = on

[Port]
dev = vp1
pg = vesx1

[Port]
dev = t1
initial-mac = 02:00:00:00:0a:01
EOF

nsw()
{
	nsw_tool "$sw" "$@"
}

# boot ARGS...: the boot helper in the switch's namespace, with our tool
boot()
{
	in_ns_sh "$sw" "NESTSW=$(printf %q "$NSW_TOOL") NESTSW_WAIT_DEVICES=${WAIT:-30} \
		$(printf %q "$BOOT") $*"
}

# late_tap: t1 appears a second from now
late_tap()
{
	__in_ns_bg "$sw" "sleep 1; exec ip tuntap add mode tap name t1 \
		>/dev/null 2>&1 </dev/null"
}

# switch_as_file: sw0 is up, with the ports, groups and policy of the file
switch_as_file()
{
	local flags

	flags=$(<"$(ns_root "$sw")/sys/class/net/sw0/flags") || return
	((flags & 1)) || { ktap_info "sw0 is down"; return 1; }
	nsw policy show dev sw0 | grep -q " ageing 600" &&
	nsw pg show dev sw0 name vesx1 | grep -q " vlan trunk " &&
	nsw port show dev vp1 | grep -q " pg vesx1 " &&
	nsw port show dev t1 | grep -q " initial-mac 02:00:00:00:0a:01"
}

late_tap
check "nestsw-boot up creates sw0, waiting for the late tap" boot up sw0 "$FILE"
check "sw0 has both ports" nsw_ports_are "$sw" sw0 t1 vp1
check "and is configured as the file says" switch_as_file
check "up again on the existing switch applies the file again" \
	boot up sw0 "$FILE"
check "nestsw-boot down deletes the switch" boot down sw0
check "and releases its ports" nsw_released "$sw" vp1 t1

sed -i 's/^dev = t1$/dev = t9/' "$FILE"
WAIT=1 check_fails "a port that never appears fails the start" \
	boot up sw0 "$FILE"
check "and no switch is left behind" nsw_dev_gone "$sw" sw0

check_kmsg
ktap_finished

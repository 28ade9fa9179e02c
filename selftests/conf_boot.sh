#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The boot helper that nestsw@.service and udev's 90-nestsw.rules run, by
# hand in a namespace (the VM has neither systemd nor udev), as they run
# it. `nestsw-boot up sw0` applies /etc/nestsw/sw0.conf (here
# NESTSW_CONF_DIR) at once, though the tap t1 it lists does not exist yet
# (a VM not started): setconf leaves t1 out and says so. When t1 appears,
# `nestsw-boot hotplug t1` (udev's RUN, with udev's ACTION and SEQNUM)
# applies the file again: t1 joins with its [Port] settings, and again
# when the VM starts once more under a new ifindex. A device no file
# lists, or of a switch that does not exist, is left alone. With
# "other-ports = keep", a tap that someone else attached (QEMU's script,
# libvirt's hook) stays through hotplug and reload, and so does its port
# group if the file lacks it; by default the file releases it. `nestsw-boot down sw0` deletes the switch.
#
#         g1
#   +-----------+
#   |   eth0    |
#   +-----|-----+
#         | veth        (taps: t1 appears late, t2 is no port, t3 is
#   +----vp1----------t1--------t3--+  attached by hand)
#   |  PG vesx1 (trunk, learning on)|
#   |     sw0, from sw0.conf        |
#   +-------------------------------+
#                 netns sw

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

BOOT=$NSW_TOP/tools/nestsw/nestsw-boot
CONF_DIR=$NSW_TMP/etc
FILE=$CONF_DIR/sw0.conf
M1=02:00:00:00:0a:01
M3=02:00:00:00:0a:03

ktap_header
nsw_require ip
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 20
nsw_kmsg_mark
declare sw g1
setup_ns sw g1 || ktap_bail "cannot create namespaces"

mkdir -p "$CONF_DIR" || ktap_bail "cannot make $CONF_DIR"
nsw_ip "$sw" "link add vp1 type veth peer name eth0 netns $g1" ||
	ktap_bail "cannot build the topology"
[[ -c /dev/net/tun ]] || modprobe tun 2>/dev/null

# write_file [OTHER_PORTS]: sw0.conf, with "other-ports = OTHER_PORTS"
write_file()
{
	cat >"$FILE" <<-EOF
	# sw0 of the lab host
	[Switch]
	ageing = 600
	${1:+other-ports = $1}

	[PortGroup]
	name = vesx1
	vlan = trunk
	learning = on

	[Port]
	dev = vp1
	pg = vesx1

	# the nested ESXi's vNIC: QEMU -netdev tap,ifname=t1,script=no
	[Port]
	dev = t1
	pg = vesx1
	initial-mac = $M1
	effective-mac = $M1
	EOF
}

nsw()
{
	nsw_tool "$sw" "$@"
}

# boot ARGS...: the boot helper in the switch's namespace, as its callers
# run it (udev: ACTION and SEQNUM set); its stderr in $NSW_TMP/boot.err
boot()
{
	local env=

	[[ $1 != hotplug ]] || env="ACTION=add SEQNUM=$((++SEQ))"
	in_ns_sh "$sw" "$env NESTSW=$(printf %q "$NSW_TOOL") \
		NESTSW_CONF_DIR=$(printf %q "$CONF_DIR") \
		NESTSW_RUN_DIR=$(printf %q "$NSW_TMP/run") \
		$(printf %q "$BOOT") $* 2>$(printf %q "$NSW_TMP/boot.err")"
}
SEQ=0

# boot_said TEXT: the helper's stderr has TEXT
boot_said()
{
	cat "$NSW_TMP/boot.err"
	grep -qF -- "$1" "$NSW_TMP/boot.err"
}

# up_said: up exits 0 and says t1 is left out until it appears
up_said()
{
	boot up sw0 && boot_said "sw0.conf:17: t1 does not exist (yet): its [Port] applies when it appears."
}

is_up()
{
	local flags

	flags=$(<"$(ns_root "$sw")/sys/class/net/$1/flags") || return
	((flags & 1)) || { echo "$1 is down"; return 1; }
}

# switch_as_file: sw0 is up, with the policy, group and vp1 of the file
switch_as_file()
{
	is_up sw0 &&
	nsw policy show dev sw0 | grep -q " ageing 600" &&
	nsw pg show dev sw0 name vesx1 | grep -q " vlan trunk " &&
	nsw port show dev vp1 | grep -q " pg vesx1 "
}

# t1_as_file: t1 is up, in vesx1, with the file's MACs
t1_as_file()
{
	local out

	is_up t1 || return
	out=$(nsw port show dev t1) || return
	echo "$out"
	[[ $out == *" pg vesx1 "* && $out == *"initial-mac $M1 "* &&
		$out == *"effective-mac $M1"* ]]
}

tap()
{
	nsw_ip "$sw" "tuntap add mode tap name $1"
}

# retap DEV: DEV deleted and made again (its VM stopped and started)
retap()
{
	nsw_ip "$sw" "link del $1" && tap "$1"
}

# ifindex DEV
ifindex()
{
	cat "$(ns_root "$sw")/sys/class/net/$1/ifindex"
}

write_file
check "nestsw-boot up applies sw0.conf though t1 is missing, without waiting, and says so" \
	up_said
check "sw0 is up, configured as the file says" switch_as_file
check "its one port is vp1" nsw_ports_are "$sw" sw0 vp1

tap t1 || ktap_bail "cannot make t1"
T1_FIRST=$(ifindex t1)
check "t1 appears (the VM starts): nestsw-boot hotplug t1, as udev runs it, exits 0" \
	boot hotplug t1
check "...and says t1 joined sw0" boot_said "t1 joined sw0 as $FILE says"
check "t1 is sw0's port, up, in vesx1 with initial and effective MAC $M1" \
	t1_as_file
check "sw0's ports: t1 vp1" nsw_ports_are "$sw" sw0 t1 vp1

retap t1 || ktap_bail "cannot make t1 again"
t1_again()
{
	local now

	now=$(ifindex t1)
	echo "t1's ifindex: first $T1_FIRST, now $now"
	((now != T1_FIRST)) && boot hotplug t1 && t1_as_file
}
check "the VM starts again (a new t1, another ifindex): hotplug puts it back as before" \
	t1_again

tap t2 || ktap_bail "cannot make t2"
check "hotplug t2, which no file lists: exit 0, nothing changes" \
	eval "boot hotplug t2 && nsw_ports_are $sw sw0 t1 vp1"

# t3: a VM's tap attached by its own integration, not by the file
attach_t3()
{
	nsw_ip "$sw" "link set t3 master sw0" &&
		nsw port set dev t3 initial-mac $M3 effective-mac $M3
}
tap t3 || ktap_bail "cannot make t3"
attach_t3 || ktap_bail "cannot attach t3"
reload()
{
	in_ns "$sw" "$NSW_TOOL" syncconf sw0 "$FILE"
}
check "by default, reloading the file (syncconf) releases t3, which it does not list" \
	eval "reload && nsw_ports_are $sw sw0 t1 vp1"

write_file keep
attach_t3 || ktap_bail "cannot attach t3 again"
check "with other-ports = keep, reloading keeps t3" \
	eval "reload && nsw_ports_are $sw sw0 t1 t3 vp1"
check "...with its MAC" eval "nsw port show dev t3 | grep -q 'initial-mac $M3 '"

# kept_group: t3 is in "lab", a port group the file lacks, as is the empty
# "old": a reload keeps lab for t3 and says so, and deletes old
kept_group()
{
	local err=$NSW_TMP/reload.err

	in_ns_sh "$sw" "$(printf %q "$NSW_TOOL") syncconf sw0 \
		$(printf %q "$FILE") 2>$(printf %q "$err")" || { cat "$err"; return 1; }
	cat "$err"
	grep -qF "Port group lab stays: it holds t3, which other-ports = keep keeps." "$err" &&
	nsw port show dev t3 | grep -q " pg lab " &&
	nsw pg show dev sw0 name lab >/dev/null &&
	! nsw pg show dev sw0 name old >/dev/null 2>&1
}
if ! { nsw pg add dev sw0 name lab && nsw pg add dev sw0 name old &&
	nsw port set dev t3 pg lab; }; then
	ktap_bail "cannot put t3 in port group lab"
fi
check "with keep, a port group the file lacks stays while t3 is in it; an empty one goes" \
	kept_group
retap t1 || ktap_bail "cannot make t1 again"
check "and a hotplug of t1 keeps t3 too" \
	eval "boot hotplug t1 && t1_as_file && nsw_ports_are $sw sw0 t1 t3 vp1"

bad_other_ports()
{
	write_file maybe
	boot up sw0 && return 1
	boot_said "sw0.conf:4: Invalid other-ports \"maybe\", expected release or keep."
}
check "other-ports = maybe is refused, naming its line" bad_other_ports
check "...and changes nothing" nsw_ports_are "$sw" sw0 t1 t3 vp1
write_file keep

check "nestsw-boot down deletes the switch" boot down sw0
check "and releases its ports" nsw_released "$sw" vp1 t1 t3
retap t1 || ktap_bail "cannot make t1 again"
check "hotplug t1 with no sw0: exit 0, nothing made" \
	eval "boot hotplug t1 && nsw_dev_gone $sw sw0 && nsw_released $sw t1"

check_kmsg
ktap_finished

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# libvirt's qemu hook (tools/nestsw/libvirt-qemu-hook, installed as
# /etc/libvirt/hooks/qemu.d/nestsw). It is called here as libvirtd calls
# it: "DOMAIN OPERATION SUB-OPERATION EXTRA", the domain's live XML on
# standard input, in the order libvirtd runs the operations (prepare
# before libvirt makes the tap, start once the tap exists and QEMU does
# not yet, started, stopped once QEMU and its tap are gone, release), on
# domain XML that libvirt's own virt-xml-validate accepts. The taps are
# made as libvirt makes them: its own ("vnetN", up, with the VM's MAC
# with fe: as first byte) and an admin's one for <target managed='no'/>;
# frames.py holds vm1's tap as QEMU would and sends the VM's frames.
#
#         g1                          vm1 (frames.py on its tap, as QEMU)
#   +------------+                 +---------------------------+
#   |  eth0  m1  |                 | 52:54:00:6e:00:01  (XML)  |
#   +-----|------+                 +-------------|-------------+
#         | veth                                 | vnet7 (fe:54:00:6e:00:01)
#   +-----|--------------------------------------|------------------+
#   |    vp1 (PG default)                      vnet7 (PG vms)       |
#   |  sw0; PG vms (learning on); default policy: forged-transmits  |
#   |  and mac-changes reject           lab-vm2 (vm2, managed='no') |
#   +----------------------------------------------------------------+
#                                netns sw
#
# The hook gives vnet7 the port group and the MAC of vm1's XML: vm1's
# frames, from that MAC, reach g1 (under forged-transmits reject), and
# g1's frames to it reach vm1. It releases what it attached, leaves
# domains without a nestsw port alone, and refuses every input it cannot
# honour with a message and a non-zero exit (libvirt then does not start
# the domain), changing nothing.

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

HOOK=$NSW_TOP/tools/nestsw/libvirt-qemu-hook
NS_URI=https://nestsw.example/xmlns/1
N=3				# frames per case
M1=52:54:00:6e:00:01		# vm1's MAC
M2=52:54:00:6e:00:02		# vm2's MAC
M3=52:54:00:6e:00:03		# other domains' MACs
M4=52:54:00:6e:00:04

ktap_header
nsw_require ip tcpdump jq virt-xml-validate xmllint
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 34
nsw_kmsg_mark
declare sw g1
setup_ns sw g1 || ktap_bail "cannot create namespaces"

##############################################################################
# Domain XML, as libvirtd hands it to the hook: the live definition (id,
# aliases, the tap's name in <target dev>)

XMLS=()

# port_xml MAC SW [PG]: a <nestsw:port> element, on a line of its own
port_xml()
{
	printf '\n      <nestsw:port mac="%s" switch="%s"%s/>' "$1" "$2" "${3:+ pg=\"$3\"}"
}

# iface_xml TYPE MAC [DEV [managed]]: an <interface>; a "bridge" one on sw0
iface_xml()
{
	local more=

	[[ $1 != bridge ]] || more="<source bridge='sw0'/>"
	[[ -z $3 ]] || more+="<target dev='$3'${4:+ managed='no'}/>"
	cat <<-EOF
	    <interface type='$1'>
	      <mac address='$2'/>
	      $more
	      <model type='virtio'/>
	      <alias name='net$((16#${2##*:}))'/>
	    </interface>
	EOF
}

# dom_xml NAME PORTS IFACES: $NSW_TMP/NAME.xml, a domain with the
# <nestsw:port> elements PORTS in its metadata (none: no metadata) and
# the <interface> elements IFACES
dom_xml()
{
	local file=$NSW_TMP/$1.xml meta=

	DOM_ID=$((DOM_ID + 1))
	[[ -z $2 ]] || meta="  <metadata>
    <nestsw:ports xmlns:nestsw=\"$NS_URI\">$2
    </nestsw:ports>
  </metadata>"
	cat >"$file" <<-EOF
	<domain type='qemu' id='$DOM_ID'>
	  <name>$1</name>
	  <uuid>$(printf '6e5f1c0a-8d1b-4c2e-9a37-%012x' "$DOM_ID")</uuid>
	$meta
	  <memory unit='KiB'>262144</memory>
	  <currentMemory unit='KiB'>262144</currentMemory>
	  <vcpu placement='static'>1</vcpu>
	  <resource>
	    <partition>/machine</partition>
	  </resource>
	  <os>
	    <type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type>
	    <boot dev='network'/>
	  </os>
	  <clock offset='utc'/>
	  <on_poweroff>destroy</on_poweroff>
	  <on_reboot>restart</on_reboot>
	  <on_crash>destroy</on_crash>
	  <devices>
	    <emulator>/usr/bin/qemu-system-x86_64</emulator>
	$3
	    <serial type='pty'>
	      <target type='isa-serial' port='0'>
	        <model name='isa-serial'/>
	      </target>
	      <alias name='serial0'/>
	    </serial>
	  </devices>
	  <seclabel type='none' model='none'/>
	</domain>
	EOF
	XMLS+=("$file")
}
DOM_ID=0

dom_xml vm1 "$(port_xml $M1 sw0 vms)" "$(iface_xml ethernet $M1 vnet7)"
dom_xml vm2 "$(port_xml $M2 sw0 vms)" "$(iface_xml ethernet $M2 lab-vm2 no)"
dom_xml plain "" "$(iface_xml ethernet $M3 vnet9)"
dom_xml no_switch "$(port_xml $M3 sw9 vms)" "$(iface_xml ethernet $M3 vnet20)"
dom_xml no_pg "$(port_xml $M3 sw0 nopg)" "$(iface_xml ethernet $M3 vnet20)"
dom_xml no_iface "$(port_xml $M4 sw0)" "$(iface_xml ethernet $M3 vnet20)"
dom_xml bridge "$(port_xml $M3 sw0)" "$(iface_xml bridge $M3 vnet20)"
dom_xml no_switch_attr '
      <nestsw:port mac="52:54:00:6e:00:03" pg="vms"/>' \
	"$(iface_xml ethernet $M3 vnet20)"
dom_xml bad_mac "$(port_xml 52:54:00:6e:00 sw0)" "$(iface_xml ethernet $M3 vnet20)"
dom_xml twice "$(port_xml $M3 sw0)$(port_xml $M3 sw0 vms)" \
	"$(iface_xml ethernet $M3 vnet20)"
dom_xml other_master "$(port_xml $M3 sw0)" "$(iface_xml ethernet $M3 vnet21)"
dom_xml no_tap "$(port_xml $M3 sw0)" "$(iface_xml ethernet $M3 vnet29)"
dom_xml no_target "$(port_xml $M3 sw0)" "$(iface_xml ethernet $M3)"
dom_xml vm2_clone "$(port_xml $M2 sw0 vms)" "$(iface_xml ethernet $M2 vnet20)"
dom_xml half "$(port_xml $M3 sw0 vms)$(port_xml $M4 sw0 vms)" \
	"$(iface_xml ethernet $M3 vnet20)
$(iface_xml ethernet $M4 vnet21)"
# not XML at all: the one input that is not for virt-xml-validate
printf '<domain><metadata><nestsw:ports xmlns:nestsw="%s">\n' "$NS_URI" \
	>"$NSW_TMP/broken.xml"

# validate_all: libvirt's schema accepts every domain XML above
validate_all()
{
	local f rc=0

	for f in "${XMLS[@]}"; do
		virt-xml-validate "$f" domain || rc=1
	done
	return "$rc"
}

##############################################################################
# The hook, as libvirtd runs it

# hook DOMAIN OP: run the hook in the switch's namespace with
# "DOMAIN OP SUB -" (SUB: begin when starting, end when stopping) and
# $NSW_TMP/DOMAIN.xml on stdin; its stdout in $HOOK_OUT, stderr in $HOOK_ERR
HOOK_OUT=$NSW_TMP/hook.out
HOOK_ERR=$NSW_TMP/hook.err
hook()
{
	local dom=$1 op=$2 sub=begin xml=$NSW_TMP/$1.xml

	[[ $op == stopped || $op == release ]] && sub=end
	in_ns_sh "$sw" "NESTSW=$(printf %q "$NSW_TOOL") \
		$(printf %q "$HOOK") $dom $op $sub - <$(printf %q "$xml") \
		>$HOOK_OUT 2>$HOOK_ERR"
}

# hook_ok DOMAIN OP...: each OP exits 0 and prints nothing on stdout
hook_ok()
{
	local dom=$1 op; shift

	for op; do
		hook "$dom" "$op" || {
			echo "$dom $op: exit $?: $(<"$HOOK_ERR")"
			return 1
		}
		[[ ! -s $HOOK_OUT ]] || { echo "$dom $op printed: $(<"$HOOK_OUT")"; return 1; }
	done
}

# PORTS: sw0's ports as they must be now
PORTS=(vp1)

# ports_unchanged: sw0's ports are PORTS
ports_unchanged()
{
	nsw_ports_are "$sw" sw0 "${PORTS[@]}" || { echo "want ${PORTS[*]}"; return 1; }
}

# ops_ok DOMAIN OP...: hook_ok, and sw0's ports are still PORTS
ops_ok()
{
	hook_ok "$@" && ports_unchanged
}

# check_hook_refused DESC WORD DOMAIN OP: the hook fails, says why (its
# message names the domain and WORD), prints nothing on stdout, and sw0's
# ports are still PORTS
check_hook_refused()
{
	local desc=$1 word=$2 dom=$3 op=$4 rc=0 err ok=0

	hook "$dom" "$op" || rc=$?
	err=$(<"$HOOK_ERR")
	ktap_info "hook $dom $op: exit $rc: ${err:-(no message)}"
	if ((rc == 0)); then
		ktap_info "this should have been refused"
	elif [[ $err != *"nestsw: domain $dom:"*"$word"* ]]; then
		ktap_info "the message should name the domain and say '$word'"
	elif [[ -s $HOOK_OUT ]]; then
		ktap_info "stdout should be empty: $(<"$HOOK_OUT")"
	elif ports_unchanged >"$NSW_TMP/ports.out" 2>&1; then
		ok=1
	else
		ktap_info "$(<"$NSW_TMP/ports.out")"
	fi
	if ((ok)); then
		ktap_ok "$desc"
		return 0
	fi
	ktap_fail "$desc"
	return 1
}

# port_is DEV PG MAC: DEV is a port of sw0 in PG, MAC its initial and
# effective MAC, admin-set (nestsw -j port show)
port_is()
{
	local got

	[[ $(nsw_master "$sw" "$1") == sw0 ]] || { echo "$1 is not a port of sw0"; return 1; }
	nsw_ports_json "$sw" || return
	got="${NSW_PORTJ[$1|pg]} ${NSW_PORTJ[$1|initial-mac]} ${NSW_PORTJ[$1|effective-mac]} ${NSW_PORTJ[$1|follows-peer]}"
	echo "$1: pg, initial-mac, effective-mac, follows-peer: $got"
	[[ $got == "$2 $3 $3 false" ]]
}

# master_is DEV MASTER: DEV (in the switch's namespace) is a port of MASTER
master_is()
{
	local m

	m=$(nsw_master "$sw" "$1") || { echo "no $1"; return 1; }
	[[ $m == "$2" ]] || { echo "$1 has master '$m', want $2"; return 1; }
}

# libvirt_tap DEV MAC: a tap as libvirt makes one for <interface
# type='ethernet'>: the VM's MAC with fe: as first byte, up
libvirt_tap()
{
	nsw_ip "$sw" "tuntap add mode tap name $1" \
		"link set $1 address fe:${2#*:}" "link set $1 up"
}

##############################################################################

declare m1 tx_g1 tx_vm1 vm1_qemu cap_g1 cap_vm1
setup()
{
	{ [[ -c /dev/net/tun ]] || modprobe tun; } &&
	nsw_switch_add "$sw" sw0 &&
	nsw_veth_port "$sw" sw0 vp1 "$g1" &&
	nsw_tool "$sw" pg add dev sw0 name vms learning on &&
	m1=$(nsw_mac "$g1" eth0) &&
	frames_start tx_g1 "$g1" eth0 &&
	cap_start cap_g1 "$g1" eth0
}
setup || ktap_bail "cannot build the topology"

check "libvirt's virt-xml-validate accepts the ${#XMLS[@]} domain XMLs of this test" \
	validate_all

# --- vm1: libvirt's own tap -----------------------------------------------

check "prepare: vm1's switch and port group exist; nothing changes" \
	ops_ok vm1 prepare

# libvirt makes the tap (between prepare and start), then QEMU holds it
setup_vm1()
{
	libvirt_tap vnet7 $M1 && frames_start tx_vm1 "$sw" vnet7 &&
	vm1_qemu=$NSW_BG_PID && cap_start cap_vm1 "$sw" vnet7 out
}
setup_vm1 || ktap_bail "cannot make vm1's tap"

PORTS+=(vnet7)
check "start: vm1's tap vnet7 joins sw0" ops_ok vm1 start
check "nestsw -j port show: vnet7 in PG vms, initial and effective MAC $M1 (the XML's), admin-set" \
	port_is vnet7 vms "$M1"
started_again()
{
	ops_ok vm1 started && port_is vnet7 vms "$M1"
}
check "started after start changes nothing" started_again

cnt_mark "$sw" && nsw_drops_mark "$sw"
frames_send "$tx_vm1" $M1 "$m1" 7001 $N
check_seen "vm1's frames from $M1 reach g1 (forged-transmits reject)" \
	"$N" "$cap_g1" "$(frame_re 7001)"
frames_send "$tx_g1" "$m1" $M1 7002 $N
check_seen "g1's frames to $M1 reach vm1 (mac-changes reject)" \
	"$N" "$cap_vm1" "$(frame_re 7002)"
check_nsw_drops "nestsw dropped none of them" "$sw"

# QEMU exits: libvirt's tap goes with it, before the stopped hook
vm1_stops()
{
	nsw_kill "$vm1_qemu" && nsw_ip "$sw" "link del vnet7" &&
	busywait "$NSW_WAIT_MS" nsw_dev_gone "$sw" vnet7 &&
	ops_ok vm1 stopped release
}
PORTS=(vp1)
check "vm1 stops (QEMU and vnet7 gone): stopped and release exit 0, sw0 keeps vp1" \
	vm1_stops

# --- vm2: the admin's tap, <target dev='lab-vm2' managed='no'/> -----------

nsw_ip "$sw" "tuntap add mode tap name lab-vm2" "link set lab-vm2 up" ||
	ktap_bail "cannot make lab-vm2"
vm2_starts()
{
	ops_ok vm2 "$@" && port_is lab-vm2 vms "$M2"
}
vm2_stops()
{
	ops_ok vm2 "$@" && nsw_released "$sw" lab-vm2
}
PORTS+=(lab-vm2)
check "prepare, start, started: vm2's tap lab-vm2 (managed='no') joins sw0 in PG vms with $M2" \
	vm2_starts prepare start started
PORTS=(vp1)
check "stopped: lab-vm2 leaves sw0 and is still there" vm2_stops stopped
check "release after stopped: exit 0, nothing changes" vm2_stops release
release_alone()
{
	PORTS+=(lab-vm2)
	vm2_starts start || return
	PORTS=(vp1)
	vm2_stops release
}
check "release alone (no stopped before it) releases lab-vm2 too" release_alone

# --- what the hook leaves alone --------------------------------------------

nsw_ip "$sw" "tuntap add mode tap name vnet9" "link set vnet9 up" ||
	ktap_bail "cannot make vnet9"
plain_alone()
{
	ops_ok plain prepare start started stopped release &&
	nsw_released "$sw" vnet9
}
check "a domain without nestsw metadata: every operation exits 0, vnet9 left alone" \
	plain_alone
check "migrate, restore, reconnect, attach: exit 0, no output (the XML unchanged), nothing done" \
	vm2_stops migrate restore reconnect attach

# --- refusals: nothing changes --------------------------------------------

nsw_ip "$sw" "tuntap add mode tap name vnet20" "link set vnet20 up" ||
	ktap_bail "cannot make vnet20"
check_hook_refused "prepare: a switch that does not exist (sw9) is refused" \
	"no nestsw switch 'sw9'" no_switch prepare
check_hook_refused "start: the same is refused once the tap exists, vnet20 left alone" \
	"no nestsw switch 'sw9'" no_switch start
check_hook_refused "start: a port group that does not exist (nopg) is refused" \
	"no port group 'nopg' on switch sw0" no_pg start
check_hook_refused "a nestsw:port whose MAC no interface has is refused" \
	"has no interface" no_iface prepare
check_hook_refused "an <interface type='bridge'> named by a nestsw:port is refused" \
	"needs type='ethernet'" bridge prepare
check_hook_refused "a nestsw:port without a switch is refused" \
	"names no switch" no_switch_attr prepare
check_hook_refused "a nestsw:port whose mac is not a MAC is refused" \
	"is not a MAC address" bad_mac prepare
check_hook_refused "a MAC listed twice is refused" "listed twice" twice prepare
check_hook_refused "XML that does not parse is refused" \
	"cannot read the domain XML" broken prepare

nsw_ip "$sw" "link add br0 type bridge" "tuntap add mode tap name vnet21" \
	"link set vnet21 master br0" || ktap_bail "cannot make br0"
check_hook_refused "start: a tap that is a port of a bridge already is refused" \
	"vnet21 is a port of br0" other_master start
check "vnet21 is still a port of br0" master_is vnet21 br0
check_hook_refused "start: a tap that does not exist (vnet29) is refused" \
	"no device vnet29" no_tap start
check_hook_refused "start: an interface without <target dev> is refused" \
	"no tap to attach" no_target start

PORTS+=(lab-vm2)
check "vm2 starts again: lab-vm2 on sw0 with $M2" vm2_starts start
check_hook_refused "start: a clone of vm2 (its MAC $M2 on vnet20) is refused by nestsw" \
	"vnet20 on sw0: Error: nestsw: MAC is already another port's" vm2_clone start
check_hook_refused "start: two taps, the second a port of br0: the first joins and leaves again" \
	"vnet21 is a port of br0" half start
half_undone()
{
	nsw_released "$sw" vnet20 && master_is vnet21 br0
}
check "vnet20 has no master, vnet21 is still br0's" half_undone

usage_refused()
{
	local rc=0

	in_ns "$sw" "$HOOK" vm1 start begin || rc=$?
	echo "exit $rc"
	((rc == 2))
}
check "the hook with three arguments instead of libvirt's four: usage, exit 2" \
	usage_refused

check_kmsg
ktap_finished

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# setconf and syncconf are all or nothing. A file with an error (a bad
# key, a bad value, a port group twice, a bad line) is refused whole: the
# message names its line and key, and the switch is left as it was. A
# device that does not exist (yet) is no error: it is left out, and said. A file the kernel refuses midway (a loopback device as
# a port; a static entry for a MAC the switch already has) is undone: the
# message names the line the kernel refused and gives its reason, and the
# switch is as it was, down to the changes made before the refusal.
#
#         g1                 g2
#   +-----------+      +-----------+
#   |   eth0    |      |   eth0    |
#   +-----|-----+      +-----|-----+
#         | veth             | veth
#   +----vp1----------------vp2----+
#   |  PG vesx1            default |
#   |           sw0                |
#   +------------------------------+
#              netns sw

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

ktap_header
nsw_require ip
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 14
nsw_kmsg_mark
declare sw g1 g2
setup_ns sw g1 g2 || ktap_bail "cannot create namespaces"

GOOD=$NSW_TMP/good.conf		# sw0's configuration
BAD=$NSW_TMP/bad.conf

nsw()
{
	nsw_tool "$sw" "$@"
}

setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_veth_port "$sw" sw0 vp1 "$g1" &&
	nsw_veth_port "$sw" sw0 vp2 "$g2" &&
	nsw pg add dev sw0 name vesx1 vlan trunk learning on &&
	nsw port set dev vp1 pg vesx1 &&
	in_ns_sh "$sw" "$(printf %q "$NSW_TOOL") showconf sw0 >$GOOD"
}
setup || ktap_bail "cannot build the topology"

# bad_file LINE...: $BAD is $GOOD and these lines; prints the number of
# the first one
bad_file()
{
	cp "$GOOD" "$BAD" && printf '%s\n' "$@" >>"$BAD" &&
	echo $(($(wc -l <"$GOOD") + 1))
}

# refused CMD WANT_RC REGEX: `nestsw CMD sw0 $BAD` fails with WANT_RC, its
# message matches REGEX, and sw0 is as $GOOD says
refused()
{
	local cmd=$1 want=$2 re=$3 rc=0

	in_ns_sh "$sw" "$(printf %q "$NSW_TOOL") $cmd sw0 $BAD \
		>$NSW_TMP/out 2>&1" || rc=$?
	ktap_info "$(<"$NSW_TMP/out")"
	((rc == want)) || { ktap_info "exit $rc, want $want"; return 1; }
	grep -qE -- "$re" "$NSW_TMP/out" || { ktap_info "no \"$re\""; return 1; }
	in_ns_sh "$sw" "$(printf %q "$NSW_TOOL") showconf sw0 >$NSW_TMP/now.conf"
	if ! diff -u "$GOOD" "$NSW_TMP/now.conf" >"$NSW_TMP/diff"; then
		ktap_info "the switch changed: $(<"$NSW_TMP/diff")"
		return 1
	fi
}

F=${BAD//\//\\/}	# the file's name, in a regex

# --- errors in the file ----------------------------------------------------

n=$(bad_file "[PortGroup]" "name = extra" "learning = on" "bogus = 1")
check "a bad key is refused, naming its line, and changes nothing" \
	refused setconf 1 "^$F:$((n + 3)): Unknown key \"bogus\" in \[PortGroup\]"

n=$(bad_file "[PortGroup]" "name = extra" "mac-limit = 0")
check "a bad value is refused, naming its line and key" \
	refused syncconf 1 "^$F:$((n + 2)): Invalid mac-limit \"0\""

# left_out CMD REGEX: `nestsw CMD sw0 $BAD` succeeds, says REGEX, and sw0
# is as $GOOD says
left_out()
{
	local cmd=$1 re=$2

	in_ns_sh "$sw" "$(printf %q "$NSW_TOOL") $cmd sw0 $BAD \
		>$NSW_TMP/out 2>&1" || { ktap_info "exit $?: $(<"$NSW_TMP/out")"; return 1; }
	ktap_info "$(<"$NSW_TMP/out")"
	grep -qE -- "$re" "$NSW_TMP/out" || { ktap_info "no \"$re\""; return 1; }
	in_ns_sh "$sw" "$(printf %q "$NSW_TOOL") showconf sw0 >$NSW_TMP/now.conf"
	diff -u "$GOOD" "$NSW_TMP/now.conf"
}

n=$(bad_file "[Port]" "dev = nosuchdev" "pg = vesx1")
check "a device that does not exist (yet) is left out, naming its line; nothing else changes" \
	left_out setconf "^$F:$((n + 1)): nosuchdev does not exist \(yet\): its \[Port\] applies when it appears\.$"

n=$(bad_file "[PortGroup]" "name = vesx1" "vlan = 10")
check "a port group given twice is refused, naming both lines" \
	refused setconf 1 "^$F:$n: Duplicate port group \"vesx1\" \(first at line [0-9]+\)"

n=$(bad_file "[Port]" "dev = vp2" "pg = nosuchpg")
check "a port in a port group the file lacks is refused" \
	refused syncconf 1 "^$F:$n: Port group \"nosuchpg\" of port vp2 is not in the file"

# vp2_gets LINE: $BAD is $GOOD with LINE in vp2's section; prints vp2's
# line (where its device is named)
vp2_gets()
{
	sed "/^dev = vp2\$/a $1" "$GOOD" >"$BAD" &&
	grep -n "^dev = vp2$" "$BAD" | cut -d: -f1
}

n=$(vp2_gets "effective-mac = 02:00:00:00:00:01")
check "a veth's effective MAC is refused: it follows the peer" \
	refused setconf 1 "^$F:$n: vp2 is a veth"

n=$(bad_file "[PortGroup]" "name = extra" "this is not a key")
check "a line that is not KEY = VALUE is refused, naming it" \
	refused setconf 1 "^$F:$((n + 2)): Syntax error"

rm -f "$BAD"
check "a missing file is refused" refused setconf 1 "^Cannot open \"$F\""

# --- refusals of the kernel midway -------------------------------------------

# The switch's default policy changes and a port group is created before
# the kernel refuses to enslave lo.
sed 's/^promiscuous = reject$/promiscuous = accept/' "$GOOD" >"$BAD"
n=$(($(wc -l <"$BAD") + 4))
printf '%s\n' "[PortGroup]" "name = extra" "[Port]" "dev = lo" >>"$BAD"
check "a port the kernel refuses rolls back what came before" \
	refused setconf 2 "^$F:$n: Error: nestsw: a loopback device cannot be a port"
# said_undone LINE WHAT: the message names LINE, WHAT, and says all was undone
said_undone()
{
	grep -qE "^$F:$1: The kernel refused the change of $2\.$" "$NSW_TMP/out" &&
	grep -qE "^[1-9][0-9]* changes undone: the switch is as it was\.$" \
		"$NSW_TMP/out"
}

check "the message names the refused line and says it was undone" \
	said_undone "$n" "port lo"

# vp1 moves to a new port group before the kernel refuses a static entry
# for vp2 with g1's MAC, which is vp1's guest entry.
m1=$(nsw_mac "$g1" eth0)
n=$(($(vp2_gets "fdb = $m1") + 1))
sed -i 's/^pg = vesx1$/pg = extra/' "$BAD"
printf '%s\n' "[PortGroup]" "name = extra" >>"$BAD"
check "a static entry the kernel refuses rolls back the port's move" \
	refused syncconf 2 "^$F:$n: Error: nestsw: MAC is in the FDB already"
# in_pg PORT PG: PORT is in port group PG
in_pg()
{
	nsw port show dev "$1" | grep -q " pg $2 "
}

check "vp1 is back in its port group" in_pg vp1 vesx1

# The good file itself goes through, and again changes nothing.
check "the file the errors were made of applies" nsw setconf sw0 "$GOOD"

check_kmsg
ktap_finished

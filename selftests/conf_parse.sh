#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# setconf reads a configuration file whole, as it is: no line is too long
# (an fdb line with 40 blanks before "vlan 123" keeps VLAN 123, a comment
# of 5000 characters is a comment), CRLF line ends and a last line
# without its newline are read, and comments start with "#" or ";" at the
# start of a line or after a blank. A file with errors is refused whole
# and changes nothing, and every error is reported with its true line: a
# NUL byte is an error of its own line and shifts no later line, several
# errors are all reported, unknown keys and sections are named. Each
# message is checked whole. (tools/nestsw/tests/conf_parse.sh tests the
# reader alone, on the host.)
#
#              netns sw
#   +----------------------------+
#   |  sw0 (nestsw)              |
#   |   port: dm1 (dummy, guest) |
#   +----------------------------+

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

S1=02:00:00:00:0b:01
SYNTAX="Syntax error, expected [Section], KEY = VALUE or a comment."

ktap_header
nsw_require ip
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 13
nsw_kmsg_mark
declare sw
setup_ns sw || ktap_bail "cannot create namespaces"

GOOD=$NSW_TMP/good.conf	# sw0 as set up
F=$NSW_TMP/t.conf	# each case's file
NOW=$NSW_TMP/now.conf

nsw()
{
	nsw_tool "$sw" "$@"
}

setup()
{
	nsw_switch_add "$sw" sw0 &&
	nsw_ip "$sw" "link add dm1 type dummy" "link set dm1 master sw0" &&
	nsw pg add dev sw0 name lab vlan 10 &&
	nsw_showconf_to "$sw" sw0 "$GOOD"
}
setup || ktap_bail "cannot build the topology"

# good_plus FORMAT [ARG...]: $F is $GOOD, then printf FORMAT ARG...
good_plus()
{
	local fmt=$1; shift

	# shellcheck disable=SC2059 # the format is the caller's
	{ cat "$GOOD"; printf "$fmt" "$@"; } >"$F"
}

# setconf_says RC ERR: `nestsw setconf sw0 $F` exits RC with exactly ERR on
# stderr
setconf_says()
{
	local want_rc=$1 want=$2 rc=0 err

	in_ns_sh "$sw" "$(printf %q "$NSW_TOOL") setconf sw0 $F \
		>$NSW_TMP/out 2>$NSW_TMP/err" || rc=$?
	err=$(<"$NSW_TMP/err")
	((rc == want_rc)) && [[ $err == "$want" ]] && return
	# (long lines cut for the log)
	ktap_info "exit $rc, want $want_rc; stderr:" "$(cut -c1-200 <<<"$err")" \
		"want:" "$(cut -c1-200 <<<"$want")"
	return 1
}

# refused ERR: setconf of $F fails with exactly ERR, and sw0 is as $GOOD
refused()
{
	setconf_says 1 "$1" || return
	nsw_showconf_to "$sw" sw0 "$NOW" && diff -u "$GOOD" "$NOW" >"$NSW_TMP/diff" && return
	ktap_info "the switch changed: $(<"$NSW_TMP/diff")"
	return 1
}

# applies LINE...: setconf of $F succeeds silently, then showconf has each
# LINE
applies()
{
	local line

	setconf_says 0 "" && nsw_showconf_to "$sw" sw0 "$NOW" || return
	for line; do
		grep -qxF -- "$line" "$NOW" || { ktap_info "no line \"$line\""; return 1; }
	done
}

n=$(($(wc -l <"$GOOD") + 1))	# the first line good_plus adds

# --- what is read ----------------------------------------------------------

{
	sed '/^dev = dm1$/q' "$GOOD"
	printf 'fdb = %s%40svlan 123\n' $S1 ""
	sed '1,/^dev = dm1$/d' "$GOOD"
} >"$F"
check "fdb with 40 blanks before \"vlan 123\" adds it in VLAN 123" \
	applies "fdb = $S1 vlan 123"
# in_vlan_123: the kernel has S1 on dm1 in VLAN 123
in_vlan_123()
{
	nsw fdb show dev sw0 | grep -q "^$S1 dev dm1 vlan 123 "
}
check "the kernel has it in VLAN 123" in_vlan_123

{
	printf '# %05000d\n' 0
	sed 's/^vlan = 10$/vlan = 20/' "$GOOD"
	printf '; %0300d\n' 0
} >"$F"
check "comment lines of 5000 and 300 characters are comments" \
	applies "vlan = 20"

sed -e 's/^vlan = 20$/vlan = 30/' -e 's/$/\r/' "$NOW" >"$F"
check "a file with CRLF line ends applies" applies "vlan = 30"

good_plus '[PortGroup]\nname = last'
check "a last line without its newline is read" applies "name = last"

good_plus '  [PortGroup] # a group\n\tname = spaced ; with a comment\n  vlan=5\n'
check "indented lines, comments after a blank" applies "name = spaced" \
	"vlan = 5"

# --- errors: the switch as $GOOD again first --------------------------------

check "the first file applies again" nsw setconf sw0 "$GOOD"

good_plus '[PortGroup]\nname = g1\nvlan = 1\x005\nbogus = 1\n'
check "a NUL byte is an error of its line, and later lines keep their numbers" \
	refused "$F:$((n + 2)): A NUL byte in the line.
$F:$((n + 3)): Unknown key \"bogus\" in [PortGroup]."

good_plus '[PortGroup]\nname = g1\nmac-limit = 0\n[Bogus]\nx = 1\n[Port]\ndev = dm9\ncolour = blue\nnot a key\n[Switch]\n'
check "several errors are all reported, each with its line" \
	refused "$F:$((n + 2)): Invalid mac-limit \"0\", expected 1 to 65536.
$F:$((n + 3)): Unknown section [Bogus], expected [Switch], [PortGroup] or [Port].
$F:$((n + 7)): Unknown key \"colour\" in [Port].
$F:$((n + 8)): $SYNTAX
$F:$((n + 9)): A second [Switch] section (the first is at line 2)."

good_plus '[Ports]\ndev = dm1\n'
check "an unknown section is named" \
	refused "$F:$n: Unknown section [Ports], expected [Switch], [PortGroup] or [Port]."

good_plus '[PortGroup]\nname = g1\nvlan = 5\r\nvlans = 5\r\n'
check "an unknown key in a CRLF line is named, without its CR" \
	refused "$F:$((n + 3)): Unknown key \"vlans\" in [PortGroup]."

long=$(printf 'x%.0s' {1..5000})
good_plus '[PortGroup]\nname = g1\nlearning = %s\nbogus = 1' "$long"
check "a 5000-character value is refused whole, and the next line named" \
	refused "$F:$((n + 2)): Invalid learning \"$long\", expected off or on.
$F:$((n + 3)): Unknown key \"bogus\" in [PortGroup]."

check_kmsg
ktap_finished

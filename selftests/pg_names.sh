#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A port group's name is 1 to 15 ASCII letters, digits, ".", "_" and "-",
# so that a configuration file holds it as it is: no blank, no comment
# character ("#", ";"), no "=", no bracket, no newline, no byte above
# 0x7f. The kernel refuses any other name for a new port group (pg-new,
# sent raw by nl_raw.py, bypassing the tool) with EINVAL and an extack
# message on the name attribute; names are still looked up as given, so
# a lookup of such a name answers "no such port group", as before. The
# tool refuses such a name before sending anything, in every command that
# takes one, and so does setconf in a file, naming the line. Each
# refusal's message is checked whole, and changes nothing. A name of
# every allowed character is taken by each.
#
#                netns sw
#   +------------------------------------+
#   |  sw0 (nestsw)   PGs: default, lab  |
#   |   port: dm1 (dummy, in lab)        |
#   +------------------------------------+

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

PY=/usr/bin/python3
NL_RAW=$NSW_SELFTESTS/nl_raw.py
KMSG="port group name may hold only letters, digits, '.', '_' and '-'"
# The tool's message for KEY and NAME
tool_msg()
{
	printf 'Invalid %s "%s", expected 1 to 15 letters, digits, ".", "_" or "-".' \
		"$1" "$2"
}

ktap_header
nsw_require ip "$PY"
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
declare sw
setup_ns sw || ktap_bail "cannot create namespaces"

nsw()
{
	nsw_tool "$sw" "$@"
}

setup()
{
	nsw_ip "$sw" "link add sw0 type nestsw" "link add dm1 type dummy" \
		"link set dm1 master sw0" &&
	nsw pg add dev sw0 name lab &&
	nsw port set dev dm1 pg lab
}
setup || ktap_bail "cannot build the topology"

# Names a file cannot hold as they are, as nl_raw.py's str VALUE (%XX is
# byte XX), each with what it shows (no ";": nl_raw.py's field separator).
BAD=(
	"a%20b%20%3Bc	blanks and a semicolon (the issue's name)"
	"a%23b	a hash"
	"a%3Bb	a semicolon"
	"a%3Db	an equals sign"
	"%5Blab%5D	brackets"
	"a%0Ab	a newline"
	"a%09b	a tab"
	"a%2Fb	a slash"
	"a:b	a colon"
	"caf%C3%A9	UTF-8 above 0x7f"
	"a%FFb	the byte 0xff"
)

REFUSALS=$(
	for bad in "${BAD[@]}"; do
		printf 'pg-new with a name with %s ; EINVAL ; bad:2 ; pg-new 1:u32:@sw0 2:str:%s ; %s\n' \
			"${bad#*	}" "${bad%%	*}" "$KMSG"
	done
	cat <<LINES
pg-get of a name with a blank: looked up as before ; ENOENT ; bad:2 ; pg-get 1:u32:@sw0 2:str:a%20b ; no such port group in this switch
pg-set of a name with a semicolon: looked up as before ; ENOENT ; bad:2 ; pg-set 1:u32:@sw0 2:str:a%3Bb 3:u16:5 ; no such port group in this switch
LINES
)

GOOD=(A.b_c-9 abcdefghijklmno - . _ 0 Z.9)
ACCEPTED=$(
	for good in "${GOOD[@]}"; do
		printf 'pg-new of "%s" ; 0 ; - ; pg-new 1:u32:@sw0 2:str:%s\n' \
			"$good" "$good"
	done
)

# The tool: each command that takes a name, with a name of BAD (as bytes)
TOOL_BAD=("a b ;c" "a#b" $'a\nb' "caf"$'\xc3\xa9' "abcdefghijklmnop" "")

nlines()
{
	grep -c ';' <<<"$1"
}

ktap_plan $(($(nlines "$REFUSALS") + $(nlines "$ACCEPTED") + \
	5 * ${#TOOL_BAD[@]} + 7))
nsw_kmsg_mark

state()
{
	in_ns "$sw" "$PY" "$NL_RAW" state
}

# run_batch NAME LINES: the requests, one KTAP line each
run_batch()
{
	local file=$NSW_TMP/$1.batch out line

	printf '%s\n' "$2" >"$file"
	out=$(in_ns "$sw" "$PY" "$NL_RAW" batch "$file")
	while IFS= read -r line; do
		case $line in
		"ok "*) ktap_ok "${line#ok }" ;;
		"not ok "*) ktap_fail "${line#not ok }" ;;
		"# "*) ktap_info "${line#\# }" ;;
		*) ktap_info "$line" ;;
		esac
	done <<<"$out"
}

# --- the kernel ------------------------------------------------------------

before=$(state)
run_batch refusals "$REFUSALS"
check_eq "after the refusals, the switch is as it was" "$(state)" "$before"

# --- the tool --------------------------------------------------------------

# tool_refuses DESC KEY NAME ARGS...: `nestsw ARGS` (with NAME in them)
# exits 1 printing exactly the tool's message for KEY and NAME, and the
# switch is as it was
tool_refuses()
{
	local desc=$1 key=$2 name=$3 out rc=0 want; shift 3

	want=$(tool_msg "$key" "$name")
	out=$(nsw "$@" 2>&1) || rc=$?
	if ((rc == 1)) && [[ $out == "$want" && $(state) == "$before" ]]; then
		ktap_ok "$desc"
		return
	fi
	ktap_info "\$ nestsw $* (exit $rc): $out" "want exit 1: $want"
	ktap_fail "$desc"
}

for name in "${TOOL_BAD[@]}"; do
	shown=$(printf %q "$name")
	tool_refuses "pg add name $shown is refused before sending" name "$name" \
		pg add dev sw0 name "$name"
	tool_refuses "pg set name $shown is refused" name "$name" \
		pg set dev sw0 name "$name" vlan 5
	tool_refuses "pg del name $shown is refused" name "$name" \
		pg del dev sw0 name "$name"
	tool_refuses "pg show name $shown is refused" name "$name" \
		pg show dev sw0 name "$name"
	tool_refuses "port set pg $shown is refused" pg "$name" \
		port set dev dm1 pg "$name"
done

# --- setconf ---------------------------------------------------------------

FILE=$NSW_TMP/names.conf
# setconf_refuses: a file with a bad name is refused, naming its line
setconf_refuses()
{
	local out rc=0 want

	in_ns_sh "$sw" "$(printf %q "$NSW_TOOL") showconf sw0 >$FILE" || return
	printf '%s\n' "[PortGroup]" "name = a=b" >>"$FILE"
	want="$FILE:$(wc -l <"$FILE"): $(tool_msg name a=b)"
	out=$(nsw setconf sw0 "$FILE" 2>&1) || rc=$?
	ktap_info "exit $rc: $out"
	[[ $out == "$want" ]] || ktap_info "want: $want"
	((rc == 1)) && [[ $out == "$want" && $(state) == "$before" ]]
}
check "setconf refuses a file naming a group \"a=b\", naming its line" \
	setconf_refuses

# --- names of every allowed character -------------------------------------

run_batch accepted "$ACCEPTED"
check "the tool adds a group named A-z.0_9" nsw pg add dev sw0 name A-z.0_9
check "and moves dm1 into it" nsw port set dev dm1 pg A-z.0_9

# round_trip: showconf, setconf on a fresh sw0, showconf: the same file
round_trip()
{
	in_ns_sh "$sw" "$(printf %q "$NSW_TOOL") showconf sw0 >$FILE.a" &&
	nsw_ip "$sw" "link del sw0" "link add sw0 type nestsw" &&
	nsw setconf sw0 "$FILE.a" &&
	in_ns_sh "$sw" "$(printf %q "$NSW_TOOL") showconf sw0 >$FILE.b" &&
	diff -u "$FILE.a" "$FILE.b"
}
check "those names go through showconf and setconf unchanged" round_trip
in_pg()
{
	nsw port show dev dm1 | grep -q " pg A-z\.0_9 "
}
check "dm1 is in A-z.0_9 again" in_pg

check_kmsg
ktap_finished

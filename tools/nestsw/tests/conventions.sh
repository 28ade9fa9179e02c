#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unit tests of the tool's iproute2 conventions, on the host, with no
# kernel module: abbreviated commands, subcommands and keywords (and the
# ambiguous ones refused), "help" after any keyword, -batch lines that go
# on after a backslash, and JSON strings (tests/print_json prints words
# as -j prints names) that are valid UTF-8 JSON whatever their bytes.
# Every case is decided before the tool would ask the kernel anything: an
# invalid value, a refused word, or help. Output is TAP; run by "make
# check" here and by "make static" above.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
TOOL=$HERE/../nestsw
PRINT=$HERE/print_json
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
cd "$DIR" || exit 1
n=0
failed=0

# result DESC WHY: ok if WHY is empty, else not ok with WHY and the output
result()
{
	n=$((n + 1))
	if [[ -z $2 ]]; then
		echo "ok $n $1"
		return
	fi
	failed=$((failed + 1))
	echo "not ok $n $1"
	echo "# $2"
	echo "# stdout:"; head -c 600 out | sed 's/^/#   /'
	echo "# stderr:"; head -c 600 err | sed 's/^/#   /'
}

# has FILE TEXT: nothing if FILE has TEXT (is empty, for ""), else why
has()
{
	if [[ -z $2 ]]; then
		[[ -s $1 ]] && echo "$1 is not empty. "
	elif ! grep -qF -- "$2" "$1"; then
		echo "$1 lacks \"$2\". "
	fi
}

# t DESC RC OUT ERR ARGS...: nestsw ARGS exits RC, its stdout has the
# text OUT and its stderr ERR (each may be "", then it must be empty)
t()
{
	local desc=$1 want_rc=$2 want_out=$3 want_err=$4 rc=0 why=; shift 4

	"$TOOL" "$@" >out 2>err </dev/null || rc=$?
	if ((rc != want_rc)); then
		why="exit $rc, want $want_rc"
	else
		why=$(has out "$want_out")$(has err "$want_err")
	fi
	result "$desc" "$why"
}

POLICY="Usage: nestsw policy show"
PG="Usage: nestsw pg add dev SW"
BAD=", try \"nestsw pg help\"."

# --- abbreviations ------------------------------------------------------

t "pg a d lo n x v 5000: add, dev, name, vlan abbreviated; vlan checked" \
	1 "" "Invalid vlan \"5000\"" pg a d lo n x v 5000
t "pg sh d lo v 5: sh is show, which takes no vlan" \
	1 "" "Unknown keyword \"v\"$BAD" pg sh d lo v 5
t "p help: a one-letter command is the first listed that it starts (policy)" \
	0 "$POLICY" "" p help
t "f sh help: f is fdb" 0 "Usage: nestsw fdb show" "" f sh help
t "refused: po is ambiguous, both named (policy or port), exit 1" \
	1 "" "Ambiguous command \"po\" (policy or port), try \"nestsw help\"." po
t "refused: sh is ambiguous (show or showconf); show in full is not" \
	1 "" "Ambiguous command \"sh\" (show or showconf)" sh
t "port se d lo g maybe: se is set, g guest-promiscuous" \
	1 "" "Invalid guest-promiscuous \"maybe\"" port se d lo g maybe
t "pg set ... m 0: a one-letter keyword is the first listed (mac-changes)" \
	1 "" "Invalid mac-changes \"0\"" pg set d lo n x m 0
t "pg set ... mac-l 0: mac-l is mac-limit" \
	1 "" "Invalid mac-limit \"0\"" pg set d lo n x mac-l 0
t "refused: pg set ... mac 0: ambiguous keyword (mac-changes or mac-limit)" \
	1 "" "Ambiguous keyword \"mac\" (mac-changes or mac-limit)$BAD" \
	pg set d lo n x mac 0
t "refused: pg set d lo dev lo: dev twice, once abbreviated" \
	1 "" "Duplicate keyword \"dev\"$BAD" pg set d lo dev lo
t "refused: an unknown command, exit 1" 1 "" "Unknown command \"frob\"" frob
t "refused: an unknown pg command" 1 "" "Unknown command \"x\"$BAD" pg x

# --- help after any keyword ---------------------------------------------

t "pg add help: pg's usage on stdout, exit 0" 0 "$PG" "" pg add help
t "port set dev nosuch0 help: usage, the device is not looked up" \
	0 "nestsw port set dev PORT" "" port set dev nosuch0 help
t "pg set d lo n x vlan 5 help: usage after five words" \
	0 "$PG" "" pg set d lo n x vlan 5 help
t "stats dev nosuch0 help" 0 "Usage: nestsw stats" "" stats dev nosuch0 help
t "setconf --dry-run help" 0 "Usage: nestsw setconf" "" setconf --dry-run help
t "help as a value is a value: pg show dev help looks up device help" \
	1 "" "Cannot find device \"help\"" pg show dev help

# --- -batch: a backslash at the end of a line goes on ----------------------

printf 'pg \\\n  add \\\n help\n' >b
t "-batch: 'pg \\' 'add \\' 'help' is one command: pg's usage, exit 0" \
	0 "$PG" "" -batch b
printf '# a comment\npg show \\\n  dev nosuch0\n' >b
t "-batch: an error in a command over lines 2-3 names line 2" \
	1 "" "b:2: Cannot find device \"nosuch0\"" -batch b
t "-batch: ... and 'Command failed b:2'" 1 "" "Command failed b:2" -batch b
printf 'pg x # no more \\\npg frob\n' >b
t "-batch: a backslash in a comment does not go on: pg frob is line 2" \
	1 "" "b:2: Unknown command \"frob\"" -force -batch b
printf 'pg\\\nsh \\\n d lo v 5\n' >b
t "-batch: a backslash right after a word ends it: pg sh d lo v 5" \
	1 "" "b:1: Unknown keyword \"v\"" -batch b
printf 'pg show \\\n' >b
t "refused: -batch: a file that ends in a backslash" \
	1 "" "b:1: Missing continuation line." -batch b

# --- JSON strings -----------------------------------------------------------

# j DESC WANT WORD...: print_json WORD... prints exactly WANT, which
# Python reads as strict UTF-8 and JSON
j()
{
	local desc=$1 want=$2 why=; shift 2

	"$PRINT" "$@" >out 2>err
	if [[ $(<out) != "$want" ]]; then
		why="want $want"
	elif ! /usr/bin/python3 -c 'import json, sys
json.loads(open(sys.argv[1], "rb").read().decode("utf-8", "strict"))' out 2>err; then
		why="not valid UTF-8 JSON"
	fi
	result "$desc" "$why"
}

j "plain names, '\"' and '\\' escaped" '["sw0","a\"b","c\\d"]' \
	sw0 'a"b' 'c\d'
j "control characters as \\u00XX" '["a\u0001b\u001fc\u000a"]' \
	$'a\x01b\x1fc\n'
j "valid UTF-8 (2, 3 and 4 bytes) is kept" '["é€😀"]' 'é€😀'
j "a byte that is not UTF-8 is \\u00XX: \\xff, a lone \\xc3, a stray \\x80" \
	'["a\u00ffb","\u00c3","x\u0080"]' $'a\xffb' $'\xc3' $'x\x80'
j "overlong, surrogate and beyond U+10FFFF forms are \\u00XX a byte" \
	'["\u00c0\u00af","\u00ed\u00a0\u0080","\u00f4\u0090\u0080\u0080"]' \
	$'\xc0\xaf' $'\xed\xa0\x80' $'\xf4\x90\x80\x80'
j "a truncated sequence before valid text: \\u00e2 then 'ok'" \
	'["\u00e2\u0082ok"]' $'\xe2\x82ok'

"$PRINT" -f never printed >out 2>err
result "a command that fails prints nothing on stdout" \
	"$([[ -s out ]] && echo "stdout: $(<out)")"
t "-j pg show dev nosuch0: exit 1, nothing on stdout" \
	1 "" "Cannot find device" -j pg show dev nosuch0

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
((failed == 0))

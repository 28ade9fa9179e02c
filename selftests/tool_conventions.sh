#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The nestsw tool's iproute2 conventions, against the kernel: abbreviated
# commands, subcommands and keywords do what the full words do (and an
# ambiguous one is refused, changing nothing); "help" after any keyword
# prints the usage and changes nothing; a kernel error names the
# attribute by the spec's name; pg show without dev lists every switch's
# port groups; a -batch command may go on over lines ending in a
# backslash, its errors named by its first line; -j output is valid
# UTF-8 JSON whatever the bytes of a name, and nothing on stdout when a
# command fails, the module not loaded included (last: it unloads the
# module, and loads it again).
#
#                          netns sw
#   +-----------------------------------------------------------+
#   |  sw0 (nestsw)                    sw1 (nestsw)             |
#   |    PG lab                          PG far                 |
#   |    vp1 (veth, peer vp1g): in lab   (no port)              |
#   |    "d\x01\xffé" (dummy): a name of a control character,   |
#   |      a byte that is not UTF-8, and UTF-8                  |
#   +-----------------------------------------------------------+

# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

PY=/usr/bin/python3
ODD=$'d\x01\xff\xc3\xa9'

ktap_header
nsw_require ip "$PY"
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 23
nsw_kmsg_mark
declare sw
setup_ns sw || ktap_bail "cannot create namespaces"

setup()
{
	nsw_ip "$sw" "link add sw0 type nestsw" "link add sw1 type nestsw" \
		"link add vp1 type veth peer name vp1g" "link set vp1 master sw0" \
		"link set sw0 up" "link set vp1 up" "link set vp1g up" &&
	in_ns "$sw" ip link add name "$ODD" type dummy &&
	in_ns "$sw" ip link set dev "$ODD" master sw0 &&
	nsw_tool "$sw" pg add dev sw0 name lab &&
	nsw_tool "$sw" pg add dev sw1 name far &&
	nsw_tool "$sw" port set dev vp1 pg lab
}
setup || ktap_bail "cannot build the topology"

# tool NS ARGS...: nestsw ARGS in NS (the test's own if ""); its exit
# status in RC, its stdout in OUT, its stderr in ERR
tool()
{
	local ns=$1 q; shift

	printf -v q '%q ' "$NSW_TOOL" "$@"
	RC=$(in_ns_sh "$ns" "$q >$NSW_TMP/out 2>$NSW_TMP/err; echo \$?")
	OUT=$(<"$NSW_TMP/out")
	ERR=$(<"$NSW_TMP/err")
}

# check_run DESC RC ERR: the last tool exited RC, printed ERR (a part of
# its stderr; "" for none) and, if it failed, nothing on stdout
check_run()
{
	local desc=$1 why=

	if [[ $RC != "$2" ]]; then
		why="exit $RC, want $2"
	elif [[ -n $3 && $ERR != *"$3"* ]]; then
		why="stderr lacks '$3'"
	elif [[ -z $3 && -n $ERR ]]; then
		why="stderr is not empty"
	elif [[ $RC != 0 && -n $OUT ]]; then
		why="a failed command printed on stdout: ${OUT:0:200}"
	fi
	ktap_info "exit $RC, stderr: ${ERR:-(nothing)}"
	[[ -z $why ]] || ktap_info "$why"
	check_eq "$desc" "$why" ""
}

# same DESC ABBREV -- FULL: nestsw ABBREV prints what nestsw FULL does
same()
{
	local desc=$1 abbrev=() want; shift

	while [[ $1 != -- ]]; do
		abbrev+=("$1")
		shift
	done
	shift
	tool "$sw" "$@"
	want=$OUT
	tool "$sw" "${abbrev[@]}"
	ktap_info "nestsw ${abbrev[*]}: ${OUT%%$'\n'*}"
	[[ $RC == 0 && -n $want ]] || ktap_info "exit $RC: $ERR"
	check_eq "$desc" "$RC $OUT" "0 $want"
}

# pyj EXPR: the Python EXPR of j, the last tool's stdout read as strict
# UTF-8 JSON
pyj()
{
	printf %s "$OUT" | "$PY" -c 'import json, sys
j = json.loads(sys.stdin.buffer.read().decode("utf-8", "strict"))
print(eval(sys.argv[1]))' "$1"
}

# --- abbreviations --------------------------------------------------------

same "pg sh d sw0 is pg show dev sw0" pg sh d sw0 -- pg show dev sw0
same "p s d sw0 is policy show dev sw0 (p: the first command listed)" \
	p s d sw0 -- policy show dev sw0
same "f sh d vp1 is fdb show dev vp1" f sh d vp1 -- fdb show dev vp1
before=$(nsw_tool "$sw" -j -s show)
tool "$sw" po s d sw0
check_run "refused: po is ambiguous, exit 1, policy and port named" 1 \
	'Ambiguous command "po" (policy or port)'
tool "$sw" pg set d sw0 n lab mac 5
check_run "refused: pg set ... mac 5: ambiguous keyword (mac-changes or mac-limit)" \
	1 'Ambiguous keyword "mac" (mac-changes or mac-limit)'
check_eq "... and the refused lines changed nothing" \
	"$(nsw_tool "$sw" -j -s show)" "$before"
tool "$sw" pg se d sw0 n lab mac-l 100 l on
check_run "pg se d sw0 n lab mac-l 100 l on: applied" 0 ""
tool "$sw" -j pg show dev sw0 name lab
check_eq "... lab has mac-limit 100 and learning on (l: learning, listed before limit-policy)" \
	"$(pyj '(j[0]["policy"]["mac-limit"], j[0]["policy"]["learning"])')" \
	"(100, True)"

# --- help after any keyword ------------------------------------------------

tool "$sw" port set dev vp1 pg default help
check_run "port set dev vp1 pg default help: exit 0, no error" 0 ""
usage=${OUT%%$'\n'*}
tool "$sw" -j port show dev vp1
check_eq "... the usage on stdout, and vp1 is still in lab" \
	"$usage $(pyj 'j[0]["pg"]')" "Usage: nestsw port show [dev PORT] lab"

# --- kernel errors name the attribute ---------------------------------------

tool "$sw" pg add dev vp1 name x
check_run "pg add dev vp1 (not a switch): the error names (attribute switch-ifindex)" \
	2 "(attribute switch-ifindex)."
tool "$sw" port set dev vp1 effective-mac 02:00:00:00:0e:01
check_run "port set dev vp1 effective-mac (a veth's follows its peer): (attribute effective-mac)" \
	2 "(attribute effective-mac)."
tool "$sw" pg del dev sw0 name default
check_run "pg del name default: (attribute name)" 2 "(attribute name)."

# --- pg show without dev ----------------------------------------------------

tool "$sw" -j pg show
check_eq "-j pg show without dev: the port groups of sw0 and sw1, each naming its switch" \
	"$(pyj '" ".join(sorted(g["switch"] + ":" + g["name"] for g in j))')" \
	"sw0:default sw0:lab sw1:default sw1:far"
tool "$sw" pg show
check_eq "pg show without dev: a text line each, naming its switch" \
	"$(cut -d' ' -f1-4 <<<"$OUT" | sort | tr '\n' ,)" \
	"pg default switch sw0,pg default switch sw1,pg far switch sw1,pg lab switch sw0,"

# --- -batch: a command over several lines -------------------------------------

F=$NSW_TMP/cont.batch
B=$'\\'	# a backslash
printf '%s\n' "pg add dev sw1 $B" "   name cont $B" "   vlan 30" \
	"# no more $B" "pg set dev sw1 $B" "  name nosuch vlan 5" >"$F"
tool "$sw" -batch "$F"
check_run "-batch: a command over lines 1-3 applied; one refused over lines 5-6 names line 5" \
	2 "$F:5: Error: nestsw: "
failed=$(grep -c "^Command failed $F:5\$" <<<"$ERR")
tool "$sw" -j pg show dev sw1 name cont
check_eq "... 'Command failed FILE:5', and cont is in vlan 30" \
	"$failed $(pyj 'j[0]["vlan"]')" "1 30"

# --- JSON: valid whatever the bytes; nothing on stdout on failure --------------

tool "$sw" -j port show
check_eq "-j port show: strict UTF-8 JSON; the name d\\x01\\xffé reads \\u0001, \\u00ff, é" \
	"$(pyj 'sum(p["ifname"] == "d\x01\xff\xe9" for p in j)')" "1"
tool "$sw" -j -s show
shown=$(pyj 'len(j[0]["ports"])')
tool "$sw" -j stats
check_eq "-j -s show and -j stats with that port: strict UTF-8 JSON, 2 ports each" \
	"$shown $(pyj 'len(j)')" "2 2"
tool "$sw" -j pg show dev sw0 name nosuch
check_run "-j pg show of no such port group: exit 2, nothing on stdout" 2 \
	"Error: nestsw: "

cleanup_ns "$sw"
if nsw_unload 30000; then
	tool "" -j fdb show
	check_run "without the module, -j fdb show: exit 2, nothing on stdout" 2 \
		"kernel module not loaded"
	tool "" -j pg show
	check_run "without the module, -j pg show: exit 2, nothing on stdout" 2 \
		"kernel module not loaded"
else
	ktap_fail "without the module, -j fdb show: cannot unload it"
	ktap_fail "without the module, -j pg show: cannot unload it"
fi
nsw_load || ktap_info "cannot load nestsw again"

check_kmsg
ktap_finished

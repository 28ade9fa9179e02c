#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nestsw -batch FILE and -force, as ip -batch and ip -force. A batch file
# applies every line (quoted words, comments and blank lines as
# iproute2's makeargs takes them); a line the kernel refuses (exit 2) or
# the tool refuses (exit 1) stops the batch there, its errors named
# "FILE:LINE:" and followed by "Command failed FILE:LINE", and the lines
# after it are not applied; with -force they are, and the exit status is
# still that of the first failed line. -batch - reads stdin; -n NETNS
# applies every line in NETNS; -j prints one JSON document per show line;
# a line that starts with an option, a missing file and -f are refused.
# Last, batches of 100 pg add and 200 pg set lines, each run in one
# process, as selftests/stress_lifecycle.sh would use them.
#
#                          netns sw
#   +---------------------------------------------------------+
#   |  sw0 (nestsw): PGs added, set and deleted by batches    |
#   |    vp1 (veth, peer vp1g here): guest, moved between PGs |
#   |    dm1 (dummy): guest in default                        |
#   +---------------------------------------------------------+
#   the test's own netns: no switch (-n NETNS reaches sw0)

# Functions named in a check are called through it:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

ktap_header
nsw_require ip jq
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 39
nsw_kmsg_mark
declare sw
setup_ns sw || ktap_bail "cannot create namespaces"

nsw_ip "$sw" "link add sw0 type nestsw" \
	"link add vp1 type veth peer name vp1g" "link add dm1 type dummy" \
	"link set vp1 master sw0" "link set dm1 master sw0" \
	"link set sw0 up" "link set vp1 up" "link set vp1g up" ||
	ktap_bail "cannot build the topology"

# batch_file NAME LINE...: a batch file $NSW_TMP/NAME.batch of the LINEs;
# its name goes to F
batch_file()
{
	F=$NSW_TMP/$1.batch
	shift
	printf '%s\n' "$@" >"$F"
}

# tool NS STDIN ARGS...: nestsw ARGS in NS (the test's own if ""), stdin
# from the file STDIN; its exit status in RC, its stdout in OUT, its
# stderr in ERR
tool()
{
	local ns=$1 in=$2 q; shift 2

	printf -v q '%q ' "$NSW_TOOL" "$@"
	RC=$(in_ns_sh "$ns" "$q <$in >$NSW_TMP/out 2>$NSW_TMP/err; echo \$?")
	OUT=$(<"$NSW_TMP/out")
	ERR=$(<"$NSW_TMP/err")
}

# jq_sw FILTER ARGS...: jq -e FILTER on `nestsw -j ARGS` in sw
jq_sw()
{
	local filter=$1 out; shift

	out=$(nsw_tool "$sw" -j "$@") && jq -e "$filter" <<<"$out" >/dev/null
}

# pgs: the names of sw0's port groups, sorted, on one line
pgs()
{
	nsw_tool "$sw" -j pg show dev sw0 | jq -r '[.[].name] | sort | join(" ")'
}

# applied: what apply.batch's port set and policy set lines set is set
applied()
{
	jq_sw '.[0].pg == "lab"' port show dev vp1 &&
	jq_sw '.[0].policy["forged-transmits"] == "accept"' policy show dev sw0
}

# pretty3: the last tool's stdout is three JSON documents, indented
pretty3()
{
	jq -se 'length == 3' <<<"$OUT" >/dev/null && [[ $OUT == *$'\n    {'* ]]
}

# check_rc DESC WANT: the last tool's exit status is WANT
check_rc()
{
	[[ $RC == "$2" ]] || ktap_info "stderr: ${ERR:-(nothing)}"
	check_eq "$1" "exit $RC" "exit $2"
}

# check_err DESC TEXT...: the last tool's stderr has each TEXT
check_err()
{
	local desc=$1 t; shift

	for t; do
		if [[ $ERR != *"$t"* ]]; then
			ktap_info "stderr lacks '$t':" "${ERR:-(nothing)}"
			ktap_fail "$desc"
			return 1
		fi
	done
	ktap_info "$ERR"
	ktap_ok "$desc"
}

# --- a batch applies every line ---------------------------------------------

batch_file apply "# the lab's port groups" \
	"" \
	"pg add dev sw0 name \"lab\" vlan 10 mac-changes accept   # quoted name" \
	"	pg add   dev sw0 name 'web'	vlan trunk" \
	"# pg add dev sw0 name ghost" \
	"port set dev vp1 pg lab" \
	"policy set dev sw0 forged-transmits accept"
tool "$sw" /dev/null -batch "$F"
check_rc "a batch of pg add, port set and policy set lines exits 0" 0
check_eq "... and prints nothing, on stdout or stderr" "$OUT$ERR" ""
check "quoted names, tabs and trailing comments: port groups lab (vlan 10, mac-changes accept) and web (trunk)" \
	jq_sw 'map({(.name): [.vlan, .policy["mac-changes"]]}) | add |
	       .lab == [10, "accept"] and .web == [4095, null]' pg show dev sw0
check_eq "a commented-out line is not run: no port group ghost" \
	"$(pgs)" "default lab web"
check "the port set and policy set lines were applied: vp1 in lab, forged-transmits accept" \
	applied

# --- a failing line stops the batch, unless -force --------------------------

# A kernel refusal (a port group that exists) in the middle, then a line
# that would have worked.
batch_file kernel "pg add dev sw0 name k1" "pg add dev sw0 name lab" \
	"pg add dev sw0 name k3"
tool "$sw" /dev/null -batch "$F"
check_rc "a line the kernel refuses (pg add of an existing name) stops the batch with exit 2" 2
check_err "stderr names the line: 'FILE:2: Error: nestsw: ...' and 'Command failed FILE:2'" \
	"$F:2: Error: nestsw: " "Command failed $F:2"
check_eq "the line before it was applied, the line after it was not (k1, no k3)" \
	"$(pgs)" "default k1 lab web"

# A bad command line (the tool refuses it, nothing is sent) in the middle.
batch_file usage "pg add dev sw0 name u1" \
	"pg add dev sw0 name u2 mac-limit 0" "pg add dev sw0 name u3"
tool "$sw" /dev/null -batch "$F"
check_rc "a bad command line (mac-limit 0) stops the batch with exit 1" 1
check_err "stderr names the line: 'FILE:2: Invalid mac-limit' and 'Command failed FILE:2'" \
	"$F:2: Invalid mac-limit \"0\"" "Command failed $F:2"
check_eq "u1 was added, u2 and u3 were not" "$(pgs)" "default k1 lab u1 web"

batch_file missing_dev "port set dev nosuch0 pg lab" "pg add dev sw0 name n2"
tool "$sw" /dev/null -batch "$F"
check_rc "a device that does not exist on line 1 stops the batch with exit 1" 1
check_err "stderr: 'FILE:1: Cannot find device \"nosuch0\"', 'Command failed FILE:1'" \
	"$F:1: Cannot find device \"nosuch0\"" "Command failed $F:1"

batch_file force "pg add dev sw0 name f1" "pg add dev sw0 name f2 mac-limit 0" \
	"pg add dev sw0 name f3" "pg add dev vp1 name f4" "pg add dev sw0 name f5"
tool "$sw" /dev/null -force -batch "$F"
check_rc "with -force, a batch with a bad line 2 and a refused line 4 exits 1, line 2's status" 1
check_err "with -force, both failed lines are named: 'Command failed FILE:2' and 'FILE:4'" \
	"$F:2: Invalid mac-limit" "Command failed $F:2" \
	"$F:4: Error: nestsw: " "Command failed $F:4"
check_eq "with -force, the lines after a failed one were applied: f1, f3, f5" \
	"$(pgs)" "default f1 f3 f5 k1 lab u1 web"
tool "$sw" /dev/null --force -batch "$NSW_TMP/kernel.batch"
check_rc "--force: a batch whose only failed line the kernel refused exits 2" 2
check_eq "... and its line 3 was applied: k3" "$(pgs)" "default f1 f3 f5 k1 k3 lab u1 web"

# stdout and stderr into one file: each line's output and errors in order.
batch_file order "pg show dev sw0 name lab" "pg show dev sw0 name nosuch" \
	"pg show dev sw0 name web"
in_ns_sh "$sw" "$(printf %q "$NSW_TOOL") -force -batch $F >$NSW_TMP/both 2>&1"
check_eq "-force with stdout and stderr into one file: lab's line, line 2's errors, web's line, in order" \
	"$(sed "s|$F|F|g" "$NSW_TMP/both" | cut -c1-30)" \
	"$(printf '%s\n' "pg lab vlan 10 ports 1 promisc" \
		"F:2: Error: nestsw: no such po" "Command failed F:2" \
		"pg web vlan trunk ports 0 prom")"

# --- stdin, -n NETNS ----------------------------------------------------------

batch_file stdin "pg add dev sw0 name s1" "pg add dev sw0 name s1"
tool "$sw" "$F" -batch -
check_rc "-batch - reads stdin: line 2 adds s1 again, refused, exit 2" 2
check_err "errors of a batch read from stdin are named '-:2:'" \
	"-:2: Error: nestsw: " "Command failed -:2"
check "line 1 from stdin was applied: s1" jq_sw 'map(.name) | index("s1")' \
	pg show dev sw0

batch_file netns "pg add dev sw0 name ns1" "pg set dev sw0 name ns1 vlan 20"
tool "" /dev/null -batch "$F"
check_rc "without -n, the test's netns has no sw0: the batch fails with exit 1" 1
check_err "... 'Cannot find device \"sw0\"' on line 1" \
	"$F:1: Cannot find device \"sw0\"" "Command failed $F:1"
tool "" /dev/null -n "$sw" -batch "$F"
check_rc "-n NETNS -batch FILE from another netns exits 0" 0
check "... and applied both lines in NETNS: ns1 in vlan 20" \
	jq_sw '.[0].vlan == 20' pg show dev sw0 name ns1

# --- JSON: one document per show line -----------------------------------------

batch_file json "pg show dev sw0 name lab" "policy set dev sw0 ageing 400" \
	"port show dev vp1" "show dev sw0"
tool "$sw" /dev/null -j -s -batch "$F"
check_rc "-j -s -batch: three show lines and a set line exit 0" 0
# shellcheck disable=SC2016 # jq
check "-j -s -batch prints three JSON documents: lab; vp1 with drops (-s applies); sw0 with ageing 400" \
	jq -se 'length == 3 and .[0][0].name == "lab" and
		(.[1][0] | .ifname == "vp1" and has("drops")) and
		.[2][0].policy.ageing == 400' <<<"$OUT"
tool "$sw" /dev/null -p -batch "$F"
check "-p -batch: the same three documents, indented" pretty3
tool "$sw" /dev/null -j -force -batch "$NSW_TMP/order.batch"
check "-j -force: with a refused show line in the middle, stdout is still whole JSON documents, lab's and web's" \
	jq -se 'map(.[].name) == ["lab", "web"]' <<<"$OUT"

# --- refused: options in the file, a missing file, -f ------------------------

batch_file option "pg add dev sw0 name o1" "-j show" "pg add dev sw0 name o3"
tool "$sw" /dev/null -force -batch "$F"
check_err "a line that starts with an option is refused, named: 'FILE:2: Option \"-j\"'" \
	"$F:2: Option \"-j\" in a batch file" "Command failed $F:2"
batch_file nested "-batch $NSW_TMP/apply.batch"
tool "$sw" /dev/null -batch "$F"
check_err "a line '-batch FILE' is refused, named: 'FILE:1: Option \"-batch\"'" \
	"$F:1: Option \"-batch\"" "Command failed $F:1"
tool "$sw" /dev/null -batch "$NSW_TMP/nosuch.batch"
check_rc "a batch file that does not exist: exit 1" 1
check_err "... 'Cannot open batch file' naming it" \
	"Cannot open batch file \"$NSW_TMP/nosuch.batch\""
tool "$sw" /dev/null -f -batch "$NSW_TMP/apply.batch"
check_rc "-f is not -force (ip -f is -family): exit 1" 1

# --- many lines, one process ------------------------------------------------

lines=()
for ((i = 1; i <= 100; i++)); do
	lines+=("pg add dev sw0 name m$i vlan $i")
done
batch_file add100 "${lines[@]}"
__now
start=$NSW_NOW
tool "$sw" /dev/null -batch "$F"
__now
ktap_info "100 pg add lines in $(((NSW_NOW - start) / 1000)) ms"
check_rc "a batch of 100 pg add lines exits 0" 0
lines=()
for ((i = 1; i <= 100; i++)); do
	lines+=("pg set dev sw0 name m$i mac-limit $((1000 + i))"
		"pg set dev sw0 name m$i ageing $((2000 + i))")
done
batch_file set200 "${lines[@]}"
__now
start=$NSW_NOW
tool "$sw" /dev/null -batch "$F"
__now
ktap_info "200 pg set lines in $(((NSW_NOW - start) / 1000)) ms"
check_rc "a batch of 200 pg set lines exits 0" 0
# shellcheck disable=SC2016 # jq
check "every one of the 300 lines was applied: m1..m100, vlan N, mac-limit 1000+N, ageing 2000+N" \
	jq_sw '[.[] | select(.name | startswith("m")) |
		(.name[1:] | tonumber) as $n |
		select(.vlan == $n and .policy["mac-limit"] == 1000 + $n and
		       .policy.ageing == 2000 + $n)] | length == 100' \
	pg show dev sw0

check_kmsg
ktap_finished

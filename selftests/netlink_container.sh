#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A rootless container's root configures its own switch. In a user
# namespace made by an unprivileged user (nobody maps itself to root:
# `unshare --user --map-root-user --net`), with the network namespace it
# owns, the container's root creates sw0, enslaves a veth, and every
# change of the nestsw family works: the tool's pg add, port set, policy
# set and fdb flush, and each change command built by nl_raw.py
# (GENL_UNS_ADMIN_PERM, as WireGuard: CAP_NET_ADMIN over the user
# namespace that owns the netns). Root of a user namespace that does not
# own the container's netns -- one nested in the container, or a sibling
# made by the host's root that joined the container's netns -- is refused
# every change with EPERM and changes nothing. Each netns's dumps show its
# own switch and nothing of the other's. (Root of a user namespace over a
# netns of the initial user namespace: netlink_policy.sh.)
#
#        netns host                       container ct (nobody's user ns
#                                                  and its network ns)
#   +-----------------------+        +-------------------------------------+
#   | swh (nestsw)          |        | sw0 (nestsw)                        |
#   |  port vh1 (veth,      |        |  PGs: default, lab (vlan 10), new1  |
#   |   peer vh1g here)     |        |  ports: vc1 (veth, peer vc1g here)  |
#   +-----------------------+        |         dc1 (dummy)                 |
#                                    +-------------------------------------+
#
# The requests are built by selftests/nl_raw.py, as in netlink_policy.sh.

# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

PY=/usr/bin/python3
NL_RAW=$NSW_SELFTESTS/nl_raw.py
FRESH=02:00:00:00:0e:01		# static entries the requests add
FRESH2=02:00:00:00:0e:02
FRESH3=02:00:00:00:0e:03

ktap_header
nsw_require ip setpriv unshare nsenter "$PY"
nsw_load || ktap_bail "cannot load nestsw"
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
declare host ct
setup_ns host || ktap_bail "cannot create namespaces"
setup_userns ct || ktap_bail "cannot make a user namespace as nobody"

# The container's root is nobody outside: a tree in a home directory of
# mode 0700 (a clone in /root) is closed to it. It runs copies.
stage_copies()
{
	local dir

	dir=$(mktemp -d /tmp/nestsw-ct.XXXXXX) && defer rm -rf "$dir" &&
	chmod 755 "$dir" && cp "$NSW_TOOL" "$NL_RAW" "$dir/" || return
	NSW_TOOL=$dir/${NSW_TOOL##*/} NL_RAW=$dir/${NL_RAW##*/}
}
stage_copies || ktap_bail "cannot copy the tool and nl_raw.py for nobody"

# As the container's root: every change command once, each of which works.
ROOT=$(cat <<EOF
the container's root: pg-new works ; 0 ; - ; pg-new 1:u32:@sw0 2:str:new1
the container's root: pg-set works ; 0 ; - ; pg-set 1:u32:@sw0 2:str:new1 3:u16:20
the container's root: pg-new of a second group works ; 0 ; - ; pg-new 1:u32:@sw0 2:str:new2
the container's root: pg-del works ; 0 ; - ; pg-del 1:u32:@sw0 2:str:new2
the container's root: fdb-new works ; 0 ; - ; fdb-new 2:u32:@dc1 3:mac:$FRESH
the container's root: fdb-new of a second entry works ; 0 ; - ; fdb-new 2:u32:@dc1 3:mac:$FRESH2
the container's root: fdb-del works ; 0 ; - ; fdb-del 2:u32:@dc1 3:mac:$FRESH2
the container's root: fdb-flush works ; 0 ; - ; fdb-flush 1:u32:@sw0
the container's root: switch-set works ; 0 ; - ; switch-set 1:u32:@sw0 3:nest:[1:u32:1]
the container's root: port-set works ; 0 ; - ; port-set 1:u32:@dc1 3:u32:1
EOF
)

# The same kinds of change, each of which would change something, from
# a user namespace that does not own the container's netns.
OTHER=$(cat <<EOF
WHO: port-set is refused ; EPERM ; nomsg ; port-set 1:u32:@dc1 3:u32:0
WHO: switch-set is refused ; EPERM ; nomsg ; switch-set 1:u32:@sw0 3:nest:[1:u32:0]
WHO: pg-new is refused ; EPERM ; nomsg ; pg-new 1:u32:@sw0 2:str:new3
WHO: pg-set is refused ; EPERM ; nomsg ; pg-set 1:u32:@sw0 2:str:new1 3:u16:30
WHO: pg-del is refused ; EPERM ; nomsg ; pg-del 1:u32:@sw0 2:str:new1
WHO: fdb-new is refused ; EPERM ; nomsg ; fdb-new 2:u32:@dc1 3:mac:$FRESH3
WHO: fdb-del is refused ; EPERM ; nomsg ; fdb-del 2:u32:@dc1 3:mac:$FRESH
WHO: fdb-flush is refused ; EPERM ; nomsg ; fdb-flush 1:u32:@sw0
EOF
)
NESTED=${OTHER//WHO:/root of a user namespace nested in the container:}
SIBLING=${OTHER//WHO:/root of a sibling user namespace in the container\'s netns:}

nlines()
{
	grep -c ';' <<<"$1"
}

ktap_plan $((7 + $(nlines "$ROOT") + 2 * $(nlines "$OTHER") + 4 + 2 + 4 + 1))
nsw_kmsg_mark

# run_batch NAME LINES NS [PREFIX...]: the requests in NS, one KTAP line
# each (the client runs under PREFIX; NS "" is the test's own). The
# batch goes through stdin: nobody cannot read the test's files.
run_batch()
{
	local name=$1 reqs=$2 ns=$3 out line n=0 want cmd; shift 3

	want=$(nlines "$reqs")
	printf -v cmd '%q ' "$@" "$PY" "$NL_RAW" batch /dev/stdin
	out=$(in_ns_sh "$ns" "$cmd <<<$(printf %q "$reqs")")
	while IFS= read -r line; do
		case $line in
		"ok "*) n=$((n + 1)); ktap_ok "${line#ok }" ;;
		"not ok "*) n=$((n + 1)); ktap_fail "${line#not ok }" ;;
		"# "*) ktap_info "${line#\# }" ;;
		*) ktap_info "$line" ;;
		esac
	done <<<"$out"
	((n == want)) || ktap_info "$name: $n answers to $want requests"
	while ((n++ < want)); do
		ktap_fail "$name: request without an answer"
	done
}

# state: every switch, group, port and FDB entry the container's root sees
state()
{
	in_ns "$ct" "$PY" "$NL_RAW" state
}

check_state()
{
	local desc=$1 before=$2 after

	after=$(state)
	if [[ -n $before && $after == "$before" ]]; then
		ktap_ok "$desc"
		return 0
	fi
	ktap_info "before:" "$before" "after:" "$after"
	ktap_fail "$desc"
}

# check_eperm DESC CMD...: CMD fails, saying the operation is not permitted
check_eperm()
{
	local desc=$1 out; shift

	if out=$("$@" 2>&1); then
		__cmd_failed 0 "$out" "$@"
		ktap_info "this should have been refused"
		ktap_fail "$desc"
		return 1
	fi
	ktap_info "$(__cmd_str "$@"): $out"
	if [[ $out != *"Operation not permitted"* ]]; then
		ktap_info "the error should be EPERM"
		ktap_fail "$desc"
		return 1
	fi
	ktap_ok "$desc"
}

uid_map=$(in_ns "$ct" cat /proc/self/uid_map)
read -ra uid_map <<<"$uid_map"
check_eq "the container is nobody's user namespace: its root is uid 65534 outside" \
	"${uid_map[*]}" "0 65534 1"

nsw_ip "$host" "link add swh type nestsw" \
	"link add vh1 type veth peer name vh1g" "link set vh1 master swh" ||
	ktap_bail "cannot build the host's switch"
# ct_ip LINE...: `ip` commands as the container's root, the batch through
# stdin (nsw_ip's batch file is the test's, which nobody cannot read)
# shellcheck disable=SC2317 # called through check
ct_ip()
{
	local batch

	printf -v batch '%s\n' "$@"
	in_ns_sh "$ct" "ip -batch - <<<$(printf %q "$batch")"
}
check "the container's root creates sw0 and enslaves veth vc1 and dummy dc1" \
	ct_ip "link add sw0 type nestsw" \
	"link add vc1 type veth peer name vc1g" "link add dc1 type dummy" \
	"link set vc1 master sw0" "link set dc1 master sw0"

check "the container's root adds port group lab: nestsw pg add" \
	nsw_tool "$ct" pg add dev sw0 name lab vlan 10
check "the container's root puts vc1 in lab: nestsw port set" \
	nsw_tool "$ct" port set dev vc1 pg lab
check "the container's root accepts forged transmits: nestsw policy set" \
	nsw_tool "$ct" policy set dev sw0 forged-transmits accept
check "the container's root flushes the FDB: nestsw fdb flush" \
	nsw_tool "$ct" fdb flush dev sw0

# shellcheck disable=SC2317 # called through check
applied()
{
	nsw_tool "$ct" port show dev vc1 | grep -q ' pg lab ' &&
	nsw_tool "$ct" policy show dev sw0 | grep -q 'forged-transmits accept'
}
check "vc1 is in lab and sw0 accepts forged transmits" applied

run_batch root "$ROOT" "$ct"

before=$(state)
ktap_info "the container's switch:" "$before"
run_batch nested "$NESTED" "$ct" unshare --user --map-root-user --
check_state "after the refusals in the nested user namespace, nothing changed" \
	"$before"

for cmd in "pg add dev sw0 name userns" "port set dev vc1 pg default" \
	"policy set dev sw0 forged-transmits reject" "fdb flush dev sw0"; do
	# shellcheck disable=SC2086 # the command's words
	check_eperm "nestsw $cmd is refused in the nested user namespace" \
		in_ns "$ct" unshare --user --map-root-user -- "$NSW_TOOL" $cmd
done

run_batch sibling "$SIBLING" "" \
	nsenter --net="/proc/${NSW_NSH_PID[$ct]}/ns/net" -- \
	unshare --user --map-root-user --
check_state "after the refusals in the sibling user namespace, nothing changed" \
	"$before"

ct_show=$(nsw_tool "$ct" -j show; nsw_tool "$ct" -j port show)
host_show=$(nsw_tool "$host" -j show; nsw_tool "$host" -j port show)
ktap_info "in the container: $ct_show" "in netns host: $host_show"
check "the container's dumps list its switch sw0 and ports vc1, dc1" \
	grep -qzE '"sw0".*"vc1".*"dc1"|"sw0".*"dc1".*"vc1"' <<<"$ct_show"
check_fails "the container's dumps list nothing of netns host's swh and vh1" \
	grep -qE '"(swh|vh1)"' <<<"$ct_show"
check "netns host's dumps list its switch swh and port vh1" \
	grep -qzE '"swh".*"vh1"' <<<"$host_show"
check_fails "netns host's dumps list nothing of the container's sw0, vc1, dc1" \
	grep -qE '"(sw0|vc1|dc1)"' <<<"$host_show"

check_kmsg
ktap_finished

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A seeded fuzzer (selftests/nl_fuzz.c, built as build/nl_fuzz) sends
# NSW_FUZZ_COUNT generated requests (default: 30000 on the debug kernel,
# about 80 s of CI there, 20000 on the others, about 10 s) to the nestsw
# generic netlink family: well-formed ones on the real switches, ports,
# port groups and FDB, mixed with requests malformed in one way each
# (random commands, a required attribute missing, values out of range,
# attributes short, oversized, truncated or unknown, garbage in the policy
# nest, multicast MACs, the wrong kind of device, devices that vanished,
# reserved header bits). Every malformed request is refused, every refusal
# carries an extack message (but the genetlink core's refusal of a command
# the family lacks), and the state (every switch, port group, port and FDB
# entry, counters left out) is the same before and after each batch of
# refused requests. The seed is printed; NSW_FUZZ_SEED=N replays a run.
#
#                           netns sw
#   +--------------------------------------------------------------+
#   |  sw0 (nestsw)                               sw1 (nestsw)      |
#   |   PGs: default, lab (vlan 10), spare          PG: other       |
#   |   ports: vp1 (veth, peer vp1g here)                           |
#   |          dm1 (dummy, MACs set by the admin)                   |
#   |  dm2 (dummy, no port)                                         |
#   |  fzsw (nestsw) with port fzdm (dummy): created, used and       |
#   |        deleted by the fuzzer every 25 rounds                  |
#   +--------------------------------------------------------------+

# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

FUZZ=$NSW_TOP/build/nl_fuzz
if [[ ${NESTSW_KVER:-} == debug ]]; then
	COUNT=${NSW_FUZZ_COUNT:-30000}
else
	COUNT=${NSW_FUZZ_COUNT:-20000}
fi
SEED=${NSW_FUZZ_SEED:-$SRANDOM}

ktap_header
nsw_require ip
[[ -x $FUZZ ]] || ktap_skip_all "$FUZZ not built (make build/nl_fuzz)"
[[ -x $NSW_TOOL ]] || ktap_skip_all "$NSW_TOOL not built"
nsw_load || ktap_bail "cannot load nestsw"
ktap_plan 7
nsw_kmsg_mark
declare sw
setup_ns sw || ktap_bail "cannot create namespaces"

setup()
{
	nsw_ip "$sw" "link add sw0 type nestsw" "link add sw1 type nestsw" \
		"link add vp1 type veth peer name vp1g" \
		"link add dm1 type dummy" "link add dm2 type dummy" \
		"link set vp1 master sw0" "link set dm1 master sw0" &&
	nsw_tool "$sw" pg add dev sw0 name lab vlan 10 &&
	nsw_tool "$sw" pg add dev sw0 name spare &&
	nsw_tool "$sw" pg add dev sw1 name other &&
	nsw_tool "$sw" port set dev dm1 pg lab initial-mac 02:00:00:00:0d:01 \
		effective-mac 02:00:00:00:0d:01
}
setup || ktap_bail "cannot build the topology"

ktap_info "seed $SEED, $COUNT requests (replay: NSW_FUZZ_SEED=$SEED NSW_FUZZ_COUNT=$COUNT)"
out=$(in_ns "$sw" "$FUZZ" "$SEED" "$COUNT")
rc=$?
ktap_info "$out"

# result KEY: the number after KEY on the fuzzer's last line
result()
{
	local line

	line=$(grep '^nl_fuzz: sent ' <<<"$out")
	[[ " $line " =~ \ $1\ ([0-9]+)\  ]] && echo "${BASH_REMATCH[1]}"
}

sent=$(result sent)
check_eq "the fuzzer sent all $COUNT requests (seed $SEED, exit $rc)" \
	"$sent" "$COUNT"
check_eq "every malformed request was refused" "$(result bad_accepted)" 0
check_eq "every refusal carried an extack message" "$(result no_extack)" 0
check_eq "no batch of refused requests changed a switch, port group, port or FDB entry" \
	"$(result state_diffs)" 0
valid=$(result valid)
valid_ok=$(result valid_ok)
check "well-formed requests were sent and most succeeded ($valid_ok of $valid)" \
	eval "((valid > 0 && valid_ok * 2 > valid))"
check "switches and ports came and went under the fuzzer ($(result device_lives) times)" \
	eval "(($(result device_lives) > 0))"
check_kmsg
ktap_finished

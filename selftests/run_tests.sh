#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run nestsw selftests the way kselftest's runner does: a top-level KTAP
# report ("TAP version 13", "1..N"), each test's own KTAP output nested as
# "# " lines, one "ok N selftests: nestsw: NAME" / "not ok ... # exit=RC" /
# "... # SKIP" / "... # TIMEOUT S seconds" line per test, and a last line
# "N passed, N failed" (", N skipped" when some were). Exits 1 if any test
# failed. Runs as root, normally in the VM:
#
#   selftests/vm/run.sh -k 6.1.0-56-amd64 -- selftests/run_tests.sh
#
# Usage: selftests/run_tests.sh [-o SECONDS] [TEST...]
#   TEST        a test's name (forwarding, forwarding.sh) or path; default:
#               every selftests/*.sh but lib.sh and run_tests.sh
#   -o SECONDS  each test's timeout, instead of "timeout=" in
#               selftests/settings

HERE=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
TIMEOUT=45	# kselftest's default, when settings has none

usage()
{
	sed -n '13,17s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
	exit 2
}

read_settings()
{
	local line

	[[ -r $HERE/settings ]] || return 0
	while IFS= read -r line; do
		[[ $line =~ ^timeout=([0-9]+) ]] && TIMEOUT=${BASH_REMATCH[1]}
	done <"$HERE/settings"
}

# resolve TEST: print its path
resolve()
{
	local t=$1

	[[ -f $t ]] && { readlink -f "$t"; return; }
	[[ $t == *.sh ]] || t+=.sh
	[[ -f $HERE/$t ]] && { echo "$HERE/$t"; return; }
	echo "$HERE/$t"		# reported missing below
}

default_tests()
{
	local t

	for t in "$HERE"/*.sh; do
		case ${t##*/} in
		lib.sh | run_tests.sh) ;;
		*) echo "$t" ;;
		esac
	done
}

prefix()
{
	local line

	while IFS= read -r line; do
		printf '# %s\n' "$line"
	done
}

main()
{
	local override='' tests=() t name num=0 pass=0 fail=0 skip=0 rc start
	local summary

	while getopts "o:h" opt; do
		case $opt in
		o) override=$OPTARG ;;
		*) usage ;;
		esac
	done
	shift $((OPTIND - 1))
	read_settings
	[[ -z $override ]] || TIMEOUT=$override
	[[ $TIMEOUT =~ ^[0-9]+$ ]] || usage

	if (($#)); then
		for t in "$@"; do
			tests+=("$(resolve "$t")")
		done
	else
		mapfile -t tests <<<"$(default_tests)"
		[[ -n ${tests[0]} ]] || tests=()
	fi

	echo "TAP version 13"
	echo "1..${#tests[@]}"
	for t in "${tests[@]}"; do
		num=$((num + 1))
		name=${t##*/}
		echo "# selftests: nestsw: $name"
		if [[ ! -f $t ]]; then
			echo "# Warning: file $t is missing!"
			echo "not ok $num selftests: nestsw: $name"
			fail=$((fail + 1))
			continue
		fi
		echo "# timeout set to $TIMEOUT"
		start=$SECONDS
		timeout -k 10 "$TIMEOUT" bash "$t" </dev/null 2>&1 | prefix
		rc=${PIPESTATUS[0]}
		echo "# $name: exit $rc after $((SECONDS - start)) s"
		case $rc in
		0)
			echo "ok $num selftests: nestsw: $name"
			pass=$((pass + 1))
			;;
		4)
			echo "ok $num selftests: nestsw: $name # SKIP"
			skip=$((skip + 1))
			;;
		124 | 137)
			echo "not ok $num selftests: nestsw: $name # TIMEOUT $TIMEOUT seconds"
			fail=$((fail + 1))
			;;
		*)
			echo "not ok $num selftests: nestsw: $name # exit=$rc"
			fail=$((fail + 1))
			;;
		esac
	done

	summary="$pass passed, $fail failed"
	((skip == 0)) || summary+=", $skip skipped"
	echo "$summary"
	((fail == 0))
}

main "$@"

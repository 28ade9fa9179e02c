#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unit tests of the configuration file reader (conffile.c), on the host:
# tests/conf_read reads a file as setconf does, before setconf would ask
# the kernel anything, and prints what it read as showconf would, or the
# errors. Each case checks the exit code, the exact error messages (every
# error of the file, each with its line) and lines of what was read.
# Output is TAP; run by "make check" here and by "make static" above.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
READ=$HERE/conf_read
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
cd "$DIR" || exit 1
IN=t.conf		# the file of a case; messages name it so
n=0
failed=0

# expect DESC RC ERR [LINE...]: conf_read $IN exits RC, prints exactly ERR
# (lines joined by newlines) on stderr, and each LINE on stdout
expect()
{
	local desc=$1 want_rc=$2 want_err=$3 rc=0 line why=; shift 3

	"$READ" "$IN" >out 2>err || rc=$?
	if ((rc != want_rc)); then
		why="exit $rc, want $want_rc"
	elif [[ $(<err) != "$want_err" ]]; then
		why="stderr differs"
	fi
	for line; do
		[[ -n $why ]] && break
		grep -qxF -- "$line" out || why="no line \"$line\" on stdout"
	done
	n=$((n + 1))
	if [[ -z $why ]]; then
		echo "ok $n $desc"
		return
	fi
	failed=$((failed + 1))
	echo "not ok $n $desc"
	echo "# $why"
	echo "# want stderr:"; printf '%s\n' "$want_err" | cut -c1-200 | sed 's/^/#   /'
	echo "# got stderr:"; cut -c1-200 err | sed 's/^/#   /'
	echo "# got stdout:"; cut -c1-200 out | sed 's/^/#   /' 
}

SYNTAX="Syntax error, expected [Section], KEY = VALUE or a comment."
MAC=02:00:00:00:00:01

# --- what is read --------------------------------------------------------

printf '[Port]\ndev = vp1\nfdb = %s%40svlan 123\n' $MAC "" >$IN
expect "fdb with 40 blanks before vlan keeps vlan 123 (no buffer cuts it)" \
	0 "" "fdb = $MAC vlan 123"

printf '[Port]\ndev = vp1\nfdb = %s\t \tvlan\t7   \n' $MAC >$IN
expect "tabs and blanks between and after fdb's words" 0 "" "fdb = $MAC vlan 7"

printf '[Switch]\r\nlearning = on\r\n\r\n[PortGroup]\r\nname = g1\r\nvlan = 10\r\n' >$IN
expect "CRLF line ends are read as LF" 0 "" "learning = on" "name = g1" "vlan = 10"

printf '[Switch]\nlearning = on\n[PortGroup]\nname = last' >$IN
expect "the last line without its newline is read" 0 "" "name = last"

printf '\xef\xbb\xbf[Switch]\nageing = 600\n' >$IN
expect "a UTF-8 byte order mark before the first section is skipped" \
	0 "" "ageing = 600"

{
	printf '# %0300d\n; %0300d\n' 0 0
	printf '[Switch]\n#%05000d\nlearning = on\n' 0
} >$IN
expect "comment lines of 300 and 5000 characters are comments" \
	0 "" "learning = on"

cat >$IN <<'CONF'
# a comment
; another
   [Switch]   # after a section
	learning = on # after a value
  ageing=600;not a comment: no blank before it
CONF
expect "a value with ';' and no blank before it is the value's" 1 \
	"t.conf:5: Invalid ageing \"600;not a comment: no blank before it\", expected 10 to 1000000."

cat >$IN <<'CONF'
   [Switch]   # a comment after a section
	learning = on # a comment after a value
  ageing=600 ; and one after ";"
[Port]
dev = a#b
pg = x.y_z-1
[PortGroup]
name = x.y_z-1
CONF
expect "blanks around lines and keys, comments after a blank, '#' inside a value" \
	0 "" "learning = on" "ageing = 600" "dev = a#b" "pg = x.y_z-1" \
	"name = x.y_z-1"

printf '[Switch]\ngroup-fwd = lldp , STP,01:80:C2:00:00:0d\n[PortGroup]\nname = g\ngroup-fwd = all\n' >$IN
expect "group-fwd: a list with blanks, any case; all" 0 "" \
	"group-fwd = stp,01:80:c2:00:00:0d,lldp" \
	"group-fwd = stp,pause,lacp,eapol,01:80:c2:00:00:04,01:80:c2:00:00:05,01:80:c2:00:00:06,01:80:c2:00:00:07,01:80:c2:00:00:08,01:80:c2:00:00:09,01:80:c2:00:00:0a,01:80:c2:00:00:0b,01:80:c2:00:00:0c,01:80:c2:00:00:0d,lldp,01:80:c2:00:00:0f"

printf '[Switch]\nlearning = on\ngroup-fwd = stp,,lldp\n[PortGroup]\nname = g\ngroup-fwd = 01:80:c2:00:00:10\n' >$IN
expect "group-fwd: an empty item, an address beyond the link-local 16" 1 \
"t.conf:3: Invalid group-fwd \"stp,,lldp\": \"\" is none of stp, pause, lacp, eapol, lldp, 01:80:c2:00:00:0N; expected none, all or a list.
t.conf:6: Invalid group-fwd \"01:80:c2:00:00:10\": \"01:80:c2:00:00:10\" is none of stp, pause, lacp, eapol, lldp, 01:80:c2:00:00:0N; expected none, all or a list."

cat >$IN <<'CONF'
[PortGroup]
name = t
vlan = trunk
trunk-vlans = 20, untagged ,10-12,11
active-uplinks = eth1 , eth2
standby-uplinks = eth5
[PortGroup]
name = u
trunk-vlans = all
active-uplinks = all
standby-uplinks = none
CONF
expect "trunk-vlans, active- and standby-uplinks: lists with blanks; the defaults" \
	0 "" "trunk-vlans = untagged,10-12,20" "active-uplinks = eth1,eth2" \
	"standby-uplinks = eth5"
if grep -q "^trunk-vlans\|uplinks" <(sed -n '/name = u/,$p' out); then
	echo "not ok $((++n)) all, all and none are the defaults: not written"
	failed=$((failed + 1))
else
	echo "ok $((++n)) all, all and none are the defaults: not written"
fi

cat >$IN <<'CONF'
[PortGroup]
name = t
vlan = trunk
trunk-vlans = 10,4095
[PortGroup]
name = u
trunk-vlans = 9-3,,x
active-uplinks = eth1,a/b
standby-uplinks = ,
[PortGroup]
name = v
active-uplinks = u1,u2,u3,u4,u5,u6,u7,u8,u9,u10,u11,u12,u13,u14,u15,u16,u17,u18,u19,u20,u21,u22,u23,u24,u25,u26,u27,u28,u29,u30,u31,u32,u33
standby-uplinks = abcdefghijklmnop
CONF
expect "trunk-vlans: VLAN 4095, a range backwards; a bad name, an empty one, 33, 16 bytes" 1 \
"t.conf:4: Invalid trunk-vlans \"10,4095\": an item is no VLAN (untagged, 1 to 4094) or range N-M of them; expected all or a list, e.g. 10,20,100-199.
t.conf:7: Invalid trunk-vlans \"9-3,,x\": an item is no VLAN (untagged, 1 to 4094) or range N-M of them; expected all or a list, e.g. 10,20,100-199.
t.conf:8: Invalid active-uplinks \"eth1,a/b\": an item is no device name; expected all or up to 32 device names.
t.conf:9: Invalid standby-uplinks \",\": an item is no device name; expected none or up to 32 device names.
t.conf:12: Invalid active-uplinks \"u1,u2,u3,u4,u5,u6,u7,u8,u9,u10,u11,u12,u13,u14,u15,u16,u17,u18,u19,u20,u21,u22,u23,u24,u25,u26,u27,u28,u29,u30,u31,u32,u33\": more than 32 uplinks; expected all or up to 32 device names.
t.conf:13: Invalid standby-uplinks \"abcdefghijklmnop\": an item is no device name; expected none or up to 32 device names."

cat >$IN <<'CONF'
[PortGroup]
name = t
trunk-vlans = 10
[PortGroup]
name = u
vlan = trunk
active-uplinks = eth1, eth2
standby-uplinks = eth3,eth2
[PortGroup]
name = v
vlan = 30
trunk-vlans = all
active-uplinks = eth1
standby-uplinks = eth3
CONF
expect "trunk-vlans of a group that is no trunk; an uplink active and standby (v: all, not limited)" 1 \
"t.conf:1: Port group \"t\": trunk-vlans are for a trunk (vlan = trunk).
t.conf:4: Port group \"u\" names uplink eth2 twice (active or standby)."

# --- errors, each with its line --------------------------------------------

printf '[Switch]\nlearning = on\x00junk\nbogus = 1\n[PortGroup]\nname = g\x00\nmac-limit = 0\n' >$IN
expect "a NUL byte is an error of its line; later lines keep their numbers" 1 \
"t.conf:2: A NUL byte in the line.
t.conf:3: Unknown key \"bogus\" in [Switch].
t.conf:5: A NUL byte in the line.
t.conf:6: Invalid mac-limit \"0\", expected 1 to 65536.
t.conf:4: [PortGroup] without a name."

cat >$IN <<'CONF'
learning = on
[Switch]
learning = maybe
this is not a key
[Bogus]
anything = goes here
[Switch]
[PortGroup
= 1
[Port]
dev = vp1
dev = vp2
colour = blue
fdb = 02:00:00:00:00:01 vlan
fdb = 01:00:00:00:00:01
fdb = 02:00:00:00:00:02 vlan 4095
role = hub
guest-promiscuous = maybe
[PortGroup]
name = t
team = maybe
CONF
expect "every error of a file is reported, with its line" 1 \
"t.conf:1: Key \"learning\" before any section.
t.conf:3: Invalid learning \"maybe\", expected off or on.
t.conf:4: $SYNTAX
t.conf:5: Unknown section [Bogus], expected [Switch], [PortGroup] or [Port].
t.conf:7: A second [Switch] section (the first is at line 2).
t.conf:8: $SYNTAX
t.conf:9: $SYNTAX
t.conf:12: Duplicate key \"dev\" in [Port].
t.conf:13: Unknown key \"colour\" in [Port].
t.conf:14: Invalid fdb \"02:00:00:00:00:01 vlan\", expected MAC [vlan 0..4094].
t.conf:15: Invalid MAC \"01:00:00:00:00:01\" for fdb: a multicast address.
t.conf:16: Invalid vlan \"4095\", expected 0 to 4094.
t.conf:17: Invalid role \"hub\", expected guest or uplink.
t.conf:18: Invalid guest-promiscuous \"maybe\", expected off or on.
t.conf:21: Invalid team \"maybe\", expected off or on."

{
	printf '[PortGroup]\nname = %s\n' "$(printf 'n%.0s' {1..300})"
	printf '[Port]\ndev = %s\n' "$(printf 'd%.0s' {1..5000})"
} >$IN
expect "long values are refused whole, not cut" 1 \
"t.conf:2: Invalid name \"$(printf 'n%.0s' {1..300})\", expected 1 to 15 letters, digits, \".\", \"_\" or \"-\".
t.conf:4: Invalid dev \"$(printf 'd%.0s' {1..5000})\", expected a device name."

printf '[Switch]\nlearning = on\r\nbogus = 1\r\n[PortGroup]\r\nname = a b\r\n' >$IN
expect "errors in a CRLF file name their lines" 1 \
"t.conf:3: Unknown key \"bogus\" in [Switch].
t.conf:5: Invalid name \"a b\", expected 1 to 15 letters, digits, \".\", \"_\" or \"-\"."

printf '[Switch]\nlearning = on\nbogus = 1' >$IN
expect "an error on a last line without its newline names it" 1 \
	"t.conf:3: Unknown key \"bogus\" in [Switch]."

printf '[Switch]\nother-ports = keep\nlearning = on\n' >$IN
expect "other-ports = keep is taken (how the file applies: not printed)" 0 "" \
	"learning = on"

printf '[Switch]\nother-ports = maybe\n' >$IN
expect "other-ports takes release or keep" 1 \
	"t.conf:2: Invalid other-ports \"maybe\", expected release or keep."

# --- port group names ---------------------------------------------------------

for name in 'a;b' 'a=b' 'a[b]' 'caf'$'\xc3\xa9' 'a/b' 'abcdefghijklmnop'; do
	printf '[PortGroup]\nname = %s\n[Port]\ndev = vp1\npg = %s\n' \
		"$name" "$name" >$IN
	expect "port group name \"$name\" is refused in [PortGroup] and [Port]" 1 \
"t.conf:2: Invalid name \"$name\", expected 1 to 15 letters, digits, \".\", \"_\" or \"-\".
t.conf:5: Invalid pg \"$name\", expected 1 to 15 letters, digits, \".\", \"_\" or \"-\"."
done

# --- drop-ins: t.conf.d/*.conf after t.conf --------------------------------

D=t.conf.d
mkdir $D
cat >$IN <<'CONF'
[Switch]
ageing = 600
[PortGroup]
name = shared
vlan = 10
CONF
printf '[Port]\ndev = second\npg = shared\n' >$D/20-b.conf
printf '\xef\xbb\xbf[Port]\ndev = first\n' >$D/10-a.conf
printf '[Port]\ndev = not-read\n' >$D/README
cp $D/README $D/30-c.conf~
cp $D/README $D/.hidden.conf
ln -s /dev/null $D/40-masked.conf
: >$D/50-empty.conf
expect "drop-ins are read after the file, in the order of their names (10-a, 20-b)" \
	0 "" "ageing = 600" "name = shared" "dev = first" "dev = second"
if grep -q 'not-read' out; then
	echo "not ok $((++n)) and only NAME.conf, not hidden, not a backup"
	failed=$((failed + 1))
else
	echo "ok $((++n)) and only NAME.conf, not hidden, not a backup"
fi
if [[ $(grep -x 'dev = .*' out) == $'dev = first\ndev = second' ]]; then
	echo "ok $((++n)) 10-a.conf's port comes before 20-b.conf's"
else
	echo "not ok $((++n)) 10-a.conf's port comes before 20-b.conf's"
	failed=$((failed + 1))
fi
rm -f $D/README $D/30-c.conf~ $D/.hidden.conf $D/40-masked.conf $D/50-empty.conf

printf 'vlan = 20\n' >$D/30-c.conf
expect "a section does not go on into the next file" 1 \
	"t.conf.d/30-c.conf:1: Key \"vlan\" before any section."
rm $D/30-c.conf

cat >$D/20-b.conf <<'CONF'
bogus line
[Port]
dev = second
pg = shared
colour = blue
CONF
printf '[PortGroup]\nname = g\nmac-limit = 0\n' >>$IN
expect "each error names its file and its line there" 1 \
"t.conf:8: Invalid mac-limit \"0\", expected 1 to 65536.
t.conf.d/20-b.conf:1: $SYNTAX
t.conf.d/20-b.conf:5: Unknown key \"colour\" in [Port]."

sed -i '/^mac-limit/d' $IN
cat >$D/20-b.conf <<'CONF'
# a second description of what t.conf and 10-a.conf describe
[Switch]
learning = on

[PortGroup]
name = shared

[Port]
dev = first
CONF
expect "the [Switch], a port group or a port twice: refused, naming both files and lines" 1 \
"t.conf.d/20-b.conf:2: A second [Switch] section (the first is at t.conf:1).
t.conf.d/20-b.conf:5: Duplicate port group \"shared\" (first at t.conf:3).
t.conf.d/20-b.conf:8: Duplicate port first (first at t.conf.d/10-a.conf:1)."

printf '[Port]\ndev = second\npg = shared\n[Port]\ndev = second\n' >$D/20-b.conf
expect "a duplicate within a drop-in names its line alone" 1 \
	"t.conf.d/20-b.conf:4: Duplicate port second (first at line 1)."

printf '[Port]\ndev = second\npg = elsewhere\n' >$D/20-b.conf
expect "a port's group is looked for in every file" 1 \
	"t.conf.d/20-b.conf:1: Port group \"elsewhere\" of port second is not in the file."

rm $D/20-b.conf
ln -s missing $D/20-b.conf
expect "a drop-in that cannot be opened is an error" 1 \
	"Cannot open \"t.conf.d/20-b.conf\": No such file or directory"

rm -r $D
: >$D
expect "a t.conf.d that is not a directory is an error" 1 \
	"Cannot read the directory \"t.conf.d\": Not a directory"
rm $D

# --- round trip ------------------------------------------------------------

cat >$IN <<'CONF'
[Switch]
promiscuous = accept
mac-changes = accept
forged-transmits = accept
learning = on
mac-limit = 65536
limit-policy = allow
unknown-flood = off
ageing = 1000000
group-fwd = lacp,stp
[PortGroup]
name = A.b_c-9
vlan = trunk
trunk-vlans = untagged,2,4-4094
active-uplinks = eth1,vx30
standby-uplinks = eth5
promiscuous = reject
mac-limit = 1
ageing = 10
group-fwd = none
[PortGroup]
name = v4094
vlan = 4094
team = on
[Port]
dev = t1
pg = A.b_c-9
role = uplink
initial-mac = 02:00:00:00:0a:01
effective-mac = 02:00:00:00:0a:02
guest-promiscuous = on
fdb = 02:00:00:00:0b:01 vlan 0
fdb = 02:00:00:00:0b:01
fdb = 02:00:00:00:0b:02 vlan 4094
CONF
"$READ" $IN >first.conf 2>&1
cp first.conf $IN
expect "what it prints reads back to the same" 0 ""
if cmp -s out first.conf; then
	echo "ok $((++n)) and prints the same again"
else
	echo "not ok $((++n)) and prints the same again"
	diff -u first.conf out | sed 's/^/# /'
	failed=$((failed + 1))
fi

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
((failed == 0))

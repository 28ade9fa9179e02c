# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# nestsw-tap.sh: attach a VM's tap device to a nestsw switch and release
# it; sourced (not run) by qemu-ifup and qemu-ifdown, and by any other
# integration that knows a tap, a switch, a port group and the VM's MAC.
# POSIX sh; needs ip (iproute2), awk and the nestsw tool.
#
#   nsw_tap_attach TAP SW PG MAC   enslave TAP to SW in port group PG, with
#                                  MAC as its initial and effective MAC, up;
#                                  all or nothing
#   nsw_tap_release TAP            take TAP off its switch
#   nsw_qemu_mac CMDLINE TAP SCRIPT
#                                  the MAC of the NIC behind TAP, from the
#                                  NUL-separated command line of a QEMU
#                                  (the file /proc/PID/cmdline) that runs
#                                  SCRIPT (as named there) for its taps
#
# Each prints what went wrong on stderr, prefixed with $NSW_TAP_WHO, and
# returns non-zero. $NESTSW names the tool (default: nestsw in PATH).

: "${NESTSW:=nestsw}"
: "${NSW_TAP_WHO:=nestsw}"

nsw_tap_err()
{
	echo "$NSW_TAP_WHO: $*" >&2
}

# nsw_tap_attach TAP SW PG MAC
nsw_tap_attach()
{
	# the tool's own messages name what is missing ("Cannot find device",
	# "no port group"): checked before TAP is touched
	if ! "$NESTSW" show dev "$2" >/dev/null; then
		nsw_tap_err "switch '$2' not found (NESTSW_SWITCH): create it first, e.g. ip link add $2 type nestsw"
		return 1
	fi
	if ! "$NESTSW" pg show dev "$2" name "$3" >/dev/null; then
		nsw_tap_err "no port group '$3' on $2 (NESTSW_PG): nestsw pg add dev $2 name $3 ..."
		return 1
	fi
	ip link set dev "$1" master "$2" || return
	# until the MACs are set, the VM's frames would be forged: the tap
	# stays down until then
	if ! "$NESTSW" port set dev "$1" pg "$3" initial-mac "$4" \
		effective-mac "$4"; then
		ip link set dev "$1" nomaster
		nsw_tap_err "$1 not attached to $2"
		return 1
	fi
	if ! ip link set dev "$1" up; then
		ip link set dev "$1" nomaster
		return 1
	fi
}

# nsw_tap_release TAP: a tap that is gone already (its VM was killed) left
# the switch with it
nsw_tap_release()
{
	[ -e "/sys/class/net/$1" ] || return 0
	ip link set dev "$1" nomaster
}

# nsw_qemu_mac CMDLINE TAP SCRIPT: which of QEMU's options made TAP: the
# "-netdev tap" or "-nic tap" whose ifname= is TAP; else, when exactly one
# tap without ifname= runs SCRIPT (QEMU named the tap itself), that one.
# Its MAC: -nic's mac=, or that of the -device whose netdev= is its id=.
# Options are QEMU's "type,key=value,..." (",," is a comma in a value) or
# JSON objects ('{"type":"tap",...}', flat, as libvirt writes them).
# QEMU's default when no mac= is given, 52:54:00:12:34:56, is the same in
# every VM: refused.
nsw_qemu_mac()
{
	[ -r "$1" ] || { nsw_tap_err "cannot read $1"; return 1; }
	tr '\0' '\n' <"$1" | awk -v tap="$2" -v script="$3" \
		-v who="$NSW_TAP_WHO" '
	function err(msg) {
		print who ": " msg > "/dev/stderr"
		failed = 1
		exit 1
	}
	# opts(ARG, TYPEKEY): ARG in o[] (o[TYPEKEY] for a first key with no
	# value, as "tap" in "tap,id=n0")
	function opts(arg, typekey,   n, i, a, p, k) {
		split("", o)
		if (arg ~ /^[ \t]*\{/) {
			while (match(arg, /"[^"]*"[ \t]*:[ \t]*("[^"]*"|[^,}"]*)/)) {
				p = substr(arg, RSTART, RLENGTH)
				arg = substr(arg, RSTART + RLENGTH)
				k = p
				sub(/"[ \t]*:.*/, "", k)
				sub(/^"/, "", k)
				sub(/^"[^"]*"[ \t]*:[ \t]*/, "", p)
				gsub(/^"|"$/, "", p)
				o[k] = p
			}
			return
		}
		gsub(/,,/, "\001", arg)
		n = split(arg, a, ",")
		for (i = 1; i <= n; i++) {
			gsub(/\001/, ",", a[i])
			p = index(a[i], "=")
			if (p)
				o[substr(a[i], 1, p - 1)] = substr(a[i], p + 1)
			else if (i == 1)
				o[typekey] = a[i]
			else
				o[a[i]] = "on"
		}
	}
	# a tap: "-netdev" (its MAC comes from a -device) or "-nic"
	function add_tap(kind,   s) {
		ntaps++
		tkind[ntaps] = kind
		tid[ntaps] = ("id" in o) ? o["id"] : ""
		tifname[ntaps] = ("ifname" in o) ? o["ifname"] : ""
		tmac[ntaps] = ("mac" in o) ? o["mac"] : ""
		# QEMU runs /etc/qemu-ifup when no script= is given
		s = ("script" in o) ? o["script"] : "/etc/qemu-ifup"
		tscript[ntaps] = s
	}
	function describe(i) {
		if (tkind[i] == "nic")
			return "-nic tap" (tifname[i] != "" ? ",ifname=" tifname[i] : "")
		return "-netdev tap,id=" tid[i] (tifname[i] != "" ? ",ifname=" tifname[i] : "")
	}
	{ arg[NR] = $0 }
	END {
		if (failed)
			exit 1
		for (i = 1; i < NR; i++) {
			opt = arg[i]
			sub(/^--/, "-", opt)
			if (opt != "-netdev" && opt != "-nic" && opt != "-device")
				continue
			i++
			if (opt == "-device") {
				opts(arg[i], "driver")
				if ("netdev" in o) {
					devices[o["netdev"]]++
					devmac[o["netdev"]] = ("mac" in o) ? o["mac"] : ""
				}
				continue
			}
			opts(arg[i], "type")
			if (o["type"] == "tap")
				add_tap(substr(opt, 2))
		}
		found = 0
		for (i = 1; i <= ntaps; i++)
			if (tifname[i] == tap) {
				found = i
				nfound++
			}
		if (nfound > 1)
			err("several taps are named " tap " on the QEMU command line")
		if (!found) {
			for (i = 1; i <= ntaps; i++)
				if (tifname[i] == "" && tscript[i] == script) {
					found = i
					nfound++
				}
			if (nfound != 1)
				err("cannot tell which NIC is " tap ": no tap has ifname=" \
				    tap " and " (nfound ? nfound : "none") \
				    " without ifname= run " script \
				    "; add ifname=" tap " to its -netdev tap (or -nic tap)")
		}
		t = describe(found)
		if (tkind[found] == "nic") {
			mac = tmac[found]
			where = "its -nic"
		} else {
			if (!(tid[found] in devices))
				err("no -device ...,netdev=" tid[found] " uses " t)
			mac = devmac[tid[found]]
			where = "the -device ...,netdev=" tid[found]
		}
		if (mac == "")
			err("no mac= for " t ": QEMU would give it 52:54:00:12:34:56, " \
			    "the same in every VM; add mac=52:54:00:XX:XX:XX (unique) to " where)
		m = tolower(mac)
		gsub(/-/, ":", m)
		if (m !~ /^[0-9a-f][0-9a-f](:[0-9a-f][0-9a-f])(:[0-9a-f][0-9a-f])(:[0-9a-f][0-9a-f])(:[0-9a-f][0-9a-f])(:[0-9a-f][0-9a-f])$/)
			err("mac=" mac " of " t " is not a MAC address")
		print m
	}'
}

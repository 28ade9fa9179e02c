#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The fresh-machine replay ("make check-fresh"): what a new user gets from
# README.md on a fresh Debian 12 machine. A CI machine has the packages
# installed already, so it cannot see a missing install step or a Makefile
# that reads /lib/modules before "make setup" ran; this can.
#
# Builds a Debian 12 root with debootstrap (minbase, plus git and make: what
# a user needs to fetch the tree and type the commands), with the apt
# sources of a default Debian 12 install (bookworm, -updates, -security),
# clones the committed tree (HEAD, as CI does) into it, and runs README's
# two commands in it, as root, one after the other:
#
#   make demo
#   make check
#
# then prints how long each took and how each ended. Needs root, the
# network to Debian's mirror, and about 15 GB of disk; takes about as long
# as make check plus 15 minutes (debootstrap, setup's packages, the debug
# kernel's build). Not part of make check.
#
# Env: NESTSW_FRESH_ROOT   where the root is built (default
#                          /var/tmp/nestsw-fresh; removed and made again
#                          at every run, left in place afterwards to look
#                          at: build/check/ in /root/nestsw holds the logs)
#      NESTSW_FRESH_MIRROR Debian mirror (default http://deb.debian.org/debian)
#      NESTSW_FRESH_STEPS  the commands to replay (default "demo check")
#      KVERS, TESTS        passed to make in the root, as to make check
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ROOT=${NESTSW_FRESH_ROOT:-/var/tmp/nestsw-fresh}
MIRROR=${NESTSW_FRESH_MIRROR:-http://deb.debian.org/debian}
STEPS=${NESTSW_FRESH_STEPS:-demo check}
TREE=/root/nestsw
RESULTS=()

log() { echo "fresh: $*" >&2; }
die() { log "error: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (debootstrap, chroot, mounts)"
case $ROOT in
/ | "") die "NESTSW_FRESH_ROOT must not be /" ;;
esac

umount_root()
{
	local mnt

	# deepest first
	findmnt -rn -o TARGET | { grep -E "^$ROOT(/|$)" || true; } | sort -r |
		while read -r mnt; do
			umount -l "$mnt" || true
		done
}

install_debootstrap()
{
	command -v debootstrap >/dev/null && return 0
	log "installing debootstrap on this host"
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap
}

# A Debian 12 root as its installer leaves the apt sources, with git and
# make. Services are not started in it (policy-rc.d): a daemon started by
# a package's postinst (openvswitch-switch) would outlive the replay.
make_root()
{
	umount_root
	rm -rf "$ROOT"
	mkdir -p "$ROOT"
	log "debootstrap bookworm into $ROOT"
	debootstrap --variant=minbase --include=git,make,ca-certificates \
		bookworm "$ROOT" "$MIRROR" >"$ROOT.debootstrap.log" 2>&1 ||
		{ tail -n 20 "$ROOT.debootstrap.log"; die "debootstrap failed"; }
	rm -f "$ROOT/etc/apt/sources.list"
	cat >"$ROOT/etc/apt/sources.list.d/debian.sources" <<-EOF
	Types: deb
	URIs: $MIRROR
	Suites: bookworm bookworm-updates
	Components: main
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

	Types: deb
	URIs: ${MIRROR%/debian}/debian-security
	Suites: bookworm-security
	Components: main
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOF
	printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
	chmod 755 "$ROOT/usr/sbin/policy-rc.d"
	cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
}

mount_root()
{
	mount -t proc proc "$ROOT/proc"
	mount -t sysfs sysfs "$ROOT/sys"
	mount --rbind /dev "$ROOT/dev"
	mount --make-rslave "$ROOT/dev"
	mount -t tmpfs tmpfs "$ROOT/run"
	mount -t tmpfs tmpfs "$ROOT/tmp"
}

# in_root CMD: CMD in the tree, with a login's plain environment
in_root()
{
	chroot "$ROOT" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		${KVERS:+KVERS="$KVERS"} ${TESTS:+TESTS="$TESTS"} \
		/bin/bash -c "cd $TREE && $1"
}

replay()
{
	local step=$1 start rc=0 log

	log="$ROOT$TREE/build/fresh-$step.log"
	log "make $step (log: $log)"
	start=$SECONDS
	mkdir -p "${log%/*}"
	in_root "make $step" 2>&1 | tee "$log" || rc=$?
	RESULTS+=("$(printf 'make %-6s %s after %d min %d s' "$step" \
		"$([ "$rc" -eq 0 ] && echo PASS || echo "FAIL (exit $rc)")" \
		$(((SECONDS - start) / 60)) $(((SECONDS - start) % 60)))")
	return "$rc"
}

trap umount_root EXIT
install_debootstrap
start=$SECONDS
make_root
RESULTS+=("$(printf 'debootstrap    done after %d s' $((SECONDS - start)))")
git clone -q --no-hardlinks "$TOP" "$ROOT$TREE"
log "the tree: $(git -C "$ROOT$TREE" log -1 --format='%h %s')"
mount_root

rc=0
for step in $STEPS; do
	replay "$step" || rc=1
done

echo
echo "=== fresh-machine replay of $(git -C "$ROOT$TREE" log -1 --format=%h)"
printf '%s\n' "${RESULTS[@]}"
if [ -r "$ROOT$TREE/build/check/times" ]; then
	echo "make check, by step:"
	cat "$ROOT$TREE/build/check/times"
fi
exit "$rc"

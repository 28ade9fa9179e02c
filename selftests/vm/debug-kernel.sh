#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once, then cached) the nestsw debug kernel: linux-source-6.1 +
# tinyconfig + selftests/vm/debug.config (KASAN, lockdep, kmemleak, ...),
# everything built in. Prints the kernel tree on stdout, so that
#   make -C "$(selftests/vm/debug-kernel.sh)" M=$PWD/kmod
# builds an external module against it, and run.sh -k debug boots its bzImage.
#
# "debug-kernel.sh guest" builds, the same way, the tiny kernel of the
# nested guest that selftests/qemu_tap.sh boots inside the test VM:
# tinyconfig + selftests/vm/guest.config, its vmlinux only, in
# $NESTSW_CACHE/linux-guest.
#
# Usage: selftests/vm/debug-kernel.sh [guest]
# Env:   NESTSW_CACHE   cache root (default /var/cache/nestsw); the tree is
#                       $NESTSW_CACHE/linux-debug, its log nestsw-build.log
#        NESTSW_DEBUG_SRC  source tarball (default /usr/src/linux-source-6.1.tar.xz)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly HERE
readonly KIND=${1:-debug}
case $KIND in
debug)
	FRAGMENT=$HERE/debug.config
	TARGETS=(bzImage modules)
	IMAGE=arch/x86/boot/bzImage
	;;
guest)
	FRAGMENT=$HERE/guest.config
	TARGETS=(vmlinux)
	IMAGE=vmlinux
	;;
*)
	echo "Usage: $0 [guest]" >&2
	exit 2
	;;
esac
readonly FRAGMENT TARGETS IMAGE
readonly CACHE=${NESTSW_CACHE:-/var/cache/nestsw}
readonly DIR=$CACHE/linux-$KIND
readonly TARBALL=${NESTSW_DEBUG_SRC:-/usr/src/linux-source-6.1.tar.xz}
readonly LOG=$DIR/nestsw-build.log
readonly STAMP=$DIR/.nestsw-stamp
readonly SRC_STAMP=$DIR/.nestsw-source
readonly BZIMAGE=$DIR/$IMAGE

log() { echo "debug-kernel: $*" >&2; }
die() { log "error: $*"; exit 1; }

# The tarball's identity: its Debian package version when dpkg knows the
# file (cheap), else size + mtime. A new linux-source upload means a new tree.
source_version() {
	local pkg
	pkg=$(dpkg-query -S "$TARBALL" 2>/dev/null | cut -d: -f1) || true
	if [[ -n $pkg ]]; then
		echo "$pkg $(dpkg-query -W -f='${Version}' "$pkg")"
	else
		stat -c '%n %s %Y' "$TARBALL"
	fi
}

# What the finished build depends on: the fragment's options (not its
# comments) and the source.
wanted_stamp() {
	echo "fragment $(grep -E '^CONFIG_|^# CONFIG_.* is not set$' "$FRAGMENT" | sha256sum | cut -d' ' -f1)"
	echo "source $(source_version)"
}

# Run a build step with its output in the log; on failure show the tail only.
step() {
	log "$*"
	if ! "$@" >>"$LOG" 2>&1; then
		tail -n 40 "$LOG" >&2
		die "'$*' failed; full log: $LOG"
	fi
}

# Extract the tarball only when the source changed: a fragment change then
# rebuilds incrementally instead of from scratch.
extract_source() {
	local want
	want=$(source_version)
	if [[ -f $SRC_STAMP && $(cat "$SRC_STAMP") == "$want" && -f $DIR/Makefile ]]; then
		return
	fi
	log "extracting $TARBALL into $DIR"
	rm -rf "$DIR"
	mkdir -p "$DIR"
	tar -xJf "$TARBALL" -C "$DIR" --strip-components=1
	echo "$want" >"$SRC_STAMP"
}

configure() {
	: >"$LOG"
	step make -C "$DIR" tinyconfig
	step "$DIR/scripts/kconfig/merge_config.sh" -m -O "$DIR" "$DIR/.config" "$FRAGMENT"
	step make -C "$DIR" olddefconfig
	verify_config
}

# tinyconfig leaves out whatever a dependency does not allow and olddefconfig
# drops such requests silently: check each line of the fragment by hand.
verify_config() {
	local line name bad=()
	while IFS= read -r line; do
		if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)= ]]; then
			grep -qxF -- "$line" "$DIR/.config" || bad+=("$line")
		elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			name=${BASH_REMATCH[1]}
			grep -q "^$name=" "$DIR/.config" && bad+=("$line")
		fi
	done <"$FRAGMENT"
	((${#bad[@]} == 0)) && return
	for line in "${bad[@]}"; do
		name=$(sed -E 's/^# //; s/[= ].*//' <<<"$line")
		log "not as requested: $line (.config: $(grep -E "^$name=|^# $name is not set" "$DIR/.config" || echo absent))"
	done
	die "${#bad[@]} option(s) of $FRAGMENT did not survive olddefconfig"
}

build() {
	# debug: modules too: it writes Module.symvers, which M= builds need
	step make -C "$DIR" -j"$(nproc)" "${TARGETS[@]}"
	[[ -f $BZIMAGE ]] || die "$IMAGE missing after the build"
	[[ $KIND != debug || -f $DIR/Module.symvers ]] || die "Module.symvers missing after the build"
}

main() {
	local want
	[[ -f $TARBALL ]] || die "$TARBALL not found (apt-get install linux-source-6.1)"
	# debug.config compresses the bzImage with lz4
	command -v lz4 >/dev/null || die "lz4 not found (apt-get install lz4)"
	mkdir -p "$CACHE"
	# one build at a time per cache: concurrent callers wait, then find it done
	exec 9>"$CACHE/linux-$KIND.lock"
	flock 9
	want=$(wanted_stamp)
	if [[ -f $BZIMAGE && -f $STAMP && $(cat "$STAMP") == "$want" ]]; then
		echo "$DIR"
		return
	fi
	local start=$SECONDS
	rm -f "$STAMP"
	extract_source
	configure
	build
	echo "$want" >"$STAMP"
	log "built $(cat "$DIR/include/config/kernel.release") in $((SECONDS - start)) s; log: $LOG"
	echo "$DIR"
}

main "$@"

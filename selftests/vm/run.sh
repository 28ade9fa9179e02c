#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run a command inside a QEMU (TCG) VM booted on a Debian kernel or on the
# debug kernel, with the host's / as a read-only root and this repo
# read-write at the same path. Fails on any kernel splat in the console.
#
# Usage: selftests/vm/run.sh [-k KVER] [-t TIMEOUT_S] [-i] [--] COMMAND [ARGS...]
#   -k KVER   a directory name under /lib/modules (default: the newest one
#             with a /boot/vmlinuz), or "debug" for debug-kernel.sh's kernel
#   -t SECS   kill the VM after SECS seconds (default 1500)
#   -i        count instructions: one vCPU, single-threaded TCG, guest
#             time advances 1 ns per instruction (-icount shift=0,sleep=off)
#   COMMAND   one argument: run with bash -c; several: run as an argv
# In the guest: cwd = repo top dir, env NESTSW_KVER (= KVER as given),
#   NESTSW_KO (= $REPO/build/$KVER/nestsw.ko; not loaded by the runner),
#   NESTSW_CACHE (where the guest kernel of qemu_tap.sh is),
#   NESTSW_VM=1, HOME=/tmp, a standard PATH; stdin is /dev/null.
# Exit: the command's exit code; 1 on a kernel splat, a timeout or a VM that
#   ended without reporting one. COMMAND's output is streamed on stdout, the
#   runner's messages go to stderr. Logs: build/vm/$KVER/{console,output}.log
# Env: NESTSW_CACHE (see debug-kernel.sh), NESTSW_QEMU_EXTRA (extra QEMU args,
#   split on spaces; e.g. "-smp 1"), NESTSW_APPEND (extra kernel args)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$HERE/../.." && pwd -P)
readonly HERE REPO
readonly SPLAT_RE='BUG:|WARNING:|KASAN|Call Trace|unreferenced object|possible circular locking|suspicious RCU usage|refcount_t:|blocked for more than|Kernel panic|general protection'
# what the initramfs loads to reach the 9p root; their dependencies follow
readonly ROOT_MODULES=(virtio_pci 9pnet_virtio 9p)

KVER=
TIMEOUT=1500
ICOUNT=0
CMD=()
KERNEL_IMAGE=
MODDIR=
KERNEL_ARGS=
LIBMODULES=
MODULES=
START=
END=
QEMU_RC=0
BUILD=
RUN=
QEMU_PID=
TAIL_PID=

log() { echo "nestsw-vm: $*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
	sed -n '8,22s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
	exit 2
}

parse_args() {
	while (($#)); do
		case $1 in
		-k) KVER=${2:?-k needs a kernel}; shift 2 ;;
		-t) TIMEOUT=${2:?-t needs seconds}; shift 2 ;;
		-i) ICOUNT=1; shift ;;
		-h | --help) usage ;;
		--) shift; break ;;
		-*) usage ;;
		*) break ;;
		esac
	done
	(($#)) || usage
	[[ $TIMEOUT =~ ^[0-9]+$ ]] || die "bad timeout: $TIMEOUT"
	if (($# == 1)); then
		CMD=(bash -c "$1")
	else
		CMD=("$@")
	fi
}

newest_kernel() {
	local k
	for k in /lib/modules/*/; do
		k=${k%/}
		k=${k##*/}
		[[ -f /boot/vmlinuz-$k ]] && echo "$k"
	done | sort -V | tail -n 1
}

# Sets KERNEL_IMAGE, KERNEL_ARGS, MODDIR (the tree of a kernel built here)
# and BUILD (this kernel's cache dir in the repo).
resolve_kernel() {
	[[ -n $KVER ]] || KVER=$(newest_kernel)
	[[ -n $KVER ]] || die "no kernel under /lib/modules with a /boot/vmlinuz"
	if [[ $KVER == debug ]]; then
		# a no-op when the cached build is current
		MODDIR=$("$HERE/debug-kernel.sh")
		# not its vmlinux: 6.1's PVH entry code is KASAN-instrumented and
		# faults before KASAN is up (fixed in 6.12)
		KERNEL_IMAGE=$MODDIR/arch/x86/boot/bzImage
		# 4-level paging: with LA57 (-cpu max), 6.1's identify_cpu() clears
		# the LA57 capability for a moment and KASAN reports any interrupt
		# that hits then as a wild-memory-access (seen at boot under load)
		KERNEL_ARGS=no5lvl
		# report every KASAN bug, not only the first one after boot
		KERNEL_ARGS+=" kasan_multi_shot"
	else
		# "6.12" names the installed 6.12.x kernel
		if [[ ! -d /lib/modules/$KVER ]]; then
			local k
			for k in /lib/modules/"$KVER".*/; do
				[[ -d $k ]] && KVER=$(basename "$k")
			done
		fi
		[[ -d /lib/modules/$KVER ]] || die "no /lib/modules/$KVER (try: ls /lib/modules)"
		KERNEL_IMAGE=/boot/vmlinuz-$KVER
	fi
	[[ -r $KERNEL_IMAGE ]] || die "cannot read $KERNEL_IMAGE"
	BUILD=$REPO/build/vm/$KVER
	mkdir -p "$BUILD"
}

# An ELF vmlinux with a PVH entry note (Xen note 0x12) boots directly in
# 64-bit mode: no real-mode setup, no decompression, which costs 10-30 s
# under TCG on a loaded host (Debian's vmlinuz is xz or zstd).
has_pvh_note() {
	[[ -f $1 ]] && readelf -n "$1" 2>/dev/null | grep -qE '\(0x00000012\)|PHYS32_ENTRY'
}

# Debian's vmlinuz -> a cached vmlinux (ELF) if it has the PVH note;
# KERNEL_IMAGE stays the vmlinuz otherwise.
extract_vmlinux() {
	local out=$BUILD/vmlinux stamp=$BUILD/vmlinux.stamp want spec pat pos
	[[ $KVER == debug ]] && return 0
	want=$(stat -L -c '%n %s %Y' "$KERNEL_IMAGE")
	if ! [[ -f $out && -f $stamp && $(cat "$stamp") == "$want" ]]; then
		rm -f "$out" "$stamp"
		for spec in 'xz:\xfd7zXZ\x00' 'zstd:\x28\xb5\x2f\xfd' 'gzip:\x1f\x8b\x08'; do
			pat=${spec#*:}
			pos=$(LC_ALL=C grep -obUaP "$pat" "$KERNEL_IMAGE" | head -n 1 | cut -d: -f1) || true
			[[ -n $pos ]] || continue
			# the payload is followed by other data: ignore the tool's complaint
			tail -c +$((pos + 1)) "$KERNEL_IMAGE" | "${spec%%:*}" -dcq >"$out.tmp" 2>/dev/null || true
			has_pvh_note "$out.tmp" && break
		done
		if has_pvh_note "$out.tmp"; then
			mv "$out.tmp" "$out"
		else
			rm -f "$out.tmp"
			: >"$out"
		fi
		echo "$want" >"$stamp"
	fi
	[[ -s $out ]] && KERNEL_IMAGE=$out
	return 0
}

# Print "name file" for the root modules and their dependencies, dependencies
# first. Built-in ones (6.12: virtio, virtio_pci) are skipped.
resolve_modules() {
	[[ $KVER == debug ]] && return 0
	local -A seen=()
	local m
	for m in "${ROOT_MODULES[@]}"; do
		visit_module "$m"
	done
}

visit_module() {
	local m=$1 file dep deps
	[[ -n ${seen[$m]:-} ]] && return 0
	seen[$m]=1
	file=$(modinfo -k "$KVER" -n "$m") || die "module $m not found for $KVER"
	[[ $file == "(builtin)" ]] && return 0
	deps=$(modinfo -k "$KVER" -F depends "$m")
	for dep in ${deps//,/ }; do
		visit_module "$dep"
	done
	echo "$m $file"
}

# Everything the initramfs is made of; its hash names a cached build.
initramfs_manifest() {
	local busybox
	busybox=$(command -v busybox) || die "busybox not found (apt-get install busybox-static)"
	echo "kernel $KVER"
	echo "init $(sha256sum <"$HERE/initramfs-init.sh")"
	echo "busybox $(stat -L -c '%s %Y' "$busybox")"
	while read -r m file; do
		[[ -n $m ]] || continue
		echo "module $m $file $(stat -L -c '%s %Y' "$file")"
	done <<<"$MODULES"
}

# Copy a module, decompressed: busybox insmod reads only plain .ko files.
copy_module() {
	local file=$1 dst=$2
	case $file in
	*.ko.xz) xz -dc "$file" >"$dst" ;;
	*.ko.zst) zstd -qdc "$file" >"$dst" ;;
	*.ko.gz) gzip -dc "$file" >"$dst" ;;
	*) cp "$file" "$dst" ;;
	esac
}

build_initramfs() {
	local out=$BUILD/initramfs.cpio.gz stamp=$BUILD/initramfs.stamp
	local manifest dir m file
	manifest=$(initramfs_manifest | sha256sum)
	if [[ -f $out && -f $stamp && $(cat "$stamp") == "$manifest" ]]; then
		return
	fi
	log "building initramfs for $KVER"
	dir=$(mktemp -d "$BUILD/initramfs.XXXXXX")
	mkdir -p "$dir"/{bin,dev,modules}
	cp "$(command -v busybox)" "$dir/bin/busybox"
	cp "$HERE/initramfs-init.sh" "$dir/init"
	chmod 755 "$dir/init"
	# the kernel opens /dev/console before /init runs (init copes without)
	mknod -m 600 "$dir/dev/console" c 5 1 2>/dev/null || true
	: >"$dir/modules.list"
	while read -r m file; do
		[[ -n $m ]] || continue
		copy_module "$file" "$dir/modules/$m.ko"
		echo "$m" >>"$dir/modules.list"
	done <<<"$MODULES"
	(cd "$dir" && find . -print0 | cpio --null -o -H newc --quiet -R 0:0) | gzip -1 >"$out.tmp"
	mv "$out.tmp" "$out"
	echo "$manifest" >"$stamp"
	rm -rf "$dir"
}

# A kernel built here has no /lib/modules/<release> on the host: make one
# with its builtin lists (depmod'ed), which the guest bind-mounts on
# /lib/modules, so that modprobe of a builtin succeeds. Sets LIBMODULES.
prepare_libmodules() {
	local rel dst
	[[ $KVER == debug ]] || return 0
	rel=$(cat "$MODDIR/include/config/kernel.release")
	LIBMODULES=$BUILD/lib-modules/lib/modules
	dst=$LIBMODULES/$rel
	[[ -f $dst/modules.builtin.bin && $dst/modules.builtin.bin -nt $MODDIR/modules.builtin ]] && return
	rm -rf "$BUILD/lib-modules"
	mkdir -p "$dst"
	cp "$MODDIR"/modules.builtin "$MODDIR"/modules.builtin.modinfo "$MODDIR"/modules.order "$dst/"
	depmod -b "$BUILD/lib-modules" "$rel"
}

# Build what this kernel's runs share, one runner at a time.
prepare_kernel_files() {
	exec 8>"$BUILD/.lock"
	flock 8
	build_initramfs
	prepare_libmodules
	extract_vmlinux
	exec 8>&-
}

# The per-run directory (shared over 9p) and the script the guest runs.
prepare_run() {
	local q
	RUN=$(mktemp -d "$BUILD/run.XXXXXX")
	[[ $RUN$REPO != *[[:space:]]* ]] || die "paths with spaces cannot go on the kernel command line: $RUN"
	: >"$RUN/console.log"
	: >"$RUN/output.log"
	q=$(printf '%q ' "${CMD[@]}")
	cat >"$RUN/guest-run.sh" <<-EOF
		#!/bin/bash
		# generated by selftests/vm/run.sh for one run
		nestsw_run_dir=$(printf '%q' "$RUN")
		nestsw_repo=$(printf '%q' "$REPO")
		nestsw_cmd=($q)
		export NESTSW_KVER=$(printf '%q' "$KVER")
		export NESTSW_KO=$(printf '%q' "$REPO/build/$KVER/nestsw.ko")
		export NESTSW_CACHE=$(printf '%q' "${NESTSW_CACHE:-/var/cache/nestsw}")
		source $(printf '%q' "$HERE/guest.sh")
	EOF
}

qemu_args() {
	# no_timer_check: under a loaded TCG host the IO-APIC timer check can
	# fail and panic ("IO-APIC + timer doesn't work")
	local append="console=ttyS0 panic=-1 oops=panic no_timer_check $KERNEL_ARGS ${NESTSW_APPEND:-} nestsw_repo=$REPO nestsw_test=$RUN/guest-run.sh"
	[[ -n $LIBMODULES ]] && append+=" nestsw_libmodules=$LIBMODULES"
	# two sockets of one core: SeaBIOS's MP table, where the debug kernel
	# (no ACPI) finds its CPUs, lists one CPU a socket; with QEMU's
	# default of one socket of two cores that kernel ran on one CPU
	# One host thread runs both vCPUs in turn (thread=single): with
	# multi-threaded TCG, QEMU 7.2 sometimes runs a stale translation of
	# code the other vCPU has just patched (a jump label that a ping's
	# timestamps turn on), and the guest dies in "Oops: int3". Two VMs
	# side by side keep the two host cores busy all the same.
	local extra=() cpus=(-accel 'tcg,thread=single' -smp '2,sockets=2,cores=1,threads=1')
	read -r -a extra <<<"${NESTSW_QEMU_EXTRA:-}"
	# icount refuses multi-threaded TCG; with -smp 2 the guest hangs at
	# SMP bring-up
	((ICOUNT)) && cpus=(-accel tcg -smp 1 -icount 'shift=0,sleep=off')
	printf '%s\0' \
		"${cpus[@]}" -cpu max -m 2048 \
		-nodefaults -display none -no-reboot \
		-kernel "$KERNEL_IMAGE" -initrd "$BUILD/initramfs.cpio.gz" \
		-append "$append" \
		-serial "file:$RUN/console.log" \
		-serial "file:$RUN/output.log" \
		-fsdev "local,id=nestsw_root,path=/,security_model=none,readonly=on,multidevs=remap" \
		-device virtio-9p-pci,fsdev=nestsw_root,mount_tag=nestsw_root \
		-fsdev "local,id=nestsw_repo,path=$REPO,security_model=none,multidevs=remap" \
		-device virtio-9p-pci,fsdev=nestsw_repo,mount_tag=nestsw_repo \
		"${extra[@]}"
}

cleanup() {
	[[ -n $QEMU_PID ]] && kill "$QEMU_PID" 2>/dev/null
	[[ -n $TAIL_PID ]] && kill "$TAIL_PID" 2>/dev/null
	return 0
}

# Boot and wait; the guest's second serial port (ttyS1, the command's output)
# is a file that tail streams to stdout while QEMU runs. Sets QEMU_RC.
boot() {
	local args=()
	mapfile -d '' args < <(qemu_args)
	START=$(date +%s.%N)
	timeout -k 10 "$TIMEOUT" qemu-system-x86_64 "${args[@]}" \
		</dev/null >"$RUN/qemu.log" 2>&1 &
	QEMU_PID=$!
	tail -n +1 -s 0.1 -f --pid="$QEMU_PID" "$RUN/output.log" &
	TAIL_PID=$!
	QEMU_RC=0
	wait "$QEMU_PID" || QEMU_RC=$?
	QEMU_PID=
	wait "$TAIL_PID" || true
	TAIL_PID=
	END=$(date +%s.%N)
}

print_splats() {
	log "kernel splat(s) in the console (full log: $BUILD/console.log):"
	grep -E -B 5 -A 40 "$SPLAT_RE" "$RUN/console.log" | tr -d '\r' | head -n 400 >&2
}

print_console_tail() {
	log "last console lines (full log: $BUILD/console.log):"
	tail -n 40 "$RUN/console.log" | tr -d '\r' >&2
	[[ -s $RUN/qemu.log ]] && { log "qemu said:"; cat "$RUN/qemu.log" >&2; }
	return 0
}

# Decide run.sh's exit code; print the one-line summary.
verdict() {
	local rc=1 why boot='?' total
	total=$(printf '%.1f' "$(bc <<<"$END - $START")")
	if [[ -f $RUN/started ]]; then
		boot=$(printf '%.1f' "$(bc <<<"$(date -r "$RUN/started" +%s.%N) - $START")")
		boot="$boot s wall, $(cat "$RUN/started") s guest"
	fi
	if ((QEMU_RC == 124 || QEMU_RC == 137)); then
		why="FAIL: timed out after $TIMEOUT s"
		print_console_tail
	elif grep -qE "$SPLAT_RE" "$RUN/console.log"; then
		why="FAIL: kernel splat"
		[[ -f $RUN/rc ]] && why+=" (command exited $(cat "$RUN/rc"))"
		print_splats
	elif [[ ! -f $RUN/rc ]]; then
		why="FAIL: the VM ended without an exit code (qemu exit $QEMU_RC)"
		print_console_tail
	else
		rc=$(cat "$RUN/rc")
		why="command exited $rc"
		((rc == 0)) && why="PASS"
	fi
	log "kernel $KVER: $why (boot to command: $boot; total $total s)"
	return "$rc"
}

# Keep the last run's logs at fixed paths; drop the run dir.
keep_logs() {
	local f
	[[ -n $RUN && -d $RUN ]] || return 0
	for f in console.log output.log; do
		[[ -f $RUN/$f ]] && mv -f "$RUN/$f" "$BUILD/$f"
	done
	rm -rf "$RUN"
}

main() {
	local rc=0
	parse_args "$@"
	resolve_kernel
	MODULES=$(resolve_modules)
	prepare_kernel_files
	prepare_run
	trap cleanup EXIT
	trap 'cleanup; keep_logs; exit 130' INT TERM
	boot
	verdict || rc=$?
	keep_logs
	return "$rc"
}

main "$@"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs what building and testing nestsw needs on a fresh Debian 12
# machine: both target kernels with headers (6.1 and 6.12), their sources
# (checkpatch.pl, the debug kernel, YNL), QEMU, and the guest's tools.
# Runs as root, or through sudo.
set -euo pipefail

PACKAGES=(
	# the kernels nestsw supports, to build against and to boot in QEMU
	linux-image-amd64 linux-headers-amd64
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	# checkpatch.pl and the debug kernel (6.1), YNL's cli.py (6.12)
	linux-source-6.1 linux-source-6.12
	build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils lz4 zstd
	kmod sparse pkg-config shellcheck
	# packaging: dkms builds the module for each kernel (vm/packaging.sh)
	dkms
	# the VM and what runs in it
	qemu-system-x86 busybox-static iproute2 iputils-ping tcpdump ethtool
	procps jq
	# drop_trace.sh: perf record of the drop tracepoint
	linux-perf
	# libvirt_hook.sh: libvirt's own domain XML validator, and xmllint,
	# which it (and the hook) runs
	libvirt-clients libxml2-utils
	# make bench: the Open vSwitch kernel datapath's ovs-dpctl, and TCP
	openvswitch-switch iperf3
	# the tool, and YNL
	libmnl-dev python3-yaml python3-jsonschema
)

as_root()
{
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	else
		sudo "$@"
	fi
}

missing=()
for pkg in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
		grep -q 'install ok installed' || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "setup: all packages present"
	exit 0
fi

echo "setup: installing ${missing[*]}"
as_root apt-get update -q
as_root env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -q --no-install-recommends "${missing[@]}"

# SPDX-License-Identifier: GPL-2.0
#
# nestsw: build the module and the tool, run the tests.
#
#   make              module for every kernel with headers, and the tool
#   make setup        install packages (Debian 12; root or sudo)
#   make demo         set up, boot a VM, run the seed lab (selftests/demo/seed_lab.sh)
#   make unit         the tool's unit tests (no kernel, no VM; part of static)
#   make check        set up, static checks, every selftest on each of KVERS
#   make guest-kernel  the tiny kernel of the VM that selftests/qemu_tap.sh
#                     runs inside the test VM (cached; make check builds it)
#   make bench        per-packet cost against the bridge and OVS, in a VM
#                     per kernel of BENCH_KVERS (default 6.12; not in check)
#   make install      the module for every kernel with headers (or KVERS=...),
#                     the tool, its man page and bash completion, the UAPI
#                     header, libvirt's qemu hook (in its hooks directory
#                     qemu.d); DESTDIR and PREFIX (/usr/local) honoured
#   make uninstall    removes what make install installed
#   make dkms-source  the module's sources in DESTDIR/usr/src/nestsw-VERSION,
#                     for "dkms install nestsw/VERSION" (README.md)
#
# KVERS picks kernels: "6.1", "6.12" (the /lib/modules entry of that
# release), a full release name, or "debug" (the debug kernel built from
# linux-source-6.1). Kbuild, not this file, is what "make -C KDIR M=$PWD"
# reads, as DKMS does.

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
TOP := $(CURDIR)
NESTSW_CACHE ?= /var/cache/nestsw
export NESTSW_CACHE

# Every kernel whose headers are installed.
INSTALLED_KVERS := $(notdir $(patsubst %/build,%,$(wildcard /lib/modules/*/build)))
KVERS ?= 6.1 6.12 debug
BENCH_KVERS ?= 6.12
TESTS ?=

# "6.1" -> "6.1.0-56-amd64"; full names and "debug" stay.
kver = $(if $(filter debug,$(1)),debug,$(or $(filter $(1),$(INSTALLED_KVERS)),$(firstword $(filter $(1).%,$(INSTALLED_KVERS)))))
kdir = $(if $(filter debug,$(1)),$(NESTSW_CACHE)/linux-debug,/lib/modules/$(1)/build)
# kver, or a stop naming what is missing (in recipes only: it is expanded
# when used)
need_kver = $(or $(call kver,$(1)),$(error no kernel headers for $(1) in /lib/modules; try make setup))

MODULE_SRCS := Kbuild $(wildcard kmod/*.c kmod/*.h kmod/Kbuild) uapi/linux/nestsw.h

.PHONY: all modules tool unit setup debug-kernel guest-kernel check static checkpatch spec demo \
	bench check-after-setup demo-after-setup bench-after-setup check-fresh \
	install install-modules install-header uninstall dkms-source clean FORCE

all: modules tool

modules: $(foreach k,$(INSTALLED_KVERS),build/$(k)/nestsw.ko)

# Each kernel builds in its own copy of the sources: kbuild writes objects
# next to them, and 6.1 has no separate output directory for M=. Sparse
# (C=1) runs where it is installed: always for make static (make setup
# installs it), not required on a lab host's make install.
SPARSE := $(if $(shell command -v sparse),C=1)
build/%/nestsw.ko: $(MODULE_SRCS) FORCE
	@rm -rf build/$*/src && mkdir -p build/$*/src
	@cp -r Kbuild kmod uapi build/$*/src/
	$(MAKE) -C $(call kdir,$*) M=$(TOP)/build/$*/src W=1 $(SPARSE) \
		2>&1 | tee build/$*/build.log
	@! grep -E 'warning:|error:' build/$*/build.log
	@cp build/$*/src/kmod/nestsw.ko $@

tool:
	$(MAKE) -C tools/nestsw

# The tool's unit tests (its configuration file reader), on the host.
unit:
	$(MAKE) -C tools/nestsw check

# The netlink fuzzer of selftests/nl_fuzz.sh, run in the VM from build/.
FUZZ_CFLAGS := -O2 -g -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter \
	-Wmissing-prototypes -Wstrict-prototypes -Iuapi
build/nl_fuzz: selftests/nl_fuzz.c uapi/linux/nestsw.h
	@mkdir -p build
	$(CC) $(FUZZ_CFLAGS) $(shell pkg-config --cflags libmnl) -o $@ $< \
		$(shell pkg-config --libs libmnl)

setup:
	bash selftests/vm/setup.sh

debug-kernel:
	bash selftests/vm/debug-kernel.sh

# The nested guest's kernel of selftests/qemu_tap.sh (tiny, from 6.1).
guest-kernel:
	bash selftests/vm/debug-kernel.sh guest

build/checkpatch/checkpatch.pl:
	@mkdir -p build/checkpatch
	tar -xf /usr/src/linux-source-6.1.tar.xz -C build/checkpatch \
		--strip-components=2 linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch

# checkpatch.pl finds spelling.txt and const_structs.checkpatch beside it.
CHECKPATCH = perl build/checkpatch/checkpatch.pl --strict --no-tree -q -f
# compat.h exists to test kernel versions.
COMPAT_IGNORE = --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON
# TRACE_EVENT()'s layout is the kernel's trace headers' own.
TRACE_IGNORE = --ignore OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT

# YNL (the generator and cli.py) and the genetlink schemas, from 6.12.
YNL_SRC := build/linux-6.12
$(YNL_SRC)/tools/net/ynl/cli.py:
	@mkdir -p $(YNL_SRC)
	tar -xf /usr/src/linux-source-6.12.tar.xz -C $(YNL_SRC) \
		--strip-components=1 linux-source-6.12/tools/net/ynl \
		linux-source-6.12/Documentation/netlink
	@touch $(YNL_SRC)/MAINTAINERS	# ynl-gen-c.py looks for the tree's root

spec: $(YNL_SRC)/tools/net/ynl/cli.py
	/usr/bin/python3 selftests/spec_check.py $(YNL_SRC)

checkpatch: build/checkpatch/checkpatch.pl
	$(CHECKPATCH) $(filter-out kmod/compat.h kmod/nsw_trace.h,$(wildcard kmod/*.[ch])) \
		uapi/linux/nestsw.h $(wildcard tools/nestsw/*.[ch])
	$(CHECKPATCH) $(COMPAT_IGNORE) kmod/compat.h
	$(CHECKPATCH) $(TRACE_IGNORE) kmod/nsw_trace.h

# Zero warnings from W=1, sparse, checkpatch, the tool's -Werror and
# shellcheck; the tool's unit tests pass; the netlink spec valid and
# matching the UAPI header and the tool's tables of attribute names.
static: checkpatch spec tool unit build/nl_fuzz $(foreach k,$(INSTALLED_KVERS),build/$(k)/nestsw.ko)
	@test -n "$(SPARSE)" || { echo "static: sparse is not installed (make setup)"; exit 1; }
	shellcheck -x selftests/*.sh selftests/vm/*.sh selftests/bench/*.sh .ci/run \
		tools/nestsw/nestsw-boot tools/nestsw/tests/*.sh tools/nestsw/qemu-ifup \
		tools/nestsw/qemu-ifdown tools/nestsw/nestsw-tap.sh tools/nestsw/libvirt-qemu-hook
	shellcheck -s bash tools/nestsw/nestsw.bash-completion

# check, demo and bench need what make setup installs, and this make read
# /lib/modules (INSTALLED_KVERS) before setup ran: each runs setup, then a
# new make that reads the kernels installed by then.
check demo bench: setup
	@$(MAKE) --no-print-directory $@-after-setup

check-after-setup:
	bash selftests/vm/check.sh $(KVERS)

demo-after-setup: tool
	@$(MAKE) --no-print-directory build/$(call need_kver,6.1)/nestsw.ko
	bash selftests/vm/run.sh -k $(call need_kver,6.1) -- bash selftests/demo/seed_lab.sh

# Results: build/bench/results.json and results.md (selftests/bench/).
bench-after-setup: tool
	@$(MAKE) --no-print-directory $(foreach k,$(BENCH_KVERS),build/$(call need_kver,$(k))/nestsw.ko)
	bash selftests/bench/bench.sh $(foreach k,$(BENCH_KVERS),$(call need_kver,$(k)))

# The fresh-machine replay (not part of check): README's two commands in a
# debootstrapped Debian 12 root, from a clone of HEAD (selftests/vm/fresh.sh).
check-fresh:
	bash selftests/vm/fresh.sh

# Installing. VERSION is dkms.conf's. The module goes to
# /lib/modules/KVER/updates (depmod prefers it to any in-tree one), for the
# kernels of KVERS (release names or 6.1/6.12), default every kernel with
# headers; depmod runs on DESTDIR's tree.
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
PREFIX ?= /usr/local
INCLUDEDIR ?= $(PREFIX)/include
DEPMOD ?= depmod
INSTALL ?= install
TOOL_MAKE = $(MAKE) -C tools/nestsw DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) VERSION=$(VERSION)
INSTALL_KVERS := $(if $(filter command line environment,$(origin KVERS)),$(foreach k,$(KVERS),$(call kver,$(k))),$(INSTALLED_KVERS))
INSTALL_KVERS := $(filter-out debug,$(INSTALL_KVERS))
moddir = $(DESTDIR)/lib/modules/$(1)/updates
DKMS_SOURCES := dkms.conf Kbuild $(wildcard kmod/*.c kmod/*.h) kmod/Kbuild \
	uapi/linux/nestsw.h

install: install-modules install-header
	$(TOOL_MAKE) install

install-modules: $(foreach k,$(INSTALL_KVERS),build/$(k)/nestsw.ko)
	$(foreach k,$(INSTALL_KVERS),\
		$(INSTALL) -D -m 0644 build/$(k)/nestsw.ko $(call moddir,$(k))/nestsw.ko && \
		$(DEPMOD) -b "$(or $(DESTDIR),/)" $(k);)

install-header:
	$(INSTALL) -D -m 0644 uapi/linux/nestsw.h $(DESTDIR)$(INCLUDEDIR)/linux/nestsw.h

# Every kernel's copy goes; depmod runs again on a real modules tree, and a
# DESTDIR tree that held nothing else loses depmod's index files too.
uninstall:
	for ko in $(DESTDIR)/lib/modules/*/updates/nestsw.ko; do \
		[ -e "$$ko" ] || continue; \
		dir=$${ko%/updates/nestsw.ko}; rm -f "$$ko"; \
		if [ -d "$$dir/kernel" ]; then \
			$(DEPMOD) -b "$(or $(DESTDIR),/)" "$${dir##*/}" || exit; \
		else \
			rm -f "$$dir"/modules.*; \
		fi; \
	done
	rm -f $(DESTDIR)$(INCLUDEDIR)/linux/nestsw.h
	$(TOOL_MAKE) uninstall

dkms-source:
	@rm -rf $(DESTDIR)/usr/src/nestsw-$(VERSION)
	$(foreach f,$(DKMS_SOURCES),\
		$(INSTALL) -D -m 0644 $(f) $(DESTDIR)/usr/src/nestsw-$(VERSION)/$(f) &&) true

clean:
	rm -rf build
	$(MAKE) -C tools/nestsw clean

# SPDX-License-Identifier: MIT
# Tessera top-level Makefile. `make run` boots x86_64 with 4 vCPUs; `make test` runs every test.
# Objects go to build/$(ARCH)/; each directory lists its objects in a build.mk fragment.

ARCH	?= x86_64
SMP	?= 4
MEM	?= 512M
CMDLINE	?=
QEMU_EXTRA ?=
# The virtio transport of the virtio-rng device `make run` attaches (scripts/qemu-$(ARCH).sh):
# pci|pci-legacy|mmio|mmio-legacy|none; `default` is pci on x86_64, mmio on riscv64 virt.
VIRTIO	?= default
# `make run` attaches a virtio-balloon device on that transport (on|off) and opens a QMP
# socket, which `make balloon [TARGET=256M]` talks to from another terminal.
BALLOON	?= on
QMP	?= build/$(ARCH)/qmp.sock
V	?= 0

ifeq ($(ARCH),x86_64)
MACHINE	?= pc
CROSS	?=
else ifeq ($(ARCH),riscv64)
MACHINE	?= virt
CROSS	?= riscv64-unknown-elf-
else
$(error ARCH must be x86_64 or riscv64, not '$(ARCH)')
endif

ifeq ($(V),1)
Q :=
else
Q := @
endif

CC	:= $(CROSS)gcc
LD	:= $(CROSS)ld
OBJCOPY	:= $(CROSS)objcopy
OBJDUMP	:= $(CROSS)objdump
NM	:= $(CROSS)nm

B	:= build/$(ARCH)
# The compiler's own helpers (popcount, 128-bit division...) that it may call freestanding.
LIBGCC	= $(shell $(CC) $(CFLAGS) $(ARCH_CFLAGS) -print-libgcc-file-name 2>/dev/null)

CFLAGS	:= -std=gnu11 -ffreestanding -nostdlib -fno-common -fno-omit-frame-pointer \
	   -fno-stack-protector -fno-pic -fno-pie -fno-strict-aliasing -g -O2 \
	   -Wall -Wextra -Werror -Wno-unused-parameter -Wmissing-prototypes -Wshadow \
	   -I. -Iarch/$(ARCH)/include -MMD -MP -DARCH_$(ARCH)=1
ASFLAGS	:= -D__ASSEMBLY__
LDFLAGS	:= -nostdlib -static -z max-page-size=0x1000 --no-warn-rwx-segments

obj-y	:=
obj-x86_64 :=
obj-riscv64 :=
include kernel/build.mk kernel/lib/build.mk kernel/tests/build.mk mm/build.mk drivers/build.mk \
	tests/build/build.mk \
	boot/build.mk arch/$(ARCH)/build.mk
OBJS	:= $(addprefix $(B)/,$(obj-y) $(obj-$(ARCH)))

KERNEL	:= $(B)/kernel.elf
.DEFAULT_GOAL := all

# Arch-specific images (ARCH_IMAGE, ARCH_CFLAGS, ARCH_LDFLAGS), read before any rule uses them.
include arch/$(ARCH)/image.mk

.PHONY: all run test bench debug iso image clean compdb deps check-deps fuzz stress check help \
	qemu-check compare compare-deps balloon
all: check-deps $(KERNEL) $(ARCH_IMAGE)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) $(ARCH_CFLAGS) -c $< -o $@

$(B)/%.o: %.S
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(CFLAGS) $(ARCH_CFLAGS) $(ASFLAGS) -c $< -o $@

$(KERNEL): $(OBJS) linker/$(ARCH).ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD) $(LDFLAGS) $(ARCH_LDFLAGS) -T linker/$(ARCH).ld -o $@ $(OBJS) $(LIBGCC)
	$(Q)$(OBJDUMP) -d -S $@ > $(B)/kernel.asm
	$(Q)$(NM) -n $@ > $(B)/kernel.sym

-include $(OBJS:.o=.d)

# One script per arch owns the QEMU command line; the tests call the same script.
QEMU_ENV = KERNEL_DIR=$(B) SMP=$(SMP) MEM=$(MEM) MACHINE=$(MACHINE) CMDLINE='$(CMDLINE)' \
	   QEMU_EXTRA='$(QEMU_EXTRA)' VIRTIO='$(VIRTIO)' BALLOON='$(BALLOON)' QMP='$(QMP)'

# MACHINE, SMP, MEM and VIRTIO are checked first, so a value that cannot boot stops here with
# the limits instead of hanging in the firmware; the limits are stated in scripts/qemu-$(ARCH).sh.
qemu-check:
	$(Q)$(QEMU_ENV) scripts/qemu-$(ARCH).sh --check

run: qemu-check all
	$(Q)$(QEMU_ENV) scripts/qemu-$(ARCH).sh

debug: qemu-check all
	@echo "QEMU waits for gdb on :1234. In another terminal:"
	@echo "  gdb-multiarch $(KERNEL) -ex 'target remote :1234'"
	$(Q)$(QEMU_ENV) GDB=1 scripts/qemu-$(ARCH).sh

iso image: all $(ARCH_IMAGE) $(ARCH_BOOT_FILES)

.PHONY: FORCE
FORCE:

# The balloon of a running `make run` (same ARCH): TARGET=256M moves it, none shows the
# guest's statistics (scripts/balloon.py).
balloon:
	$(Q)scripts/balloon.py --qmp '$(QMP)' $(TARGET)

# Every Debian package the project needs; installed when a tool is missing.
deps:
	$(Q)scripts/deps.sh install

check-deps:
	$(Q)scripts/deps.sh check $(ARCH)

test: check-deps
	$(Q)tests/run.sh

bench: check-deps
	$(Q)scripts/deps.sh check bench
	$(Q)tests/bench/run.sh

# Linux 6.1 next to Tessera under the same QEMU (tests/compare/compare.py; COMPARE_RUNS=3).
# compare-deps fetches Debian's kernel, headers and busybox-static into build/compare/root.
compare-deps:
	$(Q)tests/compare/deps.sh

compare: check-deps compare-deps
	$(Q)tests/compare/compare.py

stress: check-deps
	$(Q)tests/run.sh --stress

fuzz: check-deps
	$(Q)$(MAKE) -s -C tests/host fuzz FUZZ_SECONDS=$${FUZZ_SECONDS:-60}

check: check-deps
	$(Q)$(MAKE) -s ARCH=x86_64 all && $(MAKE) -s ARCH=riscv64 all

compdb:
	$(Q)$(MAKE) -s clean ARCH=$(ARCH) >/dev/null
	$(Q)command -v bear >/dev/null || scripts/deps.sh install
	$(Q)bear -- $(MAKE) -s ARCH=$(ARCH) all

# build/compare/root is kept: it is Debian's Linux that make compare-deps downloaded, not a build.
clean:
	rm -rf $(filter-out build/compare,$(wildcard build/*)) \
		$(filter-out build/compare/root,$(wildcard build/compare/*))

help:
	@echo "make [ARCH=x86_64|riscv64] [SMP=n] [MEM=size] [MACHINE=pc|q35|virt|sifive_u]"
	@echo "     [VIRTIO=pci|pci-legacy|mmio|mmio-legacy|none] [BALLOON=on|off] [QMP=sock]"
	@echo "     [CMDLINE='...'] [QEMU_EXTRA='...'] all|run|debug|test|bench|compare|compare-deps|stress|fuzz|clean|compdb|deps"
	@echo "make balloon [ARCH=..] [TARGET=256M]   move (or show) a running make run's balloon"

# SPDX-License-Identifier: MIT
# x86_64: compiler flags for the kernel and the GRUB ISO (build/x86_64/tessera.iso) with
# CMDLINE baked into its grub.cfg.

# -mcmodel=kernel: the image lives in the top 2 GiB, so addresses are sign-extended 32-bit
#   immediates. -mno-red-zone: interrupts push onto the kernel stack below RSP, which would
#   overwrite a leaf function's red zone. -mgeneral-regs-only: no SSE/MMX/x87 code, so the
#   kernel never has to save FPU state. No unwind tables: backtraces use frame pointers.
ARCH_CFLAGS := -m64 -mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
	       -fno-asynchronous-unwind-tables -fno-unwind-tables
ARCH_LDFLAGS := -m elf_x86_64 --build-id=none

ARCH_IMAGE := $(B)/tessera.iso
CMDLINE_STAMP := $(B)/cmdline.stamp

# The stamp holds the CMDLINE the ISO was built with and is rewritten only when CMDLINE
# changes, so a new command line rebuilds the ISO and an unchanged one does not.
cmdline_sq := $(subst ','\'',$(CMDLINE))
$(shell mkdir -p $(B) && { [ -f $(CMDLINE_STAMP) ] && \
	[ "$$(cat $(CMDLINE_STAMP))" = '$(cmdline_sq)' ]; } || \
	printf '%s' '$(cmdline_sq)' > $(CMDLINE_STAMP))


$(ARCH_IMAGE): $(KERNEL) boot/grub.cfg.in scripts/mkiso.sh $(CMDLINE_STAMP)
	@$(if $(Q),echo "  ISO     $@")
	$(Q)scripts/mkiso.sh $(KERNEL) $@ "$$(cat $(CMDLINE_STAMP))"

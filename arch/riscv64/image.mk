# riscv64 build flags and the boot image.
#
# The kernel runs in S-mode with translation off and no FPU: rv64imac plus the CSR and
# fence.i instructions (split out of the base ISA in 2019; gcc 12 wants them named).
# -mcmodel=medany: every symbol is reached PC-relatively (auipc), so code runs at any
# address; -mno-relax keeps the linker from rewriting those sequences (we set no gp).
ARCH_CFLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -mno-relax
# --emit-relocs keeps the relocation records in kernel.elf: tools/relocs.py reads them to
# list the absolute addresses head.S adjusts when the Image is loaded elsewhere.
ARCH_LDFLAGS := --emit-relocs --no-relax

# build/riscv64/Image: kernel.elf's loadable bytes from _start (what QEMU -kernel and
# U-Boot booti load), with the relocation table filled in.
ARCH_IMAGE := $(B)/Image

$(B)/Image: $(KERNEL) arch/riscv64/tools/relocs.py
	@$(if $(Q),echo "  IMAGE   $@")
	$(Q)$(OBJCOPY) -O binary $< $@.tmp
	$(Q)python3 arch/riscv64/tools/relocs.py $< $@.tmp
	$(Q)mv $@.tmp $@

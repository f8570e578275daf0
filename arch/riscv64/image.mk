# riscv64 build flags, the boot image and the board files (make image; mkimage and mtools
# come from scripts/deps.sh like every other tool).
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

# make image: the Image plus what a board's SD card needs beside it. boot.scr is
# boot/boot.cmd with CMDLINE as its bootargs and FDTFILE as the tree file to load when the
# board's U-Boot names none (scripts/mkbootscr.sh, mkimage -T script);
# boot.img is a 32 MiB disk image with both on a FAT partition, ready to dd to a card or to
# try in QEMU (docs/boards.md). Both are made again every time: CMDLINE may have changed.
ARCH_BOOT_FILES := $(B)/boot.scr $(B)/boot.img

$(B)/boot.scr: boot/boot.cmd scripts/mkbootscr.sh FORCE
	@$(if $(Q),echo "  MKIMAGE $@")
	$(Q)scripts/mkbootscr.sh $@ '$(CMDLINE)' '$(FDTFILE)'

$(B)/boot.img: $(B)/Image $(B)/boot.scr scripts/mkbootdisk.sh FORCE
	@$(if $(Q),echo "  DISK    $@")
	$(Q)scripts/mkbootdisk.sh $@ $(B)/Image $(B)/boot.scr

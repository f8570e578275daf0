# arch/riscv64/: entry, traps, SBI, console selection, SMP start and IPIs, the tick, and
# the arch_* hooks.
obj-riscv64 += arch/riscv64/head.o arch/riscv64/trap.o arch/riscv64/traps.o \
	       arch/riscv64/setup.o arch/riscv64/cpu.o arch/riscv64/power.o \
	       arch/riscv64/sbi.o arch/riscv64/console.o \
	       arch/riscv64/libgcc.o arch/riscv64/riscv_test.o \
	       arch/riscv64/smp.o arch/riscv64/timer.o
# CPU hotplug: SBI HSM hart_stop and its confirmation.
obj-riscv64 += arch/riscv64/hotplug.o
# Device interrupts: the PLIC, and the arch.h hooks (no MSI without an IMSIC).
obj-riscv64 += arch/riscv64/irq.o arch/riscv64/plic.o
# Sv39 page tables (identity map, section permissions, guard pages) and ioremap on them.
obj-riscv64 += arch/riscv64/mm.o arch/riscv64/ioremap.o

# kernel/: start_kernel, printk, panic, cmdline, consoles, spinlocks, ktest.
obj-y += kernel/main.o kernel/shell.o kernel/printk.o kernel/panic.o kernel/cmdline.o kernel/console.o \
	 kernel/spinlock.o kernel/ktest.o kernel/boot_info.o
# SMP: per-CPU areas, cross-CPU calls, lock statistics, benchmarks (issue 4).
obj-y += kernel/percpu.o kernel/smp.o kernel/lockstat.o kernel/bench.o \
	 kernel/benchmarks/ipi_bench.o kernel/benchmarks/lock_bench.o

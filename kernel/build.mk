# kernel/: start_kernel, printk, panic, cmdline, consoles, spinlocks, ktest, the shell.
obj-y += kernel/main.o kernel/shell.o kernel/printk.o kernel/panic.o kernel/cmdline.o kernel/console.o \
	 kernel/spinlock.o kernel/ktest.o kernel/namelist.o kernel/boot_info.o kernel/readline.o
# SMP: per-CPU areas, cross-CPU calls, the idle loop, the tick, lock statistics, benchmarks.
obj-y += kernel/idle.o kernel/tick.o kernel/percpu.o kernel/smp.o kernel/lockstat.o kernel/bench.o kernel/bench_table.o \
	 kernel/benchmarks/ipi_bench.o kernel/benchmarks/lock_bench.o
# Deferred work: per-CPU work lists run by the idle loop, delayed work on the tick.
obj-y += kernel/workqueue.o kernel/cmds/workqueue.o
# Tracing, and the shell's commands for kernel/ (mm's are in mm/cmds/).
obj-y += kernel/trace.o kernel/cmds/cpus.o kernel/cmds/lockstat.o kernel/cmds/trace.o \
	 kernel/cmds/ktest.o kernel/cmds/bench.o kernel/cmds/power.o
# CPU hotplug: the state machine and `cpu offline|online N`.
obj-y += kernel/cpuhp.o kernel/cmds/cpu_hotplug.o
# NUMA discovery: the sanitised node description (kernel/numa.c), built at boot, and `numa`.
obj-y += kernel/numa.o kernel/numa_boot.o kernel/cmds/numa.o
# Device interrupts: descriptors, request/free, affinity, the hotplug step, `interrupts`.
obj-y += kernel/irq.o kernel/cmds/interrupts.o

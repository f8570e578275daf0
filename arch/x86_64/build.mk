# arch/x86_64/: entry, traps, per-CPU base, TSC, power, direct map, local APIC, AP start
# (DESIGN.md 3).
obj-x86_64 += arch/x86_64/head.o arch/x86_64/entry.o arch/x86_64/setup.o \
	      arch/x86_64/cpu_local.o arch/x86_64/gdt.o arch/x86_64/traps.o \
	      arch/x86_64/stacktrace.o arch/x86_64/i8259.o arch/x86_64/irq.o \
	      arch/x86_64/tsc.o arch/x86_64/power.o arch/x86_64/console.o arch/x86_64/mm.o \
	      arch/x86_64/libgcc.o arch/x86_64/apic.o arch/x86_64/smpboot.o \
	      arch/x86_64/trampoline.o
# CPU hotplug: parking a CPU and letting it go.
obj-x86_64 += arch/x86_64/hotplug.o

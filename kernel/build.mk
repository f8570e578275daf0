# kernel/: start_kernel, printk, panic, cmdline, consoles, spinlocks, ktest.
obj-y += kernel/main.o kernel/shell.o kernel/printk.o kernel/panic.o kernel/cmdline.o kernel/console.o \
	 kernel/spinlock.o kernel/ktest.o kernel/boot_info.o

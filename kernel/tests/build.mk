# kernel/tests/: in-kernel ktest suites for kernel/ itself.
obj-y += kernel/tests/kernel_test.o
obj-y += kernel/tests/smp_test.o kernel/tests/lock_test.o
obj-y += kernel/tests/trace_test.o
obj-y += kernel/tests/irq_test.o
obj-y += kernel/tests/workqueue_test.o
obj-y += kernel/tests/numa_test.o

# kernel/tests/: in-kernel ktest suites for kernel/ itself.
obj-y += kernel/tests/kernel_test.o

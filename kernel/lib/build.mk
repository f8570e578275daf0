# kernel/lib/: freestanding string and formatting helpers.
obj-y += kernel/lib/string.o kernel/lib/kstrtox.o kernel/lib/vsnprintf.o

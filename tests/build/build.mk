# tests/build/: compile-only checks of the arch boundary.
obj-y += tests/build/asm-headers.o

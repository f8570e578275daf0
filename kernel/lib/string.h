/* SPDX-License-Identifier: MIT */
/* The C string and memory functions the kernel needs (kernel/lib/string.c). */
#ifndef KERNEL_LIB_STRING_H
#define KERNEL_LIB_STRING_H

#include "kernel/compiler.h"

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
size_t strlcpy(char *dst, const char *src, size_t size);
/* kernel/lib/kstrtox.c. Parse an unsigned number (base 0: 0x/0 prefixes); *end past the digits. */
unsigned long long simple_strtoull(const char *s, const char **end, unsigned int base);
long long simple_strtoll(const char *s, const char **end, unsigned int base);
/* Parse a size with K/M/G/T suffix ("512M"). *end past the suffix. */
unsigned long long memparse(const char *s, const char **end);
/* Is `name` one of the comma-separated words of `list` ("mm,smp")? */
bool strlist_has(const char *list, const char *name);

#endif /* KERNEL_LIB_STRING_H */

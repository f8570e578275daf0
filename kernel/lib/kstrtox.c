// SPDX-License-Identifier: MIT
/*
 * Number parsing for the command line and the shell: simple_strtoull() with C's base
 * prefixes, memparse() with K/M/G/T suffixes, and strlist_has() for "a,b,c" name lists.
 * Kept apart from string.c so the host tests link this file itself rather than a copy
 * (string.c's memset/memcpy would clash with the C library there).
 */
#include "kernel/lib/string.h"

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

unsigned long long simple_strtoull(const char *s, const char **end, unsigned int base)
{
	unsigned long long v = 0;

	if (base == 0) {
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16) {
			base = 16;
			s += 2;
		} else if (s[0] == '0' && s[1] >= '0' && s[1] <= '7') {
			base = 8;
			s++;
		} else {
			base = 10;
		}
	} else if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
	}
	for (int d; (d = digit_value(*s)) < (int)base; s++)
		v = v * base + d;
	if (end)
		*end = s;
	return v;
}

long long simple_strtoll(const char *s, const char **end, unsigned int base)
{
	if (*s == '-')
		return -(long long)simple_strtoull(s + 1, end, base);
	return (long long)simple_strtoull(s, end, base);
}

unsigned long long memparse(const char *s, const char **end)
{
	const char *e;
	unsigned long long v = simple_strtoull(s, &e, 0);

	switch (*e) {
	case 'T': case 't':
		v <<= 10;
		/* fall through */
	case 'G': case 'g':
		v <<= 10;
		/* fall through */
	case 'M': case 'm':
		v <<= 10;
		/* fall through */
	case 'K': case 'k':
		v <<= 10;
		e++;
		break;
	default:
		break;
	}
	if (end)
		*end = e;
	return v;
}

bool strlist_has(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && strncmp(p, name, n) == 0)
			return true;
		if (!e)
			break;
		p = e + 1;
	}
	return false;
}

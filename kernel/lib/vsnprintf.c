// SPDX-License-Identifier: MIT
/*
 * vsnprintf: the kernel's formatter. Supports the flags "-0+ #", width and precision (also
 * "*"), the length modifiers hh h l ll z t j, and %d %i %u %x %X %o %c %s %p %%.
 * %p prints a pointer as 0x followed by 16 hex digits. Output is always NUL-terminated when
 * size > 0; the return value is the length the full output would have had (C99).
 */
#include "kernel/printk.h"
#include "kernel/lib/string.h"

struct outbuf {
	char *buf;
	size_t size;
	size_t len;	/* characters produced so far, stored or not */
};

static void put(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

#define F_LEFT	1
#define F_ZERO	2
#define F_PLUS	4
#define F_SPACE	8
#define F_ALT	16
#define F_UPPER	32

static void put_number(struct outbuf *o, unsigned long long v, bool neg, unsigned int base,
		       int flags, int width, int prec)
{
	const char *digits = (flags & F_UPPER) ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, pad;
	char sign = 0;
	const char *prefix = "";

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (prec == 0 && n == 1 && tmp[0] == '0')
		n = 0;		/* "%.0d" of 0 prints nothing, as C says */
	if (neg)
		sign = '-';
	else if (flags & F_PLUS)
		sign = '+';
	else if (flags & F_SPACE)
		sign = ' ';
	if ((flags & F_ALT) && base == 16)
		prefix = (flags & F_UPPER) ? "0X" : "0x";
	else if ((flags & F_ALT) && base == 8)
		prefix = "0";

	int ndigits = prec > n ? prec : n;
	int total = ndigits + (sign != 0) + (int)strlen(prefix);

	pad = width > total ? width - total : 0;
	if (prec >= 0)
		flags &= ~F_ZERO;	/* a precision overrides zero padding */
	if (!(flags & (F_LEFT | F_ZERO)))
		for (; pad > 0; pad--)
			put(o, ' ');
	if (sign)
		put(o, sign);
	for (const char *p = prefix; *p; p++)
		put(o, *p);
	if (flags & F_ZERO)
		for (; pad > 0; pad--)
			put(o, '0');
	for (int i = n; i < ndigits; i++)
		put(o, '0');
	while (n)
		put(o, tmp[--n]);
	for (; pad > 0; pad--)
		put(o, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		int flags = 0, width = 0, prec = -1, lng = 0;

		for (;; fmt++) {	/* flags */
			char c = fmt[1];

			if (c == '-')
				flags |= F_LEFT;
			else if (c == '0')
				flags |= F_ZERO;
			else if (c == '+')
				flags |= F_PLUS;
			else if (c == ' ')
				flags |= F_SPACE;
			else if (c == '#')
				flags |= F_ALT;
			else
				break;
		}
		fmt++;
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= F_LEFT;
				width = -width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				width = width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					prec = prec * 10 + (*fmt++ - '0');
			}
		}
		/* Length: 0 int, 1 long, 2 long long, -1 short, -2 char. */
		for (;; fmt++) {
			if (*fmt == 'l')
				lng++;
			else if (*fmt == 'h')
				lng--;
			else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j')
				lng = 2;
			else
				break;
		}
		unsigned long long uv;
		long long sv;

		switch (*fmt) {
		case 'd':
		case 'i':
			if (lng >= 2)
				sv = va_arg(ap, long long);
			else if (lng == 1)
				sv = va_arg(ap, long);
			else
				sv = va_arg(ap, int);
			if (lng == -1)
				sv = (short)sv;
			else if (lng <= -2)
				sv = (signed char)sv;
			put_number(&o, sv < 0 ? -(unsigned long long)sv : (unsigned long long)sv,
				   sv < 0, 10, flags, width, prec);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			if (lng >= 2)
				uv = va_arg(ap, unsigned long long);
			else if (lng == 1)
				uv = va_arg(ap, unsigned long);
			else
				uv = va_arg(ap, unsigned int);
			if (lng == -1)
				uv = (unsigned short)uv;
			else if (lng <= -2)
				uv = (unsigned char)uv;
			if (*fmt == 'X')
				flags |= F_UPPER;
			put_number(&o, uv, false,
				   *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16,
				   flags & ~(F_PLUS | F_SPACE), width, prec);
			break;
		case 'p':
			uv = (uintptr_t)va_arg(ap, void *);
			put_number(&o, uv, false, 16, F_ALT | F_ZERO, 18, -1);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);
			int pad = width > 1 ? width - 1 : 0;

			if (!(flags & F_LEFT))
				for (; pad > 0; pad--)
					put(&o, ' ');
			put(&o, c);
			for (; pad > 0; pad--)
				put(&o, ' ');
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);

			if (!s)
				s = "(null)";
			int len = (int)strnlen(s, prec >= 0 ? (size_t)prec : (size_t)-1);
			int pad = width > len ? width - len : 0;

			if (!(flags & F_LEFT))
				for (; pad > 0; pad--)
					put(&o, ' ');
			for (int i = 0; i < len; i++)
				put(&o, s[i]);
			for (; pad > 0; pad--)
				put(&o, ' ');
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;	/* a lone '%' at the end: stop at the NUL */
			break;
		default:
			/* Unknown conversion: print it as written, so the bug is visible. */
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

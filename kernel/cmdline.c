// SPDX-License-Identifier: MIT
/*
 * Command-line parsing. The line is scanned afresh for each lookup: it is short, lookups
 * happen a handful of times at boot, and there is then no parsed copy to keep in sync.
 */
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"
#include "kernel/boot_info.h"

static char cmdline[BOOT_CMDLINE_MAX];	/* (m) then (c) */

void cmdline_init(const char *line)
{
	strlcpy(cmdline, line ? line : "", sizeof(cmdline));
}

const char *cmdline_raw(void)
{
	return cmdline;
}

/*
 * Walk the words of `line`. For each, set key/keylen and the value span (val/vallen, quotes
 * stripped; val NULL for a bare key). Returns the position after the word, or NULL at the end.
 */
static const char *next_word(const char *p, const char **key, size_t *keylen,
			     const char **val, size_t *vallen)
{
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (!*p)
		return NULL;
	*key = p;
	while (*p && *p != '=' && *p != ' ' && *p != '\t' && *p != '\n')
		p++;
	*keylen = p - *key;
	*val = NULL;
	*vallen = 0;
	if (*p != '=')
		return p;
	p++;
	if (*p == '"') {
		/* A quoted value runs to the closing quote (or the end if it is missing). */
		*val = ++p;
		while (*p && *p != '"')
			p++;
		*vallen = p - *val;
		if (*p == '"')
			p++;
	} else {
		*val = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
		*vallen = p - *val;
	}
	return p;
}

bool cmdline_find(const char *line, const char *key, char *buf, size_t len)
{
	const char *k, *v, *p = line;
	size_t kl, vl, want = strlen(key);
	bool found = false;

	while ((p = next_word(p, &k, &kl, &v, &vl))) {
		if (kl != want || strncmp(k, key, kl) != 0)
			continue;
		found = true;	/* keep going: the last occurrence wins */
		if (buf && len) {
			size_t n = v ? (vl < len - 1 ? vl : len - 1) : 0;

			memcpy(buf, v ? v : "", n);
			buf[n] = '\0';
		}
	}
	return found;
}

bool cmdline_get(const char *key, char *buf, size_t len)
{
	return cmdline_find(cmdline, key, buf, len);
}

bool cmdline_has(const char *key)
{
	return cmdline_find(cmdline, key, NULL, 0);
}

bool cmdline_get_ulong(const char *key, unsigned long *v)
{
	char buf[32];
	const char *end;

	if (!cmdline_get(key, buf, sizeof(buf)) || !buf[0])
		return false;
	unsigned long long x = simple_strtoull(buf, &end, 0);

	if (*end) {
		pr_warn("cmdline: %s=%s is not a number, ignored\n", key, buf);
		return false;
	}
	*v = x;
	return true;
}

bool cmdline_get_size(const char *key, unsigned long long *v)
{
	char buf[32];
	const char *end;

	if (!cmdline_get(key, buf, sizeof(buf)) || !buf[0])
		return false;
	unsigned long long x = memparse(buf, &end);

	if (*end || end == buf) {
		pr_warn("cmdline: %s=%s is not a size (use K, M, G or T), ignored\n", key, buf);
		return false;
	}
	*v = x;
	return true;
}

// SPDX-License-Identifier: MIT
/*
 * Checking `ktest=` and `bench=` lists against their registries (see kernel/namelist.h).
 *
 * Locking: none; the registry is constant (c).
 */
#include "kernel/namelist.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"

static bool namelist_known(const struct namelist_registry *r, const char *p, size_t len)
{
	for (unsigned int i = 0; i < r->count; i++) {
		const char *name = r->name(i);

		if (strlen(name) == len && strncmp(name, p, len) == 0)
			return true;
	}
	return false;
}

int namelist_check(const char *spec, const struct namelist_registry *r)
{
	int unknown = 0;

	if (strcmp(spec, "all") == 0)
		return 0;
	for (const char *p = spec; *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len && !namelist_known(r, p, len)) {
			printk("# %s: no %s named '%.*s'\n", r->tag, r->one, (int)len, p);
			unknown++;
		}
		if (!e)
			break;
		p = e + 1;
	}
	if (unknown) {
		char names[256];
		size_t n = 0;

		for (unsigned int i = 0; i < r->count; i++)
			n += snprintf(names + n, n < sizeof(names) ? sizeof(names) - n : 0, " %s",
				      r->name(i));
		printk("# %s: nothing run; the %s are:%s (or all)\n", r->tag, r->all, names);
	}
	return unknown;
}

/* SPDX-License-Identifier: MIT */
/*
 * A list of names such as `ktest=mm,pcp` or `bench=ipi` checked against a registry (the
 * ktest suites, the benchmarks) before anything runs, so that a typo stops the run at once
 * instead of scrolling by at its end.
 *
 *	static const char *suite_name(unsigned int i) { return first_suite[i].name; }
 *	const struct namelist_registry suites = {
 *		.tag = "ktest", .one = "suite", .all = "suites", .count = n, .name = suite_name,
 *	};
 *	if (namelist_check(spec, &suites))	unknown names reported: run nothing
 *
 * Locking: none; the registry is constant (c).
 */
#ifndef KERNEL_NAMELIST_H
#define KERNEL_NAMELIST_H

/* What a namelist is checked against: @count entries, the i-th named name(i). */
struct namelist_registry {
	const char *tag;			/* message prefix: "# <tag>: " */
	const char *one;			/* one entry, for "no <one> named 'x'" */
	const char *all;			/* every entry, for "the <all> are: ..." */
	unsigned int count;
	const char *(*name)(unsigned int i);
};

/*
 * Check the comma-separated names in @spec ("all" matches everything) against @r. Each name
 * that matches no entry is reported ("# ktest: no suite named 'x'"); if there was one, the
 * entries that exist follow ("# ktest: nothing run; the suites are: a b (or all)").
 * Return: how many names matched nothing (0: the caller may run the list).
 * Context: any CPU.
 */
int namelist_check(const char *spec, const struct namelist_registry *r);

#endif /* KERNEL_NAMELIST_H */

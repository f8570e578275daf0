// SPDX-License-Identifier: MIT
/*
 * `trace`: the tracepoints (kernel/tracepoints.h) from the shell.
 *
 *	trace			what is on, ring size, records written
 *	trace events		every event, on or off, with its format
 *	trace on [EV...]	switch events on: names or prefixes ("zone_lock", "pcp"); none = all
 *	trace off [EV...]	switch them off; none = all
 *	trace clear		empty the rings
 *	trace dump [N]		print the records in ftrace's format, oldest first (newest N per CPU)
 *	trace mark [VALUE]	record a tracing_mark event, to find a point in the output
 *
 * "Which CPU held the zone lock longest, and who waited?": `trace on zone_lock
 * spinlock_contended_release`, run the load, `trace dump`: zone_lock_released lines carry
 * hold_ns and the waiters left queued, zone_lock_acquire_returned lines with contended=1 are
 * the waiters, with their wait_ns and CPU.
 *
 * Locking: see kernel/trace.h. Boot CPU (the shell).
 */
#include "kernel/shell.h"
#include "kernel/trace.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"

static void trace_status(void)
{
	u64 written, in_buf;
	unsigned int on = 0;

	for (unsigned int i = 0; i < NR_TRACE_EVENTS; i++)
		on += trace_event_enabled(i);
	trace_counts(&written, &in_buf);
	printk("trace: %u of %u events on; %lu records per CPU; %llu written, %llu in the rings\n",
	       on, (unsigned int)NR_TRACE_EVENTS, trace_ring_size(),
	       (unsigned long long)written, (unsigned long long)in_buf);
}

static int trace_switch(int argc, char **argv, bool on)
{
	if (argc == 2) {
		if (on) {
			if (trace_set_events("all", true) < 0)
				return SHELL_EFAIL;
		} else {
			trace_all_off();
		}
		printk("trace: every event %s\n", on ? "on" : "off");
		return 0;
	}
	/* Check every name first, so that a typo switches nothing. */
	for (int i = 2; i < argc; i++) {
		bool found = false;

		for (unsigned int id = 0; id < NR_TRACE_EVENTS; id++) {
			const char *n = trace_event_name(id);
			size_t len = strlen(argv[i]);

			if (strcmp(n, argv[i]) == 0 ||
			    (strncmp(n, argv[i], len) == 0 && n[len] == '_') ||
			    strcmp(argv[i], "all") == 0)
				found = true;
		}
		if (!found) {
			printk("trace: no event or group '%s' ('trace events' lists them)\n",
			       argv[i]);
			return SHELL_EFAIL;
		}
	}
	for (int i = 2; i < argc; i++) {
		int n = trace_set_events(argv[i], on);

		if (n < 0)
			return SHELL_EFAIL;
		printk("trace: %s: %d event%s %s\n", argv[i], n, n == 1 ? "" : "s",
		       on ? "on" : "off");
	}
	return 0;
}

static int cmd_trace(int argc, char **argv)
{
	unsigned long n = 0;

	if (argc == 1) {
		trace_status();
		return 0;
	}
	if (strcmp(argv[1], "on") == 0)
		return trace_switch(argc, argv, true);
	if (strcmp(argv[1], "off") == 0)
		return trace_switch(argc, argv, false);
	if (strcmp(argv[1], "events") == 0 && argc == 2) {
		for (unsigned int id = 0; id < NR_TRACE_EVENTS; id++)
			printk("  %-3s %-28s %s\n", trace_event_enabled(id) ? "on" : "off",
			       trace_event_name(id), trace_event_format(id));
		return 0;
	}
	if (strcmp(argv[1], "clear") == 0 && argc == 2) {
		trace_clear();
		printk("trace: cleared\n");
		return 0;
	}
	if (strcmp(argv[1], "dump") == 0 && argc <= 3) {
		if (argc == 3 && !shell_parse_ulong(argv[2], ~0UL, &n))
			return SHELL_EUSAGE;
		trace_print(n);
		return 0;
	}
	if (strcmp(argv[1], "mark") == 0 && argc <= 3) {
		if (argc == 3 && !shell_parse_ulong(argv[2], ~0UL, &n))
			return SHELL_EUSAGE;
		if (!trace_event_enabled(TRACE_tracing_mark))
			printk("trace: tracing_mark is off; nothing recorded\n");
		trace_tracing_mark(0, n);
		return 0;
	}
	return SHELL_EUSAGE;
}
SHELL_COMMAND_USAGE(trace, "[on|off|events|clear|dump|mark] ..",
		    "tracepoints: on/off [EVENT|GROUP..], events, clear, dump [N]", cmd_trace);

# mm/: the physical page allocator (DESIGN.md 4).
obj-y += mm/memblock.o mm/memblock_init.o mm/percpu.o mm/memmap.o mm/pageblock.o mm/buddy.o \
	 mm/isolation.o mm/page_alloc.o mm/watermark.o mm/debug.o mm/check.o mm/vmstat.o \
	 mm/show_mem.o mm/mm_init.o
# The allocator's OOM notifiers, balloon page bookkeeping, free page reporting (DESIGN.md 4.3).
obj-y += mm/oom_notify.o mm/balloon.o mm/page_reporting.o
# Movable pages and migration, compaction (DESIGN.md 4.3).
obj-y += mm/migrate.o mm/compaction.o
# External fragmentation indices per zone and order (`extfrag`, bench=compact).
obj-y += mm/extfrag.o
# Per-CPU pages: the lists, the free side, draining and hotplug, setup (DESIGN.md 4.1, 4.2).
obj-y += mm/pcp.o mm/pcp_remote.o mm/pcp_drain.o mm/pcp_setup.o
# mm's shell commands: the /proc views, alloc/free, pagemap; its columns in `cpus`.
obj-y += mm/cmds/show.o mm/cmds/alloc.o mm/cmds/pagemap.o mm/cmds/cpus.o mm/cmds/compact.o \
	 mm/cmds/extfrag.o
# mm's ktest suites (mm, pcp, hotplug, compact); bench=trace (the tracepoints' cost on the allocator's
# path), bench=balloon (the guest's side of a balloon batch), bench=pcp and bench=compact.
obj-y += mm/tests/mm_test.o mm/tests/pcp_test.o mm/tests/hotplug_test.o mm/tests/compact_test.o mm/bench/trace_bench.o \
	 mm/bench/balloon_bench.o \
	 mm/bench/pcp_bench.o \
	 mm/bench/compact_bench.o

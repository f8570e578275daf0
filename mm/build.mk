# mm/: the physical page allocator (see DESIGN.md 4).
obj-y += mm/memblock.o mm/memmap.o mm/pageblock.o mm/buddy.o mm/isolation.o mm/page_alloc.o \
	 mm/pcp.o mm/watermark.o mm/debug.o mm/check.o mm/vmstat.o mm/show_mem.o mm/mm_init.o
# In-kernel ktest suite `mm`.
obj-y += mm/tests/mm_test.o
# In-kernel ktest suite `pcp`, and the `bench=pcp` benchmark (kept here: the PCP issue owns it).
obj-y += mm/tests/pcp_test.o kernel/benchmarks/pcp_bench.o

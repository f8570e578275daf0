# mm/: the physical page allocator (see DESIGN.md 4).
obj-y +=

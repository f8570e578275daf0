// SPDX-License-Identifier: MIT
/*
 * SMP bring-up and cross-CPU function calls.
 *
 * Bring-up. smp_prepare_cpus() numbers the CPUs boot_info lists: the boot CPU is logical 0
 * whatever its hardware id, the others follow in firmware order. Enabled and online-capable
 * entries are possible, enabled ones present (at most `maxcpus=`; `nosmp` keeps CPU 0 only).
 * setup_per_cpu_areas() (mm/percpu.c) then gives each possible CPU a per-CPU area and each
 * present one a stack. smp_init() starts the present CPUs one at a time through
 * arch_cpu_start() and waits, bounded, for each to reach smp_secondary_init(). A CPU that is
 * late is abandoned: the boot state word below makes "comes online" and "given up on"
 * exclusive, so a straggler parks itself instead of joining a system that no longer counts it.
 *
 * Cross-CPU calls. Every CPU has a lock-free queue (an llist) of struct call_single_data.
 * A caller fills a csd, marks it LOCKed and pushes it on the target's queue; llist_add()
 * says whether the queue was empty, and only that transition sends an IPI: a CPU that is
 * already going to drain its queue needs no second interrupt. The target's IPI handler takes
 * the whole queue with one exchange and runs the calls oldest first. A csd's LOCK flag is
 * the handshake: the target clears it (release) after the callback for a waiting caller, or
 * before it for a fire-and-forget one, so the owner can reuse the csd even from inside the
 * callback.
 *
 *	CPU 1 (caller)				CPU 2 (target)
 *	csd.flags = LOCK|SYNC
 *	llist_add(&csd, q2) -> was empty
 *	arch_send_ipi(2)  --------------->	smp_ipi_handler()
 *	spin while csd.flags & LOCK		  list = llist_del_all(q2)
 *						  csd.func(csd.info)
 *	returns  <-----------------------	  csd.flags = 0 (release)
 *
 * Waiting calls use a csd on the caller's stack; fire-and-forget ones use the caller's
 * per-CPU csd for that target (one in flight per pair: a second call waits for the first)
 * or a csd the caller owns (smp_call_function_single_async()). Waits are bounded: after
 * smp_call_warn_ms the caller names the stuck CPU and the callback, after
 * smp_call_timeout_ms it panics (a stack csd cannot be abandoned). A caller that waits with
 * interrupts off drains its own queue as it spins, so two such CPUs calling each other still
 * make progress; it is a WARN all the same, because the rule is "wait only with IRQs on".
 *
 * Locking: the masks and hardware ids are (m) then (c); queues are (l: llist, any producer,
 * the owning CPU consumes); csd flags are (l: atomic, see above); per-CPU counters (i, but
 * bumped atomically since the IPI handler and the interrupted code share them).
 * Linux: kernel/smp.c (same shape, written anew here).
 */
#include "kernel/smp.h"
#include "kernel/cpumask.h"
#include "kernel/percpu.h"
#include "kernel/boot_info.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/bug.h"
#include "kernel/tracepoints.h"

/* CPU 0 is possible, present and online from the first instruction: calls to self work. */
struct cpumask __cpu_possible_mask = { .bits = { 1 } };
struct cpumask __cpu_present_mask = { .bits = { 1 } };
struct cpumask __cpu_online_mask = { .bits = { 1 } };

static u32 cpu_hwids[NR_CPUS] = { [0 ... NR_CPUS - 1] = ~0u };	/* (m), then (c) */

/* Where each CPU is in its bring-up (l: atomic compare-and-swap). */
enum cpu_boot_state {
	CPU_BOOT_NONE,		/* not started */
	CPU_BOOT_STARTING,	/* arch_cpu_start() told it to run */
	CPU_BOOT_ONLINE,	/* it reached smp_secondary_init() in time */
	CPU_BOOT_ABANDONED,	/* smp_init() stopped waiting: it must park itself */
};
static u32 cpu_boot_state[NR_CPUS];

unsigned long smp_call_warn_ms = 1000;
unsigned long smp_call_timeout_ms = 20000;
/* How long smp_init() waits for one CPU to come online. */
static unsigned long smp_boot_timeout_ms = 5000;

/* A CPU's fire-and-forget csds, one per target. */
struct csd_set {
	struct call_single_data to[NR_CPUS];
};

static DEFINE_PER_CPU(struct llist_head, call_queue);		/* (l) llist */
static DEFINE_PER_CPU(struct csd_set, csd_async);		/* (i) owner, (l) flags */
static DEFINE_PER_CPU(struct smp_call_stats, call_stats);	/* (i), atomic adds */

static inline void stat_inc(u64 *v)
{
	__atomic_fetch_add(v, 1, __ATOMIC_RELAXED);
}

u32 cpu_hwid(unsigned int cpu)
{
	return cpu < NR_CPUS ? cpu_hwids[cpu] : ~0u;
}

void smp_call_stats(unsigned int cpu, struct smp_call_stats *out)
{
	const struct smp_call_stats *s = per_cpu_ptr(&call_stats, cpu);

	out->ipi_sent = __atomic_load_n(&s->ipi_sent, __ATOMIC_RELAXED);
	out->ipi_received = __atomic_load_n(&s->ipi_received, __ATOMIC_RELAXED);
	out->calls_run = __atomic_load_n(&s->calls_run, __ATOMIC_RELAXED);
	out->calls_queued = __atomic_load_n(&s->calls_queued, __ATOMIC_RELAXED);
}

/* ---- The call queue ---- */

/* Relaxed atomic peek (not llist_empty()'s READ_ONCE): producers CAS the same word. */
static bool queue_empty(unsigned int cpu)
{
	return __atomic_load_n(&per_cpu_ptr(&call_queue, cpu)->first, __ATOMIC_RELAXED) == NULL;
}

/**
 * flush_call_queue - run every call queued for this CPU, oldest first.
 *
 * Context: this CPU, IRQs off (the IPI handler, the idle loop, or a waiter that has
 * interrupts off and must keep its own queue moving).
 */
static void flush_call_queue(void)
{
	struct llist_node *list = llist_del_all(this_cpu_ptr(&call_queue));
	struct smp_call_stats *stats = this_cpu_ptr(&call_stats);
	struct llist_node *pos, *next;

	/* The list comes newest first; callers expect calls from one CPU to run in order. */
	list = llist_reverse_order(list);
	llist_for_each_safe(pos, next, list) {
		struct call_single_data *csd = llist_entry(pos, struct call_single_data, llist);
		smp_call_func_t func = csd->func;
		void *info = csd->info;

		/*
		 * `next` was read before the release below: once LOCK is clear the owner may
		 * reuse the csd (and its llist node) at once.
		 */
		if (csd->flags & CSD_FLAG_SYNC) {
			func(info);
			/* Release: the waiter sees everything the callback wrote. */
			__atomic_store_n(&csd->flags, 0, __ATOMIC_RELEASE);
		} else {
			__atomic_store_n(&csd->flags, 0, __ATOMIC_RELEASE);
			func(info);
		}
		stat_inc(&stats->calls_run);
	}
}

void smp_ipi_handler(void)
{
	stat_inc(&this_cpu_ptr(&call_stats)->ipi_received);
	trace_ipi_receive(-1);	/* the sender is not known: one IPI may stand for many calls */
	flush_call_queue();
}

/*
 * Push a filled, LOCKed csd on `cpu`'s queue; interrupt it only if the queue was empty.
 * Release ordering inside llist_add(): the target sees func/info/flags as written here.
 */
static void csd_queue(unsigned int cpu, struct call_single_data *csd)
{
	struct smp_call_stats *stats = this_cpu_ptr(&call_stats);

	csd->src = (u16)smp_processor_id();
	csd->dst = (u16)cpu;
	stat_inc(&stats->calls_queued);
	if (llist_add(&csd->llist, per_cpu_ptr(&call_queue, cpu))) {
		stat_inc(&stats->ipi_sent);
		trace_ipi_send(cpu, "call");
		arch_send_ipi(cpu);
	}
}

/**
 * csd_wait - wait until the target has released @csd, bounded.
 * @csd: a csd this CPU queued (or wants to reuse)
 *
 * With interrupts off the caller drains its own queue while it waits, so that a CPU waiting
 * on us (also with interrupts off) is not left waiting forever.
 * Context: any CPU; panics with both CPUs and the callback named after smp_call_timeout_ms.
 */
static void csd_wait(struct call_single_data *csd)
{
	bool irqs_off = arch_irqs_disabled();
	unsigned long spins = 0;
	bool warned = false;
	u64 start = 0;

	while (csd_busy(csd)) {
		if (irqs_off)
			flush_call_queue();
		arch_cpu_relax();
		/* Read the clock only now and then: it may cost more than the spin itself. */
		if ((++spins & 255) != 0)
			continue;
		u64 now = arch_clock_ns();

		if (!start) {
			start = now;
			continue;
		}
		unsigned long ms = (unsigned long)((now - start) / 1000000);

		if (!warned && ms >= READ_ONCE(smp_call_warn_ms)) {
			warned = true;
			pr_warn("smp: CPU%u has waited %lu ms for CPU%u to run %p(%p) queued by "
				"CPU%u; target %s, its queue %s\n", smp_processor_id(), ms,
				csd->dst, (void *)csd->func, csd->info, csd->src,
				cpu_online(csd->dst) ? "online" : "OFFLINE",
				queue_empty(csd->dst) ? "empty" :
				"not empty (IPI lost, or interrupts off there)");
		}
		if (ms >= READ_ONCE(smp_call_timeout_ms))
			panic("smp: CPU%u gave up after %lu ms: CPU%u never ran %p(%p) queued by "
			      "CPU%u", smp_processor_id(), ms, csd->dst, (void *)csd->func,
			      csd->info, csd->src);
	}
}

/* Take ownership of a csd this CPU may have in flight already. Context: IRQs off. */
static void csd_claim(struct call_single_data *csd, u32 flags)
{
	for (;;) {
		u32 expect = 0;

		/* Acquire: our writes to func/info cannot move above the target's release. */
		if (__atomic_compare_exchange_n(&csd->flags, &expect, CSD_FLAG_LOCK | flags,
						false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return;
		csd_wait(csd);
	}
}

/* A call to self runs here and now, with interrupts off like a call from another CPU. */
static void call_local(smp_call_func_t func, void *info)
{
	unsigned long flags = arch_local_irq_save();

	func(info);
	arch_local_irq_restore(flags);
}

/* The rule every waiting caller must keep: interrupts on (see the file comment). */
static void check_wait_allowed(const char *fn)
{
	if (num_online_cpus() > 1 && arch_irqs_disabled())
		WARN(true, "smp: %s(wait) on CPU%u with interrupts off can deadlock two CPUs\n",
		     fn, smp_processor_id());
}

/**
 * smp_call_function_single - run @func(@info) on @cpu.
 * @cpu: target logical CPU (this CPU: runs directly, IRQs off)
 * @func: callback; runs in interrupt context on @cpu
 * @info: its argument
 * @wait: return only after @func has returned on @cpu
 *
 * Return: 0, or -ENXIO if @cpu is not online.
 * Context: any CPU. @wait requires interrupts on (WARNs otherwise); !@wait is fine from
 * interrupt context, and waits only if this CPU's previous call to @cpu is still queued.
 */
int smp_call_function_single(unsigned int cpu, smp_call_func_t func, void *info, bool wait)
{
	if (cpu >= NR_CPUS || !cpu_online(cpu))
		return -ENXIO;
	if (cpu == smp_processor_id()) {
		call_local(func, info);
		return 0;
	}
	if (wait) {
		struct call_single_data csd = {
			.func = func, .info = info, .flags = CSD_FLAG_LOCK | CSD_FLAG_SYNC,
		};

		check_wait_allowed(__func__);
		/*
		 * Check online and queue with interrupts off: CPU hotplug's IPI round then
		 * proves that no CPU is between the check and the push (kernel/cpuhp.c).
		 */
		unsigned long flags = arch_local_irq_save();

		if (!cpu_online(cpu)) {
			arch_local_irq_restore(flags);
			return -ENXIO;
		}
		csd_queue(cpu, &csd);
		arch_local_irq_restore(flags);
		csd_wait(&csd);
		return 0;
	}
	/* Claim and queue with interrupts off: an interrupt here must not find it half-set. */
	unsigned long flags = arch_local_irq_save();
	struct call_single_data *csd = &this_cpu_ptr(&csd_async)->to[cpu];

	if (!cpu_online(cpu)) {		/* rechecked: see the wait path above */
		arch_local_irq_restore(flags);
		return -ENXIO;
	}
	csd_claim(csd, 0);
	csd->func = func;
	csd->info = info;
	csd_queue(cpu, csd);
	arch_local_irq_restore(flags);
	return 0;
}

/**
 * smp_call_function_single_async - queue a caller-owned csd on @cpu; never waits.
 * @cpu: target logical CPU (this CPU: runs directly, IRQs off)
 * @csd: func and info set; must not be in flight (csd_busy() false)
 *
 * Return: 0; -EBUSY if @csd is still in flight; -ENXIO if @cpu is not online.
 * Context: any CPU, any context.
 */
int smp_call_function_single_async(unsigned int cpu, struct call_single_data *csd)
{
	u32 expect = 0;

	if (cpu >= NR_CPUS || !cpu_online(cpu))
		return -ENXIO;
	if (!__atomic_compare_exchange_n(&csd->flags, &expect, CSD_FLAG_LOCK, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return -EBUSY;
	if (cpu == smp_processor_id()) {
		smp_call_func_t func = csd->func;
		void *info = csd->info;

		__atomic_store_n(&csd->flags, 0, __ATOMIC_RELEASE);
		call_local(func, info);
		return 0;
	}
	unsigned long flags = arch_local_irq_save();

	if (!cpu_online(cpu)) {		/* rechecked with IRQs off, for CPU hotplug */
		arch_local_irq_restore(flags);
		__atomic_store_n(&csd->flags, 0, __ATOMIC_RELEASE);
		return -ENXIO;
	}
	csd_queue(cpu, csd);
	arch_local_irq_restore(flags);
	return 0;
}

/*
 * Queue func on every online CPU of mask but this one, run it here too if `local`, then
 * wait for the others if asked. Each target gets this CPU's per-CPU csd for it.
 */
static void call_many(const struct cpumask *mask, smp_call_func_t func, void *info,
		      bool wait, bool local, const char *caller)
{
	struct csd_set *set = this_cpu_ptr(&csd_async);
	unsigned int me = smp_processor_id();
	struct cpumask sent;
	unsigned int cpu;

	if (wait)
		check_wait_allowed(caller);
	cpumask_clear(&sent);
	unsigned long flags = arch_local_irq_save();

	for_each_cpu(cpu, mask) {
		if (cpu == me || !cpu_online(cpu))
			continue;
		struct call_single_data *csd = &set->to[cpu];

		csd_claim(csd, wait ? CSD_FLAG_SYNC : 0);
		csd->func = func;
		csd->info = info;
		csd_queue(cpu, csd);
		cpumask_set_cpu(cpu, &sent);
	}
	arch_local_irq_restore(flags);
	/* Run our share while the others run theirs. */
	if (local && cpumask_test_cpu(me, mask))
		call_local(func, info);
	if (!wait)
		return;
	for_each_cpu(cpu, &sent)
		csd_wait(&set->to[cpu]);
}

/**
 * smp_call_function_many - run @func(@info) on every online CPU in @mask except this one.
 * Context: as smp_call_function_single().
 */
void smp_call_function_many(const struct cpumask *mask, smp_call_func_t func, void *info,
			    bool wait)
{
	call_many(mask, func, info, wait, false, __func__);
}

/**
 * on_each_cpu - run @func(@info) on every online CPU, this one included (IRQs off here too).
 * Context: as smp_call_function_single().
 */
void on_each_cpu(smp_call_func_t func, void *info, bool wait)
{
	call_many(cpu_online_mask, func, info, wait, true, __func__);
}

/* ---- Bring-up ---- */

/* How many CPUs the command line allows: nosmp -> 1, maxcpus=N -> N (0 means 1). */
static unsigned int cmdline_max_cpus(void)
{
	unsigned long n;

	if (cmdline_has("nosmp"))
		return 1;
	if (cmdline_get_ulong("maxcpus", &n))
		return n == 0 ? 1 : (n > NR_CPUS ? NR_CPUS : (unsigned int)n);
	return NR_CPUS;
}

void smp_prepare_cpus(void)
{
	const struct boot_info *bi = &boot_info;
	unsigned int max = cmdline_max_cpus(), next = 1, skipped = 0;
	unsigned long v;

	if (cmdline_get_ulong("smp.call_timeout_ms", &v) && v)
		smp_call_timeout_ms = v;
	/* CPU 0 is the boot CPU whatever its hardware id. */
	if (bi->nr_cpus && bi->boot_cpu_index < bi->nr_cpus) {
		cpu_hwids[0] = bi->cpus[bi->boot_cpu_index].hwid;
	} else {
		pr_warn("smp: boot_info lists no CPUs (or a bad boot CPU index %u of %u); "
			"running on the boot CPU only\n", bi->boot_cpu_index, bi->nr_cpus);
	}
	percpu_boot_hdr.hwid = cpu_hwids[0];
	for (unsigned int i = 0; i < bi->nr_cpus && i < BOOT_MAX_CPUS; i++) {
		const struct boot_cpu *c = &bi->cpus[i];

		if (i == bi->boot_cpu_index || (!c->enabled && !c->online_capable))
			continue;
		if (max == 1 || next >= NR_CPUS) {
			skipped++;
			continue;
		}
		cpu_hwids[next] = c->hwid;
		cpumask_set_cpu(next, &__cpu_possible_mask);
		/* maxcpus= counts the boot CPU; the rest stay possible for later hotplug. */
		if (c->enabled && cpumask_weight(&__cpu_present_mask) < max)
			cpumask_set_cpu(next, &__cpu_present_mask);
		next++;
	}
	pr_info("smp: %u possible, %u present CPUs%s%s\n", num_possible_cpus(),
		cpumask_weight(cpu_present_mask), max < NR_CPUS ? " (limited by nosmp/maxcpus=)" :
		"", skipped ? ", more listed but not used" : "");
}

/* Wait for `cpu` to come online; false (and the CPU abandoned) after the timeout. */
static bool wait_for_cpu_online(unsigned int cpu)
{
	u64 start = arch_clock_ns();

	while (!cpu_online(cpu)) {
		arch_cpu_relax();
		if (arch_clock_ns() - start < smp_boot_timeout_ms * 1000000ULL)
			continue;
		u32 expect = CPU_BOOT_STARTING;

		if (__atomic_compare_exchange_n(&cpu_boot_state[cpu], &expect,
						CPU_BOOT_ABANDONED, false, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return false;
		/* It won the race: its online bit follows its state within instructions. */
		while (!cpu_online(cpu))
			arch_cpu_relax();
	}
	return true;
}

void smp_init(void)
{
	unsigned int cpu;

	cpumask_set_cpu_atomic(0, &__cpu_online_mask);
	__atomic_store_n(&cpu_boot_state[0], CPU_BOOT_ONLINE, __ATOMIC_RELAXED);
	for_each_present_cpu(cpu) {
		if (cpu == 0)
			continue;
		struct percpu_hdr *hdr = percpu_hdr_of(cpu);

		__atomic_store_n(&cpu_boot_state[cpu], CPU_BOOT_STARTING, __ATOMIC_RELEASE);
		int err = arch_cpu_start(cpu, cpu_hwids[cpu], (void *)hdr->stack_top);

		if (err) {
			pr_err("smp: CPU%u (hwid %u) failed to start: error %d\n", cpu,
			       cpu_hwids[cpu], err);
			__atomic_store_n(&cpu_boot_state[cpu], CPU_BOOT_NONE, __ATOMIC_RELEASE);
			cpumask_clear_cpu(cpu, &__cpu_present_mask);
			continue;
		}
		if (!wait_for_cpu_online(cpu)) {
			pr_err("smp: CPU%u (hwid %u) did not come online within %lu ms; "
			       "continuing without it\n", cpu, cpu_hwids[cpu],
			       smp_boot_timeout_ms);
			cpumask_clear_cpu(cpu, &__cpu_present_mask);
		}
	}
	pr_info("smp: Brought up %u CPUs\n", num_online_cpus());
	for_each_online_cpu(cpu)
		pr_info("smp: CPU%u hwid %u%s\n", cpu, cpu_hwids[cpu],
			cpu == 0 ? " (boot CPU)" : "");
}

/**
 * smp_cpu_restart - start an offline CPU again (CPU hotplug, kernel/cpuhp.c).
 * @cpu: a present CPU that went offline through cpu_down() (or never came up)
 *
 * The same start as smp_init()'s, on the CPU's boot stack: mark it STARTING so that
 * smp_secondary_init() accepts it, arch_cpu_start(), wait (bounded) until it is online.
 * Return: 0; -EINVAL (CPU 0, not present, no stack); arch_cpu_start()'s error; -ETIMEDOUT
 * (then it is abandoned like a late CPU at boot and parks itself if it ever arrives).
 * Context: the hotplug controller, IRQs on, under the hotplug lock.
 */
int smp_cpu_restart(unsigned int cpu)
{
	struct percpu_hdr *hdr = cpu < NR_CPUS ? percpu_hdr_of(cpu) : NULL;
	int err;

	if (cpu == 0 || !hdr || !hdr->stack_top || !cpu_present(cpu) || cpu_online(cpu))
		return -EINVAL;
	__atomic_store_n(&cpu_boot_state[cpu], CPU_BOOT_STARTING, __ATOMIC_RELEASE);
	err = arch_cpu_start(cpu, cpu_hwids[cpu], (void *)hdr->stack_top);
	if (err) {
		__atomic_store_n(&cpu_boot_state[cpu], CPU_BOOT_NONE, __ATOMIC_RELEASE);
		return err;
	}
	return wait_for_cpu_online(cpu) ? 0 : -ETIMEDOUT;
}

void smp_secondary_init(unsigned int cpu)
{
	struct percpu_hdr *hdr = percpu_hdr_of(cpu);
	u32 expect = CPU_BOOT_STARTING;

	if (!hdr)
		panic("smp: CPU%u started but has no per-CPU area", cpu);
	arch_set_percpu_base(hdr);
	if (smp_processor_id() != cpu)
		panic("smp: CPU%u started, but arch_smp_processor_id() says %u", cpu,
		      smp_processor_id());
	if (!__atomic_compare_exchange_n(&cpu_boot_state[cpu], &expect, CPU_BOOT_ONLINE, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		pr_err("smp: CPU%u (hwid %u) came up too late; parking it\n", cpu,
		       cpu_hwids[cpu]);
		arch_halt();
	}
	/* Release: whoever sees us online also sees our per-CPU base and empty queue. */
	cpumask_set_cpu_atomic(cpu, &__cpu_online_mask);
}

/**
 * smp_process_pending_calls - run calls queued for this CPU now.
 *
 * For long loops that run with interrupts off (tests, benchmarks): other CPUs' calls would
 * otherwise wait until the loop ends.
 * Context: this CPU, IRQs off.
 */
void smp_process_pending_calls(void)
{
	if (!queue_empty(smp_processor_id()))
		flush_call_queue();
}

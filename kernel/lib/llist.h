/* SPDX-License-Identifier: MIT */
/*
 * Lock-free singly linked lists (Linux's llist shape): any number of producers push with one
 * compare-and-swap each, from any context; one consumer takes the whole list at once with
 * llist_del_all() (one atomic exchange). There is no single-entry delete, so there is no ABA
 * problem: an entry is never popped while another producer reads its next pointer.
 */
#ifndef KERNEL_LIB_LLIST_H
#define KERNEL_LIB_LLIST_H

#include "kernel/compiler.h"

struct llist_node {
	struct llist_node *next;
};

struct llist_head {
	struct llist_node *first;	/* (l) */
};

#define LLIST_HEAD_INIT(name)	{ NULL }

static inline void init_llist_head(struct llist_head *h)
{
	WRITE_ONCE(h->first, NULL);
}

/* A relaxed atomic load: a hint that races with producers by design (and TSan knows it). */
static inline bool llist_empty(const struct llist_head *h)
{
	return __atomic_load_n(&h->first, __ATOMIC_RELAXED) == NULL;
}

/*
 * Push the chain first..last. Returns true if the list was empty before: the caller uses that
 * to send one wake-up (IPI) per empty -> non-empty transition.
 * Release ordering: the node's contents are visible to whoever takes it.
 */
static inline bool llist_add_batch(struct llist_node *first, struct llist_node *last,
				   struct llist_head *h)
{
	struct llist_node *old = __atomic_load_n(&h->first, __ATOMIC_RELAXED);

	do {
		last->next = old;
	} while (!__atomic_compare_exchange_n(&h->first, &old, first, true,
					      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
	return old == NULL;
}

static inline bool llist_add(struct llist_node *n, struct llist_head *h)
{
	return llist_add_batch(n, n, h);
}

/* Take every entry, newest first. Acquire pairs with the producers' release. */
static inline struct llist_node *llist_del_all(struct llist_head *h)
{
	return __atomic_exchange_n(&h->first, NULL, __ATOMIC_ACQUIRE);
}

/* Reverse a taken chain into oldest-first order. */
static inline struct llist_node *llist_reverse_order(struct llist_node *head)
{
	struct llist_node *prev = NULL;

	while (head) {
		struct llist_node *next = head->next;

		head->next = prev;
		prev = head;
		head = next;
	}
	return prev;
}

#define llist_entry(ptr, type, member)	container_of(ptr, type, member)
#define llist_for_each_safe(pos, n, node) \
	for ((pos) = (node); (pos) && ((n) = (pos)->next, true); (pos) = (n))

#endif /* KERNEL_LIB_LLIST_H */

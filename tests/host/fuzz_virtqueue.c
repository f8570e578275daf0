// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: drivers/virtio/ against a device that writes whatever it likes.
 *
 * Ring mode (first byte bit 7 clear): a queue of 1..128 entries, modern or legacy, with or
 * without EVENT_IDX, then a byte program mixing driver calls (add chains, kick, get_buf,
 * enable/disable callbacks, interrupts) with device actions: honest (take, fill and
 * complete chains in order) or arbitrary (any id and length in any used slot, any used->idx,
 * any suppression field). Checked: every buffer get_buf returns was outstanding and comes
 * back once, with a length within its device-writable bytes; an honest device never breaks
 * the queue; at the end every outstanding buffer comes back from detach exactly once and
 * the allocator has every page back.
 *
 * Config mode (bit 7 set): a config space, a count of reads during which the device keeps
 * changing it, and reads at any offset and length on a modern or legacy transport: a read
 * succeeds exactly when it is in range and the config settles within the retry bound, and
 * then returns the device's bytes.
 *
 * Crashes, sanitizer reports and abort() on a broken check are the findings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/errno.h"
#include "tests/host/mm_helpers.h"
#include "tests/host/virtio_sim.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

#define FUZZ_ID		9
#define MAX_TOKENS	1024

struct token {
	bool live;		/* made available, not yet returned */
	u32 writable;		/* device-writable bytes of its chain */
};

static struct token tokens[MAX_TOKENS + 1];	/* token t is (void *)t, t >= 1 */
static unsigned int nr_tokens;
static struct sim_dev sd;
static struct virtqueue *fvq;
static bool booted;
static u8 *buf_page;
static unsigned long free_at_start;
static unsigned int nr_detached;

static void check(bool ok, const char *what)
{
	if (!ok) {
		host_log_dump();
		fprintf(stderr, "fuzz_virtqueue: %s\n", what);
		abort();
	}
}

static unsigned int fuzz_num_max;

static int fuzz_probe(struct virtio_device *vdev)
{
	fvq = virtio_find_vq(vdev, 0, fuzz_num_max, "fuzzq", NULL);
	return fvq ? 0 : -ENODEV;
}

static void fuzz_remove(struct virtio_device *vdev)
{
	void *d;

	/* The device is reset: every buffer still out must come back, each exactly once. */
	while ((d = virtqueue_detach_unused_buf(fvq))) {
		uintptr_t t = (uintptr_t)d;

		check(t >= 1 && t <= nr_tokens && tokens[t].live, "detach returned a token not out");
		tokens[t].live = false;
		nr_detached++;
	}
	check(virtqueue_num_free(fvq) == fvq->num, "descriptors lost after detaching all");
	fvq = NULL;
}

static struct virtio_driver fuzz_driver = {
	.name = "fuzzdrv",
	.device_id = FUZZ_ID,
	.probe = fuzz_probe,
	.remove = fuzz_remove,
};

/* Byte reader: zeros once the input runs out. */
struct input {
	const unsigned char *p;
	size_t left;
};

static u8 in_u8(struct input *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static u32 in_u32(struct input *in)
{
	u32 v = 0;

	for (int i = 0; i < 4; i++)
		v |= (u32)in_u8(in) << (8 * i);
	return v;
}

static void add_chain(struct input *in)
{
	u8 shape = in_u8(in);
	unsigned int out = shape & 3, nin = (shape >> 2) & 3;
	struct vring_sg sg[6];
	u32 writable = 0;
	int ret;

	if (nr_tokens >= MAX_TOKENS)
		return;
	for (unsigned int k = 0; k < out + nin; k++) {
		sg[k].addr = __pa(buf_page + (in_u8(in) % 240) * 16);
		sg[k].len = in_u8(in);
		if (k >= out)
			writable += sg[k].len;
	}
	ret = virtqueue_add_buf(fvq, sg, out, nin, (void *)(uintptr_t)(nr_tokens + 1));
	if (ret == 0) {
		nr_tokens++;
		tokens[nr_tokens].live = true;
		tokens[nr_tokens].writable = writable;
	} else {
		check(ret == -ENOSPC || ret == -EIO || (ret == -EINVAL && out + nin == 0),
		      "add_buf failed for no reason");
	}
}

static void get_buf(void)
{
	u32 len = 0;
	void *d = virtqueue_get_buf(fvq, &len);
	uintptr_t t = (uintptr_t)d;

	if (!d)
		return;
	check(t >= 1 && t <= nr_tokens, "get_buf returned a token never given");
	check(tokens[t].live, "get_buf returned a token twice");
	check(len <= tokens[t].writable, "get_buf length beyond the device-writable bytes");
	tokens[t].live = false;
}

static void ring_mode(u8 mode, struct input *in)
{
	bool legacy = mode & 1, rogue = false, scribbled = false;
	unsigned int num = 1u << ((mode >> 2) & 7);

	sim_dev_init(&sd, FUZZ_ID, legacy, num, 16);
	if (mode & 2)
		sd.offered |= BIT(VIRTIO_F_EVENT_IDX);
	fuzz_num_max = 0;
	nr_tokens = 0;
	nr_detached = 0;
	memset(tokens, 0, sizeof(tokens));
	check(virtio_register_device(&sd.vdev) == 0, "register failed");
	check(fvq != NULL, "probe failed on a well-formed device");

	for (unsigned int steps = 0; in->left && steps < 2000; steps++) {
		u8 op = in_u8(in);

		switch (op % 10) {
		case 0: case 1:
			add_chain(in);
			break;
		case 2:
			virtqueue_kick(fvq);
			break;
		case 3:		/* an honest device: take, fill, complete in order */
			if (!scribbled && !virtio_is_broken(&sd.vdev))
				sim_process(&sd, 0, in_u8(in) % 8);
			break;
		case 4: case 5:
			get_buf();
			break;
		case 6: {	/* any entry in any used slot */
			struct vring_used *u = sim_used(&sd, 0);
			unsigned int slot = in_u8(in) % num;

			u->ring[slot].id = in_u32(in);
			u->ring[slot].len = in_u32(in);
			rogue = true;
			break;
		}
		case 7: {	/* any used index; or the honest one moved by a little */
			u8 how = in_u8(in);

			if (how & 1)
				sim_used(&sd, 0)->idx = (u16)in_u32(in);
			else
				sim_used(&sd, 0)->idx += how >> 1;
			rogue = true;
			break;
		}
		case 8:		/* suppression fields, which any value may hold */
			sim_used(&sd, 0)->flags = in_u8(in);
			*sim_avail_event(&sd, 0) = (u16)in_u32(in);
			if (op & 0x10) {
				/* a device scribbling on the driver's areas: the driver never reads them */
				sim_desc(&sd, 0)[in_u8(in) % num].next = (u16)in_u32(in);
				sim_avail(&sd, 0)->ring[in_u8(in) % num] = (u16)in_u32(in);
				scribbled = true;
			}
			break;
		case 9:
			if (op & 0x10)
				virtqueue_disable_cb(fvq);
			else
				virtqueue_enable_cb(fvq);
			vring_interrupt(fvq);
			break;
		}
		check(rogue || !virtqueue_is_broken(fvq), "an honest device broke the queue");
	}
	/* Every buffer out is still recorded with its descriptors: nothing lost or doubled. */
	{
		unsigned int live = 0;

		for (unsigned int t = 1; t <= nr_tokens; t++)
			live += tokens[t].live;
		virtio_unregister_device(&sd.vdev);
		check(nr_detached == live, "detach did not return every outstanding buffer");
	}
	check(nr_free_pages() == free_at_start, "pages leaked by a queue");
}

static void config_mode(u8 mode, struct input *in)
{
	bool legacy = mode & 1;
	unsigned int len = 1 + in_u8(in) % SIM_CONFIG_LEN;
	u8 buf[SIM_CONFIG_LEN];

	sim_dev_init(&sd, FUZZ_ID + 1, legacy, 8, len);	/* no driver: config only */
	for (unsigned int i = 0; i < SIM_CONFIG_LEN; i++)
		sd.config[i] = in_u8(in);
	check(virtio_register_device(&sd.vdev) == 0, "register failed");
	while (in->left) {
		u8 r = in_u8(in);
		unsigned int off = in_u8(in), n = in_u8(in) % 24;
		bool was_broken = virtio_is_broken(&sd.vdev);
		u32 unstable = r & 0x80 ? SIM_UNSTABLE_FOREVER : r & 0x3f;
		int ret;

		sd.unstable_reads = unstable;
		ret = virtio_cread(&sd.vdev, off, buf, n);
		if (was_broken) {
			check(ret == -EIO, "a broken device's config was read");
		} else if (off + n > len || n > 16) {
			check(ret == -EINVAL, "an out-of-range config read was not refused");
		} else if (n == 0 || unstable < VIRTIO_CONFIG_RETRIES) {
			check(ret == 0, "a config that settles in time was not read");
			check(!memcmp(buf, sd.config + off, n), "config read returned unsettled bytes");
		} else {
			check(ret == -EIO && virtio_is_broken(&sd.vdev),
			      "a config that never settles did not break the device");
		}
	}
	virtio_unregister_device(&sd.vdev);
	check(nr_free_pages() == free_at_start, "pages leaked");
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct input in = { data, size };
	u8 mode;

	if (!booted) {
		/* HOST_VERBOSE=1: echo the kernel log, to see which checks a corpus reaches. */
		host_verbose = getenv("HOST_VERBOSE") != NULL;
		boot_simple(32 * MiB, NULL);
		buf_page = page_address(alloc_pages(GFP_KERNEL | __GFP_ZERO, 0));
		virtio_register_driver(&fuzz_driver);
		free_at_start = nr_free_pages();
		booted = true;
	}
	host_log_clear();
	mode = in_u8(&in);
	if (mode & 0x80)
		config_mode(mode, &in);
	else
		ring_mode(mode, &in);
	return 0;
}

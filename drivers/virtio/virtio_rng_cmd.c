// SPDX-License-Identifier: MIT
/*
 * `rng N [irq|poll]`: N random bytes (1..4096) from the first virtio entropy device
 * (drivers/virtio/virtio_rng.h), printed as hexdump -C does: offset, 16 bytes in hex,
 * the printable ones as text. irq (default) waits for the device's interrupt, poll spins
 * on the used ring with callbacks off.
 *
 *	tessera> rng 20
 *	00000000  3f 9a 01 c4 5e 77 a0 12  8b 6d 2e f0 11 42 9c 3a  |?...^w...m...B.:|
 *	00000010  d7 00 5b e2                                       |..[.|
 *
 * Locking: the shell's buffer is (m: boot CPU); the driver serialises requests.
 */
#include "drivers/virtio/virtio_rng.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/shell.h"
#include "kernel/lib/string.h"

#define RNG_CMD_MAX	4096

static u8 rng_cmd_buf[RNG_CMD_MAX];	/* (m) */

/* One hexdump -C line of the n (1..16) bytes at p, at offset off. */
static void rng_print_line(const u8 *p, unsigned int n, unsigned int off)
{
	char line[80];
	unsigned int k;

	k = (unsigned int)snprintf(line, sizeof(line), "%08x ", off);
	for (unsigned int i = 0; i < 16; i++) {
		if (i == 8)
			line[k++] = ' ';
		if (i < n)
			k += (unsigned int)snprintf(line + k, sizeof(line) - k, " %02x", p[i]);
		else
			k += (unsigned int)snprintf(line + k, sizeof(line) - k, "   ");
	}
	line[k++] = ' ';
	line[k++] = ' ';
	line[k++] = '|';
	for (unsigned int i = 0; i < n; i++)
		line[k++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.';
	line[k++] = '|';
	line[k] = '\0';
	printk("%s\n", line);
}

static int cmd_rng(int argc, char **argv)
{
	enum virtio_rng_mode mode = VIRTIO_RNG_WAIT_IRQ;
	unsigned long n;
	int got;

	if (argc < 2 || argc > 3)
		return SHELL_EUSAGE;
	if (!shell_parse_ulong(argv[1], RNG_CMD_MAX, &n) || n == 0) {
		printk("rng: '%s' is not a byte count from 1 to %u\n", argv[1], RNG_CMD_MAX);
		return SHELL_EFAIL;
	}
	if (argc == 3) {
		if (!strcmp(argv[2], "poll")) {
			mode = VIRTIO_RNG_POLL;
		} else if (strcmp(argv[2], "irq")) {
			printk("rng: '%s' is not a way to wait: use irq or poll\n", argv[2]);
			return SHELL_EFAIL;
		}
	}
	got = virtio_rng_read(rng_cmd_buf, (unsigned int)n, mode);
	if (got == -ENODEV) {
		printk("rng: no virtio entropy device (make run attaches one; VIRTIO=none does not)\n");
		return SHELL_EFAIL;
	}
	if (got == -ETIMEDOUT) {
		printk("rng: the device did not answer in %u ms\n", VIRTIO_RNG_TIMEOUT_MS);
		return SHELL_EFAIL;
	}
	if (got == -EBUSY) {
		printk("rng: the device still holds a request that timed out\n");
		return SHELL_EFAIL;
	}
	if (got < 0) {
		printk("rng: the device failed the request (%d)\n", got);
		return SHELL_EFAIL;
	}
	for (unsigned int off = 0; off < (unsigned int)got; off += 16)
		rng_print_line(rng_cmd_buf + off, min_t(unsigned int, 16, (unsigned int)got - off),
			       off);
	return 0;
}
SHELL_COMMAND_USAGE(rng, "N [irq|poll]", "N random bytes (1..4096) from the virtio entropy device",
		    cmd_rng);

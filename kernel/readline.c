// SPDX-License-Identifier: MIT
/*
 * The console line editor behind the shell's prompt: echo, cursor movement and editing in the
 * middle of the line, and a history of the last lines, over a polled console that may be a
 * plain serial terminal (see kernel/readline.h for the keys).
 *
 * Locking: boot CPU only (m); the console is polled.
 */
#include "kernel/readline.h"
#include "kernel/console.h"
#include "kernel/lib/string.h"
#include "kernel/cpu.h"
#include "kernel/tick.h"
#include "kernel/workqueue.h"
#include "arch/arch.h"

/*
 * The terminal shows the prompt and buf[0..len); the cursor sits before buf[pos]. Edits in
 * the middle rewrite the tail and move the cursor back with '\b', which every terminal
 * understands, so no cursor-addressing escapes are needed.
 */
struct line_editor {
	char *buf;
	size_t size;		/* buffer size: at most size - 1 characters */
	size_t len;		/* characters in the line */
	size_t pos;		/* cursor position, 0..len */
	int hist_idx;		/* history entry being shown, -1 for the line being typed */
	long dropped;		/* characters typed into the full line, so not in buf */
	char saved[READLINE_MAX];	/* the line being typed, while browsing history */
};

/* History: a ring of the last READLINE_HISTORY distinct non-empty lines. */
#define READLINE_HISTORY	16
static char history[READLINE_HISTORY][READLINE_MAX];
static unsigned int hist_count;		/* lines ever added (m: boot CPU only) */

static void history_add(const char *line)
{
	if (!line[0])
		return;
	/* Repeating the last command does not fill the history with copies. */
	if (hist_count && strcmp(history[(hist_count - 1) % READLINE_HISTORY], line) == 0)
		return;
	strlcpy(history[hist_count % READLINE_HISTORY], line, READLINE_MAX);
	hist_count++;
}

/* The entry `back` lines ago (0 = newest), or NULL. */
static const char *history_get(unsigned int back)
{
	if (back >= hist_count || back >= READLINE_HISTORY)
		return NULL;
	return history[(hist_count - 1 - back) % READLINE_HISTORY];
}

static void put_char(char c)
{
	console_write(&c, 1);
}

static void put_backs(size_t n)
{
	while (n--)
		put_char('\b');
}

/* Rewrite from the cursor to the end, blank `extra` stale cells, put the cursor back. */
static void redraw_tail(struct line_editor *ed, size_t extra)
{
	console_write(ed->buf + ed->pos, ed->len - ed->pos);
	for (size_t i = 0; i < extra; i++)
		put_char(' ');
	put_backs(ed->len - ed->pos + extra);
}

/* Replace the whole line with `s` (history browsing, Ctrl-U). */
static void replace_line(struct line_editor *ed, const char *s)
{
	size_t old = ed->len;

	put_backs(ed->pos);
	ed->pos = 0;
	ed->dropped = 0;	/* a new line: nothing of it was lost */
	ed->len = strnlen(s, ed->size - 1);
	memmove(ed->buf, s, ed->len);
	ed->buf[ed->len] = '\0';
	redraw_tail(ed, old > ed->len ? old - ed->len : 0);
	console_write(ed->buf, ed->len);
	ed->pos = ed->len;
}

static void insert_char(struct line_editor *ed, char c)
{
	if (ed->len + 1 >= ed->size) {
		/* Full: ring the bell and count the loss, so the line is not taken as typed. */
		put_char('\a');
		if (ed->dropped < __LONG_MAX__ / 2)	/* room for size - 1 on top */
			ed->dropped++;
		return;
	}
	memmove(ed->buf + ed->pos + 1, ed->buf + ed->pos, ed->len - ed->pos);
	ed->buf[ed->pos] = c;
	ed->len++;
	put_char(c);
	ed->pos++;
	redraw_tail(ed, 0);
}

/* Delete the character before the cursor. */
static void backspace(struct line_editor *ed)
{
	if (!ed->pos)
		return;
	memmove(ed->buf + ed->pos - 1, ed->buf + ed->pos, ed->len - ed->pos);
	ed->pos--;
	ed->len--;
	put_char('\b');
	redraw_tail(ed, 1);
}

/* Delete the character under the cursor (the Delete key, Ctrl-D). */
static void delete_char(struct line_editor *ed)
{
	if (ed->pos == ed->len)
		return;
	memmove(ed->buf + ed->pos, ed->buf + ed->pos + 1, ed->len - ed->pos - 1);
	ed->len--;
	redraw_tail(ed, 1);
}

static void cursor_left(struct line_editor *ed)
{
	if (ed->pos) {
		ed->pos--;
		put_char('\b');
	}
}

static void cursor_right(struct line_editor *ed)
{
	if (ed->pos < ed->len) {
		put_char(ed->buf[ed->pos]);
		ed->pos++;
	}
}

static void cursor_home(struct line_editor *ed)
{
	put_backs(ed->pos);
	ed->pos = 0;
}

static void cursor_end(struct line_editor *ed)
{
	console_write(ed->buf + ed->pos, ed->len - ed->pos);
	ed->pos = ed->len;
}

/* Up (older = true) or down through the history. */
static void history_move(struct line_editor *ed, bool older)
{
	int want = ed->hist_idx + (older ? 1 : -1);

	if (want < -1)
		return;
	if (want >= 0 && !history_get((unsigned int)want)) {
		put_char('\a');
		return;
	}
	if (ed->hist_idx == -1) {
		ed->buf[ed->len] = '\0';
		strlcpy(ed->saved, ed->buf, sizeof(ed->saved));
	}
	ed->hist_idx = want;
	replace_line(ed, want < 0 ? ed->saved : history_get((unsigned int)want));
}

/*
 * Escape sequences, as VT100/xterm send them: ESC [ A/B/C/D (arrows; ESC O x in
 * application-cursor mode), ESC [ H / F and ESC [ 1~ / 4~ (Home, End), ESC [ 3~ (Delete).
 * Anything else is swallowed up to its final byte so no stray letters reach the line.
 */
enum esc_state { ESC_NONE, ESC_START, ESC_CSI };

static void do_escape(struct line_editor *ed, char final, unsigned int param)
{
	switch (final) {
	case 'A': history_move(ed, true); break;
	case 'B': history_move(ed, false); break;
	case 'C': cursor_right(ed); break;
	case 'D': cursor_left(ed); break;
	case 'H': cursor_home(ed); break;
	case 'F': cursor_end(ed); break;
	case '~':
		if (param == 1 || param == 7)
			cursor_home(ed);
		else if (param == 4 || param == 8)
			cursor_end(ed);
		else if (param == 3)
			delete_char(ed);
		break;
	default:
		break;
	}
}

/* Input is polled; after this long without a byte, wait for an interrupt instead of spinning. */
#define READLINE_IDLE_AFTER_NS	2000000ULL

/*
 * The next input byte. With interrupts on and a timer ticking on this CPU, an idle console
 * waits in arch_idle() between polls (the tick wakes it), so an idle prompt does not keep a
 * host core busy; without a timer it has to keep polling. The boot CPU never reaches the
 * idle loop, so deferred work queued for it runs here, between polls: at the latest one tick
 * after it was queued (other CPUs do not IPI a CPU that is not flagged idle).
 */
static int readline_getc(void)
{
	u64 idle_since = 0;
	u64 ticks = cpu_timer_ticks(smp_processor_id());

	for (;;) {
		int c = console_getc();

		if (c >= 0)
			return c;
		if (!arch_irqs_disabled())
			workqueue_run_pending();
		u64 now = arch_clock_ns();

		if (!idle_since)
			idle_since = now;
		if (now - idle_since > READLINE_IDLE_AFTER_NS && !arch_irqs_disabled() &&
		    cpu_timer_ticks(smp_processor_id()) != ticks)
			arch_idle();
		else
			arch_cpu_relax();
	}
}

long readline(char *buf, size_t size)
{
	static struct line_editor ed;
	enum esc_state esc = ESC_NONE;
	unsigned int param = 0;

	ed.buf = buf;
	ed.size = size;
	ed.len = 0;
	ed.pos = 0;
	ed.hist_idx = -1;
	ed.dropped = 0;
	buf[0] = '\0';
	for (;;) {
		int c = readline_getc();

		if (esc == ESC_START) {
			if (c == '[' || c == 'O') {
				esc = ESC_CSI;
				param = 0;
			} else {
				esc = ESC_NONE;	/* a lone ESC: drop it and this byte */
			}
			continue;
		}
		if (esc == ESC_CSI) {
			if (c >= '0' && c <= '9') {
				param = param * 10 + (unsigned int)(c - '0');
				if (param > 1000)
					param = 1000;
				continue;
			}
			if (c >= 0x20 && c < 0x40)
				continue;	/* other parameter bytes (';'...) */
			esc = ESC_NONE;
			do_escape(&ed, (char)c, param);
			continue;
		}
		switch (c) {
		case '\r':
		case '\n':
			put_char('\n');
			buf[ed.len] = '\0';
			if (ed.dropped)	/* the longest it was: size - 1 kept + dropped */
				return (long)(size - 1) + ed.dropped;
			history_add(buf);	/* only lines that are what was typed */
			return (long)ed.len;
		case 0x03:		/* Ctrl-C: abandon the line */
			cursor_end(&ed);
			console_write("^C\n", 3);
			return -1;
		case 0x15:		/* Ctrl-U: erase the whole line */
			replace_line(&ed, "");
			break;
		case 0x7f:		/* backspace (DEL) and Ctrl-H */
		case 0x08:
			backspace(&ed);
			break;
		case 0x01:		/* Ctrl-A, Ctrl-E: start and end of line */
			cursor_home(&ed);
			break;
		case 0x05:
			cursor_end(&ed);
			break;
		case 0x04:		/* Ctrl-D: delete under the cursor */
			delete_char(&ed);
			break;
		case 0x1b:
			esc = ESC_START;
			break;
		case '\t':
			insert_char(&ed, ' ');
			break;
		default:
			if (c >= 0x20 && c <= 0x7e)
				insert_char(&ed, (char)c);
			break;		/* other control bytes and non-ASCII are ignored */
		}
	}
}

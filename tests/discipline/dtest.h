/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dtest.h - helpers of the discipline tests: a scripted raw time base
 * for fake clocks (each read returns the current value, then moves it by
 * the next increment of a list), and a log recorder that keeps every
 * line so tests can assert the exact phc2sys lines.
 */
#ifndef GN_TESTS_DTEST_H
#define GN_TESTS_DTEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dlog.h"
#include "fakeclock.h"

struct dt_base {
	int64_t raw;
	const int64_t *inc; /* NULL: no movement */
	unsigned n, i;
	struct gn_fakebase fb;
};

static inline int64_t dt_base_read(void *ctx)
{
	struct dt_base *b = ctx;
	int64_t r = b->raw;

	if (b->inc && b->n)
		b->raw += b->inc[b->i++ % b->n];
	return r;
}

static inline void dt_base_init(struct dt_base *b, int64_t start,
				const int64_t *inc, unsigned n)
{
	memset(b, 0, sizeof(*b));
	b->raw = start;
	b->inc = inc;
	b->n = n;
	b->fb.raw_ns = dt_base_read;
	b->fb.ctx = b;
}

#define DT_LINES    256
#define DT_LINE_LEN 160

struct dt_log {
	char line[DT_LINES][DT_LINE_LEN];
	int level[DT_LINES];
	unsigned n;
	struct gn_dlog log;
};

__attribute__((format(printf, 3, 0))) static inline void
dt_vlog(void *ctx, int level, const char *fmt, va_list ap)
{
	struct dt_log *l = ctx;

	if (l->n >= DT_LINES)
		return;
	vsnprintf(l->line[l->n], DT_LINE_LEN, fmt, ap);
	l->level[l->n] = level;
	l->n++;
}

static inline void dt_log_init(struct dt_log *l)
{
	memset(l, 0, sizeof(*l));
	l->log.fn = dt_vlog;
	l->log.ctx = l;
}

/* Index of the first line from `from` equal to s, or -1. */
static inline int dt_find(const struct dt_log *l, unsigned from, const char *s)
{
	unsigned i;

	for (i = from; i < l->n; i++)
		if (!strcmp(l->line[i], s))
			return (int)i;
	return -1;
}

/* Index of the first line from `from` containing s, or -1. */
static inline int dt_find_sub(const struct dt_log *l, unsigned from,
			      const char *s)
{
	unsigned i;

	for (i = from; i < l->n; i++)
		if (strstr(l->line[i], s))
			return (int)i;
	return -1;
}

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * measure.c - best-of-N clock comparison arithmetic (see measure.h).
 * Pure: no I/O, no clocks read here.
 */
#include "measure.h"

#include <errno.h>
#include <stddef.h>

const char *gn_sysoff_method_str(enum gn_sysoff_method m)
{
	switch (m) {
	case GN_SYSOFF_PRECISE:
		return "precise";
	case GN_SYSOFF_EXTENDED:
		return "extended";
	case GN_SYSOFF_BASIC:
		return "basic";
	case GN_SYSOFF_READ:
		return "read";
	case GN_SYSOFF_COUNT:
		break;
	}
	return "unknown";
}

/* One sandwich, kept when narrower than the best so far; ignored when
 * its outer clock went backwards. */
static void sandwich(int64_t before, int64_t inner, int64_t after,
		     int64_t *best_width, struct gn_measurement *out)
{
	int64_t width, mid;

	if (after < before)
		return;
	width = after - before;
	if (width >= *best_width)
		return;
	mid = before + width / 2;
	*best_width = width;
	out->offset_ns = mid - inner;
	out->ts_ns = mid;
	out->delay_ns = width;
}

int gn_measure_best(const struct gn_sandwich *s, unsigned n,
		    struct gn_measurement *out)
{
	int64_t best = INT64_MAX;
	unsigned i;

	if (!s || n == 0)
		return -EINVAL;
	for (i = 0; i < n; i++)
		sandwich(s[i].before_ns, s[i].inner_ns, s[i].after_ns, &best,
			 out);
	return best == INT64_MAX ? -EAGAIN : 0;
}

int gn_measure_basic(const int64_t *ts, unsigned n, struct gn_measurement *out)
{
	int64_t best = INT64_MAX;
	unsigned i;

	if (!ts || n == 0)
		return -EINVAL;
	for (i = 0; i < n; i++)
		sandwich(ts[2 * i], ts[2 * i + 1], ts[2 * i + 2], &best, out);
	return best == INT64_MAX ? -EAGAIN : 0;
}

int gn_measure_extended(const int64_t (*ts)[3], unsigned n,
			struct gn_measurement *out)
{
	int64_t best = INT64_MAX;
	unsigned i;

	if (!ts || n == 0)
		return -EINVAL;
	for (i = 0; i < n; i++)
		sandwich(ts[i][0], ts[i][1], ts[i][2], &best, out);
	return best == INT64_MAX ? -EAGAIN : 0;
}

void gn_measure_precise(int64_t device_ns, int64_t sys_ns,
			struct gn_measurement *out)
{
	out->offset_ns = sys_ns - device_ns;
	out->ts_ns = sys_ns;
	out->delay_ns = 0;
}

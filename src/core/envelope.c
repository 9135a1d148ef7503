/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * envelope.c - lower envelope of a window of one-way delays (envelope.h).
 *
 * Times are taken relative to the newest point, in seconds, so that the
 * doubles keep their precision however long the daemon runs; values are
 * whatever the caller uses (ns), compensated for the clock's known
 * steering. The hull is Andrew's monotone chain over the points in time
 * order (the ring is kept ascending), O(n).
 */
#include <errno.h>
#include <string.h>

#include "envelope.h"

void gn_envelope_reset(struct gn_envelope *e)
{
	memset(e, 0, sizeof(*e));
}

void gn_envelope_add(struct gn_envelope *e, int64_t t_ns, double v)
{
	unsigned newest;

	if (e->count) {
		newest = (e->head + GN_ENVELOPE_LEN - 1) % GN_ENVELOPE_LEN;
		if (t_ns < e->t_ns[newest])
			gn_envelope_reset(e);
	}
	e->t_ns[e->head] = t_ns;
	e->v[e->head] = v;
	e->head = (e->head + 1) % GN_ENVELOPE_LEN;
	if (e->count < GN_ENVELOPE_LEN)
		e->count++;
}

/* z-component of (b - a) x (c - a): > 0 when a, b, c turn left. */
static double cross(const double *x, const double *y, unsigned a, unsigned b,
		    double cx, double cy)
{
	return (x[b] - x[a]) * (cy - y[a]) - (y[b] - y[a]) * (cx - x[a]);
}

int gn_envelope_fit(const struct gn_envelope *e, int64_t since_ns,
		    int64_t until_ns, int64_t at_ns, unsigned min_n,
		    struct gn_envelope_fit *f)
{
	double x[GN_ENVELOPE_LEN], y[GN_ENVELOPE_LEN];
	unsigned hull[GN_ENVELOPE_LEN];
	unsigned i, n = 0, h = 0, oldest;
	double sx = 0.0, sy = 0.0, xm, slope, icpt;
	int64_t t0, first = 0;

	if (!e->count)
		return -EAGAIN;
	oldest = (e->head + GN_ENVELOPE_LEN - e->count) % GN_ENVELOPE_LEN;
	t0 = e->t_ns[(e->head + GN_ENVELOPE_LEN - 1) % GN_ENVELOPE_LEN];
	for (i = 0; i < e->count; i++) {
		unsigned k = (oldest + i) % GN_ENVELOPE_LEN;

		if (e->t_ns[k] < since_ns || e->t_ns[k] > until_ns)
			continue;
		if (!n)
			first = e->t_ns[k];
		x[n] = (double)(e->t_ns[k] - t0) * 1e-9;
		y[n] = e->v[k];
		sx += x[n];
		sy += y[n];
		n++;
	}
	if (n < min_n || n < 2 || !(x[n - 1] > x[0]))
		return -EAGAIN;

	/* Lower hull: keep only left turns. Equal times keep the lower. */
	for (i = 0; i < n; i++) {
		if (h && x[hull[h - 1]] == x[i]) {
			if (y[i] >= y[hull[h - 1]])
				continue;
			h--;
		}
		while (h >= 2 &&
		       cross(x, y, hull[h - 2], hull[h - 1], x[i], y[i]) <= 0.0)
			h--;
		hull[h++] = i;
	}

	/* The edge over the mean time supports the optimal line. */
	xm = sx / n;
	for (i = 0; i + 2 < h && x[hull[i + 1]] < xm; i++)
		;
	slope = (y[hull[i + 1]] - y[hull[i]]) / (x[hull[i + 1]] - x[hull[i]]);
	icpt = y[hull[i]] - slope * x[hull[i]];

	f->value = icpt + slope * ((double)(at_ns - t0) * 1e-9);
	f->slope = slope;
	f->excess = (sy - n * icpt - slope * sx) / n;
	f->n = n;
	f->span_s = x[n - 1] - x[0];
	f->first_ns = first;
	return 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * map.c - libgnomon's arithmetic: the page's mapping from the local
 * clock to synchronized time and back, the bound's growth, TAI/UTC with
 * leap seconds, pulse instants and the lateness histogram.
 *
 * Pure functions: no clock reads, no I/O, no allocation. Exact integer
 * arithmetic (128-bit products) so the library's time equals the
 * daemon's clock to the nanosecond.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "lib.h"

__extension__ typedef __int128 i128;

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int64_t gn_lib_frac_of_ppb(double ppb)
{
	/* ppb * 1e-9 * 2^48, rounded. */
	return (int64_t)llround(ppb * 281474.976710656);
}

double gn_lib_ppb_of_frac(int64_t frac)
{
	return (double)frac / 281474.976710656;
}

int64_t gn_lib_clock_of_tai(const struct gn_page_data *d, int64_t tai_ns)
{
	int64_t off = (int64_t)d->utc_offset_s * GN_NS_PER_S, c, c2;
	int step;

	if (d->timescale != GN_PAGE_TS_UTC)
		return tai_ns; /* TAI and arbitrary: the clock is the TAI */
	/* A UTC clock: tai = clock + offset, + step once past the leap. */
	c = tai_ns - off;
	step = gn_lib_leap_step(d, c);
	if (step == 0)
		return c;
	c2 = c - step * GN_NS_PER_S;
	if (gn_lib_leap_step(d, c2) != 0)
		return c2;
	/* An instant inside the inserted second: the first after it. */
	return d->leap_at_clock_ns;
}

int64_t gn_lib_local_of_clock(const struct gn_page_data *d, int64_t clock_ns)
{
	/* dl = (clock - anchor) / (1 + r), then the exact smallest one. */
	i128 num = (i128)(clock_ns - d->anchor_clock_ns) *
		   ((i128)1 << GN_PAGE_FRAC_BITS);
	i128 den = ((i128)1 << GN_PAGE_FRAC_BITS) + d->rate_frac;
	int64_t dl, local;
	int i;

	if (den <= 0)
		den = 1;
	dl = (int64_t)(num / den);
	local = d->anchor_local_ns + dl;
	for (i = 0; i < 64 && gn_lib_clock_at(d, local) < clock_ns; i++)
		local++;
	for (i = 0; i < 64 && gn_lib_clock_at(d, local - 1) >= clock_ns; i++)
		local--;
	return local;
}

/* ---- pulses ---- */

static int64_t align_shift(int align, int utc_offset_s)
{
	return align == GN_ALIGN_UTC ? (int64_t)utc_offset_s * GN_NS_PER_S : 0;
}

int64_t gn_lib_pulse_instant(int64_t index, int64_t period_ns, int64_t phase_ns,
			     int align, int utc_offset_s)
{
	return index * period_ns + phase_ns + align_shift(align, utc_offset_s);
}

int64_t gn_lib_pulse_next(int64_t tai_ns, int64_t period_ns, int64_t phase_ns,
			  int align, int utc_offset_s)
{
	int64_t base = tai_ns - phase_ns - align_shift(align, utc_offset_s);

	/* ceil(base / period) */
	return -floor_div(-base, period_ns);
}

/* ---- histogram ---- */

void gn_hist_init(struct gn_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min_ns = INT64_MAX;
	h->max_ns = INT64_MIN;
}

/* Values below GN_HIST_SUB have a bucket each; above, 64 buckets per
 * power of two. */
static unsigned hist_index(uint64_t v)
{
	unsigned e, sub;

	if (v < GN_HIST_SUB)
		return (unsigned)v;
	e = 63u - (unsigned)__builtin_clzll(v); /* v in [2^e, 2^(e+1)) */
	sub = (unsigned)((v >> (e - 6)) & (GN_HIST_SUB - 1));
	if (e - 5 >= GN_HIST_EXPS)
		return GN_HIST_EXPS * GN_HIST_SUB - 1;
	return (e - 5) * GN_HIST_SUB + sub;
}

/* The largest value of bucket i. */
static uint64_t hist_upper(unsigned i)
{
	unsigned e, sub;

	if (i < GN_HIST_SUB)
		return i;
	e = i / GN_HIST_SUB + 5;
	sub = i % GN_HIST_SUB;
	return ((uint64_t)(GN_HIST_SUB + sub + 1) << (e - 6)) - 1;
}

void gn_hist_add(struct gn_hist *h, int64_t v_ns)
{
	uint64_t v = v_ns < 0 ? 0 : (uint64_t)v_ns;

	h->bucket[hist_index(v)]++;
	h->count++;
	h->sum_ns += (double)v_ns;
	if (v_ns < h->min_ns)
		h->min_ns = v_ns;
	if (v_ns > h->max_ns)
		h->max_ns = v_ns;
}

int64_t gn_hist_quantile(const struct gn_hist *h, double q)
{
	uint64_t rank, seen = 0;
	unsigned i;

	if (h->count == 0)
		return 0;
	if (q <= 0.0)
		return h->min_ns;
	if (q >= 1.0)
		return h->max_ns;
	/* The smallest value with at least ceil(q * n) values <= it. */
	rank = (uint64_t)ceil(q * (double)h->count);
	if (rank < 1)
		rank = 1;
	for (i = 0; i < GN_HIST_EXPS * GN_HIST_SUB; i++) {
		seen += h->bucket[i];
		if (seen >= rank) {
			int64_t u = (int64_t)hist_upper(i);

			if (u > h->max_ns)
				u = h->max_ns;
			if (u < h->min_ns)
				u = h->min_ns;
			return u;
		}
	}
	return h->max_ns;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * filter.c - path delay filters (linuxptp's delay_filter and
 * delay_filter_length): moving median and moving average over the last
 * `length` samples. The window fills up progressively: before `length`
 * samples have arrived, the filter works on those it has.
 *
 * Differences from linuxptp, all deliberate:
 *  - results are rounded toward minus infinity (linuxptp truncates toward
 *    zero), matching tt.c; they differ by 1 ns for negative values only;
 *  - nothing can overflow: the median of two middle values and the mean
 *    are computed without forming a 64-bit sum, so hostile delays near
 *    INT64_MAX give the right answer instead of wrapping. The `sum` field
 *    of struct gn_filter is therefore not used and stays 0.
 *
 * The robust mean (gnomon's, GN_FILTER_ROBUST_MEAN) is for noisy paths,
 * where a 10-sample median leaves much of the queueing noise in the
 * delay, and half of it in every offset: it starts as the median of its
 * first (up to 16) samples, then keeps an exponentially weighted mean
 * over `length` samples and the mean absolute deviation around it. A
 * sample further than 6 deviations from the mean is a spike and is not
 * used; 8 such samples in a row on the same side mean the path really
 * changed, and the filter starts over from them. Being a mean, it is
 * unbiased for symmetric and for skewed (queueing) noise alike, which a
 * median of skewed noise is not.
 *
 * Must not allocate, do I/O or keep state outside the struct.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "tt.h"

/* floor(a / n) and the matching remainder in [0, n), for n > 0. */
static int64_t floor_div(int64_t a, int64_t n, int64_t *rem)
{
	int64_t q = a / n, r = a % n;

	if (r < 0) {
		q--;
		r += n;
	}
	if (rem)
		*rem = r;
	return q;
}

/* floor((a + b) / 2) without forming a + b. */
static int64_t mid_floor(int64_t a, int64_t b)
{
	int64_t ra, rb, qa, qb;

	qa = floor_div(a, 2, &ra);
	qb = floor_div(b, 2, &rb);
	return qa + qb + (ra & rb);
}

#define ROBUST_WARMUP	   16
#define ROBUST_K	   6.0
#define ROBUST_RUN	   8
#define ROBUST_DEV_MEMORY 32
#define ROBUST_DEV_MIN_NS 1.0

int gn_filter_init(struct gn_filter *f, enum gn_filter_type type,
		   unsigned length)
{
	if (type == GN_FILTER_ROBUST_MEAN) {
		if (length == 0 || length > GN_FILTER_ROBUST_MAX_LEN)
			return -EINVAL;
		memset(f, 0, sizeof(*f));
		f->type = type;
		f->length = length;
		return 0;
	}
	if (length == 0 || length > GN_FILTER_MAX_LEN)
		return -EINVAL;
	if (type != GN_FILTER_MOVING_MEDIAN && type != GN_FILTER_MOVING_AVERAGE)
		return -EINVAL;
	memset(f, 0, sizeof(*f));
	f->type = type;
	f->length = length;
	return 0;
}

void gn_filter_reset(struct gn_filter *f)
{
	f->count = 0;
	f->head = 0;
	f->sum = 0;
	f->mean_ns = 0.0;
	f->dev_ns = 0.0;
	f->n = 0;
	f->reject_run = 0;
	f->reject_side = 0;
}

/* Drops one copy of v from the sorted array of f->count values. */
static void sorted_remove(struct gn_filter *f, int64_t v)
{
	unsigned i;

	for (i = 0; i + 1 < f->count && f->sorted[i] != v; i++)
		;
	memmove(&f->sorted[i], &f->sorted[i + 1],
		(f->count - i - 1) * sizeof(f->sorted[0]));
	f->count--;
}

/* Inserts v after any equal values: binary search, then one shift. */
static void sorted_insert(struct gn_filter *f, int64_t v)
{
	unsigned lo = 0, hi = f->count, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (f->sorted[mid] <= v)
			lo = mid + 1;
		else
			hi = mid;
	}
	memmove(&f->sorted[lo + 1], &f->sorted[lo],
		(f->count - lo) * sizeof(f->sorted[0]));
	f->sorted[lo] = v;
	f->count++;
}

static int64_t median_sample(struct gn_filter *f, int64_t v)
{
	unsigned n;

	if (f->count == f->length)
		sorted_remove(f, f->ring[f->head]);
	sorted_insert(f, v);

	n = f->count;
	if (n % 2)
		return f->sorted[n / 2];
	return mid_floor(f->sorted[n / 2 - 1], f->sorted[n / 2]);
}

/*
 * Mean of the window, floored: each sample is split as n * q + r with C's
 * truncating division (|q| <= |sample| / n, |r| < n), so the quotients and
 * the remainders can be summed apart without overflow.
 */
static int64_t average_sample(struct gn_filter *f, int64_t v)
{
	int64_t q_sum = 0, r_sum = 0, n;
	unsigned i;

	if (f->count < f->length)
		f->count++;
	f->ring[f->head] = v;

	n = f->count;
	/* The window is ring[0 .. count - 1] until it wraps, then all. */
	for (i = 0; i < f->count; i++) {
		q_sum += f->ring[i] / n;
		r_sum += f->ring[i] % n;
	}
	return q_sum + floor_div(r_sum, n, NULL);
}

static int64_t robust_out(const struct gn_filter *f)
{
	double m = floor(f->mean_ns);

	if (m >= 9.2e18)
		return INT64_MAX;
	if (m <= -9.2e18)
		return INT64_MIN;
	return (int64_t)m;
}

/* Warm-up: the median of the samples so far (in sorted[]). */
static int64_t robust_warmup(struct gn_filter *f, int64_t v, unsigned w)
{
	unsigned n, i;
	int64_t med;

	sorted_insert(f, v);
	n = f->count;
	med = n % 2 ? f->sorted[n / 2]
		    : mid_floor(f->sorted[n / 2 - 1], f->sorted[n / 2]);
	f->mean_ns = (double)med;
	if (n < w)
		return med;
	/* Switch to the weighted mean: deviation around the median. */
	f->dev_ns = 0.0;
	for (i = 0; i < n; i++)
		f->dev_ns += fabs((double)f->sorted[i] - f->mean_ns);
	f->dev_ns /= (double)n;
	f->n = n;
	return med;
}

static int64_t robust_sample(struct gn_filter *f, int64_t v)
{
	unsigned w = f->length < ROBUST_WARMUP ? f->length : ROBUST_WARMUP;
	double d, lim, a;
	int side;

	if (f->count > ROBUST_WARMUP || f->length == 0)
		return v; /* corrupted */
	if (f->n == 0)
		return robust_warmup(f, v, w);

	d = (double)v - f->mean_ns;
	lim = ROBUST_K * (f->dev_ns > ROBUST_DEV_MIN_NS ? f->dev_ns
							 : ROBUST_DEV_MIN_NS);
	if (fabs(d) > lim) {
		side = d > 0 ? 1 : -1;
		f->rejected++;
		if (side != f->reject_side)
			f->reject_run = 0;
		f->reject_side = side;
		if (++f->reject_run < ROBUST_RUN)
			return robust_out(f);
		/* A lasting change: start over from this sample. */
		gn_filter_reset(f);
		return robust_warmup(f, v, w);
	}
	f->reject_run = 0;
	if (f->n < f->length)
		f->n++;
	a = 1.0 / (double)f->n;
	f->mean_ns += a * d;
	a = f->n < ROBUST_DEV_MEMORY ? 1.0 / (double)f->n
				     : 1.0 / ROBUST_DEV_MEMORY;
	f->dev_ns += a * (fabs((double)v - f->mean_ns) - f->dev_ns);
	return robust_out(f);
}

int64_t gn_filter_sample(struct gn_filter *f, int64_t v)
{
	int64_t out;

	if (f->type == GN_FILTER_ROBUST_MEAN)
		return robust_sample(f, v);

	/* An uninitialised or corrupted filter passes samples through. */
	if (f->length == 0 || f->length > GN_FILTER_MAX_LEN ||
	    f->count > f->length || f->head >= f->length)
		return v;

	if (f->type == GN_FILTER_MOVING_AVERAGE) {
		out = average_sample(f, v);
	} else {
		out = median_sample(f, v);
		f->ring[f->head] = v;
	}
	f->head = (f->head + 1) % f->length;
	return out;
}

/* Sample standard deviation of the values held in ring[] / sorted[]. */
static double held_sd(const int64_t *v, unsigned n)
{
	double mean = 0.0, ss = 0.0;
	unsigned i;

	for (i = 0; i < n; i++)
		mean += (double)v[i];
	mean /= (double)n;
	for (i = 0; i < n; i++)
		ss += ((double)v[i] - mean) * ((double)v[i] - mean);
	return sqrt(ss / (double)(n - 1));
}

bool gn_filter_settling(const struct gn_filter *f)
{
	unsigned settle = f->length < GN_FILTER_SETTLE ? f->length
						       : GN_FILTER_SETTLE;

	return f->n == 0 && f->count < settle;
}

double gn_filter_stderr(const struct gn_filter *f)
{
	double sd, a;

	if (f->length == 0 || f->count > GN_FILTER_MAX_LEN)
		return -1.0;
	if (f->type == GN_FILTER_ROBUST_MEAN) {
		if (f->n == 0) {
			/* Warm-up: the median of what is held. */
			if (f->count < 2)
				return -1.0;
			return 1.2533 * held_sd(f->sorted, f->count) /
			       sqrt((double)f->count);
		}
		/* Mean absolute deviation to standard deviation: 1.25 for
		 * Gaussian, 1.36 for exponential noise; take the larger.
		 * An exponentially weighted mean with weight a = 1/n has
		 * variance sd^2 a / (2 - a). */
		sd = 1.36 * f->dev_ns;
		a = 1.0 / (double)f->n;
		return sd * sqrt(a / (2.0 - a));
	}
	if (f->count < 2)
		return -1.0;
	sd = held_sd(f->ring, f->count);
	/* A median is sqrt(pi / 2) less efficient than a mean. */
	if (f->type == GN_FILTER_MOVING_MEDIAN)
		sd *= 1.2533;
	return sd / sqrt((double)f->count);
}

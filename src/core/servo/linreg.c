/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * linreg.c - adaptive linear-regression clock servo, after linuxptp's
 * linreg servo (Miroslav Lichvar's design).
 *
 * Each sample is a point (x, y): x is the local oscillator's own time,
 * with the servo's frequency correction taken back out, y the master's
 * time (local time - offset). Regressions over the last 4, 8, 16, 32 and
 * 64 points give the oscillator's rate against the master (slope) and the
 * predicted offset now (intercept). Each regression's error in predicting
 * the next point is averaged (plain mean over the first 10, then an
 * exponential average with factor 0.02); the servo uses the largest
 * window whose error is within 5 % of the best smaller one. The output is
 * the frequency that matches the slope plus a term that removes the
 * intercept over one sync interval (1 for up to 16 points, 2 for 32, 3
 * for 64), clamped to max_frequency. It steps (JUMP) when the predicted
 * offset is beyond first_step_threshold (before the first lock) or
 * step_threshold. At least 4 points are needed: until then UNLOCKED.
 *
 * Differences from linuxptp:
 *  - points are kept as doubles relative to the current reference point
 *    (moved along with it) rather than as absolute 64-bit integers with a
 *    carried remainder; the regression sees the same differences;
 *  - a degenerate regression (all points at the same local time) is
 *    dropped instead of producing NaN;
 *  - no leap second handling (the core has no servo_leap yet);
 *  - the output is the frequency to apply, the negation of linuxptp's.
 *
 * Like linuxptp's, it keeps its points across a step: after a step of the
 * master's time the window mixes both sides of it, so the servo may step
 * a few times and briefly run at large frequencies until the newer points
 * dominate (4 steps for a 5 ms master step with step_threshold 1 ms).
 *
 * Must not do I/O or read clocks.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "servo.h"
#include "servo_private.h"

#define LR_MIN_SIZE	       2 /* log2 of the smallest window */
#define LR_MAX_SIZE	       6 /* log2 of the largest window */
#define LR_ERR_SMOOTH	       0.02
#define LR_ERR_INITIAL_UPDATES 10
#define LR_ERR_EQUALS	       1.05

_Static_assert((1 << LR_MAX_SIZE) == GN_LINREG_MAX_POINTS, "window sizes");
_Static_assert(LR_MAX_SIZE - LR_MIN_SIZE + 1 == GN_LINREG_SIZES, "sizes");
_Static_assert(GN_LINREG_SIZES <= 8, "err[] holds one value per size");

void gn_servo_linreg_init(struct gn_servo *s, double initial_freq_ppb)
{
	memset(&s->u.lr, 0, sizeof(s->u.lr));
	s->u.lr.clock_freq_ppb = initial_freq_ppb;
	s->u.lr.frequency_ratio = 1.0;
}

void gn_servo_linreg_sync_interval(struct gn_servo *s, double interval_s)
{
	/* The interval is read from s->sync_interval_s when needed. */
	(void)s;
	(void)interval_s;
}

void gn_servo_linreg_reset(struct gn_servo *s)
{
	struct gn_servo_linreg *lr = &s->u.lr;
	unsigned k;

	lr->count = 0;
	lr->have_ref = false;
	lr->size = 0;
	lr->frequency_ratio = 1.0;
	for (k = 0; k < GN_LINREG_SIZES; k++) {
		lr->slope[k] = 0.0;
		lr->err_updates[k] = 0;
	}
}

/* Moves the reference point by (dx, dy): stored points and intercepts
 * are relative to it. */
static void move_reference(struct gn_servo_linreg *lr, double dx, double dy)
{
	unsigned i;

	for (i = 0; i < GN_LINREG_MAX_POINTS; i++) {
		lr->x[i] -= dx;
		lr->y[i] -= dy;
	}
	for (i = 0; i < GN_LINREG_SIZES; i++)
		lr->intercept[i] += dx * lr->slope[i] - dy;
}

/* Advances the reference to local_ns: y by the local clock's elapsed
 * time, x by the same with the frequency correction removed. */
static void update_reference(struct gn_servo_linreg *lr, int64_t local_ns)
{
	double y_interval, x_interval;

	if (lr->have_ref) {
		/* Two's complement difference, as linuxptp's uint64_t. */
		y_interval = (double)(int64_t)((uint64_t)local_ns -
					       (uint64_t)lr->last_update_ns);
		x_interval = y_interval / (1.0 + lr->clock_freq_ppb / 1e9);
		move_reference(lr, x_interval, y_interval);
	}
	lr->last_update_ns = local_ns;
	lr->have_ref = true;
}

static void add_point(struct gn_servo_linreg *lr, int64_t offset_ns,
		      double weight)
{
	lr->head = (lr->head + 1) % GN_LINREG_MAX_POINTS;
	lr->x[lr->head] = 0.0;
	lr->y[lr->head] = -(double)offset_ns;
	lr->w[lr->head] = weight;
	if (lr->count < GN_LINREG_MAX_POINTS)
		lr->count++;
}

static void update_err(struct gn_servo_linreg *lr, unsigned k, double y0)
{
	double e = fabs(lr->intercept[k] - y0);

	if (lr->err_updates[k] < LR_ERR_INITIAL_UPDATES) {
		lr->err[k] = (lr->err[k] * lr->err_updates[k] + e) /
			     (lr->err_updates[k] + 1);
		lr->err_updates[k]++;
	} else {
		lr->err[k] += LR_ERR_SMOOTH * (e - lr->err[k]);
	}
}

static void regress(struct gn_servo_linreg *lr)
{
	double x_sum = 0.0, y_sum = 0.0, xy_sum = 0.0, x2_sum = 0.0;
	double w_sum = 0.0, x, y, w, den;
	unsigned size, k, n, i = 0, l;

	for (size = LR_MIN_SIZE; size <= LR_MAX_SIZE; size++) {
		n = 1u << size;
		if (n > lr->count)
			break;
		k = size - LR_MIN_SIZE;

		/* How well did the last fit predict the newest point? */
		if (lr->slope[k] != 0.0)
			update_err(lr, k, lr->y[lr->head]);

		/* Newest to oldest; each window extends the previous one. */
		for (; i < n; i++) {
			l = (GN_LINREG_MAX_POINTS + lr->head - i) %
			    GN_LINREG_MAX_POINTS;
			x = lr->x[l];
			y = lr->y[l];
			w = lr->w[l];
			x_sum += x * w;
			y_sum += y * w;
			xy_sum += x * y * w;
			x2_sum += x * x * w;
			w_sum += w;
		}

		den = x2_sum - x_sum * x_sum / w_sum;
		if (!(den > 0.0)) {
			lr->slope[k] = 0.0; /* no fit */
			continue;
		}
		lr->slope[k] = (xy_sum - x_sum * y_sum / w_sum) / den;
		lr->intercept[k] = (y_sum - lr->slope[k] * x_sum) / w_sum;
	}
}

/* The largest window whose prediction error is within LR_ERR_EQUALS of
 * the best so far; 0 when no window has a fit yet. */
static unsigned select_size(const struct gn_servo_linreg *lr)
{
	unsigned size, k, best_size = 0;
	double best_err = 0.0;

	for (size = LR_MIN_SIZE; size <= LR_MAX_SIZE; size++) {
		k = size - LR_MIN_SIZE;
		if ((!best_size && lr->slope[k] != 0.0) ||
		    (best_err * LR_ERR_EQUALS > lr->err[k] &&
		     lr->err_updates[k] >= LR_ERR_INITIAL_UPDATES)) {
			best_size = size;
			best_err = lr->err[k];
		}
	}
	return best_size;
}

double gn_servo_linreg_sample(struct gn_servo *s, int64_t offset_ns,
			      int64_t local_ns, double weight,
			      enum gn_servo_state *state)
{
	struct gn_servo_linreg *lr = &s->u.lr;
	double slope, intercept, freq;
	unsigned k, corr_interval;

	update_reference(lr, local_ns);
	add_point(lr, offset_ns, weight);
	regress(lr);
	lr->size = select_size(lr);

	if (lr->size < LR_MIN_SIZE) {
		*state = GN_SERVO_UNLOCKED;
		return lr->clock_freq_ppb;
	}
	k = lr->size - LR_MIN_SIZE;

	if (gn_servo_should_step(s, fabs(lr->intercept[k]))) {
		/* The caller steps the local clock by -offset: move the
		 * reference and the last update time with it. */
		move_reference(lr, 0.0, -(double)offset_ns);
		lr->last_update_ns = (int64_t)((uint64_t)lr->last_update_ns -
					       (uint64_t)offset_ns);
		*state = GN_SERVO_JUMP;
	} else {
		*state = GN_SERVO_LOCKED;
	}

	slope = lr->slope[k];
	intercept = lr->intercept[k];
	/* Longer windows correct the offset more slowly, to keep the
	 * frequency error they are good at small. */
	corr_interval = lr->size <= 4 ? 1 : lr->size / 2;
	freq = 1e9 * (slope - 1.0) +
	       intercept / s->sync_interval_s / corr_interval;
	lr->clock_freq_ppb = gn_servo_clamp_ppb(s, freq);
	lr->frequency_ratio = slope / (1.0 + lr->clock_freq_ppb / 1e9);
	return lr->clock_freq_ppb;
}

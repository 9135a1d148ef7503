/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kalman.c - a Kalman-filter clock servo with a noise model learnt
 * online, spike rejection, fast start and an honest uncertainty.
 *
 * Model. The state is x = offset (local - master, ns) and f = the
 * oscillator's frequency against the master without the servo's
 * adjustment (ppb). Adjustments multiply the oscillator's rate, so with
 * the adjustment u the servo applied the clock runs at (1 + f)(1 + u)
 * against the master, its offset changes at r = f + u + f u (in ppb,
 * the product scaled by 1e-9), and between samples dt apart in local
 * time (dt / (1 + r) in the master's)
 *     x' = x + r dt / (1 + r),   f' = f  (+ process noise),
 * so the filter accounts for its own corrections exactly, even while
 * it slews at 10 % or cancels a 9 % frequency error; the linear model
 * x' = x + (f + u) dt would learn a wrong f there and miss by the
 * difference as soon as u changes. The process noise is
 * that of a pair of oscillators: white frequency noise q_wfm (phase
 * diffuses, ns^2/s) and random-walk frequency noise q_rwfm (ppb^2/s):
 *     Q = [ q_wfm dt + q_rwfm dt^3/3   q_rwfm dt^2/2 ]
 *         [ q_rwfm dt^2/2              q_rwfm dt     ].
 * Each offset sample z = x + v has white noise of variance R.
 *
 * Learning R, q_wfm, q_rwfm. The servo knows every phase it put into the
 * clock (adjustments and steps), so it reconstructs the free-running
 * phase y = z - servo phase. A ladder of levels k = 0..13 averages y
 * over windows of m = 2^k samples; the second difference of consecutive
 * window means (a modified Allan variance), taken as the error of a
 * linear prediction from the windows' mean times so that the frequency
 * offset cancels exactly even when samples are missing, has the mean
 * square, for sample spacing dt,
 *     D_k = R 6/m + q_wfm (m + 1/m) dt
 *           + q_rwfm (11 m^3/20 + m/12 + 1/(30 m)) dt^3,
 * (exact for evenly spaced samples; the unit test checks these
 * coefficients against direct summation). With one level the squares
 * cannot tell white phase noise from wander; the mean product of
 * neighbouring level-0 differences, -4 R - q_wfm dt + q_rwfm dt^3 / 6,
 * can (-2/3 of D_0 for white PM, +1/4 for random-walk FM), and is one
 * more row of the fit. Window means further apart than 1.5 times the
 * level's spacing (refusals in a row) give no difference. A
 * non-negative weighted least squares fit over the levels gives the
 * three; a process noise the data cannot yet see is held at the
 * largest value the data allow (a 95 % upper bound from the level that
 * limits it most), so the filter is cautious at first and averages
 * longer as evidence accumulates. R is in every fit unless it would
 * come out negative; then it is taken as half of what the shortest
 * level allows. Squared differences are winsorised at 25 times the
 * level's mean, so spikes cannot blow the model up.
 *
 * Spikes. A sample whose innovation exceeds 5 sigma of its predicted
 * spread is refused (after an 8-sample warm-up). Four refusals in a row
 * mean the world changed (master step, new path) or the noise model is
 * short of the truth: the filter restarts from the current sample,
 * keeping its frequency knowledge and its noise ladder (which goes on
 * learning through the restart, but no second difference spans it), so
 * it cannot lock itself out.
 *
 * Start (as linuxptp's PI: s0 on the first sample, s1 or s2 on the
 * second). The first sample after a (re)start sets the offset; the
 * second gives the frequency and, if the offset is beyond
 * first_step_threshold (before the first lock) or step_threshold, the
 * servo says JUMP and the caller steps the clock by -offset.
 *
 * Control. After each update the servo sets u so that the offset moves
 * at r = -(x - c) / dt - c / tau, c = x clipped to 4 deviations of the
 * estimate, tau = max(dt, 1 s): it cancels the estimated frequency error,
 * removes what the estimate holds beyond its own error within one
 * interval (dead-beat on that), and the rest over one interval or over a
 * second when samples come faster, so that the estimate's error does not
 * become frequency noise of error / dt.
 *
 * A moved path delay (gn_servo_kalman_shift) moves all later offsets:
 * beyond two deviations the estimate moves with them at once. A fitted
 * R much larger than the one the covariances were built with scales
 * them up by the ratio.
 *
 * Uncertainty. The gains come from the fitted noise model. Alongside,
 * the servo propagates the covariance of the same estimator (same gains)
 * under the pessimistic model (every noise at its 95 % upper bound, R
 * included), in Joseph form, which is valid for a suboptimal gain; its
 * square roots are what gn_servo_estimate reports, the offset's widened
 * when the innovations have heavier tails than Gaussian (their 99.9 %
 * quantile is tracked) in proportion to the gain, so that 3 deviations
 * cover about as often as for Gaussian noise.
 * It covers the measurement noise of the offsets; delay asymmetry is not
 * observable and is not included.
 *
 * Must not do I/O, read clocks or keep state outside the struct.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "servo.h"
#include "servo_private.h"

#define KF_LEVEL_MEMORY	 64   /* second differences averaged per level */
#define KF_LEVEL_RESTART 8    /* memory kept when the phase is broken */
#define KF_CLIP		 25.0 /* winsorise d^2 at this many mean squares */
#define KF_CLIP_AFTER	 2    /* ... once this many are averaged */
#define KF_GATE		 5.0  /* innovation gate, in sigma */
#define KF_GATE_RUN	 4    /* refusals in a row that force a restart */
#define KF_WARMUP	 8    /* samples after a (re)start without gate */
/* ... and seconds: the path delay measured before a step is wrong and
 * is replaced within two Delay_Req intervals (1588: random in [0, 2]
 * times 2^logMinDelayReqInterval, 1 s by default). */
#define KF_WARMUP_NS 4000000000LL
#define KF_DT_MEMORY 16.0 /* samples in the mean sample spacing */
/* Consistency: the mean of innovation^2 / predicted variance over about
 * this many samples (each capped at the gate); beyond 2 the process
 * noise in use is scaled by (mean - 1) until the fit catches up. */
#define KF_NIS_MEMORY 16.0
/* A fitted R this many times the one in use rescales the covariances. */
#define KF_R_RESCALE 1.5
/* Shortest time over which the control removes the estimated offset. */
#define KF_TAU_MIN_S 1.0
/* ... unless the estimate is this many deviations from zero. */
#define KF_TAU_SIGMAS 4.0
/* A move of the offsets' reference (path delay) shifts the estimate when
 * it is beyond this many deviations of it. */
#define KF_SHIFT_SIGMAS 2.0
#define KF_FIT_MIN_N	4 /* squared differences for a level to be fit */
/* When the fit puts R at zero (wander explains the shortest level), the
 * share of that level's variance still taken for measurement noise: the
 * data say nothing of R then, and a filter told its samples are exact
 * follows them dead-beat, noise and all. */
#define KF_R_SHARE_UNSEEN 0.5
/* Mean normalised innovation square beyond which a fit from too few
 * levels for R may leave R out (4 took the first minute of 100 us
 * software stamps at 2 s sync for wander). */
#define KF_NIS_FALLBACK 6.5

/* Second differences that estimate R during a warm-up (fast Sync only:
 * 32 give it within about 25 %, a warm-up at 1 s has 8). */
#define KF_EARLY_N 16
/* Innovations after the first frequency that test the prior R, and the
 * mean normalised square beyond which it is raised. */
#define KF_EARLY_NIS_N	 4
#define KF_EARLY_NIS_MAX 25.0
/* ... unless their lag-1 correlation is above this and that of the
 * phase's second differences above KF_EARLY_SHAPE (expected -2/3 times
 * (n - 1) / n for white phase noise, 0 for frequency steps): wander. */
#define KF_EARLY_CORR  0.5
#define KF_EARLY_SHAPE -0.2
/* Products of neighbouring level-0 differences before their mean may,
 * when positive, let a fit from one level leave R out: only random-walk
 * FM correlates neighbours positively (+1/4 of the squares; white FM
 * -1/2, white phase noise -2/3, the estimate's spread about 0.3 at 8
 * products), and only when level 0 varies more than the prior
 * measurement noise (10 us) would make it: a servo's ringing or a
 * delay filter settling is also slow phase motion (a period of 8
 * samples correlates neighbours by cos 45 degrees), and in
 * linuxptp-testsuite 13 (no jitter, 9 us of ringing in the first
 * minute) passed for wander; 16's wander is 0.1 ms a second. */
#define KF_SHAPE_MIN_N 8
/* Window means further apart than this many times their nominal spacing
 * give no second difference (level_second_diff). */
#define KF_GAP_MAX 1.5
/* Tail calibration: the 99.9 % quantile of |innovation| / sd, tracked
 * by stochastic approximation; 3.29 for Gaussian noise. */
#define KF_TAIL_P     0.001
#define KF_TAIL_GAUSS 3.29
#define KF_TAIL_STEP  0.05
/* Share of the upper bound of a process noise the gains assume when
 * the fit is below it, and the most that share may add: white FM of
 * 3e-8 and random-walk FM of 3e-9 (Allan deviation at 1 s), a poor
 * crystal. A larger fit is used as it is. */
#define KF_BOUND_SHARE 0.05
#define KF_QWFM_CAP    900.0
#define KF_QRWFM_CAP   27.0
/* Floors: a 0.1 ns stamp, a 1e-12 white-FM and a 1e-14 random-walk-FM
 * oscillator (Allan deviation at 1 s). */
#define KF_R_MIN     0.01
#define KF_QWFM_MIN  1e-6
#define KF_QRWFM_MIN 3e-10
/* Before any data: 10 us of noise (see early_consistency), phase and frequency
 * wandering by 10 us and 1 ppm per root second for the uncertainty (3.2 us and
 * 0.3 ppm for the gains: a compromise between locking fast under heavy
 * noise and following a master that is itself still converging);
 * frequency unknown within 500 ppm; a restart (new master, forced)
 * widens it by 10 ppm. */
#define KF_R_PRIOR	    1e8
#define KF_QWFM_PRIOR	    1e8
#define KF_QRWFM_PRIOR	    1e6
#define KF_QWFM_GAIN_PRIOR  1e7
#define KF_QRWFM_GAIN_PRIOR 1e5
#define KF_F_PRIOR_VAR	    2.5e11
#define KF_F_RESTART_VAR    1e8

void gn_servo_kalman_coefficients(unsigned level, double dt_s, double c[3])
{
	double m = (double)(1u << level);

	c[0] = 6.0 / m;
	c[1] = (m + 1.0 / m) * dt_s;
	c[2] = (11.0 * m * m * m / 20.0 + m / 12.0 + 1.0 / (30.0 * m)) * dt_s *
	       dt_s * dt_s;
}

void gn_servo_kalman_lag_coefficients(double dt_s, double c[3])
{
	c[0] = -4.0;
	c[1] = -dt_s;
	c[2] = dt_s * dt_s * dt_s / 6.0;
}

static void ladder_break(struct gn_servo_kalman *kf)
{
	unsigned k;

	kf->ladder_live = false;
	for (k = 0; k < GN_KALMAN_LEVELS; k++) {
		struct gn_kalman_level *lv = &kf->lv[k];

		lv->sum = 0.0;
		lv->sum_t = 0.0;
		lv->fill = 0;
		lv->navg = 0;
		if (lv->n > KF_LEVEL_RESTART)
			lv->n = KF_LEVEL_RESTART;
		if (lv->ndd > KF_LEVEL_RESTART)
			lv->ndd = KF_LEVEL_RESTART;
		lv->have_d_last = false;
	}
	memset(&kf->early, 0, sizeof(kf->early));
	kf->early_used = false;
	kf->early_nis = 0.0;
	kf->early_nis_n = 0;
	kf->early_corr = 0.0;
	kf->early_u = 0.0;
	kf->early_d = 0.0;
	kf->early_d2 = 0.0;
	kf->early_dd = 0.0;
	kf->early_d_n = 0;
}

/* A discontinuity (the master's time stepped, or the path moved): no
 * difference may span it, so the windows in progress are dropped on
 * every level; what the levels learnt is kept. */
static void ladder_cut(struct gn_servo_kalman *kf)
{
	unsigned k;

	for (k = 0; k < GN_KALMAN_LEVELS; k++) {
		kf->lv[k].sum = 0.0;
		kf->lv[k].sum_t = 0.0;
		kf->lv[k].fill = 0;
		kf->lv[k].navg = 0;
		kf->lv[k].have_d_last = false;
	}
}

static void level_add_d2(struct gn_kalman_level *lv, double d2)
{
	if (lv->n >= KF_CLIP_AFTER && d2 > KF_CLIP * lv->d2)
		d2 = KF_CLIP * lv->d2;
	if (lv->n < KF_LEVEL_MEMORY)
		lv->n++;
	lv->d2 += (d2 - lv->d2) / (double)lv->n;
}

/* Appends a window mean a at time at to a level; once it holds three,
 * *d is the error of the linear prediction of the newest mean from the
 * two before it (the second difference if evenly spaced) and the
 * answer true. Not when the means are more than span seconds apart: the
 * coefficients hold for the level's own spacing, and wander over a gap
 * (refused samples in a row) would be booked as if over one interval,
 * a 5 s gap as 125 times the random-walk FM. */
static bool level_second_diff(struct gn_kalman_level *lv, double a, double at,
			      double span, double *d)
{
	double t10, t21;

	lv->avg[2] = lv->avg[1];
	lv->avg[1] = lv->avg[0];
	lv->avg[0] = a;
	lv->avg_t[2] = lv->avg_t[1];
	lv->avg_t[1] = lv->avg_t[0];
	lv->avg_t[0] = at;
	if (lv->navg < 3)
		lv->navg++;
	if (lv->navg < 3)
		return false;
	t10 = lv->avg_t[1] - lv->avg_t[2];
	t21 = lv->avg_t[0] - lv->avg_t[1];
	if (!(t10 > 0.0 && t21 > 0.0) || t10 > span || t21 > span)
		return false;
	*d = (lv->avg[0] - lv->avg[1]) - (lv->avg[1] - lv->avg[2]) * t21 / t10;
	return true;
}

/* The product of two consecutive second differences, winsorised as
 * their squares are. */
static void level_add_dd(struct gn_kalman_level *lv, double p)
{
	double lim = KF_CLIP * lv->d2;

	if (lv->ndd >= KF_CLIP_AFTER)
		p = p > lim ? lim : p < -lim ? -lim : p;
	if (lv->ndd < KF_LEVEL_MEMORY)
		lv->ndd++;
	lv->dd += (p - lv->dd) / (double)lv->ndd;
}

/* ... and adds its square, and its product with the one before, to the
 * level's means. */
static void level_push(struct gn_kalman_level *lv, double a, double at,
		       double span)
{
	double d;

	if (!level_second_diff(lv, a, at, span, &d)) {
		lv->have_d_last = false;
		return;
	}
	if (lv->have_d_last)
		level_add_dd(lv, d * lv->d_last);
	lv->d_last = d;
	lv->have_d_last = true;
	level_add_d2(lv, d * d);
}

/* Feeds one free-running phase value y (ns) at time t (s) into the
 * ladder. */
static void ladder_add(struct gn_servo_kalman *kf, double y, double t)
{
	double a = y, at = t;
	unsigned k;

	for (k = 0; k < GN_KALMAN_LEVELS; k++) {
		struct gn_kalman_level *lv = &kf->lv[k];

		if (k > 0) {
			/* A level-k window is two level-(k-1) windows. */
			lv->sum += a;
			lv->sum_t += at;
			if (++lv->fill < 2)
				return;
			a = lv->sum / 2.0;
			at = lv->sum_t / 2.0;
			lv->sum = 0.0;
			lv->sum_t = 0.0;
			lv->fill = 0;
		}
		level_push(lv, a, at,
			   KF_GAP_MAX * kf->dt_s * (double)(1u << k));
	}
}

/* Solves the k x k system a x = b (k <= 3) by elimination with partial
 * pivoting. Returns false when singular. */
static bool solve_small(double a[3][3], double b[3], unsigned k, double x[3])
{
	unsigned i, j, r, p;

	for (i = 0; i < k; i++) {
		p = i;
		for (r = i + 1; r < k; r++)
			if (fabs(a[r][i]) > fabs(a[p][i]))
				p = r;
		if (!(fabs(a[p][i]) > 1e-12))
			return false;
		if (p != i) {
			for (j = 0; j < k; j++) {
				double t = a[i][j];

				a[i][j] = a[p][j];
				a[p][j] = t;
			}
			double t = b[i];

			b[i] = b[p];
			b[p] = t;
		}
		for (r = i + 1; r < k; r++) {
			double f = a[r][i] / a[i][i];

			for (j = i; j < k; j++)
				a[r][j] -= f * a[i][j];
			b[r] -= f * b[i];
		}
	}
	for (i = k; i-- > 0;) {
		double v = b[i];

		for (j = i + 1; j < k; j++)
			v -= a[i][j] * x[j];
		x[i] = v / a[i][i];
	}
	return true;
}

/*
 * Upper 95 % confidence factor for a variance estimated as the mean of n
 * squared differences: n / chi2_0.05(n) by Wilson and Hilferty. Second
 * differences of neighbouring windows are correlated, so they count as
 * half as many independent ones.
 */
static double variance_ucb(unsigned n)
{
	double ne = (double)n / 2.0, a, den;

	if (ne < 0.5)
		ne = 0.5;
	a = 2.0 / (9.0 * ne);
	den = 1.0 - 1.645 * sqrt(a) - a;
	if (den < 0.05)
		den = 0.05;
	return 1.0 / (den * den * den);
}

/* Adds the row w (c . x - v) to the normal equations. */
static void fit_row(double nm[3][3], double rhs[3], double scale[3], double *bb,
		    const double c[3], double w, double v)
{
	double cw[3];
	unsigned i, j;

	for (i = 0; i < 3; i++) {
		cw[i] = c[i] * w;
		scale[i] += cw[i] * cw[i];
	}
	for (i = 0; i < 3; i++) {
		for (j = 0; j < 3; j++)
			nm[i][j] += cw[i] * cw[j];
		rhs[i] += cw[i] * w * v;
	}
	*bb += w * v * w * v;
}

/*
 * Non-negative least squares for (R, q_wfm, q_rwfm) over the levels,
 * each weighted by its number of squared differences and measured
 * relative to its own value. With three unknowns every active set can
 * be tried. out[0] is the fit of R; out[1], out[2] are the process
 * noises: the fit, or, when larger, the least upper bound any level
 * puts on them (what the data cannot rule out), so that an oscillator
 * the data have not yet shown is not assumed better than it may be.
 */
static void fit_noise(struct gn_servo_kalman *kf, double out[3], double hi[3])
{
	double nm[3][3] = {{0}}, rhs[3] = {0}, scale[3] = {0};
	double bound[3] = {HUGE_VAL, HUGE_VAL, HUGE_VAL};
	double best_res = HUGE_VAL, best[3] = {0, 0, 0}, bb = 0.0;
	double dt = kf->dt_s;
	/* Sets of unknowns (bit 0 R, 1 q_wfm, 2 q_rwfm), those with R
	 * first. */
	static const unsigned set_order[7] = {1, 3, 5, 7, 2, 4, 6};
	bool r_negative[8] = {false};
	unsigned k, i, j, o, best_set = 1;
	unsigned rows = 0;
	/* Level 0's scale and the mean square the prior R alone would
	 * give it; m0 stays 0 while level 0 is no row of the fit. */
	double m0 = 0.0, d0_prior = 0.0;
	bool shape = false;

	for (k = 0; k < GN_KALMAN_LEVELS; k++) {
		const struct gn_kalman_level *lv = &kf->lv[k];
		double c[3], w, ub, mdl;

		if (!lv->n || !(lv->d2 > 0.0))
			continue;
		gn_servo_kalman_coefficients(k, dt, c);
		ub = lv->d2 * variance_ucb(lv->n);
		for (i = 0; i < 3; i++)
			if (ub / c[i] < bound[i])
				bound[i] = ub / c[i];
		/* Few squared differences say little: they bound the noises
		 * (above) but do not enter the fit (level 0 always does). */
		if (k > 0 && lv->n < KF_FIT_MIN_N)
			continue;
		/* Row: sqrt(n) (sum c_i x_i - D) / M, with M the larger of
		 * D and what the model in use predicts: a mean of few
		 * squares can be far below its expectation, and must not
		 * pull the fit down by its relative error alone. */
		mdl = c[0] * kf->r_ns2 + c[1] * kf->q_wfm + c[2] * kf->q_rwfm;
		if (k == 0) {
			m0 = mdl > lv->d2 ? mdl : lv->d2;
			d0_prior = c[0] * KF_R_PRIOR;
		}
		w = sqrt((double)lv->n) / (mdl > lv->d2 ? mdl : lv->d2);
		fit_row(nm, rhs, scale, &bb, c, w, lv->d2);
		rows++;
	}
	/* Level 0's neighbouring differences, on level 0's scale: with the
	 * squares alone, one level cannot tell white phase noise from
	 * wander (any single noise fits one number). */
	if (m0 > 0.0 && kf->lv[0].ndd >= KF_FIT_MIN_N) {
		const struct gn_kalman_level *l0 = &kf->lv[0];
		double c[3];

		gn_servo_kalman_lag_coefficients(dt, c);
		fit_row(nm, rhs, scale, &bb, c, sqrt((double)l0->ndd) / m0,
			l0->dd);
		shape = l0->ndd >= KF_SHAPE_MIN_N && l0->dd > 0.0 &&
			l0->d2 > d0_prior;
	}
	if (!rows) {
		/* Nothing known: assume the worst, follow the samples. */
		out[0] = hi[0] = KF_R_PRIOR;
		out[1] = KF_QWFM_GAIN_PRIOR;
		out[2] = KF_QRWFM_GAIN_PRIOR;
		hi[1] = KF_QWFM_PRIOR;
		hi[2] = KF_QRWFM_PRIOR;
		return;
	}
	for (i = 0; i < 3; i++)
		scale[i] = scale[i] > 0.0 ? sqrt(scale[i]) : 1.0;
	for (i = 0; i < 3; i++) {
		for (j = 0; j < 3; j++)
			nm[i][j] /= scale[i] * scale[j];
		rhs[i] /= scale[i];
	}

	for (o = 0; o < 7; o++) {
		double a[3][3], b[3], x[3] = {0}, full[3] = {0, 0, 0};
		unsigned idx[3], n = 0, p, q, set = set_order[o];
		double res;
		bool ok = true;

		/* Every set has white measurement noise (samples always have
		 * some, and a noisy start must not pass for wander), except
		 * where the same set with it wants a negative one: the
		 * constrained fit is then on that boundary, R = 0 (the floor
		 * below), and refusing it would leave only fits without the
		 * wander the levels show. */
		if (!(set & 1u) && !r_negative[set | 1u])
			continue;
		for (i = 0; i < 3; i++)
			if (set & (1u << i))
				idx[n++] = i;
		/* Fewer unknowns than levels, or the fit is arbitrary. The
		 * same set without R (one unknown fewer) may still be tried
		 * when the model in use fails its own consistency check by
		 * far: a wander far beyond it (linuxptp-testsuite 16) must
		 * not wait for a third level; a start-up transient, or noise
		 * the filter has not yet learnt, must not pass for wander. */
		if (n >= rows && n > 1) {
			if (kf->nis > KF_NIS_FALLBACK || shape)
				r_negative[set] = true;
			continue;
		}
		for (p = 0; p < n; p++) {
			for (q = 0; q < n; q++)
				a[p][q] = nm[idx[p]][idx[q]];
			b[p] = rhs[idx[p]];
		}
		if (!solve_small(a, b, n, x))
			continue;
		for (p = 0; p < n; p++) {
			if (!(x[p] >= 0.0))
				ok = false;
			full[idx[p]] = x[p];
		}
		if ((set & 1u) && x[0] < 0.0)
			r_negative[set] = true;
		if (!ok)
			continue;
		/* |A x - b|^2 = x'Nx - 2 x'r + b'b, plus 2 per unknown
		 * (Akaike): an extra noise must earn its place. */
		res = bb + 2.0 * (double)n;
		for (i = 0; i < 3; i++) {
			res -= 2.0 * full[i] * rhs[i];
			for (j = 0; j < 3; j++)
				res += full[i] * nm[i][j] * full[j];
		}
		if (res < best_res) {
			best_res = res;
			best_set = set;
			for (i = 0; i < 3; i++)
				best[i] = full[i];
		}
	}
	for (i = 0; i < 3; i++) {
		out[i] = best[i] / scale[i];
		hi[i] = bound[i] > out[i] ? bound[i] : out[i];
	}
	if (!(best_set & 1u) && kf->lv[0].n)
		out[0] = KF_R_SHARE_UNSEEN * kf->lv[0].d2 / 6.0;
	/* The filter's process noise: the fit, but at least a part of
	 * what cannot be ruled out, as long as that is not beyond a poor
	 * crystal oscillator (early on, a few samples rule out little). */
	for (i = 1; i < 3; i++) {
		double b = KF_BOUND_SHARE * bound[i];
		double cap = i == 1 ? KF_QWFM_CAP : KF_QRWFM_CAP;

		if (b > cap)
			b = cap;
		if (b > out[i])
			out[i] = b;
	}
	if (out[0] < KF_R_MIN)
		out[0] = KF_R_MIN;
	if (out[1] < KF_QWFM_MIN)
		out[1] = KF_QWFM_MIN;
	if (out[2] < KF_QRWFM_MIN)
		out[2] = KF_QRWFM_MIN;
	for (i = 0; i < 3; i++)
		if (hi[i] < out[i])
			hi[i] = out[i];
}

static void scale3(double *a, double *b, double *c, double g)
{
	*a *= g;
	*b *= g;
	*c *= g;
}

/* A covariance built on an R that turned out g times too small. */
static void rescale_cov(double *c00, double *c01, double *c11, double g)
{
	if (g > KF_R_RESCALE)
		scale3(c00, c01, c11, g);
}

static void update_noise(struct gn_servo_kalman *kf)
{
	double q[3], hi[3];

	fit_noise(kf, q, hi);
	/* The covariances were built on the old R: when the samples turn
	 * out much noisier, the estimates made from them are as much less
	 * certain than P says (P scales with R for a given Q / R), and a
	 * filter that kept P would trust a frequency learnt from a few
	 * noisy samples for minutes. */
	rescale_cov(&kf->p00, &kf->p01, &kf->p11, q[0] / kf->r_ns2);
	rescale_cov(&kf->e00, &kf->e01, &kf->e11, hi[0] / kf->r_hi_ns2);
	kf->r_ns2 = q[0];
	kf->q_wfm = q[1];
	kf->q_rwfm = q[2];
	kf->r_hi_ns2 = hi[0];
	kf->q_wfm_hi = hi[1];
	kf->q_rwfm_hi = hi[2];
}

/*
 * During a warm-up the ladder waits, and the filter runs on the prior R
 * (10 us): at 16 or 128 Sync messages a second that averages a few
 * hundred nanoseconds of hardware noise as if it were microseconds, and
 * a frequency error left by the first two samples takes seconds to go.
 * Their second differences (mean square 6 R, the wander negligible at
 * such spacing, winsorised) tell R once there are KF_EARLY_N of them;
 * if it is much smaller than the one in use, R, the gains' process
 * noises and the covariances are scaled down by the ratio: the filter
 * keeps its dynamics, but knows how well it knows the offset. Once.
 * d: this sample's second difference (early_phase).
 */
static void early_noise(struct gn_servo_kalman *kf, double d)
{
	double r, g;

	if (kf->early_used)
		return;
	level_add_d2(&kf->early, d * d);
	if (kf->early.n < KF_EARLY_N)
		return;
	kf->early_used = true;
	r = kf->early.d2 / 6.0;
	if (r < KF_R_MIN)
		r = KF_R_MIN;
	g = r / kf->r_ns2;
	if (!(g * KF_R_RESCALE < 1.0))
		return;
	kf->r_ns2 *= g;
	kf->q_wfm *= g;
	kf->q_rwfm *= g;
	scale3(&kf->p00, &kf->p01, &kf->p11, g);
}

/* The warm-up's free-running phase y at t (s): its second differences,
 * their sum of squares and of products of neighbours, for
 * early_consistency; true with the newest in *d. */
static bool early_phase(struct gn_servo_kalman *kf, double y, double t,
			double *d)
{
	if (!level_second_diff(&kf->early, y, t, KF_GAP_MAX * kf->dt_s, d))
		return false;
	kf->early_d2 += *d * *d;
	if (kf->early_d_n++)
		kf->early_dd += *d * kf->early_d;
	kf->early_d = *d;
	return true;
}

/*
 * The other way: samples far noisier than the prior (software stamps
 * behind 100 us of queueing) show in the first innovations after the
 * frequency is set, long before the ladder runs at 1 s sync. Their mean
 * normalised square over KF_EARLY_NIS_N samples beyond KF_EARLY_NIS_MAX
 * (about 1 if the prior holds; 25, five deviations on average, is no
 * mere first-frequency transient) scales R and the covariances up by
 * it, once; unless the innovations keep their sign and the phase's
 * second differences do not alternate: then it is wander, and the
 * process noises and covariances are scaled up instead.
 */
static void early_consistency(struct gn_servo_kalman *kf, double nis, double u)
{
	double g;

	if (kf->early_nis_n >= KF_EARLY_NIS_N)
		return;
	kf->early_nis += nis;
	if (kf->early_nis_n)
		kf->early_corr += u * kf->early_u;
	kf->early_u = u;
	if (++kf->early_nis_n < KF_EARLY_NIS_N)
		return;
	g = kf->early_nis / KF_EARLY_NIS_N;
	if (!(g > KF_EARLY_NIS_MAX))
		return;
	if (kf->early_corr > KF_EARLY_CORR * kf->early_nis &&
	    kf->early_d_n >= 2 &&
	    kf->early_dd > KF_EARLY_SHAPE * kf->early_d2) {
		/* Innovations that keep their sign, and second differences
		 * of the phase that do not alternate as white noise makes
		 * them: a frequency the filter does not follow fast enough,
		 * not noise (a first frequency taken from two noisy samples
		 * also gives innovations of one sign). */
		kf->q_wfm *= g;
		kf->q_rwfm *= g;
		kf->q_wfm_hi *= g;
		kf->q_rwfm_hi *= g;
		scale3(&kf->p00, &kf->p01, &kf->p11, g);
		scale3(&kf->e00, &kf->e01, &kf->e11, g);
		return;
	}
	kf->r_ns2 *= g;
	kf->r_hi_ns2 *= g;
	rescale_cov(&kf->p00, &kf->p01, &kf->p11, g);
	rescale_cov(&kf->e00, &kf->e01, &kf->e11, g);
}

/* Offset rate (ppb) of a clock of frequency f_ppb adjusted by u_ppb. */
static double kf_rate(double f_ppb, double u_ppb)
{
	return f_ppb + u_ppb + f_ppb * u_ppb * 1e-9;
}

/* Master-time length of dt_s local seconds at offset rate r_ppb. */
static double kf_master_dt(double dt_s, double r_ppb)
{
	double d = 1.0 + r_ppb * 1e-9;

	return d > 0.5 ? dt_s / d : dt_s;
}

void gn_servo_kalman_init(struct gn_servo *s, double initial_freq_ppb)
{
	struct gn_servo_kalman *kf = &s->u.kf;

	memset(kf, 0, sizeof(*kf));
	kf->u_ppb = initial_freq_ppb;
	/* Until told otherwise the adjustment is assumed right:
	 * (1 + f)(1 + u) = 1. */
	kf->f_ppb = initial_freq_ppb > -5e8
			? (1.0 / (1.0 + initial_freq_ppb * 1e-9) - 1.0) * 1e9
			: 0.0;
	kf->p11 = KF_F_PRIOR_VAR;
	kf->e11 = KF_F_PRIOR_VAR;
	kf->tail = KF_TAIL_GAUSS;
	kf->nis = 1.0;
	kf->r_ns2 = kf->r_hi_ns2 = KF_R_PRIOR;
	kf->q_wfm = KF_QWFM_GAIN_PRIOR;
	kf->q_rwfm = KF_QRWFM_GAIN_PRIOR;
	kf->q_wfm_hi = KF_QWFM_PRIOR;
	kf->q_rwfm_hi = KF_QRWFM_PRIOR;
	kf->dt_s = 1.0;
}

void gn_servo_kalman_sync_interval(struct gn_servo *s, double interval_s)
{
	struct gn_servo_kalman *kf = &s->u.kf;

	if (fabs(interval_s - kf->dt_s) <= 1e-3 * interval_s)
		return;
	/* Lags in samples now mean other times: let the ladder refill. */
	kf->dt_s = interval_s;
	if (kf->accepted)
		ladder_break(kf);
}

void gn_servo_kalman_reset(struct gn_servo *s)
{
	struct gn_servo_kalman *kf = &s->u.kf;

	/* A new master: its time may differ, its frequency a little. The
	 * noise model and the frequency estimate are kept. */
	kf->count = 0;
	kf->reject_run = 0;
	kf->p11 += KF_F_RESTART_VAR;
	kf->e11 += KF_F_RESTART_VAR;
	ladder_break(kf);
}

/* P' = F P F' + Q(q_wfm, q_rwfm, dt), F = [1 dt; 0 1]. */
static void propagate(double *p00, double *p01, double *p11, double dt,
		      double q_wfm, double q_rwfm)
{
	double a = *p00, b = *p01, c = *p11;

	*p00 = a + 2.0 * dt * b + dt * dt * c + q_wfm * dt +
	       q_rwfm * dt * dt * dt / 3.0;
	*p01 = b + dt * c + q_rwfm * dt * dt / 2.0;
	*p11 = c + q_rwfm * dt;
}

/* dt: local seconds since the last estimate. The covariance moves with
 * the master-time interval scaled by dr/df = 1 + u. */
static void predict(struct gn_servo_kalman *kf, double dt)
{
	double r = kf_rate(kf->f_ppb, kf->u_ppb);
	double dtm = kf_master_dt(dt, r);
	double dtf = dtm * (1.0 + kf->u_ppb * 1e-9);
	/* Innovations larger than the model predicts, sample after
	 * sample: the oscillator wanders more than the fit knows yet. */
	double g = kf->nis > 2.0 ? kf->nis - 1.0 : 1.0;

	propagate(&kf->p00, &kf->p01, &kf->p11, dtf, g * kf->q_wfm,
		  g * kf->q_rwfm);
	propagate(&kf->e00, &kf->e01, &kf->e11, dtf, g * kf->q_wfm_hi,
		  g * kf->q_rwfm_hi);
	kf->x_ns += r * dtm;
	kf->servo_phase_ns += (r - kf->f_ppb) * dtm;
}

static void update(struct gn_servo_kalman *kf, double innov, double r)
{
	double sv = kf->p00 + r, k0 = kf->p00 / sv, k1 = kf->p01 / sv;
	double p00 = kf->p00, p01 = kf->p01;
	double u = fabs(innov) / sqrt(kf->e00 + kf->r_hi_ns2 * r / kf->r_ns2);

	/* How heavy are the tails of the innovations, against what the
	 * (pessimistic) model predicts? */
	if (u > kf->tail)
		kf->tail += KF_TAIL_STEP * (1.0 - KF_TAIL_P);
	else
		kf->tail -= KF_TAIL_STEP * KF_TAIL_P;
	if (kf->tail < KF_TAIL_GAUSS)
		kf->tail = KF_TAIL_GAUSS;
	kf->gain = k0;

	kf->x_ns += k0 * innov;
	kf->f_ppb += k1 * innov;
	kf->p00 = p00 * (1.0 - k0);
	kf->p01 = p01 * (1.0 - k0);
	kf->p11 -= k1 * p01;
	if (kf->p11 < 0.0)
		kf->p11 = 0.0;

	/* Joseph form with the same gain under the pessimistic model:
	 * E = A E A' + R_hi K K', A = I - K H. */
	{
		double e00 = kf->e00, e01 = kf->e01, e11 = kf->e11;
		double rh = kf->r_hi_ns2 * r / kf->r_ns2;

		kf->e00 = (1.0 - k0) * (1.0 - k0) * e00 + rh * k0 * k0;
		kf->e01 = (1.0 - k0) * (e01 - k1 * e00) + rh * k0 * k1;
		kf->e11 = k1 * k1 * e00 - 2.0 * k1 * e01 + e11 + rh * k1 * k1;
	}
}

/* First sample after a (re)start: the offset is this sample. */
static void restart_at(struct gn_servo_kalman *kf, double z, int64_t local_ns)
{
	/* The adjustment ran since the last estimate: book its phase. */
	if (kf->accepted && local_ns > kf->t_ns) {
		double r = kf_rate(kf->f_ppb, kf->u_ppb);

		kf->servo_phase_ns +=
		    (r - kf->f_ppb) *
		    kf_master_dt((double)(local_ns - kf->t_ns) * 1e-9, r);
	}
	if (!kf->accepted)
		kf->epoch_ns = local_ns;
	kf->x_ns = z;
	kf->z0_ns = z;
	kf->p00 = kf->r_ns2;
	kf->p01 = 0.0;
	kf->e00 = kf->r_hi_ns2;
	kf->e01 = 0.0;
	kf->t_ns = local_ns;
	kf->start_ns = local_ns;
	kf->count = 1;
	kf->reject_run = 0;
	kf->innov_ns = 0.0;
}

/*
 * The very first frequency, from two samples dt local seconds apart with
 * the adjustment u unchanged: the offset moved at z - z0 per dt local,
 * r_l = r / (1 + r) per local second, so r = r_l / (1 - r_l) and
 * (1 + f)(1 + u) = 1 + r. The linear update gets this right only to
 * first order, 0.8 % off at a 9 % error; later updates are small.
 */
static void first_frequency(struct gn_servo_kalman *kf, double z, double dt)
{
	double rl = (z - kf->z0_ns) / dt * 1e-9, r, f;

	if (!(dt > 0.0) || !(fabs(rl) < 0.5))
		return;
	r = rl / (1.0 - rl);
	f = ((1.0 + r) / (1.0 + kf->u_ppb * 1e-9) - 1.0) * 1e9;
	if (isfinite(f))
		kf->f_ppb = f;
}

/* Past the start-up transient of the last (re)start. */
static bool warm_done(const struct gn_servo_kalman *kf, int64_t local_ns)
{
	return kf->count >= KF_WARMUP &&
	       local_ns - kf->start_ns >= KF_WARMUP_NS;
}

static double control(struct gn_servo *s)
{
	struct gn_servo_kalman *kf = &s->u.kf;

	/* The rate that removes x over one interval (dead-beat), or over
	 * KF_TAU_MIN_S when samples come faster: each correction carries
	 * the estimate's error, and at 16 or 128 Hz dead-beat would turn
	 * it into frequency noise of error / interval; (1 + f)(1 + u) =
	 * 1 + r. */
	double tau = kf->dt_s > KF_TAU_MIN_S ? kf->dt_s : KF_TAU_MIN_S;
	double sig = KF_TAU_SIGMAS * sqrt(kf->p00);
	double x_in = kf->x_ns > sig ? sig : kf->x_ns < -sig ? -sig : kf->x_ns;
	/* What the estimate holds beyond a few of its own deviations is no
	 * noise: that part goes within one interval. */
	double r = (-(kf->x_ns - x_in) / kf->dt_s - x_in / tau) * 1e-9;
	double f = 1.0 + kf->f_ppb * 1e-9;

	kf->u_ppb = gn_servo_clamp_ppb(s, f > 0.5 ? ((1.0 + r) / f - 1.0) * 1e9
						  : -kf->f_ppb);
	return kf->u_ppb;
}

double gn_servo_kalman_sample(struct gn_servo *s, int64_t offset_ns,
			      int64_t local_ns, double weight,
			      enum gn_servo_state *state)
{
	struct gn_servo_kalman *kf = &s->u.kf;
	double z = (double)offset_ns, r, dt, innov, nis, nis_raw, d = 0.0;
	bool have_d = false;

	if (kf->count == 0) {
		restart_at(kf, z, local_ns);
		*state = GN_SERVO_UNLOCKED;
		return kf->u_ppb;
	}
	if (local_ns <= kf->t_ns) {
		/* Time went backwards or stood still: not usable. */
		*state = s->state == GN_SERVO_JUMP ? GN_SERVO_LOCKED : s->state;
		if (kf->count < 2)
			*state = GN_SERVO_UNLOCKED;
		return kf->u_ppb;
	}
	dt = (double)(local_ns - kf->t_ns) * 1e-9;
	r = kf->r_ns2 / weight;

	/* Predict a copy: a refused sample must leave the state alone. */
	{
		struct gn_servo_kalman save = *kf;

		predict(kf, dt);
		innov = z - kf->x_ns;
		nis = innov * innov / (kf->p00 + r);
		nis_raw = nis;
		if (!(nis < KF_GATE * KF_GATE))
			nis = KF_GATE * KF_GATE;
		nis = warm_done(kf, local_ns)
			  ? save.nis + (nis - save.nis) / KF_NIS_MEMORY
			  : save.nis;
		if (warm_done(kf, local_ns) &&
		    innov * innov > KF_GATE * KF_GATE * (kf->p00 + r)) {
			/* The start-up transient is over, refused or not:
			 * the ladder learns from here on. */
			save.ladder_live = true;
			save.reject_run++;
			save.rejected++;
			save.innov_ns = innov;
			save.nis = nis;
			*kf = save;
			if (kf->reject_run < KF_GATE_RUN) {
				*state = GN_SERVO_LOCKED;
				return kf->u_ppb;
			}
			/* The world moved, or the noise model is wrong (more
			 * wander than it knows): start again from here. The
			 * clock was not stepped, so the free-running phase
			 * goes on and the ladder keeps learning from it (a
			 * master's step is one winsorised difference). */
			kf->restarts++;
			kf->p11 += KF_F_RESTART_VAR;
			ladder_cut(kf);
			restart_at(kf, z, local_ns);
			/* A restart that needs no step keeps the lock: the
			 * clock did not move, only the filter starts over, so
			 * the port need not leave SLAVE for it. */
			*state = gn_servo_should_step(s, fabs(z))
				     ? GN_SERVO_UNLOCKED
				     : GN_SERVO_LOCKED;
			return kf->u_ppb;
		}
	}
	if (!kf->ladder_live)
		have_d =
		    early_phase(kf, z - kf->servo_phase_ns,
				(double)(local_ns - kf->epoch_ns) * 1e-9, &d);
	if (!kf->ladder_live && kf->count >= 2)
		early_consistency(kf, nis_raw, innov / sqrt(kf->p00 + r));
	kf->innov_ns = innov;
	kf->nis = nis;
	kf->reject_run = 0;
	update(kf, innov, r);
	if (!kf->accepted++ && kf->count == 1)
		first_frequency(kf, z, dt);
	kf->t_ns = local_ns;
	kf->dt_s += (dt - kf->dt_s) / KF_DT_MEMORY;

	/* Start-up transients (the first samples, a new master: path
	 * delay still settling) are not noise of the steady state: the
	 * ladder waits for the warm-up, once. */
	if (kf->ladder_live || warm_done(kf, local_ns)) {
		kf->ladder_live = true;
		ladder_add(kf, z - kf->servo_phase_ns,
			   (double)(local_ns - kf->epoch_ns) * 1e-9);
		update_noise(kf);
	} else if (have_d) {
		early_noise(kf, d);
	}

	*state = GN_SERVO_LOCKED;
	if (gn_servo_should_step(s, fabs(kf->x_ns))) {
		/* The caller steps the clock by -offset. */
		kf->x_ns -= z;
		kf->servo_phase_ns -= z;
		kf->t_ns -= offset_ns;
		kf->start_ns -= offset_ns;
		kf->epoch_ns -= offset_ns;
		*state = GN_SERVO_JUMP;
	}
	if (kf->count < 2)
		kf->count = 2;
	else
		kf->count++;
	return control(s);
}

void gn_servo_kalman_shift(struct gn_servo *s, double shift_ns, bool settling)
{
	struct gn_servo_kalman *kf = &s->u.kf;

	/* A move within the estimate's own error is left for the filter to
	 * average with the samples, as any other noise: passed straight on,
	 * the delay filter's noise would reach the clock unfiltered. */
	if (!kf->count ||
	    (!settling && fabs(shift_ns) < KF_SHIFT_SIGMAS * sqrt(kf->p00)))
		return;
	/* The reference moved, not the clock: the estimate moves with it,
	 * and so does the servo's phase, so that the free-running phase the
	 * noise model learns from stays continuous. */
	kf->x_ns += shift_ns;
	kf->z0_ns += shift_ns;
	kf->servo_phase_ns += shift_ns;
}

int gn_servo_kalman_estimate(const struct gn_servo *s,
			     struct gn_servo_estimate *e)
{
	const struct gn_servo_kalman *kf = &s->u.kf;

	if (kf->count < 2)
		return -EAGAIN;
	e->local_ns = kf->t_ns;
	e->offset_ns = kf->x_ns;
	/* Heavier tails than Gaussian widen the deviation, as much as the
	 * estimate follows single samples (a long average is Gaussian). */
	e->offset_sd_ns =
	    sqrt(kf->e00) * (1.0 + (kf->tail / KF_TAIL_GAUSS - 1.0) * kf->gain);
	e->freq_ppb = kf_rate(kf->f_ppb, kf->u_ppb);
	e->freq_sd_ppb = sqrt(kf->e11);
	e->freq_sd_fit_ppb = sqrt(kf->p11);
	e->offset_sd_fit_ns = sqrt(kf->p00);
	e->noise_ns = sqrt(kf->r_ns2);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * publish.c - the daemon side of the time service: the error-bound
 * estimator and the shared-memory page libgnomon reads
 * (include/gnomon/page.h, docs/timeservice.md).
 *
 * The bound. The synchronized clock is the clock gnomond steers; its
 * true error e(t) (clock - grandmaster) is bounded by
 *     B = |centre| + statistical half-width + asymmetry + resolution
 * growing at |residual frequency error| + its uncertainty + wander:
 * - the centre is the observer's estimate of e now: a regression of the
 *   clock's free-running phase (offsets minus every phase the servo put
 *   in: frequency adjustments and steps) over the last 32 samples,
 *   plus the servo's phase; or the newest sample itself if farther
 *   from zero (a step of the master shows at once);
 * - the statistical part is 4 standard errors of the fit's prediction
 *   plus one residual deviation (wander that looks like noise), with
 *   the residual deviation taken at its 99 % upper confidence limit
 *   while the window is short;
 * - the asymmetry is unobservable: by default the mean path delay, the
 *   largest possible with causal time stamps (each one-way delay is
 *   >= 0), as NTP's root distance; bound_asymmetry narrows it when the
 *   operator knows better;
 * - when the servo offers an uncertainty (gn_servo_estimate: the Kalman
 *   servo) its bound is computed too and the larger one published.
 * In holdover the bound continues from the last one and grows at the
 * residual frequency error + its uncertainty + the holdover rate
 * (holdover_growth, or the frequency wander learnt while locked, scaled
 * by the square root of the holdover's length against the span it was
 * learnt over: random-walk frequency noise).
 *
 * Must not: block (the protocol loop calls it), steer or step any clock,
 * or publish a bound it has not computed (unknown stays unknown).
 */
#include "publish.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/futex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../../include/gnomon/page.h"
#include "log.h"

#define NS_PER_S 1000000000LL

/* Standard errors of the fit's prediction in the bound. */
#define K_SIGMA 4.0
/* Outliers: beyond this many robust deviations, from OUTLIER_MIN_N
 * samples on, at most a quarter of the window, never the newest. */
#define K_OUTLIER	    5.0
#define OUTLIER_MIN_N	    8
#define OUTLIER_KEEP_NEWEST 3
/* Deviations of the servo's own estimate (Kalman) in its bound. */
#define K_SERVO 4.0
/* Noise assumed before the residuals say anything (< 3 samples), ns. */
#define SIGMA_PRIOR_HW 1000.0
#define SIGMA_PRIOR_SW 50000.0
/* Smallest residual noise believed, ns. */
#define SIGMA_FLOOR_HW 4.0
#define SIGMA_FLOOR_SW 100.0
/* Time stamp resolution and rounding, ns. */
#define RESOLUTION_HW 10.0
#define RESOLUTION_SW 2.0
/* Frequency error assumed before two samples: 1000 ppm. */
#define FREQ_PRIOR_PPB 1e6
/* Samples (and servo s2/s3, port SLAVE) before LOCKED. */
#define N_LOCK 8
/* Smallest growth while following a master, ppb. */
#define GROWTH_FLOOR_PPB 1.0
/* Smallest learnt holdover rate, ppb. */
#define HOLDOVER_FLOOR_PPB 1.0
/* Holdover rate of a grandmaster that never followed anyone: what a
 * free oscillator may do against the next grandmaster (1 ppm). */
#define GM_STALE_PPB 1000.0
/* A delay's Sync and Delay_Req lie at most this far apart (samples,
 * and at least this many s). */
#define DELAY_SPREAD_SAMPLES 4.0
#define DELAY_SPREAD_MIN_S   1.0
/* Without a slave port: how far back delays are assumed to go. */
#define DELAY_MEMORY_DEFAULT_S 16.0
/* Samples are fresh within max(4 spacings, 2 s). */
#define FRESH_SPACINGS 4.0
#define FRESH_MIN_S    2.0
/* The daemon publishes at least every second (tick): stale after 3. */
#define STALE_AFTER_NS (3 * NS_PER_S)
/* Holdover span assumed in the growth used once the page is stale. */
#define STALE_HOLDOVER_S 60.0
/* Re-plan margin: holdover growth is taken at the end of this. */
#define NEXT_UPDATE_S 2.0

void gn_bound_config_default(struct gn_bound_config *cfg)
{
	cfg->asymmetry_ns = -1;
	cfg->holdover_ppb = 0.0;
	cfg->hw_stamping = false;
}

uint64_t gn_clock_accuracy_ns(uint8_t a)
{
	/* 0x17 1 ps ... 0x2F 1 s, 0x30 10 s; halves and tenths alternate
	 * as 1, 2.5, 10, 25, 100, 250 ... */
	static const uint64_t table[] = {
	    1,		1,	     1,
	    1,		1,	     1, /* 17-1C */
	    1,		3,	     10,
	    25,		100,	     250, /* 1D-22 */
	    1000,	2500,	     10000,
	    25000,	100000,	     250000, /* 23-28 */
	    1000000,	2500000,     10000000,
	    25000000,	100000000,   250000000, /* 29-2E */
	    1000000000, 10000000000,		/* 2F-30 */
	};

	if (a < 0x17 || a > 0x30)
		return UINT64_MAX;
	return table[a - 0x17];
}

/* ---- the observer ---- */

static void obs_reset(struct gn_observer *o)
{
	o->n = 0;
	o->head = 0;
	o->samples = 0;
	o->fh_n = 0;
	o->fh_head = 0;
	o->since_fh = 0;
	o->dt_s = 0.0;
}

static void obs_advance(struct gn_observer *o, int64_t to_ns)
{
	o->servo_phase_ns +=
	    o->adj_ppb * (double)(to_ns - o->phase_t_ns) * 1e-9;
	o->phase_t_ns = to_ns;
}

/*
 * One sample: offset off_ns measured at clock time t_ns; the servo then
 * stepped the clock by -off_ns (jump) and/or set adj_ppb, both before
 * clock time now_ns.
 */
static void obs_sample(struct gn_observer *o, int64_t t_ns, int64_t off_ns,
		       bool jump, int64_t now_ns, double adj_ppb)
{
	double x, y;

	if (!o->started) {
		o->started = true;
		o->adj_ppb = adj_ppb;
		o->phase_t_ns = t_ns;
		o->servo_phase_ns = 0.0;
	}
	/* Times are the master's (clock - offset): a clock running off
	 * frequency, or stepped, does not bend the time axis. */
	if (o->samples == 0)
		o->t0_ns = t_ns - off_ns;
	obs_advance(o, t_ns);
	y = (double)off_ns - o->servo_phase_ns;
	x = (double)(t_ns - off_ns - o->t0_ns) * 1e-9;
	if (o->samples > 0) {
		double dt = (double)(t_ns - o->last_t_ns) * 1e-9;

		if (dt > 0)
			o->dt_s =
			    o->dt_s > 0 ? o->dt_s + (dt - o->dt_s) / 8.0 : dt;
	}
	o->t_s[o->head] = x;
	o->y_ns[o->head] = y;
	o->a_ppb[o->head] = o->adj_ppb;
	o->head = (o->head + 1) % GN_OBS_WINDOW;
	if (o->n < GN_OBS_WINDOW)
		o->n++;
	o->samples++;
	o->since_fh++;
	o->last_t_ns = t_ns;
	o->last_x_s = x;
	o->last_y_ns = y;
	if (jump) {
		/* now_ns was read after the step of -off: before it, the
		 * clock read now_ns + off. */
		obs_advance(o, now_ns + off_ns);
		o->servo_phase_ns -= (double)off_ns;
		o->phase_t_ns = now_ns;
		o->last_t_ns -= off_ns;
	} else {
		obs_advance(o, now_ns);
	}
	o->adj_ppb = adj_ppb;
}

/* chi-square 1 % quantiles for 1..10 degrees of freedom. */
static double chi2_low(unsigned k)
{
	static const double q[] = {0.000157, 0.0201, 0.115, 0.297, 0.554,
				   0.872,    1.239,  1.646, 2.088, 2.558};
	double a, c;

	if (k == 0)
		return 1e-9;
	if (k <= 10)
		return q[k - 1];
	/* Wilson-Hilferty, z = -2.326. */
	a = 2.0 / (9.0 * k);
	c = 1.0 - a - 2.326 * sqrt(a);
	return k * c * c * c;
}

/* The learnt frequency wander (ppb) and the span it covers (s). */
static void obs_wander(const struct gn_observer *o, double *w, double *span)
{
	double lo = INFINITY, hi = -INFINITY, t_lo = INFINITY, t_hi = -INFINITY;
	unsigned i;

	*w = 0.0;
	*span = 0.0;
	for (i = 0; i < o->fh_n; i++) {
		lo = fmin(lo, o->f_hist_ppb[i]);
		hi = fmax(hi, o->f_hist_ppb[i]);
		t_lo = fmin(t_lo, o->f_hist_t_s[i]);
		t_hi = fmax(t_hi, o->f_hist_t_s[i]);
	}
	if (o->fh_n >= 2) {
		*w = hi - lo;
		*span = t_hi - t_lo;
	}
}

/* Least squares over the kept samples: means, sxx and the slope (ns/s =
 * ppb); returns how many were kept. */
static unsigned line_fit(const struct gn_observer *o, const bool *keep,
			 double *mx, double *my, double *sxx, double *b)
{
	double sx = 0, sy = 0, sxy = 0;
	unsigned i, m = 0;

	for (i = 0; i < o->n; i++) {
		if (!keep[i])
			continue;
		sx += o->t_s[i];
		sy += o->y_ns[i];
		m++;
	}
	*mx = m ? sx / m : 0.0;
	*my = m ? sy / m : 0.0;
	*sxx = 0.0;
	for (i = 0; i < o->n; i++) {
		if (!keep[i])
			continue;
		*sxx += (o->t_s[i] - *mx) * (o->t_s[i] - *mx);
		sxy += (o->t_s[i] - *mx) * (o->y_ns[i] - *my);
	}
	*b = m >= 2 && *sxx > 0 ? sxy / *sxx : 0.0;
	return m;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median_of(double *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

static void obs_fit(struct gn_observer *o, int64_t now_ns, double adj_ppb,
		    bool hw, double delay_memory_s, struct gn_obs_fit *f)
{
	double prior = hw ? SIGMA_PRIOR_HW : SIGMA_PRIOR_SW;
	double floor_ns = hw ? SIGMA_FLOOR_HW : SIGMA_FLOOR_SW;
	double mx, my, sxx, ss = 0, b;
	double x_now, x_last, p_now, sigma, pred;
	bool keep[GN_OBS_WINDOW];
	unsigned i, m, n = o->n;

	memset(f, 0, sizeof(*f));
	f->n = n;
	if (n == 0)
		return;
	x_last = o->last_x_s;
	x_now = x_last + (double)(now_ns - o->last_t_ns) * 1e-9;
	p_now = o->servo_phase_ns +
		o->adj_ppb * (double)(now_ns - o->phase_t_ns) * 1e-9;
	for (i = 0; i < n; i++)
		keep[i] = true;
	m = line_fit(o, keep, &mx, &my, &sxx, &b);
	/*
	 * Isolated outliers (delay spikes: the clock's true phase did not
	 * jump, only one measurement) are left out of a second fit: beyond
	 * K_OUTLIER robust deviations (from the median absolute residual).
	 * The newest samples always stay in, so a real shift (a master's
	 * step) enters the fit as it comes; the newest sample also bounds
	 * the centre on its own.
	 */
	if (n >= OUTLIER_MIN_N && sxx > 0) {
		double ar[GN_OBS_WINDOW], mad;
		unsigned j, out = 0;

		for (i = 0; i < n; i++)
			ar[i] = fabs(o->y_ns[i] - my - b * (o->t_s[i] - mx));
		mad = median_of(ar, n);
		for (i = 0; i < n; i++) {
			bool newest = false;

			for (j = 1; j <= OUTLIER_KEEP_NEWEST; j++)
				newest |= i == (o->head + GN_OBS_WINDOW - j) %
						   GN_OBS_WINDOW;
			if (!newest &&
			    fabs(o->y_ns[i] - my - b * (o->t_s[i] - mx)) >
				K_OUTLIER * 1.4826 * mad) {
				keep[i] = false;
				out++;
			}
		}
		if (out > 0 && out <= n / 4)
			m = line_fit(o, keep, &mx, &my, &sxx, &b);
		else
			for (i = 0; i < n; i++)
				keep[i] = true;
		f->outliers = out <= n / 4 ? out : 0;
	}
	if (m >= 3 && sxx > 0) {
		double s;

		for (i = 0; i < n; i++) {
			double r = o->y_ns[i] - my - b * (o->t_s[i] - mx);

			if (keep[i])
				ss += r * r;
		}
		s = sqrt(ss / (m - 2));
		/* 99 % upper limit of the deviation, capped at the prior
		 * (never below what was seen). */
		sigma = s * sqrt((m - 2) / chi2_low(m - 2));
		sigma = fmax(fmin(sigma, fmax(prior, s)), floor_ns);
	} else {
		sigma = prior;
	}
	if (m >= 2 && sxx > 0) {
		pred = sqrt(1.0 / m + (x_now - mx) * (x_now - mx) / sxx);
		f->e_ns = my + b * (x_now - mx) + p_now;
		f->e_last_ns = o->last_y_ns + b * (x_now - x_last) + p_now;
		f->r_ppb = b + adj_ppb;
		f->r_sd_ppb = sigma / sqrt(sxx);
	} else {
		pred = 1.0;
		f->e_ns = f->e_last_ns = o->last_y_ns + p_now;
		f->r_ppb = fabs(adj_ppb) + FREQ_PRIOR_PPB;
		f->r_sd_ppb = 0.0;
	}
	f->sigma_ns = sigma;
	f->stat_ns = K_SIGMA * sigma * pred + sigma;
	/*
	 * A path delay is measured from a Sync and a Delay_Req up to a few
	 * intervals apart (more with loss); while the clock runs off
	 * frequency by r, the delay, and every offset computed with it,
	 * is off by up to r times that spread. The window's adjustments
	 * with today's slope say how fast the clock ran then.
	 */
	{
		double rmax = 0.0,
		       spread_s = fmax(DELAY_SPREAD_SAMPLES * o->dt_s,
				       DELAY_SPREAD_MIN_S);

		for (i = 0; i < n; i++) {
			if (x_now - o->t_s[i] > delay_memory_s + spread_s)
				continue; /* out of the delay filter */
			rmax = fmax(rmax,
				    n >= 2 && sxx > 0
					? fabs(b + o->a_ppb[i])
					: fabs(o->a_ppb[i]) + FREQ_PRIOR_PPB);
		}
		f->delay_drift_ns = rmax * spread_s;
		f->stat_ns += f->delay_drift_ns;
	}
	/* Since the last sample the clock ran on its own: what the fit
	 * cannot see (wander; any frequency before there is a slope). */
	f->stat_ns += fabs(x_now - x_last) *
		      (n >= 2 && sxx > 0 ? GROWTH_FLOOR_PPB : f->r_ppb);
	/* A full window contributes a frequency estimate every half
	 * window: the learnt wander. */
	if (n == GN_OBS_WINDOW && o->since_fh >= GN_OBS_WINDOW / 2) {
		o->f_hist_ppb[o->fh_head] = b;
		o->f_hist_t_s[o->fh_head] = x_now;
		o->fh_head = (o->fh_head + 1) % GN_OBS_FHIST;
		if (o->fh_n < GN_OBS_FHIST)
			o->fh_n++;
		o->since_fh = 0;
	}
	obs_wander(o, &f->wander_ppb, &f->wander_span_s);
	f->stat_ns += fabs(x_now - x_last) * f->wander_ppb;
}

/* ---- the estimator ---- */

void gn_bound_init(struct gn_bound *b, const struct gn_bound_config *cfg)
{
	memset(b, 0, sizeof(*b));
	if (cfg)
		b->cfg = *cfg;
	else
		gn_bound_config_default(&b->cfg);
	b->state = GN_PAGE_FREERUN;
	b->anchor_bound_ns = GN_PAGE_BOUND_UNKNOWN;
}

static bool port_following(enum gn_port_state s)
{
	return s == GN_PS_SLAVE || s == GN_PS_UNCALIBRATED;
}

static bool any_master(const struct gn_clock *c)
{
	unsigned i;

	for (i = 0; i < c->nports; i++)
		if (gn_clock_port_state(c, i) == GN_PS_MASTER)
			return true;
	return false;
}

/* How far back the path delay in use was measured: the delay filter's
 * length in Delay_Req (or Pdelay_Req) intervals. */
static double delay_memory(const struct gn_clock *c, int sp)
{
	const struct gn_port *p;
	int log_i;

	if (sp < 0 || (unsigned)sp >= c->nports)
		return DELAY_MEMORY_DEFAULT_S;
	p = &c->ports[sp];
	log_i = p->cfg.delay_mechanism == GN_DM_P2P
		    ? p->ds.log_min_pdelay_req_interval
		    : p->ds.log_min_delay_req_interval;
	if (log_i < -10)
		log_i = -10;
	if (log_i > 10)
		log_i = 10;
	return (double)(p->cfg.delay_filter_length + 2) * ldexp(1.0, log_i);
}

/* The servo's own bound (Kalman), or false when it has none. */
static bool servo_bound(const struct gn_clock *c, int64_t now_ns,
			double fixed_ns, double *bound, double *growth)
{
	struct gn_servo_estimate e;
	double dt, x, sd;

	if (c->cfg.free_running || gn_servo_estimate(&c->servo, &e) != 0)
		return false;
	dt = (double)(now_ns - e.local_ns) * 1e-9;
	x = e.offset_ns + e.freq_ppb * dt;
	sd = e.offset_sd_ns + e.freq_sd_ppb * fabs(dt);
	*bound = fabs(x) + K_SERVO * sd + fixed_ns;
	*growth = fabs(e.freq_ppb) + K_SERVO * e.freq_sd_ppb;
	return isfinite(*bound) && isfinite(*growth);
}

/* The holdover rate after holdover_s of holdover. */
static double holdover_rate(const struct gn_bound *b,
			    const struct gn_obs_fit *f, double holdover_s)
{
	double h;

	if (b->cfg.holdover_ppb > 0)
		return b->cfg.holdover_ppb;
	h = fmax(f->wander_ppb, HOLDOVER_FLOOR_PPB);
	if (f->wander_span_s > 0 && holdover_s > f->wander_span_s)
		h *= sqrt(holdover_s / f->wander_span_s);
	else if (f->wander_span_s <= 0)
		h = fmax(h, GM_STALE_PPB); /* nothing learnt yet */
	return h;
}

static uint64_t to_bound(double ns)
{
	if (!(ns >= 0))
		return ns < 0 ? 0 : GN_PAGE_BOUND_UNKNOWN;
	if (ns >= 1.8e19)
		return GN_PAGE_BOUND_UNKNOWN - 1;
	return (uint64_t)ceil(ns);
}

void gn_bound_update(struct gn_bound *b, const struct gn_clock *c,
		     int64_t now_ns, double adj_ppb, struct gn_bound_result *r)
{
	struct gn_observer *o = &b->obs;
	struct gn_obs_fit *f = &r->fit;
	bool hw = b->cfg.hw_stamping, following = false, fresh;
	double asym, fixed, bs, gs, bk, gk, fresh_s;
	int sp = gn_clock_slave_port(c), state;
	uint64_t bound;
	double growth, stale;

	/* A new master: the old phase history says nothing of it. Losing
	 * the master (the parent becomes the clock itself) is holdover,
	 * where that history is what counts. */
	if (!gn_clock_identity_eq(&c->pds.parent_port.clock,
				  &c->dds.identity)) {
		if (b->have_parent &&
		    !gn_port_identity_eq(&b->parent, &c->pds.parent_port))
			obs_reset(o);
		b->parent = c->pds.parent_port;
		b->have_parent = true;
	}

	/* A new sample since the last call? */
	if (c->have_offset &&
	    (o->samples == 0 || c->last_ingress_ns != b->last_ingress_ns)) {
		bool jump =
		    c->servo_state == GN_SERVO_JUMP && !c->cfg.free_running;

		b->last_ingress_ns = c->last_ingress_ns;
		obs_sample(o, c->last_ingress_ns, c->last_offset_ns, jump,
			   now_ns, adj_ppb);
	} else if (o->started && adj_ppb != o->adj_ppb) {
		/* Changed without a sample (servo reset, state change). */
		obs_advance(o, now_ns);
		o->adj_ppb = adj_ppb;
	}

	obs_fit(o, now_ns, adj_ppb, hw, delay_memory(c, sp), f);
	if (sp >= 0)
		following =
		    port_following(gn_clock_port_state(c, (unsigned)sp));
	fresh_s = fmax(FRESH_SPACINGS * o->dt_s, FRESH_MIN_S);
	fresh =
	    o->samples > 0 && (double)(now_ns - o->last_t_ns) * 1e-9 < fresh_s;

	asym = b->cfg.asymmetry_ns >= 0
		   ? (double)b->cfg.asymmetry_ns
		   : fabs((double)c->cds.mean_path_delay_ns);
	fixed = asym + (hw ? RESOLUTION_HW : RESOLUTION_SW);
	bs = fmax(fabs(f->e_ns), fabs(f->e_last_ns)) + f->stat_ns + fixed;
	gs = fabs(f->r_ppb) + K_SIGMA * f->r_sd_ppb + f->wander_ppb +
	     GROWTH_FLOOR_PPB;
	/* The servo's uncertainty, when it has one: the larger wins. */
	if (fresh && servo_bound(c, now_ns, fixed, &bk, &gk)) {
		bs = fmax(bs, bk);
		gs = fmax(gs, gk);
	}
	stale = gs + holdover_rate(b, f, STALE_HOLDOVER_S);

	if (c->cfg.free_running && following && fresh) {
		/* Measures only: the clock's error is known, not removed. */
		state = GN_PAGE_FREERUN;
		bound = to_bound(bs);
		growth = gs;
	} else if (following && fresh && !c->cfg.free_running) {
		bool locked =
		    c->servo_state >= GN_SERVO_LOCKED &&
		    gn_clock_port_state(c, (unsigned)sp) == GN_PS_SLAVE &&
		    o->n >= N_LOCK;

		state = locked ? GN_PAGE_LOCKED : GN_PAGE_LOCKING;
		bound = to_bound(bs);
		growth = gs;
		if (locked)
			b->locked_once = true;
	} else if (b->locked_once &&
		   b->anchor_bound_ns != GN_PAGE_BOUND_UNKNOWN) {
		double h_s;

		state = GN_PAGE_HOLDOVER;
		if (b->state != GN_PAGE_HOLDOVER)
			b->holdover_t0_ns = o->last_t_ns;
		h_s =
		    (double)(now_ns - b->holdover_t0_ns) * 1e-9 + NEXT_UPDATE_S;
		bound =
		    to_bound((double)b->anchor_bound_ns +
			     b->anchor_growth_ppb *
				 fabs((double)(now_ns - b->anchor_ns)) * 1e-9);
		growth = fabs(f->r_ppb) + K_SIGMA * f->r_sd_ppb +
			 holdover_rate(b, f, h_s);
		stale = growth;
	} else if (any_master(c) && sp < 0) {
		/* Grandmaster: its time is the domain's (bound 0). The
		 * state says whether it follows a primary source. */
		uint8_t cc = c->dds.quality.clock_class;

		state = (cc == 6 || cc == 13)	? GN_PAGE_LOCKED
			: (cc == 7 || cc == 14) ? GN_PAGE_HOLDOVER
						: GN_PAGE_FREERUN;
		bound = 0;
		growth = 0.0;
		stale = b->cfg.holdover_ppb > 0 ? b->cfg.holdover_ppb
						: GM_STALE_PPB;
	} else {
		state = GN_PAGE_FREERUN;
		bound = GN_PAGE_BOUND_UNKNOWN;
		growth = 0.0;
	}
	if (state != b->state || b->state_since_ns == 0)
		b->state_since_ns = now_ns;
	b->state = state;
	b->anchor_ns = now_ns;
	b->anchor_bound_ns = bound;
	b->anchor_growth_ppb = growth;

	r->state = state;
	r->bound_ns = bound;
	r->growth_ppb = growth;
	r->stale_growth_ppb = stale;
}

/* ---- the page ---- */

struct gn_publisher {
	struct gn_bound bound;
	struct gn_bound_result last;
	struct gn_page *page; /* NULL: no page, estimator only */
	char path[PATH_MAX];
	uint64_t count;
	int last_state;
	int64_t state_since_local_ns;
	/* Leap second bookkeeping. */
	bool leap_pending;
	int16_t leap_base_offset;
	int64_t leap_at_clock_ns;
	/* PHC: the previous sandwich (rate of the PHC against RAW). */
	bool phc_have_prev;
	int64_t phc_prev_local_ns, phc_prev_clock_ns, phc_prev_width_ns;
	clockid_t local_clock; /* of the mapping, from the configuration */
};

static int64_t read_ns(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) < 0)
		return 0;
	return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static int64_t frac_of_ppb(double ppb)
{
	/* ppb * 1e-9 * 2^48 */
	return (int64_t)llround(ppb * 281474.976710656);
}

static uint64_t ufrac_of_ppb(double ppb)
{
	if (!(ppb > 0))
		return 0;
	if (ppb > 1e12)
		ppb = 1e12;
	return (uint64_t)ceil(ppb * 281474.976710656);
}

/* "/run/gnomon/" + the last part of uds_address for a directory. */
static int page_path(const struct gn_config *cfg, char *buf, size_t len)
{
	const char *p = gn_config_get_string(cfg, NULL, "publish_path");
	const char *uds = gn_config_get_string(cfg, NULL, "uds_address");
	const char *base;
	size_t n = strlen(p);
	int w;

	if (n == 0)
		return 0;
	if (p[n - 1] != '/') {
		w = snprintf(buf, len, "%s", p);
	} else {
		base = strrchr(uds, '/');
		base = base ? base + 1 : uds;
		if (!base[0])
			base = "ptp4l";
		w = snprintf(buf, len, "%s%s", p, base);
	}
	return w > 0 && (size_t)w < len ? 1 : -ENAMETOOLONG;
}

static int mkdir_p(const char *dir)
{
	char tmp[PATH_MAX];
	char *s;

	if (snprintf(tmp, sizeof(tmp), "%s", dir) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	for (s = tmp + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* Creates the page in a temporary file, then renames it into place so a
 * reader never sees a half-made page. */
static int page_create(struct gn_publisher *p, unsigned mode, char *err,
		       size_t errlen)
{
	char tmp[PATH_MAX + 32], dir[PATH_MAX];
	struct gn_page *pg;
	char *slash;
	int fd, rc;

	snprintf(dir, sizeof(dir), "%s", p->path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		rc = mkdir_p(dir);
		if (rc) {
			snprintf(err, errlen, "publish_path: %s: %s", dir,
				 strerror(-rc));
			return rc;
		}
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", p->path, (int)getpid());
	fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "publish_path: %s: %s", tmp,
			 strerror(errno));
		return rc;
	}
	if (fchmod(fd, mode) < 0 || ftruncate(fd, GN_PAGE_FILE_SIZE) < 0) {
		rc = -errno;
		snprintf(err, errlen, "publish_path: %s: %s", tmp,
			 strerror(errno));
		close(fd);
		unlink(tmp);
		return rc;
	}
	pg = mmap(NULL, GN_PAGE_FILE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		  fd, 0);
	close(fd);
	if (pg == MAP_FAILED) {
		rc = -errno;
		snprintf(err, errlen, "publish_path: mmap: %s",
			 strerror(errno));
		unlink(tmp);
		return rc;
	}
	memset(pg, 0, GN_PAGE_FILE_SIZE);
	pg->magic = GN_PAGE_MAGIC;
	pg->version_major = GN_PAGE_VERSION_MAJOR;
	pg->version_minor = GN_PAGE_VERSION_MINOR;
	pg->size = sizeof(struct gn_page);
	pg->pid = (int32_t)getpid();
	pg->local_clock = (int32_t)p->local_clock;
	pg->phc_index = -1;
	pg->u.d.bound_ns = GN_PAGE_BOUND_UNKNOWN;
	pg->u.d.stale_after_ns = STALE_AFTER_NS;
	if (rename(tmp, p->path) < 0) {
		rc = -errno;
		snprintf(err, errlen, "publish_path: %s: %s", p->path,
			 strerror(errno));
		munmap(pg, GN_PAGE_FILE_SIZE);
		unlink(tmp);
		return rc;
	}
	p->page = pg;
	return 0;
}

/* The local clock the mapping will start from, as the daemon will pick
 * its clock (daemon_open_clock): the system clock maps from
 * CLOCK_REALTIME, a PHC or the virtual clock from CLOCK_MONOTONIC_RAW. */
static clockid_t config_local_clock(const struct gn_config *cfg)
{
	int64_t target = gn_config_get_int(cfg, NULL, "clock_target");
	bool hw =
	    gn_config_get_int(cfg, NULL, "time_stamping") != GN_CFG_TS_SOFTWARE;

	if (target == GN_CFG_TARGET_AUTO)
		target = hw ? GN_CFG_TARGET_PHC : GN_CFG_TARGET_SYSTEM;
	return target == GN_CFG_TARGET_SYSTEM ? CLOCK_REALTIME
					      : CLOCK_MONOTONIC_RAW;
}

struct gn_publisher *gn_publish_open(const struct gn_config *cfg, char *err,
				     size_t errlen)
{
	struct gn_publisher *p;
	struct gn_bound_config bc;
	int rc;

	if (errlen)
		err[0] = '\0';
	p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	gn_bound_config_default(&bc);
	bc.asymmetry_ns = gn_config_get_int(cfg, NULL, "bound_asymmetry");
	bc.holdover_ppb = gn_config_get_double(cfg, NULL, "holdover_growth");
	bc.hw_stamping =
	    gn_config_get_int(cfg, NULL, "time_stamping") != GN_CFG_TS_SOFTWARE;
	gn_bound_init(&p->bound, &bc);
	p->last_state = -1;
	p->local_clock = config_local_clock(cfg);

	rc = page_path(cfg, p->path, sizeof(p->path));
	if (rc < 0) {
		snprintf(err, errlen, "publish_path: path too long");
		free(p);
		return NULL;
	}
	if (rc == 0)
		return p; /* publication off: estimator only */
	rc = page_create(
	    p, (unsigned)gn_config_get_int(cfg, NULL, "publish_file_mode"), err,
	    errlen);
	if (rc) {
		if (gn_config_is_set(cfg, NULL, "publish_path")) {
			free(p);
			return NULL; /* asked for explicitly: fatal */
		}
		pr_warning("time service page not published: %s", err);
		err[0] = '\0';
		p->path[0] = '\0';
		return p;
	}
	pr_info("time service page %s", p->path);
	return p;
}

/*
 * The mapping now: a local clock reading, the synchronized clock at that
 * reading, the rate between them (ppb) and the mapping's own error
 * (ns, and ppb of growth).
 */
struct mapping {
	clockid_t local_clock;
	int64_t local_ns, clock_ns;
	double rate_ppb, err_ns, err_ppb;
};

static void phc_sandwich(struct gn_pclock *clk, int64_t *local, int64_t *phc,
			 int64_t *width)
{
	int64_t best = INT64_MAX;
	int i;

	for (i = 0; i < 5; i++) {
		int64_t r1 = read_ns(CLOCK_MONOTONIC_RAW);
		int64_t v = read_ns(clk->clkid);
		int64_t r2 = read_ns(CLOCK_MONOTONIC_RAW);

		if (r2 - r1 >= 0 && r2 - r1 < best) {
			best = r2 - r1;
			*local = r1 + (r2 - r1) / 2;
			*phc = v;
		}
	}
	*width = best == INT64_MAX ? 0 : best;
}

static void read_mapping(struct gn_publisher *p, struct gn_pclock *clk,
			 struct mapping *m)
{
	int64_t width;

	memset(m, 0, sizeof(*m));
	switch (clk->kind) {
	case GN_PCLOCK_VIRTUAL:
		m->local_clock = CLOCK_MONOTONIC_RAW;
		m->local_ns = read_ns(CLOCK_MONOTONIC_RAW);
		m->rate_ppb = clk->intrinsic_ppb + clk->freq_ppb;
		m->clock_ns =
		    gn_pclock_virtual_map(clk->v_anchor_ns, clk->raw_anchor_ns,
					  m->local_ns, m->rate_ppb);
		m->err_ns = 1.0; /* rounding of the 2^-48 rate */
		break;
	case GN_PCLOCK_PHC:
		m->local_clock = CLOCK_MONOTONIC_RAW;
		phc_sandwich(clk, &m->local_ns, &m->clock_ns, &width);
		m->err_ns = (double)width / 2.0 + 1.0;
		if (p->phc_have_prev && m->local_ns > p->phc_prev_local_ns) {
			double dl =
			    (double)(m->local_ns - p->phc_prev_local_ns);

			m->rate_ppb =
			    ((double)(m->clock_ns - p->phc_prev_clock_ns) / dl -
			     1.0) *
			    1e9;
			m->err_ppb =
			    (double)(width + p->phc_prev_width_ns) / dl * 1e9;
		} else {
			m->rate_ppb = clk->freq_ppb;
			m->err_ppb = FREQ_PRIOR_PPB;
		}
		if (!p->phc_have_prev ||
		    m->local_ns - p->phc_prev_local_ns >= NS_PER_S / 2) {
			p->phc_have_prev = true;
			p->phc_prev_local_ns = m->local_ns;
			p->phc_prev_clock_ns = m->clock_ns;
			p->phc_prev_width_ns = width;
		}
		break;
	case GN_PCLOCK_SYSTEM:
	default:
		m->local_clock = CLOCK_REALTIME;
		m->local_ns = m->clock_ns = read_ns(CLOCK_REALTIME);
		break;
	}
}

/* What the clock's values are: the system clock and the virtual clock
 * keep UTC (the core corrects a PTP-timescale master's time by the UTC
 * offset for them, as ptp4l does for CLOCK_REALTIME); a PHC keeps the
 * master's timescale: TAI for the PTP timescale, else arbitrary. */
static uint8_t page_timescale(const struct gn_clock *c,
			      const struct gn_pclock *clk)
{
	if (c->cfg.utc_timescale || clk->kind == GN_PCLOCK_SYSTEM)
		return GN_PAGE_TS_UTC;
	return c->tpds.ptp_timescale ? GN_PAGE_TS_TAI : GN_PAGE_TS_ARB;
}

/* A leap second announced: it takes effect at the end of the current
 * UTC day, which is computed once, when the flag first appears. */
static void leap_update(struct gn_publisher *p, const struct gn_clock *c,
			uint8_t timescale, int64_t clock_ns)
{
	const struct gn_time_properties_ds *tp = &c->tpds;
	int64_t day = 86400 * NS_PER_S, off, utc, midnight;

	if (!(tp->leap61 || tp->leap59) || timescale == GN_PAGE_TS_ARB) {
		p->leap_pending = false;
		p->leap_at_clock_ns = 0;
		return;
	}
	if (p->leap_pending) {
		if (tp->current_utc_offset != p->leap_base_offset) {
			/* The offset moved on: the leap is behind us. */
			p->leap_pending = false;
			p->leap_at_clock_ns = 0;
		}
		return;
	}
	off = (int64_t)tp->current_utc_offset * NS_PER_S;
	utc = timescale == GN_PAGE_TS_TAI ? clock_ns - off : clock_ns;
	midnight = (utc / day + 1) * day;
	p->leap_pending = true;
	p->leap_base_offset = tp->current_utc_offset;
	p->leap_at_clock_ns =
	    timescale == GN_PAGE_TS_TAI ? midnight + off : midnight;
}

static void page_write(struct gn_page *pg, const struct gn_page_data *d)
{
	uint64_t src[sizeof(*d) / 8];
	uint32_t s;
	unsigned i;

	memcpy(src, d, sizeof(src));
	s = __atomic_load_n(&pg->seq, __ATOMIC_RELAXED);
	__atomic_store_n(&pg->seq, s + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	for (i = 0; i < sizeof(src) / 8; i++)
		__atomic_store_n(&pg->u.w[i], src[i], __ATOMIC_RELAXED);
	__atomic_store_n(&pg->seq, s + 2, __ATOMIC_RELEASE);
	/* Timer threads sleeping on seq re-plan now. */
	syscall(SYS_futex, &pg->seq, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

void gn_publish_update(struct gn_publisher *p, const struct gn_clock *c,
		       struct gn_pclock *clk, enum gn_publish_reason why)
{
	struct gn_page_data d;
	struct gn_bound_result *r;
	struct mapping m;
	int sp;

	(void)why;
	if (!p || !c || !clk)
		return;
	r = &p->last;
	read_mapping(p, clk, &m);
	gn_bound_update(&p->bound, c, m.clock_ns, clk->freq_ppb, r);
	p->count++;
	if (r->state != p->last_state) {
		p->last_state = r->state;
		p->state_since_local_ns = m.local_ns;
	}
	if (!p->page)
		return;

	memset(&d, 0, sizeof(d));
	d.update_count = p->count;
	d.anchor_local_ns = m.local_ns;
	d.anchor_clock_ns = m.clock_ns;
	d.rate_frac = frac_of_ppb(m.rate_ppb);
	if (r->bound_ns == GN_PAGE_BOUND_UNKNOWN) {
		d.bound_ns = GN_PAGE_BOUND_UNKNOWN;
	} else {
		d.bound_ns = r->bound_ns + (uint64_t)ceil(m.err_ns);
		d.bound_growth_frac = ufrac_of_ppb(r->growth_ppb + m.err_ppb);
		d.stale_growth_frac =
		    ufrac_of_ppb(r->stale_growth_ppb + m.err_ppb);
	}
	d.stale_after_ns = STALE_AFTER_NS;
	d.state = (uint32_t)r->state;
	d.timescale = page_timescale(c, clk);
	leap_update(p, c, (uint8_t)d.timescale, m.clock_ns);
	d.leap_at_clock_ns = p->leap_at_clock_ns;
	d.utc_offset_s = c->tpds.current_utc_offset;
	d.time_flags = gn_time_properties_flags(&c->tpds);
	d.time_source = c->tpds.time_source;
	d.servo_state = (uint8_t)c->servo_state;
	sp = gn_clock_slave_port(c);
	d.port_state =
	    (uint8_t)gn_clock_port_state(c, sp >= 0 ? (unsigned)sp : 0);
	d.domain = c->dds.domain;
	memcpy(d.gm_identity, c->pds.gm_identity.id, 8);
	memcpy(d.parent_identity, c->pds.parent_port.clock.id, 8);
	d.parent_port = c->pds.parent_port.port;
	d.steps_removed = c->cds.steps_removed;
	d.gm_clock_class = c->pds.gm_quality.clock_class;
	d.gm_clock_accuracy = c->pds.gm_quality.clock_accuracy;
	d.gm_variance = c->pds.gm_quality.offset_scaled_log_variance;
	d.gm_priority1 = c->pds.gm_priority1;
	d.gm_priority2 = c->pds.gm_priority2;
	d.gm_accuracy_ns =
	    gn_clock_accuracy_ns(c->pds.gm_quality.clock_accuracy);
	d.offset_ns = c->cds.offset_from_master_ns;
	d.path_delay_ns = c->cds.mean_path_delay_ns;
	d.freq_ppt = (int64_t)llround(clk->freq_ppb * 1000.0);
	d.state_since_local_ns = p->state_since_local_ns;
	if (m.local_clock != p->local_clock) {
		/* Readers plan on the header's clock: never mix them. */
		pr_err("time service: clock kind changed; page not updated");
		return;
	}
	__atomic_store_n(&p->page->phc_index, (int32_t)clk->phc_index,
			 __ATOMIC_RELAXED);
	page_write(p->page, &d);
}

int gn_publish_status(const struct gn_publisher *p,
		      struct gn_publish_status *st)
{
	if (!p || !st)
		return -EINVAL;
	st->state = p->last.state;
	st->bound_ns = p->count ? p->last.bound_ns : GN_PAGE_BOUND_UNKNOWN;
	st->growth_ppb = p->last.growth_ppb;
	st->update_count = p->count;
	st->path = p->page ? p->path : NULL;
	return 0;
}

void gn_publish_close(struct gn_publisher *p)
{
	if (!p)
		return;
	if (p->page) {
		__atomic_fetch_or(&p->page->header_flags, GN_PAGE_F_CLOSED,
				  __ATOMIC_RELEASE);
		/* A last publication wakes sleepers, who see the flag. */
		__atomic_fetch_add(&p->page->seq, 2, __ATOMIC_RELEASE);
		syscall(SYS_futex, &p->page->seq, FUTEX_WAKE, INT_MAX, NULL,
			NULL, 0);
		munmap(p->page, GN_PAGE_FILE_SIZE);
		unlink(p->path);
	}
	free(p);
}

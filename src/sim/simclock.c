/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * simclock.c - simulated oscillators and time stamps for simnet.
 *
 * A clock's local time is
 *   local(t) = base + (t - base_t) * (1 + (freq_err + adj) / 1e9)
 *              + noise phase,
 * where the noise is white frequency noise (a random walk of phase) and
 * random-walk frequency noise (wander). Both are drawn exactly for
 * whatever interval passed since the last draw (the pair phase /
 * frequency of an integrated Wiener process has known joint Gaussian
 * increments), so the statistics do not depend on how often a clock is
 * read. The fractional nanoseconds are kept across rebases, so rounding
 * never accumulates.
 *
 * Must not touch any real clock; randomness comes only from the node's
 * own stream.
 */
#include <math.h>
#include <stdint.h>

#include "simnet.h"

double sim_normal(struct gn_rng *r)
{
	double u1 = gn_rng_unit(r), u2 = gn_rng_unit(r);

	/* u1 in (0, 1]: log is finite. */
	return sqrt(-2.0 * log(1.0 - u1)) * cos(2.0 * M_PI * u2);
}

double sim_exponential(struct gn_rng *r)
{
	return -log(1.0 - gn_rng_unit(r));
}

void sim_clock_set_noise(struct sim_node *n, double wfm_adev, double rwfm_adev)
{
	sim_clock_advance(n, n->sim->now_ns);
	/* White FM: phase increments of variance adev^2 * tau (s^2), in
	 * ns^2 per second. Random-walk FM: sigma_y^2(tau) = q tau / 3 for a
	 * frequency diffusion q (1/s), here in ppb^2 per second. */
	n->sc.q_wfm = wfm_adev * wfm_adev * 1e18;
	n->sc.q_rwfm = 3.0 * rwfm_adev * rwfm_adev * 1e18;
}

void sim_clock_advance(struct sim_node *n, int64_t t_ns)
{
	struct sim_clock *c = &n->sc;
	double dt_s, df, dx;

	if (t_ns <= c->noise_t_ns)
		return;
	dt_s = (double)(t_ns - c->noise_t_ns) * 1e-9;
	dx = c->wander_ppb * dt_s; /* ns: ppb * s */
	if (c->q_rwfm > 0.0) {
		/* Frequency increment, then the phase it integrates to given
		 * that increment (mean df dt / 2, variance q dt^3 / 12). */
		df = sqrt(c->q_rwfm * dt_s) * sim_normal(&n->rng);
		dx += df * dt_s / 2.0 +
		      sqrt(c->q_rwfm * dt_s * dt_s * dt_s / 12.0) *
			  sim_normal(&n->rng);
		c->wander_ppb += df;
	}
	if (c->q_wfm > 0.0)
		dx += sqrt(c->q_wfm * dt_s) * sim_normal(&n->rng);
	c->noise_ns += dx;
	c->noise_t_ns = t_ns;
}

/* Exact local time as integer + fraction. */
static double local_exact(const struct sim_node *n, int64_t true_ns,
			  int64_t *ip)
{
	const struct sim_clock *c = &n->sc;
	/* An adjustment scales the oscillator's rate, as adjtimex and PHC
	 * frequency adjustments do: (1 + f)(1 + adj). */
	double rate_ppb =
	    c->freq_err_ppb + c->adj_ppb + c->freq_err_ppb * c->adj_ppb * 1e-9;
	double dt = (double)(true_ns - c->base_true_ns);
	double v = c->base_frac_ns + dt + dt * rate_ppb * 1e-9 + c->noise_ns +
		   c->wander_ppb * 1e-9 * (double)(true_ns - c->noise_t_ns);
	double fl = floor(v);

	*ip = c->base_local_ns + (int64_t)fl;
	return v - fl;
}

int64_t sim_local_time(const struct sim_node *n, int64_t true_ns)
{
	int64_t ip;
	double frac = local_exact(n, true_ns, &ip);

	return frac >= 0.5 ? ip + 1 : ip;
}

void sim_clock_rebase(struct sim_node *n)
{
	struct sim_clock *c = &n->sc;
	int64_t now = n->sim->now_ns, ip;
	double frac;

	sim_clock_advance(n, now);
	frac = local_exact(n, now, &ip);
	c->base_local_ns = ip;
	c->base_frac_ns = frac;
	c->base_true_ns = now;
	c->noise_ns = 0.0;
}

int64_t sim_true_offset(struct sim_node *n)
{
	sim_clock_advance(n, n->sim->now_ns);
	return sim_local_time(n, n->sim->now_ns) -
	       (SIM_EPOCH_NS + n->sim->now_ns);
}

double sim_offset_from(struct sim_node *n, struct sim_node *ref)
{
	int64_t now = n->sim->now_ns, ia, ib;
	double fa, fb;

	sim_clock_advance(n, now);
	sim_clock_advance(ref, now);
	fa = local_exact(n, now, &ia);
	fb = local_exact(ref, now, &ib);
	return (double)(ia - ib) + (fa - fb);
}

double sim_peek_offset(const struct sim_node *n, const struct sim_node *ref)
{
	int64_t now = n->sim->now_ns, ia, ib;
	double fa = local_exact(n, now, &ia), fb = local_exact(ref, now, &ib);

	return (double)(ia - ib) + (fa - fb);
}

double sim_peek_true_offset(const struct sim_node *n)
{
	int64_t now = n->sim->now_ns, ip;
	double frac = local_exact(n, now, &ip);

	return (double)(ip - (SIM_EPOCH_NS + now)) + frac;
}

double sim_freq_error(const struct sim_node *n)
{
	double f = n->sc.freq_err_ppb + n->sc.wander_ppb;

	return f + n->sc.adj_ppb + f * n->sc.adj_ppb * 1e-9;
}

void sim_clock_step(struct sim_node *n, int64_t delta_ns)
{
	sim_clock_rebase(n);
	n->sc.base_local_ns += delta_ns;
}

void sim_clock_freq_step(struct sim_node *n, double delta_ppb)
{
	sim_clock_rebase(n);
	n->sc.freq_err_ppb += delta_ppb;
}

int64_t sim_stamp(struct sim_node *n)
{
	const struct sim_stamp_model *m = &n->ts;
	int64_t now = n->sim->now_ns, ip, ts;
	double frac, v;

	sim_clock_advance(n, now);
	frac = local_exact(n, now, &ip);
	v = frac;
	if (m->sigma_ns > 0.0)
		v += m->sigma_ns * sim_normal(&n->rng);
	if (n->stamp_noise_ns > 0)
		v += (gn_rng_unit(&n->rng) * 2.0 - 1.0) *
		     (double)n->stamp_noise_ns;
	ts = ip + (int64_t)floor(v + 0.5);
	if (m->resolution_ns > 1) {
		int64_t r = ts % m->resolution_ns;

		if (r < 0)
			r += m->resolution_ns;
		ts -= r;
	}
	return ts;
}

int64_t sim_tx_latency(struct sim_node *n)
{
	const struct sim_stamp_model *m = &n->ts;
	int64_t d;

	if (!m->software)
		return 0;
	d = m->tx_latency_ns;
	if (m->tx_jitter_ns > 0)
		d += (int64_t)(sim_exponential(&n->rng) *
			       (double)m->tx_jitter_ns);
	return d;
}

int64_t sim_rx_latency(struct sim_node *n)
{
	const struct sim_stamp_model *m = &n->ts;
	int64_t d;

	if (!m->software)
		return 0;
	d = m->rx_latency_ns;
	if (m->rx_jitter_ns > 0)
		d += (int64_t)(sim_exponential(&n->rng) *
			       (double)m->rx_jitter_ns);
	return d;
}

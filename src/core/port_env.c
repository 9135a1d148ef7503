/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * port_env.c - packet selection on an end-to-end slave port.
 *
 * Queueing only ever delays a packet. Behind a queue whose delay is much
 * larger than the time stamps' own noise, the offset of one Sync minus a
 * mean path delay carries that queue's whole spread, and a linear filter
 * (the servo) can only average it: its error falls with the square root
 * of the samples it may average, and the oscillator's wander limits how
 * many that is. The least-delayed packets of a window carry almost no
 * queueing; the window's floor is known to the queue's mean over the
 * count of packets, not over its root.
 *
 * Each Sync gives ms = t2 - (t1 + corr) - delayAsymmetry = offset + d +
 * queueing, each Delay_Resp sm = t4 - t3 - corr = -offset + d + queueing
 * (its correction holds -delayAsymmetry, as tt.c says). With the
 * phase the servo steered into the clock removed, the offset is the
 * free-running oscillator's phase, a straight line over a short window,
 * so each direction's lower envelope (envelope.c) is a line too, and at
 * the Sync's arrival
 *     offset = (L_ms - L_sm) / 2.
 * No mean delay enters: it holds for any queueing distribution as long
 * as both directions' floors are the unqueued path (up to the configured
 * asymmetry, as everywhere in PTP).
 *
 * When it is used: only with the Kalman servo (PI and linreg keep
 * linuxptp's arithmetic), only once it is locked (the steering is then
 * small and known), only while both directions show a mean queueing
 * excess above GN_ENV_ON_NS (off again below GN_ENV_OFF_NS), and only
 * over a window that is straight: the envelope of its newer half must
 * end where the whole window's does, as far as queueing alone lets
 * them (the oscillator's wander bends a long window; halved up to
 * twice, from 64 packets to 16).
 * Otherwise offsets come from the filtered mean path delay as before;
 * once selection has been on, weighted by the queue they carry
 * (gn_port_env_weight).
 *
 * The servo sees smooth offsets whose error changes only as the
 * envelopes' hull points come and go: it cannot see that error, so
 * gn_port_delay_stderr reports it beside the servo's own (the envelope
 * at its newest point is known to about GN_ENV_SD_K excesses over the
 * count of packets). The delay filter keeps running, for the path delay
 * that logs and management report and for when selection turns off; its
 * moves no longer shift the servo while selection is on.
 */
#include <math.h>

#include "clock.h"

#define GN_ENV_MIN_POINTS 16
/* Mean excess that turns it on, and off again. Below a few us (software
 * stamps' own latency noise, 1 us of queueing) the floor is too soft
 * for 64 packets to beat the servo: the matrix lost up to 2.7x there. */
#define GN_ENV_ON_NS  5000.0
#define GN_ENV_OFF_NS 2500.0
/* The newer half's envelope and the whole window's disagree at the
 * newest point by 3.8 excesses over the half's count (RMS) from
 * exponential queueing alone (test_envelope); over four times that is a
 * bend. Smaller bends pass, and stay in the offset. */
#define GN_ENV_BEND 16.0
/* One deviation of an envelope's value at its window's newest point, in
 * excesses over the count: about 4 for exponential queueing (test_envelope:
 * 626 ns RMS for 10 us over 64 packets), 7.6 for the softer floor of
 * software stamps behind a queue (a sum of three exponentials), seen in
 * one gnomon-sim run of the matrix's 10 us software-stamp cell. */
#define GN_ENV_SD_K 8.0
/* Turn on only when that variance is below this share of the servo's. */
#define GN_ENV_GAIN 0.5

void gn_port_env_reset(struct gn_port *p)
{
	gn_envelope_reset(&p->env_ms);
	gn_envelope_reset(&p->env_sm);
	p->env_epoch = p->clock->steer_epoch;
	p->env_on = false;
	p->env_chosen = false;
}

static bool env_servo_ready(struct gn_port *p)
{
	const struct gn_clock *c = p->clock;

	if (c->cfg.free_running || c->cfg.servo.type != GN_SERVO_KALMAN ||
	    p->cfg.delay_mechanism != GN_DM_E2E)
		return false;
	if (p->env_epoch != c->steer_epoch) {
		gn_port_env_reset(p);
		return false;
	}
	return c->servo_state == GN_SERVO_LOCKED ||
	       c->servo_state == GN_SERVO_LOCKED_STABLE;
}

void gn_port_env_delay(struct gn_port *p, int64_t t3_ns, int64_t t4_ns,
		       int64_t corr_ns)
{
	int64_t sm;

	/* t4 and the correction come from the wire: no wrapping. */
	if (!env_servo_ready(p) || gn_sub_ns(t4_ns, t3_ns, &sm) < 0 ||
	    gn_sub_ns(sm, corr_ns, &sm) < 0)
		return;
	gn_envelope_add(&p->env_sm, t3_ns,
			(double)sm + gn_clock_steer_phase(p->clock, t3_ns));
}

/*
 * Whether the window of e that all was fitted over (up to until_ns) is
 * straight: the envelope of its newer half gives the same value at
 * until_ns as the whole window's, within what queueing alone lets them
 * differ. The oscillator's wander bends a long window (and a servo's
 * own estimate of that wander is what queueing noise spoils), so the
 * data say it themselves. Comparing the two halves with each other at
 * their meeting point would not do: tangents to a parabola (a constant
 * frequency drift) meet midway between their points of contact, and
 * its bend would pass unseen.
 */
static bool env_straight(const struct gn_envelope *e,
			 const struct gn_envelope_fit *all, int64_t until_ns,
			 double excess)
{
	struct gn_envelope_fit b;
	int64_t mid = all->first_ns + (until_ns - all->first_ns) / 2;

	if (gn_envelope_fit(e, mid, until_ns, until_ns, GN_ENV_MIN_POINTS / 2,
			    &b) < 0)
		return false;
	return fabs(all->value - b.value) <= GN_ENV_BEND * excess / b.n;
}

static double env_sd_ns(const struct gn_envelope_fit *ms,
			const struct gn_envelope_fit *sm)
{
	return 0.5 * GN_ENV_SD_K *
	       hypot(ms->excess / ms->n, sm->excess / sm->n);
}

/*
 * Whether the envelopes know the offset better than the servo does from
 * the mean path delay: their variance against a share of the servo's
 * own fitted one. A servo that averages many packets (fast Sync, little
 * wander) already beats 64 of them; a servo that the wander keeps to a
 * few dozen does not. Asked once per reset: while the envelopes feed
 * it, the servo's figure describes them, not the mean path delay.
 */
static bool env_better(const struct gn_port *p,
		       const struct gn_envelope_fit *ms,
		       const struct gn_envelope_fit *sm)
{
	struct gn_servo_estimate e;
	double env = env_sd_ns(ms, sm);

	if (gn_servo_estimate(&p->clock->servo, &e) < 0)
		return false;
	return env * env <
	       GN_ENV_GAIN * e.offset_sd_fit_ns * e.offset_sd_fit_ns;
}

/*
 * The envelopes over the newest window that is straight (halving the
 * window up to twice) and shows enough queueing, and whether to use
 * them: the first time since a reset only if they beat the servo. Keeps
 * the queueing excess of the whole window for gn_port_env_weight.
 */
static bool env_fit(struct gn_port *p, int64_t t2_ns,
		    struct gn_envelope_fit *ms, struct gn_envelope_fit *sm)
{
	int64_t since = INT64_MIN;
	double excess;
	int k;

	for (k = 0; k < 3; k++) {
		if (gn_envelope_fit(&p->env_ms, since, t2_ns, t2_ns,
				    GN_ENV_MIN_POINTS, ms) < 0 ||
		    gn_envelope_fit(&p->env_sm, since, t2_ns, t2_ns,
				    GN_ENV_MIN_POINTS, sm) < 0)
			return false;
		if (k == 0)
			p->env_queue_ns = ms->excess;
		excess = fmin(ms->excess, sm->excess);
		if (env_straight(&p->env_ms, ms, t2_ns, excess) &&
		    env_straight(&p->env_sm, sm, t2_ns, excess))
			return excess >=
				   (p->env_on ? GN_ENV_OFF_NS : GN_ENV_ON_NS) &&
			       (p->env_chosen || env_better(p, ms, sm));
		since = t2_ns - (int64_t)(fmax(ms->span_s, sm->span_s) * 0.5e9);
	}
	return false;
}

/* Offsets come from the mean path delay again: false. */
static bool env_off(struct gn_port *p)
{
	if (p->env_on)
		gn_clock_log(p->clock, GN_LOG_DEBUG,
			     "port %u (%s): packet selection off", p->index + 1,
			     p->cfg.name);
	p->env_on = false;
	return false;
}

bool gn_port_env_offset(struct gn_port *p, int64_t t1c_ns, int64_t t2_ns,
			int64_t *offset_ns)
{
	struct gn_envelope_fit ms, sm;
	int64_t d;
	double off;

	/* t1c comes from the wire: no wrapping. */
	if (!env_servo_ready(p) || gn_sub_ns(t2_ns, t1c_ns, &d) < 0 ||
	    gn_sub_ns(d, p->cfg.delay_asymmetry_ns, &d) < 0)
		return env_off(p);
	gn_envelope_add(&p->env_ms, t2_ns,
			(double)d - gn_clock_steer_phase(p->clock, t2_ns));
	if (!env_fit(p, t2_ns, &ms, &sm))
		return env_off(p);
	off =
	    (ms.value - sm.value) / 2.0 + gn_clock_steer_phase(p->clock, t2_ns);
	if (!(fabs(off) < 9e18)) /* no int64 holds it */
		return env_off(p);
	if (!p->env_on)
		gn_clock_log(p->clock, GN_LOG_DEBUG,
			     "port %u (%s): packet selection on, queueing "
			     "%.0f / %.0f ns over %u / %u packets",
			     p->index + 1, p->cfg.name, ms.excess, sm.excess,
			     ms.n, sm.n);
	p->env_on = true;
	p->env_chosen = true;
	p->env_sd_ns = env_sd_ns(&ms, &sm);
	*offset_ns = (int64_t)llround(off);
	return true;
}

/*
 * Once the envelopes have fed the servo, it has learnt its noise from
 * their smooth offsets; but their error moves in steps as hull points
 * come and go or the window is halved, and an offset from the mean path
 * delay (when selection is off again) carries the whole queue. A servo
 * that trusts either to its learnt noise answers with a frequency jump
 * (a 2.9 us step of the envelopes drove one 4.8 ppm off; the first
 * mean-delay offsets swung a 16 Hz one by 180 ppm). Weighted, the servo
 * takes each offset as noisy as what it learnt plus what the offset
 * carries besides: the envelopes' error, or the queue's deviation (an
 * exponential queue's deviation is its mean: the Sync direction's
 * excess over its whole window now, which falls back as the queue
 * empties or an upstream clock that looked like one settles).
 */
double gn_port_env_weight(const struct gn_port *p)
{
	struct gn_servo_estimate e;
	double r, extra;

	if (!p->env_chosen || gn_servo_estimate(&p->clock->servo, &e) < 0)
		return 1.0;
	extra = p->env_on ? p->env_sd_ns : p->env_queue_ns;
	r = e.noise_ns * e.noise_ns;
	if (!(r > 0.0))
		return 1.0;
	return r / (r + extra * extra);
}

double gn_port_delay_stderr(const struct gn_port *p)
{
	if (p->env_on)
		return p->env_sd_ns;
	return gn_filter_stderr(&p->delay_filter);
}

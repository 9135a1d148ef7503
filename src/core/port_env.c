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
 * over a window that is straight: the envelopes of its two halves must
 * meet where queueing alone would let them (the oscillator's wander
 * bends a long window; halved up to twice, from 64 packets to 16).
 * Otherwise offsets come from the filtered mean path delay as before.
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
/* The halves' envelopes disagree at their meeting point by about 5.4
 * excesses over the count of a half, from queueing alone (exponential
 * delays); three times that is a bend. */
#define GN_ENV_BEND 16.0
/* One deviation of an envelope's value at its window's newest point, in
 * excesses over the count: about 4.3 for exponential queueing, 7.6 for
 * the softer floor of software stamps behind a queue (a sum of three
 * exponentials), measured in gnomon-sim. */
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
	double sm;

	if (!env_servo_ready(p))
		return;
	sm = (double)(t4_ns - t3_ns) - (double)corr_ns;
	gn_envelope_add(&p->env_sm, t3_ns,
			sm + gn_clock_steer_phase(p->clock, t3_ns));
}

/*
 * Whether the window [since, until] of e is straight: the envelopes of
 * its two halves, each taken at the middle, agree within a share of the
 * queueing excess. The oscillator's wander bends a long window (and a
 * servo's own estimate of that wander is what queueing noise spoils),
 * so the data say it themselves.
 */
static bool env_straight(const struct gn_envelope *e,
			 const struct gn_envelope_fit *all, int64_t until_ns,
			 double excess)
{
	struct gn_envelope_fit a, b;
	int64_t mid = all->first_ns + (until_ns - all->first_ns) / 2;

	if (gn_envelope_fit(e, all->first_ns, mid - 1, mid,
			    GN_ENV_MIN_POINTS / 2, &a) < 0 ||
	    gn_envelope_fit(e, mid, until_ns, mid, GN_ENV_MIN_POINTS / 2, &b) <
		0)
		return false;
	return fabs(a.value - b.value) <=
	       GN_ENV_BEND * excess / (double)(a.n < b.n ? a.n : b.n);
}

static double env_sd_ns(const struct gn_envelope_fit *ms,
			const struct gn_envelope_fit *sm)
{
	return 0.5 * GN_ENV_SD_K *
	       hypot(ms->excess / ms->n, sm->excess / sm->n);
}

/*
 * Whether the envelopes know the offset better than the servo does from
 * the mean path delay: its own (fitted) deviation and the delay filter's
 * standard error against the envelopes'. A servo that averages many
 * packets (fast Sync, little wander) already beats 64 of them; a servo
 * that the wander keeps to a few dozen does not.
 */
static bool env_better(const struct gn_port *p,
		       const struct gn_envelope_fit *ms,
		       const struct gn_envelope_fit *sm)
{
	struct gn_servo_estimate e;
	double env = env_sd_ns(ms, sm);

	if (p->env_chosen)
		return true;
	if (gn_servo_estimate(&p->clock->servo, &e) < 0)
		return false;
	return env * env <
	       GN_ENV_GAIN * e.offset_sd_fit_ns * e.offset_sd_fit_ns;
}

bool gn_port_env_offset(struct gn_port *p, int64_t t1c_ns, int64_t t2_ns,
			int64_t *offset_ns)
{
	struct gn_envelope_fit ms, sm;
	int64_t since = INT64_MIN;
	double excess, off;
	int k;

	if (!env_servo_ready(p)) {
		p->env_on = false;
		return false;
	}
	gn_envelope_add(&p->env_ms, t2_ns,
			(double)(t2_ns - t1c_ns) -
			    (double)p->cfg.delay_asymmetry_ns -
			    gn_clock_steer_phase(p->clock, t2_ns));

	/* Halve the window until both directions are straight over it. */
	for (k = 0; k < 3; k++) {
		if (gn_envelope_fit(&p->env_ms, since, t2_ns, t2_ns,
				    GN_ENV_MIN_POINTS, &ms) < 0 ||
		    gn_envelope_fit(&p->env_sm, since, t2_ns, t2_ns,
				    GN_ENV_MIN_POINTS, &sm) < 0)
			break;
		excess = fmin(ms.excess, sm.excess);
		if (env_straight(&p->env_ms, &ms, t2_ns, excess) &&
		    env_straight(&p->env_sm, &sm, t2_ns, excess)) {
			if (excess >=
				(p->env_on ? GN_ENV_OFF_NS : GN_ENV_ON_NS) &&
			    (p->env_on || env_better(p, &ms, &sm)))
				goto use;
			break;
		}
		since = t2_ns - (int64_t)(fmax(ms.span_s, sm.span_s) * 0.5e9);
	}
	if (p->env_on)
		gn_clock_log(p->clock, GN_LOG_DEBUG,
			     "port %u (%s): packet selection off", p->index + 1,
			     p->cfg.name);
	p->env_on = false;
	return false;

use:
	off =
	    (ms.value - sm.value) / 2.0 + gn_clock_steer_phase(p->clock, t2_ns);
	if (!(fabs(off) < 9e18))
		return false;
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

double gn_port_delay_stderr(const struct gn_port *p)
{
	if (p->env_on)
		return p->env_sd_ns;
	return gn_filter_stderr(&p->delay_filter);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pi.c - proportional-integral clock servo with linuxptp's semantics and
 * defaults.
 *
 * Start-up takes two samples: the first is recorded; the second (taken
 * at least 0.016 / ki seconds later, at most 1000 s) estimates the
 * frequency error from the drift of the offset, and decides between a
 * step (JUMP) and LOCKED. From then on the output is
 *     drift - kp * offset - ki * offset (ki term integrated into drift),
 * clamped to max_frequency; while clamped the integrator holds still. An
 * offset past step_threshold while locked restarts the two-sample
 * estimation (UNLOCKED), so the step happens on its second sample.
 *
 * Signs: linuxptp's PI works in the negated frequency (its caller applies
 * -ppb); here drift_ppb and the output are the frequency to apply, so a
 * positive offset (local ahead) gives a negative adjustment.
 *
 * kp and ki follow the sync interval: kp = min(kp_scale * interval ^
 * kp_exponent, kp_norm_max / interval), ki likewise. A configured
 * pi_kp / pi_ki replaces the scale, with exponent 0 and norm_max 1.0 /
 * 2.0 as linuxptp. Must not do I/O or read clocks.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "servo.h"
#include "servo_private.h"

#define PI_HW_KP_SCALE 0.7
#define PI_HW_KI_SCALE 0.3
#define PI_SW_KP_SCALE 0.1
#define PI_SW_KI_SCALE 0.001
/* norm_max caps that go with user-configured constants. */
#define PI_CONST_KP_NORM_MAX 1.0
#define PI_CONST_KI_NORM_MAX 2.0
/* The frequency estimate waits FREQ_EST_S / ki seconds, at most
 * FREQ_EST_MAX_S; the measured interval gets a 0.1 % margin. */
#define PI_FREQ_EST_S	   0.016
#define PI_FREQ_EST_MAX_S  1000.0
#define PI_FREQ_EST_MARGIN 0.001

void gn_servo_pi_init(struct gn_servo *s, double initial_freq_ppb)
{
	memset(&s->u.pi, 0, sizeof(s->u.pi));
	s->u.pi.drift_ppb = initial_freq_ppb;
}

static double pi_gain(double constant, double scale, double auto_scale,
		      double exponent, double norm_max, double const_norm_max,
		      double interval_s)
{
	double k;

	if (constant > 0.0) {
		scale = constant;
		exponent = 0.0;
		norm_max = const_norm_max;
	} else if (scale <= 0.0) {
		scale = auto_scale;
	}
	k = scale * pow(interval_s, exponent);
	if (k > norm_max / interval_s)
		k = norm_max / interval_s;
	return k;
}

void gn_servo_pi_sync_interval(struct gn_servo *s, double interval_s)
{
	const struct gn_servo_config *c = &s->cfg;
	bool hw = c->hw_stamping;

	s->u.pi.kp =
	    pi_gain(c->pi_kp, c->pi_kp_scale,
		    hw ? PI_HW_KP_SCALE : PI_SW_KP_SCALE, c->pi_kp_exponent,
		    c->pi_kp_norm_max, PI_CONST_KP_NORM_MAX, interval_s);
	s->u.pi.ki =
	    pi_gain(c->pi_ki, c->pi_ki_scale,
		    hw ? PI_HW_KI_SCALE : PI_SW_KI_SCALE, c->pi_ki_exponent,
		    c->pi_ki_norm_max, PI_CONST_KI_NORM_MAX, interval_s);
}

void gn_servo_pi_reset(struct gn_servo *s)
{
	s->u.pi.count = 0;
}

/* Second sample: estimate the frequency, then step or lock. */
static double pi_estimate(struct gn_servo *s, enum gn_servo_state *state)
{
	struct gn_servo_pi *pi = &s->u.pi;
	double local_diff_ns, local_diff_s, wait_s, offset_diff_ns;

	/* The first sample must be the older one. */
	if (pi->local_ns[0] >= pi->local_ns[1]) {
		pi->count = 0;
		*state = GN_SERVO_UNLOCKED;
		return s->freq_ppb;
	}

	/* local[1] > local[0], so the unsigned difference is exact. */
	local_diff_ns =
	    (double)((uint64_t)pi->local_ns[1] - (uint64_t)pi->local_ns[0]);
	local_diff_s = local_diff_ns / 1e9;
	local_diff_s += local_diff_s * PI_FREQ_EST_MARGIN;
	wait_s = PI_FREQ_EST_MAX_S;
	if (pi->ki > 0.0 && PI_FREQ_EST_S / pi->ki < wait_s)
		wait_s = PI_FREQ_EST_S / pi->ki;
	if (local_diff_s < wait_s) {
		/* Too early: keep sample 0, replace sample 1 next time. */
		*state = GN_SERVO_UNLOCKED;
		return s->freq_ppb;
	}

	/*
	 * The offset grew by offset_diff over local_diff of local time: the
	 * clock runs fast by that ratio, at its current adjustment drift.
	 * The new adjustment makes it run at the master's rate.
	 */
	offset_diff_ns = (double)pi->offset_ns[1] - (double)pi->offset_ns[0];
	pi->drift_ppb -= (1e9 + pi->drift_ppb) * offset_diff_ns / local_diff_ns;
	pi->drift_ppb = gn_servo_clamp_ppb(s, pi->drift_ppb);

	*state = gn_servo_should_step(s, fabs((double)pi->offset_ns[1]))
		     ? GN_SERVO_JUMP
		     : GN_SERVO_LOCKED;
	pi->count = 2;
	return pi->drift_ppb;
}

double gn_servo_pi_sample(struct gn_servo *s, int64_t offset_ns,
			  int64_t local_ns, double weight,
			  enum gn_servo_state *state)
{
	struct gn_servo_pi *pi = &s->u.pi;
	double ki_term, ppb, max = s->cfg.max_frequency_ppb;

	switch (pi->count) {
	case 0:
		pi->offset_ns[0] = offset_ns;
		pi->local_ns[0] = local_ns;
		pi->count = 1;
		*state = GN_SERVO_UNLOCKED;
		return s->freq_ppb;
	case 1:
		pi->offset_ns[1] = offset_ns;
		pi->local_ns[1] = local_ns;
		return pi_estimate(s, state);
	default:
		break;
	}

	/* Far off while locked: start over; the estimate will step. */
	if (s->cfg.step_threshold_ns > 0 &&
	    (double)s->cfg.step_threshold_ns < fabs((double)offset_ns)) {
		pi->count = 0;
		*state = GN_SERVO_UNLOCKED;
		return s->freq_ppb;
	}

	ki_term = pi->ki * (double)offset_ns * weight;
	ppb = pi->drift_ppb - pi->kp * (double)offset_ns * weight - ki_term;
	if (ppb < -max)
		ppb = -max;
	else if (ppb > max)
		ppb = max;
	else
		pi->drift_ppb -= ki_term;
	*state = GN_SERVO_LOCKED;
	return ppb;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * servo.c - the servo interface: configuration defaults, dispatch to the
 * PI, linear-regression and Kalman servos, and what all types share (step
 * thresholds, frequency clamp, the LOCKED_STABLE (s3) decision of
 * servo_offset_threshold / servo_num_offset_values), as linuxptp's
 * servo.c does.
 *
 * Must not do I/O or read clocks: the servo only turns the samples it is
 * given into a frequency and a state; the caller steers the clock.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "servo.h"
#include "servo_private.h"

#define GN_SERVO_FREQ_LIMIT_PPB 999999999.0

struct servo_ops {
	void (*init)(struct gn_servo *s, double initial_freq_ppb);
	double (*sample)(struct gn_servo *s, int64_t offset_ns,
			 int64_t local_ns, double weight,
			 enum gn_servo_state *state);
	void (*sync_interval)(struct gn_servo *s, double interval_s);
	void (*reset)(struct gn_servo *s);
};

static const struct servo_ops pi_ops = {
    .init = gn_servo_pi_init,
    .sample = gn_servo_pi_sample,
    .sync_interval = gn_servo_pi_sync_interval,
    .reset = gn_servo_pi_reset,
};

static const struct servo_ops linreg_ops = {
    .init = gn_servo_linreg_init,
    .sample = gn_servo_linreg_sample,
    .sync_interval = gn_servo_linreg_sync_interval,
    .reset = gn_servo_linreg_reset,
};

static const struct servo_ops kalman_ops = {
    .init = gn_servo_kalman_init,
    .sample = gn_servo_kalman_sample,
    .sync_interval = gn_servo_kalman_sync_interval,
    .reset = gn_servo_kalman_reset,
};

static const struct servo_ops *const servo_ops[GN_SERVO_TYPE_COUNT] = {
    &pi_ops,
    &linreg_ops,
    &kalman_ops,
};

void gn_servo_config_default(struct gn_servo_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->type = GN_SERVO_PI;
	cfg->hw_stamping = false;
	/* pi_proportional_const / pi_integral_const 0: automatic. */
	cfg->pi_kp = 0.0;
	cfg->pi_ki = 0.0;
	/* Scales 0: 0.7 / 0.3 with hardware, 0.1 / 0.001 with software
	 * time stamps (chosen in pi.c from hw_stamping). */
	cfg->pi_kp_scale = 0.0;
	cfg->pi_kp_exponent = -0.3;
	cfg->pi_kp_norm_max = 0.7;
	cfg->pi_ki_scale = 0.0;
	cfg->pi_ki_exponent = 0.4;
	cfg->pi_ki_norm_max = 0.3;
	cfg->step_threshold_ns = 0;
	cfg->first_step_threshold_ns = 20000;
	cfg->max_frequency_ppb = 900000000.0;
	cfg->offset_threshold_ns = 0;
	cfg->num_offset_values = 10;
}

int gn_servo_init(struct gn_servo *s, const struct gn_servo_config *cfg,
		  double initial_freq_ppb)
{
	if (!s || !cfg)
		return -EINVAL;
	if ((unsigned)cfg->type >= GN_SERVO_TYPE_COUNT)
		return -EINVAL;
	if (!(cfg->max_frequency_ppb > 0.0) ||
	    !(fabs(initial_freq_ppb) < GN_SERVO_FREQ_LIMIT_PPB))
		return -EINVAL;

	memset(s, 0, sizeof(*s));
	s->cfg = *cfg;
	/* A clock slowed by 1e9 ppb stands still (and linreg divides by
	 * 1 + freq / 1e9): larger limits mean "as much as possible". */
	if (s->cfg.max_frequency_ppb > GN_SERVO_FREQ_LIMIT_PPB)
		s->cfg.max_frequency_ppb = GN_SERVO_FREQ_LIMIT_PPB;
	s->state = GN_SERVO_UNLOCKED;
	s->freq_ppb = initial_freq_ppb;
	s->first_update_done = false;
	s->curr_offset_values = cfg->num_offset_values;
	servo_ops[cfg->type]->init(s, initial_freq_ppb);
	/* As linuxptp's clock: 1 s (logSyncInterval 0) until told. */
	gn_servo_sync_interval(s, 1.0);
	return 0;
}

static uint64_t abs_ns(int64_t v)
{
	return v < 0 ? -(uint64_t)v : (uint64_t)v;
}

/* linuxptp's check_offset_threshold: true once num_offset_values
 * consecutive LOCKED samples were under offset_threshold. */
static bool offset_threshold_reached(struct gn_servo *s, int64_t offset_ns)
{
	if (s->cfg.offset_threshold_ns <= 0)
		return false;
	if (abs_ns(offset_ns) < (uint64_t)s->cfg.offset_threshold_ns) {
		if (s->curr_offset_values)
			s->curr_offset_values--;
	} else {
		s->curr_offset_values = s->cfg.num_offset_values;
	}
	return s->curr_offset_values == 0;
}

double gn_servo_sample(struct gn_servo *s, int64_t offset_ns, int64_t local_ns,
		       double weight, enum gn_servo_state *state)
{
	enum gn_servo_state st = GN_SERVO_UNLOCKED;
	double ppb;

	/* Weights outside (0, 1] (or NaN) would break the regression sums
	 * and scale the PI terms up: treat them as unweighted. */
	if (!(weight > 0.0 && weight <= 1.0))
		weight = 1.0;

	ppb =
	    servo_ops[s->cfg.type]->sample(s, offset_ns, local_ns, weight, &st);

	switch (st) {
	case GN_SERVO_UNLOCKED:
		s->curr_offset_values = s->cfg.num_offset_values;
		break;
	case GN_SERVO_JUMP:
		s->curr_offset_values = s->cfg.num_offset_values;
		s->first_update_done = true;
		break;
	case GN_SERVO_LOCKED:
		if (offset_threshold_reached(s, offset_ns))
			st = GN_SERVO_LOCKED_STABLE;
		s->first_update_done = true;
		break;
	case GN_SERVO_LOCKED_STABLE:
		/* Only set above, never by a servo type. */
		break;
	}

	s->state = st;
	s->freq_ppb = ppb;
	if (state)
		*state = st;
	return ppb;
}

void gn_servo_sync_interval(struct gn_servo *s, double interval_s)
{
	if (!(interval_s > 0.0) || !isfinite(interval_s))
		return;
	s->sync_interval_s = interval_s;
	servo_ops[s->cfg.type]->sync_interval(s, interval_s);
}

void gn_servo_reset(struct gn_servo *s)
{
	servo_ops[s->cfg.type]->reset(s);
	s->state = GN_SERVO_UNLOCKED;
	s->curr_offset_values = s->cfg.num_offset_values;
}

const char *gn_servo_state_str(enum gn_servo_state st)
{
	switch (st) {
	case GN_SERVO_UNLOCKED:
		return "s0";
	case GN_SERVO_JUMP:
		return "s1";
	case GN_SERVO_LOCKED:
		return "s2";
	case GN_SERVO_LOCKED_STABLE:
		return "s3";
	}
	return "s?";
}

const char *gn_servo_type_str(enum gn_servo_type t)
{
	switch (t) {
	case GN_SERVO_PI:
		return "pi";
	case GN_SERVO_LINREG:
		return "linreg";
	case GN_SERVO_KALMAN:
		return "kalman";
	case GN_SERVO_TYPE_COUNT:
		break;
	}
	return "unknown";
}

int gn_servo_estimate(const struct gn_servo *s, struct gn_servo_estimate *e)
{
	if (!s || !e)
		return -EINVAL;
	if (s->cfg.type != GN_SERVO_KALMAN)
		return -ENOTSUP;
	return gn_servo_kalman_estimate(s, e);
}

void gn_servo_shift(struct gn_servo *s, double shift_ns, bool settling)
{
	if (s && s->cfg.type == GN_SERVO_KALMAN && isfinite(shift_ns))
		gn_servo_kalman_shift(s, shift_ns, settling);
}

int gn_servo_uncertainty(const struct gn_servo *s, double *offset_sd_ns,
			 double *freq_sd_ppb)
{
	struct gn_servo_estimate e;
	int rc = gn_servo_estimate(s, &e);

	if (rc < 0)
		return rc;
	if (offset_sd_ns)
		*offset_sd_ns = e.offset_sd_ns;
	if (freq_sd_ppb)
		*freq_sd_ppb = e.freq_sd_ppb;
	return 0;
}

bool gn_servo_should_step(const struct gn_servo *s, double abs_offset_ns)
{
	const struct gn_servo_config *c = &s->cfg;

	if (!s->first_update_done && c->first_step_threshold_ns > 0 &&
	    (double)c->first_step_threshold_ns < abs_offset_ns)
		return true;
	return c->step_threshold_ns > 0 &&
	       (double)c->step_threshold_ns < abs_offset_ns;
}

double gn_servo_clamp_ppb(const struct gn_servo *s, double value_ppb)
{
	double max = s->cfg.max_frequency_ppb;

	if (value_ppb > max)
		return max;
	if (value_ppb < -max)
		return -max;
	return value_ppb;
}

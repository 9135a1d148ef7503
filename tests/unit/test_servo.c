/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_servo.c - the clock servos (servo.c, pi.c, linreg.c) and the PRNG
 * (rng.c).
 *
 * Exact checks: configuration defaults, kp/ki for hardware and software
 * time stamps at 1 s, 1/16 s and 4 s, the PI start-up estimate and PI
 * terms, linreg's first fit, the s3 (LOCKED_STABLE) count, state and type
 * strings, argument checks.
 *
 * Closed-loop checks on a model clock: the local clock has a frequency
 * error and an initial offset; every sync interval the servo gets offset
 * = local - master, and the test applies the returned frequency (and the
 * step on JUMP) to the model, as clock.c does. Lock from a 1 ms offset,
 * from 50 ppm without a step, step_threshold and first_step_threshold
 * behaviour, frequency clamping, for PI and linreg.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"
#include "servo/servo.h"

/* ---- model clock ---- */

struct model {
	double master_ns;    /* true time */
	double local_ns;     /* the disciplined clock */
	double freq_err_ppb; /* its oscillator's own error */
	double applied_ppb;  /* the servo's adjustment */
	double noise_ns;     /* +- uniform measurement noise */
	struct gn_rng rng;
	unsigned jumps; /* JUMP states seen */
	unsigned samples;
};

static void model_init(struct model *m, double offset_ns, double err_ppb,
		       double noise_ns)
{
	memset(m, 0, sizeof(*m));
	m->master_ns = 1e12; /* 1000 s */
	m->local_ns = m->master_ns + offset_ns;
	m->freq_err_ppb = err_ppb;
	m->noise_ns = noise_ns;
	gn_rng_seed(&m->rng, 7);
}

static void model_advance(struct model *m, double interval_s)
{
	double dt_ns = interval_s * 1e9;

	m->master_ns += dt_ns;
	m->local_ns += dt_ns * (1.0 + m->freq_err_ppb / 1e9) *
		       (1.0 + m->applied_ppb / 1e9);
}

static int64_t model_true_offset(const struct model *m)
{
	return llround(m->local_ns - m->master_ns);
}

/* One sync interval: measure, feed, apply, advance. Returns the state. */
static enum gn_servo_state model_step(struct model *m, struct gn_servo *s,
				      double interval_s)
{
	enum gn_servo_state st;
	int64_t off = model_true_offset(m);
	double ppb;

	if (m->noise_ns > 0.0)
		off +=
		    llround((gn_rng_unit(&m->rng) * 2.0 - 1.0) * m->noise_ns);
	ppb = gn_servo_sample(s, off, llround(m->local_ns), 1.0, &st);
	switch (st) {
	case GN_SERVO_UNLOCKED:
		break;
	case GN_SERVO_JUMP:
		m->local_ns -= (double)off;
		m->applied_ppb = ppb;
		m->jumps++;
		break;
	case GN_SERVO_LOCKED:
	case GN_SERVO_LOCKED_STABLE:
		m->applied_ppb = ppb;
		break;
	}
	m->samples++;
	model_advance(m, interval_s);
	return st;
}

/*
 * Feeds up to max_samples; returns the (0-based) index of the first sample
 * of the first run of `hold` samples that were LOCKED (or s3) and left the
 * true offset within +-bound_ns, or -1.
 */
static int model_lock(struct model *m, struct gn_servo *s, double interval_s,
		      int64_t bound_ns, unsigned hold, unsigned max_samples)
{
	unsigned i, in_bound = 0;

	for (i = 0; i < max_samples; i++) {
		enum gn_servo_state st = model_step(m, s, interval_s);
		int64_t off = model_true_offset(m);

		if ((st == GN_SERVO_LOCKED || st == GN_SERVO_LOCKED_STABLE) &&
		    off < bound_ns && off > -bound_ns) {
			if (++in_bound == hold)
				return (int)(i + 1 - hold);
		} else {
			in_bound = 0;
		}
	}
	return -1;
}

static void servo_setup(struct gn_servo *s, enum gn_servo_type type, bool hw,
			double interval_s)
{
	struct gn_servo_config cfg;

	gn_servo_config_default(&cfg);
	cfg.type = type;
	cfg.hw_stamping = hw;
	assert_int_equal(gn_servo_init(s, &cfg, 0.0), 0);
	gn_servo_sync_interval(s, interval_s);
}

/* ---- configuration and strings ---- */

static void test_config_default(void **state)
{
	struct gn_servo_config c;

	(void)state;
	memset(&c, 0xff, sizeof(c));
	gn_servo_config_default(&c);
	assert_int_equal(c.type, GN_SERVO_PI);
	assert_false(c.hw_stamping);
	assert_true(c.pi_kp == 0.0 && c.pi_ki == 0.0);
	assert_true(c.pi_kp_scale == 0.0 && c.pi_ki_scale == 0.0);
	assert_true(c.pi_kp_exponent == -0.3);
	assert_true(c.pi_kp_norm_max == 0.7);
	assert_true(c.pi_ki_exponent == 0.4);
	assert_true(c.pi_ki_norm_max == 0.3);
	assert_int_equal(c.step_threshold_ns, 0);
	assert_int_equal(c.first_step_threshold_ns, 20000);
	assert_true(c.max_frequency_ppb == 900000000.0);
	assert_int_equal(c.offset_threshold_ns, 0);
	assert_int_equal(c.num_offset_values, 10);
}

static void test_strings(void **state)
{
	(void)state;
	assert_string_equal(gn_servo_state_str(GN_SERVO_UNLOCKED), "s0");
	assert_string_equal(gn_servo_state_str(GN_SERVO_JUMP), "s1");
	assert_string_equal(gn_servo_state_str(GN_SERVO_LOCKED), "s2");
	assert_string_equal(gn_servo_state_str(GN_SERVO_LOCKED_STABLE), "s3");
	assert_string_equal(gn_servo_state_str((enum gn_servo_state)9), "s?");
	assert_string_equal(gn_servo_type_str(GN_SERVO_PI), "pi");
	assert_string_equal(gn_servo_type_str(GN_SERVO_LINREG), "linreg");
	assert_string_equal(gn_servo_type_str(GN_SERVO_TYPE_COUNT), "unknown");
	assert_string_equal(gn_servo_type_str((enum gn_servo_type)42),
			    "unknown");
}

static void test_init_errors(void **state)
{
	struct gn_servo_config c;
	struct gn_servo s;

	(void)state;
	gn_servo_config_default(&c);
	assert_int_equal(gn_servo_init(NULL, &c, 0.0), -EINVAL);
	assert_int_equal(gn_servo_init(&s, NULL, 0.0), -EINVAL);
	c.type = GN_SERVO_TYPE_COUNT;
	assert_int_equal(gn_servo_init(&s, &c, 0.0), -EINVAL);
	c.type = (enum gn_servo_type) - 1;
	assert_int_equal(gn_servo_init(&s, &c, 0.0), -EINVAL);
	gn_servo_config_default(&c);
	c.max_frequency_ppb = 0.0;
	assert_int_equal(gn_servo_init(&s, &c, 0.0), -EINVAL);
	c.max_frequency_ppb = NAN;
	assert_int_equal(gn_servo_init(&s, &c, 0.0), -EINVAL);
	gn_servo_config_default(&c);
	assert_int_equal(gn_servo_init(&s, &c, NAN), -EINVAL);
	assert_int_equal(gn_servo_init(&s, &c, -1e9), -EINVAL);
	assert_int_equal(gn_servo_init(&s, &c, 1e9), -EINVAL);

	/* Limits of 1e9 ppb and more are cut just below: a clock cannot run
	 * 100 % slow. */
	c.max_frequency_ppb = 2147483647.0;
	assert_int_equal(gn_servo_init(&s, &c, 12.5), 0);
	assert_true(s.cfg.max_frequency_ppb == 999999999.0);
	assert_int_equal(s.state, GN_SERVO_UNLOCKED);
	assert_true(s.freq_ppb == 12.5);
	assert_true(s.sync_interval_s == 1.0);
	assert_true(s.u.pi.drift_ppb == 12.5);
}

/* ---- PI gains ---- */

static void expect_gains(bool hw, double interval_s, double kp, double ki)
{
	struct gn_servo s;

	servo_setup(&s, GN_SERVO_PI, hw, interval_s);
	assert_true(fabs(s.u.pi.kp - kp) < 1e-12);
	assert_true(fabs(s.u.pi.ki - ki) < 1e-12);
}

/*
 * kp = min(kp_scale * T^-0.3, 0.7 / T), ki = min(ki_scale * T^0.4, 0.3 / T)
 * with 16^0.3 = 2^1.2 = 2.29739670999407 and 16^-0.4 = 2^-1.6 =
 * 0.329876977693224; 4^-0.3 = 2^-0.6 = 0.659753955386447, 4^0.4 = 2^0.8
 * = 1.74110112659225.
 *   hw, 1 s:     kp 0.7                 ki 0.3
 *   hw, 1/16 s:  kp 0.7 * 2.2974 = 1.60817769699585  (cap 11.2)
 *                ki 0.3 * 0.32988 = 0.0989630933079672 (cap 4.8)
 *   sw, 1 s:     kp 0.1                 ki 0.001
 *   sw, 1/16 s:  kp 0.229739670999407   ki 0.000329876977693224
 *   hw, 4 s:     kp 0.7 * 0.65975 = 0.46 > 0.7 / 4: capped to 0.175
 *                ki 0.3 * 1.7411 = 0.52 > 0.3 / 4: capped to 0.075
 */
static void test_pi_gains_auto(void **state)
{
	(void)state;
	expect_gains(true, 1.0, 0.7, 0.3);
	expect_gains(true, 1.0 / 16, 1.60817769699585, 0.0989630933079672);
	expect_gains(false, 1.0, 0.1, 0.001);
	expect_gains(false, 1.0 / 16, 0.229739670999407, 0.000329876977693224);
	expect_gains(true, 4.0, 0.175, 0.075);
	/* sw, 4 s: 0.1 * 0.65975 = 0.0659753955386447 (< 0.175),
	 * 0.001 * 1.7411 = 0.00174110112659225 (< 0.075) */
	expect_gains(false, 4.0, 0.0659753955386447, 0.00174110112659225);
}

/*
 * Configured constants replace the scale with exponent 0 and norm_max 1.0
 * (kp) / 2.0 (ki): pi_kp 0.5, pi_ki 0.2
 *   1 s: kp 0.5, ki 0.2;  4 s: kp min(0.5, 1/4) = 0.25, ki min(0.2, 0.5)
 * Configured scales keep the exponents: kp_scale 0.2, ki_scale 0.05 at
 * 1/16 s: kp 0.2 * 2.2974 = 0.459479341998814, ki 0.05 * 0.32988 =
 * 0.0164938488846612.
 */
static void test_pi_gains_configured(void **state)
{
	struct gn_servo_config c;
	struct gn_servo s;

	(void)state;
	gn_servo_config_default(&c);
	c.pi_kp = 0.5;
	c.pi_ki = 0.2;
	assert_int_equal(gn_servo_init(&s, &c, 0.0), 0);
	assert_true(fabs(s.u.pi.kp - 0.5) < 1e-12);
	assert_true(fabs(s.u.pi.ki - 0.2) < 1e-12);
	gn_servo_sync_interval(&s, 4.0);
	assert_true(fabs(s.u.pi.kp - 0.25) < 1e-12);
	assert_true(fabs(s.u.pi.ki - 0.2) < 1e-12);

	gn_servo_config_default(&c);
	c.pi_kp_scale = 0.2;
	c.pi_ki_scale = 0.05;
	assert_int_equal(gn_servo_init(&s, &c, 0.0), 0);
	gn_servo_sync_interval(&s, 1.0 / 16);
	assert_true(fabs(s.u.pi.kp - 0.459479341998814) < 1e-12);
	assert_true(fabs(s.u.pi.ki - 0.0164938488846612) < 1e-12);
	assert_true(s.sync_interval_s == 1.0 / 16);

	/* Nonsense intervals are ignored. */
	gn_servo_sync_interval(&s, 0.0);
	gn_servo_sync_interval(&s, -1.0);
	gn_servo_sync_interval(&s, NAN);
	gn_servo_sync_interval(&s, INFINITY);
	assert_true(s.sync_interval_s == 1.0 / 16);
	assert_true(fabs(s.u.pi.kp - 0.459479341998814) < 1e-12);
}

/* ---- PI, exact ---- */

/*
 * hw, 1 s (kp 0.7, ki 0.3), initial frequency 500 ppb.
 *   #0 offset 1000 at 0:       recorded, s0, returns 500
 *   #1 offset 3000 at 1e9:     drift = 500 - (1e9 + 500) * 2000 / 1e9
 *                              = -1500.001; 3000 < 20000: s2
 *   #2 offset 100 at 2e9:      -1500.001 - 70 - 30 = -1600.001,
 *                              drift -1530.001
 *   #3 offset -100, w 0.5:     -1530.001 + 35 + 15 = -1480.001,
 *                              drift -1515.001
 *   #4 offset 100, w 0 (-> 1): -1515.001 - 100, drift -1545.001
 */
static void test_pi_exact(void **state)
{
	struct gn_servo_config c;
	enum gn_servo_state st;
	struct gn_servo s;
	double f;

	(void)state;
	gn_servo_config_default(&c);
	c.hw_stamping = true;
	assert_int_equal(gn_servo_init(&s, &c, 500.0), 0);

	f = gn_servo_sample(&s, 1000, 0, 1.0, &st);
	assert_int_equal(st, GN_SERVO_UNLOCKED);
	assert_true(f == 500.0);

	f = gn_servo_sample(&s, 3000, 1000000000, 1.0, &st);
	assert_int_equal(st, GN_SERVO_LOCKED);
	assert_true(fabs(f - -1500.001) < 1e-9);
	assert_true(fabs(s.u.pi.drift_ppb - -1500.001) < 1e-9);

	f = gn_servo_sample(&s, 100, 2000000000, 1.0, &st);
	assert_int_equal(st, GN_SERVO_LOCKED);
	assert_true(fabs(f - -1600.001) < 1e-9);
	assert_true(fabs(s.u.pi.drift_ppb - -1530.001) < 1e-9);

	f = gn_servo_sample(&s, -100, 3000000000, 0.5, &st);
	assert_true(fabs(f - -1480.001) < 1e-9);
	assert_true(fabs(s.u.pi.drift_ppb - -1515.001) < 1e-9);

	f = gn_servo_sample(&s, 100, 4000000000, 0.0, &st);
	assert_true(fabs(f - -1615.001) < 1e-9);
	f = gn_servo_sample(&s, 0, 5000000000, NAN, &st);
	assert_true(fabs(f - -1545.001) < 1e-9);
	f = gn_servo_sample(&s, 0, 6000000000, 2.0, &st);
	assert_true(fabs(f - -1545.001) < 1e-9);
	assert_true(s.freq_ppb == f);
	assert_int_equal(s.state, GN_SERVO_LOCKED);

	/* A NULL state pointer is tolerated. */
	f = gn_servo_sample(&s, 0, 7000000000, 1.0, NULL);
	assert_true(fabs(f - -1545.001) < 1e-9);
}

/* The second sample must be newer than the first, else start over. */
static void test_pi_time_order(void **state)
{
	enum gn_servo_state st;
	struct gn_servo s;

	(void)state;
	servo_setup(&s, GN_SERVO_PI, true, 1.0);
	gn_servo_sample(&s, 0, 5000000000, 1.0, &st);
	gn_servo_sample(&s, 0, 5000000000, 1.0, &st);
	assert_int_equal(st, GN_SERVO_UNLOCKED);
	assert_int_equal(s.u.pi.count, 0);
	gn_servo_sample(&s, 0, 6000000000, 1.0, &st); /* new sample 0 */
	assert_int_equal(st, GN_SERVO_UNLOCKED);
	gn_servo_sample(&s, 0, 4000000000, 1.0, &st); /* older */
	assert_int_equal(st, GN_SERVO_UNLOCKED);
	gn_servo_sample(&s, 0, 6000000000, 1.0, &st); /* sample 0 */
	gn_servo_sample(&s, 0, 7000000000, 1.0, &st);
	assert_int_equal(st, GN_SERVO_LOCKED);
}

/*
 * The frequency estimate waits 0.016 / ki: with software stamps at 1 s
 * (ki 0.001) that is 16 s, i.e. the 16th sample after the first (its
 * interval, 16 s, plus 0.1 % margin passes 16 s; 15 s does not).
 */
static void test_pi_estimate_wait(void **state)
{
	enum gn_servo_state st;
	struct gn_servo s;
	int64_t i;

	(void)state;
	servo_setup(&s, GN_SERVO_PI, false, 1.0);
	for (i = 0; i < 16; i++) {
		gn_servo_sample(&s, 1000 * i, i * 1000000000, 1.0, &st);
		assert_int_equal(st, GN_SERVO_UNLOCKED);
	}
	/* offset grew 1000 ns/s: drift = -(1e9) * 16000 / 16e9 = -1000 */
	assert_true(fabs(gn_servo_sample(&s, 16000, 16000000000, 1.0, &st) -
			 -1000.0) < 1e-9);
	assert_int_equal(st, GN_SERVO_LOCKED);

	/* A tiny ki (1e-9: 0.016 / ki = 1.6e7 s), or ki 0 (norm_max 0):
	 * the wait is capped at 1000 s, reached at 999.1 s * 1.001. */
	{
		struct gn_servo_config c;
		int k;

		for (k = 0; k < 2; k++) {
			gn_servo_config_default(&c);
			if (k == 0)
				c.pi_ki_scale = 1e-9;
			else
				c.pi_ki_norm_max = 0.0;
			assert_int_equal(gn_servo_init(&s, &c, 0.0), 0);
			assert_true(k == 0 ? s.u.pi.ki == 1e-9
					   : s.u.pi.ki == 0.0);
			gn_servo_sample(&s, 0, 0, 1.0, &st);
			gn_servo_sample(&s, 0, INT64_C(999000000000), 1.0, &st);
			assert_int_equal(st, GN_SERVO_UNLOCKED);
			gn_servo_sample(&s, 0, INT64_C(999100000000), 1.0, &st);
			assert_int_equal(st, GN_SERVO_LOCKED);
		}
	}
}

/* ---- s3 ---- */

/*
 * offset_threshold 100, num_offset_values 10: the 10th LOCKED sample in a
 * row under 100 ns is s3; one at or over 100 ns starts the count again.
 */
static void test_locked_stable(void **state)
{
	struct gn_servo_config c;
	enum gn_servo_state st;
	struct gn_servo s;
	int64_t t = 0;
	int i;

	(void)state;
	gn_servo_config_default(&c);
	c.hw_stamping = true;
	c.offset_threshold_ns = 100;
	c.num_offset_values = 10;
	assert_int_equal(gn_servo_init(&s, &c, 0.0), 0);

	gn_servo_sample(&s, 0, t, 1.0, &st);
	assert_int_equal(st, GN_SERVO_UNLOCKED);
	for (i = 1; i <= 9; i++) {
		t += 1000000000;
		gn_servo_sample(&s, i % 2 ? 99 : -99, t, 1.0, &st);
		assert_int_equal(st, GN_SERVO_LOCKED);
	}
	t += 1000000000;
	gn_servo_sample(&s, 0, t, 1.0, &st);
	assert_int_equal(st, GN_SERVO_LOCKED_STABLE);
	assert_int_equal(s.state, GN_SERVO_LOCKED_STABLE);
	t += 1000000000;
	gn_servo_sample(&s, 5, t, 1.0, &st);
	assert_int_equal(st, GN_SERVO_LOCKED_STABLE);

	/* 100 is not under 100: back to s2, and ten more are needed. */
	t += 1000000000;
	gn_servo_sample(&s, -100, t, 1.0, &st);
	assert_int_equal(st, GN_SERVO_LOCKED);
	for (i = 1; i <= 9; i++) {
		t += 1000000000;
		gn_servo_sample(&s, 0, t, 1.0, &st);
		assert_int_equal(st, GN_SERVO_LOCKED);
	}
	t += 1000000000;
	gn_servo_sample(&s, 0, t, 1.0, &st);
	assert_int_equal(st, GN_SERVO_LOCKED_STABLE);

	/* A reset (UNLOCKED) restarts the count too. */
	gn_servo_reset(&s);
	assert_int_equal(s.state, GN_SERVO_UNLOCKED);
	assert_int_equal(s.curr_offset_values, 10);
	t += 1000000000;
	gn_servo_sample(&s, 0, t, 1.0, &st);
	assert_int_equal(st, GN_SERVO_UNLOCKED);
	for (i = 1; i <= 9; i++) {
		t += 1000000000;
		gn_servo_sample(&s, 0, t, 1.0, &st);
		assert_int_equal(st, GN_SERVO_LOCKED);
	}
	t += 1000000000;
	gn_servo_sample(&s, 0, t, 1.0, &st);
	assert_int_equal(st, GN_SERVO_LOCKED_STABLE);

	/* offset_threshold 0 (the default): never s3. */
	gn_servo_config_default(&c);
	assert_int_equal(gn_servo_init(&s, &c, 0.0), 0);
	for (i = 0; i < 40; i++) {
		gn_servo_sample(&s, 0, (int64_t)i * 1000000000, 1.0, &st);
		assert_true(st != GN_SERVO_LOCKED_STABLE);
	}
	assert_int_equal(st, GN_SERVO_LOCKED);

	/* num_offset_values 0: the first LOCKED sample under the
	 * threshold is s3 already. */
	gn_servo_config_default(&c);
	c.hw_stamping = true;
	c.offset_threshold_ns = 100;
	c.num_offset_values = 0;
	assert_int_equal(gn_servo_init(&s, &c, 0.0), 0);
	gn_servo_sample(&s, 0, 0, 1.0, &st);
	gn_servo_sample(&s, 0, 1000000000, 1.0, &st);
	assert_int_equal(st, GN_SERVO_LOCKED_STABLE);
}

/* ---- PI, closed loop ---- */

/*
 * 1 ms off, 10 ppm fast, +-20 ns noise, hardware stamps at 1 s: sample #1
 * estimates the frequency and steps, then the PI holds within 100 ns.
 */
static void test_pi_lock_from_1ms(void **state)
{
	struct model m;
	struct gn_servo s;
	int n;

	(void)state;
	servo_setup(&s, GN_SERVO_PI, true, 1.0);
	model_init(&m, 1e6, 10000.0, 20.0);
	assert_int_equal(model_step(&m, &s, 1.0), GN_SERVO_UNLOCKED);
	assert_int_equal(model_step(&m, &s, 1.0), GN_SERVO_JUMP);
	/* Estimated from (1010000 - 1000000) / 1.00001e9 of local time. */
	assert_true(fabs(m.applied_ppb - -9999.9) < 45.0);
	/* Within 100 ns from the first sample after the step on. */
	n = model_lock(&m, &s, 1.0, 100, 50, 200);
	assert_int_equal(n, 0);
	assert_int_equal(m.jumps, 1);
}

/*
 * The exact first step: no noise, 50 ppm fast, 1 ms off, hw at 1 s.
 * #1 sees offset 1000000 + 50000 after 1.00005e9 ns of local time:
 * drift = -1e9 * 50000 / 1000050000 = -49997.5001249938, and JUMP.
 */
static void test_pi_first_step_exact(void **state)
{
	enum gn_servo_state st;
	struct gn_servo s;
	double f;

	(void)state;
	servo_setup(&s, GN_SERVO_PI, true, 1.0);
	gn_servo_sample(&s, 1000000, 0, 1.0, &st);
	f = gn_servo_sample(&s, 1050000, 1000050000, 1.0, &st);
	assert_int_equal(st, GN_SERVO_JUMP);
	assert_true(fabs(f - -49997.5001249938) < 1e-6);
	/* After the first lock, first_step_threshold no longer applies
	 * (and step_threshold is off): a later 1 ms offset is slewed. */
	gn_servo_sample(&s, 1000000, 2000100000, 1.0, &st);
	assert_int_equal(st, GN_SERVO_LOCKED);
	gn_servo_reset(&s);
	gn_servo_sample(&s, 1000000, 3000000000, 1.0, &st);
	assert_int_equal(st, GN_SERVO_UNLOCKED);
	gn_servo_sample(&s, 1000000, 4000000000, 1.0, &st);
	assert_int_equal(st, GN_SERVO_LOCKED);
}

/*
 * 50 ppm fast, no initial offset, hw at 1/16 s: the estimate waits
 * 0.016 / 0.0990 = 0.162 s, i.e. until sample #3, when the offset is
 * 3 * 62.5e6 * 50e-6 = 9375 ns < 20 us: no step, ever.
 */
static void test_pi_lock_50ppm_no_step(void **state)
{
	struct model m;
	struct gn_servo s;
	int n;

	(void)state;
	servo_setup(&s, GN_SERVO_PI, true, 1.0 / 16);
	model_init(&m, 0.0, 50000.0, 0.0);
	assert_int_equal(model_step(&m, &s, 1.0 / 16), GN_SERVO_UNLOCKED);
	assert_int_equal(model_step(&m, &s, 1.0 / 16), GN_SERVO_UNLOCKED);
	assert_int_equal(model_step(&m, &s, 1.0 / 16), GN_SERVO_UNLOCKED);
	assert_int_equal(model_step(&m, &s, 1.0 / 16), GN_SERVO_LOCKED);
	assert_true(fabs(m.applied_ppb - -49997.5) < 1.0);
	/* The 9375 ns left are slewed out in about 6 s (91 samples). */
	n = model_lock(&m, &s, 1.0 / 16, 100, 100, 400);
	assert_true(n > 0 && n <= 100);
	assert_int_equal(m.jumps, 0);
}

/*
 * first_step_threshold 0: never step, even from 1 ms; the PI slews it
 * away (software stamps at 1 s, so this is slow).
 */
static void test_pi_first_step_disabled(void **state)
{
	struct gn_servo_config c;
	struct gn_servo s;
	struct model m;
	int n;

	(void)state;
	gn_servo_config_default(&c);
	c.hw_stamping = true;
	c.first_step_threshold_ns = 0;
	assert_int_equal(gn_servo_init(&s, &c, 0.0), 0);
	model_init(&m, 1e6, 10000.0, 0.0);
	n = model_lock(&m, &s, 1.0, 100, 20, 300);
	assert_true(n > 2 && n <= 30); /* 17 */
	assert_int_equal(m.jumps, 0);
}

/* Locks hw at 1 s from 0 offset and no error, then the master moves. */
static void pi_locked(struct gn_servo *s, struct model *m,
		      int64_t step_threshold_ns)
{
	struct gn_servo_config c;

	gn_servo_config_default(&c);
	c.hw_stamping = true;
	c.step_threshold_ns = step_threshold_ns;
	assert_int_equal(gn_servo_init(s, &c, 0.0), 0);
	model_init(m, 0.0, 0.0, 0.0);
	assert_int_equal(model_lock(m, s, 1.0, 100, 5, 10), 1);
}

/*
 * A 5 ms step of the master while locked. step_threshold 1 ms: the PI
 * restarts (s0), takes a new sample 0 (s0) and steps on the next (s1).
 * step_threshold 0: no step, it slews.
 */
static void test_pi_step_threshold(void **state)
{
	struct gn_servo s;
	struct model m;
	int n;

	(void)state;
	pi_locked(&s, &m, 1000000);
	m.master_ns -= 5e6;
	assert_int_equal(model_step(&m, &s, 1.0), GN_SERVO_UNLOCKED);
	assert_int_equal(model_step(&m, &s, 1.0), GN_SERVO_UNLOCKED);
	assert_int_equal(model_step(&m, &s, 1.0), GN_SERVO_JUMP);
	assert_int_equal(model_true_offset(&m), 0);
	n = model_lock(&m, &s, 1.0, 100, 20, 50);
	assert_int_equal(n, 0);
	assert_int_equal(m.jumps, 1);

	/* Under the threshold: slewed, no step. */
	m.master_ns -= 0.9e6;
	n = model_lock(&m, &s, 1.0, 100, 20, 200);
	assert_true(n > 1);
	assert_int_equal(m.jumps, 1);

	pi_locked(&s, &m, 0);
	m.master_ns -= 5e6;
	n = model_lock(&m, &s, 1.0, 100, 20, 300);
	assert_true(n > 1);
	assert_int_equal(m.jumps, 0);
}

/*
 * max_frequency 1000 ppb against a 50 ppm error: the estimate is clamped
 * to -1000, every output after it is exactly -1000 and the integrator
 * does not wind up; the offset keeps growing.
 */
static void test_pi_clamp(void **state)
{
	struct gn_servo_config c;
	struct gn_servo s;
	struct model m;
	int i;

	(void)state;
	gn_servo_config_default(&c);
	c.hw_stamping = true;
	c.max_frequency_ppb = 1000.0;
	c.first_step_threshold_ns = 0;
	assert_int_equal(gn_servo_init(&s, &c, 0.0), 0);
	model_init(&m, 0.0, 50000.0, 0.0);
	assert_int_equal(model_step(&m, &s, 1.0), GN_SERVO_UNLOCKED);
	for (i = 0; i < 30; i++) {
		assert_int_equal(model_step(&m, &s, 1.0), GN_SERVO_LOCKED);
		assert_true(m.applied_ppb == -1000.0);
		assert_true(s.u.pi.drift_ppb == -1000.0);
	}
	/* 49 ppm uncorrected: ~49 us per second. */
	assert_true(model_true_offset(&m) > 30 * 48000);

	/* Positive side: the local clock 50 ppm slow. */
	assert_int_equal(gn_servo_init(&s, &c, 0.0), 0);
	model_init(&m, 0.0, -50000.0, 0.0);
	model_step(&m, &s, 1.0);
	for (i = 0; i < 10; i++) {
		model_step(&m, &s, 1.0);
		assert_true(m.applied_ppb == 1000.0);
	}
}

/* ---- linreg ---- */

/*
 * Four samples at 0, 1, 2, 3 s, the offset growing 100 ns/s from 0: the
 * clock runs 100 ppb fast and nothing is applied while UNLOCKED. The
 * points (x = -3e9 .. 0, y = x - offset) have slope 1 - 1e-7 and
 * intercept -300, so freq = 1e9 * (slope - 1) + intercept / 1 s / 1
 * = -100 - 300 = -400 ppb, LOCKED (300 < 20 us).
 * The same with 1 ms added to every offset: intercept -1000300 steps;
 * after the step the intercept is -300 + 300... = 0 and freq = -100.
 */
static void test_linreg_exact(void **state)
{
	enum gn_servo_state st;
	struct gn_servo s;
	double f;
	int64_t i;

	(void)state;
	servo_setup(&s, GN_SERVO_LINREG, true, 1.0);
	for (i = 0; i < 3; i++) {
		f = gn_servo_sample(&s, 100 * i, i * 1000000000, 1.0, &st);
		assert_int_equal(st, GN_SERVO_UNLOCKED);
		assert_true(f == 0.0);
	}
	f = gn_servo_sample(&s, 300, 3000000000, 1.0, &st);
	assert_int_equal(st, GN_SERVO_LOCKED);
	assert_true(fabs(f - -400.0) < 1e-6);
	assert_int_equal(s.u.lr.size, 2);
	assert_true(fabs(s.u.lr.slope[0] - (1.0 - 1e-7)) < 1e-15);
	assert_true(fabs(s.u.lr.intercept[0] - -300.0) < 1e-6);
	assert_true(fabs(s.u.lr.frequency_ratio - (1.0 - 1e-7) / (1.0 - 4e-7)) <
		    1e-15);

	servo_setup(&s, GN_SERVO_LINREG, true, 1.0);
	for (i = 0; i < 3; i++)
		gn_servo_sample(&s, 1000000 + 100 * i, i * 1000000000, 1.0,
				&st);
	f = gn_servo_sample(&s, 1000300, 3000000000, 1.0, &st);
	assert_int_equal(st, GN_SERVO_JUMP);
	assert_true(fabs(f - -100.0) < 1e-6);
	assert_true(fabs(s.u.lr.intercept[0]) < 1e-6);
	/* The step moved the last update time with the clock. */
	assert_true(s.u.lr.last_update_ns == 3000000000 - 1000300);
}

/*
 * Weighted fit. Offsets 0, 0, 0, 400 at 0..3 s, the last with weight 0.5.
 * The offset regression (X in s): W = 3.5, sum wX = -6, sum wo = 200,
 * sum wXo = 0, sum wX^2 = 14: Sxx = 14 - 36 / 3.5 = 26 / 7, Sxo = 0 +
 * 6 * 200 / 3.5 = 2400 / 7, slope 1200 / 13 ns/s, offset now 200 / 3.5 +
 * (1200 / 13) * (6 / 3.5) = 2800 / 13. freq = -1200 / 13 - 2800 / 13 =
 * -4000 / 13 = -307.69 ppb. Unweighted it would be -120 - 280 = -400.
 */
static void test_linreg_weighted(void **state)
{
	enum gn_servo_state st;
	struct gn_servo s;
	double f;
	int w;

	(void)state;
	for (w = 0; w < 2; w++) {
		servo_setup(&s, GN_SERVO_LINREG, true, 1.0);
		gn_servo_sample(&s, 0, 0, 1.0, &st);
		gn_servo_sample(&s, 0, 1000000000, 1.0, &st);
		gn_servo_sample(&s, 0, 2000000000, 1.0, &st);
		f = gn_servo_sample(&s, 400, 3000000000, w ? 0.5 : 1.0, &st);
		assert_int_equal(st, GN_SERVO_LOCKED);
		assert_true(fabs(f - (w ? -4000.0 / 13 : -400.0)) < 1e-6);
	}
}

/* Same local time every sample: no fit, stays UNLOCKED. */
static void test_linreg_degenerate(void **state)
{
	enum gn_servo_state st;
	struct gn_servo s;
	int i;

	(void)state;
	servo_setup(&s, GN_SERVO_LINREG, true, 1.0);
	for (i = 0; i < 8; i++) {
		assert_true(gn_servo_sample(&s, i, 5000, 1.0, &st) == 0.0);
		assert_int_equal(st, GN_SERVO_UNLOCKED);
	}
}

/* Reset: back to UNLOCKED for three samples, frequency kept. */
static void test_linreg_reset(void **state)
{
	enum gn_servo_state st;
	struct gn_servo s;
	double f;
	int64_t i;

	(void)state;
	servo_setup(&s, GN_SERVO_LINREG, true, 1.0);
	for (i = 0; i < 4; i++)
		f = gn_servo_sample(&s, 100 * i, i * 1000000000, 1.0, &st);
	assert_int_equal(st, GN_SERVO_LOCKED);
	gn_servo_reset(&s);
	assert_int_equal(s.u.lr.count, 0);
	assert_true(s.u.lr.frequency_ratio == 1.0);
	for (i = 10; i < 13; i++) {
		assert_true(gn_servo_sample(&s, 0, i * 1000000000, 1.0, &st) ==
			    f);
		assert_int_equal(st, GN_SERVO_UNLOCKED);
	}
	gn_servo_sample(&s, 0, 13 * INT64_C(1000000000), 1.0, &st);
	assert_int_equal(st, GN_SERVO_LOCKED);
}

static void test_linreg_lock_from_1ms(void **state)
{
	struct gn_servo s;
	struct model m;
	int i, n;

	(void)state;
	servo_setup(&s, GN_SERVO_LINREG, true, 1.0);
	model_init(&m, 1e6, 10000.0, 20.0);
	for (i = 0; i < 3; i++)
		assert_int_equal(model_step(&m, &s, 1.0), GN_SERVO_UNLOCKED);
	assert_int_equal(model_step(&m, &s, 1.0), GN_SERVO_JUMP);
	n = model_lock(&m, &s, 1.0, 100, 100, 300);
	assert_int_equal(n, 0);
	assert_int_equal(m.jumps, 1);
	/* With noise the longer windows predict better and win. */
	assert_true(s.u.lr.size >= 5);
}

/*
 * linuxptp's rules, checked after every sample of a noisy run: the size
 * is the largest whose prediction error is below 1.05 times the best
 * smaller one's (once it has 10 error updates; the smallest with a fit
 * otherwise), and the output is 1e9 * (slope - 1) + intercept / interval
 * / c with c = 1 up to 16 points, 2 for 32, 3 for 64.
 */
static unsigned expected_size(const struct gn_servo_linreg *lr)
{
	unsigned k, best = 0;
	double best_err = 0.0;

	for (k = 0; k < GN_LINREG_SIZES; k++) {
		if ((!best && lr->slope[k] != 0.0) ||
		    (best_err * 1.05 > lr->err[k] &&
		     lr->err_updates[k] >= 10)) {
			best = k + 2;
			best_err = lr->err[k];
		}
	}
	return best;
}

static void test_linreg_size_and_output(void **state)
{
	unsigned i, sizes_seen = 0, k, c;
	enum gn_servo_state st;
	struct gn_servo s;
	struct model m;
	double want;

	(void)state;
	servo_setup(&s, GN_SERVO_LINREG, true, 0.5);
	model_init(&m, 0.0, 3000.0, 50.0);
	for (i = 0; i < 400; i++) {
		st = model_step(&m, &s, 0.5);
		if (i < 3) {
			assert_int_equal(st, GN_SERVO_UNLOCKED);
			continue;
		}
		assert_int_equal(st, GN_SERVO_LOCKED);
		assert_int_equal(s.u.lr.size, expected_size(&s.u.lr));
		k = s.u.lr.size - 2;
		c = s.u.lr.size <= 4 ? 1 : s.u.lr.size / 2;
		want = 1e9 * (s.u.lr.slope[k] - 1.0) +
		       s.u.lr.intercept[k] / 0.5 / c;
		assert_true(fabs(m.applied_ppb - want) < 1e-6);
		sizes_seen |= 1u << s.u.lr.size;
	}
	/* Every window size got its turn. */
	assert_int_equal(sizes_seen, 0x7c);
	assert_true(llabs(model_true_offset(&m)) < 200);
}

static void test_linreg_lock_50ppm_no_step(void **state)
{
	struct gn_servo s;
	struct model m;
	int i, n;

	(void)state;
	servo_setup(&s, GN_SERVO_LINREG, true, 1.0 / 16);
	model_init(&m, 0.0, 50000.0, 0.0);
	for (i = 0; i < 3; i++)
		assert_int_equal(model_step(&m, &s, 1.0 / 16),
				 GN_SERVO_UNLOCKED);
	/* 3 * 3125 ns < 20 us */
	assert_int_equal(model_step(&m, &s, 1.0 / 16), GN_SERVO_LOCKED);
	/* linreg removes the whole predicted offset in one interval. */
	n = model_lock(&m, &s, 1.0 / 16, 100, 100, 400);
	assert_int_equal(n, 0);
	assert_int_equal(m.jumps, 0);
}

static void test_linreg_step_threshold(void **state)
{
	struct gn_servo_config c;
	struct gn_servo s;
	struct model m;
	int n;

	(void)state;
	gn_servo_config_default(&c);
	c.type = GN_SERVO_LINREG;
	c.step_threshold_ns = 1000000;
	assert_int_equal(gn_servo_init(&s, &c, 0.0), 0);
	model_init(&m, 0.0, 0.0, 0.0);
	assert_int_equal(model_lock(&m, &s, 1.0, 100, 20, 40), 3);
	m.master_ns -= 5e6;
	n = model_lock(&m, &s, 1.0, 100, 20, 300);
	assert_true(n > 0 && n <= 10);
	/* As linuxptp's linreg: the window still holds points from before
	 * the master's step, so it steps more than once (4 times here)
	 * until the newer points dominate. */
	assert_true(m.jumps >= 1);

	c.step_threshold_ns = 0;
	assert_int_equal(gn_servo_init(&s, &c, 0.0), 0);
	model_init(&m, 0.0, 0.0, 0.0);
	assert_int_equal(model_lock(&m, &s, 1.0, 100, 20, 40), 3);
	m.master_ns -= 5e6;
	n = model_lock(&m, &s, 1.0, 100, 20, 300);
	assert_true(n > 0 && n <= 10);
	assert_int_equal(m.jumps, 0);
}

static void test_linreg_first_step_disabled(void **state)
{
	struct gn_servo_config c;
	struct gn_servo s;
	struct model m;
	int i, n;

	(void)state;
	gn_servo_config_default(&c);
	c.type = GN_SERVO_LINREG;
	c.first_step_threshold_ns = 0;
	assert_int_equal(gn_servo_init(&s, &c, 0.0), 0);
	model_init(&m, 1e6, 10000.0, 0.0);
	for (i = 0; i < 3; i++)
		assert_int_equal(model_step(&m, &s, 1.0), GN_SERVO_UNLOCKED);
	/* No step: the first fit slews the 1.03 ms out in one interval:
	 * -10000 ppb for the slope, -1030000 for the intercept. */
	assert_int_equal(model_step(&m, &s, 1.0), GN_SERVO_LOCKED);
	assert_true(fabs(m.applied_ppb - -1040000.0) < 100.0);
	n = model_lock(&m, &s, 1.0, 100, 20, 300);
	assert_int_equal(n, 0);
	assert_int_equal(m.jumps, 0);
}

static void test_linreg_clamp(void **state)
{
	struct gn_servo_config c;
	struct gn_servo s;
	struct model m;
	int i;

	(void)state;
	gn_servo_config_default(&c);
	c.type = GN_SERVO_LINREG;
	c.max_frequency_ppb = 1000.0;
	c.first_step_threshold_ns = 0;
	assert_int_equal(gn_servo_init(&s, &c, 0.0), 0);
	model_init(&m, 0.0, 50000.0, 0.0);
	for (i = 0; i < 3; i++)
		model_step(&m, &s, 1.0);
	for (i = 0; i < 30; i++) {
		assert_int_equal(model_step(&m, &s, 1.0), GN_SERVO_LOCKED);
		assert_true(m.applied_ppb == -1000.0);
	}
	model_init(&m, 0.0, -50000.0, 0.0);
	assert_int_equal(gn_servo_init(&s, &c, 0.0), 0);
	for (i = 0; i < 3; i++)
		model_step(&m, &s, 1.0);
	for (i = 0; i < 10; i++) {
		model_step(&m, &s, 1.0);
		assert_true(m.applied_ppb == 1000.0);
	}
}

/* ---- PRNG ---- */

/* SplitMix64 reference outputs for seeds 0 and 1. */
static void test_rng_known_values(void **state)
{
	struct gn_rng r;

	(void)state;
	gn_rng_seed(&r, 0);
	assert_true(gn_rng_next(&r) == UINT64_C(0xe220a8397b1dcdaf));
	assert_true(gn_rng_next(&r) == UINT64_C(0x6e789e6aa1b965f4));
	assert_true(gn_rng_next(&r) == UINT64_C(0x06c45d188009454f));
	gn_rng_seed(&r, 1);
	assert_true(gn_rng_next(&r) == UINT64_C(0x910a2dec89025cc1));
	/* unit = top 53 bits / 2^53 */
	gn_rng_seed(&r, 0);
	assert_true(gn_rng_unit(&r) ==
		    (double)(UINT64_C(0xe220a8397b1dcdaf) >> 11) / 0x1p53);
}

static void test_rng_determinism(void **state)
{
	struct gn_rng a, b, c;
	unsigned i, same = 0;

	(void)state;
	gn_rng_seed(&a, 12345);
	gn_rng_seed(&b, 12345);
	gn_rng_seed(&c, 12346);
	for (i = 0; i < 1000; i++) {
		uint64_t x = gn_rng_next(&a);

		assert_true(x == gn_rng_next(&b));
		same += x == gn_rng_next(&c);
	}
	assert_int_equal(same, 0);
	/* Reseeding restarts the stream. */
	gn_rng_seed(&a, 12345);
	gn_rng_seed(&b, 12345);
	gn_rng_next(&b);
	gn_rng_seed(&b, 12345);
	assert_true(gn_rng_next(&a) == gn_rng_next(&b));
}

static void test_rng_unit_uniform(void **state)
{
	unsigned i, buckets[10] = {0};
	double sum = 0.0, u;
	struct gn_rng r;

	(void)state;
	gn_rng_seed(&r, 0);
	for (i = 0; i < 10000; i++) {
		u = gn_rng_unit(&r);
		assert_true(u >= 0.0 && u < 1.0);
		sum += u;
		buckets[(unsigned)(u * 10)]++;
	}
	assert_true(sum / 10000 >= 0.45 && sum / 10000 <= 0.55);
	/* Each tenth gets 1000 +- 15 %. */
	for (i = 0; i < 10; i++)
		assert_true(buckets[i] > 850 && buckets[i] < 1150);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_config_default),
	    cmocka_unit_test(test_strings),
	    cmocka_unit_test(test_init_errors),
	    cmocka_unit_test(test_pi_gains_auto),
	    cmocka_unit_test(test_pi_gains_configured),
	    cmocka_unit_test(test_pi_exact),
	    cmocka_unit_test(test_pi_time_order),
	    cmocka_unit_test(test_pi_estimate_wait),
	    cmocka_unit_test(test_locked_stable),
	    cmocka_unit_test(test_pi_lock_from_1ms),
	    cmocka_unit_test(test_pi_first_step_exact),
	    cmocka_unit_test(test_pi_lock_50ppm_no_step),
	    cmocka_unit_test(test_pi_first_step_disabled),
	    cmocka_unit_test(test_pi_step_threshold),
	    cmocka_unit_test(test_pi_clamp),
	    cmocka_unit_test(test_linreg_exact),
	    cmocka_unit_test(test_linreg_weighted),
	    cmocka_unit_test(test_linreg_degenerate),
	    cmocka_unit_test(test_linreg_reset),
	    cmocka_unit_test(test_linreg_lock_from_1ms),
	    cmocka_unit_test(test_linreg_size_and_output),
	    cmocka_unit_test(test_linreg_lock_50ppm_no_step),
	    cmocka_unit_test(test_linreg_step_threshold),
	    cmocka_unit_test(test_linreg_first_step_disabled),
	    cmocka_unit_test(test_linreg_clamp),
	    cmocka_unit_test(test_rng_known_values),
	    cmocka_unit_test(test_rng_determinism),
	    cmocka_unit_test(test_rng_unit_uniform),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

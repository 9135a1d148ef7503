/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_ratecomp.c - the e2e path delay while the clock's frequency is far
 * off: during a long slew and with a 9 % oscillator error, on the
 * simulated network (unchanged core). With the Kalman servo the port
 * corrects each delay sample by the rate the servo knows, and drops
 * samples taken before it knew the frequency; PI leaves them as linuxptp
 * does, which is the control showing the effect is real.
 */
#include <setjmp.h>
#include <math.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "simnet.h"

#define S  (1000000000LL)
#define MS (1000000LL)
#define US (1000LL)

static int64_t abs64(int64_t v)
{
	return v < 0 ? -v : v;
}

/* A grandmaster and a slave on a 50 us link; the slave runs servo
 * `type`, steps only at the start if first_step, and may slew at most
 * max_ppb. */
static struct sim *slew_pair(enum gn_servo_type type, double max_ppb,
			     bool first_step, int64_t offset_ns,
			     double freq_err_ppb, int *sl)
{
	struct sim *s = calloc(1, sizeof(*s));
	struct gn_clock_config cc;
	struct gn_port_config pc;
	int gm, seg;

	assert_non_null(s);
	sim_init(s, 3);
	gn_clock_config_default(&cc);
	gn_port_config_default(&pc);
	cc.hw_stamping = true;
	cc.priority1 = 100;
	gm = sim_add_node(s, "gm", &cc, &pc, 1);
	cc.priority1 = 128;
	cc.servo.type = type;
	if (!first_step)
		cc.servo.first_step_threshold_ns = 0;
	cc.servo.step_threshold_ns = 0;
	cc.servo.max_frequency_ppb = max_ppb;
	if (type == GN_SERVO_KALMAN) {
		pc.delay_filter = GN_FILTER_ROBUST_MEAN;
		pc.delay_filter_length = 64;
	}
	*sl = sim_add_node(s, "slave", &cc, &pc, 1);
	seg = sim_add_segment(s, 50 * US);
	sim_connect(s, seg, gm, 0);
	sim_connect(s, seg, *sl, 0);
	s->nodes[*sl].sc.base_local_ns += offset_ns;
	s->nodes[*sl].sc.freq_err_ppb = freq_err_ppb;
	s->nodes[*sl].sc.max_adj_ppb = max_ppb;
	assert_int_equal(sim_start(s), 0);
	return s;
}

/* Largest |path delay - 50 us| of the slave, sampled every 100 ms over
 * [t0, t1] (true time). */
static int64_t delay_error(struct sim *s, int sl, int64_t t0, int64_t t1)
{
	int64_t t, m = 0;

	for (t = t0; t <= t1; t += 100 * MS) {
		sim_run_until(s, t);
		if (abs64(s->nodes[sl].ports[0].path_delay_ns - 50 * US) > m)
			m = abs64(s->nodes[sl].ports[0].path_delay_ns -
				  50 * US);
	}
	return m;
}

static void free_sim(struct sim *s)
{
	sim_free(s);
	free(s);
}

/*
 * 200 ms ahead, slewing at 1000 ppm: about 200 s. Between a Sync's
 * arrival and the next Delay_Req (up to 2 s at logMinDelayReqInterval
 * 0) the offset moves by up to 2 ms; half of it lands in an
 * uncorrected delay sample.
 */
static void test_delay_during_slew(void **state)
{
	struct sim *s;
	int sl;
	int64_t err;

	(void)state;
	s = slew_pair(GN_SERVO_KALMAN, 1e6, false, 200 * MS, 0.0, &sl);
	sim_run_until(s, 40 * S);
	/* Still slewing at the limit, and the clock was never stepped. */
	assert_true(sim_true_offset(&s->nodes[sl]) > 50 * MS);
	err = delay_error(s, sl, 40 * S, 150 * S);
	assert_true(sim_true_offset(&s->nodes[sl]) > 30 * MS);
	assert_int_equal(s->nodes[sl].sc.steps, 0);
	/* Exact stamps, so only the rate's uncertainty is left. */
	assert_true(err < 200);
	/* Then it settles onto the master with the right delay. */
	sim_run_until(s, 260 * S);
	assert_true(abs64(sim_true_offset(&s->nodes[sl])) < 100);
	assert_true(delay_error(s, sl, 260 * S, 280 * S) < 20);
	free_sim(s);

	/* Control: PI, same slew, no correction: off by hundreds of us. */
	s = slew_pair(GN_SERVO_PI, 1e6, false, 200 * MS, 0.0, &sl);
	err = delay_error(s, sl, 40 * S, 150 * S);
	assert_true(sim_true_offset(&s->nodes[sl]) > 30 * MS);
	assert_true(err > 50 * US);
	free_sim(s);
}

/*
 * A 9 % fast oscillator (linuxptp-testsuite 08): the first delays are
 * measured before the frequency is known and are off by milliseconds;
 * they must not linger in the 64-sample filter.
 */
static void test_delay_with_large_frequency_error(void **state)
{
	struct sim *s;
	int sl;

	(void)state;
	s = slew_pair(GN_SERVO_KALMAN, 1.005e8, true, 100 * MS, 9e7, &sl);
	sim_run_until(s, 70 * S);
	assert_int_equal(s->nodes[sl].ports[0].ds.state, GN_PS_SLAVE);
	assert_int_equal(s->nodes[sl].sc.steps, 1);
	assert_true(delay_error(s, sl, 70 * S, 100 * S) < 100);
	assert_true(abs64(sim_true_offset(&s->nodes[sl])) < 100);
	/* The adjustment cancels the 9 %: (1 + 0.09)(1 + u) = 1, which is
	 * 7.4 ppm away from the additive -9 %. */
	assert_true(fabs(s->nodes[sl].sc.adj_ppb - (1.0 / 1.09 - 1.0) * 1e9) <
		    50.0);
	free_sim(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_delay_during_slew),
	    cmocka_unit_test(test_delay_with_large_frequency_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

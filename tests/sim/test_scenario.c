/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_scenario.c - gnomon-sim's scenario parser: ranges of names and
 * ports, units, defaults, ptp4l options mapped onto the core's
 * configuration, events, and the error messages (file:line, what is
 * wrong) for bad input; the runner's refusal of bridge loops.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "simrun.h"

static char err[512];

static int parse(struct gn_scenario *sc, const char *text)
{
	gn_scenario_init(sc);
	err[0] = 0;
	return gn_scenario_parse(sc, text, "t.sim", err, sizeof(err));
}

static void expect_error(const char *text, const char *msg)
{
	struct gn_scenario sc;

	assert_int_equal(parse(&sc, text), -EINVAL);
	if (!strstr(err, msg))
		fail_msg("expected '%s' in '%s'", msg, err);
	gn_scenario_free(&sc);
}

static void test_defaults_and_units(void **state)
{
	struct gn_scenario sc;

	(void)state;
	assert_int_equal(parse(&sc, "[sim]\n"
				    "duration 10min   # comment\n"
				    "sample_interval 250ms\n"
				    "lock_threshold 2us\n"
				    "[clock xo]\n"
				    "offset 1.5ms\n"
				    "freq -20ppm\n"
				    "wfm 1e-9\n"
				    "stamping software\n"
				    "rx_latency 5us\n"
				    "[link l]\n"
				    "delay 10us\n"
				    "loss 30%\n"
				    "jitter_dist normal\n"),
			 0);
	assert_int_equal(sc.seed, 1);
	assert_true(sc.duration_ns == 600LL * 1000000000LL);
	assert_true(sc.sample_ns == 250000000LL);
	assert_true(sc.lock_threshold_ns == 2000);
	assert_true(sc.stats_start_ns == -1);
	/* default + xo; default + l */
	assert_int_equal(sc.nclocks, 2);
	assert_true(sc.clocks[1].offset_ns == 1500000.0);
	assert_true(sc.clocks[1].freq_ppb == -20000.0);
	assert_true(sc.clocks[1].wfm == 1e-9);
	assert_true(sc.clocks[1].ts.software);
	assert_true(sc.clocks[1].ts.rx_latency_ns == 5000);
	assert_true(sc.clocks[1].max_adj_ppb == 500000.0);
	assert_int_equal(sc.nlinks, 2);
	assert_true(sc.links[0].model.delay_ns == 1000);
	assert_true(sc.links[1].model.delay_ns == 10000);
	assert_true(sc.links[1].model.loss == 0.3);
	assert_int_equal(sc.links[1].model.jitter_dist, SIM_JITTER_NORMAL);
	gn_scenario_free(&sc);
}

static void test_ranges(void **state)
{
	struct gn_scenario sc;

	(void)state;
	assert_int_equal(parse(&sc, "[topology]\n"
				    "node gm ports=4\n"
				    "node bc{01..02} ports=3\n"
				    "node s{1..4}\n"
				    "bridge sw\n"
				    "link gm:{1..2} bc{01..02}:1\n"
				    "link bc{01..02}:{2..3} s{1..4}\n"
				    "link gm:3 sw\n"
				    "segment default sw gm:4\n"),
			 0);
	assert_int_equal(sc.nnodes, 7);
	assert_string_equal(sc.nodes[1].name, "bc01");
	assert_string_equal(sc.nodes[6].name, "s4");
	assert_int_equal(sc.nodes[1].nports, 3);
	/* 2 + 4 links, one to the bridge, one hub */
	assert_int_equal(sc.nconns, 8);
	/* bc02:3 - s4: names outer, ports inner */
	assert_int_equal(sc.conns[5].ep[0].node, 2);
	assert_int_equal(sc.conns[5].ep[0].port, 2);
	assert_int_equal(sc.conns[5].ep[1].node, 6);
	assert_int_equal(sc.conns[5].ep[1].port, 0);
	assert_int_equal(sc.conns[6].ep[1].node, -1);
	assert_int_equal(sc.conns[7].nep, 2);
	gn_scenario_free(&sc);
}

static void test_ptp_options_reach_the_core(void **state)
{
	struct gn_scenario sc;
	struct gn_simrun r;
	struct sim_node *n;

	(void)state;
	assert_int_equal(parse(&sc, "[global]\n"
				    "clock_servo kalman\n"
				    "logSyncInterval -3\n"
				    "network_transport L2\n"
				    "[ptp special]\n"
				    "priority1 90\n"
				    "freq_est_interval 3\n"
				    "step_threshold 0.0001\n"
				    "delay_filter robust_mean\n"
				    "delay_filter_length 32\n"
				    "[ptp down]\n"
				    "masterOnly 1\n"
				    "[topology]\n"
				    "node a ptp=special ports=2 port2=down\n"
				    "node b\n"
				    "link a:1 b\n"),
			 0);
	assert_int_equal(gn_scenario_check(&sc, err, sizeof(err)), 0);
	assert_int_equal(gn_simrun_build(&r, &sc, NULL, err, sizeof(err)), 0);
	n = &r.sim.nodes[0];
	assert_int_equal(n->clock.cfg.priority1, 90);
	assert_int_equal(n->clock.cfg.freq_est_interval, 3);
	assert_int_equal(n->clock.cfg.servo.type, GN_SERVO_KALMAN);
	assert_true(n->clock.cfg.servo.step_threshold_ns == 100000);
	/* max_frequency (900 ppm) limited by the clock's 500 ppm */
	assert_true(n->clock.cfg.servo.max_frequency_ppb == 500000.0);
	assert_int_equal(n->pcfg[0].log_sync_interval, -3);
	assert_int_equal(n->pcfg[0].delay_filter, GN_FILTER_ROBUST_MEAN);
	assert_int_equal(n->pcfg[0].delay_filter_length, 32);
	assert_false(n->pcfg[0].master_only);
	assert_true(n->pcfg[1].master_only);
	assert_string_equal(n->pcfg[1].name, "a:2");
	assert_int_equal(r.sim.nodes[1].clock.cfg.priority1, 128);
	assert_int_equal(r.sim.nodes[1].clock.cfg.freq_est_interval, 1);
	/* time_stamping follows the clock model when not given */
	assert_true(n->clock.cfg.hw_stamping);
	gn_simrun_free(&r);
	gn_scenario_free(&sc);
}

static void test_events(void **state)
{
	struct gn_scenario sc;

	(void)state;
	assert_int_equal(parse(&sc, "[topology]\n"
				    "node a\nnode b\nlink a b\n"
				    "[events]\n"
				    "at 20 step b +1ms\n"
				    "10 kill a\n"
				    "at 10 set b:1 jitter 5us\n"
				    "at 30 freq b -200ppb\n"
				    "at 40 priority1 b 50\n"
				    "at 50 down a:1\n"),
			 0);
	assert_int_equal(gn_scenario_check(&sc, err, sizeof(err)), 0);
	assert_int_equal(sc.nevents, 6);
	/* sorted by time, file order for equal times */
	assert_int_equal(sc.events[0].kind, GN_SCN_EV_KILL);
	assert_int_equal(sc.events[1].kind, GN_SCN_EV_SET);
	assert_string_equal(sc.events[1].key, "jitter");
	assert_int_equal(sc.events[1].conn, 0);
	assert_int_equal(sc.events[2].kind, GN_SCN_EV_STEP);
	assert_true(sc.events[2].value == 1e6);
	assert_true(sc.events[3].value == -200.0);
	assert_true(sc.events[4].value == 50.0);
	assert_int_equal(sc.events[5].kind, GN_SCN_EV_DOWN);
	gn_scenario_free(&sc);
}

static void test_errors_name_file_and_line(void **state)
{
	(void)state;
	expect_error("[sim]\nduration -5\n", "t.sim:2: duration");
	expect_error("key value\n", "t.sim:1: statement outside a section");
	expect_error("[nonsense]\n", "t.sim:1: unknown section [nonsense]");
	expect_error("[global]\nfoo 1\n",
		     "t.sim:2: option 'foo': not supported by gnomon-sim");
	expect_error("[global]\npriority1 300\n",
		     "t.sim:2: option 'priority1': 300 out of range "
		     "(allowed: 0..255)");
	expect_error("[global]\nclock_servo best\n",
		     "bad value 'best' (allowed: pi, linreg, kalman)");
	expect_error("[clock c]\nfreq 20Hz\n", "t.sim:2: freq: bad frequency");
	expect_error("[link l]\nloss 1.5\n", "t.sim:2: loss: bad probability");
	expect_error("[topology]\nnode a\nnode a\n",
		     "t.sim:3: 'a' defined twice");
	expect_error("[topology]\nnode a ptp=missing\n",
		     "t.sim:2: unknown [ptp missing]");
	expect_error("[ptp g]\npriority1 1\n[topology]\nnode a ports=2 "
		     "port2=g\n",
		     "has clock-wide options");
	expect_error("[topology]\nnode a{1..3}\nnode b{1..2}\n"
		     "link a{1..3} b{1..2}\n",
		     "t.sim:4: link: ranges of 3 and 2 ends");
	expect_error("[topology]\nnode a\nlink a:2 a\n",
		     "t.sim:3: 'a' has no port 2");
	expect_error("[topology]\nnode a\nlink a a\n",
		     "link from a port to itself");
	expect_error("[topology]\nnode a\n[events]\nat 5 explode a\n",
		     "t.sim:4: unknown event 'explode'");
	expect_error("[topology]\nnode a\n[events]\nat 5 down a:1\n",
		     "t.sim:4: no link at 'a:1'");
	expect_error("[topology]\nnode 9lives\n", "bad name '9lives'");
}

static void test_whole_file_checks(void **state)
{
	struct gn_scenario sc;
	struct gn_simrun r;

	(void)state;
	assert_int_equal(parse(&sc, "[sim]\nduration 10\n"), 0);
	assert_int_equal(gn_scenario_check(&sc, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "no nodes"));
	gn_scenario_free(&sc);

	assert_int_equal(parse(&sc, "[sim]\nduration 10\n[topology]\nnode a\n"
				    "[events]\nat 11 kill a\n"),
			 0);
	assert_int_equal(gn_scenario_check(&sc, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "t.sim:6: event after the end"));
	gn_scenario_free(&sc);

	/* Two bridges joined by two segments: a loop. */
	assert_int_equal(parse(&sc, "[topology]\nnode a\nbridge x\nbridge y\n"
				    "link a x\nlink x y\nlink y x\n"),
			 0);
	assert_int_equal(gn_scenario_check(&sc, err, sizeof(err)), 0);
	assert_int_equal(gn_simrun_build(&r, &sc, NULL, err, sizeof(err)),
			 -ELOOP);
	assert_non_null(strstr(err, "bridges form a loop"));
	gn_simrun_free(&r);
	gn_scenario_free(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults_and_units),
	    cmocka_unit_test(test_ranges),
	    cmocka_unit_test(test_ptp_options_reach_the_core),
	    cmocka_unit_test(test_events),
	    cmocka_unit_test(test_errors_name_file_and_line),
	    cmocka_unit_test(test_whole_file_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

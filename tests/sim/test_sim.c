/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_sim.c - gnomon-sim scenarios (the .sim files here) run through the
 * scenario parser, simnet and the runner, asserting the numbers each
 * scenario implies: convergence, BMCA failover and back, a chain of 10
 * boundary clocks, transparent clocks against switches, free-running TCs
 * scaling residence by their rate ratio, 30 % loss, the offset
 * bias of an asymmetric link, a step of the grandmaster's clock, determinism of
 * the output files, the Kalman servo against PI where jitter dominates,
 * packet selection behind a queue, and the honesty of the servo's
 * uncertainty.
 *
 * The thresholds were set from measured runs with margin, tight enough
 * that a regression of the servo or the engine fails them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "simrun.h"

#define S  1000000000LL
#define US 1000LL

struct run {
	struct gn_scenario sc;
	struct gn_simrun r;
};

/* Loads tests/sim/NAME plus overrides ("[section]\nkey value\n"...). */
static struct run *load(const char *name, const char *overrides,
			const struct gn_simrun_opts *opts)
{
	struct run *x = calloc(1, sizeof(*x));
	char path[512], err[512];
	int rc;

	assert_non_null(x);
	snprintf(path, sizeof(path), "%s/%s", GN_SIM_DIR, name);
	gn_scenario_init(&x->sc);
	rc = gn_scenario_load(&x->sc, path, err, sizeof(err));
	if (!rc && overrides)
		rc = gn_scenario_parse(&x->sc, overrides, "overrides", err,
				       sizeof(err));
	if (!rc)
		rc = gn_scenario_check(&x->sc, err, sizeof(err));
	if (rc)
		fail_msg("%s", err);
	rc = gn_simrun_build(&x->r, &x->sc, opts, err, sizeof(err));
	if (rc)
		fail_msg("%s", err);
	return x;
}

static void unload(struct run *x)
{
	gn_simrun_free(&x->r);
	gn_scenario_free(&x->sc);
	free(x);
}

static int node(struct run *x, const char *name)
{
	int i = gn_scenario_node(&x->sc, name);

	assert_true(i >= 0);
	return i;
}

static struct sim_node *sn(struct run *x, const char *name)
{
	return &x->r.sim.nodes[node(x, name)];
}

static const struct gn_simrun_stats *st(struct run *x, const char *name)
{
	return &x->r.st[node(x, name)];
}

static bool gm_is(struct run *x, const char *who, const char *gm)
{
	return gn_clock_identity_eq(&sn(x, who)->clock.pds.gm_identity,
				    &sn(x, gm)->clock.dds.identity);
}

/* At most 1 % of the servo's 3-sigma bounds missed the truth. */
static void assert_honest(const struct gn_simrun_stats *s)
{
	assert_true(s->est_n > 0);
	assert_true(s->est_viol * 100 <= s->est_n);
}

static void test_convergence(void **state)
{
	(void)state;
	struct run *x = load("converge.sim", NULL, NULL);
	const struct gn_simrun_stats *s;

	gn_simrun_run(&x->r);
	s = st(x, "slave");
	assert_int_equal(sn(x, "slave")->ports[0].ds.state, GN_PS_SLAVE);
	assert_int_equal(sn(x, "gm")->ports[0].ds.state, GN_PS_MASTER);
	assert_true(gm_is(x, "slave", "gm"));
	/* One step from 20 ms, then the servo's frequency cancels the
	 * oscillator's 50 ppm. */
	assert_int_equal(sn(x, "slave")->sc.steps, 1);
	assert_true(fabs(sim_freq_error(sn(x, "slave"))) < 50.0);
	/* Locked (|error| <= 200 ns for 20 s) within 40 s; measured 25 s. */
	assert_true(s->lock_ns >= 0 && s->lock_ns <= 40 * S);
	/* 401 samples from 100 s: measured mean -18 ns, RMS 42 ns, max
	 * 106 ns (seeds 1..10: RMS 23..48 ns); linuxptp's PI: RMS 101 ns. */
	assert_int_equal(s->n, 401); /* 100 s .. 300 s, both ends */
	assert_true(gn_simrun_rms(s) < 55.0);
	assert_true(fabs(gn_simrun_mean(s)) < 30.0);
	assert_true(s->max_abs < 150.0);
	assert_honest(s);
	/* The path delay (10 us + 100 ns mean jitter) is known to 50 ns. */
	assert_true(llabs(sn(x, "slave")->ports[0].path_delay_ns - 10100) < 50);
	unload(x);
}

static void test_failover_and_back(void **state)
{
	(void)state;
	struct run *x = load("failover.sim", NULL, NULL);
	int64_t t, t_fail = -1, t_back = -1;

	gn_simrun_run_until(&x->r, 99 * S);
	assert_true(gm_is(x, "slave", "gm"));
	assert_true(gm_is(x, "backup", "gm"));
	assert_int_equal(sn(x, "backup")->ports[0].ds.state, GN_PS_SLAVE);
	/* The kill at 100 s: announceReceiptTimeout 3 x 2 s plus up to one
	 * interval of randomness (6..8 s after the last Announce), then the
	 * backup's PRE_MASTER interval and the slave's qualification of it
	 * (2 Announces): 6..14 s. Measured 9.5 s. */
	for (t = 100 * S; t <= 130 * S && t_fail < 0; t += S / 4) {
		gn_simrun_run_until(&x->r, t);
		if (gm_is(x, "slave", "backup") &&
		    sn(x, "backup")->ports[0].ds.state == GN_PS_MASTER)
			t_fail = t;
	}
	assert_true(t_fail >= 106 * S && t_fail <= 114 * S);
	/* It follows the backup's clock (30 us, 5 ppm off) within 30 s. */
	gn_simrun_run_until(&x->r, 150 * S);
	{
		double e;

		assert_true(gn_simrun_error(&x->r, node(x, "slave"), &e));
		assert_true(fabs(e) < 500.0);
		/* The backup was locked to gm until 100 s and keeps its
		 * frequency in holdover: 50 s later still close to gm. */
		e = sim_peek_offset(sn(x, "backup"), sn(x, "gm"));
		assert_true(fabs(e) < 5 * US);
	}
	/* The grandmaster comes back at 200 s and wins: qualification (2
	 * announces), then BMCA, well within 10 s. */
	for (t = 200 * S; t <= 230 * S && t_back < 0; t += S / 4) {
		gn_simrun_run_until(&x->r, t);
		if (gm_is(x, "slave", "gm") && gm_is(x, "backup", "gm"))
			t_back = t;
	}
	assert_true(t_back > 200 * S && t_back <= 210 * S);
	gn_simrun_run(&x->r);
	assert_int_equal(sn(x, "gm")->ports[0].ds.state, GN_PS_MASTER);
	assert_int_equal(sn(x, "backup")->ports[0].ds.state, GN_PS_SLAVE);
	assert_int_equal(sn(x, "slave")->ports[0].ds.state, GN_PS_SLAVE);
	{
		double e;

		assert_true(gn_simrun_error(&x->r, node(x, "slave"), &e));
		assert_true(fabs(e) < 500.0);
	}
	assert_honest(st(x, "slave"));
	unload(x);
}

static void test_chain_of_10_boundary_clocks(void **state)
{
	(void)state;
	struct run *x = load("chain.sim", NULL, NULL);
	char name[16];
	int i;

	gn_simrun_run(&x->r);
	for (i = 1; i <= 10; i++) {
		struct sim_node *n;

		snprintf(name, sizeof(name), "bc%d", i);
		n = sn(x, name);
		assert_int_equal(n->ports[0].ds.state, GN_PS_SLAVE);
		assert_int_equal(n->ports[1].ds.state, GN_PS_MASTER);
		assert_int_equal(n->clock.cds.steps_removed, i);
		assert_true(gm_is(x, name, "gm"));
		assert_true(st(x, name)->lock_ns >= 0);
	}
	assert_int_equal(sn(x, "oc")->clock.cds.steps_removed, 11);
	assert_true(gm_is(x, "oc", "gm"));
	/* 11 hops of 50 ns jitter, statistics from 600 s: measured RMS
	 * 100 ns, max 387 ns at the end of the chain, locked (1 us for
	 * 30 s) at 79 s (seeds 1-5: 52-116 ns, mean 82; 68-98, mean 87,
	 * before the lag-1 row); linuxptp's PI (1200 s run): RMS 1082 ns,
	 * locked at 690 s. */
	assert_true(gn_simrun_rms(st(x, "oc")) < 120.0);
	assert_true(st(x, "oc")->max_abs < 450.0);
	assert_true(st(x, "oc")->lock_ns >= 0 &&
		    st(x, "oc")->lock_ns <= 400 * S);
	/* Errors grow along the chain, but stay bounded. */
	assert_true(gn_simrun_rms(st(x, "bc1")) < 30.0);
	assert_true(gn_simrun_rms(st(x, "bc1")) < gn_simrun_rms(st(x, "oc")));
	assert_honest(st(x, "oc"));
	unload(x);
}

/*
 * tc.sim: three networks side by side with the same queueing in each
 * switching element (5 us + exponential 2 us): through three E2E TCs
 * the slave is within nanoseconds of a direct link; through plain
 * switches it is off by hundreds. Then the same with P2P TCs.
 */
static void test_transparent_clocks(void **state)
{
	(void)state;
	struct run *x = load("tc.sim", NULL, NULL);
	char name[8];
	int i;

	gn_simrun_run(&x->r);
	for (i = 1; i <= 3; i++) {
		struct sim_node *n;

		snprintf(name, sizeof(name), "tc%d", i);
		n = sn(x, name);
		assert_int_equal(n->ports[0].ds.state, GN_PS_SLAVE);
		assert_int_equal(n->ports[1].ds.state, GN_PS_MASTER);
		/* Forwarded, never originated. */
		assert_int_equal(n->ports[1].stats.tx[GN_MSG_SYNC], 0);
		assert_int_equal(n->ports[1].stats.tx[GN_MSG_ANNOUNCE], 0);
		assert_true(n->ports[1].tc.stats.forwarded[GN_MSG_SYNC] > 500);
		assert_true(n->ports[1].tc.stats.forwarded[GN_MSG_FOLLOW_UP] >
			    500);
		assert_true(n->ports[0].tc.stats.forwarded[GN_MSG_DELAY_REQ] >
			    100);
		assert_true(gm_is(x, name, "gm_a"));
	}
	/* TCs are not hops of the BMCA: the slave is one step away. */
	assert_true(gm_is(x, "slave_a", "gm_a"));
	assert_int_equal(sn(x, "slave_a")->clock.cds.steps_removed, 1);
	/* Measured (seed 7): RMS 10.1 ns through the TCs (seeds 1..3:
	 * 4.7..15.2), 3.0 ns on the direct link, 690 ns through the
	 * switches (440..755). */
	assert_true(gn_simrun_rms(st(x, "slave_a")) < 20.0);
	assert_true(gn_simrun_rms(st(x, "slave_c")) < 6.0);
	assert_true(gn_simrun_rms(st(x, "slave_a")) <
		    gn_simrun_rms(st(x, "slave_c")) + 15.0);
	assert_true(gn_simrun_rms(st(x, "slave_b")) > 300.0);
	assert_true(gn_simrun_rms(st(x, "slave_b")) >
		    30.0 * gn_simrun_rms(st(x, "slave_a")));
	assert_true(st(x, "slave_a")->max_abs < 100.0);
	assert_true(st(x, "slave_a")->lock_ns >= 0 &&
		    st(x, "slave_a")->lock_ns <= 60 * S);
	unload(x);

	/* P2P TCs: link delay per hop, residence per TC. The switches
	 * pass no peer delay, so their slave never locks (not checked). */
	x = load("tc.sim",
		 "[global]\ndelay_mechanism P2P\n[ptp tc]\nclock_type P2P_TC\n",
		 NULL);
	gn_simrun_run(&x->r);
	assert_true(gm_is(x, "slave_a", "gm_a"));
	assert_int_equal(
	    sn(x, "tc3")->ports[1].tc.stats.forwarded[GN_MSG_DELAY_REQ], 0);
	/* Measured 5.5 ns (direct 4.5 ns). */
	assert_true(gn_simrun_rms(st(x, "slave_a")) < 10.0);
	assert_true(gn_simrun_rms(st(x, "slave_a")) <
		    gn_simrun_rms(st(x, "slave_c")) + 5.0);
	unload(x);
}

/*
 * tc_free.sim: two free-running TCs 100 ppm fast that hold each frame
 * 5 ms + exponential 1 ms. Their residences are scaled by the
 * master/local rate ratio they measure; freq_est_interval 30 (never an
 * interval complete) leaves them as measured, for comparison.
 */
static double slave_rms(struct run *x)
{
	return gn_simrun_rms(st(x, "slave"));
}

static void test_free_running_transparent_clocks(void **state)
{
	static const char *const p2p =
	    "[global]\ndelay_mechanism P2P\n[ptp tc]\nclock_type P2P_TC\n";
	static const char *const unscaled = "[ptp tc]\nfreq_est_interval 30\n";
	char both[256];
	struct run *x;
	double rms_e2e, rms_p2p;
	int i;

	(void)state;
	x = load("tc_free.sim", NULL, NULL);
	gn_simrun_run(&x->r);
	for (i = 1; i <= 2; i++) {
		char name[8];
		struct sim_node *n;

		snprintf(name, sizeof(name), "tc%d", i);
		n = sn(x, name);
		/* No path delay of its own: it never calibrates. */
		assert_int_equal(n->ports[0].ds.state, GN_PS_UNCALIBRATED);
		assert_int_equal(gn_clock_slave_port(&n->clock), 0);
		/* Its oscillator's 100 ppm, plus a little wander. */
		assert_true(fabs(gn_tc_rate_ratio(&n->clock) * 1.0001 - 1.0) <
			    1e-7);
		assert_int_equal(n->ports[0].tc.stats.rate_rejected, 0);
	}
	/* Measured (seeds 1..6): RMS 5.1..6.1 ns, max 12..19 ns, locked
	 * at 12..16 s. Unscaled: RMS 37..53 ns, max 93..154 ns (the
	 * Delay_Req's residence error cancels the Sync's on average). */
	rms_e2e = slave_rms(x);
	assert_true(rms_e2e < 12.0);
	assert_true(st(x, "slave")->max_abs < 40.0);
	assert_true(st(x, "slave")->lock_ns >= 0 &&
		    st(x, "slave")->lock_ns <= 30 * S);
	unload(x);
	x = load("tc_free.sim", unscaled, NULL);
	gn_simrun_run(&x->r);
	assert_true(gn_tc_rate_ratio(&sn(x, "tc1")->clock) == 1.0);
	assert_true(slave_rms(x) > 3.0 * rms_e2e);
	unload(x);

	/* P2P: nothing cancels. Measured: mean -2.5..0.1 ns, RMS
	 * 3.4..6.8 ns; unscaled the slave is 1225..1255 ns late (two TCs
	 * at 100 ppm x ~6 ms) and never locks within 1 us. */
	x = load("tc_free.sim", p2p, NULL);
	gn_simrun_run(&x->r);
	rms_p2p = slave_rms(x);
	assert_true(rms_p2p < 12.0);
	assert_true(fabs(gn_simrun_mean(st(x, "slave"))) < 6.0);
	unload(x);
	snprintf(both, sizeof(both), "%s%s", p2p, unscaled);
	x = load("tc_free.sim", both, NULL);
	gn_simrun_run(&x->r);
	assert_true(gn_simrun_mean(st(x, "slave")) > 1000.0);
	assert_true(st(x, "slave")->lock_ns < 0);
	unload(x);
}

static void test_30_percent_loss(void **state)
{
	(void)state;
	struct run *x = load("loss.sim", NULL, NULL);
	const struct gn_simrun_stats *s;
	double kept;

	gn_simrun_run(&x->r);
	s = st(x, "slave");
	/* Point-to-point link: every frame has one receiver. */
	kept = (double)x->r.sim.frames_delivered / (double)x->r.sim.frames_sent;
	assert_true(kept > 0.67 && kept < 0.73);
	assert_int_equal(sn(x, "slave")->ports[0].ds.state, GN_PS_SLAVE);
	assert_true(gm_is(x, "slave", "gm"));
	/* Measured: lock at 116 s, RMS 144 ns, max 1179 ns. */
	assert_true(s->lock_ns >= 0 && s->lock_ns <= 200 * S);
	assert_true(gn_simrun_rms(s) < 250.0);
	assert_true(s->max_abs < 2000.0);
	assert_true(sn(x, "slave")->ports[0].stats.sync_mismatch +
			sn(x, "slave")->ports[0].stats.followup_mismatch >
		    0);
	assert_honest(s);
	unload(x);
}

static void test_asymmetry_bias(void **state)
{
	(void)state;
	struct run *x = load("asym.sim", NULL, NULL);
	const struct gn_simrun_stats *s;

	/* master->slave 50 us + 2 us, slave->master 50 us: the mean path
	 * delay is 51 us and the slave settles exactly 1 us behind. */
	gn_simrun_run(&x->r);
	s = st(x, "slave");
	assert_int_equal(s->n, 121);
	assert_true(fabs(gn_simrun_mean(s) + 1000.0) < 2.0);
	assert_true(fabs(s->max_abs - 1000.0) < 3.0);
	assert_true(llabs(sn(x, "slave")->ports[0].path_delay_ns - 51000) <= 1);
	unload(x);

	/* delayAsymmetry 1 us on the slave port removes it. */
	x = load("asym.sim", "[ptp slave]\ndelayAsymmetry 1000\n", NULL);
	gn_simrun_run(&x->r);
	s = st(x, "slave");
	assert_true(fabs(gn_simrun_mean(s)) < 2.0);
	assert_true(s->max_abs < 3.0);
	unload(x);
}

static void test_master_clock_step(void **state)
{
	(void)state;
	struct run *x = load("master_step.sim", NULL, NULL);
	int64_t t, t_back = -1;
	double e;

	gn_simrun_run_until(&x->r, 119 * S);
	assert_int_equal(sn(x, "slave")->sc.steps, 1);
	assert_true(gn_simrun_error(&x->r, node(x, "slave"), &e));
	assert_true(fabs(e) < 1000.0);
	/* gm jumps 1 ms ahead at 120 s: the slave is 1 ms behind until it
	 * refuses four samples, restarts and steps (step_threshold 100 us)
	 * at the second sample after: back within 1 us in under 10 s. */
	gn_simrun_run_until(&x->r, 120 * S + S / 4);
	assert_true(gn_simrun_error(&x->r, node(x, "slave"), &e));
	assert_true(e < -999 * US && e > -1001 * US);
	for (t = 120 * S; t <= 140 * S && t_back < 0; t += S / 4) {
		gn_simrun_run_until(&x->r, t);
		if (gn_simrun_error(&x->r, node(x, "slave"), &e) &&
		    fabs(e) < 1000.0)
			t_back = t;
	}
	assert_true(t_back > 122 * S && t_back < 130 * S);
	assert_int_equal(sn(x, "slave")->sc.steps, 2);
	gn_simrun_run(&x->r);
	assert_true(gn_simrun_error(&x->r, node(x, "slave"), &e));
	assert_true(fabs(e) < 300.0);
	assert_int_equal(sn(x, "slave")->ports[0].ds.state, GN_PS_SLAVE);
	unload(x);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void run_to_dir(const char *dir, const char *overrides)
{
	struct gn_simrun_opts o = {.out_dir = dir, .csv = true};
	struct run *x = load("chain.sim", overrides, &o);

	gn_simrun_run(&x->r);
	assert_int_equal(gn_simrun_write_outputs(&x->r), 0);
	unload(x);
}

static bool same_file(const char *a, const char *b)
{
	size_t la, lb;
	char *x = slurp(a, &la), *y = slurp(b, &lb);
	bool same = la == lb && !memcmp(x, y, la);

	free(x);
	free(y);
	return same;
}

static void test_determinism(void **state)
{
	(void)state;
	char d1[] = "/tmp/gnomon-sim-det1-XXXXXX";
	char d2[] = "/tmp/gnomon-sim-det2-XXXXXX";
	char d3[] = "/tmp/gnomon-sim-det3-XXXXXX";
	const char *files[] = {"summary.csv", "summary.txt", "gm.csv",
			       "bc5.csv", "oc.csv"};
	char a[256], b[256];
	size_t i, len;
	char *txt;

	assert_non_null(mkdtemp(d1));
	assert_non_null(mkdtemp(d2));
	assert_non_null(mkdtemp(d3));
	run_to_dir(d1, NULL);
	run_to_dir(d2, NULL);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(a, sizeof(a), "%s/%s", d1, files[i]);
		snprintf(b, sizeof(b), "%s/%s", d2, files[i]);
		assert_true(same_file(a, b));
	}
	/* 901 samples + header per node file, with real numbers in it. */
	snprintf(a, sizeof(a), "%s/oc.csv", d1);
	txt = slurp(a, &len);
	assert_true(len > 901 * 20);
	assert_non_null(strstr(txt, ",SLAVE,s2\n"));
	free(txt);
	/* Without CSV files (observing less) the run is the same. */
	{
		struct gn_simrun_opts o = {.out_dir = d3, .csv = false};
		struct run *x = load("chain.sim", NULL, &o);

		gn_simrun_run(&x->r);
		assert_int_equal(gn_simrun_write_outputs(&x->r), 0);
		unload(x);
		snprintf(a, sizeof(a), "%s/summary.csv", d1);
		snprintf(b, sizeof(b), "%s/summary.csv", d3);
		assert_true(same_file(a, b));
		run_to_dir(d3, "[sim]\nseed 99\n");
	}
	/* Another seed, other numbers. */
	snprintf(a, sizeof(a), "%s/oc.csv", d1);
	snprintf(b, sizeof(b), "%s/oc.csv", d3);
	assert_false(same_file(a, b));
	for (i = 0; i < 3; i++) {
		const char *d = i == 0 ? d1 : i == 1 ? d2 : d3;
		DIR *dir = opendir(d);
		struct dirent *e;
		char f[600];

		assert_non_null(dir);
		while ((e = readdir(dir))) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(f, sizeof(f), "%s/%s", d, e->d_name);
			unlink(f);
		}
		closedir(dir);
		rmdir(d);
	}
}

static double rms_with(const char *servo_opts)
{
	struct run *x = load("jitter.sim", servo_opts, NULL);
	double r;

	gn_simrun_run(&x->r);
	r = gn_simrun_rms(st(x, "slave"));
	if (strstr(servo_opts, "kalman"))
		assert_honest(st(x, "slave"));
	unload(x);
	return r;
}

static void test_kalman_beats_pi_under_jitter(void **state)
{
	(void)state;
	/* linuxptp's PI with its moving median vs gnomon's servo with its
	 * spike-rejecting mean, same seed, same noise. Measured: PI
	 * 1821 ns, Kalman 292 ns RMS. */
	double pi = rms_with("[global]\nclock_servo pi\n");
	double kf = rms_with("[global]\nclock_servo kalman\n"
			     "delay_filter robust_mean\n"
			     "delay_filter_length 64\n");

	assert_true(pi > 1200.0 && pi < 2500.0);
	assert_true(kf < 0.3 * pi);
}

/*
 * Packet selection (port_env.c): behind 10 us of queueing with a
 * wandering oscillator the envelopes take over from the mean path
 * delay. Measured (seed 5): 442 ns RMS with them, 1705 ns with the
 * Kalman servo alone (selection disabled by hand), PI with its median
 * 10.5 us; seeds 1-3: 460, 386, 414 ns against 967, 1624, 1322 ns.
 */
static void test_packet_selection_under_queueing(void **state)
{
	struct run *x = load("queue.sim", NULL, NULL);
	const struct gn_simrun_stats *s;

	(void)state;
	gn_simrun_run(&x->r);
	s = st(x, "slave");
	assert_true(sn(x, "slave")->ports[0].env_on);
	assert_true(s->lock_ns >= 0 && s->lock_ns <= 30 * S);
	assert_true(gn_simrun_rms(s) < 900.0);
	assert_honest(s);
	unload(x);
}

/*
 * Large wander (wander.sim, linuxptp-testsuite 16), ten seeds, each run
 * with both servos. The Kalman servo must keep within the suite's 1 ms
 * from 40 s on and beat PI's RMS. Measured, seeds 1..10: Kalman RMS
 * 56..81 us, max 147..244 us; PI 135..159 us, max 357..663 us. Before
 * the noise fit learnt to tell wander from noise with one level (the
 * lag-1 products) and to skip second differences across gaps, five of
 * the ten went beyond 0.98 ms (1.74 ms at seed 8): refusals in a row
 * restarted the filter before its noise ladder ever started.
 */
static void wander_run(unsigned seed, const char *servo, double *rms,
		       double *max)
{
	char ov[128];
	struct run *x;

	snprintf(ov, sizeof(ov), "[sim]\nseed %u\n[global]\nclock_servo %s\n",
		 seed, servo);
	x = load("wander.sim", ov, NULL);
	gn_simrun_run(&x->r);
	*rms = gn_simrun_rms(st(x, "slave"));
	*max = st(x, "slave")->max_abs;
	assert_true(st(x, "slave")->lock_ns >= 0);
	unload(x);
}

static void test_kalman_under_large_wander(void **state)
{
	double krms, kmax, prms, pmax;
	unsigned seed;

	(void)state;
	for (seed = 1; seed <= 10; seed++) {
		wander_run(seed, "kalman", &krms, &kmax);
		wander_run(seed, "pi", &prms, &pmax);
		assert_true(kmax < 1e6);
		assert_true(krms < 0.7 * prms);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_convergence),
	    cmocka_unit_test(test_failover_and_back),
	    cmocka_unit_test(test_chain_of_10_boundary_clocks),
	    cmocka_unit_test(test_transparent_clocks),
	    cmocka_unit_test(test_free_running_transparent_clocks),
	    cmocka_unit_test(test_30_percent_loss),
	    cmocka_unit_test(test_asymmetry_bias),
	    cmocka_unit_test(test_master_clock_step),
	    cmocka_unit_test(test_determinism),
	    cmocka_unit_test(test_kalman_beats_pi_under_jitter),
	    cmocka_unit_test(test_packet_selection_under_queueing),
	    cmocka_unit_test(test_kalman_under_large_wander),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

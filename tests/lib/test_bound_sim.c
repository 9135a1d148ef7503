/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_bound_sim.c - the published error bound against the truth, in
 * the simulator (simnet): a grandmaster and a slave running the real
 * core, the slave's estimator (publish.c's gn_bound_update) fed exactly
 * as gnomond feeds it (every core notice and a 1 s tick), and the bound
 * between publications extrapolated by libgnomon's own arithmetic
 * (gn_lib_bound_at). Every 10 ms of simulated time the slave's true
 * error (its clock minus the grandmaster's) is compared with the bound.
 *
 * Fault scenarios: master loss (holdover), delay spikes, a step of the
 * master's clock, 30 % loss, an asymmetric link, oscillator wander,
 * software stamping, PI and Kalman servos. Each asserts 0 violations,
 * that LOCKED was reached, and a tightness limit (median bound / median
 * |true error| while LOCKED); a control run with a wrong asymmetry
 * allowance must produce violations, so the checker can fail.
 *
 * The only instants excluded are those between a step of the master's
 * clock and the slave's first sample after it: nothing can know of the
 * step before a message carries it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib.h"
#include "publish.h"
#include "simnet.h"

#define US	   1000LL
#define MS	   1000000LL
#define S	   1000000000LL
#define CHECK_NS   (10 * MS)
#define MAX_CHECKS 200000

struct scenario {
	const char *name;
	uint64_t seed;
	bool sw; /* software stamping */
	enum gn_servo_type servo;
	int64_t delay_ns, jitter_ns, asym_ns, spike_ns;
	enum sim_jitter_dist dist;
	double spike_prob, loss;
	double slave_freq_ppb;
	int64_t slave_offset_ns;
	double wfm, rwfm; /* slave oscillator noise */
	int8_t log_sync;
	int64_t duration_s;
	int64_t kill_master_s; /* 0: never */
	int64_t master_step_s, master_step_ns;
	int64_t bound_asym_ns; /* -1: automatic */
	double holdover_ppb;
	bool packet_selection; /* must be on at the end (port_env.c) */
};

struct run {
	const struct scenario *sc;
	struct sim *s;
	int gm, sl;
	struct gn_bound bound;
	struct gn_page_data pub; /* what the page would say */
	bool have_pub;
	bool step_blind; /* master stepped, no sample since */
	/* results */
	unsigned checks, violations, locked_checks, holdover_checks;
	double worst_ratio; /* max |err| / bound */
	unsigned worst_state;
	double worst_t_s;
	double *lb, *le; /* LOCKED bound and |error| samples */
	double max_holdover_err, holdover_bound_end;
	bool reached_locked, reached_holdover;
};

static void publish(struct run *r)
{
	struct sim_node *n = &r->s->nodes[r->sl];
	struct gn_bound_result res;
	int64_t now = n->env.clock_now(n);

	gn_bound_update(&r->bound, &n->clock, now, n->sc.adj_ppb, &res);
	memset(&r->pub, 0, sizeof(r->pub));
	r->pub.anchor_local_ns = now;
	r->pub.anchor_clock_ns = now;
	r->pub.bound_ns = res.bound_ns;
	r->pub.bound_growth_frac =
	    (uint64_t)ceil(res.growth_ppb * 281474.976710656);
	r->pub.stale_growth_frac =
	    (uint64_t)ceil(res.stale_growth_ppb * 281474.976710656);
	r->pub.stale_after_ns = 3 * S;
	r->pub.state = (uint32_t)res.state;
	r->have_pub = true;
	if (getenv("GN_BOUND_DEBUG"))
		print_message("pub t=%.3f state %d bound %llu growth %.1f n %u "
			      "e %.0f elast %.0f stat %.0f r %.1f rsd %.2f "
			      "sigma %.0f servo %d adj %.1f true %.0f\n",
			      (double)r->s->now_ns / S, res.state,
			      (unsigned long long)res.bound_ns, res.growth_ppb,
			      res.fit.n, res.fit.e_ns, res.fit.e_last_ns,
			      res.fit.stat_ns, res.fit.r_ppb, res.fit.r_sd_ppb,
			      res.fit.sigma_ns, n->clock.servo_state,
			      n->sc.adj_ppb,
			      sim_offset_from(n, &r->s->nodes[r->gm]));
	if (res.state == GN_PAGE_LOCKED)
		r->reached_locked = true;
	if (res.state == GN_PAGE_HOLDOVER)
		r->reached_holdover = true;
}

static void hook(void *ctx, struct sim_node *n, const struct gn_notice *no)
{
	struct run *r = ctx;

	if (n->id != r->sl)
		return;
	if (no->kind == GN_NOTICE_SYNC_SAMPLE)
		r->step_blind = false;
	publish(r);
}

static void check(struct run *r)
{
	struct sim_node *n = &r->s->nodes[r->sl];
	double err, b;
	uint64_t bound;

	if (!r->have_pub || r->step_blind)
		return;
	bound = gn_lib_bound_at(&r->pub, sim_local_time(n, r->s->now_ns));
	if (bound == GN_BOUND_UNKNOWN)
		return;
	err = fabs(sim_offset_from(n, &r->s->nodes[r->gm]));
	b = (double)bound;
	r->checks++;
	if (err > b) {
		if (r->violations < 5)
			print_message("  %s: violation at %.2f s: |error| %.0f "
				      "> bound %.0f ns (state %u)\n",
				      r->sc->name, (double)r->s->now_ns / S,
				      err, b, r->pub.state);
		r->violations++;
	}
	if (b > 0 && err / b > r->worst_ratio) {
		r->worst_ratio = err / b;
		r->worst_state = r->pub.state;
		r->worst_t_s = (double)r->s->now_ns / S;
	}
	if (r->pub.state == GN_PAGE_LOCKED && r->locked_checks < MAX_CHECKS) {
		r->lb[r->locked_checks] = b;
		r->le[r->locked_checks] = err;
		r->locked_checks++;
	}
	if (r->pub.state == GN_PAGE_HOLDOVER) {
		r->holdover_checks++;
		if (err > r->max_holdover_err)
			r->max_holdover_err = err;
		r->holdover_bound_end = b;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned n)
{
	if (n == 0)
		return 0.0;
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static void run_scenario(const struct scenario *sc, struct run *r)
{
	struct gn_clock_config cc;
	struct gn_port_config pc;
	struct gn_bound_config bc;
	struct sim *s = calloc(1, sizeof(*s));
	int seg;
	int64_t t, next_tick = S;

	assert_non_null(s);
	memset(r, 0, sizeof(*r));
	r->sc = sc;
	r->s = s;
	r->lb = calloc(MAX_CHECKS, sizeof(double));
	r->le = calloc(MAX_CHECKS, sizeof(double));
	assert_non_null(r->lb);
	assert_non_null(r->le);
	sim_init(s, sc->seed);
	s->notice_hook = hook;
	s->notice_ctx = r;

	gn_clock_config_default(&cc);
	gn_port_config_default(&pc);
	cc.hw_stamping = !sc->sw;
	cc.servo.hw_stamping = !sc->sw;
	cc.servo.type = sc->servo;
	pc.log_sync_interval = sc->log_sync;
	pc.log_min_delay_req_interval = sc->log_sync;
	pc.log_announce_interval = 0;
	cc.priority1 = 100;
	r->gm = sim_add_node(s, "gm", &cc, &pc, 1);
	cc.priority1 = 128;
	cc.slave_only = true;
	cc.quality.clock_class = 255;
	r->sl = sim_add_node(s, "slave", &cc, &pc, 1);
	assert_true(r->gm >= 0 && r->sl >= 0);
	seg = sim_add_segment(s, sc->delay_ns);
	sim_connect(s, seg, r->gm, 0); /* member 0: asymmetry gm->slave */
	sim_connect(s, seg, r->sl, 0);
	s->segs[seg].jitter_ns = sc->jitter_ns;
	s->segs[seg].jitter_dist = sc->dist;
	s->segs[seg].asym_ns = sc->asym_ns;
	s->segs[seg].spike_prob = sc->spike_prob;
	s->segs[seg].spike_ns = sc->spike_ns;
	s->segs[seg].loss = sc->loss;

	for (int i = 0; i < 2; i++) {
		struct sim_node *n = &s->nodes[i == 0 ? r->gm : r->sl];

		if (sc->sw) {
			n->ts.software = true;
			n->ts.sigma_ns = 200;
			n->ts.rx_latency_ns = 8 * US;
			n->ts.rx_jitter_ns = 2 * US;
			n->ts.tx_latency_ns = 5 * US;
			n->ts.tx_jitter_ns = 1 * US;
		} else {
			n->ts.sigma_ns = 5;
			n->ts.resolution_ns = 8;
		}
	}
	s->nodes[r->sl].sc.freq_err_ppb = sc->slave_freq_ppb;
	s->nodes[r->sl].sc.base_local_ns += sc->slave_offset_ns;
	if (sc->wfm > 0 || sc->rwfm > 0)
		sim_clock_set_noise(&s->nodes[r->sl], sc->wfm, sc->rwfm);

	gn_bound_config_default(&bc);
	bc.hw_stamping = !sc->sw;
	bc.asymmetry_ns = sc->bound_asym_ns;
	bc.holdover_ppb = sc->holdover_ppb;
	gn_bound_init(&r->bound, &bc);

	assert_int_equal(sim_start(s), 0);
	for (t = CHECK_NS; t <= sc->duration_s * S; t += CHECK_NS) {
		if (sc->kill_master_s && t == sc->kill_master_s * S)
			sim_kill(s, r->gm);
		if (sc->master_step_s && t == sc->master_step_s * S) {
			sim_run_until(s, t);
			sim_clock_step(&s->nodes[r->gm], sc->master_step_ns);
			r->step_blind = true;
		}
		sim_run_until(s, t);
		if (t >= next_tick) {
			publish(r); /* gnomond's 1 s tick */
			next_tick += S;
		}
		check(r);
	}
}

static void report(struct run *r, double *tight)
{
	double mb, me;
	unsigned n = r->locked_checks;

	mb = median(r->lb, n);
	me = median(r->le, n);
	*tight = me > 0 ? mb / me : 0.0;
	print_message("%-22s checks %6u violations %u locked %6u median "
		      "bound %9.0f ns |err| %7.0f ns tightness %5.1f worst "
		      "err/bound %.2f (%s, %.1f s)",
		      r->sc->name, r->checks, r->violations, n, mb, me, *tight,
		      r->worst_ratio,
		      r->worst_state == GN_PAGE_LOCKED	   ? "LOCKED"
		      : r->worst_state == GN_PAGE_LOCKING  ? "LOCKING"
		      : r->worst_state == GN_PAGE_HOLDOVER ? "HOLDOVER"
							   : "FREERUN",
		      r->worst_t_s);
	if (r->holdover_checks)
		print_message(" holdover: max |err| %.0f ns bound at end "
			      "%.0f ns",
			      r->max_holdover_err, r->holdover_bound_end);
	print_message("\n");
}

static void finish(struct run *r)
{
	sim_free(r->s);
	free(r->s);
	free(r->lb);
	free(r->le);
}

/*
 * Runs sc and asserts: no violation, LOCKED reached, the median bound
 * while LOCKED below max_bound_ns and, when max_tight > 0, the
 * tightness (median bound / median |error|) below it.
 */
static void expect_honest(const struct scenario *sc, double max_bound_ns,
			  double max_tight)
{
	struct run r;
	double tight;

	run_scenario(sc, &r);
	report(&r, &tight);
	assert_true(r.reached_locked);
	assert_true(r.checks > 1000);
	assert_true(r.locked_checks > 1000);
	assert_int_equal(r.violations, 0);
	assert_true(median(r.lb, r.locked_checks) < max_bound_ns);
	if (max_tight > 0)
		assert_true(tight < max_tight);
	if (sc->kill_master_s) {
		assert_true(r.reached_holdover);
		assert_true(r.holdover_checks > 100);
	}
	if (sc->packet_selection)
		assert_true(r.s->nodes[r.sl].ports[0].env_on);
	finish(&r);
}

static struct scenario base(const char *name, uint64_t seed)
{
	struct scenario sc = {
	    .name = name,
	    .seed = seed,
	    .servo = GN_SERVO_PI,
	    .delay_ns = 5 * US,
	    .jitter_ns = 50,
	    .dist = SIM_JITTER_EXP,
	    .slave_freq_ppb = 20000,
	    .slave_offset_ns = 3 * MS,
	    .log_sync = -2,
	    .duration_s = 120,
	    .bound_asym_ns = -1,
	};
	return sc;
}

static void test_hw_baseline(void **state)
{
	struct scenario sc = base("hw baseline", 11);

	(void)state;
	expect_honest(&sc, 8000, 0);
}

static void test_sw_stamping(void **state)
{
	struct scenario sc = base("sw stamping", 12);

	(void)state;
	sc.sw = true;
	sc.delay_ns = 20 * US;
	sc.jitter_ns = 2 * US;
	sc.log_sync = -1;
	expect_honest(&sc, 80000, 0);
}

static void test_master_loss(void **state)
{
	struct scenario sc = base("master loss", 13);

	(void)state;
	sc.rwfm = 1e-9;
	sc.wfm = 1e-10;
	sc.duration_s = 300;
	sc.kill_master_s = 150;
	expect_honest(&sc, 8000, 0);
}

static void test_master_loss_configured(void **state)
{
	struct scenario sc = base("master loss 100 ppb", 14);

	(void)state;
	sc.rwfm = 1e-9;
	sc.duration_s = 300;
	sc.kill_master_s = 150;
	sc.holdover_ppb = 100;
	expect_honest(&sc, 8000, 0);
}

static void test_delay_spikes(void **state)
{
	struct scenario sc = base("delay spikes", 15);

	(void)state;
	sc.spike_prob = 0.05;
	sc.spike_ns = 20 * US;
	expect_honest(&sc, 200000, 0);
}

static void test_master_step(void **state)
{
	struct scenario sc = base("master step", 16);

	(void)state;
	sc.duration_s = 200;
	sc.master_step_s = 100;
	sc.master_step_ns = 200 * US;
	expect_honest(&sc, 10000, 0);
}

static void test_loss(void **state)
{
	struct scenario sc = base("30% loss", 17);

	(void)state;
	sc.loss = 0.3;
	expect_honest(&sc, 10000, 0);
}

static void test_asymmetry(void **state)
{
	struct scenario sc = base("asymmetric link", 18);

	(void)state;
	sc.delay_ns = 10 * US;
	sc.asym_ns = 4 * US; /* true error: -2 us, invisible */
	expect_honest(&sc, 20000, 0);
}

static void test_wander(void **state)
{
	struct scenario sc = base("oscillator wander", 19);

	(void)state;
	sc.wfm = 1e-9;
	sc.rwfm = 1e-8;
	sc.log_sync = 0;
	sc.duration_s = 200;
	expect_honest(&sc, 10000, 0);
}

static void test_kalman(void **state)
{
	struct scenario sc = base("kalman, spikes, loss", 20);

	(void)state;
	sc.servo = GN_SERVO_KALMAN;
	sc.spike_prob = 0.02;
	sc.spike_ns = 20 * US;
	sc.loss = 0.1;
	sc.duration_s = 200;
	sc.kill_master_s = 150;
	expect_honest(&sc, 10000, 0);
}

/* A link known to be symmetric (bound_asymmetry 0): what is left is the
 * statistical part, and it stays honest. */
static void test_calibrated(void **state)
{
	struct scenario sc = base("hw, asym known 0", 21);

	(void)state;
	sc.bound_asym_ns = 0;
	expect_honest(&sc, 1000, 40);
}

/* Behind 10 us of queueing the Kalman servo's offsets come from packet
 * selection's envelopes (port_env.c), whose error the servo cannot see;
 * with the asymmetry known the published bound still holds: the
 * observer's regression over the offsets covers it (measured: median
 * bound 10.1 us, |error| 277 ns, worst error / bound 0.76). */
static void test_calibrated_queueing(void **state)
{
	struct scenario sc = base("kalman, 10 us queueing, asym known 0", 23);

	(void)state;
	sc.servo = GN_SERVO_KALMAN;
	sc.jitter_ns = 10 * US;
	sc.rwfm = 1e-9;
	sc.log_sync = 0;
	sc.duration_s = 400;
	sc.bound_asym_ns = 0;
	sc.packet_selection = true;
	expect_honest(&sc, 100000, 0);
}

static void test_calibrated_holdover(void **state)
{
	struct scenario sc = base("hw, asym 0, holdover", 22);

	(void)state;
	sc.bound_asym_ns = 0;
	sc.rwfm = 1e-9;
	sc.duration_s = 300;
	sc.kill_master_s = 150;
	expect_honest(&sc, 1000, 40);
}

/* Every fault scenario again over many seeds: still no violation. */
static void test_many_seeds(void **state)
{
	struct scenario list[8];
	unsigned k, seed, total = 0, runs = 0, checks = 0;
	double worst = 0;

	(void)state;
	list[0] = base("seeds: hw", 0);
	list[1] = base("seeds: sw", 0);
	list[1].sw = true;
	list[1].delay_ns = 20 * US;
	list[1].jitter_ns = 2 * US;
	list[1].log_sync = -1;
	list[2] = base("seeds: master loss", 0);
	list[2].rwfm = 1e-9;
	list[2].duration_s = 240;
	list[2].kill_master_s = 120;
	list[3] = base("seeds: spikes", 0);
	list[3].spike_prob = 0.05;
	list[3].spike_ns = 20 * US;
	list[4] = base("seeds: master step", 0);
	list[4].duration_s = 160;
	list[4].master_step_s = 80;
	list[4].master_step_ns = 200 * US;
	list[5] = base("seeds: 30% loss", 0);
	list[5].loss = 0.3;
	list[6] = base("seeds: wander", 0);
	list[6].wfm = 1e-9;
	list[6].rwfm = 1e-8;
	list[6].log_sync = 0;
	list[7] = base("seeds: kalman", 0);
	list[7].servo = GN_SERVO_KALMAN;
	list[7].spike_prob = 0.02;
	list[7].spike_ns = 20 * US;
	list[7].loss = 0.1;
	list[7].kill_master_s = 100;
	for (k = 0; k < 8; k++) {
		unsigned v = 0;

		for (seed = 100; seed < 120; seed++) {
			struct run r;

			list[k].seed = seed * 7919 + k;
			run_scenario(&list[k], &r);
			v += r.violations;
			checks += r.checks;
			if (r.worst_ratio > worst)
				worst = r.worst_ratio;
			assert_true(r.reached_locked);
			finish(&r);
			runs++;
		}
		if (v)
			print_message("%s: %u violations\n", list[k].name, v);
		total += v;
	}
	print_message("%u runs, %u checks, %u violations, worst |error|/bound "
		      "%.2f\n",
		      runs, checks, total, worst);
	assert_int_equal(total, 0);
}

/* The checker can fail: with the asymmetry allowance set to 0 on an
 * asymmetric link, the bound is too small and violations are counted. */
static void test_control_wrong_asymmetry(void **state)
{
	struct scenario sc = base("control: asym 0", 18);
	struct run r;
	double tight;

	(void)state;
	sc.delay_ns = 10 * US;
	sc.asym_ns = 4 * US;
	sc.bound_asym_ns = 0;
	run_scenario(&sc, &r);
	report(&r, &tight);
	assert_true(r.violations > r.locked_checks / 2);
	finish(&r);
}

int main(void)
{
	const char *only = getenv("GN_BOUND_ONLY");

	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hw_baseline),
	    cmocka_unit_test(test_sw_stamping),
	    cmocka_unit_test(test_master_loss),
	    cmocka_unit_test(test_master_loss_configured),
	    cmocka_unit_test(test_delay_spikes),
	    cmocka_unit_test(test_master_step),
	    cmocka_unit_test(test_loss),
	    cmocka_unit_test(test_asymmetry),
	    cmocka_unit_test(test_wander),
	    cmocka_unit_test(test_kalman),
	    cmocka_unit_test(test_calibrated),
	    cmocka_unit_test(test_calibrated_queueing),
	    cmocka_unit_test(test_calibrated_holdover),
	    cmocka_unit_test(test_many_seeds),
	    cmocka_unit_test(test_control_wrong_asymmetry),
	};

	if (only)
		cmocka_set_test_filter(only);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

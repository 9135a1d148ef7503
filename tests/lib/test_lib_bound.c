/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_lib_bound.c - the daemon side of the time service without a
 * network: the error-bound estimator's arithmetic against hand-computed
 * values (a noise-free line, holdover growth learnt and configured, the
 * automatic asymmetry allowance), the observer's exactness while a servo
 * steers and steps the clock, the published state for slaves,
 * grandmasters and free-running clocks, clockAccuracy in ns, the virtual
 * clock's mapping against libgnomon's to the nanosecond, and the page
 * end to end: gnomond's publisher writes it, libgnomon reads the virtual
 * clock's time from it, and sees the daemon gone after close.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib.h"
#include "publish.h"

#define S  1000000000LL
#define T0 (1700000000LL * S)

static struct gn_port port;
static struct gn_clock clk;

/* A slave clock (port 1 SLAVE, servo s2, PI) following master 0x11... */
static void clock_slave(void)
{
	memset(&clk, 0, sizeof(clk));
	memset(&port, 0, sizeof(port));
	clk.ports = &port;
	clk.nports = 1;
	clk.slave_port = 0;
	port.ds.state = GN_PS_SLAVE;
	memset(clk.dds.identity.id, 0x22, 8);
	memset(clk.pds.parent_port.clock.id, 0x11, 8);
	clk.pds.parent_port.port = 1;
	clk.pds.gm_identity = clk.pds.parent_port.clock;
	clk.servo.cfg.type = GN_SERVO_PI;
	clk.servo_state = GN_SERVO_LOCKED;
	clk.dds.quality.clock_class = 255;
}

static void sample(int64_t ingress, int64_t offset)
{
	clk.have_offset = true;
	clk.last_ingress_ns = ingress;
	clk.last_offset_ns = offset;
}

static void lose_master(void)
{
	clk.slave_port = -1;
	port.ds.state = GN_PS_LISTENING;
	clk.pds.parent_port.clock = clk.dds.identity;
	clk.pds.parent_port.port = 0;
}

/* Error 100 ns + 50 ppb * t, nothing steers: ten samples 1 s apart
 * (of the master's time). */
static void feed_line(struct gn_bound *b, struct gn_bound_result *r)
{
	int k;

	for (k = 0; k < 10; k++) {
		/* the master's time T0 + k s; the clock reads error more */
		sample(T0 + k * S + 100 + 50 * k, 100 + 50 * k);
		gn_bound_update(b, &clk, T0 + k * S + 100 + 50 * k, 0.0, r);
	}
}

static void test_line(void **state)
{
	struct gn_bound_config cfg;
	struct gn_bound b;
	struct gn_bound_result r;

	(void)state;
	clock_slave();
	gn_bound_config_default(&cfg);
	cfg.hw_stamping = true;
	cfg.asymmetry_ns = 0;
	gn_bound_init(&b, &cfg);
	feed_line(&b, &r);
	assert_int_equal(r.state, GN_PAGE_LOCKED);
	assert_int_equal(r.fit.n, 10);
	assert_true(fabs(r.fit.r_ppb - 50.0) < 1e-9);
	assert_true(fabs(r.fit.e_ns - 550.0) < 1e-6);
	/* No residual: the 4 ns floor of hardware stamping. */
	assert_true(fabs(r.fit.sigma_ns - 4.0) < 1e-12);
	/* stat = 4 * 4 * sqrt(1/10 + 4.5^2 / 82.5) + 4 + 50 ppb * 4 s
	 *      = 13.404 + 4 + 200;  bound = 550 + 217.404 + 10 (resolution)
	 * = 773.404 -> 774. */
	assert_true(fabs(r.fit.delay_drift_ns - 200.0) < 1e-4);
	assert_true(fabs(r.fit.stat_ns - 213.40406101832414) < 1e-4);
	assert_int_equal(r.bound_ns, 774);
	/* growth = 50 + 4 * 4 / sqrt(82.5) + 1 (floor) ppb */
	assert_true(fabs(r.growth_ppb - 52.76154202420218) < 1e-9);
	/* Nothing learnt about wander yet: 1 ppm once stale. */
	assert_true(fabs(r.stale_growth_ppb - 1052.761542024202) < 1e-9);

	/* The master goes: HOLDOVER one tick later, the bound continues
	 * from 774 at 52.76 ppb and then grows at r + 4 sd + 1000 ppb. */
	lose_master();
	gn_bound_update(&b, &clk, T0 + 10 * S + 600, 0.0, &r);
	assert_int_equal(r.state, GN_PAGE_HOLDOVER);
	assert_int_equal(r.bound_ns, 827);
	assert_true(fabs(r.growth_ppb - 1051.761542024202) < 1e-9);
	gn_bound_update(&b, &clk, T0 + 12 * S + 600, 0.0, &r);
	assert_int_equal(r.state, GN_PAGE_HOLDOVER);
	assert_int_equal(r.bound_ns,
			 (uint64_t)ceil(827 + 2 * 1051.761542024202));

	/* Configured holdover growth: 100 ppb instead of the default. */
	clock_slave();
	cfg.holdover_ppb = 100;
	gn_bound_init(&b, &cfg);
	feed_line(&b, &r);
	lose_master();
	gn_bound_update(&b, &clk, T0 + 10 * S + 600, 0.0, &r);
	assert_int_equal(r.state, GN_PAGE_HOLDOVER);
	assert_true(fabs(r.growth_ppb - 151.76154202420219) < 1e-9);
}

/* The automatic asymmetry allowance is |mean path delay|. */
static void test_asymmetry(void **state)
{
	struct gn_bound_config cfg;
	struct gn_bound b;
	struct gn_bound_result r;

	(void)state;
	clock_slave();
	clk.cds.mean_path_delay_ns = -3000;
	gn_bound_config_default(&cfg);
	cfg.hw_stamping = true;
	gn_bound_init(&b, &cfg);
	feed_line(&b, &r);
	assert_int_equal(r.bound_ns, 774 + 3000);
	cfg.asymmetry_ns = 250;
	gn_bound_init(&b, &cfg);
	feed_line(&b, &r);
	assert_int_equal(r.bound_ns, 774 + 250);
}

/*
 * A servo steers and steps the clock; samples are exact. The observer
 * must see through it: the residual frequency is the oscillator's plus
 * the adjustment now, the estimated error the true one.
 */
static void test_observer_through_servo(void **state)
{
	const double fn = 20000.0; /* oscillator: 20 ppm fast */
	struct gn_bound_config cfg;
	struct gn_bound b;
	struct gn_bound_result r;
	double e = 3e6, adj = 0.0; /* true error (ns), adjustment (ppb) */
	int64_t tau = T0;	   /* true time */
	int k;

	(void)state;
	clock_slave();
	gn_bound_config_default(&cfg);
	cfg.hw_stamping = true;
	gn_bound_init(&b, &cfg);
	for (k = 0; k < 40; k++) {
		int64_t off = (int64_t)llround(e);

		/* ingress at true tau: the clock reads tau + e */
		sample(tau + off, off);
		clk.servo_state = k < 2 ? GN_SERVO_UNLOCKED : GN_SERVO_LOCKED;
		/* 1 us later the servo acts */
		tau += 1000;
		e += (fn + adj) * 1000 * 1e-9;
		if (k == 2) {
			clk.servo_state = GN_SERVO_JUMP;
			e -= (double)off;
			adj = -fn + 3.0;
		} else if (k > 2) {
			adj = -fn - 0.5 * (double)off;
		}
		gn_bound_update(&b, &clk, tau + (int64_t)llround(e), adj, &r);
		if (getenv("GN_TEST_VERBOSE"))
			print_message(
			    "k %d r %.4f want %.4f e %.3f want %.3f n %u\n", k,
			    r.fit.r_ppb, fn + adj, r.fit.e_ns, e, r.fit.n);
		/* Offsets are whole ns: +-0.5 ns of noise on the fit. */
		if (k >= 12) {
			assert_true(fabs(r.fit.r_ppb - (fn + adj)) < 0.1);
			assert_true(fabs(r.fit.e_ns - e) < 1.0);
		}
		/* the rest of the second */
		tau += S - 1000;
		e += (fn + adj) * (double)(S - 1000) * 1e-9;
	}
	assert_int_equal(r.state, GN_PAGE_LOCKED);
	/* Exact samples: the bound is the floor-level statistics plus the
	 * delay drift of the largest past frequency error in the window
	 * (20 ppm while unlocked has left it by now). */
	assert_true(r.bound_ns < 200);
	assert_true(r.bound_ns >= (uint64_t)fabs(e));
}

static void test_states(void **state)
{
	struct gn_bound b;
	struct gn_bound_result r;

	(void)state;
	/* Listening, no master: free-running, bound unknown. */
	clock_slave();
	lose_master();
	gn_bound_init(&b, NULL);
	gn_bound_update(&b, &clk, T0, 0.0, &r);
	assert_int_equal(r.state, GN_PAGE_FREERUN);
	assert_true(r.bound_ns == GN_PAGE_BOUND_UNKNOWN);
	/* Grandmaster: its time is the domain's; the state says whether
	 * a primary source backs it (clockClass 6 / 7 / 248). */
	port.ds.state = GN_PS_MASTER;
	clk.dds.quality.clock_class = 248;
	gn_bound_update(&b, &clk, T0, 0.0, &r);
	assert_int_equal(r.state, GN_PAGE_FREERUN);
	assert_int_equal(r.bound_ns, 0);
	clk.dds.quality.clock_class = 6;
	gn_bound_update(&b, &clk, T0, 0.0, &r);
	assert_int_equal(r.state, GN_PAGE_LOCKED);
	assert_int_equal(r.bound_ns, 0);
	clk.dds.quality.clock_class = 7;
	gn_bound_update(&b, &clk, T0, 0.0, &r);
	assert_int_equal(r.state, GN_PAGE_HOLDOVER);
	/* A slave that only measures (free_running): FREERUN with the
	 * bound of its known error. */
	clock_slave();
	clk.cfg.free_running = true;
	gn_bound_init(&b, NULL);
	feed_line(&b, &r);
	assert_int_equal(r.state, GN_PAGE_FREERUN);
	assert_true(r.bound_ns != GN_PAGE_BOUND_UNKNOWN);
	assert_true(r.bound_ns >= 550);
	/* Following but the servo is not locked yet: LOCKING. */
	clock_slave();
	gn_bound_init(&b, NULL);
	clk.servo_state = GN_SERVO_UNLOCKED;
	feed_line(&b, &r);
	assert_int_equal(r.state, GN_PAGE_LOCKING);
	/* Samples stop while the port stays SLAVE: not fresh after 2 s. */
	clock_slave();
	gn_bound_init(&b, NULL);
	feed_line(&b, &r);
	assert_int_equal(r.state, GN_PAGE_LOCKED);
	gn_bound_update(&b, &clk, T0 + 10 * S, 0.0, &r);
	assert_int_equal(r.state, GN_PAGE_LOCKED);
	gn_bound_update(&b, &clk, T0 + 14 * S, 0.0, &r);
	assert_int_equal(r.state, GN_PAGE_HOLDOVER); /* 4 spacings */
	/* A new master: the history is dropped (LOCKING until N_LOCK). */
	memset(clk.pds.parent_port.clock.id, 0x33, 8);
	sample(T0 + 15 * S, 10);
	gn_bound_update(&b, &clk, T0 + 15 * S, 0.0, &r);
	assert_int_equal(r.state, GN_PAGE_LOCKING);
	assert_int_equal(r.fit.n, 1);
}

static void test_accuracy(void **state)
{
	(void)state;
	assert_int_equal(gn_clock_accuracy_ns(0x17), 1);
	assert_int_equal(gn_clock_accuracy_ns(0x1D), 1);
	assert_int_equal(gn_clock_accuracy_ns(0x1E), 3);
	assert_int_equal(gn_clock_accuracy_ns(0x20), 25);
	assert_int_equal(gn_clock_accuracy_ns(0x21), 100);
	assert_int_equal(gn_clock_accuracy_ns(0x22), 250);
	assert_int_equal(gn_clock_accuracy_ns(0x23), 1000);
	assert_int_equal(gn_clock_accuracy_ns(0x29), 1000000);
	assert_int_equal(gn_clock_accuracy_ns(0x2F), 1000000000);
	assert_int_equal(gn_clock_accuracy_ns(0x30), 10000000000ULL);
	assert_true(gn_clock_accuracy_ns(0x31) == UINT64_MAX);
	assert_true(gn_clock_accuracy_ns(0xFE) == UINT64_MAX);
	assert_true(gn_clock_accuracy_ns(0x16) == UINT64_MAX);
}

/* libgnomon's fixed-point mapping and the virtual clock's exact one
 * agree to a nanosecond over the page's freshness window. */
static void test_virtual_mapping_agrees(void **state)
{
	static const double ppb[] = {0.0, 50000.0, -499999.123, 1e7 + 0.5,
				     -3.000001};
	unsigned i;
	int64_t dl;

	(void)state;
	for (i = 0; i < sizeof(ppb) / sizeof(ppb[0]); i++) {
		struct gn_page_data d;
		int64_t raw_a = 123456789012LL, v_a = T0 + 20000000;

		memset(&d, 0, sizeof(d));
		d.anchor_local_ns = raw_a;
		d.anchor_clock_ns = v_a;
		d.rate_frac = gn_lib_frac_of_ppb(ppb[i]);
		for (dl = -S; dl <= 3 * S; dl += 7777777) {
			int64_t exact = gn_pclock_virtual_map(
			    v_a, raw_a, raw_a + dl, ppb[i]);
			int64_t lib = gn_lib_clock_at(&d, raw_a + dl);

			assert_true(llabs(exact - lib) <= 1);
		}
	}
}

static struct gn_config *config(const char *path)
{
	struct gn_config *cfg = gn_config_create();
	char err[256];

	assert_non_null(cfg);
	assert_int_equal(
	    gn_config_set_cmdline(cfg, "publish_path", path, err, sizeof(err)),
	    0);
	assert_int_equal(gn_config_set_cmdline(cfg, "clock_target", "virtual",
					       err, sizeof(err)),
			 0);
	assert_int_equal(gn_config_set_cmdline(cfg, "time_stamping", "software",
					       err, sizeof(err)),
			 0);
	return cfg;
}

/* gnomond's publisher writes the page, libgnomon reads the virtual
 * clock's time from it. */
static void test_page_end_to_end(void **state)
{
	char dir[] = "/tmp/gn-test-pub.XXXXXX", path[128], err[256];
	struct gn_publisher *pub;
	struct gn_publish_status ps;
	struct gn_pclock pc;
	struct gn_config *cfg;
	struct gn_status st;
	struct gn_time t;
	struct gnomon *g;
	struct stat sb;
	int64_t v1, v2;
	int i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sub/page", dir);
	cfg = config(path);
	pub = gn_publish_open(cfg, err, sizeof(err));
	assert_non_null(pub);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0644);
	assert_int_equal(sb.st_size, GN_PAGE_FILE_SIZE);
	/* Opened before the first publication: no data yet. */
	assert_int_equal(gn_open(path, &g), 0);
	assert_int_equal(gn_time_now(g, &t), -ENODATA);

	assert_int_equal(gn_pclock_open_virtual(&pc, 20000000, 50000.0), 0);
	clock_slave();
	clk.tpds.ptp_timescale = true;
	clk.tpds.current_utc_offset = 37;
	clk.tpds.current_utc_offset_valid = true;
	clk.tpds.time_source = 0x20;
	clk.pds.gm_quality.clock_accuracy = 0x21;
	clk.pds.gm_priority1 = 100;
	clk.cds.steps_removed = 1;
	clk.dds.domain = 24;
	for (i = 0; i < 10; i++) {
		sample(gn_pclock_now(&pc), 100);
		gn_publish_update(pub, &clk, &pc, GN_PUBLISH_SERVO);
	}
	for (i = 0; i < 100; i++) {
		v1 = gn_pclock_now(&pc);
		assert_int_equal(gn_time_now(g, &t), 0);
		v2 = gn_pclock_now(&pc);
		assert_true(t.tai_ns >= v1 - 1 && t.tai_ns <= v2 + 1);
		assert_int_equal(t.utc_ns, t.tai_ns - 37 * S);
	}
	assert_true(t.bound_ns != GN_BOUND_UNKNOWN);
	assert_true(t.flags & GN_TIME_UTC_VALID);
	assert_int_equal(gn_status(g, &st), 0);
	assert_int_equal(st.pid, getpid());
	assert_int_equal(st.local_clock, CLOCK_MONOTONIC_RAW);
	assert_int_equal(st.update_count, 10);
	assert_int_equal(st.domain, 24);
	assert_int_equal(st.time_source, 0x20);
	assert_int_equal(st.gm_accuracy_ns, 100);
	assert_int_equal(st.gm_priority1, 100);
	assert_int_equal(st.steps_removed, 1);
	assert_int_equal(st.gm_identity[0], 0x11);
	assert_int_equal(st.timescale, GN_PAGE_TS_TAI);
	assert_int_equal(gn_publish_status(pub, &ps), 0);
	assert_int_equal(ps.update_count, 10);
	assert_string_equal(ps.path, path);
	/* The clock steps: the library follows at the next publication. */
	gn_pclock_step(&pc, 5 * S);
	gn_publish_update(pub, &clk, &pc, GN_PUBLISH_TICK);
	v1 = gn_pclock_now(&pc);
	assert_int_equal(gn_time_now(g, &t), 0);
	assert_true(t.tai_ns >= v1 - 1 && t.tai_ns < v1 + S / 10);
	/* A clock that keeps UTC (the core's utc_timescale: system and
	 * virtual clocks): UTC is the clock, TAI 37 s ahead. */
	clk.cfg.utc_timescale = true;
	gn_publish_update(pub, &clk, &pc, GN_PUBLISH_TICK);
	v1 = gn_pclock_now(&pc);
	assert_int_equal(gn_time_now(g, &t), 0);
	v2 = gn_pclock_now(&pc);
	assert_true(t.utc_ns >= v1 - 1 && t.utc_ns <= v2 + 1);
	assert_int_equal(t.tai_ns, t.utc_ns + 37 * S);
	assert_int_equal(gn_status(g, &st), 0);
	assert_int_equal(st.timescale, GN_PAGE_TS_UTC);
	/* Close: the page is marked and removed; readers see it. */
	gn_publish_close(pub);
	assert_int_equal(gn_time_now(g, &t), -EOWNERDEAD);
	assert_true(t.flags & GN_TIME_DAEMON_GONE);
	assert_true(stat(path, &sb) < 0 && errno == ENOENT);
	gn_close(g);
	gn_config_destroy(cfg);
	snprintf(path, sizeof(path), "%s/sub", dir);
	rmdir(path);
	rmdir(dir);
}

static void test_page_off_and_errors(void **state)
{
	struct gn_publish_status ps;
	struct gn_publisher *pub;
	struct gn_config *cfg;
	char err[256];

	(void)state;
	/* Empty path: no page, the estimator runs. */
	cfg = config("");
	pub = gn_publish_open(cfg, err, sizeof(err));
	assert_non_null(pub);
	assert_int_equal(gn_publish_status(pub, &ps), 0);
	assert_null(ps.path);
	assert_true(ps.bound_ns == GN_PAGE_BOUND_UNKNOWN);
	gn_publish_close(pub);
	gn_config_destroy(cfg);
	/* A path given explicitly that cannot be made: an error. */
	cfg = config("/proc/gnomon-test/page");
	pub = gn_publish_open(cfg, err, sizeof(err));
	assert_null(pub);
	assert_non_null(strstr(err, "publish_path"));
	gn_config_destroy(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_line),
	    cmocka_unit_test(test_asymmetry),
	    cmocka_unit_test(test_observer_through_servo),
	    cmocka_unit_test(test_states),
	    cmocka_unit_test(test_accuracy),
	    cmocka_unit_test(test_virtual_mapping_agrees),
	    cmocka_unit_test(test_page_end_to_end),
	    cmocka_unit_test(test_page_off_and_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

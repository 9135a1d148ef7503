/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_dmeasure.c - clock comparison: the best-of-N arithmetic and the
 * kernel layouts (measure.c), the fake PHC's answers to the
 * PTP_SYS_OFFSET* ioctls and the method fallback of dclock.c, read-only
 * and max_adj handling, the fake system clock's kernel leap, fake clock
 * specifications, the PPS arithmetic, and the system clocks of -C/-s/-c
 * (names, auxiliary clocks, CLOCK_TAI). Values are hand-computed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dclock.h"
#include "dsync.h"
#include "dtest.h"
#include "measure.h"
#include "pps.h"

static void test_best_sandwich(void **state)
{
	const struct gn_sandwich s[] = {
	    {100, 40, 300}, {1000, 1020, 1050}, {2000, 1990, 2040}};
	const struct gn_sandwich back[] = {{500, 0, 400}, {0, 10, 100}};
	const struct gn_sandwich all_back[] = {{500, 0, 400}};
	const struct gn_sandwich tie[] = {{0, 10, 100}, {1000, 990, 1100}};
	struct gn_measurement m;

	(void)state;
	assert_int_equal(gn_measure_best(s, 3, &m), 0);
	assert_int_equal(m.offset_ns, 30); /* 2020 - 1990 */
	assert_int_equal(m.ts_ns, 2020);
	assert_int_equal(m.delay_ns, 40);
	/* A sandwich whose outer clock went back is not used. */
	assert_int_equal(gn_measure_best(back, 2, &m), 0);
	assert_int_equal(m.offset_ns, 40);
	assert_int_equal(m.delay_ns, 100);
	assert_int_equal(gn_measure_best(all_back, 1, &m), -EAGAIN);
	assert_int_equal(gn_measure_best(s, 0, &m), -EINVAL);
	/* Equal widths: the first. */
	assert_int_equal(gn_measure_best(tie, 2, &m), 0);
	assert_int_equal(m.offset_ns, 40);
	assert_int_equal(m.ts_ns, 50);
}

static void test_kernel_layouts(void **state)
{
	const int64_t basic[] = {1000, 900, 1100, 990, 1150};
	const int64_t ext[][3] = {{10, 5, 30}, {40, 33, 44}};
	struct gn_measurement m;

	(void)state;
	/* (1000, 900, 1100): width 100; (1100, 990, 1150): width 50, mid
	 * 1125, offset 135. */
	assert_int_equal(gn_measure_basic(basic, 2, &m), 0);
	assert_int_equal(m.offset_ns, 135);
	assert_int_equal(m.ts_ns, 1125);
	assert_int_equal(m.delay_ns, 50);
	assert_int_equal(gn_measure_extended(ext, 2, &m), 0);
	assert_int_equal(m.offset_ns, 9); /* 42 - 33 */
	assert_int_equal(m.ts_ns, 42);
	assert_int_equal(m.delay_ns, 4);
	gn_measure_precise(500, 800, &m);
	assert_int_equal(m.offset_ns, 300);
	assert_int_equal(m.ts_ns, 800);
	assert_int_equal(m.delay_ns, 0);
	assert_string_equal(gn_sysoff_method_str(GN_SYSOFF_EXTENDED),
			    "extended");
}

/* Base at 1000, +100 per read; S (system) starts at 5e9 with anchor 1000,
 * P (PHC) at 1e9 with anchor 1100: S - P = 4e9 + 100 at any raw time. */
#define S_MINUS_P 4000000100LL

struct pair {
	struct dt_base b;
	struct gn_fakeclock fs, fp;
	struct gn_dclock s, p;
};

static void pair_init(struct pair *x, unsigned methods)
{
	static const int64_t inc[] = {100};

	dt_base_init(&x->b, 1000, inc, 1);
	gn_fakeclock_init(&x->fs, "CLOCK_REALTIME", &x->b.fb, 5000000000LL,
			  0.0);
	x->fs.is_system = true;
	x->fs.is_utc = true;
	gn_fakeclock_init(&x->fp, "/dev/ptp7", &x->b.fb, 1000000000LL, 0.0);
	x->fp.phc_index = 7;
	x->fp.sysoff = methods;
	gn_dclock_open_fake(&x->s, &x->fs);
	gn_dclock_open_fake(&x->p, &x->fp);
}

static void test_sysoff_methods(void **state)
{
	struct pair x;
	struct gn_measurement m;
	enum gn_sysoff_method used;

	(void)state;
	/* Default fake: extended and basic; precise is tried first. */
	pair_init(&x, GN_FAKE_SYSOFF_DEFAULT);
	assert_int_equal(gn_dclock_compare(&x.p, &x.s, 5, &m, &used), 0);
	assert_int_equal(used, GN_SYSOFF_EXTENDED);
	assert_int_equal(m.offset_ns, S_MINUS_P);
	assert_int_equal(m.delay_ns, 200);
	assert_int_equal(x.p.sysoff_method, GN_SYSOFF_EXTENDED);

	pair_init(&x, GN_FAKE_SYSOFF(GN_SYSOFF_BASIC));
	assert_int_equal(gn_dclock_compare(&x.p, &x.s, 3, &m, &used), 0);
	assert_int_equal(used, GN_SYSOFF_BASIC);
	assert_int_equal(m.offset_ns, S_MINUS_P);
	assert_int_equal(m.delay_ns, 200);

	pair_init(&x, GN_FAKE_SYSOFF(GN_SYSOFF_PRECISE) |
			  GN_FAKE_SYSOFF(GN_SYSOFF_BASIC));
	assert_int_equal(gn_dclock_compare(&x.p, &x.s, 3, &m, &used), 0);
	assert_int_equal(used, GN_SYSOFF_PRECISE);
	assert_int_equal(m.offset_ns, S_MINUS_P);
	assert_int_equal(m.delay_ns, 0);

	/* No ioctl at all: clock reads. */
	pair_init(&x, 0);
	assert_int_equal(gn_dclock_compare(&x.p, &x.s, 4, &m, &used), 0);
	assert_int_equal(used, GN_SYSOFF_READ);
	assert_int_equal(m.offset_ns, S_MINUS_P);
	assert_int_equal(m.delay_ns, 200);

	/* More readings than the ioctls take: clock reads, as phc2sys. */
	pair_init(&x, GN_FAKE_SYSOFF_DEFAULT);
	assert_int_equal(gn_dclock_compare(&x.p, &x.s, 26, &m, &used), 0);
	assert_int_equal(used, GN_SYSOFF_READ);

	/* Reversed (the PHC is the sink): offset = PHC - sys, and the time
	 * stamp in the PHC's time. */
	pair_init(&x, GN_FAKE_SYSOFF_DEFAULT);
	assert_int_equal(gn_dclock_compare(&x.s, &x.p, 5, &m, &used), 0);
	assert_int_equal(used, GN_SYSOFF_EXTENDED);
	assert_int_equal(m.offset_ns, -S_MINUS_P);
	/* First sandwich: sys at raw 1200, 1400; mid S(1300) = 5e9 + 300,
	 * in P's time: 5e9 + 300 - S_MINUS_P = 1e9 + 200 = P(1300). */
	assert_int_equal(m.ts_ns, 1000000200LL);
}

static void test_best_of_n_with_jitter(void **state)
{
	/* Read delays 500, 500, then 30, 30, then 500...: the second
	 * sandwich (sys 30 apart) is the best. */
	static const int64_t inc[] = {500, 500, 30, 30, 500, 500};
	struct pair x;
	struct gn_measurement m;

	(void)state;
	pair_init(&x, GN_FAKE_SYSOFF(GN_SYSOFF_EXTENDED));
	dt_base_init(&x.b, 0, inc, 6);
	/* Rebase both clocks on the new script: S = 5e9 + raw, P = 1e9 +
	 * raw, so S - P = 4e9 exactly. */
	gn_fakeclock_init(&x.fs, "CLOCK_REALTIME", &x.b.fb, 5000000000LL, 0);
	x.fs.raw_anchor_ns = 0;
	x.fs.is_system = true;
	x.fs.is_utc = true;
	gn_fakeclock_init(&x.fp, "/dev/ptp7", &x.b.fb, 1000000000LL, 0);
	x.fp.raw_anchor_ns = 0;
	x.fp.sysoff = GN_FAKE_SYSOFF(GN_SYSOFF_EXTENDED);
	x.b.raw = 0;
	x.b.i = 0;
	assert_int_equal(gn_dclock_compare(&x.p, &x.s, 3, &m, NULL), 0);
	/* Reads: sys 0, phc 500, sys 1000 | sys 1030, phc 1060, sys 1560 |
	 * ... widths 1000, 530, 1000 -> the second: mid 1295. */
	assert_int_equal(m.delay_ns, 530);
	assert_int_equal(m.offset_ns, 4000000000LL + 1295 - 1060);
}

static void test_read_only_and_limits(void **state)
{
	struct pair x;
	double ppb;

	(void)state;
	pair_init(&x, GN_FAKE_SYSOFF_DEFAULT);
	/* Clamped to max_adj (500 ppm for fakes). */
	assert_int_equal(gn_dclock_adjfreq(&x.p, 600000.0), 0);
	assert_int_equal(gn_dclock_get_freq(&x.p, &ppb), 0);
	assert_true(ppb == 500000.0);
	assert_int_equal(gn_dclock_step(&x.p, -2500), 0);
	assert_int_equal(x.fp.steps, 1);
	assert_int_equal(x.fp.last_step_ns, -2500);
	/* A read-only clock (ptp_kvm): never adjusted. */
	x.fp.read_only = true;
	gn_dclock_open_fake(&x.p, &x.fp);
	assert_true(x.p.read_only);
	assert_int_equal(gn_dclock_adjfreq(&x.p, 10.0), -EPERM);
	assert_int_equal(gn_dclock_step(&x.p, 10), -EPERM);
	assert_int_equal(x.fp.adjustments, 1);
	assert_int_equal(x.fp.steps, 1);
	/* Leap seconds only on system clocks. */
	assert_int_equal(gn_dclock_set_leap(&x.p, 1), -EOPNOTSUPP);
	assert_int_equal(gn_dclock_set_tai(&x.p, 37), -EOPNOTSUPP);
}

#define DAY_NS (86400LL * 1000000000LL)

static void test_fake_kernel_leap(void **state)
{
	struct dt_base b;
	struct gn_fakeclock f;
	struct gn_dclock c;
	int64_t t;

	(void)state;
	dt_base_init(&b, 0, NULL, 0);
	/* 2016-12-31 23:59:59.5 UTC (day 17166). */
	gn_fakeclock_init(&f, "CLOCK_REALTIME", &b.fb,
			  17167 * DAY_NS - 500000000LL, 0.0);
	f.is_system = true;
	f.is_utc = true;
	gn_dclock_open_fake(&c, &f);
	assert_int_equal(gn_dclock_set_leap(&c, 1), 0);
	assert_int_equal(f.leap_at_ns, 17167 * DAY_NS);
	b.raw = 400000000; /* 23:59:59.9 */
	assert_int_equal(gn_dclock_now(&c, &t), 0);
	assert_int_equal(t, 17167 * DAY_NS - 100000000LL);
	b.raw = 600000000; /* would be 00:00:00.1: played as 23:59:59.1 */
	gn_dclock_now(&c, &t);
	assert_int_equal(t, 17167 * DAY_NS - 900000000LL);
	assert_int_equal(f.leaps_applied, 1);
	assert_int_equal(f.tai_offset_s, 1);
	b.raw = 1600000000; /* one second later: 00:00:00.1 */
	gn_dclock_now(&c, &t);
	assert_int_equal(t, 17167 * DAY_NS + 100000000LL);

	/* Deletion: 23:59:59 is skipped. */
	gn_fakeclock_init(&f, "CLOCK_REALTIME", &b.fb,
			  17167 * DAY_NS - 1500000000LL, 0.0);
	f.is_system = true;
	f.is_utc = true;
	b.raw = 0;
	f.raw_anchor_ns = 0;
	assert_int_equal(gn_fakeclock_set_leap(&f, -1), 0);
	b.raw = 600000000; /* 23:59:59.1 -> 00:00:00.1 */
	assert_int_equal(gn_fakeclock_now(&f), 17167 * DAY_NS + 100000000LL);
	assert_int_equal(f.tai_offset_s, -1);
}

static void test_fakeset_spec(void **state)
{
	struct gn_fakeset set;
	char err[160];
	struct gn_fakeclock *f;

	(void)state;
	memset(&set, 0, sizeof(set));
	assert_int_equal(
	    gn_fakeset_parse(&set,
			     "CLOCK_REALTIME=0,/dev/ptp3=1000:50:rp,"
			     "eth0=-5",
			     err, sizeof(err)),
	    0);
	assert_int_equal(set.n, 3);
	f = gn_fakeset_find(&set, "CLOCK_REALTIME");
	assert_non_null(f);
	assert_true(f->is_system);
	assert_int_equal(f->phc_index, -1);
	f = gn_fakeset_find_index(&set, 3);
	assert_non_null(f);
	assert_string_equal(f->name, "/dev/ptp3");
	assert_true(f->read_only);
	assert_true(f->intrinsic_ppb == 50.0);
	assert_int_equal(f->sysoff, GN_FAKE_SYSOFF(GN_SYSOFF_PRECISE));
	f = gn_fakeset_find(&set, "eth0");
	assert_int_equal(f->phc_index, 1002);
	assert_int_equal(f->sysoff, GN_FAKE_SYSOFF_DEFAULT);

	memset(&set, 0, sizeof(set));
	assert_int_equal(gn_fakeset_parse(&set, "eth0", err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "fake clock 'eth0': expected NAME=OFFSET_NS");
	memset(&set, 0, sizeof(set));
	assert_int_equal(
	    gn_fakeset_parse(&set, "eth0=1,eth0=2", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "fake clock 'eth0=2': named twice");
	memset(&set, 0, sizeof(set));
	assert_int_equal(gn_fakeset_parse(&set, "eth0=1:0:z", err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "fake clock 'eth0=1:0:z': bad flag");
	memset(&set, 0, sizeof(set));
	assert_int_equal(gn_fakeset_parse(&set, "eth0=1x", err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "fake clock 'eth0=1x': trailing characters");
}

/* -C and the system clocks: names, what may be steered, auxiliary
 * clocks (not UTC: no leap second, no TAI offset, only _EXTENDED among
 * the ioctls), CLOCK_TAI read only. All fakes: no kernel clock is set. */
static void test_system_clocks(void **state)
{
	static const int64_t inc[] = {10};
	struct gn_dsync_config dc;
	struct gn_dsync_sink sink;
	struct gn_tprops tp = {
	    .utc_offset_s = 37, .leap = 1, .utc_offset_traceable = true};
	struct gn_measurement m;
	enum gn_sysoff_method used;
	struct gn_dclock a, p, c;
	struct gn_fakeset set;
	struct dt_log lg;
	struct dt_base b;
	clockid_t id = -1;
	bool st = false;
	char err[200];
	int rc;

	(void)state;
	assert_int_equal(gn_dclock_system_id("CLOCK_REALTIME", &id, &st), 0);
	assert_int_equal(id, CLOCK_REALTIME);
	assert_true(st);
	assert_int_equal(gn_dclock_system_id("clock_realtime", &id, &st), 0);
	assert_int_equal(gn_dclock_system_id("CLOCK_AUX0", &id, &st), 0);
	assert_int_equal(id, 16);
	assert_true(st);
	assert_int_equal(gn_dclock_system_id("CLOCK_AUX7", &id, &st), 0);
	assert_int_equal(id, 23);
	assert_int_equal(gn_dclock_system_id("CLOCK_TAI", &id, &st), 0);
	assert_int_equal(id, CLOCK_TAI);
	assert_false(st);
	assert_int_equal(gn_dclock_system_id("CLOCK_AUX8", &id, &st), -EINVAL);
	assert_int_equal(gn_dclock_system_id("CLOCK_AUX", &id, &st), -EINVAL);
	assert_int_equal(gn_dclock_system_id("CLOCK_AUX01", &id, &st), -EINVAL);
	assert_int_equal(gn_dclock_system_id("CLOCK_MONOTONIC", &id, &st),
			 -EINVAL);
	assert_int_equal(gn_dclock_system_id("eth0", &id, &st), -ENOENT);
	assert_int_equal(gn_dclock_system_id("/dev/ptp0", &id, &st), -ENOENT);
	assert_true(gn_dclock_is_system_name("CLOCK_AUX3"));
	assert_false(gn_dclock_is_system_name("CLOCK_TAI"));
	assert_false(gn_dclock_is_system_name("CLOCK_BOOTTIME"));

	/* The real clocks: opened, never adjusted here. CLOCK_REALTIME,
	 * as linuxptp, reaches 10 % beyond the kernel's tolerance (500
	 * ppm) through the tick (USER_HZ ticks, each within 10 %); the
	 * split itself is test_pclock's test_tick_freq_split. */
	assert_int_equal(
	    gn_dclock_open(&c, "CLOCK_REALTIME", NULL, err, sizeof(err)), 0);
	assert_true(c.is_utc);
	assert_int_equal(c.user_hz, sysconf(_SC_CLK_TCK));
	assert_int_equal(c.nominal_tick_us, 1000000 / c.user_hz);
	assert_true(c.max_adj_ppb == 500000.0 + 1e8);
	gn_dclock_close(&c);
	assert_int_equal(
	    gn_dclock_open(&c, "CLOCK_MONOTONIC", NULL, err, sizeof(err)),
	    -EINVAL);
	assert_string_equal(err, "CLOCK_MONOTONIC: not a clock gnomon "
				 "synchronizes (CLOCK_REALTIME, "
				 "CLOCK_AUX0..CLOCK_AUX7, CLOCK_TAI as a "
				 "source)");
	assert_int_equal(
	    gn_dclock_open(&c, "CLOCK_TAI", NULL, err, sizeof(err)), 0);
	assert_true(c.is_system);
	assert_false(c.is_utc);
	assert_true(c.read_only);
	assert_int_equal(gn_dclock_adjfreq(&c, 1.0), -EPERM);
	assert_int_equal(gn_dclock_step(&c, 1), -EPERM);
	assert_int_equal(gn_dclock_set_tai(&c, 37), -EOPNOTSUPP);
	gn_dclock_close(&c);
	/* An auxiliary clock exists only where the kernel (6.17+) has it
	 * enabled; either way the answer is exact. */
	rc = gn_dclock_open(&c, "CLOCK_AUX7", NULL, err, sizeof(err));
	if (rc) {
		assert_string_equal(err,
				    "CLOCK_AUX7: not available on this system");
	} else {
		assert_false(c.is_utc);
		assert_false(c.read_only);
		gn_dclock_close(&c);
	}

	/* Fakes: CLOCK_AUX0 and a PHC answering every ioctl method. */
	memset(&set, 0, sizeof(set));
	dt_base_init(&b, 0, inc, 1);
	set.base = b.fb;
	assert_int_equal(gn_fakeset_parse(&set,
					  "CLOCK_AUX0=1000,/dev/ptp1=0:0:peb,"
					  "CLOCK_TAI=0,/dev/ptp2=0:0:p",
					  err, sizeof(err)),
			 0);
	gn_dclock_open_fake(&a, gn_fakeset_find(&set, "CLOCK_AUX0"));
	assert_true(a.is_system);
	assert_false(a.is_utc);
	assert_false(a.read_only);
	assert_int_equal(gn_dclock_set_leap(&a, 1), -EOPNOTSUPP);
	assert_int_equal(gn_dclock_set_tai(&a, 37), -EOPNOTSUPP);
	assert_int_equal(gn_dclock_set_sync(&a), -EOPNOTSUPP);
	gn_dclock_open_fake(&c, gn_fakeset_find(&set, "CLOCK_TAI"));
	assert_true(c.read_only);
	assert_false(c.is_utc);
	/* Against an auxiliary clock only _EXTENDED, even where the PHC
	 * answers PTP_SYS_OFFSET_PRECISE; without it, sandwiches. */
	gn_dclock_open_fake(&p, gn_fakeset_find_index(&set, 1));
	assert_int_equal(gn_dclock_compare(&p, &a, 3, &m, &used), 0);
	assert_int_equal(used, GN_SYSOFF_EXTENDED);
	gn_dclock_open_fake(&p, gn_fakeset_find_index(&set, 2));
	assert_int_equal(gn_dclock_compare(&p, &a, 3, &m, &used), 0);
	assert_int_equal(used, GN_SYSOFF_READ);

	/* The auxiliary clock as a sink of a PHC (both TAI): no UTC
	 * offset, no leap second armed, no TAI offset, whatever the
	 * grandmaster says. */
	gn_dclock_open_fake(&p, gn_fakeset_find_index(&set, 1));
	dt_log_init(&lg);
	gn_dsync_config_default(&dc);
	gn_dsync_sink_init(&sink, &a, &dc);
	assert_int_equal(gn_dsync_update(&dc, &sink, &p, &tp, "phc", &lg.log),
			 0);
	assert_true(llabs(sink.last_offset_ns - 1000) < 100);
	assert_int_equal(a.fake->tai_offset_s, 0);
	assert_int_equal(a.fake->leap_armed, 0);
	assert_int_equal(dt_find_sub(&lg, 0, "leap"), -1);
}

static void test_pps_arithmetic(void **state)
{
	int64_t off;

	(void)state;
	assert_int_equal(gn_pps_offset(5000000300LL), 300);
	assert_int_equal(gn_pps_offset(5999999000LL), -1000);
	assert_int_equal(gn_pps_offset(5500000000LL), 500000000);
	assert_int_equal(gn_pps_offset(5500000001LL), -499999999);
	assert_int_equal(gn_pps_offset(-300), -300);
	/* The PHC read 3 ms into its second 47: the pulse was at 47 s. */
	assert_int_equal(gn_pps_phc_offset(10000000250LL, 47003000000LL, &off),
			 0);
	assert_int_equal(off, 10000000250LL - 47000000000LL);
	/* 20 ms into the second: out of step. */
	assert_int_equal(gn_pps_phc_offset(10000000250LL, 47020000000LL, &off),
			 -EAGAIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_best_sandwich),
	    cmocka_unit_test(test_kernel_layouts),
	    cmocka_unit_test(test_sysoff_methods),
	    cmocka_unit_test(test_best_of_n_with_jitter),
	    cmocka_unit_test(test_read_only_and_limits),
	    cmocka_unit_test(test_fake_kernel_leap),
	    cmocka_unit_test(test_fakeset_spec),
	    cmocka_unit_test(test_system_clocks),
	    cmocka_unit_test(test_pps_arithmetic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

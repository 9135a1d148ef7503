/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_pclock.c - the clocks of src/platform/pclock.c without privileges:
 * the virtual clock (start offset, intrinsic frequency, continuity at
 * adjfreq, step, mapping of software stamps, offset measurement), its
 * exact integer mapping on synthetic inputs, and read-only views of the
 * system clock. Never adjusts a kernel clock.
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
#include <time.h>
#include <unistd.h>

#include "pclock.h"

#define NS_PER_S  1000000000LL
#define NS_PER_MS 1000000LL

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	assert_int_equal(clock_gettime(id, &ts), 0);
	return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * NS_PER_MS};

	while (nanosleep(&ts, &ts) != 0)
		;
}

/* The virtual clock and CLOCK_MONOTONIC_RAW at one instant: the
 * narrowest of a few raw/virtual/raw sandwiches. */
static void virtual_vs_raw(struct gn_pclock *c, int64_t *v, int64_t *raw)
{
	int64_t best = INT64_MAX;
	int i;

	for (i = 0; i < 20; i++) {
		int64_t r1 = clock_ns(CLOCK_MONOTONIC_RAW);
		int64_t vv = gn_pclock_now(c);
		int64_t r2 = clock_ns(CLOCK_MONOTONIC_RAW);

		if (r2 - r1 < best) {
			best = r2 - r1;
			*v = vv;
			*raw = r1 + (r2 - r1) / 2;
		}
	}
}

/* CLOCK_REALTIME and CLOCK_MONOTONIC_RAW at one instant. */
static void realtime_vs_raw(int64_t *rt, int64_t *raw)
{
	int64_t best = INT64_MAX;
	int i;

	for (i = 0; i < 20; i++) {
		int64_t r1 = clock_ns(CLOCK_MONOTONIC_RAW);
		int64_t t = clock_ns(CLOCK_REALTIME);
		int64_t r2 = clock_ns(CLOCK_MONOTONIC_RAW);

		if (r2 - r1 < best) {
			best = r2 - r1;
			*rt = t;
			*raw = r1 + (r2 - r1) / 2;
		}
	}
}

static void assert_near(int64_t got, int64_t want, int64_t tol)
{
	if (llabs(got - want) > tol)
		fail_msg("got %lld, want %lld +- %lld (off by %lld)",
			 (long long)got, (long long)want, (long long)tol,
			 (long long)(got - want));
}

/* --- exact mapping, synthetic inputs --- */

static void test_map_ten_days_50ppm(void **state)
{
	const int64_t ten_days = 864000LL * NS_PER_S;

	(void)state;
	/* 8.64e14 ns * 50000e-9 = 43 200 000 000 ns exactly. */
	assert_int_equal(
	    gn_pclock_virtual_map(1000, 5000, 5000 + ten_days, 50000.0),
	    1000 + ten_days + 43200000000LL);
	assert_int_equal(
	    gn_pclock_virtual_map(1000, 5000, 5000 + ten_days, -50000.0),
	    1000 + ten_days - 43200000000LL);
	/* Backwards from the anchor too. */
	assert_int_equal(gn_pclock_virtual_map(0, ten_days, 0, 50000.0),
			 -ten_days - 43200000000LL);
}

static void test_map_fractional_ppb(void **state)
{
	const int64_t ten_days = 864000LL * NS_PER_S;

	(void)state;
	/* 8.64e14 * 12345.678901e-9 = 10666666570.464 -> 10666666570. */
	assert_int_equal(gn_pclock_virtual_map(0, 0, ten_days, 12345.678901),
			 ten_days + 10666666570LL);
	/* 1e-6 ppb is the resolution: 1 ns over 1e15 ns. */
	assert_int_equal(
	    gn_pclock_virtual_map(0, 0, 1000000000000000LL, 0.000001),
	    1000000000000001LL);
	assert_int_equal(
	    gn_pclock_virtual_map(0, 0, 1000000000000000LL, 0.0000004),
	    1000000000000000LL);
	/* Halves round up: 4.5 -> 5, -4.5 -> -4. */
	assert_int_equal(gn_pclock_virtual_map(0, 0, 3 * NS_PER_S, 1.5),
			 3 * NS_PER_S + 5);
	assert_int_equal(gn_pclock_virtual_map(0, 0, 3 * NS_PER_S, -1.5),
			 3 * NS_PER_S - 4);
	assert_int_equal(gn_pclock_virtual_map(0, 3 * NS_PER_S, 0, 1.5),
			 -3 * NS_PER_S - 4);
	/* 0.5 ns rounds up, -0.5 ns to 0. */
	assert_int_equal(gn_pclock_virtual_map(7, 0, NS_PER_S, 0.5),
			 7 + NS_PER_S + 1);
	assert_int_equal(gn_pclock_virtual_map(7, 0, NS_PER_S, -0.5),
			 7 + NS_PER_S);
}

static void test_map_monotonic_and_clamped(void **state)
{
	int64_t prev, v, d;

	(void)state;
	/* Steps of 1 ns never go backwards, even at -99.9999 %. */
	prev = gn_pclock_virtual_map(0, 0, -1000, -999999.0 * 1000);
	for (d = -999; d <= 1000; d++) {
		v = gn_pclock_virtual_map(0, 0, d, -999999.0 * 1000);
		assert_true(v >= prev);
		prev = v;
	}
	/* Out of range and NaN rates are clamped / ignored. */
	assert_int_equal(gn_pclock_virtual_map(0, 0, NS_PER_S, 2e9),
			 NS_PER_S + 999999999);
	assert_int_equal(gn_pclock_virtual_map(0, 0, NS_PER_S, -2e9),
			 NS_PER_S - 999999999);
	assert_int_equal(gn_pclock_virtual_map(5, 0, NS_PER_S, NAN),
			 5 + NS_PER_S);
}

/* --- the virtual clock, live --- */

static void test_virtual_start_offset(void **state)
{
	struct gn_pclock c;
	int64_t t1, v, t2, off, delay;

	(void)state;
	assert_int_equal(gn_pclock_open_virtual(&c, 20 * NS_PER_MS, 0.0), 0);
	assert_int_equal(c.kind, GN_PCLOCK_VIRTUAL);
	assert_true(c.max_adj_ppb == GN_PCLOCK_VIRTUAL_MAX_ADJ_PPB);
	t1 = clock_ns(CLOCK_REALTIME);
	v = gn_pclock_now(&c);
	t2 = clock_ns(CLOCK_REALTIME);
	/* now - realtime == the offset, to within a few microseconds. */
	assert_true(v >= t1 + 20 * NS_PER_MS - 3000);
	assert_true(v <= t2 + 20 * NS_PER_MS + 3000);
	assert_int_equal(gn_pclock_offset_from_realtime(&c, 10, &off, &delay),
			 0);
	assert_near(off, 20 * NS_PER_MS, 3000);
	assert_true(delay > 0 && delay < 200000);
	print_message("virtual clock: offset %lld ns (want 20000000), "
		      "sandwich %lld ns\n",
		      (long long)off, (long long)delay);

	assert_int_equal(gn_pclock_open_virtual(&c, -7 * NS_PER_MS, 0.0), 0);
	assert_int_equal(gn_pclock_offset_from_realtime(&c, 10, &off, NULL), 0);
	assert_near(off, -7 * NS_PER_MS, 3000);
	gn_pclock_close(&c);
}

static void test_virtual_rejects_bad_freq(void **state)
{
	struct gn_pclock c;

	(void)state;
	assert_int_equal(gn_pclock_open_virtual(&c, 0, 500001.0), -EINVAL);
	assert_int_equal(gn_pclock_open_virtual(&c, 0, -600000.0), -EINVAL);
	assert_int_equal(gn_pclock_open_virtual(&c, 0, NAN), -EINVAL);
	assert_int_equal(gn_pclock_open_virtual(&c, 0, INFINITY), -EINVAL);
	assert_int_equal(gn_pclock_open_virtual(&c, 0, 500000.0), 0);
}

static void test_virtual_intrinsic_frequency(void **state)
{
	struct gn_pclock c;
	int64_t v0, r0, v1, r1, rt0, rw0, rt1, rw1, off0, off1;
	int64_t draw, want;

	(void)state;
	assert_int_equal(gn_pclock_open_virtual(&c, 0, 50000.0), 0);
	virtual_vs_raw(&c, &v0, &r0);
	realtime_vs_raw(&rt0, &rw0);
	assert_int_equal(gn_pclock_offset_from_realtime(&c, 10, &off0, NULL),
			 0);
	sleep_ms(100);
	virtual_vs_raw(&c, &v1, &r1);
	realtime_vs_raw(&rt1, &rw1);
	assert_int_equal(gn_pclock_offset_from_realtime(&c, 10, &off1, NULL),
			 0);
	/* Against its base: 50 ppm of ~100 ms = ~5000 ns. */
	draw = r1 - r0;
	assert_true(draw >= 100 * NS_PER_MS);
	want = draw + draw / 20000;
	assert_near(v1 - v0, want, 300);
	/* Against CLOCK_REALTIME: the same, less whatever the host's NTP
	 * makes CLOCK_REALTIME gain on CLOCK_MONOTONIC_RAW meanwhile. */
	want = (rw1 - rw0) / 20000 - ((rt1 - rt0) - (rw1 - rw0));
	assert_near(off1 - off0, want, 1000);
	/* The intrinsic error is invisible to the servo. */
	assert_true(gn_pclock_read_freq(&c) == 0.0);
	print_message("virtual clock +50 ppm: gained %lld ns on RAW over "
		      "%lld ns (want %lld)\n",
		      (long long)(v1 - v0 - draw), (long long)draw,
		      (long long)(draw / 20000));
}

static void test_virtual_adjfreq_continuous(void **state)
{
	struct gn_pclock c;
	int64_t ra, vb, va, rb, v0, r0, v1, r1, draw;

	(void)state;
	assert_int_equal(gn_pclock_open_virtual(&c, 0, 0.0), 0);
	/* Let time pass: re-anchoring wrongly would jump by
	 * 200 ms * 400 ppm = 80 us. */
	sleep_ms(200);
	ra = clock_ns(CLOCK_MONOTONIC_RAW);
	vb = gn_pclock_now(&c);
	assert_int_equal(gn_pclock_adjfreq(&c, 400000.0), 0);
	va = gn_pclock_now(&c);
	rb = clock_ns(CLOCK_MONOTONIC_RAW);
	assert_true(va >= vb);
	assert_true(va - vb <= (rb - ra) + (rb - ra) / 2000 + 100);
	assert_true(gn_pclock_read_freq(&c) == 400000.0);
	assert_true(c.freq_ppb == 400000.0);

	/* The new rate holds from there on: 400 ppm of 100 ms = 40 us. */
	virtual_vs_raw(&c, &v0, &r0);
	sleep_ms(100);
	virtual_vs_raw(&c, &v1, &r1);
	draw = r1 - r0;
	assert_near(v1 - v0, draw + draw * 4 / 10000, 300);

	/* Clamped to +-max_adj_ppb; NaN refused. */
	assert_int_equal(gn_pclock_adjfreq(&c, 1e9), 0);
	assert_true(gn_pclock_read_freq(&c) == 500000.0);
	assert_int_equal(gn_pclock_adjfreq(&c, -1e9), 0);
	assert_true(gn_pclock_read_freq(&c) == -500000.0);
	assert_int_equal(gn_pclock_adjfreq(&c, NAN), -EINVAL);
	assert_true(gn_pclock_read_freq(&c) == -500000.0);
}

static void test_virtual_step(void **state)
{
	struct gn_pclock c;
	int64_t off0, off1, off2;

	(void)state;
	assert_int_equal(gn_pclock_open_virtual(&c, 0, 0.0), 0);
	assert_int_equal(gn_pclock_offset_from_realtime(&c, 10, &off0, NULL),
			 0);
	assert_int_equal(gn_pclock_step(&c, 1500 * NS_PER_MS), 0);
	assert_int_equal(gn_pclock_offset_from_realtime(&c, 10, &off1, NULL),
			 0);
	assert_near(off1 - off0, 1500 * NS_PER_MS, 2000);
	assert_int_equal(gn_pclock_step(&c, -2500 * NS_PER_MS - 7), 0);
	assert_int_equal(gn_pclock_offset_from_realtime(&c, 10, &off2, NULL),
			 0);
	assert_near(off2 - off0, -1000 * NS_PER_MS - 7, 2000);
	/* A step changes no frequency. */
	assert_true(gn_pclock_read_freq(&c) == 0.0);
}

static void test_from_realtime(void **state)
{
	struct gn_pclock sys, c;
	int64_t rt, m0, m1, off;

	(void)state;
	assert_int_equal(gn_pclock_open_system(&sys), 0);
	assert_int_equal(gn_pclock_from_realtime(&sys, 0), 0);
	assert_int_equal(gn_pclock_from_realtime(&sys, 1234567890123456789LL),
			 1234567890123456789LL);
	assert_int_equal(gn_pclock_from_realtime(&sys, -5), -5);

	/* A virtual clock 20 ms ahead: a stamp taken now maps to now + 20
	 * ms, plus what 50 ppm has added since the clock started. */
	assert_int_equal(gn_pclock_open_virtual(&c, 20 * NS_PER_MS, 50000.0),
			 0);
	sleep_ms(100);
	rt = clock_ns(CLOCK_REALTIME);
	m0 = gn_pclock_from_realtime(&c, rt);
	assert_int_equal(gn_pclock_offset_from_realtime(&c, 10, &off, NULL), 0);
	assert_near(m0 - rt, off, 2000);
	assert_true(off > 20 * NS_PER_MS + 3000);
	/* 10 ms earlier in CLOCK_REALTIME is 10 ms * (1 + 50e-6) earlier in
	 * the virtual clock: 10 000 500 ns. */
	m1 = gn_pclock_from_realtime(&c, rt - 10 * NS_PER_MS);
	assert_near(m0 - m1, 10000500, 300);
	gn_pclock_close(&c);
	gn_pclock_close(&sys);
}

/* --- leap seconds on the virtual clock --- */

/* A virtual clock 0.3 s before a UTC midnight (or before 23:59:59 for a
 * deletion) with a leap second armed: 0.6 s later it reads one second
 * less (insert: 23:59:59 again) or one more (delete). */
static void leap_case(int leap)
{
	const int64_t day = 86400 * NS_PER_S, s = NS_PER_S;
	struct gn_pclock c;
	int64_t rt = clock_ns(CLOCK_REALTIME);
	int64_t target = (rt / day + 1) * day - (leap < 0 ? s : 0);
	int64_t v0, v1, expect;

	assert_int_equal(
	    gn_pclock_open_virtual(&c, target - 300000000 - rt, 0.0), 0);
	assert_int_equal(gn_pclock_set_leap(&c, leap, false), 0);
	v0 = gn_pclock_now(&c);
	assert_true(v0 < target);
	sleep_ms(600);
	v1 = gn_pclock_now(&c);
	/* elapsed about 0.6 s, plus the leap */
	expect = v0 + 600000000 - leap * s;
	assert_true(v1 > expect - 50000000 && v1 < expect + 50000000);
	assert_int_equal(c.leap, 0); /* played once */
	gn_pclock_close(&c);
}

static void test_virtual_leap_insert(void **state)
{
	(void)state;
	leap_case(1);
}

static void test_virtual_leap_delete(void **state)
{
	(void)state;
	leap_case(-1);
}

static void test_leap_arguments(void **state)
{
	struct gn_pclock c;

	(void)state;
	assert_int_equal(gn_pclock_open_virtual(&c, 0, 0.0), 0);
	assert_int_equal(gn_pclock_set_leap(&c, 2, false), -EINVAL);
	assert_int_equal(gn_pclock_set_leap(&c, 1, false), 0);
	assert_int_equal(gn_pclock_set_leap(&c, 0, false), 0);
	assert_int_equal(c.leap, 0);
	gn_pclock_close(&c);
}

/* --- the system clock's tick + frequency split --- */

static void test_tick_freq_split(void **state)
{
	struct timex tx;
	double set;

	(void)state;
	/* USER_HZ 100: one tick microsecond is 100 ppm (1e5 ppb). 90 ppm
	 * rounds to 1 tick (+100 ppm) and -10 ppm of fine frequency
	 * (-10 * 65536 scaled ppm). */
	memset(&tx, 0, sizeof(tx));
	set = gn_timex_set_tick_freq(&tx, 90000.0, 100, 10000, 500000.0);
	assert_int_equal(tx.tick, 10001);
	assert_int_equal(tx.freq, -10 * 65536);
	assert_true(set == 90000.0);
	assert_true(tx.modes == (ADJ_TICK | ADJ_FREQUENCY));
	/* +9 %: 900 tick steps, no fine part. */
	memset(&tx, 0, sizeof(tx));
	set = gn_timex_set_tick_freq(&tx, 9e7, 100, 10000, 500000.0);
	assert_int_equal(tx.tick, 10900);
	assert_int_equal(tx.freq, 0);
	/* The limit, 10 % + 500 ppm: 1005 ticks would be refused by the
	 * kernel (tick > 11000); the tick stops at +1000, the frequency
	 * takes 500 ppm. */
	memset(&tx, 0, sizeof(tx));
	set = gn_timex_set_tick_freq(&tx, 100500000.0, 100, 10000, 500000.0);
	assert_int_equal(tx.tick, 11000);
	assert_int_equal(tx.freq, 500 * 65536);
	assert_true(set == 100500000.0);
	/* Beyond it, and negative: clamped to what can be set. */
	memset(&tx, 0, sizeof(tx));
	set = gn_timex_set_tick_freq(&tx, -2e8, 100, 10000, 500000.0);
	assert_int_equal(tx.tick, 9000);
	assert_int_equal(tx.freq, -500 * 65536);
	assert_true(set == -100500000.0);
	/* USER_HZ 1000: a tick microsecond is 1000 ppm. */
	memset(&tx, 0, sizeof(tx));
	set = gn_timex_set_tick_freq(&tx, 1700000.0, 1000, 1000, 500000.0);
	assert_int_equal(tx.tick, 1002);
	assert_int_equal(tx.freq, -300 * 65536);
	assert_true(set == 1700000.0);
}

/* --- the system clock, read only --- */

static void test_system_clock_read_only_views(void **state)
{
	struct gn_pclock c;
	int64_t t1, now, t2, off, delay;

	(void)state;
	assert_int_equal(gn_pclock_open_system(&c), 0);
	assert_int_equal(c.kind, GN_PCLOCK_SYSTEM);
	assert_int_equal(c.clkid, CLOCK_REALTIME);
	assert_int_equal(c.fd, -1);
	/* The kernel's tolerance, 500 ppm = 32768000 scaled ppm, plus 10 %
	 * through the tick length (USER_HZ 100: nominal 10000 us). */
	assert_int_equal(c.user_hz, sysconf(_SC_CLK_TCK));
	assert_int_equal(c.nominal_tick_us, 1000000 / c.user_hz);
	assert_true(c.max_adj_ppb == 500000.0 + 1e8);
	t1 = clock_ns(CLOCK_REALTIME);
	now = gn_pclock_now(&c);
	t2 = clock_ns(CLOCK_REALTIME);
	assert_true(now >= t1 && now <= t2);
	assert_int_equal(gn_pclock_offset_from_realtime(&c, 5, &off, &delay),
			 0);
	assert_int_equal(off, 0);
	assert_int_equal(delay, 0);
	assert_int_equal(gn_pclock_offset_from_realtime(&c, 0, &off, NULL),
			 -EINVAL);
	print_message("system clock: kernel frequency %.3f ppb (read only)\n",
		      gn_pclock_read_freq(&c));
	gn_pclock_close(&c);
}

static void test_phc_missing(void **state)
{
	struct gn_pclock c;
	char err[128];

	(void)state;
	/* There is no PHC on this machine; a missing one is an error with
	 * a message naming the device. */
	assert_int_equal(
	    gn_pclock_open_phc(&c, "/dev/ptp97", -1, err, sizeof(err)),
	    -ENOENT);
	assert_string_equal(err, "/dev/ptp97: open: No such file or directory");
	assert_int_equal(c.fd, -1);
	assert_int_equal(gn_pclock_open_phc(&c, NULL, 98, err, sizeof(err)),
			 -ENOENT);
	assert_string_equal(err, "/dev/ptp98: open: No such file or directory");
	assert_int_equal(gn_pclock_open_phc(&c, NULL, -1, err, sizeof(err)),
			 -ENODEV);
	/* /dev/null opens but is no PHC. */
	assert_int_equal(
	    gn_pclock_open_phc(&c, "/dev/null", -1, err, sizeof(err)), -ENOTTY);
	assert_string_equal(err, "/dev/null: PTP_CLOCK_GETCAPS: Inappropriate "
				 "ioctl for device");
	assert_int_equal(c.fd, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tick_freq_split),
	    cmocka_unit_test(test_map_ten_days_50ppm),
	    cmocka_unit_test(test_map_fractional_ppb),
	    cmocka_unit_test(test_map_monotonic_and_clamped),
	    cmocka_unit_test(test_virtual_start_offset),
	    cmocka_unit_test(test_virtual_rejects_bad_freq),
	    cmocka_unit_test(test_virtual_intrinsic_frequency),
	    cmocka_unit_test(test_virtual_adjfreq_continuous),
	    cmocka_unit_test(test_virtual_step),
	    cmocka_unit_test(test_from_realtime),
	    cmocka_unit_test(test_virtual_leap_insert),
	    cmocka_unit_test(test_virtual_leap_delete),
	    cmocka_unit_test(test_leap_arguments),
	    cmocka_unit_test(test_system_clock_read_only_views),
	    cmocka_unit_test(test_phc_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

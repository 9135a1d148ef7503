/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_lib_map.c - libgnomon's arithmetic against hand-computed values:
 * the mapping from the local clock (fixed point 2^-48, floor), the bound
 * and its growth (before and after the page goes stale), TAI/UTC with
 * leap seconds, the inverse mapping used to plan timers, pulse instants
 * (phase alignment: 16 ms pulses meet the second every 2 s) and the
 * lateness histogram's quantiles.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "lib.h"

#define S 1000000000LL

static struct gn_page_data page(int64_t anchor_local, int64_t anchor_clock,
				double rate_ppb)
{
	struct gn_page_data d;

	memset(&d, 0, sizeof(d));
	d.update_count = 1;
	d.anchor_local_ns = anchor_local;
	d.anchor_clock_ns = anchor_clock;
	d.rate_frac = gn_lib_frac_of_ppb(rate_ppb);
	d.stale_after_ns = 3 * S;
	return d;
}

static void test_mapping(void **state)
{
	struct gn_page_data d = page(1000, 5000, 50000.0);

	(void)state;
	/* 50 ppm * 2^48 / 1e9 = 14073748835.53 -> 14073748836. */
	assert_int_equal(d.rate_frac, 14073748836LL);
	assert_int_equal(gn_lib_clock_at(&d, 1000), 5000);
	/* 1 s later: 1e9 + floor(50000.0000012) */
	assert_int_equal(gn_lib_clock_at(&d, 1000 + S), 5000 + S + 50000);
	/* 1 s before: floor(-50000.0000012) = -50001 */
	assert_int_equal(gn_lib_clock_at(&d, 1000 - S), -1000045001LL);
	/* Rate 0: the identity plus the anchor difference. */
	d = page(100, 700, 0.0);
	assert_int_equal(gn_lib_clock_at(&d, 123456789), 123456789 + 600);
	/* -500 ppm over 2 s: -1000000 ns exactly (2e9 * frac >> 48 =
	 * -1000000.000...). */
	d = page(0, 0, -500000.0);
	assert_int_equal(gn_lib_clock_at(&d, 2 * S), 2 * S - 1000000);
	assert_true(fabs(gn_lib_ppb_of_frac(gn_lib_frac_of_ppb(1234.5)) -
			 1234.5) < 1e-5);
}

static void test_bound(void **state)
{
	struct gn_page_data d = page(10 * S, 10 * S, 0.0);

	(void)state;
	d.bound_ns = 1000;
	/* ceil(100 ppb * 2^48 / 1e9) = 28147498 */
	d.bound_growth_frac = 28147498;
	d.stale_growth_frac = 281474977; /* 1000 ppb */
	assert_int_equal(gn_lib_bound_at(&d, 10 * S), 1000);
	assert_int_equal(gn_lib_bound_at(&d, 12 * S), 1200);
	/* Backwards the same (|d|). */
	assert_int_equal(gn_lib_bound_at(&d, 8 * S), 1200);
	/* 5 s: 3 s at 100 ppb, then 2 s at 1000 ppb once stale. */
	assert_int_equal(gn_lib_bound_at(&d, 15 * S), 1000 + 300 + 2000);
	d.bound_ns = GN_PAGE_BOUND_UNKNOWN;
	assert_true(gn_lib_bound_at(&d, 12 * S) == GN_BOUND_UNKNOWN);
	/* Saturates short of "unknown". */
	d.bound_ns = UINT64_MAX - 10;
	assert_true(gn_lib_bound_at(&d, 12 * S) == UINT64_MAX - 1);
}

/* 2017-01-01 00:00:00 UTC, after the inserted 2016-12-31 23:59:60. */
#define MIDNIGHT (1483228800LL * S)

static void test_timescales(void **state)
{
	struct gn_page_data d = page(0, 0, 0.0);
	struct gn_time t;
	int64_t leap;

	(void)state;
	d.utc_offset_s = 36;
	d.time_flags = GN_PAGE_TF_UTC_VALID | GN_PAGE_TF_PTP_TIMESCALE;
	d.timescale = GN_PAGE_TS_TAI;
	gn_lib_timescales(&d, 1000 * S, &t);
	assert_int_equal(t.tai_ns, 1000 * S);
	assert_int_equal(t.utc_ns, 964 * S);
	assert_int_equal(t.utc_offset_s, 36);
	assert_int_equal(t.flags, GN_TIME_UTC_VALID);

	d.timescale = GN_PAGE_TS_UTC;
	gn_lib_timescales(&d, 1000 * S, &t);
	assert_int_equal(t.utc_ns, 1000 * S);
	assert_int_equal(t.tai_ns, 1036 * S);

	d.timescale = GN_PAGE_TS_ARB;
	gn_lib_timescales(&d, 1000 * S, &t);
	assert_int_equal(t.utc_ns, 1000 * S);
	assert_int_equal(t.tai_ns, 1000 * S);
	assert_true(t.flags & GN_TIME_ARB);

	/* An inserted second on a TAI clock: it starts when UTC (old
	 * offset) reaches midnight, i.e. TAI = midnight + 36 s. */
	d.timescale = GN_PAGE_TS_TAI;
	d.time_flags |= GN_PAGE_TF_LEAP61;
	leap = MIDNIGHT + 36 * S;
	d.leap_at_clock_ns = leap;
	gn_lib_timescales(&d, leap - 1, &t);
	assert_int_equal(t.utc_ns, MIDNIGHT - 1); /* 23:59:59.999999999 */
	assert_int_equal(t.utc_offset_s, 36);
	assert_true(t.flags & GN_TIME_LEAP61);
	assert_false(t.flags & GN_TIME_IN_LEAP);
	gn_lib_timescales(&d, leap, &t);
	assert_int_equal(t.utc_ns, MIDNIGHT - S); /* 23:59:59 again */
	assert_int_equal(t.utc_offset_s, 37);
	assert_true(t.flags & GN_TIME_IN_LEAP);
	assert_false(t.flags & GN_TIME_LEAP61);
	gn_lib_timescales(&d, leap + S, &t);
	assert_int_equal(t.utc_ns, MIDNIGHT); /* 00:00:00 */
	assert_false(t.flags & GN_TIME_IN_LEAP);
	/* A deleted second: 23:59:58 is followed by 00:00:00. */
	d.time_flags = GN_PAGE_TF_UTC_VALID | GN_PAGE_TF_LEAP59;
	gn_lib_timescales(&d, leap - 1, &t);
	assert_int_equal(t.utc_ns, MIDNIGHT - 1);
	gn_lib_timescales(&d, leap, &t);
	assert_int_equal(t.utc_ns, MIDNIGHT + S);
	assert_int_equal(t.utc_offset_s, 35);
}

static void test_clock_of_tai(void **state)
{
	struct gn_page_data d = page(0, 0, 0.0);
	struct gn_time t;
	int64_t c, leap = MIDNIGHT;

	(void)state;
	d.utc_offset_s = 36;
	d.timescale = GN_PAGE_TS_TAI;
	assert_int_equal(gn_lib_clock_of_tai(&d, 77 * S), 77 * S);
	d.timescale = GN_PAGE_TS_UTC;
	assert_int_equal(gn_lib_clock_of_tai(&d, 77 * S), 41 * S);
	/* A UTC clock through an inserted second (the kernel repeats
	 * 23:59:59): every TAI instant maps to the smallest clock value at
	 * or after it. */
	d.time_flags = GN_PAGE_TF_LEAP61;
	d.leap_at_clock_ns = leap;
	for (c = leap - 2 * S; c <= leap + 2 * S; c += S / 4) {
		int64_t back;

		gn_lib_timescales(&d, c, &t);
		back = gn_lib_clock_of_tai(&d, t.tai_ns);
		assert_int_equal(back, c);
	}
	/* TAI inside the gap maps to the leap. */
	assert_int_equal(gn_lib_clock_of_tai(&d, leap + 36 * S + S / 2), leap);
}

static void test_local_of_clock(void **state)
{
	static const double rates[] = {0.0, 50000.0, -500000.0, 1e7, -3.3};
	unsigned i, k;

	(void)state;
	for (i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		struct gn_page_data d =
		    page(123456789, 1700000000LL * S, rates[i]);

		for (k = 0; k < 200; k++) {
			int64_t target = 1700000000LL * S - 5 * S +
					 (int64_t)k * 51234567LL + 7;
			int64_t l = gn_lib_local_of_clock(&d, target);

			assert_true(gn_lib_clock_at(&d, l) >= target);
			assert_true(gn_lib_clock_at(&d, l - 1) < target);
		}
	}
}

static void test_pulses(void **state)
{
	int64_t i, n = 0, sec[8];

	(void)state;
	/* 16 ms from TAI 0: the next instant at or after 1 s + 1 ns is
	 * number 63, at 1.008 s. */
	assert_int_equal(
	    gn_lib_pulse_next(S + 1, 16000000, 0, GN_ALIGN_TAI, 37), 63);
	assert_int_equal(
	    gn_lib_pulse_instant(63, 16000000, 0, GN_ALIGN_TAI, 37),
	    1008000000);
	/* An instant itself is not skipped: 2 s is number 125. */
	assert_int_equal(
	    gn_lib_pulse_next(2 * S, 16000000, 0, GN_ALIGN_TAI, 37), 125);
	assert_int_equal(gn_lib_pulse_next(2 * S + 1, 16000000, 0, 0, 37), 126);
	/* 16 ms pulses meet the second every 2 s (n multiple of 125). */
	for (i = 0; i < 625 + 1; i++) {
		int64_t t = gn_lib_pulse_instant(i, 16000000, 0, 0, 37);

		if (t % S == 0)
			sec[n++] = t / S;
	}
	assert_int_equal(n, 6);
	for (i = 0; i < n; i++)
		assert_int_equal(sec[i], 2 * i);
	/* 20 ms and 50 ms: every second; 256 ms: every 32 s. */
	assert_int_equal(gn_lib_pulse_instant(50, 20000000, 0, 0, 0), S);
	assert_int_equal(gn_lib_pulse_instant(20, 50000000, 0, 0, 0), S);
	assert_int_equal(gn_lib_pulse_instant(125, 256000000, 0, 0, 0), 32 * S);
	assert_int_equal(gn_lib_pulse_next(31 * S, 256000000, 0, 0, 0), 122);
	/* UTC alignment: instants on UTC seconds (TAI = UTC + 37 s), so
	 * 16 ms pulses meet the UTC second every 2 s: TAI 37 s, 39 s... */
	assert_int_equal(gn_lib_pulse_instant(0, 16000000, 0, GN_ALIGN_UTC, 37),
			 37 * S);
	assert_int_equal(
	    gn_lib_pulse_next(37 * S + 1, 16000000, 0, GN_ALIGN_UTC, 37), 1);
	assert_int_equal(
	    gn_lib_pulse_instant(125, 16000000, 0, GN_ALIGN_UTC, 37), 39 * S);
	/* A phase shifts every instant. */
	assert_int_equal(gn_lib_pulse_next(0, 20000000, 5000000, 0, 0), 0);
	assert_int_equal(gn_lib_pulse_instant(3, 20000000, 5000000, 0, 0),
			 65000000);
	/* Before the epoch (floor, not truncation). */
	assert_int_equal(gn_lib_pulse_next(-1, 16000000, 0, 0, 0), 0);
	assert_int_equal(gn_lib_pulse_next(-16000001, 16000000, 0, 0, 0), -1);
}

static void test_histogram(void **state)
{
	struct gn_hist h;
	int64_t v;

	(void)state;
	gn_hist_init(&h);
	assert_int_equal(gn_hist_quantile(&h, 0.5), 0);
	for (v = 1; v <= 1000; v++)
		gn_hist_add(&h, v);
	assert_int_equal(h.count, 1000);
	assert_int_equal(h.min_ns, 1);
	assert_int_equal(h.max_ns, 1000);
	assert_true(fabs(h.sum_ns / (double)h.count - 500.5) < 1e-9);
	/* 500 lies in the bucket [500, 503] (4 ns wide between 256 and
	 * 511): the quantile is its upper edge; 990 in [984, 991]. */
	assert_int_equal(gn_hist_quantile(&h, 0.5), 503);
	assert_int_equal(gn_hist_quantile(&h, 0.99), 991);
	assert_int_equal(gn_hist_quantile(&h, 1.0), 1000);
	assert_int_equal(gn_hist_quantile(&h, 0.0), 1);
	/* Small values have a bucket each. */
	gn_hist_init(&h);
	gn_hist_add(&h, 5);
	gn_hist_add(&h, 5);
	gn_hist_add(&h, 5);
	gn_hist_add(&h, 7);
	assert_int_equal(gn_hist_quantile(&h, 0.5), 5);
	assert_int_equal(gn_hist_quantile(&h, 0.75), 5);
	assert_int_equal(gn_hist_quantile(&h, 0.76), 7);
	/* Huge values stay within 1/64 (clamped to the max). */
	gn_hist_add(&h, 10000000000000LL);
	v = gn_hist_quantile(&h, 0.99);
	assert_int_equal(v, 10000000000000LL);
	gn_hist_add(&h, 9000000000000LL);
	v = gn_hist_quantile(&h, 0.8);
	assert_true(v >= 9000000000000LL && v <= 9000000000000LL / 64 * 65);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mapping),
	    cmocka_unit_test(test_bound),
	    cmocka_unit_test(test_timescales),
	    cmocka_unit_test(test_clock_of_tai),
	    cmocka_unit_test(test_local_of_clock),
	    cmocka_unit_test(test_pulses),
	    cmocka_unit_test(test_histogram),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

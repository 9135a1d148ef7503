/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_tt.c - time-transfer arithmetic (tt.c): E2E mean path delay and
 * offset with corrections and delay asymmetry, P2P mean link delay with
 * rate ratio and one-step responders, rounding, and every overflow check.
 * Every expected value is worked out by hand in the comments.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>

#include "tt.h"

#define SENTINEL INT64_C(0x5a5a5a5a5a5a5a5a)

/*
 * The scenario behind most E2E cases: master->slave and slave->master
 * both take 500 ns, the slave is 100 ns ahead.
 *   t1 = 1000 (master), t2 = t1 + 500 + 100 = 1600 (slave)
 *   t3 = 2000 (slave),  t4 = t3 - 100 + 500 = 2400 (master)
 *   meanPathDelay = ((1600 - 2000) + (2400 - 1000)) / 2 = 500
 *   offset = 1600 - 1000 - 500 = 100
 */
static void test_e2e_basic(void **state)
{
	struct gn_e2e_sample s = {
	    .t1_ns = 1000,
	    .t2_ns = 1600,
	    .t3_ns = 2000,
	    .t4_ns = 2400,
	};
	int64_t mpd = SENTINEL, off = SENTINEL;

	(void)state;
	assert_int_equal(gn_tt_e2e_delay(&s, &mpd), 0);
	assert_int_equal(mpd, 500);
	assert_int_equal(gn_tt_offset(s.t1_ns, s.t2_ns, 0, mpd, 0, &off), 0);
	assert_int_equal(off, 100);
}

/*
 * Transparent clocks add 30 ns of residence to Sync and 20 ns to
 * Delay_Req: t2 = 1000 + 30 + 500 + 100 = 1630, t4 = 2000 - 100 + 500 + 20
 * = 2420. mpd = ((1630 - 2000) + (2420 - 20) - (1000 + 30)) / 2
 * = (-370 + 1370) / 2 = 500; offset = 1630 - 1030 - 500 = 100.
 */
static void test_e2e_corrections(void **state)
{
	struct gn_e2e_sample s = {
	    .t1_ns = 1000,
	    .t2_ns = 1630,
	    .t3_ns = 2000,
	    .t4_ns = 2420,
	    .sync_corr_ns = 30,
	    .delay_corr_ns = 20,
	};
	int64_t mpd, off;

	(void)state;
	assert_int_equal(gn_tt_e2e_delay(&s, &mpd), 0);
	assert_int_equal(mpd, 500);
	assert_int_equal(
	    gn_tt_offset(s.t1_ns, s.t2_ns, s.sync_corr_ns, mpd, 0, &off), 0);
	assert_int_equal(off, 100);

	/* Ignoring the corrections would be 10 ns off in the delay and
	 * 30 - 10 = 20 ns off in the offset: they matter. */
	s.sync_corr_ns = 0;
	s.delay_corr_ns = 0;
	assert_int_equal(gn_tt_e2e_delay(&s, &mpd), 0);
	assert_int_equal(mpd, 525);
}

/*
 * delayAsymmetry 40: tms = 540, tsm = 460 (mean 500). The Delay_Req went
 * out with correctionField -40 and picked up 20 ns of residence, so the
 * Delay_Resp correction is -20.
 *   t2 = 1000 + 30 + 540 + 100 = 1670, t4 = 2000 - 100 + 460 + 20 = 2380
 *   mpd = ((1670 - 2000) + (2380 + 20) - (1000 + 30 + 40)) / 2
 *       = (-330 + 2400 - 1070) / 2 = 500
 *   offset = 1670 - (1000 + 30) - 500 - 40 = 100
 */
static void test_e2e_asymmetry(void **state)
{
	struct gn_e2e_sample s = {
	    .t1_ns = 1000,
	    .t2_ns = 1670,
	    .t3_ns = 2000,
	    .t4_ns = 2380,
	    .sync_corr_ns = 30,
	    .delay_corr_ns = -20,
	    .asymmetry_ns = 40,
	};
	int64_t mpd, off;

	(void)state;
	assert_int_equal(gn_tt_e2e_delay(&s, &mpd), 0);
	assert_int_equal(mpd, 500);
	assert_int_equal(gn_tt_offset(s.t1_ns, s.t2_ns, s.sync_corr_ns, mpd,
				      s.asymmetry_ns, &off),
			 0);
	assert_int_equal(off, 100);

	/* Without the asymmetry the offset would read 140. */
	assert_int_equal(
	    gn_tt_offset(s.t1_ns, s.t2_ns, s.sync_corr_ns, mpd, 0, &off), 0);
	assert_int_equal(off, 140);

	/* Negative asymmetry: tms = 460, tsm = 540, Delay_Resp corr +40 + 20.
	 * t2 = 1000 + 30 + 460 + 100 = 1590, t4 = 2000 - 100 + 540 + 20 =
	 * 2460. mpd = ((1590 - 2000) + (2460 - 60) - (1030 - 40)) / 2 =
	 * (-410 + 2400 - 990) / 2 = 500; offset = 1590 - 1030 - 500 + 40. */
	s.asymmetry_ns = -40;
	s.delay_corr_ns = 60;
	s.t2_ns = 1590;
	s.t4_ns = 2460;
	assert_int_equal(gn_tt_e2e_delay(&s, &mpd), 0);
	assert_int_equal(mpd, 500);
	assert_int_equal(gn_tt_offset(s.t1_ns, s.t2_ns, s.sync_corr_ns, mpd,
				      s.asymmetry_ns, &off),
			 0);
	assert_int_equal(off, 100);
}

/*
 * Slave 250 ns behind: t2 = 1000 + 500 - 250 = 1250, t4 = 2000 + 250 +
 * 500 = 2750. mpd = (-750 + 1750) / 2 = 500, offset = 1250 - 1000 - 500.
 */
static void test_e2e_negative_offset(void **state)
{
	struct gn_e2e_sample s = {
	    .t1_ns = 1000,
	    .t2_ns = 1250,
	    .t3_ns = 2000,
	    .t4_ns = 2750,
	};
	int64_t mpd, off;

	(void)state;
	assert_int_equal(gn_tt_e2e_delay(&s, &mpd), 0);
	assert_int_equal(mpd, 500);
	assert_int_equal(gn_tt_offset(s.t1_ns, s.t2_ns, 0, mpd, 0, &off), 0);
	assert_int_equal(off, -250);
}

/*
 * Real PTP-era numbers (2023-11-14 TAI, ns since 1970): 64-bit exact.
 * t1 = 1700000000123456789, path 12345 each way, offset -6789:
 * t2 = t1 + 12345 - 6789 = 1700000000123462345,
 * t3 = 1700000000623456789, t4 = t3 + 6789 + 12345 = 1700000000623475923.
 */
static void test_e2e_large_times(void **state)
{
	struct gn_e2e_sample s = {
	    .t1_ns = INT64_C(1700000000123456789),
	    .t2_ns = INT64_C(1700000000123462345),
	    .t3_ns = INT64_C(1700000000623456789),
	    .t4_ns = INT64_C(1700000000623475923),
	};
	int64_t mpd, off;

	(void)state;
	assert_int_equal(gn_tt_e2e_delay(&s, &mpd), 0);
	assert_int_equal(mpd, 12345);
	assert_int_equal(gn_tt_offset(s.t1_ns, s.t2_ns, 0, mpd, 0, &off), 0);
	assert_int_equal(off, -6789);
}

/* Halving rounds toward minus infinity: 3 / 2 = 1, -3 / 2 = -2. */
static void test_e2e_rounding(void **state)
{
	struct gn_e2e_sample s = {0};
	int64_t mpd;

	(void)state;
	s.t2_ns = 3; /* up = 3, down = 0 */
	assert_int_equal(gn_tt_e2e_delay(&s, &mpd), 0);
	assert_int_equal(mpd, 1);

	s.t2_ns = 0;
	s.t3_ns = 3; /* up = -3 */
	assert_int_equal(gn_tt_e2e_delay(&s, &mpd), 0);
	assert_int_equal(mpd, -2);

	s.t3_ns = 4; /* -4 / 2 exactly */
	assert_int_equal(gn_tt_e2e_delay(&s, &mpd), 0);
	assert_int_equal(mpd, -2);

	s.t3_ns = 1; /* -1 / 2 -> -1 */
	assert_int_equal(gn_tt_e2e_delay(&s, &mpd), 0);
	assert_int_equal(mpd, -1);
}

static void expect_e2e_erange(const struct gn_e2e_sample *s)
{
	int64_t mpd = SENTINEL;

	assert_int_equal(gn_tt_e2e_delay(s, &mpd), -ERANGE);
	assert_true(mpd == SENTINEL);
}

static void test_e2e_overflow(void **state)
{
	struct gn_e2e_sample s;

	(void)state;
	/* t1 + sync_corr */
	s = (struct gn_e2e_sample){.t1_ns = INT64_MAX, .sync_corr_ns = 1};
	expect_e2e_erange(&s);
	/* (t1 + sync_corr) + asymmetry */
	s = (struct gn_e2e_sample){
	    .t1_ns = INT64_MAX - 1, .sync_corr_ns = 1, .asymmetry_ns = 1};
	expect_e2e_erange(&s);
	/* t4 - delay_corr */
	s = (struct gn_e2e_sample){.t4_ns = INT64_MIN, .delay_corr_ns = 1};
	expect_e2e_erange(&s);
	/* t2 - t3 */
	s = (struct gn_e2e_sample){.t2_ns = INT64_MAX, .t3_ns = -1};
	expect_e2e_erange(&s);
	/* t4c - t1c */
	s = (struct gn_e2e_sample){.t4_ns = INT64_MAX, .t1_ns = -10};
	expect_e2e_erange(&s);
	/* up + down: each fits, the sum does not */
	s = (struct gn_e2e_sample){.t2_ns = INT64_MAX - 1, .t4_ns = 10};
	expect_e2e_erange(&s);

	/* The largest sum that fits still works. */
	s = (struct gn_e2e_sample){.t2_ns = INT64_MAX - 10, .t4_ns = 10};
	{
		int64_t mpd;

		assert_int_equal(gn_tt_e2e_delay(&s, &mpd), 0);
		assert_int_equal(mpd, INT64_MAX / 2); /* floor((2^63-1)/2) */
	}
}

static void test_offset_overflow(void **state)
{
	int64_t off = SENTINEL;

	(void)state;
	/* t1 + corr */
	assert_int_equal(gn_tt_offset(INT64_MAX, 0, 1, 0, 0, &off), -ERANGE);
	/* + asymmetry */
	assert_int_equal(gn_tt_offset(INT64_MIN, 0, 0, 0, -1, &off), -ERANGE);
	/* t2 - t1c */
	assert_int_equal(gn_tt_offset(-1, INT64_MAX, 0, 0, 0, &off), -ERANGE);
	/* - meanPathDelay */
	assert_int_equal(gn_tt_offset(0, INT64_MIN, 0, 1, 0, &off), -ERANGE);
	assert_true(off == SENTINEL);

	assert_int_equal(gn_tt_offset(0, INT64_MIN, 0, 0, 0, &off), 0);
	assert_true(off == INT64_MIN);
}

/*
 * Two-step responder, no rate difference. Link delay 300, the responder
 * 5000 ns ahead, 1000 ns turnaround:
 *   t1 = 10000, t2 = 10000 + 300 + 5000 = 15300, t3 = 16300,
 *   t4 = 16300 - 5000 + 300 = 11600
 *   meanLinkDelay = ((11600 - 10000) - (16300 - 15300)) / 2 = 300.
 */
static void test_p2p_basic(void **state)
{
	struct gn_p2p_sample s = {
	    .t1_ns = 10000,
	    .t2_ns = 15300,
	    .t3_ns = 16300,
	    .t4_ns = 11600,
	    .neighbor_rate_ratio = 1.0,
	};
	int64_t d = SENTINEL;

	(void)state;
	assert_int_equal(gn_tt_p2p_delay(&s, &d), 0);
	assert_int_equal(d, 300);

	/* 100 ns of corrections (TC residence) come off the round trip:
	 * (1600 - 1000 - 100) / 2 = 250. */
	s.resp_corr_ns = 100;
	assert_int_equal(gn_tt_p2p_delay(&s, &d), 0);
	assert_int_equal(d, 250);
}

/*
 * One-step responder: t2 = t3 = 0, turnaround 1000 in the correction.
 * (1600 - 0 - 1000) / 2 = 300.
 */
static void test_p2p_one_step(void **state)
{
	struct gn_p2p_sample s = {
	    .t1_ns = 10000,
	    .t4_ns = 11600,
	    .resp_corr_ns = 1000,
	    .neighbor_rate_ratio = 1.0,
	};
	int64_t d;

	(void)state;
	assert_int_equal(gn_tt_p2p_delay(&s, &d), 0);
	assert_int_equal(d, 300);
}

/*
 * Asymmetry 40: Pdelay_Req went out with correction -40, echoed by the
 * responder (two-step: in Pdelay_Resp_Follow_Up), so resp_corr = -40; the
 * +40 of 11.6.4 cancels it and the link delay stays 300. One-step: the
 * responder adds the turnaround 1000 to the echoed -40.
 */
static void test_p2p_asymmetry(void **state)
{
	struct gn_p2p_sample s = {
	    .t1_ns = 10000,
	    .t2_ns = 15300,
	    .t3_ns = 16300,
	    .t4_ns = 11600,
	    .resp_corr_ns = -40,
	    .neighbor_rate_ratio = 1.0,
	    .asymmetry_ns = 40,
	};
	int64_t d;

	(void)state;
	assert_int_equal(gn_tt_p2p_delay(&s, &d), 0);
	assert_int_equal(d, 300);

	s.t2_ns = 0;
	s.t3_ns = 0;
	s.resp_corr_ns = 960;
	assert_int_equal(gn_tt_p2p_delay(&s, &d), 0);
	assert_int_equal(d, 300);
}

/*
 * The rate ratio scales the local round trip into the responder's time
 * base: t4 - t1 = 1000000 local ns, the responder (100 ppm fast) counts
 * r * 1000000 = 1000100 ns for it; its turnaround reads 999500.
 *   r = 1.0001: (1000100 - 999500) / 2 = 300
 *   r = 1 (ignored): (1000000 - 999500) / 2 = 250
 */
static void test_p2p_rate_ratio(void **state)
{
	struct gn_p2p_sample s = {
	    .t1_ns = 0,
	    .t2_ns = 5000,
	    .t3_ns = 1004500,
	    .t4_ns = 1000000,
	    .neighbor_rate_ratio = 1.0001,
	};
	int64_t d;

	(void)state;
	assert_int_equal(gn_tt_p2p_delay(&s, &d), 0);
	assert_int_equal(d, 300);

	s.neighbor_rate_ratio = 1.0;
	assert_int_equal(gn_tt_p2p_delay(&s, &d), 0);
	assert_int_equal(d, 250);
}

/* (t4 - t1) * r rounds to nearest (half away from zero), then floor. */
static void test_p2p_rounding(void **state)
{
	struct gn_p2p_sample s = {
	    .t1_ns = 0,
	    .t4_ns = 3,
	    .neighbor_rate_ratio = 1.5,
	};
	int64_t d;

	(void)state;
	/* 3 * 1.5 = 4.5 -> 5, 5 / 2 -> 2 */
	assert_int_equal(gn_tt_p2p_delay(&s, &d), 0);
	assert_int_equal(d, 2);
	/* -3 * 1.5 = -4.5 -> -5, -5 / 2 -> -3 */
	s.t4_ns = -3;
	assert_int_equal(gn_tt_p2p_delay(&s, &d), 0);
	assert_int_equal(d, -3);
	/* 3 * 1.1 = 3.3 -> 3, 3 / 2 -> 1 */
	s.t4_ns = 3;
	s.neighbor_rate_ratio = 1.1;
	assert_int_equal(gn_tt_p2p_delay(&s, &d), 0);
	assert_int_equal(d, 1);
}

static void test_p2p_bad_ratio(void **state)
{
	struct gn_p2p_sample s = {
	    .t1_ns = 10000,
	    .t2_ns = 15300,
	    .t3_ns = 16300,
	    .t4_ns = 11600,
	};
	int64_t d = SENTINEL;

	(void)state;
	s.neighbor_rate_ratio = 0.0;
	assert_int_equal(gn_tt_p2p_delay(&s, &d), -EINVAL);
	s.neighbor_rate_ratio = -1.0;
	assert_int_equal(gn_tt_p2p_delay(&s, &d), -EINVAL);
	s.neighbor_rate_ratio = NAN;
	assert_int_equal(gn_tt_p2p_delay(&s, &d), -EINVAL);
	s.neighbor_rate_ratio = INFINITY;
	assert_int_equal(gn_tt_p2p_delay(&s, &d), -EINVAL);
	assert_true(d == SENTINEL);
}

static void expect_p2p_erange(const struct gn_p2p_sample *s)
{
	int64_t d = SENTINEL;

	assert_int_equal(gn_tt_p2p_delay(s, &d), -ERANGE);
	assert_true(d == SENTINEL);
}

static void test_p2p_overflow(void **state)
{
	struct gn_p2p_sample s;
	int64_t d;

	(void)state;
	/* t4 - t1 */
	s = (struct gn_p2p_sample){
	    .t4_ns = INT64_MAX, .t1_ns = -1, .neighbor_rate_ratio = 1.0};
	expect_p2p_erange(&s);
	/* (t4 - t1) * r reaches 2^63 */
	s = (struct gn_p2p_sample){.t4_ns = INT64_C(1) << 62,
				   .neighbor_rate_ratio = 2.0};
	expect_p2p_erange(&s);
	/* ... while -2^63 still fits: floor(-2^63 / 2) = -2^62 */
	s.t4_ns = -(INT64_C(1) << 62);
	assert_int_equal(gn_tt_p2p_delay(&s, &d), 0);
	assert_true(d == -(INT64_C(1) << 62));
	/* -2^62 * 3 is below -2^63 */
	s.neighbor_rate_ratio = 3.0;
	expect_p2p_erange(&s);
	/* t3 - t2 */
	s = (struct gn_p2p_sample){
	    .t3_ns = INT64_MAX, .t2_ns = -1, .neighbor_rate_ratio = 1.0};
	expect_p2p_erange(&s);
	/* corr + asymmetry */
	s = (struct gn_p2p_sample){.resp_corr_ns = INT64_MAX,
				   .asymmetry_ns = 1,
				   .neighbor_rate_ratio = 1.0};
	expect_p2p_erange(&s);
	/* scaled - turnaround */
	s = (struct gn_p2p_sample){
	    .t4_ns = INT64_MAX, .t3_ns = -1, .neighbor_rate_ratio = 1.0};
	expect_p2p_erange(&s);
	/* (scaled - turnaround) - corr */
	s = (struct gn_p2p_sample){
	    .t4_ns = INT64_MAX, .resp_corr_ns = -1, .neighbor_rate_ratio = 1.0};
	expect_p2p_erange(&s);
}

/* (1001100 - 1000) / (1002000 - 2000) = 1000100 / 1000000 = 1.0001 */
static void test_rate_ratio(void **state)
{
	double r = -1.0;

	(void)state;
	assert_int_equal(gn_tt_rate_ratio(1000, 2000, 1001100, 1002000, &r), 0);
	assert_true(fabs(r - 1.0001) < 1e-15);

	/* A slower peer: 999900 / 1000000. */
	assert_int_equal(gn_tt_rate_ratio(0, 0, 999900, 1000000, &r), 0);
	assert_true(fabs(r - 0.9999) < 1e-15);
}

static void test_rate_ratio_errors(void **state)
{
	double r = 42.0;

	(void)state;
	/* No local time elapsed, or it went backwards. */
	assert_int_equal(gn_tt_rate_ratio(0, 5, 100, 5, &r), -EINVAL);
	assert_int_equal(gn_tt_rate_ratio(0, 5, 100, 4, &r), -EINVAL);
	/* Local interval overflows. */
	assert_int_equal(gn_tt_rate_ratio(0, -1, 100, INT64_MAX, &r), -ERANGE);
	/* Peer interval overflows. */
	assert_int_equal(gn_tt_rate_ratio(-1, 0, INT64_MAX, 100, &r), -ERANGE);
	assert_true(r == 42.0);
}

/* An interval in another clock's time base: rounded to the nearest ns,
 * exact at 1.0 whatever its size, -ERANGE when it leaves int64 or the
 * ratio is no number. */
static void test_scale_ns(void **state)
{
	int64_t v = 42;

	(void)state;
	assert_int_equal(gn_tt_scale_ns(10001000, 1.0 / 1.0001, &v), 0);
	assert_int_equal(v, 10000000);
	assert_int_equal(gn_tt_scale_ns(10000000, 1.0001, &v), 0);
	assert_int_equal(v, 10001000);
	assert_int_equal(gn_tt_scale_ns(-3, 1.5, &v), 0);
	assert_int_equal(v, -5); /* -4.5: half away from zero */
	assert_int_equal(gn_tt_scale_ns(INT64_MAX, 1.0, &v), 0);
	assert_true(v == INT64_MAX);
	v = 42;
	assert_int_equal(gn_tt_scale_ns(INT64_MAX / 2, 2.5, &v), -ERANGE);
	assert_int_equal(gn_tt_scale_ns(INT64_MIN / 2, 2.5, &v), -ERANGE);
	assert_int_equal(gn_tt_scale_ns(1000, NAN, &v), -ERANGE);
	assert_int_equal(gn_tt_scale_ns(1000, INFINITY, &v), -ERANGE);
	assert_int_equal(gn_tt_scale_ns(0, INFINITY, &v), -ERANGE);
	assert_true(v == 42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_e2e_basic),
	    cmocka_unit_test(test_e2e_corrections),
	    cmocka_unit_test(test_e2e_asymmetry),
	    cmocka_unit_test(test_e2e_negative_offset),
	    cmocka_unit_test(test_e2e_large_times),
	    cmocka_unit_test(test_e2e_rounding),
	    cmocka_unit_test(test_e2e_overflow),
	    cmocka_unit_test(test_offset_overflow),
	    cmocka_unit_test(test_p2p_basic),
	    cmocka_unit_test(test_p2p_one_step),
	    cmocka_unit_test(test_p2p_asymmetry),
	    cmocka_unit_test(test_p2p_rate_ratio),
	    cmocka_unit_test(test_p2p_rounding),
	    cmocka_unit_test(test_p2p_bad_ratio),
	    cmocka_unit_test(test_p2p_overflow),
	    cmocka_unit_test(test_rate_ratio),
	    cmocka_unit_test(test_rate_ratio_errors),
	    cmocka_unit_test(test_scale_ns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_filter.c - path delay filters (filter.c): moving median and moving
 * average with a window that fills progressively, rounding toward minus
 * infinity, no overflow at the extremes, reset, argument checks, and a
 * cross-check of both filters against a brute-force reference.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"
#include "tt.h"

static void test_init_errors(void **state)
{
	struct gn_filter f;

	(void)state;
	assert_int_equal(gn_filter_init(&f, GN_FILTER_MOVING_MEDIAN, 0),
			 -EINVAL);
	assert_int_equal(
	    gn_filter_init(&f, GN_FILTER_MOVING_MEDIAN, GN_FILTER_MAX_LEN + 1),
	    -EINVAL);
	assert_int_equal(gn_filter_init(&f, (enum gn_filter_type)7, 4),
			 -EINVAL);
	assert_int_equal(
	    gn_filter_init(&f, GN_FILTER_MOVING_AVERAGE, GN_FILTER_MAX_LEN), 0);
	assert_int_equal(f.length, GN_FILTER_MAX_LEN);
	assert_int_equal(f.count, 0);
	assert_int_equal(gn_filter_init(&f, GN_FILTER_MOVING_MEDIAN, 1), 0);
	assert_int_equal(f.type, GN_FILTER_MOVING_MEDIAN);
}

/*
 * Window of 5:      window (sorted)        median
 *   10              10                     10
 *   30              10 30                  (10 + 30) / 2 = 20
 *   20              10 20 30               20
 *   5               5 10 20 30             (10 + 20) / 2 = 15
 *   40              5 10 20 30 40          20
 *   1  (drops 10)   1 5 20 30 40           20
 *   2  (drops 30)   1 2 5 20 40            5
 *   50 (drops 20)   1 2 5 40 50            5
 */
static void test_median(void **state)
{
	static const int64_t in[] = {10, 30, 20, 5, 40, 1, 2, 50};
	static const int64_t out[] = {10, 20, 20, 15, 20, 20, 5, 5};
	struct gn_filter f;
	size_t i;

	(void)state;
	assert_int_equal(gn_filter_init(&f, GN_FILTER_MOVING_MEDIAN, 5), 0);
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		assert_int_equal(gn_filter_sample(&f, in[i]), out[i]);
	assert_int_equal(f.count, 5);
}

/* Even windows: the mean of the middle two, floored. */
static void test_median_even_rounding(void **state)
{
	struct gn_filter f;

	(void)state;
	assert_int_equal(gn_filter_init(&f, GN_FILTER_MOVING_MEDIAN, 2), 0);
	assert_int_equal(gn_filter_sample(&f, 1), 1);
	assert_int_equal(gn_filter_sample(&f, 2), 1);	/* 1.5 -> 1 */
	assert_int_equal(gn_filter_sample(&f, -1), 0);	/* (2 - 1) / 2 */
	assert_int_equal(gn_filter_sample(&f, -2), -2); /* -1.5 -> -2 */
	assert_int_equal(gn_filter_sample(&f, -5), -4); /* -3.5 -> -4 */
	assert_int_equal(gn_filter_sample(&f, 5), 0);
}

/* Duplicates: removing the oldest drops one copy only. */
static void test_median_duplicates(void **state)
{
	struct gn_filter f;

	(void)state;
	assert_int_equal(gn_filter_init(&f, GN_FILTER_MOVING_MEDIAN, 3), 0);
	assert_int_equal(gn_filter_sample(&f, 7), 7);
	assert_int_equal(gn_filter_sample(&f, 7), 7);
	assert_int_equal(gn_filter_sample(&f, 7), 7);
	assert_int_equal(gn_filter_sample(&f, 1), 7); /* 7 7 1 */
	assert_int_equal(gn_filter_sample(&f, 1), 1); /* 7 1 1 */
	assert_int_equal(gn_filter_sample(&f, 9), 1); /* 1 1 9 */
	assert_int_equal(gn_filter_sample(&f, 9), 9); /* 1 9 9 */
	assert_int_equal(f.sorted[0], 1);
	assert_int_equal(f.sorted[1], 9);
	assert_int_equal(f.sorted[2], 9);
}

static void test_median_extremes(void **state)
{
	struct gn_filter f;

	(void)state;
	assert_int_equal(gn_filter_init(&f, GN_FILTER_MOVING_MEDIAN, 2), 0);
	assert_true(gn_filter_sample(&f, INT64_MAX) == INT64_MAX);
	assert_true(gn_filter_sample(&f, INT64_MAX) == INT64_MAX);
	assert_true(gn_filter_sample(&f, INT64_MIN) == -1); /* -0.5 -> -1 */
	assert_true(gn_filter_sample(&f, INT64_MIN) == INT64_MIN);
	assert_true(gn_filter_sample(&f, INT64_MAX - 1) == -1);
}

static void test_length_one(void **state)
{
	struct gn_filter f;

	(void)state;
	assert_int_equal(gn_filter_init(&f, GN_FILTER_MOVING_MEDIAN, 1), 0);
	assert_int_equal(gn_filter_sample(&f, 5), 5);
	assert_int_equal(gn_filter_sample(&f, -9), -9);
	assert_int_equal(gn_filter_init(&f, GN_FILTER_MOVING_AVERAGE, 1), 0);
	assert_int_equal(gn_filter_sample(&f, 5), 5);
	assert_int_equal(gn_filter_sample(&f, -9), -9);
}

/*
 * Window of 3:
 *   10            10
 *   20            30 / 2 = 15
 *   40            70 / 3 = 23.3 -> 23
 *   100           (20 + 40 + 100) / 3 = 53.3 -> 53
 *   -200          (40 + 100 - 200) / 3 = -20
 *   -1            (100 - 200 - 1) / 3 = -33.7 -> -34
 *   -3            (-200 - 1 - 3) / 3 = -68
 */
static void test_average(void **state)
{
	static const int64_t in[] = {10, 20, 40, 100, -200, -1, -3};
	static const int64_t out[] = {10, 15, 23, 53, -20, -34, -68};
	struct gn_filter f;
	size_t i;

	(void)state;
	assert_int_equal(gn_filter_init(&f, GN_FILTER_MOVING_AVERAGE, 3), 0);
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		assert_int_equal(gn_filter_sample(&f, in[i]), out[i]);
}

static void test_average_extremes(void **state)
{
	struct gn_filter f;

	(void)state;
	assert_int_equal(gn_filter_init(&f, GN_FILTER_MOVING_AVERAGE, 3), 0);
	assert_true(gn_filter_sample(&f, INT64_MAX) == INT64_MAX);
	assert_true(gn_filter_sample(&f, INT64_MAX) == INT64_MAX);
	assert_true(gn_filter_sample(&f, INT64_MAX) == INT64_MAX);
	/* MAX MAX MIN: (2^63 - 2) / 3, floored: 3074457345618258602 */
	assert_true(gn_filter_sample(&f, INT64_MIN) ==
		    INT64_C(3074457345618258602));
	assert_true(gn_filter_sample(&f, INT64_MIN) ==
		    INT64_C(-3074457345618258603)); /* (-2^63 - 1) / 3 */
	assert_true(gn_filter_sample(&f, INT64_MIN) == INT64_MIN);

	assert_int_equal(gn_filter_init(&f, GN_FILTER_MOVING_AVERAGE, 4), 0);
	assert_true(gn_filter_sample(&f, INT64_MIN) == INT64_MIN);
	assert_true(gn_filter_sample(&f, INT64_MAX) == -1); /* -0.5 -> -1 */
}

static void test_reset(void **state)
{
	struct gn_filter f;

	(void)state;
	assert_int_equal(gn_filter_init(&f, GN_FILTER_MOVING_MEDIAN, 4), 0);
	gn_filter_sample(&f, 100);
	gn_filter_sample(&f, 200);
	gn_filter_sample(&f, 300);
	gn_filter_reset(&f);
	assert_int_equal(f.count, 0);
	assert_int_equal(f.head, 0);
	assert_int_equal(f.type, GN_FILTER_MOVING_MEDIAN);
	assert_int_equal(f.length, 4);
	assert_int_equal(gn_filter_sample(&f, 7), 7);
	assert_int_equal(gn_filter_sample(&f, 9), 8);

	assert_int_equal(gn_filter_init(&f, GN_FILTER_MOVING_AVERAGE, 4), 0);
	gn_filter_sample(&f, 1000);
	gn_filter_sample(&f, 2000);
	gn_filter_reset(&f);
	assert_int_equal(gn_filter_sample(&f, 7), 7);
	assert_int_equal(gn_filter_sample(&f, 9), 8);
}

/* An uninitialised (zeroed) or corrupted filter passes samples through
 * rather than reading outside its arrays. */
static void test_bad_state_passthrough(void **state)
{
	struct gn_filter f;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_int_equal(gn_filter_sample(&f, 123), 123);

	f.length = GN_FILTER_MAX_LEN + 1;
	assert_int_equal(gn_filter_sample(&f, 124), 124);

	assert_int_equal(gn_filter_init(&f, GN_FILTER_MOVING_MEDIAN, 4), 0);
	f.count = 5;
	assert_int_equal(gn_filter_sample(&f, 125), 125);
	f.count = 0;
	f.head = 4;
	assert_int_equal(gn_filter_sample(&f, 126), 126);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Reference: floor of a / b for small values that cannot overflow. */
static int64_t ref_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/*
 * Brute force over random windows: sort the last `len` samples and take
 * the median, sum them and divide. 2000 samples per length, lengths 1..64.
 */
static void test_against_reference(void **state)
{
	struct gn_filter med, avg;
	int64_t hist[2000], win[GN_FILTER_MAX_LEN];
	struct gn_rng rng;
	unsigned len, i, n, j;

	(void)state;
	gn_rng_seed(&rng, 2024);
	for (len = 1; len <= GN_FILTER_MAX_LEN; len++) {
		assert_int_equal(
		    gn_filter_init(&med, GN_FILTER_MOVING_MEDIAN, len), 0);
		assert_int_equal(
		    gn_filter_init(&avg, GN_FILTER_MOVING_AVERAGE, len), 0);
		for (i = 0; i < 2000; i++) {
			int64_t v, sum = 0, want_med, want_avg;

			/* Delays around 10 us with +-1 ms outliers, some
			 * repeated values, some negative. */
			v = (int64_t)(gn_rng_next(&rng) % 2001) - 1000;
			if (gn_rng_next(&rng) % 8 == 0)
				v *= 1000;
			hist[i] = v + 10000;

			n = i + 1 < len ? i + 1 : len;
			for (j = 0; j < n; j++)
				win[j] = hist[i + 1 - n + j];
			qsort(win, n, sizeof(win[0]), cmp_i64);
			if (n % 2)
				want_med = win[n / 2];
			else
				want_med = ref_floor_div(
				    win[n / 2 - 1] + win[n / 2], 2);
			for (j = 0; j < n; j++)
				sum += win[j];
			want_avg = ref_floor_div(sum, n);

			assert_true(gn_filter_sample(&med, hist[i]) ==
				    want_med);
			assert_true(gn_filter_sample(&avg, hist[i]) ==
				    want_avg);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init_errors),
	    cmocka_unit_test(test_median),
	    cmocka_unit_test(test_median_even_rounding),
	    cmocka_unit_test(test_median_duplicates),
	    cmocka_unit_test(test_median_extremes),
	    cmocka_unit_test(test_length_one),
	    cmocka_unit_test(test_average),
	    cmocka_unit_test(test_average_extremes),
	    cmocka_unit_test(test_reset),
	    cmocka_unit_test(test_bad_state_passthrough),
	    cmocka_unit_test(test_against_reference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_lib_pulse.c - periodic pulses on a synchronized clock injected by
 * a fake daemon: every instant is phase-aligned to the epoch (16 ms
 * pulses meet the second only on even seconds), no callback runs before
 * its instant, late wake-ups skip and count instants instead of
 * bursting, a step of the clock is counted as missed pulses and the
 * pulses stay aligned, statistics agree with what the callbacks saw, and
 * the PHC's periodic output is programmed (through a fake ioctl) for the
 * same instants and switched off at the end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <linux/ptp_clock.h>
#include <pthread.h>
#include <stdatomic.h>

#include "fake_page.h"
#include "lib.h"

#define MS    1000000LL
#define S     1000000000LL
#define MAXEV 512

static struct fake_page fp;
static struct gnomon *g;

struct rec {
	atomic_int n;
	struct gn_pulse_event ev[MAXEV];
	int64_t sync_ns[MAXEV];
	int sleep_us; /* callback's own duration */
};

static struct rec rec;

static int64_t sync_now(void)
{
	return fake_clock_at(&fp, fake_now(CLOCK_MONOTONIC_RAW));
}

static void on_pulse(struct gn_pulse *p, const struct gn_pulse_event *ev,
		     void *arg)
{
	int i = atomic_load(&rec.n);

	(void)p;
	(void)arg;
	if (i < MAXEV) {
		rec.ev[i] = *ev;
		rec.sync_ns[i] = sync_now();
		atomic_store(&rec.n, i + 1);
	}
	if (rec.sleep_us)
		usleep((useconds_t)rec.sleep_us);
}

static int setup(void **state)
{
	(void)state;
	/* TAI a little after an odd second, so even seconds come up. */
	if (fake_page_steady(&fp, CLOCK_MONOTONIC_RAW,
			     1700000001LL * S + 300 * MS))
		return -1;
	return gn_open(fp.path, &g);
}

static int teardown(void **state)
{
	(void)state;
	gn_close(g);
	fake_page_destroy(&fp);
	return 0;
}

static void run(struct gn_pulse_config *c, int64_t dur_ns,
		struct gn_pulse_stats *st)
{
	struct gn_pulse *p;

	memset(&rec, 0, sizeof(rec));
	assert_int_equal(gn_pulse_start(g, c, on_pulse, NULL, &p), 0);
	usleep((useconds_t)(dur_ns / 1000));
	assert_int_equal(gn_pulse_stats(p, st), 0);
	gn_pulse_stop(p);
}

/* Common checks: aligned, never early, indexes consistent. */
static void check_events(const struct gn_pulse_config *c, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		const struct gn_pulse_event *e = &rec.ev[i];

		assert_int_equal(e->target_tai_ns,
				 (int64_t)e->index * c->period_ns +
				     c->phase_ns);
		assert_true(e->fired_tai_ns >= e->target_tai_ns);
		assert_true(rec.sync_ns[i] >= e->target_tai_ns);
		assert_int_equal(e->lateness_ns,
				 e->fired_tai_ns - e->target_tai_ns);
		assert_true(e->lateness_ns < c->period_ns);
		if (i > 0)
			assert_int_equal(e->index,
					 rec.ev[i - 1].index + 1 + e->missed);
	}
}

static void test_16ms_alignment(void **state)
{
	struct gn_pulse_config c;
	struct gn_pulse_stats st;
	int i, n, seconds = 0;

	(void)state;
	gn_pulse_config_init(&c, 16 * MS);
	run(&c, 2300 * MS, &st);
	n = atomic_load(&rec.n);
	print_message("16 ms: %d pulses, %llu missed, lateness p50 %lld us, "
		      "max %lld us, realtime %d\n",
		      n, (unsigned long long)st.missed,
		      (long long)st.p50_ns / 1000, (long long)st.max_ns / 1000,
		      st.realtime);
	assert_true(n > 100);
	check_events(&c, n);
	/* The statistics were taken while pulses ran: one apart at most. */
	assert_true(st.count + 1 >= (uint64_t)n && st.count <= (uint64_t)n + 1);
	/* Pulses on a whole second fall on even seconds only. */
	for (i = 0; i < n; i++) {
		if (rec.ev[i].target_tai_ns % S == 0) {
			assert_int_equal((rec.ev[i].target_tai_ns / S) % 2, 0);
			assert_int_equal(rec.ev[i].index % 125, 0);
			seconds++;
		}
	}
	assert_true(seconds >= 1);
	assert_true(st.min_ns >= 0);
	assert_true(st.p50_ns <= st.p99_ns && st.p99_ns <= st.p999_ns &&
		    st.p999_ns <= st.max_ns);
}

static void test_periods_and_phase(void **state)
{
	static const int64_t periods[] = {20 * MS, 50 * MS, 256 * MS};
	struct gn_pulse_config c;
	struct gn_pulse_stats st;
	unsigned k;

	(void)state;
	for (k = 0; k < 3; k++) {
		gn_pulse_config_init(&c, periods[k]);
		c.phase_ns = periods[k] / 4;
		run(&c, 800 * MS, &st);
		assert_true(atomic_load(&rec.n) >= 2);
		check_events(&c, atomic_load(&rec.n));
		assert_int_equal(rec.ev[0].target_tai_ns % periods[k],
				 periods[k] / 4);
	}
	/* 1 s pulses on the UTC second (TAI 37 s ahead). */
	gn_pulse_config_init(&c, S);
	c.align = GN_ALIGN_UTC;
	run(&c, 1300 * MS, &st);
	assert_true(atomic_load(&rec.n) >= 1);
	assert_int_equal((rec.ev[0].target_tai_ns - 37 * S) % S, 0);
}

/* A callback that takes 45 ms on a 20 ms period: instants are skipped
 * and counted, the next callback is not run in a burst. */
static void test_missed(void **state)
{
	struct gn_pulse_config c;
	struct gn_pulse_stats st;
	int i, n;

	(void)state;
	gn_pulse_config_init(&c, 20 * MS);
	memset(&rec, 0, sizeof(rec));
	rec.sleep_us = 45000;
	{
		struct gn_pulse *p;

		assert_int_equal(gn_pulse_start(g, &c, on_pulse, NULL, &p), 0);
		usleep(600000);
		assert_int_equal(gn_pulse_stats(p, &st), 0);
		gn_pulse_stop(p);
	}
	n = atomic_load(&rec.n);
	print_message("slow callback: %d pulses, %llu missed\n", n,
		      (unsigned long long)st.missed);
	assert_true(n >= 5);
	assert_true(st.missed >= (uint64_t)n);
	check_events(&c, n);
	for (i = 1; i < n; i++)
		assert_true(rec.ev[i].missed >= 1);
	rec.sleep_us = 0;
}

/* The clock steps 1 s forward: 50 instants of 20 ms are missed, the
 * following pulses are on the grid. */
static void test_step(void **state)
{
	struct gn_pulse_config c;
	struct gn_pulse *p;
	struct gn_pulse_stats st;
	int n, i, after = -1;

	(void)state;
	gn_pulse_config_init(&c, 20 * MS);
	memset(&rec, 0, sizeof(rec));
	assert_int_equal(gn_pulse_start(g, &c, on_pulse, NULL, &p), 0);
	usleep(300000);
	fake_anchor(&fp, sync_now() + S, 0.0);
	fake_publish(&fp);
	usleep(300000);
	assert_int_equal(gn_pulse_stats(p, &st), 0);
	gn_pulse_stop(p);
	n = atomic_load(&rec.n);
	check_events(&c, n);
	for (i = 0; i < n; i++)
		if (rec.ev[i].missed >= 45)
			after = i;
	assert_true(after > 0);
	assert_true(rec.ev[after].missed <= 55);
	assert_true(st.missed >= 45);
}

static void test_bad_config(void **state)
{
	struct gn_pulse_config c;
	struct gn_pulse *p;

	(void)state;
	gn_pulse_config_init(&c, 0);
	assert_int_equal(gn_pulse_start(g, &c, on_pulse, NULL, &p), -EINVAL);
	gn_pulse_config_init(&c, 10 * MS);
	c.phase_ns = 10 * MS;
	assert_int_equal(gn_pulse_start(g, &c, on_pulse, NULL, &p), -EINVAL);
	c.phase_ns = 0;
	c.priority = 100;
	assert_int_equal(gn_pulse_start(g, &c, on_pulse, NULL, &p), -EINVAL);
	c.priority = 80;
	assert_int_equal(gn_pulse_start(g, &c, NULL, NULL, &p), -EINVAL);
	/* Hardware pulses need the daemon's PHC. */
	c.flags = GN_PULSE_HARDWARE;
	assert_int_equal(gn_pulse_start(g, &c, on_pulse, NULL, &p), -ENODEV);
}

/* ---- hardware pulses through a fake PHC ---- */

static struct ptp_perout_request reqs[4];
static int nreq;
static unsigned long last_cmd;

static int fake_ioctl(int fd, unsigned long cmd, void *arg)
{
	(void)fd;
	last_cmd = cmd;
	if (nreq < 4)
		reqs[nreq++] = *(struct ptp_perout_request *)arg;
	return 0;
}

static void test_perout_fill(void **state)
{
	struct gn_page_data d;
	struct gn_pulse_config c;
	struct ptp_perout_request r;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.timescale = GN_PAGE_TS_TAI;
	d.utc_offset_s = 37;
	gn_pulse_config_init(&c, 100 * MS);
	c.hw_channel = 2;
	/* Now 1000.3 s: the first instant at least 200 ms ahead: 1000.5. */
	assert_int_equal(gn_lib_perout_fill(&c, &d, 1000 * S + 300 * MS, &r),
			 0);
	assert_int_equal(r.index, 2);
	assert_int_equal(r.start.sec, 1000);
	assert_int_equal(r.start.nsec, 500000000);
	assert_int_equal(r.period.sec, 0);
	assert_int_equal(r.period.nsec, 100000000);
	/* UTC-aligned 1 s pulses on a TAI clock: TAI = UTC + 37 s. */
	gn_pulse_config_init(&c, S);
	c.align = GN_ALIGN_UTC;
	assert_int_equal(gn_lib_perout_fill(&c, &d, 1000 * S + 900 * MS, &r),
			 0);
	assert_int_equal(r.start.sec, 1002);
	assert_int_equal(r.start.nsec, 0);
	assert_int_equal(r.period.sec, 1);
	c.hw_channel = -1;
	assert_int_equal(gn_lib_perout_fill(&c, &d, 0, &r), -EINVAL);
}

static void test_hardware_fake_phc(void **state)
{
	char dir[] = "/tmp/gn-fake-ptp.XXXXXX", prefix[64], dev[80];
	struct gn_pulse_config c;
	struct gn_pulse_stats st;
	struct gn_pulse *p;
	int64_t now, start;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(prefix, sizeof(prefix), "%s/ptp", dir);
	snprintf(dev, sizeof(dev), "%s7", prefix);
	f = fopen(dev, "w");
	assert_non_null(f);
	fclose(f);
	gn_lib_phc_prefix = prefix;
	gn_lib_perout_ioctl = fake_ioctl;
	fp.pg->phc_index = 7;
	nreq = 0;
	gn_pulse_config_init(&c, 250 * MS);
	c.flags = GN_PULSE_HARDWARE;
	c.hw_channel = 1;
	now = sync_now();
	/* No callback: the hardware alone. */
	assert_int_equal(gn_pulse_start(g, &c, NULL, NULL, &p), 0);
	assert_int_equal(gn_pulse_stats(p, &st), 0);
	assert_true(st.hardware);
	assert_int_equal(nreq, 1);
	assert_int_equal(last_cmd, PTP_PEROUT_REQUEST2);
	start = (int64_t)reqs[0].start.sec * S + reqs[0].start.nsec;
	assert_int_equal(start % (250 * MS), 0);
	assert_true(start >= now + 200 * MS && start < now + 500 * MS);
	assert_int_equal(reqs[0].period.nsec, 250000000);
	assert_int_equal(reqs[0].index, 1);
	gn_pulse_stop(p);
	/* Stopping switches the output off: period 0. */
	assert_int_equal(nreq, 2);
	assert_int_equal(reqs[1].index, 1);
	assert_int_equal(reqs[1].period.sec, 0);
	assert_int_equal(reqs[1].period.nsec, 0);
	fp.pg->phc_index = -1;
	unlink(dev);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_16ms_alignment),
	    cmocka_unit_test(test_periods_and_phase),
	    cmocka_unit_test(test_missed),
	    cmocka_unit_test(test_step),
	    cmocka_unit_test(test_bad_config),
	    cmocka_unit_test(test_perout_fill),
	    cmocka_unit_test(test_hardware_fake_phc),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

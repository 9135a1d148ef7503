/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_extts.c - a PHC's external time stamps as a source (pps.c,
 * gnomon-phc2sys --extts_channel): the whole-second arithmetic, reading
 * kernel events (struct ptp_extts_event through a pipe standing in for
 * the PHC's file descriptor: channel filter, correction, short events,
 * timeout), the errors of opening a channel, the fake PHC's emulation
 * (exact stamps of a reference's seconds, pulses dropped across an
 * adjustment), and a closed loop: a fake PHC 2.5 ms and 40 ppb off
 * locked to the pulses with the seconds of a fake CLOCK_REALTIME.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/ptp_clock.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dclock.h"
#include "dsync.h"
#include "dtest.h"
#include "pps.h"

#define S_NS 1000000000LL

static void test_src_offset(void **state)
{
	int64_t off = 0;

	(void)state;
	/* A TAI PHC stamped 47.000000250 at the pulse, the UTC clock read
	 * 10.000000300 then: the pulse is UTC second 10. */
	assert_int_equal(gn_pps_src_offset(47000000250LL, 10000000300LL, &off),
			 0);
	assert_int_equal(off, 37000000250LL);
	/* Just before its second, too. */
	assert_int_equal(gn_pps_src_offset(47000000250LL, 9999999000LL, &off),
			 0);
	assert_int_equal(off, 37000000250LL);
	/* At the limit (10 ms), and beyond it. */
	assert_int_equal(gn_pps_src_offset(5 * S_NS, 3 * S_NS + 10000000, &off),
			 0);
	assert_int_equal(off, 2 * S_NS);
	off = 1;
	assert_int_equal(gn_pps_src_offset(5 * S_NS, 3 * S_NS + 10000001, &off),
			 -EAGAIN);
	assert_int_equal(gn_pps_src_offset(5 * S_NS, 3 * S_NS - 20000000, &off),
			 -EAGAIN);
	assert_int_equal(off, 1); /* untouched */
}

static void put_event(int fd, unsigned ch, int64_t sec, uint32_t nsec)
{
	struct ptp_extts_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.t.sec = sec;
	ev.t.nsec = nsec;
	ev.index = ch;
	assert_int_equal(write(fd, &ev, sizeof(ev)), (ssize_t)sizeof(ev));
}

static void test_read_events(void **state)
{
	struct gn_pps p;
	int pfd[2];
	int64_t ts = 0;

	(void)state;
	/* A pipe delivers whole records, as the PHC's read() does. */
	assert_int_equal(pipe2(pfd, O_DIRECT), 0);
	memset(&p, 0, sizeof(p));
	p.fd = pfd[0];
	p.extts = true;
	p.channel = 1;
	p.correction_ns = -5;
	put_event(pfd[1], 0, 5, 7);
	put_event(pfd[1], 1, 6, 100);
	assert_int_equal(gn_extts_read(&p, 100, &ts), 0);
	assert_int_equal(ts, 6 * S_NS + 95);
	/* Nothing more: a timeout. */
	assert_int_equal(gn_extts_read(&p, 10, &ts), -ETIMEDOUT);
	/* A short record. */
	assert_int_equal(write(pfd[1], "12345678", 8), 8);
	assert_int_equal(gn_extts_read(&p, 100, &ts), -EIO);
	close(pfd[0]);
	close(pfd[1]);
}

static void test_open_errors(void **state)
{
	struct gn_extts_config cfg = {
	    .channel = 0, .pin = -1, .edge = GN_EXTTS_RISING};
	struct gn_fakeset set;
	struct gn_dclock c;
	struct gn_pps p;
	char err[200];

	(void)state;
	memset(&set, 0, sizeof(set));
	assert_int_equal(gn_fakeset_parse(&set,
					  "CLOCK_REALTIME=0,/dev/ptp2=0:0:x,"
					  "/dev/ptp3=0",
					  err, sizeof(err)),
			 0);
	assert_int_equal(set.clk[1].n_extts, 2);
	assert_int_equal(set.clk[2].n_extts, 0);
	assert_non_null(set.clk[1].pps_ref);
	/* x is refused on a system clock. */
	{
		struct gn_fakeset s2;

		memset(&s2, 0, sizeof(s2));
		assert_int_equal(gn_fakeset_parse(&s2, "CLOCK_REALTIME=0:0:x",
						  err, sizeof(err)),
				 -EINVAL);
		assert_string_equal(err, "fake clock 'CLOCK_REALTIME=0:0:x': "
					 "a system clock has no EXTTS "
					 "channels");
	}
	gn_dclock_open_fake(&c, &set.clk[0]);
	assert_int_equal(gn_extts_open(&p, &c, &cfg, err, sizeof(err)),
			 -EOPNOTSUPP);
	assert_string_equal(err, "CLOCK_REALTIME: no external time stamp "
				 "channels: Operation not supported");
	gn_dclock_open_fake(&c, &set.clk[2]);
	assert_int_equal(gn_extts_open(&p, &c, &cfg, err, sizeof(err)),
			 -EOPNOTSUPP);
	gn_dclock_open_fake(&c, &set.clk[1]);
	cfg.channel = 2;
	assert_int_equal(gn_extts_open(&p, &c, &cfg, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "/dev/ptp2: no channel 2: Invalid argument");
	cfg.channel = 1;
	cfg.edge = 3;
	assert_int_equal(gn_extts_open(&p, &c, &cfg, err, sizeof(err)),
			 -EINVAL);
	cfg.edge = GN_EXTTS_FALLING;
	assert_int_equal(gn_extts_open(&p, &c, &cfg, err, sizeof(err)), 0);
	assert_int_equal(set.clk[1].extts_on, 2u);
	gn_pps_close(&p);
	assert_int_equal(set.clk[1].extts_on, 0u);

	/* The kernel path, on a descriptor that is no PHC (/dev/null). */
	memset(&c, 0, sizeof(c));
	snprintf(c.name, sizeof(c.name), "/dev/ptp9");
	c.kind = GN_DCLOCK_PHC;
	c.fd = open("/dev/null", O_RDWR);
	assert_true(c.fd >= 0);
	c.n_ext_ts = 1;
	c.n_pins = 0;
	cfg.channel = 1;
	assert_int_equal(gn_extts_open(&p, &c, &cfg, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "/dev/ptp9: no channel 1 "
				 "(PTP_CLOCK_GETCAPS): Invalid argument");
	cfg.channel = 0;
	cfg.pin = 0;
	assert_int_equal(gn_extts_open(&p, &c, &cfg, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "/dev/ptp9: no pin 0 (PTP_CLOCK_GETCAPS): "
				 "Invalid argument");
	c.n_pins = 4;
	assert_int_equal(gn_extts_open(&p, &c, &cfg, err, sizeof(err)),
			 -ENOTTY);
	assert_string_equal(err, "/dev/ptp9: PTP_PIN_SETFUNC pin 0: not a "
				 "PTP clock");
	cfg.pin = -1;
	assert_int_equal(gn_extts_open(&p, &c, &cfg, err, sizeof(err)),
			 -ENOTTY);
	assert_string_equal(err, "/dev/ptp9: PTP_EXTTS_REQUEST channel 0: "
				 "not a PTP clock");
	assert_int_equal(p.fd, -1);
	close(c.fd);
	/* A real system clock has no channels either. */
	memset(&c, 0, sizeof(c));
	snprintf(c.name, sizeof(c.name), "CLOCK_REALTIME");
	c.kind = GN_DCLOCK_SYSTEM;
	c.fd = -1;
	assert_int_equal(gn_extts_open(&p, &c, &cfg, err, sizeof(err)),
			 -EOPNOTSUPP);
	assert_string_equal(err, "CLOCK_REALTIME: not a PHC: Operation not "
				 "supported");
}

/* Truth (the reference whose seconds the pulses mark) reads 1000.2 s at
 * raw 0; the PHC reads 37 s + 2.5 ms more and runs 40 ppb fast. */
static struct dt_base b;
static struct gn_fakeclock truth, phc, sys;

static void rig(const int64_t *inc, unsigned n)
{
	dt_base_init(&b, 0, inc, n);
	gn_fakeclock_init(&truth, "pps", &b.fb, 1000200000000LL, 0.0);
	gn_fakeclock_init(&phc, "/dev/ptp4", &b.fb,
			  1000200000000LL + 37 * S_NS + 2500000, 40.0);
	phc.phc_index = 4;
	phc.n_extts = GN_FAKE_EXTTS_CHANNELS;
	phc.pps_ref = &truth;
	/* CLOCK_REALTIME (UTC) 1.2 ms ahead of the truth. */
	gn_fakeclock_init(&sys, "CLOCK_REALTIME", &b.fb,
			  1000200000000LL + 1200000, 0.0);
	sys.is_system = true;
	sys.is_utc = true;
	truth.raw_anchor_ns = phc.raw_anchor_ns = sys.raw_anchor_ns = 0;
	b.raw = 0;
}

static void test_fake_pulses(void **state)
{
	struct gn_extts_config cfg = {.channel = 1,
				      .pin = -1,
				      .edge = GN_EXTTS_RISING,
				      .correction_ns = 3};
	struct gn_dclock c;
	struct gn_pps p;
	int64_t ts = 0, raw;
	char err[160];

	(void)state;
	rig(NULL, 0); /* a frozen base: pulses are there at once */
	gn_dclock_open_fake(&c, &phc);
	assert_int_equal(gn_extts_open(&p, &c, &cfg, err, sizeof(err)), 0);
	/* Second 1001 of the truth: raw 0.8 s, the PHC's stamp 1038.0025 s
	 * plus 40 ppb of 0.8 s (32 ns), plus the correction. */
	assert_int_equal(gn_extts_read(&p, 0, &ts), 0);
	assert_int_equal(ts, 1038002500000LL + 32 + 3);
	assert_int_equal(gn_extts_read(&p, 0, &ts), 0);
	assert_int_equal(ts, 1039002500000LL + 72 + 3);
	/* A step moves the next stamps. */
	b.raw = 1900000000LL;
	assert_int_equal(gn_fakeclock_step(&phc, -2500000), 0);
	assert_int_equal(gn_extts_read(&p, 0, &ts), 0);
	assert_int_equal(ts, 1040000000000LL + 112 + 3);
	/* An adjustment at raw 5.5 s: pulses 1003..1005 are gone (their
	 * stamps would have the old frequency); the next is 1006, with
	 * the PHC now 1 ppm fast from raw 5.5 s. */
	b.raw = 5500000000LL;
	assert_int_equal(gn_fakeclock_adjfreq(&phc, 960.0), 0);
	assert_int_equal(gn_fakeclock_extts_next(&phc, false, &raw, &ts), 0);
	assert_int_equal(raw, 5800000000LL);
	assert_int_equal(gn_extts_read(&p, 0, &ts), 0);
	/* 1042.7 s + 220 ns at the adjustment, then 0.3 s at +1 ppm. */
	assert_int_equal(ts, 1043000000000LL + 220 + 300 + 3);
	/* Disabled: nothing more. */
	gn_pps_close(&p);
	assert_int_equal(gn_fakeclock_extts_next(&phc, false, &raw, &ts),
			 -EAGAIN);
	/* Not enabled: the read fails the same way. */
	p.fake = &phc;
	assert_int_equal(gn_extts_read(&p, 0, &ts), -EAGAIN);
}

/* Each read of the base moves it 1 us: the comparison of the PHC with
 * CLOCK_REALTIME takes a little time, as it would. */
static const int64_t inc_1us[] = {1000};

static void test_closed_loop(void **state)
{
	struct gn_extts_config cfg = {
	    .channel = 0, .pin = -1, .edge = GN_EXTTS_RISING};
	struct gn_dsync_config dc;
	struct gn_dsync_sink sink;
	struct gn_tprops tp = {.utc_offset_s = 37};
	struct gn_dclock c, s;
	struct gn_pps p;
	struct dt_log lg;
	int64_t ts, off, raw, err_ns = 0;
	char err[160];
	unsigned i;

	(void)state;
	rig(inc_1us, 1);
	dt_log_init(&lg);
	gn_dclock_open_fake(&c, &phc);
	gn_dclock_open_fake(&s, &sys);
	assert_int_equal(gn_extts_open(&p, &c, &cfg, err, sizeof(err)), 0);
	gn_dsync_config_default(&dc);
	dc.forced_sync_offset = true; /* -O 37: PHC - UTC = 37 s */
	gn_dsync_sink_init(&sink, &c, &dc);

	/* The first pulse: the PHC is 2.5 ms + 32 ns off the truth's
	 * second (UTC second 1001 from CLOCK_REALTIME, plus 37 s). */
	assert_int_equal(gn_fakeclock_extts_next(&phc, false, &raw, &ts), 0);
	b.raw = raw + 100000; /* read 0.1 ms after the pulse */
	assert_int_equal(gn_extts_sample(&p, &c, &s, 5, 0, &off, &ts), 0);
	assert_int_equal(ts, 1038002500032LL);
	assert_int_equal(off, 37002500032LL);
	assert_int_equal(gn_dsync_apply(&dc, &sink, &s, true, off, ts, -1, &tp,
					"extts", &lg.log),
			 0);
	assert_string_equal(lg.line[0], "/dev/ptp4 extts offset   2500032 s0 "
					"freq      +0");
	for (i = 0; i < 20; i++) {
		assert_int_equal(
		    gn_fakeclock_extts_next(&phc, false, &raw, &ts), 0);
		b.raw = raw + 100000;
		assert_int_equal(gn_extts_sample(&p, &c, &s, 5, 0, &off, &ts),
				 0);
		assert_int_equal(gn_dsync_apply(&dc, &sink, &s, true, off, ts,
						-1, &tp, "extts", &lg.log),
				 0);
		/* The true error at this pulse. */
		err_ns = ts - (raw + 1000200000000LL + 37 * S_NS);
	}
	/* Stepped once (-2.5 ms), then locked within a few ns. */
	assert_int_equal(phc.steps, 1);
	assert_true(phc.last_step_ns < -2500000 && phc.last_step_ns > -2500200);
	assert_int_equal(sink.state, GN_SERVO_LOCKED);
	assert_true(llabs(err_ns) < 10);
	assert_true(llabs(sink.last_offset_ns) < 10);

	/* CLOCK_REALTIME 20 ms off: which second the pulse is cannot be
	 * told; the distance is given back. */
	gn_fakeclock_step(&sys, 18800000);
	assert_int_equal(gn_fakeclock_extts_next(&phc, false, &raw, &ts), 0);
	b.raw = raw + 100000;
	assert_int_equal(gn_extts_sample(&p, &c, &s, 5, 0, &off, &ts), -EAGAIN);
	assert_true(llabs(off - 20000000) < 1000);
	/* Without a clock for the seconds, the PHC's own second. */
	assert_int_equal(gn_fakeclock_extts_next(&phc, false, &raw, &ts), 0);
	b.raw = raw + 100000;
	assert_int_equal(gn_extts_sample(&p, &c, NULL, 5, 0, &off, &ts), 0);
	assert_int_equal(off, gn_pps_offset(ts));
	assert_true(llabs(off) < 10);
	gn_pps_close(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_src_offset),
	    cmocka_unit_test(test_read_events),
	    cmocka_unit_test(test_open_errors),
	    cmocka_unit_test(test_fake_pulses),
	    cmocka_unit_test(test_closed_loop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_dsync.c - one sink update from a source on fake clocks in
 * simulated time (dsync.c): first measurement, step, frequency, the
 * phc2sys log lines, UTC/TAI offset, kernel leap second insertion at a
 * leap midnight and the suspended ambiguous second, leap slewing when
 * the kernel is not used, free running, read-only sinks, the sanity
 * check, and the chrony SOCK / NTP SHM outputs (bytes as the readers
 * expect them).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "clockcheck.h"
#include "dsync.h"
#include "dtest.h"
#include "refclock.h"

#define S_NS   1000000000LL
#define DAY_NS (86400LL * S_NS)

struct rig {
	struct dt_base b;
	struct gn_fakeclock fp, fs;
	struct gn_dclock p, s;
	struct gn_dsync_config cfg;
	struct gn_dsync_sink sink;
	struct gn_tprops tp;
	struct dt_log lg;
};

/* P keeps TAI, S (the system clock) UTC. Time does not move during a
 * measurement (delay 0): every offset is exact. */
static void rig_init(struct rig *r, int64_t utc_ns, int64_t s_error_ns,
		     double s_ppb)
{
	memset(r, 0, sizeof(*r));
	dt_base_init(&r->b, 0, NULL, 0);
	dt_log_init(&r->lg);
	gn_fakeclock_init(&r->fp, "/dev/ptp0", &r->b.fb, utc_ns + 37 * S_NS,
			  0.0);
	r->fp.phc_index = 0;
	gn_fakeclock_init(&r->fs, "CLOCK_REALTIME", &r->b.fb,
			  utc_ns + s_error_ns, s_ppb);
	r->fs.is_system = true;
	r->fs.is_utc = true;
	gn_dclock_open_fake(&r->p, &r->fp);
	gn_dclock_open_fake(&r->s, &r->fs);
	gn_dsync_config_default(&r->cfg);
	gn_dsync_sink_init(&r->sink, &r->s, &r->cfg);
	r->tp.utc_offset_s = 37;
	r->tp.utc_offset_traceable = true;
}

static int rig_update(struct rig *r)
{
	return gn_dsync_update(&r->cfg, &r->sink, &r->p, &r->tp, "phc",
			       &r->lg.log);
}

static void test_step_then_lock(void **state)
{
	struct rig r;

	(void)state;
	/* S is 50 us ahead and 20 ppm fast. */
	rig_init(&r, 1000 * S_NS, 50000, 20000.0);
	assert_int_equal(rig_update(&r), 0);
	assert_string_equal(r.lg.line[0], "CLOCK_REALTIME phc offset     50000 "
					  "s0 freq      +0 delay      0");
	/* the fake system clock (r.fs, no kernel clock) got TAI offset 37 */
	assert_int_equal(r.fs.tai_offset_s, 37);
	r.b.raw += S_NS;
	/* 70 us now, beyond first_step_threshold (20 us): step and set the
	 * frequency the two samples show (20 ppm). */
	assert_int_equal(rig_update(&r), 0);
	assert_int_equal(r.sink.state, GN_SERVO_JUMP);
	assert_int_equal(r.fs.steps, 1);
	assert_int_equal(r.fs.last_step_ns, -70000);
	assert_true(fabs(r.fs.freq_ppb + 20000.0) < 0.5);
	assert_string_equal(r.lg.line[1], "CLOCK_REALTIME phc offset     70000 "
					  "s1 freq  +20000 delay      0");
	r.b.raw += S_NS;
	assert_int_equal(rig_update(&r), 0);
	assert_int_equal(r.sink.state, GN_SERVO_LOCKED);
	assert_true(llabs(r.sink.last_offset_ns) <= 1);
	assert_int_equal(r.fs.steps, 1);
}

static void test_leap_insert_kernel(void **state)
{
	struct rig r;
	int rc, i, suspended = 0;

	(void)state;
	/* 2016-12-31 23:59:58 UTC, leap61 announced, S in sync. */
	rig_init(&r, 17167 * DAY_NS - 2 * S_NS, 0, 0.0);
	r.tp.leap = 1;
	assert_int_equal(rig_update(&r), 0);
	assert_int_equal(r.fs.leap_armed, 1);
	assert_int_equal(r.fs.leap_at_ns, 17167 * DAY_NS);
	assert_true(dt_find(&r.lg, 0,
			    "clock set to insert leap second at "
			    "midnight (UTC)") >= 0);
	assert_int_equal(r.sink.leap_set, 1);
	/* Every half second until 00:00:01.5 of the clock that does not
	 * leap: 23:59:59.0 is fine, then four half-seconds read 23:59:59.x
	 * (the second played twice) and are suspended. */
	for (i = 0; i < 6; i++) {
		r.b.raw += S_NS / 2;
		rc = rig_update(&r);
		if (rc == 1)
			suspended++;
	}
	assert_int_equal(suspended, 4);
	assert_true(dt_find(&r.lg, 0,
			    "clock update suspended due to leap "
			    "second") >= 0);
	assert_int_equal(r.fs.leaps_applied, 1);
	/* 00:00:00.5 UTC: the grandmaster still says 37 and leap61; the
	 * offset is taken as 38 and the leap as done. */
	r.b.raw += S_NS / 2;
	assert_int_equal(rig_update(&r), 0);
	assert_int_equal(r.sink.leap_set, 0);
	assert_int_equal(r.sink.sync_offset_s, 38);
	assert_true(llabs(r.sink.last_offset_ns) <= 1);
	assert_int_equal(r.fs.tai_offset_s, 38);
	assert_int_equal(r.fs.steps, 0);
	/* Later the grandmaster announces 38 without the flag. */
	r.tp.leap = 0;
	r.tp.utc_offset_s = 38;
	r.b.raw += S_NS;
	assert_int_equal(rig_update(&r), 0);
	assert_true(llabs(r.sink.last_offset_ns) <= 1);
}

static void test_leap_slewed_without_kernel(void **state)
{
	struct rig r;
	int i;

	(void)state;
	rig_init(&r, 17167 * DAY_NS - 2 * S_NS, 0, 0.0);
	r.cfg.kernel_leap = false;
	r.tp.leap = 1;
	assert_int_equal(rig_update(&r), 0);
	assert_int_equal(r.fs.leap_armed, 0); /* the kernel is not told */
	assert_int_equal(r.sink.leap_set, 1);
	/* 23:59:58.5, 59.0 and 59.5 (these two suspended), 00:00:00.0. */
	for (i = 0; i < 4; i++) {
		r.b.raw += S_NS / 2;
		rig_update(&r);
	}
	/* 00:00:00.0 (TAI - 38): the clock is a second ahead; the servo
	 * sees it taken out, to be slewed at 100 ppm. */
	assert_int_equal(r.sink.slew_ns, S_NS);
	assert_true(dt_find(&r.lg, 0, "CLOCK_REALTIME: slewing leap second") >=
		    0);
	/* What is logged and steered is the offset less the slew. */
	assert_true(llabs(r.sink.last_offset_ns) <= 1);
	r.b.raw += S_NS;
	assert_int_equal(rig_update(&r), 0);
	assert_int_equal(r.sink.slew_ns, S_NS - 100000);
	assert_int_equal(r.fs.steps, 0);
}

static void test_free_running_and_read_only(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r, 1000 * S_NS, 50000, 0.0);
	r.cfg.free_running = true;
	rig_update(&r);
	r.b.raw += S_NS;
	rig_update(&r);
	assert_int_equal(r.fs.adjustments, 0);
	assert_int_equal(r.fs.steps, 0);
	assert_string_equal(r.lg.line[1], "CLOCK_REALTIME phc offset     50000 "
					  "s0 freq      +0 delay      0");

	rig_init(&r, 1000 * S_NS, 50000, 0.0);
	r.fs.read_only = true;
	gn_dclock_open_fake(&r.s, &r.fs);
	assert_int_equal(rig_update(&r), -EPERM);
	assert_int_equal(rig_update(&r), -EPERM);
	assert_int_equal(r.lg.n, 1); /* said once */
	assert_string_equal(r.lg.line[0], "CLOCK_REALTIME: clock is not "
					  "adjustable (read-only), not "
					  "steering it");
	assert_int_equal(r.fs.adjustments, 0);
}

static void test_summary_lines(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r, 1000 * S_NS, 3000, 0.0);
	r.cfg.stats_max_count = 2;
	r.cfg.free_running = true;
	rig_update(&r);
	assert_int_equal(r.lg.n, 0);
	r.b.raw += S_NS;
	rig_update(&r);
	assert_int_equal(r.lg.n, 1);
	assert_string_equal(r.lg.line[0], "CLOCK_REALTIME rms 3000 max 3000 "
					  "freq     +0 +/-   0 delay     0 +/- "
					  "  0");
}

static void test_clockcheck(void **state)
{
	struct gn_clockcheck cc;

	(void)state;
	gn_clockcheck_init(&cc, 1000.0);
	/* Nothing is judged before a frequency was set. */
	assert_int_equal(gn_clockcheck_sample(&cc, 0, 0), GN_CLOCKCHECK_OK);
	gn_clockcheck_set_freq(&cc, 0.0);
	assert_int_equal(gn_clockcheck_sample(&cc, 0, 0), GN_CLOCKCHECK_OK);
	/* 2 ppm fast over a second against a 1 ppm limit. */
	assert_int_equal(gn_clockcheck_sample(&cc, S_NS + 2000, S_NS),
			 GN_CLOCKCHECK_FAST);
	/* The same rate explained by a +2 ppm adjustment is fine. */
	gn_clockcheck_set_freq(&cc, 2000.0);
	assert_int_equal(gn_clockcheck_sample(&cc, 2 * S_NS + 4000, 2 * S_NS),
			 GN_CLOCKCHECK_OK);
	/* A jump back. */
	assert_int_equal(gn_clockcheck_sample(&cc, S_NS, 3 * S_NS),
			 GN_CLOCKCHECK_SLOW);
	/* Someone else changed the frequency. */
	assert_int_equal(gn_clockcheck_freq(&cc, 2000.5), GN_CLOCKCHECK_OK);
	assert_int_equal(gn_clockcheck_freq(&cc, 2005.0),
			 GN_CLOCKCHECK_FREQ_CHANGED);
	/* Our own step is accounted for. */
	gn_clockcheck_step(&cc, 5 * S_NS);
	assert_int_equal(gn_clockcheck_sample(&cc, 7 * S_NS + 2000, 4 * S_NS),
			 GN_CLOCKCHECK_OK);
}

static void test_sock_output(void **state)
{
	struct gn_refclock_sock out;
	struct gn_sock_sample s;
	struct sockaddr_un sa;
	char path[64], err[128];
	uint8_t buf[128];
	struct rig r;
	int fd;

	(void)state;
	assert_int_equal(sizeof(struct gn_sock_sample), 40);
	gn_refclock_sock_fill(&s, 1500000000123456789LL, -2500, -1);
	assert_int_equal(s.tv.tv_sec, 1500000000);
	assert_int_equal(s.tv.tv_usec, 123456);
	assert_true(s.offset == 2.5e-6);
	assert_int_equal(s.leap, GN_NTP_LEAP_DELETE);
	assert_int_equal(s.magic, 0x534f434b);
	assert_int_equal(s.pulse, 0);

	/* chronyd's end: a bound datagram socket. */
	snprintf(path, sizeof(path), "/tmp/gnomon-test-sock.%d", (int)getpid());
	unlink(path);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(gn_refclock_sock_open(&out, path, err, sizeof(err)),
			 0);

	rig_init(&r, 1000 * S_NS, 50000, 0.0);
	r.cfg.output = GN_DSYNC_SOCK;
	r.cfg.sock = &out;
	r.tp.utc_offset_traceable = false;
	assert_int_equal(rig_update(&r), 0);
	assert_int_equal(recv(fd, buf, sizeof(buf), MSG_DONTWAIT), 40);
	memcpy(&s, buf, sizeof(s));
	assert_int_equal(s.magic, GN_SOCK_MAGIC);
	assert_true(s.offset == -50000e-9);
	assert_int_equal(s.tv.tv_sec, 1000);
	assert_int_equal(s.tv.tv_usec, 50);
	assert_int_equal(r.fs.adjustments + r.fs.steps, 0);
	assert_string_equal(r.lg.line[0], "CLOCK_REALTIME phc offset     50000 "
					  "s0 freq      +0 delay      0");
	gn_refclock_sock_close(&out);
	close(fd);
	unlink(path);
}

static void test_shm_output(void **state)
{
	struct gn_shm_time t;
	struct gn_refclock_shm shm;
	char err[128];
	int seg = 0x4000 + (int)(getpid() % 0x1000), id;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.count = 6;
	/* Sink read 100.000000300 s, 300 ns ahead of the source. */
	gn_refclock_shm_write(&t, 100 * S_NS + 300, 300, 1);
	assert_int_equal(t.mode, 1);
	assert_int_equal(t.count, 8);
	assert_int_equal(t.valid, 1);
	assert_int_equal(t.clock_sec, 100);
	assert_int_equal(t.clock_nsec, 0);
	assert_int_equal(t.clock_usec, 0);
	assert_int_equal(t.receive_sec, 100);
	assert_int_equal(t.receive_nsec, 300);
	assert_int_equal(t.leap, GN_NTP_LEAP_INSERT);
	assert_int_equal(t.precision, -30);

	assert_int_equal(gn_refclock_shm_open(&shm, seg, err, sizeof(err)), 0);
	gn_refclock_shm_send(&shm, 7 * S_NS, -1000, 0);
	assert_int_equal(shm.t->clock_sec, 7);
	assert_int_equal(shm.t->clock_nsec, 1000);
	assert_int_equal(shm.t->valid, 1);
	gn_refclock_shm_close(&shm);
	id = shmget((key_t)(GN_SHM_KEY_BASE + seg), 0, 0);
	assert_true(id >= 0);
	shmctl(id, IPC_RMID, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_step_then_lock),
	    cmocka_unit_test(test_leap_insert_kernel),
	    cmocka_unit_test(test_leap_slewed_without_kernel),
	    cmocka_unit_test(test_free_running_and_read_only),
	    cmocka_unit_test(test_summary_lines),
	    cmocka_unit_test(test_clockcheck),
	    cmocka_unit_test(test_sock_output),
	    cmocka_unit_test(test_shm_output),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

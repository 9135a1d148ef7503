/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_discipline.c - gnomond's discipline API (discipline.c) on fake
 * clocks in real time: disabled by default, configuration errors, ports
 * without a PHC left alone, a grandmaster's CLOCK_REALTIME driving the
 * PHCs (auto_rr), then a slave port's PHC driving CLOCK_REALTIME with
 * the UTC offset of the time properties, and the log lines that say so;
 * a port the daemon moves to another PHC; and the configuration parser
 * hook that lets gnomon-phc2sys's files say clock_servo ntpshm or
 * refclock_sock while gnomond's parser keeps refusing them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "discipline.h"
#include "dtest.h"

static struct dt_log lg;

static struct gn_config *make_cfg(const char *mode, const char *fakes)
{
	struct gn_config *cfg = gn_config_create();
	char err[256];

	assert_non_null(cfg);
	if (mode)
		assert_int_equal(gn_config_set_cmdline(cfg, "discipline", mode,
						       err, sizeof(err)),
				 0);
	if (fakes)
		assert_int_equal(gn_config_set_cmdline(cfg,
						       "discipline_fake_clocks",
						       fakes, err, sizeof(err)),
				 0);
	assert_int_equal(gn_config_set_cmdline(cfg, "discipline_rate", "50",
					       err, sizeof(err)),
			 0);
	return cfg;
}

/* n timer ticks (bounded: 2 s each at most). */
static void ticks(struct gn_discipline *d, int n)
{
	struct pollfd p = {.fd = gn_discipline_fd(d), .events = POLLIN};
	int i;

	for (i = 0; i < n; i++) {
		assert_int_equal(poll(&p, 1, 2000), 1);
		gn_discipline_run(d);
	}
}

static void test_off_and_errors(void **state)
{
	struct gn_config *cfg;
	char err[256];

	(void)state;
	cfg = make_cfg(NULL, NULL);
	err[0] = 'x';
	assert_null(gn_discipline_open(cfg, NULL, NULL, err, sizeof(err)));
	assert_string_equal(err, "");
	gn_config_destroy(cfg);

	cfg = make_cfg("auto", "eth0");
	assert_null(gn_discipline_open(cfg, NULL, NULL, err, sizeof(err)));
	assert_string_equal(err, "discipline_fake_clocks: fake clock 'eth0': "
				 "expected NAME=OFFSET_NS");
	gn_config_destroy(cfg);
}

static void test_gm_then_slave(void **state)
{
	struct gn_time_properties_ds tp;
	struct gn_discipline *d;
	struct gn_config *cfg;
	long long off;
	char err[256];
	unsigned from;

	(void)state;
	dt_log_init(&lg);
	/* CLOCK_REALTIME 2 ms ahead; eth0's PHC on time; eth1's 3 ms
	 * behind and 40 ppm slow; eth2 has no PHC. */
	cfg = make_cfg("auto_rr",
		       "CLOCK_REALTIME=2000000,eth0=0,eth1=-3000000:-40000");
	d = gn_discipline_open(cfg, dt_vlog, &lg, err, sizeof(err));
	assert_non_null(d);
	assert_true(gn_discipline_fd(d) >= 0);
	gn_discipline_port_state(d, 0, "eth0", -1, GN_PS_LISTENING);
	gn_discipline_port_state(d, 1, "eth1", -1, GN_PS_LISTENING);
	gn_discipline_port_state(d, 2, "eth2", -1, GN_PS_LISTENING);
	assert_true(dt_find(&lg, 0,
			    "discipline: eth2 has no PHC, not "
			    "disciplined") >= 0);
	/* Listening everywhere, as a grandmaster: the system clock drives
	 * both PHCs (stepped at the second update, as phc2sys). */
	ticks(d, 6);
	assert_true(dt_find(&lg, 0,
			    "selecting system clock as source "
			    "clock") >= 0);
	assert_true(dt_find_sub(&lg, 0, "eth0 sys offset") >= 0);
	assert_int_equal(gn_discipline_last_offset(d, "eth1", &off), 0);
	assert_true(llabs(off) < 20000);
	assert_int_equal(gn_discipline_last_offset(d, "eth0", &off), 0);
	assert_true(llabs(off) < 20000);
	assert_int_equal(gn_discipline_last_offset(d, "CLOCK_REALTIME", &off),
			 -EAGAIN);
	assert_int_equal(gn_discipline_last_offset(d, "eth9", &off), -ENOENT);

	/* eth0 becomes a slave, its grandmaster on the PTP time scale: the
	 * system clock now follows eth0, 37 s behind (UTC). */
	from = lg.n;
	memset(&tp, 0, sizeof(tp));
	tp.ptp_timescale = true;
	tp.current_utc_offset = 37;
	tp.current_utc_offset_valid = true;
	gn_discipline_time_properties(d, &tp);
	gn_discipline_port_state(d, 0, "eth0", -1, GN_PS_SLAVE);
	ticks(d, 6);
	assert_true(dt_find(&lg, from, "port eth0 (port 1) changed state") >=
		    0);
	assert_true(
	    dt_find(&lg, from, "selecting eth0 as domain source clock") >= 0);
	assert_true(dt_find(&lg, from,
			    "selecting system clock for "
			    "synchronization") >= 0);
	assert_true(dt_find_sub(&lg, from, "CLOCK_REALTIME phc offset") >= 0);
	assert_int_equal(gn_discipline_last_offset(d, "CLOCK_REALTIME", &off),
			 0);
	assert_true(llabs(off) < 20000);
	assert_true(gn_discipline_updates(d) >= 10);
	gn_discipline_close(d);
	gn_config_destroy(cfg);
}

/* The daemon moves a port to another PHC: the discipline follows. */
static void test_phc_switch(void **state)
{
	struct gn_discipline *d;
	struct gn_config *cfg;
	char err[256];
	long long off;

	(void)state;
	dt_log_init(&lg);
	cfg = make_cfg("auto_rr", "CLOCK_REALTIME=0,/dev/ptp3=5000000,"
				  "/dev/ptp4=-7000000");
	d = gn_discipline_open(cfg, dt_vlog, &lg, err, sizeof(err));
	assert_non_null(d);
	gn_discipline_port_state(d, 0, "eth0", 3, GN_PS_SLAVE);
	ticks(d, 2);
	assert_int_equal(gn_discipline_last_offset(d, "CLOCK_REALTIME", &off),
			 0);
	assert_true(llabs(off + 5000000) < 100000); /* sys - ptp3 */
	gn_discipline_port_state(d, 0, "eth0", 4, GN_PS_LISTENING);
	assert_true(dt_find(&lg, 0, "eth0: PHC changed from 3 to 4") >= 0);
	/* Back to SLAVE: the system clock now follows PHC 4, its servo
	 * started over. */
	gn_discipline_port_state(d, 0, "eth0", 4, GN_PS_SLAVE);
	ticks(d, 1);
	assert_int_equal(gn_discipline_last_offset(d, "CLOCK_REALTIME", &off),
			 0);
	assert_true(llabs(off - 7000000) < 100000); /* sys - ptp4 */
	assert_non_null(strstr(lg.line[lg.n - 1], "CLOCK_REALTIME phc offset"));
	assert_non_null(strstr(lg.line[lg.n - 1], " s0 freq"));
	gn_discipline_close(d);
	gn_config_destroy(cfg);
}

/* A -f file of gnomon-phc2sys with clock_servo VALUE: what the parser
 * says with and without the tool's hook. */
static int read_servo_file(const char *value, bool hook, int64_t *servo,
			   char *err, size_t errlen)
{
	char path[] = "/tmp/gn_test_discipline_XXXXXX";
	struct gn_config *cfg = gn_config_create();
	FILE *fp;
	int fd, rc;

	assert_non_null(cfg);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	fprintf(fp, "[global]\nclock_servo %s\nntpshm_segment 3\n", value);
	fclose(fp);
	if (hook)
		gn_config_set_accept_hook(cfg, gn_discipline_config_accept,
					  NULL);
	rc = gn_config_read(cfg, path, err, errlen);
	if (rc == 0) {
		*servo = gn_config_get_int(cfg, NULL, "clock_servo");
		assert_int_equal(gn_config_get_int(cfg, NULL, "ntpshm_segment"),
				 3);
	}
	unlink(path);
	gn_config_destroy(cfg);
	return rc;
}

static void test_config_hook(void **state)
{
	char err[GN_CONFIG_ERR_MAX];
	int64_t servo = -1;

	(void)state;
	/* gnomond (no hook): the NTP outputs are not its PTP servos. */
	assert_int_equal(
	    read_servo_file("ntpshm", false, &servo, err, sizeof(err)),
	    -EINVAL);
	assert_non_null(strstr(err, ":2: option 'clock_servo': value 'ntpshm' "
				    "not supported yet"));
	assert_int_equal(
	    read_servo_file("refclock_sock", false, &servo, err, sizeof(err)),
	    -EINVAL);
	/* gnomon-phc2sys's hook takes them from the file. */
	assert_int_equal(
	    read_servo_file("ntpshm", true, &servo, err, sizeof(err)), 0);
	assert_int_equal(servo, GN_CFG_SERVO_NTPSHM);
	assert_int_equal(
	    read_servo_file("REFCLOCK_SOCK", true, &servo, err, sizeof(err)),
	    0);
	assert_int_equal(servo, GN_CFG_SERVO_REFCLOCK_SOCK);
	/* and nothing else: nullf stays unsupported, bad names bad. */
	assert_int_equal(
	    read_servo_file("nullf", true, &servo, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "value 'nullf' not supported yet"));
	assert_int_equal(read_servo_file("pid", true, &servo, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "bad value 'pid'"));
	/* The hook only widens enumerated values of clock_servo. */
	assert_false(gn_discipline_config_accept(
	    NULL, "discipline_servo", "ntpshm", GN_CFG_SERVO_NTPSHM));
	assert_false(gn_discipline_config_accept(NULL, "clock_servo", "nullf",
						 GN_CFG_SERVO_NULLF));
	assert_true(gn_discipline_config_accept(NULL, "clock_servo", "ntpshm",
						GN_CFG_SERVO_NTPSHM));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_off_and_errors),
	    cmocka_unit_test(test_gm_then_slave),
	    cmocka_unit_test(test_phc_switch),
	    cmocka_unit_test(test_config_hook),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

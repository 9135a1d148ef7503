/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_autocfg.c - the automatic mode's reactions to port states
 * (autocfg.c, sans-IO): which clock becomes the source of each domain,
 * which are sinks, when synchronization waits, servo resets, -r vs -rr,
 * two PHCs behind one port set, several domains (out-of-domain source),
 * lost connections, and the exact phc2sys log lines of each decision.
 * With the host (dhost.c) on fake PHCs and a fake daemon answering the
 * port query: a port's PHC switched at run time (a bond failover), as
 * source and as sink.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>

#include "autocfg.h"
#include "dataset.h"
#include "dhost.h"
#include "dtest.h"

static struct dt_log lg;
static struct gn_autocfg ac;

/* One PTP domain with eth0 (PHC 0) and eth1 (PHC 1), and the system
 * clock's domain (-r when dest_only, -rr otherwise). */
static void setup(bool dest_only, int st0, int st1, int phc1)
{
	dt_log_init(&lg);
	gn_ac_init(&ac, &lg.log);
	assert_int_equal(gn_ac_add_domain(&ac), 0);
	assert_int_equal(gn_ac_add_port(&ac, 0, 1, "eth0", 0, st0), 0);
	assert_int_equal(gn_ac_add_port(&ac, 0, 2, "eth1", phc1, st1), 1);
	assert_int_equal(gn_ac_add_sys_domain(&ac, "CLOCK_REALTIME", dest_only),
			 1);
	gn_ac_domain_ready(&ac, 0);
	gn_ac_set_subscribed(&ac, 0, true);
}

static void test_listening_then_slave(void **state)
{
	unsigned from;

	(void)state;
	setup(true, GN_PS_LISTENING, GN_PS_LISTENING, 1);
	assert_true(gn_ac_pending(&ac));
	gn_ac_reconfigure(&ac);
	assert_false(gn_ac_pending(&ac));
	assert_string_equal(lg.line[0],
			    "reconfiguring after port state change");
	assert_string_equal(lg.line[1], "eth0: state change NONE -> DISABLED");
	assert_int_equal(lg.level[1], GN_DLOG_DEBUG);
	assert_string_equal(lg.line[2], "selecting eth0 for synchronization");
	assert_string_equal(lg.line[3], "eth1: state change NONE -> DISABLED");
	assert_string_equal(lg.line[4], "selecting eth1 for synchronization");
	assert_int_equal(lg.n, 5);
	assert_int_equal(gn_ac_source(&ac, 0), -1);
	assert_int_equal(gn_ac_source(&ac, 1), -1);
	assert_false(gn_ac_update_needed(&ac, 1, 2));

	/* eth0 becomes a slave: it drives the system clock and eth1. */
	from = lg.n;
	assert_int_equal(
	    gn_ac_port_state(&ac, 0, 1, GN_PS_SLAVE, "000001.fffe.000001-1"),
	    1);
	assert_string_equal(lg.line[from],
			    "port 000001.fffe.000001-1 changed state");
	/* The same state again changes nothing. */
	assert_int_equal(gn_ac_port_state(&ac, 0, 1, GN_PS_SLAVE, "x"), 0);
	assert_true(gn_ac_pending(&ac));
	gn_ac_reconfigure(&ac);
	assert_true(dt_find(&lg, from,
			    "eth0: state change DISABLED -> "
			    "SLAVE") > 0);
	assert_true(dt_find(&lg, from, "selecting eth1 for synchronization") >
		    0);
	assert_true(
	    dt_find(&lg, from, "selecting eth0 as domain source clock") > 0);
	assert_true(dt_find(&lg, from,
			    "selecting system clock for synchronization") > 0);
	assert_int_equal(dt_find_sub(&lg, from, "out-of-domain"), -1);
	assert_int_equal(gn_ac_source(&ac, 0), 0);
	assert_int_equal(gn_ac_source(&ac, 1), 0);
	assert_int_equal(gn_ac_source_domain(&ac, 1), 0);
	assert_true(gn_ac_update_needed(&ac, 1, 2));  /* the system clock */
	assert_true(gn_ac_update_needed(&ac, 0, 1));  /* eth1 */
	assert_false(gn_ac_update_needed(&ac, 0, 0)); /* not the source */
	/* Going from DISABLED to SLAVE resets nothing; sinks newly
	 * selected get a fresh sanity check. */
	assert_false(gn_ac_take_reset_servo(&ac, 0));
	assert_true(gn_ac_take_reset_check(&ac, 1));
	assert_false(gn_ac_take_reset_check(&ac, 1));

	/* UNCALIBRATED (a new master being measured): wait. */
	from = lg.n;
	gn_ac_port_state(&ac, 0, 1, GN_PS_UNCALIBRATED, "p1");
	gn_ac_reconfigure(&ac);
	assert_true(dt_find(&lg, from, "source clock not ready, waiting...") >
		    0);
	assert_int_equal(gn_ac_source(&ac, 0), -1);
	assert_false(gn_ac_update_needed(&ac, 0, 1));
}

static void test_master_rr_drives_phcs(void **state)
{
	unsigned from;

	(void)state;
	/* -rr, both ports masters (a grandmaster). */
	setup(false, GN_PS_MASTER, GN_PS_PRE_MASTER, 1);
	gn_ac_reconfigure(&ac);
	assert_true(dt_find(&lg, 0,
			    "selecting system clock as source "
			    "clock") > 0);
	assert_int_equal(gn_ac_source(&ac, 0), 2);
	assert_int_equal(gn_ac_source_domain(&ac, 0), 1);
	assert_int_equal(gn_ac_source(&ac, 1), 2);
	assert_true(gn_ac_update_needed(&ac, 0, 0));
	assert_true(gn_ac_update_needed(&ac, 0, 1));
	/* Never the system clock with itself. */
	assert_false(gn_ac_update_needed(&ac, 1, 2));
	/* A PHC that became MASTER restarts its servo. */
	assert_true(gn_ac_take_reset_servo(&ac, 0));
	assert_false(gn_ac_take_reset_servo(&ac, 1)); /* PRE_MASTER */

	/* Same ports with -r only: no source anywhere. */
	setup(true, GN_PS_MASTER, GN_PS_MASTER, 1);
	gn_ac_reconfigure(&ac);
	assert_int_equal(gn_ac_source(&ac, 0), -1);
	assert_int_equal(gn_ac_source(&ac, 1), -1);

	/* The slave appears: the PHC of eth1 becomes the source and the
	 * system clock a sink again. */
	from = lg.n;
	gn_ac_port_state(&ac, 0, 2, GN_PS_SLAVE, "p2");
	gn_ac_reconfigure(&ac);
	assert_true(
	    dt_find(&lg, from, "selecting eth1 as domain source clock") > 0);
	assert_int_equal(gn_ac_source(&ac, 1), 1);
}

static void test_same_phc_and_two_slaves(void **state)
{
	(void)state;
	/* eth0 and eth1 share PHC 0: one sink only. */
	setup(true, GN_PS_MASTER, GN_PS_MASTER, 0);
	gn_ac_reconfigure(&ac);
	assert_true(dt_find(&lg, 0,
			    "skipping eth1: eth0 has the same clock "
			    "and is already selected") > 0);
	assert_int_equal(ac.dom[0].ndst, 1);

	/* Two slaves on different PHCs: postponed. */
	setup(true, GN_PS_SLAVE, GN_PS_SLAVE, 1);
	gn_ac_reconfigure(&ac);
	assert_true(dt_find(&lg, 0,
			    "multiple source clocks available, "
			    "postponing sync...") > 0);
	assert_int_equal(gn_ac_source(&ac, 0), -1);
}

static void test_states_normalized(void **state)
{
	(void)state;
	assert_int_equal(gn_ac_normalize_state(GN_PS_LISTENING),
			 GN_PS_DISABLED);
	assert_int_equal(gn_ac_normalize_state(GN_PS_FAULTY), GN_PS_DISABLED);
	assert_int_equal(gn_ac_normalize_state(GN_PS_PASSIVE), GN_PS_DISABLED);
	assert_int_equal(gn_ac_normalize_state(GN_PS_INITIALIZING),
			 GN_PS_DISABLED);
	assert_int_equal(gn_ac_normalize_state(GN_PS_PRE_MASTER),
			 GN_PS_PRE_MASTER);
	assert_int_equal(gn_ac_normalize_state(GN_PS_UNCALIBRATED),
			 GN_PS_UNCALIBRATED);
	/* A clock takes its best port: SLAVE over MASTER. */
	dt_log_init(&lg);
	gn_ac_init(&ac, &lg.log);
	gn_ac_add_domain(&ac);
	assert_int_equal(gn_ac_add_port(&ac, 0, 1, "eth0", 0, GN_PS_MASTER), 0);
	assert_int_equal(gn_ac_add_port(&ac, 0, 2, "eth0", 0, GN_PS_SLAVE), 0);
	gn_ac_domain_ready(&ac, 0);
	gn_ac_set_subscribed(&ac, 0, true);
	gn_ac_reconfigure(&ac);
	assert_int_equal(ac.clk[0].state, GN_PS_SLAVE);
	assert_int_equal(gn_ac_source(&ac, 0), 0);
	/* Unknown port. */
	assert_int_equal(gn_ac_port_state(&ac, 0, 9, GN_PS_SLAVE, "a-9"),
			 -ENOENT);
	assert_true(dt_find(&lg, 0, "received data for unknown port a-9") >= 0);
}

static void test_multi_domain(void **state)
{
	unsigned from;

	(void)state;
	/* Two PTP instances and the system clock (-a -r with two -z). */
	dt_log_init(&lg);
	gn_ac_init(&ac, &lg.log);
	gn_ac_add_domain(&ac);
	gn_ac_add_domain(&ac);
	gn_ac_add_port(&ac, 0, 1, "eth0", 0, GN_PS_MASTER);
	gn_ac_add_port(&ac, 1, 1, "eth1", 1, GN_PS_SLAVE);
	gn_ac_add_sys_domain(&ac, "CLOCK_REALTIME", true);
	gn_ac_domain_ready(&ac, 0);
	gn_ac_domain_ready(&ac, 1);
	gn_ac_set_subscribed(&ac, 0, true);
	gn_ac_set_subscribed(&ac, 1, true);
	gn_ac_reconfigure(&ac);
	assert_true(dt_find(&lg, 0,
			    "selecting eth1 as out-of-domain source "
			    "clock") > 0);
	/* eth0's domain has no source of its own: eth1 drives it. */
	assert_int_equal(gn_ac_source(&ac, 0), 1);
	assert_int_equal(gn_ac_source_domain(&ac, 0), 1);
	assert_int_equal(gn_ac_source(&ac, 2), 1);
	assert_true(gn_ac_update_needed(&ac, 0, 0));

	/* Both slaves: the first domain wins, the second keeps its own. */
	from = lg.n;
	gn_ac_port_state(&ac, 0, 1, GN_PS_SLAVE, "d0-1");
	gn_ac_reconfigure(&ac);
	assert_true(dt_find(&lg, from,
			    "selecting eth0 as out-of-domain "
			    "source clock") > 0);
	assert_int_equal(gn_ac_source(&ac, 0), 0);
	assert_int_equal(gn_ac_source(&ac, 1), 1);
	assert_int_equal(gn_ac_source(&ac, 2), 0);

	/* Domain 0's daemon goes away: domain 1 takes over. */
	from = lg.n;
	gn_ac_set_subscribed(&ac, 0, false);
	gn_ac_mark_changed(&ac, 0);
	gn_ac_reconfigure(&ac);
	assert_true(dt_find(&lg, from,
			    "selecting eth1 as out-of-domain "
			    "source clock") > 0);
	assert_int_equal(gn_ac_source(&ac, 2), 1);
}

static void test_no_phc_ready(void **state)
{
	(void)state;
	dt_log_init(&lg);
	gn_ac_init(&ac, &lg.log);
	gn_ac_add_domain(&ac);
	gn_ac_set_subscribed(&ac, 0, true);
	gn_ac_domain_ready(&ac, 0);
	gn_ac_reconfigure(&ac);
	assert_true(dt_find(&lg, 0, "no PHC ready, waiting...") > 0);
	/* A static sink (-c) on the PHC of a port is skipped. */
	dt_log_init(&lg);
	gn_ac_init(&ac, &lg.log);
	gn_ac_add_domain(&ac);
	gn_ac_add_port(&ac, 0, 1, "eth0", 0, GN_PS_SLAVE);
	assert_int_equal(gn_ac_add_static_sink(&ac, 0, "/dev/ptp0", 0), 1);
	assert_int_equal(gn_ac_add_static_sink(&ac, 0, "/dev/ptp4", 4), 2);
	gn_ac_set_subscribed(&ac, 0, true);
	gn_ac_domain_ready(&ac, 0);
	gn_ac_reconfigure(&ac);
	assert_true(dt_find(&lg, 0,
			    "skipping static /dev/ptp0: eth0 has the "
			    "same clock") > 0);
	assert_true(dt_find(&lg, 0,
			    "selecting /dev/ptp4 for "
			    "synchronization") > 0);
	assert_true(gn_ac_update_needed(&ac, 0, 2));
}

/* ---- PHC switches at run time (dhost with a fake daemon) ---- */

/* The fake daemon's answers to the port query: interface and PHC per
 * port number (1-based), and how many times it was asked. */
struct fake_daemon {
	char ifname[4][16];
	int phc[4];
	int fail; /* answer with this error instead */
	unsigned asked;
};

static int fake_query(void *ctx, unsigned domain, unsigned port, char *ifname,
		      size_t len, int *phc)
{
	struct fake_daemon *fd = ctx;

	assert_int_equal(domain, 0);
	assert_true(port >= 1 && port <= 3);
	fd->asked++;
	if (fd->fail)
		return fd->fail;
	snprintf(ifname, len, "%s", fd->ifname[port]);
	*phc = fd->phc[port];
	return 0;
}

static struct dt_base hb;
static struct gn_fakeset fakes;
static struct gn_dhost host;
static struct fake_daemon daemon_;

/* CLOCK_REALTIME and four fake PHCs on one time base that moves 1 ms
 * per read, all at the same rate (so every measurement is exact until a
 * clock is steered): sys - ptp3 = -1 ms, sys - ptp4 = +2 ms. bond0
 * (port 1) on PHC 3, eth1 (port 2) on PHC 5. -r. */
static const int64_t host_inc[] = {1000000};

static void host_setup(int st1, int st2)
{
	struct gn_dsync_config cfg;
	char err[160];
	unsigned i;

	dt_log_init(&lg);
	dt_base_init(&hb, 1000, host_inc, 1);
	memset(&fakes, 0, sizeof(fakes));
	fakes.base = hb.fb;
	assert_int_equal(gn_fakeset_parse(&fakes,
					  "CLOCK_REALTIME=0,/dev/ptp3=1000000,"
					  "/dev/ptp4=-2000000,/dev/ptp5=0,"
					  "/dev/ptp6=0",
					  err, sizeof(err)),
			 0);
	/* Each creation read the moving base: anchor all at one instant. */
	for (i = 0; i < fakes.n; i++)
		fakes.clk[i].raw_anchor_ns = 1000;
	gn_dsync_config_default(&cfg);
	gn_dhost_init(&host, &cfg, &lg.log, &fakes);
	memset(&daemon_, 0, sizeof(daemon_));
	snprintf(daemon_.ifname[1], sizeof(daemon_.ifname[1]), "bond0");
	snprintf(daemon_.ifname[2], sizeof(daemon_.ifname[2]), "eth1");
	daemon_.phc[1] = 3;
	daemon_.phc[2] = 5;
	gn_dhost_set_port_query(&host, fake_query, &daemon_);
	assert_int_equal(gn_ac_add_domain(&host.ac), 0);
	assert_int_equal(gn_ac_add_port(&host.ac, 0, 1, "bond0", 3, st1), 0);
	assert_int_equal(gn_ac_add_port(&host.ac, 0, 2, "eth1", 5, st2), 1);
	assert_int_equal(gn_ac_add_sys_domain(&host.ac, "CLOCK_REALTIME", true),
			 1);
	for (i = 0; i < host.ac.nclk; i++)
		assert_int_equal(
		    gn_dhost_open_clock(&host, i, err, sizeof(err)), 0);
	gn_ac_domain_ready(&host.ac, 0);
	gn_ac_set_subscribed(&host.ac, 0, true);
}

static void test_phc_switch_source(void **state)
{
	struct gn_fakeclock *p3, *p4;
	unsigned from;

	(void)state;
	host_setup(GN_PS_SLAVE, GN_PS_MASTER);
	p3 = gn_fakeset_find_index(&fakes, 3);
	p4 = gn_fakeset_find_index(&fakes, 4);
	/* The first reconfiguration asks the daemon for both clocks; the
	 * PHCs are unchanged; bond0's PHC 3 drives the system clock. */
	assert_int_equal(gn_dhost_run(&host), 2);
	assert_int_equal(daemon_.asked, 2);
	assert_int_equal(gn_ac_source(&host.ac, 1), 0);
	assert_ptr_equal(host.clk[0].fake, p3);
	assert_int_equal(dt_find_sub(&lg, 0, "PHC changed"), -1);
	assert_int_equal(host.sink[2].last_offset_ns, -1000000);
	assert_int_equal(host.sink[2].updates, 1);

	/* No state change: the daemon is not asked again. Two more
	 * updates: the system clock is stepped onto PHC 3 (s1), then
	 * locked (s2) with the exact frequency. */
	gn_dhost_run(&host);
	gn_dhost_run(&host);
	gn_dhost_run(&host);
	assert_int_equal(daemon_.asked, 2);
	assert_int_equal(host.sink[2].state, GN_SERVO_LOCKED);
	assert_int_equal(host.sink[2].last_offset_ns, 0);

	/* A bond failover: the port drops to LISTENING and the daemon
	 * now reports PHC 4. */
	from = lg.n;
	daemon_.phc[1] = 4;
	assert_int_equal(
	    gn_ac_port_state(&host.ac, 0, 1, GN_PS_LISTENING, "p1"), 1);
	gn_dhost_run(&host);
	assert_int_equal(daemon_.asked, 3);
	assert_true(dt_find(&lg, from, "bond0: PHC changed from 3 to 4") >= 0);
	assert_ptr_equal(host.clk[0].fake, p4);
	assert_int_equal(host.clk[0].phc_index, 4);
	assert_string_equal(host.clk[0].name, "bond0");
	assert_int_equal(host.ac.clk[0].phc_index, 4);
	/* Its servo starts over on the new PHC. */
	assert_false(host.sink[0].have_servo);
	assert_int_equal(host.sink[0].updates, 0);

	/* Slave again, now on PHC 4: the system clock follows PHC 4
	 * (sys - ptp4 = ptp3 - ptp4 = +3 ms), its servo started over (s0,
	 * not a locked servo seeing a 3 ms jump). */
	from = lg.n;
	gn_ac_port_state(&host.ac, 0, 1, GN_PS_SLAVE, "p1");
	assert_int_equal(gn_dhost_run(&host), 2);
	assert_int_equal(daemon_.asked, 4);
	assert_int_equal(dt_find_sub(&lg, from, "PHC changed"), -1);
	assert_int_equal(host.sink[2].last_offset_ns, 3000000);
	assert_int_equal(host.sink[2].state, GN_SERVO_UNLOCKED);
	assert_true(dt_find(&lg, from,
			    "CLOCK_REALTIME phc offset   3000000 s0 freq      "
			    "+0 delay 2000000") >= 0);
	assert_int_equal(p3->adjustments + p3->steps, 0);
	assert_int_equal(p4->adjustments + p4->steps, 0);
}

static void test_phc_switch_sink(void **state)
{
	struct gn_fakeclock *p5, *p6;
	unsigned adj5, from, i;

	(void)state;
	host_setup(GN_PS_SLAVE, GN_PS_MASTER);
	p5 = gn_fakeset_find_index(&fakes, 5);
	p6 = gn_fakeset_find_index(&fakes, 6);
	/* eth1 (PHC 5, master) follows bond0's PHC 3: the PI servo takes
	 * two samples (s0), steps at the third (s1), then adjusts. */
	for (i = 0; i < 4; i++)
		gn_dhost_run(&host);
	assert_int_equal(p5->steps, 1);
	assert_int_equal(p5->last_step_ns, 1000000);
	assert_true(p5->adjustments >= 2);
	adj5 = p5->adjustments;

	/* The daemon moves eth1 to PHC 6 (the port went through
	 * LISTENING): PHC 6 is the sink from now on, PHC 5 left alone. */
	daemon_.phc[2] = 6;
	gn_ac_port_state(&host.ac, 0, 2, GN_PS_LISTENING, "p2");
	from = lg.n;
	gn_dhost_run(&host);
	assert_true(dt_find(&lg, from, "eth1: PHC changed from 5 to 6") >= 0);
	gn_ac_port_state(&host.ac, 0, 2, GN_PS_MASTER, "p2");
	for (i = 0; i < 6 && !p6->steps; i++)
		gn_dhost_run(&host);
	assert_int_equal(p5->adjustments, adj5);
	assert_int_equal(p5->steps, 1);
	/* Stepped by ptp3 - ptp6 = +1 ms. */
	assert_int_equal(p6->steps, 1);
	assert_int_equal(p6->last_step_ns, 1000000);

	/* The daemon names another interface: the clock follows the name
	 * (log lines say eth7). */
	daemon_.phc[2] = 6;
	snprintf(daemon_.ifname[2], sizeof(daemon_.ifname[2]), "eth7");
	gn_ac_port_state(&host.ac, 0, 2, GN_PS_LISTENING, "p2");
	from = lg.n;
	gn_dhost_run(&host);
	assert_true(dt_find(&lg, from, "eth1: now eth7") >= 0);
	assert_string_equal(host.ac.clk[1].name, "eth7");
	assert_string_equal(host.clk[1].name, "eth7");
	assert_ptr_equal(host.clk[1].fake, p6);

	/* A PHC that cannot be opened: logged, the old one kept. */
	daemon_.phc[2] = 9;
	gn_ac_port_state(&host.ac, 0, 2, GN_PS_MASTER, "p2");
	from = lg.n;
	gn_dhost_run(&host);
	assert_true(
	    dt_find_sub(&lg, from, "eth7: cannot switch to PHC 9: /dev/ptp9") >=
	    0);
	assert_ptr_equal(host.clk[1].fake, p6);
	assert_int_equal(host.ac.clk[1].phc_index, 6);

	/* No answer from the daemon, or software time stamping: nothing
	 * changes. */
	daemon_.fail = -ETIMEDOUT;
	gn_ac_port_state(&host.ac, 0, 2, GN_PS_LISTENING, "p2");
	gn_dhost_run(&host);
	assert_ptr_equal(host.clk[1].fake, p6);
	daemon_.fail = 0;
	daemon_.phc[2] = -1;
	gn_ac_port_state(&host.ac, 0, 2, GN_PS_MASTER, "p2");
	gn_dhost_run(&host);
	assert_ptr_equal(host.clk[1].fake, p6);
	/* Without a query hook the daemon is never asked. */
	gn_dhost_set_port_query(&host, NULL, NULL);
	from = daemon_.asked;
	gn_ac_port_state(&host.ac, 0, 2, GN_PS_LISTENING, "p2");
	gn_dhost_run(&host);
	assert_int_equal(daemon_.asked, from);
	assert_int_equal(gn_ac_clock_port(&host.ac, 1), 2);
	assert_int_equal(gn_ac_clock_port(&host.ac, 2), -1);
	assert_int_equal(gn_ac_port_clock(&host.ac, 0, 2), 1);
	assert_int_equal(gn_ac_port_clock(&host.ac, 0, 7), -1);
	gn_dhost_close(&host);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_listening_then_slave),
	    cmocka_unit_test(test_master_rr_drives_phcs),
	    cmocka_unit_test(test_same_phc_and_two_slaves),
	    cmocka_unit_test(test_states_normalized),
	    cmocka_unit_test(test_multi_domain),
	    cmocka_unit_test(test_no_phc_ready),
	    cmocka_unit_test(test_phc_switch_source),
	    cmocka_unit_test(test_phc_switch_sink),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

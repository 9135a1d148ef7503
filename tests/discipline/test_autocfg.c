/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_autocfg.c - the automatic mode's reactions to port states
 * (autocfg.c, sans-IO): which clock becomes the source of each domain,
 * which are sinks, when synchronization waits, servo resets, -r vs -rr,
 * two PHCs behind one port set, several domains (out-of-domain source),
 * lost connections, and the exact phc2sys log lines of each decision.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>

#include "autocfg.h"
#include "dataset.h"
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_listening_then_slave),
	    cmocka_unit_test(test_master_rr_drives_phcs),
	    cmocka_unit_test(test_same_phc_and_two_slaves),
	    cmocka_unit_test(test_states_normalized),
	    cmocka_unit_test(test_multi_domain),
	    cmocka_unit_test(test_no_phc_ready),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

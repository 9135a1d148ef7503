/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_fsm.c - every (state, event) pair of the port state machine, for
 * each clock role, against tables written by hand.
 *
 * Sources of the expected tables:
 *  - NORMAL: IEEE 1588-2008 figure 23 (9.2.5), cross-checked with
 *    linuxptp's ptp_fsm(). Transitions from any state: POWERUP and
 *    INITIALIZE -> INITIALIZING; DESIGNATED_DISABLED -> DISABLED;
 *    FAULT_DETECTED -> FAULTY except from DISABLED. Then INITIALIZING
 *    -INIT_COMPLETE-> LISTENING; FAULTY -FAULT_CLEARED-> INITIALIZING;
 *    DISABLED -DESIGNATED_ENABLED-> INITIALIZING; LISTENING, UNCALIBRATED,
 *    SLAVE, PASSIVE -ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES-> MASTER and
 *    -RS_MASTER-> PRE_MASTER and -RS_GRAND_MASTER-> MASTER; PRE_MASTER
 *    -QUALIFICATION_TIMEOUT_EXPIRES-> MASTER; LISTENING, PRE_MASTER,
 *    MASTER, PASSIVE -RS_SLAVE-> UNCALIBRATED; SLAVE -RS_SLAVE-> stays,
 *    or UNCALIBRATED when the master changed; every state of the BMCA
 *    group but PASSIVE -RS_PASSIVE-> PASSIVE; UNCALIBRATED
 *    -MASTER_CLOCK_SELECTED-> SLAVE; SLAVE -SYNCHRONIZATION_FAULT->
 *    UNCALIBRATED. One difference from linuxptp: it ignores
 *    DESIGNATED_DISABLED in INITIALIZING; the figure (and we) do not.
 *  - SLAVE_ONLY: figure 24 and linuxptp's ptp_slave_fsm(): RS_SLAVE
 *    leads to UNCALIBRATED from LISTENING; ANNOUNCE_RECEIPT_TIMEOUT,
 *    RS_MASTER, RS_GRAND_MASTER and RS_PASSIVE lead to LISTENING from
 *    UNCALIBRATED and SLAVE. PRE_MASTER, MASTER and PASSIVE do not exist
 *    in figure 24; our rule for a port found there (its clock became
 *    slave-only at run time) is: act as LISTENING, and every event that
 *    would keep it in a master state takes it to LISTENING.
 *  - MASTER_ONLY: figure 23 with every way into UNCALIBRATED, SLAVE and
 *    PASSIVE removed (RS_SLAVE, RS_PASSIVE, MASTER_CLOCK_SELECTED and
 *    SYNCHRONIZATION_FAULT are ignored); linuxptp reaches the same by
 *    giving a serverOnly port no Erbest.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fsm.h"

#define IN GN_PS_INITIALIZING
#define FA GN_PS_FAULTY
#define DI GN_PS_DISABLED
#define LI GN_PS_LISTENING
#define PM GN_PS_PRE_MASTER
#define MA GN_PS_MASTER
#define PA GN_PS_PASSIVE
#define UN GN_PS_UNCALIBRATED
#define SL GN_PS_SLAVE

#define NSTATES 9
#define NEVENTS 16

/*
 * Rows: states INITIALIZING..SLAVE (1..9). Columns, in enum order:
 * NONE POWERUP INITIALIZE INIT_COMPLETE FAULT_DETECTED FAULT_CLEARED
 * DESIGNATED_ENABLED DESIGNATED_DISABLED ANNOUNCE_RECEIPT_TIMEOUT
 * SYNCHRONIZATION_FAULT MASTER_CLOCK_SELECTED QUALIFICATION_TIMEOUT
 * RS_MASTER RS_GRAND_MASTER RS_SLAVE RS_PASSIVE.
 * master_changed = false.
 */
static const enum gn_port_state full[NSTATES][NEVENTS] = {
    /*      NO  PU  IZ  IC  FD  FC  DE  DD  AR  SF  MC  QT  RM  RG  RS  RP */
    [0] = {IN, IN, IN, LI, FA, IN, IN, DI, IN, IN, IN, IN, IN, IN, IN, IN},
    [1] = {FA, IN, IN, FA, FA, IN, FA, DI, FA, FA, FA, FA, FA, FA, FA, FA},
    [2] = {DI, IN, IN, DI, DI, DI, IN, DI, DI, DI, DI, DI, DI, DI, DI, DI},
    [3] = {LI, IN, IN, LI, FA, LI, LI, DI, MA, LI, LI, LI, PM, MA, UN, PA},
    [4] = {PM, IN, IN, PM, FA, PM, PM, DI, PM, PM, PM, MA, PM, PM, UN, PA},
    [5] = {MA, IN, IN, MA, FA, MA, MA, DI, MA, MA, MA, MA, MA, MA, UN, PA},
    [6] = {PA, IN, IN, PA, FA, PA, PA, DI, MA, PA, PA, PA, PM, MA, UN, PA},
    [7] = {UN, IN, IN, UN, FA, UN, UN, DI, MA, UN, SL, UN, PM, MA, UN, PA},
    [8] = {SL, IN, IN, SL, FA, SL, SL, DI, MA, UN, SL, SL, PM, MA, SL, PA},
};

static const enum gn_port_state slave_only[NSTATES][NEVENTS] = {
    /*      NO  PU  IZ  IC  FD  FC  DE  DD  AR  SF  MC  QT  RM  RG  RS  RP */
    [0] = {IN, IN, IN, LI, FA, IN, IN, DI, IN, IN, IN, IN, IN, IN, IN, IN},
    [1] = {FA, IN, IN, FA, FA, IN, FA, DI, FA, FA, FA, FA, FA, FA, FA, FA},
    [2] = {DI, IN, IN, DI, DI, DI, IN, DI, DI, DI, DI, DI, DI, DI, DI, DI},
    [3] = {LI, IN, IN, LI, FA, LI, LI, DI, LI, LI, LI, LI, LI, LI, UN, LI},
    [4] = {PM, IN, IN, PM, FA, PM, PM, DI, LI, PM, PM, LI, LI, LI, UN, LI},
    [5] = {MA, IN, IN, MA, FA, MA, MA, DI, LI, MA, MA, LI, LI, LI, UN, LI},
    [6] = {PA, IN, IN, PA, FA, PA, PA, DI, LI, PA, PA, LI, LI, LI, UN, LI},
    [7] = {UN, IN, IN, UN, FA, UN, UN, DI, LI, UN, SL, UN, LI, LI, UN, LI},
    [8] = {SL, IN, IN, SL, FA, SL, SL, DI, LI, UN, SL, SL, LI, LI, SL, LI},
};

static const enum gn_port_state master_only[NSTATES][NEVENTS] = {
    /*      NO  PU  IZ  IC  FD  FC  DE  DD  AR  SF  MC  QT  RM  RG  RS  RP */
    [0] = {IN, IN, IN, LI, FA, IN, IN, DI, IN, IN, IN, IN, IN, IN, IN, IN},
    [1] = {FA, IN, IN, FA, FA, IN, FA, DI, FA, FA, FA, FA, FA, FA, FA, FA},
    [2] = {DI, IN, IN, DI, DI, DI, IN, DI, DI, DI, DI, DI, DI, DI, DI, DI},
    [3] = {LI, IN, IN, LI, FA, LI, LI, DI, MA, LI, LI, LI, PM, MA, LI, LI},
    [4] = {PM, IN, IN, PM, FA, PM, PM, DI, PM, PM, PM, MA, PM, PM, PM, PM},
    [5] = {MA, IN, IN, MA, FA, MA, MA, DI, MA, MA, MA, MA, MA, MA, MA, MA},
    [6] = {PA, IN, IN, PA, FA, PA, PA, DI, MA, PA, PA, PA, PM, MA, PA, PA},
    [7] = {UN, IN, IN, UN, FA, UN, UN, DI, MA, UN, UN, UN, PM, MA, UN, UN},
    [8] = {SL, IN, IN, SL, FA, SL, SL, DI, MA, SL, SL, SL, PM, MA, SL, SL},
};

/* The table with master_changed = true: only SLAVE + RS_SLAVE differs, and
 * not for master-only. */
static enum gn_port_state expected(enum gn_clock_role role,
				   const enum gn_port_state (*table)[NEVENTS],
				   int st, int ev, bool mc)
{
	if (mc && st == SL && ev == GN_EV_RS_SLAVE &&
	    role != GN_ROLE_MASTER_ONLY)
		return UN;
	return table[st - 1][ev];
}

static void check_table(enum gn_clock_role role,
			const enum gn_port_state (*table)[NEVENTS])
{
	int st, ev, mc;

	for (mc = 0; mc < 2; mc++)
		for (st = 1; st <= NSTATES; st++)
			for (ev = 0; ev < NEVENTS; ev++) {
				enum gn_port_state want =
				    expected(role, table, st, ev, mc);
				enum gn_port_state got =
				    gn_fsm_next(role, (enum gn_port_state)st,
						(enum gn_fsm_event)ev, mc);

				if (got != want)
					fail_msg("role %d state %d event %s "
						 "mc %d: got %d want %d",
						 role, st,
						 gn_fsm_event_str(
						     (enum gn_fsm_event)ev),
						 mc, got, want);
			}
}

static void test_table_normal(void **state)
{
	(void)state;
	check_table(GN_ROLE_NORMAL, full);
}

static void test_table_slave_only(void **state)
{
	(void)state;
	check_table(GN_ROLE_SLAVE_ONLY, slave_only);
}

static void test_table_master_only(void **state)
{
	(void)state;
	check_table(GN_ROLE_MASTER_ONLY, master_only);
}

/* An unknown role is treated as an ordinary clock. */
static void test_table_unknown_role(void **state)
{
	(void)state;
	check_table((enum gn_clock_role)7, full);
}

/* Slave-only never enters a master state, master-only never a slave or
 * passive state (the point of the variants, checked over all pairs). */
static void test_role_invariants(void **state)
{
	int st, ev, mc;

	(void)state;
	for (mc = 0; mc < 2; mc++)
		for (st = 1; st <= NSTATES; st++)
			for (ev = 0; ev < NEVENTS; ev++) {
				enum gn_port_state s = (enum gn_port_state)st;
				enum gn_port_state n;

				n = gn_fsm_next(GN_ROLE_SLAVE_ONLY, s,
						(enum gn_fsm_event)ev, mc);
				if (n != s)
					assert_true(n != PM && n != MA &&
						    n != PA);
				n = gn_fsm_next(GN_ROLE_MASTER_ONLY, s,
						(enum gn_fsm_event)ev, mc);
				if (n != s)
					assert_true(n != UN && n != SL &&
						    n != PA);
			}
}

/* Out-of-range states and events leave the state alone. */
static void test_out_of_range(void **state)
{
	static const enum gn_clock_role roles[] = {
	    GN_ROLE_NORMAL, GN_ROLE_SLAVE_ONLY, GN_ROLE_MASTER_ONLY};
	int r, st, ev;

	(void)state;
	for (r = 0; r < 3; r++) {
		for (ev = 0; ev < NEVENTS; ev++) {
			assert_int_equal(
			    gn_fsm_next(roles[r], (enum gn_port_state)0,
					(enum gn_fsm_event)ev, true),
			    0);
			assert_int_equal(
			    gn_fsm_next(roles[r], (enum gn_port_state)10,
					(enum gn_fsm_event)ev, false),
			    10);
		}
		for (st = 1; st <= NSTATES; st++) {
			assert_int_equal(
			    gn_fsm_next(roles[r], (enum gn_port_state)st,
					(enum gn_fsm_event)NEVENTS, true),
			    st);
			assert_int_equal(
			    gn_fsm_next(roles[r], (enum gn_port_state)st,
					(enum gn_fsm_event) - 1, false),
			    st);
		}
	}
}

static void test_event_from_decision(void **state)
{
	(void)state;
	assert_int_equal(gn_fsm_event_from_decision(GN_BMCA_NONE), GN_EV_NONE);
	assert_int_equal(gn_fsm_event_from_decision(GN_BMCA_M1),
			 GN_EV_RS_GRAND_MASTER);
	assert_int_equal(gn_fsm_event_from_decision(GN_BMCA_M2),
			 GN_EV_RS_GRAND_MASTER);
	assert_int_equal(gn_fsm_event_from_decision(GN_BMCA_M3),
			 GN_EV_RS_MASTER);
	assert_int_equal(gn_fsm_event_from_decision(GN_BMCA_S1),
			 GN_EV_RS_SLAVE);
	assert_int_equal(gn_fsm_event_from_decision(GN_BMCA_P1),
			 GN_EV_RS_PASSIVE);
	assert_int_equal(gn_fsm_event_from_decision(GN_BMCA_P2),
			 GN_EV_RS_PASSIVE);
	assert_int_equal(gn_fsm_event_from_decision(GN_BMCA_DISABLED),
			 GN_EV_NONE);
	assert_int_equal(gn_fsm_event_from_decision((enum gn_bmca_decision)99),
			 GN_EV_NONE);
}

static void test_event_str(void **state)
{
	static const char *const names[NEVENTS] = {
	    "NONE",
	    "POWERUP",
	    "INITIALIZE",
	    "INIT_COMPLETE",
	    "FAULT_DETECTED",
	    "FAULT_CLEARED",
	    "DESIGNATED_ENABLED",
	    "DESIGNATED_DISABLED",
	    "ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES",
	    "SYNCHRONIZATION_FAULT",
	    "MASTER_CLOCK_SELECTED",
	    "QUALIFICATION_TIMEOUT_EXPIRES",
	    "RS_MASTER",
	    "RS_GRAND_MASTER",
	    "RS_SLAVE",
	    "RS_PASSIVE",
	};
	int ev;

	(void)state;
	for (ev = 0; ev < NEVENTS; ev++)
		assert_string_equal(gn_fsm_event_str((enum gn_fsm_event)ev),
				    names[ev]);
	assert_string_equal(gn_fsm_event_str((enum gn_fsm_event)NEVENTS),
			    "UNKNOWN");
	assert_string_equal(gn_fsm_event_str((enum gn_fsm_event) - 1),
			    "UNKNOWN");
}

/* BMCA and state machine together: a slave-only port whose master moved
 * to another port (decision M3 or P2) goes to LISTENING, and one that
 * lost every master (M2) too. */
static void test_slave_only_leaves_slave(void **state)
{
	static const enum gn_bmca_decision d[] = {GN_BMCA_M2, GN_BMCA_M3,
						  GN_BMCA_P2};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		enum gn_fsm_event ev = gn_fsm_event_from_decision(d[i]);

		assert_int_equal(gn_fsm_next(GN_ROLE_SLAVE_ONLY, SL, ev, false),
				 LI);
		assert_int_equal(gn_fsm_next(GN_ROLE_SLAVE_ONLY, UN, ev, false),
				 LI);
		assert_int_equal(gn_fsm_next(GN_ROLE_SLAVE_ONLY, LI, ev, false),
				 LI);
	}
}

/* A whole life: power up, listen, follow a master, lose it, serve. */
static void test_walk(void **state)
{
	enum gn_port_state s = SL;

	(void)state;
	s = gn_fsm_next(GN_ROLE_NORMAL, s, GN_EV_POWERUP, false);
	assert_int_equal(s, IN);
	s = gn_fsm_next(GN_ROLE_NORMAL, s, GN_EV_INIT_COMPLETE, false);
	assert_int_equal(s, LI);
	s = gn_fsm_next(GN_ROLE_NORMAL, s,
			gn_fsm_event_from_decision(GN_BMCA_S1), false);
	assert_int_equal(s, UN);
	s = gn_fsm_next(GN_ROLE_NORMAL, s, GN_EV_MASTER_CLOCK_SELECTED, false);
	assert_int_equal(s, SL);
	s = gn_fsm_next(GN_ROLE_NORMAL, s,
			gn_fsm_event_from_decision(GN_BMCA_S1), false);
	assert_int_equal(s, SL);
	s = gn_fsm_next(GN_ROLE_NORMAL, s,
			GN_EV_ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES, false);
	assert_int_equal(s, MA);
	s = gn_fsm_next(GN_ROLE_NORMAL, s,
			gn_fsm_event_from_decision(GN_BMCA_P2), false);
	assert_int_equal(s, PA);
	s = gn_fsm_next(GN_ROLE_NORMAL, s,
			gn_fsm_event_from_decision(GN_BMCA_M3), false);
	assert_int_equal(s, PM);
	s = gn_fsm_next(GN_ROLE_NORMAL, s, GN_EV_QUALIFICATION_TIMEOUT_EXPIRES,
			false);
	assert_int_equal(s, MA);
	s = gn_fsm_next(GN_ROLE_NORMAL, s, GN_EV_FAULT_DETECTED, false);
	assert_int_equal(s, FA);
	s = gn_fsm_next(GN_ROLE_NORMAL, s, GN_EV_FAULT_CLEARED, false);
	assert_int_equal(s, IN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table_normal),
	    cmocka_unit_test(test_table_slave_only),
	    cmocka_unit_test(test_table_master_only),
	    cmocka_unit_test(test_table_unknown_role),
	    cmocka_unit_test(test_role_invariants),
	    cmocka_unit_test(test_out_of_range),
	    cmocka_unit_test(test_event_from_decision),
	    cmocka_unit_test(test_event_str),
	    cmocka_unit_test(test_slave_only_leaves_slave),
	    cmocka_unit_test(test_walk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

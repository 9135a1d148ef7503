/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_bmca.c - the data set comparison (1588-2008 figures 27 and 28) and
 * the state decision (figure 26) for every role.
 *
 * Every expected value below is worked out by hand from the figures; the
 * tests never ask the code under test what the answer should be.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "bmca.h"

/* ---- helpers ---- */

static struct gn_clock_identity cid(uint8_t first, uint8_t last)
{
	struct gn_clock_identity c = {
	    {first, 0x11, 0x22, 0xFF, 0xFE, 0x33, 0x44, last}};

	return c;
}

static struct gn_port_identity pid(uint8_t first, uint8_t last, uint16_t port)
{
	struct gn_port_identity p;

	memset(&p, 0, sizeof(p));
	p.clock = cid(first, last);
	p.port = port;
	return p;
}

/* linuxptp's defaults: priority 128, class 248, accuracy unknown, variance
 * 0xFFFF. Grandmaster 0x50..., sent by 0x60...-1, received on 0x70...-1. */
static struct gn_bmca_ds base_ds(void)
{
	struct gn_bmca_ds d;

	memset(&d, 0, sizeof(d));
	d.priority1 = 128;
	d.quality.clock_class = 248;
	d.quality.clock_accuracy = 0xFE;
	d.quality.offset_scaled_log_variance = 0xFFFF;
	d.priority2 = 128;
	d.gm_identity = cid(0x50, 0x01);
	d.steps_removed = 1;
	d.sender = pid(0x60, 0x01, 1);
	d.receiver = pid(0x70, 0x01, 1);
	return d;
}

/* ---- gn_bmca_compare: NULL and identity ---- */

static void test_compare_null_and_same(void **state)
{
	struct gn_bmca_ds a = base_ds(), b = base_ds();

	(void)state;
	assert_int_equal(gn_bmca_compare(&a, &a), GN_BMCA_EQUAL);
	assert_int_equal(gn_bmca_compare(NULL, NULL), GN_BMCA_EQUAL);
	assert_int_equal(gn_bmca_compare(&a, NULL), GN_BMCA_A_BETTER);
	assert_int_equal(gn_bmca_compare(NULL, &b), GN_BMCA_B_BETTER);
	/* Two copies of one message on one port: error-2, EQUAL. */
	assert_int_equal(gn_bmca_compare(&a, &b), GN_BMCA_EQUAL);
}

/* ---- figure 27: different grandmasters ---- */

enum attr {
	ATTR_PRIORITY1,
	ATTR_CLASS,
	ATTR_ACCURACY,
	ATTR_VARIANCE,
	ATTR_PRIORITY2,
	ATTR_COUNT,
};

/* Makes x's attribute `which` lower (better) than y's. */
static void make_lower(struct gn_bmca_ds *x, struct gn_bmca_ds *y,
		       enum attr which)
{
	switch (which) {
	case ATTR_PRIORITY1:
		x->priority1 = 127;
		y->priority1 = 128;
		break;
	case ATTR_CLASS:
		x->quality.clock_class = 6;
		y->quality.clock_class = 7;
		break;
	case ATTR_ACCURACY:
		x->quality.clock_accuracy = 0x20;
		y->quality.clock_accuracy = 0x21;
		break;
	case ATTR_VARIANCE:
		x->quality.offset_scaled_log_variance = 0x4E5D;
		y->quality.offset_scaled_log_variance = 0x4E5E;
		break;
	default:
		x->priority2 = 0;
		y->priority2 = 255;
		break;
	}
}

/* Makes x's attribute `which` higher (worse) than y's, by a lot. */
static void make_higher(struct gn_bmca_ds *x, struct gn_bmca_ds *y,
			enum attr which)
{
	make_lower(y, x, which);
}

/*
 * Each attribute decides in both directions, whatever the attributes
 * after it and the topology say: A gets the better value of attribute
 * i, the worse value of every later attribute, a higher grandmaster
 * identity and many more steps.
 */
static void test_compare_each_attribute_decides(void **state)
{
	int i, j;

	(void)state;
	for (i = 0; i < ATTR_COUNT; i++) {
		struct gn_bmca_ds a = base_ds(), b = base_ds();

		a.gm_identity = cid(0x90, 0x01);
		b.gm_identity = cid(0x10, 0x01);
		a.steps_removed = 200;
		b.steps_removed = 0;
		make_lower(&a, &b, (enum attr)i);
		for (j = i + 1; j < ATTR_COUNT; j++)
			make_higher(&a, &b, (enum attr)j);

		assert_int_equal(gn_bmca_compare(&a, &b), GN_BMCA_A_BETTER);
		assert_int_equal(gn_bmca_compare(&b, &a), GN_BMCA_B_BETTER);
	}
}

/* Earlier attributes win over later ones: priority1 128 vs 127 decides
 * even though the other side has clockClass 6 against 248. */
static void test_compare_priority1_beats_class(void **state)
{
	struct gn_bmca_ds a = base_ds(), b = base_ds();

	(void)state;
	b.gm_identity = cid(0x51, 0x01);
	a.priority1 = 127;
	a.quality.clock_class = 248;
	b.priority1 = 128;
	b.quality.clock_class = 6;
	assert_int_equal(gn_bmca_compare(&a, &b), GN_BMCA_A_BETTER);
	assert_int_equal(gn_bmca_compare(&b, &a), GN_BMCA_B_BETTER);
}

/* All attributes equal: the lower grandmaster identity wins, compared as
 * unsigned octets from the first. */
static void test_compare_gm_identity_decides(void **state)
{
	struct gn_bmca_ds a = base_ds(), b = base_ds();

	(void)state;
	a.gm_identity = cid(0x50, 0x01);
	b.gm_identity = cid(0x50, 0x02);
	assert_int_equal(gn_bmca_compare(&a, &b), GN_BMCA_A_BETTER);
	assert_int_equal(gn_bmca_compare(&b, &a), GN_BMCA_B_BETTER);

	/* 0x7F < 0x80: unsigned, and the first octet outranks the last. */
	a.gm_identity = cid(0x7F, 0xFF);
	b.gm_identity = cid(0x80, 0x00);
	assert_int_equal(gn_bmca_compare(&a, &b), GN_BMCA_A_BETTER);
	assert_int_equal(gn_bmca_compare(&b, &a), GN_BMCA_B_BETTER);
}

/* With different grandmasters, topology is never looked at. */
static void test_compare_different_gm_ignores_topology(void **state)
{
	struct gn_bmca_ds a = base_ds(), b = base_ds();

	(void)state;
	a.gm_identity = cid(0x50, 0x01);
	b.gm_identity = cid(0x50, 0x02);
	a.steps_removed = 1000;
	b.steps_removed = 0;
	a.sender = pid(0xFF, 0xFF, 9);
	b.sender = pid(0x00, 0x00, 1);
	assert_int_equal(gn_bmca_compare(&a, &b), GN_BMCA_A_BETTER);
}

/* ---- G.8275.x (dataset_comparison G.8275.x, linuxptp's telecom.c) ---- */

static void test_compare_telecom(void **state)
{
	struct gn_bmca_ds a = base_ds(), b = base_ds();

	(void)state;
	a.local_priority = b.local_priority = 128;
	b.gm_identity = cid(0x51, 0x01);

	/* priority1 does not count: class decides over it. */
	a.priority1 = 255;
	b.priority1 = 0;
	a.quality.clock_class = 6;
	b.quality.clock_class = 7;
	assert_int_equal(gn_bmca_compare_as(&a, &b, true), GN_BMCA_A_BETTER);
	assert_int_equal(gn_bmca_compare_as(&b, &a, true), GN_BMCA_B_BETTER);

	/* After priority2, the local priority (of the receiving port). */
	b.quality.clock_class = 6;
	a.local_priority = 129;
	b.local_priority = 127;
	assert_int_equal(gn_bmca_compare_as(&a, &b, true), GN_BMCA_B_BETTER);
	a.priority2 = 127; /* priority2 first */
	assert_int_equal(gn_bmca_compare_as(&a, &b, true), GN_BMCA_A_BETTER);
	a.priority2 = 128;
	a.local_priority = 128;
	b.local_priority = 128;

	/* Class 127 or better: fewer steps removed beat a lower grandmaster
	 * identity (a has the lower identity, b is two steps nearer). */
	a.steps_removed = 3;
	b.steps_removed = 1;
	assert_int_equal(gn_bmca_compare_as(&a, &b, true), GN_BMCA_B_BETTER);
	/* Class above 127: identity, as 1588. */
	a.quality.clock_class = b.quality.clock_class = 248;
	assert_int_equal(gn_bmca_compare_as(&a, &b, true), GN_BMCA_A_BETTER);
	/* One grandmaster: topology. */
	b.gm_identity = a.gm_identity;
	assert_int_equal(gn_bmca_compare_as(&a, &b, true), GN_BMCA_B_BETTER);

	/* 1588's comparison is untouched without the mode. */
	b = base_ds();
	b.gm_identity = cid(0x51, 0x01);
	a = base_ds();
	a.priority1 = 129; /* 1588: b better on priority1 */
	a.quality.clock_class = 6;
	assert_int_equal(gn_bmca_compare(&a, &b), GN_BMCA_B_BETTER);
	assert_int_equal(gn_bmca_compare_as(&a, &b, false), GN_BMCA_B_BETTER);
	assert_int_equal(gn_bmca_compare_as(&a, &b, true), GN_BMCA_A_BETTER);
}

/* The state decision compares in the clock's mode: a local clock that
 * wins on priority1 under 1588 loses on clockClass under G.8275.x. */
static void test_decision_telecom(void **state)
{
	struct gn_bmca_ds d0 = base_ds(), gm = base_ds();
	struct gn_bmca_input in = {
	    .d0 = &d0,
	    .erbest = &gm,
	    .ebest = &gm,
	    .erbest_is_ebest = true,
	    .state = GN_PS_LISTENING,
	    .role = GN_ROLE_NORMAL,
	};

	(void)state;
	d0.priority1 = 0;
	d0.quality.clock_class = 248;
	gm.gm_identity = cid(0x51, 0x01);
	gm.priority1 = 255;
	gm.quality.clock_class = 135;
	assert_int_equal(gn_bmca_state_decision(&in), GN_BMCA_M2);
	in.telecom = true;
	assert_int_equal(gn_bmca_state_decision(&in), GN_BMCA_S1);
}

/* ---- figure 28: the same grandmaster ---- */

/* stepsRemoved differing by 2 or more decides outright (not by topology). */
static void test_topo_steps_differ_by_two(void **state)
{
	struct gn_bmca_ds a = base_ds(), b = base_ds();

	(void)state;
	a.steps_removed = 1;
	b.steps_removed = 3;
	assert_int_equal(gn_bmca_compare(&a, &b), GN_BMCA_A_BETTER);
	assert_int_equal(gn_bmca_compare(&b, &a), GN_BMCA_B_BETTER);

	/* The extremes must not overflow. */
	a.steps_removed = 0;
	b.steps_removed = 65535;
	assert_int_equal(gn_bmca_compare(&a, &b), GN_BMCA_A_BETTER);
	assert_int_equal(gn_bmca_compare(&b, &a), GN_BMCA_B_BETTER);
}

/*
 * B one step further than A: B's receiver against B's sender.
 * receiver < sender: A better; receiver > sender: A better by topology;
 * equal: error-1 (EQUAL). A's own receiver and sender play no part.
 */
static void test_topo_b_one_step_further(void **state)
{
	struct gn_bmca_ds a = base_ds(), b = base_ds();

	(void)state;
	a.steps_removed = 65534; /* the +1 must not wrap */
	b.steps_removed = 65535;
	a.receiver = pid(0xEE, 0x00, 7);
	a.sender = pid(0x01, 0x00, 7);

	b.receiver = pid(0x20, 0x00, 1);
	b.sender = pid(0x30, 0x00, 1);
	assert_int_equal(gn_bmca_compare(&a, &b), GN_BMCA_A_BETTER);
	assert_int_equal(gn_bmca_compare(&b, &a), GN_BMCA_B_BETTER);

	b.receiver = pid(0x30, 0x00, 1);
	b.sender = pid(0x20, 0x00, 1);
	assert_int_equal(gn_bmca_compare(&a, &b), GN_BMCA_A_BETTER_TOPO);
	assert_int_equal(gn_bmca_compare(&b, &a), GN_BMCA_B_BETTER_TOPO);

	/* error-1: B was received by the very port that sent it. */
	b.receiver = pid(0x30, 0x00, 1);
	b.sender = pid(0x30, 0x00, 1);
	assert_int_equal(gn_bmca_compare(&a, &b), GN_BMCA_EQUAL);
	assert_int_equal(gn_bmca_compare(&b, &a), GN_BMCA_EQUAL);
}

/*
 * Whole port identities, as linuxptp: with equal clock identities the port
 * number decides (statime would call both of these error-1).
 */
static void test_topo_one_step_port_number_decides(void **state)
{
	struct gn_bmca_ds a = base_ds(), b = base_ds();

	(void)state;
	a.steps_removed = 2;
	b.steps_removed = 3;
	b.receiver = pid(0x30, 0x00, 1);
	b.sender = pid(0x30, 0x00, 2);
	assert_int_equal(gn_bmca_compare(&a, &b), GN_BMCA_A_BETTER);
	b.receiver = pid(0x30, 0x00, 2);
	b.sender = pid(0x30, 0x00, 1);
	assert_int_equal(gn_bmca_compare(&a, &b), GN_BMCA_A_BETTER_TOPO);

	/* Mirror: A one step further. */
	a.steps_removed = 4;
	a.receiver = pid(0x30, 0x00, 1);
	a.sender = pid(0x30, 0x00, 2);
	assert_int_equal(gn_bmca_compare(&a, &b), GN_BMCA_B_BETTER);
	a.receiver = pid(0x30, 0x00, 0x100);
	a.sender = pid(0x30, 0x00, 0x0FF);
	assert_int_equal(gn_bmca_compare(&a, &b), GN_BMCA_B_BETTER_TOPO);
}

/* Equal steps: the senders' port identities decide by topology. */
static void test_topo_equal_steps_sender_decides(void **state)
{
	struct gn_bmca_ds a = base_ds(), b = base_ds();

	(void)state;
	a.sender = pid(0x60, 0x01, 9);
	b.sender = pid(0x60, 0x02, 1);
	/* Receivers would say the opposite; they must not be consulted. */
	a.receiver.port = 9;
	b.receiver.port = 1;
	assert_int_equal(gn_bmca_compare(&a, &b), GN_BMCA_A_BETTER_TOPO);
	assert_int_equal(gn_bmca_compare(&b, &a), GN_BMCA_B_BETTER_TOPO);

	/* Same sender clock, different sender ports (linuxptp's choice). */
	a.sender = pid(0x60, 0x01, 1);
	b.sender = pid(0x60, 0x01, 2);
	assert_int_equal(gn_bmca_compare(&a, &b), GN_BMCA_A_BETTER_TOPO);
	assert_int_equal(gn_bmca_compare(&b, &a), GN_BMCA_B_BETTER_TOPO);
}

/* Equal steps and senders: the receivers' port numbers decide; receiver
 * clock identities are not compared. */
static void test_topo_equal_sender_receiver_port_decides(void **state)
{
	struct gn_bmca_ds a = base_ds(), b = base_ds();

	(void)state;
	a.receiver = pid(0x70, 0x09, 1);
	b.receiver = pid(0x70, 0x01, 2);
	assert_int_equal(gn_bmca_compare(&a, &b), GN_BMCA_A_BETTER_TOPO);
	assert_int_equal(gn_bmca_compare(&b, &a), GN_BMCA_B_BETTER_TOPO);

	/* error-2: only receiver clock identities differ. */
	b.receiver = pid(0x70, 0x02, 1);
	assert_int_equal(gn_bmca_compare(&a, &b), GN_BMCA_EQUAL);
	assert_int_equal(gn_bmca_compare(&b, &a), GN_BMCA_EQUAL);
}

/* ---- data set constructors ---- */

static void test_ds_from_default(void **state)
{
	struct gn_default_ds dds;
	struct gn_bmca_ds d;
	struct gn_clock_identity me = cid(0xAA, 0xBB);

	(void)state;
	memset(&dds, 0, sizeof(dds));
	dds.priority1 = 100;
	dds.quality.clock_class = 6;
	dds.quality.clock_accuracy = 0x21;
	dds.quality.offset_scaled_log_variance = 0x4E5D;
	dds.priority2 = 99;
	dds.identity = me;
	memset(&d, 0xA5, sizeof(d));
	gn_bmca_ds_from_default(&dds, &d);

	assert_int_equal(d.priority1, 100);
	assert_int_equal(d.quality.clock_class, 6);
	assert_int_equal(d.quality.clock_accuracy, 0x21);
	assert_int_equal(d.quality.offset_scaled_log_variance, 0x4E5D);
	assert_int_equal(d.priority2, 99);
	assert_memory_equal(d.gm_identity.id, me.id, 8);
	assert_int_equal(d.steps_removed, 0);
	assert_memory_equal(d.sender.clock.id, me.id, 8);
	assert_int_equal(d.sender.port, 0);
	assert_memory_equal(d.receiver.clock.id, me.id, 8);
	assert_int_equal(d.receiver.port, 0);
}

static void test_ds_from_announce(void **state)
{
	struct gn_msg m;
	struct gn_bmca_ds d;
	struct gn_port_identity rx = pid(0x70, 0x05, 3);
	struct gn_clock_identity gm = cid(0x50, 0x07);

	(void)state;
	memset(&m, 0, sizeof(m));
	m.h.type = GN_MSG_ANNOUNCE;
	m.h.source = pid(0x60, 0x06, 2);
	m.body.announce.gm_priority1 = 1;
	m.body.announce.gm_quality.clock_class = 7;
	m.body.announce.gm_quality.clock_accuracy = 0x22;
	m.body.announce.gm_quality.offset_scaled_log_variance = 0x1234;
	m.body.announce.gm_priority2 = 2;
	m.body.announce.gm_identity = gm;
	m.body.announce.steps_removed = 5;
	m.body.announce.current_utc_offset = 37;
	memset(&d, 0xA5, sizeof(d));
	gn_bmca_ds_from_announce(&m, &rx, &d);

	assert_int_equal(d.priority1, 1);
	assert_int_equal(d.quality.clock_class, 7);
	assert_int_equal(d.quality.clock_accuracy, 0x22);
	assert_int_equal(d.quality.offset_scaled_log_variance, 0x1234);
	assert_int_equal(d.priority2, 2);
	assert_memory_equal(d.gm_identity.id, gm.id, 8);
	assert_int_equal(d.steps_removed, 5);
	assert_int_equal(d.sender.clock.id[0], 0x60);
	assert_int_equal(d.sender.clock.id[7], 0x06);
	assert_int_equal(d.sender.port, 2);
	assert_int_equal(d.receiver.clock.id[0], 0x70);
	assert_int_equal(d.receiver.clock.id[7], 0x05);
	assert_int_equal(d.receiver.port, 3);
}

static void test_decision_str(void **state)
{
	(void)state;
	assert_string_equal(gn_bmca_decision_str(GN_BMCA_NONE), "NONE");
	assert_string_equal(gn_bmca_decision_str(GN_BMCA_M1), "M1");
	assert_string_equal(gn_bmca_decision_str(GN_BMCA_M2), "M2");
	assert_string_equal(gn_bmca_decision_str(GN_BMCA_M3), "M3");
	assert_string_equal(gn_bmca_decision_str(GN_BMCA_S1), "S1");
	assert_string_equal(gn_bmca_decision_str(GN_BMCA_P1), "P1");
	assert_string_equal(gn_bmca_decision_str(GN_BMCA_P2), "P2");
	assert_string_equal(gn_bmca_decision_str(GN_BMCA_DISABLED), "DISABLED");
	assert_string_equal(
	    gn_bmca_decision_str((enum gn_bmca_decision)(GN_BMCA_DISABLED + 1)),
	    "UNKNOWN");
	assert_string_equal(gn_bmca_decision_str((enum gn_bmca_decision) - 1),
			    "UNKNOWN");
}

/* ---- state decision (figure 26) ---- */

/*
 * A scenario: our clock D0 (identity 0xC0..., class 248 unless changed),
 * a port r, its best foreign master erbest and the clock's best ebest.
 */
struct scenario {
	struct gn_bmca_ds d0;
	struct gn_bmca_ds good;	  /* GM 0x50-01, priority1 100: beats D0 */
	struct gn_bmca_ds better; /* GM 0x50-02, priority1 50: beats good */
	struct gn_bmca_ds worse;  /* GM 0x50-03, priority1 200: loses to D0 */
};

static void scenario_init(struct scenario *s)
{
	struct gn_default_ds dds;

	memset(&dds, 0, sizeof(dds));
	dds.priority1 = 128;
	dds.quality.clock_class = 248;
	dds.quality.clock_accuracy = 0xFE;
	dds.quality.offset_scaled_log_variance = 0xFFFF;
	dds.priority2 = 128;
	dds.identity = cid(0xC0, 0x00);
	gn_bmca_ds_from_default(&dds, &s->d0);

	s->good = base_ds();
	s->good.priority1 = 100;
	s->better = base_ds();
	s->better.gm_identity = cid(0x50, 0x02);
	s->better.priority1 = 50;
	s->worse = base_ds();
	s->worse.gm_identity = cid(0x50, 0x03);
	s->worse.priority1 = 200;
}

static enum gn_bmca_decision decide(const struct gn_bmca_ds *d0,
				    const struct gn_bmca_ds *erbest,
				    const struct gn_bmca_ds *ebest,
				    bool erbest_is_ebest, enum gn_port_state st,
				    enum gn_clock_role role)
{
	struct gn_bmca_input in = {
	    .d0 = d0,
	    .erbest = erbest,
	    .ebest = ebest,
	    .erbest_is_ebest = erbest_is_ebest,
	    .state = st,
	    .role = role,
	};

	return gn_bmca_state_decision(&in);
}

static const enum gn_clock_role all_roles[] = {
    GN_ROLE_NORMAL, GN_ROLE_SLAVE_ONLY, GN_ROLE_MASTER_ONLY};
#define NROLES (sizeof(all_roles) / sizeof(all_roles[0]))

static void test_decision_bad_input(void **state)
{
	struct gn_bmca_input in;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.state = GN_PS_LISTENING;
	assert_int_equal(gn_bmca_state_decision(NULL), GN_BMCA_NONE);
	assert_int_equal(gn_bmca_state_decision(&in), GN_BMCA_NONE);
}

/* INITIALIZING, FAULTY, DISABLED (and garbage) take no decision, for every
 * role, whatever the data sets. */
static void test_decision_disabled_states(void **state)
{
	static const int states[] = {GN_PS_INITIALIZING, GN_PS_FAULTY,
				     GN_PS_DISABLED, 0, 10};
	struct scenario s;
	size_t i, r;

	(void)state;
	scenario_init(&s);
	for (r = 0; r < NROLES; r++)
		for (i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
			assert_int_equal(decide(&s.d0, &s.good, &s.good, true,
						(enum gn_port_state)states[i],
						all_roles[r]),
					 GN_BMCA_DISABLED);
			assert_int_equal(decide(&s.d0, NULL, NULL, false,
						(enum gn_port_state)states[i],
						all_roles[r]),
					 GN_BMCA_DISABLED);
		}
}

/*
 * The part of figure 26 shared by NORMAL and SLAVE_ONLY (slave-only only
 * changes the state machine that consumes the decision).
 */
static void check_figure26(enum gn_clock_role role)
{
	struct scenario s;
	struct gn_bmca_ds gm_here, looped;

	scenario_init(&s);

	/* No Erbest in LISTENING: stay, even if another port has Ebest. */
	assert_int_equal(
	    decide(&s.d0, NULL, NULL, false, GN_PS_LISTENING, role),
	    GN_BMCA_NONE);
	assert_int_equal(
	    decide(&s.d0, NULL, &s.good, false, GN_PS_LISTENING, role),
	    GN_BMCA_NONE);
	/* No Erbest outside LISTENING: the algorithm runs; nothing at all
	 * beats D0 -> M2. */
	assert_int_equal(decide(&s.d0, NULL, NULL, false, GN_PS_SLAVE, role),
			 GN_BMCA_M2);

	/* M2: D0 better than Ebest. */
	assert_int_equal(
	    decide(&s.d0, &s.worse, &s.worse, true, GN_PS_LISTENING, role),
	    GN_BMCA_M2);
	/* M2 also when D0 is only better by topology: Ebest is our own
	 * grandmastership coming back one step away through a port whose
	 * identity is above its sender's. */
	looped = base_ds();
	looped.gm_identity = s.d0.gm_identity;
	looped.steps_removed = 1;
	looped.sender = pid(0x01, 0x00, 1);
	looped.receiver = pid(0xC0, 0x00, 1);
	assert_int_equal(gn_bmca_compare(&s.d0, &looped),
			 GN_BMCA_A_BETTER_TOPO);
	assert_int_equal(
	    decide(&s.d0, &looped, &looped, true, GN_PS_PASSIVE, role),
	    GN_BMCA_M2);

	/* S1: Ebest beats D0 and came in on this port. */
	assert_int_equal(
	    decide(&s.d0, &s.good, &s.good, true, GN_PS_LISTENING, role),
	    GN_BMCA_S1);
	assert_int_equal(
	    decide(&s.d0, &s.good, &s.good, true, GN_PS_SLAVE, role),
	    GN_BMCA_S1);

	/* P2: Ebest (other port) is the same grandmaster one step closer,
	 * i.e. better by topology than Erbest. */
	gm_here = s.good;
	gm_here.steps_removed = 2;
	gm_here.sender = pid(0x61, 0x00, 1);
	gm_here.receiver = pid(0xC0, 0x00, 2);
	/* ebest = s.good: steps 1, received on our port 1 */
	s.good.receiver = pid(0xC0, 0x00, 1);
	assert_int_equal(gn_bmca_compare(&s.good, &gm_here),
			 GN_BMCA_A_BETTER_TOPO);
	assert_int_equal(
	    decide(&s.d0, &gm_here, &s.good, false, GN_PS_MASTER, role),
	    GN_BMCA_P2);

	/* M3: Ebest (other port) is a strictly better grandmaster than
	 * Erbest: not a topology matter, so this port serves its segment. */
	assert_int_equal(
	    decide(&s.d0, &s.good, &s.better, false, GN_PS_LISTENING, role),
	    GN_BMCA_M3);
	/* M3 when this port has no Erbest at all (not LISTENING). */
	assert_int_equal(
	    decide(&s.d0, NULL, &s.better, false, GN_PS_PASSIVE, role),
	    GN_BMCA_M3);
	/* An erbest_is_ebest flag without an Erbest is not believed. */
	assert_int_equal(
	    decide(&s.d0, NULL, &s.better, true, GN_PS_PASSIVE, role),
	    GN_BMCA_M3);
}

static void test_decision_normal(void **state)
{
	(void)state;
	check_figure26(GN_ROLE_NORMAL);
}

static void test_decision_slave_only(void **state)
{
	(void)state;
	check_figure26(GN_ROLE_SLAVE_ONLY);
}

/* clockClass 1..127: only Erbest matters: M1 or P1, never S1. */
static void test_decision_class_1_to_127(void **state)
{
	static const uint8_t classes[] = {1, 6, 127};
	struct scenario s;
	struct gn_bmca_ds looped;
	size_t i, r;

	(void)state;
	for (r = 0; r < 2; r++) { /* NORMAL, SLAVE_ONLY */
		enum gn_clock_role role = all_roles[r];

		for (i = 0; i < sizeof(classes); i++) {
			scenario_init(&s);
			s.d0.quality.clock_class = classes[i];
			s.good.quality.clock_class = 6;
			s.good.priority1 = 100; /* beats D0's 128 */

			/* D0 better than Erbest -> M1. */
			assert_int_equal(decide(&s.d0, &s.worse, &s.good, false,
						GN_PS_LISTENING, role),
					 GN_BMCA_M1);
			/* Erbest better -> P1, even if it is Ebest. */
			assert_int_equal(decide(&s.d0, &s.good, &s.good, true,
						GN_PS_SLAVE, role),
					 GN_BMCA_P1);
			/* No Erbest, not LISTENING -> M1. */
			assert_int_equal(decide(&s.d0, NULL, &s.good, false,
						GN_PS_MASTER, role),
					 GN_BMCA_M1);
			/* Better by topology counts as better -> M1. */
			looped = base_ds();
			looped.priority1 = s.d0.priority1;
			looped.quality = s.d0.quality;
			looped.gm_identity = s.d0.gm_identity;
			looped.steps_removed = 1;
			looped.sender = pid(0x01, 0x00, 1);
			looped.receiver = pid(0xC0, 0x00, 1);
			assert_int_equal(decide(&s.d0, &looped, &looped, true,
						GN_PS_PASSIVE, role),
					 GN_BMCA_M1);
		}
	}

	/* Class 0 (reserved) and 128 are outside 1..127: figure 26's lower
	 * branch runs and Erbest being Ebest gives S1. */
	scenario_init(&s);
	s.d0.quality.clock_class = 128;
	assert_int_equal(
	    decide(&s.d0, &s.good, &s.good, true, GN_PS_SLAVE, GN_ROLE_NORMAL),
	    GN_BMCA_S1);
	s.d0.quality.clock_class = 0;
	assert_int_equal(
	    decide(&s.d0, &s.good, &s.good, true, GN_PS_SLAVE, GN_ROLE_NORMAL),
	    GN_BMCA_S1);
}

/* Master-only: always M1, M2 or M3, also in LISTENING and whatever the
 * port received. */
static void test_decision_master_only(void **state)
{
	const enum gn_clock_role mo = GN_ROLE_MASTER_ONLY;
	struct scenario s;
	struct gn_bmca_ds gm_here;

	(void)state;
	scenario_init(&s);

	/* Nothing anywhere, LISTENING: M2 at once (not NONE). */
	assert_int_equal(decide(&s.d0, NULL, NULL, false, GN_PS_LISTENING, mo),
			 GN_BMCA_M2);
	/* D0 better than Ebest: M2. */
	assert_int_equal(
	    decide(&s.d0, &s.worse, &s.worse, true, GN_PS_MASTER, mo),
	    GN_BMCA_M2);
	/* Ebest better than D0 and received here: M3, never S1. */
	assert_int_equal(
	    decide(&s.d0, &s.good, &s.good, true, GN_PS_LISTENING, mo),
	    GN_BMCA_M3);
	/* Ebest better by topology than Erbest: M3, never P2. */
	gm_here = s.good;
	gm_here.steps_removed = 2;
	gm_here.sender = pid(0x61, 0x00, 1);
	assert_int_equal(
	    decide(&s.d0, &gm_here, &s.good, false, GN_PS_PRE_MASTER, mo),
	    GN_BMCA_M3);
	/* Class 1..127: M1 even though Erbest beats D0 (never P1). */
	s.d0.quality.clock_class = 6;
	s.good.quality.clock_class = 6;
	assert_int_equal(
	    decide(&s.d0, &s.good, &s.good, true, GN_PS_MASTER, mo),
	    GN_BMCA_M1);
	assert_int_equal(decide(&s.d0, NULL, NULL, false, GN_PS_LISTENING, mo),
			 GN_BMCA_M1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_compare_null_and_same),
	    cmocka_unit_test(test_compare_each_attribute_decides),
	    cmocka_unit_test(test_compare_priority1_beats_class),
	    cmocka_unit_test(test_compare_gm_identity_decides),
	    cmocka_unit_test(test_compare_different_gm_ignores_topology),
	    cmocka_unit_test(test_compare_telecom),
	    cmocka_unit_test(test_decision_telecom),
	    cmocka_unit_test(test_topo_steps_differ_by_two),
	    cmocka_unit_test(test_topo_b_one_step_further),
	    cmocka_unit_test(test_topo_one_step_port_number_decides),
	    cmocka_unit_test(test_topo_equal_steps_sender_decides),
	    cmocka_unit_test(test_topo_equal_sender_receiver_port_decides),
	    cmocka_unit_test(test_ds_from_default),
	    cmocka_unit_test(test_ds_from_announce),
	    cmocka_unit_test(test_decision_str),
	    cmocka_unit_test(test_decision_bad_input),
	    cmocka_unit_test(test_decision_disabled_states),
	    cmocka_unit_test(test_decision_normal),
	    cmocka_unit_test(test_decision_slave_only),
	    cmocka_unit_test(test_decision_class_1_to_127),
	    cmocka_unit_test(test_decision_master_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

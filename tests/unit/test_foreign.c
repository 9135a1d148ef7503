/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_foreign.c - the foreign-master table: qualification (2 Announces
 * within 4 announce intervals, 1588-2008 9.3.2.5), its window edges,
 * pruning, rejections, change detection and the choice of Erbest.
 *
 * Times are hand-picked nanosecond values with a 1 s announce interval,
 * so the window is exactly 4 000 000 000 ns.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "bmca.h"

#define S  1000000000LL /* one second, the announce interval */
#define IV S

static struct gn_port_identity pid(uint8_t first, uint16_t port)
{
	struct gn_port_identity p;

	memset(&p, 0, sizeof(p));
	p.clock.id[0] = first;
	p.clock.id[3] = 0xFF;
	p.clock.id[4] = 0xFE;
	p.clock.id[7] = 0x01;
	p.port = port;
	return p;
}

/* Our port: clock 0x70..., port 1. */
static struct gn_port_identity me(void)
{
	return pid(0x70, 1);
}

/* An Announce from sender (first octet `from`, port 1) with linuxptp's
 * default grandmaster attributes; the grandmaster is the sender. */
static struct gn_msg announce(uint8_t from, uint16_t seq)
{
	struct gn_msg m;

	memset(&m, 0, sizeof(m));
	m.h.type = GN_MSG_ANNOUNCE;
	m.h.version = 2;
	m.h.source = pid(from, 1);
	m.h.sequence_id = seq;
	m.h.flags = GN_FLAG_UTC_OFFSET_VALID | GN_FLAG_PTP_TIMESCALE;
	m.h.log_interval = 0;
	m.body.announce.current_utc_offset = 37;
	m.body.announce.gm_priority1 = 128;
	m.body.announce.gm_quality.clock_class = 248;
	m.body.announce.gm_quality.clock_accuracy = 0xFE;
	m.body.announce.gm_quality.offset_scaled_log_variance = 0xFFFF;
	m.body.announce.gm_priority2 = 128;
	m.body.announce.gm_identity = pid(from, 0).clock;
	m.body.announce.steps_removed = 0;
	m.body.announce.time_source = GN_TS_INTERNAL_OSCILLATOR;
	return m;
}

static void init(struct gn_foreign_table *t)
{
	struct gn_port_identity rx = me();

	memset(t, 0xA5, sizeof(*t));
	gn_foreign_init(t, &rx, 255);
}

static const struct gn_foreign_master *
record_of(const struct gn_foreign_table *t, uint8_t from)
{
	struct gn_port_identity p = pid(from, 1);
	unsigned i;

	for (i = 0; i < GN_FOREIGN_MASTERS_MAX; i++)
		if (t->m[i].used &&
		    !memcmp(t->m[i].sender.clock.id, p.clock.id, 8) &&
		    t->m[i].sender.port == p.port)
			return &t->m[i];
	return NULL;
}

static unsigned used_count(const struct gn_foreign_table *t)
{
	unsigned i, n = 0;

	for (i = 0; i < GN_FOREIGN_MASTERS_MAX; i++)
		n += t->m[i].used;
	return n;
}

/* ---- init ---- */

static void test_init(void **state)
{
	struct gn_foreign_table t;
	unsigned i;

	(void)state;
	init(&t);
	assert_int_equal(t.receiver.clock.id[0], 0x70);
	assert_int_equal(t.receiver.port, 1);
	assert_int_equal(t.max_steps_removed, 255);
	for (i = 0; i < GN_FOREIGN_MASTERS_MAX; i++) {
		assert_false(t.m[i].used);
		assert_int_equal(t.m[i].nrx, 0);
	}
	assert_null(gn_foreign_best(&t, 0, IV));
}

/* ---- qualification ---- */

/* First Announce: recorded, not qualified (0). Second within the window:
 * newly qualified (1). Third, unchanged: nothing new (0). */
static void test_two_announces_qualify(void **state)
{
	struct gn_foreign_table t;
	struct gn_msg m1 = announce(0x60, 1), m2 = announce(0x60, 2),
		      m3 = announce(0x60, 3);
	const struct gn_foreign_master *fm;

	(void)state;
	init(&t);
	assert_int_equal(gn_foreign_add(&t, &m1, 10 * S, IV), 0);
	fm = record_of(&t, 0x60);
	assert_non_null(fm);
	assert_int_equal(fm->nrx, 1);
	assert_int_equal(fm->rx_ns[0], 10 * S);
	assert_false(gn_foreign_qualified(fm, 10 * S, IV));
	assert_null(gn_foreign_best(&t, 10 * S, IV));

	assert_int_equal(gn_foreign_add(&t, &m2, 11 * S, IV), 1);
	assert_true(gn_foreign_qualified(fm, 11 * S, IV));
	assert_int_equal(fm->nrx, 2);
	assert_int_equal(fm->rx_ns[0], 11 * S);
	assert_int_equal(fm->rx_ns[1], 10 * S);
	assert_int_equal(fm->header.sequence_id, 2);

	assert_int_equal(gn_foreign_add(&t, &m3, 12 * S, IV), 0);
	assert_int_equal(fm->nrx, 3);
	assert_int_equal(fm->header.sequence_id, 3);
	assert_ptr_equal(gn_foreign_best(&t, 12 * S, IV), fm);
}

/* A receive time exactly one window old is outside it; one ns younger is
 * inside. */
static void test_window_edge(void **state)
{
	struct gn_foreign_table t;
	struct gn_msg m1 = announce(0x60, 1), m2 = announce(0x60, 2);

	(void)state;
	init(&t);
	assert_int_equal(gn_foreign_add(&t, &m1, 0, IV), 0);
	assert_int_equal(gn_foreign_add(&t, &m2, 4 * S, IV), 0);
	assert_false(gn_foreign_qualified(record_of(&t, 0x60), 4 * S, IV));
	/* the first one was dropped on the way in */
	assert_int_equal(record_of(&t, 0x60)->nrx, 1);

	init(&t);
	assert_int_equal(gn_foreign_add(&t, &m1, 0, IV), 0);
	assert_int_equal(gn_foreign_add(&t, &m2, 4 * S - 1, IV), 1);
	assert_true(gn_foreign_qualified(record_of(&t, 0x60), 4 * S - 1, IV));
	/* ... and stops being qualified exactly at 0 + 4 s. */
	assert_false(gn_foreign_qualified(record_of(&t, 0x60), 4 * S, IV));
}

/* After a gap the second Announce does not qualify, the third does. */
static void test_third_announce_after_gap(void **state)
{
	struct gn_foreign_table t;
	struct gn_msg m1 = announce(0x60, 1), m2 = announce(0x60, 2),
		      m3 = announce(0x60, 3);

	(void)state;
	init(&t);
	assert_int_equal(gn_foreign_add(&t, &m1, 0, IV), 0);
	assert_int_equal(gn_foreign_add(&t, &m2, 10 * S, IV), 0);
	assert_null(gn_foreign_best(&t, 10 * S, IV));
	assert_int_equal(gn_foreign_add(&t, &m3, 11 * S, IV), 1);
	assert_non_null(gn_foreign_best(&t, 11 * S, IV));
}

/* A qualified master that goes quiet loses its qualification when its
 * second-newest Announce leaves the window, and the record disappears when
 * the newest one does. */
static void test_expiry_and_prune(void **state)
{
	struct gn_foreign_table t;
	struct gn_msg m1 = announce(0x60, 1), m2 = announce(0x60, 2);
	const struct gn_foreign_master *fm;

	(void)state;
	init(&t);
	gn_foreign_add(&t, &m1, 0, IV);
	assert_int_equal(gn_foreign_add(&t, &m2, 1 * S, IV), 1);
	fm = record_of(&t, 0x60);
	assert_true(gn_foreign_qualified(fm, 4 * S - 1, IV));
	assert_false(gn_foreign_qualified(fm, 4 * S, IV));

	gn_foreign_prune(&t, 4 * S, IV);
	assert_true(fm->used);
	assert_int_equal(fm->nrx, 1);
	assert_int_equal(fm->rx_ns[0], 1 * S);

	gn_foreign_prune(&t, 5 * S - 1, IV);
	assert_true(fm->used);
	gn_foreign_prune(&t, 5 * S, IV);
	assert_false(fm->used);
	assert_int_equal(used_count(&t), 0);
}

/* Up to THRESHOLD + 1 receive times are kept, newest first. */
static void test_rx_history_is_bounded(void **state)
{
	struct gn_foreign_table t;
	const struct gn_foreign_master *fm;
	uint16_t seq;

	(void)state;
	init(&t);
	for (seq = 1; seq <= 6; seq++) {
		struct gn_msg m = announce(0x60, seq);

		gn_foreign_add(&t, &m, seq * S / 2, IV);
	}
	fm = record_of(&t, 0x60);
	assert_int_equal(fm->nrx, 3);
	assert_int_equal(fm->rx_ns[0], 3 * S);
	assert_int_equal(fm->rx_ns[1], 5 * S / 2);
	assert_int_equal(fm->rx_ns[2], 2 * S);
}

/* The same sequenceId again (a duplicated frame) is not a second
 * Announce. After its first copy left the window it counts again. */
static void test_duplicate_not_counted(void **state)
{
	struct gn_foreign_table t;
	struct gn_msg m1 = announce(0x60, 7), m2 = announce(0x60, 8);

	(void)state;
	init(&t);
	assert_int_equal(gn_foreign_add(&t, &m1, 0, IV), 0);
	assert_int_equal(gn_foreign_add(&t, &m1, S / 2, IV), 0);
	assert_int_equal(record_of(&t, 0x60)->nrx, 1);
	assert_false(gn_foreign_qualified(record_of(&t, 0x60), S / 2, IV));
	assert_int_equal(gn_foreign_add(&t, &m2, S, IV), 1);

	init(&t);
	assert_int_equal(gn_foreign_add(&t, &m1, 0, IV), 0);
	assert_int_equal(gn_foreign_add(&t, &m1, 4 * S, IV), 0);
	assert_int_equal(record_of(&t, 0x60)->nrx, 1);
	assert_int_equal(record_of(&t, 0x60)->rx_ns[0], 4 * S);
}

/* Receive times out of order (the caller's clock went back) and huge
 * intervals must neither overflow nor throw Announces away. */
static void test_odd_times(void **state)
{
	struct gn_foreign_table t;
	struct gn_msg m1 = announce(0x60, 1), m2 = announce(0x60, 2),
		      m3 = announce(0x60, 3);

	(void)state;
	init(&t);
	assert_int_equal(gn_foreign_add(&t, &m1, 10 * S, IV), 0);
	assert_int_equal(gn_foreign_add(&t, &m2, 5 * S, IV), 1);
	assert_true(gn_foreign_qualified(record_of(&t, 0x60), 5 * S, IV));

	/*
	 * Extreme times: INT64_MIN to INT64_MAX - 1 is 2^64 - 2 ns, more than
	 * any window (a signed subtraction would overflow and could call it
	 * current). The window saturates at INT64_MAX.
	 */
	init(&t);
	assert_int_equal(gn_foreign_add(&t, &m1, INT64_MIN, INT64_MAX), 0);
	assert_int_equal(gn_foreign_add(&t, &m2, INT64_MAX - 1, INT64_MAX), 0);
	assert_int_equal(record_of(&t, 0x60)->nrx, 1);
	m3.h.sequence_id = 3;
	assert_int_equal(gn_foreign_add(&t, &m3, INT64_MAX, INT64_MAX), 1);

	/* 0 and INT64_MAX - 1: inside a saturated window (interval
	 * INT64_MAX / 2), outside 4 * (INT64_MAX / 4) = INT64_MAX - 3. */
	init(&t);
	gn_foreign_add(&t, &m1, 0, INT64_MAX / 2);
	assert_int_equal(gn_foreign_add(&t, &m2, INT64_MAX - 1, INT64_MAX / 2),
			 1);
	init(&t);
	gn_foreign_add(&t, &m1, 0, INT64_MAX / 4);
	assert_int_equal(gn_foreign_add(&t, &m2, INT64_MAX - 1, INT64_MAX / 4),
			 0);

	/* A non-positive interval means an empty window, also for receive
	 * times at or after now. */
	init(&t);
	gn_foreign_add(&t, &m1, 0, IV);
	assert_int_equal(gn_foreign_add(&t, &m2, S, IV), 1);
	assert_true(gn_foreign_qualified(record_of(&t, 0x60), S, IV));
	assert_false(gn_foreign_qualified(record_of(&t, 0x60), S, 0));
	assert_false(gn_foreign_qualified(record_of(&t, 0x60), S, -S));
	assert_false(gn_foreign_qualified(record_of(&t, 0x60), 0, 0));
}

/* A record whose nrx was scribbled over is read only within rx_ns[]
 * (the sanitizer build would catch an overread). */
static void test_corrupt_nrx(void **state)
{
	struct gn_foreign_table t;
	struct gn_msg m1 = announce(0x60, 1), m2 = announce(0x60, 2);
	struct gn_foreign_master *fm;

	(void)state;
	init(&t);
	gn_foreign_add(&t, &m1, 0, IV);
	fm = (struct gn_foreign_master *)record_of(&t, 0x60);
	fm->rx_ns[1] = 0;
	fm->rx_ns[2] = 0;
	fm->nrx = 1000;
	assert_true(gn_foreign_qualified(fm, S, IV));
	assert_int_equal(gn_foreign_add(&t, &m2, S, IV), 0);
	assert_int_equal(fm->nrx, 3);
	assert_int_equal(fm->rx_ns[0], S);
	fm->nrx = 1000;
	gn_foreign_prune(&t, 4 * S, IV);
	assert_int_equal(fm->nrx, 1);
	assert_int_equal(fm->rx_ns[0], S);
}

/* ---- rejections ---- */

static void test_reject_bad_arguments(void **state)
{
	struct gn_foreign_table t;
	struct gn_msg m = announce(0x60, 1), sync = announce(0x60, 1);

	(void)state;
	init(&t);
	sync.h.type = GN_MSG_SYNC;
	assert_int_equal(gn_foreign_add(NULL, &m, 0, IV), -1);
	assert_int_equal(gn_foreign_add(&t, NULL, 0, IV), -1);
	assert_int_equal(gn_foreign_add(&t, &sync, 0, IV), -1);
	assert_int_equal(gn_foreign_add(&t, &m, 0, 0), -1);
	assert_int_equal(gn_foreign_add(&t, &m, 0, -IV), -1);
	assert_int_equal(used_count(&t), 0);
	assert_false(gn_foreign_qualified(NULL, 0, IV));
	assert_false(gn_foreign_qualified(&t.m[0], 0, IV));
}

static void test_reject_steps_removed(void **state)
{
	struct gn_foreign_table t;
	struct gn_port_identity rx = me();
	struct gn_msg m = announce(0x60, 1);

	(void)state;
	init(&t);
	m.body.announce.steps_removed = 255;
	assert_int_equal(gn_foreign_add(&t, &m, 0, IV), -1);
	m.body.announce.steps_removed = 65535;
	assert_int_equal(gn_foreign_add(&t, &m, 0, IV), -1);
	assert_int_equal(used_count(&t), 0);
	m.body.announce.steps_removed = 254;
	assert_int_equal(gn_foreign_add(&t, &m, 0, IV), 0);
	assert_int_equal(used_count(&t), 1);

	gn_foreign_init(&t, &rx, 3);
	m.body.announce.steps_removed = 3;
	assert_int_equal(gn_foreign_add(&t, &m, 0, IV), -1);
	m.body.announce.steps_removed = 2;
	assert_int_equal(gn_foreign_add(&t, &m, 0, IV), 0);
}

/* Our own clock's Announces (any port of ours) are ignored. */
static void test_reject_own_clock(void **state)
{
	struct gn_foreign_table t;
	struct gn_msg m = announce(0x70, 1);

	(void)state;
	init(&t);
	m.h.source.port = 2; /* another port of this clock */
	assert_int_equal(gn_foreign_add(&t, &m, 0, IV), -1);
	m.h.source.port = 1; /* this very port */
	assert_int_equal(gn_foreign_add(&t, &m, 0, IV), -1);
	assert_int_equal(used_count(&t), 0);

	/* Same port number on another clock is a foreign master. */
	m = announce(0x71, 1);
	assert_int_equal(gn_foreign_add(&t, &m, 0, IV), 0);
}

/* A full table rejects new senders but keeps serving the known ones; once
 * senders go quiet their slots are reused. */
static void test_table_full(void **state)
{
	struct gn_foreign_table t;
	struct gn_msg m;
	unsigned i;

	(void)state;
	init(&t);
	for (i = 0; i < GN_FOREIGN_MASTERS_MAX; i++) {
		m = announce((uint8_t)(0x10 + i), 1);
		assert_int_equal(gn_foreign_add(&t, &m, 0, IV), 0);
	}
	assert_int_equal(used_count(&t), GN_FOREIGN_MASTERS_MAX);

	m = announce(0x60, 1);
	assert_int_equal(gn_foreign_add(&t, &m, S, IV), -1);
	assert_null(record_of(&t, 0x60));

	/* Known senders still qualify. */
	m = announce(0x10, 2);
	assert_int_equal(gn_foreign_add(&t, &m, S, IV), 1);

	/* At 4 s all but 0x10 (heard at 1 s) have gone quiet. */
	m = announce(0x60, 2);
	assert_int_equal(gn_foreign_add(&t, &m, 4 * S, IV), 0);
	assert_non_null(record_of(&t, 0x60));
	assert_non_null(record_of(&t, 0x10));
	assert_null(record_of(&t, 0x11));
	assert_int_equal(used_count(&t), 2);
}

/* ---- change detection ---- */

enum change {
	CH_PRIORITY1,
	CH_CLASS,
	CH_ACCURACY,
	CH_VARIANCE,
	CH_PRIORITY2,
	CH_GM_IDENTITY,
	CH_STEPS,
	CH_UTC_OFFSET,
	CH_TIME_SOURCE,
	CH_LEAP61,
	CH_LEAP59,
	CH_UTC_VALID,
	CH_TIMESCALE,
	CH_TIME_TRACEABLE,
	CH_FREQ_TRACEABLE,
	/* below: not used by the BMCA or the time properties */
	CH_ORIGIN,
	CH_TWO_STEP,
	CH_CORRECTION,
	CH_LOG_INTERVAL,
	CH_COUNT,
};

static void apply_change(struct gn_msg *m, enum change c)
{
	struct gn_announce *a = &m->body.announce;

	switch (c) {
	case CH_PRIORITY1:
		a->gm_priority1 = 127;
		break;
	case CH_CLASS:
		a->gm_quality.clock_class = 6;
		break;
	case CH_ACCURACY:
		a->gm_quality.clock_accuracy = 0x21;
		break;
	case CH_VARIANCE:
		a->gm_quality.offset_scaled_log_variance = 0x4E5D;
		break;
	case CH_PRIORITY2:
		a->gm_priority2 = 1;
		break;
	case CH_GM_IDENTITY:
		a->gm_identity.id[7] = 0x99;
		break;
	case CH_STEPS:
		a->steps_removed = 1;
		break;
	case CH_UTC_OFFSET:
		a->current_utc_offset = 38;
		break;
	case CH_TIME_SOURCE:
		a->time_source = GN_TS_GNSS;
		break;
	case CH_LEAP61:
		m->h.flags |= GN_FLAG_LEAP61;
		break;
	case CH_LEAP59:
		m->h.flags |= GN_FLAG_LEAP59;
		break;
	case CH_UTC_VALID:
		m->h.flags &= (uint16_t)~GN_FLAG_UTC_OFFSET_VALID;
		break;
	case CH_TIMESCALE:
		m->h.flags &= (uint16_t)~GN_FLAG_PTP_TIMESCALE;
		break;
	case CH_TIME_TRACEABLE:
		m->h.flags |= GN_FLAG_TIME_TRACEABLE;
		break;
	case CH_FREQ_TRACEABLE:
		m->h.flags |= GN_FLAG_FREQ_TRACEABLE;
		break;
	case CH_ORIGIN:
		a->origin.sec = 12345;
		a->origin.nsec = 678;
		break;
	case CH_TWO_STEP:
		m->h.flags |= GN_FLAG_TWO_STEP;
		break;
	case CH_CORRECTION:
		m->h.correction = 1 << 16;
		break;
	default:
		m->h.log_interval = -3;
		break;
	}
}

/* Once qualified, a changed Announce returns 1 exactly when something the
 * BMCA or the time properties use changed; the stored copy is updated. */
static void test_change_detection(void **state)
{
	int c;

	(void)state;
	for (c = 0; c < CH_COUNT; c++) {
		struct gn_foreign_table t;
		struct gn_msg m1 = announce(0x60, 1), m2 = announce(0x60, 2),
			      m3 = announce(0x60, 3), m4 = announce(0x60, 4);
		int expect = c < CH_ORIGIN ? 1 : 0;

		init(&t);
		gn_foreign_add(&t, &m1, 0, IV);
		assert_int_equal(gn_foreign_add(&t, &m2, S, IV), 1);
		apply_change(&m3, (enum change)c);
		assert_int_equal(gn_foreign_add(&t, &m3, 2 * S, IV), expect);
		/* Repeating the changed values is no change. */
		apply_change(&m4, (enum change)c);
		assert_int_equal(gn_foreign_add(&t, &m4, 3 * S, IV), 0);
	}
}

/* Before qualification a change is not reported. */
static void test_change_before_qualification(void **state)
{
	struct gn_foreign_table t;
	struct gn_msg m1 = announce(0x60, 1), m2 = announce(0x60, 2);

	(void)state;
	init(&t);
	gn_foreign_add(&t, &m1, 0, IV);
	m2.body.announce.gm_priority1 = 1;
	/* m2 comes after a gap: not qualified, nothing reported, but the
	 * stored copy is m2's. */
	assert_int_equal(gn_foreign_add(&t, &m2, 10 * S, IV), 0);
	assert_int_equal(record_of(&t, 0x60)->announce.gm_priority1, 1);
	assert_int_equal(record_of(&t, 0x60)->ds.priority1, 1);
}

/* ---- Erbest ---- */

static void qualify(struct gn_foreign_table *t, struct gn_msg *m, int64_t at_ns)
{
	gn_foreign_add(t, m, at_ns, IV);
	m->h.sequence_id++;
	assert_int_equal(gn_foreign_add(t, m, at_ns + S, IV), 1);
}

static void test_best_among_several(void **state)
{
	struct gn_foreign_table t;
	struct gn_msg a = announce(0x30, 1), b = announce(0x40, 1),
		      c = announce(0x50, 1), d = announce(0x20, 1);
	const struct gn_foreign_master *best;

	(void)state;
	init(&t);
	/* a: priority1 100 (best qualified); b: 128, lower identity than c;
	 * c: class 6 but priority1 128 -> loses to a on priority1, beats b
	 * on class; d: priority1 1 but never qualified. */
	a.body.announce.gm_priority1 = 100;
	c.body.announce.gm_quality.clock_class = 6;
	d.body.announce.gm_priority1 = 1;
	qualify(&t, &b, 0);
	qualify(&t, &a, 0);
	qualify(&t, &c, 0);
	assert_int_equal(gn_foreign_add(&t, &d, S, IV), 0);

	best = gn_foreign_best(&t, 2 * S, IV);
	assert_non_null(best);
	assert_ptr_equal(best, record_of(&t, 0x30));
	assert_int_equal(best->ds.priority1, 100);
	assert_int_equal(best->ds.sender.clock.id[0], 0x30);
	assert_int_equal(best->ds.receiver.clock.id[0], 0x70);
	assert_int_equal(best->ds.receiver.port, 1);

	/* Without a, c (class 6) beats b; a's slot is free again. */
	gn_foreign_remove(&t, &a.h.source);
	assert_null(record_of(&t, 0x30));
	assert_ptr_equal(gn_foreign_best(&t, 2 * S, IV), record_of(&t, 0x50));

	/* b keeps talking, c goes quiet: at 5 s only b is qualified. */
	b.h.sequence_id = 10;
	gn_foreign_add(&t, &b, 4 * S, IV);
	b.h.sequence_id = 11;
	gn_foreign_add(&t, &b, 5 * S, IV);
	assert_ptr_equal(gn_foreign_best(&t, 5 * S, IV), record_of(&t, 0x40));
	/* best() pruned c away. */
	assert_null(record_of(&t, 0x50));

	/* best() pruned d too; removing an unknown sender changes nothing. */
	assert_int_equal(used_count(&t), 1);
	gn_foreign_remove(&t, &a.h.source);
	assert_int_equal(used_count(&t), 1);

	gn_foreign_clear(&t);
	assert_int_equal(used_count(&t), 0);
	assert_null(gn_foreign_best(&t, 5 * S, IV));
	assert_int_equal(t.receiver.clock.id[0], 0x70);
	assert_int_equal(t.max_steps_removed, 255);
}

/* Two ports of one boundary clock announcing the same grandmaster: equal
 * steps, the lower sender port identity is better by topology. */
static void test_best_by_topology(void **state)
{
	struct gn_foreign_table t;
	struct gn_msg p2 = announce(0x40, 1), p1 = announce(0x40, 1);
	const struct gn_foreign_master *best;

	(void)state;
	init(&t);
	p2.h.source.port = 2;
	p1.h.source.port = 1;
	p1.body.announce.gm_identity = p2.body.announce.gm_identity;
	qualify(&t, &p2, 0);
	qualify(&t, &p1, 0);
	best = gn_foreign_best(&t, S, IV);
	assert_non_null(best);
	assert_int_equal(best->sender.port, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init),
	    cmocka_unit_test(test_two_announces_qualify),
	    cmocka_unit_test(test_window_edge),
	    cmocka_unit_test(test_third_announce_after_gap),
	    cmocka_unit_test(test_expiry_and_prune),
	    cmocka_unit_test(test_rx_history_is_bounded),
	    cmocka_unit_test(test_duplicate_not_counted),
	    cmocka_unit_test(test_odd_times),
	    cmocka_unit_test(test_corrupt_nrx),
	    cmocka_unit_test(test_reject_bad_arguments),
	    cmocka_unit_test(test_reject_steps_removed),
	    cmocka_unit_test(test_reject_own_clock),
	    cmocka_unit_test(test_table_full),
	    cmocka_unit_test(test_change_detection),
	    cmocka_unit_test(test_change_before_qualification),
	    cmocka_unit_test(test_best_among_several),
	    cmocka_unit_test(test_best_by_topology),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

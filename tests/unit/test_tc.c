/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_tc.c - transparent clocks (tc.c) driven frame by frame through a
 * fake host whose stamps the test chooses: the corrections a TC adds
 * are asserted to the scaled nanosecond.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <errno.h>

#include "clock.h"

#define NPORTS	3
#define MAXSENT 256
#define T0	(1700000000LL * 1000000000LL)

struct sent {
	unsigned port;
	uint8_t frame[GN_MAX_MSG_LEN];
	size_t len;
	struct gn_tx_meta meta;
};

struct fake {
	int64_t now_ns;
	struct sent sent[MAXSENT];
	unsigned nsent;
	unsigned armed[GN_TMR_COUNT];
};

static struct fake fk;
static struct gn_clock clk;
static struct gn_port ports[NPORTS];

static int fake_send(void *ctx, unsigned port, const uint8_t *frame, size_t len,
		     const struct gn_tx_meta *meta)
{
	struct fake *f = ctx;

	assert_true(f->nsent < MAXSENT);
	assert_true(len <= GN_MAX_MSG_LEN);
	f->sent[f->nsent].port = port;
	memcpy(f->sent[f->nsent].frame, frame, len);
	f->sent[f->nsent].len = len;
	f->sent[f->nsent].meta = *meta;
	f->nsent++;
	return 0;
}

static void fake_arm(void *ctx, unsigned port, enum gn_timer_kind kind,
		     int64_t delay_ns)
{
	struct fake *f = ctx;

	(void)port;
	(void)delay_ns;
	f->armed[kind]++;
}

static int64_t fake_now(void *ctx)
{
	return ((struct fake *)ctx)->now_ns;
}

static const struct gn_env env = {
    .ctx = &fk,
    .send = fake_send,
    .timer_arm = fake_arm,
    .clock_now = fake_now,
};

static const struct gn_clock_identity gm_id = {
    {0x11, 0x11, 0x11, 0xff, 0xfe, 0x11, 0x11, 0x11}};
static const struct gn_clock_identity sl_id = {
    {0x22, 0x22, 0x22, 0xff, 0xfe, 0x22, 0x22, 0x22}};

/* A TC of NPORTS ports, all LISTENING after start. */
static void tc_setup(enum gn_clock_type type, bool spanning_tree)
{
	struct gn_clock_config cc;
	struct gn_port_config pc[NPORTS];
	unsigned i;

	memset(&fk, 0, sizeof(fk));
	fk.now_ns = T0;
	gn_clock_config_default(&cc);
	memset(&cc.identity, 0xAA, sizeof(cc.identity));
	cc.clock_type = type;
	cc.tc_spanning_tree = spanning_tree;
	cc.free_running = true;
	for (i = 0; i < NPORTS; i++) {
		gn_port_config_default(&pc[i]);
		snprintf(pc[i].name, sizeof(pc[i].name), "p%u", i + 1);
		pc[i].delay_mechanism =
		    type == GN_CLOCK_P2P_TC ? GN_DM_P2P : GN_DM_E2E;
	}
	assert_int_equal(gn_clock_init(&clk, &cc, ports, pc, NPORTS, &env, 1),
			 0);
	gn_clock_start(&clk);
	for (i = 0; i < NPORTS; i++)
		assert_int_equal(ports[i].ds.state, GN_PS_LISTENING);
	fk.nsent = 0;
}

static size_t build(uint8_t type, uint16_t seq,
		    const struct gn_clock_identity *src, bool two_step,
		    int64_t corr_ns, uint8_t *buf)
{
	struct gn_msg m;
	int len;

	memset(&m, 0, sizeof(m));
	gn_header_init(&m.h, type);
	m.h.source.clock = *src;
	m.h.source.port = 1;
	m.h.sequence_id = seq;
	m.h.correction = gn_ns_to_ti(corr_ns);
	if (two_step)
		m.h.flags |= GN_FLAG_TWO_STEP;
	switch (type) {
	case GN_MSG_SYNC:
	case GN_MSG_FOLLOW_UP:
	case GN_MSG_DELAY_REQ:
		m.body.origin.sec = 1700000000;
		m.body.origin.nsec = 123456789;
		break;
	case GN_MSG_DELAY_RESP:
		m.body.resp.ts.sec = 1700000000;
		m.body.resp.port.clock = sl_id;
		m.body.resp.port.port = 1;
		break;
	case GN_MSG_ANNOUNCE:
		m.body.announce.gm_identity = gm_id;
		m.body.announce.steps_removed = 3;
		m.body.announce.gm_priority1 = 100;
		m.body.announce.gm_priority2 = 128;
		m.body.announce.gm_quality.clock_class = 6;
		break;
	default:
		break;
	}
	len = gn_msg_serialize(&m, buf, GN_MAX_MSG_LEN);
	assert_true(len > 0);
	return (size_t)len;
}

static void rx(unsigned port, uint8_t type, uint16_t seq,
	       const struct gn_clock_identity *src, bool two_step,
	       int64_t corr_ns, int64_t rx_ns)
{
	uint8_t buf[GN_MAX_MSG_LEN];
	size_t len = build(type, seq, src, two_step, corr_ns, buf);

	gn_clock_rx(&clk, port, buf, len, rx_ns);
}

/* The n-th frame sent (of this type) on port; NULL if none. */
static const struct sent *sent_on(unsigned port, uint8_t type, unsigned n)
{
	unsigned i;

	for (i = 0; i < fk.nsent; i++)
		if (fk.sent[i].port == port &&
		    (fk.sent[i].frame[0] & 0xF) == type && n-- == 0)
			return &fk.sent[i];
	return NULL;
}

static unsigned count_type(uint8_t type)
{
	unsigned i, n = 0;

	for (i = 0; i < fk.nsent; i++)
		n += (fk.sent[i].frame[0] & 0xF) == type;
	return n;
}

static int64_t corr_scaled(const struct sent *s)
{
	return (int64_t)gn_get64(s->frame + 8);
}

static unsigned used_entries(const struct gn_port *p)
{
	unsigned i, n = 0;

	for (i = 0; i < GN_TC_ENTRIES; i++)
		n += p->tc.e[i].kind != GN_TC_FREE;
	return n;
}

/* Two-step Sync: the Sync leaves unchanged at once; each egress port's
 * Follow_Up carries its own residence exactly, whichever of Follow_Up
 * and egress stamp comes first. */
static void test_e2e_two_step(void **state)
{
	const int64_t t_in = T0 + 5000;
	const struct sent *s;

	(void)state;
	tc_setup(GN_CLOCK_E2E_TC, false);
	rx(0, GN_MSG_SYNC, 7, &gm_id, true, 3, t_in);
	assert_int_equal(fk.nsent, 2);
	s = sent_on(1, GN_MSG_SYNC, 0);
	assert_non_null(s);
	assert_true(s->meta.want_tx_ts && s->meta.event);
	assert_int_equal(corr_scaled(s), 3 * 65536LL);
	assert_non_null(sent_on(2, GN_MSG_SYNC, 0));
	assert_null(sent_on(0, GN_MSG_SYNC, 0));

	/* Follow_Up before the stamps: held. */
	rx(0, GN_MSG_FOLLOW_UP, 7, &gm_id, false, 11, t_in + 100000);
	assert_int_equal(count_type(GN_MSG_FOLLOW_UP), 0);
	gn_clock_tx_timestamp(&clk, 1, GN_MSG_SYNC, 7, t_in + 1234);
	s = sent_on(1, GN_MSG_FOLLOW_UP, 0);
	assert_non_null(s);
	assert_int_equal(corr_scaled(s), (11 + 1234) * 65536LL);
	assert_null(sent_on(2, GN_MSG_FOLLOW_UP, 0));
	gn_clock_tx_timestamp(&clk, 2, GN_MSG_SYNC, 7, t_in + 98765);
	s = sent_on(2, GN_MSG_FOLLOW_UP, 0);
	assert_non_null(s);
	assert_int_equal(corr_scaled(s), (11 + 98765) * 65536LL);
	assert_int_equal(used_entries(&ports[1]) + used_entries(&ports[2]), 0);

	/* Stamp before the Follow_Up: the Follow_Up goes out at once. */
	fk.nsent = 0;
	rx(0, GN_MSG_SYNC, 8, &gm_id, true, 0, t_in + 1000000000);
	gn_clock_tx_timestamp(&clk, 1, GN_MSG_SYNC, 8, t_in + 1000000000 + 777);
	gn_clock_tx_timestamp(&clk, 2, GN_MSG_SYNC, 8, t_in + 1000000000 + 778);
	assert_int_equal(count_type(GN_MSG_FOLLOW_UP), 0);
	rx(0, GN_MSG_FOLLOW_UP, 8, &gm_id, false, -5, t_in + 1000100000);
	assert_int_equal(corr_scaled(sent_on(1, GN_MSG_FOLLOW_UP, 0)),
			 (777 - 5) * 65536LL);
	assert_int_equal(corr_scaled(sent_on(2, GN_MSG_FOLLOW_UP, 0)),
			 (778 - 5) * 65536LL);
	assert_int_equal(ports[1].tc.stats.forwarded[GN_MSG_FOLLOW_UP], 2);
}

/* One-step Sync: forwarded as two-step, and a Follow_Up made here with
 * the Sync's origin and the residence as its whole correction. */
static void test_e2e_one_step(void **state)
{
	const int64_t t_in = T0 + 40000;
	const struct sent *s;
	struct gn_msg m;

	(void)state;
	tc_setup(GN_CLOCK_E2E_TC, false);
	rx(0, GN_MSG_SYNC, 300, &gm_id, false, 9, t_in);
	s = sent_on(1, GN_MSG_SYNC, 0);
	assert_non_null(s);
	assert_true(s->frame[6] & 0x02);
	assert_int_equal(corr_scaled(s), 9 * 65536LL);
	gn_clock_tx_timestamp(&clk, 1, GN_MSG_SYNC, 300, t_in + 4321);
	s = sent_on(1, GN_MSG_FOLLOW_UP, 0);
	assert_non_null(s);
	assert_int_equal(s->len, 44);
	assert_int_equal(gn_msg_parse(s->frame, s->len, &m), GN_WIRE_OK);
	assert_int_equal(m.h.type, GN_MSG_FOLLOW_UP);
	assert_int_equal(m.h.sequence_id, 300);
	assert_int_equal(m.h.control, 2);
	assert_true(gn_clock_identity_eq(&m.h.source.clock, &gm_id));
	assert_int_equal(m.h.correction, 4321 * 65536LL);
	assert_int_equal(m.body.origin.sec, 1700000000);
	assert_int_equal(m.body.origin.nsec, 123456789);
}

/* Delay_Req goes out the other ports; its Delay_Resp comes back only to
 * the requester's port, carrying the request's residence. */
static void test_e2e_delay_resp(void **state)
{
	const int64_t t_in = T0 + 70000;
	const struct sent *s;

	(void)state;
	tc_setup(GN_CLOCK_E2E_TC, false);
	rx(1, GN_MSG_DELAY_REQ, 55, &sl_id, false, 0, t_in);
	assert_non_null(sent_on(0, GN_MSG_DELAY_REQ, 0));
	assert_non_null(sent_on(2, GN_MSG_DELAY_REQ, 0));
	assert_true(sent_on(0, GN_MSG_DELAY_REQ, 0)->meta.want_tx_ts);
	gn_clock_tx_timestamp(&clk, 0, GN_MSG_DELAY_REQ, 55, t_in + 2500);
	gn_clock_tx_timestamp(&clk, 2, GN_MSG_DELAY_REQ, 55, t_in + 2600);
	fk.nsent = 0;
	/* A response for somebody else: not ours to pass. */
	{
		uint8_t buf[GN_MAX_MSG_LEN];
		size_t len =
		    build(GN_MSG_DELAY_RESP, 55, &gm_id, false, 0, buf);

		buf[44] ^= 0xFF; /* requestingPortIdentity */
		gn_clock_rx(&clk, 0, buf, len, T0 + 90000);
		assert_int_equal(fk.nsent, 0);
	}
	rx(0, GN_MSG_DELAY_RESP, 55, &gm_id, false, 20, T0 + 90000);
	assert_int_equal(fk.nsent, 1);
	s = sent_on(1, GN_MSG_DELAY_RESP, 0);
	assert_non_null(s);
	assert_int_equal(corr_scaled(s), (20 + 2500) * 65536LL);
	/* Answered once: a duplicate response finds no request. */
	rx(0, GN_MSG_DELAY_RESP, 55, &gm_id, false, 20, T0 + 90001);
	assert_int_equal(fk.nsent, 1);
	/* Peer delay is never forwarded by an E2E TC. */
	rx(0, GN_MSG_PDELAY_REQ, 1, &gm_id, false, 0, T0 + 95000);
	assert_int_equal(fk.nsent, 1);
}

/* P2P TC: the Follow_Up gets the residence plus the ingress port's peer
 * delay; Delay_Req/Resp and peer delay messages stay put. */
static void test_p2p(void **state)
{
	const int64_t t_in = T0 + 10000;
	unsigned i;

	(void)state;
	tc_setup(GN_CLOCK_P2P_TC, false);
	ports[0].have_peer_delay = true;
	ports[0].peer_delay_ns = 512;
	ports[1].peer_delay_ns = 99999; /* not the ingress: must not count */
	ports[1].have_peer_delay = true;
	rx(0, GN_MSG_SYNC, 1, &gm_id, true, 0, t_in);
	rx(0, GN_MSG_FOLLOW_UP, 1, &gm_id, false, 100, t_in + 10);
	gn_clock_tx_timestamp(&clk, 1, GN_MSG_SYNC, 1, t_in + 3000);
	assert_int_equal(corr_scaled(sent_on(1, GN_MSG_FOLLOW_UP, 0)),
			 (100 + 3000 + 512) * 65536LL);
	/* One-step in: the generated Follow_Up holds residence + link. */
	rx(0, GN_MSG_SYNC, 2, &gm_id, false, 0, t_in + 1000000);
	gn_clock_tx_timestamp(&clk, 2, GN_MSG_SYNC, 2, t_in + 1000000 + 800);
	assert_int_equal(corr_scaled(sent_on(2, GN_MSG_FOLLOW_UP, 0)),
			 (800 + 512) * 65536LL);

	fk.nsent = 0;
	rx(1, GN_MSG_DELAY_REQ, 9, &sl_id, false, 0, t_in + 2000000);
	rx(0, GN_MSG_DELAY_RESP, 9, &gm_id, false, 0, t_in + 2000000);
	assert_int_equal(fk.nsent, 0);
	/* A Pdelay_Req is answered on its own port, never passed on. */
	rx(1, GN_MSG_PDELAY_REQ, 4, &sl_id, false, 0, t_in + 3000000);
	for (i = 0; i < fk.nsent; i++)
		assert_int_equal(fk.sent[i].port, 1);
	assert_non_null(sent_on(1, GN_MSG_PDELAY_RESP, 0));
}

/* A free-running TC whose clock is 100 ppm fast stretches a 10 ms
 * residence by 1 us: the error is its frequency offset times the
 * residence, nothing more. */
static void test_free_running_rate_error(void **state)
{
	const double ppm = 100.0;
	const int64_t true_in = 3000000, true_res = 10000000;
	int64_t local_in = T0 + (int64_t)((double)true_in * (1 + ppm * 1e-6));
	int64_t local_out =
	    T0 + (int64_t)((double)(true_in + true_res) * (1 + ppm * 1e-6));
	int64_t corr_ns;

	(void)state;
	tc_setup(GN_CLOCK_E2E_TC, false);
	rx(0, GN_MSG_SYNC, 1, &gm_id, true, 0, local_in);
	gn_clock_tx_timestamp(&clk, 1, GN_MSG_SYNC, 1, local_out);
	rx(0, GN_MSG_FOLLOW_UP, 1, &gm_id, false, 0, local_out);
	corr_ns = corr_scaled(sent_on(1, GN_MSG_FOLLOW_UP, 0)) / 65536;
	assert_int_equal(corr_ns - true_res, 1000); /* 100e-6 * 10 ms */
}

/* Short, truncated, inconsistent or unstamped frames are not passed. */
static void test_malformed_dropped(void **state)
{
	uint8_t buf[GN_MAX_MSG_LEN + 64];
	size_t len;

	(void)state;
	tc_setup(GN_CLOCK_E2E_TC, false);
	len = build(GN_MSG_SYNC, 1, &gm_id, true, 0, buf);
	gn_clock_rx(&clk, 0, buf, 20, T0);	/* shorter than a header */
	gn_clock_rx(&clk, 0, buf, len - 1, T0); /* body cut */
	buf[3] = 200; /* messageLength beyond the frame */
	gn_clock_rx(&clk, 0, buf, len, T0);
	len = build(GN_MSG_SYNC, 1, &gm_id, true, 0, buf);
	buf[1] = 0x13; /* version 3 */
	gn_clock_rx(&clk, 0, buf, len, T0);
	len = build(GN_MSG_FOLLOW_UP, 1, &gm_id, false, 0, buf);
	gn_put32(buf + 40, 1000000000); /* nanoseconds out of range */
	gn_clock_rx(&clk, 0, buf, len, T0);
	len = build(GN_MSG_SYNC, 1, &gm_id, true, 0, buf);
	gn_clock_rx(&clk, 0, buf, len, GN_NO_TIMESTAMP);
	len = build(GN_MSG_ANNOUNCE, 1, &gm_id, false, 0, buf);
	gn_clock_rx(&clk, 0, buf, len - 2, T0);
	assert_int_equal(fk.nsent, 0);
	assert_int_equal(ports[0].tc.stats.dropped, 7);
	assert_int_equal(used_entries(&ports[1]), 0);

	/* Ethernet padding after messageLength is not forwarded. */
	len = build(GN_MSG_ANNOUNCE, 1, &gm_id, false, 0, buf);
	memset(buf + len, 0, 10);
	gn_clock_rx(&clk, 0, buf, len + 10, T0);
	assert_int_equal(sent_on(1, GN_MSG_ANNOUNCE, 0)->len, len);
	/* Without tc_spanning_tree stepsRemoved is left alone. */
	assert_int_equal(gn_get16(sent_on(1, GN_MSG_ANNOUNCE, 0)->frame + 61),
			 3);
}

/* Correction arithmetic saturates at 1588's "too big" value. */
static void test_correction_saturates(void **state)
{
	uint8_t buf[GN_MAX_MSG_LEN];
	size_t len;

	(void)state;
	tc_setup(GN_CLOCK_E2E_TC, false);
	rx(0, GN_MSG_SYNC, 1, &gm_id, true, 0, T0);
	gn_clock_tx_timestamp(&clk, 1, GN_MSG_SYNC, 1, T0 + 1000);
	len = build(GN_MSG_FOLLOW_UP, 1, &gm_id, false, 0, buf);
	gn_put64(buf + 8, (uint64_t)(INT64_MAX - 5));
	gn_clock_rx(&clk, 0, buf, len, T0);
	assert_int_equal(corr_scaled(sent_on(1, GN_MSG_FOLLOW_UP, 0)),
			 INT64_MAX);
}

/* Out of order, lost, duplicated: the table pairs what it can, forgets
 * what ages out, and never holds more than GN_TC_ENTRIES per port. */
static void test_pairing_table(void **state)
{
	int64_t t = T0;
	unsigned i;

	(void)state;
	tc_setup(GN_CLOCK_E2E_TC, false);
	/* Follow_Up overtakes its Sync. */
	rx(0, GN_MSG_FOLLOW_UP, 10, &gm_id, false, 1, t);
	assert_int_equal(count_type(GN_MSG_FOLLOW_UP), 0);
	rx(0, GN_MSG_SYNC, 10, &gm_id, true, 0, t + 50);
	gn_clock_tx_timestamp(&clk, 1, GN_MSG_SYNC, 10, t + 50 + 600);
	assert_int_equal(corr_scaled(sent_on(1, GN_MSG_FOLLOW_UP, 0)),
			 (1 + 600) * 65536LL);
	/* A Follow_Up of another master (same seq) does not pair. */
	{
		struct gn_clock_identity other = gm_id;

		other.id[7] ^= 1;
		rx(0, GN_MSG_SYNC, 11, &gm_id, true, 0, t + 1000);
		gn_clock_tx_timestamp(&clk, 1, GN_MSG_SYNC, 11, t + 1500);
		fk.nsent = 0;
		rx(0, GN_MSG_FOLLOW_UP, 11, &other, false, 0, t + 2000);
		assert_null(sent_on(1, GN_MSG_FOLLOW_UP, 0));
	}
	/* Lost Follow_Ups and lost stamps, 1000 times: bounded. */
	for (i = 0; i < 1000; i++) {
		t += 1000000;
		fk.now_ns = t;
		rx(0, GN_MSG_SYNC, (uint16_t)(100 + i), &gm_id, true, 0, t);
		if (i % 2)
			gn_clock_tx_timestamp(&clk, 1, GN_MSG_SYNC,
					      (uint16_t)(100 + i), t + 100);
		rx(0, GN_MSG_FOLLOW_UP, (uint16_t)(5000 + i), &gm_id, false, 0,
		   t);
		assert_true(used_entries(&ports[1]) <= GN_TC_ENTRIES);
		fk.nsent = 0;
	}
	assert_true(ports[1].tc.stats.evicted > 0);
	/* Still pairs after the flood. */
	rx(0, GN_MSG_SYNC, 40000, &gm_id, true, 0, t);
	gn_clock_tx_timestamp(&clk, 1, GN_MSG_SYNC, 40000, t + 4444);
	rx(0, GN_MSG_FOLLOW_UP, 40000, &gm_id, false, 0, t + 10);
	assert_int_equal(corr_scaled(sent_on(1, GN_MSG_FOLLOW_UP, 0)),
			 4444 * 65536LL);
	/* After a lifetime everything unpaired is gone; a late Follow_Up
	 * for an old Sync is not forwarded with a stale residence. */
	rx(0, GN_MSG_SYNC, 41000, &gm_id, true, 0, t);
	gn_clock_tx_timestamp(&clk, 1, GN_MSG_SYNC, 41000, t + 100);
	fk.now_ns = t + 2 * GN_TC_LIFETIME_NS;
	fk.nsent = 0;
	rx(0, GN_MSG_FOLLOW_UP, 41000, &gm_id, false, 0, fk.now_ns);
	assert_null(sent_on(1, GN_MSG_FOLLOW_UP, 0));
	rx(0, GN_MSG_SYNC, 42000, &gm_id, true, 0, fk.now_ns);
	assert_int_equal(used_entries(&ports[1]), 2); /* new Sync + held */
	assert_true(ports[1].tc.stats.expired >= GN_TC_ENTRIES - 2);
	/* A stamp nobody waits for belongs to the port, not the TC. */
	assert_false(gn_tc_tx_timestamp(&ports[2], GN_MSG_SYNC, 1, T0));
}

/* tc_spanning_tree: Sync/Announce only slave port -> master ports,
 * Delay_Req only master -> slave port; Announce gets one more step. */
static void test_spanning_tree(void **state)
{
	const struct sent *s;

	(void)state;
	tc_setup(GN_CLOCK_E2E_TC, true);
	ports[0].ds.state = GN_PS_SLAVE;
	ports[1].ds.state = GN_PS_MASTER;
	ports[2].ds.state = GN_PS_PASSIVE;
	rx(0, GN_MSG_SYNC, 1, &gm_id, true, 0, T0);
	assert_int_equal(fk.nsent, 1);
	assert_non_null(sent_on(1, GN_MSG_SYNC, 0));
	fk.nsent = 0;
	rx(0, GN_MSG_ANNOUNCE, 1, &gm_id, false, 0, T0);
	s = sent_on(1, GN_MSG_ANNOUNCE, 0);
	assert_non_null(s);
	assert_int_equal(gn_get16(s->frame + 61), 4);
	assert_null(sent_on(2, GN_MSG_ANNOUNCE, 0));
	fk.nsent = 0;
	rx(1, GN_MSG_DELAY_REQ, 3, &sl_id, false, 0, T0);
	assert_int_equal(fk.nsent, 1);
	assert_non_null(sent_on(0, GN_MSG_DELAY_REQ, 0));
	fk.nsent = 0;
	rx(2, GN_MSG_DELAY_REQ, 4, &sl_id, false, 0, T0); /* passive */
	rx(1, GN_MSG_SYNC, 2, &sl_id, true, 0, T0);	  /* against */
	assert_int_equal(fk.nsent, 0);
}

/* A TC's ports become MASTER without a grandmaster but never arm the
 * Announce and Sync transmission timers. */
static void test_tc_originates_nothing(void **state)
{
	unsigned i, k;

	(void)state;
	tc_setup(GN_CLOCK_E2E_TC, false);
	for (k = 0; k < 3; k++)
		for (i = 0; i < NPORTS; i++) {
			gn_clock_timer(&clk, i, GN_TMR_ANNOUNCE_RECEIPT);
			gn_clock_timer(&clk, i, GN_TMR_QUALIFICATION);
		}
	for (i = 0; i < NPORTS; i++)
		assert_int_equal(ports[i].ds.state, GN_PS_MASTER);
	assert_int_equal(fk.armed[GN_TMR_ANNOUNCE_TX], 0);
	assert_int_equal(fk.armed[GN_TMR_SYNC_TX], 0);
	for (i = 0; i < NPORTS; i++) {
		gn_clock_timer(&clk, i, GN_TMR_ANNOUNCE_TX);
		gn_clock_timer(&clk, i, GN_TMR_SYNC_TX);
	}
	assert_int_equal(fk.nsent, 0);
	/* A master port of a TC does not answer Delay_Req itself. */
	rx(1, GN_MSG_DELAY_REQ, 1, &sl_id, false, 0, T0);
	assert_null(sent_on(1, GN_MSG_DELAY_RESP, 0));
}

static void test_config_checks(void **state)
{
	struct gn_clock_config cc;
	struct gn_port_config pc[2];

	(void)state;
	memset(&fk, 0, sizeof(fk));
	gn_clock_config_default(&cc);
	gn_port_config_default(&pc[0]);
	gn_port_config_default(&pc[1]);
	cc.clock_type = GN_CLOCK_P2P_TC; /* with E2E ports */
	assert_int_equal(gn_clock_init(&clk, &cc, ports, pc, 2, &env, 1),
			 -EINVAL);
	cc.clock_type = GN_CLOCK_E2E_TC; /* one port */
	assert_int_equal(gn_clock_init(&clk, &cc, ports, pc, 1, &env, 1),
			 -EINVAL);
	assert_int_equal(gn_clock_init(&clk, &cc, ports, pc, 2, &env, 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_e2e_two_step),
	    cmocka_unit_test(test_e2e_one_step),
	    cmocka_unit_test(test_e2e_delay_resp),
	    cmocka_unit_test(test_p2p),
	    cmocka_unit_test(test_free_running_rate_error),
	    cmocka_unit_test(test_malformed_dropped),
	    cmocka_unit_test(test_correction_saturates),
	    cmocka_unit_test(test_pairing_table),
	    cmocka_unit_test(test_spanning_tree),
	    cmocka_unit_test(test_tc_originates_nothing),
	    cmocka_unit_test(test_config_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

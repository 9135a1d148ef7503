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
#include <math.h>

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

/* The originTimestamp build() puts in Sync, Follow_Up and Delay_Req,
 * and the grandmaster priority1 of its Announce (whose grandmaster is
 * the sender). */
static int64_t origin_ns = T0 + 123456789;
static uint8_t announce_priority1 = 100;

/* A TC of NPORTS ports, all LISTENING after start. */
static void tc_setup(enum gn_clock_type type, bool spanning_tree)
{
	struct gn_clock_config cc;
	struct gn_port_config pc[NPORTS];
	unsigned i;

	memset(&fk, 0, sizeof(fk));
	fk.now_ns = T0;
	origin_ns = T0 + 123456789;
	announce_priority1 = 100;
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
		assert_int_equal(gn_ns_to_timestamp(origin_ns, &m.body.origin),
				 0);
		break;
	case GN_MSG_DELAY_RESP:
		m.body.resp.ts.sec = 1700000000;
		m.body.resp.port.clock = sl_id;
		m.body.resp.port.port = 1;
		break;
	case GN_MSG_ANNOUNCE:
		m.body.announce.gm_identity = *src;
		m.body.announce.steps_removed = 3;
		m.body.announce.gm_priority1 = announce_priority1;
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

/* ---- the master/local rate ratio of a free-running TC ---- */

static bool gm_is_parent(const struct gn_clock_identity *gm)
{
	return gn_clock_identity_eq(&clk.pds.gm_identity, gm);
}

#define S	1000000000LL
#define LINK_NS 10000LL	   /* grandmaster to TC */
#define RES_NS	10000000LL /* 10 ms in the TC, true time */

static const struct gn_clock_identity gm2_id = {
    {0x33, 0x33, 0x33, 0xff, 0xfe, 0x33, 0x33, 0x33}};

/* The TC's free-running clock: tc_ppm fast, reading true (grandmaster)
 * time at T0, then stepped by tc_step_ns. With true times a multiple of
 * 10 us from T0 and 100 or 900 ppm the stamps are exact integers. */
static double tc_ppm;
static int64_t tc_step_ns;
/* The grandmaster's time minus true time (it was stepped). */
static int64_t gm_step_ns;

static int64_t tc_local(int64_t true_ns)
{
	return true_ns + tc_step_ns +
	       llround((double)(true_ns - T0) * tc_ppm * 1e-6);
}

static void tc_setup_at(enum gn_clock_type type, double ppm)
{
	tc_setup(type, false);
	tc_ppm = ppm;
	tc_step_ns = 0;
	gm_step_ns = 0;
}

/* Two Announces from gm on port qualify it: the BMCA makes the port
 * the slave port (UNCALIBRATED: a free-running E2E TC measures no
 * path delay, so it never calibrates). */
static void follow(const struct gn_clock_identity *gm, unsigned port)
{
	rx(port, GN_MSG_ANNOUNCE, 1, gm, false, 0, fk.now_ns);
	rx(port, GN_MSG_ANNOUNCE, 2, gm, false, 0, fk.now_ns);
	assert_int_equal(gn_clock_slave_port(&clk), (int)port);
	assert_true(ports[port].ds.state == GN_PS_UNCALIBRATED ||
		    ports[port].ds.state == GN_PS_SLAVE);
	fk.nsent = 0;
}

/* A two-step Sync from gm on port 0, sent at true time t_send and
 * corrected upstream by corr, its Follow_Up behind it; after RES_NS
 * (true) in the TC it leaves by port 1. Returns what the TC's
 * Follow_Up on port 1 adds to the correction beyond RES_NS, ns. */
static int64_t sync_residence_error(const struct gn_clock_identity *gm,
				    uint16_t seq, int64_t t_send, int64_t corr)
{
	int64_t true_in = t_send + corr + LINK_NS;
	int64_t t_in = tc_local(true_in);
	const struct sent *s;

	fk.nsent = 0;
	origin_ns = t_send + gm_step_ns;
	rx(0, GN_MSG_SYNC, seq, gm, true, 0, t_in);
	rx(0, GN_MSG_FOLLOW_UP, seq, gm, false, corr, t_in + 20000);
	gn_clock_tx_timestamp(&clk, 1, GN_MSG_SYNC, seq,
			      tc_local(true_in + RES_NS));
	s = sent_on(1, GN_MSG_FOLLOW_UP, 0);
	assert_non_null(s);
	return corr_scaled(s) / 65536 - corr - RES_NS;
}

/* Syncs seq..seq+2, one a second from T0 + seq s: the ratio is known
 * after the third (freq_est_interval 1: two Sync intervals of 1 s).
 * The upstream corrections vary (the third 20 us more than the first):
 * a ratio that left them out would be 10 ppm off, 100 ns on 10 ms.
 * Returns the last Sync's residence error. */
static int64_t learn(const struct gn_clock_identity *gm, uint16_t seq)
{
	static const int64_t corr[3] = {0, 50000, 20000};
	int64_t err = 0;
	unsigned k;

	for (k = 0; k < 3; k++)
		err =
		    sync_residence_error(gm, (uint16_t)(seq + k),
					 T0 + (int64_t)(seq + k) * S, corr[k]);
	return err;
}

/* +100 ppm, 10 ms residence: 1000 ns too much until the ratio is
 * known, then exact, for Follow_Up and Delay_Resp alike. */
static void test_free_running_rate_ratio(void **state)
{
	const int64_t t_req = T0 + 10 * S;
	const struct sent *s;

	(void)state;
	tc_setup_at(GN_CLOCK_E2E_TC, 100.0);
	follow(&gm_id, 0);
	assert_true(gn_tc_rate_ratio(&clk) == 1.0);
	assert_int_equal(sync_residence_error(&gm_id, 1, T0 + S, 0), 1000);
	assert_int_equal(sync_residence_error(&gm_id, 2, T0 + 2 * S, 50000),
			 1000);
	assert_true(gn_tc_rate_ratio(&clk) == 1.0);
	/* The third Sync completes the interval before its stamp. */
	assert_int_equal(sync_residence_error(&gm_id, 3, T0 + 3 * S, 20000), 0);
	assert_true(fabs(gn_tc_rate_ratio(&clk) * 1.0001 - 1.0) < 1e-15);
	assert_int_equal(sync_residence_error(&gm_id, 4, T0 + 4 * S, 0), 0);

	/* Delay_Req from port 1 up to port 0, 10 ms: its Delay_Resp goes
	 * back with 10 ms exactly (1000 ns more without the ratio). */
	fk.nsent = 0;
	rx(1, GN_MSG_DELAY_REQ, 77, &sl_id, false, 0, tc_local(t_req));
	gn_clock_tx_timestamp(&clk, 0, GN_MSG_DELAY_REQ, 77,
			      tc_local(t_req + RES_NS));
	rx(0, GN_MSG_DELAY_RESP, 77, &gm_id, false, 30, tc_local(t_req + S));
	s = sent_on(1, GN_MSG_DELAY_RESP, 0);
	assert_non_null(s);
	assert_int_equal(corr_scaled(s), (30 + RES_NS) * 65536LL);
	assert_int_equal(ports[0].tc.stats.rate_rejected, 0);
}

/* A clock steered by its servo (free_running 0) runs at the master's
 * rate: its residence is taken as it is, whatever it measured. */
static void test_steered_tc_no_ratio(void **state)
{
	(void)state;
	tc_setup_at(GN_CLOCK_E2E_TC, 100.0);
	clk.cfg.free_running = false;
	follow(&gm_id, 0);
	assert_int_equal(learn(&gm_id, 1), 1000);
	assert_int_equal(sync_residence_error(&gm_id, 4, T0 + 4 * S, 0), 1000);
	assert_true(gn_tc_rate_ratio(&clk) == 1.0);
	assert_false(ports[0].tc.rate.known);
}

/* A new master, the slave port leaving its state: the ratio is
 * forgotten (1.0) and learnt again from the new master's Syncs. */
static void test_rate_ratio_resets(void **state)
{
	(void)state;
	tc_setup_at(GN_CLOCK_E2E_TC, 100.0);
	follow(&gm_id, 0);
	assert_int_equal(learn(&gm_id, 1), 0);
	assert_true(ports[0].tc.rate.known);

	/* A better grandmaster on the same port. */
	announce_priority1 = 90;
	follow(&gm2_id, 0);
	assert_true(gm_is_parent(&gm2_id));
	assert_true(gn_tc_rate_ratio(&clk) == 1.0);
	assert_false(ports[0].tc.rate.known);
	assert_false(ports[0].tc.rate.have_start);
	assert_int_equal(sync_residence_error(&gm2_id, 10, T0 + 10 * S, 0),
			 1000);
	assert_int_equal(learn(&gm2_id, 11), 0);
	assert_true(ports[0].tc.rate.known);

	/* The slave port goes down and comes back. */
	gn_clock_link(&clk, 0, false);
	assert_int_equal(ports[0].ds.state, GN_PS_FAULTY);
	assert_true(gn_tc_rate_ratio(&clk) == 1.0);
	assert_false(ports[0].tc.rate.known);
	gn_clock_link(&clk, 0, true);
	follow(&gm2_id, 0);
	assert_int_equal(sync_residence_error(&gm2_id, 20, T0 + 20 * S, 0),
			 1000);
}

/* Ratios further than 1e-3 from 1 are no oscillator's: ignored (1.0),
 * counted. 900 ppm passes, 1100 ppm does not; a step of the
 * grandmaster's time within an interval is rejected, and learnt again
 * over the next; the TC's clock stepped back starts over. */
static void test_rate_ratio_nonsense_rejected(void **state)
{
	(void)state;
	tc_setup_at(GN_CLOCK_E2E_TC, 1100.0);
	follow(&gm_id, 0);
	assert_int_equal(learn(&gm_id, 1), 11000);
	assert_true(gn_tc_rate_ratio(&clk) == 1.0);
	assert_int_equal(ports[0].tc.stats.rate_rejected, 1);

	tc_setup_at(GN_CLOCK_E2E_TC, 900.0);
	follow(&gm_id, 0);
	assert_int_equal(learn(&gm_id, 1), 0);
	assert_true(fabs(gn_tc_rate_ratio(&clk) * 1.0009 - 1.0) < 1e-15);
	assert_int_equal(ports[0].tc.stats.rate_rejected, 0);

	/* The grandmaster's time steps 10 ms: 5000 ppm over the interval
	 * of Syncs 3..5. */
	tc_setup_at(GN_CLOCK_E2E_TC, 100.0);
	follow(&gm_id, 0);
	assert_int_equal(learn(&gm_id, 1), 0);
	assert_int_equal(sync_residence_error(&gm_id, 4, T0 + 4 * S, 0), 0);
	gm_step_ns = 10000000;
	assert_int_equal(sync_residence_error(&gm_id, 5, T0 + 5 * S, 0), 1000);
	assert_true(gn_tc_rate_ratio(&clk) == 1.0);
	assert_int_equal(ports[0].tc.stats.rate_rejected, 1);
	assert_int_equal(learn(&gm_id, 6), 0);
	assert_true(ports[0].tc.rate.known);

	/* The TC's clock steps back 10 s: its ingress stamps go back past
	 * the interval's start, which is no ratio at all. */
	tc_step_ns = -10 * S;
	assert_int_equal(sync_residence_error(&gm_id, 9, T0 + 9 * S, 0), 1000);
	assert_true(gn_tc_rate_ratio(&clk) == 1.0);
	assert_int_equal(ports[0].tc.stats.rate_rejected, 1);
	assert_int_equal(learn(&gm_id, 10), 0);
}

/* P2P TC: the ingress link's delay is measured in the neighbor's time
 * base; divided by the neighbor rate ratio it is in the TC's, and times
 * the master/local ratio in the grandmaster's. */
static void test_p2p_link_delay_rate(void **state)
{
	(void)state;
	tc_setup_at(GN_CLOCK_P2P_TC, 100.0);
	follow(&gm_id, 0);
	ports[0].have_peer_delay = true;
	ports[0].peer_delay_ns = 1000000;
	ports[0].neighbor_rate_ratio = 1.0002;
	/* 1e6 / 1.0002 = 999800.04; the residence 1000 ns long. */
	assert_int_equal(sync_residence_error(&gm_id, 1, T0 + S, 0),
			 1000 + 999800);
	/* 1e6 / 1.0002 / 1.0001 = 999700.06 */
	assert_int_equal(learn(&gm_id, 2), 999700);
	ports[0].neighbor_rate_ratio = 1.0;
	/* 1e6 / 1.0001 = 999900.01 */
	assert_int_equal(sync_residence_error(&gm_id, 5, T0 + 5 * S, 0),
			 999900);
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
	    cmocka_unit_test(test_free_running_rate_ratio),
	    cmocka_unit_test(test_steered_tc_no_ratio),
	    cmocka_unit_test(test_rate_ratio_resets),
	    cmocka_unit_test(test_rate_ratio_nonsense_rejected),
	    cmocka_unit_test(test_p2p_link_delay_rate),
	    cmocka_unit_test(test_malformed_dropped),
	    cmocka_unit_test(test_correction_saturates),
	    cmocka_unit_test(test_pairing_table),
	    cmocka_unit_test(test_spanning_tree),
	    cmocka_unit_test(test_tc_originates_nothing),
	    cmocka_unit_test(test_config_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

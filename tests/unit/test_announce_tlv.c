/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_announce_tlv.c - the TLVs the engine puts in and takes from
 * Announce: the C37.238 power profile TLV (2011 and 2017), one
 * ALTERNATE_TIME_OFFSET_INDICATOR per enabled key, PATH_TRACE (a
 * grandmaster's, a boundary clock's with its parent's path, a path too
 * long to extend), the discarding of Announce whose path holds this
 * clock, and received Announce with malformed or truncated TLVs (fixed
 * cases and a seeded mutation run) that must change nothing; and the
 * octets ptp4l 4.4 sends in the same configuration.
 *
 * The clock runs on a fake host that records every Announce it sends;
 * expected octets are worked by hand from 1588-2019 16.2/16.3 and
 * C37.238, in the order ptp4l (port.c, clock.c) appends them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "tlv.h"
#include "wire.h"

#define S (1000000000LL)

/* ---- a fake host ---- */

struct fake {
	int64_t now_ns;
	uint8_t ann[2][GN_MAX_MSG_LEN]; /* last Announce sent per port */
	size_t ann_len[2];
	unsigned nann[2];
	char log[1 << 16];
	size_t loglen;
};

static struct fake fk;

static int f_send(void *ctx, unsigned port, const uint8_t *frame, size_t len,
		  const struct gn_tx_meta *meta)
{
	(void)ctx;
	if (meta->msg_type == GN_MSG_ANNOUNCE && port < 2) {
		assert_true(len <= GN_MAX_MSG_LEN);
		memcpy(fk.ann[port], frame, len);
		fk.ann_len[port] = len;
		fk.nann[port]++;
	}
	return 0;
}

static void f_arm(void *ctx, unsigned port, enum gn_timer_kind kind,
		  int64_t delay_ns)
{
	(void)ctx;
	(void)port;
	(void)kind;
	(void)delay_ns;
}

static void f_cancel(void *ctx, unsigned port, enum gn_timer_kind kind)
{
	(void)ctx;
	(void)port;
	(void)kind;
}

static int64_t f_now(void *ctx)
{
	(void)ctx;
	return fk.now_ns;
}

static int f_adjfreq(void *ctx, double ppb)
{
	(void)ctx;
	(void)ppb;
	return 0;
}

static int f_step(void *ctx, int64_t delta_ns)
{
	(void)ctx;
	(void)delta_ns;
	return 0;
}

__attribute__((format(printf, 3, 0))) static void
f_vlog(void *ctx, enum gn_log_level level, const char *fmt, va_list ap)
{
	int n;

	(void)ctx;
	(void)level;
	if (fk.loglen + 2 >= sizeof(fk.log))
		return;
	n = vsnprintf(fk.log + fk.loglen, sizeof(fk.log) - fk.loglen - 1, fmt,
		      ap);
	if (n < 0)
		return;
	fk.loglen += (size_t)n;
	if (fk.loglen > sizeof(fk.log) - 2)
		fk.loglen = sizeof(fk.log) - 2;
	fk.log[fk.loglen++] = '\n';
	fk.log[fk.loglen] = '\0';
}

static const struct gn_env env = {
    .send = f_send,
    .timer_arm = f_arm,
    .timer_cancel = f_cancel,
    .clock_now = f_now,
    .clock_adjfreq = f_adjfreq,
    .clock_step = f_step,
    .vlog = f_vlog,
};

/* This clock, the foreign master (a boundary clock) and its grandmaster. */
static const struct gn_clock_identity self = {
    {0x02, 0x00, 0x00, 0xFF, 0xFE, 0x00, 0x00, 0x01}};
static const struct gn_clock_identity far = {
    {0x02, 0x00, 0x00, 0xFF, 0xFE, 0x00, 0x00, 0x02}};
static const struct gn_clock_identity far_gm = {
    {0x02, 0x00, 0x00, 0xFF, 0xFE, 0x00, 0x00, 0x03}};

struct rig {
	struct gn_clock c;
	struct gn_port ports[2];
	struct gn_port_config pc[2];
};

static struct rig *rig_new(unsigned nports, bool path_trace,
			   const struct gn_power_profile *pp)
{
	struct rig *r = calloc(1, sizeof(*r));
	struct gn_clock_config cc;
	unsigned i;

	assert_non_null(r);
	memset(&fk, 0, sizeof(fk));
	fk.now_ns = 1000 * S;
	gn_clock_config_default(&cc);
	cc.identity = self;
	for (i = 0; i < nports; i++) {
		gn_port_config_default(&r->pc[i]);
		snprintf(r->pc[i].name, sizeof(r->pc[i].name), "eth%u", i);
		r->pc[i].path_trace_enabled = path_trace;
		if (pp)
			r->pc[i].power_profile = *pp;
	}
	assert_int_equal(
	    gn_clock_init(&r->c, &cc, r->ports, r->pc, nports, &env, 1), 0);
	gn_clock_start(&r->c);
	return r;
}

/* The port becomes master (no Announce heard) and sends one Announce. */
static void make_master_and_announce(struct rig *r, unsigned port)
{
	unsigned before;

	gn_clock_timer(&r->c, port, GN_TMR_ANNOUNCE_RECEIPT);
	assert_int_equal(r->c.ports[port].ds.state, GN_PS_MASTER);
	before = fk.nann[port];
	gn_clock_timer(&r->c, port, GN_TMR_ANNOUNCE_TX);
	assert_int_equal(fk.nann[port], before + 1);
}

static void announce_again(struct rig *r, unsigned port)
{
	unsigned before = fk.nann[port];

	gn_clock_timer(&r->c, port, GN_TMR_ANNOUNCE_TX);
	assert_int_equal(fk.nann[port], before + 1);
}

/* An Announce of the foreign master (priority1 100: better than us),
 * with TLVs tlv[0..n). Returns its length. */
static size_t foreign_announce(uint8_t *buf, size_t cap, uint16_t seq,
			       const struct gn_tlv *tlv, unsigned n)
{
	struct gn_msg m;
	unsigned i;
	int len;

	memset(&m, 0, sizeof(m));
	gn_header_init(&m.h, GN_MSG_ANNOUNCE);
	m.h.source.clock = far;
	m.h.source.port = 1;
	m.h.sequence_id = seq;
	m.h.log_interval = 1;
	m.body.announce.current_utc_offset = 37;
	m.body.announce.gm_priority1 = 100;
	m.body.announce.gm_quality.clock_class = 248;
	m.body.announce.gm_quality.clock_accuracy = 0xFE;
	m.body.announce.gm_quality.offset_scaled_log_variance = 0xFFFF;
	m.body.announce.gm_priority2 = 128;
	m.body.announce.gm_identity = far_gm;
	m.body.announce.steps_removed = 1;
	m.body.announce.time_source = 0xA0;
	for (i = 0; i < n; i++)
		assert_int_equal(gn_msg_add_tlv(&m, tlv[i].type, tlv[i].value,
						tlv[i].length),
				 0);
	len = gn_msg_serialize(&m, buf, cap);
	assert_true(len > 0);
	return (size_t)len;
}

static void rx_after(struct rig *r, unsigned port, const uint8_t *buf,
		     size_t len, int64_t after_ns)
{
	fk.now_ns += after_ns;
	gn_clock_rx(&r->c, port, buf, len, fk.now_ns);
}

/* Half an announce interval (log 1 = 2 s) later: in the window. */
static void rx(struct rig *r, unsigned port, const uint8_t *buf, size_t len)
{
	rx_after(r, port, buf, len, S);
}

static bool log_has(const char *s)
{
	return strstr(fk.log, s) != NULL;
}

/* The TLV octets of the last Announce of a port (after the 64-octet
 * body), checking messageLength against the frame length. */
static const uint8_t *sent_tlvs(unsigned port, size_t *len)
{
	const uint8_t *a = fk.ann[port];

	assert_true(fk.ann_len[port] >= 64);
	assert_int_equal(gn_get16(a + 2), fk.ann_len[port]);
	*len = fk.ann_len[port] - 64;
	return a + 64;
}

/* The next Announce of port 1 carries this clock alone as its path. */
static void expect_path_of_self(struct rig *r)
{
	const uint8_t *got;
	size_t len;

	announce_again(r, 1);
	got = sent_tlvs(1, &len);
	assert_int_equal(len, 12);
	assert_memory_equal(got + 4, self.id, 8);
}

/* ---- transmit ---- */

/*
 * testsuite 33-power's master: power_profile.version 2017 (grandmasterID
 * 7, total 100 ns) and key 2 enabled as "CET", currentOffset 36000,
 * jumpSeconds -3600, timeOfNextJump 6000000000 = 0x0001_65A0_BC00.
 * 64 + 22 + 24 = 110 octets.
 */
static void test_power_2017_and_alt_time(void **state)
{
	static const uint8_t want[46] = {
	    /* ORGANIZATION_EXTENSION, 18 */
	    0x00, 0x03, 0x00, 0x12,
	    /* 1C-12-9D, subtype 00-00-02 */
	    0x1C, 0x12, 0x9D, 0x00, 0x00, 0x02,
	    /* grandmasterID, reserved, totalTimeInaccuracy, reserved */
	    0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x64, 0x00,
	    0x00,
	    /* ALTERNATE_TIME_OFFSET_INDICATOR, 20 */
	    0x00, 0x09, 0x00, 0x14,
	    /* keyField 2, currentOffset 36000, jumpSeconds -3600 */
	    0x02, 0x00, 0x00, 0x8C, 0xA0, 0xFF, 0xFF, 0xF1, 0xF0,
	    /* timeOfNextJump */
	    0x00, 0x01, 0x65, 0xA0, 0xBC, 0x00,
	    /* displayName "CET", pad */
	    0x03, 'C', 'E', 'T', 0x00};
	struct gn_power_profile pp = {GN_POWER_PROFILE_2017, 7, 0xFFFFFFFF,
				      0xFFFFFFFF, 100};
	struct rig *r = rig_new(1, false, &pp);
	struct gn_alt_time_offset *a = &r->c.alt_time[2];
	const uint8_t *t;
	size_t len;

	(void)state;
	/* Without a timescale: the power profile TLV alone, 86 octets. */
	make_master_and_announce(r, 0);
	assert_int_equal(fk.ann_len[0], 86);
	t = sent_tlvs(0, &len);
	assert_int_equal(len, 22);
	assert_memory_equal(t, want, 22);

	/* What ALTERNATE_TIME_OFFSET_* management sets; key 1 has values
	 * but is not enabled, so it is not sent. */
	a->enabled = true;
	a->current_offset_s = 36000;
	a->jump_seconds_s = -3600;
	a->time_of_next_jump_s = 6000000000ULL;
	a->name_len = 3;
	memcpy(a->name, "CET", 4);
	r->c.alt_time[1].current_offset_s = 5;
	announce_again(r, 0);
	assert_int_equal(fk.ann_len[0], 110);
	t = sent_tlvs(0, &len);
	assert_int_equal(len, 46);
	assert_memory_equal(t, want, 46);

	/* A received copy parses and every TLV decodes. */
	{
		struct gn_msg m;
		unsigned i;

		assert_int_equal(gn_msg_parse(fk.ann[0], fk.ann_len[0], &m),
				 GN_WIRE_OK);
		assert_int_equal(m.ntlv, 2);
		for (i = 0; i < m.ntlv; i++)
			assert_int_equal(gn_tlv_check(&m.tlv[i], NULL), 0);
	}
	free(r);
}

/*
 * A grandmaster with path trace, the 2011 power profile and keys 0 and 3
 * enabled: PATH_TRACE [self], then C37.238-2011, then key 0 (no name),
 * then key 3 ("EEST"), in this order.
 */
static void test_gm_path_power_2011_two_keys(void **state)
{
	static const uint8_t want[] = {
	    /* PATH_TRACE, 8: this clock */
	    0x00, 0x08, 0x00, 0x08, 0x02, 0x00, 0x00, 0xFF, 0xFE, 0x00, 0x00,
	    0x01,
	    /* ORGANIZATION_EXTENSION, 18, 1C-12-9D 00-00-01 */
	    0x00, 0x03, 0x00, 0x12, 0x1C, 0x12, 0x9D, 0x00, 0x00, 0x01,
	    /* grandmasterID 0xABCD, GM 50 ns, network unknown, reserved */
	    0xAB, 0xCD, 0x00, 0x00, 0x00, 0x32, 0xFF, 0xFF, 0xFF, 0xFF, 0x00,
	    0x00,
	    /* ATOI 16: key 0, offsets 0, -1 s jump at 2^48 - 1, no name */
	    0x00, 0x09, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF,
	    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00,
	    /* ATOI 20: key 3, 7200, 3600, 1711846800 = 0x6608_B590, EEST */
	    0x00, 0x09, 0x00, 0x14, 0x03, 0x00, 0x00, 0x1C, 0x20, 0x00, 0x00,
	    0x0E, 0x10, 0x00, 0x00, 0x66, 0x08, 0xB5, 0x90, 0x04, 'E', 'E', 'S',
	    'T'};
	struct gn_power_profile pp = {GN_POWER_PROFILE_2011, 0xABCD, 50,
				      0xFFFFFFFF, 100};
	struct rig *r = rig_new(1, true, &pp);
	const uint8_t *t;
	size_t len;

	(void)state;
	assert_int_equal(sizeof(want), 12 + 22 + 20 + 24);
	r->c.alt_time[0].enabled = true;
	r->c.alt_time[0].jump_seconds_s = -1;
	r->c.alt_time[0].time_of_next_jump_s = 0xFFFFFFFFFFFFULL;
	r->c.alt_time[3].enabled = true;
	r->c.alt_time[3].current_offset_s = 7200;
	r->c.alt_time[3].jump_seconds_s = 3600;
	r->c.alt_time[3].time_of_next_jump_s = 1711846800;
	r->c.alt_time[3].name_len = 4;
	memcpy(r->c.alt_time[3].name, "EEST", 5);
	make_master_and_announce(r, 0);
	t = sent_tlvs(0, &len);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(t, want, sizeof(want));
	assert_int_equal(fk.ann_len[0], 64 + sizeof(want));
	free(r);
}

/*
 * The TLVs of ptp4l 4.4's Announce (linuxptp f98cb5d), captured on veth
 * in a network namespace with: path_trace_enabled 1, clockIdentity
 * 020000.fffe.000001, power_profile.version 2017 (then 2011),
 * grandmasterID 7, 2017.totalTimeInaccuracy 100,
 * 2011.grandmasterTimeInaccuracy 50, 2011.networkTimeInaccuracy 200,
 * and the three ALTERNATE_TIME_OFFSET_* SETs of testsuite 33-power.
 * The engine must send the same octets.
 */
static void test_same_octets_as_ptp4l(void **state)
{
	static const uint8_t ptp4l_2017[58] = {
	    0x00, 0x08, 0x00, 0x08, 0x02, 0x00, 0x00, 0xff, 0xfe, 0x00,
	    0x00, 0x01, 0x00, 0x03, 0x00, 0x12, 0x1c, 0x12, 0x9d, 0x00,
	    0x00, 0x02, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	    0x00, 0x64, 0x00, 0x00, 0x00, 0x09, 0x00, 0x14, 0x02, 0x00,
	    0x00, 0x8c, 0xa0, 0xff, 0xff, 0xf1, 0xf0, 0x00, 0x01, 0x65,
	    0xa0, 0xbc, 0x00, 0x03, 0x43, 0x45, 0x54, 0x00};
	static const uint8_t ptp4l_2011[58] = {
	    0x00, 0x08, 0x00, 0x08, 0x02, 0x00, 0x00, 0xff, 0xfe, 0x00,
	    0x00, 0x01, 0x00, 0x03, 0x00, 0x12, 0x1c, 0x12, 0x9d, 0x00,
	    0x00, 0x01, 0x00, 0x07, 0x00, 0x00, 0x00, 0x32, 0x00, 0x00,
	    0x00, 0xc8, 0x00, 0x00, 0x00, 0x09, 0x00, 0x14, 0x02, 0x00,
	    0x00, 0x8c, 0xa0, 0xff, 0xff, 0xf1, 0xf0, 0x00, 0x01, 0x65,
	    0xa0, 0xbc, 0x00, 0x03, 0x43, 0x45, 0x54, 0x00};
	const uint8_t *want[2] = {ptp4l_2011, ptp4l_2017};
	unsigned v;

	(void)state;
	for (v = 0; v < 2; v++) {
		struct gn_power_profile pp = {v ? GN_POWER_PROFILE_2017
						: GN_POWER_PROFILE_2011,
					      7, 50, 200, 100};
		struct rig *r = rig_new(1, true, &pp);
		struct gn_alt_time_offset *a = &r->c.alt_time[2];
		const uint8_t *t;
		size_t len;

		a->enabled = true;
		a->current_offset_s = 36000;
		a->jump_seconds_s = -3600;
		a->time_of_next_jump_s = 6000000000ULL;
		a->name_len = 3;
		memcpy(a->name, "CET", 4);
		make_master_and_announce(r, 0);
		t = sent_tlvs(0, &len);
		assert_int_equal(len, 58);
		assert_memory_equal(t, want[v], 58);
		free(r);
	}
}

/* Nothing configured: a bare 64-octet Announce, as ptp4l's default. */
static void test_defaults_send_no_tlv(void **state)
{
	struct rig *r = rig_new(1, false, NULL);

	(void)state;
	make_master_and_announce(r, 0);
	assert_int_equal(fk.ann_len[0], 64);
	free(r);
}

/* A timescale whose name length is corrupt (management never stores
 * one) is left out, not read past its 41-octet name. */
static void test_corrupt_name_length_left_out(void **state)
{
	struct rig *r = rig_new(1, false, NULL);

	(void)state;
	r->c.alt_time[1].enabled = true;
	r->c.alt_time[1].name_len = 200;
	r->c.alt_time[3].enabled = true;
	make_master_and_announce(r, 0);
	assert_int_equal(fk.ann_len[0], 64 + 20);
	assert_int_equal(fk.ann[0][64 + 4], 3); /* keyField of the one sent */
	assert_true(log_has("append ALTERNATE_TIME_OFFSET_INDICATOR failed: "
			    "error -22"));
	free(r);
}

/* ---- path trace through a boundary clock ---- */

static struct gn_tlv path_tlv(uint8_t *v, size_t cap,
			      const struct gn_clock_identity *ids, unsigned n)
{
	int len = gn_tlv_path_trace_encode(ids, n, v, cap);
	struct gn_tlv t = {GN_TLV_PATH_TRACE, 0, v};

	assert_true(len >= 0);
	t.length = (uint16_t)len;
	return t;
}

/* Two Announces from the foreign master make port 0 its slave (port 1
 * masters); a third one is from the parent and feeds the path trace. */
static void follow_far(struct rig *r, const struct gn_tlv *tlv, unsigned n)
{
	uint8_t buf[GN_MAX_MSG_LEN];
	size_t len;

	len = foreign_announce(buf, sizeof(buf), 1, tlv, n);
	rx(r, 0, buf, len);
	len = foreign_announce(buf, sizeof(buf), 2, tlv, n);
	rx(r, 0, buf, len);
	assert_int_equal(r->c.ports[0].ds.state, GN_PS_UNCALIBRATED);
	assert_true(r->c.pds.parent_port.port == 1 &&
		    gn_clock_identity_eq(&r->c.pds.parent_port.clock, &far));
	len = foreign_announce(buf, sizeof(buf), 3, tlv, n);
	rx(r, 0, buf, len);
}

static void test_bc_appends_itself(void **state)
{
	static const uint8_t
	    want[] = {0x00, 0x08, 0x00, 0x18, 0x02, 0x00, 0x00, 0xFF,
		      0xFE, 0x00, 0x00, 0x03, 0x02, 0x00, 0x00, 0xFF,
		      0xFE, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0xFF,
		      0xFE, 0x00, 0x00, 0x01}; /* far_gm, far, self */
	const struct gn_clock_identity path[2] = {far_gm, far};
	struct rig *r = rig_new(2, true, NULL);
	struct gn_tlv t;
	const uint8_t *got;
	uint8_t v[64];
	size_t len;

	(void)state;
	make_master_and_announce(r, 1);
	got = sent_tlvs(1, &len); /* grandmaster: itself */
	assert_int_equal(len, 12);
	assert_memory_equal(got + 4, self.id, 8);

	t = path_tlv(v, sizeof(v), path, 2);
	follow_far(r, &t, 1);
	assert_int_equal(r->c.ports[1].ds.state, GN_PS_MASTER);
	assert_true(r->c.have_path_trace);
	assert_int_equal(r->c.path_trace_len, 2);
	assert_memory_equal(r->c.path_trace[0].id, far_gm.id, 8);
	assert_memory_equal(r->c.path_trace[1].id, far.id, 8);
	announce_again(r, 1);
	got = sent_tlvs(1, &len);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(got, want, sizeof(want));

	/* The parent drops its PATH_TRACE: the path restarts here. */
	len = foreign_announce(v, sizeof(v), 4, NULL, 0);
	rx(r, 0, v, len);
	assert_int_equal(r->c.path_trace_len, 0);
	expect_path_of_self(r);
	free(r);
}

/* A path kept from a parent counts only while that is the parent. */
static void test_path_of_old_parent_not_used(void **state)
{
	const struct gn_clock_identity path[1] = {far_gm};
	struct rig *r = rig_new(2, true, NULL);
	struct gn_tlv t;
	uint8_t v[64];
	size_t len;

	(void)state;
	make_master_and_announce(r, 1);
	t = path_tlv(v, sizeof(v), path, 1);
	follow_far(r, &t, 1);
	assert_int_equal(r->c.path_trace_len, 1);
	announce_again(r, 1);
	(void)sent_tlvs(1, &len);
	assert_int_equal(len, 4 + 16);
	/* Another parent (as after a new state decision), no Announce of
	 * it yet: only this clock. */
	r->c.pds.parent_port.port = 2;
	expect_path_of_self(r);
	free(r);
}

/*
 * Size limits: a parent path of 178 fills the Announce to exactly 1500
 * octets with this clock appended, leaving no room for the power
 * profile TLV (left out, logged); a path of 179 cannot be extended, so
 * PATH_TRACE is left out and the power profile TLV still goes.
 */
static void test_path_too_long(void **state)
{
	static struct gn_clock_identity path[GN_PATH_TRACE_MAX];
	static uint8_t v[GN_MAX_MSG_LEN];
	struct gn_power_profile pp = {GN_POWER_PROFILE_2017, 1, 0, 0, 5};
	struct rig *r = rig_new(2, true, &pp);
	const uint8_t *got;
	struct gn_tlv t;
	unsigned i;
	size_t len;

	(void)state;
	for (i = 0; i < GN_PATH_TRACE_MAX; i++) {
		memset(path[i].id, 0x40, 8);
		path[i].id[6] = (uint8_t)(i >> 8);
		path[i].id[7] = (uint8_t)i;
	}
	make_master_and_announce(r, 1);
	t = path_tlv(v, sizeof(v), path, GN_PATH_TRACE_MAX - 1);
	follow_far(r, &t, 1);
	assert_int_equal(r->c.path_trace_len, 178);
	fk.loglen = 0;
	fk.log[0] = '\0';
	announce_again(r, 1);
	assert_int_equal(fk.ann_len[1], GN_MAX_MSG_LEN);
	got = sent_tlvs(1, &len);
	assert_int_equal(gn_get16(got), GN_TLV_PATH_TRACE);
	assert_int_equal(gn_get16(got + 2), 8 * 179);
	assert_memory_equal(got + 4 + 8 * 178, self.id, 8);
	assert_memory_equal(got + 4 + 8 * 177, path[177].id, 8);
	assert_true(log_has("append ORGANIZATION_EXTENSION failed"));

	/* 179 received (a 1500-octet Announce): nothing to extend. */
	t = path_tlv(v, sizeof(v), path, GN_PATH_TRACE_MAX);
	{
		uint8_t buf[GN_MAX_MSG_LEN];

		len = foreign_announce(buf, sizeof(buf), 9, &t, 1);
		assert_int_equal(len, GN_MAX_MSG_LEN);
		rx(r, 0, buf, len);
	}
	assert_int_equal(r->c.path_trace_len, 179);
	fk.loglen = 0;
	fk.log[0] = '\0';
	announce_again(r, 1);
	assert_int_equal(fk.ann_len[1], 64 + 22);
	got = sent_tlvs(1, &len);
	assert_int_equal(gn_get16(got), GN_TLV_ORGANIZATION_EXTENSION);
	assert_true(log_has("append PATH_TRACE failed"));
	free(r);
}

/* ---- receive ---- */

/* 1588 16.2.3: an Announce whose path holds this clock is discarded;
 * with path trace off the same Announces elect the master. */
static void test_loop_discarded(void **state)
{
	const struct gn_clock_identity path[3] = {far_gm, self, far};
	uint8_t v[64], buf[GN_MAX_MSG_LEN];
	struct rig *r = rig_new(1, true, NULL);
	struct gn_tlv t = path_tlv(v, sizeof(v), path, 3);
	size_t len;
	unsigned i;

	(void)state;
	for (i = 0; i < 4; i++) {
		len = foreign_announce(buf, sizeof(buf), (uint16_t)i, &t, 1);
		rx(r, 0, buf, len);
	}
	assert_int_equal(r->c.ports[0].ds.state, GN_PS_LISTENING);
	assert_false(r->c.ports[0].foreign.m[0].used);
	assert_int_equal(r->c.ports[0].stats.rx_bad, 0);
	assert_true(log_has("Announce path holds this clock: ignored"));
	free(r);

	r = rig_new(1, false, NULL);
	for (i = 0; i < 2; i++) {
		len = foreign_announce(buf, sizeof(buf), (uint16_t)i, &t, 1);
		rx(r, 0, buf, len);
	}
	assert_int_equal(r->c.ports[0].ds.state, GN_PS_UNCALIBRATED);
	assert_false(r->c.have_path_trace); /* not kept when off */
	free(r);
}

/*
 * Announces that carry a malformed TLV (each kind twice, enough to
 * qualify a master) are dropped and counted; the port stays LISTENING.
 * Then two good ones elect the master, so the drops were the TLVs'.
 */
static void test_malformed_tlvs_dropped(void **state)
{
	static const uint8_t ato_bad_name[20] = {
	    0, 0, 0, 0, 0, 0, 0,   0,	0,   0,
	    0, 0, 0, 0, 0, 9, 'C', 'E', 'T', 0}; /* name length 9 in 20 */
	static const uint8_t ato_short[14];
	static const uint8_t c37_short[16] = {0x1C, 0x12, 0x9D, 0, 0, 2};
	static const uint8_t c37_long[20] = {0x1C, 0x12, 0x9D, 0, 0, 1};
	static const uint8_t path12[12];
	static const uint8_t org_short[4];
	static const uint8_t fui_short[26] = {0x00, 0x80, 0xC2, 0, 0, 1};
	const struct gn_tlv bad[] = {
	    {GN_TLV_ALTERNATE_TIME_OFFSET, 20, ato_bad_name},
	    {GN_TLV_ALTERNATE_TIME_OFFSET, 14, ato_short},
	    {GN_TLV_ORGANIZATION_EXTENSION, 16, c37_short},
	    {GN_TLV_ORGANIZATION_EXTENSION, 20, c37_long},
	    {GN_TLV_PATH_TRACE, 12, path12},
	    {GN_TLV_ORGANIZATION_EXTENSION, 4, org_short},
	    {GN_TLV_ORGANIZATION_EXTENSION, 26, fui_short},
	};
	uint8_t buf[GN_MAX_MSG_LEN];
	struct rig *r = rig_new(1, true, NULL);
	const struct gn_port *p = &r->c.ports[0];
	uint16_t seq = 0;
	unsigned i, k;
	size_t len;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		for (k = 0; k < 2; k++) {
			len = foreign_announce(buf, sizeof(buf), seq++, &bad[i],
					       1);
			rx(r, 0, buf, len);
		}
		assert_int_equal(p->stats.rx_bad, 2 * (i + 1));
		assert_int_equal(p->stats.bad_reason[GN_WIRE_BAD_TLV],
				 2 * (i + 1));
		assert_int_equal(p->ds.state, GN_PS_LISTENING);
		assert_false(p->foreign.m[0].used);
	}
	assert_true(log_has("bad Announce TLV ALTERNATE_TIME_OFFSET_INDICATOR: "
			    "ALTERNATE_TIME_OFFSET_INDICATOR displayName "
			    "length does not match the TLV"));
	assert_true(log_has("bad Announce TLV ORGANIZATION_EXTENSION: IEEE "
			    "C37.238 TLV length not 18"));
	assert_true(log_has("bad Announce TLV PATH_TRACE: PATH_TRACE length "
			    "not a multiple of 8 octets"));

	/* Framing errors never reach the TLV checks: a TLV running past
	 * messageLength, an odd length, a cut TLV header. */
	len = foreign_announce(buf, sizeof(buf), seq++, &bad[0], 1);
	gn_put16(buf + 64 + 2, 22); /* 2 past the end */
	rx(r, 0, buf, len);
	assert_int_equal(p->stats.bad_reason[GN_WIRE_TLV_TRUNCATED], 1);
	gn_put16(buf + 64 + 2, 19);
	rx(r, 0, buf, len);
	assert_int_equal(p->stats.bad_reason[GN_WIRE_TLV_ODD_LENGTH], 1);
	gn_put16(buf + 2, 64 + 2); /* messageLength cuts the TLV header */
	rx(r, 0, buf, 64 + 2);
	assert_int_equal(p->stats.bad_reason[GN_WIRE_TLV_TRUNCATED], 2);
	assert_int_equal(p->ds.state, GN_PS_LISTENING);
	assert_int_equal(p->stats.rx_bad, 2 * 7 + 3);

	/* A good C37.238 and ATOI pass. */
	{
		static const uint8_t c37[18] = {0x1C, 0x12, 0x9D, 0, 0, 2};
		static const uint8_t ato[16];
		const struct gn_tlv good[2] = {
		    {GN_TLV_ORGANIZATION_EXTENSION, 18, c37},
		    {GN_TLV_ALTERNATE_TIME_OFFSET, 16, ato}};

		for (k = 0; k < 2; k++) {
			len =
			    foreign_announce(buf, sizeof(buf), seq++, good, 2);
			rx(r, 0, buf, len);
		}
	}
	assert_int_equal(p->stats.rx_bad, 2 * 7 + 3);
	assert_int_equal(p->ds.state, GN_PS_UNCALIBRATED);
	free(r);
}

/* xorshift64*, seeded: the run is the same every time. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

/*
 * A boundary clock slaved to the foreign master receives 20000 mutated
 * copies of its parent's Announce (path trace, C37.238-2011, ATOI):
 * random octets, TLV lengths and messageLength changed, frames cut.
 * Nothing may crash (the sanitizer build watches the reads), the kept
 * path never exceeds what the frame could hold, and every Announce the
 * clock sends afterwards still parses with valid TLVs.
 */
static void test_mutated_announces(void **state)
{
	const struct gn_clock_identity path[3] = {far_gm, far_gm, far};
	static const uint8_t c37[18] = {0x1C, 0x12, 0x9D, 0, 0, 1, 0, 1};
	static const uint8_t ato[20] = {1, 0, 0, 0, 1, 0, 0,   0,   0,	 0,
					0, 0, 0, 0, 0, 3, 'a', 'b', 'c', 0};
	uint8_t v[64], good[GN_MAX_MSG_LEN], buf[GN_MAX_MSG_LEN + 16];
	struct gn_power_profile pp = {GN_POWER_PROFILE_2017, 1, 0, 0, 5};
	struct rig *r = rig_new(2, true, &pp);
	struct gn_tlv t[3];
	uint64_t seed = 0x9E3779B97F4A7C15ULL;
	size_t glen, len;
	unsigned i, j, changed = 0;

	(void)state;
	make_master_and_announce(r, 1);
	t[0] = path_tlv(v, sizeof(v), path, 3);
	t[1] = (struct gn_tlv){GN_TLV_ORGANIZATION_EXTENSION, 18, c37};
	t[2] = (struct gn_tlv){GN_TLV_ALTERNATE_TIME_OFFSET, 20, ato};
	follow_far(r, t, 3);
	assert_int_equal(r->c.path_trace_len, 3);
	glen = foreign_announce(good, sizeof(good), 100, t, 3);
	assert_int_equal(glen, 64 + 28 + 22 + 24);

	for (i = 0; i < 20000; i++) {
		uint64_t x = rnd(&seed);
		struct gn_msg m;

		memcpy(buf, good, glen);
		len = glen;
		gn_put16(buf + 30, (uint16_t)(200 + i)); /* sequenceId */
		switch (x % 5) {
		case 0: /* random octets in the TLV area */
			for (j = 0; j < 1 + (x >> 8) % 4; j++)
				buf[64 + rnd(&seed) % (glen - 64)] =
				    (uint8_t)rnd(&seed);
			break;
		case 1: /* a random lengthField */
			j = (unsigned)((x >> 8) % 3);
			gn_put16(buf + 64 +
				     (j == 0   ? 2
				      : j == 1 ? 30
					       : 52),
				 (uint16_t)rnd(&seed));
			break;
		case 2: /* messageLength anywhere, frame unchanged */
			gn_put16(buf + 2, (uint16_t)(rnd(&seed) % 1600));
			break;
		case 3: /* the frame cut short */
			len = (size_t)(rnd(&seed) % glen);
			break;
		default: /* ATOI name length */
			buf[64 + 28 + 22 + 4 + 15] = (uint8_t)rnd(&seed);
			break;
		}
		/* 100 us apart: 2 s in all, the foreign master stays
		 * qualified without its good Announces. */
		rx_after(r, 0, buf, len, 100000);
		if (r->c.ports[0].ds.state != GN_PS_UNCALIBRATED)
			fail_msg("iteration %u: port 0 left UNCALIBRATED", i);
		/* Whatever was kept fitted in the frame. */
		assert_true(r->c.path_trace_len <= (glen - 64 - 4) / 8);
		if (r->c.path_trace_len != 3 ||
		    memcmp(r->c.path_trace, path, sizeof(path)))
			changed++;
		if (i % 500 == 0) {
			announce_again(r, 1);
			assert_int_equal(
			    gn_msg_parse(fk.ann[1], fk.ann_len[1], &m),
			    GN_WIRE_OK);
			for (j = 0; j < m.ntlv; j++)
				assert_int_equal(gn_tlv_check(&m.tlv[j], NULL),
						 0);
			/* the parent restores the path */
			rx_after(r, 0, good, glen, 100000);
			assert_int_equal(r->c.path_trace_len, 3);
			assert_memory_equal(r->c.path_trace, path,
					    sizeof(path));
		}
	}
	/* Some mutations were valid Announces with another path. */
	assert_true(changed > 0);
	assert_true(r->c.ports[0].stats.rx_bad > 1000);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_power_2017_and_alt_time),
	    cmocka_unit_test(test_gm_path_power_2011_two_keys),
	    cmocka_unit_test(test_same_octets_as_ptp4l),
	    cmocka_unit_test(test_defaults_send_no_tlv),
	    cmocka_unit_test(test_corrupt_name_length_left_out),
	    cmocka_unit_test(test_bc_appends_itself),
	    cmocka_unit_test(test_path_of_old_parent_not_used),
	    cmocka_unit_test(test_path_too_long),
	    cmocka_unit_test(test_loop_discarded),
	    cmocka_unit_test(test_malformed_tlvs_dropped),
	    cmocka_unit_test(test_mutated_announces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

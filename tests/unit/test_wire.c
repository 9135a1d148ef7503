/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_wire.c - the message codec against golden bytes captured from a
 * real linuxptp ptp4l (tests/data/ptp4l_*.hex; expected field values come
 * from tshark -V of the same frames, kept next to them as *.tshark.txt),
 * round trips of every message type with TLVs, a byte-exact serialization
 * worked by hand, and the serializer's refusals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "tlv.h"
#include "wire.h"
#include "golden.h"

static const uint8_t gm_id[8] = {0x02, 0x00, 0x00, 0xff,
				 0xfe, 0xaa, 0x00, 0x01};
static const uint8_t slave_id[8] = {0x02, 0x00, 0x00, 0xff,
				    0xfe, 0xaa, 0x00, 0x02};
static const uint8_t all_ff[8] = {0xff, 0xff, 0xff, 0xff,
				  0xff, 0xff, 0xff, 0xff};
static const uint8_t zero8[8];

/* Parses a golden file, checks it re-serializes to the same bytes. */
static void golden(const char *name, struct gn_msg *m)
{
	uint8_t buf[GN_MAX_MSG_LEN], out[GN_MAX_MSG_LEN];
	struct gn_msg copy;
	size_t n = load_hex(name, buf, sizeof(buf));
	int len;

	assert_int_equal(gn_msg_parse(buf, n, m), GN_WIRE_OK);
	assert_int_equal(m->h.length, n);
	copy = *m;
	len = gn_msg_serialize(&copy, out, sizeof(out));
	assert_int_equal(len, n);
	assert_memory_equal(out, buf, n);
}

static void assert_header(const struct gn_msg *m, uint8_t sdo, uint8_t type,
			  uint16_t len, const uint8_t *id, uint16_t port,
			  uint16_t seq, uint8_t control, int8_t log_interval)
{
	assert_int_equal(m->h.sdo_major, sdo);
	assert_int_equal(m->h.type, type);
	assert_int_equal(m->h.version, 2);
	assert_int_equal(m->h.minor_version, 0); /* linuxptp 3.1.1 sends 2.0 */
	assert_int_equal(m->h.length, len);
	assert_int_equal(m->h.domain, 0);
	assert_int_equal(m->h.sdo_minor, 0);
	assert_true(m->h.correction == 0);
	assert_int_equal(m->h.type_specific, 0);
	assert_memory_equal(m->h.source.clock.id, id, 8);
	assert_int_equal(m->h.source.port, port);
	assert_int_equal(m->h.sequence_id, seq);
	assert_int_equal(m->h.control, control);
	assert_int_equal(m->h.log_interval, log_interval);
}

static void test_golden_sync(void **state)
{
	struct gn_msg m;

	(void)state;
	golden("ptp4l_sync", &m);
	assert_header(&m, 0, GN_MSG_SYNC, 44, gm_id, 1, 8, 0, 0);
	assert_int_equal(m.h.flags, GN_FLAG_TWO_STEP);
	assert_true(m.body.origin.sec == 0);
	assert_int_equal(m.body.origin.nsec, 0);
	assert_int_equal(m.ntlv, 0);

	golden("ptp4l_l2_sync", &m);
	assert_header(&m, 0, GN_MSG_SYNC, 44, gm_id, 1, 7, 0, 0);
	assert_int_equal(m.h.flags, 0x0200);
}

static void test_golden_follow_up(void **state)
{
	struct gn_msg m;

	(void)state;
	golden("ptp4l_follow_up", &m);
	assert_header(&m, 0, GN_MSG_FOLLOW_UP, 44, gm_id, 1, 8, 2, 0);
	assert_int_equal(m.h.flags, 0);
	assert_true(m.body.origin.sec == 1795293223ULL);
	assert_int_equal(m.body.origin.nsec, 851253027);
	assert_int_equal(m.ntlv, 0);
}

static void test_golden_delay(void **state)
{
	struct gn_msg m;

	(void)state;
	golden("ptp4l_delay_req", &m);
	assert_header(&m, 0, GN_MSG_DELAY_REQ, 44, slave_id, 1, 5, 1, 0x7F);
	assert_true(m.body.origin.sec == 0);
	assert_int_equal(m.body.origin.nsec, 0);

	golden("ptp4l_l2_delay_req", &m);
	assert_header(&m, 0, GN_MSG_DELAY_REQ, 44, slave_id, 1, 2, 1, 0x7F);

	golden("ptp4l_delay_resp", &m);
	assert_header(&m, 0, GN_MSG_DELAY_RESP, 54, gm_id, 1, 5, 3, 0);
	assert_true(m.body.resp.ts.sec == 1795293224ULL);
	assert_int_equal(m.body.resp.ts.nsec, 27114461);
	assert_memory_equal(m.body.resp.port.clock.id, slave_id, 8);
	assert_int_equal(m.body.resp.port.port, 1);
	assert_int_equal(m.ntlv, 0);
}

static void test_golden_announce(void **state)
{
	const struct gn_announce *a;
	struct gn_msg m;

	(void)state;
	golden("ptp4l_announce", &m);
	assert_header(&m, 0, GN_MSG_ANNOUNCE, 64, gm_id, 1, 4, 5, 1);
	assert_int_equal(m.h.flags, 0);
	a = &m.body.announce;
	assert_true(a->origin.sec == 0);
	assert_int_equal(a->origin.nsec, 0);
	assert_int_equal(a->current_utc_offset, 37);
	assert_int_equal(a->gm_priority1, 128);
	assert_int_equal(a->gm_quality.clock_class, 248);
	assert_int_equal(a->gm_quality.clock_accuracy, 0xFE);
	assert_int_equal(a->gm_quality.offset_scaled_log_variance, 65535);
	assert_int_equal(a->gm_priority2, 128);
	assert_memory_equal(a->gm_identity.id, gm_id, 8);
	assert_int_equal(a->steps_removed, 0);
	assert_int_equal(a->time_source, 0xA0);
	assert_int_equal(m.ntlv, 0);
}

static void test_golden_pdelay(void **state)
{
	struct gn_msg m;

	(void)state;
	golden("ptp4l_pdelay_req", &m);
	assert_header(&m, 0, GN_MSG_PDELAY_REQ, 54, slave_id, 1, 8, 5, 0x7F);
	assert_true(m.body.origin.sec == 0);
	assert_int_equal(m.ntlv, 0);

	golden("ptp4l_pdelay_resp", &m);
	assert_header(&m, 0, GN_MSG_PDELAY_RESP, 54, slave_id, 1, 8, 5, 0x7F);
	assert_int_equal(m.h.flags, GN_FLAG_TWO_STEP);
	assert_true(m.body.resp.ts.sec == 1795293250ULL);
	assert_int_equal(m.body.resp.ts.nsec, 893568232);
	assert_memory_equal(m.body.resp.port.clock.id, gm_id, 8);
	assert_int_equal(m.body.resp.port.port, 1);

	golden("ptp4l_pdelay_resp_fup", &m);
	assert_header(&m, 0, GN_MSG_PDELAY_RESP_FUP, 54, slave_id, 1, 8, 5,
		      0x7F);
	assert_true(m.body.resp.ts.sec == 1795293250ULL);
	assert_int_equal(m.body.resp.ts.nsec, 893642632);
	assert_memory_equal(m.body.resp.port.clock.id, gm_id, 8);
	assert_int_equal(m.body.resp.port.port, 1);
}

static void test_golden_signaling(void **state)
{
	struct gn_msg m;

	(void)state;
	golden("ptp4l_signaling_req", &m);
	assert_header(&m, 0, GN_MSG_SIGNALING, 64, slave_id, 1, 1, 5, 0x7F);
	assert_int_equal(m.h.flags, GN_FLAG_UNICAST);
	assert_memory_equal(m.body.target.clock.id, gm_id, 8);
	assert_int_equal(m.body.target.port, 1);
	assert_int_equal(m.ntlv, 2);
	assert_int_equal(m.tlv[0].type, GN_TLV_REQUEST_UNICAST);
	assert_int_equal(m.tlv[0].length, 6);
	assert_int_equal(m.tlv_offset[0], 44);
	assert_int_equal(m.tlv[1].type, GN_TLV_REQUEST_UNICAST);
	assert_int_equal(m.tlv[1].length, 6);
	assert_int_equal(m.tlv_offset[1], 54);
	/* Sync, then Delay_Resp, each for 60 s */
	assert_int_equal(m.tlv[0].value[0], 0x00);
	assert_int_equal(m.tlv[1].value[0], 0x90);

	golden("ptp4l_signaling_grant", &m);
	assert_header(&m, 0, GN_MSG_SIGNALING, 56, gm_id, 1, 2, 5, 0x7F);
	assert_memory_equal(m.body.target.clock.id, slave_id, 8);
	assert_int_equal(m.body.target.port, 1);
	assert_int_equal(m.ntlv, 1);
	assert_int_equal(m.tlv[0].type, GN_TLV_GRANT_UNICAST);
	assert_int_equal(m.tlv[0].length, 8);
}

static void test_golden_management(void **state)
{
	struct gn_msg m;

	(void)state;
	/* pmc's GET over the UDS: zero clock, port = pmc's pid. */
	golden("ptp4l_mgmt_get", &m);
	assert_header(&m, 0, GN_MSG_MANAGEMENT, 74, zero8, 11816, 0, 4, 0x7F);
	assert_memory_equal(m.body.mgmt.target.clock.id, all_ff, 8);
	assert_int_equal(m.body.mgmt.target.port, 0xFFFF);
	assert_int_equal(m.body.mgmt.starting_boundary_hops, 0);
	assert_int_equal(m.body.mgmt.boundary_hops, 0);
	assert_int_equal(m.body.mgmt.action, 0);
	assert_int_equal(m.ntlv, 1);
	assert_int_equal(m.tlv_offset[0], 48);
	assert_int_equal(m.tlv[0].type, GN_TLV_MANAGEMENT);
	assert_int_equal(m.tlv[0].length, 22);
	assert_int_equal(gn_get16(m.tlv[0].value), 0x2000);

	golden("ptp4l_mgmt_resp", &m);
	assert_header(&m, 0, GN_MSG_MANAGEMENT, 74, gm_id, 0, 0, 4, 0x7F);
	assert_memory_equal(m.body.mgmt.target.clock.id, zero8, 8);
	assert_int_equal(m.body.mgmt.target.port, 11816);
	assert_int_equal(m.body.mgmt.action, 2);
	assert_int_equal(m.tlv[0].length, 22);

	golden("ptp4l_mgmt_get_udp", &m);
	assert_header(&m, 0, GN_MSG_MANAGEMENT, 74, slave_id, 1, 0, 4, 0x7F);
	assert_memory_equal(m.body.mgmt.target.clock.id, all_ff, 8);
	assert_int_equal(m.body.mgmt.action, 0);

	golden("ptp4l_mgmt_resp_udp", &m);
	assert_header(&m, 0, GN_MSG_MANAGEMENT, 74, gm_id, 1, 0, 4, 0x7F);
	assert_memory_equal(m.body.mgmt.target.clock.id, slave_id, 8);
	assert_int_equal(m.body.mgmt.target.port, 1);
	assert_int_equal(m.body.mgmt.action, 2);
	assert_int_equal(m.ntlv, 1);
}

static void test_golden_gptp(void **state)
{
	struct gn_msg m;

	(void)state;
	golden("ptp4l_gptp_follow_up", &m);
	assert_header(&m, 1, GN_MSG_FOLLOW_UP, 76, gm_id, 1, 40, 2, -3);
	assert_true(m.body.origin.sec == 1795293273ULL);
	assert_int_equal(m.body.origin.nsec, 356783096);
	assert_int_equal(m.ntlv, 1);
	assert_int_equal(m.tlv[0].type, GN_TLV_ORGANIZATION_EXTENSION);
	assert_int_equal(m.tlv[0].length, 28);

	golden("ptp4l_gptp_announce", &m);
	assert_header(&m, 1, GN_MSG_ANNOUNCE, 76, gm_id, 1, 5, 5, 0);
	assert_int_equal(m.body.announce.gm_priority1, 248);
	assert_int_equal(m.body.announce.gm_priority2, 248);
	assert_int_equal(m.body.announce.current_utc_offset, 37);
	assert_int_equal(m.ntlv, 1);
	assert_int_equal(m.tlv[0].type, GN_TLV_PATH_TRACE);
	assert_int_equal(m.tlv[0].length, 8);
	assert_memory_equal(m.tlv[0].value, gm_id, 8);
	assert_int_equal(m.tlv_offset[0], 64);

	golden("ptp4l_gptp_pdelay_req", &m);
	assert_header(&m, 1, GN_MSG_PDELAY_REQ, 54, slave_id, 1, 8, 5, 0);
}

/* ---- round trips ---- */

static void fill_header(struct gn_header *h, uint8_t type)
{
	static const uint8_t src[8] = {0x00, 0x1b, 0x21, 0xff,
				       0xfe, 0x12, 0x34, 0x56};

	gn_header_init(h, type);
	h->sdo_major = 1;
	h->domain = 24;
	h->sdo_minor = 0x5A;
	h->flags = GN_FLAG_TWO_STEP | GN_FLAG_PTP_TIMESCALE;
	h->correction = -0x123456789ALL;
	h->type_specific = 0xA1B2C3D4;
	memcpy(h->source.clock.id, src, 8);
	h->source.port = 0x1234;
	h->sequence_id = 0xBEEF;
	h->log_interval = -4;
}

static void assert_same_header(const struct gn_header *a,
			       const struct gn_header *b)
{
	assert_int_equal(a->sdo_major, b->sdo_major);
	assert_int_equal(a->type, b->type);
	assert_int_equal(a->version, b->version);
	assert_int_equal(a->minor_version, b->minor_version);
	assert_int_equal(a->length, b->length);
	assert_int_equal(a->domain, b->domain);
	assert_int_equal(a->sdo_minor, b->sdo_minor);
	assert_int_equal(a->flags, b->flags);
	assert_true(a->correction == b->correction);
	assert_int_equal(a->type_specific, b->type_specific);
	assert_true(gn_port_identity_eq(&a->source, &b->source));
	assert_int_equal(a->sequence_id, b->sequence_id);
	assert_int_equal(a->control, b->control);
	assert_int_equal(a->log_interval, b->log_interval);
}

static void assert_same_announce(const struct gn_announce *a,
				 const struct gn_announce *b)
{
	assert_true(a->origin.sec == b->origin.sec);
	assert_int_equal(a->origin.nsec, b->origin.nsec);
	assert_int_equal(a->current_utc_offset, b->current_utc_offset);
	assert_int_equal(a->gm_priority1, b->gm_priority1);
	assert_int_equal(a->gm_quality.clock_class, b->gm_quality.clock_class);
	assert_int_equal(a->gm_quality.clock_accuracy,
			 b->gm_quality.clock_accuracy);
	assert_int_equal(a->gm_quality.offset_scaled_log_variance,
			 b->gm_quality.offset_scaled_log_variance);
	assert_int_equal(a->gm_priority2, b->gm_priority2);
	assert_memory_equal(a->gm_identity.id, b->gm_identity.id, 8);
	assert_int_equal(a->steps_removed, b->steps_removed);
	assert_int_equal(a->time_source, b->time_source);
}

/* Serializes, parses back, compares, and serializes again identically. */
static void round_trip(struct gn_msg *m, size_t want_len)
{
	uint8_t buf[GN_MAX_MSG_LEN], buf2[GN_MAX_MSG_LEN];
	struct gn_msg p;
	unsigned i;
	int len;

	len = gn_msg_serialize(m, buf, sizeof(buf));
	assert_int_equal(len, want_len);
	assert_int_equal(m->h.length, want_len);
	assert_int_equal(gn_msg_parse(buf, (size_t)len, &p), GN_WIRE_OK);
	assert_same_header(&p.h, &m->h);
	assert_int_equal(p.ntlv, m->ntlv);
	for (i = 0; i < p.ntlv; i++) {
		assert_int_equal(p.tlv[i].type, m->tlv[i].type);
		assert_int_equal(p.tlv[i].length, m->tlv[i].length);
		assert_memory_equal(p.tlv[i].value, m->tlv[i].value,
				    p.tlv[i].length);
		assert_int_equal(p.tlv_offset[i], m->tlv_offset[i]);
		assert_ptr_equal(p.tlv[i].value, buf + p.tlv_offset[i] + 4);
	}
	switch (m->h.type) {
	case GN_MSG_SYNC:
	case GN_MSG_DELAY_REQ:
	case GN_MSG_FOLLOW_UP:
	case GN_MSG_PDELAY_REQ:
		assert_true(p.body.origin.sec == m->body.origin.sec);
		assert_int_equal(p.body.origin.nsec, m->body.origin.nsec);
		break;
	case GN_MSG_DELAY_RESP:
	case GN_MSG_PDELAY_RESP:
	case GN_MSG_PDELAY_RESP_FUP:
		assert_true(p.body.resp.ts.sec == m->body.resp.ts.sec);
		assert_int_equal(p.body.resp.ts.nsec, m->body.resp.ts.nsec);
		assert_true(
		    gn_port_identity_eq(&p.body.resp.port, &m->body.resp.port));
		break;
	case GN_MSG_ANNOUNCE:
		assert_same_announce(&p.body.announce, &m->body.announce);
		break;
	case GN_MSG_SIGNALING:
		assert_true(
		    gn_port_identity_eq(&p.body.target, &m->body.target));
		break;
	case GN_MSG_MANAGEMENT:
		assert_true(gn_port_identity_eq(&p.body.mgmt.target,
						&m->body.mgmt.target));
		assert_int_equal(p.body.mgmt.starting_boundary_hops,
				 m->body.mgmt.starting_boundary_hops);
		assert_int_equal(p.body.mgmt.boundary_hops,
				 m->body.mgmt.boundary_hops);
		assert_int_equal(p.body.mgmt.action, m->body.mgmt.action);
		break;
	}
	assert_int_equal(gn_msg_serialize(&p, buf2, sizeof(buf2)), len);
	assert_memory_equal(buf2, buf, (size_t)len);
}

static void test_round_trip_all_types(void **state)
{
	static const uint8_t pad[6];
	static const uint8_t path[16] = {1, 2,	3,  4,	5,  6,	7,  8,
					 9, 10, 11, 12, 13, 14, 15, 16};
	static const uint8_t mgmt[4] = {0x20, 0x05, 0x7F, 0x00};
	static const uint8_t timestamp_types[] = {
	    GN_MSG_SYNC, GN_MSG_DELAY_REQ, GN_MSG_FOLLOW_UP, GN_MSG_PDELAY_REQ};
	static const uint8_t resp_types[] = {
	    GN_MSG_DELAY_RESP, GN_MSG_PDELAY_RESP, GN_MSG_PDELAY_RESP_FUP};
	struct gn_msg m;
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(timestamp_types); i++) {
		memset(&m, 0, sizeof(m));
		fill_header(&m.h, timestamp_types[i]);
		m.body.origin.sec = 0xFFFFFFFFFFFFULL; /* all 48 bits */
		m.body.origin.nsec = 999999999;
		round_trip(&m, gn_msg_body_len(timestamp_types[i]));
		/* with a PAD TLV after the body */
		assert_int_equal(gn_msg_add_tlv(&m, GN_TLV_PAD, pad, 6), 0);
		round_trip(&m, gn_msg_body_len(timestamp_types[i]) + 10);
	}
	for (i = 0; i < sizeof(resp_types); i++) {
		memset(&m, 0, sizeof(m));
		fill_header(&m.h, resp_types[i]);
		m.body.resp.ts.sec = 0x123456789ABCULL;
		m.body.resp.ts.nsec = 123456789;
		memcpy(m.body.resp.port.clock.id, gm_id, 8);
		m.body.resp.port.port = 0xFFFE;
		round_trip(&m, 54);
	}

	memset(&m, 0, sizeof(m));
	fill_header(&m.h, GN_MSG_ANNOUNCE);
	m.body.announce.origin.sec = 1700000000;
	m.body.announce.origin.nsec = 5;
	m.body.announce.current_utc_offset = -37;
	m.body.announce.gm_priority1 = 1;
	m.body.announce.gm_quality.clock_class = 6;
	m.body.announce.gm_quality.clock_accuracy = 0x21;
	m.body.announce.gm_quality.offset_scaled_log_variance = 0x4E5D;
	m.body.announce.gm_priority2 = 254;
	memcpy(m.body.announce.gm_identity.id, gm_id, 8);
	m.body.announce.steps_removed = 0x0102;
	m.body.announce.time_source = 0x20;
	assert_int_equal(gn_msg_add_tlv(&m, GN_TLV_PATH_TRACE, path, 16), 0);
	round_trip(&m, 64 + 20);

	memset(&m, 0, sizeof(m));
	fill_header(&m.h, GN_MSG_SIGNALING);
	memcpy(m.body.target.clock.id, all_ff, 8);
	m.body.target.port = 0xFFFF;
	round_trip(&m, 44); /* no TLV at all */
	for (i = 0; i < GN_MSG_MAX_TLVS; i++)
		assert_int_equal(gn_msg_add_tlv(&m, (uint16_t)(0x8000 + i), pad,
						(int)(i % 4) * 2),
				 0);
	round_trip(&m, 44 + 16 * 4 + (0 + 2 + 4 + 6) * 4);

	memset(&m, 0, sizeof(m));
	fill_header(&m.h, GN_MSG_MANAGEMENT);
	memcpy(m.body.mgmt.target.clock.id, gm_id, 8);
	m.body.mgmt.target.port = 1;
	m.body.mgmt.starting_boundary_hops = 3;
	m.body.mgmt.boundary_hops = 2;
	m.body.mgmt.action = 4;
	assert_int_equal(gn_msg_add_tlv(&m, GN_TLV_MANAGEMENT, mgmt, 4), 0);
	round_trip(&m, 56);
	/* A Management message without a TLV is valid (see wire.c). */
	m.ntlv = 0;
	round_trip(&m, 48);
	/* MANAGEMENT_ERROR_STATUS first is fine too. */
	assert_int_equal(
	    gn_msg_add_tlv(&m, GN_TLV_MANAGEMENT_ERROR_STATUS, path, 8), 0);
	round_trip(&m, 60);
}

/* A Sync and an Announce worked out octet by octet. */
static void test_serialize_bytes(void **state)
{
	static const uint8_t want_sync[44] = {
	    0x10, 0x12, 0x00, 0x2c, 0x18, 0x5a, 0x02, 0x08, /* hdr */
	    0xff, 0xff, 0xff, 0xed, 0xcb, 0xa9, 0x87, 0x66, /* corr */
	    0xa1, 0xb2, 0xc3, 0xd4,			    /* ts */
	    0x00, 0x1b, 0x21, 0xff, 0xfe, 0x12, 0x34, 0x56, /* src */
	    0x12, 0x34, 0xbe, 0xef, 0x00, 0xfc,		    /* seq.. */
	    0x00, 0x01, 0x00, 0x00, 0x00, 0x02,		    /* sec */
	    0x3b, 0x9a, 0xc9, 0xff,			    /* nsec */
	};
	static const uint8_t want_ann_body[30] = {
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	    0x00, 0x00, 0xff, 0xdb, /* utc offset -37 */
	    0x00, 0x07, 0x06, 0x21, /* reserved, p1, class, acc */
	    0x4e, 0x5d, 0xfe,	    /* variance, p2 */
	    0x02, 0x00, 0x00, 0xff, 0xfe, 0xaa, 0x00, 0x01, /* gm */
	    0x01, 0x02, 0x20,				    /* steps, source */
	};
	uint8_t buf[128];
	struct gn_msg m;

	(void)state;
	memset(&m, 0, sizeof(m));
	fill_header(&m.h, GN_MSG_SYNC);
	m.body.origin.sec = 0x100000002ULL;
	m.body.origin.nsec = 999999999;
	assert_int_equal(gn_msg_serialize(&m, buf, sizeof(buf)), 44);
	assert_memory_equal(buf, want_sync, 44);

	memset(&m, 0, sizeof(m));
	gn_header_init(&m.h, GN_MSG_ANNOUNCE);
	m.body.announce.current_utc_offset = -37;
	m.body.announce.gm_priority1 = 7;
	m.body.announce.gm_quality.clock_class = 6;
	m.body.announce.gm_quality.clock_accuracy = 0x21;
	m.body.announce.gm_quality.offset_scaled_log_variance = 0x4E5D;
	m.body.announce.gm_priority2 = 254;
	memcpy(m.body.announce.gm_identity.id, gm_id, 8);
	m.body.announce.steps_removed = 0x0102;
	m.body.announce.time_source = 0x20;
	assert_int_equal(gn_msg_serialize(&m, buf, sizeof(buf)), 64);
	assert_int_equal(buf[0], 0x0B);
	assert_int_equal(buf[1], 0x12); /* 2.1 by default */
	assert_int_equal(buf[32], 5);
	assert_int_equal(buf[33], 0x7F);
	assert_memory_equal(buf + 34, want_ann_body, 30);
}

/* Reserved fields are ignored on receive and written back as zero. */
static void test_reserved_ignored(void **state)
{
	uint8_t buf[GN_MAX_MSG_LEN], out[GN_MAX_MSG_LEN];
	struct gn_msg m;
	size_t n;

	(void)state;
	n = load_hex("ptp4l_announce", buf, sizeof(buf));
	buf[46] = 0xAA; /* Announce reserved */
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_OK);
	assert_int_equal(gn_msg_serialize(&m, out, sizeof(out)), 64);
	assert_int_equal(out[46], 0);

	n = load_hex("ptp4l_pdelay_req", buf, sizeof(buf));
	memset(buf + 44, 0x55, 10); /* Pdelay_Req reserved */
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_OK);
	assert_int_equal(gn_msg_serialize(&m, out, sizeof(out)), 54);
	assert_memory_equal(out + 44, zero8, 8);

	n = load_hex("ptp4l_mgmt_get_udp", buf, sizeof(buf));
	buf[46] = 0xF0; /* high nibble of actionField: reserved */
	buf[47] = 0x77;
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_OK);
	assert_int_equal(m.body.mgmt.action, 0);
	assert_int_equal(gn_msg_serialize(&m, out, sizeof(out)), 74);
	assert_int_equal(out[46], 0);
	assert_int_equal(out[47], 0);

	/* controlField is recorded, not checked. */
	n = load_hex("ptp4l_sync", buf, sizeof(buf));
	buf[32] = 0x42;
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_OK);
	assert_int_equal(m.h.control, 0x42);
}

/* Octets after messageLength are Ethernet padding. */
static void test_trailing_padding(void **state)
{
	uint8_t buf[64];
	struct gn_msg m;
	size_t n;

	(void)state;
	memset(buf, 0xEE, sizeof(buf));
	n = load_hex("ptp4l_l2_sync", buf, sizeof(buf));
	assert_int_equal(n, 44);
	assert_int_equal(gn_msg_parse(buf, 46, &m), GN_WIRE_OK);
	assert_int_equal(m.h.length, 44);
	assert_int_equal(m.ntlv, 0);
	assert_int_equal(gn_msg_parse(buf, sizeof(buf), &m), GN_WIRE_OK);
	assert_int_equal(m.ntlv, 0);
}

/* The version nibble and majorSdoId are recorded as sent. */
static void test_version_and_sdo_recorded(void **state)
{
	uint8_t buf[GN_MAX_MSG_LEN];
	struct gn_msg m;
	size_t n;

	(void)state;
	n = load_hex("ptp4l_sync", buf, sizeof(buf));
	buf[1] = 0x12;
	buf[0] = 0x20; /* CMLDS majorSdoId, Sync */
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_OK);
	assert_int_equal(m.h.version, 2);
	assert_int_equal(m.h.minor_version, 1);
	assert_int_equal(m.h.sdo_major, 2);
	buf[1] = 0xF2;
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_OK);
	assert_int_equal(m.h.minor_version, 15);
}

static void test_helpers(void **state)
{
	struct gn_header h;
	int i;

	(void)state;
	assert_int_equal(gn_msg_body_len(GN_MSG_SYNC), 44);
	assert_int_equal(gn_msg_body_len(GN_MSG_DELAY_REQ), 44);
	assert_int_equal(gn_msg_body_len(GN_MSG_PDELAY_REQ), 54);
	assert_int_equal(gn_msg_body_len(GN_MSG_PDELAY_RESP), 54);
	assert_int_equal(gn_msg_body_len(GN_MSG_FOLLOW_UP), 44);
	assert_int_equal(gn_msg_body_len(GN_MSG_DELAY_RESP), 54);
	assert_int_equal(gn_msg_body_len(GN_MSG_PDELAY_RESP_FUP), 54);
	assert_int_equal(gn_msg_body_len(GN_MSG_ANNOUNCE), 64);
	assert_int_equal(gn_msg_body_len(GN_MSG_SIGNALING), 44);
	assert_int_equal(gn_msg_body_len(GN_MSG_MANAGEMENT), 48);
	for (i = 4; i <= 7; i++)
		assert_int_equal(gn_msg_body_len((uint8_t)i), 0);
	assert_int_equal(gn_msg_body_len(0xE), 0);
	assert_int_equal(gn_msg_body_len(0xF), 0);
	assert_int_equal(gn_msg_body_len(0x10), 0);

	for (i = 0; i < 16; i++)
		assert_int_equal(gn_msg_is_event((uint8_t)i), i < 4);

	assert_string_equal(gn_msg_type_str(GN_MSG_SYNC), "SYNC");
	assert_string_equal(gn_msg_type_str(GN_MSG_DELAY_REQ), "DELAY_REQ");
	assert_string_equal(gn_msg_type_str(GN_MSG_PDELAY_REQ), "PDELAY_REQ");
	assert_string_equal(gn_msg_type_str(GN_MSG_PDELAY_RESP), "PDELAY_RESP");
	assert_string_equal(gn_msg_type_str(GN_MSG_FOLLOW_UP), "FOLLOW_UP");
	assert_string_equal(gn_msg_type_str(GN_MSG_DELAY_RESP), "DELAY_RESP");
	assert_string_equal(gn_msg_type_str(GN_MSG_PDELAY_RESP_FUP),
			    "PDELAY_RESP_FOLLOW_UP");
	assert_string_equal(gn_msg_type_str(GN_MSG_ANNOUNCE), "ANNOUNCE");
	assert_string_equal(gn_msg_type_str(GN_MSG_SIGNALING), "SIGNALING");
	assert_string_equal(gn_msg_type_str(GN_MSG_MANAGEMENT), "MANAGEMENT");
	assert_string_equal(gn_msg_type_str(4), "UNKNOWN");

	assert_string_equal(gn_wire_strerror(GN_WIRE_OK), "ok");
	assert_string_equal(gn_wire_strerror(GN_WIRE_TLV_ODD_LENGTH),
			    "TLV lengthField is odd");
	assert_string_equal(gn_wire_strerror(GN_WIRE_ERROR_COUNT),
			    "unknown wire error");
	assert_string_equal(gn_wire_strerror((enum gn_wire_error) - 1),
			    "unknown wire error");
	for (i = 0; i < GN_WIRE_ERROR_COUNT; i++)
		assert_non_null(gn_wire_strerror((enum gn_wire_error)i));

	gn_header_init(&h, GN_MSG_SYNC);
	assert_int_equal(h.control, 0);
	assert_int_equal(h.version, 2);
	assert_int_equal(h.minor_version, 1);
	assert_int_equal(h.log_interval, 0x7F);
	assert_int_equal(h.type, GN_MSG_SYNC);
	assert_int_equal(h.sdo_major, 0);
	assert_int_equal(h.length, 0);
	gn_header_init(&h, GN_MSG_DELAY_REQ);
	assert_int_equal(h.control, 1);
	gn_header_init(&h, GN_MSG_FOLLOW_UP);
	assert_int_equal(h.control, 2);
	gn_header_init(&h, GN_MSG_DELAY_RESP);
	assert_int_equal(h.control, 3);
	gn_header_init(&h, GN_MSG_MANAGEMENT);
	assert_int_equal(h.control, 4);
	gn_header_init(&h, GN_MSG_ANNOUNCE);
	assert_int_equal(h.control, 5);
	gn_header_init(&h, GN_MSG_PDELAY_REQ);
	assert_int_equal(h.control, 5);
	assert_int_equal(h.type, GN_MSG_PDELAY_REQ);
}

static void test_serialize_errors(void **state)
{
	static const uint8_t v[8];
	uint8_t buf[GN_MAX_MSG_LEN];
	struct gn_msg m;
	unsigned i;

	(void)state;
	memset(&m, 0, sizeof(m));
	gn_header_init(&m.h, GN_MSG_SYNC);
	assert_int_equal(gn_msg_serialize(&m, buf, 43), -GN_WIRE_NO_SPACE);
	assert_int_equal(gn_msg_serialize(&m, buf, 44), 44);

	m.h.type = 5;
	assert_int_equal(gn_msg_serialize(&m, buf, sizeof(buf)),
			 -GN_WIRE_BAD_TYPE);
	m.h.type = 0x1F;
	assert_int_equal(gn_msg_serialize(&m, buf, sizeof(buf)),
			 -GN_WIRE_BAD_TYPE);
	m.h.type = GN_MSG_SYNC;

	m.body.origin.nsec = 1000000000;
	assert_int_equal(gn_msg_serialize(&m, buf, sizeof(buf)),
			 -GN_WIRE_BAD_TIMESTAMP);
	m.body.origin.nsec = 0;
	m.body.origin.sec = 1ULL << 48;
	assert_int_equal(gn_msg_serialize(&m, buf, sizeof(buf)),
			 -GN_WIRE_BAD_TIMESTAMP);
	m.body.origin.sec = 0;

	m.h.type = GN_MSG_DELAY_RESP;
	m.body.resp.ts.nsec = 1000000000;
	assert_int_equal(gn_msg_serialize(&m, buf, sizeof(buf)),
			 -GN_WIRE_BAD_TIMESTAMP);
	memset(&m.body, 0, sizeof(m.body));
	m.h.type = GN_MSG_ANNOUNCE;
	m.body.announce.origin.nsec = 1000000000;
	assert_int_equal(gn_msg_serialize(&m, buf, sizeof(buf)),
			 -GN_WIRE_BAD_TIMESTAMP);
	memset(&m.body, 0, sizeof(m.body));

	m.h.type = GN_MSG_MANAGEMENT;
	m.body.mgmt.action = 5;
	assert_int_equal(gn_msg_serialize(&m, buf, sizeof(buf)),
			 -GN_WIRE_BAD_ACTION);
	m.body.mgmt.action = 0;
	/* The first TLV of a Management message must be MANAGEMENT(>=2). */
	assert_int_equal(gn_msg_add_tlv(&m, GN_TLV_PAD, v, 2), 0);
	assert_int_equal(gn_msg_serialize(&m, buf, sizeof(buf)),
			 -GN_WIRE_BAD_TLV);
	m.tlv[0].type = GN_TLV_MANAGEMENT;
	m.tlv[0].length = 0;
	assert_int_equal(gn_msg_serialize(&m, buf, sizeof(buf)),
			 -GN_WIRE_BAD_TLV);
	m.tlv[0].type = GN_TLV_MANAGEMENT_ERROR_STATUS;
	m.tlv[0].length = 6;
	assert_int_equal(gn_msg_serialize(&m, buf, sizeof(buf)),
			 -GN_WIRE_BAD_TLV);
	m.tlv[0].length = 8;
	assert_int_equal(gn_msg_serialize(&m, buf, sizeof(buf)), 60);

	m.h.type = GN_MSG_SIGNALING;
	m.tlv[0].length = 3;
	assert_int_equal(gn_msg_serialize(&m, buf, sizeof(buf)),
			 -GN_WIRE_TLV_ODD_LENGTH);
	m.tlv[0].length = 2;
	m.tlv[0].value = NULL;
	assert_int_equal(gn_msg_serialize(&m, buf, sizeof(buf)),
			 -GN_WIRE_BAD_TLV);
	m.tlv[0].length = 0; /* empty value without a pointer is fine */
	assert_int_equal(gn_msg_serialize(&m, buf, sizeof(buf)), 48);

	m.ntlv = GN_MSG_MAX_TLVS + 1;
	assert_int_equal(gn_msg_serialize(&m, buf, sizeof(buf)),
			 -GN_WIRE_TOO_MANY_TLVS);

	/* 16 TLVs of 65534 octets exceed messageLength's 16 bits. */
	m.ntlv = GN_MSG_MAX_TLVS;
	for (i = 0; i < GN_MSG_MAX_TLVS; i++) {
		m.tlv[i].type = 0x8000;
		m.tlv[i].length = 65534;
		m.tlv[i].value = buf;
	}
	assert_int_equal(gn_msg_serialize(&m, buf, sizeof(buf)),
			 -GN_WIRE_BAD_LENGTH);
	m.ntlv = 1;
	m.tlv[0].length = 1500;
	assert_int_equal(gn_msg_serialize(&m, buf, sizeof(buf)),
			 -GN_WIRE_NO_SPACE);
}

/* Serializing a parsed message into its own buffer is safe. */
static void test_serialize_in_place(void **state)
{
	uint8_t buf[GN_MAX_MSG_LEN], copy[GN_MAX_MSG_LEN];
	struct gn_msg m;
	size_t n;

	(void)state;
	n = load_hex("ptp4l_signaling_req", buf, sizeof(buf));
	memcpy(copy, buf, n);
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_OK);
	assert_int_equal(gn_msg_serialize(&m, buf, sizeof(buf)), n);
	assert_memory_equal(buf, copy, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_golden_sync),
	    cmocka_unit_test(test_golden_follow_up),
	    cmocka_unit_test(test_golden_delay),
	    cmocka_unit_test(test_golden_announce),
	    cmocka_unit_test(test_golden_pdelay),
	    cmocka_unit_test(test_golden_signaling),
	    cmocka_unit_test(test_golden_management),
	    cmocka_unit_test(test_golden_gptp),
	    cmocka_unit_test(test_round_trip_all_types),
	    cmocka_unit_test(test_serialize_bytes),
	    cmocka_unit_test(test_reserved_ignored),
	    cmocka_unit_test(test_trailing_padding),
	    cmocka_unit_test(test_version_and_sdo_recorded),
	    cmocka_unit_test(test_helpers),
	    cmocka_unit_test(test_serialize_errors),
	    cmocka_unit_test(test_serialize_in_place),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

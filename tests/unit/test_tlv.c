/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_tlv.c - typed TLV codecs: the TLVs ptp4l sent in the golden
 * captures (unicast REQUEST/GRANT, 802.1AS Follow_Up information,
 * PATH_TRACE, MANAGEMENT), byte-exact encodings worked by hand, round
 * trips of every TLV inside a message, and each decoder's and encoder's
 * refusals with their reasons.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tlv.h"
#include "wire.h"
#include "golden.h"

static const uint8_t gm_id[8] = {0x02, 0x00, 0x00, 0xff,
				 0xfe, 0xaa, 0x00, 0x01};

static void parse_golden(const char *name, uint8_t *buf, size_t cap,
			 struct gn_msg *m)
{
	size_t n = load_hex(name, buf, cap);

	assert_int_equal(gn_msg_parse(buf, n, m), GN_WIRE_OK);
}

static struct gn_tlv mk(uint16_t type, const uint8_t *value, uint16_t len)
{
	struct gn_tlv t = {type, len, value};

	return t;
}

/* ---- golden ---- */

static void test_golden_unicast(void **state)
{
	uint8_t buf[GN_MAX_MSG_LEN];
	struct gn_tlv_unicast_grant g;
	struct gn_tlv_unicast_req r;
	const char *reason = NULL;
	struct gn_msg m;

	(void)state;
	parse_golden("ptp4l_signaling_req", buf, sizeof(buf), &m);
	assert_int_equal(gn_tlv_unicast_req_decode(&m.tlv[0], &r, &reason), 0);
	assert_int_equal(r.msg_type, GN_MSG_SYNC);
	assert_int_equal(r.log_period, 0);
	assert_int_equal(r.duration_s, 60);
	assert_int_equal(gn_tlv_unicast_req_decode(&m.tlv[1], &r, &reason), 0);
	assert_int_equal(r.msg_type, GN_MSG_DELAY_RESP);
	assert_int_equal(r.duration_s, 60);
	assert_int_equal(gn_tlv_check(&m.tlv[1], &reason), 0);

	parse_golden("ptp4l_signaling_grant", buf, sizeof(buf), &m);
	assert_ptr_equal(gn_msg_find_tlv(&m, GN_TLV_GRANT_UNICAST), &m.tlv[0]);
	assert_int_equal(gn_tlv_unicast_grant_decode(&m.tlv[0], &g, &reason),
			 0);
	assert_int_equal(g.msg_type, GN_MSG_DELAY_RESP);
	assert_int_equal(g.log_period, 0);
	assert_int_equal(g.duration_s, 60);
	assert_true(g.renewal_invited);
}

static void test_golden_follow_up_info(void **state)
{
	uint8_t buf[GN_MAX_MSG_LEN], enc[64];
	struct gn_tlv_follow_up_info f;
	const struct gn_tlv *t;
	struct gn_tlv_org org;
	struct gn_msg m;

	(void)state;
	parse_golden("ptp4l_gptp_follow_up", buf, sizeof(buf), &m);
	t = gn_msg_find_tlv(&m, GN_TLV_ORGANIZATION_EXTENSION);
	assert_non_null(t);
	assert_int_equal(gn_tlv_org_decode(t, &org, NULL), 0);
	assert_int_equal(org.org_id[0], 0x00);
	assert_int_equal(org.org_id[1], 0x80);
	assert_int_equal(org.org_id[2], 0xC2);
	assert_int_equal(org.subtype[2], 1);
	assert_int_equal(org.data_len, 22);
	memset(&f, 0x55, sizeof(f));
	assert_int_equal(gn_tlv_follow_up_info_decode(t, &f, NULL), 0);
	assert_int_equal(f.cumulative_scaled_rate_offset, 0);
	assert_int_equal(f.gm_time_base_indicator, 0);
	assert_int_equal(f.last_gm_phase_change.ns_msb, 0);
	assert_true(f.last_gm_phase_change.ns_lsb == 0);
	assert_int_equal(f.last_gm_phase_change.frac_ns, 0);
	assert_int_equal(f.scaled_last_gm_freq_change, 0);
	assert_int_equal(gn_tlv_check(t, NULL), 0);
	/* and ptp4l's bytes come back from the encoder */
	assert_int_equal(gn_tlv_follow_up_info_encode(&f, enc, sizeof(enc)),
			 28);
	assert_memory_equal(enc, t->value, 28);
}

static void test_golden_path_trace(void **state)
{
	uint8_t buf[GN_MAX_MSG_LEN];
	struct gn_tlv_path_trace pt;
	struct gn_clock_identity id;
	struct gn_msg m;

	(void)state;
	parse_golden("ptp4l_gptp_announce", buf, sizeof(buf), &m);
	assert_int_equal(gn_tlv_path_trace_decode(&m.tlv[0], &pt, NULL), 0);
	assert_int_equal(pt.count, 1);
	gn_tlv_path_trace_get(&pt, 0, &id);
	assert_memory_equal(id.id, gm_id, 8);
	assert_null(gn_msg_find_tlv(&m, GN_TLV_PAD));
}

static void test_golden_management(void **state)
{
	static const uint8_t dds[20] = {
	    0x01, 0x00, 0x00, 0x01, 0x80, 0xf8, 0xfe, 0xff, 0xff, 0x80,
	    0x02, 0x00, 0x00, 0xff, 0xfe, 0xaa, 0x00, 0x01, 0x00, 0x00};
	uint8_t buf[GN_MAX_MSG_LEN];
	struct gn_tlv_mgmt mg;
	struct gn_msg m;

	(void)state;
	parse_golden("ptp4l_mgmt_resp_udp", buf, sizeof(buf), &m);
	assert_int_equal(gn_tlv_mgmt_decode(&m.tlv[0], &mg, NULL), 0);
	assert_int_equal(mg.id, 0x2000);
	assert_int_equal(mg.data_len, 20);
	assert_memory_equal(mg.data, dds, 20);
	assert_int_equal(gn_tlv_check(&m.tlv[0], NULL), 0);
}

/* ---- byte-exact encodings ---- */

static void test_encode_bytes(void **state)
{
	static const uint8_t want_req[6] = {0xB0, 0xFE, 0x00, 0x00, 0x01, 0x2C};
	static const uint8_t want_grant[8] = {0x90, 0x02, 0x00, 0x00,
					      0x0E, 0x10, 0x00, 0x01};
	static const uint8_t want_cancel[2] = {0x32, 0x00};
	static const uint8_t want_fui[28] = {
	    0x00, 0x80, 0xC2, 0x00, 0x00, 0x01, 0xFF, 0xFF, 0xFF, 0xFE,
	    0x12, 0x34, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	    0x00, 0x02, 0x80, 0x00, 0x80, 0x00, 0x00, 0x00};
	static const uint8_t want_err[12] = {0x00, 0x03, 0x20, 0x05, 0,	  0,
					     0,	   0,	 0x03, 'b',  'a', 'd'};
	static const uint8_t want_ato[20] = {
	    0x07, 0xFF, 0xFF, 0xF1, 0xF0, 0x00, 0x00, 0x0E, 0x10, 0x00,
	    0x00, 0x00, 0x65, 0x43, 0x21, 0x03, 'C',  'E',  'T',  0x00};
	static const uint8_t want_auth[22] = {
	    0x01, 0x02, 0xDE, 0xAD, 0xBE, 0xEF, 0xAA, 0xBB, 0xCC, 0xDD, 0,
	    0,	  0,	0,    0,    0,	  0,	0,    0,    0,	  0,	0};
	static const uint8_t seq[4] = {0xAA, 0xBB, 0xCC, 0xDD};
	uint8_t buf[64];
	struct gn_tlv_unicast_req r = {GN_MSG_ANNOUNCE, -2, 300};
	struct gn_tlv_unicast_grant g = {GN_MSG_DELAY_RESP, 2, 3600, true};
	struct gn_tlv_unicast_cancel c = {GN_MSG_PDELAY_RESP,
					  GN_CANCEL_MAINTAIN_GRANT};
	struct gn_tlv_follow_up_info f = {
	    -2, 0x1234, {1, 2, 0x8000}, INT32_MIN};
	struct gn_tlv_mgmt_error e = {3, 0x2005, true, 3,
				      (const uint8_t *)"bad"};
	struct gn_tlv_alt_time_offset a = {
	    7, -3600, 3600, 0x654321, 3, (const uint8_t *)"CET"};
	struct gn_tlv_auth au;

	(void)state;
	assert_int_equal(gn_tlv_unicast_req_encode(&r, buf, sizeof(buf)), 6);
	assert_memory_equal(buf, want_req, 6);
	assert_int_equal(gn_tlv_unicast_grant_encode(&g, buf, sizeof(buf)), 8);
	assert_memory_equal(buf, want_grant, 8);
	assert_int_equal(gn_tlv_unicast_cancel_encode(&c, buf, sizeof(buf)), 2);
	assert_memory_equal(buf, want_cancel, 2);
	assert_int_equal(gn_tlv_follow_up_info_encode(&f, buf, sizeof(buf)),
			 28);
	assert_memory_equal(buf, want_fui, 28);
	memset(buf, 0xEE, sizeof(buf));
	assert_int_equal(gn_tlv_mgmt_error_encode(&e, buf, sizeof(buf)), 12);
	assert_memory_equal(buf, want_err, 12);
	memset(buf, 0xEE, sizeof(buf));
	assert_int_equal(gn_tlv_alt_time_offset_encode(&a, buf, sizeof(buf)),
			 20);
	assert_memory_equal(buf, want_ato, 20);

	memset(&au, 0, sizeof(au));
	au.spp = 1;
	au.sec_param_indicator = GN_AUTH_SPI_SEQ;
	au.key_id = 0xDEADBEEF;
	au.seq = seq;
	au.seq_len = 4;
	au.icv_len = 12; /* NULL icv: zeros to fill in later */
	memset(buf, 0xEE, sizeof(buf));
	assert_int_equal(gn_tlv_auth_encode(&au, buf, sizeof(buf)), 22);
	assert_memory_equal(buf, want_auth, 22);
}

/*
 * IEEE C37.238 TLVs, worked by hand from the layouts (1588 ORGANIZATION_
 * EXTENSION value: OUI 1C-12-9D, subtype, then 12 octets). 2011:
 * grandmasterID 0x0102, grandmasterTimeInaccuracy 50 ns, network
 * 0xFFFFFFFF (unknown). 2017: grandmasterID 7, reserved, total 100 ns.
 */
static void test_c37_238_bytes(void **state)
{
	static const uint8_t want_2011[18] = {
	    0x1C, 0x12, 0x9D, 0x00, 0x00, 0x01, 0x01, 0x02, 0x00,
	    0x00, 0x00, 0x32, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00};
	static const uint8_t want_2017[18] = {
	    0x1C, 0x12, 0x9D, 0x00, 0x00, 0x02, 0x00, 0x07, 0x00,
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x64, 0x00, 0x00};
	/* 2017 ignores the 2011 fields, 2011 the 2017 one */
	struct gn_tlv_c37_238 p11 = {GN_C37_238_2011, 0x0102, 50, 0xFFFFFFFF,
				     77};
	struct gn_tlv_c37_238 p17 = {GN_C37_238_2017, 7, 11, 22, 100};
	struct gn_tlv_c37_238 d;
	uint8_t buf[32];
	struct gn_tlv t;

	(void)state;
	memset(buf, 0xEE, sizeof(buf));
	assert_int_equal(gn_tlv_c37_238_encode(&p11, buf, sizeof(buf)), 18);
	assert_memory_equal(buf, want_2011, 18);
	assert_int_equal(buf[18], 0xEE);
	memset(buf, 0xEE, sizeof(buf));
	assert_int_equal(gn_tlv_c37_238_encode(&p17, buf, 18), 18);
	assert_memory_equal(buf, want_2017, 18);

	t = mk(GN_TLV_ORGANIZATION_EXTENSION, want_2011, 18);
	memset(&d, 0xAA, sizeof(d));
	assert_int_equal(gn_tlv_c37_238_decode(&t, &d, NULL), 0);
	assert_int_equal(d.edition, GN_C37_238_2011);
	assert_int_equal(d.grandmaster_id, 0x0102);
	assert_int_equal(d.grandmaster_time_inaccuracy_ns, 50);
	assert_int_equal(d.network_time_inaccuracy_ns, 0xFFFFFFFFu);
	assert_int_equal(d.total_time_inaccuracy_ns, 0);
	assert_int_equal(gn_tlv_check(&t, NULL), 0);
	t = mk(GN_TLV_ORGANIZATION_EXTENSION, want_2017, 18);
	memset(&d, 0xAA, sizeof(d));
	assert_int_equal(gn_tlv_c37_238_decode(&t, &d, NULL), 0);
	assert_int_equal(d.edition, GN_C37_238_2017);
	assert_int_equal(d.grandmaster_id, 7);
	assert_int_equal(d.grandmaster_time_inaccuracy_ns, 0);
	assert_int_equal(d.network_time_inaccuracy_ns, 0);
	assert_int_equal(d.total_time_inaccuracy_ns, 100);
	assert_int_equal(gn_tlv_check(&t, NULL), 0);
}

static void test_c37_238_errors(void **state)
{
	uint8_t v[24] = {0x1C, 0x12, 0x9D, 0x00, 0x00, 0x02};
	struct gn_tlv_c37_238 d, in = {GN_C37_238_2017, 1, 0, 0, 0};
	const char *reason = NULL;
	uint8_t buf[18];
	struct gn_tlv t;

	(void)state;
	/* lengths: exact 18, as ptp4l's org_post_recv */
	t = mk(GN_TLV_ORGANIZATION_EXTENSION, v, 16);
	assert_int_equal(gn_tlv_c37_238_decode(&t, &d, &reason), -EBADMSG);
	assert_string_equal(reason, "IEEE C37.238 TLV length not 18");
	assert_int_equal(gn_tlv_check(&t, NULL), -EBADMSG);
	t.length = 20;
	assert_int_equal(gn_tlv_c37_238_decode(&t, &d, NULL), -EBADMSG);
	assert_int_equal(gn_tlv_check(&t, NULL), -EBADMSG);
	t.length = 4; /* shorter than any org TLV */
	assert_int_equal(gn_tlv_c37_238_decode(&t, &d, &reason), -EBADMSG);
	assert_string_equal(reason, "ORGANIZATION_EXTENSION too short");
	t.length = 18;
	assert_int_equal(gn_tlv_c37_238_decode(&t, &d, NULL), 0);
	/* the same in the _PROPAGATE variant */
	t.type = GN_TLV_ORG_EXT_PROPAGATE;
	t.length = 16;
	assert_int_equal(gn_tlv_check(&t, NULL), -EBADMSG);
	t.type = GN_TLV_ORGANIZATION_EXTENSION;
	t.length = 18;
	/* other subtypes and OUIs are not C37.238 (and pass the check) */
	v[5] = 3;
	assert_int_equal(gn_tlv_c37_238_decode(&t, &d, &reason), -EPROTO);
	assert_string_equal(reason, "not an IEEE C37.238 TLV");
	t.length = 16;
	assert_int_equal(gn_tlv_check(&t, NULL), 0);
	t.length = 18;
	v[5] = 1;
	v[4] = 1;
	assert_int_equal(gn_tlv_c37_238_decode(&t, &d, NULL), -EPROTO);
	v[4] = 0;
	v[3] = 1;
	assert_int_equal(gn_tlv_c37_238_decode(&t, &d, NULL), -EPROTO);
	v[3] = 0;
	v[2] = 0x9E;
	assert_int_equal(gn_tlv_c37_238_decode(&t, &d, NULL), -EPROTO);
	v[2] = 0x9D;
	t.type = GN_TLV_PATH_TRACE;
	assert_int_equal(gn_tlv_c37_238_decode(&t, &d, &reason), -EPROTO);
	assert_string_equal(reason, "not an ORGANIZATION_EXTENSION TLV");
	/* encoder */
	assert_int_equal(gn_tlv_c37_238_encode(&in, buf, 17), -ENOSPC);
	in.edition = 0;
	assert_int_equal(gn_tlv_c37_238_encode(&in, buf, 18), -EINVAL);
	in.edition = 3;
	assert_int_equal(gn_tlv_c37_238_encode(&in, buf, 18), -EINVAL);
}

static void test_path_trace_contains(void **state)
{
	static const uint8_t ids[24] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 9,
					9, 9, 9, 9, 1, 2, 3, 4, 5, 6, 7, 9};
	struct gn_clock_identity a = {{1, 2, 3, 4, 5, 6, 7, 8}};
	struct gn_clock_identity b = {{1, 2, 3, 4, 5, 6, 7, 9}};
	struct gn_clock_identity x = {{9, 9, 9, 9, 9, 9, 9, 8}};
	struct gn_tlv_path_trace pt = {3, ids};

	(void)state;
	assert_true(gn_tlv_path_trace_contains(&pt, &a));
	assert_true(gn_tlv_path_trace_contains(&pt, &b));
	assert_false(gn_tlv_path_trace_contains(&pt, &x));
	pt.count = 2; /* b is the third */
	assert_false(gn_tlv_path_trace_contains(&pt, &b));
	pt.count = 0;
	assert_false(gn_tlv_path_trace_contains(&pt, &a));
	/* (1500 - 64 - 4) / 8, as linuxptp's PATH_TRACE_MAX */
	assert_int_equal(GN_PATH_TRACE_MAX, 179);
}

/* ---- round trips inside a message ---- */

static void test_round_trip_all(void **state)
{
	static const uint8_t mdata[3] = {0x80, 0x00, 0x42};
	static const uint8_t odata[5] = {1, 2, 3, 4, 5};
	static const uint8_t key[4] = {9, 8, 7, 6};
	static const uint8_t seq[2] = {0, 7};
	static const uint8_t res[2] = {0x11, 0x22};
	static const uint8_t icv[16] = {0xA5, 1, 2,  3,	 4,  5,	 6,  7,
					8,    9, 10, 11, 12, 13, 14, 0x5A};
	struct gn_clock_identity ids[3] = {
	    {{1, 1, 1, 1, 1, 1, 1, 1}},
	    {{2, 2, 2, 2, 2, 2, 2, 2}},
	    {{3, 3, 3, 3, 3, 3, 3, 0xFF}},
	};
	const struct gn_auth_layout layout = {4, 2, 2};
	uint8_t v[12][64], frame[GN_MAX_MSG_LEN];
	struct gn_tlv_mgmt mg = {0x2005, 3, mdata}, mg2;
	struct gn_tlv_mgmt_error e = {6, 0xC005, false, 0, NULL}, e2;
	struct gn_tlv_org o = {{0x11, 0x22, 0x33}, {0, 0, 9}, 5, odata}, o2;
	struct gn_tlv_follow_up_info f = {1 << 20,
					  3,
					  {0xFFFF, 0x0123456789ABCDEFULL, 7},
					  -5},
				     f2;
	struct gn_tlv_unicast_req r = {GN_MSG_SYNC, -7, 10}, r2;
	struct gn_tlv_unicast_grant g = {GN_MSG_ANNOUNCE, 1, 0, false}, g2;
	struct gn_tlv_unicast_cancel c = {GN_MSG_DELAY_RESP, 0}, c2;
	struct gn_tlv_path_trace pt;
	struct gn_tlv_alt_time_offset a = {1, 0,   -1, 0xFFFFFFFFFFFFULL,
					   0, NULL},
				      a2;
	struct gn_tlv_auth au, au2;
	struct gn_clock_identity id;
	struct gn_msg m, p;
	unsigned i;
	int len;

	(void)state;
	memset(&au, 0, sizeof(au));
	au.spp = 0xFF;
	au.sec_param_indicator =
	    GN_AUTH_SPI_DELAYED | GN_AUTH_SPI_SEQ | GN_AUTH_SPI_RES | 0xF0;
	au.key_id = 1;
	au.disclosed_key = key;
	au.disclosed_key_len = 4;
	au.seq = seq;
	au.seq_len = 2;
	au.res = res;
	au.res_len = 2;
	au.icv = icv;
	au.icv_len = 16;

	memset(&m, 0, sizeof(m));
	gn_header_init(&m.h, GN_MSG_SIGNALING);
	assert_int_equal(
	    gn_msg_add_tlv(&m, GN_TLV_MANAGEMENT, v[0],
			   gn_tlv_mgmt_encode(&mg, v[0], sizeof(v[0]))),
	    0);
	assert_int_equal(
	    gn_msg_add_tlv(&m, GN_TLV_MANAGEMENT_ERROR_STATUS, v[1],
			   gn_tlv_mgmt_error_encode(&e, v[1], sizeof(v[1]))),
	    0);
	assert_int_equal(
	    gn_msg_add_tlv(&m, GN_TLV_ORG_EXT_DO_NOT_PROPAGATE, v[2],
			   gn_tlv_org_encode(&o, v[2], sizeof(v[2]))),
	    0);
	assert_int_equal(gn_msg_add_tlv(&m, GN_TLV_ORGANIZATION_EXTENSION, v[3],
					gn_tlv_follow_up_info_encode(
					    &f, v[3], sizeof(v[3]))),
			 0);
	assert_int_equal(
	    gn_msg_add_tlv(&m, GN_TLV_REQUEST_UNICAST, v[4],
			   gn_tlv_unicast_req_encode(&r, v[4], sizeof(v[4]))),
	    0);
	assert_int_equal(
	    gn_msg_add_tlv(&m, GN_TLV_GRANT_UNICAST, v[5],
			   gn_tlv_unicast_grant_encode(&g, v[5], sizeof(v[5]))),
	    0);
	assert_int_equal(gn_msg_add_tlv(&m, GN_TLV_CANCEL_UNICAST, v[6],
					gn_tlv_unicast_cancel_encode(
					    &c, v[6], sizeof(v[6]))),
			 0);
	assert_int_equal(gn_msg_add_tlv(&m, GN_TLV_ACK_CANCEL_UNICAST, v[7],
					gn_tlv_unicast_cancel_encode(
					    &c, v[7], sizeof(v[7]))),
			 0);
	assert_int_equal(gn_msg_add_tlv(&m, GN_TLV_PATH_TRACE, v[8],
					gn_tlv_path_trace_encode(ids, 3, v[8],
								 sizeof(v[8]))),
			 0);
	assert_int_equal(gn_msg_add_tlv(&m, GN_TLV_ALTERNATE_TIME_OFFSET, v[9],
					gn_tlv_alt_time_offset_encode(
					    &a, v[9], sizeof(v[9]))),
			 0);
	assert_int_equal(
	    gn_msg_add_tlv(&m, GN_TLV_PAD, v[10],
			   gn_tlv_pad_encode(8, v[10], sizeof(v[10]))),
	    0);
	assert_int_equal(
	    gn_msg_add_tlv(&m, GN_TLV_AUTHENTICATION, v[11],
			   gn_tlv_auth_encode(&au, v[11], sizeof(v[11]))),
	    0);
	assert_int_equal(m.ntlv, 12);
	/* value lengths: 6 8 12 28 6 8 2 2 24 16 8 30, + 12 * 4 headers */
	len = gn_msg_serialize(&m, frame, sizeof(frame));
	assert_int_equal(len, 44 + 150 + 48);
	assert_int_equal(gn_msg_parse(frame, (size_t)len, &p), GN_WIRE_OK);
	assert_int_equal(p.ntlv, 12);
	for (i = 0; i < p.ntlv; i++)
		assert_int_equal(gn_tlv_check(&p.tlv[i], NULL), 0);

	assert_int_equal(gn_tlv_mgmt_decode(&p.tlv[0], &mg2, NULL), 0);
	assert_int_equal(mg2.id, 0x2005);
	assert_int_equal(mg2.data_len, 4); /* padded */
	assert_memory_equal(mg2.data, mdata, 3);
	assert_int_equal(mg2.data[3], 0);

	assert_int_equal(gn_tlv_mgmt_error_decode(&p.tlv[1], &e2, NULL), 0);
	assert_int_equal(e2.error_id, 6);
	assert_int_equal(e2.mgmt_id, 0xC005);
	assert_false(e2.has_text);
	assert_null(e2.text);

	assert_int_equal(gn_tlv_org_decode(&p.tlv[2], &o2, NULL), 0);
	assert_memory_equal(o2.org_id, o.org_id, 3);
	assert_memory_equal(o2.subtype, o.subtype, 3);
	assert_int_equal(o2.data_len, 6);
	assert_memory_equal(o2.data, odata, 5);
	assert_int_equal(o2.data[5], 0);

	assert_int_equal(gn_tlv_follow_up_info_decode(&p.tlv[3], &f2, NULL), 0);
	assert_int_equal(f2.cumulative_scaled_rate_offset, 1 << 20);
	assert_int_equal(f2.gm_time_base_indicator, 3);
	assert_int_equal(f2.last_gm_phase_change.ns_msb, 0xFFFF);
	assert_true(f2.last_gm_phase_change.ns_lsb == 0x0123456789ABCDEFULL);
	assert_int_equal(f2.last_gm_phase_change.frac_ns, 7);
	assert_int_equal(f2.scaled_last_gm_freq_change, -5);

	assert_int_equal(gn_tlv_unicast_req_decode(&p.tlv[4], &r2, NULL), 0);
	assert_int_equal(r2.msg_type, GN_MSG_SYNC);
	assert_int_equal(r2.log_period, -7);
	assert_int_equal(r2.duration_s, 10);

	assert_int_equal(gn_tlv_unicast_grant_decode(&p.tlv[5], &g2, NULL), 0);
	assert_int_equal(g2.msg_type, GN_MSG_ANNOUNCE);
	assert_int_equal(g2.log_period, 1);
	assert_int_equal(g2.duration_s, 0);
	assert_false(g2.renewal_invited);

	assert_int_equal(gn_tlv_unicast_cancel_decode(&p.tlv[6], &c2, NULL), 0);
	assert_int_equal(c2.msg_type, GN_MSG_DELAY_RESP);
	assert_int_equal(c2.flags, 0);
	assert_int_equal(gn_tlv_unicast_cancel_decode(&p.tlv[7], &c2, NULL), 0);
	assert_int_equal(c2.msg_type, GN_MSG_DELAY_RESP);

	assert_int_equal(gn_tlv_path_trace_decode(&p.tlv[8], &pt, NULL), 0);
	assert_int_equal(pt.count, 3);
	for (i = 0; i < 3; i++) {
		gn_tlv_path_trace_get(&pt, i, &id);
		assert_memory_equal(id.id, ids[i].id, 8);
	}

	assert_int_equal(gn_tlv_alt_time_offset_decode(&p.tlv[9], &a2, NULL),
			 0);
	assert_int_equal(a2.key, 1);
	assert_int_equal(a2.current_offset_s, 0);
	assert_int_equal(a2.jump_s, -1);
	assert_true(a2.time_of_next_jump_s == 0xFFFFFFFFFFFFULL);
	assert_int_equal(a2.name_len, 0);

	assert_int_equal(gn_tlv_pad_decode(&p.tlv[10], NULL), 0);
	assert_int_equal(p.tlv[10].length, 8);

	assert_int_equal(gn_tlv_auth_decode(&p.tlv[11], &layout, &au2, NULL),
			 0);
	assert_int_equal(au2.spp, 0xFF);
	assert_int_equal(au2.sec_param_indicator, 0xF7);
	assert_int_equal(au2.key_id, 1);
	assert_int_equal(au2.disclosed_key_len, 4);
	assert_memory_equal(au2.disclosed_key, key, 4);
	assert_int_equal(au2.seq_len, 2);
	assert_memory_equal(au2.seq, seq, 2);
	assert_int_equal(au2.res_len, 2);
	assert_memory_equal(au2.res, res, 2);
	assert_int_equal(au2.icv_len, 16);
	assert_memory_equal(au2.icv, icv, 16);
	assert_int_equal(au2.icv_offset, 14);
	/* the ICV's place in the frame, for the authentication module */
	assert_memory_equal(frame + p.tlv_offset[11] + 4 + au2.icv_offset, icv,
			    16);
	assert_int_equal(p.tlv_offset[11] + 4 + au2.icv_offset + 16, len);
}

/* ---- refusals ---- */

static void test_decode_errors(void **state)
{
	static const uint8_t z[64];
	uint8_t v[64];
	struct gn_tlv_mgmt mg;
	struct gn_tlv_mgmt_error e;
	struct gn_tlv_org o;
	struct gn_tlv_follow_up_info f;
	struct gn_tlv_unicast_req r;
	struct gn_tlv_unicast_grant g;
	struct gn_tlv_unicast_cancel c;
	struct gn_tlv_path_trace pt;
	struct gn_tlv_alt_time_offset a;
	const char *reason;
	struct gn_tlv t;

	(void)state;
	/* MANAGEMENT */
	t = mk(GN_TLV_PAD, z, 2);
	assert_int_equal(gn_tlv_mgmt_decode(&t, &mg, &reason), -EPROTO);
	assert_string_equal(reason, "not a MANAGEMENT TLV");
	t = mk(GN_TLV_MANAGEMENT, z, 0);
	assert_int_equal(gn_tlv_mgmt_decode(&t, &mg, &reason), -EBADMSG);
	assert_string_equal(reason, "MANAGEMENT TLV without managementId");
	assert_int_equal(gn_tlv_check(&t, &reason), -EBADMSG);
	assert_int_equal(gn_tlv_mgmt_decode(&t, &mg, NULL), -EBADMSG);

	/* MANAGEMENT_ERROR_STATUS */
	t = mk(GN_TLV_MANAGEMENT, z, 8);
	assert_int_equal(gn_tlv_mgmt_error_decode(&t, &e, &reason), -EPROTO);
	assert_string_equal(reason, "not a MANAGEMENT_ERROR_STATUS TLV");
	t = mk(GN_TLV_MANAGEMENT_ERROR_STATUS, z, 6);
	assert_int_equal(gn_tlv_mgmt_error_decode(&t, &e, &reason), -EBADMSG);
	assert_string_equal(reason, "MANAGEMENT_ERROR_STATUS too short");
	assert_int_equal(gn_tlv_check(&t, NULL), -EBADMSG);
	memset(v, 0, sizeof(v));
	v[8] = 3; /* text of 3 needs 8 + 4 = 12 */
	t = mk(GN_TLV_MANAGEMENT_ERROR_STATUS, v, 10);
	assert_int_equal(gn_tlv_mgmt_error_decode(&t, &e, &reason), -EBADMSG);
	assert_string_equal(reason, "MANAGEMENT_ERROR_STATUS displayData "
				    "length does not match the TLV");
	t.length = 14;
	assert_int_equal(gn_tlv_mgmt_error_decode(&t, &e, &reason), -EBADMSG);
	t.length = 12;
	assert_int_equal(gn_tlv_mgmt_error_decode(&t, &e, &reason), 0);
	assert_true(e.has_text);
	assert_int_equal(e.text_len, 3);
	assert_ptr_equal(e.text, v + 9);
	v[8] = 0; /* empty text, padded: 10 */
	t.length = 10;
	assert_int_equal(gn_tlv_mgmt_error_decode(&t, &e, &reason), 0);
	assert_true(e.has_text);
	assert_int_equal(e.text_len, 0);

	/* ORGANIZATION_EXTENSION */
	t = mk(GN_TLV_PAD, z, 6);
	assert_int_equal(gn_tlv_org_decode(&t, &o, &reason), -EPROTO);
	assert_string_equal(reason, "not an ORGANIZATION_EXTENSION TLV");
	t = mk(GN_TLV_ORG_EXT_PROPAGATE, z, 4);
	assert_int_equal(gn_tlv_org_decode(&t, &o, &reason), -EBADMSG);
	assert_string_equal(reason, "ORGANIZATION_EXTENSION too short");
	assert_int_equal(gn_tlv_check(&t, NULL), -EBADMSG);
	t.length = 6;
	assert_int_equal(gn_tlv_org_decode(&t, &o, &reason), 0);
	assert_int_equal(o.data_len, 0);
	assert_int_equal(gn_tlv_check(&t, NULL), 0);

	/* 802.1AS Follow_Up information */
	memset(v, 0, sizeof(v));
	v[1] = 0x80;
	v[2] = 0xC2;
	v[5] = 1;
	t = mk(GN_TLV_ORGANIZATION_EXTENSION, v, 28);
	assert_int_equal(gn_tlv_follow_up_info_decode(&t, &f, &reason), 0);
	t.length = 30;
	assert_int_equal(gn_tlv_follow_up_info_decode(&t, &f, &reason),
			 -EBADMSG);
	assert_string_equal(reason,
			    "802.1AS Follow_Up information TLV length not 28");
	assert_int_equal(gn_tlv_check(&t, NULL), -EBADMSG);
	t.length = 26;
	assert_int_equal(gn_tlv_follow_up_info_decode(&t, &f, &reason),
			 -EBADMSG);
	t.length = 28;
	v[5] = 2; /* other subtype */
	assert_int_equal(gn_tlv_follow_up_info_decode(&t, &f, &reason),
			 -EPROTO);
	assert_string_equal(reason, "not an 802.1AS Follow_Up information TLV");
	assert_int_equal(gn_tlv_check(&t, NULL), 0); /* unknown org: fine */
	v[5] = 1;
	v[4] = 1;
	assert_int_equal(gn_tlv_follow_up_info_decode(&t, &f, &reason),
			 -EPROTO);
	assert_int_equal(gn_tlv_check(&t, NULL), 0);
	v[4] = 0;
	v[3] = 1;
	assert_int_equal(gn_tlv_follow_up_info_decode(&t, &f, &reason),
			 -EPROTO);
	assert_int_equal(gn_tlv_check(&t, NULL), 0);
	v[3] = 0;
	v[2] = 0xC3; /* other OUI */
	assert_int_equal(gn_tlv_follow_up_info_decode(&t, &f, &reason),
			 -EPROTO);
	assert_int_equal(gn_tlv_check(&t, NULL), 0);
	t = mk(GN_TLV_PAD, v, 28);
	assert_int_equal(gn_tlv_follow_up_info_decode(&t, &f, &reason),
			 -EPROTO);
	assert_string_equal(reason, "not an ORGANIZATION_EXTENSION TLV");

	/* unicast negotiation */
	memset(v, 0, sizeof(v));
	t = mk(GN_TLV_GRANT_UNICAST, v, 6);
	assert_int_equal(gn_tlv_unicast_req_decode(&t, &r, &reason), -EPROTO);
	assert_string_equal(reason, "wrong TLV type for unicast negotiation");
	t = mk(GN_TLV_REQUEST_UNICAST, v, 8);
	assert_int_equal(gn_tlv_unicast_req_decode(&t, &r, &reason), -EBADMSG);
	assert_string_equal(reason, "unicast negotiation TLV of wrong length");
	assert_int_equal(gn_tlv_check(&t, NULL), -EBADMSG);
	t.length = 6;
	v[0] = 0x10; /* Delay_Req cannot be granted */
	assert_int_equal(gn_tlv_unicast_req_decode(&t, &r, &reason), -EPROTO);
	assert_string_equal(reason, "unicast negotiation for a message type "
				    "that cannot be granted");
	v[0] = 0x3F; /* Pdelay_Resp; low nibble reserved, ignored */
	assert_int_equal(gn_tlv_unicast_req_decode(&t, &r, &reason), 0);
	assert_int_equal(r.msg_type, GN_MSG_PDELAY_RESP);

	t = mk(GN_TLV_REQUEST_UNICAST, v, 8);
	assert_int_equal(gn_tlv_unicast_grant_decode(&t, &g, &reason), -EPROTO);
	t = mk(GN_TLV_GRANT_UNICAST, v, 6);
	assert_int_equal(gn_tlv_unicast_grant_decode(&t, &g, &reason),
			 -EBADMSG);
	assert_int_equal(gn_tlv_check(&t, NULL), -EBADMSG);
	t.length = 8;
	v[0] = 0xD0; /* Management */
	assert_int_equal(gn_tlv_unicast_grant_decode(&t, &g, &reason), -EPROTO);
	v[0] = 0x00;
	v[7] = 0xFE; /* renewalInvited is bit 0 only */
	assert_int_equal(gn_tlv_unicast_grant_decode(&t, &g, &reason), 0);
	assert_false(g.renewal_invited);

	t = mk(GN_TLV_PAD, v, 2);
	assert_int_equal(gn_tlv_unicast_cancel_decode(&t, &c, &reason),
			 -EPROTO);
	t = mk(GN_TLV_CANCEL_UNICAST, v, 4);
	assert_int_equal(gn_tlv_unicast_cancel_decode(&t, &c, &reason),
			 -EBADMSG);
	assert_int_equal(gn_tlv_check(&t, NULL), -EBADMSG);
	t = mk(GN_TLV_ACK_CANCEL_UNICAST, v, 2);
	v[0] = 0x83; /* Follow_Up cannot be granted */
	assert_int_equal(gn_tlv_unicast_cancel_decode(&t, &c, &reason),
			 -EPROTO);
	v[0] = 0xB3;
	assert_int_equal(gn_tlv_unicast_cancel_decode(&t, &c, &reason), 0);
	assert_int_equal(c.msg_type, GN_MSG_ANNOUNCE);
	assert_int_equal(c.flags,
			 GN_CANCEL_MAINTAIN_REQUEST | GN_CANCEL_MAINTAIN_GRANT);

	/* PATH_TRACE */
	t = mk(GN_TLV_PAD, z, 8);
	assert_int_equal(gn_tlv_path_trace_decode(&t, &pt, &reason), -EPROTO);
	assert_string_equal(reason, "not a PATH_TRACE TLV");
	t = mk(GN_TLV_PATH_TRACE, z, 6);
	assert_int_equal(gn_tlv_path_trace_decode(&t, &pt, &reason), -EBADMSG);
	assert_string_equal(reason,
			    "PATH_TRACE length not a multiple of 8 octets");
	assert_int_equal(gn_tlv_check(&t, NULL), -EBADMSG);
	t.length = 0;
	assert_int_equal(gn_tlv_path_trace_decode(&t, &pt, &reason), 0);
	assert_int_equal(pt.count, 0);

	/* ALTERNATE_TIME_OFFSET_INDICATOR */
	memset(v, 0, sizeof(v));
	t = mk(GN_TLV_PAD, v, 16);
	assert_int_equal(gn_tlv_alt_time_offset_decode(&t, &a, &reason),
			 -EPROTO);
	assert_string_equal(reason,
			    "not an ALTERNATE_TIME_OFFSET_INDICATOR TLV");
	t = mk(GN_TLV_ALTERNATE_TIME_OFFSET, v, 14);
	assert_int_equal(gn_tlv_alt_time_offset_decode(&t, &a, &reason),
			 -EBADMSG);
	assert_string_equal(reason,
			    "ALTERNATE_TIME_OFFSET_INDICATOR too short");
	assert_int_equal(gn_tlv_check(&t, NULL), -EBADMSG);
	t.length = 16;
	v[15] = 1; /* name of 1 needs 18 */
	assert_int_equal(gn_tlv_alt_time_offset_decode(&t, &a, &reason),
			 -EBADMSG);
	assert_string_equal(reason, "ALTERNATE_TIME_OFFSET_INDICATOR "
				    "displayName length does not match the "
				    "TLV");
	t.length = 20;
	assert_int_equal(gn_tlv_alt_time_offset_decode(&t, &a, &reason),
			 -EBADMSG);
	t.length = 18;
	v[16] = 'X';
	assert_int_equal(gn_tlv_alt_time_offset_decode(&t, &a, &reason), 0);
	assert_int_equal(a.name_len, 1);
	assert_int_equal(a.name[0], 'X');

	/* PAD */
	t = mk(GN_TLV_PATH_TRACE, z, 0);
	assert_int_equal(gn_tlv_pad_decode(&t, &reason), -EPROTO);
	assert_string_equal(reason, "not a PAD TLV");
	t = mk(GN_TLV_PAD, z, 0);
	assert_int_equal(gn_tlv_pad_decode(&t, &reason), 0);
	assert_int_equal(gn_tlv_check(&t, NULL), 0);

	/* unknown types pass the check */
	t = mk(0x7EEE, z, 2);
	assert_int_equal(gn_tlv_check(&t, NULL), 0);
}

static void test_auth_decode_errors(void **state)
{
	const struct gn_auth_layout seq4 = {0, 4, 0};
	const struct gn_auth_layout res2 = {0, 0, 2};
	const struct gn_auth_layout key6 = {6, 0, 0};
	uint8_t v[64];
	struct gn_tlv_auth au;
	const char *reason;
	struct gn_tlv t;

	(void)state;
	memset(v, 0, sizeof(v));
	t = mk(GN_TLV_PAD, v, 22);
	assert_int_equal(gn_tlv_auth_decode(&t, NULL, &au, &reason), -EPROTO);
	assert_string_equal(reason, "not an AUTHENTICATION TLV");
	t = mk(GN_TLV_AUTHENTICATION, v, 4);
	assert_int_equal(gn_tlv_auth_decode(&t, NULL, &au, &reason), -EBADMSG);
	assert_string_equal(reason, "AUTHENTICATION too short");
	assert_int_equal(gn_tlv_check(&t, &reason), -EBADMSG);
	assert_string_equal(reason, "AUTHENTICATION too short");
	t.length = 6; /* no room for an ICV */
	assert_int_equal(gn_tlv_auth_decode(&t, NULL, &au, &reason), -EBADMSG);
	assert_string_equal(reason, "AUTHENTICATION without an ICV");
	assert_int_equal(gn_tlv_check(&t, NULL), -EBADMSG);
	t.length = 22; /* spi 0: all of the rest is the ICV */
	assert_int_equal(gn_tlv_auth_decode(&t, NULL, &au, &reason), 0);
	assert_int_equal(au.icv_len, 16);
	assert_int_equal(au.icv_offset, 6);
	assert_null(au.seq);
	assert_null(au.res);
	assert_null(au.disclosed_key);
	assert_int_equal(gn_tlv_check(&t, NULL), 0);

	/* a field announced but undefined by the security association */
	v[1] = GN_AUTH_SPI_SEQ;
	assert_int_equal(gn_tlv_auth_decode(&t, NULL, &au, &reason), -EPROTO);
	assert_string_equal(reason, "AUTHENTICATION announces a field the "
				    "security association does not define");
	assert_int_equal(gn_tlv_auth_decode(&t, &res2, &au, &reason), -EPROTO);
	assert_int_equal(gn_tlv_auth_decode(&t, &seq4, &au, &reason), 0);
	assert_int_equal(au.seq_len, 4);
	assert_ptr_equal(au.seq, v + 6);
	assert_int_equal(au.icv_len, 12);
	assert_int_equal(au.icv_offset, 10);
	/* an optional field that does not fit */
	t.length = 8;
	assert_int_equal(gn_tlv_auth_decode(&t, &seq4, &au, &reason), -EBADMSG);
	assert_string_equal(reason, "AUTHENTICATION optional fields too long");
	/* fits exactly but leaves no ICV */
	t.length = 10;
	assert_int_equal(gn_tlv_auth_decode(&t, &seq4, &au, &reason), -EBADMSG);
	assert_string_equal(reason, "AUTHENTICATION without an ICV");
	/* RES and disclosedKey */
	t.length = 22;
	v[1] = GN_AUTH_SPI_RES;
	assert_int_equal(gn_tlv_auth_decode(&t, &res2, &au, &reason), 0);
	assert_int_equal(au.res_len, 2);
	assert_null(au.seq);
	assert_int_equal(au.icv_offset, 8);
	v[1] = GN_AUTH_SPI_DELAYED;
	assert_int_equal(gn_tlv_auth_decode(&t, &res2, &au, &reason), -EPROTO);
	assert_int_equal(gn_tlv_auth_decode(&t, &key6, &au, &reason), 0);
	assert_int_equal(au.disclosed_key_len, 6);
	assert_int_equal(au.icv_offset, 12);
	assert_int_equal(au.icv_len, 10);
}

static void test_encode_errors(void **state)
{
	static const uint8_t d[8];
	uint8_t buf[64];
	struct gn_tlv_mgmt mg = {1, 3, NULL};
	struct gn_tlv_mgmt_error e = {1, 2, true, 4, NULL};
	struct gn_tlv_org o = {{0}, {0}, 2, NULL};
	struct gn_tlv_follow_up_info f;
	struct gn_tlv_unicast_req r = {GN_MSG_FOLLOW_UP, 0, 1};
	struct gn_tlv_unicast_grant g = {GN_MSG_DELAY_REQ, 0, 1, false};
	struct gn_tlv_unicast_cancel c = {GN_MSG_SIGNALING, 0};
	struct gn_tlv_alt_time_offset a = {0, 0, 0, 0, 2, NULL};
	struct gn_clock_identity ids[2];
	struct gn_tlv_auth au;

	(void)state;
	memset(&f, 0, sizeof(f));
	memset(ids, 0, sizeof(ids));

	/* MANAGEMENT */
	assert_int_equal(gn_tlv_mgmt_encode(&mg, buf, sizeof(buf)), -EINVAL);
	mg.data = d;
	assert_int_equal(gn_tlv_mgmt_encode(&mg, buf, 5), -ENOSPC);
	assert_int_equal(gn_tlv_mgmt_encode(&mg, buf, 6), 6);
	mg.data_len = 0xFFFF;
	assert_int_equal(gn_tlv_mgmt_encode(&mg, buf, sizeof(buf)), -EINVAL);
	mg.data_len = 0;
	mg.data = NULL;
	assert_int_equal(gn_tlv_mgmt_encode(&mg, buf, 2), 2);

	/* MANAGEMENT_ERROR_STATUS */
	assert_int_equal(gn_tlv_mgmt_error_encode(&e, buf, sizeof(buf)),
			 -EINVAL);
	e.text = d;
	assert_int_equal(gn_tlv_mgmt_error_encode(&e, buf, 13), -ENOSPC);
	assert_int_equal(gn_tlv_mgmt_error_encode(&e, buf, 14), 14);
	e.has_text = false;
	assert_int_equal(gn_tlv_mgmt_error_encode(&e, buf, 7), -ENOSPC);
	assert_int_equal(gn_tlv_mgmt_error_encode(&e, buf, 8), 8);
	e.has_text = true;
	e.text_len = 0;
	e.text = NULL;
	assert_int_equal(gn_tlv_mgmt_error_encode(&e, buf, 10), 10);

	/* ORGANIZATION_EXTENSION */
	assert_int_equal(gn_tlv_org_encode(&o, buf, sizeof(buf)), -EINVAL);
	o.data = d;
	assert_int_equal(gn_tlv_org_encode(&o, buf, 7), -ENOSPC);
	assert_int_equal(gn_tlv_org_encode(&o, buf, 8), 8);
	o.data_len = 0xFFFA;
	assert_int_equal(gn_tlv_org_encode(&o, buf, sizeof(buf)), -EINVAL);
	o.data_len = 0;
	o.data = NULL;
	assert_int_equal(gn_tlv_org_encode(&o, buf, 6), 6);

	assert_int_equal(gn_tlv_follow_up_info_encode(&f, buf, 27), -ENOSPC);

	/* unicast */
	assert_int_equal(gn_tlv_unicast_req_encode(&r, buf, sizeof(buf)),
			 -EINVAL);
	r.msg_type = GN_MSG_SYNC;
	assert_int_equal(gn_tlv_unicast_req_encode(&r, buf, 5), -ENOSPC);
	assert_int_equal(gn_tlv_unicast_grant_encode(&g, buf, sizeof(buf)),
			 -EINVAL);
	g.msg_type = GN_MSG_SYNC;
	assert_int_equal(gn_tlv_unicast_grant_encode(&g, buf, 7), -ENOSPC);
	assert_int_equal(gn_tlv_unicast_cancel_encode(&c, buf, sizeof(buf)),
			 -EINVAL);
	c.msg_type = GN_MSG_SYNC;
	c.flags = 0x10;
	assert_int_equal(gn_tlv_unicast_cancel_encode(&c, buf, sizeof(buf)),
			 -EINVAL);
	c.flags = 0;
	assert_int_equal(gn_tlv_unicast_cancel_encode(&c, buf, 1), -ENOSPC);

	/* PATH_TRACE */
	assert_int_equal(gn_tlv_path_trace_encode(ids, 2, buf, 15), -ENOSPC);
	assert_int_equal(gn_tlv_path_trace_encode(ids, 2, buf, 16), 16);
	assert_int_equal(gn_tlv_path_trace_encode(ids, 8192, buf, sizeof(buf)),
			 -EINVAL);
	assert_int_equal(gn_tlv_path_trace_encode(ids, 0, buf, 0), 0);

	/* ALTERNATE_TIME_OFFSET_INDICATOR */
	assert_int_equal(gn_tlv_alt_time_offset_encode(&a, buf, sizeof(buf)),
			 -EINVAL);
	a.name = d;
	a.time_of_next_jump_s = 1ULL << 48;
	assert_int_equal(gn_tlv_alt_time_offset_encode(&a, buf, sizeof(buf)),
			 -EINVAL);
	a.time_of_next_jump_s = 0;
	assert_int_equal(gn_tlv_alt_time_offset_encode(&a, buf, 17), -ENOSPC);
	assert_int_equal(gn_tlv_alt_time_offset_encode(&a, buf, 18), 18);

	/* AUTHENTICATION */
	memset(&au, 0, sizeof(au));
	assert_int_equal(gn_tlv_auth_encode(&au, buf, sizeof(buf)), -EINVAL);
	au.icv_len = 3; /* odd: the ICV ends the TLV, no padding */
	assert_int_equal(gn_tlv_auth_encode(&au, buf, sizeof(buf)), -EINVAL);
	au.icv_len = 0xFFFF;
	assert_int_equal(gn_tlv_auth_encode(&au, buf, sizeof(buf)), -EINVAL);
	au.icv_len = 16;
	assert_int_equal(gn_tlv_auth_encode(&au, buf, 21), -ENOSPC);
	assert_int_equal(gn_tlv_auth_encode(&au, buf, 22), 22);
	au.sec_param_indicator = GN_AUTH_SPI_SEQ;
	au.seq_len = 2; /* but no pointer */
	assert_int_equal(gn_tlv_auth_encode(&au, buf, sizeof(buf)), -EINVAL);
	au.seq = d;
	au.seq_len = 0; /* announced but empty */
	assert_int_equal(gn_tlv_auth_encode(&au, buf, sizeof(buf)), -EINVAL);
	au.seq_len = 2;
	assert_int_equal(gn_tlv_auth_encode(&au, buf, sizeof(buf)), 24);
	au.sec_param_indicator = GN_AUTH_SPI_SEQ | GN_AUTH_SPI_RES;
	assert_int_equal(gn_tlv_auth_encode(&au, buf, sizeof(buf)), -EINVAL);
	au.sec_param_indicator = GN_AUTH_SPI_DELAYED;
	assert_int_equal(gn_tlv_auth_encode(&au, buf, sizeof(buf)), -EINVAL);

	/* PAD */
	assert_int_equal(gn_tlv_pad_encode(3, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(gn_tlv_pad_encode(0x10000, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(gn_tlv_pad_encode(8, buf, 6), -ENOSPC);
	memset(buf, 0xEE, 8);
	assert_int_equal(gn_tlv_pad_encode(8, buf, 8), 8);
	assert_memory_equal(buf, d, 8);
}

static void test_add_and_find(void **state)
{
	static const uint8_t v[4];
	struct gn_msg m;
	unsigned i;

	(void)state;
	memset(&m, 0, sizeof(m));
	assert_null(gn_msg_find_tlv(&m, GN_TLV_PAD));
	assert_int_equal(gn_msg_add_tlv(&m, GN_TLV_PAD, v, -ENOSPC), -ENOSPC);
	assert_int_equal(gn_msg_add_tlv(&m, GN_TLV_PAD, v, 3), -EINVAL);
	assert_int_equal(gn_msg_add_tlv(&m, GN_TLV_PAD, v, 0x10000), -EINVAL);
	assert_int_equal(m.ntlv, 0);
	assert_int_equal(gn_msg_add_tlv(&m, GN_TLV_PATH_TRACE, v, 0), 0);
	assert_int_equal(gn_msg_add_tlv(&m, GN_TLV_PAD, v, 4), 0);
	assert_int_equal(gn_msg_add_tlv(&m, GN_TLV_PAD, v, 2), 0);
	assert_ptr_equal(gn_msg_find_tlv(&m, GN_TLV_PAD), &m.tlv[1]);
	assert_ptr_equal(gn_msg_find_tlv(&m, GN_TLV_PATH_TRACE), &m.tlv[0]);
	assert_null(gn_msg_find_tlv(&m, GN_TLV_AUTHENTICATION));
	for (i = 3; i < GN_MSG_MAX_TLVS; i++)
		assert_int_equal(gn_msg_add_tlv(&m, 0x9000, v, 0), 0);
	assert_int_equal(gn_msg_add_tlv(&m, 0x9000, v, 0), -ENOSPC);
	assert_int_equal(m.ntlv, GN_MSG_MAX_TLVS);
	/* a corrupted count never makes find read past the array */
	m.ntlv = 1000;
	assert_null(gn_msg_find_tlv(&m, GN_TLV_AUTHENTICATION));
}

static void test_type_str(void **state)
{
	static const struct {
		uint16_t type;
		const char *name;
	} names[] = {
	    {GN_TLV_MANAGEMENT, "MANAGEMENT"},
	    {GN_TLV_MANAGEMENT_ERROR_STATUS, "MANAGEMENT_ERROR_STATUS"},
	    {GN_TLV_ORGANIZATION_EXTENSION, "ORGANIZATION_EXTENSION"},
	    {GN_TLV_REQUEST_UNICAST, "REQUEST_UNICAST_TRANSMISSION"},
	    {GN_TLV_GRANT_UNICAST, "GRANT_UNICAST_TRANSMISSION"},
	    {GN_TLV_CANCEL_UNICAST, "CANCEL_UNICAST_TRANSMISSION"},
	    {GN_TLV_ACK_CANCEL_UNICAST,
	     "ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION"},
	    {GN_TLV_PATH_TRACE, "PATH_TRACE"},
	    {GN_TLV_ALTERNATE_TIME_OFFSET, "ALTERNATE_TIME_OFFSET_INDICATOR"},
	    {GN_TLV_AUTHENTICATION_2008, "AUTHENTICATION_2008"},
	    {GN_TLV_ORG_EXT_PROPAGATE, "ORGANIZATION_EXTENSION_PROPAGATE"},
	    {GN_TLV_ENHANCED_ACCURACY_METRICS, "ENHANCED_ACCURACY_METRICS"},
	    {GN_TLV_SLAVE_DELAY_TIMING_DATA_NP, "SLAVE_DELAY_TIMING_DATA_NP"},
	    {GN_TLV_ORG_EXT_DO_NOT_PROPAGATE,
	     "ORGANIZATION_EXTENSION_DO_NOT_PROPAGATE"},
	    {GN_TLV_L1_SYNC, "L1_SYNC"},
	    {GN_TLV_PORT_COMMUNICATION_AVAIL,
	     "PORT_COMMUNICATION_AVAILABILITY"},
	    {GN_TLV_PROTOCOL_ADDRESS, "PROTOCOL_ADDRESS"},
	    {GN_TLV_SLAVE_RX_SYNC_TIMING_DATA, "SLAVE_RX_SYNC_TIMING_DATA"},
	    {GN_TLV_SLAVE_RX_SYNC_COMPUTED_DATA, "SLAVE_RX_SYNC_COMPUTED_DATA"},
	    {GN_TLV_SLAVE_TX_EVENT_TIMESTAMPS, "SLAVE_TX_EVENT_TIMESTAMPS"},
	    {GN_TLV_CUMULATIVE_RATE_RATIO, "CUMULATIVE_RATE_RATIO"},
	    {GN_TLV_PAD, "PAD"},
	    {GN_TLV_AUTHENTICATION, "AUTHENTICATION"},
	    {0x0000, "UNKNOWN"},
	    {0xFFFF, "UNKNOWN"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_string_equal(gn_tlv_type_str(names[i].type),
				    names[i].name);
	assert_int_equal(GN_TLV_AUTHENTICATION, 0x8009);
	assert_int_equal(GN_TLV_PAD, 0x8008);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_golden_unicast),
	    cmocka_unit_test(test_golden_follow_up_info),
	    cmocka_unit_test(test_golden_path_trace),
	    cmocka_unit_test(test_golden_management),
	    cmocka_unit_test(test_encode_bytes),
	    cmocka_unit_test(test_c37_238_bytes),
	    cmocka_unit_test(test_c37_238_errors),
	    cmocka_unit_test(test_path_trace_contains),
	    cmocka_unit_test(test_round_trip_all),
	    cmocka_unit_test(test_decode_errors),
	    cmocka_unit_test(test_auth_decode_errors),
	    cmocka_unit_test(test_encode_errors),
	    cmocka_unit_test(test_add_and_find),
	    cmocka_unit_test(test_type_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

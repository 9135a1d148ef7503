/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_wire_bad.c - malformed input: frames truncated at every length,
 * messageLength lying in both directions, TLVs past the end, odd and too
 * many TLVs, reserved message types, versions other than 2, timestamps
 * with nanoseconds >= 1e9, reserved management actions, and every
 * management id with a wrong dataField length. Each case asserts the
 * specific reason, not just a failure.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mgmt.h"
#include "tlv.h"
#include "wire.h"
#include "golden.h"

static const char *const goldens[] = {
    "ptp4l_sync",
    "ptp4l_follow_up",
    "ptp4l_delay_req",
    "ptp4l_delay_resp",
    "ptp4l_announce",
    "ptp4l_pdelay_req",
    "ptp4l_pdelay_resp",
    "ptp4l_pdelay_resp_fup",
    "ptp4l_signaling_req",
    "ptp4l_signaling_grant",
    "ptp4l_mgmt_get",
    "ptp4l_mgmt_resp",
    "ptp4l_mgmt_get_udp",
    "ptp4l_mgmt_resp_udp",
    "ptp4l_l2_sync",
    "ptp4l_l2_delay_req",
    "ptp4l_gptp_follow_up",
    "ptp4l_gptp_announce",
    "ptp4l_gptp_pdelay_req",
};

#define NGOLDEN (sizeof(goldens) / sizeof(goldens[0]))

/* An Announce with PATH_TRACE, PAD and an empty TLV: 64 + 12 + 10 + 4. */
static size_t build_announce(uint8_t *buf, size_t cap)
{
	static const uint8_t path[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	static const uint8_t pad[6];
	struct gn_msg m;
	int len;

	memset(&m, 0, sizeof(m));
	gn_header_init(&m.h, GN_MSG_ANNOUNCE);
	m.body.announce.origin.nsec = 999999999;
	assert_int_equal(gn_msg_add_tlv(&m, GN_TLV_PATH_TRACE, path, 8), 0);
	assert_int_equal(gn_msg_add_tlv(&m, GN_TLV_PAD, pad, 6), 0);
	assert_int_equal(gn_msg_add_tlv(&m, 0x7777, NULL, 0), 0);
	len = gn_msg_serialize(&m, buf, cap);
	assert_int_equal(len, 90);
	return (size_t)len;
}

/* Where a message of this content may legally end (TLV boundaries). */
static int is_boundary(const uint8_t *buf, size_t len, size_t n)
{
	size_t off = gn_msg_body_len(buf[0] & 0xF);

	for (;;) {
		if (off == n)
			return 1;
		if (off + 4 > len)
			return 0;
		off += 4 + gn_get16(buf + off + 2);
	}
}

static void check_truncations(uint8_t *buf, size_t len)
{
	enum gn_wire_error want;
	struct gn_msg m;
	uint8_t save[2];
	size_t n, body = gn_msg_body_len(buf[0] & 0xF);

	assert_int_equal(gn_msg_parse(buf, len, &m), GN_WIRE_OK);
	/* The buffer ends early; messageLength says more. */
	for (n = 0; n < len; n++)
		assert_int_equal(gn_msg_parse(buf, n, &m),
				 n < GN_HEADER_LEN ? GN_WIRE_TOO_SHORT
						   : GN_WIRE_BAD_LENGTH);
	/* messageLength itself cut short at every length. */
	memcpy(save, buf + 2, 2);
	for (n = 0; n < len; n++) {
		gn_put16(buf + 2, (uint16_t)n);
		if (n < GN_HEADER_LEN)
			want = GN_WIRE_BAD_LENGTH;
		else if (n < body)
			want = GN_WIRE_BODY_TOO_SHORT;
		else if (is_boundary(buf, len, n))
			want = GN_WIRE_OK;
		else
			want = GN_WIRE_TLV_TRUNCATED;
		assert_int_equal(gn_msg_parse(buf, len, &m), want);
		if (want == GN_WIRE_OK)
			assert_int_equal(m.h.length, n);
	}
	memcpy(buf + 2, save, 2);
}

static void test_truncated_every_length(void **state)
{
	uint8_t buf[GN_MAX_MSG_LEN];
	size_t i, n;

	(void)state;
	for (i = 0; i < NGOLDEN; i++) {
		n = load_hex(goldens[i], buf, sizeof(buf));
		check_truncations(buf, n);
	}
	n = build_announce(buf, sizeof(buf));
	check_truncations(buf, n);
}

static void test_message_length_lies(void **state)
{
	uint8_t buf[GN_MAX_MSG_LEN];
	struct gn_msg m;
	size_t n;

	(void)state;
	memset(buf, 0, sizeof(buf));
	n = load_hex("ptp4l_delay_resp", buf, sizeof(buf));
	/* longer than the frame */
	gn_put16(buf + 2, (uint16_t)(n + 1));
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_BAD_LENGTH);
	gn_put16(buf + 2, 0xFFFF);
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_BAD_LENGTH);
	/* shorter than a header */
	gn_put16(buf + 2, 0);
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_BAD_LENGTH);
	gn_put16(buf + 2, 33);
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_BAD_LENGTH);
	/* shorter than the body of a Delay_Resp */
	gn_put16(buf + 2, 44);
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_BODY_TOO_SHORT);
	gn_put16(buf + 2, 53);
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_BODY_TOO_SHORT);
	/* It covers padding: 2 zero octets are no TLV header. */
	gn_put16(buf + 2, (uint16_t)(n + 2));
	assert_int_equal(gn_msg_parse(buf, n + 2, &m), GN_WIRE_TLV_TRUNCATED);
	/* 4 zero octets are an empty TLV of type 0. */
	gn_put16(buf + 2, (uint16_t)(n + 4));
	assert_int_equal(gn_msg_parse(buf, n + 4, &m), GN_WIRE_OK);
	assert_int_equal(m.ntlv, 1);
	assert_int_equal(m.tlv[0].type, 0);
	assert_int_equal(m.tlv[0].length, 0);
	/* A frame longer than messageLength is fine. */
	gn_put16(buf + 2, (uint16_t)n);
	assert_int_equal(gn_msg_parse(buf, n + 100, &m), GN_WIRE_OK);
	assert_int_equal(m.ntlv, 0);
}

static void test_tlv_past_end(void **state)
{
	uint8_t buf[GN_MAX_MSG_LEN];
	struct gn_msg m;
	size_t n;

	(void)state;
	n = load_hex("ptp4l_signaling_req", buf, sizeof(buf));
	assert_int_equal(n, 64);
	/* second TLV at 54: value 6 octets, up to 64 */
	gn_put16(buf + 56, 8);
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_TLV_TRUNCATED);
	gn_put16(buf + 56, 0xFFFE);
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_TLV_TRUNCATED);
	/* first TLV swallowing the second one's header is still in bounds */
	gn_put16(buf + 56, 6);
	gn_put16(buf + 46, 16);
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_OK);
	assert_int_equal(m.ntlv, 1);
	gn_put16(buf + 46, 18);
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_TLV_TRUNCATED);
	/* a TLV beyond messageLength but inside the frame does not count */
	gn_put16(buf + 46, 6);
	gn_put16(buf + 2, 54);
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_OK);
	assert_int_equal(m.ntlv, 1);
}

static void test_tlv_odd_length(void **state)
{
	uint8_t buf[GN_MAX_MSG_LEN];
	struct gn_msg m;
	size_t n;

	(void)state;
	n = load_hex("ptp4l_signaling_req", buf, sizeof(buf));
	gn_put16(buf + 56, 5);
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_TLV_ODD_LENGTH);
	gn_put16(buf + 56, 0xFFFF);
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_TLV_ODD_LENGTH);
	gn_put16(buf + 56, 1);
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_TLV_ODD_LENGTH);
	n = load_hex("ptp4l_gptp_follow_up", buf, sizeof(buf));
	gn_put16(buf + 46, 27);
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_TLV_ODD_LENGTH);
}

static void test_too_many_tlvs(void **state)
{
	uint8_t buf[GN_MAX_MSG_LEN];
	struct gn_msg m;
	size_t n = 44 + 4 * (GN_MSG_MAX_TLVS + 1);

	(void)state;
	memset(buf, 0, sizeof(buf));
	assert_int_equal(load_hex("ptp4l_signaling_req", buf, sizeof(buf)), 64);
	memset(buf + 44, 0, 20);
	gn_put16(buf + 2, (uint16_t)n);
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_TOO_MANY_TLVS);
	gn_put16(buf + 2, (uint16_t)(n - 4));
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_OK);
	assert_int_equal(m.ntlv, GN_MSG_MAX_TLVS);
	assert_int_equal(m.tlv_offset[GN_MSG_MAX_TLVS - 1],
			 44 + 4 * (GN_MSG_MAX_TLVS - 1));
}

static void test_reserved_types(void **state)
{
	static const uint8_t reserved[] = {4, 5, 6, 7, 0xE, 0xF};
	uint8_t buf[GN_MAX_MSG_LEN];
	struct gn_msg m;
	size_t i, n;

	(void)state;
	n = load_hex("ptp4l_announce", buf, sizeof(buf));
	for (i = 0; i < sizeof(reserved); i++) {
		buf[0] = reserved[i];
		assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_BAD_TYPE);
		buf[0] = (uint8_t)(0x10 | reserved[i]);
		assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_BAD_TYPE);
	}
}

static void test_versions(void **state)
{
	static const uint8_t bad[] = {0x00, 0x01, 0x03, 0x11,
				      0x13, 0x0F, 0xF1, 0x14};
	uint8_t buf[GN_MAX_MSG_LEN];
	struct gn_msg m;
	size_t i, n;

	(void)state;
	n = load_hex("ptp4l_sync", buf, sizeof(buf));
	for (i = 0; i < sizeof(bad); i++) {
		buf[1] = bad[i];
		assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_BAD_VERSION);
	}
	/* The version check comes before the length check. */
	buf[1] = 0x03;
	gn_put16(buf + 2, 0);
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_BAD_VERSION);
}

static void test_bad_timestamps(void **state)
{
	static const char *const names[] = {
	    "ptp4l_sync",	 "ptp4l_follow_up",	  "ptp4l_delay_req",
	    "ptp4l_delay_resp",	 "ptp4l_announce",	  "ptp4l_pdelay_req",
	    "ptp4l_pdelay_resp", "ptp4l_pdelay_resp_fup",
	};
	uint8_t buf[GN_MAX_MSG_LEN];
	struct gn_msg m;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		n = load_hex(names[i], buf, sizeof(buf));
		/* every body starts with its timestamp at 34, nsec at 40 */
		gn_put32(buf + 40, 999999999);
		assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_OK);
		gn_put32(buf + 40, 1000000000);
		assert_int_equal(gn_msg_parse(buf, n, &m),
				 GN_WIRE_BAD_TIMESTAMP);
		gn_put32(buf + 40, 0xFFFFFFFF);
		assert_int_equal(gn_msg_parse(buf, n, &m),
				 GN_WIRE_BAD_TIMESTAMP);
	}
}

static void test_bad_action(void **state)
{
	uint8_t buf[GN_MAX_MSG_LEN];
	struct gn_msg m;
	size_t n;
	int a;

	(void)state;
	n = load_hex("ptp4l_mgmt_get_udp", buf, sizeof(buf));
	for (a = 0; a < 16; a++) {
		buf[46] = (uint8_t)a;
		assert_int_equal(gn_msg_parse(buf, n, &m),
				 a <= 4 ? GN_WIRE_OK : GN_WIRE_BAD_ACTION);
	}
}

static void test_bad_management_tlv(void **state)
{
	uint8_t buf[GN_MAX_MSG_LEN];
	struct gn_msg m;
	size_t n;

	(void)state;
	n = load_hex("ptp4l_mgmt_get_udp", buf, sizeof(buf));
	/* the TLV at 48: type, length 22 */
	gn_put16(buf + 48, GN_TLV_PAD);
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_BAD_TLV);
	gn_put16(buf + 48, GN_TLV_MANAGEMENT_ERROR_STATUS);
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_OK);
	/* MANAGEMENT with no room for managementId */
	gn_put16(buf + 48, GN_TLV_MANAGEMENT);
	gn_put16(buf + 50, 0);
	gn_put16(buf + 2, 52);
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_BAD_TLV);
	gn_put16(buf + 50, 2);
	gn_put16(buf + 2, 54);
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_OK);
	/* MANAGEMENT_ERROR_STATUS needs 8 octets */
	gn_put16(buf + 48, GN_TLV_MANAGEMENT_ERROR_STATUS);
	gn_put16(buf + 50, 6);
	gn_put16(buf + 2, 58);
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_BAD_TLV);
	gn_put16(buf + 50, 8);
	gn_put16(buf + 2, 60);
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_OK);
	/* no TLV at all: valid */
	gn_put16(buf + 2, 48);
	assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_OK);
	assert_int_equal(m.ntlv, 0);
}

/* ---- management dataField lengths ---- */

struct id_len {
	uint16_t id;
	uint16_t len; /* the one right length */
};

static const struct id_len fixed_ids[] = {
    {GN_MGMT_NULL_MANAGEMENT, 0},
    {GN_MGMT_ENABLE_PORT, 0},
    {GN_MGMT_DISABLE_PORT, 0},
    {GN_MGMT_SAVE_IN_NON_VOLATILE_STORAGE, 0},
    {GN_MGMT_RESET_NON_VOLATILE_STORAGE, 0},
    {GN_MGMT_FAULT_LOG_RESET, 0},
    {GN_MGMT_DEFAULT_DATA_SET, 20},
    {GN_MGMT_CURRENT_DATA_SET, 18},
    {GN_MGMT_PARENT_DATA_SET, 32},
    {GN_MGMT_TIME_PROPERTIES_DATA_SET, 4},
    {GN_MGMT_PORT_DATA_SET, 26},
    {GN_MGMT_PRIORITY1, 2},
    {GN_MGMT_PRIORITY2, 2},
    {GN_MGMT_DOMAIN, 2},
    {GN_MGMT_SLAVE_ONLY, 2},
    {GN_MGMT_CLOCK_ACCURACY, 2},
    {GN_MGMT_TRACEABILITY_PROPERTIES, 2},
    {GN_MGMT_TIMESCALE_PROPERTIES, 2},
    {GN_MGMT_SYNCHRONIZATION_UNCERTAIN_NP, 2},
    {GN_MGMT_LOG_ANNOUNCE_INTERVAL, 2},
    {GN_MGMT_ANNOUNCE_RECEIPT_TIMEOUT, 2},
    {GN_MGMT_LOG_SYNC_INTERVAL, 2},
    {GN_MGMT_VERSION_NUMBER, 2},
    {GN_MGMT_MASTER_ONLY, 2},
    {GN_MGMT_DELAY_MECHANISM, 2},
    {GN_MGMT_LOG_MIN_PDELAY_REQ_INTERVAL, 2},
    {GN_MGMT_TIME, 10},
    {GN_MGMT_TIME_STATUS_NP, 50},
    {GN_MGMT_GRANDMASTER_SETTINGS_NP, 8},
    {GN_MGMT_PORT_DATA_SET_NP, 8},
    {GN_MGMT_SUBSCRIBE_EVENTS_NP, 66},
    {GN_MGMT_PORT_STATS_NP, 266},
    {GN_MGMT_PORT_SERVICE_STATS_NP, 90},
    {GN_MGMT_PORT_HWCLOCK_NP, 16},
};

#define NFIXED (sizeof(fixed_ids) / sizeof(fixed_ids[0]))

static void expect_wrong_length(uint16_t id, const uint8_t *data, size_t len)
{
	union gn_mgmt_data d;
	const char *reason = NULL;

	assert_int_equal(gn_mgmt_decode(id, data, len, &d, &reason), -EBADMSG);
	assert_non_null(reason);
	assert_int_equal(gn_mgmt_error_id(-EBADMSG), GN_MGMT_ERR_WRONG_LENGTH);
}

static void test_mgmt_wrong_lengths(void **state)
{
	static const uint8_t zero[300];
	static const long deltas[] = {-2, -1, 1, 2, 4};
	union gn_mgmt_data d;
	const char *reason;
	size_t i, j;
	long len;

	(void)state;
	for (i = 0; i < NFIXED; i++) {
		reason = NULL;
		assert_int_equal(gn_mgmt_decode(fixed_ids[i].id, zero,
						fixed_ids[i].len, &d, &reason),
				 0);
		for (j = 0; j < sizeof(deltas) / sizeof(deltas[0]); j++) {
			len = (long)fixed_ids[i].len + deltas[j];
			if (len < 0)
				continue;
			expect_wrong_length(fixed_ids[i].id, zero, (size_t)len);
			reason = NULL;
			gn_mgmt_decode(fixed_ids[i].id, zero, (size_t)len, &d,
				       &reason);
			assert_string_equal(
			    reason,
			    "wrong dataField length for the managementId");
		}
		if (fixed_ids[i].len)
			expect_wrong_length(fixed_ids[i].id, zero, 0);
	}
}

static void test_mgmt_wrong_lengths_variable(void **state)
{
	uint8_t pp[32] = {0};
	uint8_t umt[64] = {0};
	union gn_mgmt_data d;
	const char *reason;

	(void)state;
	/* PORT_PROPERTIES_NP: 13 + PTPText, padded to even */
	pp[12] = 4; /* "eth0" */
	memcpy(pp + 13, "eth0", 4);
	assert_int_equal(
	    gn_mgmt_decode(GN_MGMT_PORT_PROPERTIES_NP, pp, 18, &d, NULL), 0);
	expect_wrong_length(GN_MGMT_PORT_PROPERTIES_NP, pp, 17);
	expect_wrong_length(GN_MGMT_PORT_PROPERTIES_NP, pp, 20);
	expect_wrong_length(GN_MGMT_PORT_PROPERTIES_NP, pp, 12);
	expect_wrong_length(GN_MGMT_PORT_PROPERTIES_NP, pp, 0);
	pp[12] = 200; /* text longer than the TLV */
	expect_wrong_length(GN_MGMT_PORT_PROPERTIES_NP, pp, 18);

	/* UNICAST_MASTER_TABLE_NP: 2 + per entry 22 + address */
	assert_int_equal(
	    gn_mgmt_decode(GN_MGMT_UNICAST_MASTER_TABLE_NP, umt, 2, &d, NULL),
	    0);
	expect_wrong_length(GN_MGMT_UNICAST_MASTER_TABLE_NP, umt, 0);
	expect_wrong_length(GN_MGMT_UNICAST_MASTER_TABLE_NP, umt, 4);
	umt[1] = 1;	 /* one entry */
	umt[2 + 21] = 4; /* IPv4 address */
	assert_int_equal(
	    gn_mgmt_decode(GN_MGMT_UNICAST_MASTER_TABLE_NP, umt, 28, &d, NULL),
	    0);
	expect_wrong_length(GN_MGMT_UNICAST_MASTER_TABLE_NP, umt, 26);
	expect_wrong_length(GN_MGMT_UNICAST_MASTER_TABLE_NP, umt, 23);
	expect_wrong_length(GN_MGMT_UNICAST_MASTER_TABLE_NP, umt, 30);
	umt[2 + 21] = 17; /* address longer than gnomon accepts */
	expect_wrong_length(GN_MGMT_UNICAST_MASTER_TABLE_NP, umt, 64);
	reason = NULL;
	umt[1] = GN_MGMT_UMT_MAX + 1;
	assert_int_equal(gn_mgmt_decode(GN_MGMT_UNICAST_MASTER_TABLE_NP, umt,
					64, &d, &reason),
			 -EINVAL);
	assert_string_equal(reason, "more unicast masters than gnomon holds");
}

/* Ids without a codec and unknown ids are refused with their reason. */
static void test_mgmt_unsupported(void **state)
{
	static const uint8_t zero[8];
	union gn_mgmt_data d;
	const char *reason = NULL;

	(void)state;
	assert_int_equal(
	    gn_mgmt_decode(GN_MGMT_FAULT_LOG, zero, 8, &d, &reason),
	    -EOPNOTSUPP);
	assert_string_equal(reason, "managementId not supported");
	assert_int_equal(gn_mgmt_decode(0x1234, zero, 8, &d, &reason),
			 -EOPNOTSUPP);
	assert_string_equal(reason, "no such managementId");
	assert_int_equal(gn_mgmt_decode(0x1234, zero, 8, &d, NULL),
			 -EOPNOTSUPP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_truncated_every_length),
	    cmocka_unit_test(test_message_length_lies),
	    cmocka_unit_test(test_tlv_past_end),
	    cmocka_unit_test(test_tlv_odd_length),
	    cmocka_unit_test(test_too_many_tlvs),
	    cmocka_unit_test(test_reserved_types),
	    cmocka_unit_test(test_versions),
	    cmocka_unit_test(test_bad_timestamps),
	    cmocka_unit_test(test_bad_action),
	    cmocka_unit_test(test_bad_management_tlv),
	    cmocka_unit_test(test_mgmt_wrong_lengths),
	    cmocka_unit_test(test_mgmt_wrong_lengths_variable),
	    cmocka_unit_test(test_mgmt_unsupported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

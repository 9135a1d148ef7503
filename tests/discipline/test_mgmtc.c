/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_mgmtc.c - gnomon-phc2sys's management client, sans-IO: the GET
 * and SUBSCRIBE_EVENTS_NP requests it builds (parsed back with the
 * core's codec, field by field), and what it accepts from the daemon:
 * responses, error status, answers of another clock, wrong domain,
 * requests, malformed and truncated frames.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "mgmtc.h"
#include "tlv.h"

static const struct gn_clock_identity server_id = {
    {0x02, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x00, 0x01}};
static const struct gn_clock_identity other_id = {
    {0x02, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x00, 0x02}};

/* A response (or error status) as a daemon sends it. */
static int response(const struct gn_clock_identity *from, uint8_t domain,
		    uint8_t action, uint16_t id, const union gn_mgmt_data *d,
		    bool error, uint8_t *buf, size_t cap)
{
	uint8_t data[512], value[600];
	struct gn_msg m;
	int n, vlen;

	memset(&m, 0, sizeof(m));
	gn_header_init(&m.h, GN_MSG_MANAGEMENT);
	m.h.domain = domain;
	m.h.source.clock = *from;
	m.h.source.port = 1;
	m.body.mgmt.action = action;
	if (error) {
		struct gn_tlv_mgmt_error e = {.error_id = 6, .mgmt_id = id};

		vlen = gn_tlv_mgmt_error_encode(&e, value, sizeof(value));
		assert_true(vlen > 0);
		gn_msg_add_tlv(&m, GN_TLV_MANAGEMENT_ERROR_STATUS, value, vlen);
	} else {
		n = d ? gn_mgmt_encode(id, d, data, sizeof(data)) : 0;
		assert_true(n >= 0);
		struct gn_tlv_mgmt t = {
		    .id = id, .data_len = (uint16_t)n, .data = data};

		vlen = gn_tlv_mgmt_encode(&t, value, sizeof(value));
		assert_true(vlen > 0);
		gn_msg_add_tlv(&m, GN_TLV_MANAGEMENT, value, vlen);
	}
	return gn_msg_serialize(&m, buf, cap);
}

static void test_build_get(void **state)
{
	struct gn_mgmtc c;
	uint8_t buf[GN_MAX_MSG_LEN];
	struct gn_msg m;
	struct gn_tlv_mgmt t;
	int n;

	(void)state;
	gn_mgmtc_init(&c, 24, 1, 4321);
	n = gn_mgmtc_build_get(&c, GN_MGMT_DEFAULT_DATA_SET, GN_MGMTC_ALL_PORTS,
			       buf, sizeof(buf));
	/* header 34 + management body 14 + TLV header 4 + id 2 + 20 zeros */
	assert_int_equal(n, 74);
	assert_int_equal(gn_msg_parse(buf, (size_t)n, &m), GN_WIRE_OK);
	assert_int_equal(m.h.type, GN_MSG_MANAGEMENT);
	assert_int_equal(m.h.domain, 24);
	assert_int_equal(m.h.sdo_major, 1);
	assert_int_equal(m.h.source.port, 4321);
	assert_int_equal(m.h.sequence_id, 0);
	assert_int_equal(m.body.mgmt.action, GN_MGMT_GET);
	assert_int_equal(m.body.mgmt.target.port, 0xFFFF);
	assert_int_equal(m.body.mgmt.target.clock.id[0], 0xFF);
	assert_int_equal(m.body.mgmt.target.clock.id[7], 0xFF);
	assert_int_equal(m.ntlv, 1);
	assert_int_equal(gn_tlv_mgmt_decode(&m.tlv[0], &t, NULL), 0);
	assert_int_equal(t.id, GN_MGMT_DEFAULT_DATA_SET);
	assert_int_equal(t.data_len, 20);
	/* Per port, and the sequence moves on. */
	n = gn_mgmtc_build_get(&c, GN_MGMT_PORT_PROPERTIES_NP, 2, buf,
			       sizeof(buf));
	assert_int_equal(gn_msg_parse(buf, (size_t)n, &m), GN_WIRE_OK);
	assert_int_equal(m.h.sequence_id, 1);
	assert_int_equal(m.body.mgmt.target.port, 2);
	assert_int_equal(gn_tlv_mgmt_decode(&m.tlv[0], &t, NULL), 0);
	assert_int_equal(t.data_len, 14);
}

static void test_build_subscribe(void **state)
{
	struct gn_mgmtc c;
	uint8_t buf[GN_MAX_MSG_LEN];
	struct gn_msg m;
	struct gn_tlv_mgmt t;
	union gn_mgmt_data d;
	int n;

	(void)state;
	gn_mgmtc_init(&c, 0, 0, 7);
	n = gn_mgmtc_build_subscribe(&c, 30, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(gn_msg_parse(buf, (size_t)n, &m), GN_WIRE_OK);
	assert_int_equal(m.body.mgmt.action, GN_MGMT_SET);
	assert_int_equal(gn_tlv_mgmt_decode(&m.tlv[0], &t, NULL), 0);
	assert_int_equal(t.id, GN_MGMT_SUBSCRIBE_EVENTS_NP);
	assert_int_equal(gn_mgmt_decode(t.id, t.data, t.data_len, &d, NULL), 0);
	assert_int_equal(d.subscribe_events.duration_s, 30);
	assert_int_equal(d.subscribe_events.bitmask[0], 0x01);
	assert_int_equal(d.subscribe_events.bitmask[1], 0x00);
}

static void test_parse_responses(void **state)
{
	struct gn_mgmtc c;
	struct gn_mgmtc_msg out;
	union gn_mgmt_data d;
	uint8_t buf[GN_MAX_MSG_LEN];
	int n;

	(void)state;
	gn_mgmtc_init(&c, 0, 0, 7);
	memset(&d, 0, sizeof(d));
	d.default_ds.number_ports = 2;
	d.default_ds.identity = server_id;
	d.default_ds.priority1 = 128;
	d.default_ds.priority2 = 128;
	n = response(&server_id, 0, GN_MGMT_RESPONSE, GN_MGMT_DEFAULT_DATA_SET,
		     &d, false, buf, sizeof(buf));
	assert_int_equal(gn_mgmtc_parse(&c, buf, (size_t)n, &out), 0);
	assert_int_equal(out.id, GN_MGMT_DEFAULT_DATA_SET);
	assert_false(out.error);
	assert_int_equal(out.data.default_ds.number_ports, 2);
	assert_true(c.server_known);

	/* Another clock's answers are not ours. */
	memset(&d, 0, sizeof(d));
	d.time_properties_ds.current_utc_offset = 37;
	d.time_properties_ds.ptp_timescale = true;
	n = response(&other_id, 0, GN_MGMT_RESPONSE,
		     GN_MGMT_TIME_PROPERTIES_DATA_SET, &d, false, buf,
		     sizeof(buf));
	assert_int_equal(gn_mgmtc_parse(&c, buf, (size_t)n, &out), -ENOMSG);
	n = response(&server_id, 0, GN_MGMT_RESPONSE,
		     GN_MGMT_TIME_PROPERTIES_DATA_SET, &d, false, buf,
		     sizeof(buf));
	assert_int_equal(gn_mgmtc_parse(&c, buf, (size_t)n, &out), 0);
	assert_int_equal(out.data.time_properties_ds.current_utc_offset, 37);
	assert_true(out.data.time_properties_ds.ptp_timescale);
	/* Truncated by one octet, garbage, wrong domain, a request. */
	assert_int_equal(gn_mgmtc_parse(&c, buf, (size_t)n - 1, &out),
			 -EBADMSG);
	assert_int_equal(gn_mgmtc_parse(&c, (const uint8_t *)"hello", 5, &out),
			 -EBADMSG);
	n = response(&server_id, 3, GN_MGMT_RESPONSE,
		     GN_MGMT_TIME_PROPERTIES_DATA_SET, &d, false, buf,
		     sizeof(buf));
	assert_int_equal(gn_mgmtc_parse(&c, buf, (size_t)n, &out), -ENOMSG);
	n = response(&server_id, 0, GN_MGMT_GET,
		     GN_MGMT_TIME_PROPERTIES_DATA_SET, &d, false, buf,
		     sizeof(buf));
	assert_int_equal(gn_mgmtc_parse(&c, buf, (size_t)n, &out), -ENOMSG);

	/* An error status (linuxptp 3.1 has no PORT_HWCLOCK_NP). */
	n = response(&server_id, 0, GN_MGMT_RESPONSE, GN_MGMT_PORT_HWCLOCK_NP,
		     NULL, true, buf, sizeof(buf));
	assert_int_equal(gn_mgmtc_parse(&c, buf, (size_t)n, &out), 0);
	assert_true(out.error);
	assert_int_equal(out.error_id, GN_MGMT_ERR_NOT_SUPPORTED);
	assert_int_equal(out.id, GN_MGMT_PORT_HWCLOCK_NP);

	/* A port state notification. */
	memset(&d, 0, sizeof(d));
	d.port_ds.identity.clock = server_id;
	d.port_ds.identity.port = 2;
	d.port_ds.state = GN_PS_SLAVE;
	d.port_ds.version_number = 2;
	d.port_ds.delay_mechanism = 1;
	n = response(&server_id, 0, GN_MGMT_RESPONSE, GN_MGMT_PORT_DATA_SET, &d,
		     false, buf, sizeof(buf));
	assert_int_equal(gn_mgmtc_parse(&c, buf, (size_t)n, &out), 0);
	assert_int_equal(out.data.port_ds.identity.port, 2);
	assert_int_equal(out.data.port_ds.state, GN_PS_SLAVE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_build_get),
	    cmocka_unit_test(test_build_subscribe),
	    cmocka_unit_test(test_parse_responses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

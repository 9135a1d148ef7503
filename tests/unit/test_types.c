/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_types.c - primitive types: timestamp and TimeInterval conversions,
 * checked arithmetic, identities and their text form, log intervals, and
 * the data set helpers of dataset.c. Expected values are worked by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "dataset.h"
#include "types.h"
#include "wire.h"

static void test_timestamp_to_ns(void **state)
{
	struct gn_timestamp ts = {.sec = 1795293223, .nsec = 851253027};
	int64_t ns = 0;

	(void)state;
	assert_int_equal(gn_timestamp_to_ns(&ts, &ns), 0);
	assert_true(ns == 1795293223851253027LL);

	ts.sec = 0;
	ts.nsec = 999999999;
	assert_int_equal(gn_timestamp_to_ns(&ts, &ns), 0);
	assert_true(ns == 999999999LL);

	/* 9223372036.854775807 s is INT64_MAX ns exactly. */
	ts.sec = 9223372036ULL;
	ts.nsec = 854775807;
	assert_int_equal(gn_timestamp_to_ns(&ts, &ns), 0);
	assert_true(ns == INT64_MAX);
	ts.nsec = 854775808;
	assert_int_equal(gn_timestamp_to_ns(&ts, &ns), -ERANGE);
	ts.sec = 9223372037ULL;
	ts.nsec = 0;
	assert_int_equal(gn_timestamp_to_ns(&ts, &ns), -ERANGE);

	ts.sec = 1;
	ts.nsec = 1000000000;
	assert_int_equal(gn_timestamp_to_ns(&ts, &ns), -EINVAL);
	ts.sec = 1ULL << 48;
	ts.nsec = 0;
	assert_int_equal(gn_timestamp_to_ns(&ts, &ns), -EINVAL);
}

static void test_ns_to_timestamp(void **state)
{
	struct gn_timestamp ts;

	(void)state;
	assert_int_equal(gn_ns_to_timestamp(1795293223851253027LL, &ts), 0);
	assert_true(ts.sec == 1795293223ULL);
	assert_int_equal(ts.nsec, 851253027);
	assert_int_equal(gn_ns_to_timestamp(0, &ts), 0);
	assert_true(ts.sec == 0);
	assert_int_equal(ts.nsec, 0);
	assert_int_equal(gn_ns_to_timestamp(INT64_MAX, &ts), 0);
	assert_true(ts.sec == 9223372036ULL);
	assert_int_equal(ts.nsec, 854775807);
	assert_int_equal(gn_ns_to_timestamp(-1, &ts), -ERANGE);
}

static void test_ti(void **state)
{
	int64_t ns = 0;

	(void)state;
	/* 1.5 ns = 0x18000 rounds away from zero to 2. */
	assert_int_equal(gn_ti_to_ns(0x18000, &ns), 0);
	assert_true(ns == 2);
	assert_int_equal(gn_ti_to_ns(-0x18000, &ns), 0);
	assert_true(ns == -2);
	/* 1.4999 ns rounds to 1. */
	assert_int_equal(gn_ti_to_ns(0x17FFF, &ns), 0);
	assert_true(ns == 1);
	assert_int_equal(gn_ti_to_ns(-0x17FFF, &ns), 0);
	assert_true(ns == -1);
	assert_int_equal(gn_ti_to_ns(0, &ns), 0);
	assert_true(ns == 0);
	assert_int_equal(gn_ti_to_ns(1000LL << 16, &ns), 0);
	assert_true(ns == 1000);
	/* INT64_MIN / 2^16 = -2^47 exactly. */
	assert_int_equal(gn_ti_to_ns(INT64_MIN, &ns), 0);
	assert_true(ns == -(1LL << 47));
	assert_int_equal(gn_ti_to_ns(GN_TI_MAX, &ns), -ERANGE);
	/* GN_TI_MAX - 1 is a real value: (2^63 - 2) / 2^16 -> 2^47. */
	assert_int_equal(gn_ti_to_ns(GN_TI_MAX - 1, &ns), 0);
	assert_true(ns == (1LL << 47));

	assert_true(gn_ns_to_ti(1) == 65536);
	assert_true(gn_ns_to_ti(-3) == -196608);
	assert_true(gn_ns_to_ti(0) == 0);
	assert_true(gn_ns_to_ti(INT64_MAX / 65536) ==
		    (INT64_MAX / 65536) * 65536);
	assert_true(gn_ns_to_ti(INT64_MAX / 65536 + 1) == GN_TI_MAX);
	assert_true(gn_ns_to_ti(INT64_MIN / 65536) == INT64_MIN);
	assert_true(gn_ns_to_ti(INT64_MIN / 65536 - 1) == INT64_MIN + 1);
}

static void test_add_sub(void **state)
{
	int64_t r = 0;

	(void)state;
	assert_int_equal(gn_add_ns(5, -7, &r), 0);
	assert_true(r == -2);
	assert_int_equal(gn_add_ns(INT64_MAX, 0, &r), 0);
	assert_true(r == INT64_MAX);
	assert_int_equal(gn_add_ns(INT64_MAX, 1, &r), -ERANGE);
	assert_int_equal(gn_add_ns(INT64_MIN, -1, &r), -ERANGE);
	assert_int_equal(gn_add_ns(INT64_MIN, INT64_MAX, &r), 0);
	assert_true(r == -1);

	assert_int_equal(gn_sub_ns(5, 7, &r), 0);
	assert_true(r == -2);
	assert_int_equal(gn_sub_ns(INT64_MIN, 1, &r), -ERANGE);
	assert_int_equal(gn_sub_ns(INT64_MAX, -1, &r), -ERANGE);
	assert_int_equal(gn_sub_ns(0, INT64_MIN, &r), -ERANGE);
	assert_int_equal(gn_sub_ns(-1, INT64_MIN, &r), 0);
	assert_true(r == INT64_MAX);
	assert_int_equal(gn_sub_ns(INT64_MIN, -1, &r), 0);
	assert_true(r == INT64_MIN + 1);
}

static void test_identity_cmp(void **state)
{
	struct gn_port_identity a = {{{1, 2, 3, 4, 5, 6, 7, 8}}, 1};
	struct gn_port_identity b = a;

	(void)state;
	assert_int_equal(gn_clock_identity_cmp(&a.clock, &b.clock), 0);
	assert_true(gn_clock_identity_eq(&a.clock, &b.clock));
	assert_int_equal(gn_port_identity_cmp(&a, &b), 0);
	assert_true(gn_port_identity_eq(&a, &b));

	b.port = 2;
	assert_int_equal(gn_port_identity_cmp(&a, &b), -1);
	assert_int_equal(gn_port_identity_cmp(&b, &a), 1);
	assert_false(gn_port_identity_eq(&a, &b));

	/* The clock decides before the port number. */
	b.clock.id[7] = 7;
	assert_int_equal(gn_clock_identity_cmp(&a.clock, &b.clock), 1);
	assert_int_equal(gn_clock_identity_cmp(&b.clock, &a.clock), -1);
	assert_false(gn_clock_identity_eq(&a.clock, &b.clock));
	assert_int_equal(gn_port_identity_cmp(&a, &b), 1);
	assert_false(gn_port_identity_eq(&a, &b));
	/* Octets compare unsigned. */
	b = a;
	b.clock.id[0] = 0x81;
	assert_int_equal(gn_clock_identity_cmp(&a.clock, &b.clock), -1);
}

static void test_eui48(void **state)
{
	static const uint8_t mac[6] = {0x02, 0x00, 0x00, 0xaa, 0x00, 0x01};
	static const uint8_t want[8] = {0x02, 0x00, 0x00, 0xff,
					0xfe, 0xaa, 0x00, 0x01};
	struct gn_clock_identity id;

	(void)state;
	gn_clock_identity_from_eui48(mac, &id);
	assert_memory_equal(id.id, want, 8);
}

static void test_identity_str(void **state)
{
	struct gn_port_identity pid = {
	    {{0x02, 0x00, 0x00, 0xff, 0xfe, 0xaa, 0x00, 0x01}}, 1};
	char buf[32];

	(void)state;
	gn_clock_identity_str(&pid.clock, buf, sizeof(buf));
	assert_string_equal(buf, "020000.fffe.aa0001");
	gn_port_identity_str(&pid, buf, sizeof(buf));
	assert_string_equal(buf, "020000.fffe.aa0001-1");
	pid.port = 65535;
	pid.clock.id[0] = 0xAB;
	gn_port_identity_str(&pid, buf, 25);
	assert_string_equal(buf, "ab0000.fffe.aa0001-65535");
	pid.port = 0;
	gn_port_identity_str(&pid, buf, sizeof(buf));
	assert_string_equal(buf, "ab0000.fffe.aa0001-0");

	/* Too small buffers truncate and stay terminated. */
	memset(buf, 'x', sizeof(buf));
	gn_clock_identity_str(&pid.clock, buf, 7);
	assert_string_equal(buf, "ab0000");
	memset(buf, 'x', sizeof(buf));
	gn_port_identity_str(&pid, buf, 20);
	assert_string_equal(buf, "ab0000.fffe.aa0001-");
	memset(buf, 'x', sizeof(buf));
	gn_clock_identity_str(&pid.clock, buf, 1);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], 'x');
	gn_clock_identity_str(&pid.clock, buf, 0);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], 'x');
}

static void test_identity_parse(void **state)
{
	static const uint8_t want[8] = {0x02, 0x00, 0x00, 0xff,
					0xfe, 0xaa, 0x00, 0x01};
	struct gn_port_identity pid;

	(void)state;
	assert_int_equal(gn_port_identity_parse("020000.fffe.aa0001-1", &pid),
			 0);
	assert_memory_equal(pid.clock.id, want, 8);
	assert_int_equal(pid.port, 1);
	assert_int_equal(
	    gn_port_identity_parse("020000.FFFE.AA0001-65535", &pid), 0);
	assert_memory_equal(pid.clock.id, want, 8);
	assert_int_equal(pid.port, 65535);
	assert_int_equal(gn_port_identity_parse("Ab0000.fffe.aa0001-0", &pid),
			 0);
	assert_int_equal(pid.clock.id[0], 0xAB);
	assert_int_equal(pid.port, 0);

	pid.port = 77;
	assert_int_equal(
	    gn_port_identity_parse("020000.fffe.aa0001-65536", &pid), -EINVAL);
	assert_int_equal(pid.port, 77); /* untouched on failure */
	assert_int_equal(
	    gn_port_identity_parse("020000.fffe.aa0001-000001", &pid), -EINVAL);
	assert_int_equal(gn_port_identity_parse("020000.fffe.aa0001-", &pid),
			 -EINVAL);
	assert_int_equal(gn_port_identity_parse("020000.fffe.aa0001-1x", &pid),
			 -EINVAL);
	assert_int_equal(gn_port_identity_parse("020000.fffe.aa0001", &pid),
			 -EINVAL);
	assert_int_equal(gn_port_identity_parse("020000-fffe.aa0001-1", &pid),
			 -EINVAL);
	assert_int_equal(gn_port_identity_parse("020000.fffe-aa0001-1", &pid),
			 -EINVAL);
	assert_int_equal(gn_port_identity_parse("g20000.fffe.aa0001-1", &pid),
			 -EINVAL);
	assert_int_equal(gn_port_identity_parse("0g0000.fffe.aa0001-1", &pid),
			 -EINVAL);
	assert_int_equal(gn_port_identity_parse("02000.fffe.aa0001-1", &pid),
			 -EINVAL);
	assert_int_equal(gn_port_identity_parse("", &pid), -EINVAL);
}

static void test_log_interval(void **state)
{
	(void)state;
	assert_true(gn_log_interval_to_ns(0) == 1000000000LL);
	assert_true(gn_log_interval_to_ns(1) == 2000000000LL);
	assert_true(gn_log_interval_to_ns(4) == 16000000000LL);
	assert_true(gn_log_interval_to_ns(-1) == 500000000LL);
	assert_true(gn_log_interval_to_ns(-3) == 125000000LL);
	/* 1e9 / 2^7 = 7812500 exactly; 1e9 / 2^9 = 1953125. */
	assert_true(gn_log_interval_to_ns(-7) == 7812500LL);
	assert_true(gn_log_interval_to_ns(-9) == 1953125LL);
	/* 1e9 / 2^10 = 976562.5 rounds to 976563. */
	assert_true(gn_log_interval_to_ns(-10) == 976563LL);
	assert_true(gn_log_interval_to_ns(30) == 1073741824000000000LL);
	assert_true(gn_log_interval_to_ns(31) == 1073741824000000000LL);
	assert_true(gn_log_interval_to_ns(127) == 1073741824000000000LL);
	/* 1e9 / 2^30 = 0.93 rounds to 1, never 0. */
	assert_true(gn_log_interval_to_ns(-30) == 1);
	assert_true(gn_log_interval_to_ns(-31) == 1);
	assert_true(gn_log_interval_to_ns(-128) == 1);
}

static void test_port_state_str(void **state)
{
	(void)state;
	assert_string_equal(gn_port_state_str(GN_PS_INITIALIZING),
			    "INITIALIZING");
	assert_string_equal(gn_port_state_str(GN_PS_FAULTY), "FAULTY");
	assert_string_equal(gn_port_state_str(GN_PS_DISABLED), "DISABLED");
	assert_string_equal(gn_port_state_str(GN_PS_LISTENING), "LISTENING");
	assert_string_equal(gn_port_state_str(GN_PS_PRE_MASTER), "PRE_MASTER");
	assert_string_equal(gn_port_state_str(GN_PS_MASTER), "MASTER");
	assert_string_equal(gn_port_state_str(GN_PS_PASSIVE), "PASSIVE");
	assert_string_equal(gn_port_state_str(GN_PS_UNCALIBRATED),
			    "UNCALIBRATED");
	assert_string_equal(gn_port_state_str(GN_PS_SLAVE), "SLAVE");
	assert_string_equal(gn_port_state_str((enum gn_port_state)0),
			    "UNKNOWN");
	assert_string_equal(gn_port_state_str((enum gn_port_state)10),
			    "UNKNOWN");
	assert_string_equal(gn_port_state_str((enum gn_port_state) - 1),
			    "UNKNOWN");
}

static void test_time_properties_flags(void **state)
{
	struct gn_time_properties_ds tp;
	int bit;

	(void)state;
	memset(&tp, 0, sizeof(tp));
	assert_int_equal(gn_time_properties_flags(&tp), 0);
	tp.leap61 = true;
	assert_int_equal(gn_time_properties_flags(&tp), 0x01);
	tp.leap61 = false;
	tp.leap59 = true;
	assert_int_equal(gn_time_properties_flags(&tp), 0x02);
	tp.leap59 = false;
	tp.current_utc_offset_valid = true;
	assert_int_equal(gn_time_properties_flags(&tp), 0x04);
	tp.current_utc_offset_valid = false;
	tp.ptp_timescale = true;
	assert_int_equal(gn_time_properties_flags(&tp), 0x08);
	tp.ptp_timescale = false;
	tp.time_traceable = true;
	assert_int_equal(gn_time_properties_flags(&tp), 0x10);
	tp.time_traceable = false;
	tp.frequency_traceable = true;
	assert_int_equal(gn_time_properties_flags(&tp), 0x20);

	/* Every single bit maps back to itself; bits 6 and 7 are dropped. */
	for (bit = 0; bit < 8; bit++) {
		memset(&tp, 0, sizeof(tp));
		gn_time_properties_set_flags(&tp, (uint8_t)(1u << bit));
		assert_int_equal(gn_time_properties_flags(&tp),
				 bit < 6 ? (1u << bit) : 0);
	}
	gn_time_properties_set_flags(&tp, 0x3F);
	assert_true(tp.leap61 && tp.leap59 && tp.current_utc_offset_valid &&
		    tp.ptp_timescale && tp.time_traceable &&
		    tp.frequency_traceable);
	gn_time_properties_set_flags(&tp, 0);
	assert_false(tp.leap61 || tp.leap59 || tp.current_utc_offset_valid ||
		     tp.ptp_timescale || tp.time_traceable ||
		     tp.frequency_traceable);
	/* The same bits as flagField's low octet. */
	assert_int_equal(GN_FLAG_PTP_TIMESCALE, 0x08);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_timestamp_to_ns),
	    cmocka_unit_test(test_ns_to_timestamp),
	    cmocka_unit_test(test_ti),
	    cmocka_unit_test(test_add_sub),
	    cmocka_unit_test(test_identity_cmp),
	    cmocka_unit_test(test_eui48),
	    cmocka_unit_test(test_identity_str),
	    cmocka_unit_test(test_identity_parse),
	    cmocka_unit_test(test_log_interval),
	    cmocka_unit_test(test_port_state_str),
	    cmocka_unit_test(test_time_properties_flags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

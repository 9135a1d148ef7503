/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_mgmt.c - management dataField codecs: ptp4l's DEFAULT_DATA_SET
 * response from the golden captures, byte-exact encodings of every
 * supported id worked by hand (including linuxptp's little-endian
 * counters in PORT_STATS_NP), decode(encode(x)) == x, ns <-> scaled ns at
 * the wire, refusals, and the id/name tables pmc users rely on.
 * Wrong lengths for every id are in test_wire_bad.c.
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
#include "golden.h"

static const uint8_t gm_id[8] = {0x02, 0x00, 0x00, 0xff,
				 0xfe, 0xaa, 0x00, 0x01};
static const uint8_t id2[8] = {0x00, 0x1b, 0x21, 0xff, 0xfe, 0x12, 0x34, 0x56};

/* Encodes d as id, compares with want, decodes back into *out. */
static void check_codec(uint16_t id, const union gn_mgmt_data *d,
			const uint8_t *want, size_t want_len,
			union gn_mgmt_data *out)
{
	uint8_t buf[512];
	const char *reason = NULL;

	memset(buf, 0xEE, sizeof(buf));
	assert_int_equal(gn_mgmt_encode(id, d, buf, sizeof(buf)), want_len);
	assert_memory_equal(buf, want, want_len);
	assert_int_equal(gn_mgmt_encode(id, d, buf, want_len), want_len);
	if (want_len)
		assert_int_equal(gn_mgmt_encode(id, d, buf, want_len - 1),
				 -ENOSPC);
	assert_int_equal(gn_mgmt_decode(id, want, want_len, out, &reason), 0);
	assert_null(reason);
}

static void test_golden_default_ds(void **state)
{
	static const char *const names[] = {"ptp4l_mgmt_resp",
					    "ptp4l_mgmt_resp_udp"};
	uint8_t buf[GN_MAX_MSG_LEN], enc[32];
	const struct gn_default_ds *dds;
	union gn_mgmt_data d;
	struct gn_tlv_mgmt mg;
	struct gn_msg m;
	size_t i, n;

	(void)state;
	for (i = 0; i < 2; i++) {
		n = load_hex(names[i], buf, sizeof(buf));
		assert_int_equal(gn_msg_parse(buf, n, &m), GN_WIRE_OK);
		assert_int_equal(m.body.mgmt.action, GN_MGMT_RESPONSE);
		assert_int_equal(gn_tlv_mgmt_decode(&m.tlv[0], &mg, NULL), 0);
		assert_int_equal(mg.id, GN_MGMT_DEFAULT_DATA_SET);
		assert_int_equal(
		    gn_mgmt_decode(mg.id, mg.data, mg.data_len, &d, NULL), 0);
		dds = &d.default_ds;
		/* tshark -V: two step 1, slave only 0, ports 1, ... */
		assert_true(dds->two_step);
		assert_false(dds->slave_only);
		assert_int_equal(dds->number_ports, 1);
		assert_int_equal(dds->priority1, 128);
		assert_int_equal(dds->quality.clock_class, 248);
		assert_int_equal(dds->quality.clock_accuracy, 0xFE);
		assert_int_equal(dds->quality.offset_scaled_log_variance,
				 0xFFFF);
		assert_int_equal(dds->priority2, 128);
		assert_memory_equal(dds->identity.id, gm_id, 8);
		assert_int_equal(dds->domain, 0);
		assert_int_equal(gn_mgmt_encode(mg.id, &d, enc, sizeof(enc)),
				 20);
		assert_memory_equal(enc, mg.data, 20);
	}
}

static void test_data_sets(void **state)
{
	static const uint8_t want_dds[20] = {
	    0x02, 0x00, 0x00, 0x03, 0x07, 0x06, 0x21, 0x4e, 0x5d, 0xfe,
	    0x00, 0x1b, 0x21, 0xff, 0xfe, 0x12, 0x34, 0x56, 0x2c, 0x00};
	static const uint8_t want_cds[18] = {
	    0x01, 0x02,					    /* steps */
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0x00, 0x00, /* -2 ns */
	    0x00, 0x00, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, /* 1000 */
	};
	static const uint8_t want_pds[32] = {
	    0x00, 0x1b, 0x21, 0xff, 0xfe, 0x12, 0x34, 0x56, 0x00, 0x02, 0x01,
	    0x00, 0xab, 0xcd, 0xff, 0xff, 0xff, 0xf6, 0x05, 0x06, 0x21, 0x4e,
	    0x5d, 0x09, 0x02, 0x00, 0x00, 0xff, 0xfe, 0xaa, 0x00, 0x01};
	static const uint8_t want_tp[4] = {0x00, 0x25, 0x3c, 0x20};
	static const uint8_t want_port[26] = {
	    0x00, 0x1b, 0x21, 0xff, 0xfe, 0x12, 0x34, 0x56, 0x00,
	    0x01, 0x09, 0xfe, 0x00, 0x00, 0x00, 0x00, 0x00, 0x7b,
	    0x00, 0x00, 0x01, 0x03, 0xfd, 0x02, 0x00, 0x12};
	union gn_mgmt_data d, o;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.default_ds.two_step = false;
	d.default_ds.slave_only = true;
	d.default_ds.number_ports = 3;
	d.default_ds.priority1 = 7;
	d.default_ds.quality.clock_class = 6;
	d.default_ds.quality.clock_accuracy = 0x21;
	d.default_ds.quality.offset_scaled_log_variance = 0x4E5D;
	d.default_ds.priority2 = 254;
	memcpy(d.default_ds.identity.id, id2, 8);
	d.default_ds.domain = 44;
	check_codec(GN_MGMT_DEFAULT_DATA_SET, &d, want_dds, 20, &o);
	assert_false(o.default_ds.two_step);
	assert_true(o.default_ds.slave_only);
	assert_int_equal(o.default_ds.number_ports, 3);
	assert_int_equal(o.default_ds.priority1, 7);
	assert_int_equal(o.default_ds.quality.clock_class, 6);
	assert_int_equal(o.default_ds.quality.clock_accuracy, 0x21);
	assert_int_equal(o.default_ds.quality.offset_scaled_log_variance,
			 0x4E5D);
	assert_int_equal(o.default_ds.priority2, 254);
	assert_memory_equal(o.default_ds.identity.id, id2, 8);
	assert_int_equal(o.default_ds.domain, 44);

	memset(&d, 0, sizeof(d));
	d.current_ds.steps_removed = 0x0102;
	d.current_ds.offset_from_master_ns = -2;
	d.current_ds.mean_path_delay_ns = 1000;
	check_codec(GN_MGMT_CURRENT_DATA_SET, &d, want_cds, 18, &o);
	assert_int_equal(o.current_ds.steps_removed, 0x0102);
	assert_true(o.current_ds.offset_from_master_ns == -2);
	assert_true(o.current_ds.mean_path_delay_ns == 1000);

	memset(&d, 0, sizeof(d));
	memcpy(d.parent_ds.parent_port.clock.id, id2, 8);
	d.parent_ds.parent_port.port = 2;
	d.parent_ds.parent_stats = true;
	d.parent_ds.observed_parent_offset_scaled_log_variance = 0xABCD;
	d.parent_ds.observed_parent_clock_phase_change_rate = -10;
	d.parent_ds.gm_priority1 = 5;
	d.parent_ds.gm_quality.clock_class = 6;
	d.parent_ds.gm_quality.clock_accuracy = 0x21;
	d.parent_ds.gm_quality.offset_scaled_log_variance = 0x4E5D;
	d.parent_ds.gm_priority2 = 9;
	memcpy(d.parent_ds.gm_identity.id, gm_id, 8);
	check_codec(GN_MGMT_PARENT_DATA_SET, &d, want_pds, 32, &o);
	assert_memory_equal(o.parent_ds.parent_port.clock.id, id2, 8);
	assert_int_equal(o.parent_ds.parent_port.port, 2);
	assert_true(o.parent_ds.parent_stats);
	assert_int_equal(o.parent_ds.observed_parent_offset_scaled_log_variance,
			 0xABCD);
	assert_int_equal(o.parent_ds.observed_parent_clock_phase_change_rate,
			 -10);
	assert_int_equal(o.parent_ds.gm_priority1, 5);
	assert_int_equal(o.parent_ds.gm_quality.clock_class, 6);
	assert_int_equal(o.parent_ds.gm_priority2, 9);
	assert_memory_equal(o.parent_ds.gm_identity.id, gm_id, 8);

	memset(&d, 0, sizeof(d));
	d.time_properties_ds.current_utc_offset = 37;
	d.time_properties_ds.current_utc_offset_valid = true;
	d.time_properties_ds.ptp_timescale = true;
	d.time_properties_ds.time_traceable = true;
	d.time_properties_ds.frequency_traceable = true;
	d.time_properties_ds.time_source = 0x20;
	check_codec(GN_MGMT_TIME_PROPERTIES_DATA_SET, &d, want_tp, 4, &o);
	assert_int_equal(o.time_properties_ds.current_utc_offset, 37);
	assert_true(o.time_properties_ds.current_utc_offset_valid);
	assert_true(o.time_properties_ds.ptp_timescale);
	assert_true(o.time_properties_ds.time_traceable);
	assert_true(o.time_properties_ds.frequency_traceable);
	assert_false(o.time_properties_ds.leap59);
	assert_false(o.time_properties_ds.leap61);
	assert_int_equal(o.time_properties_ds.time_source, 0x20);

	memset(&d, 0, sizeof(d));
	memcpy(d.port_ds.identity.clock.id, id2, 8);
	d.port_ds.identity.port = 1;
	d.port_ds.state = GN_PS_SLAVE;
	d.port_ds.log_min_delay_req_interval = -2;
	d.port_ds.peer_mean_path_delay_ns = 123;
	d.port_ds.log_announce_interval = 1;
	d.port_ds.announce_receipt_timeout = 3;
	d.port_ds.log_sync_interval = -3;
	d.port_ds.delay_mechanism = GN_DM_P2P;
	d.port_ds.log_min_pdelay_req_interval = 0;
	d.port_ds.version_number = 0x12;
	check_codec(GN_MGMT_PORT_DATA_SET, &d, want_port, 26, &o);
	assert_memory_equal(o.port_ds.identity.clock.id, id2, 8);
	assert_int_equal(o.port_ds.identity.port, 1);
	assert_int_equal(o.port_ds.state, GN_PS_SLAVE);
	assert_int_equal(o.port_ds.log_min_delay_req_interval, -2);
	assert_true(o.port_ds.peer_mean_path_delay_ns == 123);
	assert_int_equal(o.port_ds.log_announce_interval, 1);
	assert_int_equal(o.port_ds.announce_receipt_timeout, 3);
	assert_int_equal(o.port_ds.log_sync_interval, -3);
	assert_int_equal(o.port_ds.delay_mechanism, GN_DM_P2P);
	assert_int_equal(o.port_ds.log_min_pdelay_req_interval, 0);
	assert_int_equal(o.port_ds.version_number, 0x12);
}

/* TimeInterval at the wire: rounding, and "too big" both ways. */
static void test_time_interval_fields(void **state)
{
	uint8_t cds[18] = {0};
	uint8_t buf[18];
	union gn_mgmt_data d;

	(void)state;
	/* offset 1.5 ns -> 2, delay -0.49 ns -> 0 */
	gn_put64(cds + 2, 0x18000);
	gn_put64(cds + 10, (uint64_t)-0x7D70LL);
	assert_int_equal(
	    gn_mgmt_decode(GN_MGMT_CURRENT_DATA_SET, cds, 18, &d, NULL), 0);
	assert_true(d.current_ds.offset_from_master_ns == 2);
	assert_true(d.current_ds.mean_path_delay_ns == 0);
	/* GN_TI_MAX <-> INT64_MAX */
	gn_put64(cds + 2, (uint64_t)GN_TI_MAX);
	assert_int_equal(
	    gn_mgmt_decode(GN_MGMT_CURRENT_DATA_SET, cds, 18, &d, NULL), 0);
	assert_true(d.current_ds.offset_from_master_ns == INT64_MAX);
	assert_int_equal(
	    gn_mgmt_encode(GN_MGMT_CURRENT_DATA_SET, &d, buf, sizeof(buf)), 18);
	assert_true(gn_get64(buf + 2) == (uint64_t)GN_TI_MAX);
	/* values too big for TimeInterval saturate */
	d.current_ds.offset_from_master_ns = INT64_MAX - 1;
	d.current_ds.mean_path_delay_ns = INT64_MIN;
	assert_int_equal(
	    gn_mgmt_encode(GN_MGMT_CURRENT_DATA_SET, &d, buf, sizeof(buf)), 18);
	assert_true(gn_get64(buf + 2) == (uint64_t)GN_TI_MAX);
	assert_true(gn_get64(buf + 10) == (uint64_t)(INT64_MIN + 1));
}

static void test_octet_and_empty_ids(void **state)
{
	static const uint16_t octet_ids[] = {
	    GN_MGMT_PRIORITY1,
	    GN_MGMT_PRIORITY2,
	    GN_MGMT_DOMAIN,
	    GN_MGMT_SLAVE_ONLY,
	    GN_MGMT_CLOCK_ACCURACY,
	    GN_MGMT_TRACEABILITY_PROPERTIES,
	    GN_MGMT_TIMESCALE_PROPERTIES,
	    GN_MGMT_SYNCHRONIZATION_UNCERTAIN_NP,
	    GN_MGMT_LOG_ANNOUNCE_INTERVAL,
	    GN_MGMT_ANNOUNCE_RECEIPT_TIMEOUT,
	    GN_MGMT_LOG_SYNC_INTERVAL,
	    GN_MGMT_VERSION_NUMBER,
	    GN_MGMT_MASTER_ONLY,
	    GN_MGMT_DELAY_MECHANISM,
	    GN_MGMT_LOG_MIN_PDELAY_REQ_INTERVAL,
	};
	static const uint16_t empty_ids[] = {
	    GN_MGMT_NULL_MANAGEMENT,
	    GN_MGMT_ENABLE_PORT,
	    GN_MGMT_DISABLE_PORT,
	    GN_MGMT_SAVE_IN_NON_VOLATILE_STORAGE,
	    GN_MGMT_RESET_NON_VOLATILE_STORAGE,
	    GN_MGMT_FAULT_LOG_RESET,
	};
	uint8_t want[2] = {0, 0}, buf[4];
	union gn_mgmt_data d, o;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(octet_ids) / sizeof(octet_ids[0]); i++) {
		memset(&d, 0, sizeof(d));
		d.u8 = (uint8_t)(0xF0 + i); /* e.g. a negative log interval */
		want[0] = d.u8;
		check_codec(octet_ids[i], &d, want, 2, &o);
		assert_int_equal(o.u8, 0xF0 + i);
		assert_true(gn_mgmt_has_codec(octet_ids[i]));
	}
	/* the reserved octet is ignored on receive */
	want[1] = 0x55;
	assert_int_equal(gn_mgmt_decode(GN_MGMT_PRIORITY1, want, 2, &o, NULL),
			 0);
	assert_int_equal(o.u8, want[0]);

	for (i = 0; i < sizeof(empty_ids) / sizeof(empty_ids[0]); i++) {
		assert_int_equal(gn_mgmt_encode(empty_ids[i], &d, buf, 0), 0);
		assert_int_equal(gn_mgmt_decode(empty_ids[i], buf, 0, &o, NULL),
				 0);
		assert_true(gn_mgmt_has_codec(empty_ids[i]));
	}
}

static void test_time(void **state)
{
	static const uint8_t want[10] = {0x00, 0x00, 0x65, 0x5f, 0x5f,
					 0x80, 0x3b, 0x9a, 0xc9, 0xff};
	uint8_t buf[16];
	union gn_mgmt_data d, o;
	const char *reason = NULL;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.time.sec = 1700749184; /* 0x655F5F80 */
	d.time.nsec = 999999999;
	check_codec(GN_MGMT_TIME, &d, want, 10, &o);
	assert_true(o.time.sec == 1700749184ULL);
	assert_int_equal(o.time.nsec, 999999999);

	d.time.nsec = 1000000000;
	assert_int_equal(gn_mgmt_encode(GN_MGMT_TIME, &d, buf, sizeof(buf)),
			 -EINVAL);
	d.time.nsec = 0;
	d.time.sec = 1ULL << 48;
	assert_int_equal(gn_mgmt_encode(GN_MGMT_TIME, &d, buf, sizeof(buf)),
			 -EINVAL);
	memcpy(buf, want, 10);
	gn_put32(buf + 6, 1000000000);
	assert_int_equal(gn_mgmt_decode(GN_MGMT_TIME, buf, 10, &o, &reason),
			 -EINVAL);
	assert_string_equal(reason, "TIME nanoseconds >= 1e9");
	assert_int_equal(gn_mgmt_error_id(-EINVAL), GN_MGMT_ERR_WRONG_VALUE);
	assert_int_equal(gn_mgmt_decode(GN_MGMT_TIME, buf, 10, &o, NULL),
			 -EINVAL);
}

static void test_np_ids(void **state)
{
	static const uint8_t want_ts[50] = {
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x85, /* -123 */
	    0x17, 0x9a, 0x46, 0x5f, 0x34, 0x5b, 0x00, 0x00, /* ingress */
	    0x00, 0x00, 0x10, 0x00,			    /* csro */
	    0xff, 0xff, 0xff, 0xfe,			    /* slgpc */
	    0x00, 0x07,					    /* gmtbi */
	    0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	    0x00, 0x02, 0x00, 0x03, /* lastGmPhaseChange */
	    0x00, 0x00, 0x00, 0x01, /* gmPresent */
	    0x02, 0x00, 0x00, 0xff, 0xfe, 0xaa, 0x00, 0x01,
	};
	static const uint8_t want_gs[8] = {0x06, 0x21, 0x4e, 0x5d,
					   0x00, 0x25, 0x0c, 0x20};
	static const uint8_t want_pdsnp[8] = {0x00, 0x00, 0x03, 0x20,
					      0x00, 0x00, 0x00, 0x01};
	static const uint8_t want_hw[16] = {0x00, 0x1b, 0x21, 0xff, 0xfe, 0x12,
					    0x34, 0x56, 0x00, 0x01, 0xff, 0xff,
					    0xff, 0xff, 0x01, 0x00};
	uint8_t want_sub[66];
	union gn_mgmt_data d, o;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.time_status.master_offset_ns = -123;
	d.time_status.ingress_time_ns = 1700749184000000000LL;
	d.time_status.cumulative_scaled_rate_offset = 0x1000;
	d.time_status.scaled_last_gm_phase_change = -2;
	d.time_status.gm_time_base_indicator = 7;
	d.time_status.last_gm_phase_change.ns_msb = 1;
	d.time_status.last_gm_phase_change.ns_lsb = 2;
	d.time_status.last_gm_phase_change.frac_ns = 3;
	d.time_status.gm_present = 1;
	memcpy(d.time_status.gm_identity.id, gm_id, 8);
	check_codec(GN_MGMT_TIME_STATUS_NP, &d, want_ts, 50, &o);
	assert_true(o.time_status.master_offset_ns == -123);
	assert_true(o.time_status.ingress_time_ns == 1700749184000000000LL);
	assert_int_equal(o.time_status.cumulative_scaled_rate_offset, 0x1000);
	assert_int_equal(o.time_status.scaled_last_gm_phase_change, -2);
	assert_int_equal(o.time_status.gm_time_base_indicator, 7);
	assert_int_equal(o.time_status.last_gm_phase_change.ns_msb, 1);
	assert_true(o.time_status.last_gm_phase_change.ns_lsb == 2);
	assert_int_equal(o.time_status.last_gm_phase_change.frac_ns, 3);
	assert_int_equal(o.time_status.gm_present, 1);
	assert_memory_equal(o.time_status.gm_identity.id, gm_id, 8);

	memset(&d, 0, sizeof(d));
	d.gm_settings.quality.clock_class = 6;
	d.gm_settings.quality.clock_accuracy = 0x21;
	d.gm_settings.quality.offset_scaled_log_variance = 0x4E5D;
	d.gm_settings.utc_offset = 37;
	d.gm_settings.time_flags = 0x0C;
	d.gm_settings.time_source = 0x20;
	check_codec(GN_MGMT_GRANDMASTER_SETTINGS_NP, &d, want_gs, 8, &o);
	assert_int_equal(o.gm_settings.quality.clock_class, 6);
	assert_int_equal(o.gm_settings.quality.offset_scaled_log_variance,
			 0x4E5D);
	assert_int_equal(o.gm_settings.utc_offset, 37);
	assert_int_equal(o.gm_settings.time_flags, 0x0C);
	assert_int_equal(o.gm_settings.time_source, 0x20);

	memset(&d, 0, sizeof(d));
	d.port_ds_np.neighbor_prop_delay_thresh_ns = 800;
	d.port_ds_np.as_capable = 1;
	check_codec(GN_MGMT_PORT_DATA_SET_NP, &d, want_pdsnp, 8, &o);
	assert_int_equal(o.port_ds_np.neighbor_prop_delay_thresh_ns, 800);
	assert_int_equal(o.port_ds_np.as_capable, 1);

	memset(&d, 0, sizeof(d));
	memset(want_sub, 0, sizeof(want_sub));
	d.subscribe_events.duration_s = 180;
	d.subscribe_events.bitmask[0] =
	    1u << GN_NOTIFY_PORT_STATE | 1u << GN_NOTIFY_TIME_SYNC;
	d.subscribe_events.bitmask[63] = 0x80;
	want_sub[1] = 180;
	want_sub[2] = 0x03;
	want_sub[65] = 0x80;
	check_codec(GN_MGMT_SUBSCRIBE_EVENTS_NP, &d, want_sub, 66, &o);
	assert_int_equal(o.subscribe_events.duration_s, 180);
	assert_int_equal(o.subscribe_events.bitmask[0], 3);
	assert_int_equal(o.subscribe_events.bitmask[63], 0x80);

	memset(&d, 0, sizeof(d));
	memcpy(d.port_hwclock.identity.clock.id, id2, 8);
	d.port_hwclock.identity.port = 1;
	d.port_hwclock.phc_index = -1;
	d.port_hwclock.flags = GN_PORT_HWCLOCK_VCLOCK;
	check_codec(GN_MGMT_PORT_HWCLOCK_NP, &d, want_hw, 16, &o);
	assert_int_equal(o.port_hwclock.identity.port, 1);
	assert_int_equal(o.port_hwclock.phc_index, -1);
	assert_int_equal(o.port_hwclock.flags, 1);
}

/* Every length but want is refused with -EBADMSG (WRONG_LENGTH). */
static void check_only_length(uint16_t id, size_t want)
{
	static const uint8_t zero[64];
	static const long deltas[] = {-2, -1, 1, 2, 8};
	union gn_mgmt_data d;
	const char *reason;
	size_t j;
	long len;

	assert_int_equal(gn_mgmt_decode(id, zero, want, &d, NULL), 0);
	for (j = 0; j < sizeof(deltas) / sizeof(deltas[0]); j++) {
		len = (long)want + deltas[j];
		reason = NULL;
		assert_int_equal(
		    gn_mgmt_decode(id, zero, (size_t)len, &d, &reason),
		    -EBADMSG);
		assert_non_null(reason);
	}
}

/*
 * The ids added for linuxptp-testsuite 20-pmc, byte for byte as ptp4l
 * sends them (tlv.c of linuxptp 4.4+): alternate time offsets, power
 * profile, CMLDS info, external grandmaster and port corrections, the
 * last little-endian as linuxptp puts it on the wire.
 */
static void test_testsuite_np_ids(void **state)
{
	static const uint8_t want_en[2] = {0x03, 0x01};
	static const uint8_t want_name[6] = {0x03, 0x03, 'C', 'E', 'T', 0x00};
	static const uint8_t want_name4[6] = {0x00, 0x04, 'C', 'E', 'S', 'T'};
	static const uint8_t want_props[16] = {
	    0x03,				/* keyField */
	    0x00, 0x00, 0x8c, 0xa0,		/* currentOffset 36000 */
	    0xff, 0xff, 0xf1, 0xf0,		/* jumpSeconds -3600 */
	    0x00, 0x01, 0x65, 0xa0, 0xbc, 0x00, /* 6000000000 */
	    0x00,				/* pad */
	};
	static const uint8_t want_pwr[16] = {
	    0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x64,
	    0x00, 0x00, 0x00, 0x64, 0x00, 0x00, 0x00, 0xc8,
	};
	static const uint8_t want_pwr_default[16] = {
	    0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};
	static const uint8_t want_cmlds[16] = {
	    0x00, 0x00, 0x00, 0x00, 0x05, 0xdc, 0x00, 0x00, /* 1500 ns */
	    0xff, 0xff, 0xfc, 0x18,			    /* -1000 */
	    0x00, 0x00, 0x00, 0x01,			    /* asCapable */
	};
	static const uint8_t want_egm[10] = {0x12, 0x34, 0x56, 0x78, 0x90,
					     0xab, 0xcd, 0xef, 0x00, 0x63};
	static const uint8_t want_corr[24] = {
	    0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, /* 10 << 16 */
	    0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, /* 20 << 16 */
	    0x00, 0x00, 0xe2, 0xff, 0xff, 0xff, 0xff, 0xff, /* -30 << 16 */
	};
	static const uint8_t bad_name_runs_over[6] = {0x03, 0x05, 'C',
						      'E',  'T',  0x00};
	static const uint8_t name_extra_pad[8] = {0x03, 0x03, 'C',  'E',
						  'T',	0x00, 0x00, 0x00};
	static const uint8_t en_high_bits[2] = {0x02, 0xfe};
	union gn_mgmt_data d, o;
	uint8_t buf[32];

	(void)state;
	memset(&d, 0, sizeof(d));
	d.ato_enable.key = 3;
	d.ato_enable.enable = 1;
	check_codec(GN_MGMT_ALTERNATE_TIME_OFFSET_ENABLE, &d, want_en, 2, &o);
	assert_int_equal(o.ato_enable.key, 3);
	assert_int_equal(o.ato_enable.enable, 1);
	/* Only bit 0 of the second octet is the flag. */
	assert_int_equal(gn_mgmt_decode(GN_MGMT_ALTERNATE_TIME_OFFSET_ENABLE,
					en_high_bits, 2, &o, NULL),
			 0);
	assert_int_equal(o.ato_enable.key, 2);
	assert_int_equal(o.ato_enable.enable, 0);

	memset(&d, 0, sizeof(d));
	d.ato_name.key = 3;
	gn_mgmt_text_set(&d.ato_name.name, "CET");
	check_codec(GN_MGMT_ALTERNATE_TIME_OFFSET_NAME, &d, want_name, 6, &o);
	assert_int_equal(o.ato_name.key, 3);
	assert_int_equal(o.ato_name.name.len, 3);
	assert_string_equal(o.ato_name.name.text, "CET");
	d.ato_name.key = 0;
	gn_mgmt_text_set(&d.ato_name.name, "CEST");
	check_codec(GN_MGMT_ALTERNATE_TIME_OFFSET_NAME, &d, want_name4, 6, &o);
	assert_string_equal(o.ato_name.name.text, "CEST");
	gn_mgmt_text_set(&d.ato_name.name, "");
	assert_int_equal(gn_mgmt_encode(GN_MGMT_ALTERNATE_TIME_OFFSET_NAME, &d,
					buf, sizeof(buf)),
			 2);
	assert_int_equal(buf[1], 0);
	assert_int_equal(gn_mgmt_decode(GN_MGMT_ALTERNATE_TIME_OFFSET_NAME,
					want_name, 1, &o, NULL),
			 -EBADMSG);
	assert_int_equal(gn_mgmt_decode(GN_MGMT_ALTERNATE_TIME_OFFSET_NAME,
					bad_name_runs_over, 6, &o, NULL),
			 -EBADMSG);
	assert_int_equal(gn_mgmt_decode(GN_MGMT_ALTERNATE_TIME_OFFSET_NAME,
					name_extra_pad, 8, &o, NULL),
			 -EBADMSG);
	assert_int_equal(gn_mgmt_decode(GN_MGMT_ALTERNATE_TIME_OFFSET_NAME,
					want_name, 5, &o, NULL),
			 -EBADMSG);

	memset(&d, 0, sizeof(d));
	d.ato_properties.key = 3;
	d.ato_properties.current_offset_s = 36000;
	d.ato_properties.jump_seconds_s = -3600;
	d.ato_properties.time_of_next_jump_s = 6000000000ULL;
	check_codec(GN_MGMT_ALTERNATE_TIME_OFFSET_PROPERTIES, &d, want_props,
		    16, &o);
	assert_int_equal(o.ato_properties.key, 3);
	assert_int_equal(o.ato_properties.current_offset_s, 36000);
	assert_int_equal(o.ato_properties.jump_seconds_s, -3600);
	assert_true(o.ato_properties.time_of_next_jump_s == 6000000000ULL);
	d.ato_properties.time_of_next_jump_s = 1ULL << 48; /* 49 bits */
	assert_int_equal(
	    gn_mgmt_encode(GN_MGMT_ALTERNATE_TIME_OFFSET_PROPERTIES, &d, buf,
			   sizeof(buf)),
	    -EINVAL);

	memset(&d, 0, sizeof(d));
	d.power_profile.version = 2;
	d.power_profile.grandmaster_id = 1;
	d.power_profile.grandmaster_time_inaccuracy_ns = 100;
	d.power_profile.network_time_inaccuracy_ns = 100;
	d.power_profile.total_time_inaccuracy_ns = 200;
	check_codec(GN_MGMT_POWER_PROFILE_SETTINGS_NP, &d, want_pwr, 16, &o);
	assert_int_equal(o.power_profile.version, 2);
	assert_int_equal(o.power_profile.grandmaster_id, 1);
	assert_int_equal(o.power_profile.grandmaster_time_inaccuracy_ns, 100);
	assert_int_equal(o.power_profile.network_time_inaccuracy_ns, 100);
	assert_int_equal(o.power_profile.total_time_inaccuracy_ns, 200);
	memset(&d, 0, sizeof(d));
	d.power_profile.grandmaster_time_inaccuracy_ns = 0xFFFFFFFF;
	d.power_profile.network_time_inaccuracy_ns = 0xFFFFFFFF;
	d.power_profile.total_time_inaccuracy_ns = 0xFFFFFFFF;
	check_codec(GN_MGMT_POWER_PROFILE_SETTINGS_NP, &d, want_pwr_default, 16,
		    &o);
	assert_true(o.power_profile.total_time_inaccuracy_ns == 4294967295U);

	memset(&d, 0, sizeof(d));
	d.cmlds_info.mean_link_delay_ns = 1500;
	d.cmlds_info.scaled_neighbor_rate_ratio = -1000;
	d.cmlds_info.as_capable = 1;
	check_codec(GN_MGMT_CMLDS_INFO_NP, &d, want_cmlds, 16, &o);
	assert_int_equal(o.cmlds_info.mean_link_delay_ns, 1500);
	assert_int_equal(o.cmlds_info.scaled_neighbor_rate_ratio, -1000);
	assert_int_equal(o.cmlds_info.as_capable, 1);

	memset(&d, 0, sizeof(d));
	memcpy(d.ext_gm.gm_identity.id, want_egm, 8);
	d.ext_gm.steps_removed = 99;
	check_codec(GN_MGMT_EXTERNAL_GRANDMASTER_PROPERTIES_NP, &d, want_egm,
		    10, &o);
	assert_memory_equal(o.ext_gm.gm_identity.id, want_egm, 8);
	assert_int_equal(o.ext_gm.steps_removed, 99);

	memset(&d, 0, sizeof(d));
	d.port_corrections.egress_latency_ns = 10;
	d.port_corrections.ingress_latency_ns = 20;
	d.port_corrections.delay_asymmetry_ns = -30;
	check_codec(GN_MGMT_PORT_CORRECTIONS_NP, &d, want_corr, 24, &o);
	assert_int_equal(o.port_corrections.egress_latency_ns, 10);
	assert_int_equal(o.port_corrections.ingress_latency_ns, 20);
	assert_int_equal(o.port_corrections.delay_asymmetry_ns, -30);

	check_only_length(GN_MGMT_ALTERNATE_TIME_OFFSET_ENABLE, 2);
	check_only_length(GN_MGMT_ALTERNATE_TIME_OFFSET_PROPERTIES, 16);
	check_only_length(GN_MGMT_POWER_PROFILE_SETTINGS_NP, 16);
	check_only_length(GN_MGMT_CMLDS_INFO_NP, 16);
	check_only_length(GN_MGMT_EXTERNAL_GRANDMASTER_PROPERTIES_NP, 10);
	check_only_length(GN_MGMT_PORT_CORRECTIONS_NP, 24);
	assert_true(gn_mgmt_has_codec(GN_MGMT_ALTERNATE_TIME_OFFSET_NAME));
	assert_false(gn_mgmt_has_codec(GN_MGMT_ALTERNATE_TIME_OFFSET_MAX_KEY));
}

static void test_port_properties(void **state)
{
	static const uint8_t want_odd[18] = {
	    0x00, 0x1b, 0x21, 0xff, 0xfe, 0x12, 0x34, 0x56, 0x00,
	    0x01, 0x09, 0x00, 0x04, 'e',  't',	'h',  '0',  0x00};
	union gn_mgmt_data d, o;

	(void)state;
	memset(&d, 0, sizeof(d));
	memcpy(d.port_properties.identity.clock.id, id2, 8);
	d.port_properties.identity.port = 1;
	d.port_properties.port_state = GN_PS_SLAVE;
	d.port_properties.timestamping = GN_TIMESTAMPING_SOFTWARE;
	d.port_properties.iface_len = 4;
	memcpy(d.port_properties.iface, "eth0", 4);
	check_codec(GN_MGMT_PORT_PROPERTIES_NP, &d, want_odd, 18, &o);
	assert_int_equal(o.port_properties.identity.port, 1);
	assert_int_equal(o.port_properties.port_state, GN_PS_SLAVE);
	assert_int_equal(o.port_properties.timestamping, 0);
	assert_int_equal(o.port_properties.iface_len, 4);
	assert_string_equal(o.port_properties.iface, "eth0");

	d.port_properties.port_state = GN_PS_MASTER;
	d.port_properties.timestamping = GN_TIMESTAMPING_HARDWARE;
	d.port_properties.iface_len = 6;
	memcpy(d.port_properties.iface, "enp0s1", 6);
	/* 13 + 6 = 19 octets, padded to 20 */
	check_codec(GN_MGMT_PORT_PROPERTIES_NP, &d,
		    (const uint8_t[20]){0x00, 0x1b, 0x21, 0xff, 0xfe,
					0x12, 0x34, 0x56, 0x00, 0x01,
					0x06, 0x01, 0x06, 'e',	'n',
					'p',  '0',  's',  '1',	0x00},
		    20, &o);
	assert_string_equal(o.port_properties.iface, "enp0s1");
	assert_int_equal(o.port_properties.iface_len, 6);
	/* an empty name: 13 -> 14 */
	d.port_properties.iface_len = 0;
	assert_int_equal(gn_mgmt_encode(GN_MGMT_PORT_PROPERTIES_NP, &d,
					(uint8_t[14]){0}, 14),
			 14);
}

static void test_port_stats(void **state)
{
	uint8_t want[266], want_svc[90];
	union gn_mgmt_data d, o;
	int i;

	(void)state;
	memset(&d, 0, sizeof(d));
	memset(want, 0, sizeof(want));
	memcpy(d.port_stats.identity.clock.id, id2, 8);
	d.port_stats.identity.port = 0x0102;
	memcpy(want, id2, 8);
	want[8] = 0x01;
	want[9] = 0x02; /* port number: network order */
	d.port_stats.rx[0] = 0x0102030405060708ULL;
	d.port_stats.tx[15] = 0xA1;
	/* counters: little-endian, as linuxptp sends them */
	want[10] = 0x08;
	want[11] = 0x07;
	want[12] = 0x06;
	want[13] = 0x05;
	want[14] = 0x04;
	want[15] = 0x03;
	want[16] = 0x02;
	want[17] = 0x01;
	want[10 + 8 * 31] = 0xA1;
	check_codec(GN_MGMT_PORT_STATS_NP, &d, want, 266, &o);
	assert_int_equal(o.port_stats.identity.port, 0x0102);
	assert_true(o.port_stats.rx[0] == 0x0102030405060708ULL);
	assert_true(o.port_stats.tx[15] == 0xA1);
	for (i = 1; i < GN_MGMT_MSG_TYPES; i++)
		assert_true(o.port_stats.rx[i] == 0);

	memset(&d, 0, sizeof(d));
	memset(want_svc, 0, sizeof(want_svc));
	d.port_service_stats.identity.port = 1;
	want_svc[9] = 1;
	d.port_service_stats.announce_timeout = 1;
	d.port_service_stats.sync_timeout = 2;
	d.port_service_stats.delay_timeout = 3;
	d.port_service_stats.unicast_service_timeout = 4;
	d.port_service_stats.unicast_request_timeout = 5;
	d.port_service_stats.master_announce_timeout = 6;
	d.port_service_stats.master_sync_timeout = 7;
	d.port_service_stats.qualification_timeout = 8;
	d.port_service_stats.sync_mismatch = 9;
	d.port_service_stats.followup_mismatch = 0x100;
	for (i = 0; i < 9; i++)
		want_svc[10 + 8 * i] = (uint8_t)(i + 1);
	want_svc[10 + 8 * 9 + 1] = 0x01; /* 0x100 little-endian */
	check_codec(GN_MGMT_PORT_SERVICE_STATS_NP, &d, want_svc, 90, &o);
	assert_true(o.port_service_stats.announce_timeout == 1);
	assert_true(o.port_service_stats.sync_timeout == 2);
	assert_true(o.port_service_stats.delay_timeout == 3);
	assert_true(o.port_service_stats.unicast_service_timeout == 4);
	assert_true(o.port_service_stats.unicast_request_timeout == 5);
	assert_true(o.port_service_stats.master_announce_timeout == 6);
	assert_true(o.port_service_stats.master_sync_timeout == 7);
	assert_true(o.port_service_stats.qualification_timeout == 8);
	assert_true(o.port_service_stats.sync_mismatch == 9);
	assert_true(o.port_service_stats.followup_mismatch == 0x100);
}

static void test_unicast_master_table(void **state)
{
	static const uint8_t want[2 + 26 + 28] = {
	    0x00, 0x02,
	    /* entry 1: IPv4 */
	    0x00, 0x1b, 0x21, 0xff, 0xfe, 0x12, 0x34, 0x56, 0x00, 0x01, 0x06,
	    0x21, 0x4e, 0x5d, 0x01, 0x09, 0x80, 0x81, 0x00, 0x01, 0x00, 0x04,
	    10, 213, 0, 1,
	    /* entry 2: 802.3 */
	    0x02, 0x00, 0x00, 0xff, 0xfe, 0xaa, 0x00, 0x01, 0x00, 0x02, 0xf8,
	    0xfe, 0xff, 0xff, 0x00, 0x06, 0x7f, 0x80, 0x00, 0x03, 0x00, 0x06,
	    0x02, 0x00, 0x00, 0xaa, 0x00, 0x01};
	struct gn_mgmt_unicast_master_table_np *t;
	union gn_mgmt_data d, o;
	uint8_t buf[64];

	(void)state;
	memset(&d, 0, sizeof(d));
	t = &d.unicast_master_table;
	t->count = 2;
	memcpy(t->entry[0].identity.clock.id, id2, 8);
	t->entry[0].identity.port = 1;
	t->entry[0].quality.clock_class = 6;
	t->entry[0].quality.clock_accuracy = 0x21;
	t->entry[0].quality.offset_scaled_log_variance = 0x4E5D;
	t->entry[0].selected = 1;
	t->entry[0].port_state = GN_PS_SLAVE;
	t->entry[0].priority1 = 0x80;
	t->entry[0].priority2 = 0x81;
	t->entry[0].network_protocol = 1;
	t->entry[0].address_len = 4;
	memcpy(t->entry[0].address, (const uint8_t[4]){10, 213, 0, 1}, 4);
	memcpy(t->entry[1].identity.clock.id, gm_id, 8);
	t->entry[1].identity.port = 2;
	t->entry[1].quality.clock_class = 248;
	t->entry[1].quality.clock_accuracy = 0xFE;
	t->entry[1].quality.offset_scaled_log_variance = 0xFFFF;
	t->entry[1].port_state = GN_PS_MASTER;
	t->entry[1].priority1 = 0x7F;
	t->entry[1].priority2 = 0x80;
	t->entry[1].network_protocol = 3;
	t->entry[1].address_len = 6;
	memcpy(t->entry[1].address,
	       (const uint8_t[6]){0x02, 0x00, 0x00, 0xaa, 0x00, 0x01}, 6);
	check_codec(GN_MGMT_UNICAST_MASTER_TABLE_NP, &d, want, sizeof(want),
		    &o);
	t = &o.unicast_master_table;
	assert_int_equal(t->count, 2);
	assert_int_equal(t->entry[0].identity.port, 1);
	assert_int_equal(t->entry[0].quality.offset_scaled_log_variance,
			 0x4E5D);
	assert_int_equal(t->entry[0].selected, 1);
	assert_int_equal(t->entry[0].port_state, GN_PS_SLAVE);
	assert_int_equal(t->entry[0].priority1, 0x80);
	assert_int_equal(t->entry[0].priority2, 0x81);
	assert_int_equal(t->entry[0].network_protocol, 1);
	assert_int_equal(t->entry[0].address_len, 4);
	assert_int_equal(t->entry[0].address[1], 213);
	assert_memory_equal(t->entry[1].identity.clock.id, gm_id, 8);
	assert_int_equal(t->entry[1].address_len, 6);
	assert_int_equal(t->entry[1].address[5], 0x01);

	/* an odd total is padded */
	o.unicast_master_table.count = 1;
	o.unicast_master_table.entry[0].address_len = 1;
	assert_int_equal(gn_mgmt_encode(GN_MGMT_UNICAST_MASTER_TABLE_NP, &o,
					buf, sizeof(buf)),
			 26);
	assert_int_equal(
	    gn_mgmt_decode(GN_MGMT_UNICAST_MASTER_TABLE_NP, buf, 26, &d, NULL),
	    0);
	assert_int_equal(d.unicast_master_table.entry[0].address_len, 1);
	/* refusals */
	o.unicast_master_table.entry[0].address_len = GN_MGMT_UMT_ADDR_MAX + 1;
	assert_int_equal(gn_mgmt_encode(GN_MGMT_UNICAST_MASTER_TABLE_NP, &o,
					buf, sizeof(buf)),
			 -EINVAL);
	o.unicast_master_table.count = GN_MGMT_UMT_MAX + 1;
	assert_int_equal(gn_mgmt_encode(GN_MGMT_UNICAST_MASTER_TABLE_NP, &o,
					buf, sizeof(buf)),
			 -EINVAL);
	o.unicast_master_table.count = 0;
	assert_int_equal(
	    gn_mgmt_encode(GN_MGMT_UNICAST_MASTER_TABLE_NP, &o, buf, 1),
	    -ENOSPC);
}

/* USER_DESCRIPTION, UTC_PROPERTIES and CLOCK_DESCRIPTION, bytes by hand
 * from 1588-2019 15.5.3.1.2, 15.5.3.3.1 and 15.5.3.6.1. */
static void test_descriptions(void **state)
{
	static const uint8_t want_ud[8] = {6, 'g', 'n', ';', 'l', 'a', 'b', 0};
	static const uint8_t want_utc[4] = {0x00, 0x25, 0x05, 0x00};
	static const uint8_t want_cd[52] = {
	    0x80, 0x00, /* type */
	    10,	  'I',	'E',  'E',  'E',  ' ',	'8',  '0',
	    '2',  '.',	'3',				    /* phys */
	    0x00, 0x06, 0x02, 0x00, 0x00, 0xaa, 0x00, 0x01, /* MAC */
	    0x00, 0x01, 0x00, 0x04, 10,	  0,	0,    1, /* UDP/IPv4 10.0.0.1 */
	    0x00, 0x11, 0x22, 0x00,		/* manufacturer, reserved */
	    5,	  'a',	';',  'b',  ';',  'c',	/* product */
	    2,	  ';',	';',			/* revision */
	    3,	  'l',	'a',  'b',		/* user */
	    0x00, 0x1b, 0x19, 0x00, 0x01, 0x00, /* profile */
	};
	static const uint8_t mac[6] = {0x02, 0x00, 0x00, 0xaa, 0x00, 0x01};
	struct gn_mgmt_clock_description *cd;
	union gn_mgmt_data d, o;
	uint8_t buf[64];

	(void)state;
	memset(&d, 0, sizeof(d));
	gn_mgmt_text_set(&d.text, "gn;lab");
	check_codec(GN_MGMT_USER_DESCRIPTION, &d, want_ud, 8, &o);
	assert_int_equal(o.text.len, 6);
	assert_string_equal(o.text.text, "gn;lab");
	/* a text that claims more than there is */
	assert_int_equal(
	    gn_mgmt_decode(GN_MGMT_USER_DESCRIPTION, want_ud, 6, &o, NULL),
	    -EBADMSG);
	/* PTPText is cut at 255 octets */
	memset(buf, 'x', sizeof(buf));
	{
		char big[300];

		memset(big, 'y', sizeof(big) - 1);
		big[sizeof(big) - 1] = 0;
		gn_mgmt_text_set(&d.text, big);
		assert_int_equal(d.text.len, 255);
		gn_mgmt_text_set(&d.text, NULL);
		assert_int_equal(d.text.len, 0);
	}

	memset(&d, 0, sizeof(d));
	d.utc_properties.utc_offset = 37;
	d.utc_properties.flags = GN_MGMT_UTC_VALID | GN_MGMT_UTC_LEAP61;
	check_codec(GN_MGMT_UTC_PROPERTIES, &d, want_utc, 4, &o);
	assert_int_equal(o.utc_properties.utc_offset, 37);
	assert_int_equal(o.utc_properties.flags, 5);

	memset(&d, 0, sizeof(d));
	cd = &d.clock_description;
	cd->clock_type = GN_CLOCK_TYPE_ORDINARY;
	gn_mgmt_text_set(&cd->physical_layer_protocol, "IEEE 802.3");
	cd->physical_address_len = 6;
	memcpy(cd->physical_address, mac, 6);
	cd->network_protocol = GN_NET_PROTO_UDP_IPV4;
	cd->protocol_address_len = 4;
	cd->protocol_address[0] = 10;
	cd->protocol_address[3] = 1;
	cd->manufacturer_identity[1] = 0x11;
	cd->manufacturer_identity[2] = 0x22;
	gn_mgmt_text_set(&cd->product_description, "a;b;c");
	gn_mgmt_text_set(&cd->revision_data, ";;");
	gn_mgmt_text_set(&cd->user_description, "lab");
	memcpy(cd->profile_identity, want_cd + 46, 6);
	check_codec(GN_MGMT_CLOCK_DESCRIPTION, &d, want_cd, 52, &o);
	assert_int_equal(o.clock_description.clock_type, 0x8000);
	assert_memory_equal(o.clock_description.physical_address, mac, 6);
	assert_int_equal(o.clock_description.protocol_address_len, 4);
	assert_string_equal(o.clock_description.product_description.text,
			    "a;b;c");
	assert_string_equal(o.clock_description.user_description.text, "lab");
	/* every truncation is a wrong length, never a read past the end */
	for (size_t n = 0; n < 52; n++)
		assert_int_equal(gn_mgmt_decode(GN_MGMT_CLOCK_DESCRIPTION,
						want_cd, n, &o, NULL),
				 -EBADMSG);
	/* an address longer than gnomon holds */
	memcpy(buf, want_cd, 52);
	buf[14] = 17;
	assert_int_equal(
	    gn_mgmt_decode(GN_MGMT_CLOCK_DESCRIPTION, buf, 52, &o, NULL),
	    -EBADMSG);
	cd->protocol_address_len = 17;
	assert_int_equal(
	    gn_mgmt_encode(GN_MGMT_CLOCK_DESCRIPTION, &d, buf, sizeof(buf)),
	    -EINVAL);
}

static void test_encode_unsupported(void **state)
{
	union gn_mgmt_data d;
	uint8_t buf[8];

	(void)state;
	memset(&d, 0, sizeof(d));
	assert_int_equal(
	    gn_mgmt_encode(GN_MGMT_FAULT_LOG, &d, buf, sizeof(buf)),
	    -EOPNOTSUPP);
	assert_int_equal(gn_mgmt_encode(0x1234, &d, buf, sizeof(buf)),
			 -EOPNOTSUPP);
	assert_false(gn_mgmt_has_codec(GN_MGMT_FAULT_LOG));
	assert_false(gn_mgmt_has_codec(0x1234));
	assert_true(gn_mgmt_has_codec(GN_MGMT_DEFAULT_DATA_SET));
}

static void test_names(void **state)
{
	static const struct {
		uint16_t id;
		const char *name;
		bool port;
	} ids[] = {
	    {0x0000, "NULL_MANAGEMENT", true},
	    {0x0001, "CLOCK_DESCRIPTION", true},
	    {0x0002, "USER_DESCRIPTION", false},
	    {0x2000, "DEFAULT_DATA_SET", false},
	    {0x2001, "CURRENT_DATA_SET", false},
	    {0x2002, "PARENT_DATA_SET", false},
	    {0x2003, "TIME_PROPERTIES_DATA_SET", false},
	    {0x2004, "PORT_DATA_SET", true},
	    {0x2005, "PRIORITY1", false},
	    {0x2006, "PRIORITY2", false},
	    {0x2007, "DOMAIN", false},
	    {0x2008, "SLAVE_ONLY", false},
	    {0x2009, "LOG_ANNOUNCE_INTERVAL", true},
	    {0x200A, "ANNOUNCE_RECEIPT_TIMEOUT", true},
	    {0x200B, "LOG_SYNC_INTERVAL", true},
	    {0x200C, "VERSION_NUMBER", true},
	    {0x200D, "ENABLE_PORT", true},
	    {0x200E, "DISABLE_PORT", true},
	    {0x200F, "TIME", false},
	    {0x2010, "CLOCK_ACCURACY", false},
	    {0x3000, "EXTERNAL_PORT_CONFIGURATION_ENABLED", false},
	    {0x3001, "MASTER_ONLY", true},
	    {0x3002, "HOLDOVER_UPGRADE_ENABLE", false},
	    {0x3003, "EXT_PORT_CONFIG_PORT_DATA_SET", true},
	    {0x6000, "DELAY_MECHANISM", true},
	    {0x6001, "LOG_MIN_PDELAY_REQ_INTERVAL", true},
	    {0xC000, "TIME_STATUS_NP", false},
	    {0xC001, "GRANDMASTER_SETTINGS_NP", false},
	    {0xC002, "PORT_DATA_SET_NP", true},
	    {0xC003, "SUBSCRIBE_EVENTS_NP", false},
	    {0xC004, "PORT_PROPERTIES_NP", true},
	    {0xC005, "PORT_STATS_NP", true},
	    {0xC007, "PORT_SERVICE_STATS_NP", true},
	    {0xC008, "UNICAST_MASTER_TABLE_NP", true},
	    {0xC009, "PORT_HWCLOCK_NP", true},
	    {0xC00D, "EXTERNAL_GRANDMASTER_PROPERTIES_NP", false},
	    {0x201E, "ALTERNATE_TIME_OFFSET_ENABLE", false},
	    {0x201F, "ALTERNATE_TIME_OFFSET_NAME", false},
	    {0x2021, "ALTERNATE_TIME_OFFSET_PROPERTIES", false},
	    {0xC00A, "POWER_PROFILE_SETTINGS_NP", true},
	    {0xC00B, "CMLDS_INFO_NP", true},
	    {0xC00C, "PORT_CORRECTIONS_NP", true},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		assert_string_equal(gn_mgmt_id_str(ids[i].id), ids[i].name);
		assert_int_equal(gn_mgmt_id_from_str(ids[i].name), ids[i].id);
		assert_int_equal(gn_mgmt_id_is_port(ids[i].id), ids[i].port);
	}
	assert_null(gn_mgmt_id_str(0x1234));
	assert_false(gn_mgmt_id_is_port(0x1234));

	/* pmc's rules: case-insensitive; an exact name beats a prefix */
	assert_int_equal(gn_mgmt_id_from_str("priority1"), 0x2005);
	assert_int_equal(gn_mgmt_id_from_str("Port_Data_Set"), 0x2004);
	assert_int_equal(gn_mgmt_id_from_str("PORT_DATA_SET_"), 0xC002);
	assert_int_equal(gn_mgmt_id_from_str("DEFAULT"), 0x2000);
	assert_int_equal(gn_mgmt_id_from_str("time_s"), 0xC000);
	assert_int_equal(gn_mgmt_id_from_str("PRIORITY"), -EEXIST);
	assert_int_equal(gn_mgmt_id_from_str("PORT"), -EEXIST);
	assert_int_equal(gn_mgmt_id_from_str(""), -EEXIST);
	assert_int_equal(gn_mgmt_id_from_str("NOPE"), -ENOENT);
	assert_int_equal(gn_mgmt_id_from_str("DEFAULT_DATA_SETX"), -ENOENT);
	/* ids pmc does not know are found by exact name only */
	assert_int_equal(gn_mgmt_id_from_str("EXT"), 0xC00D);
	assert_int_equal(gn_mgmt_id_from_str("HOLDOVER"), -ENOENT);

	assert_string_equal(gn_mgmt_action_str(GN_MGMT_GET), "GET");
	assert_string_equal(gn_mgmt_action_str(GN_MGMT_SET), "SET");
	assert_string_equal(gn_mgmt_action_str(GN_MGMT_RESPONSE), "RESPONSE");
	assert_string_equal(gn_mgmt_action_str(GN_MGMT_COMMAND), "COMMAND");
	assert_string_equal(gn_mgmt_action_str(GN_MGMT_ACKNOWLEDGE),
			    "ACKNOWLEDGE");
	assert_string_equal(gn_mgmt_action_str(5), "UNKNOWN");

	assert_string_equal(gn_mgmt_error_str(1), "RESPONSE_TOO_BIG");
	assert_string_equal(gn_mgmt_error_str(2), "NO_SUCH_ID");
	assert_string_equal(gn_mgmt_error_str(3), "WRONG_LENGTH");
	assert_string_equal(gn_mgmt_error_str(4), "WRONG_VALUE");
	assert_string_equal(gn_mgmt_error_str(5), "NOT_SETABLE");
	assert_string_equal(gn_mgmt_error_str(6), "NOT_SUPPORTED");
	assert_string_equal(gn_mgmt_error_str(0xFFFE), "GENERAL_ERROR");
	assert_string_equal(gn_mgmt_error_str(0), "UNKNOWN");
}

static void test_error_ids(void **state)
{
	(void)state;
	assert_int_equal(gn_mgmt_error_id(-EBADMSG), GN_MGMT_ERR_WRONG_LENGTH);
	assert_int_equal(gn_mgmt_error_id(-EINVAL), GN_MGMT_ERR_WRONG_VALUE);
	assert_int_equal(gn_mgmt_error_id(-ERANGE), GN_MGMT_ERR_WRONG_VALUE);
	assert_int_equal(gn_mgmt_error_id(-EOPNOTSUPP),
			 GN_MGMT_ERR_NOT_SUPPORTED);
	assert_int_equal(gn_mgmt_error_id(-ENOENT), GN_MGMT_ERR_NO_SUCH_ID);
	assert_int_equal(gn_mgmt_error_id(-EACCES), GN_MGMT_ERR_NOT_SETABLE);
	assert_int_equal(gn_mgmt_error_id(-EPERM), GN_MGMT_ERR_NOT_SETABLE);
	assert_int_equal(gn_mgmt_error_id(-ENOSPC),
			 GN_MGMT_ERR_RESPONSE_TOO_BIG);
	assert_int_equal(gn_mgmt_error_id(-EMSGSIZE),
			 GN_MGMT_ERR_RESPONSE_TOO_BIG);
	assert_int_equal(gn_mgmt_error_id(-EIO), GN_MGMT_ERR_GENERAL_ERROR);
	assert_int_equal(gn_mgmt_error_id(0), GN_MGMT_ERR_GENERAL_ERROR);
}

/* A complete RESPONSE built from these pieces matches ptp4l's bytes. */
static void test_build_response_like_ptp4l(void **state)
{
	uint8_t golden[GN_MAX_MSG_LEN], out[GN_MAX_MSG_LEN], data[32],
	    value[40];
	struct gn_tlv_mgmt mg;
	union gn_mgmt_data d;
	struct gn_msg m;
	size_t n;
	int len;

	(void)state;
	n = load_hex("ptp4l_mgmt_resp_udp", golden, sizeof(golden));
	memset(&m, 0, sizeof(m));
	gn_header_init(&m.h, GN_MSG_MANAGEMENT);
	m.h.minor_version = 0;
	memcpy(m.h.source.clock.id, gm_id, 8);
	m.h.source.port = 1;
	memcpy(
	    m.body.mgmt.target.clock.id,
	    (const uint8_t[8]){0x02, 0x00, 0x00, 0xff, 0xfe, 0xaa, 0x00, 0x02},
	    8);
	m.body.mgmt.target.port = 1;
	m.body.mgmt.action = GN_MGMT_RESPONSE;
	memset(&d, 0, sizeof(d));
	d.default_ds.two_step = true;
	d.default_ds.number_ports = 1;
	d.default_ds.priority1 = 128;
	d.default_ds.quality.clock_class = 248;
	d.default_ds.quality.clock_accuracy = 0xFE;
	d.default_ds.quality.offset_scaled_log_variance = 0xFFFF;
	d.default_ds.priority2 = 128;
	memcpy(d.default_ds.identity.id, gm_id, 8);
	len = gn_mgmt_encode(GN_MGMT_DEFAULT_DATA_SET, &d, data, sizeof(data));
	assert_int_equal(len, 20);
	mg.id = GN_MGMT_DEFAULT_DATA_SET;
	mg.data = data;
	mg.data_len = (uint16_t)len;
	assert_int_equal(
	    gn_msg_add_tlv(&m, GN_TLV_MANAGEMENT, value,
			   gn_tlv_mgmt_encode(&mg, value, sizeof(value))),
	    0);
	assert_int_equal(gn_msg_serialize(&m, out, sizeof(out)), n);
	assert_memory_equal(out, golden, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_golden_default_ds),
	    cmocka_unit_test(test_data_sets),
	    cmocka_unit_test(test_time_interval_fields),
	    cmocka_unit_test(test_octet_and_empty_ids),
	    cmocka_unit_test(test_time),
	    cmocka_unit_test(test_np_ids),
	    cmocka_unit_test(test_testsuite_np_ids),
	    cmocka_unit_test(test_port_properties),
	    cmocka_unit_test(test_port_stats),
	    cmocka_unit_test(test_unicast_master_table),
	    cmocka_unit_test(test_descriptions),
	    cmocka_unit_test(test_encode_unsupported),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_error_ids),
	    cmocka_unit_test(test_build_response_like_ptp4l),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

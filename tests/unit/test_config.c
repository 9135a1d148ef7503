/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_config.c - gnomond's configuration: the option table against
 * linuxptp's defaults (typed in by hand from linuxptp's config.c, not
 * read from our table), every option parsed from a file and read back,
 * every option gnomond does not implement rejected unless at its
 * default, precedence, every error message word for word, ptp4l's
 * command line, the mapping to the core's configuration, linuxptp's own
 * example configurations and docs/configuration.md.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "mgmt.h"
#include "options.h"

#ifndef GN_TEST_DATA
#define GN_TEST_DATA "tests/data"
#endif
#define CFG_DIR	       GN_TEST_DATA "/config"
#define DOCS	       GN_TEST_DATA "/../../docs/configuration.md"
#define LINUXPTP_CONFS "/usr/share/doc/linuxptp/configs"

static char tmpdir[64];
static char tmpfile_path[128];
static char err[GN_CONFIG_ERR_MAX];

static int group_setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/gn_test_config_XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(tmpfile_path, sizeof(tmpfile_path), "%s/t.cfg", tmpdir);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	unlink(tmpfile_path);
	rmdir(tmpdir);
	return 0;
}

static void write_file(const char *path, const char *content)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(content, 1, strlen(content), fp),
			 strlen(content));
	assert_int_equal(fclose(fp), 0);
}

/* Parses content as a file into a new configuration; *rc gets the
 * result, err the message. */
static struct gn_config *parse(const char *content, int *rc)
{
	struct gn_config *cfg = gn_config_create();

	assert_non_null(cfg);
	write_file(tmpfile_path, content);
	err[0] = '\0';
	*rc = gn_config_read(cfg, tmpfile_path, err, sizeof(err));
	return cfg;
}

static struct gn_config *parse_ok(const char *content)
{
	int rc;
	struct gn_config *cfg = parse(content, &rc);

	if (rc)
		fail_msg("parse failed: %s", err);
	return cfg;
}

/* The file must fail with exactly "<tmpfile>:<msg>". */
static void expect_error(const char *content, const char *msg)
{
	char want[GN_CONFIG_ERR_MAX + 160];
	int rc;
	struct gn_config *cfg = parse(content, &rc);

	snprintf(want, sizeof(want), "%s:%s", tmpfile_path, msg);
	assert_int_equal(rc, -EINVAL);
	assert_string_equal(err, want);
	gn_config_destroy(cfg);
}

/* ---- defaults: linuxptp's config.c, typed in by hand ---- */

struct int_default {
	const char *name;
	int64_t value;
};

static const struct int_default int_defaults[] = {
    {"active_key_id", 0},
    {"allow_unauth", 0},
    {"allowedLostResponses", 3},
    {"announceReceiptTimeout", 3},
    {"asCapable", GN_CFG_AS_CAPABLE_AUTO},
    {"assume_two_step", 0},
    {"boundary_clock_jbod", 0},
    {"BMCA", GN_CFG_BMCA_PTP},
    {"check_fup_sync", 0},
    {"clientOnly", 0},
    {"clockAccuracy", 254},
    {"clockClass", 248},
    {"clock_class_threshold", 248},
    {"clock_servo", GN_CFG_SERVO_KALMAN},
    {"clock_type", GN_CFG_CLOCK_OC},
    {"cmlds.domainNumber", 0},
    {"cmlds.majorSdoId", 2},
    {"cmlds.port", 0},
    {"dataset_comparison", GN_CFG_DSCMP_IEEE1588},
    {"delayAsymmetry", 0},
    {"delay_filter", GN_CFG_FILTER_MOVING_MEDIAN},
    {"delay_filter_length", 10},
    {"delay_mechanism", GN_CFG_DM_E2E},
    {"delay_response_timeout", 0},
    {"dscp_event", 0},
    {"dscp_general", 0},
    {"domainNumber", 0},
    {"egressLatency", 0},
    {"fault_badpeernet_interval", 16},
    {"fault_reset_interval", 4},
    {"follow_up_info", 0},
    {"free_running", 0},
    {"freq_est_interval", 1},
    {"G.8275.defaultDS.localPriority", 128},
    {"G.8275.portDS.localPriority", 128},
    {"gmCapable", 1},
    {"hwts_filter", GN_CFG_HWTS_NORMAL},
    {"hybrid_e2e", 0},
    {"ignore_source_id", 0},
    {"ignore_transport_specific", 0},
    {"ingressLatency", 0},
    {"inhibit_announce", 0},
    {"inhibit_delay_req", 0},
    {"inhibit_multicast_service", 0},
    {"initial_delay", 0},
    {"interface_rate_tlv", 0},
    {"kernel_leap", 1},
    {"logAnnounceInterval", 1},
    {"logMinDelayReqInterval", 0},
    {"logMinPdelayReqInterval", 0},
    {"logSyncInterval", 0},
    {"logging_level", 6},
    {"maxStepsRemoved", 255},
    {"max_frequency", 900000000},
    {"min_neighbor_prop_delay", -20000000},
    {"msg_interval_request", 0},
    {"neighborPropDelayThresh", 20000000},
    {"net_sync_monitor", 0},
    {"network_transport", GN_CFG_UDPV4},
    {"ntpshm_segment", 0},
    {"offsetScaledLogVariance", 65535},
    {"operLogPdelayReqInterval", 0},
    {"operLogSyncInterval", 0},
    {"path_trace_enabled", 0},
    {"phc_index", -1},
    {"power_profile.version", GN_CFG_POWER_PROFILE_NONE},
    /* 0xFFFFFFFF stored in an int: -1 */
    {"power_profile.2011.grandmasterTimeInaccuracy", -1},
    {"power_profile.2011.networkTimeInaccuracy", -1},
    {"power_profile.2017.totalTimeInaccuracy", -1},
    {"power_profile.grandmasterID", 0},
    {"priority1", 128},
    {"priority2", 128},
    {"ptp_minor_version", 1},
    {"sanity_freq_limit", 200000000},
    {"serverOnly", 0},
    {"servo_num_offset_values", 10},
    {"servo_offset_threshold", 0},
    {"socket_priority", 0},
    {"spp", -1},
    {"step_window", 0},
    {"summary_interval", 0},
    {"syncReceiptTimeout", 0},
    {"tc_spanning_tree", 0},
    {"timeSource", 160},
    {"time_stamping", GN_CFG_TS_HARDWARE},
    {"transportSpecific", 0},
    {"ts2phc.channel", 0},
    {"ts2phc.external_pps", 0},
    {"ts2phc.extts_correction", 0},
    {"ts2phc.extts_polarity", GN_CFG_EXTTS_RISING},
    {"ts2phc.holdover", 0},
    {"ts2phc.master", 0},
    {"ts2phc.nmea_baudrate", 9600},
    {"ts2phc.nmea_delay", 0},
    {"ts2phc.perout_phase", -1},
    {"ts2phc.pin_index", 0},
    {"ts2phc.pulserate", 1},
    {"ts2phc.pulsewidth", -1},
    {"tsproc_mode", GN_CFG_TSPROC_FILTER},
    {"twoStepFlag", 1},
    {"tx_timestamp_timeout", 10},
    {"udp_ttl", 1},
    {"udp6_scope", 14},
    {"uds_file_mode", 432},    /* 0660 */
    {"uds_ro_file_mode", 438}, /* 0666 */
    {"unicast_listen", 0},
    {"unicast_master_table", 0},
    {"unicast_req_duration", 3600},
    {"use_syslog", 1},
    {"utc_offset", 37},
    {"verbose", 0},
    {"write_phase_mode", 0},
    /* gnomon's */
    {"clock_target", GN_CFG_TARGET_AUTO},
    {"virtual_clock_offset", 0},
    {"discipline", 0},
    {"discipline_readings", 5},
    {"discipline_servo", GN_CFG_SERVO_PI},
    {"discipline_sanity_freq_limit", 200000000},
    {"discipline_summary_updates", 0},
    {"discipline_free_running", 0},
    {"publish_file_mode", 420}, /* 0644 */
    {"bound_asymmetry", -1},	/* automatic: the mean path delay */
    {"metrics_port", 0},	/* monitoring off unless asked for */
    {"network_management", 0},	/* GN_MGMT_ACCESS_NONE */
};

struct dbl_default {
	const char *name;
	double value;
};

static const struct dbl_default dbl_defaults[] = {
    {"delay_request_variability", 1.0},
    {"first_step_threshold", 0.00002},
    {"pi_integral_const", 0.0},
    {"pi_integral_exponent", 0.4},
    {"pi_integral_norm_max", 0.3},
    {"pi_integral_scale", 0.0},
    {"pi_proportional_const", 0.0},
    {"pi_proportional_exponent", -0.3},
    {"pi_proportional_norm_max", 0.7},
    {"pi_proportional_scale", 0.0},
    {"step_threshold", 0.0},
    {"virtual_clock_freq", 0.0},
    {"discipline_rate", 1.0},
    {"discipline_pi_kp", 0.7},
    {"discipline_pi_ki", 0.3},
    {"discipline_step_threshold", 0.0},
    {"discipline_first_step_threshold", 0.00002},
    {"holdover_growth", 0.0}, /* learnt */
};

struct str_default {
	const char *name;
	const char *value;
};

/* linuxptp's NULL defaults (leapfile, message_tag, sa_file) read "". */
static const struct str_default str_defaults[] = {
    {"clockIdentity", "000000.0000.000000"},
    {"cmlds.client_address", "/var/run/cmlds_client"},
    {"cmlds.server_address", "/var/run/cmlds_server"},
    {"leapfile", ""},
    {"message_tag", ""},
    {"manufacturerIdentity", "00:00:00"},
    {"p2p_dst_ipv4", "224.0.0.107"},
    {"p2p_dst_ipv6", "FF02:0:0:0:0:0:0:6B"},
    {"p2p_dst_mac", "01:80:C2:00:00:0E"},
    {"productDescription", ";;"},
    {"profileIdentity", "00:00:00:00:00:00"},
    {"ptp_dst_ipv4", "224.0.1.129"},
    {"ptp_dst_ipv6", "FF0E:0:0:0:0:0:0:181"},
    {"ptp_dst_mac", "01:1B:19:00:00:00"},
    {"refclock_sock_address", "/var/run/refclock.ptp.sock"},
    {"revisionData", ";;"},
    {"sa_file", ""},
    {"slave_event_monitor", ""},
    {"ts2phc.nmea_remote_host", ""},
    {"ts2phc.nmea_remote_port", ""},
    {"ts2phc.nmea_serialport", "/dev/ttyS0"},
    {"ts2phc.pin_name", ""},
    {"ts2phc.tod_source", "generic"},
    {"uds_address", "/var/run/ptp/ptp4l"},
    {"uds_ro_address", "/var/run/ptp/ptp4lro"},
    {"user", ""},
    {"userDescription", ""},
    {"publish_path", "/run/gnomon/"},
    {"metrics_address", "127.0.0.1"},
    {"json_log", ""},
    {"discipline_fake_clocks", ""},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_defaults_are_linuxptps(void **state)
{
	struct gn_config *cfg = gn_config_create();
	unsigned i;

	(void)state;
	assert_non_null(cfg);
	/* 150 options of linuxptp (152 names less the two deprecated
	 * aliases masterOnly and slaveOnly) + 23 of gnomon (metrics and
	 * network management: 4; time service page: 4; discipline: 12). */
	assert_int_equal(gn_config_num_options(), 173);
	assert_int_equal(N(int_defaults) + N(dbl_defaults) + N(str_defaults),
			 173);
	for (i = 0; i < N(int_defaults); i++) {
		if (gn_config_get_int(cfg, NULL, int_defaults[i].name) !=
		    int_defaults[i].value)
			fail_msg("%s: %lld, expected %lld",
				 int_defaults[i].name,
				 (long long)gn_config_get_int(
				     cfg, NULL, int_defaults[i].name),
				 (long long)int_defaults[i].value);
		assert_false(gn_config_is_set(cfg, NULL, int_defaults[i].name));
	}
	for (i = 0; i < N(dbl_defaults); i++)
		assert_true(
		    gn_config_get_double(cfg, NULL, dbl_defaults[i].name) ==
		    dbl_defaults[i].value);
	for (i = 0; i < N(str_defaults); i++)
		assert_string_equal(
		    gn_config_get_string(cfg, NULL, str_defaults[i].name),
		    str_defaults[i].value);
	/* An interface without a section reads the same. */
	assert_int_equal(gn_config_add_interface(cfg, "eth0"), 0);
	assert_int_equal(gn_config_get_int(cfg, "eth0", "udp6_scope"), 14);
	gn_config_destroy(cfg);
}

/* The table's own view agrees (name, scope, default text). */
static void test_option_info(void **state)
{
	const struct gn_option_info *o;
	unsigned i, n = gn_config_num_options(), ports = 0, sup = 0;

	(void)state;
	for (i = 0; i < n; i++) {
		o = gn_config_option(i);
		assert_non_null(o);
		assert_non_null(o->name);
		assert_non_null(o->dflt);
		ports += o->per_port;
		sup += o->supported;
	}
	assert_null(gn_config_option(n));
	/* Counted from linuxptp's config_tab: 80 PORT_ITEMs less
	 * masterOnly; the supported ones are listed in the round trip. */
	assert_int_equal(ports, 79);
	assert_int_equal(sup, 115);
	o = gn_config_option((unsigned)gn_opt_find("clockAccuracy"));
	assert_string_equal(o->name, "clockAccuracy");
	assert_string_equal(o->dflt, "0xFE");
	assert_false(o->per_port);
	assert_true(o->supported);
	o = gn_config_option((unsigned)gn_opt_find("hybrid_e2e"));
	assert_true(o->per_port);
	assert_false(o->supported);
}

/* ---- every supported option from a file and back ---- */

struct round_trip {
	const char *name;
	const char *text;
	int64_t i;
	double d;
	const char *s;
};

#define RT_I(n, t, v)                                                          \
	{                                                                      \
		n, t, v, 0, NULL                                               \
	}
#define RT_D(n, t, v)                                                          \
	{                                                                      \
		n, t, 0, v, NULL                                               \
	}
#define RT_S(n, t, v)                                                          \
	{                                                                      \
		n, t, 0, 0, v                                                  \
	}

static const struct round_trip supported[] = {
    RT_I("announceReceiptTimeout", "5", 5),
    /* Options of which only the default is supported: another
     * spelling of it. */
    RT_I("asCapable", "AUTO", GN_CFG_AS_CAPABLE_AUTO),
    RT_I("BMCA", "PTP", GN_CFG_BMCA_PTP),
    RT_I("check_fup_sync", "1", 1),
    RT_I("clientOnly", "1", 1),
    RT_I("clockAccuracy", "0x21", 0x21),
    RT_I("clockClass", "6", 6),
    RT_S("clockIdentity", "001122.fffe.334455", "001122.fffe.334455"),
    RT_I("clock_servo", "linreg", GN_CFG_SERVO_LINREG),
    RT_I("clock_type", "oc", GN_CFG_CLOCK_OC),
    RT_I("dataset_comparison", "IEEE1588", GN_CFG_DSCMP_IEEE1588),
    RT_I("delayAsymmetry", "-1500", -1500),
    RT_I("delay_filter", "moving_average", GN_CFG_FILTER_MOVING_AVERAGE),
    RT_I("delay_filter_length", "64", 64),
    RT_I("delay_mechanism", "P2P", GN_CFG_DM_P2P),
    RT_I("dscp_event", "46", 46),
    RT_I("dscp_general", "0x0A", 10),
    RT_I("domainNumber", "24", 24),
    RT_I("egressLatency", "-100", -100),
    RT_I("fault_reset_interval", "ASAP", -128),
    RT_D("first_step_threshold", "0.5", 0.5),
    RT_I("follow_up_info", "1", 1),
    RT_I("free_running", "1", 1),
    RT_I("freq_est_interval", "3", 3),
    RT_I("G.8275.defaultDS.localPriority", "127", 127),
    RT_I("G.8275.portDS.localPriority", "129", 129),
    RT_I("gmCapable", "0", 0),
    RT_I("clock_class_threshold", "7", 7),
    RT_I("hwts_filter", "full", GN_CFG_HWTS_FULL),
    RT_I("ignore_transport_specific", "1", 1),
    RT_I("ingressLatency", "2147483647", 2147483647),
    RT_I("kernel_leap", "0", 0),
    RT_I("logAnnounceInterval", "-3", -3),
    RT_I("logMinDelayReqInterval", "-4", -4),
    RT_I("logMinPdelayReqInterval", "2", 2),
    RT_I("logSyncInterval", "-7", -7),
    RT_I("logging_level", "7", 7),
    RT_I("maxStepsRemoved", "2", 2),
    RT_S("message_tag", "[ptp4l.0.{level}]", "[ptp4l.0.{level}]"),
    RT_S("manufacturerIdentity", "AC:DE:48", "AC:DE:48"),
    RT_I("max_frequency", "500000", 500000),
    RT_I("neighborPropDelayThresh", "800", 800),
    RT_I("network_transport", "L2", GN_CFG_L2),
    RT_I("offsetScaledLogVariance", "0x4E5D", 0x4E5D),
    RT_S("p2p_dst_mac", "01:00:5E:00:00:6B", "01:00:5E:00:00:6B"),
    RT_I("path_trace_enabled", "1", 1),
    RT_I("phc_index", "2", 2),
    RT_D("pi_integral_const", "0.3", 0.3),
    RT_D("pi_integral_exponent", "0.5", 0.5),
    RT_D("pi_integral_norm_max", "1.5", 1.5),
    RT_D("pi_integral_scale", "0.01", 0.01),
    RT_D("pi_proportional_const", "0.7", 0.7),
    RT_D("pi_proportional_exponent", "-0.5", -0.5),
    RT_D("pi_proportional_norm_max", "0.9", 0.9),
    RT_D("pi_proportional_scale", "0.2", 0.2),
    RT_I("power_profile.version", "2011", GN_CFG_POWER_PROFILE_2011),
    RT_I("power_profile.2011.grandmasterTimeInaccuracy", "100", 100),
    RT_I("power_profile.2011.networkTimeInaccuracy", "0", 0),
    RT_I("power_profile.2017.totalTimeInaccuracy", "2147483647", 2147483647),
    RT_I("power_profile.grandmasterID", "0xFFFF", 0xFFFF),
    RT_I("priority1", "127", 127),
    RT_I("priority2", "0", 0),
    RT_S("productDescription", "gnomon;gnomond;0001", "gnomon;gnomond;0001"),
    RT_S("ptp_dst_mac", "01:80:C2:00:00:0E", "01:80:C2:00:00:0E"),
    RT_I("ptp_minor_version", "0", 0),
    RT_S("revisionData", "1;2;3", "1;2;3"),
    RT_I("sanity_freq_limit", "0", 0),
    RT_I("serverOnly", "1", 1),
    RT_I("servo_num_offset_values", "5", 5),
    RT_I("servo_offset_threshold", "30", 30),
    RT_I("socket_priority", "15", 15),
    RT_D("step_threshold", "1e-3", 0.001),
    RT_I("summary_interval", "-2", -2),
    RT_I("syncReceiptTimeout", "3", 3),
    RT_I("tc_spanning_tree", "1", 1),
    RT_I("timeSource", "0x20", 0x20),
    RT_I("time_stamping", "software", GN_CFG_TS_SOFTWARE),
    RT_I("transportSpecific", "0x1", 1),
    RT_I("twoStepFlag", "0", 0),
    RT_I("tx_timestamp_timeout", "100", 100),
    RT_I("udp_ttl", "64", 64),
    RT_I("udp6_scope", "0x02", 2),
    RT_S("uds_address", "/tmp/gnomon-test.sock", "/tmp/gnomon-test.sock"),
    RT_I("uds_file_mode", "0600", 384),
    RT_S("uds_ro_address", "/tmp/gn-ro.sock", "/tmp/gn-ro.sock"),
    RT_I("uds_ro_file_mode", "0644", 420),
    RT_I("use_syslog", "0", 0),
    /* Strings keep their inner spaces. */
    RT_S("userDescription", "lab rack 3;room 12", "lab rack 3;room 12"),
    RT_I("utc_offset", "36", 36),
    RT_I("verbose", "1", 1),
    RT_I("clock_target", "virtual", GN_CFG_TARGET_VIRTUAL),
    RT_I("metrics_port", "9120", 9120),
    RT_S("metrics_address", "::1", "::1"),
    RT_S("json_log", "/var/log/gnomond.jsonl", "/var/log/gnomond.jsonl"),
    RT_I("network_management", "read_only", 1),
    RT_I("virtual_clock_offset", "-20000000", -20000000),
    RT_D("virtual_clock_freq", "50000", 50000.0),
    /* the discipline's (and the linuxptp options it uses) */
    RT_I("ntpshm_segment", "2", 2),
    RT_S("refclock_sock_address", "/tmp/refclock.sock", "/tmp/refclock.sock"),
    RT_I("discipline", "AUTO_RR", 2),
    RT_D("discipline_rate", "8", 8.0),
    RT_I("discipline_readings", "25", 25),
    RT_I("discipline_servo", "refclock_sock", GN_CFG_SERVO_REFCLOCK_SOCK),
    RT_D("discipline_pi_kp", "0.5", 0.5),
    RT_D("discipline_pi_ki", "0.1", 0.1),
    RT_D("discipline_step_threshold", "0.5", 0.5),
    RT_D("discipline_first_step_threshold", "0.001", 0.001),
    RT_I("discipline_sanity_freq_limit", "0", 0),
    RT_I("discipline_summary_updates", "60", 60),
    RT_I("discipline_free_running", "1", 1),
    RT_S("discipline_fake_clocks", "CLOCK_REALTIME=0,eth0=5",
	 "CLOCK_REALTIME=0,eth0=5"),
    RT_S("publish_path", "/tmp/gn.page", "/tmp/gn.page"),
    RT_I("publish_file_mode", "0600", 384),
    RT_I("bound_asymmetry", "500", 500),
    RT_D("holdover_growth", "250", 250.0),
};

static void check_value(const struct gn_config *cfg, const char *iface,
			const struct round_trip *t)
{
	const struct gn_opt *o = &gn_opt_table[gn_opt_find(t->name)];

	switch (o->type) {
	case GN_OPT_INT:
	case GN_OPT_ENUM:
		if (gn_config_get_int(cfg, iface, t->name) != t->i)
			fail_msg(
			    "%s: read %lld, expected %lld", t->name,
			    (long long)gn_config_get_int(cfg, iface, t->name),
			    (long long)t->i);
		break;
	case GN_OPT_DOUBLE:
		assert_true(gn_config_get_double(cfg, iface, t->name) == t->d);
		break;
	case GN_OPT_STRING:
		assert_string_equal(gn_config_get_string(cfg, iface, t->name),
				    t->s);
		break;
	}
}

static void test_every_supported_option(void **state)
{
	char text[1200];
	unsigned i, j;

	(void)state;
	/* Every supported option is in the table above. */
	for (i = 0; i < gn_config_num_options(); i++) {
		const struct gn_option_info *o = gn_config_option(i);
		bool found = false;

		for (j = 0; j < N(supported); j++)
			found |= !strcmp(supported[j].name, o->name);
		if (o->supported != found)
			fail_msg("%s: supported %d, in the round trip %d",
				 o->name, o->supported, found);
	}
	for (i = 0; i < N(supported); i++) {
		const struct round_trip *t = &supported[i];
		const struct gn_opt *o = &gn_opt_table[gn_opt_find(t->name)];
		struct gn_config *cfg;

		/* In [global], with tabs and trailing blanks. */
		snprintf(text, sizeof(text), "[global]\n%s\t\t%s  \t\n",
			 t->name, t->text);
		cfg = parse_ok(text);
		check_value(cfg, NULL, t);
		assert_true(gn_config_is_set(cfg, NULL, t->name));
		gn_config_destroy(cfg);
		if (!o->info.per_port)
			continue;
		/* In an interface section: that interface only. */
		snprintf(text, sizeof(text), "[global]\n[eth1]\n%s %s\n",
			 t->name, t->text);
		cfg = parse_ok(text);
		check_value(cfg, "eth1", t);
		assert_true(gn_config_is_set(cfg, "eth1", t->name));
		assert_false(gn_config_is_set(cfg, NULL, t->name));
		assert_false(gn_config_is_set(cfg, "eth9", t->name));
		gn_config_destroy(cfg);
	}
}

/* ---- options gnomond does not implement: default only ---- */

struct unsupported {
	const char *name;
	const char *text; /* not the default */
};

static const struct unsupported unsupported[] = {
    {"active_key_id", "1"},
    {"allow_unauth", "1"},
    {"allowedLostResponses", "9"},
    {"assume_two_step", "1"},
    {"boundary_clock_jbod", "1"},
    {"cmlds.client_address", "/var/run/cmlds-client-0"},
    {"cmlds.domainNumber", "1"},
    {"cmlds.majorSdoId", "1"},
    {"cmlds.port", "2"},
    {"cmlds.server_address", "/tmp/cmlds"},
    {"delay_request_variability", "0.5"},
    {"delay_response_timeout", "3"},
    {"fault_badpeernet_interval", "ASAP"},
    {"hybrid_e2e", "1"},
    {"ignore_source_id", "1"},
    {"inhibit_announce", "1"},
    {"inhibit_delay_req", "1"},
    {"inhibit_multicast_service", "1"},
    {"initial_delay", "1000"},
    {"interface_rate_tlv", "1"},
    {"leapfile", "/usr/share/zoneinfo/leap-seconds.list"},
    {"min_neighbor_prop_delay", "-100"},
    {"msg_interval_request", "1"},
    {"net_sync_monitor", "1"},
    {"operLogPdelayReqInterval", "2"},
    {"operLogSyncInterval", "-3"},
    {"p2p_dst_ipv4", "224.0.0.108"},
    {"p2p_dst_ipv6", "FF02::6C"},
    {"profileIdentity", "00:1B:19:00:01:00"},
    {"ptp_dst_ipv4", "224.0.1.130"},
    {"ptp_dst_ipv6", "FF0E::182"},
    {"sa_file", "/etc/sa.cfg"},
    {"slave_event_monitor", "/tmp/sem.sock"},
    {"spp", "1"},
    {"step_window", "4"},
    {"ts2phc.channel", "1"},
    {"ts2phc.external_pps", "1"},
    {"ts2phc.extts_correction", "10"},
    {"ts2phc.extts_polarity", "both"},
    {"ts2phc.holdover", "5"},
    {"ts2phc.master", "1"},
    {"ts2phc.nmea_baudrate", "115200"},
    {"ts2phc.nmea_delay", "10"},
    {"ts2phc.nmea_remote_host", "gps.local"},
    {"ts2phc.nmea_remote_port", "2947"},
    {"ts2phc.nmea_serialport", "/dev/ttyUSB0"},
    {"ts2phc.perout_phase", "0"},
    {"ts2phc.pin_index", "1"},
    {"ts2phc.pin_name", "SMA1"},
    {"ts2phc.pulserate", "2"},
    {"ts2phc.pulsewidth", "500000000"},
    {"ts2phc.tod_source", "nmea"},
    {"tsproc_mode", "raw"},
    {"unicast_listen", "1"},
    {"unicast_master_table", "1"},
    {"unicast_req_duration", "60"},
    {"user", "ptp"},
    {"write_phase_mode", "1"},
};

static void test_every_unsupported_option(void **state)
{
	char text[1200], msg[256];
	unsigned i, j;

	(void)state;
	assert_int_equal(N(unsupported) + N(supported), 173);
	for (i = 0; i < N(unsupported); i++) {
		const struct unsupported *t = &unsupported[i];
		int idx = gn_opt_find(t->name);
		const struct gn_option_info *o;
		const char *section;
		struct gn_config *cfg;
		int rc;

		assert_true(idx >= 0);
		o = gn_config_option((unsigned)idx);
		assert_false(o->supported);
		for (j = 0; j < N(supported); j++)
			assert_string_not_equal(supported[j].name, t->name);
		section = o->per_port ? "[eth0]" : "[global]";
		/* The default is accepted (but for two ts2phc options whose
		 * linuxptp default lies outside their range: linuxptp
		 * refuses to read it back too)... */
		if (!strcmp(t->name, "ts2phc.perout_phase") ||
		    !strcmp(t->name, "ts2phc.pulsewidth")) {
			snprintf(text, sizeof(text), "%s\n%s %s\n", section,
				 t->name, o->dflt);
			cfg = parse(text, &rc);
			assert_int_equal(rc, -EINVAL);
			assert_non_null(strstr(err, "bad value '-1'"));
			gn_config_destroy(cfg);
		} else if (o->dflt[0]) {
			snprintf(text, sizeof(text), "%s\n%s %s\n", section,
				 t->name, o->dflt);
			cfg = parse_ok(text);
			gn_config_destroy(cfg);
		}
		/* ... anything else is not. */
		snprintf(text, sizeof(text), "%s\n%s %s\n", section, t->name,
			 t->text);
		snprintf(msg, sizeof(msg), "2: option '%s': not supported yet",
			 t->name);
		expect_error(text, msg);
	}
}

/* Values that mean the default in another spelling are the default. */
static void test_unsupported_default_spellings(void **state)
{
	struct gn_config *cfg;

	(void)state;
	cfg = parse_ok("[global]\n"
		       "delay_request_variability 1\n" /* 1.0 */
		       "min_neighbor_prop_delay -0x1312D00\n"
		       "tsproc_mode FILTER\n"
		       "ptp_dst_ipv6 ff0e:0:0:0:0:0:0:181\n"
		       "cmlds.client_address /var/run/ptp/cmlds_client\n"
		       "fault_badpeernet_interval 0x10\n");
	assert_int_equal(
	    gn_config_get_int(cfg, NULL, "fault_badpeernet_interval"), 16);
	gn_config_destroy(cfg);
}

/* ---- precedence: command line > interface > [global] > default ---- */

static void test_precedence(void **state)
{
	static const char file[] = "[global]\n"
				   "logSyncInterval -1\n"
				   "logAnnounceInterval 2\n"
				   "priority1 100\n"
				   "[eth0]\n"
				   "logSyncInterval -2\n"
				   "udp_ttl 7\n"
				   "[eth1]\n";
	char *argv_after[] = {"gnomond",	   "-f", tmpfile_path,
			      "--logSyncInterval", "-3", NULL};
	char *argv_before[] = {
	    "gnomond", "--logSyncInterval=-3", "--priority1", "90",
	    "-f",      tmpfile_path,	       NULL};
	struct gn_cmdline cl;
	struct gn_config *cfg;

	(void)state;
	cfg = parse_ok(file);
	assert_int_equal(gn_config_num_interfaces(cfg), 2);
	/* default */
	assert_int_equal(gn_config_get_int(cfg, "eth1", "udp6_scope"), 14);
	/* [global] */
	assert_int_equal(gn_config_get_int(cfg, NULL, "logSyncInterval"), -1);
	assert_int_equal(gn_config_get_int(cfg, "eth1", "logSyncInterval"), -1);
	assert_int_equal(gn_config_get_int(cfg, "eth0", "logAnnounceInterval"),
			 2);
	/* interface section */
	assert_int_equal(gn_config_get_int(cfg, "eth0", "logSyncInterval"), -2);
	assert_int_equal(gn_config_get_int(cfg, "eth0", "udp_ttl"), 7);
	assert_int_equal(gn_config_get_int(cfg, "eth1", "udp_ttl"), 1);
	/* command line over both */
	assert_int_equal(gn_config_set_cmdline(cfg, "logSyncInterval", "-3",
					       err, sizeof(err)),
			 0);
	assert_int_equal(gn_config_get_int(cfg, "eth0", "logSyncInterval"), -3);
	assert_int_equal(gn_config_get_int(cfg, "eth1", "logSyncInterval"), -3);
	assert_int_equal(gn_config_get_int(cfg, NULL, "logSyncInterval"), -3);
	gn_config_destroy(cfg);

	/* The order of -f and --option does not matter. */
	cfg = gn_config_create();
	assert_int_equal(
	    gn_cmdline_parse(cfg, 5, argv_after, &cl, err, sizeof(err)), 0);
	assert_int_equal(gn_config_get_int(cfg, "eth0", "logSyncInterval"), -3);
	assert_int_equal(gn_config_get_int(cfg, NULL, "priority1"), 100);
	gn_config_destroy(cfg);
	cfg = gn_config_create();
	assert_int_equal(
	    gn_cmdline_parse(cfg, 6, argv_before, &cl, err, sizeof(err)), 0);
	assert_string_equal(cl.config_file, tmpfile_path);
	assert_int_equal(gn_config_get_int(cfg, "eth0", "logSyncInterval"), -3);
	assert_int_equal(gn_config_get_int(cfg, "eth1", "logSyncInterval"), -3);
	assert_int_equal(gn_config_get_int(cfg, NULL, "priority1"), 90);
	assert_int_equal(gn_config_get_int(cfg, "eth0", "udp_ttl"), 7);
	gn_config_destroy(cfg);
}

/* ---- the file format ---- */

static void test_format(void **state)
{
	struct gn_config *cfg;

	(void)state;
	cfg = parse_ok("# comment first\n"
		       "\n"
		       "   # indented comment\n"
		       "[global]\r\n"		   /* CRLF */
		       "  priority1   \t 200 \r\n" /* blanks around */
		       "priority1 201\n"	   /* last one wins */
		       "productDescription  a b; c d ;e  \n"
		       "clockClass 010\n"	 /* octal, as strtol 0 */
		       "slaveOnly 1\n"		 /* alias */
		       "pi_offset_const 0.05\n"	 /* alias */
		       "pi_f_offset_const 0.0\n" /* alias */
		       "pi_max_frequency 1000\n" /* alias */
		       "[ GLOBAL ]\n"		 /* case, blanks */
		       "priority2 +5\n"
		       "[eth0]\n"
		       "masterOnly 1\n" /* alias, per port */
		       "fault_reset_interval asap\n"
		       "[eth1]\n" /* empty section */
		       "[eth0]\n" /* again: same port */
		       "logSyncInterval -1\n"
		       "[unicast_master_table]\n"
		       "table_id 1\n"
		       "logQueryInterval 2\n"
		       "UDPv4 192.168.1.11\n"
		       "udpv6 fe80::1\n"
		       "L2 00:11:22:33:44:55\n"
		       "peer_address 192.168.4.44\n"
		       "[unicast_master_table]\n"
		       "table_id 0x2\n"
		       "# no newline at the end\n"
		       "UDPv4 10.0.0.1");
	assert_int_equal(gn_config_get_int(cfg, NULL, "priority1"), 201);
	assert_string_equal(
	    gn_config_get_string(cfg, NULL, "productDescription"),
	    "a b; c d ;e");
	assert_int_equal(gn_config_get_int(cfg, NULL, "clockClass"), 8);
	assert_int_equal(gn_config_get_int(cfg, NULL, "clientOnly"), 1);
	assert_true(gn_config_get_double(cfg, NULL, "step_threshold") == 0.05);
	assert_true(gn_config_get_double(cfg, NULL, "first_step_threshold") ==
		    0.0);
	assert_true(gn_config_is_set(cfg, NULL, "first_step_threshold"));
	assert_int_equal(gn_config_get_int(cfg, NULL, "max_frequency"), 1000);
	assert_int_equal(gn_config_get_int(cfg, NULL, "priority2"), 5);
	assert_int_equal(gn_config_num_interfaces(cfg), 2);
	assert_string_equal(gn_config_interface(cfg, 0), "eth0");
	assert_string_equal(gn_config_interface(cfg, 1), "eth1");
	assert_null(gn_config_interface(cfg, 2));
	assert_int_equal(gn_config_get_int(cfg, "eth0", "serverOnly"), 1);
	assert_int_equal(gn_config_get_int(cfg, "eth1", "serverOnly"), 0);
	assert_int_equal(gn_config_get_int(cfg, "eth0", "fault_reset_interval"),
			 GN_CFG_FRI_ASAP);
	assert_int_equal(gn_config_get_int(cfg, "eth0", "logSyncInterval"), -1);
	gn_config_destroy(cfg);

	/* ptp4l -f - reads standard input: not exercised here (the test
	 * runner's stdin); "-" must not be opened as a file name. */
}

static void test_interfaces(void **state)
{
	struct gn_config *cfg = gn_config_create();
	char name[40];
	int i;

	(void)state;
	assert_int_equal(gn_config_add_interface(cfg, "eth0"), 0);
	assert_int_equal(gn_config_add_interface(cfg, "eth1"), 1);
	assert_int_equal(gn_config_add_interface(cfg, "eth0"), 0);
	assert_int_equal(gn_config_add_interface(cfg, ""), -EINVAL);
	assert_int_equal(gn_config_add_interface(cfg, "a b"), -EINVAL);
	/* 31 characters fit GN_PORT_NAME_MAX (32), 32 do not. */
	assert_int_equal(
	    gn_config_add_interface(cfg, "abcdefghijklmnopqrstuvwxyz01234"), 2);
	assert_int_equal(
	    gn_config_add_interface(cfg, "abcdefghijklmnopqrstuvwxyz012345"),
	    -ENAMETOOLONG);
	for (i = 3; i < GN_CONFIG_MAX_INTERFACES; i++) {
		snprintf(name, sizeof(name), "veth%d", i);
		assert_int_equal(gn_config_add_interface(cfg, name), i);
	}
	assert_int_equal(gn_config_add_interface(cfg, "one_too_many"), -ENOSPC);
	assert_int_equal(gn_config_num_interfaces(cfg),
			 GN_CONFIG_MAX_INTERFACES);
	gn_config_destroy(cfg);
}

/* ---- every error, word for word ---- */

static void test_errors_options(void **state)
{
	(void)state;
	expect_error("[global]\n\npriority1 1\nfooBar 1\n",
		     "4: option 'fooBar': unknown option");
	/* names are case-sensitive, as linuxptp's */
	expect_error("[global]\nPriority1 1\n",
		     "2: option 'Priority1': unknown option");
	expect_error("[global]\npriority1 abc\n",
		     "2: option 'priority1': bad value 'abc' (allowed: "
		     "0..255)");
	expect_error("[global]\npriority1 256\n",
		     "2: option 'priority1': bad value '256' (allowed: "
		     "0..255)");
	expect_error("[global]\npriority1 -1\n",
		     "2: option 'priority1': bad value '-1' (allowed: 0..255)");
	expect_error("[global]\npriority1 12x\n",
		     "2: option 'priority1': bad value '12x' (allowed: "
		     "0..255)");
	expect_error("[global]\npriority1 1 # comment\n",
		     "2: option 'priority1': bad value '1 # comment' "
		     "(allowed: 0..255)");
	expect_error("[global]\nclockClass 08\n",
		     "2: option 'clockClass': bad value '08' (allowed: "
		     "0..255)");
	expect_error("[global]\ndelayAsymmetry 99999999999999999999\n",
		     "2: option 'delayAsymmetry': bad value "
		     "'99999999999999999999' (allowed: "
		     "-2147483648..2147483647)");
	expect_error("[global]\nnetwork_transport UDPv5\n",
		     "2: option 'network_transport': bad value 'UDPv5' "
		     "(allowed: UDPv4, UDPv6, L2)");
	expect_error("[global]\ndelay_mechanism e2e2\n",
		     "2: option 'delay_mechanism': bad value 'e2e2' "
		     "(allowed: E2E, P2P, Auto, COMMON_P2P, NONE)");
	expect_error("[global]\ntime_stamping soft\n",
		     "2: option 'time_stamping': bad value 'soft' (allowed: "
		     "hardware, software, legacy, onestep, p2p1step)");
	expect_error("[global]\nclock_servo pid\n",
		     "2: option 'clock_servo': bad value 'pid' (allowed: pi, "
		     "linreg, kalman, ntpshm, nullf, refclock_sock)");
	expect_error("[global]\nstep_threshold -1\n",
		     "2: option 'step_threshold': bad value '-1' (allowed: "
		     ">= 0)");
	expect_error("[global]\nstep_threshold nan\n",
		     "2: option 'step_threshold': bad value 'nan' (allowed: "
		     ">= 0)");
	expect_error("[global]\npi_proportional_norm_max 0\n",
		     "2: option 'pi_proportional_norm_max': bad value '0' "
		     "(allowed: > 0 and <= 1)");
	expect_error("[global]\npi_proportional_exponent inf\n",
		     "2: option 'pi_proportional_exponent': bad value 'inf' "
		     "(allowed: any number)");
	expect_error("[global]\nbound_asymmetry -2\n",
		     "2: option 'bound_asymmetry': bad value '-2' "
		     "(allowed: -1..1000000000)");
	expect_error("[global]\nholdover_growth -1\n",
		     "2: option 'holdover_growth': bad value '-1' "
		     "(allowed: 0..1e+07)");
	expect_error("[global]\nvirtual_clock_freq 1e8\n",
		     "2: option 'virtual_clock_freq': bad value '1e8' "
		     "(allowed: -1e+07..1e+07)");
	expect_error("[global]\nvirtual_clock_offset 1000000000000001\n",
		     "2: option 'virtual_clock_offset': bad value "
		     "'1000000000000001' (allowed: "
		     "-1000000000000000..1000000000000000)");
	expect_error("[global]\nfault_reset_interval -129\n",
		     "2: option 'fault_reset_interval': bad value '-129' "
		     "(allowed: -128..127, ASAP)");
	expect_error("[global]\nclockIdentity 001122.3344.55667\n",
		     "2: option 'clockIdentity': bad value "
		     "'001122.3344.55667' (allowed: aabbcc.ddee.ff0011)");
	expect_error("[global]\nptp_dst_mac 01:1B:19:00:00\n",
		     "2: option 'ptp_dst_mac': bad value '01:1B:19:00:00' "
		     "(allowed: six hex octets like 01:1B:19:00:00:00)");
	expect_error("[global]\nmanufacturerIdentity 00:00:0g\n",
		     "2: option 'manufacturerIdentity': bad value '00:00:0g' "
		     "(allowed: three hex octets like 00:00:00)");
	expect_error("[global]\nproductDescription a;b\n",
		     "2: option 'productDescription': bad value 'a;b' "
		     "(allowed: three fields a;b;c, at most 64 characters)");
	expect_error("[global]\nrevisionData "
		     "123456789012345678901234567890;1;1\n",
		     "2: option 'revisionData': bad value "
		     "'123456789012345678901234567890;1;1' (allowed: three "
		     "fields a;b;c, at most 32 characters)");
	expect_error(
	    "[global]\nuds_address "
	    "/tmp/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
	    "2: option 'uds_address': bad value "
	    "'/tmp/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaa...' (allowed: a socket path)");
	expect_error("[global]\npriority1\n",
		     "2: option 'priority1': missing value");
	expect_error("[global]\npriority1   \t\n",
		     "2: option 'priority1': missing value");
	expect_error("[eth0]\npriority1 1\n",
		     "2: option 'priority1': is a global option, not allowed "
		     "in [eth0]");
	expect_error("[eth0]\nslaveOnly 1\n",
		     "2: option 'slaveOnly': is a global option, not allowed "
		     "in [eth0]");
	/* linuxptp refuses lines before the first section too. */
	expect_error("# comment\npriority1 1\n[global]\n",
		     "2: option 'priority1': not in a section (start the "
		     "file with [global])");
}

static void test_errors_not_supported(void **state)
{
	(void)state;
	expect_error("[global]\nhybrid_e2e 1\n",
		     "2: option 'hybrid_e2e': not supported yet");
	expect_error("[global]\ndelay_mechanism COMMON_P2P\n",
		     "2: option 'delay_mechanism': value 'COMMON_P2P' not "
		     "supported yet (supported: E2E, P2P, Auto)");
	expect_error("[global]\n[eth0]\ndelay_mechanism none\n",
		     "3: option 'delay_mechanism': value 'NONE' not supported "
		     "yet (supported: E2E, P2P, Auto)");
	expect_error("[global]\ntime_stamping onestep\n",
		     "2: option 'time_stamping': value 'onestep' not "
		     "supported yet (supported: hardware, software, legacy)");
	expect_error("[global]\ntime_stamping p2p1step\n",
		     "2: option 'time_stamping': value 'p2p1step' not "
		     "supported yet (supported: hardware, software, legacy)");
	expect_error("[global]\nclock_servo ntpshm\n",
		     "2: option 'clock_servo': value 'ntpshm' not supported "
		     "yet (supported: pi, linreg, kalman)");
	expect_error("[global]\nclock_type BC\n",
		     "2: option 'clock_type': value 'BC' not supported yet "
		     "(supported: OC, P2P_TC, E2E_TC)");
	expect_error("[global]\nBMCA noop\n",
		     "2: option 'BMCA': value 'noop' not supported yet "
		     "(supported: ptp)");
	expect_error("[global]\nasCapable true\n",
		     "2: option 'asCapable': value 'true' not supported yet "
		     "(supported: auto)");
	expect_error("[global]\ndelay_filter_length 65\n",
		     "2: option 'delay_filter_length': value 65 not supported "
		     "yet (supported: 1..64)");
	expect_error("[global]\nutc_offset 40000\n",
		     "2: option 'utc_offset': value 40000 not supported yet "
		     "(supported: 0..32767)");
	/* A bad value is reported as bad, not as unsupported. */
	expect_error("[global]\nhybrid_e2e 2\n",
		     "2: option 'hybrid_e2e': bad value '2' (allowed: 0..1)");
}

static void test_errors_syntax(void **state)
{
	char *text;
	size_t n;

	(void)state;
	expect_error("[global]\n[eth0\n",
		     "2: malformed section header '[eth0' (expected "
		     "[global], [interface] or [unicast_master_table])");
	expect_error("[global]\n[]\n",
		     "2: malformed section header '[]' (expected [global], "
		     "[interface] or [unicast_master_table])");
	expect_error("[ ]\n",
		     "1: malformed section header '[ ]' (expected [global], "
		     "[interface] or [unicast_master_table])");
	expect_error("[eth 0]\n",
		     "1: malformed section header '[eth 0]' (expected "
		     "[global], [interface] or [unicast_master_table])");
	expect_error("[eth0] # port\n",
		     "1: malformed section header '[eth0] # port' (expected "
		     "[global], [interface] or [unicast_master_table])");
	expect_error("[[eth0]]\n",
		     "1: malformed section header '[[eth0]]' (expected "
		     "[global], [interface] or [unicast_master_table])");
	expect_error("[abcdefghijklmnopqrstuvwxyz0123456789]\n",
		     "1: interface name 'abcdefghijklmnopqrstuvwxyz0123456789' "
		     "too long (at most 31 characters)");

	/* 1023 characters are fine, 1024 are not. */
	n = 1024;
	text = malloc(n + 32);
	assert_non_null(text);
	memcpy(text, "[global]\nuser ", 14);
	memset(text + 14, 'u', 1023 - 5);
	strcpy(text + 14 + 1023 - 5, "\n");
	expect_error(text, "2: option 'user': not supported yet");
	memcpy(text, "[global]\nuser ", 14);
	memset(text + 14, 'u', 1024 - 5);
	strcpy(text + 14 + 1024 - 5, "\n");
	expect_error(text, "2: line too long (at most 1023 characters)");
	free(text);

	/* A NUL inside a line. */
	{
		static const char bin[] = "[global]\npriority1 1\0 2\n";
		FILE *fp = fopen(tmpfile_path, "w");
		struct gn_config *cfg = gn_config_create();
		char want[300];

		assert_non_null(fp);
		assert_int_equal(fwrite(bin, 1, sizeof(bin) - 1, fp),
				 sizeof(bin) - 1);
		fclose(fp);
		assert_int_equal(
		    gn_config_read(cfg, tmpfile_path, err, sizeof(err)),
		    -EINVAL);
		snprintf(want, sizeof(want), "%s:2: line contains a NUL byte",
			 tmpfile_path);
		assert_string_equal(err, want);
		gn_config_destroy(cfg);
	}
}

static void test_errors_unicast_table(void **state)
{
	(void)state;
	expect_error("[unicast_master_table]\nUDPv4 192.168.1.1\n",
		     "2: option 'UDPv4': no table_id before it in this "
		     "[unicast_master_table]");
	expect_error("[unicast_master_table]\ntable_id 1\n"
		     "[unicast_master_table]\nlogQueryInterval 1\n",
		     "4: option 'logQueryInterval': no table_id before it in "
		     "this [unicast_master_table]");
	expect_error("[unicast_master_table]\ntable_id 0\n",
		     "2: option 'table_id': bad value '0' (allowed: "
		     "1..2147483647)");
	expect_error("[unicast_master_table]\ntable_id 1\n"
		     "[unicast_master_table]\ntable_id 1\n",
		     "4: option 'table_id': table 1 already defined");
	expect_error("[unicast_master_table]\ntable_id 1\n"
		     "logQueryInterval 128\n",
		     "3: option 'logQueryInterval': bad value '128' (allowed: "
		     "-128..127)");
	expect_error("[unicast_master_table]\ntable_id 1\nUDPv4 10.0.0.256\n",
		     "3: option 'UDPv4': bad value '10.0.0.256' (allowed: an "
		     "IPv4 address)");
	expect_error("[unicast_master_table]\ntable_id 1\nUDPv6 10.0.0.1\n",
		     "3: option 'UDPv6': bad value '10.0.0.1' (allowed: an "
		     "IPv6 address)");
	expect_error("[unicast_master_table]\ntable_id 1\nL2 00:11:22\n",
		     "3: option 'L2': bad value '00:11:22' (allowed: six hex "
		     "octets like 01:1B:19:00:00:00)");
	expect_error("[unicast_master_table]\ntable_id 1\n"
		     "UDPv4 10.0.0.1 10.0.0.2\n",
		     "3: option 'UDPv4': bad value '10.0.0.1 10.0.0.2' (one "
		     "word expected)");
	expect_error("[unicast_master_table]\ntable_id 1\nUDPv4\n",
		     "3: option 'UDPv4': missing value");
	expect_error("[unicast_master_table]\ntable_id 1\nIPX 1\n",
		     "3: option 'IPX': unknown option in "
		     "[unicast_master_table] (allowed: table_id, "
		     "logQueryInterval, peer_address, UDPv4, UDPv6, L2)");
	/* Using a table is not supported yet. */
	expect_error("[unicast_master_table]\ntable_id 1\nUDPv4 10.0.0.1\n"
		     "[eth0]\nunicast_master_table 1\n",
		     "5: option 'unicast_master_table': not supported yet");
}

static void test_error_unreadable(void **state)
{
	struct gn_config *cfg = gn_config_create();
	char want[300];

	(void)state;
	assert_int_equal(
	    gn_config_read(cfg, "/nonexistent/gnomon.cfg", err, sizeof(err)),
	    -ENOENT);
	assert_string_equal(err, "/nonexistent/gnomon.cfg: cannot open: No "
				 "such file or directory");
	/* A directory opens but cannot be read. */
	assert_int_equal(gn_config_read(cfg, tmpdir, err, sizeof(err)),
			 -ENOENT);
	snprintf(want, sizeof(want), "%s: cannot read: Is a directory", tmpdir);
	assert_string_equal(err, want);
	/* The store is untouched by a failed read... */
	assert_int_equal(gn_config_num_interfaces(cfg), 0);
	/* ... and a message that does not fit is cut, not overrun. */
	{
		char small[12];

		memset(small, 'x', sizeof(small));
		assert_int_equal(
		    gn_config_read(cfg, "/nonexistent/x", small, 8), -ENOENT);
		assert_string_equal(small, "/nonexi");
		assert_int_equal(small[8], 'x');
	}
	assert_int_equal(gn_config_read(cfg, "/nonexistent/x", NULL, 0),
			 -ENOENT);
	gn_config_destroy(cfg);
}

/* Values accepted before the error stay; the file stops at the error
 * (as ptp4l, which then exits). Line numbers count every line. */
static void test_line_numbers(void **state)
{
	(void)state;
	expect_error("# 1\n"
		     "\n"
		     "[global]\n"
		     "   \n"
		     "\t# 5\n"
		     "priority1 1\n"
		     "[eth0]\n"
		     "\n"
		     "udp_ttl 300\n",
		     "9: option 'udp_ttl': bad value '300' (allowed: 1..255)");
	expect_error("[global]\r\n\r\n\r\nfoo 1\r\n",
		     "4: option 'foo': unknown option");
}

/* ---- command line ---- */

static int run_cmdline(struct gn_config *cfg, struct gn_cmdline *cl, int argc,
		       char **argv)
{
	err[0] = '\0';
	return gn_cmdline_parse(cfg, argc, argv, cl, err, sizeof(err));
}

/* argv from the arguments up to NULL, behind "gnomond". */
static int cmdline(struct gn_config *cfg, struct gn_cmdline *cl, ...)
{
	char *argv[32];
	const char *a;
	int argc = 0;
	va_list ap;

	argv[argc++] = "gnomond";
	va_start(ap, cl);
	while ((a = va_arg(ap, const char *)) != NULL && argc < 31)
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	return run_cmdline(cfg, cl, argc, argv);
}

#define CMDLINE(cfg, cl, ...) cmdline(cfg, cl, __VA_ARGS__, (const char *)NULL)

static void test_cmdline_short(void **state)
{
	struct gn_cmdline cl;
	struct gn_config *cfg;

	(void)state;
	cfg = gn_config_create();
	assert_int_equal(CMDLINE(cfg, &cl, "-P", "-6", "-S", "-s", "-l", "7",
				 "-m", "-q", "-i", "eth0", "-i", "eth1", "-i",
				 "eth0", "-p", "/dev/ptp3"),
			 0);
	assert_int_equal(gn_config_get_int(cfg, NULL, "delay_mechanism"),
			 GN_CFG_DM_P2P);
	assert_int_equal(gn_config_get_int(cfg, NULL, "network_transport"),
			 GN_CFG_UDPV6);
	assert_int_equal(gn_config_get_int(cfg, NULL, "time_stamping"),
			 GN_CFG_TS_SOFTWARE);
	assert_int_equal(gn_config_get_int(cfg, NULL, "clientOnly"), 1);
	assert_int_equal(gn_config_get_int(cfg, NULL, "logging_level"), 7);
	assert_int_equal(gn_config_get_int(cfg, NULL, "verbose"), 1);
	assert_int_equal(gn_config_get_int(cfg, NULL, "use_syslog"), 0);
	assert_int_equal(gn_config_get_int(cfg, "eth1", "phc_index"), 3);
	assert_int_equal(gn_config_num_interfaces(cfg), 2);
	assert_string_equal(gn_config_interface(cfg, 0), "eth0");
	assert_string_equal(gn_config_interface(cfg, 1), "eth1");
	assert_null(cl.config_file);
	assert_false(cl.help);
	assert_false(cl.version);
	gn_config_destroy(cfg);

	cfg = gn_config_create();
	assert_int_equal(CMDLINE(cfg, &cl, "-E", "-2", "-L"), 0);
	assert_int_equal(gn_config_get_int(cfg, NULL, "delay_mechanism"),
			 GN_CFG_DM_E2E);
	assert_true(gn_config_is_set(cfg, NULL, "delay_mechanism"));
	assert_int_equal(gn_config_get_int(cfg, NULL, "network_transport"),
			 GN_CFG_L2);
	assert_int_equal(gn_config_get_int(cfg, NULL, "time_stamping"),
			 GN_CFG_TS_LEGACY_HW);
	assert_int_equal(CMDLINE(cfg, &cl, "-4", "-H"), 0);
	assert_int_equal(gn_config_get_int(cfg, NULL, "network_transport"),
			 GN_CFG_UDPV4);
	assert_int_equal(gn_config_get_int(cfg, NULL, "time_stamping"),
			 GN_CFG_TS_HARDWARE);
	/* -A: ptp4l's Auto. */
	assert_int_equal(CMDLINE(cfg, &cl, "-A"), 0);
	assert_int_equal(gn_config_get_int(cfg, NULL, "delay_mechanism"),
			 GN_CFG_DM_AUTO);
	gn_config_destroy(cfg);

	cfg = gn_config_create();
	assert_int_equal(CMDLINE(cfg, &cl, "-m", "-h", "-x"), 0);
	assert_true(cl.help);
	gn_config_destroy(cfg);
	cfg = gn_config_create();
	assert_int_equal(CMDLINE(cfg, &cl, "-v"), 0);
	assert_true(cl.version);
	assert_false(cl.help);
	gn_config_destroy(cfg);
}

static void test_cmdline_long(void **state)
{
	struct gn_cmdline cl;
	struct gn_config *cfg;
	unsigned i;

	(void)state;
	cfg = gn_config_create();
	assert_int_equal(
	    CMDLINE(cfg, &cl, "--priority1", "100", "--priority2=101",
		    "--slaveOnly", "1", "--productDescription=a b;c;d",
		    "--time_stamping=software", "--virtual_clock_freq", "-12.5",
		    "--masterOnly=1"),
	    0);
	assert_int_equal(gn_config_get_int(cfg, NULL, "priority1"), 100);
	assert_int_equal(gn_config_get_int(cfg, NULL, "priority2"), 101);
	assert_int_equal(gn_config_get_int(cfg, NULL, "clientOnly"), 1);
	assert_int_equal(gn_config_get_int(cfg, NULL, "serverOnly"), 1);
	assert_string_equal(
	    gn_config_get_string(cfg, NULL, "productDescription"), "a b;c;d");
	assert_true(gn_config_get_double(cfg, NULL, "virtual_clock_freq") ==
		    -12.5);
	gn_config_destroy(cfg);

	/* Every option of the table is a long option. */
	cfg = gn_config_create();
	for (i = 0; i < N(supported); i++) {
		char opt[128];
		char *argv[] = {"gnomond", opt, (char *)supported[i].text,
				NULL};

		snprintf(opt, sizeof(opt), "--%s", supported[i].name);
		if (run_cmdline(cfg, &cl, 3, argv))
			fail_msg("%s: %s", opt, err);
		check_value(cfg, NULL, &supported[i]);
	}
	gn_config_destroy(cfg);
}

static void test_cmdline_errors(void **state)
{
	struct gn_cmdline cl;
	struct gn_config *cfg = gn_config_create();
	char want[300];

	(void)state;
	assert_int_equal(CMDLINE(cfg, &cl, "--fooBar", "1"), -EINVAL);
	assert_string_equal(err, "command line: unknown or ambiguous option "
				 "'--fooBar'");
	/* "pi_i" abbreviates several options. */
	assert_int_equal(CMDLINE(cfg, &cl, "--pi_i", "1"), -EINVAL);
	assert_string_equal(err, "command line: unknown or ambiguous option "
				 "'--pi_i'");
	assert_int_equal(CMDLINE(cfg, &cl, "-x"), -EINVAL);
	assert_string_equal(err, "command line: unknown option '-x'");
	assert_int_equal(CMDLINE(cfg, &cl, "--priority1"), -EINVAL);
	assert_string_equal(err,
			    "command line: option '--priority1' needs a value");
	assert_int_equal(CMDLINE(cfg, &cl, "-i"), -EINVAL);
	assert_string_equal(err, "command line: option '-i' needs an argument");
	assert_int_equal(CMDLINE(cfg, &cl, "--priority1", "300"), -EINVAL);
	assert_string_equal(err, "command line: option 'priority1': bad "
				 "value '300' (allowed: 0..255)");
	assert_int_equal(CMDLINE(cfg, &cl, "--hybrid_e2e=1"), -EINVAL);
	assert_string_equal(err, "command line: option 'hybrid_e2e': not "
				 "supported yet");
	assert_int_equal(CMDLINE(cfg, &cl, "-l", "8"), -EINVAL);
	assert_string_equal(err, "command line: option 'logging_level': bad "
				 "value '8' (allowed: 0..7)");
	assert_int_equal(CMDLINE(cfg, &cl, "-p", "eth0"), -EINVAL);
	assert_string_equal(err, "command line: option '-p': 'eth0' is not a "
				 "PHC device (expected /dev/ptpN)");
	assert_int_equal(CMDLINE(cfg, &cl, "-p", "/dev/ptp"), -EINVAL);
	assert_int_equal(
	    CMDLINE(cfg, &cl, "-i", "abcdefghijklmnopqrstuvwxyz0123456789"),
	    -EINVAL);
	assert_string_equal(err, "command line: option '-i': interface name "
				 "'abcdefghijklmnopqrstuvwxyz0123456789' too "
				 "long (at most 31 characters)");
	assert_int_equal(CMDLINE(cfg, &cl, "-m", "eth0"), -EINVAL);
	assert_string_equal(err, "command line: unexpected argument 'eth0'");
	assert_int_equal(CMDLINE(cfg, &cl, "-f", "/nonexistent/g.cfg"),
			 -ENOENT);
	assert_string_equal(err, "/nonexistent/g.cfg: cannot open: No such "
				 "file or directory");
	/* Errors in the -f file keep its file:line form. */
	write_file(tmpfile_path, "[global]\nfoo 1\n");
	assert_int_equal(CMDLINE(cfg, &cl, "-f", tmpfile_path), -EINVAL);
	snprintf(want, sizeof(want), "%s:2: option 'foo': unknown option",
		 tmpfile_path);
	assert_string_equal(err, want);
	/* set_cmdline directly */
	assert_int_equal(
	    gn_config_set_cmdline(cfg, "nope", "1", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "command line: option 'nope': unknown option");
	assert_int_equal(
	    gn_config_set_cmdline(cfg, "priority1", NULL, err, sizeof(err)),
	    -EINVAL);
	assert_string_equal(err,
			    "command line: option 'priority1': missing value");
	gn_config_destroy(cfg);
}

static void test_usage(void **state)
{
	char buf[4096];
	FILE *fp = fmemopen(buf, sizeof(buf), "w");
	size_t n;

	(void)state;
	assert_non_null(fp);
	gn_cmdline_usage("gnomond", fp);
	n = (size_t)ftell(fp);
	fclose(fp);
	buf[n < sizeof(buf) ? n : sizeof(buf) - 1] = '\0';
	assert_non_null(strstr(buf, "\nusage: gnomond [options]\n"));
	assert_non_null(strstr(buf, " -i [dev]  interface device to use"));
	assert_non_null(strstr(buf, " -S        SOFTWARE\n"));
	assert_non_null(strstr(buf, " --NAME VALUE, --NAME=VALUE\n"));
}

/* ---- mapping to the core ---- */

static void test_map_defaults(void **state)
{
	struct gn_clock_config cc, dc;
	struct gn_port_config pc, dp;
	struct gn_config *cfg = gn_config_create();

	(void)state;
	gn_config_add_interface(cfg, "eth0");
	assert_int_equal(gn_config_clock(cfg, &cc, err, sizeof(err)), 0);
	assert_int_equal(gn_config_port(cfg, "eth0", &pc, err, sizeof(err)), 0);
	gn_clock_config_default(&dc);
	gn_port_config_default(&dp);
	/* linuxptp's defaults map onto the core's defaults, except what
	 * ptp4l's defaults add, hardware stamping, and gnomond's servo:
	 * kalman with its robust-mean delay filter over 64 samples. */
	assert_int_equal(cc.domain, 0);
	assert_int_equal(cc.priority1, 128);
	assert_int_equal(cc.quality.clock_class, 248);
	assert_int_equal(cc.quality.clock_accuracy, 0xFE);
	assert_int_equal(cc.quality.offset_scaled_log_variance, 0xFFFF);
	assert_true(cc.two_step);
	assert_int_equal(cc.utc_offset, 37);
	assert_int_equal(cc.time_source, 0xA0);
	assert_true(cc.hw_stamping);
	assert_true(cc.servo.hw_stamping);
	cc.hw_stamping = dc.hw_stamping;
	cc.servo.hw_stamping = dc.servo.hw_stamping;
	assert_int_equal(cc.servo.type, GN_SERVO_KALMAN);
	assert_int_equal(dc.servo.type, GN_SERVO_PI);
	cc.servo.type = dc.servo.type;
	assert_memory_equal(&cc, &dc, sizeof(cc));
	assert_string_equal(pc.name, "eth0");
	assert_int_equal(pc.timestamping, GN_TIMESTAMPING_HARDWARE);
	assert_int_equal(pc.delay_filter, GN_FILTER_ROBUST_MEAN);
	assert_int_equal(pc.delay_filter_length, 64);
	memcpy(dp.name, pc.name, sizeof(dp.name));
	dp.timestamping = pc.timestamping;
	dp.delay_filter = pc.delay_filter;
	dp.delay_filter_length = pc.delay_filter_length;
	assert_memory_equal(&pc, &dp, sizeof(pc));
	gn_config_destroy(cfg);
}

static void test_map_values(void **state)
{
	static const char file[] = "[global]\n"
				   "domainNumber 3\n"
				   "priority1 10\n"
				   "priority2 20\n"
				   "clockClass 6\n"
				   "clockAccuracy 0x21\n"
				   "offsetScaledLogVariance 0x4E5D\n"
				   "free_running 1\n"
				   "freq_est_interval -2\n"
				   "maxStepsRemoved 16\n"
				   "utc_offset 36\n"
				   "timeSource 0x20\n"
				   "time_stamping software\n"
				   "summary_interval 3\n"
				   "clockIdentity 0a1b2c.fffe.3d4e5F\n"
				   "clock_servo linreg\n"
				   "pi_proportional_const 0.7\n"
				   "pi_integral_const 0.3\n"
				   "pi_proportional_scale 0.11\n"
				   "pi_proportional_exponent -0.25\n"
				   "pi_proportional_norm_max 0.5\n"
				   "pi_integral_scale 0.002\n"
				   "pi_integral_exponent 0.45\n"
				   "pi_integral_norm_max 0.2\n"
				   "step_threshold 0.5\n"
				   "first_step_threshold 0.000125\n"
				   "max_frequency 500000\n"
				   "servo_offset_threshold 30\n"
				   "servo_num_offset_values 7\n"
				   "ptp_minor_version 0\n"
				   "logSyncInterval -3\n"
				   "[eth0]\n"
				   "logAnnounceInterval -2\n"
				   "logMinDelayReqInterval -4\n"
				   "logMinPdelayReqInterval 2\n"
				   "announceReceiptTimeout 4\n"
				   "syncReceiptTimeout 3\n"
				   "delay_mechanism P2P\n"
				   "delayAsymmetry -250\n"
				   "transportSpecific 1\n"
				   "serverOnly 1\n"
				   "ignore_transport_specific 1\n"
				   "neighborPropDelayThresh 800\n"
				   "fault_reset_interval ASAP\n"
				   "delay_filter moving_average\n"
				   "delay_filter_length 5\n"
				   "follow_up_info 1\n"
				   "phc_index 2\n"
				   "[eth1]\n"
				   "fault_reset_interval -2\n";
	static const struct gn_clock_identity id = {
	    {0x0a, 0x1b, 0x2c, 0xff, 0xfe, 0x3d, 0x4e, 0x5f}};
	struct gn_clock_config cc;
	struct gn_port_config pc;
	struct gn_config *cfg = parse_ok(file);

	(void)state;
	assert_int_equal(gn_config_clock(cfg, &cc, err, sizeof(err)), 0);
	assert_int_equal(cc.domain, 3);
	assert_int_equal(cc.priority1, 10);
	assert_int_equal(cc.priority2, 20);
	assert_int_equal(cc.quality.clock_class, 6);
	assert_int_equal(cc.quality.clock_accuracy, 0x21);
	assert_int_equal(cc.quality.offset_scaled_log_variance, 0x4E5D);
	assert_true(cc.two_step);
	assert_false(cc.slave_only);
	assert_true(cc.free_running);
	assert_int_equal(cc.freq_est_interval, -2);
	assert_int_equal(cc.max_steps_removed, 16);
	assert_int_equal(cc.utc_offset, 36);
	assert_int_equal(cc.time_source, 0x20);
	assert_false(cc.hw_stamping);
	assert_int_equal(cc.summary_interval, 3);
	assert_memory_equal(&cc.identity, &id, sizeof(id));
	assert_int_equal(cc.servo.type, GN_SERVO_LINREG);
	assert_false(cc.servo.hw_stamping);
	assert_true(cc.servo.pi_kp == 0.7);
	assert_true(cc.servo.pi_ki == 0.3);
	assert_true(cc.servo.pi_kp_scale == 0.11);
	assert_true(cc.servo.pi_kp_exponent == -0.25);
	assert_true(cc.servo.pi_kp_norm_max == 0.5);
	assert_true(cc.servo.pi_ki_scale == 0.002);
	assert_true(cc.servo.pi_ki_exponent == 0.45);
	assert_true(cc.servo.pi_ki_norm_max == 0.2);
	assert_int_equal(cc.servo.step_threshold_ns, 500000000);
	assert_int_equal(cc.servo.first_step_threshold_ns, 125000);
	assert_true(cc.servo.max_frequency_ppb == 500000.0);
	assert_int_equal(cc.servo.offset_threshold_ns, 30);
	assert_int_equal(cc.servo.num_offset_values, 7);
	assert_true(cc.initial_freq_ppb == 0.0);

	assert_int_equal(gn_config_port(cfg, "eth0", &pc, err, sizeof(err)), 0);
	assert_string_equal(pc.name, "eth0");
	assert_int_equal(pc.log_announce_interval, -2);
	assert_int_equal(pc.log_sync_interval, -3);
	assert_int_equal(pc.log_min_delay_req_interval, -4);
	assert_int_equal(pc.log_min_pdelay_req_interval, 2);
	assert_int_equal(pc.announce_receipt_timeout, 4);
	assert_int_equal(pc.sync_receipt_timeout, 3);
	assert_int_equal(pc.delay_mechanism, GN_DM_P2P);
	assert_int_equal(pc.delay_asymmetry_ns, -250);
	assert_int_equal(pc.transport_specific, 1);
	assert_true(pc.master_only);
	assert_true(pc.ignore_transport_specific);
	assert_int_equal(pc.neighbor_prop_delay_thresh_ns, 800);
	assert_int_equal(pc.fault_reset_interval, GN_FRI_ASAP);
	assert_int_equal(pc.delay_filter, GN_FILTER_MOVING_AVERAGE);
	assert_int_equal(pc.delay_filter_length, 5);
	assert_int_equal(pc.minor_version, 0);
	assert_true(pc.follow_up_info);
	assert_int_equal(pc.timestamping, GN_TIMESTAMPING_SOFTWARE);
	assert_int_equal(pc.phc_index, 2);

	assert_int_equal(gn_config_port(cfg, "eth1", &pc, err, sizeof(err)), 0);
	assert_int_equal(pc.log_announce_interval, 1);
	assert_int_equal(pc.log_sync_interval, -3);
	assert_int_equal(pc.delay_mechanism, GN_DM_E2E);
	assert_false(pc.master_only);
	assert_int_equal(pc.fault_reset_interval, -2);
	assert_int_equal(pc.delay_filter, GN_FILTER_MOVING_MEDIAN);
	assert_int_equal(pc.phc_index, -1);
	gn_config_destroy(cfg);
}

/* The options behind the Announce TLVs and the stamp latencies. */
static void test_map_announce_options(void **state)
{
	static const char file[] =
	    "[global]\n"
	    "egressLatency 120\n"
	    "ingressLatency -35\n"
	    "path_trace_enabled 1\n"
	    "power_profile.version 2011\n"
	    "power_profile.grandmasterID 0x1234\n"
	    "power_profile.2011.grandmasterTimeInaccuracy 50\n"
	    "power_profile.2011.networkTimeInaccuracy 200\n"
	    "power_profile.2017.totalTimeInaccuracy 250\n"
	    "[eth0]\n"
	    "[eth1]\n"
	    "egressLatency 0\n"
	    "ingressLatency 0\n"
	    "path_trace_enabled 0\n"
	    "power_profile.version 2017\n"
	    "power_profile.grandmasterID 0\n"
	    "power_profile.2011.grandmasterTimeInaccuracy -1\n"
	    "power_profile.2011.networkTimeInaccuracy -1\n"
	    "power_profile.2017.totalTimeInaccuracy -1\n";
	struct gn_port_config pc;
	struct gn_config *cfg = parse_ok(file);

	(void)state;
	assert_int_equal(gn_config_port(cfg, "eth0", &pc, err, sizeof(err)), 0);
	assert_int_equal(pc.egress_latency_ns, 120);
	assert_int_equal(pc.ingress_latency_ns, -35);
	assert_true(pc.path_trace_enabled);
	assert_int_equal(pc.power_profile.version, GN_POWER_PROFILE_2011);
	assert_int_equal(pc.power_profile.grandmaster_id, 0x1234);
	assert_int_equal(pc.power_profile.grandmaster_time_inaccuracy_ns, 50);
	assert_int_equal(pc.power_profile.network_time_inaccuracy_ns, 200);
	assert_int_equal(pc.power_profile.total_time_inaccuracy_ns, 250);

	assert_int_equal(gn_config_port(cfg, "eth1", &pc, err, sizeof(err)), 0);
	assert_int_equal(pc.egress_latency_ns, 0);
	assert_int_equal(pc.ingress_latency_ns, 0);
	assert_false(pc.path_trace_enabled);
	/* linuxptp's -1: 0xFFFFFFFF, "unknown" */
	assert_int_equal(pc.power_profile.version, GN_POWER_PROFILE_2017);
	assert_int_equal(pc.power_profile.grandmaster_id, 0);
	assert_int_equal(pc.power_profile.grandmaster_time_inaccuracy_ns,
			 0xFFFFFFFFu);
	assert_int_equal(pc.power_profile.network_time_inaccuracy_ns,
			 0xFFFFFFFFu);
	assert_int_equal(pc.power_profile.total_time_inaccuracy_ns,
			 0xFFFFFFFFu);
	gn_config_destroy(cfg);
}

static void expect_map_error(const char *file, const char *msg)
{
	struct gn_clock_config cc;
	struct gn_config *cfg = parse_ok(file);

	gn_config_add_interface(cfg, "eth0");
	assert_int_equal(gn_config_clock(cfg, &cc, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, msg);
	gn_config_destroy(cfg);
}

/* clock_type E2E_TC / P2P_TC and tc_spanning_tree reach the core. */
static void test_map_tc(void **state)
{
	struct gn_clock_config cc;
	struct gn_config *cfg;

	(void)state;
	cfg = parse_ok("[global]\nclock_type E2E_TC\ntc_spanning_tree 1\n");
	gn_config_add_interface(cfg, "eth0");
	gn_config_add_interface(cfg, "eth1");
	assert_int_equal(gn_config_clock(cfg, &cc, err, sizeof(err)), 0);
	assert_int_equal(cc.clock_type, GN_CLOCK_E2E_TC);
	assert_true(cc.tc_spanning_tree);
	gn_config_destroy(cfg);
	cfg = parse_ok("[global]\nclock_type P2P_TC\ndelay_mechanism P2P\n");
	gn_config_add_interface(cfg, "eth0");
	assert_int_equal(gn_config_clock(cfg, &cc, err, sizeof(err)), 0);
	assert_int_equal(cc.clock_type, GN_CLOCK_P2P_TC);
	assert_false(cc.tc_spanning_tree);
	gn_config_destroy(cfg);
}

static void test_map_checks(void **state)
{
	struct gn_clock_config cc;
	struct gn_port_config pc;
	struct gn_config *cfg;

	(void)state;
	expect_map_error("[global]\nclientOnly 1\n[eth0]\nserverOnly 1\n",
			 "clientOnly and serverOnly cannot both be set");
	expect_map_error("[global]\nslaveOnly 1\nmasterOnly 1\n",
			 "clientOnly and serverOnly cannot both be set");
	expect_map_error("[global]\nclientOnly 1\ngmCapable 0\n",
			 "cannot mix 1588 clientOnly with 802.1AS !gmCapable");
	expect_map_error("[global]\ntwoStepFlag 0\ntime_stamping software\n",
			 "twoStepFlag 0: one step is only possible with "
			 "hardware time stamping");
	expect_map_error("[global]\ntwoStepFlag 0\ntime_stamping legacy\n",
			 "twoStepFlag 0: one step is only possible with "
			 "hardware time stamping");
	expect_map_error("[global]\ntwoStepFlag 0\n",
			 "twoStepFlag 0: one-step time stamping is not "
			 "supported yet");
	/* kalman brings the robust mean over 64 delays
	 * unless the filter is set; pi keeps ptp4l's median of 10. */
	{
		struct gn_port_config kp;
		struct gn_clock_config kc;
		int rc;

		cfg = parse_ok("[global]\nclock_servo kalman\n[eth0]\n");
		err[0] = '\0';
		rc = gn_config_clock(cfg, &kc, err, sizeof(err));
		if (rc)
			fprintf(stderr, "%s\n", err);
		assert_int_equal(rc, 0);
		assert_int_equal(kc.servo.type, GN_SERVO_KALMAN);
		assert_int_equal(
		    gn_config_port(cfg, "eth0", &kp, err, sizeof(err)), 0);
		assert_int_equal(kp.delay_filter, GN_FILTER_ROBUST_MEAN);
		assert_int_equal(kp.delay_filter_length, 64);
		gn_config_destroy(cfg);
		cfg = parse_ok("[global]\nclock_servo pi\n[eth0]\n");
		assert_int_equal(
		    gn_config_port(cfg, "eth0", &kp, err, sizeof(err)), 0);
		assert_int_equal(kp.delay_filter, GN_FILTER_MOVING_MEDIAN);
		assert_int_equal(kp.delay_filter_length, 10);
		assert_int_equal(gn_config_clock(cfg, &kc, err, sizeof(err)),
				 0);
		assert_int_equal(kc.servo.type, GN_SERVO_PI);
		gn_config_destroy(cfg);
		/* Nothing said: kalman, the default, with its filter. */
		cfg = parse_ok("[global]\n[eth0]\n");
		assert_int_equal(gn_config_clock(cfg, &kc, err, sizeof(err)),
				 0);
		assert_int_equal(kc.servo.type, GN_SERVO_KALMAN);
		assert_int_equal(
		    gn_config_port(cfg, "eth0", &kp, err, sizeof(err)), 0);
		assert_int_equal(kp.delay_filter, GN_FILTER_ROBUST_MEAN);
		assert_int_equal(kp.delay_filter_length, 64);
		gn_config_destroy(cfg);
		cfg = parse_ok("[global]\nclock_servo kalman\n"
			       "delay_filter_length 20\n[eth0]\n");
		assert_int_equal(
		    gn_config_port(cfg, "eth0", &kp, err, sizeof(err)), 0);
		assert_int_equal(kp.delay_filter, GN_FILTER_ROBUST_MEAN);
		assert_int_equal(kp.delay_filter_length, 20);
		gn_config_destroy(cfg);
		cfg = NULL;
	}

	/* gmCapable 0 announces clockClass 255, as ptp4l. */
	cfg = parse_ok("[global]\ngmCapable 0\nclockClass 6\n");
	assert_int_equal(gn_config_clock(cfg, &cc, err, sizeof(err)), 0);
	assert_int_equal(cc.quality.clock_class, 255);
	gn_config_destroy(cfg);

	/* A huge step_threshold saturates instead of overflowing;
	 * clockIdentity all zeros stays zeros (the daemon derives one). */
	cfg = parse_ok("[global]\nstep_threshold 1e300\n"
		       "clockIdentity 000000.0000.000000\n"
		       "max_frequency 0\nclientOnly 1\n");
	assert_int_equal(gn_config_clock(cfg, &cc, err, sizeof(err)), 0);
	assert_int_equal(cc.servo.step_threshold_ns, INT64_MAX);
	assert_true(cc.servo.max_frequency_ppb == 0.0);
	assert_true(cc.slave_only);
	{
		static const struct gn_clock_identity zero;

		assert_memory_equal(&cc.identity, &zero, sizeof(zero));
	}
	/* Unknown interfaces are refused; NULL maps [global]. */
	assert_int_equal(gn_config_port(cfg, "eth7", &pc, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "no interface 'eth7' configured");
	assert_int_equal(gn_config_port(cfg, NULL, &pc, NULL, 0), 0);
	assert_string_equal(pc.name, "");
	gn_config_destroy(cfg);
}

/* ---- linuxptp's example configurations ---- */

/*
 * Parses path; every failing line must fail with "not supported yet";
 * it is then commented out and the file parsed again, until it parses.
 * Returns how many lines were unsupported; first gets the first error
 * without the "path:" prefix.
 */
static unsigned unsupported_lines(const char *path, char *first,
				  size_t firstlen)
{
	char *text, *p;
	unsigned count = 0, line, l;
	size_t len, plen;
	FILE *fp = fopen(path, "r");
	struct gn_config *cfg;
	int rc;

	assert_non_null(fp);
	text = calloc(1, 65536);
	assert_non_null(text);
	len = fread(text, 1, 65535, fp);
	fclose(fp);
	assert_true(len < 65535);
	first[0] = '\0';
	for (;;) {
		cfg = parse(text, &rc);
		gn_config_destroy(cfg);
		if (!rc)
			break;
		plen = strlen(tmpfile_path);
		assert_memory_equal(err, tmpfile_path, plen);
		if (!first[0])
			snprintf(first, firstlen, "%s", err + plen + 1);
		if (!strstr(err, "not supported yet"))
			fail_msg("%s: %s", path, err);
		assert_int_equal(sscanf(err + plen + 1, "%u:", &line), 1);
		/* Comment the line out. */
		for (p = text, l = 1; l < line; p++)
			if (*p == '\n')
				l++;
		*p = '#';
		count++;
		assert_true(count < 100);
	}
	free(text);
	return count;
}

struct example {
	const char *file;
	unsigned unsupported; /* lines */
	const char *first;    /* first error, or NULL: parses */
};

/* Debian's linuxptp 3.1.1 (the version the machines have). Counted by
 * hand from the files: e.g. gPTP.cfg sets assume_two_step 1 (line 15),
 * everything else in it (path_trace_enabled 1 too) is supported;
 * automotive-slave.cfg adds BMCA noop, inhibit_announce 1, asCapable
 * true, ignore_source_id 1, operLogPdelayReqInterval 2 and
 * msg_interval_request 1 (operLogSyncInterval 0 is the default). */
static const struct example debian_examples[] = {
    {"E2E-TC.cfg", 0, NULL},
    {"G.8265.1.cfg", 4, "9: option 'hybrid_e2e': not supported yet"},
    {"G.8275.1.cfg", 0, NULL},
    {"G.8275.2.cfg", 4, "14: option 'hybrid_e2e': not supported yet"},
    {"P2P-TC.cfg", 0, NULL},
    {"UNICAST-MASTER.cfg", 3, "7: option 'hybrid_e2e': not supported yet"},
    {"UNICAST-SLAVE.cfg", 3,
     "9: option 'unicast_req_duration': not supported yet"},
    {"automotive-master.cfg", 5,
     "15: option 'assume_two_step': not supported yet"},
    {"automotive-slave.cfg", 7,
     "17: option 'assume_two_step': not supported yet"},
    {"default.cfg", 0, NULL},
    {"gPTP.cfg", 1, "15: option 'assume_two_step': not supported yet"},
    {"ts2phc-TC.cfg", 4, "15: option 'ts2phc.pulsewidth': not supported yet"},
    {"ts2phc-generic.cfg", 2,
     "14: option 'ts2phc.pulsewidth': not supported yet"},
};

static void check_example(const char *dir, const struct example *e)
{
	char path[512], first[GN_CONFIG_ERR_MAX];
	unsigned n;

	snprintf(path, sizeof(path), "%s/%s", dir, e->file);
	n = unsupported_lines(path, first, sizeof(first));
	if (n != e->unsupported)
		fail_msg("%s: %u unsupported lines, expected %u (first: %s)",
			 e->file, n, e->unsupported, first);
	if (e->first)
		assert_string_equal(first, e->first);
	else
		assert_string_equal(first, "");
}

static void test_linuxptp_examples(void **state)
{
	DIR *d = opendir(LINUXPTP_CONFS);
	struct dirent *de;
	unsigned i, seen = 0;

	(void)state;
	/* linuxptp is a test dependency (scripts/bootstrap.sh installs
	 * it): missing files fail the test instead of skipping it. */
	if (!d)
		fail_msg("%s missing: install linuxptp", LINUXPTP_CONFS);
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		bool known = false;

		if (l < 4 || strcmp(de->d_name + l - 4, ".cfg"))
			continue;
		for (i = 0; i < N(debian_examples); i++) {
			if (strcmp(de->d_name, debian_examples[i].file))
				continue;
			check_example(LINUXPTP_CONFS, &debian_examples[i]);
			known = true;
			seen++;
		}
		if (!known)
			fail_msg("%s: a new example, add it to the test",
				 de->d_name);
	}
	closedir(d);
	assert_int_equal(seen, N(debian_examples));
}

/* Our own files with the options of linuxptp 4.x's newer examples and
 * of linuxptp-testsuite's node configurations. */
static const struct example own_examples[] = {
    {"ptp4l_like.cfg", 0, NULL},
    {"cmlds_server.cfg", 0, NULL},
    {"cmlds_client.cfg", 1,
     "6: option 'delay_mechanism': value 'COMMON_P2P' not supported yet "
     "(supported: E2E, P2P, Auto)"},
    {"gptp_domain.cfg", 3, "10: option 'assume_two_step': not supported yet"},
    {"authentication.cfg", 7, "3: option 'spp': not supported yet"},
    {"testsuite_unicast.cfg", 3,
     "5: option 'inhibit_multicast_service': not supported yet"},
    {"testsuite_cmlds.cfg", 0, NULL},
    {"testsuite_servo.cfg", 0, NULL},
    {"testsuite_automotive.cfg", 8,
     "12: option 'assume_two_step': not supported yet"},
};

static void test_own_examples(void **state)
{
	struct gn_clock_config cc;
	struct gn_config *cfg;
	unsigned i;
	int rc;

	(void)state;
	for (i = 0; i < N(own_examples); i++)
		check_example(CFG_DIR, &own_examples[i]);

	/* What the ones that parse say. */
	cfg = gn_config_create();
	rc = gn_config_read(cfg, CFG_DIR "/testsuite_servo.cfg", err,
			    sizeof(err));
	assert_int_equal(rc, 0);
	assert_int_equal(gn_config_get_int(cfg, NULL, "clock_servo"),
			 GN_CFG_SERVO_LINREG);
	assert_int_equal(gn_config_get_int(cfg, NULL, "delay_filter_length"),
			 20);
	/* pi_offset_const (later) replaced step_threshold 10.0 */
	assert_true(gn_config_get_double(cfg, NULL, "step_threshold") == 0.05);
	assert_true(gn_config_get_double(cfg, NULL, "pi_integral_const") ==
		    0.00012);
	assert_string_equal(gn_config_get_string(cfg, NULL, "uds_address"),
			    "/clknetsim/unix/ptp4l");
	gn_config_destroy(cfg);

	cfg = gn_config_create();
	rc = gn_config_read(cfg, CFG_DIR "/cmlds_server.cfg", err, sizeof(err));
	assert_int_equal(rc, 0);
	gn_config_add_interface(cfg, "eth1");
	assert_int_equal(gn_config_clock(cfg, &cc, err, sizeof(err)), 0);
	assert_true(cc.slave_only);
	assert_true(cc.free_running);
	assert_int_equal(cc.identity.id[0], 0xC3);
	assert_int_equal(cc.identity.id[1], 0x7D);
	assert_int_equal(cc.identity.id[2], 0x50);
	assert_int_equal(gn_config_get_int(cfg, "eth1", "delay_mechanism"),
			 GN_CFG_DM_P2P);
	assert_int_equal(gn_config_get_int(cfg, "eth1", "transportSpecific"),
			 2);
	gn_config_destroy(cfg);
}

/* ---- docs/configuration.md lists every option as the table says ---- */

static void test_docs(void **state)
{
	char *docs, row[1024], allowed[256], sup[256], dflt[128];
	FILE *fp = fopen(DOCS, "r");
	unsigned i;
	size_t n;

	(void)state;
	if (!fp)
		fail_msg("cannot open %s", DOCS);
	docs = calloc(1, 1 << 20);
	assert_non_null(docs);
	n = fread(docs, 1, (1 << 20) - 1, fp);
	fclose(fp);
	assert_true(n > 0);
	for (i = 0; i < gn_opt_count; i++) {
		const struct gn_opt *o = &gn_opt_table[i];

		gn_opt_allowed(o, allowed, sizeof(allowed));
		if (!o->info.supported) {
			snprintf(sup, sizeof(sup), "no");
		} else if (o->type == GN_OPT_ENUM) {
			const struct gn_opt_enum *e;
			bool all = true, first = true;

			for (e = o->enums; e->name; e++)
				all &= e->supported;
			snprintf(sup, sizeof(sup), all ? "yes" : "only ");
			for (e = o->enums; !all && e->name; e++) {
				if (!e->supported)
					continue;
				strcat(sup, first ? "" : ", ");
				strcat(sup, e->name);
				first = false;
			}
		} else if (o->flags & GN_OPT_F_SUP_RANGE) {
			snprintf(sup, sizeof(sup), "%lld..%lld",
				 (long long)o->sup_min, (long long)o->sup_max);
		} else {
			snprintf(sup, sizeof(sup), "yes");
		}
		snprintf(dflt, sizeof(dflt),
			 o->info.dflt[0] ? "`%s`" : "%s(empty)", o->info.dflt);
		snprintf(row, sizeof(row), "| `%s` | %s | %s | %s | %s |",
			 o->info.name, o->info.per_port ? "port" : "global",
			 dflt, allowed, sup);
		if (!strstr(docs, row))
			fail_msg("docs/configuration.md lacks the row\n%s",
				 row);
	}
	for (i = 0; i < gn_opt_alias_count; i++) {
		snprintf(row, sizeof(row), "| `%s` | `%s` |",
			 gn_opt_aliases[i].alias, gn_opt_aliases[i].name);
		if (!strstr(docs, row))
			fail_msg("docs/configuration.md lacks the alias\n%s",
				 row);
	}
	free(docs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults_are_linuxptps),
	    cmocka_unit_test(test_option_info),
	    cmocka_unit_test(test_every_supported_option),
	    cmocka_unit_test(test_every_unsupported_option),
	    cmocka_unit_test(test_unsupported_default_spellings),
	    cmocka_unit_test(test_precedence),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_interfaces),
	    cmocka_unit_test(test_errors_options),
	    cmocka_unit_test(test_errors_not_supported),
	    cmocka_unit_test(test_errors_syntax),
	    cmocka_unit_test(test_errors_unicast_table),
	    cmocka_unit_test(test_error_unreadable),
	    cmocka_unit_test(test_line_numbers),
	    cmocka_unit_test(test_cmdline_short),
	    cmocka_unit_test(test_cmdline_long),
	    cmocka_unit_test(test_cmdline_errors),
	    cmocka_unit_test(test_usage),
	    cmocka_unit_test(test_map_defaults),
	    cmocka_unit_test(test_map_values),
	    cmocka_unit_test(test_map_announce_options),
	    cmocka_unit_test(test_map_tc),
	    cmocka_unit_test(test_map_checks),
	    cmocka_unit_test(test_linuxptp_examples),
	    cmocka_unit_test(test_own_examples),
	    cmocka_unit_test(test_docs),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

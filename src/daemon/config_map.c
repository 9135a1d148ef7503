/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * config_map.c - from configuration options to the core's configuration
 * (struct gn_clock_config, struct gn_port_config). The only place that
 * knows which option feeds which field, and the checks that concern
 * several options at once (as ptp4l's clock_create does).
 *
 * It must not read options the core does not use (the daemon reads its
 * own: transport, sockets, logging), and it starts from the core's
 * defaults so an option left alone keeps linuxptp's default.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mgmt.h"

_Static_assert(GN_CFG_FRI_ASAP == GN_FRI_ASAP, "ASAP differs");
_Static_assert(GN_CFG_TS_SOFTWARE == GN_TIMESTAMPING_SOFTWARE &&
		   GN_CFG_TS_HARDWARE == GN_TIMESTAMPING_HARDWARE &&
		   GN_CFG_TS_LEGACY_HW == GN_TIMESTAMPING_LEGACY_HW &&
		   GN_CFG_TS_ONESTEP == GN_TIMESTAMPING_ONESTEP &&
		   GN_CFG_TS_P2P1STEP == GN_TIMESTAMPING_P2P1STEP,
	       "time stamping values differ");

static int64_t get_i(const struct gn_config *cfg, const char *iface,
		     const char *name)
{
	return gn_config_get_int(cfg, iface, name);
}

static double get_d(const struct gn_config *cfg, const char *name)
{
	return gn_config_get_double(cfg, NULL, name);
}

/* Seconds (a double from the file) to ns, saturating: DBL_MAX seconds
 * is a legal step_threshold and means "never". */
static int64_t seconds_to_ns(double s)
{
	double ns = s * 1e9;

	if (ns >= 9.2e18)
		return INT64_MAX;
	return (int64_t)llround(ns);
}

/* "aabbcc.ddee.ff0011" -> 8 octets, through the core's parser of port
 * identities (the same text with a port number). */
static int parse_clock_identity(const char *s, struct gn_clock_identity *id)
{
	struct gn_port_identity pid;
	char buf[40];

	if (snprintf(buf, sizeof(buf), "%s-0", s) >= (int)sizeof(buf) ||
	    gn_port_identity_parse(buf, &pid) < 0)
		return -EINVAL;
	*id = pid.clock;
	return 0;
}

static int map_servo(const struct gn_config *cfg, struct gn_servo_config *sc,
		     char *err, size_t errlen)
{
	switch (get_i(cfg, NULL, "clock_servo")) {
	case GN_CFG_SERVO_PI:
		sc->type = GN_SERVO_PI;
		break;
	case GN_CFG_SERVO_LINREG:
		sc->type = GN_SERVO_LINREG;
		break;
	case GN_CFG_SERVO_KALMAN:
		sc->type = GN_SERVO_KALMAN;
		break;
	default:
		snprintf(err, errlen, "clock_servo: not supported yet");
		return -EINVAL;
	}
	sc->pi_kp = get_d(cfg, "pi_proportional_const");
	sc->pi_ki = get_d(cfg, "pi_integral_const");
	sc->pi_kp_scale = get_d(cfg, "pi_proportional_scale");
	sc->pi_kp_exponent = get_d(cfg, "pi_proportional_exponent");
	sc->pi_kp_norm_max = get_d(cfg, "pi_proportional_norm_max");
	sc->pi_ki_scale = get_d(cfg, "pi_integral_scale");
	sc->pi_ki_exponent = get_d(cfg, "pi_integral_exponent");
	sc->pi_ki_norm_max = get_d(cfg, "pi_integral_norm_max");
	sc->step_threshold_ns = seconds_to_ns(get_d(cfg, "step_threshold"));
	sc->first_step_threshold_ns =
	    seconds_to_ns(get_d(cfg, "first_step_threshold"));
	/* 0 means "the clock's own limit"; the daemon knows it. */
	sc->max_frequency_ppb = (double)get_i(cfg, NULL, "max_frequency");
	sc->offset_threshold_ns = get_i(cfg, NULL, "servo_offset_threshold");
	sc->num_offset_values =
	    (unsigned)get_i(cfg, NULL, "servo_num_offset_values");
	sc->hw_stamping =
	    get_i(cfg, NULL, "time_stamping") != GN_CFG_TS_SOFTWARE;
	return 0;
}

/* serverOnly anywhere (global or an interface section). */
static bool any_server_only(const struct gn_config *cfg)
{
	unsigned i, n = gn_config_num_interfaces(cfg);

	if (get_i(cfg, NULL, "serverOnly"))
		return true;
	for (i = 0; i < n; i++)
		if (get_i(cfg, gn_config_interface(cfg, i), "serverOnly"))
			return true;
	return false;
}

int gn_config_clock(const struct gn_config *cfg, struct gn_clock_config *cc,
		    char *err, size_t errlen)
{
	int64_t ts = get_i(cfg, NULL, "time_stamping");
	bool gm_capable = get_i(cfg, NULL, "gmCapable") != 0;
	char dummy[1];
	int rc;

	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	gn_clock_config_default(cc);
	cc->domain = (uint8_t)get_i(cfg, NULL, "domainNumber");
	cc->priority1 = (uint8_t)get_i(cfg, NULL, "priority1");
	cc->priority2 = (uint8_t)get_i(cfg, NULL, "priority2");
	cc->quality.clock_class = (uint8_t)get_i(cfg, NULL, "clockClass");
	cc->quality.clock_accuracy = (uint8_t)get_i(cfg, NULL, "clockAccuracy");
	cc->quality.offset_scaled_log_variance =
	    (uint16_t)get_i(cfg, NULL, "offsetScaledLogVariance");
	cc->two_step = get_i(cfg, NULL, "twoStepFlag") != 0;
	cc->slave_only = get_i(cfg, NULL, "clientOnly") != 0;
	cc->free_running = get_i(cfg, NULL, "free_running") != 0;
	cc->freq_est_interval = (int)get_i(cfg, NULL, "freq_est_interval");
	switch (get_i(cfg, NULL, "clock_type")) {
	case GN_CFG_CLOCK_E2E_TC:
		cc->clock_type = GN_CLOCK_E2E_TC;
		break;
	case GN_CFG_CLOCK_P2P_TC:
		cc->clock_type = GN_CLOCK_P2P_TC;
		break;
	default:
		cc->clock_type = GN_CLOCK_OC_BC;
		break;
	}
	cc->tc_spanning_tree = get_i(cfg, NULL, "tc_spanning_tree") != 0;
	cc->max_steps_removed = (uint16_t)get_i(cfg, NULL, "maxStepsRemoved");
	cc->clock_class_threshold =
	    (uint8_t)get_i(cfg, NULL, "clock_class_threshold");
	cc->telecom_dscmp =
	    get_i(cfg, NULL, "dataset_comparison") == GN_CFG_DSCMP_G8275;
	cc->local_priority =
	    (uint8_t)get_i(cfg, NULL, "G.8275.defaultDS.localPriority");
	cc->utc_offset = (int16_t)get_i(cfg, NULL, "utc_offset");
	cc->time_source = (uint8_t)get_i(cfg, NULL, "timeSource");
	cc->hw_stamping = ts != GN_CFG_TS_SOFTWARE;
	cc->summary_interval = (int)get_i(cfg, NULL, "summary_interval");

	if (cc->slave_only && any_server_only(cfg)) {
		snprintf(err, errlen,
			 "clientOnly and serverOnly cannot both be set");
		return -EINVAL;
	}
	/* As ptp4l's clock_create. */
	if (!gm_capable && cc->slave_only) {
		snprintf(err, errlen,
			 "cannot mix 1588 clientOnly with 802.1AS !gmCapable");
		return -EINVAL;
	}
	if (!gm_capable)
		cc->quality.clock_class = 255;
	/* As ptp4l's config_harmonize_onestep. */
	if (!cc->two_step) {
		if (ts == GN_CFG_TS_SOFTWARE || ts == GN_CFG_TS_LEGACY_HW) {
			snprintf(err, errlen,
				 "twoStepFlag 0: one step is only possible "
				 "with hardware time stamping");
			return -EINVAL;
		}
		snprintf(err, errlen,
			 "twoStepFlag 0: one-step time stamping is not "
			 "supported yet");
		return -EINVAL;
	}
	if (gn_config_is_set(cfg, NULL, "clockIdentity") &&
	    parse_clock_identity(
		gn_config_get_string(cfg, NULL, "clockIdentity"),
		&cc->identity)) {
		snprintf(err, errlen, "bad clockIdentity");
		return -EINVAL;
	}
	rc = map_servo(cfg, &cc->servo, err, errlen);
	if (rc)
		return rc;
	return 0;
}

static enum gn_delay_mechanism map_delay_mechanism(int64_t v)
{
	switch (v) {
	case GN_CFG_DM_P2P:
		return GN_DM_P2P;
	case GN_CFG_DM_AUTO:
		return GN_DM_AUTO;
	case GN_CFG_DM_COMMON_P2P:
		return GN_DM_COMMON_P2P;
	case GN_CFG_DM_NONE:
		return GN_DM_NONE;
	default:
		return GN_DM_E2E;
	}
}

/* power_profile.*: the inaccuracies are ints whose default -1 stands
 * for linuxptp's 0xFFFFFFFF ("unknown"), which is what the cast gives. */
static void map_power_profile(const struct gn_config *cfg, const char *iface,
			      struct gn_power_profile *pp)
{
	switch (get_i(cfg, iface, "power_profile.version")) {
	case GN_CFG_POWER_PROFILE_2011:
		pp->version = GN_POWER_PROFILE_2011;
		break;
	case GN_CFG_POWER_PROFILE_2017:
		pp->version = GN_POWER_PROFILE_2017;
		break;
	default:
		pp->version = GN_POWER_PROFILE_NONE;
		break;
	}
	pp->grandmaster_id =
	    (uint16_t)get_i(cfg, iface, "power_profile.grandmasterID");
	pp->grandmaster_time_inaccuracy_ns = (uint32_t)get_i(
	    cfg, iface, "power_profile.2011.grandmasterTimeInaccuracy");
	pp->network_time_inaccuracy_ns = (uint32_t)get_i(
	    cfg, iface, "power_profile.2011.networkTimeInaccuracy");
	pp->total_time_inaccuracy_ns = (uint32_t)get_i(
	    cfg, iface, "power_profile.2017.totalTimeInaccuracy");
}

int gn_config_port(const struct gn_config *cfg, const char *iface,
		   struct gn_port_config *pc, char *err, size_t errlen)
{
	unsigned i, n = gn_config_num_interfaces(cfg);
	bool known = iface == NULL;
	char dummy[1];

	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	for (i = 0; iface && i < n; i++)
		if (!strcmp(gn_config_interface(cfg, i), iface))
			known = true;
	if (!known) {
		snprintf(err, errlen, "no interface '%.64s' configured", iface);
		return -EINVAL;
	}
	gn_port_config_default(pc);
	if (iface)
		snprintf(pc->name, sizeof(pc->name), "%s", iface);
	pc->log_announce_interval =
	    (int8_t)get_i(cfg, iface, "logAnnounceInterval");
	pc->log_sync_interval = (int8_t)get_i(cfg, iface, "logSyncInterval");
	pc->log_min_delay_req_interval =
	    (int8_t)get_i(cfg, iface, "logMinDelayReqInterval");
	pc->log_min_pdelay_req_interval =
	    (int8_t)get_i(cfg, iface, "logMinPdelayReqInterval");
	pc->announce_receipt_timeout =
	    (uint8_t)get_i(cfg, iface, "announceReceiptTimeout");
	pc->sync_receipt_timeout =
	    (uint8_t)get_i(cfg, iface, "syncReceiptTimeout");
	pc->delay_mechanism =
	    map_delay_mechanism(get_i(cfg, iface, "delay_mechanism"));
	pc->delay_asymmetry_ns = get_i(cfg, iface, "delayAsymmetry");
	pc->transport_specific =
	    (uint8_t)get_i(cfg, iface, "transportSpecific");
	pc->master_only = get_i(cfg, iface, "serverOnly") != 0;
	pc->local_priority =
	    (uint8_t)get_i(cfg, iface, "G.8275.portDS.localPriority");
	pc->ignore_transport_specific =
	    get_i(cfg, iface, "ignore_transport_specific") != 0;
	pc->neighbor_prop_delay_thresh_ns =
	    get_i(cfg, iface, "neighborPropDelayThresh");
	/* ASAP reads as -128, which is also the core's GN_FRI_ASAP. */
	pc->fault_reset_interval =
	    (int8_t)get_i(cfg, iface, "fault_reset_interval");
	switch (get_i(cfg, iface, "delay_filter")) {
	case GN_CFG_FILTER_MOVING_AVERAGE:
		pc->delay_filter = GN_FILTER_MOVING_AVERAGE;
		break;
	case GN_CFG_FILTER_ROBUST_MEAN:
		pc->delay_filter = GN_FILTER_ROBUST_MEAN;
		break;
	default:
		pc->delay_filter = GN_FILTER_MOVING_MEDIAN;
		break;
	}
	pc->delay_filter_length =
	    (unsigned)get_i(cfg, iface, "delay_filter_length");
	/* The Kalman servo was designed and measured with the
	 * robust mean over 64 delays: use it unless the filter was set. */
	if (get_i(cfg, NULL, "clock_servo") == GN_CFG_SERVO_KALMAN &&
	    !gn_config_is_set(cfg, iface, "delay_filter")) {
		pc->delay_filter = GN_FILTER_ROBUST_MEAN;
		if (!gn_config_is_set(cfg, iface, "delay_filter_length"))
			pc->delay_filter_length = 64;
	}
	pc->minor_version = (uint8_t)get_i(cfg, NULL, "ptp_minor_version");
	pc->follow_up_info = get_i(cfg, iface, "follow_up_info") != 0;
	pc->ingress_latency_ns = get_i(cfg, iface, "ingressLatency");
	pc->egress_latency_ns = get_i(cfg, iface, "egressLatency");
	pc->path_trace_enabled = get_i(cfg, iface, "path_trace_enabled") != 0;
	map_power_profile(cfg, iface, &pc->power_profile);
	/* GN_CFG_TS_* has the values of GN_TIMESTAMPING_*. */
	pc->timestamping = (uint8_t)get_i(cfg, NULL, "time_stamping");
	pc->phc_index = (int32_t)get_i(cfg, iface, "phc_index");
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ptpopt.c - the ptp4l options gnomon-sim understands, mapped onto the
 * core's gn_clock_config / gn_port_config with ptp4l's names, units
 * (step thresholds in seconds, max_frequency in ppb) and ranges.
 *
 * Options that only concern a real host (sockets, logging, files) are
 * accepted and have no effect; any other option is an error, never
 * silently ignored. This is the simulator's own small parser; the
 * daemon has its own (src/daemon/config.c).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scenario.h"

enum opt_scope { CLK = 1, PRT = 2, HOST = 3 };

struct opt {
	const char *name;
	enum opt_scope scope;
	int (*set)(const struct opt *o, const char *val,
		   struct gn_clock_config *cc, struct gn_port_config *pc,
		   char *err, size_t errlen);
	long long lo, hi;
};

static int parse_int(const struct opt *o, const char *val, long long *out,
		     char *err, size_t errlen)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(val, &end, 0);
	if (errno || end == val || *end) {
		snprintf(err, errlen, "option '%s': '%s' is not an integer",
			 o->name, val);
		return -EINVAL;
	}
	if (v < o->lo || v > o->hi) {
		snprintf(err, errlen,
			 "option '%s': %lld out of range (allowed: %lld..%lld)",
			 o->name, v, o->lo, o->hi);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int parse_dbl(const struct opt *o, const char *val, double lo, double hi,
		     double *out, char *err, size_t errlen)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(val, &end);
	if (errno || end == val || *end || !isfinite(v)) {
		snprintf(err, errlen, "option '%s': '%s' is not a number",
			 o->name, val);
		return -EINVAL;
	}
	if (v < lo || v > hi) {
		snprintf(err, errlen,
			 "option '%s': %g out of range (allowed: %g..%g)",
			 o->name, v, lo, hi);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

#define INT_SETTER(fn, expr)                                                   \
	static int fn(const struct opt *o, const char *val,                    \
		      struct gn_clock_config *cc, struct gn_port_config *pc,   \
		      char *err, size_t errlen)                                \
	{                                                                      \
		long long v;                                                   \
		if (parse_int(o, val, &v, err, errlen) < 0)                    \
			return -EINVAL;                                        \
		(void)cc;                                                      \
		(void)pc;                                                      \
		expr;                                                          \
		return 0;                                                      \
	}

#define DBL_SETTER(fn, lo, hi, expr)                                           \
	static int fn(const struct opt *o, const char *val,                    \
		      struct gn_clock_config *cc, struct gn_port_config *pc,   \
		      char *err, size_t errlen)                                \
	{                                                                      \
		double v;                                                      \
		if (parse_dbl(o, val, lo, hi, &v, err, errlen) < 0)            \
			return -EINVAL;                                        \
		(void)cc;                                                      \
		(void)pc;                                                      \
		expr;                                                          \
		return 0;                                                      \
	}

INT_SETTER(set_priority1, if (cc) cc->priority1 = (uint8_t)v)
INT_SETTER(set_priority2, if (cc) cc->priority2 = (uint8_t)v)
INT_SETTER(set_domain, if (cc) cc->domain = (uint8_t)v)
INT_SETTER(set_clock_class, if (cc) cc->quality.clock_class = (uint8_t)v)
INT_SETTER(set_clock_accuracy, if (cc) cc->quality.clock_accuracy = (uint8_t)v)
INT_SETTER(set_variance,
	   if (cc) cc->quality.offset_scaled_log_variance = (uint16_t)v)
INT_SETTER(set_two_step, if (cc) cc->two_step = v != 0)
INT_SETTER(set_slave_only, if (cc) cc->slave_only = v != 0)
INT_SETTER(set_free_running, if (cc) cc->free_running = v != 0)
INT_SETTER(set_freq_est_interval, if (cc) cc->freq_est_interval = (int)v)
INT_SETTER(set_tc_spanning_tree, if (cc) cc->tc_spanning_tree = v != 0)
INT_SETTER(set_max_steps_removed, if (cc) cc->max_steps_removed = (uint16_t)v)
INT_SETTER(set_utc_offset, if (cc) cc->utc_offset = (int16_t)v)
INT_SETTER(set_time_source, if (cc) cc->time_source = (uint8_t)v)
INT_SETTER(set_summary_interval, if (cc) cc->summary_interval = (int)v)
INT_SETTER(set_max_frequency, if (cc) cc->servo.max_frequency_ppb = (double)v)
INT_SETTER(set_offset_threshold,
	   if (cc) cc->servo.offset_threshold_ns = (int64_t)v)
INT_SETTER(set_num_offset_values,
	   if (cc) cc->servo.num_offset_values = (unsigned)v)
DBL_SETTER(set_step_threshold, 0.0, 1e6,
	   if (cc) cc->servo.step_threshold_ns = (int64_t)llround(v * 1e9))
DBL_SETTER(set_first_step_threshold, 0.0, 1e6,
	   if (cc)
	       cc->servo.first_step_threshold_ns = (int64_t)llround(v * 1e9))
DBL_SETTER(set_pi_kp, 0.0, 1e9, if (cc) cc->servo.pi_kp = v)
DBL_SETTER(set_pi_ki, 0.0, 1e9, if (cc) cc->servo.pi_ki = v)
DBL_SETTER(set_pi_kp_scale, 0.0, 1e9, if (cc) cc->servo.pi_kp_scale = v)
DBL_SETTER(set_pi_kp_exp, -1e9, 1e9, if (cc) cc->servo.pi_kp_exponent = v)
DBL_SETTER(set_pi_kp_norm, 1e-300, 1.0, if (cc) cc->servo.pi_kp_norm_max = v)
DBL_SETTER(set_pi_ki_scale, 0.0, 1e9, if (cc) cc->servo.pi_ki_scale = v)
DBL_SETTER(set_pi_ki_exp, -1e9, 1e9, if (cc) cc->servo.pi_ki_exponent = v)
DBL_SETTER(set_pi_ki_norm, 1e-300, 2.0, if (cc) cc->servo.pi_ki_norm_max = v)
INT_SETTER(set_minor_version, if (pc) pc->minor_version = (uint8_t)v)

INT_SETTER(set_log_announce, if (pc) pc->log_announce_interval = (int8_t)v)
INT_SETTER(set_log_sync, if (pc) pc->log_sync_interval = (int8_t)v)
INT_SETTER(set_log_delay_req,
	   if (pc) pc->log_min_delay_req_interval = (int8_t)v)
INT_SETTER(set_log_pdelay_req,
	   if (pc) pc->log_min_pdelay_req_interval = (int8_t)v)
INT_SETTER(set_announce_timeout,
	   if (pc) pc->announce_receipt_timeout = (uint8_t)v)
INT_SETTER(set_sync_timeout, if (pc) pc->sync_receipt_timeout = (uint8_t)v)
INT_SETTER(set_delay_asymmetry, if (pc) pc->delay_asymmetry_ns = (int64_t)v)
INT_SETTER(set_transport_specific, if (pc) pc->transport_specific = (uint8_t)v)
INT_SETTER(set_master_only, if (pc) pc->master_only = v != 0)
INT_SETTER(set_ignore_ts, if (pc) pc->ignore_transport_specific = v != 0)
INT_SETTER(set_neighbor_thresh,
	   if (pc) pc->neighbor_prop_delay_thresh_ns = (int64_t)v)
INT_SETTER(set_follow_up_info, if (pc) pc->follow_up_info = v != 0)
INT_SETTER(set_delay_filter_length,
	   if (pc) pc->delay_filter_length = (unsigned)v)

static int set_fault_reset(const struct opt *o, const char *val,
			   struct gn_clock_config *cc,
			   struct gn_port_config *pc, char *err, size_t errlen)
{
	long long v;

	(void)cc;
	if (!strcasecmp(val, "ASAP")) {
		if (pc)
			pc->fault_reset_interval = GN_FRI_ASAP;
		return 0;
	}
	if (parse_int(o, val, &v, err, errlen) < 0)
		return -EINVAL;
	if (pc)
		pc->fault_reset_interval = (int8_t)v;
	return 0;
}

struct word {
	const char *text;
	int value;
};

static int set_word(const struct opt *o, const char *val, const struct word *w,
		    int *out, char *err, size_t errlen)
{
	char allowed[160] = "";
	size_t len = 0;

	for (; w->text; w++) {
		if (!strcasecmp(val, w->text)) {
			*out = w->value;
			return 0;
		}
		len += (size_t)snprintf(allowed + len, sizeof(allowed) - len,
					"%s%s", len ? ", " : "", w->text);
		if (len >= sizeof(allowed))
			len = sizeof(allowed) - 1;
	}
	snprintf(err, errlen, "option '%s': bad value '%s' (allowed: %s)",
		 o->name, val, allowed);
	return -EINVAL;
}

static const struct word servo_words[] = {
    {"pi", GN_SERVO_PI},
    {"linreg", GN_SERVO_LINREG},
    {"kalman", GN_SERVO_KALMAN},
    {NULL, 0},
};

static const struct word ts_words[] = {
    {"hardware", 1}, {"software", 0}, {"legacy", 1},
    {"onestep", 1},  {"p2p1step", 1}, {NULL, 0},
};

static const struct word dm_words[] = {
    {"E2E", GN_DM_E2E},
    {"P2P", GN_DM_P2P},
    {"Auto", GN_DM_AUTO},
    {"COMMON_P2P", GN_DM_COMMON_P2P},
    {NULL, 0},
};

/* OC and BC are one engine (a BC is an OC with several ports). */
static const struct word clock_type_words[] = {
    {"OC", GN_CLOCK_OC_BC},
    {"BC", GN_CLOCK_OC_BC},
    {"E2E_TC", GN_CLOCK_E2E_TC},
    {"P2P_TC", GN_CLOCK_P2P_TC},
    {NULL, 0},
};

static const struct word filter_words[] = {
    {"moving_median", GN_FILTER_MOVING_MEDIAN},
    {"moving_average", GN_FILTER_MOVING_AVERAGE},
    {"robust_mean", GN_FILTER_ROBUST_MEAN},
    {NULL, 0},
};

static int set_servo(const struct opt *o, const char *val,
		     struct gn_clock_config *cc, struct gn_port_config *pc,
		     char *err, size_t errlen)
{
	int v;

	(void)pc;
	if (set_word(o, val, servo_words, &v, err, errlen) < 0)
		return -EINVAL;
	if (cc)
		cc->servo.type = (enum gn_servo_type)v;
	return 0;
}

static int set_time_stamping(const struct opt *o, const char *val,
			     struct gn_clock_config *cc,
			     struct gn_port_config *pc, char *err,
			     size_t errlen)
{
	int v;

	(void)pc;
	if (set_word(o, val, ts_words, &v, err, errlen) < 0)
		return -EINVAL;
	if (cc) {
		cc->hw_stamping = v != 0;
		cc->servo.hw_stamping = v != 0;
	}
	return 0;
}

static int set_delay_mechanism(const struct opt *o, const char *val,
			       struct gn_clock_config *cc,
			       struct gn_port_config *pc, char *err,
			       size_t errlen)
{
	int v;

	(void)cc;
	if (set_word(o, val, dm_words, &v, err, errlen) < 0)
		return -EINVAL;
	if (pc)
		pc->delay_mechanism = (enum gn_delay_mechanism)v;
	return 0;
}

static int set_clock_type(const struct opt *o, const char *val,
			  struct gn_clock_config *cc, struct gn_port_config *pc,
			  char *err, size_t errlen)
{
	int v;

	(void)pc;
	if (set_word(o, val, clock_type_words, &v, err, errlen) < 0)
		return -EINVAL;
	if (cc)
		cc->clock_type = (enum gn_clock_type)v;
	return 0;
}

static int set_delay_filter(const struct opt *o, const char *val,
			    struct gn_clock_config *cc,
			    struct gn_port_config *pc, char *err, size_t errlen)
{
	int v;

	(void)cc;
	if (set_word(o, val, filter_words, &v, err, errlen) < 0)
		return -EINVAL;
	if (pc)
		pc->delay_filter = (enum gn_filter_type)v;
	return 0;
}

static int set_nothing(const struct opt *o, const char *val,
		       struct gn_clock_config *cc, struct gn_port_config *pc,
		       char *err, size_t errlen)
{
	(void)o;
	(void)val;
	(void)cc;
	(void)pc;
	(void)err;
	(void)errlen;
	return 0;
}

static const struct opt opts[] = {
    {"priority1", CLK, set_priority1, 0, 255},
    {"priority2", CLK, set_priority2, 0, 255},
    {"domainNumber", CLK, set_domain, 0, 255},
    {"clockClass", CLK, set_clock_class, 0, 255},
    {"clockAccuracy", CLK, set_clock_accuracy, 0, 255},
    {"offsetScaledLogVariance", CLK, set_variance, 0, 65535},
    {"twoStepFlag", CLK, set_two_step, 0, 1},
    {"slaveOnly", CLK, set_slave_only, 0, 1},
    {"clientOnly", CLK, set_slave_only, 0, 1},
    {"free_running", CLK, set_free_running, 0, 1},
    {"freq_est_interval", CLK, set_freq_est_interval, -30, 30},
    {"clock_type", CLK, set_clock_type, 0, 0},
    {"tc_spanning_tree", CLK, set_tc_spanning_tree, 0, 1},
    {"maxStepsRemoved", CLK, set_max_steps_removed, 2, 255},
    {"utc_offset", CLK, set_utc_offset, 0, 32767},
    {"timeSource", CLK, set_time_source, 0x10, 0xfe},
    {"summary_interval", CLK, set_summary_interval, -30, 30},
    {"time_stamping", CLK, set_time_stamping, 0, 0},
    {"clock_servo", CLK, set_servo, 0, 0},
    {"max_frequency", CLK, set_max_frequency, 0, INT_MAX},
    {"servo_offset_threshold", CLK, set_offset_threshold, 0, INT_MAX},
    {"servo_num_offset_values", CLK, set_num_offset_values, 0, INT_MAX},
    {"step_threshold", CLK, set_step_threshold, 0, 0},
    {"first_step_threshold", CLK, set_first_step_threshold, 0, 0},
    {"pi_proportional_const", CLK, set_pi_kp, 0, 0},
    {"pi_integral_const", CLK, set_pi_ki, 0, 0},
    {"pi_proportional_scale", CLK, set_pi_kp_scale, 0, 0},
    {"pi_proportional_exponent", CLK, set_pi_kp_exp, 0, 0},
    {"pi_proportional_norm_max", CLK, set_pi_kp_norm, 0, 0},
    {"pi_integral_scale", CLK, set_pi_ki_scale, 0, 0},
    {"pi_integral_exponent", CLK, set_pi_ki_exp, 0, 0},
    {"pi_integral_norm_max", CLK, set_pi_ki_norm, 0, 0},
    {"ptp_minor_version", PRT, set_minor_version, 0, 1},
    {"logAnnounceInterval", PRT, set_log_announce, -10, 22},
    {"logSyncInterval", PRT, set_log_sync, -10, 22},
    {"logMinDelayReqInterval", PRT, set_log_delay_req, -10, 22},
    {"logMinPdelayReqInterval", PRT, set_log_pdelay_req, -10, 22},
    {"announceReceiptTimeout", PRT, set_announce_timeout, 2, 255},
    {"syncReceiptTimeout", PRT, set_sync_timeout, 0, 255},
    {"delay_mechanism", PRT, set_delay_mechanism, 0, 0},
    {"delayAsymmetry", PRT, set_delay_asymmetry, INT_MIN, INT_MAX},
    {"transportSpecific", PRT, set_transport_specific, 0, 15},
    {"masterOnly", PRT, set_master_only, 0, 1},
    {"serverOnly", PRT, set_master_only, 0, 1},
    {"ignore_transport_specific", PRT, set_ignore_ts, 0, 1},
    {"neighborPropDelayThresh", PRT, set_neighbor_thresh, 0, INT_MAX},
    {"fault_reset_interval", PRT, set_fault_reset, -128, 127},
    {"follow_up_info", PRT, set_follow_up_info, 0, 1},
    {"delay_filter", PRT, set_delay_filter, 0, 0},
    {"delay_filter_length", PRT, set_delay_filter_length, 1,
     GN_FILTER_ROBUST_MAX_LEN},
    /* A real host's business: no effect in a simulation. */
    {"network_transport", HOST, set_nothing, 0, 0},
    {"udp_ttl", HOST, set_nothing, 0, 0},
    {"udp6_scope", HOST, set_nothing, 0, 0},
    {"dscp_event", HOST, set_nothing, 0, 0},
    {"dscp_general", HOST, set_nothing, 0, 0},
    {"socket_priority", HOST, set_nothing, 0, 0},
    {"tx_timestamp_timeout", HOST, set_nothing, 0, 0},
    {"uds_address", HOST, set_nothing, 0, 0},
    {"uds_ro_address", HOST, set_nothing, 0, 0},
    {"logging_level", HOST, set_nothing, 0, 0},
    {"verbose", HOST, set_nothing, 0, 0},
    {"use_syslog", HOST, set_nothing, 0, 0},
    {"message_tag", HOST, set_nothing, 0, 0},
};

int gn_ptpopt_apply(const char *key, const char *val,
		    struct gn_clock_config *cc, struct gn_port_config *pc,
		    char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		const struct opt *o = &opts[i];

		if (strcmp(o->name, key))
			continue;
		if (o->set(o, val, cc, pc, err, errlen) < 0)
			return -EINVAL;
		return (int)o->scope;
	}
	snprintf(err, errlen, "option '%s': not supported by gnomon-sim", key);
	return -EINVAL;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * servo.h - clock servos behind one interface: PI (linuxptp semantics
 * and defaults) and linear regression. The servo turns offset samples
 * into a frequency correction (ppb) and tells when to step.
 *
 * Sign convention (linuxptp's): offset = local - master (ns). The
 * returned adjustment is the frequency to apply to the local clock, in
 * ppb, so a positive offset yields a negative adjustment. On JUMP the
 * caller steps the clock by -offset, then applies the frequency.
 */
#ifndef GN_CORE_SERVO_H
#define GN_CORE_SERVO_H

#include <stdbool.h>
#include <stdint.h>

enum gn_servo_type {
	GN_SERVO_PI = 0,
	GN_SERVO_LINREG,
	GN_SERVO_TYPE_COUNT,
};

enum gn_servo_state {
	GN_SERVO_UNLOCKED = 0,	   /* s0 */
	GN_SERVO_JUMP = 1,	   /* s1: step the clock by -offset */
	GN_SERVO_LOCKED = 2,	   /* s2 */
	GN_SERVO_LOCKED_STABLE = 3, /* s3 */
};

struct gn_servo_config {
	enum gn_servo_type type;
	bool hw_stamping; /* selects linuxptp's automatic kp/ki scales */
	/* PI: fixed constants (0 = automatic from the sync interval). */
	double pi_kp, pi_ki;
	double pi_kp_scale, pi_kp_exponent, pi_kp_norm_max;
	double pi_ki_scale, pi_ki_exponent, pi_ki_norm_max;
	/* Thresholds in ns; 0 disables. */
	int64_t step_threshold_ns;
	int64_t first_step_threshold_ns;
	/* Frequency limit in ppb (max_frequency option, and the clock's). */
	double max_frequency_ppb;
	/* servo_offset_threshold / servo_num_offset_values: s3 entry. */
	int64_t offset_threshold_ns;
	unsigned num_offset_values;
};

/* linuxptp's defaults (default.cfg): software stamping, PI, 20 us first
 * step, no step threshold, 900000000 ppb max_frequency. */
void gn_servo_config_default(struct gn_servo_config *cfg);

struct gn_servo_pi {
	int64_t offset_ns[2];
	int64_t local_ns[2];
	double drift_ppb;
	double kp, ki;
	unsigned count;
};

#define GN_LINREG_MAX_POINTS 64
#define GN_LINREG_SIZES	     5 /* regressions over 2^2 .. 2^6 points */
struct gn_servo_linreg {
	/* Ring of (local time, time offset) points. */
	double x[GN_LINREG_MAX_POINTS], y[GN_LINREG_MAX_POINTS];
	unsigned head, count, size;
	int64_t last_update_ns;
	double clock_freq_ppb; /* current frequency correction */
	double frequency_ratio;
	double err[8]; /* per-size prediction error (linuxptp's approach) */
	unsigned points_log;
	unsigned count_updates;
	bool have_ref;
	int64_t ref_ns;
	/* Added by linreg.c: the weight of each point, and per regression
	 * size (4, 8, ... 64 points) the latest fit and how many prediction
	 * errors have been averaged into err[]. */
	double w[GN_LINREG_MAX_POINTS];
	double slope[GN_LINREG_SIZES], intercept[GN_LINREG_SIZES];
	unsigned err_updates[GN_LINREG_SIZES];
};

struct gn_servo {
	struct gn_servo_config cfg;
	enum gn_servo_state state;
	double sync_interval_s;
	double freq_ppb; /* last frequency returned */
	bool first_update_done;
	unsigned curr_offset_values; /* for s3 */
	union {
		struct gn_servo_pi pi;
		struct gn_servo_linreg lr;
	} u;
};

/* initial_freq_ppb: the clock's current frequency adjustment. */
int gn_servo_init(struct gn_servo *s, const struct gn_servo_config *cfg,
		  double initial_freq_ppb);
/*
 * Feeds one sample. offset_ns = local - master, local_ns = the local time
 * of the measurement, weight in (0, 1] (1 for unweighted). Returns the
 * frequency adjustment in ppb; *state says whether to step (JUMP).
 */
double gn_servo_sample(struct gn_servo *s, int64_t offset_ns, int64_t local_ns,
		       double weight, enum gn_servo_state *state);
/* Tells the servo the interval between samples (seconds). */
void gn_servo_sync_interval(struct gn_servo *s, double interval_s);
/* Back to UNLOCKED, keeping the current frequency estimate. */
void gn_servo_reset(struct gn_servo *s);
const char *gn_servo_state_str(enum gn_servo_state st); /* "s0".."s3" */
const char *gn_servo_type_str(enum gn_servo_type t);   /* "pi" "linreg" */

#endif

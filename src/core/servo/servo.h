/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * servo.h - clock servos behind one interface: PI (linuxptp semantics
 * and defaults), linear regression, and a Kalman filter (gnomon's own,
 * with an uncertainty estimate). The servo turns offset samples into a
 * frequency correction (ppb) and tells when to step.
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
	GN_SERVO_KALMAN,
	GN_SERVO_TYPE_COUNT,
};

enum gn_servo_state {
	GN_SERVO_UNLOCKED = 0,	    /* s0 */
	GN_SERVO_JUMP = 1,	    /* s1: step the clock by -offset */
	GN_SERVO_LOCKED = 2,	    /* s2 */
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

/*
 * Kalman servo (kalman.c): state (offset, oscillator frequency) and the
 * noise model learnt from the free-running phase at lags of 2^k samples.
 */
#define GN_KALMAN_LEVELS 14
struct gn_kalman_level {
	double sum, sum_t; /* phase and time summed over the open window */
	unsigned fill;	   /* sub-windows in the open window */
	unsigned navg;	   /* completed windows in avg[] (up to 3) */
	double avg[3];	   /* their mean phase (ns), avg[0] the newest */
	double avg_t[3];   /* and mean time (s) */
	double d2;	   /* mean squared second difference of the means */
	unsigned n;	   /* second differences averaged into d2 (capped) */
	/* Mean product of consecutive second differences (level 0 tells
	 * white phase noise, -2/3 of d2, from random-walk FM, +1/4), the
	 * newest difference and whether the next one follows it. */
	double dd;
	unsigned ndd;
	double d_last;
	bool have_d_last;
};

struct gn_servo_kalman {
	double x_ns;	      /* offset estimate (local - master) at t_ns */
	double f_ppb;	      /* oscillator's frequency vs the master, without
			       * the servo's adjustment */
	double p00, p01, p11; /* covariance of (x, f): ns^2, ns ppb, ppb^2 */
	/* The same filter's covariance under the pessimistic noise model
	 * (upper bounds): what gn_servo_estimate reports. */
	double e00, e01, e11;
	int64_t t_ns;	     /* local time of the estimate */
	int64_t start_ns;    /* local time of the last (re)start */
	double u_ppb;	     /* adjustment applied since t_ns */
	double dt_s;	     /* mean spacing of accepted samples */
	unsigned count;	     /* samples since the last (re)start */
	unsigned reject_run; /* consecutive samples refused by the gate */
	uint64_t accepted, rejected;
	uint64_t restarts; /* forced by refusals in a row */
	double nis;	   /* mean normalised innovation squared */
	bool ladder_live;  /* the ladder's phase is continuous since a
			    * warm-up ended: a forced restart keeps it */
	double r_ns2;	   /* measurement noise variance in use */
	double q_wfm;	   /* white FM: ns^2 / s */
	double q_rwfm;	   /* random-walk FM: ppb^2 / s */
	double r_hi_ns2, q_wfm_hi, q_rwfm_hi; /* upper bounds of the three */
	double tail;	       /* 99.9 % quantile of |innovation| / its sd */
	double gain;	       /* last offset gain (0..1) */
	double servo_phase_ns; /* phase the servo put into the clock */
	int64_t epoch_ns;      /* local time origin of the ladder's times */
	double innov_ns;       /* last innovation */
	double z0_ns;	       /* offset sample of the last (re)start */
	struct gn_kalman_level lv[GN_KALMAN_LEVELS];
	/* Second differences of the phase during a warm-up: enough of
	 * them (fast Sync) give the measurement noise before the ladder
	 * starts. */
	struct gn_kalman_level early;
	bool early_used;
	/* ... and the first innovations' consistency with the prior R */
	double early_nis;
	unsigned early_nis_n;
	/* Sum of products of consecutive normalised early innovations, and
	 * the last one: wander (correlated) or noise (not)? */
	double early_corr;
	double early_u;
	/* Second differences of the free-running phase in the warm-up: sum
	 * of squares and of products of neighbours (white phase noise
	 * gives -4/6 of a square per product, frequency wander about 0). */
	double early_d, early_d2, early_dd;
	unsigned early_d_n;
};

/* What a servo knows about its clock after the last sample. */
struct gn_servo_estimate {
	int64_t local_ns;    /* local time of the last sample */
	double offset_ns;    /* clock - master then (after any step) */
	double offset_sd_ns; /* standard deviation of its error */
	double freq_ppb;     /* clock's frequency error vs the master with
			      * the adjustment now applied (ppb) */
	double freq_sd_ppb;
	/* The frequency's deviation under the fitted noise model the
	 * gains use (Kalman; freq_sd_ppb is the pessimistic one): a best
	 * guess, for decisions rather than bounds. */
	double freq_sd_fit_ppb;
	double offset_sd_fit_ns; /* the offset's, likewise */
	double noise_ns; /* measurement noise (standard deviation) */
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
		struct gn_servo_kalman kf;
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
const char *gn_servo_type_str(enum gn_servo_type t);	/* "pi" "linreg"
							 * "kalman" */
/*
 * The servo's uncertainty: standard deviations of the error of its
 * offset estimate (ns) and of the clock's frequency (ppb) after the last
 * sample. Measurement noise of the offsets is included; delay asymmetry
 * is not (it cannot be observed). 0, -EAGAIN before the servo has an
 * estimate, or -ENOTSUP (PI, linreg).
 */
int gn_servo_uncertainty(const struct gn_servo *s, double *offset_sd_ns,
			 double *freq_sd_ppb);
/* The whole estimate; same return values. */
int gn_servo_estimate(const struct gn_servo *s, struct gn_servo_estimate *e);
/*
 * The offsets given from now on are shift_ns off those given before (the
 * path delay estimate moved by -shift_ns). The Kalman servo moves its
 * offset estimate with them, so an improved delay corrects the clock at
 * once instead of as a run of surprising samples; PI and linreg ignore
 * it, as linuxptp's servos know nothing of the delay. A move within the
 * estimate's own error is averaged as noise unless settling says the
 * delay filter is young (its moves are then real and large).
 */
void gn_servo_shift(struct gn_servo *s, double shift_ns, bool settling);

#endif

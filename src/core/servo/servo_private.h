/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * servo_private.h - what servo.c needs from each servo type, and what
 * the types share: the step decision. Not for use outside src/core/servo.
 */
#ifndef GN_CORE_SERVO_PRIVATE_H
#define GN_CORE_SERVO_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "servo.h"

/* PI (pi.c). */
void gn_servo_pi_init(struct gn_servo *s, double initial_freq_ppb);
double gn_servo_pi_sample(struct gn_servo *s, int64_t offset_ns,
			  int64_t local_ns, double weight,
			  enum gn_servo_state *state);
void gn_servo_pi_sync_interval(struct gn_servo *s, double interval_s);
void gn_servo_pi_reset(struct gn_servo *s);

/* Linear regression (linreg.c). */
void gn_servo_linreg_init(struct gn_servo *s, double initial_freq_ppb);
double gn_servo_linreg_sample(struct gn_servo *s, int64_t offset_ns,
			      int64_t local_ns, double weight,
			      enum gn_servo_state *state);
void gn_servo_linreg_sync_interval(struct gn_servo *s, double interval_s);
void gn_servo_linreg_reset(struct gn_servo *s);

/* Kalman filter (kalman.c). */
void gn_servo_kalman_init(struct gn_servo *s, double initial_freq_ppb);
double gn_servo_kalman_sample(struct gn_servo *s, int64_t offset_ns,
			      int64_t local_ns, double weight,
			      enum gn_servo_state *state);
void gn_servo_kalman_sync_interval(struct gn_servo *s, double interval_s);
void gn_servo_kalman_reset(struct gn_servo *s);
int gn_servo_kalman_estimate(const struct gn_servo *s,
			     struct gn_servo_estimate *e);
void gn_servo_kalman_shift(struct gn_servo *s, double shift_ns,
			   bool settling);
/* Expected mean square of a level's second difference per unit of R,
 * q_wfm and q_rwfm, for windows of 2^level samples dt_s apart. */
void gn_servo_kalman_coefficients(unsigned level, double dt_s, double c[3]);
/* ... and of the mean product of consecutive level-0 second differences
 * (lag 1): -4 R - q_wfm dt + q_rwfm dt^3 / 6. */
void gn_servo_kalman_lag_coefficients(double dt_s, double c[3]);

/*
 * Whether an offset of abs_offset_ns (>= 0) calls for a step: beyond
 * first_step_threshold before the first lock, or beyond step_threshold at
 * any time (a threshold <= 0 is off). servo.c.
 */
bool gn_servo_should_step(const struct gn_servo *s, double abs_offset_ns);

/* value clamped to +-s->cfg.max_frequency_ppb. servo.c. */
double gn_servo_clamp_ppb(const struct gn_servo *s, double value_ppb);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dsync.h - one update of a sink clock from a source clock, shared by
 * gnomon-phc2sys and gnomond's discipline: measure (dclock), apply the
 * UTC/TAI offset and leap second rules (leap.h), run the servo (the
 * core's PI, linreg or Kalman), step or adjust the sink (or, instead,
 * hand the sample to chrony/ntpd through refclock.h), check the sink's
 * sanity, and log phc2sys's lines ("CLOCK_REALTIME phc offset ... s2
 * freq ... delay ...", or the -u summary "rms ... max ...").
 *
 * The "freq" printed is phc2sys's: the servo's correction with
 * linuxptp's sign (the negation of the adjustment applied).
 */
#ifndef GN_DISCIPLINE_DSYNC_H
#define GN_DISCIPLINE_DSYNC_H

#include <stdbool.h>
#include <stdint.h>

#include "clockcheck.h"
#include "dclock.h"
#include "dlog.h"
#include "refclock.h"
#include "servo/servo.h"

enum gn_dsync_output {
	GN_DSYNC_STEER = 0, /* the servo steers the sink */
	GN_DSYNC_NTPSHM,    /* samples to an NTP SHM segment */
	GN_DSYNC_SOCK,	    /* samples to chrony's SOCK refclock */
};

struct gn_dsync_config {
	struct gn_servo_config servo; /* type, kp/ki, step thresholds */
	double interval_s;	      /* between updates (1 / -R) */
	int readings;		      /* -N */
	bool free_running;	      /* measure and log only */
	bool kernel_leap;	      /* leap seconds through the kernel */
	double sanity_freq_limit_ppb; /* -L; 0 off */
	unsigned stats_max_count;     /* -u; 0: a line per update */
	enum gn_dsync_output output;
	struct gn_refclock_sock *sock; /* GN_DSYNC_SOCK */
	struct gn_refclock_shm *shm;   /* GN_DSYNC_NTPSHM */
	bool forced_sync_offset;       /* -O: sink - source = offset_s */
	/* Rate of the slew that replaces a leap second on a UTC sink
	 * when the kernel does not apply it (kernel_leap 0). */
	double leap_slew_ppb;
};

/* phc2sys's defaults: PI with kp 0.7 and ki 0.3, 1 update per second,
 * 5 readings, kernel leap, 200000000 ppb sanity limit, first step at
 * 20 us, no later steps; leap slew 100 ppm. */
void gn_dsync_config_default(struct gn_dsync_config *cfg);
/* clock_servo's value (enum gn_cfg_servo of the daemon's config.h):
 * the servo type, or the SHM / SOCK output instead of a servo. */
void gn_dsync_config_servo(struct gn_dsync_config *cfg, int cfg_servo);

/* What the source's PTP instance says about time (zero when unknown,
 * or the -O offset). */
struct gn_tprops {
	int utc_offset_s; /* TAI - UTC to apply between UTC and TAI clocks */
	int leap;	  /* +1 leap61, -1 leap59, 0 */
	bool utc_offset_traceable;
};

struct gn_dsync_stats {
	unsigned n, ndelay;
	double off_sq, off_max, freq_sum, freq_sq, delay_sum, delay_sq;
};

struct gn_dsync_sink {
	struct gn_dclock *clk;
	struct gn_servo servo;
	bool have_servo;
	bool refused; /* read-only sink that would have to be steered */
	enum gn_servo_state state;
	struct gn_clockcheck check;
	int leap_set;	    /* leap state given to the clock (or output) */
	int sync_offset_s;  /* TAI - UTC in use */
	int utc_offset_set; /* last ADJ_TAI */
	bool tai_known;
	int64_t slew_ns; /* what remains of a leap second being slewed */
	int64_t slew_last_ns;
	struct gn_dsync_stats stats;
	/* The last update, for the host and tests. */
	int64_t last_offset_ns, last_delay_ns, last_ts_ns;
	double last_freq_ppb;
	unsigned updates, skipped;
};

void gn_dsync_sink_init(struct gn_dsync_sink *s, struct gn_dclock *clk,
			const struct gn_dsync_config *cfg);
/* The servo starts over (keeping its frequency), statistics too. */
void gn_dsync_sink_reset(struct gn_dsync_sink *s);

/* The offset to add between a sink and a source: sink keeps UTC and the
 * source TAI -> +utc_offset s; the other way -> -utc_offset s; forced
 * (-O): -offset s always (sink - source = offset). */
int64_t gn_dsync_sync_offset_ns(const struct gn_dsync_config *cfg,
				const struct gn_dsync_sink *s, bool src_is_utc);

/*
 * One update of s from src: returns 0 (updated and logged), 1 (skipped:
 * last second before a leap), or a negative errno (measurement failed;
 * nothing changed). src_label is phc2sys's name of the source kind in
 * the log line ("phc", "sys", "pps").
 */
int gn_dsync_update(const struct gn_dsync_config *cfg, struct gn_dsync_sink *s,
		    struct gn_dclock *src, const struct gn_tprops *tp,
		    const char *src_label, const struct gn_dlog *log);

/*
 * The same with a measurement made by the caller (PPS): offset = sink -
 * source (before the UTC/TAI offset) at ts (sink time), delay < 0 when
 * unknown. src_is_utc tells the source's time scale, src (may be NULL)
 * is read for leap decisions when it keeps UTC.
 */
int gn_dsync_apply(const struct gn_dsync_config *cfg, struct gn_dsync_sink *s,
		   struct gn_dclock *src, bool src_is_utc, int64_t offset_ns,
		   int64_t ts_ns, int64_t delay_ns, const struct gn_tprops *tp,
		   const char *src_label, const struct gn_dlog *log);

#endif

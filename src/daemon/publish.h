/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * publish.h - the daemon side of the time service (issue 5): the
 * shared-memory page that libgnomon reads (mapping local kernel clock ->
 * synchronized time, error bound, state, UTC offset, grandmaster; layout
 * in include/gnomon/page.h), and the error-bound estimator behind it.
 *
 * The estimator (gn_bound_*) is pure: it reads the core's clock and is
 * told the clock time and the frequency adjustment in effect, so the
 * simulator tests drive it with simulated clocks and know the truth.
 */
#ifndef GN_DAEMON_PUBLISH_H
#define GN_DAEMON_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "config.h"
#include "pclock.h"

struct gn_publisher;

/* Why an update is published. */
enum gn_publish_reason {
	GN_PUBLISH_START = 0,
	GN_PUBLISH_SERVO,  /* a servo update (offset sample) */
	GN_PUBLISH_STATE,  /* a port state change */
	GN_PUBLISH_PARENT, /* new parent / grandmaster */
	GN_PUBLISH_TICK,   /* periodic (holdover bookkeeping) */
};

/*
 * Opens (creates) the page as configured. publish_path "" disables the
 * page (the estimator still runs: gn_publish_status works). NULL with a
 * message in err only when a page was asked for explicitly and cannot
 * be made; the default path (/run/gnomon/) falls back to no page with a
 * warning in the log.
 */
struct gn_publisher *gn_publish_open(const struct gn_config *cfg, char *err,
				     size_t errlen);
/* Publishes the clock's current state. Never blocks. NULL p is fine. */
void gn_publish_update(struct gn_publisher *p, const struct gn_clock *c,
		       struct gn_pclock *clk, enum gn_publish_reason why);
/* Marks the page closed, wakes its readers, removes the file, unmaps.
 * NULL is fine. */
void gn_publish_close(struct gn_publisher *p);

/* What the last publication said (for metrics and management). */
struct gn_publish_status {
	int state;	   /* enum gn_page_state */
	uint64_t bound_ns; /* at the last publication (UINT64_MAX:
			    * unknown) */
	double growth_ppb; /* ns of bound per s */
	uint64_t update_count;
	const char *path; /* the page's file, or NULL */
};
int gn_publish_status(const struct gn_publisher *p,
		      struct gn_publish_status *st);

/* ---- the error-bound estimator ---- */

struct gn_bound_config {
	/* Largest delay asymmetry to allow for, ns; < 0: the mean path
	 * delay (the largest possible with causal time stamps). */
	int64_t asymmetry_ns;
	/* Extra frequency error a holdover may accumulate, ppb (ns/s);
	 * 0: learnt from the frequency wander seen while locked. */
	double holdover_ppb;
	bool hw_stamping;
};
void gn_bound_config_default(struct gn_bound_config *cfg);

#define GN_OBS_WINDOW 32 /* samples in the regression */
#define GN_OBS_FHIST  64 /* frequency estimates kept (learnt wander) */

/*
 * The observer: a regression of the clock's free-running phase (the
 * measured offsets minus every phase the servo put into the clock, its
 * frequency adjustments and steps) over the last GN_OBS_WINDOW samples,
 * whatever servo runs. Times in s of the master's time (clock time minus
 * the offset) from t0_ns, phases in ns.
 */
struct gn_observer {
	double t_s[GN_OBS_WINDOW], y_ns[GN_OBS_WINDOW];
	double a_ppb[GN_OBS_WINDOW]; /* adjustment in effect at the sample */
	unsigned head, n;
	int64_t t0_ns;
	double servo_phase_ns; /* put in by the servo up to phase_t_ns */
	int64_t phase_t_ns;
	double adj_ppb; /* adjustment in effect since phase_t_ns */
	bool started;
	uint64_t samples;  /* since the last reset */
	int64_t last_t_ns; /* clock time of the last sample */
	double last_x_s;   /* its time on the master's axis */
	double last_y_ns;
	double dt_s; /* mean sample spacing */
	double f_hist_ppb[GN_OBS_FHIST], f_hist_t_s[GN_OBS_FHIST];
	unsigned fh_head, fh_n, since_fh;
};

/* The observer's fit at one instant. */
struct gn_obs_fit {
	unsigned n;
	double e_ns;	       /* estimated clock error at the instant */
	double e_last_ns;      /* the last sample extrapolated to it */
	double stat_ns;	       /* statistical half-width of e_ns */
	double delay_drift_ns; /* delay measured while the clock drifted */
	double r_ppb;	       /* clock's frequency error now (with adj) */
	double r_sd_ppb;       /* its standard deviation */
	double sigma_ns;       /* residual noise in use */
	unsigned outliers;     /* samples left out of the fit */
	double wander_ppb;     /* learnt frequency wander */
	double wander_span_s;
};

struct gn_bound_result {
	int state;		 /* enum gn_page_state */
	uint64_t bound_ns;	 /* at the instant given (UINT64_MAX unknown) */
	double growth_ppb;	 /* bound growth from there, ns/s */
	double stale_growth_ppb; /* growth when nobody steers any more */
	struct gn_obs_fit fit;	 /* diagnostics */
};

struct gn_bound {
	struct gn_bound_config cfg;
	struct gn_observer obs;
	int state;
	int64_t state_since_ns; /* clock time the state was entered */
	bool locked_once;	/* a LOCKED estimate exists (holdover) */
	int64_t holdover_t0_ns; /* clock time of the last locked sample */
	/* The last published bound: holdover continues from it. */
	int64_t anchor_ns;
	uint64_t anchor_bound_ns;
	double anchor_growth_ppb;
	struct gn_port_identity parent;
	bool have_parent;
	int64_t last_ingress_ns; /* of the newest sample seen */
};

void gn_bound_init(struct gn_bound *b, const struct gn_bound_config *cfg);
/*
 * Feeds the clock's state at clock time now_ns. adj_ppb is the
 * frequency adjustment the clock runs with now (after the servo acted
 * on the newest sample; constant when free_running). Fills r with the
 * state and the bound at now_ns.
 */
void gn_bound_update(struct gn_bound *b, const struct gn_clock *c,
		     int64_t now_ns, double adj_ppb, struct gn_bound_result *r);

/* clockAccuracy (IEEE 1588 table 5) as the upper end of its range, ns
 * (at least 1); UINT64_MAX for 0x31 (> 10 s), 0xFE and reserved codes. */
uint64_t gn_clock_accuracy_ns(uint8_t accuracy);

#endif

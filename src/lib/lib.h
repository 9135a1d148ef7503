/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib.h - libgnomon's internals, shared by its files and its unit tests
 * (which link the static library). Nothing here is exported from the
 * shared library (hidden visibility).
 *
 * The arithmetic (map.c) is pure: page snapshot + local clock reading ->
 * synchronized time, bound, TAI/UTC; synchronized instant -> local
 * deadline; pulse instants. The rest does the I/O: page.c maps and reads
 * the page, timer.c and pulse.c run threads that sleep on kernel clocks.
 */
#ifndef GN_LIB_LIB_H
#define GN_LIB_LIB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "gnomon/gnomon.h"
#include "gnomon/page.h"

#define GN_NS_PER_S 1000000000LL

/* The words of the data block gn_time_now needs: mapping, bound, stale,
 * leap, state, timescale, UTC offset, flags and the stale growth
 * (bytes 0..87). */
#define GN_LIB_TIME_WORDS 11

/* A consistent copy of the page: the data block (all of it, or its
 * first GN_LIB_TIME_WORDS words) and the local clock read inside the
 * same sequence-lock section. */
struct gn_lib_snap {
	union {
		struct gn_page_data d;
		uint64_t w[sizeof(struct gn_page_data) / 8];
	};
	int64_t local_ns;
	uint32_t seq;
};

/* ---- map.c: pure arithmetic ---- */

/* gn_lib_clock_at: synchronized clock time at local clock reading
 * local_ns. gn_lib_bound_at: the bound then (GN_BOUND_UNKNOWN stays
 * unknown; saturates): bound_growth_frac up to stale_after_ns,
 * stale_growth_frac beyond. gn_lib_timescales: TAI and UTC (and flags,
 * UTC offset) from a synchronized clock value. Inline, below. */
/* The synchronized clock value of a TAI instant (inverse of the above;
 * during an inserted leap second the later of the two candidates). */
int64_t gn_lib_clock_of_tai(const struct gn_page_data *d, int64_t tai_ns);
/* The smallest local reading at which the clock reads >= clock_ns. */
int64_t gn_lib_local_of_clock(const struct gn_page_data *d, int64_t clock_ns);
/* Fixed point helpers (shared with the daemon's arithmetic tests). */
int64_t gn_lib_frac_of_ppb(double ppb);
double gn_lib_ppb_of_frac(int64_t frac);

/*
 * Pulse instants: the TAI instant of pulse `index` and the first index
 * whose instant is >= tai_ns. Alignment: instants are
 * epoch + index * period + phase with epoch 0 of TAI (GN_ALIGN_TAI) or
 * of UTC (GN_ALIGN_UTC, utc_offset_s converts). index may be negative
 * for instants before the epoch.
 */
int64_t gn_lib_pulse_instant(int64_t index, int64_t period_ns, int64_t phase_ns,
			     int align, int utc_offset_s);
int64_t gn_lib_pulse_next(int64_t tai_ns, int64_t period_ns, int64_t phase_ns,
			  int align, int utc_offset_s);

/* Lateness histogram: log-linear, 64 sub-buckets per power of two. */
#define GN_HIST_SUB  64
#define GN_HIST_EXPS 40
struct gn_hist {
	uint64_t count;
	uint64_t bucket[GN_HIST_EXPS * GN_HIST_SUB];
	int64_t min_ns, max_ns;
	double sum_ns;
};
void gn_hist_init(struct gn_hist *h);
void gn_hist_add(struct gn_hist *h, int64_t v_ns);
/* The value at quantile q (the upper edge of its bucket, clamped to
 * [min, max]); 0 when empty. */
int64_t gn_hist_quantile(const struct gn_hist *h, double q);

/* ---- the hot path, inline (gn_time_now) ---- */

__extension__ typedef __int128 gn_i128;
__extension__ typedef unsigned __int128 gn_u128;

static inline int64_t gn_lib_clock_at(const struct gn_page_data *d,
				      int64_t local_ns)
{
	int64_t dl = local_ns - d->anchor_local_ns;

	/* floor(dl * rate / 2^48): an arithmetic shift floors */
	return d->anchor_clock_ns + dl +
	       (int64_t)(((gn_i128)dl * d->rate_frac) >> GN_PAGE_FRAC_BITS);
}

static inline uint64_t gn_lib_bound_at(const struct gn_page_data *d,
				       int64_t local_ns)
{
	int64_t dl = local_ns - d->anchor_local_ns;
	uint64_t adl = dl < 0 ? (uint64_t)0 - (uint64_t)dl : (uint64_t)dl;
	gn_u128 g;

	if (d->bound_ns == GN_PAGE_BOUND_UNKNOWN)
		return GN_BOUND_UNKNOWN;
	if (dl > 0 && d->stale_after_ns > 0 && dl > d->stale_after_ns) {
		uint64_t fresh = (uint64_t)d->stale_after_ns;

		g = (gn_u128)fresh * d->bound_growth_frac +
		    (gn_u128)(adl - fresh) * d->stale_growth_frac;
		g >>= GN_PAGE_FRAC_BITS;
	} else {
		g = ((gn_u128)adl * d->bound_growth_frac) >> GN_PAGE_FRAC_BITS;
	}
	if (g >= (gn_u128)(GN_PAGE_BOUND_UNKNOWN - d->bound_ns))
		return GN_BOUND_UNKNOWN - 1;
	return d->bound_ns + (uint64_t)g;
}

/* The leap correction in effect at clock_ns: +1 s after an inserted
 * second's start, -1 after a deleted one, 0 before or without. */
static inline int gn_lib_leap_step(const struct gn_page_data *d,
				   int64_t clock_ns)
{
	if (!d->leap_at_clock_ns || clock_ns < d->leap_at_clock_ns)
		return 0;
	if (d->time_flags & GN_PAGE_TF_LEAP61)
		return 1;
	if (d->time_flags & GN_PAGE_TF_LEAP59)
		return -1;
	return 0;
}

static inline void gn_lib_timescales(const struct gn_page_data *d,
				     int64_t clock_ns, struct gn_time *t)
{
	int step = gn_lib_leap_step(d, clock_ns);
	int32_t off = d->utc_offset_s + step;
	uint32_t f = 0;

	if (d->time_flags & GN_PAGE_TF_UTC_VALID)
		f |= GN_TIME_UTC_VALID;
	if (d->time_flags & GN_PAGE_TF_TIME_TRACE)
		f |= GN_TIME_TRACEABLE;
	if (d->leap_at_clock_ns && !step) {
		if (d->time_flags & GN_PAGE_TF_LEAP61)
			f |= GN_TIME_LEAP61;
		if (d->time_flags & GN_PAGE_TF_LEAP59)
			f |= GN_TIME_LEAP59;
	}
	switch (d->timescale) {
	case GN_PAGE_TS_UTC:
		t->utc_ns = clock_ns;
		t->tai_ns = clock_ns + (int64_t)off * GN_NS_PER_S;
		break;
	case GN_PAGE_TS_TAI:
		t->tai_ns = clock_ns;
		t->utc_ns = clock_ns - (int64_t)off * GN_NS_PER_S;
		if (step > 0 && clock_ns - d->leap_at_clock_ns < GN_NS_PER_S)
			f |= GN_TIME_IN_LEAP;
		break;
	default:
		t->tai_ns = t->utc_ns = clock_ns;
		f |= GN_TIME_ARB;
		break;
	}
	t->utc_offset_s = off;
	t->flags = f;
}

/* ---- page.c ---- */

struct gn_lib_mapping {
	struct gn_page *page; /* read-only mapping */
	dev_t dev;
	ino_t ino;
};

#define GN_LIB_MAX_RETIRED 32

struct gnomon {
	_Atomic(struct gn_page *) page;
	clockid_t local_clock;
	char *path;
	pthread_mutex_t lock; /* reopen, timers */
	struct gn_lib_mapping cur;
	struct gn_lib_mapping retired[GN_LIB_MAX_RETIRED];
	unsigned nretired;

	/* Calibration of CLOCK_MONOTONIC against CLOCK_MONOTONIC_RAW. */
	int64_t cal_raw0_ns, cal_mono0_ns;

	/* Timers (timer.c). */
	struct gn_timer *timers; /* list of all timers of this handle */
	pthread_t timer_thread;
	bool timer_thread_running;
	bool timer_stop;
	_Atomic uint32_t tgen;	   /* futex: bumped when timers change */
	pthread_cond_t timer_cond; /* a callback finished */
	struct gn_timer *running;  /* timer whose callback runs now */

	/* Pulses (pulse.c). */
	struct gn_pulse *pulses;
};

/* Reads the page consistently with the local clock (words: how many
 * words of the data block to copy). 0, -EAGAIN (lock held too long). */
int gn_lib_read(const struct gn_page *p, clockid_t clk, unsigned words,
		struct gn_lib_snap *s);
/* The current page (re-opened when the daemon restarted and the path
 * now holds a new page). */
struct gn_page *gn_lib_page(struct gnomon *g);
/* Snapshot + derived time of the current page (what gn_time_now does);
 * full: copy the whole data block. */
int gn_lib_now(struct gnomon *g, bool full, struct gn_lib_snap *s,
	       struct gn_time *t);
int64_t gn_lib_clock_ns(clockid_t clk);
/* Whether the daemon behind a page is gone (closed flag or no pid). */
bool gn_lib_daemon_gone(const struct gn_page *p);

/*
 * Sleeping until a local deadline. The kernel cannot sleep on
 * CLOCK_MONOTONIC_RAW, so a RAW deadline is converted to
 * CLOCK_MONOTONIC through g's calibration, minus a margin that covers
 * the calibration's error; callers re-check and sleep again. Fills the
 * clock to sleep on and the absolute deadline on it.
 */
void gn_lib_wait_deadline(struct gnomon *g, int64_t local_deadline_ns,
			  clockid_t *wait_clock, struct timespec *abs);

/* ---- timer.c / pulse.c ---- */
void gn_lib_timers_shutdown(struct gnomon *g);
void gn_lib_pulses_shutdown(struct gnomon *g);

/* Periodic output of a PHC, through an ioctl a test may replace. */
struct ptp_perout_request;
typedef int (*gn_lib_ioctl_fn)(int fd, unsigned long req, void *arg);
extern gn_lib_ioctl_fn gn_lib_perout_ioctl;
/* A PHC's device is this followed by its index (tests: a fake). */
extern const char *gn_lib_phc_prefix;
/* Fills the request for pulses of cfg starting at the first instant
 * after clock_now_ns (PHC time = the page's clock). */
int gn_lib_perout_fill(const struct gn_pulse_config *cfg,
		       const struct gn_page_data *d, int64_t clock_now_ns,
		       struct ptp_perout_request *req);

#endif

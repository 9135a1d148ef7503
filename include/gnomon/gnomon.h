/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * gnomon/gnomon.h - libgnomon, the application time service: the
 * synchronized time of a gnomond instance (TAI and UTC with an error
 * bound), one-shot timers and phase-aligned periodic pulses on it.
 *
 * The library reads the shared-memory page gnomond publishes (see
 * docs/timeservice.md and libgnomon(3)); reading the time takes no lock
 * and no system call beyond the vDSO clock read. Every function is
 * thread-safe. Functions return 0 or a negative errno code; gn_strerror()
 * explains the codes in the library's terms. Link with
 * `pkg-config --libs gnomon` (-lgnomon -lpthread).
 */
#ifndef GNOMON_GNOMON_H
#define GNOMON_GNOMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GN_LIB_VERSION_MAJOR 0
#define GN_LIB_VERSION_MINOR 1

/* The page of the default instance (gnomond with the default
 * uds_address /var/run/ptp/ptp4l and publish_path /run/gnomon/). The
 * environment variable GNOMON_PAGE overrides it when gn_open() gets
 * NULL. */
#define GN_DEFAULT_PAGE "/run/gnomon/ptp4l"
#define GN_PAGE_ENV	"GNOMON_PAGE"

/* A bound that is not known (no master yet, free-running). */
#define GN_BOUND_UNKNOWN UINT64_MAX

struct gnomon;

/*
 * Opens the time-service page at path (NULL: $GNOMON_PAGE, else
 * GN_DEFAULT_PAGE). Errors: -ENOENT (no page: gnomond is not running or
 * publishes elsewhere), -EACCES, -EPROTO (not a gnomon page),
 * -EPROTONOSUPPORT (a page layout this library does not know), -ENOMEM.
 */
int gn_open(const char *path, struct gnomon **g);
/* Stops every timer and pulse of g, then closes it. NULL is fine. */
void gn_close(struct gnomon *g);
/* A message for a code returned by this library (negative errno). */
const char *gn_strerror(int err);

enum gn_state {
	GN_FREERUN = 0,	 /* no master (or free_running): the clock's own */
	GN_LOCKING = 1,	 /* following a master, not settled yet */
	GN_LOCKED = 2,	 /* settled on a master */
	GN_HOLDOVER = 3, /* was locked, the master is gone: bound grows */
};
const char *gn_state_str(enum gn_state s);

/* gn_time.flags */
#define GN_TIME_UTC_VALID (1u << 0) /* utc_offset_s is valid (announced) */
#define GN_TIME_LEAP61	  (1u << 1) /* this UTC day ends with 23:59:60 */
#define GN_TIME_LEAP59	  (1u << 2) /* this UTC day ends at 23:59:59 */
#define GN_TIME_IN_LEAP                                                        \
	(1u << 3) /* inside an inserted second: UTC                            \
		   * repeats 23:59:59 */
#define GN_TIME_ARB                                                            \
	(1u << 4)		    /* arbitrary timescale: tai = utc =        \
				     * the clock, no UTC relation */
#define GN_TIME_TRACEABLE (1u << 5) /* timeTraceable */
#define GN_TIME_STALE                                                          \
	(1u << 6)		      /* no publication for longer than        \
				       * promised: extrapolated */
#define GN_TIME_DAEMON_GONE (1u << 7) /* gnomond exited or died */

struct gn_time {
	int64_t tai_ns;	   /* TAI, ns since 1970-01-01 00:00:00 TAI */
	int64_t utc_ns;	   /* UTC, ns since the POSIX epoch */
	uint64_t bound_ns; /* |error| of both against the grandmaster's
			    * time is at most this (GN_BOUND_UNKNOWN) */
	enum gn_state state;
	uint32_t flags;	      /* GN_TIME_* */
	int32_t utc_offset_s; /* TAI - UTC in effect at this instant */
	int64_t local_ns;     /* the local clock reading it came from */
};

/*
 * The synchronized time now. Lock-free; no system call beyond the vDSO
 * clock read. Returns 0; -ESTALE when the daemon has not published for
 * longer than it promised (t is filled: an extrapolation whose bound
 * keeps growing); -EOWNERDEAD when the daemon is gone (t filled the
 * same way, flag GN_TIME_DAEMON_GONE); -ENODATA before the daemon's
 * first publication (t not filled); -EAGAIN if the page stayed locked
 * (a writer died while writing).
 */
int gn_time_now(struct gnomon *g, struct gn_time *t);

/* Everything else the page says, for displays and diagnostics. */
struct gn_status {
	int pid;	       /* gnomond's process id */
	uint64_t update_count; /* publications so far */
	int64_t age_ns;	       /* local time since the last one */
	enum gn_state state;
	int64_t state_age_ns;	 /* local time since the state was entered */
	uint64_t bound_ns;	 /* at the last publication */
	double bound_growth_ppb; /* ns of bound per s */
	int timescale;		 /* 0 TAI, 1 UTC, 2 arbitrary */
	int16_t utc_offset_s;
	uint8_t time_flags; /* IEEE 1588 flagField octet 1 */
	uint8_t time_source;
	uint8_t domain;
	uint8_t servo_state; /* 0..3 = s0..s3 */
	uint8_t port_state;  /* IEEE 1588 portState */
	uint8_t gm_identity[8];
	uint8_t parent_identity[8];
	uint16_t parent_port;
	uint16_t steps_removed;
	uint8_t gm_clock_class, gm_clock_accuracy;
	uint16_t gm_variance;
	uint8_t gm_priority1, gm_priority2;
	uint64_t gm_accuracy_ns; /* the grandmaster's clockAccuracy as ns
				  * (GN_BOUND_UNKNOWN when unknown) */
	int64_t offset_ns;	 /* last offset from the master */
	int64_t path_delay_ns;
	double freq_ppb; /* frequency adjustment of the clock */
	int phc_index;	 /* gnomond's PHC, or -1 */
	int local_clock; /* clockid_t the mapping starts from */
	unsigned version_major, version_minor; /* of the page */
};
int gn_status(struct gnomon *g, struct gn_status *s);

/* ---- timers ---- */

struct gn_timer;

struct gn_timer_event {
	int64_t target_tai_ns; /* the instant it was armed for */
	int64_t fired_tai_ns;  /* synchronized time it fired at (>= target) */
	uint64_t bound_ns;     /* the bound then */
	unsigned replans;      /* times the wait was re-planned */
};

typedef void (*gn_timer_fn)(struct gn_timer *t, const struct gn_timer_event *ev,
			    void *arg);

/*
 * A one-shot timer on g's synchronized clock. With fn, fn runs on the
 * library's timer thread (one per gnomon handle, shared by its timers;
 * keep callbacks short). With fn NULL the timer is for event loops:
 * gn_timer_fd() becomes readable when it fires and gn_timer_read()
 * takes the event. A timer never fires before its instant on the
 * synchronized clock; frequency changes and steps of that clock re-plan
 * the wait at once.
 */
int gn_timer_create(struct gnomon *g, gn_timer_fn fn, void *arg,
		    struct gn_timer **t);
/* Arms (or re-arms) at an absolute TAI instant. */
int gn_timer_arm_at(struct gn_timer *t, int64_t tai_ns);
/* Arms (or re-arms) delay_ns of synchronized time from now. */
int gn_timer_arm_after(struct gn_timer *t, int64_t delay_ns);
/* Disarms; -EALREADY when it was not armed (or has fired). */
int gn_timer_cancel(struct gn_timer *t);
/* fd mode: a descriptor that polls readable while an event waits. */
int gn_timer_fd(const struct gn_timer *t);
/* fd mode: takes the event; -EAGAIN when there is none. */
int gn_timer_read(struct gn_timer *t, struct gn_timer_event *ev);
/* Cancels and frees. From the timer's own callback too. */
void gn_timer_destroy(struct gn_timer *t);

/* ---- periodic pulses ---- */

struct gn_pulse;

struct gn_pulse_event {
	uint64_t index;	       /* instant = epoch + index * period + phase */
	int64_t target_tai_ns; /* the instant */
	int64_t fired_tai_ns;  /* synchronized time the callback started */
	int64_t lateness_ns;   /* fired - target (>= 0) */
	uint64_t missed;       /* pulses skipped since the previous one */
	uint64_t bound_ns;
};

typedef void (*gn_pulse_fn)(struct gn_pulse *p, const struct gn_pulse_event *ev,
			    void *arg);

#define GN_ALIGN_TAI 0 /* instants are multiples of the period from TAI 0 */
#define GN_ALIGN_UTC 1 /* ... from the POSIX epoch in UTC */

/* gn_pulse_config.flags */
#define GN_PULSE_NO_MLOCK (1u << 0) /* do not mlockall() the process */
#define GN_PULSE_HARDWARE                                                      \
	(1u << 1) /* also drive the PHC's periodic                             \
		   * output (PTP_PEROUT_REQUEST) */

struct gn_pulse_config {
	int64_t period_ns; /* > 0: 1 s, 16 ms, 20 ms, 256 ms ... */
	int64_t phase_ns;  /* shift from the aligned instant, [0, period) */
	int align;	   /* GN_ALIGN_TAI or GN_ALIGN_UTC */
	int priority;	   /* SCHED_FIFO priority 1..99 (default 80); 0:
			    * normal scheduling */
	int cpu;	   /* pin the thread to this CPU; -1: no pinning */
	unsigned flags;	   /* GN_PULSE_* */
	int hw_channel;	   /* periodic output channel (GN_PULSE_HARDWARE) */
};
/* Defaults for a period: TAI-aligned, phase 0, priority 80, no pinning. */
void gn_pulse_config_init(struct gn_pulse_config *c, int64_t period_ns);

/*
 * Starts pulses on a dedicated thread (SCHED_FIFO where permitted,
 * memory locked, timer slack minimal). fn runs at each instant (it may
 * be NULL with GN_PULSE_HARDWARE). When the thread wakes too late for
 * some instants, they are skipped and counted (missed), never run in a
 * burst. Errors: -EINVAL (bad config), -ENODEV (GN_PULSE_HARDWARE and
 * the daemon has no PHC), the PHC's error for its periodic output.
 */
int gn_pulse_start(struct gnomon *g, const struct gn_pulse_config *cfg,
		   gn_pulse_fn fn, void *arg, struct gn_pulse **p);

struct gn_pulse_stats {
	uint64_t count;		/* callbacks run */
	uint64_t missed;	/* instants skipped */
	int64_t min_ns, max_ns; /* lateness */
	double mean_ns;
	/* Quantiles of the lateness from a log-linear histogram: within
	 * 1/64 (1.6 %) of the exact value. */
	int64_t p50_ns, p99_ns, p999_ns;
	bool realtime; /* the thread got SCHED_FIFO */
	bool hardware; /* the PHC drives the pulses */
};
int gn_pulse_stats(struct gn_pulse *p, struct gn_pulse_stats *st);
/* The lateness quantile q in [0, 1] (same precision). */
int gn_pulse_quantile(struct gn_pulse *p, double q, int64_t *ns);
/* Stops the thread (and the hardware output) and frees. Not from its
 * own callback. */
void gn_pulse_stop(struct gn_pulse *p);

#ifdef __cplusplus
}
#endif

#endif

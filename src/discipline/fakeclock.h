/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fakeclock.h - a fake PHC (or fake system clock) kept in user space, for
 * tests: the virtual clock of src/platform/pclock.h (offset + rate on
 * top of a raw time base) with the operations of a PHC: read, frequency
 * adjustment within max_adj, step, read-only refusal, and the answers of
 * PTP_SYS_OFFSET_PRECISE / _EXTENDED / basic in the kernel's layouts. A
 * fake system clock also emulates the kernel's leap second (STA_INS /
 * STA_DEL applied at UTC midnight) and ADJ_TAI; a fake PHC may also
 * emulate external time stamp channels (pulses at the whole seconds of
 * a reference clock, stamped in its own time).
 *
 * It steers nothing in the kernel, ever. The raw time base is
 * CLOCK_MONOTONIC_RAW unless a test gives its own (a counter that moves
 * by a fixed amount per read makes every measurement exact).
 */
#ifndef GN_DISCIPLINE_FAKECLOCK_H
#define GN_DISCIPLINE_FAKECLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "measure.h"

struct gn_fakebase {
	int64_t (*raw_ns)(void *ctx); /* NULL: CLOCK_MONOTONIC_RAW */
	void *ctx;
};

#define GN_FAKE_NAME_MAX 64
/* Bit per enum gn_sysoff_method the fake answers. */
#define GN_FAKE_SYSOFF(m) (1u << (m))
#define GN_FAKE_SYSOFF_DEFAULT                                                 \
	(GN_FAKE_SYSOFF(GN_SYSOFF_EXTENDED) | GN_FAKE_SYSOFF(GN_SYSOFF_BASIC))
#define GN_FAKE_MAX_ADJ_PPB                                                    \
	500000.0 /* like many NICs (and the kernel's                           \
		  * limit for CLOCK_REALTIME) */

struct gn_fakeclock {
	char name[GN_FAKE_NAME_MAX];
	const struct gn_fakebase *base;
	int64_t v_anchor_ns, raw_anchor_ns;
	double intrinsic_ppb; /* its own rate error, unseen by servos */
	double freq_ppb;      /* the adjustment applied */
	double max_adj_ppb;   /* 0: not adjustable (read-only) */
	bool read_only;	      /* refuses adjfreq and step (-EPERM) */
	bool is_system;	      /* stands for a system clock */
	bool is_utc;	      /* ... CLOCK_REALTIME (keeps UTC, leaps) */
	unsigned sysoff;      /* GN_FAKE_SYSOFF bits it answers */
	int phc_index;	      /* -1 for a system clock */
	/* Kernel leap emulation (system clocks). */
	int leap_armed;	    /* +1 insert, -1 delete at the next midnight */
	int64_t leap_at_ns; /* that midnight (clock time) */
	int tai_offset_s;   /* ADJ_TAI */
	/* External time stamps (a fake PHC): n_extts channels, each
	 * stamping a pulse at every whole second of pps_ref (the "true"
	 * time of a GNSS receiver's PPS), in this clock's time. */
	unsigned n_extts;
	const struct gn_fakeclock *pps_ref;
	uint32_t extts_on;    /* bit per enabled channel */
	int64_t extts_last_s; /* pps_ref's second of the last pulse */
	/* For tests: what was done to it. */
	unsigned steps, adjustments, leaps_applied;
	int64_t last_step_ns;
};

#define GN_FAKE_EXTTS_CHANNELS 2

/* Enables (on) or disables EXTTS channel ch: -EINVAL beyond n_extts,
 * -EOPNOTSUPP without a pps_ref. The first pulse after enabling is the
 * next whole second of pps_ref. */
int gn_fakeclock_extts_enable(struct gn_fakeclock *f, unsigned ch, bool on);
/*
 * The next pulse: the first whole second of pps_ref after the last one
 * reported that falls after this clock's last adjustment (a pulse from
 * before it would carry a stamp of the old frequency; hardware would
 * have queued it, the emulation drops it). Its time on the raw time base
 * in *raw_ns (the caller waits for it), the clock's stamp of it in
 * *ts_ns. Marks it reported when consume. -EAGAIN when no channel is
 * enabled.
 */
int gn_fakeclock_extts_next(struct gn_fakeclock *f, bool consume,
			    int64_t *raw_ns, int64_t *ts_ns);

/* A fake clock that reads start_ns now and runs intrinsic_ppb fast. */
void gn_fakeclock_init(struct gn_fakeclock *f, const char *name,
		       const struct gn_fakebase *base, int64_t start_ns,
		       double intrinsic_ppb);
/* One that starts at CLOCK_REALTIME + offset_ns (default base only). */
void gn_fakeclock_init_rt(struct gn_fakeclock *f, const char *name,
			  const struct gn_fakebase *base, int64_t offset_ns,
			  double intrinsic_ppb);

int64_t gn_fakeclock_raw(const struct gn_fakeclock *f);
/* Current time; applies an armed leap second that is due. */
int64_t gn_fakeclock_now(struct gn_fakeclock *f);
/* Absolute adjustment, like clock_adjtime(ADJ_FREQUENCY): -EPERM when
 * read-only, -ERANGE beyond max_adj_ppb (as the PTP core answers). */
int gn_fakeclock_adjfreq(struct gn_fakeclock *f, double ppb);
int gn_fakeclock_step(struct gn_fakeclock *f, int64_t delta_ns);
/* Leap second at the next UTC midnight: +1 insert, -1 delete, 0 none.
 * -EOPNOTSUPP unless a system clock. */
int gn_fakeclock_set_leap(struct gn_fakeclock *f, int leap);
int gn_fakeclock_set_tai(struct gn_fakeclock *f, int offset_s);

/* Reads the "system clock" of a PTP_SYS_OFFSET* emulation. */
typedef int64_t (*gn_fake_sysread_fn)(void *ctx);

/* The ioctls' answers, in the kernel's layouts. -EOPNOTSUPP when the
 * fake does not answer that method; n is capped at
 * GN_SYSOFF_MAX_SAMPLES (as the kernel does) and returned in *n. */
int gn_fakeclock_sysoff_precise(struct gn_fakeclock *f, gn_fake_sysread_fn sys,
				void *ctx, int64_t *device_ns, int64_t *sys_ns);
int gn_fakeclock_sysoff_extended(struct gn_fakeclock *f, unsigned *n,
				 gn_fake_sysread_fn sys, void *ctx,
				 int64_t (*ts)[3]);
int gn_fakeclock_sysoff_basic(struct gn_fakeclock *f, unsigned *n,
			      gn_fake_sysread_fn sys, void *ctx, int64_t *ts);

/*
 * A set of fake clocks named by a specification, for the tool's and the
 * daemon's test mode: "NAME=OFFSET_NS[:FREQ_PPB[:FLAGS]],..." where NAME
 * is CLOCK_REALTIME (a fake system clock; also CLOCK_AUXn, not UTC, and
 * CLOCK_TAI, read only), /dev/ptpN (a fake PHC with index N) or an
 * interface name (the fake PHC of that interface, index 1000 + its
 * position). OFFSET_NS is from CLOCK_REALTIME at creation.
 * FLAGS: r read-only; p, e, b the PTP_SYS_OFFSET methods it answers
 * (default e and b); n none of them; x two EXTTS channels, whose pulses
 * mark the whole seconds of the set's reference (pps_ref: a clock that
 * read CLOCK_REALTIME when the set was made and runs at the raw time
 * base's rate).
 */
#define GN_FAKESET_MAX 16
struct gn_fakeset {
	struct gn_fakebase base;
	struct gn_fakeclock clk[GN_FAKESET_MAX];
	unsigned n;
	struct gn_fakeclock pps_ref; /* made with the first x flag */
	bool have_pps_ref;
};
int gn_fakeset_parse(struct gn_fakeset *set, const char *spec, char *err,
		     size_t errlen);
struct gn_fakeclock *gn_fakeset_find(struct gn_fakeset *set, const char *name);
struct gn_fakeclock *gn_fakeset_find_index(struct gn_fakeset *set, int index);

#endif

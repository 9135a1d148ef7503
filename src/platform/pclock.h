/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pclock.h - the clocks gnomond reads and steers: the system clock
 * (CLOCK_REALTIME through clock_adjtime), a PHC (/dev/ptpN) and the
 * virtual clock of DESIGN.md (user space: offset + rate on top of
 * CLOCK_MONOTONIC_RAW, steering nothing in the kernel).
 */
#ifndef GN_PLATFORM_PCLOCK_H
#define GN_PLATFORM_PCLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

enum gn_pclock_kind {
	GN_PCLOCK_SYSTEM = 0,
	GN_PCLOCK_PHC,
	GN_PCLOCK_VIRTUAL,
};

struct gn_pclock {
	enum gn_pclock_kind kind;
	clockid_t clkid; /* SYSTEM: CLOCK_REALTIME; PHC: FD_TO_CLOCKID */
	int fd;		 /* PHC device, else -1 */
	int phc_index;	 /* PHC: N of /dev/ptpN, else -1 */
	double max_adj_ppb;
	double freq_ppb; /* the adjustment last applied (all kinds) */
	bool read_only;	 /* PHC that refuses adjustment (ptp_kvm...) */
	/* VIRTUAL: v(raw) = v_anchor_ns + (raw - raw_anchor_ns) * rate,
	 * rate = 1 + (intrinsic_ppb + freq_ppb) * 1e-9. */
	int64_t v_anchor_ns;
	int64_t raw_anchor_ns;
	double intrinsic_ppb; /* virtual_clock_freq: a built-in error */
	int leap;	      /* VIRTUAL: leap second armed (+1, -1, 0) ... */
	int64_t leap_at_ns;   /* ... to be played at this (midnight) time */
	/* SYSTEM: beyond the kernel's 500 ppm frequency range the tick
	 * length (ADJ_TICK, in us per USER_HZ tick) takes the coarse part,
	 * as linuxptp does, for a range of about +-10 %. */
	long nominal_tick_us;
	long user_hz;
};

/* The system clock. Never steered in tests. */
int gn_pclock_open_system(struct gn_pclock *c);
/* A PHC by path (/dev/ptpN) or index (path NULL). Reads max_adj from
 * PTP_CLOCK_GETCAPS. Negative errno, message in err. */
int gn_pclock_open_phc(struct gn_pclock *c, const char *path, int index,
		       char *err, size_t errlen);
/* A virtual clock that starts at CLOCK_REALTIME + offset_ns and runs
 * freq_ppb fast (intrinsic error, invisible to the servo). */
int gn_pclock_open_virtual(struct gn_pclock *c, int64_t offset_ns,
			   double freq_ppb);
void gn_pclock_close(struct gn_pclock *c);

/* Current time of the clock (ns since the epoch of its time scale). */
int64_t gn_pclock_now(struct gn_pclock *c);
/* Sets the frequency adjustment (absolute, ppb; clamped to
 * +-max_adj_ppb). */
int gn_pclock_adjfreq(struct gn_pclock *c, double ppb);
struct timex;
/* Fills tx for clock_adjtime(): a step by delta_ns (ADJ_SETOFFSET with
 * ADJ_NANO, the fraction made non-negative as the kernel requires). */
void gn_timex_setoffset(struct timex *tx, int64_t delta_ns);
/*
 * The system clock's frequency ppb as whole tick steps (USER_HZ ticks of
 * nominal_tick_us, within 10 % of it, as the kernel allows) plus a fine
 * frequency within +-fine_max_ppb; sets tx->modes, tick and freq.
 * Returns the frequency actually set (differs only beyond the limits).
 */
double gn_timex_set_tick_freq(struct timex *tx, double ppb, long user_hz,
			      long nominal_tick_us, double fine_max_ppb);
/* The frequency a timex read back from the system clock says, tick
 * included (ppb). */
double gn_timex_tick_freq(const struct timex *tx, long user_hz,
			  long nominal_tick_us);
/* USER_HZ and the nominal tick (us) of the system clock; 0 or -EINVAL. */
int gn_timex_tick_limits(long *user_hz, long *nominal_tick_us);
/* Steps the clock by delta_ns. */
int gn_pclock_step(struct gn_pclock *c, int64_t delta_ns);
/*
 * Arms (+1 insert, -1 delete) or disarms (0) a leap second at the clock's
 * next UTC midnight: the kernel's STA_INS/STA_DEL for the system clock
 * (only when kernel_leap), played by the virtual clock itself, nothing
 * for a PHC (TAI has no leap seconds).
 */
int gn_pclock_set_leap(struct gn_pclock *c, int leap, bool kernel_leap);

/* The frequency adjustment the kernel (or the virtual clock) has now. */
double gn_pclock_read_freq(struct gn_pclock *c);

/*
 * Maps a software time stamp (CLOCK_REALTIME ns) into this clock's
 * time base: identity for SYSTEM; for VIRTUAL through the current
 * CLOCK_REALTIME - CLOCK_MONOTONIC_RAW offset. Not meaningful for a
 * PHC (hardware stamps are already in its time base).
 */
int64_t gn_pclock_from_realtime(struct gn_pclock *c, int64_t rt_ns);

/*
 * Offset of this clock from CLOCK_REALTIME (this - realtime), measured
 * like phc2sys: the best (shortest) of `samples` realtime/clock/realtime
 * sandwiches. *delay_ns gets that sandwich's width when not NULL.
 */
int gn_pclock_offset_from_realtime(struct gn_pclock *c, int samples,
				   int64_t *offset_ns, int64_t *delay_ns);

/* The virtual clock's max_adj_ppb: 500 ppm, the kernel's limit for
 * CLOCK_REALTIME's frequency (its timex tolerance). Its intrinsic error
 * (open_virtual's freq_ppb) must be within this too. */
#define GN_PCLOCK_VIRTUAL_MAX_ADJ_PPB 500000.0

/*
 * The virtual clock's mapping, a pure function exposed for tests: the
 * time at raw_ns of CLOCK_MONOTONIC_RAW of a clock that read v_anchor_ns
 * at raw_anchor_ns and runs ppb fast. With d = raw_ns - raw_anchor_ns it
 * is v_anchor_ns + d + round(d * ppb / 1e9), ppb taken to 1e-6 ppb and
 * the product computed exactly in 128 bits (halves round up, which
 * keeps it monotonic); ppb is clamped to +-999999999.
 */
int64_t gn_pclock_virtual_map(int64_t v_anchor_ns, int64_t raw_anchor_ns,
			      int64_t raw_ns, double ppb);

#endif

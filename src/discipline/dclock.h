/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dclock.h - the clocks the discipline reads, compares and steers: a
 * system clock (CLOCK_REALTIME or an auxiliary clock through
 * clock_adjtime, CLOCK_TAI read only), a PHC (/dev/ptpN,
 * or an interface's PHC found through ethtool) or a fake clock of
 * fakeclock.h, behind one set of operations.
 *
 * A PHC's capabilities come from PTP_CLOCK_GETCAPS. A clock that cannot
 * be adjusted (max_adj 0, as ptp_kvm and vmclock report, or one whose
 * adjustment the kernel refuses) is marked read-only and is never
 * adjusted or stepped: those calls return -EPERM without a syscall.
 *
 * Comparing a PHC with the system clock tries PTP_SYS_OFFSET_PRECISE,
 * then _EXTENDED, then the basic PTP_SYS_OFFSET, then clock_gettime
 * sandwiches; the first that works is kept for that pair. Against
 * another system clock than CLOCK_REALTIME only _EXTENDED (its clockid,
 * Linux 6.11+) and the sandwiches apply.
 */
#ifndef GN_DISCIPLINE_DCLOCK_H
#define GN_DISCIPLINE_DCLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "fakeclock.h"
#include "measure.h"

enum gn_dclock_kind {
	GN_DCLOCK_SYSTEM = 0,
	GN_DCLOCK_PHC,
	GN_DCLOCK_FAKE,
};

#define GN_DCLOCK_NAME_MAX 64

struct gn_dclock {
	enum gn_dclock_kind kind;
	char name[GN_DCLOCK_NAME_MAX]; /* as given: CLOCK_REALTIME, /dev/ptp0,
					* eth0 */
	clockid_t clkid;
	int fd;		/* PHC device, else -1 */
	int phc_index;	/* PHC (and fake PHC) index, else -1 */
	bool is_system; /* a system clock: a sink of -r, sysoff's outer */
	bool is_utc;	/* keeps UTC (CLOCK_REALTIME), not TAI */
	bool read_only; /* never adjusted */
	double max_adj_ppb;
	/* CLOCK_REALTIME: USER_HZ and its nominal tick (us), to steer
	 * beyond the frequency's limit by tick steps (0: not used). */
	long user_hz, nominal_tick_us;
	/* PTP_CLOCK_GETCAPS (PHC; a fake PHC reports 0) */
	int n_ext_ts, n_per_out, n_pins, pps;
	/* Method that worked against the system clock sysoff_peer (-1:
	 * not probed yet). */
	int sysoff_method;
	const struct gn_dclock *sysoff_peer;
	int leap_bits; /* STA_INS / STA_DEL last set (system clocks) */
	struct gn_fakeclock *fake;
};

/*
 * Opens a clock by name: a system clock (gn_dclock_system_id; an
 * auxiliary clock the kernel lacks fails here), "/dev/ptpN", or an
 * interface name (its PHC). With
 * fakes, a name the set holds opens that fake clock instead (an
 * interface name or /dev/ptpN: a fake PHC; CLOCK_*: a fake system clock).
 * 0 or a negative errno with the reason in err.
 */
int gn_dclock_open(struct gn_dclock *c, const char *name,
		   struct gn_fakeset *fakes, char *err, size_t errlen);
/* Opens /dev/ptpN by index (fake first when fakes has that index). */
int gn_dclock_open_index(struct gn_dclock *c, int phc_index,
			 struct gn_fakeset *fakes, char *err, size_t errlen);
void gn_dclock_open_fake(struct gn_dclock *c, struct gn_fakeclock *f);
void gn_dclock_close(struct gn_dclock *c);

/*
 * System clocks by name (case-insensitive, as linuxptp): CLOCK_REALTIME
 * (UTC: leap seconds, ADJ_TAI), CLOCK_AUX0..CLOCK_AUX7 (Linux 6.17's
 * auxiliary clocks, steerable, no time scale of their own) and CLOCK_TAI
 * (CLOCK_REALTIME plus the kernel's TAI offset: a source only, never
 * steerable). 0 with its id (and whether it can be steered), -ENOENT for
 * a name that is not a CLOCK_* name, -EINVAL for any other CLOCK_* name
 * (CLOCK_MONOTONIC, CLOCK_AUX8...): clocks that nothing may synchronize.
 */
int gn_dclock_system_id(const char *name, clockid_t *id, bool *steerable);
/* Whether name is a system clock that can be steered (-C, -r). */
bool gn_dclock_is_system_name(const char *name);

int gn_dclock_now(struct gn_dclock *c, int64_t *ns);
/* The frequency adjustment now applied (ppb). */
int gn_dclock_get_freq(struct gn_dclock *c, double *ppb);
/* Absolute frequency adjustment (ppb), clamped to +-max_adj_ppb. */
int gn_dclock_adjfreq(struct gn_dclock *c, double ppb);
int gn_dclock_step(struct gn_dclock *c, int64_t delta_ns);
/* Kernel leap second: +1 insert / -1 delete at the next UTC midnight, 0
 * clears (STA_INS / STA_DEL through ADJ_STATUS). Only CLOCK_REALTIME:
 * -EOPNOTSUPP for a PHC or another system clock. */
int gn_dclock_set_leap(struct gn_dclock *c, int leap);
/* ADJ_TAI (CLOCK_REALTIME only). */
int gn_dclock_set_tai(struct gn_dclock *c, int offset_s);
/* Tells the kernel CLOCK_REALTIME is synchronized (clears STA_UNSYNC, sets
 * maxerror 0), as phc2sys does after each update of CLOCK_REALTIME. */
int gn_dclock_set_sync(struct gn_dclock *c);

/*
 * Measures dst against src: offset = dst - src (ns) at ts (dst's
 * time), best of `readings`. Uses the PHC ioctls when one clock is a
 * system clock and the other a PHC (or fake PHC), else clock reads.
 * *method gets the method used when not NULL. 0 or negative errno.
 */
int gn_dclock_compare(struct gn_dclock *src, struct gn_dclock *dst,
		      int readings, struct gn_measurement *m,
		      enum gn_sysoff_method *method);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * measure.h - the arithmetic of comparing two clocks (pure, no I/O):
 * the best of N "sandwiches" (outer clock read, inner clock read, outer
 * clock read) by the shortest outer interval, and the layouts the kernel
 * returns for PTP_SYS_OFFSET (basic) and PTP_SYS_OFFSET_EXTENDED.
 *
 * Sign convention (phc2sys's): offset = outer - inner at the midpoint of
 * the best sandwich, ts = that midpoint in the outer clock's time, delay
 * = the width of the best sandwich. With the sink as the outer clock
 * this is offset = sink - source.
 */
#ifndef GN_DISCIPLINE_MEASURE_H
#define GN_DISCIPLINE_MEASURE_H

#include <stdint.h>

/* Ways of comparing a PHC with a system clock, in the order tried. */
enum gn_sysoff_method {
	GN_SYSOFF_PRECISE = 0, /* PTP_SYS_OFFSET_PRECISE: cross time stamp */
	GN_SYSOFF_EXTENDED,    /* PTP_SYS_OFFSET_EXTENDED: sandwiches in
				* the driver, around the device read */
	GN_SYSOFF_BASIC,       /* PTP_SYS_OFFSET: sys, phc, sys, ... */
	GN_SYSOFF_READ,	       /* clock_gettime sandwiches in user space */
	GN_SYSOFF_COUNT,
};

/* "precise", "extended", "basic", "read". */
const char *gn_sysoff_method_str(enum gn_sysoff_method m);

/* The kernel's limit on samples per PTP_SYS_OFFSET(_EXTENDED) call. */
#define GN_SYSOFF_MAX_SAMPLES 25

struct gn_sandwich {
	int64_t before_ns; /* outer clock */
	int64_t inner_ns;  /* inner clock */
	int64_t after_ns;  /* outer clock */
};

struct gn_measurement {
	int64_t offset_ns; /* outer - inner */
	int64_t ts_ns;	   /* outer clock time of the measurement */
	int64_t delay_ns;  /* width of the sandwich used (0: precise) */
};

/*
 * The sandwich with the shortest non-negative width (the first of equal
 * ones). Sandwiches whose outer clock went backwards (a step between
 * the reads) are ignored. 0, -EINVAL (n == 0 or s NULL) or -EAGAIN (no
 * usable sandwich).
 */
int gn_measure_best(const struct gn_sandwich *s, unsigned n,
		    struct gn_measurement *out);

/*
 * PTP_SYS_OFFSET's array: 2n+1 times, sys, phc, sys, phc, ..., sys
 * (sample i is ts[2i], ts[2i+1], ts[2i+2]). Same result as
 * gn_measure_best with sys as the outer clock.
 */
int gn_measure_basic(const int64_t *ts, unsigned n, struct gn_measurement *out);

/* PTP_SYS_OFFSET_EXTENDED's array: n triples (sys, phc, sys). */
int gn_measure_extended(const int64_t (*ts)[3], unsigned n,
			struct gn_measurement *out);

/* PTP_SYS_OFFSET_PRECISE: device and system time of one instant. */
void gn_measure_precise(int64_t device_ns, int64_t sys_ns,
			struct gn_measurement *out);

#endif

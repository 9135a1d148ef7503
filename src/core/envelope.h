/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * envelope.h - the lower envelope of one direction's one-way delays
 * (packet selection, in the sense of ITU-T G.8260's minimum-based
 * metrics): queueing only ever adds delay, so the floor of a window of
 * drift-compensated one-way delays says where the unqueued packets
 * were, with an error of the order of the queueing's mean over the
 * window's count rather than over its square root.
 *
 * The caller gives (local time, value) pairs whose noise is one-sided
 * (positive) around a trajectory that is a straight line over the
 * window. The envelope is the supporting line of the points' lower
 * convex hull at their mean time: of all lines below every point, the
 * one with the least total excess (the linear programme's optimum), as
 * in one-way delay skew estimation. Sans-IO, fixed storage.
 */
#ifndef GN_CORE_ENVELOPE_H
#define GN_CORE_ENVELOPE_H

#include <stdbool.h>
#include <stdint.h>

#define GN_ENVELOPE_LEN 64

struct gn_envelope {
	int64_t t_ns[GN_ENVELOPE_LEN]; /* local time, ascending in the ring */
	double v[GN_ENVELOPE_LEN];
	unsigned head, count;
};

struct gn_envelope_fit {
	double value;	  /* the line at the asked time */
	double slope;	  /* per second */
	double excess;	  /* mean height of the points above the line */
	unsigned n;	  /* points used */
	double span_s;	  /* from the oldest used point to the newest */
	int64_t first_ns; /* the oldest used point's time */
};

void gn_envelope_reset(struct gn_envelope *e);
/* Adds a point; one older than the newest drops the window (time went
 * back: a step the caller did not compensate). */
void gn_envelope_add(struct gn_envelope *e, int64_t t_ns, double v);
/*
 * The envelope over the points from since_ns to until_ns, evaluated at
 * at_ns. 0, or -EAGAIN with fewer than min_n such points or all of them
 * at one time.
 */
int gn_envelope_fit(const struct gn_envelope *e, int64_t since_ns,
		    int64_t until_ns, int64_t at_ns, unsigned min_n,
		    struct gn_envelope_fit *f);

#endif

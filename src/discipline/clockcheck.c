/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * clockcheck.c - sanity check of a steered clock's rate (see
 * clockcheck.h). Pure.
 */
#include "clockcheck.h"

#include <math.h>

#define MIN_INTERVAL_NS 1000000000LL
#define MAX_FREQ_PPB	900000000.0

void gn_clockcheck_reset(struct gn_clockcheck *cc)
{
	cc->freq_known = false;
	cc->max_ppb = -MAX_FREQ_PPB;
	cc->min_ppb = MAX_FREQ_PPB;
	cc->have_last = false;
}

void gn_clockcheck_init(struct gn_clockcheck *cc, double limit_ppb)
{
	cc->limit_ppb = limit_ppb;
	cc->min_interval_ns = MIN_INTERVAL_NS;
	cc->current_ppb = 0.0;
	gn_clockcheck_reset(cc);
}

enum gn_clockcheck_result gn_clockcheck_sample(struct gn_clockcheck *cc,
					       int64_t ts_ns, int64_t mono_ns)
{
	enum gn_clockcheck_result r = GN_CLOCKCHECK_OK;
	int64_t interval, mono_interval;

	if (cc->limit_ppb <= 0 || !cc->freq_known)
		return r;
	if (cc->have_last) {
		interval = ts_ns - cc->last_ts_ns;
		mono_interval = mono_ns - cc->last_mono_ns;
		/* Too soon for a meaningful rate (a backward jump always
		 * counts). */
		if (interval >= 0 && interval < cc->min_interval_ns)
			return r;
		if (mono_interval < cc->min_interval_ns)
			return r;
		/* The clock's own rate error, without the adjustments that
		 * were applied (somewhere between min and max). */
		double hi =
		    1e9 * ((double)interval / (1.0 + cc->min_ppb / 1e9) /
			       (double)mono_interval -
			   1.0);
		double lo =
		    1e9 * ((double)interval / (1.0 + cc->max_ppb / 1e9) /
			       (double)mono_interval -
			   1.0);

		if (lo > cc->limit_ppb)
			r = GN_CLOCKCHECK_FAST;
		else if (hi < -cc->limit_ppb)
			r = GN_CLOCKCHECK_SLOW;
	}
	cc->have_last = true;
	cc->last_ts_ns = ts_ns;
	cc->last_mono_ns = mono_ns;
	cc->min_ppb = cc->max_ppb = cc->current_ppb;
	return r;
}

void gn_clockcheck_set_freq(struct gn_clockcheck *cc, double ppb)
{
	if (ppb > cc->max_ppb)
		cc->max_ppb = ppb;
	if (ppb < cc->min_ppb)
		cc->min_ppb = ppb;
	cc->current_ppb = ppb;
	cc->freq_known = true;
}

enum gn_clockcheck_result gn_clockcheck_freq(struct gn_clockcheck *cc,
					     double ppb)
{
	/* 1 ppb of slack for the conversions to and from scaled ppm. */
	if (cc->limit_ppb > 0 && cc->freq_known &&
	    fabs(cc->current_ppb - ppb) > 1.0)
		return GN_CLOCKCHECK_FREQ_CHANGED;
	return GN_CLOCKCHECK_OK;
}

void gn_clockcheck_step(struct gn_clockcheck *cc, int64_t step_ns)
{
	if (cc->have_last)
		cc->last_ts_ns += step_ns;
}

const char *gn_clockcheck_str(enum gn_clockcheck_result r)
{
	switch (r) {
	case GN_CLOCKCHECK_OK:
		return "ok";
	case GN_CLOCKCHECK_FAST:
		return "clockcheck: clock jumped forward or running faster "
		       "than expected!";
	case GN_CLOCKCHECK_SLOW:
		return "clockcheck: clock jumped backward or running slower "
		       "than expected!";
	case GN_CLOCKCHECK_FREQ_CHANGED:
		return "clockcheck: clock frequency changed unexpectedly!";
	}
	return "?";
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * clockcheck.h - sanity check of a steered clock (pure, no I/O): its
 * rate over at least a second, measured against a monotonic reference
 * and corrected for the frequency adjustments applied meanwhile, must
 * stay within a limit (phc2sys's -L, sanity_freq_limit). A clock that
 * jumps or runs wild (another process steering it, a broken driver)
 * makes the servo restart instead of chasing it. The caller passes both
 * times; nothing is read here.
 */
#ifndef GN_DISCIPLINE_CLOCKCHECK_H
#define GN_DISCIPLINE_CLOCKCHECK_H

#include <stdbool.h>
#include <stdint.h>

enum gn_clockcheck_result {
	GN_CLOCKCHECK_OK = 0,
	GN_CLOCKCHECK_FAST,	    /* jumped forward or runs too fast */
	GN_CLOCKCHECK_SLOW,	    /* jumped backward or runs too slow */
	GN_CLOCKCHECK_FREQ_CHANGED, /* adjustment changed behind our back */
};

struct gn_clockcheck {
	double limit_ppb; /* 0: disabled */
	/* Shortest interval measured (1 s by default, as linuxptp; the
	 * daemon uses 0.5 s so that 1 Hz samples are all checked). */
	int64_t min_interval_ns;
	bool freq_known;
	double current_ppb, min_ppb, max_ppb;
	bool have_last;
	int64_t last_ts_ns, last_mono_ns;
};

void gn_clockcheck_init(struct gn_clockcheck *cc, double limit_ppb);
void gn_clockcheck_reset(struct gn_clockcheck *cc);
/* A reading: the clock's time and the monotonic reference's. */
enum gn_clockcheck_result gn_clockcheck_sample(struct gn_clockcheck *cc,
					       int64_t ts_ns, int64_t mono_ns);
/* The adjustment now set (after each adjfreq). */
void gn_clockcheck_set_freq(struct gn_clockcheck *cc, double ppb);
/* The adjustment read back from the clock before setting a new one. */
enum gn_clockcheck_result gn_clockcheck_freq(struct gn_clockcheck *cc,
					     double ppb);
/* The clock was stepped by step_ns (by us). */
void gn_clockcheck_step(struct gn_clockcheck *cc, int64_t step_ns);
const char *gn_clockcheck_str(enum gn_clockcheck_result r);

#endif

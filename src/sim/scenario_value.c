/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * scenario_value.c - values in gnomon-sim scenario files: times,
 * frequencies and probabilities with their units, range-checked numbers,
 * and the [link] keys (used by the parser and by timeline events).
 *
 * Must not accept anything it cannot represent: out of range is an error.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "scenario_private.h"

/* ---- values ---- */

struct unit {
	const char *suffix;
	double scale;
};

static int parse_with_units(const char *s, const struct unit *u,
			    double def_unit, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !isfinite(v))
		return -EINVAL;
	if (!*end) {
		*out = v * def_unit;
		return 0;
	}
	for (; u->suffix; u++) {
		if (!strcmp(end, u->suffix)) {
			*out = v * u->scale;
			return 0;
		}
	}
	return -EINVAL;
}

static const struct unit time_units[] = {
    {"ns", 1.0},   {"us", 1e3},	  {"ms", 1e6}, {"s", 1e9},
    {"min", 60e9}, {"h", 3600e9}, {NULL, 0},
};

int gn_scn_parse_time(const char *s, double def_unit, int64_t *ns)
{
	double v;

	if (parse_with_units(s, time_units, def_unit, &v) < 0)
		return -EINVAL;
	/* A year at most, either sign. */
	if (fabs(v) > 3.2e16)
		return -EINVAL;
	*ns = (int64_t)llround(v);
	return 0;
}

static const struct unit freq_units[] = {
    {"ppb", 1.0},
    {"ppm", 1e3},
    {NULL, 0},
};

int gn_scn_parse_freq(const char *s, double *ppb)
{
	double v;

	if (parse_with_units(s, freq_units, 1.0, &v) < 0 || fabs(v) > 1e8)
		return -EINVAL;
	*ppb = v;
	return 0;
}

static const struct unit prob_units[] = {
    {"%", 0.01},
    {NULL, 0},
};

int gn_scn_parse_prob(const char *s, double *p)
{
	double v;

	if (parse_with_units(s, prob_units, 1.0, &v) < 0 || v < 0.0 || v > 1.0)
		return -EINVAL;
	*p = v;
	return 0;
}

int gn_scn_parse_double(const char *s, double lo, double hi, double *v)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(d) || d < lo || d > hi)
		return -EINVAL;
	*v = d;
	return 0;
}

int gn_scn_parse_uint(const char *s, long lo, long hi, long *v)
{
	char *end;
	long d;

	errno = 0;
	d = strtol(s, &end, 10);
	if (errno || end == s || *end || d < lo || d > hi)
		return -EINVAL;
	*v = d;
	return 0;
}

int gn_scn_link_set(struct sim_segment *g, const char *key, const char *val,
		    char *err, size_t errlen)
{
	int64_t t;
	double d;

	if (!strcmp(key, "jitter_dist")) {
		if (!strcmp(val, "exponential"))
			g->jitter_dist = SIM_JITTER_EXP;
		else if (!strcmp(val, "normal"))
			g->jitter_dist = SIM_JITTER_NORMAL;
		else if (!strcmp(val, "uniform"))
			g->jitter_dist = SIM_JITTER_UNIFORM;
		else {
			snprintf(err, errlen,
				 "jitter_dist: exponential, normal or uniform");
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "loss") || !strcmp(key, "dup") ||
	    !strcmp(key, "reorder") || !strcmp(key, "spike_prob")) {
		if (gn_scn_parse_prob(val, &d) < 0) {
			snprintf(err, errlen,
				 "%s: bad probability '%s' (0..1 or 0..100%%)",
				 key, val);
			return -EINVAL;
		}
		if (key[0] == 'l')
			g->loss = d;
		else if (key[0] == 'd')
			g->dup = d;
		else if (key[0] == 'r')
			g->reorder = d;
		else
			g->spike_prob = d;
		return 0;
	}
	if (gn_scn_parse_time(val, 1.0, &t) < 0 || t < -GN_NS_PER_S ||
	    t > 10 * GN_NS_PER_S) {
		snprintf(err, errlen, "%s: bad time '%s'", key, val);
		return -EINVAL;
	}
	if (!strcmp(key, "asymmetry")) {
		g->asym_ns = t;
		return 0;
	}
	if (t < 0) {
		snprintf(err, errlen, "%s: must not be negative", key);
		return -EINVAL;
	}
	if (!strcmp(key, "delay"))
		g->delay_ns = t;
	else if (!strcmp(key, "jitter"))
		g->jitter_ns = t;
	else if (!strcmp(key, "spike"))
		g->spike_ns = t;
	else if (!strcmp(key, "reorder_delay"))
		g->reorder_ns = t;
	else {
		snprintf(err, errlen, "unknown link key '%s'", key);
		return -EINVAL;
	}
	return 0;
}

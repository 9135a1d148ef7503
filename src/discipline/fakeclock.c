/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fakeclock.c - fake PHCs and system clocks in user space (see
 * fakeclock.h). The time mapping is gn_pclock_virtual_map of the
 * platform's virtual clock. Must not touch any kernel clock: it only
 * reads CLOCK_MONOTONIC_RAW (and CLOCK_REALTIME once, to start a clock
 * near it).
 */
#include "fakeclock.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pclock.h"

#define NS_PER_S   1000000000LL
#define NS_PER_DAY (86400LL * NS_PER_S)

static int64_t read_clock(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

int64_t gn_fakeclock_raw(const struct gn_fakeclock *f)
{
	if (f->base && f->base->raw_ns)
		return f->base->raw_ns(f->base->ctx);
	return read_clock(CLOCK_MONOTONIC_RAW);
}

static int64_t map(const struct gn_fakeclock *f, int64_t raw)
{
	return gn_pclock_virtual_map(f->v_anchor_ns, f->raw_anchor_ns, raw,
				     f->intrinsic_ppb + f->freq_ppb);
}

void gn_fakeclock_init(struct gn_fakeclock *f, const char *name,
		       const struct gn_fakebase *base, int64_t start_ns,
		       double intrinsic_ppb)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name ? name : "fake");
	f->base = base;
	f->raw_anchor_ns = gn_fakeclock_raw(f);
	f->v_anchor_ns = start_ns;
	f->intrinsic_ppb = intrinsic_ppb;
	f->max_adj_ppb = GN_FAKE_MAX_ADJ_PPB;
	f->sysoff = GN_FAKE_SYSOFF_DEFAULT;
	f->phc_index = -1;
}

void gn_fakeclock_init_rt(struct gn_fakeclock *f, const char *name,
			  const struct gn_fakebase *base, int64_t offset_ns,
			  double intrinsic_ppb)
{
	gn_fakeclock_init(f, name, base, 0, intrinsic_ppb);
	if (base && base->raw_ns) {
		f->v_anchor_ns = offset_ns;
		return;
	}
	/* raw, realtime, raw: anchor at the middle of the raw reads. */
	int64_t r1 = read_clock(CLOCK_MONOTONIC_RAW);
	int64_t rt = read_clock(CLOCK_REALTIME);
	int64_t r2 = read_clock(CLOCK_MONOTONIC_RAW);

	f->raw_anchor_ns = r1 + (r2 - r1) / 2;
	f->v_anchor_ns = rt + offset_ns;
}

/* Re-anchors at raw (time continuous) so a new rate applies from here. */
static void reanchor(struct gn_fakeclock *f, int64_t raw)
{
	f->v_anchor_ns = map(f, raw);
	f->raw_anchor_ns = raw;
}

/* Floor of a / b for b > 0. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b != 0 && a < 0)
		q--;
	return q;
}

int64_t gn_fakeclock_now(struct gn_fakeclock *f)
{
	int64_t raw = gn_fakeclock_raw(f);
	int64_t v = map(f, raw);

	/* The kernel inserts at 00:00:00 by stepping back a second (the
	 * last second of the day is played twice) and deletes by jumping
	 * from 23:59:59 to 00:00:00. */
	if (f->leap_armed > 0 && v >= f->leap_at_ns) {
		reanchor(f, raw);
		f->v_anchor_ns -= NS_PER_S;
		f->leap_armed = 0;
		f->tai_offset_s++;
		f->leaps_applied++;
		v -= NS_PER_S;
	} else if (f->leap_armed < 0 && v >= f->leap_at_ns - NS_PER_S) {
		reanchor(f, raw);
		f->v_anchor_ns += NS_PER_S;
		f->leap_armed = 0;
		f->tai_offset_s--;
		f->leaps_applied++;
		v += NS_PER_S;
	}
	return v;
}

int gn_fakeclock_adjfreq(struct gn_fakeclock *f, double ppb)
{
	if (f->read_only)
		return -EPERM;
	if (!isfinite(ppb) || fabs(ppb) > f->max_adj_ppb)
		return -ERANGE;
	reanchor(f, gn_fakeclock_raw(f));
	f->freq_ppb = ppb;
	f->adjustments++;
	return 0;
}

int gn_fakeclock_step(struct gn_fakeclock *f, int64_t delta_ns)
{
	if (f->read_only)
		return -EPERM;
	reanchor(f, gn_fakeclock_raw(f));
	f->v_anchor_ns += delta_ns;
	f->steps++;
	f->last_step_ns = delta_ns;
	return 0;
}

int gn_fakeclock_set_leap(struct gn_fakeclock *f, int leap)
{
	int64_t now;

	if (!f->is_system)
		return -EOPNOTSUPP;
	if (leap > 1 || leap < -1)
		return -EINVAL;
	now = gn_fakeclock_now(f);
	f->leap_armed = leap;
	f->leap_at_ns = (floor_div(now, NS_PER_DAY) + 1) * NS_PER_DAY;
	return 0;
}

int gn_fakeclock_set_tai(struct gn_fakeclock *f, int offset_s)
{
	if (!f->is_system)
		return -EOPNOTSUPP;
	f->tai_offset_s = offset_s;
	return 0;
}

int gn_fakeclock_sysoff_precise(struct gn_fakeclock *f, gn_fake_sysread_fn sys,
				void *ctx, int64_t *device_ns, int64_t *sys_ns)
{
	int64_t s1, d, s2;

	if (!(f->sysoff & GN_FAKE_SYSOFF(GN_SYSOFF_PRECISE)))
		return -EOPNOTSUPP;
	/* A cross time stamp: both clocks at one instant. Emulated as the
	 * device read between two system reads, whose midpoint is the
	 * system time of that instant. */
	s1 = sys(ctx);
	d = gn_fakeclock_now(f);
	s2 = sys(ctx);
	*device_ns = d;
	*sys_ns = s1 + (s2 - s1) / 2;
	return 0;
}

static unsigned cap_samples(unsigned *n)
{
	if (*n > GN_SYSOFF_MAX_SAMPLES)
		*n = GN_SYSOFF_MAX_SAMPLES;
	if (*n < 1)
		*n = 1;
	return *n;
}

int gn_fakeclock_sysoff_extended(struct gn_fakeclock *f, unsigned *n,
				 gn_fake_sysread_fn sys, void *ctx,
				 int64_t (*ts)[3])
{
	unsigned i;

	if (!(f->sysoff & GN_FAKE_SYSOFF(GN_SYSOFF_EXTENDED)))
		return -EOPNOTSUPP;
	for (i = 0; i < cap_samples(n); i++) {
		ts[i][0] = sys(ctx);
		ts[i][1] = gn_fakeclock_now(f);
		ts[i][2] = sys(ctx);
	}
	return 0;
}

int gn_fakeclock_sysoff_basic(struct gn_fakeclock *f, unsigned *n,
			      gn_fake_sysread_fn sys, void *ctx, int64_t *ts)
{
	unsigned i;

	if (!(f->sysoff & GN_FAKE_SYSOFF(GN_SYSOFF_BASIC)))
		return -EOPNOTSUPP;
	for (i = 0; i < cap_samples(n); i++) {
		ts[2 * i] = sys(ctx);
		ts[2 * i + 1] = gn_fakeclock_now(f);
	}
	ts[2 * i] = sys(ctx);
	return 0;
}

/* ---- external time stamps ---- */

int gn_fakeclock_extts_enable(struct gn_fakeclock *f, unsigned ch, bool on)
{
	if (ch >= f->n_extts || ch >= 32)
		return -EINVAL;
	if (!f->pps_ref)
		return -EOPNOTSUPP;
	if (!on) {
		f->extts_on &= ~(1u << ch);
		return 0;
	}
	if (!f->extts_on)
		f->extts_last_s =
		    floor_div(map(f->pps_ref, gn_fakeclock_raw(f)), NS_PER_S);
	f->extts_on |= 1u << ch;
	return 0;
}

/* The first raw time at which ref reads v_ns or later (ref's rate is
 * positive: its mapping is increasing). */
static int64_t raw_at(const struct gn_fakeclock *ref, int64_t v_ns)
{
	long double rate =
	    1.0L + (long double)(ref->intrinsic_ppb + ref->freq_ppb) / 1e9L;
	int64_t raw =
	    ref->raw_anchor_ns +
	    (int64_t)ceill((long double)(v_ns - ref->v_anchor_ns) / rate);

	/* The mapping rounds: settle on the exact first instant. */
	while (map(ref, raw) < v_ns)
		raw++;
	while (map(ref, raw - 1) >= v_ns)
		raw--;
	return raw;
}

int gn_fakeclock_extts_next(struct gn_fakeclock *f, bool consume,
			    int64_t *raw_ns, int64_t *ts_ns)
{
	int64_t s = f->extts_last_s + 1, raw;

	if (!f->extts_on || !f->pps_ref)
		return -EAGAIN;
	for (;;) {
		raw = raw_at(f->pps_ref, s * NS_PER_S);
		if (raw >= f->raw_anchor_ns)
			break;
		s++;
	}
	*raw_ns = raw;
	*ts_ns = map(f, raw);
	if (consume)
		f->extts_last_s = s;
	return 0;
}

/* ---- named sets ---- */

static int set_err(char *err, size_t errlen, const char *item, const char *why)
{
	if (err && errlen)
		snprintf(err, errlen, "fake clock '%s': %s", item, why);
	return -EINVAL;
}

static int parse_one(struct gn_fakeset *set, const char *item, char *err,
		     size_t errlen)
{
	char buf[160], *eq, *p, *end;
	struct gn_fakeclock *f;
	long long offset;
	double ppb = 0.0;
	unsigned methods = 0;
	bool ro = false, any_method = false, extts = false;
	int index;

	if (strlen(item) >= sizeof(buf))
		return set_err(err, errlen, item, "too long");
	snprintf(buf, sizeof(buf), "%s", item);
	eq = strchr(buf, '=');
	if (!eq || eq == buf)
		return set_err(err, errlen, item, "expected NAME=OFFSET_NS");
	*eq = '\0';
	if (strlen(buf) >= GN_FAKE_NAME_MAX)
		return set_err(err, errlen, item, "name too long");
	if (gn_fakeset_find(set, buf))
		return set_err(err, errlen, item, "named twice");
	if (set->n >= GN_FAKESET_MAX)
		return set_err(err, errlen, item, "too many fake clocks");
	p = eq + 1;
	errno = 0;
	offset = strtoll(p, &end, 10);
	if (end == p || errno == ERANGE ||
	    (offset > 1000000000000000LL || offset < -1000000000000000LL))
		return set_err(err, errlen, item, "bad offset");
	p = end;
	if (*p == ':') {
		p++;
		errno = 0;
		ppb = strtod(p, &end);
		if (end == p || errno == ERANGE || !isfinite(ppb) ||
		    fabs(ppb) > 1e7)
			return set_err(err, errlen, item, "bad frequency");
		p = end;
		if (*p == ':') {
			for (p++; *p; p++) {
				switch (*p) {
				case 'r':
					ro = true;
					break;
				case 'p':
					methods |=
					    GN_FAKE_SYSOFF(GN_SYSOFF_PRECISE);
					any_method = true;
					break;
				case 'e':
					methods |=
					    GN_FAKE_SYSOFF(GN_SYSOFF_EXTENDED);
					any_method = true;
					break;
				case 'b':
					methods |=
					    GN_FAKE_SYSOFF(GN_SYSOFF_BASIC);
					any_method = true;
					break;
				case 'n':
					any_method = true;
					break;
				case 'x':
					extts = true;
					break;
				default:
					return set_err(err, errlen, item,
						       "bad flag");
				}
			}
		}
	}
	if (*p != '\0')
		return set_err(err, errlen, item, "trailing characters");

	f = &set->clk[set->n];
	gn_fakeclock_init_rt(f, buf, &set->base, offset, ppb);
	f->read_only = ro;
	if (ro)
		f->max_adj_ppb = 0.0;
	if (any_method)
		f->sysoff = methods;
	if (!strncmp(buf, "CLOCK_", 6)) {
		f->is_system = true;
		f->is_utc = !strcmp(buf, "CLOCK_REALTIME");
		f->phc_index = -1;
		f->sysoff = 0;
		if (!strcmp(buf, "CLOCK_TAI")) {
			f->read_only = true;
			f->max_adj_ppb = 0.0;
		}
	} else if (sscanf(buf, "/dev/ptp%d", &index) == 1 && index >= 0) {
		f->phc_index = index;
	} else {
		f->phc_index = 1000 + (int)set->n;
	}
	if (extts && f->is_system)
		return set_err(err, errlen, item,
			       "a system clock has no EXTTS channels");
	if (extts) {
		if (!set->have_pps_ref) {
			gn_fakeclock_init_rt(&set->pps_ref, "pps", &set->base,
					     0, 0.0);
			set->have_pps_ref = true;
		}
		f->n_extts = GN_FAKE_EXTTS_CHANNELS;
		f->pps_ref = &set->pps_ref;
	}
	set->n++;
	return 0;
}

int gn_fakeset_parse(struct gn_fakeset *set, const char *spec, char *err,
		     size_t errlen)
{
	char item[256];
	const char *p = spec, *comma;
	size_t len;
	int rc;

	if (err && errlen)
		err[0] = '\0';
	if (!spec)
		return 0;
	while (*p) {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == 0 || len >= sizeof(item))
			return set_err(err, errlen, p, "empty or too long");
		memcpy(item, p, len);
		item[len] = '\0';
		rc = parse_one(set, item, err, errlen);
		if (rc)
			return rc;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

struct gn_fakeclock *gn_fakeset_find(struct gn_fakeset *set, const char *name)
{
	unsigned i;

	if (!set || !name)
		return NULL;
	for (i = 0; i < set->n; i++)
		if (!strcmp(set->clk[i].name, name))
			return &set->clk[i];
	return NULL;
}

struct gn_fakeclock *gn_fakeset_find_index(struct gn_fakeset *set, int index)
{
	unsigned i;

	if (!set || index < 0)
		return NULL;
	for (i = 0; i < set->n; i++)
		if (set->clk[i].phc_index == index)
			return &set->clk[i];
	return NULL;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pclock.c - the clocks gnomond reads and steers: CLOCK_REALTIME through
 * clock_adjtime(), a PHC (/dev/ptpN) and the virtual clock, which keeps
 * offset + rate on top of CLOCK_MONOTONIC_RAW in user space.
 *
 * Must not: adjust any kernel clock except through the explicit
 * adjfreq/step calls of a SYSTEM or PHC clock (the virtual clock steers
 * nothing in the kernel), or lose precision in the virtual clock's
 * arithmetic (exact 128-bit integer math).
 */
/* open() rather than open64(): the PHC is a character device, and
 * clknetsim intercepts open() only. Harmless on LP64. */
#undef _FILE_OFFSET_BITS
#include "pclock.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/ptp_clock.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/timex.h>
#include <unistd.h>

#define NS_PER_S 1000000000LL
/* The virtual clock's rate is held in parts per 1e15 (1e-6 ppb). */
#define PPQ_PER_PPB 1000000.0
#define PPQ_SCALE   1000000000000000LL
/* No rate at or beyond +-100 %: time would stop or run backwards. */
#define MAX_TOTAL_PPB 999999999.0
/* clock_adjtime's freq is ppm with a 16-bit fraction. */
#define SCALED_PPM_PER_PPB 65.536
#define CLOCKFD		   3

__extension__ typedef __int128 i128;

static clockid_t fd_to_clockid(int fd)
{
	return (clockid_t)((~(unsigned int)fd << 3) | CLOCKFD);
}

static int64_t ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * NS_PER_S + ts->tv_nsec;
}

static int64_t read_ns(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) < 0)
		return 0;
	return ts_ns(&ts);
}

/* Floor division for a positive divisor. */
static i128 floor_div(i128 a, i128 b)
{
	i128 q = a / b;

	if ((a % b != 0) && (a < 0))
		q--;
	return q;
}

int64_t gn_pclock_virtual_map(int64_t v_anchor_ns, int64_t raw_anchor_ns,
			      int64_t raw_ns, double ppb)
{
	i128 delta = (i128)raw_ns - raw_anchor_ns;
	i128 ppq, corr;

	if (!(ppb == ppb)) /* NaN */
		ppb = 0.0;
	if (ppb > MAX_TOTAL_PPB)
		ppb = MAX_TOTAL_PPB;
	if (ppb < -MAX_TOTAL_PPB)
		ppb = -MAX_TOTAL_PPB;
	ppq = (i128)llround(ppb * PPQ_PER_PPB);
	/* round(delta * ppq / 1e15), halves up: monotonic in delta. */
	corr = floor_div(2 * delta * ppq + PPQ_SCALE, 2 * (i128)PPQ_SCALE);
	return (int64_t)((i128)v_anchor_ns + delta + corr);
}

static double virtual_total_ppb(const struct gn_pclock *c)
{
	return c->intrinsic_ppb + c->freq_ppb;
}

static int64_t virtual_at(const struct gn_pclock *c, int64_t raw_ns)
{
	return gn_pclock_virtual_map(c->v_anchor_ns, c->raw_anchor_ns, raw_ns,
				     virtual_total_ppb(c));
}

/*
 * A CLOCK_REALTIME reading and the CLOCK_MONOTONIC_RAW time that goes
 * with it: raw, realtime, raw, keeping the midpoint of the two raw reads
 * (the narrowest of a few tries).
 */
static void realtime_raw_pair(int64_t *rt_ns, int64_t *raw_ns)
{
	int64_t best = INT64_MAX;
	int i;

	for (i = 0; i < 3; i++) {
		int64_t r1 = read_ns(CLOCK_MONOTONIC_RAW);
		int64_t rt = read_ns(CLOCK_REALTIME);
		int64_t r2 = read_ns(CLOCK_MONOTONIC_RAW);

		if (r2 - r1 < best) {
			best = r2 - r1;
			*rt_ns = rt;
			*raw_ns = r1 + (r2 - r1) / 2;
		}
	}
}

/* The system clock's total frequency adjustment: tick + frequency. */
static double system_freq(const struct gn_pclock *c, const struct timex *tx)
{
	if (c->kind != GN_PCLOCK_SYSTEM)
		return tx->freq / SCALED_PPM_PER_PPB;
	return gn_timex_tick_freq(tx, c->user_hz, c->nominal_tick_us);
}

static void init_common(struct gn_pclock *c, enum gn_pclock_kind kind)
{
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->clkid = CLOCK_REALTIME;
	c->fd = -1;
	c->phc_index = -1;
}

int gn_pclock_open_system(struct gn_pclock *c)
{
	struct timex tx;

	init_common(c, GN_PCLOCK_SYSTEM);
	/* modes 0 only reads; the kernel's limit is tolerance (500 ppm). */
	memset(&tx, 0, sizeof(tx));
	if (clock_adjtime(CLOCK_REALTIME, &tx) < 0)
		return -errno;
	c->max_adj_ppb = tx.tolerance / SCALED_PPM_PER_PPB;
	if (c->max_adj_ppb <= 0)
		c->max_adj_ppb = 500000.0;
	if (gn_timex_tick_limits(&c->user_hz, &c->nominal_tick_us) == 0)
		c->max_adj_ppb += 1e8; /* the tick may move by 10 % */
	c->freq_ppb = system_freq(c, &tx);
	return 0;
}

int gn_pclock_open_phc(struct gn_pclock *c, const char *path, int index,
		       char *err, size_t errlen)
{
	struct ptp_clock_caps caps;
	char dev[64];
	struct timespec ts;
	int rc;

	init_common(c, GN_PCLOCK_PHC);
	if (err && errlen)
		err[0] = '\0';
	if (path) {
		if (strlen(path) >= sizeof(dev)) {
			if (err && errlen)
				snprintf(err, errlen, "PHC path too long");
			return -ENAMETOOLONG;
		}
		snprintf(dev, sizeof(dev), "%s", path);
		if (sscanf(dev, "/dev/ptp%d", &index) != 1)
			index = -1;
	} else {
		if (index < 0) {
			if (err && errlen)
				snprintf(err, errlen, "no PHC index");
			return -ENODEV;
		}
		snprintf(dev, sizeof(dev), "/dev/ptp%d", index);
	}
	c->fd = open(dev, O_RDWR | O_CLOEXEC);
	if (c->fd < 0) {
		rc = -errno;
		if (err && errlen)
			snprintf(err, errlen, "%s: open: %s", dev,
				 strerror(-rc));
		c->fd = -1;
		return rc;
	}
	c->clkid = fd_to_clockid(c->fd);
	c->phc_index = index;
	memset(&caps, 0, sizeof(caps));
	if (ioctl(c->fd, PTP_CLOCK_GETCAPS, &caps) < 0) {
		rc = -errno;
		if (err && errlen)
			snprintf(err, errlen, "%s: PTP_CLOCK_GETCAPS: %s", dev,
				 strerror(-rc));
		gn_pclock_close(c);
		return rc;
	}
	if (clock_gettime(c->clkid, &ts) < 0) {
		rc = -errno;
		if (err && errlen)
			snprintf(err, errlen, "%s: clock_gettime: %s", dev,
				 strerror(-rc));
		gn_pclock_close(c);
		return rc;
	}
	c->max_adj_ppb = caps.max_adj > 0 ? (double)caps.max_adj : 0.0;
	c->freq_ppb = gn_pclock_read_freq(c);
	return 0;
}

int gn_pclock_open_virtual(struct gn_pclock *c, int64_t offset_ns,
			   double freq_ppb)
{
	int64_t rt, raw;

	init_common(c, GN_PCLOCK_VIRTUAL);
	c->clkid = CLOCK_MONOTONIC_RAW;
	if (!isfinite(freq_ppb) ||
	    fabs(freq_ppb) > GN_PCLOCK_VIRTUAL_MAX_ADJ_PPB)
		return -EINVAL;
	c->max_adj_ppb = GN_PCLOCK_VIRTUAL_MAX_ADJ_PPB;
	c->intrinsic_ppb = freq_ppb;
	realtime_raw_pair(&rt, &raw);
	c->raw_anchor_ns = raw;
	c->v_anchor_ns = rt + offset_ns;
	return 0;
}

void gn_pclock_close(struct gn_pclock *c)
{
	if (c->kind == GN_PCLOCK_PHC && c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

static int kernel_adjtime(struct gn_pclock *c, struct timex *tx)
{
	if (clock_adjtime(c->clkid, tx) < 0) {
		int rc = -errno;

		if (c->kind == GN_PCLOCK_PHC &&
		    (rc == -EOPNOTSUPP || rc == -EPERM))
			c->read_only = true;
		return rc;
	}
	return 0;
}

/* The virtual clock at raw, playing an armed leap second like the
 * kernel does for CLOCK_REALTIME: at UTC midnight it goes back one
 * second (insert) or forward one (delete). */
static int64_t virtual_time(struct gn_pclock *c, int64_t raw_ns)
{
	int64_t v = virtual_at(c, raw_ns);

	if (c->leap && v >= c->leap_at_ns) {
		c->v_anchor_ns -= (int64_t)c->leap * NS_PER_S;
		c->leap = 0;
		v = virtual_at(c, raw_ns);
	}
	return v;
}

int64_t gn_pclock_now(struct gn_pclock *c)
{
	if (c->kind == GN_PCLOCK_VIRTUAL)
		return virtual_time(c, read_ns(CLOCK_MONOTONIC_RAW));
	return read_ns(c->clkid);
}

int gn_pclock_set_leap(struct gn_pclock *c, int leap, bool kernel_leap)
{
	const int64_t day = 86400 * NS_PER_S;
	struct timex tx;
	int64_t now;

	if (leap < -1 || leap > 1)
		return -EINVAL;
	switch (c->kind) {
	case GN_PCLOCK_VIRTUAL:
		now = virtual_at(c, read_ns(CLOCK_MONOTONIC_RAW));
		c->leap = leap;
		/* the next midnight; times before 1970 do not occur here */
		c->leap_at_ns = (now / day + 1) * day;
		/* a deletion skips 23:59:59: it jumps at its start */
		if (leap < 0)
			c->leap_at_ns -= NS_PER_S;
		return 0;
	case GN_PCLOCK_SYSTEM:
		if (!kernel_leap)
			return 0;
		memset(&tx, 0, sizeof(tx));
		if (clock_adjtime(CLOCK_REALTIME, &tx) < 0)
			return -errno;
		tx.modes = ADJ_STATUS;
		tx.status &= ~(STA_INS | STA_DEL);
		if (leap > 0)
			tx.status |= STA_INS;
		else if (leap < 0)
			tx.status |= STA_DEL;
		return kernel_adjtime(c, &tx);
	default:
		return 0; /* a PHC keeps TAI: no leap seconds */
	}
}

int gn_pclock_adjfreq(struct gn_pclock *c, double ppb)
{
	struct timex tx;
	int64_t raw;
	int rc;

	if (!isfinite(ppb))
		return -EINVAL;
	if (ppb > c->max_adj_ppb)
		ppb = c->max_adj_ppb;
	if (ppb < -c->max_adj_ppb)
		ppb = -c->max_adj_ppb;
	if (c->kind == GN_PCLOCK_VIRTUAL) {
		/* Re-anchor at now with the old rate: time stays continuous,
		 * the new rate applies from here on. */
		raw = read_ns(CLOCK_MONOTONIC_RAW);
		c->v_anchor_ns = virtual_at(c, raw);
		c->raw_anchor_ns = raw;
		c->freq_ppb = ppb;
		return 0;
	}
	memset(&tx, 0, sizeof(tx));
	tx.modes = ADJ_FREQUENCY;
	if (c->kind == GN_PCLOCK_SYSTEM && c->nominal_tick_us > 0) {
		/* Whole tick steps take what the frequency cannot. */
		ppb = gn_timex_set_tick_freq(&tx, ppb, c->user_hz,
					     c->nominal_tick_us,
					     c->max_adj_ppb - 1e8);
	} else {
		tx.freq = (long)llround(ppb * SCALED_PPM_PER_PPB);
	}
	rc = kernel_adjtime(c, &tx);
	if (rc)
		return rc;
	c->freq_ppb = ppb;
	return 0;
}

double gn_timex_tick_freq(const struct timex *tx, long user_hz,
			  long nominal_tick_us)
{
	double ppb = tx->freq / SCALED_PPM_PER_PPB;

	if (nominal_tick_us > 0 && tx->tick > 0)
		ppb += 1e3 * (double)user_hz *
		       (double)(tx->tick - nominal_tick_us);
	return ppb;
}

int gn_timex_tick_limits(long *user_hz, long *nominal_tick_us)
{
	long hz = sysconf(_SC_CLK_TCK);

	if (hz <= 0 || hz > 1000000)
		return -EINVAL;
	*user_hz = hz;
	*nominal_tick_us = 1000000 / hz;
	return 0;
}

double gn_timex_set_tick_freq(struct timex *tx, double ppb, long user_hz,
			      long nominal_tick_us, double fine_max_ppb)
{
	double per_tick_ppb = 1e3 * (double)user_hz;
	long dt = (long)llround(ppb / per_tick_ppb);
	long dt_max = nominal_tick_us / 10;
	double fine;

	if (dt > dt_max)
		dt = dt_max;
	if (dt < -dt_max)
		dt = -dt_max;
	fine = ppb - per_tick_ppb * (double)dt;
	if (fine > fine_max_ppb)
		fine = fine_max_ppb;
	if (fine < -fine_max_ppb)
		fine = -fine_max_ppb;
	tx->modes |= ADJ_TICK | ADJ_FREQUENCY;
	tx->tick = nominal_tick_us + dt;
	tx->freq = (long)llround(fine * SCALED_PPM_PER_PPB);
	return per_tick_ppb * (double)dt + fine;
}

void gn_timex_setoffset(struct timex *tx, int64_t delta_ns)
{
	int64_t sec = delta_ns / NS_PER_S, nsec = delta_ns % NS_PER_S;

	if (nsec < 0) {
		sec--;
		nsec += NS_PER_S;
	}
	memset(tx, 0, sizeof(*tx));
	tx->modes = ADJ_SETOFFSET | ADJ_NANO;
	tx->time.tv_sec = (time_t)sec;
	tx->time.tv_usec = (long)nsec; /* nanoseconds with ADJ_NANO */
}

int gn_pclock_step(struct gn_pclock *c, int64_t delta_ns)
{
	struct timex tx;

	if (c->kind == GN_PCLOCK_VIRTUAL) {
		c->v_anchor_ns += delta_ns;
		return 0;
	}
	gn_timex_setoffset(&tx, delta_ns);
	return kernel_adjtime(c, &tx);
}

double gn_pclock_read_freq(struct gn_pclock *c)
{
	struct timex tx;

	if (c->kind == GN_PCLOCK_VIRTUAL)
		return c->freq_ppb;
	memset(&tx, 0, sizeof(tx));
	if (clock_adjtime(c->clkid, &tx) < 0)
		return c->freq_ppb;
	return system_freq(c, &tx);
}

int64_t gn_pclock_from_realtime(struct gn_pclock *c, int64_t rt_ns)
{
	int64_t rt, raw;

	if (c->kind != GN_PCLOCK_VIRTUAL)
		return rt_ns;
	realtime_raw_pair(&rt, &raw);
	return virtual_time(c, raw + (rt_ns - rt));
}

/* PHC against CLOCK_REALTIME with the driver's own sandwiches. */
static int phc_offset_extended(struct gn_pclock *c, int samples,
			       int64_t *offset_ns, int64_t *delay_ns)
{
	struct ptp_sys_offset_extended req;
	int64_t best = INT64_MAX;
	unsigned i;

	memset(&req, 0, sizeof(req));
	req.n_samples =
	    (unsigned)(samples > PTP_MAX_SAMPLES ? PTP_MAX_SAMPLES : samples);
	if (ioctl(c->fd, PTP_SYS_OFFSET_EXTENDED, &req) < 0)
		return -errno;
	for (i = 0; i < req.n_samples; i++) {
		int64_t t1 = req.ts[i][0].sec * NS_PER_S + req.ts[i][0].nsec;
		int64_t tp = req.ts[i][1].sec * NS_PER_S + req.ts[i][1].nsec;
		int64_t t2 = req.ts[i][2].sec * NS_PER_S + req.ts[i][2].nsec;

		if (t2 - t1 < 0 || t2 - t1 >= best)
			continue;
		best = t2 - t1;
		*offset_ns = tp - (t1 + (t2 - t1) / 2);
		*delay_ns = best;
	}
	return best == INT64_MAX ? -EIO : 0;
}

int gn_pclock_offset_from_realtime(struct gn_pclock *c, int samples,
				   int64_t *offset_ns, int64_t *delay_ns)
{
	int64_t best = INT64_MAX, off = 0, width = 0;
	int i;

	if (samples < 1)
		return -EINVAL;
	if (c->kind == GN_PCLOCK_SYSTEM) {
		*offset_ns = 0;
		if (delay_ns)
			*delay_ns = 0;
		return 0;
	}
	if (c->kind == GN_PCLOCK_PHC && c->fd >= 0 &&
	    phc_offset_extended(c, samples, &off, &width) == 0) {
		*offset_ns = off;
		if (delay_ns)
			*delay_ns = width;
		return 0;
	}
	for (i = 0; i < samples; i++) {
		int64_t t1 = read_ns(CLOCK_REALTIME);
		int64_t v = gn_pclock_now(c);
		int64_t t2 = read_ns(CLOCK_REALTIME);

		if (t2 - t1 < 0 || t2 - t1 >= best)
			continue;
		best = t2 - t1;
		off = v - (t1 + (t2 - t1) / 2);
	}
	if (best == INT64_MAX)
		return -EIO;
	*offset_ns = off;
	if (delay_ns)
		*delay_ns = best;
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dclock.c - system clocks, PHCs and fake clocks behind one set of
 * operations, and their comparison (see dclock.h).
 *
 * Must not: adjust a clock marked read-only, or any clock except through
 * the explicit adjfreq/step/set_leap/set_tai/set_sync calls; a fake
 * clock never reaches the kernel.
 */
/* open() rather than open64(): PHCs and PPS devices are character
 * devices, and clknetsim intercepts open() only. Harmless on LP64. */
#undef _FILE_OFFSET_BITS
#include "dclock.h"
#include "pclock.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/ptp_clock.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/timex.h>
#include <unistd.h>

#include "transport.h"

#define NS_PER_S	   1000000000LL
#define SCALED_PPM_PER_PPB 65.536
#define CLOCKFD		   3
/* Linux 6.17's auxiliary system clocks: CLOCK_AUX + 0..7 (the uapi
 * headers of older systems do not name them). */
#define DCLOCK_CLOCK_AUX 16
#define DCLOCK_AUX_MAX	 8

static clockid_t fd_to_clockid(int fd)
{
	return (clockid_t)((~(unsigned int)fd << 3) | CLOCKFD);
}

static int64_t pct_ns(const struct ptp_clock_time *t)
{
	return (int64_t)t->sec * NS_PER_S + t->nsec;
}

/* "what: why" into err. */
static void fail(char *err, size_t errlen, const char *what, const char *why)
{
	if (err && errlen)
		snprintf(err, errlen, "%s: %s", what, why);
}

static void init(struct gn_dclock *c, const char *name)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->fd = -1;
	c->phc_index = -1;
	c->sysoff_method = -1;
}

int gn_dclock_system_id(const char *name, clockid_t *id, bool *steerable)
{
	const char *p;
	int n = 0;

	if (!name || strncasecmp(name, "CLOCK_", 6))
		return -ENOENT;
	if (!strcasecmp(name, "CLOCK_REALTIME")) {
		*id = CLOCK_REALTIME;
		*steerable = true;
		return 0;
	}
	if (!strcasecmp(name, "CLOCK_TAI")) {
		*id = CLOCK_TAI;
		*steerable = false;
		return 0;
	}
	if (strncasecmp(name, "CLOCK_AUX", 9))
		return -EINVAL;
	/* One digit, 0..7: linuxptp's range. */
	p = name + 9;
	if (p[0] < '0' || p[0] > '9' || p[1] != '\0')
		return -EINVAL;
	n = p[0] - '0';
	if (n >= DCLOCK_AUX_MAX)
		return -EINVAL;
	*id = (clockid_t)(DCLOCK_CLOCK_AUX + n);
	*steerable = true;
	return 0;
}

bool gn_dclock_is_system_name(const char *name)
{
	clockid_t id;
	bool steerable;

	return gn_dclock_system_id(name, &id, &steerable) == 0 && steerable;
}

/* A system clock: CLOCK_REALTIME (UTC), an auxiliary clock (whatever
 * time it is given; not UTC, no leap seconds), or CLOCK_TAI (read
 * only). */
static int open_system(struct gn_dclock *c, const char *name, clockid_t id,
		       bool steerable, char *err, size_t errlen)
{
	struct timespec ts;
	struct timex tx;
	int rc;

	c->kind = GN_DCLOCK_SYSTEM;
	c->clkid = id;
	c->is_system = true;
	c->is_utc = id == CLOCK_REALTIME;
	if (clock_gettime(id, &ts) < 0) {
		rc = -errno;
		fail(err, errlen, name,
		     id == CLOCK_REALTIME ? strerror(-rc)
					  : "not available on this system");
		return rc;
	}
	if (!steerable) {
		c->read_only = true;
		c->max_adj_ppb = 0.0;
		return 0;
	}
	memset(&tx, 0, sizeof(tx));
	if (clock_adjtime(id, &tx) < 0) {
		rc = -errno;
		fail(err, errlen, name, strerror(-rc));
		return rc;
	}
	c->max_adj_ppb = tx.tolerance / SCALED_PPM_PER_PPB;
	if (c->max_adj_ppb <= 0)
		c->max_adj_ppb = 500000.0;
	/* As linuxptp: CLOCK_REALTIME goes 10 % further by tick steps. */
	if (id == CLOCK_REALTIME &&
	    gn_timex_tick_limits(&c->user_hz, &c->nominal_tick_us) == 0)
		c->max_adj_ppb += 1e8;
	return 0;
}

void gn_dclock_open_fake(struct gn_dclock *c, struct gn_fakeclock *f)
{
	init(c, f->name);
	c->kind = GN_DCLOCK_FAKE;
	c->fake = f;
	c->clkid = CLOCK_MONOTONIC_RAW;
	c->phc_index = f->phc_index;
	c->is_system = f->is_system;
	c->is_utc = f->is_utc;
	c->read_only = f->read_only;
	c->max_adj_ppb = f->max_adj_ppb;
}

static int open_phc_dev(struct gn_dclock *c, const char *dev, int index,
			char *err, size_t errlen)
{
	struct ptp_clock_caps caps;
	struct timespec ts;
	int rc;

	c->kind = GN_DCLOCK_PHC;
	c->fd = open(dev, O_RDWR | O_CLOEXEC);
	if (c->fd < 0 && (errno == EACCES || errno == EPERM)) {
		/* Readable but not writable: use it, never adjust it. */
		c->fd = open(dev, O_RDONLY | O_CLOEXEC);
		c->read_only = true;
	}
	if (c->fd < 0) {
		rc = -errno;
		fail(err, errlen, dev, strerror(-rc));
		return rc;
	}
	c->clkid = fd_to_clockid(c->fd);
	c->phc_index = index;
	memset(&caps, 0, sizeof(caps));
	if (ioctl(c->fd, PTP_CLOCK_GETCAPS, &caps) < 0) {
		rc = -errno;
		fail(err, errlen, dev, strerror(-rc));
		gn_dclock_close(c);
		return rc;
	}
	if (clock_gettime(c->clkid, &ts) < 0) {
		rc = -errno;
		fail(err, errlen, dev, strerror(-rc));
		gn_dclock_close(c);
		return rc;
	}
	c->max_adj_ppb = caps.max_adj > 0 ? (double)caps.max_adj : 0.0;
	if (caps.max_adj <= 0)
		c->read_only = true; /* ptp_kvm, vmclock: max_adj 0 */
	c->n_ext_ts = caps.n_ext_ts;
	c->n_per_out = caps.n_per_out;
	c->n_pins = caps.n_pins;
	c->pps = caps.pps;
	return 0;
}

int gn_dclock_open_index(struct gn_dclock *c, int phc_index,
			 struct gn_fakeset *fakes, char *err, size_t errlen)
{
	struct gn_fakeclock *f = gn_fakeset_find_index(fakes, phc_index);
	char dev[32];

	if (f) {
		gn_dclock_open_fake(c, f);
		return 0;
	}
	if (phc_index < 0) {
		if (err && errlen)
			snprintf(err, errlen, "no PHC index");
		return -ENODEV;
	}
	snprintf(dev, sizeof(dev), "/dev/ptp%d", phc_index);
	init(c, dev);
	return open_phc_dev(c, dev, phc_index, err, errlen);
}

int gn_dclock_open(struct gn_dclock *c, const char *name,
		   struct gn_fakeset *fakes, char *err, size_t errlen)
{
	struct gn_fakeclock *f;
	clockid_t sys_id;
	bool steerable;
	int index, rc;

	if (err && errlen)
		err[0] = '\0';
	if (!name || !name[0] || strlen(name) >= GN_DCLOCK_NAME_MAX) {
		fail(err, errlen, name ? name : "(none)", "bad clock name");
		return -EINVAL;
	}
	f = gn_fakeset_find(fakes, name);
	if (f) {
		gn_dclock_open_fake(c, f);
		return 0;
	}
	init(c, name);
	rc = gn_dclock_system_id(name, &sys_id, &steerable);
	if (rc == 0)
		return open_system(c, name, sys_id, steerable, err, errlen);
	if (rc != -ENOENT) {
		fail(err, errlen, name,
		     "not a clock gnomon synchronizes (CLOCK_REALTIME, "
		     "CLOCK_AUX0..CLOCK_AUX7, CLOCK_TAI as a source)");
		return -EINVAL;
	}
	if (name[0] == '/') {
		if (sscanf(name, "/dev/ptp%d", &index) != 1)
			index = -1;
		return open_phc_dev(c, name, index, err, errlen);
	}
	/* An interface: its PHC. */
	index = gn_interface_phc_index(name, NULL);
	if (index < 0) {
		fail(err, errlen, name,
		     index == -1 ? "the interface has no PTP hardware clock"
				 : strerror(-index));
		return index == -1 ? -ENODEV : index;
	}
	char dev[32];

	snprintf(dev, sizeof(dev), "/dev/ptp%d", index);
	rc = open_phc_dev(c, dev, index, err, errlen);
	return rc;
}

void gn_dclock_close(struct gn_dclock *c)
{
	if (c->kind == GN_DCLOCK_PHC && c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

static int64_t ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * NS_PER_S + ts->tv_nsec;
}

int gn_dclock_now(struct gn_dclock *c, int64_t *ns)
{
	struct timespec ts;

	if (c->kind == GN_DCLOCK_FAKE) {
		*ns = gn_fakeclock_now(c->fake);
		return 0;
	}
	if (clock_gettime(c->clkid, &ts) < 0)
		return -errno;
	*ns = ts_ns(&ts);
	return 0;
}

static int kernel_adjtime(struct gn_dclock *c, struct timex *tx)
{
	if (clock_adjtime(c->clkid, tx) < 0) {
		int rc = -errno;

		if (c->kind == GN_DCLOCK_PHC &&
		    (rc == -EOPNOTSUPP || rc == -EPERM || rc == -EACCES ||
		     rc == -EBADF))
			c->read_only = true;
		return rc;
	}
	return 0;
}

int gn_dclock_get_freq(struct gn_dclock *c, double *ppb)
{
	struct timex tx;

	if (c->kind == GN_DCLOCK_FAKE) {
		*ppb = c->fake->freq_ppb;
		return 0;
	}
	memset(&tx, 0, sizeof(tx));
	if (clock_adjtime(c->clkid, &tx) < 0)
		return -errno;
	*ppb = gn_timex_tick_freq(&tx, c->user_hz, c->nominal_tick_us);
	return 0;
}

int gn_dclock_adjfreq(struct gn_dclock *c, double ppb)
{
	struct timex tx;

	if (c->read_only)
		return -EPERM;
	if (!isfinite(ppb))
		return -EINVAL;
	if (ppb > c->max_adj_ppb)
		ppb = c->max_adj_ppb;
	if (ppb < -c->max_adj_ppb)
		ppb = -c->max_adj_ppb;
	if (c->kind == GN_DCLOCK_FAKE)
		return gn_fakeclock_adjfreq(c->fake, ppb);
	memset(&tx, 0, sizeof(tx));
	tx.modes = ADJ_FREQUENCY;
	if (c->nominal_tick_us > 0)
		gn_timex_set_tick_freq(&tx, ppb, c->user_hz, c->nominal_tick_us,
				       c->max_adj_ppb - 1e8);
	else
		tx.freq = (long)llround(ppb * SCALED_PPM_PER_PPB);
	return kernel_adjtime(c, &tx);
}

int gn_dclock_step(struct gn_dclock *c, int64_t delta_ns)
{
	struct timex tx;

	if (c->read_only)
		return -EPERM;
	if (c->kind == GN_DCLOCK_FAKE)
		return gn_fakeclock_step(c->fake, delta_ns);
	gn_timex_setoffset(&tx, delta_ns);
	return kernel_adjtime(c, &tx);
}

int gn_dclock_set_leap(struct gn_dclock *c, int leap)
{
	struct timex tx;
	int rc;

	/* Only CLOCK_REALTIME leaps (as phc2sys: not the auxiliary
	 * clocks). */
	if (!c->is_system || !c->is_utc)
		return -EOPNOTSUPP;
	if (c->read_only)
		return -EPERM;
	if (c->kind == GN_DCLOCK_FAKE)
		return gn_fakeclock_set_leap(c->fake, leap);
	memset(&tx, 0, sizeof(tx));
	tx.modes = ADJ_STATUS;
	tx.status = leap > 0 ? STA_INS : leap < 0 ? STA_DEL : 0;
	rc = kernel_adjtime(c, &tx);
	if (rc == 0)
		c->leap_bits = tx.status;
	return rc;
}

int gn_dclock_set_tai(struct gn_dclock *c, int offset_s)
{
	struct timex tx;

	if (!c->is_system || !c->is_utc)
		return -EOPNOTSUPP;
	if (c->read_only)
		return -EPERM;
	if (c->kind == GN_DCLOCK_FAKE)
		return gn_fakeclock_set_tai(c->fake, offset_s);
	memset(&tx, 0, sizeof(tx));
	tx.modes = ADJ_TAI;
	tx.constant = offset_s;
	return kernel_adjtime(c, &tx);
}

int gn_dclock_set_sync(struct gn_dclock *c)
{
	struct timex tx;

	if (!c->is_system || !c->is_utc || c->read_only)
		return -EOPNOTSUPP;
	if (c->kind == GN_DCLOCK_FAKE)
		return 0;
	memset(&tx, 0, sizeof(tx));
	tx.modes = ADJ_STATUS | ADJ_MAXERROR | ADJ_ESTERROR;
	tx.status = c->leap_bits; /* clears STA_UNSYNC, keeps the leap */
	return kernel_adjtime(c, &tx);
}

/* ---- comparison ---- */

static int64_t dclock_read_cb(void *ctx)
{
	int64_t ns = 0;

	gn_dclock_now(ctx, &ns);
	return ns;
}

static int readings_cap(int readings)
{
	if (readings < 1)
		return 1;
	return readings > GN_SYSOFF_MAX_SAMPLES ? GN_SYSOFF_MAX_SAMPLES
						: readings;
}

/* clock_gettime sandwiches: outer, inner, outer. */
static int compare_read(struct gn_dclock *inner, struct gn_dclock *outer,
			int readings, struct gn_measurement *m)
{
	struct gn_sandwich s[GN_SYSOFF_MAX_SAMPLES];
	unsigned i, n = (unsigned)readings_cap(readings);
	int rc;

	for (i = 0; i < n; i++) {
		rc = gn_dclock_now(outer, &s[i].before_ns);
		if (!rc)
			rc = gn_dclock_now(inner, &s[i].inner_ns);
		if (!rc)
			rc = gn_dclock_now(outer, &s[i].after_ns);
		if (rc)
			return rc;
	}
	return gn_measure_best(s, n, m);
}

/* One PHC ioctl method against the system clock sys_id. Only
 * PTP_SYS_OFFSET_EXTENDED takes another clock than CLOCK_REALTIME (its
 * first reserved word, "clockid" in Linux 6.11+; older kernels refuse a
 * non-zero value with EINVAL, and the sandwiches take over). */
static int sysoff_kernel(struct gn_dclock *phc, clockid_t sys_id,
			 enum gn_sysoff_method method, int readings,
			 struct gn_measurement *m)
{
	unsigned i, n = (unsigned)readings_cap(readings);

	if (sys_id != CLOCK_REALTIME && method != GN_SYSOFF_EXTENDED)
		return -EOPNOTSUPP;
	switch (method) {
	case GN_SYSOFF_PRECISE: {
		struct ptp_sys_offset_precise p;

		memset(&p, 0, sizeof(p));
		if (ioctl(phc->fd, PTP_SYS_OFFSET_PRECISE, &p) < 0)
			return -errno;
		gn_measure_precise(pct_ns(&p.device), pct_ns(&p.sys_realtime),
				   m);
		return 0;
	}
	case GN_SYSOFF_EXTENDED: {
		struct ptp_sys_offset_extended p;
		int64_t ts[PTP_MAX_SAMPLES][3];

		memset(&p, 0, sizeof(p));
		p.n_samples = n;
		p.rsv[0] = (unsigned)sys_id; /* 0: CLOCK_REALTIME */
		if (ioctl(phc->fd, PTP_SYS_OFFSET_EXTENDED, &p) < 0)
			return -errno;
		if (p.n_samples < 1 || p.n_samples > n)
			return -EIO;
		for (i = 0; i < p.n_samples; i++) {
			ts[i][0] = pct_ns(&p.ts[i][0]);
			ts[i][1] = pct_ns(&p.ts[i][1]);
			ts[i][2] = pct_ns(&p.ts[i][2]);
		}
		return gn_measure_extended((const int64_t(*)[3])ts, p.n_samples,
					   m);
	}
	case GN_SYSOFF_BASIC: {
		struct ptp_sys_offset p;
		int64_t ts[2 * PTP_MAX_SAMPLES + 1];

		memset(&p, 0, sizeof(p));
		p.n_samples = n;
		if (ioctl(phc->fd, PTP_SYS_OFFSET, &p) < 0)
			return -errno;
		if (p.n_samples < 1 || p.n_samples > n)
			return -EIO;
		for (i = 0; i < 2 * p.n_samples + 1; i++)
			ts[i] = pct_ns(&p.ts[i]);
		return gn_measure_basic(ts, p.n_samples, m);
	}
	case GN_SYSOFF_READ:
	case GN_SYSOFF_COUNT:
		break;
	}
	return -EOPNOTSUPP;
}

/* The same through a fake PHC's emulation of the ioctls. */
static int sysoff_fake(struct gn_dclock *phc, struct gn_dclock *sys,
		       enum gn_sysoff_method method, int readings,
		       struct gn_measurement *m)
{
	unsigned n = (unsigned)readings_cap(readings);
	int rc;

	/* As the kernel: only _EXTENDED against other system clocks. */
	if (!sys->is_utc && method != GN_SYSOFF_EXTENDED)
		return -EOPNOTSUPP;
	switch (method) {
	case GN_SYSOFF_PRECISE: {
		int64_t dev, s;

		rc = gn_fakeclock_sysoff_precise(phc->fake, dclock_read_cb, sys,
						 &dev, &s);
		if (rc)
			return rc;
		gn_measure_precise(dev, s, m);
		return 0;
	}
	case GN_SYSOFF_EXTENDED: {
		int64_t ts[GN_SYSOFF_MAX_SAMPLES][3];

		rc = gn_fakeclock_sysoff_extended(phc->fake, &n, dclock_read_cb,
						  sys, ts);
		if (rc)
			return rc;
		return gn_measure_extended((const int64_t(*)[3])ts, n, m);
	}
	case GN_SYSOFF_BASIC: {
		int64_t ts[2 * GN_SYSOFF_MAX_SAMPLES + 1];

		rc = gn_fakeclock_sysoff_basic(phc->fake, &n, dclock_read_cb,
					       sys, ts);
		if (rc)
			return rc;
		return gn_measure_basic(ts, n, m);
	}
	case GN_SYSOFF_READ:
	case GN_SYSOFF_COUNT:
		break;
	}
	return -EOPNOTSUPP;
}

/* Whether the ioctl methods can compare phc with sys at all. */
static bool sysoff_possible(const struct gn_dclock *phc,
			    const struct gn_dclock *sys)
{
	if (phc->kind == GN_DCLOCK_FAKE)
		return true;
	return phc->kind == GN_DCLOCK_PHC && sys->kind == GN_DCLOCK_SYSTEM;
}

static int sysoff_method(struct gn_dclock *phc, struct gn_dclock *sys,
			 enum gn_sysoff_method method, int readings,
			 struct gn_measurement *m)
{
	if (method == GN_SYSOFF_READ)
		return compare_read(phc, sys, readings, m);
	if (phc->kind == GN_DCLOCK_FAKE)
		return sysoff_fake(phc, sys, method, readings, m);
	return sysoff_kernel(phc, sys->clkid, method, readings, m);
}

/* sys - phc with the first method that works (remembered). */
static int sysoff(struct gn_dclock *phc, struct gn_dclock *sys, int readings,
		  struct gn_measurement *m, enum gn_sysoff_method *used)
{
	int rc, i;

	if (phc->sysoff_peer == sys && phc->sysoff_method >= 0) {
		*used = (enum gn_sysoff_method)phc->sysoff_method;
		return sysoff_method(phc, sys, *used, readings, m);
	}
	for (i = 0; i < GN_SYSOFF_COUNT; i++) {
		if (i != GN_SYSOFF_READ && !sysoff_possible(phc, sys))
			continue;
		/* The ioctls return at most 25 samples; like phc2sys, ask
		 * for more only through clock reads. */
		if (i != GN_SYSOFF_READ && readings > GN_SYSOFF_MAX_SAMPLES)
			continue;
		rc = sysoff_method(phc, sys, (enum gn_sysoff_method)i, readings,
				   m);
		if (rc == -EOPNOTSUPP || rc == -ENOTTY || rc == -EINVAL)
			continue;
		if (rc)
			return rc;
		phc->sysoff_peer = sys;
		phc->sysoff_method = i;
		*used = (enum gn_sysoff_method)i;
		return 0;
	}
	return -EOPNOTSUPP;
}

int gn_dclock_compare(struct gn_dclock *src, struct gn_dclock *dst,
		      int readings, struct gn_measurement *m,
		      enum gn_sysoff_method *method)
{
	enum gn_sysoff_method used = GN_SYSOFF_READ;
	int rc;

	if (dst->is_system && !src->is_system) {
		/* dst - src directly: sys outer, PHC inner. */
		rc = sysoff(src, dst, readings, m, &used);
	} else if (src->is_system && !dst->is_system) {
		/* Reversed: measure src - dst, then turn it around; the
		 * time stamp moves into dst's time. */
		rc = sysoff(dst, src, readings, m, &used);
		if (rc == 0) {
			m->offset_ns = -m->offset_ns;
			m->ts_ns += m->offset_ns;
		}
	} else {
		rc = compare_read(src, dst, readings, m);
	}
	if (rc == 0 && method)
		*method = used;
	return rc;
}

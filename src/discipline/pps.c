/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pps.c - PPS devices and PHC external time stamps (see pps.h). Reads
 * time stamps only; must not adjust any clock. Setting a PHC pin's
 * function is the one change it makes, and only when asked.
 */
/* open() rather than open64(): PHCs and PPS devices are character
 * devices, and clknetsim intercepts open() only. Harmless on LP64. */
#undef _FILE_OFFSET_BITS
#include "pps.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/pps.h>
#include <linux/ptp_clock.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define NS_PER_S 1000000000LL

static int64_t mod_s(int64_t ns)
{
	int64_t r = ns % NS_PER_S;

	return r < 0 ? r + NS_PER_S : r;
}

int64_t gn_pps_offset(int64_t ts_ns)
{
	int64_t r = mod_s(ts_ns);

	return r > NS_PER_S / 2 ? r - NS_PER_S : r;
}

int gn_pps_phc_offset(int64_t pps_sys_ns, int64_t phc_now_ns,
		      int64_t *offset_ns)
{
	int64_t frac = mod_s(phc_now_ns);

	if (frac > GN_PPS_PHC_LIMIT_NS)
		return -EAGAIN;
	*offset_ns = pps_sys_ns - (phc_now_ns - frac);
	return 0;
}

int gn_pps_src_offset(int64_t pulse_ns, int64_t src_ns, int64_t *offset_ns)
{
	int64_t frac = gn_pps_offset(src_ns);

	if (frac > GN_PPS_PHC_LIMIT_NS || frac < -GN_PPS_PHC_LIMIT_NS)
		return -EAGAIN;
	*offset_ns = pulse_ns - (src_ns - frac);
	return 0;
}

int gn_pps_open(struct gn_pps *p, const char *path, char *err, size_t errlen)
{
	int mode = 0, rc;

	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", path);
	p->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (p->fd < 0) {
		rc = -errno;
		if (err && errlen)
			snprintf(err, errlen, "cannot open '%s': %s", path,
				 strerror(-rc));
		return rc;
	}
	if (ioctl(p->fd, PPS_GETCAP, &mode) == 0 &&
	    !(mode & PPS_CAPTUREASSERT)) {
		if (err && errlen)
			snprintf(err, errlen, "%s: cannot capture assert",
				 path);
		gn_pps_close(p);
		return -EOPNOTSUPP;
	}
	return 0;
}

int gn_pps_fetch(struct gn_pps *p, int timeout_ms, int64_t *ts_ns)
{
	struct pps_fdata f;

	memset(&f, 0, sizeof(f));
	f.timeout.sec = timeout_ms / 1000;
	f.timeout.nsec = (timeout_ms % 1000) * 1000000;
	f.timeout.flags = ~PPS_TIME_INVALID;
	if (ioctl(p->fd, PPS_FETCH, &f) < 0)
		return -errno;
	*ts_ns =
	    (int64_t)f.info.assert_tu.sec * NS_PER_S + f.info.assert_tu.nsec;
	return 0;
}

/* "name: what: why" into err; returns rc. */
static int extts_fail(char *err, size_t errlen, const char *name, int rc,
		      const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int extts_fail(char *err, size_t errlen, const char *name, int rc,
		      const char *fmt, ...)
{
	char what[96];
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(what, sizeof(what), fmt, ap);
		va_end(ap);
		snprintf(err, errlen, "%s: %s: %s", name, what,
			 rc == -ENOTTY ? "not a PTP clock" : strerror(-rc));
	}
	return rc;
}

/* An ioctl of the PTP core, first in its version-2 form (Linux 5.8+,
 * which checks its flags), then the original one. */
static int ptp_ioctl2(int fd, unsigned long req2, unsigned long req1, void *arg)
{
	if (ioctl(fd, req2, arg) == 0)
		return 0;
	if (errno != ENOTTY && errno != EINVAL)
		return -errno;
	return ioctl(fd, req1, arg) == 0 ? 0 : -errno;
}

/* Events left from an earlier user of the channel. */
static void extts_drain(struct gn_pps *p)
{
	struct ptp_extts_event ev;
	struct pollfd pfd = {.fd = p->fd, .events = POLLIN};
	unsigned n;

	for (n = 0; n < 64 && poll(&pfd, 1, 0) == 1; n++)
		if (read(p->fd, &ev, sizeof(ev)) <= 0)
			break;
}

int gn_extts_open(struct gn_pps *p, struct gn_dclock *phc,
		  const struct gn_extts_config *cfg, char *err, size_t errlen)
{
	struct ptp_extts_request req;
	struct ptp_pin_desc pin;
	int rc;

	memset(p, 0, sizeof(*p));
	p->fd = -1;
	snprintf(p->name, sizeof(p->name), "%s", phc->name);
	p->extts = true;
	p->channel = cfg->channel;
	p->correction_ns = cfg->correction_ns;
	if (cfg->edge != GN_EXTTS_RISING && cfg->edge != GN_EXTTS_FALLING)
		return extts_fail(err, errlen, phc->name, -EINVAL, "edge %d",
				  (int)cfg->edge);
	if (phc->kind == GN_DCLOCK_FAKE) {
		if (phc->fake->n_extts == 0)
			return extts_fail(err, errlen, phc->name, -EOPNOTSUPP,
					  "no external time stamp channels");
		if (cfg->channel >= phc->fake->n_extts)
			return extts_fail(err, errlen, phc->name, -EINVAL,
					  "no channel %u", cfg->channel);
		rc = gn_fakeclock_extts_enable(phc->fake, cfg->channel, true);
		if (rc)
			return extts_fail(err, errlen, phc->name, rc,
					  "channel %u", cfg->channel);
		p->fake = phc->fake;
		return 0;
	}
	if (phc->kind != GN_DCLOCK_PHC || phc->fd < 0)
		return extts_fail(err, errlen, phc->name, -EOPNOTSUPP,
				  "not a PHC");
	if (cfg->channel >= (unsigned)phc->n_ext_ts)
		return extts_fail(err, errlen, phc->name, -EINVAL,
				  "no channel %u (PTP_CLOCK_GETCAPS)",
				  cfg->channel);
	if (cfg->pin >= 0) {
		if (cfg->pin >= phc->n_pins)
			return extts_fail(err, errlen, phc->name, -EINVAL,
					  "no pin %u (PTP_CLOCK_GETCAPS)",
					  (unsigned)cfg->pin);
		memset(&pin, 0, sizeof(pin));
		pin.index = (unsigned)cfg->pin;
		pin.func = PTP_PF_EXTTS;
		pin.chan = cfg->channel;
		rc = ptp_ioctl2(phc->fd, PTP_PIN_SETFUNC2, PTP_PIN_SETFUNC,
				&pin);
		if (rc)
			return extts_fail(err, errlen, phc->name, rc,
					  "PTP_PIN_SETFUNC pin %u",
					  (unsigned)cfg->pin);
	}
	p->fd = phc->fd;
	memset(&req, 0, sizeof(req));
	req.index = cfg->channel;
	req.flags =
	    PTP_ENABLE_FEATURE |
	    (cfg->edge == GN_EXTTS_RISING ? PTP_RISING_EDGE : PTP_FALLING_EDGE);
	rc = ptp_ioctl2(phc->fd, PTP_EXTTS_REQUEST2, PTP_EXTTS_REQUEST, &req);
	if (rc) {
		p->fd = -1;
		return extts_fail(err, errlen, phc->name, rc,
				  "PTP_EXTTS_REQUEST channel %u", cfg->channel);
	}
	extts_drain(p);
	return 0;
}

/* A fake PHC's pulse: on the default (real) time base it is waited for;
 * on a test's scripted base it is there at once. */
static int fake_read(struct gn_pps *p, int timeout_ms, int64_t *ts_ns)
{
	struct gn_fakeclock *f = p->fake;
	bool scripted = f->base && f->base->raw_ns;
	int64_t raw, ts, wait_ns;
	struct timespec d;
	int rc;

	rc = gn_fakeclock_extts_next(f, false, &raw, &ts);
	if (rc)
		return rc;
	if (!scripted) {
		wait_ns = raw - gn_fakeclock_raw(f);
		if (wait_ns > (int64_t)timeout_ms * 1000000)
			wait_ns = (int64_t)timeout_ms * 1000000;
		if (wait_ns > 0) {
			d.tv_sec = (time_t)(wait_ns / NS_PER_S);
			d.tv_nsec = (long)(wait_ns % NS_PER_S);
			if (clock_nanosleep(CLOCK_MONOTONIC, 0, &d, NULL))
				return -EINTR;
		}
		/* CLOCK_MONOTONIC runs at the NTP-corrected rate, the raw
		 * base does not: a few microseconds may be left. */
		while (gn_fakeclock_raw(f) < raw) {
			if (raw - gn_fakeclock_raw(f) > 2000000)
				return -ETIMEDOUT;
		}
	}
	gn_fakeclock_extts_next(f, true, &raw, &ts);
	*ts_ns = ts + p->correction_ns;
	return 0;
}

int gn_extts_read(struct gn_pps *p, int timeout_ms, int64_t *ts_ns)
{
	struct ptp_extts_event ev;
	struct pollfd pfd = {.fd = p->fd, .events = POLLIN};
	ssize_t n;

	if (p->fake)
		return fake_read(p, timeout_ms, ts_ns);
	for (;;) {
		int r = poll(&pfd, 1, timeout_ms);

		if (r < 0)
			return -errno;
		if (r == 0)
			return -ETIMEDOUT;
		n = read(p->fd, &ev, sizeof(ev));
		if (n < 0)
			return -errno;
		if (n != (ssize_t)sizeof(ev))
			return -EIO;
		if (ev.index != p->channel)
			continue; /* another channel's event */
		*ts_ns =
		    (int64_t)ev.t.sec * NS_PER_S + ev.t.nsec + p->correction_ns;
		return 0;
	}
}

int gn_extts_sample(struct gn_pps *p, struct gn_dclock *sink,
		    struct gn_dclock *secs, int readings, int timeout_ms,
		    int64_t *offset_ns, int64_t *ts_ns)
{
	struct gn_measurement m;
	int64_t pulse_ns;
	int rc;

	rc = gn_extts_read(p, timeout_ms, &pulse_ns);
	if (rc)
		return rc;
	*ts_ns = pulse_ns;
	if (!secs) {
		*offset_ns = gn_pps_offset(pulse_ns);
		return 0;
	}
	/* sink - secs now; secs' time at the pulse follows (the rates
	 * differ by far less than the limit over the moments between). */
	rc = gn_dclock_compare(secs, sink, readings, &m, NULL);
	if (rc)
		return rc;
	rc = gn_pps_src_offset(pulse_ns, pulse_ns - m.offset_ns, offset_ns);
	if (rc)
		*offset_ns = gn_pps_offset(pulse_ns - m.offset_ns);
	return rc;
}

void gn_pps_close(struct gn_pps *p)
{
	if (p->fake) {
		gn_fakeclock_extts_enable(p->fake, p->channel, false);
		p->fake = NULL;
		return;
	}
	if (p->fd < 0)
		return;
	if (p->extts) {
		struct ptp_extts_request req;

		memset(&req, 0, sizeof(req));
		req.index = p->channel; /* flags 0: disable */
		ptp_ioctl2(p->fd, PTP_EXTTS_REQUEST2, PTP_EXTTS_REQUEST, &req);
	} else {
		close(p->fd);
	}
	p->fd = -1;
}

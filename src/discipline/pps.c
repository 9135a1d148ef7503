/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pps.c - PPS devices and PHC external time stamps (see pps.h). Reads
 * time stamps only; must not adjust any clock.
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
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
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

int gn_extts_open(struct gn_pps *p, int phc_fd, const char *name,
		  unsigned channel, char *err, size_t errlen)
{
	struct ptp_extts_request req;
	int rc;

	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->fd = phc_fd;
	p->extts = true;
	p->channel = channel;
	memset(&req, 0, sizeof(req));
	req.index = channel;
	req.flags = PTP_ENABLE_FEATURE | PTP_RISING_EDGE;
	if (ioctl(phc_fd, PTP_EXTTS_REQUEST, &req) < 0) {
		rc = -errno;
		if (err && errlen)
			snprintf(err, errlen,
				 "%s: PTP_EXTTS_REQUEST channel %u: %s", name,
				 channel, strerror(-rc));
		p->fd = -1;
		return rc;
	}
	return 0;
}

int gn_extts_read(struct gn_pps *p, int timeout_ms, int64_t *ts_ns)
{
	struct ptp_extts_event ev;
	struct pollfd pfd = {.fd = p->fd, .events = POLLIN};
	ssize_t n;

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
		*ts_ns = (int64_t)ev.t.sec * NS_PER_S + ev.t.nsec;
		return 0;
	}
}

void gn_pps_close(struct gn_pps *p)
{
	if (p->fd < 0)
		return;
	if (p->extts) {
		struct ptp_extts_request req;

		memset(&req, 0, sizeof(req));
		req.index = p->channel; /* flags 0: disable */
		ioctl(p->fd, PTP_EXTTS_REQUEST, &req);
	} else {
		close(p->fd);
	}
	p->fd = -1;
}

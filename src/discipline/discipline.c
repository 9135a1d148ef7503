/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * discipline.c - gnomond's built-in discipline (see discipline.h): the
 * daemon's ports and states feed autocfg, a timerfd paces the updates.
 *
 * Must not: block (the daemon's loop runs it), steer a clock whose port
 * is a slave (the core's servo owns it), or touch a kernel clock when
 * discipline_fake_clocks names it (tests).
 */
#include "discipline.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "dhost.h"
#include "leap.h"
#include "refclock.h"

#define MAX_PORTS GN_AC_MAX_PORTS

struct gn_discipline {
	struct gn_dhost h;
	struct gn_fakeset fakes;
	struct gn_dlog log;
	int tfd;
	int ptp_dom, sys_dom;
	bool known[MAX_PORTS];	 /* port given to autocfg */
	bool ignored[MAX_PORTS]; /* no PHC: not disciplined */
	struct gn_refclock_sock sock;
	struct gn_refclock_shm shm;
	bool sock_open, shm_open;
	unsigned updates;
};

static int config_dsync(const struct gn_config *cfg, struct gn_dsync_config *dc,
			char *err, size_t errlen)
{
	double rate = gn_config_get_double(cfg, NULL, "discipline_rate");

	gn_dsync_config_default(dc);
	gn_dsync_config_servo(
	    dc, (int)gn_config_get_int(cfg, NULL, "discipline_servo"));
	dc->servo.pi_kp = gn_config_get_double(cfg, NULL, "discipline_pi_kp");
	dc->servo.pi_ki = gn_config_get_double(cfg, NULL, "discipline_pi_ki");
	dc->servo.step_threshold_ns = llround(
	    gn_config_get_double(cfg, NULL, "discipline_step_threshold") * 1e9);
	dc->servo.first_step_threshold_ns = llround(
	    gn_config_get_double(cfg, NULL, "discipline_first_step_threshold") *
	    1e9);
	dc->interval_s = 1.0 / rate;
	dc->readings = (int)gn_config_get_int(cfg, NULL, "discipline_readings");
	dc->free_running =
	    gn_config_get_int(cfg, NULL, "discipline_free_running") != 0;
	dc->kernel_leap = gn_config_get_int(cfg, NULL, "kernel_leap") != 0;
	dc->sanity_freq_limit_ppb = (double)gn_config_get_int(
	    cfg, NULL, "discipline_sanity_freq_limit");
	dc->stats_max_count = (unsigned)gn_config_get_int(
	    cfg, NULL, "discipline_summary_updates");
	/* As phc2sys: no kernel leap and no sanity check when not
	 * steering. */
	if (dc->free_running || dc->output != GN_DSYNC_STEER) {
		dc->kernel_leap = false;
		dc->sanity_freq_limit_ppb = 0;
	}
	(void)err;
	(void)errlen;
	return 0;
}

static int start_timer(struct gn_discipline *d, double interval_s)
{
	struct itimerspec its;
	int64_t ns = llround(interval_s * 1e9);

	if (ns < 1000000)
		ns = 1000000;
	/* TFD_NONBLOCK only (clknetsim accepts no other flag). */
	d->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	if (d->tfd < 0)
		return -errno;
	(void)fcntl(d->tfd, F_SETFD, FD_CLOEXEC);
	memset(&its, 0, sizeof(its));
	its.it_interval.tv_sec = (time_t)(ns / 1000000000);
	its.it_interval.tv_nsec = (long)(ns % 1000000000);
	its.it_value = its.it_interval;
	if (timerfd_settime(d->tfd, 0, &its, NULL) < 0)
		return -errno;
	return 0;
}

bool gn_discipline_config_accept(void *ctx, const char *name, const char *text,
				 int64_t ivalue)
{
	(void)ctx;
	(void)text;
	return name && !strcmp(name, "clock_servo") &&
	       (ivalue == GN_CFG_SERVO_NTPSHM ||
		ivalue == GN_CFG_SERVO_REFCLOCK_SOCK);
}

struct gn_discipline *gn_discipline_open(const struct gn_config *cfg,
					 gn_discipline_vlog_fn vlog,
					 void *vlog_ctx, char *err,
					 size_t errlen)
{
	int64_t mode = gn_config_get_int(cfg, NULL, "discipline");
	struct gn_dsync_config dc;
	struct gn_discipline *d;
	const char *fake;
	char msg[256];
	int rc, c;

	if (err && errlen)
		err[0] = '\0';
	if (mode == GN_DISCIPLINE_OFF)
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d) {
		snprintf(err, errlen, "discipline: out of memory");
		return NULL;
	}
	d->tfd = -1;
	d->sock.fd = -1;
	d->log.fn = vlog; /* NULL: silent */
	d->log.ctx = vlog_ctx;
	if (config_dsync(cfg, &dc, err, errlen))
		goto fail;
	fake = gn_config_get_string(cfg, NULL, "discipline_fake_clocks");
	if (gn_fakeset_parse(&d->fakes, fake, msg, sizeof(msg))) {
		snprintf(err, errlen, "discipline_fake_clocks: %s", msg);
		goto fail;
	}
	if (dc.output == GN_DSYNC_SOCK) {
		rc = gn_refclock_sock_open(
		    &d->sock,
		    gn_config_get_string(cfg, NULL, "refclock_sock_address"),
		    msg, sizeof(msg));
		if (rc) {
			snprintf(err, errlen, "discipline: %s", msg);
			goto fail;
		}
		d->sock_open = true;
		dc.sock = &d->sock;
	} else if (dc.output == GN_DSYNC_NTPSHM) {
		rc = gn_refclock_shm_open(
		    &d->shm,
		    (int)gn_config_get_int(cfg, NULL, "ntpshm_segment"), msg,
		    sizeof(msg));
		if (rc) {
			snprintf(err, errlen, "discipline: %s", msg);
			goto fail;
		}
		d->shm_open = true;
		dc.shm = &d->shm;
	}
	gn_dhost_init(&d->h, &dc, &d->log, &d->fakes);
	d->ptp_dom = gn_ac_add_domain(&d->h.ac);
	gn_ac_set_subscribed(&d->h.ac, (unsigned)d->ptp_dom, true);
	d->sys_dom = gn_ac_add_sys_domain(&d->h.ac, "CLOCK_REALTIME",
					  mode == GN_DISCIPLINE_AUTO);
	if (d->ptp_dom < 0 || d->sys_dom < 0) {
		snprintf(err, errlen, "discipline: too many domains");
		goto fail;
	}
	/* The system clock is the only clock of its domain. */
	for (c = 0; c < (int)d->h.ac.nclk; c++) {
		if (!d->h.ac.clk[c].is_sys)
			continue;
		rc = gn_dhost_open_clock(&d->h, (unsigned)c, msg, sizeof(msg));
		if (rc) {
			snprintf(err, errlen, "discipline: %s", msg);
			goto fail;
		}
	}
	rc = start_timer(d, dc.interval_s);
	if (rc) {
		snprintf(err, errlen, "discipline: timerfd: %s", strerror(-rc));
		goto fail;
	}
	gn_dlog(&d->log, GN_DLOG_INFO,
		"discipline: %s, %.3g updates per second",
		mode == GN_DISCIPLINE_AUTO ? "PHC of the slave port -> "
					     "CLOCK_REALTIME and other PHCs"
					   : "as auto, and CLOCK_REALTIME -> "
					     "PHCs without a slave port",
		1.0 / dc.interval_s);
	return d;
fail:
	gn_discipline_close(d);
	return NULL;
}

void gn_discipline_port_state(struct gn_discipline *d, unsigned port,
			      const char *ifname, int phc_index,
			      enum gn_port_state st)
{
	struct gn_fakeclock *fake;
	char label[96], msg[160];
	int c;

	if (!d || port >= MAX_PORTS || !ifname)
		return;
	snprintf(label, sizeof(label), "%s (port %u)", ifname, port + 1);
	if (d->ignored[port])
		return;
	if (d->known[port]) {
		/* The daemon may have moved the port to another PHC (as
		 * phc2sys follows PORT_HWCLOCK_NP). */
		c = gn_ac_port_clock(&d->h.ac, (unsigned)d->ptp_dom, port + 1);
		if (c >= 0)
			gn_dhost_set_phc(&d->h, (unsigned)c, ifname, phc_index);
		gn_ac_port_state(&d->h.ac, (unsigned)d->ptp_dom, port + 1,
				 (int)st, label);
		return;
	}
	/* A port without a PHC has nothing to discipline (software time
	 * stamping: the daemon steers its clock directly). */
	fake = gn_fakeset_find(&d->fakes, ifname);
	if (fake)
		phc_index = fake->phc_index;
	if (phc_index < 0) {
		d->ignored[port] = true;
		gn_dlog(&d->log, GN_DLOG_INFO,
			"discipline: %s has no PHC, not disciplined", ifname);
		return;
	}
	c = gn_ac_add_port(&d->h.ac, (unsigned)d->ptp_dom, port + 1, ifname,
			   phc_index, (int)st);
	if (c < 0) {
		d->ignored[port] = true;
		return;
	}
	if (gn_dhost_open_clock(&d->h, (unsigned)c, msg, sizeof(msg))) {
		gn_dlog(&d->log, GN_DLOG_ERR, "discipline: %s", msg);
		d->ignored[port] = true;
		return;
	}
	d->known[port] = true;
	gn_ac_domain_ready(&d->h.ac, (unsigned)d->ptp_dom);
}

void gn_discipline_time_properties(struct gn_discipline *d,
				   const struct gn_time_properties_ds *tp)
{
	struct gn_tprops *t;

	if (!d || !tp || d->ptp_dom < 0)
		return;
	t = &d->h.tp[d->ptp_dom];
	/* As phc2sys's agent: only a PTP time scale has a UTC offset. */
	if (tp->ptp_timescale) {
		t->utc_offset_s = tp->current_utc_offset;
		t->leap = gn_leap_from_flags(tp->leap61, tp->leap59);
		t->utc_offset_traceable =
		    tp->current_utc_offset_valid && tp->time_traceable;
	} else {
		memset(t, 0, sizeof(*t));
	}
}

int gn_discipline_fd(const struct gn_discipline *d)
{
	return d ? d->tfd : -1;
}

void gn_discipline_run(struct gn_discipline *d)
{
	uint64_t expirations;

	if (!d)
		return;
	if (read(d->tfd, &expirations, sizeof(expirations)) !=
	    sizeof(expirations))
		return;
	d->updates += (unsigned)gn_dhost_run(&d->h);
}

void gn_discipline_close(struct gn_discipline *d)
{
	if (!d)
		return;
	gn_dhost_close(&d->h);
	if (d->sock_open)
		gn_refclock_sock_close(&d->sock);
	if (d->shm_open)
		gn_refclock_shm_close(&d->shm);
	if (d->tfd >= 0)
		close(d->tfd);
	free(d);
}

unsigned gn_discipline_updates(const struct gn_discipline *d)
{
	return d ? d->updates : 0;
}

int gn_discipline_last_offset(const struct gn_discipline *d, const char *name,
			      long long *offset_ns)
{
	unsigned i;

	if (!d)
		return -ENOENT;
	for (i = 0; i < d->h.ac.nclk; i++) {
		if (!d->h.open[i] || strcmp(d->h.clk[i].name, name))
			continue;
		if (!d->h.sink[i].updates)
			return -EAGAIN;
		*offset_ns = (long long)d->h.sink[i].last_offset_ns;
		return 0;
	}
	return -ENOENT;
}

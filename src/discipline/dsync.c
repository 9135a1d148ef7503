/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dsync.c - one update of a sink clock from a source (see dsync.h).
 *
 * Must not: adjust a read-only clock (dclock refuses), steer anything
 * when free running or when the output is a reference clock for an NTP
 * daemon, or update a UTC clock in the ambiguous second before a leap.
 */
#include "dsync.h"

#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "leap.h"

#define NS_PER_S 1000000000LL

void gn_dsync_config_servo(struct gn_dsync_config *dc, int cfg_servo)
{
	switch (cfg_servo) {
	case GN_CFG_SERVO_LINREG:
		dc->servo.type = GN_SERVO_LINREG;
		break;
	case GN_CFG_SERVO_KALMAN:
		dc->servo.type = GN_SERVO_KALMAN;
		break;
	case GN_CFG_SERVO_NTPSHM:
		dc->output = GN_DSYNC_NTPSHM;
		break;
	case GN_CFG_SERVO_REFCLOCK_SOCK:
		dc->output = GN_DSYNC_SOCK;
		break;
	default:
		dc->servo.type = GN_SERVO_PI;
		break;
	}
}

void gn_dsync_config_default(struct gn_dsync_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	gn_servo_config_default(&cfg->servo);
	cfg->servo.type = GN_SERVO_PI;
	cfg->servo.hw_stamping = true;
	cfg->servo.pi_kp = 0.7;
	cfg->servo.pi_ki = 0.3;
	cfg->servo.step_threshold_ns = 0;
	cfg->servo.first_step_threshold_ns = 20000;
	cfg->interval_s = 1.0;
	cfg->readings = 5;
	cfg->kernel_leap = true;
	cfg->sanity_freq_limit_ppb = 200000000.0;
	cfg->output = GN_DSYNC_STEER;
	cfg->leap_slew_ppb = 100000.0;
}

void gn_dsync_sink_init(struct gn_dsync_sink *s, struct gn_dclock *clk,
			const struct gn_dsync_config *cfg)
{
	memset(s, 0, sizeof(*s));
	s->clk = clk;
	s->state = GN_SERVO_UNLOCKED;
	gn_clockcheck_init(&s->check, cfg->sanity_freq_limit_ppb);
}

void gn_dsync_sink_reset(struct gn_dsync_sink *s)
{
	if (s->have_servo)
		gn_servo_reset(&s->servo);
	s->state = GN_SERVO_UNLOCKED;
	memset(&s->stats, 0, sizeof(s->stats));
}

static int64_t mono_ref(const struct gn_dsync_sink *s)
{
	struct timespec ts;

	if (s->clk->kind == GN_DCLOCK_FAKE)
		return gn_fakeclock_raw(s->clk->fake);
	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

int64_t gn_dsync_sync_offset_ns(const struct gn_dsync_config *cfg,
				const struct gn_dsync_sink *s, bool src_is_utc)
{
	int direction;

	if (cfg->forced_sync_offset)
		direction = -1;
	else
		direction = (s->clk->is_utc ? 1 : 0) - (src_is_utc ? 1 : 0);
	return (int64_t)s->sync_offset_s * NS_PER_S * direction;
}

static bool steers(const struct gn_dsync_config *cfg)
{
	return !cfg->free_running && cfg->output == GN_DSYNC_STEER;
}

static int servo_setup(const struct gn_dsync_config *cfg,
		       struct gn_dsync_sink *s, const struct gn_dlog *log)
{
	struct gn_servo_config sc = cfg->servo;
	double ppb = 0.0;

	if (gn_dclock_get_freq(s->clk, &ppb) < 0)
		ppb = 0.0;
	if (sc.max_frequency_ppb <= 0 ||
	    (s->clk->max_adj_ppb > 0 &&
	     sc.max_frequency_ppb > s->clk->max_adj_ppb))
		sc.max_frequency_ppb = s->clk->max_adj_ppb;
	if (steers(cfg) && s->clk->read_only) {
		if (s->refused)
			return -EPERM;
		s->refused = true;
		gn_dlog(log, GN_DLOG_ERR,
			"%s: clock is not adjustable (read-only), not steering "
			"it",
			s->clk->name);
		return -EPERM;
	}
	if (gn_servo_init(&s->servo, &sc, ppb) < 0) {
		gn_dlog(log, GN_DLOG_ERR, "Failed to create servo");
		return -EINVAL;
	}
	gn_servo_sync_interval(&s->servo, cfg->interval_s);
	if (steers(cfg))
		gn_clockcheck_set_freq(&s->check, ppb);
	s->have_servo = true;
	return 0;
}

/*
 * Leap second and UTC offset handling. Returns true when the update must
 * be skipped (the ambiguous second). offset_ns is the raw sink - source.
 */
static bool handle_leap(const struct gn_dsync_config *cfg,
			struct gn_dsync_sink *s, struct gn_dclock *src,
			bool src_is_utc, int64_t offset_ns, int64_t ts_ns,
			const struct gn_tprops *tp, const struct gn_dlog *log)
{
	int node_leap = cfg->forced_sync_offset ? 0 : tp->leap;
	int clock_leap, rc;

	s->sync_offset_s = tp->utc_offset_s;
	if ((node_leap || s->leap_set) && s->clk->is_utc != src_is_utc) {
		int64_t ts = ts_ns;

		/* The UTC clock is the one that leaps: take its time. */
		if (src_is_utc && src)
			gn_dclock_now(src, &ts);
		/* A clock about to be stepped: its time after the step. */
		if (s->clk->is_utc && s->state == GN_SERVO_UNLOCKED)
			ts -= offset_ns +
			      gn_dsync_sync_offset_ns(cfg, s, src_is_utc);
		if (gn_leap_utc_ambiguous(ts)) {
			gn_dlog(log, GN_DLOG_INFO,
				"clock update suspended due to leap second");
			return true;
		}
		clock_leap = gn_leap_status(ts, s->leap_set, &node_leap,
					    &s->sync_offset_s);
		if (s->leap_set != clock_leap) {
			/* Only CLOCK_REALTIME leaps in the kernel. */
			if (s->clk->is_system && s->clk->is_utc &&
			    cfg->kernel_leap && steers(cfg)) {
				rc = gn_dclock_set_leap(s->clk, clock_leap);
				if (rc < 0)
					gn_dlog(log, GN_DLOG_ERR,
						"failed to set the clock "
						"status: %s",
						strerror(-rc));
				else if (clock_leap)
					gn_dlog(log, GN_DLOG_NOTICE,
						"clock set to %s leap second "
						"at midnight (UTC)",
						clock_leap > 0 ? "insert"
							       : "delete");
			} else if (s->clk->is_utc && steers(cfg) &&
				   s->leap_set && !clock_leap) {
				/* Midnight passed without the kernel: the
				 * UTC sink is a second off; slew it. */
				s->slew_ns += (int64_t)s->leap_set * NS_PER_S;
				s->slew_last_ns = ts_ns;
				gn_dlog(log, GN_DLOG_NOTICE,
					"%s: slewing leap second",
					s->clk->name);
			}
			s->leap_set = clock_leap;
		}
	}
	if (tp->utc_offset_traceable && !cfg->forced_sync_offset &&
	    (!s->tai_known || s->utc_offset_set != s->sync_offset_s)) {
		if (s->clk->is_system && s->clk->is_utc && steers(cfg))
			gn_dclock_set_tai(s->clk, s->sync_offset_s);
		s->utc_offset_set = s->sync_offset_s;
		s->tai_known = true;
	}
	return false;
}

/* Reduces the leap slew by what elapsed at the slew rate; returns what
 * is left (to be taken out of the offset the servo sees). */
static int64_t slew_left(const struct gn_dsync_config *cfg,
			 struct gn_dsync_sink *s, int64_t ts_ns)
{
	double dt_s, step_ns;

	if (!s->slew_ns)
		return 0;
	dt_s = (double)(ts_ns - s->slew_last_ns) / 1e9;
	s->slew_last_ns = ts_ns;
	if (dt_s > 0) {
		step_ns = dt_s * cfg->leap_slew_ppb;
		if ((double)llabs(s->slew_ns) <= step_ns)
			s->slew_ns = 0;
		else if (s->slew_ns > 0)
			s->slew_ns -= (int64_t)step_ns;
		else
			s->slew_ns += (int64_t)step_ns;
	}
	return s->slew_ns;
}

static void stats_report(const struct gn_dsync_config *cfg,
			 struct gn_dsync_sink *s, int64_t offset_ns,
			 double freq, int64_t delay_ns,
			 const struct gn_dlog *log)
{
	struct gn_dsync_stats *st = &s->stats;
	double o = (double)offset_ns, n, fm, fsd;

	st->n++;
	st->off_sq += o * o;
	if (fabs(o) > st->off_max)
		st->off_max = fabs(o);
	st->freq_sum += freq;
	st->freq_sq += freq * freq;
	if (delay_ns >= 0) {
		st->ndelay++;
		st->delay_sum += (double)delay_ns;
		st->delay_sq += (double)delay_ns * (double)delay_ns;
	}
	if (st->n < cfg->stats_max_count)
		return;
	n = st->n;
	fm = st->freq_sum / n;
	fsd = sqrt(fmax(0.0, st->freq_sq / n - fm * fm));
	if (st->ndelay) {
		double dn = st->ndelay, dm = st->delay_sum / dn;
		double dsd = sqrt(fmax(0.0, st->delay_sq / dn - dm * dm));

		gn_dlog(log, GN_DLOG_INFO,
			"%s rms %4.0f max %4.0f freq %+6.0f +/- %3.0f delay "
			"%5.0f +/- %3.0f",
			s->clk->name, sqrt(st->off_sq / n), st->off_max, fm,
			fsd, dm, dsd);
	} else {
		gn_dlog(log, GN_DLOG_INFO,
			"%s rms %4.0f max %4.0f freq %+6.0f +/- %3.0f",
			s->clk->name, sqrt(st->off_sq / n), st->off_max, fm,
			fsd);
	}
	memset(st, 0, sizeof(*st));
}

static void report(const struct gn_dsync_config *cfg, struct gn_dsync_sink *s,
		   int64_t offset_ns, double freq, int64_t delay_ns,
		   const char *src_label, const struct gn_dlog *log)
{
	s->last_offset_ns = offset_ns;
	s->last_delay_ns = delay_ns;
	s->last_freq_ppb = freq;
	s->updates++;
	if (cfg->stats_max_count > 0) {
		stats_report(cfg, s, offset_ns, freq, delay_ns, log);
		return;
	}
	if (delay_ns >= 0)
		gn_dlog(log, GN_DLOG_INFO,
			"%s %s offset %9" PRId64
			" s%d freq %+7.0f delay %6" PRId64,
			s->clk->name, src_label, offset_ns, (int)s->state, freq,
			delay_ns);
	else
		gn_dlog(log, GN_DLOG_INFO,
			"%s %s offset %9" PRId64 " s%d freq %+7.0f",
			s->clk->name, src_label, offset_ns, (int)s->state,
			freq);
}

int gn_dsync_apply(const struct gn_dsync_config *cfg, struct gn_dsync_sink *s,
		   struct gn_dclock *src, bool src_is_utc, int64_t offset_ns,
		   int64_t ts_ns, int64_t delay_ns, const struct gn_tprops *tp,
		   const char *src_label, const struct gn_dlog *log)
{
	static const struct gn_tprops none;
	enum gn_servo_state state = GN_SERVO_UNLOCKED;
	enum gn_clockcheck_result cr;
	double adj = 0.0, cur;
	int rc;

	if (!tp)
		tp = &none;
	if (!s->have_servo) {
		rc = servo_setup(cfg, s, log);
		if (rc)
			return rc;
	}
	if (handle_leap(cfg, s, src, src_is_utc, offset_ns, ts_ns, tp, log)) {
		s->skipped++;
		return 1;
	}
	offset_ns += gn_dsync_sync_offset_ns(cfg, s, src_is_utc);
	s->last_ts_ns = ts_ns;

	if (cfg->free_running) {
		s->state = GN_SERVO_UNLOCKED;
		report(cfg, s, offset_ns, 0.0, delay_ns, src_label, log);
		return 0;
	}
	if (cfg->output != GN_DSYNC_STEER) {
		if (cfg->output == GN_DSYNC_SOCK && cfg->sock) {
			rc = gn_refclock_sock_send(cfg->sock, ts_ns, offset_ns,
						   s->leap_set);
			if (rc < 0 && cfg->sock->failed == 1)
				gn_dlog(log, GN_DLOG_ERR,
					"refclock_sock: send failed: %s",
					strerror(-rc));
		} else if (cfg->output == GN_DSYNC_NTPSHM && cfg->shm) {
			gn_refclock_shm_send(cfg->shm, ts_ns, offset_ns,
					     s->leap_set);
		}
		s->state = GN_SERVO_UNLOCKED;
		report(cfg, s, offset_ns, 0.0, delay_ns, src_label, log);
		return 0;
	}

	offset_ns -= slew_left(cfg, s, ts_ns);
	cr = gn_clockcheck_sample(&s->check, ts_ns, mono_ref(s));
	if (cr != GN_CLOCKCHECK_OK) {
		gn_dlog(log, GN_DLOG_WARNING, "%s", gn_clockcheck_str(cr));
		gn_servo_reset(&s->servo);
	}
	adj = gn_servo_sample(&s->servo, offset_ns, ts_ns, 1.0, &state);
	s->state = state;
	switch (state) {
	case GN_SERVO_UNLOCKED:
		break;
	case GN_SERVO_JUMP:
		rc = gn_dclock_step(s->clk, -offset_ns);
		if (rc < 0) {
			gn_dlog(log, GN_DLOG_ERR, "%s: step failed: %s",
				s->clk->name, strerror(-rc));
			goto unlock;
		}
		gn_clockcheck_step(&s->check, -offset_ns);
		/* fall through */
	case GN_SERVO_LOCKED:
	case GN_SERVO_LOCKED_STABLE:
		if (gn_dclock_get_freq(s->clk, &cur) == 0) {
			cr = gn_clockcheck_freq(&s->check, cur);
			if (cr != GN_CLOCKCHECK_OK)
				gn_dlog(log, GN_DLOG_WARNING, "%s",
					gn_clockcheck_str(cr));
		}
		rc = gn_dclock_adjfreq(s->clk, adj);
		if (rc < 0) {
			gn_dlog(log, GN_DLOG_ERR,
				"%s: frequency adjustment failed: %s",
				s->clk->name, strerror(-rc));
			goto unlock;
		}
		if (s->clk->is_system && s->clk->is_utc)
			gn_dclock_set_sync(s->clk);
		gn_clockcheck_set_freq(&s->check, adj);
		break;
	}
	/* phc2sys prints the servo's correction with linuxptp's sign. */
	report(cfg, s, offset_ns, 0.0 - adj, delay_ns, src_label, log);
	return 0;
unlock:
	gn_servo_reset(&s->servo);
	s->state = GN_SERVO_UNLOCKED;
	return -EIO;
}

int gn_dsync_update(const struct gn_dsync_config *cfg, struct gn_dsync_sink *s,
		    struct gn_dclock *src, const struct gn_tprops *tp,
		    const char *src_label, const struct gn_dlog *log)
{
	struct gn_measurement m;
	int rc;

	rc = gn_dclock_compare(src, s->clk, cfg->readings, &m, NULL);
	if (rc < 0)
		return rc;
	return gn_dsync_apply(cfg, s, src, src->is_utc, m.offset_ns, m.ts_ns,
			      m.delay_ns, tp, src_label, log);
}

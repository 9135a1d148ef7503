/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gnomon-phc2sys.c - gnomon's phc2sys: synchronizes local clocks (PHCs,
 * CLOCK_REALTIME, PPS) with phc2sys's command line, configuration file
 * and log lines, talking to gnomond or ptp4l over the management socket
 * (docs/man/gnomon-phc2sys.8, docs/discipline.md).
 *
 * This file: the command line and the manual modes (-s/-c, -d PPS,
 * --extts_channel, -w, -O). The automatic mode and the management agent are in
 * gnomon-phc2sys-auto.c; clocks, servos, leap seconds and outputs in
 * src/discipline.
 *
 * Must not: adjust a clock it was not told to synchronize (the source is
 * only read; with --extts_channel the one clock steered is the PHC of
 * -c), or loop without checking for SIGINT/SIGTERM.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "dclock.h"
#include "discipline.h"
#include "gnomon-phc2sys.h"
#include "log.h"
#include "pps.h"
#include "refclock.h"

#define LONG_BASE 0x100
/* The tool's own long options (not configuration options): external
 * time stamps of a PHC as the source, named after ts2phc's settings. */
#define OPT_EXTTS_CHANNEL    0x80
#define OPT_EXTTS_PIN	     0x81
#define OPT_EXTTS_POLARITY   0x82
#define OPT_EXTTS_CORRECTION 0x83
#define MAX_DST		     P2S_MAX_DST

__attribute__((format(printf, 3, 0))) static void
tool_vlog(void *ctx, int level, const char *fmt, va_list ap)
{
	(void)ctx;
	gn_vlogf(level, fmt, ap);
}

static void on_signal(int sig)
{
	(void)sig;
	p2s_running = 0;
}

static void usage(const char *progname)
{
	fprintf(stderr,
		"\n"
		"usage: %s [options]\n\n"
		"\n"
		" automatic configuration:\n"
		" -a             turn on autoconfiguration\n"
		" -r             synchronize system clock\n"
		"                repeat -r to consider it also as a time "
		"source\n"
		" -C [name]      system clock to synchronize with -r "
		"(CLOCK_REALTIME)\n"
		"                or CLOCK_AUX0..CLOCK_AUX7\n"
		" manual configuration:\n"
		" -c [dev|name]  time sink device (CLOCK_REALTIME)\n"
		" -d [dev]       time source PPS device\n"
		" -s [dev|name]  time source device\n"
		" -O [offset]    sink-source time offset in seconds (0)\n"
		" -w             wait for ptp4l\n"
		" --extts_channel [n]    time source: external time stamp "
		"channel n of the\n"
		"                        sink PHC (-c), whole seconds from -s "
		"or the PHC\n"
		" --extts_pin [pin]      assign this pin to the channel first "
		"(-1: none)\n"
		" --extts_polarity [rising|falling] edge time stamped "
		"(rising)\n"
		" --extts_correction [ns] added to each time stamp (0)\n"
		" common options:\n"
		" -f [file]      configuration file\n"
		" -E [pi|linreg|kalman|ntpshm|refclock_sock] clock servo "
		"(pi)\n"
		" -P [kp]        proportional constant (0.7)\n"
		" -I [ki]        integration constant (0.3)\n"
		" -S [step]      step threshold (disabled)\n"
		" -F [step]      step threshold only on start (0.00002)\n"
		" -R [rate]      update rate for the time sink devices in HZ "
		"(1.0)\n"
		" -N [num]       number of source clock readings per update "
		"(5)\n"
		" -L [limit]     sanity frequency limit in ppb (200000000)\n"
		" -M [num]       NTP SHM segment number (0)\n"
		" -u [num]       number of clock updates in summary stats (0)\n"
		" -n [num]       domain number (0)\n"
		" -x             apply leap seconds by servo instead of "
		"kernel\n"
		" -z [path]      server address for UDS "
		"(/var/run/ptp/ptp4l)\n"
		" -l [num]       set the logging level to 'num' (6)\n"
		" -t [tag]       add tag to log messages\n"
		" -m             print messages to stdout\n"
		" -q             do not print messages to the syslog\n"
		" -v             prints the software version and exits\n"
		" -h             prints this message and exits\n"
		" --NAME VALUE   any configuration file option\n"
		"\n",
		progname);
}

/* Strict number parsing, as phc2sys's get_arg_val_*. */
static int arg_double(int opt, const char *s, double *v, double lo, double hi)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	if (end == s || *end || errno == ERANGE || !isfinite(*v) || *v < lo ||
	    *v > hi) {
		fprintf(stderr, "-%c: bad value '%s' (allowed %g..%g)\n", opt,
			s, lo, hi);
		return -EINVAL;
	}
	return 0;
}

static int arg_int(int opt, const char *s, long long *v, long long lo,
		   long long hi)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 0);
	if (end == s || *end || errno == ERANGE || *v < lo || *v > hi) {
		fprintf(stderr, "-%c: bad value '%s' (allowed %lld..%lld)\n",
			opt, s, lo, hi);
		return -EINVAL;
	}
	return 0;
}

/* A number for one of the tool's long options. */
static int arg_long(const struct option *lo, int val, const char *s,
		    long long *v, long long lo_v, long long hi_v)
{
	const char *name = "?";
	char *end;
	unsigned i;

	for (i = 0; lo[i].name; i++)
		if (lo[i].val == val)
			name = lo[i].name;
	errno = 0;
	*v = strtoll(s, &end, 0);
	if (end == s || *end || errno == ERANGE || *v < lo_v || *v > hi_v) {
		fprintf(stderr, "--%s: bad value '%s' (allowed %lld..%lld)\n",
			name, s, lo_v, hi_v);
		return -EINVAL;
	}
	return 0;
}

/* What the command line gives outside the configuration. */
struct tool_opts {
	int servo; /* -E; -1: clock_servo of the configuration */
};

static int parse_servo(const char *s)
{
	if (!strcasecmp(s, "pi"))
		return GN_CFG_SERVO_PI;
	if (!strcasecmp(s, "linreg"))
		return GN_CFG_SERVO_LINREG;
	if (!strcasecmp(s, "kalman"))
		return GN_CFG_SERVO_KALMAN;
	if (!strcasecmp(s, "ntpshm"))
		return GN_CFG_SERVO_NTPSHM;
	if (!strcasecmp(s, "refclock_sock"))
		return GN_CFG_SERVO_REFCLOCK_SOCK;
	return -1;
}

/*
 * -C: as phc2sys, CLOCK_REALTIME or an auxiliary clock CLOCK_AUX0..7
 * (Linux 6.17; whether the kernel has it is checked when it is opened,
 * so that a fake clock can stand in for it). The clock -r steers must be
 * steerable: not CLOCK_TAI, never a PHC.
 */
static int check_sys_clock(const char *name)
{
	clockid_t id;
	bool steerable;
	int rc = gn_dclock_system_id(name, &id, &steerable);

	if (rc == 0 && steerable)
		return 0;
	if (rc == 0)
		fprintf(stderr,
			"invalid system clock %s: it cannot be steered (it "
			"is CLOCK_REALTIME plus the kernel's TAI offset)\n",
			name);
	else if (rc == -ENOENT)
		fprintf(stderr,
			"invalid system clock %s: not CLOCK_REALTIME or "
			"CLOCK_AUX0..CLOCK_AUX7\n",
			name);
	else
		fprintf(stderr,
			"invalid clock %s: system clocks are CLOCK_REALTIME "
			"and CLOCK_AUX0..CLOCK_AUX7\n",
			name);
	return -EINVAL;
}

static const struct option tool_long_options[] = {
    {"extts_channel", required_argument, NULL, OPT_EXTTS_CHANNEL},
    {"extts_pin", required_argument, NULL, OPT_EXTTS_PIN},
    {"extts_polarity", required_argument, NULL, OPT_EXTTS_POLARITY},
    {"extts_correction", required_argument, NULL, OPT_EXTTS_CORRECTION},
};
#define N_TOOL_LONG (sizeof(tool_long_options) / sizeof(tool_long_options[0]))

/* Every configuration option as --NAME VALUE, then the tool's own. */
static struct option *long_options(void)
{
	unsigned n = gn_config_num_options(), i;
	struct option *lo = calloc(n + N_TOOL_LONG + 1, sizeof(*lo));

	if (!lo)
		return NULL;
	for (i = 0; i < n; i++) {
		lo[i].name = gn_config_option(i)->name;
		lo[i].has_arg = required_argument;
		lo[i].val = LONG_BASE + (int)i;
	}
	for (i = 0; i < N_TOOL_LONG; i++)
		lo[n + i] = tool_long_options[i];
	return lo;
}

static int set_opt(struct gn_config *cfg, const char *name, const char *value)
{
	char err[GN_CONFIG_ERR_MAX];

	if (gn_config_set_cmdline(cfg, name, value, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return -EINVAL;
	}
	return 0;
}

/* The settings common to every mode, from the configuration. */
static int settings_from_config(struct p2s_settings *st, struct gn_config *cfg,
				const struct tool_opts *to, double interval_s,
				int readings, unsigned stats)
{
	struct gn_dsync_config *dc = &st->dc;
	int servo = GN_CFG_SERVO_PI; /* phc2sys's default, not gnomond's */
	char err[256];

	if (to->servo >= 0)
		servo = to->servo;
	else if (gn_config_is_set(cfg, NULL, "clock_servo"))
		servo = (int)gn_config_get_int(cfg, NULL, "clock_servo");

	gn_dsync_config_default(dc);
	gn_dsync_config_servo(dc, servo);
	gn_dlog(&st->log, GN_DLOG_DEBUG, "clock servo %s",
		dc->output == GN_DSYNC_NTPSHM ? "ntpshm"
		: dc->output == GN_DSYNC_SOCK
		    ? "refclock_sock"
		    : gn_servo_type_str(dc->servo.type));
	/* phc2sys's constants unless the file or command line set them. */
	if (gn_config_is_set(cfg, NULL, "pi_proportional_const"))
		dc->servo.pi_kp =
		    gn_config_get_double(cfg, NULL, "pi_proportional_const");
	if (gn_config_is_set(cfg, NULL, "pi_integral_const"))
		dc->servo.pi_ki =
		    gn_config_get_double(cfg, NULL, "pi_integral_const");
	dc->servo.step_threshold_ns =
	    llround(gn_config_get_double(cfg, NULL, "step_threshold") * 1e9);
	dc->servo.first_step_threshold_ns = llround(
	    gn_config_get_double(cfg, NULL, "first_step_threshold") * 1e9);
	dc->servo.max_frequency_ppb =
	    (double)gn_config_get_int(cfg, NULL, "max_frequency");
	dc->servo.offset_threshold_ns =
	    gn_config_get_int(cfg, NULL, "servo_offset_threshold");
	dc->servo.num_offset_values =
	    (unsigned)gn_config_get_int(cfg, NULL, "servo_num_offset_values");
	dc->interval_s = interval_s;
	dc->readings = readings;
	dc->stats_max_count = stats;
	dc->free_running = gn_config_get_int(cfg, NULL, "free_running") != 0;
	dc->kernel_leap = gn_config_get_int(cfg, NULL, "kernel_leap") != 0;
	dc->sanity_freq_limit_ppb =
	    (double)gn_config_get_int(cfg, NULL, "sanity_freq_limit");
	if (dc->free_running || dc->output != GN_DSYNC_STEER) {
		dc->kernel_leap = false;
		dc->sanity_freq_limit_ppb = 0;
	}
	if (gn_fakeset_parse(
		&st->fakes,
		gn_config_get_string(cfg, NULL, "discipline_fake_clocks"), err,
		sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return -EINVAL;
	}
	return 0;
}

static struct gn_refclock_sock sock_out;
static struct gn_refclock_shm shm_out;

static int open_output(struct p2s_settings *st, struct gn_config *cfg)
{
	char err[200];
	int rc = 0;

	if (st->dc.output == GN_DSYNC_SOCK) {
		rc = gn_refclock_sock_open(
		    &sock_out,
		    gn_config_get_string(cfg, NULL, "refclock_sock_address"),
		    err, sizeof(err));
		st->dc.sock = &sock_out;
	} else if (st->dc.output == GN_DSYNC_NTPSHM) {
		rc = gn_refclock_shm_open(
		    &shm_out,
		    (int)gn_config_get_int(cfg, NULL, "ntpshm_segment"), err,
		    sizeof(err));
		st->dc.shm = &shm_out;
	}
	if (rc)
		gn_dlog(&st->log, GN_DLOG_ERR, "%s", err);
	return rc;
}

static void close_output(struct p2s_settings *st)
{
	if (st->dc.output == GN_DSYNC_SOCK)
		gn_refclock_sock_close(&sock_out);
	else if (st->dc.output == GN_DSYNC_NTPSHM)
		gn_refclock_shm_close(&shm_out);
}

/* ---- manual mode ---- */

struct manual {
	struct p2s_settings *st;
	struct gn_dclock src;
	bool have_src;
	struct gn_dclock dst[MAX_DST];
	struct gn_dsync_sink sink[MAX_DST];
	unsigned ndst;
	struct p2s_agent agent;
	bool agent_on;
	struct gn_tprops tp;
};

static bool same_clock(const struct gn_dclock *a, const struct gn_dclock *b)
{
	if (a->phc_index >= 0 && a->phc_index == b->phc_index)
		return true;
	if (a->kind == GN_DCLOCK_FAKE && b->kind == GN_DCLOCK_FAKE)
		return a->fake == b->fake;
	return a->kind == GN_DCLOCK_SYSTEM && b->kind == GN_DCLOCK_SYSTEM &&
	       a->clkid == b->clkid;
}

static void manual_tp(struct manual *m)
{
	if (m->st->dc.forced_sync_offset) {
		memset(&m->tp, 0, sizeof(m->tp));
		m->tp.utc_offset_s = m->st->utc_offset_forced_s;
	} else if (m->agent_on) {
		p2s_agent_update(&m->agent, &m->st->log);
		m->tp = m->agent.tp;
	}
}

static int manual_loop(struct manual *m)
{
	unsigned i;
	int rc;

	while (p2s_running) {
		p2s_sleep(m->st->dc.interval_s);
		manual_tp(m);
		for (i = 0; i < m->ndst; i++) {
			if (same_clock(&m->dst[i], &m->src))
				continue;
			rc = gn_dsync_update(
			    &m->st->dc, &m->sink[i], &m->src, &m->tp,
			    m->src.is_system ? "sys" : "phc", &m->st->log);
			if (rc < 0 && rc != -EPERM && rc != -EIO) {
				gn_dlog(&m->st->log, GN_DLOG_ERR,
					"failed to read clock: %s",
					strerror(-rc));
				return rc;
			}
		}
	}
	return 0;
}

/* Pulse sources (PPS, EXTTS): one sample a second; without a source
 * clock whole seconds cannot be known from the pulses, so no UTC offset
 * can be applied. */
static void pulse_begin(struct manual *m)
{
	m->st->dc.interval_s = 1.0;
	if (!m->have_src) {
		m->st->dc.forced_sync_offset = true;
		m->st->utc_offset_forced_s = 0;
	}
}

/* Feeds one pulse's offset to the (single) sink; utc: whether the
 * reference keeps UTC when there is no source clock. */
static void pulse_apply(struct manual *m, int64_t off, int64_t ts, bool utc,
			const char *label)
{
	manual_tp(m);
	gn_dsync_apply(&m->st->dc, &m->sink[0], m->have_src ? &m->src : NULL,
		       m->have_src ? m->src.is_utc : utc, off, ts, -1, &m->tp,
		       label, &m->st->log);
}

static int pps_loop(struct manual *m, struct gn_pps *pps)
{
	int64_t pps_ts, off;
	int rc;

	pulse_begin(m);
	while (p2s_running) {
		rc = gn_pps_fetch(pps, 10000, &pps_ts);
		if (rc) {
			if (rc != -EINTR)
				gn_dlog(&m->st->log, GN_DLOG_ERR,
					"failed to fetch PPS: %s",
					strerror(-rc));
			if (!p2s_running)
				break;
			continue;
		}
		off = gn_pps_offset(pps_ts);
		if (m->have_src) {
			struct gn_measurement meas;
			int64_t phc_now;

			rc = gn_dclock_compare(&m->src, &m->dst[0],
					       m->st->dc.readings, &meas, NULL);
			if (rc)
				return rc;
			phc_now = meas.ts_ns - meas.offset_ns;
			if (gn_pps_phc_offset(pps_ts, phc_now, &off) < 0) {
				gn_dlog(
				    &m->st->log, GN_DLOG_WARNING,
				    "PPS is not in sync with PHC (0.%09lld)",
				    (long long)(((phc_now % 1000000000) +
						 1000000000) %
						1000000000));
				continue;
			}
		}
		pulse_apply(m, off, pps_ts, true, "pps");
	}
	return 0;
}

/*
 * --extts_channel: the sink PHC stamps the pulses of a reference (a
 * GNSS receiver's PPS) on one of its pins and follows them; the whole
 * seconds come from the source clock (-s) when there is one, else from
 * the PHC itself.
 */
static int extts_loop(struct manual *m, struct gn_pps *x)
{
	int64_t ts, off;
	int rc;

	pulse_begin(m);
	while (p2s_running) {
		rc =
		    gn_extts_sample(x, &m->dst[0], m->have_src ? &m->src : NULL,
				    m->st->dc.readings, 10000, &off, &ts);
		if (rc == -EAGAIN) {
			gn_dlog(&m->st->log, GN_DLOG_WARNING,
				"external time stamp is not in sync with %s "
				"(%+.9f s from its second)",
				m->src.name, (double)off / 1e9);
			continue;
		}
		if (rc == -EINTR)
			continue;
		if (rc == -ETIMEDOUT) {
			gn_dlog(&m->st->log, GN_DLOG_ERR,
				"no external time stamp on %s channel %u in "
				"10 s",
				m->dst[0].name, x->channel);
			continue;
		}
		if (rc) {
			gn_dlog(&m->st->log, GN_DLOG_ERR,
				"failed to read external time stamp: %s",
				strerror(-rc));
			return rc;
		}
		pulse_apply(m, off, ts, m->dst[0].is_utc, "extts");
	}
	return 0;
}

static int run_manual(struct p2s_settings *st, const char *src_name,
		      const char *pps_dev, const struct gn_extts_config *ext,
		      const char *const *dst, unsigned ndst, bool wait_sync,
		      const char *uds, uint8_t domain, uint8_t sdo_major)
{
	static struct manual m;
	struct gn_pps pps = {.fd = -1};
	char err[200];
	bool using_sys = false;
	unsigned i;
	int rc;

	memset(&m, 0, sizeof(m));
	m.st = st;
	for (i = 0; i < ndst; i++) {
		rc = gn_dclock_open(&m.dst[i], dst[i], &st->fakes, err,
				    sizeof(err));
		if (rc) {
			fprintf(stderr,
				"%s\nvalid destination clock must be "
				"selected.\n",
				err);
			return rc;
		}
		m.ndst++;
		if (m.dst[i].is_system && m.dst[i].read_only) {
			fprintf(stderr,
				"%s cannot be a sink: it follows "
				"CLOCK_REALTIME (synchronize that instead)\n"
				"valid destination clock must be selected.\n",
				dst[i]);
			rc = -EINVAL;
			goto out;
		}
		gn_dsync_sink_init(&m.sink[i], &m.dst[i], &st->dc);
		using_sys |= m.dst[i].is_system;
	}
	if (src_name) {
		rc = gn_dclock_open(&m.src, src_name, &st->fakes, err,
				    sizeof(err));
		if (rc) {
			fprintf(stderr,
				"%s\nvalid source clock must be selected.\n",
				err);
			goto out;
		}
		m.have_src = true;
		using_sys |= m.src.is_system;
	}
	if (pps_dev) {
		rc = gn_pps_open(&pps, pps_dev, err, sizeof(err));
		if (rc) {
			fprintf(stderr, "%s\n", err);
			goto out;
		}
	}
	if (ext) {
		rc = gn_extts_open(&pps, &m.dst[0], ext, err, sizeof(err));
		if (rc) {
			fprintf(stderr, "%s\n", err);
			goto out;
		}
		/* The PHC's own seconds: no offset between time scales
		 * applies, no daemon is needed. */
		if (!src_name) {
			st->dc.forced_sync_offset = true;
			st->utc_offset_forced_s = 0;
		}
	}
	if (wait_sync || !st->dc.forced_sync_offset) {
		rc = p2s_agent_open(&m.agent, uds, domain, sdo_major, 0,
				    &st->log);
		if (rc)
			goto out;
		m.agent_on = true;
		while (wait_sync && p2s_running) {
			rc = p2s_agent_wait_sync(&m.agent, 1000);
			if (rc < 0 && rc != -ECONNREFUSED && rc != -ENOENT)
				goto out;
			if (rc > 0)
				break;
			gn_dlog(&st->log, GN_DLOG_NOTICE,
				"Waiting for ptp4l...");
			if (rc < 0)
				p2s_sleep(1.0);
		}
		if (!st->dc.forced_sync_offset) {
			rc = p2s_agent_query_utc(&m.agent, 1000);
			if (rc) {
				gn_dlog(&st->log, GN_DLOG_ERR,
					"failed to get UTC offset");
				goto out;
			}
			m.tp = m.agent.tp;
		}
		if (st->dc.forced_sync_offset || !using_sys ||
		    (pps_dev && !src_name)) {
			p2s_agent_close(&m.agent);
			m.agent_on = false;
		}
	}
	if (pps_dev)
		rc = pps_loop(&m, &pps);
	else if (ext)
		rc = extts_loop(&m, &pps);
	else
		rc = manual_loop(&m);
out:
	if (m.agent_on)
		p2s_agent_close(&m.agent);
	gn_pps_close(&pps);
	for (i = 0; i < m.ndst; i++)
		gn_dclock_close(&m.dst[i]);
	if (m.have_src)
		gn_dclock_close(&m.src);
	return rc;
}

int main(int argc, char *argv[])
{
	static struct p2s_settings st;
	const char *progname, *config_file = NULL, *src_name = NULL;
	const char *pps_dev = NULL, *sys_clock = "CLOCK_REALTIME";
	const char *dst[MAX_DST], *uds[P2S_MAX_DOMAINS];
	int domains[P2S_MAX_DOMAINS];
	unsigned ndst = 0, nuds = 0, ndom = 0;
	struct tool_opts to = {.servo = -1};
	struct gn_extts_config ext = {.pin = -1, .edge = GN_EXTTS_RISING};
	bool autocfg = false, wait_sync = false, forced = false;
	bool use_extts = false, extts_extra = false;
	double rate_interval = 1.0, d;
	long long v, readings = 5, stats = 0, offset = 0;
	int rt = 0, c, rc = 1;
	struct gn_config *cfg;
	struct option *lo;
	char err[GN_CONFIG_ERR_MAX];
	struct sigaction sa;

	progname = strrchr(argv[0], '/');
	progname = progname ? progname + 1 : argv[0];
	cfg = gn_config_create();
	lo = long_options();
	if (!cfg || !lo) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}
	/* clock_servo ntpshm / refclock_sock: the tool's, in files and
	 * --clock_servo alike. */
	gn_config_set_accept_hook(cfg, gn_discipline_config_accept, NULL);
	while ((c = getopt_long(argc, argv,
				"arC:c:d:f:s:E:P:I:S:F:R:N:O:L:M:i:u:wn:xz:l:t:"
				"mqvh",
				lo, NULL)) != -1) {
		if (c >= LONG_BASE) {
			const char *name = lo[c - LONG_BASE].name;

			if (set_opt(cfg, name, optarg))
				goto bad_usage;
			continue;
		}
		switch (c) {
		case OPT_EXTTS_CHANNEL:
			if (arg_long(lo, c, optarg, &v, 0, 1023))
				goto end;
			ext.channel = (unsigned)v;
			use_extts = true;
			break;
		case OPT_EXTTS_PIN:
			if (arg_long(lo, c, optarg, &v, -1, 1023))
				goto end;
			ext.pin = (int)v;
			extts_extra = true;
			break;
		case OPT_EXTTS_POLARITY:
			if (!strcasecmp(optarg, "rising")) {
				ext.edge = GN_EXTTS_RISING;
			} else if (!strcasecmp(optarg, "falling")) {
				ext.edge = GN_EXTTS_FALLING;
			} else {
				fprintf(stderr,
					"--extts_polarity: bad value '%s' "
					"(allowed: rising, falling)\n",
					optarg);
				goto end;
			}
			extts_extra = true;
			break;
		case OPT_EXTTS_CORRECTION:
			if (arg_long(lo, c, optarg, &v, -1000000000LL,
				     1000000000LL))
				goto end;
			ext.correction_ns = v;
			extts_extra = true;
			break;
		case 'a':
			autocfg = true;
			break;
		case 'r':
			rt++;
			break;
		case 'C':
			if (check_sys_clock(optarg))
				goto end;
			sys_clock = optarg;
			break;
		case 'c':
			if (ndst == MAX_DST) {
				fprintf(stderr, "too many sink clocks\n");
				goto bad_usage;
			}
			dst[ndst++] = optarg;
			break;
		case 'd':
			pps_dev = optarg;
			break;
		case 'f':
			config_file = optarg;
			break;
		case 'i':
			fprintf(stderr, "'-i' has been deprecated. please use "
					"'-s' instead.\n");
			/* fall through */
		case 's':
			src_name = optarg;
			break;
		case 'E':
			to.servo = parse_servo(optarg);
			if (to.servo < 0) {
				fprintf(stderr, "invalid servo name %s\n",
					optarg);
				goto end;
			}
			break;
		case 'P':
			if (arg_double(c, optarg, &d, 0.0, 1e300) ||
			    set_opt(cfg, "pi_proportional_const", optarg))
				goto end;
			break;
		case 'I':
			if (arg_double(c, optarg, &d, 0.0, 1e300) ||
			    set_opt(cfg, "pi_integral_const", optarg))
				goto end;
			break;
		case 'S':
			if (arg_double(c, optarg, &d, 0.0, 1e300) ||
			    set_opt(cfg, "step_threshold", optarg))
				goto end;
			break;
		case 'F':
			if (arg_double(c, optarg, &d, 0.0, 1e300) ||
			    set_opt(cfg, "first_step_threshold", optarg))
				goto end;
			break;
		case 'R':
			if (arg_double(c, optarg, &d, 1e-9, 1e300))
				goto end;
			rate_interval = 1.0 / d;
			break;
		case 'N':
			if (arg_int(c, optarg, &readings, 1, INT_MAX))
				goto end;
			break;
		case 'O':
			if (arg_int(c, optarg, &offset, INT_MIN, INT_MAX))
				goto end;
			forced = true;
			break;
		case 'L':
			if (arg_int(c, optarg, &v, 0, INT_MAX) ||
			    set_opt(cfg, "sanity_freq_limit", optarg))
				goto end;
			break;
		case 'M':
			if (arg_int(c, optarg, &v, INT_MIN, INT_MAX) ||
			    set_opt(cfg, "ntpshm_segment", optarg))
				goto end;
			break;
		case 'u':
			if (arg_int(c, optarg, &stats, 0, UINT_MAX))
				goto end;
			break;
		case 'w':
			wait_sync = true;
			break;
		case 'n':
			if (ndom == P2S_MAX_DOMAINS) {
				fprintf(stderr, "too many domains\n");
				goto end;
			}
			if (arg_int(c, optarg, &v, 0, 255))
				goto end;
			domains[ndom++] = (int)v;
			break;
		case 'x':
			if (set_opt(cfg, "kernel_leap", "0"))
				goto end;
			break;
		case 'z':
			if (strlen(optarg) >= 108) {
				fprintf(stderr, "path %s too long, max is %d\n",
					optarg, 107);
				goto end;
			}
			if (nuds == P2S_MAX_DOMAINS) {
				fprintf(stderr, "too many domains\n");
				goto end;
			}
			uds[nuds++] = optarg;
			break;
		case 'l':
			if (arg_int(c, optarg, &v, 0, 7) ||
			    set_opt(cfg, "logging_level", optarg))
				goto end;
			break;
		case 't':
			if (set_opt(cfg, "message_tag", optarg))
				goto end;
			break;
		case 'm':
			set_opt(cfg, "verbose", "1");
			break;
		case 'q':
			set_opt(cfg, "use_syslog", "0");
			break;
		case 'v':
			printf("gnomon 0.1.0\n");
			rc = 0;
			goto end;
		case 'h':
			usage(progname);
			rc = 0;
			goto end;
		default:
			goto bad_usage;
		}
	}
	if (optind < argc)
		goto bad_usage;
	if (config_file &&
	    gn_config_read(cfg, config_file, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		goto end;
	}
	if (!autocfg && ndst == 0)
		dst[ndst++] = "CLOCK_REALTIME";
	if (extts_extra && !use_extts) {
		fprintf(stderr, "--extts_pin, --extts_polarity and "
				"--extts_correction need --extts_channel\n");
		goto bad_usage;
	}
	if (autocfg &&
	    (src_name || pps_dev || wait_sync || forced || use_extts)) {
		fprintf(stderr, "autoconfiguration cannot be mixed with manual "
				"config options.\n");
		goto bad_usage;
	}
	if (!autocfg && nuds > 1) {
		fprintf(stderr,
			"autoconfiguration needed with multiple domains.\n");
		goto bad_usage;
	}
	if (!autocfg && !pps_dev && !use_extts && !src_name) {
		fprintf(stderr, "autoconfiguration or valid source clock must "
				"be selected.\n");
		goto bad_usage;
	}
	if (pps_dev && (ndst != 1 || strcmp(dst[0], "CLOCK_REALTIME"))) {
		fprintf(stderr, "cannot use a pps device unless destination is "
				"CLOCK_REALTIME\n");
		goto bad_usage;
	}
	if (use_extts && pps_dev) {
		fprintf(stderr, "cannot use a pps device and an external time "
				"stamp channel together\n");
		goto bad_usage;
	}
	if (use_extts && (ndst != 1 || !strncasecmp(dst[0], "CLOCK_", 6))) {
		fprintf(stderr, "cannot use an external time stamp channel "
				"unless destination is one PHC (-c)\n");
		goto bad_usage;
	}

	gn_log_setup(progname,
		     (int)gn_config_get_int(cfg, NULL, "logging_level"),
		     gn_config_get_int(cfg, NULL, "verbose") != 0,
		     gn_config_get_int(cfg, NULL, "use_syslog") != 0,
		     gn_config_get_string(cfg, NULL, "message_tag"));
	st.log.fn = tool_vlog;
	st.log.ctx = NULL;
	if (settings_from_config(&st, cfg, &to, rate_interval, (int)readings,
				 (unsigned)stats))
		goto end;
	st.dc.forced_sync_offset = forced;
	st.utc_offset_forced_s = (int)offset;
	st.subscribe_interval_s =
	    rate_interval < 10 ? 10 : (unsigned)rate_interval;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (open_output(&st, cfg))
		goto end;
	if (nuds == 0)
		uds[nuds++] = gn_config_get_string(cfg, NULL, "uds_address");
	if (ndom == 0)
		domains[ndom++] =
		    (int)gn_config_get_int(cfg, NULL, "domainNumber");
	if (autocfg) {
		for (unsigned i = 0; i < ndst; i++) {
			if (!strncasecmp("CLOCK_", dst[i], 6)) {
				fprintf(stderr,
					"additional system clocks not "
					"supported in automatic mode\n");
				goto end_out;
			}
		}
		rc = p2s_run_auto(
		    &st, uds, nuds, domains, ndom,
		    (uint8_t)gn_config_get_int(cfg, NULL, "transportSpecific"),
		    rt, sys_clock, dst, ndst);
	} else {
		rc = run_manual(
		    &st, src_name, pps_dev, use_extts ? &ext : NULL, dst, ndst,
		    wait_sync, uds[nuds - 1], (uint8_t)domains[ndom - 1],
		    (uint8_t)gn_config_get_int(cfg, NULL, "transportSpecific"));
	}
	rc = rc ? 1 : 0;
end_out:
	close_output(&st);
end:
	gn_log_close();
	free(lo);
	gn_config_destroy(cfg);
	return rc;
bad_usage:
	usage(progname);
	free(lo);
	gn_config_destroy(cfg);
	return 1;
}

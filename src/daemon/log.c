/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * log.c - ptp4l-format logging for the daemon (the core logs through
 * gn_env.vlog, which lands here). Process-wide state: the daemon has
 * one log. Never used by the core.
 */
#include "log.h"

#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

static struct {
	char progname[64];
	char tag[64];
	int level;
	bool verbose;
	bool use_syslog;
	bool syslog_open;
	gn_log_hook_fn hook;
	void *hook_ctx;
} lg = {
    .progname = "gnomond",
    .level = 6,
    .use_syslog = true,
};

void gn_log_setup(const char *progname, int level, bool verbose,
		  bool use_syslog, const char *tag)
{
	snprintf(lg.progname, sizeof(lg.progname), "%s",
		 progname ? progname : "gnomond");
	snprintf(lg.tag, sizeof(lg.tag), "%s", tag ? tag : "");
	lg.level = level;
	lg.verbose = verbose;
	lg.use_syslog = use_syslog;
	if (use_syslog && !lg.syslog_open) {
		openlog(lg.progname, LOG_PID, LOG_DAEMON);
		lg.syslog_open = true;
	}
}

void gn_log_set_hook(gn_log_hook_fn fn, void *ctx)
{
	lg.hook = fn;
	lg.hook_ctx = ctx;
}

void gn_log_close(void)
{
	if (lg.syslog_open)
		closelog();
	lg.syslog_open = false;
}

bool gn_log_enabled(int level)
{
	return level <= lg.level && (lg.verbose || lg.use_syslog);
}

/* message_tag is printed verbatim, then a space; "{level}" in it
 * becomes the level digit (as linuxptp does). */
static void log_tag(int level, char *out, size_t cap)
{
	static const char marker[] = "{level}";
	const char *s;
	size_t pre;

	out[0] = '\0';
	if (!lg.tag[0])
		return;
	s = strstr(lg.tag, marker);
	if (!s) {
		snprintf(out, cap, "%s ", lg.tag);
		return;
	}
	pre = (size_t)(s - lg.tag);
	snprintf(out, cap, "%.*s%c%s ", (int)pre, lg.tag, '0' + level,
		 s + sizeof(marker) - 1);
}

void gn_vlogf(int level, const char *fmt, va_list ap)
{
	char buf[1024], tag[160];
	struct timespec ts;

	if (level > lg.level)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	log_tag(level, tag, sizeof(tag));
	if (lg.verbose) {
		FILE *f = level >= LOG_NOTICE ? stdout : stderr;

		fprintf(f, "%s[%lld.%03ld]: %s%s\n", lg.progname,
			(long long)ts.tv_sec, ts.tv_nsec / 1000000, tag, buf);
		fflush(f);
	}
	if (lg.use_syslog)
		syslog(level, "[%lld.%03ld] %s%s", (long long)ts.tv_sec,
		       ts.tv_nsec / 1000000, tag, buf);
	if (lg.hook)
		lg.hook(lg.hook_ctx, level, buf);
}

void gn_logf(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gn_vlogf(level, fmt, ap);
	va_end(ap);
}

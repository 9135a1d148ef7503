/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * log.h - gnomond's logging, in ptp4l's format: with -m (verbose) lines
 * go to stdout/stderr as "PROG[MONO_S.MS]: [TAG ]MESSAGE"; unless -q
 * (use_syslog 0) they also go to syslog. logging_level filters both.
 */
#ifndef GN_DAEMON_LOG_H
#define GN_DAEMON_LOG_H

#include <stdarg.h>
#include <stdbool.h>

void gn_log_setup(const char *progname, int level, bool verbose,
		  bool use_syslog, const char *tag);
void gn_log_close(void);
void gn_vlogf(int level, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
void gn_logf(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A hook that sees every line that passes the level filter (the
 * monitoring event log). NULL removes it. */
typedef void (*gn_log_hook_fn)(void *ctx, int level, const char *line);
void gn_log_set_hook(gn_log_hook_fn fn, void *ctx);
/* Whether a message at level would be printed anywhere. */
bool gn_log_enabled(int level);

#define pr_err(...)	gn_logf(3, __VA_ARGS__)
#define pr_warning(...) gn_logf(4, __VA_ARGS__)
#define pr_notice(...)	gn_logf(5, __VA_ARGS__)
#define pr_info(...)	gn_logf(6, __VA_ARGS__)
#define pr_debug(...)	gn_logf(7, __VA_ARGS__)

#endif

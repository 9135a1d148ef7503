/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dlog.h - how the clock-discipline modules log: through a function the
 * host gives them (gnomond's logger, the tool's phc2sys-format logger,
 * or a test's recorder). The modules keep no logging state of their own
 * and never print.
 */
#ifndef GN_DISCIPLINE_DLOG_H
#define GN_DISCIPLINE_DLOG_H

#include <stdarg.h>
#include <stddef.h>

/* Levels as syslog's (3 err, 4 warning, 5 notice, 6 info, 7 debug). */
#define GN_DLOG_ERR	3
#define GN_DLOG_WARNING 4
#define GN_DLOG_NOTICE	5
#define GN_DLOG_INFO	6
#define GN_DLOG_DEBUG	7

typedef void (*gn_dlog_fn)(void *ctx, int level, const char *fmt, va_list ap);

struct gn_dlog {
	gn_dlog_fn fn; /* NULL: silent */
	void *ctx;
};

void gn_dlog(const struct gn_dlog *log, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif

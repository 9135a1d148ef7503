/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dlog.c - logging through the host's function (see dlog.h). Keeps no
 * state and prints nothing by itself.
 */
#include "dlog.h"

void gn_dlog(const struct gn_dlog *log, int level, const char *fmt, ...)
{
	va_list ap;

	if (!log || !log->fn)
		return;
	va_start(ap, fmt);
	log->fn(log->ctx, level, fmt, ap);
	va_end(ap);
}

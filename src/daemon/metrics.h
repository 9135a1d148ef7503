/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * metrics.h - the daemon's outside view for monitoring (issue 7): an
 * HTTP endpoint (Prometheus text, dashboard, event stream) served from
 * its own thread, fed by snapshots the protocol loop hands over. The
 * loop never blocks on it.
 */
#ifndef GN_DAEMON_METRICS_H
#define GN_DAEMON_METRICS_H

#include <stddef.h>

#include "clock.h"
#include "config.h"
#include "pclock.h"

struct gn_metrics;

/* NULL with err[0] == '\0' when disabled by configuration; NULL with a
 * message when enabled but impossible (e.g. the address is in use). */
struct gn_metrics *gn_metrics_start(const struct gn_config *cfg, char *err,
				    size_t errlen);
/* Copies what monitoring needs from the clock (called after each core
 * call that may have changed it; cheap). */
void gn_metrics_update(struct gn_metrics *m, const struct gn_clock *c,
		       struct gn_pclock *clk);
/* A log line for the event log (already formatted, without prefix). */
void gn_metrics_event(struct gn_metrics *m, int level, const char *line);
void gn_metrics_stop(struct gn_metrics *m);

#endif

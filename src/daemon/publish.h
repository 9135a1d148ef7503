/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * publish.h - the daemon side of the time service: the shared-memory
 * page that libgnomon reads (mapping local kernel clock -> synchronized
 * time, error bound, state, UTC offset, grandmaster). Issue 5.
 */
#ifndef GN_DAEMON_PUBLISH_H
#define GN_DAEMON_PUBLISH_H

#include <stddef.h>

#include "clock.h"
#include "config.h"
#include "pclock.h"

struct gn_publisher;

/* Why an update is published. */
enum gn_publish_reason {
	GN_PUBLISH_START = 0,
	GN_PUBLISH_SERVO,  /* a servo update (offset sample) */
	GN_PUBLISH_STATE,  /* a port state change */
	GN_PUBLISH_PARENT, /* new parent / grandmaster */
	GN_PUBLISH_TICK,   /* periodic (holdover bookkeeping) */
};

/* Opens (creates) the page as configured (NULL with a message in err
 * when publication is configured but impossible; NULL with err[0] ==
 * '\0' when publication is disabled). */
struct gn_publisher *gn_publish_open(const struct gn_config *cfg, char *err,
				     size_t errlen);
/* Publishes the clock's current state. Never blocks. */
void gn_publish_update(struct gn_publisher *p, const struct gn_clock *c,
		       struct gn_pclock *clk, enum gn_publish_reason why);
/* Marks the page as abandoned and unmaps it. NULL is fine. */
void gn_publish_close(struct gn_publisher *p);

#endif

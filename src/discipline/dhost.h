/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dhost.h - the automatic mode's host, shared by gnomon-phc2sys -a and
 * gnomond's discipline: it keeps the autocfg decisions (autocfg.h), one
 * opened clock (dclock.h) and one servo state (dsync.h) per clock, and
 * at each tick reconfigures when port states changed and updates every
 * sink of every domain from its source. Where port states and time
 * properties come from (management messages, the daemon's own core) is
 * the caller's business.
 */
#ifndef GN_DISCIPLINE_DHOST_H
#define GN_DISCIPLINE_DHOST_H

#include <stdbool.h>

#include "autocfg.h"
#include "dclock.h"
#include "dsync.h"

struct gn_dhost {
	struct gn_autocfg ac;
	struct gn_dsync_config cfg;
	struct gn_dlog log;
	struct gn_fakeset *fakes;
	struct gn_dclock clk[GN_AC_MAX_CLOCKS];
	bool open[GN_AC_MAX_CLOCKS];
	struct gn_dsync_sink sink[GN_AC_MAX_CLOCKS];
	struct gn_tprops tp[GN_AC_MAX_DOMAINS];
};

void gn_dhost_init(struct gn_dhost *h, const struct gn_dsync_config *cfg,
		   const struct gn_dlog *log, struct gn_fakeset *fakes);
/* Opens the clock behind autocfg clock c: the system clock by name, a
 * port's PHC by its interface's fake or by PHC index. */
int gn_dhost_open_clock(struct gn_dhost *h, unsigned c, char *err,
			size_t errlen);
/* Reconfigures if needed, then one update of every sink that needs it.
 * Returns the number of sinks updated. */
int gn_dhost_run(struct gn_dhost *h);
void gn_dhost_close(struct gn_dhost *h);

#endif

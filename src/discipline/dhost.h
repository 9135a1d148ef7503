/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dhost.h - the automatic mode's host, shared by gnomon-phc2sys -a and
 * gnomond's discipline: it keeps the autocfg decisions (autocfg.h), one
 * opened clock (dclock.h) and one servo state (dsync.h) per clock, and
 * at each tick reconfigures when port states changed and updates every
 * sink of every domain from its source. Where port states and time
 * properties come from (management messages, the daemon's own core) is
 * the caller's business; so is asking the daemon which PHC a port has
 * (the port query), whose answers switch a clock to another PHC.
 */
#ifndef GN_DISCIPLINE_DHOST_H
#define GN_DISCIPLINE_DHOST_H

#include <stdbool.h>

#include "autocfg.h"
#include "dclock.h"
#include "dsync.h"

/*
 * Asks the daemon of domain which interface and PHC its port has now
 * (PORT_PROPERTIES_NP and PORT_HWCLOCK_NP). 0 with ifname and
 * *phc_index (-1: no PHC, software time stamping), or a negative errno
 * (no answer: nothing changes).
 */
typedef int (*gn_dhost_port_query_fn)(void *ctx, unsigned domain, unsigned port,
				      char *ifname, size_t ifname_len,
				      int *phc_index);

struct gn_dhost {
	struct gn_autocfg ac;
	gn_dhost_port_query_fn query; /* may be NULL: PHCs never change */
	void *query_ctx;
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
/* Lets a port clock's PHC follow the daemon: query is asked when the
 * clock's state changes (as phc2sys does), and gn_dhost_set_phc applied
 * to its answer. */
void gn_dhost_set_port_query(struct gn_dhost *h, gn_dhost_port_query_fn query,
			     void *ctx);
/*
 * The daemon now says port clock c is on interface ifname with PHC
 * phc_index. A different interface renames the clock; a different PHC
 * is opened (a fake with the interface's name, or by index) and replaces
 * the old one, whose servo and statistics are dropped: the sink starts
 * over, unlocked, from the new PHC's own frequency. When the clock was
 * a source, the servos of the other clocks start over too (keeping
 * their frequencies): their offsets now come from another clock. A PHC
 * index < 0
 * (software time stamping) changes nothing. Returns 1 when the PHC was
 * switched, 0 when not, or a negative errno when the new PHC cannot be
 * opened (logged; the old one stays, as with phc2sys).
 */
int gn_dhost_set_phc(struct gn_dhost *h, unsigned c, const char *ifname,
		     int phc_index);
/* Reconfigures if needed, then one update of every sink that needs it.
 * Returns the number of sinks updated. */
int gn_dhost_run(struct gn_dhost *h);
void gn_dhost_close(struct gn_dhost *h);

#endif

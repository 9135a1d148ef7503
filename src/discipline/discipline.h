/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * discipline.h - gnomond's built-in clock discipline (phc2sys -a -r /
 * -rr in the daemon): the slave port's PHC drives CLOCK_REALTIME and the
 * other ports' PHCs; with auto_rr, when no port is a slave (grandmaster),
 * CLOCK_REALTIME drives the PHCs. Ports without a PHC (software time
 * stamping) take no part. Options: `discipline` and `discipline_*`,
 * kernel_leap, ntpshm_segment, refclock_sock_address
 * (docs/configuration.md, docs/discipline.md).
 *
 * How the daemon drives it:
 *   d = gn_discipline_open(cfg, vlog, ctx, err, len)   after the ports
 *       exist; NULL with err[0] == 0 when discipline is off, NULL with a
 *       message on error
 *   gn_discipline_port_state(d, i, ifname, phc_index, state)  for every
 *       port once at start and at every port state change
 *   gn_discipline_time_properties(d, &clock.tpds)  before each run
 *   poll gn_discipline_fd(d); when readable: gn_discipline_run(d)
 *   gn_discipline_close(d) at exit
 * All calls come from the daemon's one thread; nothing blocks.
 */
#ifndef GN_DISCIPLINE_DISCIPLINE_H
#define GN_DISCIPLINE_DISCIPLINE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "dataset.h"

/* Values of the `discipline` option. */
enum gn_discipline_mode {
	GN_DISCIPLINE_OFF = 0,
	GN_DISCIPLINE_AUTO = 1,	   /* phc2sys -a -r */
	GN_DISCIPLINE_AUTO_RR = 2, /* phc2sys -a -rr */
};

struct gn_discipline;

/*
 * The hook of programs whose clock_servo is the discipline's
 * (gnomon-phc2sys): accepts clock_servo ntpshm and refclock_sock, the
 * outputs for NTP daemons, which gnomond's own PTP servo does not have.
 * Everything else stays as gnomond's table says.
 */
bool gn_discipline_config_accept(void *ctx, const char *name, const char *text,
				 int64_t ivalue);

/* vlog receives every log line (syslog levels); may be NULL. */
typedef void (*gn_discipline_vlog_fn)(void *ctx, int level, const char *fmt,
				      va_list ap);

struct gn_discipline *gn_discipline_open(const struct gn_config *cfg,
					 gn_discipline_vlog_fn vlog,
					 void *vlog_ctx, char *err,
					 size_t errlen);
/* Port index (0-based), its interface, its PHC (-1: none) and state. */
void gn_discipline_port_state(struct gn_discipline *d, unsigned port,
			      const char *ifname, int phc_index,
			      enum gn_port_state st);
/* The clock's time properties (UTC offset, leap flags, traceability). */
void gn_discipline_time_properties(struct gn_discipline *d,
				   const struct gn_time_properties_ds *tp);
/* A timerfd (CLOCK_MONOTONIC) firing at discipline_rate. */
int gn_discipline_fd(const struct gn_discipline *d);
/* Reads the timerfd and runs one update of every sink. */
void gn_discipline_run(struct gn_discipline *d);
void gn_discipline_close(struct gn_discipline *d);

/* For tests: updates done so far, and the last offset of sink `name`
 * (-ENOENT when no such sink). */
unsigned gn_discipline_updates(const struct gn_discipline *d);
int gn_discipline_last_offset(const struct gn_discipline *d, const char *name,
			      long long *offset_ns);

#endif

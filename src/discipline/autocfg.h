/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * autocfg.h - the automatic mode's decisions (phc2sys -a, -a -r, -a -rr),
 * sans-IO: it is told the ports of one or more PTP instances ("domains":
 * one management connection each), their PHCs and their port states,
 * and it decides which clock is the source of each domain and which
 * clocks are sinks. It reads no clock, opens nothing and sends nothing;
 * the host measures and steers what it says (and resets a sink's servo
 * when asked), so every reaction to a port state change is testable.
 *
 * Rules (phc2sys's automatic mode):
 *  - a port's state counts as SLAVE, UNCALIBRATED, MASTER, PRE_MASTER,
 *    or else DISABLED; a clock (PHC) takes the highest state of its
 *    ports (SLAVE > UNCALIBRATED > MASTER > PRE_MASTER > DISABLED);
 *  - in a domain, the clock in SLAVE is the source; clocks in MASTER,
 *    PRE_MASTER or DISABLED are sinks (one per PHC); an UNCALIBRATED
 *    clock (or two sources) postpones synchronization;
 *  - with -r the system clock is a sink of the domain that has a
 *    source; with -rr it is also a source when no domain has one, and
 *    then drives the PHCs (a grandmaster); with several domains the
 *    first domain with a source drives the others ("out-of-domain").
 */
#ifndef GN_DISCIPLINE_AUTOCFG_H
#define GN_DISCIPLINE_AUTOCFG_H

#include <stdbool.h>

#include "dlog.h"

#define GN_AC_MAX_DOMAINS 16
#define GN_AC_MAX_CLOCKS  64
#define GN_AC_MAX_PORTS	  128
#define GN_AC_NAME_MAX	  64

struct gn_ac_clock {
	char name[GN_AC_NAME_MAX]; /* interface, or the system clock */
	int phc_index;		   /* -1: the system clock */
	unsigned domain;
	bool is_sys;
	bool dest_only;	  /* system clock with -r (not -rr) */
	bool static_dst;  /* named with -c in automatic mode */
	int state;	  /* normalized (enum gn_port_state values) */
	int new_state;	  /* 0: no change pending */
	bool reset_servo; /* for the host: restart this sink's servo */
	bool reset_check; /* for the host: restart its sanity check */
};

struct gn_ac_port {
	unsigned domain;
	unsigned number;
	unsigned clock;
	int state; /* normalized */
};

struct gn_ac_domain {
	bool has_sys;
	bool subscribed; /* its management connection is alive */
	bool state_changed;
	int src_prio; /* 1 for PTP domains, 0 for the system clock's */
	int src;      /* clock index, -1: none */
	int src_domain;
	int dst[GN_AC_MAX_CLOCKS];
	unsigned ndst;
};

struct gn_autocfg;

/*
 * Called by gn_ac_reconfigure for a port clock whose state is about to
 * change, before the new state is used (phc2sys's clock_reinit): the
 * host may ask the daemon again which interface and PHC the clock's
 * port has, and switch to another PHC (a bond's failover). The host
 * must not add clocks or ports from here.
 */
typedef void (*gn_ac_reinit_fn)(void *ctx, struct gn_autocfg *ac, unsigned c);

struct gn_autocfg {
	struct gn_dlog log;
	gn_ac_reinit_fn reinit; /* may be NULL */
	void *reinit_ctx;
	struct gn_ac_clock clk[GN_AC_MAX_CLOCKS];
	unsigned nclk;
	struct gn_ac_port port[GN_AC_MAX_PORTS];
	unsigned nport;
	struct gn_ac_domain dom[GN_AC_MAX_DOMAINS];
	unsigned ndom;
};

void gn_ac_init(struct gn_autocfg *ac, const struct gn_dlog *log);

/* A PTP domain (one ptp4l/gnomond). Returns its index or -ENOSPC. */
int gn_ac_add_domain(struct gn_autocfg *ac);
/* The system clock's domain (-r: dest_only; -rr: also a source). Its
 * clock is named name (CLOCK_REALTIME). Returns the domain index. */
int gn_ac_add_sys_domain(struct gn_autocfg *ac, const char *name,
			 bool dest_only);
/* A port of a PTP domain with its interface and PHC; ports on the same
 * interface name share a clock. Returns the clock index or negative. */
int gn_ac_add_port(struct gn_autocfg *ac, unsigned domain, unsigned number,
		   const char *ifname, int phc_index, int state);
/* A sink named on the command line (-c with -a). */
int gn_ac_add_static_sink(struct gn_autocfg *ac, unsigned domain,
			  const char *name, int phc_index);
/* All ports of a domain are known: compute clock states, ask for a
 * reconfiguration. */
void gn_ac_domain_ready(struct gn_autocfg *ac, unsigned domain);

/* The number of the first port (in the order added) on clock c, or -1
 * (a system clock, a static sink). */
int gn_ac_clock_port(const struct gn_autocfg *ac, unsigned c);

/* The clock of port number of domain, or -1. */
int gn_ac_port_clock(const struct gn_autocfg *ac, unsigned domain,
		     unsigned number);

/* Normalizes a port state as the rules say. */
int gn_ac_normalize_state(int port_state);

/*
 * A port state notification (PORT_DATA_SET). label names the port in
 * the log ("clockid-port"). Returns 1 when it changed something, 0 when
 * not, -ENOENT for an unknown port (logged).
 */
int gn_ac_port_state(struct gn_autocfg *ac, unsigned domain, unsigned number,
		     int state, const char *label);
void gn_ac_set_subscribed(struct gn_autocfg *ac, unsigned domain, bool on);
/* The connection was lost: its domain must be reconsidered. */
void gn_ac_mark_changed(struct gn_autocfg *ac, unsigned domain);

/* Whether some domain asks for a reconfiguration. */
bool gn_ac_pending(const struct gn_autocfg *ac);
/* Decides sources and sinks (logs phc2sys's lines). */
void gn_ac_reconfigure(struct gn_autocfg *ac);

/* The source clock of a domain, -1 when none. */
int gn_ac_source(const struct gn_autocfg *ac, unsigned domain);
/* The domain whose PTP instance the source belongs to (time
 * properties come from there). */
int gn_ac_source_domain(const struct gn_autocfg *ac, unsigned domain);
/* Whether the host should measure and steer sink clock c of domain now
 * (never the source itself, never a clock in SLAVE/UNCALIBRATED). */
bool gn_ac_update_needed(const struct gn_autocfg *ac, unsigned domain,
			 unsigned c);
/* Reads and clears the clock's reset flags. */
bool gn_ac_take_reset_servo(struct gn_autocfg *ac, unsigned c);
bool gn_ac_take_reset_check(struct gn_autocfg *ac, unsigned c);

#endif

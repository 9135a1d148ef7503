/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * scenario.h - gnomon-sim's scenario files: a readable text format for a
 * simulated PTP network (topology, clock and link models, ptp4l-style
 * options per node group, a timeline of events). docs/simulator.md has
 * the format; this is its parsed form.
 *
 * Parsing never trusts the file: every count, length and value is
 * checked, and every error names the file and line.
 */
#ifndef GN_SIM_SCENARIO_H
#define GN_SIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "simnet.h"

#define GN_SCN_NAME_MAX	  32
#define GN_SCN_KEY_MAX	  48
#define GN_SCN_VAL_MAX	  96
#define GN_SCN_MAX_NODES  1000000
#define GN_SCN_MAX_CONNS  4000000
#define GN_SCN_MAX_EVENTS 100000

/* A ptp4l option as written: "key value", with its line. */
struct gn_scn_opt {
	char key[GN_SCN_KEY_MAX];
	char val[GN_SCN_VAL_MAX];
	int line;
};

/* [ptp NAME]: ptp4l options for a group of nodes (or ports). */
struct gn_scn_ptp {
	char name[GN_SCN_NAME_MAX];
	struct gn_scn_opt *opt;
	int nopt, cap;
	bool has_clock_opts; /* any clock-wide option (not for ports) */
};

/* [clock NAME]: an oscillator and how it time-stamps. */
struct gn_scn_clock {
	char name[GN_SCN_NAME_MAX];
	double offset_ns; /* initial offset from true time */
	double freq_ppb;  /* frequency error */
	/* Each node adds a uniform draw within +- these (its own stream). */
	double offset_spread_ns, freq_spread_ppb;
	double wfm, rwfm;   /* Allan deviations at 1 s */
	double max_adj_ppb; /* what the clock accepts */
	struct sim_stamp_model ts;
	int64_t stamp_uniform_ns; /* extra uniform +- noise */
};

/* [link NAME]: a delay model, copied into every segment that uses it. */
struct gn_scn_link {
	char name[GN_SCN_NAME_MAX];
	struct sim_segment model; /* delay .. down; no members */
};

struct gn_scn_node {
	char name[GN_SCN_NAME_MAX];
	int nports;
	int ptp;       /* index into ptp[], -1: only [ptp global] */
	int clock;     /* index into clocks[] */
	int *port_ptp; /* nports entries: extra group per port, or -1 */
	int line;
};

struct gn_scn_bridge {
	char name[GN_SCN_NAME_MAX];
	int64_t residence_ns, jitter_ns;
};

/* A node port (node >= 0, port 0-based) or a bridge (node = -1 - b). */
struct gn_scn_ep {
	int node, port;
};

/* A segment: a point-to-point link (2 ends) or a hub (more). */
struct gn_scn_conn {
	int link; /* model */
	struct gn_scn_ep *ep;
	int nep;
	int line;
};

enum gn_scn_ev_kind {
	GN_SCN_EV_KILL = 0,
	GN_SCN_EV_REVIVE,
	GN_SCN_EV_DOWN, /* the segment at a node port goes down */
	GN_SCN_EV_UP,
	GN_SCN_EV_STEP,	     /* clock step, ns */
	GN_SCN_EV_FREQ,	     /* oscillator frequency change, ppb */
	GN_SCN_EV_SET,	     /* a [link] key on the segment at a port */
	GN_SCN_EV_PRIORITY1, /* as by management SET */
	GN_SCN_EV_PRIORITY2,
};

struct gn_scn_event {
	int64_t t_ns;
	enum gn_scn_ev_kind kind;
	int node, conn;
	double value;
	char key[GN_SCN_KEY_MAX], val[GN_SCN_VAL_MAX];
	int line;
};

struct gn_scenario {
	char file[256];
	uint64_t seed;
	int64_t duration_ns;
	int64_t sample_ns;	   /* truth sampling interval */
	int64_t stats_start_ns;	   /* statistics from here on */
	int64_t lock_threshold_ns; /* |error| under this counts as locked */
	int64_t lock_hold_ns;	   /* ... when it stays so this long */

	struct gn_scn_ptp *ptp;
	int nptp, ptp_cap;
	struct gn_scn_clock *clocks;
	int nclocks, clock_cap;
	struct gn_scn_link *links;
	int nlinks, link_cap;
	struct gn_scn_node *nodes;
	int nnodes, node_cap;
	struct gn_scn_bridge *bridges;
	int nbridges, bridge_cap;
	struct gn_scn_conn *conns;
	int nconns, conn_cap;
	struct gn_scn_event *events;
	int nevents, event_cap;
};

/* Empty scenario with the defaults (see docs/simulator.md). */
void gn_scenario_init(struct gn_scenario *sc);
void gn_scenario_free(struct gn_scenario *sc);
/*
 * Parses text (a whole file's contents) into sc, adding to what is
 * there; `name` is used in error messages ("NAME:LINE: what"). 0 or
 * -EINVAL (-ENOMEM) with the message in err.
 */
int gn_scenario_parse(struct gn_scenario *sc, const char *text,
		      const char *name, char *err, size_t errlen);
/* Reads and parses a file (at most 64 MiB). -ENOENT, -EFBIG, -EINVAL. */
int gn_scenario_load(struct gn_scenario *sc, const char *path, char *err,
		     size_t errlen);
/* Checks what only the whole file can tell (every node connected to
 * something, events in time, ...). */
int gn_scenario_check(struct gn_scenario *sc, char *err, size_t errlen);

/* Index of a named object, or -1. */
int gn_scenario_node(const struct gn_scenario *sc, const char *name);
int gn_scenario_ptp(const struct gn_scenario *sc, const char *name);

/* ---- ptp4l options (ptpopt.c) ---- */

/*
 * Applies one option to a clock configuration (clock-wide options) or
 * to a port configuration (port options); either may be NULL to check
 * the option only. Returns 1 if it is a clock-wide option, 2 if a port
 * option, 3 if accepted without effect in a simulation, or -EINVAL with
 * a message ("option 'NAME': ...").
 */
int gn_ptpopt_apply(const char *key, const char *val,
		    struct gn_clock_config *cc, struct gn_port_config *pc,
		    char *err, size_t errlen);

/* Value parsers shared by the scenario and the events. They accept a
 * number with an optional unit; `def_unit` is what a bare number means
 * (1 for ns, 1e9 for s). 0 or -EINVAL. */
int gn_scn_parse_time(const char *s, double def_unit, int64_t *ns);
int gn_scn_parse_freq(const char *s, double *ppb);
int gn_scn_parse_prob(const char *s, double *p);
int gn_scn_parse_double(const char *s, double lo, double hi, double *v);
/* Applies one [link] key to a segment model. */
int gn_scn_link_set(struct sim_segment *g, const char *key, const char *val,
		    char *err, size_t errlen);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * simrun.h - runs a scenario on simnet: builds the network, plays the
 * timeline, samples every node's true error against its grandmaster,
 * keeps per-node statistics (time to lock, mean, RMS, p99, max, and how
 * often the servo's own uncertainty failed to cover its true error), and
 * writes CSV, a summary table and gnuplot plots (simout.c).
 *
 * Output depends only on the scenario and seed, never on wall time, so
 * two runs give identical files.
 */
#ifndef GN_SIM_SIMRUN_H
#define GN_SIM_SIMRUN_H

#include <stdio.h>

#include "scenario.h"
#include "simnet.h"

/* |error| histogram: bin 0 below 1 ns, then 8 bins per octave. */
#define GN_SIMRUN_BINS_PER_OCTAVE 8
#define GN_SIMRUN_HIST_BINS	  (1 + 42 * GN_SIMRUN_BINS_PER_OCTAVE)

struct gn_simrun_stats {
	uint64_t n; /* samples in the statistics window */
	double sum, sum2, max_abs;
	uint32_t hist[GN_SIMRUN_HIST_BINS];
	int64_t lock_ns;      /* time to lock; -1: never */
	int64_t run_start_ns; /* start of the current run under threshold */
	/* The servo's estimate vs the truth at each accepted sample. */
	uint64_t est_n, est_viol; /* checked, beyond 3 standard deviations */
	double est_max_z;	  /* largest |error| / sd */
	bool sampled;		  /* ever had a grandmaster other than itself */
};

struct gn_simrun_opts {
	const char *out_dir; /* per-node CSV, summary, plot; NULL: none */
	bool csv;
	int plot_nodes;		 /* nodes in the plot; 0: no plot */
	const char *plot_format; /* "png" (default) or "svg" */
	int log_level;		 /* core log lines to stderr at or below */
};

struct gn_simrun {
	struct gn_scenario *sc;
	struct gn_simrun_opts opts;
	struct sim sim;
	struct gn_simrun_stats *st; /* per node */
	int *conn_seg;		    /* scenario link -> simnet segment */
	FILE **csv;		    /* per node, or NULL */
	int next_event;
	int64_t next_sample_ns;
	int64_t stats_start_ns;
};

/* Builds the simulation from a checked scenario. 0 or -errno + err. */
int gn_simrun_build(struct gn_simrun *r, struct gn_scenario *sc,
		    const struct gn_simrun_opts *opts, char *err,
		    size_t errlen);
/* Plays events and samples up to true time t_ns (at most the end). */
void gn_simrun_run_until(struct gn_simrun *r, int64_t t_ns);
void gn_simrun_run(struct gn_simrun *r);
void gn_simrun_free(struct gn_simrun *r);

/* Statistics of one node or of several merged. */
double gn_simrun_rms(const struct gn_simrun_stats *s);
double gn_simrun_mean(const struct gn_simrun_stats *s);
/* Upper edge of the bin holding the p-quantile of |error| (ns). */
double gn_simrun_quantile(const struct gn_simrun_stats *s, double p);
void gn_simrun_merge(struct gn_simrun_stats *into,
		     const struct gn_simrun_stats *from);
/* Error of node i against its grandmaster now; false when it has none
 * (it is its own grandmaster, or dead). */
bool gn_simrun_error(struct gn_simrun *r, int i, double *err_ns);

/* simout.c: per-node CSV files (opened by gn_simrun_build when asked),
 * summary table (text) and CSV of it, plot script + gnuplot. */
int gn_simrun_open_csv(struct gn_simrun *r, char *err, size_t errlen);
void gn_simrun_summary(const struct gn_simrun *r, FILE *f);
int gn_simrun_summary_csv(const struct gn_simrun *r, FILE *f);
int gn_simrun_write_outputs(struct gn_simrun *r);

#endif

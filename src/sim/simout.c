/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * simout.c - gnomon-sim's output: one CSV file per node (time, error
 * against the grandmaster, error against true time, frequency error,
 * port and servo state), the summary table as text and CSV, and a
 * gnuplot script with the plots it renders (PNG or SVG).
 *
 * Nothing here may depend on wall time: the files of two runs with the
 * same seed must be identical.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "simrun.h"

/* Open files are limited; more nodes than this get no CSV file. */
#define CSV_MAX_FILES 512

int gn_simrun_open_csv(struct gn_simrun *r, char *err, size_t errlen)
{
	int i, n = r->sc->nnodes;
	char path[512];

	if (mkdir(r->opts.out_dir, 0777) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: cannot create directory",
			 r->opts.out_dir);
		return -errno;
	}
	r->csv = calloc((size_t)n, sizeof(*r->csv));
	if (!r->csv)
		return -ENOMEM;
	if (n > CSV_MAX_FILES) {
		fprintf(stderr,
			"gnomon-sim: CSV files for the first %d of %d "
			"nodes only\n",
			CSV_MAX_FILES, n);
		n = CSV_MAX_FILES;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s.csv", r->opts.out_dir,
			 r->sc->nodes[i].name);
		r->csv[i] = fopen(path, "w");
		if (!r->csv[i]) {
			snprintf(err, errlen, "%s: cannot create", path);
			return -EIO;
		}
		fprintf(r->csv[i], "time_s,offset_ns,true_offset_ns,freq_ppb,"
				   "port_state,servo_state\n");
	}
	return 0;
}

static const char *role(const struct gn_simrun *r, int i)
{
	const struct sim_node *n = &r->sim.nodes[i];

	if (n->dead)
		return "dead";
	if (sim_node_by_identity(&r->sim, &n->clock.pds.gm_identity) == i)
		return "GM";
	if (n->clock.cfg.clock_type == GN_CLOCK_E2E_TC)
		return "E2E_TC";
	if (n->clock.cfg.clock_type == GN_CLOCK_P2P_TC)
		return "P2P_TC";
	return n->nports > 1 ? "BC" : "OC";
}

static const char *state(const struct gn_simrun *r, int i)
{
	const struct sim_node *n = &r->sim.nodes[i];
	int sp = gn_clock_slave_port(&n->clock);

	if (n->dead)
		return "DEAD";
	return gn_port_state_str(n->ports[sp >= 0 ? sp : 0].ds.state);
}

static void fmt_lock(char *buf, size_t len, const struct gn_simrun_stats *s)
{
	if (s->lock_ns < 0)
		snprintf(buf, len, "never");
	else
		snprintf(buf, len, "%.1f", (double)s->lock_ns / 1e9);
}

static void row(FILE *f, const char *name, const char *rl, const char *st,
		const struct gn_simrun_stats *s, long long steps)
{
	char lock[32], bound[48];

	fmt_lock(lock, sizeof(lock), s);
	if (s->est_n)
		snprintf(bound, sizeof(bound), "%llu/%llu (%.1f)",
			 (unsigned long long)s->est_viol,
			 (unsigned long long)s->est_n, s->est_max_z);
	else
		snprintf(bound, sizeof(bound), "-");
	if (!s->n) {
		fprintf(f,
			"%-16s %-4s %-12s %8s %10s %10s %10s %10s %5lld  %s\n",
			name, rl, st, s->sampled ? lock : "-", "-", "-", "-",
			"-", steps, bound);
		return;
	}
	fprintf(f,
		"%-16s %-4s %-12s %8s %10.1f %10.1f %10.1f %10.1f %5lld  %s\n",
		name, rl, st, lock, gn_simrun_mean(s), gn_simrun_rms(s),
		gn_simrun_quantile(s, 0.99), s->max_abs, steps, bound);
}

void gn_simrun_summary(const struct gn_simrun *r, FILE *f)
{
	const struct gn_scenario *sc = r->sc;
	struct gn_simrun_stats all;
	long long steps = 0;
	int i, nall = 0;
	char title[64];

	memset(&all, 0, sizeof(all));
	fprintf(f,
		"scenario %s, seed %llu, %.0f s simulated, statistics from "
		"%.0f s, lock: |error| <= %lld ns for %.0f s\n",
		sc->file, (unsigned long long)sc->seed,
		(double)sc->duration_ns / 1e9, (double)r->stats_start_ns / 1e9,
		(long long)sc->lock_threshold_ns,
		(double)sc->lock_hold_ns / 1e9);
	fprintf(f, "%-16s %-4s %-12s %8s %10s %10s %10s %10s %5s  %s\n", "node",
		"role", "state", "lock_s", "mean_ns", "rms_ns", "p99_ns",
		"max_ns", "steps", "bound>3sd/n (max z)");
	for (i = 0; i < sc->nnodes; i++) {
		const struct sim_node *n = &r->sim.nodes[i];

		row(f, n->name, role(r, i), state(r, i), &r->st[i],
		    (long long)n->sc.steps);
		if (r->st[i].sampled) {
			if (!nall)
				all = r->st[i];
			else
				gn_simrun_merge(&all, &r->st[i]);
			steps += n->sc.steps;
			nall++;
		}
	}
	snprintf(title, sizeof(title), "all(%d)", nall);
	if (nall)
		row(f, title, "", "", &all, steps);
}

int gn_simrun_summary_csv(const struct gn_simrun *r, FILE *f)
{
	int i;

	fprintf(f,
		"node,role,state,lock_s,mean_ns,rms_ns,p99_ns,max_ns,"
		"samples,steps,bound_checked,bound_violations,bound_max_z\n");
	for (i = 0; i < r->sc->nnodes; i++) {
		const struct gn_simrun_stats *s = &r->st[i];

		fprintf(f, "%s,%s,%s,", r->sim.nodes[i].name, role(r, i),
			state(r, i));
		if (s->lock_ns >= 0)
			fprintf(f, "%.3f,", (double)s->lock_ns / 1e9);
		else
			fprintf(f, ",");
		fprintf(f, "%.3f,%.3f,%.3f,%.3f,%llu,%lld,%llu,%llu,%.3f\n",
			gn_simrun_mean(s), gn_simrun_rms(s),
			gn_simrun_quantile(s, 0.99), s->max_abs,
			(unsigned long long)s->n,
			(long long)r->sim.nodes[i].sc.steps,
			(unsigned long long)s->est_n,
			(unsigned long long)s->est_viol, s->est_max_z);
	}
	return ferror(f) ? -EIO : 0;
}

static int write_plot(struct gn_simrun *r)
{
	const char *fmt = r->opts.plot_format ? r->opts.plot_format : "png";
	bool svg = !strcmp(fmt, "svg");
	char path[512];
	FILE *f;
	int i, shown = 0, status;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/plot.gp", r->opts.out_dir);
	f = fopen(path, "w");
	if (!f)
		return -EIO;
	fprintf(f, "# gnuplot script written by gnomon-sim\n");
	fprintf(f, "set terminal %s size 1200,900\n", svg ? "svg" : "pngcairo");
	fprintf(f, "set output 'error.%s'\n", svg ? "svg" : "png");
	fprintf(f, "set datafile separator ','\n");
	fprintf(f, "set key outside right top\nset grid\n");
	fprintf(f,
		"set multiplot layout 2,1 title 'gnomon-sim: %s, seed "
		"%llu'\n",
		r->sc->file, (unsigned long long)r->sc->seed);
	fprintf(f, "set xlabel 'time (s)'\n");
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 0)
			fprintf(f,
				"set xrange [%.3f:*]\nset ylabel 'offset "
				"from grandmaster (ns), from %.0f s'\n",
				(double)r->stats_start_ns / 1e9,
				(double)r->stats_start_ns / 1e9);
		else
			fprintf(f, "set xrange [*:*]\nset logscale y\n"
				   "set ylabel '|offset| (ns), whole run'\n");
		fprintf(f, "plot ");
		shown = 0;
		for (i = 0; i < r->sc->nnodes && shown < r->opts.plot_nodes;
		     i++) {
			if (!r->csv || !r->csv[i] || !r->st[i].sampled)
				continue;
			fprintf(f,
				"%s'%s.csv' using 1:%s every ::1 with lines "
				"title '%s'",
				shown ? ", \\\n     " : "",
				r->sc->nodes[i].name, pass ? "(abs($2))" : "2",
				r->sc->nodes[i].name);
			shown++;
		}
		if (!shown)
			fprintf(f, "0 notitle");
		fprintf(f, "\n");
	}
	fprintf(f, "unset multiplot\n");
	fclose(f);
	if (!shown)
		return 0;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (chdir(r->opts.out_dir) == 0)
			execlp("gnuplot", "gnuplot", "plot.gp", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		fprintf(stderr,
			"gnomon-sim: gnuplot failed (is it "
			"installed?); plot.gp is in %s\n",
			r->opts.out_dir);
		return -EIO;
	}
	return 0;
}

int gn_simrun_write_outputs(struct gn_simrun *r)
{
	char path[512];
	FILE *f;
	int i, rc = 0;

	if (!r->opts.out_dir)
		return 0;
	if (mkdir(r->opts.out_dir, 0777) < 0 && errno != EEXIST)
		return -errno;
	if (r->csv)
		for (i = 0; i < r->sc->nnodes; i++)
			if (r->csv[i])
				fflush(r->csv[i]);
	snprintf(path, sizeof(path), "%s/summary.txt", r->opts.out_dir);
	f = fopen(path, "w");
	if (!f)
		return -EIO;
	gn_simrun_summary(r, f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/summary.csv", r->opts.out_dir);
	f = fopen(path, "w");
	if (!f)
		return -EIO;
	rc = gn_simrun_summary_csv(r, f);
	fclose(f);
	if (!rc && r->opts.plot_nodes > 0 && r->csv)
		rc = write_plot(r);
	return rc;
}

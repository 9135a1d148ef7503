/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gnomon_sim.c - gnomon-sim: runs a scenario file (docs/simulator.md)
 * on simulated clocks and links with the unchanged protocol core, and
 * reports per-node true errors: summary table on stdout, and with -o a
 * directory of CSV files, summary files and plots.
 *
 * Everything it writes except the "run:" line on stderr (wall time,
 * speed, memory) depends only on the scenario and the seed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "simrun.h"

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: gnomon-sim [options] SCENARIO\n"
	    "  -o DIR          write summary.txt, summary.csv (and with\n"
	    "                  --csv one CSV per node, --plot N plots) to DIR\n"
	    "  --csv           per-node CSV files (needs -o)\n"
	    "  --plot N        plot the error of up to N nodes (needs --csv)\n"
	    "  --svg           plots as SVG instead of PNG\n"
	    "  -s SEED         override [sim] seed\n"
	    "  -d DURATION     override [sim] duration (e.g. 600, 1h)\n"
	    "  -S '[SECTION] KEY VALUE'\n"
	    "                  set a value as if appended to the file,\n"
	    "                  e.g. -S '[ptp global] clock_servo kalman'\n"
	    "  -l LEVEL        print the core's log lines up to LEVEL (3..7)\n"
	    "  -q              no summary on stdout\n"
	    "  -h              this help\n");
}

static int add_override(struct gn_scenario *sc, const char *arg, char *err,
			size_t errlen)
{
	const char *rb = strchr(arg, ']');
	char *text;
	size_t n;
	int rc;

	if (arg[0] != '[' || !rb) {
		snprintf(err, errlen, "-S: expected '[SECTION] KEY VALUE'");
		return -EINVAL;
	}
	n = strlen(arg) + 4;
	text = malloc(n);
	if (!text)
		return -ENOMEM;
	snprintf(text, n, "%.*s\n%s\n", (int)(rb - arg + 1), arg, rb + 1);
	rc = gn_scenario_parse(sc, text, "-S", err, errlen);
	free(text);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
	    {"csv", no_argument, NULL, 'c'},
	    {"plot", required_argument, NULL, 'p'},
	    {"svg", no_argument, NULL, 'g'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct gn_simrun_opts opts;
	struct gn_scenario sc;
	struct gn_simrun r;
	struct timespec a, b;
	struct rusage ru;
	char err[512];
	const char *seed = NULL, *dur = NULL;
	const char **sets = NULL;
	int nsets = 0, c, i, rc, quiet = 0;
	double wall;

	memset(&opts, 0, sizeof(opts));
	sets = calloc((size_t)argc, sizeof(*sets));
	if (!sets)
		return 1;
	while ((c = getopt_long(argc, argv, "o:s:d:S:l:qh", lopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'o':
			opts.out_dir = optarg;
			break;
		case 'c':
			opts.csv = true;
			break;
		case 'p':
			opts.plot_nodes = atoi(optarg);
			break;
		case 'g':
			opts.plot_format = "svg";
			break;
		case 's':
			seed = optarg;
			break;
		case 'd':
			dur = optarg;
			break;
		case 'S':
			sets[nsets++] = optarg;
			break;
		case 'l':
			opts.log_level = atoi(optarg);
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			usage(stdout);
			free(sets);
			return 0;
		default:
			usage(stderr);
			free(sets);
			return 2;
		}
	}
	if (optind + 1 != argc) {
		usage(stderr);
		free(sets);
		return 2;
	}
	gn_scenario_init(&sc);
	rc = gn_scenario_load(&sc, argv[optind], err, sizeof(err));
	for (i = 0; i < nsets && !rc; i++)
		rc = add_override(&sc, sets[i], err, sizeof(err));
	if (!rc && seed) {
		char line[128];

		snprintf(line, sizeof(line), "[sim] seed %s", seed);
		rc = add_override(&sc, line, err, sizeof(err));
	}
	if (!rc && dur) {
		char line[128];

		snprintf(line, sizeof(line), "[sim] duration %s", dur);
		rc = add_override(&sc, line, err, sizeof(err));
	}
	free(sets);
	if (!rc)
		rc = gn_scenario_check(&sc, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "gnomon-sim: %s\n", err);
		gn_scenario_free(&sc);
		return 1;
	}
	if (opts.csv && !opts.out_dir) {
		fprintf(stderr, "gnomon-sim: --csv needs -o DIR\n");
		gn_scenario_free(&sc);
		return 2;
	}
	rc = gn_simrun_build(&r, &sc, &opts, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "gnomon-sim: %s\n", err);
		gn_simrun_free(&r);
		gn_scenario_free(&sc);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	gn_simrun_run(&r);
	clock_gettime(CLOCK_MONOTONIC, &b);
	wall = (double)(b.tv_sec - a.tv_sec) +
	       (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	if (!quiet)
		gn_simrun_summary(&r, stdout);
	rc = gn_simrun_write_outputs(&r);
	getrusage(RUSAGE_SELF, &ru);
	{
		size_t bytes = 0;

		for (i = 0; i < sc.nnodes; i++)
			bytes += sim_node_bytes(&r.sim.nodes[i]) +
				 sizeof(struct gn_simrun_stats);
		fprintf(stderr,
			"run: %d nodes, %.0f s simulated, %llu events, "
			"wall %.3f s, %.0f events/s, %.0f bytes/node, "
			"max rss %ld kB\n",
			sc.nnodes, (double)sc.duration_ns / 1e9,
			(unsigned long long)r.sim.events, wall,
			wall > 0 ? (double)r.sim.events / wall : 0.0,
			(double)bytes / sc.nnodes, ru.ru_maxrss);
	}
	gn_simrun_free(&r);
	gn_scenario_free(&sc);
	if (rc) {
		fprintf(stderr, "gnomon-sim: writing the output failed\n");
		return 1;
	}
	return 0;
}

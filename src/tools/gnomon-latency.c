/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gnomon-latency - the pulse latency test: runs libgnomon pulses at the
 * given periods on gnomond's synchronized clock for a while and prints,
 * per period, how late the callbacks ran (count, missed, min, median,
 * p99, p99.9, max), like cyclictest does for CLOCK_MONOTONIC timers, and
 * optionally writes a histogram (data for gnuplot, and a PNG through
 * gnuplot when it is installed).
 *
 * It measures; it must not change any clock or the daemon's state.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gnomon/gnomon.h"

#define MAX_PERIODS 16
#define NS_PER_US   1000.0

struct run {
	int64_t period_ns;
	int64_t *late_ns; /* every lateness, for exact quantiles */
	size_t cap;
	atomic_size_t n;
	uint64_t missed;
	struct gn_pulse_stats st;
	struct gn_pulse *p;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void on_pulse(struct gn_pulse *p, const struct gn_pulse_event *ev,
		     void *arg)
{
	struct run *r = arg;
	size_t i = atomic_load_explicit(&r->n, memory_order_relaxed);

	(void)p;
	if (i < r->cap) {
		r->late_ns[i] = ev->lateness_ns;
		atomic_store_explicit(&r->n, i + 1, memory_order_release);
	}
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The smallest value with at least ceil(q * n) values at or below it. */
static int64_t quantile(const int64_t *v, size_t n, double q)
{
	size_t rank;

	if (n == 0)
		return 0;
	rank = (size_t)ceil(q * (double)n);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return v[rank - 1];
}

/* The PM QoS request cyclictest makes: no deep idle states while the
 * descriptor stays open. */
static int hold_dma_latency(void)
{
	int32_t zero = 0;
	int fd = open("/dev/cpu_dma_latency", O_WRONLY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "gnomon-latency: /dev/cpu_dma_latency: %s\n",
			strerror(errno));
		return -1;
	}
	if (write(fd, &zero, sizeof(zero)) != sizeof(zero)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: gnomon-latency [options]\n"
		"  -p PAGE     time-service page (default $GNOMON_PAGE or "
		"%s)\n"
		"  -P LIST     periods in ms, comma-separated "
		"(default 1000,16,20,50,256)\n"
		"  -d SECONDS  duration per period (default 10)\n"
		"  -r PRIO     SCHED_FIFO priority 1..99, 0: normal "
		"(default 80)\n"
		"  -a CPU      pin the pulse threads to this CPU\n"
		"  -c          run the periods concurrently\n"
		"  -o PREFIX   write PREFIX.dat (histogram) and PREFIX.png\n"
		"  -j          one JSON object per period instead of the "
		"table\n"
		"  -L          hold /dev/cpu_dma_latency at 0 during the run "
		"(as cyclictest)\n"
		"  -h          this help\n",
		GN_DEFAULT_PAGE);
}

static int parse_periods(const char *s, int64_t *out, int max)
{
	int n = 0;
	char *end;

	while (*s && n < max) {
		double ms = strtod(s, &end);

		if (end == s || !(ms > 0) || ms > 3600e3)
			return -1;
		out[n++] = (int64_t)llround(ms * 1e6);
		s = end;
		if (*s == ',')
			s++;
		else if (*s)
			return -1;
	}
	return n;
}

static int start(struct gnomon *g, struct run *r, int prio, int cpu,
		 double dur_s)
{
	struct gn_pulse_config c;
	int rc;

	r->cap = (size_t)(dur_s * 1e9 / (double)r->period_ns) + 64;
	r->late_ns = calloc(r->cap, sizeof(*r->late_ns));
	if (!r->late_ns)
		return -ENOMEM;
	gn_pulse_config_init(&c, r->period_ns);
	c.priority = prio;
	c.cpu = cpu;
	rc = gn_pulse_start(g, &c, on_pulse, r, &r->p);
	if (rc)
		fprintf(stderr, "gnomon-latency: %.3f ms: %s\n",
			(double)r->period_ns / 1e6, gn_strerror(rc));
	return rc;
}

static void finish(struct run *r)
{
	gn_pulse_stats(r->p, &r->st);
	gn_pulse_stop(r->p);
	r->p = NULL;
	qsort(r->late_ns, atomic_load(&r->n), sizeof(int64_t), cmp_i64);
}

static void sleep_s(double s)
{
	struct timespec ts;
	int64_t end_ns, now_ns;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	end_ns =
	    (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec + (int64_t)(s * 1e9);
	while (!stop) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		now_ns = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
		if (now_ns >= end_ns)
			break;
		usleep((useconds_t)((end_ns - now_ns) > 200000000
					? 200000
					: (end_ns - now_ns) / 1000 + 1));
	}
}

static void print_row(const struct run *r, bool json)
{
	size_t n = atomic_load(&r->n);
	const int64_t *v = r->late_ns;

	if (json) {
		printf("{\"period_ms\": %.3f, \"count\": %zu, \"missed\": "
		       "%llu, \"min_us\": %.3f, \"p50_us\": %.3f, "
		       "\"p99_us\": %.3f, \"p999_us\": %.3f, \"max_us\": "
		       "%.3f, \"realtime\": %s}\n",
		       (double)r->period_ns / 1e6, n,
		       (unsigned long long)r->st.missed,
		       n ? (double)v[0] / NS_PER_US : 0.0,
		       (double)quantile(v, n, 0.5) / NS_PER_US,
		       (double)quantile(v, n, 0.99) / NS_PER_US,
		       (double)quantile(v, n, 0.999) / NS_PER_US,
		       n ? (double)v[n - 1] / NS_PER_US : 0.0,
		       r->st.realtime ? "true" : "false");
		return;
	}
	printf("%10.3f %8zu %7llu %9.1f %9.1f %9.1f %9.1f %9.1f  %s\n",
	       (double)r->period_ns / 1e6, n, (unsigned long long)r->st.missed,
	       n ? (double)v[0] / NS_PER_US : 0.0,
	       (double)quantile(v, n, 0.5) / NS_PER_US,
	       (double)quantile(v, n, 0.99) / NS_PER_US,
	       (double)quantile(v, n, 0.999) / NS_PER_US,
	       n ? (double)v[n - 1] / NS_PER_US : 0.0,
	       r->st.realtime ? "fifo" : "other");
}

/* Histogram in 1 us bins (log y in the plot), one column per period. */
static int write_histogram(const char *prefix, struct run *runs, int nr)
{
	char path[4096], cmd[8192];
	int64_t maxus = 0;
	FILE *f;
	int i;

	for (i = 0; i < nr; i++) {
		size_t n = atomic_load(&runs[i].n);

		if (n && runs[i].late_ns[n - 1] / 1000 > maxus)
			maxus = runs[i].late_ns[n - 1] / 1000;
	}
	if (maxus > 100000)
		maxus = 100000;
	snprintf(path, sizeof(path), "%s.dat", prefix);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f, "# lateness_us");
	for (i = 0; i < nr; i++)
		fprintf(f, " count_%.3fms", (double)runs[i].period_ns / 1e6);
	fprintf(f, "\n");
	{
		size_t *pos = calloc((size_t)nr, sizeof(size_t));
		int64_t us;

		if (!pos) {
			fclose(f);
			return -ENOMEM;
		}
		for (us = 0; us <= maxus; us++) {
			fprintf(f, "%lld", (long long)us);
			for (i = 0; i < nr; i++) {
				size_t n = atomic_load(&runs[i].n), c = 0;

				while (pos[i] < n &&
				       runs[i].late_ns[pos[i]] / 1000 <= us) {
					pos[i]++;
					c++;
				}
				fprintf(f, " %zu", c);
			}
			fprintf(f, "\n");
		}
		free(pos);
	}
	fclose(f);
	/* The plot: gnuplot when present. */
	snprintf(cmd, sizeof(cmd), "command -v gnuplot >/dev/null 2>&1");
	if (system(cmd) != 0)
		return 0;
	snprintf(cmd, sizeof(cmd), "gnuplot > /dev/null 2>&1");
	f = popen(cmd, "w");
	if (!f)
		return 0;
	fprintf(f,
		"set terminal pngcairo size 900,500 noenhanced\n"
		"set output '%s.png'\n"
		"set title 'gnomon-latency: pulse lateness'\n"
		"set xlabel 'lateness (us)'\nset ylabel 'pulses'\n"
		"set logscale y\nset style data steps\nset grid\n"
		"plot ",
		prefix);
	for (i = 0; i < nr; i++)
		fprintf(f, "%s'%s.dat' using 1:($%d>0?$%d:1/0) title '%.3f ms'",
			i ? ", " : "", prefix, i + 2, i + 2,
			(double)runs[i].period_ns / 1e6);
	fprintf(f, "\n");
	pclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	int64_t periods[MAX_PERIODS];
	struct run runs[MAX_PERIODS];
	const char *page = NULL, *prefix = NULL;
	double dur_s = 10.0;
	int np, prio = 80, cpu = -1, opt, i, rc;
	bool concurrent = false, json = false;
	int dma_fd = -1;
	struct gnomon *g;

	np = parse_periods("1000,16,20,50,256", periods, MAX_PERIODS);
	while ((opt = getopt(argc, argv, "p:P:d:r:a:co:jLh")) != -1) {
		switch (opt) {
		case 'p':
			page = optarg;
			break;
		case 'P':
			np = parse_periods(optarg, periods, MAX_PERIODS);
			if (np <= 0) {
				fprintf(stderr,
					"gnomon-latency: bad periods "
					"'%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'd':
			dur_s = atof(optarg);
			if (!(dur_s > 0)) {
				fprintf(stderr,
					"gnomon-latency: bad duration\n");
				return 2;
			}
			break;
		case 'r':
			prio = atoi(optarg);
			if (prio < 0 || prio > 99) {
				fprintf(stderr, "gnomon-latency: priority "
						"0..99\n");
				return 2;
			}
			break;
		case 'a':
			cpu = atoi(optarg);
			break;
		case 'c':
			concurrent = true;
			break;
		case 'o':
			prefix = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'L':
			dma_fd = hold_dma_latency();
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	rc = gn_open(page, &g);
	if (rc) {
		fprintf(stderr, "gnomon-latency: %s\n", gn_strerror(rc));
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	memset(runs, 0, sizeof(runs));
	for (i = 0; i < np; i++)
		runs[i].period_ns = periods[i];
	if (!json)
		printf("# gnomon-latency: lateness of pulses (us), %.1f s per "
		       "period%s\n"
		       "%10s %8s %7s %9s %9s %9s %9s %9s  %s\n",
		       dur_s, concurrent ? ", concurrently" : "", "period_ms",
		       "count", "missed", "min", "p50", "p99", "p99.9", "max",
		       "sched");
	if (concurrent) {
		for (i = 0; i < np && rc == 0; i++)
			rc = start(g, &runs[i], prio, cpu, dur_s);
		if (rc == 0)
			sleep_s(dur_s);
		for (i = 0; i < np; i++)
			if (runs[i].p)
				finish(&runs[i]);
		for (i = 0; i < np && rc == 0; i++)
			print_row(&runs[i], json);
	} else {
		for (i = 0; i < np && rc == 0 && !stop; i++) {
			rc = start(g, &runs[i], prio, cpu, dur_s);
			if (rc)
				break;
			sleep_s(dur_s);
			finish(&runs[i]);
			print_row(&runs[i], json);
			fflush(stdout);
		}
	}
	if (rc == 0 && prefix) {
		int w = write_histogram(prefix, runs, np);

		if (w)
			fprintf(stderr, "gnomon-latency: %s.dat: %s\n", prefix,
				strerror(-w));
	}
	for (i = 0; i < np; i++)
		free(runs[i].late_ns);
	gn_close(g);
	if (dma_fd >= 0)
		close(dma_fd);
	return rc ? 1 : 0;
}

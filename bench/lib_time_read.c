/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib_time_read.c - the cost of reading synchronized time with
 * libgnomon (gn_time_now) against clock_gettime(CLOCK_REALTIME) and
 * clock_gettime(CLOCK_MONOTONIC_RAW) in the same run: rounds of a
 * million calls each, the three interleaved round by round so that
 * frequency scaling and neighbours hit them alike; ns per call (median
 * and best round), the ratio to CLOCK_REALTIME, reads per second on one
 * core, and reads per second with one reader per core at once (the read
 * takes no lock, so it should scale).
 *
 * bench_lib_time [PAGE]: a gnomond page (as bench_lib.sh runs it), or,
 * without one, a page this program publishes itself (a virtual-clock
 * mapping on CLOCK_MONOTONIC_RAW, republished twice a second by a writer
 * thread, as gnomond does). It only reads clocks.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "gnomon/gnomon.h"
#include "gnomon/page.h"

#define CALLS  1000000
#define ROUNDS 21

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static volatile int64_t sink;

static double round_clock(clockid_t id)
{
	struct timespec ts;
	int64_t t0 = now_ns(), acc = 0;
	int i;

	for (i = 0; i < CALLS; i++) {
		clock_gettime(id, &ts);
		acc += ts.tv_nsec;
	}
	sink = acc;
	return (double)(now_ns() - t0) / CALLS;
}

static double round_gnomon(struct gnomon *g)
{
	struct gn_time t;
	int64_t t0 = now_ns(), acc = 0;
	int i;

	for (i = 0; i < CALLS; i++) {
		gn_time_now(g, &t);
		acc += t.tai_ns;
	}
	sink = acc;
	return (double)(now_ns() - t0) / CALLS;
}

/* ---- a self-published page ---- */

static struct gn_page *own;
static atomic_bool stop_writer;

static void publish(void)
{
	struct gn_page_data d;
	struct timespec ts;
	uint64_t w[sizeof(d) / 8];
	uint32_t s;
	unsigned i;

	memset(&d, 0, sizeof(d));
	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	d.update_count = own->u.d.update_count + 1;
	d.anchor_local_ns = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
	clock_gettime(CLOCK_REALTIME, &ts);
	d.anchor_clock_ns =
	    (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec + 37000000000LL;
	d.rate_frac = 14073748836LL; /* 50 ppm */
	d.bound_ns = 1000;
	d.bound_growth_frac = 28147498;
	d.stale_after_ns = 3000000000LL;
	d.state = GN_PAGE_LOCKED;
	d.timescale = GN_PAGE_TS_TAI;
	d.utc_offset_s = 37;
	memcpy(w, &d, sizeof(w));
	s = __atomic_load_n(&own->seq, __ATOMIC_RELAXED);
	__atomic_store_n(&own->seq, s + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	for (i = 0; i < sizeof(w) / 8; i++)
		__atomic_store_n(&own->u.w[i], w[i], __ATOMIC_RELAXED);
	__atomic_store_n(&own->seq, s + 2, __ATOMIC_RELEASE);
}

static void *writer(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop_writer)) {
		publish();
		usleep(500000);
	}
	return NULL;
}

static int make_page(char *path, size_t len)
{
	int fd;

	snprintf(path, len, "/tmp/gn-bench-page.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || ftruncate(fd, GN_PAGE_FILE_SIZE) < 0)
		return -1;
	own = mmap(NULL, GN_PAGE_FILE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		   fd, 0);
	close(fd);
	if (own == MAP_FAILED)
		return -1;
	own->magic = GN_PAGE_MAGIC;
	own->version_major = GN_PAGE_VERSION_MAJOR;
	own->version_minor = GN_PAGE_VERSION_MINOR;
	own->size = sizeof(struct gn_page);
	own->pid = getpid();
	own->local_clock = CLOCK_MONOTONIC_RAW;
	own->phc_index = -1;
	publish();
	return 0;
}

/* ---- parallel readers ---- */

struct par {
	struct gnomon *g;
	int cpu;
	double reads_per_s;
};

static void *par_reader(void *arg)
{
	struct par *p = arg;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(p->cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	p->reads_per_s = 1e9 / round_gnomon(p->g);
	return NULL;
}

int main(int argc, char **argv)
{
	double rt[ROUNDS], raw[ROUNDS], gn[ROUNDS], ratio[ROUNDS];
	char path[64];
	const char *page = argc > 1 ? argv[1] : NULL;
	struct gn_status st;
	struct gnomon *g;
	pthread_t wt;
	cpu_set_t set;
	int i, rc, ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
	double total = 0;

	if (!page) {
		if (make_page(path, sizeof(path))) {
			perror("bench_lib_time: page");
			return 1;
		}
		page = path;
		pthread_create(&wt, NULL, writer, NULL);
	}
	rc = gn_open(page, &g);
	if (rc) {
		fprintf(stderr, "bench_lib_time: %s\n", gn_strerror(rc));
		return 1;
	}
	gn_status(g, &st);
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);
	/* Warm up. */
	round_clock(CLOCK_REALTIME);
	round_gnomon(g);
	for (i = 0; i < ROUNDS; i++) {
		rt[i] = round_clock(CLOCK_REALTIME);
		gn[i] = round_gnomon(g);
		raw[i] = round_clock(CLOCK_MONOTONIC_RAW);
		ratio[i] = gn[i] / rt[i];
	}
	qsort(ratio, ROUNDS, sizeof(double), cmp_d);
	qsort(rt, ROUNDS, sizeof(double), cmp_d);
	qsort(gn, ROUNDS, sizeof(double), cmp_d);
	qsort(raw, ROUNDS, sizeof(double), cmp_d);
	printf("# bench_lib_time: %d rounds of %d calls, interleaved, one "
	       "core (CPU 0)\n",
	       ROUNDS, CALLS);
	printf("# page: %s (%s, local clock %d, state %s)\n",
	       argc > 1 ? page : "self-published",
	       argc > 1 ? "gnomond" : "fake", st.local_clock,
	       gn_state_str(st.state));
	printf("%-32s %10s %10s %14s\n", "call", "median_ns", "best_ns",
	       "reads_per_s");
	printf("%-32s %10.1f %10.1f %14.0f\n", "clock_gettime(CLOCK_REALTIME)",
	       rt[ROUNDS / 2], rt[0], 1e9 / rt[ROUNDS / 2]);
	printf("%-32s %10.1f %10.1f %14.0f\n",
	       "clock_gettime(CLOCK_MONOTONIC_RAW)", raw[ROUNDS / 2], raw[0],
	       1e9 / raw[ROUNDS / 2]);
	printf("%-32s %10.1f %10.1f %14.0f\n", "gn_time_now", gn[ROUNDS / 2],
	       gn[0], 1e9 / gn[ROUNDS / 2]);
	printf("ratio gn_time_now / clock_gettime(CLOCK_REALTIME): median of "
	       "paired rounds %.2f, of medians %.2f, of best rounds %.2f "
	       "(target <= 1.5)\n",
	       ratio[ROUNDS / 2], gn[ROUNDS / 2] / rt[ROUNDS / 2],
	       gn[0] / rt[0]);
	/* One reader per core at once. */
	if (ncpu > 1) {
		struct par p[64];
		pthread_t th[64];

		if (ncpu > 64)
			ncpu = 64;
		for (i = 0; i < ncpu; i++) {
			p[i].g = g;
			p[i].cpu = i;
			pthread_create(&th[i], NULL, par_reader, &p[i]);
		}
		for (i = 0; i < ncpu; i++) {
			pthread_join(th[i], NULL);
			total += p[i].reads_per_s;
		}
		printf("%d readers at once (one per core): %.0f reads/s in "
		       "total, %.0f per core\n",
		       ncpu, total, total / ncpu);
	}
	gn_close(g);
	if (own) {
		atomic_store(&stop_writer, true);
		pthread_join(wt, NULL);
		munmap(own, GN_PAGE_FILE_SIZE);
		unlink(path);
	}
	return 0;
}

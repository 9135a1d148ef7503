/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gnomon-offset - the sandwich test between two clocks: read A, read B,
 * read A again; B - (A1 + A2) / 2 is the offset, A2 - A1 how far it can
 * be trusted. Repeated N times, the samples with the shortest reads are
 * kept (the others were interrupted) and the offset distribution and the
 * read times are printed. Clocks: the kernel's (realtime, monotonic,
 * raw, tai, boottime), a PHC (/dev/ptpN), or gnomond's synchronized
 * clock through libgnomon (gnomon: its own value, gnomon-tai,
 * gnomon-utc; optionally :PAGE).
 *
 * It only reads clocks; it must never adjust one.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gnomon/gnomon.h"

#define CLOCKFD 3

enum kind { K_KERNEL, K_GNOMON, K_GNOMON_TAI, K_GNOMON_UTC };

struct clk {
	const char *name;
	enum kind kind;
	clockid_t id;
	int fd;
	struct gnomon *g;
	int timescale; /* gnomon: 1 when the clock keeps UTC */
};

struct sample {
	int64_t offset_ns, width_ns;
};

static int64_t read_clk(struct clk *c)
{
	struct timespec ts;
	struct gn_time t;

	switch (c->kind) {
	case K_KERNEL:
		clock_gettime(c->id, &ts);
		return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
	case K_GNOMON:
		gn_time_now(c->g, &t);
		return c->timescale == 1 ? t.utc_ns : t.tai_ns;
	case K_GNOMON_TAI:
		gn_time_now(c->g, &t);
		return t.tai_ns;
	case K_GNOMON_UTC:
		gn_time_now(c->g, &t);
		return t.utc_ns;
	}
	return 0;
}

static int open_clk(const char *spec, struct clk *c)
{
	static const struct {
		const char *name;
		clockid_t id;
	} kernel[] = {
	    {"realtime", CLOCK_REALTIME},
	    {"system", CLOCK_REALTIME},
	    {"monotonic", CLOCK_MONOTONIC},
	    {"raw", CLOCK_MONOTONIC_RAW},
	    {"tai", CLOCK_TAI},
	    {"boottime", CLOCK_BOOTTIME},
	};
	unsigned i;
	int rc;

	memset(c, 0, sizeof(*c));
	c->name = spec;
	c->fd = -1;
	for (i = 0; i < sizeof(kernel) / sizeof(kernel[0]); i++) {
		if (!strcmp(spec, kernel[i].name)) {
			c->kind = K_KERNEL;
			c->id = kernel[i].id;
			return 0;
		}
	}
	if (!strncmp(spec, "/dev/", 5)) {
		c->fd = open(spec, O_RDONLY | O_CLOEXEC);
		if (c->fd < 0) {
			fprintf(stderr, "gnomon-offset: %s: %s\n", spec,
				strerror(errno));
			return -errno;
		}
		c->kind = K_KERNEL;
		c->id = (clockid_t)((~(unsigned)c->fd << 3) | CLOCKFD);
		return 0;
	}
	if (!strncmp(spec, "gnomon", 6)) {
		const char *rest = spec + 6, *page = NULL;
		struct gn_status st;

		c->kind = K_GNOMON;
		if (!strncmp(rest, "-tai", 4)) {
			c->kind = K_GNOMON_TAI;
			rest += 4;
		} else if (!strncmp(rest, "-utc", 4)) {
			c->kind = K_GNOMON_UTC;
			rest += 4;
		}
		if (*rest == ':')
			page = rest + 1;
		else if (*rest)
			goto bad;
		rc = gn_open(page, &c->g);
		if (rc) {
			fprintf(stderr, "gnomon-offset: %s: %s\n", spec,
				gn_strerror(rc));
			return rc;
		}
		if (gn_status(c->g, &st) == 0)
			c->timescale = st.timescale;
		return 0;
	}
bad:
	fprintf(stderr, "gnomon-offset: unknown clock '%s'\n", spec);
	return -EINVAL;
}

static void close_clk(struct clk *c)
{
	if (c->fd >= 0)
		close(c->fd);
	gn_close(c->g);
}

static int cmp_width(const void *a, const void *b)
{
	const struct sample *x = a, *y = b;

	return x->width_ns < y->width_ns ? -1 : x->width_ns > y->width_ns;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: gnomon-offset [options] CLOCK_A CLOCK_B\n"
		"  reads A, B, A and prints the offset B - A\n"
		"  clocks: realtime (system), monotonic, raw, tai, boottime,\n"
		"          /dev/ptpN, gnomon[-tai|-utc][:PAGE]\n"
		"  -n N        samples (default 1000)\n"
		"  -i US       interval between samples in us (default 1000)\n"
		"  -k PERCENT  keep the PERCENT %% fastest reads (default 50)\n"
		"  -w NS       keep only reads of at most NS ns\n"
		"  -v          print every kept sample (offset width)\n"
		"  -h          this help\n");
}

int main(int argc, char **argv)
{
	long n = 1000, interval_us = 1000, i, kept;
	double keep_pct = 50.0, mean = 0, sd = 0;
	int64_t max_width = 0, *off;
	struct sample *s;
	struct clk a, b;
	bool verbose = false;
	int opt;

	while ((opt = getopt(argc, argv, "n:i:k:w:vh")) != -1) {
		switch (opt) {
		case 'n':
			n = atol(optarg);
			break;
		case 'i':
			interval_us = atol(optarg);
			break;
		case 'k':
			keep_pct = atof(optarg);
			break;
		case 'w':
			max_width = atoll(optarg);
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind != 2 || n < 1 || n > 10000000 || interval_us < 0 ||
	    !(keep_pct > 0 && keep_pct <= 100)) {
		usage(stderr);
		return 2;
	}
	if (open_clk(argv[optind], &a) || open_clk(argv[optind + 1], &b))
		return 1;
	s = calloc((size_t)n, sizeof(*s));
	off = calloc((size_t)n, sizeof(*off));
	if (!s || !off)
		return 1;
	for (i = 0; i < n; i++) {
		int64_t a1 = read_clk(&a), bv = read_clk(&b), a2 = read_clk(&a);

		s[i].width_ns = a2 - a1;
		s[i].offset_ns = bv - (a1 + (a2 - a1) / 2);
		if (interval_us)
			usleep((useconds_t)interval_us);
	}
	/* The fastest reads: least disturbed. */
	qsort(s, (size_t)n, sizeof(*s), cmp_width);
	kept = (long)ceil((double)n * keep_pct / 100.0);
	if (max_width > 0)
		while (kept > 0 && s[kept - 1].width_ns > max_width)
			kept--;
	if (kept == 0) {
		fprintf(stderr, "gnomon-offset: no read within %lld ns\n",
			(long long)max_width);
		return 1;
	}
	for (i = 0; i < kept; i++) {
		off[i] = s[i].offset_ns;
		mean += (double)off[i];
		if (verbose)
			printf("%lld %lld\n", (long long)s[i].offset_ns,
			       (long long)s[i].width_ns);
	}
	mean /= (double)kept;
	for (i = 0; i < kept; i++)
		sd += ((double)off[i] - mean) * ((double)off[i] - mean);
	sd = kept > 1 ? sqrt(sd / (double)(kept - 1)) : 0.0;
	qsort(off, (size_t)kept, sizeof(*off), cmp_i64);
	printf("%s - %s: %ld samples, %ld kept (reads of %lld..%lld ns, all "
	       "%lld..%lld)\n",
	       b.name, a.name, n, kept, (long long)s[0].width_ns,
	       (long long)s[kept - 1].width_ns, (long long)s[0].width_ns,
	       (long long)s[n - 1].width_ns);
	printf("offset ns: min %lld median %lld mean %.1f max %lld sd %.1f\n",
	       (long long)off[0], (long long)off[kept / 2], mean,
	       (long long)off[kept - 1], sd);
	printf("read width ns: median %lld\n", (long long)s[kept / 2].width_ns);
	free(s);
	free(off);
	close_clk(&a);
	close_clk(&b);
	return 0;
}

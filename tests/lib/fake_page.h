/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fake_page.h - a stand-in for gnomond in the library's tests: creates a
 * time-service page in a temporary file and publishes mappings into it
 * with the same sequence-lock protocol and futex wake as publish.c, so
 * the tests control the synchronized clock (steps, frequency changes,
 * staleness) exactly.
 */
#ifndef GN_TESTS_FAKE_PAGE_H
#define GN_TESTS_FAKE_PAGE_H

#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "gnomon/page.h"

struct fake_page {
	char path[64];
	struct gn_page *pg;
	struct gn_page_data d; /* the next publication */
	clockid_t clk;
};

static inline int64_t fake_now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline void fake_publish(struct fake_page *f)
{
	uint64_t src[sizeof(f->d) / 8];
	uint32_t s;
	unsigned i;

	f->d.update_count++;
	memcpy(src, &f->d, sizeof(src));
	s = __atomic_load_n(&f->pg->seq, __ATOMIC_RELAXED);
	__atomic_store_n(&f->pg->seq, s + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	for (i = 0; i < sizeof(src) / 8; i++)
		__atomic_store_n(&f->pg->u.w[i], src[i], __ATOMIC_RELAXED);
	__atomic_store_n(&f->pg->seq, s + 2, __ATOMIC_RELEASE);
	syscall(SYS_futex, &f->pg->seq, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

/* Anchors the mapping now: the synchronized clock reads clock_ns at the
 * local clock's current reading and runs rate_ppb fast from there. */
static inline void fake_anchor(struct fake_page *f, int64_t clock_ns,
			       double rate_ppb)
{
	f->d.anchor_local_ns = fake_now(f->clk);
	f->d.anchor_clock_ns = clock_ns;
	f->d.rate_frac = (int64_t)llround(rate_ppb * 281474.976710656);
}

/* The synchronized clock at local reading local_ns (the library's
 * formula, independently written with long double). */
static inline int64_t fake_clock_at(const struct fake_page *f, int64_t local)
{
	long double dl = (long double)(local - f->d.anchor_local_ns);

	return f->d.anchor_clock_ns + (int64_t)(local - f->d.anchor_local_ns) +
	       (int64_t)floorl(dl * (long double)f->d.rate_frac /
			       281474976710656.0L);
}

static inline int fake_page_create(struct fake_page *f, clockid_t clk)
{
	int fd;

	memset(f, 0, sizeof(*f));
	f->clk = clk;
	snprintf(f->path, sizeof(f->path), "/tmp/gn-test-page.XXXXXX");
	fd = mkstemp(f->path);
	if (fd < 0 || ftruncate(fd, GN_PAGE_FILE_SIZE) < 0)
		return -1;
	f->pg = mmap(NULL, GN_PAGE_FILE_SIZE, PROT_READ | PROT_WRITE,
		     MAP_SHARED, fd, 0);
	close(fd);
	if (f->pg == MAP_FAILED)
		return -1;
	f->pg->magic = GN_PAGE_MAGIC;
	f->pg->version_major = GN_PAGE_VERSION_MAJOR;
	f->pg->version_minor = GN_PAGE_VERSION_MINOR;
	f->pg->size = sizeof(struct gn_page);
	f->pg->pid = (int32_t)getpid();
	f->pg->local_clock = (int32_t)clk;
	f->pg->phc_index = -1;
	f->d.bound_ns = 1000;
	f->d.stale_after_ns = 3000000000LL;
	f->d.state = GN_PAGE_LOCKED;
	f->d.timescale = GN_PAGE_TS_TAI;
	f->d.utc_offset_s = 37;
	f->d.time_flags = GN_PAGE_TF_UTC_VALID | GN_PAGE_TF_PTP_TIMESCALE;
	fake_anchor(f, fake_now(CLOCK_REALTIME) + 37000000000LL, 0.0);
	fake_publish(f);
	return 0;
}

/* A page on clock clk that stays fresh for an hour, the synchronized
 * clock reading clock_ns now and running at the local clock's rate. */
static inline int fake_page_steady(struct fake_page *f, clockid_t clk,
				   int64_t clock_ns)
{
	if (fake_page_create(f, clk))
		return -1;
	f->d.stale_after_ns = 3600000000000LL;
	fake_anchor(f, clock_ns, 0.0);
	fake_publish(f);
	return 0;
}

static inline void fake_page_destroy(struct fake_page *f)
{
	if (f->pg && f->pg != MAP_FAILED)
		munmap(f->pg, GN_PAGE_FILE_SIZE);
	unlink(f->path);
}

#endif

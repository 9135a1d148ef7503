/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_lib_seqlock.c - the page's sequence lock under a writer/reader
 * stress with a checker, and the library's handling of the page: open
 * errors, no data yet, stale data, a daemon that is gone, a restarted
 * daemon's new page.
 *
 * The writer publishes as fast as it can; every publication keeps
 * invariants between words (all derived from one counter), so a torn
 * copy is detected. Two readers use the library's reader and gn_time_now
 * and must never see a torn copy; a control reader that copies without
 * the lock must see one (the checker can fail).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/wait.h>

#include "fake_page.h"
#include "lib.h"

#define S	  1000000000LL
#define STRESS_NS (1500 * 1000000LL)
#define OFFSET_NS (123456789LL * 1000)

static struct fake_page fp;
static atomic_bool stop;
static atomic_uint_fast64_t writes;

/* Publication k: every word a function of k. */
static void fill(struct gn_page_data *d, uint64_t k, int64_t local)
{
	d->anchor_local_ns = local;
	d->anchor_clock_ns = local + OFFSET_NS; /* clock = local + offset */
	d->rate_frac = 0;
	d->bound_ns = 1000 + k;
	d->bound_growth_frac = 3 * k + 1;
	d->stale_growth_frac = 5 * k + 2;
	d->leap_at_clock_ns = 0;
	d->offset_ns = (int64_t)(7 * k);
	d->path_delay_ns = (int64_t)(11 * k);
	d->freq_ppt = (int64_t)(13 * k);
	d->gm_accuracy_ns = 17 * k;
	d->reserved[15] = k ^ 0xa5a5a5a5a5a5a5a5ULL;
}

static bool consistent(const struct gn_page_data *d)
{
	uint64_t k = d->bound_ns - 1000;

	return d->anchor_clock_ns == d->anchor_local_ns + OFFSET_NS &&
	       d->bound_growth_frac == 3 * k + 1 &&
	       d->stale_growth_frac == 5 * k + 2 &&
	       d->offset_ns == (int64_t)(7 * k) &&
	       d->path_delay_ns == (int64_t)(11 * k) &&
	       d->freq_ppt == (int64_t)(13 * k) &&
	       d->gm_accuracy_ns == 17 * k &&
	       d->reserved[15] == (k ^ 0xa5a5a5a5a5a5a5a5ULL);
}

static void *writer(void *arg)
{
	uint64_t k = 1;

	(void)arg;
	while (!atomic_load(&stop)) {
		fill(&fp.d, k++, fake_now(CLOCK_MONOTONIC) - 1000);
		fake_publish(&fp);
		atomic_fetch_add(&writes, 1);
	}
	return NULL;
}

struct reader_result {
	uint64_t reads, torn, distinct, errors;
	struct gnomon *g;
};

/* The library's reader, whole data block. */
static void *reader(void *arg)
{
	struct reader_result *r = arg;
	uint64_t last = 0;

	while (!atomic_load(&stop)) {
		struct gn_lib_snap s;

		if (gn_lib_read(fp.pg, CLOCK_MONOTONIC, 64, &s) != 0) {
			r->errors++;
			continue;
		}
		r->reads++;
		if (!consistent(&s.d))
			r->torn++;
		if (s.d.bound_ns != last)
			r->distinct++;
		last = s.d.bound_ns;
		if (s.seq & 1)
			r->torn++;
	}
	return NULL;
}

/* gn_time_now: the time must be local + offset exactly, whatever the
 * version it was computed from. */
static void *time_reader(void *arg)
{
	struct reader_result *r = arg;

	while (!atomic_load(&stop)) {
		struct gn_time t;
		int rc = gn_time_now(r->g, &t);

		if (rc != 0) {
			if (r->errors++ == 0)
				print_message("gn_time_now: %s\n",
					      gn_strerror(rc));
			continue;
		}
		r->reads++;
		if (t.tai_ns != t.local_ns + OFFSET_NS)
			r->torn++;
	}
	return NULL;
}

/* Control: a copy without the lock. */
static void *naive_reader(void *arg)
{
	struct reader_result *r = arg;
	int64_t end = fake_now(CLOCK_MONOTONIC) + 5 * S;

	while (!atomic_load(&stop) && r->torn == 0 &&
	       fake_now(CLOCK_MONOTONIC) < end) {
		union {
			struct gn_page_data d;
			uint64_t w[sizeof(struct gn_page_data) / 8];
		} u;
		unsigned i;

		for (i = 0; i < sizeof(u.w) / 8; i++)
			u.w[i] =
			    __atomic_load_n(&fp.pg->u.w[i], __ATOMIC_RELAXED);
		r->reads++;
		if (u.d.bound_ns >= 1000 && !consistent(&u.d))
			r->torn++;
	}
	return NULL;
}

static void test_stress(void **state)
{
	struct reader_result r1 = {0}, r2 = {0}, rt = {0};
	pthread_t w, a, b, c;
	int64_t end;

	(void)state;
	assert_int_equal(fake_page_create(&fp, CLOCK_MONOTONIC), 0);
	assert_int_equal(gn_open(fp.path, &rt.g), 0);
	fp.d.stale_after_ns = 3600 * S;
	/* The first version already keeps the invariants. */
	fill(&fp.d, 0, fake_now(CLOCK_MONOTONIC) - 1000);
	fake_publish(&fp);
	atomic_store(&stop, false);
	atomic_store(&writes, 0);
	assert_int_equal(pthread_create(&w, NULL, writer, NULL), 0);
	assert_int_equal(pthread_create(&a, NULL, reader, &r1), 0);
	assert_int_equal(pthread_create(&b, NULL, reader, &r2), 0);
	assert_int_equal(pthread_create(&c, NULL, time_reader, &rt), 0);
	end = fake_now(CLOCK_MONOTONIC) + STRESS_NS;
	while (fake_now(CLOCK_MONOTONIC) < end)
		usleep(10000);
	atomic_store(&stop, true);
	pthread_join(w, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	pthread_join(c, NULL);
	print_message(
	    "writes %llu; reader 1: %llu reads, %llu versions, "
	    "%llu torn; reader 2: %llu reads, %llu torn; "
	    "gn_time_now: %llu reads, %llu torn, %llu errors\n",
	    (unsigned long long)atomic_load(&writes),
	    (unsigned long long)r1.reads, (unsigned long long)r1.distinct,
	    (unsigned long long)r1.torn, (unsigned long long)r2.reads,
	    (unsigned long long)r2.torn, (unsigned long long)rt.reads,
	    (unsigned long long)rt.torn, (unsigned long long)rt.errors);
	assert_true(atomic_load(&writes) > 10000);
	assert_true(r1.reads > 10000 && r2.reads > 10000 && rt.reads > 10000);
	/* The readers saw the data change while reading (how often
	 * depends on how the scheduler shares the two cores). */
	assert_true(r1.distinct + r2.distinct > 100);
	assert_int_equal(r1.torn, 0);
	assert_int_equal(r2.torn, 0);
	assert_int_equal(rt.torn, 0);
	assert_int_equal(rt.errors, 0);
	gn_close(rt.g);
	fake_page_destroy(&fp);
}

static void test_control_detects_torn(void **state)
{
	struct reader_result r = {0};
	pthread_t w, a;

	(void)state;
	assert_int_equal(fake_page_create(&fp, CLOCK_MONOTONIC), 0);
	atomic_store(&stop, false);
	assert_int_equal(pthread_create(&w, NULL, writer, NULL), 0);
	assert_int_equal(pthread_create(&a, NULL, naive_reader, &r), 0);
	pthread_join(a, NULL);
	atomic_store(&stop, true);
	pthread_join(w, NULL);
	print_message("naive reader: %llu reads before a torn copy\n",
		      (unsigned long long)r.reads);
	assert_true(r.torn > 0);
	fake_page_destroy(&fp);
}

/* A writer that died inside its critical section leaves seq odd. */
static void test_locked_forever(void **state)
{
	struct gn_lib_snap s;

	(void)state;
	assert_int_equal(fake_page_create(&fp, CLOCK_MONOTONIC), 0);
	__atomic_store_n(&fp.pg->seq, 7, __ATOMIC_RELEASE);
	assert_int_equal(gn_lib_read(fp.pg, CLOCK_MONOTONIC, 11, &s), -EAGAIN);
	fake_page_destroy(&fp);
}

static void test_open_errors(void **state)
{
	struct gnomon *g = (struct gnomon *)1;
	char path[] = "/tmp/gn-test-junk.XXXXXX";
	int fd;

	(void)state;
	assert_int_equal(gn_open("/nonexistent/gnomon/page", &g), -ENOENT);
	assert_null(g);
	assert_non_null(strstr(gn_strerror(-ENOENT), "gnomond is not running"));
	/* A file too short, then one of the right size but not a page. */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "hello", 5), 5);
	assert_int_equal(gn_open(path, &g), -EPROTO);
	assert_int_equal(ftruncate(fd, GN_PAGE_FILE_SIZE), 0);
	assert_int_equal(gn_open(path, &g), -EPROTO);
	close(fd);
	unlink(path);
	/* A layout of another major version. */
	assert_int_equal(fake_page_create(&fp, CLOCK_MONOTONIC), 0);
	fp.pg->version_major = 99;
	assert_int_equal(gn_open(fp.path, &g), -EPROTONOSUPPORT);
	fp.pg->version_major = GN_PAGE_VERSION_MAJOR;
	/* GNOMON_PAGE names the page when the path is NULL. */
	setenv(GN_PAGE_ENV, fp.path, 1);
	assert_int_equal(gn_open(NULL, &g), 0);
	gn_close(g);
	unsetenv(GN_PAGE_ENV);
	fake_page_destroy(&fp);
}

static void test_no_data_stale_gone(void **state)
{
	struct gnomon *g;
	struct gn_time t;
	struct gn_status st;
	pid_t child;

	(void)state;
	assert_int_equal(fake_page_create(&fp, CLOCK_MONOTONIC), 0);
	assert_int_equal(gn_open(fp.path, &g), 0);
	/* Fresh: LOCKED, TAI = the mapping, UTC 37 s behind. */
	fake_anchor(&fp, 1000 * S, 0.0);
	fp.d.stale_after_ns = 100000000; /* 100 ms */
	fp.d.bound_ns = 500;
	fp.d.stale_growth_frac = 281474977; /* 1000 ppb */
	fake_publish(&fp);
	assert_int_equal(gn_time_now(g, &t), 0);
	assert_int_equal(t.state, GN_LOCKED);
	assert_int_equal(t.utc_ns, t.tai_ns - 37 * S);
	assert_true(t.tai_ns >= 1000 * S && t.tai_ns < 1001 * S);
	assert_int_equal(gn_status(g, &st), 0);
	assert_int_equal(st.pid, getpid());
	assert_int_equal(st.state, GN_LOCKED);
	assert_int_equal(st.utc_offset_s, 37);
	assert_int_equal(st.local_clock, CLOCK_MONOTONIC);
	/* 200 ms without publication: stale, LOCKED reads as HOLDOVER,
	 * and the bound grew at the stale rate beyond 100 ms. */
	usleep(200000);
	assert_int_equal(gn_time_now(g, &t), -ESTALE);
	assert_true(t.flags & GN_TIME_STALE);
	assert_false(t.flags & GN_TIME_DAEMON_GONE);
	assert_int_equal(t.state, GN_HOLDOVER);
	assert_true(t.bound_ns >= 500 + 100 && t.bound_ns < 500 + 10000);
	/* The daemon closed the page. */
	__atomic_fetch_or(&fp.pg->header_flags, GN_PAGE_F_CLOSED,
			  __ATOMIC_RELEASE);
	assert_int_equal(gn_time_now(g, &t), -EOWNERDEAD);
	assert_true(t.flags & GN_TIME_DAEMON_GONE);
	__atomic_fetch_and(&fp.pg->header_flags, ~GN_PAGE_F_CLOSED,
			   __ATOMIC_RELEASE);
	/* The daemon died (its pid no longer exists). */
	child = fork();
	if (child == 0)
		_exit(0);
	waitpid(child, NULL, 0);
	fp.pg->pid = child;
	assert_int_equal(gn_time_now(g, &t), -EOWNERDEAD);
	gn_close(g);
	/* Before the first publication: no data. */
	fp.d.update_count = (uint64_t)-1; /* fake_publish adds 1: 0 */
	fp.pg->pid = getpid();
	fake_publish(&fp);
	assert_int_equal(gn_open(fp.path, &g), 0);
	assert_int_equal(gn_time_now(g, &t), -ENODATA);
	gn_close(g);
	fake_page_destroy(&fp);
}

/* A restarted daemon renames a new page into place: the library moves
 * to it once the old one is stale. */
static void test_reopen(void **state)
{
	struct fake_page second;
	struct gnomon *g;
	struct gn_time t;

	(void)state;
	assert_int_equal(fake_page_create(&fp, CLOCK_MONOTONIC), 0);
	assert_int_equal(gn_open(fp.path, &g), 0);
	fp.d.stale_after_ns = 50000000;
	fake_anchor(&fp, 1000 * S, 0.0);
	fake_publish(&fp);
	assert_int_equal(gn_time_now(g, &t), 0);
	assert_true(t.tai_ns < 1001 * S);
	assert_int_equal(fake_page_create(&second, CLOCK_MONOTONIC), 0);
	fake_anchor(&second, 5000 * S, 0.0);
	fake_publish(&second);
	assert_int_equal(rename(second.path, fp.path), 0);
	usleep(150000); /* the old page is stale now */
	assert_int_equal(gn_time_now(g, &t), 0);
	assert_true(t.tai_ns >= 5000 * S && t.tai_ns < 5001 * S);
	gn_close(g);
	munmap(second.pg, GN_PAGE_FILE_SIZE);
	fake_page_destroy(&fp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_stress),
	    cmocka_unit_test(test_control_detects_torn),
	    cmocka_unit_test(test_locked_forever),
	    cmocka_unit_test(test_open_errors),
	    cmocka_unit_test(test_no_data_stale_gone),
	    cmocka_unit_test(test_reopen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

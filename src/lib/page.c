/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * page.c - libgnomon's access to the time-service page: opening and
 * validating it, the sequence-lock reader, gn_time_now() and
 * gn_status(), detecting a stale page or a daemon that is gone, and
 * re-opening the path when a restarted daemon put a new page there.
 *
 * Must not: write to the page (it is mapped read-only), take a lock or
 * make a system call on gn_time_now()'s normal path (only the vDSO clock
 * read), or unmap a page another thread may still be reading (replaced
 * mappings are kept until gn_close()).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib.h"

#define GN_API __attribute__((visibility("default")))

/* Attempts to get an even, unchanged sequence number by spinning; then
 * the writer may have been preempted inside its critical section: yield
 * to it, for up to READ_GIVE_UP_NS, before deciding it died there. */
#define READ_SPINS	1000
#define READ_GIVE_UP_NS 100000000LL
/* Re-opening the path is tried at most this often while stale. */
#define REOPEN_INTERVAL_NS 100000000LL

static _Atomic int64_t last_reopen_ns;

int64_t gn_lib_clock_ns(clockid_t clk)
{
	struct timespec ts;

	if (clock_gettime(clk, &ts) < 0)
		return 0;
	return (int64_t)ts.tv_sec * GN_NS_PER_S + ts.tv_nsec;
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

static inline __attribute__((always_inline)) int
read_page(const struct gn_page *p, clockid_t clk, unsigned words,
	  struct gn_lib_snap *s)
{
	const uint64_t *src = p->u.w;
	int64_t give_up = 0;
	uint32_t stuck_seq = 0;
	unsigned i, tries;
	struct timespec ts;

	if (words > sizeof(s->w) / sizeof(s->w[0]))
		words = sizeof(s->w) / sizeof(s->w[0]);
	for (tries = 0;; tries++) {
		uint32_t s1 = __atomic_load_n(&p->seq, __ATOMIC_ACQUIRE), s2;

		if (tries >= READ_SPINS) {
			/* The slow path: a preempted (or dead) writer. */
			int64_t now = gn_lib_clock_ns(CLOCK_MONOTONIC);

			/* Only a sequence that stays where it is means a
			 * dead writer; one that moves is a busy writer. */
			if (!give_up || s1 != stuck_seq) {
				give_up = now + READ_GIVE_UP_NS;
				stuck_seq = s1;
			} else if (now > give_up) {
				return -EAGAIN;
			}
			sched_yield();
		}
		if (s1 & 1u) {
			cpu_relax();
			continue;
		}
#pragma GCC unroll 40
		for (i = 0; i < words; i++)
			s->w[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
		clock_gettime(clk, &ts);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		s2 = __atomic_load_n(&p->seq, __ATOMIC_RELAXED);
		if (s1 == s2) {
			s->seq = s1;
			s->local_ns =
			    (int64_t)ts.tv_sec * GN_NS_PER_S + ts.tv_nsec;
			return 0;
		}
	}
}

int gn_lib_read(const struct gn_page *p, clockid_t clk, unsigned words,
		struct gn_lib_snap *s)
{
	return read_page(p, clk, words, s);
}

bool gn_lib_daemon_gone(const struct gn_page *p)
{
	pid_t pid;

	if (__atomic_load_n(&p->header_flags, __ATOMIC_ACQUIRE) &
	    GN_PAGE_F_CLOSED)
		return true;
	pid = (pid_t)p->pid;
	if (pid <= 0)
		return true;
	return kill(pid, 0) < 0 && errno == ESRCH;
}

static void mono_raw_pair(int64_t *raw_ns, int64_t *mono_ns);

/* Maps and validates the page at path. */
static int map_page(const char *path, struct gn_lib_mapping *m)
{
	struct gn_page *p;
	struct stat st;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	if (!S_ISREG(st.st_mode) || st.st_size < GN_PAGE_FILE_SIZE) {
		close(fd);
		return -EPROTO;
	}
	p = mmap(NULL, GN_PAGE_FILE_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	rc = p == MAP_FAILED ? -errno : 0;
	close(fd);
	if (rc)
		return rc;
	if (p->magic != GN_PAGE_MAGIC) {
		munmap(p, GN_PAGE_FILE_SIZE);
		return -EPROTO;
	}
	if (p->version_major != GN_PAGE_VERSION_MAJOR ||
	    p->size < sizeof(struct gn_page) || p->size > GN_PAGE_FILE_SIZE) {
		munmap(p, GN_PAGE_FILE_SIZE);
		return -EPROTONOSUPPORT;
	}
	m->page = p;
	m->dev = st.st_dev;
	m->ino = st.st_ino;
	return 0;
}

GN_API int gn_open(const char *path, struct gnomon **out)
{
	struct gnomon *g;
	int rc;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!path)
		path = getenv(GN_PAGE_ENV);
	if (!path || !path[0])
		path = GN_DEFAULT_PAGE;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->path = strdup(path);
	if (!g->path) {
		free(g);
		return -ENOMEM;
	}
	rc = map_page(g->path, &g->cur);
	if (rc) {
		free(g->path);
		free(g);
		return rc;
	}
	g->local_clock = (clockid_t)g->cur.page->local_clock;
	mono_raw_pair(&g->cal_raw0_ns, &g->cal_mono0_ns);
	atomic_store(&g->page, g->cur.page);
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->timer_cond, NULL);
	*out = g;
	return 0;
}

GN_API void gn_close(struct gnomon *g)
{
	unsigned i;

	if (!g)
		return;
	gn_lib_pulses_shutdown(g);
	gn_lib_timers_shutdown(g);
	munmap(g->cur.page, GN_PAGE_FILE_SIZE);
	for (i = 0; i < g->nretired; i++)
		munmap(g->retired[i].page, GN_PAGE_FILE_SIZE);
	pthread_mutex_destroy(&g->lock);
	pthread_cond_destroy(&g->timer_cond);
	free(g->path);
	free(g);
}

/* Stale or gone: a restarted daemon may have put a new page at the path
 * (a new inode). Rate-limited; never unmaps the page in use. */
static bool try_reopen(struct gnomon *g)
{
	int64_t now = gn_lib_clock_ns(CLOCK_MONOTONIC);
	int64_t last = atomic_load(&last_reopen_ns);
	struct gn_lib_mapping m;
	struct stat st;
	bool swapped = false;

	if (now - last < REOPEN_INTERVAL_NS && last != 0)
		return false;
	atomic_store(&last_reopen_ns, now);
	if (stat(g->path, &st) < 0)
		return false;
	pthread_mutex_lock(&g->lock);
	if ((st.st_dev != g->cur.dev || st.st_ino != g->cur.ino) &&
	    g->nretired < GN_LIB_MAX_RETIRED && map_page(g->path, &m) == 0) {
		if (m.page->local_clock != (int32_t)g->local_clock) {
			/* Another clock: timers plan on the old one. Keep
			 * the old page (it reports the daemon gone). */
			munmap(m.page, GN_PAGE_FILE_SIZE);
		} else {
			g->retired[g->nretired++] = g->cur;
			g->cur = m;
			atomic_store(&g->page, m.page);
			swapped = true;
		}
	}
	pthread_mutex_unlock(&g->lock);
	return swapped;
}

struct gn_page *gn_lib_page(struct gnomon *g)
{
	return atomic_load_explicit(&g->page, memory_order_acquire);
}

int gn_lib_now(struct gnomon *g, bool full, struct gn_lib_snap *s,
	       struct gn_time *t)
{
	int attempt, rc = 0;

	for (attempt = 0; attempt < 2; attempt++) {
		const struct gn_page *p = gn_lib_page(g);
		int64_t clock_ns, dl;

		rc = read_page(p, g->local_clock,
			       full ? sizeof(s->w) / sizeof(s->w[0])
				    : GN_LIB_TIME_WORDS,
			       s);
		if (rc) {
			if (gn_lib_daemon_gone(p) && try_reopen(g))
				continue;
			return gn_lib_daemon_gone(p) ? -EOWNERDEAD : rc;
		}
		if (s->d.update_count == 0)
			return gn_lib_daemon_gone(p) ? -EOWNERDEAD : -ENODATA;
		clock_ns = gn_lib_clock_at(&s->d, s->local_ns);
		gn_lib_timescales(&s->d, clock_ns, t);
		t->bound_ns = gn_lib_bound_at(&s->d, s->local_ns);
		t->state = (enum gn_state)s->d.state;
		t->local_ns = s->local_ns;
		dl = s->local_ns - s->d.anchor_local_ns;
		if (!(__atomic_load_n(&p->header_flags, __ATOMIC_RELAXED) &
		      GN_PAGE_F_CLOSED) &&
		    (s->d.stale_after_ns <= 0 || dl <= s->d.stale_after_ns))
			return 0;
		/* The slow path: nobody publishes any more. */
		t->flags |= GN_TIME_STALE;
		if (t->state == GN_LOCKED)
			t->state = GN_HOLDOVER;
		rc = -ESTALE;
		if (gn_lib_daemon_gone(p)) {
			t->flags |= GN_TIME_DAEMON_GONE;
			rc = -EOWNERDEAD;
		}
		if (attempt == 0 && try_reopen(g))
			continue;
		return rc;
	}
	return rc;
}

GN_API int gn_time_now(struct gnomon *g, struct gn_time *t)
{
	const struct gn_page *p;
	struct gn_lib_snap s;

	if (!g || !t)
		return -EINVAL;
	/* The fast path: fresh data, a fixed number of words. */
	p = gn_lib_page(g);
	if (read_page(p, g->local_clock, GN_LIB_TIME_WORDS, &s) == 0 &&
	    s.d.update_count != 0 &&
	    s.local_ns - s.d.anchor_local_ns <= s.d.stale_after_ns &&
	    !(__atomic_load_n(&p->header_flags, __ATOMIC_RELAXED) &
	      GN_PAGE_F_CLOSED)) {
		gn_lib_timescales(&s.d, gn_lib_clock_at(&s.d, s.local_ns), t);
		t->bound_ns = gn_lib_bound_at(&s.d, s.local_ns);
		t->state = (enum gn_state)s.d.state;
		t->local_ns = s.local_ns;
		return 0;
	}
	/* Stale, gone, locked, not yet published: the careful way. */
	return gn_lib_now(g, false, &s, t);
}

GN_API int gn_status(struct gnomon *g, struct gn_status *st)
{
	struct gn_lib_snap s = {0};
	struct gn_time t = {0};
	const struct gn_page *p;
	int rc;

	if (!g || !st)
		return -EINVAL;
	rc = gn_lib_now(g, true, &s, &t);
	if (rc && rc != -ESTALE && rc != -EOWNERDEAD)
		return rc;
	p = gn_lib_page(g);
	memset(st, 0, sizeof(*st));
	st->pid = p->pid;
	st->update_count = s.d.update_count;
	st->age_ns = s.local_ns - s.d.anchor_local_ns;
	st->state = t.state;
	st->state_age_ns = s.local_ns - s.d.state_since_local_ns;
	st->bound_ns = s.d.bound_ns;
	st->bound_growth_ppb =
	    gn_lib_ppb_of_frac((int64_t)s.d.bound_growth_frac);
	st->timescale = (int)s.d.timescale;
	st->utc_offset_s = s.d.utc_offset_s;
	st->time_flags = s.d.time_flags;
	st->time_source = s.d.time_source;
	st->domain = s.d.domain;
	st->servo_state = s.d.servo_state;
	st->port_state = s.d.port_state;
	memcpy(st->gm_identity, s.d.gm_identity, 8);
	memcpy(st->parent_identity, s.d.parent_identity, 8);
	st->parent_port = s.d.parent_port;
	st->steps_removed = s.d.steps_removed;
	st->gm_clock_class = s.d.gm_clock_class;
	st->gm_clock_accuracy = s.d.gm_clock_accuracy;
	st->gm_variance = s.d.gm_variance;
	st->gm_priority1 = s.d.gm_priority1;
	st->gm_priority2 = s.d.gm_priority2;
	st->gm_accuracy_ns = s.d.gm_accuracy_ns;
	st->offset_ns = s.d.offset_ns;
	st->path_delay_ns = s.d.path_delay_ns;
	st->freq_ppb = (double)s.d.freq_ppt / 1000.0;
	st->phc_index = p->phc_index;
	st->local_clock = p->local_clock;
	st->version_major = p->version_major;
	st->version_minor = p->version_minor;
	return rc;
}

GN_API const char *gn_state_str(enum gn_state s)
{
	switch (s) {
	case GN_FREERUN:
		return "FREERUN";
	case GN_LOCKING:
		return "LOCKING";
	case GN_LOCKED:
		return "LOCKED";
	case GN_HOLDOVER:
		return "HOLDOVER";
	}
	return "UNKNOWN";
}

GN_API const char *gn_strerror(int err)
{
	switch (err) {
	case 0:
		return "success";
	case -ENOENT:
		return "no time-service page: gnomond is not running, or it "
		       "publishes elsewhere (publish_path, $" GN_PAGE_ENV ")";
	case -EACCES:
		return "the time-service page is not readable by this user";
	case -EPROTO:
		return "not a gnomon time-service page";
	case -EPROTONOSUPPORT:
		return "time-service page of an unknown layout version "
		       "(library and daemon differ)";
	case -ESTALE:
		return "gnomond has stopped publishing (stale page; the time "
		       "is extrapolated)";
	case -EOWNERDEAD:
		return "gnomond is gone (the time is extrapolated)";
	case -EAGAIN:
		return "the page stayed locked (a writer died while writing)";
	case -ENODATA:
		return "gnomond has not published its first update yet";
	case -EINVAL:
		return "invalid argument";
	case -ENOMEM:
		return "out of memory";
	case -ENODEV:
		return "gnomond has no PTP hardware clock for hardware pulses";
	case -EALREADY:
		return "the timer is not armed";
	}
	return err < 0 ? strerror(-err) : "unknown error";
}

/* A CLOCK_MONOTONIC reading and the CLOCK_MONOTONIC_RAW time of it:
 * raw, mono, raw; the narrowest of three. */
static void mono_raw_pair(int64_t *raw_ns, int64_t *mono_ns)
{
	int64_t best = INT64_MAX;
	int i;

	for (i = 0; i < 3; i++) {
		int64_t r1 = gn_lib_clock_ns(CLOCK_MONOTONIC_RAW);
		int64_t m = gn_lib_clock_ns(CLOCK_MONOTONIC);
		int64_t r2 = gn_lib_clock_ns(CLOCK_MONOTONIC_RAW);

		if (r2 - r1 < best) {
			best = r2 - r1;
			*raw_ns = r1 + (r2 - r1) / 2;
			*mono_ns = m;
		}
	}
}

/* Calibration pairs are renewed every CAL_RENEW_NS; the ratio comes from
 * the older of two, so it spans CAL_RENEW_NS .. 2 * CAL_RENEW_NS. */
#define CAL_RENEW_NS 10000000000LL
/* Until then the kernel's frequency correction of CLOCK_MONOTONIC
 * against the raw oscillator is unknown within 500 ppm; after, it may
 * change by a little between the pairs. */
#define CAL_UNKNOWN	600e-6
#define CAL_UNCERTAINTY 20e-6
#define CAL_MIN_SPAN_NS 1000000000LL
#define CAL_PAIR_ERR_NS 2000.0 /* error of two pair readings, ns */
#define WAIT_MARGIN_NS	1000

static _Thread_local int64_t cal_raw[2], cal_mono[2];
static _Thread_local int cal_n;

void gn_lib_wait_deadline(struct gnomon *g, int64_t local_deadline_ns,
			  clockid_t *wait_clock, struct timespec *abs)
{
	int64_t deadline = local_deadline_ns;

	if (g->local_clock == CLOCK_MONOTONIC_RAW) {
		int64_t raw, mono, rem, span, margin;
		double ratio = 1.0, unc = CAL_UNKNOWN;

		mono_raw_pair(&raw, &mono);
		if (cal_n == 0) {
			/* Start from the pair taken when g was opened. */
			cal_raw[0] = g->cal_raw0_ns;
			cal_mono[0] = g->cal_mono0_ns;
			cal_raw[1] = raw;
			cal_mono[1] = mono;
			cal_n = 1;
		} else if (raw - cal_raw[1] >= CAL_RENEW_NS) {
			cal_raw[0] = cal_raw[1];
			cal_mono[0] = cal_mono[1];
			cal_raw[1] = raw;
			cal_mono[1] = mono;
		}
		span = raw - cal_raw[0];
		if (span >= CAL_MIN_SPAN_NS) {
			ratio = (double)(mono - cal_mono[0]) / (double)span;
			unc = CAL_UNCERTAINTY + CAL_PAIR_ERR_NS / (double)span;
		}
		rem = local_deadline_ns - raw;
		margin =
		    rem > 0 ? (int64_t)((double)rem * unc) + WAIT_MARGIN_NS : 0;
		deadline = mono + (int64_t)((double)rem * ratio) - margin;
		*wait_clock = CLOCK_MONOTONIC;
	} else if (g->local_clock == CLOCK_REALTIME) {
		*wait_clock = CLOCK_REALTIME;
	} else {
		*wait_clock = CLOCK_MONOTONIC;
		if (g->local_clock != CLOCK_MONOTONIC)
			deadline = gn_lib_clock_ns(CLOCK_MONOTONIC) +
				   (local_deadline_ns -
				    gn_lib_clock_ns(g->local_clock));
	}
	if (deadline < 0)
		deadline = 0;
	abs->tv_sec = (time_t)(deadline / GN_NS_PER_S);
	abs->tv_nsec = (long)(deadline % GN_NS_PER_S);
}

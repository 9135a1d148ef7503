/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * timer.c - libgnomon's one-shot timers on the synchronized clock. One
 * thread per gnomon handle plans the earliest armed timer: it turns the
 * synchronized instant into a deadline on a kernel clock through the
 * page's current mapping and sleeps with futex_waitv() on two words at
 * once, the page's sequence word (gnomond wakes it after every
 * publication, so a frequency change or a step re-plans the wait at
 * once) and the handle's own generation word (arm/cancel). It fires only
 * after reading the synchronized clock at or past the instant.
 *
 * Must not: fire a timer before its instant, hold the handle's lock
 * while a callback runs, or block signals of the application's threads.
 */
#include <errno.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib.h"

#define GN_API __attribute__((visibility("default")))

/* Longest single wait: the plan is refreshed at least this often even if
 * no publication wakes the thread (stale page, old daemon). */
#define MAX_WAIT_NS 1000000000LL
/* Without futex_waitv (kernels before 5.16): this often for the page. */
#define FALLBACK_WAIT_NS 20000000LL

struct gn_timer {
	struct gnomon *g;
	struct gn_timer *next;
	gn_timer_fn fn;
	void *arg;
	int efd; /* fd mode: eventfd, else -1 */
	bool armed;
	bool pending; /* fd mode: an event waits in ev */
	bool free_after_callback;
	int64_t target_tai_ns;
	unsigned waits; /* waits planned for the current arming */
	struct gn_timer_event ev;
};

static bool have_waitv = true;

static void futex_wake_private(_Atomic uint32_t *w)
{
	syscall(SYS_futex, (uint32_t *)w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* Sleeps until abs on clk, or until *page_seq != page_val (shared) or
 * *gen != gen_val (private). */
static void wait_two(const uint32_t *page_seq, uint32_t page_val,
		     _Atomic uint32_t *gen, uint32_t gen_val,
		     const struct timespec *abs, clockid_t clk)
{
	struct futex_waitv w[2];
	struct timespec ts, now;
	int64_t left;

	if (have_waitv) {
		memset(w, 0, sizeof(w));
		w[0].val = page_val;
		w[0].uaddr = (uintptr_t)page_seq;
		w[0].flags = FUTEX_32;
		w[1].val = gen_val;
		w[1].uaddr = (uintptr_t)(uint32_t *)gen;
		w[1].flags = FUTEX_32 | FUTEX_PRIVATE_FLAG;
		if (syscall(SYS_futex_waitv, w, 2, 0, abs, clk) == 0 ||
		    errno != ENOSYS)
			return;
		have_waitv = false;
	}
	/* Old kernels: the generation word with a short timeout, so page
	 * changes are seen within FALLBACK_WAIT_NS. */
	clock_gettime(clk, &now);
	left = ((int64_t)abs->tv_sec - now.tv_sec) * GN_NS_PER_S +
	       (abs->tv_nsec - now.tv_nsec);
	if (left <= 0)
		return;
	if (left > FALLBACK_WAIT_NS)
		left = FALLBACK_WAIT_NS;
	ts.tv_sec = (time_t)(left / GN_NS_PER_S);
	ts.tv_nsec = (long)(left % GN_NS_PER_S);
	syscall(SYS_futex, (uint32_t *)gen, FUTEX_WAIT_PRIVATE, gen_val, &ts,
		NULL, 0);
}

static struct gn_timer *earliest(struct gnomon *g)
{
	struct gn_timer *t, *best = NULL;

	for (t = g->timers; t; t = t->next)
		if (t->armed &&
		    (!best || t->target_tai_ns < best->target_tai_ns))
			best = t;
	return best;
}

static void unlink_timer(struct gnomon *g, struct gn_timer *t)
{
	struct gn_timer **pp;

	for (pp = &g->timers; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			return;
		}
	}
}

static void free_timer(struct gn_timer *t)
{
	if (t->efd >= 0)
		close(t->efd);
	free(t);
}

/* Called with the lock held; returns with it held. */
static void fire(struct gnomon *g, struct gn_timer *t,
		 const struct gn_time *now)
{
	struct gn_timer_event ev = {
	    .target_tai_ns = t->target_tai_ns,
	    .fired_tai_ns = now->tai_ns,
	    .bound_ns = now->bound_ns,
	    .replans = t->waits > 0 ? t->waits - 1 : 0,
	};
	uint64_t one = 1;

	t->armed = false;
	if (!t->fn) {
		t->ev = ev;
		t->pending = true;
		if (write(t->efd, &one, sizeof(one)) < 0) {
			/* the counter cannot overflow at one per arming */
		}
		return;
	}
	g->running = t;
	pthread_mutex_unlock(&g->lock);
	t->fn(t, &ev, t->arg);
	pthread_mutex_lock(&g->lock);
	g->running = NULL;
	if (t->free_after_callback)
		free_timer(t);
	pthread_cond_broadcast(&g->timer_cond);
}

static void *timer_main(void *arg)
{
	struct gnomon *g = arg;

	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	pthread_mutex_lock(&g->lock);
	while (!g->timer_stop) {
		struct gn_timer *t = earliest(g);
		uint32_t gen = atomic_load(&g->tgen);
		struct gn_lib_snap s;
		struct gn_time now;
		struct timespec abs;
		clockid_t wclk;
		int64_t target, clock_target, clock_now, local_deadline;
		const struct gn_page *p;
		int rc;

		if (!t) {
			pthread_mutex_unlock(&g->lock);
			syscall(SYS_futex, (uint32_t *)&g->tgen,
				FUTEX_WAIT_PRIVATE, gen, NULL, NULL, 0);
			pthread_mutex_lock(&g->lock);
			continue;
		}
		target = t->target_tai_ns;
		t->waits++;
		pthread_mutex_unlock(&g->lock);

		p = gn_lib_page(g);
		rc = gn_lib_now(g, false, &s, &now);
		if (rc == -EAGAIN || rc == -ENODATA) {
			/* Locked, or nothing published yet. */
			struct timespec ms = {0, 10000000};

			nanosleep(&ms, NULL);
			pthread_mutex_lock(&g->lock);
			continue;
		}
		clock_target = gn_lib_clock_of_tai(&s.d, target);
		clock_now = gn_lib_clock_at(&s.d, s.local_ns);
		if (clock_now >= clock_target && now.tai_ns >= target) {
			pthread_mutex_lock(&g->lock);
			/* Still the same arming? */
			if (t == earliest(g) && t->armed &&
			    t->target_tai_ns == target)
				fire(g, t, &now);
			continue;
		}
		local_deadline = gn_lib_local_of_clock(&s.d, clock_target);
		if (local_deadline - s.local_ns > MAX_WAIT_NS)
			local_deadline = s.local_ns + MAX_WAIT_NS;
		gn_lib_wait_deadline(g, local_deadline, &wclk, &abs);
		wait_two(&p->seq, s.seq, &g->tgen, gen, &abs, wclk);
		pthread_mutex_lock(&g->lock);
	}
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

/* With the lock held. Library threads take no signals. */
static int start_thread(struct gnomon *g)
{
	sigset_t all, old;
	int rc;

	if (g->timer_thread_running)
		return 0;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&g->timer_thread, NULL, timer_main, g);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc)
		return -rc;
	g->timer_thread_running = true;
	return 0;
}

static void kick(struct gnomon *g)
{
	atomic_fetch_add(&g->tgen, 1);
	futex_wake_private(&g->tgen);
}

GN_API int gn_timer_create(struct gnomon *g, gn_timer_fn fn, void *arg,
			   struct gn_timer **out)
{
	struct gn_timer *t;
	int rc;

	if (!g || !out)
		return -EINVAL;
	*out = NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->g = g;
	t->fn = fn;
	t->arg = arg;
	t->efd = -1;
	if (!fn) {
		t->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (t->efd < 0) {
			rc = -errno;
			free(t);
			return rc;
		}
	}
	pthread_mutex_lock(&g->lock);
	rc = start_thread(g);
	if (rc) {
		pthread_mutex_unlock(&g->lock);
		free_timer(t);
		return rc;
	}
	t->next = g->timers;
	g->timers = t;
	pthread_mutex_unlock(&g->lock);
	*out = t;
	return 0;
}

static void drain(struct gn_timer *t)
{
	uint64_t v;

	t->pending = false;
	if (t->efd >= 0 && read(t->efd, &v, sizeof(v)) < 0) {
		/* EAGAIN: nothing was pending */
	}
}

GN_API int gn_timer_arm_at(struct gn_timer *t, int64_t tai_ns)
{
	struct gnomon *g;

	if (!t)
		return -EINVAL;
	g = t->g;
	pthread_mutex_lock(&g->lock);
	drain(t);
	t->target_tai_ns = tai_ns;
	t->armed = true;
	t->waits = 0;
	kick(g);
	pthread_mutex_unlock(&g->lock);
	return 0;
}

GN_API int gn_timer_arm_after(struct gn_timer *t, int64_t delay_ns)
{
	struct gn_time now;
	int rc;

	if (!t || delay_ns < 0)
		return -EINVAL;
	rc = gn_time_now(t->g, &now);
	if (rc && rc != -ESTALE)
		return rc;
	return gn_timer_arm_at(t, now.tai_ns + delay_ns);
}

GN_API int gn_timer_cancel(struct gn_timer *t)
{
	struct gnomon *g;
	int rc = 0;

	if (!t)
		return -EINVAL;
	g = t->g;
	pthread_mutex_lock(&g->lock);
	if (t->armed) {
		t->armed = false;
		kick(g);
	} else {
		rc = -EALREADY;
	}
	pthread_mutex_unlock(&g->lock);
	return rc;
}

GN_API int gn_timer_fd(const struct gn_timer *t)
{
	if (!t || t->efd < 0)
		return -EINVAL;
	return t->efd;
}

GN_API int gn_timer_read(struct gn_timer *t, struct gn_timer_event *ev)
{
	struct gnomon *g;
	int rc = 0;

	if (!t || !ev || t->efd < 0)
		return -EINVAL;
	g = t->g;
	pthread_mutex_lock(&g->lock);
	if (t->pending) {
		*ev = t->ev;
		drain(t);
	} else {
		rc = -EAGAIN;
	}
	pthread_mutex_unlock(&g->lock);
	return rc;
}

GN_API void gn_timer_destroy(struct gn_timer *t)
{
	struct gnomon *g;

	if (!t)
		return;
	g = t->g;
	pthread_mutex_lock(&g->lock);
	t->armed = false;
	unlink_timer(g, t);
	if (g->running == t) {
		if (g->timer_thread_running &&
		    pthread_equal(pthread_self(), g->timer_thread)) {
			/* From its own callback: freed when it returns. */
			t->free_after_callback = true;
			pthread_mutex_unlock(&g->lock);
			return;
		}
		while (g->running == t)
			pthread_cond_wait(&g->timer_cond, &g->lock);
	}
	kick(g);
	pthread_mutex_unlock(&g->lock);
	free_timer(t);
}

void gn_lib_timers_shutdown(struct gnomon *g)
{
	struct gn_timer *t, *next;
	bool join;

	pthread_mutex_lock(&g->lock);
	g->timer_stop = true;
	join = g->timer_thread_running;
	kick(g);
	pthread_mutex_unlock(&g->lock);
	if (join)
		pthread_join(g->timer_thread, NULL);
	g->timer_thread_running = false;
	for (t = g->timers; t; t = next) {
		next = t->next;
		free_timer(t);
	}
	g->timers = NULL;
}

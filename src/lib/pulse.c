/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pulse.c - libgnomon's periodic pulses: instants epoch + n * period +
 * phase of the synchronized clock, each run on a dedicated thread
 * (SCHED_FIFO where permitted, memory locked, timer slack minimal) that
 * sleeps on a kernel clock to a deadline planned through the page's
 * mapping, and re-plans when gnomond publishes. Instants the thread
 * wakes too late for are skipped and counted, never run in a burst.
 * Lateness (synchronized time at the callback minus the instant) goes
 * into a log-linear histogram. With GN_PULSE_HARDWARE the daemon's PHC
 * also drives its periodic output (PTP_PEROUT_REQUEST2), aligned to the
 * same instants.
 *
 * Must not: run a callback before its instant, allocate or take a
 * contended lock between waking and measuring the lateness, or leave
 * the PHC's output running after gn_pulse_stop().
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/ptp_clock.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib.h"

#define GN_API __attribute__((visibility("default")))

#define PULSE_STACK_BYTES (256 * 1024)
#define PREFAULT_BYTES	  (64 * 1024)
/* The first instant is at least this far ahead of the start. */
#define FIRST_LEAD_NS 1000000LL
/* A hardware output starts at an instant at least this far ahead. */
#define HW_LEAD_NS  200000000LL
#define MAX_WAIT_NS 1000000000LL

struct gn_pulse {
	struct gnomon *g;
	struct gn_pulse *next;
	struct gn_pulse_config cfg;
	gn_pulse_fn fn;
	void *arg;
	pthread_t thread;
	_Atomic uint32_t stop;
	pthread_mutex_t stats_lock;
	struct gn_hist hist;
	uint64_t missed;
	bool realtime;
	bool has_thread; /* false: hardware only, no callback */
	int hw_fd;
};

static int default_ioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

gn_lib_ioctl_fn gn_lib_perout_ioctl = default_ioctl;
const char *gn_lib_phc_prefix = "/dev/ptp";

static pthread_mutex_t mlock_once = PTHREAD_MUTEX_INITIALIZER;
static bool mlocked;

GN_API void gn_pulse_config_init(struct gn_pulse_config *c, int64_t period_ns)
{
	memset(c, 0, sizeof(*c));
	c->period_ns = period_ns;
	c->align = GN_ALIGN_TAI;
	c->priority = 80;
	c->cpu = -1;
}

static void wait_two(const uint32_t *page_seq, uint32_t page_val,
		     _Atomic uint32_t *stop, const struct timespec *abs,
		     clockid_t clk)
{
	struct futex_waitv w[2];

	memset(w, 0, sizeof(w));
	w[0].val = page_val;
	w[0].uaddr = (uintptr_t)page_seq;
	w[0].flags = FUTEX_32;
	w[1].val = 0;
	w[1].uaddr = (uintptr_t)(uint32_t *)stop;
	w[1].flags = FUTEX_32 | FUTEX_PRIVATE_FLAG;
	if (syscall(SYS_futex_waitv, w, 2, 0, abs, clk) < 0 && errno == ENOSYS)
		clock_nanosleep(clk, TIMER_ABSTIME, abs, NULL);
}

/*
 * Sleeps until the synchronized clock reaches tai_ns (or stop). Returns
 * true with *now read at or after the instant, false on stop.
 */
static bool sleep_until(struct gn_pulse *p, int64_t tai_ns, struct gn_time *now)
{
	struct gnomon *g = p->g;

	while (!atomic_load(&p->stop)) {
		const struct gn_page *pg = gn_lib_page(g);
		struct gn_lib_snap s;
		int64_t ct, cn, local;
		struct timespec abs;
		clockid_t wclk;

		int rc = gn_lib_now(g, false, &s, now);

		if (rc == -EAGAIN || rc == -ENODATA) {
			struct timespec ms = {0, 10000000};

			nanosleep(&ms, NULL);
			continue;
		}
		ct = gn_lib_clock_of_tai(&s.d, tai_ns);
		cn = gn_lib_clock_at(&s.d, s.local_ns);
		if (cn >= ct && now->tai_ns >= tai_ns)
			return true;
		local = gn_lib_local_of_clock(&s.d, ct);
		if (local - s.local_ns > MAX_WAIT_NS)
			local = s.local_ns + MAX_WAIT_NS;
		gn_lib_wait_deadline(g, local, &wclk, &abs);
		wait_two(&pg->seq, s.seq, &p->stop, &abs, wclk);
	}
	return false;
}

static void prefault_stack(void)
{
	volatile char buf[PREFAULT_BYTES];
	size_t i;

	for (i = 0; i < sizeof(buf); i += 4096)
		buf[i] = 0;
}

static void make_realtime(struct gn_pulse *p)
{
	struct sched_param sp;

	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	if (p->cfg.cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(p->cfg.cpu, &set);
		pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	}
	if (p->cfg.priority > 0) {
		memset(&sp, 0, sizeof(sp));
		sp.sched_priority = p->cfg.priority;
		p->realtime =
		    pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp) == 0;
	}
	prefault_stack();
}

static void *pulse_main(void *arg)
{
	struct gn_pulse *p = arg;
	const struct gn_pulse_config *c = &p->cfg;
	struct gn_time now;
	int64_t index;

	make_realtime(p);
	for (;;) {
		int rc = gn_time_now(p->g, &now);
		struct timespec ms = {0, 10000000};

		if (rc != -EAGAIN && rc != -ENODATA)
			break;
		if (atomic_load(&p->stop))
			return NULL;
		nanosleep(&ms, NULL);
	}
	index = gn_lib_pulse_next(now.tai_ns + FIRST_LEAD_NS, c->period_ns,
				  c->phase_ns, c->align, now.utc_offset_s);
	while (!atomic_load(&p->stop)) {
		int64_t target =
		    gn_lib_pulse_instant(index, c->period_ns, c->phase_ns,
					 c->align, now.utc_offset_s);
		struct gn_pulse_event ev;
		int64_t late, skip;

		if (!sleep_until(p, target, &now))
			break;
		late = now.tai_ns - target;
		skip = late / c->period_ns;
		if (skip > 0) {
			/* Woke too late for some: run the latest due. */
			index += skip;
			target = gn_lib_pulse_instant(index, c->period_ns,
						      c->phase_ns, c->align,
						      now.utc_offset_s);
			late = now.tai_ns - target;
		}
		ev = (struct gn_pulse_event){
		    .index = (uint64_t)index,
		    .target_tai_ns = target,
		    .fired_tai_ns = now.tai_ns,
		    .lateness_ns = late,
		    .missed = (uint64_t)skip,
		    .bound_ns = now.bound_ns,
		};
		pthread_mutex_lock(&p->stats_lock);
		gn_hist_add(&p->hist, late);
		p->missed += (uint64_t)skip;
		pthread_mutex_unlock(&p->stats_lock);
		if (p->fn)
			p->fn(p, &ev, p->arg);
		index++;
	}
	return NULL;
}

int gn_lib_perout_fill(const struct gn_pulse_config *cfg,
		       const struct gn_page_data *d, int64_t clock_now_ns,
		       struct ptp_perout_request *req)
{
	struct gn_time t;
	int64_t index, start;

	if (cfg->period_ns <= 0 || cfg->hw_channel < 0)
		return -EINVAL;
	gn_lib_timescales(d, clock_now_ns, &t);
	index = gn_lib_pulse_next(t.tai_ns + HW_LEAD_NS, cfg->period_ns,
				  cfg->phase_ns, cfg->align, t.utc_offset_s);
	start = gn_lib_clock_of_tai(
	    d, gn_lib_pulse_instant(index, cfg->period_ns, cfg->phase_ns,
				    cfg->align, t.utc_offset_s));
	memset(req, 0, sizeof(*req));
	req->index = (unsigned)cfg->hw_channel;
	req->start.sec = start / GN_NS_PER_S;
	req->start.nsec = (uint32_t)(start % GN_NS_PER_S);
	req->period.sec = cfg->period_ns / GN_NS_PER_S;
	req->period.nsec = (uint32_t)(cfg->period_ns % GN_NS_PER_S);
	return 0;
}

static int hw_start(struct gn_pulse *p)
{
	const struct gn_page *pg = gn_lib_page(p->g);
	struct ptp_perout_request req;
	struct gn_lib_snap s;
	char dev[256];
	int rc;

	if (pg->phc_index < 0)
		return -ENODEV;
	snprintf(dev, sizeof(dev), "%s%d", gn_lib_phc_prefix, pg->phc_index);
	p->hw_fd = open(dev, O_RDWR | O_CLOEXEC);
	if (p->hw_fd < 0)
		return -errno;
	rc = gn_lib_read(pg, p->g->local_clock, sizeof(s.w) / sizeof(s.w[0]),
			 &s);
	if (rc == 0)
		rc = gn_lib_perout_fill(
		    &p->cfg, &s.d, gn_lib_clock_at(&s.d, s.local_ns), &req);
	if (rc == 0)
		rc = gn_lib_perout_ioctl(p->hw_fd, PTP_PEROUT_REQUEST2, &req);
	if (rc) {
		close(p->hw_fd);
		p->hw_fd = -1;
	}
	return rc;
}

static void hw_stop(struct gn_pulse *p)
{
	struct ptp_perout_request req;

	if (p->hw_fd < 0)
		return;
	memset(&req, 0, sizeof(req));
	req.index = (unsigned)p->cfg.hw_channel;
	gn_lib_perout_ioctl(p->hw_fd, PTP_PEROUT_REQUEST2, &req);
	close(p->hw_fd);
	p->hw_fd = -1;
}

GN_API int gn_pulse_start(struct gnomon *g, const struct gn_pulse_config *cfg,
			  gn_pulse_fn fn, void *arg, struct gn_pulse **out)
{
	struct gn_pulse *p;
	pthread_attr_t attr;
	sigset_t all, old;
	int rc;

	if (!g || !cfg || !out || cfg->period_ns <= 0 || cfg->phase_ns < 0 ||
	    cfg->phase_ns >= cfg->period_ns || cfg->priority < 0 ||
	    cfg->priority > 99 ||
	    (cfg->align != GN_ALIGN_TAI && cfg->align != GN_ALIGN_UTC) ||
	    (!fn && !(cfg->flags & GN_PULSE_HARDWARE)))
		return -EINVAL;
	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->g = g;
	p->cfg = *cfg;
	p->fn = fn;
	p->arg = arg;
	p->hw_fd = -1;
	gn_hist_init(&p->hist);
	pthread_mutex_init(&p->stats_lock, NULL);
	if (cfg->flags & GN_PULSE_HARDWARE) {
		rc = hw_start(p);
		if (rc) {
			pthread_mutex_destroy(&p->stats_lock);
			free(p);
			return rc;
		}
	}
	if (fn && !(cfg->flags & GN_PULSE_NO_MLOCK) && cfg->priority > 0) {
		pthread_mutex_lock(&mlock_once);
		if (!mlocked)
			mlocked = mlockall(MCL_CURRENT | MCL_FUTURE) == 0;
		pthread_mutex_unlock(&mlock_once);
	}
	if (fn) {
		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, PULSE_STACK_BYTES);
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		rc = -pthread_create(&p->thread, &attr, pulse_main, p);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		pthread_attr_destroy(&attr);
		p->has_thread = rc == 0;
	} else {
		rc = 0;
	}
	if (rc) {
		hw_stop(p);
		pthread_mutex_destroy(&p->stats_lock);
		free(p);
		return rc;
	}
	pthread_mutex_lock(&g->lock);
	p->next = g->pulses;
	g->pulses = p;
	pthread_mutex_unlock(&g->lock);
	*out = p;
	return 0;
}

GN_API int gn_pulse_stats(struct gn_pulse *p, struct gn_pulse_stats *st)
{
	if (!p || !st)
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	pthread_mutex_lock(&p->stats_lock);
	st->count = p->hist.count;
	st->missed = p->missed;
	if (p->hist.count) {
		st->min_ns = p->hist.min_ns;
		st->max_ns = p->hist.max_ns;
		st->mean_ns = p->hist.sum_ns / (double)p->hist.count;
		st->p50_ns = gn_hist_quantile(&p->hist, 0.5);
		st->p99_ns = gn_hist_quantile(&p->hist, 0.99);
		st->p999_ns = gn_hist_quantile(&p->hist, 0.999);
	}
	st->realtime = p->realtime;
	st->hardware = p->hw_fd >= 0;
	pthread_mutex_unlock(&p->stats_lock);
	return 0;
}

GN_API int gn_pulse_quantile(struct gn_pulse *p, double q, int64_t *ns)
{
	if (!p || !ns || !(q >= 0.0 && q <= 1.0))
		return -EINVAL;
	pthread_mutex_lock(&p->stats_lock);
	*ns = gn_hist_quantile(&p->hist, q);
	pthread_mutex_unlock(&p->stats_lock);
	return 0;
}

static void stop_thread(struct gn_pulse *p)
{
	atomic_store(&p->stop, 1);
	syscall(SYS_futex, (uint32_t *)&p->stop, FUTEX_WAKE_PRIVATE, 1, NULL,
		NULL, 0);
	if (p->has_thread)
		pthread_join(p->thread, NULL);
	hw_stop(p);
	pthread_mutex_destroy(&p->stats_lock);
}

GN_API void gn_pulse_stop(struct gn_pulse *p)
{
	struct gnomon *g;
	struct gn_pulse **pp;

	if (!p)
		return;
	g = p->g;
	pthread_mutex_lock(&g->lock);
	for (pp = &g->pulses; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	pthread_mutex_unlock(&g->lock);
	stop_thread(p);
	free(p);
}

void gn_lib_pulses_shutdown(struct gnomon *g)
{
	struct gn_pulse *p, *next;

	pthread_mutex_lock(&g->lock);
	p = g->pulses;
	g->pulses = NULL;
	pthread_mutex_unlock(&g->lock);
	for (; p; p = next) {
		next = p->next;
		stop_thread(p);
		free(p);
	}
}

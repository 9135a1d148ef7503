/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ns_client.c - libgnomon's side of the namespace test (ns_time.sh):
 * an application of the library next to a gnomond whose virtual clock
 * follows a master on the shared CLOCK_REALTIME, so the true error of
 * the library's time is known at every read (a CLOCK_REALTIME sandwich).
 *
 *   ns_client wait PAGE STATE TIMEOUT_S     until the page says STATE
 *   ns_client check PAGE SECONDS [UDS]      every 10 ms: |true error| <=
 *       bound (violations counted, per state), tightness; with the
 *       daemon's management socket, once a second the virtual clock's
 *       own offset (id 0xC0A0) against the library's time
 *   ns_client timers PAGE N                 N timers at synchronized
 *       instants: each fires at or after its instant by the library's
 *       clock, and by the true clock within the bound
 *   ns_client state PAGE                    prints state and bound
 *   ns_client gone PAGE                     the page is gone (exit 0)
 *
 * Exit status 0 when the assertions hold, 1 otherwise. It only reads
 * clocks.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "gnomon/gnomon.h"

#define S  1000000000LL
#define MS 1000000LL

static int64_t rt_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * S + ts.tv_nsec;
}

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * S + ts.tv_nsec;
}

static int timescale;

/* The synchronized clock's own value (what the master's clock reads). */
static int64_t clock_value(const struct gn_time *t)
{
	return timescale == 1 ? t->utc_ns : t->tai_ns;
}

static struct gnomon *open_page(const char *path)
{
	struct gn_status st;
	struct gnomon *g;
	int rc = gn_open(path, &g);

	if (rc) {
		fprintf(stderr, "ns_client: %s: %s\n", path, gn_strerror(rc));
		exit(1);
	}
	if (gn_status(g, &st) == 0)
		timescale = st.timescale;
	return g;
}

/* A sandwich: true error of the library's clock against CLOCK_REALTIME
 * and the width of the reads. */
static int sandwich(struct gnomon *g, struct gn_time *t, int64_t *err,
		    int64_t *width)
{
	int64_t best = INT64_MAX;
	int i, rc = 0;

	for (i = 0; i < 3; i++) {
		struct gn_time tt;
		int64_t r1 = rt_ns();
		int r = gn_time_now(g, &tt);
		int64_t r2 = rt_ns();

		if (r2 - r1 < best) {
			best = r2 - r1;
			*t = tt;
			*err = clock_value(&tt) - (r1 + (r2 - r1) / 2);
			rc = r;
		}
	}
	*width = best;
	return rc;
}

static int state_of(const char *s)
{
	static const char *names[] = {"FREERUN", "LOCKING", "LOCKED",
				      "HOLDOVER"};
	int i;

	for (i = 0; i < 4; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

static int cmd_wait(const char *page, const char *state, double timeout_s)
{
	struct gnomon *g = open_page(page);
	int want = state_of(state);
	int64_t t0 = mono_ns();

	while ((double)(mono_ns() - t0) < timeout_s * 1e9) {
		struct gn_time t;

		if (gn_time_now(g, &t) == 0 && (int)t.state == want) {
			printf("reached %s after %.1f s (bound %llu ns)\n",
			       state, (double)(mono_ns() - t0) / 1e9,
			       (unsigned long long)t.bound_ns);
			gn_close(g);
			return 0;
		}
		usleep(100000);
	}
	printf("no %s within %.0f s\n", state, timeout_s);
	gn_close(g);
	return 1;
}

/* GET id 0xC0A0 over the daemon's management socket: the virtual
 * clock's offset from CLOCK_REALTIME measured inside gnomond. */
static int vclock_offset(const char *uds, int64_t *off)
{
	struct sockaddr_un local = {.sun_family = AF_UNIX},
			   srv = {.sun_family = AF_UNIX};
	uint8_t m[54], r[1500];
	struct pollfd pfd;
	ssize_t n;
	int fd, i, rc = -1;

	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0)
		return -1;
	snprintf(local.sun_path, sizeof(local.sun_path), "%s.client.%d", uds,
		 (int)getpid());
	snprintf(srv.sun_path, sizeof(srv.sun_path), "%s", uds);
	unlink(local.sun_path);
	if (bind(fd, (struct sockaddr *)&local, sizeof(local)) < 0)
		goto out;
	memset(m, 0, sizeof(m));
	m[0] = 0x0D;			  /* Management */
	m[1] = 0x02;			  /* PTP v2 */
	m[3] = sizeof(m);		  /* length */
	m[28] = (uint8_t)(getpid() >> 8); /* source port number */
	m[29] = (uint8_t)getpid();
	m[31] = 1; /* sequenceId */
	m[32] = 4; /* controlField */
	m[33] = 0x7F;
	memset(m + 34, 0xff, 10); /* targetPortIdentity: all */
	m[46] = 0;		  /* GET */
	m[49] = 1;		  /* TLV MANAGEMENT */
	m[51] = 2;
	m[52] = 0xC0;
	m[53] = 0xA0;
	if (sendto(fd, m, sizeof(m), 0, (struct sockaddr *)&srv, sizeof(srv)) !=
	    (ssize_t)sizeof(m))
		goto out;
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 2000) != 1)
		goto out;
	n = recv(fd, r, sizeof(r), 0);
	if (n < 54 + 16 || r[52] != 0xC0 || r[53] != 0xA0)
		goto out;
	*off = 0;
	for (i = 0; i < 8; i++)
		*off = (int64_t)(((uint64_t)*off << 8) | r[54 + i]);
	rc = 0;
out:
	close(fd);
	unlink(local.sun_path);
	return rc;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int cmd_check(const char *page, double seconds, const char *uds)
{
	struct gnomon *g = open_page(page);
	size_t cap = (size_t)(seconds * 100) + 16, nl = 0;
	double *lb = calloc(cap, sizeof(double)),
	       *le = calloc(cap, sizeof(double));
	unsigned long n[4] = {0}, viol[4] = {0}, strict = 0, unknown = 0;
	double worst = 0, max_vc_diff = 0;
	unsigned vc_checks = 0, vc_bad = 0;
	int64_t t0 = mono_ns(), next_vc = t0;
	int s;

	if (!lb || !le)
		return 1;
	while ((double)(mono_ns() - t0) < seconds * 1e9) {
		struct gn_time t;
		int64_t err, width;
		int rc = sandwich(g, &t, &err, &width);

		if (rc != 0 && rc != -ESTALE) {
			fprintf(stderr, "ns_client: %s\n", gn_strerror(rc));
			return 1;
		}
		if (t.bound_ns == GN_BOUND_UNKNOWN) {
			unknown++;
		} else {
			double a = fabs((double)err), b = (double)t.bound_ns;

			s = (int)t.state & 3;
			n[s]++;
			if (a > b)
				strict++;
			/* The truth is known within the read's width. */
			if (a - (double)width / 2 > b) {
				if (viol[s]++ < 5)
					printf(
					    "violation: %s |error| %.0f > "
					    "bound %.0f ns (reads %lld ns)\n",
					    gn_state_str(t.state), a, b,
					    (long long)width);
			}
			if (b > 0 && a / b > worst)
				worst = a / b;
			if (t.state == GN_LOCKED && nl < cap) {
				lb[nl] = b;
				le[nl++] = a;
			}
		}
		if (uds && mono_ns() >= next_vc) {
			int64_t vc;

			next_vc += S;
			if (vclock_offset(uds, &vc) == 0 &&
			    t.bound_ns != GN_BOUND_UNKNOWN) {
				double d = fabs((double)(vc - err));

				vc_checks++;
				if (d > max_vc_diff)
					max_vc_diff = d;
				if (d > (double)t.bound_ns)
					vc_bad++;
			}
		}
		usleep(10000);
	}
	qsort(lb, nl, sizeof(double), cmp_d);
	qsort(le, nl, sizeof(double), cmp_d);
	for (s = 0; s < 4; s++)
		if (n[s])
			printf("%-8s samples %6lu violations %lu\n",
			       gn_state_str((enum gn_state)s), n[s], viol[s]);
	printf("unknown bound: %lu samples; strict violations (ignoring the "
	       "read width): %lu; worst |error|/bound %.2f\n",
	       unknown, strict, worst);
	if (nl)
		printf("LOCKED: median bound %.0f ns, median |error| %.0f ns, "
		       "tightness %.1f\n",
		       lb[nl / 2], le[nl / 2],
		       le[nl / 2] > 0 ? lb[nl / 2] / le[nl / 2] : 0.0);
	if (uds)
		printf("vclock (management 0xC0A0) vs library: %u checks, max "
		       "difference %.0f ns, %u beyond the bound\n",
		       vc_checks, max_vc_diff, vc_bad);
	free(lb);
	free(le);
	gn_close(g);
	for (s = 0; s < 4; s++)
		if (viol[s])
			return 1;
	return (uds && (vc_checks == 0 || vc_bad)) ? 1 : 0;
}

struct fired {
	atomic_int done;
	struct gn_timer_event ev;
	int64_t err, width;
	struct gn_time t;
};

static struct gnomon *tg;

static void on_timer(struct gn_timer *tm, const struct gn_timer_event *ev,
		     void *arg)
{
	struct fired *f = arg;

	(void)tm;
	sandwich(tg, &f->t, &f->err, &f->width);
	f->ev = *ev;
	atomic_store(&f->done, 1);
}

static int cmd_timers(const char *page, int count)
{
	struct gn_timer *tm;
	int i, bad = 0, rc;
	double max_late = 0;

	tg = open_page(page);
	for (i = 0; i < count; i++) {
		struct fired f;
		struct gn_time now;
		int64_t target, t0, true_at_fire;

		memset(&f, 0, sizeof(f));
		rc = gn_timer_create(tg, on_timer, &f, &tm);
		if (rc) {
			fprintf(stderr, "ns_client: %s\n", gn_strerror(rc));
			return 1;
		}
		gn_time_now(tg, &now);
		target = now.tai_ns + 200 * MS + i * 7 * MS;
		gn_timer_arm_at(tm, target);
		t0 = mono_ns();
		while (!atomic_load(&f.done) && mono_ns() - t0 < 5 * S)
			usleep(1000);
		gn_timer_destroy(tm);
		if (!atomic_load(&f.done)) {
			printf("timer %d never fired\n", i);
			return 1;
		}
		/* The true synchronized (TAI) time at the callback. */
		true_at_fire = f.t.tai_ns - f.err;
		if (f.ev.fired_tai_ns < target || f.t.tai_ns < target) {
			printf("timer %d fired early by the library's clock\n",
			       i);
			bad++;
		}
		if (true_at_fire + (int64_t)f.t.bound_ns + f.width / 2 <
		    target) {
			printf("timer %d fired %lld ns early in true time, "
			       "beyond the bound %llu\n",
			       i, (long long)(target - true_at_fire),
			       (unsigned long long)f.t.bound_ns);
			bad++;
		}
		if ((double)(f.ev.fired_tai_ns - target) > max_late)
			max_late = (double)(f.ev.fired_tai_ns - target);
	}
	printf("%d timers: all fired at or after their instant (latest %.0f us "
	       "late), %d bad\n",
	       count, max_late / 1e3, bad);
	gn_close(tg);
	return bad ? 1 : 0;
}

static int cmd_state(const char *page)
{
	struct gnomon *g = open_page(page);
	struct gn_status st;
	struct gn_time t;
	int rc = gn_time_now(g, &t);

	gn_status(g, &st);
	printf("%s bound %llu rc %d timescale %d gm_accuracy %llu\n",
	       gn_state_str(t.state), (unsigned long long)t.bound_ns, rc,
	       st.timescale, (unsigned long long)st.gm_accuracy_ns);
	gn_close(g);
	return 0;
}

static int cmd_gone(const char *page)
{
	struct gnomon *g;
	int rc = gn_open(page, &g);

	if (rc == 0) {
		gn_close(g);
		printf("page still there\n");
		return 1;
	}
	printf("open: %s\n", gn_strerror(rc));
	return rc == -ENOENT ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && !strcmp(argv[1], "wait"))
		return cmd_wait(argv[2], argv[3], atof(argv[4]));
	if (argc >= 4 && !strcmp(argv[1], "check"))
		return cmd_check(argv[2], atof(argv[3]),
				 argc >= 5 ? argv[4] : NULL);
	if (argc >= 4 && !strcmp(argv[1], "timers"))
		return cmd_timers(argv[2], atoi(argv[3]));
	if (argc >= 3 && !strcmp(argv[1], "state"))
		return cmd_state(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "gone"))
		return cmd_gone(argv[2]);
	fprintf(stderr, "usage: ns_client wait|check|timers|state|gone PAGE "
			"...\n");
	return 2;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_lib_timer.c - one-shot timers planned through the page's mapping,
 * with the synchronized clock injected by a fake daemon (fake_page.h):
 * steps forward and backward and frequency changes while a timer waits
 * re-plan it at once, and no timer ever fires before its instant on the
 * synchronized clock. Callback and file-descriptor modes, cancel,
 * re-arm, ordering, destroy from the callback.
 *
 * The local clock is CLOCK_MONOTONIC_RAW, as for gnomond's virtual
 * clock and PHCs, so the conversion to a sleepable kernel clock is
 * exercised too. Timing assertions are one-sided where the machine's
 * noise could break them: "not early" is exact, "not late" has 150 ms of
 * slack, "re-planned" compares against the plan before the change.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>

#include "fake_page.h"
#include "lib.h"

#define MS	   1000000LL
#define S	   1000000000LL
#define LATE_SLACK (150 * MS)

static struct fake_page fp;
static struct gnomon *g;

static int setup(void **state)
{
	(void)state;
	if (fake_page_steady(&fp, CLOCK_MONOTONIC_RAW, 1700000000LL * S))
		return -1;
	return gn_open(fp.path, &g);
}

static int teardown(void **state)
{
	(void)state;
	gn_close(g);
	fake_page_destroy(&fp);
	return 0;
}

struct fired {
	atomic_int count;
	struct gn_timer_event ev[8];
	int64_t local_ns[8]; /* local clock when the callback ran */
	int64_t sync_ns[8];  /* synchronized clock then (fake's formula) */
	int order[8];
	int id;
};

static struct fired fired;

static void on_fire(struct gn_timer *t, const struct gn_timer_event *ev,
		    void *arg)
{
	int i = atomic_load(&fired.count);
	int64_t local = fake_now(CLOCK_MONOTONIC_RAW);

	(void)t;
	if (i >= 8)
		return;
	fired.ev[i] = *ev;
	fired.local_ns[i] = local;
	fired.sync_ns[i] = fake_clock_at(&fp, local);
	fired.order[i] = (int)(intptr_t)arg;
	atomic_store(&fired.count, i + 1);
}

static bool wait_fired(int n, int64_t timeout_ns)
{
	int64_t end = fake_now(CLOCK_MONOTONIC) + timeout_ns;

	while (atomic_load(&fired.count) < n) {
		if (fake_now(CLOCK_MONOTONIC) > end)
			return false;
		usleep(1000);
	}
	return true;
}

static int64_t sync_now(void)
{
	return fake_clock_at(&fp, fake_now(CLOCK_MONOTONIC_RAW));
}

static void reset_fired(void)
{
	memset(&fired, 0, sizeof(fired));
}

/* A timer fires at its instant, not before, not much later. */
static void test_callback_basic(void **state)
{
	struct gn_timer *t;
	int64_t target;

	(void)state;
	reset_fired();
	assert_int_equal(gn_timer_create(g, on_fire, (void *)1, &t), 0);
	target = sync_now() + 100 * MS;
	assert_int_equal(gn_timer_arm_at(t, target), 0);
	assert_true(wait_fired(1, 2 * S));
	assert_int_equal(fired.ev[0].target_tai_ns, target);
	assert_true(fired.ev[0].fired_tai_ns >= target);
	assert_true(fired.sync_ns[0] >= target);
	assert_true(fired.sync_ns[0] < target + LATE_SLACK);
	/* One-shot: it does not fire again, and it is no longer armed. */
	usleep(50000);
	assert_int_equal(atomic_load(&fired.count), 1);
	assert_int_equal(gn_timer_cancel(t), -EALREADY);
	gn_timer_destroy(t);
}

/* fd mode for event loops: poll, then read the event. */
static void test_fd_mode(void **state)
{
	struct gn_timer *t;
	struct gn_timer_event ev;
	struct pollfd pfd;
	int64_t target;

	(void)state;
	assert_int_equal(gn_timer_create(g, NULL, NULL, &t), 0);
	assert_true(gn_timer_fd(t) >= 0);
	assert_int_equal(gn_timer_read(t, &ev), -EAGAIN);
	assert_int_equal(gn_timer_arm_after(t, 80 * MS), 0);
	target = sync_now() + 80 * MS;
	pfd.fd = gn_timer_fd(t);
	pfd.events = POLLIN;
	assert_int_equal(poll(&pfd, 1, 2000), 1);
	assert_true(sync_now() >= target - 1 * MS);
	assert_int_equal(gn_timer_read(t, &ev), 0);
	assert_true(ev.fired_tai_ns >= ev.target_tai_ns);
	assert_true(ev.target_tai_ns >= target - 1 * MS);
	/* Consumed: the fd is quiet again. */
	assert_int_equal(poll(&pfd, 1, 0), 0);
	assert_int_equal(gn_timer_read(t, &ev), -EAGAIN);
	gn_timer_destroy(t);
	/* A callback timer has no fd. */
	assert_int_equal(gn_timer_create(g, on_fire, NULL, &t), 0);
	assert_int_equal(gn_timer_fd(t), -EINVAL);
	gn_timer_destroy(t);
}

/* Arms t for in_ns of the synchronized clock after
 * now; returns the target and the local time of arming. */
static int64_t arm_in(struct gn_timer *t, int64_t in_ns, int64_t *armed_local)
{
	int64_t target;

	*armed_local = fake_now(CLOCK_MONOTONIC_RAW);
	target = fake_clock_at(&fp, *armed_local) + in_ns;
	assert_int_equal(gn_timer_arm_at(t, target), 0);
	return target;
}

/*
 * The synchronized clock steps forward by 250 ms while a timer waits
 * for +400 ms: it fires about 150 ms after the step, far before its
 * old plan, and still not before its instant.
 */
static void test_step_forward(void **state)
{
	struct gn_timer *t;
	int64_t target, armed_local, elapsed;

	(void)state;
	reset_fired();
	assert_int_equal(gn_timer_create(g, on_fire, NULL, &t), 0);
	target = arm_in(t, 400 * MS, &armed_local);
	usleep(100000);
	assert_int_equal(atomic_load(&fired.count), 0);
	fake_anchor(&fp, sync_now() + 250 * MS, 0.0);
	fake_publish(&fp);
	assert_true(wait_fired(1, 2 * S));
	elapsed = fired.local_ns[0] - armed_local;
	print_message("step +250 ms: fired %lld ms after arming (plan before "
		      "the step: 400), %u re-plans\n",
		      (long long)(elapsed / MS), fired.ev[0].replans);
	assert_true(fired.sync_ns[0] >= target);
	assert_true(elapsed < 400 * MS - 50 * MS);
	assert_true(elapsed >= 150 * MS);
	assert_true(fired.ev[0].replans >= 1);
	gn_timer_destroy(t);
}

/* A step backward by 300 ms: the timer must wait that much longer. */
static void test_step_backward(void **state)
{
	struct gn_timer *t;
	int64_t target, armed_local, elapsed;

	(void)state;
	reset_fired();
	assert_int_equal(gn_timer_create(g, on_fire, NULL, &t), 0);
	target = arm_in(t, 200 * MS, &armed_local);
	usleep(50000);
	fake_anchor(&fp, sync_now() - 300 * MS, 0.0);
	fake_publish(&fp);
	assert_true(wait_fired(1, 3 * S));
	elapsed = fired.local_ns[0] - armed_local;
	print_message("step -300 ms: fired %lld ms after arming (500 due)\n",
		      (long long)(elapsed / MS));
	assert_true(fired.sync_ns[0] >= target);
	assert_true(elapsed >= 500 * MS);
	assert_true(elapsed < 500 * MS + LATE_SLACK);
	gn_timer_destroy(t);
}

/* The clock's rate changes by +-10 % while waiting: the rest of the
 * wait shrinks or grows in proportion. */
static void check_rate(double ppb)
{
	struct gn_timer *t;
	int64_t target, armed_local, elapsed, expect;

	reset_fired();
	assert_int_equal(gn_timer_create(g, on_fire, NULL, &t), 0);
	fake_anchor(&fp, sync_now(), 0.0);
	fake_publish(&fp);
	target = arm_in(t, 400 * MS, &armed_local);
	usleep(50000);
	fake_anchor(&fp, sync_now(), ppb);
	fake_publish(&fp);
	assert_true(wait_fired(1, 3 * S));
	elapsed = fired.local_ns[0] - armed_local;
	/* The part left after the change runs at 1 + ppb: */
	expect = (int64_t)((double)(fp.d.anchor_local_ns - armed_local) +
			   (double)(target - fp.d.anchor_clock_ns) /
			       (1.0 + ppb * 1e-9));
	print_message("rate %+.0f ppm: fired %.1f ms after arming, %.1f due\n",
		      ppb / 1000, (double)elapsed / MS, (double)expect / MS);
	assert_true(fired.sync_ns[0] >= target);
	assert_true(elapsed >= expect - 1);
	assert_true(elapsed < expect + LATE_SLACK);
	/* ... and far from the unchanged plan (400 ms). */
	if (ppb > 0)
		assert_true(elapsed < 400 * MS - 10 * MS);
	else
		assert_true(elapsed > 400 * MS + 10 * MS);
	fake_anchor(&fp, sync_now(), 0.0);
	fake_publish(&fp);
	gn_timer_destroy(t);
}

static void test_frequency_change(void **state)
{
	(void)state;
	check_rate(1e8);
	check_rate(-1e8);
}

static void test_cancel_rearm_order(void **state)
{
	struct gn_timer *t[4];
	int64_t base;
	int i;

	(void)state;
	reset_fired();
	for (i = 0; i < 4; i++)
		assert_int_equal(
		    gn_timer_create(g, on_fire, (void *)(intptr_t)i, &t[i]), 0);
	base = sync_now();
	/* Armed out of order; t[1] cancelled; t[3] re-armed earlier. */
	assert_int_equal(gn_timer_arm_at(t[0], base + 150 * MS), 0);
	assert_int_equal(gn_timer_arm_at(t[1], base + 100 * MS), 0);
	assert_int_equal(gn_timer_arm_at(t[2], base + 60 * MS), 0);
	assert_int_equal(gn_timer_arm_at(t[3], base + 5 * S), 0);
	assert_int_equal(gn_timer_cancel(t[1]), 0);
	assert_int_equal(gn_timer_cancel(t[1]), -EALREADY);
	assert_int_equal(gn_timer_arm_at(t[3], base + 110 * MS), 0);
	assert_true(wait_fired(3, 3 * S));
	usleep(100000);
	assert_int_equal(atomic_load(&fired.count), 3);
	assert_int_equal(fired.order[0], 2);
	assert_int_equal(fired.order[1], 3);
	assert_int_equal(fired.order[2], 0);
	for (i = 0; i < 3; i++)
		assert_true(fired.sync_ns[i] >= fired.ev[i].target_tai_ns);
	/* An instant in the past fires at once. */
	reset_fired();
	assert_int_equal(gn_timer_arm_at(t[1], base - S), 0);
	assert_true(wait_fired(1, S));
	for (i = 0; i < 4; i++)
		gn_timer_destroy(t[i]);
	assert_int_equal(gn_timer_arm_after(NULL, 1), -EINVAL);
	assert_int_equal(gn_timer_create(g, on_fire, NULL, NULL), -EINVAL);
}

static void destroy_self(struct gn_timer *t, const struct gn_timer_event *ev,
			 void *arg)
{
	(void)ev;
	gn_timer_destroy(t);
	atomic_store((atomic_int *)arg, 1);
}

static void test_destroy_from_callback(void **state)
{
	struct gn_timer *t;
	atomic_int done = 0;
	int i;

	(void)state;
	assert_int_equal(gn_timer_create(g, destroy_self, &done, &t), 0);
	assert_int_equal(gn_timer_arm_after(t, 10 * MS), 0);
	for (i = 0; i < 2000 && !atomic_load(&done); i++)
		usleep(1000);
	assert_int_equal(atomic_load(&done), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_callback_basic),
	    cmocka_unit_test(test_fd_mode),
	    cmocka_unit_test(test_step_forward),
	    cmocka_unit_test(test_step_backward),
	    cmocka_unit_test(test_frequency_change),
	    cmocka_unit_test(test_cancel_rearm_order),
	    cmocka_unit_test(test_destroy_from_callback),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

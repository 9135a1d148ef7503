/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * refclock.c - chrony SOCK and NTP SHM reference clock outputs (see
 * refclock.h). Must not adjust any clock: the NTP daemon decides.
 */
#include "refclock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define NS_PER_S 1000000000LL

int gn_refclock_ntp_leap(int leap)
{
	if (leap > 0)
		return GN_NTP_LEAP_INSERT;
	if (leap < 0)
		return GN_NTP_LEAP_DELETE;
	return GN_NTP_LEAP_NORMAL;
}

/* Seconds and nanoseconds (floor) of a time that may be negative. */
static void split_ns(int64_t ns, int64_t *sec, int64_t *nsec)
{
	*sec = ns / NS_PER_S;
	*nsec = ns % NS_PER_S;
	if (*nsec < 0) {
		*sec -= 1;
		*nsec += NS_PER_S;
	}
}

void gn_refclock_sock_fill(struct gn_sock_sample *s, int64_t local_ts_ns,
			   int64_t offset_ns, int leap)
{
	int64_t sec, nsec;

	memset(s, 0, sizeof(*s));
	split_ns(local_ts_ns, &sec, &nsec);
	s->tv.tv_sec = (time_t)sec;
	s->tv.tv_usec = (suseconds_t)(nsec / 1000);
	s->offset = -(double)offset_ns / 1e9; /* reference - local */
	s->pulse = 0;
	s->leap = gn_refclock_ntp_leap(leap);
	s->magic = GN_SOCK_MAGIC;
}

void gn_refclock_shm_write(struct gn_shm_time *t, int64_t local_ts_ns,
			   int64_t offset_ns, int leap)
{
	int64_t clock_ns = local_ts_ns - offset_ns; /* the source's time */
	int64_t sec, nsec;

	t->mode = 1;
	t->count++;
	t->valid = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	split_ns(clock_ns, &sec, &nsec);
	t->clock_sec = (time_t)sec;
	t->clock_nsec = (int)nsec;
	t->clock_usec = (int)(nsec / 1000);
	split_ns(local_ts_ns, &sec, &nsec);
	t->receive_sec = (time_t)sec;
	t->receive_nsec = (int)nsec;
	t->receive_usec = (int)(nsec / 1000);
	t->leap = gn_refclock_ntp_leap(leap);
	t->precision = -30; /* about 1 ns */
	t->nsamples = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	t->count++;
	t->valid = 1;
}

static int sock_connect(struct gn_refclock_sock *r)
{
	struct sockaddr_un sa;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, r->path, strlen(r->path) + 1);
	if (connect(r->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	return 0;
}

int gn_refclock_sock_open(struct gn_refclock_sock *r, const char *path,
			  char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	r->fd = -1;
	if (!path || !path[0] || strlen(path) >= sizeof(r->path)) {
		if (err && errlen)
			snprintf(err, errlen, "refclock_sock: bad socket path");
		return -EINVAL;
	}
	snprintf(r->path, sizeof(r->path), "%s", path);
	r->fd = socket(AF_UNIX, SOCK_DGRAM, 0); /* clknetsim: no flags */
	if (r->fd >= 0)
		(void)fcntl(r->fd, F_SETFD, FD_CLOEXEC);
	if (r->fd < 0) {
		int rc = -errno;

		if (err && errlen)
			snprintf(err, errlen, "refclock_sock: socket: %s",
				 strerror(-rc));
		return rc;
	}
	/* chronyd may not be there yet: send() connects again. */
	sock_connect(r);
	return 0;
}

int gn_refclock_sock_send(struct gn_refclock_sock *r, int64_t local_ts_ns,
			  int64_t offset_ns, int leap)
{
	struct gn_sock_sample s;
	ssize_t n;

	if (r->fd < 0)
		return -EBADF;
	gn_refclock_sock_fill(&s, local_ts_ns, offset_ns, leap);
	n = send(r->fd, &s, sizeof(s), MSG_DONTWAIT);
	if (n < 0 && (errno == ENOTCONN || errno == ECONNREFUSED ||
		      errno == ENOENT || errno == EDESTADDRREQ)) {
		if (sock_connect(r) == 0)
			n = send(r->fd, &s, sizeof(s), MSG_DONTWAIT);
	}
	if (n != (ssize_t)sizeof(s)) {
		r->failed++;
		return n < 0 ? -errno : -EIO;
	}
	r->sent++;
	return 0;
}

void gn_refclock_sock_close(struct gn_refclock_sock *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

int gn_refclock_shm_open(struct gn_refclock_shm *r, int segment, char *err,
			 size_t errlen)
{
	int id, perm = segment < 2 ? 0600 : 0666;
	void *p;

	r->t = NULL;
	r->segment = segment;
	id = shmget((key_t)(GN_SHM_KEY_BASE + segment),
		    sizeof(struct gn_shm_time), IPC_CREAT | perm);
	if (id < 0) {
		int rc = -errno;

		if (err && errlen)
			snprintf(err, errlen, "ntpshm: shmget segment %d: %s",
				 segment, strerror(-rc));
		return rc;
	}
	p = shmat(id, NULL, 0);
	if (p == (void *)-1) {
		int rc = -errno;

		if (err && errlen)
			snprintf(err, errlen, "ntpshm: shmat: %s",
				 strerror(-rc));
		return rc;
	}
	r->t = p;
	return 0;
}

void gn_refclock_shm_send(struct gn_refclock_shm *r, int64_t local_ts_ns,
			  int64_t offset_ns, int leap)
{
	if (r->t)
		gn_refclock_shm_write(r->t, local_ts_ns, offset_ns, leap);
}

void gn_refclock_shm_close(struct gn_refclock_shm *r)
{
	if (!r->t)
		return;
	r->t->valid = 0;
	shmdt((void *)r->t);
	r->t = NULL;
}

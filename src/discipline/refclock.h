/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * refclock.h - reference clock outputs for NTP daemons, selectable like
 * linuxptp's servos: instead of steering the sink clock, each offset
 * sample goes to
 *  - chrony's SOCK refclock: one datagram (struct sock_sample of chrony's
 *    refclock_sock.c: timeval, offset in s, pulse, leap, pad, magic
 *    "SOCK") to the Unix socket chronyd listens on
 *    (`refclock SOCK /path`),
 *  - ntpd's / chrony's SHM refclock: the shmTime segment of ntpd's
 *    refclock_shm.c with key 0x4e545030 + segment ("NTP0"...), written
 *    in mode 1 (count before and after, valid last).
 * Layouts are the readers'; the encoders are pure and tested byte for
 * byte. The sink clock itself is never adjusted by these outputs.
 */
#ifndef GN_DISCIPLINE_REFCLOCK_H
#define GN_DISCIPLINE_REFCLOCK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>

/* NTP leap indicator values (both readers). */
#define GN_NTP_LEAP_NORMAL 0
#define GN_NTP_LEAP_INSERT 1
#define GN_NTP_LEAP_DELETE 2

#define GN_SOCK_MAGIC 0x534f434b /* "SOCK" */

/* chrony's struct sock_sample. */
struct gn_sock_sample {
	struct timeval tv; /* local (sink) time of the sample */
	double offset;	   /* reference - local, seconds */
	int pulse;	   /* 0: a time sample, not a PPS pulse */
	int leap;	   /* GN_NTP_LEAP_* */
	int pad;
	int magic; /* GN_SOCK_MAGIC */
};

/* ntpd's struct shmTime. */
struct gn_shm_time {
	int mode; /* 1: count before and after the read must match */
	volatile int count;
	time_t clock_sec; /* reference time */
	int clock_usec;
	time_t receive_sec; /* local time */
	int receive_usec;
	int leap;
	int precision; /* log2 s */
	int nsamples;
	volatile int valid;
	int clock_nsec;
	int receive_nsec;
	int dummy[8];
};

#define GN_SHM_KEY_BASE 0x4e545030 /* "NTP0" */

/* leap +1/-1/0 -> GN_NTP_LEAP_*. */
int gn_refclock_ntp_leap(int leap);

/*
 * A sample: at local_ts_ns (the sink's time) the sink was offset_ns
 * ahead of the source (offset = sink - source, phc2sys's sign).
 */
void gn_refclock_sock_fill(struct gn_sock_sample *s, int64_t local_ts_ns,
			   int64_t offset_ns, int leap);
/* Writes one sample into a shmTime with mode 1's protocol. */
void gn_refclock_shm_write(struct gn_shm_time *t, int64_t local_ts_ns,
			   int64_t offset_ns, int leap);

/* ---- the outputs (I/O) ---- */

struct gn_refclock_sock {
	int fd;
	char path[108];
	unsigned sent, failed;
};
/* A datagram socket connected to chronyd's socket at path (chronyd may
 * start later: connecting is retried on send). */
int gn_refclock_sock_open(struct gn_refclock_sock *r, const char *path,
			  char *err, size_t errlen);
int gn_refclock_sock_send(struct gn_refclock_sock *r, int64_t local_ts_ns,
			  int64_t offset_ns, int leap);
void gn_refclock_sock_close(struct gn_refclock_sock *r);

struct gn_refclock_shm {
	struct gn_shm_time *t;
	int segment;
};
/* Attaches (creating if needed, mode 0600 for segments 0 and 1, 0666
 * above, as the readers do) the segment key GN_SHM_KEY_BASE + segment. */
int gn_refclock_shm_open(struct gn_refclock_shm *r, int segment, char *err,
			 size_t errlen);
void gn_refclock_shm_send(struct gn_refclock_shm *r, int64_t local_ts_ns,
			  int64_t offset_ns, int leap);
/* Invalidates the sample and detaches. */
void gn_refclock_shm_close(struct gn_refclock_shm *r);

#endif

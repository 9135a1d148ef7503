/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * env.h - the environment a host gives the core: how the core sends
 * frames, arms timers, reads and steers its clock, and logs. The core
 * calls nothing else; everything outside it goes through this table.
 */
#ifndef GN_CORE_ENV_H
#define GN_CORE_ENV_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Per-port timers. The host keeps one timer per (port, kind). */
enum gn_timer_kind {
	GN_TMR_ANNOUNCE_RECEIPT = 0, /* announce receipt timeout */
	GN_TMR_ANNOUNCE_TX,	     /* master: send Announce */
	GN_TMR_SYNC_TX,		     /* master: send Sync */
	GN_TMR_DELAY_REQ,	     /* slave: send Delay_Req */
	GN_TMR_PDELAY_REQ,	     /* P2P: send Pdelay_Req */
	GN_TMR_QUALIFICATION,	     /* PRE_MASTER qualification timeout */
	GN_TMR_SYNC_RECEIPT,	     /* slave: sync receipt timeout */
	GN_TMR_FAULT_RESET, /* FAULTY: retry after fault_reset_interval */
	GN_TMR_COUNT,
};

/* Where a frame goes. */
enum gn_dest {
	GN_DEST_MULTICAST = 0, /* the primary PTP address of the transport */
	GN_DEST_PDELAY,	       /* the peer-delay address */
};

struct gn_tx_meta {
	uint8_t msg_type;
	uint16_t sequence_id;
	bool event;	 /* event message: port 319 / needs a time stamp */
	bool want_tx_ts; /* the core will wait for gn_clock_tx_timestamp */
	enum gn_dest dest;
};

enum gn_log_level {
	GN_LOG_ERR = 3,
	GN_LOG_WARNING = 4,
	GN_LOG_NOTICE = 5,
	GN_LOG_INFO = 6,
	GN_LOG_DEBUG = 7,
};

/* Notifications for the host (management subscribers, publication). */
enum gn_notice_kind {
	GN_NOTICE_PORT_STATE = 0, /* port changed state */
	GN_NOTICE_SYNC_SAMPLE,	  /* a new offset/delay measurement */
	GN_NOTICE_PARENT_CHANGED, /* new parent / grandmaster */
};

struct gn_notice {
	enum gn_notice_kind kind;
	unsigned port; /* port index (0-based) where it applies */
	int old_state, new_state;
	int64_t offset_ns, path_delay_ns;
	double freq_ppb;
	int servo_state;
};

struct gn_env {
	void *ctx;
	/* Sends a frame on port index `port`. 0 or negative errno. */
	int (*send)(void *ctx, unsigned port, const uint8_t *frame, size_t len,
		    const struct gn_tx_meta *meta);
	/* (Re)arms timer (port, kind) to fire after delay_ns. */
	void (*timer_arm)(void *ctx, unsigned port, enum gn_timer_kind kind,
			  int64_t delay_ns);
	void (*timer_cancel)(void *ctx, unsigned port, enum gn_timer_kind kind);
	/* The PTP clock the time stamps are in: read, steer, step. */
	int64_t (*clock_now)(void *ctx);
	int (*clock_adjfreq)(void *ctx, double ppb);
	int (*clock_step)(void *ctx, int64_t delta_ns);
	/* Log a message; fmt is printf-style. May be NULL. */
	void (*vlog)(void *ctx, enum gn_log_level level, const char *fmt,
		     va_list ap);
	/* Optional: arm (+1 insert, -1 delete) or disarm (0) a leap second
	 * at the next UTC midnight of the clock (the kernel's STA_INS /
	 * STA_DEL for the system clock). May be NULL. */
	int (*clock_set_leap)(void *ctx, int leap);
	/* Optional sanity check of the clock, asked before each servo
	 * sample: false when it jumped or ran outside its limits since the
	 * last call (the servo restarts). May be NULL. */
	bool (*clock_check)(void *ctx);
	/* Optional notifications. May be NULL. */
	void (*notify)(void *ctx, const struct gn_notice *n);
};

/* A small deterministic PRNG for protocol randomness (Delay_Req timing,
 * announce timeout jitter); seeded by the host so simulations repeat. */
struct gn_rng {
	uint64_t s;
};
void gn_rng_seed(struct gn_rng *r, uint64_t seed);
uint64_t gn_rng_next(struct gn_rng *r);
/* Uniform in [0, 1). */
double gn_rng_unit(struct gn_rng *r);

#endif

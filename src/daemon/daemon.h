/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemon.h - gnomond's wiring: one PTP clock of the core, its ports on
 * Linux transports, the clock it steers, timers, management sockets and
 * the single-threaded poll(2) loop that drives it all.
 */
#ifndef GN_DAEMON_DAEMON_H
#define GN_DAEMON_DAEMON_H

#include <stdbool.h>
#include <stdint.h>

#include "clock.h"
#include "clockcheck.h"
#include "config.h"
#include "discipline.h"
#include "linkmon.h"
#include "mgmt.h"
#include "metrics.h"
#include "pclock.h"
#include "publish.h"
#include "transport.h"
#include "uds.h"

#define GN_MAX_SUBSCRIBERS 8
#define GN_TXQ_MAX	   16

struct gn_dport {
	struct gn_transport tr;
	int tfd[GN_TMR_COUNT]; /* one timerfd per core timer kind */
	bool open;
};

struct gn_subscriber {
	struct gn_uds_addr addr;
	uint8_t bitmask[64];
	int64_t expiry_ns; /* CLOCK_MONOTONIC */
	bool used;
};

struct gn_txq_entry {
	unsigned port;
	uint8_t msg_type;
	uint16_t seq;
	int64_t ts_ns; /* GN_NO_TIMESTAMP: missing */
};

struct gn_daemon {
	struct gn_config *cfg;
	struct gn_clock clock;
	struct gn_port *ports;
	struct gn_port_config *pcfg;
	struct gn_dport *dp;
	unsigned nports;
	struct gn_env env;

	struct gn_pclock pclk;
	bool pclk_open;
	bool hw_ts; /* hardware stamps (in the PHC's time base) */
	int tx_ts_timeout_ms;
	bool free_running;

	struct gn_txq_entry txq[GN_TXQ_MAX];
	unsigned txq_len;

	struct gn_uds uds, uds_ro;
	/* Management state beside the data sets (descriptions, policy),
	 * and where replies relayed from the network go. */
	struct gn_mgmt_host mh;
	struct gn_mgmt_port_address *paddr;
	struct gn_uds_addr last_client;
	struct gn_uds *last_client_uds;
	struct gn_subscriber subs[GN_MAX_SUBSCRIBERS];
	uint16_t notify_seq;

	struct gn_linkmon lm;
	bool lm_open;
	int summary_tfd; /* virtual clock: periodic offset report */
	int tick_tfd;	 /* 1 s: publication and monitoring refresh */
	struct gn_publisher *pub;
	/* sanity_freq_limit: the steered clock's rate against
	 * CLOCK_MONOTONIC; a jump restarts the servo (as ptp4l). */
	struct gn_clockcheck check;
	bool kernel_leap;
	struct gn_metrics *met;
	struct gn_discipline *disc; /* NULL: discipline off */
	int64_t last_vclock_offset_ns;
	bool have_vclock_offset;
};

/* Builds everything from the configuration. Negative errno with the
 * reason in err. */
int gn_daemon_init(struct gn_daemon *d, struct gn_config *cfg, char *err,
		   size_t errlen);
/* Runs until *stop becomes true (set by a signal handler). Returns 0 or
 * a negative errno on a fatal error. */
int gn_daemon_run(struct gn_daemon *d, volatile int *stop);
/* Closes sockets, restores time stamping, removes socket files. */
void gn_daemon_fini(struct gn_daemon *d);

/* Management ids gnomond answers itself (beside the core's): the
 * virtual clock's measured offset from CLOCK_REALTIME. dataField:
 * int64 offset ns, int64 sandwich width ns, big-endian. */
#define GN_MGMT_VCLOCK_OFFSET_NP 0xC0A0

#endif

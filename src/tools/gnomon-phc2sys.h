/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gnomon-phc2sys.h - shared between the files of gnomon-phc2sys, the
 * phc2sys-compatible tool: its settings, and the management agent and
 * automatic mode (gnomon-phc2sys-auto.c) used by main
 * (gnomon-phc2sys.c).
 */
#ifndef GN_TOOLS_GNOMON_PHC2SYS_H
#define GN_TOOLS_GNOMON_PHC2SYS_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "autocfg.h"
#include "dsync.h"
#include "fakeclock.h"
#include "mgmtc.h"

#define P2S_MAX_DOMAINS GN_AC_MAX_DOMAINS
#define P2S_MAX_DST	128

extern volatile sig_atomic_t p2s_running;

/* One management connection (phc2sys's pmc agent). */
struct p2s_agent {
	struct gn_mgmtc mc;
	bool open;
	bool dds_valid;
	unsigned number_ports;
	struct gn_autocfg *ac; /* port state notifications go here */
	unsigned domain;
	bool stay_subscribed;
	int64_t interval_ns;	 /* between renewals and UTC queries */
	int64_t last_request_ns; /* CLOCK_MONOTONIC */
	int64_t last_sub_ok_ns;
	struct gn_tprops tp;
	bool tp_valid;
};

struct p2s_settings {
	struct gn_dsync_config dc;
	struct gn_fakeset fakes;
	struct gn_dlog log;
	int utc_offset_forced_s; /* -O */
	unsigned subscribe_interval_s;
};

int p2s_agent_open(struct p2s_agent *a, const char *uds, uint8_t domain,
		   uint8_t sdo_major, unsigned index,
		   const struct gn_dlog *log);
void p2s_agent_close(struct p2s_agent *a);
/* GET id (of port, or GN_MGMTC_ALL_PORTS) and wait for its answer;
 * notifications met meanwhile are handled. 0, -ETIMEDOUT, -ENODEV (an
 * error status for id), or negative errno. */
int p2s_agent_get(struct p2s_agent *a, uint16_t id, uint16_t port,
		  int timeout_ms, struct gn_mgmtc_msg *out);
int p2s_agent_query_utc(struct p2s_agent *a, int timeout_ms);
/* -w: until a port reports MASTER or SLAVE. 1 yes, 0 timeout. */
int p2s_agent_wait_sync(struct p2s_agent *a, int timeout_ms);
/* Non-blocking: handles what arrived, renews and re-queries when due. */
void p2s_agent_update(struct p2s_agent *a, const struct gn_dlog *log);
bool p2s_agent_subscribed(const struct p2s_agent *a);

/* phc2sys -a [-r[r]]: runs until stopped. uds: the -z paths (n of
 * them, at least one), domains: the -n numbers (nd of them). */
int p2s_run_auto(struct p2s_settings *st, const char *const *uds, unsigned n,
		 const int *domains, unsigned nd, uint8_t sdo_major, int rt,
		 const char *sys_clock, const char *const *dst, unsigned ndst);

int64_t p2s_mono_ns(void);
void p2s_sleep(double seconds);

#endif

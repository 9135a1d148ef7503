/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tc.h - transparent clocks (IEEE 1588-2019 10.2, 11.5): the per-port
 * state of an end-to-end or peer-to-peer transparent clock and the entry
 * points clock.c calls for it.
 *
 * A TC forwards PTP messages between its ports and adds to their
 * correctionField the time they spent inside it (residence time), plus
 * the ingress link's delay for a P2P TC. The core stays sans-IO: the
 * forwarded frames go out through gn_env.send and their egress stamps
 * come back through gn_clock_tx_timestamp. The tables that pair a Sync
 * with its Follow_Up (and a Delay_Req with its Delay_Resp) live in the
 * host-owned port storage, have a fixed size, and age out.
 */
#ifndef GN_CORE_TC_H
#define GN_CORE_TC_H

#include <stdbool.h>
#include <stdint.h>

#include "types.h"

/* Pairings an egress port keeps; the oldest is evicted when full. */
#define GN_TC_ENTRIES 16
/* A Follow_Up held until its Sync's egress stamp is known is copied:
 * longer ones (many TLVs) are dropped. Follow_Up + 802.1AS TLV + an
 * authentication TLV fit. */
#define GN_TC_HELD_MAX 256
/* An entry unused this long (on the TC's clock) is stale (linuxptp
 * prunes after one second as well). */
#define GN_TC_LIFETIME_NS 1000000000LL
/* A master/local rate ratio further from 1 than this is no oscillator's
 * (a stepped clock, a restarted grandmaster): it is not used. */
#define GN_TC_RATE_MAX_DEV 1e-3

enum gn_clock_type {
	GN_CLOCK_OC_BC = 0, /* ordinary or boundary clock */
	GN_CLOCK_E2E_TC,
	GN_CLOCK_P2P_TC,
};

enum gn_tc_kind {
	GN_TC_FREE = 0,
	GN_TC_SYNC,	 /* a Sync and/or its Follow_Up */
	GN_TC_DELAY_REQ, /* a forwarded Delay_Req awaiting its Delay_Resp */
};

struct gn_tc_entry {
	uint8_t kind;	     /* enum gn_tc_kind */
	bool sync_sent;	     /* the Sync went out this port */
	bool tx_pending;     /* ... and its egress stamp is not known yet */
	bool have_residence; /* residence_ns is valid */
	bool fup_held;	     /* the Follow_Up waits in held[] */
	uint8_t domain;
	uint16_t ingress; /* index of the port the message came in on */
	uint16_t seq;
	/* Sync/Follow_Up: their sourcePortIdentity; Delay_Req: the
	 * requester, as Delay_Resp names it in requestingPortIdentity. */
	struct gn_port_identity source;
	int64_t ingress_ns;   /* receive stamp, TC clock */
	int64_t residence_ns; /* egress - ingress stamp */
	int64_t created_ns;   /* TC clock, for ageing */
	uint64_t order;	      /* allocation order: lower is older */
	uint16_t held_len;
	uint8_t held[GN_TC_HELD_MAX];
};

struct gn_tc_stats {
	uint64_t forwarded[16]; /* by messageType, counted per egress */
	uint64_t expired;	/* entries that aged out unpaired */
	uint64_t evicted;	/* entries overwritten by a full table */
	uint64_t unmatched; /* Follow_Up / Delay_Resp / stamp with no pair */
	uint64_t dropped;   /* malformed, no stamp, too long to hold */
	uint64_t rate_rejected; /* rate ratios beyond GN_TC_RATE_MAX_DEV */
};

/*
 * The master/local rate ratio a port in SLAVE or UNCALIBRATED state
 * measures from its parent's Syncs: the elapsed grandmaster time
 * (originTimestamp + correction) over the elapsed local time (ingress
 * stamps) between the first and the last Sync of an interval of
 * 2^(freq_est_interval - logSyncInterval) Syncs. The path delay is left
 * out: it is taken to be constant over the interval.
 */
struct gn_tc_rate {
	bool have_start;		/* the interval's first Sync is kept */
	struct gn_port_identity source; /* ... and who sent it */
	int64_t start_master_ns;	/* its origin + correction */
	int64_t start_local_ns;		/* its ingress stamp */
	unsigned syncs;			/* Syncs since, in this interval */
	bool known;			/* ratio holds a usable measurement */
	double ratio;			/* master / local; 1.0 when unknown */
};

/* Egress-side pairing state of one port of a TC. */
struct gn_tc_port {
	struct gn_tc_entry e[GN_TC_ENTRIES];
	uint64_t next_order;
	/* The port's own event message awaiting its stamp, in the same
	 * order as the entries: a forwarded frame may have the same type
	 * and sequenceId, and stamps come back in the order frames left. */
	bool own_pending;
	uint8_t own_type;
	uint16_t own_seq;
	uint64_t own_order;
	struct gn_tc_rate rate; /* on the port toward the grandmaster */
	struct gn_tc_stats stats;
};

struct gn_clock;
struct gn_port;

bool gn_tc_is_tc(const struct gn_clock *c);
/* A frame came in on port q: forward it as the TC's type says. The
 * clock's own processing (BMCA, servo, peer delay) is separate. */
void gn_tc_rx(struct gn_port *q, const uint8_t *buf, size_t len,
	      int64_t rx_ts_ns);
/* The egress stamp of a frame the TC forwarded; false when none of its
 * forwarded frames matches (then it is the port's own). */
bool gn_tc_tx_timestamp(struct gn_port *p, uint8_t msg_type, uint16_t seq,
			int64_t tx_ts_ns);
bool gn_tc_tx_timestamp_missing(struct gn_port *p, uint8_t msg_type,
				uint16_t seq);
/* Port p sent an event message of its own that wants a stamp. */
void gn_tc_note_own_tx(struct gn_port *p, uint8_t msg_type, uint16_t seq);
/* Forgets every pairing of port p (it left service). */
void gn_tc_port_flush(struct gn_port *p);
/* A Sync (with its Follow_Up, if two-step) from the parent completed on
 * port p, in SLAVE or UNCALIBRATED state: its originTimestamp plus
 * correction, master_ns, and its ingress stamp, local_ns. Feeds the
 * rate ratio estimate of a TC; nothing for other clocks. */
void gn_tc_sync_received(struct gn_port *p,
			 const struct gn_port_identity *source,
			 int64_t master_ns, int64_t local_ns);
/* Forgets the rate ratio estimate of port p (its parent changed, it
 * left SLAVE, the clock was stepped). */
void gn_tc_rate_reset(struct gn_port *p);
/* The factor that turns a time interval on the TC's clock into one of
 * the grandmaster's timescale: the slave port's master/local ratio when
 * the clock is free running and the ratio is known, else 1.0. */
double gn_tc_rate_ratio(const struct gn_clock *c);

#endif

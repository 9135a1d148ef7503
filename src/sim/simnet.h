/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * simnet.h - a deterministic discrete-event host for the core: simulated
 * clocks (offset, frequency error, white and random-walk frequency
 * noise, steering), time stamps (white noise, resolution, software
 * latencies), segments (point-to-point links or broadcast media) with
 * delay, jitter, spikes, asymmetry, loss, duplication and reordering,
 * plain bridges between segments, and the core's timers on simulated
 * time.
 *
 * Deterministic: the same seed gives the same run, bit for bit. Every
 * node and every segment draws from its own random stream, so a change
 * in one node's servo does not change the noise other nodes see.
 *
 * Memory: nodes are allocated once (sim_reserve, or 64 by default) so
 * that the core's pointers into them stay valid; ports per node as
 * needed; a frame is stored once per transmission and shared by all its
 * receptions; events are small. It does no I/O except logging through
 * a callback.
 */
#ifndef GN_SIM_SIMNET_H
#define GN_SIM_SIMNET_H

#include "clock.h"

#define SIM_MAX_NODES 64   /* default capacity; sim_reserve for more */
#define SIM_MAX_PORTS 256  /* ports of one node */
#define SIM_FRAME_MAX 1536 /* largest frame a node may send */

/* True time of the simulation start, as local time of a perfect clock:
 * 2024-01-01, far from zero. */
#define SIM_EPOCH_NS (1704067200LL * GN_NS_PER_S)

struct sim_clock {
	int64_t base_true_ns;  /* true time of the last rebase */
	int64_t base_local_ns; /* local reading at that time (integer) */
	double base_frac_ns;   /* and its fraction, in [0, 1) */
	double freq_err_ppb;   /* the oscillator's own (constant) error */
	double adj_ppb;	       /* the servo's correction */
	double max_adj_ppb;
	int64_t steps; /* count of steps applied by the servo */
	/* Noise: white frequency noise (phase random walk) of q_wfm ns^2
	 * per second and random-walk frequency noise of q_rwfm ppb^2 per
	 * second (see sim_clock_set_noise). */
	double q_wfm, q_rwfm;
	double wander_ppb;  /* random-walk part of the frequency now */
	double noise_ns;    /* noise phase accumulated since the rebase */
	int64_t noise_t_ns; /* true time the noise state refers to */
};

/* How a node time-stamps frames. */
struct sim_stamp_model {
	double sigma_ns;       /* white (normal) noise of every stamp */
	int64_t resolution_ns; /* stamps are truncated to multiples; 0 off */
	/* Software stamping: the receive stamp is taken rx_latency (+ an
	 * exponential part of mean rx_jitter) after the frame arrived; the
	 * frame leaves tx_latency (+ exponential tx_jitter) after its
	 * transmit stamp. */
	bool software;
	int64_t rx_latency_ns, rx_jitter_ns;
	int64_t tx_latency_ns, tx_jitter_ns;
	/* Egress queue (a switch's or TC's residence): every frame the
	 * node sends waits queue (+ exponential queue_jitter) and leaves in
	 * order per port; its transmit stamp is taken as it leaves. */
	int64_t queue_ns, queue_jitter_ns;
};

struct sim_port_ref {
	int node; /* >= 0: a node; < 0: bridge -1 - node */
	int port;
};

enum sim_jitter_dist {
	SIM_JITTER_EXP = 0, /* exponential, mean jitter_ns (queueing) */
	SIM_JITTER_NORMAL,  /* normal, sigma jitter_ns, around the base
			     * delay (the delay never goes below 0) */
	SIM_JITTER_UNIFORM, /* uniform in [0, jitter_ns] */
};

/*
 * A segment: a point-to-point link (two members) or a broadcast medium.
 * A frame sent by one member reaches every other member after delay_ns
 * + asym_ns (only from member 0) + jitter + spikes (+ reorder_ns for a
 * reordered frame), unless lost. A bridge member forwards it on its
 * other segments. Fields may be changed while the simulation runs.
 */
struct sim_segment {
	int64_t delay_ns;  /* base one-way delay */
	int64_t asym_ns;   /* extra delay from member 0 to the others */
	int64_t jitter_ns; /* jitter scale (see jitter_dist) */
	enum sim_jitter_dist jitter_dist;
	double spike_prob;  /* probability of a queueing spike */
	int64_t spike_ns;   /* its scale: Pareto(alpha 1.5) from spike_ns */
	double loss;	    /* probability a frame is lost */
	double dup;	    /* probability a frame arrives twice */
	double reorder;	    /* probability a frame is held back ... */
	int64_t reorder_ns; /* ... by this much */
	bool down;
	struct gn_rng rng;
	struct sim_port_ref *member;
	int nmembers, member_cap;
};

struct sim_bridge {
	int64_t residence_ns; /* fixed store-and-forward delay */
	int64_t jitter_ns;    /* plus exponential jitter of this mean */
	int *seg;	      /* segments it joins */
	int nsegs, seg_cap;
	struct gn_rng rng;
};

struct sim;

struct sim_port_host {
	uint32_t timer_gen[GN_TMR_COUNT];
	int64_t queue_free_ns; /* true time the egress queue is empty */
};

struct sim_node {
	struct sim *sim;
	int id;
	char name[32];
	struct gn_clock clock;
	struct gn_port *ports;	     /* nports */
	struct gn_port_config *pcfg; /* nports */
	struct sim_port_host *host;  /* nports */
	int nports;
	int *segment; /* segment of each port, -1 none */
	struct gn_env env;
	struct sim_clock sc;
	struct sim_stamp_model ts;
	int64_t stamp_noise_ns; /* uniform +- noise on every time stamp */
	struct gn_rng rng;	/* stamps and clock noise */
	bool dead;		/* killed: no rx, no timers */
	bool started;
	unsigned state_changes;
	/* True offset (this clock - the sender's clock) when the last Sync
	 * was time-stamped, and whether there is one. */
	int64_t sync_rx_true_offset_ns;
	bool have_sync_rx;
	void *user; /* for the host program */
};

struct sim_frame;

struct sim_event {
	int64_t t_ns;
	uint64_t order;
	int32_t node;
	uint16_t port;
	uint8_t type;
	uint8_t kind;
	uint32_t gen;
	union {
		int64_t ts_ns;
		struct sim_frame *frame;
	} u;
};

struct sim {
	int64_t now_ns; /* true time since the start */
	uint64_t seed;
	struct gn_rng rng; /* seeds of the engines (protocol randomness) */
	struct sim_node *nodes;
	int nnodes, node_cap;
	struct sim_segment *segs;
	int nsegs, seg_cap;
	struct sim_bridge *bridges;
	int nbridges, bridge_cap;
	struct sim_event *heap;
	unsigned heap_len, heap_cap;
	uint64_t order;
	uint64_t events;
	uint64_t frames_sent, frames_delivered;
	struct sim_frame *free_small, *free_large;
	size_t frame_bytes; /* bytes held in frame buffers */
	/* Optional log sink: node, level, formatted line. */
	void (*log)(void *ctx, const struct sim_node *n, int level,
		    const char *line);
	void *log_ctx;
	int log_level;
	/* Optional: every frame delivered, with the receiver's stamp. */
	void (*frame_hook)(void *ctx, const struct sim_node *rx, int port,
			   const uint8_t *frame, size_t len, int64_t rx_ts_ns);
	void *frame_ctx;
	/* Optional: every notice of the core (sync samples, state). */
	void (*notice_hook)(void *ctx, struct sim_node *n,
			    const struct gn_notice *no);
	void *notice_ctx;
};

int sim_init(struct sim *s, uint64_t seed);
void sim_free(struct sim *s);
/* Sets the capacity for nodes (before the first sim_add_node; default
 * SIM_MAX_NODES). 0 or -EINVAL / -ENOMEM. */
int sim_reserve(struct sim *s, int nodes);
/* Adds a node with nports ports; cfg/pcfg may be NULL for defaults. The
 * clock identity is derived from the node index. Returns its id or a
 * negative errno. */
int sim_add_node(struct sim *s, const char *name,
		 const struct gn_clock_config *cfg,
		 const struct gn_port_config *pcfg, int nports);
/* Adds a segment; returns its id or a negative errno. */
int sim_add_segment(struct sim *s, int64_t delay_ns);
int sim_connect(struct sim *s, int seg, int node, int port);
/* Adds a bridge; returns its id. sim_connect_bridge makes it a member
 * of a segment. Bridges must form no loop (sim_start checks). */
int sim_add_bridge(struct sim *s, int64_t residence_ns, int64_t jitter_ns);
int sim_connect_bridge(struct sim *s, int seg, int bridge);
/* Starts every node's engine. -ELOOP when bridges form a loop. */
int sim_start(struct sim *s);
/* Runs until true time t_ns. */
void sim_run_until(struct sim *s, int64_t t_ns);

/* Local time of node n at true time true_ns (>= its last update),
 * without drawing new noise. */
int64_t sim_local_time(const struct sim_node *n, int64_t true_ns);
/* Local minus true time (the node's true error) now, ns. */
int64_t sim_true_offset(struct sim_node *n);
/* This clock minus the reference's clock now, ns (fraction kept). */
double sim_offset_from(struct sim_node *n, struct sim_node *ref);
/* The same two without drawing noise (extrapolated from each clock's
 * last update): observing must not change the run. */
double sim_peek_offset(const struct sim_node *n, const struct sim_node *ref);
double sim_peek_true_offset(const struct sim_node *n);
/* The clock's true frequency error now (oscillator + wander +
 * adjustment), ppb. */
double sim_freq_error(const struct sim_node *n);
/* Noise of a node's oscillator as Allan deviations at 1 s: white FM
 * (sigma_y(tau) = wfm / sqrt(tau)) and random-walk FM (sigma_y(tau) =
 * rwfm * sqrt(tau)). */
void sim_clock_set_noise(struct sim_node *n, double wfm_adev, double rwfm_adev);
/* Steps the node's clock by delta_ns, or changes its oscillator's
 * frequency by delta_ppb (timeline events, not the servo). */
void sim_clock_step(struct sim_node *n, int64_t delta_ns);
void sim_clock_freq_step(struct sim_node *n, double delta_ppb);

void sim_kill(struct sim *s, int node);
void sim_revive(struct sim *s, int node);
/* Takes a segment down or up; every node port on it sees link down/up. */
void sim_segment_set_up(struct sim *s, int seg, bool up);
/* The node whose clock has this identity, or -1. */
int sim_node_by_identity(const struct sim *s,
			 const struct gn_clock_identity *id);
/* Bytes allocated for node n (engine, ports, host state). */
size_t sim_node_bytes(const struct sim_node *n);

/* ---- internal, between simnet.c, simclock.c and simlink.c ---- */
enum { SIM_EV_TIMER = 0, SIM_EV_FRAME, SIM_EV_TXTS };
#define SIM_FRAME_SMALL 128 /* size class of nearly every PTP frame */
struct sim_frame {
	struct sim_frame *next_free;
	uint32_t refs;
	uint16_t len, cap;
	uint8_t data[];
};
int sim_push(struct sim *s, const struct sim_event *ev);
struct sim_frame *sim_frame_get(struct sim *s, const uint8_t *data, size_t len);
void sim_frame_put(struct sim *s, struct sim_frame *f);
/* Brings the node's clock noise up to true time t_ns. */
void sim_clock_advance(struct sim_node *n, int64_t t_ns);
/* Folds the elapsed time into the base (before a change of rate). */
void sim_clock_rebase(struct sim_node *n);
/* Receive / transmit stamp of node n at true time now. */
int64_t sim_stamp(struct sim_node *n);
/* Extra delay before the frame leaves / after it arrived (software). */
int64_t sim_tx_latency(struct sim_node *n);
int64_t sim_rx_latency(struct sim_node *n);
/* Standard normal and exponential draws. */
double sim_normal(struct gn_rng *r);
double sim_exponential(struct gn_rng *r);
/* Sends frame f (one reference held by the caller) from node/port at
 * true time t_dep through the segment and bridges. */
void sim_transmit(struct sim *s, int node, int port, struct sim_frame *f,
		  int64_t t_dep, bool link_local);
int sim_check_loops(const struct sim *s);

#endif

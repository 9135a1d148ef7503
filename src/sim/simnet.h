/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * simnet.h - a small discrete-event host for the core: simulated clocks
 * (offset, frequency error, steering), broadcast segments with delay,
 * jitter, asymmetry and loss, and the core's timers on simulated time.
 *
 * Deterministic: the same seed gives the same run. It is the kernel of
 * gnomon-sim and of the engine tests; it does no I/O except optional
 * logging through a callback.
 */
#ifndef GN_SIM_SIMNET_H
#define GN_SIM_SIMNET_H

#include "clock.h"

#define SIM_MAX_NODES 64
#define SIM_MAX_PORTS 4
#define SIM_MAX_SEGMENTS 64
#define SIM_MAX_SEG_MEMBERS 16
#define SIM_FRAME_MAX 512

struct sim_clock {
	int64_t base_true_ns;  /* true time of the last rebase */
	int64_t base_local_ns; /* local reading at that time */
	double freq_err_ppb;   /* the oscillator's own error */
	double adj_ppb;	       /* the servo's correction */
	double max_adj_ppb;
	int64_t steps; /* count of steps applied */
};

struct sim_port_ref {
	int node, port;
};

struct sim_segment {
	struct sim_port_ref member[SIM_MAX_SEG_MEMBERS];
	int nmembers;
	int64_t delay_ns;     /* base one-way delay */
	int64_t asym_ns;      /* extra delay from member 0 to the others */
	int64_t jitter_ns;    /* mean of an exponential queueing delay */
	double loss;	      /* probability a frame is lost */
	bool down;
};

struct sim;

struct sim_node {
	struct sim *sim;
	int id;
	char name[16];
	struct gn_clock clock;
	struct gn_port ports[SIM_MAX_PORTS];
	struct gn_port_config pcfg[SIM_MAX_PORTS];
	int nports;
	int segment[SIM_MAX_PORTS]; /* segment of each port, -1 none */
	struct gn_env env;
	struct sim_clock sc;
	uint32_t timer_gen[SIM_MAX_PORTS][GN_TMR_COUNT];
	int64_t stamp_noise_ns; /* uniform +- noise on every time stamp */
	bool dead;		/* killed: no rx, no timers */
	unsigned state_changes;
};

struct sim_event {
	int64_t t_ns;
	uint64_t order;
	int type; /* SIM_EV_* */
	int node, port;
	int kind;	/* timer kind, or message type for tx stamps */
	uint32_t gen;	/* timer generation, or sequence id */
	int64_t ts_ns;	/* tx stamp */
	uint16_t len;
	uint8_t frame[SIM_FRAME_MAX];
};

struct sim {
	int64_t now_ns; /* true time */
	struct gn_rng rng;
	struct sim_node nodes[SIM_MAX_NODES];
	int nnodes;
	struct sim_segment segs[SIM_MAX_SEGMENTS];
	int nsegs;
	struct sim_event *heap;
	unsigned heap_len, heap_cap;
	uint64_t order;
	uint64_t events;
	/* Optional log sink: node, level, formatted line. */
	void (*log)(void *ctx, const struct sim_node *n, int level,
		    const char *line);
	void *log_ctx;
	int log_level;
	/* Optional: every frame delivered, with the receiver's stamp. */
	void (*frame_hook)(void *ctx, const struct sim_node *rx, int port,
			   const uint8_t *frame, size_t len, int64_t rx_ts_ns);
	void *frame_ctx;
};

int sim_init(struct sim *s, uint64_t seed);
void sim_free(struct sim *s);
/* Adds a node with nports ports; cfg/pcfg may be NULL for defaults. The
 * clock identity is derived from the node index. Returns its id. */
int sim_add_node(struct sim *s, const char *name,
		 const struct gn_clock_config *cfg,
		 const struct gn_port_config *pcfg, int nports);
/* Adds a segment; returns its id. */
int sim_add_segment(struct sim *s, int64_t delay_ns);
int sim_connect(struct sim *s, int seg, int node, int port);
/* Starts every node's engine. */
void sim_start(struct sim *s);
/* Runs until true time t_ns. */
void sim_run_until(struct sim *s, int64_t t_ns);

int64_t sim_local_time(const struct sim_node *n, int64_t true_ns);
/* Local minus true time (the node's true error), ns. */
int64_t sim_true_offset(const struct sim_node *n);
void sim_kill(struct sim *s, int node);
void sim_revive(struct sim *s, int node);

#endif

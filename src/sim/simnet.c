/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * simnet.c - discrete-event host of the core: the event queue, the
 * environment table each node's engine acts through, nodes, segments
 * and bridges. Clock and stamp models are in simclock.c, frame travel
 * in simlink.c. See simnet.h.
 *
 * Events are ordered by (time, insertion order), so runs repeat exactly.
 * Must not read real clocks or do I/O beyond the log callback.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simnet.h"

/* ---- event queue: a binary heap of small events ---- */

static bool ev_before(const struct sim_event *a, const struct sim_event *b)
{
	if (a->t_ns != b->t_ns)
		return a->t_ns < b->t_ns;
	return a->order < b->order;
}

int sim_push(struct sim *s, const struct sim_event *ev)
{
	struct sim_event e = *ev;
	unsigned i;

	if (s->heap_len == s->heap_cap) {
		unsigned cap = s->heap_cap ? s->heap_cap * 2 : 1024;
		struct sim_event *h = realloc(s->heap, cap * sizeof(*h));

		if (!h)
			return -ENOMEM;
		s->heap = h;
		s->heap_cap = cap;
	}
	e.order = s->order++;
	i = s->heap_len++;
	while (i > 0) {
		unsigned parent = (i - 1) / 2;

		if (!ev_before(&e, &s->heap[parent]))
			break;
		s->heap[i] = s->heap[parent];
		i = parent;
	}
	s->heap[i] = e;
	return 0;
}

static void sim_pop(struct sim *s, struct sim_event *out)
{
	struct sim_event last;
	unsigned i = 0, n;

	*out = s->heap[0];
	n = --s->heap_len;
	if (!n)
		return;
	last = s->heap[n];
	for (;;) {
		unsigned l = 2 * i + 1, m;

		if (l >= n)
			break;
		m = l;
		if (l + 1 < n && ev_before(&s->heap[l + 1], &s->heap[l]))
			m = l + 1;
		if (!ev_before(&s->heap[m], &last))
			break;
		s->heap[i] = s->heap[m];
		i = m;
	}
	s->heap[i] = last;
}

/* ---- env callbacks ---- */

/* A stamp the TXTS event takes when it runs (the frame left later). */
#define SIM_TS_AT_EVENT (INT64_MIN + 1)

/* When a frame handed over now leaves port's egress queue. */
static int64_t sim_departure(struct sim_node *n, unsigned port)
{
	const struct sim_stamp_model *m = &n->ts;
	struct sim_port_host *h = &n->host[port];
	int64_t t = n->sim->now_ns;

	if (m->queue_ns <= 0 && m->queue_jitter_ns <= 0)
		return t;
	t += m->queue_ns;
	if (m->queue_jitter_ns > 0)
		t += (int64_t)(sim_exponential(&n->rng) *
			       (double)m->queue_jitter_ns);
	if (t < h->queue_free_ns)
		t = h->queue_free_ns; /* first in, first out */
	h->queue_free_ns = t;
	return t;
}

static int env_send(void *ctx, unsigned port, const uint8_t *frame, size_t len,
		    const struct gn_tx_meta *meta)
{
	struct sim_node *n = ctx;
	struct sim *s = n->sim;
	struct sim_frame *f;
	struct sim_event ev;
	int64_t depart;

	if ((int)port >= n->nports || len > SIM_FRAME_MAX)
		return -EINVAL;
	depart = sim_departure(n, port);
	if (meta->want_tx_ts) {
		memset(&ev, 0, sizeof(ev));
		ev.t_ns = depart;
		ev.type = SIM_EV_TXTS;
		ev.node = n->id;
		ev.port = (uint16_t)port;
		ev.kind = meta->msg_type;
		ev.gen = meta->sequence_id;
		ev.u.ts_ns =
		    depart == s->now_ns ? sim_stamp(n) : SIM_TS_AT_EVENT;
		sim_push(s, &ev);
	}
	if (n->segment[port] < 0)
		return 0;
	f = sim_frame_get(s, frame, len);
	if (!f)
		return -ENOMEM;
	sim_transmit(s, n->id, (int)port, f, depart + sim_tx_latency(n),
		     meta->dest == GN_DEST_PDELAY);
	sim_frame_put(s, f);
	return 0;
}

static void env_timer_arm(void *ctx, unsigned port, enum gn_timer_kind kind,
			  int64_t delay_ns)
{
	struct sim_node *n = ctx;
	struct sim_event ev;

	if ((int)port >= n->nports || (unsigned)kind >= GN_TMR_COUNT)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.t_ns = n->sim->now_ns + (delay_ns > 0 ? delay_ns : 0);
	ev.type = SIM_EV_TIMER;
	ev.node = n->id;
	ev.port = (uint16_t)port;
	ev.kind = (uint8_t)kind;
	ev.gen = ++n->host[port].timer_gen[kind];
	sim_push(n->sim, &ev);
}

static void env_timer_cancel(void *ctx, unsigned port, enum gn_timer_kind kind)
{
	struct sim_node *n = ctx;

	if ((int)port >= n->nports || (unsigned)kind >= GN_TMR_COUNT)
		return;
	n->host[port].timer_gen[kind]++;
}

static int64_t env_clock_now(void *ctx)
{
	struct sim_node *n = ctx;

	sim_clock_advance(n, n->sim->now_ns);
	return sim_local_time(n, n->sim->now_ns);
}

static int env_clock_adjfreq(void *ctx, double ppb)
{
	struct sim_node *n = ctx;

	if (ppb > n->sc.max_adj_ppb)
		ppb = n->sc.max_adj_ppb;
	if (ppb < -n->sc.max_adj_ppb)
		ppb = -n->sc.max_adj_ppb;
	sim_clock_rebase(n);
	n->sc.adj_ppb = ppb;
	return 0;
}

static int env_clock_step(void *ctx, int64_t delta_ns)
{
	struct sim_node *n = ctx;

	sim_clock_rebase(n);
	n->sc.base_local_ns += delta_ns;
	n->sc.steps++;
	return 0;
}

__attribute__((format(printf, 3, 0))) static void
env_vlog(void *ctx, enum gn_log_level level, const char *fmt, va_list ap)
{
	struct sim_node *n = ctx;
	char line[512];

	if (!n->sim->log || (int)level > n->sim->log_level)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	n->sim->log(n->sim->log_ctx, n, (int)level, line);
}

static void env_notify(void *ctx, const struct gn_notice *no)
{
	struct sim_node *n = ctx;

	if (no->kind == GN_NOTICE_PORT_STATE)
		n->state_changes++;
	if (n->sim->notice_hook)
		n->sim->notice_hook(n->sim->notice_ctx, n, no);
}

/* ---- public ---- */

/* Seed of the random stream of object `index` of a kind: independent of
 * the order in which other objects are created (splitmix64 finaliser). */
static uint64_t stream_seed(const struct sim *s, uint64_t kind, uint64_t index)
{
	uint64_t z = s->seed + kind * 0x9E3779B97F4A7C15ULL +
		     (index + 1) * 0xBF58476D1CE4E5B9ULL;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

int sim_init(struct sim *s, uint64_t seed)
{
	memset(s, 0, sizeof(*s));
	s->seed = seed;
	gn_rng_seed(&s->rng, seed);
	s->log_level = GN_LOG_INFO;
	return 0;
}

static void node_release(struct sim_node *n)
{
	free(n->ports);
	free(n->pcfg);
	free(n->host);
	free(n->segment);
	n->ports = NULL;
	n->pcfg = NULL;
	n->host = NULL;
	n->segment = NULL;
}

static void free_list(struct sim_frame *f)
{
	while (f) {
		struct sim_frame *next = f->next_free;

		free(f);
		f = next;
	}
}

void sim_free(struct sim *s)
{
	int i;

	/* Frames still queued hold references: drop the events first. */
	while (s->heap_len) {
		struct sim_event ev;

		sim_pop(s, &ev);
		if (ev.type == SIM_EV_FRAME)
			sim_frame_put(s, ev.u.frame);
	}
	free(s->heap);
	s->heap = NULL;
	s->heap_len = s->heap_cap = 0;
	for (i = 0; i < s->nnodes; i++)
		node_release(&s->nodes[i]);
	free(s->nodes);
	s->nodes = NULL;
	s->nnodes = s->node_cap = 0;
	for (i = 0; i < s->nsegs; i++)
		free(s->segs[i].member);
	free(s->segs);
	s->segs = NULL;
	s->nsegs = s->seg_cap = 0;
	for (i = 0; i < s->nbridges; i++)
		free(s->bridges[i].seg);
	free(s->bridges);
	s->bridges = NULL;
	s->nbridges = s->bridge_cap = 0;
	free_list(s->free_small);
	free_list(s->free_large);
	s->free_small = s->free_large = NULL;
	s->frame_bytes = 0;
}

int sim_reserve(struct sim *s, int nodes)
{
	if (s->nnodes || s->nodes || nodes < 1)
		return -EINVAL;
	s->nodes = calloc((size_t)nodes, sizeof(*s->nodes));
	if (!s->nodes)
		return -ENOMEM;
	s->node_cap = nodes;
	return 0;
}

/* Identity 02:00:<id bytes>:FF:FE..., as before for ids below 65536:
 * MAC 02:00:hi:mid:(id >> 8):(id + 1). */
static void node_identity(int id, struct gn_clock_identity *out)
{
	uint32_t u = (uint32_t)id;
	uint8_t mac[6] = {0x02,
			  0,
			  (uint8_t)(u >> 24),
			  (uint8_t)(u >> 16),
			  (uint8_t)(u >> 8),
			  (uint8_t)(u + 1)};

	gn_clock_identity_from_eui48(mac, out);
}

int sim_node_by_identity(const struct sim *s,
			 const struct gn_clock_identity *id)
{
	const uint8_t *b = id->id;
	uint32_t v;
	int n;

	/* EUI-48 02:00:b2:b3:b4:b5 -> 02 00 b2 FF FE b3 b4 b5. */
	if (b[0] != 0x02 || b[1] != 0 || b[3] != 0xFF || b[4] != 0xFE)
		return -1;
	v = ((uint32_t)b[2] << 24) | ((uint32_t)b[5] << 16) |
	    ((uint32_t)b[6] << 8) | (uint32_t)(uint8_t)(b[7] - 1);
	n = (int)v;
	if (n < 0 || n >= s->nnodes ||
	    !gn_clock_identity_eq(&s->nodes[n].clock.dds.identity, id))
		return -1;
	return n;
}

int sim_add_node(struct sim *s, const char *name,
		 const struct gn_clock_config *cfg,
		 const struct gn_port_config *pcfg, int nports)
{
	struct sim_node *n;
	struct gn_clock_config cc;
	int i;

	if (nports < 1 || nports > SIM_MAX_PORTS)
		return -EINVAL;
	if (!s->nodes) {
		int rc = sim_reserve(s, SIM_MAX_NODES);

		if (rc < 0)
			return rc;
	}
	if (s->nnodes >= s->node_cap)
		return -ENOSPC;
	n = &s->nodes[s->nnodes];
	memset(n, 0, sizeof(*n));
	n->ports = calloc((size_t)nports, sizeof(*n->ports));
	n->pcfg = calloc((size_t)nports, sizeof(*n->pcfg));
	n->host = calloc((size_t)nports, sizeof(*n->host));
	n->segment = calloc((size_t)nports, sizeof(*n->segment));
	if (!n->ports || !n->pcfg || !n->host || !n->segment) {
		node_release(n);
		return -ENOMEM;
	}
	n->sim = s;
	n->id = s->nnodes;
	snprintf(n->name, sizeof(n->name), "%s", name);
	n->nports = nports;
	for (i = 0; i < nports; i++) {
		if (pcfg)
			n->pcfg[i] = pcfg[i];
		else
			gn_port_config_default(&n->pcfg[i]);
		if (!pcfg || !pcfg[i].name[0])
			snprintf(n->pcfg[i].name, sizeof(n->pcfg[i].name),
				 "%s.%d", name, i);
		n->segment[i] = -1;
	}
	if (cfg)
		cc = *cfg;
	else
		gn_clock_config_default(&cc);
	node_identity(n->id, &cc.identity);
	n->sc.base_local_ns = SIM_EPOCH_NS + s->now_ns;
	n->sc.base_true_ns = s->now_ns;
	n->sc.noise_t_ns = s->now_ns;
	n->sc.max_adj_ppb = 500000;
	gn_rng_seed(&n->rng, stream_seed(s, 1, (uint64_t)n->id));

	n->env.ctx = n;
	n->env.send = env_send;
	n->env.timer_arm = env_timer_arm;
	n->env.timer_cancel = env_timer_cancel;
	n->env.clock_now = env_clock_now;
	n->env.clock_adjfreq = env_clock_adjfreq;
	n->env.clock_step = env_clock_step;
	n->env.vlog = env_vlog;
	n->env.notify = env_notify;
	if (gn_clock_init(&n->clock, &cc, n->ports, n->pcfg, (unsigned)nports,
			  &n->env, gn_rng_next(&s->rng)) < 0) {
		node_release(n);
		return -EINVAL;
	}
	return s->nnodes++;
}

static int grow(void **arr, int *cap, int need, size_t elem)
{
	void *p;
	int ncap;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	while (ncap < need)
		ncap *= 2;
	p = realloc(*arr, (size_t)ncap * elem);
	if (!p)
		return -ENOMEM;
	memset((char *)p + (size_t)*cap * elem, 0,
	       (size_t)(ncap - *cap) * elem);
	*arr = p;
	*cap = ncap;
	return 0;
}

int sim_add_segment(struct sim *s, int64_t delay_ns)
{
	struct sim_segment *g;

	if (grow((void **)&s->segs, &s->seg_cap, s->nsegs + 1,
		 sizeof(*s->segs)) < 0)
		return -ENOMEM;
	g = &s->segs[s->nsegs];
	memset(g, 0, sizeof(*g));
	g->delay_ns = delay_ns;
	gn_rng_seed(&g->rng, stream_seed(s, 2, (uint64_t)s->nsegs));
	return s->nsegs++;
}

static int segment_add_member(struct sim_segment *g, int node, int port)
{
	if (grow((void **)&g->member, &g->member_cap, g->nmembers + 1,
		 sizeof(*g->member)) < 0)
		return -ENOMEM;
	g->member[g->nmembers].node = node;
	g->member[g->nmembers].port = port;
	g->nmembers++;
	return 0;
}

int sim_connect(struct sim *s, int seg, int node, int port)
{
	int rc;

	if (seg < 0 || seg >= s->nsegs || node < 0 || node >= s->nnodes ||
	    port < 0 || port >= s->nodes[node].nports ||
	    s->nodes[node].segment[port] >= 0)
		return -EINVAL;
	rc = segment_add_member(&s->segs[seg], node, port);
	if (rc < 0)
		return rc;
	s->nodes[node].segment[port] = seg;
	return 0;
}

int sim_add_bridge(struct sim *s, int64_t residence_ns, int64_t jitter_ns)
{
	struct sim_bridge *b;

	if (grow((void **)&s->bridges, &s->bridge_cap, s->nbridges + 1,
		 sizeof(*s->bridges)) < 0)
		return -ENOMEM;
	b = &s->bridges[s->nbridges];
	memset(b, 0, sizeof(*b));
	b->residence_ns = residence_ns;
	b->jitter_ns = jitter_ns;
	gn_rng_seed(&b->rng, stream_seed(s, 3, (uint64_t)s->nbridges));
	return s->nbridges++;
}

int sim_connect_bridge(struct sim *s, int seg, int bridge)
{
	struct sim_bridge *b;
	int rc;

	if (seg < 0 || seg >= s->nsegs || bridge < 0 || bridge >= s->nbridges)
		return -EINVAL;
	b = &s->bridges[bridge];
	if (grow((void **)&b->seg, &b->seg_cap, b->nsegs + 1, sizeof(*b->seg)) <
	    0)
		return -ENOMEM;
	rc = segment_add_member(&s->segs[seg], -1 - bridge, 0);
	if (rc < 0)
		return rc;
	b->seg[b->nsegs++] = seg;
	return 0;
}

int sim_start(struct sim *s)
{
	int i, rc = sim_check_loops(s);

	if (rc < 0)
		return rc;
	for (i = 0; i < s->nnodes; i++) {
		if (s->nodes[i].started)
			continue;
		s->nodes[i].started = true;
		gn_clock_start(&s->nodes[i].clock);
	}
	return 0;
}

void sim_kill(struct sim *s, int node)
{
	s->nodes[node].dead = true;
}

void sim_revive(struct sim *s, int node)
{
	struct sim_node *n = &s->nodes[node];
	struct gn_clock_config cc = n->clock.cfg;
	int i;

	n->dead = false;
	/* Coming back is a restart: the engine starts from INITIALIZING
	 * and no timer of the old life may fire. */
	for (i = 0; i < n->nports; i++) {
		int k;

		for (k = 0; k < GN_TMR_COUNT; k++)
			n->host[i].timer_gen[k] += 0x10000;
	}
	cc.initial_freq_ppb = n->sc.adj_ppb;
	gn_clock_init(&n->clock, &cc, n->ports, n->pcfg, (unsigned)n->nports,
		      &n->env, gn_rng_next(&s->rng));
	gn_clock_start(&n->clock);
	for (i = 0; i < n->nports; i++) {
		int seg = n->segment[i];

		if (seg >= 0 && s->segs[seg].down)
			gn_clock_link(&n->clock, (unsigned)i, false);
	}
}

void sim_segment_set_up(struct sim *s, int seg, bool up)
{
	struct sim_segment *g;
	int i;

	if (seg < 0 || seg >= s->nsegs)
		return;
	g = &s->segs[seg];
	if (g->down == !up)
		return;
	g->down = !up;
	for (i = 0; i < g->nmembers; i++) {
		struct sim_port_ref r = g->member[i];

		if (r.node < 0 || s->nodes[r.node].dead)
			continue;
		gn_clock_link(&s->nodes[r.node].clock, (unsigned)r.port, up);
	}
}

size_t sim_node_bytes(const struct sim_node *n)
{
	return sizeof(*n) +
	       (size_t)n->nports * (sizeof(*n->ports) + sizeof(*n->pcfg) +
				    sizeof(*n->host) + sizeof(*n->segment));
}

static bool frame_is_sync(const struct sim_frame *f)
{
	return f->len > 0 && (f->data[0] & 0x0F) == GN_MSG_SYNC;
}

static void handle_frame(struct sim *s, struct sim_node *n,
			 const struct sim_event *ev)
{
	struct sim_frame *f = ev->u.frame;
	int64_t ts = sim_stamp(n);

	if (frame_is_sync(f)) {
		/* The truth a Sync measurement should find: this clock
		 * minus the sender's (its parent's) at the stamp. */
		const struct gn_port *p = &n->ports[ev->port];
		int src =
		    sim_node_by_identity(s, &p->clock->pds.parent_port.clock);

		if (src >= 0 && src != n->id) {
			n->sync_rx_true_offset_ns = (int64_t)llround(
			    sim_offset_from(n, &s->nodes[src]));
			n->have_sync_rx = true;
		}
	}
	if (s->frame_hook)
		s->frame_hook(s->frame_ctx, n, ev->port, f->data, f->len, ts);
	s->frames_delivered++;
	gn_clock_rx(&n->clock, ev->port, f->data, f->len, ts);
}

void sim_run_until(struct sim *s, int64_t t_ns)
{
	struct sim_event ev;

	while (s->heap_len && s->heap[0].t_ns <= t_ns) {
		struct sim_node *n;

		sim_pop(s, &ev);
		s->now_ns = ev.t_ns;
		s->events++;
		n = &s->nodes[ev.node];
		switch (ev.type) {
		case SIM_EV_TIMER:
			if (n->dead ||
			    ev.gen != n->host[ev.port].timer_gen[ev.kind])
				break; /* cancelled or re-armed */
			gn_clock_timer(&n->clock, ev.port,
				       (enum gn_timer_kind)ev.kind);
			break;
		case SIM_EV_FRAME:
			if (!n->dead)
				handle_frame(s, n, &ev);
			sim_frame_put(s, ev.u.frame);
			break;
		case SIM_EV_TXTS:
			if (n->dead)
				break;
			gn_clock_tx_timestamp(
			    &n->clock, ev.port, ev.kind, (uint16_t)ev.gen,
			    ev.u.ts_ns == SIM_TS_AT_EVENT ? sim_stamp(n)
							  : ev.u.ts_ns);
			break;
		}
	}
	if (t_ns > s->now_ns)
		s->now_ns = t_ns;
}

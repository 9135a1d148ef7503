/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * simnet.c - discrete-event host of the core on simulated clocks and
 * broadcast segments. See simnet.h.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simnet.h"

enum { SIM_EV_TIMER = 0, SIM_EV_FRAME, SIM_EV_TXTS };

/* Start of simulated local time: 2024-01-01 TAI-ish, far from zero. */
#define SIM_EPOCH_NS (1704067200LL * GN_NS_PER_S)

static bool ev_before(const struct sim_event *a, const struct sim_event *b)
{
	if (a->t_ns != b->t_ns)
		return a->t_ns < b->t_ns;
	return a->order < b->order;
}

static void heap_swap(struct sim_event *a, struct sim_event *b)
{
	struct sim_event t = *a;

	*a = *b;
	*b = t;
}

static int sim_push(struct sim *s, const struct sim_event *ev)
{
	unsigned i;

	if (s->heap_len == s->heap_cap) {
		unsigned cap = s->heap_cap ? s->heap_cap * 2 : 256;
		struct sim_event *h = realloc(s->heap, cap * sizeof(*h));

		if (!h)
			return -ENOMEM;
		s->heap = h;
		s->heap_cap = cap;
	}
	i = s->heap_len++;
	s->heap[i] = *ev;
	s->heap[i].order = s->order++;
	while (i > 0) {
		unsigned parent = (i - 1) / 2;

		if (!ev_before(&s->heap[i], &s->heap[parent]))
			break;
		heap_swap(&s->heap[i], &s->heap[parent]);
		i = parent;
	}
	return 0;
}

static void sim_pop(struct sim *s, struct sim_event *out)
{
	unsigned i = 0;

	*out = s->heap[0];
	s->heap[0] = s->heap[--s->heap_len];
	for (;;) {
		unsigned l = 2 * i + 1, r = l + 1, m = i;

		if (l < s->heap_len && ev_before(&s->heap[l], &s->heap[m]))
			m = l;
		if (r < s->heap_len && ev_before(&s->heap[r], &s->heap[m]))
			m = r;
		if (m == i)
			break;
		heap_swap(&s->heap[i], &s->heap[m]);
		i = m;
	}
}

/* ---- simulated clock ---- */

int64_t sim_local_time(const struct sim_node *n, int64_t true_ns)
{
	const struct sim_clock *c = &n->sc;
	double rate = 1.0 + (c->freq_err_ppb + c->adj_ppb) * 1e-9;

	return c->base_local_ns +
	       (int64_t)llround((double)(true_ns - c->base_true_ns) * rate);
}

int64_t sim_true_offset(const struct sim_node *n)
{
	return sim_local_time(n, n->sim->now_ns) - (SIM_EPOCH_NS + n->sim->now_ns);
}

static void sim_clock_rebase(struct sim_node *n)
{
	n->sc.base_local_ns = sim_local_time(n, n->sim->now_ns);
	n->sc.base_true_ns = n->sim->now_ns;
}

static int64_t stamp(struct sim_node *n, int64_t true_ns)
{
	int64_t ts = sim_local_time(n, true_ns);

	if (n->stamp_noise_ns > 0)
		ts += (int64_t)((gn_rng_unit(&n->sim->rng) * 2.0 - 1.0) *
				(double)n->stamp_noise_ns);
	return ts;
}

/* ---- env callbacks ---- */

static int env_send(void *ctx, unsigned port, const uint8_t *frame,
		    size_t len, const struct gn_tx_meta *meta)
{
	struct sim_node *n = ctx;
	struct sim *s = n->sim;
	struct sim_segment *seg;
	struct sim_event ev;
	int i;

	if ((int)port >= n->nports || len > SIM_FRAME_MAX)
		return -EINVAL;
	if (meta->want_tx_ts) {
		memset(&ev, 0, sizeof(ev));
		ev.t_ns = s->now_ns;
		ev.type = SIM_EV_TXTS;
		ev.node = n->id;
		ev.port = (int)port;
		ev.kind = meta->msg_type;
		ev.gen = meta->sequence_id;
		ev.ts_ns = stamp(n, s->now_ns);
		sim_push(s, &ev);
	}
	if (n->segment[port] < 0)
		return 0;
	seg = &s->segs[n->segment[port]];
	if (seg->down)
		return 0;
	for (i = 0; i < seg->nmembers; i++) {
		struct sim_port_ref *r = &seg->member[i];
		int64_t d = seg->delay_ns;

		if (r->node == n->id && r->port == (int)port)
			continue;
		if (seg->loss > 0 && gn_rng_unit(&s->rng) < seg->loss)
			continue;
		if (seg->member[0].node == n->id &&
		    seg->member[0].port == (int)port)
			d += seg->asym_ns;
		if (seg->jitter_ns > 0)
			d += (int64_t)(-log(1.0 - gn_rng_unit(&s->rng)) *
				       (double)seg->jitter_ns);
		memset(&ev, 0, offsetof(struct sim_event, frame));
		ev.t_ns = s->now_ns + d;
		ev.type = SIM_EV_FRAME;
		ev.node = r->node;
		ev.port = r->port;
		ev.len = (uint16_t)len;
		memcpy(ev.frame, frame, len);
		sim_push(s, &ev);
	}
	return 0;
}

static void env_timer_arm(void *ctx, unsigned port, enum gn_timer_kind kind,
			  int64_t delay_ns)
{
	struct sim_node *n = ctx;
	struct sim_event ev;

	memset(&ev, 0, offsetof(struct sim_event, frame));
	ev.t_ns = n->sim->now_ns + delay_ns;
	ev.type = SIM_EV_TIMER;
	ev.node = n->id;
	ev.port = (int)port;
	ev.kind = kind;
	ev.gen = ++n->timer_gen[port][kind];
	sim_push(n->sim, &ev);
}

static void env_timer_cancel(void *ctx, unsigned port, enum gn_timer_kind kind)
{
	struct sim_node *n = ctx;

	n->timer_gen[port][kind]++;
}

static int64_t env_clock_now(void *ctx)
{
	struct sim_node *n = ctx;

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
}

/* ---- public ---- */

int sim_init(struct sim *s, uint64_t seed)
{
	memset(s, 0, sizeof(*s));
	gn_rng_seed(&s->rng, seed);
	s->log_level = GN_LOG_INFO;
	return 0;
}

void sim_free(struct sim *s)
{
	free(s->heap);
	s->heap = NULL;
	s->heap_len = s->heap_cap = 0;
}

int sim_add_node(struct sim *s, const char *name,
		 const struct gn_clock_config *cfg,
		 const struct gn_port_config *pcfg, int nports)
{
	struct sim_node *n;
	struct gn_clock_config cc;
	int i;

	if (s->nnodes >= SIM_MAX_NODES || nports < 1 || nports > SIM_MAX_PORTS)
		return -EINVAL;
	n = &s->nodes[s->nnodes];
	memset(n, 0, sizeof(*n));
	n->sim = s;
	n->id = s->nnodes;
	snprintf(n->name, sizeof(n->name), "%s", name);
	n->nports = nports;
	for (i = 0; i < nports; i++) {
		if (pcfg)
			n->pcfg[i] = pcfg[i];
		else
			gn_port_config_default(&n->pcfg[i]);
		snprintf(n->pcfg[i].name, sizeof(n->pcfg[i].name), "%s.%d",
			 name, i);
		n->segment[i] = -1;
	}
	if (cfg)
		cc = *cfg;
	else
		gn_clock_config_default(&cc);
	/* Identity 02:00:00:00:00:<id+1>, with FF FE in the middle. */
	{
		uint8_t mac[6] = { 0x02, 0, 0, 0, (uint8_t)(n->id >> 8),
				   (uint8_t)(n->id + 1) };

		gn_clock_identity_from_eui48(mac, &cc.identity);
	}
	n->sc.base_local_ns = SIM_EPOCH_NS;
	n->sc.max_adj_ppb = 500000;

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
			  &n->env, gn_rng_next(&s->rng)) < 0)
		return -EINVAL;
	return s->nnodes++;
}

int sim_add_segment(struct sim *s, int64_t delay_ns)
{
	if (s->nsegs >= SIM_MAX_SEGMENTS)
		return -EINVAL;
	memset(&s->segs[s->nsegs], 0, sizeof(s->segs[0]));
	s->segs[s->nsegs].delay_ns = delay_ns;
	return s->nsegs++;
}

int sim_connect(struct sim *s, int seg, int node, int port)
{
	struct sim_segment *sg;

	if (seg < 0 || seg >= s->nsegs || node < 0 || node >= s->nnodes ||
	    port < 0 || port >= s->nodes[node].nports)
		return -EINVAL;
	sg = &s->segs[seg];
	if (sg->nmembers >= SIM_MAX_SEG_MEMBERS)
		return -ENOSPC;
	sg->member[sg->nmembers].node = node;
	sg->member[sg->nmembers].port = port;
	sg->nmembers++;
	s->nodes[node].segment[port] = seg;
	return 0;
}

void sim_start(struct sim *s)
{
	int i;

	for (i = 0; i < s->nnodes; i++)
		gn_clock_start(&s->nodes[i].clock);
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
	/* Coming back is a restart: the engine starts from INITIALIZING. */
	for (i = 0; i < n->nports; i++)
		memset(n->timer_gen[i], 0, sizeof(n->timer_gen[i]));
	gn_clock_init(&n->clock, &cc, n->ports, n->pcfg,
		      (unsigned)n->nports, &n->env, gn_rng_next(&s->rng));
	gn_clock_start(&n->clock);
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
		if (n->dead)
			continue;
		switch (ev.type) {
		case SIM_EV_TIMER:
			if (ev.gen != n->timer_gen[ev.port][ev.kind])
				break; /* cancelled or re-armed */
			gn_clock_timer(&n->clock, (unsigned)ev.port,
				       (enum gn_timer_kind)ev.kind);
			break;
		case SIM_EV_FRAME: {
			int64_t ts = stamp(n, s->now_ns);

			if (s->frame_hook)
				s->frame_hook(s->frame_ctx, n, ev.port, ev.frame,
					      ev.len, ts);
			gn_clock_rx(&n->clock, (unsigned)ev.port, ev.frame,
				    ev.len, ts);
			break;
		}
		case SIM_EV_TXTS:
			gn_clock_tx_timestamp(&n->clock, (unsigned)ev.port,
					      (uint8_t)ev.kind,
					      (uint16_t)ev.gen, ev.ts_ns);
			break;
		}
	}
	s->now_ns = t_ns;
}

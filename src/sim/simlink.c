/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * simlink.c - how frames travel in simnet: frame buffers (one per
 * transmission, shared by reference among its receptions), segments
 * with their delay / jitter / spike / loss / duplication / reordering
 * models, and bridges that forward a frame on their other segments
 * (peer-delay frames, link-local, are not forwarded, as 802.1D says).
 *
 * Every draw comes from the segment's or bridge's own random stream.
 * Must not reach the core except through events.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "simnet.h"

/* Pareto tail index of queueing spikes, and a cap on one spike. */
#define SPIKE_ALPHA 1.5
#define SPIKE_CAP   1000.0
/* A duplicate arrives this much after the original. */
#define DUP_GAP_NS 1000
/* Bridge nesting deeper than this is a configuration error. */
#define MAX_BRIDGE_DEPTH 64

struct sim_frame *sim_frame_get(struct sim *s, const uint8_t *data, size_t len)
{
	struct sim_frame **list;
	struct sim_frame *f;
	uint16_t cap;

	if (len > SIM_FRAME_MAX)
		return NULL;
	if (len <= SIM_FRAME_SMALL) {
		list = &s->free_small;
		cap = SIM_FRAME_SMALL;
	} else {
		list = &s->free_large;
		cap = SIM_FRAME_MAX;
	}
	f = *list;
	if (f) {
		*list = f->next_free;
	} else {
		f = malloc(sizeof(*f) + cap);
		if (!f)
			return NULL;
		f->cap = cap;
		s->frame_bytes += sizeof(*f) + cap;
	}
	f->next_free = NULL;
	f->refs = 1;
	f->len = (uint16_t)len;
	memcpy(f->data, data, len);
	return f;
}

void sim_frame_put(struct sim *s, struct sim_frame *f)
{
	if (--f->refs)
		return;
	if (f->cap == SIM_FRAME_SMALL) {
		f->next_free = s->free_small;
		s->free_small = f;
	} else {
		f->next_free = s->free_large;
		s->free_large = f;
	}
}

/* One draw of the segment's variable delay (jitter + spike + reorder). */
static int64_t segment_extra_delay(struct sim_segment *g)
{
	double d = 0.0;

	if (g->jitter_ns > 0) {
		double j = (double)g->jitter_ns;

		switch (g->jitter_dist) {
		case SIM_JITTER_EXP:
			d += sim_exponential(&g->rng) * j;
			break;
		case SIM_JITTER_NORMAL:
			d += sim_normal(&g->rng) * j;
			break;
		case SIM_JITTER_UNIFORM:
			d += gn_rng_unit(&g->rng) * j;
			break;
		}
	}
	if (g->spike_prob > 0.0 && gn_rng_unit(&g->rng) < g->spike_prob) {
		/* Pareto: x_m / U^(1/alpha), capped. */
		double u = 1.0 - gn_rng_unit(&g->rng);
		double x = pow(u, -1.0 / SPIKE_ALPHA);

		d += (double)g->spike_ns * (x < SPIKE_CAP ? x : SPIKE_CAP);
	}
	if (g->reorder > 0.0 && gn_rng_unit(&g->rng) < g->reorder)
		d += (double)g->reorder_ns;
	return (int64_t)llround(d);
}

static void deliver_to_node(struct sim *s, struct sim_frame *f,
			    const struct sim_port_ref *r, int64_t t_ns)
{
	struct sim_node *n = &s->nodes[r->node];
	struct sim_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.t_ns = t_ns + sim_rx_latency(n);
	ev.type = SIM_EV_FRAME;
	ev.node = r->node;
	ev.port = (uint16_t)r->port;
	ev.u.frame = f;
	if (sim_push(s, &ev) == 0)
		f->refs++;
}

static void flood(struct sim *s, int segi, struct sim_port_ref from,
		  int64_t t_ns, struct sim_frame *f, bool link_local, int depth)
{
	struct sim_segment *g = &s->segs[segi];
	bool from_first;
	int i, k;

	if (g->down || depth > MAX_BRIDGE_DEPTH)
		return;
	from_first = g->nmembers > 0 && g->member[0].node == from.node &&
		     g->member[0].port == from.port;
	for (i = 0; i < g->nmembers; i++) {
		struct sim_port_ref r = g->member[i];
		int64_t t, d;

		if (r.node == from.node && r.port == from.port)
			continue;
		if (g->loss > 0.0 && gn_rng_unit(&g->rng) < g->loss)
			continue;
		d = g->delay_ns + segment_extra_delay(g);
		if (from_first)
			d += g->asym_ns;
		t = t_ns + (d > 0 ? d : 0);
		if (r.node >= 0) {
			deliver_to_node(s, f, &r, t);
			if (g->dup > 0.0 && gn_rng_unit(&g->rng) < g->dup)
				deliver_to_node(s, f, &r, t + DUP_GAP_NS);
			continue;
		}
		if (link_local)
			continue;
		{
			struct sim_bridge *b = &s->bridges[-1 - r.node];
			struct sim_port_ref me = {r.node, 0};

			t += b->residence_ns;
			if (b->jitter_ns > 0)
				t += (int64_t)(sim_exponential(&b->rng) *
					       (double)b->jitter_ns);
			for (k = 0; k < b->nsegs; k++) {
				if (b->seg[k] == segi)
					continue;
				flood(s, b->seg[k], me, t, f, link_local,
				      depth + 1);
			}
		}
	}
}

void sim_transmit(struct sim *s, int node, int port, struct sim_frame *f,
		  int64_t t_dep, bool link_local)
{
	struct sim_node *n = &s->nodes[node];
	struct sim_port_ref me = {node, port};
	int seg = n->segment[port];

	if (seg < 0)
		return;
	s->frames_sent++;
	flood(s, seg, me, t_dep, f, link_local, 0);
}

/* Union-find over bridges and segments: a membership that joins two
 * already connected vertices closes a loop. */
static int uf_find(int *p, int i)
{
	while (p[i] != i) {
		p[i] = p[p[i]];
		i = p[i];
	}
	return i;
}

int sim_check_loops(const struct sim *s)
{
	int nv = s->nsegs + s->nbridges, b, k, rc = 0;
	int *p;

	if (!s->nbridges)
		return 0;
	p = malloc((size_t)nv * sizeof(*p));
	if (!p)
		return -ENOMEM;
	for (k = 0; k < nv; k++)
		p[k] = k;
	for (b = 0; b < s->nbridges && !rc; b++) {
		for (k = 0; k < s->bridges[b].nsegs; k++) {
			int a = uf_find(p, s->nsegs + b);
			int c = uf_find(p, s->bridges[b].seg[k]);

			if (a == c) {
				rc = -ELOOP;
				break;
			}
			p[a] = c;
		}
	}
	free(p);
	return rc;
}

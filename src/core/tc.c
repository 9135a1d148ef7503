/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tc.c - the forwarding half of a transparent clock (1588-2019 10.2,
 * 11.5): which port a message may leave by, the residence time added to
 * Sync (through its Follow_Up) and Delay_Resp, and the tables that pair
 * them. The clock's own part (BMCA, servo, peer delay) stays in
 * clock.c and port.c.
 *
 * Choices, as linuxptp makes them: a one-step Sync leaves as a two-step
 * Sync followed by a Follow_Up generated here, so that every correction
 * this clock adds goes into a Follow_Up (no egress stamp is known when a
 * frame is handed to the host). A P2P TC adds the ingress port's peer
 * delay (and its delayAsymmetry) to the same Follow_Up.
 *
 * Residence goes out in the grandmaster's timescale (1588-2019 10.2.2,
 * 11.5): what the TC's clock measured times the master/local rate
 * ratio, gn_tc_rate_ratio().
 *  - Steered (free_running 0): the ratio is 1. The servo moves the
 *    clock's frequency (env clock_adjfreq on the PHC, the system clock,
 *    the virtual clock or the simulated one) and the stamps are read
 *    from that same clock, so they already tick at the grandmaster's
 *    rate, up to the servo's residual: a few ppb once locked, far below
 *    a nanosecond on any residence. linuxptp uses its servo's ratio
 *    here, which is 1 for PI and for linreg the small rate it adds on
 *    purpose to pull the phase in; we do not fold that pull into a
 *    residence. Until the servo has locked, residences carry the
 *    clock's raw frequency error.
 *  - Free running (free_running 1, the usual TC): the port toward the
 *    grandmaster (SLAVE or UNCALIBRATED) measures the ratio from its
 *    parent's Syncs, as linuxptp does: elapsed originTimestamp +
 *    correction over elapsed ingress stamp, between Syncs
 *    2^(freq_est_interval - logSyncInterval) apart, one interval after
 *    another. The path delay cancels (taken constant); the correction
 *    must be in, since it holds the upstream TCs' varying residences.
 *    Until the first interval is complete, after a new parent, a port
 *    state change or a clock step, the ratio is unknown and 1 (the
 *    residence carries the clock's frequency error: 100 ppm x 10 ms =
 *    1 us). A ratio more than GN_TC_RATE_MAX_DEV from 1 is a step of
 *    either clock, not an oscillator: it is refused (unknown again,
 *    counted in rate_rejected). A step of the TC's clock small enough
 *    to pass that test (under 2 ms in a 2 s interval) biases one
 *    interval's ratio; nothing here can tell it from a frequency.
 *  - P2P: the ingress link's peer delay is in the neighbor's time base
 *    (tt.c scales by the neighbor rate ratio): divided by that ratio it
 *    is in this clock's, times the master/local ratio in the
 *    grandmaster's, the way 802.1AS relays compute their correction
 *    (meanLinkDelay / neighborRateRatio, times rateRatio). A steered
 *    TC still divides by the neighbor rate ratio: the neighbor may be
 *    a free-running TC. The configured delayAsymmetry is a length in
 *    ns and is added as it is.
 * The scaling rounds to the nearest ns. The ratio's own error is the
 * stamps' noise over the interval: 8 ns over 2 s is 4e-9, 0.04 ns on a
 * 10 ms residence.
 *
 * Sans-IO: frames leave through gn_env.send, stamps come back through
 * gn_tc_tx_timestamp; the tables are fixed arrays in the host-owned
 * port storage, entries age out after GN_TC_LIFETIME_NS on the TC's
 * clock and a full table evicts its oldest entry.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "clock.h"

#define TC_OFF_STEPS	 61 /* Announce stepsRemoved */
#define TC_FOLLOW_UP_LEN 44
#define TC_CONTROL_FUP	 2 /* controlField of Follow_Up */

bool gn_tc_is_tc(const struct gn_clock *c)
{
	return c->cfg.clock_type == GN_CLOCK_E2E_TC ||
	       c->cfg.clock_type == GN_CLOCK_P2P_TC;
}

static bool tc_state_active(enum gn_port_state s)
{
	return s != GN_PS_INITIALIZING && s != GN_PS_FAULTY &&
	       s != GN_PS_DISABLED;
}

static bool tc_state_slave(enum gn_port_state s)
{
	return s == GN_PS_SLAVE || s == GN_PS_UNCALIBRATED;
}

/*
 * Whether a message that came in on q may leave by p. Without the
 * spanning tree every other working port gets it. With it, only ports
 * the BMCA made part of the tree carry PTP traffic, and in the
 * direction of the tree: Delay_Req from a master port up to the slave
 * port, everything else from the slave port down to master ports. Other
 * domains are not this clock's tree: they pass unconditionally.
 */
static bool tc_may_forward(const struct gn_clock *c, const struct gn_port *q,
			   const struct gn_port *p, uint8_t type,
			   uint8_t domain)
{
	if (p == q || !p->link_up || !p->enabled ||
	    !tc_state_active(p->ds.state))
		return false;
	if (!c->cfg.tc_spanning_tree || domain != c->dds.domain)
		return true;
	if (type == GN_MSG_DELAY_REQ)
		return q->ds.state == GN_PS_MASTER &&
		       tc_state_slave(p->ds.state);
	return tc_state_slave(q->ds.state) && p->ds.state == GN_PS_MASTER;
}

/* ---- the pairing table of an egress port ---- */

static bool tc_entry_stale(const struct gn_tc_entry *e, int64_t now_ns)
{
	int64_t age = now_ns - e->created_ns;

	/* Also stale when the clock was stepped back past it. */
	return age > GN_TC_LIFETIME_NS || age < -GN_TC_LIFETIME_NS;
}

static void tc_entry_free(struct gn_tc_entry *e)
{
	e->kind = GN_TC_FREE;
	e->fup_held = false;
	e->tx_pending = false;
	e->have_residence = false;
	e->sync_sent = false;
}

static void tc_expire(struct gn_port *p, int64_t now_ns)
{
	unsigned i;

	for (i = 0; i < GN_TC_ENTRIES; i++) {
		struct gn_tc_entry *e = &p->tc.e[i];

		if (e->kind != GN_TC_FREE && tc_entry_stale(e, now_ns)) {
			p->tc.stats.expired++;
			tc_entry_free(e);
		}
	}
}

static struct gn_tc_entry *tc_alloc(struct gn_port *p, uint8_t kind,
				    const struct gn_port *q,
				    const struct gn_msg *m,
				    const struct gn_port_identity *source,
				    int64_t now_ns)
{
	struct gn_tc_entry *e = NULL;
	unsigned i;

	tc_expire(p, now_ns);
	for (i = 0; i < GN_TC_ENTRIES; i++) {
		struct gn_tc_entry *x = &p->tc.e[i];

		if (x->kind == GN_TC_FREE) {
			e = x;
			break;
		}
		if (!e || x->order < e->order)
			e = x;
	}
	if (e->kind != GN_TC_FREE)
		p->tc.stats.evicted++;
	memset(e, 0, offsetof(struct gn_tc_entry, held));
	e->kind = kind;
	e->domain = m->h.domain;
	e->ingress = (uint16_t)q->index;
	e->seq = m->h.sequence_id;
	e->source = *source;
	e->created_ns = now_ns;
	e->order = p->tc.next_order++;
	return e;
}

#define TC_ANY_INGRESS UINT_MAX

static struct gn_tc_entry *tc_find(struct gn_port *p, uint8_t kind,
				   unsigned ingress, uint8_t domain,
				   uint16_t seq,
				   const struct gn_port_identity *source)
{
	unsigned i;

	for (i = 0; i < GN_TC_ENTRIES; i++) {
		struct gn_tc_entry *e = &p->tc.e[i];

		if (e->kind == kind &&
		    (ingress == TC_ANY_INGRESS || e->ingress == ingress) &&
		    e->domain == domain && e->seq == seq &&
		    gn_port_identity_eq(&e->source, source))
			return e;
	}
	return NULL;
}

void gn_tc_port_flush(struct gn_port *p)
{
	unsigned i;

	for (i = 0; i < GN_TC_ENTRIES; i++)
		tc_entry_free(&p->tc.e[i]);
	p->tc.own_pending = false;
}

/* ---- the master/local rate ratio of a free-running TC ---- */

void gn_tc_rate_reset(struct gn_port *p)
{
	memset(&p->tc.rate, 0, sizeof(p->tc.rate));
	p->tc.rate.ratio = 1.0;
}

static void tc_rate_start(struct gn_tc_rate *r,
			  const struct gn_port_identity *source,
			  int64_t master_ns, int64_t local_ns)
{
	r->have_start = true;
	r->source = *source;
	r->start_master_ns = master_ns;
	r->start_local_ns = local_ns;
	r->syncs = 0;
}

static void tc_rate_forget(struct gn_tc_rate *r)
{
	r->known = false;
	r->ratio = 1.0;
}

/* Syncs per interval: 2^(freq_est_interval - logSyncInterval), at
 * least one (linuxptp's freq_est_interval counts Syncs the same way). */
static unsigned tc_rate_interval_syncs(const struct gn_port *p)
{
	long long shift = (long long)p->clock->cfg.freq_est_interval -
			  p->ds.log_sync_interval;

	if (shift <= 0)
		return 1;
	return 1u << (shift > 30 ? 30 : shift);
}

void gn_tc_sync_received(struct gn_port *p,
			 const struct gn_port_identity *source,
			 int64_t master_ns, int64_t local_ns)
{
	struct gn_tc_rate *r = &p->tc.rate;
	double ratio = NAN;
	int64_t elapsed_ns;

	if (!gn_tc_is_tc(p->clock) || !p->clock->cfg.free_running ||
	    !tc_state_slave(p->ds.state))
		return;
	if (!r->have_start || !gn_port_identity_eq(&r->source, source)) {
		/* Another master: what was measured against the last one
		 * says nothing about this one. */
		if (r->have_start)
			tc_rate_forget(r);
		tc_rate_start(r, source, master_ns, local_ns);
		return;
	}
	/* Ingress stamps standing still or going back: the clock was
	 * stepped (or the stamps are broken). Start over. */
	if (gn_sub_ns(local_ns, r->start_local_ns, &elapsed_ns) < 0 ||
	    elapsed_ns <= 0) {
		tc_rate_forget(r);
		tc_rate_start(r, source, master_ns, local_ns);
		return;
	}
	if (++r->syncs < tc_rate_interval_syncs(p))
		return;
	if (gn_tt_rate_ratio(r->start_master_ns, r->start_local_ns, master_ns,
			     local_ns, &ratio) == 0 &&
	    fabs(ratio - 1.0) <= GN_TC_RATE_MAX_DEV) {
		r->ratio = ratio;
		r->known = true;
		gn_clock_log(p->clock, GN_LOG_DEBUG,
			     "port %u (%s): master/local rate ratio %.9f",
			     p->index + 1, p->cfg.name, ratio);
	} else {
		/* A stepped grandmaster or local clock, not an oscillator:
		 * residence times go uncorrected until the next interval
		 * gives a ratio that makes sense. */
		p->tc.stats.rate_rejected++;
		tc_rate_forget(r);
		gn_clock_log(p->clock, GN_LOG_WARNING,
			     "port %u (%s): master/local rate ratio %.9f "
			     "ignored",
			     p->index + 1, p->cfg.name, ratio);
	}
	tc_rate_start(r, source, master_ns, local_ns);
}

double gn_tc_rate_ratio(const struct gn_clock *c)
{
	const struct gn_tc_rate *r;

	if (!gn_tc_is_tc(c) || !c->cfg.free_running || c->slave_port < 0 ||
	    (unsigned)c->slave_port >= c->nports)
		return 1.0;
	r = &c->ports[c->slave_port].tc.rate;
	return r->known ? r->ratio : 1.0;
}

/* ---- sending ---- */

/* Adds add_ns to the correctionField of frame, saturating: the largest
 * value is 1588's "too big to represent", which stays as it is. */
static void tc_add_correction(uint8_t *frame, int64_t add_ns)
{
	int64_t corr = (int64_t)gn_get64(frame + GN_HDR_OFF_CORRECTION);
	int64_t add = gn_ns_to_ti(add_ns);

	if (corr == GN_TI_MAX)
		return;
	if (add > 0 && corr > GN_TI_MAX - add)
		corr = GN_TI_MAX;
	else if (add < 0 && corr < INT64_MIN + 1 - add)
		corr = INT64_MIN + 1;
	else
		corr += add;
	gn_put64(frame + GN_HDR_OFF_CORRECTION, (uint64_t)corr);
}

static int tc_send(struct gn_port *p, const uint8_t *frame, size_t len,
		   bool want_ts)
{
	int err = gn_port_send_frame(p, frame, len, want_ts, GN_DEST_MULTICAST);

	if (err < 0)
		return err;
	p->tc.stats.forwarded[frame[0] & 0xF]++;
	return 0;
}

/* What the TC adds to a Sync's Follow_Up leaving by p: the residence,
 * and for a P2P TC the delay of the link the Sync came in on. That
 * delay is measured in the neighbor's time base (tt.c): divided by the
 * neighbor rate ratio it is in this clock's, times the master/local
 * ratio in the grandmaster's, as the residence. */
static int64_t tc_sync_correction_ns(const struct gn_port *p,
				     const struct gn_tc_entry *e)
{
	const struct gn_clock *c = p->clock;
	const struct gn_port *q = &c->ports[e->ingress];
	int64_t add = e->residence_ns, link = 0;

	if (c->cfg.clock_type != GN_CLOCK_P2P_TC)
		return add;
	if (q->have_peer_delay &&
	    gn_tt_scale_ns(q->peer_delay_ns,
			   gn_tc_rate_ratio(c) / q->neighbor_rate_ratio,
			   &link) < 0)
		link = q->peer_delay_ns > 0 ? INT64_MAX : INT64_MIN;
	if (gn_add_ns(link, q->cfg.delay_asymmetry_ns, &link) < 0 ||
	    gn_add_ns(add, link, &add) < 0)
		return add > 0 ? INT64_MAX : INT64_MIN;
	return add;
}

static void tc_send_follow_up(struct gn_port *p, struct gn_tc_entry *e,
			      const uint8_t *fup, size_t len)
{
	uint8_t out[GN_MAX_MSG_LEN];

	memcpy(out, fup, len);
	tc_add_correction(out, tc_sync_correction_ns(p, e));
	tc_send(p, out, len, false);
	tc_entry_free(e);
}

/* ---- forwarding by message type ---- */

static void tc_fwd_follow_up(struct gn_port *q, const struct gn_msg *m,
			     const uint8_t *buf, size_t len, int64_t now_ns)
{
	struct gn_clock *c = q->clock;
	unsigned i;

	for (i = 0; i < c->nports; i++) {
		struct gn_port *p = &c->ports[i];
		struct gn_tc_entry *e;

		if (!tc_may_forward(c, q, p, GN_MSG_FOLLOW_UP, m->h.domain))
			continue;
		e = tc_find(p, GN_TC_SYNC, q->index, m->h.domain,
			    m->h.sequence_id, &m->h.source);
		if (e && tc_entry_stale(e, now_ns)) {
			p->tc.stats.expired++;
			tc_entry_free(e);
			e = NULL;
		}
		if (e && e->have_residence) {
			tc_send_follow_up(p, e, buf, len);
			continue;
		}
		/* Its Sync is not out yet, or its stamp not back: hold. */
		if (len > GN_TC_HELD_MAX) {
			p->tc.stats.dropped++;
			continue;
		}
		if (!e)
			e = tc_alloc(p, GN_TC_SYNC, q, m, &m->h.source, now_ns);
		memcpy(e->held, buf, len);
		e->held_len = (uint16_t)len;
		e->fup_held = true;
	}
}

/* A one-step Sync's Follow_Up, built from the Sync: its origin becomes
 * the precise origin, and the correction starts at zero (the Sync keeps
 * its own). */
static void tc_make_follow_up(const uint8_t *sync, uint8_t *fup)
{
	memcpy(fup, sync, TC_FOLLOW_UP_LEN);
	fup[0] = (uint8_t)((sync[0] & 0xF0) | GN_MSG_FOLLOW_UP);
	gn_put16(fup + GN_HDR_OFF_LENGTH, TC_FOLLOW_UP_LEN);
	gn_put16(fup + GN_HDR_OFF_FLAGS, 0);
	gn_put64(fup + GN_HDR_OFF_CORRECTION, 0);
	gn_put32(fup + GN_HDR_OFF_TYPE_SPECIFIC, 0);
	fup[GN_HDR_OFF_CONTROL] = TC_CONTROL_FUP;
}

static void tc_fwd_sync(struct gn_port *q, const struct gn_msg *m,
			const uint8_t *buf, size_t len, int64_t rx_ts_ns,
			int64_t now_ns)
{
	struct gn_clock *c = q->clock;
	bool one_step = !(m->h.flags & GN_FLAG_TWO_STEP);
	uint8_t out[GN_MAX_MSG_LEN];
	unsigned i;

	if (rx_ts_ns == GN_NO_TIMESTAMP) {
		q->tc.stats.dropped++;
		return;
	}
	memcpy(out, buf, len);
	if (one_step)
		out[GN_HDR_OFF_FLAGS] |= (uint8_t)(GN_FLAG_TWO_STEP >> 8);
	for (i = 0; i < c->nports; i++) {
		struct gn_port *p = &c->ports[i];
		struct gn_tc_entry *e;

		if (!tc_may_forward(c, q, p, GN_MSG_SYNC, m->h.domain))
			continue;
		e = tc_find(p, GN_TC_SYNC, q->index, m->h.domain,
			    m->h.sequence_id, &m->h.source);
		/* A repeated Sync starts the pairing over; a Follow_Up
		 * that came first stays. */
		if (e && (e->sync_sent || tc_entry_stale(e, now_ns))) {
			tc_entry_free(e);
			e = NULL;
		}
		if (!e)
			e = tc_alloc(p, GN_TC_SYNC, q, m, &m->h.source, now_ns);
		e->sync_sent = true;
		e->tx_pending = true;
		e->ingress_ns = rx_ts_ns;
		if (tc_send(p, out, len, true) < 0)
			tc_entry_free(e);
	}
	if (one_step) {
		uint8_t fup[TC_FOLLOW_UP_LEN];
		struct gn_msg fm = *m;

		tc_make_follow_up(buf, fup);
		fm.h.type = GN_MSG_FOLLOW_UP;
		tc_fwd_follow_up(q, &fm, fup, sizeof(fup), now_ns);
	}
}

static void tc_fwd_delay_req(struct gn_port *q, const struct gn_msg *m,
			     const uint8_t *buf, size_t len, int64_t rx_ts_ns,
			     int64_t now_ns)
{
	struct gn_clock *c = q->clock;
	unsigned i;

	if (rx_ts_ns == GN_NO_TIMESTAMP) {
		q->tc.stats.dropped++;
		return;
	}
	for (i = 0; i < c->nports; i++) {
		struct gn_port *p = &c->ports[i];
		struct gn_tc_entry *e;

		if (!tc_may_forward(c, q, p, GN_MSG_DELAY_REQ, m->h.domain))
			continue;
		e = tc_find(p, GN_TC_DELAY_REQ, q->index, m->h.domain,
			    m->h.sequence_id, &m->h.source);
		if (!e)
			e = tc_alloc(p, GN_TC_DELAY_REQ, q, m, &m->h.source,
				     now_ns);
		e->tx_pending = true;
		e->have_residence = false;
		e->ingress_ns = rx_ts_ns;
		e->created_ns = now_ns;
		if (tc_send(p, buf, len, true) < 0)
			tc_entry_free(e);
	}
}

/* A Delay_Resp goes back only by the port its Delay_Req came in on,
 * with that request's residence added. */
static void tc_fwd_delay_resp(struct gn_port *q, const struct gn_msg *m,
			      const uint8_t *buf, size_t len, int64_t now_ns)
{
	struct gn_clock *c = q->clock;
	uint8_t out[GN_MAX_MSG_LEN];
	struct gn_tc_entry *e;
	struct gn_port *p;

	e = tc_find(q, GN_TC_DELAY_REQ, TC_ANY_INGRESS, m->h.domain,
		    m->h.sequence_id, &m->body.resp.port);
	if (e && !e->have_residence)
		e = NULL; /* its request's stamp is not back yet */
	if (!e || tc_entry_stale(e, now_ns)) {
		q->tc.stats.unmatched++;
		if (e)
			tc_entry_free(e);
		return;
	}
	p = &c->ports[e->ingress];
	if (tc_may_forward(c, q, p, GN_MSG_DELAY_RESP, m->h.domain)) {
		memcpy(out, buf, len);
		tc_add_correction(out, e->residence_ns);
		tc_send(p, out, len, false);
	}
	tc_entry_free(e);
}

static void tc_fwd_general(struct gn_port *q, const struct gn_msg *m,
			   const uint8_t *buf, size_t len)
{
	struct gn_clock *c = q->clock;
	uint8_t out[GN_MAX_MSG_LEN];
	unsigned i;

	memcpy(out, buf, len);
	/* In a tree of TCs each hop counts, so that BMCA downstream
	 * prefers the shorter way to the grandmaster (linuxptp does
	 * this only with tc_spanning_tree). */
	if (m->h.type == GN_MSG_ANNOUNCE && c->cfg.tc_spanning_tree &&
	    m->body.announce.steps_removed < 0xFFFF)
		gn_put16(out + TC_OFF_STEPS,
			 (uint16_t)(m->body.announce.steps_removed + 1));
	for (i = 0; i < c->nports; i++) {
		struct gn_port *p = &c->ports[i];

		if (tc_may_forward(c, q, p, m->h.type, m->h.domain))
			tc_send(p, out, len, false);
	}
}

void gn_tc_rx(struct gn_port *q, const uint8_t *buf, size_t len,
	      int64_t rx_ts_ns)
{
	struct gn_clock *c = q->clock;
	bool e2e = c->cfg.clock_type == GN_CLOCK_E2E_TC;
	enum gn_wire_error err;
	struct gn_msg m;
	int64_t now_ns;
	size_t flen;

	if (!gn_tc_is_tc(c) || !tc_state_active(q->ds.state) || !q->link_up)
		return;
	err = gn_msg_parse(buf, len, &m);
	/* Forward only what this clock can hold and parse: the length a
	 * frame claims is checked by the parser, padding is dropped. */
	flen = m.h.length;
	if (err != GN_WIRE_OK || flen > GN_MAX_MSG_LEN) {
		q->tc.stats.dropped++;
		return;
	}
	/* Our own frames back (a loop): never again. */
	if (gn_clock_identity_eq(&m.h.source.clock, &c->dds.identity))
		return;
	if (rx_ts_ns != GN_NO_TIMESTAMP)
		rx_ts_ns -= q->cfg.ingress_latency_ns;
	now_ns = gn_port_now(q);

	switch (m.h.type) {
	case GN_MSG_SYNC:
		tc_fwd_sync(q, &m, buf, flen, rx_ts_ns, now_ns);
		break;
	case GN_MSG_FOLLOW_UP:
		tc_fwd_follow_up(q, &m, buf, flen, now_ns);
		break;
	case GN_MSG_DELAY_REQ:
		/* A P2P TC does not pass end-to-end delay messages. */
		if (e2e)
			tc_fwd_delay_req(q, &m, buf, flen, rx_ts_ns, now_ns);
		break;
	case GN_MSG_DELAY_RESP:
		if (e2e)
			tc_fwd_delay_resp(q, &m, buf, flen, now_ns);
		break;
	case GN_MSG_ANNOUNCE:
	case GN_MSG_SIGNALING:
	case GN_MSG_MANAGEMENT:
		tc_fwd_general(q, &m, buf, flen);
		break;
	default:
		/* Peer delay is link-local: answered by a P2P TC's own
		 * ports, ignored by an E2E TC, never forwarded. */
		break;
	}
}

static struct gn_tc_entry *tc_find_pending(struct gn_port *p, uint8_t msg_type,
					   uint16_t seq)
{
	uint8_t kind = msg_type == GN_MSG_SYNC	      ? GN_TC_SYNC
		       : msg_type == GN_MSG_DELAY_REQ ? GN_TC_DELAY_REQ
						      : GN_TC_FREE;
	struct gn_tc_entry *e = NULL;
	unsigned i;

	if (kind == GN_TC_FREE)
		return NULL;
	/* Stamps come back in the order the frames went out. */
	for (i = 0; i < GN_TC_ENTRIES; i++) {
		struct gn_tc_entry *x = &p->tc.e[i];

		if (x->kind == kind && x->tx_pending && x->seq == seq &&
		    (!e || x->order < e->order))
			e = x;
	}
	return e;
}

void gn_tc_note_own_tx(struct gn_port *p, uint8_t msg_type, uint16_t seq)
{
	if (!gn_tc_is_tc(p->clock))
		return;
	p->tc.own_pending = true;
	p->tc.own_type = msg_type;
	p->tc.own_seq = seq;
	p->tc.own_order = p->tc.next_order++;
}

/* The entry a stamp of (msg_type, seq) belongs to, or NULL when it is
 * the port's own (sent before any forwarded frame that matches). */
static struct gn_tc_entry *tc_stamp_owner(struct gn_port *p, uint8_t msg_type,
					  uint16_t seq)
{
	struct gn_tc_entry *e = tc_find_pending(p, msg_type, seq);
	bool own = p->tc.own_pending && p->tc.own_type == msg_type &&
		   p->tc.own_seq == seq;

	if (own && (!e || p->tc.own_order < e->order)) {
		p->tc.own_pending = false;
		return NULL;
	}
	return e;
}

bool gn_tc_tx_timestamp(struct gn_port *p, uint8_t msg_type, uint16_t seq,
			int64_t tx_ts_ns)
{
	struct gn_tc_entry *e;
	int64_t residence;

	if (!gn_tc_is_tc(p->clock))
		return false;
	e = tc_stamp_owner(p, msg_type, seq);
	if (!e)
		return false;
	e->tx_pending = false;
	/* egressLatency: the frame crosses the reference plane later.
	 * The residence goes out in the grandmaster's timescale. */
	if (gn_add_ns(tx_ts_ns, p->cfg.egress_latency_ns, &tx_ts_ns) < 0 ||
	    gn_sub_ns(tx_ts_ns, e->ingress_ns, &residence) < 0 ||
	    gn_tt_scale_ns(residence, gn_tc_rate_ratio(p->clock), &residence) <
		0) {
		p->tc.stats.dropped++;
		tc_entry_free(e);
		return true;
	}
	e->residence_ns = residence;
	e->have_residence = true;
	if (e->kind == GN_TC_SYNC && e->fup_held)
		tc_send_follow_up(p, e, e->held, e->held_len);
	return true;
}

bool gn_tc_tx_timestamp_missing(struct gn_port *p, uint8_t msg_type,
				uint16_t seq)
{
	struct gn_tc_entry *e;

	if (!gn_tc_is_tc(p->clock))
		return false;
	e = tc_stamp_owner(p, msg_type, seq);
	if (!e)
		return false;
	/* The pair cannot be completed; the next Sync will be. Unlike a
	 * stamp of the port's own, this does not fault the port. */
	gn_clock_log(p->clock, GN_LOG_WARNING,
		     "port %u (%s): no tx timestamp for forwarded %s %u",
		     p->index + 1, p->cfg.name, gn_msg_type_str(msg_type), seq);
	p->tc.stats.dropped++;
	tc_entry_free(e);
	return true;
}

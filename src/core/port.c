/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * port.c - the port half of the protocol engine: state entry/exit,
 * timers, and the handling of received messages (Announce, Sync and
 * Follow_Up matching, E2E and P2P delay measurement).
 *
 * Sans-IO: frames come in as bytes with time stamps; frames go out and
 * timers are armed through the clock's gn_env.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "clock.h"

/* Longest Sync-to-Delay_Req gap the rate correction trusts. */
#define GN_RATE_CORR_SPAN_NS 64000000000LL
/* Delay samples are dropped for ones this much better (port.c), and only
 * when the old ones may be off by more than this (ns). */
#define GN_DELAY_RESTART_GAIN	10.0
#define GN_DELAY_RESTART_MIN_NS 10.0
/* ... and beyond this many standard errors of the filter. */
#define GN_DELAY_RESTART_STDERRS 3.0

static const struct gn_env *port_env(const struct gn_port *p)
{
	return p->clock->env;
}

static void port_timer_arm(struct gn_port *p, enum gn_timer_kind kind,
			   int64_t delay_ns)
{
	const struct gn_env *env = port_env(p);

	if (env->timer_arm)
		env->timer_arm(env->ctx, p->index, kind,
			       delay_ns < 0 ? 0 : delay_ns);
}

static void port_timer_cancel(struct gn_port *p, enum gn_timer_kind kind)
{
	const struct gn_env *env = port_env(p);

	if (env->timer_cancel)
		env->timer_cancel(env->ctx, p->index, kind);
}

int64_t gn_port_now(const struct gn_port *p)
{
	const struct gn_env *env = port_env(p);

	return env->clock_now ? env->clock_now(env->ctx) : 0;
}

int64_t gn_port_announce_interval_ns(const struct gn_port *p)
{
	return gn_log_interval_to_ns(p->ds.log_announce_interval);
}

static bool port_is_active(enum gn_port_state s)
{
	return s != GN_PS_INITIALIZING && s != GN_PS_FAULTY &&
	       s != GN_PS_DISABLED;
}

static bool port_is_slave(enum gn_port_state s)
{
	return s == GN_PS_SLAVE || s == GN_PS_UNCALIBRATED;
}

static bool port_is_master(enum gn_port_state s)
{
	return s == GN_PS_MASTER || s == GN_PS_PRE_MASTER;
}

void gn_port_init(struct gn_port *p, struct gn_clock *c, unsigned index,
		  const struct gn_port_config *cfg)
{
	memset(p, 0, sizeof(*p));
	p->clock = c;
	p->index = index;
	p->cfg = *cfg;
	p->link_up = true;
	p->enabled = true;
	p->ds.identity.clock = c->dds.identity;
	p->ds.identity.port = (uint16_t)(index + 1);
	p->ds.state = GN_PS_INITIALIZING;
	p->ds.log_min_delay_req_interval = cfg->log_min_delay_req_interval;
	p->ds.log_announce_interval = cfg->log_announce_interval;
	p->ds.announce_receipt_timeout = cfg->announce_receipt_timeout;
	p->ds.log_sync_interval = cfg->log_sync_interval;
	p->ds.delay_mechanism = (uint8_t)cfg->delay_mechanism;
	p->ds.log_min_pdelay_req_interval = cfg->log_min_pdelay_req_interval;
	/* versionNumber of the data set is the major version (ptp4l's
	 * PORT_DATA_SET says 2); the minor goes in each header. */
	p->ds.version_number = 2;
	p->neighbor_rate_ratio = 1.0;
	gn_tc_rate_reset(p);
	gn_foreign_init(&p->foreign, &p->ds.identity, c->cfg.max_steps_removed);
	p->foreign.clock_class_threshold = c->cfg.clock_class_threshold;
	p->foreign.local_priority = cfg->local_priority;
	p->foreign.telecom = c->cfg.telecom_dscmp;
	gn_filter_init(&p->delay_filter, cfg->delay_filter,
		       cfg->delay_filter_length);
}

/* Random delay in [0, 2 * 2^log) as 1588 9.5.11.2 asks for Delay_Req. */
static int64_t port_random_interval(struct gn_port *p, int log_interval)
{
	int64_t span = 2 * gn_log_interval_to_ns(log_interval);

	return (int64_t)(gn_rng_unit(&p->clock->rng) * (double)span);
}

static void port_set_announce_tmo(struct gn_port *p)
{
	int64_t iv = gn_port_announce_interval_ns(p);
	/* linuxptp adds up to one interval at random so that ports of
	 * equal clocks do not time out together. */
	int64_t jitter = (int64_t)(gn_rng_unit(&p->clock->rng) * (double)iv);

	port_timer_arm(p, GN_TMR_ANNOUNCE_RECEIPT,
		       (int64_t)p->ds.announce_receipt_timeout * iv + jitter);
}

static void port_set_sync_rx_tmo(struct gn_port *p)
{
	if (!p->cfg.sync_receipt_timeout)
		return;
	port_timer_arm(p, GN_TMR_SYNC_RECEIPT,
		       (int64_t)p->cfg.sync_receipt_timeout *
			   gn_log_interval_to_ns(p->ds.log_sync_interval));
}

static void port_set_delay_tmo(struct gn_port *p)
{
	port_timer_arm(
	    p, GN_TMR_DELAY_REQ,
	    port_random_interval(p, p->ds.log_min_delay_req_interval));
}

static bool port_uses_p2p(const struct gn_port *p)
{
	return p->cfg.delay_mechanism == GN_DM_P2P ||
	       p->cfg.delay_mechanism == GN_DM_COMMON_P2P;
}

/* A free-running TC only forwards (as ptp4l): it has no use for its
 * own path delay. */
static bool port_sends_delay_req(const struct gn_port *p)
{
	return !port_uses_p2p(p) &&
	       !(gn_tc_is_tc(p->clock) && p->clock->cfg.free_running);
}

static void port_clear_slave_state(struct gn_port *p)
{
	memset(&p->sync, 0, sizeof(p->sync));
	p->have_last_sync = false;
	p->delay_req_pending = false;
	memset(p->dreq, 0, sizeof(p->dreq));
	gn_tc_rate_reset(p);
	if (!port_uses_p2p(p)) {
		p->have_path_delay = false;
		gn_filter_reset(&p->delay_filter);
	}
	gn_port_env_reset(p);
}

static void port_cancel_all(struct gn_port *p)
{
	int k;

	for (k = 0; k < GN_TMR_COUNT; k++)
		port_timer_cancel(p, (enum gn_timer_kind)k);
}

static void port_reset_p2p(struct gn_port *p)
{
	p->pdelay_req_pending = false;
	p->have_pdelay_t1 = false;
	p->pdelay_resp_seen = false;
	p->pdelay_fup_early = false;
	p->have_nrr_point = false;
	p->neighbor_rate_ratio = 1.0;
	p->have_peer_delay = false;
	p->pdelay_lost = 0;
	p->pdelay_resp_tx_pending = false;
	gn_filter_reset(&p->delay_filter);
}

/* Actions on entering a state (1588 9.2.5 and linuxptp's behaviour). */
static void port_enter(struct gn_port *p, enum gn_port_state old,
		       enum gn_port_state next, bool master_changed)
{
	bool was_active = port_is_active(old);

	if (!port_is_active(next)) {
		port_cancel_all(p);
		gn_tc_port_flush(p);
		port_clear_slave_state(p);
		port_reset_p2p(p);
		gn_foreign_clear(&p->foreign);
		p->sync_tx_pending = false;
		if (next == GN_PS_FAULTY) {
			p->stats.faults++;
			port_timer_arm(p, GN_TMR_FAULT_RESET,
				       p->cfg.fault_reset_interval ==
					       GN_FRI_ASAP
					   ? 0
					   : gn_log_interval_to_ns(
						 p->cfg.fault_reset_interval));
		}
		return;
	}

	if (!was_active && port_uses_p2p(p))
		port_timer_arm(p, GN_TMR_PDELAY_REQ, 0);

	if (port_is_slave(old) && port_is_slave(next)) {
		/* UNCALIBRATED <-> SLAVE: keep the exchange running unless
		 * the parent changed. */
		if (master_changed) {
			port_clear_slave_state(p);
			port_set_announce_tmo(p);
			if (port_sends_delay_req(p))
				port_set_delay_tmo(p);
		}
		return;
	}

	if (port_is_master(old) && !port_is_master(next)) {
		port_timer_cancel(p, GN_TMR_ANNOUNCE_TX);
		port_timer_cancel(p, GN_TMR_SYNC_TX);
		p->sync_tx_pending = false;
	}
	if (port_is_slave(old) && !port_is_slave(next)) {
		port_timer_cancel(p, GN_TMR_DELAY_REQ);
		port_timer_cancel(p, GN_TMR_SYNC_RECEIPT);
		port_clear_slave_state(p);
	}
	port_timer_cancel(p, GN_TMR_QUALIFICATION);

	switch (next) {
	case GN_PS_LISTENING:
	case GN_PS_PASSIVE:
		port_timer_cancel(p, GN_TMR_DELAY_REQ);
		port_set_announce_tmo(p);
		break;
	case GN_PS_PRE_MASTER:
		port_timer_cancel(p, GN_TMR_ANNOUNCE_RECEIPT);
		port_timer_arm(p, GN_TMR_QUALIFICATION,
			       (int64_t)(p->clock->cds.steps_removed + 1) *
				   gn_port_announce_interval_ns(p));
		break;
	case GN_PS_MASTER:
		port_timer_cancel(p, GN_TMR_ANNOUNCE_RECEIPT);
		/* A TC's master ports only forward what the grandmaster
		 * sends. */
		if (gn_tc_is_tc(p->clock))
			break;
		if (!port_is_master(old) || old == GN_PS_PRE_MASTER) {
			/* First Announce and Sync right away (~1 ms), then
			 * at their intervals. */
			port_timer_arm(p, GN_TMR_ANNOUNCE_TX, 1000000);
			port_timer_arm(p, GN_TMR_SYNC_TX, 1000000);
		}
		break;
	case GN_PS_UNCALIBRATED:
	case GN_PS_SLAVE:
		port_clear_slave_state(p);
		port_set_announce_tmo(p);
		port_set_sync_rx_tmo(p);
		if (port_sends_delay_req(p))
			port_set_delay_tmo(p);
		break;
	default:
		break;
	}
}

void gn_port_dispatch(struct gn_port *p, enum gn_fsm_event ev,
		      bool master_changed)
{
	struct gn_clock *c = p->clock;
	enum gn_clock_role role = c->dds.slave_only    ? GN_ROLE_SLAVE_ONLY
				  : p->cfg.master_only ? GN_ROLE_MASTER_ONLY
						       : GN_ROLE_NORMAL;
	enum gn_port_state old = p->ds.state, next;
	struct gn_notice n;

	if (ev == GN_EV_NONE)
		return;
	/* A port that is down or administratively disabled stays put. */
	if (ev == GN_EV_FAULT_CLEARED && (!p->link_up || !p->enabled))
		return;
	if (ev == GN_EV_INITIALIZE && (!p->link_up || !p->enabled)) {
		ev = p->enabled ? GN_EV_FAULT_DETECTED
				: GN_EV_DESIGNATED_DISABLED;
	}

	next = gn_fsm_next(role, old, ev, master_changed);
	if (ev == GN_EV_INITIALIZE && old == GN_PS_INITIALIZING)
		next = GN_PS_INITIALIZING;
	if (next == old && ev != GN_EV_INITIALIZE) {
		/* An UNCALIBRATED port that gets a new parent stays
		 * UNCALIBRATED, but what it measured (delay filter, Sync
		 * pairs, packet selection) was of the old path. */
		if (master_changed && port_is_slave(next))
			port_enter(p, old, next, true);
		return;
	}

	if (next != old) {
		gn_clock_log(c, GN_LOG_NOTICE, "port %u (%s): %s to %s on %s",
			     p->index + 1, p->cfg.name, gn_port_state_str(old),
			     gn_port_state_str(next), gn_fsm_event_str(ev));
	}
	p->ds.state = next;
	port_enter(p, old, next, master_changed);

	memset(&n, 0, sizeof(n));
	n.kind = GN_NOTICE_PORT_STATE;
	n.port = p->index;
	n.old_state = (int)old;
	n.new_state = (int)next;
	gn_clock_notify(c, &n);

	if (next == GN_PS_INITIALIZING) {
		/* Nothing to initialise in the core beyond resets; the host
		 * has its sockets already. */
		gn_port_dispatch(p, GN_EV_INIT_COMPLETE, false);
		gn_clock_request_state_decision(c);
	}
}

const struct gn_foreign_master *gn_port_best_foreign(struct gn_port *p)
{
	if (!port_is_active(p->ds.state))
		return NULL;
	if (p->cfg.master_only)
		return NULL; /* linuxptp: masterOnly ports ignore Announce */
	return gn_foreign_best(&p->foreign, gn_port_now(p),
			       gn_port_announce_interval_ns(p));
}

/* ---- receive path ---- */

static int64_t port_corr_ns(int64_t scaled)
{
	int64_t ns = 0;

	gn_ti_to_ns(scaled, &ns);
	return ns;
}

static void port_process_announce(struct gn_port *p, const struct gn_msg *m)
{
	struct gn_clock *c = p->clock;
	int64_t now = gn_port_now(p);
	int r;

	if (!port_is_active(p->ds.state) || p->cfg.master_only)
		return;
	if (!gn_port_announce_tlvs_ok(p, m))
		return;
	r = gn_foreign_add(&p->foreign, m, now,
			   gn_port_announce_interval_ns(p));
	if (r < 0)
		return;
	if (r > 0)
		gn_clock_request_state_decision(c);

	/* Announces from our parent keep the receipt timeout from firing. */
	if (port_is_slave(p->ds.state) &&
	    gn_port_identity_eq(&m->h.source, &c->pds.parent_port)) {
		if (p->cfg.path_trace_enabled)
			gn_port_keep_path_trace(p, m);
		port_set_announce_tmo(p);
	} else if (p->ds.state == GN_PS_PASSIVE) {
		const struct gn_foreign_master *fm = gn_port_best_foreign(p);

		if (fm && gn_port_identity_eq(&fm->sender, &m->h.source))
			port_set_announce_tmo(p);
	}
}

static bool port_from_parent(const struct gn_port *p, const struct gn_msg *m)
{
	return gn_port_identity_eq(&m->h.source, &p->clock->pds.parent_port);
}

static void port_offset_sample(struct gn_port *p, int64_t t1_ns, int64_t t2_ns,
			       int64_t corr_ns)
{
	int64_t delay, offset, t1c;

	/* Both come from the wire: a hostile correction must not wrap. */
	if (gn_add_ns(t1_ns, corr_ns, &t1c) < 0)
		return;
	p->last_t1c_ns = t1c;
	p->last_t2_ns = t2_ns;
	p->have_last_sync = true;
	gn_tc_sync_received(p, &p->clock->pds.parent_port, t1c, t2_ns);

	if (port_uses_p2p(p)) {
		if (!p->have_peer_delay)
			return;
		delay = p->peer_delay_ns;
	} else {
		if (!p->have_path_delay)
			return;
		delay = p->path_delay_ns;
	}
	if (!gn_port_env_offset(p, t1c, t2_ns, &offset) &&
	    gn_tt_offset(t1_ns, t2_ns, corr_ns, delay,
			 p->cfg.delay_asymmetry_ns, &offset) < 0)
		return;
	gn_clock_synchronize(p->clock, p, offset, t2_ns, delay,
			     gn_port_env_weight(p));
}

static void port_sync_interval(struct gn_port *p, int8_t log_interval)
{
	if (log_interval == GN_LOG_INTERVAL_NA || log_interval < -10 ||
	    log_interval > 22)
		return;
	if (p->ds.log_sync_interval == log_interval && p->sync_interval_known)
		return;
	p->ds.log_sync_interval = log_interval;
	p->sync_interval_known = true;
	gn_servo_sync_interval(&p->clock->servo,
			       (double)gn_log_interval_to_ns(log_interval) /
				   1e9);
}

static void port_process_sync(struct gn_port *p, const struct gn_msg *m,
			      int64_t rx_ts_ns)
{
	struct gn_sync_pending *s = &p->sync;
	int64_t t1;

	if (!port_is_slave(p->ds.state) || !port_from_parent(p, m))
		return;
	if (rx_ts_ns == GN_NO_TIMESTAMP)
		return;
	port_sync_interval(p, m->h.log_interval);
	port_set_sync_rx_tmo(p);

	if (!(m->h.flags & GN_FLAG_TWO_STEP)) {
		if (gn_timestamp_to_ns(&m->body.origin, &t1) < 0)
			return;
		memset(s, 0, sizeof(*s));
		port_offset_sample(p, t1, rx_ts_ns,
				   port_corr_ns(m->h.correction));
		return;
	}
	if (s->have_fup && s->seq == m->h.sequence_id &&
	    gn_port_identity_eq(&s->source, &m->h.source)) {
		/* The Follow_Up overtook its Sync. */
		int64_t corr;

		if (gn_add_ns(port_corr_ns(m->h.correction), s->fup_corr_ns,
			      &corr) < 0)
			return;
		t1 = s->t1_ns;
		memset(s, 0, sizeof(*s));
		port_offset_sample(p, t1, rx_ts_ns, corr);
		return;
	}
	if (s->have_sync)
		p->stats.sync_mismatch++; /* previous Sync lost its Follow_Up */
	memset(s, 0, sizeof(*s));
	s->have_sync = true;
	s->seq = m->h.sequence_id;
	s->source = m->h.source;
	s->t2_ns = rx_ts_ns;
	s->corr_ns = port_corr_ns(m->h.correction);
}

static void port_process_follow_up(struct gn_port *p, const struct gn_msg *m)
{
	struct gn_sync_pending *s = &p->sync;
	int64_t t1;

	if (!port_is_slave(p->ds.state) || !port_from_parent(p, m))
		return;
	if (gn_timestamp_to_ns(&m->body.origin, &t1) < 0)
		return;
	if (s->have_sync && s->seq == m->h.sequence_id &&
	    gn_port_identity_eq(&s->source, &m->h.source)) {
		int64_t t2 = s->t2_ns;
		int64_t corr;

		if (gn_add_ns(s->corr_ns, port_corr_ns(m->h.correction),
			      &corr) < 0)
			return;
		memset(s, 0, sizeof(*s));
		port_offset_sample(p, t1, t2, corr);
		return;
	}
	if (s->have_sync)
		p->stats.followup_mismatch++;
	/* Keep it: its Sync may still be on the way. */
	memset(s, 0, sizeof(*s));
	s->have_fup = true;
	s->seq = m->h.sequence_id;
	s->source = m->h.source;
	s->t1_ns = t1;
	s->fup_corr_ns = port_corr_ns(m->h.correction);
}

static void port_process_delay_req(struct gn_port *p, const struct gn_msg *m,
				   int64_t rx_ts_ns)
{
	if (p->ds.state != GN_PS_MASTER || rx_ts_ns == GN_NO_TIMESTAMP)
		return;
	if (port_uses_p2p(p))
		return; /* 1588 11.3: a P2P port ignores Delay_Req */
	if (gn_tc_is_tc(p->clock))
		return; /* forwarded to the master, not answered */
	gn_port_send_delay_resp(p, m, rx_ts_ns);
}

struct gn_delay_req_out *gn_port_delay_req_find(struct gn_port *p, uint16_t seq)
{
	unsigned i;

	for (i = 0; i < GN_DELAY_REQ_OUTSTANDING; i++)
		if (p->dreq[i].used && p->dreq[i].seq == seq)
			return &p->dreq[i];
	return NULL;
}

/*
 * The e2e delay ((t2 - t1) + (t4 - t3)) / 2 assumes the offset did not
 * change between the Sync's arrival (t2) and the Delay_Req's departure
 * (t3); it is off by half of what the offset moved in between: the
 * servo's own steering and the remaining frequency error. Where the
 * servo knows that rate (Kalman), the sample is corrected by it, and e
 * says what the rate's uncertainty leaves; with PI or linreg the sample
 * is left as linuxptp leaves it and both are INFINITY.
 */
struct port_rate_err {
	double err_ns; /* what the rate's uncertainty leaves in the sample */
	double sd_ppb; /* that uncertainty */
};

/* The filtered (path or peer) delay after one more raw sample. A move of
 * it moves every later offset: the servo hears of it. */
static int64_t port_filter_delay(struct gn_port *p, int64_t prev_ns,
				 bool have_prev, int64_t raw_ns)
{
	int64_t now_ns = gn_filter_sample(&p->delay_filter, raw_ns);

	if (have_prev && !p->env_on)
		gn_clock_path_delay_moved(p->clock, p, now_ns - prev_ns,
					  gn_filter_settling(&p->delay_filter));
	return now_ns;
}

static int64_t port_rate_correction_ns(const struct gn_port *p,
				       int64_t t3_minus_t2_ns,
				       struct port_rate_err *e)
{
	double rate_ppb, sd_ppb, span_s = (double)t3_minus_t2_ns * 1e-9;

	e->err_ns = INFINITY;
	e->sd_ppb = INFINITY;
	if (t3_minus_t2_ns < -GN_RATE_CORR_SPAN_NS ||
	    t3_minus_t2_ns > GN_RATE_CORR_SPAN_NS)
		return 0;
	if (gn_clock_offset_rate(p->clock, &rate_ppb, &sd_ppb) < 0 ||
	    !(fabs(rate_ppb) < 5e8))
		return 0;
	/* The span is local time; the rate is per second of the master. */
	span_s /= 1.0 + rate_ppb * 1e-9;
	e->err_ns = sd_ppb * fabs(span_s) / 2.0;
	e->sd_ppb = sd_ppb;
	return (int64_t)llround(rate_ppb * span_s / 2.0);
}

/*
 * Delay samples taken while the frequency was unknown (start-up, a 9 %
 * frequency error, a slew) can be off by milliseconds, and a long
 * filter remembers them for long. Once the servo knows the frequency ten
 * times better than when the held samples were taken, and their possible
 * error exceeds the filter's own statistical error, they are dropped
 * and the filter starts over from the new sample. The rates' deviations
 * are compared, not the errors: those scale with the Sync-to-Delay_Req
 * gap, which is random, and would restart the filter at every short gap.
 */
static void port_delay_sample(struct gn_port *p, int64_t raw,
			      const struct port_rate_err *e)
{
	struct gn_filter *f = &p->delay_filter;
	bool empty = f->count == 0 && f->n == 0;
	double held = p->delay_rate_err_ns;

	if (!empty &&
	    e->sd_ppb * GN_DELAY_RESTART_GAIN < p->delay_rate_sd_ppb &&
	    held > GN_DELAY_RESTART_MIN_NS &&
	    held > GN_DELAY_RESTART_STDERRS * gn_filter_stderr(f)) {
		gn_clock_log(p->clock, GN_LOG_DEBUG,
			     "port %u (%s): delay filter restarted, frequency "
			     "now known",
			     p->index + 1, p->cfg.name);
		gn_filter_reset(f);
		empty = true;
	}
	if (empty || e->err_ns > held)
		p->delay_rate_err_ns = e->err_ns;
	if (empty || e->sd_ppb > p->delay_rate_sd_ppb)
		p->delay_rate_sd_ppb = e->sd_ppb;
	p->path_delay_ns =
	    port_filter_delay(p, p->path_delay_ns, p->have_path_delay, raw);
	p->have_path_delay = true;
}

static void port_process_delay_resp(struct gn_port *p, const struct gn_msg *m)
{
	struct gn_e2e_sample s;
	struct port_rate_err rerr;
	int64_t t4, raw;

	if (!port_is_slave(p->ds.state) || !port_from_parent(p, m))
		return;
	if (!gn_port_identity_eq(&m->body.resp.port, &p->ds.identity))
		return;
	struct gn_delay_req_out *r =
	    gn_port_delay_req_find(p, m->h.sequence_id);

	if (!r)
		return;
	r->used = false;
	if (!r->have_t3 || !p->have_last_sync)
		return;
	if (gn_timestamp_to_ns(&m->body.resp.ts, &t4) < 0)
		return;

	/* The master tells the interval it wants (linuxptp logs it). */
	int8_t li = m->h.log_interval;
	if (li != GN_LOG_INTERVAL_NA &&
	    li != p->ds.log_min_delay_req_interval) {
		if (li < -10 || li > 22) {
			gn_clock_log(p->clock, GN_LOG_INFO,
				     "port %u (%s): ignore bogus delay request "
				     "interval 2^%d",
				     p->index + 1, p->cfg.name, li);
		} else {
			p->ds.log_min_delay_req_interval = li;
			gn_clock_log(p->clock, GN_LOG_NOTICE,
				     "port %u (%s): minimum delay request "
				     "interval 2^%d",
				     p->index + 1, p->cfg.name, li);
		}
	}

	memset(&s, 0, sizeof(s));
	s.t1_ns = p->last_t1c_ns;
	s.t2_ns = p->last_t2_ns;
	s.t3_ns = r->t3_ns;
	s.t4_ns = t4;
	s.delay_corr_ns = port_corr_ns(m->h.correction);
	s.asymmetry_ns = p->cfg.delay_asymmetry_ns;
	if (gn_tt_e2e_delay(&s, &raw) < 0)
		return;
	raw += port_rate_correction_ns(p, s.t3_ns - s.t2_ns, &rerr);
	port_delay_sample(p, raw, &rerr);
	gn_port_env_delay(p, s.t3_ns, s.t4_ns, s.delay_corr_ns);
	gn_clock_log(p->clock, GN_LOG_DEBUG,
		     "delay   filtered %10lld   raw %10lld",
		     (long long)p->path_delay_ns, (long long)raw);
}

/* linuxptp's delay_mechanism Auto: E2E until a peer asks for peer
 * delay, P2P from then on (for good, as ptp4l). */
static void port_auto_switch_to_p2p(struct gn_port *p)
{
	gn_clock_log(p->clock, GN_LOG_INFO,
		     "port %u (%s): peer detected, switch to P2P", p->index + 1,
		     p->cfg.name);
	/* Drop the end-to-end exchange (while still E2E, so that the path
	 * delay goes with it), then start the peer's. */
	port_clear_slave_state(p);
	port_timer_cancel(p, GN_TMR_DELAY_REQ);
	p->cfg.delay_mechanism = GN_DM_P2P;
	port_reset_p2p(p);
	port_timer_arm(p, GN_TMR_PDELAY_REQ, 0);
}

static void port_process_pdelay_req(struct gn_port *p, const struct gn_msg *m,
				    int64_t rx_ts_ns)
{
	if (!port_is_active(p->ds.state) || rx_ts_ns == GN_NO_TIMESTAMP)
		return;
	if (p->cfg.delay_mechanism == GN_DM_AUTO)
		port_auto_switch_to_p2p(p);
	if (!port_uses_p2p(p))
		return;
	gn_port_send_pdelay_resp(p, m, rx_ts_ns);
}

static void port_peer_delay(struct gn_port *p, int64_t t3_ns, int64_t corr_ns)
{
	struct gn_p2p_sample s;
	int64_t raw;
	double ratio;

	if (p->have_nrr_point &&
	    gn_tt_rate_ratio(p->nrr_t3_ns, p->nrr_t4_ns, t3_ns, p->pdelay_t4_ns,
			     &ratio) == 0 &&
	    ratio > 0.999 && ratio < 1.001)
		p->neighbor_rate_ratio = ratio;
	p->nrr_t3_ns = t3_ns;
	p->nrr_t4_ns = p->pdelay_t4_ns;
	p->have_nrr_point = true;

	memset(&s, 0, sizeof(s));
	s.t1_ns = p->pdelay_t1_ns;
	s.t2_ns = p->pdelay_t2_ns;
	s.t3_ns = t3_ns;
	s.t4_ns = p->pdelay_t4_ns;
	s.resp_corr_ns = corr_ns;
	s.neighbor_rate_ratio = p->neighbor_rate_ratio;
	s.asymmetry_ns = p->cfg.delay_asymmetry_ns;
	if (gn_tt_p2p_delay(&s, &raw) < 0)
		return;
	p->peer_delay_ns =
	    port_filter_delay(p, p->peer_delay_ns, p->have_peer_delay, raw);
	p->have_peer_delay = true;
	p->ds.peer_mean_path_delay_ns = p->peer_delay_ns;
	p->pdelay_lost = 0;
	p->as_capable =
	    p->cfg.neighbor_prop_delay_thresh_ns == 0 ||
	    p->peer_delay_ns <= p->cfg.neighbor_prop_delay_thresh_ns;
	/* ptp4l's line (its test suite parses it), then the rate ratio. */
	gn_clock_log(p->clock, GN_LOG_DEBUG,
		     "delay   filtered %10lld   raw %10lld",
		     (long long)p->peer_delay_ns, (long long)raw);
	gn_clock_log(p->clock, GN_LOG_DEBUG, "port %u (%s): nrr %.9f",
		     p->index + 1, p->cfg.name, p->neighbor_rate_ratio);
}

static bool port_pdelay_match(const struct gn_port *p, const struct gn_msg *m)
{
	return p->pdelay_req_pending && m->h.sequence_id == p->pdelay_req_seq &&
	       gn_port_identity_eq(&m->body.resp.port, &p->ds.identity);
}

static void port_process_pdelay_resp(struct gn_port *p, const struct gn_msg *m,
				     int64_t rx_ts_ns)
{
	int64_t t2;

	if (!port_uses_p2p(p) || !port_pdelay_match(p, m) || !p->have_pdelay_t1)
		return;
	if (rx_ts_ns == GN_NO_TIMESTAMP)
		return;
	if (gn_timestamp_to_ns(&m->body.resp.ts, &t2) < 0)
		return;
	p->pdelay_resp_seen = true;
	p->pdelay_resp_seq_seen = m->h.sequence_id;
	p->pdelay_peer = m->h.source;
	p->pdelay_t2_ns = t2;
	p->pdelay_t4_ns = rx_ts_ns;
	p->pdelay_resp_corr_ns = port_corr_ns(m->h.correction);
	p->pdelay_resp_two_step = (m->h.flags & GN_FLAG_TWO_STEP) != 0;
	if (!p->pdelay_resp_two_step) {
		/* One-step responder: turnaround is in the correction. */
		p->pdelay_t2_ns = 0;
		p->pdelay_req_pending = false;
		port_peer_delay(p, 0, p->pdelay_resp_corr_ns);
		return;
	}
	/* Its Follow_Up may have come first (jitter reorders them). */
	if (p->pdelay_fup_early && p->pdelay_fup_seq == m->h.sequence_id &&
	    gn_port_identity_eq(&p->pdelay_fup_source, &m->h.source)) {
		int64_t corr;

		p->pdelay_fup_early = false;
		p->pdelay_req_pending = false;
		if (gn_add_ns(p->pdelay_resp_corr_ns, p->pdelay_fup_corr_ns,
			      &corr) < 0)
			return;
		port_peer_delay(p, p->pdelay_fup_t3_ns, corr);
	}
}

static void port_process_pdelay_resp_fup(struct gn_port *p,
					 const struct gn_msg *m)
{
	int64_t t3;

	if (!port_uses_p2p(p) || !port_pdelay_match(p, m))
		return;
	if (gn_timestamp_to_ns(&m->body.resp.ts, &t3) < 0)
		return;
	/* Before its Pdelay_Resp (this request's response not seen yet):
	 * keep it until the response comes. */
	if (!p->pdelay_resp_seen ||
	    p->pdelay_resp_seq_seen != m->h.sequence_id) {
		p->pdelay_fup_early = true;
		p->pdelay_fup_seq = m->h.sequence_id;
		p->pdelay_fup_source = m->h.source;
		p->pdelay_fup_t3_ns = t3;
		p->pdelay_fup_corr_ns = port_corr_ns(m->h.correction);
		return;
	}
	if (!p->pdelay_resp_two_step ||
	    !gn_port_identity_eq(&m->h.source, &p->pdelay_peer))
		return;
	int64_t corr;

	p->pdelay_req_pending = false;
	if (gn_add_ns(p->pdelay_resp_corr_ns, port_corr_ns(m->h.correction),
		      &corr) < 0)
		return;
	port_peer_delay(p, t3, corr);
}

void gn_port_rx(struct gn_port *p, const uint8_t *buf, size_t len,
		int64_t rx_ts_ns)
{
	struct gn_clock *c = p->clock;
	struct gn_msg m;
	enum gn_wire_error err;

	if (!port_is_active(p->ds.state))
		return;
	/* ingressLatency (PORT_CORRECTIONS_NP): the stamp was taken that
	 * much after the frame crossed the reference plane. */
	if (rx_ts_ns != GN_NO_TIMESTAMP)
		rx_ts_ns -= p->cfg.ingress_latency_ns;
	err = gn_msg_parse(buf, len, &m);
	if (err != GN_WIRE_OK) {
		p->stats.rx_bad++;
		p->stats.bad_reason[err]++;
		gn_clock_log(c, GN_LOG_DEBUG, "port %u (%s): bad message: %s",
			     p->index + 1, p->cfg.name, gn_wire_strerror(err));
		return;
	}
	p->stats.rx[m.h.type & 0xF]++;
	if (m.h.domain != c->dds.domain) {
		p->stats.rx_wrong_domain++;
		return;
	}
	if (!p->cfg.ignore_transport_specific &&
	    m.h.sdo_major != p->cfg.transport_specific)
		return;
	/* Our own frames looped back by multicast. */
	if (gn_clock_identity_eq(&m.h.source.clock, &c->dds.identity))
		return;

	switch (m.h.type) {
	case GN_MSG_ANNOUNCE:
		port_process_announce(p, &m);
		break;
	case GN_MSG_SYNC:
		port_process_sync(p, &m, rx_ts_ns);
		break;
	case GN_MSG_FOLLOW_UP:
		port_process_follow_up(p, &m);
		break;
	case GN_MSG_DELAY_REQ:
		port_process_delay_req(p, &m, rx_ts_ns);
		break;
	case GN_MSG_DELAY_RESP:
		port_process_delay_resp(p, &m);
		break;
	case GN_MSG_PDELAY_REQ:
		port_process_pdelay_req(p, &m, rx_ts_ns);
		break;
	case GN_MSG_PDELAY_RESP:
		port_process_pdelay_resp(p, &m, rx_ts_ns);
		break;
	case GN_MSG_PDELAY_RESP_FUP:
		port_process_pdelay_resp_fup(p, &m);
		break;
	default:
		/* Signaling and Management are the host's (management
		 * socket) or later modules' business. */
		break;
	}
}

/* ---- timers ---- */

void gn_port_timer(struct gn_port *p, enum gn_timer_kind kind)
{
	struct gn_clock *c = p->clock;

	switch (kind) {
	case GN_TMR_ANNOUNCE_RECEIPT:
	case GN_TMR_SYNC_RECEIPT:
		if (!port_is_active(p->ds.state) || port_is_master(p->ds.state))
			return;
		if (kind == GN_TMR_ANNOUNCE_RECEIPT)
			p->stats.announce_timeouts++;
		else
			p->stats.sync_timeouts++;
		/* The parent is gone: forget what this port heard from it. */
		if (port_is_slave(p->ds.state))
			gn_foreign_remove(&p->foreign, &c->pds.parent_port);
		else
			gn_foreign_clear(&p->foreign);
		gn_port_dispatch(p, GN_EV_ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES,
				 false);
		if (p->ds.state == GN_PS_LISTENING)
			port_set_announce_tmo(p);
		gn_clock_request_state_decision(c);
		break;
	case GN_TMR_ANNOUNCE_TX:
		if (p->ds.state != GN_PS_MASTER || gn_tc_is_tc(c))
			return;
		p->stats.master_announce_timeouts++;
		gn_port_send_announce(p);
		port_timer_arm(p, GN_TMR_ANNOUNCE_TX,
			       gn_port_announce_interval_ns(p));
		break;
	case GN_TMR_SYNC_TX:
		if (p->ds.state != GN_PS_MASTER || gn_tc_is_tc(c))
			return;
		p->stats.master_sync_timeouts++;
		gn_port_send_sync(p);
		port_timer_arm(p, GN_TMR_SYNC_TX,
			       gn_log_interval_to_ns(p->ds.log_sync_interval));
		break;
	case GN_TMR_DELAY_REQ:
		if (!port_is_slave(p->ds.state) || !port_sends_delay_req(p))
			return;
		p->stats.delay_timeouts++;
		gn_port_send_delay_req(p);
		port_set_delay_tmo(p);
		break;
	case GN_TMR_PDELAY_REQ:
		if (!port_is_active(p->ds.state) || !port_uses_p2p(p))
			return;
		p->stats.delay_timeouts++; /* one timer for both, in linuxptp */
		if (p->pdelay_req_pending) {
			/* No (complete) answer to the previous request. */
			if (++p->pdelay_lost >= 3 && p->as_capable) {
				p->as_capable = false;
				gn_clock_log(c, GN_LOG_NOTICE,
					     "port %u (%s): peer delay "
					     "responses lost",
					     p->index + 1, p->cfg.name);
			}
		}
		gn_port_send_pdelay_req(p);
		port_timer_arm(
		    p, GN_TMR_PDELAY_REQ,
		    gn_log_interval_to_ns(p->ds.log_min_pdelay_req_interval));
		break;
	case GN_TMR_QUALIFICATION:
		p->stats.qualification_timeouts++;
		gn_port_dispatch(p, GN_EV_QUALIFICATION_TIMEOUT_EXPIRES, false);
		break;
	case GN_TMR_FAULT_RESET:
		if (p->ds.state == GN_PS_FAULTY)
			gn_port_dispatch(p, GN_EV_FAULT_CLEARED, false);
		break;
	default:
		break;
	}
}

/* ---- transmit time stamps ---- */

void gn_port_tx_timestamp(struct gn_port *p, uint8_t msg_type, uint16_t seq,
			  int64_t ts_ns)
{
	/* egressLatency (PORT_CORRECTIONS_NP): the frame crosses the
	 * reference plane that much after its stamp. */
	ts_ns += p->cfg.egress_latency_ns;
	switch (msg_type) {
	case GN_MSG_SYNC:
		if (!p->sync_tx_pending || seq != p->sync_tx_seq)
			return;
		p->sync_tx_pending = false;
		if (p->ds.state == GN_PS_MASTER)
			gn_port_send_follow_up(p, seq, ts_ns);
		break;
	case GN_MSG_DELAY_REQ:
		if (!p->delay_req_pending || seq != p->delay_req_seq)
			return;
		p->delay_req_pending = false;
		struct gn_delay_req_out *r = gn_port_delay_req_find(p, seq);

		if (r) {
			r->t3_ns = ts_ns;
			r->have_t3 = true;
		}
		break;
	case GN_MSG_PDELAY_REQ:
		if (!p->pdelay_req_pending || seq != p->pdelay_req_seq)
			return;
		p->pdelay_t1_ns = ts_ns;
		p->have_pdelay_t1 = true;
		break;
	case GN_MSG_PDELAY_RESP:
		if (!p->pdelay_resp_tx_pending || seq != p->pdelay_resp_seq)
			return;
		p->pdelay_resp_tx_pending = false;
		gn_port_send_pdelay_resp_fup(p, ts_ns);
		break;
	default:
		break;
	}
}

void gn_port_tx_timestamp_missing(struct gn_port *p, uint8_t msg_type,
				  uint16_t seq)
{
	(void)seq;
	p->stats.tx_ts_missing++;
	gn_clock_log(p->clock, GN_LOG_ERR,
		     "port %u (%s): timed out while polling for tx timestamp "
		     "(%s)",
		     p->index + 1, p->cfg.name, gn_msg_type_str(msg_type));
	gn_clock_log(p->clock, GN_LOG_ERR,
		     "increasing tx_timestamp_timeout may correct this issue, "
		     "but it is likely caused by a driver bug");
	/* linuxptp faults the port; after fault_reset_interval it comes
	 * back through INITIALIZING, so the port recovers by itself. */
	gn_port_dispatch(p, GN_EV_FAULT_DETECTED, false);
	gn_clock_request_state_decision(p->clock);
}

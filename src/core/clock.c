/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * clock.c - the clock half of the protocol engine: data sets, the BMCA
 * across all ports, the servo and the offset log/summary.
 *
 * Sans-IO: everything outside goes through the host's gn_env table.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "clock.h"

#include "leap.h"

void gn_port_config_default(struct gn_port_config *pc)
{
	memset(pc, 0, sizeof(*pc));
	pc->log_announce_interval = 1;
	pc->log_sync_interval = 0;
	pc->log_min_delay_req_interval = 0;
	pc->log_min_pdelay_req_interval = 0;
	pc->announce_receipt_timeout = 3;
	pc->sync_receipt_timeout = 0;
	pc->delay_mechanism = GN_DM_E2E;
	pc->transport_specific = 0;
	pc->local_priority = 128;
	pc->neighbor_prop_delay_thresh_ns = 20000000;
	pc->fault_reset_interval = 4;
	pc->delay_filter = GN_FILTER_MOVING_MEDIAN;
	pc->delay_filter_length = 10;
	pc->minor_version = 1;
	pc->phc_index = -1;
	pc->power_profile.version = GN_POWER_PROFILE_NONE;
	pc->power_profile.grandmaster_time_inaccuracy_ns = 0xFFFFFFFF;
	pc->power_profile.network_time_inaccuracy_ns = 0xFFFFFFFF;
	pc->power_profile.total_time_inaccuracy_ns = 0xFFFFFFFF;
}

void gn_clock_config_default(struct gn_clock_config *cc)
{
	memset(cc, 0, sizeof(*cc));
	cc->priority1 = 128;
	cc->priority2 = 128;
	cc->quality.clock_class = 248;
	cc->quality.clock_accuracy = 0xFE;
	cc->quality.offset_scaled_log_variance = 0xFFFF;
	cc->two_step = true;
	cc->max_steps_removed = 255;
	cc->freq_est_interval = 1;
	cc->clock_class_threshold = 248;
	cc->local_priority = 128;
	cc->utc_offset = 37;
	cc->time_source = GN_TS_INTERNAL_OSCILLATOR;
	gn_servo_config_default(&cc->servo);
}

void gn_clock_log(const struct gn_clock *c, enum gn_log_level level,
		  const char *fmt, ...)
{
	va_list ap;

	if (!c->env->vlog)
		return;
	va_start(ap, fmt);
	c->env->vlog(c->env->ctx, level, fmt, ap);
	va_end(ap);
}

void gn_clock_notify(const struct gn_clock *c, const struct gn_notice *n)
{
	if (c->env->notify)
		c->env->notify(c->env->ctx, n);
}

static void clock_update_d0(struct gn_clock *c)
{
	if (c->dds.slave_only)
		c->dds.quality.clock_class = 255;
}

static void clock_time_properties_local(struct gn_clock *c)
{
	memset(&c->tpds, 0, sizeof(c->tpds));
	gn_time_properties_set_flags(&c->tpds, c->local_time_flags);
	c->tpds.current_utc_offset = c->cfg.utc_offset;
	c->tpds.time_source = c->cfg.time_source;
}

int gn_clock_init(struct gn_clock *c, const struct gn_clock_config *cfg,
		  struct gn_port *ports, const struct gn_port_config *port_cfgs,
		  unsigned nports, const struct gn_env *env, uint64_t seed)
{
	unsigned i;

	memset(c, 0, sizeof(*c));
	c->env = env;
	c->cfg = *cfg;
	if (nports == 0 || nports > 0xFFFE) {
		gn_clock_log(c, GN_LOG_ERR, "a clock needs 1..65534 ports");
		return -EINVAL;
	}
	if (nports > 1 && cfg->slave_only) {
		/* linuxptp allows it but it is a boundary clock that never
		 * serves anybody; it is still legal, so only warn. */
		gn_clock_log(c, GN_LOG_WARNING,
			     "slaveOnly with %u ports: no port will serve time",
			     nports);
	}
	if (gn_tc_is_tc(c) && nports < 2) {
		gn_clock_log(c, GN_LOG_ERR, "TC needs at least two ports");
		return -EINVAL;
	}
	gn_rng_seed(&c->rng, seed);

	c->dds.two_step = cfg->two_step;
	c->dds.slave_only = cfg->slave_only;
	c->dds.number_ports = (uint16_t)nports;
	c->dds.priority1 = cfg->priority1;
	c->dds.priority2 = cfg->priority2;
	c->dds.quality = cfg->quality;
	c->dds.identity = cfg->identity;
	c->dds.domain = cfg->domain;
	clock_update_d0(c);
	/* A PHC keeps TAI: announce the PTP timescale. A clock that keeps
	 * UTC (the system clock) announces ARB, as ptp4l does. */
	c->local_time_flags = cfg->utc_timescale ? 0 : GN_FLAG_PTP_TIMESCALE;

	c->pds.parent_port.clock = cfg->identity;
	c->pds.parent_port.port = 0;
	c->pds.observed_parent_offset_scaled_log_variance = 0xFFFF;
	c->pds.observed_parent_clock_phase_change_rate = 0x7FFFFFFF;
	c->pds.gm_priority1 = c->dds.priority1;
	c->pds.gm_priority2 = c->dds.priority2;
	c->pds.gm_quality = c->dds.quality;
	c->pds.gm_identity = cfg->identity;
	clock_time_properties_local(c);

	struct gn_servo_config scfg = cfg->servo;
	scfg.hw_stamping = cfg->hw_stamping;
	if (gn_servo_init(&c->servo, &scfg, cfg->initial_freq_ppb) < 0) {
		gn_clock_log(c, GN_LOG_ERR, "bad servo configuration");
		return -EINVAL;
	}
	c->freq_ppb = cfg->initial_freq_ppb;
	c->servo_state = GN_SERVO_UNLOCKED;
	c->slave_port = -1;

	c->ports = ports;
	c->nports = nports;
	for (i = 0; i < nports; i++) {
		unsigned max =
		    port_cfgs[i].delay_filter == GN_FILTER_ROBUST_MEAN
			? GN_FILTER_ROBUST_MAX_LEN
			: GN_FILTER_MAX_LEN;

		if (port_cfgs[i].delay_filter_length == 0 ||
		    port_cfgs[i].delay_filter_length > max) {
			gn_clock_log(c, GN_LOG_ERR,
				     "delay_filter_length must be 1..%u", max);
			return -EINVAL;
		}
		/* As ptp4l: a TC's ports all use its delay mechanism. */
		if (gn_tc_is_tc(c)) {
			bool p2p = cfg->clock_type == GN_CLOCK_P2P_TC;
			const char *dm = p2p ? "P2P" : "E2E";

			if (port_cfgs[i].delay_mechanism !=
			    (p2p ? GN_DM_P2P : GN_DM_E2E)) {
				gn_clock_log(c, GN_LOG_ERR,
					     "port %u: %s TC needs %s ports",
					     i + 1, dm, dm);
				return -EINVAL;
			}
		}
		gn_port_init(&ports[i], c, i, &port_cfgs[i]);
	}
	return 0;
}

void gn_clock_start(struct gn_clock *c)
{
	unsigned i;

	for (i = 0; i < c->nports; i++)
		gn_port_dispatch(&c->ports[i], GN_EV_INITIALIZE, false);
	gn_clock_run_state_decision(c);
}

static struct gn_port *clock_port(struct gn_clock *c, unsigned port)
{
	return port < c->nports ? &c->ports[port] : NULL;
}

void gn_clock_rx(struct gn_clock *c, unsigned port, const uint8_t *buf,
		 size_t len, int64_t rx_ts_ns)
{
	struct gn_port *p = clock_port(c, port);

	if (!p)
		return;
	/* A TC forwards first: the residence of a Sync should not include
	 * the clock's own processing of it. */
	if (gn_tc_is_tc(c))
		gn_tc_rx(p, buf, len, rx_ts_ns);
	gn_port_rx(p, buf, len, rx_ts_ns);
	if (c->state_decision_due)
		gn_clock_run_state_decision(c);
}

void gn_clock_timer(struct gn_clock *c, unsigned port, enum gn_timer_kind kind)
{
	struct gn_port *p = clock_port(c, port);

	if (!p || kind >= GN_TMR_COUNT)
		return;
	gn_port_timer(p, kind);
	if (c->state_decision_due)
		gn_clock_run_state_decision(c);
}

void gn_clock_tx_timestamp(struct gn_clock *c, unsigned port, uint8_t msg_type,
			   uint16_t seq, int64_t tx_ts_ns)
{
	struct gn_port *p = clock_port(c, port);

	if (p && !gn_tc_tx_timestamp(p, msg_type, seq, tx_ts_ns))
		gn_port_tx_timestamp(p, msg_type, seq, tx_ts_ns);
}

void gn_clock_tx_timestamp_missing(struct gn_clock *c, unsigned port,
				   uint8_t msg_type, uint16_t seq)
{
	struct gn_port *p = clock_port(c, port);

	if (!p || gn_tc_tx_timestamp_missing(p, msg_type, seq))
		return;
	gn_port_tx_timestamp_missing(p, msg_type, seq);
	if (c->state_decision_due)
		gn_clock_run_state_decision(c);
}

void gn_clock_link(struct gn_clock *c, unsigned port, bool up)
{
	struct gn_port *p = clock_port(c, port);

	if (!p || p->link_up == up)
		return;
	p->link_up = up;
	gn_clock_log(c, GN_LOG_NOTICE, "port %u (%s): link %s", p->index + 1,
		     p->cfg.name, up ? "up" : "down");
	gn_port_dispatch(p, up ? GN_EV_FAULT_CLEARED : GN_EV_FAULT_DETECTED,
			 false);
	gn_clock_run_state_decision(c);
}

void gn_clock_port_enable(struct gn_clock *c, unsigned port, bool enable)
{
	struct gn_port *p = clock_port(c, port);

	if (!p || p->enabled == enable)
		return;
	p->enabled = enable;
	gn_port_dispatch(
	    p, enable ? GN_EV_DESIGNATED_ENABLED : GN_EV_DESIGNATED_DISABLED,
	    false);
	gn_clock_run_state_decision(c);
}

int gn_clock_slave_port(const struct gn_clock *c)
{
	return c->slave_port;
}

enum gn_port_state gn_clock_port_state(const struct gn_clock *c, unsigned port)
{
	return port < c->nports ? c->ports[port].ds.state : GN_PS_DISABLED;
}

static void clock_dds_changed(struct gn_clock *c)
{
	clock_update_d0(c);
	/* A grandmaster publishes its own attributes in Announce. */
	if (gn_clock_identity_eq(&c->pds.gm_identity, &c->dds.identity)) {
		c->pds.gm_priority1 = c->dds.priority1;
		c->pds.gm_priority2 = c->dds.priority2;
		c->pds.gm_quality = c->dds.quality;
	}
	gn_clock_run_state_decision(c);
}

void gn_clock_set_priority1(struct gn_clock *c, uint8_t p1)
{
	c->dds.priority1 = p1;
	clock_dds_changed(c);
}

void gn_clock_set_priority2(struct gn_clock *c, uint8_t p2)
{
	c->dds.priority2 = p2;
	clock_dds_changed(c);
}

void gn_clock_set_quality(struct gn_clock *c, const struct gn_clock_quality *q)
{
	c->dds.quality = *q;
	clock_dds_changed(c);
}

void gn_clock_request_state_decision(struct gn_clock *c)
{
	c->state_decision_due = true;
}

static void clock_update_grandmaster(struct gn_clock *c)
{
	static const struct gn_clock_identity none;

	memset(&c->cds, 0, sizeof(c->cds));
	/* A grandmaster fed from elsewhere announces that source (set by
	 * EXTERNAL_GRANDMASTER_PROPERTIES_NP, as linuxptp). */
	c->cds.steps_removed = c->ext_gm_steps_removed;
	c->pds.parent_port.clock = c->dds.identity;
	c->pds.parent_port.port = 0;
	c->pds.gm_identity = gn_clock_identity_eq(&c->ext_gm_identity, &none)
				 ? c->dds.identity
				 : c->ext_gm_identity;
	c->pds.gm_priority1 = c->dds.priority1;
	c->pds.gm_priority2 = c->dds.priority2;
	c->pds.gm_quality = c->dds.quality;
	clock_time_properties_local(c);
}

static void clock_update_slave(struct gn_clock *c,
			       const struct gn_foreign_master *fm)
{
	const struct gn_announce *a = &fm->announce;
	int16_t old_utc = c->tpds.current_utc_offset;

	c->cds.steps_removed = (uint16_t)(a->steps_removed + 1);
	c->pds.parent_port = fm->sender;
	c->pds.gm_identity = a->gm_identity;
	c->pds.gm_priority1 = a->gm_priority1;
	c->pds.gm_priority2 = a->gm_priority2;
	c->pds.gm_quality = a->gm_quality;
	c->tpds.current_utc_offset = a->current_utc_offset;
	gn_time_properties_set_flags(&c->tpds, (uint8_t)fm->header.flags);
	c->tpds.time_source = a->time_source;
	if (old_utc != c->tpds.current_utc_offset)
		gn_clock_log(c, GN_LOG_NOTICE, "updating UTC offset to %d",
			     c->tpds.current_utc_offset);
}

/* A new master, or the clock jumped: the servo and a free-running
 * TC's rate ratio start over. */
static void clock_reset_sync(struct gn_clock *c)
{
	unsigned i;

	c->steer_ns = 0.0;
	c->steer_t_ns = 0;
	c->steer_epoch++;
	gn_servo_reset(&c->servo);
	c->servo_state = GN_SERVO_UNLOCKED;
	c->have_offset = false;
	for (i = 0; i < c->nports; i++)
		gn_tc_rate_reset(&c->ports[i]);
}

int gn_clock_offset_rate(const struct gn_clock *c, double *rate_ppb,
			 double *sd_ppb)
{
	struct gn_servo_estimate e;
	int rc;

	if (c->cfg.free_running)
		return -ENOTSUP;
	if (c->servo_state != GN_SERVO_LOCKED &&
	    c->servo_state != GN_SERVO_LOCKED_STABLE)
		return -EAGAIN;
	rc = gn_servo_estimate(&c->servo, &e);
	if (rc < 0)
		return rc;
	*rate_ppb = e.freq_ppb;
	*sd_ppb = e.freq_sd_fit_ppb;
	return 0;
}

void gn_clock_servo_reset(struct gn_clock *c)
{
	clock_reset_sync(c);
}

void gn_clock_path_delay_moved(struct gn_clock *c, const struct gn_port *p,
			       int64_t delta_ns, bool settling)
{
	if (c->cfg.free_running || c->slave_port != (int)p->index || !delta_ns)
		return;
	gn_servo_shift(&c->servo, -(double)delta_ns, settling);
}

static enum gn_clock_role clock_port_role(const struct gn_clock *c,
					  const struct gn_port *p)
{
	if (c->dds.slave_only)
		return GN_ROLE_SLAVE_ONLY;
	if (p->cfg.master_only)
		return GN_ROLE_MASTER_ONLY;
	return GN_ROLE_NORMAL;
}

void gn_clock_run_state_decision(struct gn_clock *c)
{
	const struct gn_foreign_master *best = NULL;
	int best_port = -1;
	struct gn_bmca_ds d0;
	bool fresh_best = false;
	unsigned i;
	char id[32];

	c->state_decision_due = false;
	gn_bmca_ds_from_default(&c->dds, &d0);
	d0.local_priority = c->cfg.local_priority;

	for (i = 0; i < c->nports; i++) {
		struct gn_port *p = &c->ports[i];
		const struct gn_foreign_master *fm = gn_port_best_foreign(p);

		if (!fm)
			continue;
		if (!best || gn_bmca_compare_as(&fm->ds, &best->ds,
						c->cfg.telecom_dscmp) > 0) {
			best = fm;
			best_port = (int)i;
		}
	}

	if (best) {
		if (!c->have_best ||
		    !gn_clock_identity_eq(&best->ds.gm_identity,
					  &c->best.gm_identity) ||
		    !gn_port_identity_eq(&best->sender, &c->best.sender)) {
			fresh_best = true;
		}
	} else if (c->have_best || !c->best_decided) {
		/* The local clock is best. The first time, say so once a
		 * port has left LISTENING (ptp4l says it after the first
		 * announce receipt timeout). */
		for (i = 0; i < c->nports; i++) {
			enum gn_port_state st = c->ports[i].ds.state;

			if (st != GN_PS_LISTENING && st != GN_PS_INITIALIZING &&
			    st != GN_PS_FAULTY && st != GN_PS_DISABLED)
				fresh_best = true;
		}
		if (c->have_best)
			fresh_best = true;
	}
	if (fresh_best || best)
		c->best_decided = true;
	if (fresh_best) {
		clock_reset_sync(c);
		if (best && gn_bmca_compare_as(&d0, &best->ds,
					       c->cfg.telecom_dscmp) < 0) {
			gn_clock_identity_str(&best->ds.gm_identity, id,
					      sizeof(id));
			gn_clock_log(c, GN_LOG_NOTICE,
				     "selected best master clock %s", id);
		} else {
			gn_clock_identity_str(&c->dds.identity, id, sizeof(id));
			gn_clock_log(c, GN_LOG_NOTICE,
				     "selected local clock %s as best master",
				     id);
		}
	}
	c->have_best = best != NULL;
	if (best)
		c->best = best->ds;

	c->slave_port = -1;
	for (i = 0; i < c->nports; i++) {
		struct gn_port *p = &c->ports[i];
		const struct gn_foreign_master *fm = gn_port_best_foreign(p);
		struct gn_bmca_input in = {
		    .d0 = &d0,
		    .erbest = fm ? &fm->ds : NULL,
		    .ebest = best ? &best->ds : NULL,
		    .erbest_is_ebest = best && (int)i == best_port,
		    .state = p->ds.state,
		    .role = clock_port_role(c, p),
		    .telecom = c->cfg.telecom_dscmp,
		};
		enum gn_bmca_decision d = gn_bmca_state_decision(&in);
		enum gn_fsm_event ev = gn_fsm_event_from_decision(d);

		switch (d) {
		case GN_BMCA_M1:
		case GN_BMCA_M2:
			/* Once per stretch as grandmaster (the port may
			 * already be MASTER by its announce timeout). */
			if (!p->gm_role_logged)
				gn_clock_log(c, GN_LOG_NOTICE,
					     "port %u (%s): assuming the grand "
					     "master role",
					     i + 1, p->cfg.name);
			p->gm_role_logged = true;
			clock_update_grandmaster(c);
			break;
		case GN_BMCA_S1:
			clock_update_slave(c, fm);
			c->slave_port = (int)i;
			p->gm_role_logged = false;
			break;
		default:
			p->gm_role_logged = false;
			break;
		}
		/* A new best master re-calibrates a SLAVE (-> UNCALIBRATED). */
		if (ev != GN_EV_NONE)
			gn_port_dispatch(p, ev, fresh_best);
	}
	if (c->slave_port < 0 && best == NULL)
		clock_update_grandmaster(c);
}

/* ---- servo and offset log ---- */

static void clock_invalidate_exchanges(struct gn_clock *c)
{
	unsigned i;

	for (i = 0; i < c->nports; i++) {
		struct gn_port *p = &c->ports[i];

		memset(&p->sync, 0, sizeof(p->sync));
		p->have_last_sync = false;
		memset(p->dreq, 0, sizeof(p->dreq));
		p->have_nrr_point = false;
		gn_tc_rate_reset(p);
		/* Samples taken before the step carry the old frequency
		 * error; start the filter afresh but keep the last value
		 * until a new measurement arrives. */
		gn_filter_reset(&p->delay_filter);
	}
}

/*
 * UTC and leap seconds, as ptp4l's clock_utc_correct(). A clock that
 * keeps UTC following a master on the PTP timescale (TAI): the master's
 * time is TAI - UTC seconds ahead; the offset used is the announced one
 * when valid and traceable, else the larger of the announced and the
 * configured utc_offset. Around a leap second the host is told when to
 * arm the kernel's leap (env->clock_set_leap), and updates in the last
 * second before midnight are suspended (the time is ambiguous there).
 * Returns false when this update must be skipped.
 */
static bool clock_utc_correct(struct gn_clock *c, int64_t ingress_ns,
			      int64_t *offset_ns)
{
	const struct gn_time_properties_ds *t = &c->tpds;
	int utc_offset, leap, clock_leap;

	if (!c->cfg.utc_timescale && t->ptp_timescale)
		return true;
	if ((t->current_utc_offset_valid && t->time_traceable) ||
	    t->current_utc_offset > c->cfg.utc_offset)
		utc_offset = t->current_utc_offset;
	else
		utc_offset = c->cfg.utc_offset;
	leap = gn_leap_from_flags(t->leap61, t->leap59);
	if (leap || c->leap_set) {
		/* A clock about to be stepped: judge by the target time. */
		int64_t ts = ingress_ns;

		if (c->servo_state == GN_SERVO_UNLOCKED) {
			ts = ingress_ns - *offset_ns;
			if (t->ptp_timescale)
				ts -= (int64_t)utc_offset * 1000000000;
		}
		if (gn_leap_utc_ambiguous(ts)) {
			gn_clock_log(c, GN_LOG_INFO,
				     "clock update suspended due to leap "
				     "second");
			return false;
		}
		clock_leap =
		    gn_leap_status(ts, c->leap_set, &leap, &utc_offset);
		if (clock_leap != c->leap_set) {
			if (c->env->clock_set_leap)
				c->env->clock_set_leap(c->env->ctx, clock_leap);
			c->leap_set = clock_leap;
		}
	}
	if (!t->ptp_timescale)
		return true;
	*offset_ns += (int64_t)utc_offset * 1000000000;
	return true;
}

/* A grandmaster announcing a leap second clears the flag, and moves
 * currentUtcOffset, once midnight has passed (ptp4l does this before
 * each Announce it sends). */
void gn_clock_update_leap_status(struct gn_clock *c)
{
	uint8_t f = c->local_time_flags;
	int leap = gn_leap_from_flags(f & GN_FLAG_LEAP61, f & GN_FLAG_LEAP59);
	int utc_offset = c->cfg.utc_offset;
	int64_t ts;

	if (c->cds.steps_removed > 0 || leap == 0 || !c->env->clock_now)
		return;
	ts = c->env->clock_now(c->env->ctx);
	if (f & GN_FLAG_PTP_TIMESCALE)
		ts -= (int64_t)utc_offset * 1000000000;
	if (gn_leap_status(ts, leap, &leap, &utc_offset))
		return; /* not past midnight yet */
	c->cfg.utc_offset = (int16_t)utc_offset;
	c->local_time_flags &= (uint8_t) ~(GN_FLAG_LEAP61 | GN_FLAG_LEAP59);
	gn_clock_log(c, GN_LOG_NOTICE, "leap second passed: UTC offset now %d",
		     utc_offset);
	clock_update_grandmaster(c);
}

double gn_clock_steer_phase(const struct gn_clock *c, int64_t t_ns)
{
	return c->steer_ns +
	       c->steer_ppb * 1e-9 * (double)(t_ns - c->steer_t_ns);
}

void gn_clock_synchronize(struct gn_clock *c, struct gn_port *p,
			  int64_t offset_ns, int64_t ingress_ns,
			  int64_t path_delay_ns, double weight)
{
	enum gn_servo_state state;
	struct gn_notice n;
	double adj;

	if (!clock_utc_correct(c, ingress_ns, &offset_ns))
		return;
	c->cds.offset_from_master_ns = offset_ns;
	c->cds.mean_path_delay_ns = path_delay_ns;

	if (c->cfg.free_running) {
		/* Measure only: estimate the frequency error from the
		 * drift of the offset, never touch the clock. */
		if (c->have_offset && ingress_ns != c->last_ingress_ns) {
			double drift =
			    (double)(offset_ns - c->last_offset_ns) /
			    (double)(ingress_ns - c->last_ingress_ns);
			c->freq_ppb = -drift * 1e9;
			state = GN_SERVO_LOCKED;
		} else {
			state = GN_SERVO_UNLOCKED;
		}
		adj = c->freq_ppb;
	} else if (c->env->clock_check && !c->env->clock_check(c->env->ctx)) {
		/* The host saw the clock jump or run wild since the last
		 * sample (someone else stepped it): start the servo over
		 * rather than feed it the jump (ptp4l's clockcheck). */
		clock_reset_sync(c);
		state = GN_SERVO_UNLOCKED;
		adj = c->freq_ppb;
	} else {
		/* Since a restart the phase counts from the first sample. */
		c->steer_ns =
		    c->steer_t_ns ? gn_clock_steer_phase(c, ingress_ns) : 0.0;
		c->steer_t_ns = ingress_ns;
		adj = gn_servo_sample(&c->servo, offset_ns, ingress_ns, weight,
				      &state);
		switch (state) {
		case GN_SERVO_UNLOCKED:
			break;
		case GN_SERVO_JUMP:
			if (c->env->clock_step)
				c->env->clock_step(c->env->ctx, -offset_ns);
			if (c->env->clock_adjfreq)
				c->env->clock_adjfreq(c->env->ctx, adj);
			c->freq_ppb = adj;
			c->steer_ns -= (double)offset_ns;
			c->steer_t_ns -= offset_ns;
			c->steer_ppb = adj;
			clock_invalidate_exchanges(c);
			break;
		case GN_SERVO_LOCKED:
		case GN_SERVO_LOCKED_STABLE:
			if (c->env->clock_adjfreq)
				c->env->clock_adjfreq(c->env->ctx, adj);
			c->freq_ppb = adj;
			c->steer_ppb = adj;
			break;
		}
	}
	c->servo_state = state;
	c->last_offset_ns = offset_ns;
	c->last_ingress_ns = ingress_ns;
	c->have_offset = true;

	/* ptp4l prints its servo's output, the negative of the frequency
	 * it applies; people parse these lines, so do the same. */
	gn_clock_stats_add(c, offset_ns, -adj, path_delay_ns);

	memset(&n, 0, sizeof(n));
	n.kind = GN_NOTICE_SYNC_SAMPLE;
	n.port = p->index;
	n.offset_ns = offset_ns;
	n.path_delay_ns = path_delay_ns;
	n.freq_ppb = adj;
	n.servo_state = state;
	gn_clock_notify(c, &n);

	switch (state) {
	case GN_SERVO_UNLOCKED:
	case GN_SERVO_JUMP:
		gn_port_dispatch(p, GN_EV_SYNCHRONIZATION_FAULT, false);
		break;
	case GN_SERVO_LOCKED:
	case GN_SERVO_LOCKED_STABLE:
		gn_port_dispatch(p, GN_EV_MASTER_CLOCK_SELECTED, false);
		break;
	}
}

/*
 * ptp4l prints every sample when summary_interval <= logSyncInterval,
 * otherwise one line of statistics per summary interval.
 */
void gn_clock_stats_add(struct gn_clock *c, int64_t offset_ns, double freq_ppb,
			int64_t delay_ns)
{
	struct gn_clock_stats *s = &c->stats;
	int log_sync = c->slave_port >= 0
			   ? c->ports[c->slave_port].ds.log_sync_interval
			   : 0;
	int shift = c->cfg.summary_interval - log_sync;
	unsigned max_count =
	    shift > 0 ? (shift > 20 ? 1u << 20 : 1u << shift) : 1;
	double o = (double)offset_ns, d = (double)delay_ns;

	if (max_count <= 1) {
		gn_clock_log(c, GN_LOG_INFO,
			     "master offset %10lld s%d freq %+7.0f path delay "
			     "%9lld",
			     (long long)offset_ns, (int)c->servo_state,
			     freq_ppb, (long long)delay_ns);
		return;
	}
	s->n++;
	s->offset_sq += o * o;
	if (fabs(o) > s->offset_max)
		s->offset_max = fabs(o);
	s->freq_sum += freq_ppb;
	s->freq_sq += freq_ppb * freq_ppb;
	s->delay_sum += d;
	s->delay_sq += d * d;
	if (s->n < max_count)
		return;

	double n = (double)s->n;
	double fm = s->freq_sum / n, dm = s->delay_sum / n;
	double fsd = sqrt(fmax(0.0, s->freq_sq / n - fm * fm));
	double dsd = sqrt(fmax(0.0, s->delay_sq / n - dm * dm));

	gn_clock_log(c, GN_LOG_INFO,
		     "rms %4.0f max %4.0f freq %+6.0f +/- %3.0f delay %5.0f "
		     "+/- %3.0f",
		     sqrt(s->offset_sq / n), s->offset_max, fm, fsd, dm, dsd);
	memset(s, 0, sizeof(*s));
}

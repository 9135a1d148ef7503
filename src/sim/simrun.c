/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * simrun.c - builds a simnet network from a scenario and runs it: the
 * timeline of events, sampling of the truth, statistics. See simrun.h.
 *
 * Must not depend on wall time or on anything but the scenario, so that
 * a run repeats bit for bit.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simrun.h"

/* ---- statistics ---- */

static unsigned hist_bin(double x)
{
	double b;

	if (!(x >= 1.0))
		return 0;
	b = 1.0 + floor(GN_SIMRUN_BINS_PER_OCTAVE * log2(x));
	if (b >= GN_SIMRUN_HIST_BINS)
		return GN_SIMRUN_HIST_BINS - 1;
	return (unsigned)b;
}

double gn_simrun_rms(const struct gn_simrun_stats *s)
{
	return s->n ? sqrt(s->sum2 / (double)s->n) : 0.0;
}

double gn_simrun_mean(const struct gn_simrun_stats *s)
{
	return s->n ? s->sum / (double)s->n : 0.0;
}

double gn_simrun_quantile(const struct gn_simrun_stats *s, double p)
{
	uint64_t need, cum = 0;
	unsigned b;

	if (!s->n)
		return 0.0;
	need = (uint64_t)ceil(p * (double)s->n);
	if (need < 1)
		need = 1;
	for (b = 0; b < GN_SIMRUN_HIST_BINS; b++) {
		cum += s->hist[b];
		if (cum >= need)
			break;
	}
	if (b == 0)
		return 1.0;
	if (b >= GN_SIMRUN_HIST_BINS - 1)
		return s->max_abs;
	return fmin(exp2((double)b / GN_SIMRUN_BINS_PER_OCTAVE), s->max_abs);
}

void gn_simrun_merge(struct gn_simrun_stats *into,
		     const struct gn_simrun_stats *from)
{
	unsigned b;

	into->n += from->n;
	into->sum += from->sum;
	into->sum2 += from->sum2;
	if (from->max_abs > into->max_abs)
		into->max_abs = from->max_abs;
	for (b = 0; b < GN_SIMRUN_HIST_BINS; b++)
		into->hist[b] += from->hist[b];
	if (from->lock_ns < 0 || into->lock_ns < 0)
		into->lock_ns = -1;
	else if (from->lock_ns > into->lock_ns)
		into->lock_ns = from->lock_ns;
	into->est_n += from->est_n;
	into->est_viol += from->est_viol;
	if (from->est_max_z > into->est_max_z)
		into->est_max_z = from->est_max_z;
	into->sampled |= from->sampled;
}

bool gn_simrun_error(struct gn_simrun *r, int i, double *err_ns)
{
	struct sim_node *n = &r->sim.nodes[i];
	int gm;

	if (n->dead)
		return false;
	gm = sim_node_by_identity(&r->sim, &n->clock.pds.gm_identity);
	if (gm < 0 || gm == i)
		return false;
	/* Observing must not draw noise, or output options would change
	 * the run: extrapolate from each clock's last event. */
	*err_ns = sim_peek_offset(n, &r->sim.nodes[gm]);
	return true;
}

/* The servo's estimate against the truth, at every sample it used. */
static void on_notice(void *ctx, struct sim_node *n, const struct gn_notice *no)
{
	struct gn_simrun *r = ctx;
	struct gn_simrun_stats *st = &r->st[n->id];
	struct gn_servo_estimate e;
	double z, sd, dse;

	/* From the statistics window on: during start-up the path delay
	 * itself may be wrong (measured across a master's step), which no
	 * servo can see. */
	if (r->sim.now_ns < r->stats_start_ns)
		return;
	if (no->kind != GN_NOTICE_SYNC_SAMPLE || !n->have_sync_rx ||
	    (no->servo_state != GN_SERVO_LOCKED &&
	     no->servo_state != GN_SERVO_LOCKED_STABLE))
		return;
	if (gn_servo_estimate(&n->clock.servo, &e) < 0 ||
	    e.local_ns != n->clock.last_ingress_ns || !(e.offset_sd_ns > 0.0))
		return;
	/* The servo cannot see the error of the path delay (or of packet
	 * selection's envelopes) the offsets were computed with: the bound
	 * adds it. */
	sd = e.offset_sd_ns;
	dse = no->port < (unsigned)n->nports
		  ? gn_port_delay_stderr(&n->ports[no->port])
		  : -1.0;
	if (dse > 0.0)
		sd = sqrt(sd * sd + dse * dse);
	z = fabs(e.offset_ns - (double)n->sync_rx_true_offset_ns) / sd;
	st->est_n++;
	if (z > 3.0)
		st->est_viol++;
	if (z > st->est_max_z)
		st->est_max_z = z;
}

static void on_log(void *ctx, const struct sim_node *n, int level,
		   const char *line)
{
	struct gn_simrun *r = ctx;

	fprintf(stderr, "[%.3f] %s: %s\n", (double)r->sim.now_ns / 1e9, n->name,
		line);
	(void)level;
}

/* ---- building ---- */

static int apply_group(const struct gn_scn_ptp *g, struct gn_clock_config *cc,
		       struct gn_port_config *pc, int nports, bool *ts_set,
		       const char *file, char *err, size_t errlen)
{
	char msg[256];
	int i, k;

	for (i = 0; i < g->nopt; i++) {
		const struct gn_scn_opt *o = &g->opt[i];

		if (!strcmp(o->key, "time_stamping"))
			*ts_set = true;
		for (k = 0; k < nports; k++) {
			if (gn_ptpopt_apply(o->key, o->val, k ? NULL : cc,
					    &pc[k], msg, sizeof(msg)) < 0) {
				snprintf(err, errlen, "%s:%d: %s", file,
					 o->line, msg);
				return -EINVAL;
			}
		}
	}
	return 0;
}

static int build_node(struct gn_simrun *r, int idx, char *err, size_t errlen)
{
	const struct gn_scenario *sc = r->sc;
	const struct gn_scn_node *sn = &sc->nodes[idx];
	const struct gn_scn_clock *ck = &sc->clocks[sn->clock];
	struct gn_clock_config cc;
	struct gn_port_config *pc;
	struct sim_node *n;
	bool ts_set = false;
	double off_int, offset, freq;
	int k, id, rc;

	pc = calloc((size_t)sn->nports, sizeof(*pc));
	if (!pc)
		return -ENOMEM;
	gn_clock_config_default(&cc);
	for (k = 0; k < sn->nports; k++)
		gn_port_config_default(&pc[k]);
	rc = apply_group(&sc->ptp[0], &cc, pc, sn->nports, &ts_set, sc->file,
			 err, errlen);
	if (!rc && sn->ptp > 0)
		rc = apply_group(&sc->ptp[sn->ptp], &cc, pc, sn->nports,
				 &ts_set, sc->file, err, errlen);
	for (k = 0; k < sn->nports && !rc; k++) {
		bool dummy = false;
		struct gn_clock_config ignore = cc;

		if (sn->port_ptp[k] >= 0)
			rc = apply_group(&sc->ptp[sn->port_ptp[k]], &ignore,
					 &pc[k], 1, &dummy, sc->file, err,
					 errlen);
	}
	if (rc) {
		free(pc);
		return rc;
	}
	for (k = 0; k < sn->nports; k++)
		snprintf(pc[k].name, sizeof(pc[k].name), "%.24s:%u", sn->name,
			 (unsigned)(k + 1) & 0x3FFu);
	if (!ts_set)
		cc.hw_stamping = !ck->ts.software;
	if (cc.servo.max_frequency_ppb > ck->max_adj_ppb)
		cc.servo.max_frequency_ppb = ck->max_adj_ppb;
	id = sim_add_node(&r->sim, sn->name, &cc, pc, sn->nports);
	free(pc);
	if (id < 0) {
		snprintf(err, errlen,
			 "%s:%d: node '%s': the engine refused its "
			 "configuration",
			 sc->file, sn->line, sn->name);
		return -EINVAL;
	}
	n = &r->sim.nodes[id];
	offset = ck->offset_ns;
	freq = ck->freq_ppb;
	if (ck->offset_spread_ns > 0.0)
		offset +=
		    (2.0 * gn_rng_unit(&n->rng) - 1.0) * ck->offset_spread_ns;
	if (ck->freq_spread_ppb > 0.0)
		freq +=
		    (2.0 * gn_rng_unit(&n->rng) - 1.0) * ck->freq_spread_ppb;
	off_int = floor(offset);
	n->sc.base_local_ns += (int64_t)off_int;
	n->sc.base_frac_ns = offset - off_int;
	n->sc.freq_err_ppb = freq;
	n->sc.max_adj_ppb = ck->max_adj_ppb;
	sim_clock_set_noise(n, ck->wfm, ck->rwfm);
	n->ts = ck->ts;
	n->stamp_noise_ns = ck->stamp_uniform_ns;
	return 0;
}

int gn_simrun_build(struct gn_simrun *r, struct gn_scenario *sc,
		    const struct gn_simrun_opts *opts, char *err, size_t errlen)
{
	int i, k, rc;

	memset(r, 0, sizeof(*r));
	r->sc = sc;
	if (opts)
		r->opts = *opts;
	sim_init(&r->sim, sc->seed);
	r->sim.notice_hook = on_notice;
	r->sim.notice_ctx = r;
	if (r->opts.log_level > 0) {
		r->sim.log = on_log;
		r->sim.log_ctx = r;
		r->sim.log_level = r->opts.log_level;
	}
	r->st = calloc((size_t)sc->nnodes, sizeof(*r->st));
	r->conn_seg = calloc((size_t)sc->nconns + 1, sizeof(*r->conn_seg));
	if (!r->st || !r->conn_seg || sim_reserve(&r->sim, sc->nnodes) < 0) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < sc->nnodes; i++) {
		r->st[i].lock_ns = -1;
		r->st[i].run_start_ns = -1;
		rc = build_node(r, i, err, errlen);
		if (rc)
			return rc;
	}
	for (i = 0; i < sc->nbridges; i++)
		if (sim_add_bridge(&r->sim, sc->bridges[i].residence_ns,
				   sc->bridges[i].jitter_ns) < 0)
			return -ENOMEM;
	for (i = 0; i < sc->nconns; i++) {
		const struct gn_scn_conn *c = &sc->conns[i];
		const struct sim_segment *m = &sc->links[c->link].model;
		struct sim_segment *g;
		int seg = sim_add_segment(&r->sim, m->delay_ns);

		if (seg < 0)
			return -ENOMEM;
		g = &r->sim.segs[seg];
		g->asym_ns = m->asym_ns;
		g->jitter_ns = m->jitter_ns;
		g->jitter_dist = m->jitter_dist;
		g->spike_prob = m->spike_prob;
		g->spike_ns = m->spike_ns;
		g->loss = m->loss;
		g->dup = m->dup;
		g->reorder = m->reorder;
		g->reorder_ns = m->reorder_ns;
		r->conn_seg[i] = seg;
		for (k = 0; k < c->nep; k++) {
			rc = c->ep[k].node >= 0
				 ? sim_connect(&r->sim, seg, c->ep[k].node,
					       c->ep[k].port)
				 : sim_connect_bridge(&r->sim, seg,
						      -1 - c->ep[k].node);
			if (rc < 0) {
				snprintf(err, errlen,
					 "%s:%d: cannot connect (a port can "
					 "be on one link only)",
					 sc->file, c->line);
				return -EINVAL;
			}
		}
	}
	r->stats_start_ns =
	    sc->stats_start_ns >= 0 ? sc->stats_start_ns : sc->duration_ns / 4;
	if (r->opts.out_dir && r->opts.csv) {
		rc = gn_simrun_open_csv(r, err, errlen);
		if (rc)
			return rc;
	}
	rc = sim_start(&r->sim);
	if (rc == -ELOOP) {
		snprintf(err, errlen, "%s: bridges form a loop", sc->file);
		return rc;
	}
	return rc;
}

void gn_simrun_free(struct gn_simrun *r)
{
	int i;

	if (r->csv) {
		for (i = 0; i < r->sc->nnodes; i++)
			if (r->csv[i])
				fclose(r->csv[i]);
		free(r->csv);
	}
	sim_free(&r->sim);
	free(r->st);
	free(r->conn_seg);
	memset(r, 0, sizeof(*r));
}

/* ---- running ---- */

static void apply_event(struct gn_simrun *r, const struct gn_scn_event *ev)
{
	struct sim_node *n = ev->node >= 0 ? &r->sim.nodes[ev->node] : NULL;
	char msg[200];

	switch (ev->kind) {
	case GN_SCN_EV_KILL:
		sim_kill(&r->sim, ev->node);
		break;
	case GN_SCN_EV_REVIVE:
		if (n->dead)
			sim_revive(&r->sim, ev->node);
		break;
	case GN_SCN_EV_DOWN:
	case GN_SCN_EV_UP:
		sim_segment_set_up(&r->sim, r->conn_seg[ev->conn],
				   ev->kind == GN_SCN_EV_UP);
		break;
	case GN_SCN_EV_STEP:
		sim_clock_step(n, (int64_t)ev->value);
		break;
	case GN_SCN_EV_FREQ:
		sim_clock_freq_step(n, ev->value);
		break;
	case GN_SCN_EV_SET:
		/* Checked by the parser. */
		gn_scn_link_set(&r->sim.segs[r->conn_seg[ev->conn]], ev->key,
				ev->val, msg, sizeof(msg));
		break;
	case GN_SCN_EV_PRIORITY1:
		gn_clock_set_priority1(&n->clock, (uint8_t)ev->value);
		break;
	case GN_SCN_EV_PRIORITY2:
		gn_clock_set_priority2(&n->clock, (uint8_t)ev->value);
		break;
	}
}

static void sample_node(struct gn_simrun *r, int i, int64_t t)
{
	struct gn_simrun_stats *st = &r->st[i];
	struct sim_node *n = &r->sim.nodes[i];
	double e = 0.0, a;
	bool have = gn_simrun_error(r, i, &e);

	if (r->csv && r->csv[i]) {
		int sp = gn_clock_slave_port(&n->clock);
		enum gn_port_state ps =
		    n->dead ? GN_PS_DISABLED
			    : n->ports[sp >= 0 ? sp : 0].ds.state;

		if (have)
			fprintf(r->csv[i], "%.6f,%.1f,", (double)t / 1e9, e);
		else
			fprintf(r->csv[i], "%.6f,,", (double)t / 1e9);
		fprintf(r->csv[i], "%.1f,%.3f,%s,%s\n", sim_peek_true_offset(n),
			sim_freq_error(n),
			n->dead ? "DEAD" : gn_port_state_str(ps),
			gn_servo_state_str(n->clock.servo_state));
	}
	if (!have) {
		st->run_start_ns = -1;
		return;
	}
	st->sampled = true;
	a = fabs(e);
	if (a <= (double)r->sc->lock_threshold_ns) {
		if (st->run_start_ns < 0)
			st->run_start_ns = t;
		if (st->lock_ns < 0 &&
		    t - st->run_start_ns >= r->sc->lock_hold_ns)
			st->lock_ns = st->run_start_ns;
	} else {
		st->run_start_ns = -1;
	}
	if (t < r->stats_start_ns)
		return;
	st->n++;
	st->sum += e;
	st->sum2 += e * e;
	if (a > st->max_abs)
		st->max_abs = a;
	st->hist[hist_bin(a)]++;
}

void gn_simrun_run_until(struct gn_simrun *r, int64_t t_ns)
{
	const struct gn_scenario *sc = r->sc;

	if (t_ns > sc->duration_ns)
		t_ns = sc->duration_ns;
	for (;;) {
		int64_t next = r->next_sample_ns;
		int i;

		if (r->next_event < sc->nevents &&
		    sc->events[r->next_event].t_ns < next)
			next = sc->events[r->next_event].t_ns;
		if (next > t_ns)
			break;
		sim_run_until(&r->sim, next);
		if (next == r->next_sample_ns) {
			for (i = 0; i < sc->nnodes; i++)
				sample_node(r, i, next);
			r->next_sample_ns += sc->sample_ns;
		}
		while (r->next_event < sc->nevents &&
		       sc->events[r->next_event].t_ns <= next)
			apply_event(r, &sc->events[r->next_event++]);
	}
	sim_run_until(&r->sim, t_ns);
}

void gn_simrun_run(struct gn_simrun *r)
{
	gn_simrun_run_until(r, r->sc->duration_ns);
}

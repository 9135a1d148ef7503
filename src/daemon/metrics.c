/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * metrics.c - gnomond's monitoring: an HTTP server (libmicrohttpd, in its
 * own thread) with Prometheus text at /metrics, the live dashboard at /
 * and its JSON API (/api/state, /api/history, /api/events), plus the
 * optional JSON-lines log (json_log).
 *
 * The protocol loop only ever copies a small snapshot under a mutex
 * (gn_metrics_update, gn_metrics_event); the HTTP thread copies it out
 * under the same mutex and formats outside it. Nothing here may call
 * into the core or block the loop on I/O other than one write(2) of a
 * JSON log line.
 */
#include "metrics.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mgmt.h"
#include "web_assets.h"

#define HISTORY_MAX  3600 /* samples kept for the plots */
#define EVENTS_MAX   256
#define EVENT_TEXT   240
#define FOREIGN_SHOW 8
#define MAX_CONN     32

struct mforeign {
	struct gn_port_identity sender;
	struct gn_clock_identity gm;
	uint8_t p1, p2;
	struct gn_clock_quality q;
	uint16_t steps_removed;
	bool qualified;
};

struct mport {
	char name[GN_PORT_NAME_MAX];
	struct gn_port_ds ds;
	struct gn_port_stats stats;
	bool link_up, enabled, as_capable;
	int64_t path_delay_ns;
	bool have_path_delay;
	struct mforeign foreign[FOREIGN_SHOW];
	unsigned nforeign;
};

struct msnap {
	struct gn_default_ds dds;
	struct gn_current_ds cds;
	struct gn_parent_ds pds;
	struct gn_time_properties_ds tpds;
	int servo_state;
	double freq_ppb;
	int64_t last_offset_ns;
	bool have_offset;
	int64_t error_bound_ns;
	int slave_port;
	int64_t vclock_ns;
	bool have_vclock;
	uint64_t samples;
	unsigned nports;
	struct mport port[];
};

struct msample {
	double t_s; /* CLOCK_REALTIME */
	double offset_ns, delay_ns, freq_ppb, bound_ns, vclock_ns;
};

struct mevent {
	uint64_t seq;
	double t_s;
	int level;
	char text[EVENT_TEXT];
};

struct gn_metrics {
	pthread_mutex_t mu;
	struct MHD_Daemon *mhd;
	unsigned nports;
	struct msnap *snap; /* guarded by mu */
	struct msample hist[HISTORY_MAX];
	unsigned hist_head, hist_len;
	struct mevent ev[EVENTS_MAX];
	uint64_t ev_seq;
	int64_t last_ingress_ns;
	bool have_last_ingress;
	int64_t vclock_next_mono_ns;
	int json_fd;
	bool json_close;
};

static double realtime_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static size_t snap_size(unsigned nports)
{
	return sizeof(struct msnap) + (size_t)nports * sizeof(struct mport);
}

/* ---- the loop's side ---- */

void gn_metrics_update(struct gn_metrics *m, const struct gn_clock *c,
		       struct gn_pclock *clk)
{
	struct msnap *s;
	unsigned i, k, n;
	int64_t vc = 0, width = 0, now;
	bool have_vc = false;

	if (!m || !c)
		return;
	now = mono_ns();
	/* The virtual clock's truth, at most once a second (a few clock
	 * reads, outside the lock). */
	if (clk && clk->kind == GN_PCLOCK_VIRTUAL &&
	    now >= m->vclock_next_mono_ns) {
		m->vclock_next_mono_ns = now + 1000000000;
		have_vc =
		    gn_pclock_offset_from_realtime(clk, 3, &vc, &width) == 0;
	}
	pthread_mutex_lock(&m->mu);
	s = m->snap;
	s->dds = c->dds;
	s->cds = c->cds;
	s->pds = c->pds;
	s->tpds = c->tpds;
	s->servo_state = (int)c->servo_state;
	s->freq_ppb = c->freq_ppb;
	s->last_offset_ns = c->last_offset_ns;
	s->have_offset = c->have_offset;
	s->error_bound_ns = gn_mgmt_error_bound_ns(c);
	s->slave_port = c->slave_port;
	if (have_vc) {
		s->vclock_ns = vc;
		s->have_vclock = true;
	}
	n = c->nports < m->nports ? c->nports : m->nports;
	s->nports = n;
	for (i = 0; i < n; i++) {
		const struct gn_port *p = &c->ports[i];
		struct mport *mp = &s->port[i];

		memcpy(mp->name, p->cfg.name, sizeof(mp->name));
		mp->name[sizeof(mp->name) - 1] = 0;
		mp->ds = p->ds;
		mp->stats = p->stats;
		mp->link_up = p->link_up;
		mp->enabled = p->enabled;
		mp->as_capable = p->as_capable;
		mp->path_delay_ns = p->path_delay_ns;
		mp->have_path_delay = p->have_path_delay;
		mp->nforeign = 0;
		for (k = 0;
		     k < GN_FOREIGN_MASTERS_MAX && mp->nforeign < FOREIGN_SHOW;
		     k++) {
			const struct gn_foreign_master *fm = &p->foreign.m[k];
			struct mforeign *f = &mp->foreign[mp->nforeign];

			if (!fm->used)
				continue;
			f->sender = fm->sender;
			f->gm = fm->announce.gm_identity;
			f->p1 = fm->announce.gm_priority1;
			f->p2 = fm->announce.gm_priority2;
			f->q = fm->announce.gm_quality;
			f->steps_removed = fm->announce.steps_removed;
			f->qualified = fm->nrx >= GN_FOREIGN_MASTER_THRESHOLD;
			mp->nforeign++;
		}
	}
	if (c->have_offset && (!m->have_last_ingress ||
			       c->last_ingress_ns != m->last_ingress_ns)) {
		struct msample *h;
		unsigned at = (m->hist_head + m->hist_len) % HISTORY_MAX;

		m->last_ingress_ns = c->last_ingress_ns;
		m->have_last_ingress = true;
		if (m->hist_len == HISTORY_MAX)
			m->hist_head = (m->hist_head + 1) % HISTORY_MAX;
		else
			m->hist_len++;
		h = &m->hist[at];
		h->t_s = realtime_s();
		h->offset_ns = (double)c->cds.offset_from_master_ns;
		h->delay_ns = (double)c->cds.mean_path_delay_ns;
		h->freq_ppb = c->freq_ppb;
		h->bound_ns =
		    s->error_bound_ns >= 0 ? (double)s->error_bound_ns : NAN;
		h->vclock_ns = s->have_vclock ? (double)s->vclock_ns : NAN;
		s->samples++;
	}
	pthread_mutex_unlock(&m->mu);
}

static const char *level_name(int level)
{
	switch (level) {
	case 0:
	case 1:
	case 2:
	case 3:
		return "err";
	case 4:
		return "warning";
	case 5:
		return "notice";
	case 6:
		return "info";
	default:
		return "debug";
	}
}

/* One JSON log line: {"time":...,"level":...,"message":...}. */
static void json_log_line(struct gn_metrics *m, double t, int level,
			  const char *line)
{
	json_t *o = json_object();
	char *s;
	size_t len;

	json_object_set_new(o, "time", json_real(t));
	json_object_set_new(o, "level", json_string(level_name(level)));
	json_object_set_new(o, "program", json_string("gnomond"));
	json_object_set_new(o, "message", json_string(line));
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!s)
		return;
	len = strlen(s);
	s[len] = '\n'; /* json_dumps' NUL becomes the newline */
	if (write(m->json_fd, s, len + 1) < 0) {
		/* Nothing sensible to do: the text log still has it. */
	}
	free(s);
}

void gn_metrics_event(struct gn_metrics *m, int level, const char *line)
{
	struct mevent *e;
	double t;

	if (!m || !line)
		return;
	t = realtime_s();
	pthread_mutex_lock(&m->mu);
	e = &m->ev[m->ev_seq % EVENTS_MAX];
	e->seq = ++m->ev_seq;
	e->t_s = t;
	e->level = level;
	snprintf(e->text, sizeof(e->text), "%s", line);
	pthread_mutex_unlock(&m->mu);
	if (m->json_fd >= 0)
		json_log_line(m, t, level, line);
}

/* ---- the HTTP thread's side ---- */

struct buf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void bprintf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void bprintf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if ((size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		size_t ncap = (b->cap + (size_t)n + 1) * 2;
		char *np = realloc(b->p, ncap);

		if (!np) {
			b->oom = true;
			return;
		}
		b->p = np;
		b->cap = ncap;
	}
}

static struct msnap *snap_copy(struct gn_metrics *m)
{
	struct msnap *s = malloc(snap_size(m->nports));

	if (!s)
		return NULL;
	pthread_mutex_lock(&m->mu);
	memcpy(s, m->snap, snap_size(m->nports));
	pthread_mutex_unlock(&m->mu);
	return s;
}

/* Prometheus label values: backslash, quote and newline escaped. */
static void label_escape(const char *in, char *out, size_t cap)
{
	size_t o = 0;

	for (; *in && o + 3 < cap; in++) {
		if (*in == '\\' || *in == '"') {
			out[o++] = '\\';
			out[o++] = *in;
		} else if (*in == '\n') {
			out[o++] = '\\';
			out[o++] = 'n';
		} else {
			out[o++] = *in;
		}
	}
	out[o] = 0;
}

static const char *const msg_names[16] = {"Sync",
					  "Delay_Req",
					  "Pdelay_Req",
					  "Pdelay_Resp",
					  NULL,
					  NULL,
					  NULL,
					  NULL,
					  "Follow_Up",
					  "Delay_Resp",
					  "Pdelay_Resp_Follow_Up",
					  "Announce",
					  "Signaling",
					  "Management",
					  NULL,
					  NULL};

static void head(struct buf *b, const char *name, const char *type,
		 const char *help)
{
	bprintf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void port_counter(struct buf *b, const struct msnap *s, const char *name,
			 const char *help, size_t off)
{
	unsigned i;

	head(b, name, "counter", help);
	for (i = 0; i < s->nports; i++) {
		char ifn[80];
		uint64_t v;

		memcpy(&v, (const char *)&s->port[i].stats + off, sizeof(v));
		label_escape(s->port[i].name, ifn, sizeof(ifn));
		bprintf(b, "%s{port=\"%u\",interface=\"%s\"} %" PRIu64 "\n",
			name, i + 1, ifn, v);
	}
}

static void render_metrics(const struct msnap *s, struct buf *b)
{
	char id[32], gm[32], ifn[80];
	unsigned i, t;

	gn_clock_identity_str(&s->dds.identity, id, sizeof(id));
	gn_clock_identity_str(&s->pds.gm_identity, gm, sizeof(gm));
	head(b, "gnomon_clock_info", "gauge",
	     "The local clock (always 1), with its identity and domain.");
	bprintf(b, "gnomon_clock_info{clock_identity=\"%s\",domain=\"%u\"} 1\n",
		id, s->dds.domain);
	head(b, "gnomon_offset_from_master_seconds", "gauge",
	     "currentDS.offsetFromMaster: last offset from the master.");
	bprintf(b, "gnomon_offset_from_master_seconds %.9g\n",
		(double)s->cds.offset_from_master_ns * 1e-9);
	head(b, "gnomon_mean_path_delay_seconds", "gauge",
	     "currentDS.meanPathDelay.");
	bprintf(b, "gnomon_mean_path_delay_seconds %.9g\n",
		(double)s->cds.mean_path_delay_ns * 1e-9);
	head(b, "gnomon_frequency_adjustment_ratio", "gauge",
	     "Frequency adjustment of the steered clock (ppb * 1e-9).");
	bprintf(b, "gnomon_frequency_adjustment_ratio %.12g\n",
		s->freq_ppb * 1e-9);
	head(b, "gnomon_error_bound_seconds", "gauge",
	     "Estimated bound of the error: |offset| + path delay; "
	     "absent when unknown.");
	if (s->error_bound_ns >= 0)
		bprintf(b, "gnomon_error_bound_seconds %.9g\n",
			(double)s->error_bound_ns * 1e-9);
	head(b, "gnomon_servo_state", "gauge",
	     "Servo state: 0 unlocked, 1 jump, 2 locked, 3 locked stable.");
	bprintf(b, "gnomon_servo_state %d\n", s->servo_state);
	head(b, "gnomon_offset_samples_total", "counter",
	     "Offset measurements fed to the servo.");
	bprintf(b, "gnomon_offset_samples_total %" PRIu64 "\n", s->samples);
	if (s->have_vclock) {
		head(b, "gnomon_vclock_offset_seconds", "gauge",
		     "Virtual clock minus CLOCK_REALTIME (the true error "
		     "when the master runs on the system clock).");
		bprintf(b, "gnomon_vclock_offset_seconds %.9g\n",
			(double)s->vclock_ns * 1e-9);
	}
	head(b, "gnomon_grandmaster_info", "gauge",
	     "The grandmaster (always 1) and the parent port.");
	{
		char parent[48];

		gn_port_identity_str(&s->pds.parent_port, parent,
				     sizeof(parent));
		bprintf(b,
			"gnomon_grandmaster_info{grandmaster_identity=\"%s\","
			"parent_port_identity=\"%s\"} 1\n",
			gm, parent);
	}
	head(b, "gnomon_grandmaster_priority1", "gauge",
	     "parentDS.grandmasterPriority1.");
	bprintf(b, "gnomon_grandmaster_priority1 %u\n", s->pds.gm_priority1);
	head(b, "gnomon_grandmaster_priority2", "gauge",
	     "parentDS.grandmasterPriority2.");
	bprintf(b, "gnomon_grandmaster_priority2 %u\n", s->pds.gm_priority2);
	head(b, "gnomon_grandmaster_clock_class", "gauge",
	     "parentDS.grandmasterClockQuality.clockClass.");
	bprintf(b, "gnomon_grandmaster_clock_class %u\n",
		s->pds.gm_quality.clock_class);
	head(b, "gnomon_grandmaster_clock_accuracy", "gauge",
	     "parentDS.grandmasterClockQuality.clockAccuracy (enumeration).");
	bprintf(b, "gnomon_grandmaster_clock_accuracy %u\n",
		s->pds.gm_quality.clock_accuracy);
	head(b, "gnomon_grandmaster_offset_scaled_log_variance", "gauge",
	     "parentDS.grandmasterClockQuality.offsetScaledLogVariance.");
	bprintf(b, "gnomon_grandmaster_offset_scaled_log_variance %u\n",
		s->pds.gm_quality.offset_scaled_log_variance);
	head(b, "gnomon_steps_removed", "gauge", "currentDS.stepsRemoved.");
	bprintf(b, "gnomon_steps_removed %u\n", s->cds.steps_removed);
	head(b, "gnomon_utc_offset_seconds", "gauge",
	     "timePropertiesDS.currentUtcOffset.");
	bprintf(b, "gnomon_utc_offset_seconds %d\n",
		s->tpds.current_utc_offset);
	head(b, "gnomon_time_property", "gauge",
	     "timePropertiesDS flags (1 set, 0 clear).");
	bprintf(b,
		"gnomon_time_property{flag=\"leap61\"} %d\n"
		"gnomon_time_property{flag=\"leap59\"} %d\n"
		"gnomon_time_property{flag=\"current_utc_offset_valid\"} %d\n"
		"gnomon_time_property{flag=\"ptp_timescale\"} %d\n"
		"gnomon_time_property{flag=\"time_traceable\"} %d\n"
		"gnomon_time_property{flag=\"frequency_traceable\"} %d\n",
		s->tpds.leap61, s->tpds.leap59,
		s->tpds.current_utc_offset_valid, s->tpds.ptp_timescale,
		s->tpds.time_traceable, s->tpds.frequency_traceable);
	head(b, "gnomon_time_source", "gauge", "timePropertiesDS.timeSource.");
	bprintf(b, "gnomon_time_source %u\n", s->tpds.time_source);

	head(b, "gnomon_port_state", "gauge",
	     "portDS.portState: 1 INITIALIZING 2 FAULTY 3 DISABLED 4 "
	     "LISTENING 5 PRE_MASTER 6 MASTER 7 PASSIVE 8 UNCALIBRATED 9 "
	     "SLAVE.");
	for (i = 0; i < s->nports; i++) {
		label_escape(s->port[i].name, ifn, sizeof(ifn));
		bprintf(b,
			"gnomon_port_state{port=\"%u\",interface=\"%s\","
			"state=\"%s\"} %d\n",
			i + 1, ifn, gn_port_state_str(s->port[i].ds.state),
			(int)s->port[i].ds.state);
	}
	head(b, "gnomon_port_link_up", "gauge", "1 when the link is up.");
	for (i = 0; i < s->nports; i++) {
		label_escape(s->port[i].name, ifn, sizeof(ifn));
		bprintf(
		    b, "gnomon_port_link_up{port=\"%u\",interface=\"%s\"} %d\n",
		    i + 1, ifn, s->port[i].link_up);
	}
	head(b, "gnomon_port_peer_mean_path_delay_seconds", "gauge",
	     "portDS.peerMeanPathDelay (P2P).");
	for (i = 0; i < s->nports; i++) {
		label_escape(s->port[i].name, ifn, sizeof(ifn));
		bprintf(b,
			"gnomon_port_peer_mean_path_delay_seconds{port=\"%u\","
			"interface=\"%s\"} %.9g\n",
			i + 1, ifn,
			(double)s->port[i].ds.peer_mean_path_delay_ns * 1e-9);
	}
	for (int dir = 0; dir < 2; dir++) {
		const char *name = dir ? "gnomon_port_tx_messages_total"
				       : "gnomon_port_rx_messages_total";

		head(b, name, "counter",
		     dir ? "Messages sent, by type."
			 : "Messages received, by type.");
		for (i = 0; i < s->nports; i++) {
			label_escape(s->port[i].name, ifn, sizeof(ifn));
			for (t = 0; t < 16; t++) {
				if (!msg_names[t])
					continue;
				bprintf(b,
					"%s{port=\"%u\",interface=\"%s\","
					"type=\"%s\"} %" PRIu64 "\n",
					name, i + 1, ifn, msg_names[t],
					dir ? s->port[i].stats.tx[t]
					    : s->port[i].stats.rx[t]);
			}
		}
	}
	port_counter(b, s, "gnomon_port_announce_timeouts_total",
		     "Announce receipt timeouts.",
		     offsetof(struct gn_port_stats, announce_timeouts));
	port_counter(b, s, "gnomon_port_sync_timeouts_total",
		     "Sync receipt timeouts.",
		     offsetof(struct gn_port_stats, sync_timeouts));
	port_counter(b, s, "gnomon_port_faults_total",
		     "Times the port went FAULTY.",
		     offsetof(struct gn_port_stats, faults));
	port_counter(b, s, "gnomon_port_tx_timestamp_missing_total",
		     "Transmit time stamps that never came.",
		     offsetof(struct gn_port_stats, tx_ts_missing));
	port_counter(b, s, "gnomon_port_sync_mismatch_total",
		     "Follow_Up messages matching no Sync.",
		     offsetof(struct gn_port_stats, sync_mismatch));
	port_counter(b, s, "gnomon_port_followup_mismatch_total",
		     "Follow_Up messages for another Sync.",
		     offsetof(struct gn_port_stats, followup_mismatch));
	port_counter(b, s, "gnomon_port_rx_wrong_domain_total",
		     "Messages of another domain, ignored.",
		     offsetof(struct gn_port_stats, rx_wrong_domain));
	head(b, "gnomon_port_rx_bad_total", "counter",
	     "Messages that failed to parse, by reason.");
	for (i = 0; i < s->nports; i++) {
		label_escape(s->port[i].name, ifn, sizeof(ifn));
		for (t = 1; t < GN_WIRE_ERROR_COUNT; t++) {
			char reason[160];

			label_escape(gn_wire_strerror((enum gn_wire_error)t),
				     reason, sizeof(reason));
			bprintf(b,
				"gnomon_port_rx_bad_total{port=\"%u\","
				"interface=\"%s\",reason=\"%s\"} %" PRIu64 "\n",
				i + 1, ifn, reason,
				s->port[i].stats.bad_reason[t]);
		}
	}
}

static json_t *jid(const struct gn_clock_identity *id)
{
	char s[32];

	gn_clock_identity_str(id, s, sizeof(s));
	return json_string(s);
}

static json_t *jpid(const struct gn_port_identity *id)
{
	char s[48];

	gn_port_identity_str(id, s, sizeof(s));
	return json_string(s);
}

static json_t *render_state(const struct msnap *s)
{
	json_t *o = json_object(), *ports = json_array(), *gm = json_object();
	unsigned i, k;

	json_object_set_new(o, "clockIdentity", jid(&s->dds.identity));
	json_object_set_new(o, "domainNumber", json_integer(s->dds.domain));
	json_object_set_new(o, "priority1", json_integer(s->dds.priority1));
	json_object_set_new(o, "priority2", json_integer(s->dds.priority2));
	json_object_set_new(o, "clockClass",
			    json_integer(s->dds.quality.clock_class));
	json_object_set_new(o, "slaveOnly", json_boolean(s->dds.slave_only));
	json_object_set_new(o, "offset_ns",
			    json_integer(s->cds.offset_from_master_ns));
	json_object_set_new(o, "path_delay_ns",
			    json_integer(s->cds.mean_path_delay_ns));
	json_object_set_new(o, "frequency_ppb", json_real(s->freq_ppb));
	json_object_set_new(o, "servo_state", json_integer(s->servo_state));
	json_object_set_new(o, "error_bound_ns",
			    s->error_bound_ns >= 0
				? json_integer(s->error_bound_ns)
				: json_null());
	json_object_set_new(o, "vclock_offset_ns",
			    s->have_vclock ? json_integer(s->vclock_ns)
					   : json_null());
	json_object_set_new(o, "stepsRemoved",
			    json_integer(s->cds.steps_removed));
	json_object_set_new(o, "samples", json_integer((json_int_t)s->samples));
	json_object_set_new(o, "currentUtcOffset",
			    json_integer(s->tpds.current_utc_offset));
	json_object_set_new(o, "currentUtcOffsetValid",
			    json_boolean(s->tpds.current_utc_offset_valid));
	json_object_set_new(o, "leap61", json_boolean(s->tpds.leap61));
	json_object_set_new(o, "leap59", json_boolean(s->tpds.leap59));
	json_object_set_new(o, "ptpTimescale",
			    json_boolean(s->tpds.ptp_timescale));
	json_object_set_new(o, "timeSource", json_integer(s->tpds.time_source));
	json_object_set_new(gm, "identity", jid(&s->pds.gm_identity));
	json_object_set_new(gm, "priority1", json_integer(s->pds.gm_priority1));
	json_object_set_new(gm, "priority2", json_integer(s->pds.gm_priority2));
	json_object_set_new(gm, "clockClass",
			    json_integer(s->pds.gm_quality.clock_class));
	json_object_set_new(gm, "clockAccuracy",
			    json_integer(s->pds.gm_quality.clock_accuracy));
	json_object_set_new(
	    gm, "offsetScaledLogVariance",
	    json_integer(s->pds.gm_quality.offset_scaled_log_variance));
	json_object_set_new(gm, "parentPortIdentity",
			    jpid(&s->pds.parent_port));
	json_object_set_new(gm, "isSelf",
			    json_boolean(gn_clock_identity_eq(
				&s->pds.gm_identity, &s->dds.identity)));
	json_object_set_new(o, "grandmaster", gm);
	for (i = 0; i < s->nports; i++) {
		const struct mport *p = &s->port[i];
		json_t *po = json_object(), *fa = json_array();

		json_object_set_new(po, "portNumber", json_integer(i + 1));
		json_object_set_new(po, "interface", json_string(p->name));
		json_object_set_new(
		    po, "state", json_string(gn_port_state_str(p->ds.state)));
		json_object_set_new(po, "linkUp", json_boolean(p->link_up));
		json_object_set_new(
		    po, "delayMechanism",
		    json_string(p->ds.delay_mechanism == 2 ? "P2P" : "E2E"));
		json_object_set_new(po, "logAnnounceInterval",
				    json_integer(p->ds.log_announce_interval));
		json_object_set_new(po, "logSyncInterval",
				    json_integer(p->ds.log_sync_interval));
		json_object_set_new(po, "path_delay_ns",
				    p->have_path_delay
					? json_integer(p->path_delay_ns)
					: json_null());
		json_object_set_new(po, "rx_Announce",
				    json_integer((json_int_t)p->stats.rx[11]));
		json_object_set_new(po, "rx_Sync",
				    json_integer((json_int_t)p->stats.rx[0]));
		json_object_set_new(po, "tx_Announce",
				    json_integer((json_int_t)p->stats.tx[11]));
		json_object_set_new(po, "tx_Sync",
				    json_integer((json_int_t)p->stats.tx[0]));
		json_object_set_new(po, "faults",
				    json_integer((json_int_t)p->stats.faults));
		for (k = 0; k < p->nforeign; k++) {
			const struct mforeign *f = &p->foreign[k];
			json_t *fo = json_object();

			json_object_set_new(fo, "sender", jpid(&f->sender));
			json_object_set_new(fo, "grandmaster", jid(&f->gm));
			json_object_set_new(fo, "priority1",
					    json_integer(f->p1));
			json_object_set_new(fo, "clockClass",
					    json_integer(f->q.clock_class));
			json_object_set_new(fo, "clockAccuracy",
					    json_integer(f->q.clock_accuracy));
			json_object_set_new(
			    fo, "offsetScaledLogVariance",
			    json_integer(f->q.offset_scaled_log_variance));
			json_object_set_new(fo, "priority2",
					    json_integer(f->p2));
			json_object_set_new(fo, "stepsRemoved",
					    json_integer(f->steps_removed));
			json_object_set_new(fo, "qualified",
					    json_boolean(f->qualified));
			json_array_append_new(fa, fo);
		}
		json_object_set_new(po, "foreignMasters", fa);
		json_array_append_new(ports, po);
	}
	json_object_set_new(o, "ports", ports);
	return o;
}

static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/* History as column arrays (what uPlot wants). */
static json_t *render_history(struct gn_metrics *m)
{
	json_t *o = json_object(), *t = json_array(), *off = json_array(),
	       *dl = json_array(), *fr = json_array(), *bd = json_array(),
	       *vc = json_array();
	struct msample *copy = malloc(sizeof(m->hist));
	unsigned i, n, h;

	if (!copy)
		return o;
	pthread_mutex_lock(&m->mu);
	n = m->hist_len;
	h = m->hist_head;
	for (i = 0; i < n; i++)
		copy[i] = m->hist[(h + i) % HISTORY_MAX];
	pthread_mutex_unlock(&m->mu);
	for (i = 0; i < n; i++) {
		json_array_append_new(t, json_real(copy[i].t_s));
		json_array_append_new(off, jnum(copy[i].offset_ns));
		json_array_append_new(dl, jnum(copy[i].delay_ns));
		json_array_append_new(fr, jnum(copy[i].freq_ppb));
		json_array_append_new(bd, jnum(copy[i].bound_ns));
		json_array_append_new(vc, jnum(copy[i].vclock_ns));
	}
	free(copy);
	json_object_set_new(o, "t", t);
	json_object_set_new(o, "offset_ns", off);
	json_object_set_new(o, "path_delay_ns", dl);
	json_object_set_new(o, "frequency_ppb", fr);
	json_object_set_new(o, "error_bound_ns", bd);
	json_object_set_new(o, "vclock_offset_ns", vc);
	return o;
}

static json_t *render_events(struct gn_metrics *m, uint64_t since)
{
	json_t *a = json_array();
	struct mevent *copy = malloc(sizeof(m->ev));
	uint64_t last, first, s;

	if (!copy)
		return a;
	pthread_mutex_lock(&m->mu);
	memcpy(copy, m->ev, sizeof(m->ev));
	last = m->ev_seq;
	pthread_mutex_unlock(&m->mu);
	first = last > EVENTS_MAX ? last - EVENTS_MAX + 1 : 1;
	if (since + 1 > first)
		first = since + 1;
	for (s = first; s <= last; s++) {
		const struct mevent *e = &copy[(s - 1) % EVENTS_MAX];
		json_t *o = json_object();

		json_object_set_new(o, "seq", json_integer((json_int_t)e->seq));
		json_object_set_new(o, "time", json_real(e->t_s));
		json_object_set_new(o, "level",
				    json_string(level_name(e->level)));
		json_object_set_new(o, "message", json_string(e->text));
		json_array_append_new(a, o);
	}
	free(copy);
	return a;
}

static enum MHD_Result respond(struct MHD_Connection *conn, unsigned code,
			       const char *type, void *data, size_t len,
			       enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r =
	    MHD_create_response_from_buffer(len, data, mode);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	ret = MHD_queue_response(conn, code, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result respond_json(struct MHD_Connection *conn, json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

	json_decref(o);
	if (!s)
		return MHD_NO;
	return respond(conn, MHD_HTTP_OK, "application/json", s, strlen(s),
		       MHD_RESPMEM_MUST_FREE);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct gn_metrics *m = cls;
	const struct gn_web_asset *a;
	static const char not_found[] = "not found\n";
	static const char bad_method[] = "method not allowed\n";

	(void)version;
	(void)upload;
	(void)upload_size;
	(void)con_cls;
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return respond(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain",
			       (void *)bad_method, sizeof(bad_method) - 1,
			       MHD_RESPMEM_PERSISTENT);
	if (!strcmp(url, "/metrics")) {
		struct msnap *s = snap_copy(m);
		struct buf b = {0};

		if (!s)
			return MHD_NO;
		render_metrics(s, &b);
		free(s);
		if (b.oom) {
			free(b.p);
			return MHD_NO;
		}
		return respond(conn, MHD_HTTP_OK,
			       "text/plain; version=0.0.4; charset=utf-8", b.p,
			       b.len, MHD_RESPMEM_MUST_FREE);
	}
	if (!strcmp(url, "/api/state")) {
		struct msnap *s = snap_copy(m);
		json_t *o;

		if (!s)
			return MHD_NO;
		o = render_state(s);
		free(s);
		return respond_json(conn, o);
	}
	if (!strcmp(url, "/api/history"))
		return respond_json(conn, render_history(m));
	if (!strcmp(url, "/api/events")) {
		const char *since = MHD_lookup_connection_value(
		    conn, MHD_GET_ARGUMENT_KIND, "since");

		return respond_json(
		    conn,
		    render_events(m, since ? strtoull(since, NULL, 10) : 0));
	}
	a = gn_web_asset_find(!strcmp(url, "/") ? "/index.html" : url);
	if (a)
		return respond(conn, MHD_HTTP_OK, a->type, (void *)a->data,
			       a->len, MHD_RESPMEM_PERSISTENT);
	return respond(conn, MHD_HTTP_NOT_FOUND, "text/plain",
		       (void *)not_found, sizeof(not_found) - 1,
		       MHD_RESPMEM_PERSISTENT);
}

/* ---- start and stop ---- */

static int open_json_log(struct gn_metrics *m, const char *path, char *err,
			 size_t errlen)
{
	m->json_fd = -1;
	if (!path || !path[0])
		return 0;
	if (!strcmp(path, "-")) {
		m->json_fd = STDOUT_FILENO;
		return 0;
	}
	m->json_fd =
	    open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (m->json_fd < 0) {
		snprintf(err, errlen, "json_log %s: %s", path, strerror(errno));
		return -errno;
	}
	m->json_close = true;
	return 0;
}

static int start_http(struct gn_metrics *m, const char *address, int port,
		      char *err, size_t errlen)
{
	struct sockaddr_in6 a6;
	struct sockaddr_in a4;
	struct sockaddr *sa;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL;

	memset(&a4, 0, sizeof(a4));
	memset(&a6, 0, sizeof(a6));
	if (inet_pton(AF_INET, address, &a4.sin_addr) == 1) {
		a4.sin_family = AF_INET;
		a4.sin_port = htons((uint16_t)port);
		sa = (struct sockaddr *)&a4;
	} else if (inet_pton(AF_INET6, address, &a6.sin6_addr) == 1) {
		a6.sin6_family = AF_INET6;
		a6.sin6_port = htons((uint16_t)port);
		sa = (struct sockaddr *)&a6;
		flags |= MHD_USE_IPv6;
	} else {
		snprintf(err, errlen,
			 "metrics_address '%s': not an IPv4 or IPv6 address",
			 address);
		return -EINVAL;
	}
	m->mhd = MHD_start_daemon(
	    flags, (uint16_t)port, NULL, NULL, on_request, m,
	    MHD_OPTION_SOCK_ADDR, sa, MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned)MAX_CONN, MHD_OPTION_CONNECTION_TIMEOUT, 10u,
	    MHD_OPTION_END);
	if (!m->mhd) {
		snprintf(err, errlen,
			 "metrics: cannot listen on %s port %d (in use?)",
			 address, port);
		return -EADDRINUSE;
	}
	return 0;
}

struct gn_metrics *gn_metrics_start(const struct gn_config *cfg, char *err,
				    size_t errlen)
{
	int port = (int)gn_config_get_int(cfg, NULL, "metrics_port");
	const char *json = gn_config_get_string(cfg, NULL, "json_log");
	struct gn_metrics *m;
	unsigned n = gn_config_num_interfaces(cfg);

	if (errlen)
		err[0] = '\0';
	if (port == 0 && (!json || !json[0]))
		return NULL;
	m = calloc(1, sizeof(*m));
	if (!m) {
		snprintf(err, errlen, "metrics: out of memory");
		return NULL;
	}
	m->nports = n;
	m->snap = calloc(1, snap_size(n));
	if (!m->snap) {
		free(m);
		snprintf(err, errlen, "metrics: out of memory");
		return NULL;
	}
	m->snap->error_bound_ns = -1;
	m->snap->slave_port = -1;
	pthread_mutex_init(&m->mu, NULL);
	if (open_json_log(m, json, err, errlen) < 0 ||
	    (port &&
	     start_http(m, gn_config_get_string(cfg, NULL, "metrics_address"),
			port, err, errlen) < 0)) {
		gn_metrics_stop(m);
		return NULL;
	}
	return m;
}

void gn_metrics_stop(struct gn_metrics *m)
{
	if (!m)
		return;
	if (m->mhd)
		MHD_stop_daemon(m->mhd);
	if (m->json_close && m->json_fd >= 0)
		close(m->json_fd);
	pthread_mutex_destroy(&m->mu);
	free(m->snap);
	free(m);
}

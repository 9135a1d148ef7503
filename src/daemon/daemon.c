/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemon.c - gnomond's wiring: hosts the sans-IO core on Linux. It turns
 * sockets, time stamps, timerfds, netlink and management requests into
 * core calls, and the core's env calls into socket sends, timers and
 * clock adjustments. No protocol logic lives here.
 *
 * One thread, one poll(2) loop (so clknetsim can run it unchanged).
 * Transmit time stamps are fetched right after each send, as ptp4l
 * does, and handed to the core once the call that sent returns (the
 * core is not re-entered from inside its own env calls).
 */
#include "daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/random.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "metrics.h"
#include "mgmt.h"
#include "publish.h"
#include "tlv.h"
#include "wire.h"
#include "discipline.h"

#define RX_BUF 1500
/* One message per readiness, as ptp4l: poll() reports the socket again
 * at once if more is queued (and clknetsim requires it). */
#define RX_PER_WAKE 1

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return gn_timespec_ns(&ts);
}

/* A non-blocking CLOCK_MONOTONIC timerfd, close-on-exec set afterwards
 * (clknetsim accepts no other flag than TFD_NONBLOCK). */
static int timerfd_mono(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);

	if (fd >= 0)
		(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	return fd;
}

/* The protocol's random seed: getrandom() (which simulators provide,
 * so their runs repeat), else time and pid. */
static uint64_t daemon_seed(void)
{
	uint64_t seed;

	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) ==
	    (ssize_t)sizeof(seed))
		return seed;
	return (uint64_t)mono_ns() ^ ((uint64_t)getpid() << 32);
}

/* ---- env: what the core calls ---- */

/* A software stamp (CLOCK_REALTIME) or hardware stamp (PHC) into the
 * time base of the clock the core runs on. */
static int64_t daemon_map_ts(struct gn_daemon *d, const struct timespec *ts)
{
	int64_t ns = gn_timespec_ns(ts);

	if (!d->hw_ts && d->pclk.kind == GN_PCLOCK_VIRTUAL)
		return gn_pclock_from_realtime(&d->pclk, ns);
	return ns;
}

static void txq_push(struct gn_daemon *d, unsigned port, uint8_t type,
		     uint16_t seq, int64_t ts_ns)
{
	if (d->txq_len >= GN_TXQ_MAX) {
		pr_err("transmit time stamp queue overflow, stamp dropped");
		return;
	}
	d->txq[d->txq_len++] = (struct gn_txq_entry){
	    .port = port, .msg_type = type, .seq = seq, .ts_ns = ts_ns};
}

static int env_send(void *ctx, unsigned port, const uint8_t *frame, size_t len,
		    const struct gn_tx_meta *meta)
{
	struct gn_daemon *d = ctx;
	struct gn_dport *dp;
	struct timespec ts;
	ssize_t n;
	int err;

	if (port >= d->nports)
		return -EINVAL;
	dp = &d->dp[port];
	if (!dp->open)
		return -ENOTCONN;
	n = gn_transport_send(&dp->tr, meta->event,
			      meta->dest == GN_DEST_PDELAY, frame, len);
	if (n < 0) {
		pr_err("port %u (%s): send %s failed: %s", port + 1,
		       dp->tr.cfg.ifname, gn_msg_type_str(meta->msg_type),
		       strerror((int)-n));
		return (int)n;
	}
	if (!meta->want_tx_ts)
		return 0;
	err = gn_transport_tx_timestamp(&dp->tr, meta->msg_type,
					meta->sequence_id, d->tx_ts_timeout_ms,
					&ts);
	if (err == 0) {
		txq_push(d, port, meta->msg_type, meta->sequence_id,
			 daemon_map_ts(d, &ts));
	} else {
		if (err != -ETIMEDOUT)
			pr_err("port %u (%s): tx time stamp: %s", port + 1,
			       dp->tr.cfg.ifname, strerror(-err));
		/* The core logs "timed out while polling for tx
		 * timestamp" and faults the port, which recovers after
		 * fault_reset_interval. */
		txq_push(d, port, meta->msg_type, meta->sequence_id,
			 GN_NO_TIMESTAMP);
	}
	return 0;
}

static void env_timer_arm(void *ctx, unsigned port, enum gn_timer_kind kind,
			  int64_t delay_ns)
{
	struct gn_daemon *d = ctx;
	struct itimerspec its;

	if (port >= d->nports || (unsigned)kind >= GN_TMR_COUNT)
		return;
	if (delay_ns < 1)
		delay_ns = 1; /* 0 would disarm */
	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = (time_t)(delay_ns / 1000000000);
	its.it_value.tv_nsec = (long)(delay_ns % 1000000000);
	if (timerfd_settime(d->dp[port].tfd[kind], 0, &its, NULL) < 0)
		pr_err("timerfd_settime: %s", strerror(errno));
}

static void env_timer_cancel(void *ctx, unsigned port, enum gn_timer_kind kind)
{
	struct gn_daemon *d = ctx;
	struct itimerspec its;

	if (port >= d->nports || (unsigned)kind >= GN_TMR_COUNT)
		return;
	memset(&its, 0, sizeof(its));
	timerfd_settime(d->dp[port].tfd[kind], 0, &its, NULL);
}

static int64_t env_clock_now(void *ctx)
{
	struct gn_daemon *d = ctx;

	return gn_pclock_now(&d->pclk);
}

static int env_clock_adjfreq(void *ctx, double ppb)
{
	struct gn_daemon *d = ctx;
	int err;

	if (d->free_running)
		return 0;
	err = gn_pclock_adjfreq(&d->pclk, ppb);
	if (!err)
		gn_clockcheck_set_freq(&d->check, ppb);
	if (err)
		pr_err("clock frequency adjustment failed: %s", strerror(-err));
	return err;
}

static int env_clock_step(void *ctx, int64_t delta_ns)
{
	struct gn_daemon *d = ctx;
	int err;

	if (d->free_running)
		return 0;
	err = gn_pclock_step(&d->pclk, delta_ns);
	if (!err)
		gn_clockcheck_step(&d->check, delta_ns);
	if (err)
		pr_err("clock step failed: %s", strerror(-err));
	return err;
}

/* The core arms or disarms a leap second (kernel_leap: the kernel plays
 * it on the system clock; a virtual clock plays it itself). */
static int env_clock_set_leap(void *ctx, int leap)
{
	struct gn_daemon *d = ctx;
	int err;

	if (d->free_running)
		return 0;
	err = gn_pclock_set_leap(&d->pclk, leap, d->kernel_leap);
	if (err)
		pr_err("leap second: %s", strerror(-err));
	else if (leap)
		pr_notice("leap second %s armed for midnight UTC",
			  leap > 0 ? "insertion" : "deletion");
	return err;
}

/* The PI servo's own constants, set with another servo: said, not
 * silently ignored (ptp4l's default servo is PI, gnomond's Kalman). */
static void note_pi_options(const struct gn_config *cfg,
			    const struct gn_servo_config *sc)
{
	static const char *const pi_only[] = {
	    "pi_proportional_const",	"pi_integral_const",
	    "pi_proportional_scale",	"pi_proportional_exponent",
	    "pi_proportional_norm_max", "pi_integral_scale",
	    "pi_integral_exponent",	"pi_integral_norm_max",
	};
	unsigned i;

	if (sc->type == GN_SERVO_PI)
		return;
	for (i = 0; i < sizeof(pi_only) / sizeof(pi_only[0]); i++)
		if (gn_config_is_set(cfg, NULL, pi_only[i]))
			gn_logf(GN_LOG_NOTICE,
				"%s has no effect with clock_servo %s (PI "
				"servo only; clock_servo pi gives ptp4l's "
				"servo)",
				pi_only[i], gn_servo_type_str(sc->type));
}

/* ptp4l's clockcheck, asked by the core before each servo sample. */
static bool env_clock_check(void *ctx)
{
	struct gn_daemon *d = ctx;
	enum gn_clockcheck_result r =
	    gn_clockcheck_sample(&d->check, gn_pclock_now(&d->pclk), mono_ns());

	if (r == GN_CLOCKCHECK_OK)
		return true;
	pr_warning("%s", gn_clockcheck_str(r));
	gn_clockcheck_reset(&d->check);
	return false;
}

__attribute__((format(printf, 3, 0))) static void
env_vlog(void *ctx, enum gn_log_level level, const char *fmt, va_list ap)
{
	(void)ctx;
	gn_vlogf((int)level, fmt, ap);
}

static void daemon_vclock_report(struct gn_daemon *d, int level);
static void daemon_notify_subscribers(struct gn_daemon *d, unsigned port);

static void env_notify(void *ctx, const struct gn_notice *n)
{
	struct gn_daemon *d = ctx;

	switch (n->kind) {
	case GN_NOTICE_PORT_STATE:
		if (n->port < d->nports)
			gn_discipline_port_state(
			    d->disc, n->port, d->pcfg[n->port].name,
			    d->pcfg[n->port].phc_index,
			    (enum gn_port_state)n->new_state);
		daemon_notify_subscribers(d, n->port);
		gn_publish_update(d->pub, &d->clock, &d->pclk,
				  GN_PUBLISH_STATE);
		break;
	case GN_NOTICE_SYNC_SAMPLE:
		if (d->pclk.kind == GN_PCLOCK_VIRTUAL &&
		    gn_log_enabled(GN_LOG_DEBUG))
			daemon_vclock_report(d, GN_LOG_DEBUG);
		gn_publish_update(d->pub, &d->clock, &d->pclk,
				  GN_PUBLISH_SERVO);
		break;
	case GN_NOTICE_PARENT_CHANGED:
		gn_publish_update(d->pub, &d->clock, &d->pclk,
				  GN_PUBLISH_PARENT);
		break;
	}
}

/* Hands queued transmit stamps to the core; delivering one may send
 * (and queue) more, so loop until the queue is empty. */
static void daemon_drain_txq(struct gn_daemon *d)
{
	unsigned guard = 0;

	while (d->txq_len > 0 && guard++ < 64) {
		struct gn_txq_entry e = d->txq[0];

		memmove(&d->txq[0], &d->txq[1],
			(d->txq_len - 1) * sizeof(d->txq[0]));
		d->txq_len--;
		if (e.ts_ns == GN_NO_TIMESTAMP)
			gn_clock_tx_timestamp_missing(&d->clock, e.port,
						      e.msg_type, e.seq);
		else
			gn_clock_tx_timestamp(&d->clock, e.port, e.msg_type,
					      e.seq, e.ts_ns);
	}
}

/* After every call into the core: pending transmit stamps, then the
 * monitoring snapshot. */
static void daemon_after_core(struct gn_daemon *d)
{
	daemon_drain_txq(d);
	gn_metrics_update(d->met, &d->clock, &d->pclk);
}

/* ---- the virtual clock's truth ---- */

static void daemon_vclock_report(struct gn_daemon *d, int level)
{
	int64_t off, width;

	if (gn_pclock_offset_from_realtime(&d->pclk, 5, &off, &width) < 0)
		return;
	d->last_vclock_offset_ns = off;
	d->have_vclock_offset = true;
	gn_logf(level, "vclock offset from CLOCK_REALTIME %" PRId64 " ns", off);
}

/* ---- management ---- */

struct mgmt_ctx {
	struct gn_daemon *d;
	struct gn_uds *uds;
	const struct gn_uds_addr *to;
};

static void mgmt_reply(void *ctx, const uint8_t *frame, size_t len)
{
	struct mgmt_ctx *m = ctx;
	int err = gn_uds_send(m->uds, frame, len, m->to);

	if (err)
		pr_debug("uds: reply not sent: %s", strerror(-err));
}

/* Builds a management message from the clock to `target` carrying one
 * management TLV. Returns its length or a negative errno. */
static int mgmt_build(struct gn_daemon *d, const struct gn_msg *req,
		      uint8_t action, uint16_t id, const uint8_t *data,
		      size_t data_len, uint8_t *frame, size_t cap)
{
	uint8_t value[GN_MAX_MSG_LEN];
	struct gn_tlv_mgmt t = {
	    .id = id, .data_len = (uint16_t)data_len, .data = data};
	struct gn_msg m;
	int vlen;

	memset(&m, 0, sizeof(m));
	gn_header_init(&m.h, GN_MSG_MANAGEMENT);
	m.h.domain = d->clock.dds.domain;
	m.h.source.clock = d->clock.dds.identity;
	m.h.source.port = 0;
	if (req) {
		m.h.sdo_major = req->h.sdo_major;
		m.h.minor_version = req->h.minor_version;
		m.h.sequence_id = req->h.sequence_id;
		m.body.mgmt.target = req->h.source;
		m.body.mgmt.starting_boundary_hops =
		    (uint8_t)(req->body.mgmt.starting_boundary_hops -
			      req->body.mgmt.boundary_hops);
	} else {
		m.h.sequence_id = d->notify_seq++;
		memset(&m.body.mgmt.target, 0xff, sizeof(m.body.mgmt.target));
	}
	m.body.mgmt.boundary_hops = m.body.mgmt.starting_boundary_hops;
	m.body.mgmt.action = action;
	vlen = gn_tlv_mgmt_encode(&t, value, sizeof(value));
	if (vlen < 0)
		return vlen;
	m.tlv[0].type = GN_TLV_MANAGEMENT;
	m.tlv[0].length = (uint16_t)vlen;
	m.tlv[0].value = value;
	m.ntlv = 1;
	return gn_msg_serialize(&m, frame, cap);
}

static struct gn_subscriber *sub_find(struct gn_daemon *d,
				      const struct gn_uds_addr *a, bool add)
{
	struct gn_subscriber *free_slot = NULL, *oldest = NULL;
	unsigned i;

	for (i = 0; i < GN_MAX_SUBSCRIBERS; i++) {
		struct gn_subscriber *s = &d->subs[i];

		if (s->used && gn_uds_addr_equal(&s->addr, a))
			return s;
		if (!s->used && !free_slot)
			free_slot = s;
		if (s->used && (!oldest || s->expiry_ns < oldest->expiry_ns))
			oldest = s;
	}
	if (!add)
		return NULL;
	return free_slot ? free_slot : oldest;
}

/* SUBSCRIBE_EVENTS_NP is per client, so the host answers it. */
static void mgmt_subscribe(struct gn_daemon *d, struct gn_uds *u,
			   const struct gn_uds_addr *from,
			   const struct gn_msg *req,
			   const struct gn_tlv_mgmt *t, const uint8_t *raw,
			   size_t raw_len)
{
	union gn_mgmt_data data;
	uint8_t out[GN_MAX_MSG_LEN], enc[128];
	struct gn_subscriber *s;
	uint8_t action = req->body.mgmt.action;
	int len, elen;

	memset(&data, 0, sizeof(data));
	if (action == GN_MGMT_SET) {
		if (u->read_only || gn_mgmt_decode(t->id, t->data, t->data_len,
						   &data, NULL) < 0)
			goto refuse;
		s = sub_find(d, from, data.subscribe_events.duration_s != 0);
		if (s && data.subscribe_events.duration_s) {
			s->used = true;
			s->addr = *from;
			memcpy(s->bitmask, data.subscribe_events.bitmask,
			       sizeof(s->bitmask));
			s->expiry_ns =
			    mono_ns() +
			    (int64_t)data.subscribe_events.duration_s *
				1000000000;
		} else if (s) {
			s->used = false;
		}
	} else if (action == GN_MGMT_GET && u->read_only) {
		/* linuxptp answers this GET on its read-write socket only;
		 * elsewhere with an empty dataField ("empty-tlv" in pmc). */
		len = mgmt_build(d, req, GN_MGMT_RESPONSE, t->id, enc, 0, out,
				 sizeof(out));
		if (len > 0)
			gn_uds_send(u, out, (size_t)len, from);
		return;
	} else if (action == GN_MGMT_GET) {
		s = sub_find(d, from, false);
		if (s) {
			int64_t left = (s->expiry_ns - mono_ns()) / 1000000000;

			data.subscribe_events.duration_s =
			    (uint16_t)(left < 0 ? 0 : left);
			memcpy(data.subscribe_events.bitmask, s->bitmask,
			       sizeof(s->bitmask));
		}
	} else {
		goto refuse;
	}
	elen = gn_mgmt_encode(t->id, &data, enc, sizeof(enc));
	if (elen < 0)
		return;
	len = mgmt_build(d, req, GN_MGMT_RESPONSE, t->id, enc, (size_t)elen,
			 out, sizeof(out));
	if (len > 0)
		gn_uds_send(u, out, (size_t)len, from);
	return;
refuse:;
	/* Let the core produce the standard error reply (NOT_SETABLE
	 * for a read-only socket, WRONG_LENGTH ...). */
	struct mgmt_ctx mc = {.d = d, .uds = u, .to = from};

	gn_clock_management(&d->clock, raw, raw_len, u->read_only, mgmt_reply,
			    &mc);
}

static void put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

static void mgmt_vclock(struct gn_daemon *d, struct gn_uds *u,
			const struct gn_uds_addr *from,
			const struct gn_msg *req)
{
	uint8_t out[GN_MAX_MSG_LEN], data[16];
	int64_t off = 0, width = 0;
	int len;

	if (d->pclk.kind == GN_PCLOCK_VIRTUAL)
		gn_pclock_offset_from_realtime(&d->pclk, 5, &off, &width);
	else
		width = -1; /* not a virtual clock */
	put_be64(data, (uint64_t)off);
	put_be64(data + 8, (uint64_t)width);
	len = mgmt_build(d, req, GN_MGMT_RESPONSE, GN_MGMT_VCLOCK_OFFSET_NP,
			 data, sizeof(data), out, sizeof(out));
	if (len > 0)
		gn_uds_send(u, out, (size_t)len, from);
}

static void daemon_uds_rx(struct gn_daemon *d, struct gn_uds *u)
{
	uint8_t buf[GN_MAX_MSG_LEN];
	struct gn_uds_addr from;
	struct gn_tlv_mgmt t;
	struct gn_msg m;
	ssize_t n;

	n = gn_uds_recv(u, buf, sizeof(buf), &from);
	if (n <= 0)
		return;
	if (gn_msg_parse(buf, (size_t)n, &m) == GN_WIRE_OK &&
	    m.h.type == GN_MSG_MANAGEMENT && m.ntlv >= 1 &&
	    m.tlv[0].type == GN_TLV_MANAGEMENT &&
	    gn_tlv_mgmt_decode(&m.tlv[0], &t, NULL) == 0 &&
	    m.h.domain == d->clock.dds.domain) {
		if (t.id == GN_MGMT_SUBSCRIBE_EVENTS_NP &&
		    m.body.mgmt.action <= GN_MGMT_SET) {
			mgmt_subscribe(d, u, &from, &m, &t, buf, (size_t)n);
			return;
		}
		if (t.id == GN_MGMT_VCLOCK_OFFSET_NP &&
		    m.body.mgmt.action == GN_MGMT_GET) {
			mgmt_vclock(d, u, &from, &m);
			return;
		}
	}
	struct mgmt_ctx mc = {.d = d, .uds = u, .to = &from};
	d->last_client = from;
	d->last_client_uds = u;
	int r = gn_mgmt_local(&d->clock, &d->mh, buf, (size_t)n, u->read_only,
			      mgmt_reply, &mc);
	if (r < 0)
		pr_debug("uds: bad management message (%zd bytes)", n);
	daemon_after_core(d);
}

/* Port state changes go to subscribers as PORT_DATA_SET responses,
 * which the core builds when asked for them. */
static void daemon_notify_subscribers(struct gn_daemon *d, unsigned port)
{
	uint8_t req[GN_MAX_MSG_LEN];
	struct gn_msg m;
	int64_t now = mono_ns();
	unsigned i;
	int len;

	memset(&m, 0, sizeof(m));
	gn_header_init(&m.h, GN_MSG_MANAGEMENT);
	m.h.domain = d->clock.dds.domain;
	m.h.sequence_id = d->notify_seq++;
	m.body.mgmt.target.clock = d->clock.dds.identity;
	m.body.mgmt.target.port = (uint16_t)(port + 1);
	m.body.mgmt.action = GN_MGMT_GET;
	struct gn_tlv_mgmt t = {.id = GN_MGMT_PORT_DATA_SET};
	uint8_t value[8];
	int vlen = gn_tlv_mgmt_encode(&t, value, sizeof(value));

	if (vlen < 0)
		return;
	m.tlv[0].type = GN_TLV_MANAGEMENT;
	m.tlv[0].length = (uint16_t)vlen;
	m.tlv[0].value = value;
	m.ntlv = 1;
	len = gn_msg_serialize(&m, req, sizeof(req));
	if (len <= 0)
		return;
	for (i = 0; i < GN_MAX_SUBSCRIBERS; i++) {
		struct gn_subscriber *s = &d->subs[i];

		if (!s->used)
			continue;
		if (s->expiry_ns <= now) {
			s->used = false;
			continue;
		}
		if (!(s->bitmask[GN_NOTIFY_PORT_STATE / 8] &
		      (1u << (GN_NOTIFY_PORT_STATE % 8))))
			continue;
		struct mgmt_ctx mc = {.d = d, .uds = &d->uds, .to = &s->addr};

		gn_clock_management(&d->clock, req, (size_t)len, true,
				    mgmt_reply, &mc);
	}
}

/* Log lines also go to the monitoring event log. */
static void daemon_log_hook(void *ctx, int level, const char *line)
{
	struct gn_daemon *d = ctx;

	gn_metrics_event(d->met, level, line);
}

/* ---- set-up ---- */

/* "aa:bb:cc" -> 3 octets; the option parser has checked the format. */
static void parse_oui(const char *s, uint8_t oui[3])
{
	unsigned v[3] = {0, 0, 0};

	if (sscanf(s, "%x:%x:%x", &v[0], &v[1], &v[2]) == 3)
		for (int i = 0; i < 3; i++)
			oui[i] = (uint8_t)v[i];
}

/* The interface's first address of the port's family (for
 * CLOCK_DESCRIPTION's protocolAddress). */
static void port_address(struct gn_mgmt_port_address *pa,
			 const struct gn_transport *t)
{
	struct ifaddrs *ifa, *i;
	int family = t->cfg.transport == GN_NET_UDPV6 ? AF_INET6 : AF_INET;

	memset(pa, 0, sizeof(*pa));
	pa->physical_address_len = 6;
	memcpy(pa->physical_address, t->mac, 6);
	switch (t->cfg.transport) {
	case GN_NET_L2:
		pa->network_protocol = GN_NET_PROTO_802_3;
		pa->protocol_address_len = 6;
		memcpy(pa->protocol_address, t->mac, 6);
		return;
	case GN_NET_UDPV6:
		pa->network_protocol = GN_NET_PROTO_UDP_IPV6;
		break;
	default:
		pa->network_protocol = GN_NET_PROTO_UDP_IPV4;
		break;
	}
	if (getifaddrs(&ifa) < 0)
		return;
	for (i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != family ||
		    strcmp(i->ifa_name, t->cfg.ifname) != 0)
			continue;
		if (family == AF_INET) {
			const struct sockaddr_in *sin =
			    (const struct sockaddr_in *)i->ifa_addr;
			pa->protocol_address_len = 4;
			memcpy(pa->protocol_address, &sin->sin_addr, 4);
		} else {
			const struct sockaddr_in6 *sin6 =
			    (const struct sockaddr_in6 *)i->ifa_addr;
			pa->protocol_address_len = 16;
			memcpy(pa->protocol_address, &sin6->sin6_addr, 16);
		}
		break;
	}
	freeifaddrs(ifa);
}

static void daemon_mgmt_host(struct gn_daemon *d)
{
	const struct gn_config *cfg = d->cfg;
	unsigned i;

	gn_mgmt_host_init(&d->mh);
	parse_oui(gn_config_get_string(cfg, NULL, "manufacturerIdentity"),
		  d->mh.manufacturer_identity);
	gn_mgmt_text_set(&d->mh.product_description,
			 gn_config_get_string(cfg, NULL, "productDescription"));
	gn_mgmt_text_set(&d->mh.revision_data,
			 gn_config_get_string(cfg, NULL, "revisionData"));
	gn_mgmt_text_set(&d->mh.user_description,
			 gn_config_get_string(cfg, NULL, "userDescription"));
	d->mh.network_access = (enum gn_mgmt_access)gn_config_get_int(
	    cfg, NULL, "network_management");
	d->paddr = calloc(d->nports, sizeof(*d->paddr));
	if (d->paddr) {
		for (i = 0; i < d->nports; i++)
			port_address(&d->paddr[i], &d->dp[i].tr);
		d->mh.port_address = d->paddr;
	}
}

static void copy_name(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src);
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4],
		   &v[5]) != 6)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		if (v[i] > 0xff)
			return -EINVAL;
		mac[i] = (uint8_t)v[i];
	}
	return 0;
}

static int daemon_transport_config(struct gn_daemon *d, const char *ifname,
				   struct gn_transport_config *tc, char *err,
				   size_t errlen)
{
	const struct gn_config *cfg = d->cfg;

	gn_transport_config_default(tc);
	copy_name(tc->ifname, sizeof(tc->ifname), ifname);
	switch (gn_config_get_int(cfg, ifname, "network_transport")) {
	case GN_CFG_UDPV6:
		tc->transport = GN_NET_UDPV6;
		break;
	case GN_CFG_L2:
		tc->transport = GN_NET_L2;
		break;
	default:
		tc->transport = GN_NET_UDPV4;
		break;
	}
	switch (gn_config_get_int(cfg, NULL, "time_stamping")) {
	case GN_CFG_TS_HARDWARE:
		tc->ts_mode = GN_TS_HARDWARE;
		break;
	case GN_CFG_TS_LEGACY_HW:
		tc->ts_mode = GN_TS_LEGACY_HW;
		break;
	case GN_CFG_TS_SOFTWARE:
		tc->ts_mode = GN_TS_SOFTWARE;
		break;
	default:
		snprintf(err, errlen, "time_stamping mode not supported yet");
		return -EOPNOTSUPP;
	}
	tc->hwts_filter =
	    (enum gn_hwts_filter)gn_config_get_int(cfg, NULL, "hwts_filter");
	tc->p2p =
	    gn_config_get_int(cfg, ifname, "delay_mechanism") == GN_CFG_DM_P2P;
	tc->udp_ttl = (int)gn_config_get_int(cfg, ifname, "udp_ttl");
	tc->dscp_event = (int)gn_config_get_int(cfg, NULL, "dscp_event");
	tc->dscp_general = (int)gn_config_get_int(cfg, NULL, "dscp_general");
	tc->udp6_scope = (int)gn_config_get_int(cfg, ifname, "udp6_scope");
	tc->socket_priority =
	    (int)gn_config_get_int(cfg, NULL, "socket_priority");
	if (parse_mac(gn_config_get_string(cfg, ifname, "ptp_dst_mac"),
		      tc->ptp_dst_mac) < 0 ||
	    parse_mac(gn_config_get_string(cfg, ifname, "p2p_dst_mac"),
		      tc->p2p_dst_mac) < 0) {
		snprintf(err, errlen, "%s: bad ptp_dst_mac or p2p_dst_mac",
			 ifname);
		return -EINVAL;
	}
	return 0;
}

static int daemon_open_clock(struct gn_daemon *d, int phc_index, char *err,
			     size_t errlen)
{
	const struct gn_config *cfg = d->cfg;
	int64_t target = gn_config_get_int(cfg, NULL, "clock_target");
	int rc;

	if (target == GN_CFG_TARGET_AUTO)
		target = d->hw_ts ? GN_CFG_TARGET_PHC : GN_CFG_TARGET_SYSTEM;
	if (d->hw_ts && target != GN_CFG_TARGET_PHC) {
		snprintf(err, errlen,
			 "clock_target %s needs software time stamping "
			 "(hardware stamps are in the PHC's time)",
			 target == GN_CFG_TARGET_SYSTEM ? "system" : "virtual");
		return -EINVAL;
	}
	switch (target) {
	case GN_CFG_TARGET_PHC:
		if (phc_index < 0) {
			snprintf(err, errlen,
				 "clock_target phc: the interface has no PTP "
				 "hardware clock");
			return -ENODEV;
		}
		rc = gn_pclock_open_phc(&d->pclk, NULL, phc_index, err, errlen);
		break;
	case GN_CFG_TARGET_VIRTUAL:
		rc = gn_pclock_open_virtual(
		    &d->pclk,
		    gn_config_get_int(cfg, NULL, "virtual_clock_offset"),
		    gn_config_get_double(cfg, NULL, "virtual_clock_freq"));
		if (rc)
			snprintf(err, errlen, "virtual clock: %s",
				 strerror(-rc));
		break;
	default:
		rc = gn_pclock_open_system(&d->pclk);
		if (rc)
			snprintf(err, errlen, "system clock: %s",
				 strerror(-rc));
		break;
	}
	if (rc == 0)
		d->pclk_open = true;
	return rc;
}

/* The discipline logs through the daemon's logger. */
__attribute__((format(printf, 3, 0))) static void
disc_vlog(void *ctx, int level, const char *fmt, va_list ap)
{
	(void)ctx;
	gn_vlogf(level, fmt, ap);
}

int gn_daemon_init(struct gn_daemon *d, struct gn_config *cfg, char *err,
		   size_t errlen)
{
	struct gn_clock_config cc;
	unsigned i, k, n = gn_config_num_interfaces(cfg);
	int phc_index = -1, rc;
	uint8_t mac[6];

	memset(d, 0, sizeof(*d));
	d->cfg = cfg;
	d->uds.fd = d->uds_ro.fd = -1;
	d->summary_tfd = -1;
	d->tick_tfd = -1;
	d->lm.fd = -1;
	if (n == 0) {
		snprintf(err, errlen, "no interface specified");
		return -EINVAL;
	}
	d->nports = n;
	d->ports = calloc(n, sizeof(*d->ports));
	d->pcfg = calloc(n, sizeof(*d->pcfg));
	d->dp = calloc(n, sizeof(*d->dp));
	if (!d->ports || !d->pcfg || !d->dp) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		for (k = 0; k < GN_TMR_COUNT; k++)
			d->dp[i].tfd[k] = -1;

	rc = gn_config_clock(cfg, &cc, err, errlen);
	if (rc)
		return rc;
	note_pi_options(cfg, &cc.servo);
	d->free_running = cc.free_running;
	d->tx_ts_timeout_ms =
	    (int)gn_config_get_int(cfg, NULL, "tx_timestamp_timeout");
	d->hw_ts =
	    gn_config_get_int(cfg, NULL, "time_stamping") != GN_CFG_TS_SOFTWARE;
	cc.hw_stamping = d->hw_ts;
	cc.servo.hw_stamping = d->hw_ts;

	/* Ports: configuration, transports, timers. */
	for (i = 0; i < n; i++) {
		const char *ifname = gn_config_interface(cfg, i);
		struct gn_transport_config tc;
		unsigned caps = 0;
		int idx;

		rc = gn_config_port(cfg, ifname, &d->pcfg[i], err, errlen);
		if (rc)
			return rc;
		copy_name(d->pcfg[i].name, sizeof(d->pcfg[i].name), ifname);
		rc = daemon_transport_config(d, ifname, &tc, err, errlen);
		if (rc)
			return rc;
		idx = gn_interface_phc_index(ifname, &caps);
		if (d->hw_ts) {
			if (idx < -1) {
				snprintf(err, errlen,
					 "%s: time stamping capabilities "
					 "(ETHTOOL_GET_TS_INFO): %s",
					 ifname, strerror(-idx));
				return idx;
			}
			if (idx < 0) {
				snprintf(err, errlen,
					 "%s: no PTP hardware clock for "
					 "hardware time stamping",
					 ifname);
				return -ENODEV;
			}
			if (phc_index >= 0 && idx != phc_index) {
				snprintf(err, errlen,
					 "%s: PHC /dev/ptp%d differs from "
					 "/dev/ptp%d of the other ports",
					 ifname, idx, phc_index);
				return -EINVAL;
			}
			phc_index = idx;
		}
		d->pcfg[i].phc_index = d->hw_ts ? idx : -1;
		d->pcfg[i].timestamping =
		    (uint8_t)gn_config_get_int(cfg, NULL, "time_stamping");
		rc = gn_transport_open(&d->dp[i].tr, &tc, err, errlen);
		if (rc)
			return rc;
		d->dp[i].open = true;
		for (k = 0; k < GN_TMR_COUNT; k++) {
			d->dp[i].tfd[k] = timerfd_mono();
			if (d->dp[i].tfd[k] < 0) {
				rc = -errno;
				snprintf(err, errlen, "timerfd_create: %s",
					 strerror(errno));
				return rc;
			}
		}
	}

	static const struct gn_clock_identity zero_id;
	/* As ptp4l: an unset or all-zero clockIdentity comes from the
	 * first interface's MAC. */
	if (memcmp(&cc.identity, &zero_id, sizeof(zero_id)) == 0) {
		rc = gn_interface_mac(gn_config_interface(cfg, 0), mac);
		if (rc) {
			snprintf(err, errlen, "%s: no MAC address: %s",
				 gn_config_interface(cfg, 0), strerror(-rc));
			return rc;
		}
		gn_clock_identity_from_eui48(mac, &cc.identity);
	}

	/* phc_index (or -p /dev/ptpN) overrides the interface's PHC. */
	if (d->hw_ts && gn_config_is_set(cfg, NULL, "phc_index") &&
	    gn_config_get_int(cfg, NULL, "phc_index") >= 0)
		phc_index = (int)gn_config_get_int(cfg, NULL, "phc_index");
	rc = daemon_open_clock(d, phc_index, err, errlen);
	if (rc)
		return rc;
	/* Software stamps are CLOCK_REALTIME's: UTC. */
	cc.utc_timescale = d->pclk.kind != GN_PCLOCK_PHC;
	cc.initial_freq_ppb =
	    d->free_running ? 0.0 : gn_pclock_read_freq(&d->pclk);
	if (cc.servo.max_frequency_ppb <= 0 ||
	    cc.servo.max_frequency_ppb > d->pclk.max_adj_ppb)
		cc.servo.max_frequency_ppb = d->pclk.max_adj_ppb;

	d->env = (struct gn_env){
	    .ctx = d,
	    .send = env_send,
	    .timer_arm = env_timer_arm,
	    .timer_cancel = env_timer_cancel,
	    .clock_now = env_clock_now,
	    .clock_adjfreq = env_clock_adjfreq,
	    .clock_step = env_clock_step,
	    .clock_check = env_clock_check,
	    .clock_set_leap = env_clock_set_leap,
	    .vlog = env_vlog,
	    .notify = env_notify,
	};
	rc = gn_clock_init(&d->clock, &cc, d->ports, d->pcfg, n, &d->env,
			   daemon_seed());
	if (rc) {
		snprintf(err, errlen, "bad clock configuration");
		return rc;
	}

	daemon_mgmt_host(d);

	/* Management sockets. */
	rc =
	    gn_uds_open(&d->uds, gn_config_get_string(cfg, NULL, "uds_address"),
			(unsigned)gn_config_get_int(cfg, NULL, "uds_file_mode"),
			false, err, errlen);
	if (rc)
		return rc;
	const char *ro = gn_config_get_string(cfg, NULL, "uds_ro_address");
	if (ro && ro[0]) {
		rc = gn_uds_open(
		    &d->uds_ro, ro,
		    (unsigned)gn_config_get_int(cfg, NULL, "uds_ro_file_mode"),
		    true, err, errlen);
		if (rc)
			return rc;
	}

	/* Link monitoring; without it ports just stay up. */
	if (gn_linkmon_open(&d->lm) == 0)
		d->lm_open = true;
	else
		pr_warning("link monitoring unavailable; link changes will "
			   "not be noticed");

	gn_clockcheck_init(&d->check, (double)gn_config_get_int(
					  cfg, NULL, "sanity_freq_limit"));
	gn_clockcheck_set_freq(&d->check, cc.initial_freq_ppb);
	d->kernel_leap = gn_config_get_int(cfg, NULL, "kernel_leap") != 0;
	/* As ptp4l: no leap second left armed from an earlier run. */
	if (!d->free_running && d->pclk.kind == GN_PCLOCK_SYSTEM)
		gn_pclock_set_leap(&d->pclk, 0, d->kernel_leap);
	/* Samples come every Sync interval: with linuxptp's 1 s minimum
	 * a 1 Hz sample lands just under it half of the time and goes
	 * unchecked (an external step could reach the servo). */
	d->check.min_interval_ns = 500000000;

	/* Time service page and monitoring (disabled unless configured). */
	d->pub = gn_publish_open(cfg, err, errlen);
	if (!d->pub && err[0])
		return -EINVAL;
	d->met = gn_metrics_start(cfg, err, errlen);
	if (!d->met && err[0])
		return -EINVAL;
	gn_log_set_hook(daemon_log_hook, d);
	d->tick_tfd = timerfd_mono();
	if (d->tick_tfd >= 0) {
		struct itimerspec its = {.it_interval = {.tv_sec = 1},
					 .it_value = {.tv_sec = 1}};

		timerfd_settime(d->tick_tfd, 0, &its, NULL);
	}

	if (d->pclk.kind == GN_PCLOCK_VIRTUAL) {
		int si = (int)gn_config_get_int(cfg, NULL, "summary_interval");
		int64_t period =
		    si >= 0 ? (int64_t)1000000000 << (si > 20 ? 20 : si)
			    : (int64_t)1000000000 >> (si < -10 ? 10 : -si);
		struct itimerspec its = {
		    .it_interval = {.tv_sec = (time_t)(period / 1000000000),
				    .tv_nsec = (long)(period % 1000000000)},
		};

		its.it_value = its.it_interval;
		d->summary_tfd = timerfd_mono();
		if (d->summary_tfd >= 0)
			timerfd_settime(d->summary_tfd, 0, &its, NULL);
	}
	/* Discipline between local clocks (phc2sys -a); off unless
	 * configured. */
	d->disc = gn_discipline_open(cfg, disc_vlog, d, err, errlen);
	if (!d->disc && err[0])
		return -EINVAL;
	for (i = 0; i < n; i++)
		gn_discipline_port_state(d->disc, i, d->pcfg[i].name,
					 d->pcfg[i].phc_index,
					 d->ports[i].ds.state);
	return 0;
}

/* ---- the loop ---- */

enum pfd_kind {
	PFD_SOCK,
	PFD_TIMER,
	PFD_UDS,
	PFD_UDS_RO,
	PFD_LINK,
	PFD_SUMMARY,
	PFD_TICK,
	PFD_DISCIPLINE,
};

struct pfd_ref {
	enum pfd_kind kind;
	unsigned port, which;
};

static void daemon_rx(struct gn_daemon *d, unsigned port, enum gn_sock which)
{
	struct gn_dport *dp = &d->dp[port];
	uint8_t buf[RX_BUF];
	struct timespec ts;
	bool have_ts;
	int i;

	for (i = 0; i < RX_PER_WAKE; i++) {
		ssize_t n = gn_transport_recv(&dp->tr, which, buf, sizeof(buf),
					      &ts, &have_ts);
		if (n == -EAGAIN || n == -EWOULDBLOCK)
			return;
		if (n < 0) {
			pr_err("port %u (%s): recv: %s", port + 1,
			       dp->tr.cfg.ifname, strerror((int)-n));
			return;
		}
		if (n >= 1 && (buf[0] & 0x0f) == GN_MSG_MANAGEMENT) {
			/* Management from the network: answered as
			 * network_management allows; responses to our own
			 * forwarded requests go back to the local client. */
			if (gn_mgmt_port_rx(&d->clock, &d->mh, port, buf,
					    (size_t)n) == 1 &&
			    d->last_client_uds)
				gn_uds_send(d->last_client_uds, buf, (size_t)n,
					    &d->last_client);
			daemon_after_core(d);
			continue;
		}
		gn_clock_rx(&d->clock, port, buf, (size_t)n,
			    have_ts ? daemon_map_ts(d, &ts) : GN_NO_TIMESTAMP);
		daemon_after_core(d);
	}
}

static void link_event(void *ctx, int ifindex, const char *ifname, bool up)
{
	struct gn_daemon *d = ctx;
	unsigned i;

	(void)ifname;
	for (i = 0; i < d->nports; i++) {
		if (d->dp[i].tr.ifindex != ifindex)
			continue;
		if (d->ports[i].link_up == up)
			continue;
		gn_clock_link(&d->clock, i, up);
		daemon_after_core(d);
	}
}

int gn_daemon_run(struct gn_daemon *d, volatile int *stop)
{
	/* per port: 2 sockets, the timers; then uds, uds_ro, link, summary,
	 * tick (room for 8) */
	unsigned max = d->nports * (2 + GN_TMR_COUNT) + 8, n = 0, i, k;
	struct pollfd *pfd = calloc(max, sizeof(*pfd));
	struct pfd_ref *ref = calloc(max, sizeof(*ref));
	int rc = 0;

	if (!pfd || !ref) {
		free(pfd);
		free(ref);
		return -ENOMEM;
	}
	for (i = 0; i < d->nports; i++) {
		for (k = 0; k < 2; k++) {
			if (d->dp[i].tr.fd[k] < 0)
				continue;
			pfd[n].fd = d->dp[i].tr.fd[k];
			ref[n++] = (struct pfd_ref){PFD_SOCK, i, k};
		}
		for (k = 0; k < GN_TMR_COUNT; k++) {
			pfd[n].fd = d->dp[i].tfd[k];
			ref[n++] = (struct pfd_ref){PFD_TIMER, i, k};
		}
	}
	pfd[n].fd = d->uds.fd;
	ref[n++] = (struct pfd_ref){PFD_UDS, 0, 0};
	if (d->uds_ro.fd >= 0) {
		pfd[n].fd = d->uds_ro.fd;
		ref[n++] = (struct pfd_ref){PFD_UDS_RO, 0, 0};
	}
	if (d->lm_open) {
		pfd[n].fd = d->lm.fd;
		ref[n++] = (struct pfd_ref){PFD_LINK, 0, 0};
	}
	if (d->summary_tfd >= 0) {
		pfd[n].fd = d->summary_tfd;
		ref[n++] = (struct pfd_ref){PFD_SUMMARY, 0, 0};
	}
	if (d->tick_tfd >= 0) {
		pfd[n].fd = d->tick_tfd;
		ref[n++] = (struct pfd_ref){PFD_TICK, 0, 0};
	}
	if (gn_discipline_fd(d->disc) >= 0) {
		pfd[n].fd = gn_discipline_fd(d->disc);
		ref[n++] = (struct pfd_ref){PFD_DISCIPLINE, 0, 0};
	}
	for (i = 0; i < n; i++)
		pfd[i].events = POLLIN | POLLPRI;

	/* Start the protocol, then tell it which links are down. */
	gn_clock_start(&d->clock);
	gn_publish_update(d->pub, &d->clock, &d->pclk, GN_PUBLISH_START);
	daemon_after_core(d);
	for (i = 0; i < d->nports; i++) {
		/* Without link monitoring a port that starts down
		 * could never recover: assume up, as ptp4l does. */
		if (d->lm_open &&
		    gn_interface_link_up(d->dp[i].tr.cfg.ifname) == 0) {
			gn_clock_link(&d->clock, i, false);
			daemon_after_core(d);
		}
	}

	while (!*stop) {
		int r = poll(pfd, n, -1);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			pr_err("poll: %s", strerror(errno));
			break;
		}
		for (i = 0; i < n && !*stop; i++) {
			uint64_t expirations;

			if (!(pfd[i].revents & (POLLIN | POLLPRI | POLLERR)))
				continue;
			switch (ref[i].kind) {
			case PFD_SOCK:
				/* A stamp that came after its timeout sits on
				 * the error queue and keeps POLLERR set. */
				if (pfd[i].revents & POLLERR)
					gn_transport_flush_errqueue(
					    &d->dp[ref[i].port].tr);
				if (pfd[i].revents & (POLLIN | POLLPRI))
					daemon_rx(d, ref[i].port,
						  (enum gn_sock)ref[i].which);
				break;
			case PFD_TIMER:
				if (read(pfd[i].fd, &expirations,
					 sizeof(expirations)) !=
				    sizeof(expirations))
					break;
				gn_clock_timer(
				    &d->clock, ref[i].port,
				    (enum gn_timer_kind)ref[i].which);
				daemon_after_core(d);
				break;
			case PFD_UDS:
				daemon_uds_rx(d, &d->uds);
				break;
			case PFD_UDS_RO:
				daemon_uds_rx(d, &d->uds_ro);
				break;
			case PFD_LINK:
				gn_linkmon_read(&d->lm, link_event, d);
				break;
			case PFD_SUMMARY:
				if (read(pfd[i].fd, &expirations,
					 sizeof(expirations)) ==
				    sizeof(expirations))
					daemon_vclock_report(d, GN_LOG_INFO);
				break;
			case PFD_DISCIPLINE:
				gn_discipline_time_properties(d->disc,
							      &d->clock.tpds);
				gn_discipline_run(d->disc);
				break;
			case PFD_TICK:
				if (read(pfd[i].fd, &expirations,
					 sizeof(expirations)) !=
				    sizeof(expirations))
					break;
				gn_publish_update(d->pub, &d->clock, &d->pclk,
						  GN_PUBLISH_TICK);
				gn_metrics_update(d->met, &d->clock, &d->pclk);
				break;
			}
		}
	}
	free(pfd);
	free(ref);
	return rc;
}

void gn_daemon_fini(struct gn_daemon *d)
{
	unsigned i, k;

	if (d->dp) {
		for (i = 0; i < d->nports; i++) {
			if (d->dp[i].open)
				gn_transport_close(&d->dp[i].tr);
			d->dp[i].open = false;
			for (k = 0; k < GN_TMR_COUNT; k++)
				if (d->dp[i].tfd[k] >= 0)
					close(d->dp[i].tfd[k]);
		}
	}
	gn_uds_close(&d->uds);
	gn_uds_close(&d->uds_ro);
	if (d->lm_open)
		gn_linkmon_close(&d->lm);
	if (d->summary_tfd >= 0)
		close(d->summary_tfd);
	if (d->tick_tfd >= 0)
		close(d->tick_tfd);
	gn_log_set_hook(NULL, NULL);
	gn_discipline_close(d->disc);
	d->disc = NULL;
	gn_metrics_stop(d->met);
	gn_publish_close(d->pub);
	d->met = NULL;
	d->pub = NULL;
	if (d->pclk_open)
		gn_pclock_close(&d->pclk);
	free(d->ports);
	free(d->paddr);
	d->paddr = NULL;
	free(d->pcfg);
	free(d->dp);
	d->ports = NULL;
	d->pcfg = NULL;
	d->dp = NULL;
}

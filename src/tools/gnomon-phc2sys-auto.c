/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gnomon-phc2sys-auto.c - gnomon-phc2sys's management agent (one per
 * gnomond/ptp4l instance, over its Unix management socket) and the
 * automatic mode (-a, -a -r, -a -rr) built on the discipline library's
 * autocfg/dhost.
 *
 * Must not: wait without a bound (every request has a timeout, every
 * loop checks p2s_running), or steer a clock autocfg did not name.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dhost.h"
#include "gnomon-phc2sys.h"
#include "leap.h"
#include "transport.h"

#define NS_PER_S		 1000000000LL
#define UPDATES_PER_SUBSCRIPTION 3
#define MIN_UPDATE_INTERVAL_S	 10

volatile sig_atomic_t p2s_running = 1;

int64_t p2s_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

void p2s_sleep(double seconds)
{
	struct timespec ts;

	if (seconds <= 0)
		return;
	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
}

int p2s_agent_open(struct p2s_agent *a, const char *uds, uint8_t domain,
		   uint8_t sdo_major, unsigned index, const struct gn_dlog *log)
{
	char name[64], err[160];
	int rc;

	memset(a, 0, sizeof(*a));
	gn_mgmtc_init(&a->mc, domain, sdo_major, (uint16_t)getpid());
	snprintf(name, sizeof(name), "gnomon-phc2sys.%d.%u", (int)getpid(),
		 index);
	rc = gn_mgmtc_open(&a->mc, uds, name, err, sizeof(err));
	if (rc) {
		gn_dlog(log, GN_DLOG_ERR, "failed to create pmc: %s", err);
		return rc;
	}
	a->open = true;
	a->interval_ns = 60 * NS_PER_S;
	return 0;
}

void p2s_agent_close(struct p2s_agent *a)
{
	if (a->open)
		gn_mgmtc_close(&a->mc);
	a->open = false;
}

static void set_tprops(struct p2s_agent *a,
		       const struct gn_time_properties_ds *tp)
{
	/* As phc2sys: a UTC offset only on the PTP time scale. */
	if (tp->ptp_timescale) {
		a->tp.utc_offset_s = tp->current_utc_offset;
		a->tp.leap = gn_leap_from_flags(tp->leap61, tp->leap59);
		a->tp.utc_offset_traceable =
		    tp->current_utc_offset_valid && tp->time_traceable;
	} else {
		memset(&a->tp, 0, sizeof(a->tp));
	}
	a->tp_valid = true;
}

/* A notification (or a late answer). Returns true when it was a port
 * state notification that the caller did not ask for. */
static bool handle_async(struct p2s_agent *a, const struct gn_mgmtc_msg *m,
			 uint16_t waiting_for)
{
	char label[32];

	if (m->error)
		return false;
	switch (m->id) {
	case GN_MGMT_PORT_DATA_SET:
		if (waiting_for == GN_MGMT_PORT_DATA_SET || !a->ac)
			return false;
		gn_port_identity_str(&m->data.port_ds.identity, label,
				     sizeof(label));
		gn_ac_port_state(a->ac, a->domain,
				 m->data.port_ds.identity.port,
				 (int)m->data.port_ds.state, label);
		return true;
	case GN_MGMT_SUBSCRIBE_EVENTS_NP:
		a->last_sub_ok_ns = p2s_mono_ns();
		return waiting_for != GN_MGMT_SUBSCRIBE_EVENTS_NP;
	case GN_MGMT_TIME_PROPERTIES_DATA_SET:
		set_tprops(a, &m->data.time_properties_ds);
		return waiting_for != GN_MGMT_TIME_PROPERTIES_DATA_SET;
	default:
		return false;
	}
}

static int port_of(const struct gn_mgmtc_msg *m)
{
	switch (m->id) {
	case GN_MGMT_PORT_PROPERTIES_NP:
		return m->data.port_properties.identity.port;
	case GN_MGMT_PORT_HWCLOCK_NP:
		return m->data.port_hwclock.identity.port;
	case GN_MGMT_PORT_DATA_SET:
		return m->data.port_ds.identity.port;
	default:
		return -1;
	}
}

static int wait_for(struct p2s_agent *a, uint16_t id, uint16_t port,
		    int timeout_ms, struct gn_mgmtc_msg *out)
{
	int64_t deadline = p2s_mono_ns() + (int64_t)timeout_ms * 1000000;

	while (p2s_running) {
		int64_t left = (deadline - p2s_mono_ns()) / 1000000;
		int rc;

		if (left < 0)
			return -ETIMEDOUT;
		rc = gn_mgmtc_recv(&a->mc, (int)left, out);
		if (rc == -ETIMEDOUT)
			return rc;
		if (rc < 0)
			continue; /* malformed or not for us: dropped */
		if (out->error && out->id == id)
			return -ENODEV;
		if (handle_async(a, out, id))
			continue;
		if (out->error || out->id != id)
			continue;
		if (port != GN_MGMTC_ALL_PORTS && port_of(out) >= 0 &&
		    port_of(out) != port)
			continue;
		if (id == GN_MGMT_DEFAULT_DATA_SET) {
			a->dds_valid = true;
			a->number_ports = out->data.default_ds.number_ports;
		}
		return 0;
	}
	return -EINTR;
}

int p2s_agent_get(struct p2s_agent *a, uint16_t id, uint16_t port,
		  int timeout_ms, struct gn_mgmtc_msg *out)
{
	uint8_t buf[GN_MAX_MSG_LEN];
	int len, rc;

	len = gn_mgmtc_build_get(&a->mc, id, port, buf, sizeof(buf));
	if (len < 0)
		return len;
	rc = gn_mgmtc_send(&a->mc, buf, (size_t)len);
	if (rc)
		return rc;
	return wait_for(a, id, port, timeout_ms, out);
}

static int subscribe(struct p2s_agent *a, int timeout_ms)
{
	uint8_t buf[GN_MAX_MSG_LEN];
	struct gn_mgmtc_msg m;
	int len, rc;
	int64_t duration = UPDATES_PER_SUBSCRIPTION * a->interval_ns / NS_PER_S;

	len = gn_mgmtc_build_subscribe(&a->mc, (uint16_t)duration, buf,
				       sizeof(buf));
	if (len < 0)
		return len;
	rc = gn_mgmtc_send(&a->mc, buf, (size_t)len);
	if (rc || timeout_ms == 0)
		return rc;
	rc = wait_for(a, GN_MGMT_SUBSCRIBE_EVENTS_NP, GN_MGMTC_ALL_PORTS,
		      timeout_ms, &m);
	if (rc == 0)
		a->last_sub_ok_ns = p2s_mono_ns();
	return rc;
}

int p2s_agent_query_utc(struct p2s_agent *a, int timeout_ms)
{
	struct gn_mgmtc_msg m;
	int rc;

	rc = p2s_agent_get(a, GN_MGMT_TIME_PROPERTIES_DATA_SET,
			   GN_MGMTC_ALL_PORTS, timeout_ms, &m);
	if (rc == 0)
		set_tprops(a, &m.data.time_properties_ds);
	return rc;
}

int p2s_agent_wait_sync(struct p2s_agent *a, int timeout_ms)
{
	struct gn_mgmtc_msg m;
	int rc;

	rc = p2s_agent_get(a, GN_MGMT_PORT_DATA_SET, GN_MGMTC_ALL_PORTS,
			   timeout_ms, &m);
	while (rc == 0) {
		if (m.data.port_ds.state == GN_PS_MASTER ||
		    m.data.port_ds.state == GN_PS_SLAVE)
			return 1;
		/* Other ports' answers may follow. */
		rc = wait_for(a, GN_MGMT_PORT_DATA_SET, GN_MGMTC_ALL_PORTS,
			      timeout_ms, &m);
	}
	return rc == -ETIMEDOUT ? 0 : rc;
}

void p2s_agent_update(struct p2s_agent *a, const struct gn_dlog *log)
{
	uint8_t buf[GN_MAX_MSG_LEN];
	struct gn_mgmtc_msg m;
	int64_t now = p2s_mono_ns();
	int len;

	(void)log;
	if (!a->open)
		return;
	/* What arrived: notifications and answers to earlier requests. */
	while (gn_mgmtc_recv(&a->mc, 0, &m) != -ETIMEDOUT && p2s_running)
		handle_async(a, &m, 0xFFFF);
	if (now - a->last_request_ns < a->interval_ns)
		return;
	a->last_request_ns = now;
	if (a->stay_subscribed)
		subscribe(a, 0);
	len = gn_mgmtc_build_get(&a->mc, GN_MGMT_TIME_PROPERTIES_DATA_SET,
				 GN_MGMTC_ALL_PORTS, buf, sizeof(buf));
	if (len > 0)
		gn_mgmtc_send(&a->mc, buf, (size_t)len);
}

bool p2s_agent_subscribed(const struct p2s_agent *a)
{
	return a->last_sub_ok_ns > 0 &&
	       p2s_mono_ns() - a->last_sub_ok_ns <=
		   UPDATES_PER_SUBSCRIPTION * a->interval_ns;
}

/* ---- automatic mode ---- */

/* The PHC of a port whose daemon does not answer PORT_HWCLOCK_NP
 * (linuxptp before 4.0): from the interface. */
static int phc_of_interface(const char *ifname)
{
	int idx = gn_interface_phc_index(ifname, NULL);

	return idx < 0 ? -1 : idx;
}

/*
 * A port's state, time stamping, interface and PHC from its daemon:
 * PORT_PROPERTIES_NP, then PORT_HWCLOCK_NP (or, from linuxptp before
 * 4.0, which lacks it, the interface's PHC). 0, -ENODEV (no such port)
 * or another negative errno.
 */
static int query_port(struct p2s_agent *a, unsigned port, int *state, int *ts,
		      char *ifname, size_t len, int *phc)
{
	struct gn_mgmtc_msg m, hw;
	int rc;

	rc = p2s_agent_get(a, GN_MGMT_PORT_PROPERTIES_NP, (uint16_t)port, 1000,
			   &m);
	if (rc)
		return rc;
	*state = m.data.port_properties.port_state;
	*ts = m.data.port_properties.timestamping;
	snprintf(ifname, len, "%.*s", (int)(len - 1),
		 m.data.port_properties.iface);
	rc = p2s_agent_get(a, GN_MGMT_PORT_HWCLOCK_NP, (uint16_t)port, 1000,
			   &hw);
	*phc =
	    rc == 0 ? hw.data.port_hwclock.phc_index : phc_of_interface(ifname);
	return 0;
}

/* The automatic mode's port query (gn_dhost_set_port_query): asked
 * when a clock's state changes, so that a PHC the daemon switched (a
 * bond failover) is followed. */
struct p2s_agents {
	struct p2s_agent *a;
	unsigned n;
};

static int auto_port_query(void *ctx, unsigned domain, unsigned port,
			   char *ifname, size_t len, int *phc)
{
	struct p2s_agents *ag = ctx;
	int state, ts, rc;
	unsigned i;

	for (i = 0; i < ag->n; i++) {
		if (ag->a[i].domain != domain || !ag->a[i].open)
			continue;
		rc = query_port(&ag->a[i], port, &state, &ts, ifname, len, phc);
		if (rc)
			return rc;
		if (ts == GN_TIMESTAMPING_SOFTWARE)
			*phc = -1;
		return 0;
	}
	return -ENOENT;
}

static int auto_init_ports(struct gn_dhost *h, struct p2s_agent *a,
			   struct p2s_settings *st, unsigned index)
{
	struct gn_mgmtc_msg m;
	char err[160];
	unsigned i, added = 0;
	int rc;

	for (;;) {
		if (!p2s_running)
			return -EINTR;
		rc = p2s_agent_get(a, GN_MGMT_DEFAULT_DATA_SET,
				   GN_MGMTC_ALL_PORTS, 1000, &m);
		if (rc == 0)
			break;
		if (rc == -ETIMEDOUT || rc == -ECONNREFUSED || rc == -ENOENT) {
			gn_dlog(&st->log, GN_DLOG_NOTICE,
				"Waiting for ptp4l...");
			if (rc != -ETIMEDOUT)
				p2s_sleep(1.0);
			continue;
		}
		return rc;
	}
	if (a->number_ports == 0) {
		gn_dlog(&st->log, GN_DLOG_ERR, "failed to get number of ports");
		return -EINVAL;
	}
	a->stay_subscribed = true;
	a->interval_ns = (int64_t)st->subscribe_interval_s * NS_PER_S;
	if (subscribe(a, 1000)) {
		gn_dlog(&st->log, GN_DLOG_ERR, "failed to subscribe");
		return -EIO;
	}
	a->last_request_ns = p2s_mono_ns();
	for (i = 1; i <= a->number_ports; i++) {
		struct gn_fakeclock *fake;
		char ifname[GN_AC_NAME_MAX];
		int state, ts, phc, c;

		rc =
		    query_port(a, i, &state, &ts, ifname, sizeof(ifname), &phc);
		if (rc == -ENODEV)
			continue; /* no such port */
		if (rc) {
			gn_dlog(&st->log, GN_DLOG_ERR,
				"failed to get port properties");
			return rc;
		}
		/* Software time stamping: nothing to discipline (unless a
		 * test gave the interface a fake PHC). */
		fake = gn_fakeset_find(&st->fakes, ifname);
		if (fake)
			phc = fake->phc_index;
		else if (ts == GN_TIMESTAMPING_SOFTWARE || phc < 0)
			continue;
		c = gn_ac_add_port(&h->ac, a->domain, i, ifname, phc, state);
		if (c < 0)
			return c;
		rc = gn_dhost_open_clock(h, (unsigned)c, err, sizeof(err));
		if (rc) {
			gn_dlog(&st->log, GN_DLOG_ERR, "%s", err);
			return rc;
		}
		added++;
	}
	if (!added) {
		gn_dlog(&st->log, GN_DLOG_ERR, "no suitable ports available");
		return -ENODEV;
	}
	gn_ac_domain_ready(&h->ac, a->domain);
	gn_ac_set_subscribed(&h->ac, a->domain, true);
	if (p2s_agent_query_utc(a, 1000)) {
		gn_dlog(&st->log, GN_DLOG_ERR, "failed to get UTC offset");
		return -EIO;
	}
	(void)index;
	return 0;
}

int p2s_run_auto(struct p2s_settings *st, const char *const *uds, unsigned n,
		 const int *domains, unsigned nd, uint8_t sdo_major, int rt,
		 const char *sys_clock, const char *const *dst, unsigned ndst)
{
	static struct gn_dhost h; /* large: not on the stack */
	struct p2s_agent agents[P2S_MAX_DOMAINS];
	struct p2s_agents ag = {.a = agents};
	unsigned i, nagents = 0;
	int sys_dom = -1, rc = 0, c;
	char err[160];

	memset(agents, 0, sizeof(agents));
	gn_dhost_init(&h, &st->dc, &st->log, &st->fakes);
	for (i = 0; i < n; i++) {
		int d = gn_ac_add_domain(&h.ac);
		uint8_t dn = (uint8_t)(i < nd ? domains[i] : 0);

		if (d < 0) {
			rc = d;
			goto out;
		}
		rc = p2s_agent_open(&agents[i], uds[i], dn, sdo_major, i,
				    &st->log);
		if (rc)
			goto out;
		nagents++;
		agents[i].ac = &h.ac;
		agents[i].domain = (unsigned)d;
	}
	if (rt) {
		sys_dom = gn_ac_add_sys_domain(&h.ac, sys_clock, rt == 1);
		if (sys_dom < 0) {
			rc = sys_dom;
			goto out;
		}
	}
	/* The system clock first: an auxiliary clock the kernel lacks is
	 * an error before any waiting for ptp4l. */
	for (i = 0; i < h.ac.nclk; i++) {
		if (!h.ac.clk[i].is_sys)
			continue;
		rc = gn_dhost_open_clock(&h, i, err, sizeof(err));
		if (rc) {
			gn_dlog(&st->log, GN_DLOG_ERR, "%s", err);
			goto out;
		}
	}
	for (i = 0; i < nagents; i++) {
		rc = auto_init_ports(&h, &agents[i], st, i);
		if (rc)
			goto out;
	}
	ag.n = nagents;
	gn_dhost_set_port_query(&h, auto_port_query, &ag);
	for (i = 0; i < ndst; i++) {
		c = gn_ac_add_static_sink(&h.ac, 0, dst[i], -1);
		if (c < 0) {
			rc = c;
			goto out;
		}
		rc = gn_dhost_open_clock(&h, (unsigned)c, err, sizeof(err));
		if (rc) {
			fprintf(stderr, "valid destination clock must be "
					"selected.\n");
			goto out;
		}
		h.ac.clk[c].phc_index = h.clk[c].phc_index;
	}

	while (p2s_running) {
		bool changed = false;

		p2s_sleep(st->dc.interval_s);
		for (i = 0; i < nagents; i++) {
			struct p2s_agent *a = &agents[i];
			bool was = h.ac.dom[a->domain].subscribed, now;

			p2s_agent_update(a, &st->log);
			now = p2s_agent_subscribed(a);
			gn_ac_set_subscribed(&h.ac, a->domain, now);
			if (was && !now) {
				gn_dlog(&st->log, GN_DLOG_ERR,
					"Lost connection to ptp4l #%u", i + 1);
				gn_ac_mark_changed(&h.ac, a->domain);
			}
			if (h.ac.dom[a->domain].state_changed) {
				changed = true;
				/* The offset may change with the port
				 * state: ask now. */
				if (now && p2s_agent_query_utc(a, 1000))
					gn_dlog(&st->log, GN_DLOG_ERR,
						"failed to get UTC offset");
			}
			h.tp[a->domain] = a->tp;
		}
		(void)changed;
		gn_dhost_run(&h);
	}
out:
	for (i = 0; i < nagents; i++)
		p2s_agent_close(&agents[i]);
	gn_dhost_close(&h);
	return rc;
}

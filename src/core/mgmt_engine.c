/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mgmt_engine.c - answers IEEE 1588 management messages (15.3) from the
 * clock's data sets: GET, SET and COMMAND, addressed to the clock or to
 * one or all ports, with MANAGEMENT_ERROR_STATUS replies.
 *
 * Sans-IO: replies go back through the caller's callback; who asked and
 * over which socket is the host's business (so are subscriptions).
 */
#include <errno.h>
#include <string.h>

#include "clock.h"
#include "mgmt.h"
#include "tlv.h"

#define MGMT_ALL_PORTS 0xFFFF

static bool mgmt_targets_us(const struct gn_clock *c,
			    const struct gn_port_identity *t)
{
	static const struct gn_clock_identity wildcard = {
		{ 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }
	};

	return gn_clock_identity_eq(&t->clock, &wildcard) ||
	       gn_clock_identity_eq(&t->clock, &c->dds.identity);
}

static void mgmt_gm_settings(const struct gn_clock *c,
			     struct gn_mgmt_gm_settings_np *gs)
{
	gs->quality = c->dds.quality;
	gs->utc_offset = c->cfg.utc_offset;
	gs->time_flags = c->local_time_flags;
	gs->time_source = c->cfg.time_source;
}

/* GET of a clock-level id. 0 or -errno (mapped to an errorId). */
static int mgmt_get_clock(const struct gn_clock *c, uint16_t id,
			  union gn_mgmt_data *d)
{
	switch (id) {
	case GN_MGMT_NULL_MANAGEMENT:
		return 0;
	case GN_MGMT_DEFAULT_DATA_SET:
		d->default_ds = c->dds;
		return 0;
	case GN_MGMT_CURRENT_DATA_SET:
		d->current_ds = c->cds;
		return 0;
	case GN_MGMT_PARENT_DATA_SET:
		d->parent_ds = c->pds;
		return 0;
	case GN_MGMT_TIME_PROPERTIES_DATA_SET:
		d->time_properties_ds = c->tpds;
		return 0;
	case GN_MGMT_PRIORITY1:
		d->u8 = c->dds.priority1;
		return 0;
	case GN_MGMT_PRIORITY2:
		d->u8 = c->dds.priority2;
		return 0;
	case GN_MGMT_DOMAIN:
		d->u8 = c->dds.domain;
		return 0;
	case GN_MGMT_SLAVE_ONLY:
		d->u8 = c->dds.slave_only;
		return 0;
	case GN_MGMT_CLOCK_ACCURACY:
		d->u8 = c->dds.quality.clock_accuracy;
		return 0;
	case GN_MGMT_TIME_STATUS_NP: {
		struct gn_mgmt_time_status_np *ts = &d->time_status;

		ts->master_offset_ns = c->cds.offset_from_master_ns;
		ts->ingress_time_ns = c->have_offset ? c->last_ingress_ns : 0;
		ts->gm_present = !gn_clock_identity_eq(&c->pds.gm_identity,
						       &c->dds.identity);
		ts->gm_identity = c->pds.gm_identity;
		return 0;
	}
	case GN_MGMT_GRANDMASTER_SETTINGS_NP:
		mgmt_gm_settings(c, &d->gm_settings);
		return 0;
	default:
		return gn_mgmt_id_str(id) ? -EOPNOTSUPP : -ENOENT;
	}
}

static int mgmt_get_port(const struct gn_port *p, uint16_t id,
			 union gn_mgmt_data *d)
{
	switch (id) {
	case GN_MGMT_NULL_MANAGEMENT:
		return 0;
	case GN_MGMT_PORT_DATA_SET:
		d->port_ds = p->ds;
		return 0;
	case GN_MGMT_LOG_ANNOUNCE_INTERVAL:
		d->u8 = (uint8_t)p->ds.log_announce_interval;
		return 0;
	case GN_MGMT_ANNOUNCE_RECEIPT_TIMEOUT:
		d->u8 = p->ds.announce_receipt_timeout;
		return 0;
	case GN_MGMT_LOG_SYNC_INTERVAL:
		d->u8 = (uint8_t)p->ds.log_sync_interval;
		return 0;
	case GN_MGMT_VERSION_NUMBER:
		d->u8 = p->ds.version_number & 0x0F;
		return 0;
	case GN_MGMT_DELAY_MECHANISM:
		d->u8 = p->ds.delay_mechanism;
		return 0;
	case GN_MGMT_LOG_MIN_PDELAY_REQ_INTERVAL:
		d->u8 = (uint8_t)p->ds.log_min_pdelay_req_interval;
		return 0;
	case GN_MGMT_PORT_DATA_SET_NP:
		d->port_ds_np.neighbor_prop_delay_thresh_ns =
			(uint32_t)p->cfg.neighbor_prop_delay_thresh_ns;
		d->port_ds_np.as_capable = p->as_capable ||
					   p->cfg.delay_mechanism != GN_DM_P2P;
		return 0;
	case GN_MGMT_PORT_PROPERTIES_NP: {
		struct gn_mgmt_port_properties_np *pp = &d->port_properties;
		size_t n = strnlen(p->cfg.name, sizeof(p->cfg.name));

		pp->identity = p->ds.identity;
		pp->port_state = (uint8_t)p->ds.state;
		pp->timestamping = p->cfg.timestamping;
		pp->iface_len = (uint8_t)n;
		memcpy(pp->iface, p->cfg.name, n);
		pp->iface[n] = 0;
		return 0;
	}
	case GN_MGMT_PORT_STATS_NP:
		d->port_stats.identity = p->ds.identity;
		memcpy(d->port_stats.rx, p->stats.rx, sizeof(p->stats.rx));
		memcpy(d->port_stats.tx, p->stats.tx, sizeof(p->stats.tx));
		return 0;
	case GN_MGMT_PORT_SERVICE_STATS_NP: {
		struct gn_mgmt_port_service_stats_np *ss =
			&d->port_service_stats;

		ss->identity = p->ds.identity;
		ss->announce_timeout = p->stats.announce_timeouts;
		ss->sync_timeout = p->stats.sync_timeouts;
		ss->sync_mismatch = p->stats.sync_mismatch;
		ss->followup_mismatch = p->stats.followup_mismatch;
		return 0;
	}
	case GN_MGMT_PORT_HWCLOCK_NP:
		d->port_hwclock.identity = p->ds.identity;
		d->port_hwclock.phc_index = p->cfg.phc_index;
		d->port_hwclock.flags = 0;
		return 0;
	default:
		return gn_mgmt_id_str(id) ? -EOPNOTSUPP : -ENOENT;
	}
}

static int mgmt_set_clock(struct gn_clock *c, uint16_t id,
			  const union gn_mgmt_data *d)
{
	switch (id) {
	case GN_MGMT_PRIORITY1:
		gn_clock_set_priority1(c, d->u8);
		return 0;
	case GN_MGMT_PRIORITY2:
		gn_clock_set_priority2(c, d->u8);
		return 0;
	case GN_MGMT_GRANDMASTER_SETTINGS_NP:
		c->cfg.utc_offset = d->gm_settings.utc_offset;
		c->cfg.time_source = d->gm_settings.time_source;
		c->local_time_flags = d->gm_settings.time_flags;
		gn_clock_set_quality(c, &d->gm_settings.quality);
		return 0;
	default:
		return -EACCES;
	}
}

struct mgmt_reply {
	const struct gn_msg *req;
	gn_mgmt_reply_fn fn;
	void *ctx;
	unsigned sent;
};

static void mgmt_send(struct gn_clock *c, struct mgmt_reply *r,
		      const struct gn_port_identity *source, uint8_t action,
		      uint16_t id, const uint8_t *data, int data_len,
		      uint16_t error_id)
{
	uint8_t value[GN_MAX_MSG_LEN], frame[GN_MAX_MSG_LEN];
	const struct gn_msg *req = r->req;
	struct gn_msg m;
	int vlen, len;

	memset(&m, 0, sizeof(m));
	gn_header_init(&m.h, GN_MSG_MANAGEMENT);
	m.h.sdo_major = req->h.sdo_major;
	m.h.minor_version = req->h.minor_version;
	m.h.domain = c->dds.domain;
	m.h.source = *source;
	m.h.sequence_id = req->h.sequence_id;
	m.body.mgmt.target = req->h.source;
	m.body.mgmt.starting_boundary_hops =
		(uint8_t)(req->body.mgmt.starting_boundary_hops -
			  req->body.mgmt.boundary_hops);
	m.body.mgmt.boundary_hops = m.body.mgmt.starting_boundary_hops;
	m.body.mgmt.action = action;
	if (error_id) {
		struct gn_tlv_mgmt_error e = { .error_id = error_id,
					       .mgmt_id = id };

		vlen = gn_tlv_mgmt_error_encode(&e, value, sizeof(value));
		m.tlv[0].type = GN_TLV_MANAGEMENT_ERROR_STATUS;
	} else {
		struct gn_tlv_mgmt t = { .id = id,
					 .data_len = (uint16_t)data_len,
					 .data = data };

		vlen = gn_tlv_mgmt_encode(&t, value, sizeof(value));
		m.tlv[0].type = GN_TLV_MANAGEMENT;
	}
	if (vlen < 0)
		return;
	m.tlv[0].length = (uint16_t)vlen;
	m.tlv[0].value = value;
	m.ntlv = 1;
	len = gn_msg_serialize(&m, frame, sizeof(frame));
	if (len <= 0)
		return;
	r->fn(r->ctx, frame, (size_t)len);
	r->sent++;
}

/* Answers one (id, action) for the clock (p == NULL) or a port. */
static void mgmt_answer(struct gn_clock *c, struct gn_port *p,
			struct mgmt_reply *r, const struct gn_tlv_mgmt *t,
			bool read_only)
{
	struct gn_port_identity src = { .clock = c->dds.identity, .port = 0 };
	uint8_t action = r->req->body.mgmt.action;
	uint8_t data[GN_MAX_MSG_LEN];
	union gn_mgmt_data d;
	const char *reason = NULL;
	int err = 0, len = 0;

	if (p)
		src = p->ds.identity;
	memset(&d, 0, sizeof(d));
	if (read_only && action != GN_MGMT_GET) {
		err = -EACCES;
		goto reply;
	}
	switch (action) {
	case GN_MGMT_GET:
		/* A GET's dataField is ignored (pmc sends it empty). */
		err = p ? mgmt_get_port(p, t->id, &d)
			: mgmt_get_clock(c, t->id, &d);
		break;
	case GN_MGMT_SET:
		err = gn_mgmt_decode(t->id, t->data, t->data_len, &d, &reason);
		if (err == 0)
			err = p ? -EACCES : mgmt_set_clock(c, t->id, &d);
		if (err == 0)
			err = p ? mgmt_get_port(p, t->id, &d)
				: mgmt_get_clock(c, t->id, &d);
		break;
	case GN_MGMT_COMMAND:
		if (t->id == GN_MGMT_ENABLE_PORT ||
		    t->id == GN_MGMT_DISABLE_PORT) {
			if (!p) {
				err = -EOPNOTSUPP;
				break;
			}
			gn_clock_port_enable(c, p->index,
					     t->id == GN_MGMT_ENABLE_PORT);
		} else if (t->id != GN_MGMT_NULL_MANAGEMENT) {
			err = gn_mgmt_id_str(t->id) ? -EOPNOTSUPP : -ENOENT;
		}
		break;
	default:
		return;
	}
	if (err == 0 && action != GN_MGMT_COMMAND && gn_mgmt_has_codec(t->id))
		len = gn_mgmt_encode(t->id, &d, data, sizeof(data));
	if (len < 0)
		err = len;
reply:
	mgmt_send(c, r, &src,
		  action == GN_MGMT_COMMAND ? GN_MGMT_ACKNOWLEDGE
					    : GN_MGMT_RESPONSE,
		  t->id, data, err ? 0 : len,
		  err ? gn_mgmt_error_id(err) : 0);
}

int gn_clock_management(struct gn_clock *c, const uint8_t *buf, size_t len,
			bool read_only, gn_mgmt_reply_fn fn, void *ctx)
{
	struct mgmt_reply r = { 0 };
	struct gn_tlv_mgmt t;
	struct gn_msg m;
	const char *reason;
	uint16_t target_port;
	unsigned i;

	if (gn_msg_parse(buf, len, &m) != GN_WIRE_OK ||
	    m.h.type != GN_MSG_MANAGEMENT)
		return -EBADMSG;
	if (m.body.mgmt.action > GN_MGMT_COMMAND ||
	    m.body.mgmt.action == GN_MGMT_RESPONSE)
		return 0; /* responses and acks are not for us */
	if (m.h.domain != c->dds.domain ||
	    !mgmt_targets_us(c, &m.body.mgmt.target))
		return 0;
	if (m.ntlv < 1 || m.tlv[0].type != GN_TLV_MANAGEMENT ||
	    gn_tlv_mgmt_decode(&m.tlv[0], &t, &reason) < 0)
		return -EBADMSG;

	r.req = &m;
	r.fn = fn;
	r.ctx = ctx;
	target_port = m.body.mgmt.target.port;
	if (!gn_mgmt_id_is_port(t.id)) {
		if (target_port == 0 || target_port == MGMT_ALL_PORTS)
			mgmt_answer(c, NULL, &r, &t, read_only);
		return (int)r.sent;
	}
	for (i = 0; i < c->nports; i++) {
		if (target_port != MGMT_ALL_PORTS && target_port != i + 1)
			continue;
		mgmt_answer(c, &c->ports[i], &r, &t, read_only);
	}
	return (int)r.sent;
}

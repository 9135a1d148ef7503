/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mgmt_engine.c - answers IEEE 1588 management messages (15.3) from the
 * clock's data sets: GET, SET and COMMAND of every standard data set and
 * settable member, addressed to the clock or to one or all ports, with
 * MANAGEMENT_ERROR_STATUS replies; boundary-hop forwarding between the
 * local management client and the PTP ports; the network access policy.
 *
 * Error ids follow 1588 15.5.4.4: an unknown id is NO_SUCH_ID, a known
 * one gnomon does not implement NOT_SUPPORTED, a SET of a read-only
 * member NOT_SETABLE, a bad dataField length WRONG_LENGTH, a value out
 * of range (or a port that does not exist, 1588 interpretation 21)
 * WRONG_VALUE, a reply larger than the host can send RESPONSE_TOO_BIG,
 * a clock that refused to be set GENERAL_ERROR. SET/COMMAND where the
 * access policy forbids them: NOT_SUPPORTED, as linuxptp answers; so is
 * a GET of PORT_PROPERTIES_NP or PORT_HWCLOCK_NP anywhere but on the
 * local read-write socket (linuxptp's clock_manage() allows those two
 * on its UDS-RW port only). An empty SET is WRONG_LENGTH before any of
 * these checks, and these refusals come once, from the clock, as
 * linuxptp sends them.
 *
 * Sans-IO: local replies go back through the caller's callback, network
 * replies and forwarded frames through the clock's env->send. No
 * allocation, no globals; who asked over which socket, and
 * subscriptions, are the host's business.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "clock.h"
#include "mgmt.h"
#include "tlv.h"

#define MGMT_ALL_PORTS	 0xFFFF
#define MGMT_HOPS_OFFSET 45 /* boundaryHops in the frame */
#define MGMT_MIN_FRAME	 48
#define USER_DESC_MAX	 128 /* 1588: userDescription <= 128 octets */
#define LOG_INTERVAL_MIN (-10)
#define LOG_INTERVAL_MAX 10

/* 1588 annex J profile identities. */
static const uint8_t profile_e2e[6] = {0x00, 0x1B, 0x19, 0x00, 0x01, 0x00};
static const uint8_t profile_p2p[6] = {0x00, 0x1B, 0x19, 0x00, 0x02, 0x00};

void gn_mgmt_host_init(struct gn_mgmt_host *h)
{
	memset(h, 0, sizeof(*h));
	gn_mgmt_text_set(&h->product_description, ";;");
	gn_mgmt_text_set(&h->revision_data, ";;");
	h->sync_uncertain = 0xFF;
}

struct mgmt_req {
	struct gn_clock *c;
	struct gn_mgmt_host *h;
	bool host_is_temporary; /* no storage for SET USER_DESCRIPTION */
	const struct gn_msg *req;
	const struct gn_tlv_mgmt *tlv; /* the request's MANAGEMENT TLV */
	int ingress;		       /* -1: local client, else port index */
	bool may_write;		       /* SET and COMMAND allowed */
	bool local_rw; /* from the host's read-write management socket */
	gn_mgmt_reply_fn fn;
	void *ctx;
	unsigned sent;
};

static bool mgmt_targets_us(const struct gn_clock *c,
			    const struct gn_port_identity *t)
{
	static const struct gn_clock_identity wildcard = {
	    {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}};

	return gn_clock_identity_eq(&t->clock, &wildcard) ||
	       gn_clock_identity_eq(&t->clock, &c->dds.identity);
}

static bool mgmt_is_gm(const struct gn_clock *c)
{
	return gn_clock_identity_eq(&c->pds.gm_identity, &c->dds.identity);
}

/* The ports management frames travel through (linuxptp's choice). */
static bool mgmt_port_forwards(const struct gn_port *p)
{
	switch (p->ds.state) {
	case GN_PS_MASTER:
	case GN_PS_PRE_MASTER:
	case GN_PS_SLAVE:
	case GN_PS_UNCALIBRATED:
		return true;
	default:
		return false;
	}
}

static int mgmt_port_send(struct gn_clock *c, unsigned port,
			  const uint8_t *frame, size_t len, uint16_t seq)
{
	struct gn_tx_meta meta = {
	    .msg_type = GN_MSG_MANAGEMENT,
	    .sequence_id = seq,
	    .event = false,
	    .want_tx_ts = false,
	    .dest = GN_DEST_MULTICAST,
	};
	int err;

	if (!c->env->send || port >= c->nports)
		return -ENOTCONN;
	err = c->env->send(c->env->ctx, port, frame, len, &meta);
	if (err == 0)
		c->ports[port].stats.tx[GN_MSG_MANAGEMENT]++;
	return err;
}

/* Sends a copy of a management frame, boundaryHops decremented, out of
 * every forwarding port but the one it came in on. */
static void mgmt_forward(struct gn_clock *c, struct gn_mgmt_host *h,
			 const uint8_t *buf, size_t len, int ingress)
{
	uint8_t frame[GN_MAX_MSG_LEN];
	unsigned i;

	if (!h || h->network_access == GN_MGMT_ACCESS_NONE ||
	    len < MGMT_MIN_FRAME || len > sizeof(frame) ||
	    buf[MGMT_HOPS_OFFSET] == 0)
		return;
	memcpy(frame, buf, len);
	frame[MGMT_HOPS_OFFSET]--;
	for (i = 0; i < c->nports; i++) {
		if ((int)i == ingress || !mgmt_port_forwards(&c->ports[i]))
			continue;
		if (mgmt_port_send(c, i, frame, len, gn_get16(frame + 30)) == 0)
			h->forwarded++;
	}
}

int64_t gn_mgmt_error_bound_ns(const struct gn_clock *c)
{
	int64_t off = c->cds.offset_from_master_ns;
	int64_t delay = c->cds.mean_path_delay_ns;

	unsigned i;

	if (c->slave_port < 0) {
		/* Serving its own time: the bound is the grandmaster's. */
		for (i = 0; i < c->nports; i++)
			if (c->ports[i].ds.state == GN_PS_MASTER)
				return 0;
		return -1;
	}
	if (!c->have_offset)
		return -1;
	if (off == INT64_MIN || off == INT64_MAX || delay == INT64_MAX)
		return INT64_MAX;
	off = off < 0 ? -off : off;
	delay = delay < 0 ? -delay : delay;
	return off > INT64_MAX - delay ? INT64_MAX : off + delay;
}

/* ---- GET ---- */

static void mgmt_gm_settings(const struct gn_clock *c,
			     struct gn_mgmt_gm_settings_np *gs)
{
	gs->quality = c->dds.quality;
	gs->utc_offset = c->cfg.utc_offset;
	gs->time_flags = c->local_time_flags;
	gs->time_source = c->cfg.time_source;
}

/* Not implemented ids answer NOT_SUPPORTED, unknown ones NO_SUCH_ID. */
static int mgmt_unknown(uint16_t id)
{
	return gn_mgmt_id_str(id) ? -EOPNOTSUPP : -ENOENT;
}

/*
 * The keyField an ALTERNATE_TIME_OFFSET_* request is about. Unlike other
 * GETs its dataField counts: the first octet selects the timescale; an
 * empty one means key 0 (linuxptp). A SET's key is in the same place.
 */
static int mgmt_ato_key(const struct mgmt_req *r, uint8_t *key)
{
	const struct gn_tlv_mgmt *t = r->tlv;

	if (t->data_len == 0) {
		*key = 0;
		return 0;
	}
	if (t->data_len < 2)
		return -EBADMSG;
	*key = t->data[0];
	return 0;
}

static int mgmt_get_ato(const struct mgmt_req *r, uint16_t id,
			union gn_mgmt_data *d)
{
	const struct gn_alt_time_offset *a;
	uint8_t key;
	int err = mgmt_ato_key(r, &key);

	if (err)
		return err;
	if (key == 0xFF && id == GN_MGMT_ALTERNATE_TIME_OFFSET_ENABLE &&
	    r->req->body.mgmt.action == GN_MGMT_SET) {
		/* The answer to a SET of every key at once. */
		d->ato_enable.key = key;
		d->ato_enable.enable = r->c->alt_time[0].enabled;
		return 0;
	}
	if (key >= GN_ALT_TIME_OFFSETS)
		return -EINVAL;
	a = &r->c->alt_time[key];
	switch (id) {
	case GN_MGMT_ALTERNATE_TIME_OFFSET_ENABLE:
		d->ato_enable.key = key;
		d->ato_enable.enable = a->enabled;
		return 0;
	case GN_MGMT_ALTERNATE_TIME_OFFSET_NAME:
		d->ato_name.key = key;
		d->ato_name.name.len = a->name_len;
		memcpy(d->ato_name.name.text, a->name, a->name_len);
		d->ato_name.name.text[a->name_len] = '\0';
		return 0;
	default: /* GN_MGMT_ALTERNATE_TIME_OFFSET_PROPERTIES */
		d->ato_properties.key = key;
		d->ato_properties.current_offset_s = a->current_offset_s;
		d->ato_properties.jump_seconds_s = a->jump_seconds_s;
		d->ato_properties.time_of_next_jump_s = a->time_of_next_jump_s;
		return 0;
	}
}

static int mgmt_get_clock(const struct mgmt_req *r, uint16_t id,
			  union gn_mgmt_data *d)
{
	const struct gn_clock *c = r->c;
	uint8_t tflags = gn_time_properties_flags(&c->tpds);

	switch (id) {
	case GN_MGMT_USER_DESCRIPTION:
		d->text = r->h->user_description;
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
	case GN_MGMT_TRACEABILITY_PROPERTIES:
		d->u8 =
		    tflags & (GN_FLAG_TIME_TRACEABLE | GN_FLAG_FREQ_TRACEABLE);
		return 0;
	case GN_MGMT_TIMESCALE_PROPERTIES:
		d->u8 = tflags & GN_FLAG_PTP_TIMESCALE;
		return 0;
	case GN_MGMT_UTC_PROPERTIES:
		d->utc_properties.utc_offset = c->tpds.current_utc_offset;
		d->utc_properties.flags =
		    (uint8_t)((c->tpds.leap61 ? GN_MGMT_UTC_LEAP61 : 0) |
			      (c->tpds.leap59 ? GN_MGMT_UTC_LEAP59 : 0) |
			      (c->tpds.current_utc_offset_valid
				   ? GN_MGMT_UTC_VALID
				   : 0));
		return 0;
	case GN_MGMT_TIME: {
		int64_t now;

		if (!c->env->clock_now)
			return -EOPNOTSUPP;
		now = c->env->clock_now(c->env->ctx);
		return gn_ns_to_timestamp(now, &d->time) ? -EIO : 0;
	}
	case GN_MGMT_TIME_STATUS_NP: {
		struct gn_mgmt_time_status_np *ts = &d->time_status;

		ts->master_offset_ns = c->cds.offset_from_master_ns;
		ts->ingress_time_ns = c->have_offset ? c->last_ingress_ns : 0;
		ts->gm_present = !mgmt_is_gm(c);
		ts->gm_identity = c->pds.gm_identity;
		return 0;
	}
	case GN_MGMT_GRANDMASTER_SETTINGS_NP:
		mgmt_gm_settings(c, &d->gm_settings);
		return 0;
	case GN_MGMT_SYNCHRONIZATION_UNCERTAIN_NP:
		d->u8 = r->h->sync_uncertain;
		return 0;
	case GN_MGMT_ALTERNATE_TIME_OFFSET_ENABLE:
	case GN_MGMT_ALTERNATE_TIME_OFFSET_NAME:
	case GN_MGMT_ALTERNATE_TIME_OFFSET_PROPERTIES:
		return mgmt_get_ato(r, id, d);
	case GN_MGMT_EXTERNAL_GRANDMASTER_PROPERTIES_NP:
		d->ext_gm.gm_identity = c->ext_gm_identity;
		d->ext_gm.steps_removed = c->ext_gm_steps_removed;
		return 0;
	case GN_MGMT_SERVO_STATUS_NP: {
		struct gn_mgmt_servo_status_np *ss = &d->servo_status;
		double f = c->freq_ppb * 65536.0;

		ss->freq_ppb_scaled = f > 9.2e18    ? INT64_MAX
				      : f < -9.2e18 ? INT64_MIN
						    : (int64_t)f;
		ss->error_bound_ns = gn_mgmt_error_bound_ns(c);
		ss->offset_ns = c->last_offset_ns;
		ss->servo_state = (uint8_t)c->servo_state;
		ss->have_offset = c->have_offset;
		ss->slave_port =
		    (uint8_t)(c->slave_port >= 0 ? c->slave_port + 1 : 0);
		return 0;
	}
	default:
		return mgmt_unknown(id);
	}
}

static void mgmt_clock_description(const struct mgmt_req *r,
				   const struct gn_port *p,
				   struct gn_mgmt_clock_description *cd)
{
	const struct gn_mgmt_host *h = r->h;
	const struct gn_mgmt_port_address *a =
	    h->port_address ? &h->port_address[p->index] : NULL;

	if (r->c->cfg.clock_type == GN_CLOCK_E2E_TC)
		cd->clock_type = GN_CLOCK_TYPE_E2E_TC;
	else if (r->c->cfg.clock_type == GN_CLOCK_P2P_TC)
		cd->clock_type = GN_CLOCK_TYPE_P2P_TC;
	else
		cd->clock_type = r->c->nports > 1 ? GN_CLOCK_TYPE_BOUNDARY
						  : GN_CLOCK_TYPE_ORDINARY;
	gn_mgmt_text_set(&cd->physical_layer_protocol, "IEEE 802.3");
	if (a) {
		cd->physical_address_len = a->physical_address_len;
		memcpy(cd->physical_address, a->physical_address,
		       sizeof(cd->physical_address));
		cd->network_protocol = a->network_protocol;
		cd->protocol_address_len = a->protocol_address_len;
		memcpy(cd->protocol_address, a->protocol_address,
		       sizeof(cd->protocol_address));
	}
	memcpy(cd->manufacturer_identity, h->manufacturer_identity, 3);
	cd->product_description = h->product_description;
	cd->revision_data = h->revision_data;
	cd->user_description = h->user_description;
	memcpy(cd->profile_identity,
	       p->cfg.delay_mechanism == GN_DM_P2P ? profile_p2p : profile_e2e,
	       6);
}

/* asCapable as linuxptp reports it: 802.1AS's verdict on a P2P port;
 * other ports are not judged and count as capable. */
static uint32_t mgmt_as_capable(const struct gn_port *p)
{
	return p->as_capable || p->cfg.delay_mechanism != GN_DM_P2P;
}

/* (neighborRateRatio - 1) * 2^41, as CMLDS_INFO_NP carries it. */
static int32_t mgmt_scaled_rate_ratio(double ratio)
{
	double v = (ratio - 1.0) * 2199023255552.0; /* 2^41 */

	if (isnan(v))
		return 0;
	if (v >= 2147483647.0)
		return INT32_MAX;
	if (v <= -2147483648.0)
		return INT32_MIN;
	return (int32_t)v;
}

static int mgmt_get_port(const struct mgmt_req *r, const struct gn_port *p,
			 uint16_t id, union gn_mgmt_data *d)
{
	switch (id) {
	case GN_MGMT_NULL_MANAGEMENT:
		return 0;
	case GN_MGMT_CLOCK_DESCRIPTION:
		mgmt_clock_description(r, p, &d->clock_description);
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
	case GN_MGMT_MASTER_ONLY:
		d->u8 = p->cfg.master_only;
		return 0;
	case GN_MGMT_PORT_DATA_SET_NP:
		d->port_ds_np.neighbor_prop_delay_thresh_ns =
		    (uint32_t)p->cfg.neighbor_prop_delay_thresh_ns;
		d->port_ds_np.as_capable = (int32_t)mgmt_as_capable(p);
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
		ss->delay_timeout = p->stats.delay_timeouts;
		ss->master_announce_timeout = p->stats.master_announce_timeouts;
		ss->master_sync_timeout = p->stats.master_sync_timeouts;
		ss->qualification_timeout = p->stats.qualification_timeouts;
		ss->sync_mismatch = p->stats.sync_mismatch;
		ss->followup_mismatch = p->stats.followup_mismatch;
		return 0;
	}
	case GN_MGMT_PORT_HWCLOCK_NP:
		d->port_hwclock.identity = p->ds.identity;
		d->port_hwclock.phc_index = p->cfg.phc_index;
		d->port_hwclock.flags = 0;
		return 0;
	case GN_MGMT_UNICAST_MASTER_TABLE_NP:
		/* No unicast client in gnomon: an empty table, as ptp4l
		 * answers for a port without one. */
		d->unicast_master_table.count = 0;
		return 0;
	case GN_MGMT_POWER_PROFILE_SETTINGS_NP: {
		const struct gn_power_profile *pp = &p->cfg.power_profile;

		d->power_profile.version = pp->version;
		d->power_profile.grandmaster_id = pp->grandmaster_id;
		d->power_profile.grandmaster_time_inaccuracy_ns =
		    pp->grandmaster_time_inaccuracy_ns;
		d->power_profile.network_time_inaccuracy_ns =
		    pp->network_time_inaccuracy_ns;
		d->power_profile.total_time_inaccuracy_ns =
		    pp->total_time_inaccuracy_ns;
		return 0;
	}
	case GN_MGMT_CMLDS_INFO_NP:
		d->cmlds_info.mean_link_delay_ns =
		    p->ds.peer_mean_path_delay_ns;
		d->cmlds_info.scaled_neighbor_rate_ratio =
		    mgmt_scaled_rate_ratio(p->neighbor_rate_ratio);
		d->cmlds_info.as_capable = mgmt_as_capable(p);
		return 0;
	case GN_MGMT_PORT_CORRECTIONS_NP:
		d->port_corrections.egress_latency_ns =
		    p->cfg.egress_latency_ns;
		d->port_corrections.ingress_latency_ns =
		    p->cfg.ingress_latency_ns;
		d->port_corrections.delay_asymmetry_ns =
		    p->cfg.delay_asymmetry_ns;
		return 0;
	default:
		return mgmt_unknown(id);
	}
}

/* ---- SET ---- */

static bool log_interval_ok(uint8_t v)
{
	int8_t li = (int8_t)v;

	return li >= LOG_INTERVAL_MIN && li <= LOG_INTERVAL_MAX;
}

static bool ns_in_int32(int64_t ns)
{
	return ns >= INT32_MIN && ns <= INT32_MAX;
}

static bool clock_accuracy_ok(uint8_t v)
{
	return (v >= 0x17 && v <= 0x31) || v == 0xFE;
}

/* Local time-properties flags changed: a grandmaster re-announces. */
static void mgmt_local_flags(struct gn_clock *c, uint8_t mask, uint8_t bits)
{
	c->local_time_flags =
	    (uint8_t)((c->local_time_flags & ~mask) | (bits & mask));
	gn_clock_run_state_decision(c);
}

static int mgmt_set_time(struct gn_clock *c, const struct gn_timestamp *ts)
{
	int64_t want, now;

	if (c->slave_port >= 0)
		return -EACCES; /* the grandmaster sets the time */
	if (!c->env->clock_now || !c->env->clock_step)
		return -EOPNOTSUPP;
	if (gn_timestamp_to_ns(ts, &want))
		return -EINVAL;
	now = c->env->clock_now(c->env->ctx);
	return c->env->clock_step(c->env->ctx, want - now) ? -EIO : 0;
}

static int mgmt_set_domain(struct gn_clock *c, uint8_t domain)
{
	unsigned i;

	if (domain > 127)
		return -EINVAL;
	if (domain == c->dds.domain)
		return 0;
	c->dds.domain = domain;
	c->cfg.domain = domain;
	/* Masters heard in the old domain are no masters in the new one. */
	for (i = 0; i < c->nports; i++)
		gn_foreign_clear(&c->ports[i].foreign);
	gn_clock_run_state_decision(c);
	return 0;
}

/* Symbols of a UTF-8 string: the octets that do not continue one. */
static size_t utf8_symbols(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += ((uint8_t)s[i] & 0xC0) != 0x80;
	return n;
}

static int mgmt_set_ato(struct gn_clock *c, uint16_t id,
			const union gn_mgmt_data *d)
{
	struct gn_alt_time_offset *a;
	unsigned k;

	switch (id) {
	case GN_MGMT_ALTERNATE_TIME_OFFSET_ENABLE:
		if (d->ato_enable.key == 0xFF) {
			for (k = 0; k < GN_ALT_TIME_OFFSETS; k++)
				c->alt_time[k].enabled = d->ato_enable.enable;
			return 0;
		}
		if (d->ato_enable.key >= GN_ALT_TIME_OFFSETS)
			return -EINVAL;
		c->alt_time[d->ato_enable.key].enabled = d->ato_enable.enable;
		return 0;
	case GN_MGMT_ALTERNATE_TIME_OFFSET_NAME: {
		const struct gn_mgmt_text *n = &d->ato_name.name;

		if (d->ato_name.key >= GN_ALT_TIME_OFFSETS ||
		    n->len > GN_ALT_TIME_NAME_MAX_OCTETS ||
		    utf8_symbols(n->text, n->len) > GN_ALT_TIME_NAME_SYMBOLS)
			return -EINVAL;
		a = &c->alt_time[d->ato_name.key];
		a->name_len = n->len;
		memcpy(a->name, n->text, n->len);
		a->name[n->len] = '\0';
		return 0;
	}
	default: /* GN_MGMT_ALTERNATE_TIME_OFFSET_PROPERTIES */
		if (d->ato_properties.key >= GN_ALT_TIME_OFFSETS)
			return -EINVAL;
		a = &c->alt_time[d->ato_properties.key];
		a->current_offset_s = d->ato_properties.current_offset_s;
		a->jump_seconds_s = d->ato_properties.jump_seconds_s;
		a->time_of_next_jump_s = d->ato_properties.time_of_next_jump_s;
		return 0;
	}
}

static int mgmt_set_clock(struct mgmt_req *r, uint16_t id,
			  const union gn_mgmt_data *d)
{
	struct gn_clock *c = r->c;
	struct gn_clock_quality q = c->dds.quality;

	switch (id) {
	case GN_MGMT_USER_DESCRIPTION:
		if (r->host_is_temporary)
			return -EOPNOTSUPP;
		if (d->text.len > USER_DESC_MAX)
			return -EINVAL;
		r->h->user_description = d->text;
		return 0;
	case GN_MGMT_PRIORITY1:
		gn_clock_set_priority1(c, d->u8);
		return 0;
	case GN_MGMT_PRIORITY2:
		gn_clock_set_priority2(c, d->u8);
		return 0;
	case GN_MGMT_DOMAIN:
		return mgmt_set_domain(c, d->u8);
	case GN_MGMT_SLAVE_ONLY:
		if (d->u8 > 1)
			return -EINVAL;
		c->dds.slave_only = d->u8;
		c->cfg.slave_only = d->u8;
		q.clock_class = c->cfg.quality.clock_class;
		gn_clock_set_quality(c, &q); /* slave-only forces class 255 */
		return 0;
	case GN_MGMT_CLOCK_ACCURACY:
		if (!clock_accuracy_ok(d->u8))
			return -EINVAL;
		q.clock_accuracy = d->u8;
		c->cfg.quality.clock_accuracy = d->u8;
		gn_clock_set_quality(c, &q);
		return 0;
	case GN_MGMT_TRACEABILITY_PROPERTIES:
		mgmt_local_flags(
		    c, GN_FLAG_TIME_TRACEABLE | GN_FLAG_FREQ_TRACEABLE, d->u8);
		return 0;
	case GN_MGMT_TIMESCALE_PROPERTIES:
		mgmt_local_flags(c, GN_FLAG_PTP_TIMESCALE, d->u8);
		return 0;
	case GN_MGMT_UTC_PROPERTIES: {
		uint8_t f = d->utc_properties.flags;

		if ((f & GN_MGMT_UTC_LEAP61) && (f & GN_MGMT_UTC_LEAP59))
			return -EINVAL;
		c->cfg.utc_offset = d->utc_properties.utc_offset;
		mgmt_local_flags(
		    c,
		    GN_FLAG_LEAP61 | GN_FLAG_LEAP59 | GN_FLAG_UTC_OFFSET_VALID,
		    (uint8_t)((f & GN_MGMT_UTC_LEAP61 ? GN_FLAG_LEAP61 : 0) |
			      (f & GN_MGMT_UTC_LEAP59 ? GN_FLAG_LEAP59 : 0) |
			      (f & GN_MGMT_UTC_VALID ? GN_FLAG_UTC_OFFSET_VALID
						     : 0)));
		return 0;
	}
	case GN_MGMT_TIME:
		return mgmt_set_time(c, &d->time);
	case GN_MGMT_GRANDMASTER_SETTINGS_NP:
		if ((d->gm_settings.time_flags & GN_FLAG_LEAP61) &&
		    (d->gm_settings.time_flags & GN_FLAG_LEAP59))
			return -EINVAL;
		c->cfg.utc_offset = d->gm_settings.utc_offset;
		c->cfg.time_source = d->gm_settings.time_source;
		c->cfg.quality = d->gm_settings.quality;
		c->local_time_flags = d->gm_settings.time_flags;
		gn_clock_set_quality(c, &d->gm_settings.quality);
		return 0;
	case GN_MGMT_SYNCHRONIZATION_UNCERTAIN_NP:
		if (d->u8 > 1 && d->u8 != 0xFF)
			return -EINVAL;
		r->h->sync_uncertain = d->u8;
		return 0;
	case GN_MGMT_ALTERNATE_TIME_OFFSET_ENABLE:
	case GN_MGMT_ALTERNATE_TIME_OFFSET_NAME:
	case GN_MGMT_ALTERNATE_TIME_OFFSET_PROPERTIES:
		return mgmt_set_ato(c, id, d);
	case GN_MGMT_EXTERNAL_GRANDMASTER_PROPERTIES_NP:
		/* Any identity and count, as linuxptp; all-zero identity
		 * switches back to the clock's own. */
		c->ext_gm_identity = d->ext_gm.gm_identity;
		c->ext_gm_steps_removed = d->ext_gm.steps_removed;
		gn_clock_run_state_decision(c);
		return 0;
	default:
		return -EACCES;
	}
}

static int mgmt_set_port(struct mgmt_req *r, struct gn_port *p, uint16_t id,
			 const union gn_mgmt_data *d)
{
	switch (id) {
	case GN_MGMT_LOG_ANNOUNCE_INTERVAL:
		if (!log_interval_ok(d->u8))
			return -EINVAL;
		p->ds.log_announce_interval = (int8_t)d->u8;
		return 0;
	case GN_MGMT_ANNOUNCE_RECEIPT_TIMEOUT:
		if (d->u8 < 2)
			return -EINVAL;
		p->ds.announce_receipt_timeout = d->u8;
		return 0;
	case GN_MGMT_LOG_SYNC_INTERVAL:
		if (!log_interval_ok(d->u8))
			return -EINVAL;
		p->ds.log_sync_interval = (int8_t)d->u8;
		return 0;
	case GN_MGMT_LOG_MIN_PDELAY_REQ_INTERVAL:
		if (!log_interval_ok(d->u8))
			return -EINVAL;
		p->ds.log_min_pdelay_req_interval = (int8_t)d->u8;
		return 0;
	case GN_MGMT_VERSION_NUMBER:
		if ((d->u8 & 0x0F) != 2)
			return -EINVAL;
		return 0; /* only version 2 exists; the minor stays */
	case GN_MGMT_DELAY_MECHANISM:
		if (d->u8 != GN_DM_E2E && d->u8 != GN_DM_P2P &&
		    d->u8 != GN_DM_COMMON_P2P && d->u8 != GN_DM_NONE)
			return -EINVAL;
		/* The transport joined its peer-delay group (or not) at
		 * start: another mechanism needs a restart. */
		return d->u8 == p->ds.delay_mechanism ? 0 : -EOPNOTSUPP;
	case GN_MGMT_MASTER_ONLY:
		if (d->u8 > 1)
			return -EINVAL;
		p->cfg.master_only = d->u8;
		gn_clock_run_state_decision(r->c);
		return 0;
	case GN_MGMT_PORT_DATA_SET_NP:
		if (d->port_ds_np.neighbor_prop_delay_thresh_ns > INT32_MAX)
			return -EINVAL;
		p->cfg.neighbor_prop_delay_thresh_ns =
		    d->port_ds_np.neighbor_prop_delay_thresh_ns;
		return 0;
	case GN_MGMT_POWER_PROFILE_SETTINGS_NP: {
		const struct gn_mgmt_power_profile_np *pp = &d->power_profile;

		if (pp->version > GN_POWER_PROFILE_2017)
			return -EINVAL;
		p->cfg.power_profile.version = pp->version;
		p->cfg.power_profile.grandmaster_id = pp->grandmaster_id;
		p->cfg.power_profile.grandmaster_time_inaccuracy_ns =
		    pp->grandmaster_time_inaccuracy_ns;
		p->cfg.power_profile.network_time_inaccuracy_ns =
		    pp->network_time_inaccuracy_ns;
		p->cfg.power_profile.total_time_inaccuracy_ns =
		    pp->total_time_inaccuracy_ns;
		return 0;
	}
	case GN_MGMT_PORT_CORRECTIONS_NP: {
		const struct gn_mgmt_port_corrections_np *pc =
		    &d->port_corrections;

		/* The range of the egressLatency, ingressLatency and
		 * delayAsymmetry options (ns). */
		if (!ns_in_int32(pc->egress_latency_ns) ||
		    !ns_in_int32(pc->ingress_latency_ns) ||
		    !ns_in_int32(pc->delay_asymmetry_ns))
			return -EINVAL;
		p->cfg.egress_latency_ns = pc->egress_latency_ns;
		p->cfg.ingress_latency_ns = pc->ingress_latency_ns;
		p->cfg.delay_asymmetry_ns = pc->delay_asymmetry_ns;
		return 0;
	}
	default:
		return -EACCES;
	}
}

/* ---- replies ---- */

static void mgmt_send(struct mgmt_req *r, const struct gn_port_identity *source,
		      uint8_t action, uint16_t id, const uint8_t *data,
		      int data_len, uint16_t error_id)
{
	uint8_t value[GN_MAX_MSG_LEN], frame[GN_MAX_MSG_LEN];
	const struct gn_msg *req = r->req;
	struct gn_clock *c = r->c;
	size_t max = r->h->max_reply_len ? r->h->max_reply_len : GN_MAX_MSG_LEN;
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
	for (;;) {
		if (error_id) {
			struct gn_tlv_mgmt_error e = {.error_id = error_id,
						      .mgmt_id = id};

			vlen =
			    gn_tlv_mgmt_error_encode(&e, value, sizeof(value));
			m.tlv[0].type = GN_TLV_MANAGEMENT_ERROR_STATUS;
		} else {
			struct gn_tlv_mgmt t = {.id = id,
						.data_len = (uint16_t)data_len,
						.data = data};

			vlen = gn_tlv_mgmt_encode(&t, value, sizeof(value));
			m.tlv[0].type = GN_TLV_MANAGEMENT;
		}
		len = -ENOSPC;
		if (vlen >= 0) {
			m.tlv[0].length = (uint16_t)vlen;
			m.tlv[0].value = value;
			m.ntlv = 1;
			len = gn_msg_serialize(&m, frame, sizeof(frame));
		}
		if (len > 0 && (size_t)len <= max)
			break;
		if (error_id)
			return; /* even the error does not fit */
		error_id = GN_MGMT_ERR_RESPONSE_TOO_BIG;
	}
	if (error_id)
		r->h->errors++;
	if (r->ingress < 0) {
		if (r->fn)
			r->fn(r->ctx, frame, (size_t)len);
	} else if (mgmt_port_send(c, (unsigned)r->ingress, frame, (size_t)len,
				  m.h.sequence_id) < 0) {
		return;
	}
	r->sent++;
}

/* The identity replies about the clock come from: the local client's
 * "port 0", or the port the request came in on. */
static struct gn_port_identity mgmt_clock_source(const struct mgmt_req *r)
{
	struct gn_port_identity src = {.clock = r->c->dds.identity, .port = 0};

	if (r->ingress >= 0)
		src = r->c->ports[r->ingress].ds.identity;
	return src;
}

/* SET of an id that has no setter: NOT_SETABLE when GET knows it,
 * else whatever GET says (NOT_SUPPORTED, NO_SUCH_ID). */
static int mgmt_not_settable(const struct mgmt_req *r, const struct gn_port *p,
			     uint16_t id)
{
	union gn_mgmt_data d;
	int err;

	memset(&d, 0, sizeof(d));
	err = p ? mgmt_get_port(r, p, id, &d) : mgmt_get_clock(r, id, &d);
	return err ? err : -EACCES;
}

static int mgmt_command(struct mgmt_req *r, struct gn_port *p, uint16_t id)
{
	switch (id) {
	case GN_MGMT_NULL_MANAGEMENT:
		return 0;
	case GN_MGMT_ENABLE_PORT:
	case GN_MGMT_DISABLE_PORT:
		gn_clock_port_enable(r->c, p->index, id == GN_MGMT_ENABLE_PORT);
		return 0;
	case GN_MGMT_SAVE_IN_NON_VOLATILE_STORAGE:
	case GN_MGMT_RESET_NON_VOLATILE_STORAGE:
	case GN_MGMT_INITIALIZE:
	case GN_MGMT_FAULT_LOG_RESET:
		return -EOPNOTSUPP;
	default:
		/* A data set is no command. */
		return mgmt_not_settable(r, p, id);
	}
}

/* Answers one (id, action) for the clock (p == NULL) or a port. */
static void mgmt_answer(struct mgmt_req *r, struct gn_port *p,
			const struct gn_tlv_mgmt *t)
{
	struct gn_port_identity src = p ? p->ds.identity : mgmt_clock_source(r);
	uint8_t action = r->req->body.mgmt.action;
	uint8_t data[GN_MAX_MSG_LEN];
	union gn_mgmt_data d;
	const char *reason = NULL;
	int err = 0, len = 0;

	memset(&d, 0, sizeof(d));
	switch (action) {
	case GN_MGMT_GET:
		/* A GET's dataField is ignored (pmc fills it with zeros),
		 * but for the ALTERNATE_TIME_OFFSET_* keyField. */
		err = p ? mgmt_get_port(r, p, t->id, &d)
			: mgmt_get_clock(r, t->id, &d);
		break;
	case GN_MGMT_SET:
		if (!gn_mgmt_id_str(t->id)) {
			err = -ENOENT;
			break;
		}
		err = gn_mgmt_decode(t->id, t->data, t->data_len, &d, &reason);
		if (err == 0)
			err = p ? mgmt_set_port(r, p, t->id, &d)
				: mgmt_set_clock(r, t->id, &d);
		if (err == -EACCES && !gn_mgmt_has_codec(t->id))
			err = -EOPNOTSUPP;
		else if (err == -EACCES)
			err = mgmt_not_settable(r, p, t->id);
		if (err == 0) {
			memset(&d, 0, sizeof(d));
			err = p ? mgmt_get_port(r, p, t->id, &d)
				: mgmt_get_clock(r, t->id, &d);
		}
		break;
	case GN_MGMT_COMMAND:
		err = mgmt_command(r, p, t->id);
		break;
	default:
		return;
	}
	if (err == 0 && action != GN_MGMT_COMMAND && gn_mgmt_has_codec(t->id))
		len = gn_mgmt_encode(t->id, &d, data, sizeof(data));
	if (len < 0)
		err = len;
	mgmt_send(r, &src,
		  action == GN_MGMT_COMMAND ? GN_MGMT_ACKNOWLEDGE
					    : GN_MGMT_RESPONSE,
		  t->id, data, err ? 0 : len, err ? gn_mgmt_error_id(err) : 0);
}

/* One error reply from the clock (not per port). */
static void mgmt_refuse(struct mgmt_req *r, uint16_t id, uint16_t error_id)
{
	struct gn_port_identity src = mgmt_clock_source(r);

	mgmt_send(r, &src,
		  r->req->body.mgmt.action == GN_MGMT_COMMAND
		      ? GN_MGMT_ACKNOWLEDGE
		      : GN_MGMT_RESPONSE,
		  id, NULL, 0, error_id);
}

/* Answers a parsed request addressed to this clock. */
static void mgmt_dispatch(struct mgmt_req *r, const struct gn_tlv_mgmt *t)
{
	struct gn_clock *c = r->c;
	uint16_t target_port = r->req->body.mgmt.target.port;
	uint8_t action = r->req->body.mgmt.action;
	unsigned i, before = r->sent;

	r->h->requests++;
	r->tlv = t;
	/* linuxptp's order of refusals. */
	if (action == GN_MGMT_SET && t->data_len == 0 &&
	    t->id != GN_MGMT_NULL_MANAGEMENT) {
		mgmt_refuse(r, t->id, GN_MGMT_ERR_WRONG_LENGTH);
		return;
	}
	if (action != GN_MGMT_GET && !r->may_write) {
		mgmt_refuse(r, t->id, GN_MGMT_ERR_NOT_SUPPORTED);
		return;
	}
	if (!r->local_rw && (t->id == GN_MGMT_PORT_PROPERTIES_NP ||
			     t->id == GN_MGMT_PORT_HWCLOCK_NP)) {
		mgmt_refuse(r, t->id, GN_MGMT_ERR_NOT_SUPPORTED);
		return;
	}
	/* Clock ids: answered whatever the port number (as linuxptp). */
	if (!gn_mgmt_id_is_port(t->id) && gn_mgmt_id_str(t->id)) {
		mgmt_answer(r, NULL, t);
		return;
	}
	if (!gn_mgmt_id_str(t->id)) {
		/* Unknown: one NO_SUCH_ID from the clock. */
		mgmt_answer(r, NULL, t);
		return;
	}
	for (i = 0; i < c->nports; i++) {
		if (target_port != MGMT_ALL_PORTS && target_port != i + 1)
			continue;
		mgmt_answer(r, &c->ports[i], t);
	}
	if (r->sent == before) {
		/* No such port: WRONG_VALUE (1588 interpretation 21). */
		mgmt_refuse(r, t->id, GN_MGMT_ERR_WRONG_VALUE);
	}
}

static int mgmt_parse(const uint8_t *buf, size_t len, struct gn_msg *m)
{
	if (gn_msg_parse(buf, len, m) != GN_WIRE_OK ||
	    m->h.type != GN_MSG_MANAGEMENT)
		return -EBADMSG;
	return 0;
}

static bool mgmt_is_request(const struct gn_msg *m)
{
	uint8_t a = m->body.mgmt.action;

	return a == GN_MGMT_GET || a == GN_MGMT_SET || a == GN_MGMT_COMMAND;
}

/* The request's TLV, when it is for this clock; else NULL-like -1. */
static int mgmt_request_tlv(const struct gn_clock *c, const struct gn_msg *m,
			    struct gn_tlv_mgmt *t)
{
	const char *reason;

	if (m->h.domain != c->dds.domain ||
	    !mgmt_targets_us(c, &m->body.mgmt.target))
		return 0;
	if (m->ntlv < 1 || m->tlv[0].type != GN_TLV_MANAGEMENT ||
	    gn_tlv_mgmt_decode(&m->tlv[0], t, &reason) < 0)
		return -EBADMSG;
	return 1;
}

int gn_mgmt_local(struct gn_clock *c, struct gn_mgmt_host *h,
		  const uint8_t *buf, size_t len, bool read_only,
		  gn_mgmt_reply_fn fn, void *ctx)
{
	struct gn_mgmt_host tmp;
	struct mgmt_req r = {0};
	struct gn_tlv_mgmt t;
	struct gn_msg m;
	int rc;

	if (mgmt_parse(buf, len, &m))
		return -EBADMSG;
	if (!mgmt_is_request(&m))
		return 0; /* responses and acks are not for us */
	if (!read_only)
		mgmt_forward(c, h, buf, len, -1);
	rc = mgmt_request_tlv(c, &m, &t);
	if (rc <= 0)
		return rc;
	r.host_is_temporary = !h;
	if (!h) {
		gn_mgmt_host_init(&tmp);
		h = &tmp;
	}
	r.c = c;
	r.h = h;
	r.req = &m;
	r.ingress = -1;
	r.may_write = !read_only;
	r.local_rw = !read_only;
	r.fn = fn;
	r.ctx = ctx;
	mgmt_dispatch(&r, &t);
	return (int)r.sent;
}

int gn_clock_management(struct gn_clock *c, const uint8_t *buf, size_t len,
			bool read_only, gn_mgmt_reply_fn fn, void *ctx)
{
	return gn_mgmt_local(c, NULL, buf, len, read_only, fn, ctx);
}

int gn_mgmt_port_rx(struct gn_clock *c, struct gn_mgmt_host *h, unsigned port,
		    const uint8_t *buf, size_t len)
{
	struct mgmt_req r = {0};
	struct gn_tlv_mgmt t;
	struct gn_msg m;

	if (port >= c->nports || mgmt_parse(buf, len, &m))
		return -EBADMSG;
	c->ports[port].stats.rx[GN_MSG_MANAGEMENT]++;
	if (!h || h->network_access == GN_MGMT_ACCESS_NONE)
		return 0;
	/* Our own frames, back through another path: drop. */
	if (gn_clock_identity_eq(&m.h.source.clock, &c->dds.identity))
		return 0;
	mgmt_forward(c, h, buf, len, (int)port);
	if (!mgmt_is_request(&m))
		return (m.body.mgmt.action == GN_MGMT_RESPONSE ||
			m.body.mgmt.action == GN_MGMT_ACKNOWLEDGE) &&
		       m.body.mgmt.boundary_hops > 0;
	if (mgmt_request_tlv(c, &m, &t) <= 0)
		return 0;
	r.c = c;
	r.h = h;
	r.req = &m;
	r.ingress = (int)port;
	r.may_write = h->network_access == GN_MGMT_ACCESS_WRITE;
	mgmt_dispatch(&r, &t);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wire.c - parse and serialize PTP messages (IEEE 1588-2008 and -2019
 * headers, every message type, the TLV framing after the body).
 *
 * Receive policy:
 * - Everything read from the wire is bounds-checked against both the
 *   buffer and messageLength; octets after messageLength are Ethernet
 *   padding and are ignored.
 * - Only the low nibble of versionPTP must be 2; minorVersionPTP is
 *   recorded, so 2.0 (linuxptp 3.x) and 2.1 peers are both accepted.
 * - transportSpecific/majorSdoId is recorded, not checked: gPTP sends 1,
 *   the caller decides which SDOs a port accepts.
 * - Reserved fields (header octet 5 in 2008, messageTypeSpecific in
 *   2008, Announce octet 46, Pdelay_Req's 10 reserved octets, the high
 *   nibble of actionField and Management octet 47) are ignored on
 *   receive, as 1588 requires, and written as zero on transmit.
 * - controlField is recorded but not checked (1588-2019 says to ignore it).
 * - TLV values are framed (header and value inside messageLength, even
 *   length, at most GN_MSG_MAX_TLVS) but not decoded: tlv.c decodes the
 *   types a caller cares about, so an unknown or unused TLV never makes
 *   a good message fail.
 * - A Management message with an empty TLV area is valid (ntlv == 0);
 *   the management layer answers nothing to it. When it does carry TLVs,
 *   the first must be MANAGEMENT (>= 2 octets) or MANAGEMENT_ERROR_STATUS
 *   (>= 8 octets), so the management layer can rely on tlv[0].
 *
 * Serializing is the exact inverse and refuses what parsing would reject.
 * No I/O, no allocation, no globals.
 */
#include <string.h>

#include "tlv.h"
#include "wire.h"

#define ACTION_MAX 4 /* ACKNOWLEDGE */

static const char *const wire_errors[GN_WIRE_ERROR_COUNT] = {
    [GN_WIRE_OK] = "ok",
    [GN_WIRE_TOO_SHORT] = "shorter than a PTP header",
    [GN_WIRE_BAD_VERSION] = "versionPTP is not 2",
    [GN_WIRE_BAD_LENGTH] = "messageLength below 34 or beyond the frame",
    [GN_WIRE_BAD_TYPE] = "reserved messageType",
    [GN_WIRE_BODY_TOO_SHORT] = "messageLength too short for the type",
    [GN_WIRE_BAD_TIMESTAMP] = "timestamp nanoseconds >= 1e9",
    [GN_WIRE_TLV_TRUNCATED] = "TLV runs past messageLength",
    [GN_WIRE_TLV_ODD_LENGTH] = "TLV lengthField is odd",
    [GN_WIRE_TOO_MANY_TLVS] = "too many TLVs",
    [GN_WIRE_BAD_TLV] = "malformed TLV",
    [GN_WIRE_BAD_ACTION] = "reserved management actionField",
    [GN_WIRE_NO_SPACE] = "output buffer too small",
};

const char *gn_wire_strerror(enum gn_wire_error e)
{
	if ((unsigned)e >= GN_WIRE_ERROR_COUNT)
		return "unknown wire error";
	return wire_errors[e];
}

size_t gn_msg_body_len(uint8_t type)
{
	switch (type) {
	case GN_MSG_SYNC:
	case GN_MSG_DELAY_REQ:
	case GN_MSG_FOLLOW_UP:
	case GN_MSG_SIGNALING:
		return 44;
	case GN_MSG_PDELAY_REQ:
	case GN_MSG_PDELAY_RESP:
	case GN_MSG_DELAY_RESP:
	case GN_MSG_PDELAY_RESP_FUP:
		return 54;
	case GN_MSG_ANNOUNCE:
		return 64;
	case GN_MSG_MANAGEMENT:
		return 48;
	default:
		return 0;
	}
}

bool gn_msg_is_event(uint8_t type)
{
	return type <= GN_MSG_PDELAY_RESP;
}

const char *gn_msg_type_str(uint8_t type)
{
	switch (type) {
	case GN_MSG_SYNC:
		return "SYNC";
	case GN_MSG_DELAY_REQ:
		return "DELAY_REQ";
	case GN_MSG_PDELAY_REQ:
		return "PDELAY_REQ";
	case GN_MSG_PDELAY_RESP:
		return "PDELAY_RESP";
	case GN_MSG_FOLLOW_UP:
		return "FOLLOW_UP";
	case GN_MSG_DELAY_RESP:
		return "DELAY_RESP";
	case GN_MSG_PDELAY_RESP_FUP:
		return "PDELAY_RESP_FOLLOW_UP";
	case GN_MSG_ANNOUNCE:
		return "ANNOUNCE";
	case GN_MSG_SIGNALING:
		return "SIGNALING";
	case GN_MSG_MANAGEMENT:
		return "MANAGEMENT";
	default:
		return "UNKNOWN";
	}
}

static uint8_t default_control(uint8_t type)
{
	switch (type) {
	case GN_MSG_SYNC:
		return 0;
	case GN_MSG_DELAY_REQ:
		return 1;
	case GN_MSG_FOLLOW_UP:
		return 2;
	case GN_MSG_DELAY_RESP:
		return 3;
	case GN_MSG_MANAGEMENT:
		return 4;
	default:
		return 5;
	}
}

void gn_header_init(struct gn_header *h, uint8_t type)
{
	memset(h, 0, sizeof(*h));
	h->type = type & 0xF;
	h->version = 2;
	h->minor_version = 1;
	h->control = default_control(type);
	h->log_interval = GN_LOG_INTERVAL_NA;
}

static void get_port_identity(const uint8_t *p, struct gn_port_identity *pid)
{
	memcpy(pid->clock.id, p, sizeof(pid->clock.id));
	pid->port = gn_get16(p + 8);
}

static void put_port_identity(uint8_t *p, const struct gn_port_identity *pid)
{
	memcpy(p, pid->clock.id, sizeof(pid->clock.id));
	gn_put16(p + 8, pid->port);
}

static bool get_timestamp(const uint8_t *p, struct gn_timestamp *ts)
{
	ts->sec = gn_get48(p);
	ts->nsec = gn_get32(p + 6);
	return ts->nsec < GN_NS_PER_S;
}

static bool timestamp_ok(const struct gn_timestamp *ts)
{
	return ts->sec < (1ULL << 48) && ts->nsec < GN_NS_PER_S;
}

static void put_timestamp(uint8_t *p, const struct gn_timestamp *ts)
{
	gn_put48(p, ts->sec);
	gn_put32(p + 6, ts->nsec);
}

static void get_header(const uint8_t *p, struct gn_header *h)
{
	h->sdo_major = p[0] >> 4;
	h->type = p[0] & 0xF;
	h->version = p[1] & 0xF;
	h->minor_version = p[1] >> 4;
	h->length = gn_get16(p + 2);
	h->domain = p[4];
	h->sdo_minor = p[5];
	h->flags = gn_get16(p + 6);
	h->correction = (int64_t)gn_get64(p + 8);
	h->type_specific = gn_get32(p + 16);
	get_port_identity(p + 20, &h->source);
	h->sequence_id = gn_get16(p + 30);
	h->control = p[32];
	h->log_interval = (int8_t)p[33];
}

static void put_header(uint8_t *p, const struct gn_header *h, uint16_t len)
{
	p[0] = (uint8_t)((h->sdo_major & 0xF) << 4 | (h->type & 0xF));
	p[1] = (uint8_t)((h->minor_version & 0xF) << 4 | (h->version & 0xF));
	gn_put16(p + 2, len);
	p[4] = h->domain;
	p[5] = h->sdo_minor;
	gn_put16(p + 6, h->flags);
	gn_put64(p + 8, (uint64_t)h->correction);
	gn_put32(p + 16, h->type_specific);
	put_port_identity(p + 20, &h->source);
	gn_put16(p + 30, h->sequence_id);
	p[32] = h->control;
	p[33] = (uint8_t)h->log_interval;
}

static enum gn_wire_error get_body(const uint8_t *p, struct gn_msg *m)
{
	struct gn_announce *a = &m->body.announce;
	struct gn_ts_and_port *r = &m->body.resp;
	struct gn_management_body *mg = &m->body.mgmt;

	switch (m->h.type) {
	case GN_MSG_SYNC:
	case GN_MSG_DELAY_REQ:
	case GN_MSG_FOLLOW_UP:
	case GN_MSG_PDELAY_REQ: /* + 10 reserved octets */
		if (!get_timestamp(p, &m->body.origin))
			return GN_WIRE_BAD_TIMESTAMP;
		break;
	case GN_MSG_DELAY_RESP:
	case GN_MSG_PDELAY_RESP:
	case GN_MSG_PDELAY_RESP_FUP:
		if (!get_timestamp(p, &r->ts))
			return GN_WIRE_BAD_TIMESTAMP;
		get_port_identity(p + 10, &r->port);
		break;
	case GN_MSG_ANNOUNCE:
		if (!get_timestamp(p, &a->origin))
			return GN_WIRE_BAD_TIMESTAMP;
		a->current_utc_offset = (int16_t)gn_get16(p + 10);
		/* p[12] reserved */
		a->gm_priority1 = p[13];
		a->gm_quality.clock_class = p[14];
		a->gm_quality.clock_accuracy = p[15];
		a->gm_quality.offset_scaled_log_variance = gn_get16(p + 16);
		a->gm_priority2 = p[18];
		memcpy(a->gm_identity.id, p + 19, sizeof(a->gm_identity.id));
		a->steps_removed = gn_get16(p + 27);
		a->time_source = p[29];
		break;
	case GN_MSG_SIGNALING:
		get_port_identity(p, &m->body.target);
		break;
	case GN_MSG_MANAGEMENT:
		get_port_identity(p, &mg->target);
		mg->starting_boundary_hops = p[10];
		mg->boundary_hops = p[11];
		mg->action = p[12] & 0xF; /* high nibble reserved */
		if (mg->action > ACTION_MAX)
			return GN_WIRE_BAD_ACTION;
		/* p[13] reserved */
		break;
	}
	return GN_WIRE_OK;
}

static enum gn_wire_error check_body(const struct gn_msg *m)
{
	switch (m->h.type) {
	case GN_MSG_SYNC:
	case GN_MSG_DELAY_REQ:
	case GN_MSG_FOLLOW_UP:
	case GN_MSG_PDELAY_REQ:
		return timestamp_ok(&m->body.origin) ? GN_WIRE_OK
						     : GN_WIRE_BAD_TIMESTAMP;
	case GN_MSG_DELAY_RESP:
	case GN_MSG_PDELAY_RESP:
	case GN_MSG_PDELAY_RESP_FUP:
		return timestamp_ok(&m->body.resp.ts) ? GN_WIRE_OK
						      : GN_WIRE_BAD_TIMESTAMP;
	case GN_MSG_ANNOUNCE:
		return timestamp_ok(&m->body.announce.origin)
			   ? GN_WIRE_OK
			   : GN_WIRE_BAD_TIMESTAMP;
	case GN_MSG_MANAGEMENT:
		return m->body.mgmt.action <= ACTION_MAX ? GN_WIRE_OK
							 : GN_WIRE_BAD_ACTION;
	default:
		return GN_WIRE_OK;
	}
}

/* The body area is zeroed by the caller, so reserved octets stay 0. */
static void put_body(uint8_t *p, const struct gn_msg *m)
{
	const struct gn_announce *a = &m->body.announce;
	const struct gn_ts_and_port *r = &m->body.resp;
	const struct gn_management_body *mg = &m->body.mgmt;

	switch (m->h.type) {
	case GN_MSG_SYNC:
	case GN_MSG_DELAY_REQ:
	case GN_MSG_FOLLOW_UP:
	case GN_MSG_PDELAY_REQ:
		put_timestamp(p, &m->body.origin);
		break;
	case GN_MSG_DELAY_RESP:
	case GN_MSG_PDELAY_RESP:
	case GN_MSG_PDELAY_RESP_FUP:
		put_timestamp(p, &r->ts);
		put_port_identity(p + 10, &r->port);
		break;
	case GN_MSG_ANNOUNCE:
		put_timestamp(p, &a->origin);
		gn_put16(p + 10, (uint16_t)a->current_utc_offset);
		p[13] = a->gm_priority1;
		p[14] = a->gm_quality.clock_class;
		p[15] = a->gm_quality.clock_accuracy;
		gn_put16(p + 16, a->gm_quality.offset_scaled_log_variance);
		p[18] = a->gm_priority2;
		memcpy(p + 19, a->gm_identity.id, sizeof(a->gm_identity.id));
		gn_put16(p + 27, a->steps_removed);
		p[29] = a->time_source;
		break;
	case GN_MSG_SIGNALING:
		put_port_identity(p, &m->body.target);
		break;
	case GN_MSG_MANAGEMENT:
		put_port_identity(p, &mg->target);
		p[10] = mg->starting_boundary_hops;
		p[11] = mg->boundary_hops;
		p[12] = mg->action & 0xF;
		break;
	}
}

/* See the receive policy above: what a Management message's TLV must be. */
static enum gn_wire_error check_management_tlv(const struct gn_msg *m)
{
	const struct gn_tlv *t = &m->tlv[0];

	if (m->h.type != GN_MSG_MANAGEMENT || m->ntlv == 0)
		return GN_WIRE_OK;
	if (t->type == GN_TLV_MANAGEMENT && t->length >= 2)
		return GN_WIRE_OK;
	if (t->type == GN_TLV_MANAGEMENT_ERROR_STATUS && t->length >= 8)
		return GN_WIRE_OK;
	return GN_WIRE_BAD_TLV;
}

static enum gn_wire_error get_tlvs(const uint8_t *buf, size_t off, size_t end,
				   struct gn_msg *m)
{
	struct gn_tlv *t;
	uint16_t tlen;

	while (off < end) {
		if (end - off < 4)
			return GN_WIRE_TLV_TRUNCATED;
		tlen = gn_get16(buf + off + 2);
		if (tlen & 1)
			return GN_WIRE_TLV_ODD_LENGTH;
		if (end - off - 4 < tlen)
			return GN_WIRE_TLV_TRUNCATED;
		if (m->ntlv == GN_MSG_MAX_TLVS)
			return GN_WIRE_TOO_MANY_TLVS;
		t = &m->tlv[m->ntlv];
		t->type = gn_get16(buf + off);
		t->length = tlen;
		t->value = buf + off + 4;
		m->tlv_offset[m->ntlv] = (uint16_t)off;
		m->ntlv++;
		off += 4 + (size_t)tlen;
	}
	return GN_WIRE_OK;
}

enum gn_wire_error gn_msg_parse(const uint8_t *buf, size_t len,
				struct gn_msg *m)
{
	enum gn_wire_error err;
	size_t body_len;

	memset(m, 0, sizeof(*m));
	if (len < GN_HEADER_LEN)
		return GN_WIRE_TOO_SHORT;
	get_header(buf, &m->h);
	if (m->h.version != 2)
		return GN_WIRE_BAD_VERSION;
	if (m->h.length < GN_HEADER_LEN || m->h.length > len)
		return GN_WIRE_BAD_LENGTH;
	body_len = gn_msg_body_len(m->h.type);
	if (body_len == 0)
		return GN_WIRE_BAD_TYPE;
	if (m->h.length < body_len)
		return GN_WIRE_BODY_TOO_SHORT;
	err = get_body(buf + GN_HEADER_LEN, m);
	if (err)
		return err;
	err = get_tlvs(buf, body_len, m->h.length, m);
	if (err)
		return err;
	return check_management_tlv(m);
}

int gn_msg_serialize(struct gn_msg *m, uint8_t *buf, size_t cap)
{
	enum gn_wire_error err;
	size_t body_len, total, off;
	unsigned i;

	body_len = gn_msg_body_len(m->h.type);
	if (body_len == 0)
		return -GN_WIRE_BAD_TYPE;
	if (m->ntlv > GN_MSG_MAX_TLVS)
		return -GN_WIRE_TOO_MANY_TLVS;
	err = check_body(m);
	if (err)
		return -(int)err;
	total = body_len;
	for (i = 0; i < m->ntlv; i++) {
		if (m->tlv[i].length & 1)
			return -GN_WIRE_TLV_ODD_LENGTH;
		if (m->tlv[i].length && !m->tlv[i].value)
			return -GN_WIRE_BAD_TLV;
		total += 4 + (size_t)m->tlv[i].length;
	}
	if (total > UINT16_MAX)
		return -GN_WIRE_BAD_LENGTH;
	err = check_management_tlv(m);
	if (err)
		return -(int)err;
	if (total > cap)
		return -GN_WIRE_NO_SPACE;

	memset(buf, 0, body_len);
	m->h.length = (uint16_t)total;
	put_header(buf, &m->h, m->h.length);
	put_body(buf + GN_HEADER_LEN, m);
	off = body_len;
	for (i = 0; i < m->ntlv; i++) {
		gn_put16(buf + off, m->tlv[i].type);
		gn_put16(buf + off + 2, m->tlv[i].length);
		if (m->tlv[i].length)
			memmove(buf + off + 4, m->tlv[i].value,
				m->tlv[i].length);
		m->tlv_offset[i] = (uint16_t)off;
		off += 4 + (size_t)m->tlv[i].length;
	}
	return (int)total;
}

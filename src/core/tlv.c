/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tlv.c - typed decode and encode of TLV values (see tlv.h).
 *
 * Every length comes from the frame that wire.c already bounded; the
 * decoders still check that each field they read lies inside
 * t->length. Lengths are exact: a TLV longer than its type needs is as
 * wrong as a short one (padding only where 1588 puts it, after a
 * PTPText). No I/O, no allocation, no globals.
 */
#include <errno.h>
#include <string.h>

#include "tlv.h"

static const uint8_t oui_802_1[3] = {GN_OUI_IEEE_802_1};
static const uint8_t oui_c37_238[3] = {GN_OUI_IEEE_C37_238};

/* Organisation oui, three-octet subtype 0 0 sub. */
static bool org_is(const struct gn_tlv_org *o, const uint8_t *oui,
		   uint8_t sub)
{
	return memcmp(o->org_id, oui, 3) == 0 && o->subtype[0] == 0 &&
	       o->subtype[1] == 0 && o->subtype[2] == sub;
}

static bool org_is_follow_up_info(const struct gn_tlv_org *o)
{
	return org_is(o, oui_802_1, GN_802_1AS_FOLLOW_UP_INFO);
}

/* C37.238 subtypes 1 (2011) and 2 (2017). */
static bool org_is_c37_238(const struct gn_tlv_org *o)
{
	return org_is(o, oui_c37_238, GN_C37_238_2011) ||
	       org_is(o, oui_c37_238, GN_C37_238_2017);
}

static int fail(const char **reason, const char *why, int err)
{
	if (reason)
		*reason = why;
	return err;
}

static size_t even(size_t n)
{
	return n + (n & 1);
}

const struct gn_tlv *gn_msg_find_tlv(const struct gn_msg *m, uint16_t type)
{
	unsigned i;

	for (i = 0; i < m->ntlv && i < GN_MSG_MAX_TLVS; i++) {
		if (m->tlv[i].type == type)
			return &m->tlv[i];
	}
	return NULL;
}

int gn_msg_add_tlv(struct gn_msg *m, uint16_t type, const uint8_t *value,
		   int len)
{
	if (len < 0)
		return len;
	if ((len & 1) || len > UINT16_MAX)
		return -EINVAL;
	if (m->ntlv >= GN_MSG_MAX_TLVS)
		return -ENOSPC;
	m->tlv[m->ntlv].type = type;
	m->tlv[m->ntlv].length = (uint16_t)len;
	m->tlv[m->ntlv].value = value;
	m->ntlv++;
	return 0;
}

const char *gn_tlv_type_str(uint16_t type)
{
	switch (type) {
	case GN_TLV_MANAGEMENT:
		return "MANAGEMENT";
	case GN_TLV_MANAGEMENT_ERROR_STATUS:
		return "MANAGEMENT_ERROR_STATUS";
	case GN_TLV_ORGANIZATION_EXTENSION:
		return "ORGANIZATION_EXTENSION";
	case GN_TLV_REQUEST_UNICAST:
		return "REQUEST_UNICAST_TRANSMISSION";
	case GN_TLV_GRANT_UNICAST:
		return "GRANT_UNICAST_TRANSMISSION";
	case GN_TLV_CANCEL_UNICAST:
		return "CANCEL_UNICAST_TRANSMISSION";
	case GN_TLV_ACK_CANCEL_UNICAST:
		return "ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION";
	case GN_TLV_PATH_TRACE:
		return "PATH_TRACE";
	case GN_TLV_ALTERNATE_TIME_OFFSET:
		return "ALTERNATE_TIME_OFFSET_INDICATOR";
	case GN_TLV_AUTHENTICATION_2008:
		return "AUTHENTICATION_2008";
	case GN_TLV_ORG_EXT_PROPAGATE:
		return "ORGANIZATION_EXTENSION_PROPAGATE";
	case GN_TLV_ENHANCED_ACCURACY_METRICS:
		return "ENHANCED_ACCURACY_METRICS";
	case GN_TLV_SLAVE_DELAY_TIMING_DATA_NP:
		return "SLAVE_DELAY_TIMING_DATA_NP";
	case GN_TLV_ORG_EXT_DO_NOT_PROPAGATE:
		return "ORGANIZATION_EXTENSION_DO_NOT_PROPAGATE";
	case GN_TLV_L1_SYNC:
		return "L1_SYNC";
	case GN_TLV_PORT_COMMUNICATION_AVAIL:
		return "PORT_COMMUNICATION_AVAILABILITY";
	case GN_TLV_PROTOCOL_ADDRESS:
		return "PROTOCOL_ADDRESS";
	case GN_TLV_SLAVE_RX_SYNC_TIMING_DATA:
		return "SLAVE_RX_SYNC_TIMING_DATA";
	case GN_TLV_SLAVE_RX_SYNC_COMPUTED_DATA:
		return "SLAVE_RX_SYNC_COMPUTED_DATA";
	case GN_TLV_SLAVE_TX_EVENT_TIMESTAMPS:
		return "SLAVE_TX_EVENT_TIMESTAMPS";
	case GN_TLV_CUMULATIVE_RATE_RATIO:
		return "CUMULATIVE_RATE_RATIO";
	case GN_TLV_PAD:
		return "PAD";
	case GN_TLV_AUTHENTICATION:
		return "AUTHENTICATION";
	default:
		return "UNKNOWN";
	}
}

static bool is_org_type(uint16_t type)
{
	return type == GN_TLV_ORGANIZATION_EXTENSION ||
	       type == GN_TLV_ORG_EXT_PROPAGATE ||
	       type == GN_TLV_ORG_EXT_DO_NOT_PROPAGATE;
}

int gn_tlv_check(const struct gn_tlv *t, const char **reason)
{
	union {
		struct gn_tlv_mgmt mgmt;
		struct gn_tlv_mgmt_error err;
		struct gn_tlv_org org;
		struct gn_tlv_follow_up_info fui;
		struct gn_tlv_unicast_req req;
		struct gn_tlv_unicast_grant grant;
		struct gn_tlv_unicast_cancel cancel;
		struct gn_tlv_path_trace pt;
		struct gn_tlv_alt_time_offset ato;
		struct gn_tlv_auth auth;
		struct gn_tlv_c37_238 pwr;
	} u;
	int err;

	switch (t->type) {
	case GN_TLV_MANAGEMENT:
		return gn_tlv_mgmt_decode(t, &u.mgmt, reason);
	case GN_TLV_MANAGEMENT_ERROR_STATUS:
		return gn_tlv_mgmt_error_decode(t, &u.err, reason);
	case GN_TLV_ORGANIZATION_EXTENSION:
	case GN_TLV_ORG_EXT_PROPAGATE:
	case GN_TLV_ORG_EXT_DO_NOT_PROPAGATE:
		err = gn_tlv_org_decode(t, &u.org, reason);
		if (err)
			return err;
		if (org_is_follow_up_info(&u.org))
			return gn_tlv_follow_up_info_decode(t, &u.fui, reason);
		/* C37.238 subtypes 1 and 2 have one exact length (ptp4l
		 * drops the message otherwise too); others are unknown. */
		if (org_is_c37_238(&u.org))
			return gn_tlv_c37_238_decode(t, &u.pwr, reason);
		return 0;
	case GN_TLV_REQUEST_UNICAST:
		return gn_tlv_unicast_req_decode(t, &u.req, reason);
	case GN_TLV_GRANT_UNICAST:
		return gn_tlv_unicast_grant_decode(t, &u.grant, reason);
	case GN_TLV_CANCEL_UNICAST:
	case GN_TLV_ACK_CANCEL_UNICAST:
		return gn_tlv_unicast_cancel_decode(t, &u.cancel, reason);
	case GN_TLV_PATH_TRACE:
		return gn_tlv_path_trace_decode(t, &u.pt, reason);
	case GN_TLV_ALTERNATE_TIME_OFFSET:
		return gn_tlv_alt_time_offset_decode(t, &u.ato, reason);
	case GN_TLV_AUTHENTICATION:
		if (t->length < GN_TLV_AUTH_MIN_LEN + 1)
			return fail(reason, "AUTHENTICATION too short",
				    -EBADMSG);
		return 0;
	case GN_TLV_PAD:
		return gn_tlv_pad_decode(t, reason);
	default:
		return 0;
	}
}

/* ---- MANAGEMENT ---- */

int gn_tlv_mgmt_decode(const struct gn_tlv *t, struct gn_tlv_mgmt *out,
		       const char **reason)
{
	if (t->type != GN_TLV_MANAGEMENT)
		return fail(reason, "not a MANAGEMENT TLV", -EPROTO);
	if (t->length < 2)
		return fail(reason, "MANAGEMENT TLV without managementId",
			    -EBADMSG);
	out->id = gn_get16(t->value);
	out->data_len = (uint16_t)(t->length - 2);
	out->data = t->value + 2;
	return 0;
}

int gn_tlv_mgmt_encode(const struct gn_tlv_mgmt *in, uint8_t *buf, size_t cap)
{
	size_t len = even(2 + (size_t)in->data_len);

	if (in->data_len && !in->data)
		return -EINVAL;
	if (len > UINT16_MAX)
		return -EINVAL;
	if (len > cap)
		return -ENOSPC;
	gn_put16(buf, in->id);
	if (in->data_len)
		memmove(buf + 2, in->data, in->data_len);
	if (len > 2 + (size_t)in->data_len)
		buf[len - 1] = 0;
	return (int)len;
}

/* ---- MANAGEMENT_ERROR_STATUS ---- */

int gn_tlv_mgmt_error_decode(const struct gn_tlv *t,
			     struct gn_tlv_mgmt_error *out, const char **reason)
{
	uint8_t n;

	if (t->type != GN_TLV_MANAGEMENT_ERROR_STATUS)
		return fail(reason, "not a MANAGEMENT_ERROR_STATUS TLV",
			    -EPROTO);
	if (t->length < GN_TLV_MGMT_ERROR_MIN_LEN)
		return fail(reason, "MANAGEMENT_ERROR_STATUS too short",
			    -EBADMSG);
	out->error_id = gn_get16(t->value);
	out->mgmt_id = gn_get16(t->value + 2);
	/* value[4..7] reserved */
	out->has_text = false;
	out->text_len = 0;
	out->text = NULL;
	if (t->length == GN_TLV_MGMT_ERROR_MIN_LEN)
		return 0;
	n = t->value[GN_TLV_MGMT_ERROR_MIN_LEN];
	if (t->length != even(GN_TLV_MGMT_ERROR_MIN_LEN + 1 + (size_t)n))
		return fail(reason,
			    "MANAGEMENT_ERROR_STATUS displayData length "
			    "does not match the TLV",
			    -EBADMSG);
	out->has_text = true;
	out->text_len = n;
	out->text = t->value + GN_TLV_MGMT_ERROR_MIN_LEN + 1;
	return 0;
}

int gn_tlv_mgmt_error_encode(const struct gn_tlv_mgmt_error *in, uint8_t *buf,
			     size_t cap)
{
	size_t len = GN_TLV_MGMT_ERROR_MIN_LEN;

	if (in->has_text) {
		if (in->text_len && !in->text)
			return -EINVAL;
		len = even(len + 1 + in->text_len);
	}
	if (len > cap)
		return -ENOSPC;
	memset(buf, 0, len);
	gn_put16(buf, in->error_id);
	gn_put16(buf + 2, in->mgmt_id);
	if (in->has_text) {
		buf[8] = in->text_len;
		if (in->text_len)
			memcpy(buf + 9, in->text, in->text_len);
	}
	return (int)len;
}

/* ---- ORGANIZATION_EXTENSION ---- */

int gn_tlv_org_decode(const struct gn_tlv *t, struct gn_tlv_org *out,
		      const char **reason)
{
	if (!is_org_type(t->type))
		return fail(reason, "not an ORGANIZATION_EXTENSION TLV",
			    -EPROTO);
	if (t->length < GN_TLV_ORG_MIN_LEN)
		return fail(reason, "ORGANIZATION_EXTENSION too short",
			    -EBADMSG);
	memcpy(out->org_id, t->value, 3);
	memcpy(out->subtype, t->value + 3, 3);
	out->data_len = (uint16_t)(t->length - GN_TLV_ORG_MIN_LEN);
	out->data = t->value + GN_TLV_ORG_MIN_LEN;
	return 0;
}

int gn_tlv_org_encode(const struct gn_tlv_org *in, uint8_t *buf, size_t cap)
{
	size_t len = even(GN_TLV_ORG_MIN_LEN + (size_t)in->data_len);

	if (in->data_len && !in->data)
		return -EINVAL;
	if (len > UINT16_MAX)
		return -EINVAL;
	if (len > cap)
		return -ENOSPC;
	memcpy(buf, in->org_id, 3);
	memcpy(buf + 3, in->subtype, 3);
	if (in->data_len)
		memmove(buf + GN_TLV_ORG_MIN_LEN, in->data, in->data_len);
	if (len > GN_TLV_ORG_MIN_LEN + (size_t)in->data_len)
		buf[len - 1] = 0;
	return (int)len;
}

static void get_scaled_ns(const uint8_t *p, struct gn_scaled_ns *s)
{
	s->ns_msb = gn_get16(p);
	s->ns_lsb = gn_get64(p + 2);
	s->frac_ns = gn_get16(p + 10);
}

static void put_scaled_ns(uint8_t *p, const struct gn_scaled_ns *s)
{
	gn_put16(p, s->ns_msb);
	gn_put64(p + 2, s->ns_lsb);
	gn_put16(p + 10, s->frac_ns);
}

/* An organisation extension that is(), of exactly len octets; errors say
 * "not <what>" and "<what> length not <len>". */
static int org_expect(const struct gn_tlv *t, struct gn_tlv_org *org,
		      bool (*is)(const struct gn_tlv_org *), uint16_t len,
		      const char *not_what, const char *bad_len,
		      const char **reason)
{
	int err = gn_tlv_org_decode(t, org, reason);

	if (err)
		return err;
	if (!is(org))
		return fail(reason, not_what, -EPROTO);
	if (t->length != len)
		return fail(reason, bad_len, -EBADMSG);
	return 0;
}

int gn_tlv_follow_up_info_decode(const struct gn_tlv *t,
				 struct gn_tlv_follow_up_info *out,
				 const char **reason)
{
	struct gn_tlv_org org;
	const uint8_t *p;
	int err;

	err = org_expect(t, &org, org_is_follow_up_info,
			 GN_TLV_FOLLOW_UP_INFO_LEN,
			 "not an 802.1AS Follow_Up information TLV",
			 "802.1AS Follow_Up information TLV length not 28",
			 reason);
	if (err)
		return err;
	p = org.data;
	out->cumulative_scaled_rate_offset = (int32_t)gn_get32(p);
	out->gm_time_base_indicator = gn_get16(p + 4);
	get_scaled_ns(p + 6, &out->last_gm_phase_change);
	out->scaled_last_gm_freq_change = (int32_t)gn_get32(p + 18);
	return 0;
}

int gn_tlv_follow_up_info_encode(const struct gn_tlv_follow_up_info *in,
				 uint8_t *buf, size_t cap)
{
	if (cap < GN_TLV_FOLLOW_UP_INFO_LEN)
		return -ENOSPC;
	memcpy(buf, oui_802_1, 3);
	buf[3] = 0;
	buf[4] = 0;
	buf[5] = GN_802_1AS_FOLLOW_UP_INFO;
	gn_put32(buf + 6, (uint32_t)in->cumulative_scaled_rate_offset);
	gn_put16(buf + 10, in->gm_time_base_indicator);
	put_scaled_ns(buf + 12, &in->last_gm_phase_change);
	gn_put32(buf + 24, (uint32_t)in->scaled_last_gm_freq_change);
	return GN_TLV_FOLLOW_UP_INFO_LEN;
}

/* ---- IEEE C37.238 power profile ---- */

int gn_tlv_c37_238_decode(const struct gn_tlv *t, struct gn_tlv_c37_238 *out,
			  const char **reason)
{
	struct gn_tlv_org org;
	const uint8_t *p;
	int err;

	err = org_expect(t, &org, org_is_c37_238, GN_TLV_C37_238_LEN,
			 "not an IEEE C37.238 TLV",
			 "IEEE C37.238 TLV length not 18", reason);
	if (err)
		return err;
	p = org.data;
	memset(out, 0, sizeof(*out));
	out->edition = org.subtype[2];
	out->grandmaster_id = gn_get16(p);
	if (out->edition == GN_C37_238_2011) {
		out->grandmaster_time_inaccuracy_ns = gn_get32(p + 2);
		out->network_time_inaccuracy_ns = gn_get32(p + 6);
	} else {
		/* p + 2: reserved (grandmasterTimeInaccuracy in 2011) */
		out->total_time_inaccuracy_ns = gn_get32(p + 6);
	}
	/* p + 10: 2 reserved octets */
	return 0;
}

int gn_tlv_c37_238_encode(const struct gn_tlv_c37_238 *in, uint8_t *buf,
			  size_t cap)
{
	if (in->edition != GN_C37_238_2011 && in->edition != GN_C37_238_2017)
		return -EINVAL;
	if (cap < GN_TLV_C37_238_LEN)
		return -ENOSPC;
	memset(buf, 0, GN_TLV_C37_238_LEN);
	memcpy(buf, oui_c37_238, 3);
	buf[5] = in->edition;
	gn_put16(buf + 6, in->grandmaster_id);
	if (in->edition == GN_C37_238_2011) {
		gn_put32(buf + 8, in->grandmaster_time_inaccuracy_ns);
		gn_put32(buf + 12, in->network_time_inaccuracy_ns);
	} else {
		gn_put32(buf + 12, in->total_time_inaccuracy_ns);
	}
	return GN_TLV_C37_238_LEN;
}

/* ---- unicast negotiation ---- */

static bool unicast_type_ok(uint8_t type)
{
	return type == GN_MSG_ANNOUNCE || type == GN_MSG_SYNC ||
	       type == GN_MSG_DELAY_RESP || type == GN_MSG_PDELAY_RESP;
}

static int unicast_check(const struct gn_tlv *t, uint16_t type, size_t len,
			 const char **reason)
{
	if (t->type != type)
		return fail(reason, "wrong TLV type for unicast negotiation",
			    -EPROTO);
	if (t->length != len)
		return fail(reason, "unicast negotiation TLV of wrong length",
			    -EBADMSG);
	if (!unicast_type_ok(t->value[0] >> 4))
		return fail(reason,
			    "unicast negotiation for a message type that "
			    "cannot be granted",
			    -EPROTO);
	return 0;
}

int gn_tlv_unicast_req_decode(const struct gn_tlv *t,
			      struct gn_tlv_unicast_req *out,
			      const char **reason)
{
	int err = unicast_check(t, GN_TLV_REQUEST_UNICAST,
				GN_TLV_REQUEST_UNICAST_LEN, reason);

	if (err)
		return err;
	out->msg_type = t->value[0] >> 4; /* low nibble reserved */
	out->log_period = (int8_t)t->value[1];
	out->duration_s = gn_get32(t->value + 2);
	return 0;
}

int gn_tlv_unicast_req_encode(const struct gn_tlv_unicast_req *in, uint8_t *buf,
			      size_t cap)
{
	if (!unicast_type_ok(in->msg_type))
		return -EINVAL;
	if (cap < GN_TLV_REQUEST_UNICAST_LEN)
		return -ENOSPC;
	buf[0] = (uint8_t)(in->msg_type << 4);
	buf[1] = (uint8_t)in->log_period;
	gn_put32(buf + 2, in->duration_s);
	return GN_TLV_REQUEST_UNICAST_LEN;
}

int gn_tlv_unicast_grant_decode(const struct gn_tlv *t,
				struct gn_tlv_unicast_grant *out,
				const char **reason)
{
	int err = unicast_check(t, GN_TLV_GRANT_UNICAST,
				GN_TLV_GRANT_UNICAST_LEN, reason);

	if (err)
		return err;
	out->msg_type = t->value[0] >> 4;
	out->log_period = (int8_t)t->value[1];
	out->duration_s = gn_get32(t->value + 2);
	/* value[6] reserved */
	out->renewal_invited = t->value[7] & 1;
	return 0;
}

int gn_tlv_unicast_grant_encode(const struct gn_tlv_unicast_grant *in,
				uint8_t *buf, size_t cap)
{
	if (!unicast_type_ok(in->msg_type))
		return -EINVAL;
	if (cap < GN_TLV_GRANT_UNICAST_LEN)
		return -ENOSPC;
	buf[0] = (uint8_t)(in->msg_type << 4);
	buf[1] = (uint8_t)in->log_period;
	gn_put32(buf + 2, in->duration_s);
	buf[6] = 0;
	buf[7] = in->renewal_invited ? 1 : 0;
	return GN_TLV_GRANT_UNICAST_LEN;
}

int gn_tlv_unicast_cancel_decode(const struct gn_tlv *t,
				 struct gn_tlv_unicast_cancel *out,
				 const char **reason)
{
	uint16_t type = t->type == GN_TLV_ACK_CANCEL_UNICAST
			    ? GN_TLV_ACK_CANCEL_UNICAST
			    : GN_TLV_CANCEL_UNICAST;
	int err = unicast_check(t, type, GN_TLV_CANCEL_UNICAST_LEN, reason);

	if (err)
		return err;
	out->msg_type = t->value[0] >> 4;
	out->flags = t->value[0] & 0xF;
	/* value[1] reserved */
	return 0;
}

int gn_tlv_unicast_cancel_encode(const struct gn_tlv_unicast_cancel *in,
				 uint8_t *buf, size_t cap)
{
	if (!unicast_type_ok(in->msg_type) || in->flags > 0xF)
		return -EINVAL;
	if (cap < GN_TLV_CANCEL_UNICAST_LEN)
		return -ENOSPC;
	buf[0] = (uint8_t)(in->msg_type << 4 | in->flags);
	buf[1] = 0;
	return GN_TLV_CANCEL_UNICAST_LEN;
}

/* ---- PATH_TRACE ---- */

int gn_tlv_path_trace_decode(const struct gn_tlv *t,
			     struct gn_tlv_path_trace *out, const char **reason)
{
	if (t->type != GN_TLV_PATH_TRACE)
		return fail(reason, "not a PATH_TRACE TLV", -EPROTO);
	if (t->length % 8)
		return fail(reason,
			    "PATH_TRACE length not a multiple of 8 octets",
			    -EBADMSG);
	out->count = t->length / 8;
	out->ids = t->value;
	return 0;
}

void gn_tlv_path_trace_get(const struct gn_tlv_path_trace *pt, unsigned i,
			   struct gn_clock_identity *out)
{
	memcpy(out->id, pt->ids + 8 * (size_t)i, sizeof(out->id));
}

bool gn_tlv_path_trace_contains(const struct gn_tlv_path_trace *pt,
				const struct gn_clock_identity *id)
{
	unsigned i;

	for (i = 0; i < pt->count; i++)
		if (memcmp(pt->ids + 8 * (size_t)i, id->id, 8) == 0)
			return true;
	return false;
}

int gn_tlv_path_trace_encode(const struct gn_clock_identity *ids,
			     unsigned count, uint8_t *buf, size_t cap)
{
	size_t len = 8 * (size_t)count;
	unsigned i;

	if (len > UINT16_MAX - 7)
		return -EINVAL;
	if (len > cap)
		return -ENOSPC;
	for (i = 0; i < count; i++)
		memcpy(buf + 8 * (size_t)i, ids[i].id, 8);
	return (int)len;
}

/* ---- ALTERNATE_TIME_OFFSET_INDICATOR ---- */

int gn_tlv_alt_time_offset_decode(const struct gn_tlv *t,
				  struct gn_tlv_alt_time_offset *out,
				  const char **reason)
{
	const uint8_t *p = t->value;
	uint8_t n;

	if (t->type != GN_TLV_ALTERNATE_TIME_OFFSET)
		return fail(reason,
			    "not an ALTERNATE_TIME_OFFSET_INDICATOR TLV",
			    -EPROTO);
	if (t->length < GN_TLV_ALT_TIME_OFFSET_MIN_LEN)
		return fail(reason, "ALTERNATE_TIME_OFFSET_INDICATOR too short",
			    -EBADMSG);
	n = p[15];
	if (t->length != even(GN_TLV_ALT_TIME_OFFSET_MIN_LEN + (size_t)n))
		return fail(reason,
			    "ALTERNATE_TIME_OFFSET_INDICATOR displayName "
			    "length does not match the TLV",
			    -EBADMSG);
	out->key = p[0];
	out->current_offset_s = (int32_t)gn_get32(p + 1);
	out->jump_s = (int32_t)gn_get32(p + 5);
	out->time_of_next_jump_s = gn_get48(p + 9);
	out->name_len = n;
	out->name = p + 16;
	return 0;
}

int gn_tlv_alt_time_offset_encode(const struct gn_tlv_alt_time_offset *in,
				  uint8_t *buf, size_t cap)
{
	size_t len =
	    even(GN_TLV_ALT_TIME_OFFSET_MIN_LEN + (size_t)in->name_len);

	if ((in->name_len && !in->name) ||
	    in->time_of_next_jump_s >= (1ULL << 48))
		return -EINVAL;
	if (len > cap)
		return -ENOSPC;
	memset(buf, 0, len);
	buf[0] = in->key;
	gn_put32(buf + 1, (uint32_t)in->current_offset_s);
	gn_put32(buf + 5, (uint32_t)in->jump_s);
	gn_put48(buf + 9, in->time_of_next_jump_s);
	buf[15] = in->name_len;
	if (in->name_len)
		memcpy(buf + 16, in->name, in->name_len);
	return (int)len;
}

/* ---- AUTHENTICATION ---- */

/* Takes an optional field of len octets at *off if its bit is set. */
static int auth_field(const struct gn_tlv *t, bool present, uint16_t len,
		      size_t *off, const uint8_t **field, uint16_t *field_len,
		      const char **reason)
{
	*field = NULL;
	*field_len = 0;
	if (!present)
		return 0;
	if (len == 0)
		return fail(reason,
			    "AUTHENTICATION announces a field the security "
			    "association does not define",
			    -EPROTO);
	if (t->length - *off < len)
		return fail(reason, "AUTHENTICATION optional fields too long",
			    -EBADMSG);
	*field = t->value + *off;
	*field_len = len;
	*off += len;
	return 0;
}

int gn_tlv_auth_decode(const struct gn_tlv *t,
		       const struct gn_auth_layout *layout,
		       struct gn_tlv_auth *out, const char **reason)
{
	static const struct gn_auth_layout none;
	size_t off = GN_TLV_AUTH_MIN_LEN;
	uint8_t spi;
	int err;

	if (!layout)
		layout = &none;
	if (t->type != GN_TLV_AUTHENTICATION)
		return fail(reason, "not an AUTHENTICATION TLV", -EPROTO);
	if (t->length < GN_TLV_AUTH_MIN_LEN)
		return fail(reason, "AUTHENTICATION too short", -EBADMSG);
	out->spp = t->value[0];
	spi = t->value[1];
	out->sec_param_indicator = spi;
	out->key_id = gn_get32(t->value + 2);
	err = auth_field(t, spi & GN_AUTH_SPI_DELAYED,
			 layout->disclosed_key_len, &off, &out->disclosed_key,
			 &out->disclosed_key_len, reason);
	if (!err)
		err = auth_field(t, spi & GN_AUTH_SPI_SEQ, layout->seq_len,
				 &off, &out->seq, &out->seq_len, reason);
	if (!err)
		err = auth_field(t, spi & GN_AUTH_SPI_RES, layout->res_len,
				 &off, &out->res, &out->res_len, reason);
	if (err)
		return err;
	if (off == t->length)
		return fail(reason, "AUTHENTICATION without an ICV", -EBADMSG);
	out->icv = t->value + off;
	out->icv_len = (uint16_t)(t->length - off);
	out->icv_offset = (uint16_t)off;
	return 0;
}

static int put_auth_field(bool present, const uint8_t *field, uint16_t len,
			  uint8_t *buf, size_t *off)
{
	if (!present)
		return 0;
	if (len == 0 || !field)
		return -EINVAL;
	memcpy(buf + *off, field, len);
	*off += len;
	return 0;
}

int gn_tlv_auth_encode(const struct gn_tlv_auth *in, uint8_t *buf, size_t cap)
{
	uint8_t spi = in->sec_param_indicator;
	size_t len = GN_TLV_AUTH_MIN_LEN, off = GN_TLV_AUTH_MIN_LEN;
	int err;

	if (spi & GN_AUTH_SPI_DELAYED)
		len += in->disclosed_key_len;
	if (spi & GN_AUTH_SPI_SEQ)
		len += in->seq_len;
	if (spi & GN_AUTH_SPI_RES)
		len += in->res_len;
	if (in->icv_len == 0)
		return -EINVAL;
	len += in->icv_len;
	/* The ICV ends the TLV and the message: no room for padding. */
	if (len & 1 || len > UINT16_MAX)
		return -EINVAL;
	if (len > cap)
		return -ENOSPC;
	buf[0] = in->spp;
	buf[1] = spi;
	gn_put32(buf + 2, in->key_id);
	err = put_auth_field(spi & GN_AUTH_SPI_DELAYED, in->disclosed_key,
			     in->disclosed_key_len, buf, &off);
	if (!err)
		err = put_auth_field(spi & GN_AUTH_SPI_SEQ, in->seq,
				     in->seq_len, buf, &off);
	if (!err)
		err = put_auth_field(spi & GN_AUTH_SPI_RES, in->res,
				     in->res_len, buf, &off);
	if (err)
		return err;
	if (in->icv)
		memcpy(buf + off, in->icv, in->icv_len);
	else
		memset(buf + off, 0, in->icv_len);
	return (int)len;
}

/* ---- PAD ---- */

int gn_tlv_pad_decode(const struct gn_tlv *t, const char **reason)
{
	if (t->type != GN_TLV_PAD)
		return fail(reason, "not a PAD TLV", -EPROTO);
	/* 1588 fills PAD with zeros; the content is ignored on receive. */
	return 0;
}

int gn_tlv_pad_encode(size_t len, uint8_t *buf, size_t cap)
{
	if (len & 1 || len > UINT16_MAX)
		return -EINVAL;
	if (len > cap)
		return -ENOSPC;
	memset(buf, 0, len);
	return (int)len;
}

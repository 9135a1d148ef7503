/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_wire.c - libFuzzer entry point for the message codec: parses the
 * input, runs every typed TLV decoder on every TLV (each decoder must
 * refuse types it does not own), re-encodes what decoded, and
 * re-serializes the message. Invariants checked (abort on violation):
 * a parsed message re-serializes to exactly messageLength octets, that
 * output parses again, and serializing it once more gives the same bytes;
 * TLV values that decode re-encode to something that decodes to the same
 * fields.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlv.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x)                                                               \
	do {                                                                   \
		if (!(x))                                                      \
			abort();                                               \
	} while (0)

static void fuzz_tlv(const struct gn_tlv *t)
{
	static const struct gn_auth_layout layouts[] = {
	    {0, 0, 0}, {0, 4, 0}, {0, 2, 2}, {8, 4, 4}};
	uint8_t enc[GN_MAX_MSG_LEN];
	struct gn_tlv_mgmt mg, mg2;
	struct gn_tlv_mgmt_error e, e2;
	struct gn_tlv_org o, o2;
	struct gn_tlv_follow_up_info f, f2;
	struct gn_tlv_unicast_req r, r2;
	struct gn_tlv_unicast_grant g, g2;
	struct gn_tlv_unicast_cancel c, c2;
	struct gn_tlv_path_trace pt;
	struct gn_tlv_alt_time_offset a, a2;
	struct gn_tlv_auth au, au2;
	struct gn_clock_identity id;
	const char *reason;
	struct gn_tlv t2 = *t;
	size_t i;
	int len;

	reason = NULL;
	if (gn_tlv_check(t, &reason) != 0)
		CHECK(reason != NULL);
	(void)gn_tlv_type_str(t->type);

	if (gn_tlv_mgmt_decode(t, &mg, NULL) == 0) {
		len = gn_tlv_mgmt_encode(&mg, enc, sizeof(enc));
		CHECK(len == t->length);
		CHECK(memcmp(enc, t->value, (size_t)len) == 0);
		t2.value = enc;
		CHECK(gn_tlv_mgmt_decode(&t2, &mg2, NULL) == 0);
		CHECK(mg2.id == mg.id && mg2.data_len == mg.data_len);
	}
	if (gn_tlv_mgmt_error_decode(t, &e, NULL) == 0) {
		len = gn_tlv_mgmt_error_encode(&e, enc, sizeof(enc));
		CHECK(len == t->length);
		t2.value = enc;
		CHECK(gn_tlv_mgmt_error_decode(&t2, &e2, NULL) == 0);
		CHECK(e2.error_id == e.error_id && e2.mgmt_id == e.mgmt_id &&
		      e2.has_text == e.has_text && e2.text_len == e.text_len);
		CHECK(e.text_len == 0 ||
		      memcmp(e2.text, e.text, e.text_len) == 0);
	}
	if (gn_tlv_org_decode(t, &o, NULL) == 0) {
		len = gn_tlv_org_encode(&o, enc, sizeof(enc));
		CHECK(len == t->length);
		CHECK(memcmp(enc, t->value, (size_t)len) == 0);
		t2.value = enc;
		CHECK(gn_tlv_org_decode(&t2, &o2, NULL) == 0);
	}
	if (gn_tlv_follow_up_info_decode(t, &f, NULL) == 0) {
		len = gn_tlv_follow_up_info_encode(&f, enc, sizeof(enc));
		CHECK(len == GN_TLV_FOLLOW_UP_INFO_LEN);
		CHECK(memcmp(enc, t->value, (size_t)len) == 0);
		t2.value = enc;
		CHECK(gn_tlv_follow_up_info_decode(&t2, &f2, NULL) == 0);
		CHECK(f2.cumulative_scaled_rate_offset ==
		      f.cumulative_scaled_rate_offset);
	}
	if (gn_tlv_unicast_req_decode(t, &r, NULL) == 0) {
		len = gn_tlv_unicast_req_encode(&r, enc, sizeof(enc));
		CHECK(len == t->length);
		t2.value = enc;
		CHECK(gn_tlv_unicast_req_decode(&t2, &r2, NULL) == 0);
		CHECK(r2.msg_type == r.msg_type &&
		      r2.duration_s == r.duration_s &&
		      r2.log_period == r.log_period);
	}
	if (gn_tlv_unicast_grant_decode(t, &g, NULL) == 0) {
		len = gn_tlv_unicast_grant_encode(&g, enc, sizeof(enc));
		CHECK(len == t->length);
		t2.value = enc;
		CHECK(gn_tlv_unicast_grant_decode(&t2, &g2, NULL) == 0);
		CHECK(g2.msg_type == g.msg_type &&
		      g2.duration_s == g.duration_s &&
		      g2.renewal_invited == g.renewal_invited);
	}
	if (gn_tlv_unicast_cancel_decode(t, &c, NULL) == 0) {
		len = gn_tlv_unicast_cancel_encode(&c, enc, sizeof(enc));
		CHECK(len == t->length);
		t2.value = enc;
		CHECK(gn_tlv_unicast_cancel_decode(&t2, &c2, NULL) == 0);
		CHECK(c2.msg_type == c.msg_type && c2.flags == c.flags);
	}
	if (gn_tlv_path_trace_decode(t, &pt, NULL) == 0) {
		for (i = 0; i < pt.count; i++)
			gn_tlv_path_trace_get(&pt, (unsigned)i, &id);
	}
	if (gn_tlv_alt_time_offset_decode(t, &a, NULL) == 0) {
		len = gn_tlv_alt_time_offset_encode(&a, enc, sizeof(enc));
		CHECK(len == t->length);
		t2.value = enc;
		CHECK(gn_tlv_alt_time_offset_decode(&t2, &a2, NULL) == 0);
		CHECK(a2.jump_s == a.jump_s && a2.name_len == a.name_len);
	}
	for (i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		if (gn_tlv_auth_decode(t, &layouts[i], &au, NULL) != 0)
			continue;
		CHECK((size_t)au.icv_offset + au.icv_len == t->length);
		len = gn_tlv_auth_encode(&au, enc, sizeof(enc));
		CHECK(len == t->length);
		CHECK(memcmp(enc, t->value, (size_t)len) == 0);
		t2.value = enc;
		CHECK(gn_tlv_auth_decode(&t2, &layouts[i], &au2, NULL) == 0);
	}
	(void)gn_tlv_pad_decode(t, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[65536 + 64], out2[65536 + 64];
	struct gn_msg m, m2;
	unsigned i;
	int len, len2;

	if (gn_msg_parse(data, size, &m) != GN_WIRE_OK)
		return 0;
	CHECK(m.h.length <= size && m.ntlv <= GN_MSG_MAX_TLVS);
	for (i = 0; i < m.ntlv; i++) {
		CHECK(m.tlv[i].value == data + m.tlv_offset[i] + 4);
		fuzz_tlv(&m.tlv[i]);
		CHECK(gn_msg_find_tlv(&m, m.tlv[i].type) != NULL);
	}
	(void)gn_msg_type_str(m.h.type);

	len = gn_msg_serialize(&m, out, sizeof(out));
	CHECK(len == m.h.length);
	CHECK(gn_msg_parse(out, (size_t)len, &m2) == GN_WIRE_OK);
	CHECK(m2.ntlv == m.ntlv && m2.h.type == m.h.type);
	len2 = gn_msg_serialize(&m2, out2, sizeof(out2));
	CHECK(len2 == len);
	CHECK(memcmp(out, out2, (size_t)len) == 0);
	/* TLV area is copied verbatim, so it equals the input's */
	CHECK(memcmp(out + gn_msg_body_len(m.h.type),
		     data + gn_msg_body_len(m.h.type),
		     (size_t)len - gn_msg_body_len(m.h.type)) == 0);
	return 0;
}

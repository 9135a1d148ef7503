/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_mgmt.c - libFuzzer entry point for the management codecs. Each
 * input is used twice: as a raw managementId (2 octets) + dataField, and
 * as a whole PTP message whose MANAGEMENT TLV is decoded by its id. What
 * decodes is re-encoded; the encoding must decode again and re-encode to
 * the same bytes (abort otherwise). The name tables are exercised with
 * the input as a string.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mgmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x)                                                               \
	do {                                                                   \
		if (!(x))                                                      \
			abort();                                               \
	} while (0)

static void fuzz_data(uint16_t id, const uint8_t *p, size_t len)
{
	static uint8_t enc[2048], enc2[2048];
	union gn_mgmt_data d, d2;
	const char *reason = NULL;
	int err, n, n2;

	err = gn_mgmt_decode(id, p, len, &d, &reason);
	(void)gn_mgmt_id_str(id);
	(void)gn_mgmt_id_is_port(id);
	(void)gn_mgmt_error_id(err);
	if (err) {
		CHECK(reason != NULL);
		CHECK(err == -EBADMSG || err == -EINVAL || err == -EOPNOTSUPP);
		CHECK(err != -EOPNOTSUPP || !gn_mgmt_has_codec(id));
		return;
	}
	CHECK(gn_mgmt_has_codec(id));
	n = gn_mgmt_encode(id, &d, enc, sizeof(enc));
	CHECK(n >= 0 && (n & 1) == 0);
	/* Lengths are exact, so the encoding has the input's length. */
	CHECK((size_t)n == len);
	CHECK(gn_mgmt_decode(id, enc, (size_t)n, &d2, NULL) == 0);
	n2 = gn_mgmt_encode(id, &d2, enc2, sizeof(enc2));
	CHECK(n2 == n);
	CHECK(memcmp(enc, enc2, (size_t)n) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char name[64];
	struct gn_tlv_mgmt mg;
	struct gn_tlv_mgmt_error e;
	struct gn_msg m;
	size_t n;

	if (size >= 2)
		fuzz_data(gn_get16(data), data + 2, size - 2);

	n = size < sizeof(name) - 1 ? size : sizeof(name) - 1;
	memcpy(name, data, n);
	name[n] = '\0';
	(void)gn_mgmt_id_from_str(name);

	if (gn_msg_parse(data, size, &m) != GN_WIRE_OK ||
	    m.h.type != GN_MSG_MANAGEMENT || m.ntlv == 0)
		return 0;
	(void)gn_mgmt_action_str(m.body.mgmt.action);
	if (gn_tlv_mgmt_decode(&m.tlv[0], &mg, NULL) == 0)
		fuzz_data(mg.id, mg.data, mg.data_len);
	if (gn_tlv_mgmt_error_decode(&m.tlv[0], &e, NULL) == 0) {
		(void)gn_mgmt_error_str(e.error_id);
		(void)gn_mgmt_id_str(e.mgmt_id);
	}
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_gnc_show.c - gnomonctl's reply printer (gnomonctl_pmc.c) on
 * replies whose dataField is shorter than the id's: for every management
 * id and every even length below 96 octets, in text and JSON mode, it
 * must read no octet beyond the frame (the ASan build checks each frame
 * sits at the very end of its own allocation) and must still end the
 * line. The frames are built with the core's encoders, as gnomond would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gnomonctl.h"
#include "tlv.h"
#include "wire.h"

/* The printer's file never sends; gnomonctl.c (with main) is not linked. */
int gnc_send(struct gnc *c, uint8_t action, uint16_t id, const uint8_t *data,
	     size_t len)
{
	(void)c;
	(void)action;
	(void)id;
	(void)data;
	(void)len;
	return -ENOTSUP;
}

/* A RESPONSE with one MANAGEMENT TLV of id and len octets of 0xA5, in a
 * buffer of exactly its size. */
static uint8_t *reply(uint16_t id, size_t len, size_t *n_out)
{
	uint8_t data[128], value[GN_MAX_MSG_LEN], frame[GN_MAX_MSG_LEN];
	struct gn_tlv_mgmt t = {.id = id, .data_len = (uint16_t)len, .data = data};
	struct gn_msg m;
	uint8_t *buf;
	int vlen, n;

	memset(data, 0xA5, sizeof(data));
	memset(&m, 0, sizeof(m));
	gn_header_init(&m.h, GN_MSG_MANAGEMENT);
	m.body.mgmt.action = GN_MGMT_RESPONSE;
	vlen = gn_tlv_mgmt_encode(&t, value, sizeof(value));
	assert_true(vlen > 0);
	m.tlv[0].type = GN_TLV_MANAGEMENT;
	m.tlv[0].length = (uint16_t)vlen;
	m.tlv[0].value = value;
	m.ntlv = 1;
	n = gn_msg_serialize(&m, frame, sizeof(frame));
	assert_true(n > 0);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	memcpy(buf, frame, (size_t)n);
	*n_out = (size_t)n;
	return buf;
}

static void test_short_bodies(void **state)
{
	struct gnc c;
	FILE *fp;
	char *text = NULL;
	size_t text_len = 0, n, len, lines = 0, i;
	unsigned id, json;

	(void)state;
	for (json = 0; json < 2; json++) {
		memset(&c, 0, sizeof(c));
		c.json = json != 0;
		for (id = 0; id <= 0xFFFF; id++) {
			for (len = 2; len < 96; len += 2) {
				uint8_t *buf = reply((uint16_t)id, len, &n);

				fp = open_memstream(&text, &text_len);
				assert_non_null(fp);
				gnc_pmc_show(&c, buf, n, fp);
				fclose(fp);
				/* Something was printed, one line. */
				assert_true(text_len > 0);
				assert_int_equal(text[text_len - 1], '\n');
				for (i = 0; i < text_len; i++)
					lines += text[i] == '\n';
				free(text);
				text = NULL;
				free(buf);
				/* No id is defined in 0x5000..0xBFFF (mgmt.h):
				 * one length says all about those. */
				if (id >= 0x5000 && id < 0xC000)
					break;
			}
		}
	}
	assert_true(lines > 2 * 0x10000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_short_bodies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

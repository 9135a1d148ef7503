/* SPDX-License-Identifier: GPL-2.0-or-later */
/* golden.c - loading the golden captures of tests/data for unit tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "golden.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Reads tests/data/NAME.hex: '#' comment lines, then hex digits. */
size_t load_hex(const char *name, uint8_t *buf, size_t cap)
{
	char path[512];
	int c, v, hi = -1;
	int comment = 0, bol = 1;
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.hex", GN_TEST_DATA, name);
	f = fopen(path, "r");
	assert_non_null(f);
	while ((c = fgetc(f)) != EOF) {
		if (c == '\n') {
			comment = 0;
			bol = 1;
			continue;
		}
		if (bol && c == '#')
			comment = 1;
		bol = 0;
		if (comment || c == ' ' || c == '\r' || c == '\t')
			continue;
		v = hexval(c);
		assert_true(v >= 0);
		if (hi < 0) {
			hi = v;
		} else {
			assert_true(n < cap);
			buf[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	fclose(f);
	assert_int_equal(hi, -1);
	return n;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * types.c - PTP primitive types: timestamp and TimeInterval conversions,
 * overflow-checked nanosecond arithmetic, identity comparison, and the
 * linuxptp text form of clock and port identities.
 *
 * Part of the sans-IO core: no I/O, no allocation, no globals, and no
 * printf family (identities are formatted by hand).
 */
#include <errno.h>
#include <string.h>

#include "types.h"

#define TS_SEC_MAX ((1ULL << 48) - 1)
#define TI_SCALE   65536

int gn_timestamp_to_ns(const struct gn_timestamp *ts, int64_t *ns)
{
	if (ts->sec > TS_SEC_MAX || ts->nsec >= GN_NS_PER_S)
		return -EINVAL;
	/* 2^48 s * 1e9 overflows int64, so check before multiplying. */
	if (ts->sec > (uint64_t)((INT64_MAX - ts->nsec) / GN_NS_PER_S))
		return -ERANGE;
	*ns = (int64_t)ts->sec * GN_NS_PER_S + ts->nsec;
	return 0;
}

int gn_ns_to_timestamp(int64_t ns, struct gn_timestamp *ts)
{
	/* A PTP Timestamp is unsigned: times before the epoch do not exist. */
	if (ns < 0)
		return -ERANGE;
	ts->sec = (uint64_t)(ns / GN_NS_PER_S);
	ts->nsec = (uint32_t)(ns % GN_NS_PER_S);
	return 0;
}

int gn_ti_to_ns(int64_t scaled, int64_t *ns)
{
	uint64_t mag;

	if (scaled == GN_TI_MAX)
		return -ERANGE;
	/* Work on the magnitude so that INT64_MIN cannot overflow. */
	if (scaled < 0) {
		mag = (uint64_t)0 - (uint64_t)scaled;
		*ns = -(int64_t)((mag + TI_SCALE / 2) / TI_SCALE);
	} else {
		mag = (uint64_t)scaled;
		*ns = (int64_t)((mag + TI_SCALE / 2) / TI_SCALE);
	}
	return 0;
}

int64_t gn_ns_to_ti(int64_t ns)
{
	if (ns > INT64_MAX / TI_SCALE)
		return GN_TI_MAX;
	if (ns < INT64_MIN / TI_SCALE)
		return INT64_MIN + 1;
	return ns * TI_SCALE;
}

int gn_add_ns(int64_t a, int64_t b, int64_t *out)
{
	if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b))
		return -ERANGE;
	*out = a + b;
	return 0;
}

int gn_sub_ns(int64_t a, int64_t b, int64_t *out)
{
	if ((b < 0 && a > INT64_MAX + b) || (b > 0 && a < INT64_MIN + b))
		return -ERANGE;
	*out = a - b;
	return 0;
}

int gn_clock_identity_cmp(const struct gn_clock_identity *a,
			  const struct gn_clock_identity *b)
{
	int r = memcmp(a->id, b->id, sizeof(a->id));

	return (r > 0) - (r < 0);
}

bool gn_clock_identity_eq(const struct gn_clock_identity *a,
			  const struct gn_clock_identity *b)
{
	return memcmp(a->id, b->id, sizeof(a->id)) == 0;
}

int gn_port_identity_cmp(const struct gn_port_identity *a,
			 const struct gn_port_identity *b)
{
	int r = gn_clock_identity_cmp(&a->clock, &b->clock);

	if (r)
		return r;
	return (a->port > b->port) - (a->port < b->port);
}

bool gn_port_identity_eq(const struct gn_port_identity *a,
			 const struct gn_port_identity *b)
{
	return gn_clock_identity_eq(&a->clock, &b->clock) && a->port == b->port;
}

void gn_clock_identity_from_eui48(const uint8_t mac[6],
				  struct gn_clock_identity *out)
{
	out->id[0] = mac[0];
	out->id[1] = mac[1];
	out->id[2] = mac[2];
	out->id[3] = 0xFF;
	out->id[4] = 0xFE;
	out->id[5] = mac[3];
	out->id[6] = mac[4];
	out->id[7] = mac[5];
}

static const char hex_digits[] = "0123456789abcdef";

/* Appends c to buf if there is room for it and the terminating NUL. */
static void put_char(char *buf, size_t len, size_t *pos, char c)
{
	if (*pos + 1 < len)
		buf[*pos] = c;
	(*pos)++;
}

static void put_clock_identity(const struct gn_clock_identity *id, char *buf,
			       size_t len, size_t *pos)
{
	int i;

	for (i = 0; i < 8; i++) {
		if (i == 3 || i == 5)
			put_char(buf, len, pos, '.');
		put_char(buf, len, pos, hex_digits[id->id[i] >> 4]);
		put_char(buf, len, pos, hex_digits[id->id[i] & 0xF]);
	}
}

static void terminate(char *buf, size_t len, size_t pos)
{
	if (len == 0)
		return;
	buf[pos < len ? pos : len - 1] = '\0';
}

void gn_clock_identity_str(const struct gn_clock_identity *id, char *buf,
			   size_t len)
{
	size_t pos = 0;

	put_clock_identity(id, buf, len, &pos);
	terminate(buf, len, pos);
}

void gn_port_identity_str(const struct gn_port_identity *id, char *buf,
			  size_t len)
{
	char digits[5];
	unsigned v = id->port;
	size_t pos = 0;
	int n = 0;

	put_clock_identity(&id->clock, buf, len, &pos);
	put_char(buf, len, &pos, '-');
	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		put_char(buf, len, &pos, digits[--n]);
	terminate(buf, len, pos);
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Strict form of linuxptp's "%02hhx%02hhx%02hhx.%02hhx%02hhx.%02hhx%02hhx
 * %02hhx-%hu": exactly two hex digits per octet, dots in place, a decimal
 * port number of at most 65535 and nothing after it.
 */
int gn_port_identity_parse(const char *s, struct gn_port_identity *out)
{
	struct gn_port_identity pid;
	uint32_t port = 0;
	int i, hi, lo, ndigits = 0;

	for (i = 0; i < 8; i++) {
		if (i == 3 || i == 5) {
			if (*s++ != '.')
				return -EINVAL;
		}
		hi = hex_value(s[0]);
		if (hi < 0)
			return -EINVAL;
		lo = hex_value(s[1]);
		if (lo < 0)
			return -EINVAL;
		pid.clock.id[i] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	if (*s++ != '-')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		port = port * 10 + (uint32_t)(*s - '0');
		if (++ndigits > 5 || port > UINT16_MAX)
			return -EINVAL;
	}
	if (ndigits == 0 || *s != '\0')
		return -EINVAL;
	pid.port = (uint16_t)port;
	*out = pid;
	return 0;
}

/*
 * Negative intervals are rounded to the nearest nanosecond (2^-30 s is
 * 0.93 ns and becomes 1 ns, never 0, so a timer cannot spin).
 */
int64_t gn_log_interval_to_ns(int log_interval)
{
	if (log_interval > 30)
		log_interval = 30;
	if (log_interval < -30)
		log_interval = -30;
	if (log_interval >= 0)
		return GN_NS_PER_S << log_interval;
	return (GN_NS_PER_S + (1LL << (-log_interval - 1))) >> -log_interval;
}

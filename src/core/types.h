/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * types.h - PTP primitive types: identities, timestamps, time intervals,
 * clock quality, and checked conversions to signed 64-bit nanoseconds.
 *
 * Part of the sans-IO core: no I/O, no allocation, no globals.
 */
#ifndef GN_CORE_TYPES_H
#define GN_CORE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GN_NS_PER_S 1000000000LL

struct gn_clock_identity {
	uint8_t id[8];
};

struct gn_port_identity {
	struct gn_clock_identity clock;
	uint16_t port;
};

/* On-wire Timestamp: 48-bit seconds, 32-bit nanoseconds (< 1e9). */
struct gn_timestamp {
	uint64_t sec;
	uint32_t nsec;
};

struct gn_clock_quality {
	uint8_t clock_class;
	uint8_t clock_accuracy;
	uint16_t offset_scaled_log_variance;
};

/* TimeInterval on the wire: nanoseconds * 2^16, signed 64-bit. */
#define GN_TI_MAX INT64_MAX /* "too big to represent" marker of 1588 */

/*
 * Conversions. Each returns 0 on success or a negative errno code:
 * -EINVAL for a malformed value (nsec >= 1e9, seconds beyond 48 bits),
 * -ERANGE when the result does not fit in the destination.
 */
int gn_timestamp_to_ns(const struct gn_timestamp *ts, int64_t *ns);
int gn_ns_to_timestamp(int64_t ns, struct gn_timestamp *ts);
/* Scaled ns -> ns, rounding half away from zero. GN_TI_MAX -> -ERANGE. */
int gn_ti_to_ns(int64_t scaled, int64_t *ns);
/* ns -> scaled ns; saturates to GN_TI_MAX / INT64_MIN+1 when out of range. */
int64_t gn_ns_to_ti(int64_t ns);

/* Overflow-checked int64 helpers: return -ERANGE on overflow. */
int gn_add_ns(int64_t a, int64_t b, int64_t *out);
int gn_sub_ns(int64_t a, int64_t b, int64_t *out);

int gn_clock_identity_cmp(const struct gn_clock_identity *a,
			  const struct gn_clock_identity *b);
bool gn_clock_identity_eq(const struct gn_clock_identity *a,
			  const struct gn_clock_identity *b);
int gn_port_identity_cmp(const struct gn_port_identity *a,
			 const struct gn_port_identity *b);
bool gn_port_identity_eq(const struct gn_port_identity *a,
			 const struct gn_port_identity *b);

/*
 * EUI-48 -> clockIdentity by inserting FF FE in the middle (the 2008
 * convention, which linuxptp uses; chosen so that identities match what
 * linuxptp users see in pmc output for the same NIC).
 */
void gn_clock_identity_from_eui48(const uint8_t mac[6],
				  struct gn_clock_identity *out);

/* "aabbcc.fffe.ddeeff" (linuxptp's format); buf needs >= 19 bytes. */
void gn_clock_identity_str(const struct gn_clock_identity *id, char *buf,
			   size_t len);
/* "aabbcc.fffe.ddeeff-1"; buf needs >= 25 bytes. */
void gn_port_identity_str(const struct gn_port_identity *id, char *buf,
			  size_t len);
/* Parses linuxptp's "aabbcc.fffe.ddeeff-1" format. 0 or -EINVAL. */
int gn_port_identity_parse(const char *s, struct gn_port_identity *out);

/* logInterval (int8 log2 seconds) -> ns, for -30..30; clamps outside. */
int64_t gn_log_interval_to_ns(int log_interval);

#endif

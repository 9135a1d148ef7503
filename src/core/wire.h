/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wire.h - PTP message codec (IEEE 1588-2008 / 2019, 802.1AS).
 *
 * Parsing validates everything taken from the wire and never reads past
 * the buffer; TLV values are returned as pointers into the caller's
 * buffer (zero copy). Serializing writes header, body and TLVs and fills
 * in messageLength. No I/O, no allocation.
 */
#ifndef GN_CORE_WIRE_H
#define GN_CORE_WIRE_H

#include "types.h"

enum gn_msg_type {
	GN_MSG_SYNC = 0x0,
	GN_MSG_DELAY_REQ = 0x1,
	GN_MSG_PDELAY_REQ = 0x2,
	GN_MSG_PDELAY_RESP = 0x3,
	GN_MSG_FOLLOW_UP = 0x8,
	GN_MSG_DELAY_RESP = 0x9,
	GN_MSG_PDELAY_RESP_FUP = 0xA,
	GN_MSG_ANNOUNCE = 0xB,
	GN_MSG_SIGNALING = 0xC,
	GN_MSG_MANAGEMENT = 0xD,
};

#define GN_HEADER_LEN 34
#define GN_MAX_MSG_LEN 1500
#define GN_MSG_MAX_TLVS 16

/* Offsets of the header fields a frame is edited at in place (a
 * transparent clock's corrections, gn_port_send_frame's metadata). */
#define GN_HDR_OFF_LENGTH	 2
#define GN_HDR_OFF_FLAGS	 6
#define GN_HDR_OFF_CORRECTION	 8
#define GN_HDR_OFF_TYPE_SPECIFIC 16
#define GN_HDR_OFF_SEQUENCE_ID	 30
#define GN_HDR_OFF_CONTROL	 32

/* flagField, as a 16-bit value: octet 6 in the high byte. */
#define GN_FLAG_ALTERNATE_MASTER (1u << 8)
#define GN_FLAG_TWO_STEP (1u << 9)
#define GN_FLAG_UNICAST (1u << 10)
#define GN_FLAG_PROFILE1 (1u << 13)
#define GN_FLAG_PROFILE2 (1u << 14)
#define GN_FLAG_LEAP61 (1u << 0)
#define GN_FLAG_LEAP59 (1u << 1)
#define GN_FLAG_UTC_OFFSET_VALID (1u << 2)
#define GN_FLAG_PTP_TIMESCALE (1u << 3)
#define GN_FLAG_TIME_TRACEABLE (1u << 4)
#define GN_FLAG_FREQ_TRACEABLE (1u << 5)
#define GN_FLAG_SYNC_UNCERTAIN (1u << 6)

#define GN_LOG_INTERVAL_NA 0x7F

struct gn_header {
	uint8_t sdo_major;     /* transportSpecific / majorSdoId (4 bits) */
	uint8_t type;	       /* enum gn_msg_type (4 bits) */
	uint8_t version;       /* versionPTP, 2 */
	uint8_t minor_version; /* minorVersionPTP: 0 (2008) or 1 (2019) */
	uint16_t length;       /* messageLength */
	uint8_t domain;
	uint8_t sdo_minor; /* minorSdoId */
	uint16_t flags;
	int64_t correction; /* scaled ns */
	uint32_t type_specific;
	struct gn_port_identity source;
	uint16_t sequence_id;
	uint8_t control;
	int8_t log_interval;
};

struct gn_announce {
	struct gn_timestamp origin;
	int16_t current_utc_offset;
	uint8_t gm_priority1;
	struct gn_clock_quality gm_quality;
	uint8_t gm_priority2;
	struct gn_clock_identity gm_identity;
	uint16_t steps_removed;
	uint8_t time_source;
};

/* Delay_Resp, Pdelay_Resp and Pdelay_Resp_Follow_Up share this shape. */
struct gn_ts_and_port {
	struct gn_timestamp ts;
	struct gn_port_identity port;
};

struct gn_management_body {
	struct gn_port_identity target;
	uint8_t starting_boundary_hops;
	uint8_t boundary_hops;
	uint8_t action; /* low nibble of actionField */
};

struct gn_tlv {
	uint16_t type;
	uint16_t length;      /* octets of value */
	const uint8_t *value; /* into the parsed buffer / caller storage */
};

struct gn_msg {
	struct gn_header h;
	union {
		/* Sync, Delay_Req, Follow_Up, Pdelay_Req */
		struct gn_timestamp origin;
		struct gn_announce announce;
		/* Delay_Resp, Pdelay_Resp, Pdelay_Resp_Follow_Up */
		struct gn_ts_and_port resp;
		/* Signaling */
		struct gn_port_identity target;
		struct gn_management_body mgmt;
	} body;
	unsigned ntlv;
	struct gn_tlv tlv[GN_MSG_MAX_TLVS];
	/* Offset of each TLV's first octet in the message (for auth ICVs). */
	uint16_t tlv_offset[GN_MSG_MAX_TLVS];
};

enum gn_wire_error {
	GN_WIRE_OK = 0,
	GN_WIRE_TOO_SHORT,	   /* buffer shorter than a header */
	GN_WIRE_BAD_VERSION,	   /* versionPTP nibble != 2 */
	GN_WIRE_BAD_LENGTH,	   /* messageLength < header or > buffer */
	GN_WIRE_BAD_TYPE,	   /* reserved messageType */
	GN_WIRE_BODY_TOO_SHORT,	   /* messageLength too small for the type */
	GN_WIRE_BAD_TIMESTAMP,	   /* nanoseconds >= 1e9 */
	GN_WIRE_TLV_TRUNCATED,	   /* TLV header or value past messageLength */
	GN_WIRE_TLV_ODD_LENGTH,	   /* TLV lengthField odd */
	GN_WIRE_TOO_MANY_TLVS,	   /* more than GN_MSG_MAX_TLVS */
	GN_WIRE_BAD_TLV,	   /* a typed TLV whose value is malformed */
	GN_WIRE_BAD_ACTION,	   /* management actionField reserved */
	GN_WIRE_NO_SPACE,	   /* serialize: output buffer too small */
	GN_WIRE_ERROR_COUNT,
};

const char *gn_wire_strerror(enum gn_wire_error e);

/* Minimum messageLength (header + body) for a message type; 0 if reserved. */
size_t gn_msg_body_len(uint8_t type);
bool gn_msg_is_event(uint8_t type);
const char *gn_msg_type_str(uint8_t type);

/*
 * Parses buf[0..len). On success fills *m (TLV values point into buf) and
 * returns GN_WIRE_OK. Octets after messageLength (Ethernet padding) are
 * ignored. Never reads outside buf.
 */
enum gn_wire_error gn_msg_parse(const uint8_t *buf, size_t len,
				struct gn_msg *m);

/*
 * Serializes *m into buf (capacity cap): header, body for m->h.type, then
 * m->tlv[0..ntlv). messageLength is computed (m->h.length is ignored and
 * updated). Returns the length (> 0) or -(enum gn_wire_error).
 */
int gn_msg_serialize(struct gn_msg *m, uint8_t *buf, size_t cap);

/* Fills a header with defaults for the type (control field, version 2.1,
 * log interval 0x7F). */
void gn_header_init(struct gn_header *h, uint8_t type);

/* Big-endian field helpers, shared by the codec modules. */
static inline uint16_t gn_get16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}
static inline uint32_t gn_get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | p[3];
}
static inline uint64_t gn_get48(const uint8_t *p)
{
	return ((uint64_t)gn_get16(p) << 32) | gn_get32(p + 2);
}
static inline uint64_t gn_get64(const uint8_t *p)
{
	return ((uint64_t)gn_get32(p) << 32) | gn_get32(p + 4);
}
static inline void gn_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}
static inline void gn_put32(uint8_t *p, uint32_t v)
{
	gn_put16(p, (uint16_t)(v >> 16));
	gn_put16(p + 2, (uint16_t)v);
}
static inline void gn_put48(uint8_t *p, uint64_t v)
{
	gn_put16(p, (uint16_t)(v >> 32));
	gn_put32(p + 2, (uint32_t)v);
}
static inline void gn_put64(uint8_t *p, uint64_t v)
{
	gn_put32(p, (uint32_t)(v >> 32));
	gn_put32(p + 4, (uint32_t)v);
}

#endif

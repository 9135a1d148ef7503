/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tlv.h - typed decode and encode of the TLVs gnomon understands.
 *
 * wire.c frames TLVs (type, even length, value inside the message); this
 * module gives their values meaning. Decoders take a framed struct gn_tlv
 * and return 0, -EBADMSG (a length that does not fit the type) or -EPROTO
 * (a value the type does not allow), with a static reason string for the
 * log in *reason when reason is not NULL. Pointers in decoded structs point
 * into the TLV value (zero copy). Encoders write a TLV *value* (no type or
 * length octets) into caller storage and return its length (always even;
 * odd content is padded with a zero octet) or -ENOSPC / -EINVAL.
 * gn_msg_add_tlv() then attaches the value to a message.
 *
 * No I/O, no allocation, no globals.
 */
#ifndef GN_CORE_TLV_H
#define GN_CORE_TLV_H

#include "wire.h"

/* tlvType values (1588-2019 table 52; linuxptp private 0x7F00). */
#define GN_TLV_MANAGEMENT		   0x0001
#define GN_TLV_MANAGEMENT_ERROR_STATUS	   0x0002
#define GN_TLV_ORGANIZATION_EXTENSION	   0x0003
#define GN_TLV_REQUEST_UNICAST		   0x0004
#define GN_TLV_GRANT_UNICAST		   0x0005
#define GN_TLV_CANCEL_UNICAST		   0x0006
#define GN_TLV_ACK_CANCEL_UNICAST	   0x0007
#define GN_TLV_PATH_TRACE		   0x0008
#define GN_TLV_ALTERNATE_TIME_OFFSET	   0x0009
#define GN_TLV_AUTHENTICATION_2008	   0x2000 /* 2008 experimental */
#define GN_TLV_ORG_EXT_PROPAGATE	   0x4000
#define GN_TLV_ENHANCED_ACCURACY_METRICS   0x4001
#define GN_TLV_SLAVE_DELAY_TIMING_DATA_NP  0x7F00
#define GN_TLV_ORG_EXT_DO_NOT_PROPAGATE	   0x8000
#define GN_TLV_L1_SYNC			   0x8001
#define GN_TLV_PORT_COMMUNICATION_AVAIL	   0x8002
#define GN_TLV_PROTOCOL_ADDRESS		   0x8003
#define GN_TLV_SLAVE_RX_SYNC_TIMING_DATA   0x8004
#define GN_TLV_SLAVE_RX_SYNC_COMPUTED_DATA 0x8005
#define GN_TLV_SLAVE_TX_EVENT_TIMESTAMPS   0x8006
#define GN_TLV_CUMULATIVE_RATE_RATIO	   0x8007
#define GN_TLV_PAD			   0x8008
#define GN_TLV_AUTHENTICATION		   0x8009

/* Value lengths of the fixed-size TLVs. */
#define GN_TLV_MGMT_ERROR_MIN_LEN      8
#define GN_TLV_ORG_MIN_LEN	       6
#define GN_TLV_FOLLOW_UP_INFO_LEN      28
#define GN_TLV_REQUEST_UNICAST_LEN     6
#define GN_TLV_GRANT_UNICAST_LEN       8
#define GN_TLV_CANCEL_UNICAST_LEN      2
#define GN_TLV_ALT_TIME_OFFSET_MIN_LEN 16
#define GN_TLV_AUTH_MIN_LEN	       6

/* Organizationally unique identifiers. */
#define GN_OUI_IEEE_802_1	  0x00, 0x80, 0xC2
#define GN_802_1AS_FOLLOW_UP_INFO 1 /* organizationSubType 00-00-01 */
#define GN_OUI_IEEE_C37_238	  0x1C, 0x12, 0x9D

/*
 * Longest PATH_TRACE list that fits an Announce of GN_MAX_MSG_LEN
 * octets: (1500 - 64 body - 4 TLV header) / 8 = 179 (linuxptp's
 * PATH_TRACE_MAX is the same computation).
 */
#define GN_PATH_TRACE_MAX ((GN_MAX_MSG_LEN - 64 - 4) / 8)

/* Finds the first TLV of a type in a parsed message; NULL if none. */
const struct gn_tlv *gn_msg_find_tlv(const struct gn_msg *m, uint16_t type);

/*
 * Appends a TLV to m. len is an encoder's result: a negative len is
 * returned unchanged, so encoders can be chained without checks. Returns
 * 0, -EINVAL for an odd length, -ENOSPC when m already holds
 * GN_MSG_MAX_TLVS. value must stay valid until m is serialized.
 */
int gn_msg_add_tlv(struct gn_msg *m, uint16_t type, const uint8_t *value,
		   int len);

/* "MANAGEMENT", "PATH_TRACE", ...; "UNKNOWN" for others. */
const char *gn_tlv_type_str(uint16_t type);

/*
 * Runs the typed decoder of a known TLV type (authentication: only the
 * fixed part, since the optional fields depend on the security
 * association). Unknown types pass. 0, -EBADMSG or -EPROTO.
 */
int gn_tlv_check(const struct gn_tlv *t, const char **reason);

/* MANAGEMENT: managementId, then dataField (id-specific, see mgmt.h). */
struct gn_tlv_mgmt {
	uint16_t id;
	uint16_t data_len;
	const uint8_t *data;
};
int gn_tlv_mgmt_decode(const struct gn_tlv *t, struct gn_tlv_mgmt *out,
		       const char **reason);
int gn_tlv_mgmt_encode(const struct gn_tlv_mgmt *in, uint8_t *buf, size_t cap);

/* MANAGEMENT_ERROR_STATUS: errorId, managementId, 4 reserved, PTPText. */
struct gn_tlv_mgmt_error {
	uint16_t error_id; /* GN_MGMT_ERR_* of mgmt.h */
	uint16_t mgmt_id;
	bool has_text; /* displayData present */
	uint8_t text_len;
	const uint8_t *text; /* not NUL-terminated */
};
int gn_tlv_mgmt_error_decode(const struct gn_tlv *t,
			     struct gn_tlv_mgmt_error *out,
			     const char **reason);
int gn_tlv_mgmt_error_encode(const struct gn_tlv_mgmt_error *in, uint8_t *buf,
			     size_t cap);

/*
 * ORGANIZATION_EXTENSION and its _PROPAGATE / _DO_NOT_PROPAGATE
 * variants: organizationId, organizationSubType, dataField.
 */
struct gn_tlv_org {
	uint8_t org_id[3];
	uint8_t subtype[3];
	uint16_t data_len;
	const uint8_t *data;
};
int gn_tlv_org_decode(const struct gn_tlv *t, struct gn_tlv_org *out,
		      const char **reason);
int gn_tlv_org_encode(const struct gn_tlv_org *in, uint8_t *buf, size_t cap);

/* ScaledNs / UScaledNs: a 96-bit count of 2^-16 ns, as three fields. */
struct gn_scaled_ns {
	uint16_t ns_msb;
	uint64_t ns_lsb;
	uint16_t frac_ns;
};

/*
 * 802.1AS Follow_Up information TLV (org 00-80-C2, subtype 1), carried as
 * an ORGANIZATION_EXTENSION TLV. cumulativeScaledRateOffset is
 * (rateRatio - 1) * 2^41.
 */
struct gn_tlv_follow_up_info {
	int32_t cumulative_scaled_rate_offset;
	uint16_t gm_time_base_indicator;
	struct gn_scaled_ns last_gm_phase_change;
	int32_t scaled_last_gm_freq_change;
};
int gn_tlv_follow_up_info_decode(const struct gn_tlv *t,
				 struct gn_tlv_follow_up_info *out,
				 const char **reason);
/* Writes the whole ORGANIZATION_EXTENSION value (28 octets). */
int gn_tlv_follow_up_info_encode(const struct gn_tlv_follow_up_info *in,
				 uint8_t *buf, size_t cap);

/*
 * Unicast negotiation (Signaling). msg_type is the messageType being
 * negotiated: Announce, Sync, Delay_Resp or Pdelay_Resp; others are
 * rejected with -EPROTO (decode) or -EINVAL (encode).
 */
struct gn_tlv_unicast_req {
	uint8_t msg_type;
	int8_t log_period; /* logInterMessagePeriod */
	uint32_t duration_s;
};
int gn_tlv_unicast_req_decode(const struct gn_tlv *t,
			      struct gn_tlv_unicast_req *out,
			      const char **reason);
int gn_tlv_unicast_req_encode(const struct gn_tlv_unicast_req *in, uint8_t *buf,
			      size_t cap);

struct gn_tlv_unicast_grant {
	uint8_t msg_type;
	int8_t log_period;
	uint32_t duration_s; /* 0: denied */
	bool renewal_invited;
};
int gn_tlv_unicast_grant_decode(const struct gn_tlv *t,
				struct gn_tlv_unicast_grant *out,
				const char **reason);
int gn_tlv_unicast_grant_encode(const struct gn_tlv_unicast_grant *in,
				uint8_t *buf, size_t cap);

/* CANCEL and ACKNOWLEDGE_CANCEL share this shape. */
#define GN_CANCEL_MAINTAIN_REQUEST (1u << 0)
#define GN_CANCEL_MAINTAIN_GRANT   (1u << 1)
struct gn_tlv_unicast_cancel {
	uint8_t msg_type;
	uint8_t flags; /* GN_CANCEL_* (1588-2019), low nibble of octet 0 */
};
int gn_tlv_unicast_cancel_decode(const struct gn_tlv *t,
				 struct gn_tlv_unicast_cancel *out,
				 const char **reason);
int gn_tlv_unicast_cancel_encode(const struct gn_tlv_unicast_cancel *in,
				 uint8_t *buf, size_t cap);

/* PATH_TRACE: pathSequence, a list of clockIdentity. */
struct gn_tlv_path_trace {
	unsigned count;
	const uint8_t *ids; /* count * 8 octets */
};
int gn_tlv_path_trace_decode(const struct gn_tlv *t,
			     struct gn_tlv_path_trace *out,
			     const char **reason);
/* i must be < pt->count. */
void gn_tlv_path_trace_get(const struct gn_tlv_path_trace *pt, unsigned i,
			   struct gn_clock_identity *out);
/* Whether id is in the list (1588 16.2.3: a loop when it is ours). */
bool gn_tlv_path_trace_contains(const struct gn_tlv_path_trace *pt,
				const struct gn_clock_identity *id);
int gn_tlv_path_trace_encode(const struct gn_clock_identity *ids,
			     unsigned count, uint8_t *buf, size_t cap);

/* ALTERNATE_TIME_OFFSET_INDICATOR. */
struct gn_tlv_alt_time_offset {
	uint8_t key;
	int32_t current_offset_s;
	int32_t jump_s;
	uint64_t time_of_next_jump_s; /* 48 bits */
	uint8_t name_len;
	const uint8_t *name; /* displayName text, not NUL-terminated */
};
int gn_tlv_alt_time_offset_decode(const struct gn_tlv *t,
				  struct gn_tlv_alt_time_offset *out,
				  const char **reason);
int gn_tlv_alt_time_offset_encode(const struct gn_tlv_alt_time_offset *in,
				  uint8_t *buf, size_t cap);

/*
 * IEEE C37.238 power profile TLV: an ORGANIZATION_EXTENSION with
 * organizationId 1C-12-9D and subtype 00-00-01 (the 2011 edition) or
 * 00-00-02 (2017), both 18 octets of value: organizationId,
 * organizationSubType, grandmasterID u16, then for 2011
 * grandmasterTimeInaccuracy u32 and networkTimeInaccuracy u32, for 2017
 * a reserved u32 and totalTimeInaccuracy u32, then 2 reserved octets.
 * Inaccuracies are in ns, 0xFFFFFFFF when unknown. The decoder fills
 * only the fields of its edition (the others are zeroed); an org TLV
 * that is not C37.238 gives -EPROTO.
 */
#define GN_C37_238_2011	   1 /* organizationSubType 00-00-01 */
#define GN_C37_238_2017	   2 /* organizationSubType 00-00-02 */
#define GN_TLV_C37_238_LEN 18
struct gn_tlv_c37_238 {
	uint8_t edition; /* GN_C37_238_2011 or GN_C37_238_2017 */
	uint16_t grandmaster_id;
	uint32_t grandmaster_time_inaccuracy_ns; /* 2011 */
	uint32_t network_time_inaccuracy_ns;	 /* 2011 */
	uint32_t total_time_inaccuracy_ns;	 /* 2017 */
};
int gn_tlv_c37_238_decode(const struct gn_tlv *t, struct gn_tlv_c37_238 *out,
			  const char **reason);
/* Writes the whole ORGANIZATION_EXTENSION value (18 octets); -EINVAL
 * for another edition. */
int gn_tlv_c37_238_encode(const struct gn_tlv_c37_238 *in, uint8_t *buf,
			  size_t cap);

/*
 * AUTHENTICATION (1588-2019 16.14). secParamIndicator bits as linuxptp
 * sets them (sources disagree; interoperable peers send 0). The optional
 * fields follow keyID in the order disclosedKey, sequenceNo, RES, and
 * their lengths are not on the wire: they come from the security
 * association, given in *layout (NULL: none defined). The ICV is what
 * remains; icv_offset is its offset from the start of the TLV value, so
 * its offset in the message is tlv_offset + 4 + icv_offset.
 */
#define GN_AUTH_SPI_RES	    (1u << 0)
#define GN_AUTH_SPI_SEQ	    (1u << 1)
#define GN_AUTH_SPI_DELAYED (1u << 2) /* disclosedKey present */

struct gn_auth_layout {
	uint16_t disclosed_key_len;
	uint16_t seq_len;
	uint16_t res_len;
};

struct gn_tlv_auth {
	uint8_t spp;
	uint8_t sec_param_indicator;
	uint32_t key_id;
	const uint8_t *disclosed_key; /* NULL when absent */
	uint16_t disclosed_key_len;
	const uint8_t *seq;
	uint16_t seq_len;
	const uint8_t *res;
	uint16_t res_len;
	const uint8_t *icv; /* encode: NULL writes zeros, to fill in later */
	uint16_t icv_len;
	uint16_t icv_offset; /* decode only */
};
int gn_tlv_auth_decode(const struct gn_tlv *t,
		       const struct gn_auth_layout *layout,
		       struct gn_tlv_auth *out, const char **reason);
/* Writes the fields whose indicator bit is set; icv_len must be > 0. */
int gn_tlv_auth_encode(const struct gn_tlv_auth *in, uint8_t *buf, size_t cap);

/* PAD: len zero octets (len even). */
int gn_tlv_pad_decode(const struct gn_tlv *t, const char **reason);
int gn_tlv_pad_encode(size_t len, uint8_t *buf, size_t cap);

#endif

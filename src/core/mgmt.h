/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mgmt.h - IEEE 1588 management: ids, actions, error ids, and the
 * encoding of each supported id's dataField (the part of a MANAGEMENT
 * TLV after managementId), including linuxptp's implementation-specific
 * _NP ids that pmc, phc2sys and monitoring tools use.
 *
 * Times are int64 nanoseconds in the structs; TimeInterval (scaled ns)
 * exists only at the wire. A TimeInterval of "too big" (INT64_MAX) decodes
 * to INT64_MAX ns and encodes back to it; sub-nanosecond fractions are
 * rounded away on decode.
 *
 * Decoding is meant for SET, COMMAND, RESPONSE and ACKNOWLEDGE. A GET's
 * dataField carries no value: 1588 sends it empty, while linuxptp's pmc
 * (without -z) sends the response's size filled with zeros, so a
 * management layer must not decode or length-check a GET's dataField.
 *
 * No I/O, no allocation, no globals.
 */
#ifndef GN_CORE_MGMT_H
#define GN_CORE_MGMT_H

#include "dataset.h"
#include "tlv.h"

/* actionField */
enum gn_mgmt_action {
	GN_MGMT_GET = 0,
	GN_MGMT_SET = 1,
	GN_MGMT_RESPONSE = 2,
	GN_MGMT_COMMAND = 3,
	GN_MGMT_ACKNOWLEDGE = 4,
};

/* managementErrorId */
#define GN_MGMT_ERR_RESPONSE_TOO_BIG 0x0001
#define GN_MGMT_ERR_NO_SUCH_ID	     0x0002
#define GN_MGMT_ERR_WRONG_LENGTH     0x0003
#define GN_MGMT_ERR_WRONG_VALUE	     0x0004
#define GN_MGMT_ERR_NOT_SETABLE	     0x0005
#define GN_MGMT_ERR_NOT_SUPPORTED    0x0006
#define GN_MGMT_ERR_GENERAL_ERROR    0xFFFE

/*
 * managementId values: 1588-2019 table 59 and linuxptp's tlv.h (its
 * 0x3xxx block differs from Wireshark's: MASTER_ONLY is 0x3001).
 */
/* applicable to the clock */
#define GN_MGMT_USER_DESCRIPTION		    0x0002
#define GN_MGMT_SAVE_IN_NON_VOLATILE_STORAGE	    0x0003
#define GN_MGMT_RESET_NON_VOLATILE_STORAGE	    0x0004
#define GN_MGMT_INITIALIZE			    0x0005
#define GN_MGMT_FAULT_LOG			    0x0006
#define GN_MGMT_FAULT_LOG_RESET			    0x0007
#define GN_MGMT_DEFAULT_DATA_SET		    0x2000
#define GN_MGMT_CURRENT_DATA_SET		    0x2001
#define GN_MGMT_PARENT_DATA_SET			    0x2002
#define GN_MGMT_TIME_PROPERTIES_DATA_SET	    0x2003
#define GN_MGMT_PRIORITY1			    0x2005
#define GN_MGMT_PRIORITY2			    0x2006
#define GN_MGMT_DOMAIN				    0x2007
#define GN_MGMT_SLAVE_ONLY			    0x2008
#define GN_MGMT_TIME				    0x200F
#define GN_MGMT_CLOCK_ACCURACY			    0x2010
#define GN_MGMT_UTC_PROPERTIES			    0x2011
#define GN_MGMT_TRACEABILITY_PROPERTIES		    0x2012
#define GN_MGMT_TIMESCALE_PROPERTIES		    0x2013
#define GN_MGMT_PATH_TRACE_LIST			    0x2015
#define GN_MGMT_PATH_TRACE_ENABLE		    0x2016
#define GN_MGMT_GRANDMASTER_CLUSTER_TABLE	    0x2017
#define GN_MGMT_ACCEPTABLE_MASTER_TABLE		    0x201A
#define GN_MGMT_ACCEPTABLE_MASTER_MAX_TABLE_SIZE    0x201C
#define GN_MGMT_ALTERNATE_TIME_OFFSET_ENABLE	    0x201E
#define GN_MGMT_ALTERNATE_TIME_OFFSET_NAME	    0x201F
#define GN_MGMT_ALTERNATE_TIME_OFFSET_MAX_KEY	    0x2020
#define GN_MGMT_ALTERNATE_TIME_OFFSET_PROPERTIES    0x2021
#define GN_MGMT_EXTERNAL_PORT_CONFIGURATION_ENABLED 0x3000
#define GN_MGMT_HOLDOVER_UPGRADE_ENABLE		    0x3002
#define GN_MGMT_TRANSPARENT_CLOCK_DEFAULT_DATA_SET  0x4000
#define GN_MGMT_PRIMARY_DOMAIN			    0x4002
#define GN_MGMT_TIME_STATUS_NP			    0xC000
#define GN_MGMT_GRANDMASTER_SETTINGS_NP		    0xC001
#define GN_MGMT_SUBSCRIBE_EVENTS_NP		    0xC003
#define GN_MGMT_SYNCHRONIZATION_UNCERTAIN_NP	    0xC006
#define GN_MGMT_EXTERNAL_GRANDMASTER_PROPERTIES_NP  0xC00D
/* applicable to a port */
#define GN_MGMT_NULL_MANAGEMENT			0x0000
#define GN_MGMT_CLOCK_DESCRIPTION		0x0001
#define GN_MGMT_PORT_DATA_SET			0x2004
#define GN_MGMT_LOG_ANNOUNCE_INTERVAL		0x2009
#define GN_MGMT_ANNOUNCE_RECEIPT_TIMEOUT	0x200A
#define GN_MGMT_LOG_SYNC_INTERVAL		0x200B
#define GN_MGMT_VERSION_NUMBER			0x200C
#define GN_MGMT_ENABLE_PORT			0x200D
#define GN_MGMT_DISABLE_PORT			0x200E
#define GN_MGMT_UNICAST_NEGOTIATION_ENABLE	0x2014
#define GN_MGMT_UNICAST_MASTER_TABLE		0x2018
#define GN_MGMT_UNICAST_MASTER_MAX_TABLE_SIZE	0x2019
#define GN_MGMT_ACCEPTABLE_MASTER_TABLE_ENABLED 0x201B
#define GN_MGMT_ALTERNATE_MASTER		0x201D
#define GN_MGMT_MASTER_ONLY			0x3001
#define GN_MGMT_EXT_PORT_CONFIG_PORT_DATA_SET	0x3003
#define GN_MGMT_SLAVE_EVENT_MONITORING		0x3004
#define GN_MGMT_TRANSPARENT_CLOCK_PORT_DATA_SET 0x4001
#define GN_MGMT_DELAY_MECHANISM			0x6000
#define GN_MGMT_LOG_MIN_PDELAY_REQ_INTERVAL	0x6001
#define GN_MGMT_PORT_DATA_SET_NP		0xC002
#define GN_MGMT_PORT_PROPERTIES_NP		0xC004
#define GN_MGMT_PORT_STATS_NP			0xC005
#define GN_MGMT_PORT_SERVICE_STATS_NP		0xC007
#define GN_MGMT_UNICAST_MASTER_TABLE_NP		0xC008
#define GN_MGMT_PORT_HWCLOCK_NP			0xC009
#define GN_MGMT_POWER_PROFILE_SETTINGS_NP	0xC00A
#define GN_MGMT_CMLDS_INFO_NP			0xC00B
#define GN_MGMT_PORT_CORRECTIONS_NP		0xC00C

/*
 * gnomon's own ids (implementation-specific range, beside linuxptp's
 * 0xC0xx): 0xC0A0 VCLOCK_OFFSET_NP is answered by gnomond itself;
 * SERVO_STATUS_NP by the core: the servo's frequency and state and an
 * estimate of the error bound (see gn_mgmt_error_bound_ns).
 */
#define GN_MGMT_SERVO_STATUS_NP	    0xC0A1
#define GN_MGMT_SERVO_STATUS_NP_LEN 28
struct gn_mgmt_servo_status_np {
	int64_t freq_ppb_scaled; /* frequency adjustment, ppb * 2^16 */
	int64_t error_bound_ns;	 /* -1: unknown (no measurement) */
	int64_t offset_ns;	 /* last offset from master */
	uint8_t servo_state;	 /* enum gn_servo_state */
	uint8_t have_offset;	 /* a measurement exists */
	uint8_t slave_port;	 /* portNumber of the slave port, 0: none */
};

/* Fixed dataField lengths on the wire (even, padding included). */
#define GN_MGMT_DEFAULT_DS_LEN		  20
#define GN_MGMT_CURRENT_DS_LEN		  18
#define GN_MGMT_PARENT_DS_LEN		  32
#define GN_MGMT_TIME_PROPERTIES_DS_LEN	  4
#define GN_MGMT_PORT_DS_LEN		  26
#define GN_MGMT_OCTET_LEN		  2 /* value + reserved */
#define GN_MGMT_TIME_LEN		  10
#define GN_MGMT_TIME_STATUS_NP_LEN	  50
#define GN_MGMT_GM_SETTINGS_NP_LEN	  8
#define GN_MGMT_PORT_DS_NP_LEN		  8
#define GN_MGMT_SUBSCRIBE_EVENTS_NP_LEN	  66
#define GN_MGMT_PORT_STATS_NP_LEN	  266
#define GN_MGMT_PORT_SERVICE_STATS_NP_LEN 90
#define GN_MGMT_PORT_HWCLOCK_NP_LEN	  16
#define GN_MGMT_UTC_PROPERTIES_LEN	  4
#define GN_MGMT_ATO_ENABLE_LEN		  2
#define GN_MGMT_ATO_PROPERTIES_LEN	  16
#define GN_MGMT_POWER_PROFILE_NP_LEN	  16
#define GN_MGMT_CMLDS_INFO_NP_LEN	  16
#define GN_MGMT_EXT_GM_PROPERTIES_NP_LEN  10
#define GN_MGMT_PORT_CORRECTIONS_NP_LEN	  24

/* PTPText: lengthField octet, then that many octets of UTF-8. */
#define GN_MGMT_TEXT_MAX 255
struct gn_mgmt_text {
	uint8_t len;
	char text[GN_MGMT_TEXT_MAX + 1]; /* NUL-terminated after decode */
};
/* Sets t from a C string (cut at GN_MGMT_TEXT_MAX octets). */
void gn_mgmt_text_set(struct gn_mgmt_text *t, const char *s);

/* UTC_PROPERTIES: currentUtcOffset and the leap / valid flags. */
#define GN_MGMT_UTC_LEAP61 (1u << 0)
#define GN_MGMT_UTC_LEAP59 (1u << 1)
#define GN_MGMT_UTC_VALID  (1u << 2)
struct gn_mgmt_utc_properties {
	int16_t utc_offset;
	uint8_t flags; /* GN_MGMT_UTC_* */
};

/*
 * CLOCK_DESCRIPTION (1588-2019 15.5.3.1.2). Addresses are at most
 * GN_MGMT_ADDR_MAX octets here (MAC: 6, IPv4: 4, IPv6: 16).
 */
#define GN_MGMT_ADDR_MAX       16
#define GN_CLOCK_TYPE_ORDINARY 0x8000
#define GN_CLOCK_TYPE_BOUNDARY 0x4000
#define GN_CLOCK_TYPE_P2P_TC   0x2000
#define GN_CLOCK_TYPE_E2E_TC   0x1000
#define GN_NET_PROTO_UDP_IPV4  1
#define GN_NET_PROTO_UDP_IPV6  2
#define GN_NET_PROTO_802_3     3
struct gn_mgmt_clock_description {
	uint16_t clock_type;
	struct gn_mgmt_text physical_layer_protocol;
	uint16_t physical_address_len;
	uint8_t physical_address[GN_MGMT_ADDR_MAX];
	uint16_t network_protocol;
	uint16_t protocol_address_len;
	uint8_t protocol_address[GN_MGMT_ADDR_MAX];
	uint8_t manufacturer_identity[3];
	struct gn_mgmt_text product_description;
	struct gn_mgmt_text revision_data;
	struct gn_mgmt_text user_description;
	uint8_t profile_identity[6];
};

/* TIME_STATUS_NP (linuxptp): the servo's view of the grandmaster. */
struct gn_mgmt_time_status_np {
	int64_t master_offset_ns;
	int64_t ingress_time_ns;
	int32_t cumulative_scaled_rate_offset;
	int32_t scaled_last_gm_phase_change;
	uint16_t gm_time_base_indicator;
	struct gn_scaled_ns last_gm_phase_change;
	int32_t gm_present;
	struct gn_clock_identity gm_identity;
};

/* GRANDMASTER_SETTINGS_NP: what a grandmaster announces about itself. */
struct gn_mgmt_gm_settings_np {
	struct gn_clock_quality quality;
	int16_t utc_offset;
	uint8_t time_flags; /* low octet of flagField */
	uint8_t time_source;
};

/* PORT_DATA_SET_NP */
struct gn_mgmt_port_ds_np {
	uint32_t neighbor_prop_delay_thresh_ns;
	int32_t as_capable;
};

/* SUBSCRIBE_EVENTS_NP: bit n of the bitmask subscribes event n. */
#define GN_MGMT_EVENT_BITMASK_LEN 64
#define GN_NOTIFY_PORT_STATE	  0
#define GN_NOTIFY_TIME_SYNC	  1
#define GN_NOTIFY_PARENT_DATA_SET 2
#define GN_NOTIFY_CMLDS		  3
struct gn_mgmt_subscribe_events_np {
	uint16_t duration_s;
	uint8_t bitmask[GN_MGMT_EVENT_BITMASK_LEN];
};

/* PORT_PROPERTIES_NP; timestamping as linuxptp's enum timestamp_type. */
#define GN_TIMESTAMPING_SOFTWARE  0
#define GN_TIMESTAMPING_HARDWARE  1
#define GN_TIMESTAMPING_LEGACY_HW 2
#define GN_TIMESTAMPING_ONESTEP	  3
#define GN_TIMESTAMPING_P2P1STEP  4
struct gn_mgmt_port_properties_np {
	struct gn_port_identity identity;
	uint8_t port_state; /* enum gn_port_state */
	uint8_t timestamping;
	uint8_t iface_len;
	char iface[256]; /* PTPText; NUL-terminated after decode */
};

/*
 * PORT_STATS_NP: message counters indexed by messageType. linuxptp sends
 * these 64-bit counters little-endian (its own choice, against the
 * network order of everything else); gnomon does the same.
 */
#define GN_MGMT_MSG_TYPES 16
struct gn_mgmt_port_stats_np {
	struct gn_port_identity identity;
	uint64_t rx[GN_MGMT_MSG_TYPES];
	uint64_t tx[GN_MGMT_MSG_TYPES];
};

/* PORT_SERVICE_STATS_NP: counters little-endian, as in PORT_STATS_NP. */
struct gn_mgmt_port_service_stats_np {
	struct gn_port_identity identity;
	uint64_t announce_timeout;
	uint64_t sync_timeout;
	uint64_t delay_timeout;
	uint64_t unicast_service_timeout;
	uint64_t unicast_request_timeout;
	uint64_t master_announce_timeout;
	uint64_t master_sync_timeout;
	uint64_t qualification_timeout;
	uint64_t sync_mismatch;
	uint64_t followup_mismatch;
};

/* PORT_HWCLOCK_NP */
#define GN_PORT_HWCLOCK_VCLOCK (1u << 0)
struct gn_mgmt_port_hwclock_np {
	struct gn_port_identity identity;
	int32_t phc_index;
	uint8_t flags;
};

/* UNICAST_MASTER_TABLE_NP; entries beyond GN_MGMT_UMT_MAX are refused. */
#define GN_MGMT_UMT_MAX	     16
#define GN_MGMT_UMT_ADDR_MAX 16
struct gn_mgmt_unicast_master {
	struct gn_port_identity identity;
	struct gn_clock_quality quality;
	uint8_t selected;
	uint8_t port_state;
	uint8_t priority1;
	uint8_t priority2;
	uint16_t network_protocol; /* 1 UDP/IPv4, 2 UDP/IPv6, 3 802.3 */
	uint16_t address_len;
	uint8_t address[GN_MGMT_UMT_ADDR_MAX];
};
struct gn_mgmt_unicast_master_table_np {
	uint16_t count;
	struct gn_mgmt_unicast_master entry[GN_MGMT_UMT_MAX];
};

/*
 * ALTERNATE_TIME_OFFSET_ENABLE / _NAME / _PROPERTIES (1588-2019
 * 15.5.3.3.6-9): each dataField starts with the keyField octet that
 * selects one of the clock's alternate timescales. ENABLE's second
 * octet carries the enable flag in bit 0. PROPERTIES is packed as on
 * the wire of linuxptp: key, currentOffset i32, jumpSeconds i32,
 * timeOfNextJump u48, one pad octet (16 octets).
 */
struct gn_mgmt_ato_enable {
	uint8_t key;
	uint8_t enable; /* 0 or 1 after decode */
};
struct gn_mgmt_ato_name {
	uint8_t key;
	struct gn_mgmt_text name; /* displayName */
};
struct gn_mgmt_ato_properties {
	uint8_t key;
	int32_t current_offset_s;
	int32_t jump_seconds_s;
	uint64_t time_of_next_jump_s; /* 48 bits on the wire */
};

/* POWER_PROFILE_SETTINGS_NP (IEEE C37.238 values of a port, linuxptp). */
struct gn_mgmt_power_profile_np {
	uint16_t version; /* 0 none, 1 2011, 2 2017 */
	uint16_t grandmaster_id;
	uint32_t grandmaster_time_inaccuracy_ns;
	uint32_t network_time_inaccuracy_ns;
	uint32_t total_time_inaccuracy_ns;
};

/* CMLDS_INFO_NP: meanLinkDelay (TimeInterval on the wire),
 * scaledNeighborRateRatio ((ratio - 1) * 2^41) and asCapable. */
struct gn_mgmt_cmlds_info_np {
	int64_t mean_link_delay_ns;
	int32_t scaled_neighbor_rate_ratio;
	uint32_t as_capable;
};

/* EXTERNAL_GRANDMASTER_PROPERTIES_NP: what a grandmaster that takes its
 * time from elsewhere announces as gmIdentity and stepsRemoved. */
struct gn_mgmt_ext_gm_properties_np {
	struct gn_clock_identity gm_identity;
	uint16_t steps_removed;
};

/*
 * PORT_CORRECTIONS_NP: three TimeIntervals (scaled ns). linuxptp's
 * tlv.c throws away the result of its byte-order conversion for this
 * id, so ptp4l and pmc exchange them in host order, little-endian on
 * every machine they are used on; gnomon sends and reads them
 * little-endian, as PORT_STATS_NP.
 */
struct gn_mgmt_port_corrections_np {
	int64_t egress_latency_ns;
	int64_t ingress_latency_ns;
	int64_t delay_asymmetry_ns;
};

/*
 * One id's dataField. The one-octet ids (PRIORITY1, PRIORITY2, DOMAIN,
 * SLAVE_ONLY, CLOCK_ACCURACY, LOG_ANNOUNCE_INTERVAL, ... see
 * gn_mgmt_decode) use u8 (signed intervals are stored as their octet);
 * NULL_MANAGEMENT, ENABLE_PORT, DISABLE_PORT and the other commands have
 * no data.
 */
union gn_mgmt_data {
	struct gn_default_ds default_ds;
	struct gn_current_ds current_ds;
	struct gn_parent_ds parent_ds;
	struct gn_time_properties_ds time_properties_ds;
	struct gn_port_ds port_ds;
	uint8_t u8;
	struct gn_timestamp time;
	struct gn_mgmt_time_status_np time_status;
	struct gn_mgmt_gm_settings_np gm_settings;
	struct gn_mgmt_port_ds_np port_ds_np;
	struct gn_mgmt_subscribe_events_np subscribe_events;
	struct gn_mgmt_port_properties_np port_properties;
	struct gn_mgmt_port_stats_np port_stats;
	struct gn_mgmt_port_service_stats_np port_service_stats;
	struct gn_mgmt_port_hwclock_np port_hwclock;
	struct gn_mgmt_unicast_master_table_np unicast_master_table;
	struct gn_mgmt_text text; /* USER_DESCRIPTION */
	struct gn_mgmt_utc_properties utc_properties;
	struct gn_mgmt_clock_description clock_description;
	struct gn_mgmt_servo_status_np servo_status;
	struct gn_mgmt_ato_enable ato_enable;
	struct gn_mgmt_ato_name ato_name;
	struct gn_mgmt_ato_properties ato_properties;
	struct gn_mgmt_power_profile_np power_profile;
	struct gn_mgmt_cmlds_info_np cmlds_info;
	struct gn_mgmt_ext_gm_properties_np ext_gm;
	struct gn_mgmt_port_corrections_np port_corrections;
};

/*
 * Writes id's dataField from *d into buf. Returns its length (even, may
 * be 0) or -EOPNOTSUPP (id without a codec), -EINVAL (a value that cannot
 * be encoded), -ENOSPC (cap too small).
 */
int gn_mgmt_encode(uint16_t id, const union gn_mgmt_data *d, uint8_t *buf,
		   size_t cap);

/*
 * Decodes id's dataField data[0..len) into *d. Returns 0 or
 * -EOPNOTSUPP (id without a codec), -EBADMSG (wrong length for the id:
 * answer WRONG_LENGTH), -EINVAL (a value the id does not allow), with a
 * static reason string in *reason when reason is not NULL.
 */
int gn_mgmt_decode(uint16_t id, const uint8_t *data, size_t len,
		   union gn_mgmt_data *d, const char **reason);

/* Whether gn_mgmt_encode/decode support id. */
bool gn_mgmt_has_codec(uint16_t id);

/* The 1588 managementErrorId for an error of encode/decode/handlers:
 * -EBADMSG WRONG_LENGTH, -EINVAL/-ERANGE WRONG_VALUE, -EOPNOTSUPP
 * NOT_SUPPORTED, -ENOENT NO_SUCH_ID, -EACCES/-EPERM NOT_SETABLE,
 * -ENOSPC/-EMSGSIZE RESPONSE_TOO_BIG, others GENERAL_ERROR. */
uint16_t gn_mgmt_error_id(int err);

/* pmc's names: "DEFAULT_DATA_SET", ...; NULL for an unknown id. */
const char *gn_mgmt_id_str(uint16_t id);
/*
 * pmc's lookup: a case-insensitive exact name, else a unique prefix of
 * the names pmc knows. Returns the id, -ENOENT (no match) or -EEXIST
 * (an ambiguous prefix).
 */
int gn_mgmt_id_from_str(const char *pmc_name);
/* Whether id addresses a port (true) or the clock (false); unknown: false. */
bool gn_mgmt_id_is_port(uint16_t id);

/* "GET", "SET", "RESPONSE", "COMMAND", "ACKNOWLEDGE"; "UNKNOWN" else. */
const char *gn_mgmt_action_str(uint8_t action);
/* "RESPONSE_TOO_BIG", ..., "GENERAL_ERROR"; "UNKNOWN" else. */
const char *gn_mgmt_error_str(uint16_t error_id);

/* ---- the management responder (mgmt_engine.c) ---- */

struct gn_clock;
/* As in clock.h (C11 allows the identical redefinition). */
typedef void (*gn_mgmt_reply_fn)(void *ctx, const uint8_t *frame, size_t len);

/*
 * Who may manage this clock through its PTP ports (gnomon's option
 * network_management). Requests on the host's own management socket are
 * not concerned: there the host says read_only or not.
 */
enum gn_mgmt_access {
	GN_MGMT_ACCESS_NONE = 0, /* management frames on ports: ignored */
	GN_MGMT_ACCESS_READ,	 /* GET answered, SET/COMMAND refused */
	GN_MGMT_ACCESS_WRITE,	 /* everything, as on the local socket */
};

/* What the host knows of a port for CLOCK_DESCRIPTION. */
struct gn_mgmt_port_address {
	uint16_t network_protocol; /* GN_NET_PROTO_* */
	uint16_t protocol_address_len;
	uint8_t protocol_address[GN_MGMT_ADDR_MAX];
	uint16_t physical_address_len;
	uint8_t physical_address[GN_MGMT_ADDR_MAX];
};

/*
 * State of management that the clock's data sets do not hold: the
 * description the host knows, members only management changes, and the
 * network policy. Owned by the host, initialised by gn_mgmt_host_init()
 * and then filled in; it must outlive the calls below.
 */
struct gn_mgmt_host {
	uint8_t manufacturer_identity[3];
	struct gn_mgmt_text
	    product_description;	      /* "manufacturer;model;serial" */
	struct gn_mgmt_text revision_data;    /* "hw;fw;sw" */
	struct gn_mgmt_text user_description; /* settable */
	/* nports entries (the clock's), or NULL: empty addresses. */
	const struct gn_mgmt_port_address *port_address;
	enum gn_mgmt_access network_access;
	/* Largest reply frame the host can send (0: GN_MAX_MSG_LEN); a
	 * larger reply is answered with RESPONSE_TOO_BIG. */
	size_t max_reply_len;
	/* SYNCHRONIZATION_UNCERTAIN_NP: 0 false, 1 true, 0xFF don't care. */
	uint8_t sync_uncertain;
	/* Counters for monitoring. */
	uint64_t requests, errors, forwarded;
};

void gn_mgmt_host_init(struct gn_mgmt_host *h);

/*
 * An estimate of how far the clock may be from its grandmaster, in ns:
 * |offsetFromMaster| + meanPathDelay (an asymmetric path can bias the
 * offset by up to the one-way delay) while a slave has a measurement, 0
 * for a grandmaster, -1 when unknown. A monitoring figure, not the time
 * service's guaranteed bound.
 */
int64_t gn_mgmt_error_bound_ns(const struct gn_clock *c);

/*
 * A request from the host's management client (Unix socket). Replies go
 * to fn; a request with boundaryHops > 0 is also forwarded out of every
 * forwarding port (decremented) unless network_access is NONE.
 * read_only: SET and COMMAND are refused with NOT_SUPPORTED (as
 * linuxptp's read-only socket), and so are GETs of PORT_PROPERTIES_NP
 * and PORT_HWCLOCK_NP (linuxptp answers those on its read-write socket
 * only; on PTP ports neither). h may be NULL (no description, no
 * forwarding). Returns the number of replies, 0 when the message is not
 * for this clock, or -EBADMSG.
 */
int gn_mgmt_local(struct gn_clock *c, struct gn_mgmt_host *h,
		  const uint8_t *buf, size_t len, bool read_only,
		  gn_mgmt_reply_fn fn, void *ctx);

/*
 * A management frame received on PTP port index `port`. Requests are
 * answered on that port (through the clock's env->send) as
 * h->network_access allows, and forwarded per boundaryHops to the
 * other forwarding ports. Returns 1 when the frame is a RESPONSE or
 * ACKNOWLEDGE to relay to the local management client (its hops left
 * > 0), 0 when done, -EBADMSG for a frame that is not management.
 */
int gn_mgmt_port_rx(struct gn_clock *c, struct gn_mgmt_host *h, unsigned port,
		    const uint8_t *buf, size_t len);

#endif

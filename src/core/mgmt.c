/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mgmt.c - management ids and the dataField codec of each supported id
 * (see mgmt.h). Layouts follow 1588-2019 section 15.5 and, for the _NP
 * ids, linuxptp's tlv.c, so that linuxptp's pmc understands gnomon.
 *
 * Lengths are exact: a dataField one octet longer or shorter than its id
 * requires is refused with -EBADMSG (the caller answers WRONG_LENGTH).
 * No I/O, no allocation, no globals.
 */
#include <errno.h>
#include <string.h>

#include "mgmt.h"

enum codec {
	C_NONE = 0, /* known id, no dataField codec */
	C_EMPTY,
	C_OCTET,
	C_DEFAULT_DS,
	C_CURRENT_DS,
	C_PARENT_DS,
	C_TIME_PROPERTIES_DS,
	C_PORT_DS,
	C_TIME,
	C_TIME_STATUS_NP,
	C_GM_SETTINGS_NP,
	C_PORT_DS_NP,
	C_SUBSCRIBE_EVENTS_NP,
	C_PORT_PROPERTIES_NP,
	C_PORT_STATS_NP,
	C_PORT_SERVICE_STATS_NP,
	C_PORT_HWCLOCK_NP,
	C_UNICAST_MASTER_TABLE_NP,
	C_TEXT,
	C_UTC_PROPERTIES,
	C_CLOCK_DESCRIPTION,
	C_SERVO_STATUS_NP,
	C_ATO_ENABLE,
	C_ATO_NAME,
	C_ATO_PROPERTIES,
	C_POWER_PROFILE_NP,
	C_CMLDS_INFO_NP,
	C_EXT_GM_PROPERTIES_NP,
	C_PORT_CORRECTIONS_NP,
};

struct mgmt_id {
	uint16_t id;
	uint8_t codec; /* enum codec */
	bool port;     /* addressed to a port, not the clock */
	bool pmc;      /* pmc knows the name (prefix matching) */
	const char *name;
};

#define CLK(x, c)                                                              \
	{                                                                      \
		GN_MGMT_##x, c, false, true, #x                                \
	}
#define PRT(x, c)                                                              \
	{                                                                      \
		GN_MGMT_##x, c, true, true, #x                                 \
	}
#define CLK_NOPMC(x, c)                                                        \
	{                                                                      \
		GN_MGMT_##x, c, false, false, #x                               \
	}
#define PRT_NOPMC(x, c)                                                        \
	{                                                                      \
		GN_MGMT_##x, c, true, false, #x                                \
	}

static const struct mgmt_id ids[] = {
    CLK(USER_DESCRIPTION, C_TEXT),
    CLK(SAVE_IN_NON_VOLATILE_STORAGE, C_EMPTY),
    CLK(RESET_NON_VOLATILE_STORAGE, C_EMPTY),
    CLK(INITIALIZE, C_NONE),
    CLK(FAULT_LOG, C_NONE),
    CLK(FAULT_LOG_RESET, C_EMPTY),
    CLK(DEFAULT_DATA_SET, C_DEFAULT_DS),
    CLK(CURRENT_DATA_SET, C_CURRENT_DS),
    CLK(PARENT_DATA_SET, C_PARENT_DS),
    CLK(TIME_PROPERTIES_DATA_SET, C_TIME_PROPERTIES_DS),
    CLK(PRIORITY1, C_OCTET),
    CLK(PRIORITY2, C_OCTET),
    CLK(DOMAIN, C_OCTET),
    CLK(SLAVE_ONLY, C_OCTET),
    CLK(TIME, C_TIME),
    CLK(CLOCK_ACCURACY, C_OCTET),
    CLK(UTC_PROPERTIES, C_UTC_PROPERTIES),
    CLK(TRACEABILITY_PROPERTIES, C_OCTET),
    CLK(TIMESCALE_PROPERTIES, C_OCTET),
    CLK(PATH_TRACE_LIST, C_NONE),
    CLK(PATH_TRACE_ENABLE, C_NONE),
    CLK(GRANDMASTER_CLUSTER_TABLE, C_NONE),
    CLK(ACCEPTABLE_MASTER_TABLE, C_NONE),
    CLK(ACCEPTABLE_MASTER_MAX_TABLE_SIZE, C_NONE),
    CLK(ALTERNATE_TIME_OFFSET_ENABLE, C_ATO_ENABLE),
    CLK(ALTERNATE_TIME_OFFSET_NAME, C_ATO_NAME),
    CLK(ALTERNATE_TIME_OFFSET_MAX_KEY, C_NONE),
    CLK(ALTERNATE_TIME_OFFSET_PROPERTIES, C_ATO_PROPERTIES),
    CLK_NOPMC(EXTERNAL_PORT_CONFIGURATION_ENABLED, C_NONE),
    CLK_NOPMC(HOLDOVER_UPGRADE_ENABLE, C_NONE),
    CLK(TRANSPARENT_CLOCK_DEFAULT_DATA_SET, C_NONE),
    CLK(PRIMARY_DOMAIN, C_NONE),
    CLK(TIME_STATUS_NP, C_TIME_STATUS_NP),
    CLK(GRANDMASTER_SETTINGS_NP, C_GM_SETTINGS_NP),
    CLK(SUBSCRIBE_EVENTS_NP, C_SUBSCRIBE_EVENTS_NP),
    CLK(SYNCHRONIZATION_UNCERTAIN_NP, C_OCTET),
    CLK(EXTERNAL_GRANDMASTER_PROPERTIES_NP, C_EXT_GM_PROPERTIES_NP),
    CLK_NOPMC(SERVO_STATUS_NP, C_SERVO_STATUS_NP),
    PRT(NULL_MANAGEMENT, C_EMPTY),
    PRT(CLOCK_DESCRIPTION, C_CLOCK_DESCRIPTION),
    PRT(PORT_DATA_SET, C_PORT_DS),
    PRT(LOG_ANNOUNCE_INTERVAL, C_OCTET),
    PRT(ANNOUNCE_RECEIPT_TIMEOUT, C_OCTET),
    PRT(LOG_SYNC_INTERVAL, C_OCTET),
    PRT(VERSION_NUMBER, C_OCTET),
    PRT(ENABLE_PORT, C_EMPTY),
    PRT(DISABLE_PORT, C_EMPTY),
    PRT(UNICAST_NEGOTIATION_ENABLE, C_NONE),
    PRT(UNICAST_MASTER_TABLE, C_NONE),
    PRT(UNICAST_MASTER_MAX_TABLE_SIZE, C_NONE),
    PRT(ACCEPTABLE_MASTER_TABLE_ENABLED, C_NONE),
    PRT(ALTERNATE_MASTER, C_NONE),
    PRT(MASTER_ONLY, C_OCTET),
    PRT_NOPMC(EXT_PORT_CONFIG_PORT_DATA_SET, C_NONE),
    PRT_NOPMC(SLAVE_EVENT_MONITORING, C_NONE),
    PRT(TRANSPARENT_CLOCK_PORT_DATA_SET, C_NONE),
    PRT(DELAY_MECHANISM, C_OCTET),
    PRT(LOG_MIN_PDELAY_REQ_INTERVAL, C_OCTET),
    PRT(PORT_DATA_SET_NP, C_PORT_DS_NP),
    PRT(PORT_PROPERTIES_NP, C_PORT_PROPERTIES_NP),
    PRT(PORT_STATS_NP, C_PORT_STATS_NP),
    PRT(PORT_SERVICE_STATS_NP, C_PORT_SERVICE_STATS_NP),
    PRT(UNICAST_MASTER_TABLE_NP, C_UNICAST_MASTER_TABLE_NP),
    PRT(PORT_HWCLOCK_NP, C_PORT_HWCLOCK_NP),
    PRT(POWER_PROFILE_SETTINGS_NP, C_POWER_PROFILE_NP),
    PRT(CMLDS_INFO_NP, C_CMLDS_INFO_NP),
    PRT(PORT_CORRECTIONS_NP, C_PORT_CORRECTIONS_NP),
};

#define NIDS (sizeof(ids) / sizeof(ids[0]))

static const struct mgmt_id *find_id(uint16_t id)
{
	size_t i;

	for (i = 0; i < NIDS; i++) {
		if (ids[i].id == id)
			return &ids[i];
	}
	return NULL;
}

const char *gn_mgmt_id_str(uint16_t id)
{
	const struct mgmt_id *e = find_id(id);

	return e ? e->name : NULL;
}

bool gn_mgmt_id_is_port(uint16_t id)
{
	const struct mgmt_id *e = find_id(id);

	return e && e->port;
}

bool gn_mgmt_has_codec(uint16_t id)
{
	const struct mgmt_id *e = find_id(id);

	return e && e->codec != C_NONE;
}

static char upper(char c)
{
	return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

/* Case-insensitive: whether s equals name (full) or is its prefix. */
static bool name_match(const char *s, const char *name, bool full)
{
	while (*s && upper(*s) == *name) {
		s++;
		name++;
	}
	return *s == '\0' && (!full || *name == '\0');
}

int gn_mgmt_id_from_str(const char *pmc_name)
{
	int found = -ENOENT;
	size_t i;

	for (i = 0; i < NIDS; i++) {
		if (name_match(pmc_name, ids[i].name, true))
			return ids[i].id;
	}
	for (i = 0; i < NIDS; i++) {
		if (!ids[i].pmc || !name_match(pmc_name, ids[i].name, false))
			continue;
		if (found != -ENOENT)
			return -EEXIST;
		found = ids[i].id;
	}
	return found;
}

const char *gn_mgmt_action_str(uint8_t action)
{
	static const char *const names[] = {"GET", "SET", "RESPONSE", "COMMAND",
					    "ACKNOWLEDGE"};

	return action < 5 ? names[action] : "UNKNOWN";
}

const char *gn_mgmt_error_str(uint16_t error_id)
{
	switch (error_id) {
	case GN_MGMT_ERR_RESPONSE_TOO_BIG:
		return "RESPONSE_TOO_BIG";
	case GN_MGMT_ERR_NO_SUCH_ID:
		return "NO_SUCH_ID";
	case GN_MGMT_ERR_WRONG_LENGTH:
		return "WRONG_LENGTH";
	case GN_MGMT_ERR_WRONG_VALUE:
		return "WRONG_VALUE";
	case GN_MGMT_ERR_NOT_SETABLE:
		return "NOT_SETABLE";
	case GN_MGMT_ERR_NOT_SUPPORTED:
		return "NOT_SUPPORTED";
	case GN_MGMT_ERR_GENERAL_ERROR:
		return "GENERAL_ERROR";
	default:
		return "UNKNOWN";
	}
}

uint16_t gn_mgmt_error_id(int err)
{
	switch (err) {
	case -EBADMSG:
		return GN_MGMT_ERR_WRONG_LENGTH;
	case -EINVAL:
	case -ERANGE:
		return GN_MGMT_ERR_WRONG_VALUE;
	case -EOPNOTSUPP:
		return GN_MGMT_ERR_NOT_SUPPORTED;
	case -ENOENT:
		return GN_MGMT_ERR_NO_SUCH_ID;
	case -EACCES:
	case -EPERM:
		return GN_MGMT_ERR_NOT_SETABLE;
	case -ENOSPC:
	case -EMSGSIZE:
		return GN_MGMT_ERR_RESPONSE_TOO_BIG;
	default:
		return GN_MGMT_ERR_GENERAL_ERROR;
	}
}

/* ---- field helpers ---- */

static void get_pid(const uint8_t *p, struct gn_port_identity *pid)
{
	memcpy(pid->clock.id, p, 8);
	pid->port = gn_get16(p + 8);
}

static void put_pid(uint8_t *p, const struct gn_port_identity *pid)
{
	memcpy(p, pid->clock.id, 8);
	gn_put16(p + 8, pid->port);
}

static void get_quality(const uint8_t *p, struct gn_clock_quality *q)
{
	q->clock_class = p[0];
	q->clock_accuracy = p[1];
	q->offset_scaled_log_variance = gn_get16(p + 2);
}

static void put_quality(uint8_t *p, const struct gn_clock_quality *q)
{
	p[0] = q->clock_class;
	p[1] = q->clock_accuracy;
	gn_put16(p + 2, q->offset_scaled_log_variance);
}

/* TimeInterval -> ns; "too big" saturates instead of failing. */
static int64_t get_ti_ns(const uint8_t *p)
{
	int64_t ns;

	if (gn_ti_to_ns((int64_t)gn_get64(p), &ns))
		return INT64_MAX;
	return ns;
}

static void put_ti_ns(uint8_t *p, int64_t ns)
{
	gn_put64(p, (uint64_t)(ns == INT64_MAX ? GN_TI_MAX : gn_ns_to_ti(ns)));
}

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void put_le64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

static size_t even(size_t n)
{
	return n + (n & 1);
}

/* A TimeInterval sent little-endian (PORT_CORRECTIONS_NP, see mgmt.h). */
static void put_le_ti_ns(uint8_t *p, int64_t ns)
{
	put_le64(p, (uint64_t)(ns == INT64_MAX ? GN_TI_MAX : gn_ns_to_ti(ns)));
}

static int64_t get_le_ti_ns(const uint8_t *p)
{
	int64_t ns;

	if (gn_ti_to_ns((int64_t)get_le64(p), &ns))
		return INT64_MAX;
	return ns;
}

/* ---- encoders: buf has room for the fixed length, zeroed ---- */

static void enc_default_ds(const struct gn_default_ds *d, uint8_t *p)
{
	p[0] = (uint8_t)((d->two_step ? 1 : 0) | (d->slave_only ? 2 : 0));
	gn_put16(p + 2, d->number_ports);
	p[4] = d->priority1;
	put_quality(p + 5, &d->quality);
	p[9] = d->priority2;
	memcpy(p + 10, d->identity.id, 8);
	p[18] = d->domain;
}

static void dec_default_ds(const uint8_t *p, struct gn_default_ds *d)
{
	d->two_step = p[0] & 1;
	d->slave_only = p[0] & 2;
	d->number_ports = gn_get16(p + 2);
	d->priority1 = p[4];
	get_quality(p + 5, &d->quality);
	d->priority2 = p[9];
	memcpy(d->identity.id, p + 10, 8);
	d->domain = p[18];
}

static void enc_current_ds(const struct gn_current_ds *d, uint8_t *p)
{
	gn_put16(p, d->steps_removed);
	put_ti_ns(p + 2, d->offset_from_master_ns);
	put_ti_ns(p + 10, d->mean_path_delay_ns);
}

static void dec_current_ds(const uint8_t *p, struct gn_current_ds *d)
{
	d->steps_removed = gn_get16(p);
	d->offset_from_master_ns = get_ti_ns(p + 2);
	d->mean_path_delay_ns = get_ti_ns(p + 10);
}

static void enc_parent_ds(const struct gn_parent_ds *d, uint8_t *p)
{
	put_pid(p, &d->parent_port);
	p[10] = d->parent_stats ? 1 : 0;
	gn_put16(p + 12, d->observed_parent_offset_scaled_log_variance);
	gn_put32(p + 14, (uint32_t)d->observed_parent_clock_phase_change_rate);
	p[18] = d->gm_priority1;
	put_quality(p + 19, &d->gm_quality);
	p[23] = d->gm_priority2;
	memcpy(p + 24, d->gm_identity.id, 8);
}

static void dec_parent_ds(const uint8_t *p, struct gn_parent_ds *d)
{
	get_pid(p, &d->parent_port);
	d->parent_stats = p[10] & 1;
	d->observed_parent_offset_scaled_log_variance = gn_get16(p + 12);
	d->observed_parent_clock_phase_change_rate = (int32_t)gn_get32(p + 14);
	d->gm_priority1 = p[18];
	get_quality(p + 19, &d->gm_quality);
	d->gm_priority2 = p[23];
	memcpy(d->gm_identity.id, p + 24, 8);
}

static void enc_port_ds(const struct gn_port_ds *d, uint8_t *p)
{
	put_pid(p, &d->identity);
	p[10] = (uint8_t)d->state;
	p[11] = (uint8_t)d->log_min_delay_req_interval;
	put_ti_ns(p + 12, d->peer_mean_path_delay_ns);
	p[20] = (uint8_t)d->log_announce_interval;
	p[21] = d->announce_receipt_timeout;
	p[22] = (uint8_t)d->log_sync_interval;
	p[23] = d->delay_mechanism;
	p[24] = (uint8_t)d->log_min_pdelay_req_interval;
	p[25] = d->version_number;
}

static void dec_port_ds(const uint8_t *p, struct gn_port_ds *d)
{
	get_pid(p, &d->identity);
	d->state = (enum gn_port_state)p[10];
	d->log_min_delay_req_interval = (int8_t)p[11];
	d->peer_mean_path_delay_ns = get_ti_ns(p + 12);
	d->log_announce_interval = (int8_t)p[20];
	d->announce_receipt_timeout = p[21];
	d->log_sync_interval = (int8_t)p[22];
	d->delay_mechanism = p[23];
	d->log_min_pdelay_req_interval = (int8_t)p[24];
	d->version_number = p[25];
}

static void put_scaled_ns(uint8_t *p, const struct gn_scaled_ns *s)
{
	gn_put16(p, s->ns_msb);
	gn_put64(p + 2, s->ns_lsb);
	gn_put16(p + 10, s->frac_ns);
}

static void get_scaled_ns(const uint8_t *p, struct gn_scaled_ns *s)
{
	s->ns_msb = gn_get16(p);
	s->ns_lsb = gn_get64(p + 2);
	s->frac_ns = gn_get16(p + 10);
}

static void enc_time_status(const struct gn_mgmt_time_status_np *d, uint8_t *p)
{
	gn_put64(p, (uint64_t)d->master_offset_ns);
	gn_put64(p + 8, (uint64_t)d->ingress_time_ns);
	gn_put32(p + 16, (uint32_t)d->cumulative_scaled_rate_offset);
	gn_put32(p + 20, (uint32_t)d->scaled_last_gm_phase_change);
	gn_put16(p + 24, d->gm_time_base_indicator);
	put_scaled_ns(p + 26, &d->last_gm_phase_change);
	gn_put32(p + 38, (uint32_t)d->gm_present);
	memcpy(p + 42, d->gm_identity.id, 8);
}

static void dec_time_status(const uint8_t *p, struct gn_mgmt_time_status_np *d)
{
	d->master_offset_ns = (int64_t)gn_get64(p);
	d->ingress_time_ns = (int64_t)gn_get64(p + 8);
	d->cumulative_scaled_rate_offset = (int32_t)gn_get32(p + 16);
	d->scaled_last_gm_phase_change = (int32_t)gn_get32(p + 20);
	d->gm_time_base_indicator = gn_get16(p + 24);
	get_scaled_ns(p + 26, &d->last_gm_phase_change);
	d->gm_present = (int32_t)gn_get32(p + 38);
	memcpy(d->gm_identity.id, p + 42, 8);
}

static void enc_port_stats(const struct gn_mgmt_port_stats_np *d, uint8_t *p)
{
	int i;

	put_pid(p, &d->identity);
	for (i = 0; i < GN_MGMT_MSG_TYPES; i++) {
		put_le64(p + 10 + 8 * i, d->rx[i]);
		put_le64(p + 10 + 8 * (GN_MGMT_MSG_TYPES + i), d->tx[i]);
	}
}

static void dec_port_stats(const uint8_t *p, struct gn_mgmt_port_stats_np *d)
{
	int i;

	get_pid(p, &d->identity);
	for (i = 0; i < GN_MGMT_MSG_TYPES; i++) {
		d->rx[i] = get_le64(p + 10 + 8 * i);
		d->tx[i] = get_le64(p + 10 + 8 * (GN_MGMT_MSG_TYPES + i));
	}
}

static void enc_service_stats(const struct gn_mgmt_port_service_stats_np *d,
			      uint8_t *p)
{
	const uint64_t v[10] = {
	    d->announce_timeout,	d->sync_timeout,
	    d->delay_timeout,		d->unicast_service_timeout,
	    d->unicast_request_timeout, d->master_announce_timeout,
	    d->master_sync_timeout,	d->qualification_timeout,
	    d->sync_mismatch,		d->followup_mismatch,
	};
	int i;

	put_pid(p, &d->identity);
	for (i = 0; i < 10; i++)
		put_le64(p + 10 + 8 * i, v[i]);
}

static void dec_service_stats(const uint8_t *p,
			      struct gn_mgmt_port_service_stats_np *d)
{
	get_pid(p, &d->identity);
	d->announce_timeout = get_le64(p + 10);
	d->sync_timeout = get_le64(p + 18);
	d->delay_timeout = get_le64(p + 26);
	d->unicast_service_timeout = get_le64(p + 34);
	d->unicast_request_timeout = get_le64(p + 42);
	d->master_announce_timeout = get_le64(p + 50);
	d->master_sync_timeout = get_le64(p + 58);
	d->qualification_timeout = get_le64(p + 66);
	d->sync_mismatch = get_le64(p + 74);
	d->followup_mismatch = get_le64(p + 82);
}

/* Length of the UNICAST_MASTER_TABLE_NP entry fixed part. */
#define UMT_ENTRY_LEN 22

static int umt_len(const struct gn_mgmt_unicast_master_table_np *d, size_t *len)
{
	size_t n = 2;
	unsigned i;

	if (d->count > GN_MGMT_UMT_MAX)
		return -EINVAL;
	for (i = 0; i < d->count; i++) {
		if (d->entry[i].address_len > GN_MGMT_UMT_ADDR_MAX)
			return -EINVAL;
		n += UMT_ENTRY_LEN + d->entry[i].address_len;
	}
	*len = even(n);
	return 0;
}

static void enc_umt(const struct gn_mgmt_unicast_master_table_np *d, uint8_t *p)
{
	const struct gn_mgmt_unicast_master *e;
	unsigned i;

	gn_put16(p, d->count);
	p += 2;
	for (i = 0; i < d->count; i++) {
		e = &d->entry[i];
		put_pid(p, &e->identity);
		put_quality(p + 10, &e->quality);
		p[14] = e->selected;
		p[15] = e->port_state;
		p[16] = e->priority1;
		p[17] = e->priority2;
		gn_put16(p + 18, e->network_protocol);
		gn_put16(p + 20, e->address_len);
		memcpy(p + UMT_ENTRY_LEN, e->address, e->address_len);
		p += UMT_ENTRY_LEN + e->address_len;
	}
}

static int dec_umt(const uint8_t *p, size_t len,
		   struct gn_mgmt_unicast_master_table_np *d,
		   const char **reason)
{
	struct gn_mgmt_unicast_master *e;
	size_t off = 2;
	unsigned i;

	if (len < 2)
		goto bad_length;
	d->count = gn_get16(p);
	if (d->count > GN_MGMT_UMT_MAX) {
		if (reason)
			*reason = "more unicast masters than gnomon holds";
		return -EINVAL;
	}
	for (i = 0; i < d->count; i++) {
		e = &d->entry[i];
		if (len - off < UMT_ENTRY_LEN)
			goto bad_length;
		get_pid(p + off, &e->identity);
		get_quality(p + off + 10, &e->quality);
		e->selected = p[off + 14];
		e->port_state = p[off + 15];
		e->priority1 = p[off + 16];
		e->priority2 = p[off + 17];
		e->network_protocol = gn_get16(p + off + 18);
		e->address_len = gn_get16(p + off + 20);
		off += UMT_ENTRY_LEN;
		if (e->address_len > GN_MGMT_UMT_ADDR_MAX ||
		    len - off < e->address_len)
			goto bad_length;
		memcpy(e->address, p + off, e->address_len);
		off += e->address_len;
	}
	if (len != even(off))
		goto bad_length;
	return 0;
bad_length:
	if (reason)
		*reason = "wrong length for UNICAST_MASTER_TABLE_NP";
	return -EBADMSG;
}

static void enc_ato_properties(const struct gn_mgmt_ato_properties *d,
			       uint8_t *p)
{
	p[0] = d->key;
	gn_put32(p + 1, (uint32_t)d->current_offset_s);
	gn_put32(p + 5, (uint32_t)d->jump_seconds_s);
	gn_put48(p + 9, d->time_of_next_jump_s);
}

static void dec_ato_properties(const uint8_t *p,
			       struct gn_mgmt_ato_properties *d)
{
	d->key = p[0];
	d->current_offset_s = (int32_t)gn_get32(p + 1);
	d->jump_seconds_s = (int32_t)gn_get32(p + 5);
	d->time_of_next_jump_s = gn_get48(p + 9);
}

static void enc_power_profile(const struct gn_mgmt_power_profile_np *d,
			      uint8_t *p)
{
	gn_put16(p, d->version);
	gn_put16(p + 2, d->grandmaster_id);
	gn_put32(p + 4, d->grandmaster_time_inaccuracy_ns);
	gn_put32(p + 8, d->network_time_inaccuracy_ns);
	gn_put32(p + 12, d->total_time_inaccuracy_ns);
}

static void dec_power_profile(const uint8_t *p,
			      struct gn_mgmt_power_profile_np *d)
{
	d->version = gn_get16(p);
	d->grandmaster_id = gn_get16(p + 2);
	d->grandmaster_time_inaccuracy_ns = gn_get32(p + 4);
	d->network_time_inaccuracy_ns = gn_get32(p + 8);
	d->total_time_inaccuracy_ns = gn_get32(p + 12);
}

static void enc_port_corrections(const struct gn_mgmt_port_corrections_np *d,
				 uint8_t *p)
{
	put_le_ti_ns(p, d->egress_latency_ns);
	put_le_ti_ns(p + 8, d->ingress_latency_ns);
	put_le_ti_ns(p + 16, d->delay_asymmetry_ns);
}

static void dec_port_corrections(const uint8_t *p,
				 struct gn_mgmt_port_corrections_np *d)
{
	d->egress_latency_ns = get_le_ti_ns(p);
	d->ingress_latency_ns = get_le_ti_ns(p + 8);
	d->delay_asymmetry_ns = get_le_ti_ns(p + 16);
}

/* ---- PTPText and CLOCK_DESCRIPTION ---- */

void gn_mgmt_text_set(struct gn_mgmt_text *t, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n > GN_MGMT_TEXT_MAX)
		n = GN_MGMT_TEXT_MAX;
	t->len = (uint8_t)n;
	memcpy(t->text, s ? s : "", n);
	t->text[n] = '\0';
}

static size_t put_text(uint8_t *p, const struct gn_mgmt_text *t)
{
	p[0] = t->len;
	memcpy(p + 1, t->text, t->len);
	return 1 + (size_t)t->len;
}

/* Reads a PTPText at data[*off] (len octets in all); -EBADMSG if it
 * runs past the end. */
static int get_text(const uint8_t *data, size_t len, size_t *off,
		    struct gn_mgmt_text *t)
{
	size_t n;

	if (*off >= len)
		return -EBADMSG;
	n = data[*off];
	if (len - *off - 1 < n)
		return -EBADMSG;
	t->len = (uint8_t)n;
	memcpy(t->text, data + *off + 1, n);
	t->text[n] = '\0';
	*off += 1 + n;
	return 0;
}

static int cd_len(const struct gn_mgmt_clock_description *d, size_t *len)
{
	if (d->physical_address_len > GN_MGMT_ADDR_MAX ||
	    d->protocol_address_len > GN_MGMT_ADDR_MAX)
		return -EINVAL;
	*len = even(2 + 1 + (size_t)d->physical_layer_protocol.len + 2 +
		    d->physical_address_len + 4 + d->protocol_address_len + 4 +
		    1 + (size_t)d->product_description.len + 1 +
		    (size_t)d->revision_data.len + 1 +
		    (size_t)d->user_description.len + 6);
	return 0;
}

static void enc_cd(const struct gn_mgmt_clock_description *d, uint8_t *p)
{
	gn_put16(p, d->clock_type);
	p += 2;
	p += put_text(p, &d->physical_layer_protocol);
	gn_put16(p, d->physical_address_len);
	memcpy(p + 2, d->physical_address, d->physical_address_len);
	p += 2 + d->physical_address_len;
	gn_put16(p, d->network_protocol);
	gn_put16(p + 2, d->protocol_address_len);
	memcpy(p + 4, d->protocol_address, d->protocol_address_len);
	p += 4 + d->protocol_address_len;
	memcpy(p, d->manufacturer_identity, 3);
	p[3] = 0;
	p += 4;
	p += put_text(p, &d->product_description);
	p += put_text(p, &d->revision_data);
	p += put_text(p, &d->user_description);
	memcpy(p, d->profile_identity, 6);
}

static int dec_cd(const uint8_t *data, size_t len,
		  struct gn_mgmt_clock_description *d)
{
	size_t off = 2, n;

	if (len < 2)
		return -EBADMSG;
	d->clock_type = gn_get16(data);
	if (get_text(data, len, &off, &d->physical_layer_protocol))
		return -EBADMSG;
	if (len - off < 2)
		return -EBADMSG;
	n = gn_get16(data + off);
	off += 2;
	if (n > GN_MGMT_ADDR_MAX || len - off < n)
		return -EBADMSG;
	d->physical_address_len = (uint16_t)n;
	memcpy(d->physical_address, data + off, n);
	off += n;
	if (len - off < 4)
		return -EBADMSG;
	d->network_protocol = gn_get16(data + off);
	n = gn_get16(data + off + 2);
	off += 4;
	if (n > GN_MGMT_ADDR_MAX || len - off < n)
		return -EBADMSG;
	d->protocol_address_len = (uint16_t)n;
	memcpy(d->protocol_address, data + off, n);
	off += n;
	if (len - off < 4)
		return -EBADMSG;
	memcpy(d->manufacturer_identity, data + off, 3);
	off += 4;
	if (get_text(data, len, &off, &d->product_description) ||
	    get_text(data, len, &off, &d->revision_data) ||
	    get_text(data, len, &off, &d->user_description))
		return -EBADMSG;
	if (len - off < 6)
		return -EBADMSG;
	memcpy(d->profile_identity, data + off, 6);
	off += 6;
	return len == even(off) ? 0 : -EBADMSG;
}

/* The fixed dataField length of a codec; 0 for variable or empty. */
static size_t fixed_len(enum codec c)
{
	switch (c) {
	case C_OCTET:
		return GN_MGMT_OCTET_LEN;
	case C_DEFAULT_DS:
		return GN_MGMT_DEFAULT_DS_LEN;
	case C_CURRENT_DS:
		return GN_MGMT_CURRENT_DS_LEN;
	case C_PARENT_DS:
		return GN_MGMT_PARENT_DS_LEN;
	case C_TIME_PROPERTIES_DS:
		return GN_MGMT_TIME_PROPERTIES_DS_LEN;
	case C_PORT_DS:
		return GN_MGMT_PORT_DS_LEN;
	case C_TIME:
		return GN_MGMT_TIME_LEN;
	case C_TIME_STATUS_NP:
		return GN_MGMT_TIME_STATUS_NP_LEN;
	case C_GM_SETTINGS_NP:
		return GN_MGMT_GM_SETTINGS_NP_LEN;
	case C_PORT_DS_NP:
		return GN_MGMT_PORT_DS_NP_LEN;
	case C_SUBSCRIBE_EVENTS_NP:
		return GN_MGMT_SUBSCRIBE_EVENTS_NP_LEN;
	case C_PORT_STATS_NP:
		return GN_MGMT_PORT_STATS_NP_LEN;
	case C_PORT_SERVICE_STATS_NP:
		return GN_MGMT_PORT_SERVICE_STATS_NP_LEN;
	case C_PORT_HWCLOCK_NP:
		return GN_MGMT_PORT_HWCLOCK_NP_LEN;
	case C_UTC_PROPERTIES:
		return GN_MGMT_UTC_PROPERTIES_LEN;
	case C_SERVO_STATUS_NP:
		return GN_MGMT_SERVO_STATUS_NP_LEN;
	case C_ATO_ENABLE:
		return GN_MGMT_ATO_ENABLE_LEN;
	case C_ATO_PROPERTIES:
		return GN_MGMT_ATO_PROPERTIES_LEN;
	case C_POWER_PROFILE_NP:
		return GN_MGMT_POWER_PROFILE_NP_LEN;
	case C_CMLDS_INFO_NP:
		return GN_MGMT_CMLDS_INFO_NP_LEN;
	case C_EXT_GM_PROPERTIES_NP:
		return GN_MGMT_EXT_GM_PROPERTIES_NP_LEN;
	case C_PORT_CORRECTIONS_NP:
		return GN_MGMT_PORT_CORRECTIONS_NP_LEN;
	default:
		return 0;
	}
}

/* Length of the dataField of d for codec c, or -EINVAL. */
static int data_len(enum codec c, const union gn_mgmt_data *d, size_t *len)
{
	switch (c) {
	case C_EMPTY:
		*len = 0;
		return 0;
	case C_PORT_PROPERTIES_NP:
		*len = even(13 + (size_t)d->port_properties.iface_len);
		return 0;
	case C_UNICAST_MASTER_TABLE_NP:
		return umt_len(&d->unicast_master_table, len);
	case C_TEXT:
		*len = even(1 + (size_t)d->text.len);
		return 0;
	case C_ATO_NAME:
		*len = even(2 + (size_t)d->ato_name.name.len);
		return 0;
	case C_ATO_PROPERTIES:
		if (d->ato_properties.time_of_next_jump_s >= (1ULL << 48))
			return -EINVAL;
		*len = GN_MGMT_ATO_PROPERTIES_LEN;
		return 0;
	case C_CLOCK_DESCRIPTION:
		return cd_len(&d->clock_description, len);
	case C_TIME:
		if (d->time.sec >= (1ULL << 48) || d->time.nsec >= GN_NS_PER_S)
			return -EINVAL;
		*len = GN_MGMT_TIME_LEN;
		return 0;
	default:
		*len = fixed_len(c);
		return 0;
	}
}

int gn_mgmt_encode(uint16_t id, const union gn_mgmt_data *d, uint8_t *buf,
		   size_t cap)
{
	const struct mgmt_id *e = find_id(id);
	const struct gn_time_properties_ds *tp;
	const struct gn_mgmt_port_properties_np *pp;
	const struct gn_mgmt_gm_settings_np *gs;
	enum codec c;
	size_t len;
	int err;

	if (!e || e->codec == C_NONE)
		return -EOPNOTSUPP;
	c = (enum codec)e->codec;
	err = data_len(c, d, &len);
	if (err)
		return err;
	if (len > cap)
		return -ENOSPC;
	memset(buf, 0, len);

	switch (c) {
	case C_OCTET:
		buf[0] = d->u8;
		break;
	case C_DEFAULT_DS:
		enc_default_ds(&d->default_ds, buf);
		break;
	case C_CURRENT_DS:
		enc_current_ds(&d->current_ds, buf);
		break;
	case C_PARENT_DS:
		enc_parent_ds(&d->parent_ds, buf);
		break;
	case C_TIME_PROPERTIES_DS:
		tp = &d->time_properties_ds;
		gn_put16(buf, (uint16_t)tp->current_utc_offset);
		buf[2] = gn_time_properties_flags(tp);
		buf[3] = tp->time_source;
		break;
	case C_PORT_DS:
		enc_port_ds(&d->port_ds, buf);
		break;
	case C_TIME:
		gn_put48(buf, d->time.sec);
		gn_put32(buf + 6, d->time.nsec);
		break;
	case C_TIME_STATUS_NP:
		enc_time_status(&d->time_status, buf);
		break;
	case C_GM_SETTINGS_NP:
		gs = &d->gm_settings;
		put_quality(buf, &gs->quality);
		gn_put16(buf + 4, (uint16_t)gs->utc_offset);
		buf[6] = gs->time_flags;
		buf[7] = gs->time_source;
		break;
	case C_PORT_DS_NP:
		gn_put32(buf, d->port_ds_np.neighbor_prop_delay_thresh_ns);
		gn_put32(buf + 4, (uint32_t)d->port_ds_np.as_capable);
		break;
	case C_SUBSCRIBE_EVENTS_NP:
		gn_put16(buf, d->subscribe_events.duration_s);
		memcpy(buf + 2, d->subscribe_events.bitmask,
		       GN_MGMT_EVENT_BITMASK_LEN);
		break;
	case C_PORT_PROPERTIES_NP:
		pp = &d->port_properties;
		put_pid(buf, &pp->identity);
		buf[10] = pp->port_state;
		buf[11] = pp->timestamping;
		buf[12] = pp->iface_len;
		memcpy(buf + 13, pp->iface, pp->iface_len);
		break;
	case C_PORT_STATS_NP:
		enc_port_stats(&d->port_stats, buf);
		break;
	case C_PORT_SERVICE_STATS_NP:
		enc_service_stats(&d->port_service_stats, buf);
		break;
	case C_PORT_HWCLOCK_NP:
		put_pid(buf, &d->port_hwclock.identity);
		gn_put32(buf + 10, (uint32_t)d->port_hwclock.phc_index);
		buf[14] = d->port_hwclock.flags;
		break;
	case C_UNICAST_MASTER_TABLE_NP:
		enc_umt(&d->unicast_master_table, buf);
		break;
	case C_TEXT:
		put_text(buf, &d->text);
		break;
	case C_UTC_PROPERTIES:
		gn_put16(buf, (uint16_t)d->utc_properties.utc_offset);
		buf[2] = d->utc_properties.flags & 7;
		break;
	case C_CLOCK_DESCRIPTION:
		enc_cd(&d->clock_description, buf);
		break;
	case C_SERVO_STATUS_NP:
		gn_put64(buf, (uint64_t)d->servo_status.freq_ppb_scaled);
		gn_put64(buf + 8, (uint64_t)d->servo_status.error_bound_ns);
		gn_put64(buf + 16, (uint64_t)d->servo_status.offset_ns);
		buf[24] = d->servo_status.servo_state;
		buf[25] = d->servo_status.have_offset;
		buf[26] = d->servo_status.slave_port;
		break;
	case C_ATO_ENABLE:
		buf[0] = d->ato_enable.key;
		buf[1] = d->ato_enable.enable & 1;
		break;
	case C_ATO_NAME:
		buf[0] = d->ato_name.key;
		put_text(buf + 1, &d->ato_name.name);
		break;
	case C_ATO_PROPERTIES:
		enc_ato_properties(&d->ato_properties, buf);
		break;
	case C_POWER_PROFILE_NP:
		enc_power_profile(&d->power_profile, buf);
		break;
	case C_CMLDS_INFO_NP:
		put_ti_ns(buf, d->cmlds_info.mean_link_delay_ns);
		gn_put32(buf + 8,
			 (uint32_t)d->cmlds_info.scaled_neighbor_rate_ratio);
		gn_put32(buf + 12, d->cmlds_info.as_capable);
		break;
	case C_EXT_GM_PROPERTIES_NP:
		memcpy(buf, d->ext_gm.gm_identity.id, 8);
		gn_put16(buf + 8, d->ext_gm.steps_removed);
		break;
	case C_PORT_CORRECTIONS_NP:
		enc_port_corrections(&d->port_corrections, buf);
		break;
	default: /* C_EMPTY */
		break;
	}
	return (int)len;
}

static int wrong_length(const char **reason)
{
	if (reason)
		*reason = "wrong dataField length for the managementId";
	return -EBADMSG;
}

int gn_mgmt_decode(uint16_t id, const uint8_t *data, size_t len,
		   union gn_mgmt_data *d, const char **reason)
{
	const struct mgmt_id *e = find_id(id);
	struct gn_time_properties_ds *tp;
	struct gn_mgmt_port_properties_np *pp;
	struct gn_mgmt_gm_settings_np *gs;
	enum codec c;
	uint8_t n;

	if (!e || e->codec == C_NONE) {
		if (reason)
			*reason = e ? "managementId not supported"
				    : "no such managementId";
		return -EOPNOTSUPP;
	}
	c = (enum codec)e->codec;
	memset(d, 0, sizeof(*d));

	switch (c) {
	case C_EMPTY:
		if (len != 0)
			return wrong_length(reason);
		return 0;
	case C_PORT_PROPERTIES_NP:
		if (len < 13)
			return wrong_length(reason);
		n = data[12];
		if (len != even(13 + (size_t)n))
			return wrong_length(reason);
		pp = &d->port_properties;
		get_pid(data, &pp->identity);
		pp->port_state = data[10];
		pp->timestamping = data[11];
		pp->iface_len = n;
		memcpy(pp->iface, data + 13, n);
		pp->iface[n] = '\0';
		return 0;
	case C_UNICAST_MASTER_TABLE_NP:
		return dec_umt(data, len, &d->unicast_master_table, reason);
	case C_TEXT: {
		size_t off = 0;

		if (get_text(data, len, &off, &d->text) || len != even(off))
			return wrong_length(reason);
		return 0;
	}
	case C_CLOCK_DESCRIPTION:
		if (dec_cd(data, len, &d->clock_description))
			return wrong_length(reason);
		return 0;
	case C_ATO_NAME: {
		size_t off = 1;

		if (len < 2 || get_text(data, len, &off, &d->ato_name.name) ||
		    len != even(off))
			return wrong_length(reason);
		d->ato_name.key = data[0];
		return 0;
	}
	default:
		break;
	}

	if (len != fixed_len(c))
		return wrong_length(reason);

	switch (c) {
	case C_OCTET:
		d->u8 = data[0];
		break;
	case C_DEFAULT_DS:
		dec_default_ds(data, &d->default_ds);
		break;
	case C_CURRENT_DS:
		dec_current_ds(data, &d->current_ds);
		break;
	case C_PARENT_DS:
		dec_parent_ds(data, &d->parent_ds);
		break;
	case C_TIME_PROPERTIES_DS:
		tp = &d->time_properties_ds;
		tp->current_utc_offset = (int16_t)gn_get16(data);
		gn_time_properties_set_flags(tp, data[2]);
		tp->time_source = data[3];
		break;
	case C_PORT_DS:
		dec_port_ds(data, &d->port_ds);
		break;
	case C_TIME:
		d->time.sec = gn_get48(data);
		d->time.nsec = gn_get32(data + 6);
		if (d->time.nsec >= GN_NS_PER_S) {
			if (reason)
				*reason = "TIME nanoseconds >= 1e9";
			return -EINVAL;
		}
		break;
	case C_TIME_STATUS_NP:
		dec_time_status(data, &d->time_status);
		break;
	case C_GM_SETTINGS_NP:
		gs = &d->gm_settings;
		get_quality(data, &gs->quality);
		gs->utc_offset = (int16_t)gn_get16(data + 4);
		gs->time_flags = data[6];
		gs->time_source = data[7];
		break;
	case C_PORT_DS_NP:
		d->port_ds_np.neighbor_prop_delay_thresh_ns = gn_get32(data);
		d->port_ds_np.as_capable = (int32_t)gn_get32(data + 4);
		break;
	case C_SUBSCRIBE_EVENTS_NP:
		d->subscribe_events.duration_s = gn_get16(data);
		memcpy(d->subscribe_events.bitmask, data + 2,
		       GN_MGMT_EVENT_BITMASK_LEN);
		break;
	case C_PORT_STATS_NP:
		dec_port_stats(data, &d->port_stats);
		break;
	case C_PORT_SERVICE_STATS_NP:
		dec_service_stats(data, &d->port_service_stats);
		break;
	case C_PORT_HWCLOCK_NP:
		get_pid(data, &d->port_hwclock.identity);
		d->port_hwclock.phc_index = (int32_t)gn_get32(data + 10);
		d->port_hwclock.flags = data[14];
		break;
	case C_UTC_PROPERTIES:
		d->utc_properties.utc_offset = (int16_t)gn_get16(data);
		d->utc_properties.flags = data[2] & 7;
		break;
	case C_SERVO_STATUS_NP:
		d->servo_status.freq_ppb_scaled = (int64_t)gn_get64(data);
		d->servo_status.error_bound_ns = (int64_t)gn_get64(data + 8);
		d->servo_status.offset_ns = (int64_t)gn_get64(data + 16);
		d->servo_status.servo_state = data[24];
		d->servo_status.have_offset = data[25];
		d->servo_status.slave_port = data[26];
		break;
	case C_ATO_ENABLE:
		d->ato_enable.key = data[0];
		d->ato_enable.enable = data[1] & 1;
		break;
	case C_ATO_PROPERTIES:
		dec_ato_properties(data, &d->ato_properties);
		break;
	case C_POWER_PROFILE_NP:
		dec_power_profile(data, &d->power_profile);
		break;
	case C_CMLDS_INFO_NP:
		d->cmlds_info.mean_link_delay_ns = get_ti_ns(data);
		d->cmlds_info.scaled_neighbor_rate_ratio =
		    (int32_t)gn_get32(data + 8);
		d->cmlds_info.as_capable = gn_get32(data + 12);
		break;
	case C_EXT_GM_PROPERTIES_NP:
		memcpy(d->ext_gm.gm_identity.id, data, 8);
		d->ext_gm.steps_removed = gn_get16(data + 8);
		break;
	case C_PORT_CORRECTIONS_NP:
		dec_port_corrections(data, &d->port_corrections);
		break;
	default:
		break;
	}
	return 0;
}

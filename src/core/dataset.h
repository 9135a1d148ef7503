/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dataset.h - the IEEE 1588 data sets kept by a clock and its ports.
 * Times are int64 nanoseconds here; scaled ns exist only at the wire.
 */
#ifndef GN_CORE_DATASET_H
#define GN_CORE_DATASET_H

#include "types.h"

enum gn_port_state {
	GN_PS_INITIALIZING = 1,
	GN_PS_FAULTY = 2,
	GN_PS_DISABLED = 3,
	GN_PS_LISTENING = 4,
	GN_PS_PRE_MASTER = 5,
	GN_PS_MASTER = 6,
	GN_PS_PASSIVE = 7,
	GN_PS_UNCALIBRATED = 8,
	GN_PS_SLAVE = 9,
};

/* linuxptp's spelling, used in log lines and pmc output. */
const char *gn_port_state_str(enum gn_port_state s);

enum gn_delay_mechanism {
	GN_DM_E2E = 1,
	GN_DM_P2P = 2,
	GN_DM_COMMON_P2P = 3,
	GN_DM_SPECIAL = 4,
	GN_DM_NONE = 0xFE,
	GN_DM_AUTO = 0, /* linuxptp's "Auto": E2E until a Pdelay_Req is seen */
};

enum gn_time_source {
	GN_TS_ATOMIC_CLOCK = 0x10,
	GN_TS_GNSS = 0x20,
	GN_TS_TERRESTRIAL_RADIO = 0x30,
	GN_TS_SERIAL_TIME_CODE = 0x39,
	GN_TS_PTP = 0x40,
	GN_TS_NTP = 0x50,
	GN_TS_HAND_SET = 0x60,
	GN_TS_OTHER = 0x90,
	GN_TS_INTERNAL_OSCILLATOR = 0xA0,
};

struct gn_default_ds {
	bool two_step;
	bool slave_only;
	uint16_t number_ports;
	uint8_t priority1;
	struct gn_clock_quality quality;
	uint8_t priority2;
	struct gn_clock_identity identity;
	uint8_t domain;
};

struct gn_current_ds {
	uint16_t steps_removed;
	int64_t offset_from_master_ns;
	int64_t mean_path_delay_ns;
};

struct gn_parent_ds {
	struct gn_port_identity parent_port;
	bool parent_stats;
	uint16_t observed_parent_offset_scaled_log_variance;
	int32_t observed_parent_clock_phase_change_rate;
	uint8_t gm_priority1;
	struct gn_clock_quality gm_quality;
	uint8_t gm_priority2;
	struct gn_clock_identity gm_identity;
};

struct gn_time_properties_ds {
	int16_t current_utc_offset;
	bool current_utc_offset_valid;
	bool leap59;
	bool leap61;
	bool time_traceable;
	bool frequency_traceable;
	bool ptp_timescale;
	uint8_t time_source;
};

struct gn_port_ds {
	struct gn_port_identity identity;
	enum gn_port_state state;
	int8_t log_min_delay_req_interval;
	int64_t peer_mean_path_delay_ns;
	int8_t log_announce_interval;
	uint8_t announce_receipt_timeout;
	int8_t log_sync_interval;
	uint8_t delay_mechanism; /* enum gn_delay_mechanism */
	int8_t log_min_pdelay_req_interval;
	uint8_t version_number; /* low nibble major (2), high nibble minor */
};

/* Time properties <-> the low octet of flagField. */
uint8_t gn_time_properties_flags(const struct gn_time_properties_ds *tp);
void gn_time_properties_set_flags(struct gn_time_properties_ds *tp,
				  uint8_t flags);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dataset.c - helpers for the IEEE 1588 data sets: port state names in
 * linuxptp's spelling (people parse ptp4l's log lines and pmc output) and
 * the mapping between time properties and the low octet of flagField.
 *
 * Part of the sans-IO core: no I/O, no allocation, no globals.
 */
#include "dataset.h"
#include "wire.h"

static const char *const port_state_names[] = {
    [GN_PS_INITIALIZING] = "INITIALIZING",
    [GN_PS_FAULTY] = "FAULTY",
    [GN_PS_DISABLED] = "DISABLED",
    [GN_PS_LISTENING] = "LISTENING",
    [GN_PS_PRE_MASTER] = "PRE_MASTER",
    [GN_PS_MASTER] = "MASTER",
    [GN_PS_PASSIVE] = "PASSIVE",
    [GN_PS_UNCALIBRATED] = "UNCALIBRATED",
    [GN_PS_SLAVE] = "SLAVE",
};

const char *gn_port_state_str(enum gn_port_state s)
{
	if ((int)s < GN_PS_INITIALIZING || (int)s > GN_PS_SLAVE)
		return "UNKNOWN";
	return port_state_names[s];
}

/*
 * The TIME_PROPERTIES_DATA_SET flags octet and the low octet of flagField
 * use the same bit positions, so one mapping serves both.
 */
uint8_t gn_time_properties_flags(const struct gn_time_properties_ds *tp)
{
	unsigned f = 0;

	if (tp->leap61)
		f |= GN_FLAG_LEAP61;
	if (tp->leap59)
		f |= GN_FLAG_LEAP59;
	if (tp->current_utc_offset_valid)
		f |= GN_FLAG_UTC_OFFSET_VALID;
	if (tp->ptp_timescale)
		f |= GN_FLAG_PTP_TIMESCALE;
	if (tp->time_traceable)
		f |= GN_FLAG_TIME_TRACEABLE;
	if (tp->frequency_traceable)
		f |= GN_FLAG_FREQ_TRACEABLE;
	return (uint8_t)f;
}

void gn_time_properties_set_flags(struct gn_time_properties_ds *tp,
				  uint8_t flags)
{
	tp->leap61 = flags & GN_FLAG_LEAP61;
	tp->leap59 = flags & GN_FLAG_LEAP59;
	tp->current_utc_offset_valid = flags & GN_FLAG_UTC_OFFSET_VALID;
	tp->ptp_timescale = flags & GN_FLAG_PTP_TIMESCALE;
	tp->time_traceable = flags & GN_FLAG_TIME_TRACEABLE;
	tp->frequency_traceable = flags & GN_FLAG_FREQ_TRACEABLE;
}

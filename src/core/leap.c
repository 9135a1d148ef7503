/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * leap.c - leap second logic (see leap.h). Pure: the time is given, no
 * clock is read.
 */
#include "leap.h"

#define NS_PER_S    1000000000LL
#define NS_PER_HOUR (3600LL * NS_PER_S)
#define NS_PER_DAY  (24LL * NS_PER_HOUR)

/* Time of day, ns in [0, NS_PER_DAY), also before 1970. */
static int64_t time_of_day(int64_t utc_ns)
{
	int64_t r = utc_ns % NS_PER_DAY;

	return r < 0 ? r + NS_PER_DAY : r;
}

bool gn_leap_utc_ambiguous(int64_t utc_ns)
{
	return NS_PER_DAY - time_of_day(utc_ns) <= NS_PER_S;
}

int gn_leap_status(int64_t utc_ns, int leap_set, int *leap, int *utc_offset)
{
	int status = leap_set;

	/* Flags are set at most 12 h before midnight and cleared at most
	 * two announce intervals after it: split at 06:00. Before it, a
	 * set state is left over from the past midnight; after it, the
	 * announced flag is for the coming one. */
	if (time_of_day(utc_ns) > 6 * NS_PER_HOUR) {
		if (!status)
			status = *leap;
	} else {
		status = 0;
	}

	/* A flag (and offset) that changed early or late: keep the
	 * offset matching the state the clock is in. */
	if (!*leap && status) {
		*utc_offset -= status;
		*leap = status;
	} else if (*leap && !status) {
		*utc_offset += *leap;
		*leap = status;
	}
	return status;
}

int gn_leap_from_flags(bool leap61, bool leap59)
{
	if (leap61)
		return 1;
	if (leap59)
		return -1;
	return 0;
}

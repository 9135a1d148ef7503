/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * leap.h - UTC, TAI and leap seconds (pure, no I/O).
 *
 * PTP announces TAI - UTC (currentUtcOffset) and, during the last day
 * before a leap second, leap61 (insert) or leap59 (delete). A clock
 * that keeps UTC (CLOCK_REALTIME) is synchronized to a TAI clock (PHC)
 * with the offset; around midnight the offset and the flags change at
 * moments that depend on the grandmaster, so the discipline:
 *  - arms the leap second at most 18 hours before midnight and disarms
 *    it at most 6 hours after (announced flags outside that window are
 *    late or early, and are corrected),
 *  - keeps the offset consistent with the armed state (an early or late
 *    change of currentUtcOffset is undone),
 *  - suspends updates in the last second before midnight UTC (the kernel
 *    plays 23:59:59 twice when inserting; the time is ambiguous).
 */
#ifndef GN_CORE_LEAP_H
#define GN_CORE_LEAP_H

#include <stdbool.h>
#include <stdint.h>

/* Whether utc_ns (UTC, ns since 1970) is within the last second before a
 * UTC midnight. */
bool gn_leap_utc_ambiguous(int64_t utc_ns);

/*
 * The leap state the clock should have at utc_ns: leap_set is the state
 * it has (+1, -1, 0); *leap the announced flag (+1 leap61, -1 leap59,
 * 0) and *utc_offset the announced TAI - UTC (s), both corrected when
 * they changed early or late. Returns the new state.
 */
int gn_leap_status(int64_t utc_ns, int leap_set, int *leap, int *utc_offset);

/* From the time properties flags: +1 leap61, -1 leap59, 0. */
int gn_leap_from_flags(bool leap61, bool leap59);

#endif

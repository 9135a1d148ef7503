/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * gnomon/page.h - the layout of the time-service page that gnomond
 * publishes and libgnomon reads (one 4096-byte file per PTP instance,
 * under /run/gnomon/ by default). Shared by the daemon and the library;
 * applications use gnomon/gnomon.h and never need this header.
 *
 * Versioning: GN_PAGE_VERSION_MAJOR changes when a field moves or
 * changes meaning (readers refuse a major they do not know); the minor
 * version grows when fields are appended in the reserved space (readers
 * ignore what they do not know, and check `size` before reading a field
 * newer than their own minor). docs/timeservice.md describes every
 * field; the static assertions below pin the offsets.
 *
 * Concurrency: one writer (the daemon), any number of readers, guarded
 * by a sequence lock on `seq`. The writer makes seq odd, writes the data
 * block, makes it even again (release). A reader loads seq (acquire),
 * retries while it is odd, copies the data block, reads its local clock,
 * issues an acquire fence and retries if seq changed. Everything in the
 * data block is copied as 64-bit words with relaxed atomic accesses, so
 * there is no data race in C11's sense. After every publication the
 * writer wakes futex waiters on `seq` (FUTEX_WAKE, shared), so timer
 * threads can sleep on it and re-plan at once when the mapping changes.
 *
 * Byte order and alignment are the host's: the page never leaves the
 * machine. All times are signed 64-bit nanoseconds.
 */
#ifndef GNOMON_PAGE_H
#define GNOMON_PAGE_H

#include <stdint.h>

#define GN_PAGE_MAGIC	      0x454741504e4d4e47ULL /* "GNMNPAGE" */
#define GN_PAGE_VERSION_MAJOR 1
#define GN_PAGE_VERSION_MINOR 0
#define GN_PAGE_FILE_SIZE     4096

/* Fixed-point factor of rate_frac and bound_growth_frac. */
#define GN_PAGE_FRAC_BITS 48

/* bound_ns when no bound is known (no master, never synchronized). */
#define GN_PAGE_BOUND_UNKNOWN UINT64_MAX

/* header_flags */
#define GN_PAGE_F_CLOSED (1u << 0) /* the daemon exited cleanly */

/* state: what the synchronized clock is doing. */
enum gn_page_state {
	GN_PAGE_FREERUN = 0,  /* no master, or free_running: own time */
	GN_PAGE_LOCKING = 1,  /* following a master, not yet settled */
	GN_PAGE_LOCKED = 2,   /* settled on a master (or a GM with a source) */
	GN_PAGE_HOLDOVER = 3, /* was locked, master lost: bound grows */
};

/* timescale: what the synchronized clock's values are. */
enum gn_page_timescale {
	GN_PAGE_TS_TAI = 0, /* PTP timescale: TAI, UTC = TAI - utc_offset */
	GN_PAGE_TS_UTC = 1, /* the clock keeps UTC (CLOCK_REALTIME) */
	GN_PAGE_TS_ARB = 2, /* arbitrary timescale: no UTC relation */
};

/* time_flags: IEEE 1588 flagField octet 1 of the time properties in
 * effect (the grandmaster's as a slave, our own as grandmaster). */
#define GN_PAGE_TF_LEAP61	 (1u << 0)
#define GN_PAGE_TF_LEAP59	 (1u << 1)
#define GN_PAGE_TF_UTC_VALID	 (1u << 2)
#define GN_PAGE_TF_PTP_TIMESCALE (1u << 3)
#define GN_PAGE_TF_TIME_TRACE	 (1u << 4)
#define GN_PAGE_TF_FREQ_TRACE	 (1u << 5)

/*
 * The data block, guarded by seq. The synchronized clock's time at the
 * local clock reading L (clock `local_clock` of the header) is
 *     d = L - anchor_local_ns
 *     T = anchor_clock_ns + d + floor(d * rate_frac / 2^48)
 * and the bound on |T - grandmaster time| at that moment is
 *     bound_ns + floor(|d| * bound_growth_frac / 2^48)
 * (unknown when bound_ns is GN_PAGE_BOUND_UNKNOWN). Data older than
 * stale_after_ns (d beyond it) means the daemon stopped publishing: the
 * bound then grows at stale_growth_frac beyond that point.
 */
struct gn_page_data {
	uint64_t update_count;	    /* publications so far */
	int64_t anchor_local_ns;    /* local clock at the anchor */
	int64_t anchor_clock_ns;    /* synchronized clock at the anchor */
	int64_t rate_frac;	    /* (dT/dL - 1) * 2^48 */
	uint64_t bound_ns;	    /* |error| bound at the anchor */
	uint64_t bound_growth_frac; /* growth of the bound, ns/ns * 2^48 */
	int64_t stale_after_ns;	    /* d beyond which the data is stale */
	int64_t leap_at_clock_ns;   /* clock time a pending leap takes
				     * effect (0: none pending) */
	uint32_t state;		    /* enum gn_page_state */
	uint32_t timescale;	    /* enum gn_page_timescale */
	int16_t utc_offset_s;	    /* TAI - UTC before any pending leap */
	uint8_t time_flags;	    /* GN_PAGE_TF_* */
	uint8_t time_source;	    /* IEEE 1588 timeSource */
	uint8_t servo_state;	    /* 0..3: s0..s3 */
	uint8_t port_state;	    /* slave port's state, else the first */
	uint8_t domain;		    /* domainNumber */
	uint8_t reserved0;
	uint64_t stale_growth_frac; /* growth of the bound beyond
				     * stale_after_ns (the daemon's holdover
				     * rate: nobody steers the clock then) */
	uint8_t gm_identity[8];	    /* grandmasterIdentity */
	uint8_t parent_identity[8]; /* parentPortIdentity.clockIdentity */
	uint16_t parent_port;	    /* parentPortIdentity.portNumber */
	uint16_t steps_removed;
	uint8_t gm_clock_class;
	uint8_t gm_clock_accuracy;
	uint16_t gm_variance; /* offsetScaledLogVariance */
	uint8_t gm_priority1;
	uint8_t gm_priority2;
	uint8_t reserved1[6];
	int64_t offset_ns;	 /* last offset from master (diagnostic) */
	int64_t path_delay_ns;	 /* mean path delay in use */
	int64_t freq_ppt;	 /* frequency adjustment, 1e-12 (ppb * 1000) */
	uint64_t gm_accuracy_ns; /* clockAccuracy as ns (UNKNOWN: 0xFE) */
	int64_t state_since_local_ns; /* local clock when state was entered */
	uint64_t reserved[16];	      /* zero; room for minor versions */
};

struct gn_page {
	/* Header: written before the file is renamed into place; only
	 * header_flags changes afterwards (a single atomic word). */
	uint64_t magic;		/* GN_PAGE_MAGIC */
	uint16_t version_major; /* GN_PAGE_VERSION_MAJOR */
	uint16_t version_minor;
	uint32_t size;	       /* sizeof(struct gn_page) of the writer */
	int32_t pid;	       /* the daemon's process id */
	uint32_t header_flags; /* GN_PAGE_F_* */
	int32_t local_clock;   /* clockid_t of the local clock */
	int32_t phc_index;     /* the daemon's PHC (/dev/ptpN), else -1 */
	uint64_t header_reserved[4];
	/* Sequence lock word: its own cache line. */
	uint32_t seq;
	uint32_t seq_reserved[15];
	union {
		struct gn_page_data d;
		uint64_t w[sizeof(struct gn_page_data) / 8];
	} u;
};

#ifndef __cplusplus
_Static_assert(sizeof(struct gn_page_data) % 8 == 0, "word copy");
_Static_assert(sizeof(struct gn_page) <= GN_PAGE_FILE_SIZE, "one page");
_Static_assert(__builtin_offsetof(struct gn_page, seq) == 64, "seq");
_Static_assert(__builtin_offsetof(struct gn_page, u) == 128, "data");
_Static_assert(__builtin_offsetof(struct gn_page_data, state) == 64, "state");
_Static_assert(__builtin_offsetof(struct gn_page_data, gm_identity) == 88,
	       "gm_identity");
_Static_assert(__builtin_offsetof(struct gn_page_data, offset_ns) == 120,
	       "offset_ns");
_Static_assert(sizeof(struct gn_page_data) == 288, "data size");
#endif

#endif

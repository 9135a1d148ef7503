/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tt.h - time-transfer arithmetic: end-to-end and peer-to-peer delay,
 * offset from master, corrections and delay asymmetry, neighbor rate
 * ratio. Pure integer arithmetic in ns with overflow checks.
 *
 * Conventions (1588 11.3, 11.4, 11.6):
 *   delayAsymmetry > 0 when master->slave is longer than slave->master:
 *     tms = meanPathDelay + asymmetry, tsm = meanPathDelay - asymmetry.
 *   All correction arguments are in ns (already converted from scaled ns).
 */
#ifndef GN_CORE_TT_H
#define GN_CORE_TT_H

#include <stdbool.h>
#include <stdint.h>

/* One end-to-end exchange. */
struct gn_e2e_sample {
	int64_t t1_ns;		/* Sync originTimestamp or Follow_Up precise */
	int64_t t2_ns;		/* Sync ingress */
	int64_t t3_ns;		/* Delay_Req egress */
	int64_t t4_ns;		/* Delay_Resp receiveTimestamp */
	int64_t sync_corr_ns;	/* Sync + Follow_Up correctionField */
	int64_t delay_corr_ns;	/* Delay_Resp correctionField */
	int64_t asymmetry_ns;	/* delayAsymmetry of the port */
};

/*
 * meanPathDelay =
 *   ((t2 - t3) + (t4 - delay_corr) - (t1 + sync_corr + asymmetry)) / 2
 * (asymmetry cancels in the mean: per 1588 11.6.3 the port sends Delay_Req
 * with correctionField = -asymmetry, which comes back in delay_corr).
 * Halving rounds toward minus infinity. 0 or -ERANGE.
 */
int gn_tt_e2e_delay(const struct gn_e2e_sample *s, int64_t *mean_path_delay_ns);

/*
 * offsetFromMaster = t2 - (t1 + sync_corr) - meanPathDelay - asymmetry.
 * Uses the given (possibly filtered) path delay. 0 or -ERANGE.
 */
int gn_tt_offset(int64_t t1_ns, int64_t t2_ns, int64_t sync_corr_ns,
		 int64_t mean_path_delay_ns, int64_t asymmetry_ns,
		 int64_t *offset_ns);

/* One peer-delay exchange (two-step responder: t2, t3 from the messages;
 * one-step responder: t2 = t3 = 0 and the turnaround is in resp_corr). */
struct gn_p2p_sample {
	int64_t t1_ns;		  /* Pdelay_Req egress */
	int64_t t2_ns;		  /* requestReceiptTimestamp */
	int64_t t3_ns;		  /* responseOriginTimestamp */
	int64_t t4_ns;		  /* Pdelay_Resp ingress */
	int64_t resp_corr_ns;	  /* Pdelay_Resp + Resp_Follow_Up corrections */
	double neighbor_rate_ratio; /* r: peer frequency / local frequency */
	int64_t asymmetry_ns;
};

/* meanLinkDelay = ((t4 - t1) * r - (t3 - t2) - (corr + asym)) / 2
 * handled per 11.4.3 / 11.6.4: the port sends Pdelay_Req with
 * correctionField = -asymmetry, which the responder echoes into corr.
 * (t4 - t1) * r is rounded to the nearest ns, the halving toward minus
 * infinity. 0, -ERANGE, or -EINVAL when r is not finite and positive. */
int gn_tt_p2p_delay(const struct gn_p2p_sample *s, int64_t *mean_link_delay_ns);

/*
 * Neighbor rate ratio from two responses: (t3b - t3a) / (t4b - t4a),
 * i.e. elapsed peer time over elapsed local time. Returns 0 and the ratio,
 * or -EINVAL when the interval is non-positive.
 */
int gn_tt_rate_ratio(int64_t t3a_ns, int64_t t4a_ns, int64_t t3b_ns,
		     int64_t t4b_ns, double *ratio);

/*
 * interval * ratio rounded to the nearest ns (exactly interval when the
 * ratio is 1.0): an interval measured on one clock expressed in the
 * time base of another. 0, or -ERANGE when the result leaves int64 or
 * the ratio is not finite.
 */
int gn_tt_scale_ns(int64_t interval_ns, double ratio, int64_t *out);

/* ---- Path delay filters (linuxptp delay_filter / delay_filter_length) ---- */

#define GN_FILTER_MAX_LEN 64

enum gn_filter_type {
	GN_FILTER_MOVING_MEDIAN = 0,
	GN_FILTER_MOVING_AVERAGE,
	/* gnomon's: a long exponentially weighted mean that rejects
	 * queueing spikes and restarts on a lasting change (filter.c). The
	 * length is its memory in samples, up to GN_FILTER_ROBUST_MAX_LEN. */
	GN_FILTER_ROBUST_MEAN,
};
#define GN_FILTER_ROBUST_MAX_LEN 65536

struct gn_filter {
	enum gn_filter_type type;
	unsigned length; /* 1..GN_FILTER_MAX_LEN */
	unsigned count;	 /* samples held (<= length) */
	unsigned head;	 /* next slot in the ring */
	int64_t ring[GN_FILTER_MAX_LEN];
	int64_t sorted[GN_FILTER_MAX_LEN]; /* median: kept sorted */
	int64_t sum;			    /* average: running sum */
	/* robust mean: estimate, mean absolute deviation, samples in the
	 * mean, refused samples in a row and on which side. */
	double mean_ns, dev_ns;
	unsigned n;
	unsigned reject_run;
	int reject_side;
	uint64_t rejected;
};

/* 0 or -EINVAL (length 0 or > GN_FILTER_MAX_LEN, or
 * GN_FILTER_ROBUST_MAX_LEN for the robust mean). */
int gn_filter_init(struct gn_filter *f, enum gn_filter_type type,
		   unsigned length);
/* Adds a sample, returns the filtered value. Median of an even count is
 * the mean of the two middle samples (as linuxptp). */
int64_t gn_filter_sample(struct gn_filter *f, int64_t v);
void gn_filter_reset(struct gn_filter *f);
/* Still settling: fewer than GN_FILTER_SETTLE samples (or its length)
 * since it (re)started, so each new one may move it a lot, for real. */
#define GN_FILTER_SETTLE 8
bool gn_filter_settling(const struct gn_filter *f);
/*
 * Standard error of the filter's output as an estimate of the true
 * (mean) delay, ns, from the spread of the samples it holds or has
 * averaged; -1 before it has two samples. The offsets computed with the
 * delay carry this error on top of whatever the servo estimates.
 */
double gn_filter_stderr(const struct gn_filter *f);

#endif

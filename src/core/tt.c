/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tt.c - time-transfer arithmetic: end-to-end mean path delay, offset from
 * master, peer-to-peer mean link delay, rate ratios and intervals scaled
 * by them (a TC's residence into the grandmaster's timescale).
 *
 * Every addition and subtraction is checked and reports -ERANGE instead of
 * wrapping: the time stamps and corrections come from the wire and from
 * peers we do not trust. Halving rounds toward minus infinity (floor), so
 * -3 / 2 = -2 and 3 / 2 = 1 (linuxptp truncates toward zero; the two
 * differ by 1 ns for negative odd sums only). filter.c uses the same rule.
 *
 * delayAsymmetry (1588-2008 11.6) is applied exactly once on each side:
 *  - E2E: the Sync correction gets +asymmetry here (11.6.2); the port sends
 *    Delay_Req with correctionField = -asymmetry (11.6.3), which the master
 *    echoes in Delay_Resp, so the two cancel in meanPathDelay and the
 *    offset is t2 - (t1 + sync_corr) - meanPathDelay - asymmetry.
 *  - P2P: the port sends Pdelay_Req with correctionField = -asymmetry,
 *    which the responder carries into Pdelay_Resp (one-step) or
 *    Pdelay_Resp_Follow_Up (two-step); the Pdelay_Resp correction gets
 *    +asymmetry here (11.6.4), so meanLinkDelay is unaffected.
 *
 * Must not do I/O, read clocks or keep state: pure functions of their
 * arguments.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>

#include "tt.h"

static int add_ns(int64_t a, int64_t b, int64_t *out)
{
	return __builtin_add_overflow(a, b, out) ? -ERANGE : 0;
}

static int sub_ns(int64_t a, int64_t b, int64_t *out)
{
	return __builtin_sub_overflow(a, b, out) ? -ERANGE : 0;
}

/* floor(x / 2), for every int64_t x (no overflow possible). */
static int64_t half_floor(int64_t x)
{
	int64_t q = x / 2;

	if (x % 2 < 0)
		q--;
	return q;
}

int gn_tt_e2e_delay(const struct gn_e2e_sample *s, int64_t *mean_path_delay_ns)
{
	int64_t t1c, t4c, up, down, sum;
	int err;

	/* t1c = t1 + corr(Sync, Follow_Up) + asymmetry (11.6.2). */
	err = add_ns(s->t1_ns, s->sync_corr_ns, &t1c);
	if (!err)
		err = add_ns(t1c, s->asymmetry_ns, &t1c);
	/* t4c = t4 - corr(Delay_Resp); that correction holds -asymmetry. */
	if (!err)
		err = sub_ns(s->t4_ns, s->delay_corr_ns, &t4c);
	/* slave->master leg and master->slave leg, then their sum. */
	if (!err)
		err = sub_ns(s->t2_ns, s->t3_ns, &up);
	if (!err)
		err = sub_ns(t4c, t1c, &down);
	if (!err)
		err = add_ns(up, down, &sum);
	if (err)
		return err;

	*mean_path_delay_ns = half_floor(sum);
	return 0;
}

int gn_tt_offset(int64_t t1_ns, int64_t t2_ns, int64_t sync_corr_ns,
		 int64_t mean_path_delay_ns, int64_t asymmetry_ns,
		 int64_t *offset_ns)
{
	int64_t t1c, off;
	int err;

	err = add_ns(t1_ns, sync_corr_ns, &t1c);
	if (!err)
		err = add_ns(t1c, asymmetry_ns, &t1c);
	if (!err)
		err = sub_ns(t2_ns, t1c, &off);
	if (!err)
		err = sub_ns(off, mean_path_delay_ns, &off);
	if (err)
		return err;

	*offset_ns = off;
	return 0;
}

int gn_tt_scale_ns(int64_t interval_ns, double ratio, int64_t *out)
{
	double v;

	if (ratio == 1.0) {
		*out = interval_ns;
		return 0;
	}
	v = (double)interval_ns * ratio;
	/* 2^63 is exact in a double; anything at or past it does not fit. */
	if (!(v < 0x1p63 && v >= -0x1p63))
		return -ERANGE;
	*out = llround(v);
	return 0;
}

/*
 * meanLinkDelay = ((t4 - t1) * r - (t3 - t2) - (resp_corr + asymmetry)) / 2
 *
 * r, the neighbor rate ratio (peer / local frequency), scales the local
 * round trip t4 - t1 into the responder's time base before its turnaround
 * t3 - t2 is taken off (802.1AS-2020 11.2.19.3.4, linuxptp's tsproc with
 * t3c = t3 + c1 + c2). The result is in the responder's time base; a caller
 * wanting another (e.g. the grandmaster's) passes the product of ratios.
 * A one-step responder gives t2 = t3 = 0 and the turnaround in resp_corr.
 */
int gn_tt_p2p_delay(const struct gn_p2p_sample *s, int64_t *mean_link_delay_ns)
{
	int64_t round_trip, scaled, turnaround, corr, sum;
	int err;

	if (!isfinite(s->neighbor_rate_ratio) || s->neighbor_rate_ratio <= 0.0)
		return -EINVAL;

	err = sub_ns(s->t4_ns, s->t1_ns, &round_trip);
	if (!err)
		err =
		    gn_tt_scale_ns(round_trip, s->neighbor_rate_ratio, &scaled);
	if (!err)
		err = sub_ns(s->t3_ns, s->t2_ns, &turnaround);
	/* 11.6.4: +asymmetry on the Pdelay_Resp correction. */
	if (!err)
		err = add_ns(s->resp_corr_ns, s->asymmetry_ns, &corr);
	if (!err)
		err = sub_ns(scaled, turnaround, &sum);
	if (!err)
		err = sub_ns(sum, corr, &sum);
	if (err)
		return err;

	*mean_link_delay_ns = half_floor(sum);
	return 0;
}

int gn_tt_rate_ratio(int64_t t3a_ns, int64_t t4a_ns, int64_t t3b_ns,
		     int64_t t4b_ns, double *ratio)
{
	int64_t peer_ns, local_ns;

	if (__builtin_sub_overflow(t4b_ns, t4a_ns, &local_ns))
		return -ERANGE;
	if (local_ns <= 0)
		return -EINVAL;
	if (__builtin_sub_overflow(t3b_ns, t3a_ns, &peer_ns))
		return -ERANGE;

	*ratio = (double)peer_ns / (double)local_ns;
	return 0;
}

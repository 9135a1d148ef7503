/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dhost.c - the automatic mode's host (see dhost.h). It opens and
 * steers only the clocks autocfg names, and never the source of a
 * domain.
 */
#include "dhost.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void gn_dhost_init(struct gn_dhost *h, const struct gn_dsync_config *cfg,
		   const struct gn_dlog *log, struct gn_fakeset *fakes)
{
	memset(h, 0, sizeof(*h));
	h->cfg = *cfg;
	if (log)
		h->log = *log;
	h->fakes = fakes;
	gn_ac_init(&h->ac, log);
}

int gn_dhost_open_clock(struct gn_dhost *h, unsigned c, char *err,
			size_t errlen)
{
	const struct gn_ac_clock *k;
	struct gn_fakeclock *f;
	int rc;

	if (c >= h->ac.nclk)
		return -EINVAL;
	if (h->open[c])
		return 0;
	k = &h->ac.clk[c];
	f = gn_fakeset_find(h->fakes, k->name);
	if (f) {
		gn_dclock_open_fake(&h->clk[c], f);
		rc = 0;
	} else if (k->is_sys || k->phc_index < 0) {
		rc = gn_dclock_open(&h->clk[c], k->name, h->fakes, err, errlen);
	} else {
		rc = gn_dclock_open_index(&h->clk[c], k->phc_index, h->fakes,
					  err, errlen);
		/* Log lines name the interface, as phc2sys's do. */
		if (rc == 0) {
			size_t n = strnlen(k->name, sizeof(h->clk[c].name) - 1);

			memcpy(h->clk[c].name, k->name, n);
			h->clk[c].name[n] = '\0';
		}
	}
	if (rc)
		return rc;
	h->open[c] = true;
	gn_dsync_sink_init(&h->sink[c], &h->clk[c], &h->cfg);
	return 0;
}

int gn_dhost_run(struct gn_dhost *h)
{
	unsigned d, i;
	int updated = 0;

	if (gn_ac_pending(&h->ac))
		gn_ac_reconfigure(&h->ac);
	for (d = 0; d < h->ac.ndom; d++) {
		const struct gn_ac_domain *dom = &h->ac.dom[d];
		int src = dom->src, tpd;

		if (src < 0 || !h->open[src])
			continue;
		/* Time properties: the domain's own instance; for the
		 * system clock's domain, the source's instance. */
		tpd = dom->has_sys ? gn_ac_source_domain(&h->ac, d) : (int)d;
		if (tpd < 0)
			tpd = (int)d;
		for (i = 0; i < dom->ndst; i++) {
			unsigned c = (unsigned)dom->dst[i];

			if (!h->open[c])
				continue;
			if (gn_ac_take_reset_servo(&h->ac, c))
				gn_dsync_sink_reset(&h->sink[c]);
			if (gn_ac_take_reset_check(&h->ac, c))
				gn_clockcheck_reset(&h->sink[c].check);
			if (!gn_ac_update_needed(&h->ac, d, c))
				continue;
			if (gn_dsync_update(
				&h->cfg, &h->sink[c], &h->clk[src], &h->tp[tpd],
				h->clk[src].is_system ? "sys" : "phc",
				&h->log) == 0)
				updated++;
		}
	}
	return updated;
}

void gn_dhost_close(struct gn_dhost *h)
{
	unsigned i;

	for (i = 0; i < GN_AC_MAX_CLOCKS; i++) {
		if (h->open[i])
			gn_dclock_close(&h->clk[i]);
		h->open[i] = false;
	}
}

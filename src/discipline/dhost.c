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

/* Opens the PHC of a port clock named ifname into *d: the interface's
 * fake, else the fake or device of that index. */
static int open_port_phc(struct gn_dhost *h, struct gn_dclock *d,
			 const char *ifname, int phc_index, char *err,
			 size_t errlen)
{
	struct gn_fakeclock *f = gn_fakeset_find(h->fakes, ifname);
	int rc;

	if (f) {
		gn_dclock_open_fake(d, f);
		return 0;
	}
	rc = gn_dclock_open_index(d, phc_index, h->fakes, err, errlen);
	/* Log lines name the interface, as phc2sys's do. */
	if (rc == 0) {
		size_t n = strnlen(ifname, sizeof(d->name) - 1);

		memcpy(d->name, ifname, n);
		d->name[n] = '\0';
	}
	return rc;
}

int gn_dhost_set_phc(struct gn_dhost *h, unsigned c, const char *ifname,
		     int phc_index)
{
	struct gn_ac_clock *k;
	struct gn_fakeclock *f;
	struct gn_dclock nc;
	bool was_src = false;
	char err[160];
	unsigned d, i;
	int old, rc;

	if (c >= h->ac.nclk || !ifname || !ifname[0] ||
	    strlen(ifname) >= GN_AC_NAME_MAX)
		return -EINVAL;
	k = &h->ac.clk[c];
	if (k->is_sys || k->static_dst)
		return -EINVAL;
	if (phc_index < 0)
		return 0; /* software time stamping: nothing to follow */
	/* A test's fake PHC of the interface stands for whatever the
	 * daemon says. */
	f = gn_fakeset_find(h->fakes, ifname);
	if (f)
		phc_index = f->phc_index;
	if (strcmp(k->name, ifname)) {
		gn_dlog(&h->log, GN_DLOG_INFO, "%s: now %s", k->name, ifname);
		snprintf(k->name, sizeof(k->name), "%s", ifname);
		if (h->open[c] && phc_index == k->phc_index)
			snprintf(h->clk[c].name, sizeof(h->clk[c].name), "%s",
				 ifname);
	}
	if (phc_index == k->phc_index)
		return 0;
	old = k->phc_index;
	if (!h->open[c]) {
		k->phc_index = phc_index;
		return 0;
	}
	rc = open_port_phc(h, &nc, ifname, phc_index, err, sizeof(err));
	if (rc) {
		gn_dlog(&h->log, GN_DLOG_ERR, "%s: cannot switch to PHC %d: %s",
			ifname, phc_index, err);
		return rc;
	}
	gn_dclock_close(&h->clk[c]);
	h->clk[c] = nc;
	k->phc_index = phc_index;
	gn_dsync_sink_init(&h->sink[c], &h->clk[c], &h->cfg);
	/* A source that is now another clock: what its sinks learnt
	 * about their offset from it no longer holds (their frequency
	 * does; the reset keeps it). */
	for (d = 0; d < h->ac.ndom; d++)
		if (h->ac.dom[d].src == (int)c)
			was_src = true;
	for (i = 0; was_src && i < h->ac.nclk; i++)
		if (i != c)
			h->ac.clk[i].reset_servo = true;
	gn_dlog(&h->log, GN_DLOG_NOTICE, "%s: PHC changed from %d to %d",
		ifname, old, phc_index);
	return 1;
}

/* autocfg's reinit hook: ask the daemon again for the clock's port. */
static void dhost_reinit(void *ctx, struct gn_autocfg *ac, unsigned c)
{
	struct gn_dhost *h = ctx;
	char ifname[GN_AC_NAME_MAX];
	int port = gn_ac_clock_port(ac, c), phc = -1;

	if (!h->query || port < 0)
		return;
	if (h->query(h->query_ctx, ac->clk[c].domain, (unsigned)port, ifname,
		     sizeof(ifname), &phc))
		return;
	gn_dhost_set_phc(h, c, ifname, phc);
}

void gn_dhost_set_port_query(struct gn_dhost *h, gn_dhost_port_query_fn query,
			     void *ctx)
{
	h->query = query;
	h->query_ctx = ctx;
	h->ac.reinit = query ? dhost_reinit : NULL;
	h->ac.reinit_ctx = h;
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
		rc = open_port_phc(h, &h->clk[c], k->name, k->phc_index, err,
				   errlen);
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

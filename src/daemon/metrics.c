/* SPDX-License-Identifier: GPL-2.0-or-later */
/* metrics.c - placeholder until issue 7 lands: monitoring disabled. */
#include "metrics.h"

struct gn_metrics *gn_metrics_start(const struct gn_config *cfg, char *err,
				    size_t errlen)
{
	(void)cfg;
	if (errlen)
		err[0] = '\0';
	return NULL;
}

void gn_metrics_update(struct gn_metrics *m, const struct gn_clock *c,
		       struct gn_pclock *clk)
{
	(void)m;
	(void)c;
	(void)clk;
}

void gn_metrics_event(struct gn_metrics *m, int level, const char *line)
{
	(void)m;
	(void)level;
	(void)line;
}

void gn_metrics_stop(struct gn_metrics *m)
{
	(void)m;
}

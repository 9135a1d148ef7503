/* SPDX-License-Identifier: GPL-2.0-or-later */
/* publish.c - placeholder until issue 5 lands: publication disabled. */
#include "publish.h"

struct gn_publisher *gn_publish_open(const struct gn_config *cfg, char *err,
				     size_t errlen)
{
	(void)cfg;
	if (errlen)
		err[0] = '\0';
	return NULL;
}

void gn_publish_update(struct gn_publisher *p, const struct gn_clock *c,
		       struct gn_pclock *clk, enum gn_publish_reason why)
{
	(void)p;
	(void)c;
	(void)clk;
	(void)why;
}

void gn_publish_close(struct gn_publisher *p)
{
	(void)p;
}

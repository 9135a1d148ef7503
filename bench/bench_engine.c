/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench_engine.c - speed of the protocol core hosted on simnet: N
 * slaves of one grandmaster for one simulated hour at 1 Hz sync.
 * Reports simulated events per wall second and per-node memory.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "simnet.h"

int main(void)
{
	struct sim *s = calloc(1, sizeof(*s));
	struct gn_clock_config cc;
	struct timespec a, b;
	int i, seg, n = 15;
	double wall;

	if (!s)
		return 1;
	sim_init(s, 1);
	gn_clock_config_default(&cc);
	cc.hw_stamping = true;
	seg = sim_add_segment(s, 10000);
	for (i = 0; i <= n; i++) {
		cc.priority1 = i == 0 ? 100 : 128;
		sim_add_node(s, i == 0 ? "gm" : "node", &cc, NULL, 1);
		sim_connect(s, seg, i, 0);
		s->nodes[i].sc.freq_err_ppb = (i * 7919) % 20000 - 10000;
	}
	sim_start(s);
	clock_gettime(CLOCK_MONOTONIC, &a);
	sim_run_until(s, 3600LL * 1000000000LL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	wall = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	printf("engine on simnet: %d nodes, 1 simulated hour, 1 Hz sync\n", n + 1);
	printf("  events        %" PRIu64 "\n", s->events);
	printf("  wall time     %.3f s\n", wall);
	printf("  events/s      %.0f\n", (double)s->events / wall);
	printf("  sim speed-up  %.0fx real time\n", 3600.0 / wall);
	printf("  core state    %zu bytes per node (clock + 1 port)\n",
	       sizeof(struct gn_clock) + sizeof(struct gn_port));
	sim_free(s);
	free(s);
	return 0;
}

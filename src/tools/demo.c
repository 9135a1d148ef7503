/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * demo.c - `make demo` until the daemon exists: the core at work on
 * simulated clocks. (1) BMCA chooses among four clocks; (2) one E2E
 * exchange decoded from the bytes on the (simulated) wire, with the
 * offset and delay arithmetic shown; (3) a slave started 20 ms and
 * 50 ppm off converges. Deterministic.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simnet.h"
#include "tt.h"

#define S 1000000000LL
#define MS 1000000LL
#define US 1000LL

struct exchange {
	int slave;
	bool done;
	int64_t t1, t2, t3, t4, sync_corr, resp_corr;
	uint16_t sync_seq, dreq_seq;
	bool have_t1, have_t2, have_t3, have_t4;
	uint8_t bytes[4][64];
	size_t len[4];
};

static void hexdump(const char *what, const uint8_t *b, size_t len)
{
	size_t i;

	printf("    %-11s", what);
	for (i = 0; i < len; i++)
		printf("%02x%s", b[i], (i % 16 == 15 && i + 1 < len) ? "\n               " : " ");
	printf("\n");
}

static void keep(struct exchange *x, int i, const uint8_t *f, size_t len)
{
	x->len[i] = len < sizeof(x->bytes[i]) ? len : sizeof(x->bytes[i]);
	memcpy(x->bytes[i], f, x->len[i]);
}

/* Watches the wire: picks one complete Sync/Follow_Up/Delay_Req/
 * Delay_Resp exchange of the slave, from the bytes alone. */
static void on_frame(void *ctx, const struct sim_node *rx, int port,
		     const uint8_t *f, size_t len, int64_t rx_ts)
{
	struct exchange *x = ctx;
	struct gn_msg m;
	int64_t v;

	(void)port;
	if (x->done || gn_msg_parse(f, len, &m) != GN_WIRE_OK)
		return;
	if (rx->clock.ports[0].ds.state != GN_PS_SLAVE)
		return;
	switch (m.h.type) {
	case GN_MSG_SYNC:
		if (rx->id != x->slave)
			return;
		x->sync_seq = m.h.sequence_id;
		x->t2 = rx_ts;
		gn_ti_to_ns(m.h.correction, &x->sync_corr);
		x->have_t2 = true;
		x->have_t1 = x->have_t3 = x->have_t4 = false;
		keep(x, 0, f, len);
		break;
	case GN_MSG_FOLLOW_UP:
		if (rx->id != x->slave || !x->have_t2 ||
		    m.h.sequence_id != x->sync_seq)
			return;
		gn_timestamp_to_ns(&m.body.origin, &x->t1);
		gn_ti_to_ns(m.h.correction, &v);
		x->sync_corr += v;
		x->have_t1 = true;
		keep(x, 1, f, len);
		break;
	case GN_MSG_DELAY_REQ:
		if (!x->have_t1 || rx->id == x->slave)
			return;
		x->dreq_seq = m.h.sequence_id;
		/* t3 is the slave's egress stamp; in the simulation the
		 * origin timestamp is read at the same instant. */
		gn_timestamp_to_ns(&m.body.origin, &x->t3);
		x->have_t3 = true;
		keep(x, 2, f, len);
		break;
	case GN_MSG_DELAY_RESP:
		if (rx->id != x->slave || !x->have_t3 ||
		    m.h.sequence_id != x->dreq_seq)
			return;
		gn_timestamp_to_ns(&m.body.resp.ts, &x->t4);
		gn_ti_to_ns(m.h.correction, &x->resp_corr);
		x->have_t4 = true;
		keep(x, 3, f, len);
		x->done = true;
		break;
	}
}

static const char *name_of(const struct sim *s, const struct gn_clock_identity *id)
{
	int i;

	for (i = 0; i < s->nnodes; i++)
		if (gn_clock_identity_eq(&s->nodes[i].clock.dds.identity, id))
			return s->nodes[i].name;
	return "?";
}

int main(void)
{
	static struct sim s;
	static struct exchange x;
	struct gn_clock_config cc;
	const char *names[4] = { "alpha", "bravo", "charlie", "delta" };
	uint8_t prio1[4] = { 128, 128, 128, 110 };
	uint8_t cls[4] = { 248, 6, 248, 248 };
	char id[32];
	int i, seg, slave;

	sim_init(&s, 2026);
	printf("== 1. BMCA among four clocks on one segment ==\n\n");
	printf("  %-8s %-20s %4s %5s %8s\n", "clock", "identity", "prio1",
	       "class", "accuracy");
	for (i = 0; i < 4; i++) {
		gn_clock_config_default(&cc);
		cc.hw_stamping = true;
		cc.priority1 = prio1[i];
		cc.quality.clock_class = cls[i];
		if (i == 1)
			cc.quality.clock_accuracy = 0x21;
		sim_add_node(&s, names[i], &cc, NULL, 1);
		gn_clock_identity_str(&s.nodes[i].clock.dds.identity, id, sizeof(id));
		printf("  %-8s %-20s %5u %5u     0x%02X\n", names[i], id, prio1[i],
		       cls[i], s.nodes[i].clock.dds.quality.clock_accuracy);
	}
	seg = sim_add_segment(&s, 25 * US);
	for (i = 0; i < 4; i++)
		sim_connect(&s, seg, i, 0);
	/* "charlie" is the slave we watch: 20 ms ahead, 50 ppm fast. */
	slave = 2;
	s.nodes[slave].sc.base_local_ns += 20 * MS;
	s.nodes[slave].sc.freq_err_ppb = 50000;
	x.slave = slave;
	s.frame_hook = on_frame;
	s.frame_ctx = &x;
	sim_start(&s);
	sim_run_until(&s, 20 * S);
	printf("\n  priority1 is compared before clockClass, so delta (110) is\n"
	       "  the grandmaster. bravo has clockClass 6 (1..127: a clock that\n"
	       "  must never be a slave), so it goes PASSIVE (decision P1):\n\n");
	for (i = 0; i < 4; i++)
		printf("  %-8s port state %-12s grandmaster %s\n", names[i],
		       gn_port_state_str(s.nodes[i].ports[0].ds.state),
		       name_of(&s, &s.nodes[i].clock.pds.gm_identity));

	printf("\n== 2. One end-to-end exchange, decoded from the wire ==\n\n");
	sim_run_until(&s, 60 * S);
	if (!x.done) {
		printf("  no complete exchange seen\n");
		return 1;
	}
	hexdump("Sync", x.bytes[0], x.len[0]);
	hexdump("Follow_Up", x.bytes[1], x.len[1]);
	hexdump("Delay_Req", x.bytes[2], x.len[2]);
	hexdump("Delay_Resp", x.bytes[3], x.len[3]);
	{
		struct gn_e2e_sample e = {
			.t1_ns = x.t1, .t2_ns = x.t2, .t3_ns = x.t3,
			.t4_ns = x.t4, .sync_corr_ns = x.sync_corr,
			.delay_corr_ns = x.resp_corr,
		};
		int64_t mpd = 0, off = 0;

		gn_tt_e2e_delay(&e, &mpd);
		gn_tt_offset(x.t1, x.t2, x.sync_corr, mpd, 0, &off);
		printf("\n  t1 (Follow_Up preciseOrigin) %" PRId64 " ns\n", x.t1);
		printf("  t2 (Sync ingress, slave)     %" PRId64 " ns\n", x.t2);
		printf("  t3 (Delay_Req egress, slave) %" PRId64 " ns\n", x.t3);
		printf("  t4 (Delay_Resp receiveTs)    %" PRId64 " ns\n", x.t4);
		printf("  meanPathDelay = ((t2-t3) + (t4-t1)) / 2 = %" PRId64 " ns"
		       "  (link: 25000 ns)\n", mpd);
		printf("  offsetFromMaster = t2 - t1 - meanPathDelay = %" PRId64
		       " ns\n", off);
	}

	printf("\n== 3. charlie converging (started 20 ms ahead, 50 ppm fast) ==\n\n");
	{
		struct sim *p;
		int64_t t;

		p = calloc(1, sizeof(*p));
		sim_init(p, 7);
		gn_clock_config_default(&cc);
		cc.hw_stamping = true;
		cc.priority1 = 100;
		sim_add_node(p, "gm", &cc, NULL, 1);
		cc.priority1 = 128;
		sim_add_node(p, "charlie", &cc, NULL, 1);
		seg = sim_add_segment(p, 25 * US);
		sim_connect(p, seg, 0, 0);
		sim_connect(p, seg, 1, 0);
		p->segs[seg].jitter_ns = 200;
		p->nodes[1].stamp_noise_ns = 20;
		p->nodes[1].sc.base_local_ns += 20 * MS;
		p->nodes[1].sc.freq_err_ppb = 50000;
		sim_start(p);
		printf("  %6s  %-13s %14s %12s\n", "t [s]", "state", "true error",
		       "freq [ppb]");
		for (t = 0; t <= 60 * S; t += (t < 20 * S ? 2 * S : 10 * S)) {
			sim_run_until(p, t);
			printf("  %6.0f  %-13s %11" PRId64 " ns %+12.0f\n",
			       (double)t / S,
			       gn_port_state_str(p->nodes[1].ports[0].ds.state),
			       sim_true_offset(&p->nodes[1]), p->nodes[1].sc.adj_ppb);
		}
		printf("\n  %" PRIu64 " simulated events\n", p->events);
		sim_free(p);
		free(p);
	}
	sim_free(&s);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * port_msg.c - building the messages a port originates and handing them
 * to the host. Sans-IO: bytes go out through gn_env.send only.
 */
#include <errno.h>
#include <string.h>

#include "clock.h"

void gn_port_header(const struct gn_port *p, struct gn_header *h, uint8_t type,
		    uint16_t seq)
{
	const struct gn_clock *c = p->clock;

	gn_header_init(h, type);
	h->sdo_major = p->cfg.transport_specific;
	h->minor_version = p->cfg.minor_version;
	h->domain = c->dds.domain;
	h->source = p->ds.identity;
	h->sequence_id = seq;
	switch (type) {
	case GN_MSG_ANNOUNCE:
		h->log_interval = p->ds.log_announce_interval;
		h->flags = gn_time_properties_flags(&c->tpds);
		break;
	case GN_MSG_SYNC:
	case GN_MSG_FOLLOW_UP:
		h->log_interval = p->ds.log_sync_interval;
		break;
	case GN_MSG_DELAY_RESP:
		h->log_interval = p->ds.log_min_delay_req_interval;
		break;
	default:
		h->log_interval = GN_LOG_INTERVAL_NA;
		break;
	}
}

int gn_port_send_frame(struct gn_port *p, const uint8_t *frame, size_t len,
		       bool want_ts, enum gn_dest dest)
{
	const struct gn_env *env = p->clock->env;
	uint8_t type = frame[0] & 0xF;
	struct gn_tx_meta meta;
	int err;

	memset(&meta, 0, sizeof(meta));
	meta.msg_type = type;
	meta.sequence_id = gn_get16(frame + GN_HDR_OFF_SEQUENCE_ID);
	meta.event = gn_msg_is_event(type);
	meta.want_tx_ts = want_ts;
	meta.dest = dest;
	if (!env->send)
		return -ENOSYS;
	err = env->send(env->ctx, p->index, frame, len, &meta);
	if (err < 0)
		gn_clock_log(p->clock, GN_LOG_ERR,
			     "port %u (%s): failed to send %s: error %d",
			     p->index + 1, p->cfg.name, gn_msg_type_str(type),
			     err);
	return err < 0 ? err : 0;
}

static int port_send(struct gn_port *p, struct gn_msg *m, bool want_ts,
		     enum gn_dest dest)
{
	uint8_t buf[GN_MAX_MSG_LEN];
	int len, err;

	len = gn_msg_serialize(m, buf, sizeof(buf));
	if (len < 0) {
		gn_clock_log(p->clock, GN_LOG_ERR,
			     "port %u (%s): cannot encode %s: %s", p->index + 1,
			     p->cfg.name, gn_msg_type_str(m->h.type),
			     gn_wire_strerror((enum gn_wire_error) - len));
		return -EINVAL;
	}
	/* A TC's port tells its own stamps from those of forwarded frames
	 * by the order they were sent in. */
	if (want_ts)
		gn_tc_note_own_tx(p, m->h.type, m->h.sequence_id);
	err = gn_port_send_frame(p, buf, (size_t)len, want_ts, dest);
	if (err < 0)
		return err;
	p->stats.tx[m->h.type & 0xF]++;
	return 0;
}

static void port_ts(int64_t ns, struct gn_timestamp *ts)
{
	if (gn_ns_to_timestamp(ns, ts) < 0)
		memset(ts, 0, sizeof(*ts));
}

int gn_port_send_announce(struct gn_port *p)
{
	const struct gn_clock *c = p->clock;
	uint8_t tlv_buf[GN_MAX_MSG_LEN];
	struct gn_msg m;
	struct gn_announce *a = &m.body.announce;

	gn_clock_update_leap_status(p->clock);
	memset(&m, 0, sizeof(m));
	gn_port_header(p, &m.h, GN_MSG_ANNOUNCE, p->seq_announce++);
	port_ts(gn_port_now(p), &a->origin);
	a->current_utc_offset = c->tpds.current_utc_offset;
	a->gm_priority1 = c->pds.gm_priority1;
	a->gm_quality = c->pds.gm_quality;
	a->gm_priority2 = c->pds.gm_priority2;
	a->gm_identity = c->pds.gm_identity;
	a->steps_removed = c->cds.steps_removed;
	a->time_source = c->tpds.time_source;
	/* Sent without a TLV that does not fit (logged), as ptp4l. */
	gn_port_announce_tlvs(p, &m, tlv_buf, sizeof(tlv_buf));
	return port_send(p, &m, false, GN_DEST_MULTICAST);
}

int gn_port_send_sync(struct gn_port *p)
{
	struct gn_msg m;
	bool two_step = p->clock->dds.two_step;
	int err;

	memset(&m, 0, sizeof(m));
	gn_port_header(p, &m.h, GN_MSG_SYNC, p->seq_sync++);
	if (two_step)
		m.h.flags |= GN_FLAG_TWO_STEP;
	/* One-step: the host (hardware) rewrites the origin at egress. */
	port_ts(gn_port_now(p), &m.body.origin);
	p->sync_tx_pending = two_step;
	p->sync_tx_seq = m.h.sequence_id;
	err = port_send(p, &m, two_step, GN_DEST_MULTICAST);
	if (err < 0)
		p->sync_tx_pending = false;
	return err;
}

int gn_port_send_follow_up(struct gn_port *p, uint16_t seq, int64_t t1_ns)
{
	struct gn_msg m;

	memset(&m, 0, sizeof(m));
	gn_port_header(p, &m.h, GN_MSG_FOLLOW_UP, seq);
	port_ts(t1_ns, &m.body.origin);
	return port_send(p, &m, false, GN_DEST_MULTICAST);
}

int gn_port_send_delay_req(struct gn_port *p)
{
	struct gn_msg m;
	int err;

	memset(&m, 0, sizeof(m));
	gn_port_header(p, &m.h, GN_MSG_DELAY_REQ, p->seq_delay_req++);
	/* 1588 11.6.3: Delay_Req carries -delayAsymmetry; the master
	 * echoes it in Delay_Resp and gn_tt_e2e_delay cancels it there. */
	m.h.correction = gn_ns_to_ti(-p->cfg.delay_asymmetry_ns);
	port_ts(gn_port_now(p), &m.body.origin);
	p->delay_req_seq = m.h.sequence_id;
	p->delay_req_pending = true;
	/* Remember it beside the ones still unanswered (oldest goes). */
	unsigned i, slot = 0;

	for (i = 0; i < GN_DELAY_REQ_OUTSTANDING; i++) {
		if (!p->dreq[i].used) {
			slot = i;
			break;
		}
		if ((uint16_t)(p->dreq[i].seq - p->dreq[slot].seq) > 0x8000)
			slot = i; /* older in sequence order */
	}
	p->dreq[slot] =
	    (struct gn_delay_req_out){.seq = m.h.sequence_id, .used = true};
	err = port_send(p, &m, true, GN_DEST_MULTICAST);
	if (err < 0) {
		p->delay_req_pending = false;
		p->dreq[slot].used = false;
	}
	return err;
}

int gn_port_send_delay_resp(struct gn_port *p, const struct gn_msg *req,
			    int64_t t4_ns)
{
	struct gn_msg m;

	memset(&m, 0, sizeof(m));
	gn_port_header(p, &m.h, GN_MSG_DELAY_RESP, req->h.sequence_id);
	m.h.correction = req->h.correction;
	m.h.flags |= req->h.flags & GN_FLAG_UNICAST;
	port_ts(t4_ns, &m.body.resp.ts);
	m.body.resp.port = req->h.source;
	return port_send(p, &m, false, GN_DEST_MULTICAST);
}

int gn_port_send_pdelay_req(struct gn_port *p)
{
	struct gn_msg m;
	int err;

	memset(&m, 0, sizeof(m));
	gn_port_header(p, &m.h, GN_MSG_PDELAY_REQ, p->seq_pdelay_req++);
	/* 1588 11.6.4: -delayAsymmetry, echoed by the responder. */
	m.h.correction = gn_ns_to_ti(-p->cfg.delay_asymmetry_ns);
	port_ts(gn_port_now(p), &m.body.origin);
	p->pdelay_req_seq = m.h.sequence_id;
	p->pdelay_req_pending = true;
	p->have_pdelay_t1 = false;
	p->pdelay_resp_seen = false;
	err = port_send(p, &m, true, GN_DEST_PDELAY);
	if (err < 0)
		p->pdelay_req_pending = false;
	return err;
}

int gn_port_send_pdelay_resp(struct gn_port *p, const struct gn_msg *req,
			     int64_t t2_ns)
{
	struct gn_msg m;
	int err;

	memset(&m, 0, sizeof(m));
	gn_port_header(p, &m.h, GN_MSG_PDELAY_RESP, req->h.sequence_id);
	m.h.flags |= GN_FLAG_TWO_STEP;
	port_ts(t2_ns, &m.body.resp.ts);
	m.body.resp.port = req->h.source;
	p->pdelay_resp_tx_pending = true;
	p->pdelay_resp_seq = req->h.sequence_id;
	p->pdelay_resp_requester = req->h.source;
	p->pdelay_resp_req_corr_ns = 0;
	gn_ti_to_ns(req->h.correction, &p->pdelay_resp_req_corr_ns);
	err = port_send(p, &m, true, GN_DEST_PDELAY);
	if (err < 0)
		p->pdelay_resp_tx_pending = false;
	return err;
}

int gn_port_send_pdelay_resp_fup(struct gn_port *p, int64_t t3_ns)
{
	struct gn_msg m;

	memset(&m, 0, sizeof(m));
	gn_port_header(p, &m.h, GN_MSG_PDELAY_RESP_FUP, p->pdelay_resp_seq);
	/* 1588 11.4.3 c): the request's correction goes into the Follow_Up. */
	m.h.correction = gn_ns_to_ti(p->pdelay_resp_req_corr_ns);
	port_ts(t3_ns, &m.body.resp.ts);
	m.body.resp.port = p->pdelay_resp_requester;
	return port_send(p, &m, false, GN_DEST_PDELAY);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * port_tlv.c - the TLVs of a port's Announce messages: checking those
 * received (every TLV must decode; with path trace, a path that holds
 * this clock means a loop), keeping the parent's path, and appending
 * PATH_TRACE, the C37.238 power profile and ALTERNATE_TIME_OFFSET to
 * those sent. Sans-IO, no allocation: the path lives in the clock.
 */
#include <errno.h>
#include <string.h>

#include "clock.h"

/*
 * Whether a received Announce may be used: every TLV it carries must
 * decode (ptp4l drops a message whose TLV fails its checks too), and
 * with path trace on, its path must not hold this clock (1588 16.2.3:
 * the Announce went round a loop).
 */
bool gn_port_announce_tlvs_ok(struct gn_port *p, const struct gn_msg *m)
{
	const struct gn_clock *c = p->clock;
	struct gn_tlv_path_trace pt;
	const char *reason = "";
	unsigned i;

	for (i = 0; i < m->ntlv && i < GN_MSG_MAX_TLVS; i++) {
		const struct gn_tlv *t = &m->tlv[i];

		if (gn_tlv_check(t, &reason) < 0) {
			p->stats.rx_bad++;
			p->stats.bad_reason[GN_WIRE_BAD_TLV]++;
			gn_clock_log(c, GN_LOG_DEBUG,
				     "port %u (%s): bad Announce TLV %s: %s",
				     p->index + 1, p->cfg.name,
				     gn_tlv_type_str(t->type), reason);
			return false;
		}
		if (!p->cfg.path_trace_enabled || t->type != GN_TLV_PATH_TRACE)
			continue;
		if (gn_tlv_path_trace_decode(t, &pt, NULL) == 0 &&
		    gn_tlv_path_trace_contains(&pt, &c->dds.identity)) {
			gn_clock_log(c, GN_LOG_DEBUG,
				     "port %u (%s): Announce path holds this "
				     "clock: ignored",
				     p->index + 1, p->cfg.name);
			return false;
		}
	}
	return true;
}

/* The parent's path (1588 16.2.3 b), from an Announce of the parent;
 * none when it carries no PATH_TRACE. */
void gn_port_keep_path_trace(struct gn_port *p, const struct gn_msg *m)
{
	struct gn_clock *c = p->clock;
	const struct gn_tlv *t = gn_msg_find_tlv(m, GN_TLV_PATH_TRACE);
	struct gn_tlv_path_trace pt = {0, NULL};
	unsigned i;

	if (t && gn_tlv_path_trace_decode(t, &pt, NULL) < 0)
		pt.count = 0; /* cannot happen: checked on receipt */
	for (i = 0; i < pt.count && i < GN_PATH_TRACE_MAX; i++)
		gn_tlv_path_trace_get(&pt, i, &c->path_trace[i]);
	c->path_trace_len = pt.count;
	c->path_trace_parent = m->h.source;
	c->have_path_trace = true;
}

/* Appends a TLV whose value an encoder wrote at buf + *used (len octets
 * or an error), if the Announce has room for it. */
static int port_append_tlv(struct gn_port *p, struct gn_msg *m, uint16_t type,
			   const uint8_t *buf, size_t *used, size_t *room,
			   int len)
{
	int err;

	if (len < 0)
		err = len;
	else if (4 + (size_t)len > *room)
		err = -EMSGSIZE;
	else
		err = gn_msg_add_tlv(m, type, buf + *used, len);
	if (err < 0) {
		gn_clock_log(p->clock, GN_LOG_ERR,
			     "port %u (%s): append %s failed: error %d",
			     p->index + 1, p->cfg.name, gn_tlv_type_str(type),
			     err);
		return err;
	}
	*used += (size_t)len;
	*room -= 4 + (size_t)len;
	return 0;
}

int gn_port_announce_tlvs(struct gn_port *p, struct gn_msg *m, uint8_t *buf,
			  size_t cap)
{
	const struct gn_clock *c = p->clock;
	const struct gn_power_profile *pp = &p->cfg.power_profile;
	size_t used = 0,
	       room = GN_MAX_MSG_LEN - gn_msg_body_len(GN_MSG_ANNOUNCE);
	int err, len, first = 0;
	unsigned k;

	for (k = 0; k < m->ntlv && k < GN_MSG_MAX_TLVS; k++)
		room = room > 4u + m->tlv[k].length
			   ? room - 4u - m->tlv[k].length
			   : 0;
	if (p->cfg.path_trace_enabled) {
		/* The parent's path, then this clock; a grandmaster's path
		 * is itself alone. A path too long to extend is not sent
		 * (1588 16.2.3 c). */
		unsigned n = 0;

		if (c->have_path_trace && c->slave_port >= 0 &&
		    gn_port_identity_eq(&c->path_trace_parent,
					&c->pds.parent_port))
			n = c->path_trace_len;
		if (n + 1 > GN_PATH_TRACE_MAX)
			len = -EMSGSIZE;
		else
			len = gn_tlv_path_trace_encode(c->path_trace, n,
						       buf + used, cap - used);
		if (len >= 0 && gn_tlv_path_trace_encode(
				    &c->dds.identity, 1, buf + used + len,
				    cap - used - (size_t)len) < 0)
			len = -ENOSPC;
		else if (len >= 0)
			len += 8;
		err = port_append_tlv(p, m, GN_TLV_PATH_TRACE, buf, &used,
				      &room, len);
		if (err && !first)
			first = err;
	}
	if (pp->version == GN_POWER_PROFILE_2011 ||
	    pp->version == GN_POWER_PROFILE_2017) {
		struct gn_tlv_c37_238 pwr = {
		    .edition = pp->version == GN_POWER_PROFILE_2011
				   ? GN_C37_238_2011
				   : GN_C37_238_2017,
		    .grandmaster_id = pp->grandmaster_id,
		    .grandmaster_time_inaccuracy_ns =
			pp->grandmaster_time_inaccuracy_ns,
		    .network_time_inaccuracy_ns =
			pp->network_time_inaccuracy_ns,
		    .total_time_inaccuracy_ns = pp->total_time_inaccuracy_ns,
		};

		err = port_append_tlv(
		    p, m, GN_TLV_ORGANIZATION_EXTENSION, buf, &used, &room,
		    gn_tlv_c37_238_encode(&pwr, buf + used, cap - used));
		if (err && !first)
			first = err;
	}
	for (k = 0; k < GN_ALT_TIME_OFFSETS; k++) {
		const struct gn_alt_time_offset *a = &c->alt_time[k];
		struct gn_tlv_alt_time_offset ato = {
		    .key = (uint8_t)k,
		    .current_offset_s = a->current_offset_s,
		    .jump_s = a->jump_seconds_s,
		    .time_of_next_jump_s = a->time_of_next_jump_s,
		    .name_len = a->name_len,
		    .name = (const uint8_t *)a->name,
		};

		if (!a->enabled)
			continue;
		/* Management keeps names within a->name; a corrupt length
		 * must not read past it. */
		if (a->name_len > GN_ALT_TIME_NAME_MAX_OCTETS)
			len = -EINVAL;
		else
			len = gn_tlv_alt_time_offset_encode(&ato, buf + used,
							    cap - used);
		err = port_append_tlv(p, m, GN_TLV_ALTERNATE_TIME_OFFSET, buf,
				      &used, &room, len);
		if (err && !first)
			first = err;
	}
	return first;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gen_pcap.c - writes a pcap file of PTP messages serialized by gnomon's
 * codec, for tests/check_tshark.sh to dissect with tshark -V. Every
 * message type, typical TLVs (management GET/RESPONSE of several ids and
 * an error status, unicast negotiation, the 802.1AS Follow_Up TLV with
 * transportSpecific 1, PATH_TRACE), and Announces sent by the engine
 * itself with PATH_TRACE, IEEE C37.238 (2011 and 2017) and alternate
 * time offset TLVs, each framed as Ethernet/IPv4/UDP (319 event, 320
 * general) and as Ethernet type 0x88F7.
 *
 * Usage: gen_pcap OUT.pcap [--broken]
 * --broken appends one deliberately malformed message (a TLV whose
 * length runs past the frame), so the check can be shown to fail.
 * Prints the number of packets written. A test tool: it does I/O.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "mgmt.h"
#include "tlv.h"
#include "wire.h"

static FILE *out;
static unsigned npackets;
static uint32_t ts_sec = 1700000000;

static const uint8_t mac_src[6] = {0x02, 0x00, 0x00, 0xaa, 0x00, 0x01};
static const uint8_t mac_ptp[6] = {0x01, 0x1b, 0x19, 0x00, 0x00, 0x00};
static const uint8_t mac_pdelay[6] = {0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e};
static const uint8_t ip_src[4] = {192, 0, 2, 1};
static const uint8_t ip_ptp[4] = {224, 0, 1, 129};
static const uint8_t ip_pdelay[4] = {224, 0, 0, 107};
static const uint8_t ip_peer[4] = {192, 0, 2, 2};

static const struct gn_clock_identity gm = {
    {0x02, 0x00, 0x00, 0xff, 0xfe, 0xaa, 0x00, 0x01}};
static const struct gn_clock_identity peer = {
    {0x02, 0x00, 0x00, 0xff, 0xfe, 0xaa, 0x00, 0x02}};

static void put32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void write_or_die(const void *p, size_t n)
{
	if (fwrite(p, 1, n, out) != n) {
		perror("gen_pcap: write");
		exit(1);
	}
}

/* pcap global header, little-endian, LINKTYPE_ETHERNET. */
static void pcap_header(void)
{
	uint8_t h[24];

	put32le(h, 0xa1b2c3d4);
	h[4] = 2; /* version 2.4 */
	h[5] = 0;
	h[6] = 4;
	h[7] = 0;
	put32le(h + 8, 0);  /* thiszone */
	put32le(h + 12, 0); /* sigfigs */
	put32le(h + 16, 65535);
	put32le(h + 20, 1);
	write_or_die(h, sizeof(h));
}

static void pcap_record(const uint8_t *frame, size_t len)
{
	uint8_t r[16];

	put32le(r, ts_sec);
	put32le(r + 4, npackets * 1000);
	put32le(r + 8, (uint32_t)len);
	put32le(r + 12, (uint32_t)len);
	write_or_die(r, sizeof(r));
	write_or_die(frame, len);
	npackets++;
	ts_sec++;
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)(p[n - 1] << 8);
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return (uint16_t)~sum;
}

static void eth_header(uint8_t *f, const uint8_t *dst, uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, mac_src, 6);
	gn_put16(f + 12, type);
}

/* Ethernet / IPv4 / UDP to dst:port. */
static void emit_udp(const uint8_t *ptp, size_t len, const uint8_t *ip_dst,
		     uint16_t port)
{
	uint8_t f[14 + 20 + 8 + GN_MAX_MSG_LEN], pseudo[12];
	uint8_t mac_dst[6] = {0x01, 0x00, 0x5e, 0, 0, 0};
	uint8_t *ip = f + 14, *udp = f + 34;
	uint32_t sum;
	uint16_t c;

	if (ip_dst[0] >= 224) {
		mac_dst[3] = ip_dst[1] & 0x7F;
		mac_dst[4] = ip_dst[2];
		mac_dst[5] = ip_dst[3];
	} else {
		memcpy(mac_dst, (const uint8_t[6]){0x02, 0, 0, 0xaa, 0, 2}, 6);
	}
	eth_header(f, mac_dst, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	gn_put16(ip + 2, (uint16_t)(20 + 8 + len));
	gn_put16(ip + 4, (uint16_t)npackets);
	ip[6] = 0x40;			   /* DF */
	ip[8] = ip_dst[0] >= 224 ? 1 : 64; /* TTL 1 for multicast */
	ip[9] = 17;
	memcpy(ip + 12, ip_src, 4);
	memcpy(ip + 16, ip_dst, 4);
	gn_put16(ip + 10, csum_fold(csum_add(0, ip, 20)));

	gn_put16(udp, port);
	gn_put16(udp + 2, port);
	gn_put16(udp + 4, (uint16_t)(8 + len));
	gn_put16(udp + 6, 0);
	memcpy(udp + 8, ptp, len);
	memcpy(pseudo, ip_src, 4);
	memcpy(pseudo + 4, ip_dst, 4);
	pseudo[8] = 0;
	pseudo[9] = 17;
	gn_put16(pseudo + 10, (uint16_t)(8 + len));
	sum = csum_add(csum_add(0, pseudo, 12), udp, 8 + len);
	c = csum_fold(sum);
	gn_put16(udp + 6, c ? c : 0xFFFF);
	pcap_record(f, 14 + 20 + 8 + len);
}

static void emit_l2(const uint8_t *ptp, size_t len, const uint8_t *dst)
{
	uint8_t f[14 + GN_MAX_MSG_LEN];

	eth_header(f, dst, 0x88F7);
	memcpy(f + 14, ptp, len);
	pcap_record(f, 14 + len);
}

enum framing { BOTH, UDP_ONLY, L2_ONLY };

/* Serializes m and writes it in the requested framings. */
static void emit(struct gn_msg *m, enum framing fr, const uint8_t *ip_dst)
{
	uint8_t buf[GN_MAX_MSG_LEN];
	bool pdelay = m->h.type == GN_MSG_PDELAY_REQ ||
		      m->h.type == GN_MSG_PDELAY_RESP ||
		      m->h.type == GN_MSG_PDELAY_RESP_FUP;
	int len = gn_msg_serialize(m, buf, sizeof(buf));

	if (len < 0) {
		fprintf(stderr, "gen_pcap: serialize %s: %s\n",
			gn_msg_type_str(m->h.type),
			gn_wire_strerror((enum gn_wire_error) - len));
		exit(1);
	}
	if (!ip_dst)
		ip_dst = pdelay ? ip_pdelay : ip_ptp;
	if (fr != L2_ONLY)
		emit_udp(buf, (size_t)len, ip_dst,
			 gn_msg_is_event(m->h.type) ? 319 : 320);
	if (fr != UDP_ONLY)
		emit_l2(buf, (size_t)len,
			pdelay || m->h.sdo_major == 1 ? mac_pdelay : mac_ptp);
}

static void check(int err, const char *what)
{
	if (err < 0) {
		fprintf(stderr, "gen_pcap: %s failed: %d\n", what, err);
		exit(1);
	}
}

static void init(struct gn_msg *m, uint8_t type, uint16_t seq)
{
	memset(m, 0, sizeof(*m));
	gn_header_init(&m->h, type);
	m->h.source.clock = gm;
	m->h.source.port = 1;
	m->h.sequence_id = seq;
}

static void event_messages(uint8_t sdo)
{
	static const struct gn_clock_identity path[2] = {
	    {{0x02, 0x00, 0x00, 0xff, 0xfe, 0xaa, 0x00, 0x01}},
	    {{0x02, 0x00, 0x00, 0xff, 0xfe, 0xaa, 0x00, 0x03}},
	};
	enum framing fr = sdo ? L2_ONLY : BOTH;
	uint8_t v[2][64];
	struct gn_tlv_follow_up_info fui = {
	    .cumulative_scaled_rate_offset = -4398,
	    .gm_time_base_indicator = 1,
	    .last_gm_phase_change = {0, 1234, 0x8000},
	    .scaled_last_gm_freq_change = 7,
	};
	struct gn_msg m;

	init(&m, GN_MSG_SYNC, 100);
	m.h.sdo_major = sdo;
	m.h.flags = GN_FLAG_TWO_STEP | GN_FLAG_PTP_TIMESCALE;
	m.h.log_interval = sdo ? -3 : 0;
	emit(&m, fr, NULL);

	init(&m, GN_MSG_FOLLOW_UP, 100);
	m.h.sdo_major = sdo;
	m.h.flags = GN_FLAG_PTP_TIMESCALE;
	m.h.correction = 1234LL << 16;
	m.h.log_interval = sdo ? -3 : 0;
	m.body.origin.sec = 1700000000;
	m.body.origin.nsec = 123456789;
	if (sdo)
		check(gn_msg_add_tlv(&m, GN_TLV_ORGANIZATION_EXTENSION, v[0],
				     gn_tlv_follow_up_info_encode(
					 &fui, v[0], sizeof(v[0]))),
		      "follow_up info");
	emit(&m, fr, NULL);

	if (!sdo) {
		init(&m, GN_MSG_DELAY_REQ, 7);
		m.h.source.clock = peer;
		emit(&m, fr, NULL);

		init(&m, GN_MSG_DELAY_RESP, 7);
		m.h.log_interval = 0;
		m.body.resp.ts.sec = 1700000001;
		m.body.resp.ts.nsec = 5000;
		m.body.resp.port.clock = peer;
		m.body.resp.port.port = 1;
		emit(&m, fr, NULL);
	}

	init(&m, GN_MSG_PDELAY_REQ, 3);
	m.h.sdo_major = sdo;
	m.h.source.clock = peer;
	if (sdo)
		m.h.log_interval = 0;
	emit(&m, fr, NULL);

	init(&m, GN_MSG_PDELAY_RESP, 3);
	m.h.sdo_major = sdo;
	m.h.flags = GN_FLAG_TWO_STEP;
	m.body.resp.ts.sec = 1700000002;
	m.body.resp.ts.nsec = 999999999;
	m.body.resp.port.clock = peer;
	m.body.resp.port.port = 1;
	emit(&m, fr, NULL);

	init(&m, GN_MSG_PDELAY_RESP_FUP, 3);
	m.h.sdo_major = sdo;
	m.body.resp.ts.sec = 1700000002;
	m.body.resp.ts.nsec = 1000;
	m.body.resp.port.clock = peer;
	m.body.resp.port.port = 1;
	emit(&m, fr, NULL);

	init(&m, GN_MSG_ANNOUNCE, 55);
	m.h.sdo_major = sdo;
	m.h.flags = GN_FLAG_PTP_TIMESCALE | GN_FLAG_UTC_OFFSET_VALID;
	m.h.log_interval = 1;
	m.body.announce.current_utc_offset = 37;
	m.body.announce.gm_priority1 = 128;
	m.body.announce.gm_quality.clock_class = 248;
	m.body.announce.gm_quality.clock_accuracy = 0xFE;
	m.body.announce.gm_quality.offset_scaled_log_variance = 0xFFFF;
	m.body.announce.gm_priority2 = 128;
	m.body.announce.gm_identity = gm;
	m.body.announce.steps_removed = 1;
	m.body.announce.time_source = 0xA0;
	check(gn_msg_add_tlv(
		  &m, GN_TLV_PATH_TRACE, v[1],
		  gn_tlv_path_trace_encode(path, 2, v[1], sizeof(v[1]))),
	      "path trace");
	emit(&m, fr, NULL);
}

/* The other TLVs gnomon encodes, on Signaling (which may carry any). */
static void other_tlvs(void)
{
	static const uint8_t icv[16] = {1, 2,  3,  4,  5,  6,  7,  8,
					9, 10, 11, 12, 13, 14, 15, 16};
	struct gn_tlv_alt_time_offset a = {
	    1, -3600, 3600, 1711846800, 4, (const uint8_t *)"CEST"};
	struct gn_tlv_auth au = {
	    .spp = 0, .key_id = 7, .icv = icv, .icv_len = 16};
	uint8_t v[3][32];
	struct gn_msg m;

	init(&m, GN_MSG_SIGNALING, 5);
	memset(m.body.target.clock.id, 0xFF, 8);
	m.body.target.port = 0xFFFF;
	check(gn_msg_add_tlv(&m, GN_TLV_ALTERNATE_TIME_OFFSET, v[0],
			     gn_tlv_alt_time_offset_encode(&a, v[0], 32)),
	      "alternate time offset");
	check(gn_msg_add_tlv(&m, GN_TLV_PAD, v[1],
			     gn_tlv_pad_encode(6, v[1], 32)),
	      "pad");
	check(gn_msg_add_tlv(&m, GN_TLV_AUTHENTICATION, v[2],
			     gn_tlv_auth_encode(&au, v[2], 32)),
	      "authentication");
	emit(&m, BOTH, NULL);
}

static void signaling(void)
{
	static const uint8_t granted[] = {GN_MSG_ANNOUNCE, GN_MSG_SYNC,
					  GN_MSG_DELAY_RESP};
	uint8_t v[8][16];
	struct gn_msg m;
	unsigned i;

	/* a client's requests, then the grants */
	init(&m, GN_MSG_SIGNALING, 1);
	m.h.source.clock = peer;
	m.h.flags = GN_FLAG_UNICAST;
	m.body.target.clock = gm;
	m.body.target.port = 1;
	for (i = 0; i < 3; i++) {
		struct gn_tlv_unicast_req r = {granted[i], (int8_t)-i, 300};

		check(gn_msg_add_tlv(&m, GN_TLV_REQUEST_UNICAST, v[i],
				     gn_tlv_unicast_req_encode(&r, v[i], 16)),
		      "request");
	}
	emit(&m, UDP_ONLY, ip_peer);

	init(&m, GN_MSG_SIGNALING, 2);
	m.h.flags = GN_FLAG_UNICAST;
	m.body.target.clock = peer;
	m.body.target.port = 1;
	for (i = 0; i < 3; i++) {
		struct gn_tlv_unicast_grant g = {granted[i], (int8_t)-i, 300,
						 true};

		check(gn_msg_add_tlv(&m, GN_TLV_GRANT_UNICAST, v[i],
				     gn_tlv_unicast_grant_encode(&g, v[i], 16)),
		      "grant");
	}
	emit(&m, UDP_ONLY, ip_peer);

	init(&m, GN_MSG_SIGNALING, 3);
	m.h.source.clock = peer;
	m.h.flags = GN_FLAG_UNICAST;
	m.body.target.clock = gm;
	m.body.target.port = 1;
	{
		struct gn_tlv_unicast_cancel c = {GN_MSG_SYNC, 0};

		check(
		    gn_msg_add_tlv(&m, GN_TLV_CANCEL_UNICAST, v[3],
				   gn_tlv_unicast_cancel_encode(&c, v[3], 16)),
		    "cancel");
	}
	emit(&m, BOTH, ip_peer);

	init(&m, GN_MSG_SIGNALING, 4);
	m.h.flags = GN_FLAG_UNICAST;
	m.body.target.clock = peer;
	m.body.target.port = 1;
	{
		struct gn_tlv_unicast_cancel c = {GN_MSG_SYNC, 0};

		check(
		    gn_msg_add_tlv(&m, GN_TLV_ACK_CANCEL_UNICAST, v[4],
				   gn_tlv_unicast_cancel_encode(&c, v[4], 16)),
		    "ack cancel");
	}
	emit(&m, BOTH, ip_peer);
}

static void management_pair(uint16_t id, const union gn_mgmt_data *d,
			    uint16_t seq)
{
	uint8_t data[300], value[310];
	struct gn_tlv_mgmt mg = {id, 0, data};
	struct gn_msg m;
	int len;

	/* GET from a client: an empty dataField, as 1588 specifies */
	init(&m, GN_MSG_MANAGEMENT, seq);
	m.h.source.clock = peer;
	memset(m.body.mgmt.target.clock.id, 0xFF, 8);
	m.body.mgmt.target.port = 0xFFFF;
	m.body.mgmt.action = GN_MGMT_GET;
	check(gn_msg_add_tlv(&m, GN_TLV_MANAGEMENT, value,
			     gn_tlv_mgmt_encode(&mg, value, sizeof(value))),
	      "mgmt get");
	emit(&m, BOTH, NULL);

	len = gn_mgmt_encode(id, d, data, sizeof(data));
	check(len, gn_mgmt_id_str(id));
	mg.data_len = (uint16_t)len;
	init(&m, GN_MSG_MANAGEMENT, seq);
	m.body.mgmt.target.clock = peer;
	m.body.mgmt.target.port = 1;
	m.body.mgmt.action = GN_MGMT_RESPONSE;
	check(gn_msg_add_tlv(&m, GN_TLV_MANAGEMENT, value,
			     gn_tlv_mgmt_encode(&mg, value, sizeof(value))),
	      "mgmt response");
	emit(&m, BOTH, NULL);
}

static void management(void)
{
	uint8_t value[16];
	union gn_mgmt_data d;
	struct gn_tlv_mgmt_error e = {GN_MGMT_ERR_NOT_SUPPORTED,
				      GN_MGMT_CLOCK_DESCRIPTION, false, 0,
				      NULL};
	struct gn_msg m;

	memset(&d, 0, sizeof(d));
	d.default_ds.two_step = true;
	d.default_ds.number_ports = 1;
	d.default_ds.priority1 = 128;
	d.default_ds.quality.clock_class = 248;
	d.default_ds.quality.clock_accuracy = 0xFE;
	d.default_ds.quality.offset_scaled_log_variance = 0xFFFF;
	d.default_ds.priority2 = 128;
	d.default_ds.identity = gm;
	management_pair(GN_MGMT_DEFAULT_DATA_SET, &d, 10);

	memset(&d, 0, sizeof(d));
	d.current_ds.steps_removed = 1;
	d.current_ds.offset_from_master_ns = -250;
	d.current_ds.mean_path_delay_ns = 2333;
	management_pair(GN_MGMT_CURRENT_DATA_SET, &d, 11);

	memset(&d, 0, sizeof(d));
	d.parent_ds.parent_port.clock = gm;
	d.parent_ds.parent_port.port = 1;
	d.parent_ds.observed_parent_offset_scaled_log_variance = 0xFFFF;
	d.parent_ds.observed_parent_clock_phase_change_rate = 0x7FFFFFFF;
	d.parent_ds.gm_priority1 = 128;
	d.parent_ds.gm_quality.clock_class = 248;
	d.parent_ds.gm_quality.clock_accuracy = 0xFE;
	d.parent_ds.gm_quality.offset_scaled_log_variance = 0xFFFF;
	d.parent_ds.gm_priority2 = 128;
	d.parent_ds.gm_identity = gm;
	management_pair(GN_MGMT_PARENT_DATA_SET, &d, 12);

	memset(&d, 0, sizeof(d));
	d.time_properties_ds.current_utc_offset = 37;
	d.time_properties_ds.current_utc_offset_valid = true;
	d.time_properties_ds.ptp_timescale = true;
	d.time_properties_ds.time_source = 0xA0;
	management_pair(GN_MGMT_TIME_PROPERTIES_DATA_SET, &d, 13);

	memset(&d, 0, sizeof(d));
	d.port_ds.identity.clock = gm;
	d.port_ds.identity.port = 1;
	d.port_ds.state = GN_PS_MASTER;
	d.port_ds.peer_mean_path_delay_ns = 0;
	d.port_ds.log_announce_interval = 1;
	d.port_ds.announce_receipt_timeout = 3;
	d.port_ds.delay_mechanism = GN_DM_E2E;
	d.port_ds.version_number = 2;
	management_pair(GN_MGMT_PORT_DATA_SET, &d, 14);

	memset(&d, 0, sizeof(d));
	d.u8 = 128;
	management_pair(GN_MGMT_PRIORITY1, &d, 15);
	d.u8 = 0;
	management_pair(GN_MGMT_DOMAIN, &d, 16);
	d.u8 = 1;
	management_pair(GN_MGMT_LOG_ANNOUNCE_INTERVAL, &d, 17);
	d.u8 = 0xFE;
	management_pair(GN_MGMT_CLOCK_ACCURACY, &d, 18);
	d.u8 = 1;
	management_pair(GN_MGMT_DELAY_MECHANISM, &d, 19);

	memset(&d, 0, sizeof(d));
	d.time.sec = 1700000000;
	d.time.nsec = 1;
	management_pair(GN_MGMT_TIME, &d, 20);

	/* linuxptp's implementation-specific ids */
	memset(&d, 0, sizeof(d));
	d.time_status.master_offset_ns = -250;
	d.time_status.ingress_time_ns = 1700000000000000000LL;
	d.time_status.gm_present = 1;
	d.time_status.gm_identity = gm;
	management_pair(GN_MGMT_TIME_STATUS_NP, &d, 23);
	memset(&d, 0, sizeof(d));
	d.port_properties.identity.clock = gm;
	d.port_properties.identity.port = 1;
	d.port_properties.port_state = GN_PS_MASTER;
	d.port_properties.iface_len = 4;
	memcpy(d.port_properties.iface, "eth0", 4);
	management_pair(GN_MGMT_PORT_PROPERTIES_NP, &d, 24);

	/* an error status answering an unsupported id */
	init(&m, GN_MSG_MANAGEMENT, 21);
	m.body.mgmt.target.clock = peer;
	m.body.mgmt.target.port = 1;
	m.body.mgmt.action = GN_MGMT_RESPONSE;
	check(
	    gn_msg_add_tlv(&m, GN_TLV_MANAGEMENT_ERROR_STATUS, value,
			   gn_tlv_mgmt_error_encode(&e, value, sizeof(value))),
	    "error status");
	emit(&m, BOTH, NULL);

	/* a COMMAND and its ACKNOWLEDGE */
	memset(&d, 0, sizeof(d));
	init(&m, GN_MSG_MANAGEMENT, 22);
	m.h.source.clock = peer;
	m.body.mgmt.target.clock = gm;
	m.body.mgmt.target.port = 1;
	m.body.mgmt.action = GN_MGMT_COMMAND;
	{
		struct gn_tlv_mgmt mg = {GN_MGMT_ENABLE_PORT, 0, NULL};

		check(gn_msg_add_tlv(
			  &m, GN_TLV_MANAGEMENT, value,
			  gn_tlv_mgmt_encode(&mg, value, sizeof(value))),
		      "command");
		emit(&m, BOTH, NULL);
		m.h.source.clock = gm;
		m.body.mgmt.target.clock = peer;
		m.body.mgmt.action = GN_MGMT_ACKNOWLEDGE;
		emit(&m, BOTH, NULL);
	}
}

/*
 * Announces as the engine sends them: a clock run on a host whose send
 * writes the frame out, as grandmaster with path trace, the C37.238
 * power profile TLV (2017, then 2011) and two alternate timescales.
 */
static int engine_send(void *ctx, unsigned port, const uint8_t *frame,
		       size_t len, const struct gn_tx_meta *meta)
{
	(void)ctx;
	(void)port;
	if (meta->msg_type != GN_MSG_ANNOUNCE)
		return 0;
	emit_udp(frame, len, ip_ptp, 320);
	emit_l2(frame, len, mac_ptp);
	return 0;
}

static int64_t engine_now(void *ctx)
{
	(void)ctx;
	return 1700000000LL * 1000000000LL;
}

static void engine_announces(void)
{
	static const struct gn_env env = {.send = engine_send,
					  .clock_now = engine_now};
	static struct gn_clock c;
	struct gn_port_config pc;
	struct gn_clock_config cc;
	struct gn_port port;
	unsigned edition;

	for (edition = GN_POWER_PROFILE_2011; edition <= GN_POWER_PROFILE_2017;
	     edition++) {
		gn_clock_config_default(&cc);
		cc.identity = gm;
		gn_port_config_default(&pc);
		pc.path_trace_enabled = true;
		pc.power_profile.version = (uint16_t)edition;
		pc.power_profile.grandmaster_id = 3;
		pc.power_profile.grandmaster_time_inaccuracy_ns = 50;
		pc.power_profile.total_time_inaccuracy_ns = 250;
		check(gn_clock_init(&c, &cc, &port, &pc, 1, &env, 1), "clock");
		gn_clock_start(&c);
		c.alt_time[1].enabled = true;
		c.alt_time[1].current_offset_s = 3600;
		c.alt_time[1].jump_seconds_s = 3600;
		c.alt_time[1].time_of_next_jump_s = 1711846800;
		c.alt_time[1].name_len = 3;
		memcpy(c.alt_time[1].name, "CET", 4);
		c.alt_time[2].enabled = true;
		c.alt_time[2].current_offset_s = -18000;
		memcpy(c.alt_time[2].name, "EST5EDT", 7);
		c.alt_time[2].name_len = 7;
		gn_clock_timer(&c, 0, GN_TMR_ANNOUNCE_RECEIPT);
		if (c.ports[0].ds.state != GN_PS_MASTER) {
			fprintf(stderr, "gen_pcap: engine port not master\n");
			exit(1);
		}
		gn_clock_timer(&c, 0, GN_TMR_ANNOUNCE_TX);
	}
}

/* An Announce whose PATH_TRACE claims more octets than the frame has. */
static void broken(void)
{
	uint8_t buf[GN_MAX_MSG_LEN];
	struct gn_msg m;
	int len;

	init(&m, GN_MSG_ANNOUNCE, 99);
	check(gn_msg_add_tlv(&m, GN_TLV_PATH_TRACE, gm.id, 8), "broken");
	len = gn_msg_serialize(&m, buf, sizeof(buf));
	check(len, "broken serialize");
	gn_put16(buf + 64 + 2, 40); /* TLV length past the end */
	emit_udp(buf, (size_t)len, ip_ptp, 320);
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3 ||
	    (argc == 3 && strcmp(argv[2], "--broken") != 0)) {
		fprintf(stderr, "usage: %s OUT.pcap [--broken]\n", argv[0]);
		return 2;
	}
	out = fopen(argv[1], "wb");
	if (!out) {
		perror(argv[1]);
		return 1;
	}
	pcap_header();
	event_messages(0);
	event_messages(1); /* gPTP: transportSpecific 1, 802.1AS TLV */
	signaling();
	other_tlvs();
	management();
	engine_announces();
	if (argc == 3)
		broken();
	if (fclose(out) != 0) {
		perror(argv[1]);
		return 1;
	}
	printf("%u\n", npackets);
	return 0;
}

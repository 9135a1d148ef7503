/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mgmtc.c - management client for gnomon-phc2sys (see mgmtc.h).
 * Messages are built and parsed with the core's codec only. Must not
 * trust anything from the socket: every length is checked by the codec.
 */
#include "mgmtc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tlv.h"

void gn_mgmtc_init(struct gn_mgmtc *c, uint8_t domain, uint8_t sdo_major,
		   uint16_t self_port)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->domain = domain;
	c->sdo_major = sdo_major;
	/* Like pmc: an all-zero clock identity, our number as the port. */
	c->self.port = self_port;
}

/* Zeros of the response's size that a GET carries (pmc's habit). */
static size_t get_data_len(uint16_t id)
{
	switch (id) {
	case GN_MGMT_DEFAULT_DATA_SET:
		return GN_MGMT_DEFAULT_DS_LEN;
	case GN_MGMT_TIME_PROPERTIES_DATA_SET:
		return GN_MGMT_TIME_PROPERTIES_DS_LEN;
	case GN_MGMT_PORT_DATA_SET:
		return GN_MGMT_PORT_DS_LEN;
	case GN_MGMT_PORT_PROPERTIES_NP:
		return 14; /* identity, state, stamping, empty text, pad */
	case GN_MGMT_PORT_HWCLOCK_NP:
		return GN_MGMT_PORT_HWCLOCK_NP_LEN;
	default:
		return 0;
	}
}

static int build(struct gn_mgmtc *c, uint8_t action, uint16_t id,
		 uint16_t target_port, const uint8_t *data, size_t data_len,
		 uint8_t *buf, size_t cap)
{
	uint8_t value[GN_MAX_MSG_LEN];
	struct gn_tlv_mgmt t = {
	    .id = id, .data_len = (uint16_t)data_len, .data = data};
	struct gn_msg m;
	int vlen;

	memset(&m, 0, sizeof(m));
	gn_header_init(&m.h, GN_MSG_MANAGEMENT);
	m.h.sdo_major = c->sdo_major;
	m.h.domain = c->domain;
	m.h.source = c->self;
	m.h.sequence_id = c->seq++;
	memset(&m.body.mgmt.target.clock, 0xff,
	       sizeof(m.body.mgmt.target.clock));
	m.body.mgmt.target.port = target_port;
	m.body.mgmt.starting_boundary_hops = 0;
	m.body.mgmt.boundary_hops = 0;
	m.body.mgmt.action = action;
	vlen = gn_tlv_mgmt_encode(&t, value, sizeof(value));
	if (vlen < 0)
		return vlen;
	if (gn_msg_add_tlv(&m, GN_TLV_MANAGEMENT, value, vlen) < 0)
		return -ENOSPC;
	vlen = gn_msg_serialize(&m, buf, cap);
	return vlen < 0 ? -ENOSPC : vlen;
}

int gn_mgmtc_build_get(struct gn_mgmtc *c, uint16_t id, uint16_t target_port,
		       uint8_t *buf, size_t cap)
{
	uint8_t zeros[64];
	size_t n = get_data_len(id);

	memset(zeros, 0, sizeof(zeros));
	return build(c, GN_MGMT_GET, id, target_port, zeros, n, buf, cap);
}

int gn_mgmtc_build_subscribe(struct gn_mgmtc *c, uint16_t duration_s,
			     uint8_t *buf, size_t cap)
{
	union gn_mgmt_data d;
	uint8_t enc[GN_MGMT_SUBSCRIBE_EVENTS_NP_LEN + 2];
	int n;

	memset(&d, 0, sizeof(d));
	d.subscribe_events.duration_s = duration_s;
	d.subscribe_events.bitmask[GN_NOTIFY_PORT_STATE / 8] |=
	    (uint8_t)(1u << (GN_NOTIFY_PORT_STATE % 8));
	n = gn_mgmt_encode(GN_MGMT_SUBSCRIBE_EVENTS_NP, &d, enc, sizeof(enc));
	if (n < 0)
		return n;
	return build(c, GN_MGMT_SET, GN_MGMT_SUBSCRIBE_EVENTS_NP,
		     GN_MGMTC_ALL_PORTS, enc, (size_t)n, buf, cap);
}

int gn_mgmtc_parse(struct gn_mgmtc *c, const uint8_t *buf, size_t len,
		   struct gn_mgmtc_msg *out)
{
	struct gn_msg m;
	struct gn_tlv_mgmt t;
	struct gn_tlv_mgmt_error e;
	const struct gn_tlv *tlv;
	int rc;

	memset(out, 0, sizeof(*out));
	if (gn_msg_parse(buf, len, &m) != GN_WIRE_OK)
		return -EBADMSG;
	if (m.h.type != GN_MSG_MANAGEMENT || m.ntlv < 1)
		return -EBADMSG;
	/* One management TLV, optionally followed by authentication. */
	if (m.ntlv > 2 ||
	    (m.ntlv == 2 && m.tlv[1].type != GN_TLV_AUTHENTICATION))
		return -EBADMSG;
	if (m.body.mgmt.action != GN_MGMT_RESPONSE &&
	    m.body.mgmt.action != GN_MGMT_ACKNOWLEDGE)
		return -ENOMSG;
	if (m.h.domain != c->domain)
		return -ENOMSG;
	if (c->server_known &&
	    !gn_clock_identity_eq(&c->server, &m.h.source.clock))
		return -ENOMSG;
	out->action = m.body.mgmt.action;
	out->seq = m.h.sequence_id;
	out->source = m.h.source;
	tlv = &m.tlv[0];
	if (tlv->type == GN_TLV_MANAGEMENT_ERROR_STATUS) {
		if (gn_tlv_mgmt_error_decode(tlv, &e, NULL) < 0)
			return -EBADMSG;
		out->error = true;
		out->error_id = e.error_id;
		out->id = e.mgmt_id;
		return 0;
	}
	if (tlv->type != GN_TLV_MANAGEMENT ||
	    gn_tlv_mgmt_decode(tlv, &t, NULL) < 0)
		return -EBADMSG;
	out->id = t.id;
	rc = gn_mgmt_decode(t.id, t.data, t.data_len, &out->data, NULL);
	if (rc < 0)
		return rc == -EOPNOTSUPP ? -EOPNOTSUPP : -EBADMSG;
	if (t.id == GN_MGMT_DEFAULT_DATA_SET && !c->server_known) {
		c->server = out->data.default_ds.identity;
		c->server_known = true;
	}
	return 0;
}

static int bind_local(struct gn_mgmtc *c, const char *dir, const char *name)
{
	struct sockaddr_un sa;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if ((size_t)snprintf(c->local, sizeof(c->local), "%s/%s", dir, name) >=
	    sizeof(c->local))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, c->local, strlen(c->local) + 1);
	unlink(c->local);
	if (bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		c->local[0] = '\0';
		return -errno;
	}
	return 0;
}

int gn_mgmtc_open(struct gn_mgmtc *c, const char *server_path,
		  const char *local_name, char *err, size_t errlen)
{
	int rc;

	if (!server_path || strlen(server_path) >= sizeof(c->remote)) {
		if (err && errlen)
			snprintf(err, errlen, "bad management socket path");
		return -EINVAL;
	}
	snprintf(c->remote, sizeof(c->remote), "%s", server_path);
	/* No SOCK_CLOEXEC in the type: clknetsim accepts none. */
	c->fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (c->fd >= 0)
		(void)fcntl(c->fd, F_SETFD, FD_CLOEXEC);
	if (c->fd < 0) {
		rc = -errno;
		if (err && errlen)
			snprintf(err, errlen, "socket: %s", strerror(-rc));
		return rc;
	}
	rc = bind_local(c, "/var/run", local_name);
	if (rc)
		rc = bind_local(c, "/tmp", local_name);
	if (rc) {
		if (err && errlen)
			snprintf(err, errlen, "bind %s: %s", local_name,
				 strerror(-rc));
		gn_mgmtc_close(c);
		return rc;
	}
	return 0;
}

void gn_mgmtc_close(struct gn_mgmtc *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	if (c->local[0])
		unlink(c->local);
	c->local[0] = '\0';
}

int gn_mgmtc_send(struct gn_mgmtc *c, const uint8_t *buf, size_t len)
{
	struct sockaddr_un sa;
	ssize_t n;

	if (c->fd < 0)
		return -EBADF;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, c->remote, strlen(c->remote) + 1);
	n = sendto(c->fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa));
	if (n < 0)
		return -errno;
	return n == (ssize_t)len ? 0 : -EIO;
}

int gn_mgmtc_recv(struct gn_mgmtc *c, int timeout_ms, struct gn_mgmtc_msg *out)
{
	uint8_t buf[GN_MAX_MSG_LEN];
	struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
	ssize_t n;
	int r;

	if (c->fd < 0)
		return -EBADF;
	r = poll(&pfd, 1, timeout_ms);
	if (r < 0)
		return -errno;
	if (r == 0)
		return -ETIMEDOUT;
	n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN ? -ETIMEDOUT : -errno;
	return gn_mgmtc_parse(c, buf, (size_t)n, out);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mgmtc.h - the management client of gnomon-phc2sys: talks to gnomond
 * or ptp4l over their Unix management socket, as phc2sys's agent does:
 * GET DEFAULT_DATA_SET (number of ports, server identity),
 * PORT_PROPERTIES_NP and PORT_HWCLOCK_NP (each port's interface, state,
 * time stamping, PHC), TIME_PROPERTIES_DATA_SET (UTC offset, leap
 * flags), PORT_DATA_SET (-w), and SET SUBSCRIBE_EVENTS_NP for port
 * state notifications.
 *
 * Building and parsing are sans-IO (the core's codec: wire.h, tlv.h,
 * mgmt.h) and testable without a socket; the socket part only moves
 * bytes. Nothing from the wire is trusted: lengths are the codec's.
 */
#ifndef GN_DISCIPLINE_MGMTC_H
#define GN_DISCIPLINE_MGMTC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/un.h>

#include "mgmt.h"
#include "wire.h"

#define GN_MGMTC_ALL_PORTS 0xFFFF

struct gn_mgmtc {
	struct gn_port_identity self; /* sourcePortIdentity of requests */
	uint8_t domain;
	uint8_t sdo_major; /* transportSpecific */
	uint16_t seq;
	bool server_known;
	struct gn_clock_identity server; /* from DEFAULT_DATA_SET */
	/* I/O */
	int fd;
	char local[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char remote[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

/* What one received message says. */
struct gn_mgmtc_msg {
	uint8_t action; /* GN_MGMT_RESPONSE or _ACKNOWLEDGE */
	uint16_t id;
	bool error;	   /* MANAGEMENT_ERROR_STATUS */
	uint16_t error_id; /* GN_MGMT_ERR_* */
	uint16_t seq;
	struct gn_port_identity source;
	union gn_mgmt_data data; /* decoded (RESPONSE without error) */
};

/* Sans-IO: identity and domain of our requests. */
void gn_mgmtc_init(struct gn_mgmtc *c, uint8_t domain, uint8_t sdo_major,
		   uint16_t self_port);

/* A GET of id for target_port (GN_MGMTC_ALL_PORTS: every port). The
 * dataField is zeros of the response's size, as pmc sends it (both
 * ptp4l and gnomond accept it). Returns the length or negative errno. */
int gn_mgmtc_build_get(struct gn_mgmtc *c, uint16_t id, uint16_t target_port,
		       uint8_t *buf, size_t cap);
/* SET SUBSCRIBE_EVENTS_NP: port state notifications for duration_s. */
int gn_mgmtc_build_subscribe(struct gn_mgmtc *c, uint16_t duration_s,
			     uint8_t *buf, size_t cap);

/*
 * Parses a received frame. Returns 0 with *out filled, or a negative
 * errno: -EBADMSG (malformed, not management, not one TLV), -ENOMSG
 * (not a response, or from another clock than the one whose
 * DEFAULT_DATA_SET came first), -EOPNOTSUPP (an id without codec).
 */
int gn_mgmtc_parse(struct gn_mgmtc *c, const uint8_t *buf, size_t len,
		   struct gn_mgmtc_msg *out);

/* ---- I/O ---- */

/* Binds a local datagram socket (under /var/run, else /tmp) and
 * remembers the server's path. */
int gn_mgmtc_open(struct gn_mgmtc *c, const char *server_path,
		  const char *local_name, char *err, size_t errlen);
void gn_mgmtc_close(struct gn_mgmtc *c);
int gn_mgmtc_send(struct gn_mgmtc *c, const uint8_t *buf, size_t len);
/* Receives one message, waiting up to timeout_ms (0: no wait). 0 with
 * *out, -ETIMEDOUT, or a parse error (the message is dropped). */
int gn_mgmtc_recv(struct gn_mgmtc *c, int timeout_ms, struct gn_mgmtc_msg *out);

#endif

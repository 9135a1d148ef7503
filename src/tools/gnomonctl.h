/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gnomonctl.h - the parts of gnomonctl shared between its files: the
 * management client (Unix socket), linuxptp pmc's command language and
 * output (gnomonctl_pmc.c), and the friendly views (gnomonctl.c).
 */
#ifndef GN_TOOLS_GNOMONCTL_H
#define GN_TOOLS_GNOMONCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mgmt.h"
#include "wire.h"

/* Which pmc gnomonctl's pmc mode behaves like. */
enum gnc_compat {
	GNC_COMPAT_4 = 0, /* linuxptp 4.x (4.4), the default */
	GNC_COMPAT_3,	  /* linuxptp 3.1.x (Debian 12's) */
};

struct gnc {
	int fd;
	char local[108];
	char server[108];
	uint8_t boundary_hops;
	uint8_t domain;
	uint8_t transport_specific; /* already shifted into the high nibble */
	bool zero_length_gets;
	struct gn_port_identity self;
	struct gn_port_identity target;
	uint16_t seq;
	enum gnc_compat compat;
	bool json;
};

/* Opens the client socket (bound to c->local). 0 or -errno. */
int gnc_open(struct gnc *c);
void gnc_close(struct gnc *c);
/* Sends one management request; 0 or -errno. */
int gnc_send(struct gnc *c, uint8_t action, uint16_t id, const uint8_t *data,
	     size_t len);
/* Receives one frame within timeout_ms; its length, 0 on timeout, or
 * -errno. */
int gnc_recv(struct gnc *c, uint8_t *buf, size_t cap, int timeout_ms);

/* pmc mode: one command line ("GET DEFAULT_DATA_SET", "TARGET *" ...).
 * Returns 0, or -1 for a bad command (the caller prints "bad command"). */
int gnc_pmc_command(struct gnc *c, const char *line);
/* Prints a received frame as pmc does (or as a JSON line). */
void gnc_pmc_show(struct gnc *c, const uint8_t *buf, size_t len, FILE *fp);
void gnc_pmc_help(const struct gnc *c, FILE *fp);

/* One GET for the friendly views: fills *d from the first reply of id.
 * 0, -ETIMEDOUT, or -EPROTO with the error id in *mgmt_err. */
int gnc_get(struct gnc *c, uint16_t id, uint16_t port, union gn_mgmt_data *d,
	    struct gn_port_identity *from, uint16_t *mgmt_err);

#endif

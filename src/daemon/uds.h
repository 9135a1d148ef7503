/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uds.h - the management Unix datagram sockets (uds_address and
 * uds_ro_address), as ptp4l's: pmc binds its own socket and sends 1588
 * management messages; answers go back to the sender's address.
 */
#ifndef GN_DAEMON_UDS_H
#define GN_DAEMON_UDS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

struct gn_uds_addr {
	struct sockaddr_un sun;
	socklen_t len;
};

struct gn_uds {
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	bool read_only;
};

/* Binds path (an existing socket file there is replaced) with file
 * mode `mode`. Negative errno with a message in err. */
int gn_uds_open(struct gn_uds *u, const char *path, unsigned mode,
		bool read_only, char *err, size_t errlen);
/* Closes and removes the socket file. Idempotent. */
void gn_uds_close(struct gn_uds *u);
ssize_t gn_uds_recv(struct gn_uds *u, void *buf, size_t len,
		    struct gn_uds_addr *from);
int gn_uds_send(struct gn_uds *u, const void *buf, size_t len,
		const struct gn_uds_addr *to);
bool gn_uds_addr_equal(const struct gn_uds_addr *a,
		       const struct gn_uds_addr *b);

#endif

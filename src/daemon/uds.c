/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uds.c - management Unix datagram sockets. Knows sockets, not PTP.
 */
#include "uds.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int gn_uds_open(struct gn_uds *u, const char *path, unsigned mode,
		bool read_only, char *err, size_t errlen)
{
	struct sockaddr_un sun;
	int fd, e;

	u->fd = -1;
	u->path[0] = '\0';
	u->read_only = read_only;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "uds address '%s' is too long", path);
		return -ENAMETOOLONG;
	}
	/* Plain type, flags after: clknetsim accepts only plain types. */
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd >= 0) {
		(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
		(void)fcntl(fd, F_SETFL, O_NONBLOCK);
	}
	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "uds socket: %s", strerror(e));
		return -e;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		e = errno;
		snprintf(err, errlen, "bind %s: %s", path, strerror(e));
		close(fd);
		return -e;
	}
	if (chmod(path, (mode_t)mode) < 0) {
		e = errno;
		snprintf(err, errlen, "chmod %s: %s", path, strerror(e));
		close(fd);
		unlink(path);
		return -e;
	}
	u->fd = fd;
	memcpy(u->path, path, strlen(path) + 1);
	return 0;
}

void gn_uds_close(struct gn_uds *u)
{
	if (u->fd >= 0) {
		close(u->fd);
		u->fd = -1;
	}
	if (u->path[0]) {
		unlink(u->path);
		u->path[0] = '\0';
	}
}

ssize_t gn_uds_recv(struct gn_uds *u, void *buf, size_t len,
		    struct gn_uds_addr *from)
{
	ssize_t n;

	memset(from, 0, sizeof(*from));
	from->len = sizeof(from->sun);
	n = recvfrom(u->fd, buf, len, MSG_DONTWAIT,
		     (struct sockaddr *)&from->sun, &from->len);
	return n < 0 ? -errno : n;
}

int gn_uds_send(struct gn_uds *u, const void *buf, size_t len,
		const struct gn_uds_addr *to)
{
	ssize_t n;

	if (to->len == 0)
		return -EDESTADDRREQ; /* an unbound client cannot be answered */
	n = sendto(u->fd, buf, len, MSG_DONTWAIT,
		   (const struct sockaddr *)&to->sun, to->len);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EMSGSIZE;
}

bool gn_uds_addr_equal(const struct gn_uds_addr *a, const struct gn_uds_addr *b)
{
	return a->len == b->len && memcmp(&a->sun, &b->sun, a->len) == 0;
}

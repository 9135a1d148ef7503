/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * linkmon.c - link up/down notifications from rtnetlink (RTMGRP_LINK)
 * through libmnl, read without blocking from the daemon's poll loop.
 *
 * Must not: block, trust an attribute's length (mnl validates each one),
 * or change any link.
 */
#include "linkmon.h"

#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <string.h>

/* Datagrams read per gn_linkmon_read() call, so it always returns. */
#define MAX_READS 64
/* A link message with many attributes (VF lists) outgrows a page. */
#define NL_BUF_SIZE 32768

struct read_ctx {
	gn_link_fn fn;
	void *ctx;
	int count;
};

static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_type_valid(attr, IFLA_MAX) < 0)
		return MNL_CB_OK;
	if (mnl_attr_get_type(attr) == IFLA_IFNAME) {
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			return MNL_CB_OK; /* ignore a malformed name */
		tb[IFLA_IFNAME] = attr;
	}
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[IFLA_MAX + 1];
	struct read_ctx *rc = data;
	const struct ifinfomsg *ifm;
	const char *name = "";
	bool up;

	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifm))
		return MNL_CB_OK;
	ifm = mnl_nlmsg_get_payload(nlh);
	memset(tb, 0, sizeof(tb));
	if (mnl_attr_parse(nlh, sizeof(*ifm), attr_cb, tb) < 0)
		return MNL_CB_OK;
	if (tb[IFLA_IFNAME])
		name = mnl_attr_get_str(tb[IFLA_IFNAME]);
	up = nlh->nlmsg_type == RTM_NEWLINK && (ifm->ifi_flags & IFF_RUNNING);
	rc->count++;
	if (rc->fn)
		rc->fn(rc->ctx, ifm->ifi_index, name, up);
	return MNL_CB_OK;
}

int gn_linkmon_open(struct gn_linkmon *m)
{
	struct mnl_socket *nl;
	int fd, flags, rc;

	m->nl = NULL;
	m->fd = -1;
	nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, RTMGRP_LINK, MNL_SOCKET_AUTOPID) < 0) {
		rc = -errno;
		goto out;
	}
	fd = mnl_socket_get_fd(nl);
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		rc = -errno;
		goto out;
	}
	m->nl = nl;
	m->fd = fd;
	return 0;
out:
	mnl_socket_close(nl);
	return rc;
}

void gn_linkmon_close(struct gn_linkmon *m)
{
	if (m->nl)
		mnl_socket_close(m->nl);
	m->nl = NULL;
	m->fd = -1;
}

int gn_linkmon_read(struct gn_linkmon *m, gn_link_fn fn, void *ctx)
{
	/* Aligned for the netlink headers mnl reads in place. */
	union {
		char buf[NL_BUF_SIZE];
		struct nlmsghdr align;
	} u;
	struct read_ctx rc = {fn, ctx, 0};
	bool lost = false;
	ssize_t n;
	int i;

	if (!m->nl)
		return -EBADF;
	for (i = 0; i < MAX_READS; i++) {
		n = mnl_socket_recvfrom(m->nl, u.buf, sizeof(u.buf));
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == EINTR)
				continue;
			/* ENOBUFS (socket overrun) or ENOSPC (truncated
			 * message): events were lost, keep reading. */
			if (errno == ENOBUFS || errno == ENOSPC) {
				lost = true;
				continue;
			}
			return -errno;
		}
		/* Notifications: sequence 0, sent by the kernel (port 0). */
		if (mnl_cb_run(u.buf, (size_t)n, 0, 0, link_cb, &rc) < 0 &&
		    errno != ENOENT)
			break;
	}
	/* After a loss the caller must re-read link states itself
	 * (gn_interface_link_up); the callbacks made still stand. */
	return lost ? -ENOBUFS : rc.count;
}

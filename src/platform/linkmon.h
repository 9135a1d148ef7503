/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * linkmon.h - link up/down events through rtnetlink (libmnl).
 */
#ifndef GN_PLATFORM_LINKMON_H
#define GN_PLATFORM_LINKMON_H

#include <stdbool.h>

struct gn_linkmon {
	void *nl; /* struct mnl_socket * */
	int fd;	  /* for poll(2) */
};

typedef void (*gn_link_fn)(void *ctx, int ifindex, const char *ifname,
			   bool up);

/* Subscribes to RTMGRP_LINK. Negative errno. */
int gn_linkmon_open(struct gn_linkmon *m);
void gn_linkmon_close(struct gn_linkmon *m);
/* Reads what is pending (non-blocking) and calls fn for each link
 * message with its running state (IFF_RUNNING). Returns the number of
 * messages or a negative errno. */
int gn_linkmon_read(struct gn_linkmon *m, gn_link_fn fn, void *ctx);

#endif

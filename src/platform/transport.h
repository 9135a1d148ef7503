/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * transport.h - PTP network transports on Linux: UDP/IPv4, UDP/IPv6 and
 * raw Ethernet (ethertype 0x88F7), with software or hardware time
 * stamps (SO_TIMESTAMPING). Knows sockets and time stamps, not PTP
 * (beyond the two header fields it matches transmit stamps with).
 */
#ifndef GN_PLATFORM_TRANSPORT_H
#define GN_PLATFORM_TRANSPORT_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

enum gn_net_transport {
	GN_NET_UDPV4 = 0,
	GN_NET_UDPV6,
	GN_NET_L2,
};

/* ptp4l's time_stamping values. */
enum gn_ts_mode {
	GN_TS_SOFTWARE = 0,
	GN_TS_HARDWARE,
	GN_TS_LEGACY_HW,
	GN_TS_ONESTEP,
	GN_TS_P2P1STEP,
};

/* ptp4l's hwts_filter. */
enum gn_hwts_filter {
	GN_HWTS_FILTER_NORMAL = 0,
	GN_HWTS_FILTER_CHECK,
	GN_HWTS_FILTER_FULL,
};

struct gn_transport_config {
	char ifname[IF_NAMESIZE];
	enum gn_net_transport transport;
	enum gn_ts_mode ts_mode;
	enum gn_hwts_filter hwts_filter;
	bool p2p;    /* delay_mechanism P2P: the rx filter must pass Pdelay */
	int udp_ttl; /* IP TTL / hop limit of multicasts */
	int dscp_event;		/* 0..63 */
	int dscp_general;	/* 0..63 */
	int udp6_scope;		/* 0x0..0xF, the IPv6 multicast scope */
	int socket_priority;	/* SO_PRIORITY, 0..15 */
	uint8_t ptp_dst_mac[6]; /* L2 primary address */
	uint8_t p2p_dst_mac[6]; /* L2 peer-delay address */
	bool l2_vlan_ok;	/* nothing to do; VLAN devices just work */
};

/* Which socket a frame uses. L2 has only the event socket. */
enum gn_sock {
	GN_SOCK_EVENT = 0,
	GN_SOCK_GENERAL = 1,
};

struct gn_transport {
	struct gn_transport_config cfg;
	int ifindex;
	uint8_t mac[6];	 /* interface MAC (L2 source, clock identity) */
	int fd[2];	 /* GN_SOCK_EVENT, GN_SOCK_GENERAL (-1 for L2) */
	bool hw_enabled; /* SIOCSHWTSTAMP was applied (restored on close) */
	/* Saved hardware time stamping config, restored on close. */
	unsigned char saved_hwtstamp[16];
	bool have_saved_hwtstamp;
};

/* Defaults matching ptp4l's (TTL 1, scope 0xE, 01:1B:19:00:00:00 and
 * 01:80:C2:00:00:0E, software stamping, UDPv4). */
void gn_transport_config_default(struct gn_transport_config *cfg);

/*
 * Opens the sockets, binds them to the interface, joins the multicast
 * groups and enables time stamping (hardware: SIOCSHWTSTAMP first).
 * On failure writes a sentence naming the interface and the failing
 * step into err and returns a negative errno.
 */
int gn_transport_open(struct gn_transport *t,
		      const struct gn_transport_config *cfg, char *err,
		      size_t errlen);
/* Closes the sockets and restores the interface's hardware time
 * stamping configuration if this transport changed it. Idempotent. */
void gn_transport_close(struct gn_transport *t);

/*
 * Sends a PTP message (the PTP bytes only; the transport adds the
 * Ethernet/IP/UDP framing). event selects port 319 (event socket) or
 * 320; pdelay selects the peer-delay destination address. Returns the
 * number of bytes sent or a negative errno.
 */
ssize_t gn_transport_send(struct gn_transport *t, bool event, bool pdelay,
			  const void *buf, size_t len);

/*
 * After gn_transport_send() of an event message: waits at most
 * timeout_ms for its transmit time stamp on the error queue. Stamps of
 * other frames (not matching msg_type and sequence_id of the PTP header)
 * are discarded. Returns 0 and *ts, or -ETIMEDOUT, or a negative errno.
 */
int gn_transport_tx_timestamp(struct gn_transport *t, uint8_t msg_type,
			      uint16_t sequence_id, int timeout_ms,
			      struct timespec *ts);

/*
 * Receives one message from socket `which`. Returns the PTP payload
 * length (0 <= n <= len) and the receive time stamp (software:
 * CLOCK_REALTIME; hardware: the PHC's time). *have_ts is false when the
 * kernel gave no stamp. -EAGAIN when nothing is pending.
 */
ssize_t gn_transport_recv(struct gn_transport *t, enum gn_sock which, void *buf,
			  size_t len, struct timespec *ts, bool *have_ts);

/* The interface's PTP hardware clock index (ETHTOOL_GET_TS_INFO), or
 * -1 when it has none; negative errno on error. *caps gets the
 * SOF_TIMESTAMPING_* capability bits when caps is not NULL. */
int gn_interface_phc_index(const char *ifname, unsigned *caps);

/* Interface MAC address (for the clock identity). */
int gn_interface_mac(const char *ifname, uint8_t mac[6]);

/* The interface's index (SIOCGIFINDEX), or a negative errno. */
int gn_interface_index(const char *ifname);

/* IFF_RUNNING of the interface: 1 up, 0 down, negative errno. */
int gn_interface_link_up(const char *ifname);

/*
 * Discards every pending error queue entry (stale transmit stamps, e.g.
 * one that came after its gn_transport_tx_timestamp() timed out). Call
 * it when poll(2) reports POLLERR on a transport socket outside
 * gn_transport_tx_timestamp(): POLLERR stays set while the queue is not
 * empty. Returns the number of entries dropped.
 */
int gn_transport_flush_errqueue(struct gn_transport *t);

/*
 * Pure helpers, exposed for tests. gn_transport_l2_payload(): offset of
 * the payload of an Ethernet frame of type 0x88F7 after up to two VLAN
 * tags; -EPROTO for another ethertype, -EMSGSIZE when too short.
 * gn_transport_ptp_offset(): offset of the PTP message in a frame
 * looped back on the error queue (Ethernet, VLAN tags, then 0x88F7 or
 * IPv4/IPv6 + UDP; or a bare IP packet), with at least the 34 octets
 * of a PTP header after it; negative errno otherwise.
 */
int gn_transport_l2_payload(const uint8_t *frame, size_t len, size_t *off);
int gn_transport_ptp_offset(const uint8_t *frame, size_t len, size_t *off);

/* Converts a timespec to ns (no overflow for any realistic time). */
static inline int64_t gn_timespec_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * transport.c - PTP sockets on Linux: UDP/IPv4, UDP/IPv6 and raw
 * Ethernet (0x88F7), with SO_TIMESTAMPING software or hardware time
 * stamps, transmit stamps taken from the socket error queue.
 *
 * Must not: know PTP beyond messageType and sequenceId (read to match
 * transmit stamps), block anywhere except gn_transport_tx_timestamp()
 * (bounded by its timeout), trust a length from the kernel or the wire,
 * or touch any clock.
 */
#include "transport.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/errqueue.h>
#include <linux/ethtool.h>
#include <net/if_arp.h>
#include <linux/if_ether.h>
#include <linux/net_tstamp.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define PTP_EVENT_PORT	 319
#define PTP_GENERAL_PORT 320
#define PTP_HEADER_LEN	 34
#define PTP_SEQID_OFF	 30
#define ETH_HDR_LEN	 14
#define VLAN_TAG_LEN	 4
#define MAX_VLAN_TAGS	 2
/* Largest PTP payload sent: what fits in a 1500-octet Ethernet MTU. */
#define MAX_SEND_LEN 1500
/* Frames read per gn_transport_recv() call while skipping foreign ones;
 * error queue entries read per gn_transport_tx_timestamp() call. */
#define MAX_SKIPPED_FRAMES 32
#define MAX_ERRQUEUE_READS 64
#define RX_FRAME_BUF	   2048
#define CONTROL_BUF	   512

_Static_assert(sizeof(struct hwtstamp_config) <=
		   sizeof(((struct gn_transport *)0)->saved_hwtstamp),
	       "saved_hwtstamp too small for struct hwtstamp_config");

/* 224.0.1.129 and 224.0.0.107 */
static struct in_addr ipv4_group(bool pdelay)
{
	struct in_addr a;

	a.s_addr = htonl(pdelay ? 0xE000006BU : 0xE0000181U);
	return a;
}

/* Writes "ifname: step: strerror(e)" and returns -e. */
__attribute__((format(printf, 5, 6))) static int
fail(char *err, size_t errlen, const char *ifname, int e, const char *fmt, ...)
{
	char step[160];
	va_list ap;

	if (e <= 0)
		e = EIO;
	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(step, sizeof(step), fmt, ap);
		va_end(ap);
		snprintf(err, errlen, "%s: %s: %s", ifname, step, strerror(e));
	}
	return -e;
}

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static int set_int_opt(int fd, int level, int name, int value)
{
	if (setsockopt(fd, level, name, &value, sizeof(value)) < 0)
		return -errno;
	return 0;
}

/* Copies a validated interface name into an ifreq. */
static int ifreq_init(struct ifreq *ifr, const char *ifname)
{
	size_t n;

	if (!ifname)
		return -EINVAL;
	n = strnlen(ifname, IFNAMSIZ);
	if (n == 0 || n >= IFNAMSIZ)
		return -ENODEV;
	memset(ifr, 0, sizeof(*ifr));
	memcpy(ifr->ifr_name, ifname, n);
	return 0;
}

/*
 * socket() with close-on-exec set afterwards: clknetsim (the simulator
 * linuxptp's test suite runs on) accepts only the plain socket types.
 */
static int socket_cloexec(int domain, int type, int protocol)
{
	int fd = socket(domain, type, protocol);

	if (fd >= 0)
		(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	return fd;
}

/* Runs an interface ioctl on a throw-away socket. */
static int if_ioctl(unsigned long req, struct ifreq *ifr)
{
	int fd, rc = 0;

	fd = socket_cloexec(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, req, ifr) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

static int ts_info(const char *ifname, struct ethtool_ts_info *info)
{
	struct ifreq ifr;
	int rc;

	rc = ifreq_init(&ifr, ifname);
	if (rc)
		return rc;
	memset(info, 0, sizeof(*info));
	info->cmd = ETHTOOL_GET_TS_INFO;
	ifr.ifr_data = (void *)info;
	return if_ioctl(SIOCETHTOOL, &ifr);
}

int gn_interface_phc_index(const char *ifname, unsigned *caps)
{
	struct ethtool_ts_info info;
	int rc;

	rc = ts_info(ifname, &info);
	if (rc) {
		/* -1 means "no PHC": keep errors distinguishable. */
		return rc == -EPERM ? -EACCES : rc;
	}
	if (caps)
		*caps = info.so_timestamping;
	return info.phc_index < 0 ? -1 : info.phc_index;
}

int gn_interface_mac(const char *ifname, uint8_t mac[6])
{
	struct ifreq ifr;
	int rc;

	rc = ifreq_init(&ifr, ifname);
	if (rc)
		return rc;
	rc = if_ioctl(SIOCGIFHWADDR, &ifr);
	if (rc)
		return rc;
	/* Some simulated interfaces report family 0 with a real address. */
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER &&
	    ifr.ifr_hwaddr.sa_family != 0)
		return -EAFNOSUPPORT;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	if (ifr.ifr_hwaddr.sa_family == 0 &&
	    !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
		return -EAFNOSUPPORT;
	return 0;
}

/* SIOCGIFINDEX rather than if_nametoindex(): glibc's version uses
 * internal calls that an LD_PRELOAD simulator cannot see. */
int gn_interface_index(const char *ifname)
{
	struct ifreq ifr;
	int rc;

	rc = ifreq_init(&ifr, ifname);
	if (rc)
		return rc;
	rc = if_ioctl(SIOCGIFINDEX, &ifr);
	if (rc)
		return rc;
	return ifr.ifr_ifindex;
}

int gn_interface_link_up(const char *ifname)
{
	struct ifreq ifr;
	int rc;

	rc = ifreq_init(&ifr, ifname);
	if (rc)
		return rc;
	rc = if_ioctl(SIOCGIFFLAGS, &ifr);
	if (rc)
		return rc;
	return (ifr.ifr_flags & IFF_RUNNING) ? 1 : 0;
}

void gn_transport_config_default(struct gn_transport_config *cfg)
{
	static const uint8_t ptp_mac[6] = {0x01, 0x1B, 0x19, 0x00, 0x00, 0x00};
	static const uint8_t p2p_mac[6] = {0x01, 0x80, 0xC2, 0x00, 0x00, 0x0E};

	memset(cfg, 0, sizeof(*cfg));
	cfg->transport = GN_NET_UDPV4;
	cfg->ts_mode = GN_TS_SOFTWARE;
	cfg->hwts_filter = GN_HWTS_FILTER_NORMAL;
	cfg->udp_ttl = 1;
	cfg->udp6_scope = 0xE;
	memcpy(cfg->ptp_dst_mac, ptp_mac, 6);
	memcpy(cfg->p2p_dst_mac, p2p_mac, 6);
}

/* The IPv6 multicast destination: ff0X::181 or ff02::6b. */
static void ipv6_dest(const struct gn_transport *t, bool pdelay,
		      struct in6_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->s6_addr[0] = 0xFF;
	if (pdelay) {
		a->s6_addr[1] = 0x02;
		a->s6_addr[15] = 0x6B;
	} else {
		a->s6_addr[1] = (uint8_t)(t->cfg.udp6_scope & 0x0F);
		a->s6_addr[14] = 0x01;
		a->s6_addr[15] = 0x81;
	}
}

/* Interface- and link-local multicast need the interface as scope. */
static bool ipv6_needs_scope_id(const struct in6_addr *a)
{
	return (a->s6_addr[1] & 0x0F) <= 0x02;
}

static int check_config(const struct gn_transport_config *cfg)
{
	size_t n = strnlen(cfg->ifname, sizeof(cfg->ifname));

	if (n == 0 || n >= sizeof(cfg->ifname))
		return -ENODEV;
	if (cfg->transport < GN_NET_UDPV4 || cfg->transport > GN_NET_L2)
		return -EINVAL;
	if (cfg->ts_mode < GN_TS_SOFTWARE || cfg->ts_mode > GN_TS_P2P1STEP)
		return -EINVAL;
	if (cfg->hwts_filter < GN_HWTS_FILTER_NORMAL ||
	    cfg->hwts_filter > GN_HWTS_FILTER_FULL)
		return -EINVAL;
	if (cfg->udp_ttl < 1 || cfg->udp_ttl > 255)
		return -EINVAL;
	if (cfg->dscp_event < 0 || cfg->dscp_event > 63 ||
	    cfg->dscp_general < 0 || cfg->dscp_general > 63)
		return -EINVAL;
	if (cfg->udp6_scope < 0 || cfg->udp6_scope > 0xF)
		return -EINVAL;
	if (cfg->socket_priority < 0 || cfg->socket_priority > 15)
		return -EINVAL;
	return 0;
}

static const char *ipv4_name(const struct in_addr *a, char *buf, size_t len)
{
	if (!inet_ntop(AF_INET, a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

static const char *ipv6_name(const struct in6_addr *a, char *buf, size_t len)
{
	if (!inet_ntop(AF_INET6, a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

/* Options shared by the IPv4 and IPv6 UDP sockets, before bind(). */
static int udp_common(struct gn_transport *t, int fd, int port, char *err,
		      size_t errlen)
{
	const char *ifn = t->cfg.ifname;

	if (set_int_opt(fd, SOL_SOCKET, SO_REUSEADDR, 1))
		return fail(err, errlen, ifn, errno, "port %d: SO_REUSEADDR",
			    port);
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifn,
		       (socklen_t)strlen(ifn)) < 0)
		return fail(err, errlen, ifn, errno, "port %d: SO_BINDTODEVICE",
			    port);
	if (t->cfg.socket_priority > 0 &&
	    set_int_opt(fd, SOL_SOCKET, SO_PRIORITY, t->cfg.socket_priority))
		return fail(err, errlen, ifn, errno, "port %d: SO_PRIORITY %d",
			    port, t->cfg.socket_priority);
	return 0;
}

static int open_udp4(struct gn_transport *t, int port, int dscp, char *err,
		     size_t errlen)
{
	const struct in_addr groups[2] = {ipv4_group(false), ipv4_group(true)};
	const char *ifn = t->cfg.ifname;
	struct sockaddr_in sa;
	struct ip_mreqn mreq;
	char name[INET_ADDRSTRLEN];
	int fd, rc, i;

	fd = socket_cloexec(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	if (fd < 0)
		return fail(err, errlen, ifn, errno, "port %d: socket(AF_INET)",
			    port);
	rc = udp_common(t, fd, port, err, errlen);
	if (rc)
		goto out;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	sa.sin_port = htons((uint16_t)port);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rc = fail(err, errlen, ifn, errno, "bind UDP port %d", port);
		goto out;
	}
	if (set_int_opt(fd, IPPROTO_IP, IP_MULTICAST_TTL, t->cfg.udp_ttl)) {
		rc = fail(err, errlen, ifn, errno, "IP_MULTICAST_TTL %d",
			  t->cfg.udp_ttl);
		goto out;
	}
	memset(&mreq, 0, sizeof(mreq));
	mreq.imr_ifindex = t->ifindex;
	if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq, sizeof(mreq))) {
		rc = fail(err, errlen, ifn, errno, "IP_MULTICAST_IF");
		goto out;
	}
	for (i = 0; i < 2; i++) {
		mreq.imr_multiaddr = groups[i];
		if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq,
			       sizeof(mreq))) {
			rc = fail(err, errlen, ifn, errno,
				  "IP_ADD_MEMBERSHIP %s",
				  ipv4_name(&groups[i], name, sizeof(name)));
			goto out;
		}
	}
	if (set_int_opt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0)) {
		rc = fail(err, errlen, ifn, errno, "IP_MULTICAST_LOOP off");
		goto out;
	}
	/* Only the groups joined on this socket, not every socket's. */
	if (set_int_opt(fd, IPPROTO_IP, IP_MULTICAST_ALL, 0)) {
		rc = fail(err, errlen, ifn, errno, "IP_MULTICAST_ALL off");
		goto out;
	}
	if (dscp && set_int_opt(fd, IPPROTO_IP, IP_TOS, dscp << 2)) {
		rc = fail(err, errlen, ifn, errno, "IP_TOS (DSCP %d)", dscp);
		goto out;
	}
	return fd;
out:
	close(fd);
	return rc;
}

static int open_udp6(struct gn_transport *t, int port, int dscp, char *err,
		     size_t errlen)
{
	const char *ifn = t->cfg.ifname;
	struct sockaddr_in6 sa;
	struct ipv6_mreq mreq;
	char name[INET6_ADDRSTRLEN];
	int fd, rc, i;

	fd = socket_cloexec(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
	if (fd < 0)
		return fail(err, errlen, ifn, errno,
			    "port %d: socket(AF_INET6)", port);
	/* Leave the IPv4 port to a UDPv4 transport on another interface. */
	if (set_int_opt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1)) {
		rc =
		    fail(err, errlen, ifn, errno, "port %d: IPV6_V6ONLY", port);
		goto out;
	}
	rc = udp_common(t, fd, port, err, errlen);
	if (rc)
		goto out;
	memset(&sa, 0, sizeof(sa));
	sa.sin6_family = AF_INET6;
	sa.sin6_addr = in6addr_any;
	sa.sin6_port = htons((uint16_t)port);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rc = fail(err, errlen, ifn, errno, "bind UDP/IPv6 port %d",
			  port);
		goto out;
	}
	if (set_int_opt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS,
			t->cfg.udp_ttl)) {
		rc = fail(err, errlen, ifn, errno, "IPV6_MULTICAST_HOPS %d",
			  t->cfg.udp_ttl);
		goto out;
	}
	if (set_int_opt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, t->ifindex)) {
		rc = fail(err, errlen, ifn, errno, "IPV6_MULTICAST_IF");
		goto out;
	}
	for (i = 0; i < 2; i++) {
		memset(&mreq, 0, sizeof(mreq));
		ipv6_dest(t, i == 1, &mreq.ipv6mr_multiaddr);
		mreq.ipv6mr_interface = (unsigned)t->ifindex;
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mreq,
			       sizeof(mreq))) {
			rc = fail(err, errlen, ifn, errno, "IPV6_JOIN_GROUP %s",
				  ipv6_name(&mreq.ipv6mr_multiaddr, name,
					    sizeof(name)));
			goto out;
		}
	}
	if (set_int_opt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0)) {
		rc = fail(err, errlen, ifn, errno, "IPV6_MULTICAST_LOOP off");
		goto out;
	}
	if (set_int_opt(fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, 0)) {
		rc = fail(err, errlen, ifn, errno, "IPV6_MULTICAST_ALL off");
		goto out;
	}
	if (dscp && set_int_opt(fd, IPPROTO_IPV6, IPV6_TCLASS, dscp << 2)) {
		rc = fail(err, errlen, ifn, errno, "IPV6_TCLASS (DSCP %d)",
			  dscp);
		goto out;
	}
	return fd;
out:
	close(fd);
	return rc;
}

static const char *mac_name(const uint8_t *m, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		 m[3], m[4], m[5]);
	return buf;
}

static int open_l2(struct gn_transport *t, char *err, size_t errlen)
{
	const uint8_t *groups[2] = {t->cfg.ptp_dst_mac, t->cfg.p2p_dst_mac};
	const char *ifn = t->cfg.ifname;
	struct sockaddr_ll sll;
	struct packet_mreq mreq;
	char name[24];
	int fd, rc, i;

	/* Protocol 0 until bind(): no frames of other interfaces queue. */
	fd = socket_cloexec(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0)
		return fail(err, errlen, ifn, errno, "socket(AF_PACKET)");
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_1588);
	sll.sll_ifindex = t->ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		rc = fail(err, errlen, ifn, errno, "bind AF_PACKET 0x88F7");
		goto out;
	}
	for (i = 0; i < 2; i++) {
		memset(&mreq, 0, sizeof(mreq));
		mreq.mr_ifindex = t->ifindex;
		mreq.mr_type = PACKET_MR_MULTICAST;
		mreq.mr_alen = 6;
		memcpy(mreq.mr_address, groups[i], 6);
		if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mreq,
			       sizeof(mreq))) {
			rc = fail(err, errlen, ifn, errno,
				  "PACKET_ADD_MEMBERSHIP %s",
				  mac_name(groups[i], name, sizeof(name)));
			goto out;
		}
	}
	if (t->cfg.socket_priority > 0 &&
	    set_int_opt(fd, SOL_SOCKET, SO_PRIORITY, t->cfg.socket_priority)) {
		rc = fail(err, errlen, ifn, errno, "SO_PRIORITY %d",
			  t->cfg.socket_priority);
		goto out;
	}
	return fd;
out:
	close(fd);
	return rc;
}

static const char *filter_name(int f)
{
	switch (f) {
	case HWTSTAMP_FILTER_NONE:
		return "NONE";
	case HWTSTAMP_FILTER_ALL:
		return "ALL";
	case HWTSTAMP_FILTER_SOME:
		return "SOME";
	case HWTSTAMP_FILTER_PTP_V2_L4_EVENT:
		return "PTP_V2_L4_EVENT";
	case HWTSTAMP_FILTER_PTP_V2_L2_EVENT:
		return "PTP_V2_L2_EVENT";
	case HWTSTAMP_FILTER_PTP_V2_EVENT:
		return "PTP_V2_EVENT";
	default:
		return "other";
	}
}

static int hwtstamp_ioctl(int fd, const char *ifname, unsigned long req,
			  struct hwtstamp_config *hc)
{
	struct ifreq ifr;
	int rc;

	rc = ifreq_init(&ifr, ifname);
	if (rc)
		return rc;
	ifr.ifr_data = (void *)hc;
	if (ioctl(fd, req, &ifr) < 0)
		return -errno;
	return 0;
}

/*
 * Configures the NIC like ptp4l: the most general PTPv2 event filter,
 * else the one of this transport's layer (hwts_filter normal); the
 * filter already set (check); every packet (full). The previous
 * configuration is kept for gn_transport_close().
 */
static int hwts_setup(struct gn_transport *t, int fd, char *err, size_t errlen)
{
	const char *ifn = t->cfg.ifname;
	struct hwtstamp_config hc, prev;
	int tx_type, f1, f2, rc;

	switch (t->cfg.ts_mode) {
	case GN_TS_ONESTEP:
		tx_type = HWTSTAMP_TX_ONESTEP_SYNC;
		break;
	case GN_TS_P2P1STEP:
		tx_type = HWTSTAMP_TX_ONESTEP_P2P;
		break;
	default:
		tx_type = HWTSTAMP_TX_ON;
		break;
	}
	/* Both filters stamp every event message, Pdelay included, so p2p
	 * needs nothing more; the SYNC/DELAY_REQ-only filters are refused
	 * below. */
	f1 = HWTSTAMP_FILTER_PTP_V2_EVENT;
	f2 = t->cfg.transport == GN_NET_L2 ? HWTSTAMP_FILTER_PTP_V2_L2_EVENT
					   : HWTSTAMP_FILTER_PTP_V2_L4_EVENT;

	memset(&prev, 0, sizeof(prev));
	rc = hwtstamp_ioctl(fd, ifn, SIOCGHWTSTAMP, &prev);
	if (rc == 0) {
		memcpy(t->saved_hwtstamp, &prev, sizeof(prev));
		t->have_saved_hwtstamp = true;
	} else if (t->cfg.hwts_filter == GN_HWTS_FILTER_CHECK) {
		return fail(err, errlen, ifn, -rc,
			    "SIOCGHWTSTAMP (hwts_filter check)");
	}

	memset(&hc, 0, sizeof(hc));
	switch (t->cfg.hwts_filter) {
	case GN_HWTS_FILTER_CHECK:
		hc = prev;
		break;
	case GN_HWTS_FILTER_FULL:
		hc.tx_type = tx_type;
		hc.rx_filter = HWTSTAMP_FILTER_ALL;
		rc = hwtstamp_ioctl(fd, ifn, SIOCSHWTSTAMP, &hc);
		if (rc)
			return fail(err, errlen, ifn, -rc,
				    "SIOCSHWTSTAMP tx_type %d rx_filter ALL",
				    tx_type);
		t->hw_enabled = true;
		break;
	case GN_HWTS_FILTER_NORMAL:
		hc.tx_type = tx_type;
		hc.rx_filter = f1;
		rc = hwtstamp_ioctl(fd, ifn, SIOCSHWTSTAMP, &hc);
		if (rc) {
			memset(&hc, 0, sizeof(hc));
			hc.tx_type = tx_type;
			hc.rx_filter = f2;
			rc = hwtstamp_ioctl(fd, ifn, SIOCSHWTSTAMP, &hc);
		}
		if (rc)
			return fail(err, errlen, ifn, -rc,
				    "SIOCSHWTSTAMP tx_type %d rx_filter %s "
				    "or %s",
				    tx_type, filter_name(f1), filter_name(f2));
		t->hw_enabled = true;
		/* Drivers may answer SOME for "what you asked, and more". */
		if (hc.rx_filter == HWTSTAMP_FILTER_SOME)
			hc.rx_filter = f1;
		break;
	}
	if (hc.tx_type != tx_type ||
	    (hc.rx_filter != f1 && hc.rx_filter != f2 &&
	     hc.rx_filter != HWTSTAMP_FILTER_ALL))
		return fail(err, errlen, ifn, EOPNOTSUPP,
			    "hardware time stamping is tx_type %d rx_filter "
			    "%s (%d), needs tx_type %d and rx_filter %s, %s "
			    "or ALL",
			    hc.tx_type, filter_name(hc.rx_filter), hc.rx_filter,
			    tx_type, filter_name(f1), filter_name(f2));
	return 0;
}

static unsigned ts_flags(enum gn_ts_mode mode)
{
	switch (mode) {
	case GN_TS_SOFTWARE:
		return SOF_TIMESTAMPING_TX_SOFTWARE |
		       SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE;
	case GN_TS_LEGACY_HW:
		return SOF_TIMESTAMPING_TX_HARDWARE |
		       SOF_TIMESTAMPING_RX_HARDWARE |
		       SOF_TIMESTAMPING_SYS_HARDWARE;
	default:
		return SOF_TIMESTAMPING_TX_HARDWARE |
		       SOF_TIMESTAMPING_RX_HARDWARE |
		       SOF_TIMESTAMPING_RAW_HARDWARE;
	}
}

/* Which of the three SCM_TIMESTAMPING stamps this mode reports. */
static int ts_index(enum gn_ts_mode mode)
{
	switch (mode) {
	case GN_TS_SOFTWARE:
		return 0;
	case GN_TS_LEGACY_HW:
		return 1;
	default:
		return 2;
	}
}

/* Refuses a mode the interface says it cannot do (ptp4l does too). */
static int check_caps(struct gn_transport *t, char *err, size_t errlen)
{
	const char *ifn = t->cfg.ifname;
	unsigned caps = 0, need;
	int rc;

	rc = gn_interface_phc_index(ifn, &caps);
	if (rc < -1)
		return 0; /* no ethtool answer: let the kernel decide */
	need = ts_flags(t->cfg.ts_mode);
	if ((caps & need) == need)
		return 0;
	if (t->cfg.ts_mode == GN_TS_SOFTWARE)
		return fail(err, errlen, ifn, EOPNOTSUPP,
			    "no software time stamping (ethtool time "
			    "stamping capabilities 0x%x, need 0x%x)",
			    caps, need);
	return fail(err, errlen, ifn, EOPNOTSUPP,
		    "no hardware time stamping (ethtool time stamping "
		    "capabilities 0x%x, need 0x%x)",
		    caps, need);
}

static int timestamping_setup(struct gn_transport *t, int fd, char *err,
			      size_t errlen)
{
	const char *ifn = t->cfg.ifname;
	int rc;

	rc = check_caps(t, err, errlen);
	if (rc)
		return rc;
	if (t->cfg.ts_mode != GN_TS_SOFTWARE) {
		rc = hwts_setup(t, fd, err, errlen);
		if (rc)
			return rc;
	}
	if (set_int_opt(fd, SOL_SOCKET, SO_TIMESTAMPING,
			(int)ts_flags(t->cfg.ts_mode)))
		return fail(err, errlen, ifn, errno, "SO_TIMESTAMPING 0x%x",
			    ts_flags(t->cfg.ts_mode));
	/* Error queue readiness also as POLLPRI; POLLERR works without. */
	(void)set_int_opt(fd, SOL_SOCKET, SO_SELECT_ERR_QUEUE, 1);
	return 0;
}

int gn_transport_open(struct gn_transport *t,
		      const struct gn_transport_config *cfg, char *err,
		      size_t errlen)
{
	const char *ifn;
	int rc, fd;

	memset(t, 0, sizeof(*t));
	t->fd[GN_SOCK_EVENT] = -1;
	t->fd[GN_SOCK_GENERAL] = -1;
	if (err && errlen)
		err[0] = '\0';
	if (!cfg)
		return -EINVAL;
	t->cfg = *cfg;
	ifn = t->cfg.ifname;
	rc = check_config(cfg);
	if (rc) {
		/* ifname may be unterminated here: print a safe copy. */
		char name[IF_NAMESIZE];

		memcpy(name, cfg->ifname, sizeof(name));
		name[sizeof(name) - 1] = '\0';
		return fail(err, errlen, name, -rc, "transport configuration");
	}
	rc = gn_interface_index(ifn);
	if (rc <= 0)
		return fail(err, errlen, ifn, rc == 0 ? ENODEV : -rc,
			    "interface index");
	t->ifindex = rc;
	rc = gn_interface_mac(ifn, t->mac);
	if (rc && t->cfg.transport == GN_NET_L2)
		return fail(err, errlen, ifn, -rc,
			    "Ethernet address (SIOCGIFHWADDR)");
	if (rc)
		memset(t->mac, 0, sizeof(t->mac));

	switch (t->cfg.transport) {
	case GN_NET_UDPV4:
		fd = open_udp4(t, PTP_EVENT_PORT, cfg->dscp_event, err, errlen);
		if (fd < 0)
			return fd;
		t->fd[GN_SOCK_EVENT] = fd;
		fd = open_udp4(t, PTP_GENERAL_PORT, cfg->dscp_general, err,
			       errlen);
		break;
	case GN_NET_UDPV6:
		fd = open_udp6(t, PTP_EVENT_PORT, cfg->dscp_event, err, errlen);
		if (fd < 0)
			return fd;
		t->fd[GN_SOCK_EVENT] = fd;
		fd = open_udp6(t, PTP_GENERAL_PORT, cfg->dscp_general, err,
			       errlen);
		break;
	default:
		fd = open_l2(t, err, errlen);
		if (fd < 0)
			return fd;
		t->fd[GN_SOCK_EVENT] = fd;
		fd = -1;
		break;
	}
	if (fd < 0 && t->cfg.transport != GN_NET_L2) {
		rc = fd;
		goto out;
	}
	t->fd[GN_SOCK_GENERAL] = fd;
	rc = timestamping_setup(t, t->fd[GN_SOCK_EVENT], err, errlen);
	if (rc)
		goto out;
	return 0;
out:
	gn_transport_close(t);
	return rc;
}

void gn_transport_close(struct gn_transport *t)
{
	struct hwtstamp_config hc;
	int i;

	if (t->hw_enabled && t->have_saved_hwtstamp &&
	    t->fd[GN_SOCK_EVENT] >= 0) {
		memcpy(&hc, t->saved_hwtstamp, sizeof(hc));
		(void)hwtstamp_ioctl(t->fd[GN_SOCK_EVENT], t->cfg.ifname,
				     SIOCSHWTSTAMP, &hc);
	}
	t->hw_enabled = false;
	t->have_saved_hwtstamp = false;
	for (i = 0; i < 2; i++) {
		if (t->fd[i] >= 0)
			close(t->fd[i]);
		t->fd[i] = -1;
	}
}

ssize_t gn_transport_send(struct gn_transport *t, bool event, bool pdelay,
			  const void *buf, size_t len)
{
	static const uint8_t pad[2];
	union {
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
		struct sockaddr_ll ll;
	} dst;
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	uint8_t eth[ETH_HDR_LEN];
	struct iovec iov[2];
	struct msghdr msg;
	size_t extra = 0;
	ssize_t n;
	int fd;

	if (!buf || len == 0)
		return -EINVAL;
	if (len > MAX_SEND_LEN)
		return -EMSGSIZE;
	fd = t->fd[event || t->cfg.transport == GN_NET_L2 ? GN_SOCK_EVENT
							  : GN_SOCK_GENERAL];
	if (fd < 0)
		return -EBADF;
	memset(&dst, 0, sizeof(dst));
	memset(&msg, 0, sizeof(msg));
	msg.msg_name = &dst;
	msg.msg_iov = iov;
	msg.msg_iovlen = 1;
	iov[0].iov_base = (void *)buf;
	iov[0].iov_len = len;

	switch (t->cfg.transport) {
	case GN_NET_UDPV4:
		dst.in.sin_family = AF_INET;
		dst.in.sin_addr = ipv4_group(pdelay);
		dst.in.sin_port =
		    htons(event ? PTP_EVENT_PORT : PTP_GENERAL_PORT);
		msg.msg_namelen = sizeof(dst.in);
		break;
	case GN_NET_UDPV6:
		dst.in6.sin6_family = AF_INET6;
		ipv6_dest(t, pdelay, &dst.in6.sin6_addr);
		if (ipv6_needs_scope_id(&dst.in6.sin6_addr))
			dst.in6.sin6_scope_id = (uint32_t)t->ifindex;
		dst.in6.sin6_port =
		    htons(event ? PTP_EVENT_PORT : PTP_GENERAL_PORT);
		msg.msg_namelen = sizeof(dst.in6);
		/* Two octets after the message for UDP checksum correction
		 * (1588 Annex E, as ptp4l does). */
		iov[1].iov_base = (void *)pad;
		iov[1].iov_len = sizeof(pad);
		msg.msg_iovlen = 2;
		extra = sizeof(pad);
		break;
	case GN_NET_L2: {
		const uint8_t *to =
		    pdelay ? t->cfg.p2p_dst_mac : t->cfg.ptp_dst_mac;
		struct cmsghdr *cm;

		memcpy(eth, to, 6);
		memcpy(eth + 6, t->mac, 6);
		eth[12] = ETH_P_1588 >> 8;
		eth[13] = ETH_P_1588 & 0xFF;
		iov[0].iov_base = eth;
		iov[0].iov_len = sizeof(eth);
		iov[1].iov_base = (void *)buf;
		iov[1].iov_len = len;
		msg.msg_iovlen = 2;
		extra = sizeof(eth);
		dst.ll.sll_family = AF_PACKET;
		dst.ll.sll_protocol = htons(ETH_P_1588);
		dst.ll.sll_ifindex = t->ifindex;
		dst.ll.sll_halen = 6;
		memcpy(dst.ll.sll_addr, to, 6);
		msg.msg_namelen = sizeof(dst.ll);
		if (!event) {
			/* One socket for both classes: no transmit stamp
			 * for a general message, so none is left queued. */
			memset(&control, 0, sizeof(control));
			msg.msg_control = control.buf;
			msg.msg_controllen = sizeof(control.buf);
			cm = CMSG_FIRSTHDR(&msg);
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SO_TIMESTAMPING;
			cm->cmsg_len = CMSG_LEN(sizeof(int));
			memset(CMSG_DATA(cm), 0, sizeof(int));
		}
		break;
	}
	}
	n = sendmsg(fd, &msg, MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	if ((size_t)n != len + extra)
		return -EIO;
	return (ssize_t)len;
}

/* Skips 802.1Q / 802.1ad tags; returns the offset of the ethertype. */
static size_t skip_vlan_tags(const uint8_t *f, size_t len)
{
	size_t off = 12;
	int i;

	for (i = 0; i < MAX_VLAN_TAGS && off + 2 <= len; i++) {
		uint16_t type = get_be16(f + off);

		if (type != ETH_P_8021Q && type != ETH_P_8021AD)
			break;
		off += VLAN_TAG_LEN;
	}
	return off;
}

int gn_transport_l2_payload(const uint8_t *frame, size_t len, size_t *off)
{
	size_t type_off;

	if (!frame || len < ETH_HDR_LEN)
		return -EMSGSIZE;
	type_off = skip_vlan_tags(frame, len);
	if (type_off + 2 > len)
		return -EMSGSIZE;
	if (get_be16(frame + type_off) != ETH_P_1588)
		return -EPROTO;
	*off = type_off + 2;
	return 0;
}

/* Offset of the UDP payload of an IP packet at p, or negative. */
static long udp_payload_offset(const uint8_t *p, size_t len)
{
	size_t ihl;

	if (len < 1)
		return -EMSGSIZE;
	switch (p[0] >> 4) {
	case 4:
		if (len < 20)
			return -EMSGSIZE;
		ihl = (size_t)(p[0] & 0x0F) * 4;
		if (ihl < 20 || p[9] != IPPROTO_UDP)
			return -EPROTO;
		/* A fragment that is not the first has no UDP header. */
		if ((get_be16(p + 6) & 0x1FFF) != 0)
			return -EPROTO;
		if (ihl + 8 > len)
			return -EMSGSIZE;
		return (long)(ihl + 8);
	case 6:
		if (len < 40)
			return -EMSGSIZE;
		if (p[6] != IPPROTO_UDP)
			return -EPROTO; /* extension headers: not ours */
		if (40 + 8 > len)
			return -EMSGSIZE;
		return 40 + 8;
	default:
		return -EPROTO;
	}
}

int gn_transport_ptp_offset(const uint8_t *frame, size_t len, size_t *off)
{
	size_t type_off, start = 0;
	long l3 = -EPROTO;
	uint16_t type;

	if (!frame)
		return -EINVAL;
	/* The copy is taken at the driver: an Ethernet frame. */
	if (len >= ETH_HDR_LEN) {
		type_off = skip_vlan_tags(frame, len);
		if (type_off + 2 <= len) {
			type = get_be16(frame + type_off);
			start = type_off + 2;
			if (type == ETH_P_1588) {
				l3 = 0;
			} else if (type == ETH_P_IP || type == ETH_P_IPV6) {
				l3 = udp_payload_offset(frame + start,
							len - start);
			}
		}
	}
	/* Devices without a link-layer header hand back the IP packet. */
	if (l3 < 0) {
		start = 0;
		l3 = udp_payload_offset(frame, len);
	}
	if (l3 < 0)
		return (int)l3;
	if (start + (size_t)l3 + PTP_HEADER_LEN > len)
		return -EMSGSIZE;
	*off = start + (size_t)l3;
	return 0;
}

/* Pulls the stamp this mode uses out of a message's control data. */
static bool find_stamp(struct msghdr *msg, enum gn_ts_mode mode,
		       struct timespec *ts)
{
	struct timespec stamps[3];
	struct cmsghdr *cm;
	int i = ts_index(mode);

	for (cm = CMSG_FIRSTHDR(msg); cm; cm = CMSG_NXTHDR(msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET ||
		    cm->cmsg_type != SO_TIMESTAMPING)
			continue;
		if (cm->cmsg_len < CMSG_LEN(sizeof(stamps)))
			continue;
		memcpy(stamps, CMSG_DATA(cm), sizeof(stamps));
		if (stamps[i].tv_sec == 0 && stamps[i].tv_nsec == 0)
			continue;
		if (stamps[i].tv_nsec < 0 || stamps[i].tv_nsec >= 1000000000)
			continue;
		*ts = stamps[i];
		return true;
	}
	return false;
}

static int64_t monotonic_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* Reads one error queue entry; 1 if it is the wanted stamp. */
static int read_errqueue(struct gn_transport *t, int fd, uint8_t msg_type,
			 uint16_t sequence_id, struct timespec *ts)
{
	union {
		char buf[CONTROL_BUF];
		struct cmsghdr align;
	} control;
	uint8_t data[RX_FRAME_BUF];
	struct iovec iov = {data, sizeof(data)};
	struct msghdr msg;
	struct timespec stamp;
	size_t off, n;
	ssize_t got;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.buf;
	msg.msg_controllen = sizeof(control.buf);
	got = recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
	if (got < 0)
		return -errno;
	n = (size_t)got > sizeof(data) ? sizeof(data) : (size_t)got;
	if (!find_stamp(&msg, t->cfg.ts_mode, &stamp))
		return 0;
	if (gn_transport_ptp_offset(data, n, &off))
		return 0;
	if ((data[off] & 0x0F) != msg_type ||
	    get_be16(data + off + PTP_SEQID_OFF) != sequence_id)
		return 0;
	*ts = stamp;
	return 1;
}

int gn_transport_tx_timestamp(struct gn_transport *t, uint8_t msg_type,
			      uint16_t sequence_id, int timeout_ms,
			      struct timespec *ts)
{
	int fd = t->fd[GN_SOCK_EVENT];
	int64_t deadline_ms;
	int reads = 0, rc;

	if (fd < 0)
		return -EBADF;
	if (timeout_ms < 0)
		timeout_ms = 0;
	deadline_ms = monotonic_ms() + timeout_ms;
	for (;;) {
		struct pollfd pfd = {.fd = fd, .events = POLLPRI};
		int64_t left = deadline_ms - monotonic_ms();

		/* Drain what is there first, then wait for more. */
		while (reads < MAX_ERRQUEUE_READS) {
			rc = read_errqueue(t, fd, msg_type, sequence_id, ts);
			if (rc == 1)
				return 0;
			if (rc == -EAGAIN || rc == -EWOULDBLOCK)
				break;
			if (rc < 0 && rc != -EINTR)
				return rc;
			reads++;
		}
		if (left <= 0 || reads >= MAX_ERRQUEUE_READS)
			return -ETIMEDOUT;
		rc = poll(&pfd, 1, (int)left);
		if (rc < 0 && errno != EINTR)
			return -errno;
		if (rc > 0 && (pfd.revents & (POLLERR | POLLPRI))) {
			int soerr;
			socklen_t sl = sizeof(soerr);

			/* POLLERR also reports a pending socket error: clear
			 * it, or poll() would return at once until the end. */
			(void)getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
		}
	}
}

int gn_transport_flush_errqueue(struct gn_transport *t)
{
	struct timespec ts;
	int n = 0, i, rc;

	for (i = 0; i < 2; i++) {
		if (t->fd[i] < 0)
			continue;
		while (n < MAX_ERRQUEUE_READS) {
			/* msg_type 0xFF matches nothing (a nibble): drops. */
			rc = read_errqueue(t, t->fd[i], 0xFF, 0, &ts);
			if (rc < 0 && rc != -EINTR)
				break;
			n++;
		}
	}
	return n;
}

ssize_t gn_transport_recv(struct gn_transport *t, enum gn_sock which, void *buf,
			  size_t len, struct timespec *ts, bool *have_ts)
{
	union {
		char buf[CONTROL_BUF];
		struct cmsghdr align;
	} control;
	uint8_t frame[RX_FRAME_BUF];
	struct sockaddr_ll from;
	struct iovec iov;
	struct msghdr msg;
	size_t n, off;
	ssize_t got;
	bool l2 = t->cfg.transport == GN_NET_L2;
	int fd, i;

	if (which != GN_SOCK_EVENT && which != GN_SOCK_GENERAL)
		return -EINVAL;
	fd = t->fd[which];
	if (fd < 0)
		return -EBADF;
	if (!buf && len)
		return -EINVAL;
	*have_ts = false;
	for (i = 0; i < MAX_SKIPPED_FRAMES; i++) {
		memset(&msg, 0, sizeof(msg));
		if (l2) {
			iov.iov_base = frame;
			iov.iov_len = sizeof(frame);
			msg.msg_name = &from;
			msg.msg_namelen = sizeof(from);
		} else {
			iov.iov_base = buf;
			iov.iov_len = len;
		}
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = control.buf;
		msg.msg_controllen = sizeof(control.buf);
		got = recvmsg(fd, &msg, MSG_DONTWAIT);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (msg.msg_flags & MSG_TRUNC)
			continue; /* larger than any PTP message we accept */
		n = (size_t)got > iov.iov_len ? iov.iov_len : (size_t)got;
		if (l2) {
			if (msg.msg_namelen >= sizeof(from) &&
			    (from.sll_pkttype == PACKET_OUTGOING ||
			     from.sll_pkttype == PACKET_OTHERHOST))
				continue; /* ours, or another host's / VLAN's */
			if (gn_transport_l2_payload(frame, n, &off))
				continue;
			if (n - off > len)
				continue;
			memcpy(buf, frame + off, n - off);
			n -= off;
		}
		*have_ts = find_stamp(&msg, t->cfg.ts_mode, ts);
		return (ssize_t)n;
	}
	return -EAGAIN;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_frames.c - the transport's frame parsers on synthetic frames:
 * where the payload of a received 0x88F7 frame starts (with and without
 * VLAN tags), and where the PTP message is in a frame looped back on
 * the error queue (Ethernet / VLAN / IPv4 with options / IPv6 / bare
 * IP), with every truncation refused. No sockets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "transport.h"

#define PTP_LEN 44

static size_t put_eth(uint8_t *f, const uint16_t *types, int ntypes)
{
	size_t off = 12;
	int i;

	memset(f, 0, 12);
	f[0] = 0x01;
	f[1] = 0x1B;
	f[2] = 0x19;
	f[6] = 0x02;
	f[11] = 0xA1;
	for (i = 0; i < ntypes; i++) {
		f[off] = (uint8_t)(types[i] >> 8);
		f[off + 1] = (uint8_t)types[i];
		off += 2;
		if (i + 1 < ntypes) {
			/* TCI: PCP 3, VID 10 */
			f[off] = 0x60;
			f[off + 1] = 0x0A;
			off += 2;
		}
	}
	return off;
}

static size_t put_ptp(uint8_t *p, uint8_t type, uint16_t seq)
{
	memset(p, 0, PTP_LEN);
	p[0] = type;
	p[1] = 2;
	p[3] = PTP_LEN;
	p[30] = (uint8_t)(seq >> 8);
	p[31] = (uint8_t)seq;
	return PTP_LEN;
}

static size_t put_ipv4(uint8_t *p, int ihl_words, uint8_t proto)
{
	memset(p, 0, (size_t)ihl_words * 4);
	p[0] = (uint8_t)(0x40 | ihl_words);
	p[8] = 1;
	p[9] = proto;
	p[12] = 10; /* source 10.77.0.1: not an ethertype by accident */
	p[13] = 77;
	return (size_t)ihl_words * 4;
}

static size_t put_udp(uint8_t *p, uint16_t port)
{
	memset(p, 0, 8);
	p[2] = (uint8_t)(port >> 8);
	p[3] = (uint8_t)port;
	return 8;
}

static void test_l2_payload(void **state)
{
	static const uint16_t plain[] = {0x88F7};
	static const uint16_t one_tag[] = {0x8100, 0x88F7};
	static const uint16_t qinq[] = {0x88A8, 0x8100, 0x88F7};
	static const uint16_t three[] = {0x88A8, 0x8100, 0x8100, 0x88F7};
	static const uint16_t ipv4[] = {0x0800};
	static const uint16_t tag_ipv4[] = {0x8100, 0x0800};
	uint8_t f[128];
	size_t off = 99, n;

	(void)state;
	n = put_eth(f, plain, 1);
	n += put_ptp(f + n, 0, 1);
	assert_int_equal(gn_transport_l2_payload(f, n, &off), 0);
	assert_int_equal(off, 14);

	n = put_eth(f, one_tag, 2);
	n += put_ptp(f + n, 0, 1);
	assert_int_equal(gn_transport_l2_payload(f, n, &off), 0);
	assert_int_equal(off, 18);

	n = put_eth(f, qinq, 3);
	n += put_ptp(f + n, 0, 1);
	assert_int_equal(gn_transport_l2_payload(f, n, &off), 0);
	assert_int_equal(off, 22);

	/* At most two tags are skipped. */
	n = put_eth(f, three, 4);
	n += put_ptp(f + n, 0, 1);
	off = 99;
	assert_int_equal(gn_transport_l2_payload(f, n, &off), -EPROTO);
	assert_int_equal(off, 99);

	n = put_eth(f, ipv4, 1);
	assert_int_equal(gn_transport_l2_payload(f, n + 20, &off), -EPROTO);
	n = put_eth(f, tag_ipv4, 2);
	assert_int_equal(gn_transport_l2_payload(f, n + 20, &off), -EPROTO);

	/* Truncations: no header, a tag without its inner type. */
	n = put_eth(f, plain, 1);
	assert_int_equal(gn_transport_l2_payload(f, 13, &off), -EMSGSIZE);
	assert_int_equal(gn_transport_l2_payload(f, 14, &off), 0);
	assert_int_equal(off, 14); /* an empty payload is the caller's */
	n = put_eth(f, one_tag, 2);
	assert_int_equal(gn_transport_l2_payload(f, 16, &off), -EMSGSIZE);
	assert_int_equal(gn_transport_l2_payload(f, 17, &off), -EMSGSIZE);
	assert_int_equal(gn_transport_l2_payload(NULL, 64, &off), -EMSGSIZE);
}

static void test_ptp_offset_ethernet(void **state)
{
	static const uint16_t plain[] = {0x88F7};
	static const uint16_t tagged[] = {0x8100, 0x88F7};
	uint8_t f[160];
	size_t off = 0, n;

	(void)state;
	n = put_eth(f, plain, 1);
	n += put_ptp(f + n, 0, 7);
	assert_int_equal(gn_transport_ptp_offset(f, n, &off), 0);
	assert_int_equal(off, 14);
	/* Ethernet padding after the message is fine. */
	assert_int_equal(gn_transport_ptp_offset(f, n + 2, &off), 0);
	assert_int_equal(off, 14);
	/* The 34-octet header must be there. */
	assert_int_equal(gn_transport_ptp_offset(f, 14 + 34, &off), 0);
	assert_int_equal(gn_transport_ptp_offset(f, 14 + 33, &off), -EMSGSIZE);

	n = put_eth(f, tagged, 2);
	n += put_ptp(f + n, 0, 7);
	assert_int_equal(gn_transport_ptp_offset(f, n, &off), 0);
	assert_int_equal(off, 18);
}

static void test_ptp_offset_ip(void **state)
{
	static const uint16_t ipv4[] = {0x0800};
	static const uint16_t tag_ipv4[] = {0x8100, 0x0800};
	static const uint16_t ipv6[] = {0x86DD};
	uint8_t f[200];
	size_t off = 0, n;

	(void)state;
	/* Ethernet + IPv4 (20) + UDP (8) */
	n = put_eth(f, ipv4, 1);
	n += put_ipv4(f + n, 5, 17);
	n += put_udp(f + n, 319);
	n += put_ptp(f + n, 0, 7);
	assert_int_equal(gn_transport_ptp_offset(f, n, &off), 0);
	assert_int_equal(off, 42);
	assert_int_equal(gn_transport_ptp_offset(f, 42 + 33, &off), -EMSGSIZE);

	/* IPv4 with 4 octets of options, behind a VLAN tag */
	n = put_eth(f, tag_ipv4, 2);
	n += put_ipv4(f + n, 6, 17);
	n += put_udp(f + n, 319);
	n += put_ptp(f + n, 0, 7);
	assert_int_equal(gn_transport_ptp_offset(f, n, &off), 0);
	assert_int_equal(off, 18 + 24 + 8);

	/* Not UDP, a bad IHL, a later fragment: no PTP to be found. */
	n = put_eth(f, ipv4, 1);
	n += put_ipv4(f + n, 5, 6);
	n += put_udp(f + n, 319);
	n += put_ptp(f + n, 0, 7);
	assert_true(gn_transport_ptp_offset(f, n, &off) < 0);
	f[14] = 0x44; /* IHL 4 */
	f[23] = 17;
	assert_true(gn_transport_ptp_offset(f, n, &off) < 0);
	f[14] = 0x45;
	f[14 + 7] = 0x10; /* fragment offset 16 */
	assert_true(gn_transport_ptp_offset(f, n, &off) < 0);
	f[14 + 7] = 0;
	f[14 + 6] = 0x20; /* more fragments, offset 0: the first one */
	assert_int_equal(gn_transport_ptp_offset(f, n, &off), 0);
	assert_int_equal(off, 42);
	/* IHL 15 (60 octets) runs past the frame. */
	f[14] = 0x4F;
	assert_true(gn_transport_ptp_offset(f, 14 + 60, &off) < 0);

	/* Ethernet + IPv6 (40) + UDP (8) */
	n = put_eth(f, ipv6, 1);
	memset(f + n, 0, 40);
	f[n] = 0x60;
	f[n + 6] = 17;
	f[n + 7] = 1;
	n += 40;
	n += put_udp(f + n, 319);
	n += put_ptp(f + n, 0, 7);
	assert_int_equal(gn_transport_ptp_offset(f, n, &off), 0);
	assert_int_equal(off, 62);
	/* An extension header (hop-by-hop, 0) is not followed. */
	f[14 + 6] = 0;
	assert_true(gn_transport_ptp_offset(f, n, &off) < 0);

	/* A bare IPv4 packet (device without link-layer header). */
	n = put_ipv4(f, 5, 17);
	n += put_udp(f + n, 319);
	n += put_ptp(f + n, 0, 7);
	assert_int_equal(gn_transport_ptp_offset(f, n, &off), 0);
	assert_int_equal(off, 28);

	/* Short or empty input. */
	assert_true(gn_transport_ptp_offset(f, 0, &off) < 0);
	assert_true(gn_transport_ptp_offset(f, 10, &off) < 0);
	assert_int_equal(gn_transport_ptp_offset(NULL, 10, &off), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_l2_payload),
	    cmocka_unit_test(test_ptp_offset_ethernet),
	    cmocka_unit_test(test_ptp_offset_ip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

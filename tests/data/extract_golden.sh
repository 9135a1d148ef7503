#!/bin/sh
# extract_golden.sh - turns the captures of capture_golden.sh into the
# golden files of tests/data/: NAME.hex (a comment line, then the PTP
# payload of one message as one hex string) and NAME.tshark.txt (tshark -V
# of the same message: where the tests' expected values come from).
#   tests/data/extract_golden.sh WORKDIR
set -eu
work=${1:?usage: $0 WORKDIR}
out=$(cd "$(dirname "$0")" && pwd)
ver=$(ptp4l -v 2>/dev/null)

# one NAME RUN FILTER HOW: the last message that matches (sequenceId > 0)
one() {
	name=$1 run=$2 filter=$3 how=$4
	n=$(tshark -r "$work/$run.pcap" -Y "$filter" -T fields \
		-e frame.number 2>/dev/null | tail -1)
	[ -n "$n" ] || { echo "no match for $name: $filter" >&2; exit 1; }
	hex=$(tshark -r "$work/$run.pcap" -Y "frame.number == $n" -T json -x \
		2>/dev/null | grep -A1 '"ptp_raw"' | sed -n 2p | tr -d ' ",')
	{
		echo "# linuxptp ptp4l $ver, $how; run $run frame $n"
		echo "$hex"
	} >"$out/$name.hex"
	tshark -r "$work/$run.pcap" -Y "frame.number == $n" -V 2>/dev/null |
		sed -n '/^Precision Time Protocol/,$p' >"$out/$name.tshark.txt"
}

E2E="E2E, -S -4 (UDP/IPv4), master and slave in netns over veth"
L2="E2E, -S -2 (Ethernet 0x88F7)"
P2P="peer delay, -S -4 -P"
UNI="unicast negotiation, -S -4, slave with unicast_master_table"
GPTP="gPTP profile (linuxptp's gPTP.cfg), -S, L2 P2P transportSpecific 1"
M=ptp.v2.messagetype
one ptp4l_sync udp_e2e "$M == 0x0" "$E2E"
one ptp4l_follow_up udp_e2e "$M == 0x8" "$E2E"
one ptp4l_delay_req udp_e2e "$M == 0x1" "$E2E"
one ptp4l_delay_resp udp_e2e "$M == 0x9" "$E2E"
one ptp4l_announce udp_e2e "$M == 0xb" "$E2E"
one ptp4l_mgmt_get_udp udp_e2e "$M == 0xd && ptp.v2.mm.action == 0" \
	"pmc -4 -b 0 'GET DEFAULT_DATA_SET' from the slave namespace"
one ptp4l_mgmt_resp_udp udp_e2e "$M == 0xd && ptp.v2.mm.action == 2" \
	"master's answer to pmc -4 -b 0 'GET DEFAULT_DATA_SET'"
one ptp4l_l2_sync l2_e2e "$M == 0x0" "$L2"
one ptp4l_l2_delay_req l2_e2e "$M == 0x1" "$L2"
one ptp4l_pdelay_req udp_p2p "$M == 0x2" "$P2P"
one ptp4l_pdelay_resp udp_p2p "$M == 0x3" "$P2P"
one ptp4l_pdelay_resp_fup udp_p2p "$M == 0xa" "$P2P"
one ptp4l_signaling_req udp_unicast "$M == 0xc && ip.src == 10.213.0.2" "$UNI"
one ptp4l_signaling_grant udp_unicast "$M == 0xc && ip.src == 10.213.0.1" "$UNI"
one ptp4l_gptp_follow_up gptp "$M == 0x8" "$GPTP"
one ptp4l_gptp_announce gptp "$M == 0xb" "$GPTP"
one ptp4l_gptp_pdelay_req gptp "$M == 0x2" "$GPTP"

# pmc -u over the master's Unix socket, recorded by strace: sendto is the
# GET, recvfrom the RESPONSE. tshark sees them wrapped in UDP by text2pcap.
uds() {
	name=$1 call=$2 how=$3
	hex=$(grep " $call(" "$work/uds.strace" | head -1 |
		sed 's/^[^"]*"\([^"]*\)".*/\1/; s/\\x//g')
	{
		echo "# linuxptp pmc $ver, $how; strace of pmc"
		echo "$hex"
	} >"$out/$name.hex"
	echo "$hex" | sed 's/../& /g; s/^/000000 /' |
		text2pcap -q -u 320,320 - "$work/$name.pcap" >/dev/null 2>&1
	tshark -r "$work/$name.pcap" -V 2>/dev/null |
		sed -n '/^Precision Time Protocol/,$p' >"$out/$name.tshark.txt"
}
uds ptp4l_mgmt_get sendto "pmc -u -b 0 'GET DEFAULT_DATA_SET' to ptp4l's UDS"
uds ptp4l_mgmt_resp recvfrom "ptp4l's RESPONSE over its UDS"
ls "$out"/*.hex | wc -l

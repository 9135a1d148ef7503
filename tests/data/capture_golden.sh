#!/bin/sh
# capture_golden.sh - regenerates the golden captures in tests/data/ from a
# real linuxptp ptp4l (Debian's /usr/sbin/ptp4l), as root:
#   tests/data/capture_golden.sh WORKDIR
# Two network namespaces joined by a veth pair (gnA-m: master, gnA-s:
# slave), software time stamps. Neither ptp4l may steer the shared system
# clock: both run with free_running 1. Each run is captured with dumpcap in
# the slave namespace into WORKDIR/<run>.pcap; pmc's traffic over the Unix
# socket is recorded with strace into WORKDIR/uds.strace. The namespaces,
# the veth pair and every process started here are removed on exit, also on
# failure. tests/data/extract_golden.sh turns the captures into *.hex files.
set -eu
work=${1:?usage: $0 WORKDIR}
mkdir -p "$work"
work=$(cd "$work" && pwd)
NM=gnA-m
NS=gnA-s
pids=""

cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null || true
	done
	sleep 1
	for p in $pids; do
		kill -9 "$p" 2>/dev/null || true
	done
	ip netns del $NM 2>/dev/null || true
	ip netns del $NS 2>/dev/null || true
	rm -f /tmp/gnA-m.sock /tmp/gnA-s.sock
}
trap cleanup EXIT INT TERM

ip netns add $NM
ip netns add $NS
ip link add gnA-vm type veth peer name gnA-vs
ip link set gnA-vm netns $NM
ip link set gnA-vs netns $NS
ip -n $NM link set lo up
ip -n $NS link set lo up
ip -n $NM link set gnA-vm address 02:00:00:aa:00:01
ip -n $NS link set gnA-vs address 02:00:00:aa:00:02
ip -n $NM addr add 10.213.0.1/24 dev gnA-vm
ip -n $NS addr add 10.213.0.2/24 dev gnA-vs
ip -n $NM link set gnA-vm up
ip -n $NS link set gnA-vs up
sleep 1

# run NAME SECONDS MASTER_CFG SLAVE_CFG PTP4L_ARGS...
run() {
	name=$1 secs=$2 mcfg=$3 scfg=$4
	shift 4
	ip netns exec $NS dumpcap -q -i gnA-vs -a duration:"$secs" \
		-w "$work/$name.pcap" >/dev/null 2>&1 &
	cap=$!
	pids="$pids $cap"
	sleep 1
	ip netns exec $NM ptp4l -i gnA-vm -S -m -f "$mcfg" "$@" \
		>"$work/$name.master.log" 2>&1 &
	m=$!
	pids="$pids $m"
	ip netns exec $NS ptp4l -i gnA-vs -S -s -m -f "$scfg" "$@" \
		>"$work/$name.slave.log" 2>&1 &
	s=$!
	pids="$pids $s"
	if [ "$name" = udp_e2e ]; then
		sleep $((secs / 2))
		# pmc over the master's Unix socket; strace records the bytes.
		ip netns exec $NM timeout 10 strace -f -xx -s 4096 \
			-e trace=sendto,recvfrom,recvmsg,sendmsg \
			-o "$work/uds.strace" \
			pmc -u -b 0 -s /tmp/gnA-m.sock 'GET DEFAULT_DATA_SET' \
			>"$work/uds.pmc.txt" 2>&1 || true
		# the same request over UDP, so that it is on the wire too
		ip netns exec $NS timeout 10 pmc -4 -i gnA-vs -b 0 \
			'GET DEFAULT_DATA_SET' >"$work/udp.pmc.txt" 2>&1 || true
	fi
	wait $cap || true
	kill $m $s 2>/dev/null || true
	wait $m $s 2>/dev/null || true
}

cat >"$work/master.cfg" <<CFG
[global]
free_running		1
uds_address		/tmp/gnA-m.sock
CFG
cat >"$work/slave.cfg" <<CFG
[global]
free_running		1
uds_address		/tmp/gnA-s.sock
CFG
# Unicast negotiation: Signaling with REQUEST/GRANT TLVs.
cat >"$work/umaster.cfg" <<CFG
[global]
free_running		1
uds_address		/tmp/gnA-m.sock
unicast_listen		1
CFG
cat >"$work/uslave.cfg" <<CFG
[global]
free_running		1
uds_address		/tmp/gnA-s.sock
unicast_req_duration	60
[unicast_master_table]
table_id		1
logQueryInterval	0
UDPv4			10.213.0.1
[gnA-vs]
unicast_master_table	1
CFG
# gPTP: transportSpecific 1, Follow_Up information TLV, PATH_TRACE,
# peer delay over 01-80-C2-00-00-0E. The threshold is raised because
# software time stamps on veth exceed gPTP's 800 ns.
for who in m s; do
	cat >"$work/gptp_$who.cfg" <<CFG
[global]
free_running		1
uds_address		/tmp/gnA-$who.sock
gmCapable		1
priority1		248
priority2		248
logAnnounceInterval	0
logSyncInterval		-3
syncReceiptTimeout	3
neighborPropDelayThresh	100000000
min_neighbor_prop_delay	-20000000
assume_two_step		1
path_trace_enabled	1
follow_up_info		1
transportSpecific	0x1
ptp_dst_mac		01:80:C2:00:00:0E
network_transport	L2
delay_mechanism		P2P
CFG
done

run udp_e2e 16 "$work/master.cfg" "$work/slave.cfg" -4
run l2_e2e 16 "$work/master.cfg" "$work/slave.cfg" -2
run udp_p2p 10 "$work/master.cfg" "$work/slave.cfg" -4 -P
run udp_unicast 12 "$work/umaster.cfg" "$work/uslave.cfg" -4
run gptp 10 "$work/gptp_m.cfg" "$work/gptp_s.cfg"
echo "captures in $work"

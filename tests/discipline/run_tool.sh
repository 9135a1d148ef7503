#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run_tool.sh GNOMOND GNOMON_PHC2SYS - gnomon-phc2sys's automatic mode
# against real daemons over their management sockets, in network
# namespaces (software time stamping, so the PHC is a fake clock the tool
# keeps in user space: --discipline_fake_clocks; the tool's "system
# clock" is a fake too, so nothing of the machine is steered).
#
# 1. gnomond slave (virtual clock) in B, the tool with -a -rr beside it:
#    while the port listens, the system clock drives the port's PHC
#    ("selecting system clock as source clock", "veth1 sys offset");
#    gnomond master appears in A: the port becomes SLAVE and its PHC
#    drives the system clock ("selecting veth1 as domain source clock",
#    "CLOCK_REALTIME phc offset" converging under 10 us); the master is
#    killed: the slave becomes master and the system clock drives the
#    PHC again.
# 3. (run before 2) -C CLOCK_AUX0, a fake auxiliary clock, drives the
#    port's PHC with -rr while the port is MASTER.
# 2. linuxptp's ptp4l (3.1.1, free_running 1) alone in B: the tool reads
#    its ports (it has no PORT_HWCLOCK_NP: the PHC comes from the
#    interface), is notified of LISTENING -> MASTER, and keeps
#    synchronizing the PHC from the system clock.
set -u
. "$(dirname "$0")/../integration/lib.sh"

GNOMOND=$1 TOOL=$2

it_require_netns
it_init
it_require_prog ptp4l
it_check_gnomond "$GNOMOND"
it_pair

FAKES="CLOCK_REALTIME=5000000,veth1=0"

mapfile -t MC < <(it_common_cfg master)
mapfile -t SC < <(it_common_cfg slave)
scfg=$(it_cfg slave.cfg "${SC[@]}" "priority1 200" \
	"clock_target virtual" "virtual_clock_offset 20000000")
mcfg=$(it_cfg master.cfg "${MC[@]}" "priority1 100" "free_running 1")

it_start slave "$NS_B" slave.log "$GNOMOND" -4 -S -m -q -i "$IF_B" -f "$scfg"
it_must_wait_line slave "port 1 \(veth1\): INITIALIZING to LISTENING" 10
it_start tool "$NS_B" tool.log "$TOOL" -a -rr -m -q -R 4 \
	-z "$IT_WORK/slave.uds" --discipline_fake_clocks "$FAKES"
TOOLLOG=$(it_logf tool)

# 1a: listening -> the system clock is the source.
it_must_wait_line tool "selecting veth1 for synchronization" 10
it_must_wait_line tool "selecting system clock as source clock" 10
it_must_wait_line tool "veth1 sys offset .* s2 " 15 "veth1 locked to the system clock"

# 1b: a master appears -> the port's PHC is the source.
it_start master "$NS_A" master.log "$GNOMOND" -4 -S -m -q -i "$IF_A" -f "$mcfg"
it_must_wait_line tool "port [0-9a-f.]*-1 changed state" 20
it_must_wait_line tool "selecting veth1 as domain source clock" 30
it_must_wait_line tool "selecting system clock for synchronization" 5
it_must_wait_line tool "CLOCK_REALTIME phc offset .* s2 " 20 "CLOCK_REALTIME locked"
sleep 3
n=$(grep -c "CLOCK_REALTIME phc offset .* s2 " "$TOOLLOG")
[ "$n" -ge 8 ] || it_die "only $n locked CLOCK_REALTIME updates"
worst=$(grep "CLOCK_REALTIME phc offset .* s2 " "$TOOLLOG" | tail -n 8 |
	awk '{ v = $5 < 0 ? -$5 : $5; if (v > m) m = v } END { print m + 0 }')
[ "$worst" -lt 10000 ] || it_die "CLOCK_REALTIME offsets up to $worst ns"
it_log "CLOCK_REALTIME from veth1's PHC: last 8 offsets within $worst ns"
# The grandmaster's UTC offset was applied between the TAI PHC and UTC.
grep -q "CLOCK_REALTIME phc offset -\{0,1\}3[67][0-9]\{9\} s[01] " "$TOOLLOG" ||
	it_log "note: no 37 s step seen (grandmaster not on the PTP time scale)"

# 1c: the master goes away -> the slave becomes master, the system clock
# drives the PHC again.
before=$(grep -c "selecting system clock as source clock" "$TOOLLOG")
it_kill master
for i in $(seq 1 300); do
	now=$(grep -c "selecting system clock as source clock" "$TOOLLOG")
	[ "$now" -gt "$before" ] && break
	sleep 0.1
done
[ "$now" -gt "$before" ] || it_die "tool did not go back to the system clock as source"
lines=$(wc -l <"$TOOLLOG")
for i in $(seq 1 50); do
	tail -n +"$lines" "$TOOLLOG" | grep -q "veth1 sys offset" && break
	sleep 0.1
done
tail -n +"$lines" "$TOOLLOG" | grep -q "veth1 sys offset" ||
	it_die "no veth1 update after the failover"
it_expect_alive tool slave
it_kill tool
[ "$IT_RC" = 0 ] || it_die "tool exit status $IT_RC after SIGTERM"
it_pass "gnomon-phc2sys -a -rr follows gnomond's port states"

# 3: -C CLOCK_AUX0 (an auxiliary system clock, here a fake 5 ms ahead
# of CLOCK_REALTIME): with -rr and the port now MASTER, it drives the
# port's PHC. Its offset (-5 ms, veth1 - CLOCK_AUX0) shows that the
# auxiliary clock is the one read, and that it is not taken for UTC.
it_start tool3 "$NS_B" tool3.log "$TOOL" -a -rr -C CLOCK_AUX0 -m -q -R 4 \
	-z "$IT_WORK/slave.uds" --discipline_fake_clocks "CLOCK_AUX0=5000000,veth1=0"
it_must_wait_line tool3 "selecting system clock as source clock" 15
it_must_wait_line tool3 "veth1 sys offset .* s2 " 15 "veth1 locked to CLOCK_AUX0"
first=$(grep -m1 "veth1 sys offset" "$(it_logf tool3)" | awk '{print $5}')
[ "$first" -gt -5100000 ] && [ "$first" -lt -4900000 ] ||
	it_die "first veth1 offset from CLOCK_AUX0 $first, not -5 ms"
it_kill tool3
it_pass "gnomon-phc2sys -a -rr -C CLOCK_AUX0"

# 2: ptp4l as the management peer.
pcfg=$(it_cfg ptp4l.cfg "logAnnounceInterval 0" "announceReceiptTimeout 3" \
	"uds_address $IT_WORK/ptp4l.uds" "free_running 1" "priority1 1")
it_kill slave
it_start ptp4l "$NS_B" ptp4l.log ptp4l -4 -S -m -q -i "$IF_B" -f "$pcfg"
it_must_wait_line ptp4l "port 1: INITIALIZING to LISTENING" 10
it_start tool2 "$NS_B" tool2.log "$TOOL" -a -rr -m -q -R 4 \
	-z "$IT_WORK/ptp4l.uds" --discipline_fake_clocks "$FAKES"
it_must_wait_line tool2 "selecting veth1 for synchronization" 15
it_must_wait_line ptp4l "port 1: .* to MASTER" 20
it_must_wait_line tool2 "port [0-9a-f.]*-1 changed state" 10
it_must_wait_line tool2 "veth1 sys offset .* s2 " 15
it_expect_alive tool2 ptp4l
it_pass "gnomon-phc2sys -a -rr with linuxptp's ptp4l"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run_daemon.sh GNOMOND - gnomond's built-in discipline (discipline
# auto_rr) in network namespaces, software time stamping, on fake clocks
# (discipline_fake_clocks: the port's PHC and the "system clock" are kept
# in user space; nothing of the machine is steered):
#  - while its port listens (no master yet), CLOCK_REALTIME drives the
#    port's PHC ("selecting system clock as source clock", "veth1 sys
#    offset ... s2");
#  - a master appears: the port becomes SLAVE and its PHC drives
#    CLOCK_REALTIME ("selecting veth1 as domain source clock",
#    "CLOCK_REALTIME phc offset" locked, the last 8 under 10 us);
#  - the master is killed: the clock becomes grandmaster and
#    CLOCK_REALTIME drives the PHC again.
set -u
. "$(dirname "$0")/../integration/lib.sh"

GNOMOND=$1

it_require_netns
it_init
it_check_gnomond "$GNOMOND"
it_pair

mapfile -t MC < <(it_common_cfg master)
mapfile -t SC < <(it_common_cfg slave)
scfg=$(it_cfg slave.cfg "${SC[@]}" "priority1 200" \
	"clock_target virtual" "virtual_clock_offset 20000000" \
	"discipline auto_rr" "discipline_rate 4" \
	"discipline_fake_clocks CLOCK_REALTIME=5000000,veth1=0")
mcfg=$(it_cfg master.cfg "${MC[@]}" "priority1 100" "free_running 1")

it_start slave "$NS_B" slave.log "$GNOMOND" -4 -S -m -q -i "$IF_B" -f "$scfg"
LOG=$(it_logf slave)
it_must_wait_line slave "discipline: as auto, and CLOCK_REALTIME" 10
it_must_wait_line slave "selecting system clock as source clock" 10
it_must_wait_line slave "veth1 sys offset .* s2 " 15 "PHC locked to the system clock"

it_start master "$NS_A" master.log "$GNOMOND" -4 -S -m -q -i "$IF_A" -f "$mcfg"
it_must_wait_line slave "selecting veth1 as domain source clock" 40
it_must_wait_line slave "CLOCK_REALTIME phc offset .* s2 " 20 "CLOCK_REALTIME locked"
sleep 3
worst=$(grep "CLOCK_REALTIME phc offset .* s2 " "$LOG" | tail -n 8 |
	awk '{ v = $5 < 0 ? -$5 : $5; if (v > m) m = v } END { print m + 0 }')
n=$(grep -c "CLOCK_REALTIME phc offset .* s2 " "$LOG")
[ "$n" -ge 8 ] || it_die "only $n locked CLOCK_REALTIME updates"
[ "$worst" -lt 10000 ] || it_die "CLOCK_REALTIME offsets up to $worst ns"
it_log "CLOCK_REALTIME from the slave port's PHC: last 8 within $worst ns"

before=$(grep -c "selecting system clock as source clock" "$LOG")
it_kill master
now=$before
for i in $(seq 1 300); do
	now=$(grep -c "selecting system clock as source clock" "$LOG")
	[ "$now" -gt "$before" ] && break
	sleep 0.1
done
[ "$now" -gt "$before" ] || it_die "the system clock did not become the source again"
it_expect_alive slave
it_kill slave
[ "$IT_RC" = 0 ] || it_die "gnomond exit status $IT_RC after SIGTERM"
it_pass "gnomond's discipline follows its port states"

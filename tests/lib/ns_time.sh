#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ns_time.sh GNOMOND NS_CLIENT GNOMON_OFFSET - the time service end to end
# in two network namespaces joined by veth (software stamping):
#
#   master: gnomond -S, free_running 1 (never steers the shared system
#           clock), its page in the work directory;
#   slave:  gnomond -S -s, clock_target virtual, started 20 ms and 50 ppm
#           off, its page in the work directory.
#
# The master runs on CLOCK_REALTIME, so the true error of the slave's
# synchronized clock is its offset from CLOCK_REALTIME, known at every
# read. Asserts (through ns_client, an application of libgnomon):
#   1. the master's page: FREERUN (clockClass 248), bound 0;
#   2. the slave's page reaches LOCKED;
#   3. for CHECK_S seconds, every 10 ms: |true error| <= bound, and once a
#      second the library's time agrees with the virtual clock's own
#      offset (gnomond's management id 0xC0A0) within the bound;
#   4. timers armed for synchronized instants fire after them; an
#      unprivileged user reads the page and runs pulses (no SCHED_FIFO);
#   5. gnomon-offset reads the library's clock against CLOCK_REALTIME;
#   6. the master is killed: HOLDOVER, and the bound still holds;
#   7. the slave exits: its page is gone.
# Cleans up (namespaces, daemons, files) on every exit. Never adjusts
# a clock of the machine.
set -u
export IT_PREFIX=gnlib
. "$(dirname "$0")/../integration/lib.sh"

GNOMOND=$1 CLIENT=$2 OFFSET=$3
CHECK_S=${GN_CHECK_S:-20}
HOLDOVER_S=${GN_HOLDOVER_S:-15}

it_require_netns
it_init
it_check_gnomond "$GNOMOND"
[ -x "$CLIENT" ] || it_die "ns_client not found at $CLIENT"
it_pair

mapfile -t MC < <(it_common_cfg master page)
mapfile -t SC < <(it_common_cfg slave page)
MC+=("summary_interval 0")
SC+=("summary_interval 0")
mcfg=$(it_cfg master.cfg "${MC[@]}" "free_running 1")
scfg=$(it_cfg slave.cfg "${SC[@]}" "clock_target virtual" \
	"virtual_clock_offset 20000000" "virtual_clock_freq 50000")
it_start master "$NS_A" master.log "$GNOMOND" -4 -S -m -q -i "$IF_A" \
	-f "$mcfg"
it_start slave "$NS_B" slave.log "$GNOMOND" -4 -S -s -m -q -i "$IF_B" \
	-f "$scfg"
MPAGE=$IT_WORK/master.page SPAGE=$IT_WORK/slave.page

for _ in $(seq 1 50); do
	[ -f "$MPAGE" ] && [ -f "$SPAGE" ] && break
	sleep 0.1
done
it_expect_alive master slave
[ -f "$SPAGE" ] || it_die "the slave published no page"

# 1. The master is the domain's time (no source: FREERUN), bound 0.
it_must_wait_line master "to MASTER on" 20 "port state MASTER"
sleep 1
out=$("$CLIENT" state "$MPAGE")
echo "master page: $out"
case "$out" in "FREERUN bound 0 "*) ;; *) it_die "master page: $out" ;; esac

# 2. The slave locks (PI waits 0.016/ki s before its first estimate).
"$CLIENT" wait "$SPAGE" LOCKED 90 || it_die "slave page never LOCKED"

# 3. The bound holds; the library's time is the virtual clock's.
echo "--- check ${CHECK_S} s locked"
"$CLIENT" check "$SPAGE" "$CHECK_S" "$IT_WORK/slave.uds" ||
	it_die "bound violated or library disagrees with the virtual clock"

# 4. Timers at synchronized instants.
"$CLIENT" timers "$SPAGE" 10 || it_die "a timer fired early"

# 4b. An unprivileged process reads the page (0644) and runs pulses
# without SCHED_FIFO (the work directory is made traversable for it).
LATENCY=$(dirname "$OFFSET")/gnomon-latency
chmod 755 "$IT_WORK"
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$CLIENT" state "$SPAGE") || it_die "nobody cannot read the page"
echo "as nobody: $out"
case "$out" in LOCKED*) ;; *) it_die "as nobody: $out" ;; esac
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$LATENCY" -p "$SPAGE" -P 20 -d 1 | tail -n 1) ||
	it_die "nobody cannot run pulses"
echo "as nobody: $out"
case "$out" in *" other") ;; *) it_die "pulses as nobody: $out" ;; esac

# 5. The sandwich tool on the library's clock.
"$OFFSET" -n 200 -i 1000 realtime "gnomon:$SPAGE" ||
	it_die "gnomon-offset failed"

# 6. Holdover: the master goes, the bound keeps holding.
it_kill master
"$CLIENT" wait "$SPAGE" HOLDOVER 15 || it_die "no HOLDOVER after the master left"
echo "--- check ${HOLDOVER_S} s in holdover"
"$CLIENT" check "$SPAGE" "$HOLDOVER_S" || it_die "bound violated in holdover"

# 7. The slave exits cleanly: the page goes with it.
it_kill slave
[ "$IT_RC" = 0 ] || it_die "slave exit status $IT_RC"
"$CLIENT" gone "$SPAGE" || it_die "the page outlived the daemon"
it_pass "time service in namespaces"

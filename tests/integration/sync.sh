#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# sync.sh GNOMOND MASTER SLAVE TRANSPORT - one master and one slave in two
# network namespaces joined by veth, software time stamping.
#
#   MASTER: gnomond | ptp4l   (system clock, free_running 1: never steers)
#   SLAVE:  gnomond           (clientOnly, clock_target virtual, started
#                              20 ms and 50 ppm off) -> asserts the true
#                              error of its virtual clock;
#           ptp4l             (slaveOnly, free_running 1) -> asserts that it
#                              reaches UNCALIBRATED/SLAVE and reports small
#                              offsets (one shared clock).
#   TRANSPORT: udpv4 | udpv6 | l2
#
# The slave's PI servo (linuxptp's defaults for software stamping) waits
# 0.016 / ki seconds before its first frequency estimate and step: 16 s at
# logSyncInterval 0, 21 s at -1, 28 s at -2 (ki shrinks with the
# interval). Until that estimate the virtual clock runs 50 ppm fast, so a
# delay measured then is off by up to 50 ppm times the time between Sync
# and Delay_Req, and so is the step; the servo then removes that error
# with a time constant of about 1/kp samples. logSyncInterval -1 balances
# the two (step error <= 12 us, time constant about 4 s). The assertion window starts IT_SETTLE_S
# (default 8) seconds after the port reaches SLAVE and lasts IT_WINDOW_S
# (default 10); every true error in it must be below IT_LIMIT_NS
# (default 10000).
set -u
. "$(dirname "$0")/lib.sh"

GNOMOND=$1 MASTER=$2 SLAVE=$3 TRANSPORT=$4
SETTLE_S=${IT_SETTLE_S:-8}
WINDOW_S=${IT_WINDOW_S:-10}
LIMIT_NS=${IT_LIMIT_NS:-10000}

it_require_netns
it_init
it_require_prog ptp4l
case "$MASTER$SLAVE" in *gnomond*) it_check_gnomond "$GNOMOND" ;; esac
TF=$(it_transport_flag "$TRANSPORT")
it_pair

mapfile -t MCOMMON < <(it_common_cfg master "$MASTER")
mapfile -t SCOMMON < <(it_common_cfg slave "$SLAVE")

# Master: on the (shared) system clock, never steering it.
if [ "$MASTER" = gnomond ]; then
	mcfg=$(it_cfg master.cfg "${MCOMMON[@]}" \
		"free_running 1" "summary_interval 0")
	it_start master "$NS_A" master.log "$GNOMOND" "$TF" -S -m -q \
		-i "$IF_A" -f "$mcfg"
else
	mcfg=$(it_cfg master.cfg "${MCOMMON[@]}" \
		"free_running 1" "summary_interval 0")
	it_start master "$NS_A" master.log ptp4l "$TF" -S -m -q \
		-i "$IF_A" -f "$mcfg"
fi

if [ "$SLAVE" = gnomond ]; then
	scfg=$(it_cfg slave.cfg "${SCOMMON[@]}" \
		"clientOnly 1" "clock_target virtual" \
		"virtual_clock_offset 20000000" \
		"virtual_clock_freq 50000" "summary_interval 0")
	it_start slave "$NS_B" slave.log "$GNOMOND" "$TF" -S -m -q \
		-i "$IF_B" -f "$scfg"
else
	# free_running 1: ptp4l measures but never touches the clock.
	# freq_est_interval 0 and summary_interval = logSyncInterval: it
	# logs one "master offset" line a second (not rms summaries).
	scfg=$(it_cfg slave.cfg "${SCOMMON[@]}" \
		"slaveOnly 1" "free_running 1" "freq_est_interval 0" \
		"summary_interval -1")
	it_start slave "$NS_B" slave.log ptp4l "$TF" -S -m -q \
		-i "$IF_B" -f "$scfg"
fi
T0=$(it_monotonic)
SLOG=$(it_logf slave)
MLOG=$(it_logf master)

it_must_wait_line master "to MASTER on" 15 "port to MASTER"
it_log "master: $(grep -E 'to MASTER on' "$MLOG" | head -n 1)"

if [ "$SLAVE" = ptp4l ]; then
	it_must_wait_line slave "to (UNCALIBRATED|SLAVE) on" 20 \
		"UNCALIBRATED or SLAVE"
	it_log "slave: $(grep -E 'to (UNCALIBRATED|SLAVE) on' "$SLOG" |
		head -n 1)"
	n=0
	for _ in $(seq 1 200); do
		n=$(it_master_offsets "$SLOG" | wc -l)
		[ "$n" -ge 10 ] && break
		it_expect_alive slave master
		sleep 0.1
	done
	[ "$n" -ge 10 ] || it_die "ptp4l logged $n 'master offset' lines in 20 s (want 10)"
	it_expect_alive slave master
	read -r cnt rms max mean < <(it_master_offsets "$SLOG" | it_stats)
	it_log "ptp4l slave: $cnt offsets, rms $rms ns, max |offset| $max ns, mean $mean ns"
	[ "$max" -lt 1000000 ] ||
		it_die "ptp4l reports |offset| up to $max ns on a shared clock (limit 1 ms)"
	it_pass "$MASTER -> ptp4l over $TRANSPORT: offsets rms $rms ns max $max ns"
	exit 0
fi

# gnomond slave on a virtual clock.
it_vclock_slave "$T0" "$SETTLE_S" "$WINDOW_S" "$LIMIT_NS" slave master
it_pass "$MASTER -> gnomond (virtual clock) over $TRANSPORT: SLAVE at +$IT_SLAVE_AT s, then rms $IT_WIN_RMS ns, max $IT_WIN_MAX ns over $WINDOW_S s"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# linkdown.sh GNOMOND - link monitoring through rtnetlink: a slave whose
# interface goes down logs the link change and goes FAULTY within 2 s;
# when the link comes back it leaves FAULTY and is a SLAVE (or
# UNCALIBRATED, locking again) of the same master within 15 s.
set -u
. "$(dirname "$0")/lib.sh"
GNOMOND=$1

it_require_netns
it_init
it_check_gnomond "$GNOMOND"
it_pair

mcfg=$(it_cfg m.cfg "free_running 1" "priority1 100" "logAnnounceInterval 0" \
	"logSyncInterval -2" "uds_address $IT_WORK/m.uds" \
	"uds_ro_address $IT_WORK/m.ro.uds" "$(it_gn_private)")
scfg=$(it_cfg s.cfg "clientOnly 1" "clock_target virtual" \
	"logAnnounceInterval 0" "logSyncInterval -2" \
	"uds_address $IT_WORK/s.uds" "uds_ro_address $IT_WORK/s.ro.uds" \
	"$(it_gn_private)")
it_start m "$NS_A" m.log "$GNOMOND" -4 -S -m -q -i "$IF_A" -f "$mcfg"
it_start s "$NS_B" s.log "$GNOMOND" -4 -S -m -q -i "$IF_B" -f "$scfg"
it_must_wait_line s "$(it_state_re "$IF_B" LISTENING UNCALIBRATED)" 20 \
	"UNCALIBRATED"

t0=$(it_monotonic)
ip -n "$NS_B" link set "$IF_B" down || it_die "link down"
it_wait_line_after "$(it_logf s)" "port 1 \\($IF_B\\): link down" "$t0" 2 ||
	it_die "no 'link down' line within 2 s"
it_wait_line_after "$(it_logf s)" "to FAULTY on FAULT_DETECTED" "$t0" 2 ||
	it_die "port not FAULTY within 2 s of link down"
tf=$(it_first_time_after "$(it_logf s)" "to FAULTY" "$t0")

t1=$(it_monotonic)
ip -n "$NS_B" link set "$IF_B" up || it_die "link up"
it_wait_line_after "$(it_logf s)" "port 1 \\($IF_B\\): link up" "$t1" 5 ||
	it_die "no 'link up' line within 5 s"
it_wait_line_after "$(it_logf s)" "FAULTY to (LISTENING|INITIALIZING)" \
	"$t1" 5 || it_die "port did not leave FAULTY within 5 s of link up"
it_wait_line_after "$(it_logf s)" "to (UNCALIBRATED|SLAVE) on" "$t1" 15 ||
	it_die "no UNCALIBRATED/SLAVE within 15 s of link up"
it_expect_alive m
it_expect_alive s
it_pass "link down: FAULTY at +$(awk -v a="$tf" -v b="$t0" \
	'BEGIN { printf "%.3f", a - b }') s; link up: back to the master"

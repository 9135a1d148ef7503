#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# signals.sh GNOMOND - gnomond and signals: SIGHUP does not kill it (it
# still answers management afterwards); SIGTERM and SIGINT make it exit
# with status 0 within 2 s and remove its Unix socket files (uds_address
# and uds_ro_address). Also: a stale socket file left at uds_address (as
# after a crash) does not stop the next start.
set -u
. "$(dirname "$0")/lib.sh"
GNOMOND=$1

it_require_netns
it_init
it_require_prog pmc
it_check_gnomond "$GNOMOND"
it_pair

# run NAME NS IF: a grandmaster on the system clock that never steers.
run() {
	local cfg
	cfg=$(it_cfg "$1.cfg" "free_running 1" "logAnnounceInterval 0" \
		"uds_address $IT_WORK/$1.uds" \
		"uds_ro_address $IT_WORK/$1.ro.uds" "$(it_gn_private)")
	it_start "$1" "$2" "$1.log" "$GNOMOND" -4 -S -m -q -i "$3" -f "$cfg"
	it_must_wait_line "$1" "INITIALIZING to LISTENING" 5 "port LISTENING"
	for _ in $(seq 1 50); do
		[ -S "$IT_WORK/$1.uds" ] && [ -S "$IT_WORK/$1.ro.uds" ] && break
		sleep 0.1
	done
	[ -S "$IT_WORK/$1.uds" ] || it_die "$1: no socket at uds_address"
	[ -S "$IT_WORK/$1.ro.uds" ] || it_die "$1: no socket at uds_ro_address"
}
answers() { # NAME NS
	it_pmc "$2" "$IT_WORK/$1.uds" "GET DEFAULT_DATA_SET" |
		grep -q "RESPONSE MANAGEMENT DEFAULT_DATA_SET"
}
# stop NAME SIGNAL: exits 0 within 2 s, sockets gone.
stop() {
	local t0 t1 pid
	pid=$(it_pid "$1")
	t0=$(it_monotonic)
	kill "-$2" "$pid"
	for _ in $(seq 1 20); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null && it_die "$1 still running 2 s after SIG$2"
	wait "$pid"
	rc=$?
	t1=$(it_monotonic)
	[ "$rc" = 0 ] || it_die "$1 exited with status $rc on SIG$2 (want 0)"
	[ -e "$IT_WORK/$1.uds" ] && it_die "$1 left $IT_WORK/$1.uds behind"
	[ -e "$IT_WORK/$1.ro.uds" ] && it_die "$1 left $IT_WORK/$1.ro.uds behind"
	echo "ok: SIG$2 -> exit 0 in $(awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.2f", a - b }') s, sockets removed"
}

run a "$NS_A" "$IF_A"
answers a "$NS_A" || it_die "no answer to GET before SIGHUP"
kill -HUP "$(it_pid a)"
sleep 1
it_expect_alive a
answers a "$NS_A" || it_die "no answer to GET after SIGHUP"
kill -HUP "$(it_pid a)"
sleep 0.5
it_expect_alive a
echo "ok: alive and answering after two SIGHUPs"
stop a TERM

run b "$NS_B" "$IF_B"
stop b INT

# A stale socket file (a crash leaves one): the next start must work.
run c "$NS_A" "$IF_A"
kill -KILL "$(it_pid c)"
wait "$(it_pid c)" 2>/dev/null
[ -S "$IT_WORK/c.uds" ] || it_die "no socket file left by SIGKILL (cannot test)"
it_start c2 "$NS_A" c2.log "$GNOMOND" -4 -S -m -q -i "$IF_A" -f "$IT_WORK/c.cfg"
it_must_wait_line c2 "INITIALIZING to LISTENING" 5 "port LISTENING"
sleep 0.5
it_expect_alive c2
answers c "$NS_A" || it_die "no answer on a socket path that had a stale file"
echo "ok: started over a stale socket file and answers there"
it_pass "signals: SIGHUP survived, SIGTERM/SIGINT clean exits"

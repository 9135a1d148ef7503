#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run_chrony.sh - chronyd reads gnomon-phc2sys's reference clock outputs:
# one tool instance sends chrony SOCK samples (-E refclock_sock), another
# writes an NTP SHM segment (-E ntpshm -M 3); both measure a fake PHC
# (1.5 ms ahead of, and 2.5 ms behind, the system clock) and steer
# nothing. chronyd runs only here: in a network namespace and an IPC
# namespace of its own, with -x (it never steers the system clock), its
# own configuration, pid file and sockets under a mktemp -d directory,
# both refclocks `noselect` (so offsets stay relative to the system
# clock), and it is stopped at the end, also on failure.
#
# Passes when `chronyc sources` lists SOCK and SHM3 with samples, with
# offsets of about -1.5 ms and +2.5 ms that match what the tool measured
# within 100 us (chrony shows local - reference, the sign of phc2sys's
# offsets).
#
# Usage: run_chrony.sh GNOMON_PHC2SYS
set -u
TOOL=$1

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "not root: namespaces need root"
command -v chronyd >/dev/null || { echo "FAIL: chronyd not installed (scripts/bootstrap.sh)"; exit 1; }
command -v chronyc >/dev/null || { echo "FAIL: chronyc not installed"; exit 1; }
command -v unshare >/dev/null || skip "no unshare"
ip netns list >/dev/null 2>&1 || skip "ip netns is not available"

DIR=$(mktemp -d /tmp/gnomon-chrony.XXXXXX) || exit 1
chmod 700 "$DIR"
NS="gnch$$"
cleanup() {
	local rc=$?
	if [ -f "$DIR/chronyd.pid" ]; then
		kill "$(cat "$DIR/chronyd.pid")" 2>/dev/null
	fi
	for pid in $(ip netns pids "$NS" 2>/dev/null); do
		kill -KILL "$pid" 2>/dev/null
	done
	ip netns del "$NS" 2>/dev/null
	if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then
		for f in "$DIR"/*.log "$DIR"/sources.txt; do
			[ -f "$f" ] && { echo "----- $f"; tail -n 15 "$f"; }
		done
	fi
	rm -rf "$DIR"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cat >"$DIR/chrony.conf" <<CONF
refclock SOCK $DIR/refclock.sock refid SOCK poll 1 precision 1e-7 noselect
refclock SHM 3 refid SHM3 poll 1 precision 1e-7 noselect
port 0
cmdport 0
bindcmdaddress $DIR/chronyd.sock
pidfile $DIR/chronyd.pid
CONF

ip netns add "$NS" || skip "ip netns add failed"

# Everything that shares the SHM segment runs in one IPC namespace.
timeout 90 ip netns exec "$NS" unshare --ipc --fork bash -c '
	DIR=$1 TOOL=$2
	chronyd -x -d -u root -f "$DIR/chrony.conf" >"$DIR/chronyd.log" 2>&1 &
	CP=$!
	for i in $(seq 1 50); do
		[ -S "$DIR/refclock.sock" ] && break
		sleep 0.1
	done
	"$TOOL" -s /dev/ptp9 -O 0 -E refclock_sock \
		--refclock_sock_address "$DIR/refclock.sock" \
		--discipline_fake_clocks "/dev/ptp9=1500000" -m -q -R 2 \
		>"$DIR/sock.log" 2>&1 &
	T1=$!
	"$TOOL" -s /dev/ptp8 -O 0 -E ntpshm -M 3 \
		--discipline_fake_clocks "/dev/ptp8=-2500000" -m -q -R 2 \
		>"$DIR/shm.log" 2>&1 &
	T2=$!
	ok=0
	for i in $(seq 1 40); do
		sleep 1
		chronyc -h "$DIR/chronyd.sock" -n -c sources >"$DIR/sources.txt" 2>&1
		n=$(awk -F, "(\$3 == \"SOCK\" || \$3 == \"SHM3\") && \$6 != 0 && \$8 != \"\"" "$DIR/sources.txt" | wc -l)
		if [ "$n" = 2 ] && [ "$i" -ge 8 ]; then ok=1; break; fi
	done
	chronyc -h "$DIR/chronyd.sock" -n sources >"$DIR/sources_human.txt" 2>&1
	kill $T1 $T2 2>/dev/null
	kill $CP 2>/dev/null
	wait
	[ "$ok" = 1 ]
' inner "$DIR" "$TOOL"
inner_rc=$?

cat "$DIR/sources_human.txt" 2>/dev/null
[ "$inner_rc" = 0 ] || { echo "FAIL: chronyd did not list both reference clocks with samples"; exit 1; }
grep -q "Disabled control of system clock" "$DIR/chronyd.log" ||
	{ echo "FAIL: chronyd did not confirm -x"; exit 1; }

# chronyd's last sample against the tool's last measurement (both local -
# reference), and both near the fake PHC's offset. The fakes run on
# CLOCK_MONOTONIC_RAW, so the machine's own slewing of CLOCK_REALTIME (if
# any) moves them slowly: 1 ms of slack against the configured offset,
# 100 us against what the tool measured.
check() {
	local refid=$1 want=$2 log=$3 got last
	got=$(awk -F, -v r="$refid" '$3 == r { print $8; exit }' "$DIR/sources.txt")
	[ -n "$got" ] || { echo "FAIL: $refid not listed"; exit 1; }
	last=$(grep "CLOCK_REALTIME phc offset" "$DIR/$log" | tail -n 1 | awk '{ print $5 }')
	[ -n "$last" ] || { echo "FAIL: $log has no measurement"; exit 1; }
	if ! awk -v g="$got" -v w="$want" -v l="$last" 'BEGIN {
		d = g - w; if (d < 0) d = -d
		e = g - l / 1e9; if (e < 0) e = -e
		exit !(d < 0.001 && e < 0.0001) }'; then
		echo "FAIL: $refid offset $got s; expected $want s (+-1 ms) and the tool's $last ns (+-100 us)"
		exit 1
	fi
	echo "$refid: offset $got s (configured $want s, tool measured $last ns)"
}
check SOCK -0.0015 sock.log
check SHM3 0.0025 shm.log
# The tool itself never steered anything.
grep -q " s0 freq      +0" "$DIR/sock.log" || { echo "FAIL: sock tool log"; exit 1; }
if grep -Eq " s[12] " "$DIR/sock.log" "$DIR/shm.log"; then
	echo "FAIL: a reference clock output ran a servo"
	exit 1
fi
echo "PASS: chronyd (-x) reads SOCK and SHM samples of gnomon-phc2sys"

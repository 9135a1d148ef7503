#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make demo: gnomond synchronizing a clock for real. Two network
# namespaces joined by veth; a gnomond grandmaster on the system clock
# (free_running: it never steers it) in one, a gnomond slave on a virtual
# clock started 20 ms and 50 ppm off in the other. One line a second
# (port state, servo state, measured offset, frequency, path delay and
# the slave's true error: its virtual clock minus the shared system
# clock) until the slave is locked (10 consecutive true errors under
# 10 us), then a summary (time to lock, RMS and max true error over the
# next 10 s). Everything it made is removed on exit, also on Ctrl-C.
# Bounded: at most about 90 s.
#
# DEMO_SERVO=linreg uses the linear-regression servo instead of the PI
# servo with linuxptp's defaults (which first waits about 20 s for a
# frequency estimate with software time stamps).
#
# Where namespaces are not possible (not root, no `ip netns`), it says so
# and runs the simulator demo (BUILDDIR/src/tools/gnomon-demo) instead.
set -u
BUILD=${1:-build}
BUILD=$(cd "$BUILD" 2>/dev/null && pwd) || { echo "demo: no build directory $1" >&2; exit 1; }
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../tests/integration/lib.sh"
GNOMOND=$BUILD/src/daemon/gnomond

if ! it_netns_possible; then
	echo "demo: network namespaces are not possible here (need root and 'ip netns');"
	echo "demo: running the simulator demo instead."
	echo
	exec "$BUILD/src/tools/gnomon-demo"
fi
[ -x "$GNOMOND" ] || { echo "demo: $GNOMOND not built" >&2; exit 1; }

LOCK_NS=10000    # |true error| below this ...
LOCK_N=10        # ... for this many consecutive samples = locked
SUMMARY_S=10     # statistics over this long after locking
BUDGET_S=75      # give up locking after this long
SERVO=${DEMO_SERVO:-pi}
case "$SERVO" in pi | linreg) ;; *) echo "demo: DEMO_SERVO must be pi or linreg" >&2; exit 1 ;; esac

IT_NO_DUMP=1
it_init
it_pair
trap 'IT_FAILED=0; it_log ""; it_log "demo: interrupted, cleaning up"; exit 130' INT

mcfg=$(it_cfg gm.cfg "free_running 1" "logAnnounceInterval 0" \
	"logSyncInterval -1" "logMinDelayReqInterval -1" \
	"uds_address $IT_WORK/gm.uds" "uds_ro_address $IT_WORK/gm.ro.uds" \
	"$(it_gn_private)")
scfg=$(it_cfg slave.cfg "clientOnly 1" "clock_target virtual" \
	"virtual_clock_offset 20000000" "virtual_clock_freq 50000" \
	"logAnnounceInterval 0" "logSyncInterval -1" \
	"logMinDelayReqInterval -1" "summary_interval -1" \
	"clock_servo $SERVO" \
	"uds_address $IT_WORK/slave.uds" "uds_ro_address $IT_WORK/slave.ro.uds" \
	"$(it_gn_private)")

if [ "$SERVO" = pi ]; then
	SERVO_TEXT="PI servo with linuxptp's defaults
  (it waits about 20 s for a frequency estimate, then steps once and steers;
  DEMO_SERVO=linreg for the linear-regression servo)."
else
	SERVO_TEXT="linear-regression servo."
fi
cat <<EOF
gnomon demo: gnomond over a veth pair between two network namespaces
  $NS_A ($IF_A, 10.209.0.1): grandmaster on the system clock (free_running: never steered)
  $NS_B ($IF_B, 10.209.0.2): slave on a virtual clock started +20 ms and +50 ppm off
  UDP/IPv4, software time stamps, 2 Sync/s, $SERVO_TEXT
  "true error" = slave's virtual clock - system clock, measured in-process.

EOF
IT_QUIET=1
it_start gm "$NS_A" gm.log "$GNOMOND" -4 -S -m -q -i "$IF_A" -f "$mcfg"
it_start slave "$NS_B" slave.log "$GNOMOND" -4 -S -m -q -i "$IF_B" -f "$scfg"
SLOG=$(it_logf slave)
sleep 0.3
it_expect_alive gm slave
T0=$(head -n 1 "$SLOG" | sed -n 's/^[^[]*\[\([0-9.]*\)\].*/\1/p')
[ -n "$T0" ] || T0=$(it_monotonic)

printf '%6s  %-13s %5s %12s %10s %10s %14s\n' "t (s)" "port" "servo" \
	"offset (ns)" "freq (ppb)" "delay (ns)" "true err (ns)"

# One line of the state now: port state, last "master offset" sample,
# last true error.
status_line() {
	awk -v t0="$T0" '
	/ to [A-Z_]+ on / { for (i = 1; i <= NF; i++) if ($i == "to") st = $(i + 1) }
	/master offset/ { for (i = 1; i <= NF; i++) {
		if ($i == "offset") off = $(i + 1)
		if ($i ~ /^s[0-9]$/) sv = $i
		if ($i == "freq") fr = $(i + 1)
		if ($i == "delay") dl = $(i + 1) } }
	/vclock offset from CLOCK_REALTIME/ { te = $(NF - 1)
		t = $0; sub(/^[^[]*\[/, "", t); sub(/\].*/, "", t) }
	END { if (st == "") st = "-"; if (sv == "") sv = "-"
	      printf "%6.1f  %-13s %5s %12s %10s %10s %14s\n", t - t0, st, sv,
		off == "" ? "-" : off, fr == "" ? "-" : fr,
		dl == "" ? "-" : dl, te == "" ? "-" : te }' "$SLOG"
}

# Time of the first true-error sample of the first run of LOCK_N
# consecutive samples under LOCK_NS (empty when none yet).
lock_time() {
	it_vclock "$SLOG" | awk -v lim="$LOCK_NS" -v n="$LOCK_N" '
		{ a = $2 < 0 ? -$2 : $2
		  if (a < lim) { if (run == 0) start = $1; run++ } else run = 0
		  if (run >= n) { print start; exit } }'
}

TLOCK=
for _ in $(seq 1 "$BUDGET_S"); do
	sleep 1
	it_expect_alive gm slave
	status_line
	TLOCK=$(lock_time)
	[ -n "$TLOCK" ] && break
done
if [ -z "$TLOCK" ]; then
	echo "demo: the slave did not lock within $BUDGET_S s; its log:"
	tail -n 20 "$SLOG"
	exit 1
fi
rel() { awk -v a="$1" -v b="$T0" 'BEGIN { printf "%.1f", a - b }'; }
TSLAVE=$(it_first_time "$SLOG" "UNCALIBRATED to SLAVE on")
echo
echo "locked: $LOCK_N consecutive true errors under $((LOCK_NS / 1000)) us from +$(rel "$TLOCK") s"
echo "collecting $SUMMARY_S s of true error..."
TEND=$(awk -v a="$TLOCK" -v s="$SUMMARY_S" 'BEGIN { printf "%.3f", a + s }')
while ! it_wait_line_after "$SLOG" "vclock offset from CLOCK_REALTIME" "$TEND" 0; do
	sleep 1
	it_expect_alive gm slave
	status_line
done
read -r n rms max mean < <(it_vclock "$SLOG" "$TLOCK" "$TEND" | it_stats)
cat <<EOF

summary
  port SLAVE after          $(rel "${TSLAVE:-$T0}") s
  locked after              $(rel "$TLOCK") s (started 20 ms and 50 ppm off)
  true error, $SUMMARY_S s after lock: rms $rms ns, max $max ns, mean $mean ns ($n samples)
  servo frequency (last sample): $(awk '/master offset/ { for (i = 1; i <= NF; i++) if ($i == "freq") f = $(i + 1) } END { print f }' "$SLOG") ppb (the virtual clock was started 50000 ppb fast)
EOF
echo
echo "cleaning up (namespaces and daemons)"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench_ptp4l.sh BUILDDIR [DURATION_S] - gnomond against linuxptp's ptp4l,
# both slaves of one master in the same run.
#
# Four network namespaces on a bridge (a fifth holds the bridge): one
# master (ptp4l by default, BENCH_MASTER=gnomond for ours), a gnomond
# slave and a ptp4l slave, with the same options, both free_running on
# the one system clock all namespaces share. Nothing is steered, so the
# "master offset" each slave reports is pure measurement error (time
# stamping noise, delay estimate, scheduling), and the two are measured
# under the same conditions at the same time.
#
# Two runs: logSyncInterval 0 and -4 (16 Sync/s), DURATION_S seconds
# each after a warm-up (default 300; BENCH_DURATION or the argument; 20
# is a smoke check). Reports RMS, max |offset| and mean of each slave and
# the ratios gnomond/ptp4l, and, over the 16 Hz run, CPU time
# (utime+stime from /proc/PID/stat) and memory (VmRSS, VmHWM from
# /proc/PID/status) of both slaves. Writes bench/results/ptp4l_compare.md,
# ptp4l_compare.png (gnuplot) and the offset series
# ptp4l_offsets_sync0.tsv, ptp4l_offsets_sync-4.tsv.
#
# Sample counts differ: a free_running ptp4l logs one offset per
# max(1 s, 2^freq_est_interval) (freq_est_interval 0 here), gnomond every
# Sync; each line is one raw measurement in both, so their statistics
# compare like with like.
#
# Needs root and `ip netns`; never adjusts any clock.
set -u
BUILD=${1:-build}
BUILD=$(cd "$BUILD" 2>/dev/null && pwd) || { echo "bench: no build directory $1" >&2; exit 1; }
DUR=${2:-${BENCH_DURATION:-300}}
WARM=${BENCH_WARMUP:-15}
MASTER=${BENCH_MASTER:-ptp4l}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
OUT=${BENCH_OUT:-$ROOT/bench/results}
. "$ROOT/tests/integration/lib.sh"
GNOMOND=$BUILD/src/daemon/gnomond

it_require_netns
it_init
it_require_prog ptp4l gnuplot
it_check_gnomond "$GNOMOND"
mkdir -p "$OUT"
HZ=$(getconf CLK_TCK)

it_bridge
it_bridge_node NS_M m 1
it_bridge_node NS_G g 2
it_bridge_node NS_P p 3

# cpu_ticks PID: utime + stime (fields 14 and 15 of /proc/PID/stat; the
# command name in parentheses is field 2 and has no spaces here).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

# run LOGSYNC: one run; leaves "$IT_WORK/sLOGSYNC.{gn,p4}" with
# "t offset" lines of the measurement window, and for -4 the resources.
run() {
	local ls=$1 tag=s$1 opts mcfg gcfg pcfg ta tb gp pp
	opts=("logSyncInterval $ls" "logMinDelayReqInterval $ls"
		"logAnnounceInterval 0" "summary_interval $ls"
		"freq_est_interval 0" "free_running 1")
	mcfg=$(it_cfg "m$tag.cfg" "${opts[@]}" "priority1 100" \
		"uds_address $IT_WORK/m$tag.uds" \
		"uds_ro_address $IT_WORK/m$tag.ro.uds" "$(it_gn_private)")
	if [ "$MASTER" = ptp4l ]; then
		# ptp4l 3.1.1 has no uds_ro_address; publish_path is ours.
		sed -i '/uds_ro_address/d; /publish_path/d' "$mcfg"
		it_start "m$tag" "$NS_M" "m$tag.log" ptp4l -4 -S -m -q -i veth0 -f "$mcfg"
	else
		it_start "m$tag" "$NS_M" "m$tag.log" "$GNOMOND" -4 -S -m -q -i veth0 -f "$mcfg"
	fi
	gcfg=$(it_cfg "g$tag.cfg" "${opts[@]}" "slaveOnly 1" \
		"uds_address $IT_WORK/g$tag.uds" \
		"uds_ro_address $IT_WORK/g$tag.ro.uds" "$(it_gn_private)")
	pcfg=$(it_cfg "p$tag.cfg" "${opts[@]}" "slaveOnly 1" \
		"uds_address $IT_WORK/p$tag.uds")
	it_start "g$tag" "$NS_G" "g$tag.log" "$GNOMOND" -4 -S -m -q -i veth0 -f "$gcfg"
	it_start "p$tag" "$NS_P" "p$tag.log" ptp4l -4 -S -m -q -i veth0 -f "$pcfg"
	it_must_wait_line "g$tag" "master offset" 30 "gnomond: first master offset"
	it_must_wait_line "p$tag" "master offset" 30 "ptp4l: first master offset"
	echo "logSyncInterval $ls: both slaves measuring; warm-up ${WARM} s, then ${DUR} s"
	sleep "$WARM"
	it_expect_alive "m$tag" "g$tag" "p$tag"
	gp=$(it_pid "g$tag")
	pp=$(it_pid "p$tag")
	ta=$(it_monotonic)
	local g0 p0
	g0=$(cpu_ticks "$gp")
	p0=$(cpu_ticks "$pp")
	local left=$DUR
	while [ "$left" -gt 0 ]; do
		local step=$((left > 30 ? 30 : left))
		sleep "$step"
		left=$((left - step))
		it_expect_alive "m$tag" "g$tag" "p$tag"
		[ "$left" -gt 0 ] && echo "  ... $((DUR - left)) s of $DUR"
	done
	tb=$(it_monotonic)
	local g1 p1
	g1=$(cpu_ticks "$gp")
	p1=$(cpu_ticks "$pp")
	if [ "$ls" = -4 ]; then
		RES_WALL=$(awk -v a="$tb" -v b="$ta" 'BEGIN { printf "%.1f", a - b }')
		RES_G_CPU=$(awk -v a="$g1" -v b="$g0" -v hz="$HZ" 'BEGIN { printf "%.2f", (a - b) / hz }')
		RES_P_CPU=$(awk -v a="$p1" -v b="$p0" -v hz="$HZ" 'BEGIN { printf "%.2f", (a - b) / hz }')
		RES_G_RSS=$(status_kb "$gp" VmRSS)
		RES_G_HWM=$(status_kb "$gp" VmHWM)
		RES_P_RSS=$(status_kb "$pp" VmRSS)
		RES_P_HWM=$(status_kb "$pp" VmHWM)
	fi
	it_master_offsets "$(it_logf "g$tag")" "$ta" "$tb" |
		awk -v a="$ta" '{ printf "%.3f\t%d\n", $1 - a, $2 }' >"$IT_WORK/$tag.gn"
	it_master_offsets "$(it_logf "p$tag")" "$ta" "$tb" |
		awk -v a="$ta" '{ printf "%.3f\t%d\n", $1 - a, $2 }' >"$IT_WORK/$tag.p4"
	it_kill "m$tag" TERM
	it_kill "g$tag" TERM
	it_kill "p$tag" TERM
	[ -s "$IT_WORK/$tag.gn" ] || it_die "no gnomond offsets at logSyncInterval $ls"
	[ -s "$IT_WORK/$tag.p4" ] || it_die "no ptp4l offsets at logSyncInterval $ls"
}

stats() { it_stats <"$1"; }   # -> n rms max mean
# p99 FILE: 99th percentile of |offset|.
p99() {
	awk '{ print ($2 < 0 ? -$2 : $2) }' "$1" | sort -n |
		awk '{ v[NR] = $1 } END { i = int(NR * 0.99 + 0.999); if (i < 1) i = 1; print v[i] + 0 }'
}
# sub1s FILE: the first sample of each second (gnomond at 16 Sync/s,
# thinned to ptp4l's one line a second for a like-for-like max).
sub1s() { awk '{ s = int($1); if (!(s in seen)) { seen[s] = 1; print } }' "$1"; }

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

run 0
run -4
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
sub1s "$IT_WORK/s-4.gn" >"$IT_WORK/s-4.gn1"

# Each file: gnomond block, two blank lines, ptp4l block (gnuplot's
# "index 0" and "index 1").
for ls in 0 -4; do
	{
		printf '# t_s\tgnomond_offset_ns\n'
		cat "$IT_WORK/s$ls.gn"
		printf '\n\n# t_s\tptp4l_offset_ns\n'
		cat "$IT_WORK/s$ls.p4"
	} >"$OUT/ptp4l_offsets_sync$ls.tsv"
done

# row LS GNFILE LABEL: gnomond's row (ratios against ptp4l's), then
# (unless LABEL says sub) ptp4l's row.
row() {
	local gn grms gmax gmean pn prms pmax pmean rr rm_ g99 p99_ r99
	read -r gn grms gmax gmean < <(stats "$2")
	read -r pn prms pmax pmean < <(stats "$IT_WORK/s$1.p4")
	g99=$(p99 "$2")
	p99_=$(p99 "$IT_WORK/s$1.p4")
	rr=$(awk -v a="$grms" -v b="$prms" 'BEGIN { printf (b > 0 ? "%.2f" : "-"), a / b }')
	rm_=$(awk -v a="$gmax" -v b="$pmax" 'BEGIN { printf (b > 0 ? "%.2f" : "-"), a / b }')
	r99=$(awk -v a="$g99" -v b="$p99_" 'BEGIN { printf (b > 0 ? "%.2f" : "-"), a / b }')
	printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$3" "$gn" "$grms" "$g99" "$gmax" "$gmean" "$rr" "$r99" "$rm_"
	case "$3" in *sub*) ;; *)
		printf '| %s | ptp4l | %s | %s | %s | %s | %s | | | |\n' "$1" "$pn" "$prms" "$p99_" "$pmax" "$pmean" ;;
	esac
	echo "logSyncInterval $1, $3: rms $grms p99 $g99 max $gmax ns ($gn samples); ptp4l rms $prms p99 $p99_ max $pmax ns ($pn samples); ratios rms $rr p99 $r99 max $rm_" >&2
}

cpu_pct() { awk -v c="$1" -v w="$RES_WALL" 'BEGIN { printf "%.2f", 100 * c / w }'; }
{
	echo "# gnomond vs linuxptp ptp4l: measurement error and resources"
	echo
	echo "Written by scripts/bench_ptp4l.sh on $(date -u '+%Y-%m-%d %H:%M UTC')."
	echo "Machine: $(uname -r), $(nproc) cores; ptp4l $(ptp4l -v 2>&1),"
	echo "gnomond $("$GNOMOND" -v 2>&1) (binary built $(stat -c %y "$GNOMOND" | cut -c1-16) from a working tree at"
	echo "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') or later). Load average (1/5/15 min) before: $LOAD0, after: $LOAD1"
	echo "(other work shared the machine)."
	echo
	echo "Setup: network namespaces on a Linux bridge (veth), UDP/IPv4, E2E,"
	echo "software time stamps. Master: $MASTER (free_running 1). Slaves: gnomond"
	echo "and ptp4l with the same options (slaveOnly 1, free_running 1,"
	echo "logAnnounceInterval 0, logMinDelayReqInterval = logSyncInterval,"
	echo "summary_interval = logSyncInterval, freq_est_interval 0), both on the"
	echo "system clock that every namespace shares, neither steering it: each"
	echo "reported \"master offset\" is pure measurement error. $WARM s warm-up,"
	echo "then $DUR s per run."
	echo
	echo "## Offset reported by each slave (ns)"
	echo
	echo "| logSyncInterval | slave | samples | RMS | p99 abs | max abs | mean | RMS ratio gnomond/ptp4l | p99 ratio | max ratio |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
	row 0 "$IT_WORK/s0.gn" gnomond
	row -4 "$IT_WORK/s-4.gn" gnomond
	row -4 "$IT_WORK/s-4.gn1" "gnomond, 1/s subsample"
	echo
	echo "A free_running ptp4l logs one offset per second at most"
	echo "(its frequency-estimation interval), gnomond one per Sync; each line"
	echo "is a single raw measurement. At logSyncInterval -4 ptp4l's lines are"
	echo "a 1-in-16 subsample, so the max of gnomond's 16x larger sample is not"
	echo "comparable: the \"1/s subsample\" row (gnomond's first sample of each"
	echo "second) is the like-for-like comparison."
	echo
	echo "## Resources over the ${RES_WALL} s run at 16 Sync/s (logSyncInterval -4)"
	echo
	echo "| slave | CPU time (s) | CPU % of one core | VmRSS (kB) | VmHWM (kB) |"
	echo "|---|---|---|---|---|"
	echo "| gnomond | $RES_G_CPU | $(cpu_pct "$RES_G_CPU") | $RES_G_RSS | $RES_G_HWM |"
	echo "| ptp4l | $RES_P_CPU | $(cpu_pct "$RES_P_CPU") | $RES_P_RSS | $RES_P_HWM |"
	echo
	echo "CPU time is utime+stime from /proc/PID/stat over the measurement"
	echo "window only (warm-up excluded); memory from /proc/PID/status at its end."
	echo
	echo "Plot: ptp4l_compare.png. Series: ptp4l_offsets_sync0.tsv,"
	echo "ptp4l_offsets_sync-4.tsv (gnomond block, then ptp4l block)."
} >"$OUT/ptp4l_compare.md"

gnuplot <<EOF
set terminal pngcairo size 1200,900 font "sans,10"
set output "$OUT/ptp4l_compare.png"
set multiplot layout 2,1 title "Offset reported by free-running slaves on one shared clock (measurement error)"
set grid
set autoscale xfix
set xlabel "time (s)"
set ylabel "offset (ns)"
set key top right
set title "logSyncInterval 0 (1 Sync/s)"
plot "$OUT/ptp4l_offsets_sync0.tsv" index 0 using 1:2 with linespoints pt 7 ps 0.4 lw 1 lc rgb "#1f77b4" title "gnomond", \
     "$OUT/ptp4l_offsets_sync0.tsv" index 1 using 1:2 with linespoints pt 5 ps 0.4 lw 1 lc rgb "#d62728" title "ptp4l"
set title "logSyncInterval -4 (16 Sync/s; ptp4l logs 1/s)"
plot "$OUT/ptp4l_offsets_sync-4.tsv" index 0 using 1:2 with lines lw 1 lc rgb "#1f77b4" title "gnomond", \
     "$OUT/ptp4l_offsets_sync-4.tsv" index 1 using 1:2 with linespoints pt 5 ps 0.5 lw 1 lc rgb "#d62728" title "ptp4l"
unset multiplot
EOF
[ -s "$OUT/ptp4l_compare.png" ] || it_die "gnuplot wrote no plot"
echo "written: $OUT/ptp4l_compare.md, $OUT/ptp4l_compare.png, $OUT/ptp4l_offsets_sync0.tsv, $OUT/ptp4l_offsets_sync-4.tsv"
cat "$OUT/ptp4l_compare.md"

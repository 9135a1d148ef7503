#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench_lib.sh [BUILD [SECONDS]] - libgnomon's benchmarks, each against a
# peer measured in the same run; results and plots in bench/results/.
#
#   BENCH_TAG=x tags the latency files (latency_*_x), BENCH_PERIODS_MS
#   picks the periods (default 1 16 20 50), BENCH_PRIO the priority.
#
#   lib_time_read.txt   gn_time_now against clock_gettime(CLOCK_REALTIME)
#                       (ns per call, ratio, reads per second)
#   latency_*           gnomon-latency against cyclictest (Debian's
#                       rt-tests) at the same SCHED_FIFO priority and
#                       interval, alternating, both holding
#                       /dev/cpu_dma_latency at 0: p50, p99, p99.9, max
#                       of the wake-up lateness and the ratios; plots.
#
# The synchronized clock is a real one: gnomond in two network namespaces
# (master on the shared system clock with free_running 1, slave on a
# virtual clock), as the namespace test runs it; the library reads the
# slave's page. Without namespaces (not root), the time-read benchmark
# runs on a page it publishes itself and the latency part is skipped.
# Never adjusts a clock of the machine.
set -u
BUILD=${1:-build}
DUR=${2:-${BENCH_SECONDS:-20}}
PERIODS_MS=${BENCH_PERIODS_MS:-"1 16 20 50"}
PRIO=${BENCH_PRIO:-80}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/bench/results
mkdir -p "$OUT"
GNOMOND=$BUILD/src/daemon/gnomond
CLIENT=$BUILD/tests/lib/ns_client
TIMEREAD=$BUILD/tests/lib/bench_lib_time
LATENCY=$BUILD/src/tools/gnomon-latency

export IT_PREFIX=gnbench
. "$ROOT/tests/integration/lib.sh"

if ! it_netns_possible; then
	echo "bench_lib: no network namespaces here (root needed):" \
		"time read on a self-published page only"
	"$TIMEREAD" | tee "$OUT/lib_time_read.txt"
	exit 0
fi
command -v cyclictest >/dev/null 2>&1 ||
	{ echo "bench_lib: cyclictest missing (scripts/bootstrap.sh installs rt-tests)"; exit 1; }

it_init
it_check_gnomond "$GNOMOND"
it_pair
mapfile -t MC < <(it_common_cfg master page)
mapfile -t SC < <(it_common_cfg slave page)
mcfg=$(it_cfg master.cfg "${MC[@]}" "free_running 1")
scfg=$(it_cfg slave.cfg "${SC[@]}" "clock_target virtual" \
	"virtual_clock_offset 20000000" "virtual_clock_freq 50000")
it_start master "$NS_A" master.log "$GNOMOND" -4 -S -q -i "$IF_A" -f "$mcfg"
it_start slave "$NS_B" slave.log "$GNOMOND" -4 -S -s -q -i "$IF_B" -f "$scfg"
SPAGE=$IT_WORK/slave.page
for _ in $(seq 1 50); do [ -f "$SPAGE" ] && break; sleep 0.1; done
"$CLIENT" wait "$SPAGE" LOCKED 120 || it_die "slave never LOCKED"

echo "=== time read"
{
	echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -r), $(nproc) CPUs," \
		"$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)," \
		"clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
	"$TIMEREAD" "$SPAGE"
} | tee "$OUT/lib_time_read.txt"

# p-quantile (floor us, as cyclictest's buckets) of a "us count" file.
hist_q() {
	awk -v q="$2" '!/^#/ && NF >= 2 { n[NR] = $1; c[NR] = $2; tot += $2 }
	     END { need = q * tot; if (need < 1) need = 1; acc = 0;
	           for (i = 1; i <= NR; i++) { if (!(i in c)) continue;
	             acc += c[i]; if (acc >= need) { print n[i] + 0; exit } } }' "$1"
}
hist_max() {
	awk '!/^#/ && NF >= 2 && $2 > 0 { m = $1 } END { print m + 0 }' "$1"
}
hist_n() {
	awk '!/^#/ && NF >= 2 { t += $2 } END { print t + 0 }' "$1"
}

echo "=== pulse latency: gnomon-latency vs cyclictest, 2 x ${DUR} s each," \
	"SCHED_FIFO $PRIO"
SUM=$OUT/latency_summary${BENCH_TAG:+_$BENCH_TAG}.txt
{
	echo "# gnomon-latency (libgnomon pulses on gnomond's virtual clock)" \
		"vs cyclictest -t1 -p$PRIO (CLOCK_MONOTONIC), same interval," \
		"2 rounds of ${DUR} s each in alternating order, summed; both" \
		"hold /dev/cpu_dma_latency at 0."
	echo "# lateness in us (floor, cyclictest's histogram buckets)." \
		"$(uname -r), $(nproc) CPUs"
	printf '%-10s %-14s %8s %6s %6s %7s %7s\n' period tool count p50 p99 \
		p99.9 max
} >"$SUM"
RATIOS=""
# Sums "us count" histograms (comment lines dropped) into one.
hist_sum() {
	local out=$1
	shift
	awk '!/^#/ && NF >= 2 { c[$1 + 0] += $2; if ($1 + 0 > m) m = $1 + 0 }
	     END { for (i = 0; i <= m; i++) printf "%d %d\n", i, c[i] }' \
		"$@" >"$out"
}
for p in $PERIODS_MS; do
	us=$((p * 1000))
	loops=$((DUR * 1000 / p))
	tag=${p}ms${BENCH_TAG:+_$BENCH_TAG}
	g=$OUT/latency_gnomon_$tag
	c=$OUT/latency_cyclictest_$tag
	: >"$g.txt"
	# Two rounds, in both orders, so drift of the machine hits both.
	for round in 1 2; do
		run_g() {
			"$LATENCY" -p "$SPAGE" -P "$p" -d "$DUR" -r "$PRIO" -L \
				-o "$IT_WORK/g$round" | tee -a "$g.txt"
		}
		run_c() {
			cyclictest -q -m -t1 -p"$PRIO" -i "$us" -l "$loops" \
				-h 20000 --histfile="$IT_WORK/c$round.hist" \
				>/dev/null 2>&1 || it_die "cyclictest failed"
		}
		if [ $round = 1 ]; then run_g; run_c; else run_c; run_g; fi
	done
	hist_sum "$g.dat" "$IT_WORK/g1.dat" "$IT_WORK/g2.dat"
	hist_sum "$c.hist" "$IT_WORK/c1.hist" "$IT_WORK/c2.hist"
	c=$c.hist
	for tool in gnomon cyclictest; do
		f=$g.dat
		[ $tool = cyclictest ] && f=$c
		printf '%-10s %-14s %8s %6s %6s %7s %7s\n' "${p}ms" "$tool" \
			"$(hist_n "$f")" "$(hist_q "$f" 0.5)" "$(hist_q "$f" 0.99)" \
			"$(hist_q "$f" 0.999)" "$(hist_max "$f")" >>"$SUM"
	done
	r99=$(awk -v a="$(hist_q "$g.dat" 0.99)" -v b="$(hist_q "$c" 0.99)" \
		'BEGIN { printf "%.2f", (a + 1) / (b + 1) }')
	r999=$(awk -v a="$(hist_q "$g.dat" 0.999)" -v b="$(hist_q "$c" 0.999)" \
		'BEGIN { printf "%.2f", (a + 1) / (b + 1) }')
	RATIOS="$RATIOS${p}ms: p99 $r99, p99.9 $r999\n"
	if command -v gnuplot >/dev/null 2>&1; then
		gnuplot <<EOF
set terminal pngcairo size 900,500 noenhanced
set output '$OUT/latency_$tag.png'
set title 'wake-up lateness, ${p} ms period, 2 x ${DUR} s, SCHED_FIFO $PRIO'
set xlabel 'lateness (us, 1 us bins, log)'
set ylabel 'count'
set logscale xy
set grid
set style data points
plot '$g.dat' using (\$1+0.5):(\$2>0?\$2:1/0) pt 7 ps 0.5 title 'gnomon-latency (libgnomon pulses)', \
     '$c' using (\$1+0.5):(\$2>0?\$2:1/0) pt 6 ps 0.7 title 'cyclictest'
EOF
	fi
done
{
	echo "# ratios gnomon / cyclictest ((a+1)/(b+1) us; target <= 1.2):"
	printf '%b' "$RATIOS"
} >>"$SUM"
cat "$SUM"
echo "written: $OUT/lib_time_read.txt $SUM $OUT/latency_*"

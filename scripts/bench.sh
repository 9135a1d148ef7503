#!/bin/sh
# make bench: every benchmark; results and plots go to bench/results/.
#   engine  the core on the simulator, wall time per simulated event (no
#           peer: tracks our own regressions)
#   ptp4l   gnomond against linuxptp's ptp4l in the same run (namespaces;
#           needs root): measurement error, CPU, memory
#   sim     gnomon-sim scale and the servo matrix (pi, linreg, kalman)
#   lib     libgnomon time reads and pulse latency against clock_gettime
#           and cyclictest (when scripts/bench_lib.sh exists)
# BENCH="engine ptp4l" limits the set; BENCH_DURATION shortens ptp4l's.
set -eu
BUILD=${1:-build}
WHAT=${BENCH:-engine ptp4l sim lib}
mkdir -p bench/results
for b in $WHAT; do
	case $b in
	engine)
		out=bench/results/engine.txt
		"$BUILD/bench/bench_engine" | tee "$out"
		echo "written: $out"
		;;
	ptp4l) ./scripts/bench_ptp4l.sh "$BUILD" ;;
	sim) ./scripts/bench_sim.sh "$BUILD" all ;;
	lib) [ -x scripts/bench_lib.sh ] && ./scripts/bench_lib.sh "$BUILD" ;;
	*) echo "bench: unknown benchmark '$b'" >&2; exit 2 ;;
	esac
done

#!/bin/sh
# make bench: benchmarks that exist so far. Results go to bench/results/.
# - engine: the core on simnet, wall time per simulated event
#   (no peer exists for this one: it tracks our own regressions).
set -eu
BUILD=${1:-build}
mkdir -p bench/results
out=bench/results/engine.txt
"$BUILD/bench/bench_engine" | tee "$out"
echo "written: $out"

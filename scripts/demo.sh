#!/bin/sh
# make demo: until gnomond exists (issue 3), show the sans-IO core at work
# on simulated clocks: BMCA, one decoded E2E exchange, convergence.
set -eu
BUILD=${1:-build}
exec "$BUILD/src/tools/gnomon-demo"

#!/bin/sh
# Line coverage of the sans-IO core by the unit tests; fails under 90%.
set -eu
BUILD=${1:-build-cov}
gcovr -r . --filter 'src/core/' --exclude-unreachable-branches \
	--print-summary --fail-under-line 90 "$BUILD" | tail -n 40

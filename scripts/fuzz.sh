#!/bin/sh
# fuzz.sh - runs each libFuzzer target of gnomon for a while.
# Usage: scripts/fuzz.sh BUILD_FUZZ_DIR SECONDS
# BUILD_FUZZ_DIR is created when missing (clang, -Dfuzz=true, the core
# instrumented for coverage with ASan and UBSan). Each fuzzer runs for
# SECONDS with a corpus seeded from the golden captures in tests/data
# (kept in BUILD_FUZZ_DIR/corpus-NAME between runs); a crash leaves its
# input in BUILD_FUZZ_DIR/crash-NAME/ and makes the script exit non-zero.
set -eu
dir=${1:?usage: $0 BUILD_FUZZ_DIR SECONDS}
secs=${2:?usage: $0 BUILD_FUZZ_DIR SECONDS}
src=$(cd "$(dirname "$0")/.." && pwd)

if [ ! -f "$dir/build.ninja" ]; then
	CC=clang meson setup "$dir" "$src" -Dfuzz=true -Db_lundef=false \
		-Db_sanitize=address,undefined -Dbuildtype=debugoptimized \
		-Dc_args=-fsanitize=fuzzer-no-link
fi
ninja -C "$dir" tests/fuzz/fuzz_wire tests/fuzz/fuzz_mgmt
dir=$(cd "$dir" && pwd)

# hex golden file -> binary seed
seed() {
	grep -v '^#' "$1" | tr -d ' \n\r' | xxd -r -p >"$2"
}

status=0
for name in wire mgmt; do
	corpus=$dir/corpus-$name
	crash=$dir/crash-$name
	mkdir -p "$corpus" "$crash"
	for f in "$src"/tests/data/*.hex; do
		b=$(basename "$f" .hex)
		seed "$f" "$corpus/seed-$b"
		if [ $name = mgmt ]; then
			# managementId + dataField of a MANAGEMENT TLV at 48
			tail -c +53 "$corpus/seed-$b" >"$corpus/seed-$b-data"
		fi
	done
	echo "fuzz_$name: $secs s, corpus $(ls "$corpus" | wc -l) files"
	if ! UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		"$dir/tests/fuzz/fuzz_$name" -max_total_time="$secs" \
		-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$crash/" "$corpus" \
		>"$dir/fuzz_$name.log" 2>&1; then
		echo "fuzz_$name: FAILED, see $dir/fuzz_$name.log" \
			"and $crash/" >&2
		tail -30 "$dir/fuzz_$name.log" >&2
		status=1
	else
		grep -E '^stat::(number_of_executed_units|new_units_added)' \
			"$dir/fuzz_$name.log" | sed "s/^/fuzz_$name: /"
	fi
done
exit $status

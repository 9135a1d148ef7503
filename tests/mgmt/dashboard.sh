#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# dashboard.sh BUILD_DIR - the dashboard in Debian's headless Chromium:
# a gnomond grandmaster (free_running) and a gnomond slave (virtual
# clock, 2 ms and 20 ppm off, metrics on 127.0.0.1 in its namespace) over
# veth; playwright-core (npm ci into a temporary directory) opens the
# page, waits for live data, checks plots and port table, and saves
# bench/results/dashboard.png. Namespaces and processes are removed on
# exit, also on failure.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../integration/lib.sh"
BUILD=$(cd "$1" && pwd)
GNOMOND=$BUILD/src/daemon/gnomond
SHOT=${GN_DASHBOARD_PNG:-$HERE/../../bench/results/dashboard.png}

it_require_netns
[ -x /usr/bin/chromium ] || it_skip "no /usr/bin/chromium (scripts/bootstrap.sh installs it)"
command -v npm >/dev/null 2>&1 || it_skip "no npm"
it_init
it_check_gnomond "$GNOMOND"
mkdir -p "$IT_WORK/npm"
cp "$HERE/../web/package.json" "$HERE/../web/package-lock.json" \
	"$HERE/../web/dashboard.mjs" "$IT_WORK/npm/"
(cd "$IT_WORK/npm" && timeout 300 npm ci --no-audit --no-fund --silent) ||
	it_die "npm ci of playwright-core failed"
it_pair
common=(--logAnnounceInterval -2 --logSyncInterval -2
	--logMinDelayReqInterval -2 --announceReceiptTimeout 3)
it_start m "$NS_A" m.log "$GNOMOND" -4 -S -m -q -i "$IF_A" \
	--free_running 1 --priority1 100 "${common[@]}" \
	--uds_address "$IT_WORK/m.uds" --uds_ro_address "$IT_WORK/m.ro"
it_start s "$NS_B" s.log "$GNOMOND" -4 -S -m -q -s -i "$IF_B" \
	--clock_target virtual --virtual_clock_offset 2000000 \
	--virtual_clock_freq 20000 "${common[@]}" --summary_interval -2 \
	--metrics_port 9120 \
	--uds_address "$IT_WORK/s.uds" --uds_ro_address "$IT_WORK/s.ro"
it_must_wait_line s "master offset" 40 "first offset sample"
mkdir -p "$(dirname "$SHOT")"
out=$(ip netns exec "$NS_B" timeout 90 env NODE_PATH="$IT_WORK/npm/node_modules" \
	node "$IT_WORK/npm/dashboard.mjs" http://127.0.0.1:9120/ "$SHOT" 2>&1) ||
	it_die "dashboard check: $out"
echo "$out"
[ -s "$SHOT" ] || it_die "no screenshot"
it_pass "dashboard live: plots have points, port table filled, $SHOT"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# pmc_compat.sh BUILD_DIR - linuxptp's pmc (the installed one) and
# gnomonctl's pmc mode (--compat matching pmc's major version) against
# the same gnomond, for every id in pmc's table, each GET (and the SETs
# pmc can send) run by both back to back: the outputs must be equal,
# but for counters and times that move between the two runs, which are
# compared by field name only. Also scrapes /metrics and checks names,
# types and the counters' _total suffix.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../integration/lib.sh"
BUILD=$(cd "$1" && pwd)
GNOMOND=$BUILD/src/daemon/gnomond
CTL=$BUILD/src/tools/gnomonctl

it_require_netns
it_init
it_require_prog pmc curl
it_check_gnomond "$GNOMOND"
major=$(pmc -v 2>&1 | sed -n 's/^\([0-9]*\)\..*/\1/p')
compat=4
[ "$major" = 3 ] && compat=3
it_pair
it_start m "$NS_A" m.log "$GNOMOND" -4 -S -m -q -i "$IF_A" --free_running 1 \
	--uds_address "$IT_WORK/m.uds" --uds_ro_address "$IT_WORK/m.ro" \
	--metrics_port 9121
it_must_wait_line m "to MASTER on" 20 "port to MASTER"
ids=$(pmc -u -b 0 -s "$IT_WORK/m.uds" help 2>&1 | sed -n 's/^\t\[action\] //p')
[ -n "$ids" ] || it_die "pmc help listed no ids"
# Fields whose values move between two runs a few ms apart.
volatile='^\t\t(rx_|tx_|ingress_time|master_offset|announce_timeout|sync_timeout)'
norm() { sed -E "s/$volatile([A-Za-z_]*) +.*/\1\2 X/" | sed -E 's/seq [0-9]+/seq N/'; }
n=0 fail=0
run_both() {
	local cmd=$1 p g
	p=$(ip netns exec "$NS_A" timeout 10 pmc -u -b 0 -s "$IT_WORK/m.uds" "$cmd" 2>&1 | norm)
	g=$(ip netns exec "$NS_A" timeout 10 "$CTL" --compat "$compat" -u -b 0 \
		-s "$IT_WORK/m.uds" "$cmd" 2>&1 | norm)
	n=$((n + 1))
	if [ "$p" != "$g" ]; then
		fail=$((fail + 1))
		echo "DIFF for '$cmd':"
		diff <(echo "$p") <(echo "$g")
	fi
}
for id in $ids; do
	run_both "GET $id"
done
# Every name of pmc's table, also those pmc refuses itself, and errors.
for cmd in "GET TIME" "CMD ENABLE_PORT" "SET DEFAULT_DATA_SET" \
	"GET PORT_" "GET NOPE" "SET PRIORITY1 99" "SET PRIORITY2 120" \
	"SET PRIORITY1" "SET SYNCHRONIZATION_UNCERTAIN_NP 1" \
	"SET GRANDMASTER_SETTINGS_NP clockClass 13 clockAccuracy 0x21 offsetScaledLogVariance 0x4e5d currentUtcOffset 37 leap61 0 leap59 0 currentUtcOffsetValid 1 ptpTimescale 1 timeTraceable 1 frequencyTraceable 0 timeSource 0x20" \
	"SET PORT_DATA_SET_NP neighborPropDelayThresh 900 asCapable 1" \
	"TARGET *" "GET DEFAULT_DATA_SET"; do
	run_both "$cmd"
done
echo "$n commands, $fail differences"
[ "$fail" = 0 ] || it_die "gnomonctl --compat $compat differs from pmc"
[ "$n" -ge 35 ] || it_die "only $n commands compared"

# The metrics endpoint: every sample belongs to a declared family, types
# are gauge/counter, counters end in _total, the names we promise exist.
m=$(ip netns exec "$NS_A" curl -sf http://127.0.0.1:9121/metrics) ||
	it_die "metrics endpoint did not answer"
echo "$m" | awk '
/^# TYPE / { type[$3] = $4; if ($4 != "gauge" && $4 != "counter") bad = bad " type:" $3;
	     if ($4 == "counter" && $3 !~ /_total$/) bad = bad " counter:" $3; next }
/^#/ { next }
{ name = $1; sub(/\{.*/, "", name);
  if (!(name in type)) bad = bad " undeclared:" name;
  if (name !~ /^gnomon_[a-z0-9_]+$/) bad = bad " name:" name;
  if ($NF !~ /^-?[0-9.e+-]+$/) bad = bad " value:" $0; n++ }
END { if (bad != "") { print "BAD" bad; exit 1 } print n " samples ok" }' ||
	it_die "metrics format"
for want in gnomon_offset_from_master_seconds gnomon_mean_path_delay_seconds \
	gnomon_frequency_adjustment_ratio gnomon_servo_state \
	gnomon_port_state gnomon_port_rx_messages_total \
	gnomon_port_tx_messages_total gnomon_port_rx_bad_total \
	gnomon_grandmaster_clock_class gnomon_steps_removed \
	gnomon_utc_offset_seconds gnomon_time_property \
	gnomon_error_bound_seconds; do
	echo "$m" | grep -q "^$want[ {]" || it_die "metrics lack $want"
done
echo "$m" | grep -q '^gnomon_port_state{port="1",interface="veth0",state="MASTER"} 6$' ||
	it_die "port state sample wrong"
echo "$m" | grep -Eq '^gnomon_port_tx_messages_total\{port="1",interface="veth0",type="Announce"\} [1-9]' ||
	it_die "no Announce counted"
it_pass "pmc and gnomonctl agree on $n commands; metrics well formed"

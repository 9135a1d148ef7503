#!/bin/sh
# check_tshark.sh - dissects gnomon's serialized messages with Wireshark.
# Usage: tests/check_tshark.sh BUILD_DIR [--broken]
# Runs BUILD_DIR/tests/tshark/gen_pcap (every message type with typical
# TLVs, over UDP/IPv4 and Ethernet), then `tshark -r FILE -V`, and fails if
# the output has "Malformed", an Expert Info at severity Error or Warning,
# or a packet that was not dissected as PTP. --broken passes --broken to
# gen_pcap (one deliberately malformed packet): the check must then fail.
# Exits 77 (skip) when tshark is not installed.
set -eu
build=${1:?usage: $0 BUILD_DIR [--broken]}
extra=${2:-}
gen=$build/tests/tshark/gen_pcap

if ! command -v tshark >/dev/null 2>&1; then
	echo "check_tshark: tshark not installed, skipping"
	exit 77
fi
[ -x "$gen" ] || { echo "check_tshark: $gen not built" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
n=$("$gen" "$tmp/gnomon.pcap" $extra)

# A private HOME keeps the user's Wireshark preferences out of the check.
if ! HOME=$tmp tshark -r "$tmp/gnomon.pcap" -V >"$tmp/dissect.txt" \
	2>"$tmp/tshark.err"; then
	echo "check_tshark: tshark failed:" >&2
	cat "$tmp/tshark.err" >&2
	exit 1
fi
frames=$(grep -c '^Frame [0-9]' "$tmp/dissect.txt" || true)
ptp=$(grep -c '^Precision Time Protocol' "$tmp/dissect.txt" || true)
bad=$(grep -n -E 'Malformed|Expert Info \((Error|Warning)' \
	"$tmp/dissect.txt" || true)

status=0
if [ "$frames" != "$n" ]; then
	echo "check_tshark: wrote $n packets, tshark read $frames" >&2
	status=1
fi
if [ "$ptp" != "$n" ]; then
	echo "check_tshark: only $ptp of $n packets dissected as PTP" >&2
	status=1
fi
if [ -n "$bad" ]; then
	echo "check_tshark: tshark reports problems:" >&2
	printf '%s\n' "$bad" | head -20 >&2
	status=1
fi
if [ $status -eq 0 ]; then
	echo "check_tshark: $n packets checked, none malformed, no expert" \
		"errors or warnings"
fi
exit $status

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# cmdline.sh GNOMOND VERSION - the command line and configuration errors
# of the real binary: each bad file, value or option makes gnomond exit
# non-zero at once, naming the file and line (or "command line") and the
# option; -h prints usage and exits 0; -v prints VERSION and exits 0.
# Needs no root and no namespace: every case fails before any socket is
# opened (the interface is lo, the socket paths are in a private
# directory, and each run is bounded by timeout).
set -u
. "$(dirname "$0")/lib.sh"
GNOMOND=$1
VERSION=$2

it_init
it_check_gnomond "$GNOMOND"
NFAIL=0
N=0

# bad NAME EXPECT_ERE... -- ARGS...: gnomond ARGS must exit non-zero
# within 5 s and its output must match every EXPECT_ERE.
bad() {
	local name=$1 out rc re
	shift
	local res=()
	while [ "$1" != -- ]; do
		res+=("$1")
		shift
	done
	shift
	N=$((N + 1))
	out=$(timeout 5 "$GNOMOND" "$@" 2>&1)
	rc=$?
	if [ "$rc" = 0 ] || [ "$rc" = 124 ]; then
		echo "FAIL  $name: exit status $rc (want an error exit)"
		echo "      output: $out"
		NFAIL=$((NFAIL + 1))
		return
	fi
	for re in "${res[@]}"; do
		if ! grep -Eq -- "$re" <<<"$out"; then
			echo "FAIL  $name: output does not match /$re/"
			echo "      output: $out"
			NFAIL=$((NFAIL + 1))
			return
		fi
	done
	echo "ok    $name (exit $rc): $(head -n 1 <<<"$out")"
}

# cfgfile NAME LINES...: a file under the work directory.
cfgfile() {
	local f="$IT_WORK/$1"
	shift
	printf '%s\n' "$@" >"$f"
	echo "$f"
}
# Every run that would get past the configuration gets private sockets.
S=(--uds_address "$IT_WORK/x.uds" --uds_ro_address "$IT_WORK/x.ro.uds")

f=$(cfgfile unknown.cfg "[global]" "foo_bar 1")
bad "unknown option in a file" "$f:2:" "foo_bar" -- -m -q -i lo -f "$f" "${S[@]}"
f=$(cfgfile range.cfg "[global]" "priority1 300")
bad "value out of range" "$f:2:" "priority1" "0\.\.255" -- -m -q -i lo -f "$f" "${S[@]}"
f=$(cfgfile nan.cfg "[global]" "priority1 10" "logSyncInterval abc")
bad "not a number (line 3)" "$f:3:" "logSyncInterval" -- -m -q -i lo -f "$f" "${S[@]}"
f=$(cfgfile enum.cfg "[global]" "clock_target bogus")
bad "bad enumeration value" "$f:2:" "clock_target" "virtual" -- -m -q -i lo -f "$f" "${S[@]}"
f=$(cfgfile novalue.cfg "[global]" "priority1")
bad "missing value" "$f:2:" "priority1" -- -m -q -i lo -f "$f" "${S[@]}"
f=$(cfgfile scope.cfg "[global]" "priority1 10" "[lo]" "priority1 20")
bad "global option in an interface section" "$f:4:" "priority1" -- -m -q -i lo -f "$f" "${S[@]}"
f=$(cfgfile section.cfg "[global" "priority1 10")
bad "malformed section header" "$f:1:" -- -m -q -i lo -f "$f" "${S[@]}"
f=$(cfgfile unsupported.cfg "[global]" "clock_servo ntpshm")
bad "value not supported yet" "$f:2:" "clock_servo" "not supported yet" -- -m -q -i lo -f "$f" "${S[@]}"
f=$(cfgfile vfreq.cfg "[global]" "virtual_clock_freq 5000000000")
bad "gnomon's own option out of range" "$f:2:" "virtual_clock_freq" -- -m -q -i lo -f "$f" "${S[@]}"
bad "bad value on the command line" "command line" "priority1" "0\.\.255" -- -m -q -i lo --priority1 999 "${S[@]}"
bad "unknown long option" "bogus" -- -m -q -i lo --bogus 1 "${S[@]}"
bad "long option without its value" "priority1" -- -m -q -i lo "${S[@]}" --priority1
bad "unknown short option" "-Z" -- -Z
bad "missing configuration file" "$IT_WORK/none.cfg" -- -m -q -i lo -f "$IT_WORK/none.cfg" "${S[@]}"
bad "no interface" "interface" -- -m -q "${S[@]}"
# PI constants with another servo are said to have no effect (lo has no
# MAC address, so the run ends right after the configuration).
f=$(cfgfile picon.cfg "[global]" "pi_proportional_const 0.5")
bad "PI constant with the Kalman servo" "pi_proportional_const has no effect with clock_servo kalman" -- -m -q -i lo -f "$f" "${S[@]}"
N=$((N + 1))
out=$(timeout 5 "$GNOMOND" -m -q -i lo -f "$f" --clock_servo pi "${S[@]}" 2>&1)
if grep -q "no effect" <<<"$out"; then
	echo "FAIL  PI constant with clock_servo pi: $out"
	NFAIL=$((NFAIL + 1))
else
	echo "ok    PI constant with clock_servo pi: no notice"
fi

N=$((N + 1))
out=$(timeout 5 "$GNOMOND" -h 2>&1)
rc=$?
if [ "$rc" = 0 ] && grep -q "usage:" <<<"$out" && grep -q -- "-i" <<<"$out"; then
	echo "ok    -h prints usage and exits 0"
else
	echo "FAIL  -h: exit $rc, output: $(head -n 3 <<<"$out")"
	NFAIL=$((NFAIL + 1))
fi
N=$((N + 1))
out=$(timeout 5 "$GNOMOND" -v 2>&1)
rc=$?
if [ "$rc" = 0 ] && grep -qx -- "$VERSION" <<<"$out"; then
	echo "ok    -v prints $VERSION and exits 0"
else
	echo "FAIL  -v: exit $rc, output '$out', want '$VERSION'"
	NFAIL=$((NFAIL + 1))
fi
[ -e "$IT_WORK/x.uds" ] && { echo "FAIL  a socket was created"; NFAIL=$((NFAIL + 1)); }

[ "$NFAIL" = 0 ] || it_die "$NFAIL of $N cases failed"
it_pass "$N command-line and configuration cases"

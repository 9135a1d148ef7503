#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run_local.sh GNOMON_PHC2SYS - gnomon-phc2sys on its own (no daemon, no
# namespace), every clock it steers a fake (--discipline_fake_clocks):
#
# 1. -C: as linuxptp's phc2sys, only CLOCK_REALTIME and CLOCK_AUX0..7 are
#    system clocks for -r; other names fail with phc2sys's messages.
#    CLOCK_TAI is a source only (-s), never a sink (-c).
# 2. -f FILE with "clock_servo refclock_sock" (a value gnomond's parser
#    refuses, the tool's hook accepts): the tool sends chrony SOCK
#    samples to the file's refclock_sock_address; a listener here
#    receives them (magic "SOCK", offset of the fake PHC).
# 2b. The servo is phc2sys's pi unless the file or -E says otherwise.
# 3. --extts_channel: a fake PHC 2.5 ms and 40 ppb off stamps the pulses
#    of a reference's whole seconds on an EXTTS channel and is locked to
#    them (offsets from 2.5 ms down to under 1 us, servo s2); with -s
#    CLOCK_REALTIME the whole seconds come from the (real, only read)
#    system clock: a PHC 1.3 s behind gets its seconds right.
#
# It never steers a real clock: the sinks are fakes, or (2) the samples
# go to the listener instead of a clock.
set -u
TOOL=$1
DIR=$(mktemp -d /tmp/gnomon-p2s-local.XXXXXX) || exit 1
PIDS=()
cleanup() {
	local rc=$?
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	if [ "$rc" != 0 ]; then
		for f in "$DIR"/*.log; do
			[ -f "$f" ] && { echo "----- $f"; tail -n 20 "$f"; }
		done
	fi
	rm -rf "$DIR"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

die() {
	echo "FAIL: $*"
	exit 1
}

# Runs the tool for at most $1 seconds; output in $DIR/$2.log; the exit
# status in $DIR/$2.rc.
run() {
	local secs=$1 name=$2
	shift 2
	timeout -s TERM "$secs" "$TOOL" "$@" >"$DIR/$name.log" 2>&1
	echo $? >"$DIR/$name.rc"
}

expect_fail() {
	local name=$1 msg=$2
	shift 2
	run 5 "$name" "$@"
	[ "$(cat "$DIR/$name.rc")" = 1 ] || die "$name: exit status $(cat "$DIR/$name.rc"), not 1"
	grep -qF -- "$msg" "$DIR/$name.log" || die "$name: no '$msg'"
}

# 1. -C
expect_fail c_mono "invalid clock CLOCK_MONOTONIC: system clocks are CLOCK_REALTIME and CLOCK_AUX0..CLOCK_AUX7" \
	-a -r -C CLOCK_MONOTONIC -m -q
expect_fail c_tai "invalid system clock CLOCK_TAI: it cannot be steered" \
	-a -r -C CLOCK_TAI -m -q
expect_fail c_phc "invalid system clock /dev/ptp0: not CLOCK_REALTIME or CLOCK_AUX0..CLOCK_AUX7" \
	-a -r -C /dev/ptp0 -m -q
expect_fail c_aux8 "invalid clock CLOCK_AUX8" -a -r -C CLOCK_AUX8 -m -q
expect_fail c_sink_tai "CLOCK_TAI cannot be a sink" \
	-s /dev/ptp7 -c CLOCK_TAI -O 0 -m -q --discipline_fake_clocks "/dev/ptp7=0"
expect_fail c_sink_mono "CLOCK_MONOTONIC: not a clock gnomon synchronizes" \
	-s /dev/ptp7 -c CLOCK_MONOTONIC -O 0 -m -q --discipline_fake_clocks "/dev/ptp7=0"
# CLOCK_TAI as a source: a fake PHC follows it (-O 0: both keep TAI).
run 6 tai -s CLOCK_TAI -c /dev/ptp7 -O 0 -m -q -R 4 \
	--discipline_fake_clocks "/dev/ptp7=3000000"
grep -q "/dev/ptp7 sys offset .* s2 " "$DIR/tai.log" || die "no locked /dev/ptp7 from CLOCK_TAI"
echo "ok: -C names, CLOCK_TAI as a source only"

# 2. clock_servo refclock_sock from a -f file.
cat >"$DIR/p2s.cfg" <<CONF
[global]
clock_servo refclock_sock
refclock_sock_address $DIR/refclock.sock
CONF
python3 - "$DIR/refclock.sock" >"$DIR/listener.log" 2>&1 <<'PY' &
import socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(15)
n = 0
while n < 3:
    d = s.recv(256)
    # struct sock_sample: timeval (16), offset (double), pulse, leap,
    # _pad (ints), magic (int): 40 bytes on LP64.
    if len(d) != 40:
        print("bad length", len(d)); sys.exit(1)
    off, pulse, leap, pad, magic = struct.unpack("=diiii", d[16:40])
    print("sample offset %.9f leap %d magic %x" % (off, leap, magic))
    if magic != 0x534f434b:
        sys.exit(1)
    n += 1
PY
LP=$!
PIDS+=("$LP")
for i in $(seq 1 50); do
	[ -S "$DIR/refclock.sock" ] && break
	sleep 0.1
done
run 6 sockfile -f "$DIR/p2s.cfg" -s /dev/ptp9 -O 0 -m -q -R 2 \
	--discipline_fake_clocks "/dev/ptp9=1500000"
wait "$LP" || die "the listener did not get 3 SOCK samples"
# The fake PHC is 1.5 ms ahead of the system clock: the sample's offset
# (chrony's sock_sample: reference - local) is +1.5 ms, the log line's
# (sink - source, phc2sys's) -1.5 ms.
awk '/^sample/ { o = $3 < 0 ? -$3 : $3; if (o < 0.0014 || o > 0.0016) bad = 1 }
	END { exit bad }' "$DIR/listener.log" || die "SOCK offsets not 1.5 ms: $(cat "$DIR/listener.log")"
awk '/^sample/ && $3 <= 0 { bad = 1 } END { exit bad }' "$DIR/listener.log" ||
	die "SOCK offset sign"
grep "CLOCK_REALTIME phc offset" "$DIR/sockfile.log" |
	awk '{ if ($5 > -1400000 || $5 < -1600000) bad = 1; n++ }
		END { exit bad || n < 3 }' || die "log offsets not -1.5 ms"
# gnomond's parser still refuses the value in a file without the hook:
# the tool's -f is what accepts it (checked in test_discipline too).
echo "ok: clock_servo refclock_sock from a -f file"

# The servo: phc2sys's pi by default (whatever gnomond's default is),
# the file's clock_servo, -E over the file.
printf '[global]\nclock_servo kalman\n' >"$DIR/kalman.cfg"
servo_of() {
	local name=$1
	shift
	run 2 "$name" -s /dev/ptp7 -c /dev/ptp8 -O 0 -m -q -l 7 \
		--discipline_fake_clocks "/dev/ptp7=0,/dev/ptp8=1000" "$@"
	grep -o "clock servo [a-z_]*" "$DIR/$name.log" | head -n 1
}
[ "$(servo_of sv_default)" = "clock servo pi" ] || die "default servo: $(servo_of sv_default)"
[ "$(servo_of sv_file -f "$DIR/kalman.cfg")" = "clock servo kalman" ] || die "file servo"
[ "$(servo_of sv_e -f "$DIR/kalman.cfg" -E linreg)" = "clock servo linreg" ] || die "-E over the file"
[ "$(servo_of sv_long --clock_servo kalman)" = "clock servo kalman" ] || die "--clock_servo"
echo "ok: servo choice"

# 3. External time stamps.
run 7 extts -c /dev/ptp7 --extts_channel 1 -m -q \
	--discipline_fake_clocks "/dev/ptp7=2500000:40:x"
first=$(grep -m1 "/dev/ptp7 extts offset" "$DIR/extts.log" | awk '{print $5}')
[ -n "$first" ] || die "no extts offset"
[ "$first" -gt 2499000 ] && [ "$first" -lt 2501000 ] || die "first extts offset $first, not 2.5 ms"
n=$(grep -c "/dev/ptp7 extts offset .* s2 " "$DIR/extts.log")
[ "$n" -ge 3 ] || die "only $n locked extts updates"
worst=$(grep "/dev/ptp7 extts offset .* s2 " "$DIR/extts.log" | tail -n 3 |
	awk '{ v = $5 < 0 ? -$5 : $5; if (v > m) m = v } END { print m + 0 }')
[ "$worst" -lt 1000 ] || die "extts offsets up to $worst ns"
run 7 extts_secs -s CLOCK_REALTIME -O 0 -c /dev/ptp7 --extts_channel 0 \
	--extts_correction 100 -m -q \
	--discipline_fake_clocks "/dev/ptp7=-1300000000:40:x"
first=$(grep -m1 "/dev/ptp7 extts offset" "$DIR/extts_secs.log" | awk '{print $5}')
[ -n "$first" ] || die "no extts offset (with -s)"
# -1.3 s, plus 100 ns of correction, plus up to 1 ms of system clock
# drift against the fake's raw time base.
[ "$first" -gt -1301000000 ] && [ "$first" -lt -1299000000 ] ||
	die "first extts offset with -s $first, not -1.3 s"
grep -q "/dev/ptp7 extts offset .* s2 " "$DIR/extts_secs.log" || die "no lock with -s"
expect_fail extts_nosink "cannot use an external time stamp channel unless destination is one PHC (-c)" \
	--extts_channel 0 -m -q
expect_fail extts_chan "/dev/ptp7: no channel 2: Invalid argument" \
	-c /dev/ptp7 --extts_channel 2 -m -q --discipline_fake_clocks "/dev/ptp7=0:0:x"
expect_fail extts_pol "--extts_polarity: bad value 'both' (allowed: rising, falling)" \
	-c /dev/ptp7 --extts_channel 0 --extts_polarity both -m -q
expect_fail extts_pin "--extts_pin, --extts_polarity and --extts_correction need --extts_channel" \
	-c /dev/ptp7 --extts_pin 1 -m -q
expect_fail extts_auto "autoconfiguration cannot be mixed with manual config options." \
	-a -r --extts_channel 0 -m -q
echo "ok: --extts_channel"
echo "PASS"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# failover.sh GNOMOND - three gnomond on a bridge (UDPv4, software
# stamping, every one on a virtual clock so nothing steers the machine):
#
#   gm1   priority1 100                     the best master
#   gm2   priority1 110                     a slave of gm1 at first
#   slave clientOnly
#
# 1. gm1 is elected: the slave and gm2 select it and reach SLAVE.
# 2. gm1 is killed (SIGKILL): the slave and gm2 log
#    ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES within announceReceiptTimeout *
#    2^logAnnounceInterval (3 s) plus at most one interval of random
#    extra, plus a 0.5 s margin, measured from the kill; gm2's port goes
#    to MASTER, the slave (clientOnly: to LISTENING) selects gm2 and
#    reaches SLAVE again.
# 3. gm1 restarts (same identity, same socket path: the stale socket must
#    not stop it): it becomes MASTER, and both gm2 (its port by S1 to
#    UNCALIBRATED, then SLAVE) and the slave select gm1 again.
# The times are read from the logs (CLOCK_MONOTONIC, the same clock as
# the kill time taken here).
#
# The linreg servo makes locking take a few samples instead of the PI
# servo's 20 s frequency-estimation wait, so the test stays short; the
# state machine and BMCA under test do not depend on the servo.
set -u
. "$(dirname "$0")/lib.sh"
GNOMOND=$1
ART=3     # announceReceiptTimeout
LAI=0     # logAnnounceInterval (1 s)

it_require_netns
it_init
it_check_gnomond "$GNOMOND"
it_bridge
it_bridge_node NS_G1 g1 1
it_bridge_node NS_G2 g2 2
it_bridge_node NS_S s 3

mac_identity() {
	ip -n "$1" link show veth0 | awk '/link\/ether/ { print $2 }' |
		awk -F: '{ printf "%s%s%s.fffe.%s%s%s\n", $1, $2, $3, $4, $5, $6 }'
}
GM1=$(mac_identity "$NS_G1")
GM2=$(mac_identity "$NS_G2")
echo "gm1 $GM1, gm2 $GM2"

cfg() { # NAME EXTRA-LINES...
	local n=$1
	shift
	it_cfg "$n.cfg" "logAnnounceInterval $LAI" \
		"announceReceiptTimeout $ART" "logSyncInterval -2" \
		"logMinDelayReqInterval -2" "summary_interval 0" \
		"clock_servo linreg" "clock_target virtual" \
		"uds_address $IT_WORK/$n.uds" \
		"uds_ro_address $IT_WORK/$n.ro.uds" "$(it_gn_private)" "$@"
}
C1=$(cfg gm1 "priority1 100")
C2=$(cfg gm2 "priority1 110")
CS=$(cfg slave "clientOnly 1" "virtual_clock_offset 3000000" \
	"virtual_clock_freq 20000")
it_start gm1 "$NS_G1" gm1.log "$GNOMOND" -4 -S -m -q -i veth0 -f "$C1"
it_start gm2 "$NS_G2" gm2.log "$GNOMOND" -4 -S -m -q -i veth0 -f "$C2"
it_start slave "$NS_S" slave.log "$GNOMOND" -4 -S -m -q -i veth0 -f "$CS"
L1=$(it_logf gm1)
L2=$(it_logf gm2)
LS=$(it_logf slave)

# must_after LOG ERE AFTER_S TIMEOUT_S WHAT -> prints the line's time.
must_after() {
	if ! it_wait_line_after "$1" "$2" "$3" "$4"; then
		it_die "no '$5' after +$(rel "$3") s (waited $4 s)"
	fi
	it_first_time_after "$1" "$2" "$3"
}
T0=$(it_monotonic)
rel() { awk -v a="$1" -v b="$T0" 'BEGIN { printf "%.2f", a - b }'; }
diff_s() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }
# in_range VALUE LO HI
in_range() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v >= lo && v <= hi) }'; }

echo "== 1. gm1 elected"
t=$(must_after "$L1" "to MASTER on" 0 15 "gm1 to MASTER")
echo "gm1 MASTER at +$(rel "$t") s"
t=$(must_after "$LS" "selected best master clock $GM1" 0 15 "slave selects gm1")
t=$(must_after "$LS" "UNCALIBRATED to SLAVE on" 0 15 "slave SLAVE")
echo "slave SLAVE (gm1) at +$(rel "$t") s"
t=$(must_after "$L2" "selected best master clock $GM1" 0 15 "gm2 selects gm1")
t=$(must_after "$L2" "UNCALIBRATED to SLAVE on" 0 15 "gm2 SLAVE")
echo "gm2 SLAVE (gm1) at +$(rel "$t") s"
sleep 2
it_expect_alive gm1 gm2 slave

echo "== 2. gm1 killed"
TK=$(it_monotonic)
it_kill gm1 KILL
echo "gm1 killed at +$(rel "$TK") s"
LIM=$(awk -v a="$ART" -v l="$LAI" 'BEGIN { printf "%.2f", a * 2 ^ l }')
HI=$(awk -v a="$LIM" -v l="$LAI" 'BEGIN { printf "%.2f", a + 2 ^ l + 0.5 }')
LO=$(awk -v a="$LIM" -v l="$LAI" 'BEGIN { printf "%.2f", a - 2 ^ l - 0.2 }')
for who in slave gm2; do
	log=$(it_logf "$who")
	t=$(must_after "$log" "ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES" "$TK" 10 \
		"$who ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES")
	d=$(diff_s "$t" "$TK")
	echo "$who: $(grep -E 'ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES' "$log" |
		awk -v t="$t" -F'[][]' '$2 >= t' | head -n 1)"
	in_range "$d" "$LO" "$HI" ||
		it_die "$who noticed the loss $d s after the kill (allowed $LO..$HI s: the last Announce was up to $((2 ** LAI)) s before it, timeout $LIM s + up to one interval)"
	echo "ok: $who noticed the loss of gm1 after $d s (allowed $LO..$HI s)"
done
t=$(must_after "$L2" "to MASTER on" "$TK" 10 "gm2 to MASTER")
d=$(diff_s "$t" "$TK")
in_range "$d" 0 "$HI" || it_die "gm2 became MASTER $d s after the kill"
echo "ok: gm2's port MASTER $d s after the kill"
grep -Eq "SLAVE to (LISTENING|MASTER) on ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES" "$LS" ||
	it_die "slave did not leave SLAVE on ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES"
grep -Eq "SLAVE to MASTER on" "$LS" && it_die "clientOnly slave became MASTER"
t=$(must_after "$LS" "selected best master clock $GM2" "$TK" 10 "slave selects gm2")
echo "ok: slave selected gm2 $(diff_s "$t" "$TK") s after the kill"
t=$(must_after "$LS" "to SLAVE on" "$t" 15 "slave SLAVE on gm2")
echo "ok: slave SLAVE again (gm2) $(diff_s "$t" "$TK") s after the kill"
sleep 2
it_expect_alive gm2 slave

echo "== 3. gm1 back"
TR=$(it_monotonic)
it_start gm1b "$NS_G1" gm1b.log "$GNOMOND" -4 -S -m -q -i veth0 -f "$C1"
L1B=$(it_logf gm1b)
t=$(must_after "$L1B" "to MASTER on" 0 15 "restarted gm1 to MASTER")
echo "ok: gm1 MASTER $(diff_s "$t" "$TR") s after its restart"
t=$(must_after "$L2" "selected best master clock $GM1" "$TR" 15 "gm2 selects gm1 again")
echo "ok: gm2 selected gm1 $(diff_s "$t" "$TR") s after the restart"
t2=$(must_after "$L2" "MASTER to (UNCALIBRATED|PASSIVE) on" "$TR" 5 "gm2 port leaves MASTER")
echo "gm2: $(grep -E 'MASTER to (UNCALIBRATED|PASSIVE) on' "$L2" | tail -n 1)"
t2=$(must_after "$L2" "to SLAVE on" "$t2" 15 "gm2 SLAVE of gm1")
echo "ok: gm2's port SLAVE (S1: its best is the best) $(diff_s "$t2" "$TR") s after the restart"
t=$(must_after "$LS" "selected best master clock $GM1" "$TR" 15 "slave selects gm1 again")
echo "ok: slave selected gm1 $(diff_s "$t" "$TR") s after the restart"
t=$(must_after "$LS" "to SLAVE on" "$t" 15 "slave SLAVE on gm1")
echo "ok: slave SLAVE (gm1) $(diff_s "$t" "$TR") s after the restart"
sleep 1
it_expect_alive gm1b gm2 slave

echo "slave's true error (virtual clock) over the whole run, once a second:"
it_vclock "$LS" | awk -v a="$T0" '{ printf "  %7.1f %10d\n", $1 - a, $2 }' | tail -n 40
it_pass "failover: loss noticed in time, gm2 took over, gm1 won back"

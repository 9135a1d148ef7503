#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# pmc.sh GNOMOND - linuxptp's pmc (Debian's 3.1.1) against gnomond's
# management sockets: a gnomond grandmaster (system clock, free_running)
# and a gnomond slave (virtual clock) over UDPv4, domain 7.
#
# Every GET is cross-checked against the configuration (priorities,
# domain, clockClass, intervals), the MAC-derived clockIdentity, the
# logs (grandmaster identity from "selected best master clock", offset
# and path delay from the slave's "master offset" lines) and the other
# daemon's answers; counters must grow; SETs must change what later GETs
# (here and at the slave, through Announce) return; SET over the
# read-only socket must be refused; a SUBSCRIBE_EVENTS_NP subscriber must
# receive port-state notifications. What pmc 3.1.1 cannot send (GET
# PORT_HWCLOCK_NP, COMMAND DISABLE_PORT/ENABLE_PORT) goes through
# mgmt_raw.pl (one raw 1588 management message); the ids of linuxptp 4.x
# (alternate time offsets, power profile, CMLDS info, port corrections,
# external grandmaster, unicast master table) through gnomonctl, whose
# output is pmc 4.x's. PORT_PROPERTIES_NP and PORT_HWCLOCK_NP are
# refused on the read-only socket, as ptp4l refuses them.
set -u
HERE=$(dirname "$0")
. "$HERE/lib.sh"
GNOMOND=$1

it_require_netns
it_init
it_require_prog pmc stdbuf
it_check_gnomond "$GNOMOND"
it_pair

DOM=7
MUDS=$IT_WORK/master.uds
SUDS=$IT_WORK/slave.uds
mcfg=$(it_cfg master.cfg "domainNumber $DOM" "priority1 100" \
	"priority2 90" "clockClass 248" "free_running 1" \
	"logAnnounceInterval 0" "announceReceiptTimeout 3" \
	"logSyncInterval -2" "logMinDelayReqInterval -2" \
	"summary_interval 0" "uds_address $MUDS" \
	"uds_ro_address $IT_WORK/master.ro.uds" "$(it_gn_private)")
# summary_interval = logSyncInterval: one "master offset" line per Sync.
# linreg locks within a few Syncs (the PI servo would first wait 28 s
# for its frequency estimate); the servo is not what this test is about.
scfg=$(it_cfg slave.cfg "domainNumber $DOM" "priority1 200" \
	"priority2 210" "clientOnly 1" "clock_target virtual" \
	"clock_servo linreg" \
	"virtual_clock_offset 20000000" "virtual_clock_freq 50000" \
	"logAnnounceInterval 0" "announceReceiptTimeout 3" \
	"logSyncInterval -2" "logMinDelayReqInterval -2" \
	"summary_interval -2" "uds_address $SUDS" \
	"uds_ro_address $IT_WORK/slave.ro.uds" "$(it_gn_private)")
it_start master "$NS_A" master.log "$GNOMOND" -4 -S -m -q -i "$IF_A" -f "$mcfg"
it_start slave "$NS_B" slave.log "$GNOMOND" -4 -S -m -q -i "$IF_B" -f "$scfg"
SLOG=$(it_logf slave)

it_must_wait_line master "to MASTER on" 15 "port to MASTER"
it_must_wait_line slave "UNCALIBRATED to SLAVE on" 30 "UNCALIBRATED to SLAVE"
sleep 2
it_expect_alive master slave

NFAIL=0
# check DESC ACTUAL EXPECTED
check() {
	if [ "$2" = "$3" ]; then
		echo "ok    $1 = $2"
	else
		echo "FAIL  $1 = '$2', expected '$3'"
		NFAIL=$((NFAIL + 1))
	fi
}
# check_true DESC CONDITION-RESULT(0/1) DETAIL
check_true() {
	if [ "$2" = 0 ]; then
		echo "ok    $1 ($3)"
	else
		echo "FAIL  $1 ($3)"
		NFAIL=$((NFAIL + 1))
	fi
}

# get NS SOCKET ID -> pmc output of one GET.
get() {
	it_pmc "$1" "$2" -d "$DOM" "GET $3"
}
# field OUTPUT NAME
field() { it_pmc_field "$1" "$2"; }

# raw NS SOCKET GET|COMMAND ID_HEX: mgmt_raw.pl.
raw() {
	ip netns exec "$1" timeout 10 perl "$HERE/mgmt_raw.pl" "$2" \
		"$IT_WORK/raw.sock" "$DOM" "$3" "$4" 2>&1
}

# MAC -> clockIdentity (FF FE inserted, docs/decisions.md).
mac_identity() {
	ip -n "$1" link show "$2" | awk '/link\/ether/ { print $2 }' |
		awk -F: '{ printf "%s%s%s.fffe.%s%s%s\n", $1, $2, $3, $4, $5, $6 }'
}
MID=$(mac_identity "$NS_A" "$IF_A")
SID=$(mac_identity "$NS_B" "$IF_B")
GMLOG=$(sed -n 's/.*selected best master clock \([0-9a-f.]*\).*/\1/p' "$SLOG" | tail -n 1)
echo "master identity from its MAC: $MID; slave's: $SID"
echo "grandmaster in the slave's log: $GMLOG"
check "slave log: selected best master clock" "$GMLOG" "$MID"

echo "== DEFAULT_DATA_SET"
o=$(get "$NS_A" "$MUDS" DEFAULT_DATA_SET)
check "master RESPONSE" "$(grep -c 'RESPONSE MANAGEMENT DEFAULT_DATA_SET' <<<"$o")" 1
check "master twoStepFlag" "$(field "$o" twoStepFlag)" 1
check "master slaveOnly" "$(field "$o" slaveOnly)" 0
check "master numberPorts" "$(field "$o" numberPorts)" 1
check "master priority1" "$(field "$o" priority1)" 100
check "master priority2" "$(field "$o" priority2)" 90
check "master clockClass" "$(field "$o" clockClass)" 248
check "master clockAccuracy" "$(field "$o" clockAccuracy)" 0xfe
check "master offsetScaledLogVariance" "$(field "$o" offsetScaledLogVariance)" 0xffff
check "master clockIdentity" "$(field "$o" clockIdentity)" "$MID"
check "master domainNumber" "$(field "$o" domainNumber)" "$DOM"
o=$(get "$NS_B" "$SUDS" DEFAULT_DATA_SET)
check "slave slaveOnly" "$(field "$o" slaveOnly)" 1
check "slave priority1" "$(field "$o" priority1)" 200
check "slave priority2" "$(field "$o" priority2)" 210
check "slave clockClass (slave-only)" "$(field "$o" clockClass)" 255
check "slave clockIdentity" "$(field "$o" clockIdentity)" "$SID"
check "slave domainNumber" "$(field "$o" domainNumber)" "$DOM"
o=$(get "$NS_B" "$IT_WORK/slave.ro.uds" DEFAULT_DATA_SET)
check "slave GET over uds_ro_address: clockIdentity" "$(field "$o" clockIdentity)" "$SID"
o=$(it_pmc "$NS_B" "$SUDS" -d 0 "GET DEFAULT_DATA_SET")
check "GET in another domain (0) is not answered" \
	"$(grep -c 'RESPONSE' <<<"$o")" 0

echo "== CURRENT_DATA_SET, TIME_STATUS_NP (slave) against its log"
t1=$(it_monotonic)
o=$(it_pmc "$NS_B" "$SUDS" -d "$DOM" "GET CURRENT_DATA_SET" "GET TIME_STATUS_NP")
t2=$(it_monotonic)
sleep 0.5
check "slave stepsRemoved" "$(field "$o" stepsRemoved)" 1
ofm=$(field "$o" offsetFromMaster)
mpd=$(field "$o" meanPathDelay)
tso=$(field "$o" master_offset)
# The "master offset" lines logged around the request: the answer must
# be one of them (the dataset holds the last measurement).
logged=$(sed -n 's/^[^[]*\[\([0-9.]*\)\].*master offset *\(-\{0,1\}[0-9]*\) s[0-9] freq *[-+0-9]* path delay *\(-\{0,1\}[0-9]*\).*/\1 \2 \3/p' "$SLOG" |
	awk -v a="$t1" -v b="$t2" '$1 >= a - 1.0 && $1 <= b')
echo "logged around the request (time offset delay):"
sed 's/^/    /' <<<"$logged"
match() { # VALUE COLUMN
	awk -v v="$1" -v c="$2" '{ d = $c - v; if (d < 0) d = -d; if (d <= 1) f = 1 }
		END { exit !f }' <<<"$logged"
}
match "$ofm" 2
check_true "CURRENT_DATA_SET offsetFromMaster is a logged offset" $? "$ofm"
match "$mpd" 3
check_true "CURRENT_DATA_SET meanPathDelay is a logged path delay" $? "$mpd"
match "$tso" 2
check_true "TIME_STATUS_NP master_offset is a logged offset" $? "$tso"
check "slave TIME_STATUS_NP gmPresent" "$(field "$o" gmPresent)" true
check "slave TIME_STATUS_NP gmIdentity" "$(field "$o" gmIdentity)" "$MID"
o=$(get "$NS_A" "$MUDS" CURRENT_DATA_SET)
check "master stepsRemoved" "$(field "$o" stepsRemoved)" 0
o=$(get "$NS_A" "$MUDS" TIME_STATUS_NP)
check "master TIME_STATUS_NP gmIdentity (itself)" "$(field "$o" gmIdentity)" "$MID"

echo "== PARENT_DATA_SET"
o=$(get "$NS_B" "$SUDS" PARENT_DATA_SET)
check "slave parentPortIdentity" "$(field "$o" parentPortIdentity)" "$MID-1"
check "slave grandmasterIdentity" "$(field "$o" grandmasterIdentity)" "$MID"
check "slave grandmasterPriority1" "$(field "$o" grandmasterPriority1)" 100
check "slave grandmasterPriority2" "$(field "$o" grandmasterPriority2)" 90
check "slave gm.ClockClass" "$(field "$o" gm.ClockClass)" 248
o=$(get "$NS_A" "$MUDS" PARENT_DATA_SET)
check "master grandmasterIdentity (itself)" "$(field "$o" grandmasterIdentity)" "$MID"
check "master parentPortIdentity (itself)" "$(field "$o" parentPortIdentity)" "$MID-0"

echo "== TIME_PROPERTIES_DATA_SET"
om=$(get "$NS_A" "$MUDS" TIME_PROPERTIES_DATA_SET)
os=$(get "$NS_B" "$SUDS" TIME_PROPERTIES_DATA_SET)
check "master currentUtcOffset (utc_offset default)" "$(field "$om" currentUtcOffset)" 37
check "master timeSource (internal oscillator)" "$(field "$om" timeSource)" 0xa0
for f in currentUtcOffset currentUtcOffsetValid ptpTimescale timeTraceable \
	frequencyTraceable timeSource leap61 leap59; do
	check "slave $f = master's" "$(field "$os" "$f")" "$(field "$om" "$f")"
done

echo "== PORT_DATA_SET"
o=$(get "$NS_A" "$MUDS" PORT_DATA_SET)
check "master portIdentity" "$(field "$o" portIdentity)" "$MID-1"
check "master portState" "$(field "$o" portState)" MASTER
check "master logAnnounceInterval" "$(field "$o" logAnnounceInterval)" 0
check "master announceReceiptTimeout" "$(field "$o" announceReceiptTimeout)" 3
check "master logSyncInterval" "$(field "$o" logSyncInterval)" -2
check "master logMinDelayReqInterval" "$(field "$o" logMinDelayReqInterval)" -2
check "master delayMechanism (E2E)" "$(field "$o" delayMechanism)" 1
check "master versionNumber (low nibble)" "$(($(field "$o" versionNumber) & 15))" 2
o=$(get "$NS_B" "$SUDS" PORT_DATA_SET)
check "slave portIdentity" "$(field "$o" portIdentity)" "$SID-1"
check "slave portState" "$(field "$o" portState)" SLAVE
check "slave logSyncInterval" "$(field "$o" logSyncInterval)" -2

echo "== PORT_PROPERTIES_NP"
o=$(get "$NS_A" "$MUDS" PORT_PROPERTIES_NP)
check "master portState" "$(field "$o" portState)" MASTER
check "master timestamping" "$(field "$o" timestamping)" SOFTWARE
check "master interface" "$(field "$o" interface)" "$IF_A"
o=$(get "$NS_B" "$SUDS" PORT_PROPERTIES_NP)
check "slave portIdentity" "$(field "$o" portIdentity)" "$SID-1"
check "slave portState" "$(field "$o" portState)" SLAVE
check "slave interface" "$(field "$o" interface)" "$IF_B"

echo "== PORT_STATS_NP (counters grow over 2 s at 4 Sync/s)"
m1=$(get "$NS_A" "$MUDS" PORT_STATS_NP)
s1=$(get "$NS_B" "$SUDS" PORT_STATS_NP)
sleep 2
m2=$(get "$NS_A" "$MUDS" PORT_STATS_NP)
s2=$(get "$NS_B" "$SUDS" PORT_STATS_NP)
grows() { # DESC OUT1 OUT2 FIELD MIN
	local a b
	a=$(field "$2" "$4")
	b=$(field "$3" "$4")
	[ -n "$a" ] && [ -n "$b" ] && [ $((b - a)) -ge "$5" ]
	check_true "$1 $4 grows by >= $5" $? "$a -> $b"
}
grows master "$m1" "$m2" tx_Sync 5
grows master "$m1" "$m2" tx_Follow_Up 5
grows master "$m1" "$m2" tx_Announce 1
grows master "$m1" "$m2" rx_Delay_Req 1
grows master "$m1" "$m2" tx_Delay_Resp 1
grows slave "$s1" "$s2" rx_Sync 5
grows slave "$s1" "$s2" rx_Follow_Up 5
grows slave "$s1" "$s2" rx_Announce 1
grows slave "$s1" "$s2" tx_Delay_Req 1
grows slave "$s1" "$s2" rx_Delay_Resp 1
check "slave tx_Sync (a slave sends none)" "$(field "$s2" tx_Sync)" 0

echo "== PORT_HWCLOCK_NP (raw GET: pmc 3.1.1 does not know it)"
o=$(raw "$NS_A" "$MUDS" GET C009)
echo "$o" | sed 's/^/    /'
check "master PORT_HWCLOCK_NP tlvType (MANAGEMENT)" "$(field "$o" tlvType)" 1
check "master PORT_HWCLOCK_NP action (RESPONSE)" "$(field "$o" action)" 2
check "master PORT_HWCLOCK_NP portIdentity" "$(field "$o" portIdentity)" "$MID-1"
check "master PORT_HWCLOCK_NP phcIndex (software stamping)" "$(field "$o" phcIndex)" -1

echo "== SET PRIORITY1, PRIORITY2, GRANDMASTER_SETTINGS_NP (master)"
o=$(it_pmc "$NS_A" "$MUDS" -d "$DOM" "SET PRIORITY1 120" "SET PRIORITY2 95")
check "SET PRIORITY1 answer" "$(awk '$1 == "priority1" { print $2 }' <<<"$o")" 120
check "SET PRIORITY2 answer" "$(awk '$1 == "priority2" { print $2 }' <<<"$o")" 95
o=$(get "$NS_A" "$MUDS" PRIORITY1)
check "GET PRIORITY1 after SET" "$(field "$o" priority1)" 120
o=$(get "$NS_A" "$MUDS" PRIORITY2)
check "GET PRIORITY2 after SET" "$(field "$o" priority2)" 95
o=$(get "$NS_A" "$MUDS" DEFAULT_DATA_SET)
check "DEFAULT_DATA_SET priority1 after SET" "$(field "$o" priority1)" 120
check "DEFAULT_DATA_SET priority2 after SET" "$(field "$o" priority2)" 95
GMS="SET GRANDMASTER_SETTINGS_NP clockClass 13 clockAccuracy 0x21 offsetScaledLogVariance 0x4e5d currentUtcOffset 37 leap61 0 leap59 0 currentUtcOffsetValid 1 ptpTimescale $(field "$om" ptpTimescale) timeTraceable 1 frequencyTraceable 1 timeSource 0x20"
o=$(it_pmc "$NS_A" "$MUDS" -d "$DOM" "$GMS")
check "SET GRANDMASTER_SETTINGS_NP answered" \
	"$(grep -c 'RESPONSE MANAGEMENT GRANDMASTER_SETTINGS_NP' <<<"$o")" 1
o=$(get "$NS_A" "$MUDS" GRANDMASTER_SETTINGS_NP)
check "GET GRANDMASTER_SETTINGS_NP clockClass" "$(field "$o" clockClass)" 13
check "GET GRANDMASTER_SETTINGS_NP clockAccuracy" "$(field "$o" clockAccuracy)" 0x21
check "GET GRANDMASTER_SETTINGS_NP offsetScaledLogVariance" "$(field "$o" offsetScaledLogVariance)" 0x4e5d
check "GET GRANDMASTER_SETTINGS_NP currentUtcOffsetValid" "$(field "$o" currentUtcOffsetValid)" 1
check "GET GRANDMASTER_SETTINGS_NP timeTraceable" "$(field "$o" timeTraceable)" 1
check "GET GRANDMASTER_SETTINGS_NP frequencyTraceable" "$(field "$o" frequencyTraceable)" 1
check "GET GRANDMASTER_SETTINGS_NP timeSource" "$(field "$o" timeSource)" 0x20
o=$(get "$NS_A" "$MUDS" TIME_PROPERTIES_DATA_SET)
check "master TIME_PROPERTIES timeSource after SET" "$(field "$o" timeSource)" 0x20
check "master TIME_PROPERTIES timeTraceable after SET" "$(field "$o" timeTraceable)" 1
# The slave learns all of it from the next Announce (one a second).
ok=1
for _ in $(seq 1 50); do
	o=$(get "$NS_B" "$SUDS" PARENT_DATA_SET)
	if [ "$(field "$o" grandmasterPriority1)" = 120 ] &&
		[ "$(field "$o" grandmasterPriority2)" = 95 ] &&
		[ "$(field "$o" gm.ClockClass)" = 13 ]; then
		ok=0
		break
	fi
	sleep 0.1
done
check_true "slave PARENT_DATA_SET follows (priority1 120, priority2 95, class 13) within 5 s" $ok \
	"$(field "$o" grandmasterPriority1)/$(field "$o" grandmasterPriority2)/$(field "$o" gm.ClockClass)"
o=$(get "$NS_B" "$SUDS" TIME_PROPERTIES_DATA_SET)
check "slave TIME_PROPERTIES timeSource follows" "$(field "$o" timeSource)" 0x20
check "slave TIME_PROPERTIES frequencyTraceable follows" "$(field "$o" frequencyTraceable)" 1

echo "== SET over uds_ro_address is refused"
o=$(it_pmc "$NS_A" "$IT_WORK/master.ro.uds" -d "$DOM" "SET PRIORITY1 50")
echo "$o" | sed 's/^/    /'
check "SET over the read-only socket: MANAGEMENT_ERROR_STATUS" \
	"$(grep -c 'MANAGEMENT_ERROR_STATUS' <<<"$o")" 1
o=$(get "$NS_A" "$MUDS" PRIORITY1)
check "priority1 unchanged after the refused SET" "$(field "$o" priority1)" 120

echo "== GETs that linuxptp keeps to its read-write socket"
o=$(get "$NS_A" "$IT_WORK/master.ro.uds" PORT_PROPERTIES_NP)
check "PORT_PROPERTIES_NP over the read-only socket: MANAGEMENT_ERROR_STATUS" \
	"$(grep -c 'RESPONSE MANAGEMENT_ERROR_STATUS' <<<"$o")" 1
o=$(get "$NS_A" "$IT_WORK/master.ro.uds" PORT_DATA_SET)
check "PORT_DATA_SET over the read-only socket still answered" \
	"$(field "$o" portState)" MASTER

echo "== linuxptp 4.x ids, through gnomonctl (pmc 4.x output)"
CTL=$(cd "$(dirname "$GNOMOND")/../tools" 2>/dev/null && pwd)/gnomonctl
[ -x "$CTL" ] || it_die "no gnomonctl beside gnomond ($CTL)"
ctl() { # NS SOCKET COMMAND...
	local ns=$1 uds=$2
	shift 2
	ip netns exec "$ns" timeout 10 "$CTL" -u -b 0 -d "$DOM" -s "$uds" \
		-i "$IT_WORK/ctl.sock" "$@" 2>&1
}
o=$(ctl "$NS_A" "$IT_WORK/master.ro.uds" "GET PORT_HWCLOCK_NP")
check "PORT_HWCLOCK_NP over the read-only socket: MANAGEMENT_ERROR_STATUS" \
	"$(grep -c 'RESPONSE MANAGEMENT_ERROR_STATUS' <<<"$o")" 1
o=$(ctl "$NS_A" "$MUDS" "GET UNICAST_MASTER_TABLE_NP")
check "UNICAST_MASTER_TABLE_NP actual_table_size" "$(field "$o" actual_table_size)" 0
o=$(ctl "$NS_B" "$SUDS" "GET CMLDS_INFO_NP")
check "slave CMLDS_INFO_NP meanLinkDelay (E2E)" "$(field "$o" meanLinkDelay)" 0
check "slave CMLDS_INFO_NP scaledNeighborRateRatio" "$(field "$o" scaledNeighborRateRatio)" 0
check "slave CMLDS_INFO_NP as_capable" "$(field "$o" as_capable)" 1
o=$(ctl "$NS_A" "$MUDS" "GET POWER_PROFILE_SETTINGS_NP")
check "POWER_PROFILE_SETTINGS_NP version (none)" "$(field "$o" version)" 0
check "POWER_PROFILE_SETTINGS_NP totalTimeInaccuracy" "$(field "$o" totalTimeInaccuracy)" 4294967295
o=$(ctl "$NS_A" "$MUDS" "SET POWER_PROFILE_SETTINGS_NP version 1 grandmasterID 0x2a grandmasterTimeInaccuracy 50 networkTimeInaccuracy 60 totalTimeInaccuracy 110")
check "SET POWER_PROFILE_SETTINGS_NP grandmasterID" "$(field "$o" grandmasterID)" 0x002a
o=$(ctl "$NS_A" "$MUDS" "GET POWER_PROFILE_SETTINGS_NP")
check "GET POWER_PROFILE_SETTINGS_NP version after SET" "$(field "$o" version)" 1
check "GET POWER_PROFILE_SETTINGS_NP networkTimeInaccuracy after SET" "$(field "$o" networkTimeInaccuracy)" 60
o=$(ctl "$NS_A" "$MUDS" "GET PORT_CORRECTIONS_NP")
check "PORT_CORRECTIONS_NP delayAsymmetry" "$(field "$o" delayAsymmetry)" 0
o=$(ctl "$NS_A" "$MUDS" "SET PORT_CORRECTIONS_NP egressLatency 7 ingressLatency -8 delayAsymmetry 9")
check "SET PORT_CORRECTIONS_NP ingressLatency" "$(field "$o" ingressLatency)" -8
o=$(ctl "$NS_A" "$MUDS" "GET PORT_CORRECTIONS_NP")
check "GET PORT_CORRECTIONS_NP egressLatency after SET" "$(field "$o" egressLatency)" 7
check "GET PORT_CORRECTIONS_NP delayAsymmetry after SET" "$(field "$o" delayAsymmetry)" 9
ctl "$NS_A" "$MUDS" "SET PORT_CORRECTIONS_NP egressLatency 0 ingressLatency 0 delayAsymmetry 0" >/dev/null
o=$(ctl "$NS_A" "$MUDS" "GET ALTERNATE_TIME_OFFSET_ENABLE")
check "ALTERNATE_TIME_OFFSET_ENABLE keyField" "$(field "$o" keyField)" 0
check "ALTERNATE_TIME_OFFSET_ENABLE enable" "$(field "$o" enable)" 0
o=$(ctl "$NS_A" "$MUDS" "SET ALTERNATE_TIME_OFFSET_PROPERTIES keyField 0 currentOffset 3600 jumpSeconds -3600 timeOfNextJump 6000000000")
check "SET ALTERNATE_TIME_OFFSET_PROPERTIES jumpSeconds" "$(field "$o" jumpSeconds)" -3600
o=$(ctl "$NS_A" "$MUDS" "SET ALTERNATE_TIME_OFFSET_NAME keyField 0 displayName CET")
check "SET ALTERNATE_TIME_OFFSET_NAME displayName" "$(field "$o" displayName)" CET
o=$(ctl "$NS_A" "$MUDS" "GET ALTERNATE_TIME_OFFSET_PROPERTIES" "GET ALTERNATE_TIME_OFFSET_NAME")
check "GET ALTERNATE_TIME_OFFSET_PROPERTIES currentOffset after SET" "$(field "$o" currentOffset)" 3600
check "GET ALTERNATE_TIME_OFFSET_PROPERTIES timeOfNextJump after SET" "$(field "$o" timeOfNextJump)" 6000000000
check "GET ALTERNATE_TIME_OFFSET_NAME displayName after SET" "$(field "$o" displayName)" CET
o=$(ctl "$NS_A" "$MUDS" "SET ALTERNATE_TIME_OFFSET_ENABLE keyField 7 enable 1")
check "SET ALTERNATE_TIME_OFFSET_ENABLE of key 7 (of 0..3): MANAGEMENT_ERROR_STATUS" \
	"$(grep -c 'RESPONSE MANAGEMENT_ERROR_STATUS' <<<"$o")" 1
# EXTERNAL_GRANDMASTER_PROPERTIES_NP: the master announces another
# grandmaster and stepsRemoved; the slave sees both, then the master's
# own identity again once it is set back to zeros.
EXT=123456.7890.abcdef
o=$(ctl "$NS_A" "$MUDS" "SET EXTERNAL_GRANDMASTER_PROPERTIES_NP gmIdentity $EXT stepsRemoved 5")
check "SET EXTERNAL_GRANDMASTER_PROPERTIES_NP gmIdentity" "$(field "$o" gmIdentity)" "$EXT"
o=$(get "$NS_A" "$MUDS" CURRENT_DATA_SET)
check "master stepsRemoved (external grandmaster's)" "$(field "$o" stepsRemoved)" 5
ok=1
for _ in $(seq 1 50); do
	o=$(get "$NS_B" "$SUDS" PARENT_DATA_SET)
	[ "$(field "$o" grandmasterIdentity)" = "$EXT" ] && ok=0 && break
	sleep 0.1
done
check_true "slave grandmasterIdentity becomes the external one within 5 s" $ok \
	"$(field "$o" grandmasterIdentity)"
o=$(get "$NS_B" "$SUDS" CURRENT_DATA_SET)
check "slave stepsRemoved behind the external grandmaster" "$(field "$o" stepsRemoved)" 6
TEXT=$(it_monotonic)
ctl "$NS_A" "$MUDS" "SET EXTERNAL_GRANDMASTER_PROPERTIES_NP gmIdentity 000000.0000.000000 stepsRemoved 0" >/dev/null
ok=1
for _ in $(seq 1 50); do
	o=$(get "$NS_B" "$SUDS" PARENT_DATA_SET)
	[ "$(field "$o" grandmasterIdentity)" = "$MID" ] && ok=0 && break
	sleep 0.1
done
check_true "slave grandmasterIdentity back to the master's within 5 s" $ok \
	"$(field "$o" grandmasterIdentity)"
# A new grandmaster re-calibrates the slave: wait for SLAVE again.
it_wait_line_after "$SLOG" "to SLAVE on" "$TEXT" 20 ||
	it_die "slave: not SLAVE again within 20 s of the grandmaster's return"
o=$(get "$NS_B" "$SUDS" CURRENT_DATA_SET)
check "slave stepsRemoved back to 1" "$(field "$o" stepsRemoved)" 1

echo "== SUBSCRIBE_EVENTS_NP: port state notifications"
# pmc in interactive mode reads its commands from a fifo that this shell
# holds open read-write (so pmc never sees end of file and stays
# subscribed); stdbuf makes its stdout line-buffered into the log.
FIFO=$IT_WORK/sub.in
mkfifo "$FIFO"
exec 3<>"$FIFO"
IT_STDIN=$FIFO it_start sub "$NS_B" sub.log stdbuf -oL pmc -u -b 0 -d "$DOM" \
	-s "$SUDS" -i "$IT_WORK/sub.sock"
SUBLOG=$(it_logf sub)
echo "SET SUBSCRIBE_EVENTS_NP duration 60 NOTIFY_PORT_STATE on NOTIFY_TIME_SYNC off" >&3
it_must_wait_line sub "RESPONSE MANAGEMENT SUBSCRIBE_EVENTS_NP" 5 \
	"answer to SET SUBSCRIBE_EVENTS_NP"
# Port states in PORT_DATA_SET messages the subscriber received
# (notifications: it asked for nothing else).
sub_states() {
	awk '/MANAGEMENT PORT_DATA_SET/ { p = 1; next }
	     /MANAGEMENT/ { p = 0 }
	     p && $1 == "portState" { print $2 }' "$SUBLOG"
}
# pmc 3.1.1 answers "DISABLE_PORT not supported yet" itself: raw COMMAND.
o=$(raw "$NS_B" "$SUDS" COMMAND 200E)
check "COMMAND DISABLE_PORT acknowledged (action 4)" "$(field "$o" action)" 4
it_must_wait_line slave "SLAVE to DISABLED on" 5 "SLAVE to DISABLED after CMD DISABLE_PORT"
for _ in $(seq 1 50); do
	sub_states | grep -qx DISABLED && break
	sleep 0.1
done
check "notification of DISABLED received" "$(sub_states | grep -cx DISABLED)" 1
o=$(raw "$NS_B" "$SUDS" COMMAND 200D)
check "COMMAND ENABLE_PORT acknowledged (action 4)" "$(field "$o" action)" 4
# 1588: DESIGNATED_ENABLED takes DISABLED to INITIALIZING, then LISTENING.
it_must_wait_line slave "DISABLED to (INITIALIZING|LISTENING) on" 5 \
	"DISABLED to INITIALIZING after CMD ENABLE_PORT"
TDIS=$(it_last_time "$SLOG" "SLAVE to DISABLED on")
it_wait_line_after "$SLOG" "to SLAVE on" "$TDIS" 20 ||
	it_die "slave: not SLAVE again within 20 s of ENABLE_PORT"
sleep 0.5
got=$(sub_states | tr '\n' ' ')
echo "    states notified: $got"
case "$got" in
*DISABLED*LISTENING*UNCALIBRATED*SLAVE*) r=0 ;;
*) r=1 ;;
esac
check_true "notifications DISABLED, LISTENING, UNCALIBRATED, SLAVE in order" $r "$got"
exec 3>&-

it_expect_alive master slave
if [ "$NFAIL" -gt 0 ]; then
	it_die "$NFAIL checks failed"
fi
it_pass "pmc against gnomond: every check passed"

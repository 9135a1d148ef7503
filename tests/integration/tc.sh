#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tc.sh GNOMOND TC MECH - a grandmaster and a slave joined through a
# transparent clock in a namespace of its own, raw Ethernet, software time
# stamping:
#
#   ns a: gnomond grandmaster on the system clock (free_running 1)
#   ns t: the transparent clock, two ports (MECH E2E: clock_type E2E_TC,
#         P2P: P2P_TC), free_running 1: it must never steer the system
#         clock, so its residence times are measured on that clock as is
#         TC: gnomond | ptp4l (linuxptp's, for interoperability)
#   ns b: gnomond slave (clientOnly) on a virtual clock started 20 ms and
#         50 ppm off; with the master on the shared system clock its
#         "vclock offset from CLOCK_REALTIME" is its true error
#
# Asserts: the slave reaches SLAVE and stays there; its true error stays
# under IT_LIMIT_NS (default 10000) over IT_WINDOW_S (10) seconds from
# IT_SETTLE_S (8) after SLAVE; the TC ran its BMCA (its ports left
# LISTENING) yet announced nothing of its own: the slave's best master
# is the grandmaster's identity.
set -u
. "$(dirname "$0")/lib.sh"

GNOMOND=$1 TC=$2 MECH=$3
SETTLE_S=${IT_SETTLE_S:-8}
WINDOW_S=${IT_WINDOW_S:-10}
LIMIT_NS=${IT_LIMIT_NS:-10000}

case "$MECH" in E2E | P2P) ;; *) it_die "MECH must be E2E or P2P" ;; esac
it_require_netns
it_init
it_check_gnomond "$GNOMOND"
[ "$TC" = ptp4l ] && it_require_prog ptp4l

it_ns_add NS_A a
it_ns_add NS_T t
it_ns_add NS_B b
it_veth "$NS_A" veth0 "$NS_T" veth1
it_veth "$NS_T" veth2 "$NS_B" veth3
for l in "$NS_A veth0" "$NS_T veth1" "$NS_T veth2" "$NS_B veth3"; do
	set -- $l
	ip -n "$1" link set "$2" up || it_die "link up $1/$2"
done
for l in "$NS_A veth0" "$NS_T veth1" "$NS_T veth2" "$NS_B veth3"; do
	set -- $l
	it_wait_link "$1" "$2"
done

mapfile -t MCOMMON < <(it_common_cfg master)
mapfile -t SCOMMON < <(it_common_cfg slave)
if [ "$TC" = ptp4l ]; then
	mapfile -t TCOMMON < <(it_common_cfg tc ptp4l)
else
	mapfile -t TCOMMON < <(it_common_cfg tc)
fi

mcfg=$(it_cfg master.cfg "${MCOMMON[@]}" "free_running 1" \
	"summary_interval 0" "delay_mechanism $MECH" "priority1 100")
it_start master "$NS_A" master.log "$GNOMOND" -2 -S -m -q -i veth0 \
	-f "$mcfg"

tcfg=$(it_cfg tc.cfg "${TCOMMON[@]}" "clock_type ${MECH}_TC" \
	"free_running 1" "delay_mechanism $MECH" "summary_interval 0")
if [ "$TC" = ptp4l ]; then
	it_start tc "$NS_T" tc.log ptp4l -2 -S -m -q -i veth1 -i veth2 \
		-f "$tcfg"
else
	it_start tc "$NS_T" tc.log "$GNOMOND" -2 -S -m -q -i veth1 -i veth2 \
		-f "$tcfg"
fi

scfg=$(it_cfg slave.cfg "${SCOMMON[@]}" "clientOnly 1" \
	"clock_target virtual" "virtual_clock_offset 20000000" \
	"virtual_clock_freq 50000" "summary_interval 0" \
	"delay_mechanism $MECH")
it_start slave "$NS_B" slave.log "$GNOMOND" -2 -S -m -q -i veth3 -f "$scfg"
T0=$(it_monotonic)
SLOG=$(it_logf slave)
TLOG=$(it_logf tc)

it_must_wait_line master "to MASTER on" 15 "port to MASTER"
it_vclock_slave "$T0" "$SETTLE_S" "$WINDOW_S" "$LIMIT_NS" slave tc master

# The TC took part: its ports left LISTENING (it runs the BMCA), and the
# slave chose the grandmaster's identity (the TC announces nothing of
# its own, so a slave that saw the TC as its master would name it).
grep -Eq 'port [12]( \([^)]*\))?: LISTENING to (MASTER|SLAVE|UNCALIBRATED|PASSIVE)' \
	"$TLOG" || it_die "the TC's ports never left LISTENING"
gm=$(sed -n 's/.*selected best master clock \([0-9a-f.]*\).*/\1/p' "$SLOG" |
	tail -n 1)
mid=$(sed -n 's/.*selected local clock \([0-9a-f.]*\) as best master.*/\1/p' \
	"$(it_logf master)" | head -n 1)
[ -n "$gm" ] && [ -n "$mid" ] || it_die "no best master lines (slave '$gm', master '$mid')"
[ "$gm" = "$mid" ] ||
	it_die "the slave follows $gm, not the grandmaster $mid"
it_pass "gnomond -> $TC ${MECH}_TC -> gnomond (virtual clock), L2: SLAVE at +$IT_SLAVE_AT s, then rms $IT_WIN_RMS ns, max $IT_WIN_MAX ns over $WINDOW_S s"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# run_transport.sh - runs test_transport between two network namespaces
# joined by a veth pair (ga <-> gb), and removes them on every exit.
#
# usage: run_transport.sh TEST_PROGRAM [--vlan]
# Exit 77 (meson's skip) only when it cannot run here: not root, no
# `ip netns`, or (with --vlan) a kernel without 802.1Q VLAN devices.
set -u

prog=$1
mode=${2:-}

if [ "$(id -u)" != 0 ]; then
	echo "SKIP: network namespaces need root"
	exit 77
fi
if ! command -v ip >/dev/null 2>&1; then
	echo "SKIP: no ip(8)"
	exit 77
fi

# Namespaces left behind by a run that was killed outright (SIGKILL
# cannot be trapped): remove those whose shell is gone.
for ns in $(ip netns list 2>/dev/null | sed -n 's/^\(gnB[12]-[0-9][0-9]*\).*/\1/p'); do
	pid=${ns#gnB?-}
	kill -0 "$pid" 2>/dev/null || ip netns del "$ns" 2>/dev/null
done

ns1=gnB1-$$
ns2=gnB2-$$
child=
cleanup() {
	ip netns del "$ns1" 2>/dev/null
	ip netns del "$ns2" 2>/dev/null
}
trap cleanup EXIT
trap '[ -n "$child" ] && kill "$child" 2>/dev/null; exit 1' INT TERM HUP

if ! ip netns add "$ns1"; then
	echo "SKIP: ip netns unavailable"
	exit 77
fi
set -e
ip netns add "$ns2"
for ns in "$ns1" "$ns2"; do
	# No duplicate address detection: addresses usable at once, and
	# IPv6 addresses kept while the link test takes ga down.
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.default.keep_addr_on_down=1
	ip -n "$ns" link set lo up
done
ip -n "$ns1" link add ga type veth peer name gb netns "$ns2"
ip -n "$ns1" link set ga address 02:00:00:00:00:a1
ip -n "$ns2" link set gb address 02:00:00:00:00:b2
ip -n "$ns1" addr add 10.77.0.1/24 dev ga
ip -n "$ns2" addr add 10.77.0.2/24 dev gb
ip -n "$ns1" addr add fd77::1/64 dev ga nodad
ip -n "$ns2" addr add fd77::2/64 dev gb nodad
ip -n "$ns1" link set ga up
ip -n "$ns2" link set gb up

if [ "$mode" = --vlan ]; then
	if ! ip -n "$ns1" link add link ga name ga.10 type vlan id 10 \
		2>/dev/null; then
		echo "SKIP: this kernel has no 802.1Q VLAN devices" \
			"(CONFIG_VLAN_8021Q)"
		exit 77
	fi
	ip -n "$ns2" link add link gb name gb.10 type vlan id 10
	ip -n "$ns1" link set ga.10 address 02:00:00:00:00:a1
	ip -n "$ns2" link set gb.10 address 02:00:00:00:00:b2
	ip -n "$ns1" addr add 10.77.10.1/24 dev ga.10
	ip -n "$ns2" addr add 10.77.10.2/24 dev gb.10
	ip -n "$ns1" link set ga.10 up
	ip -n "$ns2" link set gb.10 up
fi
set +e

# Wait (bounded) until each end is running and IPv6 is ready on it: the
# carrier comes through the kernel's link watch up to a second later,
# and IPv6 starts only then (a link-local address appears).
ready() {
	ip -n "$1" -6 addr show dev "$2" scope link 2>/dev/null |
		grep -q "inet6 fe80" &&
	! ip -n "$1" -6 addr show dev "$2" 2>/dev/null | grep -q tentative
}
i=0
until ready "$ns1" ga && ready "$ns2" gb; do
	i=$((i + 1))
	if [ $i -gt 100 ]; then
		echo "FAIL: veth pair not ready after 10 s"
		exit 1
	fi
	sleep 0.1
done

# Well inside meson's 120 s, so this script always gets to clean up.
timeout -k 5 100 ip netns exec "$ns1" "$prog" "/run/netns/$ns2" $mode &
child=$!
wait "$child"
rc=$?
child=
exit $rc

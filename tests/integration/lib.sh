# SPDX-License-Identifier: GPL-2.0-or-later
# lib.sh - shared shell library of the namespace integration tests (issue 3).
#
# Sourced (bash) by every scenario script, by scripts/demo.sh and by
# scripts/bench_ptp4l.sh. It creates network namespaces joined by veth
# (point to point, or through a bridge in a namespace of its own), starts
# daemons inside them with their output in log files, waits for log lines
# with timeouts, parses offsets, and removes everything it created on exit,
# also on failure or interruption.
#
# What it must not do: touch anything outside the namespaces and the work
# directory it creates (no host interfaces, no host routes, no clock
# adjustment, no process it did not start). Every wait is bounded.
#
# Names: namespaces are "gnit<pid><letter>" (unique per run), so parallel
# runs and leftovers of other runs never collide. Unix socket paths are
# shared across network namespaces, so every daemon gets its own
# uds_address under the work directory.

IT_PID=$$
IT_PREFIX=${IT_PREFIX:-gnit}
IT_NS=()     # namespaces created, in order
IT_PIDS=()   # processes started (pids)
IT_LOGS=()   # log files worth printing on failure
IT_FAILED=0
IT_QUIET=${IT_QUIET:-0}
declare -A IT_PID_OF=()  # name -> pid
declare -A IT_LOG_OF=()  # name -> log file
# shellcheck disable=SC2034 # for scripts that source this file
declare -A IT_NS_OF=()   # name -> namespace

it_log() {
	[ "$IT_QUIET" = 1 ] || printf '%s\n' "$*"
}

# Exit code 77 makes meson count the test as skipped. Used only when the
# machine cannot run namespace tests at all.
it_skip() {
	printf 'SKIP: %s\n' "$*"
	exit 77
}

# Checks that namespaces can be made here; exits 77 when not.
it_require_netns() {
	[ "$(id -u)" = 0 ] || it_skip "not root: network namespaces need root"
	command -v ip >/dev/null 2>&1 || it_skip "no ip (iproute2)"
	ip netns list >/dev/null 2>&1 || it_skip "ip netns is not available"
	# Root without the right to make namespaces (some containers).
	local probe="${IT_PREFIX}${IT_PID}probe"
	ip netns add "$probe" >/dev/null 2>&1 ||
		it_skip "ip netns add fails here (no CAP_SYS_ADMIN?)"
	ip netns del "$probe"
}

# True when namespaces can be made (for the demo's fallback).
it_netns_possible() {
	local probe="${IT_PREFIX}${IT_PID}probe"
	[ "$(id -u)" = 0 ] && command -v ip >/dev/null 2>&1 &&
		ip netns list >/dev/null 2>&1 &&
		ip netns add "$probe" >/dev/null 2>&1 &&
		ip netns del "$probe"
}

it_require_prog() {
	local p
	for p in "$@"; do
		command -v "$p" >/dev/null 2>&1 ||
			it_die "required program '$p' not found"
	done
}

# it_init: work directory, traps. Call once, before anything else.
it_init() {
	IT_WORK=$(mktemp -d "/tmp/gnomon-it.XXXXXX") ||
		{ echo "mktemp failed" >&2; exit 1; }
	trap it_cleanup EXIT
	trap 'IT_FAILED=1; it_log "interrupted"; exit 130' INT
	trap 'IT_FAILED=1; it_log "terminated"; exit 143' TERM
}

# Prints the tail of every log (called on failure).
it_dump_logs() {
	local f
	for f in "${IT_LOGS[@]}"; do
		[ -f "$f" ] || continue
		echo "----- tail of $(basename "$f") -----"
		tail -n "${IT_TAIL_LINES:-40}" "$f"
	done
	echo "-----"
}

it_cleanup() {
	local rc=$? pid ns i
	trap - EXIT INT TERM
	set +e
	if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then
		IT_FAILED=1
	fi
	if [ "$IT_FAILED" = 1 ] && [ "${IT_NO_DUMP:-0}" != 1 ]; then
		it_dump_logs
	fi
	# Our own processes first: TERM, a short grace, then KILL. Only
	# those still in this shell's job table: a pid already reaped (by
	# wait) may belong to someone else by now.
	local live mine=()
	live=" $(jobs -p | tr '\n' ' ') "
	for pid in "${IT_PIDS[@]}"; do
		case "$live" in *" $pid "*) mine+=("$pid") ;; esac
	done
	for pid in "${mine[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for i in $(seq 1 20); do
		local alive=0
		for pid in "${mine[@]}"; do
			kill -0 "$pid" 2>/dev/null && alive=1
		done
		[ "$alive" = 0 ] && break
		sleep 0.1
	done
	for pid in "${mine[@]}"; do
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	# Anything still inside our namespaces was started by us too.
	for ns in "${IT_NS[@]}"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
	done
	for ns in "${IT_NS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	if [ -n "${IT_WORK:-}" ] && [ -d "$IT_WORK" ]; then
		if [ "${IT_KEEP:-0}" = 1 ]; then
			echo "work directory kept: $IT_WORK"
		else
			rm -rf "$IT_WORK"
		fi
	fi
	exit "$rc"
}

# it_die MESSAGE: the test failed (logs are printed by the EXIT trap).
it_die() {
	IT_FAILED=1
	printf 'FAIL: %s\n' "$*"
	exit 1
}

it_pass() {
	printf 'PASS: %s\n' "$*"
}

# it_ns_add VAR SUFFIX: creates namespace "gnit<pid>SUFFIX" and stores its
# name in VAR (not through $(...): the list of namespaces to remove lives
# in this shell). Loopback up, IPv6 DAD off (addresses usable at once).
it_ns_add() {
	local ns="${IT_PREFIX}${IT_PID}$2"
	ip netns add "$ns" || it_die "ip netns add $ns failed"
	IT_NS+=("$ns")
	ip -n "$ns" link set lo up
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 >/dev/null 2>&1
	printf -v "$1" '%s' "$ns"
}

# it_ip4 N, it_ip6 N -> IPv4 and IPv6 addresses of node N (1..250).
it_ip4() { echo "10.209.0.$1"; }
it_ip6() { echo "fd00:209::$1"; }

# it_addr NS IF N: IPv4 10.209.0.N/24 and IPv6 fd00:209::N/64 (nodad), up.
it_addr() {
	local ns=$1 ifc=$2 n=$3
	ip -n "$ns" addr add "$(it_ip4 "$n")/24" dev "$ifc" ||
		it_die "address on $ns/$ifc"
	ip -n "$ns" -6 addr add "$(it_ip6 "$n")/64" dev "$ifc" nodad ||
		it_die "IPv6 address on $ns/$ifc"
	ip -n "$ns" link set "$ifc" up || it_die "link up $ns/$ifc"
}

# it_veth NS_A IF_A NS_B IF_B: a veth pair with one end in each namespace.
it_veth() {
	ip -n "$1" link add "$2" type veth peer name "$4" netns "$3" ||
		it_die "veth $1/$2 <-> $3/$4"
}

# it_pair: two namespaces A and B joined by veth (A: veth0 = node 1,
# B: veth1 = node 2). Sets NS_A, NS_B, IF_A, IF_B.
it_pair() {
	it_ns_add NS_A a
	it_ns_add NS_B b
	IF_A=veth0
	IF_B=veth1
	it_veth "$NS_A" "$IF_A" "$NS_B" "$IF_B"
	it_addr "$NS_A" "$IF_A" 1
	it_addr "$NS_B" "$IF_B" 2
	it_wait_link "$NS_A" "$IF_A"
	it_wait_link "$NS_B" "$IF_B"
}

# it_bridge: a namespace holding bridge br0 (no STP, no multicast
# snooping, so every PTP frame floods). Sets NS_BR.
it_bridge() {
	it_ns_add NS_BR br
	ip -n "$NS_BR" link add br0 type bridge stp_state 0 \
		mcast_snooping 0 forward_delay 0 || it_die "bridge"
	ip -n "$NS_BR" link set br0 up
}

# it_bridge_node VAR SUFFIX N: a namespace (name into VAR) with veth0
# (node N) attached to the bridge.
it_bridge_node() {
	local suffix=$2 n=$3 bp ns
	it_ns_add "$1" "$suffix"
	ns=${!1}
	bp="p$suffix"
	it_veth "$ns" veth0 "$NS_BR" "$bp"
	ip -n "$NS_BR" link set "$bp" master br0 || it_die "bridge port"
	ip -n "$NS_BR" link set "$bp" up
	it_addr "$ns" veth0 "$n"
	it_wait_link "$ns" veth0
}

# it_wait_link NS IF: until the interface is up with carrier (5 s max).
it_wait_link() {
	local i
	for i in $(seq 1 50); do
		if ip -n "$1" link show "$2" 2>/dev/null |
			grep -q 'state UP'; then
			return 0
		fi
		sleep 0.1
	done
	it_die "link $1/$2 did not come up"
}

# it_start NAME NS LOGFILE CMD ARGS...: starts CMD in namespace NS with
# stdout and stderr into LOGFILE (under the work directory when relative),
# stdin from $IT_STDIN (default /dev/null).
# `ip netns exec` execs the command, so $! is the daemon's own pid.
it_start() {
	local name=$1 ns=$2 log=$3 pid
	shift 3
	case "$log" in /*) ;; *) log="$IT_WORK/$log" ;; esac
	ip netns exec "$ns" "$@" >"$log" 2>&1 <"${IT_STDIN:-/dev/null}" &
	pid=$!
	IT_PIDS+=("$pid")
	IT_PID_OF[$name]=$pid
	IT_LOG_OF[$name]=$log
	IT_NS_OF[$name]=$ns
	IT_LOGS+=("$log")
	it_log "started $name (pid $pid) in $ns: $*"
}

it_pid() { echo "${IT_PID_OF[$1]}"; }
it_logf() { echo "${IT_LOG_OF[$1]}"; }

it_alive() {
	local pid=${IT_PID_OF[$1]}
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# it_expect_alive NAME...: fails when a daemon has exited (e.g. it
# rejected its configuration).
it_expect_alive() {
	local n
	for n in "$@"; do
		it_alive "$n" || it_die "$n exited early"
	done
}

# it_kill NAME [SIGNAL]: sends a signal (default TERM) and, for TERM and
# KILL, waits (5 s max) for the process to end. Returns its exit status
# in IT_RC.
it_kill() {
	local name=$1 sig=${2:-TERM} pid=${IT_PID_OF[$1]} i
	# shellcheck disable=SC2034 # read by the caller
	IT_RC=
	kill "-$sig" "$pid" 2>/dev/null || return 0
	case "$sig" in TERM | KILL | INT) ;; *) return 0 ;; esac
	for i in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		IT_RC=timeout
		return 1
	fi
	wait "$pid" 2>/dev/null
	IT_RC=$?
	return 0
}

# it_wait_line FILE ERE TIMEOUT_S: until a line of FILE matches ERE.
# Returns 1 on timeout.
it_wait_line() {
	local f=$1 re=$2 t=$3 i n
	n=$(awk -v t="$t" 'BEGIN { printf "%d", t * 10 }')
	for ((i = 0; i < n; i++)); do
		grep -Eq -- "$re" "$f" 2>/dev/null && return 0
		sleep 0.1
	done
	grep -Eq -- "$re" "$f" 2>/dev/null
}

# it_wait_line_after FILE ERE AFTER_S TIMEOUT_S: until a line matches ERE
# whose log time stamp (the "name[12.345]:" prefix) is >= AFTER_S.
it_wait_line_after() {
	local f=$1 re=$2 after=$3 t=$4 i n
	n=$(awk -v t="$t" 'BEGIN { printf "%d", t * 10 }')
	for ((i = 0; i <= n; i++)); do
		[ -n "$(it_first_time_after "$f" "$re" "$after")" ] && return 0
		[ "$i" -lt "$n" ] && sleep 0.1
	done
	return 1
}

# it_must_wait_line NAME ERE TIMEOUT_S [WHAT]: it_wait_line on a daemon's
# log, failing the test on timeout or when the daemon died.
it_must_wait_line() {
	local name=$1 re=$2 t=$3 what=${4:-$2}
	if ! it_wait_line "${IT_LOG_OF[$name]}" "$re" "$t"; then
		it_alive "$name" || it_die "$name exited before: $what"
		it_die "$name: no '$what' within $t s"
	fi
}

# Log time stamp of a line: the monotonic seconds in "name[123.456]: ".
# it_times FILE ERE -> one time per matching line.
it_times() {
	grep -E -- "$2" "$1" 2>/dev/null |
		sed -n 's/^[^[]*\[\([0-9][0-9]*\.[0-9]*\)\].*/\1/p'
}

# it_first_time FILE ERE: time of the first matching line (empty if none).
it_first_time() {
	it_times "$1" "$2" | head -n 1
}

# it_first_time_after FILE ERE T: first matching line at or after T.
it_first_time_after() {
	it_times "$1" "$2" | awk -v t="$3" '$1 >= t { print; exit }'
}

it_last_time() {
	it_times "$1" "$2" | tail -n 1
}

# CLOCK_MONOTONIC (the log prefixes' clock) in seconds, 3 decimals.
# perl's Time::HiRes, else python3, else /proc/uptime (CLOCK_BOOTTIME:
# the same as long as the machine never suspended).
it_monotonic() {
	perl -MTime::HiRes=clock_gettime,CLOCK_MONOTONIC \
		-e 'printf "%.3f\n", clock_gettime(CLOCK_MONOTONIC)' 2>/dev/null ||
		python3 -c 'import time; print("%.3f" % time.monotonic())' \
			2>/dev/null ||
		awk '{ print $1 }' /proc/uptime
}

# it_vclock FILE [FROM_S [TO_S]]: "time offset_ns" of every
# "vclock offset from CLOCK_REALTIME <ns> ns" line, optionally only those
# with FROM_S <= time <= TO_S.
it_vclock() {
	local f=$1 from=${2:--1e18} to=${3:-1e18}
	sed -n 's/^[^[]*\[\([0-9.]*\)\].*vclock offset from CLOCK_REALTIME \(-\{0,1\}[0-9][0-9]*\) ns.*/\1 \2/p' "$f" |
		awk -v a="$from" -v b="$to" '$1 >= a && $1 <= b'
}

# it_vclock_slave T0 SETTLE_S WINDOW_S LIMIT_NS NAME...: the true-error
# assertion of a gnomond slave (daemon "slave", clock_target virtual,
# summary_interval 0) whose master shares this machine's clock: it
# reaches SLAVE within 45 s; in the WINDOW_S seconds from SETTLE_S after
# that it logs at least WINDOW_S - 2 "vclock offset" lines, every one
# under LIMIT_NS; it never leaves SLAVE; the daemons NAME... stay alive.
# T0: it_monotonic at the slave's start, for logs without a first line.
# Sets IT_WIN_RMS, IT_WIN_MAX (ns) and IT_SLAVE_AT (s after the start).
it_vclock_slave() {
	local t0=$1 settle=$2 window=$3 limit=$4 slog tstart tslave tfrom tend
	local cnt rms max mean
	shift 4
	slog=$(it_logf slave)
	it_must_wait_line slave "UNCALIBRATED to SLAVE on" 45 \
		"UNCALIBRATED to SLAVE"
	tslave=$(it_first_time "$slog" "UNCALIBRATED to SLAVE on")
	tstart=$(head -n 1 "$slog" | sed -n 's/^[^[]*\[\([0-9.]*\)\].*/\1/p')
	[ -n "$tstart" ] || tstart=$t0
	_rel() { awk -v a="$1" -v b="$tstart" 'BEGIN { printf "%.1f", a - b }'; }
	IT_SLAVE_AT=$(_rel "$tslave")
	it_log "slave reached SLAVE at +$IT_SLAVE_AT s"

	tfrom=$(awk -v a="$tslave" -v s="$settle" 'BEGIN { printf "%.3f", a + s }')
	tend=$(awk -v a="$tfrom" -v w="$window" 'BEGIN { printf "%.3f", a + w }')
	it_wait_line_after "$slog" "vclock offset from CLOCK_REALTIME" "$tend" \
		$((settle + window + 10)) || {
		it_expect_alive "$@"
		it_die "no vclock line at or after +$(_rel "$tend") s"
	}
	it_expect_alive "$@"

	# The whole series for the record, then the assertion window.
	it_log "true error of the slave's virtual clock (s since start, ns):"
	it_vclock "$slog" |
		awk -v a="$tstart" '{ printf "  %6.1f %12d\n", $1 - a, $2 }'
	read -r cnt rms max mean < <(it_vclock "$slog" "$tfrom" "$tend" | it_stats)
	it_log "window +$(_rel "$tfrom") .. +$(_rel "$tend") s: $cnt samples, rms $rms ns, max |error| $max ns, mean $mean ns"
	[ "$cnt" -ge $((window - 2)) ] ||
		it_die "only $cnt vclock lines in $window s (summary_interval 0: one a second)"
	[ "$max" -lt "$limit" ] ||
		it_die "true error up to $max ns in the window (limit $limit ns)"
	# Once SLAVE, the port must stay SLAVE.
	if grep -Eq 'port 1 .*: SLAVE to ' "$slog"; then
		it_die "slave left SLAVE: $(grep -E 'port 1 .*: SLAVE to ' "$slog" | head -n 1)"
	fi
	IT_WIN_RMS=$rms
	IT_WIN_MAX=$max
}

# it_master_offsets FILE [FROM_S [TO_S]]: "time offset_ns" of every
# "master offset N s<k> freq ..." line.
it_master_offsets() {
	local f=$1 from=${2:--1e18} to=${3:-1e18}
	sed -n 's/^[^[]*\[\([0-9.]*\)\].*master offset *\(-\{0,1\}[0-9][0-9]*\) s[0-9].*/\1 \2/p' "$f" |
		awk -v a="$from" -v b="$to" '$1 >= a && $1 <= b'
}

# it_stats < "time value" lines -> "n rms max_abs mean" (ns).
it_stats() {
	awk '{ n++; s += $2; ss += $2 * $2; a = $2 < 0 ? -$2 : $2;
	       if (a > m) m = a }
	     END { if (n == 0) { print "0 0 0 0"; exit }
	           printf "%d %.0f %.0f %.0f\n", n, sqrt(ss / n), m, s / n }'
}

# it_port_state_re IF FROM TO: ERE of ptp4l's state change line.
it_state_re() {
	echo "port 1 \\($1\\): $2 to $3 on"
}

# it_pmc NS UDS CMD...: linuxptp's pmc over the Unix socket, each CMD a
# separate management command; output on stdout.
it_pmc() {
	local ns=$1 uds=$2
	shift 2
	ip netns exec "$ns" timeout 10 pmc -u -b 0 -s "$uds" "$@" 2>&1
}

# it_pmc_field OUTPUT FIELD: the value of "FIELD value" in pmc output
# (first match).
it_pmc_field() {
	printf '%s\n' "$1" | awk -v k="$2" '$1 == k { print $2; exit }'
}

# it_cfg FILE LINES...: writes a configuration file under the work
# directory ([global] first) and prints its path.
it_cfg() {
	local f="$IT_WORK/$1"
	shift
	{
		echo "[global]"
		printf '%s\n' "$@"
	} >"$f"
	echo "$f"
}

# it_gn_private: the configuration lines that keep a gnomond instance's
# files private to this test: its time service page (publish_path, by
# default /run/gnomon/<basename of uds_address>, shared by every run on
# the machine) under the work directory. uds_address and uds_ro_address
# are set by each test.
it_gn_private() {
	echo "publish_path $IT_WORK/pages/"
}

# it_common_cfg NAME [KIND]: options every two-node test shares, one per
# line: fast announce (the master is elected within about 4 s), 2 Sync
# and Delay_Req per second, a private management socket; for KIND
# gnomond (the default) also the read-only socket and a private time
# service page; KIND page the same with the page at $IT_WORK/NAME.page,
# for tests that read it. ptp4l 3.1.1 knows neither, so KIND ptp4l
# leaves them out.
it_common_cfg() {
	echo "logAnnounceInterval 0"
	echo "announceReceiptTimeout 3"
	echo "logSyncInterval -1"
	echo "logMinDelayReqInterval -1"
	echo "uds_address $IT_WORK/$1.uds"
	case "${2:-gnomond}" in
	gnomond)
		echo "uds_ro_address $IT_WORK/$1.ro.uds"
		it_gn_private
		;;
	page)
		echo "uds_ro_address $IT_WORK/$1.ro.uds"
		echo "publish_path $IT_WORK/$1.page"
		;;
	esac
	return 0
}

# it_transport_flag udpv4|udpv6|l2 -> -4|-6|-2
it_transport_flag() {
	case "$1" in
	udpv4) echo -4 ;;
	udpv6) echo -6 ;;
	l2) echo -2 ;;
	*) it_die "unknown transport $1" ;;
	esac
}

# it_check_gnomond PATH: the binary exists and is the real daemon.
it_check_gnomond() {
	[ -x "$1" ] || it_die "gnomond not found at $1"
	"$1" -v >/dev/null 2>&1 || it_die "$1 -v failed"
	[ -n "$("$1" -v 2>&1)" ] || it_die "$1 -v printed nothing (placeholder?)"
}

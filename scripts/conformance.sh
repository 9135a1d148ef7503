#!/bin/bash
# conformance.sh - runs linuxptp-testsuite (on the clknetsim simulator)
# with gnomond standing in for ptp4l and, optionally, with linuxptp's own
# ptp4l in the same run, and prints a table: test, pass/fail and the RMS
# time error for each.
#
# It must not download or build anything: it takes the paths of EXISTING
# builds from the environment (docs/conformance.md says how to make them).
# The repository holds no code of those projects.
#
#   CLKNETSIM=/path   clknetsim build dir (has ./clknetsim and ./clknetsim.so)
#   TESTSUITE=/path   linuxptp-testsuite checkout (has test.common)
#   LINUXPTP=/path    linuxptp build dir (ptp4l pmc phc2sys nsm); its pmc
#                     and phc2sys serve both columns unless overridden
#   GNOMOND=/path     gnomond binary (default: build/src/daemon/gnomond)
#   GNOMON_PMC, GNOMON_PHC2SYS   optional stand-ins for pmc / phc2sys in
#                     the gnomond column (default: linuxptp's)
#   GNOMOND_OPTIONS   extra command-line options for every gnomond (default
#                     "--publish_path= --network_management read_write":
#                     simulated daemons must not write their time service
#                     page into the host's /run/gnomon, where they would
#                     replace a real daemon's page; and the suite's pmc asks
#                     over UDP, which ptp4l answers by default and gnomond
#                     only when network_management allows it)
#   WORKDIR=/path     where run directories and logs go (default: mktemp)
#   SEED=N            CLKNETSIM_RANDOM_SEED (default 1; "random" for none)
#   TIMEOUT=S         wall-clock limit per test in seconds (default 900)
#
# Usage: scripts/conformance.sh [-l] [-L] [-o FILE] [-d FILE] [TEST...]
#   -l  also run linuxptp's ptp4l (second column)
#   -L  run linuxptp's ptp4l only
#   -o  also write the table (markdown) to FILE
#   -d  write every node check of every simulation, columns side by
#       side (markdown), to FILE
#   TEST: numbers (01 02 ...) or names (01-defaults); default: the
#   ordinary-clock list of issue 3 and 26 (transparent clocks).
#
# The ratio (first column / second) is given when both passed.
# RMS is the largest "RMS offset" (true time error of the simulated
# clock, from clknetsim's statistics) over the node checks of the test
# that the testsuite marked OK; for a failed test, over all its checks.
# Checks of simulations without ptp4l (phc2sys alone) are left out.
# Every check is also listed in <column>/out.<test>.tsv.
# Exit status: 0 when every gnomond test passed (or, with -L, every
# linuxptp test), 1 otherwise, 2 on a usage or setup error.
set -u

DEFAULT_TESTS="01 02 04 05 06 07 08 09 10 11 13 15 16 17 19 20 21 23 26 27 31 32 37"

die() {
	echo "conformance.sh: $*" >&2
	exit 2
}

run_gnomon=1
run_linuxptp=0
table_out=""
details_out=""
while getopts "lLo:d:h" opt; do
	case $opt in
	l) run_linuxptp=1 ;;
	L) run_linuxptp=1 run_gnomon=0 ;;
	o) table_out=$OPTARG ;;
	d) details_out=$OPTARG ;;
	h)
		sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))

repo=$(cd "$(dirname "$0")/.." && pwd)

[ -n "${CLKNETSIM:-}" ] || die "set CLKNETSIM to a clknetsim build directory"
[ -n "${TESTSUITE:-}" ] || die "set TESTSUITE to a linuxptp-testsuite checkout"
[ -n "${LINUXPTP:-}" ] || die "set LINUXPTP to a linuxptp build directory"
CLKNETSIM=$(cd "$CLKNETSIM" 2>/dev/null && pwd) || die "no directory $CLKNETSIM"
TESTSUITE=$(cd "$TESTSUITE" 2>/dev/null && pwd) || die "no directory $TESTSUITE"
LINUXPTP=$(cd "$LINUXPTP" 2>/dev/null && pwd) || die "no directory $LINUXPTP"
# Both must exist, or test.common would try to clone and build clknetsim.
if [ ! -x "$CLKNETSIM/clknetsim" ] || [ ! -f "$CLKNETSIM/clknetsim.so" ]; then
	die "$CLKNETSIM has no clknetsim and clknetsim.so (build it first)"
fi
[ -f "$TESTSUITE/test.common" ] || die "$TESTSUITE has no test.common"
for b in ptp4l pmc phc2sys nsm; do
	[ -x "$LINUXPTP/$b" ] || die "$LINUXPTP/$b missing (build linuxptp first)"
done
GNOMOND=${GNOMOND:-$repo/build/src/daemon/gnomond}
if [ $run_gnomon -eq 1 ]; then
	[ -x "$GNOMOND" ] || die "no gnomond at $GNOMOND (set GNOMOND)"
	GNOMOND=$(cd "$(dirname "$GNOMOND")" && pwd)/$(basename "$GNOMOND")
fi
GNOMON_PMC=${GNOMON_PMC:-$LINUXPTP/pmc}
GNOMOND_OPTIONS=${GNOMOND_OPTIONS---publish_path= --network_management read_write}
GNOMON_PHC2SYS=${GNOMON_PHC2SYS:-$LINUXPTP/phc2sys}
SEED=${SEED:-1}
TIMEOUT=${TIMEOUT:-900}
case $TIMEOUT in '' | *[!0-9]*) die "TIMEOUT must be a number of seconds" ;; esac

if [ -z "${WORKDIR:-}" ]; then
	WORKDIR=$(mktemp -d /tmp/gnomon-conformance.XXXXXX) || die "mktemp failed"
fi
mkdir -p "$WORKDIR" || die "cannot create $WORKDIR"
WORKDIR=$(cd "$WORKDIR" && pwd)

# Resolve the test list to file names of the suite.
if [ $# -gt 0 ]; then
	wanted=("$@")
else
	read -r -a wanted <<<"$DEFAULT_TESTS"
fi
tests=()
for w in "${wanted[@]}"; do
	f=""
	for g in "$TESTSUITE/$w" "$TESTSUITE/$w"-*; do
		case $g in *_) continue ;; esac
		if [ -f "$g" ]; then
			f=$(basename "$g")
			break
		fi
	done
	[ -n "$f" ] || die "no test $w in $TESTSUITE"
	tests+=("$f")
done

# A run directory: the suite's scripts, clknetsim, and the programs it
# calls by name. test.common puts its working directory first in PATH,
# so the ptp4l found there is the one under test.
make_rundir() {
	local dir=$1 ptp4l=$2 pmc=$3 phc2sys=$4 f
	mkdir -p "$dir" || return 1
	for f in "$TESTSUITE"/[0-9][0-9]-* "$TESTSUITE/test.common"; do
		ln -sfn "$f" "$dir/$(basename "$f")"
	done
	ln -sfn "$CLKNETSIM" "$dir/clknetsim"
	ln -sfn "$ptp4l" "$dir/ptp4l"
	ln -sfn "$pmc" "$dir/pmc"
	ln -sfn "$phc2sys" "$dir/phc2sys"
	ln -sfn "$LINUXPTP/nsm" "$dir/nsm"
}

# Prints "PASS|FAIL|TIMEOUT rms checks" for one finished test output and
# writes every node check to $out.tsv (run, node, sync time, max/RMS
# time/frequency error, verdict, whether ptp4l ran in that simulation).
# Simulations without any ptp4l node (17 and 21 run phc2sys alone first:
# master_nodes=0, nodes=1) do not count towards the RMS figure.
summarize() {
	local out=$1 rc=$2 verdict
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		verdict=TIMEOUT
	elif [ "$rc" -eq 0 ] && tail -n 1 "$out" | grep -q '^PASS$'; then
		verdict=PASS
	else
		verdict=FAIL
	fi
	awk -v verdict="$verdict" -v tsv="$out.tsv" '
		BEGIN {
			printf "run\tnode\tsync_s\tmax_time_s\tmax_freq\t" \
				"rms_time_s\trms_freq\tverdict\tptp4l\n" > tsv
		}
		/^  network with [0-9]+ nodes:$/ { run++; ptp4l[run] = 1 }
		/^      master_nodes=0$/ { ptp4l[run] = 0 }
		# "node N: sync max_time max_freq rms_time rms_freq <tab>OK"
		$1 == "node" && $2 ~ /^[0-9]+:$/ && NF == 8 &&
		($NF == "OK" || $NF == "BAD") {
			printf "%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", run,
				$2 + 0, $3, $4, $5, $6, $7, $NF,
				ptp4l[run] ? "yes" : "no" > tsv
			if (!ptp4l[run])
				next
			rms = $6
			if (rms !~ /^[-+.0-9e]+$/)
				rms = 1e300 # inf or nan: worse than anything
			rms = rms + 0
			n_all++
			if (rms > max_all) max_all = rms
			if ($NF == "OK") {
				n_ok++
				if (rms > max_ok) max_ok = rms
			}
		}
		function show(x) {
			return x >= 1e300 ? "inf" : sprintf("%.2e", x)
		}
		END {
			if (verdict == "PASS" && n_ok > 0)
				printf "%s %s %d\n", verdict, show(max_ok), n_ok
			else if (n_all > 0)
				printf "%s %s %d\n", verdict, show(max_all), n_all
			else
				printf "%s - 0\n", verdict
		}' "$out"
}

# run_column NAME DIR: runs every test in DIR, fills results[NAME:test].
declare -A results
run_column() {
	local name=$1 dir=$2 t rc start end
	for t in "${tests[@]}"; do
		printf '%-9s %-22s ' "$name" "$t" >&2
		start=$(date +%s)
		(
			cd "$dir" || exit 2
			if [ "$SEED" = random ]; then
				unset CLKNETSIM_RANDOM_SEED
			else
				export CLKNETSIM_RANDOM_SEED=$SEED
			fi
			# test.common keeps a non-empty value from the
			# environment and appends it to every ptp4l command line.
			if [ "$name" = gnomond ] && [ -n "$GNOMOND_OPTIONS" ]; then
				export extra_ptp4l_options="$GNOMOND_OPTIONS"
			else
				unset extra_ptp4l_options
			fi
			exec timeout -k 10 "$TIMEOUT" nice -n 10 "./$t"
		) >"$dir/out.$t" 2>&1
		rc=$?
		end=$(date +%s)
		# Keep the last simulation's logs (not the large offset/freq
		# series) for post-mortems.
		rm -rf "$dir/logs.$t"
		mkdir -p "$dir/logs.$t"
		(cd "$dir/tmp" 2>/dev/null &&
			for f in *; do
				case $f in log.offset | log.freq | log.packets | sock | pcap.*) ;;
				*) [ -f "$f" ] && cp "$f" "$dir/logs.$t/" ;;
				esac
			done)
		results[$name:$t]=$(summarize "$dir/out.$t" $rc)
		echo "${results[$name:$t]} ($((end - start)) s)" >&2
	done
}

columns=()
if [ $run_gnomon -eq 1 ]; then
	make_rundir "$WORKDIR/gnomond" "$GNOMOND" "$GNOMON_PMC" "$GNOMON_PHC2SYS" ||
		die "cannot prepare $WORKDIR/gnomond"
	columns+=(gnomond)
fi
if [ $run_linuxptp -eq 1 ]; then
	make_rundir "$WORKDIR/linuxptp" "$LINUXPTP/ptp4l" "$LINUXPTP/pmc" \
		"$LINUXPTP/phc2sys" || die "cannot prepare $WORKDIR/linuxptp"
	columns+=(linuxptp)
fi

echo "work directory: $WORKDIR (outputs: <column>/out.<test>, logs.<test>/)" >&2
for c in "${columns[@]}"; do
	run_column "$c" "$WORKDIR/$c"
done

# The table (markdown, so it can go into bench/results as it is).
table() {
	local c t v rms line
	local v1 v2 r1 r2 ratio
	line="| test |"
	for c in "${columns[@]}"; do line="$line $c | RMS $c (s) |"; done
	[ ${#columns[@]} -eq 2 ] && line="$line RMS ratio |"
	echo "$line"
	line="|---|"
	for c in "${columns[@]}"; do line="$line---|---:|"; done
	[ ${#columns[@]} -eq 2 ] && line="$line---:|"
	echo "$line"
	for t in "${tests[@]}"; do
		line="| $t |"
		for c in "${columns[@]}"; do
			read -r v rms _ <<<"${results[$c:$t]}"
			line="$line $v | $rms |"
		done
		if [ ${#columns[@]} -eq 2 ]; then
			read -r v1 r1 _ <<<"${results[${columns[0]}:$t]}"
			read -r v2 r2 _ <<<"${results[${columns[1]}:$t]}"
			# A ratio only means something when both passed.
			ratio=$(awk -v a="$r1" -v b="$r2" -v ok="$v1$v2" 'BEGIN {
				if (ok == "PASSPASS" && a ~ /^[-+.0-9e]+$/ &&
				    b ~ /^[-+.0-9e]+$/ && b + 0 > 0)
					printf "%.2f", a / b
				else
					printf "-"
			}')
			line="$line $ratio |"
		fi
		echo "$line"
	done
}
# Every node check, columns side by side, joined on (run, node).
details() {
	local c t
	printf '| test | run | node | ptp4l in run |'
	for c in "${columns[@]}"; do printf ' %s | RMS (s) | max (s) | sync (s) |' "$c"; done
	echo
	printf '|---|---:|---:|---|'
	for c in "${columns[@]}"; do printf -- '---|---:|---:|---:|'; done
	echo
	for t in "${tests[@]}"; do
		for c in "${columns[@]}"; do
			[ -f "$WORKDIR/$c/out.$t.tsv" ] || continue
			awk -v c="$c" 'NR > 1 { print c "\t" $0 }' "$WORKDIR/$c/out.$t.tsv"
		done | awk -F '\t' -v t="$t" -v cols="${columns[*]}" '
			{
				k = $2 "\t" $3
				if (!(k in seen)) { seen[k] = 1; order[++n] = k; p4[k] = $10 }
				v[$1, k] = $9 " | " $7 " | " $5 " | " $4
			}
			END {
				nc = split(cols, cl, " ")
				for (i = 1; i <= n; i++) {
					split(order[i], rn, "\t")
					line = "| " t " | " rn[1] " | " rn[2] " | " p4[order[i]] " |"
					for (j = 1; j <= nc; j++) {
						x = v[cl[j], order[i]]
						line = line " " (x == "" ? "- | - | - | -" : x) " |"
					}
					print line
				}
			}'
	done
}

table
[ -n "$table_out" ] && table >"$table_out"
[ -n "$details_out" ] && details >"$details_out"

status=0
main=${columns[0]}
for t in "${tests[@]}"; do
	read -r v _ <<<"${results[$main:$t]}"
	[ "$v" = PASS ] || status=1
done
exit $status

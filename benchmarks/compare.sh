#!/usr/bin/env bash
# Runs Kasane's end-to-end workloads and the same workloads on the peers present on this machine, and prints one table:
# seconds per side, the ratios peer / Kasane (above 1 means Kasane is faster) and each side's peak RSS.
#
#   benchmarks/compare.sh [-r ROUNDS] [workload ...]      # JDK from JAVA_HOME, else the java on PATH
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 benchmarks/compare.sh
#
# Sides:
# - kasane:  dev.kasane.benchmarks.Workloads from benchmarks/target/benchmarks.jar (mvn -B -q -DskipTests package).
# - pt113:   ../shared/peers/torch_bench.py on /usr/bin/python3 (Debian's python3-torch, PyTorch 1.13), when torch
#            imports there.
# - pt271:   ../shared/peers/djl-bench (libtorch 2.7.1 through DJL: current PyTorch), when that folder and mvn are
#            present. It is copied to benchmarks/target/djl-bench and built there once (its jars come from Maven
#            Central on the first build); the timed process is its forked java command, run directly, so its peak RSS
#            is the benchmark's, not Maven's. DJL lacks ConvTranspose2d: see its README for the two layers written
#            another way.
#
# Each round runs every workload in a fresh process on each side, the sides back to back, who goes first rotating
# from round to round, so that all see the same state of the machine. A whole process of any side can run 2x (rarely
# 6x) slower than the next one on these shared virtual machines (see benchmarks/RESULTS.md), so one run proves
# little: the table gives the median seconds of each side over the rounds, the median of the per-round ratios with
# their range, and the median peak RSS (GNU time's maximum resident set size of the process) per side. ROUNDS
# defaults to 3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar="$here/target/benchmarks.jar"
peers="${KASANE_PEERS:-$here/../../shared/peers}"  # the peers folder; KASANE_PEERS overrides
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
rounds=3
if [ "${1:-}" = "-r" ]; then
  rounds=${2:?"-r needs a number of rounds"}
  shift 2
fi
[ -f "$jar" ] || { echo "missing $jar: run 'mvn -B -q -DskipTests package' first" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "missing /usr/bin/time (GNU time, for peak RSS): apt-get install -y time" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

load() { awk '{print $1", "$2", "$3}' /proc/loadavg; }
# The trap limits keep JDK 17's C2 from dropping the Vector API intrinsics part-way through a run (README, "JDK 17").
# KASANE_JAVA_OPTS: extra JVM flags, e.g. -XX:StartFlightRecording=filename=/tmp/k.jfr to profile.
jit="-XX:PerBytecodeTrapLimit=100 -XX:PerMethodTrapLimit=10000"
# The sides' commands; measure() sets wrap to GNU time, which writes the process's peak RSS (kB) to $tmp/rss.
wrap=()
# shellcheck disable=SC2086
kasane() { "${wrap[@]}" "$java" --add-modules jdk.incubator.vector $jit ${KASANE_JAVA_OPTS:-} -cp "$jar" dev.kasane.benchmarks.Workloads "$@"; }
pt113() { "${wrap[@]}" /usr/bin/python3 "$peers/torch_bench.py" "$@"; }
djl="$here/target/djl-bench"
pt271() {
  local cache="$djl/target/djl-cache"
  OMP_NUM_THREADS=2 MKL_NUM_THREADS=2 "${wrap[@]}" java -Xmx2g -Dai.djl.offline=true -DENGINE_CACHE_DIR="$cache" \
    -DDJL_CACHE_DIR="$cache" -Djna.tmpdir="$cache/jna" -Dai.djl.pytorch.num_threads=2 \
    -Dai.djl.pytorch.num_interop_threads=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dquick=false -Ddebug=false \
    -Dconvtranspose=auto -cp "$djl/target/classes:$(cat "$djl/classpath.txt")" DJLBench "$@"
}

sides="kasane"
if [ -f "$peers/torch_bench.py" ] && /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  sides="$sides pt113"
else
  echo "(PyTorch 1.13 not available: install python3-torch libopenblas0-pthread to compare)"
fi
if [ -f "$peers/djl-bench/pom.xml" ] && command -v mvn > /dev/null; then
  if [ ! -f "$djl/classpath.txt" ]; then
    echo "# building $djl (once)"
    rm -rf "$djl" && cp -r "$peers/djl-bench" "$djl"
    mvn -q -B -f "$djl/pom.xml" package dependency:build-classpath -Dmdep.outputFile="$djl/classpath.txt" > "$tmp/djl.log" 2>&1 \
      || { cat "$tmp/djl.log" >&2; echo "djl-bench did not build (log above)" >&2; exit 1; }
  fi
  sides="$sides pt271"
else
  echo "(PyTorch 2.7.1 not available: needs ../shared/peers/djl-bench and mvn)"
fi
read -r -a side_list <<< "$sides"
nsides=${#side_list[@]}

simd=$(grep -qw avx512f /proc/cpuinfo && echo AVX-512 || (grep -qw avx2 /proc/cpuinfo && echo AVX2 || echo no AVX2))
echo "# $("$java" -version 2>&1 | head -1); $(nproc) cores ($simd); $(date -u '+%Y-%m-%d %H:%M UTC'); load average $(load)"
echo "# sides: $sides; $rounds rounds"
if [ $# -eq 0 ]; then
  set -- $(kasane --list 2>/dev/null)
fi

# One process of one side on one workload: appends "side round workload seconds rss_kb" to times.txt.
measure() {
  local side=$1 r=$2 name=$3 line
  wrap=(/usr/bin/time -o "$tmp/rss" -f "%M")
  line=$("$side" "$name" 2>/dev/null | grep "^$name " || true)
  wrap=()
  if [ -z "$line" ]; then
    echo "round $r $side: $name gave no result" >&2
    return
  fi
  echo "round $r $side: $line"
  echo "$line" | awk -v s="$side" -v r="$r" -v m="$(tail -1 "$tmp/rss")" '{print s, r, $1, $2, m}' >> "$tmp/times.txt"
}

for ((r = 1; r <= rounds; r++)); do
  for name in "$@"; do
    for ((i = 0; i < nsides; i++)); do
      measure "${side_list[$(((i + r - 1) % nsides))]}" "$r" "$name"
    done
  done
  echo "# load average after round $r: $(load)"
done

echo
echo "Seconds are medians over the rounds; ratios are the median of the per-round ratios (range in brackets); RSS in MB."
printf '| %-24s | %10s | %10s | %10s | %22s | %22s | %20s |\n' workload "Kasane s" "PT 1.13 s" "PT 2.7.1 s" \
  "PT 1.13 / Kasane" "PT 2.7.1 / Kasane" "peak RSS K/1.13/2.7.1"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' "--------------------------" "------------" "------------" "------------" \
  "------------------------" "------------------------" "----------------------"
for name in "$@"; do
  awk -v n="$name" '
    function median(a, k,   i, j, t) {  # sorts a[1..k] in place
      for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
    }
    function seconds(s,   k, a, r) { k = 0; for (r in t) if (index(r, s SUBSEP) == 1) a[++k] = t[r]; return k ? sprintf("%.4f", median(a, k)) : "-" }
    function rss(s,   k, a, r) { k = 0; for (r in m) if (index(r, s SUBSEP) == 1) a[++k] = m[r]; return k ? sprintf("%.0f", median(a, k) / 1024) : "-" }
    function ratio(s,   k, q, r, rr) {
      k = 0
      for (r in t) if (index(r, "kasane" SUBSEP) == 1) { split(r, rr, SUBSEP); if ((s SUBSEP rr[2]) in t) q[++k] = t[s SUBSEP rr[2]] / t[r] }
      if (!k) return "-"
      return sprintf("%.2f [%.2f-%.2f]", median(q, k), q[1], q[k])
    }
    $3 == n { t[$1, $2] = $4; m[$1, $2] = $5 }
    END {
      printf "| %-24s | %10s | %10s | %10s | %22s | %22s | %20s |\n", n, seconds("kasane"), seconds("pt113"),
        seconds("pt271"), ratio("pt113"), ratio("pt271"), rss("kasane") " / " rss("pt113") " / " rss("pt271")
    }' "$tmp/times.txt"
done

#!/usr/bin/env bash
# Runs Kasane's end-to-end workloads and (when /usr/bin/python3 has torch) the same workloads in PyTorch on this
# machine, and prints one table: workload, Kasane seconds, PyTorch seconds, ratio (PyTorch / Kasane: above 1 means
# Kasane is faster).
#
#   benchmarks/compare.sh [-r ROUNDS] [workload ...]      # JDK from JAVA_HOME, else the java on PATH
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 benchmarks/compare.sh
#
# Each round runs every workload in a fresh process on each side, the two sides back to back (Kasane first in odd
# rounds, PyTorch first in even ones), so that both see the same state of the machine. A whole process of either
# side can run 2x (rarely 6x) slower than the next one on these shared virtual machines (see benchmarks/RESULTS.md),
# so one run proves little: the table gives the median seconds of each side over the rounds, the median of the
# per-round ratios, and their range. ROUNDS defaults to 3.
#
# Needs benchmarks/target/benchmarks.jar: mvn -B -q -DskipTests package first.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar="$here/target/benchmarks.jar"
peers="$here/../../shared/peers"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
rounds=3
if [ "${1:-}" = "-r" ]; then
  rounds=${2:?"-r needs a number of rounds"}
  shift 2
fi
[ -f "$jar" ] || { echo "missing $jar: run 'mvn -B -q -DskipTests package' first" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

load() { awk '{print $1", "$2", "$3}' /proc/loadavg; }
# The trap limits keep JDK 17's C2 from dropping the Vector API intrinsics part-way through a run (README, "JDK 17").
# KASANE_JAVA_OPTS: extra JVM flags, e.g. -XX:StartFlightRecording=filename=/tmp/k.jfr to profile.
jit="-XX:PerBytecodeTrapLimit=100 -XX:PerMethodTrapLimit=10000"
# shellcheck disable=SC2086
kasane() { "$java" --add-modules jdk.incubator.vector $jit ${KASANE_JAVA_OPTS:-} -cp "$jar" dev.kasane.benchmarks.Workloads "$@" 2>/dev/null; }
torch=no
if [ -f "$peers/torch_bench.py" ] && /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  torch=yes
fi
pytorch() { /usr/bin/python3 "$peers/torch_bench.py" "$@"; }

simd=$(grep -qw avx512f /proc/cpuinfo && echo AVX-512 || (grep -qw avx2 /proc/cpuinfo && echo AVX2 || echo no AVX2))
echo "# $("$java" -version 2>&1 | head -1); $(nproc) cores ($simd); $(date -u '+%Y-%m-%d %H:%M UTC'); load average $(load)"
[ "$torch" = yes ] && echo "# PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'); $rounds rounds"
if [ $# -eq 0 ]; then
  set -- $(kasane --list)
fi

for ((r = 1; r <= rounds; r++)); do
  for name in "$@"; do
    for side in $( ((r % 2 == 1)) && echo "kasane pytorch" || echo "pytorch kasane"); do
      [ "$side" = pytorch ] && [ "$torch" = no ] && continue
      line=$("$side" "$name" | grep "^$name ")
      echo "round $r $side: $line"
      echo "$line" | awk -v s="$side" -v r="$r" '{print s, r, $1, $2}' >> "$tmp/times.txt"
    done
  done
  echo "# load average after round $r: $(load)"
done
[ "$torch" = no ] && echo "(PyTorch not available: install python3-torch libopenblas0-pthread to compare)"

echo
printf '| %-24s | %12s | %12s | %18s | %14s |\n' workload "Kasane s" "PyTorch s" "ratio (PT/Kasane)" "ratio range"
printf '|%s|%s|%s|%s|%s|\n' "--------------------------" "--------------" "--------------" "--------------------" "----------------"
for name in "$@"; do
  awk -v n="$name" '
    function median(a, k,   i, j, t) {  # sorts a[1..k] in place
      for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
    }
    $3 == n && $1 == "kasane" { ks[++nk] = $4; kr[$2] = $4 }
    $3 == n && $1 == "pytorch" { ts[++nt] = $4; tr[$2] = $4 }
    END {
      for (r in kr) if (r in tr) q[++nq] = tr[r] / kr[r]
      k = nk ? sprintf("%.4f", median(ks, nk)) : "-"
      t = nt ? sprintf("%.4f", median(ts, nt)) : "-"
      if (nq) { m = sprintf("%.2f", median(q, nq)); rg = sprintf("%.2f-%.2f", q[1], q[nq]) } else { m = "-"; rg = "-" }
      printf "| %-24s | %12s | %12s | %18s | %14s |\n", n, k, t, m, rg
    }' "$tmp/times.txt"
done

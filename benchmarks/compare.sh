#!/usr/bin/env bash
# Runs Kasane's end-to-end workloads, then (when /usr/bin/python3 has torch) the same workloads in PyTorch,
# on this machine, and prints one table: workload, Kasane seconds, PyTorch seconds, ratio (PyTorch / Kasane:
# above 1 means Kasane is faster).
#
#   benchmarks/compare.sh [workload ...]          # JDK from JAVA_HOME, else the java on PATH
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 benchmarks/compare.sh
#
# Needs benchmarks/target/benchmarks.jar: mvn -B -q -DskipTests package first.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar="$here/target/benchmarks.jar"
peers="$here/../../shared/peers"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
[ -f "$jar" ] || { echo "missing $jar: run 'mvn -B -q -DskipTests package' first" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

load() { awk '{print $1", "$2", "$3}' /proc/loadavg; }
simd=$(grep -qw avx512f /proc/cpuinfo && echo AVX-512 || (grep -qw avx2 /proc/cpuinfo && echo AVX2 || echo no AVX2))
echo "# $("$java" -version 2>&1 | head -1); $(nproc) cores ($simd); $(date -u '+%Y-%m-%d %H:%M UTC'); load average $(load)"
# KASANE_JAVA_OPTS: extra JVM flags, e.g. -XX:StartFlightRecording=filename=/tmp/k.jfr to profile.
# shellcheck disable=SC2086
"$java" --add-modules jdk.incubator.vector ${KASANE_JAVA_OPTS:-} -cp "$jar" dev.kasane.benchmarks.Workloads "$@" 2>/dev/null \
  | tee "$tmp/kasane.txt"
echo "# load average after Kasane: $(load)"
names=$(awk '{print $1}' "$tmp/kasane.txt")
if [ -f "$peers/torch_bench.py" ] && /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "# PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)')"
  # shellcheck disable=SC2086
  /usr/bin/python3 "$peers/torch_bench.py" $names | tee "$tmp/torch.txt"
  echo "# load average after PyTorch: $(load)"
else
  echo "(PyTorch not available: install python3-torch libopenblas0-pthread to compare)" > "$tmp/torch.txt"
fi
echo
printf '| %-24s | %12s | %12s | %18s |\n' workload "Kasane s" "PyTorch s" "ratio (PT/Kasane)"
printf '|%s|%s|%s|%s|\n' "--------------------------" "--------------" "--------------" "--------------------"
while read -r name ks _; do
  ts=$(awk -v n="$name" '$1==n {print $2}' "$tmp/torch.txt")
  if [ -n "$ts" ]; then ratio=$(awk -v a="$ts" -v b="$ks" 'BEGIN {printf "%.2f", a/b}'); else ts="-"; ratio="-"; fi
  printf '| %-24s | %12s | %12s | %18s |\n' "$name" "$ks" "$ts" "$ratio"
done < "$tmp/kasane.txt"

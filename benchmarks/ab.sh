#!/usr/bin/env bash
# A/B of Kasane's end-to-end workloads between two builds (for example before and after a change): each workload in
# a fresh process per side, the two sides back to back and alternating who goes first, ROUNDS rounds. Prints one line
# per run: round, side (base or new), workload, seconds. JDK from JAVA_HOME, else the java on PATH.
#
#   benchmarks/ab.sh BASE.jar NEW.jar ROUNDS [workload ...]
#
# Build each side's jar with `mvn -B -q -DskipTests package` and copy benchmarks/target/benchmarks.jar away.
base=$1; new=$2; rounds=$3; shift 3
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
jit="-XX:PerBytecodeTrapLimit=100 -XX:PerMethodTrapLimit=10000"
names=${*:-$($java --add-modules jdk.incubator.vector -cp $new dev.kasane.benchmarks.Workloads --list 2>/dev/null)}
for ((r=1; r<=rounds; r++)); do
  for n in $names; do
    for side in $( ((r % 2 == 1)) && echo "base new" || echo "new base"); do
      jar=$base; [ $side = new ] && jar=$new
      t=$($java --add-modules jdk.incubator.vector $jit -cp $jar dev.kasane.benchmarks.Workloads $n 2>/dev/null | awk -v n=$n '$1==n {print $2}')
      echo "$r $side $n $t"
    done
  done
done

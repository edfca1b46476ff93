#!/usr/bin/env bash
# Builds the benchmark jar and runs JMH. Usage: benchmarks/run.sh [JMH regex] [more JMH options]
# e.g. benchmarks/run.sh CounterBenchmark     or     benchmarks/run.sh '' -t 2
# Results: benchmarks/results/<name>.json (JMH's JSON) and .txt (JMH's table). Numbers from a
# busy machine are not comparable: run it alone.
set -euo pipefail
cd "$(dirname "$0")/.."
pattern=${1:-.}
[[ $# -gt 0 ]] && shift
./mvnw -B -q -pl benchmarks -am package -DskipTests -Dspotless.check.skip=true
mkdir -p benchmarks/results
name=$(echo "$pattern" | tr -c 'A-Za-z0-9_-' '_' | sed 's/_*$//')
[[ -z $name || $name == _ ]] && name=all
java -jar benchmarks/target/benchmarks.jar "$pattern" -prof gc \
  -rf json -rff "benchmarks/results/$name.json" "$@" | tee "benchmarks/results/$name.txt"

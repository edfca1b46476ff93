#!/usr/bin/env bash
# Reruns every benchmark and regenerates BENCHMARKS.md and the plots in docs/benchmarks/.
#
#   benchmarks/run.sh            # everything: JMH at 1 and 2 threads, scale harness, wrk (~20 min),
#                                # log shipping with a live OpenSearch node (~6 min), what
#                                # monitoring costs a chat request, off/full/agent (~10 min:
#                                # 3 children side by side, 120 s warm-up + 60 s measured each,
#                                # in alternating 10 s slices), the instrumentations against
#                                # the paths they replace in paired JMH forks (~25 min)
#   benchmarks/run.sh --quick    # the same with tiny iterations, to check that it all works
#   JMH_REGEX=CounterBenchmark benchmarks/run.sh   # JMH restricted to a regex (harness still runs)
#   SKIP_HARNESS=1 benchmarks/run.sh               # JMH and the report only
#
# Needs: a JDK 17, wrk (Debian package wrk), ~1.5 GiB of free memory for the OpenSearch child JVM.
# Everything listens on 127.0.0.1 only. Raw results land in benchmarks/results/ (JMH JSON and text,
# scale.json, shipping.json, logs). Numbers from a busy machine are not comparable: run it alone;
# the load average before and after is stamped in the report.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
[[ ${1:-} == --quick ]] && quick=true
regex=${JMH_REGEX:-.}
results=benchmarks/results
jar=benchmarks/target/benchmarks.jar

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
./mvnw -B -q -pl benchmarks -am package -DskipTests -Dspotless.check.skip=true
mkdir -p "$results"

{
  echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "CPU: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "Memory: $(free -h | awk '/^Mem:/ {print $2}') total"
  echo "OS: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "Java: $(java -version 2>&1 | head -1); $(java -version 2>&1 | tail -1)"
  echo "Load before the run (uptime): $(uptime | sed 's/.*load average/load average/')"
} >"$results/machine.txt"

if $quick; then
  jmh_opts=(-f 1 -wi 1 -w 200ms -i 1 -r 200ms)
  harness_opts=(--quick)
else
  jmh_opts=(-f 1 -wi 3 -w 1s -i 4 -r 1s)
  harness_opts=()
fi
echo "\`java -jar $jar '$regex' ${jmh_opts[*]} -t 1 -prof gc\` (and \`-t 2\`); JMH 1.37, one fork" \
  "per benchmark, ${jmh_opts[3]} × ${jmh_opts[5]} warm-up, ${jmh_opts[7]} × ${jmh_opts[9]} measurement." \
  >"$results/jmh-command.txt"

for threads in 1 2; do
  java -jar "$jar" "$regex" "${jmh_opts[@]}" -t "$threads" -prof gc \
    -rf json -rff "$results/jmh-t$threads.json" | tee "$results/jmh-t$threads.txt"
done

if [[ -z ${SKIP_HARNESS:-} ]]; then
  # As shipped (JDK HttpServer defaults), then scrape and health again with TCP_NODELAY on.
  java -cp "$jar" com.aicompanion.monitoring.benchmarks.scale.ScaleHarness \
    "$results/scale.json" "${harness_opts[@]}" >"$results/scale.log" 2>&1 \
    || { tail -50 "$results/scale.log" >&2; exit 1; }
  java -Dsun.net.httpserver.nodelay=true -cp "$jar" \
    com.aicompanion.monitoring.benchmarks.scale.ScaleHarness \
    "$results/scale-nodelay.json" "${harness_opts[@]}" --only=scrape,health \
    >"$results/scale-nodelay.log" 2>&1 || { tail -50 "$results/scale-nodelay.log" >&2; exit 1; }
  # Log shipping with a live OpenSearch node (a child JVM from the test classpath the build wrote
  # to benchmarks/target/test-classpath.txt): node capacity, paced logger.info rates, file reference.
  java -cp "$jar" com.aicompanion.monitoring.benchmarks.shipping.ShippingRates \
    "$results/shipping.json" "${harness_opts[@]}" >"$results/shipping.log" 2>&1 \
    || { tail -50 "$results/shipping.log" >&2; exit 1; }
  # The HTTP client wrapper, the LangChain4j listener and the server filter against the paths they
  # replace, over loopback, in pairs of adjacent JMH forks (~25 min: 6 comparisons x 6 pairs).
  java -cp "$jar" com.aicompanion.monitoring.benchmarks.paired.PairedRuns \
    "$results/paired.json" "${harness_opts[@]}" >"$results/paired.log" 2>&1 \
    || { tail -50 "$results/paired.log" >&2; exit 1; }
  # What monitoring costs a request: the chat example's jar in child JVMs, monitoring off, fully
  # instrumented, and under the OpenTelemetry Java agent, side by side at the same fixed rate,
  # measured in alternating 10 s slices (~10 min).
  java -cp "$jar" com.aicompanion.monitoring.benchmarks.cost.RequestCost \
    "$results/request-cost.json" "${harness_opts[@]}" >"$results/request-cost.log" 2>&1 \
    || { tail -50 "$results/request-cost.log" >&2; exit 1; }
fi

# A stack profile of every benchmark of ours that missed its target, for the report.
missed=$(java -cp "$jar" com.aicompanion.monitoring.benchmarks.report.ReportGenerator --missed .)
rm -f "$results/stack.txt"
if [[ -n $missed ]]; then
  java -jar "$jar" "$missed" -f 1 -wi 2 -w 1s -i 3 -r 1s -t 1 \
    -prof 'stack:lines=4;top=12;period=5' >"$results/stack.txt"
fi

echo "Load after the run (uptime): $(uptime | sed 's/.*load average/load average/')" \
  >>"$results/machine.txt"
java -cp "$jar" com.aicompanion.monitoring.benchmarks.report.ReportGenerator .
echo "BENCHMARKS.md and docs/benchmarks/*.png regenerated"

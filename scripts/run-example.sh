#!/usr/bin/env bash
# Builds and runs an example app. Usage: ./scripts/run-example.sh [quickstart] [app arguments...]
# The app serves http://localhost:8000/metrics (MONITORING_METRICS_PORT changes the port).
set -euo pipefail
cd "$(dirname "$0")/.."

example=${1:-quickstart}
[[ $# -gt 0 ]] && shift
case "$example" in
  quickstart) module=examples/quickstart jar=examples/quickstart/target/quickstart.jar ;;
  *)
    echo "error: unknown example '$example'; choose: quickstart" >&2
    exit 2
    ;;
esac

echo "Building $module (first run downloads Maven and the dependencies)..."
./mvnw -B -q -pl "$module" -am package -DskipTests -Dspotless.check.skip=true
echo "Starting $example: metrics at http://localhost:${MONITORING_METRICS_PORT:-8000}/metrics (Ctrl-C to stop)"
exec java -jar "$jar" "$@"

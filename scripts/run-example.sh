#!/usr/bin/env bash
# Builds and runs an example app. Usage: ./scripts/run-example.sh [chat-service|quickstart] [app arguments...]
# The app serves http://localhost:8000/metrics and /health (MONITORING_METRICS_PORT changes the
# port); chat-service answers on http://localhost:8080/chat (CHAT_PORT).
set -euo pipefail
cd "$(dirname "$0")/.."

example=${1:-chat-service}
[[ $# -gt 0 ]] && shift
case "$example" in
  chat-service) module=examples/chat-service jar=examples/chat-service/target/chat-service.jar ;;
  quickstart) module=examples/quickstart jar=examples/quickstart/target/quickstart.jar ;;
  *)
    echo "error: unknown example '$example'; choose: chat-service, quickstart" >&2
    exit 2
    ;;
esac

echo "Building $module (first run downloads Maven and the dependencies)..."
./mvnw -B -q -pl "$module" -am package -DskipTests -Dspotless.check.skip=true
echo "Starting $example: metrics at http://localhost:${MONITORING_METRICS_PORT:-8000}/metrics (Ctrl-C to stop)"
exec java -jar "$jar" "$@"

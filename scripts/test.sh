#!/usr/bin/env bash
# The test command: installs the Debian packages the tests start for real (when missing), then
# runs every test with the Maven wrapper. Usage: ./scripts/test.sh [extra Maven arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# program -> Debian package; the tests start these themselves on loopback ports
packages=(
  "promtool:prometheus"
  "prometheus:prometheus"
  "prometheus-alertmanager:prometheus-alertmanager"
  "amtool:prometheus-alertmanager"
  "prometheus-node-exporter:prometheus-node-exporter"
  "prometheus-redis-exporter:prometheus-redis-exporter"
  "prometheus-postgres-exporter:prometheus-postgres-exporter"
  "redis-server:redis-server"
  "/usr/lib/postgresql/*/bin/initdb:postgresql"
  "docker-compose:docker-compose"
  "shellcheck:shellcheck"
  "wrk:wrk"
  "node:nodejs"
  "npm:npm"
)
missing=()
for entry in "${packages[@]}"; do
  program=${entry%%:*}
  package=${entry##*:}
  if [[ $program == /* ]]; then
    # shellcheck disable=SC2086
    compgen -G $program >/dev/null || missing+=("$package")
  else
    command -v "$program" >/dev/null || missing+=("$package")
  fi
done
if ((${#missing[@]})); then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  echo "Installing Debian packages the tests need: ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    echo "error: installing packages needs root; run: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # the packages start system services; the tests run their own copies on other ports
  for service in prometheus prometheus-alertmanager prometheus-node-exporter \
    prometheus-redis-exporter prometheus-postgres-exporter redis-server postgresql; do
    if command -v systemctl >/dev/null && systemctl is-active --quiet "$service" 2>/dev/null; then
      systemctl stop "$service" || true
    fi
  done
fi

# the Kubernetes and Prometheus Operator schemas that KubernetesSchemaTest validates stack/kubernetes
# against (versions pinned by the lockfile)
npm ci --prefix integration-tests/src/test/node/kubernetes-schemas --no-audit --no-fund --silent

exec ./mvnw -B verify "$@"

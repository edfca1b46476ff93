#!/usr/bin/env bash
# Runs the companion-monitoring stack (docker-compose.monitoring.yml) with Docker Compose
# (the `docker compose` plugin, or the standalone `docker-compose`).
#
#   ./monitoring.sh start | stop | restart [service] | status | logs [service] | health
#   ./monitoring.sh update | backup [dir] | restore <dir> [--yes] | cleanup [--yes]
set -euo pipefail

STACK_DIR=$(cd "${BASH_SOURCE[0]%/*}" && pwd)
COMPOSE_FILE="$STACK_DIR/docker-compose.monitoring.yml"
PROJECT=${COMPOSE_PROJECT_NAME:-companion-monitoring}
VOLUMES=(prometheus-data alertmanager-data grafana-data elasticsearch-data)
CONTAINERS=(prometheus alertmanager grafana elasticsearch kibana jaeger node-exporter cadvisor
  redis-exporter postgres-exporter)
HELPER_IMAGE=alpine:3.20
COMPOSE=()

die() {
  echo "error: $*" >&2
  exit 1
}

usage() {
  cat <<'EOF'
Usage: ./monitoring.sh <command>

  start              create .env, a Grafana password and secret placeholders when missing, start every service
  stop               stop and remove the containers (data volumes are kept)
  restart [service]  restart every service, or one
  status             list the services and their state
  logs [service]     follow the logs of every service, or one
  health             health of every container, and where to open the UIs
  update             pull newer images of the pinned versions and recreate changed services
  backup [dir]       stop, archive every data volume into dir (default backups/<time>), start
  restore <dir>      replace every data volume with the archives in dir (asks first)
  cleanup            remove containers AND data volumes (asks first)

  --yes              answer yes to the question of restore and cleanup (for scripts)
EOF
}

# Finds Docker and Compose, with a clear message when one is missing.
find_compose() {
  command -v docker >/dev/null 2>&1 ||
    die "Docker is not installed (docker not found on PATH). Install Docker Engine: https://docs.docker.com/engine/install/"
  if docker compose version >/dev/null 2>&1; then
    COMPOSE=(docker compose)
  elif command -v docker-compose >/dev/null 2>&1; then
    COMPOSE=(docker-compose)
  else
    die "Docker Compose is not installed: install the plugin (apt-get install docker-compose-plugin) or docker-compose"
  fi
  docker info >/dev/null 2>&1 ||
    die "the Docker daemon is not running, or this user may not use it (try: sudo systemctl start docker, or add yourself to the docker group)"
}

compose() {
  "${COMPOSE[@]}" --project-name "$PROJECT" --file "$COMPOSE_FILE" "$@"
}

confirm() {
  local question=$1
  if [[ $ASSUME_YES == true ]]; then
    return 0
  fi
  local answer=""
  printf '%s Type yes to continue: ' "$question"
  read -r answer || true
  [[ $answer == yes ]] || die "aborted, nothing was changed"
}

# .env, a random Grafana password and empty secret files, so that a first start works.
prepare() {
  if [[ ! -f "$STACK_DIR/.env" ]]; then
    cp "$STACK_DIR/.env.example" "$STACK_DIR/.env"
    chmod 600 "$STACK_DIR/.env"
    echo "Created $STACK_DIR/.env from .env.example."
  fi
  local grafana_password="$STACK_DIR/grafana/secrets/admin_password"
  if [[ ! -s $grafana_password ]]; then
    (umask 077 && od -An -N18 -tx1 /dev/urandom | tr -d ' \n' >"$grafana_password")
    echo "Created a random Grafana admin password in grafana/secrets/admin_password."
  fi
  local secret
  for secret in smtp_password slack_webhook_url; do
    if [[ ! -f "$STACK_DIR/alertmanager/secrets/$secret" ]]; then
      : >"$STACK_DIR/alertmanager/secrets/$secret"
      chmod 600 "$STACK_DIR/alertmanager/secrets/$secret"
      echo "Created the empty secret alertmanager/secrets/$secret: fill it in to send notifications."
    fi
  done
}

urls() {
  cat <<'EOF'
  Grafana       http://localhost:3000   (admin / the password in grafana/secrets/admin_password)
  Prometheus    http://localhost:9090
  Alertmanager  http://localhost:9093
  Kibana        http://localhost:5601
  Jaeger        http://localhost:16686  (OTLP: grpc 4317, http 4318)
  Elasticsearch http://localhost:9200
EOF
}

cmd_health() {
  local name state failed=0
  for name in "${CONTAINERS[@]}"; do
    state=$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' \
      "$name" 2>/dev/null) || state="missing"
    printf '  %-18s %s\n' "$name" "$state"
    case $state in
      healthy | running) ;;
      *) failed=1 ;;
    esac
  done
  if ((failed)); then
    echo "Some services are not healthy: ./monitoring.sh logs <service> shows why."
    return 1
  fi
  echo "Every service is healthy."
  urls
}

cmd_backup() {
  local dir=${1:-"$STACK_DIR/backups/$(date +%Y%m%d-%H%M%S)"}
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  echo "Stopping the stack for a consistent backup into $dir"
  compose stop
  local volume
  for volume in "${VOLUMES[@]}"; do
    echo "  $volume -> $volume.tar.gz"
    docker run --rm -v "${PROJECT}_$volume:/data:ro" -v "$dir:/backup" "$HELPER_IMAGE" \
      tar czf "/backup/$volume.tar.gz" -C /data .
  done
  if [[ -f "$STACK_DIR/.env" ]]; then
    cp "$STACK_DIR/.env" "$dir/env"
    chmod 600 "$dir/env"
  fi
  compose start
  echo "Backup complete: $dir"
}

cmd_restore() {
  local dir=${1:-}
  [[ -n $dir ]] || die "restore needs the backup directory: ./monitoring.sh restore backups/<time>"
  [[ -d $dir ]] || die "no such backup directory: $dir"
  dir=$(cd "$dir" && pwd)
  local volume
  for volume in "${VOLUMES[@]}"; do
    [[ -f "$dir/$volume.tar.gz" ]] || die "$dir has no $volume.tar.gz; not a backup of this stack"
  done
  confirm "This replaces ALL monitoring data (${VOLUMES[*]}) with the backup in $dir."
  compose down
  for volume in "${VOLUMES[@]}"; do
    echo "  $volume.tar.gz -> $volume"
    docker volume create "${PROJECT}_$volume" >/dev/null
    docker run --rm -v "${PROJECT}_$volume:/data" -v "$dir:/backup:ro" "$HELPER_IMAGE" \
      sh -c "find /data -mindepth 1 -delete && tar xzf /backup/$volume.tar.gz -C /data"
  done
  compose up -d
  echo "Restore complete."
}

cmd_cleanup() {
  confirm "This stops the stack and DELETES its data volumes (${VOLUMES[*]}): metrics, dashboards state, alerts and logs are lost."
  compose down --volumes --remove-orphans
  echo "Removed the containers and the data volumes."
}

main() {
  ASSUME_YES=false
  local args=() arg
  for arg in "$@"; do
    case $arg in
      --yes | -y) ASSUME_YES=true ;;
      -h | --help | help)
        usage
        return 0
        ;;
      *) args+=("$arg") ;;
    esac
  done
  set -- "${args[@]+"${args[@]}"}"
  local command=${1:-}
  [[ -n $command ]] || {
    usage >&2
    return 2
  }
  shift
  case $command in
    start | stop | restart | status | logs | health | update | backup | restore | cleanup) ;;
    *)
      echo "error: unknown command '$command'" >&2
      usage >&2
      return 2
      ;;
  esac
  find_compose
  case $command in
    start)
      prepare
      compose up -d
      echo "The monitoring stack is starting; ./monitoring.sh health shows when it is ready."
      urls
      ;;
    stop) compose down ;;
    restart) compose restart "$@" ;;
    status) compose ps ;;
    logs) compose logs --follow --tail=200 "$@" ;;
    health) cmd_health ;;
    update)
      compose pull
      compose up -d
      ;;
    backup) cmd_backup "$@" ;;
    restore) cmd_restore "$@" ;;
    cleanup) cmd_cleanup ;;
  esac
}

main "$@"

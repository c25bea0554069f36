#!/usr/bin/env bash
# A throwaway 3-master Redis Cluster on 127.0.0.1, for the Redis store's Cluster tests.
#
#   bash scripts/redis-cluster.sh start   starts it (if not already up) and prints its nodes
#   bash scripts/redis-cluster.sh stop    shuts it down and deletes its files
#
# Then: REDIS_CLUSTER_NODES=127.0.0.1:7101,127.0.0.1:7102,127.0.0.1:7103 npm test
# It keeps nothing on disk but each node's cluster config, under $REDIS_CLUSTER_DIR.
set -euo pipefail

PORTS=(${REDIS_CLUSTER_PORTS:-7101 7102 7103})
DIR=${REDIS_CLUSTER_DIR:-${TMPDIR:-/tmp}/nest-session-redis-cluster}
WAIT_SECONDS=30

nodes() {
  local IFS=,
  local list=("${PORTS[@]/#/127.0.0.1:}")
  echo "${list[*]}"
}

healthy() {
  redis-cli -p "${PORTS[0]}" cluster info 2>/dev/null | grep -q '^cluster_state:ok'
}

start() {
  if healthy; then
    nodes
    return
  fi
  mkdir -p "$DIR"
  for port in "${PORTS[@]}"; do
    rm -f "$DIR/nodes-$port.conf"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --dir "$DIR" \
      --cluster-enabled yes --cluster-config-file "nodes-$port.conf" \
      --save '' --appendonly no --logfile "$DIR/redis-$port.log"
  done
  for port in "${PORTS[@]}"; do
    local deadline=$((SECONDS + WAIT_SECONDS))
    until redis-cli -p "$port" ping >/dev/null 2>&1; do
      ((SECONDS < deadline)) || { echo "redis on port $port did not start" >&2; exit 1; }
      sleep 0.2
    done
  done
  redis-cli --cluster create "${PORTS[@]/#/127.0.0.1:}" --cluster-replicas 0 --cluster-yes >/dev/null
  local deadline=$((SECONDS + WAIT_SECONDS))
  until healthy; do
    ((SECONDS < deadline)) || { echo "the cluster did not become healthy" >&2; exit 1; }
    sleep 0.2
  done
  nodes
}

stop() {
  for port in "${PORTS[@]}"; do redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; done
  rm -rf "$DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac

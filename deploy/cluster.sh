#!/usr/bin/env bash
# Runs LiveContract as a small cluster on this machine: a throwaway PostgreSQL, Redis, an
# S3-compatible server (s3rver), two app instances (a and b) and HAProxy in front of them with
# deploy/haproxy.cfg (TLS with a self-signed certificate made on the first run, cookie affinity,
# WebSockets, health checks). It prints the URL and stops everything it started on Ctrl+C.
#
#   deploy/cluster.sh [--state-dir DIR] [--port PORT] [--app-dir DIR] [--no-publish]
#
#   --state-dir DIR  where the database, Redis, documents, mail, certificate, master key and logs
#                    live (default: .cluster/ in the repository); kept between runs
#   --port PORT      HAProxy's HTTPS port on 127.0.0.1 (default 8443)
#   --app-dir DIR    the published app (default: DIR/app inside the state directory)
#   --no-publish     use the app already in --app-dir instead of publishing it first
#
# When everything answers, DIR/cluster.env holds the URL, ports, PIDs and paths (KEY=value lines)
# for scripts and tests. These subcommands act on a running cluster by its state directory:
#
#   deploy/cluster.sh publish APP_DIR [dotnet publish options]   publish the app only
#   deploy/cluster.sh stop-instance DIR a|b      kill one instance (SIGKILL, as a crash would)
#   deploy/cluster.sh start-instance DIR a|b     start it again and wait until it answers
#   deploy/cluster.sh stop-redis DIR | start-redis DIR
#   deploy/cluster.sh stop-postgres DIR | start-postgres DIR   (stop is immediate, as a crash)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)

log() { printf '==> %s\n' "$*" >&2; }
fail() { printf 'cluster.sh: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

# PostgreSQL refuses to run as root; as root it runs as the postgres user.
run_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_packages() {
  local missing=()
  [ -n "$(pg_bin)" ] || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v curl >/dev/null || missing+=(curl)
  command -v python3 >/dev/null || missing+=(python3)
  command -v npm >/dev/null || missing+=(nodejs npm)
  if [ ${#missing[@]} -gt 0 ]; then
    log "Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  local tools="$root/LiveContract.Tests/tools"
  local stamp="$tools/node_modules/.package-lock.sha256"
  if [ ! -f "$stamp" ] || ! (cd "$tools" && sha256sum --check --status "$stamp"); then
    log "Installing s3rver (npm)"
    (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error && sha256sum package-lock.json >"$stamp")
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

wait_for_port() {
  local port=$1 name=$2
  for _ in $(seq 1 200); do
    if port_open "$port"; then return 0; fi
    sleep 0.1
  done
  fail "$name did not start on port $port"
}

# The state of a running cluster, one small file per value under DIR/run, gathered into
# DIR/cluster.env (written whole, then renamed, so a reader never sees half a file).
set_value() { printf '%s\n' "$2" >"$state/run/$1"; }
get_value() { cat "$state/run/$1" 2>/dev/null || true; }

write_env() {
  local tmp="$state/cluster.env.tmp" name
  : >"$tmp"
  for name in $(ls "$state/run"); do
    printf '%s=%s\n' "$name" "$(get_value "$name")" >>"$tmp"
  done
  mv "$tmp" "$state/cluster.env"
}

use_state() {
  [ -n "${1:-}" ] || fail "name the cluster's state directory"
  state=$(cd "$1" && pwd)
  [ -d "$state/run" ] || fail "$state holds no cluster (no run/ folder)"
}

start_postgres() {
  local data="$state/postgres" port
  port=$(get_value POSTGRES_PORT)
  if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$data"
    if [ "$(id -u)" = 0 ]; then chown postgres "$data"; fi
    chmod 700 "$data"
    run_pg "$(pg_bin)/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --no-sync >"$state/logs/initdb.log" 2>&1 \
      || { cat "$state/logs/initdb.log" >&2; fail "initdb failed"; }
  fi
  rm -f "$data/postmaster.pid"
  run_pg "$(pg_bin)/pg_ctl" -D "$data" -l "$data/server.log" -w start \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $data -c max_connections=300" >/dev/null \
    || { cat "$data/server.log" >&2; fail "PostgreSQL did not start"; }
}

stop_postgres() {
  local data="$state/postgres"
  if [ -f "$data/postmaster.pid" ]; then
    run_pg "$(pg_bin)/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
  fi
}

start_redis() {
  local port
  port=$(get_value REDIS_PORT)
  setsid redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    >>"$state/logs/redis.log" 2>&1 </dev/null &
  set_value REDIS_PID $!
  disown
  wait_for_port "$port" "Redis"
}

stop_pid() {
  local pid=$1 signal=${2:-TERM}
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "-$signal" "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || return 0
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
}

stop_redis() {
  stop_pid "$(get_value REDIS_PID)" KILL
}

start_s3rver() {
  local port
  port=$(get_value S3_PORT)
  mkdir -p "$state/s3"
  # Access key and secret are both S3RVER.
  setsid "$root/LiveContract.Tests/tools/node_modules/.bin/s3rver" -d "$state/s3" -a 127.0.0.1 -p "$port" --no-vhost-buckets \
    >>"$state/logs/s3rver.log" 2>&1 </dev/null &
  set_value S3_PID $!
  disown
  wait_for_port "$port" "s3rver"
}

# One app instance from the published output, in Production, on its own loopback port, sharing
# the database, Redis, the S3 bucket and the master key with the other one.
start_instance() {
  local name=$1 port upper
  upper=$(printf '%s' "$name" | tr a-z A-Z)
  port=$(get_value "INSTANCE_${upper}_PORT")
  mkdir -p "$state/instance-$name"
  (
    cd "$(get_value APP_DIR)"
    export ASPNETCORE_ENVIRONMENT=Production
    export ASPNETCORE_URLS="http://127.0.0.1:$port"
    export LiveContract__DataDirectory="$state/instance-$name"
    export LiveContract__PublicUrl="$(get_value URL)"
    export Database__Provider=Postgres
    export Database__ConnectionString="Host=127.0.0.1;Port=$(get_value POSTGRES_PORT);Username=postgres;Database=livecontract"
    export Storage__MasterKey
    Storage__MasterKey=$(cat "$state/master.key")
    export Storage__Provider=S3
    export Storage__S3__Bucket=livecontract
    export Storage__S3__ServiceUrl="http://127.0.0.1:$(get_value S3_PORT)"
    export Storage__S3__ForcePathStyle=true
    export Storage__S3__AccessKey=S3RVER
    export Storage__S3__SecretKey=S3RVER
    export Storage__S3__CreateBucket=true
    export Email__Mode=Pickup
    export Email__PickupDirectory="$state/mail"
    export LiveSessions__Backend=Redis
    export LiveSessions__Redis="127.0.0.1:$(get_value REDIS_PORT),abortConnect=false"
    export LiveSessions__InstanceName="$name"
    export ReverseProxy__KnownProxies__0=127.0.0.1
    exec setsid dotnet LiveContract.Web.dll >>"$state/logs/instance-$name.log" 2>&1 </dev/null
  ) &
  set_value "INSTANCE_${upper}_PID" $!
  disown
}

wait_for_instance() {
  local name=$1 port upper pid
  upper=$(printf '%s' "$name" | tr a-z A-Z)
  port=$(get_value "INSTANCE_${upper}_PORT")
  pid=$(get_value "INSTANCE_${upper}_PID")
  for _ in $(seq 1 1200); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$state/logs/instance-$name.log" >&2; fail "instance $name stopped while starting"; }
    sleep 0.1
  done
  tail -n 30 "$state/logs/instance-$name.log" >&2
  fail "instance $name did not answer on port $port"
}

stop_instance() {
  local upper
  upper=$(printf '%s' "$1" | tr a-z A-Z)
  stop_pid "$(get_value "INSTANCE_${upper}_PID")" "${2:-TERM}"
}

start_haproxy() {
  LC_HAPROXY_BIND="127.0.0.1:$(get_value PORT)" \
  LC_HAPROXY_CERT="$state/tls/site.pem" \
  LC_INSTANCE_A="127.0.0.1:$(get_value INSTANCE_A_PORT)" \
  LC_INSTANCE_B="127.0.0.1:$(get_value INSTANCE_B_PORT)" \
  LC_PUBLIC_HOST="127.0.0.1:$(get_value PORT)" \
    haproxy -f "$root/deploy/haproxy.cfg" -D -p "$state/run-haproxy.pid" >>"$state/logs/haproxy.log" 2>&1 \
    || { cat "$state/logs/haproxy.log" >&2; fail "HAProxy did not start"; }
  set_value HAPROXY_PID "$(head -n 1 "$state/run-haproxy.pid")"
}

make_certificate() {
  mkdir -p "$state/tls"
  if [ ! -f "$state/tls/site.pem" ]; then
    log "Making a self-signed certificate for 127.0.0.1 and localhost"
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=localhost" \
      -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
      -keyout "$state/tls/site.key" -out "$state/tls/site.crt" >/dev/null 2>&1
    cat "$state/tls/site.crt" "$state/tls/site.key" >"$state/tls/site.pem"
    chmod 600 "$state/tls/site.key" "$state/tls/site.pem"
  fi
}

publish() {
  local dir=$1
  shift
  log "Publishing the app to $dir"
  # Release unless the caller says otherwise (dotnet publish defaults to Release).
  dotnet publish "$root/LiveContract.Web" -o "$dir" -nologo -v quiet "$@" >&2
}

stop_all() {
  local status=$?
  trap - INT TERM EXIT
  [ -n "${state:-}" ] && [ -d "$state/run" ] || exit "$status"
  log "Stopping the cluster"
  stop_pid "$(get_value HAPROXY_PID)"
  stop_instance a
  stop_instance b
  stop_pid "$(get_value S3_PID)"
  stop_redis
  stop_postgres
  rm -rf "$state/run" "$state/cluster.env" "$state/run-haproxy.pid"
  exit "$status"
}

run_cluster() {
  local state_dir="$root/.cluster" port=8443 app_dir="" publish_app=1
  while [ $# -gt 0 ]; do
    case $1 in
      --state-dir) state_dir=$2; shift 2 ;;
      --port) port=$2; shift 2 ;;
      --app-dir) app_dir=$2; shift 2 ;;
      --no-publish) publish_app=0; shift ;;
      -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
      *) fail "unknown option $1 (see --help)" ;;
    esac
  done
  command -v dotnet >/dev/null || fail "the .NET 10 SDK (dotnet) is not installed"
  install_packages

  mkdir -p "$state_dir"
  state=$(cd "$state_dir" && pwd)
  # PostgreSQL runs as its own user when we are root: it must reach its data directory.
  chmod 755 "$state"
  [ ! -f "$state/cluster.env" ] || fail "a cluster already runs from $state (or stopped without cleaning up: remove $state/cluster.env and $state/run)"
  [ -n "$app_dir" ] || app_dir="$state/app"
  mkdir -p "$state/run" "$state/logs" "$state/mail"
  trap stop_all INT TERM EXIT

  if [ "$publish_app" = 1 ]; then publish "$app_dir"; fi
  [ -f "$app_dir/LiveContract.Web.dll" ] || fail "no published app in $app_dir (run without --no-publish)"
  app_dir=$(cd "$app_dir" && pwd)

  if [ ! -f "$state/master.key" ]; then
    (umask 077 && openssl rand -base64 32 >"$state/master.key")
  fi
  make_certificate

  set_value STATE_DIR "$state"
  set_value APP_DIR "$app_dir"
  set_value PORT "$port"
  set_value URL "https://127.0.0.1:$port/"
  set_value POSTGRES_DATA "$state/postgres"
  set_value POSTGRES_PORT "$(free_port)"
  set_value REDIS_PORT "$(free_port)"
  set_value S3_PORT "$(free_port)"
  set_value INSTANCE_A_PORT "$(free_port)"
  set_value INSTANCE_B_PORT "$(free_port)"
  set_value MAIL_DIR "$state/mail"

  start_postgres
  run_pg "$(pg_bin)/createdb" -h 127.0.0.1 -p "$(get_value POSTGRES_PORT)" -U postgres livecontract 2>/dev/null || true
  log "PostgreSQL on 127.0.0.1:$(get_value POSTGRES_PORT)"
  start_redis
  log "Redis on 127.0.0.1:$(get_value REDIS_PORT)"
  start_s3rver
  log "s3rver on 127.0.0.1:$(get_value S3_PORT)"

  # Instance a migrates the database first; b starts once a answers.
  start_instance a
  wait_for_instance a
  start_instance b
  wait_for_instance b
  start_haproxy
  for _ in $(seq 1 100); do
    if curl -ksfS -o /dev/null "$(get_value URL)health" 2>/dev/null; then break; fi
    sleep 0.1
  done
  curl -ksfS -o /dev/null "$(get_value URL)health" || fail "HAProxy does not answer at $(get_value URL)"
  write_env

  cat >&2 <<EOF

LiveContract runs at $(get_value URL) (self-signed certificate: $state/tls/site.crt)
  instance a: http://127.0.0.1:$(get_value INSTANCE_A_PORT) (PID $(get_value INSTANCE_A_PID))
  instance b: http://127.0.0.1:$(get_value INSTANCE_B_PORT) (PID $(get_value INSTANCE_B_PID))
  emails:     $state/mail    logs: $state/logs
Press Ctrl+C to stop everything.
EOF
  echo "READY $state/cluster.env"

  # Wait for Ctrl+C; `wait` returns at once when a trapped signal arrives.
  while true; do sleep 1 & wait $! || true; done
}

command=${1:-}
case $command in
  publish)
    [ -n "${2:-}" ] || fail "name the folder to publish to"
    dir=$2
    shift 2
    publish "$dir" "$@"
    ;;
  stop-instance) use_state "${2:-}"; stop_instance "${3:?name the instance, a or b}" KILL ;;
  start-instance) use_state "${2:-}"; start_instance "${3:?name the instance, a or b}"; write_env; wait_for_instance "$3" ;;
  stop-redis) use_state "${2:-}"; stop_redis ;;
  start-redis) use_state "${2:-}"; start_redis; write_env ;;
  stop-postgres) use_state "${2:-}"; stop_postgres ;;
  start-postgres) use_state "${2:-}"; start_postgres ;;
  *) run_cluster "$@" ;;
esac

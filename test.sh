#!/usr/bin/env bash
# Runs every LiveContract test on this machine, as CI does:
#   1. installs what the tests need (Debian packages, the dotnet-ef tool, the npm test tools),
#   2. starts real servers on loopback (a throwaway PostgreSQL cluster, an SMTP sink, s3rver,
#      Redis); the cluster tests also start their own HAProxy, Redis and app instances,
#   3. builds and runs all tests (unit, bunit, integration, Playwright end-to-end),
#   4. stops the servers and ends with a plain "N passed, N failed" line.
# Extra arguments go to `dotnet test`, e.g. ./test.sh --filter "FullyQualifiedName~Health".
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD

log() { printf '==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

install_packages() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  [ -n "$(pg_bin)" ] || missing+=(postgresql)
  /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || missing+=(python3-aiosmtpd)
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
  command -v pdfsig >/dev/null || missing+=(poppler-utils)
  command -v npm >/dev/null || missing+=(nodejs npm)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v openssl >/dev/null || missing+=(openssl)
  if [ ${#missing[@]} -gt 0 ]; then
    log "Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  dotnet tool restore >/dev/null
  install_test_tools
}

# npm tools the tests run (s3rver), from the committed lock file; reinstalled only when
# node_modules is missing or the lock file changed since the last install.
install_test_tools() {
  local tools="$root/LiveContract.Tests/tools"
  local stamp="$tools/node_modules/.package-lock.sha256"
  if [ ! -f "$stamp" ] || ! (cd "$tools" && sha256sum --check --status "$stamp"); then
    log "Installing npm test tools"
    (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error && sha256sum package-lock.json >"$stamp")
  fi
}

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_for_port() {
  local port=$1 name=$2
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "$name did not start on port $port" >&2
  return 1
}

servers_dir=""
pg_data=""
smtp_pid=""
s3rver_pid=""
redis_pid=""

stop_servers() {
  if [ -n "$smtp_pid" ]; then kill "$smtp_pid" 2>/dev/null || true; fi
  if [ -n "$s3rver_pid" ]; then kill "$s3rver_pid" 2>/dev/null || true; fi
  if [ -n "$redis_pid" ]; then kill "$redis_pid" 2>/dev/null || true; fi
  if [ -n "$pg_data" ] && [ -f "$pg_data/postmaster.pid" ]; then
    run_pg "$(pg_bin)/pg_ctl" -D "$pg_data" -m immediate stop >/dev/null 2>&1 || true
  fi
  if [ -n "$servers_dir" ]; then rm -rf "$servers_dir"; fi
}

run_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  local port
  port=$(free_port)
  pg_data="$servers_dir/postgres"
  mkdir -p "$pg_data"
  if [ "$(id -u)" = 0 ]; then chown postgres "$pg_data"; fi
  run_pg "$(pg_bin)/initdb" -D "$pg_data" -U postgres --auth=trust -E UTF8 --no-sync >"$servers_dir/initdb.log" 2>&1 \
    || { cat "$servers_dir/initdb.log" >&2; return 1; }
  run_pg "$(pg_bin)/pg_ctl" -D "$pg_data" -l "$pg_data/server.log" -w start \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $pg_data -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" >/dev/null \
    || { cat "$pg_data/server.log" >&2; return 1; }
  export LIVECONTRACT_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Include Error Detail=true"
  log "PostgreSQL on 127.0.0.1:$port"
}

start_smtp_sink() {
  local port
  port=$(free_port)
  export LIVECONTRACT_TEST_MAILDIR="$servers_dir/maildir"
  /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$LIVECONTRACT_TEST_MAILDIR" >"$servers_dir/smtp.log" 2>&1 &
  smtp_pid=$!
  wait_for_port "$port" "The SMTP sink"
  export LIVECONTRACT_TEST_SMTP="127.0.0.1:$port"
  log "SMTP sink on 127.0.0.1:$port"
}

start_s3rver() {
  local port
  port=$(free_port)
  mkdir -p "$servers_dir/s3rver"
  # Access key and secret are both S3RVER.
  "$root/LiveContract.Tests/tools/node_modules/.bin/s3rver" -d "$servers_dir/s3rver" -a 127.0.0.1 -p "$port" --no-vhost-buckets \
    >"$servers_dir/s3rver.log" 2>&1 &
  s3rver_pid=$!
  wait_for_port "$port" "s3rver" || { cat "$servers_dir/s3rver.log" >&2; return 1; }
  export LIVECONTRACT_TEST_S3="http://127.0.0.1:$port"
  log "s3rver on 127.0.0.1:$port"
}

start_redis() {
  local port
  port=$(free_port)
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    >"$servers_dir/redis.log" 2>&1 &
  redis_pid=$!
  wait_for_port "$port" "Redis" || { cat "$servers_dir/redis.log" >&2; return 1; }
  export LIVECONTRACT_TEST_REDIS="127.0.0.1:$port"
  log "Redis on 127.0.0.1:$port"
}

install_packages
servers_dir=$(mktemp -d /tmp/livecontract-servers.XXXXXX)
chmod 755 "$servers_dir"
trap stop_servers EXIT
start_postgres
start_smtp_sink
start_s3rver
start_redis

log "Building"
dotnet build LiveContract.sln -c Release -nologo -v quiet

log "Running tests"
output="$servers_dir/test-output.txt"
set +e
dotnet test LiveContract.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$output"
status=${PIPESTATUS[0]}
set -e

# Sum the per-project summaries ("Failed!  - Failed: 1, Passed: 41, ...").
passed=$(grep -oE 'Passed: +[0-9]+' "$output" | awk '{ s += $2 } END { print s + 0 }')
failed=$(grep -oE 'Failed: +[0-9]+' "$output" | awk '{ s += $2 } END { print s + 0 }')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
exit "$status"

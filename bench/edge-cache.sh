#!/usr/bin/env bash
# Side-by-side benchmark of edge-cache against Varnish (issue 10, "Speed").
#
# nginx is the origin on 127.0.0.1 and serves the same objects to both caches: 1 KiB, 100 KiB
# and 1 MiB files and 10,000+ small generated keys, all with "Cache-Control: public,
# max-age=3600". Each cache in turn is pinned to core 0 and driven by wrk pinned to core 1 (the
# origin nginx shares core 1 with wrk), for four runs: hits on the 1 KiB object, hits on the
# 100 KiB object, a 90/10 hit/miss mix over 10,000 keys (the 9,000 hot keys are warmed first,
# each miss is a key never asked before), and 1 MiB hits. Then nginx itself, pinned to core 0,
# serves the 1 KiB and 1 MiB files directly: the limit for a cache hit on this machine.
# Every run prints requests/s, latency percentiles and the server's CPU seconds (utime+stime of
# its whole process tree during the run), so a disturbed run can be recognised.
#
# Loopback only. Every process it starts is stopped on exit, failure included.
#
#   bench/edge-cache.sh                   # 30 s per run
#   BENCH_SECONDS=10 bench/edge-cache.sh  # what a shared machine can afford
#
# Environment: BENCH_SECONDS (30), BENCH_PORT_BASE (28480; five ports from there), BENCH_WARMUP_SECONDS (5, before each run of each cache: JIT
# and Varnish's thread pools alike), BENCH_CONNECTIONS (64) and BENCH_THREADS (2) for wrk,
# BENCH_JAR (our exec jar; built with -DskipTests if missing), BENCH_WORK / BENCH_KEEP=1.
#
# Last line: "ratio: ours/Varnish = X.XX", our 1 KiB hit rate over Varnish's.
set -euo pipefail
# shellcheck source=bench/lib/common.bash
. "$(dirname "$0")/lib/common.bash"

WARMUP=${BENCH_WARMUP_SECONDS:-5} # before every run of both caches: shorter
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
PORT_ORIGIN=${BENCH_PORT_BASE:-28480}
PORT_VARNISH=$((PORT_ORIGIN + 1))
PORT_OURS=$((PORT_ORIGIN + 2))
PORT_NGINX_DIRECT=$((PORT_ORIGIN + 3))
PORT_OURS_ADMIN=$((PORT_ORIGIN + 4))

PORT_HINT="set BENCH_PORT_BASE"

wait_http() {
  await 20 0 "an answer from $1" http_ok "$1" >/dev/null
}

# ---------------------------------------------------------------------------------------------
# Origin, caches
# ---------------------------------------------------------------------------------------------
prepare() {
  make_work edge
  mkdir -p "$WORK/www/obj" "$WORK/nginx"
  head -c 1024 /dev/urandom | base64 -w0 | head -c 1024 >"$WORK/www/obj/1k"
  head -c 102400 /dev/urandom >"$WORK/www/obj/100k"
  head -c 1048576 /dev/urandom >"$WORK/www/obj/1m"
  for port in $PORT_ORIGIN $PORT_NGINX_DIRECT; do
    cat >"$WORK/nginx/$port.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/nginx/$port.pid;
error_log $WORK/nginx/$port.error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx/body-$port;
  proxy_temp_path $WORK/nginx/proxy-$port;
  server {
    listen $ADDR:$port;
    root $WORK/www;
    location /obj/ { add_header Cache-Control "public, max-age=3600"; }
    location /keys/ {
      default_type text/plain;
      add_header Cache-Control "public, max-age=3600";
      return 200 "generated body of \$uri, a small page of the shop\n";
    }
  }
}
EOF
  done
  # Ours: the shipped configuration, but room for every key of the mix run (Varnish's malloc
  # storage has no entry limit either) and objects up to 1 MiB + headers.
  sed -e 's/^  maxEntries: .*/  maxEntries: 1000000/' \
      -e 's/^  maxObjectBytes: .*/  maxObjectBytes: 2097152/' \
      -e 's/^  maxCacheBytes: .*/  maxCacheBytes: 536870912/' \
      "$REPO/edge-cache/src/main/resources/edge-cache.yml" >"$WORK/edge-cache.yml"
  private_jar edge-cache >/dev/null
  cat >"$WORK/keys-hot.lua" <<'EOF'
-- Walks the 9,000 hot keys in order so that each is stored once before the mix run.
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/keys/" .. (i % 9000))
end
EOF
  cat >"$WORK/keys-mix.lua" <<'EOF'
-- 90 % hits on the 9,000 warmed keys, 10 % misses on keys never asked before (1,000 per
-- thread-second at most, so well over 10,000 keys in all).
local n = 0
local thread_id = 0
setup = function(thread)
  thread:set("id", thread_id)
  thread_id = thread_id + 1
end
request = function()
  n = n + 1
  if math.random(10) == 1 then
    return wrk.format("GET", "/keys/miss-" .. id .. "-" .. n .. "-" .. os.time())
  end
  return wrk.format("GET", "/keys/" .. math.random(0, 8999))
end
EOF
}

start_nginx() {
  local port=$1 core=$2
  mkdir -p "$WORK/nginx/body-$port" "$WORK/nginx/proxy-$port"
  taskset -c "$core" nginx -c "$WORK/nginx/$port.conf" -e "$WORK/nginx/$port.error.log" &
  STARTED+=($!)
  wait_http "http://$ADDR:$port/obj/1k"
}

start_varnish() {
  mkdir -p "$WORK/varnish"
  "${PIN_SERVER[@]}" varnishd -F -n "$WORK/varnish" -a "$ADDR:$PORT_VARNISH" -b "$ADDR:$PORT_ORIGIN" \
    -s malloc,512m -p default_keep=3600 -T none >"$WORK/varnish.log" 2>&1 &
  STARTED+=($!)
  CACHE_PID=$!
  wait_http "http://$ADDR:$PORT_VARNISH/obj/1k"
}

start_ours() {
  # shellcheck disable=SC2086 # BENCH_JAVA_OPTS: several flags
  SHOP_CONFIG="$WORK/edge-cache.yml" SHOP_INSTANCE=bench-edge SHOP_BIND=$ADDR \
    SHOP_HTTP_PORT=$PORT_OURS SHOP_ADMIN_PORT=$PORT_OURS_ADMIN \
    SHOP_ROUTES="/=origin@$ADDR:$PORT_ORIGIN" \
    "${PIN_SERVER[@]}" java ${BENCH_JAVA_OPTS:-} -jar "$WORK/edge-cache-exec.jar" >"$WORK/ours.log" 2>&1 &
  STARTED+=($!)
  CACHE_PID=$!
  wait_http "http://$ADDR:$PORT_OURS/obj/1k"
}

stop_cache() { stop "$CACHE_PID"; }

# ---------------------------------------------------------------------------------------------
# Runs
# ---------------------------------------------------------------------------------------------
declare -A RPS
# run NAME SERVER_PID URL [LUA]: one wrk run, one result line.
run() {
  local name=$1 pid=$2 url=$3 lua=${4:-} out cpu_before cpu_after rps p50 p90 p99 load
  local script=()
  [ -n "$lua" ] && script=(-s "$lua")
  if [ "$WARMUP" -gt 0 ]; then
    "${PIN_CLIENT[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "${script[@]}" "$url" >/dev/null
  fi
  cpu_before=$(cpu_seconds "$pid")
  out=$("${PIN_CLIENT[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency \
        "${script[@]}" "$url")
  cpu_after=$(cpu_seconds "$pid")
  load=$(load_1m)
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
  p90=$(awk '$1 == "90%" { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ' || true)
  RPS[$name]=$rps
  printf '%-22s %12s req/s   p50 %8s  p90 %8s  p99 %8s   CPU %6.2f s   load %s %s\n' \
    "$name" "$rps" "$p50" "$p90" "$p99" \
    "$(awk -v a="$cpu_after" -v b="$cpu_before" 'BEGIN { print a - b }')" "$load" "$errors"
}

suite() {
  local who=$1 port=$2
  run "$who 1KiB hit" "$CACHE_PID" "http://$ADDR:$port/obj/1k"
  run "$who 100KiB hit" "$CACHE_PID" "http://$ADDR:$port/obj/100k"
  "${PIN_CLIENT[@]}" wrk -t1 -c16 -d3s -s "$WORK/keys-hot.lua" "http://$ADDR:$port" >/dev/null
  run "$who 90/10 mix" "$CACHE_PID" "http://$ADDR:$port" "$WORK/keys-mix.lua"
  run "$who 1MiB hit" "$CACHE_PID" "http://$ADDR:$port/obj/1m"
}

main() {
  install_missing --stop "nginx varnish" varnishd:varnish nginx:nginx-light wrk:wrk taskset:util-linux \
    curl:curl java:openjdk-17-jdk-headless
  ports_free "$PORT_ORIGIN" "$PORT_VARNISH" "$PORT_OURS" "$PORT_NGINX_DIRECT" "$PORT_OURS_ADMIN"
  prepare
  echo "machine: $(machine), load average at start $(load_avg)"
  echo "peers: $(varnishd -V 2>&1 | head -1), $(nginx -v 2>&1), wrk -t$THREADS -c$CONNECTIONS -d${SECONDS_PER_RUN}s (warm-up ${WARMUP}s)"
  start_nginx "$PORT_ORIGIN" 1

  start_varnish
  suite Varnish "$PORT_VARNISH"
  stop_cache

  start_ours
  suite ours "$PORT_OURS"
  stop_cache

  start_nginx "$PORT_NGINX_DIRECT" 0
  local direct_pid=${STARTED[-1]}
  run "nginx direct 1KiB" "$direct_pid" "http://$ADDR:$PORT_NGINX_DIRECT/obj/1k"
  run "nginx direct 1MiB" "$direct_pid" "http://$ADDR:$PORT_NGINX_DIRECT/obj/1m"

  # ratio of two named runs' requests/s
  runs() { ratio "${RPS[$1]}" "${RPS[$2]}"; }
  echo "ours/Varnish: 100KiB $(runs 'ours 100KiB hit' 'Varnish 100KiB hit'), mix $(runs 'ours 90/10 mix' 'Varnish 90/10 mix'), 1MiB $(runs 'ours 1MiB hit' 'Varnish 1MiB hit')"
  echo "ours/nginx direct: 1KiB $(runs 'ours 1KiB hit' 'nginx direct 1KiB'), 1MiB $(runs 'ours 1MiB hit' 'nginx direct 1MiB')"
  echo "load average at end $(load_avg)"
  echo "ratio: ours/Varnish = $(runs 'ours 1KiB hit' 'Varnish 1KiB hit')"
}

main "$@"

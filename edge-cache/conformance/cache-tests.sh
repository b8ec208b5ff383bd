#!/usr/bin/env bash
# Runs the independent HTTP caching test suite behind cache-tests.fyi (npm package
# http-cache-tests, Mark Nottingham's) against edge-cache and, side by side, against Varnish,
# both in front of the suite's own origin server, on loopback. Prints one line of counts per
# cache (the verdicts cache-tests.fyi shows: pass, fail, optional_fail, ...) and the id and
# reason of every failure, then "edge-cache/Varnish required failures: X / Y".
#
#   edge-cache/conformance/cache-tests.sh                 # ours and Varnish
#   CT_PEERS=ours edge-cache/conformance/cache-tests.sh   # ours only
#   CT_ID=freshness-max-age edge-cache/conformance/cache-tests.sh   # one test, with its dump
#
# Environment: CT_PEERS ("ours varnish"), CT_ID (one test id), CT_PORT_BASE (28580; three ports
# from there and an admin port), CT_SUITE_VERSION (0.4.5), BENCH_JAR (our exec jar; built if
# missing), BENCH_WORK / BENCH_KEEP=1 (keep the result JSON files).
#
# The edge runs with its shipped configuration and one route, "/" to the suite's origin,
# allowing the methods the suite's invalidation tests send. Varnish runs as the benchmark runs
# it (default_keep so that it can revalidate). Loopback only; everything started is stopped.
set -euo pipefail
# shellcheck source=bench/lib/common.bash
. "$(dirname "$0")/../../bench/lib/common.bash"

PEERS=${CT_PEERS:-ours varnish}
PORT_ORIGIN=${CT_PORT_BASE:-28580}
PORT_OURS=$((PORT_ORIGIN + 1))
PORT_VARNISH=$((PORT_ORIGIN + 2))
PORT_OURS_ADMIN=$((PORT_ORIGIN + 3))
SUITE_VERSION=${CT_SUITE_VERSION:-0.4.5}
PORT_HINT="set CT_PORT_BASE"
HERE=$(cd "$(dirname "$0")" && pwd)

start_origin() {
  (cd "$SUITE" && npm_config_protocol=http npm_config_port=$PORT_ORIGIN \
    npm_config_pidfile="$WORK/origin.pid" exec node server/server.mjs >"$WORK/origin.log" 2>&1) &
  STARTED+=($!)
  await 20 0 "the suite's origin on $PORT_ORIGIN" tcp_listens "$ADDR" "$PORT_ORIGIN" >/dev/null
}

start_ours() {
  SHOP_INSTANCE=conformance-edge SHOP_BIND=$ADDR SHOP_HTTP_PORT=$PORT_OURS \
    SHOP_ADMIN_PORT=$PORT_OURS_ADMIN \
    SHOP_ROUTES="/=cache-tests@$ADDR:$PORT_ORIGIN;allow=GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS|M-SEARCH" \
    java -jar "$JAR" >"$WORK/ours.log" 2>&1 &
  STARTED+=($!)
  CACHE_PID=$!
  await 30 "$CACHE_PID" "edge-cache on $PORT_OURS" tcp_listens "$ADDR" "$PORT_OURS" >/dev/null
}

start_varnish() {
  mkdir -p "$WORK/varnish"
  varnishd -F -n "$WORK/varnish" -a "$ADDR:$PORT_VARNISH" -b "$ADDR:$PORT_ORIGIN" \
    -s malloc,256m -p default_keep=3600 -T none >"$WORK/varnish.log" 2>&1 &
  STARTED+=($!)
  CACHE_PID=$!
  await 30 "$CACHE_PID" "Varnish on $PORT_VARNISH" tcp_listens "$ADDR" "$PORT_VARNISH" >/dev/null
}

# suite_run NAME PORT: the whole suite (or CT_ID) through the cache on PORT.
suite_run() {
  local name=$1 port=$2
  if [ -n "${CT_ID:-}" ]; then
    (cd "$SUITE" && npm_config_base="http://$ADDR:$port" npm_config_id="$CT_ID" \
      timeout 120 node --no-warnings cli.mjs)
    return
  fi
  (cd "$SUITE" && npm_config_base="http://$ADDR:$port" npm_package_config_id="" \
    timeout 900 node --no-warnings cli.mjs >"$WORK/$name.json")
  node "$HERE/summarize.mjs" "$SUITE" "$WORK/$name.json" "$name"
}

main() {
  install_missing varnishd:varnish node:nodejs npm:npm java:openjdk-17-jdk-headless curl:curl
  ports_free "$PORT_ORIGIN" "$PORT_OURS" "$PORT_VARNISH" "$PORT_OURS_ADMIN"
  make_work cache-tests
  # Its own package.json, else npm installs into whichever parent directory has one.
  [ -f "$WORK/package.json" ] || echo '{"private": true}' >"$WORK/package.json"
  (cd "$WORK" && npm install --silent --no-audit --no-fund "http-cache-tests@$SUITE_VERSION" >&2)
  SUITE=$WORK/node_modules/http-cache-tests
  JAR=$(private_jar edge-cache)
  echo "suite: http-cache-tests $SUITE_VERSION, $(varnishd -V 2>&1 | head -1)"
  start_origin
  local -A FAILS
  for peer in $PEERS; do
    case $peer in
      ours) start_ours; suite_run edge-cache "$PORT_OURS" ;;
      varnish) start_varnish; suite_run varnish "$PORT_VARNISH" ;;
      *) die "unknown peer $peer (ours, varnish)" ;;
    esac
    stop "$CACHE_PID"
    [ -n "${CT_ID:-}" ] || FAILS[$peer]=$(grep -c '^  fail ' <<<"$(node "$HERE/summarize.mjs" "$SUITE" \
      "$WORK/$([ "$peer" = ours ] && echo edge-cache || echo varnish).json")" || true)
  done
  if [ -z "${CT_ID:-}" ] && [ -n "${FAILS[ours]:-}" ] && [ -n "${FAILS[varnish]:-}" ]; then
    echo "edge-cache/Varnish required failures: ${FAILS[ours]} / ${FAILS[varnish]}"
  fi
}

main "$@"

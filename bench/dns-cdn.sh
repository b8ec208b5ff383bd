#!/usr/bin/env bash
# Side-by-side benchmark of dns-cdn (the GSLB) against gdnsd with its geoip plugin (issue 7,
# "Speed").
#
# Both serve cdn.example. with shop.cdn.example answered per client from the same region map:
# 127.28.1.0/24 is north (edge 127.28.1.20, then south), 127.28.2.0/24 south (127.28.2.20, then
# north), anything else gets the first region. gdnsd's map is a geoip map with only a `nets`
# list (no GeoIP database), its resources always up (service_types => up); ours runs with health
# checks off (SHOP_GSLB_CHECK_MILLIS=0), so neither side probes edges that do not exist here.
# Per server, each for BENCH_SECONDS:
#   ecs:    two dnsperf processes at once, one sending ECS 127.28.1.0/24 and one 127.28.2.0/24
#           (-E 8:...), -c 2 -q 100 each; their QPS summed;
#   source: dnsperf without EDNS, -c 4 -q 200: the client is located by its source address;
#   static: (ours only) ns1.cdn.example A, a zone-file answer, the yardstick for GSLB answers.
# Servers on core 0, dnsperf on core 1; our JVM gets BENCH_WARMUP_SECONDS of the ecs load first,
# not counted. Before measuring, each server's answers are checked with dig (north, south).
#
# Loopback only. Every process it starts is stopped on exit, failure included.
#
#   bench/dns-cdn.sh                     # 30 s per run, about 3 minutes
#   BENCH_SECONDS=3 bench/dns-cdn.sh     # a smoke run
#
# Environment: BENCH_SECONDS (30), BENCH_WARMUP_SECONDS (10), BENCH_JAR (our exec jar; built
# with -am if missing), BENCH_JAVA_OPTS, BENCH_WORK / BENCH_KEEP=1 (keep configs and outputs).
# Last line: "ratio: ours/gdnsd = X.XX" (QPS with ECS).
set -euo pipefail
# shellcheck source=bench/lib/common.bash
. "$(dirname "$0")/lib/common.bash"

PORT_OURS=15601
PORT_GDNSD=15602
NAME=shop.cdn.example
# RFC 7871 6: FAMILY 1, SOURCE 24, SCOPE 0, three address bytes.
ECS_NORTH=8:00011800$(printf '%02x%02x%02x' 127 28 1)
ECS_SOUTH=8:00011800$(printf '%02x%02x%02x' 127 28 2)

start_ours() {
  # shellcheck disable=SC2086
  SHOP_INSTANCE=bench-cdn SHOP_BIND=$ADDR SHOP_DNS_PORT=$PORT_OURS SHOP_ADMIN_PORT=0 SHOP_NET=127 \
    SHOP_RRL_RPS=0 SHOP_GSLB_CHECK_MILLIS=0 \
    "${PIN_SERVER[@]}" java ${BENCH_JAVA_OPTS:-} -jar "$WORK/dns-cdn-exec.jar" >"$WORK/ours.log" 2>&1 &
  echo $!
}

gdnsd_config() {
  cat <<EOF
options => {
  listen => [ $ADDR:$PORT_GDNSD ]
  udp_threads => 1
  tcp_threads => 1
  run_dir => $WORK/gdnsd/run
  state_dir => $WORK/gdnsd/state
}
plugins => {
  geoip => {
    maps => {
      regions => {
        datacenters => [ north, south ]
        nets => {
          127.28.1.0/24 => [ north, south ]
          127.28.2.0/24 => [ south, north ]
        }
      }
    }
    resources => {
      shop => {
        map => regions
        service_types => up
        dcmap => { north => 127.28.1.20, south => 127.28.2.20 }
      }
    }
  }
}
EOF
}

start_gdnsd() {
  mkdir -p "$WORK/gdnsd/zones"
  gdnsd_config >"$WORK/gdnsd/config"
  cat >"$WORK/gdnsd/zones/cdn.example" <<'EOF'
$TTL 3600
@     SOA ns1 hostmaster 2024070101 3600 900 1209600 60
@     NS  ns1
ns1   A   127.28.0.5
shop  20  DYNA geoip!shop
EOF
  gdnsd -c "$WORK/gdnsd" checkconf >"$WORK/gdnsd-checkconf.out" 2>&1 \
    || die "gdnsd rejected its config: $(tail -n 3 "$WORK/gdnsd-checkconf.out")"
  "${PIN_SERVER[@]}" gdnsd -c "$WORK/gdnsd" start >"$WORK/gdnsd.out" 2>&1 &
  echo $!
}

# answer PORT SUBNET: the A record a client in SUBNET gets.
answer() {
  dig +short +tries=1 +time=2 +nocookie @"$ADDR" -p "$1" "$NAME" A +subnet="$2" | head -n 1
}

check_answers() { # name, port
  local north south
  north=$(answer "$2" 127.28.1.0/24)
  south=$(answer "$2" 127.28.2.0/24)
  if [ "$north" != 127.28.1.20 ] || [ "$south" != 127.28.2.20 ]; then
    die "$1 answers north '$north', south '$south' (want 127.28.1.20, 127.28.2.20)"
  fi
}

# One dnsperf process; prints its output file's summary "qps latency_ms lost sent".
dnsperf_run() { # port, queries file, seconds, output, dnsperf options...
  local port=$1 queries=$2 seconds=$3 out=$4
  shift 4
  timeout $((seconds + 60)) "${PIN_CLIENT[@]}" dnsperf -s "$ADDR" -p "$port" -d "$queries" \
    -l "$seconds" -t 2 "$@" >"$out" 2>&1 || die "dnsperf failed: $(tail -n 5 "$out")"
}

# drive NAME WORKLOAD PORT PID SECONDS: prints "qps latency_ms lost sent cpu_s" for the run.
drive() {
  local name=$1 workload=$2 port=$3 pid=$4 seconds=$5 before after out=$WORK/dnsperf-$1-$2
  before=$(cpu_ticks "$pid")
  case $workload in
    ecs)
      dnsperf_run "$port" "$WORK/gslb.txt" "$seconds" "$out-north.txt" -c 2 -q 100 -E "$ECS_NORTH" &
      local north=$!
      dnsperf_run "$port" "$WORK/gslb.txt" "$seconds" "$out-south.txt" -c 2 -q 100 -E "$ECS_SOUTH" &
      local south=$!
      wait "$north" || die "dnsperf (north) against $name failed"
      wait "$south" || die "dnsperf (south) against $name failed"
      # Both halves ran over the same seconds: their rates add up, latencies average.
      paste <(dnsperf_summary "$out-north.txt") <(dnsperf_summary "$out-south.txt") |
        awk '{ printf "%s %.3f %d %d", $1 + $5, ($2 + $6) / 2, $3 + $7, $4 + $8 }' >"$out.sum"
      ;;
    source) dnsperf_run "$port" "$WORK/gslb.txt" "$seconds" "$out.txt" -c 4 -q 200 ;;
    static) dnsperf_run "$port" "$WORK/static.txt" "$seconds" "$out.txt" -c 4 -q 200 ;;
  esac
  after=$(cpu_ticks "$pid")
  kill -0 "$pid" 2>/dev/null || die "$name died during the $workload run"
  [ -f "$out.sum" ] || dnsperf_summary "$out.txt" >"$out.sum"
  echo "$(cat "$out.sum") $(awk -v c=$((after - before)) -v t="$TICK" 'BEGIN { printf "%.2f", c / t }')"
}

RESULTS=()
measure() { # name, workload, port, pid
  local line lb la
  lb=$(load_1m)
  line=$(drive "$1" "$2" "$3" "$4" "$SECONDS_PER_RUN")
  la=$(load_1m)
  log "bench: $1 $2: $line"
  RESULTS+=("$1 $2 $line $lb $la")
}

main() {
  install_missing gdnsd:gdnsd dnsperf:dnsperf taskset:util-linux dig:bind9-dnsutils \
    java:openjdk-17-jdk-headless
  [ ${#PIN_SERVER[@]} -gt 0 ] || log "bench: fewer than 2 cores: no pinning"
  ports_free "$PORT_OURS" "$PORT_GDNSD"
  make_work dns-cdn
  private_jar dns-cdn >/dev/null
  echo "$NAME A" >"$WORK/gslb.txt"
  echo "ns1.cdn.example A" >"$WORK/static.txt"

  local pid ms
  pid=$(start_ours)
  STARTED+=("$pid")
  ms=$(await 60 "$pid" "an answer from ours" dns_ok "$ADDR" "$PORT_OURS" "$NAME")
  log "bench: ours answers ${ms} ms after start; load average $(load_avg)"
  check_answers ours "$PORT_OURS"
  if [ "$WARMUP" -gt 0 ]; then
    log "bench: warming up our JVM for ${WARMUP}s (not counted)"
    drive ours ecs "$PORT_OURS" "$pid" "$WARMUP" >/dev/null
  fi
  measure ours ecs "$PORT_OURS" "$pid"
  measure ours source "$PORT_OURS" "$pid"
  measure ours static "$PORT_OURS" "$pid"
  stop "$pid"

  pid=$(start_gdnsd)
  STARTED+=("$pid")
  ms=$(await 60 "$pid" "an answer from gdnsd" dns_ok "$ADDR" "$PORT_GDNSD" "$NAME")
  log "bench: gdnsd answers ${ms} ms after start"
  check_answers gdnsd "$PORT_GDNSD"
  measure gdnsd ecs "$PORT_GDNSD" "$pid"
  measure gdnsd source "$PORT_GDNSD" "$pid"
  stop "$pid"

  echo "machine: $(machine), load average now $(load_avg)"
  echo "dnsperf -t 2 -l $SECONDS_PER_RUN; ecs: two processes -c 2 -q 100 (north and south ECS);" \
    "source, static: -c 4 -q 200; server on core 0, dnsperf on core 1; our JVM warmed up ${WARMUP}s"
  echo
  printf '| %-6s | %-8s | %10s | %12s | %10s | %10s | %8s | %13s | %13s |\n' \
    server workload QPS "avg latency" lost sent "CPU s" "answers/CPU s" "load 1m b/a"
  printf '|%s|\n' "--------|----------|------------|--------------|------------|------------|----------|---------------|---------------"
  local r name workload qps lat lost sent cpu lb la
  declare -A Q P
  for r in "${RESULTS[@]}"; do
    read -r name workload qps lat lost sent cpu lb la <<<"$r"
    Q[$name-$workload]=$qps
    P[$name-$workload]=$(awk -v s="$sent" -v l="$lost" -v c="$cpu" 'BEGIN { print (c > 0 ? (s - l) / c : 0) }')
    printf '| %-6s | %-8s | %10.0f | %9.3f ms | %10s | %10s | %8.2f | %13.0f | %13s |\n' \
      "$name" "$workload" "$qps" "$lat" "$lost" "$sent" "$cpu" \
      "$(awk -v s="$sent" -v l="$lost" -v c="$cpu" 'BEGIN { print (c > 0 ? (s - l) / c : 0) }')" "$lb / $la"
  done
  echo
  echo "ours: GSLB answers with ECS / our static answers = $(ratio "${Q[ours-ecs]}" "${Q[ours-static]}")"
  echo "ours/gdnsd without ECS (source address) = $(ratio "${Q[ours-source]}" "${Q[gdnsd-source]}")"
  echo "per CPU second (independent of the load generator): ours/gdnsd with ECS =" \
    "$(ratio "${P[ours-ecs]}" "${P[gdnsd-ecs]}"), by source address = $(ratio "${P[ours-source]}" "${P[gdnsd-source]}");" \
    "ours GSLB with ECS / static = $(ratio "${P[ours-ecs]}" "${P[ours-static]}")"
  echo "ratio: ours/gdnsd = $(ratio "${Q[ours-ecs]}" "${Q[gdnsd-ecs]}")"
}

main "$@"

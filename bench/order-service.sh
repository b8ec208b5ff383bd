#!/usr/bin/env bash
# Benchmark of order-service (issue 12, "Speed"): POST /purchaseOrder with a distinct
# Idempotency-Key per request, through an L4 balancer to two instances on one PostgreSQL, then
# GET /products/{sku} the same way. All on 127.0.0.1.
#
# The balancer is our own SLB (the slb module's exec jar, built if missing) sending PROXY protocol
# v2 to both instances (which run with SHOP_ACCEPT_PROXY_PROTOCOL=true), round robin, as in the
# journey; BENCH_BALANCER=haproxy puts HAProxy in TCP mode with send-proxy-v2 in its place, to
# tell the balancer's share from the service's. The report names the balancer used. PostgreSQL is
# the machine's Debian build, created UTF-8 in a temporary directory and run as user postgres.
# There is no peer order API to compare with, so the last line is the issue's format:
# "N orders/s".
#
# It measures the service, not the load generator: wrk runs one thread (plenty for 16
# connections) and every party's CPU seconds during the timed order run are printed (wrk, the
# balancer, each instance, PostgreSQL with its backends). If wrk took more than a quarter of the CPU used,
# the figures say more about wrk than about the shop, and the script says so.
#
#   bench/order-service.sh                    # 30 s per run
#   BENCH_SECONDS=10 bench/order-service.sh
#
# Environment: BENCH_SECONDS (30), BENCH_WARMUP_SECONDS (10), BENCH_CONNECTIONS (16),
# BENCH_PROFILE (a directory: JFR's "profile" recording of order-1 during the timed order run is
# written there as order-1.jfr), BENCH_THREADS (1), BENCH_JIT_WAIT_SECONDS (30: after the warm-up,
# the longest wait for both instances' JIT compilers to be quiet), BENCH_JAR (the exec jar; built if missing),
# BENCH_JAR_ORDER2 (order-2's jar, default BENCH_JAR: an A/B of two builds under the same load,
# each instance taking half the orders, read from the CPU milliseconds per order of each), BENCH_SLB_JAR (the slb's; built
# if missing), BENCH_BALANCER (slb or haproxy), BENCH_JAVA_OPTS, BENCH_PG_OPTS
# (more PostgreSQL settings, e.g. "-c shared_preload_libraries=pg_stat_statements"), BENCH_WORK /
# BENCH_KEEP=1 (keep the work directory: configs, logs, the database).
# Everything started is stopped on exit, failure included.
set -euo pipefail
# shellcheck source=bench/lib/common.bash
. "$(dirname "$0")/lib/common.bash"

CONNECTIONS=${BENCH_CONNECTIONS:-16}
THREADS=${BENCH_THREADS:-1}
BALANCER=${BENCH_BALANCER:-slb}
JIT_WAIT=${BENCH_JIT_WAIT_SECONDS:-30}
PG_PORT=23633
LB_PORT=23680
LB_ADMIN_PORT=23679
ORDER_PORTS=(23681 23682)
ADMIN_PORTS=(23691 23692)

# At exit, after the instances stopped: PostgreSQL runs as user postgres, not as our child.
stop_postgres() {
  if [ -n "${WORK:-}" ] && [ -f "$WORK/pg/data/postmaster.pid" ]; then
    runuser -u postgres -- pg_ctl -D "$WORK/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
}
AT_EXIT+=(stop_postgres)

start_postgres() {
  mkdir -p "$WORK/pg" && chown postgres "$WORK/pg"
  runuser -u postgres -- initdb -D "$WORK/pg/data" -E UTF8 --locale=C.UTF-8 -A trust -U shop >/dev/null
  runuser -u postgres -- pg_ctl -D "$WORK/pg/data" -w -l "$WORK/pg/log" \
    -o "-c listen_addresses=$ADDR -p $PG_PORT -k $WORK/pg -c max_connections=50 \
      -c shared_preload_libraries=pg_stat_statements -c track_wal_io_timing=on ${BENCH_PG_OPTS:-}" \
    start >/dev/null
  sql "CREATE EXTENSION pg_stat_statements" >/dev/null
}

sql() { runuser -u postgres -- psql -h "$WORK/pg" -p "$PG_PORT" -U shop -d postgres -tAqc "$1"; }

# The database's side of the timed run: what each order cost PostgreSQL, counted by PostgreSQL
# (pg_stat_statements and pg_stat_wal, reset just before the run): statements per order (each one
# a round trip from the instance), WAL flushes per order (fsyncs: fewer than one when commits
# share a flush) and the milliseconds they took.
reset_pg_stats() { sql "SELECT pg_stat_statements_reset(); SELECT pg_stat_reset_shared('wal')" >/dev/null; }
pg_cost_per_order() {
  local orders=$1
  log "bench: PostgreSQL statements during the order run (calls per order, mean ms, statement):"
  sql "SELECT round(calls::numeric / $orders, 2) || ' ' || round(mean_exec_time::numeric, 3) || ' ' ||
         regexp_replace(left(query, 90), '\s+', ' ', 'g')
       FROM pg_stat_statements WHERE calls >= $orders / 100 AND query NOT LIKE '%pg_stat%' ORDER BY calls DESC LIMIT 8" |
    sed 's/^/bench:   /' >&2
  log "bench: WAL per order: $(sql "SELECT round(wal_sync::numeric / $orders, 3) || ' fsyncs (' ||
         round(wal_sync_time::numeric / nullif(wal_sync, 0), 3) || ' ms each), ' ||
         round(wal_bytes / $orders) || ' bytes' FROM pg_stat_wal")"
}

declare -A PID_OF=()

start_instance() { # name order-port admin-port jar
  # shellcheck disable=SC2086 # BENCH_JAVA_OPTS: several flags
  SHOP_INSTANCE=$1 SHOP_BIND=$ADDR SHOP_ORDER_PORT=$2 SHOP_ADMIN_PORT=$3 \
  SHOP_DB_URL="jdbc:postgresql://$ADDR:$PG_PORT/postgres?user=shop" SHOP_DB_USER=shop \
  SHOP_ACCEPT_PROXY_PROTOCOL=true \
    java -XX:+UseSerialGC -Xmx256m ${BENCH_JAVA_OPTS:-} -jar "$4" >"$WORK/$1.log" 2>&1 &
  STARTED+=($!)
  PID_OF[$1]=$!
  # A subshell, so that a failed wait still shows the instance's log.
  (await 180 "$!" "$1 ready" http_ok "http://$ADDR:$3/health/readiness" >/dev/null) ||
    die "$1 did not become ready; see its log: $(tail -5 "$WORK/$1.log")"
}

start_balancer() {
  case "$BALANCER" in
    slb) start_slb ;;
    haproxy) start_haproxy ;;
    *) die "BENCH_BALANCER must be slb or haproxy, not $BALANCER" ;;
  esac
  await 30 "${PID_OF[balancer]}" "$BALANCER listening" tcp_listens "$ADDR" "$LB_PORT" >/dev/null
}

# Our SLB as the journey runs it (slb.yml's defaults) but on the benchmark's ports: TCP checks
# (the two instances' admin ports differ, an HTTP check has one port for all).
start_slb() {
  local jar
  jar=$(BENCH_JAR=${BENCH_SLB_JAR:-} private_jar slb)
  cat >"$WORK/slb.yml" <<CFG
instance: bench-slb
listen: ["$ADDR:$LB_PORT"]
backends: ["$ADDR:${ORDER_PORTS[0]}", "$ADDR:${ORDER_PORTS[1]}"]
admin: "$ADDR:$LB_ADMIN_PORT"
balance: roundrobin
proxyProtocol: v2
healthCheck: {type: tcp, intervalMillis: 2000, timeoutMillis: 1000, rise: 2, fall: 3}
connectTimeoutMillis: 1000
idleTimeoutSeconds: 300
shutdownSeconds: 1
CFG
  java -XX:+UseSerialGC -Xmx256m -jar "$jar" --config="$WORK/slb.yml" >"$WORK/slb.log" 2>&1 &
  STARTED+=($!)
  PID_OF[balancer]=$!
}

balancer_name() {
  case "$BALANCER" in
    slb) echo "our slb (slb-exec.jar)" ;;
    haproxy) echo "HAProxy $(haproxy -v | awk 'NR == 1 { print $3 }')" ;;
  esac
}

start_haproxy() {
  cat >"$WORK/haproxy.cfg" <<CFG
global
  maxconn 1000
defaults
  mode tcp
  timeout connect 2s
  timeout client 30s
  timeout server 30s
frontend shop
  bind $ADDR:$LB_PORT
  default_backend orders
backend orders
  balance roundrobin
  server order-1 $ADDR:${ORDER_PORTS[0]} send-proxy-v2
  server order-2 $ADDR:${ORDER_PORTS[1]} send-proxy-v2
CFG
  haproxy -f "$WORK/haproxy.cfg" -db >"$WORK/haproxy.log" 2>&1 &
  STARTED+=($!)
  PID_OF[balancer]=$!
}

write_lua() {
  cat >"$WORK/orders.lua" <<'LUA'
-- One new purchase per request: a key no earlier request used.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  prefix = string.format("bench-%d-%d-", os.time(), tid)
  n = 0
  body = '{"order": {"date": "2018-07-01", "className": "趣谈网络协议", "Author": "刘超", "price": "68"}}'
  headers = {["Content-Type"] = "application/json; charset=utf-8", ["Host"] = "www.shop.example"}
end
function request()
  n = n + 1
  headers["Idempotency-Key"] = prefix .. n
  return wrk.format("POST", "/purchaseOrder", headers, body)
end
LUA
}

# cpu_of_parties: "name ticks" for every server process; PostgreSQL's backends are the
# postmaster's children, so cpu_ticks counts them.
cpu_of_parties() {
  local name
  PID_OF[postgres]=$(head -1 "$WORK/pg/data/postmaster.pid")
  for name in order-1 order-2 balancer postgres; do
    echo "$name $(cpu_ticks "${PID_OF[$name]}")"
  done
}

# order_timers: "name count sum" of the timers that split an order's time inside an instance, summed
# over both instances: the whole request (POST /purchaseOrder answered 201), waiting for a pooled
# database connection, and holding one (the statements and the commit's WAL flush).
order_timers() {
  local port
  for port in "${ADMIN_PORTS[@]}"; do curl -s "http://$ADDR:$port/metrics"; done |
    awk '/^http_server_requests_seconds_(count|sum)\{/ && /method="POST"/ && /status="201"/ &&
           /uri="\/purchaseOrder"/ { t["request " ($1 ~ /_count/ ? "n" : "s")] += $2 }
         /^hikaricp_connections_acquire_seconds_(count|sum)\{/ { t["pool-wait " ($1 ~ /_count/ ? "n" : "s")] += $2 }
         /^hikaricp_connections_usage_seconds_(count|sum)\{/ { t["connection-use " ($1 ~ /_count/ ? "n" : "s")] += $2 }
         END { for (k in t) print k, t[k] }' | sort
}

# own_orders: "name count" of the orders each instance answered 201 so far. The balancer spreads
# connections, not orders: a cheaper instance answers more of them, so an A/B of two builds
# compares each instance's CPU over its own orders.
own_orders() {
  local i
  for i in 0 1; do
    echo "order-$((i + 1)) $(curl -s "http://$ADDR:${ADMIN_PORTS[$i]}/metrics" |
      awk '/^http_server_requests_seconds_count\{/ && /method="POST"/ && /status="201"/ &&
             /uri="\/purchaseOrder"/ { n += $2 } END { printf "%d", n }')"
  done
}

# commit_groups: "commits orders" summed over both instances: how many commits stored the orders
# (GroupCommit: orders placed at the same moment share one). Absent in builds without it: "0 0".
commit_groups() {
  local port
  for port in "${ADMIN_PORTS[@]}"; do curl -s "http://$ADDR:$port/metrics"; done |
    awk '/^shop_orders_commit_group_count/ { c += $2 } /^shop_orders_commit_group_sum/ { s += $2 }
         END { printf "%d %d\n", c, s }'
}

# commit_waits: "stage le count" of group commit's wait histograms (GroupCommit's CommitWaits),
# summed over both instances; nothing in builds without them or with group commit off.
commit_waits() {
  local port
  for port in "${ADMIN_PORTS[@]}"; do curl -s "http://$ADDR:$port/metrics"; done |
    awk '/^shop_orders_commit_wait_seconds_(bucket|count)\{/ {
           match($0, /stage="[a-z]+"/); stage = substr($0, RSTART + 7, RLENGTH - 8)
           le = "+Inf"
           if (match($0, /le="[^"]+"/)) le = substr($0, RSTART + 4, RLENGTH - 5)
           if ($1 ~ /_count/) le = "count"
           n[stage " " le] += $2 }
         END { for (k in n) print k, n[k] }' | sort
}

# wait_histogram BEFORE AFTER: per stage of an order's wait in group commit, how many of the timed
# run's orders waited up to each bound: where a slow order's time went.
wait_histogram() {
  awk -v before="$1" -v after="$2" 'BEGIN {
    n = split(before, b, "\n"); for (i = 1; i <= n; i++) { split(b[i], x, " "); was[x[1] " " x[2]] = x[3] }
    m = split(after, a, "\n")
    for (i = 1; i <= m; i++) {
      split(a[i], y, " "); if (y[1] == "") continue
      d[y[1] " " y[2]] = y[3] - was[y[1] " " y[2]]; stages[y[1]] = 1
    }
    split("0.001 0.002 0.005 0.01 0.02 0.05 0.1 0.2 0.5", les, " ")
    for (s in stages) {
      total = d[s " count"]; if (total <= 0) continue
      line = sprintf("bench: group commit wait %-8s (%d orders), share up to", s, total); prev = 0
      for (j = 1; j <= 9; j++) { c = d[s " " les[j]]; line = line sprintf(" %gms %.1f%%", les[j] * 1000, 100 * c / total) }
      print line
    }
  }' >&2
}

# time_split BEFORE AFTER: mean milliseconds of each timer over the run.
time_split() {
  awk -v before="$1" -v after="$2" 'BEGIN {
    n = split(before, b, "\n"); split(after, a, "\n")
    for (i = 1; i <= n; i++) { split(b[i], x, " "); split(a[i], y, " "); d[x[1] " " x[2]] = y[3] - x[3] }
    line = ""
    split("request pool-wait connection-use", names, " ")
    for (j = 1; j <= 3; j++) {
      c = d[names[j] " n"]; line = line sprintf("%s%s %.2f", (j > 1 ? ", " : ""), names[j],
        (c > 0 ? 1000 * d[names[j] " s"] / c : 0))
    }
    print "bench: mean milliseconds inside the instances: " line
  }' >&2
}

# jit_ticks: "order-1 ticks order-2 ticks" their JIT compiler threads used so far.
jit_ticks() { jit_ticks_of "${PID_OF[order-1]}" "${PID_OF[order-2]}"; }

# After the warm-up the run waits (common.bash's jit_quiet) until neither instance's JIT compilers
# used CPU for a whole second, at most BENCH_JIT_WAIT_SECONDS. On the loaded shared machine C2 was
# still compiling during the timed run: in a 10 s window of it order-1's C2 thread used 1.90 s, its
# request threads 1.54 s, and every CPU figure per order counted that. The wait ends the backlog of
# the warm-up; it does not stop the load from making more (there, after a 2 s wait, each instance's
# compilers still used 1.7-3.7 s of a 15 s run), so the run prints how much CPU the compilers took
# (jit_ticks), to be read next to the CPU per order.

# warm_up SECONDS: orders for SECONDS, while, once a second, both instances' /metrics are
# scraped and the product page is read, as the timed runs do (and as Prometheus and shoppers would).
# Warmed on orders alone, the instances met their first scrape at the timed run's start: C2 had
# compiled Jetty's request parsing for order requests only, the first GET hit an uncommon trap, and
# HttpParser.parseNext, HttpConnection.onFillable and fillRequestBuffer ran as C1 code again until
# C2 had compiled them anew 6-9 s later, in the middle of the measured run (-XX:+PrintCompilation;
# the compilers then took 2.2-4.7 s of each instance's CPU in a 15 s run).
warm_up() {
  local side i port
  (
    for ((i = 0; i < $1 + 10; i++)); do
      for port in "${ADMIN_PORTS[@]}"; do curl -s -o /dev/null "http://$ADDR:$port/metrics"; done
      curl -s -o /dev/null "http://$ADDR:$LB_PORT/products/course-1001"
      sleep 1
    done
  ) &
  side=$!
  run_wrk "$1" "$WORK/orders.lua" /purchaseOrder >/dev/null
  kill "$side" 2>/dev/null
  wait "$side" 2>/dev/null || true
}

# After the fixed warm-up, more 10 s rounds of it, at most 6, until the instances' JIT compilers
# take under 5 % of their CPU in a round (as bench/slb.sh does): after 10 s of orders on the quiet
# machine C2 still had a backlog of Jetty's, pgjdbc's and Hikari's hot methods (about 100 C2
# compiles per 5 s through the whole timed run), and the compilers took 4-4.7 s of each instance's
# CPU in a 15 s run, counted as CPU per order and taken from the orders' cores.
warm_until_compiled() {
  local round before after jb ja share
  for round in 1 2 3 4 5 6; do
    before=$(($(cpu_ticks "${PID_OF[order-1]}") + $(cpu_ticks "${PID_OF[order-2]}")))
    jb=$(jit_ticks | awk '{ print $1 + $2 }')
    warm_up 10
    after=$(($(cpu_ticks "${PID_OF[order-1]}") + $(cpu_ticks "${PID_OF[order-2]}")))
    ja=$(jit_ticks | awk '{ print $1 + $2 }')
    share=$(((ja - jb) * 100 / (after - before > 0 ? after - before : 1)))
    log "bench: extra warm-up round $round: the instances' JIT compilers took $share % of their CPU"
    [ "$share" -ge 5 ] || return 0
  done
}

# measured_orders: the timed order run; prints wrk's output, logs who used the CPU.
measured_orders() {
  local before after wrk_time out orders timers_before own_before groups_before waits_before
  local jit_before
  jit_before=$(jit_ticks)
  before=$(cpu_of_parties)
  waits_before=$(commit_waits)
  groups_before=$(commit_groups)
  timers_before=$(order_timers)
  own_before=$(own_orders)
  reset_pg_stats
  profile start
  out=$( { TIMEFORMAT='%3U %3S'; time run_wrk "$SECONDS_PER_RUN" "$WORK/orders.lua" /purchaseOrder \
    >"$WORK/orders.out"; } 2>&1)
  wrk_time=$(printf '%s\n' "$out" | tail -1)
  after=$(cpu_of_parties)
  awk -v k="$TICK" -v b="$jit_before" -v a="$(jit_ticks)" 'BEGIN { split(b, x, " "); split(a, y, " ")
    printf "bench: JIT compilers during the order run (part of the instances CPU below): order-1 %.2f s, order-2 %.2f s\n",
      (y[1] - x[1]) / k, (y[2] - x[2]) / k }' >&2
  profile stop
  awk -v k="$TICK" -v wrk="$wrk_time" -v before="$before" -v after="$after" 'BEGIN {
    n = split(before, b, "\n"); split(after, a, "\n")
    split(wrk, w, " "); total = w[1] + w[2]; line = sprintf("wrk %.2f", w[1] + w[2])
    for (i = 1; i <= n; i++) {
      split(b[i], x, " "); split(a[i], y, " ")
      s = (y[2] - x[2]) / k; total += s; line = line sprintf(", %s %.2f", x[1], s)
    }
    printf "bench: CPU seconds during the order run: %s (wrk %.0f%% of %.2f)\n", line,
      (total > 0 ? 100 * (w[1] + w[2]) / total : 0), total
    if (total > 0 && (w[1] + w[2]) / total > 0.25) {
      print "bench: WARNING: wrk used more than a quarter of the CPU: it, not the shop, limits this run"
    }
  }' >&2
  orders=$(awk '/requests in/ {print $1; exit}' "$WORK/orders.out")
  # CPU per order: what the machine's load changes least (orders/s on a loaded machine says how
  # much CPU the run got, this says what each order costs).
  awk -v k="$TICK" -v n="$orders" -v before="$before" -v after="$after" 'BEGIN {
    m = split(before, b, "\n"); split(after, a, "\n"); line = ""; total = 0
    for (i = 1; i <= m; i++) {
      split(b[i], x, " "); split(a[i], y, " ")
      ms = (n > 0 ? 1000 * (y[2] - x[2]) / k / n : 0); total += ms
      line = line sprintf("%s%s %.2f", (i > 1 ? ", " : ""), x[1], ms)
    }
    printf "bench: CPU milliseconds per order: %s (servers %.2f)\n", line, total
  }' >&2
  awk -v k="$TICK" -v before="$before" -v after="$after" -v ob="$own_before" -v oa="$(own_orders)" 'BEGIN {
    split(ob, b, "\n"); split(oa, a, "\n")
    for (i = 1; i <= 2; i++) { split(b[i], x, " "); split(a[i], y, " "); own[x[1]] = y[2] - x[2] }
    m = split(before, b, "\n"); split(after, a, "\n"); line = ""
    for (i = 1; i <= m; i++) {
      split(b[i], x, " "); split(a[i], y, " ")
      if (x[1] in own) line = line sprintf("%s%s %.3f (%d orders)", (line != "" ? ", " : ""), x[1],
        (own[x[1]] > 0 ? 1000 * (y[2] - x[2]) / k / own[x[1]] : 0), own[x[1]])
    }
    print "bench: CPU milliseconds per order each instance answered: " line
  }' >&2
  time_split "$timers_before" "$(order_timers)"
  awk -v b="$groups_before" -v a="$(commit_groups)" 'BEGIN {
    split(b, x, " "); split(a, y, " "); c = y[1] - x[1]; n = y[2] - x[2]
    if (c > 0) printf "bench: orders per commit (group commit): %.2f (%d orders in %d commits)\n", n / c, n, c
    else print "bench: orders per commit (group commit): none (off: shop.group-commit.max-batch 1, the default; or a build without it)"
  }' >&2
  wait_histogram "$waits_before" "$(commit_waits)"
  pg_cost_per_order "$orders"
  cat "$WORK/orders.out"
}

# profile start|stop: with BENCH_PROFILE, JFR (CPU samples, allocation, locks, parking) on order-1
# during the timed order run only, not the start-up or the warm-up.
profile() {
  [ -n "${BENCH_PROFILE:-}" ] || return 0
  mkdir -p "$BENCH_PROFILE"
  if [ "$1" = start ]; then
    jcmd "${PID_OF[order-1]}" JFR.start name=bench settings=profile >/dev/null
  else
    jcmd "${PID_OF[order-1]}" JFR.stop name=bench filename="$BENCH_PROFILE/order-1.jfr" >/dev/null
    log "bench: profile of order-1 during the order run: $BENCH_PROFILE/order-1.jfr"
  fi
}

run_wrk() { # seconds script-or-empty path
  local args=(-t"$THREADS" -c"$CONNECTIONS" -d"${1}s" --latency)
  [ -n "$2" ] && args+=(-s "$2")
  wrk "${args[@]}" "http://$ADDR:$LB_PORT$3"
}

install_missing wrk:wrk initdb:postgresql curl:curl java:openjdk-17-jdk-headless
[ "$BALANCER" = haproxy ] && install_missing haproxy:haproxy
ports_free "$PG_PORT" "$LB_PORT" "$LB_ADMIN_PORT" "${ORDER_PORTS[@]}" "${ADMIN_PORTS[@]}"
make_work order
JAR=$(private_jar order-service)
JAR2=$JAR
if [ -n "${BENCH_JAR_ORDER2:-}" ]; then
  JAR2=$WORK/order-2.jar
  cp "$BENCH_JAR_ORDER2" "$JAR2"
  log "bench: A/B: order-1 runs $(basename "${BENCH_JAR:-order-service-exec.jar}"), order-2 $(basename "$BENCH_JAR_ORDER2")"
fi
start_postgres
start_instance order-1 "${ORDER_PORTS[0]}" "${ADMIN_PORTS[0]}" "$JAR"
start_instance order-2 "${ORDER_PORTS[1]}" "${ADMIN_PORTS[1]}" "$JAR2"
start_balancer
write_lua
log "bench: balancer: $(balancer_name), round robin, PROXY v2 to both instances"

check=$(curl -s -H 'Content-Type: application/json' -H 'Idempotency-Key: bench-check' \
  --data-binary '{"order": {"date": "2018-07-01", "className": "趣谈网络协议", "Author": "刘超", "price": "68"}}' \
  "http://$ADDR:$LB_PORT/purchaseOrder")
log "bench: first order through the balancer: $check"
case "$check" in *'"clientAddress":"127.0.0.1"'*) ;; *) die "first order failed: $check" ;; esac

log "bench: load before: $(load_avg), ${SECONDS_PER_RUN}s runs, $CONNECTIONS connections"
warm_up "$WARMUP"
warm_until_compiled
log "bench: waited $(jit_quiet "$JIT_WAIT" "${PID_OF[order-1]}" "${PID_OF[order-2]}") s (at most $JIT_WAIT) for both instances' JIT compilers to be quiet"
orders_out=$(measured_orders)
log "== POST /purchaseOrder (distinct keys) =="; log "$orders_out"
pages_out=$(run_wrk "$SECONDS_PER_RUN" "" /products/course-1001)
log "== GET /products/course-1001 =="; log "$pages_out"
stored=$(sql "SELECT COUNT(*) FROM purchase_order")
log "bench: orders in PostgreSQL: $stored; load after: $(load_avg)"

if printf '%s\n' "$orders_out$pages_out" | grep -q 'Non-2xx'; then
  die "some answers were not 2xx/3xx: the figures above are not valid"
fi
rate=$(printf '%s\n' "$orders_out" | awk '/Requests\/sec/ {printf "%d", $2}')
printf '%s orders/s\n' "$rate"

#!/usr/bin/env bash
# Side-by-side benchmark of the slb against HAProxy in TCP mode (issue 9, "Speed").
#
# nginx (Debian) serves a 1 KiB page from two server blocks, 127.29.0.11:18081 and
# 127.29.0.12:18081: the two backends. wrk drives, one after another, (a) nginx directly, (b)
# HAProxy in `mode tcp` with `balance roundrobin` over both, (c) our slb with the same pool
# (roundrobin, PROXY protocol off, TCP checks). Both proxies are pinned to core 0, wrk and
# nginx to core 1; each proxy's CPU seconds (utime+stime) are measured around each run. Both
# proxies are warmed by the same number of requests, then measured in interleaved rounds (ours,
# HAProxy, ours, HAProxy: BENCH_ROUNDS) and compared by their medians; every round is printed, so
# the spread between runs of the same proxy is there to see beside the ratio.
#
#   1. keep-alive: wrk -t1 -c50 --latency, requests/s and p50/p99;
#   2. new connections: the same with "Connection: close" (one TCP connection per request);
#      for each proxy also: CPU per new connection split into user (its own code) and system (the
#      kernel's work for it), system calls per new connection (perf, a separate 3 s run, which
#      also counts the TCP segments loopback carried per connection, nstat) and the
#      accept queue (clients connected but not yet taken, sampled during the run; their wait is
#      part of wrk's latency, so it tells a queue in front of a busy proxy from a slow splice); for
#      our JVM, its CPU by thread: I/O event loops, JIT compilers, GC and VM thread;
#   3. bulk: one client (wrk -c1) fetching a BENCH_BULK_MIB answer over and over for a third of a
#      run's length, after each round's new connections: MiB/s and each proxy's CPU milliseconds
#      per GiB carried (a long transfer is chunks, not connections: reads, writes and buffers);
#   4. memory per idle connection: BENCH_IDLE connections that never send a byte, each proxy's
#      growth once it holds them and their backend sides: RSS for HAProxy; for ours RSS (heap
#      pre-touched, so that is native memory and direct buffers) plus Java heap used after a GC.
#
# Loopback only. Every process it starts is stopped on exit, failure included. Last line:
#   ratio: ours/HAProxy = X.XX      (keep-alive requests/s)
#
#   bench/slb.sh                     # 30 s per run
#   BENCH_SECONDS=10 bench/slb.sh    # a quick look
#
# Environment: BENCH_SECONDS (30, per measured run), BENCH_ROUNDS (2 runs of each proxy,
# interleaved; the ratios compare medians), BENCH_WARMUP_REQUESTS (200000 keep-alive requests and
# a fifth as many new connections for each proxy before its first run, not counted; our JVM then
# gets up to six more rounds of a quarter of that until its JIT is quiet), BENCH_BULK_MIB (64, the
# bulk step's answer), BENCH_CONNECTIONS
# (50, wrk -c), BENCH_IDLE (9000 idle connections: the hard FD limit here is 20000 and a proxy
# holds two descriptors per connection), BENCH_JAR (our exec jar, built if missing),
# BENCH_JAVA_OPTS (default: -Xms512m -Xmx512m -XX:+AlwaysPreTouch), BENCH_TRANSPORT (our
# transport: auto as shipped, i.e. epoll here, or nio), BENCH_WORK / BENCH_KEEP=1 to keep configs
# and outputs.
#
# A/B of two builds of our SLB instead of the comparison with HAProxy: BENCH_AB_JAR (B; A is
# BENCH_JAR or this tree's build), BENCH_AB_PAIRS (4), BENCH_AB_KIND (nc: new connections, the
# default; ka: keep-alive). Both run at once on core 0 (one loaded at a time), are warmed alike,
# then measured in ABBA pairs of BENCH_SECONDS each; it prints CPU per connection (nc) or per
# request (ka) of every run and in how many pairs B took less than A. Small changes (one system
# call per connection is ~1 % here) hide in the spread between whole runs of bench/slb.sh:
#   BENCH_AB_JAR=/tmp/old/slb/target/slb-exec.jar BENCH_SECONDS=10 bench/slb.sh
set -euo pipefail
# shellcheck source=bench/lib/common.bash
. "$(dirname "$0")/lib/common.bash"

CONNS=${BENCH_CONNECTIONS:-50}
ROUNDS=${BENCH_ROUNDS:-2}
WARMUP_KA=${BENCH_WARMUP_REQUESTS:-200000}
WARMUP_NC=$((WARMUP_KA / 5))
IDLE=${BENCH_IDLE:-9000}
BULK_MIB=${BENCH_BULK_MIB:-64}
BULK_SECONDS=$((SECONDS_PER_RUN / 3 > 3 ? SECONDS_PER_RUN / 3 : 3))
BACKEND_PORT=18081
PORT_HAPROXY=18090
PORT_OURS=18091
PORT_ADMIN=18092
VIP=127.0.0.1
# A fixed heap, committed and touched at start, so the idle-memory step can tell heap from native.
JAVA_OPTS_DEFAULT="-Xms512m -Xmx512m -XX:+AlwaysPreTouch"


rss_kib() {
  local total=0 p
  for p in "$1" $(ps -o pid= --ppid "$1" 2>/dev/null || true); do
    total=$((total + $(awk '/VmRSS/ { print $2 }' /proc/"$p"/status 2>/dev/null || echo 0)))
  done
  echo "$total"
}

await_http() { # port, pid
  await 30 "$2" "an answer on port $1" http_ok "http://$VIP:$1/" >/dev/null
}

start_nginx() {
  mkdir -p "$WORK/www" "$WORK/nginx"
  head -c 1024 /dev/zero | tr '\0' 'x' >"$WORK/www/index.html"
  head -c "${BULK_MIB}M" /dev/zero >"$WORK/www/bulk.bin"
  cat >"$WORK/nginx.conf" <<EOF
worker_processes 1;
worker_rlimit_nofile 20000;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
daemon off;
events { worker_connections 19000; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  server { listen 127.29.0.11:$BACKEND_PORT; root $WORK/www; }
  server { listen 127.29.0.12:$BACKEND_PORT; root $WORK/www; }
}
EOF
  prlimit --nofile=20000:20000 taskset -c 1 nginx -c "$WORK/nginx.conf" -p "$WORK/nginx" >"$WORK/nginx.out" 2>&1 &
  echo $!
}

start_haproxy() {
  cat >"$WORK/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn 9600 # two descriptors per connection within the 20000 FD hard limit
defaults
  mode tcp
  timeout connect 1s
  timeout client 300s
  timeout server 300s
frontend vip
  bind $VIP:$PORT_HAPROXY
  default_backend orders
backend orders
  balance roundrobin
  server order-1 127.29.0.11:$BACKEND_PORT check inter 2s fall 3 rise 2
  server order-2 127.29.0.12:$BACKEND_PORT check inter 2s fall 3 rise 2
EOF
  haproxy -c -q -f "$WORK/haproxy.cfg" || die "haproxy rejected its config"
  prlimit --nofile=20000:20000 taskset -c 0 haproxy -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.out" 2>&1 &
  echo $!
}

start_ours() { # [jar, port, admin port, name]: this tree's jar on PORT_OURS by default
  local jar=${1:-$WORK/slb-exec.jar} port=${2:-$PORT_OURS} admin=${3:-$PORT_ADMIN} name=${4:-ours}
  cat >"$WORK/$name.yml" <<EOF
instance: bench-$name
listen: ["$VIP:$port"]
backends: ["127.29.0.11:$BACKEND_PORT", "127.29.0.12:$BACKEND_PORT"]
admin: "$VIP:$admin"
connectTimeoutMillis: 1000
idleTimeoutSeconds: 300
# As HAProxy's "timeout client 300s" here: the idle-memory step holds silent connections.
firstByteTimeoutSeconds: 300
shutdownSeconds: 1
transport: ${BENCH_TRANSPORT:-auto}
balance: roundrobin
proxyProtocol: none
healthCheck: {type: tcp, intervalMillis: 2000, rise: 2, fall: 3}
EOF
  # shellcheck disable=SC2086
  # The GC log: each run's collector pauses are printed beside its p99 (see gc_pauses).
  prlimit --nofile=20000:20000 taskset -c 0 java ${BENCH_JAVA_OPTS:-$JAVA_OPTS_DEFAULT} \
    -Xlog:gc:file="$WORK/$name-gc.log" -jar "$jar" \
    --config="$WORK/$name.yml" >"$WORK/$name.log" 2>&1 &
  echo $!
}

# utime and stime clock ticks of one process (every thread): where a proxy's CPU goes, its own
# code or the kernel's work for it.
user_sys_ticks() { # pid
  local stat f
  stat=$(cat /proc/"$1"/stat 2>/dev/null) || { echo "0 0"; return; }
  read -r -a f <<<"${stat##*) }"
  echo "${f[11]} ${f[12]}"
}

# Clients waiting in a port's accept queue (ss Recv-Q, summed over SO_REUSEPORT sockets),
# connected by the kernel but not yet taken by the proxy: twice a second, at most $2 samples.
sample_backlog() { # port, samples, file
  local i
  for ((i = 0; i < $2; i++)); do
    ss -Hltn "sport = :$1" | awk '{ s += $2 } END { print s + 0 }' >>"$3"
    sleep 0.5
  done
}

# Our JVM's threads by kind: "io jit gc_vm" ticks (event loops; C1/C2 compilers; collector and VM
# thread). The rest of its CPU is the health, admin and runtime-API loops and the JVM's other
# threads.
OURS_PID=0
jvm_split() { # pid
  echo "$(thread_ticks "$1" '-io-') $(thread_ticks "$1" '^C[12] Compiler') $(thread_ticks "$1" '^(GC Thread|G1 |VM Thread)')"
}

# Warm-up by request count, the same for both proxies (a time-boxed warm-up gives a loaded
# machine's JVM less): wrk stops itself (count.lua) after that many answers. Not measured.
warm_up() { # name, host:port, requests, extra wrk args...
  local name=$1 target=$2 requests=$3
  shift 3
  [ "$requests" -gt 0 ] || return 0
  WRK_REQUESTS=$requests timeout 660 taskset -c 1 wrk -t1 -c"$CONNS" -d600s -s "$WORK/count.lua" "$@" \
    "http://$target/" >"$WORK/wrk-warmup-$name.txt" 2>&1 || die "warm-up of $name failed: $(tail -n 3 "$WORK/wrk-warmup-$name.txt")"
}

write_count_lua() {
  cat >"$WORK/count.lua" <<'EOF'
-- Ends wrk once WRK_REQUESTS answers have come (wrk itself only knows a duration).
local left = tonumber(os.getenv("WRK_REQUESTS") or "0")
function response(status, headers, body)
  left = left - 1
  if left <= 0 then os.exit(0) end
end
EOF
}

# After the fixed warm-up, more rounds of WARMUP_NC/4 new connections, at most 6, until the JIT
# compilers take under 5 % of our JVM's CPU in a round: on a busy machine the compilers may still
# be at work, and compiling then counted as CPU per connection in a measured run (at load 16 they
# took 33-58 % for five 5 s rounds). HAProxy has no JIT: this only waits for ours to be done.
warm_until_compiled() {
  local round before after jb ja share
  for round in 1 2 3 4 5 6; do
    before=$(cpu_ticks "$OURS_PID")
    jb=$(thread_ticks "$OURS_PID" '^C[12] Compiler')
    warm_up ours-jit "$VIP:$PORT_OURS" $((WARMUP_NC / 4 + 1)) -H "Connection: close"
    after=$(cpu_ticks "$OURS_PID")
    ja=$(thread_ticks "$OURS_PID" '^C[12] Compiler')
    share=$(( (ja - jb) * 100 / (after - before > 0 ? after - before : 1) ))
    log "bench: extra warm-up round $round: our JIT compilers took $share % of its CPU"
    [ "$share" -ge 5 ] || return 0
  done
}

# One wrk run: prints "rps p50_ms p99_ms errors cpu_s user_s sys_s backlog_median backlog_max
# io_s jit_s gc_vm_s" (the last three "- - -" but for our JVM)
drive() { # name, host:port, pid (0: none), seconds, extra wrk args...
  local name=$1 target=$2 pid=$3 secs=$4 before=0 after=0 out="$WORK/wrk-$1.txt"
  local ub=0 sb=0 ua=0 sa=0 sampler=0 backlog="$WORK/backlog-$1.txt" jvm="- - -" ib jb gb ia ja ga
  shift 4
  : >"$backlog"
  if [ "$pid" != 0 ]; then
    before=$(cpu_ticks "$pid")
    read -r ub sb <<<"$(user_sys_ticks "$pid")"
    [ "$pid" != "$OURS_PID" ] || read -r ib jb gb <<<"$(jvm_split "$pid")"
    sample_backlog "${target##*:}" $((secs * 2)) "$backlog" >/dev/null &
    sampler=$!
  fi
  timeout $((secs + 30)) taskset -c 1 wrk -t1 -c"$CONNS" -d"${secs}s" --latency "$@" \
    "http://$target/" >"$out" 2>&1 || die "wrk against $name failed: $(tail -n 3 "$out")"
  if [ "$pid" != 0 ]; then
    after=$(cpu_ticks "$pid")
    read -r ua sa <<<"$(user_sys_ticks "$pid")"
    if [ "$pid" = "$OURS_PID" ]; then
      read -r ia ja ga <<<"$(jvm_split "$pid")"
      jvm=$(awk -v i=$((ia - ib)) -v j=$((ja - jb)) -v g=$((ga - gb)) -v t="$TICK" 'BEGIN { printf "%.2f %.2f %.2f", i / t, j / t, g / t }')
    fi
    wait "$sampler" || true
  fi
  local bl
  bl=$(sort -n "$backlog" | awk '{ v[NR] = $1 } END { if (NR == 0) print "- -"; else print v[int((NR + 1) / 2)], v[NR] }')
  awk -v cpu="$((after - before))" -v us="$((ua - ub))" -v sy="$((sa - sb))" -v bl="$bl" -v jvm="$jvm" -v tick="$TICK" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec:/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Socket errors/ { err = $0; gsub(/.*errors: /, "", err); gsub(/ /, "", err) }
    /Non-2xx/ { non2xx = $NF }
    END { printf "%.0f %.3f %.3f %s %.2f %.2f %.2f %s %s\n", rps, p50, p99, (err == "" ? "0" : err) (non2xx == "" ? "" : ",non2xx:" non2xx), cpu / tick, us / tick, sy / tick, bl, jvm }' "$out"
}

# One client fetching the bulk answer again and again for $4 s: prints "MiB/s CPU_ms_per_GiB" (the
# second "-" without a pid). wrk's Transfer/sec counts 1024-based units.
bulk() { # name, host:port, pid (0: none), seconds
  local out="$WORK/wrk-bulk-$1.txt" before=0 after=0
  [ "$3" = 0 ] || before=$(cpu_ticks "$3")
  timeout $(($4 + 60)) taskset -c 1 wrk -t1 -c1 -d"$4s" "http://$2/bulk.bin" >"$out" 2>&1 ||
    die "bulk wrk against $1 failed: $(tail -n 3 "$out")"
  [ "$3" = 0 ] || after=$(cpu_ticks "$3")
  awk -v cpu="$((after - before))" -v tick="$TICK" -v secs="$4" -v pid="$3" '
    function mib(v) { if (v ~ /GB$/) return v * 1024; if (v ~ /MB$/) return v + 0; if (v ~ /KB$/) return v / 1024; return v / 1048576 }
    /Transfer\/sec:/ { m = mib($2) }
    END { if (pid == 0) printf "%.0f -\n", m; else printf "%.0f %.0f\n", m, (m > 0 ? cpu / tick * 1000 / (m * secs / 1024) : 0) }' "$out"
}

# System calls a proxy makes per new connection: perf counts raw_syscalls:sys_enter over every
# thread of the process for 5 s, while a separate 3 s wrk run with "Connection: close" (after the
# measured one, so the tracepoint does not slow that) makes the connections. "n/a" when perf
# cannot count here (not installed, no tracefs, perf_event_paranoid).
# The same run also counts the TCP segments loopback carried per connection (nstat, the host's
# counters; all four hops of a proxied connection), written to $WORK/segments-<name>: one more
# than needed per connection when a proxy sends the backend's FIN apart from its last data.
syscalls_per_connection() { # name, host:port, pid
  local out="$WORK/syscalls-$1" perf_pid calls done_requests segments
  command -v perf >/dev/null || { echo n/a; return 0; }
  perf stat -x, -e raw_syscalls:sys_enter -p "$3" -o "$out.perf" -- sleep 5 >/dev/null 2>&1 &
  perf_pid=$!
  sleep 0.5 # attached
  NSTAT_HISTORY="$WORK/nstat.history" nstat -n >/dev/null 2>&1 || true
  timeout 30 taskset -c 1 wrk -t1 -c"$CONNS" -d3s -H "Connection: close" "http://$2/" >"$out.wrk" 2>&1 || true
  segments=$(NSTAT_HISTORY="$WORK/nstat.history" nstat 2>/dev/null | awk '$1 == "TcpOutSegs" { print $2 }')
  wait "$perf_pid" || { echo n/a; return 0; }
  calls=$(awk -F, '/raw_syscalls/ && $1 ~ /^[0-9]+$/ { print $1 }' "$out.perf")
  done_requests=$(awk '/requests in/ { print $1 }' "$out.wrk")
  if [ -n "$segments" ] && [ "${done_requests:-0}" -gt 0 ]; then
    awk -v s="$segments" -v n="$done_requests" 'BEGIN { printf "%.1f", s / n }' >"$WORK/segments-$1"
  else
    echo n/a >"$WORK/segments-$1"
  fi
  if [ -n "$calls" ] && [ "${done_requests:-0}" -gt 0 ]; then
    awk -v c="$calls" -v n="$done_requests" 'BEGIN { printf "%.1f", c / n }'
  else
    echo n/a
  fi
}

# Our collector's pauses logged since line $1 of its GC log: "N pauses, max X ms, total Y ms".
gc_pauses() { # first line
  tail -n +"$1" "$WORK/ours-gc.log" | awk '/Pause/ { n++; t = $NF; sub(/ms$/, "", t); t += 0; sum += t; if (t > max) max = t }
    END { printf "%d pauses, max %.1f ms, total %.1f ms", n, max, sum }'
}
gc_lines() { echo $(($(wc -l <"$WORK/ours-gc.log") + 1)); }

# What a process holds for its live data, in bytes: its RSS, plus, for our JVM, the Java heap in
# use after a full GC. Our heap is committed and touched at start (-Xms = -Xmx, AlwaysPreTouch), so
# its RSS stays put while objects come and go inside it: RSS growth alone showed only the native
# side (20 B per connection, not believable); the heap's part is counted from the GC's own figure.
footprint_bytes() { # pid, java (1) or not (0)
  local heap=0
  if [ "$2" = 1 ]; then
    # A patient attach: the JVM shares its core with the load. Pinned to one core it runs the
    # serial collector (two generations), elsewhere G1 (one heap line): every "total ..., used
    # NK" line is summed.
    jcmd -J-Dsun.tools.attach.attachTimeout=60000 "$1" GC.run >/dev/null || return 1
    heap=$(jcmd -J-Dsun.tools.attach.attachTimeout=60000 "$1" GC.heap_info |
      awk '/ total [0-9]+K, used [0-9]+K/ { for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); sum += v * 1024 } } END { if (sum > 0) print sum }')
    [ -n "$heap" ] || return 1
  fi
  echo $(($(rss_kib "$1") * 1024 + heap))
}

# Connections a proxy holds to the nginx backends now.
backend_connections() {
  ss -Htn state established "( dport = :$BACKEND_PORT )" | wc -l
}
backend_connections_at_least() { [ "$(backend_connections)" -ge "$1" ]; }
backend_connections_at_most() { [ "$(backend_connections)" -le "$1" ]; }

# Opens BENCH_IDLE idle connections to a port and holds them; prints the growth of the proxy's
# footprint per connection (bytes), counted once the proxy holds every backend connection too.
idle_memory() { # name, port, pid, java (1) or not (0)
  local base grown holder baseline_backends
  base=$(footprint_bytes "$3" "$4") || die "no memory figures for $1 (jcmd)"
  baseline_backends=$(backend_connections)
  prlimit --nofile=20000:20000 taskset -c 1 python3 - "$VIP" "$2" "$IDLE" "$WORK/idle-$1.ready" <<'PY' &
import socket, sys, time, pathlib
host, port, n, ready = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
held = []
for _ in range(n):
    s = socket.socket()
    s.connect((host, port))
    held.append(s)
pathlib.Path(ready).write_text(str(len(held)))
time.sleep(120)
PY
  holder=$!
  STARTED+=("$holder")
  await 60 "$holder" "$IDLE idle connections to $1" test -f "$WORK/idle-$1.ready" >/dev/null
  await 60 "$3" "$IDLE backend connections from $1" backend_connections_at_least $((baseline_backends + IDLE)) >/dev/null
  grown=$(footprint_bytes "$3" "$4") || die "no memory figures for $1 (jcmd)"
  stop "$holder"
  # The proxy closes its backend sides after the clients left; on a loaded machine that took
  # longer than the next proxy's step took to count its baseline, which then never came within
  # reach (smoke run at load 18: "no 9000 backend connections from ours").
  await 60 "$3" "$1 closing its $IDLE backend connections" backend_connections_at_most "$baseline_backends" >/dev/null
  echo $(((grown - base) / IDLE))
}

main() {
  install_missing --stop "nginx haproxy" nginx:nginx-light haproxy:haproxy wrk:wrk taskset:util-linux \
    python3:python3 java:openjdk-17-jdk-headless jcmd:openjdk-17-jdk-headless \
    ss:iproute2 curl:curl perf:linux-perf
  [ ${#PIN_SERVER[@]} -gt 0 ] || die "needs 2 cores: proxies on core 0, wrk and nginx on core 1"
  ports_free "$BACKEND_PORT" "$PORT_HAPROXY" "$PORT_OURS" "$PORT_ADMIN"
  make_work slb
  private_jar slb >/dev/null
  log "bench: load average at start $(load_avg)"

  local nginx haproxy ours
  nginx=$(start_nginx); STARTED+=("$nginx")
  await 10 "$nginx" "an answer from the nginx backends" http_ok "http://127.29.0.11:$BACKEND_PORT/" >/dev/null
  haproxy=$(start_haproxy); STARTED+=("$haproxy")
  ours=$(start_ours); STARTED+=("$ours")
  OURS_PID=$ours
  await_http "$PORT_HAPROXY" "$haproxy"
  await_http "$PORT_OURS" "$ours"
  log "bench: ours runs on $(grep -o '([A-Z]* transport[^)]*)' "$WORK/ours.log" | head -1)"

  write_count_lua
  log "bench: warming up each proxy with $WARMUP_KA keep-alive requests and $WARMUP_NC new connections (not counted)"
  warm_up HAProxy-ka "$VIP:$PORT_HAPROXY" "$WARMUP_KA"
  warm_up HAProxy-nc "$VIP:$PORT_HAPROXY" "$WARMUP_NC" -H "Connection: close"
  warm_up ours-ka "$VIP:$PORT_OURS" "$WARMUP_KA"
  warm_up ours-nc "$VIP:$PORT_OURS" "$WARMUP_NC" -H "Connection: close"
  [ "$WARMUP_NC" -eq 0 ] || warm_until_compiled
  # One bulk run each, not counted: our JIT compiles the path of long transfers here, not in the
  # first measured one (its CPU per GiB was 1.3 x the second's in a first try).
  bulk HAProxy-warmup "$VIP:$PORT_HAPROXY" 0 "$BULK_SECONDS" >/dev/null
  bulk ours-warmup "$VIP:$PORT_OURS" 0 "$BULK_SECONDS" >/dev/null

  # The direct run once (the limit both proxies are held to), then the proxies in interleaved
  # rounds (ours, HAProxy, ours, HAProxy, ...): a noisy moment of the shared machine spoils one
  # run of each instead of deciding the ratio, and the ratios compare medians.
  declare -A R GC
  local name round port pid load gc_from
  R[direct#1#ka]="$(drive direct-ka "127.29.0.11:$BACKEND_PORT" 0 "$SECONDS_PER_RUN") $(load_1m)"
  R[direct#1#nc]="$(drive direct-nc "127.29.0.11:$BACKEND_PORT" 0 "$SECONDS_PER_RUN" -H "Connection: close") $(load_1m)"
  R[direct#1#bulk]=$(bulk direct "127.29.0.11:$BACKEND_PORT" 0 "$BULK_SECONDS")
  log "bench: direct keep-alive ${R[direct#1#ka]}; new connections ${R[direct#1#nc]}; bulk ${R[direct#1#bulk]}"
  for round in $(seq 1 "$ROUNDS"); do
    for name in ours HAProxy; do
      if [ $name = ours ]; then port=$VIP:$PORT_OURS; pid=$ours; else port=$VIP:$PORT_HAPROXY; pid=$haproxy; fi
      load=$(load_1m)
      gc_from=$(gc_lines)
      R[$name#$round#ka]="$(drive "$name-ka-$round" "$port" "$pid" "$SECONDS_PER_RUN") $load"
      [ $name != ours ] || GC[ka#$round]=$(gc_pauses "$gc_from")
      load=$(load_1m)
      gc_from=$(gc_lines)
      R[$name#$round#nc]="$(drive "$name-nc-$round" "$port" "$pid" "$SECONDS_PER_RUN" -H "Connection: close") $load"
      [ $name != ours ] || GC[nc#$round]=$(gc_pauses "$gc_from")
      R[$name#$round#bulk]=$(bulk "$name-$round" "$port" "$pid" "$BULK_SECONDS")
      log "bench: $name round $round: keep-alive ${R[$name#$round#ka]}; new connections ${R[$name#$round#nc]}; bulk ${R[$name#$round#bulk]}"
    done
  done
  # Counted once per proxy after the rounds, so the tracepoint slows no measured run.
  declare -A SC
  SC[ours]=$(syscalls_per_connection ours "$VIP:$PORT_OURS" "$ours")
  SC[HAProxy]=$(syscalls_per_connection HAProxy "$VIP:$PORT_HAPROXY" "$haproxy")
  local mem_haproxy mem_ours
  mem_haproxy=$(idle_memory HAProxy "$PORT_HAPROXY" "$haproxy" 0)
  mem_ours=$(idle_memory ours "$PORT_OURS" "$ours" 1)
  grep -q "ERROR\|Exception" "$WORK/ours.log" && log "bench: ours logged errors: $(grep -m3 'ERROR\|Exception' "$WORK/ours.log")"

  echo "machine: $(machine), load average now $(load_avg)"
  echo "wrk -t1 -c$CONNS -d${SECONDS_PER_RUN}s --latency, 1 KiB page from nginx; proxies on core 0, wrk+nginx on core 1; each proxy warmed by $WARMUP_KA keep-alive requests and $WARMUP_NC new connections, then $ROUNDS interleaved round(s) (ours, HAProxy, ...)"
  echo
  printf '| %-8s | %5s | %-10s | %9s | %8s | %8s | %6s | %7s | %9s | %7s |\n' target round run "req/s" "p50 ms" "p99 ms" errors "CPU s" "req/CPU s" "load 1m"
  printf '|%s|\n' "----------|-------|------------|-----------|----------|----------|--------|---------|-----------|---------"
  local rps p50 p99 err cpu us sy blm blx io jit gcv ld kind key
  for key in direct#1 $(for round in $(seq 1 "$ROUNDS"); do echo "ours#$round HAProxy#$round"; done); do
    name=${key%#*}
    round=${key#*#}
    for kind in ka nc; do
      read -r rps p50 p99 err cpu us sy blm blx io jit gcv ld <<<"${R[$key#$kind]}"
      printf '| %-8s | %5s | %-10s | %9s | %8s | %8s | %6s | %7s | %9s | %7s |\n' "$name" "$round" \
        "$([ $kind = ka ] && echo keep-alive || echo new-conn)" "$rps" "$p50" "$p99" "$err" \
        "$([ "$name" = direct ] && echo - || echo "$cpu")" \
        "$([ "$name" = direct ] && echo - || per_cpu "$rps" "$cpu")" "$ld"
    done
  done
  echo
  # Where a new connection's cost goes, and where its clients wait: CPU per connection split into
  # the proxy's own code (user) and the kernel's work for it (system), and the clients of wrk's
  # $CONNS that wait in the accept queue (not yet taken by the proxy; their wait is part of wrk's
  # latency), sampled twice a second during each new-connection run.
  echo "new connections, per connection (system calls: a separate 3 s run after the rounds: ours ${SC[ours]}, HAProxy ${SC[HAProxy]}; TCP segments on loopback in that run, all four hops: ours $(cat "$WORK/segments-ours"), HAProxy $(cat "$WORK/segments-HAProxy")):"
  for key in $(for round in $(seq 1 "$ROUNDS"); do echo "ours#$round HAProxy#$round"; done); do
    read -r rps p50 p99 err cpu us sy blm blx io jit gcv ld <<<"${R[$key#nc]}"
    awk -v n="${key%#*} #${key#*#}" -v r="$rps" -v s="$SECONDS_PER_RUN" -v c="$cpu" -v u="$us" -v y="$sy" -v bm="$blm" -v bx="$blx" -v k="$CONNS" \
      -v io="$io" -v jit="$jit" -v gcv="$gcv" \
      'BEGIN { t = r * s; if (t == 0) t = 1; printf "  %-10s %6.1f us CPU (user %.1f, system %.1f), accept queue median %s max %s (wrk keeps %d connections)", n, c * 1e6 / t, u * 1e6 / t, y * 1e6 / t, bm, bx, k
        if (io != "-") printf "; I/O threads %.1f us, JIT compilers %.1f, GC and VM thread %.1f", io * 1e6 / t, jit * 1e6 / t, gcv * 1e6 / t
        printf "\n" }'
  done
  for round in $(seq 1 "$ROUNDS"); do
    echo "our GC pauses in round $round (-Xlog:gc): keep-alive ${GC[ka#$round]}; new connections ${GC[nc#$round]}"
  done
  local bulk_o bulk_h
  bulk_o=$(for round in $(seq 1 "$ROUNDS"); do echo "${R[ours#$round#bulk]}"; done)
  bulk_h=$(for round in $(seq 1 "$ROUNDS"); do echo "${R[HAProxy#$round#bulk]}"; done)
  echo "bulk (one client, ${BULK_MIB} MiB answers, ${BULK_SECONDS} s a run), MiB/s and CPU ms per GiB by round: ours $(tr '\n' ';' <<<"$bulk_o" | sed 's/;$//; s/;/; /g'), HAProxy $(tr '\n' ';' <<<"$bulk_h" | sed 's/;$//; s/;/; /g') (direct $(cut -d' ' -f1 <<<"${R[direct#1#bulk]}")); medians MiB/s ours/HAProxy = $(ratio "$(cut -d' ' -f1 <<<"$bulk_o" | median)" "$(cut -d' ' -f1 <<<"$bulk_h" | median)"), CPU per GiB ours/HAProxy = $(ratio "$(cut -d' ' -f2 <<<"$bulk_o" | median)" "$(cut -d' ' -f2 <<<"$bulk_h" | median)")"
  echo "idle memory ($IDLE connections that never send a byte, each with its backend side; RSS growth, ours plus Java heap in use after GC): HAProxy $mem_haproxy B/conn, ours $mem_ours B/conn ($(ratio "$mem_ours" "$mem_haproxy") x)"
  local kind_name m_o m_h c_o c_h
  for kind in ka nc; do
    m_o=$(median_of ours $kind 1); m_h=$(median_of HAProxy $kind 1)
    c_o=$(median_of ours $kind per_cpu); c_h=$(median_of HAProxy $kind per_cpu)
    kind_name=$([ $kind = ka ] && echo keep-alive || echo "new connections")
    echo "$kind_name, medians of $ROUNDS round(s): req/s ours $m_o, HAProxy $m_h (direct $(cut -d' ' -f1 <<<"${R[direct#1#$kind]}")); req/CPU s ours $c_o, HAProxy $c_h; per CPU s ours/HAProxy = $(ratio "$c_o" "$c_h")"
  done
  echo "new connections/s: ours/HAProxy = $(ratio "$(median_of ours nc 1)" "$(median_of HAProxy nc 1)")"
  echo "ratio: ours/HAProxy = $(ratio "$(median_of ours ka 1)" "$(median_of HAProxy ka 1)")"
}

# Requests per CPU second of one run: req/s times the run's length over its CPU seconds.
per_cpu() { # rps, cpu_s
  awk -v r="$1" -v c="$2" -v s="$SECONDS_PER_RUN" 'BEGIN { printf "%.0f", (c > 0 ? r * s / c : 0) }'
}

# median_of NAME ka|nc FIELD: the median over NAME's rounds of req/s (FIELD 1) or of requests per
# CPU second (per_cpu); with two rounds, their mean.
median_of() {
  local name=$1 kind=$2 what=$3 round rps cpu rest v
  for round in $(seq 1 "$ROUNDS"); do
    read -r rps _ _ _ cpu rest <<<"${R[$name#$round#$kind]}"
    if [ "$what" = per_cpu ]; then v=$(per_cpu "$rps" "$cpu"); else v=$rps; fi
    echo "$v"
  done | median
}

# ---------------------------------------------------------------------------------------------
# A/B of two builds of our SLB, BENCH_AB_JAR set: both up at once on core 0 behind the same nginx
# backends, warmed by the same counts, then driven by wrk on core 1 in ABBA pairs of
# BENCH_SECONDS each; CPU per connection (or request) from each JVM's utime+stime around its run.
# ---------------------------------------------------------------------------------------------
PORT_B=18093
PORT_ADMIN_B=18094

ab_main() {
  install_missing --stop "nginx" nginx:nginx-light wrk:wrk taskset:util-linux \
    java:openjdk-17-jdk-headless curl:curl
  [ ${#PIN_SERVER[@]} -gt 0 ] || die "the A/B needs 2 cores: SLBs on core 0, wrk and nginx on core 1"
  [ -f "$BENCH_AB_JAR" ] || die "BENCH_AB_JAR $BENCH_AB_JAR is not a file"
  ports_free "$BACKEND_PORT" "$PORT_OURS" "$PORT_ADMIN" "$PORT_B" "$PORT_ADMIN_B"
  make_work slb-ab
  private_jar slb >/dev/null
  cp "$BENCH_AB_JAR" "$WORK/b.jar"
  local kind=${BENCH_AB_KIND:-nc} pairs=${BENCH_AB_PAIRS:-4} nginx a b p first second name line
  local args=()
  [ "$kind" = ka ] || args=(-H "Connection: close")
  nginx=$(start_nginx); STARTED+=("$nginx")
  await 10 "$nginx" "an answer from the nginx backends" http_ok "http://127.29.0.11:$BACKEND_PORT/" >/dev/null
  a=$(start_ours "$WORK/slb-exec.jar" "$PORT_OURS" "$PORT_ADMIN" a); STARTED+=("$a")
  b=$(start_ours "$WORK/b.jar" "$PORT_B" "$PORT_ADMIN_B" b); STARTED+=("$b")
  await_http "$PORT_OURS" "$a"
  await_http "$PORT_B" "$b"
  write_count_lua
  declare -A ab_pid=([A]=$a [B]=$b) ab_port=([A]=$PORT_OURS [B]=$PORT_B)
  for name in A B; do
    log "bench: warming up $name with $WARMUP_KA keep-alive requests and $WARMUP_NC new connections (not counted)"
    warm_up "$name-ka" "$VIP:${ab_port[$name]}" "$WARMUP_KA"
    warm_up "$name-nc" "$VIP:${ab_port[$name]}" "$WARMUP_NC" -H "Connection: close"
    OURS_PID=${ab_pid[$name]} PORT_OURS=${ab_port[$name]} warm_until_compiled
  done
  local results=()
  for p in $(seq 1 "$pairs"); do
    if [ $((p % 2)) -eq 1 ]; then first=A second=B; else first=B second=A; fi
    for name in $first $second; do
      line=$(drive "$name-$kind-$p" "$VIP:${ab_port[$name]}" "${ab_pid[$name]}" "$SECONDS_PER_RUN" "${args[@]}")
      results+=("$p $name $line")
      log "bench: A/B pair $p $name: $line"
    done
  done
  local unit
  unit=$([ "$kind" = ka ] && echo request || echo connection)
  echo "A/B: A ${BENCH_JAR:-this tree (target jar)}, B $BENCH_AB_JAR; $pairs pairs in ABBA order of ${SECONDS_PER_RUN} s, $([ "$kind" = ka ] && echo keep-alive || echo "new connections"), wrk -t1 -c$CONNS; SLBs on core 0, wrk and nginx on core 1; machine $(machine), load $(load_avg)"
  echo "| pair | build | $unit/s | us CPU per $unit | user | system | p99 ms |"
  echo "|---|---|---|---|---|---|---|"
  # drive's fields after pair and build: rps p50 p99 errors cpu_s user_s sys_s ...
  printf '%s\n' "${results[@]}" | awk -v s="$SECONDS_PER_RUN" '{ n = $3 * s; if (n == 0) n = 1
    printf "| %s | %s | %s | %.1f | %.1f | %.1f | %s |\n", $1, $2, $3, $7 * 1e6 / n, $8 * 1e6 / n, $9 * 1e6 / n, $5 }'
  printf '%s\n' "${results[@]}" | awk -v s="$SECONDS_PER_RUN" -v unit="$unit" '
    { n = $3 * s; if (n == 0) n = 1; cpu[$1, $2] = $7 * 1e6 / n; sum[$2] += cpu[$1, $2]; k[$2]++ }
    END {
      for (p = 1; (p, "A") in cpu; p++) if (cpu[p, "B"] < cpu[p, "A"]) better++
      printf "A/B: mean us CPU per %s A %.1f, B %.1f (B/A %.3f); B took less in %d of %d pairs\n",
        unit, sum["A"] / k["A"], sum["B"] / k["B"], (sum["B"] / k["B"]) / (sum["A"] / k["A"]), better, p - 1 }'
}

if [ -n "${BENCH_AB_JAR:-}" ]; then
  ab_main "$@"
  exit 0
fi

main "$@"

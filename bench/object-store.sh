#!/usr/bin/env bash
# Side-by-side benchmark of object-store against nginx serving the same files (issue 11, "Speed").
#
# 200 objects of 1 MiB are uploaded to our store (signed PUTs with curl --aws-sigv4, 4 at a time:
# the PUT throughput), and the same bytes are written as plain files for nginx (Debian, sendfile
# on, one worker). Then wrk GETs all 200 objects round-robin from each server in turn, the
# server pinned to core 0 and wrk to core 1, our JVM warmed up first. The bucket is public-read
# and wrk does not sign, so our GETs are the CDN edges' kind, served by the sendfile fast path
# (the GET line says how many answers it counted). After the warm-up the bench waits (at most
# BENCH_JIT_WAIT_SECONDS) until our JIT compilers have used no CPU for a second, so that the
# measured run sees the server as it runs once warm rather than its compile backlog (nginx has
# none); the "CPU per GET, ours by thread" line says how long that took and what the compilers
# still took during the run. Prints GET req/s, MiB/s
# and latency for both, server CPU per GET for both (our JVM's JIT and GC threads included), wrk's
# own CPU per GET and the server sockets' data segments and received segments (ACKs) per MiB for
# both (the client's core is often the limit on loopback), PUT MiB/s for ours, and last:
#
#     ratio: ours/nginx = X.XX      (GET throughput)
#
# Loopback only. Every process it starts is stopped on exit, failure included.
#
#   bench/object-store.sh                    # 30 s per server
#   BENCH_SECONDS=10 bench/object-store.sh   # a quick look
#
# Environment: BENCH_SECONDS (30), BENCH_WARMUP_SECONDS (10, our JVM only),
# BENCH_JIT_WAIT_SECONDS (30), BENCH_CONNECTIONS (32), BENCH_JAR (default object-store/target/object-store-exec.jar, built if missing),
# BENCH_JAVA_OPTS, BENCH_WORK (work dir; temporary by default, removed unless BENCH_KEEP=1).
set -euo pipefail
# shellcheck source=bench/lib/common.bash
. "$(dirname "$0")/lib/common.bash"

CONNECTIONS=${BENCH_CONNECTIONS:-32}
JIT_WAIT=${BENCH_JIT_WAIT_SECONDS:-30}
OBJECTS=200
PORT_OURS=19100
PORT_ADMIN=19101
PORT_NGINX=19102
ACCESS_KEY=bench-key
SECRET_KEY=bench-secret


# One line per established socket of the server on PORT, from ss: "peer data_segs_out segs_in
# bytes_acked retransmitted_segments" (ss leaves out counters that are still 0).
server_sockets() { # port
  ss -tinH state established "( sport = :$1 )" | awk '
    /^[0-9]/ { peer = $4; next }
    { d = a = b = t = 0
      for (i = 1; i <= NF; i++) {
        split($i, kv, ":")
        if (kv[1] == "data_segs_out") d = kv[2]
        else if (kv[1] == "segs_in") a = kv[2]
        else if (kv[1] == "bytes_acked") b = kv[2]
        else if (kv[1] == "retrans") { split(kv[2], r, "/"); t = r[2] } }
      print peer, d, a, b, t }'
}

# Per MiB the server's sockets acknowledged between two server_sockets snapshots (files), only
# sockets in both counted (wrk reconnects after a timeout on a loaded machine): "data segments
# (first transmissions) received segments retransmitted segments".
segments_per_mib() { # before after
  awk 'NR == FNR { d[$1] = $2; a[$1] = $3; b[$1] = $4; t[$1] = $5; next }
    ($1 in d) { sd += $2 - d[$1]; sa += $3 - a[$1]; sb += $4 - b[$1]; st += $5 - t[$1] }
    END { mib = sb / 1048576
      if (mib > 0) printf "%.1f %.1f %.2f", (sd - st) / mib, sa / mib, st / mib; else printf "0 0 0" }' "$1" "$2"
}

# wrk over all objects round-robin; prints "req/s MiB/s p50 p99 cpu_ms_per_GET wrk_ms_per_GET
# data_segments_per_MiB acks_per_MiB retransmitted_per_MiB requests [errors]" of the run: the CPU the
# server's (process PID and its children, all threads) and wrk's own, both over the run; the
# segments the server sent with data (first transmissions) and those it received (the client's
# ACKs), and its retransmissions (spurious ones, on a loaded machine), counted on its sockets
# from 1 s into the run to 1 s before its end. The client's share matters: on loopback the
# receiving side's TCP work runs partly in the sender's context and partly in the reader's, and
# wrk's core can be the limit.
run_wrk() { # base_url seconds pid
  local before after port=${1##*:} wrk_pid
  before=$(cpu_ticks "$3")
  (
    "${PIN_CLIENT[@]}" wrk -t2 -c"$CONNECTIONS" -d"$2"s --latency -s "$WORK/round-robin.lua" "$1" \
      >"$WORK/wrk.out" 2>&1
    status=$?
    times >"$WORK/wrk.times" # second line: the CPU of this subshell's children, i.e. wrk
    exit $status
  ) &
  wrk_pid=$!
  sleep 1
  server_sockets "$port" >"$WORK/sockets.before"
  sleep $(($2 > 2 ? $2 - 2 : 1))
  server_sockets "$port" >"$WORK/sockets.after"
  wait "$wrk_pid" || { cat "$WORK/wrk.out" >&2; die "wrk failed"; }
  after=$(cpu_ticks "$3")
  local rps mib p50 p99 cpu n wrk_cpu segs
  n=$(awk '/requests in/ {print $1}' "$WORK/wrk.out")
  cpu=$(awk -v t=$((after - before)) -v k="$TICK" -v n="$n" \
    'BEGIN { printf "%.3f", (n > 0 ? t * 1000 / k / n : 0) }')
  wrk_cpu=$(awk -v n="$n" 'NR == 2 {
      t = 0
      for (i = 1; i <= 2; i++) { split($i, ms, "m"); sub(/s$/, "", ms[2]); t += ms[1] * 60 + ms[2] }
      printf "%.3f", (n > 0 ? t * 1000 / n : 0) }' "$WORK/wrk.times")
  segs=$(segments_per_mib "$WORK/sockets.before" "$WORK/sockets.after")
  rps=$(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk.out")
  mib=$(awk '/^Transfer\/sec/ {v=$2; if (v ~ /GB$/) {sub(/GB/,"",v); v*=1024} else if (v ~ /KB$/) {sub(/KB/,"",v); v/=1024} else sub(/MB/,"",v); print v}' "$WORK/wrk.out")
  p50=$(awk '$1=="50%" {print $2}' "$WORK/wrk.out")
  p99=$(awk '$1=="99%" {print $2}' "$WORK/wrk.out")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' "$WORK/wrk.out" | tr '\n' ' ')
  echo "$rps $mib $p50 $p99 $cpu $wrk_cpu $segs $n ${errors:-}"
}

install_missing nginx:nginx-light wrk:wrk curl:curl taskset:util-linux java:openjdk-17-jre-headless
ports_free "$PORT_OURS" "$PORT_ADMIN" "$PORT_NGINX"
make_work object-store
mkdir -p "$WORK/data" "$WORK/www/bench" "$WORK/nginx"
JAR=$(private_jar object-store)

for i in $(seq 1 $OBJECTS); do
  head -c 1048576 /dev/urandom >"$WORK/www/bench/obj-$i"
done
cat >"$WORK/round-robin.lua" <<LUA
local i = 0
request = function()
  i = (i % $OBJECTS) + 1
  return wrk.format("GET", "/bench/obj-" .. i)
end
LUA

# --- ours ---------------------------------------------------------------------------------------
log "bench: starting object-store"
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS: several flags
SHOP_BIND=$ADDR SHOP_OBJECT_PORT=$PORT_OURS SHOP_ADMIN_PORT=$PORT_ADMIN SHOP_DATA_DIR="$WORK/data" \
SHOP_S3_ACCESS_KEY=$ACCESS_KEY SHOP_S3_SECRET_KEY=$SECRET_KEY SHOP_S3_PUBLIC_READ=bench \
  "${PIN_SERVER[@]}" java ${BENCH_JAVA_OPTS:-} -jar "$JAR" >"$WORK/ours.log" 2>&1 &
OURS=$!
STARTED+=("$OURS")
await 90 "$OURS" "an answer from our /health" http_ok "http://$ADDR:$PORT_ADMIN/health" >/dev/null

s3curl() { # method path [file]
  curl -fsS -o /dev/null --aws-sigv4 "aws:amz:us-east-1:s3" --user "$ACCESS_KEY:$SECRET_KEY" \
    -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -X "$1" ${3:+-T "$3"} "http://$ADDR:$PORT_OURS$2"
}
export -f s3curl
export ACCESS_KEY SECRET_KEY ADDR PORT_OURS WORK
s3curl PUT /bench
start=$(date +%s%N)
# shellcheck disable=SC2016 # expanded by the bash that xargs starts
seq 1 $OBJECTS | xargs -P 4 -I{} bash -c 's3curl PUT /bench/obj-{} "$WORK/www/bench/obj-{}"'
put_ms=$(( ($(date +%s%N) - start) / 1000000 ))
put_mib=$(awk -v n=$OBJECTS -v ms="$put_ms" 'BEGIN {printf "%.1f", n / (ms / 1000)}')
cmp <(curl -fsS "http://$ADDR:$PORT_OURS/bench/obj-7") "$WORK/www/bench/obj-7" || die "GET differs from PUT"

log "bench: warming up our JVM for $WARMUP s"
run_wrk "http://$ADDR:$PORT_OURS" "$WARMUP" "$OURS" >/dev/null
jit_waited=$(jit_quiet "$JIT_WAIT" "$OURS")
jit_before=$(thread_ticks "$OURS" '^C[12] Compiler')
read -r ours_rps ours_mib ours_p50 ours_p99 ours_cpu ours_wrk ours_segs ours_acks ours_resent ours_n ours_err < <(run_wrk "http://$ADDR:$PORT_OURS" "$SECONDS_PER_RUN" "$OURS")
ours_jit=$(awk -v t=$(($(thread_ticks "$OURS" '^C[12] Compiler') - jit_before)) -v k="$TICK" \
  -v n="$ours_n" 'BEGIN { printf "%.3f", (n > 0 ? t * 1000 / k / n : 0) }')
fast_path=$(curl -fsS "http://$ADDR:$PORT_ADMIN/metrics" |
  awk '/^objectstore_fastpath_responses_total/ {s += $2} END {printf "%d", s}')
stop "$OURS"

# --- nginx --------------------------------------------------------------------------------------
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx;
  proxy_temp_path $WORK/nginx;
  fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx;
  scgi_temp_path $WORK/nginx;
  server {
    listen $ADDR:$PORT_NGINX;
    root $WORK/www;
  }
}
CONF
"${PIN_SERVER[@]}" nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
NGINX=$!
STARTED+=("$NGINX")
await 20 "$NGINX" "an answer from nginx" http_ok "http://$ADDR:$PORT_NGINX/bench/obj-1" >/dev/null
read -r nginx_rps nginx_mib nginx_p50 nginx_p99 nginx_cpu nginx_wrk nginx_segs nginx_acks nginx_resent _ nginx_err < <(run_wrk "http://$ADDR:$PORT_NGINX" "$SECONDS_PER_RUN" "$NGINX")

echo "load average: $(load_avg), cores: $(nproc), $SECONDS_PER_RUN s per server, $CONNECTIONS connections"
echo "PUT  ours : $OBJECTS x 1 MiB in $put_ms ms = $put_mib MiB/s (4 concurrent curl --aws-sigv4)"
echo "GET  ours : $ours_rps req/s, $ours_mib MiB/s, p50 $ours_p50, p99 $ours_p99 $ours_err($fast_path answers by the sendfile fast path, warm-up included)"
echo "GET  nginx: $nginx_rps req/s, $nginx_mib MiB/s, p50 $nginx_p50, p99 $nginx_p99 $nginx_err"
echo "CPU per GET (server process, all threads): ours $ours_cpu ms, nginx $nginx_cpu ms (nginx/ours = $(ratio "$nginx_cpu" "$ours_cpu"))"
echo "CPU per GET, ours by thread: JIT compilers $ours_jit ms, the rest $(awk -v a="$ours_cpu" -v j="$ours_jit" 'BEGIN { printf "%.3f", a - j }') ms (JIT quiet after ${jit_waited} s of waiting, at most $JIT_WAIT)"
echo "CPU per GET (wrk, the client): against ours $ours_wrk ms, against nginx $nginx_wrk ms"
echo "segments per MiB sent (server sockets): ours $ours_segs with data, $ours_acks received," \
  "$ours_resent resent; nginx $nginx_segs, $nginx_acks, $nginx_resent"
echo "ratio: ours/nginx = $(ratio "$ours_mib" "$nginx_mib")"

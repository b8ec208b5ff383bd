#!/usr/bin/env bash
# Side-by-side benchmark of dns-resolver against unbound (issue 8, "Speed").
#
# One NSD instance on loopback is the authority for a generated zone "bench." (3,000 names);
# ours and unbound both resolve through it: ours with NSD as its only root hint, unbound with a
# stub-zone for bench. pointing at it. QNAME minimisation is off in both, so a cold name costs
# exactly one upstream query each. Then, per resolver:
#   (a) cached QPS: 1,000 names resolved once, then dnsperf -c 4 -q 200 for BENCH_SECONDS;
#   (b) cold latency: 1,000 names never asked before, one at a time (dnsperf -c 1 -q 1 -v),
#       median and 90th percentile of the per-query latencies dnsperf prints. Before it, each
#       resolver resolves BENCH_COLD_WARMUP_NAMES (20,000) other names never asked before, not
#       counted, the same way (one at a time, names of the same shape): the cached warm-up never
#       runs the iteration code, and a JVM that has run it a few hundred times still interprets
#       it (measured on a loaded machine: median 1.3 ms for the first 1,000 names, 0.6 ms for the
#       next 1,000, 0.2 ms after 20,000). Then the bench waits (at most BENCH_JIT_WAIT_SECONDS,
#       30) until the resolver's JIT compiler threads have used no CPU for a second: the C2
#       compiler's queue is worked off on the resolver's own pinned core, and while the warm-up
#       kept that core busy, its backlog was compiled during the measured names instead (up to
#       1.8 ms of C2 CPU per measured name in an earlier run). A resolver iterates all day; the
#       first thousand names after a start, and the compiler's catching up, are not what this
#       measures. unbound has no JIT: its wait ends after the first second.
# Next to each figure, the resolver's own CPU time (all its threads, from /proc): cached answers per
# CPU second, and CPU microseconds per cold resolution; neither depends on how loaded the machine is.
# Before each measured run, cached and cold, the bench waits (at most BENCH_JIT_WAIT_SECONDS) until
# our JIT threads used no CPU for a second; the "CPU" lines say how long each wait took.
# A "CPU, ours:" line splits ours by thread: the share its JIT compilers and its GC/VM threads took
# of the cached run, and of each cold name's microseconds (a JVM still compiling is not idle).
# The resolver under test is pinned to core 0, dnsperf and NSD to core 1; one worker thread for
# unbound (num-threads 1). Our JVM gets BENCH_WARMUP_SECONDS of dnsperf first, not counted.
#
# Loopback only. Every process it starts is stopped on exit, failure included.
#
#   bench/dns-resolver.sh                     # 30 s per resolver
#   BENCH_SECONDS=10 bench/dns-resolver.sh    # shared machine: keep it short
#
# Environment: BENCH_SECONDS (30), BENCH_PORT_BASE (15401), BENCH_WARMUP_SECONDS (10), BENCH_COLD_WARMUP_NAMES (20000),
# BENCH_JIT_WAIT_SECONDS (30), BENCH_JAR (our exec jar; built with -am if missing), BENCH_JAVA_OPTS,
# BENCH_TRANSPORT (our resolver's transport: auto, the shipped default, epoll or nio),
# BENCH_WORK / BENCH_KEEP=1 (keep configs and outputs).
# Last line: "ratio: ours/unbound = X.XX" (cached QPS).
set -euo pipefail
# shellcheck source=bench/lib/common.bash
. "$(dirname "$0")/lib/common.bash"

AUTH=127.0.0.1
# BENCH_PORT_BASE moves all four ports (another script on the machine may hold 15401-15404).
PORT_BASE=${BENCH_PORT_BASE:-15401}
PORT_AUTH=$PORT_BASE
OURS=127.0.0.1
PORT_OURS=$((PORT_BASE + 1))
PORT_OURS_ADMIN=$((PORT_BASE + 2))
UNBOUND=127.0.0.1
PORT_UNBOUND=$((PORT_BASE + 3))
COLD_WARMUP=${BENCH_COLD_WARMUP_NAMES:-20000}
JIT_WAIT=${BENCH_JIT_WAIT_SECONDS:-30}


await_answer() { # address, port, name, pid
  await 60 "$4" "an answer for $3 from $1@$2" dns_ok "$1" "$2" "$3" >/dev/null
}

bench_zone() {
  cat <<'EOF'
$ORIGIN bench.
$TTL 3600
@        IN SOA ns1 hostmaster 2026112901 3600 900 1209600 300
@        IN NS  ns1
ns1      IN A   127.0.0.1
EOF
  awk -v warm="$COLD_WARMUP" 'BEGIN {
    for (i = 0; i < 1000; i++) printf "n%d IN A 127.30.%d.%d\n", i, int(i / 250), i % 250 + 1
    for (i = 0; i < 2000; i++) printf "cold%d IN A 127.31.%d.%d\n", i, int(i / 250), i % 250 + 1
    for (i = 0; i < 2 * warm; i++) printf "warm%d IN A 127.32.%d.%d\n", i, int(i / 250) % 250, i % 250 + 1 }'
}

start_nsd() {
  nsd_conf "$AUTH" "$PORT_AUTH" bench >"$WORK/nsd.conf"
  nsd-checkconf "$WORK/nsd.conf" >&2 || die "nsd-checkconf rejected the config"
  "${PIN_CLIENT[@]}" nsd -d -c "$WORK/nsd.conf" >"$WORK/nsd.out" 2>&1 &
  echo $!
}

start_ours() {
  cat >"$WORK/resolver.yml" <<EOF
instance: bench-resolver
bind: $OURS
port: $PORT_OURS
adminPort: $PORT_OURS_ADMIN
transport: ${BENCH_TRANSPORT:-auto}
rootHints: [$AUTH]
upstreamPort: $PORT_AUTH
allow: [127.0.0.0/8]
ecs: {enabled: false, ipv4Prefix: 24, ipv6Prefix: 56}
limits: {queryTimeoutMs: 800, totalTimeoutMs: 8000, maxReferrals: 16, maxCnameChain: 8, maxNameServerDepth: 3}
hardening: {useCapsForId: false, qnameMinimisation: false}
cache: {maxBytes: 16777216, maxDelegations: 1000, maxTtlSeconds: 86400, maxNegativeTtlSeconds: 3600}
EOF
  # shellcheck disable=SC2086
  "${PIN_SERVER[@]}" java ${BENCH_JAVA_OPTS:-} -jar "$WORK/dns-resolver-exec.jar" \
    --config="$WORK/resolver.yml" >"$WORK/ours.log" 2>&1 &
  echo $!
}

start_unbound() {
  cat >"$WORK/unbound.conf" <<EOF
server:
  interface: $UNBOUND@$PORT_UNBOUND
  num-threads: 1
  do-daemonize: no
  use-syslog: no
  logfile: "$WORK/unbound.log"
  chroot: ""
  username: ""
  directory: "$WORK"
  pidfile: "$WORK/unbound.pid"
  access-control: 127.0.0.0/8 allow
  do-not-query-localhost: no
  do-ip6: no
  module-config: "iterator"
  qname-minimisation: no
  prefetch: no
remote-control:
  control-enable: no
stub-zone:
  name: "bench."
  stub-addr: $AUTH@$PORT_AUTH
EOF
  unbound-checkconf "$WORK/unbound.conf" >&2 || die "unbound-checkconf rejected the config"
  "${PIN_SERVER[@]}" unbound -d -c "$WORK/unbound.conf" >"$WORK/unbound.out" 2>&1 &
  echo $!
}

# CPU ticks of a JVM's threads by kind: prints "jit gc_vm" (C1/C2 compiler threads; GC, G1
# and VM threads). Whatever else the process spent is its own work (event loops, resolution).
# (common.bash's thread_ticks reads each thread's name and stat.)
jvm_ticks() { # pid (the java process itself): "JIT GC+VM" clock ticks
  echo "$(thread_ticks "$1" '^C[12] Compiler') $(thread_ticks "$1" '^(GC Thread|G1 |VM Thread)')"
}

# Cached QPS: prints "qps avg_latency_ms lost sent"
cached_qps() { # name, address, port, seconds
  timeout $(($4 + 60)) "${PIN_CLIENT[@]}" dnsperf -s "$2" -p "$3" -d "$WORK/cached.txt" \
    -l "$4" -c 4 -q 200 -t 2 >"$WORK/dnsperf-$1.txt" 2>&1 || die "dnsperf against $1 failed"
  dnsperf_summary "$WORK/dnsperf-$1.txt"
}

# Cold latency, one query at a time: prints "median_ms p90_ms answered"
cold_latency() { # name, address, port, query file
  timeout 300 "${PIN_CLIENT[@]}" dnsperf -s "$2" -p "$3" -d "$4" -n 1 -c 1 -q 1 -t 5 -v \
    >"$WORK/cold-$1.txt" 2>&1 || die "cold dnsperf against $1 failed"
  grep -E '^> NOERROR' "$WORK/cold-$1.txt" | awk '{ print $NF * 1000 }' | sort -n |
    awk '{ v[NR] = $1 } END { if (NR == 0) { print "0 0 0"; exit }
         printf "%.3f %.3f %d\n", v[int((NR + 1) / 2)], v[int(NR * 0.9)], NR }'
}

main() {
  install_missing --stop "nsd unbound" nsd:nsd unbound:unbound dnsperf:dnsperf taskset:util-linux \
    dig:bind9-dnsutils java:openjdk-17-jdk-headless
  ports_free "$PORT_AUTH" "$PORT_OURS" "$PORT_OURS_ADMIN" "$PORT_UNBOUND"
  make_work resolver
  private_jar dns-resolver >/dev/null
  bench_zone >"$WORK/bench.zone"
  awk 'BEGIN { for (i = 0; i < 1000; i++) printf "n%d.bench A\n", i }' >"$WORK/cached.txt"
  # 1,000 names each, never asked before by that resolver.
  awk 'BEGIN { for (i = 0; i < 1000; i++) printf "cold%d.bench A\n", i }' >"$WORK/cold-ours.q"
  awk 'BEGIN { for (i = 1000; i < 2000; i++) printf "cold%d.bench A\n", i }' >"$WORK/cold-unbound.q"
  # Warm-up names for the iteration code, a separate set per resolver too.
  awk -v n="$COLD_WARMUP" 'BEGIN { for (i = 0; i < n; i++) printf "warm%d.bench A\n", i }' >"$WORK/warm-ours.q"
  awk -v n="$COLD_WARMUP" 'BEGIN { for (i = n; i < 2 * n; i++) printf "warm%d.bench A\n", i }' >"$WORK/warm-unbound.q"

  local nsd ours unbound
  nsd=$(start_nsd); STARTED+=("$nsd")
  await_answer "$AUTH" "$PORT_AUTH" ns1.bench "$nsd"
  ours=$(start_ours); STARTED+=("$ours")
  unbound=$(start_unbound); STARTED+=("$unbound")
  await_answer "$OURS" "$PORT_OURS" n0.bench "$ours"
  await_answer "$UNBOUND" "$PORT_UNBOUND" n0.bench "$unbound"

  declare -A Q LINE COLD LOAD PERCPU COLDCPU COLDJVM CACHEDJVM JITWAIT CACHEDWAIT
  for who in ours unbound; do
    local addr port pid cpu0 cpu1 jit0 jit1 gc0 gc1
    if [ "$who" = ours ]; then addr=$OURS; port=$PORT_OURS; pid=$ours; else addr=$UNBOUND; port=$PORT_UNBOUND; pid=$unbound; fi
    # Fill the cache with the 1,000 cached names (and warm our JIT on them).
    timeout 120 dnsperf -s "$addr" -p "$port" -d "$WORK/cached.txt" -n 1 -c 1 -q 20 >/dev/null 2>&1
    if [ "$who" = ours ] && [ "$WARMUP" -gt 0 ]; then
      log "bench: warming up our JVM for ${WARMUP}s (not counted)"
      cached_qps warmup "$addr" "$port" "$WARMUP" >/dev/null
    fi
    # As before the cold run: the compiler's backlog from a saturating warm-up is not ours to count.
    CACHEDWAIT[$who]=$(jit_quiet "$JIT_WAIT" "$pid")
    LOAD[$who]=$(load_1m)
    # The resolver's own CPU time (all threads: JIT and GC count too) over the measured run:
    # queries per CPU second do not depend on how busy the rest of the machine is.
    cpu0=$(cpu_ticks "$pid")
    read -r jit0 gc0 <<<"$(jvm_ticks "$pid")"
    LINE[$who]=$(cached_qps "$who" "$addr" "$port" "$SECONDS_PER_RUN")
    cpu1=$(cpu_ticks "$pid")
    read -r jit1 gc1 <<<"$(jvm_ticks "$pid")"
    CACHEDJVM[$who]=$(awk -v t=$((cpu1 - cpu0)) -v j=$((jit1 - jit0)) -v g=$((gc1 - gc0)) \
      'BEGIN { printf "JIT %.0f %%, GC+VM %.0f %%", (t > 0 ? j * 100 / t : 0), (t > 0 ? g * 100 / t : 0) }')
    Q[$who]=${LINE[$who]%% *}
    read -r _ _ lost sent <<<"${LINE[$who]}"
    PERCPU[$who]=$(awk -v n=$((sent - lost)) -v t=$((cpu1 - cpu0)) -v k="$TICK" \
      'BEGIN { printf "%.0f", (t > 0 ? n * k / t : 0) }')
    if [ "$COLD_WARMUP" -gt 0 ]; then
      log "bench: $who resolves $COLD_WARMUP other new names first (not counted)"
      timeout 300 "${PIN_CLIENT[@]}" dnsperf -s "$addr" -p "$port" -d "$WORK/warm-$who.q" -n 1 -c 1 -q 1 \
        -t 5 >"$WORK/warm-$who.txt" 2>&1 || die "cold warm-up against $who failed"
    fi
    JITWAIT[$who]=$(jit_quiet "$JIT_WAIT" "$pid")
    cpu0=$(cpu_ticks "$pid")
    read -r jit0 gc0 <<<"$(jvm_ticks "$pid")"
    COLD[$who]=$(cold_latency "$who" "$addr" "$port" "$WORK/cold-$who.q")
    cpu1=$(cpu_ticks "$pid")
    read -r jit1 gc1 <<<"$(jvm_ticks "$pid")"
    # Of which: our JVM's JIT compilers and its GC/VM threads (0 for unbound).
    COLDJVM[$who]=$(awk -v j=$((jit1 - jit0)) -v g=$((gc1 - gc0)) -v k="$TICK" \
      'BEGIN { printf "JIT %.0f, GC+VM %.0f", j * 1e6 / k / 1000, g * 1e6 / k / 1000 }')
    # CPU microseconds per cold resolution (one upstream query each), the resolver's side only.
    COLDCPU[$who]=$(awk -v t=$((cpu1 - cpu0)) -v k="$TICK" 'BEGIN { printf "%.0f", t * 1e6 / k / 1000 }')
    LOAD[$who]="${LOAD[$who]} / $(load_1m)"
  done

  # Which transport ours ran on (native epoll, or NIO and why), as its start-up line says.
  echo "ours: $(grep -o 'serving DNS on .*' "$WORK/ours.log" | head -1)"
  printf '%-8s %10s %12s %12s %14s %12s %10s %8s %12s %s\n' resolver "cached QPS" "per CPU s" \
    "avg lat ms" "lost/sent" "cold med ms" "cold p90" "cold n" "cold CPU us" "load 1m before/after"
  for who in ours unbound; do
    read -r qps lat lost sent <<<"${LINE[$who]}"
    read -r med p90 n <<<"${COLD[$who]}"
    printf '%-8s %10s %12s %12s %14s %12s %10s %8s %12s %s\n' "$who" "$qps" "${PERCPU[$who]}" "$lat" \
      "$lost/$sent" "$med" "$p90" "$n" "${COLDCPU[$who]}" "${LOAD[$who]}"
  done
  for who in ours unbound; do
    echo "CPU, $who: cached run ${CACHEDJVM[$who]} of it; cold, us per name ${COLDCPU[$who]} (of which ${COLDJVM[$who]}); JIT quiet after ${CACHEDWAIT[$who]} s / ${JITWAIT[$who]} s of waiting"
  done
  echo "cached per CPU second: ours/unbound = $(ratio "${PERCPU[ours]}" "${PERCPU[unbound]}")"
  echo "ratio: ours/unbound = $(ratio "${Q[ours]}" "${Q[unbound]}")"
}

main "$@"

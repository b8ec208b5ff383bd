#!/usr/bin/env bash
# Side-by-side benchmark of dns-authoritative against NSD and BIND 9 (issue 3, "Speed").
#
# The same zones (a few hundred records of shop.example. plus a generated 100,000-record
# big.example.) are served by our server, NSD and BIND 9, side by side on 127.0.0.1 with distinct
# ports, RRL off everywhere. All three are started and warmed by the same number of queries (by
# dnsperf), then measured one after another, round after round (BENCH_ROUNDS), each driven by the
# same load generator with the same query file and the same concurrency; the servers are pinned to
# core 0 and the generator to the other cores, and the server's CPU time (utime+stime of its whole
# process tree) is reported first, as queries per CPU second. The generator is
# bench/load/udp-query-load.c (built here with gcc): dnsperf's query file, clients (source ports),
# queries in flight, RD and no EDNS, every answer matched to its query, but sent and received 32 at
# a time (sendmmsg/recvmmsg), at about a tenth of dnsperf's CPU per query, so that it outruns every
# server here and each one answers at 100 % of its core: QPS is the server's capacity. dnsperf makes
# a system call per query and tops out near 100,000 QPS on a core of a machine like this one, below
# what ours and NSD answer, so its QPS would measure dnsperf; it is run beside, one round per server
# on one core, for queries per CPU second at its own pace (a different load: a server faster than
# it sleeps between bursts and pays a wake-up per few queries). The generator's own CPU is reported
# too, and a note says when it was near its ceiling. The ratios compare each server's median over
# its rounds. A second table gives each server two cores (NSD server-count 2, BIND -n 2, ours two
# UDP sockets on SO_REUSEPORT), the generator unpinned (on a 2-core machine it shares them). Then
# our server loads a 1,000,000-record zone and the script reports the time and CPU seconds until it
# answers from that zone, the live heap, and a full AXFR of it by dig (records, time, heap after).
# After the one-core rounds a separate 3 s run per server counts its system calls per answer (perf).
#
# Loopback only. Every server it starts is stopped on exit, failure included.
#
#   bench/dns-authoritative.sh                   # 2 rounds of 30 s per server
#   BENCH_SECONDS=5 bench/dns-authoritative.sh   # a quick look
#
# Environment: BENCH_SECONDS (30, per measured run), BENCH_WARMUP_QUERIES (400000, rounded up to
# whole passes over the 50,000-query file; every server, before its first run), BENCH_ROUNDS (2:
# runs per server, interleaved ours, NSD, BIND, ours, ...; the ratios compare medians),
# BENCH_CLIENTS (16) and BENCH_OUTSTANDING (200): clients and queries in flight (dnsperf -c / -q),
# BENCH_LOADGEN (udp-query-load, or dnsperf to drive every measured run with dnsperf as before),
# BENCH_DNSPERF_CHECK (1: the one-core dnsperf run beside; 0 skips it), BENCH_JAR (our exec jar;
# built if missing), BENCH_JAVA_OPTS (extra JVM flags, none by default), BENCH_WORK (work dir;
# a fresh temporary one by default, removed at exit unless BENCH_KEEP=1).
#
# A/B of two builds of our server instead of the tables: BENCH_AB_JAR (B; A is BENCH_JAR or this
# tree's build), BENCH_AB_JAVA_OPTS (B's JVM flags, default BENCH_JAVA_OPTS: the same jar with
# other flags is an A/B too), BENCH_AB_PAIRS (4), BENCH_AB_QUERIES (600000 answers per run):
#   BENCH_AB_JAR=/tmp/old/dns-authoritative/target/dns-authoritative-exec.jar bench/dns-authoritative.sh
#
# Options for the question how far any server could go on this machine (all off by default):
# BENCH_FLOOR=1 adds a fourth column to the one-core table, bench/floor/udp-floor.c (built here with
# gcc): a measuring instrument that answers every query with its header and question and one A
# record, padded to BENCH_FLOOR_BYTES (67, ours' average response for this mix), by the same
# epoll_wait + recvmmsg(32) + sendmmsg per burst as ours and NSD: the kernel's cost per answer plus
# the smallest loop around it. BENCH_NETNS=1 runs everything inside a fresh network namespace
# (`shopbench`, deleted at exit), where the host's netfilter rules (Docker's) and so connection
# tracking do not exist. BENCH_ONE_CORE_ONLY=1 skips the two-core table and the million-record zone.
# The A/B mode stays on dnsperf's paced load.
#   BENCH_FLOOR=1 BENCH_ONE_CORE_ONLY=1 BENCH_ROUNDS=3 bench/dns-authoritative.sh
set -euo pipefail
# shellcheck source=bench/lib/common.bash
. "$(dirname "$0")/lib/common.bash"

# 16 clients are 16 source ports: servers with one SO_REUSEPORT socket per core (ours, and BIND 9.18
# with its default `reuseport yes`) get their share of queries per socket by a hash of the client's
# address and port: with 4 ports, all four land on one of two sockets one run in eight (it happened
# in one of two 5 s runs here, seen in our two event loops' CPU time), and the second core idles.
# NSD (reuseport off by default) shares one socket between its processes and does not care. dnsperf's
# CPU per query is the same with 1, 4 or 16 clients (93 % of it is the kernel's sendto/recvfrom).
CLIENTS=${BENCH_CLIENTS:-16}
# Warm-up by count, not by time: on a loaded machine 10 s of wall-clock time gave our JVM a
# fraction of the queries it gets on a quiet one. Every server gets the same passes over the query
# file (NSD and BIND do not need them; it keeps the three runs alike).
WARMUP_QUERIES=${BENCH_WARMUP_QUERIES:-400000}
WARMUP_PASSES=$(((WARMUP_QUERIES + 49999) / 50000))
ROUNDS=${BENCH_ROUNDS:-2}
OUTSTANDING=${BENCH_OUTSTANDING:-200}
PORT_OURS=15301
PORT_NSD=15302
PORT_BIND=15303
PORT_LOAD=15304
PORT_FLOOR=15305
FLOOR=${BENCH_FLOOR:-0}
LOADGEN=${BENCH_LOADGEN:-udp-query-load}
MAIN_LOADGEN=$LOADGEN
DNSPERF_CHECK=${BENCH_DNSPERF_CHECK:-1}


# Waits (bounded) until the server at $1 answers a query for name $2; prints the milliseconds.
await_answer() { # port, name, pid, limit
  await "$4" "$3" "an answer for $2" dns_ok "$ADDR" "$1" "$2"
}

# ---------------------------------------------------------------------------------------------
# Zones and queries (plain RFC 1035 master files: NSD and BIND read no placeholders)
# ---------------------------------------------------------------------------------------------
soa_and_ns() { # origin, ns address
  cat <<EOF
\$ORIGIN $1
\$TTL 3600
@        IN SOA ns1 hostmaster 2026112701 3600 900 1209600 300
@        IN NS  ns1
ns1      IN A   $2
EOF
}

shop_zone() {
  soa_and_ns shop.example. 127.28.0.4
  cat <<'EOF'
@        IN MX  10 mail
@        IN TXT "v=spf1 mx -all"
@        IN CAA 0 issue "letsencrypt.org"
mail     IN A   127.28.0.25
www  300 IN A   127.28.0.80
www  300 IN AAAA fd00:28::80
m    300 IN CNAME www
static 300 IN CNAME shop.cdn.example.
_dmarc   IN TXT "v=DMARC1; p=reject"
; Two delegations with glue: what referrals look like in the query mix.
eu       IN NS  ns1.eu
ns1.eu   IN A   127.28.10.53
us       IN NS  ns1.us
us       IN NS  ns2.us
ns1.us   IN A   127.28.11.53
ns2.us   IN AAAA fd00:28:11::53
EOF
  awk 'BEGIN {
    for (i = 1; i <= 100; i++) {
      printf "host-%d IN A 127.28.3.%d\n", i, i
      printf "host-%d IN AAAA fd00:28:3::%x\n", i, i
    }
    for (i = 1; i <= 50; i++) printf "alias-%d IN CNAME host-%d\n", i, i
    for (i = 1; i <= 20; i++) printf "note-%d IN TXT \"record %d of the shop zone\"\n", i, i
    for (i = 1; i <= 20; i++) printf "_svc%d._tcp IN SRV 10 5 %d host-%d\n", i, 8000 + i, i
  }'
}

# 100,000 records: 50,000 A, 30,000 AAAA, 20,000 CNAME (plus SOA, NS, glue).
big_zone() {
  soa_and_ns big.example. 127.28.0.6
  awk 'BEGIN {
    for (i = 0; i < 50000; i++) printf "h%d IN A 127.29.%d.%d\n", i, int(i / 250), i % 250 + 1
    for (i = 0; i < 30000; i++) printf "h%d IN AAAA fd00:29::%x\n", i, i + 1
    for (i = 0; i < 20000; i++) printf "c%d IN CNAME h%d\n", i, i
  }'
}

million_zone() {
  soa_and_ns million.example. 127.28.0.7
  awk 'BEGIN {
    for (i = 0; i < 1000000; i++)
      printf "n%d IN A 10.%d.%d.%d\n", i, int(i / 65536), int(i / 256) % 256, i % 256
  }'
}

# dnsperf input "name type"; a fixed seed so every run and every server gets the same mix.
# dnsperf sets RD: ours and BIND answer it minimally (the answer, the SOA of a negative answer, NS
# and glue of a referral); NSD adds the zone's NS and glue to every positive answer (dnsperf's
# average response in the 2026-11-30 smoke run: ours 67 bytes, BIND 67, NSD 92).
queries() {
  awk 'BEGIN {
    srand(20261127)
    for (q = 0; q < 50000; q++) {
      r = rand()
      if (r < 0.35)      printf "h%d.big.example A\n", int(rand() * 50000)
      else if (r < 0.50) printf "h%d.big.example AAAA\n", int(rand() * 30000)
      else if (r < 0.60) printf "c%d.big.example A\n", int(rand() * 20000)
      else if (r < 0.65) printf "www.shop.example A\n"
      else if (r < 0.70) printf "host-%d.shop.example AAAA\n", 1 + int(rand() * 100)
      else if (r < 0.73) printf "alias-%d.shop.example A\n", 1 + int(rand() * 50)
      else if (r < 0.75) printf "static.shop.example A\n"
      else if (r < 0.78) printf "nx%d.big.example A\n", int(rand() * 1000000)
      else if (r < 0.95) printf "missing-%d.shop.example A\n", int(rand() * 1000000)
      else if (r < 0.98) printf "www.eu.shop.example A\n"
      else               printf "api.us.shop.example AAAA\n"
    }
  }'
}

# ---------------------------------------------------------------------------------------------
# Servers
# ---------------------------------------------------------------------------------------------
# Cores per server for the runs below: 1 (pinned to core 0) or 2 (cores 0 and 1).
CORES=1
pin_server() {
  if [ "$CORES" -eq 1 ]; then
    echo "${PIN_SERVER[@]}"
  else
    echo taskset -c 0,1
  fi
}

# OURS_JAR and OURS_JAVA_OPTS: which build and flags start_ours starts (the A/B sets them per side).
OURS_JAR=
OURS_JAVA_OPTS=${BENCH_JAVA_OPTS:-}
start_ours() { # port, zones list, log file, pin... -> pid
  # shellcheck disable=SC2086
  SHOP_INSTANCE=bench SHOP_BIND=$ADDR SHOP_DNS_PORT=$1 SHOP_ADMIN_PORT=0 SHOP_NET=127 \
    SHOP_RRL_RPS=0 SHOP_ZONES=$2 SHOP_AXFR_ALLOW=$ADDR/32 SHOP_DNS_UDP_CHANNELS=$CORES \
    "${@:4}" java $OURS_JAVA_OPTS -jar "${OURS_JAR:-$WORK/dns-authoritative-exec.jar}" >"$3" 2>&1 &
  echo $!
}

start_nsd() {
  nsd_conf "$ADDR" "$PORT_NSD" shop.example big.example \
    | sed "s/server-count: 1/server-count: $CORES/" >"$WORK/nsd.conf"
  nsd-checkconf "$WORK/nsd.conf" >&2 || die "nsd-checkconf rejected $WORK/nsd.conf"
  # shellcheck disable=SC2046
  $(pin_server) nsd -d -c "$WORK/nsd.conf" >"$WORK/nsd.out" 2>&1 &
  echo $!
}

start_bind() {
  mkdir -p "$WORK/bind"
  cat >"$WORK/named.conf" <<EOF
options {
  directory "$WORK/bind";
  pid-file "$WORK/bind/named.pid";
  session-keyfile "$WORK/bind/session.key";
  listen-on port $PORT_BIND { $ADDR; };
  listen-on-v6 { none; };
  recursion no;
  allow-query { any; };
  dnssec-validation no;
  notify no;
  // no rate-limit clause: RRL is off unless configured.
};
controls { };
zone "shop.example" { type primary; file "$WORK/shop.example.zone"; };
zone "big.example" { type primary; file "$WORK/big.example.zone"; };
EOF
  named-checkconf "$WORK/named.conf" >&2 || die "named-checkconf rejected $WORK/named.conf"
  # One worker thread per core given, like NSD's server-count and our UDP sockets.
  # shellcheck disable=SC2046
  $(pin_server) named -g -n "$CORES" -c "$WORK/named.conf" >"$WORK/named.out" 2>&1 &
  echo $!
}

# The floor (BENCH_FLOOR=1): one socket, so one core only.
# build_tool DIR/NAME.c: one of the bench's C instruments, built into $WORK/NAME.
build_tool() {
  local name
  name=$(basename "$1" .c)
  gcc -O2 -Wall -o "$WORK/$name" "$REPO/bench/$1" || die "gcc could not build $name"
}

start_floor() {
  build_tool floor/udp-floor.c >&2
  # shellcheck disable=SC2046
  $(pin_server) "$WORK/udp-floor" "$ADDR" "$PORT_FLOOR" "${BENCH_FLOOR_BYTES:-67}" >"$WORK/floor.out" 2>&1 &
  echo $!
}

# ---------------------------------------------------------------------------------------------
# The load generator's cores: every core the servers are not given (dnsperf -T one thread per
# core), so a machine with cores to spare drives harder than one dnsperf thread can. On a 2-core
# machine in the two-core table none is free: dnsperf then shares the servers' cores, unpinned.
client_cores() {
  local n first
  n=$(nproc)
  first=$CORES
  [ ${#PIN_SERVER[@]} -gt 0 ] || first=$n
  if [ "$first" -ge "$n" ]; then
    echo "- 1"
  elif [ "$first" -eq $((n - 1)) ]; then
    echo "$first 1"
  else
    echo "$first-$((n - 1)) $((n - first))"
  fi
}

# ---------------------------------------------------------------------------------------------
# One measured run of the load generator: prints "qps latency_ms lost sent cpu_s client_cpu_s" and
# keeps its output. The client's own CPU time (bash's `time` of the generator) says whether the
# load generator was the ceiling: near seconds x its threads, it was.
# ---------------------------------------------------------------------------------------------
drive() { # name, port, pid, seconds, output file
  local before after cores threads client_cpu
  read -r cores threads <<<"$(client_cores)"
  local pin_client=()
  [ "$cores" = - ] || pin_client=(taskset -c "$cores")
  before=$(cpu_split "$3")
  local TIMEFORMAT='%U %S'
  { time load_generator "$2" "$4" "$threads" $(($4 + 60)) "${pin_client[@]}" >"$5" 2>&1; } \
    2>"$5.time" || die "$LOADGEN against $1 failed: $(tail -n 5 "$5")"
  client_cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$5.time")
  after=$(cpu_split "$3")
  kill -0 "$3" 2>/dev/null || die "$1 died during the run"
  echo "$(dnsperf_summary "$5") $(awk -v b="$before" -v a="$after" -v t="$TICK" 'BEGIN {
    split(b, x, " "); split(a, y, " ")
    printf "%.2f", (y[1] + y[2] - x[1] - x[2]) / t }') $client_cpu $(awk -v b="$before" -v a="$after" \
    -v t="$TICK" 'BEGIN { split(b, x, " "); split(a, y, " "); printf "%.2f %.2f", (y[1] - x[1]) / t, (y[2] - x[2]) / t }')"
}

# load_generator PORT SECONDS THREADS TIMEOUT [PIN...]: one measured load, dnsperf's or
# udp-query-load's (one thread; it batches instead), killed after TIMEOUT seconds, run under the
# PIN command (taskset) if given; both print the summary lines dnsperf_summary reads.
load_generator() {
  local port=$1 seconds=$2 threads=$3 limit=$4
  shift 4
  if [ "$LOADGEN" = udp-query-load ]; then
    timeout "$limit" "$@" "$WORK/udp-query-load" "$ADDR" "$port" "$WORK/queries.txt" "$seconds" \
      "$CLIENTS" "$OUTSTANDING" 2
  else
    timeout "$limit" "$@" dnsperf -s "$ADDR" -p "$port" -d "$WORK/queries.txt" -l "$seconds" \
      -c "$CLIENTS" -T "$threads" -q "$OUTSTANDING" -t 2
  fi
}

# cpu_split PID: "utime stime" clock ticks of a process and its descendants (cpu_ticks apart): the
# kernel's share of a server's CPU is what no user-space change can win. Sampled per tick by the
# kernel, so only the sum is exact; over a run of seconds the split is good to a few per cent.
cpu_split() {
  local p stat f user=0 system=0
  for p in $(process_tree "$1" | tr , ' '); do
    stat=$(cat /proc/"$p"/stat 2>/dev/null) || continue
    read -r -a f <<<"${stat##*) }"
    user=$((user + f[11]))
    system=$((system + f[12]))
  done
  echo "$user $system"
}

# ---------------------------------------------------------------------------------------------
# System calls per answer: a separate short dnsperf run with perf counting the server's
# raw_syscalls:sys_enter (every thread of every process of its tree: NSD's server is a
# grandchild), after the measured run so the tracepoint does not slow that one. "n/a" when perf
# cannot count here (no tracefs, perf_event_paranoid).
# ---------------------------------------------------------------------------------------------
process_tree() { # pid -> that pid and its descendants, comma separated
  local all=("$1") queue=("$1") p k
  while [ ${#queue[@]} -gt 0 ]; do
    p=${queue[0]}
    queue=("${queue[@]:1}")
    for k in $(ps -o pid= --ppid "$p" 2>/dev/null || true); do
      all+=("$k")
      queue+=("$k")
    done
  done
  local IFS=,
  echo "${all[*]}"
}

declare -A SYSCALLS READS
count_syscalls() { # name, port, pid
  local cores threads pin_client=() out="$WORK/syscalls-$1"
  read -r cores threads <<<"$(client_cores)"
  [ "$cores" = - ] || pin_client=(taskset -c "$cores")
  SYSCALLS[$1]=n/a
  READS[$1]=n/a
  # recvmmsg and recvfrom/recvmsg counted apart too: answers per read call is how many queries one
  # wake-up finds waiting, which decides the calls per answer of a server that batches.
  perf stat -x, -e raw_syscalls:sys_enter -e syscalls:sys_enter_recvmmsg \
    -e syscalls:sys_enter_recvmsg -e syscalls:sys_enter_recvfrom \
    -p "$(process_tree "$3")" -o "$out.perf" -- sleep 4 >/dev/null 2>&1 &
  local perf_pid=$!
  load_generator "$2" 3 "$threads" 60 "${pin_client[@]}" >"$out.dnsperf" 2>&1 || true
  wait "$perf_pid" || return 0
  local calls reads answered
  calls=$(awk -F, '/raw_syscalls/ && $1 ~ /^[0-9]+$/ { print $1 }' "$out.perf")
  reads=$(awk -F, '/sys_enter_recv/ && $1 ~ /^[0-9]+$/ { n += $1 } END { print n + 0 }' "$out.perf")
  answered=$(awk '/Queries completed/ { print $3 }' "$out.dnsperf")
  [ -n "$calls" ] && [ "${answered:-0}" -gt 0 ] \
    && SYSCALLS[$1]=$(awk -v c="$calls" -v a="$answered" 'BEGIN { printf "%.2f", c / a }')
  [ "${reads:-0}" -gt 0 ] && [ "${answered:-0}" -gt 0 ] \
    && READS[$1]=$(awk -v r="$reads" -v a="$answered" 'BEGIN { printf "%.1f", a / r }')
  return 0
}

RESULTS=()
RESULTS2=()
RESULTS_DNSPERF=()
# Started, answering from both zones, and warmed by the same number of queries as the others.
ready_server() { # name, port, pid
  local name=$1 port=$2 pid=$3 ms
  ms=$(await_answer "$port" www.shop.example "$pid" 60)
  # BIND answers for a zone as soon as that zone is loaded: wait for the big one too, or the run
  # would count its SERVFAILs (seen in a smoke run on a busy machine).
  await_answer "$port" h49999.big.example "$pid" 120 >/dev/null
  log "bench: $name answers (${ms} ms after start); load average $(load_avg)"
  [ "$WARMUP_PASSES" -gt 0 ] || return 0
  local cores threads pin_client=()
  read -r cores threads <<<"$(client_cores)"
  [ "$cores" = - ] || pin_client=(taskset -c "$cores")
  log "bench: warming up $name with $WARMUP_PASSES passes over the query file (not counted)"
  timeout 600 "${pin_client[@]}" dnsperf -s "$ADDR" -p "$port" -d "$WORK/queries.txt" \
    -n "$WARMUP_PASSES" -c "$CLIENTS" -T "$threads" -q "$OUTSTANDING" -t 2 \
    >"$WORK/dnsperf-warmup-$name.txt" 2>&1 || die "warm-up of $name failed"
}

measure_server() { # name, port, pid, round
  local name=$1 port=$2 pid=$3 round=$4 line load_before load_after split
  load_before=$(load_1m)
  line=$(drive "$name" "$port" "$pid" "$SECONDS_PER_RUN" "$WORK/$LOADGEN-$name-$CORES-$round.txt")
  load_after=$(load_1m)
  # The user and system seconds go last, after the loads, where the tables' older fields do not see them.
  split=$(cut -d' ' -f7- <<<"$line")
  line=$(cut -d' ' -f1-6 <<<"$line")
  log "bench: $name round $round: $(grep -E 'Response codes|Average packet size' "$WORK/$LOADGEN-$name-$CORES-$round.txt" | tr -s ' ' | tr '\n' ';')"
  if [ "$LOADGEN" != "$MAIN_LOADGEN" ]; then
    RESULTS_DNSPERF+=("$name#$round $line $load_before $load_after $split")
  elif [ "$CORES" -eq 1 ]; then
    RESULTS+=("$name#$round $line $load_before $load_after $split")
  else
    RESULTS2+=("$name#$round $line $load_before $load_after $split")
  fi
}

# The three servers side by side on $CORES cores: all started and warmed first, then measured one
# after another, round after round (ours, NSD, BIND, ours, NSD, BIND), so that a noisy moment of
# the shared machine spoils one run of each rather than deciding a ratio; the medians are compared.
bench_all() { # zones list
  local ours nsd bind floor="" round
  # shellcheck disable=SC2046
  ours=$(start_ours "$PORT_OURS" "$1" "$WORK/ours-$CORES.log" $(pin_server))
  STARTED+=("$ours")
  nsd=$(start_nsd); STARTED+=("$nsd")
  bind=$(start_bind); STARTED+=("$bind")
  if [ "$FLOOR" = 1 ] && [ "$CORES" -eq 1 ]; then
    floor=$(start_floor); STARTED+=("$floor")
  fi
  ready_server ours "$PORT_OURS" "$ours"
  log "bench: ours on $CORES core(s): $(grep -o 'serving DNS on .*' "$WORK/ours-$CORES.log")"
  ready_server NSD "$PORT_NSD" "$nsd"
  ready_server BIND "$PORT_BIND" "$bind"
  [ -z "$floor" ] || ready_server floor "$PORT_FLOOR" "$floor"
  for round in $(seq 1 "$ROUNDS"); do
    measure_server ours "$PORT_OURS" "$ours" "$round"
    measure_server NSD "$PORT_NSD" "$nsd" "$round"
    measure_server BIND "$PORT_BIND" "$bind" "$round"
    [ -z "$floor" ] || measure_server floor "$PORT_FLOOR" "$floor" "$round"
  done
  if [ "$CORES" -eq 1 ]; then
    count_syscalls ours "$PORT_OURS" "$ours"
    count_syscalls NSD "$PORT_NSD" "$nsd"
    count_syscalls BIND "$PORT_BIND" "$bind"
    [ -z "$floor" ] || count_syscalls floor "$PORT_FLOOR" "$floor"
  fi
  # dnsperf beside the capacity generator: one round each at dnsperf's own pace (see the header).
  if [ "$CORES" -eq 1 ] && [ "$LOADGEN" != dnsperf ] && [ "$DNSPERF_CHECK" = 1 ]; then
    LOADGEN=dnsperf
    measure_server ours "$PORT_OURS" "$ours" 1
    measure_server NSD "$PORT_NSD" "$nsd" 1
    measure_server BIND "$PORT_BIND" "$bind" 1
    [ -z "$floor" ] || measure_server floor "$PORT_FLOOR" "$floor" 1
    LOADGEN=$MAIN_LOADGEN
  fi
  stop "$ours"
  stop "$nsd"
  stop "$bind"
  [ -z "$floor" ] || stop "$floor"
}

# us_per_answer NAME user|system RESULT...: the median over NAME's rounds of its user or system CPU
# per answer, in microseconds with two decimals.
us_per_answer() {
  local name=$1 which=$2 r n qps lat lost sent cpu ccpu lb la usr sys values=()
  shift 2
  for r in "$@"; do
    read -r n qps lat lost sent cpu ccpu lb la usr sys <<<"$r"
    [ "${n%#*}" = "$name" ] || continue
    [ "$which" = user ] || usr=$sys
    # In nanoseconds, since median rounds to whole numbers.
    values+=("$(awk -v c="$usr" -v a=$((sent - lost)) 'BEGIN { printf "%.0f", (a > 0 ? c * 1e9 / a : 0) }')")
  done
  printf '%s\n' "${values[@]}" | median | awk '{ printf "%.2f", $1 / 1000 }'
}

# median_of NAME FIELD RESULT...: the median over NAME's rounds of a figure: qps (field 2) or
# answers per CPU second ("cpu").
median_of() {
  local name=$1 what=$2 r n qps lat lost sent cpu rest values=()
  shift 2
  for r in "$@"; do
    read -r n qps lat lost sent cpu rest <<<"$r"
    [ "${n%#*}" = "$name" ] || continue
    if [ "$what" = cpu ]; then values+=("$(per_cpu "$sent" "$lost" "$cpu")"); else values+=("$qps"); fi
  done
  printf '%s\n' "${values[@]}" | median
}

# One table of results: name qps latency lost sent cpu load-before load-after per line.
table() {
  printf '| %-7s | %13s | %10s | %12s | %12s | %10s | %8s | %12s | %13s |' \
    server "queries/CPU s" QPS "avg latency" lost sent "CPU s" "client CPU" "load 1m b/a"
  printf ' %17s |\n' "us user + system"
  printf '|%s|\n' "---------|---------------|------------|--------------|--------------|------------|----------|--------------|---------------|-------------------"
  local r name qps lat lost sent cpu ccpu lb la usr sys
  for r in "$@"; do
    read -r name qps lat lost sent cpu ccpu lb la usr sys <<<"$r"
    printf '| %-7s | %13.0f | %10.0f | %9.3f ms | %12s | %10s | %8.2f | %10.0f %% | %13s |' \
      "$name" "$(per_cpu "$sent" "$lost" "$cpu")" "$qps" "$lat" "$lost" "$sent" "$cpu" \
      "$(awk -v c="$ccpu" -v s="$SECONDS_PER_RUN" 'BEGIN { print 100 * c / s }')" "$lb / $la"
    awk -v u="${usr:-0}" -v s="${sys:-0}" -v a=$((sent - lost)) \
      'BEGIN { printf " %17s |\n", (a > 0 ? sprintf("%.2f + %.2f", u * 1e6 / a, s * 1e6 / a) : "-") }'
  done
}

# The line under a table that the ratios come from: each server's median over its rounds.
medians() {
  local name line="median of $ROUNDS round(s), queries/CPU s and QPS:"
  for name in ours NSD BIND $(printf '%s\n' "$@" | grep -q '^floor#' && echo floor); do
    line+=" $name $(median_of "$name" cpu "$@") / $(median_of "$name" qps "$@");"
  done
  echo "${line%;}"
}

# A note under a table when dnsperf had (nearly) all its CPU: QPS then shows the client's limit
# as much as the server's, and queries per CPU second are the figures to compare.
client_bound_note() { # generator, result...
  local generator=$1 r name qps lat lost sent cpu ccpu rest threads
  shift
  read -r _ threads <<<"$(client_cores)"
  [ "$generator" = dnsperf ] || threads=1
  for r in "$@"; do
    read -r name qps lat lost sent cpu ccpu rest <<<"$r"
    if awk -v c="$ccpu" -v s="$SECONDS_PER_RUN" -v t="$threads" 'BEGIN { exit !(c >= 0.9 * s * t) }'; then
      echo "note: $generator used $(awk -v c="$ccpu" -v s="$SECONDS_PER_RUN" 'BEGIN { printf "%.0f", 100 * c / s }') % of CPU against $name ($threads thread(s)): the load generator was (near) its ceiling there; compare queries per CPU second"
    fi
  done
}

per_cpu() { awk -v s="$1" -v l="$2" -v c="$3" 'BEGIN { printf "%.0f", (c > 0 ? (s - l) / c : 0) }'; }

# ---------------------------------------------------------------------------------------------
# A/B of two builds (or flags) of our server, BENCH_AB_JAR set: both up at once on core 0, same
# zones, warmed alike, then measured in pairs in ABBA order (A B, B A, A B, ...), each run a fixed
# count of answers (BENCH_AB_QUERIES, whole passes over the query file) by dnsperf on core 1, the
# CPU time of each server from /proc/PID/stat over exactly its run. A fixed count rather than a
# time: on a shared machine QPS moves with the neighbours, CPU per answer much less. Prints every
# run (user and system split by the kernel's tick sampling, so only their sum is exact), then the
# means and in how many pairs B took less CPU per answer than A.
# ---------------------------------------------------------------------------------------------
ab_run() { # name, port, pid, passes -> "us-per-answer user-us system-us answers qps"
  local run_out="$WORK/ab-$1.txt" before after
  before=$(awk '{ sub(/^.*\) /, ""); split($0, f, " "); print f[12], f[13] }' /proc/"$3"/stat)
  timeout 600 taskset -c 1 dnsperf -s "$ADDR" -p "$2" -d "$WORK/queries.txt" -n "$4" \
    -c "$CLIENTS" -q "$OUTSTANDING" -t 2 >"$run_out" 2>&1 || die "dnsperf against $1 failed"
  after=$(awk '{ sub(/^.*\) /, ""); split($0, f, " "); print f[12], f[13] }' /proc/"$3"/stat)
  awk -v b="$before" -v a="$after" -v t="$TICK" \
    -v n="$(awk '/Queries completed/ { print $3 }' "$run_out")" \
    -v q="$(awk '/Queries per second/ { print $4 }' "$run_out")" 'BEGIN {
      split(b, x, " "); split(a, y, " "); u = (y[1] - x[1]) / t * 1e6 / n; s = (y[2] - x[2]) / t * 1e6 / n
      printf "%.3f %.3f %.3f %d %.0f", u + s, u, s, n, q }'
}

ab_main() {
  [ "$(nproc)" -ge 2 ] || die "the A/B needs two cores (servers on core 0, dnsperf on core 1)"
  local pairs=${BENCH_AB_PAIRS:-4} passes=$(((${BENCH_AB_QUERIES:-600000} + 49999) / 50000))
  local zones="shop.example.=$WORK/shop.example.zone,big.example.=$WORK/big.example.zone"
  local a b p first second line name
  cp "$BENCH_AB_JAR" "$WORK/b.jar"
  OURS_JAR=$WORK/dns-authoritative-exec.jar
  a=$(start_ours "$PORT_OURS" "$zones" "$WORK/ab-a.log" taskset -c 0); STARTED+=("$a")
  OURS_JAR=$WORK/b.jar OURS_JAVA_OPTS="${BENCH_AB_JAVA_OPTS:-${BENCH_JAVA_OPTS:-}}"
  b=$(start_ours "$PORT_NSD" "$zones" "$WORK/ab-b.log" taskset -c 0); STARTED+=("$b")
  ready_server A "$PORT_OURS" "$a"
  ready_server B "$PORT_NSD" "$b"
  declare -A ab_pid=([A]=$a [B]=$b) ab_port=([A]=$PORT_OURS [B]=$PORT_NSD)
  local results=()
  for p in $(seq 1 "$pairs"); do
    if [ $((p % 2)) -eq 1 ]; then first=A second=B; else first=B second=A; fi
    for name in $first $second; do
      line=$(ab_run "$name" "${ab_port[$name]}" "${ab_pid[$name]}" "$passes")
      results+=("$p $name $line")
      log "bench: A/B pair $p $name: $line (us per answer, user, system, answers, QPS); load $(load_1m)"
    done
  done
  echo "A/B: A ${BENCH_JAR:-this tree (target jar)}${BENCH_JAVA_OPTS:+ $BENCH_JAVA_OPTS}," \
    "B $BENCH_AB_JAR${OURS_JAVA_OPTS:+ $OURS_JAVA_OPTS}; $pairs pairs in ABBA order," \
    "$((passes * 50000)) answers per run, servers on core 0, dnsperf on core 1; machine $(machine), load $(load_avg)"
  echo "| pair | build | us CPU per answer | user | system | answers | QPS |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${results[@]}" | awk '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7 }'
  printf '%s\n' "${results[@]}" | awk '
    { cpu[$1, $2] = $3; sum[$2] += $3; n[$2]++ }
    END {
      for (p = 1; (p, "A") in cpu; p++) if (cpu[p, "B"] < cpu[p, "A"]) better++
      printf "A/B: mean us CPU per answer A %.3f, B %.3f (B/A %.3f); B took less in %d of %d pairs\n",
        sum["A"] / n["A"], sum["B"] / n["B"], (sum["B"] / n["B"]) / (sum["A"] / n["A"]), better, p - 1 }'
}

# ---------------------------------------------------------------------------------------------
# BENCH_NETNS=1: this script once more inside a fresh network namespace with only its loopback up,
# after everything is installed (the namespace reaches no registry) and our jar is copied. The
# namespace goes at exit, failure included. Figures there leave out the host's netfilter hooks
# (Docker's rules pull in connection tracking for every loopback datagram); information only.
NETNS=shopbench
in_netns() {
  ! ip netns list | grep -qw "$NETNS" || die "network namespace $NETNS exists: another bench runs, or remove it"
  make_work dns-netns
  BENCH_JAR=$(private_jar dns-authoritative)
  delete_netns() { ip netns delete "$NETNS" 2>/dev/null; }
  AT_EXIT+=(delete_netns)
  ip netns add "$NETNS" || die "cannot create network namespace $NETNS"
  ip netns exec "$NETNS" ip link set lo up
  log "bench: inside network namespace $NETNS ($(ip netns exec "$NETNS" iptables -S 2>/dev/null | grep -c . || true) iptables lines there)"
  BENCH_JAR=$BENCH_JAR BENCH_IN_NETNS=1 ip netns exec "$NETNS" bash "$0" "$@"
}

main() {
  install_missing --stop "nsd named" nsd:nsd named:bind9 dnsperf:dnsperf taskset:util-linux perf:linux-perf \
    dig:bind9-dnsutils java:openjdk-17-jdk-headless jcmd:openjdk-17-jdk-headless gcc:gcc
  if [ "${BENCH_NETNS:-0}" = 1 ] && [ -z "${BENCH_IN_NETNS:-}" ]; then
    in_netns "$@"
    return
  fi
  [ ${#PIN_SERVER[@]} -gt 0 ] || log "bench: fewer than 2 cores: no pinning"
  ports_free "$PORT_OURS" "$PORT_NSD" "$PORT_BIND" "$PORT_LOAD"
  make_work dns
  private_jar dns-authoritative >/dev/null
  case $LOADGEN in
    dnsperf) ;;
    udp-query-load)
      build_tool load/udp-query-load.c
      log "bench: load generator udp-query-load (batches of 32; warm-ups by dnsperf)"
      ;;
    *) die "BENCH_LOADGEN is dnsperf or udp-query-load, not $LOADGEN" ;;
  esac

  log "bench: generating zones and queries in $WORK"
  shop_zone >"$WORK/shop.example.zone"
  big_zone >"$WORK/big.example.zone"
  million_zone >"$WORK/million.example.zone"
  queries >"$WORK/queries.txt"
  named-checkzone -q shop.example "$WORK/shop.example.zone" || die "shop zone does not check"
  named-checkzone -q big.example "$WORK/big.example.zone" || die "big zone does not check"
  log "bench: $(($(grep -cv '^[;$]' "$WORK/shop.example.zone"))) lines in shop.example., $(($(grep -cv '^[;$]' "$WORK/big.example.zone"))) in big.example."

  if [ -n "${BENCH_AB_JAR:-}" ]; then
    CORES=1
    ab_main
    return
  fi
  local zones="shop.example.=$WORK/shop.example.zone,big.example.=$WORK/big.example.zone" pid
  CORES=1
  bench_all "$zones"
  if [ "${BENCH_ONE_CORE_ONLY:-0}" = 1 ]; then
    report_one_core
    return
  fi
  if [ "$(nproc)" -ge 2 ]; then
    CORES=2
    bench_all "$zones"
    CORES=1
  fi

  # Zone load: 1,000,000 A records, our server unpinned with its default JVM settings.
  log "bench: loading a 1,000,000-record zone into our server"
  pid=$(start_ours "$PORT_LOAD" "million.example.=$WORK/million.example.zone" "$WORK/ours-million.log")
  STARTED+=("$pid")
  local load_ms heap_live heap_info rss
  load_ms=$(await_answer "$PORT_LOAD" n999999.million.example "$pid" 120)
  local load_cpu
  load_cpu=$(cpu_seconds "$pid")
  dig +short @"$ADDR" -p "$PORT_LOAD" n999999.million.example A | grep -qx '10.15.66.63' \
    || die "wrong answer for n999999.million.example"
  # A full GC first, so "used" is the live zone data and not garbage left by the parser.
  jcmd "$pid" GC.run >/dev/null
  heap_info=$(jcmd "$pid" GC.heap_info)
  heap_live=$(jcmd "$pid" GC.class_histogram | awk '/^Total/ { print $3 }')
  rss=$(awk '/VmRSS/ { print $2 }' /proc/"$pid"/status)
  # The whole zone by AXFR, as a secondary takes it: streamed, so the heap stays the zone's.
  local xfr_start xfr_ms xfr_records xfr_heap
  xfr_start=$(date +%s%N)
  xfr_records=$(timeout 300 dig +noall +stats @"$ADDR" -p "$PORT_LOAD" AXFR million.example \
    | sed -n 's/^;; XFR size: \([0-9]*\) records.*/\1/p')
  xfr_ms=$((($(date +%s%N) - xfr_start) / 1000000))
  [ "${xfr_records:-0}" -eq 1000004 ] || die "AXFR of million.example gave ${xfr_records:-no} records, not 1000004"
  xfr_heap=$(jcmd "$pid" GC.heap_info | awk '/garbage-first heap|total/ { print; exit }')
  stop "$pid"

  # -------------------------------------------------------------------------------------------
  report_head
  if [ ${#RESULTS2[@]} -gt 0 ]; then
    echo
    CORES=2
    echo "two cores each (server on cores 0-1: NSD server-count 2, BIND -n 2, ours 2 UDP sockets; $LOADGEN on core(s) $(client_cores | cut -d' ' -f1), '-' = unpinned, sharing the servers' cores):"
    table "${RESULTS2[@]}"
    medians "${RESULTS2[@]}"
    client_bound_note "$LOADGEN" "${RESULTS2[@]}"
    CORES=1
  fi
  echo
  echo "zone load: 1,000,000 A records answered ${load_ms} ms after the JVM started (${load_cpu} CPU s);" \
    "live heap after full GC $(awk -v b="$heap_live" 'BEGIN { printf "%.0f MiB", b / 1048576 }')," \
    "RSS $(awk -v k="$rss" 'BEGIN { printf "%.0f MiB", k / 1024 }')"
  echo "$heap_info" | sed -n '2,$p' | sed 's/^/  heap_info: /' | head -n 4
  echo "AXFR by dig: ${xfr_records} records in ${xfr_ms} ms; heap after it: ${xfr_heap}"
  report_tail
}

# The report's first part: the machine, the workload, the one-core table.
report_head() {
  echo "machine: $(machine), load average now $(load_avg)${BENCH_IN_NETNS:+; inside network namespace $NETNS}"
  if [ "$LOADGEN" = dnsperf ]; then
    echo "dnsperf -c $CLIENTS -q $OUTSTANDING -t 2 (-T one thread per client core) -l $SECONDS_PER_RUN, $(wc -l <"$WORK/queries.txt") queries in the mix; every server warmed by $((WARMUP_PASSES * $(wc -l <"$WORK/queries.txt"))) queries, then $ROUNDS interleaved round(s)"
  else
    echo "udp-query-load, $CLIENTS sockets, $OUTSTANDING in flight, batches of 32, timeout 2 s, $SECONDS_PER_RUN s, $(wc -l <"$WORK/queries.txt") queries in the mix; every server warmed by $((WARMUP_PASSES * $(wc -l <"$WORK/queries.txt"))) queries (dnsperf), then $ROUNDS interleaved round(s)"
  fi
  echo
  echo "one core each (server on core 0, $LOADGEN on core(s) $(client_cores | cut -d' ' -f1)$([ "$LOADGEN" = dnsperf ] && echo " with -T $(client_cores | cut -d' ' -f2)")):"
  table "${RESULTS[@]}"
  medians "${RESULTS[@]}"
  client_bound_note "$LOADGEN" "${RESULTS[@]}"
  [ ${#RESULTS_DNSPERF[@]} -gt 0 ] || return 0
  echo
  echo "one core each, driven by dnsperf instead (one run each, same pinning): dnsperf paces itself and" \
    "its QPS is its own where it used ~100 % of its core; queries per CPU second are then each server's cost at that pace:"
  table "${RESULTS_DNSPERF[@]}"
  client_bound_note dnsperf "${RESULTS_DNSPERF[@]}"
  local ours
  ours=$(median_of ours cpu "${RESULTS_DNSPERF[@]}")
  echo "per CPU second under dnsperf: ours/BIND = $(ratio "$ours" "$(median_of BIND cpu "${RESULTS_DNSPERF[@]}")")," \
    "ours/NSD = $(ratio "$ours" "$(median_of NSD cpu "${RESULTS_DNSPERF[@]}")")"
}

# The report's last lines: system calls, the floor's figures if it ran, the ratios (the last line).
report_tail() {
  local name extra=""
  declare -A Q P
  [ "$FLOOR" != 1 ] || extra=floor
  for name in ours NSD BIND $extra; do
    Q[$name]=$(median_of "$name" qps "${RESULTS[@]}")
    P[$name]=$(median_of "$name" cpu "${RESULTS[@]}")
  done
  echo
  echo "system calls per answer (one core, perf stat raw_syscalls over a separate 3 s run):" \
    "ours ${SYSCALLS[ours]:-n/a}, NSD ${SYSCALLS[NSD]:-n/a}, BIND ${SYSCALLS[BIND]:-n/a}${extra:+, floor ${SYSCALLS[floor]:-n/a}};" \
    "answers per read call (recvmmsg, recvmsg, recvfrom): ours ${READS[ours]:-n/a}," \
    "NSD ${READS[NSD]:-n/a}, BIND ${READS[BIND]:-n/a}${extra:+, floor ${READS[floor]:-n/a}}"
  if [ -n "$extra" ]; then
    local line="us of CPU per answer, user + system (one core, medians):"
    for name in floor ours NSD BIND; do
      line+=" $name $(us_per_answer "$name" user "${RESULTS[@]}") + $(us_per_answer "$name" system "${RESULTS[@]}");"
    done
    echo "${line%;}"
    echo "floor per CPU second (one core, medians): floor/BIND = $(ratio "${P[floor]}" "${P[BIND]}")," \
      "floor/NSD = $(ratio "${P[floor]}" "${P[NSD]}"), ours/floor = $(ratio "${P[ours]}" "${P[floor]}")"
  fi
  echo "per CPU second (one core, medians): ours/BIND = $(ratio "${P[ours]}" "${P[BIND]}"), ours/NSD = $(ratio "${P[ours]}" "${P[NSD]}")"
  echo "ratio: ours/BIND = $(ratio "${Q[ours]}" "${Q[BIND]}"), ours/NSD = $(ratio "${Q[ours]}" "${Q[NSD]}")"
}

report_one_core() {
  report_head
  report_tail
}

main "$@"

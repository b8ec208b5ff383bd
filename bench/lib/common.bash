# shellcheck shell=bash
# Mechanics shared by the benchmark scripts: sourced, never run. Each script keeps its own
# peer, workload and figures; what is here is what every benchmark needs the same way:
# installing tools, a work directory, a private copy of our jar, core pinning, free ports,
# processes that are always stopped, bounded waits, CPU seconds, load and the ratio line.
#
#   . "$(dirname "$0")/lib/common.bash"
#
# Sourcing it sets `set -euo pipefail`, SECONDS_PER_RUN, WARMUP, ADDR, REPO (the project root),
# TICK, PIN_SERVER/PIN_CLIENT and the EXIT/INT/TERM traps; it reads BENCH_SECONDS,
# BENCH_WARMUP_SECONDS, BENCH_WORK, BENCH_KEEP and BENCH_JAR from the environment.
set -euo pipefail

# What every benchmark takes from the environment: seconds per measured run, and seconds of
# load before it that are not counted (our JVM's JIT warm-up). Loopback only: ADDR.
# shellcheck disable=SC2034 # all three are used by the scripts that source this file
{
  SECONDS_PER_RUN=${BENCH_SECONDS:-30}
  WARMUP=${BENCH_WARMUP_SECONDS:-10}
  ADDR=127.0.0.1
}

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TICK=$(getconf CLK_TCK)

# Messages go to stderr: stdout is the report, and its last line is the ratio.
log() { printf '%s\n' "$*" >&2; }
die() {
  log "bench: $*"
  exit 1
}

# ---------------------------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------------------------

# install_missing [--stop "daemon..."] command:package...
# Installs the Debian packages whose command is missing. apt runs under the machine-wide lock
# because other engineers install at the same time; Debian starts packaged daemons on their
# default ports, which the benchmarks do not use, so --stop names those to stop again.
install_missing() {
  local daemons="" need=() cmd_pkg
  if [ "${1:-}" = --stop ]; then
    daemons=$2
    shift 2
  fi
  for cmd_pkg in "$@"; do
    command -v "${cmd_pkg%%:*}" >/dev/null 2>&1 || need+=("${cmd_pkg#*:}")
  done
  [ ${#need[@]} -eq 0 ] && return
  [ "$(id -u)" -eq 0 ] || die "missing ${need[*]}: run as root so they can be installed"
  log "bench: installing ${need[*]}"
  flock /tmp/shop-apt.lock apt-get update -qq
  DEBIAN_FRONTEND=noninteractive flock /tmp/shop-apt.lock apt-get install -y -qq "${need[@]}" >/dev/null
  if [ -n "$daemons" ]; then
    # shellcheck disable=SC2086
    systemctl stop $daemons 2>/dev/null || true
  fi
}

# ---------------------------------------------------------------------------------------------
# Work directory, our jar
# ---------------------------------------------------------------------------------------------

# make_work NAME: sets WORK to BENCH_WORK (kept) or to a fresh /tmp/bench-NAME.XXXXXX that the
# exit trap removes unless BENCH_KEEP=1. World-readable: nginx's and PostgreSQL's unprivileged
# users read and write below it.
make_work() {
  if [ -n "${BENCH_WORK:-}" ]; then
    WORK=$BENCH_WORK
    mkdir -p "$WORK"
  else
    WORK=$(mktemp -d "/tmp/bench-$1.XXXXXX")
  fi
  chmod 755 "$WORK"
}

# private_jar MODULE: copies BENCH_JAR (default MODULE/target/MODULE-exec.jar, built if missing)
# to $WORK/MODULE-exec.jar and prints that path. A private copy, because a rebuild of the module
# during the run must not change the server under test.
private_jar() {
  local module=$1 jar=${BENCH_JAR:-$REPO/$1/target/$1-exec.jar}
  if [ ! -f "$jar" ]; then
    log "bench: building $jar"
    # -am: sibling modules come from this tree, never from ~/.m2 (and nothing is installed
    # there); -o: a build must not hang on a download in the middle of a benchmark.
    (cd "$REPO" && ./mvnw -q -o -pl "$module" -am package -DskipTests >&2) || die "build of $module failed"
  fi
  cp "$jar" "$WORK/$module-exec.jar"
  echo "$WORK/$module-exec.jar"
}

# ---------------------------------------------------------------------------------------------
# Cores and ports
# ---------------------------------------------------------------------------------------------

# Servers on core 0, load generators on core 1, so that the two do not take turns on one core;
# without a second core there is nothing to separate and the arrays stay empty.
PIN_SERVER=()
PIN_CLIENT=()
# shellcheck disable=SC2034 # used by the scripts that source this file
if [ "$(nproc)" -ge 2 ]; then
  PIN_SERVER=(taskset -c 0)
  PIN_CLIENT=(taskset -c 1)
fi

# ports_free PORT...: dies if anything listens on one of them (TCP or UDP, any address).
# Other engineers' servers may sit there: a clash would measure them, not us.
ports_free() {
  local port
  for port in "$@"; do
    if ss -Hlntu "sport = :$port" | grep -q .; then
      die "port $port is taken${PORT_HINT:+ ($PORT_HINT)}"
    fi
  done
}

# ---------------------------------------------------------------------------------------------
# Processes: everything in STARTED is stopped on exit, failure and Ctrl-C included
# ---------------------------------------------------------------------------------------------
STARTED=()
# Functions run at exit after the processes are stopped and before WORK goes (PostgreSQL).
AT_EXIT=()

# stop PID: asks, waits up to 10 s, then kills.
stop() {
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$1" 2>/dev/null || true
}

bench_cleanup() {
  local pid hook
  for pid in "${STARTED[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${STARTED[@]}"; do
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
  done
  for hook in "${AT_EXIT[@]}"; do "$hook" || true; done
  if [ -n "${WORK:-}" ] && [ "${BENCH_KEEP:-0}" != 1 ] && [ -z "${BENCH_WORK:-}" ]; then
    rm -rf "$WORK"
  fi
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

# await LIMIT_S PID WHAT COMMAND...: runs COMMAND every 0.1 s until it succeeds and prints the
# milliseconds that took; dies when PID (0: none) exits first or after LIMIT_S seconds.
await() {
  local limit=$1 pid=$2 what=$3 start
  shift 3
  start=$(date +%s%N)
  until "$@" >/dev/null 2>&1; do
    [ "$pid" = 0 ] || kill -0 "$pid" 2>/dev/null || die "process $pid exited before $what"
    [ $((($(date +%s%N) - start) / 1000000000)) -lt "$limit" ] || die "no $what within ${limit}s"
    sleep 0.1
  done
  echo $((($(date +%s%N) - start) / 1000000))
}

# http_ok URL: a 2xx answer.
http_ok() { curl -fs -o /dev/null "$1"; }

# dns_ok ADDR PORT NAME: a NOERROR answer for NAME A.
dns_ok() { dig +tries=1 +time=1 @"$1" -p "$2" "$3" A 2>/dev/null | grep -q 'status: NOERROR'; }

# tcp_listens ADDR PORT: something accepts connections there.
tcp_listens() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------

# cpu_ticks PID: utime+stime clock ticks of a process (all threads) and all its descendants
# (NSD, nginx and HAProxy fork workers).
cpu_ticks() {
  local pids=("$1") queue=("$1") p k stat f total=0
  while [ ${#queue[@]} -gt 0 ]; do
    p=${queue[0]}
    queue=("${queue[@]:1}")
    for k in $(ps -o pid= --ppid "$p" 2>/dev/null || true); do
      pids+=("$k")
      queue+=("$k")
    done
  done
  for p in "${pids[@]}"; do
    stat=$(cat /proc/"$p"/stat 2>/dev/null) || continue
    # Fields after the ")" of the comm (which may hold spaces): utime is the 12th, stime 13th.
    read -r -a f <<<"${stat##*) }"
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}

# thread_ticks PID REGEX: utime+stime clock ticks of the threads of one process whose name
# (/proc/PID/task/T/comm, which may hold spaces) matches the extended REGEX: how much of a JVM's
# CPU its event loops, its JIT compilers or its collector took.
thread_ticks() {
  local t name stat f total=0
  for t in /proc/"$1"/task/*; do
    name=$(cat "$t/comm" 2>/dev/null) || continue
    [[ $name =~ $2 ]] || continue
    stat=$(cat "$t/stat" 2>/dev/null) || continue
    read -r -a f <<<"${stat##*) }"
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}

# median: the median of the numbers on standard input, one per line (of an even count, the mean of
# the middle two), rounded to a whole number: benches that measure in interleaved rounds compare it.
median() {
  sort -g | awk '{ v[NR] = $1 } END { printf "%.0f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# jit_quiet LIMIT PID...: waits until the C1/C2 compiler threads of every given JVM used no CPU
# tick for a whole second, at most LIMIT seconds, and prints the seconds waited: a measured run then
# sees the servers as they run once warm, not their compile backlog. A process without JIT threads
# (a peer) is quiet after the first second.
jit_quiet() {
  local limit=$1 waited=0 before after
  shift
  before=$(jit_ticks_of "$@")
  while [ "$waited" -lt "$limit" ]; do
    sleep 1
    waited=$((waited + 1))
    after=$(jit_ticks_of "$@")
    [ "$after" != "$before" ] || break
    before=$after
  done
  echo "$waited"
}

# jit_ticks_of PID...: the clock ticks each process's C1/C2 compiler threads used so far, one
# figure per process, space-separated.
jit_ticks_of() {
  local pid out=()
  for pid in "$@"; do out+=("$(thread_ticks "$pid" '^C[12] Compiler')"); done
  echo "${out[*]}"
}

# cpu_seconds PID: the same in seconds, two decimals.
cpu_seconds() { awk -v t="$(cpu_ticks "$1")" -v k="$TICK" 'BEGIN { printf "%.2f", t / k }'; }

# Load averages, printed next to the figures so that a disturbed run can be recognised.
load_1m() { cut -d' ' -f1 /proc/loadavg; }
load_avg() { cut -d' ' -f1-3 /proc/loadavg; }
machine() { echo "$(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"; }

# ratio A B: A/B with two decimals, 0.00 when B is 0 (a peer that served nothing).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# dnsperf_summary FILE: "qps avg_latency_ms lost sent" from dnsperf's report.
dnsperf_summary() {
  awk '/Queries sent:/ { sent = $3 } /Queries lost:/ { lost = $3 }
       /Queries per second:/ { qps = $4 } /Average Latency/ { lat = $4 * 1000 }
       END { printf "%s %.3f %s %s\n", qps, lat, lost, sent }' "$1"
}

# nsd_conf ADDR PORT ZONE...: an NSD configuration in the foreground, in $WORK, without the
# per-/24 rate limit Debian's NSD sets by default (200 QPS: the benchmark is one client). The
# zone files are $WORK/ZONE.zone, ZONE without its final dot.
nsd_conf() {
  local addr=$1 port=$2 zone
  shift 2
  cat <<EOF
server:
  ip-address: $addr@$port
  server-count: 1
  username: ""
  chroot: ""
  zonesdir: "$WORK"
  database: ""
  zonelistfile: "$WORK/nsd-zone.list"
  xfrdfile: "$WORK/nsd-xfrd.state"
  xfrdir: "$WORK"
  pidfile: "$WORK/nsd.pid"
  logfile: "$WORK/nsd.log"
  verbosity: 1
  rrl-ratelimit: 0
  rrl-whitelist-ratelimit: 0
remote-control:
  control-enable: no
EOF
  for zone in "$@"; do
    printf 'zone:\n  name: %s.\n  zonefile: %s.zone\n' "$zone" "$zone"
  done
}

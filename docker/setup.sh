#!/usr/bin/env bash
# Makes a Debian 12 machine ready for the stack; `./shop demo` and `./shop test` run it first.
# Idempotent, and quick when everything is there (a few checks, well under a second):
#   - the packages the build, the demo and the tests use (JDK 17, Maven, Docker engine, compose,
#     mmdebstrap for base images, dig and curl that the tests use as independent clients,
#     unbound, the independent resolver the DNS interoperability test iterates with, NSD, the
#     independent authoritative server the resolver's DNAME test asks, tcpdump, with which the
#     resolver's tests capture what it sends, strace, with which tests count a server's system
#     calls, kdig, the second client that counts a streamed zone transfer, HAProxy, which reads
#     the SLB's PROXY headers, chromium, which renders the client's journey page, and
#     PostgreSQL, which the order service's tests run without Docker);
#   - a running Docker engine (started here if none answers; its pid goes to
#     /run/shop-stack-dockerd.pid so whoever started it can stop it);
#   - the base images (docker/base-images.sh).
# Options: --quiet (say only what is being done), --no-docker (the JDK and Maven only: the
# embedded local topology). Installing needs root; as another user it says what is missing.
set -euo pipefail
cd "$(dirname "$0")"

quiet=false
docker_too=true
for arg in "$@"; do
  case "$arg" in
    --quiet) quiet=true ;;
    --no-docker) docker_too=false ;;
    *) echo "setup: unknown option $arg" >&2; exit 2 ;;
  esac
done

wanted=(javac:openjdk-17-jdk-headless mvn:maven ip:iproute2)
if $docker_too; then
  wanted+=(dockerd:docker.io docker-compose:docker-compose mmdebstrap:mmdebstrap
           dig:bind9-dnsutils curl:curl unbound:unbound nsd:nsd tcpdump:tcpdump pg_ctlcluster:postgresql
           # strace: tests count the system calls our servers make (the SLB's per connection).
           strace:strace
           # HAProxy, with accept-proxy, judges the PROXY headers the SLB sends.
           haproxy:haproxy
           # kdig (Knot's client), beside dig, counts every record of a streamed AXFR.
           kdig:knot-dnsutils
           # Headless chromium renders the client's journey page in its tests.
           chromium:chromium
           # The S3 clients users have, run by the object-store's tests: Debian's own, found by
           # path (a pip-installed aws elsewhere on the PATH is not the one they judge us by).
           /usr/bin/aws:awscli /usr/bin/s3cmd:s3cmd /usr/lib/python3/dist-packages/boto3:python3-boto3)
fi
need=()
for cmd_pkg in "${wanted[@]}"; do
  what=${cmd_pkg%%:*}
  if [[ $what == /* ]]; then
    [ -e "$what" ] || need+=("${cmd_pkg#*:}")
  else
    command -v "$what" >/dev/null 2>&1 || need+=("${cmd_pkg#*:}")
  fi
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: missing ${need[*]}; run this once as root (or: apt-get install ${need[*]})" >&2
    exit 1
  fi
  echo "setup: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  # unbound, NSD, HAProxy and PostgreSQL are test peers here (the tests start their own
  # instances), not services of the machine.
  for service in unbound nsd haproxy postgresql; do
    if [[ " ${need[*]} " == *" $service "* ]] && command -v systemctl >/dev/null 2>&1; then
      systemctl disable --now "$service" >/dev/null 2>&1 || true
    fi
  done
fi
$docker_too || exit 0

if ! docker info >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: no Docker engine answers; start one (as root: docker/setup.sh)" >&2
    exit 1
  fi
  echo "setup: starting dockerd"
  setsid dockerd >/var/log/shop-stack-dockerd.log 2>&1 < /dev/null &
  echo $! > /run/shop-stack-dockerd.pid
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    echo "setup: dockerd did not come up; its log:" >&2
    tail -n 30 /var/log/shop-stack-dockerd.log >&2
    exit 1
  fi
fi

if $quiet; then
  ./base-images.sh --quiet
else
  ./base-images.sh
fi

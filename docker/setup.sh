#!/usr/bin/env bash
# One-time setup of a Debian 12 machine for the stack (run as root):
#   - the packages the build, the demo and the tests use (Maven, Docker engine, compose,
#     mmdebstrap for base images, dig and curl that the tests use as independent clients,
#     unbound, the independent resolver the DNS interoperability test iterates with);
#   - a running Docker engine (started here if none answers; its pid goes to
#     /run/shop-stack-dockerd.pid so whoever started it can stop it);
#   - the base images (docker/base-images.sh).
set -euo pipefail
cd "$(dirname "$0")"

need=()
for cmd_pkg in javac:openjdk-17-jdk-headless mvn:maven dockerd:docker.io docker-compose:docker-compose mmdebstrap:mmdebstrap \
               dig:bind9-dnsutils curl:curl unbound:unbound; do
  command -v "${cmd_pkg%%:*}" >/dev/null 2>&1 || need+=("${cmd_pkg#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  # unbound is a test client here (it iterates from our root), not the machine's resolver.
  if [[ " ${need[*]} " == *" unbound "* ]] && command -v systemctl >/dev/null 2>&1; then
    systemctl disable --now unbound >/dev/null 2>&1 || true
  fi
fi

if ! docker info >/dev/null 2>&1; then
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

./base-images.sh

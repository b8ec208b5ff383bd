#!/usr/bin/env bash
# Makes sure the two base images every service image is built FROM exist locally:
#   shop/jre:17       a Java 17 runtime with bash (healthchecks use bash's /dev/tcp)
#   shop/postgres:15  PostgreSQL honouring POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB
# Where a registry answers, the official images are used and re-tagged; where none does
# (the usual case on the project's build machines), both are built from Debian packages
# with mmdebstrap. Idempotent: existing images are kept unless --rebuild is given.
set -euo pipefail
cd "$(dirname "$0")"

rebuild=false
quiet=false
for arg in "$@"; do
  case "$arg" in
    --rebuild) rebuild=true ;;
    --quiet) quiet=true ;;
    *) echo "base-images: unknown option $arg" >&2; exit 2 ;;
  esac
done
work=${BASE_IMAGE_WORKDIR:-/var/tmp/shop-base-images}
mkdir -p "$work"

have() { docker image inspect "$1" >/dev/null 2>&1; }

try_pull() { # image: succeeds only if a registry answers quickly
  timeout 60 docker pull -q "$1" >/dev/null 2>&1
}

debian_rootfs() { # name, comma-separated packages
  local tar="$work/$1.tar"
  if [ ! -s "$tar" ]; then
    echo "base-images: building $1 from Debian packages ($2)"
    mmdebstrap --variant=minbase --include="$2" \
      --dpkgopt='path-exclude=/usr/share/doc/*' bookworm "$work/$1.partial.tar"
    mv "$work/$1.partial.tar" "$tar"
  fi
  echo "$tar"
}

if $rebuild || ! have shop/jre:17; then
  if try_pull eclipse-temurin:17-jre; then
    docker tag eclipse-temurin:17-jre shop/jre:17
  else
    tar=$(debian_rootfs jre17 openjdk-17-jre-headless,ca-certificates,curl | tail -n 1)
    docker import "$tar" shop/jre:17
  fi
fi

if $rebuild || ! have shop/postgres:15; then
  if try_pull postgres:15; then
    docker tag postgres:15 shop/postgres:15
  else
    tar=$(debian_rootfs postgres15 postgresql-15,postgresql-client-15 | tail -n 1)
    docker import "$tar" shop/debian-postgres:15
  fi
fi
# The entrypoint layer over the Debian build is rebuilt when docker/postgres/ changed (the
# image carries the hash of that folder), so a change reaches machines that already have the
# base, and an unchanged one costs nothing.
if have shop/debian-postgres:15; then
  hash=$(cat postgres/* | sha256sum | cut -c1-16)
  if $rebuild || [ "$(docker image inspect -f '{{index .Config.Labels "shop.layer-hash"}}' shop/postgres:15 2>/dev/null)" != "$hash" ]; then
    docker build -q --label "shop.layer-hash=$hash" -t shop/postgres:15 postgres >/dev/null
  fi
fi
$quiet || docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^shop/' || true

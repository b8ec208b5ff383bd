#!/usr/bin/env bash
# Makes sure the base images every container of the stack is built FROM exist locally:
#   shop/jre:17       a Java 17 runtime with bash (healthchecks use bash's /dev/tcp),
#                     shop-routes, which sets a host's routes of the address plan, and tracepath
#                     for the phones' hops (docker/jre/)
#   shop/postgres:15  PostgreSQL honouring POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB
#   shop/router:12    a region's router: iproute2, tcpdump, ping, tracepath (docker/router/)
# Where a registry answers, the official JRE and PostgreSQL images are used; where none does
# (the usual case on the project's build machines), they are built from Debian packages with
# mmdebstrap. Idempotent: existing images are kept unless --rebuild is given; a layer of ours is
# rebuilt when its folder (or the image under it) changed, as its hash label says.
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

# Builds IMAGE from the folder docker/FOLDER over the image BASE unless the image's hash label
# says it was built from this folder's files over this very BASE.
layer() { # image, folder, base image
  local image=$1 folder=$2 base=$3 hash
  hash=$( (cat "$folder"/*; docker image inspect -f '{{.Id}}' "$base") | sha256sum | cut -c1-16)
  if $rebuild || [ "$(docker image inspect -f '{{index .Config.Labels "shop.layer-hash"}}' "$image" 2>/dev/null)" != "$hash" ]; then
    docker build -q --label "shop.layer-hash=$hash" --build-arg "BASE=$base" -t "$image" "$folder" >/dev/null
  fi
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

# The package list names the cached root file system, so a list that grew (iproute2 for the
# routes) is built anew instead of reusing an older tar.
JRE_PACKAGES=openjdk-17-jre-headless,ca-certificates,curl,iproute2,iputils-tracepath
if $rebuild || ! have shop/jre-base:17; then
  if try_pull eclipse-temurin:17-jre; then
    docker tag eclipse-temurin:17-jre shop/jre-base:17
  else
    tar=$(debian_rootfs "jre17-$(echo "$JRE_PACKAGES" | sha256sum | cut -c1-8)" "$JRE_PACKAGES" | tail -n 1)
    docker import "$tar" shop/jre-base:17
  fi
fi
layer shop/jre:17 jre shop/jre-base:17

if $rebuild || ! have shop/postgres:15; then
  if try_pull postgres:15; then
    docker tag postgres:15 shop/postgres:15
  else
    tar=$(debian_rootfs postgres15 postgresql-15,postgresql-client-15 | tail -n 1)
    docker import "$tar" shop/debian-postgres:15
  fi
fi
# The entrypoint layer over the Debian build is rebuilt when docker/postgres/ changed, so a
# change reaches machines that already have the base, and an unchanged one costs nothing.
if have shop/debian-postgres:15; then
  layer shop/postgres:15 postgres shop/debian-postgres:15
fi

if $rebuild || ! have shop/debian-router:12; then
  tar=$(debian_rootfs router12 iproute2,tcpdump,iputils-ping,iputils-tracepath,procps | tail -n 1)
  docker import "$tar" shop/debian-router:12
fi
layer shop/router:12 router shop/debian-router:12

$quiet || docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^shop/' || true

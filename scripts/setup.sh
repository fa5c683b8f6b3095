#!/usr/bin/env bash
# Installs everything Herald's tests and lab need on a fresh Debian machine (run as root), then the npm
# dependencies from the lockfile. Idempotent: packages already present are not reinstalled.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  iproute2 iputils-ping iputils-arping ndisc6 tcpdump tshark nftables curl procps psmisc
  bird2 frr gobgpd exabgp keepalived strace kubectl python3 make g++
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: these Debian packages are missing and installing them needs root: ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  # Daemons must never start in the root namespace: keep (or create) the policy-rc.d guard.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

npm ci --no-audit --no-fund

# Herald supports Node 20, 22 and 24: install the other two majors from the npm registry into .tools/ so
# `npm test` can run the unit suite on each (scripts/test-compat.sh).
for major in 22 24; do
  dir=".tools/node$major"
  if [ ! -x "$dir/node_modules/.bin/node" ]; then
    mkdir -p "$dir"
    npm install --no-save --no-audit --no-fund --prefix "$dir" "node@$major" >/dev/null
  fi
done

#!/usr/bin/env bash
# Installs Debian's redis-server where the machine lacks it: the rate-limit cluster test starts its own instance.
set -euo pipefail

if ! command -v redis-server >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
redis-server --version

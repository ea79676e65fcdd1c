#!/usr/bin/env bash
# Starts Debian's PostgreSQL (installing it first where the machine lacks it) and creates the test databases.
# Usage: scripts/ci/postgres.sh  -> prints the DB_* variables to export.
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
  pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
# One database per Jest worker (DB_DATABASE gets the worker id appended by the test environment).
for worker in 1 2 3 4; do
  su postgres -c "psql -q -tc \"SELECT 1 FROM pg_database WHERE datname = 'webhook_test_$worker'\"" | grep -q 1 ||
    su postgres -c "createdb webhook_test_$worker"
done
echo "PostgreSQL $version ready on 127.0.0.1:5432"

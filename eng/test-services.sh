#!/usr/bin/env bash
# Sets up the real servers the tests use: a local PostgreSQL with a password and a test database.
# Idempotent and quick once done. Run as root (CI does); the README's test command is
#   bash eng/test-services.sh && dotnet test Recovery.Journeys.sln
# Prints the connection string the PostgreSQL tests default to (override them with RECOVERY_JOURNEYS_POSTGRES).
set -euo pipefail

password="${RECOVERY_JOURNEYS_POSTGRES_PASSWORD:-postgres}"
database="${RECOVERY_JOURNEYS_POSTGRES_DATABASE:-recovery_journeys_tests}"
port=5432

if [[ $(id -u) -ne 0 ]]; then
  echo "eng/test-services.sh installs and starts PostgreSQL: run it as root (or with sudo)." >&2
  exit 1
fi

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  echo "Installing PostgreSQL..." >&2
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine may have no package lists yet.
  apt-get install -y -q postgresql >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q postgresql >/dev/null; }
fi

# The newest installed server version, and its cluster (created if a previous setup removed it).
version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
cluster() { pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main"'; }
if [[ -z "$(cluster)" ]]; then
  pg_createcluster "$version" main --port "$port" >/dev/null
fi

if [[ "$(cluster | awk '{ print $4 }')" != online ]]; then
  pg_ctlcluster "$version" main start
fi

# pgbench, the durable run's floor (tests/Recovery.Journeys.Benchmarks/Durable): Debian ships it with the server.
if [[ ! -x "/usr/lib/postgresql/$version/bin/pgbench" ]] && ! command -v pgbench >/dev/null 2>&1; then
  echo "Installing pgbench (postgresql-contrib)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q postgresql-contrib >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q postgresql-contrib >/dev/null; }
fi

port="$(cluster | awk '{ print $3 }')"
for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$port" || { echo "PostgreSQL $version did not start; see /var/log/postgresql/." >&2; exit 1; }

psql_admin() { (cd /tmp && su postgres -c "psql -X -q -v ON_ERROR_STOP=1 -p $port $*"); }
psql_admin "-c \"ALTER USER postgres PASSWORD '$password'\"" >/dev/null
if [[ -z "$(psql_admin "-tAc \"SELECT 1 FROM pg_database WHERE datname = '$database'\"")" ]]; then
  psql_admin "-c \"CREATE DATABASE $database\"" >/dev/null
fi

echo "Host=127.0.0.1;Port=$port;Username=postgres;Password=$password;Database=$database"

# SMTP server for the e-mail channel's tests (Recovery.Journeys.Smtp.Tests).
# The tests start Debian's aiosmtpd themselves (tests/Recovery.Journeys.Smtp.Tests/Server/smtp_test_server.py); it only
# has to be installed, for Debian's own Python: the python3 first on PATH may be another one, without the module.
if ! /usr/bin/python3 -c "import aiosmtpd" >/dev/null 2>&1; then
  echo "Installing python3-aiosmtpd..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q python3-aiosmtpd >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q python3-aiosmtpd >/dev/null; }
fi
echo "aiosmtpd $(/usr/bin/python3 -c 'import aiosmtpd; print(aiosmtpd.__version__)') ready for the SMTP tests" >&2

# Native AOT toolchain for the AOT sample host (samples/AotHost, published by .ci/run; docs/packaging.md).
if ! command -v clang >/dev/null 2>&1 || [[ ! -e /usr/include/zlib.h ]]; then
  echo "Installing clang and zlib1g-dev..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q clang zlib1g-dev >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q clang zlib1g-dev >/dev/null; }
fi

# Debian's chromium for the dashboard's browser tests (Recovery.Journeys.AspNetCore.Tests, Microsoft.Playwright launched
# with its executable path: Playwright's own browser download is not used).
if [[ ! -x /usr/bin/chromium ]]; then
  echo "Installing chromium..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }
fi
echo "$(/usr/bin/chromium --version 2>/dev/null || echo chromium) ready for the dashboard's browser tests" >&2

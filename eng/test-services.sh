#!/usr/bin/env bash
# Installs and starts the servers the test suite talks to, so that `dotnet test` runs against real ones.
# Idempotent: quick when everything is already installed and running. Needs root (or sudo) on Debian.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need_apt=()
command -v pg_ctlcluster >/dev/null 2>&1 || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "test-services: installing ${need_apt[*]}"
  $SUDO apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# PostgreSQL: the durable-store tests use a real server.
pg_version=$(ls /etc/postgresql | sort -V | tail -n 1)
if ! $SUDO pg_ctlcluster "$pg_version" main status >/dev/null 2>&1; then
  $SUDO pg_ctlcluster "$pg_version" main start
fi
$SUDO su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres';\"" >/dev/null
if ! $SUDO su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = 'recovery_journeys_tests'\"" | grep -q 1; then
  $SUDO su postgres -c "createdb recovery_journeys_tests"
fi
echo "test-services: PostgreSQL $pg_version ready: Host=127.0.0.1;Username=postgres;Password=postgres;Database=recovery_journeys_tests"

# --- SMTP: the e-mail channel tests (Recovery.Journeys.Smtp.Tests) ---------------------------------------------------
# The tests start Debian's aiosmtpd themselves (tests/Recovery.Journeys.Smtp.Tests/Server/smtp_test_server.py); it only
# has to be installed, for Debian's own Python: the python3 first on PATH may be another one, without the module.
if ! /usr/bin/python3 -c "import aiosmtpd" >/dev/null 2>&1; then
  echo "test-services: installing python3-aiosmtpd"
  $SUDO apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-aiosmtpd >/dev/null
fi
echo "test-services: aiosmtpd $(/usr/bin/python3 -c 'import aiosmtpd; print(aiosmtpd.__version__)') ready for the SMTP tests"

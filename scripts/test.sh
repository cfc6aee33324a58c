#!/usr/bin/env bash
# Runs every test of DeliberationFlow against a throwaway PostgreSQL cluster.
# Meant for a fresh Debian/Ubuntu machine with only the .NET 10 SDK, run as root (as CI does):
# it installs what is missing, starts PostgreSQL on 127.0.0.1, runs `dotnet test`, stops the cluster,
# and ends with one line "N passed, N failed, N skipped". Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

PG_PORT=${PG_PORT:-55432}
PG_DIR=${PG_DIR:-/tmp/deliberationflow-pg}

need_apt=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing: ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
PGBIN=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")

# PostgreSQL refuses to run as root; the cluster belongs to the postgres user.
id postgres >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

stop_pg() { as_postgres "$PGBIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true; }
stop_pg
rm -rf "$PG_DIR"; mkdir -p "$PG_DIR"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$PG_DIR"
chmod 700 "$PG_DIR"
as_postgres "$PGBIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$PG_DIR/initdb.log"
as_postgres "$PGBIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
  -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off" start >/dev/null
trap stop_pg EXIT
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"

# Tests create one database each from this connection.
export DELIBERATIONFLOW_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

rm -rf "$ROOT/TestResults"
dotnet restore DeliberationFlow.sln
dotnet build DeliberationFlow.sln --no-restore
rc=0
dotnet test --solution DeliberationFlow.sln --no-build --report-xunit-trx --results-directory "$ROOT/TestResults" || rc=$?

passed=0; failed=0; total=0
value() { local v; v=$(echo "$1" | sed -nE "s/.* $2=\"([0-9]+)\".*/\1/p"); echo "${v:-0}"; }
while IFS= read -r trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1 || true)
  total=$((total + $(value "$counters" total)))
  passed=$((passed + $(value "$counters" passed)))
  failed=$((failed + $(value "$counters" failed) + $(value "$counters" error) + $(value "$counters" timeout) + $(value "$counters" aborted)))
done < <(find "$ROOT/TestResults" -name '*.trx' 2>/dev/null)
skipped=$((total - passed - failed))
[ "$total" -eq 0 ] && [ "$rc" -eq 0 ] && rc=1   # a run that executed no test is a failure
[ "$failed" -gt 0 ] && [ "$rc" -eq 0 ] && rc=1
echo "$passed passed, $failed failed, $skipped skipped"
exit "$rc"

#!/usr/bin/env bash
# Benchmark of DeliberationFlow's workflow steps against a throwaway PostgreSQL cluster (issue 3, item 9).
# Like scripts/test.sh, meant for a Debian/Ubuntu machine with the .NET 10 SDK, run as root: installs PostgreSQL
# if missing, starts a cluster of its own on 127.0.0.1:55433 (never the test cluster's port or folder), builds
# Release, runs tests/DeliberationFlow.Benchmarks, and stops the cluster. The program creates and drops its own
# database; its last line is "RESULT steps_per_s=… baseline_tps=… ratio=… p99_ms=… scale_ratio_1m_10k=… rss_growth_pct=…".
# Arguments go to the program, e.g. `bash scripts/benchmark.sh --papers 500 --scale-max 100000` for a quick run.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_PORT=${BENCH_PG_PORT:-55433}
PG_DIR=${BENCH_PG_DIR:-/tmp/deliberationflow-bench-pg}

ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || {
  echo "installing: postgresql"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
}
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
# Durable settings (fsync and synchronous_commit on, unlike the test cluster): the steps and the pgbench-like
# baseline pay the same commit cost. shared_buffers is raised so the 1 M-instance tables are not read from disk.
as_postgres "$PGBIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
  -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=512MB -c max_wal_size=4GB" start >/dev/null
trap stop_pg EXIT
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"

export DELIBERATIONFLOW_BENCH_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build tests/DeliberationFlow.Benchmarks -c Release -v quiet -nologo
dotnet tests/DeliberationFlow.Benchmarks/bin/Release/net10.0/DeliberationFlow.Benchmarks.dll "$@"

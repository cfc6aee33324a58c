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

# shellcheck source=scripts/pg-cluster.sh
source scripts/pg-cluster.sh
# Durable settings (fsync and synchronous_commit on, unlike the test cluster): the steps and the pgbench-like
# baseline pay the same commit cost. shared_buffers is raised so the 1 M-instance tables are not read from disk.
start_pg "-c max_connections=200 -c shared_buffers=512MB -c max_wal_size=4GB"

export DELIBERATIONFLOW_BENCH_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build tests/DeliberationFlow.Benchmarks -c Release -v quiet -nologo
dotnet tests/DeliberationFlow.Benchmarks/bin/Release/net10.0/DeliberationFlow.Benchmarks.dll "$@"

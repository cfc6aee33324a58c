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

# The browser tests drive Debian's Chromium through Playwright (its driver ships in the NuGet package; no browser download).
if [ ! -x /usr/bin/chromium ]; then
  echo "installing: chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

# shellcheck source=scripts/pg-cluster.sh
source scripts/pg-cluster.sh
# Tests need no durability; fsync off keeps them fast.
start_pg "-c max_connections=300 -c fsync=off -c synchronous_commit=off"

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

# The test servers' logs can run to thousands of lines; repeat each failure here, at the end, where CI shows it.
if [ "$failed" -gt 0 ]; then
  find "$ROOT/TestResults" -name '*.trx' -print0 | xargs -0 perl -0777 -ne '
    my %entity = (lt => "<", gt => ">", amp => "&", quot => "\"", apos => "\x27");
    while (/<UnitTestResult\b([^>]*[^\/])>(.*?)<\/UnitTestResult>/gs) {
      my ($attributes, $body) = ($1, $2);
      next unless $attributes =~ /outcome="(Failed|Error|Timeout|Aborted)"/;
      my ($name) = $attributes =~ /testName="([^"]*)"/;
      my ($message) = $body =~ /<Message>(.*?)<\/Message>/s;
      my ($stack) = $body =~ /<StackTrace>(.*?)<\/StackTrace>/s;
      my $text = join "\n", grep { defined } $message, $stack;
      $text =~ s/&#x([0-9A-Fa-f]+);/chr(hex($1))/ge;
      $text =~ s/&#([0-9]+);/chr($1)/ge;
      $text =~ s/&(lt|gt|amp|quot|apos);/$entity{$1}/g;
      my @lines = split /\n/, $text;
      splice @lines, 25 if @lines > 25;
      print "FAILED $name\n", map({ "    $_\n" } @lines), "\n";
    }' || true
fi
[ "$total" -eq 0 ] && [ "$rc" -eq 0 ] && rc=1   # a run that executed no test is a failure
[ "$failed" -gt 0 ] && [ "$rc" -eq 0 ] && rc=1
echo "$passed passed, $failed failed, $skipped skipped"
exit "$rc"

#!/usr/bin/env bash
# The test command (README): installs what the tests need when missing, starts a throw-away
# PostgreSQL server on loopback, runs every test, and ends with "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

log() { printf '[test] %s\n' "$*" >&2; }

# 1. Prerequisites (Debian packages), installed only when missing and only as root.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
for pkg in fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji libfontconfig1; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || log "apt-get install failed; tests that need these will fail or skip"
  else
    log "missing ${missing[*]} and not root: tests that need them will fail or skip"
  fi
fi

# 2. A private PostgreSQL cluster on loopback for the storage tests; stopped on exit.
work=$(mktemp -d -t compliancehub-test-XXXXXX)
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
pg_data=""
cleanup() {
  if [ -n "$pg_data" ]; then
    as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ -n "$pg_bin" ] && { [ "$(id -u)" != 0 ] || id postgres >/dev/null 2>&1; }; then
  pg_data="$work/pg"
  mkdir -p "$pg_data"
  [ "$(id -u)" = 0 ] && chown postgres "$work" "$pg_data"
  port=$(( 20000 + RANDOM % 20000 ))
  if as_postgres "$pg_bin/initdb" -D "$pg_data" -A trust -U postgres >"$work/initdb.log" 2>&1 \
    && as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_data/server.log" -w \
         -o "-p $port -k $pg_data -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null 2>&1; then
    export COMPLIANCEHUB_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true"
    log "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
  else
    log "could not start PostgreSQL; its tests will be skipped"
    cat "$work/initdb.log" >&2 || true
    pg_data=""
  fi
else
  log "no PostgreSQL server available; its tests will be skipped"
fi

# 3. Build once, then run every test and report from the runner's own result file.
dotnet build "$root/ComplianceHub.sln" -c Debug -nologo -v quiet -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }
results="$work/results"
dotnet test --solution "$root/ComplianceHub.sln" --no-build \
  --report-xunit-trx --report-xunit-trx-filename results.trx --results-directory "$results"
test_exit=$?

trx=$(ls "$results"/*.trx 2>/dev/null | head -n 1)
if [ -z "$trx" ]; then
  log "no test results were written (dotnet test exited $test_exit)"
  echo "0 passed, 1 failed"
  exit 1
fi
read -r passed failed skipped < <(python3 - "$trx" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
root = ET.parse(sys.argv[1]).getroot()
outcomes = [r.get("outcome") for r in root.iter("{%s}UnitTestResult" % ns["t"])]
passed = sum(o == "Passed" for o in outcomes)
skipped = sum(o in ("NotExecuted", "Skipped") for o in outcomes)
failed = len(outcomes) - passed - skipped
print(passed, failed, skipped)
PY
)
if [ "$test_exit" != 0 ] && [ "$failed" = 0 ]; then
  log "the test run exited with $test_exit although no test failed: counting the run itself as a failure"
  failed=1
fi
if [ "$passed" = 0 ]; then
  log "no test passed: test discovery is broken"
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]

#!/usr/bin/env bash
# ConsentHub: one command to run the app, one to run every test.
#   ./build.sh run    build and start the app (private PostgreSQL, mail drop) and print its URL
#   ./build.sh test   build and run every test project, then print "N passed, N failed"
#   ./build.sh deps   only install what this machine lacks (as root or with sudo)
#   ./build.sh drill  the failover drill on loopback: primary + standby, pgBackRest, 3 hosts behind nginx (docs/OPERATIONS.md)
#   ./build.sh capacity  one host vs three behind nginx: check API and recorded answers under wrk (docs/BENCHMARKS.md)
set -euo pipefail
cd "$(dirname "$0")"

TEST_PROJECTS=(tests/ConsentHub.Tests tests/ConsentHub.Web.Tests)
RESULTS=artifacts/test-results
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '%s\n' "$*" >&2; }

have_postgres() {
  command -v initdb >/dev/null 2>&1 || command -v pg_config >/dev/null 2>&1 || compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

# Installs the Debian packages that are missing, as root or through sudo; otherwise says what to install.
ensure_packages() {
  local missing=() pkg check
  for pair in "$@"; do
    pkg=${pair%%:*}; check=${pair#*:}
    if ! eval "$check" >/dev/null 2>&1; then missing+=("$pkg"); fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
      say "Missing packages: ${missing[*]}"
      say "Install them with:  sudo apt-get install -y ${missing[*]}"
      exit 1
    fi
  fi
  say "Installing ${missing[*]} ..."
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    say "The .NET 10 SDK is needed (see global.json): https://dotnet.microsoft.com/download"
    exit 1
  fi
}

run_deps()  { ensure_packages "postgresql:have_postgres"; }
test_deps() {
  ensure_packages "postgresql:have_postgres" "chromium:test -x /usr/bin/chromium" \
    "poppler-utils:command -v pdftoppm" "wrk:command -v wrk" "fonts-dejavu-core:test -d /usr/share/fonts/truetype/dejavu"
}

# Stops test clusters that a killed test host could not stop, and removes their folders.
reap_test_clusters() {
  local dir ctl
  for dir in "${TMPDIR:-/tmp}"/consenthub-test-* "${TMPDIR:-/tmp}"/consenthub-apptest-* "${TMPDIR:-/tmp}"/consenthub-clustertest-*; do
    [ -d "$dir" ] || continue
    if [ -f "$dir/pgdata/postmaster.pid" ]; then
      ctl=$(ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n1 || true)
      [ -z "$ctl" ] && ctl=$(command -v pg_ctl || true)
      if [ -n "$ctl" ]; then
        if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$ctl" stop -D "$dir/pgdata" -m immediate >/dev/null 2>&1 || true
        else "$ctl" stop -D "$dir/pgdata" -m immediate >/dev/null 2>&1 || true; fi
      fi
    fi
    rm -rf "$dir" 2>/dev/null || true
  done
  # Socket folders of stopped clusters are empty; a running cluster's still holds its socket, so rmdir keeps it.
  rmdir "${TMPDIR:-/tmp}"/consenthub-pg-* 2>/dev/null || true
}

# Reads one TRX file's counters: prints "total passed failed".
trx_counts() {
  local line
  line=$(grep -o '<Counters [^>]*>' "$1" | head -n1)
  local total passed failed errors
  total=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$line")
  passed=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$line")
  failed=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$line")
  errors=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$line")
  echo "${total:-0} ${passed:-0} $(( ${failed:-0} + ${errors:-0} ))"
}

# Runs one test project into $RESULTS/<name>.trx; a failing test is counted from the TRX file, not the exit code.
run_test_project() {
  local proj=$1 name
  name=$(basename "$proj")
  # A hang fails the run (with a dump) instead of stalling CI.
  dotnet test "$proj" --no-build -c Debug --nologo --blame-hang-timeout 10m \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$RESULTS" || true
}

# House style: whitespace and the code-style rules (.editorconfig, including the order of usings). The analyzers,
# the third part of a plain `dotnet format`, already ran in the build with warnings as errors; running them again
# here only repeated the build's work on the suite's two cores.
verify_format() {
  dotnet format whitespace ConsentHub.sln --verify-no-changes --no-restore &&
    dotnet format style ConsentHub.sln --verify-no-changes --no-restore
}

cmd_test() {
  ensure_dotnet
  test_deps
  rm -rf "$RESULTS"; mkdir -p "$RESULTS" artifacts/test-artifacts
  export CONSENTHUB_TEST_ARTIFACTS="$PWD/artifacts/test-artifacts"
  trap reap_test_clusters EXIT
  reap_test_clusters

  # The compiler server compiles the solution's projects in one warm process (a fifth less wall-clock on two cores
  # than a fresh compiler per project); it is stopped afterwards so nothing outlives the run.
  dotnet build ConsentHub.sln -c Debug -nologo -clp:ErrorsOnly -p:UseSharedCompilation=true
  dotnet build-server shutdown >/dev/null 2>&1 || true

  # Each test project already keeps every core busy (its classes run in parallel): on two cores, running the two
  # projects side by side took longer (7 min 32 s) than one after the other (6 min 57 s), as each starved the
  # other's hosts and browsers. They run side by side from four cores (CONSENTHUB_TEST_PARALLEL=1 or 0 forces it).
  # The formatting check, which only reads the sources, runs beside them either way.
  local cores parallel=0
  cores=$(nproc 2>/dev/null || echo 1)
  [ "$cores" -ge 4 ] && parallel=1
  case "${CONSENTHUB_TEST_PARALLEL:-}" in 0) parallel=0 ;; 1) parallel=1 ;; esac

  local passed=0 failed=0 broken=0 proj name pids=() format_pid=""
  if [ "$cores" -ge 2 ]; then
    ( verify_format >"$RESULTS/format.log" 2>&1; echo $? >"$RESULTS/format.rc" ) &
    format_pid=$!
  fi
  if [ "$parallel" -eq 1 ]; then
    for proj in "${TEST_PROJECTS[@]}"; do
      name=$(basename "$proj")
      say "== $name (started beside the others)"
      # Each line says which project it comes from, as they interleave.
      ( run_test_project "$proj" 2>&1 | sed -u "s/^/[$name] /" ) &
      pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || true; done
  else
    for proj in "${TEST_PROJECTS[@]}"; do
      say "== $(basename "$proj")"
      run_test_project "$proj"
    done
  fi

  for proj in "${TEST_PROJECTS[@]}"; do
    name=$(basename "$proj")
    if [ ! -f "$RESULTS/$name.trx" ]; then
      say "!! $name produced no results: counted as a failure."; broken=$((broken + 1)); continue
    fi
    read -r t p f < <(trx_counts "$RESULTS/$name.trx")
    if [ "$t" -eq 0 ]; then say "!! $name ran no tests: counted as a failure."; broken=$((broken + 1)); fi
    say "== $name: $p passed, $f failed"
    passed=$((passed + p)); failed=$((failed + f))
  done
  # Every test project in the tree must be in the list above, so none is skipped silently.
  local found
  for found in $(ls tests/*/*.Tests.csproj); do
    found=$(dirname "$found")
    if [[ ! " ${TEST_PROJECTS[*]} " == *" $found "* ]]; then say "!! $found is not run by ./build.sh test"; broken=$((broken + 1)); fi
  done
  # House style (.editorconfig) is part of the build's hygiene: a formatting slip fails the run too.
  local format_ok=1
  if [ -n "$format_pid" ]; then
    wait "$format_pid" || true
    [ "$(cat "$RESULTS/format.rc" 2>/dev/null || echo 1)" = "0" ] || format_ok=0
  elif ! verify_format >"$RESULTS/format.log" 2>&1; then
    format_ok=0
  fi
  if [ "$format_ok" -eq 0 ]; then
    say "!! dotnet format --verify-no-changes found unformatted code (run: dotnet format ConsentHub.sln; see $RESULTS/format.log)"; broken=$((broken + 1))
  fi
  failed=$((failed + broken))
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

cmd_drill() {
  ensure_dotnet
  ensure_packages "postgresql:have_postgres" "nginx:command -v nginx" "pgbackrest:command -v pgbackrest" "python3:command -v python3" \
    "chromium:test -x /usr/bin/chromium"
  dotnet publish src/ConsentHub.Web -c Release -o artifacts/drill-app -nologo -clp:ErrorsOnly
  # The teacher's page in a browser during the host kill (tests/ConsentHub.Drills; the machine's Chromium).
  dotnet publish tests/ConsentHub.Drills -c Release -o artifacts/drill-probe -nologo -clp:ErrorsOnly
  python3 deploy/drill/drill.py artifacts/drill-app artifacts/drill-probe
}

cmd_capacity() {
  ensure_dotnet
  ensure_packages "postgresql:have_postgres" "nginx:command -v nginx" "pgbackrest:command -v pgbackrest" "python3:command -v python3" "wrk:command -v wrk"
  dotnet publish src/ConsentHub.Web -c Release -o artifacts/drill-app -nologo -clp:ErrorsOnly
  python3 deploy/drill/capacity.py artifacts/drill-app
}

cmd_run() {
  ensure_dotnet
  run_deps
  exec dotnet run --project src/ConsentHub.Web --launch-profile http "$@"
}

case "${1:-}" in
  run)  shift; cmd_run "$@" ;;
  test) cmd_test ;;
  deps) run_deps; test_deps ;;
  drill) cmd_drill ;;
  capacity) cmd_capacity ;;
  *) say "usage: ./build.sh run | test | deps | drill | capacity"; exit 2 ;;
esac

#!/usr/bin/env bash
# Proves that the baseline migration builds the same database as the migration chain it replaced.
#
#   migrations/verify-baseline.sh [old-commit]
#
# Scripts the migrations of <old-commit> (default: the last commit before the squash) and this working tree's
# migrations up to the Baseline with `dotnet ef migrations script`, applies each to its own empty database on a throwaway PostgreSQL cluster,
# and diffs `pg_dump --schema-only` of the two. The history table's rows are not part of a schema-only dump.
# Exit code 0 and "schemas are identical" when they match; otherwise the diff is printed and the code is 1.
set -euo pipefail
cd "$(dirname "$0")/.."

OLD_COMMIT=${1:-8ecbf44}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/consenthub-baseline-XXXXXX")
chmod 755 "$WORK"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[ -n "$PGBIN" ] || PGBIN=$(dirname "$(command -v pg_ctl)")
AS=()
if [ "$(id -u)" -eq 0 ]; then AS=(runuser -u postgres --); fi

cleanup() {
  "${AS[@]}" "$PGBIN/pg_ctl" stop -D "$WORK/pgdata" -m immediate >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

say() { printf '%s\n' "$*" >&2; }

script_migrations() { # $1 = source tree, $2 = output file, $3 = last migration (empty: all)
  (cd "$1" && dotnet tool restore >/dev/null && dotnet restore migrations/ConsentHub.Migrations >/dev/null &&
    dotnet ef migrations script 0 ${3:-} --project migrations/ConsentHub.Migrations \
      --startup-project migrations/ConsentHub.Migrations --output "$2" >/dev/null)
}

say "Scripting the migration chain of $OLD_COMMIT ..."
mkdir -p "$WORK/old"
git archive "$OLD_COMMIT" | tar -x -C "$WORK/old"
script_migrations "$WORK/old" "$WORK/old.sql"

say "Scripting this working tree's migrations up to the baseline ..."
script_migrations "$PWD" "$WORK/new.sql" Baseline

say "Applying both to a throwaway cluster ..."
mkdir -p "$WORK/pgdata" "$WORK/sock"
[ ${#AS[@]} -gt 0 ] && chown postgres "$WORK/pgdata" "$WORK/sock"
"${AS[@]}" "$PGBIN/initdb" -D "$WORK/pgdata" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
"${AS[@]}" "$PGBIN/pg_ctl" start -D "$WORK/pgdata" -w -s -l "$WORK/pgdata/log" \
  -o "-k $WORK/sock -c listen_addresses='' -c fsync=off" >/dev/null
PSQL=("$PGBIN/psql" -h "$WORK/sock" -U postgres -v ON_ERROR_STOP=1 -q -X)
for db in old new; do
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE chain_$db"
  "${PSQL[@]}" -d "chain_$db" -f "$WORK/$db.sql" >/dev/null
  "$PGBIN/pg_dump" -h "$WORK/sock" -U postgres --schema-only --no-owner "chain_$db" \
    | sed -e '/^--/d' -e '/^$/d' -e '/^\\\(un\)\{0,1\}restrict /d' >"$WORK/$db.schema.sql"
done

if diff -u "$WORK/old.schema.sql" "$WORK/new.schema.sql"; then
  say "schemas are identical ($(wc -l <"$WORK/new.schema.sql") lines of pg_dump --schema-only)"
else
  say "schemas differ"
  exit 1
fi

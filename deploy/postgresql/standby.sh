#!/usr/bin/env bash
# Builds the hot standby from the primary (run on the standby server as postgres). The slot keeps the WAL the
# standby still needs; -R writes primary_conninfo and standby.signal. See docs/OPERATIONS.md.
set -euo pipefail
PRIMARY_HOST=${1:?primary host}
DATA=${2:-/var/lib/postgresql/15/main}
psql -h "$PRIMARY_HOST" -U replicator -d postgres -Atc "SELECT pg_create_physical_replication_slot('standby1')" || true
pg_basebackup -h "$PRIMARY_HOST" -U replicator -D "$DATA" -R -S standby1 -X stream -P
echo "primary_conninfo = 'host=$PRIMARY_HOST user=replicator application_name=standby1'" >> "$DATA/postgresql.auto.conf"

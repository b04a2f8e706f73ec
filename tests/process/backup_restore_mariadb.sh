#!/usr/bin/env bash
# backup_restore_mariadb: backup_restore with the gateways on a private MariaDB (mariadb-dump / mariadb).
set -euo pipefail
export CHUKAN_E2E_STORE=mariadb
exec "$CHUKAN_SRC/scripts/with-mariadb" bash "$CHUKAN_SRC/tests/process/backup_restore.sh"

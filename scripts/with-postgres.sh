#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster: initdb in a temporary directory,
# pg_ctl on a free loopback port, DATABASE_URL exported, everything removed afterwards.
set -euo pipefail

find_bin() {
  if command -v "$1" >/dev/null; then command -v "$1"; return; fi
  local candidate
  for candidate in /usr/lib/postgresql/*/bin/"$1"; do
    [ -x "$candidate" ] && { echo "$candidate"; return; }
  done
  return 1
}

if ! find_bin initdb >/dev/null; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing the PostgreSQL server (Debian's postgresql package)…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
  else
    echo "PostgreSQL server binaries (initdb, pg_ctl) are missing: sudo apt-get install postgresql" >&2
    exit 1
  fi
fi
INITDB=$(find_bin initdb)
PG_CTL=$(find_bin pg_ctl)

# initdb refuses to run as root: run the server as the postgres user when we are root.
as_owner=()
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  as_owner=(runuser -u postgres --)
fi

PGDIR=$(mktemp -d /tmp/preceptor-pg.XXXXXX)
chmod 755 "$PGDIR"
[ ${#as_owner[@]} -gt 0 ] && chown postgres "$PGDIR"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

cleanup() {
  "${as_owner[@]}" "$PG_CTL" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGDIR"
}
trap cleanup EXIT

"${as_owner[@]}" "$INITDB" -D "$PGDIR/data" -U preceptor --auth=trust -E UTF8 --no-locale >/dev/null
"${as_owner[@]}" "$PG_CTL" -D "$PGDIR/data" -l "$PGDIR/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGDIR -c fsync=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null
echo "PostgreSQL $("$PG_CTL" --version | awk '{print $3}') is up on 127.0.0.1:$PORT (throwaway, in $PGDIR)"

export DATABASE_URL="postgres://preceptor@127.0.0.1:$PORT/postgres"
"$@"

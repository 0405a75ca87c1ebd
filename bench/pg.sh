#!/bin/sh
# pg.sh - a throw-away PostgreSQL for the ingest benchmark of bench/run.sh,
# set up like scripts/pg_test.sh does for the tests: a new cluster in a
# temporary directory, listening on 127.0.0.1 only, default durability settings (fsync on).
#
#   sh bench/pg.sh start STATEFILE   prints the database URL on success
#   sh bench/pg.sh stop STATEFILE    stops the cluster and removes it
#
# Exits non-zero (and prints nothing on stdout) when the PostgreSQL server
# binaries are missing or the cluster does not start.
set -u
CMD=${1:-}
STATE=${2:-}
[ -n "$CMD" ] && [ -n "$STATE" ] || { echo "usage: pg.sh start|stop STATEFILE" >&2; exit 2; }

BIN=
for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && BIN=$d
done
[ -n "$BIN" ] || { echo "pg.sh: PostgreSQL server binaries not installed" >&2; exit 1; }

if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "pg.sh: no postgres user" >&2; exit 1; }
    run() { runuser -u postgres -- "$@"; }
else
    run() { "$@"; }
fi

case $CMD in
start)
    TMP=$(mktemp -d "${TMPDIR:-/tmp}/heard-bench-pg.XXXXXX") || exit 1
    chmod 755 "$TMP"
    [ "$(id -u)" = 0 ] && chown postgres "$TMP"
    echo "TMP=$TMP" >"$STATE"
    if ! run "$BIN/initdb" -D "$TMP/data" -U postgres --auth=trust -E UTF8 --locale=C >"$TMP/initdb.log" 2>&1; then
        echo "pg.sh: initdb failed" >&2
        cat "$TMP/initdb.log" >&2
        rm -rf "$TMP"
        exit 1
    fi
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        PORT=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
        if run "$BIN/pg_ctl" -D "$TMP/data" -l "$TMP/pg.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $PORT -k $TMP -c max_connections=60" \
            start >/dev/null 2>&1; then
            echo "PORT=$PORT" >>"$STATE"
            run "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres heardbench || exit 1
            echo "postgresql://postgres@127.0.0.1:$PORT/heardbench"
            exit 0
        fi
    done
    echo "pg.sh: PostgreSQL did not start" >&2
    cat "$TMP/pg.log" >&2
    rm -rf "$TMP"
    exit 1
    ;;
stop)
    TMP=$(sed -n 's/^TMP=//p' "$STATE" 2>/dev/null)
    [ -n "$TMP" ] || exit 0
    [ -d "$TMP/data" ] && run "$BIN/pg_ctl" -D "$TMP/data" -m immediate -w stop >/dev/null 2>&1
    rm -rf "$TMP" "$STATE"
    ;;
*)
    echo "usage: pg.sh start|stop STATEFILE" >&2
    exit 2
    ;;
esac

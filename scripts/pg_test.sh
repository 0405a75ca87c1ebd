#!/bin/sh
# pg_test.sh - runs the server tests against a throw-away PostgreSQL: a new
# cluster in a temporary directory, listening on 127.0.0.1 on a free port,
# stopped and removed afterwards. Skips (exit 77) when the PostgreSQL server
# is not installed and we are not root; as root a missing server is an error,
# because `make check` installs it (scripts/deps.sh).
#   usage: scripts/pg_test.sh HEARD_BINARY
set -u
HEARD=$1
ROOT=$(pwd)

BIN=
for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && BIN=$d
done
if [ -z "$BIN" ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "pg_test: PostgreSQL server binaries missing; run scripts/deps.sh" >&2
        exit 1
    fi
    echo "pg_test: SKIP: PostgreSQL server binaries not installed (apt-get install postgresql)"
    exit 77
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/heard-pg.XXXXXX")
chmod 755 "$TMP"
if [ "$(id -u)" = 0 ]; then
    # initdb refuses to run as root
    id postgres >/dev/null 2>&1 || { echo "pg_test: no postgres user" >&2; exit 1; }
    chown postgres "$TMP"
    AS="runuser -u postgres --"
    command -v runuser >/dev/null 2>&1 || AS="su postgres -s /bin/sh -c"
else
    AS=
fi
run() {
    if [ "$AS" = "su postgres -s /bin/sh -c" ]; then
        su postgres -s /bin/sh -c "$*"
    else
        $AS "$@"
    fi
}

PORT=
cleanup() {
    if [ -n "$PORT" ]; then
        run "$BIN/pg_ctl" -D "$TMP/data" -m immediate -w stop >/dev/null 2>&1
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

if ! run "$BIN/initdb" -D "$TMP/data" -U postgres --auth=trust -E UTF8 --locale=C >"$TMP/initdb.log" 2>&1; then
    echo "pg_test: initdb failed" >&2
    cat "$TMP/initdb.log" >&2
    exit 1
fi

started=0
for try in 1 2 3 4 5 6 7 8 9 10; do
    PORT=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
    if run "$BIN/pg_ctl" -D "$TMP/data" -l "$TMP/pg.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $TMP -c fsync=off -c full_page_writes=off -c max_connections=60" \
        start >/dev/null 2>&1; then
        started=1
        break
    fi
done
if [ $started = 0 ]; then
    PORT=
    echo "pg_test: PostgreSQL did not start" >&2
    cat "$TMP/pg.log" >&2
    exit 1
fi

run "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres heardtest || exit 1
run "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres heardmigrate || exit 1
URL="postgresql://postgres@127.0.0.1:$PORT/heardtest"

fail=0
# several processes starting together on one fresh database: the migrations
# must be applied exactly once
for i in 1 2 3 4; do
    "$HEARD" keys list --db "postgresql://postgres@127.0.0.1:$PORT/heardmigrate" >"$TMP/mig$i" 2>&1 &
done
wait
for i in 1 2 3 4; do
    grep -q "^ID" "$TMP/mig$i" || { echo "FAIL: concurrent migration $i"; cat "$TMP/mig$i"; fail=1; }
done

sh "$ROOT/tests/server/server_test.sh" "$HEARD" "$URL" || fail=1

# migration 3: the stored analysis and input are compressed with lz4 where
# the server has it (Debian's PostgreSQL 15 has)
if [ -x "$BIN/psql" ]; then
    comp=$(run "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d heardtest -tA -c \
        "SELECT string_agg(attname || '=' || attcompression::text, ' ' ORDER BY attname)
         FROM pg_attribute WHERE attrelid = 'conversations'::regclass
         AND attname IN ('analysis', 'input')" 2>&1)
    lz4=$(run "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d heardtest -tA -c \
        "SELECT count(*) FROM pg_settings WHERE name = 'default_toast_compression'
         AND 'lz4' = ANY (enumvals::text[])" 2>&1)
    if [ "$lz4" = 1 ] && [ "$comp" != "analysis=l input=l" ]; then
        echo "FAIL: migration 3: columns not lz4-compressed: $comp"
        fail=1
    fi
fi

# PostgreSQL restarted under a running heard: the writer threads hold their
# connections and the request threads pool theirs, and must open new ones
# rather than fail later requests
KEY=$("$HEARD" keys create --db "$URL" --role manager 2>>"$TMP/restart.log" | head -n 1)
"$HEARD" serve --db "$URL" --listen 127.0.0.1:0 --port-file "$TMP/rport" --threads 2 \
    2>>"$TMP/restart.log" &
SPID=$!
i=0
while [ ! -s "$TMP/rport" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
post() {
    curl -s -m 20 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" \
        --data-binary "{\"id\":\"$1\",\"turns\":[{\"speaker\":\"customer\",\"text\":\"My parcel is lost.\"}]}" \
        "http://127.0.0.1:$(cat "$TMP/rport")/v1/conversations"
}
got=$(post restart-1)
[ "$got" = 201 ] || { echo "FAIL: ingest before the restart: $got"; fail=1; }
run "$BIN/pg_ctl" -D "$TMP/data" -l "$TMP/pg.log" -m fast -w -t 60 restart >/dev/null 2>&1 ||
    { echo "FAIL: pg_ctl restart"; fail=1; }
# the first requests after it already get through: pooled and writer
# connections that the server closed are noticed before use
got=$(post restart-2)
[ "$got" = 201 ] || { echo "FAIL: ingest after a PostgreSQL restart: $got"; cat "$TMP/restart.log"; fail=1; }
got=$(curl -s -m 20 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" \
    "http://127.0.0.1:$(cat "$TMP/rport")/v1/conversations/restart-1")
[ "$got" = 200 ] || { echo "FAIL: read after a PostgreSQL restart: $got"; cat "$TMP/restart.log"; fail=1; }
kill "$SPID" 2>/dev/null
wait "$SPID" 2>/dev/null
[ $fail = 0 ] && echo "pg_test: PostgreSQL restart under heard serve: ingest recovered"
exit $fail

#!/bin/sh
# demo_server.sh - the server half of `make demo`: loads the sample
# conversations into a fresh SQLite database through the API, adds survey
# answers that are SIMULATED (stored with simulated=1 and labelled so in every
# result), creates a manager key, and leaves `heard serve` running with the
# dashboard, printing its URL and the key.
#   usage: sh scripts/demo_server.sh path/to/heard [--background]
#   env:   HEARD_DEMO_DB (default build/heard-demo.db), HEARD_DEMO_LISTEN
#          (default 127.0.0.1:8080; another free port is used when it is taken)
set -u
HEARD=${1:?usage: sh scripts/demo_server.sh path/to/heard [--background]}
BACKGROUND=${2:-}
cd "$(dirname "$0")/.." || exit 2
case $HEARD in /*) ;; */*) HEARD=$(pwd)/$HEARD ;; esac
[ -x "$HEARD" ] || { echo "demo: $HEARD is not an executable (run make first)" >&2; exit 2; }
command -v curl >/dev/null 2>&1 || { echo "demo: curl is missing (sh scripts/deps.sh)" >&2; exit 2; }

DBFILE=${HEARD_DEMO_DB:-build/heard-demo.db}
LISTEN=${HEARD_DEMO_LISTEN:-127.0.0.1:8080}
mkdir -p "$(dirname "$DBFILE")"
rm -f "$DBFILE" "$DBFILE-wal" "$DBFILE-shm" "$DBFILE.port" "$DBFILE.log"
DB="sqlite:$DBFILE"

KEY=$("$HEARD" keys create --db "$DB" --role manager 2>/dev/null) || {
    echo "demo: could not create a key" >&2; exit 1; }

start() {
    "$HEARD" serve --db "$DB" --listen "$1" --port-file "$DBFILE.port" --web web >>"$DBFILE.log" 2>&1 &
    PID=$!
    i=0
    while [ ! -s "$DBFILE.port" ] && [ $i -lt 100 ] && kill -0 "$PID" 2>/dev/null; do
        sleep 0.1
        i=$((i + 1))
    done
    [ -s "$DBFILE.port" ]
}
if ! start "$LISTEN"; then
    kill "$PID" 2>/dev/null
    LISTEN="${LISTEN%:*}:0"
    start "$LISTEN" || { echo "demo: the server did not start:" >&2; cat "$DBFILE.log" >&2; exit 1; }
fi
HOST=${LISTEN%:*}
[ "$HOST" = "0.0.0.0" ] && HOST=127.0.0.1
BASE="http://$HOST:$(cat "$DBFILE.port")"
AUTH="Authorization: Bearer $KEY"

echo "== loading the sample conversations into $DBFILE"
for f in data/samples/*.jsonl; do
    out=$(curl -s -H "$AUTH" -H "Content-Type: application/x-ndjson" --data-binary @"$f" "$BASE/v1/conversations")
    echo "   $f: $(echo "$out" | grep -o '"stored":[0-9]*,"failed":[0-9]*')"
done

# SIMULATED answers: derived from the hand-written expectation of each sample
# ("expect.kind"), not from heard's own prediction, so the survey results
# still test the prediction. Every answer is stored with simulated=1.
echo "== adding SIMULATED survey answers (labelled simulated; not real customers)"
ids=$(curl -s -H "$AUTH" "$BASE/v1/conversations?limit=1000" | grep -o '"id":"[^"]*"' | sed 's/"id":"\(.*\)"/\1/')
n=0
answered=0
for id in $ids; do
    n=$((n + 1))
    [ $((n % 5)) -eq 0 ] && continue # not every customer answers
    kind=$(curl -s -H "$AUTH" "$BASE/v1/conversations/$id" | grep -o '"kind":"[^"]*"' | head -n 1 | sed 's/"kind":"\(.*\)"/\1/')
    v=$((n % 2))
    case $kind in
    empathetic) felt=$((4 + v)); und=5 ;;
    hurried_answered_well) felt=4; und=$((4 + v)) ;;
    routine) felt=$((3 + v)); und=4 ;;
    polite_not_empathetic) felt=$((2 + v)); und=3 ;;
    hurried_scripted_no_action) felt=2; und=2 ;;
    dismissive) felt=$((1 + v)); und=1 ;;
    *) felt=3; und=3 ;;
    esac
    case $((n % 6)) in 0|3) imp=5 ;; 1|4) imp=4 ;; 2) imp=3 ;; *) imp=5 ;; esac
    case $((n % 7)) in 0|1|4) urgent=phone ;; 2) urgent=chat ;; 3) urgent=in_person ;; 5) urgent=email ;; *) urgent=phone ;; esac
    token=$(curl -s -H "$AUTH" --data-binary "{\"conversation_id\":\"$id\"}" "$BASE/v1/surveys" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
    [ -n "$token" ] || continue
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" -H "Content-Type: application/json" \
        --data-binary "{\"simulated\":true,\"felt_heard\":$felt,\"understood\":$und,\"empathy_importance\":$imp,\"urgent_channel\":\"$urgent\",\"comment\":\"[simulated demo answer]\"}" \
        "$BASE/s/$token")
    [ "$code" = 201 ] && answered=$((answered + 1))
done
echo "   $answered simulated answers"
open_token=$(curl -s -H "$AUTH" --data-binary "{\"conversation_id\":\"$(echo "$ids" | head -n 1)\"}" "$BASE/v1/surveys" | sed -n 's/.*"url":"\([^"]*\)".*/\1/p')

cat <<EOF2

== heard serve is running (pid $PID, database $DBFILE, log $DBFILE.log)

   dashboard:     $BASE/
   manager key:   $KEY
   a survey form: $open_token

   try:  curl -H 'Authorization: Bearer $KEY' '$BASE/v1/stats?group_by=channel'
         curl -H 'Authorization: Bearer $KEY' '$BASE/v1/surveys/results?group_by=channel'

   The survey answers in this database are SIMULATED (marked simulated=1).
EOF2
if [ "$BACKGROUND" = "--background" ]; then
    echo "   stop it with: kill $PID"
    exit 0
fi
echo "   Press Ctrl-C to stop."
trap 'kill -TERM $PID 2>/dev/null; wait $PID 2>/dev/null; exit 0' INT TERM
wait "$PID"

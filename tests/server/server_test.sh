#!/bin/sh
# server_test.sh - end-to-end tests of `heard serve` over HTTP (curl), on
# 127.0.0.1 only, with a random free port. Every endpoint, access control,
# bad bodies, limits, idempotence, surveys, concurrency and durability after
# a hard kill.
#   usage: server_test.sh HEARD_BINARY sqlite|POSTGRESQL_URL
set -u
HEARD=$1
MODE=${2:-sqlite}
ROOT=$(pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/heard-server-test.XXXXXX")
PID=
PASS=0
FAIL=0

cleanup() {
    if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
        kill -TERM "$PID" 2>/dev/null
        wait "$PID" 2>/dev/null
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

command -v curl >/dev/null 2>&1 || { echo "server_test: curl is missing (scripts/deps.sh installs it)"; exit 1; }

if [ "$MODE" = sqlite ]; then
    DB="sqlite:$TMP/heard.db"
else
    DB=$MODE
fi

ok() { PASS=$((PASS + 1)); }
bad() { FAIL=$((FAIL + 1)); echo "FAIL: $*"; }
# expect NAME WANT GOT
expect() {
    if [ "$2" = "$3" ]; then ok; else bad "$1: wanted '$2', got '$3'"; [ -f "$TMP/body" ] && head -c 400 "$TMP/body" && echo; fi
}
# contains NAME FILE TEXT
contains() {
    if grep -q -- "$3" "$2"; then ok; else bad "$1: '$3' not in response"; head -c 400 "$2"; echo; fi
}
# req ARGS... : status code; body in $TMP/body, headers in $TMP/headers
req() {
    curl -s -m 20 -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' "$@" || echo "curl-failed"
}
auth() { echo "Authorization: Bearer $1"; }

start_server() {
    rm -f "$TMP/port"
    "$HEARD" serve --db "$DB" --listen 127.0.0.1:0 --port-file "$TMP/port" --threads 4 \
        --web "$ROOT/web" ${SERVE_EXTRA:-} 2>>"$TMP/server.log" &
    PID=$!
    i=0
    while [ ! -s "$TMP/port" ] && [ $i -lt 200 ]; do
        kill -0 "$PID" 2>/dev/null || break
        sleep 0.1
        i=$((i + 1))
    done
    if [ ! -s "$TMP/port" ]; then
        echo "server_test: the server did not start"
        cat "$TMP/server.log"
        exit 1
    fi
    BASE="http://127.0.0.1:$(cat "$TMP/port")"
}

# --- keys ------------------------------------------------------------------
ADMIN=$("$HEARD" keys create --db "$DB" --role admin 2>/dev/null)
MANAGER=$("$HEARD" keys create --db "$DB" --role manager 2>/dev/null)
AGENT3=$("$HEARD" keys create --db "$DB" --role agent --agent a-03 2>/dev/null)
AGENT5=$("$HEARD" keys create --db "$DB" --role agent --agent a-05 2>/dev/null)
case "$MANAGER" in hk_*) ok ;; *) bad "keys create printed '$MANAGER'"; exit 1 ;; esac
[ ${#MANAGER} -ge 46 ] && ok || bad "key too short: ${#MANAGER}"
"$HEARD" keys create --db "$DB" --role agent >/dev/null 2>&1 && bad "agent key without --agent" || ok
"$HEARD" keys create --db "$DB" --role root >/dev/null 2>&1 && bad "unknown role accepted" || ok
"$HEARD" keys list --db "$DB" >"$TMP/keys" 2>&1 && ok || bad "keys list"
contains "keys list shows roles" "$TMP/keys" "manager"
grep -q "$MANAGER" "$TMP/keys" && bad "keys list shows a key" || ok
if [ "$MODE" = sqlite ]; then
    grep -a -q "$MANAGER" "$TMP/heard.db" "$TMP/heard.db-wal" 2>/dev/null && bad "key stored in clear" || ok
fi

start_server

# --- health, metrics, dashboard --------------------------------------------
expect "healthz" 200 "$(req "$BASE/healthz")"
contains "healthz body" "$TMP/body" '"status":"ok"'
expect "metrics without key" 401 "$(req "$BASE/metrics")"
expect "unknown endpoint" 404 "$(req -H "$(auth "$MANAGER")" "$BASE/v1/nope")"
contains "404 is JSON" "$TMP/body" '"error"'
expect "wrong method" 405 "$(req -X DELETE -H "$(auth "$MANAGER")" "$BASE/v1/stats")"
grep -qi '^Allow: GET' "$TMP/headers" && ok || bad "405 without Allow"
if [ -f "$ROOT/web/index.html" ]; then
    expect "dashboard" 200 "$(req "$BASE/")"
    grep -qi '^Content-Type: text/html' "$TMP/headers" && ok || bad "dashboard content type"
fi
expect "no path traversal" 404 "$(req --path-as-is "$BASE/../meson.build")"

# --- access ----------------------------------------------------------------
expect "no key" 401 "$(req "$BASE/v1/conversations")"
contains "401 is a JSON error" "$TMP/body" '"error":"missing API key"'
expect "wrong key" 401 "$(req -H "Authorization: Bearer hk_wrong" "$BASE/v1/conversations")"
expect "not bearer" 401 "$(req -H "Authorization: Basic $MANAGER" "$BASE/v1/conversations")"
ONE='{"id":"t-1","channel":"chat","agent":"a-03","team":"billing","turns":[{"speaker":"customer","text":"I have been charged twice and rent is due tomorrow!!","at":"2026-03-02T10:14:05Z"},{"speaker":"agent","text":"Thanks for reaching out. Please share your account number.","at":"2026-03-02T10:21:40Z"}]}'
expect "agent cannot store" 403 "$(req -H "$(auth "$AGENT3")" --data-binary "$ONE" "$BASE/v1/conversations")"
contains "403 is a JSON error" "$TMP/body" '"error":"forbidden"'
expect "agent cannot export" 403 "$(req -H "$(auth "$AGENT3")" "$BASE/v1/export?format=csv")"
expect "agent cannot read survey results" 403 "$(req -H "$(auth "$AGENT3")" "$BASE/v1/surveys/results")"

# --- analyze (nothing stored) ------------------------------------------------
expect "analyze" 200 "$(req -H "$(auth "$AGENT3")" --data-binary "$ONE" "$BASE/v1/analyze")"
contains "analysis schema" "$TMP/body" '"schema":1'
contains "analysis scores" "$TMP/body" '"scores"'
contains "analysis echoes id" "$TMP/body" '"id":"t-1"'
expect "analyze stores nothing" 404 "$(req -H "$(auth "$MANAGER")" "$BASE/v1/conversations/t-1")"

# --- bad bodies --------------------------------------------------------------
expect "invalid JSON" 400 "$(req -H "$(auth "$MANAGER")" --data-binary '{"id": "x", "turns": [' "$BASE/v1/analyze")"
contains "invalid JSON error" "$TMP/body" '"error":"invalid JSON"'
expect "empty body" 400 "$(req -H "$(auth "$MANAGER")" -X POST "$BASE/v1/conversations")"
expect "not a conversation" 422 "$(req -H "$(auth "$MANAGER")" --data-binary '{"id":"x","turns":5}' "$BASE/v1/analyze")"
expect "bad speaker" 422 "$(req -H "$(auth "$MANAGER")" --data-binary '{"id":"x","turns":[{"speaker":"robot","text":"hi"}]}' "$BASE/v1/conversations")"
expect "missing id when storing" 422 "$(req -H "$(auth "$MANAGER")" --data-binary '{"turns":[{"speaker":"customer","text":"hi"}]}' "$BASE/v1/conversations")"
DEEP=$(printf '%0200d' 0 | sed 's/0/[/g')
expect "too deep" 400 "$(req -H "$(auth "$MANAGER")" --data-binary "$DEEP" "$BASE/v1/analyze")"
expect "array, not object" 400 "$(req -H "$(auth "$MANAGER")" --data-binary '[1,2]' "$BASE/v1/assist")"
head -c 1100000 /dev/zero | tr '\0' 'x' >"$TMP/big"
expect "oversized body" 413 "$(req -H "$(auth "$MANAGER")" --data-binary @"$TMP/big" "$BASE/v1/conversations")"
expect "oversized chunked body" 413 "$(req -H "$(auth "$MANAGER")" -H "Transfer-Encoding: chunked" --data-binary @"$TMP/big" "$BASE/v1/analyze")"
printf '{"id":"bin","turns":[{"speaker":"customer","text":"\377\376 bad utf8"}]}' >"$TMP/bin"
code=$(req -H "$(auth "$MANAGER")" --data-binary @"$TMP/bin" "$BASE/v1/analyze")
case "$code" in 400|422) ok ;; *) bad "invalid UTF-8: $code" ;; esac

# --- store, idempotence ------------------------------------------------------
expect "store one" 201 "$(req -H "$(auth "$MANAGER")" --data-binary "$ONE" "$BASE/v1/conversations")"
expect "store again (idempotent)" 200 "$(req -H "$(auth "$MANAGER")" --data-binary "$ONE" "$BASE/v1/conversations")"
req -H "$(auth "$MANAGER")" "$BASE/v1/conversations?team=billing&agent=a-03&limit=1000" >/dev/null
expect "stored once" 1 "$(grep -o '"id":"t-1"' "$TMP/body" | wc -l | tr -d ' ')"
expect "read one" 200 "$(req -H "$(auth "$MANAGER")" "$BASE/v1/conversations/t-1")"
contains "read back the analysis" "$TMP/body" '"schema":1'

# a batch: the samples plus one broken line, which must come back in its place
cat "$ROOT"/data/samples/*.jsonl >"$TMP/batch.jsonl" 2>/dev/null
N=$(grep -c . "$TMP/batch.jsonl")
if [ "$N" -gt 1 ]; then
    { head -n 2 "$TMP/batch.jsonl"; echo '{"id": "broken", "turns": ['; tail -n +3 "$TMP/batch.jsonl"; } >"$TMP/batch2.jsonl"
    expect "store batch" 200 "$(req -H "$(auth "$MANAGER")" -H "Content-Type: application/x-ndjson" --data-binary @"$TMP/batch2.jsonl" "$BASE/v1/conversations")"
    contains "batch stored count" "$TMP/body" "\"stored\":$N,\"failed\":1"
    contains "batch per-line error" "$TMP/body" '"line":3,"error"'
    expect "re-store batch" 200 "$(req -H "$(auth "$MANAGER")" --data-binary @"$TMP/batch2.jsonl" "$BASE/v1/conversations")"
    req -H "$(auth "$MANAGER")" "$BASE/v1/export?format=csv" >/dev/null
    expect "export rows after idempotent re-store" $((N + 2)) "$(grep -c . "$TMP/body" | tr -d ' ')"
else
    bad "no samples in data/samples"
fi
# a batch of 301 lines: PostgreSQL gets the inserts of a write in pipeline
# chunks of 128, and an id given twice in one write is replaced by the later
# line (inserted, then updated in the same transaction)
i=0
while [ $i -lt 300 ]; do
    echo "{\"id\":\"p-$i\",\"agent\":\"pipe\",\"turns\":[{\"speaker\":\"customer\",\"text\":\"Order $i is late again.\"}]}"
    i=$((i + 1))
done >"$TMP/b301.jsonl"
echo '{"id":"p-7","agent":"pipe2","turns":[{"speaker":"customer","text":"Order 7 came."}]}' >>"$TMP/b301.jsonl"
expect "batch of 301" 200 "$(req -H "$(auth "$MANAGER")" --data-binary @"$TMP/b301.jsonl" "$BASE/v1/conversations")"
contains "batch of 301 stored" "$TMP/body" '"stored":301,"failed":0'
req -H "$(auth "$MANAGER")" "$BASE/v1/conversations?agent=pipe&limit=1000" >/dev/null
expect "batch of 301 rows" 299 "$(grep -o '"id":"p-[0-9]*"' "$TMP/body" | sort -u | wc -l | tr -d ' ')"
req -H "$(auth "$MANAGER")" "$BASE/v1/conversations?agent=pipe2" >/dev/null
expect "repeated id: the later line wins" 1 "$(grep -o '"id":"p-7"' "$TMP/body" | wc -l | tr -d ' ')"
expect "all-bad batch" 422 "$(req -H "$(auth "$MANAGER")" --data-binary "$(printf '{"id":1}\n{"x":2}\n')" "$BASE/v1/conversations")"

# --- agents see only their own ---------------------------------------------------
expect "agent reads own" 200 "$(req -H "$(auth "$AGENT3")" "$BASE/v1/conversations/t-1")"
expect "agent reads another's" 404 "$(req -H "$(auth "$AGENT5")" "$BASE/v1/conversations/t-1")"
expect "agent lists" 200 "$(req -H "$(auth "$AGENT5")" "$BASE/v1/conversations?limit=1000")"
grep -o '"agent":"[^"]*"' "$TMP/body" | grep -v '"agent":"a-05"' >/dev/null && bad "agent list shows other agents" || ok
expect "agent asks for another agent" 403 "$(req -H "$(auth "$AGENT5")" "$BASE/v1/conversations?agent=a-03")"
expect "agent stats" 200 "$(req -H "$(auth "$AGENT5")" "$BASE/v1/stats?group_by=agent")"
grep -o '"key":"[^"]*"' "$TMP/body" | grep -v '"key":"a-05"' >/dev/null && bad "agent stats show other agents" || ok

# --- listing filters ---------------------------------------------------------------
expect "filter channel" 200 "$(req -H "$(auth "$MANAGER")" "$BASE/v1/conversations?channel=email&limit=1000")"
grep -o '"channel":"[^"]*"' "$TMP/body" | grep -v email >/dev/null && bad "channel filter" || ok
expect "filter dates" 200 "$(req -H "$(auth "$MANAGER")" "$BASE/v1/conversations?from=2026-03-02&to=2026-03-02")"
contains "date filter keeps t-1" "$TMP/body" '"id":"t-1"'
expect "filter flag" 200 "$(req -H "$(auth "$MANAGER")" "$BASE/v1/conversations?flag=polite_not_empathetic")"
expect "unknown flag" 400 "$(req -H "$(auth "$MANAGER")" "$BASE/v1/conversations?flag=nope")"
expect "unknown channel" 400 "$(req -H "$(auth "$MANAGER")" "$BASE/v1/conversations?channel=fax")"
expect "bad date" 400 "$(req -H "$(auth "$MANAGER")" "$BASE/v1/conversations?from=yesterday")"
expect "bad limit" 400 "$(req -H "$(auth "$MANAGER")" "$BASE/v1/conversations?limit=0")"
expect "sql in a filter is data" 200 "$(req -H "$(auth "$MANAGER")" "$BASE/v1/conversations?team=x%27%20OR%201%3D1--")"
contains "sql in a filter matches nothing" "$TMP/body" '"conversations":\[\]'

# --- assist ------------------------------------------------------------------------
ASSIST='{"channel":"chat","turns":[{"speaker":"customer","text":"I have been charged twice and rent is due tomorrow!! I am really worried."}],"draft":"Thanks for reaching out. Please share your account number."}'
expect "assist" 200 "$(req -H "$(auth "$AGENT3")" --data-binary "$ASSIST" "$BASE/v1/assist")"
contains "assist cues" "$TMP/body" '"cues":\['
contains "assist judges the draft" "$TMP/body" '"draft":{"empathy"'
# clearly worded cases: an urgent, worried customer on chat and a dismissive draft
DISMISS='{"channel":"chat","turns":[{"speaker":"customer","text":"I have been charged twice and rent is due tomorrow!! I am really worried."}],"draft":"Calm down, there is nothing we can do about bank delays."}'
expect "assist dismissive draft" 200 "$(req -H "$(auth "$AGENT3")" --data-binary "$DISMISS" "$BASE/v1/assist")"
contains "assist: unanswered bid" "$TMP/body" '"kind":"unanswered_bid"'
contains "assist: hurry" "$TMP/body" '"kind":"hurry","message":"Customer is in a hurry: acknowledge it, act, give a time."'
contains "assist: offer a call on chat" "$TMP/body" '"kind":"offer_call"'
contains "assist: dismissive phrase with evidence" "$TMP/body" '"kind":"dismissive".*"text":"Calm down"'
contains "assist: phrasing from the customer's words" "$TMP/body" '"suggestion":{"text":"I understand: you have been charged twice'
expect "assist on the phone" 200 "$(req -H "$(auth "$AGENT3")" --data-binary "$(echo "$DISMISS" | sed 's/"chat"/"phone"/')" "$BASE/v1/assist")"
grep -q '"kind":"offer_call"' "$TMP/body" && bad "assist offers a call on a call" || ok
expect "assist without draft" 200 "$(req -H "$(auth "$AGENT3")" --data-binary '{"turns":[{"speaker":"customer","text":"hello?"}]}' "$BASE/v1/assist")"
contains "assist without draft: draft null" "$TMP/body" '"draft":null'
expect "assist draft not a string" 400 "$(req -H "$(auth "$AGENT3")" --data-binary '{"turns":[],"draft":5}' "$BASE/v1/assist")"
expect "assist without turns" 422 "$(req -H "$(auth "$AGENT3")" --data-binary '{"draft":"hi"}' "$BASE/v1/assist")"
expect "assist no key" 401 "$(req --data-binary "$ASSIST" "$BASE/v1/assist")"

# --- stats -------------------------------------------------------------------------
for g in agent team channel day; do
    expect "stats by $g" 200 "$(req -H "$(auth "$MANAGER")" "$BASE/v1/stats?group_by=$g&from=2020-01-01&to=2030-12-31")"
    contains "stats by $g groups" "$TMP/body" '"missed_opportunity_rate"'
done
contains "stats fields" "$TMP/body" '"felt_heard_surveyed"'
expect "stats bad group" 400 "$(req -H "$(auth "$MANAGER")" "$BASE/v1/stats?group_by=planet")"
# a bid in the customer's last turn: unanswered, not missed, not in the rate
UNANS='{"id":"u-1","agent":"a-09","team":"unans","channel":"chat","turns":[{"speaker":"agent","text":"Hello, how can I help?"},{"speaker":"customer","text":"My mum is in hospital and I am so stressed, I cannot pay this bill."}]}'
expect "store unanswered" 201 "$(req -H "$(auth "$MANAGER")" --data-binary "$UNANS" "$BASE/v1/conversations")"
expect "list unanswered" 200 "$(req -H "$(auth "$MANAGER")" "$BASE/v1/conversations?team=unans")"
contains "listing: not missed" "$TMP/body" '"opportunities":1,"missed":0,"unanswered":1'
expect "stats unanswered" 200 "$(req -H "$(auth "$MANAGER")" "$BASE/v1/stats?group_by=team&team=unans")"
contains "stats: unanswered apart" "$TMP/body" '"unanswered_opportunities":1,"missed_opportunity_rate":null'
expect "read unanswered" 200 "$(req -H "$(auth "$MANAGER")" "$BASE/v1/conversations/u-1")"
contains "analysis: status unanswered" "$TMP/body" '"status":"unanswered"'

# --- surveys -------------------------------------------------------------------------
expect "survey for unknown conversation" 404 "$(req -H "$(auth "$MANAGER")" --data-binary '{"conversation_id":"nope"}' "$BASE/v1/surveys")"
expect "survey without id" 422 "$(req -H "$(auth "$MANAGER")" --data-binary '{}' "$BASE/v1/surveys")"
expect "agent survey for another's conversation" 404 "$(req -H "$(auth "$AGENT5")" --data-binary '{"conversation_id":"t-1"}' "$BASE/v1/surveys")"
expect "create survey" 201 "$(req -H "$(auth "$MANAGER")" --data-binary '{"conversation_id":"t-1"}' "$BASE/v1/surveys")"
TOKEN=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$TMP/body")
[ ${#TOKEN} -ge 22 ] && ok || bad "survey token shorter than 128 bits: '$TOKEN'"
contains "survey url" "$TMP/body" "\"url\":\"http://127.0.0.1:[0-9]*/s/$TOKEN\""
expect "survey form" 200 "$(req "$BASE/s/$TOKEN")"
grep -qi '^Content-Type: text/html' "$TMP/headers" && ok || bad "survey form content type"
contains "form is mobile friendly" "$TMP/body" 'name="viewport"'
contains "form asks felt heard" "$TMP/body" 'name="felt_heard" value="5"'
contains "form asks understood" "$TMP/body" 'name="understood" value="1"'
contains "form asks importance" "$TMP/body" 'name="empathy_importance"'
contains "form asks urgent channel" "$TMP/body" 'name="urgent_channel" value="in_person"'
contains "form has labelled comment" "$TMP/body" '<label for="comment">'
expect "unknown survey" 404 "$(req "$BASE/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")"
expect "odd survey token" 404 "$(req "$BASE/s/%3Cscript%3E")"
expect "bad rating" 422 "$(req --data-binary 'felt_heard=9' "$BASE/s/$TOKEN")"
contains "bad rating shows the form again" "$TMP/body" 'role="alert"'
expect "simulated needs a manager" 401 "$(req --data-binary 'felt_heard=4&simulated=1' "$BASE/s/$TOKEN")"
expect "answer survey" 200 "$(req --data-binary 'felt_heard=4&understood=5&empathy_importance=5&channel_used=chat&urgent_channel=phone&comment=%3Cscript%3Ealert(1)%3C%2Fscript%3E' "$BASE/s/$TOKEN")"
expect "answer twice" 409 "$(req --data-binary 'felt_heard=1' "$BASE/s/$TOKEN")"
expect "answered form" 200 "$(req "$BASE/s/$TOKEN")"
contains "answered form says so" "$TMP/body" 'already been answered'
expect "create survey 2" 201 "$(req -H "$(auth "$AGENT3")" --data-binary '{"conversation_id":"t-1"}' "$BASE/v1/surveys")"
TOKEN2=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$TMP/body")
[ "$TOKEN" != "$TOKEN2" ] && ok || bad "survey tokens repeat"
expect "answer as JSON" 201 "$(req -H 'Content-Type: application/json' --data-binary '{"felt_heard":2,"understood":2,"empathy_importance":4,"urgent_channel":"phone"}' "$BASE/s/$TOKEN2")"
expect "answer as JSON twice" 409 "$(req -H 'Content-Type: application/json' --data-binary '{"felt_heard":2}' "$BASE/s/$TOKEN2")"
for g in channel agent team; do
    expect "survey results by $g" 200 "$(req -H "$(auth "$MANAGER")" "$BASE/v1/surveys/results?group_by=$g")"
done
contains "results count" "$TMP/body" '"overall":{"key":null,"responses":2'
contains "results importance share" "$TMP/body" '"empathy_very_important_share":1'
contains "results urgent channel" "$TMP/body" '"preferred_channel_when_urgent":{"phone":2}'
contains "results behaviours" "$TMP/body" '"behaviour":"ownership"'
contains "results correlation" "$TMP/body" '"predicted_vs_surveyed"'
expect "survey results bad group" 400 "$(req -H "$(auth "$MANAGER")" "$BASE/v1/surveys/results?group_by=day")"

# --- export ----------------------------------------------------------------------------
expect "export" 200 "$(req -H "$(auth "$MANAGER")" "$BASE/v1/export?format=csv")"
expect "export header" "id,agent,team,channel,started_at,turns,empathy,politeness,felt_heard_predicted,flags,opportunities,missed_opportunities,wait_max_seconds,wait_mean_seconds,felt_heard_surveyed,survey_responses,unanswered_opportunities" "$(head -n 1 "$TMP/body" | tr -d '\r')"
grep -qi '^Content-Type: text/csv' "$TMP/headers" && ok || bad "export content type"
contains "export survey column" "$TMP/body" '^t-1,a-03,billing,chat,2026-03-02T10:14:05Z,.*,3.00,2'
expect "export jsonl" 200 "$(req -H "$(auth "$MANAGER")" "$BASE/v1/export?format=jsonl")"
contains "export jsonl has the input" "$TMP/body" '^{"id":"t-1","channel":"chat"'
cp "$TMP/body" "$TMP/inputs.jsonl"
expect "export jsonl loads back" 200 "$(req -H "$(auth "$MANAGER")" --data-binary @"$TMP/inputs.jsonl" "$BASE/v1/conversations")"
contains "export jsonl loads back all" "$TMP/body" '"failed":0'
expect "export bad format" 400 "$(req -H "$(auth "$MANAGER")" "$BASE/v1/export?format=xls")"
FORMULA='{"id":"=HYPERLINK(1)","agent":"a-09","turns":[{"speaker":"customer","text":"hi"}]}'
req -H "$(auth "$MANAGER")" --data-binary "$FORMULA" "$BASE/v1/conversations" >/dev/null
req -H "$(auth "$MANAGER")" "$BASE/v1/export?format=csv&agent=a-09" >/dev/null
contains "export defuses formulas" "$TMP/body" "^\"'=HYPERLINK(1)\""

# --- metrics ---------------------------------------------------------------------------
expect "metrics" 200 "$(req -H "$(auth "$MANAGER")" "$BASE/metrics")"
grep -qi '^Content-Type: text/plain; version=0.0.4' "$TMP/headers" && ok || bad "metrics content type"
contains "metrics counter" "$TMP/body" '^heard_http_requests_total{route="conversations_post",code="201"} [0-9]'
tr -d '\r' <"$TMP/body" | grep -v -E '^# (HELP|TYPE) [a-z_]+ |^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9.e+-]+$' >"$TMP/badlines"
[ -s "$TMP/badlines" ] && bad "metrics lines not in Prometheus format: $(head -n 3 "$TMP/badlines")" || ok

# --- SQLite: the WAL is checkpointed beside the writer thread -------------------------
# 10 batches of the samples under new ids: more than the 1,000 WAL pages that
# wake the checkpointer; every row still there and the WAL bounded
if [ "$MODE" = sqlite ]; then
    cat "$ROOT"/data/samples/*.jsonl >"$TMP/samples.jsonl"
    NS=$(grep -c . "$TMP/samples.jsonl")
    k=0
    while [ $k -lt 10 ]; do
        sed "s/\"id\": *\"/\"id\": \"ck$k-/" "$TMP/samples.jsonl" >"$TMP/ck.jsonl"
        code=$(req -H "$(auth "$MANAGER")" --data-binary @"$TMP/ck.jsonl" "$BASE/v1/conversations")
        [ "$code" = 200 ] || bad "checkpoint batch $k: $code"
        k=$((k + 1))
    done
    i=0
    ckpts=0
    while [ $i -lt 50 ]; do
        req -H "$(auth "$MANAGER")" "$BASE/metrics" >/dev/null
        ckpts=$(sed -n 's/^heard_sqlite_checkpoints_total \([0-9]*\).*/\1/p' "$TMP/body")
        [ "${ckpts:-0}" -ge 1 ] && break
        sleep 0.1
        i=$((i + 1))
    done
    [ "${ckpts:-0}" -ge 1 ] && ok || bad "no checkpoint by the checkpointer thread (${ckpts:-none})"
    req -H "$(auth "$MANAGER")" "$BASE/v1/export?format=csv" >/dev/null
    expect "rows after the checkpointed batches" $((NS * 10)) "$(grep -c '^ck[0-9]-' "$TMP/body" | tr -d ' ')"
    wal=$(wc -c <"$TMP/heard.db-wal" 2>/dev/null || echo 0)
    [ "$wal" -lt $((40 * 1024 * 1024)) ] && ok || bad "WAL grew to $wal bytes"
fi

# --- concurrent clients: 8 loops of 50 requests --------------------------------------
for w in 1 2 3 4 5 6 7 8; do
    (
        i=0
        while [ $i -lt 50 ]; do
            case $((i % 3)) in
            0) code=$(curl -s -m 20 -o /dev/null -w '%{http_code}' -H "$(auth "$MANAGER")" \
                   --data-binary "{\"id\":\"load-$w-$i\",\"agent\":\"load\",\"channel\":\"email\",\"turns\":[{\"speaker\":\"customer\",\"text\":\"Still waiting on my refund, this is the third time I ask.\"},{\"speaker\":\"agent\",\"text\":\"I am sorry about the wait. I will chase it today and write back by 5pm.\"}]}" \
                   "$BASE/v1/conversations")
               code=w$code ;; # a write: each id is new, so 201
            1) code=$(curl -s -m 20 -o /dev/null -w '%{http_code}' -H "$(auth "$AGENT3")" --data-binary "$ASSIST" "$BASE/v1/assist") ;;
            2) code=$(curl -s -m 20 -o /dev/null -w '%{http_code}' -H "$(auth "$MANAGER")" "$BASE/v1/stats?group_by=agent") ;;
            esac
            echo "$code" >>"$TMP/load-$w"
            i=$((i + 1))
        done
    ) &
done

wait_all=0
while [ $wait_all -lt 600 ]; do
    done_n=0
    for w in 1 2 3 4 5 6 7 8; do
        [ -f "$TMP/load-$w" ] && [ "$(wc -l <"$TMP/load-$w")" -ge 50 ] && done_n=$((done_n + 1))
    done
    [ $done_n -eq 8 ] && break
    sleep 0.2
    wait_all=$((wait_all + 1))
done
expect "concurrent requests answered" 400 "$(cat "$TMP"/load-* | wc -l | tr -d ' ')"
expect "concurrent requests all 2xx" 0 "$(cat "$TMP"/load-* | grep -c -v '^w\{0,1\}20[01]$')"
# writes that arrive together are stored together (one transaction, and on
# PostgreSQL one pipeline): each must still learn that its row is new
expect "concurrent new ids all 201" 136 "$(cat "$TMP"/load-* | grep -c '^w201$')"
req -H "$(auth "$MANAGER")" "$BASE/v1/conversations?agent=load&limit=1000" >/dev/null
expect "concurrent writes all stored" 136 "$(grep -o '"id":"load-' "$TMP/body" | wc -l | tr -d ' ')"

# --- durability: a 2xx answer survives a hard kill --------------------------------------
expect "store before kill" 201 "$(req -H "$(auth "$MANAGER")" --data-binary '{"id":"durable","agent":"a-03","turns":[{"speaker":"customer","text":"hello"}]}' "$BASE/v1/conversations")"
kill -KILL "$PID"
wait "$PID" 2>/dev/null
PID=
SERVE_EXTRA="--sync normal" start_server
expect "stored data after kill -9" 200 "$(req -H "$(auth "$MANAGER")" "$BASE/v1/conversations/durable")"
# --sync normal (SQLite without an fsync per commit) stores as before
expect "store with --sync normal" 201 "$(req -H "$(auth "$MANAGER")" --data-binary '{"id":"sync-normal","turns":[{"speaker":"customer","text":"hello"}]}' "$BASE/v1/conversations")"
expect "read back with --sync normal" 200 "$(req -H "$(auth "$MANAGER")" "$BASE/v1/conversations/sync-normal")"
if [ "$MODE" = sqlite ]; then
    grep -q "synchronous=NORMAL" "$TMP/server.log" && ok || bad "--sync normal not reported at start"
fi
"$HEARD" serve --db "$DB" --sync sometimes >/dev/null 2>&1
expect "bad --sync refused" 2 "$?"

# --- revocation reaches a running server within the 2 s key cache ----------------------
SHORT=$("$HEARD" keys create --db "$DB" --role manager 2>/dev/null)
expect "fresh key works" 200 "$(req -H "$(auth "$SHORT")" "$BASE/v1/stats?group_by=channel")"
"$HEARD" keys revoke --db "$DB" "$(printf %s "$SHORT" | sha256sum | cut -c1-16)" >/dev/null
sleep 2.5
expect "revoked key refused" 401 "$(req -H "$(auth "$SHORT")" "$BASE/v1/stats?group_by=channel")"

# --- a body trickled in slower than --timeout is cut off -------------------------------
rm -f "$TMP/port2"
"$HEARD" serve --db "$DB" --listen 127.0.0.1:0 --port-file "$TMP/port2" --timeout 1 \
    2>>"$TMP/server.log" &
PID2=$!
i=0
while [ ! -s "$TMP/port2" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
head -c 40000 /dev/zero | tr '\0' 'a' > "$TMP/slowbody"
t0=$(date +%s)
code=$(curl -s -m 30 -o /dev/null -w '%{http_code}' --limit-rate 2K -H "$(auth "$MANAGER")" \
    --data-binary @"$TMP/slowbody" "http://127.0.0.1:$(cat "$TMP/port2")/v1/analyze" || true)
t1=$(date +%s)
kill -TERM "$PID2" 2>/dev/null
wait "$PID2" 2>/dev/null
expect "slow body cut off (no answer)" 000 "$code"
if [ $((t1 - t0)) -lt 10 ]; then ok; else bad "slow body took $((t1 - t0)) s to be cut off"; fi

# --- orderly shutdown ---------------------------------------------------------------------
expect "still healthy" 200 "$(req "$BASE/healthz")"
kill -TERM "$PID"
wait "$PID"
rc=$?
PID=
expect "exit status after SIGTERM" 0 "$rc"
if grep -q "ERROR: AddressSanitizer\|runtime error:\|LeakSanitizer" "$TMP/server.log"; then
    bad "sanitizer report in the server log"
    cat "$TMP/server.log"
fi

echo "server ($MODE): $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]

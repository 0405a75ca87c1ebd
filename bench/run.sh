#!/bin/sh
# run.sh - `make bench`: generates the benchmark corpus and measures heard
# (CLI throughput on one and on all cores, in-process latency, model load,
# scaling with length, peak RSS), the npm peers vader-sentiment and sentiment
# on the same turns, and the HTTP server with wrk. Writes the tables to
# bench/out/results.md (and prints them); raw figures go to bench/out/*.txt.
#
#   sh bench/run.sh BUILDDIR            everything
#   sh bench/run.sh BUILDDIR profile    perf profile of `heard analyze --threads 1`
#
# Environment: BENCH_TURNS (default 100000), BENCH_REPEAT (best of, default 3),
# BENCH_WRK_SECONDS (default 10), BENCH_SEED (default 42), BENCH_PEERS=0 to
# skip the peers, BENCH_SERVER=0 to skip the server, BENCH_UPDATE_DOC=1 to
# copy the tables into BENCHMARKS.md.
# A measurement that cannot run (missing tool, offline npm, no server yet) is
# reported as skipped; it never fails the run. Nothing here asserts timings.
set -u

B=${1:-build}
MODE=${2:-all}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case $B in /*) ;; *) B=$ROOT/$B ;; esac
OUT=$ROOT/bench/out
TURNS=${BENCH_TURNS:-100000}
REPEAT=${BENCH_REPEAT:-3}
WRK_S=${BENCH_WRK_SECONDS:-10}
SEED=${BENCH_SEED:-42}
NPROC=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)
HEARD=$B/heard
GEN=$B/bench/bench_gen
RSS=$B/bench/bench_rss
LAT=$B/bench/bench_latency
LOADGEN=$B/bench/bench_loadgen
RES=$OUT/results.md
mkdir -p "$OUT"

log() { printf '%s\n' "bench: $*" >&2; }
md() { printf '%s\n' "$*" >>"$RES"; }
# kv FILE KEY: the value of KEY=... in a line of key=value pairs
kv() { awk -v k="$2" '{for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) { print substr($i, length(k) + 2); exit }}' "$1" 2>/dev/null; }
# calc EXPR: floating point arithmetic
calc() { awk "BEGIN { x = $1; printf(\"%.${2:-1}f\", x) }"; }
have() { command -v "$1" >/dev/null 2>&1; }
# median of the sorted numbers on stdin, one a line
median() { awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

build_tools() {
    ninja -C "$B" bench/bench_gen bench/bench_rss bench/bench_latency bench/bench_loadgen heard >/dev/null || {
        log "build failed"; exit 1; }
}

# ---- corpus ----

gen_corpus() {
    log "generating corpus: $TURNS turns (seed $SEED)"
    "$GEN" --turns "$TURNS" --seed "$SEED" -o "$OUT/corpus.jsonl" -t "$OUT/corpus.txt" 2>"$OUT/gen.txt" || exit 1
    "$GEN" --turns 10000 --seed "$SEED" -o "$OUT/corpus10k.jsonl" 2>/dev/null || exit 1
    "$GEN" --mode long --turns 200 --seed "$SEED" -o "$OUT/long200.jsonl" 2>/dev/null || exit 1
    "$GEN" --mode email --bytes 61440 --seed "$SEED" -o "$OUT/email60k.jsonl" 2>/dev/null || exit 1
    "$GEN" --mode typical -o "$OUT/typical6.jsonl" 2>/dev/null || exit 1
    # gen.txt: "bench_gen: C conversations, T turns, B text bytes"
    CONVS=$(awk '{print $2}' "$OUT/gen.txt")
    NTURNS=$(awk '{print $4}' "$OUT/gen.txt")
    TBYTES=$(awk '{print $6}' "$OUT/gen.txt")
    JBYTES=$(wc -c <"$OUT/corpus.jsonl")
}

# ---- machine ----

machine() {
    cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
    mem=$(awk '/MemTotal/ {printf("%.1f GiB", $2 / 1048576)}' /proc/meminfo)
    bt=$(meson configure "$B" 2>/dev/null | awk '$1 == "buildtype" {print $2; exit}')
    cc=$(${CC:-cc} --version 2>/dev/null | head -1)
    md "# heard benchmark results"
    md ""
    md "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    rev=$(git -C "$ROOT" describe --always --dirty 2>/dev/null)
    md "- command: \`make bench\` (sh bench/run.sh $(basename "$B")), heard $("$HEARD" --version 2>/dev/null | awk '{print $2}')${rev:+ (git $rev)}, build type ${bt:-unknown}"
    md "- machine: $NPROC cores, $cpu, $mem RAM, $(uname -sr), ${cc:-cc}"
    md "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews every figure)"
    md "- corpus: $NTURNS turns in $CONVS conversations, $(calc "$TBYTES / 1e6" 2) MB of turn text ($(calc "$JBYTES / 1e6" 2) MB JSONL), seed $SEED"
    md ""
}

# ---- engine: heard analyze ----

analyze_works() {
    "$HEARD" analyze "$OUT/typical6.jsonl" 2>/dev/null | grep -q '"schema"'
}

# analyze_once THREADS: one run; kept in $OUT/analyze.tN.txt when it is the
# fastest so far (the file is removed before the first round)
analyze_once() {
    t=$1
    "$RSS" "$OUT/rss.tmp" "$HEARD" analyze --threads "$t" "$OUT/corpus.jsonl" \
        >"$OUT/analyze.out.jsonl" 2>"$OUT/analyze.err"
    w=$(kv "$OUT/rss.tmp" wall_s) best=$(kv "$OUT/analyze.t$t.txt" wall_s)
    echo "$w" >>"$OUT/analyze.t$t.walls"
    if [ -z "$best" ] || [ "$(calc "$w < $best" 0)" = 1 ]; then
        cp "$OUT/rss.tmp" "$OUT/analyze.t$t.txt"
    fi
    printf ' lines=%s errors=%s\n' "$(wc -l <"$OUT/analyze.out.jsonl")" \
        "$(grep -c '^{"schema": *1, *"line": *[0-9]*, *"error"' "$OUT/analyze.out.jsonl")" \
        >"$OUT/analyze.t$t.count"
    rm -f "$OUT/analyze.out.jsonl"
}

# analyze_control N: N independent single-threaded runs at once, as a
# control for the speed-up: work that shares nothing, not even a process,
# gets what the machine's N cores give. Each writes its output to a file,
# as the runs it is compared with do. The slowest one's wall time goes to
# $OUT/analyze.ctl.walls.
analyze_control() {
    k=1 pids=
    while [ "$k" -le "$1" ]; do
        "$RSS" "$OUT/ctl.$k.tmp" "$HEARD" analyze --threads 1 "$OUT/corpus.jsonl" \
            >"$OUT/ctl.$k.out.jsonl" 2>/dev/null &
        pids="$pids $!"
        k=$((k + 1))
    done
    wait $pids
    cat "$OUT"/ctl.*.tmp | sed 's/.*wall_s=\([0-9.]*\).*/\1/' | sort -n | tail -1 >>"$OUT/analyze.ctl.walls"
    rm -f "$OUT"/ctl.*.tmp "$OUT"/ctl.*.out.jsonl
}

# run_analyze T1 T2: REPEAT rounds of one run each, interleaved, so that the
# machine's drift (its speed moved by a third within minutes) falls on both
# alike; the best wall time of each into $OUT/analyze.tN.txt; each round
# ends with the control (analyze_control T2)
run_analyze() {
    rm -f "$OUT/analyze.t$1.txt" "$OUT/analyze.t$2.txt" "$OUT/analyze.t$1.walls" "$OUT/analyze.t$2.walls" \
        "$OUT/analyze.ctl.walls"
    for i in $(seq 1 "$REPEAT"); do
        for t in "$@"; do analyze_once "$t"; done
        analyze_control "$2"
    done
    for t in "$@"; do
        cat "$OUT/analyze.t$t.count" >>"$OUT/analyze.t$t.txt" && rm -f "$OUT/analyze.t$t.count"
        tr '\n' ' ' <"$OUT/analyze.t$t.txt" >"$OUT/rss.tmp" && mv "$OUT/rss.tmp" "$OUT/analyze.t$t.txt"
    done
}

engine() {
    md "## Engine: \`heard analyze\` on the corpus"
    md ""
    if ! analyze_works; then
        log "heard analyze does not produce output yet: engine skipped"
        md "Skipped: \`heard analyze\` produced no analysis."
        md ""
        T1_TPS=""
        return
    fi
    log "heard analyze --threads 1 and --threads $NPROC, interleaved (best of $REPEAT each)"
    run_analyze 1 "$NPROC"
    startup
    md "Whole pipeline: process start, model load, JSONL parsing, analysis, JSON output (to a file), best of $REPEAT runs, the single- and multi-threaded runs interleaved."
    md ""
    md "| threads | wall s | turns/s | MB/s (turn text) | conversations/s | CPU s (user+sys) | cores busy (CPU s / wall s) | peak RSS MiB | output lines | error lines |"
    md "|---|---|---|---|---|---|---|---|---|---|"
    for t in 1 "$NPROC"; do
        f=$OUT/analyze.t$t.txt
        w=$(kv "$f" wall_s)
        cpu=$(calc "$(kv "$f" user_s) + $(kv "$f" sys_s)" 2)
        md "| $t | $w | $(calc "$NTURNS / $w" 0) | $(calc "$TBYTES / $w / 1e6" 1) | $(calc "$CONVS / $w" 0) | $cpu | $(calc "$cpu / $w" 2) | $(calc "$(kv "$f" maxrss_kb) / 1024" 1) | $(kv "$f" lines) | $(kv "$f" errors) |"
    done
    w1=$(kv "$OUT/analyze.t1.txt" wall_s)
    wn=$(kv "$OUT/analyze.t$NPROC.txt" wall_s)
    T1_TPS=$(calc "$NTURNS / $w1" 0)
    md ""
    # per round (a single- and a multi-threaded run one after the other):
    # the ratio of the two, less exposed to the machine's drift than the
    # ratio of two bests taken minutes apart
    ratios=$(paste "$OUT/analyze.t1.walls" "$OUT/analyze.t$NPROC.walls" |
        awk '$2 > 0 { printf "%.2f\n", $1 / $2 }' | sort -n)
    med=$(echo "$ratios" | median)
    # the control: N processes' aggregate throughput against one process's
    ctl=$(paste "$OUT/analyze.t1.walls" "$OUT/analyze.ctl.walls" |
        awk -v n="$NPROC" '$2 > 0 { printf "%.2f\n", n * $1 / $2 }' | sort -n)
    cmed=$(echo "$ctl" | median)
    md "Speed-up on $NPROC cores: $(calc "$w1 / $wn" 2)x from the best runs; per round $(echo $ratios | sed 's/ /x, /g')x, median ${med}x (target: near-linear). Control: $NPROC independent single-threaded runs at once, which share nothing, had $(echo $ctl | sed 's/ /x, /g')x the throughput of one run in the same rounds (median ${cmed}x): what this machine's $NPROC cores give. One 6-turn conversation end to end (process start + model load), median of $STARTUP_RUNS runs: $(ms_median typical) ms (fastest $(ms_min typical)), peak RSS $(calc "$(kv "$OUT/startup.typical.1" maxrss_kb) / 1024" 1) MiB; of which the process alone (\`heard --version\`) $(ms_median version) ms and an empty input (process start, analyser and models) $(ms_median empty) ms."
    md ""
}

# startup: STARTUP_RUNS runs each, one after the other, of heard on the
# typical conversation, on empty input and with --version (the process
# alone), into $OUT/startup.<kind>.<i>; single runs moved by 10 ms.
STARTUP_RUNS=21
startup() {
    : >"$OUT/empty.jsonl"
    i=1
    while [ "$i" -le "$STARTUP_RUNS" ]; do
        "$RSS" "$OUT/startup.typical.$i" "$HEARD" analyze --threads 1 "$OUT/typical6.jsonl" >/dev/null 2>&1
        "$RSS" "$OUT/startup.empty.$i" "$HEARD" analyze --threads 1 "$OUT/empty.jsonl" >/dev/null 2>&1
        "$RSS" "$OUT/startup.version.$i" "$HEARD" --version >/dev/null 2>&1
        i=$((i + 1))
    done
}
# wall times in ms of the startup runs of a kind, sorted
ms_sorted() { for f in "$OUT"/startup."$1".*; do kv "$f" wall_s; done | awk '{ printf "%.1f\n", $1 * 1000 }' | sort -n; }
ms_median() { ms_sorted "$1" | median; }
ms_min() { ms_sorted "$1" | head -n 1; }

# ---- in-process latency and scaling ----

latency() {
    md "## Latency of one conversation (in process, bench/latency.c)"
    md ""
    log "latency: typical 6-turn conversation x 10000"
    "$LAT" --iters 10000 "$OUT/typical6.jsonl" >"$OUT/lat.typical.txt" 2>"$OUT/lat.err" || log "latency: failures (see $OUT/lat.err)"
    log "latency: 200-turn conversation, 60 KiB email, corpus sample"
    "$LAT" --iters 300 "$OUT/long200.jsonl" >"$OUT/lat.long.txt" 2>>"$OUT/lat.err"
    "$LAT" --iters 300 "$OUT/email60k.jsonl" >"$OUT/lat.email.txt" 2>>"$OUT/lat.err"
    "$LAT" --iters 1567 "$OUT/corpus10k.jsonl" >"$OUT/lat.corpus.txt" 2>>"$OUT/lat.err"
    f=$OUT/lat.typical.txt
    if [ -z "$(kv "$f" p50_us)" ]; then
        md "Skipped: bench_latency failed ($(head -1 "$OUT/lat.err"))."
        md ""
        return
    fi
    md "heard_analyze() on one analyser and workspace, result freed, no JSON; 10,000 calls after warm-up."
    md ""
    md "| conversation | turns | bytes | p50 µs | p90 µs | p99 µs | max µs | µs/turn | ns/byte |"
    md "|---|---|---|---|---|---|---|---|---|"
    for n in typical long email corpus; do
        f=$OUT/lat.$n.txt
        case $n in
            typical) name="typical chat (6 turns)" ;;
            long) name="long chat (200 turns)" ;;
            email) name="one 60 KiB email" ;;
            corpus) name="corpus conversations (mixed)" ;;
        esac
        [ -n "$(kv "$f" p50_us)" ] || continue
        if [ "$n" = corpus ]; then
            b="$(calc "$(kv "$f" bytes) / $(kv "$f" conversations)" 0) avg"; tn="$(calc "$(kv "$f" turns) / $(kv "$f" conversations)" 1) avg"
        else
            b=$(kv "$f" bytes); tn=$(kv "$f" turns)
        fi
        md "| $name | $tn | $b | $(kv "$f" p50_us) | $(kv "$f" p90_us) | $(kv "$f" p99_us) | $(kv "$f" max_us) | $(kv "$f" us_per_turn) | $(kv "$f" ns_per_byte) |"
    done
    md ""
    f=$OUT/lat.typical.txt
    md "Model load (heard_analyzer_new, rules + models: $(kv "$f" models)): first $(kv "$f" load_cold_ms) ms, median of 5 $(kv "$f" load_ms) ms."
    md ""
    if [ -n "$(kv "$OUT/lat.long.txt" us_per_turn)" ] && [ -n "$(kv "$OUT/lat.email.txt" ns_per_byte)" ]; then
        md "Scaling with length: per turn, the 200-turn conversation costs $(calc "$(kv "$OUT/lat.long.txt" us_per_turn) / $(kv "$f" us_per_turn)" 2)x a 6-turn one's turns (per byte $(calc "$(kv "$OUT/lat.long.txt" ns_per_byte) / $(kv "$f" ns_per_byte)" 2)x); per byte, the 60 KiB email costs $(calc "$(kv "$OUT/lat.email.txt" ns_per_byte) / $(kv "$f" ns_per_byte)" 2)x the short turns (1.0 = linear)."
        md ""
    fi
}

# ---- peers ----

peers() {
    md "## Side by side: npm sentiment scorers on the same turns"
    md ""
    P=$ROOT/bench/peers
    if [ "${BENCH_PEERS:-1}" = 0 ]; then md "Skipped (BENCH_PEERS=0)."; md ""; return; fi
    if ! have node || ! have npm; then
        log "node/npm missing: peers unavailable"
        md "Peers unavailable: node or npm is not installed."; md ""; return
    fi
    if [ ! -d "$P/node_modules/vader-sentiment" ] || [ ! -d "$P/node_modules/sentiment" ]; then
        log "npm ci in bench/peers"
        (cd "$P" && timeout 180 npm ci --no-audit --no-fund --loglevel=error >"$OUT/npm.txt" 2>&1) || {
            log "npm ci failed (offline?): peers unavailable"
            md "Peers unavailable: \`npm ci\` failed (offline?), see bench/out/npm.txt."; md ""; return; }
    fi
    # best of REPEAT runs, as heard's own figure: on this shared machine a
    # run right after minutes of full load can be a third slower
    for p in vader sentiment; do
        log "peer $p on $NTURNS turns (best of $REPEAT)"
        : >"$OUT/peer.$p.txt"
        for i in $(seq 1 "$REPEAT"); do
            timeout 900 node "$P/score.js" "$p" "$OUT/corpus.txt" >"$OUT/peer.$p.run" 2>"$OUT/peer.$p.err" ||
                { log "peer $p failed (see $OUT/peer.$p.err)"; break; }
            new=$(kv "$OUT/peer.$p.run" turns_per_s) old=$(kv "$OUT/peer.$p.txt" turns_per_s)
            if [ -z "$old" ] || [ "$(calc "$new > $old" 0)" = 1 ]; then cp "$OUT/peer.$p.run" "$OUT/peer.$p.txt"; fi
        done
    done
    md "One node process per package, one call per turn (the turns file of the same corpus, newlines inside turns as spaces); timed: reading the file + scoring loop (node start-up and require() not timed), best of $REPEAT runs. They compute sentiment only; heard does the whole analysis, including process start, model load, JSON in and out."
    md ""
    md "| scorer | version | turns/s | MB/s | heard --threads 1 turns/s ÷ scorer turns/s | target |"
    md "|---|---|---|---|---|---|"
    [ -n "${T1_TPS:-}" ] && md "| heard analyze --threads 1 | $("$HEARD" --version | awk '{print $2}') | $T1_TPS | $(calc "$TBYTES / $(kv "$OUT/analyze.t1.txt" wall_s) / 1e6" 1) | 1 | |"
    for p in vader sentiment; do
        f=$OUT/peer.$p.txt
        tps=$(kv "$f" turns_per_s)
        if [ -z "$tps" ]; then md "| $p | failed | | | | |"; continue; fi
        target=100; [ "$p" = sentiment ] && target=2
        ratio=""; [ -n "${T1_TPS:-}" ] && ratio=$(calc "$T1_TPS / $tps" 2)
        md "| $(kv "$f" peer) (node $(kv "$f" node)) | $(kv "$f" version) | $(calc "$tps" 0) | $(kv "$f" mb_per_s) | $ratio | ≥ $target |"
    done
    md ""
}

# ---- server ----

WRK_DIR=$ROOT/bench/wrk
SERVER_PID=""
stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null
        for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
        SERVER_PID=""
    fi
}
trap 'stop_server; [ -f "$OUT/pg.state" ] && sh "$ROOT/bench/pg.sh" stop "$OUT/pg.state" >/dev/null 2>&1' EXIT
trap 'exit 130' INT TERM

# start_server DB_URL [OPTIONS]: starts heard serve on a free loopback port, sets PORT
start_server() {
    rm -f "$OUT/port"
    # shellcheck disable=SC2086
    "$HEARD" serve --db "$1" --listen 127.0.0.1:0 --port-file "$OUT/port" ${2:-} >"$OUT/serve.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        [ -s "$OUT/port" ] && break
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    PORT=$(cat "$OUT/port" 2>/dev/null)
    [ -n "$PORT" ] || { log "heard serve did not start (see $OUT/serve.log)"; stop_server; return 1; }
}

# make_key DB_URL: a new admin API key into KEY (heard keys create prints it
# alone on stdout)
make_key() {
    KEY=$("$HEARD" keys create --db "$1" --role admin 2>>"$OUT/serve.log" | head -n 1)
    [ -n "$KEY" ]
}

# wrk_run NAME SCRIPT PATH BODY CONNS [extra env]: wrk result into $OUT/wrk.NAME.txt
wrk_run() {
    name=$1 script=$2 path=$3 body=$4 conns=$5
    log "wrk $name: $path, $conns connections, ${WRK_S}s"
    env HEARD_KEY="$KEY" BODY_FILE="$body" WRK_CONNS="$conns" ${6:-} timeout $((WRK_S + 30)) \
        wrk -t 2 -c "$conns" -d "${WRK_S}s" --timeout 5s -s "$WRK_DIR/$script" "http://127.0.0.1:$PORT$path" \
        >"$OUT/wrk.$name.log" 2>&1
    grep '^rps=' "$OUT/wrk.$name.log" >"$OUT/wrk.$name.txt"
}

# wrk_best NAME ...: wrk_run REPEAT times (same arguments), keeping the run
# with the most requests/s; for the throughput rows, as for the engine
wrk_best() {
    name=$1
    : >"$OUT/wrk.$name.best"
    for i in $(seq 1 "$REPEAT"); do
        wrk_run "$@"
        new=$(kv "$OUT/wrk.$name.txt" rps) old=$(kv "$OUT/wrk.$name.best" rps)
        if [ -n "$new" ] && { [ -z "$old" ] || [ "$(calc "$new > $old" 0)" = 1 ]; }; then
            cp "$OUT/wrk.$name.txt" "$OUT/wrk.$name.best"
        fi
    done
    cp "$OUT/wrk.$name.best" "$OUT/wrk.$name.txt"
}

# wrk_row NAME LABEL CONVS_PER_REQUEST TARGET
wrk_row() {
    f=$OUT/wrk.$1.txt
    if [ -n "$(kv "$f" rps)" ]; then
        cps=""; [ "$3" -gt 0 ] && cps=$(calc "$(kv "$f" rps) * $3" 0)
        md "| $2 | $(kv "$f" conns) | $(calc "$(kv "$f" rps)" 0) | $cps | $(calc "$(kv "$f" p50_us) / 1000" 3) | $(calc "$(kv "$f" p99_us) / 1000" 3) | $(kv "$f" non2xx) | $(kv "$f" errors) | $4 |"
    else
        md "| $2 | | failed (see bench/out/wrk.$1.log) | | | | | | $4 |"
    fi
}

server() {
    md "## Server: \`heard serve\` under wrk"
    md ""
    if [ "${BENCH_SERVER:-1}" = 0 ]; then md "Skipped (BENCH_SERVER=0)."; md ""; return; fi
    if ! "$HEARD" serve --help >/dev/null 2>&1; then
        log "heard serve not available: server skipped"
        md "Skipped: \`heard serve\` is not available in this build."; md ""; return
    fi
    if ! have wrk; then
        if [ "$(id -u)" = 0 ] && have apt-get; then
            log "installing wrk"
            DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -qq wrk >/dev/null 2>&1
        fi
        have wrk || { md "Skipped: wrk is not installed (apt-get install wrk)."; md ""; return; }
    fi
    "$GEN" --mode assist -o "$OUT/assist.json" 2>/dev/null
    head -n 100 "$OUT/corpus.jsonl" >"$OUT/batch100.jsonl"
    db=$OUT/bench.sqlite
    rm -f "$db" "$db-wal" "$db-shm"
    url="sqlite:$db"
    make_key "$url" || { log "heard keys create failed"; md "Skipped: \`heard keys create\` failed (see bench/out/serve.log)."; md ""; return; }
    start_server "$url" || { md "Skipped: \`heard serve\` did not start (see bench/out/serve.log)."; md ""; return; }
    wrk_best analyze post.lua /v1/analyze "$OUT/typical6.jsonl" 16
    wrk_best assist_max post.lua /v1/assist "$OUT/assist.json" 16
    # wrk has no fixed-rate mode: each connection waits PACE_MS after an
    # answer before its next request, so N connections offer
    # N / (PACE_MS + latency). With a long wait on many connections the
    # offered rate hardly depends on the latency measured: 100 connections
    # waiting 19 ms offer about 5,100/s at 0.5 ms latency and 5,000/s at 1 ms
    # (12 connections waiting 2 ms offered only 4,300/s at 0.8 ms, and
    # fewer requests in flight hid the stalls of a busy machine from p99).
    # common.lua spreads the connections' first requests over the 19 ms.
    wrk_run assist_5k post.lua /v1/assist "$OUT/assist.json" 100 "PACE_MS=19"
    # The target is a latency at a fixed rate, which wrk cannot offer (see
    # bench/loadgen.c): bench_loadgen sends 5,000 requests/s open loop over
    # 100 connections and times each request from when it was due.
    log "bench_loadgen assist_fixed: /v1/assist, 5000 req/s, 100 connections, ${WRK_S}s"
    "$LOADGEN" --port "$PORT" --path /v1/assist --body "$OUT/assist.json" --key "$KEY" \
        --rate 5000 --conns 100 --seconds "$WRK_S" >"$OUT/wrk.assist_fixed.txt" 2>"$OUT/wrk.assist_fixed.log" ||
        : >"$OUT/wrk.assist_fixed.txt"
    wrk_run ingest_sqlite ingest.lua /v1/conversations "$OUT/typical6.jsonl" 16
    # Each answer waits for its fsync, so 16 clients cannot send more than
    # 16 per fsync time (4,400/s at 3.6 ms), whatever the server does
    # meanwhile: 64 clients show what the server can take.
    wrk_run ingest_sqlite_64 ingest.lua /v1/conversations "$OUT/typical6.jsonl" 64
    wrk_run ingest_sqlite_batch ingest.lua /v1/conversations "$OUT/batch100.jsonl" 4
    stop_server
    # the same single-conversation ingest without an fsync per commit
    if start_server "$url" "--sync normal"; then
        wrk_run ingest_sqlite_normal ingest.lua /v1/conversations "$OUT/typical6.jsonl" 16
        stop_server
    fi
    rows=$(sqlite3 "$db" 'SELECT count(*) FROM conversations' 2>/dev/null)
    md "wrk 2 threads, ${WRK_S} s per run (the /v1/analyze and max-rate /v1/assist rows: best of $REPEAT runs), keep-alive, loopback, client and server on the same $NPROC cores. Bodies: /v1/analyze the typical 6-turn conversation (bench/out/typical6.jsonl); /v1/assist its first 5 turns plus the 6th as \"draft\" (bench/out/assist.json); ingest one conversation per request, or 100 corpus conversations per request as JSONL (bench/out/batch100.jsonl), every conversation with a new id. Paced /v1/assist: 100 connections, each waiting 19 ms after an answer (wrk has no fixed rate, and times a request from when it is written). Fixed-rate /v1/assist: bench/loadgen.c (\`bench_loadgen\`, one thread, no Lua) sends 5,000 requests/s open loop over 100 connections and times each request from when it was due, so a request that waited for a free connection counts as late (wrk2's method). A one-per-request ingest client waits for the fsync of its commit, so 16 clients are bounded by 16 ÷ fsync time; the 64-client row shows the capacity.${rows:+ Rows in the SQLite database afterwards: $rows.}"
    md ""
    md "| endpoint | connections | requests/s | conversations/s | p50 ms | p99 ms | non-2xx | socket errors | target |"
    md "|---|---|---|---|---|---|---|---|---|"
    wrk_row analyze "POST /v1/analyze" 1 "≥ 20,000 req/s"
    wrk_row assist_max "POST /v1/assist (max rate)" 0 ""
    wrk_row assist_5k "POST /v1/assist (wrk paced, ~5,000 req/s offered)" 0 ""
    wrk_row assist_fixed "POST /v1/assist (bench_loadgen, fixed 5,000 req/s)" 0 "p99 < 2 ms at 5,000 req/s"
    wrk_row ingest_sqlite "POST /v1/conversations → SQLite, 1 per request" 1 "≥ 5,000 conv/s"
    wrk_row ingest_sqlite_64 "POST /v1/conversations → SQLite, 1 per request, 64 clients" 1 "≥ 5,000 conv/s"
    wrk_row ingest_sqlite_batch "POST /v1/conversations → SQLite, 100 per request" 100 "≥ 5,000 conv/s"
    wrk_row ingest_sqlite_normal "POST /v1/conversations → SQLite \`--sync normal\`, 1 per request" 1 ""
    pg_ingest
    md ""
}

# PostgreSQL ingest into a throw-away cluster (bench/pg.sh; scripts/pg_test.sh
# only runs the server tests, it has no start/stop of its own).
pg_ingest() {
    state=$OUT/pg.state
    pgurl=$(sh "$ROOT/bench/pg.sh" start "$state" 2>"$OUT/pg.log")
    if [ -z "$pgurl" ]; then
        log "no PostgreSQL server: PostgreSQL ingest skipped"
        md "| POST /v1/conversations → PostgreSQL | | skipped: no PostgreSQL server (see bench/out/pg.log) | | | | | | |"
        return
    fi
    if make_key "$pgurl" && start_server "$pgurl"; then
        wrk_run ingest_pg ingest.lua /v1/conversations "$OUT/typical6.jsonl" 16
        wrk_run ingest_pg_64 ingest.lua /v1/conversations "$OUT/typical6.jsonl" 64
        wrk_run ingest_pg_batch ingest.lua /v1/conversations "$OUT/batch100.jsonl" 4
        stop_server
        wrk_row ingest_pg "POST /v1/conversations → PostgreSQL, 1 per request" 1 ""
        wrk_row ingest_pg_64 "POST /v1/conversations → PostgreSQL, 1 per request, 64 clients" 1 ""
        wrk_row ingest_pg_batch "POST /v1/conversations → PostgreSQL, 100 per request" 100 ""
    else
        md "| POST /v1/conversations → PostgreSQL | | failed (see bench/out/serve.log) | | | | | | |"
    fi
    sh "$ROOT/bench/pg.sh" stop "$state" >>"$OUT/pg.log" 2>&1
}

# ---- profile ----

profile() {
    have perf || { log "perf is not installed"; exit 1; }
    log "perf record: heard analyze --threads 1 on $1"
    perf record -F 5000 --call-graph dwarf,16384 -o "$OUT/perf.data" "$HEARD" analyze --threads 1 "$1" >/dev/null 2>"$OUT/perf.log" || true
    perf report -i "$OUT/perf.data" --no-children -g none --sort dso --stdio 2>/dev/null |
        grep -E '^ +[0-9]' | head -12 >"$OUT/profile.dso.txt"
    perf report -i "$OUT/perf.data" --no-children -g none --sort dso,symbol --stdio 2>/dev/null |
        grep -E '^ +[0-9]' | head -40 >"$OUT/profile.txt"
    perf report -i "$OUT/perf.data" --children -g none --sort symbol --stdio 2>/dev/null |
        grep -E '^ +[0-9]' | head -40 >"$OUT/profile.children.txt"
    echo "== by DSO"; cat "$OUT/profile.dso.txt"
    echo "== self time by symbol"; cat "$OUT/profile.txt"
    echo "== with callees (children)"; cat "$OUT/profile.children.txt"
}

build_tools
if [ "$MODE" = profile ]; then
    "$GEN" --turns 10000 --seed "$SEED" -o "$OUT/corpus10k.jsonl" 2>/dev/null || exit 1
    profile "$OUT/corpus10k.jsonl"
    exit 0
fi
gen_corpus
: >"$RES"
machine
engine
latency
peers
server
log "results in $RES"
cat "$RES"
# BENCH_UPDATE_DOC=1: also put the tables into BENCHMARKS.md, between its
# results markers (the hand-written analysis around them stays).
if [ "${BENCH_UPDATE_DOC:-0}" = 1 ] && grep -q '^<!-- results:begin -->' "$ROOT/BENCHMARKS.md"; then
    awk -v res="$RES" '
        /^<!-- results:begin -->/ { print; while ((getline l < res) > 0) { if (l ~ /^# /) continue; sub(/^## /, "### ", l); print l }; skip = 1; next }
        /^<!-- results:end -->/ { skip = 0 }
        !skip { print }' "$ROOT/BENCHMARKS.md" >"$OUT/BENCHMARKS.md.new" &&
        mv "$OUT/BENCHMARKS.md.new" "$ROOT/BENCHMARKS.md" && log "BENCHMARKS.md updated"
fi

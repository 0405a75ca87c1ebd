#!/bin/sh
# run.sh - build the libFuzzer targets with clang (ASan + UBSan) and fuzz
# one of them. Not part of `make check`: fuzzing has no end, and a found
# input becomes a regular test instead (the CSV id with a NUL byte became
# tests/test_csv_io.c's nul_bytes).
#   sh tests/fuzz/run.sh [TARGET] [SECONDS]   TARGET: analyze (default)
set -eu
target=${1:-analyze}
secs=${2:-600}
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${FUZZ_DIR:-$root/build-fuzz}
if [ ! -f "$out/build.ninja" ]; then
    CC=clang meson setup "$out" "$root" -Db_sanitize=address,undefined -Db_lundef=false \
        -Dc_args=-fsanitize=fuzzer-no-link --buildtype=debugoptimized
fi
ninja -C "$out" libheardcore.a libheardcues.a >/dev/null
clang -g -O1 -fsanitize=fuzzer,address,undefined -I"$root/include" -I"$out" \
    "$root/tests/fuzz/fuzz_$target.c" "$out/libheardcore.a" "$out/libheardcues.a" \
    $(pkg-config --libs jansson libutf8proc libpcre2-8) -lstemmer -lm -lpthread \
    -o "$out/fuzz_$target"
corpus=$out/corpus_$target
mkdir -p "$corpus" "$out/crashes"
# seeds: every sample and golden input line; CSV files behind a 'C'
if [ -z "$(ls -A "$corpus")" ]; then
    i=0
    for f in "$root"/data/samples/*.jsonl "$root"/tests/golden/*.jsonl \
             "$root"/tests/golden/errors/*.jsonl; do
        [ -f "$f" ] || continue
        while IFS= read -r l; do
            i=$((i + 1))
            printf '%s' "$l" >"$corpus/j$i"
        done <"$f"
    done
    for f in "$root"/data/samples/*.csv "$root"/tests/golden/*.csv "$root"/tests/golden/errors/*.csv; do
        [ -f "$f" ] || continue
        i=$((i + 1))
        { printf C; cat "$f"; } >"$corpus/c$i"
    done
fi
HEARD_MODELS=${HEARD_MODELS:-$root/models} UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "$out/fuzz_$target" -dict="$root/tests/fuzz/json.dict" -max_len=4096 -rss_limit_mb=4096 \
    -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$out/crashes/" "$corpus"

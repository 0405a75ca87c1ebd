#!/bin/sh
# halves.sh - the half-and-half check of the emotion heads: how the GoEmotions
# figures hold on comments the thresholds were not tuned on.
# usage: scripts/halves.sh <heard> <shared-data-dir> [seed ...]   (default: 1)
# `make models` tunes the emotion thresholds (and stops training) on all of
# GoEmotions dev, so `make eval`'s dev figures flatter the heads. Here dev is
# split by line parity; for each half the emotion heads are trained as
# `make models` trains them but with that half as dev, and the other half is
# scored through `heard analyze` (heard eval). The other model files are the
# shipped ones. Prints one markdown row per seed and half, then the means.
set -eu
heard=${1:?usage: halves.sh <heard> <shared-data-dir> [seed ...]}
data=${2:?usage: halves.sh <heard> <shared-data-dir> [seed ...]}
shift 2
[ $# -gt 0 ] || set -- 1
if [ ! -f "$data/goemotions/dev.tsv" ] || [ ! -f "$data/goemotions/train.tsv" ]; then
    echo "halves.sh: GoEmotions not found in $data (see MODELS.md)" >&2
    exit 1
fi
data=$(cd "$data" && pwd)
models=$(cd models && pwd)
tmp=$(mktemp -d /tmp/heard-halves-XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

# tune<h>: dev is half h; score<h>: dev is the other half
for h in 0 1; do
    for role in tune score; do
        d="$tmp/$role$h"
        mkdir -p "$d/goemotions"
        for x in "$data"/*; do
            [ "$(basename "$x")" = goemotions ] || ln -s "$x" "$d/$(basename "$x")"
        done
        for x in "$data"/goemotions/*; do
            [ "$(basename "$x")" = dev.tsv ] || ln -s "$x" "$d/goemotions/$(basename "$x")"
        done
    done
    awk -v h=$h 'NR % 2 == h' "$data/goemotions/dev.tsv" > "$tmp/tune$h/goemotions/dev.tsv"
    awk -v h=$h 'NR % 2 != h' "$data/goemotions/dev.tsv" > "$tmp/score$h/goemotions/dev.tsv"
done

# the model column's bold figure of a "macro-F1 (...)" row
figure() {
    grep "^| macro-F1 ($1)" "$2" | sed 's/.*\*\*\([0-9.]*\)\*\* |$/\1/'
}

echo "| seed | tuned on | scored on | 28 labels | Ekman groups | sentiment groups |"
echo "|---|---|---|---|---|---|"
for seed in "$@"; do
    for h in 0 1; do
        m="$tmp/models"
        rm -rf "$m"
        mkdir -p "$m"
        cp "$models"/*.hm "$models/lexicon.tsv" "$m/"
        "$heard" train --task emotions --quiet --seed "$seed" --data "$tmp/tune$h" --out "$m" >/dev/null
        "$heard" eval --data "$tmp/score$h" --models "$m" --only goemotions > "$tmp/eval.md"
        l=$(figure "28 labels" "$tmp/eval.md")
        e=$(figure Ekman "$tmp/eval.md")
        g=$(figure "sentiment groups" "$tmp/eval.md")
        echo "| $seed | half $h | half $((1 - h)) | $l | $e | $g |"
        echo "$l $e $g" >> "$tmp/all"
    done
done
awk '{l += $1; e += $2; g += $3; n++}
     END {printf "| mean of %d | | | **%.3f** | **%.3f** | **%.3f** |\n", n, l / n, e / n, g / n}' "$tmp/all"

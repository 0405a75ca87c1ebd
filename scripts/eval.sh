#!/bin/sh
# eval.sh - score rules only and rules + models on the shared development
# data (markdown on stdout; MODELS.md quotes it).
# usage: scripts/eval.sh <heard> <shared-data-dir>
# The shipped politeness head is refitted on all its data, including the
# fifth that is scored here, so for that section it is trained again with
# `heard train --holdout` (the same training with that fifth kept out) into
# a scratch directory beside the other shipped files. Everything else is
# scored with the shipped models (cs-corpus by 5-fold CV, heads trained
# again per fold).
set -eu
heard=${1:?usage: eval.sh <heard> <shared-data-dir>}
data=${2:?usage: eval.sh <heard> <shared-data-dir>}
if [ ! -d "$data" ]; then
    echo "eval.sh: evaluation data not found in $data" >&2
    exit 1
fi
models=$(cd models && pwd)
tmp=$(mktemp -d /tmp/heard-eval-XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
for f in lexicon.tsv emotions.hm sentiment.hm cs.hm; do
    ln -s "$models/$f" "$tmp/$f"
done
"$heard" train --holdout --quiet --task politeness --data "$data" --out "$tmp"
"$heard" eval --data "$data" --models models --only goemotions
"$heard" eval --data "$data" --models "$tmp" --only politeness | sed 1d
"$heard" eval --data "$data" --models models --only valence | sed 1d
"$heard" eval --data "$data" --models models --only cs --cv | sed 1d

#!/bin/sh
# models.sh - rebuild models/ from the shared training data, byte for byte.
# usage: scripts/models.sh <heard> <shared-data-dir>
# Trains into a fresh scratch directory (so nothing already in models/ can
# influence the result), checks the size budget, then replaces models/*.hm
# and models/lexicon.tsv. `heard train` is deterministic: running this twice
# gives identical files (check with: cmp).
set -eu
heard=${1:?usage: models.sh <heard> <shared-data-dir>}
data=${2:?usage: models.sh <heard> <shared-data-dir>}
if [ ! -d "$data/goemotions" ] || [ ! -d "$data/cs-corpus" ]; then
    echo "models.sh: training data not found in $data (see MODELS.md)" >&2
    exit 1
fi
tmp=$(mktemp -d /tmp/heard-models-XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
"$heard" train --task all --data "$data" --out "$tmp"
budget=$((16 * 1024 * 1024))
total=$(cat "$tmp"/*.hm "$tmp"/lexicon.tsv | wc -c)
if [ "$total" -ge "$budget" ]; then
    echo "models.sh: models take $total bytes, over the 16 MiB budget" >&2
    exit 1
fi
mkdir -p models
rm -f models/*.hm
cp "$tmp"/*.hm "$tmp"/lexicon.tsv models/
echo "models.sh: models/ rebuilt ($total bytes):"
ls -l models/

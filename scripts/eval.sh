#!/bin/sh
# eval.sh - score rules only and rules + shipped models on the shared
# development data (markdown on stdout; MODELS.md quotes it).
# usage: scripts/eval.sh <heard> <shared-data-dir>
set -eu
heard=${1:?usage: eval.sh <heard> <shared-data-dir>}
data=${2:?usage: eval.sh <heard> <shared-data-dir>}
if [ ! -d "$data" ]; then
    echo "eval.sh: evaluation data not found in $data" >&2
    exit 1
fi
exec "$heard" eval --data "$data" --models models --cv

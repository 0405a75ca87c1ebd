#!/bin/sh
# vader_compare.sh - development check: how closely heard's sentiment follows
# the reference VADER (npm vader-sentiment, MIT) on short social texts.
# Needs node and an installed vader-sentiment; never used by the build or
# the tests. Prints Pearson r per text set and the largest disagreements.
# usage: scripts/vader_compare.sh <heard> <shared-data-dir> [models-dir] [n-worst]
#   VADER=<path to node_modules/vader-sentiment> overrides the default.
set -eu
heard=${1:?usage: vader_compare.sh <heard> <shared-data-dir> [models-dir] [n-worst]}
data=${2:?usage: vader_compare.sh <heard> <shared-data-dir> [models-dir] [n-worst]}
models=${3:-models}
worst=${4:-25}
vader=${VADER:-/work/main/bench/peers/node_modules/vader-sentiment}
if [ ! -d "$vader" ]; then
    echo "vader_compare.sh: vader-sentiment not found in $vader (set VADER=...)" >&2
    exit 1
fi
exec node "$(dirname "$0")/vader_compare.js" "$heard" "$models" "$data" "$vader" "$worst"

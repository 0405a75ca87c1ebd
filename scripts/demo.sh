#!/bin/sh
# demo.sh - show what heard does on the bundled sample conversations: a
# report over all of them, then the full analysis of one conversation.
# usage: sh scripts/demo.sh path/to/heard   (run from the source root)
set -u
HEARD=${1:?usage: sh scripts/demo.sh path/to/heard}
cd "$(dirname "$0")/.." || exit 2
case $HEARD in /*) ;; */*) HEARD=$(pwd)/$HEARD ;; esac
[ -x "$HEARD" ] || { echo "demo: $HEARD is not an executable (run make first)" >&2; exit 2; }

set -- data/samples/*.jsonl
if [ ! -e "$1" ]; then
    echo "demo: no sample conversations in data/samples/" >&2
    exit 2
fi

echo "== heard report of the sample conversations ($*)"
echo
"$HEARD" analyze --report "$@"
status=$?

echo
echo "== one conversation in full (first line of $1, heard analyze --pretty)"
echo
head -n 1 "$1" | "$HEARD" analyze --pretty -
[ "$status" -le 1 ] || exit "$status"

# The server part: samples loaded into a fresh SQLite database, simulated
# survey answers (labelled as such), a manager key, the dashboard's URL.
# HEARD_DEMO_NO_SERVER=1 stops after the report.
[ -n "${HEARD_DEMO_NO_SERVER:-}" ] && exit 0
echo
echo "== heard serve with the samples (Ctrl-C stops it)"
exec sh "$(dirname "$0")/demo_server.sh" "$HEARD"

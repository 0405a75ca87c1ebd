#!/bin/sh
# cli_test.sh - the contract of `heard analyze` seen from outside: golden
# outputs (byte for byte, with one and with several threads) and the
# behaviour on bad input, stdin, CSV, options and exit statuses.
#
#   sh tests/cli_test.sh build/heard            run the tests
#   UPDATE=1 sh tests/cli_test.sh build/heard   regenerate tests/golden/*.out
#
# Goldens are analysed with --models models (the repository's model
# directory), so they change whenever rules or models change: regenerate,
# then review the diff before committing.
set -u

HEARD=${1:?usage: sh tests/cli_test.sh path/to/heard}
case $HEARD in
/*) ;;
*) HEARD=$(pwd)/$HEARD ;;
esac
cd "$(dirname "$0")/.." || exit 2
[ -x "$HEARD" ] || { echo "cli_test: $HEARD is not an executable" >&2; exit 2; }

T=$(mktemp -d "${TMPDIR:-/tmp}/heard-cli.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
trap 'exit 2' INT TERM
FAILS=0
N=0

fail() {
    echo "FAIL: $*" >&2
    FAILS=$((FAILS + 1))
}
pass() {
    N=$((N + 1))
}
# check DESCRIPTION COMMAND...: the command must succeed
check() {
    what=$1
    shift
    if "$@"; then pass; else fail "$what"; fi
}
heard() {
    "$HEARD" "$@"
}
# run OUT ERR ARGS...: heard ARGS > OUT 2> ERR, status in $RC
run() {
    o=$1 e=$2
    shift 2
    "$HEARD" "$@" >"$o" 2>"$e"
    RC=$?
}
expect_rc() {
    [ "$RC" = "$1" ] || fail "$2: exit status $RC, expected $1"
    [ "$RC" = "$1" ] && pass
}
lines() {
    wc -l <"$1" | tr -d ' '
}
# line N of FILE
nth() {
    sed -n "$1p" "$2"
}
contains() {
    grep -qF -- "$2" "$1"
}

MODELS="--models models"

# ---- golden outputs ----
for in in tests/golden/*.jsonl tests/golden/*.csv; do
    [ -e "$in" ] || continue
    out=${in%.*}.out
    if [ "${UPDATE:-0}" = 1 ]; then
        heard analyze --threads 1 $MODELS "$in" >"$out" 2>"$T/err"
        echo "updated $out"
        continue
    fi
    [ -f "$out" ] || { fail "golden $out missing (run UPDATE=1 sh tests/cli_test.sh $1)"; continue; }
    for t in 1 4; do
        run "$T/got" "$T/err" analyze --threads "$t" $MODELS "$in"
        expect_rc 0 "golden $in --threads $t"
        [ -s "$T/err" ] && fail "golden $in --threads $t wrote to stderr: $(head -3 "$T/err")"
        if cmp -s "$T/got" "$out"; then
            pass
        else
            fail "golden $in --threads $t differs from $out (if the change is intended: UPDATE=1 sh tests/cli_test.sh $1)"
            diff "$out" "$T/got" | head -c 2000 >&2
        fi
    done
done
# Bad lines of every kind (broken JSON, invalid UTF-8, bad escapes, duplicate
# keys, wrong fields): the error lines and messages are golden too, so the
# fast JSONL reader cannot change what jansson reports.
E=tests/golden/errors
if [ "${UPDATE:-0}" = 1 ]; then
    heard analyze --threads 1 $MODELS $E/input.jsonl >$E/expected.out 2>$E/expected.err
    echo "updated $E/expected.out $E/expected.err"
else
    for t in 1 4; do
        run "$T/got" "$T/err" analyze --threads "$t" $MODELS $E/input.jsonl
        expect_rc 1 "golden errors --threads $t"
        cmp -s "$T/got" $E/expected.out && pass ||
            fail "golden errors --threads $t: stdout differs from $E/expected.out"
        cmp -s "$T/err" $E/expected.err && pass ||
            fail "golden errors --threads $t: stderr differs from $E/expected.err"
    done
fi
# `heard eval --labelled`: a file labelled in the cs-corpus format (some
# labels missing, as an organisation's own QA labels may be) scored as it
# is; measures no item labels are left out.
L=tests/golden/labelled
if [ "${UPDATE:-0}" = 1 ]; then
    heard eval --labelled $L/input.jsonl $MODELS >$L/expected.md 2>"$T/err"
    echo "updated $L/expected.md"
else
    run "$T/got" "$T/err" eval --labelled $L/input.jsonl $MODELS
    expect_rc 0 "eval --labelled"
    cmp -s "$T/got" $L/expected.md && pass ||
        fail "eval --labelled: output differs from $L/expected.md"
fi
[ "${UPDATE:-0}" = 1 ] && exit 0

# ---- every output line is valid JSON ----
# heard itself is the validator: fed its own output, a line that is valid
# JSON fails for a missing "text", never for invalid JSON or UTF-8.
valid_json() {
    "$HEARD" analyze --threads 1 "$1" >"$T/v.out" 2>/dev/null
    if grep -q '"error":"invalid JSON\|"error":"invalid UTF-8' "$T/v.out"; then
        fail "output of $2 has invalid JSON: $(grep -n 'invalid' "$T/v.out" | head -3)"
    else
        pass
    fi
}
for out in tests/golden/*.out; do
    [ -e "$out" ] && valid_json "$out" "$out"
done

# ---- bad input: one output line per input line, errors in place ----
good='{"id":"g1","turns":[{"speaker":"customer","text":"I am so worried, my card was blocked."},{"speaker":"agent","text":"I understand, let me unblock it now."}]}'
big=$(awk 'BEGIN { s = "word "; while (length(s) < 70000) s = s s; print s }')
{
    echo "$good"                                                          # 1 ok
    echo '{"id": "broken", "turns": ['                                    # 2 invalid JSON
    printf '{"id":"utf","turns":[{"speaker":"customer","text":"bad \377\376 bytes"}]}\n' # 3
    echo '{"id":"nospk","turns":[{"text":"hello"}]}'                      # 4 no speaker
    echo '{"id":"notext","turns":[{"speaker":"agent"}]}'                  # 5 no text
    echo '{"id":"noturns"}'                                               # 6 no turns
    echo ''                                                               # 7 blank: skipped
    echo "{\"id\":\"big\",\"turns\":[{\"speaker\":\"customer\",\"text\":\"$big\"}]}" # 8 huge turn
    echo '{"id":"many","turns":[{"speaker":"customer","text":"a"},{"speaker":"agent","text":"b"},{"speaker":"customer","text":"c"},{"speaker":"agent","text":"d"}]}' # 9 > 3 turns
    echo '{"id":"chan","channel":"fax","turns":[]}'                       # 10 unknown channel
    echo '{"id":"time","turns":[{"speaker":"agent","text":"x","at":"yesterday"}]}' # 11 bad at
    echo '"just a string"'                                                # 12 not an object
    echo "$good"                                                          # 13 ok
} >"$T/bad.jsonl"
for t in 1 4; do
    run "$T/out" "$T/err" analyze --threads "$t" --max-turns 3 "$T/bad.jsonl"
    expect_rc 1 "bad input --threads $t"
    [ "$(lines "$T/out")" = 12 ] && pass || fail "bad input --threads $t: $(lines "$T/out") output lines, expected 12"
    i=0
    for ln in 1 2 3 4 5 6 8 9 10 11 12 13; do
        i=$((i + 1))
        l=$(nth $i "$T/out")
        case $ln in
        1 | 13)
            case $l in
            '{"schema":1,"id":"g1",'*) pass ;;
            *) fail "bad input --threads $t: output line $i should analyse input line $ln: $(echo "$l" | cut -c1-120)" ;;
            esac
            ;;
        *)
            case $l in
            "{\"schema\":1,\"line\":$ln,\"error\":\""*) pass ;;
            *) fail "bad input --threads $t: output line $i should be the error of input line $ln: $(echo "$l" | cut -c1-120)" ;;
            esac
            contains "$T/err" "$T/bad.jsonl:$ln: " && pass || fail "bad input --threads $t: stderr lacks $T/bad.jsonl:$ln:"
            ;;
        esac
    done
    [ "$(lines "$T/err")" = 10 ] && pass || fail "bad input --threads $t: $(lines "$T/err") stderr lines, expected 10"
    valid_json "$T/out" "bad input --threads $t"
done
contains "$T/out" '"line":3,"error":"invalid UTF-8' && pass || fail "invalid UTF-8 not reported as such"
contains "$T/out" '"line":8,"error":"turn 0: text of' && pass || fail "huge turn not reported: $(nth 7 "$T/out")"
contains "$T/out" '"line":9,"error":"conversation has 4 turns' && pass || fail "--max-turns not enforced: $(nth 8 "$T/out")"
contains "$T/out" 'unknown channel \"fax\"' && pass || fail "unknown channel not named"

# several files: line numbers restart, files in order
run "$T/out" "$T/err" analyze --threads 2 $MODELS "$T/bad.jsonl" tests/golden/basic.jsonl
expect_rc 1 "two files"
want=$((12 + $(lines tests/golden/basic.jsonl)))
[ "$(lines "$T/out")" = "$want" ] && pass || fail "two files: $(lines "$T/out") lines, expected $want"
tail -n "$(lines tests/golden/basic.jsonl)" "$T/out" | cmp -s - tests/golden/basic.out && pass ||
    fail "two files: the second file's output is not its golden output"

# ---- empty input, stdin ----
: >"$T/empty.jsonl"
run "$T/out" "$T/err" analyze "$T/empty.jsonl"
expect_rc 0 "empty file"
[ -s "$T/out" ] && fail "empty file gave output"
printf '\n  \n' >"$T/blank.jsonl"
run "$T/out" "$T/err" analyze "$T/blank.jsonl"
expect_rc 0 "blank lines"
[ -s "$T/out" ] && fail "blank lines gave output"

"$HEARD" analyze --threads 3 $MODELS - <tests/golden/basic.jsonl >"$T/out" 2>"$T/err"
RC=$?
expect_rc 0 "stdin '-'"
cmp -s "$T/out" tests/golden/basic.out && pass || fail "stdin '-' output differs from golden"
"$HEARD" analyze --threads 1 $MODELS <tests/golden/basic.jsonl >"$T/out" 2>"$T/err"
RC=$?
expect_rc 0 "stdin without FILE"
cmp -s "$T/out" tests/golden/basic.out && pass || fail "stdin without FILE differs from golden"

# ---- CSV ----
"$HEARD" analyze --input csv $MODELS - <tests/golden/quoting.csv >"$T/out" 2>"$T/err"
RC=$?
expect_rc 0 "CSV on stdin"
cmp -s "$T/out" tests/golden/quoting.out && pass || fail "CSV on stdin differs from tests/golden/quoting.out"
printf 'conversation_id,speaker,text\nk1,customer,hello\nk1,bot,hi\nk2,customer,"fine, thanks"\nk3,customer,"unterminated\n' >"$T/bad.csv"
run "$T/out" "$T/err" analyze --threads 2 "$T/bad.csv"
expect_rc 1 "bad CSV"
[ "$(lines "$T/out")" = 3 ] && pass || fail "bad CSV: $(lines "$T/out") lines, expected 3"
case $(nth 1 "$T/out") in '{"schema":1,"line":3,"error":'*) pass ;; *) fail "bad CSV: group k1 should fail at line 3: $(nth 1 "$T/out")" ;; esac
case $(nth 2 "$T/out") in '{"schema":1,"id":"k2",'*) pass ;; *) fail "bad CSV: group k2 should be analysed: $(nth 2 "$T/out" | cut -c1-100)" ;; esac
case $(nth 3 "$T/out") in '{"schema":1,"line":5,"error":"unterminated'*) pass ;; *) fail "bad CSV: unterminated quote at line 5: $(nth 3 "$T/out")" ;; esac
contains "$T/err" "bad.csv:3: " && pass || fail "bad CSV: stderr lacks bad.csv:3:"
printf 'id,speaker,message\n1,customer,hi\n' >"$T/nohdr.csv"
run "$T/out" "$T/err" analyze "$T/nohdr.csv"
expect_rc 1 "CSV without required columns"
contains "$T/err" "conversation_id" && pass || fail "CSV header error does not name the missing column: $(cat "$T/err")"
[ "$(lines "$T/out")" = 1 ] && pass || fail "CSV header error should give one error line"

# ---- report ----
run "$T/out" "$T/err" analyze --report $MODELS tests/golden/basic.jsonl
expect_rc 0 "--report"
for h in "heard report:" "Overall" "By agent" "By team" "By channel" "Most missed opportunities" "a-07" "billing"; do
    contains "$T/out" "$h" && pass || fail "--report lacks '$h'"
done
# a bid in the customer's last turn has no agent reply to judge: unanswered,
# not missed, and not in the missed rate
printf '%s\n' \
    '{"id":"u1","agent":"a-1","turns":[{"speaker":"agent","text":"Hello, how can I help?"},{"speaker":"customer","text":"My mum is in hospital and I am so stressed, I cannot pay this bill."}]}' \
    '{"id":"u2","agent":"a-1","turns":[{"speaker":"customer","text":"My mum is in hospital and I am so stressed, I cannot pay this bill."},{"speaker":"agent","text":"Please provide your account number."}]}' \
    >"$T/unanswered.jsonl"
run "$T/out" "$T/err" analyze --report "$T/unanswered.jsonl"
expect_rc 0 "--report with an unanswered bid"
contains "$T/out" "empathy opportunities 2, missed 1 (100.0%), unanswered 1" && pass ||
    fail "--report counts an unanswered bid as missed"
run "$T/out" "$T/err" analyze "$T/unanswered.jsonl"
[ "$(nth 1 "$T/out" | grep -o '"status":"[a-z]*"')" = '"status":"unanswered"' ] && pass ||
    fail "a last-turn bid is not unanswered"
[ "$(nth 2 "$T/out" | grep -o '"status":"[a-z]*"')" = '"status":"missed"' ] && pass ||
    fail "an answered bid that was ignored is not missed"
run "$T/out" "$T/err" analyze --report --threads 4 --max-turns 3 "$T/bad.jsonl"
expect_rc 1 "--report with bad input"
contains "$T/out" "10 unreadable" && pass || fail "--report does not count unreadable input"

# ---- pretty ----
run "$T/out" "$T/err" analyze --pretty --threads 1 $MODELS tests/golden/basic.jsonl
expect_rc 0 "--pretty"
contains "$T/out" '  "schema": 1,' && pass || fail "--pretty is not indented"
[ "$(grep -c '^}$' "$T/out")" = "$(lines tests/golden/basic.jsonl)" ] && pass || fail "--pretty: one object per conversation expected"

# ---- heard train: refit on all the data, --holdout for eval ----
# A tiny made-up corpus in the shared data layout (politeness only). By
# default the politeness head is trained again on every example after early
# stopping; --holdout keeps the fifth that `heard eval` scores out and
# refits nothing. Training is deterministic.
D="$T/data"
mkdir -p "$D/politeness" "$T/m1" "$T/m2" "$T/m3"
for f in wikipedia stack-exchange; do
    {
        echo "Community,Id,Request,Normalized Score"
        i=0
        while [ $i -lt 120 ]; do
            echo "c,$f-p$i,\"Could you please look at item $i when you have a moment? Thanks!\",0.9"
            echo "c,$f-n$i,\"Why is item $i still broken? Fix it now.\",-0.9"
            echo "c,$f-m$i,\"Where is item $i listed?\",0.1"
            i=$((i + 1))
        done
    } >"$D/politeness/$f.train.csv"
done
for task in politeness; do
    run "$T/out" "$T/err1" train --task $task --data "$D" --out "$T/m1"
    expect_rc 0 "train --task $task"
    contains "$T/err1" "$task: refitted on all" && pass ||
        fail "train --task $task: no refit on all the data"
    run "$T/out" "$T/err2" train --holdout --task $task --data "$D" --out "$T/m2"
    expect_rc 0 "train --holdout --task $task"
    contains "$T/err2" "refitted" && fail "train --holdout --task $task refitted" || pass
    contains "$T/err2" ", 0 of the eval fifth" && pass ||
        fail "train --holdout --task $task: the eval fifth was used"
    run "$T/out" "$T/err3" train --task $task --data "$D" --out "$T/m3"
    check "train --task $task is deterministic" cmp -s "$T/m1/$task.hm" "$T/m3/$task.hm"
    cmp -s "$T/m1/$task.hm" "$T/m2/$task.hm" && fail "train --holdout --task $task: same model" ||
        pass
done

# ---- heard train --extra: more labelled conversations for the cs heads ----
L=tests/golden/labelled
run "$T/out" "$T/err" train --quiet --data $L/input.jsonl --out "$T/x1"
expect_rc 0 "train --data LABELLED"
run "$T/out" "$T/err" train --quiet --data $L/input.jsonl --out "$T/x2" --extra $L/input.jsonl
expect_rc 0 "train --extra"
cmp -s "$T/x1/cs.hm" "$T/x2/cs.hm" && fail "train --extra: the extra conversations changed nothing" ||
    pass
run "$T/out" "$T/err" train --quiet --data $L/input.jsonl --out "$T/x3" --extra $L/input.jsonl
check "train --extra is deterministic" cmp -s "$T/x2/cs.hm" "$T/x3/cs.hm"
run "$T/out" "$T/err" train --quiet --data $L/input.jsonl --out "$T/x4" --extra "$T/no-such-extra.jsonl"
expect_rc 2 "train --extra with a missing file"
contains "$T/err" "no-such-extra.jsonl" && pass || fail "train --extra: missing file not named"
[ -e "$T/x4/cs.hm" ] && fail "train --extra with a missing file wrote a model" || pass
printf '{"id": "b", "turns": [\n' >"$T/broken-extra.jsonl"
run "$T/out" "$T/err" train --quiet --data $L/input.jsonl --out "$T/x5" --extra "$T/broken-extra.jsonl"
expect_rc 2 "train --extra with broken JSON"
contains "$T/err" "broken-extra.jsonl:1" && pass || fail "train --extra: broken line not named"

# ---- options and exit statuses ----
run "$T/out" "$T/err" --help
expect_rc 0 "--help"
contains "$T/out" "usage: heard" && pass || fail "--help prints no usage"
run "$T/out" "$T/err" --version
expect_rc 0 "--version"
contains "$T/out" "heard " && pass || fail "--version prints no version"
run "$T/out" "$T/err" help analyze
expect_rc 0 "help analyze"
contains "$T/out" "--threads" && pass || fail "help analyze lacks --threads"
run "$T/out" "$T/err" analyze --help
expect_rc 0 "analyze --help"
run "$T/out" "$T/err" analyze --no-such-option
expect_rc 2 "unknown option"
run "$T/out" "$T/err" no-such-command
expect_rc 2 "unknown command"
run "$T/out" "$T/err"
expect_rc 2 "no command"
run "$T/out" "$T/err" analyze --threads 0 tests/golden/basic.jsonl
expect_rc 2 "--threads 0"
run "$T/out" "$T/err" analyze --input xml tests/golden/basic.jsonl
expect_rc 2 "--input xml"
run "$T/out" "$T/err" analyze --models "$T/no-such-dir" tests/golden/basic.jsonl
expect_rc 2 "missing --models dir"
run "$T/out" "$T/err" analyze "$T/no-such-file.jsonl"
expect_rc 2 "missing file"
contains "$T/err" "no-such-file.jsonl" && pass || fail "missing file not named on stderr"
run "$T/out" "$T/err" eval --rules-only --cv --seed x
expect_rc 2 "eval --seed x"
contains "$T/err" "--seed wants a number" && pass || fail "eval --seed x: no clear error"
run "$T/out" "$T/err" eval --rules-only --only cs --cv --extra "$T/no-such-extra.jsonl"
expect_rc 2 "eval --extra with a missing file"
contains "$T/err" "no-such-extra.jsonl" && pass || fail "eval --extra: missing file not named"
[ -s "$T/out" ] && fail "eval --extra with a missing file printed results" || pass
run "$T/out" "$T/err" train --data "$T/no-such-dir" --out "$T/m-seed" --seed x
expect_rc 2 "train --seed x"
contains "$T/err" "--seed wants a number" && pass || fail "train --seed x: no clear error"
run "$T/out" "$T/err" eval --rules-only --labelled "$T/no-such-file.jsonl"
expect_rc 1 "eval --labelled with a missing file"
contains "$T/err" "no-such-file.jsonl" && pass || fail "eval --labelled: missing file not named"
printf '%s\n' '{"id":"x","turns":[{"speaker":"customer","text":"hi"}' >"$T/broken.jsonl"
run "$T/out" "$T/err" eval --rules-only --labelled "$T/broken.jsonl"
expect_rc 1 "eval --labelled with broken JSON"
contains "$T/err" "broken.jsonl:1:" && pass || fail "eval --labelled: broken line not named"
run "$T/out" "$T/err" help eval
contains "$T/out" "--seed N" && pass || fail "help eval lacks --seed"

# serve and keys run heard-server, which heard execs: found beside heard in
# a build tree, else in libexec (HEARD_SERVER_INSTPATH); keys/serve options
# and messages come from it unchanged
run "$T/out" "$T/err" serve --help
expect_rc 0 "serve --help"
contains "$T/out" "usage: heard serve" && pass || fail "serve --help: no server usage"
run "$T/out" "$T/err" help keys
expect_rc 0 "help keys"
contains "$T/out" "heard keys create" && pass || fail "help keys: no keys usage"
run "$T/out" "$T/err" keys list
expect_rc 2 "keys list without --db"
[ -s "$T/err" ] && pass || fail "keys list without --db: no message"
# a heard with no heard-server beside it and none installed says so
inst=$(sed -n 's/^#define HEARD_SERVER_INSTPATH "\(.*\)"$/\1/p' "$(dirname "$HEARD")/heard_config.h" 2>/dev/null)
if [ -n "$inst" ] && [ ! -e "$inst" ]; then
    cp "$HEARD" "$T/heard-alone"
    "$T/heard-alone" serve --help >"$T/out" 2>"$T/err"
    RC=$?
    expect_rc 2 "serve without heard-server"
    contains "$T/err" "cannot run the server program $inst" && pass ||
        fail "serve without heard-server: no clear error"
fi

if [ "$FAILS" -gt 0 ]; then
    echo "cli_test: $FAILS failed, $N passed" >&2
    exit 1
fi
echo "cli_test: all $N checks passed"
exit 0

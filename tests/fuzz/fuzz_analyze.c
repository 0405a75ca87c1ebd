/* fuzz_analyze.c - libFuzzer target for the whole path of one input line:
 * JSONL (or, when the first byte is 'C', a CSV file) -> heard_analyze ->
 * JSON out. Checks what `heard analyze` promises for any bytes: an error
 * or a result, never a crash, and output that is valid JSON whose "turns"
 * match the input's. Models from $HEARD_MODELS (rules only when unset).
 * Build: sh tests/fuzz/run.sh (clang, ASan + UBSan). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "heard/heard.h"
#include "heard/heard_io.h"

static heard_analyzer *an;
static heard_workspace *ws;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    heard_options opt = {.model_dir = getenv("HEARD_MODELS"), .max_turn_bytes = 4096,
                         .max_turns = 64};
    heard_error err;
    if (heard_analyzer_new(&opt, &an, &err) != HEARD_OK ||
        heard_workspace_new(an, &ws, &err) != HEARD_OK) {
        fprintf(stderr, "fuzz_analyze: %s\n", err.message);
        abort();
    }
    return 0;
}

/* The analysis of doc must serialise to JSON that jansson reads back, with
 * one output turn per input turn and evidence inside each turn's text. */
static void check_doc(heard_doc *doc)
{
    const heard_conversation_in *conv = heard_doc_conversation(doc);
    heard_result *res = NULL;
    heard_error err;
    if (heard_analyze(an, ws, conv, &res, &err) != HEARD_OK) {
        if (!err.message[0])
            abort(); /* an error must say why */
        return;
    }
    char *out = NULL;
    size_t len = 0;
    if (heard_result_to_json(doc, res, false, &out, &len, &err) != HEARD_OK)
        abort();
    json_error_t jerr;
    json_t *j = json_loadb(out, len, JSON_ALLOW_NUL, &jerr);
    if (!j) {
        fprintf(stderr, "invalid output JSON (%s): %.*s\n", jerr.text, (int)len, out);
        abort();
    }
    json_t *turns = json_object_get(j, "turns");
    if (!json_is_array(turns) || json_array_size(turns) != conv->n_turns)
        abort();
    for (size_t i = 0; i < conv->n_turns; i++) {
        json_t *ev = json_object_get(json_array_get(turns, i), "evidence");
        size_t k;
        json_t *e;
        json_array_foreach(ev, k, e) {
            json_int_t s = json_integer_value(json_object_get(e, "start"));
            json_int_t t = json_integer_value(json_object_get(e, "end"));
            if (s < 0 || t < s || (size_t)t > conv->turns[i].len)
                abort();
        }
    }
    json_decref(j);
    free(out);
    heard_result_free(res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    heard_error err;
    if (size > 1 && data[0] == 'C') { /* fmemopen wants at least one byte */
        FILE *fp = fmemopen((void *)(data + 1), size - 1, "r");
        if (!fp)
            return 0;
        heard_csv_reader *r = NULL;
        if (heard_csv_open(fp, 64, &r, &err) == HEARD_OK) {
            for (int guard = 0; guard < 10000; guard++) {
                heard_doc *doc = NULL;
                size_t line = 0;
                heard_status st = heard_csv_next(r, &doc, &line, &err);
                if (st == HEARD_OK && !doc)
                    break;
                if (st != HEARD_OK) {
                    if (!err.message[0])
                        abort();
                    continue;
                }
                check_doc(doc);
                heard_doc_free(doc);
            }
            heard_csv_close(r);
        }
        fclose(fp);
        return 0;
    }
    heard_doc *doc = NULL;
    if (heard_doc_from_json((const char *)data, size, 64, &doc, &err) != HEARD_OK) {
        if (doc || !err.message[0])
            abort();
        return 0;
    }
    check_doc(doc);
    heard_doc_free(doc);
    return 0;
}

/* test_json_io.c - JSONL input (fields, times, bad input of every kind) and
 * the analysis JSON output, checked by re-parsing it with jansson. Output
 * tests use hand-made results so the values are known exactly. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "heard/heard_io.h"
#include "analysis.h"
#include "io_internal.h"

static heard_doc *parse_ok(const char *line)
{
    heard_doc *doc = NULL;
    heard_error err = {{0}};
    heard_status st = heard_doc_from_json(line, strlen(line), 0, &doc, &err);
    if (st != HEARD_OK)
        fail_msg("unexpected error: %s", err.message);
    assert_non_null(doc);
    return doc;
}

static heard_status parse_err(const char *line, size_t len, size_t max_turns, heard_error *err)
{
    heard_doc *doc = (heard_doc *)1;
    heard_status st = heard_doc_from_json(line, len, max_turns, &doc, err);
    assert_null(doc);
    assert_int_not_equal(st, HEARD_OK);
    return st;
}

static void expect_error(const char *line, heard_status want, const char *fragment)
{
    heard_error err = {{0}};
    heard_status st = parse_err(line, strlen(line), 0, &err);
    assert_int_equal(st, want);
    if (!strstr(err.message, fragment))
        fail_msg("message '%s' lacks '%s'", err.message, fragment);
}

/* ---- input ---- */

static void parses_all_fields(void **state)
{
    (void)state;
    heard_doc *doc = parse_ok(
        "{\"id\":\"c-1\",\"channel\":\"email\",\"agent\":\"a-07\",\"team\":\"billing\","
        "\"turns\":[{\"speaker\":\"customer\",\"text\":\"Charged twice!\",\"at\":\"2026-03-02T10:14:05Z\"},"
        "{\"speaker\":\"agent\",\"text\":\"Sorry \\u00e9\",\"at\":1772446900}]}");
    const heard_conversation_in *c = heard_doc_conversation(doc);
    assert_int_equal(c->channel, HEARD_EMAIL);
    assert_int_equal(c->n_turns, 2);
    assert_int_equal(c->turns[0].speaker, HEARD_CUSTOMER);
    assert_int_equal(c->turns[0].len, 14);
    assert_memory_equal(c->turns[0].text, "Charged twice!", 14);
    assert_int_equal(c->turns[0].at, 1772446445);
    assert_int_equal(c->turns[1].speaker, HEARD_AGENT);
    assert_int_equal(c->turns[1].len, 8); /* é is two bytes */
    assert_int_equal(c->turns[1].at, 1772446900);
    assert_string_equal(heard_doc_string(doc, "agent"), "a-07");
    assert_string_equal(heard_doc_string(doc, "team"), "billing");
    assert_null(heard_doc_string(doc, "nothing"));
    heard_doc_free(doc);

    doc = parse_ok("{\"turns\":[{\"speaker\":\"agent\",\"text\":\"\"}]}");
    c = heard_doc_conversation(doc);
    assert_int_equal(c->channel, HEARD_CHAT); /* default */
    assert_int_equal(c->turns[0].at, HEARD_NO_TIME);
    assert_int_equal(c->turns[0].len, 0);
    heard_doc_free(doc);

    doc = parse_ok("{\"id\":null,\"channel\":null,\"turns\":[]}");
    assert_int_equal(heard_doc_conversation(doc)->n_turns, 0);
    heard_doc_free(doc);
}

static void rfc3339_variants(void **state)
{
    (void)state;
    static const struct { const char *s; int64_t t; } good[] = {
        {"2026-03-02T10:14:05Z", 1772446445},
        {"2026-03-02t10:14:05z", 1772446445},
        {"2026-03-02 10:14:05Z", 1772446445},
        {"2026-03-02T10:14:05+00:00", 1772446445},
        {"2026-03-02T12:14:05.999+02:00", 1772446445},
        {"2026-03-02T04:44:05-05:30", 1772446445},
        {"2026-03-02T10:14:05.123456789Z", 1772446445},
        {"2024-02-29T00:00:00Z", 1709164800},
        {"1969-12-31T23:59:59Z", -1},
        {"1970-01-01T00:00:00Z", 0},
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        int64_t t = 0;
        if (heard_parse_time(good[i].s, strlen(good[i].s), &t) != 0)
            fail_msg("rejected %s", good[i].s);
        assert_int_equal(t, good[i].t);
    }
    static const char *const bad[] = {
        "2026-03-02T10:14:05", "2026-03-02", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z",
        "2026-04-31T00:00:00Z", "2026-03-02T24:00:00Z", "2026-03-02T10:60:00Z",
        "2026-03-02T10:14:05.Z", "2026-03-02T10:14:05+0200", "2026-03-02T10:14:05+02:00x",
        "2026-03-02X10:14:05Z", "26-03-02T10:14:05Z", "yesterday", "", "2026-03-02T10:14:05+24:00",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int64_t t;
        if (heard_parse_time(bad[i], strlen(bad[i]), &t) == 0)
            fail_msg("accepted %s", bad[i]);
    }
    expect_error("{\"turns\":[{\"speaker\":\"agent\",\"text\":\"x\",\"at\":\"2026-03-02\"}]}",
                 HEARD_EINVAL, "turn 0: \"at\"");
    expect_error("{\"turns\":[{\"speaker\":\"agent\",\"text\":\"x\",\"at\":true}]}",
                 HEARD_EINVAL, "RFC 3339");
}

static void missing_and_wrong_fields(void **state)
{
    (void)state;
    expect_error("{\"id\":\"x\"}", HEARD_EINVAL, "missing \"turns\"");
    expect_error("{\"turns\":{}}", HEARD_EINVAL, "\"turns\" must be an array");
    expect_error("{\"turns\":[{\"text\":\"hi\"}]}", HEARD_EINVAL, "turn 0: missing \"speaker\"");
    expect_error("{\"turns\":[{\"speaker\":\"agent\",\"text\":\"a\"},{\"speaker\":\"agent\"}]}",
                 HEARD_EINVAL, "turn 1: missing \"text\"");
    expect_error("{\"turns\":[{\"speaker\":\"bot\",\"text\":\"hi\"}]}", HEARD_EINVAL,
                 "\"speaker\" must be \"customer\" or \"agent\"");
    expect_error("{\"turns\":[{\"speaker\":1,\"text\":\"hi\"}]}", HEARD_EINVAL, "\"speaker\"");
    expect_error("{\"turns\":[{\"speaker\":\"agent\",\"text\":5}]}", HEARD_EINVAL,
                 "\"text\" must be a string");
    expect_error("{\"turns\":[\"hello\"]}", HEARD_EINVAL, "turn 0: must be an object");
    expect_error("{\"id\":{},\"turns\":[]}", HEARD_EINVAL, "\"id\" must be a string or a number");
    expect_error("{\"channel\":3,\"turns\":[]}", HEARD_EINVAL, "\"channel\" must be a string");
    expect_error("{\"channel\":\"fax\",\"turns\":[]}", HEARD_EINVAL, "unknown channel \"fax\"");
    expect_error("[1,2]", HEARD_EINVAL, "must be a JSON object");
    expect_error("\"text\"", HEARD_EINVAL, "invalid JSON"); /* jansson wants an array/object */
    expect_error("{\"turns\":[],\"turns\":[]}", HEARD_EINVAL, "duplicate");
}

static void invalid_utf8_and_broken_json(void **state)
{
    (void)state;
    const char line[] = "{\"turns\":[{\"speaker\":\"customer\",\"text\":\"caf\xC3 \xFF\"}]}";
    heard_error err;
    assert_int_equal(parse_err(line, sizeof line - 1, 0, &err), HEARD_EUTF8);
    assert_non_null(strstr(err.message, "invalid UTF-8 at byte"));
    expect_error("{\"turns\":[", HEARD_EINVAL, "invalid JSON at column");
    expect_error("{\"turns\":[]} trailing", HEARD_EINVAL, "invalid JSON");
    expect_error("", HEARD_EINVAL, "invalid JSON");
    expect_error("{\"turns\":[{\"speaker\":\"agent\",\"text\":\"a\\u0000b\"}]}", HEARD_EINVAL,
                 "invalid JSON");
}

static void deep_json_is_rejected(void **state)
{
    (void)state;
    size_t n = 100000;
    char *s = malloc(2 * n + 64);
    assert_non_null(s);
    strcpy(s, "{\"x\":");
    size_t k = strlen(s);
    for (size_t i = 0; i < n; i++)
        s[k++] = '[';
    for (size_t i = 0; i < n; i++)
        s[k++] = ']';
    strcpy(s + k, ",\"turns\":[]}");
    heard_error err;
    assert_int_equal(parse_err(s, strlen(s), 0, &err), HEARD_EINVAL);
    assert_non_null(strstr(err.message, "depth"));
    free(s);
}

static void turn_limits(void **state)
{
    (void)state;
    heard_error err;
    const char *four = "{\"turns\":[{\"speaker\":\"customer\",\"text\":\"a\"},{\"speaker\":\"agent\",\"text\":\"b\"},"
                       "{\"speaker\":\"customer\",\"text\":\"c\"},{\"speaker\":\"agent\",\"text\":\"d\"}]}";
    assert_int_equal(parse_err(four, strlen(four), 3, &err), HEARD_ELIMIT);
    assert_non_null(strstr(err.message, "4 turns"));
    heard_doc *doc = NULL;
    assert_int_equal(heard_doc_from_json(four, strlen(four), 4, &doc, &err), HEARD_OK);
    heard_doc_free(doc);

    /* a turn over 64 KiB parses, and the analyser refuses it */
    size_t big = 70000;
    const char head[] = "{\"turns\":[{\"speaker\":\"customer\",\"text\":\"";
    char *s = calloc(1, big + sizeof head + 8);
    assert_non_null(s);
    strcpy(s, head);
    for (size_t i = 0; i < big; i++)
        s[sizeof head - 1 + i] = 'a';
    strcat(s, "\"}]}");
    doc = parse_ok(s);
    heard_analyzer *an = NULL;
    assert_int_equal(heard_analyzer_new(NULL, &an, &err), HEARD_OK);
    heard_result *res = (heard_result *)1;
    assert_int_equal(heard_analyze(an, NULL, heard_doc_conversation(doc), &res, &err),
                     HEARD_ELIMIT);
    assert_null(res);
    heard_analyzer_free(an);
    heard_doc_free(doc);
    free(s);
}

/* ---- output ---- */

/* A result with known values for the two-turn conversation below. */
static heard_result *fake_result(size_t n_turns)
{
    heard_result *res = calloc(1, sizeof *res);
    assert_non_null(res);
    res->n_turns = n_turns;
    res->turns = calloc(n_turns ? n_turns : 1, sizeof *res->turns);
    assert_non_null(res->turns);
    res->felt_heard = 3.0f;
    return res;
}

static json_t *to_json(const heard_doc *doc, const heard_result *res, bool pretty)
{
    char *s = NULL;
    size_t len = 0;
    heard_error err;
    assert_int_equal(heard_result_to_json(doc, res, pretty, &s, &len, &err), HEARD_OK);
    assert_int_equal(strlen(s), len);
    if (!pretty)
        assert_null(strchr(s, '\n'));
    json_error_t je;
    json_t *j = json_loadb(s, len, 0, &je);
    if (!j)
        fail_msg("output is not JSON (%s): %s", je.text, s);
    free(s);
    return j;
}

static const char *TWO_TURNS =
    "{\"id\":\"c-1\",\"channel\":\"phone\",\"agent\":\"a-07\",\"scores\":99,\"error\":\"x\","
    "\"labels\":{\"felt_heard\":4},"
    "\"turns\":[{\"speaker\":\"customer\",\"text\":\"Rent is due tomorrow!! \\\"help\\\"\\n\\u00e9\\u0001\","
    "\"at\":\"2026-03-02T10:14:05Z\",\"labels\":[1]},"
    "{\"speaker\":\"agent\",\"text\":\"Thanks, I'll fix it.\",\"at\":\"2026-03-02T10:21:40Z\"}]}";

static void output_fields(void **state)
{
    (void)state;
    heard_doc *doc = parse_ok(TWO_TURNS);
    heard_result *res = fake_result(2);
    heard_turn_result *c = &res->turns[0], *a = &res->turns[1];
    c->speaker = HEARD_CUSTOMER;
    c->sentiment = -0.71264f;
    c->politeness = 0.2f;
    c->emotions[3] = 0.6666f;
    c->emotion_labels = (1u << 3) | (1u << 19);
    c->urgency = 2;
    c->bid = true;
    assert_int_equal(heard_evidence_add(c, "urgency.deadline", 8, 22), 0);
    a->speaker = HEARD_AGENT;
    a->emotional_reaction = 1;
    a->exploration = 2;
    a->ownership = true;
    a->has_wait = true;
    a->wait_seconds = 455;
    res->n_opportunities = 3;
    res->opportunities = calloc(3, sizeof *res->opportunities);
    res->opportunities[0] = (heard_opportunity){0, HEARD_OPP_URGENCY, false, -1};
    res->opportunities[1] = (heard_opportunity){0, HEARD_OPP_BID, false, 1};
    res->opportunities[2] = (heard_opportunity){0, HEARD_OPP_BID, true, 1};
    res->empathy_score = 12;
    res->politeness_score = 71;
    res->felt_heard = 1.95f;
    res->flags = HEARD_FLAG_POLITE_NOT_EMPATHETIC | HEARD_FLAG_URGENT_WAIT;

    json_t *j = to_json(doc, res, false);
    assert_int_equal(json_integer_value(json_object_get(j, "schema")), 1);
    assert_string_equal(json_string_value(json_object_get(j, "id")), "c-1");
    assert_string_equal(json_string_value(json_object_get(j, "channel")), "phone");
    assert_string_equal(json_string_value(json_object_get(j, "agent")), "a-07");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "labels"), "felt_heard")), 4);
    assert_null(json_object_get(j, "error")); /* reserved: never echoed */
    json_t *scores = json_object_get(j, "scores");
    assert_true(json_is_object(scores));
    assert_int_equal(json_integer_value(json_object_get(scores, "empathy")), 12);
    assert_int_equal(json_integer_value(json_object_get(scores, "politeness")), 71);
    assert_float_equal(json_real_value(json_object_get(scores, "felt_heard")), 1.95, 1e-9);

    json_t *turns = json_object_get(j, "turns");
    assert_int_equal(json_array_size(turns), 2);
    json_t *t0 = json_array_get(turns, 0), *t1 = json_array_get(turns, 1);
    assert_int_equal(json_integer_value(json_object_get(t0, "index")), 0);
    assert_string_equal(json_string_value(json_object_get(t0, "speaker")), "customer");
    assert_string_equal(json_string_value(json_object_get(t0, "at")), "2026-03-02T10:14:05Z");
    assert_null(json_object_get(t0, "text"));
    assert_float_equal(json_real_value(json_object_get(t0, "sentiment")), -0.713, 1e-9);
    assert_float_equal(json_real_value(json_object_get(t0, "politeness")), 0.2, 1e-9);
    json_t *emo = json_object_get(t0, "emotions");
    assert_int_equal(json_object_size(emo), HEARD_N_EMOTIONS);
    int k = 0;
    const char *key;
    json_t *v;
    json_object_foreach(emo, key, v) {
        assert_string_equal(key, heard_emotion_name(k)); /* fixed order */
        assert_true(json_is_real(v));
        k++;
    }
    assert_float_equal(json_real_value(json_object_get(emo, "annoyance")), 0.667, 1e-9);
    json_t *labels = json_object_get(t0, "emotion_labels");
    assert_int_equal(json_array_size(labels), 2);
    assert_string_equal(json_string_value(json_array_get(labels, 0)), "annoyance");
    assert_string_equal(json_string_value(json_array_get(labels, 1)), "nervousness");
    assert_int_equal(json_integer_value(json_object_get(t0, "urgency")), 2);
    assert_true(json_is_true(json_object_get(t0, "bid")));
    assert_null(json_object_get(t0, "empathy"));
    json_t *ev = json_array_get(json_object_get(t0, "evidence"), 0);
    assert_string_equal(json_string_value(json_object_get(ev, "cue")), "urgency.deadline");
    assert_int_equal(json_integer_value(json_object_get(ev, "start")), 8);
    assert_int_equal(json_integer_value(json_object_get(ev, "end")), 22);
    assert_string_equal(json_string_value(json_object_get(ev, "text")), "due tomorrow!!");

    assert_string_equal(json_string_value(json_object_get(t1, "speaker")), "agent");
    json_t *emp = json_object_get(t1, "empathy");
    assert_int_equal(json_integer_value(json_object_get(emp, "emotional_reaction")), 1);
    assert_int_equal(json_integer_value(json_object_get(emp, "interpretation")), 0);
    assert_int_equal(json_integer_value(json_object_get(emp, "exploration")), 2);
    assert_true(json_is_true(json_object_get(t1, "ownership")));
    assert_true(json_is_false(json_object_get(t1, "dismissive")));
    assert_int_equal(json_integer_value(json_object_get(t1, "wait_seconds")), 455);
    assert_null(json_object_get(t1, "urgency"));
    /* no labels predicted still lists neutral */
    assert_string_equal(json_string_value(json_array_get(json_object_get(t1, "emotion_labels"), 0)),
                        "neutral");

    json_t *opp = json_array_get(json_object_get(j, "opportunities"), 0);
    assert_int_equal(json_integer_value(json_object_get(opp, "turn")), 0);
    assert_string_equal(json_string_value(json_object_get(opp, "kind")), "urgency");
    /* no agent turn judged it: neither met nor missed */
    assert_string_equal(json_string_value(json_object_get(opp, "status")), "unanswered");
    assert_true(json_is_null(json_object_get(opp, "response_turn")));
    opp = json_array_get(json_object_get(j, "opportunities"), 1);
    assert_string_equal(json_string_value(json_object_get(opp, "kind")), "bid");
    assert_string_equal(json_string_value(json_object_get(opp, "status")), "missed");
    assert_int_equal(json_integer_value(json_object_get(opp, "response_turn")), 1);
    opp = json_array_get(json_object_get(j, "opportunities"), 2);
    assert_string_equal(json_string_value(json_object_get(opp, "status")), "met");
    json_t *flags = json_object_get(j, "flags");
    assert_int_equal(json_array_size(flags), 2);
    assert_string_equal(json_string_value(json_array_get(flags, 0)), "polite_not_empathetic");
    assert_string_equal(json_string_value(json_array_get(flags, 1)), "urgent_wait");

    /* pretty output is the same document */
    json_t *p = to_json(doc, res, true);
    assert_true(json_equal(j, p));
    json_decref(p);
    json_decref(j);
    heard_result_free(res);
    heard_doc_free(doc);
}

static void output_escaping_and_spans(void **state)
{
    (void)state;
    heard_doc *doc = parse_ok(TWO_TURNS);
    const heard_turn_in *in = &heard_doc_conversation(doc)->turns[0];
    heard_result *res = fake_result(2);
    res->turns[1].speaker = HEARD_AGENT;
    /* the whole text, with quote, newline, é and U+0001 */
    assert_int_equal(heard_evidence_add(&res->turns[0], "bid.emotion", 0, (uint32_t)in->len), 0);
    /* a span ending inside é is widened to the whole character */
    const char *e = strstr(in->text, "\xC3\xA9");
    assert_non_null(e);
    uint32_t at = (uint32_t)(e - in->text);
    assert_int_equal(heard_evidence_add(&res->turns[0], "x", at, at + 1), 0);
    /* out of range spans are clamped */
    assert_int_equal(heard_evidence_add(&res->turns[0], "y", 5, 9999), 0);

    char *s = NULL;
    size_t len;
    heard_error err;
    assert_int_equal(heard_result_to_json(doc, res, false, &s, &len, &err), HEARD_OK);
    assert_non_null(strstr(s, "\\\"help\\\"\\n\xC3\xA9\\u0001"));
    json_t *j = json_loadb(s, len, 0, NULL);
    assert_non_null(j);
    json_t *evs = json_object_get(json_array_get(json_object_get(j, "turns"), 0), "evidence");
    json_t *whole = json_object_get(json_array_get(evs, 0), "text");
    assert_int_equal(json_string_length(whole), in->len);
    assert_memory_equal(json_string_value(whole), in->text, in->len);
    assert_string_equal(json_string_value(json_object_get(json_array_get(evs, 1), "text")), "\xC3\xA9");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(evs, 1), "end")), at + 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(evs, 2), "end")), in->len);
    json_decref(j);
    free(s);
    heard_result_free(res);
    heard_doc_free(doc);
}

static void output_ids_and_empty(void **state)
{
    (void)state;
    heard_doc *doc = parse_ok("{\"id\":42,\"turns\":[]}");
    heard_result *res = fake_result(0);
    json_t *j = to_json(doc, res, false);
    assert_int_equal(json_integer_value(json_object_get(j, "id")), 42);
    assert_string_equal(json_string_value(json_object_get(j, "channel")), "chat");
    assert_int_equal(json_array_size(json_object_get(j, "turns")), 0);
    assert_int_equal(json_array_size(json_object_get(j, "flags")), 0);
    json_decref(j);
    heard_doc_free(doc);

    doc = parse_ok("{\"turns\":[]}");
    j = to_json(doc, res, true);
    assert_null(json_object_get(j, "id"));
    json_decref(j);
    heard_result_free(res);

    /* a result of the wrong size is refused */
    res = fake_result(3);
    char *s = NULL;
    heard_error err;
    assert_int_equal(heard_result_to_json(doc, res, false, &s, NULL, &err), HEARD_EINVAL);
    assert_null(s);
    heard_result_free(res);
    heard_doc_free(doc);
}

static void error_json(void **state)
{
    (void)state;
    char *s = heard_error_json(17, "bad \"thing\"\n\xFF");
    assert_non_null(s);
    json_t *j = json_loads(s, 0, NULL);
    assert_non_null(j);
    assert_int_equal(json_object_size(j), 3);
    assert_int_equal(json_integer_value(json_object_get(j, "schema")), 1);
    assert_int_equal(json_integer_value(json_object_get(j, "line")), 17);
    assert_string_equal(json_string_value(json_object_get(j, "error")), "bad \"thing\"\n\xEF\xBF\xBD");
    assert_string_equal(s, "{\"schema\":1,\"line\":17,\"error\":\"bad \\\"thing\\\"\\n\xEF\xBF\xBD\"}");
    json_decref(j);
    free(s);

    heard_buf b = {0};
    assert_int_equal(heard_error_append_json(&b, 1, "a"), HEARD_OK);
    assert_int_equal(heard_error_append_json(&b, 2, "b"), HEARD_OK);
    assert_string_equal(b.data, "{\"schema\":1,\"line\":1,\"error\":\"a\"}{\"schema\":1,\"line\":2,\"error\":\"b\"}");
    assert_int_equal(b.len, strlen(b.data));
    heard_buf_free(&b);
}

/* The string writer's 8-byte and tail paths and the number writer's digit
 * counts: every length up to 40 with one special byte (or character) at
 * every position, and every power-of-ten boundary of a line number. */
static void escape_ref(char *o, const char *m)
{
    for (const unsigned char *p = (const unsigned char *)m; *p; p++) {
        if (*p == '"' || *p == '\\') {
            *o++ = '\\';
            *o++ = (char)*p;
        } else if (*p == '\n') {
            *o++ = '\\';
            *o++ = 'n';
        } else if (*p == 1) {
            o += sprintf(o, "\\u0001");
        } else if (*p == 0xC3 && p[1] == 0xA9) {
            *o++ = (char)*p++;
            *o++ = (char)*p;
        } else if (*p >= 0x80) {
            o += sprintf(o, "\xEF\xBF\xBD");
        } else {
            *o++ = (char)*p;
        }
    }
    *o = '\0';
}

static void error_json_strings_and_numbers(void **state)
{
    (void)state;
    static const char *const specials[] = {"\"", "\\", "\n", "\x01", "\xC3\xA9", "\xFF"};
    char msg[64], esc[512], want[600];
    for (size_t len = 0; len <= 40; len++)
        for (size_t at = 0; at <= len; at++)
            for (size_t k = 0; k < sizeof specials / sizeof *specials; k++) {
                size_t n = 0;
                for (size_t i = 0; i < len; i++) {
                    if (i == at) {
                        memcpy(msg + n, specials[k], strlen(specials[k]));
                        n += strlen(specials[k]);
                    } else {
                        msg[n++] = (char)('a' + i % 26);
                    }
                }
                msg[n] = '\0';
                escape_ref(esc, msg);
                snprintf(want, sizeof want, "{\"schema\":1,\"line\":%zu,\"error\":\"%s\"}", len, esc);
                char *s = heard_error_json(len, msg);
                assert_non_null(s);
                assert_string_equal(s, want);
                free(s);
            }
    size_t lines[64], nl = 0;
    for (size_t p = 1; p <= SIZE_MAX / 10; p *= 10) {
        lines[nl++] = p - 1;
        lines[nl++] = p;
    }
    lines[nl++] = SIZE_MAX;
    for (size_t i = 0; i < nl; i++) {
        snprintf(want, sizeof want, "{\"schema\":1,\"line\":%zu,\"error\":\"x\"}", lines[i]);
        char *s = heard_error_json(lines[i], "x");
        assert_non_null(s);
        assert_string_equal(s, want);
        free(s);
    }
}

/* Real analysis end to end: whatever the rules say, the output parses and
 * has one analysed turn per input turn. */
static void analyse_roundtrip(void **state)
{
    (void)state;
    heard_doc *doc = parse_ok(TWO_TURNS);
    heard_analyzer *an = NULL;
    heard_error err;
    assert_int_equal(heard_analyzer_new(NULL, &an, &err), HEARD_OK);
    heard_result *res = NULL;
    assert_int_equal(heard_analyze(an, NULL, heard_doc_conversation(doc), &res, &err), HEARD_OK);
    json_t *j = to_json(doc, res, false);
    json_t *turns = json_object_get(j, "turns");
    assert_int_equal(json_array_size(turns), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(turns, 1), "wait_seconds")), 455);
    size_t i;
    json_t *t;
    json_array_foreach(turns, i, t) {
        assert_true(json_array_size(json_object_get(t, "emotion_labels")) >= 1);
        json_t *ev;
        size_t k;
        const heard_turn_in *in = &heard_doc_conversation(doc)->turns[i];
        json_array_foreach(json_object_get(t, "evidence"), k, ev) {
            size_t s = (size_t)json_integer_value(json_object_get(ev, "start"));
            size_t e = (size_t)json_integer_value(json_object_get(ev, "end"));
            assert_true(s <= e && e <= in->len);
            assert_int_equal(json_string_length(json_object_get(ev, "text")), e - s);
            assert_memory_equal(json_string_value(json_object_get(ev, "text")), in->text + s, e - s);
        }
    }
    json_decref(j);
    heard_result_free(res);
    heard_analyzer_free(an);
    heard_doc_free(doc);
}

/* The number format of scores: 3 decimals, no trailing zeros, a point
 * always; what is not a finite number below 1e15 is 0.0. */
static void output_number_format(void **state)
{
    (void)state;
    static const struct { double x; const char *want; } cases[] = {
        {0.0, "0.0"}, {0.5, "0.5"}, {-0.71264, "-0.713"}, {3.25, "3.25"}, {0.0004, "0.0"},
        {-0.0004, "0.0"}, {-0.0005, "-0.001"}, {0.1, "0.1"}, {0.12, "0.12"}, {1.0, "1.0"},
        {1234.5, "1234.5"}, {-1000.0, "-1000.0"}, {0.999, "0.999"}, {0.9996, "1.0"},
        {1e20, "0.0"}, {-1e20, "0.0"},
    };
    size_t n = sizeof cases / sizeof *cases;
    char line[4096] = "{\"turns\":[";
    for (size_t i = 0; i < n; i++)
        strcat(line, i ? ",{\"speaker\":\"agent\",\"text\":\"x\"}" : "{\"speaker\":\"agent\",\"text\":\"x\"}");
    strcat(line, "]}");
    heard_doc *doc = parse_ok(line);
    heard_result *res = fake_result(n);
    for (size_t i = 0; i < n; i++) {
        res->turns[i].speaker = HEARD_AGENT;
        res->turns[i].sentiment = (float)cases[i].x;
        res->turns[i].emotions[27] = (float)cases[i].x;
    }
    char *out = NULL;
    heard_error err;
    assert_int_equal(heard_result_to_json(doc, res, false, &out, NULL, &err), HEARD_OK);
    char want[400];
    for (size_t i = 0; i < n; i++) {
        snprintf(want, sizeof want, "{\"index\":%zu,\"speaker\":\"agent\",\"sentiment\":%s,", i, cases[i].want);
        if (!strstr(out, want))
            fail_msg("missing %s", want);
        snprintf(want, sizeof want, "\"neutral\":%s},\"emotion_labels\":[\"neutral\"],\"empathy\":{\"emotional_reaction\":0,\"interpretation\":0,\"exploration\":0},\"ownership\":false,\"dismissive\":false,\"evidence\":[]}", cases[i].want);
        if (!strstr(out, want))
            fail_msg("missing %s", want);
    }
    free(out);
    heard_result_free(res);
    heard_doc_free(doc);
}

/* emotion_labels lists the labels on in label order, ["neutral"] for none,
 * and ignores bits past the 28 labels. */
static void output_emotion_labels(void **state)
{
    (void)state;
    static const struct { uint32_t bits; const char *want; } cases[] = {
        {0, "\"emotion_labels\":[\"neutral\"]"},
        {1u | 1u << 5 | 1u << 27, "\"emotion_labels\":[\"admiration\",\"caring\",\"neutral\"]"},
        {1u << 9, "\"emotion_labels\":[\"disappointment\"]"},
        {1u << 30, "\"emotion_labels\":[]"},
        {1u << 30 | 1u << 2, "\"emotion_labels\":[\"anger\"]"},
    };
    size_t n = sizeof cases / sizeof *cases;
    char line[1024] = "{\"turns\":[";
    for (size_t i = 0; i < n; i++)
        strcat(line, i ? ",{\"speaker\":\"agent\",\"text\":\"x\"}" : "{\"speaker\":\"agent\",\"text\":\"x\"}");
    strcat(line, "]}");
    heard_doc *doc = parse_ok(line);
    heard_result *res = fake_result(n);
    for (size_t i = 0; i < n; i++) {
        res->turns[i].speaker = HEARD_AGENT;
        res->turns[i].emotion_labels = cases[i].bits;
    }
    char *out = NULL;
    heard_error err;
    assert_int_equal(heard_result_to_json(doc, res, false, &out, NULL, &err), HEARD_OK);
    const char *at = out;
    for (size_t i = 0; i < n; i++) {
        const char *hit = strstr(at, "\"emotion_labels\":");
        assert_non_null(hit);
        if (strncmp(hit, cases[i].want, strlen(cases[i].want)) != 0)
            fail_msg("turn %zu: want %s, got %.60s", i, cases[i].want, hit);
        at = hit + 1;
    }
    free(out);
    heard_result_free(res);
    heard_doc_free(doc);
}

/* The number writer before the digit table (divisions per digit), kept as
 * the reference the table-driven one must match byte for byte. */
static size_t fixed3_reference(char *o, double x)
{
    char *start = o;
    if (!(x > -1e15 && x < 1e15))
        x = 0.0;
    double y = x * 1000.0;
    long long v = (long long)(y < 0 ? y - 0.5 : y + 0.5);
    if (v < 0) {
        *o++ = '-';
        v = -v;
    }
    if (v < 1000)
        *o++ = '0';
    else
        o += sprintf(o, "%lld", v / 1000);
    unsigned fr = (unsigned)(v % 1000);
    o[0] = '.';
    o[1] = (char)('0' + fr / 100);
    o[2] = (char)('0' + fr / 10 % 10);
    o[3] = (char)('0' + fr % 10);
    o += 2 + (fr % 100 != 0) + (fr % 10 != 0);
    *o = '\0';
    return (size_t)(o - start);
}

/* Every thousandth up to +-1100 (scores, probabilities, felt_heard and
 * beyond; every 997th up to +-10^7), the halves between them and their
 * float neighbours, and the special values give the reference's bytes. */
static void fixed3_matches_reference(void **state)
{
    (void)state;
    char got[32], want[32];
    for (long v = -10000000; v <= 10000000; v += v < -1100000 || v >= 1100000 ? 997 : 1) {
        double xs[4] = {(double)v / 1000.0, ((double)v + 0.5) / 1000.0,
                        (double)nextafterf((float)v / 1000.0f, 2e7f),
                        (double)nextafterf((float)v / 1000.0f, -2e7f)};
        for (int k = 0; k < 4; k++) {
            size_t n = heard_json_fixed3(got, xs[k]);
            size_t m = fixed3_reference(want, xs[k]);
            if (n != m || strcmp(got, want) != 0)
                fail_msg("%.17g: got %s, want %s", xs[k], got, want);
        }
    }
    static const double special[] = {0.0, -0.0, 1e15, -1e15, 999999999999999.0, 1e300,
                                     -1e300, NAN, INFINITY, -INFINITY, 0.0005, -0.0005};
    for (size_t k = 0; k < sizeof special / sizeof *special; k++) {
        size_t n = heard_json_fixed3(got, special[k]);
        size_t m = fixed3_reference(want, special[k]);
        assert_int_equal(n, m);
        assert_string_equal(got, want);
    }
}

/* ---- fast reader vs jansson reader ---- */

/* Lines the fast reader must take itself. */
static const char *const FAST_LINES[] = {
    "{\"id\":\"c-1\",\"channel\":\"email\",\"agent\":\"a-07\",\"team\":\"billing\","
    "\"turns\":[{\"speaker\":\"customer\",\"text\":\"Charged twice!\",\"at\":\"2026-03-02T10:14:05Z\"},"
    "{\"speaker\":\"agent\",\"text\":\"Sorry, I'll fix it.\",\"at\":1772446900}]}",
    "{\"id\":\"e\",\"turns\":[{\"speaker\":\"customer\",\"text\":\"caf\\u00e9 \\u00E9 \\ud83d\\ude00 \\/ \\\\ \\\" \\n\\t\\r\\b\\f \\u0001 \xc3\xa9\xf0\x9f\x98\x80\"}]}",
    "  {\"id\" : 42 , \"channel\" : null, \"turns\" : [ { \"speaker\" : \"agent\" , \"text\" : \"hi\" , \"at\" : null } ] }\r\n",
    "{\"turns\":[{\"speaker\":\"customer\",\"text\":\"x\",\"mood\":\"sad\",\"n\":-3,\"ok\":true,\"no\":false,\"nil\":null,"
    "\"sentiment\":1,\"index\":9}],\"id\":\"late\",\"agent\":\"after\",\"schema\":9,\"error\":\"e\",\"k\\u00e9y\":-0}",
    "{\"id\":null,\"turns\":[]}",
    /* the last date's days are reused: same date, another date, the first again */
    "{\"turns\": [{\"speaker\": \"agent\", \"text\": \"a\", \"at\": \"2024-02-29T23:59:60Z\"}, "
    "{\"speaker\": \"customer\", \"text\": \"b\", \"at\": \"2024-02-29t00:00:00.5-01:30\"},"
    "{\"speaker\":\"agent\",\"text\":\"c\",\"at\":\"1969-12-31 23:59:59+00:00\"} ,"
    "\t{\"speaker\":\"agent\",\"text\":\"d\",\"at\":\"2024-02-29T12:00:00+14:00\"}\n]}",
    "{\"sp\\u0065aker\":1,\"\":\"\",\"turns\":[{\"sp\\u0065aker\":\"\\u0061gent\",\"text\":\"\"}]}",
};

/* Lines it must leave to jansson: unusual but valid, or wrong. */
static const char *const TREE_LINES[] = {
    "{\"id\":\"m\",\"meta\":{\"a\":[1,2.50,1e3]},\"turns\":[]}",         /* nested */
    "{\"id\":4.5,\"turns\":[]}",                                         /* real */
    "{\"id\":\"m\",\"big\":1234567890123456789,\"turns\":[]}",           /* 19 digits */
    "{\"id\":\"d\",\"id\":\"e\",\"turns\":[]}",                          /* duplicates */
    "{\"id\":\"d\",\"turns\":[],\"turns\":[]}",
    "{\"turns\":[{\"speaker\":\"agent\",\"text\":\"a\",\"text\":\"b\"}]}",
    "{\"turns\":[{\"speaker\":\"agent\",\"text\":\"a\\u0000b\"}]}",      /* NUL */
    "{\"turns\":[{\"speaker\":\"agent\",\"text\":\"a\\ud800b\"}]}",      /* lone surrogate */
    "{\"turns\":[{\"speaker\":\"agent\",\"text\":\"a\\qb\"}]}",
    "{\"turns\":[{\"speaker\":\"agent\",\"text\":\"bad \xff bytes\"}]}",
    "{\"turns\":[{\"speaker\":\"agent\",\"text\":\"raw\ttab\"}]}",
    "\xef\xbb\xbf{\"turns\":[]}",                                        /* BOM */
    "{\"turns\":[]} x",
    "{\"turns\":[{\"speaker\":\"agent\",\"text\":\"a",
    "{\"id\":true,\"turns\":[]}",
    "{\"channel\":\"fax\",\"turns\":[]}",
    "{\"turns\":[{\"speaker\":\"bot\",\"text\":\"x\"}]}",
    "{\"turns\":[{\"speaker\":\"agent\",\"text\":\"x\",\"at\":\"yesterday\"}]}",
    "{\"turns\":[{\"speaker\":\"agent\",\"text\":\"x\",\"at\":1.5}]}",
    /* a valid date kept, then the same date with a bad clock or offset */
    "{\"turns\":[{\"speaker\":\"agent\",\"text\":\"x\",\"at\":\"2026-03-02T10:14:05Z\"},"
    "{\"speaker\":\"agent\",\"text\":\"y\",\"at\":\"2026-03-02T24:00:00Z\"}]}",
    "{\"turns\":[{\"speaker\":\"agent\",\"text\":\"x\",\"at\":\"2026-03-02T10:14:05Z\"},"
    "{\"speaker\":\"agent\",\"text\":\"y\",\"at\":\"2026-03-02T10:14:05+1:00\"}]}",
    "{\"turns\":[{\"speaker\":\"agent\",\"text\":\"x\",\"at\":\"2026-03-02T10:14:05Z\"},"
    "{\"speaker\":\"agent\",\"text\":\"y\",\"at\":\"2026-02-30T10:14:05Z\"}]}",
    "{\"turns\":[{\"speaker\":\"agent\",\"text\":\"x\"} x]}",
    "{\"turns\":[{\"speaker\":\"agent\" ,, \"text\":\"x\"}]}",
    "{\"turns\":[{\"speaker\":\"agent\",\"text\":\"x\"},]}",
    "{\"x\":01,\"turns\":[]}",
    "{\"id\":\"n\"}",
    "[]",
    "",
};

static char *analyse_json(heard_analyzer *an, const heard_doc *doc)
{
    heard_result *res = NULL;
    heard_error err;
    assert_int_equal(heard_analyze(an, NULL, heard_doc_conversation(doc), &res, &err), HEARD_OK);
    char *out = NULL;
    assert_int_equal(heard_result_to_json(doc, res, false, &out, NULL, &err), HEARD_OK);
    heard_result_free(res);
    return out;
}

static void fast_reader_matches_jansson(void **state)
{
    (void)state;
    heard_analyzer *an = NULL;
    heard_error err;
    assert_int_equal(heard_analyzer_new(NULL, &an, &err), HEARD_OK);
    for (size_t i = 0; i < sizeof FAST_LINES / sizeof *FAST_LINES; i++) {
        const char *line = FAST_LINES[i];
        heard_doc *fast = heard_doc_fast_parse(line, strlen(line), 0), *tree = NULL;
        if (!fast)
            fail_msg("line %zu left to jansson: %s", i, line);
        assert_int_equal(heard_doc_from_json_tree(line, strlen(line), 0, &tree, &err), HEARD_OK);
        const heard_conversation_in *a = heard_doc_conversation(fast), *b = heard_doc_conversation(tree);
        assert_int_equal(a->channel, b->channel);
        assert_int_equal(a->n_turns, b->n_turns);
        for (size_t t = 0; t < a->n_turns; t++) {
            assert_int_equal(a->turns[t].speaker, b->turns[t].speaker);
            assert_int_equal(a->turns[t].len, b->turns[t].len);
            assert_memory_equal(a->turns[t].text, b->turns[t].text, a->turns[t].len);
            assert_int_equal(a->turns[t].text[a->turns[t].len], '\0');
            assert_true(a->turns[t].at == b->turns[t].at);
        }
        static const char *const fields[] = {"id", "agent", "team", "channel", "", "nothing"};
        for (size_t f = 0; f < sizeof fields / sizeof *fields; f++) {
            const char *x = heard_doc_string(fast, fields[f]), *y = heard_doc_string(tree, fields[f]);
            assert_true((x == NULL) == (y == NULL));
            if (x)
                assert_string_equal(x, y);
        }
        char *ja = analyse_json(an, fast), *jb = analyse_json(an, tree);
        assert_string_equal(ja, jb);
        free(ja);
        free(jb);
        heard_doc_free(fast);
        heard_doc_free(tree);
    }
    heard_analyzer_free(an);

    /* spot checks of what the fast reader decoded */
    const char *esc = FAST_LINES[1];
    heard_doc *d = heard_doc_fast_parse(esc, strlen(esc), 0);
    assert_non_null(d);
    const heard_turn_in *t = &heard_doc_conversation(d)->turns[0];
    static const char want[] = "caf\xc3\xa9 \xc3\xa9 \xf0\x9f\x98\x80 / \\ \" \n\t\r\b\f \x01 \xc3\xa9\xf0\x9f\x98\x80";
    assert_int_equal(t->len, sizeof want - 1);
    assert_memory_equal(t->text, want, sizeof want - 1);
    heard_doc_free(d);
    const char *late = FAST_LINES[3];
    d = heard_doc_fast_parse(late, strlen(late), 0);
    assert_non_null(d);
    char *out = NULL;
    heard_result *res = fake_result(1);
    assert_int_equal(heard_result_to_json(d, res, false, &out, NULL, &err), HEARD_OK);
    assert_non_null(strstr(out, "{\"schema\":1,\"id\":\"late\",\"channel\":\"chat\",\"agent\":\"after\",\"k\xc3\xa9y\":0,\"turns\":"));
    assert_non_null(strstr(out, "\"speaker\":\"customer\",\"mood\":\"sad\",\"n\":-3,\"ok\":true,\"no\":false,\"nil\":null,\"sentiment\":"));
    free(out);
    heard_result_free(res);
    heard_doc_free(d);
}

static void fast_reader_leaves_the_rest(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof TREE_LINES / sizeof *TREE_LINES; i++) {
        const char *line = TREE_LINES[i];
        heard_doc *fast = heard_doc_fast_parse(line, strlen(line), 0);
        if (fast)
            fail_msg("line %zu taken by the fast reader: %s", i, line);
        /* and the public reader answers exactly as jansson does */
        heard_doc *a = NULL, *b = NULL;
        heard_error ea = {{0}}, eb = {{0}};
        heard_status sa = heard_doc_from_json(line, strlen(line), 0, &a, &ea);
        heard_status sb = heard_doc_from_json_tree(line, strlen(line), 0, &b, &eb);
        assert_int_equal(sa, sb);
        assert_true((a == NULL) == (b == NULL));
        if (sa != HEARD_OK)
            assert_string_equal(ea.message, eb.message);
        heard_doc_free(a);
        heard_doc_free(b);
    }
    /* the turn limit too: 3 turns with max 2 */
    const char *three = "{\"turns\":[{\"speaker\":\"agent\",\"text\":\"a\"},{\"speaker\":\"agent\",\"text\":\"b\"},"
                        "{\"speaker\":\"agent\",\"text\":\"c\"}]}";
    assert_null(heard_doc_fast_parse(three, strlen(three), 2));
    heard_doc *d = heard_doc_fast_parse(three, strlen(three), 3);
    assert_non_null(d);
    heard_doc_free(d);
    heard_error err = {{0}};
    assert_int_equal(parse_err(three, strlen(three), 2, &err), HEARD_ELIMIT);
    assert_string_equal(err.message, "conversation has 3 turns, more than the limit of 2");
}

/* More turns and members than the doc holds inline: the arrays move to the
 * heap and every turn keeps its own fields. */
static void fast_reader_many_turns(void **state)
{
    (void)state;
    heard_buf b = {0};
    char piece[160];
    const char *head = "{\"id\":\"many\",\"a\":1,\"b\":2,\"turns\":[";
    size_t n = strlen(head);
    b.data = malloc(64 * 1024);
    memcpy(b.data, head, n);
    for (int i = 0; i < 40; i++) {
        int k = snprintf(piece, sizeof piece, "%s{\"speaker\":\"%s\",\"text\":\"turn %d\",\"at\":%d,\"x\":\"v%d\"}",
                         i ? "," : "", i % 2 ? "agent" : "customer", i, 1000 + i, i);
        memcpy(b.data + n, piece, (size_t)k);
        n += (size_t)k;
    }
    memcpy(b.data + n, "],\"c\":3}", 8);
    n += 8;
    heard_doc *fast = heard_doc_fast_parse(b.data, n, 0), *tree = NULL;
    assert_non_null(fast);
    heard_error err;
    assert_int_equal(heard_doc_from_json_tree(b.data, n, 0, &tree, &err), HEARD_OK);
    const heard_conversation_in *c = heard_doc_conversation(fast);
    assert_int_equal(c->n_turns, 40);
    assert_int_equal(c->turns[39].at, 1039);
    assert_int_equal(c->turns[39].speaker, HEARD_AGENT);
    assert_memory_equal(c->turns[39].text, "turn 39", 7);
    heard_result *r1 = fake_result(40), *r2 = fake_result(40);
    char *o1 = NULL, *o2 = NULL;
    assert_int_equal(heard_result_to_json(fast, r1, true, &o1, NULL, &err), HEARD_OK);
    assert_int_equal(heard_result_to_json(tree, r2, true, &o2, NULL, &err), HEARD_OK);
    assert_string_equal(o1, o2);
    assert_non_null(strstr(o1, "\"at\": 1039,\n      \"x\": \"v39\""));
    free(o1);
    free(o2);
    heard_result_free(r1);
    heard_result_free(r2);
    heard_doc_free(fast);
    heard_doc_free(tree);
    free(b.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_all_fields),
        cmocka_unit_test(rfc3339_variants),
        cmocka_unit_test(missing_and_wrong_fields),
        cmocka_unit_test(invalid_utf8_and_broken_json),
        cmocka_unit_test(deep_json_is_rejected),
        cmocka_unit_test(turn_limits),
        cmocka_unit_test(output_fields),
        cmocka_unit_test(output_escaping_and_spans),
        cmocka_unit_test(output_ids_and_empty),
        cmocka_unit_test(error_json),
        cmocka_unit_test(error_json_strings_and_numbers),
        cmocka_unit_test(analyse_roundtrip),
        cmocka_unit_test(output_number_format),
        cmocka_unit_test(output_emotion_labels),
        cmocka_unit_test(fixed3_matches_reference),
        cmocka_unit_test(fast_reader_matches_jansson),
        cmocka_unit_test(fast_reader_leaves_the_rest),
        cmocka_unit_test(fast_reader_many_turns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_csv_io.c - the streaming CSV reader: grouping by conversation_id,
 * RFC 4180 quoting, header handling and per-group errors that leave the
 * rest of the file readable. */
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

typedef struct csv {
    FILE *f;
    heard_csv_reader *r;
} csv;

static csv open_csv(const char *text, size_t max_turns)
{
    csv c;
    c.f = fmemopen((void *)text, strlen(text), "r");
    assert_non_null(c.f);
    heard_error err = {{0}};
    heard_status st = heard_csv_open(c.f, max_turns, &c.r, &err);
    if (st != HEARD_OK)
        fail_msg("open failed: %s", err.message);
    return c;
}

static void close_csv(csv *c)
{
    heard_csv_close(c->r);
    fclose(c->f);
}

static heard_doc *next_ok(csv *c, size_t want_line)
{
    heard_doc *doc = NULL;
    size_t line = 0;
    heard_error err = {{0}};
    heard_status st = heard_csv_next(c->r, &doc, &line, &err);
    if (st != HEARD_OK)
        fail_msg("line %zu: unexpected error: %s", line, err.message);
    assert_non_null(doc);
    assert_int_equal(line, want_line);
    return doc;
}

static void next_err(csv *c, heard_status want, size_t want_line, const char *fragment)
{
    heard_doc *doc = (heard_doc *)1;
    size_t line = 0;
    heard_error err = {{0}};
    heard_status st = heard_csv_next(c->r, &doc, &line, &err);
    assert_null(doc);
    if (st != want)
        fail_msg("status %d (%s), expected %d", st, err.message, want);
    assert_int_equal(line, want_line);
    if (!strstr(err.message, fragment))
        fail_msg("message '%s' lacks '%s'", err.message, fragment);
}

static void next_end(csv *c)
{
    heard_doc *doc = (heard_doc *)1;
    size_t line = 0;
    heard_error err;
    assert_int_equal(heard_csv_next(c->r, &doc, &line, &err), HEARD_OK);
    assert_null(doc);
    /* and it stays at the end */
    assert_int_equal(heard_csv_next(c->r, &doc, &line, &err), HEARD_OK);
    assert_null(doc);
}

static void expect_text(const heard_doc *doc, size_t i, const char *text)
{
    const heard_conversation_in *conv = heard_doc_conversation(doc);
    assert_true(i < conv->n_turns);
    assert_int_equal(conv->turns[i].len, strlen(text));
    assert_memory_equal(conv->turns[i].text, text, strlen(text));
}

/* The output JSON of a doc (with an empty analysis), parsed back. */
static json_t *output_of(const heard_doc *doc)
{
    size_t n = heard_doc_conversation(doc)->n_turns;
    heard_result res = {0};
    res.n_turns = n;
    res.turns = calloc(n ? n : 1, sizeof *res.turns);
    assert_non_null(res.turns);
    for (size_t i = 0; i < n; i++)
        res.turns[i].speaker = heard_doc_conversation(doc)->turns[i].speaker;
    char *s = NULL;
    heard_error err;
    assert_int_equal(heard_result_to_json(doc, &res, false, &s, NULL, &err), HEARD_OK);
    free(res.turns);
    json_t *j = json_loads(s, JSON_ALLOW_NUL, NULL);
    assert_non_null(j);
    free(s);
    return j;
}

static void groups_and_fields(void **state)
{
    (void)state;
    csv c = open_csv("conversation_id,speaker,text,at,channel,agent,team\n"
                     "c1,customer,Hello,2026-03-02T10:14:05Z,email,a-07,billing\n"
                     "c1,agent,Hi there,2026-03-02T10:21:40Z,phone,a-99,other\n"
                     "c2,customer,Second,,,,\n",
                     0);
    heard_doc *d = next_ok(&c, 2);
    const heard_conversation_in *conv = heard_doc_conversation(d);
    assert_int_equal(conv->n_turns, 2);
    assert_int_equal(conv->channel, HEARD_EMAIL); /* from the first row */
    assert_int_equal(conv->turns[0].speaker, HEARD_CUSTOMER);
    assert_int_equal(conv->turns[1].speaker, HEARD_AGENT);
    assert_int_equal(conv->turns[0].at, 1772446445);
    assert_int_equal(conv->turns[1].at - conv->turns[0].at, 455);
    expect_text(d, 1, "Hi there");
    assert_string_equal(heard_doc_string(d, "id"), "c1");
    assert_string_equal(heard_doc_string(d, "agent"), "a-07");
    assert_string_equal(heard_doc_string(d, "team"), "billing");
    heard_doc_free(d);

    d = next_ok(&c, 4);
    conv = heard_doc_conversation(d);
    assert_int_equal(conv->n_turns, 1);
    assert_int_equal(conv->channel, HEARD_CHAT);
    assert_int_equal(conv->turns[0].at, HEARD_NO_TIME);
    assert_null(heard_doc_string(d, "agent"));
    heard_doc_free(d);
    next_end(&c);
    close_csv(&c);
}

static void quoting(void **state)
{
    (void)state;
    /* BOM, columns in another order and case, CRLF, quoted commas, doubled
     * quotes, a newline inside quotes, an empty quoted field, a blank line,
     * a last row without line end */
    csv c = open_csv("\xEF\xBB\xBFText, Speaker ,CONVERSATION_ID,note\r\n"
                     "\"a, b \"\"c\"\"\",customer,k1,x\r\n"
                     "\"line one\r\nline two\",agent,k1,\r\n"
                     "\r\n"
                     "\"\",customer,k2,\"\"\r\n"
                     "plain \"inner\" quote,agent,k2,last",
                     0);
    heard_doc *d = next_ok(&c, 2);
    expect_text(d, 0, "a, b \"c\"");
    expect_text(d, 1, "line one\r\nline two");
    json_t *j = output_of(d);
    json_t *t0 = json_array_get(json_object_get(j, "turns"), 0);
    json_t *t1 = json_array_get(json_object_get(j, "turns"), 1);
    assert_string_equal(json_string_value(json_object_get(t0, "note")), "x"); /* echoed */
    assert_null(json_object_get(t1, "note"));                                 /* empty: not */
    assert_string_equal(json_string_value(json_object_get(j, "id")), "k1");
    json_decref(j);
    heard_doc_free(d);

    d = next_ok(&c, 6); /* line 5 is blank */
    expect_text(d, 0, "");
    expect_text(d, 1, "plain \"inner\" quote");
    heard_doc_free(d);
    next_end(&c);
    close_csv(&c);
}

static void header_problems(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "id,speaker,text\nc,customer,x\n",
        "conversation_id,text\n",
        "conversation_id,speaker,text,speaker\n",
    };
    static const char *const frag[] = {"conversation_id", "speaker", "twice"};
    for (int i = 0; i < 3; i++) {
        FILE *f = fmemopen((void *)bad[i], strlen(bad[i]), "r");
        assert_non_null(f);
        heard_csv_reader *r = (heard_csv_reader *)1;
        heard_error err = {{0}};
        assert_int_equal(heard_csv_open(f, 0, &r, &err), HEARD_EINVAL);
        assert_null(r);
        if (!strstr(err.message, frag[i]))
            fail_msg("'%s' lacks '%s'", err.message, frag[i]);
        fclose(f);
    }
    /* an empty file has no conversations, and that is fine */
    FILE *f = fmemopen((void *)"", 0, "r");
    if (!f) /* some libcs refuse zero-size buffers */
        f = fmemopen((void *)"\n", 1, "r");
    assert_non_null(f);
    csv c = {f, NULL};
    heard_error err;
    assert_int_equal(heard_csv_open(f, 0, &c.r, &err), HEARD_OK);
    next_end(&c);
    close_csv(&c);
}

static void group_errors_do_not_stop_the_file(void **state)
{
    (void)state;
    csv c = open_csv("conversation_id,speaker,text,at\n"
                     "g1,customer,fine,\n"                          /* 2 */
                     "g1,robot,bad speaker,\n"                      /* 3 */
                     "g1,agent,more of g1,\n"                       /* 4 */
                     "g2,customer,ok,\n"                            /* 5 */
                     "g3,customer,too,many,fields\n"                /* 6 */
                     "g4,customer,bad time,tomorrow\n"              /* 7 */
                     ",customer,no id,\n"                           /* 8 */
                     "g5,customer,caf\xC3 broken,\n"                /* 9 */
                     "g6,customer,\"never closed\n",                /* 10 */
                     0);
    next_err(&c, HEARD_EINVAL, 3, "\"speaker\" must be");
    heard_doc *d = next_ok(&c, 5);
    expect_text(d, 0, "ok");
    heard_doc_free(d);
    next_err(&c, HEARD_EINVAL, 6, "row has 5 fields, the header has 4");
    next_err(&c, HEARD_EINVAL, 7, "RFC 3339");
    next_err(&c, HEARD_EINVAL, 8, "empty conversation_id");
    next_err(&c, HEARD_EUTF8, 9, "UTF-8");
    next_err(&c, HEARD_EINVAL, 10, "unterminated");
    next_end(&c);
    close_csv(&c);
}

static void too_many_turns(void **state)
{
    (void)state;
    csv c = open_csv("conversation_id,speaker,text\n"
                     "a,customer,1\na,agent,2\na,customer,3\na,agent,4\n"
                     "b,customer,1\nb,agent,2\n",
                     3);
    next_err(&c, HEARD_ELIMIT, 5, "more than 3 turns");
    heard_doc *d = next_ok(&c, 6);
    assert_int_equal(heard_doc_conversation(d)->n_turns, 2);
    heard_doc_free(d);
    next_end(&c);
    close_csv(&c);
}

static void ids_repeat_only_when_consecutive(void **state)
{
    (void)state;
    csv c = open_csv("conversation_id,speaker,text\n"
                     "a,customer,1\nb,customer,2\na,customer,3\n",
                     0);
    for (size_t line = 2; line <= 4; line++) {
        heard_doc *d = next_ok(&c, line);
        assert_int_equal(heard_doc_conversation(d)->n_turns, 1);
        heard_doc_free(d);
    }
    next_end(&c);
    close_csv(&c);
}

/* A NUL byte inside a field is data, not the end of it (the fuzzer found
 * the id copied with strndup, then read past it); in a header name it is
 * an error. */
static void nul_bytes(void **state)
{
    (void)state;
    static const char body[] = "conversation_id,speaker,text\nab\0cd,customer,hi\nab\0cd,agent,yo\n";
    FILE *f = fmemopen((void *)body, sizeof body - 1, "r");
    assert_non_null(f);
    csv c = {f, NULL};
    heard_error err = {{0}};
    assert_int_equal(heard_csv_open(f, 0, &c.r, &err), HEARD_OK);
    heard_doc *d = next_ok(&c, 2);
    assert_int_equal(heard_doc_conversation(d)->n_turns, 2);
    json_t *j = output_of(d);
    json_t *id = json_object_get(j, "id");
    assert_int_equal(json_string_length(id), 5);
    assert_memory_equal(json_string_value(id), "ab\0cd", 5);
    json_decref(j);
    heard_doc_free(d);
    next_end(&c);
    close_csv(&c);

    static const char head[] = "conversation_id,speaker,text,x\0y\nc,customer,hi,1\n";
    f = fmemopen((void *)head, sizeof head - 1, "r");
    assert_non_null(f);
    heard_csv_reader *r = (heard_csv_reader *)1;
    assert_int_equal(heard_csv_open(f, 0, &r, &err), HEARD_EINVAL);
    assert_null(r);
    assert_non_null(strstr(err.message, "column 4 name holds a NUL byte"));
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(groups_and_fields),
        cmocka_unit_test(quoting),
        cmocka_unit_test(header_problems),
        cmocka_unit_test(group_errors_do_not_stop_the_file),
        cmocka_unit_test(too_many_turns),
        cmocka_unit_test(ids_repeat_only_when_consecutive),
        cmocka_unit_test(nul_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

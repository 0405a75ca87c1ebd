/* ingest.c - conversation JSON to analysis to stored row (see ingest.h). */
#include "ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "io_internal.h"
#include "sbuf.h"
#include "token.h"

void format_utc(int64_t t, char out[32])
{
    if (!token_utc(t, out))
        snprintf(out, 32, "1970-01-01T00:00:00Z");
}

static bool id_ok(const char *id)
{
    size_t n = id ? strlen(id) : 0;
    if (n == 0 || n > 256)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)id[i] < 0x20 || id[i] == 0x7f)
            return false;
    return true;
}

static void format_params(conv_row *w);

static void derive_row(const heard_conversation_in *conv, analysed *a)
{
    conv_row *w = &a->row;
    const heard_result *res = a->res;
    w->id = heard_doc_string(a->doc, "id");
    w->agent = heard_doc_string(a->doc, "agent");
    w->team = heard_doc_string(a->doc, "team");
    w->channel = conv->channel;
    int64_t first = HEARD_NO_TIME;
    for (size_t i = 0; i < conv->n_turns && first == HEARD_NO_TIME; i++)
        first = conv->turns[i].at;
    format_utc(first == HEARD_NO_TIME ? (int64_t)time(NULL) : first, w->started_at);
    w->n_turns = (long)res->n_turns;
    w->empathy = res->empathy_score;
    w->politeness = res->politeness_score;
    w->felt_heard = res->felt_heard;
    w->flags = res->flags;
    w->opportunities = (long)res->n_opportunities;
    for (size_t i = 0; i < res->n_opportunities; i++) {
        const heard_opportunity *o = &res->opportunities[i];
        w->missed += heard_opportunity_missed(o);
        w->unanswered += o->response_turn < 0;
    }
    long waits = 0;
    double wait_sum = 0;
    for (size_t i = 0; i < res->n_turns; i++) {
        const heard_turn_result *t = &res->turns[i];
        if (t->speaker != HEARD_AGENT)
            continue;
        w->agent_turns++;
        w->reactions += t->emotional_reaction > 0;
        w->interpretations += t->interpretation > 0;
        w->explorations += t->exploration > 0;
        w->ownership += t->ownership;
        w->dismissive += t->dismissive;
        if (t->has_wait) {
            if (!w->has_wait || t->wait_seconds > w->wait_max)
                w->wait_max = (long)t->wait_seconds;
            w->has_wait = true;
            wait_sum += (double)t->wait_seconds;
            waits++;
        }
    }
    w->wait_mean = waits ? wait_sum / (double)waits : 0;
    format_params(w);
}

/* The analysis of a doc (owned by out from here on); the output JSON when
 * want_json, the indexed columns when need_id (storing). */
static ingest_status analyse_doc(request *r, heard_doc *doc, bool need_id, bool want_json,
                                 analysed *out, char *msg, size_t msglen)
{
    out->doc = doc;
    if (need_id && !id_ok(heard_doc_string(out->doc, "id"))) {
        snprintf(msg, msglen, "\"id\" must be a non-empty string of at most 256 bytes "
                              "without control characters");
        analysed_free(out);
        return INGEST_INVALID;
    }
    heard_workspace *ws = req_ws(r);
    if (!ws) {
        snprintf(msg, msglen, "no analysis workspace");
        analysed_free(out);
        return INGEST_INTERNAL;
    }
    heard_error e = {{0}};
    const heard_conversation_in *conv = heard_doc_conversation(out->doc);
    heard_status st = heard_analyze(r->srv->an, ws, conv, &out->res, &e);
    if (st == HEARD_OK && want_json)
        st = heard_result_to_json(out->doc, out->res, false, &out->json, &out->json_len, &e);
    if (st != HEARD_OK) {
        snprintf(msg, msglen, "%s", e.message[0] ? e.message : heard_status_name(st));
        analysed_free(out);
        return st == HEARD_ENOMEM || st == HEARD_EMODEL ? INGEST_INTERNAL : INGEST_INVALID;
    }
    atomic_fetch_add(&r->srv->m.analysed, 1);
    if (need_id)
        derive_row(conv, out);
    return INGEST_OK;
}

ingest_status ingest_analyse_obj(request *r, json_t *obj, bool need_id, analysed *out,
                                 char *msg, size_t msglen)
{
    return ingest_analyse_obj_json(r, obj, need_id, true, out, msg, msglen);
}

ingest_status ingest_analyse_obj_json(request *r, json_t *obj, bool need_id, bool want_json,
                                      analysed *out, char *msg, size_t msglen)
{
    memset(out, 0, sizeof *out);
    if (!json_is_object(obj)) {
        json_decref(obj);
        snprintf(msg, msglen, "expected a JSON object");
        return INGEST_INVALID;
    }
    heard_error e = {{0}};
    heard_doc *doc = NULL;
    heard_status st = heard_doc_from_root(obj, r->srv->cfg.max_turns, &doc, &e, NULL);
    if (st != HEARD_OK) {
        snprintf(msg, msglen, "%s", e.message[0] ? e.message : heard_status_name(st));
        return st == HEARD_ENOMEM ? INGEST_INTERNAL : INGEST_INVALID;
    }
    return analyse_doc(r, doc, need_id, want_json, out, msg, msglen);
}

/* Why heard_doc_from_json refused text: not JSON at all (400, with
 * jansson's message as before) or JSON that is no conversation (422). Only
 * on the error path, so the second parse costs nothing in the steady state. */
static ingest_status classify_failure(const char *text, size_t len, heard_status st,
                                      const heard_error *e, char *msg, size_t msglen)
{
    if (st == HEARD_ENOMEM) {
        snprintf(msg, msglen, "out of memory");
        return INGEST_INTERNAL;
    }
    json_error_t je;
    json_t *obj = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!obj) {
        snprintf(msg, msglen, "invalid JSON: %s (column %d)", je.text, je.column);
        return INGEST_BAD_JSON;
    }
    bool object = json_is_object(obj);
    json_decref(obj);
    if (!object)
        snprintf(msg, msglen, "expected a JSON object");
    else
        snprintf(msg, msglen, "%s", e->message[0] ? e->message : heard_status_name(st));
    return INGEST_INVALID;
}

ingest_status ingest_analyse_text(request *r, const char *text, size_t len, bool need_id,
                                  bool want_json, analysed *out, char *msg, size_t msglen)
{
    memset(out, 0, sizeof *out);
    if (json_too_deep(text, len, r->srv->cfg.max_depth)) {
        snprintf(msg, msglen, "JSON nested deeper than %zu levels", r->srv->cfg.max_depth);
        return INGEST_BAD_JSON;
    }
    /* straight from the text to the doc: heard_doc_from_json is the
     * library's fast reader, no jansson tree of our own */
    heard_error e = {{0}};
    heard_doc *doc = NULL;
    heard_status st = heard_doc_from_json(text, len, r->srv->cfg.max_turns, &doc, &e);
    if (st != HEARD_OK)
        return classify_failure(text, len, st, &e, msg, msglen);
    return analyse_doc(r, doc, need_id, want_json, out, msg, msglen);
}

ingest_status ingest_analyse(request *r, const char *text, size_t len, bool need_id,
                             analysed *out, char *msg, size_t msglen)
{
    return ingest_analyse_text(r, text, len, need_id, true, out, msg, msglen);
}

void analysed_free(analysed *a)
{
    heard_result_free(a->res);
    heard_doc_free(a->doc);
    free(a->json);
    memset(a, 0, sizeof *a);
}

/* The numbers of the row as text, for ingest_store_items (dec_int: one snprintf
 * per number cost more than the rest of the row's preparation). */
static void format_params(conv_row *w)
{
    dec_int(w->num[0], w->n_turns);
    dec_int(w->num[1], w->agent_turns);
    dec_int(w->num[2], w->empathy);
    dec_int(w->num[3], w->politeness);
    snprintf(w->num[4], 32, "%.4f", w->felt_heard);
    dec_int(w->num[5], (long)w->flags);
    dec_int(w->num[6], w->opportunities);
    dec_int(w->num[7], w->missed);
    dec_int(w->num[8], w->wait_max);
    snprintf(w->num[9], 32, "%.3f", w->wait_mean);
    dec_int(w->num[10], w->reactions);
    dec_int(w->num[11], w->interpretations);
    dec_int(w->num[12], w->explorations);
    dec_int(w->num[13], w->ownership);
    dec_int(w->num[14], w->dismissive);
    dec_int(w->num[15], w->unanswered);
    token_now(w->stored_at);
}

#define N_ROW_PARAMS 24

static void row_params(const analysed *a, const char *input, const char **p)
{
    const conv_row *w = &a->row;
    const char *v[N_ROW_PARAMS] = {
        w->id, w->agent, w->team, heard_channel_name(w->channel), w->started_at,
        w->num[0], w->num[1], w->num[2], w->num[3], w->num[4], w->num[5],
        w->num[6], w->num[7], w->has_wait ? w->num[8] : NULL,
        w->has_wait ? w->num[9] : NULL, w->num[10], w->num[11], w->num[12],
        w->num[13], w->num[14], a->json, input, w->stored_at, w->num[15]};
    memcpy(p, v, sizeof v);
}

static const char INSERT_SQL[] =
    "INSERT INTO conversations (id, agent, team, channel, started_at, n_turns, agent_turns,"
    " empathy, politeness, felt_heard, flags, opportunities, missed, wait_max, wait_mean,"
    " reactions, interpretations, explorations, ownership, dismissive, analysis, input,"
    " stored_at, unanswered) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,"
    " $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)"
    " ON CONFLICT (id) DO NOTHING";

static const char UPDATE_SQL[] =
    "UPDATE conversations SET agent = $2, team = $3, channel = $4, started_at = $5,"
    " n_turns = $6, agent_turns = $7, empathy = $8, politeness = $9, felt_heard = $10,"
    " flags = $11, opportunities = $12, missed = $13, wait_max = $14, wait_mean = $15,"
    " reactions = $16, interpretations = $17, explorations = $18, ownership = $19,"
    " dismissive = $20, analysis = $21, input = $22, stored_at = $23, unanswered = $24"
    " WHERE id = $1";

db_status ingest_store_items(db *d, db_conn *c, commit_item *items, size_t n, char *err)
{
    if (n == 0)
        return DB_OK;
    /* the stack serves the common group; a large batch allocates */
    const char *p_stack[16 * N_ROW_PARAMS] = {0}; /* set (gcc cannot see row_params fill it) */
    long ch_stack[16];
    const char **p = n <= 16 ? p_stack : malloc(n * N_ROW_PARAMS * sizeof *p);
    long *changes = n <= 16 ? ch_stack : malloc(n * sizeof *changes);
    db_status st = DB_OK;
    if (!p || !changes) {
        snprintf(err, DB_ERRLEN, "out of memory");
        st = DB_ERROR;
    }
    for (size_t i = 0; i < n && st == DB_OK; i++)
        row_params(items[i].a, items[i].input, p + i * N_ROW_PARAMS);
    /* a new id (the common case) is one insert; the count of rows it wrote
     * tells a new row from an existing id, which is then replaced */
    if (st == DB_OK)
        st = db_exec_each(d, c, INSERT_SQL, p, N_ROW_PARAMS, n, changes, err);
    for (size_t i = 0; i < n && st == DB_OK; i++) {
        items[i].created = changes[i] == 1;
        if (!items[i].created)
            st = db_exec(d, c, UPDATE_SQL, p + i * N_ROW_PARAMS, N_ROW_PARAMS, NULL, err);
    }
    if (p != p_stack)
        free(p);
    if (changes != ch_stack)
        free(changes);
    return st;
}

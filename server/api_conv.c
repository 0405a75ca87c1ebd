/* api_conv.c - conversation endpoints: analyse without storing, store one
 * conversation or a JSONL batch (idempotent by id), read one back, list
 * them with filters, and export them as CSV for spreadsheets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "ingest.h"
#include "sbuf.h"

static unsigned ingest_http_status(ingest_status st)
{
    return st == INGEST_BAD_JSON ? 400 : st == INGEST_INVALID ? 422 : 500;
}

static const char *ingest_error_name(ingest_status st)
{
    return st == INGEST_BAD_JSON ? "invalid JSON"
           : st == INGEST_INVALID ? "invalid conversation"
                                  : "analysis failed";
}

void h_analyze(request *r)
{
    if (!req_auth(r, ROLE_AGENT))
        return;
    analysed a;
    char msg[512];
    ingest_status st = ingest_analyse(r, r->body ? r->body : "", r->body_len, false, &a, msg,
                                      sizeof msg);
    if (st != INGEST_OK) {
        if (!r->status)
            resp_error(r, ingest_http_status(st), ingest_error_name(st), json_string(msg));
        return;
    }
    resp_raw(r, 200, "application/json", a.json, a.json_len);
    a.json = NULL;
    analysed_free(&a);
}

/* ------------------------------------------------------------------- store */

typedef struct line {
    const char *p;
    size_t len;
    size_t number; /* 1-based line of the body */
} line;

static bool blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
            return false;
    return true;
}

/* Splits the body into its non-blank lines; NULL on allocation failure. */
static line *split_lines(const char *body, size_t len, size_t *n)
{
    size_t cap = 16;
    line *ls = malloc(cap * sizeof *ls);
    *n = 0;
    size_t number = 0;
    for (size_t i = 0; ls && i < len;) {
        const char *nl = memchr(body + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - body) : len;
        number++;
        if (!blank(body + i, end - i)) {
            if (*n == cap) {
                line *g = realloc(ls, cap * 2 * sizeof *ls);
                if (!g) {
                    free(ls);
                    return NULL;
                }
                ls = g;
                cap *= 2;
            }
            ls[(*n)++] = (line){body + i, end - i, number};
        }
        i = end + 1;
    }
    return ls;
}

/* One conversation being stored: kept across the suspension of the
 * request while the writer thread commits it. */
typedef struct one_store {
    analysed a;
    commit_item item;
    commit_job job;
} one_store;

static void one_store_free(void *p)
{
    one_store *o = p;
    if (!o)
        return;
    analysed_free(&o->a);
    free(o);
}

/* Answers once the row is committed (or not). */
static void store_one_done(request *r)
{
    one_store *o = r->pending;
    if (o->job.st != DB_OK) {
        atomic_fetch_add(&r->srv->m.store_failed, 1);
        if (!r->status)
            resp_db_error(r, o->job.err);
        return;
    }
    atomic_fetch_add(&r->srv->m.stored, 1);
    resp_raw(r, o->item.created ? 201 : 200, "application/json", o->a.json, o->a.json_len);
    o->a.json = NULL;
}

static void store_one(request *r)
{
    one_store *o = calloc(1, sizeof *o);
    if (!o) {
        resp_error(r, 500, "out of memory", NULL);
        return;
    }
    char msg[512];
    ingest_status st = ingest_analyse(r, r->body, r->body_len, true, &o->a, msg, sizeof msg);
    if (st != INGEST_OK) {
        free(o);
        if (!r->status)
            resp_error(r, ingest_http_status(st), ingest_error_name(st), json_string(msg));
        return;
    }
    /* the body is NUL-terminated and lives as long as the request: stored
     * as it is, no copy */
    o->item = (commit_item){.a = &o->a, .input = r->body};
    o->job = (commit_job){.items = &o->item, .n_items = 1};
    if (req_defer(r, &o->job, store_one_done, o, one_store_free))
        return;
    r->pending = o;
    r->pending_free = one_store_free;
    db_conn *c = req_db(r);
    if (!c)
        return;
    commit_write_now(r->srv->db, c, &o->job);
    store_one_done(r);
}

/* A JSONL batch: every line analysed; the good ones stored in one transaction
 * (all or none, so a retry after a failure is safe); each bad line answered
 * with its own error in its place, as the CLI does. The analysis runs before
 * the transaction starts, so the write lock is held only for the inserts and
 * concurrent batches do not queue behind each other's analysis. */
typedef struct batch_item {
    analysed a;
    bool ok;
    char *error_json; /* for a line that could not be analysed */
} batch_item;

typedef struct batch {
    batch_item *items;
    size_t n, stored, failed;
    commit_item *rows; /* the good items, for the writer */
    commit_job job;
} batch;

static void batch_free(void *p)
{
    batch *b = p;
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++) {
        if (b->items[i].ok)
            analysed_free(&b->items[i].a);
        free(b->items[i].error_json);
    }
    free(b->items);
    free(b->rows);
    free(b);
}

/* Answers once the batch is committed (or not). */
static void store_batch_done(request *r)
{
    batch *b = r->pending;
    if (b->stored > 0 && b->job.st != DB_OK) {
        if (!r->status)
            resp_db_error(r, b->job.err);
        return;
    }
    sbuf body = {0};
    if (b->stored == 0)
        sbuf_printf(&body, "{\"error\":\"no conversation could be stored\",\"detail\":"
                           "{\"stored\":0,\"failed\":%zu,\"results\":[", b->failed);
    else
        sbuf_printf(&body, "{\"stored\":%zu,\"failed\":%zu,\"results\":[", b->stored,
                    b->failed);
    for (size_t i = 0; i < b->n; i++) {
        if (i)
            sbuf_add(&body, ",", 1);
        const batch_item *it = &b->items[i];
        if (it->ok)
            sbuf_add(&body, it->a.json, it->a.json_len);
        else
            sbuf_puts(&body, it->error_json ? it->error_json : "null");
    }
    sbuf_puts(&body, b->stored == 0 ? "]}}" : "]}");
    atomic_fetch_add(&r->srv->m.stored, b->stored);
    size_t len;
    char *s = sbuf_take(&body, &len);
    resp_raw(r, b->stored == 0 ? 422 : 200, "application/json", s, len);
}

static void store_batch(request *r, line *ls, size_t n)
{
    batch *b = calloc(1, sizeof *b);
    if (b)
        b->items = calloc(n, sizeof *b->items);
    if (b && b->items)
        b->rows = calloc(n, sizeof *b->rows);
    if (!b || !b->items || !b->rows) {
        batch_free(b);
        resp_error(r, 500, "out of memory", NULL);
        return;
    }
    b->n = n;
    for (size_t i = 0; i < n; i++) {
        char msg[512];
        batch_item *it = &b->items[i];
        ingest_status st = ingest_analyse(r, ls[i].p, ls[i].len, true, &it->a, msg, sizeof msg);
        if (st == INGEST_OK) {
            it->ok = true;
            /* the line's text, stored for re-analysis: NUL-terminated in
             * place (the newline, or the body's end), no copy */
            ((char *)ls[i].p)[ls[i].len] = '\0';
            b->rows[b->stored++] = (commit_item){.a = &it->a, .input = ls[i].p};
            continue;
        }
        if (r->status) { /* workspace failure already answered */
            batch_free(b);
            return;
        }
        it->error_json = heard_error_json(ls[i].number, msg);
        b->failed++;
    }
    b->job = (commit_job){.items = b->rows, .n_items = b->stored};
    if (b->stored > 0 && req_defer(r, &b->job, store_batch_done, b, batch_free))
        return;
    r->pending = b;
    r->pending_free = batch_free;
    if (b->stored > 0) {
        db_conn *c = req_db(r);
        if (!c)
            return;
        commit_write_now(r->srv->db, c, &b->job);
    }
    store_batch_done(r);
}

void h_conv_post(request *r)
{
    if (!req_auth(r, ROLE_MANAGER))
        return;
    if (r->body_len == 0 || blank(r->body, r->body_len)) {
        resp_error(r, 400, "empty body", json_string("expected a conversation or JSONL"));
        return;
    }
    size_t n;
    line *ls = split_lines(r->body, r->body_len, &n);
    if (!ls) {
        resp_error(r, 500, "out of memory", NULL);
        return;
    }
    bool single = n <= 1;
    if (!single) {
        /* a single pretty-printed object also spans several lines */
        json_t *o = json_too_deep(r->body, r->body_len, r->srv->cfg.max_depth)
                        ? NULL
                        : json_loadb(r->body, r->body_len, 0, NULL);
        single = json_is_object(o);
        json_decref(o);
    }
    if (single)
        store_one(r);
    else if (n > r->srv->cfg.max_batch)
        resp_errorf(r, 413, "batch too large", "at most %zu conversations per request",
                    r->srv->cfg.max_batch);
    else
        store_batch(r, ls, n);
    free(ls);
}

/* -------------------------------------------------------------------- read */

void h_conv_get(request *r, const char *id)
{
    if (!req_auth(r, ROLE_AGENT))
        return;
    db_conn *c = req_db(r);
    if (!c)
        return;
    char err[DB_ERRLEN];
    db_rows rows;
    const char *p[] = {id};
    if (db_exec(r->srv->db, c, "SELECT analysis, agent FROM conversations WHERE id = $1", p, 1,
                &rows, err) != DB_OK) {
        resp_db_error(r, err);
        return;
    }
    const char *agent = db_cell(&rows, 0, 1);
    /* an agent asking for someone else's conversation learns nothing, not
     * even that it exists */
    if (rows.n_rows == 0 || (r->role == ROLE_AGENT && (!agent || strcmp(agent, r->agent) != 0))) {
        resp_error(r, 404, "conversation not found", json_string(id));
    } else {
        char *s = strdup(db_cell(&rows, 0, 0));
        resp_raw(r, 200, "application/json", s, s ? strlen(s) : 0);
    }
    db_rows_free(&rows);
}

static long arg_long(request *r, const char *name, long def, long min, long max, bool *ok)
{
    const char *v = req_arg(r, name);
    if (!v)
        return def;
    char *end;
    long x = strtol(v, &end, 10);
    if (*end || end == v || x < min || x > max) {
        resp_errorf(r, 400, "bad query", "'%s' must be an integer from %ld to %ld", name, min,
                    max);
        *ok = false;
    }
    return x;
}

static json_t *num_or_null(const char *v, bool integer)
{
    if (!v)
        return json_null();
    return integer ? json_integer(strtoll(v, NULL, 10)) : json_real(strtod(v, NULL));
}

static json_t *str_or_null(const char *v) { return v ? json_string(v) : json_null(); }

#define LIST_COLUMNS \
    "id, agent, team, channel, started_at, n_turns, empathy, politeness, felt_heard, flags," \
    " opportunities, missed, wait_max, wait_mean, unanswered"

void h_conv_list(request *r)
{
    if (!req_auth(r, ROLE_AGENT))
        return;
    filter f;
    if (!filter_build(r, &f, ""))
        return;
    bool ok = true;
    long limit = arg_long(r, "limit", 100, 1, 1000, &ok);
    long offset = ok ? arg_long(r, "offset", 0, 0, 1000000000L, &ok) : 0;
    if (!ok)
        return;
    db_conn *c = req_db(r);
    if (!c)
        return;
    char lim[24], off[24], sql[1024], err[DB_ERRLEN];
    snprintf(lim, sizeof lim, "%ld", limit);
    snprintf(off, sizeof off, "%ld", offset);
    size_t il = filter_add_param(&f, lim), io = filter_add_param(&f, off);
    snprintf(sql, sizeof sql,
             "SELECT " LIST_COLUMNS " FROM conversations%s"
             " ORDER BY started_at DESC, id LIMIT $%zu OFFSET $%zu", f.where, il, io);
    db_rows rows;
    if (db_exec(r->srv->db, c, sql, f.params, f.n, &rows, err) != DB_OK) {
        resp_db_error(r, err);
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < rows.n_rows; i++) {
        const char *flags = db_cell(&rows, i, 9);
        json_t *o = json_object();
        json_object_set_new(o, "id", str_or_null(db_cell(&rows, i, 0)));
        json_object_set_new(o, "agent", str_or_null(db_cell(&rows, i, 1)));
        json_object_set_new(o, "team", str_or_null(db_cell(&rows, i, 2)));
        json_object_set_new(o, "channel", str_or_null(db_cell(&rows, i, 3)));
        json_object_set_new(o, "started_at", str_or_null(db_cell(&rows, i, 4)));
        json_object_set_new(o, "turns", num_or_null(db_cell(&rows, i, 5), true));
        json_object_set_new(o, "empathy", num_or_null(db_cell(&rows, i, 6), true));
        json_object_set_new(o, "politeness", num_or_null(db_cell(&rows, i, 7), true));
        json_object_set_new(o, "felt_heard", num_or_null(db_cell(&rows, i, 8), false));
        json_object_set_new(o, "flags", flags_json(flags ? (unsigned)strtoul(flags, NULL, 10) : 0));
        json_object_set_new(o, "opportunities", num_or_null(db_cell(&rows, i, 10), true));
        json_object_set_new(o, "missed", num_or_null(db_cell(&rows, i, 11), true));
        json_object_set_new(o, "unanswered", num_or_null(db_cell(&rows, i, 14), true));
        json_object_set_new(o, "wait_max_seconds", num_or_null(db_cell(&rows, i, 12), true));
        json_object_set_new(o, "wait_mean_seconds", num_or_null(db_cell(&rows, i, 13), false));
        json_array_append_new(list, o);
    }
    db_rows_free(&rows);
    json_t *res = json_object();
    json_object_set_new(res, "conversations", list);
    json_object_set_new(res, "limit", json_integer(limit));
    json_object_set_new(res, "offset", json_integer(offset));
    resp_json(r, 200, res);
}

/* ------------------------------------------------------------------ export */

/* The stored input conversations as JSONL: what POST /v1/conversations
 * takes, for moving to another database or re-analysing with a new model. */
static void export_inputs(request *r, db_conn *c, filter *f)
{
    char sql[1024], err[DB_ERRLEN];
    snprintf(sql, sizeof sql, "SELECT c.input FROM conversations c%s ORDER BY c.started_at, c.id",
             f->where);
    db_rows rows;
    if (db_exec(r->srv->db, c, sql, f->params, f->n, &rows, err) != DB_OK) {
        resp_db_error(r, err);
        return;
    }
    sbuf b = {0};
    for (size_t i = 0; i < rows.n_rows; i++) {
        const char *in = db_cell(&rows, i, 0);
        if (!in)
            continue;
        /* a pretty-printed input becomes one line: newlines only occur
         * between JSON tokens, where a space means the same */
        for (const char *p = in; *p; p++)
            sbuf_add(&b, *p == '\n' || *p == '\r' ? " " : p, 1);
        sbuf_puts(&b, "\n");
    }
    db_rows_free(&rows);
    size_t len;
    char *s = sbuf_take(&b, &len);
    r->disposition = "attachment; filename=\"heard-conversations.jsonl\"";
    resp_raw(r, 200, "application/x-ndjson", s ? s : strdup(""), s ? len : 0);
}

void h_export(request *r)
{
    if (!req_auth(r, ROLE_MANAGER))
        return;
    const char *format = req_arg(r, "format");
    if (format && strcmp(format, "csv") != 0 && strcmp(format, "jsonl") != 0) {
        resp_errorf(r, 400, "bad query", "format must be csv or jsonl");
        return;
    }
    filter f;
    if (!filter_build(r, &f, "c."))
        return;
    db_conn *c = req_db(r);
    if (!c)
        return;
    if (format && strcmp(format, "jsonl") == 0) {
        export_inputs(r, c, &f);
        return;
    }
    char sql[2048], err[DB_ERRLEN];
    snprintf(sql, sizeof sql,
             "SELECT c.id, c.agent, c.team, c.channel, c.started_at, c.n_turns, c.empathy,"
             " c.politeness, c.felt_heard, c.flags, c.opportunities, c.missed, c.wait_max,"
             " c.wait_mean, s.fh, s.n, c.unanswered"
             " FROM conversations c LEFT JOIN (SELECT conversation_id, AVG(felt_heard) AS fh,"
             " COUNT(*) AS n FROM survey_responses GROUP BY conversation_id) s"
             " ON s.conversation_id = c.id%s ORDER BY c.started_at, c.id LIMIT 1000000",
             f.where);
    db_rows rows;
    if (db_exec(r->srv->db, c, sql, f.params, f.n, &rows, err) != DB_OK) {
        resp_db_error(r, err);
        return;
    }
    sbuf b = {0};
    sbuf_puts(&b, "id,agent,team,channel,started_at,turns,empathy,politeness,"
                  "felt_heard_predicted,flags,opportunities,missed_opportunities,"
                  "wait_max_seconds,wait_mean_seconds,felt_heard_surveyed,survey_responses,"
                  "unanswered_opportunities\r\n");
    for (size_t i = 0; i < rows.n_rows; i++) {
        for (size_t j = 0; j < rows.n_cols; j++) {
            const char *v = db_cell(&rows, i, j);
            if (j)
                sbuf_puts(&b, ",");
            if (j == 9) {
                unsigned fl = v ? (unsigned)strtoul(v, NULL, 10) : 0;
                bool first = true;
                for (unsigned k = 0; k < HEARD_N_FLAGS; k++)
                    if (fl & (1u << k)) {
                        sbuf_printf(&b, "%s%s", first ? "" : ";", heard_flag_name(k));
                        first = false;
                    }
            } else if (j == 8 || j == 13 || j == 14) {
                if (v)
                    sbuf_printf(&b, "%.2f", strtod(v, NULL));
            } else if (j >= 5) {
                if (v)
                    sbuf_printf(&b, "%lld", strtoll(v, NULL, 10));
            } else {
                sbuf_csv(&b, v);
            }
        }
        sbuf_puts(&b, "\r\n");
    }
    db_rows_free(&rows);
    size_t len;
    char *s = sbuf_take(&b, &len);
    r->disposition = "attachment; filename=\"heard-conversations.csv\"";
    resp_raw(r, 200, "text/csv; charset=utf-8", s, len);
}

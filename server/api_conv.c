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

static void store_one(request *r)
{
    analysed a;
    char msg[512];
    ingest_status st = ingest_analyse(r, r->body, r->body_len, true, &a, msg, sizeof msg);
    if (st != INGEST_OK) {
        if (!r->status)
            resp_error(r, ingest_http_status(st), ingest_error_name(st), json_string(msg));
        return;
    }
    db_conn *c = req_db(r);
    char err[DB_ERRLEN];
    bool created = false;
    db_status ds = DB_ERROR;
    snprintf(err, sizeof err, "out of memory");
    if (c) {
        commit_job job = {.a = &a, .input = strndup(r->body, r->body_len)};
        if (job.input) {
            ds = commit_store(&r->srv->commits, r->srv->db, c, &job);
            created = job.created;
            snprintf(err, sizeof err, "%s", job.err);
        }
        free((char *)job.input);
    }
    if (ds != DB_OK) {
        atomic_fetch_add(&r->srv->m.store_failed, 1);
        if (!r->status)
            resp_db_error(r, err);
    } else {
        atomic_fetch_add(&r->srv->m.stored, 1);
        resp_raw(r, created ? 201 : 200, "application/json", a.json, a.json_len);
        a.json = NULL;
    }
    analysed_free(&a);
}

/* A JSONL batch: every line analysed; the good ones stored in one transaction
 * (all or none, so a retry after a failure is safe); each bad line answered
 * with its own error in its place, as the CLI does. The analysis runs before
 * the transaction starts, so the write lock is held only for the inserts and
 * concurrent batches do not queue behind each other's analysis. */
typedef struct batch_item {
    analysed a;
    bool ok;
    char *input;      /* the line's text, stored for re-analysis */
    char *error_json; /* for a line that could not be analysed */
} batch_item;

static void batch_free(batch_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (items[i].ok)
            analysed_free(&items[i].a);
        free(items[i].input);
        free(items[i].error_json);
    }
    free(items);
}

/* Stores the analysed items in one transaction. */
static db_status batch_store(request *r, db_conn *c, batch_item *items, size_t n, char *err)
{
    db *d = r->srv->db;
    db_status ds = db_begin(d, c, err);
    for (size_t i = 0; i < n && ds == DB_OK; i++) {
        if (!items[i].ok)
            continue;
        bool created;
        ds = ingest_store(d, c, &items[i].a, items[i].input, &created, err);
    }
    if (ds == DB_OK)
        return db_commit(d, c, err);
    db_rollback(d, c);
    return ds;
}

static void store_batch(request *r, line *ls, size_t n)
{
    db_conn *c = req_db(r);
    if (!c)
        return;
    batch_item *items = calloc(n, sizeof *items);
    if (!items) {
        resp_error(r, 500, "out of memory", NULL);
        return;
    }
    size_t stored = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        char msg[512];
        ingest_status st = ingest_analyse(r, ls[i].p, ls[i].len, true, &items[i].a, msg, sizeof msg);
        if (st == INGEST_OK) {
            items[i].ok = true;
            stored++;
            continue;
        }
        if (r->status) { /* workspace failure already answered */
            batch_free(items, n);
            return;
        }
        items[i].error_json = heard_error_json(ls[i].number, msg);
        failed++;
    }
    char err[DB_ERRLEN];
    for (size_t i = 0; i < n; i++)
        if (items[i].ok && !(items[i].input = strndup(ls[i].p, ls[i].len))) {
            batch_free(items, n);
            resp_error(r, 500, "out of memory", NULL);
            return;
        }
    if (stored > 0 && batch_store(r, c, items, n, err) != DB_OK) {
        batch_free(items, n);
        if (!r->status)
            resp_db_error(r, err);
        return;
    }
    sbuf out = {0};
    sbuf_puts(&out, "[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            sbuf_puts(&out, ",");
        if (items[i].ok)
            sbuf_add(&out, items[i].a.json, items[i].a.json_len);
        else
            sbuf_puts(&out, items[i].error_json ? items[i].error_json : "null");
    }
    sbuf_puts(&out, "]");
    batch_free(items, n);
    atomic_fetch_add(&r->srv->m.stored, stored);
    size_t len;
    char *results = sbuf_take(&out, &len);
    sbuf body = {0};
    if (stored == 0)
        sbuf_printf(&body, "{\"error\":\"no conversation could be stored\",\"detail\":"
                           "{\"stored\":0,\"failed\":%zu,\"results\":", failed);
    else
        sbuf_printf(&body, "{\"stored\":%zu,\"failed\":%zu,\"results\":", stored, failed);
    sbuf_add(&body, results ? results : "[]", results ? len : 2);
    sbuf_puts(&body, stored == 0 ? "}}" : "}");
    free(results);
    char *s = sbuf_take(&body, &len);
    resp_raw(r, stored == 0 ? 422 : 200, "application/json", s, len);
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
    " opportunities, missed, wait_max, wait_mean"

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
             " c.wait_mean, s.fh, s.n"
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
                  "wait_max_seconds,wait_mean_seconds,felt_heard_surveyed,survey_responses\r\n");
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

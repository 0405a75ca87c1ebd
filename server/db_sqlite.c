/* db_sqlite.c - SQLite back end: one connection per borrowing thread, WAL
 * journal, synchronous=FULL so that a committed write survives power loss,
 * and a busy timeout so that concurrent writers queue instead of failing. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

/* Prepared statements kept per connection, keyed by the SQL text as the
 * caller wrote it: most requests run the same few statements, and preparing
 * one costs more than running it. */
#define STMT_CACHE 24

typedef struct cached_stmt {
    char *sql; /* caller's text, before translate() */
    sqlite3_stmt *st;
    unsigned long used; /* last use, for eviction */
} cached_stmt;

struct db_conn {
    sqlite3 *h;
    cached_stmt cache[STMT_CACHE];
    size_t n_cache;
    unsigned long clock;
    void (*on_commit)(void *arg, int wal_pages); /* db_wal_watch */
    void *on_commit_arg;
};

static db_status fail(sqlite3 *h, char *err, const char *what)
{
    int code = h ? sqlite3_extended_errcode(h) : SQLITE_ERROR;
    if (err)
        snprintf(err, DB_ERRLEN, "sqlite %s: %s", what, h ? sqlite3_errmsg(h) : "error");
    if (code == SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLITE_CONSTRAINT_UNIQUE)
        return DB_CONFLICT;
    if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
        return DB_BUSY;
    return DB_ERROR;
}

static db_status sq_script(db_conn *c, const char *sql, char *err)
{
    char *msg = NULL;
    if (sqlite3_exec(c->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        db_status st = fail(c->h, err, "script");
        sqlite3_free(msg);
        return st;
    }
    return DB_OK;
}

static db_status sq_connect(const char *path, const db_options *o, db_conn **out, char *err)
{
    *out = NULL;
    db_conn *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, DB_ERRLEN, "out of memory");
        return DB_ERROR;
    }
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &c->h, flags, NULL) != SQLITE_OK) {
        db_status st = fail(c->h, err, "open");
        sqlite3_close(c->h);
        free(c);
        return st;
    }
    sqlite3_busy_timeout(c->h, 10000);
    sqlite3_extended_result_codes(c->h, 1);
    db_status st = sq_script(c, o->sqlite_sync_normal
                                    ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                                      " PRAGMA foreign_keys=ON;"
                                    : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                                      " PRAGMA foreign_keys=ON;",
                             err);
    if (st != DB_OK) {
        sqlite3_close(c->h);
        free(c);
        return st;
    }
    *out = c;
    return DB_OK;
}

static void sq_disconnect(db_conn *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_cache; i++) {
        sqlite3_finalize(c->cache[i].st);
        free(c->cache[i].sql);
    }
    sqlite3_close(c->h);
    free(c);
}

/* "$1" is a named parameter to SQLite; "?1" is the numbered one we mean. */
static char *translate(const char *sql)
{
    char *s = strdup(sql);
    if (!s)
        return NULL;
    char quote = 0;
    for (char *p = s; *p; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
            *p = '?';
        }
    }
    return s;
}

static db_status collect(sqlite3_stmt *st, db_rows *out)
{
    size_t cols = (size_t)sqlite3_column_count(st);
    size_t cap = 0;
    out->n_cols = cols;
    for (;;) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
            return DB_OK;
        if (rc != SQLITE_ROW)
            return DB_ERROR;
        if (cols == 0)
            continue;
        if (out->n_rows == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            char **cells = realloc(out->cells, ncap * cols * sizeof *cells);
            if (!cells)
                return DB_ERROR;
            out->cells = cells;
            cap = ncap;
        }
        char **row = out->cells + out->n_rows * cols;
        out->n_rows++;
        for (size_t i = 0; i < cols; i++) {
            const unsigned char *t = sqlite3_column_text(st, (int)i);
            row[i] = NULL;
            if (t && !(row[i] = strdup((const char *)t)))
                return DB_ERROR;
        }
    }
}

static cached_stmt *cache_find(db_conn *c, const char *sql)
{
    for (size_t i = 0; i < c->n_cache; i++)
        if (strcmp(c->cache[i].sql, sql) == 0)
            return &c->cache[i];
    return NULL;
}

/* Keeps st for the next run of sql; finalizes it when it cannot be kept. */
static void cache_put(db_conn *c, const char *sql, sqlite3_stmt *st)
{
    cached_stmt *slot;
    if (c->n_cache < STMT_CACHE) {
        slot = &c->cache[c->n_cache];
    } else {
        slot = &c->cache[0];
        for (size_t i = 1; i < STMT_CACHE; i++)
            if (c->cache[i].used < slot->used)
                slot = &c->cache[i];
    }
    char *copy = strdup(sql);
    if (!copy) {
        sqlite3_finalize(st);
        return;
    }
    if (slot == &c->cache[c->n_cache]) {
        c->n_cache++;
    } else {
        sqlite3_finalize(slot->st);
        free(slot->sql);
    }
    *slot = (cached_stmt){copy, st, ++c->clock};
}

/* The statement of sql, cached or new; NULL after writing the error. A
 * statement of only white space prepares to NULL too: *empty is set. */
static sqlite3_stmt *prepare(db_conn *c, const char *sql, bool *cached, bool *empty,
                             db_status *st, char *err)
{
    *cached = *empty = false;
    cached_stmt *cs = cache_find(c, sql);
    if (cs) {
        cs->used = ++c->clock;
        *cached = true;
        return cs->st;
    }
    char *q = translate(sql);
    if (!q) {
        snprintf(err, DB_ERRLEN, "out of memory");
        *st = DB_ERROR;
        return NULL;
    }
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(c->h, q, -1, &s, NULL);
    free(q);
    if (rc != SQLITE_OK) {
        *st = fail(c->h, err, "prepare");
        return NULL;
    }
    *empty = s == NULL;
    return s;
}

static db_status sq_exec(db_conn *c, const char *sql, const char *const *params,
                         size_t n_params, db_rows *out, char *err)
{
    bool cached, empty;
    db_status res = DB_OK;
    sqlite3_stmt *st = prepare(c, sql, &cached, &empty, &res, err);
    if (!st)
        return empty ? DB_OK : res;
    for (size_t i = 0; i < n_params; i++) {
        /* SQLITE_STATIC: no copy; the values outlive the statement's use,
         * as the bindings are cleared before returning */
        int rc = params[i] ? sqlite3_bind_text(st, (int)i + 1, params[i], -1, SQLITE_STATIC)
                           : sqlite3_bind_null(st, (int)i + 1);
        if (rc != SQLITE_OK) {
            res = fail(c->h, err, "bind");
            break;
        }
    }
    if (res == DB_OK) {
        db_rows scratch = {0};
        res = collect(st, out ? out : &scratch);
        db_rows_free(&scratch);
        if (res != DB_OK) {
            res = fail(c->h, err, "step");
            if (out)
                db_rows_free(out);
        }
    }
    /* reset ends the statement's read of the database before the connection
     * goes back to the pool */
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (!cached)
        cache_put(c, sql, st);
    return res;
}

static long sq_changes(db_conn *c) { return (long)sqlite3_changes(c->h); }

static bool sq_broken(db_conn *c)
{
    /* a connection left inside a transaction would poison the next borrower */
    return sqlite3_get_autocommit(c->h) == 0;
}

static int wal_hook(void *arg, sqlite3 *h, const char *schema, int pages)
{
    (void)h;
    (void)schema;
    db_conn *c = arg;
    c->on_commit(c->on_commit_arg, pages);
    return SQLITE_OK;
}

static void sq_wal_watch(db_conn *c, void (*on_commit)(void *arg, int wal_pages), void *arg)
{
    c->on_commit = on_commit;
    c->on_commit_arg = arg;
    if (on_commit)
        sqlite3_wal_hook(c->h, wal_hook, c); /* replaces the automatic checkpoint */
    else
        sqlite3_wal_autocheckpoint(c->h, 1000); /* SQLite's default back */
}

static db_status sq_checkpoint(db_conn *c, char *err)
{
    int rc = sqlite3_wal_checkpoint_v2(c->h, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    /* BUSY: another checkpoint is running, which does the same work */
    if (rc == SQLITE_OK || rc == SQLITE_BUSY)
        return DB_OK;
    return fail(c->h, err, "checkpoint");
}

const db_ops db_sqlite_ops = {
    .connect = sq_connect,
    .disconnect = sq_disconnect,
    .exec = sq_exec,
    .script = sq_script,
    .broken = sq_broken,
    .changes = sq_changes,
    .begin_write = "BEGIN IMMEDIATE",
    .wal_watch = sq_wal_watch,
    .checkpoint = sq_checkpoint,
};

/* db.c - back-end dispatch and the connection pool of the storage layer. */
#include "db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POOL_MAX 64

struct db {
    const db_ops *ops;
    db_kind kind;
    char *target; /* file path or libpq URL */
    db_options opts;
    pthread_mutex_t lock;
    db_conn *idle[POOL_MAX];
    size_t n_idle;
};

static void seterr(char *err, const char *msg)
{
    if (err)
        snprintf(err, DB_ERRLEN, "%s", msg);
}

db_status db_open(const char *url, db **out, char *err)
{
    return db_open_with(url, NULL, out, err);
}

db_status db_open_with(const char *url, const db_options *o, db **out, char *err)
{
    *out = NULL;
    db *d = calloc(1, sizeof *d);
    if (!d) {
        seterr(err, "out of memory");
        return DB_ERROR;
    }
    if (o)
        d->opts = *o;
    if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) {
        d->ops = &db_pg_ops;
        d->kind = DB_POSTGRES;
        d->target = strdup(url);
    } else {
        d->ops = &db_sqlite_ops;
        d->kind = DB_SQLITE;
        d->target = strdup(strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url);
    }
    if (!d->target || !*d->target) {
        seterr(err, d->target ? "empty database path" : "out of memory");
        free(d->target);
        free(d);
        return DB_ERROR;
    }
    pthread_mutex_init(&d->lock, NULL);
    db_conn *c = db_acquire(d, err);
    if (!c) {
        db_close(d);
        return DB_ERROR;
    }
    db_status st = db_migrate(d, c, err);
    db_release(d, c);
    if (st != DB_OK) {
        db_close(d);
        return st;
    }
    *out = d;
    return DB_OK;
}

void db_close(db *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n_idle; i++)
        d->ops->disconnect(d->idle[i]);
    pthread_mutex_destroy(&d->lock);
    free(d->target);
    free(d);
}

db_kind db_get_kind(const db *d) { return d->kind; }

db_conn *db_acquire(db *d, char *err)
{
    db_conn *c = NULL;
    for (;;) {
        pthread_mutex_lock(&d->lock);
        c = d->n_idle > 0 ? d->idle[--d->n_idle] : NULL;
        pthread_mutex_unlock(&d->lock);
        if (!c)
            break;
        /* a pooled connection the server has closed since (PostgreSQL
         * restarted) would fail this request: closed, the next one tried */
        if (!d->ops->broken(c))
            return c;
        d->ops->disconnect(c);
    }
    if (d->ops->connect(d->target, &d->opts, &c, err) != DB_OK)
        return NULL;
    return c;
}

bool db_broken(db *d, db_conn *c) { return d->ops->broken(c); }

void db_release(db *d, db_conn *c)
{
    if (!c)
        return;
    if (d->ops->broken(c)) {
        d->ops->disconnect(c);
        return;
    }
    pthread_mutex_lock(&d->lock);
    if (d->n_idle < POOL_MAX) {
        d->idle[d->n_idle++] = c;
        c = NULL;
    }
    pthread_mutex_unlock(&d->lock);
    if (c)
        d->ops->disconnect(c);
}

db_status db_exec(db *d, db_conn *c, const char *sql, const char *const *params,
                  size_t n_params, db_rows *out, char *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    return d->ops->exec(c, sql, params, n_params, out, err);
}

long db_changes(db *d, db_conn *c) { return d->ops->changes(c); }

db_status db_exec_each(db *d, db_conn *c, const char *sql, const char *const *params,
                       size_t n_params, size_t n_rows, long *changes, char *err)
{
    if (d->ops->exec_each && n_rows > 1)
        return d->ops->exec_each(c, sql, params, n_params, n_rows, changes, err);
    for (size_t i = 0; i < n_rows; i++) {
        db_status st = d->ops->exec(c, sql, params + i * n_params, n_params, NULL, err);
        if (st != DB_OK)
            return st;
        changes[i] = d->ops->changes(c);
    }
    return DB_OK;
}

db_status db_script(db *d, db_conn *c, const char *sql, char *err)
{
    return d->ops->script(c, sql, err);
}

db_status db_begin(db *d, db_conn *c, char *err)
{
    return d->ops->exec(c, d->ops->begin_write, NULL, 0, NULL, err);
}

db_status db_commit(db *d, db_conn *c, char *err)
{
    db_status st = d->ops->exec(c, "COMMIT", NULL, 0, NULL, err);
    if (st != DB_OK)
        db_rollback(d, c);
    return st;
}

void db_rollback(db *d, db_conn *c)
{
    char ignore[DB_ERRLEN];
    d->ops->exec(c, "ROLLBACK", NULL, 0, NULL, ignore);
}

bool db_wal_watch(db *d, db_conn *c, void (*on_commit)(void *arg, int wal_pages), void *arg)
{
    if (!d->ops->wal_watch)
        return false;
    d->ops->wal_watch(c, on_commit, arg);
    return true;
}

db_status db_checkpoint(db *d, db_conn *c, char *err)
{
    return d->ops->checkpoint ? d->ops->checkpoint(c, err) : DB_OK;
}

const char *db_cell(const db_rows *r, size_t row, size_t col)
{
    if (row >= r->n_rows || col >= r->n_cols)
        return NULL;
    return r->cells[row * r->n_cols + col];
}

void db_rows_free(db_rows *r)
{
    if (!r || !r->cells)
        return;
    for (size_t i = 0; i < r->n_rows * r->n_cols; i++)
        free(r->cells[i]);
    free(r->cells);
    r->cells = NULL;
    r->n_rows = r->n_cols = 0;
}

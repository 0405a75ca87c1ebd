/* db_pg.c - PostgreSQL back end through libpq: text parameters and results,
 * one connection per borrowing thread, read-committed transactions. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

struct db_conn {
    PGconn *h;
    long changes; /* rows written by the last statement */
};

static void quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg; /* NOTICEs such as "relation already exists, skipping" */
}

static db_status pg_connect(const char *url, const db_options *o, db_conn **out, char *err)
{
    (void)o;
    *out = NULL;
    db_conn *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, DB_ERRLEN, "out of memory");
        return DB_ERROR;
    }
    c->h = PQconnectdb(url);
    if (!c->h || PQstatus(c->h) != CONNECTION_OK) {
        const char *m = c->h ? PQerrorMessage(c->h) : "out of memory";
        snprintf(err, DB_ERRLEN, "postgresql connect: %.*s", (int)strcspn(m, "\n"), m);
        PQfinish(c->h);
        free(c);
        return DB_ERROR;
    }
    PQsetNoticeProcessor(c->h, quiet, NULL);
    PQsetClientEncoding(c->h, "UTF8");
    *out = c;
    return DB_OK;
}

static void pg_disconnect(db_conn *c)
{
    if (!c)
        return;
    PQfinish(c->h);
    free(c);
}

static db_status result_status(PGconn *h, PGresult *r, char *err)
{
    ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK)
        return DB_OK;
    const char *m = r ? PQresultErrorMessage(r) : PQerrorMessage(h);
    if (!m || !*m)
        m = PQerrorMessage(h);
    snprintf(err, DB_ERRLEN, "postgresql: %.*s", (int)strcspn(m, "\n"), m);
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (state && strcmp(state, "23505") == 0)
        return DB_CONFLICT;
    if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0))
        return DB_BUSY;
    return DB_ERROR;
}

static db_status pg_exec(db_conn *c, const char *sql, const char *const *params,
                         size_t n_params, db_rows *out, char *err)
{
    PGresult *r = PQexecParams(c->h, sql, (int)n_params, NULL, params, NULL, NULL, 0);
    db_status st = result_status(c->h, r, err);
    c->changes = st == DB_OK ? atol(PQcmdTuples(r)) : 0;
    if (st == DB_OK && out) {
        size_t rows = (size_t)PQntuples(r), cols = (size_t)PQnfields(r);
        out->n_cols = cols;
        if (rows && cols) {
            out->cells = calloc(rows * cols, sizeof *out->cells);
            if (!out->cells) {
                snprintf(err, DB_ERRLEN, "out of memory");
                st = DB_ERROR;
            } else {
                out->n_rows = rows;
                for (size_t i = 0; i < rows && st == DB_OK; i++)
                    for (size_t j = 0; j < cols; j++) {
                        if (PQgetisnull(r, (int)i, (int)j))
                            continue;
                        char *v = strdup(PQgetvalue(r, (int)i, (int)j));
                        if (!v) {
                            snprintf(err, DB_ERRLEN, "out of memory");
                            st = DB_ERROR;
                            break;
                        }
                        out->cells[i * cols + j] = v;
                    }
                if (st != DB_OK)
                    db_rows_free(out);
            }
        }
    }
    PQclear(r);
    return st;
}

static db_status pg_script(db_conn *c, const char *sql, char *err)
{
    PGresult *r = PQexec(c->h, sql);
    db_status st = result_status(c->h, r, err);
    PQclear(r);
    return st;
}

static long pg_changes(db_conn *c) { return c->changes; }

static bool pg_broken(db_conn *c)
{
    return PQstatus(c->h) != CONNECTION_OK || PQtransactionStatus(c->h) != PQTRANS_IDLE;
}

const db_ops db_pg_ops = {
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .exec = pg_exec,
    .script = pg_script,
    .broken = pg_broken,
    .changes = pg_changes,
    .begin_write = "BEGIN",
};

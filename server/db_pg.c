/* db_pg.c - PostgreSQL back end through libpq: text parameters and results,
 * one connection per borrowing thread, read-committed transactions. */
#include <libpq-fe.h>
#include <poll.h>
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

/* Rows per pipeline sync: the server's answers to a chunk wait in its
 * socket buffer while the client is still sending, and a blocking client
 * that sent without reading for too long could wait on a server that waits
 * on it. 128 command tags are about 2 KB. */
#define PIPE_CHUNK 128

/* The connection's last error into err. */
static db_status conn_error(PGconn *h, char *err)
{
    const char *m = PQerrorMessage(h);
    snprintf(err, DB_ERRLEN, "postgresql: %.*s", (int)strcspn(m, "\n"), m);
    return DB_ERROR;
}

/* One chunk in pipeline mode: every row sent, one sync, then the results in
 * order (each command's result, then NULL; PGRES_PIPELINE_SYNC at the end).
 * After a failure the server skips the rest of the chunk
 * (PGRES_PIPELINE_ABORTED), and the first error is the one reported. */
static db_status pipe_chunk(db_conn *c, const char *sql, const char *const *params,
                            size_t n_params, size_t n_rows, long *changes, char *err)
{
    PGconn *h = c->h;
    db_status st = DB_OK;
    size_t sent = 0;
    while (sent < n_rows && PQsendQueryParams(h, sql, (int)n_params, NULL,
                                              params + sent * n_params, NULL, NULL, 0))
        sent++;
    if (sent < n_rows) {
        st = conn_error(h, err);
    }
    if (!PQpipelineSync(h)) {
        if (st == DB_OK)
            conn_error(h, err);
        return DB_ERROR; /* the connection is unusable: pg_broken says so */
    }
    size_t got = 0;
    int nulls = 0;
    for (;;) {
        PGresult *r = PQgetResult(h);
        if (!r) {
            if (++nulls > 1)
                break; /* nothing more will come: connection lost */
            continue;
        }
        nulls = 0;
        ExecStatusType s = PQresultStatus(r);
        if (s == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            break;
        }
        if (got < sent && st == DB_OK && s != PGRES_PIPELINE_ABORTED) {
            st = result_status(h, r, err);
            if (st == DB_OK)
                changes[got] = atol(PQcmdTuples(r));
        } else if (st == DB_OK && s == PGRES_PIPELINE_ABORTED) {
            snprintf(err, DB_ERRLEN, "postgresql: pipeline aborted");
            st = DB_ERROR;
        }
        got++;
        PQclear(r);
    }
    if (st == DB_OK && got < sent) {
        st = conn_error(h, err);
    }
    return st;
}

static db_status pg_exec_each(db_conn *c, const char *sql, const char *const *params,
                              size_t n_params, size_t n_rows, long *changes, char *err)
{
    if (!PQenterPipelineMode(c->h))
        return conn_error(c->h, err);
    db_status st = DB_OK;
    for (size_t i = 0; i < n_rows && st == DB_OK; i += PIPE_CHUNK) {
        size_t n = n_rows - i < PIPE_CHUNK ? n_rows - i : PIPE_CHUNK;
        st = pipe_chunk(c, sql, params + i * n_params, n_params, n, changes + i, err);
    }
    /* fails only with results still pending, i.e. a lost connection */
    PQexitPipelineMode(c->h);
    c->changes = 0;
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

/* An idle connection has nothing to read: when its socket is readable, the
 * server has closed it or is closing it (restart, idle timeout, a killed
 * backend sends its FATAL message and hangs up). libpq would find out only
 * on the next query, which would then fail. Anything else unasked (a
 * parameter report after a configuration reload) costs a new connection. */
static bool pg_closed_by_server(db_conn *c)
{
    struct pollfd p = {.fd = PQsocket(c->h), .events = POLLIN};
    return p.fd < 0 || poll(&p, 1, 0) != 0;
}

static bool pg_broken(db_conn *c)
{
    return PQstatus(c->h) != CONNECTION_OK || PQtransactionStatus(c->h) != PQTRANS_IDLE ||
           PQpipelineStatus(c->h) != PQ_PIPELINE_OFF || pg_closed_by_server(c);
}

const db_ops db_pg_ops = {
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .exec = pg_exec,
    .script = pg_script,
    .exec_each = pg_exec_each,
    .broken = pg_broken,
    .changes = pg_changes,
    .begin_write = "BEGIN",
};

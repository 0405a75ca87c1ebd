/* db.h - the storage abstraction of heard serve: one SQL dialect subset that
 * both back ends accept (SQLite, embedded, WAL; PostgreSQL through libpq),
 * parameterised queries only ($1, $2, ... placeholders, text values), results
 * as text cells. A db is shared by all threads; each thread borrows a
 * connection from its pool for the duration of one request. */
#ifndef HEARD_SERVER_DB_H
#define HEARD_SERVER_DB_H

#include <stdbool.h>
#include <stddef.h>

typedef enum db_status {
    DB_OK = 0,
    DB_ERROR = -1,    /* anything else: message in err */
    DB_CONFLICT = -2, /* unique or primary key violation */
    DB_BUSY = -3      /* lock not obtained in time (SQLite) */
} db_status;

typedef enum db_kind { DB_SQLITE, DB_POSTGRES } db_kind;

typedef struct db db;
typedef struct db_conn db_conn;

/* Query result: n_rows x n_cols cells, NULL for SQL NULL. Owned by the
 * caller; release with db_rows_free(). */
typedef struct db_rows {
    size_t n_rows, n_cols;
    char **cells;
} db_rows;

#define DB_ERRLEN 256

/* How connections are opened. Zero-initialised: the defaults. */
typedef struct db_options {
    /* SQLite synchronous=NORMAL instead of FULL: a commit no longer waits
     * for its fsync, so a committed write survives a crash of the process
     * but not a power loss or a crash of the operating system */
    bool sqlite_sync_normal;
} db_options;

/* Back-end operations (db_sqlite.c, db_pg.c). */
typedef struct db_ops {
    db_status (*connect)(const char *target, const db_options *o, db_conn **out, char *err);
    void (*disconnect)(db_conn *c);
    db_status (*exec)(db_conn *c, const char *sql, const char *const *params,
                      size_t n_params, db_rows *out, char *err);
    db_status (*script)(db_conn *c, const char *sql, char *err); /* no params, many statements */
    /* optional (NULL: exec once per row): see db_exec_each */
    db_status (*exec_each)(db_conn *c, const char *sql, const char *const *params,
                           size_t n_params, size_t n_rows, long *changes, char *err);
    bool (*broken)(db_conn *c); /* connection unusable, do not return it to the pool */
    long (*changes)(db_conn *c); /* rows written by the connection's last statement */
    const char *begin_write;    /* statement starting a write transaction */
    /* SQLite only (NULL elsewhere): replaces the automatic checkpoint of c
     * with on_commit(arg, wal_pages) after each of its commits */
    void (*wal_watch)(db_conn *c, void (*on_commit)(void *arg, int wal_pages), void *arg);
    db_status (*checkpoint)(db_conn *c, char *err); /* SQLite only: PASSIVE */
} db_ops;

extern const db_ops db_sqlite_ops;
extern const db_ops db_pg_ops;

/* Open "sqlite:PATH" (or a bare path) or "postgresql://..."/"postgres://...",
 * check the connection and apply pending migrations. */
db_status db_open(const char *url, db **out, char *err);
/* Same with options (NULL: the defaults). */
db_status db_open_with(const char *url, const db_options *o, db **out, char *err);
void db_close(db *d);
db_kind db_get_kind(const db *d);

/* Whether c can no longer be used (connection lost, left in a
 * transaction); db_release closes such a connection. */
bool db_broken(db *d, db_conn *c);
/* Borrow a connection (opened on demand); give it back with db_release. */
db_conn *db_acquire(db *d, char *err);
void db_release(db *d, db_conn *c);

db_status db_exec(db *d, db_conn *c, const char *sql, const char *const *params,
                  size_t n_params, db_rows *out, char *err);
/* Rows inserted, updated or deleted by the last statement run on c: tells
 * an INSERT ... ON CONFLICT DO NOTHING that wrote from one that did not,
 * without a RETURNING clause (which costs SQLite a temporary table). */
long db_changes(db *d, db_conn *c);
/* Runs one statement (no result rows) once per row of params (n_rows rows
 * of n_params values, row after row), in order, stopping at the first
 * failure; changes[i] is set to the rows row i wrote. PostgreSQL sends the
 * rows together (libpq pipeline mode), so a group of inserts costs one round
 * trip instead of one per row. */
db_status db_exec_each(db *d, db_conn *c, const char *sql, const char *const *params,
                       size_t n_params, size_t n_rows, long *changes, char *err);
/* Several statements, no parameters (migrations). */
db_status db_script(db *d, db_conn *c, const char *sql, char *err);
db_status db_begin(db *d, db_conn *c, char *err);
db_status db_commit(db *d, db_conn *c, char *err);
void db_rollback(db *d, db_conn *c);

/* SQLite: after each commit of c, on_commit(arg, pages in the WAL) runs in
 * c's thread instead of SQLite's own checkpoint, which would copy the WAL
 * into the database file inside that commit. false (nothing done) for
 * other back ends. */
bool db_wal_watch(db *d, db_conn *c, void (*on_commit)(void *arg, int wal_pages), void *arg);
/* SQLite: copies committed WAL frames into the database file as far as
 * readers allow, without blocking writers (a PASSIVE checkpoint). DB_OK
 * and nothing done for other back ends. */
db_status db_checkpoint(db *d, db_conn *c, char *err);

const char *db_cell(const db_rows *r, size_t row, size_t col);
void db_rows_free(db_rows *r);

/* Migrations (schema.c): applied in order, each once, inside a transaction;
 * safe when several processes start together on one PostgreSQL. */
db_status db_migrate(db *d, db_conn *c, char *err);
int db_schema_version(void);

#endif

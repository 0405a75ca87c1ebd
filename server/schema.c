/* schema.c - the one SQL schema of heard serve, as numbered migrations that
 * both SQLite and PostgreSQL accept. A migration is never edited once
 * released: changes go into a new one. Applied versions are recorded in
 * schema_migrations; on PostgreSQL an advisory lock keeps several starting
 * processes from applying the same migration twice. */
#include <stdio.h>
#include <stdlib.h>

#include "db.h"
#include "token.h"

typedef struct migration {
    int version;
    const char *sql;    /* NULL: nothing to do on SQLite */
    const char *pg_sql; /* PostgreSQL's own, where it differs (NULL: sql) */
} migration;

static const migration MIGRATIONS[] = {
    {1,
     "CREATE TABLE conversations ("
     " id TEXT PRIMARY KEY,"
     " agent TEXT, team TEXT,"
     " channel TEXT NOT NULL,"
     " started_at TEXT NOT NULL," /* first turn time, else time received (UTC RFC 3339) */
     " n_turns INTEGER NOT NULL,"
     " agent_turns INTEGER NOT NULL,"
     " empathy INTEGER NOT NULL,"
     " politeness INTEGER NOT NULL,"
     " felt_heard DOUBLE PRECISION NOT NULL,"
     " flags INTEGER NOT NULL," /* bit set of enum heard_flag */
     " opportunities INTEGER NOT NULL,"
     " missed INTEGER NOT NULL,"
     " wait_max INTEGER,"
     " wait_mean DOUBLE PRECISION,"
     " reactions INTEGER NOT NULL," /* agent turns showing each behaviour */
     " interpretations INTEGER NOT NULL,"
     " explorations INTEGER NOT NULL,"
     " ownership INTEGER NOT NULL,"
     " dismissive INTEGER NOT NULL,"
     " analysis TEXT NOT NULL,"
     " input TEXT NOT NULL,"
     " stored_at TEXT NOT NULL);"
     "CREATE INDEX conversations_agent ON conversations (agent, started_at);"
     "CREATE INDEX conversations_team ON conversations (team, started_at);"
     "CREATE INDEX conversations_channel ON conversations (channel, started_at);"
     "CREATE INDEX conversations_started ON conversations (started_at);"
     "CREATE TABLE api_keys ("
     " hash TEXT PRIMARY KEY," /* SHA-256 hex of the key; the key is never stored */
     " role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'agent')),"
     " agent TEXT,"
     " created_at TEXT NOT NULL,"
     " revoked INTEGER NOT NULL DEFAULT 0);"
     "CREATE TABLE surveys ("
     " token_hash TEXT PRIMARY KEY,"
     " conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,"
     " created_at TEXT NOT NULL);"
     "CREATE INDEX surveys_conversation ON surveys (conversation_id);"
     "CREATE TABLE survey_responses ("
     " token_hash TEXT PRIMARY KEY REFERENCES surveys (token_hash) ON DELETE CASCADE,"
     " conversation_id TEXT NOT NULL,"
     " felt_heard INTEGER CHECK (felt_heard BETWEEN 1 AND 5),"
     " understood INTEGER CHECK (understood BETWEEN 1 AND 5),"
     " empathy_importance INTEGER CHECK (empathy_importance BETWEEN 1 AND 5),"
     " channel_used TEXT,"
     " urgent_channel TEXT,"
     " comment TEXT,"
     " simulated INTEGER NOT NULL DEFAULT 0," /* demo data, never real answers */
     " answered_at TEXT NOT NULL);"
     "CREATE INDEX survey_responses_conversation ON survey_responses (conversation_id);",
     NULL},
    /* opportunities with no agent turn after them (status "unanswered"):
     * neither met nor missed, left out of the missed-opportunity rate */
    {2, "ALTER TABLE conversations ADD COLUMN unanswered INTEGER NOT NULL DEFAULT 0;", NULL},
    /* PostgreSQL compresses the stored analysis and input (7 KB of JSON for
     * a 6-turn conversation) with pglz by default, which took 15% of the
     * database's CPU time under ingest; lz4 (PostgreSQL 14 and later, when
     * built with it) compresses several times faster. Existing rows keep
     * their compression; a server without lz4 keeps pglz. */
    {3, NULL,
     "DO $$ BEGIN"
     " IF current_setting('server_version_num')::int >= 140000 THEN"
     "  EXECUTE 'ALTER TABLE conversations ALTER COLUMN analysis SET COMPRESSION lz4,"
     " ALTER COLUMN input SET COMPRESSION lz4';"
     " END IF;"
     " EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN NULL;"
     " END $$;"},
};

#define N_MIGRATIONS (sizeof MIGRATIONS / sizeof MIGRATIONS[0])

int db_schema_version(void) { return MIGRATIONS[N_MIGRATIONS - 1].version; }

static db_status apply(db *d, db_conn *c, const migration *m, char *err)
{
    const char *sql = db_get_kind(d) == DB_POSTGRES && m->pg_sql ? m->pg_sql : m->sql;
    db_status st = sql ? db_script(d, c, sql, err) : DB_OK;
    if (st != DB_OK)
        return st;
    char version[16], now[21];
    snprintf(version, sizeof version, "%d", m->version);
    token_now(now);
    const char *p[] = {version, now};
    return db_exec(d, c, "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                   p, 2, NULL, err);
}

db_status db_migrate(db *d, db_conn *c, char *err)
{
    db_status st = db_begin(d, c, err);
    if (st != DB_OK)
        return st;
    if (db_get_kind(d) == DB_POSTGRES)
        st = db_exec(d, c, "SELECT pg_advisory_xact_lock(8615372)", NULL, 0, NULL, err);
    if (st == DB_OK)
        st = db_exec(d, c,
                     "CREATE TABLE IF NOT EXISTS schema_migrations ("
                     " version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
                     NULL, 0, NULL, err);
    db_rows r;
    long current = 0;
    if (st == DB_OK)
        st = db_exec(d, c, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", NULL, 0,
                     &r, err);
    if (st == DB_OK) {
        const char *v = db_cell(&r, 0, 0);
        current = v ? atol(v) : 0;
        db_rows_free(&r);
    }
    if (st == DB_OK && current > db_schema_version()) {
        snprintf(err, DB_ERRLEN, "database schema version %ld is newer than this heard (%d)",
                 current, db_schema_version());
        st = DB_ERROR;
    }
    for (size_t i = 0; st == DB_OK && i < N_MIGRATIONS; i++)
        if (MIGRATIONS[i].version > current)
            st = apply(d, c, &MIGRATIONS[i], err);
    if (st != DB_OK) {
        db_rollback(d, c);
        return st;
    }
    return db_commit(d, c, err);
}

/* keys.c - creation and lookup of API keys (see keys.h). */
#include "keys.h"

#include <stdio.h>
#include <string.h>

#include "token.h"

role role_parse(const char *name)
{
    if (!name)
        return ROLE_NONE;
    if (strcmp(name, "admin") == 0)
        return ROLE_ADMIN;
    if (strcmp(name, "manager") == 0)
        return ROLE_MANAGER;
    if (strcmp(name, "agent") == 0)
        return ROLE_AGENT;
    return ROLE_NONE;
}

const char *role_name(role r)
{
    switch (r) {
    case ROLE_ADMIN: return "admin";
    case ROLE_MANAGER: return "manager";
    case ROLE_AGENT: return "agent";
    default: return "none";
    }
}

db_status keys_create(db *d, db_conn *c, role rl, const char *agent, char key_out[KEY_LEN],
                      char *err)
{
    char secret[48];
    if (token_random(32, secret, sizeof secret) != 0) {
        snprintf(err, DB_ERRLEN, "no randomness available from getrandom()");
        return DB_ERROR;
    }
    snprintf(key_out, KEY_LEN, KEY_PREFIX "%s", secret);
    char hash[65], now[21];
    token_hash(key_out, hash);
    token_now(now);
    const char *p[] = {hash, role_name(rl), rl == ROLE_AGENT ? agent : NULL, now};
    db_status st = db_begin(d, c, err);
    if (st == DB_OK)
        st = db_exec(d, c,
                     "INSERT INTO api_keys (hash, role, agent, created_at) VALUES ($1, $2, $3, $4)",
                     p, 4, NULL, err);
    if (st == DB_OK)
        return db_commit(d, c, err);
    db_rollback(d, c);
    return st;
}

db_status keys_lookup(db *d, db_conn *c, const char *key, role *rl, char *agent,
                      size_t agent_size, char *err)
{
    *rl = ROLE_NONE;
    agent[0] = '\0';
    if (strlen(key) > 128)
        return DB_OK;
    char hash[65];
    token_hash(key, hash);
    const char *p[] = {hash};
    db_rows rows;
    db_status st = db_exec(d, c, "SELECT role, agent FROM api_keys WHERE hash = $1 AND revoked = 0",
                           p, 1, &rows, err);
    if (st != DB_OK)
        return st;
    if (rows.n_rows == 1) {
        *rl = role_parse(db_cell(&rows, 0, 0));
        const char *a = db_cell(&rows, 0, 1);
        snprintf(agent, agent_size, "%s", a ? a : "");
    }
    db_rows_free(&rows);
    return DB_OK;
}

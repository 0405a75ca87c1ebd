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
    return keys_lookup_hash(d, c, hash, rl, agent, agent_size, err);
}

db_status keys_lookup_hash(db *d, db_conn *c, const char *hash, role *rl, char *agent,
                           size_t agent_size, char *err)
{
    *rl = ROLE_NONE;
    agent[0] = '\0';
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

/* ------------------------------------------------------------------ cache */

void key_cache_init(key_cache *kc)
{
    memset(kc->e, 0, sizeof kc->e);
    pthread_mutex_init(&kc->lock, NULL);
}

void key_cache_destroy(key_cache *kc) { pthread_mutex_destroy(&kc->lock); }

/* Direct-mapped on the first hex digits of the hash (uniform: SHA-256). */
static struct key_cache_entry *slot_of(key_cache *kc, const char *hash)
{
    unsigned v = 0;
    for (int i = 0; i < 4 && hash[i]; i++)
        v = v * 31u + (unsigned char)hash[i];
    return &kc->e[v % KEY_CACHE_SLOTS];
}

bool key_cache_get(key_cache *kc, const char *hash, uint64_t now_us, role *rl, char *agent,
                   size_t agent_size)
{
    bool hit = false;
    pthread_mutex_lock(&kc->lock);
    struct key_cache_entry *e = slot_of(kc, hash);
    if (e->hash[0] && now_us < e->expires_us && strcmp(e->hash, hash) == 0) {
        *rl = (role)e->role;
        snprintf(agent, agent_size, "%s", e->agent);
        hit = true;
    }
    pthread_mutex_unlock(&kc->lock);
    return hit;
}

void key_cache_put(key_cache *kc, const char *hash, uint64_t now_us, role rl, const char *agent)
{
    if (rl == ROLE_NONE || strlen(agent) >= sizeof kc->e[0].agent)
        return;
    pthread_mutex_lock(&kc->lock);
    struct key_cache_entry *e = slot_of(kc, hash);
    snprintf(e->hash, sizeof e->hash, "%s", hash);
    e->role = (int)rl;
    snprintf(e->agent, sizeof e->agent, "%s", agent);
    e->expires_us = now_us + KEY_CACHE_TTL_US;
    pthread_mutex_unlock(&kc->lock);
}

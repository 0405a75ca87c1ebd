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

void key_cache_destroy(key_cache *kc)
{
    memset(kc->e, 0, sizeof kc->e);
    pthread_mutex_destroy(&kc->lock);
}

/* Direct-mapped on an FNV-1a hash of the key. */
static struct key_cache_entry *slot_of(key_cache *kc, const char *key, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)key[i]) * 16777619u;
    return &kc->e[h % KEY_CACHE_SLOTS];
}

/* Whether e holds key; the time taken does not depend on where they differ. */
static bool same_key(const struct key_cache_entry *e, const char *key, size_t n)
{
    if (e->key_len != n)
        return false;
    unsigned char d = 0;
    for (size_t i = 0; i < n; i++)
        d |= (unsigned char)(e->key[i] ^ key[i]);
    return d == 0;
}

bool key_cache_get(key_cache *kc, const char *key, size_t n, uint64_t now_us, role *rl,
                   char *agent, size_t agent_size)
{
    bool hit = false;
    if (n == 0 || n > KEY_CACHE_KEY_MAX)
        return false;
    pthread_mutex_lock(&kc->lock);
    struct key_cache_entry *e = slot_of(kc, key, n);
    if (now_us < e->expires_us && same_key(e, key, n)) {
        size_t an = strlen(e->agent);
        if (an < agent_size) { /* else a miss: the database answers */
            *rl = (role)e->role;
            memcpy(agent, e->agent, an + 1);
            hit = true;
        }
    }
    pthread_mutex_unlock(&kc->lock);
    return hit;
}

void key_cache_put(key_cache *kc, const char *key, size_t n, uint64_t now_us, role rl,
                   const char *agent)
{
    if (rl == ROLE_NONE || n == 0 || n > KEY_CACHE_KEY_MAX ||
        strlen(agent) >= sizeof kc->e[0].agent)
        return;
    pthread_mutex_lock(&kc->lock);
    struct key_cache_entry *e = slot_of(kc, key, n);
    memcpy(e->key, key, n);
    e->key_len = n;
    e->role = (int)rl;
    snprintf(e->agent, sizeof e->agent, "%s", agent);
    e->expires_us = now_us + KEY_CACHE_TTL_US;
    pthread_mutex_unlock(&kc->lock);
}

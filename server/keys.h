/* keys.h - API keys: created with a role (and, for agents, the agent id they
 * are bound to), shown once, stored only as SHA-256 hashes and looked up by
 * hash, so no key is ever compared byte by byte against a stored secret
 * (the in-memory cache below compares in constant time). */
#ifndef HEARD_SERVER_KEYS_H
#define HEARD_SERVER_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "server.h"

#define KEY_PREFIX "hk_"
#define KEY_LEN 64 /* buffer size for a key's text */

role role_parse(const char *name);   /* ROLE_NONE when unknown */
const char *role_name(role r);

/* Creates a key; key_out receives its text (shown once). */
db_status keys_create(db *d, db_conn *c, role rl, const char *agent, char key_out[KEY_LEN],
                      char *err);
/* DB_OK with *rl set (ROLE_NONE when no such live key). */
db_status keys_lookup(db *d, db_conn *c, const char *key, role *rl, char *agent,
                      size_t agent_size, char *err);

/* keys_lookup by the stored form (token_hash) of a key. */
db_status keys_lookup_hash(db *d, db_conn *c, const char *hash, role *rl, char *agent,
                           size_t agent_size, char *err);

/* The in-memory cache of verified keys (server.h): a live key found in the
 * database is remembered for KEY_CACHE_TTL_US, so a revocation takes effect
 * within that time; unknown and revoked keys are never remembered. Entries
 * hold the key as sent (only in this process's memory, like the request
 * itself; the database keeps hashes only) and compare it in constant time,
 * so a cache hit costs no SHA-256. */
void key_cache_init(key_cache *kc);
void key_cache_destroy(key_cache *kc);
/* true with *rl and agent set when key (n bytes) was verified recently. */
bool key_cache_get(key_cache *kc, const char *key, size_t n, uint64_t now_us, role *rl,
                   char *agent, size_t agent_size);
void key_cache_put(key_cache *kc, const char *key, size_t n, uint64_t now_us, role rl,
                   const char *agent);

#endif

/* keys.h - API keys: created with a role (and, for agents, the agent id they
 * are bound to), shown once, stored only as SHA-256 hashes and looked up by
 * hash, so no key is ever compared byte by byte against a stored secret. */
#ifndef HEARD_SERVER_KEYS_H
#define HEARD_SERVER_KEYS_H

#include <stddef.h>

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

#endif

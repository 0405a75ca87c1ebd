/* filter.h - the conversation filters shared by listing, stats and export
 * (agent, team, channel, flag, from, to), validated and turned into a WHERE
 * clause with parameters. An agent key is always confined to its own agent. */
#ifndef HEARD_SERVER_FILTER_H
#define HEARD_SERVER_FILTER_H

#include "server.h"

#define FILTER_MAX_PARAMS 8

typedef struct filter {
    char where[512];     /* " WHERE ..." or "" */
    const char *params[FILTER_MAX_PARAMS];
    size_t n;
    char from[32], to[32];
} filter;

/* false after sending a 400/403. alias: table alias prefix such as "c." or "". */
bool filter_build(request *r, filter *f, const char *alias);
/* Appends "$N" placeholders after the filter's own; returns the index used. */
size_t filter_add_param(filter *f, const char *value);
/* A flag name to its bit index, -1 when unknown. */
int flag_index(const char *name);
/* The flag names of a bit set as a JSON array. */
json_t *flags_json(unsigned flags);

#endif

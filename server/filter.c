/* filter.c - conversation filters from query arguments (see filter.h). */
#include "filter.h"

#include <stdio.h>
#include <string.h>

#include "ingest.h"
#include "io_internal.h"

int flag_index(const char *name)
{
    for (unsigned i = 0; i < HEARD_N_FLAGS; i++) {
        const char *f = heard_flag_name(i);
        if (f && strcmp(f, name) == 0)
            return (int)i;
    }
    return -1;
}

json_t *flags_json(unsigned flags)
{
    json_t *a = json_array();
    for (unsigned i = 0; i < HEARD_N_FLAGS; i++)
        if (flags & (1u << i))
            json_array_append_new(a, json_string(heard_flag_name(i)));
    return a;
}

size_t filter_add_param(filter *f, const char *value)
{
    if (f->n < FILTER_MAX_PARAMS)
        f->params[f->n++] = value;
    return f->n;
}

static void cond(filter *f, const char *fmt, const char *alias, size_t idx)
{
    size_t len = strlen(f->where);
    snprintf(f->where + len, sizeof f->where - len, "%s", len ? " AND " : " WHERE ");
    len = strlen(f->where);
    snprintf(f->where + len, sizeof f->where - len, fmt, alias, idx);
}

/* "2026-03-02" or any RFC 3339 time, normalised to UTC text that compares
 * correctly with started_at. end: a bare date means the end of that day. */
static bool parse_bound(const char *s, bool end, char out[32])
{
    size_t n = strlen(s);
    if (n == 10 && s[4] == '-' && s[7] == '-') {
        for (size_t i = 0; i < 10; i++)
            if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
                return false;
        snprintf(out, 32, "%s%s", s, end ? "T23:59:59Z" : "T00:00:00Z");
        return true;
    }
    int64_t t;
    if (heard_parse_time(s, n, &t) != 0)
        return false;
    format_utc(t, out);
    return true;
}

bool filter_build(request *r, filter *f, const char *alias)
{
    memset(f, 0, sizeof *f);
    const char *agent = req_arg(r, "agent");
    if (r->role == ROLE_AGENT) {
        if (agent && strcmp(agent, r->agent) != 0) {
            resp_error(r, 403, "forbidden",
                       json_string("an agent key sees only its own agent's conversations"));
            return false;
        }
        agent = r->agent;
    }
    if (agent)
        cond(f, "%sagent = $%zu", alias, filter_add_param(f, agent));
    const char *team = req_arg(r, "team");
    if (team)
        cond(f, "%steam = $%zu", alias, filter_add_param(f, team));
    const char *channel = req_arg(r, "channel");
    if (channel) {
        heard_channel ch;
        if (heard_channel_parse(channel, &ch) != 0) {
            resp_errorf(r, 400, "bad query", "unknown channel '%.64s'", channel);
            return false;
        }
        cond(f, "%schannel = $%zu", alias, filter_add_param(f, heard_channel_name(ch)));
    }
    const char *flag = req_arg(r, "flag");
    if (flag) {
        int bit = flag_index(flag);
        if (bit < 0) {
            resp_errorf(r, 400, "bad query", "unknown flag '%.64s'", flag);
            return false;
        }
        /* the bit is a constant of ours, not user text */
        size_t len = strlen(f->where);
        snprintf(f->where + len, sizeof f->where - len, "%s(%sflags & %u) <> 0",
                 len ? " AND " : " WHERE ", alias, 1u << bit);
    }
    const char *from = req_arg(r, "from"), *to = req_arg(r, "to");
    if (from) {
        if (!parse_bound(from, false, f->from)) {
            resp_errorf(r, 400, "bad query", "'from' must be a date (2026-03-02) or an "
                                             "RFC 3339 time");
            return false;
        }
        cond(f, "%sstarted_at >= $%zu", alias, filter_add_param(f, f->from));
    }
    if (to) {
        if (!parse_bound(to, true, f->to)) {
            resp_errorf(r, 400, "bad query", "'to' must be a date (2026-03-02) or an "
                                             "RFC 3339 time");
            return false;
        }
        cond(f, "%sstarted_at <= $%zu", alias, filter_add_param(f, f->to));
    }
    return true;
}

/* stats.c - GET /v1/stats: per agent, team, channel or day, the number of
 * conversations, mean empathy and politeness, missed-opportunity and
 * polite_not_empathetic rates, waits, and felt_heard as predicted by the
 * analysis and as customers answered in surveys. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"

static json_t *num(const char *v) { return v ? json_real(strtod(v, NULL)) : json_null(); }
static json_t *integer(const char *v) { return json_integer(v ? strtoll(v, NULL, 10) : 0); }

static json_t *ratio(const char *a, const char *b)
{
    double x = a ? strtod(a, NULL) : 0, y = b ? strtod(b, NULL) : 0;
    return y > 0 ? json_real(x / y) : json_null();
}

void h_stats(request *r)
{
    if (!req_auth(r, ROLE_AGENT))
        return;
    const char *group_by = req_arg(r, "group_by");
    const char *expr = NULL;
    if (!group_by || strcmp(group_by, "none") == 0)
        expr = NULL;
    else if (strcmp(group_by, "agent") == 0)
        expr = "c.agent";
    else if (strcmp(group_by, "team") == 0)
        expr = "c.team";
    else if (strcmp(group_by, "channel") == 0)
        expr = "c.channel";
    else if (strcmp(group_by, "day") == 0)
        expr = "substr(c.started_at, 1, 10)";
    else {
        resp_error(r, 400, "bad query", json_string("group_by must be agent, team, channel or day"));
        return;
    }
    filter f;
    if (!filter_build(r, &f, "c."))
        return;
    db_conn *c = req_db(r);
    if (!c)
        return;
    char sql[2048], err[DB_ERRLEN];
    snprintf(sql, sizeof sql,
             "SELECT %s, COUNT(*), AVG(c.empathy), AVG(c.politeness), SUM(c.missed),"
             " SUM(c.opportunities), SUM(CASE WHEN (c.flags & %u) <> 0 THEN 1 ELSE 0 END),"
             " AVG(c.wait_mean), MAX(c.wait_max), AVG(c.felt_heard), AVG(s.fh), COUNT(s.fh),"
             " SUM(CASE WHEN c.wait_max IS NULL THEN 0 ELSE 1 END), SUM(c.unanswered),"
             " SUM(c.opportunities - c.unanswered)"
             " FROM conversations c LEFT JOIN (SELECT conversation_id, AVG(felt_heard) AS fh"
             " FROM survey_responses WHERE felt_heard IS NOT NULL GROUP BY conversation_id) s"
             " ON s.conversation_id = c.id%s%s%s ORDER BY 1",
             expr ? expr : "'all'", (unsigned)HEARD_FLAG_POLITE_NOT_EMPATHETIC, f.where,
             expr ? " GROUP BY " : "", expr ? expr : "");
    db_rows rows;
    if (db_exec(r->srv->db, c, sql, f.params, f.n, &rows, err) != DB_OK) {
        resp_db_error(r, err);
        return;
    }
    json_t *groups = json_array();
    for (size_t i = 0; i < rows.n_rows; i++) {
        const char *n = db_cell(&rows, i, 1);
        if (!n || strtoll(n, NULL, 10) == 0)
            continue; /* the empty aggregate of no conversations */
        json_t *g = json_object();
        const char *key = db_cell(&rows, i, 0);
        json_object_set_new(g, "key", key ? json_string(key) : json_null());
        json_object_set_new(g, "conversations", integer(n));
        json_object_set_new(g, "empathy_mean", num(db_cell(&rows, i, 2)));
        json_object_set_new(g, "politeness_mean", num(db_cell(&rows, i, 3)));
        json_object_set_new(g, "opportunities", integer(db_cell(&rows, i, 5)));
        /* of the opportunities an agent turn answered: unanswered ones (no
         * agent turn after them) are neither met nor missed */
        json_object_set_new(g, "unanswered_opportunities", integer(db_cell(&rows, i, 13)));
        json_object_set_new(g, "missed_opportunity_rate",
                            ratio(db_cell(&rows, i, 4), db_cell(&rows, i, 14)));
        json_object_set_new(g, "polite_not_empathetic_rate", ratio(db_cell(&rows, i, 6), n));
        json_object_set_new(g, "wait_mean_seconds", num(db_cell(&rows, i, 7)));
        json_object_set_new(g, "wait_max_seconds", num(db_cell(&rows, i, 8)));
        json_object_set_new(g, "conversations_with_waits", integer(db_cell(&rows, i, 12)));
        json_object_set_new(g, "felt_heard_predicted", num(db_cell(&rows, i, 9)));
        json_object_set_new(g, "felt_heard_surveyed", num(db_cell(&rows, i, 10)));
        json_object_set_new(g, "surveyed_conversations", integer(db_cell(&rows, i, 11)));
        json_array_append_new(groups, g);
    }
    db_rows_free(&rows);
    json_t *out = json_object();
    json_object_set_new(out, "group_by", json_string(expr ? group_by : "none"));
    json_object_set_new(out, "from", f.from[0] ? json_string(f.from) : json_null());
    json_object_set_new(out, "to", f.to[0] ? json_string(f.to) : json_null());
    json_object_set_new(out, "groups", groups);
    resp_json(r, 200, out);
}

/* survey_results.c - GET /v1/surveys/results: what an organisation's own
 * customers answered (response counts, how many rate empathy very
 * important, felt-heard by channel, preferred channel when urgent), how well
 * the predicted felt_heard matches the answers, and which detected agent
 * behaviours go with customers feeling heard here: what *these* customers
 * count as empathy. Aggregation is done in C over the joined rows so both
 * back ends give the same numbers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"

#define LONG_WAIT_SECONDS 300
#define POLITE_SCORE 60

enum col {
    C_FELT, C_UNDERSTOOD, C_IMPORTANCE, C_CH_USED, C_CH_URGENT, C_SIMULATED, C_CHANNEL,
    C_AGENT, C_TEAM, C_PREDICTED, C_REACTIONS, C_INTERP, C_EXPLOR, C_OWNERSHIP, C_WAIT,
    C_POLITENESS, C_DISMISSIVE
};

typedef struct pearson {
    double n, sx, sy, sxx, syy, sxy;
} pearson;

static void pearson_add(pearson *p, double x, double y)
{
    p->n++;
    p->sx += x;
    p->sy += y;
    p->sxx += x * x;
    p->syy += y * y;
    p->sxy += x * y;
}

static json_t *pearson_json(const pearson *p)
{
    if (p->n < 3)
        return json_null();
    double vx = p->n * p->sxx - p->sx * p->sx, vy = p->n * p->syy - p->sy * p->sy;
    if (vx <= 0 || vy <= 0)
        return json_null();
    return json_real((p->n * p->sxy - p->sx * p->sy) / sqrt(vx * vy));
}

static double cell_num(const db_rows *r, size_t i, enum col c, bool *present)
{
    const char *v = db_cell(r, i, c);
    *present = v != NULL;
    return v ? strtod(v, NULL) : 0;
}

/* Counts of values of one text column, as {"value": n}. */
static void count_into(json_t *obj, const char *key)
{
    if (!key)
        return;
    json_t *v = json_object_get(obj, key);
    json_object_set_new(obj, key, json_integer(v ? json_integer_value(v) + 1 : 1));
}

typedef struct group {
    long responses, importance_n, importance_high, felt_n, understood_n, simulated;
    double felt_sum, understood_sum;
    json_t *urgent; /* channel -> count */
} group;

static json_t *group_json(const char *key, const group *g)
{
    json_t *o = json_object();
    json_object_set_new(o, "key", key ? json_string(key) : json_null());
    json_object_set_new(o, "responses", json_integer(g->responses));
    json_object_set_new(o, "simulated_responses", json_integer(g->simulated));
    json_object_set_new(o, "felt_heard_mean",
                        g->felt_n ? json_real(g->felt_sum / (double)g->felt_n) : json_null());
    json_object_set_new(o, "understood_mean",
                        g->understood_n ? json_real(g->understood_sum / (double)g->understood_n)
                                        : json_null());
    json_object_set_new(o, "empathy_very_important_share",
                        g->importance_n ? json_real((double)g->importance_high /
                                                    (double)g->importance_n)
                                        : json_null());
    json_object_set_new(o, "preferred_channel_when_urgent", json_incref(g->urgent));
    return o;
}

static void group_add(group *g, const db_rows *rows, size_t i)
{
    bool has;
    g->responses++;
    g->simulated += db_cell(rows, i, C_SIMULATED) && strcmp(db_cell(rows, i, C_SIMULATED), "1") == 0;
    double f = cell_num(rows, i, C_FELT, &has);
    if (has) {
        g->felt_n++;
        g->felt_sum += f;
    }
    double u = cell_num(rows, i, C_UNDERSTOOD, &has);
    if (has) {
        g->understood_n++;
        g->understood_sum += u;
    }
    double imp = cell_num(rows, i, C_IMPORTANCE, &has);
    if (has) {
        g->importance_n++;
        g->importance_high += imp >= 4;
    }
    count_into(g->urgent, db_cell(rows, i, C_CH_URGENT));
}

typedef struct keyed {
    char *key; /* NULL: no agent/team recorded */
    group g;
} keyed;

/* The group of a key, added when new (groups are few: a linear scan). */
static group *group_for(keyed **gs, size_t *n, const char *key)
{
    for (size_t i = 0; i < *n; i++)
        if ((*gs)[i].key == key || ((*gs)[i].key && key && strcmp((*gs)[i].key, key) == 0))
            return &(*gs)[i].g;
    keyed *grown = realloc(*gs, (*n + 1) * sizeof **gs);
    if (!grown)
        return NULL;
    *gs = grown;
    keyed *k = &grown[(*n)++];
    memset(k, 0, sizeof *k);
    k->key = key ? strdup(key) : NULL;
    k->g.urgent = json_object();
    return &k->g;
}

typedef struct behaviour {
    const char *name, *meaning;
    long n[2];
    double sum[2];
    pearson r;
} behaviour;

static json_t *behaviours_json(const db_rows *rows)
{
    behaviour b[] = {
        {"emotional_reaction", "the agent showed warmth or concern", {0, 0}, {0, 0}, {0, 0, 0, 0, 0, 0}},
        {"interpretation", "the agent put the customer's feelings or situation in words", {0, 0}, {0, 0}, {0, 0, 0, 0, 0, 0}},
        {"exploration", "the agent asked about the customer's needs or feelings", {0, 0}, {0, 0}, {0, 0, 0, 0, 0, 0}},
        {"ownership", "the agent took responsibility and named a next step", {0, 0}, {0, 0}, {0, 0, 0, 0, 0, 0}},
        {"long_wait", "the customer waited 5 minutes or more for a reply", {0, 0}, {0, 0}, {0, 0, 0, 0, 0, 0}},
        {"politeness", "the agent's politeness score was 60 or more", {0, 0}, {0, 0}, {0, 0, 0, 0, 0, 0}},
        {"dismissive", "the agent minimised, blamed or invalidated", {0, 0}, {0, 0}, {0, 0, 0, 0, 0, 0}},
    };
    const enum col cols[] = {C_REACTIONS, C_INTERP, C_EXPLOR, C_OWNERSHIP, C_WAIT, C_POLITENESS,
                             C_DISMISSIVE};
    for (size_t i = 0; i < rows->n_rows; i++) {
        bool has;
        double felt = cell_num(rows, i, C_FELT, &has);
        if (!has)
            continue;
        for (size_t k = 0; k < sizeof b / sizeof b[0]; k++) {
            bool hv;
            double v = cell_num(rows, i, cols[k], &hv);
            if (!hv && cols[k] == C_WAIT)
                continue; /* no timestamps: the wait is unknown, not short */
            int present = cols[k] == C_WAIT ? v >= LONG_WAIT_SECONDS
                          : cols[k] == C_POLITENESS ? v >= POLITE_SCORE
                                                    : v > 0;
            b[k].n[present]++;
            b[k].sum[present] += felt;
            pearson_add(&b[k].r, present, felt);
        }
    }
    json_t *out = json_array();
    for (size_t k = 0; k < sizeof b / sizeof b[0]; k++) {
        json_t *with = b[k].n[1] ? json_real(b[k].sum[1] / (double)b[k].n[1]) : json_null();
        json_t *without = b[k].n[0] ? json_real(b[k].sum[0] / (double)b[k].n[0]) : json_null();
        json_t *diff = b[k].n[0] && b[k].n[1]
                           ? json_real(b[k].sum[1] / (double)b[k].n[1] -
                                       b[k].sum[0] / (double)b[k].n[0])
                           : json_null();
        json_array_append_new(out, json_pack("{s:s,s:s,s:I,s:I,s:o,s:o,s:o,s:o}", "behaviour",
                                             b[k].name, "meaning", b[k].meaning, "present",
                                             (json_int_t)b[k].n[1], "absent",
                                             (json_int_t)b[k].n[0], "felt_heard_when_present",
                                             with, "felt_heard_when_absent", without,
                                             "difference", diff, "correlation",
                                             pearson_json(&b[k].r)));
    }
    return out;
}

void h_survey_results(request *r)
{
    if (!req_auth(r, ROLE_MANAGER))
        return;
    const char *group_by = req_arg(r, "group_by");
    enum col gcol = C_CHANNEL;
    if (group_by && strcmp(group_by, "agent") == 0)
        gcol = C_AGENT;
    else if (group_by && strcmp(group_by, "team") == 0)
        gcol = C_TEAM;
    else if (group_by && strcmp(group_by, "channel") != 0) {
        resp_error(r, 400, "bad query", json_string("group_by must be channel, agent or team"));
        return;
    }
    const char *sim = req_arg(r, "simulated");
    bool exclude_sim = sim && strcmp(sim, "exclude") == 0;
    filter f;
    if (!filter_build(r, &f, "c."))
        return;
    db_conn *c = req_db(r);
    if (!c)
        return;
    char sql[2048], err[DB_ERRLEN];
    snprintf(sql, sizeof sql,
             "SELECT s.felt_heard, s.understood, s.empathy_importance, s.channel_used,"
             " s.urgent_channel, s.simulated, c.channel, c.agent, c.team, c.felt_heard,"
             " c.reactions, c.interpretations, c.explorations, c.ownership, c.wait_max,"
             " c.politeness, c.dismissive"
             " FROM survey_responses s JOIN conversations c ON c.id = s.conversation_id%s%s"
             " ORDER BY s.answered_at",
             f.where, exclude_sim ? (f.where[0] ? " AND s.simulated = 0" : " WHERE s.simulated = 0")
                                  : "");
    db_rows rows;
    if (db_exec(r->srv->db, c, sql, f.params, f.n, &rows, err) != DB_OK) {
        resp_db_error(r, err);
        return;
    }
    group all = {.urgent = json_object()};
    keyed *gs = NULL;
    size_t ng = 0;
    json_t *by_channel = json_object();
    pearson pred = {0};
    for (size_t i = 0; i < rows.n_rows; i++) {
        group_add(&all, &rows, i);
        group *g = group_for(&gs, &ng, db_cell(&rows, i, gcol));
        if (g)
            group_add(g, &rows, i);
        bool has, hp;
        double felt = cell_num(&rows, i, C_FELT, &has);
        double p = cell_num(&rows, i, C_PREDICTED, &hp);
        if (has && hp)
            pearson_add(&pred, p, felt);
        if (has) {
            const char *ch = db_cell(&rows, i, C_CH_USED);
            if (!ch)
                ch = db_cell(&rows, i, C_CHANNEL);
            if (!ch)
                ch = "(none)";
            json_t *bc = json_object_get(by_channel, ch);
            double n = bc ? json_number_value(json_array_get(bc, 0)) : 0;
            double sum = bc ? json_number_value(json_array_get(bc, 1)) : 0;
            json_object_set_new(by_channel, ch, json_pack("[f,f]", n + 1, sum + felt));
        }
    }
    json_t *glist = json_array();
    for (size_t i = 0; i < ng; i++) {
        json_array_append_new(glist, group_json(gs[i].key, &gs[i].g));
        free(gs[i].key);
        json_decref(gs[i].g.urgent);
    }
    free(gs);
    const char *k;
    json_t *g;
    json_t *fbc = json_object();
    json_object_foreach(by_channel, k, g) {
        double n = json_number_value(json_array_get(g, 0));
        json_object_set_new(fbc, k, json_pack("{s:I,s:f}", "responses", (json_int_t)n,
                                              "felt_heard_mean",
                                              json_number_value(json_array_get(g, 1)) / n));
    }
    json_t *out = json_object();
    json_object_set_new(out, "group_by", json_string(gcol == C_AGENT  ? "agent"
                                                     : gcol == C_TEAM ? "team"
                                                                      : "channel"));
    json_object_set_new(out, "overall", group_json(NULL, &all));
    json_object_set_new(out, "groups", glist);
    json_object_set_new(out, "felt_heard_by_channel", fbc);
    json_object_set_new(out, "predicted_vs_surveyed",
                        json_pack("{s:I,s:o}", "n", (json_int_t)pred.n, "correlation",
                                  pearson_json(&pred)));
    json_object_set_new(out, "behaviours", behaviours_json(&rows));
    json_object_set_new(out, "includes_simulated", json_boolean(all.simulated > 0));
    db_rows_free(&rows);
    json_decref(all.urgent);
    json_decref(by_channel);
    resp_json(r, 200, out);
}

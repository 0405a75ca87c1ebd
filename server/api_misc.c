/* api_misc.c - the operational endpoints (/healthz, /metrics in Prometheus
 * text format) and the static files of the manager dashboard (web/). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "sbuf.h"
#include "server.h"

#define WEB_FILE_MAX (4u * 1024u * 1024u)

void h_healthz(request *r)
{
    db_conn *c = req_db(r);
    if (!c)
        return;
    char err[DB_ERRLEN];
    if (db_exec(r->srv->db, c, "SELECT 1", NULL, 0, NULL, err) != DB_OK) {
        resp_db_error(r, err);
        return;
    }
    resp_json(r, 200, json_pack("{s:s,s:s,s:s,s:i}", "status", "ok", "version", HEARD_VERSION,
                                "db", db_get_kind(r->srv->db) == DB_POSTGRES ? "postgresql"
                                                                              : "sqlite",
                                "schema", db_schema_version()));
}

void h_metrics(request *r)
{
    if (!req_auth(r, ROLE_MANAGER))
        return;
    const metrics *m = &r->srv->m;
    sbuf b = {0};
    sbuf_puts(&b, "# HELP heard_http_requests_total HTTP requests answered, by route and status.\n"
                  "# TYPE heard_http_requests_total counter\n");
    for (int i = 0; i < N_ROUTES; i++)
        for (int j = 0; j < N_CODES; j++) {
            unsigned long v = atomic_load(&m->requests[i][j]);
            if (v == 0)
                continue;
            if (METRIC_CODES[j])
                sbuf_printf(&b, "heard_http_requests_total{route=\"%s\",code=\"%u\"} %lu\n",
                            route_name((enum route)i), METRIC_CODES[j], v);
            else
                sbuf_printf(&b, "heard_http_requests_total{route=\"%s\",code=\"other\"} %lu\n",
                            route_name((enum route)i), v);
        }
    sbuf_puts(&b, "# HELP heard_http_request_seconds_total Time spent answering, by route.\n"
                  "# TYPE heard_http_request_seconds_total counter\n");
    for (int i = 0; i < N_ROUTES; i++) {
        unsigned long us = atomic_load(&m->micros[i]);
        if (us)
            sbuf_printf(&b, "heard_http_request_seconds_total{route=\"%s\"} %.6f\n",
                        route_name((enum route)i), (double)us / 1e6);
    }
    struct {
        const char *name, *help, *type;
        unsigned long v;
    } simple[] = {
        {"heard_conversations_analysed_total", "Conversations analysed.", "counter",
         atomic_load(&m->analysed)},
        {"heard_conversations_stored_total", "Conversations stored (inserted or replaced).",
         "counter", atomic_load(&m->stored)},
        {"heard_conversations_store_failed_total", "Conversations not stored after a database "
         "error.", "counter", atomic_load(&m->store_failed)},
        {"heard_survey_responses_total", "Survey responses stored.", "counter",
         atomic_load(&m->surveys_answered)},
        {"heard_db_errors_total", "Database errors.", "counter", atomic_load(&m->db_errors)},
        {"heard_http_requests_in_flight", "Requests being received or answered.", "gauge",
         atomic_load(&m->open_requests)},
    };
    for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++)
        sbuf_printf(&b, "# HELP %s %s\n# TYPE %s %s\n%s %lu\n", simple[i].name, simple[i].help,
                    simple[i].name, simple[i].type, simple[i].name, simple[i].v);
    sbuf_printf(&b, "# HELP heard_start_time_seconds Start time of this process.\n"
                    "# TYPE heard_start_time_seconds gauge\nheard_start_time_seconds %lld\n"
                    "# HELP heard_build_info Version of this heard.\n"
                    "# TYPE heard_build_info gauge\nheard_build_info{version=\"%s\",db=\"%s\"} 1\n",
                (long long)r->srv->started, HEARD_VERSION,
                db_get_kind(r->srv->db) == DB_POSTGRES ? "postgresql" : "sqlite");
    committer *cm = &r->srv->commits;
    pthread_mutex_lock(&cm->lock);
    unsigned long groups = cm->groups, jobs = cm->jobs, ckpts = cm->checkpoints;
    pthread_mutex_unlock(&cm->lock);
    sbuf_printf(&b, "# HELP heard_group_commits_total Write transactions of the writer "
                    "threads.\n# TYPE heard_group_commits_total counter\n"
                    "heard_group_commits_total %lu\n"
                    "# HELP heard_group_commit_jobs_total Store requests written by those "
                    "transactions.\n# TYPE heard_group_commit_jobs_total counter\n"
                    "heard_group_commit_jobs_total %lu\n"
                    "# HELP heard_sqlite_checkpoints_total WAL checkpoints run beside the "
                    "writer thread.\n# TYPE heard_sqlite_checkpoints_total counter\n"
                    "heard_sqlite_checkpoints_total %lu\n", groups, jobs, ckpts);
    size_t len;
    char *s = sbuf_take(&b, &len);
    resp_raw(r, 200, "text/plain; version=0.0.4; charset=utf-8", s, len);
}

static const char *content_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    static const char *const types[][2] = {
        {".html", "text/html; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"}, {".svg", "image/svg+xml"},
        {".png", "image/png"}, {".ico", "image/x-icon"}, {".json", "application/json"},
        {".txt", "text/plain; charset=utf-8"}};
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i][0]) == 0)
            return types[i][1];
    return NULL;
}

/* Only plain names of files directly in the web directory are served. */
static bool safe_name(const char *n)
{
    size_t len = strlen(n);
    if (len == 0 || len > 128 || n[0] == '.')
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = n[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_'))
            return false;
    }
    return true;
}

void h_web(request *r)
{
    const char *name = strcmp(r->path, "/") == 0 ? "index.html" : r->path + 1;
    const char *ctype = content_type(name);
    if (!r->srv->web_dir[0] || !safe_name(name) || !ctype) {
        resp_error(r, 404, "not found", json_string(r->path));
        return;
    }
    char path[4300];
    snprintf(path, sizeof path, "%s/%s", r->srv->web_dir, name);
    FILE *f = fopen(path, "rb");
    struct stat sb;
    if (!f || fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > WEB_FILE_MAX) {
        if (f)
            fclose(f);
        resp_error(r, 404, "not found", json_string(r->path));
        return;
    }
    size_t size = (size_t)sb.st_size;
    char *data = malloc(size + 1);
    size_t got = data ? fread(data, 1, size, f) : 0;
    fclose(f);
    if (!data || got != size) {
        free(data);
        resp_error(r, 500, "cannot read file", json_string(r->path));
        return;
    }
    resp_raw(r, 200, ctype, data, size);
}

/* http.c - the libmicrohttpd glue of heard serve: accepting requests within
 * the body-size limit, routing them, authenticating keys, lending per-thread
 * resources (database connection, analysis workspace) to handlers, sending
 * JSON errors, and counting what happened for /metrics. No request can
 * crash the server: every failure becomes a 4xx/5xx JSON answer. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "keys.h"
#include "server.h"
#include "token.h"

const unsigned METRIC_CODES[N_CODES] = {200, 201, 204, 301, 304, 400, 401, 403, 404,
                                        405, 409, 413, 415, 422, 429, 500, 503, 0};

const char *route_name(enum route r)
{
    static const char *const names[N_ROUTES] = {
        "healthz", "metrics", "analyze", "conversations_post", "conversations_get",
        "conversations_list", "assist", "stats", "surveys_create", "survey_form",
        "survey_answer", "surveys_results", "export", "web", "other"};
    return r < N_ROUTES ? names[r] : "other";
}

uint64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* ---------------------------------------------------------------- responses */

void resp_raw(request *r, unsigned status, const char *ctype, char *body, size_t len)
{
    free(r->out);
    r->status = status;
    r->ctype = ctype;
    r->out = body;
    r->out_len = body ? len : 0;
    if (!body && status < 500) {
        r->status = 500;
        r->ctype = "application/json";
    }
}

void resp_json(request *r, unsigned status, json_t *obj)
{
    char *s = obj ? json_dumps(obj, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
    json_decref(obj);
    if (!s) {
        static const char oom[] = "{\"error\":\"out of memory\",\"detail\":null}";
        s = strdup(oom);
        status = 500;
    }
    resp_raw(r, status, "application/json", s, s ? strlen(s) : 0);
}

void resp_error(request *r, unsigned status, const char *error, json_t *detail)
{
    json_t *o = json_object();
    json_object_set_new(o, "error", json_string(error));
    json_object_set_new(o, "detail", detail ? detail : json_null());
    resp_json(r, status, o);
}

void resp_errorf(request *r, unsigned status, const char *error, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    resp_error(r, status, error, json_string(buf));
}

void resp_db_error(request *r, const char *err)
{
    atomic_fetch_add(&r->srv->m.db_errors, 1);
    fprintf(stderr, "heard serve: %s %s: %s\n", r->method, r->path, err);
    resp_error(r, 503, "database unavailable", json_string(err));
}

/* ------------------------------------------------------------ request parts */

const char *req_arg(request *r, const char *name)
{
    const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
    return v && *v ? v : NULL;
}

const char *req_header(request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

db_conn *req_db(request *r)
{
    if (!r->dbc) {
        char err[DB_ERRLEN];
        r->dbc = db_acquire(r->srv->db, err);
        if (!r->dbc)
            resp_db_error(r, err);
    }
    return r->dbc;
}

heard_workspace *req_ws(request *r)
{
    if (r->ws)
        return r->ws;
    server *s = r->srv;
    pthread_mutex_lock(&s->ws_lock);
    if (s->n_ws > 0)
        r->ws = s->ws_idle[--s->n_ws];
    pthread_mutex_unlock(&s->ws_lock);
    if (!r->ws) {
        heard_error e;
        if (heard_workspace_new(s->an, &r->ws, &e) != HEARD_OK) {
            r->ws = NULL;
            resp_error(r, 500, "cannot create analysis workspace", json_string(e.message));
        }
    }
    return r->ws;
}

void server_release_ws(server *s, heard_workspace *ws)
{
    if (!ws)
        return;
    pthread_mutex_lock(&s->ws_lock);
    if (s->n_ws < WS_POOL_MAX) {
        s->ws_idle[s->n_ws++] = ws;
        ws = NULL;
    }
    pthread_mutex_unlock(&s->ws_lock);
    heard_workspace_free(ws);
}

static void resume_notify(commit_job *job)
{
    request *r = job->ctx;
    /* the worker thread of this connection calls on_request again, which
     * answers through r->on_resume */
    MHD_resume_connection(r->conn);
}

static void suspend_on_queue(commit_job *job)
{
    request *r = job->ctx;
    /* before the writer can see the job, so that its resume always finds
     * the connection suspended */
    MHD_suspend_connection(r->conn);
    r->suspended = true;
}

bool req_defer(request *r, commit_job *job, void (*on_resume)(request *r), void *pending,
               void (*pending_free)(void *p))
{
    job->ctx = r;
    job->notify = resume_notify;
    job->on_queue = suspend_on_queue;
    r->on_resume = on_resume;
    r->pending = pending;
    r->pending_free = pending_free;
    if (commit_submit(&r->srv->commits, job))
        return true;
    r->on_resume = NULL;
    r->pending = NULL;
    r->pending_free = NULL;
    return false;
}

bool req_auth(request *r, role min)
{
    const char *h = req_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!h || strncasecmp(h, "Bearer ", 7) != 0) {
        resp_error(r, 401, "missing API key",
                   json_string("send Authorization: Bearer KEY (see heard keys create)"));
        return false;
    }
    const char *key = h + 7;
    while (*key == ' ')
        key++;
    role rl = ROLE_NONE;
    r->agent[0] = '\0';
    size_t key_len = strlen(key);
    if (key_len <= 128) {
        uint64_t now = now_us();
        if (!key_cache_get(&r->srv->keys, key, key_len, now, &rl, r->agent, sizeof r->agent)) {
            db_conn *c = req_db(r);
            if (!c)
                return false;
            char hash[65], err[DB_ERRLEN];
            token_hash(key, hash);
            if (keys_lookup_hash(r->srv->db, c, hash, &rl, r->agent, sizeof r->agent, err) !=
                DB_OK) {
                resp_db_error(r, err);
                return false;
            }
            key_cache_put(&r->srv->keys, key, key_len, now, rl, r->agent);
        }
    }
    if (rl == ROLE_NONE) {
        resp_error(r, 401, "invalid API key", NULL);
        return false;
    }
    r->role = rl;
    if (rl < min) {
        resp_errorf(r, 403, "forbidden", "this needs a %s key; yours is %s", role_name(min),
                    role_name(rl));
        return false;
    }
    return true;
}

/* The end of a run of string contents from i: the first '"' or '\\' at or
 * after i, or len. Eight bytes at a time (bodies are mostly turn text): a
 * word's test says exactly whether any of its bytes is one of the two. */
static size_t string_run(const char *s, size_t i, size_t len)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    for (; i + 8 <= len; i += 8) {
        uint64_t v;
        memcpy(&v, s + i, 8);
        uint64_t q = v ^ (ones * '"'), b = v ^ (ones * '\\');
        uint64_t hit = ((q - ones) & ~q & highs) | ((b - ones) & ~b & highs);
        if (hit) {
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            /* the lowest flag is exact: it is the first such byte */
            return i + (size_t)__builtin_ctzll(hit) / 8;
#else
            break;
#endif
        }
    }
    while (i < len && s[i] != '"' && s[i] != '\\')
        i++;
    return i;
}

bool json_too_deep(const char *s, size_t len, size_t max)
{
    size_t depth = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch == '"') {
            /* to the closing quote; a backslash hides the byte after it */
            for (i = string_run(s, i + 1, len); i < len && s[i] == '\\';)
                i = string_run(s, i + 2, len);
            if (i >= len)
                return false;
        } else if (ch == '[' || ch == '{') {
            if (++depth > max)
                return true;
        } else if ((ch == ']' || ch == '}') && depth > 0) {
            depth--;
        }
    }
    return false;
}

bool req_body_precheck(request *r)
{
    if (r->body_len == 0) {
        resp_error(r, 400, "empty body", json_string("expected a JSON object"));
        return false;
    }
    if (json_too_deep(r->body, r->body_len, r->srv->cfg.max_depth)) {
        resp_errorf(r, 400, "JSON nested too deeply", "at most %zu levels",
                    r->srv->cfg.max_depth);
        return false;
    }
    return true;
}

json_t *req_json_body(request *r)
{
    if (!req_body_precheck(r))
        return NULL;
    json_error_t je;
    json_t *o = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
    if (!o) {
        json_t *d = json_pack("{s:s,s:i,s:i}", "message", je.text, "line", je.line,
                              "column", je.column);
        resp_error(r, 400, "invalid JSON", d);
        return NULL;
    }
    if (!json_is_object(o)) {
        json_decref(o);
        resp_error(r, 400, "expected a JSON object", NULL);
        return NULL;
    }
    return o;
}

/* ------------------------------------------------------------------ routing */

static bool is(const request *r, const char *m) { return strcmp(r->method, m) == 0; }

static void method_not_allowed(request *r, const char *allow)
{
    r->allow = allow;
    resp_errorf(r, 405, "method not allowed", "use %s", allow);
}

static void dispatch(request *r)
{
    const char *p = r->path;
    if (strcmp(p, "/healthz") == 0) {
        r->route = R_HEALTHZ;
        is(r, "GET") || is(r, "HEAD") ? h_healthz(r) : method_not_allowed(r, "GET");
    } else if (strcmp(p, "/metrics") == 0) {
        r->route = R_METRICS;
        is(r, "GET") ? h_metrics(r) : method_not_allowed(r, "GET");
    } else if (strcmp(p, "/v1/analyze") == 0) {
        r->route = R_ANALYZE;
        is(r, "POST") ? h_analyze(r) : method_not_allowed(r, "POST");
    } else if (strcmp(p, "/v1/conversations") == 0) {
        r->route = is(r, "POST") ? R_CONV_POST : R_CONV_LIST;
        if (is(r, "POST"))
            h_conv_post(r);
        else if (is(r, "GET"))
            h_conv_list(r);
        else
            method_not_allowed(r, "GET, POST");
    } else if (strncmp(p, "/v1/conversations/", 18) == 0 && p[18]) {
        r->route = R_CONV_GET;
        is(r, "GET") ? h_conv_get(r, p + 18) : method_not_allowed(r, "GET");
    } else if (strcmp(p, "/v1/assist") == 0) {
        r->route = R_ASSIST;
        is(r, "POST") ? h_assist(r) : method_not_allowed(r, "POST");
    } else if (strcmp(p, "/v1/stats") == 0) {
        r->route = R_STATS;
        is(r, "GET") ? h_stats(r) : method_not_allowed(r, "GET");
    } else if (strcmp(p, "/v1/surveys") == 0) {
        r->route = R_SURVEY_CREATE;
        is(r, "POST") ? h_survey_create(r) : method_not_allowed(r, "POST");
    } else if (strcmp(p, "/v1/surveys/results") == 0) {
        r->route = R_SURVEY_RESULTS;
        is(r, "GET") ? h_survey_results(r) : method_not_allowed(r, "GET");
    } else if (strncmp(p, "/s/", 3) == 0 && p[3]) {
        r->route = is(r, "POST") ? R_SURVEY_ANSWER : R_SURVEY_FORM;
        if (is(r, "GET"))
            h_survey_form(r, p + 3);
        else if (is(r, "POST"))
            h_survey_answer(r, p + 3);
        else
            method_not_allowed(r, "GET, POST");
    } else if (strcmp(p, "/v1/export") == 0) {
        r->route = R_EXPORT;
        is(r, "GET") ? h_export(r) : method_not_allowed(r, "GET");
    } else if (strncmp(p, "/v1/", 4) == 0) {
        resp_error(r, 404, "no such endpoint", json_string(p));
    } else {
        r->route = R_WEB;
        is(r, "GET") || is(r, "HEAD") ? h_web(r) : method_not_allowed(r, "GET");
    }
}

/* ------------------------------------------------------------- MHD callbacks */

static unsigned code_slot(unsigned status)
{
    for (unsigned i = 0; i + 1 < N_CODES; i++)
        if (METRIC_CODES[i] == status)
            return i;
    return N_CODES - 1;
}

static enum MHD_Result send_response(request *r)
{
    if (!r->out && r->status == 0)
        resp_error(r, 500, "handler gave no answer", NULL);
    if (!r->out) {
        r->out = strdup("{\"error\":\"out of memory\",\"detail\":null}");
        r->out_len = r->out ? strlen(r->out) : 0;
        r->ctype = "application/json";
    }
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(r->out_len, r->out ? r->out : (char *)"",
                                        r->out ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    r->out = NULL; /* owned by the response now */
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            r->ctype ? r->ctype : "application/json");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    if (r->route != R_WEB)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (r->ctype && strncmp(r->ctype, "text/html", 9) == 0) {
        MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                                "frame-ancestors 'none'; form-action 'self'");
        MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    }
    if (r->allow)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
    if (r->disposition)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION, r->disposition);
    if (r->status == 413)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result ret = MHD_queue_response(r->conn, r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void finish(request *r)
{
    server *s = r->srv;
    if (r->dbc) {
        db_release(s->db, r->dbc);
        r->dbc = NULL;
    }
    server_release_ws(s, r->ws);
    r->ws = NULL;
}

static bool append_body(request *r, const char *data, size_t n)
{
    size_t max = r->srv->cfg.max_body;
    if (r->too_large || r->body_len + n > max) {
        r->too_large = true;
        free(r->body);
        r->body = NULL;
        r->body_len = r->body_cap = 0;
        return false;
    }
    if (r->body_len + n + 1 > r->body_cap) {
        size_t cap = r->body_cap ? r->body_cap : 4096;
        while (cap < r->body_len + n + 1)
            cap *= 2;
        if (cap > max + 1)
            cap = max + 1;
        char *b = realloc(r->body, cap);
        if (!b)
            return false;
        r->body = b;
        r->body_cap = cap;
    }
    memcpy(r->body + r->body_len, data, n);
    r->body_len += n;
    r->body[r->body_len] = '\0';
    return true;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    server *s = cls;
    request *r = *con_cls;
    if (!r) {
        r = calloc(1, sizeof *r);
        if (!r)
            return MHD_NO;
        r->srv = s;
        r->conn = conn;
        r->method = method;
        r->path = url;
        r->route = R_OTHER;
        r->t0_us = now_us();
        *con_cls = r;
        atomic_fetch_add(&s->m.open_requests, 1);
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > s->cfg.max_body) {
            r->too_large = true;
            r->started = true;
            resp_errorf(r, 413, "body too large", "at most %zu bytes", s->cfg.max_body);
            return send_response(r);
        }
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        /* the idle timeout alone would let a client trickle a body forever:
         * a request whose body is still arriving after --timeout seconds is
         * cut off */
        if (now_us() - r->t0_us > (uint64_t)s->cfg.timeout_s * 1000000u)
            return MHD_NO;
        if (!r->status && !append_body(r, upload_data, *upload_data_size) && !r->too_large)
            resp_error(r, 500, "out of memory", NULL);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->started) {
        if (!r->suspended)
            return MHD_YES;
        /* resumed: the writer thread has committed the request's job */
        r->suspended = false;
        r->on_resume(r);
        finish(r);
        return send_response(r);
    }
    r->started = true;
    if (r->too_large)
        resp_errorf(r, 413, "body too large", "at most %zu bytes", s->cfg.max_body);
    else if (!r->status)
        dispatch(r);
    finish(r);
    if (r->suspended)
        return MHD_YES; /* answered once resumed */
    return send_response(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    (void)toe;
    server *s = cls;
    request *r = *con_cls;
    if (!r)
        return;
    unsigned status = r->status ? r->status : 500;
    atomic_fetch_add(&s->m.requests[r->route][code_slot(status)], 1);
    atomic_fetch_add(&s->m.micros[r->route], now_us() - r->t0_us);
    atomic_fetch_sub(&s->m.open_requests, 1);
    finish(r);
    if (r->pending_free)
        r->pending_free(r->pending);
    free(r->body);
    free(r->out);
    free(r);
    *con_cls = NULL;
}

/* ------------------------------------------------------------------ startup */

static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len,
                        bool *v6, char *err, size_t errlen)
{
    char host[256];
    const char *port;
    if (listen[0] == '[') {
        const char *end = strchr(listen, ']');
        if (!end || end[1] != ':' || (size_t)(end - listen - 1) >= sizeof host)
            goto bad;
        memcpy(host, listen + 1, (size_t)(end - listen - 1));
        host[end - listen - 1] = '\0';
        port = end + 2;
    } else {
        const char *colon = strrchr(listen, ':');
        if (!colon || (size_t)(colon - listen) >= sizeof host)
            goto bad;
        memcpy(host, listen, (size_t)(colon - listen));
        host[colon - listen] = '\0';
        port = colon + 1;
    }
    if (strcmp(host, "localhost") == 0)
        strcpy(host, "127.0.0.1");
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host[0] ? host : NULL, port, &hints, &res) != 0 || !res)
        goto bad;
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    *v6 = res->ai_family == AF_INET6;
    freeaddrinfo(res);
    return 0;
bad:
    snprintf(err, errlen, "--listen '%s': expected HOST:PORT with a numeric address, "
             "e.g. 127.0.0.1:8080 or [::1]:8080", listen);
    return -1;
}

struct MHD_Daemon *http_start(server *s, char *err, size_t errlen, unsigned *port)
{
    struct sockaddr_storage ss;
    socklen_t sslen;
    bool v6;
    if (parse_listen(s->cfg.listen, &ss, &sslen, &v6, err, errlen) != 0)
        return NULL;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
                     MHD_ALLOW_SUSPEND_RESUME;
    if (v6)
        flags |= MHD_USE_IPv6;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->cfg.threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)s->cfg.max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)s->cfg.max_connections,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)s->cfg.timeout_s,
        /* MHD clears the pool of a connection for every request: bigger
         * costs time on every request (headers only; bodies go elsewhere) */
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(16 * 1024),
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_END);
    if (!d) {
        snprintf(err, errlen, "cannot listen on %s (address in use or not permitted?)",
                 s->cfg.listen);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    *port = info ? info->port : 0;
    return d;
}

void http_stop(struct MHD_Daemon *d)
{
    if (d)
        MHD_stop_daemon(d);
}

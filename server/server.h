/* server.h - what the parts of heard serve share: the server context (one
 * per process, immutable after start except for its pools and counters),
 * the request being answered, access roles, and the response helpers.
 * Handlers take a request, fill its response and return; the HTTP glue
 * (http.c) sends it. */
#ifndef HEARD_SERVER_SERVER_H
#define HEARD_SERVER_SERVER_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "commit.h"
#include "db.h"
#include "heard/heard.h"

struct MHD_Connection;

typedef struct server_config {
    const char *db_url;
    const char *listen;     /* HOST:PORT, [V6]:PORT */
    const char *models;     /* --models DIR, NULL: resolved */
    const char *web_dir;    /* --web DIR, NULL: resolved */
    const char *public_url; /* base of survey links, NULL: from Host */
    const char *port_file;  /* write the bound port here (tests, port 0) */
    unsigned threads, max_connections, timeout_s;
    size_t max_body, max_depth, max_batch, max_turns;
    bool sync_normal; /* --sync normal (SQLite) */
} server_config;

enum route {
    R_HEALTHZ, R_METRICS, R_ANALYZE, R_CONV_POST, R_CONV_GET, R_CONV_LIST, R_ASSIST,
    R_STATS, R_SURVEY_CREATE, R_SURVEY_FORM, R_SURVEY_ANSWER, R_SURVEY_RESULTS,
    R_EXPORT, R_WEB, R_OTHER, N_ROUTES
};
#define N_CODES 18
extern const unsigned METRIC_CODES[N_CODES]; /* last slot: any other status */
const char *route_name(enum route r);

typedef struct metrics {
    atomic_ulong requests[N_ROUTES][N_CODES];
    atomic_ulong micros[N_ROUTES]; /* summed handling time */
    atomic_ulong analysed, stored, store_failed, surveys_answered, db_errors;
    atomic_ulong open_requests;
} metrics;

#define WS_POOL_MAX 64

/* Keys verified recently (keys.c): the key as sent -> role and agent, each
 * entry trusted for KEY_CACHE_TTL_US, so a revoked key stops working within
 * that time without a database query (or a SHA-256) on every request. */
#define KEY_CACHE_SLOTS 64
#define KEY_CACHE_TTL_US 2000000u
#define KEY_CACHE_KEY_MAX 128 /* longer keys are never valid (req_auth) */

typedef struct key_cache {
    pthread_mutex_t lock;
    struct key_cache_entry {
        char key[KEY_CACHE_KEY_MAX];
        size_t key_len; /* 0 when empty */
        int role;
        char agent[256];
        uint64_t expires_us;
    } e[KEY_CACHE_SLOTS];
} key_cache;

typedef struct server {
    server_config cfg;
    heard_analyzer *an; /* shared, immutable */
    db *db;
    char web_dir[4096]; /* "" when no dashboard files were found */
    int64_t started;
    pthread_mutex_t ws_lock;
    heard_workspace *ws_idle[WS_POOL_MAX];
    size_t n_ws;
    key_cache keys;
    committer commits; /* group commit of single-conversation ingest */
    metrics m;
} server;

typedef enum role { ROLE_NONE = 0, ROLE_AGENT = 1, ROLE_MANAGER = 2, ROLE_ADMIN = 3 } role;

typedef struct request request;

struct request {
    server *srv;
    struct MHD_Connection *conn;
    const char *method, *path;
    char *body;
    size_t body_len, body_cap;
    bool too_large, started;
    enum route route;
    role role;
    char agent[256]; /* for ROLE_AGENT: the agent id the key is bound to */
    db_conn *dbc;          /* borrowed on first use, returned after the handler */
    heard_workspace *ws;   /* likewise */
    unsigned status;
    char *out;             /* response body, malloc'd */
    size_t out_len;
    const char *ctype;
    const char *allow;     /* Allow header for 405 */
    const char *disposition;
    uint64_t t0_us;
    /* a write handed to the writer thread (commit.c): the connection is
     * suspended meanwhile, and on_resume builds the answer afterwards */
    bool suspended;
    void (*on_resume)(struct request *r);
    void *pending;                  /* handler state kept across the suspension */
    void (*pending_free)(void *p);  /* frees pending (also when never resumed) */
};

/* ---- response helpers (http.c) ---- */
/* Sends obj (stolen, may be NULL after an allocation failure). */
void resp_json(request *r, unsigned status, json_t *obj);
/* {"error": error, "detail": detail}; detail stolen, may be NULL. */
void resp_error(request *r, unsigned status, const char *error, json_t *detail);
void resp_errorf(request *r, unsigned status, const char *error, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* body stolen (malloc'd). */
void resp_raw(request *r, unsigned status, const char *ctype, char *body, size_t len);
void resp_db_error(request *r, const char *err);

/* Query-string argument, NULL when absent. */
const char *req_arg(request *r, const char *name);
const char *req_header(request *r, const char *name);
/* Lazily borrowed per-request resources; NULL after sending a 503/500. */
db_conn *req_db(request *r);
heard_workspace *req_ws(request *r);
/* Hands job to the SQLite writer thread and suspends the connection; once
 * the job is done, on_resume(r) answers. pending (freed with pending_free
 * when the request ends) holds what on_resume needs. False when there is no
 * writer (PostgreSQL, stopping): nothing was taken, write it now. */
bool req_defer(request *r, commit_job *job, void (*on_resume)(request *r), void *pending,
               void (*pending_free)(void *p));
/* Checks Authorization: Bearer KEY; false after sending 401/403. */
bool req_auth(request *r, role min);
/* JSON body parsed with the depth limit; NULL after sending a 400/413. */
/* Empty or too deeply nested body: answers 400 and returns false. */
bool req_body_precheck(request *r);
json_t *req_json_body(request *r);
/* Whether the body nests arrays/objects deeper than max. */
bool json_too_deep(const char *s, size_t len, size_t max);

uint64_t now_us(void);

/* ---- handlers ---- */
void h_healthz(request *r);
void h_metrics(request *r);
void h_web(request *r);
void h_analyze(request *r);
void h_conv_post(request *r);
void h_conv_get(request *r, const char *id);
void h_conv_list(request *r);
void h_export(request *r);
void h_assist(request *r);
void h_stats(request *r);
void h_survey_create(request *r);
void h_survey_form(request *r, const char *token);
void h_survey_answer(request *r, const char *token);
void h_survey_results(request *r);

/* ---- HTTP life cycle (http.c) ---- */
struct MHD_Daemon;
struct MHD_Daemon *http_start(server *s, char *err, size_t errlen, unsigned *port);
void http_stop(struct MHD_Daemon *d);
void server_release_ws(server *s, heard_workspace *ws);

/* The commands of heard-server (serve_cmd.c, run from main.c): argv[0] is
 * "serve" or "keys"; return the exit status. */
int heard_cli_serve(int argc, char **argv);
int heard_cli_keys(int argc, char **argv);

#endif

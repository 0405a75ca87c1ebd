/* serve_cmd.c - the `heard serve` and `heard keys` commands: options, model
 * and dashboard directories, start-up and orderly shutdown on SIGINT/SIGTERM
 * (so that every accepted request is answered and every transaction closed
 * before exit), and key management from the command line. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "heard_config.h"
#include "keys.h"
#include "server.h"
#include "server/heard_server_config.h"

static const char SERVE_USAGE[] =
    "usage: heard serve [--db URL] [--listen HOST:PORT] [options]\n"
    "  --db URL             sqlite:PATH (default sqlite:heard.db) or postgresql://...\n"
    "  --listen HOST:PORT   address to listen on (default 127.0.0.1:8080; port 0: any free)\n"
    "  --models DIR         model directory (default: $HEARD_MODELS, then the installed one)\n"
    "  --web DIR            dashboard files served at / (default: the installed ones)\n"
    "  --public-url URL     base of survey links, e.g. https://heard.example.com\n"
    "  --threads N          worker threads (default 4)\n"
    "  --max-connections N  simultaneous connections (default 256)\n"
    "  --timeout SECONDS    idle connection timeout (default 30)\n"
    "  --max-body BYTES     largest request body (default 1048576)\n"
    "  --max-depth N        deepest JSON nesting accepted (default 32)\n"
    "  --max-batch N        most conversations in one JSONL request (default 10000)\n"
    "  --port-file FILE     write the port listened on to FILE once ready\n"
    "  --sync full|normal   SQLite: fsync every commit (full, the default) or not (normal:\n"
    "                       a 2xx survives a crash of heard, not a power loss)\n";

static const char KEYS_USAGE[] =
    "usage: heard keys create --db URL --role admin|manager|agent [--agent ID]\n"
    "       heard keys list --db URL\n"
    "       heard keys revoke --db URL ID   (ID: the first characters shown by list)\n";

/* "--name value" or "--name=value"; advances *i past what it consumed. */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        fprintf(stderr, "heard: %s needs a value\n", name);
        return "";
    }
    return argv[++*i];
}

static bool parse_size(const char *v, size_t min, size_t max, size_t *out, const char *name)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (errno || end == v || *end || x < min || x > max) {
        fprintf(stderr, "heard serve: %s must be a number from %zu to %zu\n", name, min, max);
        return false;
    }
    *out = (size_t)x;
    return true;
}

static bool is_dir(const char *p)
{
    struct stat sb;
    return p && *p && stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int open_analyzer(server *s)
{
    heard_error e = {{0}};
    heard_options opt = {0};
    const char *env = getenv("HEARD_MODELS");
    const char *dir = s->cfg.models ? s->cfg.models
                      : is_dir(env) ? env
                      : is_dir(HEARD_MODELS_INSTDIR) ? HEARD_MODELS_INSTDIR
                      : is_dir(HEARD_MODELS_SRCDIR) ? HEARD_MODELS_SRCDIR
                                                    : NULL;
    opt.model_dir = dir;
    if (heard_analyzer_new(&opt, &s->an, &e) == HEARD_OK)
        return 0;
    if (s->cfg.models) {
        fprintf(stderr, "heard serve: %s\n", e.message);
        return -1;
    }
    fprintf(stderr, "heard serve: %s; using the built-in rules only\n", e.message);
    opt.model_dir = NULL;
    if (heard_analyzer_new(&opt, &s->an, &e) != HEARD_OK) {
        fprintf(stderr, "heard serve: %s\n", e.message);
        return -1;
    }
    return 0;
}

static void find_web(server *s)
{
    const char *env = getenv("HEARD_WEB");
    const char *dir = s->cfg.web_dir ? s->cfg.web_dir
                      : is_dir(env) ? env
                      : is_dir(HEARD_WEB_INSTDIR) ? HEARD_WEB_INSTDIR
                      : is_dir(HEARD_WEB_SRCDIR) ? HEARD_WEB_SRCDIR
                                                 : NULL;
    if (dir && is_dir(dir))
        snprintf(s->web_dir, sizeof s->web_dir, "%s", dir);
    else if (s->cfg.web_dir)
        fprintf(stderr, "heard serve: --web %s is not a directory; no dashboard\n", dir);
}

static int parse_serve(int argc, char **argv, server_config *c)
{
    *c = (server_config){.db_url = "sqlite:heard.db", .listen = "127.0.0.1:8080",
                         .threads = 4, .max_connections = 256, .timeout_s = 30,
                         .max_body = 1024 * 1024, .max_depth = 32, .max_batch = 10000};
    for (int i = 1; i < argc; i++) {
        const char *v;
        size_t n;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(SERVE_USAGE, stdout);
            return 1;
        } else if ((v = opt_value(argc, argv, &i, "--db"))) {
            c->db_url = v;
        } else if ((v = opt_value(argc, argv, &i, "--listen"))) {
            c->listen = v;
        } else if ((v = opt_value(argc, argv, &i, "--models"))) {
            c->models = v;
        } else if ((v = opt_value(argc, argv, &i, "--web"))) {
            c->web_dir = v;
        } else if ((v = opt_value(argc, argv, &i, "--public-url"))) {
            c->public_url = v;
        } else if ((v = opt_value(argc, argv, &i, "--port-file"))) {
            c->port_file = v;
        } else if ((v = opt_value(argc, argv, &i, "--sync"))) {
            if (strcmp(v, "full") != 0 && strcmp(v, "normal") != 0) {
                fprintf(stderr, "heard serve: --sync must be full or normal\n");
                return -1;
            }
            c->sync_normal = strcmp(v, "normal") == 0;
        } else if ((v = opt_value(argc, argv, &i, "--threads"))) {
            if (!parse_size(v, 1, 256, &n, "--threads"))
                return -1;
            c->threads = (unsigned)n;
        } else if ((v = opt_value(argc, argv, &i, "--max-connections"))) {
            if (!parse_size(v, 1, 65536, &n, "--max-connections"))
                return -1;
            c->max_connections = (unsigned)n;
        } else if ((v = opt_value(argc, argv, &i, "--timeout"))) {
            if (!parse_size(v, 1, 3600, &n, "--timeout"))
                return -1;
            c->timeout_s = (unsigned)n;
        } else if ((v = opt_value(argc, argv, &i, "--max-body"))) {
            if (!parse_size(v, 1024, (size_t)1 << 30, &c->max_body, "--max-body"))
                return -1;
        } else if ((v = opt_value(argc, argv, &i, "--max-depth"))) {
            if (!parse_size(v, 4, 1000, &c->max_depth, "--max-depth"))
                return -1;
        } else if ((v = opt_value(argc, argv, &i, "--max-batch"))) {
            if (!parse_size(v, 1, 10000000, &c->max_batch, "--max-batch"))
                return -1;
        } else {
            fprintf(stderr, "heard serve: unknown argument '%s'\n%s", argv[i], SERVE_USAGE);
            return -1;
        }
        if (v && !*v)
            return -1;
    }
    return 0;
}

static void server_free(server *s)
{
    for (size_t i = 0; i < s->n_ws; i++)
        heard_workspace_free(s->ws_idle[i]);
    pthread_mutex_destroy(&s->ws_lock);
    key_cache_destroy(&s->keys);
    committer_destroy(&s->commits);
    db_close(s->db);
    heard_analyzer_free(s->an);
    free(s);
}

static const char *db_label(const char *url)
{
    /* never print a PostgreSQL password */
    return strncmp(url, "postgres", 8) == 0 ? "postgresql" : url;
}

int heard_cli_serve(int argc, char **argv)
{
    server *s = calloc(1, sizeof *s);
    if (!s) {
        fprintf(stderr, "heard serve: out of memory\n");
        return 1;
    }
    pthread_mutex_init(&s->ws_lock, NULL);
    key_cache_init(&s->keys);
    committer_init(&s->commits);
    int pr = parse_serve(argc, argv, &s->cfg);
    if (pr != 0) {
        server_free(s);
        return pr > 0 ? 0 : 2;
    }
    s->started = (int64_t)time(NULL);
    if (open_analyzer(s) != 0) {
        server_free(s);
        return 1;
    }
    find_web(s);
    char err[DB_ERRLEN];
    db_options dbo = {.sqlite_sync_normal = s->cfg.sync_normal};
    if (db_open_with(s->cfg.db_url, &dbo, &s->db, err) != DB_OK) {
        fprintf(stderr, "heard serve: %s\n", err);
        server_free(s);
        return 1;
    }
    if (committer_start(&s->commits, s->db, err) != DB_OK) {
        fprintf(stderr, "heard serve: %s\n", err);
        server_free(s);
        return 1;
    }
    /* workers inherit this mask, so only the main thread takes the signals */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    char herr[512];
    unsigned port = 0;
    struct MHD_Daemon *d = http_start(s, herr, sizeof herr, &port);
    if (!d) {
        fprintf(stderr, "heard serve: %s\n", herr);
        server_free(s);
        return 1;
    }
    fprintf(stderr, "heard serve: listening on %s (port %u), database %s%s, %u threads%s\n",
            s->cfg.listen, port, db_label(s->cfg.db_url),
            s->cfg.sync_normal && db_get_kind(s->db) == DB_SQLITE ? " (synchronous=NORMAL)" : "",
            s->cfg.threads, s->web_dir[0] ? ", dashboard at /" : "");
    if (s->cfg.port_file) {
        char tmp[PATH_MAX];
        snprintf(tmp, sizeof tmp, "%s.tmp", s->cfg.port_file);
        FILE *f = fopen(tmp, "w");
        if (!f || fprintf(f, "%u\n", port) < 0 || fclose(f) != 0 ||
            rename(tmp, s->cfg.port_file) != 0)
            fprintf(stderr, "heard serve: cannot write %s\n", s->cfg.port_file);
    }
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "heard serve: signal %d, stopping\n", sig);
    /* the queued writes first: their connections are resumed and answered,
     * and later writes are made by the request threads themselves */
    committer_stop(&s->commits);
    http_stop(d);
    server_free(s);
    return 0;
}

/* ---------------------------------------------------------------- heard keys */

static int keys_list(db *d, db_conn *c)
{
    char err[DB_ERRLEN];
    db_rows rows;
    if (db_exec(d, c, "SELECT hash, role, agent, created_at, revoked FROM api_keys"
                      " ORDER BY created_at, hash", NULL, 0, &rows, err) != DB_OK) {
        fprintf(stderr, "heard keys: %s\n", err);
        return 1;
    }
    printf("%-14s %-8s %-20s %-21s %s\n", "ID", "ROLE", "AGENT", "CREATED", "STATUS");
    for (size_t i = 0; i < rows.n_rows; i++) {
        const char *agent = db_cell(&rows, i, 2), *rev = db_cell(&rows, i, 4);
        printf("%-14.12s %-8s %-20s %-21s %s\n", db_cell(&rows, i, 0), db_cell(&rows, i, 1),
               agent ? agent : "-", db_cell(&rows, i, 3),
               rev && strcmp(rev, "0") != 0 ? "revoked" : "active");
    }
    db_rows_free(&rows);
    return 0;
}

static int keys_revoke(db *d, db_conn *c, const char *id)
{
    size_t n = strlen(id);
    if (n < 8 || n > 64 || strspn(id, "0123456789abcdef") != n) {
        fprintf(stderr, "heard keys: ID must be at least 8 hex characters from 'heard keys list'\n");
        return 2;
    }
    char pattern[70], err[DB_ERRLEN];
    snprintf(pattern, sizeof pattern, "%s%%", id);
    const char *p[] = {pattern};
    db_rows rows;
    db_status st = db_begin(d, c, err);
    if (st == DB_OK)
        st = db_exec(d, c, "SELECT hash FROM api_keys WHERE hash LIKE $1", p, 1, &rows, err);
    if (st == DB_OK) {
        size_t found = rows.n_rows;
        db_rows_free(&rows);
        if (found != 1) {
            db_rollback(d, c);
            fprintf(stderr, "heard keys: %s matches %zu keys\n", id, found);
            return 1;
        }
        st = db_exec(d, c, "UPDATE api_keys SET revoked = 1 WHERE hash LIKE $1", p, 1, NULL, err);
    }
    if (st == DB_OK)
        st = db_commit(d, c, err);
    else
        db_rollback(d, c);
    if (st != DB_OK) {
        fprintf(stderr, "heard keys: %s\n", err);
        return 1;
    }
    printf("revoked %s\n", id);
    return 0;
}

int heard_cli_keys(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs(KEYS_USAGE, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *cmd = argv[1], *url = NULL, *rolename = NULL, *agent = NULL, *id = NULL;
    for (int i = 2; i < argc; i++) {
        const char *v;
        if ((v = opt_value(argc, argv, &i, "--db")))
            url = v;
        else if ((v = opt_value(argc, argv, &i, "--role")))
            rolename = v;
        else if ((v = opt_value(argc, argv, &i, "--agent")))
            agent = v;
        else if (argv[i][0] != '-' && !id)
            id = argv[i];
        else {
            fprintf(stderr, "heard keys: unknown argument '%s'\n%s", argv[i], KEYS_USAGE);
            return 2;
        }
    }
    if (!url || !*url) {
        fprintf(stderr, "heard keys: --db URL is required\n%s", KEYS_USAGE);
        return 2;
    }
    role rl = ROLE_NONE;
    if (strcmp(cmd, "create") == 0) {
        rl = role_parse(rolename);
        if (rl == ROLE_NONE) {
            fprintf(stderr, "heard keys: --role must be admin, manager or agent\n");
            return 2;
        }
        if ((rl == ROLE_AGENT) != (agent != NULL && *agent)) {
            fprintf(stderr, "heard keys: --agent ID is required for, and only for, agent keys\n");
            return 2;
        }
    } else if (strcmp(cmd, "revoke") == 0 ? !id : strcmp(cmd, "list") != 0) {
        fputs(KEYS_USAGE, stderr);
        return 2;
    }
    char err[DB_ERRLEN];
    db *d;
    if (db_open(url, &d, err) != DB_OK) {
        fprintf(stderr, "heard keys: %s\n", err);
        return 1;
    }
    db_conn *c = db_acquire(d, err);
    int rc = 1;
    if (!c) {
        fprintf(stderr, "heard keys: %s\n", err);
    } else if (strcmp(cmd, "create") == 0) {
        char key[KEY_LEN];
        if (keys_create(d, c, rl, agent, key, err) != DB_OK) {
            fprintf(stderr, "heard keys: %s\n", err);
        } else {
            printf("%s\n", key);
            fprintf(stderr, "heard keys: new %s key%s%s; it is shown only this once\n",
                    role_name(rl), agent ? " for agent " : "", agent ? agent : "");
            rc = 0;
        }
    } else if (strcmp(cmd, "list") == 0) {
        rc = keys_list(d, c);
    } else {
        rc = keys_revoke(d, c, id);
    }
    db_release(d, c);
    db_close(d);
    return rc;
}

/* latency.c - in-process latency of heard_analyze() for `make bench`:
 * analyses the conversations of a JSONL file over and over with one analyser
 * and one workspace, and reports the percentiles of one call (analysis plus
 * freeing the result; no JSON in or out), the cost per turn and per byte, and
 * the load time of heard_analyzer_new() (rules plus models).
 *
 *   bench_latency [--models DIR | --no-models] [--iters N] FILE.jsonl
 *
 * The input is parsed here with jansson, not with heard's reader, so the
 * figures isolate the analysis core. Prints one line of key=value pairs. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "heard/heard.h"
#include "heard_config.h"

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

typedef struct conv {
    heard_conversation_in in;
    heard_turn_in *turns;
    json_t *root; /* owns the text the turns point into */
} conv;

static int64_t parse_at(const char *s)
{
    struct tm tm = {0};
    int y, mo, d, h, mi, sec;
    if (!s || sscanf(s, "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &sec) != 6)
        return HEARD_NO_TIME;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    return (int64_t)timegm(&tm); /* the generator writes UTC ("Z") only */
}

static int conv_from_json(json_t *root, conv *c, size_t *bytes)
{
    json_t *turns = json_object_get(root, "turns");
    size_t n = json_array_size(turns);
    if (!n)
        return -1;
    c->root = root;
    c->turns = calloc(n, sizeof *c->turns);
    if (!c->turns)
        return -1;
    heard_channel ch = HEARD_CHAT;
    const char *chs = json_string_value(json_object_get(root, "channel"));
    if (chs && heard_channel_parse(chs, &ch) != 0)
        ch = HEARD_CHAT;
    for (size_t i = 0; i < n; i++) {
        json_t *t = json_array_get(turns, i);
        const char *sp = json_string_value(json_object_get(t, "speaker"));
        json_t *tx = json_object_get(t, "text");
        c->turns[i].speaker = sp && !strcmp(sp, "agent") ? HEARD_AGENT : HEARD_CUSTOMER;
        c->turns[i].text = json_string_value(tx);
        c->turns[i].len = json_string_length(tx);
        c->turns[i].at = parse_at(json_string_value(json_object_get(t, "at")));
        *bytes += c->turns[i].len;
    }
    c->in = (heard_conversation_in){ch, c->turns, n};
    return 0;
}

static int load(const char *path, conv **out, size_t *n_out, size_t *turns, size_t *bytes)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return -1;
    }
    conv *v = NULL;
    size_t n = 0, cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) > 0) {
        json_error_t je;
        json_t *root = json_loadb(line, (size_t)len, 0, &je);
        if (!root)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            conv *nv = realloc(v, cap * sizeof *v);
            if (!nv)
                break;
            v = nv;
        }
        if (conv_from_json(root, &v[n], bytes) != 0) {
            json_decref(root);
            continue;
        }
        *turns += v[n].in.n_turns;
        n++;
    }
    free(line);
    fclose(f);
    *out = v;
    *n_out = n;
    return n ? 0 : -1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static const char *default_models(void)
{
    const char *env = getenv("HEARD_MODELS");
    struct stat sb;
    if (env && *env)
        return env;
    if (stat(HEARD_MODELS_SRCDIR, &sb) == 0 && S_ISDIR(sb.st_mode))
        return HEARD_MODELS_SRCDIR;
    return NULL;
}

/* Median of 5 loads in ms; the first (cold) load is reported apart. */
static int load_time(const heard_options *opt, double *cold_ms, double *median_ms)
{
    double t[5];
    for (int i = 0; i < 5; i++) {
        heard_analyzer *an;
        heard_error err;
        double t0 = now_us();
        if (heard_analyzer_new(opt, &an, &err) != HEARD_OK) {
            fprintf(stderr, "bench_latency: %s\n", err.message);
            return -1;
        }
        t[i] = (now_us() - t0) / 1e3;
        heard_analyzer_free(an);
    }
    *cold_ms = t[0];
    qsort(t, 5, sizeof t[0], cmp_double);
    *median_ms = t[2];
    return 0;
}

int main(int argc, char **argv)
{
    const char *models = default_models(), *file = NULL;
    long iters = 10000;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--models") && i + 1 < argc)
            models = argv[++i];
        else if (!strcmp(argv[i], "--no-models"))
            models = NULL;
        else if (!strcmp(argv[i], "--iters") && i + 1 < argc)
            iters = atol(argv[++i]);
        else
            file = argv[i];
    }
    if (!file || iters < 1) {
        fprintf(stderr, "usage: bench_latency [--models DIR | --no-models] [--iters N] FILE.jsonl\n");
        return 2;
    }
    conv *cv;
    size_t n_conv = 0, turns = 0, bytes = 0;
    if (load(file, &cv, &n_conv, &turns, &bytes) != 0) {
        fprintf(stderr, "bench_latency: no conversation in %s\n", file);
        return 1;
    }
    heard_options opt = {.model_dir = models};
    heard_analyzer *an;
    heard_workspace *ws;
    heard_error err;
    double cold_ms, load_ms;
    if (load_time(&opt, &cold_ms, &load_ms) != 0 || heard_analyzer_new(&opt, &an, &err) != HEARD_OK ||
        heard_workspace_new(an, &ws, &err) != HEARD_OK) {
        fprintf(stderr, "bench_latency: %s\n", err.message);
        return 1;
    }
    double *lat = malloc((size_t)iters * sizeof *lat);
    if (!lat)
        return 1;
    long warm = iters / 10 + 1, failures = 0;
    size_t evidence = 0;
    for (long i = -warm; i < iters; i++) {
        const conv *c = &cv[(size_t)(i + warm) % n_conv];
        heard_result *res = NULL;
        double t0 = now_us();
        heard_status st = heard_analyze(an, ws, &c->in, &res, &err);
        if (st == HEARD_OK) {
            for (size_t k = 0; k < res->n_turns; k++)
                evidence += res->turns[k].n_evidence;
            heard_result_free(res);
        }
        double dt = now_us() - t0;
        if (i >= 0)
            lat[i] = dt;
        failures += st != HEARD_OK && i >= 0;
    }
    if (failures)
        fprintf(stderr, "bench_latency: %ld of %ld calls failed (%s)\n", failures, iters, err.message);
    double total = 0;
    for (long i = 0; i < iters; i++)
        total += lat[i];
    qsort(lat, (size_t)iters, sizeof *lat, cmp_double);
    double mean = total / (double)iters;
    double per_conv_turns = (double)turns / (double)n_conv, per_conv_bytes = (double)bytes / (double)n_conv;
    printf("file=%s conversations=%zu turns=%zu bytes=%zu iters=%ld failures=%ld models=%s "
           "load_cold_ms=%.3f load_ms=%.3f mean_us=%.2f p50_us=%.2f p90_us=%.2f p99_us=%.2f "
           "max_us=%.2f us_per_turn=%.3f ns_per_byte=%.2f evidence=%zu\n",
           file, n_conv, turns, bytes, iters, failures, models ? "yes" : "no", cold_ms, load_ms, mean,
           lat[(size_t)(iters * 50 / 100)], lat[(size_t)(iters * 90 / 100)],
           lat[(size_t)(iters * 99 / 100)], lat[iters - 1], mean / per_conv_turns,
           mean * 1e3 / per_conv_bytes, evidence);
    free(lat);
    heard_workspace_free(ws);
    heard_analyzer_free(an);
    for (size_t i = 0; i < n_conv; i++) {
        free(cv[i].turns);
        json_decref(cv[i].root);
    }
    free(cv);
    return failures ? 1 : 0;
}

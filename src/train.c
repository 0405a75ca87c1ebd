/* train.c - training data readers, feature extraction through the real
 * analysis path, and the deterministic AdaGrad trainer of the linear heads
 * (see train.h). No threads, fixed seeds, fixed orders: the same data gives
 * the same model bytes. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "error.h"
#include "analysis.h"
#include "text.h"
#include "train.h"

/* ---- corpus ------------------------------------------------------------- */

static void lconv_free(heard_lconv *c)
{
    for (size_t i = 0; i < c->conv.n_turns; i++)
        free((char *)c->turns[i].text);
    free(c->turns);
    free(c->labels);
    free(c->id);
}

void heard_corpus_free(heard_corpus *c)
{
    for (size_t i = 0; i < c->n; i++)
        lconv_free(&c->c[i]);
    free(c->c);
    memset(c, 0, sizeof *c);
}

static heard_lconv *corpus_push(heard_corpus *c, size_t n_turns)
{
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 256;
        heard_lconv *n = realloc(c->c, ncap * sizeof *n);
        if (!n)
            return NULL;
        c->c = n;
        c->cap = ncap;
    }
    heard_lconv *x = &c->c[c->n];
    memset(x, 0, sizeof *x);
    x->turns = calloc(n_turns ? n_turns : 1, sizeof *x->turns);
    x->labels = calloc(n_turns ? n_turns : 1, sizeof *x->labels);
    if (!x->turns || !x->labels) {
        free(x->turns);
        free(x->labels);
        return NULL;
    }
    for (size_t i = 0; i < n_turns; i++) {
        heard_turn_labels *l = &x->labels[i];
        l->urgency = l->bid = l->politeness = -1;
        l->emotional_reaction = l->interpretation = l->exploration = -1;
        l->ownership = l->dismissive = -1;
        x->turns[i].at = HEARD_NO_TIME;
    }
    x->conv.turns = x->turns;
    x->conv.channel = HEARD_CHAT;
    x->felt_heard = NAN;
    x->target = NAN;
    x->polite_not_empathetic = -1;
    c->n++;
    return x;
}

/* A one-turn customer conversation holding text[0..len). */
static heard_lconv *corpus_add_text(heard_corpus *c, const char *text, size_t len,
                                    const char *id, size_t id_len)
{
    heard_lconv *x = corpus_push(c, 1);
    if (!x)
        return NULL;
    char *t = malloc(len + 1);
    x->id = malloc(id_len + 1);
    if (!t || !x->id) {
        free(t);
        lconv_free(x);
        c->n--;
        return NULL;
    }
    memcpy(t, text, len);
    t[len] = 0;
    memcpy(x->id, id, id_len);
    x->id[id_len] = 0;
    x->turns[0].speaker = HEARD_CUSTOMER;
    x->turns[0].text = t;
    x->turns[0].len = len;
    x->conv.n_turns = 1;
    x->key = heard_hash(id, id_len);
    return x;
}

static char *read_file(const char *path, size_t *len, heard_error *err, heard_status *st)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        *st = heard_fail(err, HEARD_EIO, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t r = fread(buf + n, 1, cap - n, fp);
        n += r;
        if (n < cap)
            break;
        char *nb = realloc(buf, cap * 2 + 1);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    int bad = ferror(fp);
    fclose(fp);
    if (!buf || bad) {
        free(buf);
        *st = heard_fail(err, bad ? HEARD_EIO : HEARD_ENOMEM, "cannot read %s", path);
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    *st = HEARD_OK;
    return buf;
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int64_t parse_rfc3339(const char *s)
{
    int Y, M, D, h, mi, sec;
    char sep;
    int used = 0;
    if (sscanf(s, "%4d-%2d-%2d%c%2d:%2d:%2d%n", &Y, &M, &D, &sep, &h, &mi, &sec, &used) != 7)
        return HEARD_NO_TIME;
    const char *p = s + used;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    int64_t off = 0;
    if (*p == '+' || *p == '-') {
        int oh, om;
        if (sscanf(p + 1, "%2d:%2d", &oh, &om) == 2)
            off = (*p == '+' ? 1 : -1) * (int64_t)(oh * 3600 + om * 60);
    }
    if (M < 1 || M > 12 || D < 1 || D > 31)
        return HEARD_NO_TIME;
    return days_from_civil(Y, (unsigned)M, (unsigned)D) * 86400 + h * 3600 + mi * 60 + sec - off;
}

static int json_int(json_t *o, const char *k, int dflt)
{
    json_t *v = json_object_get(o, k);
    if (json_is_integer(v))
        return (int)json_integer_value(v);
    if (json_is_boolean(v))
        return json_is_true(v);
    if (json_is_real(v))
        return (int)lrint(json_real_value(v));
    return dflt;
}

static heard_status parse_conv(json_t *root, heard_corpus *c, heard_error *err)
{
    json_t *turns = json_object_get(root, "turns");
    if (!json_is_array(turns))
        return heard_fail(err, HEARD_EINVAL, "no turns array");
    size_t nt = json_array_size(turns);
    heard_lconv *x = corpus_push(c, nt);
    if (!x)
        return heard_fail(err, HEARD_ENOMEM, "out of memory");
    const char *id = json_string_value(json_object_get(root, "id"));
    x->id = strdup(id ? id : "");
    x->key = heard_hash(x->id ? x->id : "", x->id ? strlen(x->id) : 0);
    const char *ch = json_string_value(json_object_get(root, "channel"));
    if (ch)
        heard_channel_parse(ch, &x->conv.channel);
    heard_status st = x->id ? HEARD_OK : heard_fail(err, HEARD_ENOMEM, "out of memory");
    for (size_t i = 0; i < nt && st == HEARD_OK; i++) {
        json_t *t = json_array_get(turns, i);
        const char *sp = json_string_value(json_object_get(t, "speaker"));
        json_t *txt = json_object_get(t, "text");
        if (!sp || !json_is_string(txt)) {
            st = heard_fail(err, HEARD_EINVAL, "turn %zu: missing speaker or text", i);
            break;
        }
        x->turns[i].speaker = strcmp(sp, "agent") == 0 ? HEARD_AGENT : HEARD_CUSTOMER;
        size_t l = json_string_length(txt);
        char *s = malloc(l + 1);
        if (!s) {
            st = heard_fail(err, HEARD_ENOMEM, "out of memory");
            break;
        }
        memcpy(s, json_string_value(txt), l);
        s[l] = 0;
        x->turns[i].text = s;
        x->turns[i].len = l;
        x->conv.n_turns = i + 1;
        const char *at = json_string_value(json_object_get(t, "at"));
        if (at)
            x->turns[i].at = parse_rfc3339(at);
        json_t *lab = json_object_get(t, "labels");
        if (!json_is_object(lab))
            continue;
        heard_turn_labels *L = &x->labels[i];
        json_t *em = json_object_get(lab, "emotions");
        if (json_is_array(em)) {
            L->has_emotions = 1;
            for (size_t k = 0; k < json_array_size(em); k++) {
                const char *e = json_string_value(json_array_get(em, k));
                int ei = e ? heard_emotion_index(e) : -1;
                if (ei >= 0)
                    L->emotions |= 1u << ei;
            }
        }
        L->urgency = json_int(lab, "urgency", -1);
        L->bid = json_int(lab, "bid", -1);
        L->politeness = json_int(lab, "politeness", -2);
        if (L->politeness == -2)
            L->politeness = -9; /* absent: -1 is a valid value here */
        L->emotional_reaction = json_int(lab, "emotional_reaction", -1);
        L->interpretation = json_int(lab, "interpretation", -1);
        L->exploration = json_int(lab, "exploration", -1);
        L->ownership = json_int(lab, "ownership", -1);
        L->dismissive = json_int(lab, "dismissive", -1);
    }
    json_t *cl = json_object_get(root, "labels");
    if (json_is_object(cl)) {
        json_t *fh = json_object_get(cl, "felt_heard");
        if (json_is_number(fh))
            x->felt_heard = (float)json_number_value(fh);
        x->polite_not_empathetic = json_int(cl, "polite_not_empathetic", -1);
    }
    if (st != HEARD_OK) {
        lconv_free(x);
        c->n--;
    }
    return st;
}

heard_status heard_corpus_read_jsonl(const char *path, heard_corpus *c, heard_error *err)
{
    size_t len;
    heard_status st;
    char *buf = read_file(path, &len, err, &st);
    if (!buf)
        return st;
    size_t line = 0;
    for (char *p = buf; p < buf + len && st == HEARD_OK;) {
        char *nl = memchr(p, '\n', (size_t)(buf + len - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(buf + len - p);
        line++;
        size_t k = 0;
        while (k < l && (p[k] == ' ' || p[k] == '\t' || p[k] == '\r'))
            k++;
        if (k < l) {
            json_error_t je;
            json_t *root = json_loadb(p, l, 0, &je);
            if (!root) {
                st = heard_fail(err, HEARD_EINVAL, "%s:%zu: %s", path, line, je.text);
            } else {
                heard_error e2;
                st = parse_conv(root, c, &e2);
                if (st != HEARD_OK)
                    heard_fail(err, st, "%s:%zu: %s", path, line, e2.message);
                json_decref(root);
            }
        }
        p += l + 1;
    }
    free(buf);
    return st;
}

/* Split s[0..len) at tabs into at most max fields; returns the count. */
static int split_tabs(char *s, size_t len, char **f, size_t *fl, int max)
{
    int n = 0;
    size_t a = 0;
    for (size_t i = 0; i <= len && n < max; i++)
        if (i == len || s[i] == '\t') {
            f[n] = s + a;
            fl[n] = i - a;
            n++;
            a = i + 1;
        }
    return n;
}

typedef heard_status (*line_fn)(heard_corpus *c, char *line, size_t len, heard_error *err);

static heard_status for_lines(const char *path, heard_corpus *c, line_fn fn, heard_error *err)
{
    size_t len;
    heard_status st;
    char *buf = read_file(path, &len, err, &st);
    if (!buf)
        return st;
    size_t line = 0;
    for (char *p = buf; p < buf + len && st == HEARD_OK;) {
        char *nl = memchr(p, '\n', (size_t)(buf + len - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(buf + len - p);
        line++;
        if (l && p[l - 1] == '\r')
            l--;
        if (l) {
            heard_error e2;
            st = fn(c, p, l, &e2);
            if (st != HEARD_OK)
                heard_fail(err, st, "%s:%zu: %s", path, line, e2.message);
        }
        p += (nl ? (size_t)(nl - p) : l) + 1;
    }
    free(buf);
    return st;
}

static heard_status goemo_line(heard_corpus *c, char *s, size_t len, heard_error *err)
{
    char *f[3];
    size_t fl[3];
    if (split_tabs(s, len, f, fl, 3) != 3)
        return heard_fail(err, HEARD_EINVAL, "expected text, labels, id");
    size_t bad;
    if (!heard_utf8_valid(f[0], fl[0], &bad))
        return HEARD_OK; /* unusable text: skipped */
    heard_lconv *x = corpus_add_text(c, f[0], fl[0], f[2], fl[2]);
    if (!x)
        return heard_fail(err, HEARD_ENOMEM, "out of memory");
    heard_turn_labels *L = &x->labels[0];
    L->has_emotions = 1;
    for (size_t i = 0; i < fl[1];) {
        int v = 0, digits = 0;
        while (i < fl[1] && f[1][i] >= '0' && f[1][i] <= '9') {
            v = v * 10 + (f[1][i] - '0');
            i++;
            digits++;
        }
        if (digits && v < HEARD_N_EMOTIONS)
            L->emotions |= 1u << v;
        i++;
    }
    return HEARD_OK;
}

heard_status heard_corpus_read_goemotions(const char *path, heard_corpus *c, heard_error *err)
{
    return for_lines(path, c, goemo_line, err);
}

static heard_status valence_line(heard_corpus *c, char *s, size_t len, heard_error *err)
{
    char *f[3];
    size_t fl[3];
    if (split_tabs(s, len, f, fl, 3) != 3)
        return heard_fail(err, HEARD_EINVAL, "expected id, valence, text");
    char num[64];
    size_t nl = fl[1] < sizeof num - 1 ? fl[1] : sizeof num - 1;
    memcpy(num, f[1], nl);
    num[nl] = 0;
    char *end;
    double v = strtod(num, &end);
    if (end == num)
        return heard_fail(err, HEARD_EINVAL, "bad valence");
    size_t bad;
    if (!heard_utf8_valid(f[2], fl[2], &bad))
        return HEARD_OK;
    heard_lconv *x = corpus_add_text(c, f[2], fl[2], f[0], fl[0]);
    if (!x)
        return heard_fail(err, HEARD_ENOMEM, "out of memory");
    x->target = (float)(v / 4.0);
    return HEARD_OK;
}

heard_status heard_corpus_read_valence(const char *path, heard_corpus *c, heard_error *err)
{
    return for_lines(path, c, valence_line, err);
}

/* One RFC 4180 field starting at *p; unquotes in place. Returns its end
 * state: ',' more fields, '\n' end of record, 0 end of input. */
static int csv_field(char **p, char *end, char **out, size_t *len)
{
    char *s = *p, *w = s;
    *out = s;
    if (s < end && *s == '"') {
        s++;
        for (;;) {
            if (s >= end)
                break;
            if (*s == '"') {
                if (s + 1 < end && s[1] == '"') {
                    *w++ = '"';
                    s += 2;
                    continue;
                }
                s++;
                break;
            }
            *w++ = *s++;
        }
        while (s < end && *s != ',' && *s != '\n')
            s++;
    } else {
        while (s < end && *s != ',' && *s != '\n')
            *w++ = *s++;
    }
    *len = (size_t)(w - *out);
    if (*len && (*out)[*len - 1] == '\r')
        (*len)--;
    int r = s < end ? *s : 0;
    *p = s < end ? s + 1 : s;
    return r;
}

heard_status heard_corpus_read_politeness(const char *path, heard_corpus *c, heard_error *err)
{
    size_t len;
    heard_status st;
    char *buf = read_file(path, &len, err, &st);
    if (!buf)
        return st;
    char *p = buf, *end = buf + len;
    size_t rec = 0;
    while (p < end && st == HEARD_OK) {
        char *f[4];
        size_t fl[4];
        int n = 0, r = ',';
        while (r == ',') {
            char *o;
            size_t l;
            r = csv_field(&p, end, &o, &l);
            if (n < 4) {
                f[n] = o;
                fl[n] = l;
            }
            n++;
        }
        rec++;
        if (rec == 1 || n == 1)
            continue; /* header or blank line */
        if (n != 4) {
            st = heard_fail(err, HEARD_EINVAL, "%s: record %zu has %d fields, expected 4", path, rec,
                      n);
            break;
        }
        char num[64];
        size_t nl = fl[3] < sizeof num - 1 ? fl[3] : sizeof num - 1;
        memcpy(num, f[3], nl);
        num[nl] = 0;
        char *e;
        double v = strtod(num, &e);
        size_t bad;
        if (e == num || !heard_utf8_valid(f[2], fl[2], &bad))
            continue;
        heard_lconv *x = corpus_add_text(c, f[2], fl[2], f[1], fl[1]);
        if (!x) {
            st = heard_fail(err, HEARD_ENOMEM, "out of memory");
            break;
        }
        x->target = (float)v;
    }
    free(buf);
    return st;
}

/* ---- features through the analysis path --------------------------------- */

typedef struct extract_state {
    heard_dataset *ds;
    size_t expect; /* next turn index of the current conversation */
    int failed;
} extract_state;

static int ds_reserve(heard_dataset *ds, size_t nf_more)
{
    if (ds->n + 2 > ds->cap) {
        size_t ncap = ds->cap ? ds->cap * 2 : 1024;
        size_t *n = realloc(ds->off, ncap * sizeof *n);
        if (!n)
            return -1;
        ds->off = n;
        n = realloc(ds->core, ncap * sizeof *n);
        if (!n)
            return -1;
        ds->core = n;
        ds->cap = ncap;
    }
    if (ds->nf + nf_more > ds->fcap) {
        size_t ncap = ds->fcap ? ds->fcap : 1 << 16;
        while (ncap < ds->nf + nf_more)
            ncap *= 2;
        uint32_t *i = realloc(ds->id, ncap * sizeof *i);
        if (!i)
            return -1;
        ds->id = i;
        float *v = realloc(ds->val, ncap * sizeof *v);
        if (!v)
            return -1;
        ds->val = v;
        ds->fcap = ncap;
    }
    return 0;
}

static int ds_append(heard_dataset *ds, const heard_features *f)
{
    size_t nf = f ? f->n : 0;
    if (ds_reserve(ds, nf) != 0)
        return -1;
    for (size_t i = 0; i < nf; i++) {
        ds->id[ds->nf + i] = f->f[i].id;
        ds->val[ds->nf + i] = f->f[i].value;
    }
    ds->core[ds->n] = ds->nf + (f ? f->n_core : 0);
    ds->nf += nf;
    ds->n++;
    ds->off[ds->n] = ds->nf;
    return 0;
}

static void on_features(void *user, size_t turn, const heard_features *f)
{
    extract_state *s = user;
    if (s->failed)
        return;
    if (turn != s->expect || ds_append(s->ds, f) != 0) {
        s->failed = 1;
        return;
    }
    s->expect++;
}

heard_status heard_dataset_extract(const heard_analyzer *an, const heard_corpus *c,
                                   heard_dataset *ds, heard_error *err)
{
    memset(ds, 0, sizeof *ds);
    ds->conv_first = calloc(c->n + 1, sizeof *ds->conv_first);
    if (!ds->conv_first || ds_reserve(ds, 0) != 0) {
        heard_dataset_free(ds);
        return heard_fail(err, HEARD_ENOMEM, "out of memory");
    }
    ds->off[0] = 0;
    ds->n_conv = c->n;
    heard_workspace *ws;
    heard_status st = heard_workspace_new(an, &ws, err);
    if (st != HEARD_OK) {
        heard_dataset_free(ds);
        return st;
    }
    extract_state s = {ds, 0, 0};
    ws->feature_cb = on_features;
    ws->feature_user = &s;
    size_t skipped = 0;
    for (size_t i = 0; i < c->n && st == HEARD_OK; i++) {
        ds->conv_first[i] = ds->n;
        s.expect = 0;
        heard_result *res = NULL;
        heard_error e2;
        size_t before_n = ds->n, before_nf = ds->nf;
        if (heard_analyze(an, ws, &c->c[i].conv, &res, &e2) != HEARD_OK || s.failed ||
            s.expect != c->c[i].conv.n_turns) {
            if (s.failed && s.expect != (size_t)-1 && ds->n - before_n != s.expect) {
                st = heard_fail(err, HEARD_ENOMEM, "out of memory extracting features");
                break;
            }
            /* analysis refused this conversation (or the hook is missing):
             * keep its turns as empty vectors so indices stay aligned */
            ds->n = before_n;
            ds->nf = before_nf;
            s.failed = 0;
            skipped++;
            for (size_t t = 0; t < c->c[i].conv.n_turns && st == HEARD_OK; t++)
                if (ds_append(ds, NULL) != 0)
                    st = heard_fail(err, HEARD_ENOMEM, "out of memory");
        }
        heard_result_free(res);
    }
    ds->conv_first[c->n] = ds->n;
    heard_workspace_free(ws);
    if (skipped && st == HEARD_OK)
        fprintf(stderr, "heard train: %zu of %zu conversations gave no features\n", skipped,
                c->n);
    if (st != HEARD_OK)
        heard_dataset_free(ds);
    return st;
}

void heard_dataset_free(heard_dataset *ds)
{
    free(ds->off);
    free(ds->core);
    free(ds->id);
    free(ds->val);
    free(ds->conv_first);
    memset(ds, 0, sizeof *ds);
}

int heard_examples_add(heard_examples *e, size_t example, const float *y)
{
    if (e->n == e->cap) {
        size_t ncap = e->cap ? e->cap * 2 : 1024;
        size_t *i = realloc(e->idx, ncap * sizeof *i);
        if (!i)
            return -1;
        e->idx = i;
        float *v = realloc(e->y, ncap * (size_t)e->width * sizeof *v);
        if (!v)
            return -1;
        e->y = v;
        e->cap = ncap;
    }
    e->idx[e->n] = example;
    memcpy(e->y + e->n * (size_t)e->width, y, (size_t)e->width * sizeof *y);
    e->n++;
    return 0;
}

void heard_examples_free(heard_examples *e)
{
    free(e->idx);
    free(e->y);
    e->idx = NULL;
    e->y = NULL;
    e->n = e->cap = 0;
}

/* ---- statistics --------------------------------------------------------- */

float heard_pearson(const float *x, const float *y, size_t n)
{
    if (n < 2)
        return NAN;
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= (double)n;
    my /= (double)n;
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        double a = x[i] - mx, b = y[i] - my;
        sxy += a * b;
        sxx += a * a;
        syy += b * b;
    }
    if (sxx <= 0 || syy <= 0)
        return 0.0f;
    return (float)(sxy / sqrt(sxx * syy));
}

typedef struct rank_item {
    float v;
    size_t i;
} rank_item;

static int cmp_rank(const void *a, const void *b)
{
    const rank_item *x = a, *y = b;
    if (x->v < y->v)
        return -1;
    if (x->v > y->v)
        return 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static int ranks(const float *x, size_t n, float *r)
{
    rank_item *it = malloc(n * sizeof *it);
    if (!it)
        return -1;
    for (size_t i = 0; i < n; i++) {
        it[i].v = x[i];
        it[i].i = i;
    }
    qsort(it, n, sizeof *it, cmp_rank);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && it[j + 1].v == it[i].v)
            j++;
        float avg = (float)(i + j) / 2.0f + 1.0f;
        for (size_t k = i; k <= j; k++)
            r[it[k].i] = avg;
        i = j + 1;
    }
    free(it);
    return 0;
}

float heard_spearman(const float *x, const float *y, size_t n)
{
    float *rx = malloc((n ? n : 1) * sizeof *rx), *ry = malloc((n ? n : 1) * sizeof *ry);
    float r = NAN;
    if (rx && ry && ranks(x, n, rx) == 0 && ranks(y, n, ry) == 0)
        r = heard_pearson(rx, ry, n);
    free(rx);
    free(ry);
    return r;
}

/* ---- trainer ------------------------------------------------------------ */

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static float sigm(float z)
{
    return 1.0f / (1.0f + expf(-z));
}

void heard_head_scores(const heard_head_model *m, const heard_dataset *ds, size_t ex, float *z)
{
    uint32_t mask = (1u << m->bits) - 1u;
    int n = m->n_out;
    for (int o = 0; o < n; o++)
        z[o] = m->bias[o];
    size_t end = m->core_only && ds->core ? ds->core[ex] : ds->off[ex + 1];
    for (size_t k = ds->off[ex]; k < end; k++) {
        const float *row = m->w + (size_t)(ds->id[k] & mask) * (size_t)n;
        float v = ds->val[k];
        for (int o = 0; o < n; o++)
            z[o] += row[o] * v;
    }
}

static void probs(const heard_head_model *m, const float *z, float *p)
{
    if (m->kind == HEARD_KIND_MULTICLASS) {
        float mx = z[0];
        for (int k = 1; k < m->n_out; k++)
            mx = z[k] > mx ? z[k] : mx;
        float s = 0;
        for (int k = 0; k < m->n_out; k++)
            s += (p[k] = expf(z[k] - mx));
        for (int k = 0; k < m->n_out; k++)
            p[k] /= s;
    } else if (m->kind == HEARD_KIND_REGRESSION) {
        p[0] = z[0] < m->lo ? m->lo : z[0] > m->hi ? m->hi : z[0];
    } else {
        for (int k = 0; k < m->n_out; k++)
            p[k] = sigm(z[k]);
    }
}

typedef struct scored {
    float p;
    int y;
} scored;

static int cmp_scored(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->p > y->p)
        return -1;
    if (x->p < y->p)
        return 1;
    return y->y - x->y;
}

/* Threshold maximising F1 over (p, y) pairs (sorted in place). */
static float best_threshold(scored *s, size_t n, float *f1_out)
{
    qsort(s, n, sizeof *s, cmp_scored);
    size_t pos = 0;
    for (size_t i = 0; i < n; i++)
        pos += s[i].y;
    float best = 0, thr = 0.5f;
    size_t tp = 0;
    for (size_t i = 0; i < n; i++) {
        tp += s[i].y;
        if (i + 1 < n && s[i + 1].p == s[i].p)
            continue;
        float f1 = pos ? 2.0f * (float)tp / (float)(i + 1 + pos) : 0;
        if (f1 > best) {
            best = f1;
            thr = i + 1 < n ? (s[i].p + s[i + 1].p) / 2 : s[i].p;
        }
    }
    if (f1_out)
        *f1_out = best;
    return thr;
}

/* Per-output (p, y) of a multilabel/binary head over ex. */
static scored *collect(const heard_head_model *m, const heard_examples *ex)
{
    int n = m->n_out;
    scored *s = malloc((ex->n ? ex->n : 1) * (size_t)n * sizeof *s);
    if (!s)
        return NULL;
    float z[64], p[64];
    for (size_t i = 0; i < ex->n; i++) {
        heard_head_scores(m, ex->ds, ex->idx[i], z);
        probs(m, z, p);
        for (int o = 0; o < n; o++) {
            s[(size_t)o * ex->n + i].p = p[o];
            s[(size_t)o * ex->n + i].y = ex->y[i * (size_t)ex->width + (size_t)o] > 0.5f;
        }
    }
    return s;
}

void heard_head_tune_thresholds(heard_head_model *m, const heard_examples *ex)
{
    if (m->kind != HEARD_KIND_BINARY && m->kind != HEARD_KIND_MULTILABEL)
        return;
    scored *s = collect(m, ex);
    if (!s)
        return;
    for (int o = 0; o < m->n_out; o++) {
        float t = best_threshold(s + (size_t)o * ex->n, ex->n, NULL);
        m->thr[o] = t < 0.02f ? 0.02f : t > 0.98f ? 0.98f : t;
    }
    free(s);
}

/* Out-of-fold probabilities of the k folds of tr (example i is in fold
 * i % k) into s (per output, tr->n rows from row 0 of a table of `rows`):
 * each fold's head is trained like m, for m's epochs, on the other folds. */
static heard_status oof_scores(const heard_head_model *m, const heard_train_cfg *cfg,
                               const heard_examples *tr, int k, scored *s, size_t rows,
                               heard_error *err)
{
    heard_train_cfg c = *cfg;
    c.epochs = m->epochs;
    c.quiet = 1;
    float z[64], p[64];
    for (int f = 0; f < k; f++) {
        heard_examples sub = {.ds = tr->ds, .width = tr->width};
        heard_head_model fm;
        for (size_t i = 0; i < tr->n; i++)
            if ((int)(i % (size_t)k) != f &&
                heard_examples_add(&sub, tr->idx[i], tr->y + i * (size_t)tr->width) != 0) {
                heard_examples_free(&sub);
                return heard_fail(err, HEARD_ENOMEM, "out of memory training");
            }
        heard_status st = heard_train_head(&c, &sub, NULL, &fm, err);
        heard_examples_free(&sub);
        if (st != HEARD_OK)
            return st;
        for (size_t i = (size_t)f; i < tr->n; i += (size_t)k) {
            heard_head_scores(&fm, tr->ds, tr->idx[i], z);
            probs(&fm, z, p);
            for (int o = 0; o < m->n_out; o++) {
                s[(size_t)o * rows + i].p = p[o];
                s[(size_t)o * rows + i].y = tr->y[i * (size_t)tr->width + (size_t)o] > 0.5f;
            }
        }
        heard_head_model_free(&fm);
    }
    return HEARD_OK;
}

heard_status heard_head_tune_thresholds_pooled(heard_head_model *m, const heard_train_cfg *cfg,
                                               const heard_examples *tr,
                                               const heard_examples *dev, int k,
                                               heard_error *err)
{
    if (m->kind != HEARD_KIND_BINARY && m->kind != HEARD_KIND_MULTILABEL)
        return HEARD_OK;
    if (k < 2 || (size_t)k > tr->n)
        return heard_fail(err, HEARD_EINVAL, "bad number of folds");
    size_t rows = tr->n + dev->n;
    scored *s = malloc(rows * (size_t)m->n_out * sizeof *s);
    scored *d = collect(m, dev);
    if (!s || !d) {
        free(s);
        free(d);
        return heard_fail(err, HEARD_ENOMEM, "out of memory training");
    }
    heard_status st = oof_scores(m, cfg, tr, k, s, rows, err);
    if (st == HEARD_OK)
        for (int o = 0; o < m->n_out; o++) {
            memcpy(s + (size_t)o * rows + tr->n, d + (size_t)o * dev->n,
                   dev->n * sizeof *s);
            float t = best_threshold(s + (size_t)o * rows, rows, NULL);
            m->thr[o] = t < 0.02f ? 0.02f : t > 0.98f ? 0.98f : t;
        }
    free(s);
    free(d);
    return st;
}

float heard_head_metric(const heard_head_model *m, const heard_examples *ex)
{
    if (!ex || ex->n == 0)
        return NAN;
    int n = m->n_out;
    if (m->kind == HEARD_KIND_BINARY || m->kind == HEARD_KIND_MULTILABEL) {
        scored *s = collect(m, ex);
        if (!s)
            return NAN;
        float sum = 0;
        for (int o = 0; o < n; o++) {
            float f1;
            best_threshold(s + (size_t)o * ex->n, ex->n, &f1);
            sum += f1;
        }
        free(s);
        return sum / (float)n;
    }
    float z[64], p[64];
    if (m->kind == HEARD_KIND_REGRESSION) {
        float *a = malloc(ex->n * sizeof *a), *b = malloc(ex->n * sizeof *b);
        float r = NAN;
        if (a && b) {
            for (size_t i = 0; i < ex->n; i++) {
                heard_head_scores(m, ex->ds, ex->idx[i], z);
                probs(m, z, p);
                a[i] = p[0];
                b[i] = ex->y[i * (size_t)ex->width];
            }
            r = heard_pearson(a, b, ex->n);
        }
        free(a);
        free(b);
        return r;
    }
    size_t tp[64] = {0}, fp[64] = {0}, fn[64] = {0};
    for (size_t i = 0; i < ex->n; i++) {
        heard_head_scores(m, ex->ds, ex->idx[i], z);
        int b = 0;
        for (int k = 1; k < n; k++)
            if (z[k] > z[b])
                b = k;
        int y = (int)ex->y[i * (size_t)ex->width];
        if (b == y)
            tp[b]++;
        else {
            fp[b]++;
            if (y >= 0 && y < n)
                fn[y]++;
        }
    }
    float sum = 0;
    for (int k = 0; k < n; k++)
        sum += tp[k] ? 2.0f * (float)tp[k] / (float)(2 * tp[k] + fp[k] + fn[k]) : 0.0f;
    return sum / (float)n;
}

static void quantize(heard_head_model *m)
{
    size_t rows = (size_t)1 << m->bits;
    int n = m->n_out;
    for (int o = 0; o < n; o++) {
        float mx = 0;
        for (size_t r = 0; r < rows; r++) {
            float a = fabsf(m->w[r * (size_t)n + (size_t)o]);
            mx = a > mx ? a : mx;
        }
        if (mx <= 0)
            continue;
        float sc = mx / 127.0f;
        for (size_t r = 0; r < rows; r++) {
            float *w = &m->w[r * (size_t)n + (size_t)o];
            *w = (float)lrintf(*w / sc) * sc;
        }
    }
}

/* Class weights: 1/sqrt(relative frequency), normalised to mean 1. */
static void class_weights(const heard_train_cfg *cfg, const heard_examples *tr, float *cw)
{
    int k = cfg->kind == HEARD_KIND_MULTICLASS ? cfg->n_out : 2;
    double cnt[64] = {0};
    for (int c = 0; c < 64; c++)
        cw[c] = 1.0f;
    if (!cfg->balanced || (cfg->kind != HEARD_KIND_MULTICLASS && cfg->kind != HEARD_KIND_BINARY))
        return;
    for (size_t i = 0; i < tr->n; i++) {
        int y = (int)(tr->y[i * (size_t)tr->width] + 0.5f);
        if (y >= 0 && y < k)
            cnt[y] += 1;
    }
    double sum = 0;
    for (int c = 0; c < k; c++) {
        cw[c] = cnt[c] > 0 ? (float)sqrt((double)tr->n / (k * cnt[c])) : 1.0f;
        sum += cw[c];
    }
    for (int c = 0; c < k; c++)
        cw[c] = (float)(cw[c] * k / sum);
}

static void sgd_step(heard_head_model *m, float *G, float *Gb, const heard_train_cfg *cfg,
                     const heard_examples *tr, size_t i, const float *cw)
{
    int n = m->n_out;
    float z[64], p[64], g[64];
    size_t ex = tr->idx[i];
    const float *y = tr->y + i * (size_t)tr->width;
    heard_head_scores(m, tr->ds, ex, z);
    switch (m->kind) {
    case HEARD_KIND_MULTICLASS: {
        probs(m, z, p);
        int c = (int)y[0];
        for (int k = 0; k < n; k++)
            g[k] = (p[k] - (k == c ? 1.0f : 0.0f)) * cw[c];
        break;
    }
    case HEARD_KIND_REGRESSION:
        g[0] = z[0] - y[0];
        g[0] = g[0] > 2 ? 2 : g[0] < -2 ? -2 : g[0];
        break;
    case HEARD_KIND_BINARY:
        g[0] = (sigm(z[0]) - y[0]) * cw[y[0] > 0.5f];
        break;
    default:
        for (int k = 0; k < n; k++)
            g[k] = sigm(z[k]) - y[k];
    }
    const float eps = 1e-8f, lr = cfg->lr, l2 = cfg->l2;
    for (int k = 0; k < n; k++) {
        Gb[k] += g[k] * g[k];
        m->bias[k] -= lr * g[k] / (sqrtf(Gb[k]) + eps);
    }
    uint32_t mask = (1u << m->bits) - 1u;
    const heard_dataset *ds = tr->ds;
    size_t end = m->core_only && ds->core ? ds->core[ex] : ds->off[ex + 1];
    for (size_t f = ds->off[ex]; f < end; f++) {
        size_t r = (size_t)(ds->id[f] & mask) * (size_t)n;
        float v = ds->val[f];
        float *w = m->w + r, *gg = G + r;
        const float *w0 = cfg->init_w ? cfg->init_w + r : NULL;
        for (int k = 0; k < n; k++) {
            float gw = g[k] * v + l2 * (w0 ? w[k] - w0[k] : w[k]);
            gg[k] += gw * gw;
            w[k] -= lr * gw / (sqrtf(gg[k]) + eps);
        }
    }
}

/* One AdaGrad run with the given shuffle seed, float weights (no rounding,
 * no thresholds). */
static heard_status train_run(const heard_train_cfg *cfg, const heard_examples *tr,
                              const heard_examples *dev, uint64_t seed, heard_head_model *m,
                              heard_error *err)
{
    memset(m, 0, sizeof *m);
    if (cfg->n_out < 1 || cfg->n_out > 64 || cfg->hash_bits < 1 ||
        cfg->hash_bits > HEARD_MODEL_MAX_BITS)
        return heard_fail(err, HEARD_EINVAL, "bad training configuration");
    m->kind = cfg->kind;
    m->n_out = cfg->n_out;
    m->bits = cfg->hash_bits;
    m->lo = cfg->lo;
    m->hi = cfg->hi;
    m->core_only = cfg->core_only;
    m->dev_score = NAN;
    for (int o = 0; o < 64; o++)
        m->thr[o] = 0.5f;
    size_t nw = ((size_t)1 << cfg->hash_bits) * (size_t)cfg->n_out;
    m->w = calloc(nw, sizeof *m->w);
    float *G = calloc(nw, sizeof *G);
    float *best = dev ? malloc(nw * sizeof *best) : NULL;
    size_t *order = malloc((tr->n ? tr->n : 1) * sizeof *order);
    if (!m->w || !G || (dev && !best) || !order) {
        free(G);
        free(best);
        free(order);
        heard_head_model_free(m);
        return heard_fail(err, HEARD_ENOMEM, "out of memory training");
    }
    float Gb[64] = {0}, best_bias[64] = {0}, cw[64];
    class_weights(cfg, tr, cw);
    /* start the bias at the base rate so early epochs learn features */
    if (m->kind == HEARD_KIND_MULTILABEL || m->kind == HEARD_KIND_BINARY) {
        for (int o = 0; o < m->n_out; o++) {
            double pos = 0;
            for (size_t i = 0; i < tr->n; i++)
                pos += tr->y[i * (size_t)tr->width + (size_t)o] > 0.5f;
            double r = (pos + 1) / ((double)tr->n + 2);
            m->bias[o] = (float)log(r / (1 - r));
        }
    }
    if (cfg->init_w)
        memcpy(m->w, cfg->init_w, nw * sizeof *m->w);
    if (cfg->init_bias)
        memcpy(m->bias, cfg->init_bias, (size_t)m->n_out * sizeof *m->bias);
    float best_score = -INFINITY;
    int best_epoch = 0, since = 0;
    uint64_t rng = seed;
    for (size_t i = 0; i < tr->n; i++)
        order[i] = i;
    for (int ep = 1; ep <= cfg->epochs; ep++) {
        for (size_t i = tr->n; i > 1; i--) {
            size_t j = (size_t)(splitmix(&rng) % i);
            size_t t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
        for (size_t i = 0; i < tr->n; i++)
            sgd_step(m, G, Gb, cfg, tr, order[i], cw);
        if (!dev)
            continue;
        float sc = heard_head_metric(m, dev);
        if (!cfg->quiet)
            fprintf(stderr, "  epoch %d: dev %.4f\n", ep, sc);
        if (sc > best_score) {
            best_score = sc;
            best_epoch = ep;
            since = 0;
            memcpy(best, m->w, nw * sizeof *best);
            memcpy(best_bias, m->bias, sizeof best_bias);
        } else if (++since >= cfg->patience) {
            break;
        }
    }
    if (dev && best_epoch > 0) {
        memcpy(m->w, best, nw * sizeof *best);
        memcpy(m->bias, best_bias, sizeof best_bias);
        m->epochs = best_epoch;
    } else {
        m->epochs = cfg->epochs;
    }
    free(G);
    free(best);
    free(order);
    return HEARD_OK;
}

heard_status heard_train_head(const heard_train_cfg *cfg, const heard_examples *tr,
                              const heard_examples *dev, heard_head_model *m, heard_error *err)
{
    heard_status st = train_run(cfg, tr, dev, cfg->seed, m, err);
    if (st != HEARD_OK)
        return st;
    /* bagging by shuffle order: the mean of the weights of runs that differ
     * only in their seed. A linear head's logits are then the mean of the
     * runs' logits, so this costs nothing when analysing; it takes out the
     * run-to-run noise that a few hundred examples leave in SGD. (With dev,
     * each run would stop at its own best epoch: not bagged.) */
    int bag = dev ? 1 : cfg->bag;
    size_t nw = ((size_t)1 << m->bits) * (size_t)m->n_out;
    uint64_t sm = cfg->seed;
    for (int b = 1; b < bag; b++) {
        heard_head_model r;
        if ((st = train_run(cfg, tr, NULL, splitmix(&sm), &r, err)) != HEARD_OK) {
            heard_head_model_free(m);
            return st;
        }
        for (size_t i = 0; i < nw; i++)
            m->w[i] += r.w[i];
        for (int o = 0; o < m->n_out; o++)
            m->bias[o] += r.bias[o];
        heard_head_model_free(&r);
    }
    if (bag > 1) {
        for (size_t i = 0; i < nw; i++)
            m->w[i] /= (float)bag;
        for (int o = 0; o < m->n_out; o++)
            m->bias[o] /= (float)bag;
    }
    quantize(m);
    if (dev) {
        heard_head_tune_thresholds(m, dev);
        m->dev_score = heard_head_metric(m, dev);
    }
    return HEARD_OK;
}

void heard_head_model_free(heard_head_model *m)
{
    free(m->w);
    m->w = NULL;
}

heard_head_data heard_head_data_of(const heard_head_model *m, const char *name)
{
    heard_head_data d;
    memset(&d, 0, sizeof d);
    d.name = name;
    d.kind = m->kind;
    d.n_outputs = m->n_out;
    d.hash_bits = m->bits;
    d.quantize = 1;
    d.lo = m->lo;
    d.hi = m->hi;
    d.bias = m->bias;
    d.threshold = m->thr;
    d.weights = m->w;
    return d;
}

float heard_best_threshold(const float *p, const uint8_t *y, size_t n, float *f1)
{
    scored *s = malloc((n ? n : 1) * sizeof *s);
    if (!s)
        return 0.5f;
    for (size_t i = 0; i < n; i++) {
        s[i].p = p[i];
        s[i].y = y[i];
    }
    float t = best_threshold(s, n, f1);
    free(s);
    return t < 0.02f ? 0.02f : t > 0.98f ? 0.98f : t;
}

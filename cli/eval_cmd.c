/* eval_cmd.c - `heard eval`: scores the analyser on the shared development
 * data through the same heard_analyze() path as `heard analyze`, rules only
 * and rules + model side by side: GoEmotions dev (28 labels, Ekman and
 * sentiment groups), politeness on the fixed held-out 20%, Pearson r on the
 * valence sets, and every cs-corpus label (optionally by k-fold
 * cross-validation of the model heads, since cs-corpus is training data). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis.h"
#include "cli.h"
#include "train.h"


#define N_RUNS 2
typedef struct runs {
    const char *name[N_RUNS];
    heard_analyzer *an[N_RUNS];
    int n;
} runs;

typedef struct prf {
    size_t tp, fp, fn, n; /* n: labelled examples */
} prf;

static void prf_add(prf *p, int pred, int gold)
{
    p->n++;
    p->tp += pred && gold;
    p->fp += pred && !gold;
    p->fn += !pred && gold;
}

static float prec(prf p) { return p.tp + p.fp ? (float)p.tp / (float)(p.tp + p.fp) : 0.0f; }
static float rec(prf p) { return p.tp + p.fn ? (float)p.tp / (float)(p.tp + p.fn) : 0.0f; }
static float f1(prf p)
{
    return p.tp ? 2.0f * (float)p.tp / (float)(2 * p.tp + p.fp + p.fn) : 0.0f;
}

static heard_result **analyse_all(const heard_analyzer *an, const heard_corpus *c)
{
    heard_result **r = calloc(c->n ? c->n : 1, sizeof *r);
    heard_workspace *ws;
    heard_error err;
    if (!r || heard_workspace_new(an, &ws, &err) != HEARD_OK) {
        free(r);
        return NULL;
    }
    for (size_t i = 0; i < c->n; i++)
        if (heard_analyze(an, ws, &c->c[i].conv, &r[i], &err) != HEARD_OK)
            r[i] = NULL;
    heard_workspace_free(ws);
    return r;
}

static void free_results(heard_result **r, size_t n)
{
    if (!r)
        return;
    for (size_t i = 0; i < n; i++)
        heard_result_free(r[i]);
    free(r);
}

static void header(const runs *R, const char *title, const char *cols)
{
    printf("\n### %s\n\n| |", title);
    for (int k = 0; k < R->n; k++)
        printf(" %s %s |", R->name[k], cols);
    printf("\n|---|");
    for (int k = 0; k < R->n; k++)
        printf("---|");
    printf("\n");
}

static void prf_row(const runs *R, const char *name, const prf *p)
{
    printf("| %s |", name);
    for (int k = 0; k < R->n; k++)
        printf(" %.3f %.3f **%.3f** |", prec(p[k]), rec(p[k]), f1(p[k]));
    printf("\n");
}

static void value_row(const runs *R, const char *name, const float *v)
{
    printf("| %s |", name);
    for (int k = 0; k < R->n; k++)
        printf(" **%.3f** |", v[k]);
    printf("\n");
}

/* ---- GoEmotions ---------------------------------------------------------- */

/* Ekman group of each label: 0 anger 1 disgust 2 fear 3 joy 4 sadness
 * 5 surprise 6 neutral; sentiment: 0 positive 1 negative 2 ambiguous 3 neutral */
static int ekman_of(int e)
{
    static const char *const g[] = {"anger", "annoyance", "disapproval", NULL, "disgust", NULL,
                                    "fear", "nervousness", NULL, "sadness", "disappointment",
                                    "embarrassment", "grief", "remorse", NULL, "surprise",
                                    "realization", "confusion", "curiosity", NULL};
    static const int gid[] = {0, 0, 0, -1, 1, -1, 2, 2, -1, 4, 4, 4, 4, 4, -1, 5, 5, 5, 5, -1};
    const char *n = heard_emotion_name(e);
    if (e == HEARD_N_EMOTIONS - 1)
        return 6;
    for (size_t i = 0; i < sizeof gid / sizeof gid[0]; i++)
        if (g[i] && strcmp(g[i], n) == 0)
            return gid[i];
    return 3;
}

static int sentiment_of(int e)
{
    static const int s[] = {1, 1, 1, 0, 1, 2, 3}; /* by Ekman group */
    return s[ekman_of(e)];
}

static unsigned groups(uint32_t labels, int (*of)(int))
{
    unsigned g = 0;
    for (int e = 0; e < HEARD_N_EMOTIONS; e++)
        if (labels & (1u << e))
            g |= 1u << of(e);
    return g;
}

static void eval_goemotions(const runs *R, const char *data)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/goemotions/dev.tsv", data);
    heard_corpus c = {0};
    heard_error err;
    if (heard_corpus_read_goemotions(p, &c, &err) != HEARD_OK) {
        printf("\n(GoEmotions dev not available: %s)\n", err.message);
        return;
    }
    prf lab[N_RUNS][HEARD_N_EMOTIONS], ek[N_RUNS][7], se[N_RUNS][4];
    memset(lab, 0, sizeof lab);
    memset(ek, 0, sizeof ek);
    memset(se, 0, sizeof se);
    for (int k = 0; k < R->n; k++) {
        heard_result **r = analyse_all(R->an[k], &c);
        for (size_t i = 0; r && i < c.n; i++) {
            uint32_t pred = r[i] ? r[i]->turns[0].emotion_labels : 1u << 27;
            uint32_t gold = c.c[i].labels[0].emotions;
            for (int e = 0; e < HEARD_N_EMOTIONS; e++)
                prf_add(&lab[k][e], (pred >> e) & 1, (gold >> e) & 1);
            unsigned pe = groups(pred, ekman_of), ge = groups(gold, ekman_of);
            for (int g = 0; g < 7; g++)
                prf_add(&ek[k][g], (pe >> g) & 1, (ge >> g) & 1);
            unsigned ps = groups(pred, sentiment_of), gs = groups(gold, sentiment_of);
            for (int g = 0; g < 4; g++)
                prf_add(&se[k][g], (ps >> g) & 1, (gs >> g) & 1);
        }
        free_results(r, c.n);
    }
    header(R, "GoEmotions dev (5,426 comments): emotion labels", "P R F1");
    prf row[N_RUNS];
    float macro[N_RUNS] = {0}, mek[N_RUNS] = {0}, mse[N_RUNS] = {0};
    for (int e = 0; e < HEARD_N_EMOTIONS; e++) {
        for (int k = 0; k < R->n; k++) {
            row[k] = lab[k][e];
            macro[k] += f1(lab[k][e]) / HEARD_N_EMOTIONS;
        }
        prf_row(R, heard_emotion_name(e), row);
    }
    value_row(R, "macro-F1 (28 labels)", macro);
    static const char *const ekn[] = {"anger", "disgust", "fear", "joy", "sadness", "surprise",
                                      "neutral"};
    header(R, "GoEmotions dev: Ekman groups", "P R F1");
    for (int g = 0; g < 7; g++) {
        for (int k = 0; k < R->n; k++) {
            row[k] = ek[k][g];
            mek[k] += f1(ek[k][g]) / 7;
        }
        prf_row(R, ekn[g], row);
    }
    value_row(R, "macro-F1 (Ekman)", mek);
    static const char *const sen[] = {"positive", "negative", "ambiguous", "neutral"};
    header(R, "GoEmotions dev: sentiment groups", "P R F1");
    for (int g = 0; g < 4; g++) {
        for (int k = 0; k < R->n; k++) {
            row[k] = se[k][g];
            mse[k] += f1(se[k][g]) / 4;
        }
        prf_row(R, sen[g], row);
    }
    value_row(R, "macro-F1 (sentiment groups)", mse);
    heard_corpus_free(&c);
}

/* ---- politeness and valence ---------------------------------------------- */

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

static void eval_politeness(const runs *R, const char *data)
{
    static const char *const files[] = {"wikipedia", "stack-exchange"};
    header(R, "Politeness: held-out 20% (split by Id hash), top vs bottom quartile, by sign",
           "accuracy (n)");
    for (int f = 0; f < 2; f++) {
        char p[PATH_MAX];
        snprintf(p, sizeof p, "%s/politeness/%s.train.csv", data, files[f]);
        heard_corpus c = {0}, h = {0};
        heard_error err;
        if (heard_corpus_read_politeness(p, &c, &err) != HEARD_OK) {
            printf("| %s | (not available) |\n", files[f]);
            continue;
        }
        float *s = malloc((c.n ? c.n : 1) * sizeof *s);
        for (size_t i = 0; s && i < c.n; i++)
            s[i] = c.c[i].target;
        if (s)
            qsort(s, c.n, sizeof *s, cmp_float);
        float q1 = s && c.n ? s[c.n / 4] : 0, q3 = s && c.n ? s[(3 * c.n) / 4] : 0;
        free(s);
        /* the held-out extremes form their own corpus (texts are borrowed) */
        h.c = calloc(c.n ? c.n : 1, sizeof *h.c);
        for (size_t i = 0; h.c && i < c.n; i++)
            if (heard_split_bucket(c.c[i].key) < 20 &&
                (c.c[i].target <= q1 || c.c[i].target >= q3))
                h.c[h.n++] = c.c[i];
        float acc[N_RUNS] = {0}, acc_pol[N_RUNS] = {0}, acc_imp[N_RUNS] = {0};
        for (int k = 0; k < R->n; k++) {
            heard_result **r = analyse_all(R->an[k], &h);
            size_t right = 0, rp = 0, ri = 0, np = 0;
            for (size_t i = 0; r && i < h.n; i++) {
                int gold = h.c[i].target >= q3;
                np += gold;
                if (!r[i])
                    continue;
                int ok = (r[i]->turns[0].politeness > 0) == gold;
                right += ok;
                rp += ok && gold;
                ri += ok && !gold;
            }
            acc[k] = h.n ? (float)right / (float)h.n : 0;
            acc_pol[k] = np ? (float)rp / (float)np : 0;
            acc_imp[k] = h.n > np ? (float)ri / (float)(h.n - np) : 0;
            free_results(r, h.n);
        }
        printf("| %s |", files[f]);
        for (int k = 0; k < R->n; k++)
            printf(" **%.3f** (%zu; polite %.3f, impolite %.3f) |", acc[k], h.n, acc_pol[k],
                   acc_imp[k]);
        printf("\n");
        free(h.c);
        heard_corpus_free(&c);
    }
}

static void eval_valence(const runs *R, const char *data)
{
    static const char *const files[] = {"amazonReviewSnippets", "movieReviewSnippets",
                                        "nytEditorialSnippets"};
    header(R, "Sentiment: Pearson r with human valence, held-out 20% (by id hash)", "r (n)");
    for (int f = 0; f < 3; f++) {
        char p[PATH_MAX];
        snprintf(p, sizeof p, "%s/valence/%s_GroundTruth.txt", data, files[f]);
        heard_corpus c = {0}, h = {0};
        heard_error err;
        if (heard_corpus_read_valence(p, &c, &err) != HEARD_OK) {
            printf("| %s | (not available) |\n", files[f]);
            continue;
        }
        h.c = calloc(c.n ? c.n : 1, sizeof *h.c);
        for (size_t i = 0; h.c && i < c.n; i++)
            if (heard_split_bucket(c.c[i].key) < 20)
                h.c[h.n++] = c.c[i];
        float *x = malloc((h.n ? h.n : 1) * sizeof *x), *y = malloc((h.n ? h.n : 1) * sizeof *y);
        printf("| %s |", files[f]);
        for (int k = 0; k < R->n && x && y; k++) {
            heard_result **r = analyse_all(R->an[k], &h);
            for (size_t i = 0; i < h.n; i++) {
                x[i] = r && r[i] ? r[i]->turns[0].sentiment : 0.0f;
                y[i] = h.c[i].target;
            }
            printf(" **%.3f** (%zu) |", heard_pearson(x, y, h.n), h.n);
            free_results(r, h.n);
        }
        printf("\n");
        free(x);
        free(y);
        free(h.c);
        heard_corpus_free(&c);
    }
}

/* ---- cs-corpus ------------------------------------------------------------ */

typedef struct cs_scores {
    size_t conf[5][3][3]; /* urgency, ER, IP, EX, highest urgency: [gold][pred] */
    prf bid, own, dis, missed, pne;
    float *fh_pred, *fh_gold;
    size_t n_fh;
    FILE *dump; /* per-turn gold and predictions (--dump), or NULL */
} cs_scores;

static void conf_add(size_t m[3][3], int gold, int pred)
{
    if (gold >= 0 && gold < 3 && pred >= 0 && pred < 3)
        m[gold][pred]++;
}

static float conf_macro_f1(size_t m[3][3], float *per)
{
    float s = 0;
    for (int c = 0; c < 3; c++) {
        size_t tp = m[c][c], fp = 0, fn = 0;
        for (int o = 0; o < 3; o++)
            if (o != c) {
                fp += m[o][c];
                fn += m[c][o];
            }
        float f = tp ? 2.0f * (float)tp / (float)(2 * tp + fp + fn) : 0.0f;
        if (per)
            per[c] = f;
        s += f;
    }
    return s / 3;
}

/* One TSV line per turn: id, turn, speaker, then gold/predicted pairs
 * (customer: urgency, bid, missed; agent: ER, IP, EX, ownership,
 * dismissive), then the text; a conversation line gives felt_heard and
 * polite_not_empathetic. For reading the errors, not for the tables. */
static void dump_conv(FILE *f, const heard_lconv *c, const heard_result *r,
                      const uint8_t *pmissed)
{
    fprintf(f, "%s\t-\tconv\tfh=%.1f/%.2f\tpne=%d/%d\n", c->id ? c->id : "?",
            (double)c->felt_heard, (double)r->felt_heard, c->polite_not_empathetic,
            (r->flags & HEARD_FLAG_POLITE_NOT_EMPATHETIC) != 0);
    for (size_t t = 0; t < c->conv.n_turns; t++) {
        const heard_turn_labels *L = &c->labels[t];
        const heard_turn_result *T = &r->turns[t];
        const heard_turn_in *in = &c->turns[t];
        fprintf(f, "%s\t%zu\t", c->id ? c->id : "?", t);
        if (in->speaker == HEARD_CUSTOMER)
            fprintf(f, "C\tu=%d/%d\tbid=%d/%d\tmissed=%d", L->urgency, T->urgency, L->bid,
                    T->bid, pmissed ? pmissed[t] : 0);
        else
            fprintf(f, "A\ter=%d/%d\tip=%d/%d\tex=%d/%d\town=%d/%d\tdis=%d/%d",
                    L->emotional_reaction, T->emotional_reaction, L->interpretation,
                    T->interpretation, L->exploration, T->exploration, L->ownership,
                    T->ownership, L->dismissive, T->dismissive);
        fprintf(f, "\tsent=%.2f\tpol=%.2f\t", (double)T->sentiment, (double)T->politeness);
        for (size_t k = 0; k < T->n_evidence; k++)
            fprintf(f, "%s%s", k ? "," : "", T->evidence[k].cue ? T->evidence[k].cue : "?");
        fputc('\t', f);
        for (size_t k = 0; k < in->len; k++)
            fputc(in->text[k] == '\n' || in->text[k] == '\t' ? ' ' : in->text[k], f);
        fputc('\n', f);
    }
}

static void score_conv(const heard_lconv *c, const heard_result *r, cs_scores *s)
{
    if (!r)
        return;
    int gmax = -1, pmax = -1;
    uint8_t *pmissed = calloc(c->conv.n_turns + 1, 1);
    for (size_t i = 0; pmissed && i < r->n_opportunities; i++) {
        const heard_opportunity *o = &r->opportunities[i];
        if (o->kind == HEARD_OPP_BID && heard_opportunity_missed(o) && o->turn < c->conv.n_turns)
            pmissed[o->turn] = 1;
    }
    for (size_t t = 0; t < c->conv.n_turns; t++) {
        const heard_turn_labels *L = &c->labels[t];
        const heard_turn_result *T = &r->turns[t];
        if (c->turns[t].speaker == HEARD_CUSTOMER) {
            conf_add(s->conf[0], L->urgency, T->urgency);
            if (L->urgency > gmax)
                gmax = L->urgency;
            if (T->urgency > pmax)
                pmax = T->urgency;
            if (L->bid >= 0)
                prf_add(&s->bid, T->bid, L->bid);
            /* a bid is missed when the next agent turn takes it up with no
             * mechanism beyond a formula reaction (conversation.c) */
            size_t a = t + 1;
            while (a < c->conv.n_turns && c->turns[a].speaker != HEARD_AGENT)
                a++;
            if (L->bid == 1 && a < c->conv.n_turns && c->labels[a].emotional_reaction >= 0) {
                const heard_turn_labels *A = &c->labels[a];
                int gold = A->emotional_reaction < 2 && A->interpretation == 0 &&
                           A->exploration == 0;
                prf_add(&s->missed, pmissed ? pmissed[t] : 0, gold);
            } else if (pmissed && pmissed[t] && L->bid >= 0) {
                prf_add(&s->missed, 1, 0);
            }
        } else {
            conf_add(s->conf[1], L->emotional_reaction, T->emotional_reaction);
            conf_add(s->conf[2], L->interpretation, T->interpretation);
            conf_add(s->conf[3], L->exploration, T->exploration);
            if (L->ownership >= 0)
                prf_add(&s->own, T->ownership, L->ownership);
            if (L->dismissive >= 0)
                prf_add(&s->dis, T->dismissive, L->dismissive);
        }
    }
    if (s->dump)
        dump_conv(s->dump, c, r, pmissed);
    free(pmissed);
    if (gmax >= 0)
        conf_add(s->conf[4], gmax, pmax < 0 ? 0 : pmax);
    if (c->polite_not_empathetic >= 0)
        prf_add(&s->pne, (r->flags & HEARD_FLAG_POLITE_NOT_EMPATHETIC) != 0,
                c->polite_not_empathetic);
    if (isfinite(c->felt_heard)) {
        s->fh_pred[s->n_fh] = r->felt_heard;
        s->fh_gold[s->n_fh++] = c->felt_heard;
    }
}

static size_t conf_n(size_t m[3][3])
{
    size_t n = 0;
    for (int g = 0; g < 3; g++)
        n += m[g][0] + m[g][1] + m[g][2];
    return n;
}

/* The cs tables; with only_labelled, a measure no item of the file labels
 * is left out rather than printed as 0 (a file of agent replies has no
 * urgency labels). */
static void print_cs(const runs *R, const char *title, cs_scores *s, int only_labelled)
{
    static const char *const names[] = {"urgency (customer turns)",
                                        "emotional_reaction (agent turns)",
                                        "interpretation (agent turns)",
                                        "exploration (agent turns)",
                                        "highest urgency per conversation"};
    char t[256];
    snprintf(t, sizeof t, "%s: 3-class labels", title);
    header(R, t, "F1 of 0 / 1 / 2, macro-F1");
    for (int h = 0; h < 5; h++) {
        if (only_labelled && !conf_n(s[0].conf[h]))
            continue;
        printf("| %s |", names[h]);
        for (int k = 0; k < R->n; k++) {
            float per[3];
            float m = conf_macro_f1(s[k].conf[h], per);
            printf(" %.3f / %.3f / %.3f, **%.3f** |", per[0], per[1], per[2], m);
        }
        printf("\n");
    }
    snprintf(t, sizeof t, "%s: binary labels", title);
    header(R, t, "P R F1");
    prf row[N_RUNS];
    const char *bn[] = {"bid", "ownership", "dismissive", "missed opportunity (bid)",
                        "polite_not_empathetic"};
    for (int b = 0; b < 5; b++) {
        for (int k = 0; k < R->n; k++)
            row[k] = b == 0 ? s[k].bid : b == 1 ? s[k].own : b == 2 ? s[k].dis
                   : b == 3 ? s[k].missed : s[k].pne;
        if (!only_labelled || row[0].n)
            prf_row(R, bn[b], row);
    }
    float sp[N_RUNS];
    for (int k = 0; k < R->n; k++)
        sp[k] = heard_spearman(s[k].fh_pred, s[k].fh_gold, s[k].n_fh);
    if (!only_labelled || s[0].n_fh)
        value_row(R, "felt_heard Spearman", sp);
    printf("\nConfusion matrices (rows gold 0/1/2, columns predicted 0/1/2):\n\n");
    for (int h = 0; h < 5; h++)
        for (int k = 0; k < R->n; k++) {
            if (only_labelled && !conf_n(s[0].conf[h]))
                continue;
            printf("- %s, %s:", names[h], R->name[k]);
            for (int g = 0; g < 3; g++)
                printf(" [%zu %zu %zu]", s[k].conf[h][g][0], s[k].conf[h][g][1],
                       s[k].conf[h][g][2]);
            printf("\n");
        }
}

static void eval_cs(const runs *R, const heard_corpus *c, cs_scores *s)
{
    for (int k = 0; k < R->n; k++) {
        heard_result **r = analyse_all(R->an[k], c);
        for (size_t i = 0; r && i < c->n; i++)
            score_conv(&c->c[i], r[i], &s[k]);
        free_results(r, c->n);
    }
}

/* Scores of every run, for n conversations: 0, or -1 when out of memory
 * (cs_free_all() is due either way). */
static int cs_alloc_all(cs_scores *s, size_t n)
{
    int st = 0;
    for (int k = 0; k < N_RUNS; k++) {
        memset(&s[k], 0, sizeof s[k]);
        s[k].fh_pred = malloc((n ? n : 1) * sizeof *s[k].fh_pred);
        s[k].fh_gold = malloc((n ? n : 1) * sizeof *s[k].fh_gold);
        if (!s[k].fh_pred || !s[k].fh_gold)
            st = -1;
    }
    return st;
}

static void cs_free_all(cs_scores *s)
{
    for (int k = 0; k < N_RUNS; k++) {
        free(s[k].fh_pred);
        free(s[k].fh_gold);
    }
}

/* k-fold CV of the cs heads: for each fold, train on the others into a
 * scratch directory (with the other shipped model files, and emotion heads
 * trained without the fold's customer turns, which the shipped ones learnt
 * from), analyse the fold. */
/* What --cv trains with besides the folds: the trainer's seed and the
 * conversations of the --extra files. */
typedef struct cv_opts {
    uint64_t seed;
    const heard_corpus *extra;
} cv_opts;

static void eval_cs_cv(const runs *R, const heard_corpus *c, const char *data,
                       const char *models, const cv_opts *cv, cs_scores *s)
{
    enum { FOLDS = 5 };
    for (int f = 0; f < FOLDS; f++) {
        heard_corpus tr = {0}, te = {0};
        tr.c = calloc(c->n, sizeof *tr.c);
        te.c = calloc(c->n, sizeof *te.c);
        if (!tr.c || !te.c) {
            free(tr.c);
            free(te.c);
            return;
        }
        /* outer folds differ from the trainer's inner folds (other hash) */
        for (size_t i = 0; i < c->n; i++) {
            heard_corpus *d = (heard_split_bucket(c->c[i].key ^ 0x5bd1e995u) % FOLDS ==
                               (unsigned)f) ? &te : &tr;
            d->c[d->n++] = c->c[i];
        }
        char dir[] = "/tmp/heard-eval-XXXXXX";
        if (mkdtemp(dir)) {
            if (heard_cli_train_cs_into(&tr, models, dir, data, cv->seed, 1, cv->extra) == 0) {
                heard_options o = {.model_dir = dir};
                heard_analyzer *an;
                heard_error err;
                if (heard_analyzer_new(&o, &an, &err) == HEARD_OK) {
                    heard_result **r = analyse_all(an, &te);
                    for (size_t i = 0; r && i < te.n; i++)
                        score_conv(&te.c[i], r[i], &s[R->n - 1]);
                    free_results(r, te.n);
                    heard_analyzer_free(an);
                }
            }
            static const char *const files[] = {"lexicon.tsv", "emotions.hm", "politeness.hm",
                                                "sentiment.hm", "cs.hm"};
            for (size_t i = 0; i < 5; i++) {
                char p[PATH_MAX];
                snprintf(p, sizeof p, "%s/%s", dir, files[i]);
                unlink(p);
            }
            rmdir(dir);
        }
        free(tr.c);
        free(te.c);
    }
}

static void eval_cs_all(const runs *R, const char *data, const char *models, int cv,
                        const cv_opts *co, const char *dump)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/cs-corpus/train.jsonl", data);
    heard_corpus c = {0};
    heard_error err;
    if (heard_corpus_read_jsonl(p, &c, &err) != HEARD_OK) {
        printf("\n(cs-corpus not available: %s)\n", err.message);
        return;
    }
    cs_scores s[N_RUNS];
    int ok = cs_alloc_all(s, c.n) == 0;
    if (ok) {
        eval_cs(R, &c, s);
        print_cs(R, models ? "cs-corpus (training data: model columns are fitted, not held out)"
                           : "cs-corpus",
                 s, 0);
        if (cv && models && R->n == 2) {
            cs_free_all(s);
            ok = cs_alloc_all(s, c.n) == 0;
            runs one = *R;
            one.n = 1; /* rules column again, then the CV column */
            if (ok) {
                eval_cs(&one, &c, s);
                s[1].dump = dump ? fopen(dump, "w") : NULL;
                if (dump && !s[1].dump)
                    fprintf(stderr, "heard eval: cannot write %s\n", dump);
                eval_cs_cv(R, &c, data, models, co, s);
                if (s[1].dump)
                    fclose(s[1].dump);
                s[1].dump = NULL;
                runs shown = *R;
                shown.name[1] = "rules+model (5-fold CV)";
                print_cs(&shown, "cs-corpus, model heads by 5-fold cross-validation", s, 0);
            }
        }
    }
    cs_free_all(s);
    heard_corpus_free(&c);
}

/* --labelled FILE: conversations labelled in the cs-corpus format (any
 * subset of the labels) scored as they are, with no cross-validation: an
 * organisation's own QA labels, or the spot-check sets in data/spotcheck.
 * 0 when read, -1 (message printed) when not. */
static int eval_labelled(const runs *R, const char *path, const char *models)
{
    heard_corpus c = {0};
    heard_error err;
    if (heard_corpus_read_jsonl(path, &c, &err) != HEARD_OK) {
        fprintf(stderr, "heard eval: %s\n", err.message);
        return -1;
    }
    printf("## heard eval (labelled: %s; models: %s)\n", path, models ? models : "none");
    cs_scores s[N_RUNS];
    int ok = cs_alloc_all(s, c.n) == 0;
    if (ok) {
        char title[PATH_MAX + 64];
        snprintf(title, sizeof title, "%s (%zu conversations)", path, c.n);
        eval_cs(R, &c, s);
        print_cs(R, title, s, 1);
    }
    cs_free_all(s);
    heard_corpus_free(&c);
    return ok ? 0 : -1;
}

static void eval_usage(FILE *out)
{
    fputs("usage: heard eval [--data DIR] [--models DIR | --rules-only]\n"
          "                  [--cv [--seed N] [--extra LABELLED.jsonl]...]\n"
          "                  [--only goemotions|politeness|valence|cs] [--dump FILE]\n"
          "       heard eval --labelled FILE [--models DIR | --rules-only]\n"
          "Scores the analyser on the shared development data (default ../shared/data):\n"
          "rules only and rules + model side by side, as markdown tables on stdout.\n"
          "--cv adds 5-fold cross-validation of the customer-service heads (each fold\n"
          "also retrains the emotion heads without its conversations; --seed N, default 1,\n"
          "is the trainer's seed there, to see how much a figure moves with it);\n"
          "--extra FILE adds a labelled file's conversations to every fold's training\n"
          "of the customer-service heads, never to its test: what training with\n"
          "`heard train --extra FILE` would do to the figures.\n"
          "--dump FILE writes its out-of-fold predictions per turn (TSV, gold/predicted).\n"
          "--labelled FILE scores conversations labelled in the cs-corpus format (your\n"
          "own QA labels, any subset of them) instead; measures nobody labelled are\n"
          "left out.\n",
          out);
}

int heard_cli_eval(int argc, char **argv)
{
    const char *data = "../shared/data", *models = NULL, *only = NULL, *dump = NULL;
    const char *labelled = NULL;
    int rules_only = 0, cv = 0;
    uint64_t seed = 1;
    const char *extra[8];
    size_t n_extra = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            eval_usage(stdout);
            return 0;
        } else if (strcmp(a, "--rules-only") == 0) {
            rules_only = 1;
        } else if (strcmp(a, "--cv") == 0) {
            cv = 1;
        } else if (v && strcmp(a, "--data") == 0) {
            data = v;
            i++;
        } else if (v && strcmp(a, "--models") == 0) {
            models = v;
            i++;
        } else if (v && strcmp(a, "--dump") == 0) {
            dump = v;
            i++;
        } else if (v && strcmp(a, "--seed") == 0) {
            char *end;
            seed = strtoull(v, &end, 10);
            if (*end || !*v) {
                fprintf(stderr, "heard eval: --seed wants a number, not '%s'\n", v);
                return 2;
            }
            i++;
        } else if (v && strcmp(a, "--extra") == 0) {
            if (n_extra == sizeof extra / sizeof extra[0]) {
                fprintf(stderr, "heard eval: at most %zu --extra files\n",
                        sizeof extra / sizeof extra[0]);
                return 2;
            }
            extra[n_extra++] = v;
            i++;
        } else if (v && strcmp(a, "--only") == 0) {
            only = v;
            i++;
        } else if (v && strcmp(a, "--labelled") == 0) {
            labelled = v;
            i++;
        } else {
            eval_usage(stderr);
            return 2;
        }
    }
    if (!rules_only) {
        char msg[256];
        const char *dir = NULL;
        if (heard_cli_model_dir(models, &dir, msg, sizeof msg) != 0) {
            fprintf(stderr, "heard eval: %s\n", msg);
            return 2;
        }
        models = dir;
    } else {
        models = NULL;
    }
    runs R = {.n = 0};
    heard_error err;
    heard_options o = {0};
    R.name[0] = "rules";
    /* the rules column uses the shipped lexicon too: a directory with only
     * lexicon.tsv in it */
    char lexdir[] = "/tmp/heard-eval-lex-XXXXXX", lexlink[PATH_MAX] = "";
    char abs[PATH_MAX], lexsrc[PATH_MAX + 16];
    if (models && realpath(models, abs) && mkdtemp(lexdir)) {
        snprintf(lexsrc, sizeof lexsrc, "%s/lexicon.tsv", abs);
        snprintf(lexlink, sizeof lexlink, "%s/lexicon.tsv", lexdir);
        if (access(lexsrc, R_OK) == 0 && symlink(lexsrc, lexlink) == 0)
            o.model_dir = lexdir;
    }
    heard_status lst = heard_analyzer_new(&o, &R.an[0], &err);
    if (lexlink[0]) {
        unlink(lexlink);
        rmdir(lexdir);
    }
    if (lst != HEARD_OK) {
        fprintf(stderr, "heard eval: %s\n", err.message);
        return 2;
    }
    R.n = 1;
    if (models) {
        o.model_dir = models;
        if (heard_analyzer_new(&o, &R.an[1], &err) != HEARD_OK) {
            fprintf(stderr, "heard eval: %s\n", err.message);
            heard_analyzer_free(R.an[0]);
            return 2;
        }
        R.name[1] = "rules+model";
        R.n = 2;
    }
    if (labelled) {
        int st = eval_labelled(&R, labelled, models);
        for (int k = 0; k < R.n; k++)
            heard_analyzer_free(R.an[k]);
        return st == 0 ? 0 : 1;
    }
    /* the --extra files are read once, before anything is printed */
    heard_corpus extra_convs = {0};
    for (size_t i = 0; i < n_extra; i++)
        if (heard_corpus_read_jsonl(extra[i], &extra_convs, &err) != HEARD_OK) {
            fprintf(stderr, "heard eval: %s\n", err.message);
            heard_corpus_free(&extra_convs);
            for (int k = 0; k < R.n; k++)
                heard_analyzer_free(R.an[k]);
            return 2;
        }
    printf("## heard eval (data: %s; models: %s)\n", data, models ? models : "none");
    if (!only || strcmp(only, "goemotions") == 0)
        eval_goemotions(&R, data);
    if (!only || strcmp(only, "politeness") == 0)
        eval_politeness(&R, data);
    if (!only || strcmp(only, "valence") == 0)
        eval_valence(&R, data);
    if (!only || strcmp(only, "cs") == 0)
        eval_cs_all(&R, data, models, cv, &(cv_opts){seed, &extra_convs}, dump);
    heard_corpus_free(&extra_convs);
    for (int k = 0; k < R.n; k++)
        heard_analyzer_free(R.an[k]);
    return 0;
}

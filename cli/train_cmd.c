/* train_cmd.c - `heard train`: builds the shipped models (lexicon, emotions,
 * politeness, sentiment and the customer-service heads) from the shared
 * training data, or trains the customer-service heads on an organisation's
 * own labelled conversations, optionally warm-started from shipped models.
 * Deterministic: same data and seed, same bytes. */
#include <errno.h>
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

#define MAX_EXTRA 8

typedef struct topts {
    const char *task, *data, *out, *base;
    uint64_t seed;
    int quiet;
    int holdout; /* --holdout: politeness without the fifth `heard eval` scores */
    const char *extra[MAX_EXTRA]; /* --extra: more labelled conversations for the cs heads */
    size_t n_extra;
} topts;

#define LOG(o, ...)                                                                            \
    do {                                                                                       \
        if (!(o)->quiet)                                                                       \
            fprintf(stderr, __VA_ARGS__);                                                      \
    } while (0)

static void train_usage(FILE *out)
{
    fputs("usage: heard train --task lexicon|emotions|politeness|sentiment|cs|all\n"
          "                   --data DIR --out DIR [--holdout] [--seed N] [--quiet]\n"
          "                   [--extra LABELLED.jsonl]...\n"
          "       heard train --data LABELLED.jsonl --out DIR [--base MODELS_DIR]\n"
          "                   [--extra LABELLED.jsonl]...\n"
          "The first form rebuilds heard's models from the shared training data\n"
          "(DIR holds goemotions/, politeness/, valence/, lexicons/, cs-corpus/):\n"
          "politeness is trained with early stopping on a tenth of its data, then\n"
          "again on all of it; --holdout keeps the fifth that `heard eval` scores\n"
          "out of its training instead (make eval does this).\n"
          "The second trains the customer-service heads (urgency, bid, empathy\n"
          "mechanisms, ownership, dismissive) on conversations labelled in the\n"
          "cs-corpus format; with --base the other model files are copied from\n"
          "MODELS_DIR and the heads start from its weights.\n"
          "--extra adds the conversations of a labelled file (cs-corpus format, any\n"
          "subset of the labels) to the customer-service heads' training data, in\n"
          "both forms (several files of your own labels, or yours beside cs-corpus);\n"
          "up to 8 files.\n",
          out);
}

static int path_join(char *dst, size_t cap, const char *a, const char *b)
{
    return snprintf(dst, cap, "%s/%s", a, b) < (int)cap ? 0 : -1;
}

static int file_exists(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

static heard_status make_analyzer(const char *dir, heard_analyzer **an, heard_error *err)
{
    heard_options o;
    memset(&o, 0, sizeof o);
    o.model_dir = dir;
    return heard_analyzer_new(&o, an, err);
}

static heard_status extract(const char *model_dir, const heard_corpus *c, heard_dataset *ds,
                            heard_error *err)
{
    heard_analyzer *an;
    heard_status st = make_analyzer(model_dir, &an, err);
    if (st != HEARD_OK)
        return st;
    st = heard_dataset_extract(an, c, ds, err);
    heard_analyzer_free(an);
    return st;
}

static heard_status write_heads(const topts *o, const char *file, heard_head_model *m,
                                const char *const *names, size_t n, heard_error *err)
{
    char path[PATH_MAX];
    if (path_join(path, sizeof path, o->out, file) != 0)
        return HEARD_EINVAL;
    heard_head_data d[16];
    for (size_t i = 0; i < n; i++)
        d[i] = heard_head_data_of(&m[i], names[i]);
    heard_status st = heard_model_write(path, d, n, err);
    if (st == HEARD_OK)
        LOG(o, "wrote %s\n", path);
    return st;
}

/* Examples of a and then b, over a's dataset (b must share it). */
static int examples_concat(const heard_examples *a, const heard_examples *b, heard_examples *out)
{
    out->ds = a->ds;
    out->width = a->width;
    for (size_t i = 0; i < a->n; i++)
        if (heard_examples_add(out, a->idx[i], a->y + i * (size_t)a->width) != 0)
            return -1;
    for (size_t i = 0; i < b->n; i++)
        if (heard_examples_add(out, b->idx[i], b->y + i * (size_t)b->width) != 0)
            return -1;
    return 0;
}

/* The shipped politeness head from every labelled example: m was trained
 * on tr with early stopping on dv; it is replaced by a head trained with
 * the same settings on tr and dv together for the epochs early stopping
 * chose. dv holds the early-stopping tenth and the fifth that `heard eval`
 * scores: 43% more examples, and in a check with that fifth held out,
 * refitting on the tenth alone gave Stack Exchange +0.007 (mean of 6
 * seeds). Sentiment and the emotion heads are not refitted: for them the
 * same check gained 0.003 r and nothing, and the refitted sentiment moved
 * the customer-service heads' cross-validation down (MODELS.md, "Refit on
 * all the data"). With --holdout nothing is refitted: that is the model
 * `make eval` scores. */
static heard_status refit(const topts *o, const char *head, const heard_train_cfg *cfg,
                          const heard_examples *tr, const heard_examples *dv,
                          heard_head_model *m, heard_error *err)
{
    if (o->holdout || !dv->n)
        return HEARD_OK;
    heard_examples all = {0};
    heard_head_model r = {0};
    heard_status st = HEARD_ENOMEM;
    if (examples_concat(tr, dv, &all) != 0)
        goto done;
    heard_train_cfg c = *cfg;
    c.epochs = m->epochs;
    if ((st = heard_train_head(&c, &all, NULL, &r, err)) != HEARD_OK)
        goto done;
    memcpy(r.thr, m->thr, sizeof r.thr);
    r.dev_score = m->dev_score;
    heard_head_model_free(m);
    *m = r;
    LOG(o, "%s: refitted on all %zu examples for %d epochs\n", head, all.n, m->epochs);
done:
    heard_examples_free(&all);
    return st;
}

/* ---- lexicon ------------------------------------------------------------- */

static heard_status task_lexicon(const topts *o, heard_error *err)
{
    char v[PATH_MAX], a[PATH_MAX], e[PATH_MAX], j[PATH_MAX], out[PATH_MAX];
    if (path_join(v, sizeof v, o->data, "lexicons/vader/vader_lexicon.txt") ||
        path_join(a, sizeof a, o->data, "lexicons/afinn/AFINN-en-165.txt") ||
        path_join(e, sizeof e, o->data, "lexicons/afinn/AFINN-emoticon-8.txt") ||
        path_join(j, sizeof j, o->data, "lexicons/vader/emoji_utf8_lexicon.txt") ||
        path_join(out, sizeof out, o->out, "lexicon.tsv"))
        return HEARD_EINVAL;
    heard_status st = heard_lexicon_build(v, a, e, file_exists(j) ? j : NULL, out, err);
    if (st == HEARD_OK)
        LOG(o, "wrote %s\n", out);
    return st;
}

/* Hash bits of the text heads (emotions, Ekman, politeness, sentiment). All
 * four must agree: heads with equal bits share one packed table when
 * analysing (model.c), one row fetch per feature for all of them. */
#ifndef TEXT_BITS
#define TEXT_BITS 18
#endif

/* ---- emotions ------------------------------------------------------------ */

static void emotion_row(uint32_t bits, float *y)
{
    for (int k = 0; k < HEARD_N_EMOTIONS; k++)
        y[k] = (bits >> k) & 1u ? 1.0f : 0.0f;
}

/* Ekman group (enum heard_ekman) of each GoEmotions label. */
static const uint8_t EKMAN_OF[HEARD_N_EMOTIONS] = {
    HEARD_EK_JOY,      HEARD_EK_JOY,      HEARD_EK_ANGER,    HEARD_EK_ANGER,
    HEARD_EK_JOY,      HEARD_EK_JOY,      HEARD_EK_SURPRISE, HEARD_EK_SURPRISE,
    HEARD_EK_JOY,      HEARD_EK_SADNESS,  HEARD_EK_ANGER,    HEARD_EK_DISGUST,
    HEARD_EK_SADNESS,  HEARD_EK_JOY,      HEARD_EK_FEAR,     HEARD_EK_JOY,
    HEARD_EK_SADNESS,  HEARD_EK_JOY,      HEARD_EK_JOY,      HEARD_EK_FEAR,
    HEARD_EK_JOY,      HEARD_EK_JOY,      HEARD_EK_SURPRISE, HEARD_EK_JOY,
    HEARD_EK_SADNESS,  HEARD_EK_SADNESS,  HEARD_EK_SURPRISE, HEARD_EK_NEUTRAL};

/* Targets of the Ekman head: group g is on when any of its labels is. */
static void ekman_row(const float *emo, float *y)
{
    for (int g = 0; g < HEARD_N_EKMAN; g++)
        y[g] = 0;
    for (int k = 0; k < HEARD_N_EMOTIONS; k++)
        if (emo[k] > 0.5f)
            y[EKMAN_OF[k]] = 1.0f;
}

/* The Ekman head (enum heard_ekman outputs) trained on the emotion
 * examples' group targets, same features and settings. */
static heard_status train_ekman(const topts *o, const heard_examples *tr,
                                const heard_examples *dv, heard_head_model *m, heard_error *err)
{
    heard_examples et = {0}, ed = {0};
    et.width = ed.width = HEARD_N_EKMAN;
    et.ds = tr->ds;
    ed.ds = dv->ds;
    heard_status st = HEARD_ENOMEM;
    float y[HEARD_N_EKMAN];
    for (size_t i = 0; i < tr->n; i++) {
        ekman_row(tr->y + i * HEARD_N_EMOTIONS, y);
        if (heard_examples_add(&et, tr->idx[i], y) != 0)
            goto done;
    }
    for (size_t i = 0; i < dv->n; i++) {
        ekman_row(dv->y + i * HEARD_N_EMOTIONS, y);
        if (heard_examples_add(&ed, dv->idx[i], y) != 0)
            goto done;
    }
    heard_train_cfg cfg = {.kind = HEARD_KIND_MULTILABEL, .n_out = HEARD_N_EKMAN,
                           .hash_bits = TEXT_BITS, .l2 = 1e-2f, .lr = 0.1f, .epochs = 12,
                           .patience = 2, .seed = o->seed, .quiet = o->quiet, .core_only = 1};
    if ((st = heard_train_head(&cfg, &et, &ed, m, err)) != HEARD_OK)
        goto done;
    LOG(o, "ekman: dev macro-F1 %.4f (epochs %d; thresholds", m->dev_score, m->epochs);
    for (int g = 0; g < HEARD_N_EKMAN; g++)
        LOG(o, " %.2f", m->thr[g]);
    LOG(o, ")\n");
done:
    heard_examples_free(&et);
    heard_examples_free(&ed);
    return st;
}

/* Macro-F1 of the head with its tuned thresholds over ex; per-label F1 in
 * per (may be NULL). */
static float emotions_macro_f1(const heard_head_model *m, const heard_examples *ex, float *per)
{
    float z[64];
    size_t tp[HEARD_N_EMOTIONS] = {0}, fp[HEARD_N_EMOTIONS] = {0}, fn[HEARD_N_EMOTIONS] = {0};
    for (size_t i = 0; i < ex->n; i++) {
        heard_head_scores(m, ex->ds, ex->idx[i], z);
        for (int k = 0; k < HEARD_N_EMOTIONS; k++) {
            int pr = 1.0f / (1.0f + expf(-z[k])) >= m->thr[k];
            int y = ex->y[i * HEARD_N_EMOTIONS + (size_t)k] > 0.5f;
            tp[k] += pr && y;
            fp[k] += pr && !y;
            fn[k] += !pr && y;
        }
    }
    float sum = 0;
    for (int k = 0; k < HEARD_N_EMOTIONS; k++) {
        float f = tp[k] ? 2.0f * (float)tp[k] / (float)(2 * tp[k] + fp[k] + fn[k]) : 0;
        sum += f;
        if (per)
            per[k] = f;
    }
    return sum / HEARD_N_EMOTIONS;
}

static void report_emotions(const topts *o, const heard_head_model *m, const heard_examples *tr,
                            const heard_examples *dev)
{
    float per[HEARD_N_EMOTIONS];
    float d = emotions_macro_f1(m, dev, per);
    for (int k = 0; k < HEARD_N_EMOTIONS; k++)
        LOG(o, "  %-15s F1 %.3f (thr %.2f)\n", heard_emotion_name(k), per[k], m->thr[k]);
    LOG(o, "emotions: macro-F1 train %.4f, dev %.4f (epochs %d; thresholds tuned on dev + OOF)\n",
        emotions_macro_f1(m, tr, NULL), d, m->epochs);
}

/* Folds of the training comments whose out-of-fold scores tune the
 * emotion thresholds (with dev). */
#define EMO_THR_FOLDS 5

/* The emotion heads (emotions.hm in o->out) from GoEmotions train, and the
 * labelled customer turns of cs when given: GoEmotions alone left the
 * labellers' annoyance, nervousness and disappointment in customer-service
 * complaints mostly unfound (MODELS.md). Early stopping and the Ekman
 * thresholds on GoEmotions dev. */
static heard_status train_emotions(const topts *o, const heard_corpus *cs, heard_error *err)
{
    char p[PATH_MAX];
    heard_corpus c = {0}, d = {0}, all = {0}; /* all: a view of c and cs, owns no entry */
    heard_dataset ds = {0}, dd = {0};
    heard_examples tr = {0}, dv = {0};
    heard_head_model m[2] = {{0}, {0}};
    tr.width = dv.width = HEARD_N_EMOTIONS;
    heard_status st = HEARD_EINVAL;
    if (path_join(p, sizeof p, o->data, "goemotions/train.tsv"))
        goto done;
    if ((st = heard_corpus_read_goemotions(p, &c, err)) != HEARD_OK)
        goto done;
    if (path_join(p, sizeof p, o->data, "goemotions/dev.tsv") ||
        (st = heard_corpus_read_goemotions(p, &d, err)) != HEARD_OK)
        goto done;
    size_t n_cs = cs ? cs->n : 0;
    st = HEARD_ENOMEM;
    if (!(all.c = malloc((c.n + n_cs + 1) * sizeof *all.c)))
        goto done;
    memcpy(all.c, c.c, c.n * sizeof *all.c);
    if (n_cs)
        memcpy(all.c + c.n, cs->c, n_cs * sizeof *all.c);
    all.n = c.n + n_cs;
    LOG(o, "emotions: %zu GoEmotions train, %zu cs-corpus conversations, %zu dev\n", c.n, n_cs,
        d.n);
    if ((st = extract(o->out, &all, &ds, err)) != HEARD_OK ||
        (st = extract(o->out, &d, &dd, err)) != HEARD_OK)
        goto done;
    tr.ds = &ds;
    dv.ds = &dd;
    LOG(o, "emotions: %.1f features a GoEmotions comment (the cost of a turn)\n",
        ds.n ? (double)ds.off[ds.n] / (double)ds.n : 0.0);
    float y[HEARD_N_EMOTIONS];
    st = HEARD_ENOMEM;
    for (size_t i = 0; i < all.n; i++)
        for (size_t t = 0; t < all.c[i].conv.n_turns; t++) {
            const heard_turn_labels *L = &all.c[i].labels[t];
            if (!L->has_emotions || all.c[i].turns[t].speaker != HEARD_CUSTOMER)
                continue;
            emotion_row(L->emotions, y);
            if (heard_examples_add(&tr, ds.conv_first[i] + t, y) != 0)
                goto done;
        }
    for (size_t i = 0; i < d.n; i++) {
        emotion_row(d.c[i].labels[0].emotions, y);
        if (heard_examples_add(&dv, dd.conv_first[i], y) != 0)
            goto done;
    }
    heard_train_cfg cfg = {.kind = HEARD_KIND_MULTILABEL, .n_out = HEARD_N_EMOTIONS,
                           .hash_bits = TEXT_BITS, .l2 = 1e-2f, .lr = 0.1f, .epochs = 12,
                           .patience = 2, .seed = o->seed, .quiet = o->quiet, .core_only = 1};
    if ((st = heard_train_head(&cfg, &tr, &dv, &m[0], err)) != HEARD_OK)
        goto done;
    /* Thresholds from the dev comments and out-of-fold scores of the
     * training comments pooled: dev alone has 13 to 21 examples of the rarest
     * labels (grief, pride, relief, nervousness), and thresholds tuned on
     * one half of dev and scored on the other gave 28-label macro-F1 0.478
     * tuned on dev alone, 0.486 pooled (MODELS.md). The Ekman head keeps
     * dev-tuned thresholds: pooled, its groups scored lower. */
    if ((st = heard_head_tune_thresholds_pooled(&m[0], &cfg, &tr, &dv, EMO_THR_FOLDS, err)) !=
        HEARD_OK)
        goto done;
    report_emotions(o, &m[0], &tr, &dv);
    if ((st = train_ekman(o, &tr, &dv, &m[1], err)) != HEARD_OK)
        goto done;
    const char *names[] = {"emotions", "ekman"};
    st = write_heads(o, "emotions.hm", m, names, 2, err);
done:
    heard_head_model_free(&m[0]);
    heard_head_model_free(&m[1]);
    heard_examples_free(&tr);
    heard_examples_free(&dv);
    heard_dataset_free(&ds);
    heard_dataset_free(&dd);
    free(all.c);
    heard_corpus_free(&c);
    heard_corpus_free(&d);
    return st;
}

/* The labelled conversations of cs-corpus, for the emotion and cs heads. */
static heard_status read_cs_corpus(const topts *o, heard_corpus *c, heard_error *err)
{
    char p[PATH_MAX];
    if (path_join(p, sizeof p, o->data, "cs-corpus/train.jsonl"))
        return HEARD_EINVAL;
    return heard_corpus_read_jsonl(p, c, err);
}

/* Append the --extra files' conversations to c (which owns them). */
static heard_status read_extra(const char *const *extra, size_t n_extra, heard_corpus *c,
                               heard_error *err)
{
    heard_status st = HEARD_OK;
    for (size_t i = 0; i < n_extra && st == HEARD_OK; i++)
        st = heard_corpus_read_jsonl(extra[i], c, err);
    return st;
}

static heard_status task_emotions(const topts *o, heard_error *err)
{
    heard_corpus cs = {0};
    heard_status st = read_cs_corpus(o, &cs, err);
    if (st == HEARD_OK)
        st = train_emotions(o, &cs, err);
    heard_corpus_free(&cs);
    return st;
}

/* ---- single-text regressions: politeness and sentiment -------------------- */

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

/* Quantile q of the targets of c->c[from..to). */
static float quantile(const heard_corpus *c, size_t from, size_t to, float q)
{
    size_t n = to - from;
    float *v = malloc((n ? n : 1) * sizeof *v);
    if (!v || !n) {
        free(v);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        v[i] = c->c[from + i].target;
    qsort(v, n, sizeof *v, cmp_float);
    float r = v[(size_t)(q * (float)(n - 1))];
    free(v);
    return r;
}

/* Held-out share kept for `heard eval`: split buckets below 20 of 100. */
#define EVAL_BUCKETS 20u
/* Early-stopping share: buckets 20..29. */
#define DEV_BUCKETS 30u

static heard_status train_regression(const topts *o, const char *head, const char *file,
                                     heard_corpus *c, int bits, float l2, heard_error *err)
{
    heard_dataset ds = {0};
    heard_examples tr = {0}, dv = {0};
    heard_head_model m = {0};
    tr.width = dv.width = 1;
    heard_status st = extract(o->out, c, &ds, err);
    if (st != HEARD_OK)
        return st;
    tr.ds = dv.ds = &ds;
    st = HEARD_ENOMEM;
    for (size_t i = 0; i < c->n; i++) {
        unsigned b = heard_split_bucket(c->c[i].key);
        if (b < EVAL_BUCKETS || !isfinite(c->c[i].target))
            continue;
        if (heard_examples_add(b < DEV_BUCKETS ? &dv : &tr, ds.conv_first[i], &c->c[i].target))
            goto done;
    }
    LOG(o, "%s: %zu train, %zu early-stopping dev (20%% held out for eval)\n", head, tr.n,
        dv.n);
    heard_train_cfg cfg = {.kind = HEARD_KIND_REGRESSION, .n_out = 1, .hash_bits = bits,
                           .l2 = l2, .lr = 0.02f, .epochs = 20, .patience = 3,
                           .seed = o->seed, .lo = -1.0f, .hi = 1.0f, .quiet = o->quiet,
                           .core_only = 1};
    if ((st = heard_train_head(&cfg, &tr, &dv, &m, err)) != HEARD_OK)
        goto done;
    LOG(o, "%s: dev Pearson r %.4f (epochs %d)\n", head, m.dev_score, m.epochs);
    {
        size_t right = 0, n = 0;
        float z;
        for (size_t i = 0; i < dv.n; i++) {
            if (fabsf(dv.y[i]) < 0.45f)
                continue;
            heard_head_scores(&m, &ds, dv.idx[i], &z);
            n++;
            right += (z > 0) == (dv.y[i] > 0);
        }
        LOG(o, "%s: dev sign accuracy on the extremes %.4f (%zu)\n", head,
            n ? (float)right / (float)n : 0.0f, n);
    }
    const char *names[] = {head};
    st = write_heads(o, file, &m, names, 1, err);
done:
    heard_head_model_free(&m);
    heard_examples_free(&tr);
    heard_examples_free(&dv);
    heard_dataset_free(&ds);
    return st;
}

/* Politeness as a classifier of the two extremes (the paper's polite top
 * quarter against its impolite bottom quarter, per corpus), the way the
 * held-out sets judge it: by the sign of `politeness`. The logit is stored
 * as a regression head scaled into [-1, 1] (z / POL_LOGIT_SCALE, clamped),
 * so the sign is the class and the size the confidence. */
#define POL_LOGIT_SCALE 4.0f

static heard_status train_politeness_binary(const topts *o, heard_corpus *c, const float *q1,
                                            const float *q3, const size_t *corpus_end,
                                            heard_error *err)
{
    heard_dataset ds = {0};
    heard_examples tr = {0}, dv = {0}, ev = {0}, rest = {0}; /* ev: the eval fifth */
    heard_head_model m = {0};
    tr.width = dv.width = ev.width = 1;
    heard_status st = extract(o->out, c, &ds, err);
    if (st != HEARD_OK)
        return st;
    tr.ds = dv.ds = ev.ds = &ds;
    st = HEARD_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < c->n; i++) {
        while (i >= corpus_end[k])
            k++;
        unsigned b = heard_split_bucket(c->c[i].key);
        float v = c->c[i].target;
        if ((b < EVAL_BUCKETS && o->holdout) || !isfinite(v) || (v > q1[k] && v < q3[k]))
            continue;
        float y = v >= q3[k] ? 1.0f : 0.0f;
        heard_examples *to = b < EVAL_BUCKETS ? &ev : b < DEV_BUCKETS ? &dv : &tr;
        if (heard_examples_add(to, ds.conv_first[i], &y))
            goto done;
    }
    LOG(o, "politeness: %zu train, %zu early-stopping dev extremes, %zu of the eval fifth\n",
        tr.n, dv.n, ev.n);
    /* L2 1e-2 (chosen on the held-out 20% of both corpora): 1e-4 / 1e-3 /
     * 5e-3 / 1e-2 / 3e-2 / 1e-1 gave Stack Exchange 0.658 / 0.664 / 0.680 /
     * 0.688 / 0.680 / 0.652 with Wikipedia 0.865 / 0.868 / 0.868 / 0.862 /
     * 0.865 / 0.859; giving Stack Exchange twice the weight lost on both */
    heard_train_cfg cfg = {.kind = HEARD_KIND_BINARY, .n_out = 1, .hash_bits = TEXT_BITS,
                           .l2 = 1e-2f, .lr = 0.05f, .epochs = 20, .patience = 3,
                           .seed = o->seed, .quiet = o->quiet, .core_only = 1};
    if ((st = heard_train_head(&cfg, &tr, &dv, &m, err)) != HEARD_OK)
        goto done;
    size_t right = 0, rtr = 0;
    float z;
    for (size_t i = 0; i < dv.n; i++) {
        heard_head_scores(&m, &ds, dv.idx[i], &z);
        right += (z > 0) == (dv.y[i] > 0.5f);
    }
    for (size_t i = 0; i < tr.n; i++) {
        heard_head_scores(&m, &ds, tr.idx[i], &z);
        rtr += (z > 0) == (tr.y[i] > 0.5f);
    }
    LOG(o, "politeness: sign accuracy on the extremes: train %.4f, dev %.4f (epochs %d)\n",
        tr.n ? (float)rtr / (float)tr.n : 0.0f, dv.n ? (float)right / (float)dv.n : 0.0f,
        m.epochs);
    if (examples_concat(&dv, &ev, &rest) != 0) {
        st = HEARD_ENOMEM;
        goto done;
    }
    if ((st = refit(o, "politeness", &cfg, &tr, &rest, &m, err)) != HEARD_OK)
        goto done;
    size_t nw = (size_t)1 << m.bits;
    for (size_t i = 0; i < nw; i++)
        m.w[i] /= POL_LOGIT_SCALE;
    m.bias[0] /= POL_LOGIT_SCALE;
    m.kind = HEARD_KIND_REGRESSION;
    m.lo = -1.0f;
    m.hi = 1.0f;
    const char *names[] = {"politeness"};
    st = write_heads(o, "politeness.hm", &m, names, 1, err);
done:
    heard_head_model_free(&m);
    heard_examples_free(&tr);
    heard_examples_free(&dv);
    heard_examples_free(&ev);
    heard_examples_free(&rest);
    heard_dataset_free(&ds);
    return st;
}

static heard_status task_politeness(const topts *o, heard_error *err)
{
    static const char *const files[] = {"politeness/wikipedia.train.csv",
                                        "politeness/stack-exchange.train.csv"};
    heard_corpus c = {0};
    heard_status st = HEARD_OK;
    float q1[2] = {0}, q3[2] = {0};
    size_t end[2] = {0};
    for (size_t f = 0; f < 2 && st == HEARD_OK; f++) {
        char p[PATH_MAX];
        if (path_join(p, sizeof p, o->data, files[f]))
            return HEARD_EINVAL;
        size_t from = c.n;
        if ((st = heard_corpus_read_politeness(p, &c, err)) != HEARD_OK)
            break;
        end[f] = c.n;
        q1[f] = quantile(&c, from, c.n, 0.25f);
        q3[f] = quantile(&c, from, c.n, 0.75f);
    }
    if (st == HEARD_OK)
        st = train_politeness_binary(o, &c, q1, q3, end, err);
    heard_corpus_free(&c);
    return st;
}

static heard_status task_sentiment(const topts *o, heard_error *err)
{
    static const char *const files[] = {"valence/amazonReviewSnippets_GroundTruth.txt",
                                        "valence/movieReviewSnippets_GroundTruth.txt",
                                        "valence/nytEditorialSnippets_GroundTruth.txt"};
    heard_corpus c = {0};
    heard_status st = HEARD_OK;
    for (size_t f = 0; f < 3 && st == HEARD_OK; f++) {
        char p[PATH_MAX];
        if (path_join(p, sizeof p, o->data, files[f]))
            return HEARD_EINVAL;
        st = heard_corpus_read_valence(p, &c, err);
    }
    if (st == HEARD_OK)
        st = train_regression(o, "sentiment", "sentiment.hm", &c, TEXT_BITS, 1e-5f, err);
    heard_corpus_free(&c);
    return st;
}

/* ---- customer-service heads ----------------------------------------------- */

typedef struct cs_head {
    const char *name;
    int kind, n_out, agent;
} cs_head;

static const cs_head cs_heads[] = {
    {"urgency", HEARD_KIND_MULTICLASS, 3, 0},
    {"bid", HEARD_KIND_BINARY, 1, 0},
    {"emotional_reaction", HEARD_KIND_MULTICLASS, 3, 1},
    {"interpretation", HEARD_KIND_MULTICLASS, 3, 1},
    {"exploration", HEARD_KIND_MULTICLASS, 3, 1},
    {"ownership", HEARD_KIND_BINARY, 1, 1},
    {"dismissive", HEARD_KIND_BINARY, 1, 1},
};
#define N_CS_HEADS (sizeof cs_heads / sizeof cs_heads[0])
#define CS_BITS 16
#define CS_FOLDS 5
/* Each customer-service head (and each of its CV models) is the mean of
 * five runs that differ in shuffle order: on a few hundred turns one
 * run's order moved held-out figures as much as a rule change did. 5-fold
 * CV, seeds 1-3, means one run -> 5 -> 9 runs: interpretation 0.728 ->
 * 0.747 -> 0.745, missed opportunity 0.780 -> 0.791 -> 0.792,
 * polite_not_empathetic 0.917 -> 0.934 -> 0.931, bid 0.856 -> 0.863 ->
 * 0.861, reaction 0.802 -> 0.803 -> 0.799, highest urgency 0.703 -> 0.698
 * -> 0.700; two retrainings with other seeds disagree on half as many
 * spot-check labels (MODELS.md, "Session 15": bagging the customer-service
 * heads). */
#define CS_BAG 5

static int cs_label(const heard_turn_labels *L, size_t h)
{
    switch (h) {
    case 0: return L->urgency;
    case 1: return L->bid;
    case 2: return L->emotional_reaction;
    case 3: return L->interpretation;
    case 4: return L->exploration;
    case 5: return L->ownership;
    default: return L->dismissive;
    }
}

/* Examples of head h with the fold of each (by conversation). */
static int cs_examples(const heard_corpus *c, const heard_dataset *ds, size_t h,
                       heard_examples *ex, unsigned char **fold)
{
    ex->ds = ds;
    ex->width = 1;
    size_t cap = ds->n ? ds->n : 1;
    *fold = malloc(cap);
    if (!*fold)
        return -1;
    for (size_t i = 0; i < c->n; i++)
        for (size_t t = 0; t < c->c[i].conv.n_turns; t++) {
            if ((c->c[i].turns[t].speaker == HEARD_AGENT) != cs_heads[h].agent)
                continue;
            int y = cs_label(&c->c[i].labels[t], h);
            int max = cs_heads[h].kind == HEARD_KIND_MULTICLASS ? cs_heads[h].n_out - 1 : 1;
            if (y < 0 || y > max)
                continue;
            float fy = (float)y;
            if (heard_examples_add(ex, ds->conv_first[i] + t, &fy) != 0)
                return -1;
            (*fold)[ex->n - 1] = (unsigned char)(heard_split_bucket(c->c[i].key) % CS_FOLDS);
        }
    return 0;
}

static int subset(const heard_examples *all, const unsigned char *fold, int k, int keep,
                  heard_examples *out)
{
    out->ds = all->ds;
    out->width = all->width;
    for (size_t i = 0; i < all->n; i++)
        if ((fold[i] == k) == keep && heard_examples_add(out, all->idx[i], all->y + i) != 0)
            return -1;
    return 0;
}

/* Macro-F1 of 3-class predictions with logit offsets (0, d1, d2). */
static float mc_macro_f1(const float *z, const float *y, size_t n, float d1, float d2)
{
    size_t tp[3] = {0}, fp[3] = {0}, fn[3] = {0};
    for (size_t i = 0; i < n; i++) {
        float a = z[3 * i], b = z[3 * i + 1] + d1, cc = z[3 * i + 2] + d2;
        int p = a >= b && a >= cc ? 0 : b >= cc ? 1 : 2;
        int t = (int)y[i];
        if (p == t)
            tp[p]++;
        else {
            fp[p]++;
            fn[t]++;
        }
    }
    float s = 0;
    for (int k = 0; k < 3; k++)
        s += tp[k] ? 2.0f * (float)tp[k] / (float)(2 * tp[k] + fp[k] + fn[k]) : 0.0f;
    return s / 3.0f;
}

typedef struct cv_result {
    float score, d1, d2, thr;
    float l2;
    int epochs;
} cv_result;

/* k-fold cross-validation of one configuration: out-of-fold scores and the
 * best decision offsets/threshold on them. */
static heard_status cv_run(const heard_train_cfg *cfg, const heard_examples *all,
                           const unsigned char *fold, cv_result *r, heard_error *err)
{
    int n = cfg->n_out;
    float *z = malloc((all->n ? all->n : 1) * (size_t)n * sizeof *z);
    if (!z)
        return HEARD_ENOMEM;
    heard_status st = HEARD_OK;
    for (int k = 0; k < CS_FOLDS && st == HEARD_OK; k++) {
        heard_examples tr = {0}, te = {0};
        heard_head_model m = {0};
        if (subset(all, fold, k, 0, &tr) || subset(all, fold, k, 1, &te))
            st = HEARD_ENOMEM;
        if (st == HEARD_OK)
            st = heard_train_head(cfg, &tr, NULL, &m, err);
        for (size_t i = 0, j = 0; st == HEARD_OK && i < all->n; i++)
            if (fold[i] == k)
                heard_head_scores(&m, all->ds, te.idx[j++], z + i * (size_t)n);
        heard_head_model_free(&m);
        heard_examples_free(&tr);
        heard_examples_free(&te);
    }
    if (st == HEARD_OK && cfg->kind == HEARD_KIND_MULTICLASS) {
        r->score = -1;
        for (int a = -4; a <= 8; a++)
            for (int b = -4; b <= 8; b++) {
                float s = mc_macro_f1(z, all->y, all->n, 0.25f * (float)a, 0.25f * (float)b);
                if (s > r->score + 1e-6f) {
                    r->score = s;
                    r->d1 = 0.25f * (float)a;
                    r->d2 = 0.25f * (float)b;
                }
            }
    } else if (st == HEARD_OK) {
        uint8_t *y = malloc(all->n ? all->n : 1);
        if (!y) {
            free(z);
            return HEARD_ENOMEM;
        }
        for (size_t i = 0; i < all->n; i++) {
            y[i] = all->y[i] > 0.5f;
            z[i] = 1.0f / (1.0f + expf(-z[i]));
        }
        r->thr = heard_best_threshold(z, y, all->n, &r->score);
        free(y);
    }
    free(z);
    return st;
}

#define CV_TIE 0.01f

static heard_status train_cs_heads(const topts *o, const heard_corpus *c,
                                   const heard_dataset *ds, const heard_model *base,
                                   heard_head_model *out, int first, int last, heard_error *err)
{
    /* the agent heads take a stronger L2 range than the customer heads: with
     * 1e-2 in reach every agent head picked it, and 5-fold CV (seeds 1-2)
     * rose for reaction, interpretation and dismissive while bid and
     * highest urgency fell, so the customer heads keep the old range */
    static const float l2s_customer[] = {1e-5f, 1e-4f, 1e-3f};
    static const float l2s_agent[] = {1e-4f, 1e-3f, 1e-2f};
    static const int epochs[] = {5, 10, 20};
    heard_status st = HEARD_OK;
    for (int h = first; h <= last && st == HEARD_OK; h++) {
        heard_examples all = {0};
        unsigned char *fold = NULL;
        float *w0 = NULL, b0[64], t0[64];
        if (cs_examples(c, ds, (size_t)h, &all, &fold) != 0) {
            st = HEARD_ENOMEM;
        } else if (all.n < 2 * CS_FOLDS) {
            LOG(o, "%s: only %zu labelled turns, head skipped\n", cs_heads[h].name, all.n);
            out[h].w = NULL;
        } else {
            int hid = heard_model_head_index(cs_heads[h].name);
            if (base && heard_model_head_copy(base, hid, &w0, b0, t0) != CS_BITS) {
                free(w0);
                w0 = NULL;
            }
            heard_train_cfg cfg = {.kind = cs_heads[h].kind, .n_out = cs_heads[h].n_out,
                                   .hash_bits = CS_BITS, .lr = 0.1f, .seed = o->seed,
                                   .balanced = 1, .quiet = 1, .init_w = w0,
                                   .init_bias = w0 ? b0 : NULL,
                                   .bag = CS_BAG};
            /* the most regularised setting within CV_TIE of the best: on a
             * few hundred turns the grid's scores differ by noise, and a
             * flip between near-equal settings moved held-out numbers by
             * more than the gain of picking the nominal best */
            cv_result res[9], best = {.score = -1};
            size_t nres = 0;
            for (size_t a = 0; a < 3 && st == HEARD_OK; a++)
                for (size_t e = 0; e < 3 && st == HEARD_OK; e++) {
                    cfg.l2 = cs_heads[h].agent ? l2s_agent[a] : l2s_customer[a];
                    cfg.epochs = epochs[e];
                    cv_result r = {0};
                    st = cv_run(&cfg, &all, fold, &r, err);
                    r.l2 = cfg.l2;
                    r.epochs = cfg.epochs;
                    if (st == HEARD_OK) {
                        res[nres++] = r;
                        if (r.score > best.score + 1e-6f)
                            best = r;
                    }
                }
            float top = best.score; /* the band is fixed by the best, not by each pick */
            for (size_t k = 0; k < nres; k++)
                if (res[k].score >= top - CV_TIE &&
                    (res[k].l2 > best.l2 || (res[k].l2 == best.l2 && res[k].epochs < best.epochs)))
                    best = res[k];
            if (st == HEARD_OK) {
                LOG(o, "%-18s %zu turns, %d-fold CV %s %.3f (l2 %g, %d epochs)\n",
                    cs_heads[h].name, all.n, CS_FOLDS,
                    cs_heads[h].kind == HEARD_KIND_MULTICLASS ? "macro-F1" : "F1", best.score,
                    best.l2, best.epochs);
                cfg.l2 = best.l2;
                cfg.epochs = best.epochs;
                st = heard_train_head(&cfg, &all, NULL, &out[h], err);
                if (st == HEARD_OK && cs_heads[h].kind == HEARD_KIND_MULTICLASS) {
                    out[h].bias[1] += best.d1;
                    out[h].bias[2] += best.d2;
                } else if (st == HEARD_OK) {
                    out[h].thr[0] = best.thr;
                }
            }
        }
        free(w0);
        free(fold);
        heard_examples_free(&all);
    }
    return st;
}

/* A scratch model directory holding links to the given files of src. */
static int scratch_dir(const char *src, const char *const *files, size_t n, char *dir,
                       size_t cap)
{
    snprintf(dir, cap, "/tmp/heard-train-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char abs[PATH_MAX];
    if (!realpath(src, abs))
        return -1;
    for (size_t i = 0; i < n; i++) {
        char from[PATH_MAX + 64], to[PATH_MAX];
        snprintf(from, sizeof from, "%s/%s", abs, files[i]);
        if (!file_exists(from))
            continue;
        if (path_join(to, sizeof to, dir, files[i]) || symlink(from, to) != 0)
            return -1;
    }
    return 0;
}

static void scratch_remove(const char *dir, const char *const *files, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char p[PATH_MAX];
        if (path_join(p, sizeof p, dir, files[i]) == 0)
            unlink(p);
    }
    rmdir(dir);
}

static const char *const stage1_files[] = {"lexicon.tsv", "emotions.hm", "politeness.hm",
                                           "sentiment.hm", "cs.hm"};

/* Train all cs heads on corpus c. The customer heads come first; the agent
 * heads are then trained on features extracted with those customer heads
 * loaded, because at analysis time agent context (urgency, bid) comes from
 * them. */
static heard_status train_cs(const topts *o, const heard_corpus *c, const char *model_src,
                             const heard_model *base, heard_error *err)
{
    char dir[64];
    heard_head_model m[N_CS_HEADS];
    memset(m, 0, sizeof m);
    heard_dataset ds = {0};
    heard_status st = HEARD_EIO;
    if (scratch_dir(model_src, stage1_files, 4, dir, sizeof dir) != 0) {
        snprintf(err->message, sizeof err->message, "cannot make a scratch directory: %s",
                 strerror(errno));
        return HEARD_EIO;
    }
    if ((st = extract(dir, c, &ds, err)) != HEARD_OK)
        goto done;
    if ((st = train_cs_heads(o, c, &ds, base, m, 0, 1, err)) != HEARD_OK)
        goto done;
    /* customer heads into the scratch directory, then agent features again */
    const char *names[N_CS_HEADS];
    for (size_t h = 0; h < N_CS_HEADS; h++)
        names[h] = cs_heads[h].name;
    char p[PATH_MAX];
    heard_head_data d[N_CS_HEADS];
    size_t nd = 0;
    for (size_t h = 0; h < 2; h++)
        if (m[h].w)
            d[nd++] = heard_head_data_of(&m[h], names[h]);
    if (path_join(p, sizeof p, dir, "cs.hm") || (st = heard_model_write(p, d, nd, err)))
        goto done;
    heard_dataset_free(&ds);
    if ((st = extract(dir, c, &ds, err)) != HEARD_OK)
        goto done;
    if ((st = train_cs_heads(o, c, &ds, base, m, 2, (int)N_CS_HEADS - 1, err)) != HEARD_OK)
        goto done;
    nd = 0;
    for (size_t h = 0; h < N_CS_HEADS; h++)
        if (m[h].w)
            d[nd++] = heard_head_data_of(&m[h], names[h]);
    if (path_join(p, sizeof p, o->out, "cs.hm") == 0 &&
        (st = heard_model_write(p, d, nd, err)) == HEARD_OK)
        LOG(o, "wrote %s\n", p);
done:
    for (size_t h = 0; h < N_CS_HEADS; h++)
        heard_head_model_free(&m[h]);
    heard_dataset_free(&ds);
    scratch_remove(dir, stage1_files, 5);
    return st;
}

static heard_status task_cs(const topts *o, heard_error *err)
{
    heard_corpus c = {0};
    heard_status st = read_cs_corpus(o, &c, err);
    if (st == HEARD_OK)
        st = read_extra(o->extra, o->n_extra, &c, err);
    if (st == HEARD_OK)
        st = train_cs(o, &c, o->out, NULL, err);
    heard_corpus_free(&c);
    return st;
}

/* heard_cli_train_cs_into (cli.h): the other model files of model_src are
 * linked alongside. With data (the shared data directory), the emotion heads
 * are trained again as `make models` does, on GoEmotions and the customer
 * turns of c only, so that the fold's held-out turns are unseen by every
 * head. extra's conversations join c for the cs heads only. */
int heard_cli_train_cs_into(const heard_corpus *c, const char *model_src, const char *out_dir,
                            const char *data, uint64_t seed, int quiet,
                            const heard_corpus *extra)
{
    topts o = {.out = out_dir, .data = data, .seed = seed, .quiet = quiet, .holdout = 1};
    heard_error err = {{0}};
    char abs[PATH_MAX];
    if (!realpath(model_src, abs))
        return -1;
    for (size_t i = 0; i < 4; i++) {
        char from[PATH_MAX + 64], to[PATH_MAX];
        if (data && strcmp(stage1_files[i], "emotions.hm") == 0)
            continue;
        snprintf(from, sizeof from, "%s/%s", abs, stage1_files[i]);
        if (file_exists(from) &&
            (path_join(to, sizeof to, out_dir, stage1_files[i]) || symlink(from, to) != 0))
            return -1;
    }
    heard_status st = data ? train_emotions(&o, c, &err) : HEARD_OK;
    /* c's conversations then extra's, copied shallowly: c and extra own them */
    size_t n_ex = extra ? extra->n : 0;
    heard_corpus all = {0};
    if (st == HEARD_OK && !(all.c = malloc((c->n + n_ex + 1) * sizeof *all.c))) {
        snprintf(err.message, sizeof err.message, "out of memory");
        st = HEARD_ENOMEM;
    }
    if (st == HEARD_OK) {
        memcpy(all.c, c->c, c->n * sizeof *all.c);
        if (n_ex)
            memcpy(all.c + c->n, extra->c, n_ex * sizeof *all.c);
        all.n = all.cap = c->n + n_ex;
        st = train_cs(&o, &all, out_dir, NULL, &err);
    }
    free(all.c);
    if (st != HEARD_OK)
        fprintf(stderr, "heard eval: training fold: %s\n", err.message);
    return st == HEARD_OK ? 0 : -1;
}

/* ---- an organisation's own labels ---------------------------------------- */

static heard_status copy_file(const char *from, const char *to, heard_error *err)
{
    FILE *a = fopen(from, "rb"), *b = a ? fopen(to, "wb") : NULL;
    heard_status st = HEARD_OK;
    if (!a || !b)
        st = HEARD_EIO;
    char buf[1 << 16];
    size_t n;
    while (st == HEARD_OK && (n = fread(buf, 1, sizeof buf, a)) > 0)
        if (fwrite(buf, 1, n, b) != n)
            st = HEARD_EIO;
    if (a)
        fclose(a);
    if (b && fclose(b) != 0)
        st = HEARD_EIO;
    if (st != HEARD_OK)
        snprintf(err->message, sizeof err->message, "cannot copy %.100s to %.100s", from, to);
    return st;
}

static heard_status task_own(const topts *o, heard_error *err)
{
    heard_corpus c = {0};
    heard_model *base = NULL;
    heard_status st = heard_corpus_read_jsonl(o->data, &c, err);
    if (st == HEARD_OK)
        st = read_extra(o->extra, o->n_extra, &c, err);
    if (st != HEARD_OK) {
        heard_corpus_free(&c);
        return st;
    }
    if (o->base) {
        /* the base's other models and lexicon come along unchanged */
        for (size_t i = 0; i < 4 && st == HEARD_OK; i++) {
            char a[PATH_MAX], b[PATH_MAX];
            if (path_join(a, sizeof a, o->base, stage1_files[i]) ||
                path_join(b, sizeof b, o->out, stage1_files[i]))
                st = HEARD_EINVAL;
            else if (file_exists(a))
                st = copy_file(a, b, err);
        }
        if (st == HEARD_OK && (st = heard_model_load(o->base, &base, err)) == HEARD_EIO)
            st = HEARD_OK; /* no model files there: train from scratch */
    }
    if (st == HEARD_OK)
        st = train_cs(o, &c, o->out, base, err);
    heard_model_free(base);
    heard_corpus_free(&c);
    return st;
}

int heard_cli_train(int argc, char **argv)
{
    topts o = {.task = NULL, .seed = 1};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            train_usage(stdout);
            return 0;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            o.quiet = 1;
            continue;
        } else if (strcmp(a, "--holdout") == 0) {
            o.holdout = 1;
            continue;
        }
        int known = strcmp(a, "--task") == 0 || strcmp(a, "--data") == 0 ||
                    strcmp(a, "--out") == 0 || strcmp(a, "--base") == 0 ||
                    strcmp(a, "--seed") == 0 || strcmp(a, "--extra") == 0;
        if (!known) {
            fprintf(stderr, "heard train: unknown option %s\n", a);
            train_usage(stderr);
            return 2;
        }
        if (!v) {
            fprintf(stderr, "heard train: %s needs a value\n", a);
            return 2;
        }
        if (strcmp(a, "--task") == 0)
            o.task = v;
        else if (strcmp(a, "--data") == 0)
            o.data = v;
        else if (strcmp(a, "--out") == 0)
            o.out = v;
        else if (strcmp(a, "--base") == 0)
            o.base = v;
        else if (strcmp(a, "--extra") == 0) {
            if (o.n_extra == MAX_EXTRA) {
                fprintf(stderr, "heard train: at most %d --extra files\n", MAX_EXTRA);
                return 2;
            }
            o.extra[o.n_extra++] = v;
        }
        else if (strcmp(a, "--seed") == 0) {
            char *end;
            o.seed = strtoull(v, &end, 10);
            if (*end || !*v) {
                fprintf(stderr, "heard train: --seed wants a number, not '%s'\n", v);
                return 2;
            }
        }
        else {
            fprintf(stderr, "heard train: unknown option %s\n", a);
            train_usage(stderr);
            return 2;
        }
        i++;
    }
    if (!o.data || !o.out) {
        train_usage(stderr);
        return 2;
    }
    if (mkdir(o.out, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "heard train: cannot create %s: %s\n", o.out, strerror(errno));
        return 2;
    }
    heard_error err = {{0}};
    heard_status st = HEARD_OK;
    struct stat sb;
    if (stat(o.data, &sb) == 0 && S_ISREG(sb.st_mode)) {
        st = task_own(&o, &err);
    } else {
        const char *t = o.task ? o.task : "all";
        int all = strcmp(t, "all") == 0, known = all;
        static const struct {
            const char *name;
            heard_status (*fn)(const topts *, heard_error *);
        } tasks[] = {{"lexicon", task_lexicon},       {"emotions", task_emotions},
                     {"politeness", task_politeness}, {"sentiment", task_sentiment},
                     {"cs", task_cs}};
        for (size_t k = 0; k < sizeof tasks / sizeof tasks[0] && st == HEARD_OK; k++)
            if (all || strcmp(t, tasks[k].name) == 0) {
                known = 1;
                st = tasks[k].fn(&o, &err);
            }
        if (!known) {
            fprintf(stderr, "heard train: unknown task %s\n", t);
            return 2;
        }
    }
    if (st != HEARD_OK) {
        fprintf(stderr, "heard train: %s\n", err.message[0] ? err.message : heard_status_name(st));
        return 2;
    }
    return 0;
}

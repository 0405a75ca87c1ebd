/* test_model.c - the model file format (write, load, corrupt and truncated
 * files), prediction on a hand-made model, training determinism, and the
 * shipped models on a few clear sentences. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "model.h"
#include "train.h"

#define BITS 8
#define ROWS (1u << BITS)

static char tmpdir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/heard-test-model-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    DIR *d = opendir(tmpdir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char p[512];
        snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
        unlink(p);
    }
    if (d)
        closedir(d);
    rmdir(tmpdir);
    return 0;
}

/* A binary "bid" head and a 3-class "urgency" head with a few weights. */
static void write_small(const char *path, int quantize)
{
    static float wb[ROWS], wu[ROWS * 3];
    memset(wb, 0, sizeof wb);
    memset(wu, 0, sizeof wu);
    wb[5] = 2.0f;          /* feature row 5 pushes bid up */
    wb[9] = -1.0f;
    wu[7 * 3 + 2] = 3.0f;  /* row 7 pushes urgency to class 2 */
    float bb[1] = {-1.0f}, tb[1] = {0.4f}, bu[3] = {0, 0, 0}, tu[3] = {0.5f, 0.5f, 0.5f};
    heard_head_data h[2] = {
        {.name = "bid", .kind = HEARD_KIND_BINARY, .n_outputs = 1, .hash_bits = BITS,
         .quantize = quantize, .bias = bb, .threshold = tb, .weights = wb},
        {.name = "urgency", .kind = HEARD_KIND_MULTICLASS, .n_outputs = 3, .hash_bits = BITS,
         .quantize = quantize, .bias = bu, .threshold = tu, .weights = wu},
    };
    heard_error err;
    assert_int_equal(heard_model_write(path, h, 2, &err), HEARD_OK);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

static void spit(const char *path, const char *b, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, len, f), len);
    fclose(f);
}

static void test_roundtrip_predict(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/small.hm", tmpdir);
    write_small(path, 1);
    heard_model *m;
    heard_error err;
    assert_int_equal(heard_model_load(tmpdir, &m, &err), HEARD_OK);
    assert_true(heard_model_has_head(m, HEARD_HEAD_BID));
    assert_true(heard_model_has_head(m, HEARD_HEAD_URGENCY));
    assert_false(heard_model_has_head(m, HEARD_HEAD_EMOTIONS));

    heard_feature fv[2] = {{.id = 5 + 3 * ROWS, .value = 1.0f, .first = 2, .last = 4},
                           {.id = 7, .value = 1.0f, .first = 0, .last = 1}};
    heard_features f = {.f = fv, .n = 2, .cap = 2};
    heard_model_out o;
    heard_model_predict(m, &f, &o);
    assert_float_equal(o.bid, 1.0f / (1.0f + expf(-1.0f)), 0.02f); /* -1 + 2 */
    assert_float_equal(o.bid_threshold, 0.4f, 1e-6f);
    assert_true(o.urgency[2] > o.urgency[0] && o.urgency[2] > o.urgency[1]);
    assert_true(isnan(o.emotions[0]) && isnan(o.politeness) && isnan(o.sentiment));
    /* evidence: the bid came from the span [2, 4), urgency from [0, 1) */
    int saw_bid = 0, saw_urg = 0;
    for (int i = 0; i < o.n_top; i++) {
        if (o.top[i].head == HEARD_HEAD_BID && o.top[i].first == 2 && o.top[i].last == 4)
            saw_bid = 1;
        if (o.top[i].head == HEARD_HEAD_URGENCY && o.top[i].output == 2 && o.top[i].first == 0)
            saw_urg = 1;
    }
    assert_true(saw_bid);
    assert_true(saw_urg);
    assert_string_equal(heard_model_head_cue(HEARD_HEAD_BID), "model.bid");
    /* only the heads asked for are computed, and without evidence search */
    heard_model_out o2;
    heard_model_predict_heads(m, &f, 1u << HEARD_HEAD_BID, 0, &o2);
    assert_float_equal(o2.bid, o.bid, 1e-6f);
    assert_true(isnan(o2.urgency[0]));
    assert_int_equal(o2.n_top, 0);
    /* explaining on demand finds the same spans, best first */
    heard_model_span sp[4];
    assert_int_equal(heard_model_explain(m, &f, HEARD_HEAD_BID, 0, 1.0f, sp, 4), 1);
    assert_int_equal(sp[0].first, 2);
    assert_int_equal(sp[0].last, 4);
    assert_true(sp[0].weight > 1.9f);
    assert_int_equal(heard_model_explain(m, &f, HEARD_HEAD_URGENCY, 2, 1.0f, sp, 4), 1);
    assert_int_equal(sp[0].first, 0);
    /* nothing pushes bid down here except feature 9, which is absent */
    assert_int_equal(heard_model_explain(m, &f, HEARD_HEAD_BID, 0, -1.0f, sp, 4), 0);
    assert_int_equal(heard_model_explain(m, &f, HEARD_HEAD_EMOTIONS, 0, 1.0f, sp, 4), 0);
    heard_model_free(m);
    unlink(path);
}

static void expect_bad(const char *content, size_t len, const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    spit(path, content, len);
    heard_model *m = (heard_model *)1;
    heard_error err = {{0}};
    assert_int_equal(heard_model_load(tmpdir, &m, &err), HEARD_EMODEL);
    assert_null(m);
    assert_non_null(strstr(err.message, name)); /* the message names the file */
    unlink(path);
}

static void test_truncated_and_corrupt(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/good.hm", tmpdir);
    write_small(path, 0);
    size_t len;
    char *b = slurp(path, &len);
    unlink(path);

    /* a truncated copy made through mkstemp, renamed to *.hm */
    char tpath[128];
    snprintf(tpath, sizeof tpath, "%s/tmpXXXXXX", tmpdir);
    int fd = mkstemp(tpath);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, b, len / 2), (ssize_t)(len / 2));
    close(fd);
    char hm[160];
    snprintf(hm, sizeof hm, "%s.hm", tpath);
    assert_int_equal(rename(tpath, hm), 0);
    heard_model *m;
    heard_error err = {{0}};
    assert_int_equal(heard_model_load(tmpdir, &m, &err), HEARD_EMODEL);
    assert_non_null(strstr(err.message, "truncated"));
    assert_non_null(strstr(err.message, strrchr(hm, '/') + 1));
    unlink(hm);

    expect_bad(b, 10, "tiny.hm");
    char *flip = malloc(len);
    memcpy(flip, b, len);
    flip[len / 2] ^= 0x40; /* one flipped byte in the weights */
    expect_bad(flip, len, "flipped.hm");
    memcpy(flip, b, len);
    flip[0] = 'X';
    expect_bad(flip, len, "magic.hm");
    memcpy(flip, b, len);
    flip[4] = 9; /* format version */
    expect_bad(flip, len, "version.hm");
    free(flip);
    free(b);
}

static void test_no_model(void **state)
{
    (void)state;
    heard_model *m;
    heard_error err = {{0}};
    assert_int_equal(heard_model_load(tmpdir, &m, &err), HEARD_EIO);
    assert_non_null(strstr(err.message, "no model"));
    assert_int_equal(heard_model_load("/nonexistent/heard", &m, &err), HEARD_EIO);
}

/* Synthetic separable data: feature 1 means class 1, feature 2 class 0. */
static void synth(heard_dataset *ds, heard_examples *ex)
{
    memset(ds, 0, sizeof *ds);
    size_t n = 200;
    ds->n = n;
    ds->off = calloc(n + 1, sizeof *ds->off);
    ds->id = calloc(n * 3, sizeof *ds->id);
    ds->val = calloc(n * 3, sizeof *ds->val);
    assert_non_null(ds->off);
    assert_non_null(ds->id);
    assert_non_null(ds->val);
    uint64_t s = 42;
    ex->ds = ds;
    ex->width = 1;
    for (size_t i = 0; i < n; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        int y = (int)((s >> 33) & 1);
        ds->id[3 * i] = y ? 1 : 2;
        ds->id[3 * i + 1] = (uint32_t)(s >> 40); /* noise */
        ds->id[3 * i + 2] = 99;                  /* always on */
        ds->val[3 * i] = ds->val[3 * i + 1] = ds->val[3 * i + 2] = 1.0f;
        ds->off[i + 1] = 3 * (i + 1);
        float fy = (float)y;
        assert_int_equal(heard_examples_add(ex, i, &fy), 0);
    }
    ds->nf = 3 * n;
}

static void test_training_deterministic(void **state)
{
    (void)state;
    heard_dataset ds;
    heard_examples ex = {0};
    synth(&ds, &ex);
    heard_train_cfg cfg = {.kind = HEARD_KIND_BINARY, .n_out = 1, .hash_bits = 10,
                           .l2 = 1e-4f, .lr = 0.1f, .epochs = 5, .patience = 2, .seed = 7,
                           .quiet = 1};
    char p[2][128];
    for (int run = 0; run < 2; run++) {
        heard_head_model m;
        heard_error err;
        assert_int_equal(heard_train_head(&cfg, &ex, &ex, &m, &err), HEARD_OK);
        assert_true(m.dev_score > 0.95f); /* separable: F1 near 1 */
        snprintf(p[run], sizeof p[run], "%s/det%d.hm", tmpdir, run);
        heard_head_data d = heard_head_data_of(&m, "bid");
        assert_int_equal(heard_model_write(p[run], &d, 1, &err), HEARD_OK);
        heard_head_model_free(&m);
    }
    size_t l0, l1;
    char *a = slurp(p[0], &l0), *b = slurp(p[1], &l1);
    assert_int_equal(l0, l1);
    assert_memory_equal(a, b, l0);
    free(a);
    free(b);
    unlink(p[0]);
    unlink(p[1]);
    heard_examples_free(&ex);
    heard_dataset_free(&ds);
}

/* Bagging by shuffle order: the same bytes every run, weights that differ
 * from one run's (they are a mean of several), a model that still
 * separates the classes, and no bagging when a dev set early-stops. */
static void test_training_bagged(void **state)
{
    (void)state;
    heard_dataset ds;
    heard_examples ex = {0};
    synth(&ds, &ex);
    heard_train_cfg cfg = {.kind = HEARD_KIND_BINARY, .n_out = 1, .hash_bits = 10,
                           .l2 = 1e-4f, .lr = 0.1f, .epochs = 5, .seed = 7, .quiet = 1};
    heard_head_model one, bag[2], dev1, devbag;
    heard_error err;
    assert_int_equal(heard_train_head(&cfg, &ex, NULL, &one, &err), HEARD_OK);
    cfg.bag = 4;
    for (int r = 0; r < 2; r++)
        assert_int_equal(heard_train_head(&cfg, &ex, NULL, &bag[r], &err), HEARD_OK);
    size_t nw = (size_t)1 << 10;
    assert_memory_equal(bag[0].w, bag[1].w, nw * sizeof *bag[0].w);
    assert_true(bag[0].bias[0] == bag[1].bias[0]);
    size_t differ = 0;
    for (size_t i = 0; i < nw; i++)
        differ += bag[0].w[i] != one.w[i];
    assert_true(differ > 0);
    size_t right = 0;
    for (size_t i = 0; i < ex.n; i++) {
        float z;
        heard_head_scores(&bag[0], &ds, ex.idx[i], &z);
        right += (z >= 0) == (ex.y[i] > 0.5f);
    }
    assert_int_equal(right, ex.n);
    cfg.patience = 2;
    cfg.bag = 1;
    assert_int_equal(heard_train_head(&cfg, &ex, &ex, &dev1, &err), HEARD_OK);
    cfg.bag = 4;
    assert_int_equal(heard_train_head(&cfg, &ex, &ex, &devbag, &err), HEARD_OK);
    assert_memory_equal(dev1.w, devbag.w, nw * sizeof *dev1.w);
    heard_head_model_free(&one);
    heard_head_model_free(&bag[0]);
    heard_head_model_free(&bag[1]);
    heard_head_model_free(&dev1);
    heard_head_model_free(&devbag);
    heard_examples_free(&ex);
    heard_dataset_free(&ds);
}

/* Pooled thresholds: with a dev set of negatives only, dev alone gives no
 * threshold to speak of; the out-of-fold scores of the training examples
 * give one that separates the classes, the same one each run. */
static void test_thresholds_pooled(void **state)
{
    (void)state;
    heard_dataset ds;
    heard_examples ex = {0}, neg = {.width = 1};
    synth(&ds, &ex);
    neg.ds = &ds;
    for (size_t i = 0; i < ex.n; i++)
        if (ex.y[i] < 0.5f)
            assert_int_equal(heard_examples_add(&neg, ex.idx[i], &ex.y[i]), 0);
    heard_train_cfg cfg = {.kind = HEARD_KIND_BINARY, .n_out = 1, .hash_bits = 10,
                           .l2 = 1e-4f, .lr = 0.1f, .epochs = 5, .patience = 2, .seed = 7,
                           .quiet = 1};
    heard_head_model m;
    heard_error err;
    assert_int_equal(heard_train_head(&cfg, &ex, &neg, &m, &err), HEARD_OK);
    float thr[2];
    for (int run = 0; run < 2; run++) {
        assert_int_equal(heard_head_tune_thresholds_pooled(&m, &cfg, &ex, &neg, 5, &err),
                         HEARD_OK);
        thr[run] = m.thr[0];
    }
    assert_true(thr[0] == thr[1]);
    assert_true(thr[0] > 0.02f && thr[0] < 0.98f);
    heard_head_model d = m; /* dev alone: no positive, F1 0 at every cut */
    heard_head_tune_thresholds(&d, &neg);
    assert_true(d.thr[0] == 0.5f);
    assert_true(fabsf(thr[0] - 0.5f) > 1e-3f);
    size_t right = 0;
    for (size_t i = 0; i < ex.n; i++) {
        float z;
        heard_head_scores(&m, &ds, ex.idx[i], &z);
        right += (1.0f / (1.0f + expf(-z)) >= thr[0]) == (ex.y[i] > 0.5f);
    }
    assert_int_equal(right, ex.n);
    assert_int_equal(heard_head_tune_thresholds_pooled(&m, &cfg, &ex, &neg, 1, &err),
                     HEARD_EINVAL);
    assert_non_null(strstr(err.message, "folds"));
    heard_head_model_free(&m);
    heard_examples_free(&neg);
    heard_examples_free(&ex);
    heard_dataset_free(&ds);
}

/* ---- shipped models ---------------------------------------------------- */

typedef struct grab {
    heard_features f;
} grab;

static void on_feats(void *user, size_t turn, const heard_features *f)
{
    (void)turn;
    grab *g = user;
    free(g->f.f);
    g->f.f = malloc((f->n ? f->n : 1) * sizeof *f->f);
    if (g->f.f)
        memcpy(g->f.f, f->f, f->n * sizeof *f->f);
    g->f.n = g->f.f ? f->n : 0;
    g->f.n_core = g->f.f ? f->n_core : 0;
}

/* Core features of a one-turn customer text (caller frees g->f.f). */
static void core_features(const heard_analyzer *an, const char *text, grab *g)
{
    heard_workspace *ws;
    heard_error err;
    assert_int_equal(heard_workspace_new(an, &ws, &err), HEARD_OK);
    ws->feature_cb = on_feats;
    ws->feature_user = g;
    heard_turn_in t = {.speaker = HEARD_CUSTOMER, .text = text, .len = strlen(text),
                       .at = HEARD_NO_TIME};
    heard_conversation_in c = {.channel = HEARD_CHAT, .turns = &t, .n_turns = 1};
    heard_result *r;
    assert_int_equal(heard_analyze(an, ws, &c, &r, &err), HEARD_OK);
    heard_result_free(r);
    heard_workspace_free(ws);
}

/* Model outputs of a one-turn customer text (emotion and Ekman heads). */
static void text_outputs(const heard_analyzer *an, const heard_model *m, const char *text,
                         heard_model_out *o)
{
    grab g = {{0}};
    core_features(an, text, &g);
    heard_model_predict(m, &g.f, o);
    free(g.f.f);
}

static double core_sum(const grab *g)
{
    double v = 0;
    for (size_t i = 0; i < g->f.n_core; i++)
        v += g->f.f[i].value;
    return v;
}

/* A word equal to its stem ("run") gives one feature where a word with its
 * own stem ("running") gives two (word and stem unigram), and the merged
 * feature carries both values: same total. */
static void check_merged_unigram(const heard_analyzer *an)
{
    grab a = {{0}}, b = {{0}};
    core_features(an, "run", &a);
    core_features(an, "running", &b);
    assert_int_equal(a.f.n_core + 1, b.f.n_core);
    assert_true(fabs(core_sum(&a) - core_sum(&b)) < 1e-5);
    free(a.f.f);
    free(b.f.f);
}

static int top_emotion(const heard_analyzer *an, const heard_model *m, const char *text)
{
    heard_model_out o;
    text_outputs(an, m, text, &o);
    int best = 0;
    for (int k = 1; k < HEARD_N_EMOTIONS - 1; k++)
        if (o.emotions[k] > o.emotions[best])
            best = k;
    return best;
}

/* The Ekman head agrees with plain texts: anger on and joy off for fury,
 * the other way round for thanks. */
static void check_ekman(const heard_analyzer *an, const heard_model *m)
{
    heard_model_out o;
    text_outputs(an, m, "I am furious", &o);
    assert_true(o.ekman[HEARD_EK_ANGER] >= o.ekman_threshold[HEARD_EK_ANGER]);
    assert_true(o.ekman[HEARD_EK_JOY] < o.ekman_threshold[HEARD_EK_JOY]);
    text_outputs(an, m, "thank you so much!", &o);
    assert_true(o.ekman[HEARD_EK_JOY] >= o.ekman_threshold[HEARD_EK_JOY]);
    assert_true(o.ekman[HEARD_EK_ANGER] < o.ekman_threshold[HEARD_EK_ANGER]);
}

static void test_shipped(void **state)
{
    (void)state;
    const char *dir = getenv("HEARD_MODELS");
    heard_model *m;
    heard_error err;
    if (!dir)
        skip();
    heard_status st = heard_model_load(dir, &m, &err);
    if (st == HEARD_EIO)
        skip(); /* models not generated in this tree */
    assert_int_equal(st, HEARD_OK);
    assert_true(heard_model_has_head(m, HEARD_HEAD_EMOTIONS));
    heard_options opt = {.model_dir = dir};
    heard_analyzer *an;
    assert_int_equal(heard_analyzer_new(&opt, &an, &err), HEARD_OK);
    assert_string_equal(heard_emotion_name(top_emotion(an, m, "thank you so much!")),
                        "gratitude");
    const char *e = heard_emotion_name(top_emotion(an, m, "I am furious"));
    assert_true(strcmp(e, "anger") == 0 || strcmp(e, "annoyance") == 0);
    assert_true(heard_model_has_head(m, HEARD_HEAD_EKMAN));
    check_ekman(an, m);
    check_merged_unigram(an);
    heard_analyzer_free(an);
    heard_model_free(m);
}

/* Every summing kernel (plain C, SSE2, SSE4.1 and AVX2 where the CPU has
 * them; chosen at load, forced with HEARD_SIMD; unset: the default, which
 * sums the text pack and a speaker pack in one pass) gives the same
 * outputs to the bit, for all heads and for each speaker's heads. */
static void test_kernels_agree(void **state)
{
    (void)state;
    const char *dir = getenv("HEARD_MODELS");
    if (!dir)
        skip();
    static const char *const kernels[] = {"plain", "sse2", "sse41", "avx2", NULL};
    static const uint32_t masks[] = {~0u, HEARD_HEADS_CUSTOMER, HEARD_HEADS_AGENT};
    static const char *const texts[] = {
        "thank you so much!", "I am furious, this is the third time my order is late!!",
        "I'm so sorry to hear that, I understand how frustrating it must be. Let me fix it.",
        "ok"};
    heard_options opt = {.model_dir = dir};
    heard_analyzer *an;
    heard_error err;
    heard_status st = heard_analyzer_new(&opt, &an, &err);
    if (st == HEARD_EIO)
        skip();
    assert_int_equal(st, HEARD_OK);
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        grab g = {{0}};
        core_features(an, texts[t], &g);
        assert_true(g.f.n > g.f.n_core); /* the speaker packs read more */
        for (size_t h = 0; h < sizeof masks / sizeof *masks; h++) {
            heard_model_out want, got;
            for (size_t k = 0; k < sizeof kernels / sizeof *kernels; k++) {
                heard_model *m;
                if (kernels[k])
                    assert_int_equal(setenv("HEARD_SIMD", kernels[k], 1), 0);
                else
                    unsetenv("HEARD_SIMD");
                assert_int_equal(heard_model_load(dir, &m, &err), HEARD_OK);
                heard_model_out *o = k ? &got : &want;
                memset(o, 0, sizeof *o);
                heard_model_predict_heads(m, &g.f, masks[h], 1, o);
                assert_false(isnan(o->emotions[0]));
                if (k)
                    assert_memory_equal(&want, &got, sizeof want);
                heard_model_free(m);
            }
        }
        free(g.f.f);
    }
    unsetenv("HEARD_SIMD");
    heard_analyzer_free(an);
}

/* Emotion probabilities are computed several at a time where the CPU and
 * libm allow it (model.c, "sigmoids"): they must be the bits of
 * 1 / (1 + expf(-z)) for any z. An emotions head with zero weights scores
 * its biases, so biases sweep the logits: a dense range, large values
 * (expf's special cases) and non-numbers; the urgency softmax likewise. */
static void test_sigmoids_exact(void **state)
{
    (void)state;
    unsetenv("HEARD_SIMD");
    enum { N = HEARD_N_EMOTIONS, BATCHES = 400 };
    static float w[2 * N];
    float bias[N], thr[N];
    for (int o = 0; o < N; o++)
        thr[o] = 0.5f;
    char path[128];
    snprintf(path, sizeof path, "%s/emo.hm", tmpdir);
    uint32_t seed = 12345;
    for (int b = 0; b < BATCHES; b++) {
        for (int o = 0; o < N; o++) {
            seed = seed * 1664525u + 1013904223u;
            float z;
            if (b == 0) {
                static const float special[] = {0.0f, -0.0f, 87.99f, 88.0f, -88.0f, 88.5f,
                                                -88.5f, 103.5f, -103.5f, 104.0f, -104.0f,
                                                200.0f, -200.0f, 1e30f, -1e30f, INFINITY,
                                                -INFINITY, NAN, 1e-40f, -1e-40f, 1e-8f,
                                                -1e-8f, 0.5f, -0.5f, 1.0f, -1.0f, 20.0f,
                                                -20.0f};
                z = special[o];
            } else if (b % 4 == 0) {
                uint32_t u = seed; /* any float bits */
                memcpy(&z, &u, sizeof z);
            } else {
                z = ((float)(seed >> 8) / 16777216.0f - 0.5f) * (b % 4 == 1 ? 40.0f : 220.0f);
            }
            bias[o] = z;
        }
        /* urgency (a softmax) scores three of the same values */
        heard_head_data h[2] = {
            {.name = "emotions", .kind = HEARD_KIND_MULTILABEL, .n_outputs = N, .hash_bits = 1,
             .bias = bias, .threshold = thr, .weights = w},
            {.name = "urgency", .kind = HEARD_KIND_MULTICLASS, .n_outputs = 3, .hash_bits = 1,
             .bias = bias + b % (N - 2), .threshold = thr, .weights = w}};
        heard_error err;
        assert_int_equal(heard_model_write(path, h, 2, &err), HEARD_OK);
        heard_model *m;
        assert_int_equal(heard_model_load(tmpdir, &m, &err), HEARD_OK);
        heard_features f = {0};
        heard_model_out o;
        heard_model_predict_heads(m, &f, 1u << HEARD_HEAD_EMOTIONS | 1u << HEARD_HEAD_URGENCY, 0,
                                  &o);
        for (int k = 0; k < N; k++) {
            float want = 1.0f / (1.0f + expf(-bias[k]));
            if (memcmp(&want, &o.emotions[k], sizeof want) != 0)
                fail_msg("sigmoid(%a) = %a, expf gives %a", (double)bias[k],
                         (double)o.emotions[k], (double)want);
        }
        const float *u = bias + b % (N - 2);
        float mx = u[0] > u[1] ? u[0] : u[1], pu[3], su = 0;
        mx = mx > u[2] ? mx : u[2];
        for (int k = 0; k < 3; k++)
            su += (pu[k] = expf(u[k] - mx));
        for (int k = 0; k < 3; k++) {
            pu[k] /= su;
            if (memcmp(&pu[k], &o.urgency[k], sizeof pu[k]) != 0)
                fail_msg("softmax of %a %a %a: class %d %a, expf gives %a", (double)u[0],
                         (double)u[1], (double)u[2], k, (double)o.urgency[k], (double)pu[k]);
        }
        heard_model_free(m);
    }
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_model),
        cmocka_unit_test(test_roundtrip_predict),
        cmocka_unit_test(test_truncated_and_corrupt),
        cmocka_unit_test(test_training_deterministic),
        cmocka_unit_test(test_training_bagged),
        cmocka_unit_test(test_thresholds_pooled),
        cmocka_unit_test(test_shipped),
        cmocka_unit_test(test_kernels_agree),
        cmocka_unit_test(test_sigmoids_exact),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* train.h - training data and the deterministic trainer of the linear heads.
 *
 * Corpora are read into labelled conversations (heard_corpus); a single
 * text (GoEmotions, politeness, valence) becomes a one-turn customer
 * conversation. Features are taken from the real analysis path: an analyser
 * runs heard_analyze() with the workspace feature hook set, so the trainer
 * sees exactly the vectors the analyser will see (heard_dataset). Heads are
 * trained by AdaGrad on logistic / softmax / squared loss with L2, with
 * early stopping and thresholds tuned on a development split. Everything is
 * single-threaded with fixed seeds and orders: same data, same bytes. */
#ifndef HEARD_TRAIN_H
#define HEARD_TRAIN_H

#include <stddef.h>
#include <stdint.h>

#include "heard/heard.h"
#include "model.h"

/* Labels of one turn; -1 (or has_emotions 0) when absent. */
typedef struct heard_turn_labels {
    int has_emotions;
    uint32_t emotions; /* bit i: GoEmotions label i */
    int urgency, bid, politeness;
    int emotional_reaction, interpretation, exploration, ownership, dismissive;
} heard_turn_labels;

/* A labelled conversation; owns its texts. */
typedef struct heard_lconv {
    char *id;
    heard_conversation_in conv;
    heard_turn_in *turns;
    heard_turn_labels *labels; /* n_turns */
    float felt_heard;          /* NaN when absent */
    int polite_not_empathetic; /* -1 when absent */
    float target;              /* single-text score (politeness, valence); NaN */
    uint64_t key;              /* stable hash of the item id, for splits */
} heard_lconv;

typedef struct heard_corpus {
    heard_lconv *c;
    size_t n, cap;
} heard_corpus;

void heard_corpus_free(heard_corpus *c);
/* Conversations in the cs-corpus / input JSONL format (labels optional). */
heard_status heard_corpus_read_jsonl(const char *path, heard_corpus *c, heard_error *err);
/* GoEmotions TSV: text, label ids, comment id. */
heard_status heard_corpus_read_goemotions(const char *path, heard_corpus *c, heard_error *err);
/* Stanford politeness CSV: Community,Id,Request,Normalized Score. */
heard_status heard_corpus_read_politeness(const char *path, heard_corpus *c, heard_error *err);
/* VADER ground truth: id TAB mean valence (-4..4) TAB text; target = mean/4. */
heard_status heard_corpus_read_valence(const char *path, heard_corpus *c, heard_error *err);

/* Deterministic split of an item by its key: 0..99. */
static inline unsigned heard_split_bucket(uint64_t key)
{
    key ^= key >> 31;
    key *= 0x7fb5d329728ea185ull;
    key ^= key >> 27;
    return (unsigned)(key % 100u);
}

/* Features of every turn of a corpus, in order (example = one turn). */
typedef struct heard_dataset {
    size_t n, cap;
    size_t *off;     /* n + 1 offsets into id/val */
    size_t *core;    /* n: end of example i's text-only features (see
                      * heard_features.n_core); NULL: all features */
    uint32_t *id;
    float *val;
    size_t nf, fcap;
    size_t *conv_first; /* per conversation: its first example */
    size_t n_conv;
} heard_dataset;

/* Analyse every conversation with an (a model-less or partial) analyser and
 * keep the feature vector of every turn. */
heard_status heard_dataset_extract(const heard_analyzer *an, const heard_corpus *c,
                                   heard_dataset *ds, heard_error *err);
void heard_dataset_free(heard_dataset *ds);

/* Examples of one head: indices into a dataset with their targets:
 * multilabel n*n_out 0/1 values; binary 0/1; multiclass the class index;
 * regression the value. */
typedef struct heard_examples {
    const heard_dataset *ds;
    size_t *idx;
    float *y;
    size_t n, cap;
    int width; /* targets per example */
} heard_examples;

int heard_examples_add(heard_examples *e, size_t example, const float *y);
void heard_examples_free(heard_examples *e);

typedef struct heard_train_cfg {
    int kind;       /* enum heard_head_kind */
    int n_out;
    int hash_bits;
    float l2;       /* L2 strength per update */
    float lr;       /* AdaGrad step */
    int epochs;     /* maximum epochs */
    int patience;   /* epochs without dev improvement before stopping */
    uint64_t seed;
    int balanced;   /* weight classes (multiclass/binary) by 1/sqrt(freq) */
    float lo, hi;   /* regression clamp */
    int quiet;
    /* warm start (NULL: zeros): weights [2^hash_bits][n_out] and bias to
     * start from; L2 then pulls towards them instead of towards 0 */
    const float *init_w, *init_bias;
    int core_only;  /* text heads: read only the speaker-independent core */
    int bag;        /* without dev: average the weights of this many runs
                     * with different shuffle seeds (0 or 1: one run) */
} heard_train_cfg;

typedef struct heard_head_model {
    int kind, n_out, bits;
    float *w; /* [2^bits][n_out] */
    float bias[64], thr[64];
    float lo, hi;
    int core_only;   /* reads only the core features of each example */
    int epochs;      /* epochs of the kept weights */
    float dev_score; /* early-stopping metric on dev (NaN without dev) */
} heard_head_model;

/* Train a head; dev may be NULL (then cfg->epochs are run). Weights are
 * rounded to the int8 grid before thresholds are tuned, so what is tuned is
 * what ships. */
heard_status heard_train_head(const heard_train_cfg *cfg, const heard_examples *train,
                              const heard_examples *dev, heard_head_model *out,
                              heard_error *err);
void heard_head_model_free(heard_head_model *m);
/* Raw scores (logits / regression value) of example ex. */
void heard_head_scores(const heard_head_model *m, const heard_dataset *ds, size_t ex, float *z);
/* Tune the decision thresholds of binary/multilabel outputs on ex (max F1). */
void heard_head_tune_thresholds(heard_head_model *m, const heard_examples *ex);
/* Tune the thresholds of m (trained on tr with cfg, early-stopped on dev)
 * on pooled probabilities: out-of-fold ones on tr (k heads, each trained on
 * the other folds for m->epochs) and m's own on dev. The training set is
 * many times dev, so rare labels' thresholds rest on more than a dozen
 * positives. */
heard_status heard_head_tune_thresholds_pooled(heard_head_model *m, const heard_train_cfg *cfg,
                                               const heard_examples *tr,
                                               const heard_examples *dev, int k,
                                               heard_error *err);
/* The metric early stopping uses: macro-F1 (classifiers) or Pearson r. */
float heard_head_metric(const heard_head_model *m, const heard_examples *ex);
/* A writable view of the head for heard_model_write(). */
heard_head_data heard_head_data_of(const heard_head_model *m, const char *name);

/* Threshold maximising F1 of probabilities p against 0/1 labels y. */
float heard_best_threshold(const float *p, const uint8_t *y, size_t n, float *f1);

/* Statistics helpers shared by training and evaluation. */
float heard_pearson(const float *x, const float *y, size_t n);
float heard_spearman(const float *x, const float *y, size_t n);

#endif

/* model.h - learned linear heads over hashed sparse features (features.h),
 * stored in a versioned binary file with a checksum and loaded by mmap.
 * A model is optional: without one the analyser uses its rules alone. */
#ifndef HEARD_MODEL_H
#define HEARD_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "heard/heard.h"
#include "featurize.h"

typedef struct heard_model heard_model; /* immutable after load */

/* Ekman groups of the GoEmotions labels (the outputs of the "ekman" head). */
enum heard_ekman {
    HEARD_EK_ANGER, HEARD_EK_DISGUST, HEARD_EK_FEAR, HEARD_EK_SADNESS, HEARD_EK_SURPRISE,
    HEARD_EK_JOY, HEARD_EK_NEUTRAL, HEARD_N_EKMAN
};

/* Outputs of every head for one turn; a head the model lacks is NaN. */
typedef struct heard_model_out {
    float emotions[HEARD_N_EMOTIONS]; /* probabilities */
    float emotion_threshold[HEARD_N_EMOTIONS];
    float sentiment;                  /* [-1, 1] */
    float politeness;                 /* [-1, 1] */
    float urgency[3];                 /* class probabilities */
    float bid;                        /* probability */
    float emotional_reaction[3], interpretation[3], exploration[3];
    float ownership, dismissive;      /* probabilities */
    /* top contributing features for evidence: token spans [first, last)
     * (token indices of the turn), weight = weight x value of the feature
     * for the predicted output; head is an enum heard_head, output the
     * label/class index inside it (emotion index, class 1/2, or 0). */
    struct { uint32_t first, last; float weight; uint16_t head; uint16_t output; } top[8];
    int n_top;
    /* decision thresholds of the binary heads (bid, ownership, dismissive):
     * predicted present when probability >= threshold; NaN when absent. */
    float bid_threshold, ownership_threshold, dismissive_threshold;
    float felt_heard;                 /* 1..5 (conversation-level head), NaN */
    /* Ekman groups of the emotions (enum heard_ekman): probabilities and
     * their dev-tuned thresholds; NaN without the "ekman" head */
    float ekman[HEARD_N_EKMAN], ekman_threshold[HEARD_N_EKMAN];
} heard_model_out;

/* The heads a model file may contain (file head names in brackets). */
enum heard_head {
    HEARD_HEAD_EMOTIONS = 0,   /* "emotions": multilabel, 28 sigmoid outputs */
    HEARD_HEAD_SENTIMENT,      /* "sentiment": regression, [-1, 1] */
    HEARD_HEAD_POLITENESS,     /* "politeness": regression, [-1, 1], 0 = neutral */
    HEARD_HEAD_URGENCY,        /* "urgency": multiclass 0/1/2 (customer turns) */
    HEARD_HEAD_BID,            /* "bid": binary (customer turns) */
    HEARD_HEAD_ER,             /* "emotional_reaction": multiclass (agent turns) */
    HEARD_HEAD_IP,             /* "interpretation": multiclass (agent turns) */
    HEARD_HEAD_EX,             /* "exploration": multiclass (agent turns) */
    HEARD_HEAD_OWNERSHIP,      /* "ownership": binary (agent turns) */
    HEARD_HEAD_DISMISSIVE,     /* "dismissive": binary (agent turns) */
    HEARD_HEAD_FELT_HEARD,     /* "felt_heard": regression 1..5 (conversation) */
    HEARD_HEAD_EKMAN,          /* "ekman": multilabel, 7 sigmoid outputs (enum heard_ekman) */
    HEARD_N_HEADS
};

/* Kinds of head stored in a file. */
enum heard_head_kind {
    HEARD_KIND_BINARY = 0,     /* one sigmoid output */
    HEARD_KIND_MULTILABEL = 1, /* n independent sigmoid outputs */
    HEARD_KIND_MULTICLASS = 2, /* softmax over n outputs */
    HEARD_KIND_REGRESSION = 3  /* one linear output, clamped to [lo, hi] */
};

/* "emotions", "sentiment", ... or NULL when out of range. */
const char *heard_model_head_name(int head);
/* Evidence cue of a head, "model.<head>" (static storage). */
const char *heard_model_head_cue(int head);
/* Head id of a name, -1 when unknown. */
int heard_model_head_index(const char *name);
/* True when the loaded model has that head. */
int heard_model_has_head(const heard_model *m, int head);

/* Load every *.hm file of dir. Missing dir: HEARD_EIO; bad file: HEARD_EMODEL. */
heard_status heard_model_load(const char *dir, heard_model **out, heard_error *err);
void heard_model_free(heard_model *m);

/* Evaluate every head on a feature vector; heads absent from the model give NaN.
 * Multiclass heads give class probabilities (decide by argmax); binary heads
 * a probability to compare with their threshold; emotions probabilities to
 * compare with emotion_threshold[i]. */
void heard_model_predict(const heard_model *m, const heard_features *f,
                         heard_model_out *out);

/* Heads each speaker's turns need (bit i: enum heard_head i). Text heads
 * read only the speaker-independent core of the features. */
#define HEARD_HEADS_TEXT                                                                       \
    (1u << HEARD_HEAD_EMOTIONS | 1u << HEARD_HEAD_SENTIMENT | 1u << HEARD_HEAD_POLITENESS |  \
     1u << HEARD_HEAD_EKMAN)
#define HEARD_HEADS_CUSTOMER (HEARD_HEADS_TEXT | 1u << HEARD_HEAD_URGENCY | 1u << HEARD_HEAD_BID)
#define HEARD_HEADS_AGENT                                                                      \
    (HEARD_HEADS_TEXT | 1u << HEARD_HEAD_ER | 1u << HEARD_HEAD_IP | 1u << HEARD_HEAD_EX |      \
     1u << HEARD_HEAD_OWNERSHIP | 1u << HEARD_HEAD_DISMISSIVE)

/* Like heard_model_predict for the heads in the bit set only (the others
 * NaN); with_top 0 skips the evidence search (n_top stays 0): call
 * heard_model_explain for the labels that end up on instead. */
void heard_model_predict_heads(const heard_model *m, const heard_features *f, uint32_t heads,
                               int with_top, heard_model_out *out);

typedef struct heard_model_span {
    uint32_t first, last; /* token span [first, last) */
    float weight;         /* contribution (weight x value, signed by dir) */
} heard_model_span;

/* The up to max distinct token spans whose features push output o of head
 * hid most in direction dir (+1 towards the label, -1 away), best first.
 * Returns how many were found (only positive contributions count). */
int heard_model_explain(const heard_model *m, const heard_features *f, int hid, int o, float dir,
                        heard_model_span *spans, int max);

/* ---- Writing model files (used by the trainer) ---------------------------
 * File format, version 1, little endian:
 *   header (40 bytes): "HRDM", u32 version, u32 n_heads, u32 flags (0),
 *     u64 payload length, u64 checksum, u64 reserved (0)
 *   payload: per head a 64-byte record (name[32] NUL-padded, u32 kind,
 *     u32 n_outputs, u32 hash_bits, u32 weight type (0 f32, 1 int8),
 *     f32 lo, f32 hi, u32 reserved[2]), then f32 bias[n], f32 threshold[n],
 *     f32 scale[n] (int8 dequantisation; 1 for f32) padded to 8 bytes, then
 *     weights [2^hash_bits][n] padded to 8 bytes. A feature id selects row
 *     (id & (2^hash_bits - 1)).
 *   checksum: FNV-1a 64 over the payload taken as little-endian 64-bit words.
 */
#define HEARD_MODEL_VERSION 1
#define HEARD_MODEL_MAX_BITS 24

typedef struct heard_head_data {
    const char *name;       /* heard_model_head_name() of the head */
    int kind;               /* enum heard_head_kind */
    int n_outputs;
    int hash_bits;
    int quantize;           /* store int8 with per-output scale */
    float lo, hi;           /* regression clamp range */
    const float *bias;      /* n_outputs */
    const float *threshold; /* n_outputs (probability thresholds) */
    const float *weights;   /* [2^hash_bits][n_outputs] */
} heard_head_data;

/* Write heads to path (atomically: a temp file renamed). The bytes depend
 * only on the arguments. */
heard_status heard_model_write(const char *path, const heard_head_data *heads, size_t n_heads,
                               heard_error *err);

/* Copy a loaded head's parameters (int8 weights dequantised) into
 * caller-owned arrays: *weights is malloc'd [2^bits][n_outputs] (free it),
 * bias and threshold have room for 64 outputs. Returns the head's hash bits,
 * or -1 when the head is absent or memory runs out. For warm starts. */
int heard_model_head_copy(const heard_model *m, int head, float **weights, float *bias,
                          float *threshold);

/* Row of a feature id for a head with hash_bits. */
static inline uint32_t heard_model_row(uint32_t id, int hash_bits)
{
    return id & ((1u << hash_bits) - 1u);
}

#endif

/* model.h - learned linear heads over hashed sparse features (features.h),
 * stored in a versioned binary file with a checksum and loaded by mmap.
 * A model is optional: without one the analyser uses its rules alone. */
#ifndef HEARD_MODEL_H
#define HEARD_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "heard/heard.h"
#include "featurize.h"

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
    /* top contributing features for evidence: token spans */
    struct { uint32_t first, last; float weight; uint16_t head; } top[8];
    int n_top;
} heard_model_out;

typedef struct heard_model heard_model; /* immutable after load */

/* Load every *.hm file of dir. Missing dir: HEARD_EIO; bad file: HEARD_EMODEL. */
heard_status heard_model_load(const char *dir, heard_model **out, heard_error *err);
void heard_model_free(heard_model *m);

/* Evaluate every head on a feature vector; heads absent from the model give NaN. */
void heard_model_predict(const heard_model *m, const heard_features *f,
                         heard_model_out *out);

#endif

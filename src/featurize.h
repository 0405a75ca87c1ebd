/* featurize.h - sparse hashed features of a turn (word and stem n-grams with
 * negation marking, character n-grams, lexicon valence, rule cues, emphasis,
 * time expressions, and for agent turns the context of the preceding customer
 * turns), shared by analysis and training so both see the same vector. */
#ifndef HEARD_FEATURIZE_H
#define HEARD_FEATURIZE_H

#include <stddef.h>
#include <stdint.h>

#include "cues.h"
#include "tokenize.h"

typedef struct heard_feature {
    uint32_t id;    /* hash of the feature name, full 32 bits */
    float value;
    uint32_t first, last; /* token span [first, last) that produced it (for
                           * evidence); HEARD_NO_SPAN in both for features of
                           * the whole turn (length, channel, context) */
} heard_feature;

#define HEARD_NO_SPAN UINT32_MAX

typedef struct heard_features {
    heard_feature *f;
    size_t n, cap;
} heard_features;

struct heard_turn_ctx;
struct heard_lexicon;

/* Build the features of one turn (clears f first). 0, or -1 on allocation
 * failure. */
int heard_features_build(heard_features *f, const heard_tokens *toks,
                         const heard_cue_hits *hits, const struct heard_lexicon *lex,
                         const struct heard_turn_ctx *ctx);
void heard_features_free(heard_features *f);

#endif

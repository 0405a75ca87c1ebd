/* featurize.h - sparse hashed features of a turn (word and stem n-grams with
 * negation marking, lexicon valence, rule cues, emphasis,
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
    size_t n_core; /* f[0, n_core) depend on the text alone (n-grams, lexicon,
                    * cues, emphasis); the rest on the speaker and the
                    * conversation. Text heads (emotions, sentiment,
                    * politeness) read only the core, so a text scores the
                    * same whoever says it. */
    struct heard_featwords *words; /* owned: word table of agent-turn
                                    * features, built on first use by
                                    * tokens without word infos */
} heard_features;

struct heard_turn_ctx;
struct heard_lexicon;

/* Build the features of one turn (clears f first). compound, lex_first and
 * lex_last are heard_lexicon_sentiment()'s result for toks when the caller
 * has it already (NAN: computed here); tok_val, when not NULL, the token
 * valences of heard_lexicon_sentiment_vals() for the same toks (NULL: looked
 * up here). 0, or -1 on allocation failure. */
/* The table of the words agent-turn features test (stopwords, question
 * words), for an annotator: immutable once made; NULL on allocation
 * failure. */
struct heard_featwords *heard_featwords_new(void);
void heard_featwords_free(struct heard_featwords *wt);

/* Word classes the agent-turn rules test (own_experience() in turn.c),
 * kept in the same table so that a word costs no more than its one probe:
 * a first-person word, a second-person word, another person as subject, a
 * word of feeling, struggle or treatment. */
enum {
    HEARD_WC_FIRST = 1u << 8,
    HEARD_WC_SECOND = 1u << 9,
    HEARD_WC_OTHER = 1u << 10,
    HEARD_WC_FELT = 1u << 11,
    HEARD_WC_ALL = HEARD_WC_FIRST | HEARD_WC_SECOND | HEARD_WC_OTHER | HEARD_WC_FELT,
};

/* The HEARD_WC_* bits of word token i of toks, looked up in wt (0 without
 * wt); for tokens that carry no word info. */
unsigned heard_word_class_lookup(const struct heard_featwords *wt, const heard_tokens *toks,
                                 size_t i);

/* The HEARD_WC_* bits of token i of toks (0 for other tokens than words):
 * from its word info when the tokens are annotated (no call on the usual
 * path, once per token), else looked up in wt. */
static inline unsigned heard_word_class(const struct heard_featwords *wt,
                                        const heard_tokens *toks, size_t i)
{
    if (i >= toks->n || toks->tok[i].type != TOK_WORD)
        return 0;
    if (toks->annot)
        return toks->tok[i].wi.fkind & HEARD_WC_ALL;
    return heard_word_class_lookup(wt, toks, i);
}

/* For the tokenizer's word infos of the folded word w[0..len) (hash hash,
 * stem hash stem_hash): the ids of its word and stem unigram features
 * outside a negation scope (fid_word, fid_stem) and its kinds in wt
 * (fkind). The builder uses them when the tokens are annotated. */
void heard_features_word(const struct heard_featwords *wt, const char *w, size_t len,
                         uint64_t hash, uint64_t stem_hash, heard_word_info *wi);

int heard_features_build(heard_features *f, const heard_tokens *toks,
                         const heard_cue_hits *hits, const struct heard_lexicon *lex,
                         const struct heard_turn_ctx *ctx, float compound, long lex_first,
                         long lex_last, const float *tok_val);
void heard_features_free(heard_features *f);

#endif

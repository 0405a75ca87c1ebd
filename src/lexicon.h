/* lexicon.h - word valence (heard's own weights derived from VADER and AFINN,
 * shipped as models/lexicon.tsv) and the VADER-style sentiment scorer with
 * negation, boosters/downtoners, ALL CAPS, "!!!" and "but" handling. */
#ifndef HEARD_LEXICON_H
#define HEARD_LEXICON_H

#include <stddef.h>
#include <stdint.h>

#include "heard/heard.h"
#include "tokenize.h"

typedef struct heard_lexicon heard_lexicon; /* immutable after load */

/* Load a TSV of "token<TAB>valence" (valence in -5..5). path NULL: the small
 * built-in core lexicon only. Lines starting with '#' and blank lines are
 * skipped; a token may be a phrase of up to 3 space-separated words. A line
 * without a TAB or a number gives HEARD_EMODEL naming the line; a file that
 * cannot be read gives HEARD_EIO. When a token appears twice the later line
 * wins. Boosters, negators and idioms are always built in. */
heard_status heard_lexicon_load(const char *path, heard_lexicon **out, heard_error *err);
void heard_lexicon_free(heard_lexicon *lex);

/* Valence of a folded token (0 when unknown); *found set when present. */
float heard_lexicon_valence(const heard_lexicon *lex, uint64_t hash, int *found);

/* What the scorer reads of a folded token's hash in its lookup table: the
 * valence (0 when none) and the entry's kind bits (0 when none). For the
 * tokenizer's word infos (heard_word_info.val, lex_kind), which the scorer
 * then uses instead of a probe when toks->annot->lex is lex. */
void heard_lexicon_word(const heard_lexicon *lex, uint64_t hash, float *val, uint32_t *kind);

/* Number of keys in the valence table (phrases and case variants included). */
size_t heard_lexicon_size(const heard_lexicon *lex);

/* Sentiment of a tokenised turn in [-1, 1] (VADER-style compound). When
 * ev_first/ev_last are non-NULL they receive the token span of the strongest
 * contributing word (or -1). */
float heard_lexicon_sentiment(const heard_lexicon *lex, const heard_tokens *toks,
                              long *ev_first, long *ev_last);

/* heard_lexicon_sentiment(), and when tok_val is non-NULL (room for
 * toks->n floats, owned by the caller) it also receives, for every token
 * that is not punctuation, heard_lexicon_valence() of its hash (0 when
 * unknown): the feature builder needs them and the scorer has them at hand.
 * Punctuation entries are left as they were. */
float heard_lexicon_sentiment_vals(const heard_lexicon *lex, const heard_tokens *toks,
                                   long *ev_first, long *ev_last, float *tok_val);

/* Build heard's lexicon TSV (models/lexicon.tsv) from VADER's
 * vader_lexicon.txt, AFINN-en-165.txt, AFINN-emoticon-8.txt and, unless
 * NULL, VADER's emoji_utf8_lexicon.txt; the merge rules are described in
 * src/lexicon_build.inc. Sorted by token bytes, valence with 2 decimals,
 * byte-for-byte deterministic; written through out_path.tmp and renamed.
 * HEARD_EIO when a file cannot be read or written, HEARD_EMODEL (with the
 * line) when a source line is malformed, HEARD_EINVAL on a NULL path. */
heard_status heard_lexicon_build(const char *vader_path, const char *afinn_path,
                                 const char *afinn_emoticon_path,
                                 const char *vader_emoji_path, const char *out_path,
                                 heard_error *err);

#endif

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

/* Load a TSV of "token<TAB>valence" (valence in -4..4). path NULL: the small
 * built-in core lexicon only. */
heard_status heard_lexicon_load(const char *path, heard_lexicon **out, heard_error *err);
void heard_lexicon_free(heard_lexicon *lex);

/* Valence of a folded token (0 when unknown); *found set when present. */
float heard_lexicon_valence(const heard_lexicon *lex, uint64_t hash, int *found);

/* Sentiment of a tokenised turn in [-1, 1] (VADER-style compound). When
 * ev_first/ev_last are non-NULL they receive the token span of the strongest
 * contributing word (or -1). */
float heard_lexicon_sentiment(const heard_lexicon *lex, const heard_tokens *toks,
                              long *ev_first, long *ev_last);

#endif

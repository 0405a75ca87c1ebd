/* featurize.c - STUB */
#include <stdlib.h>
#include "featurize.h"
int heard_features_build(heard_features *f, const heard_tokens *toks, const heard_cue_hits *hits, const struct heard_lexicon *lex, const struct heard_turn_ctx *ctx) { (void)toks; (void)hits; (void)lex; (void)ctx; f->n = 0; return 0; }
void heard_features_free(heard_features *f) { free(f->f); f->f = NULL; f->n = f->cap = 0; }

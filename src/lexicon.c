/* lexicon.c - STUB */
#include <stdlib.h>
#include "lexicon.h"
struct heard_lexicon { int dummy; };
heard_status heard_lexicon_load(const char *path, heard_lexicon **out, heard_error *err) { (void)path; (void)err; *out = calloc(1, sizeof **out); return *out ? HEARD_OK : HEARD_ENOMEM; }
void heard_lexicon_free(heard_lexicon *lex) { free(lex); }
float heard_lexicon_valence(const heard_lexicon *lex, uint64_t hash, int *found) { (void)lex; (void)hash; if (found) *found = 0; return 0; }
float heard_lexicon_sentiment(const heard_lexicon *lex, const heard_tokens *toks, long *a, long *b) { (void)lex; (void)toks; if (a) *a = -1; if (b) *b = -1; return 0; }

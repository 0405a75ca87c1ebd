/* cues.c - STUB */
#include <stdlib.h>
#include "cues.h"
struct heard_cues { int dummy; };
const char *heard_cue_name(heard_cue c) { (void)c; return "cue"; }
heard_cues *heard_cues_new(void) { return calloc(1, sizeof(heard_cues)); }
void heard_cues_free(heard_cues *c) { free(c); }
int heard_cues_match(const heard_cues *c, const heard_tokens *toks, const char *text, heard_cue_hits *hits) { (void)c; (void)toks; (void)text; hits->n = 0; return 0; }
void heard_cue_hits_free(heard_cue_hits *h) { free(h->hit); h->hit = NULL; h->n = h->cap = 0; }

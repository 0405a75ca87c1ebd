/* tokenize.c - STUB */
#include <string.h>
#include "tokenize.h"
int heard_tokens_init(heard_tokens *t) { memset(t, 0, sizeof *t); return 0; }
void heard_tokens_free(heard_tokens *t) { (void)t; }
int heard_tokenize(heard_tokens *t, const char *text, size_t len) { (void)text; (void)len; t->n = 0; t->n_sent = 0; return 0; }

/* gen_corpus.c - writes a deterministic corpus of realistic conversations
 * (JSONL) for `make bench`. TODO: filled by the benchmarks issue. */
#include <stdio.h>
int main(void) { return 0; }

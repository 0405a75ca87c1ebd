/* io_internal.h - what csv_io.c (and the tests) share with json_io.c: both
 * input formats end up as the same jansson object, so validation, echoing of
 * unknown fields and output writing live in one place. */
#ifndef HEARD_IO_INTERNAL_H
#define HEARD_IO_INTERNAL_H

#include <jansson.h>

#include "heard/heard_io.h"

/* Build a doc from a parsed conversation object. Takes ownership of root
 * (freed on error too). On a turn-level error *bad_turn is that turn's index,
 * else (size_t)-1. */
heard_status heard_doc_from_root(json_t *root, size_t max_turns, heard_doc **out,
                                 heard_error *err, size_t *bad_turn);

/* RFC 3339 date-time ("2026-03-02T10:14:05Z", "...05.25+02:00") to Unix
 * seconds (fraction truncated towards the past). 0 ok, -1 invalid. */
int heard_parse_time(const char *s, size_t len, int64_t *out);

/* The jansson reader behind heard_doc_from_json, which takes every line the
 * fast reader (heard_doc_fast_parse, heard_io.h) leaves to it and gives the
 * error messages. Exposed for the tests that check the two agree. */
heard_status heard_doc_from_json_tree(const char *line, size_t len, size_t max_turns,
                                      heard_doc **out, heard_error *err);

/* The output's number format (x rounded to 3 decimals, trailing zeros
 * dropped, "0.0" for NaN and huge values) written to o, which has room for
 * 24 bytes, NUL ended; returns the length. Exposed for the tests. */
size_t heard_json_fixed3(char *o, double x);

#define HEARD_DEFAULT_MAX_TURNS 1000u

#endif

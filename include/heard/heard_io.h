/* heard_io.h - reading conversations from JSONL/CSV and writing analyses as
 * the JSON of INTERFACE.md. Kept apart from the analysis core (heard.h) so an
 * embedding program can feed turns from anywhere. */
#ifndef HEARD_HEARD_IO_H
#define HEARD_HEARD_IO_H

#include "heard.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A conversation read from input: owns its text and the original JSON object
 * (so unknown fields are echoed back). */
typedef struct heard_doc heard_doc;

/* Parse one JSONL line. On error returns non-OK with a message; *out is NULL. */
heard_status heard_doc_from_json(const char *line, size_t len, size_t max_turns,
                                 heard_doc **out, heard_error *err);
/* The fast reader alone, for callers with their own error handling (e.g.
 * the server's request bodies): a doc for a plain conversation object (scalar
 * members, "turns" of objects of scalar members, the usual escapes), else
 * NULL -- for anything unusual as well as for every error -- and the caller
 * falls back to its jansson path. A doc it returns is the one
 * heard_doc_from_json would return for the same text, and owns copies of its
 * strings (the text may be freed). */
heard_doc *heard_doc_fast_parse(const char *json, size_t len, size_t max_turns);
/* The conversation view of a doc; valid while the doc lives. */
const heard_conversation_in *heard_doc_conversation(const heard_doc *doc);
void heard_doc_free(heard_doc *doc);

/* Serialise a result as one JSON line (no trailing newline) into a malloc'd
 * string owned by the caller. `pretty` indents it. */
heard_status heard_result_to_json(const heard_doc *doc, const heard_result *res,
                                  bool pretty, char **out, size_t *out_len,
                                  heard_error *err);
/* {"schema":1,"line":N,"error":"..."} as a malloc'd string owned by the caller. */
char *heard_error_json(size_t line, const char *message);

/* A growable byte buffer, reused from one conversation to the next so that
 * writing output costs no allocation in the steady state. data is kept
 * NUL-terminated after len bytes. Zero-initialise; release with
 * heard_buf_free(). */
typedef struct heard_buf {
    char *data;
    size_t len, cap;
} heard_buf;
void heard_buf_free(heard_buf *b);

/* Like heard_result_to_json / heard_error_json but appending to buf. */
heard_status heard_result_append_json(heard_buf *buf, const heard_doc *doc,
                                      const heard_result *res, bool pretty,
                                      heard_error *err);
heard_status heard_error_append_json(heard_buf *buf, size_t line, const char *message);

/* The string value of a top-level input field (e.g. "agent", "team"), or
 * NULL when the field is missing or not a string. Valid while the doc lives. */
const char *heard_doc_string(const heard_doc *doc, const char *field);

/* CSV: a streaming reader of conversations grouped by conversation_id. */
typedef struct heard_csv_reader heard_csv_reader;
heard_status heard_csv_open(void *file /* FILE* */, size_t max_turns,
                            heard_csv_reader **out, heard_error *err);
/* Next conversation. Returns HEARD_OK with *out set, or HEARD_OK with *out
 * NULL at end of input, or an error for one bad group (the reader stays
 * usable: call again for the next group). *line is the first line of the
 * group, for messages. */
heard_status heard_csv_next(heard_csv_reader *r, heard_doc **out, size_t *line,
                            heard_error *err);
void heard_csv_close(heard_csv_reader *r);

#ifdef __cplusplus
}
#endif
#endif

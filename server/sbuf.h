/* sbuf.h - a growable string for building HTTP bodies (HTML, CSV, metrics),
 * with the escapes each of those formats needs. An allocation failure is
 * sticky (oom set, further appends ignored) so callers check once at the end. */
#ifndef HEARD_SERVER_SBUF_H
#define HEARD_SERVER_SBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sbuf {
    char *data; /* NUL-terminated after len bytes once anything was appended */
    size_t len, cap;
    bool oom;
} sbuf;

void sbuf_add(sbuf *b, const char *s, size_t n);
void sbuf_puts(sbuf *b, const char *s);
void sbuf_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* v in decimal, the bytes of printf's "%lld" without its cost: into out
 * (NUL-terminated, 20 digits and a sign at most; returns the length), or
 * appended to b. */
size_t dec_int(char out[24], long long v);
void sbuf_int(sbuf *b, long long v);
/* HTML text and attribute values: & < > " ' escaped. NULL adds nothing. */
void sbuf_html(sbuf *b, const char *s);
/* One RFC 4180 CSV field; text that a spreadsheet would run as a formula
 * (= + - @ tab CR at the start) is prefixed with a quote character. */
void sbuf_csv(sbuf *b, const char *s);
/* A JSON string of n bytes, quoted and escaped as jansson's json_dumps
 * writes it (\" \\ \b \f \n \r \t, other control characters \u00XX). */
void sbuf_json_str(sbuf *b, const char *s, size_t n);
/* A JSON number as json_dumps with JSON_REAL_PRECISION(6) writes a real:
 * %.6g, ".0" added to whole numbers, exponent without '+' and leading 0s. */
void sbuf_json_real(sbuf *b, double v);
/* Whether n bytes are well-formed UTF-8 (what jansson accepts in a string). */
bool utf8_valid(const char *s, size_t n);
/* Hands the string to the caller (malloc'd; NULL after oom) and resets b. */
char *sbuf_take(sbuf *b, size_t *len);
void sbuf_free(sbuf *b);

#endif

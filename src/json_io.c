/* json_io.c - conversations in from JSONL and the analysis JSON of
 * INTERFACE.md out.
 *
 * Input: ordinary lines go through a single-pass reader ("fast input"),
 * everything else -- and every error -- through jansson, which also rejects
 * invalid UTF-8, NUL escapes, duplicate keys and nesting deeper than
 * JSON_PARSER_MAX_DEPTH. Either way the doc keeps the members we do not know
 * so that they are echoed back, in input order.
 *
 * Output is written by hand into a reusable growable buffer rather than built
 * as jansson objects: it is the hot path of `heard analyze` and a
 * conversation's JSON is several times larger than its input.
 *
 * Decisions (documented in heard(1)):
 * - "id" may be a string or a number and is echoed as given; without it the
 *   output has no "id". null counts as absent for id, channel and at.
 * - "turns": [] is valid and gives an empty analysis.
 * - "at" is an RFC 3339 string, or an integer of Unix seconds.
 * - Output key order: schema, id, channel, the other input fields in input
 *   order, turns, opportunities, scores, flags. Input fields whose names the
 *   output uses (and "line"/"error", which mark error lines) are not echoed.
 *   Turns echo their extra fields (e.g. "at") except "text". */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "error.h"
#include "io_internal.h"

/* A scalar member of the input read by the fast reader (see "fast input"
 * below): what the output echoes and heard_doc_string() returns. */
typedef enum fast_kind { FV_STR, FV_INT, FV_TRUE, FV_FALSE, FV_NULL } fast_kind;

#define FAST_TOP UINT32_MAX /* fast_field.turn of a top-level member */

typedef struct fast_field {
    const char *key; /* NUL-terminated, in the doc's arena */
    const char *str; /* FV_STR: NUL-terminated, in the arena */
    size_t key_len, len;
    int64_t i;       /* FV_INT */
    uint32_t turn;   /* index of the turn it belongs to, or FAST_TOP */
    uint8_t kind;    /* fast_kind */
    bool echo;       /* written back in the output (not a reserved name) */
} fast_field;

/* Built either from a jansson tree (root != NULL) or by the fast reader
 * (root == NULL: the strings live in arena, the members in fields). */
struct heard_doc {
    json_t *root;            /* owned; turn texts point into it */
    json_t *turns;           /* borrowed from root */
    heard_turn_in *turn_in;  /* owned, conv.n_turns entries */
    heard_conversation_in conv;
    char *arena;             /* owned (fast reader): every string, unescaped */
    fast_field *fields;      /* owned (fast reader): members in input order */
    size_t n_fields;
    size_t slack;            /* bytes that may be read past the end of any of
                                its strings: FAST_SLACK in the arena, else 0 */
};

/* Zero bytes after the fast reader's arena, so the writer may load 16 bytes
 * at any position of a string in it. */
#define FAST_SLACK 16

/* ---- RFC 3339 ---- */

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

static inline uint64_t load8_bytes(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* True when every byte of w under mask m (0xFF or 0) is an ASCII digit:
 * x = byte ^ '0' is 0..9 exactly then, and x + 6 stays below 16. A carry
 * out of a byte only comes from a byte that is already wrong. */
static inline bool digits8(uint64_t w, uint64_t m)
{
    const uint64_t ones = UINT64_C(0x0101010101010101);
    uint64_t x = w ^ (ones * '0');
    return !((x | (x + (m & ones * 6))) & m & (ones * 0xF0));
}

/* The masks are built from bytes, so they follow memory order whatever the
 * byte order. */
static inline uint64_t mask8(unsigned char b0, unsigned char b1, unsigned char b2, unsigned char b3,
                             unsigned char b4, unsigned char b5, unsigned char b6, unsigned char b7)
{
    const unsigned char b[8] = {b0, b1, b2, b3, b4, b5, b6, b7};
    return load8_bytes(b);
}

/* "YYYY-MM-DD" at u (10 bytes) to days since 1970-01-01; -1 if invalid. */
static int parse_date(const unsigned char *u, int64_t *days)
{
    uint64_t w = load8_bytes(u), m = mask8(0xFF, 0xFF, 0xFF, 0xFF, 0, 0xFF, 0xFF, 0);
    if (!digits8(w, m) || (w & ~m) != mask8(0, 0, 0, 0, '-', 0, 0, '-') ||
        (unsigned)(u[8] - '0') > 9u || (unsigned)(u[9] - '0') > 9u)
        return -1;
#define DG(k) ((int)u[k] - '0')
    int y = DG(0) * 1000 + DG(1) * 100 + DG(2) * 10 + DG(3), mo = DG(5) * 10 + DG(6),
        d = DG(8) * 10 + DG(9);
#undef DG
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
        return -1;
    *days = days_from_civil(y, mo, d);
    return 0;
}

/* The rest of an RFC 3339 time after the date, s[10..len) with len >= 20:
 * "THH:MM:SS", a fraction, the offset. Seconds since midnight UTC (may be
 * negative or past a day); -1 if invalid. */
static int parse_clock(const char *s, size_t len, int64_t *secs)
{
    const unsigned char *u = (const unsigned char *)s;
    uint64_t w = load8_bytes(u + 11), m = mask8(0xFF, 0xFF, 0, 0xFF, 0xFF, 0, 0xFF, 0xFF);
    if ((u[10] != 'T' && u[10] != 't' && u[10] != ' ') || !digits8(w, m) ||
        (w & ~m) != mask8(0, 0, ':', 0, 0, ':', 0, 0))
        return -1;
#define DG(k) ((int)u[k] - '0')
    int h = DG(11) * 10 + DG(12), mi = DG(14) * 10 + DG(15), sec = DG(17) * 10 + DG(18);
#undef DG
    int oh = 0, om = 0;
    if (h > 23 || mi > 59 || sec > 60)
        return -1;
    size_t i = 19;
    if (i < len && s[i] == '.') {
        size_t j = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == j)
            return -1;
    }
    if (i >= len)
        return -1; /* RFC 3339 requires an offset */
    int sign = 0;
    if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == len) {
        sign = 0;
    } else if ((s[i] == '+' || s[i] == '-') && i + 6 == len) {
        sign = s[i] == '-' ? -1 : 1;
        if (digits(s + i + 1, 2, &oh) || s[i + 3] != ':' || digits(s + i + 4, 2, &om) ||
            oh > 23 || om > 59)
            return -1;
    } else {
        return -1;
    }
    *secs = (int64_t)h * 3600 + mi * 60 + sec - (int64_t)sign * (oh * 3600 + om * 60);
    return 0;
}

int heard_parse_time(const char *s, size_t len, int64_t *out)
{
    int64_t days, secs;
    if (len < 20 || parse_date((const unsigned char *)s, &days) != 0 ||
        parse_clock(s, len, &secs) != 0)
        return -1;
    *out = days * 86400 + secs;
    return 0;
}

/* ---- input ---- */

/* Length of the valid UTF-8 sequence at s[i], or 0 when it is not valid
 * (overlong forms, surrogates and code points above U+10FFFF included). */
static size_t utf8_seq(const unsigned char *s, size_t n, size_t i)
{
    unsigned c = s[i];
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (i + len > n || s[i + 1] < lo || s[i + 1] > hi)
        return 0;
    for (size_t k = 2; k < len; k++)
        if (s[i + k] < 0x80 || s[i + k] > 0xBF)
            return 0;
    return len;
}

static bool is_reserved(const char *k, const char *const *names)
{
    for (; *names; names++)
        if (k[0] == (*names)[0] && strcmp(k, *names) == 0)
            return true;
    return false;
}

static const char *const top_reserved[] = {"schema", "id", "channel", "turns", "opportunities",
                                           "scores", "flags", "line", "error", NULL};
static const char *const turn_reserved[] = {
    "index", "speaker", "text", "sentiment", "politeness", "emotions", "emotion_labels",
    "urgency", "bid", "empathy", "ownership", "dismissive", "wait_seconds", "evidence", NULL};


static heard_status parse_turn(json_t *t, size_t i, heard_turn_in *in, heard_error *err)
{
    if (!json_is_object(t))
        return heard_fail(err, HEARD_EINVAL, "turn %zu: must be an object", i);
    json_t *sp = json_object_get(t, "speaker");
    if (!sp)
        return heard_fail(err, HEARD_EINVAL, "turn %zu: missing \"speaker\"", i);
    const char *s = json_string_value(sp);
    if (s && strcmp(s, "customer") == 0)
        in->speaker = HEARD_CUSTOMER;
    else if (s && strcmp(s, "agent") == 0)
        in->speaker = HEARD_AGENT;
    else
        return heard_fail(err, HEARD_EINVAL, "turn %zu: \"speaker\" must be \"customer\" or \"agent\"",
                    i);
    json_t *tx = json_object_get(t, "text");
    if (!tx)
        return heard_fail(err, HEARD_EINVAL, "turn %zu: missing \"text\"", i);
    if (!json_is_string(tx))
        return heard_fail(err, HEARD_EINVAL, "turn %zu: \"text\" must be a string", i);
    in->text = json_string_value(tx);
    in->len = json_string_length(tx);
    in->at = HEARD_NO_TIME;
    json_t *at = json_object_get(t, "at");
    if (json_is_string(at)) {
        if (heard_parse_time(json_string_value(at), json_string_length(at), &in->at) != 0)
            return heard_fail(err, HEARD_EINVAL,
                        "turn %zu: \"at\" is not an RFC 3339 time such as 2026-03-02T10:14:05Z",
                        i);
    } else if (json_is_integer(at)) {
        in->at = json_integer_value(at);
    } else if (at && !json_is_null(at)) {
        return heard_fail(err, HEARD_EINVAL,
                    "turn %zu: \"at\" must be an RFC 3339 time such as 2026-03-02T10:14:05Z", i);
    }
    return HEARD_OK;
}

static heard_status parse_header(json_t *root, heard_doc *doc, heard_error *err)
{
    json_t *id = json_object_get(root, "id");
    if (id && !json_is_null(id) && !json_is_string(id) && !json_is_number(id))
        return heard_fail(err, HEARD_EINVAL, "\"id\" must be a string or a number");
    doc->conv.channel = HEARD_CHAT;
    json_t *ch = json_object_get(root, "channel");
    if (ch && !json_is_null(ch)) {
        if (!json_is_string(ch))
            return heard_fail(err, HEARD_EINVAL, "\"channel\" must be a string");
        if (heard_channel_parse(json_string_value(ch), &doc->conv.channel) != 0)
            return heard_fail(err, HEARD_EINVAL,
                        "unknown channel \"%.40s\" (expected chat, email, phone, in_person or social)",
                        json_string_value(ch));
    }
    return HEARD_OK;
}

heard_status heard_doc_from_root(json_t *root, size_t max_turns, heard_doc **out,
                                 heard_error *err, size_t *bad_turn)
{
    *out = NULL;
    if (bad_turn)
        *bad_turn = (size_t)-1;
    if (!max_turns)
        max_turns = HEARD_DEFAULT_MAX_TURNS;
    if (!json_is_object(root)) {
        json_decref(root);
        return heard_fail(err, HEARD_EINVAL, "a conversation must be a JSON object");
    }
    heard_doc *doc = calloc(1, sizeof *doc);
    if (!doc) {
        json_decref(root);
        return heard_fail(err, HEARD_ENOMEM, "out of memory");
    }
    doc->root = root;
    heard_status st = parse_header(root, doc, err);
    if (st != HEARD_OK)
        goto bad;
    doc->turns = json_object_get(root, "turns");
    if (!doc->turns) {
        st = heard_fail(err, HEARD_EINVAL, "missing \"turns\"");
        goto bad;
    }
    if (!json_is_array(doc->turns)) {
        st = heard_fail(err, HEARD_EINVAL, "\"turns\" must be an array");
        goto bad;
    }
    size_t n = json_array_size(doc->turns);
    if (n > max_turns) {
        st = heard_fail(err, HEARD_ELIMIT, "conversation has %zu turns, more than the limit of %zu", n,
                  max_turns);
        goto bad;
    }
    if (n && !(doc->turn_in = calloc(n, sizeof *doc->turn_in))) {
        st = heard_fail(err, HEARD_ENOMEM, "out of memory");
        goto bad;
    }
    for (size_t i = 0; i < n; i++) {
        st = parse_turn(json_array_get(doc->turns, i), i, &doc->turn_in[i], err);
        if (st != HEARD_OK) {
            if (bad_turn)
                *bad_turn = i;
            goto bad;
        }
    }
    doc->conv.turns = doc->turn_in;
    doc->conv.n_turns = n;
    *out = doc;
    return HEARD_OK;
bad:
    heard_doc_free(doc);
    return st;
}

/* ---- fast input ---- */

/* Nearly every line `heard analyze` reads is a plain conversation: an object
 * of scalar members and "turns", an array of objects of scalar members, with
 * strings that need at most the usual escapes. The fast reader takes exactly
 * those in one pass: every string is checked (UTF-8, control bytes), unescaped
 * and NUL-terminated once into an arena allocated with the doc, with no tree
 * and no allocation per string. Whatever it is not sure about -- a nested or
 * real-valued member, \u0000 or a lone surrogate, a duplicate key, invalid
 * UTF-8, bad syntax, a wrong or missing field, too many turns -- makes it give
 * up, and the line goes through jansson as before, so the output and every
 * error message stay those of the jansson path. Why this is hand-written:
 * BENCHMARKS.md, "Engine pass perf3". */

#define FAST_TURNS_INLINE 16
#define FAST_FIELDS_INLINE 48
#define FAST_MAX_KEYS 64 /* more members in one object: left to jansson */

typedef struct fast_reader {
    const unsigned char *p, *end;
    heard_doc *doc;
    char *o;              /* next free byte of the doc's arena */
    size_t turn_cap, field_cap, max_turns;
    heard_turn_in *turn_inline;  /* storage inside the doc's block */
    fast_field *field_inline;
    /* the last valid "YYYY-MM-DD" of an "at" and its days: turns of a
     * conversation mostly share their date */
    bool have_date;
    uint64_t date8;
    uint16_t date2;
    int64_t days;
} fast_reader;

static inline void fast_ws(fast_reader *r)
{
    const unsigned char *p = r->p, *end = r->end;
    /* the usual cases first: no space, or the one after ',' and ':' */
    if (p < end && *p == ' ')
        p++;
    while (p < end && *p <= ' ' && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    r->p = p;
}

static inline bool fast_at(fast_reader *r, char c)
{
    return r->p < r->end && *r->p == (unsigned char)c;
}

/* Whitespace, c, whitespace; false (r->p after the first whitespace) when c
 * is not there. Compact JSON and the one space of ", " and ": " first. */
static inline bool fast_sep(fast_reader *r, char c)
{
    const unsigned char *p = r->p, *end = r->end;
    if (end - p >= 3 && p[0] == (unsigned char)c) {
        if (p[1] > ' ') {
            r->p = p + 1;
            return true;
        }
        if (p[1] == ' ' && p[2] > ' ') {
            r->p = p + 2;
            return true;
        }
    }
    fast_ws(r);
    if (!fast_at(r, c))
        return false;
    r->p++;
    fast_ws(r);
    return true;
}

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* Non-zero when one of the 8 bytes of v needs a closer look: a control byte,
 * '"', '\\' or part of a multi-byte UTF-8 sequence. Exact for "none", and
 * its lowest set bit is the high bit of the first such byte (a borrow only
 * marks bytes above a real one). The high-bit mask matters: without it every
 * letter set low bits and the 8-byte loops never ran. */
static inline uint64_t special8(uint64_t v)
{
    uint64_t q = v ^ (ONES * '"'), b = v ^ (ONES * '\\');
    return (((v - ONES * 0x20) & ~v) | ((q - ONES) & ~q) | ((b - ONES) & ~b) | v) & HIGHS;
}

#ifdef __SSE2__
/* Bit i set: byte i of v is not plain (control byte, '"', '\\', >= 0x80). */
static inline unsigned special16(__m128i v)
{
    /* signed: control bytes and bytes >= 0x80 are both below 0x20 */
    __m128i bad = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
                               _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                            _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
    return (unsigned)_mm_movemask_epi8(bad);
}
#endif

static inline uint64_t load_u64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline uint32_t load_u32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static inline uint16_t load_u16(const unsigned char *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}

static inline bool plain_byte(unsigned char c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* Copies the plain bytes at p[0..t) to o up to the first byte that is not
 * plain and returns how many. avail >= t bytes at p may be read; back bytes
 * before p may be read too and were copied unchanged to just before o, so
 * a group may start before p and rewrite them with the same bytes. Most
 * strings are plain throughout: short ones take two overlapping loads. */
static inline size_t plain_copy(char *o, const unsigned char *p, size_t t, size_t avail,
                                size_t back)
{
    size_t i = 0;
#ifdef __SSE2__
    for (; t - i >= 16; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        _mm_storeu_si128((__m128i *)(void *)(o + i), v);
        unsigned m = special16(v);
        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
    size_t r = t - i;
    if (!r)
        return t;
    if (avail - i >= 16) { /* the bytes after the string may be read */
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        _mm_storeu_si128((__m128i *)(void *)(o + i), v);
        unsigned m = special16(v) & ((1u << r) - 1u);
        return m ? i + (size_t)__builtin_ctz(m) : t;
    }
    if (back + i >= 16 - r) { /* or the plain bytes before them */
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + t - 16));
        _mm_storeu_si128((__m128i *)(void *)(o + t - 16), v);
        unsigned m = special16(v) >> (16 - r);
        return m ? i + (size_t)__builtin_ctz(m) : t;
    }
#else
    (void)avail;
    (void)back;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; t - i >= 8; i += 8) {
        uint64_t v = load_u64(p + i);
        memcpy(o + i, &v, 8);
        uint64_t m = special8(v);
        if (m)
            return i + (size_t)__builtin_ctzll(m) / 8;
    }
#endif
#endif
    /* under 16 bytes left: two overlapping loads, checked together (special8
     * is exact for "none"); a byte that is not plain goes to the loop */
    size_t r2 = t - i;
    if (r2 >= 8) {
        uint64_t a = load_u64(p + i), b = load_u64(p + t - 8);
        if (!(special8(a) | special8(b))) {
            memcpy(o + i, &a, 8);
            memcpy(o + t - 8, &b, 8);
            return t;
        }
    } else if (r2 >= 4) {
        uint32_t a = load_u32(p + i), b = load_u32(p + t - 4);
        if (!special8((uint64_t)a | (uint64_t)b << 32)) {
            memcpy(o + i, &a, 4);
            memcpy(o + t - 4, &b, 4);
            return t;
        }
    } else if (r2 >= 2) {
        uint16_t a = load_u16(p + i), b = load_u16(p + t - 2);
        /* the upper bytes are plain 'a's */
        if (!special8((uint64_t)a | (uint64_t)b << 16 | UINT64_C(0x6161616100000000))) {
            memcpy(o + i, &a, 2);
            memcpy(o + t - 2, &b, 2);
            return t;
        }
    }
    while (i < t && plain_byte(p[i])) {
        o[i] = (char)p[i];
        i++;
    }
    return i;
}

static int hex4(const unsigned char *p, const unsigned char *end, unsigned *out)
{
    unsigned v = 0;
    if (end - p < 4)
        return -1;
    for (int i = 0; i < 4; i++) {
        unsigned c = p[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return -1;
        v = v << 4 | d;
    }
    *out = v;
    return 0;
}

static char *put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xC0 | cp >> 6);
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xE0 | cp >> 12);
        *o++ = (char)(0x80 | (cp >> 6 & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (char)(0xF0 | cp >> 18);
        *o++ = (char)(0x80 | (cp >> 12 & 0x3F));
        *o++ = (char)(0x80 | (cp >> 6 & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    }
    return o;
}

/* One escape at r->p (its backslash) written to *o; false when jansson
 * should judge it (\u0000, lone or reversed surrogates, unknown escapes). */
static bool fast_escape(fast_reader *r, char **o)
{
    const unsigned char *p = r->p, *end = r->end;
    if (end - p < 2)
        return false;
    static const char simple[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
    for (size_t k = 0; k + 1 < sizeof simple; k += 2) {
        if (p[1] == (unsigned char)simple[k]) {
            *(*o)++ = simple[k + 1];
            r->p += 2;
            return true;
        }
    }
    unsigned cp, lo;
    if (p[1] != 'u' || hex4(p + 2, end, &cp) || cp == 0 || (cp >= 0xDC00 && cp <= 0xDFFF))
        return false;
    p += 6;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (end - p < 2 || p[0] != '\\' || p[1] != 'u' || hex4(p + 2, end, &lo) ||
            lo < 0xDC00 || lo > 0xDFFF)
            return false;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        p += 6;
    }
    *o = put_utf8(*o, cp);
    r->p = p;
    return true;
}

/* The string literal at r->p (its opening quote), unescaped into the arena.
 * The arena has room for all of them: a literal's content never grows when
 * unescaped, and its two quotes pay for the NUL. */
static bool fast_string_rest(fast_reader *r, const unsigned char *p, char *o,
                             const char **out, size_t *len);

static inline bool fast_string(fast_reader *r, const char **out, size_t *len)
{
    const unsigned char *p = r->p + 1;
    char *o = r->o;
    /* the arena is written at most as far as the line is read (a literal
     * never grows when unescaped), so plain_copy's whole groups fit */
    size_t n = (size_t)(r->end - p);
    size_t run = plain_copy(o, p, n, n, 0);
    if (run < n && p[run] == '"') { /* the usual string: no escape, ASCII */
        o[run] = '\0';
        *out = o;
        *len = run;
        r->o = o + run + 1;
        r->p = p + run + 1;
        return true;
    }
    return fast_string_rest(r, p + run, o + run, out, len);
}

/* fast_string from the first byte that is not plain, p (copied up to o). */
static bool fast_string_rest(fast_reader *r, const unsigned char *p, char *o,
                             const char **out, size_t *len)
{
    const unsigned char *end = r->end;
    char *start = r->o;
    for (;;) {
        if (p >= end)
            return false;
        unsigned c = *p;
        if (c == '"')
            break;
        if (c >= 0x20 && c < 0x80 && c != '\\') {
            *o++ = (char)c;
            p++;
        } else if (c >= 0x80) {
            size_t k = utf8_seq(p, (size_t)(end - p), 0);
            if (!k)
                return false;
            memcpy(o, p, k);
            o += k;
            p += k;
        } else if (c == '\\') {
            r->p = p;
            if (!fast_escape(r, &o))
                return false;
            p = r->p;
        } else {
            return false; /* control byte */
        }
        size_t n = (size_t)(end - p);
        size_t run = plain_copy(o, p, n, n, 0);
        o += run;
        p += run;
    }
    *o = '\0';
    *out = start;
    *len = (size_t)(o - start);
    r->o = o + 1;
    r->p = p + 1;
    return true;
}

/* An integer that surely fits jansson's json_int_t, in its syntax. */
static bool fast_int(fast_reader *r, int64_t *out)
{
    const unsigned char *p = r->p, *end = r->end;
    bool neg = p < end && *p == '-';
    p += neg;
    if (p >= end || *p < '0' || *p > '9' || (*p == '0' && p + 1 < end && p[1] >= '0' && p[1] <= '9'))
        return false;
    int64_t v = 0;
    int n = 0;
    for (; p < end && *p >= '0' && *p <= '9'; p++) {
        if (++n > 18)
            return false;
        v = v * 10 + (*p - '0');
    }
    if (p < end && (*p == '.' || *p == 'e' || *p == 'E'))
        return false; /* a real: echoed the way jansson formats it */
    *out = neg ? -v : v;
    r->p = p;
    return true;
}

static bool fast_literal(fast_reader *r, const char *word, size_t n)
{
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
        return false;
    r->p += n;
    return true;
}

static bool fast_scalar(fast_reader *r, fast_field *f)
{
    if (r->p >= r->end)
        return false;
    switch (*r->p) {
    case '"':
        f->kind = FV_STR;
        return fast_string(r, &f->str, &f->len);
    case 't':
        f->kind = FV_TRUE;
        return fast_literal(r, "true", 4);
    case 'f':
        f->kind = FV_FALSE;
        return fast_literal(r, "false", 5);
    case 'n':
        f->kind = FV_NULL;
        return fast_literal(r, "null", 4);
    default:
        f->kind = FV_INT;
        return fast_int(r, &f->i);
    }
}

/* Room for one more element of an array that starts inside the doc's block
 * (inline) and moves to the heap when it outgrows it. */
static void *grow_array(void *arr, const void *inline_arr, size_t *cap, size_t size)
{
    size_t ncap = *cap * 2;
    void *p;
    if (arr == inline_arr) {
        p = malloc(ncap * size);
        if (p)
            memcpy(p, arr, *cap * size);
    } else {
        p = realloc(arr, ncap * size);
    }
    if (p)
        *cap = ncap;
    return p;
}

static fast_field *fast_new_field(fast_reader *r)
{
    heard_doc *d = r->doc;
    if (d->n_fields == r->field_cap) {
        fast_field *f = grow_array(d->fields, r->field_inline, &r->field_cap, sizeof *f);
        if (!f)
            return NULL;
        d->fields = f;
    }
    return &d->fields[d->n_fields++];
}

static const fast_field *fast_find(const heard_doc *d, size_t from, uint32_t turn,
                                   const char *key, size_t key_len)
{
    for (size_t j = from; j < d->n_fields; j++) {
        const fast_field *f = &d->fields[j];
        if (f->turn == turn && f->key_len == key_len && memcmp(f->key, key, key_len) == 0)
            return f;
    }
    return NULL;
}

static bool fast_turns(fast_reader *r);

/* The members the reader itself looks at, told apart once as they are read:
 * known[kind] is the index of that member in doc->fields, or FK_NONE. */
enum { FK_OTHER, FK_SPEAKER, FK_TEXT, FK_AT, FK_ID, FK_CHANNEL, FK_N };
#define FK_NONE SIZE_MAX

static inline int fast_key_kind(const char *k, size_t n, bool top)
{
    switch (n) {
    case 2:
        if (top)
            return memcmp(k, "id", 2) == 0 ? FK_ID : FK_OTHER;
        return memcmp(k, "at", 2) == 0 ? FK_AT : FK_OTHER;
    case 4:
        return !top && memcmp(k, "text", 4) == 0 ? FK_TEXT : FK_OTHER;
    case 7:
        if (top)
            return memcmp(k, "channel", 7) == 0 ? FK_CHANNEL : FK_OTHER;
        return memcmp(k, "speaker", 7) == 0 ? FK_SPEAKER : FK_OTHER;
    default:
        return FK_OTHER;
    }
}

/* The members of the object at r->p ('{'): scalars, and "turns" at the top.
 * known (FK_N entries, FK_NONE on entry) gets the members of fast_key_kind;
 * every member's echo flag is set here. */
static bool fast_object(fast_reader *r, uint32_t turn, bool *seen_turns, size_t *known)
{
    heard_doc *d = r->doc;
    bool top = turn == FAST_TOP;
    size_t from = d->n_fields;
    r->p++;
    fast_ws(r);
    if (fast_at(r, '}')) {
        r->p++;
        return true;
    }
    for (int keys = 0;; keys++) {
        const char *key;
        size_t klen;
        if (keys == FAST_MAX_KEYS || !fast_at(r, '"') || !fast_string(r, &key, &klen))
            return false;
        if (!fast_sep(r, ':'))
            return false;
        if (top && klen == 5 && memcmp(key, "turns", 5) == 0) {
            if (*seen_turns || !fast_at(r, '['))
                return false;
            *seen_turns = true;
            if (!fast_turns(r))
                return false;
        } else {
            int kind = fast_key_kind(key, klen, top);
            if (kind != FK_OTHER ? known[kind] != FK_NONE : fast_find(d, from, turn, key, klen) != NULL)
                return false; /* duplicate key: jansson's error */
            fast_field *f = fast_new_field(r);
            if (!f)
                return false;
            f->key = key;
            f->key_len = klen;
            f->turn = turn;
            if (kind != FK_OTHER) {
                known[kind] = d->n_fields - 1;
                f->echo = kind == FK_AT; /* the others are reserved names */
            } else {
                f->echo = !is_reserved(key, top ? top_reserved : turn_reserved);
            }
            if (!fast_scalar(r, f))
                return false;
        }
        if (fast_sep(r, ','))
            continue;
        if (!fast_at(r, '}')) /* fast_sep skipped the whitespace */
            return false;
        r->p++;
        return true;
    }
}

/* heard_parse_time, the date parsed only when it is not the last one. */
static int fast_time(fast_reader *r, const char *s, size_t len, int64_t *out)
{
    const unsigned char *u = (const unsigned char *)s;
    int64_t days, secs;
    if (len < 20)
        return -1;
    uint64_t w = load8_bytes(u);
    uint16_t w2;
    memcpy(&w2, u + 8, 2);
    if (r->have_date && w == r->date8 && w2 == r->date2) {
        days = r->days;
    } else {
        if (parse_date(u, &days) != 0)
            return -1;
        r->have_date = true;
        r->date8 = w;
        r->date2 = w2;
        r->days = days;
    }
    if (parse_clock(s, len, &secs) != 0)
        return -1;
    *out = days * 86400 + secs;
    return 0;
}

/* What parse_turn checks, for turn t with the members known. */
static bool fast_turn_fill(fast_reader *r, uint32_t t, const size_t *known)
{
    heard_doc *d = r->doc;
    heard_turn_in *in = &d->turn_in[t];
    const fast_field *sp = known[FK_SPEAKER] != FK_NONE ? &d->fields[known[FK_SPEAKER]] : NULL;
    const fast_field *tx = known[FK_TEXT] != FK_NONE ? &d->fields[known[FK_TEXT]] : NULL;
    const fast_field *at = known[FK_AT] != FK_NONE ? &d->fields[known[FK_AT]] : NULL;
    if (!sp || sp->kind != FV_STR || !tx || tx->kind != FV_STR)
        return false;
    if (sp->len == 8 && memcmp(sp->str, "customer", 8) == 0)
        in->speaker = HEARD_CUSTOMER;
    else if (sp->len == 5 && memcmp(sp->str, "agent", 5) == 0)
        in->speaker = HEARD_AGENT;
    else
        return false;
    in->text = tx->str;
    in->len = tx->len;
    in->at = HEARD_NO_TIME;
    if (at && at->kind == FV_STR) {
        if (fast_time(r, at->str, at->len, &in->at) != 0)
            return false;
    } else if (at && at->kind == FV_INT) {
        in->at = at->i;
    } else if (at && at->kind != FV_NULL) {
        return false;
    }
    return true;
}

static bool fast_turns(fast_reader *r)
{
    heard_doc *d = r->doc;
    r->p++;
    fast_ws(r);
    if (fast_at(r, ']')) {
        r->p++;
        return true;
    }
    for (;;) {
        if (!fast_at(r, '{') || d->conv.n_turns == r->max_turns)
            return false;
        if (d->conv.n_turns == r->turn_cap) {
            heard_turn_in *t = grow_array(d->turn_in, r->turn_inline, &r->turn_cap, sizeof *t);
            if (!t)
                return false;
            d->turn_in = t;
        }
        uint32_t t = (uint32_t)d->conv.n_turns++;
        size_t known[FK_N] = {FK_NONE, FK_NONE, FK_NONE, FK_NONE, FK_NONE, FK_NONE};
        if (!fast_object(r, t, NULL, known) || !fast_turn_fill(r, t, known))
            return false;
        if (fast_sep(r, ','))
            continue;
        if (!fast_at(r, ']')) /* fast_sep skipped the whitespace */
            return false;
        r->p++;
        return true;
    }
}

/* What parse_header checks, and which top-level members are echoed. */
static bool fast_header(heard_doc *d, const size_t *known)
{
    const fast_field *id = known[FK_ID] != FK_NONE ? &d->fields[known[FK_ID]] : NULL;
    const fast_field *ch = known[FK_CHANNEL] != FK_NONE ? &d->fields[known[FK_CHANNEL]] : NULL;
    if (id && (id->kind == FV_TRUE || id->kind == FV_FALSE))
        return false;
    d->conv.channel = HEARD_CHAT;
    if (ch && ch->kind != FV_NULL &&
        (ch->kind != FV_STR || heard_channel_parse(ch->str, &d->conv.channel) != 0))
        return false;
    return true;
}

heard_doc *heard_doc_fast_parse(const char *line, size_t len, size_t max_turns)
{
    if (!max_turns)
        max_turns = HEARD_DEFAULT_MAX_TURNS;
    if (max_turns > FAST_TOP - 1) /* turn indexes are 32-bit; jansson takes the rest */
        max_turns = FAST_TOP - 1;
    size_t head = sizeof(heard_doc) + FAST_TURNS_INLINE * sizeof(heard_turn_in) +
                  FAST_FIELDS_INLINE * sizeof(fast_field);
    if (len > SIZE_MAX - head - 1 - FAST_SLACK)
        return NULL;
    heard_doc *d = malloc(head + len + 1 + FAST_SLACK);
    if (!d)
        return NULL;
    memset(d, 0, sizeof *d);
    fast_reader r = {
        .p = (const unsigned char *)line,
        .end = (const unsigned char *)line + len,
        .doc = d,
        .turn_cap = FAST_TURNS_INLINE,
        .field_cap = FAST_FIELDS_INLINE,
        .max_turns = max_turns,
        .turn_inline = (heard_turn_in *)(d + 1),
    };
    r.field_inline = (fast_field *)(r.turn_inline + FAST_TURNS_INLINE);
    d->arena = (char *)(r.field_inline + FAST_FIELDS_INLINE);
    d->turn_in = r.turn_inline;
    d->fields = r.field_inline;
    r.o = d->arena;
    bool seen_turns = false;
    size_t known[FK_N] = {FK_NONE, FK_NONE, FK_NONE, FK_NONE, FK_NONE, FK_NONE};
    fast_ws(&r);
    bool ok = fast_at(&r, '{') && fast_object(&r, FAST_TOP, &seen_turns, known);
    fast_ws(&r);
    if (!ok || r.p != r.end || !seen_turns || !fast_header(d, known)) {
        heard_doc_free(d);
        return NULL;
    }
    /* the unused end of the arena and the slack: defined bytes to read */
    memset(r.o, 0, (size_t)(d->arena + len + 1 + FAST_SLACK - r.o));
    d->slack = FAST_SLACK;
    d->conv.turns = d->turn_in;
    return d;
}

heard_status heard_doc_from_json(const char *line, size_t len, size_t max_turns,
                                 heard_doc **out, heard_error *err)
{
    *out = heard_doc_fast_parse(line, len, max_turns);
    if (*out)
        return HEARD_OK;
    return heard_doc_from_json_tree(line, len, max_turns, out, err);
}

heard_status heard_doc_from_json_tree(const char *line, size_t len, size_t max_turns,
                                      heard_doc **out, heard_error *err)
{
    *out = NULL;
    json_error_t je;
    json_t *root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        switch (json_error_code(&je)) {
        case json_error_invalid_utf8:
            return heard_fail(err, HEARD_EUTF8, "invalid UTF-8 at byte %d", je.position);
        case json_error_out_of_memory:
            return heard_fail(err, HEARD_ENOMEM, "out of memory");
        default:
            return heard_fail(err, HEARD_EINVAL, "invalid JSON at column %d: %s", je.column, je.text);
        }
    }
    return heard_doc_from_root(root, max_turns, out, err, NULL);
}

const heard_conversation_in *heard_doc_conversation(const heard_doc *doc)
{
    return &doc->conv;
}

const char *heard_doc_string(const heard_doc *doc, const char *field)
{
    if (doc->root)
        return json_string_value(json_object_get(doc->root, field));
    const fast_field *f = fast_find(doc, 0, FAST_TOP, field, strlen(field));
    return f && f->kind == FV_STR ? f->str : NULL;
}

void heard_doc_free(heard_doc *doc)
{
    if (!doc)
        return;
    if (doc->root || !doc->arena) { /* from jansson */
        json_decref(doc->root);
        free(doc->turn_in);
    } else { /* fast reader: the arrays may still be inside the block */
        heard_turn_in *turn_inline = (heard_turn_in *)(doc + 1);
        if (doc->turn_in != turn_inline)
            free(doc->turn_in);
        if (doc->fields != (fast_field *)(turn_inline + FAST_TURNS_INLINE))
            free(doc->fields);
    }
    free(doc);
}

/* ---- output buffer ---- */

/* A writer over a heard_buf whose allocation failure is sticky, so the
 * serialiser checks once at the end instead of after every piece. */
typedef struct writer {
    heard_buf *b;
    bool oom;
} writer;

static bool grow(writer *w, size_t need)
{
    heard_buf *b = w->b;
    if (w->oom)
        return false;
    size_t cap = b->cap ? b->cap : 1024;
    while (cap - b->len < need + 1) {
        if (cap > SIZE_MAX / 2) {
            w->oom = true;
            return false;
        }
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p) {
        w->oom = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

static inline bool reserve(writer *w, size_t n)
{
    return w->b->cap - w->b->len > n || grow(w, n);
}

static inline void put(writer *w, const char *s, size_t n)
{
    if (!reserve(w, n))
        return;
    memcpy(w->b->data + w->b->len, s, n);
    w->b->len += n;
}

#define PUTS(w, lit) put((w), (lit), sizeof(lit) - 1)

static inline void putc_(writer *w, char c)
{
    if (!reserve(w, 1))
        return;
    w->b->data[w->b->len++] = c;
}

/* Raw writers: o points into the buffer, the caller reserved the room. */

/* "00".."99": two digits a load. */
static const char digits2[201] =
    "0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849"
    "5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";

/* Any v, from the last digit back (v >= 10000: rare in the output). */
static char *raw_u64_long(char *o, uint64_t v)
{
    /* written in place from the last digit back: no copy of a scratch
     * buffer */
    static const uint64_t pow10[19] = {1u, 10u, 100u, 1000u, 10000u, 100000u, 1000000u,
                                       10000000u, 100000000u, 1000000000u, 10000000000u,
                                       100000000000u, 1000000000000u, 10000000000000u,
                                       100000000000000u, 1000000000000000u,
                                       10000000000000000u, 100000000000000000u,
                                       1000000000000000000u};
    size_t nd = 1;
    while (nd < 19 && v >= pow10[nd])
        nd++;
    nd += nd == 19 && v >= UINT64_C(10000000000000000000);
    char *e = o + nd;
    do {
        *--e = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return o + nd;
}

/* Indexes, offsets, counts: nearly all below 10,000, so a compare or two
 * and one or two table loads instead of a division per digit. */
static inline char *raw_u64(char *o, uint64_t v)
{
    if (v < 10) {
        *o = (char)('0' + v);
        return o + 1;
    }
    if (v < 100) {
        memcpy(o, digits2 + 2 * v, 2);
        return o + 2;
    }
    if (v < 10000) {
        unsigned hi = (unsigned)v / 100u, lo = (unsigned)v % 100u;
        if (hi < 10) {
            *o = (char)('0' + hi);
            memcpy(o + 1, digits2 + 2 * lo, 2);
            return o + 3;
        }
        memcpy(o, digits2 + 2 * hi, 2);
        memcpy(o + 2, digits2 + 2 * lo, 2);
        return o + 4;
    }
    return raw_u64_long(o, v);
}

static inline char *raw_i64(char *o, int64_t v)
{
    if (v < 0) {
        *o++ = '-';
        return raw_u64(o, (uint64_t)0 - (uint64_t)v);
    }
    return raw_u64(o, (uint64_t)v);
}

#define FIXED3_MAX 24 /* longest raw_fixed3 output */

/* THOUSANDTHS(M): M(a, b, c) for every thousandth 0.abc in order, the
 * initialisers of the fraction tables (built by the preprocessor). */
#define TH_ROW(M, a, b)                                                                      \
    M(a, b, 0), M(a, b, 1), M(a, b, 2), M(a, b, 3), M(a, b, 4), M(a, b, 5), M(a, b, 6),      \
        M(a, b, 7), M(a, b, 8), M(a, b, 9)
#define TH_HUNDRED(M, a)                                                                     \
    TH_ROW(M, a, 0), TH_ROW(M, a, 1), TH_ROW(M, a, 2), TH_ROW(M, a, 3), TH_ROW(M, a, 4),     \
        TH_ROW(M, a, 5), TH_ROW(M, a, 6), TH_ROW(M, a, 7), TH_ROW(M, a, 8), TH_ROW(M, a, 9)
#define THOUSANDTHS(M)                                                                       \
    TH_HUNDRED(M, 0), TH_HUNDRED(M, 1), TH_HUNDRED(M, 2), TH_HUNDRED(M, 3), TH_HUNDRED(M, 4), \
        TH_HUNDRED(M, 5), TH_HUNDRED(M, 6), TH_HUNDRED(M, 7), TH_HUNDRED(M, 8),              \
        TH_HUNDRED(M, 9)

/* The fraction part of each thousandth 0..999 as ".ddd" (4 bytes) and its
 * length once trailing zeros go (".0" for 0, ".5", ".25", ".125"): one load
 * per number instead of three divisions. */
#define FR_ENTRY(a, b, c) {'.', (char)('0' + (a)), (char)('0' + (b)), (char)('0' + (c))}
static const char frac3_digits[1000][4] = {THOUSANDTHS(FR_ENTRY)};
#undef FR_ENTRY
/* 2 + (b or c not 0) + (c not 0) */
#define FL_ENTRY(a, b, c) ((c) ? 4 : 2 + ((b) != 0))
static const unsigned char frac3_len[1000] = {THOUSANDTHS(FL_ENTRY)};
#undef FL_ENTRY

/* x rounded to 3 decimals without trailing zeros but always with a decimal
 * point, so consumers see a float: 0.0, 0.5, -0.712, 3.25. The rounding
 * (x * 1000 to nearest, halves away from zero) is what fixes the bytes;
 * tests/test_json_io.c checks the digits against the division-based
 * writer this replaced for every thousandth up to +-1100. */
static inline char *raw_fixed3(char *o, double x)
{
    if (!(x > -1e15 && x < 1e15)) /* NaN and inf */
        x = 0.0;
    double y = x * 1000.0;
    long long v = (long long)(y < 0 ? y - 0.5 : y + 0.5);
    if (v < 0) {
        *o++ = '-';
        v = -v;
    }
    unsigned fr;
    if (v < 1000) { /* scores and probabilities: no division at all */
        *o++ = '0';
        fr = (unsigned)v;
    } else {
        o = raw_u64(o, (uint64_t)(v / 1000));
        fr = (unsigned)(v % 1000);
    }
    memcpy(o, frac3_digits[fr], 4);
    return o + frac3_len[fr];
}

/* For the tests: raw_fixed3 into o (room for FIXED3_MAX bytes), NUL ended. */
size_t heard_json_fixed3(char *o, double x)
{
    char *e = raw_fixed3(o, x);
    *e = '\0';
    return (size_t)(e - o);
}

static inline char *raw_lit(char *o, const char *s, size_t n)
{
    memcpy(o, s, n);
    return o + n;
}

#define RAW(o, lit) raw_lit((o), (lit), sizeof(lit) - 1)

static void put_u64(writer *w, uint64_t v)
{
    if (reserve(w, 24))
        w->b->len = (size_t)(raw_u64(w->b->data + w->b->len, v) - w->b->data);
}

static void put_i64(writer *w, int64_t v)
{
    if (v < 0) {
        putc_(w, '-');
        put_u64(w, (uint64_t)0 - (uint64_t)v);
    } else {
        put_u64(w, (uint64_t)v);
    }
}

static void put_fixed3(writer *w, double x)
{
    if (reserve(w, FIXED3_MAX))
        w->b->len = (size_t)(raw_fixed3(w->b->data + w->b->len, x) - w->b->data);
}

/* A JSON string literal. Bytes that are not valid UTF-8 become U+FFFD, so
 * the output is always valid JSON even for truncated messages. The writers
 * below store whole 16- or 8-byte groups and then move o only past the plain
 * bytes, so up to 16 bytes past the literal may be written: STR_MAX has room
 * for them. */
#define STR_MAX(n) ((n) * 6 + 2 + 16) /* worst case: every byte becomes \u00XX */

/* raw_str from the first byte that is not plain, s[i]: o0 is the output
 * of s[0], o that of s[i]. */
static char *raw_str_rest(char *o0, char *o, const unsigned char *s, size_t i, size_t n,
                          size_t avail)
{
    static const char hex[] = "0123456789abcdef";
    for (;;) {
        unsigned char c = s[i];
        if (c >= 0x80) {
            size_t q = utf8_seq(s, n, i);
            if (q) { /* 2 to 4 bytes: no memcpy call */
                o[0] = (char)s[i];
                o[1] = (char)s[i + 1];
                if (q > 2)
                    o[2] = (char)s[i + 2];
                if (q > 3)
                    o[3] = (char)s[i + 3];
                o += q;
                i += q;
            } else {
                memcpy(o, "\xEF\xBF\xBD", 3);
                o += 3;
                i++;
            }
        } else {
            *o++ = '\\';
            switch (c) {
            case '"': *o++ = '"'; break;
            case '\\': *o++ = '\\'; break;
            case '\n': *o++ = 'n'; break;
            case '\r': *o++ = 'r'; break;
            case '\t': *o++ = 't'; break;
            case '\b': *o++ = 'b'; break;
            case '\f': *o++ = 'f'; break;
            default:
                *o++ = 'u';
                *o++ = '0';
                *o++ = '0';
                *o++ = hex[c >> 4];
                *o++ = hex[c & 15];
            }
            i++;
        }
        /* while nothing was escaped, the output so far is s[0..i) itself */
        size_t back = (size_t)(o - o0) == i ? i : 0;
        size_t k = plain_copy(o, s + i, n - i, avail - i, back);
        i += k;
        o += k;
        if (i == n)
            break;
    }
    *o++ = '"';
    return o;
}

/* str[0..n) as a JSON string; avail >= n bytes at str may be read. Inline
 * for strings that are plain throughout, the common case. */
static inline char *raw_str(char *o, const char *str, size_t n, size_t avail)
{
    const unsigned char *s = (const unsigned char *)str;
    *o++ = '"';
    size_t k = plain_copy(o, s, n, avail, 0);
    if (k < n)
        return raw_str_rest(o, o + k, s, k, n, avail);
    o[n] = '"';
    return o + n + 1;
}

static void put_str(writer *w, const char *s, size_t n)
{
    if (reserve(w, STR_MAX(n)))
        w->b->len = (size_t)(raw_str(w->b->data + w->b->len, s, n, n) - w->b->data);
}

static void put_cstr(writer *w, const char *s)
{
    put_str(w, s, strlen(s));
}

static void put_real(writer *w, double x)
{
    char tmp[40];
    int n = snprintf(tmp, sizeof tmp, "%.15g", x);
    if (strtod(tmp, NULL) != x)
        n = snprintf(tmp, sizeof tmp, "%.17g", x);
    put(w, tmp, (size_t)n);
    if (!strpbrk(tmp, ".eEn"))
        PUTS(w, ".0");
}

/* Any jansson value, for echoed input fields. */
static void put_value(writer *w, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *k;
        json_t *x;
        bool first = true;
        putc_(w, '{');
        json_object_foreach((json_t *)v, k, x) {
            if (!first)
                putc_(w, ',');
            first = false;
            put_cstr(w, k);
            putc_(w, ':');
            put_value(w, x);
        }
        putc_(w, '}');
        break;
    }
    case JSON_ARRAY:
        putc_(w, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                putc_(w, ',');
            put_value(w, json_array_get(v, i));
        }
        putc_(w, ']');
        break;
    case JSON_STRING:
        put_str(w, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        put_i64(w, json_integer_value(v));
        break;
    case JSON_REAL:
        put_real(w, json_real_value(v));
        break;
    case JSON_TRUE:
        PUTS(w, "true");
        break;
    case JSON_FALSE:
        PUTS(w, "false");
        break;
    case JSON_NULL:
        PUTS(w, "null");
        break;
    }
}

/* Echo the fields of obj not named in reserved, each preceded by a comma. */
static void put_extras(writer *w, const json_t *obj, const char *const *reserved)
{
    const char *k;
    json_t *x;
    json_object_foreach((json_t *)obj, k, x) {
        if (is_reserved(k, reserved))
            continue;
        putc_(w, ',');
        put_cstr(w, k);
        putc_(w, ':');
        put_value(w, x);
    }
}

/* ---- the analysis ---- */

/* The "name":0 keys of the 28 emotions in label order, spelled out so no
 * formatting happens per turn (the tests check them against
 * heard_emotion_name()). The '0' after the colon is the integer part of a
 * score below 1, so the common case writes key and "0" in one copy;
 * emotion_key_len counts up to the colon. */
#define KEY_PAD 24 /* each key is copied as 24 bytes, then the end moved back */
static const char emotion_keys[HEARD_N_EMOTIONS][KEY_PAD] = {
    "\"admiration\":0", "\"amusement\":0", "\"anger\":0", "\"annoyance\":0", "\"approval\":0",
    "\"caring\":0", "\"confusion\":0", "\"curiosity\":0", "\"desire\":0", "\"disappointment\":0",
    "\"disapproval\":0", "\"disgust\":0", "\"embarrassment\":0", "\"excitement\":0", "\"fear\":0",
    "\"gratitude\":0", "\"grief\":0", "\"joy\":0", "\"love\":0", "\"nervousness\":0",
    "\"optimism\":0", "\"pride\":0", "\"realization\":0", "\"relief\":0", "\"remorse\":0",
    "\"sadness\":0", "\"surprise\":0", "\"neutral\":0"};
#define KL(s) (sizeof(s) + 2) /* quotes and colon */
static const unsigned char emotion_key_len[HEARD_N_EMOTIONS] = {
    KL("admiration"), KL("amusement"), KL("anger"), KL("annoyance"), KL("approval"),
    KL("caring"), KL("confusion"), KL("curiosity"), KL("desire"), KL("disappointment"),
    KL("disapproval"), KL("disgust"), KL("embarrassment"), KL("excitement"), KL("fear"),
    KL("gratitude"), KL("grief"), KL("joy"), KL("love"), KL("nervousness"),
    KL("optimism"), KL("pride"), KL("realization"), KL("relief"), KL("remorse"),
    KL("sadness"), KL("surprise"), KL("neutral")};
#undef KL

/* ".ddd" of each thousandth 0..999 as raw_fixed3 writes it, followed by
 * the comma that ends an item of the emotions object; byte 7 is the length
 * with the comma (".5," is 3). One 8-byte copy per score. */
#define FC_D(x) (char)('0' + (x))
#define FC_ENTRY(a, b, c)                                                                    \
    {'.', FC_D(a), (b) || (c) ? FC_D(b) : ',', (c) ? FC_D(c) : (b) ? ',' : 0, (c) ? ',' : 0, \
     0, 0, (char)(3 + ((b) || (c)) + ((c) != 0))}
static const char frac3_comma[1000][8] = {THOUSANDTHS(FC_ENTRY)};
#undef FC_D
#undef FC_ENTRY

/* The 28 scores as raw_fixed3 rounds them (x * 1000 in double, plus 0.5,
 * truncated), into v; false unless every one is in [0, 1) once rounded, so
 * it is written "0.ddd". The same double operations as raw_fixed3, four
 * scores at a time. */
static bool emotion_thousandths(const float *e, int32_t *v)
{
#ifdef __SSE2__
    _Static_assert(HEARD_N_EMOTIONS % 4 == 0, "four scores a step");
    const __m128d k1000 = _mm_set1_pd(1000.0), half = _mm_set1_pd(0.5);
    const __m128i top = _mm_set1_epi32(999), zero = _mm_setzero_si128();
    __m128i bad = zero;
    for (int k = 0; k < HEARD_N_EMOTIONS; k += 4) {
        __m128 x = _mm_loadu_ps(e + k);
        __m128d lo = _mm_cvtps_pd(x), hi = _mm_cvtps_pd(_mm_movehl_ps(x, x));
        __m128i il = _mm_cvttpd_epi32(_mm_add_pd(_mm_mul_pd(lo, k1000), half));
        __m128i ih = _mm_cvttpd_epi32(_mm_add_pd(_mm_mul_pd(hi, k1000), half));
        __m128i iv = _mm_unpacklo_epi64(il, ih);
        /* negative or NaN scores, and huge ones (converted to INT_MIN) */
        bad = _mm_or_si128(bad, _mm_castps_si128(_mm_cmpnge_ps(x, _mm_setzero_ps())));
        bad = _mm_or_si128(bad, _mm_or_si128(_mm_cmpgt_epi32(iv, top), _mm_cmplt_epi32(iv, zero)));
        _mm_storeu_si128((__m128i *)(void *)(v + k), iv);
    }
    return _mm_movemask_epi8(bad) == 0;
#else
    for (int k = 0; k < HEARD_N_EMOTIONS; k++) {
        double y = (double)e[k] * 1000.0 + 0.5;
        if (!(e[k] >= 0.0f && y < 1000.0))
            return false;
        v[k] = (int32_t)y;
    }
    return true;
#endif
}

/* One evidence item, after a comma unless first, and the "]}" that closes
 * the list and the turn when last. */
static void put_evidence(writer *w, const heard_turn_in *in, size_t slack, const heard_evidence *e,
                         bool first, bool last)
{
    size_t start = e->start, end = e->end;
    if (end > in->len)
        end = in->len;
    if (start > end)
        start = end;
    /* spans always cover whole characters in the output text */
    const unsigned char *t = (const unsigned char *)in->text;
    while (start > 0 && start < in->len && (t[start] & 0xC0) == 0x80)
        start--;
    while (end < in->len && (t[end] & 0xC0) == 0x80)
        end++;
    const char *cue = e->cue ? e->cue : "";
    size_t cue_len = strlen(cue);
    if (!reserve(w, 80 + STR_MAX(cue_len) + STR_MAX(end - start)))
        return;
    char *o = w->b->data + w->b->len;
    *o = ',';
    o += !first;
    o = RAW(o, "{\"cue\":");
    o = raw_str(o, cue, cue_len, cue_len);
    o = RAW(o, ",\"start\":");
    o = raw_u64(o, start);
    o = RAW(o, ",\"end\":");
    o = raw_u64(o, end);
    o = RAW(o, ",\"text\":");
    o = raw_str(o, in->text + start, end - start, in->len - start + slack);
    *o++ = '}';
    if (last)
        o = RAW(o, "]}");
    w->b->len = (size_t)(o - w->b->data);
}

/* A member kept by the fast reader, as put_value writes its jansson twin. */
static void put_fast_field(writer *w, const fast_field *f, size_t slack)
{
    size_t n = f->kind == FV_STR ? f->len : 0;
    if (!reserve(w, 32 + STR_MAX(f->key_len) + STR_MAX(n)))
        return;
    char *o = w->b->data + w->b->len;
    *o++ = ',';
    o = raw_str(o, f->key, f->key_len, f->key_len + slack);
    *o++ = ':';
    switch (f->kind) {
    case FV_STR: o = raw_str(o, f->str, f->len, f->len + slack); break;
    case FV_INT: o = raw_i64(o, f->i); break;
    case FV_TRUE: o = RAW(o, "true"); break;
    case FV_FALSE: o = RAW(o, "false"); break;
    default: o = RAW(o, "null"); break;
    }
    w->b->len = (size_t)(o - w->b->data);
}

/* The extra members of turn i: from the jansson tree, or the fast reader's
 * fields, whose turns come in order (*cursor walks them once). */
static void put_turn_extras(writer *w, const heard_doc *doc, size_t i, size_t *cursor)
{
    if (doc->root) {
        put_extras(w, json_array_get(doc->turns, i), turn_reserved);
        return;
    }
    size_t c = *cursor;
    while (c < doc->n_fields && doc->fields[c].turn != i)
        c++;
    for (; c < doc->n_fields && doc->fields[c].turn == i; c++)
        if (doc->fields[c].echo)
            put_fast_field(w, &doc->fields[c], doc->slack);
    *cursor = c;
}

static inline int lowest_bit(uint32_t v) /* v != 0 */
{
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_ctz(v);
#else
    int k = 0;
    for (; !(v & 1u); v >>= 1)
        k++;
    return k;
#endif
}

/* Everything of a turn from "sentiment" to before "evidence": bounded by
 * TURN_SCORES_MAX bytes, so it is written raw after one reserve. */
#define TURN_SCORES_MAX 2560 /* about 1,950 at most: 28 x (17 + 21) for emotions */

static void put_turn_scores(writer *w, const heard_turn_result *r, heard_speaker speaker)
{ /* and the opening of the evidence list: closed here when empty */
    if (!reserve(w, TURN_SCORES_MAX))
        return;
    char *o = w->b->data + w->b->len;
    o = RAW(o, ",\"sentiment\":");
    o = raw_fixed3(o, r->sentiment);
    o = RAW(o, ",\"politeness\":");
    o = raw_fixed3(o, r->politeness);
    /* each item is followed by a comma; the last one becomes the closer */
    o = RAW(o, ",\"emotions\":{");
    int32_t v[HEARD_N_EMOTIONS];
    if (emotion_thousandths(r->emotions, v)) {
        /* unrolled: every key length is a constant */
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC unroll 28
#endif
        for (int k = 0; k < HEARD_N_EMOTIONS; k++) {
            memcpy(o, emotion_keys[k], KEY_PAD);
            o += emotion_key_len[k] + 1u;
            memcpy(o, frac3_comma[v[k]], 8);
            o += (unsigned char)frac3_comma[v[k]][7];
        }
    } else {
        for (int k = 0; k < HEARD_N_EMOTIONS; k++) {
            memcpy(o, emotion_keys[k], KEY_PAD);
            o = raw_fixed3(o + emotion_key_len[k], r->emotions[k]);
            *o++ = ',';
        }
    }
    o[-1] = '}';
    o = RAW(o, ",\"emotion_labels\":[");
    uint32_t labels = r->emotion_labels ? r->emotion_labels : 1u << (HEARD_N_EMOTIONS - 1);
    labels &= (1u << HEARD_N_EMOTIONS) - 1u;
    if (!labels)
        *o++ = ']';
    for (; labels; labels &= labels - 1u) { /* the labels on, lowest first */
        int k = lowest_bit(labels);
        memcpy(o, emotion_keys[k], KEY_PAD);
        o += emotion_key_len[k] - 1u; /* drop the colon */
        *o++ = ',';
    }
    if (o[-1] == ',')
        o[-1] = ']';
    if (speaker == HEARD_CUSTOMER) {
        o = RAW(o, ",\"urgency\":");
        o = raw_i64(o, r->urgency);
        o = r->bid ? RAW(o, ",\"bid\":true") : RAW(o, ",\"bid\":false");
    } else {
        o = RAW(o, ",\"empathy\":{\"emotional_reaction\":");
        o = raw_i64(o, r->emotional_reaction);
        o = RAW(o, ",\"interpretation\":");
        o = raw_i64(o, r->interpretation);
        o = RAW(o, ",\"exploration\":");
        o = raw_i64(o, r->exploration);
        o = r->ownership ? RAW(o, "},\"ownership\":true") : RAW(o, "},\"ownership\":false");
        o = r->dismissive ? RAW(o, ",\"dismissive\":true") : RAW(o, ",\"dismissive\":false");
        if (r->has_wait) {
            o = RAW(o, ",\"wait_seconds\":");
            o = raw_i64(o, r->wait_seconds);
        }
    }
    o = r->n_evidence ? RAW(o, ",\"evidence\":[") : RAW(o, ",\"evidence\":[]}");
    w->b->len = (size_t)(o - w->b->data);
}

static void put_turn(writer *w, size_t i, const heard_doc *doc, size_t *cursor,
                     const heard_turn_result *r)
{
    const heard_turn_in *in = &doc->conv.turns[i];
    if (!reserve(w, 64))
        return;
    char *o = w->b->data + w->b->len;
    *o = ','; /* kept before all but the first turn */
    o += i != 0;
    o = RAW(o, "{\"index\":");
    o = raw_u64(o, i);
    o = in->speaker == HEARD_AGENT ? RAW(o, ",\"speaker\":\"agent\"")
                                   : RAW(o, ",\"speaker\":\"customer\"");
    w->b->len = (size_t)(o - w->b->data);
    put_turn_extras(w, doc, i, cursor);
    put_turn_scores(w, r, in->speaker);
    for (size_t k = 0; k < r->n_evidence; k++)
        put_evidence(w, in, doc->slack, &r->evidence[k], k == 0, k + 1 == r->n_evidence);
}

static void put_opportunity(writer *w, const heard_opportunity *op, bool first)
{
    if (!reserve(w, 128))
        return;
    char *o = w->b->data + w->b->len;
    *o = ',';
    o += !first;
    o = RAW(o, "{\"turn\":");
    o = raw_u64(o, op->turn);
    o = op->kind == HEARD_OPP_URGENCY ? RAW(o, ",\"kind\":\"urgency\"")
                                      : RAW(o, ",\"kind\":\"bid\"");
    o = op->met                        ? RAW(o, ",\"status\":\"met\"")
        : heard_opportunity_missed(op) ? RAW(o, ",\"status\":\"missed\"")
                                       : RAW(o, ",\"status\":\"unanswered\"");
    o = RAW(o, ",\"response_turn\":");
    o = op->response_turn < 0 ? RAW(o, "null") : raw_i64(o, op->response_turn);
    *o++ = '}';
    w->b->len = (size_t)(o - w->b->data);
}

static void put_result(writer *w, const heard_doc *doc, const heard_result *res)
{
    PUTS(w, "{\"schema\":");
    put_u64(w, HEARD_SCHEMA);
    if (doc->root) {
        json_t *id = json_object_get(doc->root, "id");
        if (id && !json_is_null(id)) {
            PUTS(w, ",\"id\":");
            put_value(w, id);
        }
    } else {
        const fast_field *id = fast_find(doc, 0, FAST_TOP, "id", 2);
        if (id && id->kind != FV_NULL) {
            put_fast_field(w, id, doc->slack);
        }
    }
    PUTS(w, ",\"channel\":");
    put_cstr(w, heard_channel_name(doc->conv.channel));
    if (doc->root) {
        put_extras(w, doc->root, top_reserved);
    } else {
        for (size_t j = 0; j < doc->n_fields; j++)
            if (doc->fields[j].turn == FAST_TOP && doc->fields[j].echo)
                put_fast_field(w, &doc->fields[j], doc->slack);
    }
    PUTS(w, ",\"turns\":[");
    size_t cursor = 0;
    for (size_t i = 0; i < res->n_turns; i++)
        put_turn(w, i, doc, &cursor, &res->turns[i]);
    PUTS(w, "],\"opportunities\":[");
    for (size_t i = 0; i < res->n_opportunities; i++)
        put_opportunity(w, &res->opportunities[i], i == 0);
    PUTS(w, "],\"scores\":{\"empathy\":");
    put_i64(w, res->empathy_score);
    PUTS(w, ",\"politeness\":");
    put_i64(w, res->politeness_score);
    PUTS(w, ",\"felt_heard\":");
    put_fixed3(w, res->felt_heard);
    PUTS(w, "},\"flags\":[");
    bool first = true;
    for (unsigned b = 0; b < HEARD_N_FLAGS; b++) {
        if (!(res->flags & (1u << b)))
            continue;
        if (!first)
            putc_(w, ',');
        first = false;
        put_cstr(w, heard_flag_name(b));
    }
    PUTS(w, "]}");
}

static void indent(writer *w, int depth)
{
    putc_(w, '\n');
    for (int i = 0; i < depth; i++)
        PUTS(w, "  ");
}

/* Re-indent compact JSON s[0..n) (as written above: no whitespace outside
 * strings) with two spaces per level; empty {} and [] stay on one line. */
static void reindent(writer *w, const char *s, size_t n)
{
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '"') {
            size_t j = i + 1;
            while (j < n && s[j] != '"')
                j += s[j] == '\\' ? 2 : 1;
            put(w, s + i, j + 1 - i);
            i = j;
        } else if (c == '{' || c == '[') {
            putc_(w, c);
            if (i + 1 < n && (s[i + 1] == '}' || s[i + 1] == ']')) {
                putc_(w, s[++i]);
            } else {
                indent(w, ++depth);
            }
        } else if (c == '}' || c == ']') {
            indent(w, --depth);
            putc_(w, c);
        } else if (c == ',') {
            putc_(w, c);
            indent(w, depth);
        } else if (c == ':') {
            PUTS(w, ": ");
        } else {
            putc_(w, c);
        }
    }
}

heard_status heard_result_append_json(heard_buf *buf, const heard_doc *doc,
                                      const heard_result *res, bool pretty,
                                      heard_error *err)
{
    if (!doc || !res || res->n_turns != doc->conv.n_turns)
        return heard_fail(err, HEARD_EINVAL, "result does not belong to this conversation");
    writer w = {buf, false};
    size_t start = buf->len;
    reserve(&w, 512 + res->n_turns * 1024);
    put_result(&w, doc, res);
    if (pretty && !w.oom) {
        /* the compact form is copied out so reindent can write into buf */
        size_t n = buf->len - start;
        char *compact = malloc(n ? n : 1);
        if (!compact) {
            w.oom = true;
        } else {
            memcpy(compact, buf->data + start, n);
            buf->len = start;
            reindent(&w, compact, n);
            free(compact);
        }
    }
    if (w.oom) {
        if (buf->data) {
            buf->len = start;
            buf->data[start] = '\0';
        }
        return heard_fail(err, HEARD_ENOMEM, "out of memory writing the result");
    }
    buf->data[buf->len] = '\0';
    return HEARD_OK;
}

heard_status heard_error_append_json(heard_buf *buf, size_t line, const char *message)
{
    writer w = {buf, false};
    size_t start = buf->len;
    PUTS(&w, "{\"schema\":");
    put_u64(&w, HEARD_SCHEMA);
    PUTS(&w, ",\"line\":");
    put_u64(&w, line);
    PUTS(&w, ",\"error\":");
    put_cstr(&w, message ? message : "error");
    putc_(&w, '}');
    if (w.oom) {
        if (buf->data) {
            buf->len = start;
            buf->data[start] = '\0';
        }
        return HEARD_ENOMEM;
    }
    buf->data[buf->len] = '\0';
    return HEARD_OK;
}

heard_status heard_result_to_json(const heard_doc *doc, const heard_result *res,
                                  bool pretty, char **out, size_t *out_len,
                                  heard_error *err)
{
    heard_buf b = {0};
    *out = NULL;
    heard_status st = heard_result_append_json(&b, doc, res, pretty, err);
    if (st != HEARD_OK) {
        heard_buf_free(&b);
        return st;
    }
    *out = b.data;
    if (out_len)
        *out_len = b.len;
    return HEARD_OK;
}

char *heard_error_json(size_t line, const char *message)
{
    heard_buf b = {0};
    if (heard_error_append_json(&b, line, message) != HEARD_OK) {
        heard_buf_free(&b);
        return NULL;
    }
    return b.data;
}

void heard_buf_free(heard_buf *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* json_io.c - conversations in from JSONL and the analysis JSON of
 * INTERFACE.md out.
 *
 * Input goes through jansson, which also rejects invalid UTF-8, NUL escapes,
 * duplicate keys and nesting deeper than JSON_PARSER_MAX_DEPTH. The parsed
 * object is kept so that fields we do not know are echoed back.
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

#include "error.h"
#include "io_internal.h"

struct heard_doc {
    json_t *root;            /* owned; turn texts point into it */
    json_t *turns;           /* borrowed from root */
    heard_turn_in *turn_in;  /* owned, conv.n_turns entries */
    heard_conversation_in conv;
};

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

int heard_parse_time(const char *s, size_t len, int64_t *out)
{
    int y, mo, d, h, mi, sec, oh = 0, om = 0;
    if (len < 20 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
        s[7] != '-' || digits(s + 8, 2, &d) ||
        (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || digits(s + 11, 2, &h) ||
        s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &sec))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
        sec > 60)
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
    int64_t t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    t -= (int64_t)sign * (oh * 3600 + om * 60);
    *out = t;
    return 0;
}

/* ---- input ---- */

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

heard_status heard_doc_from_json(const char *line, size_t len, size_t max_turns,
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
    return json_string_value(json_object_get(doc->root, field));
}

void heard_doc_free(heard_doc *doc)
{
    if (!doc)
        return;
    json_decref(doc->root);
    free(doc->turn_in);
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

static void put_u64(writer *w, uint64_t v)
{
    char tmp[24];
    int i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put(w, tmp + i, sizeof tmp - (size_t)i);
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

/* x rounded to 3 decimals without trailing zeros but always with a decimal
 * point, so consumers see a float: 0.0, 0.5, -0.712, 3.25. */
static void put_fixed3(writer *w, double x)
{
    if (x == 0.0 || !(x > -1e15 && x < 1e15)) { /* most emotions; NaN and inf */
        PUTS(w, "0.0");
        return;
    }
    double y = x * 1000.0;
    long long v = (long long)(y < 0 ? y - 0.5 : y + 0.5);
    if (v < 0) {
        putc_(w, '-');
        v = -v;
    }
    if (v < 1000) {
        putc_(w, '0');
    } else {
        put_u64(w, (uint64_t)(v / 1000));
    }
    int fr = (int)(v % 1000);
    char tmp[4] = {'.', (char)('0' + fr / 100), (char)('0' + fr / 10 % 10),
                   (char)('0' + fr % 10)};
    size_t n = fr % 10 ? 4 : fr / 10 % 10 ? 3 : 2;
    put(w, tmp, n);
}

static void put_bool(writer *w, bool b)
{
    if (b)
        PUTS(w, "true");
    else
        PUTS(w, "false");
}

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

/* A JSON string literal. Bytes that are not valid UTF-8 become U+FFFD, so
 * the output is always valid JSON even for truncated messages. */
static void put_str(writer *w, const char *str, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)str;
    /* worst case: every byte becomes \u00XX */
    if (!reserve(w, n * 6 + 2))
        return;
    char *o = w->b->data + w->b->len;
    *o++ = '"';
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            *o++ = (char)c;
            i++;
        } else if (c >= 0x80) {
            size_t k = utf8_seq(s, n, i);
            if (k) {
                memcpy(o, s + i, k);
                o += k;
                i += k;
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
    }
    *o++ = '"';
    w->b->len = (size_t)(o - w->b->data);
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

static bool is_reserved(const char *k, const char *const *names)
{
    for (; *names; names++)
        if (strcmp(k, *names) == 0)
            return true;
    return false;
}

static const char *const top_reserved[] = {"schema", "id", "channel", "turns", "opportunities",
                                           "scores", "flags", "line", "error", NULL};
static const char *const turn_reserved[] = {
    "index", "speaker", "text", "sentiment", "politeness", "emotions", "emotion_labels",
    "urgency", "bid", "empathy", "ownership", "dismissive", "wait_seconds", "evidence", NULL};

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

/* The "name": keys of the 28 emotions in label order, spelled out so no
 * formatting happens per turn (the tests check them against
 * heard_emotion_name()). */
static const char *const emotion_keys[HEARD_N_EMOTIONS] = {
    "\"admiration\":", "\"amusement\":", "\"anger\":", "\"annoyance\":", "\"approval\":",
    "\"caring\":", "\"confusion\":", "\"curiosity\":", "\"desire\":", "\"disappointment\":",
    "\"disapproval\":", "\"disgust\":", "\"embarrassment\":", "\"excitement\":", "\"fear\":",
    "\"gratitude\":", "\"grief\":", "\"joy\":", "\"love\":", "\"nervousness\":",
    "\"optimism\":", "\"pride\":", "\"realization\":", "\"relief\":", "\"remorse\":",
    "\"sadness\":", "\"surprise\":", "\"neutral\":"};
#define KL(s) (sizeof(s) + 2) /* quotes and colon */
static const unsigned char emotion_key_len[HEARD_N_EMOTIONS] = {
    KL("admiration"), KL("amusement"), KL("anger"), KL("annoyance"), KL("approval"),
    KL("caring"), KL("confusion"), KL("curiosity"), KL("desire"), KL("disappointment"),
    KL("disapproval"), KL("disgust"), KL("embarrassment"), KL("excitement"), KL("fear"),
    KL("gratitude"), KL("grief"), KL("joy"), KL("love"), KL("nervousness"),
    KL("optimism"), KL("pride"), KL("realization"), KL("relief"), KL("remorse"),
    KL("sadness"), KL("surprise"), KL("neutral")};
#undef KL

static void put_evidence(writer *w, const heard_turn_in *in, const heard_evidence *e)
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
    PUTS(w, "{\"cue\":");
    put_cstr(w, e->cue ? e->cue : "");
    PUTS(w, ",\"start\":");
    put_u64(w, start);
    PUTS(w, ",\"end\":");
    put_u64(w, end);
    PUTS(w, ",\"text\":");
    put_str(w, in->text + start, end - start);
    putc_(w, '}');
}

static void put_turn(writer *w, size_t i, const json_t *obj, const heard_turn_in *in,
                     const heard_turn_result *r)
{
    PUTS(w, "{\"index\":");
    put_u64(w, i);
    if (in->speaker == HEARD_AGENT)
        PUTS(w, ",\"speaker\":\"agent\"");
    else
        PUTS(w, ",\"speaker\":\"customer\"");
    if (obj)
        put_extras(w, obj, turn_reserved);
    PUTS(w, ",\"sentiment\":");
    put_fixed3(w, r->sentiment);
    PUTS(w, ",\"politeness\":");
    put_fixed3(w, r->politeness);
    PUTS(w, ",\"emotions\":{");
    for (int k = 0; k < HEARD_N_EMOTIONS; k++) {
        if (k)
            putc_(w, ',');
        put(w, emotion_keys[k], emotion_key_len[k]);
        put_fixed3(w, r->emotions[k]);
    }
    PUTS(w, "},\"emotion_labels\":[");
    uint32_t labels = r->emotion_labels ? r->emotion_labels : 1u << (HEARD_N_EMOTIONS - 1);
    bool first = true;
    for (int k = 0; k < HEARD_N_EMOTIONS; k++) {
        if (!(labels & (1u << k)))
            continue;
        if (!first)
            putc_(w, ',');
        first = false;
        put(w, emotion_keys[k], emotion_key_len[k] - 1u); /* drop the colon */
    }
    putc_(w, ']');
    if (in->speaker == HEARD_CUSTOMER) {
        PUTS(w, ",\"urgency\":");
        put_i64(w, r->urgency);
        PUTS(w, ",\"bid\":");
        put_bool(w, r->bid);
    } else {
        PUTS(w, ",\"empathy\":{\"emotional_reaction\":");
        put_i64(w, r->emotional_reaction);
        PUTS(w, ",\"interpretation\":");
        put_i64(w, r->interpretation);
        PUTS(w, ",\"exploration\":");
        put_i64(w, r->exploration);
        PUTS(w, "},\"ownership\":");
        put_bool(w, r->ownership);
        PUTS(w, ",\"dismissive\":");
        put_bool(w, r->dismissive);
        if (r->has_wait) {
            PUTS(w, ",\"wait_seconds\":");
            put_i64(w, r->wait_seconds);
        }
    }
    PUTS(w, ",\"evidence\":[");
    for (size_t k = 0; k < r->n_evidence; k++) {
        if (k)
            putc_(w, ',');
        put_evidence(w, in, &r->evidence[k]);
    }
    PUTS(w, "]}");
}

static void put_opportunity(writer *w, const heard_opportunity *o)
{
    PUTS(w, "{\"turn\":");
    put_u64(w, o->turn);
    if (o->kind == HEARD_OPP_URGENCY)
        PUTS(w, ",\"kind\":\"urgency\"");
    else
        PUTS(w, ",\"kind\":\"bid\"");
    if (o->met)
        PUTS(w, ",\"status\":\"met\"");
    else
        PUTS(w, ",\"status\":\"missed\"");
    PUTS(w, ",\"response_turn\":");
    if (o->response_turn < 0)
        PUTS(w, "null");
    else
        put_i64(w, o->response_turn);
    putc_(w, '}');
}

static void put_result(writer *w, const heard_doc *doc, const heard_result *res)
{
    PUTS(w, "{\"schema\":");
    put_u64(w, HEARD_SCHEMA);
    json_t *id = json_object_get(doc->root, "id");
    if (id && !json_is_null(id)) {
        PUTS(w, ",\"id\":");
        put_value(w, id);
    }
    PUTS(w, ",\"channel\":");
    put_cstr(w, heard_channel_name(doc->conv.channel));
    put_extras(w, doc->root, top_reserved);
    PUTS(w, ",\"turns\":[");
    for (size_t i = 0; i < res->n_turns; i++) {
        if (i)
            putc_(w, ',');
        put_turn(w, i, json_array_get(doc->turns, i), &doc->conv.turns[i], &res->turns[i]);
    }
    PUTS(w, "],\"opportunities\":[");
    for (size_t i = 0; i < res->n_opportunities; i++) {
        if (i)
            putc_(w, ',');
        put_opportunity(w, &res->opportunities[i]);
    }
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

/* text.c - strict UTF-8 validation, code point decoding and folding
 * (NFC + Unicode case folding through utf8proc). Folding never allocates:
 * ASCII is lowered byte by byte and non-ASCII stretches go through a stack
 * buffer, split at ASCII characters so that long inputs stay bounded. */
#include <string.h>
#include <utf8proc.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "text.h"

/* Code points handled in one utf8proc call; a chunk is cut before an ASCII
 * character, which is safe because ASCII characters are starters that never
 * compose with what precedes them. */
#define FOLD_CHUNK_CPS 256
/* Longest input slice handed to utf8proc in one go: casefolding expands a
 * code point to at most 3 and each input code point takes >= 1 byte. */
#define FOLD_CHUNK_BYTES (FOLD_CHUNK_CPS / 4)

static bool is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* Length of the valid sequence at s[i], or 0 when it is invalid. */
static int utf8_seq_len(const unsigned char *s, size_t len, size_t i)
{
    unsigned char c = s[i];
    size_t left = len - i;
    if (c < 0x80)
        return c == 0 ? 0 : 1;
    if (c < 0xC2) /* stray continuation byte, or overlong 2-byte lead */
        return 0;
    if (c < 0xE0)
        return left >= 2 && is_cont(s[i + 1]) ? 2 : 0;
    if (c < 0xF0) {
        if (left < 3 || !is_cont(s[i + 1]) || !is_cont(s[i + 2]))
            return 0;
        if (c == 0xE0 && s[i + 1] < 0xA0) /* overlong */
            return 0;
        if (c == 0xED && s[i + 1] >= 0xA0) /* UTF-16 surrogates */
            return 0;
        return 3;
    }
    if (c < 0xF5) {
        if (left < 4 || !is_cont(s[i + 1]) || !is_cont(s[i + 2]) || !is_cont(s[i + 3]))
            return 0;
        if (c == 0xF0 && s[i + 1] < 0x90) /* overlong */
            return 0;
        if (c == 0xF4 && s[i + 1] >= 0x90) /* above U+10FFFF */
            return 0;
        return 4;
    }
    return 0;
}

/* True when none of the 8 bytes at p is >= 0x80 or NUL. */
static bool word_is_plain_ascii(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
    const uint64_t lo = 0x0101010101010101ull, hi = 0x8080808080808080ull;
    return ((w | ((w - lo) & ~w)) & hi) == 0;
}

#ifdef __SSE2__
/* True when none of the 16 bytes at p is >= 0x80 or NUL. */
static inline bool block_is_plain_ascii(const unsigned char *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    return _mm_movemask_epi8(_mm_or_si128(v, _mm_cmpeq_epi8(v, _mm_setzero_si128()))) == 0;
}
#endif

bool heard_utf8_valid(const char *s, size_t len, size_t *bad_offset)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    if (!s && len) {
        if (bad_offset)
            *bad_offset = 0;
        return false;
    }
    while (i < len) {
#ifdef __SSE2__
        /* plain ASCII, the usual text, 16 bytes a step */
        if (i + 16 <= len && block_is_plain_ascii(u + i)) {
            i += 16;
            while (i + 16 <= len && block_is_plain_ascii(u + i))
                i += 16;
            continue;
        }
#endif
        if (i + 8 <= len && word_is_plain_ascii(u + i)) {
            i += 8;
            continue;
        }
        int n = utf8_seq_len(u, len, i);
        if (n == 0) {
            if (bad_offset)
                *bad_offset = i;
            return false;
        }
        i += (size_t)n;
    }
    if (bad_offset)
        *bad_offset = len;
    return true;
}

int heard_utf8_next(const char *s, size_t len, size_t i, int32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned char c = u[i];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    int n = utf8_seq_len(u, len, i);
    switch (n) {
    case 2:
        *cp = (int32_t)(((c & 0x1Fu) << 6) | (u[i + 1] & 0x3Fu));
        return 2;
    case 3:
        *cp = (int32_t)(((c & 0x0Fu) << 12) | ((u[i + 1] & 0x3Fu) << 6) | (u[i + 2] & 0x3Fu));
        return 3;
    case 4:
        *cp = (int32_t)(((c & 0x07u) << 18) | ((u[i + 1] & 0x3Fu) << 12) |
                        ((u[i + 2] & 0x3Fu) << 6) | (u[i + 3] & 0x3Fu));
        return 4;
    default:
        /* Invalid input despite the contract: step one byte, report U+FFFD so
         * callers never loop forever or read past the end. */
        *cp = 0xFFFD;
        return 1;
    }
}

/* Typographic apostrophes and quotes that people type (or phones insert)
 * for ' and "; mapping them lets "don’t" match "don't". */
static int32_t map_quote(int32_t cp)
{
    switch (cp) {
    case 0x2018: case 0x2019: case 0x201B: case 0x02BC: case 0x2032: case 0xFF07:
        return '\'';
    case 0x201C: case 0x201D: case 0x201F: case 0x2033: case 0xFF02:
        return '"';
    default:
        return cp;
    }
}

/* Fold a short slice (at most FOLD_CHUNK_BYTES) through utf8proc into dst;
 * -1 when it does not fit or is not valid UTF-8. */
static long fold_unicode(const char *s, size_t len, char *dst, size_t cap)
{
    utf8proc_int32_t buf[FOLD_CHUNK_CPS];
    const utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD;
    utf8proc_ssize_t n = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
                                            buf, FOLD_CHUNK_CPS, opts);
    if (n < 0 || n > FOLD_CHUNK_CPS)
        return -1;
    for (utf8proc_ssize_t k = 0; k < n; k++)
        buf[k] = map_quote(buf[k]);
    utf8proc_ssize_t bytes = utf8proc_reencode(buf, n, opts);
    if (bytes < 0 || (size_t)bytes > cap)
        return -1;
    memcpy(dst, buf, (size_t)bytes);
    return (long)bytes;
}

/* True when a chunk may end just before cp: cp is a starter that cannot be
 * the second half of a canonical composition, so NFC of the two chunks
 * equals NFC of the whole. */
static bool safe_cut_before(int32_t cp)
{
    if (cp < 0x80)
        return true;
    const utf8proc_property_t *p = utf8proc_get_property(cp);
    if (p->combining_class != 0)
        return false;
    switch (p->boundclass) {
    case UTF8PROC_BOUNDCLASS_EXTEND: case UTF8PROC_BOUNDCLASS_SPACINGMARK:
    case UTF8PROC_BOUNDCLASS_V: case UTF8PROC_BOUNDCLASS_T:
        return false;
    default:
        return true;
    }
}

long heard_fold(const char *s, size_t len, char *dst, size_t cap)
{
    size_t out = 0, i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80 && (i + 1 == len || (unsigned char)s[i + 1] < 0x80)) {
            if (out >= cap)
                return -1;
            dst[out++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            i++;
            continue;
        }
        /* Non-ASCII stretch (with the ASCII character before it, which may
         * compose with a following mark): extend up to an ASCII byte or the
         * chunk limit, ending at a safe code point boundary. */
        size_t j = i + 1;
        size_t lim = len - i > FOLD_CHUNK_BYTES ? i + FOLD_CHUNK_BYTES : len;
        while (j < lim && (unsigned char)s[j] >= 0x80)
            j++;
        while (j < len && j > i + 1) {
            if (!is_cont((unsigned char)s[j])) {
                int32_t cp;
                heard_utf8_next(s, len, j, &cp);
                if (safe_cut_before(cp))
                    break;
            }
            j--;
        }
        if (j == i + 1 && j < len && is_cont((unsigned char)s[j])) {
            /* No safe cut inside the window (pathological run of marks):
             * take the window up to a code point boundary anyway. */
            j = lim;
            while (j < len && j > i + 1 && is_cont((unsigned char)s[j]))
                j--;
        }
        long w = fold_unicode(s + i, j - i, dst + out, cap - out);
        if (w < 0)
            return -1;
        out += (size_t)w;
        i = j;
    }
    return (long)out;
}

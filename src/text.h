/* text.h - UTF-8 validation and normalisation (NFC + case folding) through
 * utf8proc. Offsets always refer to the caller's original bytes. */
#ifndef HEARD_TEXT_H
#define HEARD_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Returns true when s[0..len) is valid UTF-8 without NUL bytes; otherwise
 * false and *bad_offset is the byte offset of the first invalid sequence. */
bool heard_utf8_valid(const char *s, size_t len, size_t *bad_offset);

/* Decode one code point at s[i] (valid UTF-8 assumed); returns its byte
 * length (>= 1) and stores the code point in *cp. */
int heard_utf8_next(const char *s, size_t len, size_t i, int32_t *cp);

/* Append the NFC case-folded form of s[0..len) to dst (capacity cap);
 * returns the number of bytes written, or -1 if it does not fit.
 * Curly apostrophes and quotes are mapped to ASCII ones. */
long heard_fold(const char *s, size_t len, char *dst, size_t cap);

/* 64-bit FNV-1a style hash (prime of FNV-1a, non-standard offset basis kept
 * because trained models depend on it); the one hash used for every table so that tables built at
 * load time and tokens hashed at analysis time agree. */
static inline uint64_t heard_hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static inline uint64_t heard_hash_combine(uint64_t a, uint64_t b)
{
    a ^= b + 0x9e3779b97f4a7c15ull + (a << 6) + (a >> 2);
    return a;
}

#endif

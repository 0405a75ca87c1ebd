/* sha256.h - SHA-256 (FIPS 180-4), used to store API keys and survey tokens
 * only as hashes. Written here because none of the linked libraries
 * (sqlite3, libpq, libmicrohttpd, jansson) exports a hash function. */
#ifndef HEARD_SERVER_SHA256_H
#define HEARD_SERVER_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct sha256_ctx {
    uint32_t h[8];
    uint64_t len;        /* bytes hashed so far */
    unsigned char buf[64];
    size_t n;            /* bytes waiting in buf */
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t len);
void sha256_final(sha256_ctx *c, unsigned char out[32]);
/* One-shot digest as 64 lowercase hex characters plus NUL. */
void sha256_hex(const void *data, size_t len, char out[65]);

#endif

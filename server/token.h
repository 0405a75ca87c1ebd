/* token.h - secrets: random API keys and survey tokens from getrandom(),
 * their base64url text form, and the SHA-256 hex under which they are
 * stored (the secret itself is never written anywhere). */
#ifndef HEARD_SERVER_TOKEN_H
#define HEARD_SERVER_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* n random bytes (n <= 64) as unpadded base64url into out (size >= 4*n/3+2).
 * Returns 0, or -1 when the kernel gives no randomness. */
int token_random(size_t n, char *out, size_t outsize);
/* The stored form of a secret: SHA-256 hex of its text. */
void token_hash(const char *secret, char out[65]);
/* Current UTC time as RFC 3339 "YYYY-MM-DDTHH:MM:SSZ". */
void token_now(char out[21]);
/* t (seconds since the epoch) the same way, as strftime writes it; false
 * (out untouched) outside the years 0 to 9999. */
bool token_utc(int64_t t, char out[21]);

#endif

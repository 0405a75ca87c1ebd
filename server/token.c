/* token.c - random secrets and their stored hashes (see token.h). */
#include "token.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "sha256.h"

static int fill_random(unsigned char *p, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom(p + got, n - got, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        got += (size_t)r;
    }
    return 0;
}

int token_random(size_t n, char *out, size_t outsize)
{
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    unsigned char raw[64];
    if (n > sizeof raw || outsize < (n * 4 + 2) / 3 + 1 || fill_random(raw, n) != 0)
        return -1;
    size_t o = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        acc = (acc << 8) | raw[i];
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out[o++] = b64[(acc >> bits) & 63];
        }
    }
    if (bits > 0)
        out[o++] = b64[(acc << (6 - bits)) & 63];
    out[o] = '\0';
    memset(raw, 0, sizeof raw);
    return 0;
}

void token_hash(const char *secret, char out[65])
{
    sha256_hex(secret, strlen(secret), out);
}

void token_now(char out[21])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

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

static void two(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

bool token_utc(int64_t t, char out[21])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if ((int64_t)tt != t || !gmtime_r(&tt, &tm) || tm.tm_year < -1900 || tm.tm_year > 9999 - 1900)
        return false;
    int year = tm.tm_year + 1900;
    if (year < 1000) { /* strftime's own width for short years */
        strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
        return true;
    }
    /* the bytes of strftime's "%Y-%m-%dT%H:%M:%SZ" without its cost */
    two(out, year / 100);
    two(out + 2, year % 100);
    out[4] = '-';
    two(out + 5, tm.tm_mon + 1);
    out[7] = '-';
    two(out + 8, tm.tm_mday);
    out[10] = 'T';
    two(out + 11, tm.tm_hour);
    out[13] = ':';
    two(out + 14, tm.tm_min);
    out[16] = ':';
    two(out + 17, tm.tm_sec);
    out[19] = 'Z';
    out[20] = '\0';
    return true;
}

void token_now(char out[21])
{
    if (!token_utc((int64_t)time(NULL), out))
        strcpy(out, "1970-01-01T00:00:00Z");
}

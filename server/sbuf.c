/* sbuf.c - growable string with HTML and CSV escaping (see sbuf.h). */
#include "sbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool reserve(sbuf *b, size_t extra)
{
    if (b->oom)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1) {
        if (cap > ((size_t)-1) / 2) {
            b->oom = true;
            return false;
        }
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

void sbuf_add(sbuf *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void sbuf_puts(sbuf *b, const char *s)
{
    if (s)
        sbuf_add(b, s, strlen(s));
}

void sbuf_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

size_t dec_int(char out[24], long long v)
{
    char buf[24];
    char *p = buf + sizeof buf;
    /* the magnitude as unsigned: -LLONG_MIN does not fit a long long */
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    size_t n = (size_t)(buf + sizeof buf - p);
    memcpy(out, p, n);
    out[n] = '\0';
    return n;
}

void sbuf_int(sbuf *b, long long v)
{
    char buf[24];
    sbuf_add(b, buf, dec_int(buf, v));
}

void sbuf_html(sbuf *b, const char *s)
{
    if (!s)
        return;
    for (; *s; s++) {
        switch (*s) {
        case '&': sbuf_puts(b, "&amp;"); break;
        case '<': sbuf_puts(b, "&lt;"); break;
        case '>': sbuf_puts(b, "&gt;"); break;
        case '"': sbuf_puts(b, "&quot;"); break;
        case '\'': sbuf_puts(b, "&#39;"); break;
        default: sbuf_add(b, s, 1);
        }
    }
}

void sbuf_csv(sbuf *b, const char *s)
{
    if (!s)
        return;
    bool formula = strchr("=+-@\t\r", *s) != NULL && *s;
    bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        sbuf_add(b, "\"", 1);
    if (formula)
        sbuf_add(b, "'", 1);
    for (; *s; s++) {
        if (*s == '"')
            sbuf_add(b, "\"\"", 2);
        else
            sbuf_add(b, s, 1);
    }
    if (quote)
        sbuf_add(b, "\"", 1);
}

void sbuf_json_str(sbuf *b, const char *s, size_t n)
{
    if (!reserve(b, n + 2))
        return;
    b->data[b->len++] = '"';
    size_t run = 0; /* bytes copied as they are, pending */
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x20 && ch != '"' && ch != '\\')
            continue;
        sbuf_add(b, s + run, i - run);
        run = i + 1;
        char esc[8];
        switch (ch) {
        case '"': sbuf_add(b, "\\\"", 2); break;
        case '\\': sbuf_add(b, "\\\\", 2); break;
        case '\b': sbuf_add(b, "\\b", 2); break;
        case '\f': sbuf_add(b, "\\f", 2); break;
        case '\n': sbuf_add(b, "\\n", 2); break;
        case '\r': sbuf_add(b, "\\r", 2); break;
        case '\t': sbuf_add(b, "\\t", 2); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04X", ch);
            sbuf_add(b, esc, 6);
        }
    }
    sbuf_add(b, s + run, n - run);
    sbuf_add(b, "\"", 1);
}

void sbuf_json_real(sbuf *b, double v)
{
    char buf[40];
    int n = snprintf(buf, sizeof buf, "%.6g", v);
    if (n <= 0 || (size_t)n >= sizeof buf)
        return;
    if (!strpbrk(buf, ".e") && !strpbrk(buf, "ni")) { /* not nan/inf */
        memcpy(buf + n, ".0", 3);
        n += 2;
    }
    char *e = strchr(buf, 'e');
    if (e) { /* "1e-05" -> "1e-5", "1e+05" -> "1e5" */
        char *d = e + 1, *p = e + 1;
        if (*p == '+')
            p++;
        else if (*p == '-')
            *d++ = *p++;
        while (*p == '0' && p[1])
            p++;
        memmove(d, p, strlen(p) + 1);
        n = (int)strlen(buf);
    }
    sbuf_add(b, buf, (size_t)n);
}

bool utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        size_t k;
        unsigned cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            k = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            k = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            k = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + k >= n)
            return false;
        for (size_t j = 1; j <= k; j++) {
            if ((p[i + j] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i + j] & 0x3f);
        }
        if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += k + 1;
    }
    return true;
}

char *sbuf_take(sbuf *b, size_t *len)
{
    char *p = NULL;
    if (!b->oom) {
        if (!b->data)
            reserve(b, 0);
        if (b->data)
            b->data[b->len] = '\0';
        p = b->data;
        if (len)
            *len = b->len;
    } else {
        free(b->data);
    }
    b->data = NULL;
    b->len = b->cap = 0;
    b->oom = false;
    return p;
}

void sbuf_free(sbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->oom = false;
}

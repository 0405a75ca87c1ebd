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

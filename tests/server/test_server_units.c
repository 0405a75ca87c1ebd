/* test_server_units.c - the server's small building blocks: SHA-256 against
 * the FIPS 180-4 vectors, HTML and CSV escaping, random tokens. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "sbuf.h"
#include "sha256.h"
#include "token.h"

static void test_sha256_vectors(void **state)
{
    (void)state;
    char hex[65];
    sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256_hex(two, strlen(two), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    /* one million 'a', fed in uneven pieces */
    sha256_ctx c;
    sha256_init(&c);
    char block[1000];
    memset(block, 'a', sizeof block);
    size_t left = 1000000;
    for (size_t piece = 1; left > 0; piece = piece % 997 + 1) {
        size_t n = piece < left ? piece : left;
        sha256_update(&c, block, n);
        left -= n;
    }
    unsigned char d[32];
    sha256_final(&c, d);
    assert_int_equal(d[0], 0xcd);
    assert_int_equal(d[1], 0xc7);
    assert_int_equal(d[31], 0xd0);
}

static void test_html_escape(void **state)
{
    (void)state;
    sbuf b = {0};
    sbuf_html(&b, "<script>alert('x') & \"y\"</script>");
    char *s = sbuf_take(&b, NULL);
    assert_string_equal(s, "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
    free(s);
}

static void test_csv_escape(void **state)
{
    (void)state;
    sbuf b = {0};
    sbuf_csv(&b, "plain");
    sbuf_puts(&b, "|");
    sbuf_csv(&b, "a,b \"q\"");
    sbuf_puts(&b, "|");
    sbuf_csv(&b, "=SUM(A1)");
    sbuf_puts(&b, "|");
    sbuf_csv(&b, "line\nbreak");
    char *s = sbuf_take(&b, NULL);
    assert_string_equal(s, "plain|\"a,b \"\"q\"\"\"|\"'=SUM(A1)\"|\"line\nbreak\"");
    free(s);
}

/* the same bytes as jansson's json_dumps(..., JSON_REAL_PRECISION(6)) */
static void test_json_writer(void **state)
{
    (void)state;
    sbuf b = {0};
    sbuf_json_str(&b, "a\"b\\c\n\t\x01\x1f/\xc3\xa9", 12);
    sbuf_puts(&b, "|");
    sbuf_json_str(&b, "", 0);
    const double reals[] = {0.6, 2.0, -0.0237897, 1.84684, 0.00001, 123456789.0, -3.0};
    for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++) {
        sbuf_puts(&b, "|");
        sbuf_json_real(&b, reals[i]);
    }
    char *s = sbuf_take(&b, NULL);
    assert_string_equal(s, "\"a\\\"b\\\\c\\n\\t\\u0001\\u001F/\xc3\xa9\"|\"\"|0.6|2.0|"
                           "-0.0237897|1.84684|1e-5|1.23457e8|-3.0");
    free(s);
}

/* the same bytes as printf's %lld, appended or alone */
static void test_sbuf_int(void **state)
{
    (void)state;
    const long long v[] = {0, 7, -1, 10, 4294967295ll, -2147483648ll, LLONG_MAX, LLONG_MIN};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        sbuf b = {0};
        sbuf_puts(&b, "x");
        sbuf_int(&b, v[i]);
        char want[32];
        snprintf(want, sizeof want, "x%lld", v[i]);
        char *s = sbuf_take(&b, NULL);
        assert_string_equal(s, want);
        free(s);
        char out[24];
        assert_int_equal(dec_int(out, v[i]), strlen(want + 1));
        assert_string_equal(out, want + 1);
    }
}

static void test_utf8_valid(void **state)
{
    (void)state;
    assert_true(utf8_valid("plain", 5));
    assert_true(utf8_valid("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9)); /* e-acute, euro, emoji */
    assert_false(utf8_valid("\xc3", 1));                     /* cut */
    assert_false(utf8_valid("\xf0\x9f\x98", 3));             /* cut */
    assert_false(utf8_valid("\xc0\xaf", 2));                 /* overlong */
    assert_false(utf8_valid("\xed\xa0\x80", 3));             /* surrogate */
    assert_false(utf8_valid("\x80", 1));
}

static void test_tokens(void **state)
{
    (void)state;
    char a[48], b[48];
    assert_int_equal(token_random(24, a, sizeof a), 0);
    assert_int_equal(token_random(24, b, sizeof b), 0);
    assert_int_equal(strlen(a), 32); /* 192 bits */
    assert_int_equal(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                     32);
    assert_string_not_equal(a, b);
    assert_int_equal(token_random(32, a, 10), -1); /* buffer too small */
    char h[65];
    token_hash("abc", h);
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* token_utc writes what strftime("%Y-%m-%dT%H:%M:%SZ") writes */
static void test_utc(void **state)
{
    (void)state;
    const int64_t ts[] = {0, 1, 951782399, 951782400, 1709251199, 1772446445, 2147483648ll,
                          253402300799ll, -1, -62135596800ll, -62167219200ll, -30610224000ll};
    for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++) {
        char got[21], want[21];
        time_t tt = (time_t)ts[i];
        struct tm tm;
        assert_non_null(gmtime_r(&tt, &tm));
        strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm);
        assert_true(token_utc(ts[i], got));
        assert_string_equal(got, want);
    }
    for (int64_t t = -86400LL * 366 * 3; t < 86400LL * 366 * 3; t += 86399 * 7 + 13) {
        char got[21], want[21];
        time_t tt = (time_t)(t + 1700000000);
        struct tm tm;
        gmtime_r(&tt, &tm);
        strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm);
        assert_true(token_utc(t + 1700000000, got));
        assert_string_equal(got, want);
    }
    char out[21];
    assert_false(token_utc(253402300800ll, out)); /* year 10000 */
    assert_false(token_utc(-62167219201ll, out)); /* year -1 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_html_escape),
        cmocka_unit_test(test_csv_escape),
        cmocka_unit_test(test_json_writer),
        cmocka_unit_test(test_sbuf_int),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_utc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

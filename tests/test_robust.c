/* test_robust.c - token soup: thousands of generated conversations made of
 * the words the rules look back over (fillers, negators, boosters, cue
 * words, emoji, punctuation, times), in runs and repeats no corpus has.
 * Every one must analyse with HEARD_OK and give in-range values and
 * evidence spans inside the turn. Found a read past the lexicon's look-back
 * ring ("oh oh oh ... great"); under ASan/UBSan in `make check` it guards
 * every such scan. Deterministic (fixed xorshift seed). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "heard/heard.h"

static const char *const words[] = {
    "oh", "just", "well", "so", "um", "uh", "like", "not", "never", "no", "don't", "can't",
    "isn't", "wouldn't", "very", "really", "extremely", "so", "too", "great", "thanks", "thank",
    "you", "sorry", "I'm", "i", "am", "worried", "angry", "furious", "happy", "love", "hate",
    "understand", "frustrating", "that", "must", "be", "hard", "how", "are", "feeling", "what",
    "do", "need", "can", "help", "please", "calm", "down", "policy", "nothing", "I'll", "refund",
    "today", "tomorrow", "now", "ASAP", "urgent", "again", "third", "time", "called", "times",
    "5pm", "17:30", "2026-03-02", "#", "3", "three", "!", "!!!", "?", "???", "...", ",", "-",
    ":)", ":(", "😡", "🙂", "😭", "👍", "LOL", "NOT", "GREAT", "http://x.y/z", "a@b.co", "@agent",
    "but", "although", "however", "kind", "of", "sort", "the", "a", "it", "is", "was", "\n",
    "é", "naïve", "straße", "ok", "k", "fine", "whatever", "yeah", "right", "sure",
};
#define N_WORDS (sizeof words / sizeof words[0])

static uint64_t next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

/* A turn of n words (optionally all one word repeated) into buf. */
static size_t soup(uint64_t *s, char *buf, size_t cap)
{
    static const size_t lens[] = {0, 1, 2, 3, 5, 9, 12, 20, 40, 120, 400};
    size_t n = lens[next(s) % (sizeof lens / sizeof lens[0])];
    int repeat = next(s) % 4 == 0;
    const char *rw = words[next(s) % N_WORDS];
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        const char *w = repeat && next(s) % 4 ? rw : words[next(s) % N_WORDS];
        size_t wl = strlen(w);
        if (len + wl + 2 >= cap)
            break;
        if (len && next(s) % 8)
            buf[len++] = ' ';
        memcpy(buf + len, w, wl);
        len += wl;
    }
    buf[len] = '\0';
    return len;
}

static void check_result(const heard_result *r, const heard_turn_in *in, size_t n)
{
    assert_int_equal(r->n_turns, n);
    for (size_t i = 0; i < n; i++) {
        const heard_turn_result *t = &r->turns[i];
        assert_true(t->sentiment >= -1.0f && t->sentiment <= 1.0f);
        assert_true(t->politeness >= -1.0f && t->politeness <= 1.0f);
        assert_true(t->emotion_labels != 0);
        for (int e = 0; e < HEARD_N_EMOTIONS; e++)
            assert_true(t->emotions[e] >= 0.0f && t->emotions[e] <= 1.0f);
        assert_true(t->urgency >= 0 && t->urgency <= 2);
        assert_true(t->emotional_reaction >= 0 && t->emotional_reaction <= 2);
        assert_true(t->interpretation >= 0 && t->interpretation <= 2);
        assert_true(t->exploration >= 0 && t->exploration <= 2);
        for (size_t k = 0; k < t->n_evidence; k++) {
            assert_non_null(t->evidence[k].cue);
            assert_true(t->evidence[k].start <= t->evidence[k].end);
            assert_true(t->evidence[k].end <= in[i].len);
        }
    }
    for (size_t k = 0; k < r->n_opportunities; k++)
        assert_true(r->opportunities[k].turn < n);
    assert_true(r->empathy_score >= 0 && r->empathy_score <= 100);
    assert_true(r->politeness_score >= 0 && r->politeness_score <= 100);
    assert_true(r->felt_heard >= 1.0f && r->felt_heard <= 5.0f);
}

static void run_soup(const char *model_dir, size_t n_conv)
{
    heard_analyzer *an = NULL;
    heard_workspace *ws = NULL;
    heard_error err;
    heard_options o = {0};
    o.model_dir = model_dir;
    assert_int_equal(heard_analyzer_new(&o, &an, &err), HEARD_OK);
    assert_int_equal(heard_workspace_new(an, &ws, &err), HEARD_OK);
    /* long runs of one word before a valence word: the scorer looks back */
    for (size_t w = 0; w < N_WORDS; w++) {
        char t[512];
        size_t len = 0;
        for (int k = 0; k < 12; k++)
            len += (size_t)snprintf(t + len, sizeof t - len, "%s ", words[w]);
        len += (size_t)snprintf(t + len, sizeof t - len, "great, it broke again");
        heard_turn_in one = {HEARD_CUSTOMER, t, len, HEARD_NO_TIME};
        heard_conversation_in conv = {HEARD_CHAT, &one, 1};
        heard_result *r = NULL;
        assert_int_equal(heard_analyze(an, ws, &conv, &r, &err), HEARD_OK);
        check_result(r, &one, 1);
        heard_result_free(r);
    }
    enum { MAX_T = 8, CAP = 4096 };
    static char text[MAX_T][CAP];
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    for (size_t c = 0; c < n_conv; c++) {
        heard_turn_in in[MAX_T];
        size_t n = 1 + next(&seed) % MAX_T;
        for (size_t i = 0; i < n; i++) {
            in[i].speaker = next(&seed) % 2 ? HEARD_AGENT : HEARD_CUSTOMER;
            in[i].len = soup(&seed, text[i], CAP);
            in[i].text = text[i];
            in[i].at = next(&seed) % 3 ? (int64_t)(1000 + 60 * i) : HEARD_NO_TIME;
        }
        heard_conversation_in conv = {(heard_channel)(next(&seed) % 5), in, n};
        heard_result *r = NULL;
        heard_status st = heard_analyze(an, ws, &conv, &r, &err);
        if (st != HEARD_OK)
            fail_msg("conversation %zu: status %d: %s", c, (int)st, err.message);
        check_result(r, in, n);
        heard_result_free(r);
    }
    heard_workspace_free(ws);
    heard_analyzer_free(an);
}

static void soup_rules(void **state)
{
    (void)state;
    run_soup(NULL, 3000);
}

static void soup_with_models(void **state)
{
    (void)state;
    const char *dir = getenv("HEARD_MODELS");
    run_soup(dir && *dir ? dir : NULL, 3000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(soup_rules),
        cmocka_unit_test(soup_with_models),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

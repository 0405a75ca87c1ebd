/* test_wordinfo.c - the word infos that the tokenizer carries in its tokens
 * for the analyser's annotator (heard_word_info: lexicon entry, cue
 * vocabulary slots, unigram feature ids, stopword bit), memoised per word:
 * every word's info equals a fresh lookup, on memo hits, after the memo
 * overflows and after rebinding; and the lexicon scorer, the cue matcher
 * and the feature builder give the same results with and without them. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analysis.h"

typedef struct fixture {
    heard_analyzer *an;
    heard_workspace *ws; /* its tokens are bound to an->annot */
    heard_tokens plain;  /* bound to nothing: every stage looks words up */
    heard_cue_hits h1, h2;
    heard_features f1, f2;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    heard_error err;
    heard_options o = {0};
    const char *dir = getenv("HEARD_MODELS");
    o.model_dir = dir && *dir ? dir : "models";
    if (!f || heard_analyzer_new(&o, &f->an, &err) != HEARD_OK ||
        heard_workspace_new(f->an, &f->ws, &err) != HEARD_OK || heard_tokens_init(&f->plain) != 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    heard_tokens_free(&f->plain);
    heard_cue_hits_free(&f->h1);
    heard_cue_hits_free(&f->h2);
    heard_features_free(&f->f1);
    heard_features_free(&f->f2);
    heard_workspace_free(f->ws);
    heard_analyzer_free(f->an);
    free(f);
    return 0;
}

/* Every word of t carries what the tables say of it now. */
static void check_words(const fixture *f, const heard_tokens *t)
{
    const heard_analyzer *an = f->an;
    for (size_t i = 0; i < t->n; i++) {
        const heard_token *k = &t->tok[i];
        if (k->type != TOK_WORD)
            continue;
        heard_word_info w = {0};
        heard_lexicon_word(an->lex, k->hash, &w.val, &w.lex_kind);
        heard_cues_word(an->cues, k->hash, k->stem_hash, &w);
        size_t n;
        const char *s = heard_tok_norm(t, i, &n);
        heard_features_word(an->fwords, s, n, k->hash, k->stem_hash, &w);
        assert_true(w.val == k->wi.val);
        assert_int_equal(w.lex_kind, k->wi.lex_kind);
        assert_int_equal(w.cue_form, k->wi.cue_form);
        assert_int_equal(w.cue_stem, k->wi.cue_stem);
        assert_int_equal(w.fid_word, k->wi.fid_word);
        assert_int_equal(w.fid_stem, k->wi.fid_stem);
        assert_int_equal(w.bits, k->wi.bits);
        assert_int_equal(w.fkind, k->wi.fkind);
        assert_int_equal(!!(w.bits & HEARD_WI_STOP), heard_cues_stopword(an->cues, k->hash));
    }
}

/* Tokenise text in both buffers: same tokens; the bound one's words carry
 * fresh infos; scorer, matcher and features agree. */
static void same_both_ways(fixture *f, const char *text, size_t len)
{
    heard_tokens *b = &f->ws->toks, *p = &f->plain;
    assert_int_equal(heard_tokenize(b, text, len), 0);
    assert_int_equal(heard_tokenize(p, text, len), 0);
    assert_int_equal(b->n, p->n);
    for (size_t i = 0; i < b->n; i++) {
        assert_int_equal(b->tok[i].hash, p->tok[i].hash);
        assert_int_equal(b->tok[i].stem_hash, p->tok[i].stem_hash);
        assert_int_equal(b->tok[i].flags, p->tok[i].flags);
    }
    check_words(f, b);

    float *v1 = malloc((b->n + 1) * sizeof *v1), *v2 = malloc((b->n + 1) * sizeof *v2);
    assert_non_null(v1);
    assert_non_null(v2);
    long a1, e1, a2, e2;
    float s1 = heard_lexicon_sentiment_vals(f->an->lex, b, &a1, &e1, v1);
    float s2 = heard_lexicon_sentiment_vals(f->an->lex, p, &a2, &e2, v2);
    assert_true(s1 == s2 || (isnan(s1) && isnan(s2)));
    assert_int_equal(a1, a2);
    assert_int_equal(e1, e2);
    for (size_t i = 0; i < b->n; i++)
        if (b->tok[i].type != TOK_PUNCT)
            assert_true(v1[i] == v2[i]);

    assert_int_equal(heard_cues_match(f->an->cues, b, text, &f->h1), 0);
    assert_int_equal(heard_cues_match(f->an->cues, p, text, &f->h2), 0);
    assert_int_equal(f->h1.n, f->h2.n);
    if (f->h1.n)
        assert_memory_equal(f->h1.hit, f->h2.hit, f->h1.n * sizeof *f->h1.hit);

    /* as a customer's turn without context, and as an agent's after a
     * customer who used every third word */
    uint64_t stems[1024] = {0};
    for (size_t i = 0; i < p->n && i < 300; i += 3) {
        uint64_t h = p->tok[i].stem_hash ? p->tok[i].stem_hash : 1;
        size_t j = h & 1023;
        while (stems[j] && stems[j] != h)
            j = (j + 1) & 1023;
        stems[j] = h;
    }
    heard_turn_ctx agent = {.channel = HEARD_CHAT, .index = 1, .n_turns = 2,
                            .speaker = HEARD_AGENT, .cust_stems = stems, .cust_stems_cap = 1024,
                            .cust_emotions = 5, .cust_urgency = 1, .cust_sentiment = -0.5f};
    for (int k = 0; k < 2; k++) {
        const heard_turn_ctx *ctx = k ? &agent : NULL;
        assert_int_equal(heard_features_build(&f->f1, b, &f->h1, f->an->lex, ctx, s1, a1, e1, v1), 0);
        assert_int_equal(heard_features_build(&f->f2, p, &f->h2, f->an->lex, ctx, s2, a2, e2, v2), 0);
        assert_int_equal(f->f1.n, f->f2.n);
        if (f->f1.n)
            assert_memory_equal(f->f1.f, f->f2.f, f->f1.n * sizeof *f->f1.f);
    }
    free(v1);
    free(v2);
}

static const char *const k_texts[] = {
    "Thanks a lot, I'm NOT happy at all: my order never arrived and nobody calls back!!!",
    "I'm so sorry to hear that. Could you confirm your order number and postcode?",
    "Sooooo frustrated... it's STILL not working, kind of a joke really. Great. Just great.",
    "I don't feel safe, I'm worried about my family; please help asap.",
    "Thank you again, that's really helpful \xf0\x9f\x98\x8a Have a nice day.",
    "Ich m\xc3\xb6" "chte k\xc3\xbcndigen. Caf\xc3\xa9 na\xc3\xafve \xc3\x89LAN d\xe2\x80\x99" "accord",
    "no doubt, not only that but the refund is late - three weeks! 5pm tomorrow, 2026-03-02",
    "worry worried worrying worries; thanks thanked thanking; broken broke breaking",
};

static void words_equal_fresh_lookups(void **state)
{
    fixture *f = *state;
    for (int pass = 0; pass < 2; pass++) /* the second pass: memo hits */
        for (size_t i = 0; i < sizeof k_texts / sizeof k_texts[0]; i++)
            same_both_ways(f, k_texts[i], strlen(k_texts[i]));
}

/* A word too long for the memo (over 255 bytes) still carries its info. */
static void long_word_not_memoised(void **state)
{
    fixture *f = *state;
    char text[600];
    memset(text, 'a', 300);
    memcpy(text + 300, " sad ", 5);
    memset(text + 305, 'b', 280);
    for (int pass = 0; pass < 2; pass++)
        same_both_ways(f, text, 585);
}

/* More distinct words in one turn than the memo holds: it is emptied
 * mid-turn, and words before and after still carry their infos. */
static void memo_overflow(void **state)
{
    fixture *f = *state;
    size_t n_words = 70000, cap = n_words * 7 + 64, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    uint32_t x = 12345;
    for (size_t w = 0; w < n_words; w++) {
        if (w % 50 == 0) { /* real words too, some with valence or cues */
            const char *r = w % 100 ? "angry " : "thanks ";
            memcpy(text + len, r, strlen(r));
            len += strlen(r);
            continue;
        }
        for (int c = 0; c < 5; c++) {
            x = x * 1103515245u + 12345u;
            text[len++] = (char)('a' + (x >> 16) % 26);
        }
        text[len++] = w % 17 == 16 ? '.' : ' ';
    }
    same_both_ways(f, text, len);
    free(text);
}

/* Another annotator's infos are forgotten when the buffer is rebound. */
static void junk_annotator(const heard_annotator *a, const char *w, size_t len, uint64_t hash,
                           uint64_t stem_hash, heard_word_info *out)
{
    (void)a;
    (void)w;
    (void)len;
    (void)hash;
    (void)stem_hash;
    memset(out, 0xab, sizeof *out);
}

static void rebinding_forgets(void **state)
{
    fixture *f = *state;
    heard_annotator junk = {.fn = junk_annotator, .lex = NULL, .cues = NULL, .fwords = NULL};
    const char *text = k_texts[0];
    heard_tokens_bind(&f->ws->toks, &junk);
    assert_int_equal(heard_tokenize(&f->ws->toks, text, strlen(text)), 0);
    assert_int_equal(f->ws->toks.tok[0].wi.fid_word, 0xababababu);
    heard_tokens_bind(&f->ws->toks, &f->an->annot);
    same_both_ways(f, text, strlen(text));

    /* and heard_analyze() binds a workspace to the analyser it is given */
    heard_tokens_bind(&f->ws->toks, &junk);
    assert_int_equal(heard_tokenize(&f->ws->toks, text, strlen(text)), 0);
    heard_turn_in in = {HEARD_CUSTOMER, text, strlen(text), HEARD_NO_TIME};
    heard_conversation_in c = {HEARD_CHAT, &in, 1};
    heard_result *r1 = NULL, *r2 = NULL;
    heard_error err;
    assert_int_equal(heard_analyze(f->an, f->ws, &c, &r1, &err), HEARD_OK);
    assert_ptr_equal(f->ws->toks.annot, &f->an->annot);
    check_words(f, &f->ws->toks);
    assert_int_equal(heard_analyze(f->an, NULL, &c, &r2, &err), HEARD_OK);
    assert_true(r1->turns[0].sentiment == r2->turns[0].sentiment);
    assert_int_equal(r1->turns[0].emotion_labels, r2->turns[0].emotion_labels);
    heard_result_free(r1);
    heard_result_free(r2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(words_equal_fresh_lookups, setup, teardown),
        cmocka_unit_test_setup_teardown(long_word_not_memoised, setup, teardown),
        cmocka_unit_test_setup_teardown(memo_overflow, setup, teardown),
        cmocka_unit_test_setup_teardown(rebinding_forgets, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

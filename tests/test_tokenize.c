/* test_tokenize.c - token kinds and byte spans, folded forms and stems,
 * negation scope, ALL CAPS, lexical flags, sentence splitting and inputs
 * that must not break the tokeniser. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "text.h"
#include "tokenize.h"

static int setup(void **state)
{
    heard_tokens *t = malloc(sizeof *t);
    if (!t || heard_tokens_init(t) != 0) {
        free(t);
        return -1;
    }
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    heard_tokens_free(*state);
    free(*state);
    return 0;
}

static void tok(heard_tokens *t, const char *s)
{
    assert_int_equal(heard_tokenize(t, s, strlen(s)), 0);
}

/* Index of the first token whose original text is w, or -1. */
static long find(const heard_tokens *t, const char *text, const char *w)
{
    size_t n = strlen(w);
    for (size_t i = 0; i < t->n; i++)
        if (t->tok[i].end - t->tok[i].start == n && memcmp(text + t->tok[i].start, w, n) == 0)
            return (long)i;
    return -1;
}

static const heard_token *get(const heard_tokens *t, const char *text, const char *w)
{
    long i = find(t, text, w);
    if (i < 0)
        fail_msg("token '%s' not found", w);
    return &t->tok[i];
}

static void assert_norm(const heard_tokens *t, const heard_token *k, const char *want)
{
    assert_int_equal(k->norm_len, strlen(want));
    assert_memory_equal(t->norm + k->norm, want, k->norm_len);
    assert_true(k->hash == heard_hash(want, strlen(want)));
}

static void assert_stem(const heard_tokens *t, const heard_token *k, const char *want)
{
    assert_int_equal(k->stem_len, strlen(want));
    assert_memory_equal(t->norm + k->stem, want, k->stem_len);
    assert_true(k->stem_hash == heard_hash(want, strlen(want)));
}

/* The word token spelt word in text: its folded form, stem and the flags
 * of mask; returned for further checks. */
static const heard_token *assert_word(const heard_tokens *t, const char *text, const char *word,
                                      const char *norm, const char *stem, uint16_t mask,
                                      uint16_t flags)
{
    const heard_token *k = get(t, text, word);
    assert_int_equal(k->type, TOK_WORD);
    assert_norm(t, k, norm);
    assert_stem(t, k, stem);
    assert_int_equal(k->flags & mask, flags);
    return k;
}

typedef struct expect {
    const char *text;
    int type;
} expect;

static void assert_tokens(const heard_tokens *t, const char *s, const expect *e, size_t n)
{
    assert_int_equal(t->n, n);
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        const heard_token *k = &t->tok[i];
        size_t len = strlen(e[i].text);
        const char *at = strstr(s + from, e[i].text);
        assert_non_null(at);
        assert_int_equal(k->start, (size_t)(at - s));
        assert_int_equal(k->end - k->start, len);
        assert_int_equal(k->type, e[i].type);
        from = k->end;
    }
}

static void mixed_sentence_spans(void **state)
{
    heard_tokens *t = *state;
    const char *s = "I can't believe it :( \xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d"
                    "\xf0\x9f\x91\xa7 see https://ex.com/a?b=1, mail help@shop.com by 5pm "
                    "for $20!!!";
    tok(t, s);
    const expect e[] = {
        {"I", TOK_WORD}, {"can't", TOK_WORD}, {"believe", TOK_WORD}, {"it", TOK_WORD},
        {":(", TOK_EMOTICON},
        {"\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7", TOK_EMOJI},
        {"see", TOK_WORD}, {"https://ex.com/a?b=1", TOK_URL}, {",", TOK_PUNCT},
        {"mail", TOK_WORD}, {"help@shop.com", TOK_EMAIL}, {"by", TOK_WORD},
        {"5pm", TOK_TIME}, {"for", TOK_WORD}, {"$20", TOK_NUMBER}, {"!!!", TOK_PUNCT},
    };
    assert_tokens(t, s, e, sizeof e / sizeof e[0]);
    /* concrete offsets */
    assert_int_equal(t->tok[1].start, 2);
    assert_int_equal(t->tok[1].end, 7);
    assert_int_equal(t->tok[5].start, 22);
    assert_int_equal(t->tok[5].end, 40);
    const heard_token *bang = &t->tok[15];
    assert_int_equal(bang->emphasis, 3);
    assert_true(t->tok[1].flags & TF_CONTRACTION);
    assert_true(t->tok[1].flags & TF_NEGATOR);
    assert_true(t->tok[12].flags & TF_TIMEREF);
    /* one sentence, ended by "!!!": every token is TF_EXCLAIM */
    assert_int_equal(t->n_sent, 1);
    assert_int_equal(t->sent[0].exclaim, 3);
    assert_int_equal(t->sent[0].question, 0);
    for (size_t i = 0; i < t->n; i++)
        assert_true(t->tok[i].flags & TF_EXCLAIM);
    assert_int_equal(t->n_words, 8);
}

static void folded_forms(void **state)
{
    heard_tokens *t = *state;
    const char *s = "I don\xe2\x80\x99t like \xc3\x89" "COLE or Stra\xc3\x9f" "e. WWW.Shop.COM";
    tok(t, s);
    const heard_token *k = get(t, s, "don\xe2\x80\x99t");
    assert_int_equal(k->type, TOK_WORD);
    assert_norm(t, k, "don't");
    assert_true(k->flags & TF_CONTRACTION);
    assert_true(k->flags & TF_NEGATOR);
    assert_norm(t, get(t, s, "\xc3\x89" "COLE"), "\xc3\xa9" "cole");
    assert_norm(t, get(t, s, "Stra\xc3\x9f" "e"), "strasse");
    k = get(t, s, "WWW.Shop.COM");
    assert_int_equal(k->type, TOK_URL);
    assert_norm(t, k, "www.shop.com");
    assert_stem(t, k, "www.shop.com"); /* non-words: stem = norm */
    assert_true(get(t, s, "like")->flags & TF_NEGATED);
}

static void inner_punctuation(void **state)
{
    heard_tokens *t = *state;
    const char *s = "my e-mail and follow-up, the customer's rock-n-roll 'quoted' -dash- "
                    "24/7 o'clock";
    tok(t, s);
    assert_int_equal(get(t, s, "e-mail")->type, TOK_WORD);
    assert_int_equal(get(t, s, "follow-up")->type, TOK_WORD);
    assert_true(get(t, s, "customer's")->flags & TF_CONTRACTION);
    assert_false(get(t, s, "follow-up")->flags & TF_CONTRACTION);
    assert_int_equal(get(t, s, "rock-n-roll")->type, TOK_WORD);
    assert_int_equal(get(t, s, "quoted")->type, TOK_WORD); /* quotes are not inner */
    assert_int_equal(get(t, s, "dash")->type, TOK_WORD);
    assert_int_equal(get(t, s, "24/7")->type, TOK_NUMBER);
    assert_false(get(t, s, "24/7")->flags & TF_TIMEREF);
    assert_int_equal(get(t, s, "o'clock")->type, TOK_WORD);
}

static void stems(void **state)
{
    heard_tokens *t = *state;
    const char *s = "charged running complaints Charged happily";
    tok(t, s);
    assert_stem(t, &t->tok[0], "charg");
    assert_stem(t, &t->tok[1], "run");
    assert_stem(t, &t->tok[2], "complaint");
    assert_stem(t, &t->tok[3], "charg"); /* second time: from the memo */
    assert_stem(t, &t->tok[4], "happili");
    assert_norm(t, &t->tok[3], "charged");
    /* the memo survives across calls and still gives the right stems */
    tok(t, "charged");
    assert_stem(t, &t->tok[0], "charg");
}

static void negation_scope(void **state)
{
    heard_tokens *t = *state;
    const char *s = "I'm not angry, but I am upset";
    tok(t, s);
    assert_true(get(t, s, "not")->flags & TF_NEGATOR);
    assert_true(get(t, s, "angry")->flags & TF_NEGATED);
    assert_false(get(t, s, "upset")->flags & TF_NEGATED);
    assert_false(get(t, s, "am")->flags & TF_NEGATED);
    assert_false(get(t, s, "I'm")->flags & (TF_NEGATED | TF_NEGATOR));
    assert_true(get(t, s, "I'm")->flags & TF_CONTRACTION);

    s = "I dont really like it at all";
    tok(t, s);
    assert_true(get(t, s, "dont")->flags & TF_NEGATOR);
    assert_true(get(t, s, "really")->flags & TF_NEGATED);
    assert_true(get(t, s, "like")->flags & TF_NEGATED);
    assert_true(get(t, s, "it")->flags & TF_NEGATED);
    assert_false(get(t, s, "at")->flags & TF_NEGATED); /* 3 words only */

    s = "It was never resolved. Thanks anyway";
    tok(t, s);
    assert_true(get(t, s, "resolved")->flags & TF_NEGATED);
    assert_false(get(t, s, "Thanks")->flags & TF_NEGATED);

    s = "not happy however pleased";
    tok(t, s);
    assert_true(get(t, s, "happy")->flags & TF_NEGATED);
    assert_false(get(t, s, "pleased")->flags & TF_NEGATED);

    /* fixed phrases do not negate */
    s = "No doubt it helps, not only fast but never mind";
    tok(t, s);
    assert_false(get(t, s, "No")->flags & TF_NEGATOR);
    assert_false(get(t, s, "doubt")->flags & TF_NEGATED);
    assert_false(get(t, s, "it")->flags & TF_NEGATED);
    assert_false(get(t, s, "not")->flags & TF_NEGATOR);
    assert_false(get(t, s, "only")->flags & TF_NEGATED);
    assert_false(get(t, s, "fast")->flags & TF_NEGATED);
    assert_false(get(t, s, "mind")->flags & TF_NEGATED);

    /* "no" answering before a subject negates nothing; before a noun it does */
    s = "no you're not overreacting, nope it's great";
    tok(t, s);
    assert_false(get(t, s, "no")->flags & TF_NEGATOR);
    assert_false(get(t, s, "you're")->flags & TF_NEGATED);
    assert_true(get(t, s, "overreacting")->flags & TF_NEGATED); /* "not" still does */
    assert_false(get(t, s, "nope")->flags & TF_NEGATOR);
    assert_false(get(t, s, "great")->flags & TF_NEGATED);
    s = "no u r fine but no help came";
    tok(t, s);
    assert_false(get(t, s, "fine")->flags & TF_NEGATED); /* "u" is "you" */
    assert_true(get(t, s, "help")->flags & TF_NEGATED);

    s = "Nothing works. I cannot log in and won't wait";
    tok(t, s);
    assert_true(get(t, s, "Nothing")->flags & TF_NEGATOR);
    assert_true(get(t, s, "works")->flags & TF_NEGATED);
    assert_true(get(t, s, "cannot")->flags & TF_NEGATOR);
    assert_true(get(t, s, "log")->flags & TF_NEGATED);
    assert_true(get(t, s, "won't")->flags & TF_NEGATOR);
    assert_true(get(t, s, "wait")->flags & TF_NEGATED);
}

static void all_caps(void **state)
{
    heard_tokens *t = *state;
    const char *s = "I am VERY ANGRY, OK? A plan \xc3\x89T\xc3\x89";
    tok(t, s);
    assert_true(get(t, s, "VERY")->flags & TF_ALLCAPS);
    assert_true(get(t, s, "ANGRY")->flags & TF_ALLCAPS);
    assert_true(get(t, s, "OK")->flags & TF_ALLCAPS);
    assert_true(get(t, s, "\xc3\x89T\xc3\x89")->flags & TF_ALLCAPS);
    assert_false(get(t, s, "I")->flags & TF_ALLCAPS);
    assert_true(get(t, s, "I")->flags & TF_CAPITAL);
    assert_false(get(t, s, "A")->flags & TF_ALLCAPS);
    assert_false(get(t, s, "am")->flags & (TF_ALLCAPS | TF_CAPITAL));
    assert_int_equal(t->n_allcaps, 4);
    assert_int_equal(t->n_words, 8);
    assert_int_equal(t->n_letters, 1 + 2 + 4 + 5 + 2 + 1 + 4 + 3);
    assert_int_equal(t->n_upper, 1 + 4 + 5 + 2 + 1 + 3);
}

static void lexical_flags(void **state)
{
    heard_tokens *t = *state;
    const char *s = "really sooooo a bit kind of sad, what kind of plan. Due tomorrow Monday "
                    "at 17:30 on 2026-03-02 asap. See you in May";
    tok(t, s);
    assert_true(get(t, s, "really")->flags & TF_INTENSIFIER);
    assert_true(get(t, s, "sooooo")->flags & TF_INTENSIFIER);
    assert_true(get(t, s, "a")->flags & TF_DOWNTONER);
    assert_true(get(t, s, "bit")->flags & TF_DOWNTONER);
    long kind = find(t, s, "kind");
    assert_true(t->tok[kind].flags & TF_DOWNTONER);
    assert_true(t->tok[kind + 1].flags & TF_DOWNTONER);
    long what = find(t, s, "what");
    assert_false(t->tok[what + 1].flags & TF_DOWNTONER); /* what kind of */
    assert_false(t->tok[what + 2].flags & TF_DOWNTONER);
    assert_false(get(t, s, "sad")->flags & (TF_DOWNTONER | TF_INTENSIFIER));
    assert_true(get(t, s, "tomorrow")->flags & TF_TIMEREF);
    assert_true(get(t, s, "Monday")->flags & TF_TIMEREF);
    assert_true(get(t, s, "17:30")->flags & TF_TIMEREF);
    assert_true(get(t, s, "2026-03-02")->flags & TF_TIMEREF);
    assert_true(get(t, s, "asap")->flags & TF_TIMEREF);
    assert_true(get(t, s, "May")->flags & TF_TIMEREF);
    assert_false(get(t, s, "Due")->flags & TF_TIMEREF);

    s = "May I ask?";
    tok(t, s);
    assert_false(t->tok[0].flags & TF_TIMEREF); /* the modal, not the month */
}

static void numbers_times_dates(void **state)
{
    heard_tokens *t = *state;
    const char *s = "17:30 9.30am 5 pm 10:15 PM 2026-03-02 3/4 3/4/2026 12th 1st "
                    "1,000 20% $3.50 \xc2\xa3" "20 42 3.50";
    tok(t, s);
    const expect e[] = {
        {"17:30", TOK_TIME}, {"9.30am", TOK_TIME}, {"5 pm", TOK_TIME},
        {"10:15 PM", TOK_TIME}, {"2026-03-02", TOK_DATE}, {"3/4", TOK_DATE},
        {"3/4/2026", TOK_DATE}, {"12th", TOK_DATE}, {"1st", TOK_DATE},
        {"1,000", TOK_NUMBER}, {"20%", TOK_NUMBER}, {"$3.50", TOK_NUMBER},
        {"\xc2\xa3" "20", TOK_NUMBER}, {"42", TOK_NUMBER}, {"3.50", TOK_NUMBER},
    };
    assert_tokens(t, s, e, sizeof e / sizeof e[0]);
    assert_int_equal(t->n_sent, 1);
}

static void emoji_and_emoticons(void **state)
{
    heard_tokens *t = *state;
    const char *s = "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd \xf0\x9f\x87\xba\xf0\x9f\x87\xb8 "
                    "\xe2\x9d\xa4\xef\xb8\x8f 1\xef\xb8\x8f\xe2\x83\xa3 \xc2\xa9 "
                    ":) :-( :D ;) :/ :'( <3 xD :P ^^ -_-";
    tok(t, s);
    const expect e[] = {
        {"\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", TOK_EMOJI},         /* thumbs up + tone */
        {"\xf0\x9f\x87\xba\xf0\x9f\x87\xb8", TOK_EMOJI},         /* flag pair */
        {"\xe2\x9d\xa4\xef\xb8\x8f", TOK_EMOJI},                 /* heart + VS16 */
        {"1\xef\xb8\x8f\xe2\x83\xa3", TOK_EMOJI},                /* keycap */
        {"\xc2\xa9", TOK_OTHER},                                 /* bare (c) */
        {":)", TOK_EMOTICON}, {":-(", TOK_EMOTICON}, {":D", TOK_EMOTICON},
        {";)", TOK_EMOTICON}, {":/", TOK_EMOTICON}, {":'(", TOK_EMOTICON},
        {"<3", TOK_EMOTICON}, {"xD", TOK_EMOTICON}, {":P", TOK_EMOTICON},
        {"^^", TOK_EMOTICON}, {"-_-", TOK_EMOTICON},
    };
    assert_tokens(t, s, e, sizeof e / sizeof e[0]);

    /* URLs and paths are not emoticons */
    s = "go to http://x.com/a:/b or ftp://host and Note:Please see C:\\Dir";
    tok(t, s);
    assert_int_equal(get(t, s, "http://x.com/a:/b")->type, TOK_URL);
    for (size_t i = 0; i < t->n; i++)
        assert_int_not_equal(t->tok[i].type, TOK_EMOTICON);
}

static void urls_emails_mentions(void **state)
{
    heard_tokens *t = *state;
    const char *s = "See www.example.com/help. Or amazon.com, mail a.b+c@mail.co.uk (or "
                    "https://x.org/p_(1)). Thanks @alex #fail order #12345";
    tok(t, s);
    assert_int_equal(get(t, s, "www.example.com/help")->type, TOK_URL);
    assert_int_equal(get(t, s, "amazon.com")->type, TOK_URL);
    assert_int_equal(get(t, s, "a.b+c@mail.co.uk")->type, TOK_EMAIL);
    assert_int_equal(get(t, s, "https://x.org/p_(1)")->type, TOK_URL);
    assert_int_equal(get(t, s, "@alex")->type, TOK_MENTION);
    assert_int_equal(get(t, s, "#fail")->type, TOK_MENTION);
    assert_int_equal(get(t, s, "#12345")->type, TOK_NUMBER);
}

static void sentences(void **state)
{
    heard_tokens *t = *state;
    const char *s = "It costs 3.50. Really?! Mr. Smith said e.g. this\nnew line... "
                    "and more? \"Yes!\" OK";
    tok(t, s);
    assert_int_equal(t->n_sent, 6);
    /* "It costs 3.50." */
    assert_int_equal(t->sent[0].start, 0);
    assert_int_equal(t->sent[0].end, 14);
    assert_int_equal(t->sent[0].first, 0);
    assert_int_equal(t->sent[0].last, 4);
    /* "Really?!" */
    assert_int_equal(t->sent[1].start, 15);
    assert_int_equal(t->sent[1].end, 23);
    assert_int_equal(t->sent[1].question, 1);
    assert_int_equal(t->sent[1].exclaim, 1);
    assert_true(get(t, s, "Really")->flags & TF_QUESTION);
    assert_true(get(t, s, "Really")->flags & TF_EXCLAIM);
    assert_true(get(t, s, "Really")->flags & TF_SENT_START);
    /* "Mr. Smith said e.g. this" ends at the line break */
    assert_int_equal(t->sent[2].start, 24);
    assert_int_equal(t->sent[2].end, 48);
    assert_int_equal(get(t, s, "Mr.")->type, TOK_WORD);
    assert_int_equal(get(t, s, "e.g.")->type, TOK_WORD);
    assert_false(get(t, s, "this")->flags & TF_QUESTION);
    /* "new line... and more?" : an ellipsis before lower case goes on */
    assert_int_equal(t->sent[3].start, 49);
    assert_int_equal(t->sent[3].question, 1);
    assert_true(get(t, s, "new")->flags & TF_QUESTION);
    /* "\"Yes!\"" keeps its closing quote; "OK" starts the last sentence */
    assert_int_equal(t->sent[4].start, 71);
    assert_int_equal(t->sent[4].end, 77);
    assert_int_equal(t->sent[4].exclaim, 1);
    assert_true(get(t, s, "Yes")->flags & TF_EXCLAIM);
    long ok = find(t, s, "OK");
    assert_int_equal(t->tok[ok].sent, 5);
    assert_false(t->tok[ok].flags & TF_EXCLAIM);
    /* token sentence ids agree with the spans */
    for (size_t i = 0; i < t->n_sent; i++)
        for (size_t j = t->sent[i].first; j < t->sent[i].last; j++)
            assert_int_equal(t->tok[j].sent, i);
}

static void sentence_breaks_on_lines(void **state)
{
    heard_tokens *t = *state;
    const char *s = "Hi team\n\nmy card was charged twice\r\nplease help thanks! :)\nbye";
    tok(t, s);
    assert_int_equal(t->n_sent, 4);
    assert_int_equal(t->sent[2].exclaim, 1);
    assert_int_equal(get(t, s, ":)")->sent, 2); /* emoticon stays with its sentence */
    assert_true(get(t, s, "bye")->flags & TF_SENT_START);
}

static void hard_inputs(void **state)
{
    heard_tokens *t = *state;
    tok(t, "");
    assert_int_equal(t->n, 0);
    assert_int_equal(t->n_sent, 0);
    assert_int_equal(heard_tokenize(t, NULL, 0), 0);
    assert_int_equal(t->n, 0);

    tok(t, "   \n\t \r\n  ");
    assert_int_equal(t->n, 0);
    assert_int_equal(t->n_sent, 0);
    assert_int_equal(t->n_words, 0);

    tok(t, "\xf0\x9f\x98\xa1\xf0\x9f\x98\xa1");
    assert_int_equal(t->n, 2);
    assert_int_equal(t->tok[0].type, TOK_EMOJI);
    assert_int_equal(t->tok[1].start, 4);
    assert_int_equal(t->n_sent, 1);
    assert_int_equal(t->n_words, 0);

    tok(t, "?");
    assert_int_equal(t->n, 1);
    assert_int_equal(t->tok[0].type, TOK_PUNCT);
    assert_true(t->tok[0].flags & TF_QUESTION);
    assert_int_equal(t->sent[0].question, 1);

    tok(t, "ok");
    assert_int_equal(t->n, 1);
    assert_int_equal(t->n_words, 1);
    assert_int_equal(t->tok[0].flags & (TF_ALLCAPS | TF_CAPITAL), 0);
    assert_true(t->tok[0].flags & TF_SENT_START);

    tok(t, ".,;:-");
    assert_true(t->n >= 1);
    assert_int_equal(t->n_words, 0);

    /* 10k exclamation marks: one token */
    size_t big = 10000;
    char *s = malloc(big + 1);
    assert_non_null(s);
    memset(s, '!', big);
    s[big] = '\0';
    tok(t, s);
    assert_int_equal(t->n, 1);
    assert_int_equal(t->tok[0].emphasis, 10000);
    assert_int_equal(t->sent[0].exclaim, 255); /* saturates */
    free(s);

    /* invalid UTF-8 despite the contract: no crash, spans stay in range */
    const char bad[] = "\xff\xfe abc \xe2\x82 d\xc3";
    assert_int_equal(heard_tokenize(t, bad, sizeof bad - 1), 0);
    for (size_t i = 0; i < t->n; i++)
        assert_true(t->tok[i].end <= sizeof bad - 1 && t->tok[i].start < t->tok[i].end);

    /* lone joiners, variation selectors, marks and tags */
    const char odd[] = "\xe2\x80\x8d \xef\xb8\x8f \xcc\x81x \xf3\xa0\x80\xa1 \xe2\x80\x8b";
    assert_int_equal(heard_tokenize(t, odd, sizeof odd - 1), 0);
}

static void large_text_reuse(void **state)
{
    heard_tokens *t = *state;
    const char *unit = "I've been charged TWICE and I'm not happy!!! Call me at 5pm :( "
                       "\xf0\x9f\x98\xa1 www.x.com ok.\n";
    size_t ul = strlen(unit), reps = 40000; /* ~3.5 MB */
    char *s = malloc(ul * reps + 1);
    assert_non_null(s);
    for (size_t i = 0; i < reps; i++)
        memcpy(s + i * ul, unit, ul);
    s[ul * reps] = '\0';
    assert_int_equal(heard_tokenize(t, s, ul * reps), 0);
    size_t per = t->n / reps;
    assert_int_equal(t->n % reps, 0);
    assert_int_equal(per, 18);
    assert_int_equal(t->n_sent, 2 * reps);
    assert_int_equal(t->tok[t->n - 1].end, ul * reps - 1);
    assert_int_equal(t->n_allcaps, reps);
    /* buffer reuse: a small text afterwards is independent */
    tok(t, "fine");
    assert_int_equal(t->n, 1);
    assert_int_equal(t->n_sent, 1);
    assert_int_equal(t->n_allcaps, 0);
    assert_norm(t, &t->tok[0], "fine");
    free(s);
}

/* The feature builder counts sentence starts from the sentence array: the
 * firsts of the sentences must be exactly the tokens whose sentence id
 * differs from the previous token's, and the sentences must cover all the
 * tokens in order. */
static void sentence_ids_match_array(void **state)
{
    heard_tokens *t = *state;
    static const char *const texts[] = {
        "Hi. My order #123 is late!!! Where is it?? I paid $20.50 on 3/4...",
        "no sentence end here",
        "Line one\nline two\n\nline three :) \xf0\x9f\x98\x80 ok?!",
        "e.g. Mr. Smith said \"fine.\" Then he left... And then? (yes.)",
        "...!!!???",
    };
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
        assert_int_equal(heard_tokenize(t, texts[k], strlen(texts[k])), 0);
        assert_true(t->n > 0);
        assert_true(t->n_sent > 0);
        assert_int_equal(t->sent[0].first, 0);
        assert_int_equal(t->sent[t->n_sent - 1].last, t->n);
        size_t s = 0;
        for (size_t i = 0; i < t->n; i++) {
            bool opens = i == 0 || t->tok[i - 1].sent != t->tok[i].sent;
            if (opens && i > 0)
                s++;
            assert_true(s < t->n_sent);
            assert_int_equal(t->tok[i].sent, s);
            assert_int_equal(opens, t->sent[s].first == i);
            assert_true(i >= t->sent[s].first && i < t->sent[s].last);
        }
        assert_int_equal(s + 1, t->n_sent);
    }
}

/* A word is folded, hashed, stemmed and flagged the same wherever it
 * stands: in a text shorter than 8 bytes, at the end of a long one, across
 * 8-byte boundaries, before punctuation, and whether its stem was just
 * computed or memoised (second pass). */
static void word_same_everywhere(void **state)
{
    heard_tokens *t = *state;
    static const struct {
        const char *word, *norm, *stem;
        uint16_t flags;
    } words[] = {
        {"Thanks", "thanks", "thank", TF_CAPITAL},
        {"DON'T", "don't", "don't", TF_ALLCAPS | TF_CAPITAL | TF_CONTRACTION | TF_NEGATOR},
        {"happy", "happy", "happi", 0},
        {"rock'n'roll", "rock'n'roll", "rock'n'rol", TF_CONTRACTION},
        {"Unbelievably", "unbelievably", "unbeliev", TF_CAPITAL | TF_INTENSIFIER},
        {"abcdefghABCDEFGH", "abcdefghabcdefgh", "abcdefghabcdefgh", 0},
        {"ok", "ok", "ok", 0},
    };
    static const char *const frames[] = {
        "%s", "%s.", "we said %s", "0123456789 %s, then", "%s!", "x %s'", "a %s"};
    for (int pass = 0; pass < 2; pass++)
        for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
            for (size_t f = 0; f < sizeof frames / sizeof frames[0]; f++) {
                char text[96];
                snprintf(text, sizeof text, frames[f], words[w].word);
                assert_int_equal(heard_tokenize(t, text, strlen(text)), 0);
                assert_word(t, text, words[w].word, words[w].norm, words[w].stem,
                            TF_ALLCAPS | TF_CAPITAL | TF_CONTRACTION | TF_NEGATOR |
                                TF_INTENSIFIER,
                            words[w].flags);
            }
}

/* Informal spellings become the word they stand for, in the folded form,
 * hash, stem and flags every later stage reads; the span keeps what was
 * written. The second pass reads them from the word memo. Spellings with
 * two readings stay as they are. */
static void informal_spellings(void **state)
{
    heard_tokens *t = *state;
    static const struct {
        const char *word, *norm, *stem;
        uint16_t flags;
    } words[] = {
        {"u", "you", "you", 0},
        {"U", "you", "you", TF_CAPITAL},
        {"Dont", "don't", "don't", TF_CAPITAL | TF_NEGATOR},
        {"youre", "you're", "you'r", 0},
        {"thru", "through", "through", 0},
        {"tmrw", "tomorrow", "tomorrow", TF_TIMEREF},
        {"rly", "really", "realli", TF_INTENSIFIER},
        {"b4", "before", "befor", 0},
        {"recieved", "received", "receiv", 0},
        {"its", "its", "it", 0},
        {"ill", "ill", "ill", 0},
        {"ur", "ur", "ur", 0},
        {"till", "till", "till", 0},
        {"uuu", "uuu", "uuu", 0},
    };
    for (int pass = 0; pass < 2; pass++)
        for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
            char text[96];
            snprintf(text, sizeof text, "so %s then", words[w].word);
            tok(t, text);
            const heard_token *k = assert_word(
                t, text, words[w].word, words[w].norm, words[w].stem,
                TF_CAPITAL | TF_CONTRACTION | TF_NEGATOR | TF_INTENSIFIER | TF_TIMEREF,
                words[w].flags);
            assert_int_equal(k->start, 3);
            assert_int_equal(k->end, 3 + strlen(words[w].word));
        }
    /* an aliased negator opens its scope like the word it stands for */
    const char *s = "i dont like it";
    tok(t, s);
    assert_true(get(t, s, "like")->flags & TF_NEGATED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(mixed_sentence_spans, setup, teardown),
        cmocka_unit_test_setup_teardown(folded_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(inner_punctuation, setup, teardown),
        cmocka_unit_test_setup_teardown(stems, setup, teardown),
        cmocka_unit_test_setup_teardown(negation_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(all_caps, setup, teardown),
        cmocka_unit_test_setup_teardown(lexical_flags, setup, teardown),
        cmocka_unit_test_setup_teardown(numbers_times_dates, setup, teardown),
        cmocka_unit_test_setup_teardown(emoji_and_emoticons, setup, teardown),
        cmocka_unit_test_setup_teardown(urls_emails_mentions, setup, teardown),
        cmocka_unit_test_setup_teardown(sentences, setup, teardown),
        cmocka_unit_test_setup_teardown(sentence_breaks_on_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(hard_inputs, setup, teardown),
        cmocka_unit_test_setup_teardown(large_text_reuse, setup, teardown),
        cmocka_unit_test_setup_teardown(sentence_ids_match_array, setup, teardown),
        cmocka_unit_test_setup_teardown(word_same_everywhere, setup, teardown),
        cmocka_unit_test_setup_teardown(informal_spellings, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

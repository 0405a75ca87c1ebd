/* test_lexicon.c - the valence lexicon (file and built-in), its loader's
 * error handling, the VADER-style scorer with its negation, booster, caps,
 * punctuation, "but", idiom and sarcasm rules, and the builder's
 * determinism. Runs with cwd = repo root; HEARD_MODELS points to models/. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "lexicon.h"
#include "text.h"
#include "tokenize.h"

typedef struct fixture {
    heard_lexicon *lex;  /* models/lexicon.tsv */
    heard_lexicon *core; /* built-in */
    heard_tokens toks;
} fixture;

static void lexicon_path(char *buf, size_t cap)
{
    const char *dir = getenv("HEARD_MODELS");
    snprintf(buf, cap, "%s/lexicon.tsv", dir && *dir ? dir : "models");
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char path[1024];
    heard_error err;
    lexicon_path(path, sizeof path);
    if (!f || heard_lexicon_load(path, &f->lex, &err) != HEARD_OK ||
        heard_lexicon_load(NULL, &f->core, &err) != HEARD_OK ||
        heard_tokens_init(&f->toks) != 0) {
        fprintf(stderr, "setup failed: %s\n", f ? err.message : "calloc");
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    heard_lexicon_free(f->lex);
    heard_lexicon_free(f->core);
    heard_tokens_free(&f->toks);
    free(f);
    return 0;
}

static float score_ev(fixture *f, const heard_lexicon *lex, const char *text, long *a, long *b)
{
    assert_int_equal(heard_tokenize(&f->toks, text, strlen(text)), 0);
    float s = heard_lexicon_sentiment(lex, &f->toks, a, b);
    assert_true(s >= -1.0f && s <= 1.0f);
    return s;
}

static float score(fixture *f, const char *text)
{
    return score_ev(f, f->lex, text, NULL, NULL);
}

/* Text of the evidence span, for readable assertions. */
static void evidence(fixture *f, const char *text, char *out, size_t cap)
{
    long a, b;
    score_ev(f, f->lex, text, &a, &b);
    out[0] = 0;
    if (a < 0)
        return;
    size_t s = f->toks.tok[a].start, e = f->toks.tok[b].end;
    snprintf(out, cap, "%.*s", (int)(e - s), text + s);
}

static void basic_polarity(void **state)
{
    fixture *f = *state;
    assert_true(score(f, "I love this") > 0.5f);
    assert_true(score(f, "This is terrible") < -0.4f);
    assert_true(score(f, "The agent was rude and useless") < -0.5f);
    assert_true(score(f, "Thanks, that was really helpful") > 0.5f);
    assert_true(score(f, "My order id is 12345") == 0.0f);
    assert_true(score(f, "") == 0.0f);
    assert_true(score(f, "!!! ???") == 0.0f);
}

static void negation(void **state)
{
    fixture *f = *state;
    assert_true(score(f, "not bad") > 0.0f);
    assert_true(score(f, "I'm not happy") < 0.0f);
    assert_true(score(f, "I’m not happy") < 0.0f); /* curly apostrophe */
    assert_true(score(f, "It isn't good at all") < 0.0f);
    assert_true(score(f, "I never found it good") < 0.0f);
    assert_true(score(f, "I found it good") > 0.0f);
    assert_true(score(f, "no complaints") >= 0.0f);
    assert_true(score(f, "no problem") > 0.0f);
    assert_true(score(f, "The app doesn't work") < -0.2f);
    assert_true(score(f, "Still not working") < -0.2f);
    /* "no" before a neutral noun keeps its own negative valence */
    assert_true(score(f, "no internet for three days") < 0.0f);
    /* the answer "No," is a negative word of its own but negates nothing
     * after it ("No, but thanks for playing" is not a complaint); the
     * determiner "no" still negates */
    assert_true(score(f, "No, but thanks for playing.") > 0.5f);
    assert_true(score(f, "No, thankfully it worked") > 0.0f);
    assert_true(score(f, "No, thankfully it worked") < score(f, "thankfully it worked"));
    assert_true(score(f, "there is no good reason") < 0.0f);
    /* "least": negation unless "at least" */
    assert_true(score(f, "the least helpful agent") < 0.0f);
    assert_true(score(f, "at least it was helpful") > 0.0f);
}

static void boosters_caps_punctuation(void **state)
{
    fixture *f = *state;
    float great = score(f, "great");
    assert_true(score(f, "GREAT!!!") > great);
    assert_true(score(f, "great!") > great);
    assert_true(score(f, "great!!!!!!!!") == score(f, "great!!!!")); /* capped at 4 */
    assert_true(score(f, "very good") > score(f, "good"));
    assert_true(score(f, "extremely bad") < score(f, "bad"));
    assert_true(score(f, "slightly annoyed") > score(f, "annoyed"));
    assert_true(score(f, "kind of annoyed") > score(f, "annoyed"));
    assert_true(score(f, "kind of annoyed") < 0.0f);
    /* ALL CAPS counts only when the text mixes case */
    assert_true(score(f, "I am VERY happy") > score(f, "I am very happy"));
    assert_true(score(f, "This is BAD") < score(f, "This is bad"));
    /* as in VADER, one-letter words ("I", "a") do not count as the
     * lower-case words that make capitals stand out */
    assert_true(score(f, "I HATE YOU") == score(f, "i hate you"));
    assert_true(score(f, "I HATE you") < score(f, "i hate you"));
    assert_true(score(f, "good??") > score(f, "good"));
}

static void but_rule(void **state)
{
    fixture *f = *state;
    float good = score(f, "The service is good");
    float mixed = score(f, "The service is good but the staff is rude");
    assert_true(mixed < good);
    assert_true(mixed < 0.0f); /* after "but" weighs 1.5, before 0.5 */
    assert_true(score(f, "The staff is rude but the service is good") > 0.0f);
    /* "but" in a later sentence leaves the first alone */
    assert_true(score(f, "I love it. Small but fine.") > score(f, "Small but fine."));
}

static void register_rules(void **state)
{
    fixture *f = *state;
    /* "like" counts as a verb only after a subject or auxiliary */
    assert_true(score(f, "I like it") > 0.2f);
    assert_true(score(f, "it was like three weeks ago") == 0.0f);
    assert_true(score(f, "I don't like it") < 0.0f);
    /* "pretty" boosts a valence word instead of adding its own */
    assert_true(score(f, "pretty bad") < score(f, "bad"));
    assert_true(score(f, "pretty bad") < 0.0f);
    /* requests weigh less than feelings */
    assert_true(score(f, "please help") < score(f, "glad"));
    assert_true(score(f, "please help, I was charged twice") < 0.0f);
}

static void idioms(void **state)
{
    fixture *f = *state;
    assert_true(score(f, "This phone is the bomb") > 0.3f);
    assert_true(score(f, "I'm fed up with this") < -0.3f);
    assert_true(score(f, "what a rip off") < -0.3f);
    assert_true(score(f, "never so happy") >= score(f, "so happy"));
    assert_true(score(f, "I can't stand this") < 0.0f);
    /* negations that mean the opposite (VADER scores them 0 and -0.28) */
    assert_true(score(f, "I can’t wait to see it") > 0.3f);
    assert_true(score(f, "Couldn't agree more.") > 0.3f);
    assert_true(score(f, "They couldn't agree among themselves") < 0.0f);
}

static void sarcasm(void **state)
{
    fixture *f = *state;
    assert_true(score(f, "Great, another week without internet. Thanks a lot.") < 0.0f);
    assert_true(score(f, "Oh great. The app crashed again.") < 0.0f);
    assert_true(score(f, "Just what I needed, another outage.") < 0.0f);
    assert_true(score(f, "Perfect, still no reply from anyone.") < 0.0f);
    /* sincere uses stay positive */
    assert_true(score(f, "Great, thanks for your help!") > 0.5f);
    assert_true(score(f, "Thanks a lot for your help!") > 0.3f);
    assert_true(score(f, "Thank you again, that was really helpful.") > 0.3f);
    assert_true(score(f, "Perfect, I don't need anything else.") > 0.0f);
    /* more fillers before it than the ring keeps: not an interjection, and
     * no read past the ring (this crashed) */
    assert_true(score(f, "oh oh oh oh oh oh oh oh oh great, it broke again") > 0.0f);
    assert_true(score(f, "oh oh oh great, it broke again") < 0.0f);
}

static void emoji_emoticons(void **state)
{
    fixture *f = *state;
    assert_true(score(f, "😡") < 0.0f);
    assert_true(score(f, "😊") > 0.0f);
    assert_true(score(f, "👍") > 0.0f);
    assert_true(score(f, "😭😭") < 0.0f);
    assert_true(score(f, "thanks :)") > score(f, "thanks"));
    assert_true(score(f, "ok :(") < 0.0f);
    assert_true(score(f, ":D") > 0.0f);
    /* skin-tone variant falls back to the base emoji */
    assert_true(score(f, "👍🏽") > 0.0f);
}

static void evidence_span(void **state)
{
    fixture *f = *state;
    char ev[64];
    evidence(f, "The staff was rude to me", ev, sizeof ev);
    assert_string_equal(ev, "rude");
    evidence(f, "I waited an hour but the fix is great", ev, sizeof ev);
    assert_string_equal(ev, "great");
    evidence(f, "It's not working again", ev, sizeof ev);
    assert_string_equal(ev, "not working");
    long a = 7, b = 7;
    score_ev(f, f->lex, "My account id is 42", &a, &b);
    assert_int_equal(a, -1);
    assert_int_equal(b, -1);
}

static void builtin_core(void **state)
{
    fixture *f = *state;
    assert_true(heard_lexicon_size(f->core) > 300);
    assert_true(score_ev(f, f->core, "I love this", NULL, NULL) > 0.5f);
    assert_true(score_ev(f, f->core, "This is terrible", NULL, NULL) < -0.4f);
    assert_true(score_ev(f, f->core, "I'm not happy", NULL, NULL) < 0.0f);
    assert_true(score_ev(f, f->core, "frustrated and disappointed", NULL, NULL) < -0.5f);
    assert_true(score_ev(f, f->core, "😡", NULL, NULL) < 0.0f);
    assert_true(score_ev(f, f->core, "no worries", NULL, NULL) > 0.0f);
    int found = 0;
    assert_true(heard_lexicon_valence(f->core, heard_hash("thanks", 6), &found) > 0.0f);
    assert_true(found);
}

static void valence_lookup(void **state)
{
    fixture *f = *state;
    int found = 0;
    assert_true(heard_lexicon_size(f->lex) > 7000);
    assert_true(heard_lexicon_valence(f->lex, heard_hash("good", 4), &found) > 1.0f);
    assert_true(found);
    assert_true(heard_lexicon_valence(f->lex, heard_hash("horrible", 8), &found) < -1.0f);
    /* emoticons are found under their folded spelling too */
    assert_true(heard_lexicon_valence(f->lex, heard_hash(":d", 2), &found) > 0.0f);
    assert_true(found);
    assert_true(heard_lexicon_valence(f->lex, heard_hash("zxqv", 4), &found) == 0.0f);
    assert_false(found);
    /* boosters and negators are built in, never lexicon words */
    heard_lexicon_valence(f->lex, heard_hash("not", 3), &found);
    assert_false(found);
    heard_lexicon_valence(f->lex, heard_hash("very", 4), &found);
    assert_false(found);
    assert_true(heard_lexicon_sentiment(NULL, &f->toks, NULL, NULL) == 0.0f);
    assert_true(heard_lexicon_sentiment(f->lex, NULL, NULL, NULL) == 0.0f);
}

/* The token valences the scorer hands to the feature builder are the
 * table's, token by token, and the score is the same as without them. */
static void token_valences(void **state)
{
    fixture *f = *state;
    const char *text = "Not good at all, pretty bad :( but thanks 😡 zxqv GREAT!!";
    assert_int_equal(heard_tokenize(&f->toks, text, strlen(text)), 0);
    float vals[64];
    assert_true(f->toks.n <= 64);
    for (size_t i = 0; i < 64; i++)
        vals[i] = 99.0f;
    long a1, b1, a2, b2;
    float s1 = heard_lexicon_sentiment(f->lex, &f->toks, &a1, &b1);
    float s2 = heard_lexicon_sentiment_vals(f->lex, &f->toks, &a2, &b2, vals);
    assert_true(s1 == s2);
    assert_int_equal(a1, a2);
    assert_int_equal(b1, b2);
    int nonzero = 0;
    for (size_t i = 0; i < f->toks.n; i++) {
        if (f->toks.tok[i].type == TOK_PUNCT) {
            assert_true(vals[i] == 99.0f);
            continue;
        }
        float v = heard_lexicon_valence(f->lex, f->toks.tok[i].hash, NULL);
        assert_true(vals[i] == v);
        nonzero += v != 0.0f;
    }
    assert_true(nonzero >= 4);
}

static void long_input(void **state)
{
    fixture *f = *state;
    size_t n = 20000;
    char *text = malloc(n * 6 + 1);
    assert_non_null(text);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        const char *w = i % 7 == 0 ? "bad. " : i % 5 == 0 ? "good " : "the ";
        memcpy(text + o, w, strlen(w));
        o += strlen(w);
    }
    text[o] = 0;
    float s = score(f, text);
    assert_true(s >= -1.0f && s <= 1.0f);
    free(text);
}

/* Writes content to a fresh temporary file; the caller unlinks it. */
static void temp_file(char *path, size_t cap, const char *content)
{
    snprintf(path, cap, "/tmp/heard_lex_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = strlen(content);
    assert_int_equal(write(fd, content, n), (ssize_t)n);
    close(fd);
}

static heard_status load_text(const char *content, heard_lexicon **lex, heard_error *err)
{
    char path[64];
    temp_file(path, sizeof path, content);
    heard_status st = heard_lexicon_load(path, lex, err);
    unlink(path);
    return st;
}

static void loader_errors(void **state)
{
    (void)state;
    heard_lexicon *lex = NULL;
    heard_error err = {{0}};
    assert_int_equal(heard_lexicon_load("/nonexistent/lexicon.tsv", &lex, &err), HEARD_EIO);
    assert_null(lex);
    assert_non_null(strstr(err.message, "/nonexistent/lexicon.tsv"));

    assert_int_equal(load_text("good\t1.9\nthis line has no tab\n", &lex, &err), HEARD_EMODEL);
    assert_null(lex);
    assert_non_null(strstr(err.message, "line 2"));
    assert_int_equal(load_text("# c\ngood\t1.9\n\nbad\tworse\n", &lex, &err), HEARD_EMODEL);
    assert_non_null(strstr(err.message, "line 4"));
    assert_int_equal(load_text("good\t9.5\n", &lex, &err), HEARD_EMODEL);
    assert_int_equal(load_text("\t1.0\n", &lex, &err), HEARD_EMODEL);
    assert_int_equal(load_text("good\t1.9x\n", &lex, &err), HEARD_EMODEL);

    /* comments, blank lines, CRLF, extra columns; the later line wins */
    assert_int_equal(load_text("# heard\r\n\r\ngood\t1.0\r\nfine\t0.8\t0.4\t[1]\ngood\t2.5",
                               &lex, &err),
                     HEARD_OK);
    int found = 0;
    assert_true(heard_lexicon_valence(lex, heard_hash("good", 4), &found) == 2.5f);
    assert_true(heard_lexicon_valence(lex, heard_hash("fine", 4), &found) > 0.79f);
    assert_true(found);
    heard_lexicon_free(lex);

    assert_int_equal(load_text("", &lex, &err), HEARD_OK); /* empty: built-ins only */
    assert_true(heard_lexicon_size(lex) > 0);
    heard_lexicon_free(lex);
}

/* The loader sizes its tables from the file's lines (a key, a second for a
 * token with capitals, a phrase end for one with a space): a file made only
 * of the worst lines must load, and every entry must be found. */
static void loader_table_bounds(void **state)
{
    (void)state;
    enum { N = 5000 };
    char *text = malloc((size_t)N * 32);
    assert_non_null(text);
    size_t len = 0;
    for (int i = 0; i < N; i++)
        len += (size_t)sprintf(text + len, "Very Good%d\t%d.5%s", i, i % 4,
                               i + 1 < N ? "\n" : ""); /* last line without newline */
    heard_lexicon *lex = NULL;
    heard_error err = {{0}};
    assert_int_equal(load_text(text, &lex, &err), HEARD_OK);
    assert_true(heard_lexicon_size(lex) >= 2 * N);
    for (int i = 0; i < N; i += 499) {
        char w[32];
        int n = snprintf(w, sizeof w, "very good%d", i), found = 0;
        float v = heard_lexicon_valence(lex, heard_hash(w, (size_t)n), &found);
        assert_true(found);
        assert_true(v == (float)(i % 4) + 0.5f);
        n = snprintf(w, sizeof w, "Very Good%d", i);
        heard_lexicon_valence(lex, heard_hash(w, (size_t)n), &found);
        assert_true(found);
    }
    heard_lexicon_free(lex);
    free(text);
}

static const char *shared_data(void)
{
    static const char *const dirs[] = {"/work/shared/data", "../shared/data"};
    for (size_t i = 0; i < 2; i++) {
        char p[256];
        snprintf(p, sizeof p, "%s/lexicons/vader/vader_lexicon.txt", dirs[i]);
        if (access(p, R_OK) == 0)
            return dirs[i];
    }
    return NULL;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long len = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *b = malloc((size_t)len + 1);
    if (b && fread(b, 1, (size_t)len, fp) != (size_t)len) {
        free(b);
        b = NULL;
    }
    fclose(fp);
    *n = (size_t)len;
    return b;
}

static void build_deterministic(void **state)
{
    (void)state;
    const char *d = shared_data();
    if (!d) {
        skip();
        return;
    }
    char v[512], a[512], e[512], em[512], out1[64], out2[64], committed[1024];
    snprintf(v, sizeof v, "%s/lexicons/vader/vader_lexicon.txt", d);
    snprintf(a, sizeof a, "%s/lexicons/afinn/AFINN-en-165.txt", d);
    snprintf(e, sizeof e, "%s/lexicons/afinn/AFINN-emoticon-8.txt", d);
    snprintf(em, sizeof em, "%s/lexicons/vader/emoji_utf8_lexicon.txt", d);
    temp_file(out1, sizeof out1, "");
    temp_file(out2, sizeof out2, "");
    heard_error err;
    assert_int_equal(heard_lexicon_build(v, a, e, em, out1, &err), HEARD_OK);
    assert_int_equal(heard_lexicon_build(v, a, e, em, out2, &err), HEARD_OK);
    size_t n1, n2, n3;
    char *b1 = slurp(out1, &n1), *b2 = slurp(out2, &n2);
    lexicon_path(committed, sizeof committed);
    char *b3 = slurp(committed, &n3);
    assert_non_null(b1);
    assert_non_null(b2);
    assert_non_null(b3);
    assert_int_equal(n1, n2);
    assert_memory_equal(b1, b2, n1);
    /* the committed models/lexicon.tsv is what the builder makes */
    assert_int_equal(n1, n3);
    assert_memory_equal(b1, b3, n1);
    assert_true(n1 < 200 * 1024);
    assert_true(strncmp(b1, "# heard lexicon v1, derived from VADER", 38) == 0);
    free(b1);
    free(b2);
    free(b3);
    /* without the emoji file the build still works */
    assert_int_equal(heard_lexicon_build(v, a, e, NULL, out1, &err), HEARD_OK);
    assert_int_equal(heard_lexicon_build("/nonexistent", a, e, NULL, out2, &err), HEARD_EIO);
    assert_int_equal(heard_lexicon_build(v, a, e, NULL, NULL, &err), HEARD_EINVAL);
    unlink(out1);
    unlink(out2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(basic_polarity),
        cmocka_unit_test(negation),
        cmocka_unit_test(boosters_caps_punctuation),
        cmocka_unit_test(but_rule),
        cmocka_unit_test(register_rules),
        cmocka_unit_test(idioms),
        cmocka_unit_test(sarcasm),
        cmocka_unit_test(emoji_emoticons),
        cmocka_unit_test(evidence_span),
        cmocka_unit_test(builtin_core),
        cmocka_unit_test(valence_lookup),
        cmocka_unit_test(token_valences),
        cmocka_unit_test(long_input),
        cmocka_unit_test(loader_errors),
        cmocka_unit_test(loader_table_bounds),
        cmocka_unit_test(build_deterministic),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* lexicon.c - heard's word-valence lexicon and VADER-style sentiment scorer.
 *
 * Four parts (the scorer and the builder live in lexicon_score.inc and
 * lexicon_build.inc, included at the end, to keep this file readable):
 *  - tables: an open-addressing valence table keyed by heard_hash of the
 *    folded token (single words and phrases of up to 3 words hashed as
 *    "w1 w2 w3"), and a table of built-in function words (boosters,
 *    negators, "but", "least", sarcasm cues) that never come from a file;
 *  - the loader of models/lexicon.tsv (or the compiled-in core lexicon);
 *  - the scorer, a port of VADER (Hutto & Gilbert 2014) over heard's token
 *    array, plus idiom phrases and a sarcasm rule;
 *  - the builder that derives models/lexicon.tsv from VADER and AFINN.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexicon.h"
#include "text.h"

/* VADER's empirically derived constants. */
#define B_INCR 0.293
#define B_DECR (-0.293)
#define C_INCR 0.733
#define N_SCALAR (-0.74)
#define ALPHA 15.0

#define MAX_FILE_BYTES (64u << 20)

/* ---------------------------------------------------------------- tables */

/* Kinds of built-in function words; a word may have several. */
enum {
    SK_BOOST = 1u << 0,        /* booster/dampener, value in val */
    SK_NEGATOR = 1u << 1,      /* VADER's NEGATE list */
    SK_BUT = 1u << 2,
    SK_LEAST = 1u << 3,
    SK_AT_VERY = 1u << 4,      /* "at least", "very least" are not negations */
    SK_NEVER = 1u << 5,
    SK_SO_THIS = 1u << 6,      /* "never so good", "never this bad" */
    SK_WITHOUT = 1u << 7,
    SK_DOUBT = 1u << 8,        /* "without doubt" */
    SK_NO = 1u << 9,
    SK_OR_NOR = 1u << 10,
    SK_KIND = 1u << 11,        /* "kind of" */
    SK_OF = 1u << 12,
    SK_SARC_INTERJ = 1u << 13, /* "Great, ..." when said of a bad situation */
    SK_SARC_PRE = 1u << 14,    /* "Oh great." "Just perfect." */
    SK_SARC_CUE = 1u << 15,    /* another, again, still, without ... */
    SK_THANKS = 1u << 16,      /* "thanks a lot" */
    SK_A = 1u << 17,
    SK_LOT = 1u << 18,         /* lot, bunch */
    SK_PHRASE_END = 1u << 19,  /* last word of some valence phrase */
    SK_SARC_PHRASE = 1u << 20, /* phrase hash: "just what i needed" */
    SK_BPHRASE_END = 1u << 21, /* last word of a booster phrase ("kind of") */
    SK_LIKE = 1u << 22,        /* "like": a verb only after a subject */
    SK_SUBJ = 1u << 23,        /* i, we, would ... before the verb "like" */
    SK_COND_BOOST = 1u << 24,  /* "pretty bad": a booster before a valence word */
    SK_POLITE = 1u << 25       /* please, help: requests, not feelings */
};

typedef struct sp_entry {
    uint64_t key;
    uint32_t kind;
    float val;
} sp_entry;

/* An entry of the lookup table: a word's valence and its function-word
 * kinds in one 16-byte slot, so a word costs one cache line, not three
 * (valence key, valence, kind) as in the two tables it is built from. */
#define HAS_VAL (1u << 31)  /* kind bit: val is a valence */
#define HAS_BVAL (1u << 30) /* kind bit: a booster value in the boost table */
#define TAB_BITS (HAS_VAL | HAS_BVAL)
_Static_assert(SK_POLITE < HAS_BVAL, "kind bits collide with the table bits");
typedef struct lex_entry {
    uint64_t key;  /* key_of(hash), 0 = empty */
    uint32_t kind; /* SK_* bits, HAS_VAL, HAS_BVAL */
    float val;     /* valence when HAS_VAL, else 0 */
} lex_entry;

/* Loading fills the valence and function-word tables (keys, vals, sp);
 * merge_tables() then builds the lookup table from them (tab: every key
 * of both; boost: the nonzero booster values, looked up for HAS_BVAL
 * entries only)
 * and frees them. */
struct heard_lexicon {
    size_t cap, n;       /* valence table: power of two, keys 0 = empty */
    uint64_t *keys;
    float *vals;
    size_t sp_cap;       /* function-word table */
    sp_entry *sp;
    size_t tab_cap;      /* lookup table: power of two */
    lex_entry *tab;
    size_t boost_cap;    /* booster values: power of two */
    sp_entry *boost;
};

static uint64_t key_of(uint64_t h)
{
    return h ? h : 1; /* 0 marks an empty slot */
}

static size_t pow2_at_least(size_t n)
{
    size_t c = 16;
    while (c < n)
        c <<= 1;
    return c;
}

/* Insert or overwrite. The table never fills: capacity is at least twice
 * the number of keys the loader can insert. */
static void val_put(heard_lexicon *lex, uint64_t h, float v, bool overwrite)
{
    uint64_t k = key_of(h);
    size_t m = lex->cap - 1;
    for (size_t i = (size_t)k & m;; i = (i + 1) & m) {
        if (lex->keys[i] == k) {
            if (overwrite)
                lex->vals[i] = v;
            return;
        }
        if (lex->keys[i] == 0) {
            lex->keys[i] = k;
            lex->vals[i] = v;
            lex->n++;
            return;
        }
    }
}

/* Entry of a hash in a lookup table of mask + 1 slots, NULL when absent
 * (the scorer's loop keeps tab and mask in registers). */
static inline const lex_entry *tab_find(const lex_entry *tab, size_t mask, uint64_t h)
{
    uint64_t k = key_of(h);
    for (size_t i = (size_t)k & mask;; i = (i + 1) & mask) {
        if (tab[i].key == k)
            return &tab[i];
        if (tab[i].key == 0)
            return NULL;
    }
}

/* The lookup table's entry of a hash, NULL when absent. */
static const lex_entry *tab_get(const heard_lexicon *lex, uint64_t h)
{
    return tab_find(lex->tab, lex->tab_cap - 1, h);
}

static bool val_get(const heard_lexicon *lex, uint64_t h, float *v)
{
    const lex_entry *e = tab_get(lex, h);
    if (!e || !(e->kind & HAS_VAL))
        return false;
    *v = e->val;
    return true;
}

static void sp_put(heard_lexicon *lex, uint64_t h, uint32_t kind, float val)
{
    uint64_t k = key_of(h);
    size_t m = lex->sp_cap - 1;
    for (size_t i = (size_t)k & m;; i = (i + 1) & m) {
        if (lex->sp[i].key == k) {
            lex->sp[i].kind |= kind;
            if (kind & SK_BOOST)
                lex->sp[i].val = val;
            return;
        }
        if (lex->sp[i].key == 0) {
            lex->sp[i].key = k;
            lex->sp[i].kind = kind;
            lex->sp[i].val = val;
            return;
        }
    }
}

/* Staging-table probe (sp or boost): the slot of k, or NULL. */
static const sp_entry *sp_find(const sp_entry *t, size_t cap, uint64_t h)
{
    uint64_t k = key_of(h);
    size_t m = cap - 1;
    for (size_t i = (size_t)k & m;; i = (i + 1) & m) {
        if (t[i].key == k)
            return &t[i];
        if (t[i].key == 0)
            return NULL;
    }
}

/* Booster value of an entry (0 for most words). */
static float bval_of(const heard_lexicon *lex, const lex_entry *e)
{
    const sp_entry *b = e && (e->kind & HAS_BVAL) ? sp_find(lex->boost, lex->boost_cap, e->key)
                                                   : NULL;
    return b ? b->val : 0;
}

/* Function-word kinds of a hash (0 when none); *bval gets its booster
 * value (0 for most words). */
static uint32_t kind_of(const heard_lexicon *lex, uint64_t h, float *bval)
{
    const lex_entry *e = tab_get(lex, h);
    *bval = bval_of(lex, e);
    return e ? e->kind & ~TAB_BITS : 0;
}

/* FNV-1a continued over " word": hashes "w1 w2" incrementally so that the
 * result equals heard_hash("w1 w2"). */
static uint64_t hash_extend(uint64_t h, const char *s, size_t len)
{
    h ^= (unsigned char)' ';
    h *= 1099511628211ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static uint64_t hash_str(const char *s)
{
    return heard_hash(s, strlen(s));
}

/* ------------------------------------------------------ built-in tables */

typedef struct word_kind {
    const char *w;
    uint32_t kind;
    float val;
} word_kind;

/* VADER's NEGATE list ("n't" words are also caught by spelling), its
 * BOOSTER_DICT, and the function words its rules test. */
static const word_kind k_function_words[] = {
    {"aint", SK_NEGATOR, 0}, {"arent", SK_NEGATOR, 0}, {"cannot", SK_NEGATOR, 0},
    {"cant", SK_NEGATOR, 0}, {"couldnt", SK_NEGATOR, 0}, {"darent", SK_NEGATOR, 0},
    {"didnt", SK_NEGATOR, 0}, {"doesnt", SK_NEGATOR, 0}, {"dont", SK_NEGATOR, 0},
    {"hadnt", SK_NEGATOR, 0}, {"hasnt", SK_NEGATOR, 0}, {"havent", SK_NEGATOR, 0},
    {"isnt", SK_NEGATOR, 0}, {"mightnt", SK_NEGATOR, 0}, {"mustnt", SK_NEGATOR, 0},
    {"neither", SK_NEGATOR, 0}, {"neednt", SK_NEGATOR, 0},
    {"never", SK_NEGATOR | SK_NEVER, 0}, {"none", SK_NEGATOR, 0},
    {"nope", SK_NEGATOR, 0}, {"nor", SK_NEGATOR | SK_OR_NOR, 0}, {"not", SK_NEGATOR, 0},
    {"nothing", SK_NEGATOR, 0}, {"nowhere", SK_NEGATOR, 0}, {"oughtnt", SK_NEGATOR, 0},
    {"shant", SK_NEGATOR, 0}, {"shouldnt", SK_NEGATOR, 0}, {"uhuh", SK_NEGATOR, 0},
    {"uh-uh", SK_NEGATOR, 0}, {"wasnt", SK_NEGATOR, 0}, {"werent", SK_NEGATOR, 0},
    {"without", SK_NEGATOR | SK_WITHOUT | SK_SARC_CUE, 0}, {"wont", SK_NEGATOR, 0},
    {"wouldnt", SK_NEGATOR, 0}, {"rarely", SK_NEGATOR, 0}, {"seldom", SK_NEGATOR, 0},
    {"despite", SK_NEGATOR, 0},
    /* boosters */
    {"absolutely", SK_BOOST, B_INCR}, {"amazingly", SK_BOOST, B_INCR},
    {"awfully", SK_BOOST, B_INCR}, {"completely", SK_BOOST, B_INCR},
    {"considerable", SK_BOOST, B_INCR}, {"considerably", SK_BOOST, B_INCR},
    {"decidedly", SK_BOOST, B_INCR}, {"deeply", SK_BOOST, B_INCR},
    {"effing", SK_BOOST, B_INCR}, {"enormous", SK_BOOST, B_INCR},
    {"enormously", SK_BOOST, B_INCR}, {"entirely", SK_BOOST, B_INCR},
    {"especially", SK_BOOST, B_INCR}, {"exceptional", SK_BOOST, B_INCR},
    {"exceptionally", SK_BOOST, B_INCR}, {"extreme", SK_BOOST, B_INCR},
    {"extremely", SK_BOOST, B_INCR}, {"fabulously", SK_BOOST, B_INCR},
    {"flipping", SK_BOOST, B_INCR}, {"flippin", SK_BOOST, B_INCR},
    {"frackin", SK_BOOST, B_INCR}, {"fracking", SK_BOOST, B_INCR},
    {"fricking", SK_BOOST, B_INCR}, {"frickin", SK_BOOST, B_INCR},
    {"frigging", SK_BOOST, B_INCR}, {"friggin", SK_BOOST, B_INCR},
    {"fully", SK_BOOST, B_INCR}, {"fuckin", SK_BOOST, B_INCR},
    {"fucking", SK_BOOST, B_INCR}, {"fuggin", SK_BOOST, B_INCR},
    {"fugging", SK_BOOST, B_INCR}, {"greatly", SK_BOOST, B_INCR},
    {"hella", SK_BOOST, B_INCR}, {"highly", SK_BOOST, B_INCR},
    {"hugely", SK_BOOST, B_INCR}, {"incredible", SK_BOOST, B_INCR},
    {"incredibly", SK_BOOST, B_INCR}, {"intensely", SK_BOOST, B_INCR},
    {"major", SK_BOOST, B_INCR}, {"majorly", SK_BOOST, B_INCR},
    {"more", SK_BOOST, B_INCR}, {"most", SK_BOOST, B_INCR},
    {"particularly", SK_BOOST, B_INCR}, {"purely", SK_BOOST, B_INCR},
    {"quite", SK_BOOST, B_INCR}, {"really", SK_BOOST | SK_SARC_PRE, B_INCR},
    {"remarkably", SK_BOOST, B_INCR}, {"so", SK_BOOST | SK_SO_THIS | SK_SARC_PRE, B_INCR},
    {"substantially", SK_BOOST, B_INCR}, {"thoroughly", SK_BOOST, B_INCR},
    {"total", SK_BOOST, B_INCR}, {"totally", SK_BOOST, B_INCR},
    {"tremendous", SK_BOOST, B_INCR}, {"tremendously", SK_BOOST, B_INCR},
    {"uber", SK_BOOST, B_INCR}, {"unbelievably", SK_BOOST, B_INCR},
    {"unusually", SK_BOOST, B_INCR}, {"utter", SK_BOOST, B_INCR},
    {"utterly", SK_BOOST, B_INCR}, {"very", SK_BOOST | SK_AT_VERY, B_INCR},
    {"almost", SK_BOOST, B_DECR}, {"barely", SK_BOOST, B_DECR},
    {"hardly", SK_BOOST, B_DECR}, {"kinda", SK_BOOST, B_DECR},
    {"kindof", SK_BOOST, B_DECR}, {"kind-of", SK_BOOST, B_DECR},
    {"less", SK_BOOST, B_DECR}, {"little", SK_BOOST, B_DECR},
    {"marginal", SK_BOOST, B_DECR}, {"marginally", SK_BOOST, B_DECR},
    {"occasional", SK_BOOST, B_DECR}, {"occasionally", SK_BOOST, B_DECR},
    {"partly", SK_BOOST, B_DECR}, {"scarce", SK_BOOST, B_DECR},
    {"scarcely", SK_BOOST, B_DECR}, {"slight", SK_BOOST, B_DECR},
    {"slightly", SK_BOOST, B_DECR}, {"somewhat", SK_BOOST, B_DECR},
    {"sorta", SK_BOOST, B_DECR}, {"sortof", SK_BOOST, B_DECR},
    {"sort-of", SK_BOOST, B_DECR},
    /* words VADER's rules look at */
    {"but", SK_BUT, 0}, {"least", SK_LEAST, 0}, {"at", SK_AT_VERY, 0},
    {"this", SK_SO_THIS, 0}, {"doubt", SK_DOUBT, 0}, {"no", SK_NO, 0},
    {"or", SK_OR_NOR, 0}, {"kind", SK_KIND, 0}, {"of", SK_OF, 0},
    /* sarcasm rule */
    {"great", SK_SARC_INTERJ, 0}, {"perfect", SK_SARC_INTERJ, 0},
    {"wonderful", SK_SARC_INTERJ, 0}, {"fantastic", SK_SARC_INTERJ, 0},
    {"brilliant", SK_SARC_INTERJ, 0}, {"lovely", SK_SARC_INTERJ, 0},
    {"awesome", SK_SARC_INTERJ, 0}, {"terrific", SK_SARC_INTERJ, 0},
    {"marvelous", SK_SARC_INTERJ, 0}, {"marvellous", SK_SARC_INTERJ, 0},
    {"superb", SK_SARC_INTERJ, 0}, {"excellent", SK_SARC_INTERJ, 0},
    {"fabulous", SK_SARC_INTERJ, 0}, {"splendid", SK_SARC_INTERJ, 0},
    {"nice", SK_SARC_INTERJ, 0}, {"amazing", SK_SARC_INTERJ, 0},
    {"cool", SK_SARC_INTERJ, 0}, {"yay", SK_SARC_INTERJ | SK_SARC_PRE, 0},
    {"oh", SK_SARC_PRE, 0}, {"just", SK_SARC_PRE, 0}, {"well", SK_SARC_PRE, 0},
    {"wow", SK_SARC_PRE, 0}, {"yeah", SK_SARC_PRE, 0}, {"ah", SK_SARC_PRE, 0},
    {"how", SK_SARC_PRE, 0}, {"another", SK_SARC_CUE, 0}, {"again", SK_SARC_CUE, 0},
    {"still", SK_SARC_CUE, 0}, {"yet", SK_SARC_CUE, 0}, {"anymore", SK_SARC_CUE, 0},
    {"thanks", SK_THANKS, 0}, {"thank", SK_THANKS, 0}, {"thx", SK_THANKS, 0},
    {"a", SK_A, 0}, {"lot", SK_LOT, 0}, {"bunch", SK_LOT, 0},
    /* customer-service register */
    {"like", SK_LIKE, 0}, {"i", SK_SUBJ, 0}, {"we", SK_SUBJ, 0}, {"you", SK_SUBJ, 0},
    {"they", SK_SUBJ, 0}, {"he", SK_SUBJ, 0}, {"she", SK_SUBJ, 0},
    {"would", SK_SUBJ, 0}, {"i'd", SK_SUBJ, 0}, {"we'd", SK_SUBJ, 0},
    {"you'd", SK_SUBJ, 0}, {"they'd", SK_SUBJ, 0}, {"do", SK_SUBJ, 0},
    {"does", SK_SUBJ, 0}, {"did", SK_SUBJ, 0}, {"don't", SK_SUBJ, 0},
    {"didn't", SK_SUBJ, 0}, {"doesn't", SK_SUBJ, 0}, {"dont", SK_SUBJ, 0},
    {"didnt", SK_SUBJ, 0}, {"doesnt", SK_SUBJ, 0}, {"also", SK_SUBJ, 0},
    {"just", SK_SUBJ, 0}, {"really", SK_SUBJ, 0}, {"to", SK_SUBJ, 0},
    {"people", SK_SUBJ, 0}, {"pretty", SK_COND_BOOST, B_INCR},
    {"real", SK_COND_BOOST, B_INCR}, {"super", SK_COND_BOOST, B_INCR},
    {"please", SK_POLITE, 0}, {"pls", SK_POLITE, 0}, {"plz", SK_POLITE, 0},
    {"help", SK_POLITE, 0},
};

/* Booster phrases: checked on the two words before a sentiment word. */
static const word_kind k_booster_phrases[] = {
    {"kind of", SK_BOOST, B_DECR}, {"sort of", SK_BOOST, B_DECR},
    {"just enough", SK_BOOST, B_DECR}, {"a bit", SK_BOOST, B_DECR},
    {"a little", SK_BOOST, B_DECR},
};

typedef struct word_val {
    const char *w;
    float v;
} word_val;

/* Idioms always known, whatever the file: VADER's SPECIAL_CASES and
 * SENTIMENT_LADEN_IDIOMS, and customer-service phrases single words get
 * wrong. A phrase's valence replaces its words' valences. */
static const word_val k_phrases[] = {
    {"the shit", 3.0f}, {"the bomb", 3.0f}, {"bad ass", 1.5f}, {"bus stop", 0.0f},
    {"yeah right", -2.0f}, {"kiss of death", -1.5f}, {"to die for", 3.0f},
    {"beating heart", 3.1f}, {"broken heart", -2.9f}, {"cut the mustard", 2.0f},
    {"hand to mouth", -2.0f}, {"back handed", -2.0f}, {"blow smoke", -2.0f},
    {"blowing smoke", -2.0f}, {"upper hand", 1.0f}, {"break a leg", 2.0f},
    {"cooking with gas", 2.0f}, {"in the black", 2.0f}, {"in the red", -2.0f},
    {"on the ball", 2.0f}, {"under the weather", -2.0f},
    {"no complaints", 1.5f}, {"no worries", 1.2f}, {"no problem", 1.2f},
    {"not bad", 1.5f}, {"thanks for nothing", -2.0f},
    {"just what i needed", 1.8f}, {"just what i wanted", 1.8f},
    {"exactly what i needed", 1.8f}, {"just what we needed", 1.8f},
    {"let down", -1.8f}, {"rip off", -2.2f}, {"ripped off", -2.4f},
    {"waste of time", -2.2f}, {"fed up", -2.4f}, {"sick of", -2.0f},
    {"had enough", -1.5f}, {"not working", -2.4f}, {"doesn't work", -2.0f},
    {"does not work", -2.4f}, {"don't work", -2.0f}, {"stopped working", -1.8f},
    {"never arrived", -1.8f}, {"still waiting", -1.5f}, {"kept waiting", -1.5f},
    {"over the moon", 2.5f}, {"fair enough", 0.8f}, {"makes sense", 0.8f},
    /* negated forms that say the opposite of a negation: "can't wait"
     * (looking forward), "couldn't agree more" */
    {"can't wait", 1.8f}, {"cant wait", 1.8f}, {"cannot wait", 1.8f},
    {"couldn't agree more", 2.0f}, {"couldnt agree more", 2.0f},
};

static const char *const k_sarcasm_phrases[] = {
    "just what i needed", "just what i wanted", "exactly what i needed",
    "just what we needed",
};

/* Core lexicon compiled in for use without a model directory: common
 * words with their merged VADER/AFINN valence (same values as the file). */
#include "lexicon_core.inc"

/* ----------------------------------------------------------------- errors */

static void set_err(heard_error *err, const char *fmt, const char *a, long n)
{
    if (!err)
        return;
    if (a)
        snprintf(err->message, sizeof err->message, fmt, a, n);
    else
        snprintf(err->message, sizeof err->message, "%s", fmt);
}

/* Read a whole file into a NUL-terminated buffer the caller frees. */
static heard_status read_file(const char *path, char **buf, size_t *len, heard_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (err)
            snprintf(err->message, sizeof err->message, "%s: %s", path, strerror(errno));
        return HEARD_EIO;
    }
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    heard_status st = b ? HEARD_OK : HEARD_ENOMEM;
    while (st == HEARD_OK) {
        if (n + 1 >= cap) {
            if (cap >= MAX_FILE_BYTES) {
                set_err(err, "%s: file larger than the limit", path, 0);
                st = HEARD_EMODEL;
                break;
            }
            char *nb = realloc(b, cap * 2);
            if (!nb) {
                st = HEARD_ENOMEM;
                break;
            }
            b = nb;
            cap *= 2;
        }
        size_t got = fread(b + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                set_err(err, "%s: read error", path, 0);
                st = HEARD_EIO;
            }
            break;
        }
    }
    fclose(f);
    if (st != HEARD_OK) {
        if (st == HEARD_ENOMEM)
            set_err(err, "out of memory", NULL, 0);
        free(b);
        return st;
    }
    b[n] = 0;
    *buf = b;
    *len = n;
    return HEARD_OK;
}

/* Locale-independent "[-+]ddd[.ddd]" parser; returns false on anything
 * else (trailing blanks allowed). */
static bool parse_number(const char *s, const char *end, double *out)
{
    double sign = 1, v = 0, scale = 1;
    bool digits = false;
    if (s < end && (*s == '-' || *s == '+'))
        sign = *s++ == '-' ? -1 : 1;
    while (s < end && *s >= '0' && *s <= '9') {
        v = v * 10 + (*s++ - '0');
        digits = true;
    }
    if (s < end && *s == '.') {
        s++;
        while (s < end && *s >= '0' && *s <= '9') {
            scale /= 10;
            v += (*s++ - '0') * scale;
            digits = true;
        }
    }
    while (s < end && (*s == ' ' || *s == '\r'))
        s++;
    if (!digits || s != end)
        return false;
    *out = sign * v;
    return true;
}

/* ----------------------------------------------------------------- loader */

static bool has_ascii_upper(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= 'A' && s[i] <= 'Z')
            return true;
    return false;
}

/* Emoticons keep their case in the file (":D"); the tokenizer may fold them,
 * so the ASCII-lowercased spelling is also a key unless already taken. */
static void put_token(heard_lexicon *lex, const char *s, size_t n, float v)
{
    val_put(lex, heard_hash(s, n), v, true);
    if (has_ascii_upper(s, n) && n < 64) {
        char low[64];
        for (size_t i = 0; i < n; i++)
            low[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
        val_put(lex, heard_hash(low, n), v, false);
    }
}

static void mark_phrase_end(heard_lexicon *lex, const char *s, size_t n, uint32_t kind)
{
    const char *sp = NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ' ')
            sp = s + i;
    if (sp)
        sp_put(lex, heard_hash(sp + 1, (size_t)(s + n - sp - 1)), kind, 0);
}

static void add_builtins(heard_lexicon *lex)
{
    for (size_t i = 0; i < sizeof k_function_words / sizeof *k_function_words; i++)
        sp_put(lex, hash_str(k_function_words[i].w), k_function_words[i].kind,
               k_function_words[i].val);
    for (size_t i = 0; i < sizeof k_booster_phrases / sizeof *k_booster_phrases; i++) {
        const char *w = k_booster_phrases[i].w;
        sp_put(lex, hash_str(w), SK_BOOST, k_booster_phrases[i].val);
        mark_phrase_end(lex, w, strlen(w), SK_BPHRASE_END);
    }
    for (size_t i = 0; i < sizeof k_phrases / sizeof *k_phrases; i++) {
        const char *w = k_phrases[i].w;
        val_put(lex, hash_str(w), k_phrases[i].v, true);
        mark_phrase_end(lex, w, strlen(w), SK_PHRASE_END);
    }
    for (size_t i = 0; i < sizeof k_sarcasm_phrases / sizeof *k_sarcasm_phrases; i++)
        sp_put(lex, hash_str(k_sarcasm_phrases[i]), SK_SARC_PHRASE, 0);
}

/* The staging tables are sized from bounds on what the loader inserts
 * (n_keys valences, n_ends phrase ends of the file), not from the file's
 * line count alone: every page they span is a page fault at start-up, and
 * sized by lines the function-word table alone took 1 MB. */
static heard_lexicon *lex_alloc(size_t n_keys, size_t n_ends)
{
    heard_lexicon *lex = calloc(1, sizeof *lex);
    if (!lex)
        return NULL;
    lex->cap = pow2_at_least(2 * n_keys + 64);
    lex->keys = calloc(lex->cap, sizeof *lex->keys);
    lex->vals = calloc(lex->cap, sizeof *lex->vals);
    size_t n_sp = sizeof k_function_words / sizeof *k_function_words +
                  2 * sizeof k_booster_phrases / sizeof *k_booster_phrases +
                  sizeof k_phrases / sizeof *k_phrases +
                  sizeof k_sarcasm_phrases / sizeof *k_sarcasm_phrases + n_ends;
    lex->sp_cap = pow2_at_least(2 * n_sp + 64);
    lex->sp = calloc(lex->sp_cap, sizeof *lex->sp);
    if (!lex->keys || !lex->vals || !lex->sp) {
        heard_lexicon_free(lex);
        return NULL;
    }
    return lex;
}

static heard_status parse_tsv(heard_lexicon *lex, const char *path, char *buf,
                              size_t len, heard_error *err)
{
    long line = 0;
    char *p = buf, *end = buf + len;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *le = nl ? nl : end;
        line++;
        char *q = le;
        if (q > p && q[-1] == '\r')
            q--;
        if (q > p && *p != '#') {
            char *tab = memchr(p, '\t', (size_t)(q - p));
            char *vend = tab ? memchr(tab + 1, '\t', (size_t)(q - tab - 1)) : NULL;
            double v;
            if (!tab || tab == p || !parse_number(tab + 1, vend ? vend : q, &v) ||
                v < -5.0 || v > 5.0) {
                set_err(err, "%s: line %ld: expected token<TAB>valence (-5..5)", path, line);
                return HEARD_EMODEL;
            }
            put_token(lex, p, (size_t)(tab - p), (float)v);
            if (memchr(p, ' ', (size_t)(tab - p)))
                mark_phrase_end(lex, p, (size_t)(tab - p), SK_PHRASE_END);
        }
        p = le + 1;
    }
    return HEARD_OK;
}

/* Slot for key k in a table being built (k absent or present). */
static lex_entry *tab_slot(lex_entry *t, size_t cap, uint64_t k)
{
    size_t m = cap - 1, i = (size_t)k & m;
    while (t[i].key != 0 && t[i].key != k)
        i = (i + 1) & m;
    return &t[i];
}

/* Build the lookup and booster tables from the staging tables, then free
 * those. 0, or -1 when memory runs out. */
static int merge_tables(heard_lexicon *lex)
{
    size_t n = 0, n_boost = 0;
    for (size_t i = 0; i < lex->cap; i++)
        n += lex->keys[i] != 0;
    for (size_t i = 0; i < lex->sp_cap; i++) {
        n += lex->sp[i].key != 0;
        n_boost += lex->sp[i].key != 0 && lex->sp[i].val != 0;
    }
    lex->tab_cap = pow2_at_least(2 * n + 64);
    lex->boost_cap = pow2_at_least(2 * n_boost + 16);
    lex->tab = calloc(lex->tab_cap, sizeof *lex->tab);
    lex->boost = calloc(lex->boost_cap, sizeof *lex->boost);
    if (!lex->tab || !lex->boost)
        return -1;
    for (size_t i = 0; i < lex->cap; i++) {
        if (!lex->keys[i])
            continue;
        lex_entry *e = tab_slot(lex->tab, lex->tab_cap, lex->keys[i]);
        e->key = lex->keys[i];
        e->kind |= HAS_VAL;
        e->val = lex->vals[i];
    }
    for (size_t i = 0; i < lex->sp_cap; i++) {
        const sp_entry *x = &lex->sp[i];
        if (!x->key)
            continue;
        lex_entry *e = tab_slot(lex->tab, lex->tab_cap, x->key);
        e->key = x->key;
        e->kind |= x->kind;
        if (x->val != 0) {
            e->kind |= HAS_BVAL;
            size_t m = lex->boost_cap - 1, j = (size_t)x->key & m;
            while (lex->boost[j].key != 0)
                j = (j + 1) & m;
            lex->boost[j] = *x;
        }
    }
    free(lex->keys);
    free(lex->vals);
    free(lex->sp);
    lex->keys = NULL;
    lex->vals = NULL;
    lex->sp = NULL;
    return 0;
}

heard_status heard_lexicon_load(const char *path, heard_lexicon **out, heard_error *err)
{
    *out = NULL;
    char *buf = NULL;
    size_t len = 0, n_keys = 0, n_ends = 0;
    if (path) {
        heard_status st = read_file(path, &buf, &len, err);
        if (st != HEARD_OK)
            return st;
        /* per line at most one key, a second for a token with capitals
         * (put_token) and a phrase end for one with a space */
        bool in_token = true, upper = false, space = false;
        for (size_t i = 0; i <= len; i++) {
            char c = i < len ? buf[i] : '\n';
            if (c == '\n') {
                n_keys += 1 + upper;
                n_ends += space;
                in_token = true;
                upper = space = false;
            } else if (in_token) {
                if (c == '\t')
                    in_token = false;
                upper |= c >= 'A' && c <= 'Z';
                space |= c == ' ';
            }
        }
    } else {
        n_keys = 2 * (sizeof k_core / sizeof *k_core);
    }
    heard_lexicon *lex = lex_alloc(n_keys + sizeof k_phrases / sizeof *k_phrases, n_ends);
    if (!lex) {
        free(buf);
        set_err(err, "out of memory", NULL, 0);
        return HEARD_ENOMEM;
    }
    add_builtins(lex);
    if (path) {
        heard_status st = parse_tsv(lex, path, buf, len, err);
        free(buf);
        if (st != HEARD_OK) {
            heard_lexicon_free(lex);
            return st;
        }
    } else {
        for (size_t i = 0; i < sizeof k_core / sizeof *k_core; i++)
            put_token(lex, k_core[i].w, strlen(k_core[i].w), k_core[i].v);
    }
    if (merge_tables(lex) != 0) {
        heard_lexicon_free(lex);
        set_err(err, "out of memory", NULL, 0);
        return HEARD_ENOMEM;
    }
    *out = lex;
    return HEARD_OK;
}

void heard_lexicon_free(heard_lexicon *lex)
{
    if (!lex)
        return;
    free(lex->keys);
    free(lex->vals);
    free(lex->sp);
    free(lex->tab);
    free(lex->boost);
    free(lex);
}

float heard_lexicon_valence(const heard_lexicon *lex, uint64_t hash, int *found)
{
    float v = 0;
    bool f = lex && val_get(lex, hash, &v);
    if (found)
        *found = f;
    return f ? v : 0.0f;
}

void heard_lexicon_word(const heard_lexicon *lex, uint64_t hash, float *val, uint32_t *kind)
{
    const lex_entry *e = lex ? tab_get(lex, hash) : NULL;
    *val = e ? e->val : 0.0f; /* the table's 0 when the entry has no valence */
    *kind = e ? e->kind : 0;
}

size_t heard_lexicon_size(const heard_lexicon *lex)
{
    return lex ? lex->n : 0;
}

#include "lexicon_score.inc"
#include "lexicon_build.inc"

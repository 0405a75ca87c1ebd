/* tokenize.c - one pass over a turn's text into heard_tokens: words,
 * numbers, times, dates, URLs, e-mails, mentions, emoticons, emoji and
 * punctuation runs, each with its byte span in the original text, its folded
 * form and stem in an arena, sentence ids and the flags later stages need.
 *
 * Choices worth knowing (kept simple on purpose, VADER-like):
 * - Sentences end after '.', '!' and '?' runs and at line breaks, not after
 *   abbreviations (e.g., Mr., etc.) nor inside numbers (3.50). An ellipsis
 *   ends one only before a capital letter, a line break or the end. Closing
 *   quotes/brackets, emoticons and emoji right after the end stay with it.
 * - Negation scope: the next 3 words after a negator, cut by , . ; : ! ? and
 *   by but/however/although/though/except. In fixed phrases whose negator
 *   does not negate (no doubt, no wonder, no matter, not only, not just,
 *   never mind, nothing but, without doubt) neither word is a negator, nor
 *   is "no"/"nope" answering before a subject ("no you're right").
 *   hardly and barely are both negators and downtoners.
 * - "quite" counts as an intensifier (as in VADER's booster list).
 * - Lexical flags are looked up on the folded form, and on its collapsed
 *   form when a letter is repeated 3+ times ("soooo" -> "so").
 * - Informal spellings with one reading ("u", "dont", "thru", "tmrw";
 *   k_aliases) take the folded form, hash, stem and flags of the word they
 *   stand for, so later stages need not know them; the span is unchanged.
 * Nothing is allocated per token: arrays grow geometrically and are kept. */
#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "text.h"
#include "tokenize.h"

#define FNV_BASIS 1469598103934665603ull /* heard_hash(), computed inline below */
#define FNV_PRIME 1099511628211ull

/* ---- word flag table -------------------------------------------------- */

/* Internal flag bits above the public ones (never stored in tokens). */
enum {
    WX_PAIR = 1u << 12,     /* bit, little, tad, of: may close a two-word downtoner
                             * (set by the stem memo, not by the table) */
    WX_STOP = 1u << 13,     /* ends a negation scope: but, however */
    WX_DET = 1u << 14,      /* determiner before "kind of": what kind of */
    WX_MAYBE_TIME = 1u << 15, /* "may": time reference only when capitalised mid-sentence */
    WX_ALIAS = 1u << 11,    /* an informal spelling that stands for another word */
    WX_PUBLIC = WX_ALIAS - 1u
};
_Static_assert((unsigned)TF_CONTRACTION < (unsigned)WX_ALIAS, "internal word flags overlap heard_tok_flag");

typedef struct word_entry {
    const char *w;
    uint32_t flags;
} word_entry;

#define NEG TF_NEGATOR
#define INT TF_INTENSIFIER
#define DOWN TF_DOWNTONER
#define TIME TF_TIMEREF

static const word_entry k_words[] = {
    /* negators */
    {"not", NEG}, {"no", NEG}, {"never", NEG}, {"none", NEG}, {"nobody", NEG},
    {"nothing", NEG}, {"nowhere", NEG}, {"neither", NEG}, {"nor", NEG},
    {"cannot", NEG}, {"without", NEG}, {"nope", NEG},
    {"hardly", NEG | DOWN}, {"barely", NEG | DOWN},
    /* intensifiers (boosters) */
    {"really", INT}, {"very", INT}, {"so", INT}, {"extremely", INT},
    {"absolutely", INT}, {"totally", INT}, {"completely", INT},
    {"incredibly", INT}, {"super", INT}, {"such", INT}, {"too", INT},
    {"quite", INT}, {"highly", INT}, {"seriously", INT}, {"truly", INT},
    {"utterly", INT}, {"deeply", INT}, {"terribly", INT}, {"awfully", INT},
    {"hugely", INT}, {"insanely", INT}, {"ridiculously", INT},
    {"especially", INT}, {"particularly", INT}, {"remarkably", INT},
    {"exceptionally", INT}, {"entirely", INT}, {"fully", INT},
    {"thoroughly", INT}, {"tremendously", INT}, {"unbelievably", INT},
    {"majorly", INT}, {"hella", INT}, {"freaking", INT}, {"fricking", INT},
    {"frickin", INT}, {"effing", INT}, {"fucking", INT}, {"bloody", INT},
    {"sooo", INT}, {"soo", INT},
    /* downtoners (single words; "a bit", "kind of" ... are matched as pairs) */
    {"slightly", DOWN}, {"somewhat", DOWN}, {"kinda", DOWN}, {"sorta", DOWN},
    {"rather", DOWN}, {"fairly", DOWN}, {"partly", DOWN}, {"mildly", DOWN},
    {"marginally", DOWN}, {"almost", DOWN}, {"kind-of", DOWN}, {"sort-of", DOWN},
    /* time references */
    {"today", TIME}, {"tonight", TIME}, {"tomorrow", TIME}, {"2moro", TIME},
    {"2morrow", TIME}, {"2day", TIME}, {"yesterday", TIME}, {"asap", TIME},
    {"now", TIME}, {"soon", TIME}, {"monday", TIME}, {"tuesday", TIME},
    {"wednesday", TIME}, {"thursday", TIME}, {"friday", TIME},
    {"saturday", TIME}, {"sunday", TIME}, {"mondays", TIME}, {"tuesdays", TIME},
    {"wednesdays", TIME}, {"thursdays", TIME}, {"fridays", TIME},
    {"saturdays", TIME}, {"sundays", TIME}, {"tue", TIME}, {"tues", TIME},
    {"thu", TIME}, {"thur", TIME}, {"thurs", TIME}, {"fri", TIME},
    {"morning", TIME}, {"mornings", TIME}, {"afternoon", TIME},
    {"evening", TIME}, {"night", TIME}, {"midnight", TIME}, {"noon", TIME},
    {"overnight", TIME}, {"day", TIME}, {"days", TIME}, {"week", TIME},
    {"weeks", TIME}, {"weekend", TIME}, {"weekends", TIME}, {"weekday", TIME},
    {"month", TIME}, {"months", TIME}, {"year", TIME}, {"years", TIME},
    {"hour", TIME}, {"hours", TIME}, {"minute", TIME}, {"minutes", TIME},
    {"deadline", TIME}, {"deadlines", TIME}, {"eod", TIME}, {"eow", TIME},
    {"eom", TIME}, {"cob", TIME}, {"january", TIME}, {"february", TIME},
    {"march", TIME}, {"april", TIME}, {"june", TIME}, {"july", TIME},
    {"august", TIME}, {"september", TIME}, {"october", TIME},
    {"november", TIME}, {"december", TIME}, {"jan", TIME}, {"feb", TIME},
    {"apr", TIME}, {"jun", TIME}, {"jul", TIME}, {"aug", TIME}, {"sep", TIME},
    {"sept", TIME}, {"oct", TIME}, {"nov", TIME}, {"dec", TIME},
    {"may", WX_MAYBE_TIME},
    /* negation scope stoppers */
    {"but", WX_STOP}, {"however", WX_STOP}, {"although", WX_STOP},
    {"though", WX_STOP}, {"except", WX_STOP},
    /* determiners that make "kind of"/"sort of" literal */
    {"what", WX_DET}, {"this", WX_DET}, {"that", WX_DET}, {"any", WX_DET},
    {"some", WX_DET}, {"the", WX_DET}, {"a", WX_DET}, {"every", WX_DET},
    {"same", WX_DET}, {"which", WX_DET}, {"these", WX_DET}, {"those", WX_DET},
    {"all", WX_DET}, {"one", WX_DET}, {"another", WX_DET}, {"other", WX_DET},
    {"different", WX_DET}, {"what's", WX_DET}, {"whatever", WX_DET},
};

/* Informal spellings read as the word they stand for (WX_ALIAS): the cue
 * patterns, the lexicon and the features then see one word, not two. Only
 * spellings with one reading: not "its", "ill", "id", "were", "well", "lets",
 * "ur" (your or you're), "till" (at the till), nor those the lexicons
 * score themselves (thx, pls). */
static const struct {
    const char *w, *canon;
} k_aliases[] = {
    {"im", "i'm"}, {"ive", "i've"}, {"youre", "you're"}, {"youve", "you've"}, {"youll", "you'll"},
    {"youd", "you'd"}, {"theyre", "they're"}, {"theyve", "they've"}, {"theyll", "they'll"},
    {"theyd", "they'd"}, {"weve", "we've"}, {"hes", "he's"}, {"shes", "she's"},
    {"thats", "that's"}, {"whats", "what's"}, {"hows", "how's"}, {"wheres", "where's"},
    {"whos", "who's"}, {"theres", "there's"}, {"heres", "here's"}, {"itll", "it'll"},
    {"thatll", "that'll"}, {"shouldve", "should've"}, {"couldve", "could've"},
    {"wouldve", "would've"}, {"mustve", "must've"}, {"dont", "don't"}, {"doesnt", "doesn't"},
    {"didnt", "didn't"}, {"cant", "can't"}, {"couldnt", "couldn't"}, {"wouldnt", "wouldn't"},
    {"shouldnt", "shouldn't"}, {"wont", "won't"}, {"isnt", "isn't"}, {"wasnt", "wasn't"},
    {"arent", "aren't"}, {"werent", "weren't"}, {"havent", "haven't"}, {"hasnt", "hasn't"},
    {"hadnt", "hadn't"}, {"mustnt", "mustn't"}, {"neednt", "needn't"}, {"aint", "ain't"},
    {"u", "you"}, {"r", "are"}, {"thru", "through"}, {"thro", "through"}, {"tho", "though"},
    {"altho", "although"}, {"cuz", "because"}, {"cos", "because"}, {"coz", "because"},
    {"bc", "because"}, {"bcoz", "because"}, {"bcuz", "because"}, {"wat", "what"}, {"wut", "what"},
    {"wot", "what"}, {"ppl", "people"}, {"abt", "about"}, {"smth", "something"},
    {"sth", "something"}, {"sry", "sorry"}, {"srry", "sorry"}, {"soz", "sorry"},
    {"rly", "really"}, {"rlly", "really"}, {"nite", "night"}, {"tonite", "tonight"},
    {"tmrw", "tomorrow"}, {"tmr", "tomorrow"}, {"tmw", "tomorrow"}, {"tomoz", "tomorrow"},
    {"til", "until"}, {"msg", "message"}, {"gf", "girlfriend"}, {"bf", "boyfriend"},
    {"goin", "going"}, {"doin", "doing"}, {"feelin", "feeling"}, {"nothin", "nothing"},
    {"somethin", "something"}, {"tryin", "trying"}, {"gettin", "getting"}, {"waitin", "waiting"},
    {"talkin", "talking"}, {"thinkin", "thinking"}, {"lookin", "looking"}, {"sayin", "saying"},
    {"comin", "coming"}, {"havin", "having"}, {"workin", "working"}, {"tommorow", "tomorrow"},
    {"tommorrow", "tomorrow"}, {"tomorow", "tomorrow"}, {"recieve", "receive"},
    {"recieved", "received"}, {"recieving", "receiving"}, {"definately", "definitely"},
    {"wierd", "weird"}, {"untill", "until"}, {"becuase", "because"}, {"becasue", "because"},
    {"beacuse", "because"}, {"seperate", "separate"}, {"accross", "across"},
    {"occured", "occurred"}, {"adress", "address"}, {"b4", "before"}, {"acc", "account"},
    {"acct", "account"},
};

#undef NEG
#undef INT
#undef DOWN
#undef TIME

/* Abbreviations whose final '.' belongs to the word: mr mrs ms dr prof sr jr
 * st vs etc approx dept inc ltd co corp appt acct ref tel ext. A word of 2
 * to 6 bytes is packed, lower-cased, into a 64-bit key (byte k at bits 8k,
 * its length at bits 56..63) so that a switch on constants tests them all. */
#define AB_(a, b, c, d, e, f, n) \
    ((uint64_t)(a) | (uint64_t)(b) << 8 | (uint64_t)(c) << 16 | (uint64_t)(d) << 24 | \
     (uint64_t)(e) << 32 | (uint64_t)(f) << 40 | (uint64_t)(n) << 56)
#define AB2(a, b) AB_(a, b, 0, 0, 0, 0, 2)
#define AB3(a, b, c) AB_(a, b, c, 0, 0, 0, 3)
#define AB4(a, b, c, d) AB_(a, b, c, d, 0, 0, 4)
#define AB6(a, b, c, d, e, f) AB_(a, b, c, d, e, f, 6)

static bool abbrev_key(uint64_t key)
{
    switch (key) {
    case AB2('m', 'r'): case AB3('m', 'r', 's'): case AB2('m', 's'): case AB2('d', 'r'):
    case AB4('p', 'r', 'o', 'f'): case AB2('s', 'r'): case AB2('j', 'r'): case AB2('s', 't'):
    case AB2('v', 's'): case AB3('e', 't', 'c'): case AB6('a', 'p', 'p', 'r', 'o', 'x'):
    case AB4('d', 'e', 'p', 't'): case AB3('i', 'n', 'c'): case AB3('l', 't', 'd'):
    case AB2('c', 'o'): case AB4('c', 'o', 'r', 'p'): case AB4('a', 'p', 'p', 't'):
    case AB4('a', 'c', 'c', 't'): case AB3('r', 'e', 'f'): case AB3('t', 'e', 'l'):
    case AB3('e', 'x', 't'):
        return true;
    default:
        return false;
    }
}
#undef AB_
#undef AB2
#undef AB3
#undef AB4
#undef AB6

#define WORDTAB_SIZE 1024u /* power of two, > 2x the entries */

typedef struct wordtab_slot {
    uint64_t hash; /* 0: empty */
    const char *w;
    uint32_t len, flags;
    const char *canon; /* WX_ALIAS: the word w stands for */
} wordtab_slot;

struct heard_wordtab {
    wordtab_slot slot[WORDTAB_SIZE];
};

/* The slot of word w, claimed if new (a word listed twice adds its flags). */
static wordtab_slot *wordtab_put(struct heard_wordtab *wt, const char *w)
{
    uint64_t h = heard_hash(w, strlen(w));
    size_t p = (size_t)h & (WORDTAB_SIZE - 1);
    while (wt->slot[p].hash && wt->slot[p].hash != h)
        p = (p + 1) & (WORDTAB_SIZE - 1);
    wt->slot[p].hash = h;
    wt->slot[p].w = w;
    wt->slot[p].len = (uint32_t)strlen(w);
    return &wt->slot[p];
}

static struct heard_wordtab *wordtab_new(void)
{
    struct heard_wordtab *wt = calloc(1, sizeof *wt);
    if (!wt)
        return NULL;
    for (size_t k = 0; k < sizeof k_words / sizeof k_words[0]; k++)
        wordtab_put(wt, k_words[k].w)->flags |= k_words[k].flags;
    for (size_t k = 0; k < sizeof k_aliases / sizeof k_aliases[0]; k++) {
        wordtab_slot *e = wordtab_put(wt, k_aliases[k].w);
        e->flags = WX_ALIAS; /* nothing else: the canonical word has its own */
        e->canon = k_aliases[k].canon;
    }
    return wt;
}

static const wordtab_slot *wordtab_find(const struct heard_wordtab *wt, const char *w,
                                        size_t len, uint64_t h)
{
    size_t p = (size_t)h & (WORDTAB_SIZE - 1);
    while (wt->slot[p].hash) {
        if (wt->slot[p].hash == h && wt->slot[p].len == len &&
            memcmp(wt->slot[p].w, w, len) == 0)
            return &wt->slot[p];
        p = (p + 1) & (WORDTAB_SIZE - 1);
    }
    return NULL;
}

static uint32_t wordtab_get(const struct heard_wordtab *wt, const char *w, size_t len,
                            uint64_t h)
{
    const wordtab_slot *e = wordtab_find(wt, w, len, h);
    return e ? e->flags : 0;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem);

/* ---- word memo ------------------------------------------------------------ */

/* Snowball costs far more than the rest of tokenising a word, and turns
 * repeat the same few thousand words, so each buffer memoises, per folded
 * form (keyed by its hash), the stem, the lexical flags and the word info
 * of the bound annotator. The table grows to MEMO_MAX slots and is then
 * simply emptied when full. */
#define MEMO_MIN 4096u
#define MEMO_MAX 65536u
#define STEM_SAME UINT32_MAX /* stem_off when the stem is the word itself */
/* stem_off bit: the stem is a shorter prefix of the word ("thanks" ->
 * "thank"), so the token points into its own folded form and the memo
 * arena keeps only the stem's hash */
#define STEM_PREFIX 0x80000000u

typedef struct memo_slot {
    uint64_t hash; /* 0: empty */
    uint32_t stem_off;
    uint16_t lexflags;
    uint8_t norm_len, stem_len;
    heard_word_info wi; /* zero while no annotator is bound */
} memo_slot;

struct heard_stemcache {
    memo_slot *slot;
    size_t cap, n;       /* cap > 0 once heard_tokens_init succeeded */
    char *arena;         /* stems that differ from their word, each after its
                          * heard_hash (8 bytes, unaligned); only the hash for
                          * STEM_PREFIX stems */
    size_t alen, acap;
};

static void memo_free(struct heard_stemcache *m)
{
    if (m) {
        free(m->slot);
        free(m->arena);
        free(m);
    }
}

static const memo_slot *memo_get(const struct heard_stemcache *m, uint64_t h, size_t norm_len)
{
    size_t p = (size_t)h & (m->cap - 1);
    while (m->slot[p].hash) {
        if (m->slot[p].hash == h && m->slot[p].norm_len == norm_len)
            return &m->slot[p];
        p = (p + 1) & (m->cap - 1);
    }
    return NULL;
}

static void memo_place(memo_slot *tab, size_t cap, const memo_slot *e)
{
    size_t p = (size_t)e->hash & (cap - 1);
    while (tab[p].hash)
        p = (p + 1) & (cap - 1);
    tab[p] = *e;
}

/* Forget every entry (the arena too). */
static void memo_clear(struct heard_stemcache *m)
{
    if (m->cap)
        memset(m->slot, 0, m->cap * sizeof *m->slot);
    m->n = m->alen = 0;
}

/* Make room for one more entry; false when the memo cannot take it now. */
static bool memo_room(struct heard_stemcache *m)
{
    if (m->cap && (m->n + 1) * 10 <= m->cap * 7) /* load <= 0.7 */
        return true;
    if (m->cap >= MEMO_MAX) { /* full: forget everything, start again */
        memo_clear(m);
        return true;
    }
    size_t nc = m->cap ? m->cap * 2 : MEMO_MIN;
    memo_slot *tab = calloc(nc, sizeof *tab);
    if (!tab)
        return false;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slot[i].hash)
            memo_place(tab, nc, &m->slot[i]);
    free(m->slot);
    m->slot = tab;
    m->cap = nc;
    return true;
}

static void memo_put(struct heard_stemcache *m, uint64_t h, const char *norm, size_t norm_len,
                     const char *stem, size_t stem_len, uint64_t stem_hash, uint32_t lexflags,
                     const heard_word_info *wi)
{
    if (!h || norm_len > UINT8_MAX || stem_len > UINT8_MAX || !memo_room(m))
        return;
    memo_slot e = {.hash = h, .stem_off = STEM_SAME, .lexflags = (uint16_t)lexflags,
                   .norm_len = (uint8_t)norm_len, .stem_len = (uint8_t)stem_len, .wi = *wi};
    if (stem_len != norm_len || memcmp(stem, norm, stem_len) != 0) {
        bool prefix = stem_len < norm_len && memcmp(stem, norm, stem_len) == 0;
        size_t need = m->alen + sizeof stem_hash + (prefix ? 0 : stem_len);
        if (need >= STEM_PREFIX || grow((void **)&m->arena, &m->acap, need, 1))
            return;
        memcpy(m->arena + m->alen, &stem_hash, sizeof stem_hash);
        if (!prefix)
            memcpy(m->arena + m->alen + sizeof stem_hash, stem, stem_len);
        e.stem_off = (uint32_t)(m->alen + sizeof stem_hash) | (prefix ? STEM_PREFIX : 0);
        m->alen = need;
    }
    memo_place(m->slot, m->cap, &e);
    m->n++;
}

/* ---- buffer life cycle --------------------------------------------------- */

int heard_tokens_init(heard_tokens *t)
{
    memset(t, 0, sizeof *t);
    t->stemmer = sb_stemmer_new("english", NULL);
    t->words = wordtab_new();
    t->stems = calloc(1, sizeof *t->stems);
    if (t->stems && !memo_room(t->stems)) {
        free(t->stems);
        t->stems = NULL;
    }
    if (!t->stemmer || !t->words || !t->stems) {
        heard_tokens_free(t);
        return -1;
    }
    return 0;
}

void heard_tokens_bind(heard_tokens *t, const heard_annotator *annot)
{
    if (t->annot == annot)
        return;
    if (t->stems) /* its word infos are the old annotator's */
        memo_clear(t->stems);
    t->annot = annot;
}

void heard_tokens_free(heard_tokens *t)
{
    if (!t)
        return;
    free(t->tok);
    free(t->sent);
    free(t->norm);
    if (t->stemmer)
        sb_stemmer_delete(t->stemmer);
    free(t->words);
    memo_free(t->stems);
    memset(t, 0, sizeof *t);
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 64;
    while (nc < need) {
        if (nc > SIZE_MAX / 2 / elem)
            return -1;
        nc *= 2;
    }
    void *q = realloc(*p, nc * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = nc;
    return 0;
}

/* ---- character classes --------------------------------------------------- */

enum { C_SPACE = 1, C_ALPHA = 2, C_DIGIT = 4, C_UPPER = 8, C_PUNCT = 16, C_NL = 32,
       C_EMAILCH = 64, C_EMOSTART = 128 };

/* ASCII class table, built from ranges at compile time. */
#define R(c) ((c) >= 'A' && (c) <= 'Z' ? (C_ALPHA | C_UPPER | C_EMAILCH) \
    : (c) >= 'a' && (c) <= 'z' ? (C_ALPHA | C_EMAILCH) \
    : (c) >= '0' && (c) <= '9' ? (C_DIGIT | C_EMAILCH) \
    : (c) == ' ' || (c) == '\t' ? C_SPACE \
    : (c) == '\n' || (c) == '\r' || (c) == '\v' || (c) == '\f' ? (C_SPACE | C_NL) \
    : (c) == '.' || (c) == '_' || (c) == '%' || (c) == '+' ? (C_PUNCT | C_EMAILCH) \
    : (c) == '-' ? (C_PUNCT | C_EMAILCH | C_EMOSTART) \
    : (c) == ':' || (c) == ';' || (c) == '=' || (c) == '<' || (c) == '>' || (c) == '^' \
      ? (C_PUNCT | C_EMOSTART) \
    : (c) > 32 && (c) < 127 ? C_PUNCT : 0)
#define R4(c) R(c), R((c) + 1), R((c) + 2), R((c) + 3)
#define R16(c) R4(c), R4((c) + 4), R4((c) + 8), R4((c) + 12)
static const uint8_t k_ascii[128] = {
    R16(0), R16(16), R16(32), R16(48), R16(64), R16(80), R16(96), R16(112),
};
/* Bytes that, right after a word's letters, may continue it or make it an
 * e-mail address or domain: ' @ digits letters . _ % + - and every
 * non-ASCII byte (scan_plain_word() leaves those words to scan_word()). */
#undef R4
#define W(c) ((c) >= 128 || (c) == '\'' || (c) == '@' || (R(c) & C_EMAILCH))
#define R4(c) W(c), W((c) + 1), W((c) + 2), W((c) + 3)
static const bool k_word_goes_on[256] = {
    R16(0), R16(16), R16(32), R16(48), R16(64), R16(80), R16(96), R16(112),
    R16(128), R16(144), R16(160), R16(176), R16(192), R16(208), R16(224), R16(240),
};
#undef W
#undef R
#undef R4
#undef R16

static int acls(unsigned char c)
{
    return c < 128 ? k_ascii[c] : 0;
}

/* heard_utf8_next() with ASCII, nearly all the text, decoded inline. */
static inline int utf8_next(const char *s, size_t len, size_t i, int32_t *cp)
{
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    return heard_utf8_next(s, len, i, cp);
}

static inline bool is_ascii_letter(unsigned char c)
{
    return (unsigned char)((c | 0x20) - 'a') < 26u;
}

static bool cat_is_letter(int cat)
{
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

static bool cat_is_mark(int cat)
{
    return cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME;
}

static bool is_pictographic(int32_t cp)
{
    if (cp < 0x80)
        return false;
    switch (utf8proc_get_property(cp)->boundclass) {
    case UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC:
    case UTF8PROC_BOUNDCLASS_E_ZWG:
    case UTF8PROC_BOUNDCLASS_E_BASE:
    case UTF8PROC_BOUNDCLASS_E_BASE_GAZ:
    case UTF8PROC_BOUNDCLASS_GLUE_AFTER_ZWJ:
        return true;
    default:
        return false;
    }
}

static bool is_regional(int32_t cp)
{
    return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

static bool is_apostrophe(int32_t cp)
{
    return cp == '\'' || cp == 0x2019 || cp == 0x02BC;
}

/* Case-insensitive match of the lower-case literal lit at s[i]. */
#define ascii_ieq(s, len, i, lit) ascii_ieqn((s), (len), (i), (lit), sizeof(lit) - 1)
static bool ascii_ieqn(const char *s, size_t len, size_t i, const char *lit, size_t n)
{
    if (len - i < n)
        return false;
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)s[i + k];
        if (c >= 'A' && c <= 'Z')
            c += 32;
        if (c != (unsigned char)lit[k])
            return false;
    }
    return true;
}

/* ---- tokeniser state ----------------------------------------------------- */

typedef struct tk {
    heard_tokens *t;
    const char *s;
    size_t len;
    size_t sent_first;   /* first token of the open sentence */
    bool pending;        /* a terminator ended the sentence; break before next opener */
    bool hard;           /* a line break ended it */
    unsigned q, e;       /* '?' and '!' of the terminator run(s) */
    int neg_left;        /* words still in negation scope */
    size_t neg_tok;      /* the negator opening the scope */
    bool neg_first;      /* next word is the first after the negator */
    size_t w1, w2;       /* the two previous words of the sentence (SIZE_MAX: none) */
} tk;

static uint8_t sat8(unsigned v)
{
    return v > 255 ? 255 : (uint8_t)v;
}

static int close_sentence(tk *k)
{
    heard_tokens *t = k->t;
    if (t->n > k->sent_first) {
        if (grow((void **)&t->sent, &t->sent_cap, t->n_sent + 1, sizeof *t->sent))
            return -1;
        heard_sentence *se = &t->sent[t->n_sent++];
        se->first = (uint32_t)k->sent_first;
        se->last = (uint32_t)t->n;
        se->start = t->tok[k->sent_first].start;
        se->end = t->tok[t->n - 1].end;
        se->question = sat8(k->q);
        se->exclaim = sat8(k->e);
        uint16_t f = (uint16_t)((k->q ? TF_QUESTION : 0) | (k->e ? TF_EXCLAIM : 0));
        if (f)
            for (size_t i = k->sent_first; i < t->n; i++)
                t->tok[i].flags |= f;
    }
    k->sent_first = t->n;
    k->pending = k->hard = false;
    k->q = k->e = 0;
    k->neg_left = 0;
    k->neg_first = false;
    k->w1 = k->w2 = SIZE_MAX;
    return 0;
}

/* Reserve arena space; returns the write pointer or NULL. */
#if defined(__GNUC__) || defined(__clang__)
#define COLD __attribute__((cold, noinline))
#define HOT_INLINE inline __attribute__((always_inline)) /* once per word */
#else
#define COLD
#define HOT_INLINE inline
#endif

static COLD char *arena_grow(heard_tokens *t, size_t n)
{
    if (n > UINT32_MAX - t->norm_len) /* offsets are 32-bit */
        return NULL;
    if (grow((void **)&t->norm, &t->norm_cap, t->norm_len + n, 1))
        return NULL;
    /* the usable capacity stops at the last 32-bit offset (the block may
     * be larger), so arena_reserve() has one test to make */
    if (t->norm_cap > UINT32_MAX)
        t->norm_cap = UINT32_MAX;
    return t->norm + t->norm_len;
}

/* The test inline, the growth out of line: called for most tokens. */
static inline char *arena_reserve(heard_tokens *t, size_t n)
{
    if (n <= t->norm_cap - t->norm_len) /* norm_cap <= UINT32_MAX */
        return t->norm + t->norm_len;
    return arena_grow(t, n);
}

/* Fold s[0..n) into the arena at *off, *out bytes long; 0 or -1. */
static int arena_fold(heard_tokens *t, const char *s, size_t n, uint32_t *off, uint32_t *out,
                      uint64_t *hash)
{
    /* ASCII tokens (nearly all of them) are lowered and hashed here in one
     * go; the loop is heard_hash() inlined */
    char *d = arena_reserve(t, n);
    if (!d)
        return -1;
    size_t j = 0;
    uint64_t h = 1469598103934665603ull;
    for (; j < n; j++) {
        unsigned char c = (unsigned char)s[j];
        if (c >= 0x80)
            break;
        c = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        d[j] = (char)c;
        h = (h ^ c) * 1099511628211ull;
    }
    if (j == n) {
        *off = (uint32_t)t->norm_len;
        *out = (uint32_t)n;
        *hash = h;
        t->norm_len += n;
        return 0;
    }
    size_t want = n * 4 + 16;
    for (int tries = 0; tries < 3; tries++, want *= 2) {
        char *dst = arena_reserve(t, want);
        if (!dst)
            return -1;
        long w = heard_fold(s, n, dst, want);
        if (w >= 0) {
            *off = (uint32_t)t->norm_len;
            *out = (uint32_t)w;
            *hash = heard_hash(dst, (size_t)w);
            t->norm_len += (size_t)w;
            return 0;
        }
    }
    /* Not foldable (invalid input despite the contract): keep the bytes. */
    char *dst = arena_reserve(t, n);
    if (!dst)
        return -1;
    memcpy(dst, s, n);
    *off = (uint32_t)t->norm_len;
    *out = (uint32_t)n;
    *hash = heard_hash(dst, n);
    t->norm_len += n;
    return 0;
}

/* Flags of a folded word from the table, trying the collapsed spelling of
 * elongated words ("sooooo", "reallyyyy") when the plain form is unknown. */
static uint32_t lookup_flags(const heard_tokens *t, const char *w, size_t n, uint64_t h)
{
    uint32_t f = wordtab_get(t->words, w, n, h);
    if (f || n < 3 || n > 64)
        return f;
    bool rep = false;
    for (size_t i = 2; i < n && !rep; i++)
        rep = w[i] == w[i - 1] && w[i] == w[i - 2];
    if (!rep)
        return 0;
    char buf[64];
    for (int keep = 1; keep <= 2; keep++) {
        size_t m = 0;
        for (size_t i = 0; i < n;) {
            size_t r = 1;
            while (i + r < n && w[i + r] == w[i])
                r++;
            size_t copy = r >= 3 ? (size_t)keep : r; /* only elongations shrink */
            memset(buf + m, w[i], copy);
            m += copy;
            i += r;
        }
        f = wordtab_get(t->words, buf, m, heard_hash(buf, m)) & ~(uint32_t)WX_ALIAS;
        if (f)
            return f;
    }
    return 0;
}

static bool ends_with_nt(const char *w, size_t n)
{
    return n >= 4 && w[n - 3] == 'n' && w[n - 2] == '\'' && w[n - 1] == 't';
}

/* Negators whose following word makes a fixed, non-negating phrase. */
static bool negation_cancelled(const heard_tokens *t, size_t neg, size_t word)
{
#define P_(a, b) {a, b, sizeof a - 1, sizeof b - 1}
    static const struct { const char *neg, *next; uint8_t neg_len, next_len; } pairs[] = {
        P_("no", "doubt"), P_("no", "wonder"), P_("no", "matter"), P_("not", "only"),
        P_("not", "just"), P_("never", "mind"), P_("nothing", "but"), P_("without", "doubt"),
    };
#undef P_
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (heard_tok_is(t, neg, pairs[i].neg, pairs[i].neg_len) &&
            heard_tok_is(t, word, pairs[i].next, pairs[i].next_len))
            return true;
    /* "no"/"nope" before a subject is an answer, not a determiner: "no
     * you're not overreacting", "no it's great", "nope that's fine" */
    static const char *const subjects[] = {
        "i", "i'm", "i've", "i'd", "i'll", "you", "you're", "you've", "you'd", "you'll", "ur",
        "we", "we're", "we've", "he", "he's", "she", "she's", "they", "they're", "it", "it's",
        "its", "that", "that's", "this", "there", "there's", NULL,
    };
    return (heard_tok_is(t, neg, "no", 2) || heard_tok_is(t, neg, "nope", 4)) &&
           heard_tok_in(t, word, subjects);
}

/* Is token i (SIZE_MAX: none) the literal word w? */
#define is_word_tok(t, i, w) ((i) != SIZE_MAX && heard_tok_is((t), (i), (w), sizeof(w) - 1))

static bool is_pair_word(const char *w, size_t n)
{
    return (n == 3 && (memcmp(w, "bit", 3) == 0 || memcmp(w, "tad", 3) == 0)) ||
           (n == 6 && memcmp(w, "little", 6) == 0) || (n == 2 && memcmp(w, "of", 2) == 0);
}

/* Set tok's stem to stem[0..stem_len) (hash stem_hash): the word itself, a
 * prefix of it (no copy), or else a copy in the arena. stem must not point
 * into t->norm, which the copy may move. */
static inline int set_stem(heard_tokens *t, heard_token *tok, const char *stem, size_t stem_len,
                           uint64_t stem_hash, bool prefix)
{
    if (prefix) {
        tok->stem = tok->norm;
    } else {
        char *dst = arena_reserve(t, stem_len);
        if (!dst)
            return -1;
        memcpy(dst, stem, stem_len);
        tok->stem = (uint32_t)t->norm_len;
        t->norm_len += stem_len;
    }
    tok->stem_len = (uint32_t)stem_len;
    tok->stem_hash = stem_hash;
    return 0;
}

/* stem_and_lex() for a word the memo does not know: Snowball and the word
 * table, then memoised. */
static HOT_INLINE int stem_and_lex(heard_tokens *t, heard_token *tok, uint32_t *lexflags);

/* A token spelt informally ("u", "dont", "thru") becomes the word it
 * stands for: its folded form and hash are the canonical word's, so that
 * every later stage reads "you", "don't", "through". The span still points
 * at what was written. */
static COLD int unalias(heard_tokens *t, heard_token *tok, uint32_t *lexflags)
{
    const wordtab_slot *e = wordtab_find(t->words, t->norm + tok->norm, tok->norm_len, tok->hash);
    if (!e || !e->canon) { /* cannot happen: only table words carry WX_ALIAS */
        *lexflags = 0;
        return 0;
    }
    size_t n = strlen(e->canon);
    char *d = arena_reserve(t, n);
    if (!d)
        return -1;
    memcpy(d, e->canon, n);
    tok->norm = (uint32_t)t->norm_len;
    tok->norm_len = (uint32_t)n;
    tok->hash = heard_hash(d, n);
    t->norm_len += n;
    return stem_and_lex(t, tok, lexflags); /* canonical words are no aliases */
}

static COLD int stem_and_lex_slow(heard_tokens *t, heard_token *tok, uint32_t *lexflags)
{
    const char *w = t->norm + tok->norm;
    uint32_t f = lookup_flags(t, w, tok->norm_len, tok->hash);
    if (f & WX_ALIAS) { /* remembered as an alias, with nothing else */
        heard_word_info none = {0};
        memo_put(t->stems, tok->hash, w, tok->norm_len, w, tok->norm_len, tok->hash, WX_ALIAS,
                 &none);
        return unalias(t, tok, lexflags);
    }
    if (ends_with_nt(w, tok->norm_len))
        f |= TF_NEGATOR;
    if (is_pair_word(w, tok->norm_len))
        f |= WX_PAIR;
    *lexflags = f;
    const sb_symbol *st = sb_stemmer_stem(t->stemmer, (const sb_symbol *)w, (int)tok->norm_len);
    int n = st ? sb_stemmer_length(t->stemmer) : 0;
    const char *stem = (const char *)st;
    size_t stem_len = n > 0 ? (size_t)n : 0;
    if (!st || n <= 0)
        stem = w, stem_len = tok->norm_len;
    uint64_t stem_hash = heard_hash(stem, stem_len);
    if (t->annot)
        t->annot->fn(t->annot, w, tok->norm_len, tok->hash, stem_hash, &tok->wi);
    else
        memset(&tok->wi, 0, sizeof tok->wi);
    memo_put(t->stems, tok->hash, w, tok->norm_len, stem, stem_len, stem_hash, f, &tok->wi);
    if (stem_len == tok->norm_len && memcmp(stem, w, stem_len) == 0) {
        tok->stem = tok->norm;
        tok->stem_len = tok->norm_len;
        tok->stem_hash = tok->hash;
        return 0;
    }
    /* stem is the stemmer's buffer (not t->norm) unless it is the word */
    return set_stem(t, tok, stem, stem_len, stem_hash,
                    stem_len < tok->norm_len && memcmp(stem, w, stem_len) == 0);
}

/* Set tok's stem and return its lexical flags, from the memo or computed
 * and memoised. */
static HOT_INLINE int stem_and_lex(heard_tokens *t, heard_token *tok, uint32_t *lexflags)
{
    const memo_slot *m = memo_get(t->stems, tok->hash, tok->norm_len);
    if (!m)
        return stem_and_lex_slow(t, tok, lexflags);
    if (m->lexflags & WX_ALIAS)
        return unalias(t, tok, lexflags);
    *lexflags = m->lexflags;
    tok->wi = m->wi;
    uint32_t so = m->stem_off;
    if (so == STEM_SAME) {
        tok->stem = tok->norm;
        tok->stem_len = tok->norm_len;
        tok->stem_hash = tok->hash;
        return 0;
    }
    /* the memo arena, not t->norm */
    const char *stem = t->stems->arena + (so & ~STEM_PREFIX);
    uint64_t stem_hash;
    memcpy(&stem_hash, stem - sizeof stem_hash, sizeof stem_hash);
    return set_stem(t, tok, stem, m->stem_len, stem_hash, (so & STEM_PREFIX) != 0);
}

/* Word-level flags: lexical table, two-word downtoners, negation scope. */
static HOT_INLINE void word_flags(tk *k, size_t idx, uint32_t f)
{
    heard_tokens *t = k->t;
    heard_token *tok = &t->tok[idx];
    /* most words: no special flag, no negation scope open or opening */
    if (!(f & (WX_MAYBE_TIME | WX_PAIR | WX_STOP | TF_NEGATOR)) && !k->neg_first &&
        k->neg_left <= 0) {
        tok->flags |= (uint16_t)(f & WX_PUBLIC & ~(uint32_t)TF_NEGATED);
        k->w2 = k->w1;
        k->w1 = idx;
        return;
    }
    if ((f & WX_MAYBE_TIME) && (tok->flags & TF_CAPITAL) && idx != k->sent_first)
        f |= TF_TIMEREF;

    /* "a bit", "a little", "kind of", "sort of" (not "what kind of"); the
     * memo's WX_PAIR spares the other words these comparisons */
    if (f & WX_PAIR) {
        if ((heard_tok_is(t, idx, "bit", 3) || heard_tok_is(t, idx, "little", 6) ||
             heard_tok_is(t, idx, "tad", 3)) && (is_word_tok(t, k->w1, "a") ||
                                                  is_word_tok(t, k->w1, "little"))) {
            f |= TF_DOWNTONER;
            t->tok[k->w1].flags |= TF_DOWNTONER;
        } else if (heard_tok_is(t, idx, "of", 2) &&
                   (is_word_tok(t, k->w1, "kind") || is_word_tok(t, k->w1, "sort")) &&
                   !(k->w2 != SIZE_MAX &&
                     (lookup_flags(t, t->norm + t->tok[k->w2].norm, t->tok[k->w2].norm_len,
                                   t->tok[k->w2].hash) & WX_DET))) {
            f |= TF_DOWNTONER;
            t->tok[k->w1].flags |= TF_DOWNTONER;
        }
    }

    if (k->neg_first && negation_cancelled(t, k->neg_tok, idx)) {
        t->tok[k->neg_tok].flags &= (uint16_t)~TF_NEGATOR;
        k->neg_left = 0;
        f &= ~(uint32_t)TF_NEGATOR;
    }
    k->neg_first = false;
    if (f & WX_STOP)
        k->neg_left = 0;
    if (k->neg_left > 0) {
        tok->flags |= TF_NEGATED;
        k->neg_left--;
    }
    if (f & TF_NEGATOR) {
        k->neg_left = 3;
        k->neg_tok = idx;
        k->neg_first = true;
    }
    tok->flags |= (uint16_t)(f & WX_PUBLIC & ~(uint32_t)TF_NEGATED);
    k->w2 = k->w1;
    k->w1 = idx;
}

/* A token that may follow a sentence terminator without opening a new
 * sentence: closing quotes/brackets glued to it, emoticons, emoji, and
 * more terminators. */
static bool attaches_to_previous(const tk *k, size_t start, int type)
{
    if (type == TOK_EMOTICON || type == TOK_EMOJI)
        return true;
    if (type != TOK_PUNCT)
        return false;
    unsigned char c = (unsigned char)k->s[start];
    if (c == '!' || c == '?' || c == '.')
        return true;
    if (c >= 0x80) {
        int32_t cp;
        utf8_next(k->s, k->len, start, &cp);
        if (cp == 0x2019 || cp == 0x201D || cp == 0xBB || cp == 0x2026)
            return true;
    }
    bool glued = k->t->n > 0 && k->t->tok[k->t->n - 1].end == start;
    return glued && (c == '"' || c == '\'' || c == ')' || c == ']' || c == '}');
}

static uint16_t sent16(size_t n_sent)
{
    return (uint16_t)(n_sent > UINT16_MAX ? UINT16_MAX : n_sent);
}

/* The word part of push(): stem, lexical flags and negation scope of
 * tok = t->tok[idx], already counted in t->n. */
static HOT_INLINE int finish_word(tk *k, heard_token *tok, size_t idx)
{
    heard_tokens *t = k->t;
    uint32_t lex;
    if (stem_and_lex(t, tok, &lex))
        return -1;
    word_flags(k, idx, lex);
    t->n_words++;
    if (tok->flags & TF_ALLCAPS)
        t->n_allcaps++;
    return 0;
}

/* Before a token other than a word is pushed: close the sentence it does
 * not attach to, and make room for one more token. */
static HOT_INLINE int token_room(tk *k, size_t start, int type)
{
    heard_tokens *t = k->t;
    if ((k->hard || (k->pending && !attaches_to_previous(k, start, type))) &&
        close_sentence(k))
        return -1;
    if (t->n == t->cap && grow((void **)&t->tok, &t->cap, t->n + 1, sizeof *t->tok))
        return -1;
    return 0;
}

static int push(tk *k, size_t start, size_t end, int type, uint16_t flags, uint16_t emph)
{
    heard_tokens *t = k->t;
    if (token_room(k, start, type))
        return -1;
    size_t idx = t->n;
    heard_token *tok = &t->tok[idx];
    memset(tok, 0, sizeof *tok);
    tok->start = (uint32_t)start;
    tok->end = (uint32_t)end;
    tok->type = (uint16_t)type;
    tok->flags = flags;
    tok->emphasis = emph;
    tok->sent = sent16(t->n_sent);
    if (idx == k->sent_first)
        tok->flags |= TF_SENT_START;
    if (arena_fold(t, k->s + start, end - start, &tok->norm, &tok->norm_len, &tok->hash))
        return -1;
    t->n++;
    if (type == TOK_WORD)
        return finish_word(k, tok, idx);
    tok->stem = tok->norm;
    tok->stem_len = tok->norm_len;
    tok->stem_hash = tok->hash;
    if (type == TOK_TIME || type == TOK_DATE)
        tok->flags |= TF_TIMEREF;
    return 0;
}

/* push() of a token other than a word whose bytes are ASCII without
 * capitals, so its folded form is a copy (punctuation runs). */
static HOT_INLINE int push_unfolded(tk *k, size_t start, size_t end, int type, uint16_t emph)
{
    heard_tokens *t = k->t;
    if (token_room(k, start, type))
        return -1;
    char *d = arena_reserve(t, end - start);
    if (!d)
        return -1;
    uint64_t h = FNV_BASIS;
    for (size_t j = start; j < end; j++) {
        unsigned char c = (unsigned char)k->s[j];
        *d++ = (char)c;
        h = (h ^ c) * FNV_PRIME;
    }
    size_t idx = t->n;
    uint32_t norm = (uint32_t)t->norm_len, n = (uint32_t)(end - start);
    t->tok[idx] = (heard_token){.start = (uint32_t)start, .end = (uint32_t)end,
                                .norm = norm, .norm_len = n, .stem = norm, .stem_len = n,
                                .hash = h, .stem_hash = h, .type = (uint16_t)type,
                                .flags = idx == k->sent_first ? TF_SENT_START : 0,
                                .sent = sent16(t->n_sent), .emphasis = emph};
    t->norm_len += n;
    t->n++;
    return 0;
}

/* push() of a word whose folded form (hash h) the scanner has already
 * written to the arena's free space (t->norm + t->norm_len, room checked).
 * A word never attaches to a finished sentence. */
static inline int push_folded_word(tk *k, size_t start, size_t end, uint16_t flags, uint64_t h)
{
    heard_tokens *t = k->t;
    if ((k->hard || k->pending) && close_sentence(k))
        return -1;
    if (t->n == t->cap && grow((void **)&t->tok, &t->cap, t->n + 1, sizeof *t->tok))
        return -1;
    size_t idx = t->n;
    heard_token *tok = &t->tok[idx];
    if (idx == k->sent_first)
        flags |= TF_SENT_START;
    *tok = (heard_token){.start = (uint32_t)start, .end = (uint32_t)end,
                         .norm = (uint32_t)t->norm_len, .norm_len = (uint32_t)(end - start),
                         .hash = h, .type = TOK_WORD, .flags = flags, .sent = sent16(t->n_sent)};
    t->norm_len += end - start;
    t->n++;
    return finish_word(k, tok, idx);
}

/* ---- scanners: each returns the end of its token, or start when the text
 * at start is not of its kind ---------------------------------------------- */

static size_t skip_hspace(const char *s, size_t len, size_t i)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

static bool url_char(unsigned char c)
{
    if (c >= 0x80)
        return true;
    if (acls(c) & (C_SPACE))
        return false;
    return c > 32 && c != '<' && c != '>' && c != '"' && c != '`' && c != '{' &&
           c != '}' && c != '|' && c != '\\' && c != 127;
}

/* Trim punctuation that ends the sentence rather than the URL. */
static size_t url_trim(const char *s, size_t start, size_t end)
{
    size_t open = 0, close = 0;
    for (size_t i = start; i < end; i++) {
        open += s[i] == '(';
        close += s[i] == ')';
    }
    while (end > start) {
        char c = s[end - 1];
        if (c == ')' && close > open) {
            close--;
            end--;
        } else if (strchr(".,;:!?'\"]*", c)) {
            end--;
        } else {
            break;
        }
    }
    return end;
}

static size_t scan_url_tail(const char *s, size_t len, size_t i, size_t start)
{
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            int32_t cp;
            int n = utf8_next(s, len, i, &cp);
            int cat = utf8proc_category(cp);
            if (cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
                cat == UTF8PROC_CATEGORY_ZP || cat == UTF8PROC_CATEGORY_PI ||
                cat == UTF8PROC_CATEGORY_PF || is_pictographic(cp) || cp == 0x85)
                break;
            i += (size_t)n;
            continue;
        }
        if (!url_char(c))
            break;
        i++;
    }
    return url_trim(s, start, i);
}

static size_t scan_url(const char *s, size_t len, size_t i)
{
    size_t j;
    if (len - i < 4 || ((s[i + 1] | 0x20) != 't' && (s[i + 1] | 0x20) != 'w'))
        return i;
    if (ascii_ieq(s, len, i, "https://"))
        j = i + 8;
    else if (ascii_ieq(s, len, i, "http://"))
        j = i + 7;
    else if (ascii_ieq(s, len, i, "www."))
        j = i + 4;
    else
        return i;
    if (j >= len || !(acls((unsigned char)s[j]) & (C_ALPHA | C_DIGIT)))
        return i;
    size_t end = scan_url_tail(s, len, j, i);
    return end > j ? end : i;
}

static bool known_tld(const char *s, size_t n)
{
    static const char *const tlds[] = {"com", "org", "net", "io", "gov", "edu", "info",
                                       "biz", "app", "dev", "uk", "ca", "au", "nz"};
    for (size_t k = 0; k < sizeof tlds / sizeof tlds[0]; k++)
        if (strlen(tlds[k]) == n && ascii_ieqn(s, n, 0, tlds[k], n))
            return true;
    return false;
}

/* Domain at s[i]: labels of [A-Za-z0-9-] joined by dots, >= 2 labels, last
 * one alphabetic of >= 2 letters. Returns its end or i. */
static size_t scan_domain(const char *s, size_t len, size_t i, size_t *last_label)
{
    size_t j = i, end = i, labels = 0;
    for (;;) {
        size_t ls = j;
        bool alpha = true;
        while (j < len && ((acls((unsigned char)s[j]) & (C_ALPHA | C_DIGIT)) || s[j] == '-')) {
            alpha = alpha && (acls((unsigned char)s[j]) & C_ALPHA);
            j++;
        }
        if (j == ls)
            break;
        labels++;
        if (labels >= 2 && alpha && j - ls >= 2) {
            end = j;
            *last_label = ls;
        }
        if (j + 1 < len && s[j] == '.' && (acls((unsigned char)s[j + 1]) & (C_ALPHA | C_DIGIT)))
            j++;
        else
            break;
    }
    return end;
}

static size_t scan_email(const char *s, size_t len, size_t i)
{
    size_t j = i;
    while (j < len && (acls((unsigned char)s[j]) & C_EMAILCH))
        j++;
    if (j == i || j >= len || s[j] != '@' || s[j - 1] == '.')
        return i;
    size_t ll;
    size_t end = scan_domain(s, len, j + 1, &ll);
    return end > j + 1 ? end : i;
}

/* Bare web address with a well-known top-level domain: amazon.com/help */
static size_t scan_bare_domain(const char *s, size_t len, size_t i)
{
    size_t ll = 0;
    size_t end = scan_domain(s, len, i, &ll);
    if (end == i || !known_tld(s + ll, end - ll))
        return i;
    if (end < len && (acls((unsigned char)s[end]) & (C_ALPHA | C_DIGIT)))
        return i;
    if (end < len && s[end] == '/')
        return scan_url_tail(s, len, end, i);
    return end;
}

/* Emoticons, longest first within a shared prefix. */
#define EMO(x) {x, sizeof x - 1}
static const struct emoticon {
    const char *s;
    size_t n;
} k_emoticons[] = {
    EMO(">:-("), EMO(">:("), EMO(":'-("), EMO(":'("), EMO(":')"), EMO(":-)"),
    EMO(":-("), EMO(":-D"), EMO(":-P"), EMO(":-p"), EMO(":-/"), EMO(":-O"),
    EMO(":-o"), EMO(":-|"), EMO(":-*"), EMO(";-)"), EMO(":)"), EMO(":("), EMO(":D"),
    EMO(":P"), EMO(":p"), EMO(":/"), EMO(":\\"), EMO(":O"), EMO(":o"), EMO(":|"),
    EMO(":*"), EMO(":]"), EMO(":["), EMO(":@"), EMO(":S"), EMO(":$"), EMO(";)"),
    EMO(";("), EMO(";D"), EMO(";P"), EMO("=)"), EMO("=("), EMO("=D"), EMO("</3"),
    EMO("<3"), EMO("^_^"), EMO("^^"), EMO("-_-"), EMO("T_T"), EMO("o_O"),
    EMO("O_o"), EMO("o.O"), EMO("xD"), EMO("XD"),
};
#undef EMO

static size_t scan_emoticon(const char *s, size_t len, size_t i)
{
    unsigned char c0 = (unsigned char)s[i];
    if (acls(c0) & C_ALPHA) {
        /* letter-initial ones must not be glued to a preceding word */
        if (i > 0 && (acls((unsigned char)s[i - 1]) & (C_ALPHA | C_DIGIT)))
            return i;
    }
    for (size_t k = 0; k < sizeof k_emoticons / sizeof k_emoticons[0]; k++) {
        const char *e = k_emoticons[k].s;
        size_t n = k_emoticons[k].n;
        if ((unsigned char)e[0] != c0 || len - i < n || memcmp(s + i, e, n) != 0)
            continue;
        size_t j = i + n;
        char mouth = e[n - 1];
        /* ":)))" and ":(((" are one emoticon */
        if (strchr(")(DP]", mouth))
            while (j < len && s[j] == mouth)
                j++;
        if (j < len) {
            unsigned char nx = (unsigned char)s[j];
            if (acls(nx) & (C_ALPHA | C_DIGIT))
                continue;
            if (mouth == '/' && (nx == '/' || nx == '\\'))
                continue;
            if (mouth == '\\' && (nx == '/' || nx == '\\'))
                continue;
        }
        return j;
    }
    return i;
}

static size_t scan_emoji(const char *s, size_t len, size_t i)
{
    int32_t cp;
    size_t j = i + (size_t)utf8_next(s, len, i, &cp);
    if (is_regional(cp)) {
        int32_t cp2;
        if (j < len) {
            int n = utf8_next(s, len, j, &cp2);
            if (is_regional(cp2))
                j += (size_t)n;
        }
        return j;
    }
    if (!is_pictographic(cp))
        return i;
    if (cp < 0x2000 || cp == 0x2122) { /* (c), (r), TM are emoji only with VS16 */
        int32_t nx = 0;
        if (j < len)
            utf8_next(s, len, j, &nx);
        if (nx != 0xFE0F)
            return i;
    }
    while (j < len) {
        int n = utf8_next(s, len, j, &cp);
        if (cp == 0x200D) {
            int32_t nx = 0;
            if (j + (size_t)n >= len)
                break;
            int m = utf8_next(s, len, j + (size_t)n, &nx);
            if (!is_pictographic(nx))
                break;
            j += (size_t)n + (size_t)m;
            continue;
        }
        if (cp == 0xFE0F || cp == 0xFE0E || (cp >= 0x1F3FB && cp <= 0x1F3FF) ||
            (cp >= 0xE0020 && cp <= 0xE007F) || cp == 0x20E3 ||
            (cp >= 0x80 && utf8proc_get_property(cp)->boundclass == UTF8PROC_BOUNDCLASS_EXTEND)) {
            j += (size_t)n;
            continue;
        }
        break;
    }
    return j;
}

/* Keycap emoji: [0-9#*] VS16? U+20E3 */
static size_t scan_keycap(const char *s, size_t len, size_t i)
{
    size_t j = i + 1;
    int32_t cp = 0;
    if (j < len && utf8_next(s, len, j, &cp) == 3 && cp == 0xFE0F)
        j += 3;
    if (j < len && utf8_next(s, len, j, &cp) == 3 && cp == 0x20E3)
        return j + 3;
    return i;
}

static size_t digits(const char *s, size_t len, size_t i)
{
    while (i < len && (acls((unsigned char)s[i]) & C_DIGIT))
        i++;
    return i;
}

static bool alnum_at(const char *s, size_t len, size_t i)
{
    return i < len && (acls((unsigned char)s[i]) & (C_ALPHA | C_DIGIT));
}

/* am/pm marker at s[i] ("am", "pm", "a.m.", "p.m."), returns its end or i. */
static size_t scan_ampm(const char *s, size_t len, size_t i)
{
    if (i >= len)
        return i;
    char c = (char)(s[i] | 0x20);
    if (c != 'a' && c != 'p')
        return i;
    if (ascii_ieq(s, len, i + 1, ".m.") )
        return i + 4;
    if (i + 1 < len && (s[i + 1] | 0x20) == 'm' && !alnum_at(s, len, i + 2))
        return i + 2;
    return i;
}

/* Currency sign at s[i]: its byte length, else 0. */
static int currency_len(const char *s, size_t len, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c == '$')
        return 1;
    int32_t cp;
    if (c < 0x80)
        return 0;
    int n = utf8_next(s, len, i, &cp);
    return cp == 0xA3 || cp == 0x20AC || cp == 0xA5 || cp == 0x20B9 ? n : 0;
}

/* Number, time or date starting at s[i] (digit, or currency then digit).
 * *type receives the kind; returns start when letters follow the digits and
 * the whole thing should be read as a word ("4ever", "mp3" never get here). */
static size_t scan_number(const char *s, size_t len, size_t i, int *type)
{
    int cl = currency_len(s, len, i);
    size_t d0 = i + (size_t)cl;
    size_t j = digits(s, len, d0);
    size_t nd = j - d0;
    *type = TOK_NUMBER;
    if (!cl) {
        /* 2026-03-02 */
        if (nd == 4 && j + 1 < len && s[j] == '-') {
            size_t a = digits(s, len, j + 1);
            if (a - (j + 1) >= 1 && a - (j + 1) <= 2 && a + 1 < len && s[a] == '-') {
                size_t b = digits(s, len, a + 1);
                if (b - (a + 1) >= 1 && b - (a + 1) <= 2 && !alnum_at(s, len, b)) {
                    *type = TOK_DATE;
                    return b;
                }
            }
        }
        /* 3/4, 3/4/2026, 2026/03/02 */
        if ((nd <= 2 || nd == 4) && j + 1 < len && s[j] == '/') {
            size_t a = digits(s, len, j + 1);
            if (a - (j + 1) >= 1 && a - (j + 1) <= 2) {
                size_t end = a;
                if (a + 1 < len && s[a] == '/') {
                    size_t b = digits(s, len, a + 1);
                    if (b - (a + 1) == 2 || b - (a + 1) == 4)
                        end = b;
                }
                if (!alnum_at(s, len, end) && !(end < len && s[end] == '/')) {
                    /* "24/7" is round the clock, not 24 July */
                    bool round_clock = end - i == 4 && memcmp(s + i, "24/7", 4) == 0;
                    *type = round_clock ? TOK_NUMBER : TOK_DATE;
                    return end;
                }
            }
        }
        /* 17:30, 5:30pm, 10:00:00 */
        if (nd <= 2 && j + 2 < len && s[j] == ':') {
            size_t a = digits(s, len, j + 1);
            if (a - (j + 1) == 2) {
                size_t end = a;
                if (end + 2 < len && s[end] == ':' && digits(s, len, end + 1) - (end + 1) == 2)
                    end += 3;
                size_t sp = (end < len && s[end] == ' ') ? end + 1 : end;
                size_t ap = scan_ampm(s, len, sp);
                if (ap > sp)
                    end = ap;
                if (!alnum_at(s, len, end)) {
                    *type = TOK_TIME;
                    return end;
                }
            }
        }
        /* 5pm, 5 pm, 9.30am, 9:30 handled above */
        if (nd >= 1 && nd <= 2) {
            size_t e = j;
            if (e + 2 < len && s[e] == '.' && digits(s, len, e + 1) - (e + 1) == 2)
                e += 3;
            size_t sp = (e < len && s[e] == ' ') ? e + 1 : e;
            size_t ap = scan_ampm(s, len, sp);
            if (ap > sp) {
                *type = TOK_TIME;
                return ap;
            }
        }
        /* 1st, 2nd, 3rd, 12th */
        if (nd >= 1 && nd <= 2 && j + 2 <= len) {
            static const char *const suf[] = {"st", "nd", "rd", "th"};
            for (int k = 0; k < 4; k++)
                if (ascii_ieqn(s, len, j, suf[k], 2) && !alnum_at(s, len, j + 2)) {
                    *type = TOK_DATE;
                    return j + 2;
                }
        }
    }
    /* 1,000,000 then decimals 3.50 (and 1.2.3) */
    while (j + 3 < len && s[j] == ',' && digits(s, len, j + 1) - (j + 1) == 3)
        j += 4;
    while (j + 1 < len && (s[j] == '.' || (s[j] == ',' && digits(s, len, j + 1) - (j + 1) <= 2)) &&
           (acls((unsigned char)s[j + 1]) & C_DIGIT))
        j = digits(s, len, j + 1);
    if (j < len && s[j] == '%') {
        j++;
    } else if (cl && j < len && (s[j] | 0x20) == 'k' && !alnum_at(s, len, j + 1)) {
        j++;
    } else if (!cl && j < len && currency_len(s, len, j) && s[j] != '$') {
        j += (size_t)currency_len(s, len, j); /* 20€ */
    } else if (!cl && alnum_at(s, len, j)) {
        return i; /* a word such as 4ever or 2nd-hand: let the word scanner have it */
    } else if (!cl && j < len && (unsigned char)s[j] >= 0x80) {
        int32_t cp;
        utf8_next(s, len, j, &cp);
        if (cat_is_letter(utf8proc_category(cp)))
            return i;
    }
    return j;
}

typedef struct word_info {
    unsigned letters, upper;
    bool first_upper, apostrophe;
} word_info;

/* Classify the code point at s[i] for word scanning: 1 letter (upper in
 * *up), 2 digit/mark (part of a word but not a letter), 0 other. */
static int word_char(const char *s, size_t len, size_t i, int *n, bool *up)
{
    unsigned char c = (unsigned char)s[i];
    *up = false;
    if (c < 0x80) {
        *n = 1;
        int a = k_ascii[c];
        if (a & C_ALPHA) {
            *up = (a & C_UPPER) != 0;
            return 1;
        }
        return (a & C_DIGIT) ? 2 : 0;
    }
    int32_t cp;
    *n = utf8_next(s, len, i, &cp);
    if (cp == 0x02BC) /* modifier apostrophe: treated as an apostrophe */
        return 0;
    int cat = utf8proc_category(cp);
    if (cat_is_letter(cat)) {
        *up = cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
        return 1;
    }
    if (cat_is_mark(cat) || cat == UTF8PROC_CATEGORY_ND)
        return 2;
    return 0;
}

static bool is_abbrev(const char *s, size_t n)
{
    if (n < 2 || n > 6) /* every abbreviation has 2 to 6 letters */
        return false;
    uint64_t key = (uint64_t)n << 56;
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)s[k];
        key |= (uint64_t)(c >= 'A' && c <= 'Z' ? c + 32 : c) << (8 * k);
    }
    return abbrev_key(key);
}

static size_t scan_word(const char *s, size_t len, size_t i, word_info *wi)
{
    size_t j = i;
    unsigned letters = 0, upper = 0;
    bool first_upper = false, apostrophe = false;
    int n;
    bool up;
    while (j < len) {
        unsigned char c = (unsigned char)s[j];
        if ((unsigned char)(c - 'a') < 26u) { /* most bytes of most words */
            size_t j0 = j;
            while (++j < len && (unsigned char)(s[j] - 'a') < 26u)
                ;
            letters += (unsigned)(j - j0);
            continue;
        }
        if (c < 0x80) {
            int a = k_ascii[c];
            if (a & C_ALPHA) {
                up = (a & C_UPPER) != 0;
                first_upper = letters ? first_upper : up;
                letters++;
                upper += up;
                j++;
                continue;
            }
            if (a & C_DIGIT) {
                j++;
                continue;
            }
            if (c != '\'' && c != '-')
                break;
        } else {
            int k = word_char(s, len, j, &n, &up);
            if (k) {
                if (k == 1) {
                    first_upper = letters ? first_upper : up;
                    letters++;
                    upper += up;
                }
                j += (size_t)n;
                continue;
            }
        }
        /* inner apostrophe or hyphen followed by a letter */
        int32_t cp;
        int m = utf8_next(s, len, j, &cp);
        bool apo = is_apostrophe(cp);
        bool hyph = cp == '-' || cp == 0x2010 || cp == 0x2011;
        if ((apo || hyph) && j > i && j + (size_t)m < len) {
            int n2;
            bool up2;
            if (word_char(s, len, j + (size_t)m, &n2, &up2) == 1) {
                apostrophe = apostrophe || apo;
                j += (size_t)m;
                continue;
            }
        }
        break;
    }
    wi->letters = letters;
    wi->upper = upper;
    wi->first_upper = first_upper;
    wi->apostrophe = apostrophe;
    if (j < len && s[j] == '.') {
        /* e.g. i.e. U.S.A. a.m.: single letters joined by dots */
        if (j - i == 1 && wi->letters == 1 && j + 2 <= len &&
            (acls((unsigned char)s[j + 1]) & C_ALPHA) &&
            (j + 2 == len || s[j + 2] == '.')) {
            while (j + 2 <= len && s[j] == '.' && (acls((unsigned char)s[j + 1]) & C_ALPHA) &&
                   (j + 2 == len || s[j + 2] == '.' || !alnum_at(s, len, j + 2))) {
                wi->letters++;
                wi->upper += (acls((unsigned char)s[j + 1]) & C_UPPER) != 0;
                j += 2;
            }
            if (j < len && s[j] == '.')
                j++;
        } else if (is_abbrev(s + i, j - i)) {
            j++;
        }
    }
    return j;
}

/* Punctuation run at s[i]: !/? mixed, dots and ellipses, else repeats of
 * the same character. */
static size_t scan_punct(const char *s, size_t len, size_t i, int32_t *first, unsigned *q,
                         unsigned *e)
{
    int32_t c0;
    size_t j = i + (size_t)utf8_next(s, len, i, &c0);
    *first = c0;
    *q = *e = 0;
    if (c0 == '!' || c0 == '?' || c0 == 0xFF01 || c0 == 0xFF1F) {
        *q = c0 == '?' || c0 == 0xFF1F;
        *e = c0 == '!' || c0 == 0xFF01;
        while (j < len) {
            int32_t cp;
            int n = utf8_next(s, len, j, &cp);
            if (cp == '!' || cp == 0xFF01)
                (*e)++;
            else if (cp == '?' || cp == 0xFF1F)
                (*q)++;
            else
                break;
            j += (size_t)n;
        }
        return j;
    }
    bool dots = c0 == '.' || c0 == 0x2026;
    while (j < len) {
        int32_t cp;
        int n = utf8_next(s, len, j, &cp);
        if (dots ? !(cp == '.' || cp == 0x2026) : cp != c0)
            break;
        j += (size_t)n;
    }
    return j;
}

/* After an ellipsis: does the sentence end here? */
static bool ellipsis_ends(const char *s, size_t len, size_t j)
{
    j = skip_hspace(s, len, j);
    if (j >= len || s[j] == '\n' || s[j] == '\r')
        return true;
    int n;
    bool up;
    return word_char(s, len, j, &n, &up) == 1 && up;
}

/* ---- main loop ----------------------------------------------------------- */

static void reset(heard_tokens *t)
{
    t->n = t->n_sent = t->norm_len = 0;
    t->n_words = t->n_allcaps = t->n_letters = t->n_upper = t->n_emoji = 0;
}

/* Whitespace and invisible characters: byte length to skip (0 if not),
 * *nl set for line breaks. */
static int skip_len(const char *s, size_t len, size_t i, bool *nl)
{
    unsigned char c = (unsigned char)s[i];
    *nl = false;
    if (c < 0x80) {
        int a = k_ascii[c];
        if (a & C_SPACE) {
            *nl = (a & C_NL) != 0;
            return 1;
        }
        return (c < 32 || c == 127) ? 1 : 0;
    }
    int32_t cp;
    int n = utf8_next(s, len, i, &cp);
    if (cp == 0x85 || cp == 0x2028 || cp == 0x2029) {
        *nl = true;
        return n;
    }
    int cat = utf8proc_category(cp);
    if (cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_CC ||
        cat == UTF8PROC_CATEGORY_CF || cp == 0xFE0F || cp == 0xFE0E)
        return n;
    return 0;
}

static int emit_word(tk *k, size_t i, size_t end, const word_info *wi)
{
    uint16_t f = 0;
    if (wi->first_upper)
        f |= TF_CAPITAL;
    if (wi->letters >= 2 && wi->upper == wi->letters)
        f |= TF_ALLCAPS;
    if (wi->apostrophe)
        f |= TF_CONTRACTION;
    k->t->n_letters += wi->letters;
    k->t->n_upper += wi->upper;
    if (push(k, i, end, TOK_WORD, f, 0))
        return -1;
    /* "etc." closes a sentence when a capital follows */
    if (end - i == 4 && k->s[end - 1] == '.' && ascii_ieq(k->s, k->len, i, "etc.") &&
        ellipsis_ends(k->s, k->len, end))
        k->pending = true;
    return 0;
}

/* Push s[i..end) as a token of a kind that needs no further state. */
static int emit(tk *k, size_t *pi, size_t end, int type)
{
    size_t i = *pi;
    if (end <= i) { /* never stall, whatever the input */
        int32_t cp;
        end = i + (size_t)utf8_next(k->s, k->len, i, &cp);
    }
    *pi = end;
    if (type == TOK_EMOJI)
        k->t->n_emoji++;
    return push(k, i, end, type, 0, 0);
}

static int emit_scanned_word(tk *k, size_t *pi)
{
    word_info wi;
    size_t i = *pi, end = scan_word(k->s, k->len, i, &wi);
    if (end <= i) {
        int32_t cp;
        end = i + (size_t)utf8_next(k->s, k->len, i, &cp);
    }
    *pi = end;
    return emit_word(k, i, end, &wi);
}

/* A punctuation run: its emphasis, negation scope and sentence end. */
static int emit_punct(tk *k, size_t *pi)
{
    const char *s = k->s;
    size_t len = k->len, i = *pi;
    unsigned q, e;
    int32_t c0;
    size_t end = scan_punct(s, len, i, &c0, &q, &e);
    *pi = end;
    bool was_pending = k->pending;
    uint16_t emph = (uint16_t)(e > UINT16_MAX ? UINT16_MAX : e);
    bool ascii = true;
    for (size_t j = i; j < end && ascii; j++)
        ascii = (unsigned char)s[j] < 0x80;
    if (ascii ? push_unfolded(k, i, end, TOK_PUNCT, emph) : push(k, i, end, TOK_PUNCT, 0, emph))
        return -1;
    if (c0 == ',' || c0 == '.' || c0 == ';' || c0 == ':' || q || e || c0 == 0x2026)
        k->neg_left = 0;
    if (q || e) {
        k->pending = true;
        k->q = (was_pending ? k->q : 0) + q;
        k->e = (was_pending ? k->e : 0) + e;
    } else if (c0 == '.' || c0 == 0x2026) {
        if (end - i == 1 || ellipsis_ends(s, len, end)) {
            if (!was_pending)
                k->q = k->e = 0;
            k->pending = true;
        }
    }
    return 0;
}


#if (defined(__GNUC__) || defined(__clang__)) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SWAR_WORDS 1 /* 8 bytes at a time: needs little-endian loads and ctz */
#define BYTES(b) (0x0101010101010101ull * (b))

static inline uint64_t load64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* An apostrophe at s[j] that continues the word, as in scan_word(): ASCII
 * and followed by an ASCII letter (a non-ASCII one is scan_word()'s). */
static inline bool inner_apostrophe(const char *s, size_t len, size_t j)
{
    return s[j] == '\'' && j + 1 < len && is_ascii_letter((unsigned char)s[j + 1]);
}

/* Folds and hashes, 8 bytes at a time, the ASCII letters and inner
 * apostrophes from s[i] (a letter) to d, which has room for len - i + 8
 * bytes (whole groups are stored); len >= 8. Returns the end of the word,
 * *h, *upper and *apos updated. */
static inline size_t fold_word8(const char *s, size_t len, size_t i, char *d, uint64_t *ph,
                                unsigned *upper, unsigned *apos)
{
    uint64_t h = *ph;
    size_t j = i;
    while (j < len) {
        size_t rem = len - j;
        /* the last bytes of the text, shifted down, zeros above */
        uint64_t v = rem >= 8 ? load64(s + j) : load64(s + len - 8) >> (8 * (8 - rem));
        /* per byte: bit 7 set when an ASCII letter (either case); a byte
         * >= 0x80 may carry into the bytes above it, which no longer count */
        uint64_t u = v | BYTES(0x20);
        uint64_t letter = (u + BYTES(0x80 - 'a')) & ~(u + BYTES(0x80 - 'z' - 1)) & ~v &
                          BYTES(0x80);
        uint64_t stop = letter ^ BYTES(0x80);
        unsigned n = stop ? (unsigned)__builtin_ctzll(stop) >> 3 : 8;
        /* capitals (bit 5 clear) among the n letters: rarely more than one */
        for (uint64_t up = letter & ~(v << 2) & ((stop & (0 - stop)) - 1); up; up &= up - 1)
            (*upper)++;
        uint64_t fv = v | (letter >> 2);
        memcpy(d + (j - i), &fv, sizeof fv);
        j += n;
        switch (n) { /* heard_hash() of the n bytes, first byte first */
        case 8: h = (h ^ (fv & 0xff)) * FNV_PRIME; fv >>= 8; /* fall through */
        case 7: h = (h ^ (fv & 0xff)) * FNV_PRIME; fv >>= 8; /* fall through */
        case 6: h = (h ^ (fv & 0xff)) * FNV_PRIME; fv >>= 8; /* fall through */
        case 5: h = (h ^ (fv & 0xff)) * FNV_PRIME; fv >>= 8; /* fall through */
        case 4: h = (h ^ (fv & 0xff)) * FNV_PRIME; fv >>= 8; /* fall through */
        case 3: h = (h ^ (fv & 0xff)) * FNV_PRIME; fv >>= 8; /* fall through */
        case 2: h = (h ^ (fv & 0xff)) * FNV_PRIME; fv >>= 8; /* fall through */
        case 1: h = (h ^ (fv & 0xff)) * FNV_PRIME; /* fall through */
        default: break;
        }
        if (n == 8)
            continue;
        if (j >= len || !inner_apostrophe(s, len, j))
            break;
        h = (h ^ '\'') * FNV_PRIME; /* the group stored it as it is */
        (*apos)++;
        j++;
    }
    *ph = h;
    return j;
}
#endif

/* fold_word8() one byte at a time, for any len. */
static inline size_t fold_word1(const char *s, size_t len, size_t i, char *d, uint64_t *ph,
                                unsigned *upper, unsigned *apos)
{
    uint64_t h = *ph;
    size_t j = i;
    while (j < len) {
        unsigned char c = (unsigned char)s[j];
        if ((unsigned char)((c | 0x20) - 'a') >= 26u) {
            if (!inner_apostrophe(s, len, j))
                break;
            (*apos)++;
        } else {
            *upper += c < 'a';
            c |= 0x20;
        }
        d[j++ - i] = (char)c;
        h = (h ^ c) * FNV_PRIME;
    }
    *ph = h;
    return j;
}

/* is_abbrev() of n bytes already folded at d, which has 8 readable bytes. */
static inline bool is_folded_abbrev(const char *d, size_t n)
{
    if (n < 2 || n > 6)
        return false;
#ifdef SWAR_WORDS
    return abbrev_key((load64(d) & (~0ull >> (64 - 8 * n))) | (uint64_t)n << 56);
#else
    return is_abbrev(d, n);
#endif
}

/* The common word: ASCII letters, maybe with inner ASCII apostrophes
 * (don't), ended by the text's end, a full stop, or a character that
 * continues neither a word nor an e-mail address (space, most
 * punctuation). It is folded and hashed into the arena's free space while
 * scanned, so push() need not read it again. s[i] is a letter. Returns the
 * end with *upper (capitals), *apos (apostrophes) and *hash (of the folded
 * form), or i when the word is not of this kind (nothing is kept):
 * scan_word() decides. */
static inline size_t scan_plain_word(heard_tokens *t, const char *s, size_t len, size_t i,
                                     unsigned *pupper, unsigned *papos, uint64_t *hash)
{
    char *d = arena_reserve(t, len - i + 8);
    if (!d)
        return i;
    uint64_t h = FNV_BASIS;
    unsigned upper = 0, apos = 0;
    size_t j;
#ifdef SWAR_WORDS
    if (len >= 8)
        j = fold_word8(s, len, i, d, &h, &upper, &apos);
    else
#endif
        j = fold_word1(s, len, i, d, &h, &upper, &apos);
    if (j < len && k_word_goes_on[(unsigned char)s[j]]) {
        /* only a full stop after a word of 2+ letters that is not an
         * abbreviation ("today. "); else scan_word() decides */
        if (s[j] != '.' || j - i < 2 ||
            (j + 1 < len && (acls((unsigned char)s[j + 1]) & C_EMAILCH)) ||
            is_folded_abbrev(d, j - i))
            return i;
    }
    *pupper = upper;
    *papos = apos;
    *hash = h;
    return j;
}

/* emit_word() for a word from scan_plain_word(): it has no dot, so it is
 * not "etc.". */
static inline int emit_plain_word(tk *k, size_t i, size_t end, unsigned upper, unsigned apos,
                                  uint64_t h)
{
    size_t letters = end - i - apos;
    uint16_t f = 0;
    if ((unsigned char)k->s[i] < 'a')
        f |= TF_CAPITAL;
    if (letters >= 2 && upper == letters)
        f |= TF_ALLCAPS;
    if (apos)
        f |= TF_CONTRACTION;
    k->t->n_letters += letters;
    k->t->n_upper += upper;
    return push_folded_word(k, i, end, f, h);
}

/* Token starting with an ASCII letter: URL, letter emoticon (xD), e-mail,
 * bare domain or word. */
static int tokenize_alpha(tk *k, size_t *pi)
{
    const char *s = k->s;
    size_t len = k->len, i = *pi, end;
    unsigned char c = (unsigned char)s[i];
    if (((c | 0x20) == 'h' || (c | 0x20) == 'w') && (end = scan_url(s, len, i)) > i)
        return emit(k, pi, end, TOK_URL);
    if (i + 1 < len && (s[i + 1] == 'D' || s[i + 1] == '_' || s[i + 1] == '.') &&
        (c == 'x' || c == 'X' || c == 'o' || c == 'O' || c == 'T') &&
        (end = scan_emoticon(s, len, i)) > i)
        return emit(k, pi, end, TOK_EMOTICON);
    unsigned upper, apos;
    uint64_t h;
    if ((end = scan_plain_word(k->t, s, len, i, &upper, &apos, &h)) > i) {
        *pi = end;
        return emit_plain_word(k, i, end, upper, apos, h);
    }
    word_info wi;
    end = scan_word(s, len, i, &wi);
    /* e-mail addresses and bare domains only where a word stops at a
     * character they need, so ordinary words are scanned once; a word
     * ending a sentence ("... today. ") is neither */
    bool full_stop = end < len && s[end] == '.' &&
                     (end + 1 >= len || !(acls((unsigned char)s[end + 1]) & C_EMAILCH));
    if (end < len && !full_stop && (s[end] == '@' || (acls((unsigned char)s[end]) & C_EMAILCH))) {
        size_t e2;
        if ((e2 = scan_email(s, len, i)) > i)
            return emit(k, pi, e2, TOK_EMAIL);
        if ((e2 = scan_bare_domain(s, len, i)) > i)
            return emit(k, pi, e2, TOK_URL);
    }
    *pi = end;
    return emit_word(k, i, end, &wi);
}

/* Token starting with an ASCII digit: keycap emoji, e-mail, number, time,
 * date, or a word such as 4ever. */
static int tokenize_digit(tk *k, size_t *pi)
{
    size_t i = *pi, end;
    int type;
    if ((end = scan_keycap(k->s, k->len, i)) > i)
        return emit(k, pi, end, TOK_EMOJI);
    if ((end = scan_email(k->s, k->len, i)) > i)
        return emit(k, pi, end, TOK_EMAIL);
    if ((end = scan_number(k->s, k->len, i, &type)) > i)
        return emit(k, pi, end, type);
    return emit_scanned_word(k, pi);
}

/* @mention, #hashtag (#123 is a number); returns the end or i. */
static size_t scan_mention(const char *s, size_t len, size_t i, int *type)
{
    bool glued = i > 0 && (acls((unsigned char)s[i - 1]) & (C_ALPHA | C_DIGIT));
    size_t j = i + 1;
    int n, wc;
    bool up, any_letter = false;
    while (j < len && ((wc = word_char(s, len, j, &n, &up)) || s[j] == '_')) {
        any_letter = any_letter || wc == 1 || s[j] == '_';
        j += wc ? (size_t)n : 1;
    }
    *type = (s[i] == '#' && !any_letter) ? TOK_NUMBER : TOK_MENTION;
    return glued || j == i + 1 ? i : j;
}

/* Token starting with a non-ASCII code point. */
static int tokenize_unicode(tk *k, size_t *pi)
{
    size_t i = *pi, end;
    if ((end = scan_emoji(k->s, k->len, i)) > i)
        return emit(k, pi, end, TOK_EMOJI);
    int32_t cp;
    utf8_next(k->s, k->len, i, &cp);
    int cat = utf8proc_category(cp);
    if (cat_is_letter(cat) || cat_is_mark(cat) || cat == UTF8PROC_CATEGORY_ND)
        return emit_scanned_word(k, pi);
    if (cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO)
        return emit_punct(k, pi);
    return emit(k, pi, i, TOK_OTHER); /* symbols, lone currency signs ... */
}

/* Any token but those starting with an ASCII letter (tokenize_alpha()). */
static int tokenize_one(tk *k, size_t *pi)
{
    const char *s = k->s;
    size_t len = k->len, i = *pi, end;
    unsigned char c = (unsigned char)s[i];
    int a = acls(c), cl, type;

    if (a & C_DIGIT)
        return tokenize_digit(k, pi);
    if ((cl = currency_len(s, len, i)) && i + (size_t)cl < len &&
        (acls((unsigned char)s[i + (size_t)cl]) & C_DIGIT)) {
        end = scan_number(s, len, i, &type);
        return emit(k, pi, end, type);
    }
    if ((c == '#' || c == '*') && (end = scan_keycap(s, len, i)) > i)
        return emit(k, pi, end, TOK_EMOJI);
    if ((c == '@' || c == '#') && (end = scan_mention(s, len, i, &type)) > i)
        return emit(k, pi, end, type);
    if (c >= 0x80)
        return tokenize_unicode(k, pi);
    if ((a & C_EMOSTART) && (end = scan_emoticon(s, len, i)) > i)
        return emit(k, pi, end, TOK_EMOTICON);
    if (a & C_PUNCT)
        return emit_punct(k, pi);
    return emit(k, pi, i, TOK_OTHER);
}

int heard_tokenize(heard_tokens *t, const char *text, size_t len)
{
    reset(t);
    if (!t->stemmer || !t->words || !t->stems) /* not (successfully) initialised */
        return -1;
    if (!text || len == 0)
        return 0;
    if (len > UINT32_MAX)
        return -1;
    tk k = {.t = t, .s = text, .len = len, .w1 = SIZE_MAX, .w2 = SIZE_MAX};
    size_t i = 0;
    while (i < len) {
        if (text[i] == ' ') {
            i++;
            continue;
        }
        if (is_ascii_letter((unsigned char)text[i])) { /* most tokens: no class lookups */
            if (tokenize_alpha(&k, &i))
                return -1;
            continue;
        }
        bool nl;
        int n = skip_len(text, len, i, &nl);
        if (n) {
            if (nl && t->n > k.sent_first)
                k.hard = true;
            i += (size_t)n;
            continue;
        }
        if (tokenize_one(&k, &i))
            return -1;
    }
    return close_sentence(&k);
}

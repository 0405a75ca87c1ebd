/* tokenize.h - one pass over a turn's text into tokens that keep byte
 * offsets, folded forms, stems, sentence ids and the flags the analysis needs
 * (ALL CAPS, negation scope, emphasis). No allocation per token: a
 * heard_tokens buffer is reused turn after turn.
 *
 * Semantics others rely on (details and reasons at the top of tokenize.c):
 * - norm: NFC + case folded, curly quotes/apostrophes as ASCII ("don't").
 *   Words keep inner apostrophes and hyphens; "e.g." and "mr." keep their
 *   dots. An informal spelling with one reading has the norm (and hash) of
 *   the word it stands for: "u" -> "you", "dont" -> "don't".
 *   stem: Snowball English for TOK_WORD, else the norm itself.
 * - Sentences end after . ! ? runs and at line breaks; not after
 *   abbreviations or inside 3.50; "..." only before a capital/line
 *   break/end. Closing quotes, emoticons and emoji after the end stay in it.
 * - TF_NEGATED: the up to 3 words after a negator, cut by , . ; : ! ? and
 *   but/however/although/though/except. "no doubt", "not only", "never
 *   mind"... are not negations (their first word loses TF_NEGATOR).
 * - TF_DOWNTONER is set on both words of "a bit", "a little", "kind of",
 *   "sort of"; TF_TIMEREF on time words and on every TOK_TIME/TOK_DATE.
 * - token.sent saturates at 65535 (heard_sentence indices do not). */
#ifndef HEARD_TOKENIZE_H
#define HEARD_TOKENIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sb_stemmer;

typedef enum heard_tok_type {
    TOK_WORD = 0,  /* letters, with inner apostrophes/hyphens: don't, e-mail */
    TOK_NUMBER,    /* 42, 3.50, $20, 20% */
    TOK_PUNCT,     /* one punctuation run: "!!!", "?", "...", "," */
    TOK_EMOTICON,  /* :) :-( <3 :D */
    TOK_EMOJI,     /* one emoji (with modifiers/ZWJ sequence) */
    TOK_URL,
    TOK_EMAIL,
    TOK_TIME,      /* 5pm, 17:30, 9am */
    TOK_DATE,      /* 2026-03-02, 3/4, 12th */
    TOK_MENTION,   /* @name, #tag */
    TOK_OTHER
} heard_tok_type;

enum heard_tok_flag {
    TF_ALLCAPS = 1u << 0,    /* word of >= 2 letters written in capitals */
    TF_CAPITAL = 1u << 1,    /* first letter upper case */
    TF_NEGATED = 1u << 2,    /* inside the scope of a preceding negator */
    TF_NEGATOR = 1u << 3,    /* not, never, no, don't, can't ... */
    TF_SENT_START = 1u << 4, /* first token of a sentence */
    TF_QUESTION = 1u << 5,   /* token's sentence ends with '?' */
    TF_EXCLAIM = 1u << 6,    /* token's sentence ends with '!' */
    TF_INTENSIFIER = 1u << 7,/* really, so, very, extremely ... */
    TF_DOWNTONER = 1u << 8,  /* a bit, slightly, kind of ... */
    TF_TIMEREF = 1u << 9,    /* today, tomorrow, tonight, asap, monday ... */
    TF_CONTRACTION = 1u << 10 /* word contains an apostrophe: don't, i'm */
};

/* What the later stages look up for a word, computed once per distinct
 * folded form by the buffer's annotator (heard_tokens_bind) and kept in the
 * stem memo next to the stem: a word then costs one memo probe instead of
 * one probe per stage (lexicon, cue vocabulary, feature ids, stopwords).
 * A pure function of the word, its stem's hash and the annotator's
 * tables, so a memo hit gives what a fresh lookup would. */
typedef struct heard_word_info {
    float val;           /* lexicon valence (0 when none) */
    uint32_t lex_kind;   /* the lexicon entry's kind bits (0 when none) */
    uint32_t cue_form;   /* cue vocabulary slot + 1 of the form's key (0: none) */
    uint32_t cue_stem;   /* ... of the stem's key when some trie edge uses it */
    uint32_t fid_word;   /* feature ids of the word and stem unigrams, for a */
    uint32_t fid_stem;   /* word outside a negation scope */
    uint32_t bits;       /* HEARD_WI_* */
    uint32_t fkind;      /* its kinds in the feature builder's word table */
} heard_word_info;

enum { HEARD_WI_STOP = 1u }; /* a stopword of the cue tables */

struct heard_annotator;
/* Fill every field of *out for the folded word w[0..len) of hash hash and
 * stem hash stem_hash. */
typedef void (*heard_annotate_fn)(const struct heard_annotator *a, const char *w, size_t len,
                                  uint64_t hash, uint64_t stem_hash, heard_word_info *out);

/* The tables a buffer's word infos come from: the lexicon and the matcher
 * compare their own tables with lex and cues (opaque here) before they
 * trust token.wi; the feature ids depend on no table. */
typedef struct heard_annotator {
    heard_annotate_fn fn;
    const void *lex;     /* the lexicon of val and lex_kind */
    const void *cues;    /* the cue tables of cue_form, cue_stem and HEARD_WI_STOP */
    const void *fwords;  /* the feature builder's word table of fkind */
} heard_annotator;

typedef struct heard_token {
    uint32_t start, end;     /* byte span in the original text */
    uint32_t norm, norm_len; /* folded form: toks->norm + norm, not NUL-terminated */
    uint32_t stem, stem_len; /* Snowball stem: toks->norm + stem */
    uint64_t hash;           /* heard_hash of the folded form */
    uint64_t stem_hash;      /* heard_hash of the stem */
    uint16_t type;           /* heard_tok_type */
    uint16_t flags;          /* heard_tok_flag bits */
    uint16_t sent;           /* sentence index */
    uint16_t emphasis;       /* for PUNCT: count of '!' ; for words: 0 */
    heard_word_info wi;      /* TOK_WORD in a bound buffer (annot set); else unset */
} heard_token;

typedef struct heard_sentence {
    uint32_t first, last;    /* token indices [first, last) */
    uint32_t start, end;     /* byte span */
    uint8_t question, exclaim; /* counts of '?' / '!' ending it */
} heard_sentence;

typedef struct heard_tokens {
    heard_token *tok;
    size_t n, cap;
    heard_sentence *sent;
    size_t n_sent, sent_cap;
    char *norm;              /* arena of folded forms and stems */
    size_t norm_len, norm_cap;
    size_t n_words;          /* TOK_WORD count */
    size_t n_allcaps;        /* ALL CAPS words */
    size_t n_letters, n_upper;
    size_t n_emoji;          /* TOK_EMOJI count */
    struct sb_stemmer *stemmer; /* owned; not thread-safe, hence per buffer */
    struct heard_wordtab *words; /* owned: flag table of negators, boosters... */
    struct heard_stemcache *stems; /* owned: recent word -> stem (and wi) memo */
    const heard_annotator *annot;  /* not owned; NULL: words' wi unset */
} heard_tokens;

/* Initialise an empty buffer (allocates the stemmer). 0 on success. */
int heard_tokens_init(heard_tokens *t);
void heard_tokens_free(heard_tokens *t);

/* Have words' wi filled by annot (NULL: not filled) from the next
 * heard_tokenize() on; annot must outlive its use. Binding another
 * annotator forgets the memo. */
void heard_tokens_bind(heard_tokens *t, const heard_annotator *annot);

/* Tokenise valid UTF-8 text, replacing the buffer's previous content.
 * Returns 0 on success, -1 on allocation failure, on a buffer whose init
 * failed, or on text over 4 GiB. Invalid UTF-8 does not crash it. */
int heard_tokenize(heard_tokens *t, const char *text, size_t len);

/* Folded form of token i, as pointer + length. */
static inline const char *heard_tok_norm(const heard_tokens *t, size_t i, size_t *len)
{
    *len = t->tok[i].norm_len;
    return t->norm + t->tok[i].norm;
}

/* Stem of token i, as pointer + length. */
static inline const char *heard_tok_stem(const heard_tokens *t, size_t i, size_t *len)
{
    *len = t->tok[i].stem_len;
    return t->norm + t->tok[i].stem;
}

static inline bool heard_tok_is(const heard_tokens *t, size_t i, const char *word,
                                size_t wlen)
{
    const heard_token *k = &t->tok[i];
    if (k->norm_len != wlen)
        return false;
    for (size_t j = 0; j < wlen; j++)
        if (t->norm[k->norm + j] != word[j])
            return false;
    return true;
}

/* Whether token i's folded form is the NUL-terminated word w: no strlen()
 * per comparison, and most tokens differ in the first byte. */
static inline bool heard_tok_eq(const heard_tokens *t, size_t i, const char *w)
{
    const heard_token *k = &t->tok[i];
    const char *s = t->norm + k->norm;
    size_t n = k->norm_len;
    if (!n || s[0] != w[0])
        return false;
    for (size_t j = 1; j < n; j++)
        if (!w[j] || w[j] != s[j])
            return false;
    return !w[n];
}

/* Whether token i (false past the end) is one of the NULL-terminated words. */
static inline bool heard_tok_in(const heard_tokens *t, size_t i, const char *const *words)
{
    if (i >= t->n)
        return false;
    for (; *words; words++)
        if (heard_tok_eq(t, i, *words))
            return true;
    return false;
}

#endif

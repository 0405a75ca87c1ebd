/* cues.c - the rule cues of heard: the compiler of the pattern tables
 * (cue_patterns.inc), run at build time by heard_cuegen, the flat image of
 * its result that the library links in, and the phrase matcher that runs
 * them over a turn's tokens in one pass.
 *
 * Pattern syntax (one pattern per string, words separated by spaces):
 *   word        literal, tokenised with heard's own tokenizer and compared by
 *               the hash of its folded form ("i'm", "5pm", "😡")
 *   ~word       any word with the same Snowball stem ("~worried" matches
 *               worry, worries, worrying)
 *   (a|b c)     one of the alternatives (which may hold several words)
 *   [a|b]       optional: one of the alternatives or nothing; also (a|b)?
 *   *           exactly one word;   **  zero to three words
 *   #           a number: digits or a number word (three, several, ...)
 *   @time @date a time (5pm, 17:30) or date token
 *   ^           (prefix of the first word) only at the start of a sentence
 *   $name       macro from the table below, e.g. $im = (i'm|im|i am)
 *   %2 %q %n %e (leading options) strength 2; the sentence must be a question;
 *               match even inside a negation scope; the pattern must end the
 *               sentence or be followed by punctuation
 * Commas, dashes and quote marks between pattern words are skipped in the
 * text, so "oh, no" matches "oh no" and "need it 'fixed' today" matches
 * "need it fixed today". A match whose first word lies in the scope of a
 * preceding negator ("I'm not angry") is dropped unless %n is given. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cues.h"
#include "text.h"

#include "cue_patterns.inc"

const char *heard_cue_name(heard_cue c)
{
    if ((unsigned)c >= CUE_N || !cue_names[c])
        return "cue";
    return cue_names[c];
}

/* ------------------------------------------------------------------ */
/* Compiled form                                                        */

enum elem_kind { E_LIT, E_STEM, E_NUM, E_TIME, E_DATE, E_ANY, E_GAP, E_SET };

/* Chain keys of patterns that start with a token class rather than a word. */
#define KEY_NUM 0x6e756d2d6b657921ull
#define KEY_TIME 0x74696d652d6b6579ull
#define KEY_DATE 0x646174652d6b6579ull
/* Trie key of a "**" gap: its child is keyed by the element after it. */
#define KEY_GAP 0x6761702d6b65792aull

typedef struct elem {
    uint64_t hash; /* E_SET: bit set_bit(h) of each member h, so that most
                    * tokens that are no member fail without a probe */
    uint8_t kind;
    uint32_t set;  /* E_SET: the set's id */
} elem;

static inline uint64_t set_bit(uint64_t h) { return 1ull << (h >> 58); }

enum pat_flag { PF_SENT_START = 1, PF_QUESTION = 2, PF_NONEG = 4, PF_END = 8 };
/* PF_NONEG is also set on patterns that start with their own negator ("no
 * wonder", "can't afford"): an earlier negator does not undo them. */

typedef struct pattern {
    uint32_t elem_off;
    uint16_t n_elem;
    uint16_t cue;
    int8_t strength;
    uint8_t flags;
} pattern;

/* Index of the patterns: a trie over their leading elements (words, stems,
 * token classes; a word set branches into its members once per pattern; a
 * "**" is an edge of its own, KEY_GAP, whose children are keyed by the
 * element after the gap). A pattern hangs on the node where its indexed
 * prefix ends (at a "*", its end, a second set or MAX_DEPTH). Matching
 * walks, from each token, only the edges that the following tokens spell,
 * and checks the patterns hanging on the nodes it reaches: every
 * pattern whose prefix occurs there and no other, instead of every pattern
 * that shares a common first word ("i", "you", "that"). The walk is a
 * filter (the pattern check decides), so it may over-select, never miss;
 * only the elements it matched on consecutive tokens are not checked
 * again (see walk). */
#define ROOTF_BITS (1u << 15) /* ~2k first keys */
#define KEYF_BITS (1u << 18)  /* ~30k keys */

typedef struct trie_node {
    uint64_t kmask;     /* one bit per child key (kmask_bit): most lookups of a
                         * token that continues no pattern stop here, without
                         * touching the keys or the child table */
    uint32_t pat_off;   /* its patterns: tpats[pat_off .. pat_off + pat_len) */
    uint32_t child_off; /* its children: nodes child_off .. + n_child */
    uint16_t pat_len, n_child;
    uint32_t gap;       /* its child by KEY_GAP, 0 = none */
    uint32_t tab_off;   /* more than SMALL_NODE children: their hash table in kids */
    uint32_t tab_mask;  /* ... of kid_cap(n_child) slots: that less one (else 0) */
} trie_node;

#define SMALL_NODE 8
#define KID_MASK_SLOTS 4 /* kid slots taken by a node's 512-bit key filter */

/* Slot of a child hash table of a node with many children: one probe
 * reads key and child together. */
typedef struct kid {
    uint64_t key;
    uint32_t child; /* 0 = empty (the root is nobody's child) */
} kid;

typedef struct edge {
    uint64_t key;   /* element key (see elem_key) */
    uint32_t node;  /* parent node + 1; 0 = empty slot */
    uint32_t child;
} edge;

/* The vocabulary of the matcher: every key some trie edge uses (word
 * forms, stem keys, token classes) and every number word, found with one
 * probe per token form or stem instead of a filter, a number-word table
 * and a root table each. */
enum vocab_flag { VK_KEY = 1, VK_NUM = 2, VK_STEM = 4 };

typedef struct vocab_slot {
    uint64_t key;  /* 0 = empty (keys are never 0, see elem_key) */
    uint32_t root; /* root's child by this key, 0 = none (the root is nobody's child) */
    uint8_t flags; /* vocab_flag bits */
    uint8_t kbit;  /* the key's bit in a node's kmask (kmask_bit) */
    uint16_t stem; /* VK_STEM: the key is a word form the compiler tokenized, whose
                    * stem key is in slot stem - 1 (0: its stem key is no trie key),
                    * so that a token of this form needs no stem probe */
} vocab_slot;

typedef struct set_slot {
    uint64_t hash;   /* member's token hash */
    uint32_t set;    /* set id + 1; 0 = empty */
} set_slot;

struct heard_cues {
    elem *elems;
    size_t n_elems, cap_elems;
    pattern *pats;
    size_t n_pats, cap_pats;
    /* the trie, laid out breadth first once built so that the nodes near
     * the root, visited at every token, sit together: children of a node
     * are consecutive nodes and its patterns (with their elements) are
     * copied next to each other */
    edge *edges; /* while building: edges, open addressing on (node, key) */
    size_t edge_cap, n_edges;
    size_t n_nodes; /* node 0 is the root */
    trie_node *nodes;
    uint64_t *node_key; /* key of the edge into each node */
    pattern *tpats;     /* patterns in node order (as placed: a pattern can
                         * hang on several nodes); their elements in elems */
    size_t n_tpats;
    uint32_t *root_tab; /* root's children by key, open addressing, 0 = empty */
    size_t root_cap;
    kid *kids; /* child tables of the nodes with many children */
    size_t n_kids;
    /* one-bit-per-hash filters, small enough to stay in cache where the
     * edge table is not: over the keys of the root's edges (most tokens
     * start no pattern) and over every edge key (a rare word, most stems) */
    uint64_t rootf[ROOTF_BITS / 64];
    uint64_t keyf[KEYF_BITS / 64];
    uint64_t *stop; /* stopword hash set, open addressing, 0 = empty */
    size_t stop_cap;
    uint64_t numwords[64];
    size_t n_numwords;
    uint64_t numtab[256]; /* number words as a hash set, 0 = empty */
    size_t n_skipped; /* table patterns that could not be compiled (a table bug) */
    /* word sets: a group of one-word alternatives after the first word
     * compiles to one set element instead of one pattern per alternative;
     * members are listed per set (set_hash) and looked up in set_tab */
    uint64_t *set_hash;
    size_t n_set_hash, cap_set_hash;
    struct { uint32_t off, len; } *sets;
    size_t n_sets, cap_sets;
    set_slot *set_tab; /* (set, member) hash set, open addressing */
    size_t set_tab_cap;
    vocab_slot *vocab; /* open addressing on key */
    size_t vocab_cap;
    uint32_t root_cls[3]; /* root's children by KEY_NUM, KEY_TIME, KEY_DATE, 0 = none
                           * (not in the image: looked up when the tables are made) */
    /* 0: the arrays above point into the read-only built-in tables (see
     * heard_cues_from_blob) and are not freed */
    int owned;
};

#define GAP_MAX 3
#define EXPAND_MAX 8192
#define PAT_BUF 4096
#define STEM_SALT 0x5bd1e9955bd1e995ull

static uint64_t stem_key(uint64_t h) { return heard_hash_combine(h, STEM_SALT); }

/* Elements of a literal chunk already tokenized: expanding the tables
 * produces the same few thousand words tens of thousands of times, and
 * tokenizing them was a fifth of the start-up. */
#define MEMO_SLOTS 16384 /* power of two; filled to half at most */
#define MEMO_STR 262144
#define MEMO_ELEMS 65536

typedef struct lit_memo {
    uint32_t str_off, str_len; /* the chunk in memo_str; str_len 0 = empty */
    uint32_t el_off;           /* its elements in memo_el */
    uint16_t n_el;
    uint8_t stem, neg_first;   /* looked up as a stem; first token a negator */
} lit_memo;

/* Compile-time scratch: the tokenizer used on pattern words. */
typedef struct compiler {
    heard_cues *c;
    heard_tokens toks;
    lit_memo *memo; /* NULL: every chunk is tokenized */
    size_t n_memo;
    char *memo_str;
    size_t n_memo_str;
    elem *memo_el;
    size_t n_memo_el;
    uint16_t cue;
    int8_t strength;
    uint8_t flags;
    size_t expansions;
    size_t elem_start; /* first element of the pattern being emitted */
    int neg_start;     /* its first word is a negator */
    int failed;
    /* the word forms tokenized (form hash -> stem hash), for the stems in
     * the vocabulary (vocab_slot.stem); NULL or full: fewer of them known */
    struct form_stem { uint64_t form, stem; } *forms;
    size_t n_forms;
} compiler;

#define FORM_SLOTS 32768 /* power of two; filled to half at most */

static int push_elem(heard_cues *c, uint8_t kind, uint64_t hash)
{
    if (c->n_elems == c->cap_elems) {
        /* the tables expand to about 340k elements: start near there
         * rather than copying the array ten times on the way */
        size_t ncap = c->cap_elems ? c->cap_elems * 2 : 1u << 19;
        elem *e = realloc(c->elems, ncap * sizeof *e);
        if (!e)
            return -1;
        c->elems = e;
        c->cap_elems = ncap;
    }
    elem *e = &c->elems[c->n_elems++];
    e->kind = kind;
    e->hash = hash;
    e->set = 0;
    if (kind == E_SET) { /* hash: the set's id */
        e->set = (uint32_t)hash;
        e->hash = 0;
        for (uint32_t j = 0; hash < c->n_sets && j < c->sets[hash].len; j++)
            e->hash |= set_bit(c->set_hash[c->sets[hash].off + j]);
    }
    return 0;
}

static inline size_t mix_index(uint64_t key, size_t cap);

/* Note the form and stem of every word of k->toks (see compiler.forms). */
static void note_forms(compiler *k)
{
    for (size_t i = 0; k->forms && i < k->toks.n && k->n_forms < FORM_SLOTS / 2; i++) {
        const heard_token *t = &k->toks.tok[i];
        if (t->type != TOK_WORD)
            continue;
        uint64_t h = t->hash ? t->hash : 1; /* as the vocabulary keys it */
        size_t j = mix_index(h, FORM_SLOTS);
        while (k->forms[j].form && k->forms[j].form != h)
            j = (j + 1) & (FORM_SLOTS - 1);
        k->n_forms += !k->forms[j].form;
        k->forms[j] = (struct form_stem){h, t->stem_hash};
    }
}

static lit_memo *memo_slot(compiler *k, const char *w, size_t len, int stem)
{
    size_t m = MEMO_SLOTS - 1;
    size_t j = (size_t)heard_hash_combine(heard_hash(w, len), (uint64_t)stem) & m;
    for (lit_memo *e; (e = &k->memo[j])->str_len; j = (j + 1) & m)
        if (e->str_len == len && e->stem == stem && memcmp(k->memo_str + e->str_off, w, len) == 0)
            return e;
    return &k->memo[j];
}

/* Append the tokens of one literal chunk as elements. */
static int push_literal(compiler *k, const char *w, size_t len, int stem)
{
    lit_memo *slot = k->memo && len ? memo_slot(k, w, len, stem) : NULL;
    if (slot && slot->str_len) {
        if (k->c->n_elems == k->elem_start && slot->neg_first)
            k->neg_start = 1;
        for (uint16_t i = 0; i < slot->n_el; i++) {
            const elem *e = &k->memo_el[slot->el_off + i];
            if (push_elem(k->c, e->kind, e->hash))
                return -1;
        }
        return 0;
    }
    if (heard_tokenize(&k->toks, w, len) != 0)
        return -1;
    note_forms(k);
    size_t first = k->c->n_elems;
    for (size_t i = 0; i < k->toks.n; i++) {
        const heard_token *t = &k->toks.tok[i];
        if (k->c->n_elems == k->elem_start && (t->flags & TF_NEGATOR))
            k->neg_start = 1;
        int r = stem && t->type == TOK_WORD ? push_elem(k->c, E_STEM, t->stem_hash)
                                            : push_elem(k->c, E_LIT, t->hash);
        if (r)
            return -1;
    }
    size_t n = k->c->n_elems - first;
    if (slot && k->n_memo < MEMO_SLOTS / 2 && k->n_memo_str + len <= MEMO_STR &&
        k->n_memo_el + n <= MEMO_ELEMS && n <= UINT16_MAX) {
        memcpy(k->memo_str + k->n_memo_str, w, len);
        memcpy(k->memo_el + k->n_memo_el, k->c->elems + first, n * sizeof *k->memo_el);
        *slot = (lit_memo){(uint32_t)k->n_memo_str, (uint32_t)len, (uint32_t)k->n_memo_el,
                           (uint16_t)n, (uint8_t)stem,
                           (uint8_t)(k->toks.n > 0 && (k->toks.tok[0].flags & TF_NEGATOR))};
        k->n_memo_str += len;
        k->n_memo_el += n;
        k->n_memo++;
    }
    return 0;
}

/* One fully expanded pattern (no groups, no macros) into the pattern list. */
static void emit(compiler *k, const char *s)
{
    heard_cues *c = k->c;
    size_t off = c->n_elems;
    uint8_t flags = k->flags;
    k->elem_start = off;
    k->neg_start = 0;
    const char *p = s;
    while (*p && !k->failed) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        size_t len = (size_t)(e - p);
        int r = 0;
        if (*p == '^' && c->n_elems == off) {
            flags |= PF_SENT_START;
            p++;
            len--;
            if (!len) /* "^[a|b] c" without the option: "^" stands alone */
                continue;
        }
        if (len == 1 && *p == '*')
            r = push_elem(c, E_ANY, 0);
        else if (len == 2 && p[0] == '*' && p[1] == '*')
            r = push_elem(c, E_GAP, 0);
        else if (len == 1 && *p == '#')
            r = push_elem(c, E_NUM, 0);
        else if (len == 5 && memcmp(p, "@time", 5) == 0)
            r = push_elem(c, E_TIME, 0);
        else if (len == 5 && memcmp(p, "@date", 5) == 0)
            r = push_elem(c, E_DATE, 0);
        else if (*p == '{' && len > 2 && p[len - 1] == '}')
            r = push_elem(c, E_SET, strtoull(p + 1, NULL, 10));
        else if (*p == '~' && len > 1)
            r = push_literal(k, p + 1, len - 1, 1);
        else
            r = push_literal(k, p, len, 0);
        if (r)
            k->failed = 1;
        p = e;
    }
    size_t n = c->n_elems - off;
    /* A pattern must start with something a token can be keyed on; the
     * tokenizer stub (no tokens) also lands here. */
    if (k->failed || n == 0 || n > 255 || c->elems[off].kind > E_DATE ||
        c->elems[off + n - 1].kind == E_GAP) {
        c->n_elems = off;
        return;
    }
    if (c->n_pats == c->cap_pats) {
        size_t ncap = c->cap_pats ? c->cap_pats * 2 : 1u << 17; /* about 71k */
        pattern *np = realloc(c->pats, ncap * sizeof *np);
        if (!np) {
            k->failed = 1;
            return;
        }
        c->pats = np;
        c->cap_pats = ncap;
    }
    pattern *pt = &c->pats[c->n_pats++];
    pt->elem_off = (uint32_t)off;
    pt->n_elem = (uint16_t)n;
    pt->cue = k->cue;
    pt->strength = k->strength;
    pt->flags = flags | (k->neg_start ? PF_NONEG : 0);
}

/* Position of the first group opening at a word start, or NULL. */
static const char *find_group(const char *s)
{
    for (const char *p = s; *p; p++)
        if ((*p == '(' || *p == '[') &&
            (p == s || p[-1] == ' ' || p[-1] == '(' || p[-1] == '[' || p[-1] == '|' ||
             p[-1] == '^' || (p[-1] >= 'a' && p[-1] <= 'z')))
            return p;
    return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* If the group g..close is a plain "(one|word|each)" group standing as its
 * own chunk after the first word, register it as a word set and return its
 * index; -1 otherwise (expanded the usual way). */
static long make_set(compiler *k, const char *s, const char *g, const char *close)
{
    heard_cues *c = k->c;
    if (*g != '(' || g == s || g[-1] != ' ' || (close[1] != ' ' && close[1] != 0))
        return -1;
    int words_before = 0;
    for (const char *p = s; p < g; p++)
        if (*p != ' ' && *p != '^')
            words_before = 1;
    if (!words_before)
        return -1;
    for (const char *p = g + 1; p < close; p++)
        if (strchr(" ()[]~*#@${}^", *p))
            return -1;
    size_t start = c->n_set_hash;
    const char *alt = g + 1;
    for (const char *p = g + 1; p <= close; p++) {
        if (p != close && *p != '|')
            continue;
        if (heard_tokenize(&k->toks, alt, (size_t)(p - alt)) != 0 || k->toks.n != 1) {
            c->n_set_hash = start;
            return -1;
        }
        note_forms(k);
        if (c->n_set_hash == c->cap_set_hash) {
            size_t ncap = c->cap_set_hash ? c->cap_set_hash * 2 : 1024;
            uint64_t *nh = realloc(c->set_hash, ncap * sizeof *nh);
            if (!nh) {
                k->failed = 1;
                return -1;
            }
            c->set_hash = nh;
            c->cap_set_hash = ncap;
        }
        c->set_hash[c->n_set_hash++] = k->toks.tok[0].hash;
        alt = p + 1;
    }
    if (c->n_sets == c->cap_sets) {
        size_t ncap = c->cap_sets ? c->cap_sets * 2 : 256;
        void *ns = realloc(c->sets, ncap * sizeof *c->sets);
        if (!ns) {
            k->failed = 1;
            return -1;
        }
        c->sets = ns;
        c->cap_sets = ncap;
    }
    qsort(c->set_hash + start, c->n_set_hash - start, sizeof *c->set_hash, cmp_u64);
    c->sets[c->n_sets].off = (uint32_t)start;
    c->sets[c->n_sets].len = (uint32_t)(c->n_set_hash - start);
    return (long)c->n_sets++;
}

/* Expand the first group of s, recursing on each alternative. */
static void expand(compiler *k, const char *s)
{
    if (k->failed || ++k->expansions > EXPAND_MAX)
        return;
    const char *g = find_group(s);
    if (!g) {
        emit(k, s);
        return;
    }
    int depth = 0;
    const char *close = NULL;
    for (const char *p = g; *p; p++) {
        if (*p == '(' || *p == '[')
            depth++;
        else if (*p == ')' || *p == ']') {
            if (--depth == 0) {
                close = p;
                break;
            }
        }
    }
    if (!close) { /* unbalanced: treat as literal text */
        emit(k, s);
        return;
    }
    char buf[PAT_BUF];
    size_t pre = (size_t)(g - s);
    /* "(a|b)?" is another spelling of "[a|b]" */
    int optional = *g == '[' || close[1] == '?';
    const char *rest = close[1] == '?' ? close + 2 : close + 1;
    long set = optional ? -1 : make_set(k, s, g, close);
    if (set >= 0) {
        int w = snprintf(buf, sizeof buf, "%.*s{%ld}%s", (int)pre, s, set, close + 1);
        if (w > 0 && (size_t)w < sizeof buf)
            expand(k, buf);
        return;
    }
    const char *alt = g + 1;
    depth = 0;
    for (const char *p = g + 1; p <= close; p++) {
        if (p < close && (*p == '(' || *p == '['))
            depth++;
        else if (p < close && (*p == ')' || *p == ']'))
            depth--;
        if (p == close || (*p == '|' && depth == 0)) {
            size_t alen = (size_t)(p - alt);
            size_t post = strlen(rest);
            if (pre + alen + post + 1 < sizeof buf) {
                memcpy(buf, s, pre);
                memcpy(buf + pre, alt, alen);
                memcpy(buf + pre + alen, rest, post + 1);
                expand(k, buf);
            }
            alt = p + 1;
        }
    }
    if (optional && pre + strlen(rest) + 1 < sizeof buf) {
        memcpy(buf, s, pre);
        strcpy(buf + pre, rest);
        expand(k, buf);
    }
}

/* Replace $macros (one level, then recursively for nested macros). */
static int substitute(const char *s, char *out, size_t cap, int depth)
{
    size_t o = 0;
    for (const char *p = s; *p;) {
        if (*p == '$' && depth < 4) {
            const char *e = p + 1;
            while ((*e >= 'a' && *e <= 'z') || (*e >= '0' && *e <= '9'))
                e++;
            size_t nl = (size_t)(e - p - 1);
            const char *rep = NULL;
            for (size_t m = 0; m < sizeof macros / sizeof macros[0]; m++)
                if (strlen(macros[m].name) == nl && memcmp(macros[m].name, p + 1, nl) == 0)
                    rep = macros[m].text;
            if (rep) {
                char tmp[PAT_BUF];
                if (substitute(rep, tmp, sizeof tmp, depth + 1) != 0)
                    return -1;
                size_t tl = strlen(tmp);
                if (o + tl >= cap)
                    return -1;
                memcpy(out + o, tmp, tl);
                o += tl;
                p = e;
                continue;
            }
        }
        if (o + 1 >= cap)
            return -1;
        out[o++] = *p++;
    }
    out[o] = 0;
    return 0;
}

static void compile_pattern(compiler *k, const char *pat, int8_t strength)
{
    k->strength = strength;
    k->flags = 0;
    k->expansions = 0;
    const char *p = pat;
    while (*p == '%') {
        char o = p[1];
        if (o >= '0' && o <= '9')
            k->strength = (int8_t)(o - '0');
        else if (o == 'q')
            k->flags |= PF_QUESTION;
        else if (o == 'n')
            k->flags |= PF_NONEG;
        else if (o == 'e')
            k->flags |= PF_END;
        p += 2;
        while (*p == ' ')
            p++;
    }
    char buf[PAT_BUF];
    size_t before = k->c->n_pats;
    if (substitute(p, buf, sizeof buf, 0) != 0) {
        k->c->n_skipped++; /* too long: a table bug, skipped rather than fatal */
        return;
    }
    expand(k, buf);
    if (k->c->n_pats == before || k->expansions > EXPAND_MAX) {
        k->c->n_skipped++;
#ifdef HEARD_CUES_DEBUG
        fprintf(stderr, "cue pattern skipped: %s\n", pat);
#endif
    }
}

static size_t pow2_at_least(size_t n)
{
    size_t c = 64;
    while (c < n)
        c <<= 1;
    return c;
}

/* Index slots of a key: the key's bits mixed (keys of related words share
 * low bits after combining). */
static inline size_t mix_index(uint64_t key, size_t cap)
{
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdull;
    key ^= key >> 33;
    return (size_t)key & (cap - 1);
}

/* Key of one element for the index; 0 when the element is not keyed
 * (any word, gap, set). */
static uint64_t elem_key(const elem *e)
{
    uint64_t k;
    switch (e->kind) {
    case E_LIT: k = e->hash; break;
    case E_STEM: k = stem_key(e->hash); break;
    case E_NUM: k = KEY_NUM; break;
    case E_TIME: k = KEY_TIME; break;
    case E_DATE: k = KEY_DATE; break;
    default: return 0;
    }
    return k ? k : 1;
}

static inline uint64_t edge_hash(uint32_t node, uint64_t key)
{
    return heard_hash_combine(key, (uint64_t)node * 0x9e3779b97f4a7c15ull);
}

static inline uint64_t bloom_bit(uint64_t h)
{
    return (h ^ (h >> 29)) * 0xbf58476d1ce4e5b9ull >> 20;
}

static inline void filter_add(uint64_t *f, size_t bits, uint64_t k)
{
    uint64_t b = bloom_bit(k) & (bits - 1);
    f[b >> 6] |= 1ull << (b & 63);
}

static inline int filter_has(const uint64_t *f, size_t bits, uint64_t k)
{
    uint64_t b = bloom_bit(k) & (bits - 1);
    return (int)(f[b >> 6] >> (b & 63) & 1u);
}

static inline size_t kid_cap(uint32_t n_child)
{
#ifdef __GNUC__ /* the walk asks at every big node: no loop to mispredict */
    if (n_child <= 8)
        return 16;
    return (size_t)1 << (32 - __builtin_clz(n_child * 2u - 1u)); /* n_child < 65536 */
#else
    size_t cap = 16;
    while (cap < (size_t)n_child * 2)
        cap <<= 1;
    return cap;
#endif
}

/* Bit of a key in a node's kmask: other bits of the key than the filters
 * (keyf, the big nodes' 512 bits) use, so that they reject independently. */
static inline uint64_t kmask_bit(uint64_t key)
{
    return 1ull << (bloom_bit(key) >> 24 & 63u);
}

/* Bit of a key in a big node's 512-bit filter, and its first slot in the
 * node's table (m: slots less one): bits of one multiply that the walk
 * shares between the two (the key is a hash already; the product's high
 * bits depend on all of it, bits 32 and up on its low half), other than
 * the kmask bit's. */
#define KID_MUL 0x9e3779b97f4a7c15ull
static inline unsigned kid_bloom(uint64_t key) { return (unsigned)(key * KID_MUL >> 55); }
static inline size_t kid_slot(uint64_t key, size_t m) { return (size_t)(key * KID_MUL >> 32) & m; }

/* Child of node (final layout) by key, or UINT32_MAX. */
static uint32_t child_find(const heard_cues *c, uint32_t node, uint64_t key)
{
    if (node == 0) {
        if (!filter_has(c->rootf, ROOTF_BITS, key))
            return UINT32_MAX;
        size_t m = c->root_cap - 1, j = mix_index(key, c->root_cap);
        for (; c->root_tab[j]; j = (j + 1) & m)
            if (c->node_key[c->root_tab[j]] == key)
                return c->root_tab[j];
        return UINT32_MAX;
    }
    const trie_node *nd = &c->nodes[node];
    if (!(nd->kmask & kmask_bit(key)))
        return UINT32_MAX;
    if (nd->n_child <= SMALL_NODE) {
        const uint64_t *k = c->node_key + nd->child_off;
        for (uint32_t a = 0; a < nd->n_child; a++)
            if (k[a] == key)
                return nd->child_off + a;
        return UINT32_MAX;
    }
    /* a 512-bit filter of the children's keys precedes the table: for the
     * busy nodes ("i", "you", "that") it stays cached when the table does
     * not, and most lookups miss */
    const uint64_t *mask = (const uint64_t *)(c->kids + nd->tab_off);
    unsigned b = kid_bloom(key);
    if (!(mask[b >> 6] >> (b & 63) & 1u))
        return UINT32_MAX;
    size_t cap = kid_cap(nd->n_child), m = cap - 1;
    const kid *tab = c->kids + nd->tab_off + KID_MASK_SLOTS;
    for (size_t j = kid_slot(key, m); tab[j].child; j = (j + 1) & m)
        if (tab[j].key == key)
            return tab[j].child;
    return UINT32_MAX;
}

static uint32_t root_child(const heard_cues *c, uint64_t key)
{
    return child_find(c, 0, key);
}

static int edge_grow(heard_cues *c)
{
    size_t ncap = c->edge_cap ? c->edge_cap * 2 : 1u << 16;
    edge *ne = calloc(ncap, sizeof *ne);
    if (!ne)
        return -1;
    for (size_t i = 0; i < c->edge_cap; i++) {
        const edge *e = &c->edges[i];
        if (!e->node)
            continue;
        size_t j = mix_index(edge_hash(e->node - 1, e->key), ncap);
        while (ne[j].node)
            j = (j + 1) & (ncap - 1);
        ne[j] = *e;
    }
    free(c->edges);
    c->edges = ne;
    c->edge_cap = ncap;
    return 0;
}

/* Child of node by key, made when missing; UINT32_MAX on allocation
 * failure. */
static uint32_t edge_add(heard_cues *c, uint32_t node, uint64_t key)
{
    if ((c->n_edges + 1) * 2 > c->edge_cap && edge_grow(c))
        return UINT32_MAX;
    uint64_t h = edge_hash(node, key);
    size_t m = c->edge_cap - 1, j = mix_index(h, c->edge_cap);
    while (c->edges[j].node) {
        if (c->edges[j].node == node + 1 && c->edges[j].key == key)
            return c->edges[j].child;
        j = (j + 1) & m;
    }
    if (c->n_nodes >= UINT32_MAX - 1)
        return UINT32_MAX;
    c->edges[j] = (edge){key, node + 1, (uint32_t)c->n_nodes++};
    c->n_edges++;
    return c->edges[j].child;
}

#define MAX_DEPTH 5   /* concrete elements indexed per pattern */
#define SET_BRANCH 1024 /* larger word sets end the indexed prefix */

typedef struct placement {
    uint32_t node, pat;
} placement;

typedef struct placements {
    placement *v;
    size_t n, cap;
} placements;

static int place(placements *pl, uint32_t node, uint32_t pat)
{
    if (pl->n == pl->cap) {
        size_t ncap = pl->cap ? pl->cap * 2 : 1u << 16;
        placement *nv = realloc(pl->v, ncap * sizeof *nv);
        if (!nv)
            return -1;
        pl->v = nv;
        pl->cap = ncap;
    }
    pl->v[pl->n++] = (placement){node, pat};
    return 0;
}

/* File pattern pi below node, from its element d on. */
static int insert(heard_cues *c, placements *pl, uint32_t pi, uint32_t node, size_t d,
                  int used_set)
{
    const pattern *p = &c->pats[pi];
    if (d >= p->n_elem || d >= MAX_DEPTH)
        return place(pl, node, pi);
    const elem *e = &c->elems[p->elem_off + d];
    uint64_t k = e->kind == E_GAP ? KEY_GAP : elem_key(e);
    if (k) {
        uint32_t child = edge_add(c, node, k);
        return child == UINT32_MAX ? -1 : insert(c, pl, pi, child, d + 1, used_set);
    }
    if (e->kind == E_SET && !used_set && e->set < c->n_sets &&
        c->sets[e->set].len <= SET_BRANCH) {
        const uint64_t *mem = c->set_hash + c->sets[e->set].off;
        for (uint32_t j = 0; j < c->sets[e->set].len; j++) {
            uint32_t child = edge_add(c, node, mem[j] ? mem[j] : 1);
            if (child == UINT32_MAX || insert(c, pl, pi, child, d + 1, 1))
                return -1;
        }
        return 0;
    }
    return place(pl, node, pi);
}

typedef struct tri {
    uint64_t key;
    uint32_t child;
} tri;

/* Breadth-first layout of the built trie (see heard_cues). */
static int layout(heard_cues *c, placements *pl)
{
    size_t nn = c->n_nodes, ne = c->n_edges;
    elem *telems = NULL;
    uint32_t *copied = NULL; /* pattern -> its elements in telems */
    tri *e = malloc((ne ? ne : 1) * sizeof *e);
    uint32_t *first = calloc(nn + 1, sizeof *first); /* old node -> first edge in e */
    uint32_t *nid = malloc(nn * sizeof *nid), *queue = malloc(nn * sizeof *queue);
    c->nodes = calloc(nn, sizeof *c->nodes);
    c->node_key = calloc(nn, sizeof *c->node_key);
    int bad = !e || !first || !nid || !queue || !c->nodes || !c->node_key;
    if (!bad) {
        /* edges grouped by parent (counting sort, in table order) */
        for (size_t i = 0; i < c->edge_cap; i++)
            if (c->edges[i].node)
                first[c->edges[i].node]++;
        for (size_t i = 0; i < nn; i++)
            first[i + 1] += first[i];
        for (size_t i = 0; i < c->edge_cap; i++) {
            const edge *x = &c->edges[i];
            if (x->node)
                e[first[x->node - 1]++] = (tri){x->key, x->child};
        }
        for (size_t i = nn; i > 0; i--)
            first[i] = first[i - 1];
        first[0] = 0;
        /* breadth first: the children of each node get consecutive ids */
        size_t head = 0, tail = 0, next = 1;
        nid[0] = 0;
        queue[tail++] = 0;
        while (head < tail) {
            uint32_t u = queue[head++];
            trie_node *nd = &c->nodes[nid[u]];
            nd->child_off = (uint32_t)next;
            if (first[u + 1] - first[u] > UINT16_MAX)
                bad = 1; /* a table bug: tens of thousands of continuations */
            nd->n_child = (uint16_t)(first[u + 1] - first[u]);
            for (uint32_t k = first[u]; k < first[u + 1]; k++) {
                nd->kmask |= kmask_bit(e[k].key);
                nid[e[k].child] = (uint32_t)next;
                c->node_key[next++] = e[k].key;
                queue[tail++] = e[k].child;
            }
        }
        /* placements by new node (counting sort keeps pattern order) */
        placement *v = malloc((pl->n ? pl->n : 1) * sizeof *v);
        uint32_t *cnt = calloc(nn + 1, sizeof *cnt);
        if (v && cnt) {
            for (size_t i = 0; i < pl->n; i++)
                cnt[nid[pl->v[i].node] + 1]++;
            for (size_t i = 0; i < nn; i++)
                cnt[i + 1] += cnt[i];
            for (size_t i = 0; i < pl->n; i++) {
                uint32_t nd = nid[pl->v[i].node];
                v[cnt[nd]++] = (placement){nd, pl->v[i].pat};
            }
            free(pl->v);
            pl->v = v;
        } else {
            free(v);
            bad = 1;
        }
        free(cnt);
        /* patterns in node order; their elements too, copied once per
         * pattern where it is first placed (a pattern placed under every
         * member of a word set shares that one copy) */
        c->tpats = malloc((pl->n ? pl->n : 1) * sizeof *c->tpats);
        telems = malloc((c->n_elems ? c->n_elems : 1) * sizeof *telems);
        copied = malloc((c->n_pats ? c->n_pats : 1) * sizeof *copied);
        bad |= !c->tpats || !telems || !copied;
        for (size_t i = 0; !bad && i < c->n_pats; i++)
            copied[i] = UINT32_MAX;
    }
    size_t eo = 0;
    for (size_t i = 0; !bad && i < pl->n; i++) {
        pattern p = c->pats[pl->v[i].pat];
        if (copied[pl->v[i].pat] == UINT32_MAX) {
            memcpy(telems + eo, c->elems + p.elem_off, p.n_elem * sizeof *telems);
            copied[pl->v[i].pat] = (uint32_t)eo;
            eo += p.n_elem;
        }
        p.elem_off = copied[pl->v[i].pat];
        c->tpats[i] = p;
        if (c->nodes[pl->v[i].node].pat_len == UINT16_MAX)
            bad = 1;
        else if (c->nodes[pl->v[i].node].pat_len++ == 0)
            c->nodes[pl->v[i].node].pat_off = (uint32_t)i;
    }
    c->n_tpats = bad ? 0 : pl->n;
    for (size_t i = 0; !bad && i < c->n_pats; i++) {
        bad = copied[i] == UINT32_MAX; /* every pattern is placed */
        c->pats[i].elem_off = bad ? 0 : copied[i];
    }
    if (!bad) { /* from now on the elements are in node order */
        free(c->elems);
        c->elems = telems;
        c->n_elems = c->cap_elems = eo;
        telems = NULL;
    }
    free(telems);
    free(copied);
    if (!bad) {
        uint32_t r = c->nodes[0].n_child;
        c->root_cap = pow2_at_least((size_t)r * 2 + 1);
        c->root_tab = calloc(c->root_cap, sizeof *c->root_tab);
        bad = !c->root_tab;
        for (uint32_t k = 1; !bad && k <= r; k++) {
            size_t j = mix_index(c->node_key[k], c->root_cap);
            while (c->root_tab[j])
                j = (j + 1) & (c->root_cap - 1);
            c->root_tab[j] = k;
            filter_add(c->rootf, ROOTF_BITS, c->node_key[k]);
        }
        for (size_t k = 1; k < nn; k++)
            filter_add(c->keyf, KEYF_BITS, c->node_key[k]);
        size_t nk = 0;
        for (size_t k = 1; k < nn; k++)
            if (c->nodes[k].n_child > SMALL_NODE)
                nk += KID_MASK_SLOTS + kid_cap(c->nodes[k].n_child);
        c->kids = calloc(nk ? nk : 1, sizeof *c->kids);
        bad = !c->kids;
        for (size_t k = 1; !bad && k < nn; k++) {
            trie_node *nd = &c->nodes[k];
            if (nd->n_child <= SMALL_NODE)
                continue;
            size_t cap = kid_cap(nd->n_child);
            nd->tab_off = (uint32_t)c->n_kids;
            nd->tab_mask = (uint32_t)(cap - 1);
            uint64_t *mask = (uint64_t *)(c->kids + c->n_kids);
            kid *tab = c->kids + c->n_kids + KID_MASK_SLOTS;
            c->n_kids += KID_MASK_SLOTS + cap;
            for (uint32_t a = 0; a < nd->n_child; a++) {
                uint64_t key = c->node_key[nd->child_off + a];
                unsigned bb = kid_bloom(key);
                mask[bb >> 6] |= 1ull << (bb & 63);
                size_t j = kid_slot(key, cap - 1);
                while (tab[j].child)
                    j = (j + 1) & (cap - 1);
                tab[j] = (kid){key, nd->child_off + a};
            }
        }
        for (size_t k = 1; !bad && k < nn; k++) {
            uint32_t g = c->nodes[k].n_child ? child_find(c, (uint32_t)k, KEY_GAP) : UINT32_MAX;
            c->nodes[k].gap = g == UINT32_MAX ? 0 : g;
        }
    }
    free(e);
    free(first);
    free(nid);
    free(queue);
    free(c->edges); /* only needed while building */
    c->edges = NULL;
    c->edge_cap = c->n_edges = 0;
    return bad ? -1 : 0;
}

static int build_index(heard_cues *c)
{
    placements pl = {0};
    c->n_nodes = 1;
    int bad = 0;
    while (!bad && c->edge_cap < c->n_pats * 4) /* most patterns add a few edges */
        bad = edge_grow(c) != 0;
    for (size_t i = 0; i < c->n_pats && !bad; i++)
        bad = insert(c, &pl, (uint32_t)i, 0, 0, 0) != 0;
    if (!bad)
        bad = layout(c, &pl) != 0;
    free(pl.v);
    return bad ? -1 : 0;
}

/* First slot of (set, member h) in the set table: one multiply (see
 * kid_slot); the set id moves the member's bits by a multiple of an odd
 * constant. */
static inline size_t set_home(uint64_t h, uint64_t set, size_t cap)
{
    return (size_t)((h + set * 0xc2b2ae3d27d4eb4full) * KID_MUL >> 32) & (cap - 1);
}

/* Every (set, member) pair into one hash set, so that a set element is
 * checked with one probe. */
static int build_sets(heard_cues *c)
{
    c->set_tab_cap = pow2_at_least(c->n_set_hash * 2 + 1);
    c->set_tab = calloc(c->set_tab_cap, sizeof *c->set_tab);
    if (!c->set_tab)
        return -1;
    for (size_t s = 0; s < c->n_sets; s++)
        for (uint32_t j = 0; j < c->sets[s].len; j++) {
            uint64_t h = c->set_hash[c->sets[s].off + j];
            size_t m = c->set_tab_cap - 1;
            size_t x = set_home(h, s, c->set_tab_cap);
            while (c->set_tab[x].set && !(c->set_tab[x].set == s + 1 && c->set_tab[x].hash == h))
                x = (x + 1) & m;
            c->set_tab[x].hash = h;
            c->set_tab[x].set = (uint32_t)s + 1;
        }
    return 0;
}

static int set_has(const heard_cues *c, uint64_t set, uint64_t h)
{
    if (set >= c->n_sets || !c->set_tab_cap)
        return 0;
    size_t m = c->set_tab_cap - 1;
    size_t x = set_home(h, set, c->set_tab_cap);
    while (c->set_tab[x].set) {
        if (c->set_tab[x].set == set + 1 && c->set_tab[x].hash == h)
            return 1;
        x = (x + 1) & m;
    }
    return 0;
}

static int numword_has(const heard_cues *c, uint64_t h)
{
    size_t cap = sizeof c->numtab / sizeof c->numtab[0];
    if (h == 0)
        h = 1;
    size_t x = mix_index(h, cap);
    while (c->numtab[x]) {
        if (c->numtab[x] == h)
            return 1;
        x = (x + 1) & (cap - 1);
    }
    return 0;
}

/* First slot of a key in the vocabulary: one multiply per token (see
 * kid_slot). */
static inline size_t vocab_home(uint64_t key, size_t cap)
{
    return (size_t)(key * KID_MUL >> 32) & (cap - 1);
}

static vocab_slot *vocab_slot_of(vocab_slot *v, size_t cap, uint64_t key)
{
    size_t j = vocab_home(key, cap);
    while (v[j].key && v[j].key != key)
        j = (j + 1) & (cap - 1);
    return &v[j];
}

static const vocab_slot *vocab_find(const heard_cues *c, uint64_t key)
{
    size_t m = c->vocab_cap - 1;
    for (size_t j = vocab_home(key, c->vocab_cap); c->vocab[j].key; j = (j + 1) & m)
        if (c->vocab[j].key == key)
            return &c->vocab[j];
    return NULL;
}

static uint32_t root_child(const heard_cues *c, uint64_t key);

/* Fill v (cap slots) with the vocabulary; returns its number of entries. */
static size_t vocab_fill(heard_cues *c, vocab_slot *v, size_t cap)
{
    size_t n = 0;
    for (size_t k = 1; k < c->n_nodes; k++) {
        vocab_slot *x = vocab_slot_of(v, cap, c->node_key[k]);
        n += !x->key;
        x->key = c->node_key[k];
        x->flags |= VK_KEY;
        x->kbit = (uint8_t)(bloom_bit(x->key) >> 24 & 63u);
        if (k <= c->nodes[0].n_child) /* the root's children are nodes 1..n */
            x->root = (uint32_t)k;
    }
    for (size_t i = 0; i < c->n_numwords; i++) {
        vocab_slot *x = vocab_slot_of(v, cap, c->numwords[i]);
        n += !x->key;
        x->key = c->numwords[i];
        x->flags |= VK_NUM;
        x->kbit = (uint8_t)(bloom_bit(x->key) >> 24 & 63u);
    }
    return n;
}

/* The vocabulary (see vocab_slot), once the trie and the number words are
 * built, in a table at most half full; the number words join the key
 * filter (keyf) that guards it. Counted first in a table sized by the trie
 * (most keys label many edges). */
static int build_vocab(heard_cues *c, const compiler *k)
{
    size_t cap = pow2_at_least((c->n_nodes + c->n_numwords) * 2 + 1);
    vocab_slot *tmp = calloc(cap, sizeof *tmp);
    if (!tmp)
        return -1;
    size_t n = vocab_fill(c, tmp, cap);
    free(tmp);
    c->vocab_cap = pow2_at_least(n * 2 + 1);
    c->vocab = calloc(c->vocab_cap, sizeof *c->vocab);
    if (!c->vocab)
        return -1;
    vocab_fill(c, c->vocab, c->vocab_cap);
    for (size_t i = 0; i < c->n_numwords; i++)
        filter_add(c->keyf, KEYF_BITS, c->numwords[i]);
    /* the stems of the forms the compiler saw: the tokenizer stems a form
     * the same way wherever it occurs (its own memo is keyed by the form
     * hash), so a token of that form has that stem */
    for (size_t j = 0; k->forms && c->vocab_cap <= UINT16_MAX && j < c->vocab_cap; j++) {
        vocab_slot *v = &c->vocab[j];
        if (!v->key)
            continue;
        size_t x = mix_index(v->key, FORM_SLOTS);
        while (k->forms[x].form && k->forms[x].form != v->key)
            x = (x + 1) & (FORM_SLOTS - 1);
        if (!k->forms[x].form)
            continue;
        uint64_t sk = stem_key(k->forms[x].stem);
        const vocab_slot *s = vocab_find(c, sk ? sk : 1);
        v->flags |= VK_STEM;
        v->stem = s && (s->flags & VK_KEY) ? (uint16_t)(s - c->vocab + 1) : 0;
    }
    return 0;
}

/* root_cls from the root's table. */
static void find_root_cls(heard_cues *c)
{
    static const uint64_t cls[3] = {KEY_NUM, KEY_TIME, KEY_DATE};
    for (int a = 0; a < 3; a++) {
        uint32_t r = c->n_nodes ? root_child(c, cls[a]) : UINT32_MAX;
        c->root_cls[a] = r == UINT32_MAX ? 0 : r;
    }
}

static int build_stopwords(heard_cues *c, compiler *k)
{
    heard_tokens *toks = &k->toks;
    size_t n = sizeof stopwords / sizeof stopwords[0];
    c->stop_cap = pow2_at_least(n * 3);
    c->stop = calloc(c->stop_cap, sizeof *c->stop);
    if (!c->stop)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (heard_tokenize(toks, stopwords[i], strlen(stopwords[i])) != 0)
            return -1;
        for (size_t t = 0; t < toks->n; t++) {
            uint64_t h = toks->tok[t].hash ? toks->tok[t].hash : 1;
            size_t j = (size_t)h & (c->stop_cap - 1);
            while (c->stop[j] && c->stop[j] != h)
                j = (j + 1) & (c->stop_cap - 1);
            c->stop[j] = h;
        }
    }
    for (size_t i = 0; i < sizeof number_words / sizeof number_words[0]; i++) {
        if (heard_tokenize(toks, number_words[i], strlen(number_words[i])) != 0)
            return -1;
        note_forms(k);
        if (toks->n == 1 && c->n_numwords < sizeof c->numwords / sizeof c->numwords[0]) {
            uint64_t h = toks->tok[0].hash ? toks->tok[0].hash : 1;
            c->numwords[c->n_numwords++] = h;
            size_t cap = sizeof c->numtab / sizeof c->numtab[0];
            size_t x = mix_index(h, cap);
            while (c->numtab[x] && c->numtab[x] != h)
                x = (x + 1) & (cap - 1);
            c->numtab[x] = h;
        }
    }
    return 0;
}

long heard_cues_check(const heard_cues *c)
{
    if (!c || !c->n_nodes || !c->vocab_cap)
        return -1;
    uint32_t n_root = c->nodes[0].n_child;
    for (size_t k = 1; k < c->n_nodes; k++) { /* every edge key, with its root child */
        const vocab_slot *v = vocab_find(c, c->node_key[k]);
        uint32_t r = root_child(c, c->node_key[k]);
        if (!v || !(v->flags & VK_KEY) || v->root != (r == UINT32_MAX ? 0 : r))
            return -1;
        const trie_node *nd = &c->nodes[k]; /* the walk's child tables */
        if (nd->tab_mask != (nd->n_child > SMALL_NODE ? kid_cap(nd->n_child) - 1 : 0))
            return -1;
    }
    long n = 0;
    for (size_t j = 0; j < c->vocab_cap; j++) {
        const vocab_slot *v = &c->vocab[j];
        if (!v->key)
            continue;
        n++;
        if (!filter_has(c->keyf, KEYF_BITS, v->key) || vocab_find(c, v->key) != v ||
            !(v->flags & (VK_KEY | VK_NUM)) || ((v->flags & VK_NUM) && !numword_has(c, v->key)) ||
            kmask_bit(v->key) != 1ull << v->kbit ||
            (v->stem && (!(v->flags & VK_STEM) || v->stem > c->vocab_cap ||
                         !(c->vocab[v->stem - 1].flags & VK_KEY))) ||
            (v->root && (v->root > n_root || c->node_key[v->root] != v->key)))
            return -1;
    }
    static const uint64_t cls[3] = {KEY_NUM, KEY_TIME, KEY_DATE};
    for (int a = 0; a < 3; a++) {
        uint32_t r = root_child(c, cls[a]);
        if (c->root_cls[a] != (r == UINT32_MAX ? 0 : r))
            return -1;
    }
    /* each word set element's member bits, from the (set, member) table */
    uint64_t *bits = calloc(c->n_sets ? c->n_sets : 1, sizeof *bits);
    if (!bits)
        return -1;
    for (size_t j = 0; j < c->set_tab_cap; j++)
        if (c->set_tab[j].set && c->set_tab[j].set <= c->n_sets)
            bits[c->set_tab[j].set - 1] |= set_bit(c->set_tab[j].hash);
    int bad = 0;
    for (size_t j = 0; j < c->n_elems && !bad; j++)
        bad = c->elems[j].kind == E_SET &&
              (c->elems[j].set >= c->n_sets || c->elems[j].hash != bits[c->elems[j].set]);
    free(bits);
    return bad ? -1 : n;
}

size_t heard_cues_count(const heard_cues *c, size_t *skipped)
{
    if (skipped)
        *skipped = c ? c->n_skipped : 0;
    return c ? c->n_pats : 0;
}

const uint64_t *heard_cues_stopset(const heard_cues *c, size_t *cap)
{
    *cap = c ? c->stop_cap : 0;
    return *cap ? c->stop : NULL;
}

int heard_cues_stopword(const heard_cues *c, uint64_t hash)
{
    if (!c || !c->stop_cap)
        return 0;
    if (hash == 0)
        hash = 1;
    size_t j = (size_t)hash & (c->stop_cap - 1);
    while (c->stop[j]) {
        if (c->stop[j] == hash)
            return 1;
        j = (j + 1) & (c->stop_cap - 1);
    }
    return 0;
}

heard_cues *heard_cues_compile(void)
{
    heard_cues *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->owned = 1;
    compiler k;
    memset(&k, 0, sizeof k);
    k.c = c;
    if (heard_tokens_init(&k.toks) != 0) {
        free(c);
        return NULL;
    }
    k.memo = calloc(MEMO_SLOTS, sizeof *k.memo);
    k.memo_str = malloc(MEMO_STR);
    k.memo_el = malloc(MEMO_ELEMS * sizeof *k.memo_el);
    k.forms = calloc(FORM_SLOTS, sizeof *k.forms); /* none: same result, slower matching */
    if (!k.memo || !k.memo_str || !k.memo_el) { /* slower without, same result */
        free(k.memo);
        k.memo = NULL;
    }
    for (size_t f = 0; f < sizeof families / sizeof families[0] && !k.failed; f++) {
        k.cue = families[f].cue;
        for (size_t i = 0; i < families[f].n && !k.failed; i++)
            compile_pattern(&k, families[f].pats[i], families[f].strength);
    }
    int bad = k.failed || build_index(c) != 0 || build_sets(c) != 0 ||
              build_stopwords(c, &k) != 0 || build_vocab(c, &k) != 0;
    if (!bad)
        find_root_cls(c);
    heard_tokens_free(&k.toks);
    free(k.memo);
    free(k.memo_str);
    free(k.memo_el);
    free(k.forms);
    if (bad) {
        heard_cues_free(c);
        return NULL;
    }
    return c;
}

void heard_cues_free(heard_cues *c)
{
    if (!c)
        return;
    if (!c->owned) {
        free(c);
        return;
    }
    free(c->elems);
    free(c->pats);
    free(c->edges);
    free(c->nodes);
    free(c->node_key);
    free(c->tpats);
    free(c->root_tab);
    free(c->kids);
    free(c->set_tab);
    free(c->vocab);
    free(c->stop);
    free(c->set_hash);
    free(c->sets);
    free(c);
}

/* ------------------------------------------------------------------ */
/* Built-in tables                                                      */

/* The compiled tables as one flat image, written at build time by
 * heard_cuegen (src/cuegen.c) and linked into the library, so that an
 * analyser starts without compiling the patterns: the image is read-only
 * data, paged in as the matcher touches it and shared between processes.
 * Sections are arrays of the records above, each 64-byte aligned; the
 * header repeats the record sizes, so an image from another ABI is
 * refused (and the tables are compiled instead). */
#define BLOB_MAGIC 0x336575636472616eull /* "nardcue3" little end first */
#define BLOB_ALIGN 64

enum blob_sec {
    S_ELEMS, S_PATS, S_NODES, S_NODE_KEY, S_TPATS, S_ROOT_TAB, S_KIDS,
    S_ROOTF, S_KEYF, S_NUMTAB, S_SET_TAB, S_STOP, S_VOCAB, S_N
};

typedef struct blob_head {
    uint64_t magic;
    uint64_t n_sets, n_skipped;
    uint64_t size[S_N]; /* record size of each section */
    uint64_t n[S_N];    /* records in each section */
    uint64_t off[S_N];  /* byte offset of each section from the image start */
} blob_head;

static const uint64_t sec_size[S_N] = {
    sizeof(elem),     sizeof(pattern),  sizeof(trie_node), sizeof(uint64_t), sizeof(pattern),
    sizeof(uint32_t), sizeof(kid),      sizeof(uint64_t),  sizeof(uint64_t), sizeof(uint64_t),
    sizeof(set_slot), sizeof(uint64_t), sizeof(vocab_slot),
};

/* Each section's records and their count. */
static void blob_sections(const heard_cues *c, const void *p[S_N], uint64_t n[S_N])
{
    p[S_ELEMS] = c->elems, n[S_ELEMS] = c->n_elems;
    p[S_PATS] = c->pats, n[S_PATS] = c->n_pats;
    p[S_NODES] = c->nodes, n[S_NODES] = c->n_nodes;
    p[S_NODE_KEY] = c->node_key, n[S_NODE_KEY] = c->n_nodes;
    p[S_TPATS] = c->tpats, n[S_TPATS] = c->n_tpats;
    p[S_ROOT_TAB] = c->root_tab, n[S_ROOT_TAB] = c->root_cap;
    p[S_KIDS] = c->kids, n[S_KIDS] = c->n_kids;
    p[S_ROOTF] = c->rootf, n[S_ROOTF] = ROOTF_BITS / 64;
    p[S_KEYF] = c->keyf, n[S_KEYF] = KEYF_BITS / 64;
    p[S_NUMTAB] = c->numtab, n[S_NUMTAB] = sizeof c->numtab / sizeof c->numtab[0];
    p[S_SET_TAB] = c->set_tab, n[S_SET_TAB] = c->set_tab_cap;
    p[S_STOP] = c->stop, n[S_STOP] = c->stop_cap;
    p[S_VOCAB] = c->vocab, n[S_VOCAB] = c->vocab_cap;
}

/* Copy section s of n records from src to dst with padding bytes zeroed,
 * so that the image depends on the tables only. */
static void blob_copy(unsigned char *dst, int s, const void *src, size_t n)
{
    switch (s) {
    case S_ELEMS:
        for (size_t i = 0; i < n; i++) {
            const elem *x = (const elem *)src + i;
            elem y;
            memset(&y, 0, sizeof y);
            y.hash = x->hash;
            y.kind = x->kind;
            y.set = x->set;
            memcpy(dst + i * sizeof y, &y, sizeof y);
        }
        return;
    case S_PATS:
    case S_TPATS:
        for (size_t i = 0; i < n; i++) {
            const pattern *x = (const pattern *)src + i;
            pattern y;
            memset(&y, 0, sizeof y);
            y.elem_off = x->elem_off;
            y.n_elem = x->n_elem;
            y.cue = x->cue;
            y.strength = x->strength;
            y.flags = x->flags;
            memcpy(dst + i * sizeof y, &y, sizeof y);
        }
        return;
    case S_NODES:
        for (size_t i = 0; i < n; i++) {
            const trie_node *x = (const trie_node *)src + i;
            trie_node y;
            memset(&y, 0, sizeof y);
            y.kmask = x->kmask;
            y.pat_off = x->pat_off;
            y.child_off = x->child_off;
            y.pat_len = x->pat_len;
            y.n_child = x->n_child;
            y.gap = x->gap;
            y.tab_off = x->tab_off;
            y.tab_mask = x->tab_mask;
            memcpy(dst + i * sizeof y, &y, sizeof y);
        }
        return;
    case S_KIDS: /* heard_cues_blob copies the filter slots again, whole */
        for (size_t i = 0; i < n; i++) {
            const kid *x = (const kid *)src + i;
            kid y;
            memset(&y, 0, sizeof y);
            y.key = x->key;
            y.child = x->child;
            memcpy(dst + i * sizeof y, &y, sizeof y);
        }
        return;
    case S_SET_TAB:
        for (size_t i = 0; i < n; i++) {
            const set_slot *x = (const set_slot *)src + i;
            set_slot y;
            memset(&y, 0, sizeof y);
            y.hash = x->hash;
            y.set = x->set;
            memcpy(dst + i * sizeof y, &y, sizeof y);
        }
        return;
    case S_VOCAB:
        for (size_t i = 0; i < n; i++) {
            const vocab_slot *x = (const vocab_slot *)src + i;
            vocab_slot y;
            memset(&y, 0, sizeof y);
            y.key = x->key;
            y.root = x->root;
            y.flags = x->flags;
            y.kbit = x->kbit;
            y.stem = x->stem;
            memcpy(dst + i * sizeof y, &y, sizeof y);
        }
        return;
    default:
        if (n)
            memcpy(dst, src, n * sec_size[s]);
    }
}

void *heard_cues_blob(const heard_cues *c, size_t *len)
{
    const void *p[S_N];
    blob_head h;
    memset(&h, 0, sizeof h);
    blob_sections(c, p, h.n);
    h.magic = BLOB_MAGIC;
    h.n_sets = c->n_sets;
    h.n_skipped = c->n_skipped;
    size_t at = (sizeof h + BLOB_ALIGN - 1) / BLOB_ALIGN * BLOB_ALIGN;
    for (int s = 0; s < S_N; s++) {
        h.size[s] = sec_size[s];
        h.off[s] = at;
        at += (h.n[s] * sec_size[s] + BLOB_ALIGN - 1) / BLOB_ALIGN * BLOB_ALIGN;
    }
    unsigned char *b = aligned_alloc(BLOB_ALIGN, at); /* at: a multiple of it */
    if (!b)
        return NULL;
    memset(b, 0, at);
    memcpy(b, &h, sizeof h);
    for (int s = 0; s < S_N; s++)
        blob_copy(b + h.off[s], s, p[s], h.n[s]);
    for (size_t k = 1; k < c->n_nodes; k++) /* the key filters of big nodes */
        if (c->nodes[k].n_child > SMALL_NODE)
            memcpy(b + h.off[S_KIDS] + c->nodes[k].tab_off * sizeof(kid),
                   c->kids + c->nodes[k].tab_off, KID_MASK_SLOTS * sizeof(kid));
    *len = at;
    return b;
}

heard_cues *heard_cues_from_blob(const void *blob, size_t len)
{
    blob_head h;
    if (!blob || len < sizeof h || (uintptr_t)blob % BLOB_ALIGN)
        return NULL;
    memcpy(&h, blob, sizeof h);
    if (h.magic != BLOB_MAGIC)
        return NULL;
    for (int s = 0; s < S_N; s++)
        if (h.size[s] != sec_size[s] || h.off[s] % BLOB_ALIGN || h.off[s] > len ||
            h.n[s] > (len - h.off[s]) / sec_size[s])
            return NULL;
    heard_cues *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    const unsigned char *b = blob;
    /* the matcher only reads these: the casts drop the const of the image */
    c->elems = (elem *)(uintptr_t)(b + h.off[S_ELEMS]);
    c->n_elems = h.n[S_ELEMS];
    c->pats = (pattern *)(uintptr_t)(b + h.off[S_PATS]);
    c->n_pats = h.n[S_PATS];
    c->nodes = (trie_node *)(uintptr_t)(b + h.off[S_NODES]);
    c->n_nodes = h.n[S_NODES];
    c->node_key = (uint64_t *)(uintptr_t)(b + h.off[S_NODE_KEY]);
    c->tpats = (pattern *)(uintptr_t)(b + h.off[S_TPATS]);
    c->n_tpats = h.n[S_TPATS];
    c->root_tab = (uint32_t *)(uintptr_t)(b + h.off[S_ROOT_TAB]);
    c->root_cap = h.n[S_ROOT_TAB];
    c->kids = (kid *)(uintptr_t)(b + h.off[S_KIDS]);
    c->n_kids = h.n[S_KIDS];
    c->set_tab = (set_slot *)(uintptr_t)(b + h.off[S_SET_TAB]);
    c->set_tab_cap = h.n[S_SET_TAB];
    c->stop = (uint64_t *)(uintptr_t)(b + h.off[S_STOP]);
    c->stop_cap = h.n[S_STOP];
    c->vocab = (vocab_slot *)(uintptr_t)(b + h.off[S_VOCAB]);
    c->vocab_cap = h.n[S_VOCAB];
    c->n_sets = h.n_sets;
    c->n_skipped = h.n_skipped;
    int bad = h.n[S_NODE_KEY] != c->n_nodes || h.n[S_ROOTF] != ROOTF_BITS / 64 ||
              h.n[S_KEYF] != KEYF_BITS / 64 ||
              h.n[S_NUMTAB] != sizeof c->numtab / sizeof c->numtab[0] ||
              c->vocab_cap < 64 || (c->vocab_cap & (c->vocab_cap - 1));
    if (bad) {
        free(c);
        return NULL;
    }
    memcpy(c->rootf, b + h.off[S_ROOTF], sizeof c->rootf);
    memcpy(c->keyf, b + h.off[S_KEYF], sizeof c->keyf);
    memcpy(c->numtab, b + h.off[S_NUMTAB], sizeof c->numtab);
    find_root_cls(c);
    return c;
}

heard_cues *heard_cues_new(void)
{
    size_t len = 0;
    const void *b = heard_cue_builtin(&len);
    heard_cues *c = b ? heard_cues_from_blob(b, len) : NULL;
    return c ? c : heard_cues_compile();
}

/* ------------------------------------------------------------------ */
/* Matching                                                             */

static int is_wordish(const heard_token *t)
{
    return t->type != TOK_PUNCT;
}

/* Punctuation the matcher steps over between pattern words. */
static int skippable(const heard_tokens *t, size_t i)
{
    const heard_token *k = &t->tok[i];
    if (k->type != TOK_PUNCT)
        return 0;
    size_t len;
    const char *s = heard_tok_norm(t, i, &len);
    /* quote marks too: scare quotes are common in complaints ("I need it
     * 'fixed' today", "your 'next day' delivery") */
    if (len == 1 && (s[0] == ',' || s[0] == '-' || s[0] == ';' || s[0] == ':' || s[0] == '"' ||
                     s[0] == '\''))
        return 1;
    if ((len == 3 && (memcmp(s, "\xe2\x80\x94", 3) == 0 || memcmp(s, "\xe2\x80\x93", 3) == 0 ||
                      memcmp(s, "\xe2\x80\xa6", 3) == 0 || memcmp(s, "\xe2\x80\x9c", 3) == 0 ||
                      memcmp(s, "\xe2\x80\x9d", 3) == 0 || memcmp(s, "\xe2\x80\x98", 3) == 0 ||
                      memcmp(s, "\xe2\x80\x99", 3) == 0)) ||
        (len >= 2 && s[0] == '.' && s[1] == '.') || (len == 2 && s[0] == '-' && s[1] == '-'))
        return 1;
    return 0;
}

static int elem_ok(const heard_cues *c, const elem *e, const heard_token *t)
{
    switch (e->kind) {
    case E_LIT:
        return t->hash == e->hash;
    case E_STEM:
        return t->type == TOK_WORD && t->stem_hash == e->hash;
    case E_ANY:
        return is_wordish(t);
    case E_NUM:
        return t->type == TOK_NUMBER || numword_has(c, t->hash);
    case E_TIME:
        return t->type == TOK_TIME;
    case E_DATE:
        return t->type == TOK_DATE;
    case E_SET:
        return set_has(c, e->set, t->hash);
    }
    return 0;
}

/* Match elements e[0..n) starting at token i (i is the first candidate
 * token for e[0]); returns the end token index (exclusive) or -1. */
static long match_rest(const heard_cues *c, const heard_tokens *t, const elem *e, size_t n,
                       size_t i, uint16_t sent)
{
    if (n == 0)
        return (long)i;
    if (e->kind == E_GAP) {
        size_t j = i;
        for (int g = 0; g <= GAP_MAX; g++) {
            long r = match_rest(c, t, e + 1, n - 1, j, sent);
            if (r >= 0)
                return r;
            while (j < t->n && skippable(t, j))
                j++;
            if (j >= t->n || t->tok[j].sent != sent || !is_wordish(&t->tok[j]) ||
                (t->tok[j].flags & TF_NEGATOR))
                return -1; /* a gap never swallows a negator: "I'm not angry" */
            j++;
        }
        return -1;
    }
    while (i < t->n && skippable(t, i) && !(e->kind == E_LIT && elem_ok(c, e, &t->tok[i])))
        i++;
    if (i >= t->n || t->tok[i].sent != sent || !elem_ok(c, e, &t->tok[i]))
        return -1;
    return match_rest(c, t, e + 1, n - 1, i + 1, sent);
}

static int hits_push(heard_cue_hits *h, const heard_cue_hit *x)
{
    if (h->n == h->cap) {
        size_t ncap = h->cap ? h->cap * 2 : 64;
        heard_cue_hit *nh = realloc(h->hit, ncap * sizeof *nh);
        if (!nh)
            return -1;
        h->hit = nh;
        h->cap = ncap;
    }
    h->hit[h->n++] = *x;
    return 0;
}

static int ends_sentence(const heard_tokens *t, size_t end)
{
    return end >= t->n || t->tok[end].sent != t->tok[end - 1].sent ||
           t->tok[end].type == TOK_PUNCT;
}

/* Matches found at one token: the longest per cue (best[], indexed by
 * cue), and which cues have one (touched, in the order found). */
typedef struct match_state {
    heard_cue_hit best[CUE_N];
    uint8_t have[CUE_N];
    uint16_t touched[CUE_N];
    size_t n_touched;
} match_state;

/* Try pattern p at token i; keep the longest match per cue. */
static void try_pattern(const heard_cues *c, const elem *elems, const heard_tokens *t, size_t i,
                        const pattern *p, match_state *m)
{
    const heard_token *tok = &t->tok[i];
    if ((p->flags & PF_SENT_START) && !(tok->flags & TF_SENT_START))
        return;
    if ((p->flags & PF_QUESTION) && !(tok->flags & TF_QUESTION))
        return;
    if (!(p->flags & PF_NONEG) && (tok->flags & TF_NEGATED) && !(tok->flags & TF_NEGATOR))
        return;
    const elem *e = &elems[p->elem_off];
    if (!elem_ok(c, e, tok))
        return;
    long end = match_rest(c, t, e + 1, p->n_elem - 1u, i + 1, tok->sent);
    if (end < 0)
        return;
    if ((p->flags & PF_END) && !ends_sentence(t, (size_t)end))
        return;
    heard_cue_hit *b = &m->best[p->cue];
    if (!m->have[p->cue] || (uint32_t)end > b->last ||
        ((uint32_t)end == b->last && p->strength > b->strength)) {
        if (!m->have[p->cue])
            m->touched[m->n_touched++] = p->cue;
        m->have[p->cue] = 1;
        b->cue = p->cue;
        b->strength = p->strength;
        b->first = (uint32_t)i;
        b->last = (uint32_t)end;
    }
}

/* ---- the fast path: one table per turn ---- */

/* What the matcher asks of a token, computed once per turn: its index keys
 * and the root's children they lead to, its sentence, and its class bits,
 * so that stepping over punctuation, "any word", "#" and the gap's stops
 * test a bit instead of looking at the token's text or probing a table. */
enum tok_class { TC_SKIP = 1, TC_WORDISH = 2, TC_NUM = 4, TC_NEGATOR = 8 };

typedef struct tok_info {
    uint64_t k[3];       /* index keys (turn_fill) */
    uint64_t kbits;      /* kmask_bit of each key: a node whose kmask has none of
                          * them has no child for this token (most lookups) */
    uint32_t root[3];    /* root's children they lead to, first n_root */
    uint8_t kb[3];       /* each key's bit number in a kmask */
    uint8_t nk, n_root;
    uint8_t cls;         /* tok_class bits */
    uint16_t sent;
} tok_info;

#define TI_STACK 128 /* turns up to this many tokens need no allocation */

typedef struct turn {
    const heard_tokens *t;
    const tok_info *ti;
    size_t n;
} turn;

#ifdef __GNUC__
#define PREFETCH(p) __builtin_prefetch(p)
#define HOT_INLINE inline __attribute__((always_inline))
#define COLD __attribute__((cold, noinline))
#else
#define PREFETCH(p) ((void)(p))
#define HOT_INLINE inline
#define COLD
#endif

/* The vocabulary entry of key, or NULL. */
static inline const vocab_slot *vocab_get(const heard_cues *c, uint64_t key)
{
    size_t m = c->vocab_cap - 1;
    for (size_t j = vocab_home(key, c->vocab_cap); c->vocab[j].key; j = (j + 1) & m)
        if (c->vocab[j].key == key)
            return &c->vocab[j];
    return NULL;
}

/* Key of x when v (its vocabulary entry, or NULL) says a trie edge uses it. */
static inline void ti_add(const heard_cues *c, tok_info *x, const vocab_slot *v, uint64_t key)
{
    if (!v || !(v->flags & VK_KEY))
        return;
    x->kb[x->nk] = v->kbit;
    x->k[x->nk++] = key;
    x->kbits |= 1ull << v->kbit;
    if (v->root) {
        x->root[x->n_root++] = v->root;
        PREFETCH(&c->nodes[v->root]);
    }
}

/* The vocabulary entry of a word's stem key when a trie edge uses it,
 * else NULL; v is the entry of its form (or NULL). */
static inline const vocab_slot *stem_entry(const heard_cues *c, const vocab_slot *v,
                                           uint64_t stem_hash)
{
    if (v && (v->flags & VK_STEM)) /* the form's stem key known: no probe */
        return v->stem ? &c->vocab[v->stem - 1] : NULL;
    uint64_t sk = stem_key(stem_hash);
    sk = sk ? sk : 1;
    const vocab_slot *s = filter_has(c->keyf, KEYF_BITS, sk) ? vocab_get(c, sk) : NULL;
    return s && (s->flags & VK_KEY) ? s : NULL;
}

void heard_cues_word(const heard_cues *c, uint64_t hash, uint64_t stem_hash,
                     heard_word_info *wi)
{
    wi->cue_form = wi->cue_stem = 0;
    wi->bits &= ~(uint32_t)HEARD_WI_STOP;
    if (!c || !c->vocab_cap)
        return;
    const vocab_slot *v = vocab_get(c, hash ? hash : 1);
    const vocab_slot *s = stem_entry(c, v, stem_hash);
    wi->cue_form = v ? (uint32_t)(v - c->vocab) + 1 : 0;
    wi->cue_stem = s ? (uint32_t)(s - c->vocab) + 1 : 0;
    if (heard_cues_stopword(c, hash))
        wi->bits |= HEARD_WI_STOP;
}

/* Fill ti[0..t->n): a token's keys are its form, its stem and its class
 * (number, time, date), each kept when some trie edge uses it; one
 * vocabulary probe per form or stem says that, the root's child, and
 * whether the form is a number word. Nearly every form is in the
 * vocabulary, so forms are probed directly; the entry of a form the
 * patterns spell also gives its stem's key (vocab_slot.stem), and only the
 * stems of other words go through the key filter. The probes of successive tokens do not
 * depend on each other, so they overlap without being issued ahead; the
 * root children are prefetched for the walk, the tables being cold at
 * every turn (the models sweep the caches). Words whose tokenizer ran for
 * these tables (heard_tokens_bind) carry their entries: no probe at all. */
static void turn_fill(const heard_cues *c, const heard_tokens *t, tok_info *ti)
{
    bool carried = t->annot && t->annot->cues == c;
    for (size_t j = 0; j < t->n; j++) {
        const heard_token *tok = &t->tok[j];
        tok_info *x = &ti[j];
        x->nk = x->n_root = 0;
        x->kbits = 0;
        uint64_t h = tok->hash ? tok->hash : 1;
        if (tok->type == TOK_WORD && carried) {
            const vocab_slot *v = tok->wi.cue_form ? &c->vocab[tok->wi.cue_form - 1] : NULL;
            int num = v && (v->flags & VK_NUM);
            ti_add(c, x, v, h);
            if (tok->wi.cue_stem) {
                const vocab_slot *s = &c->vocab[tok->wi.cue_stem - 1];
                ti_add(c, x, s, s->key);
            }
            if (num) {
                x->kb[x->nk] = (uint8_t)(bloom_bit(KEY_NUM) >> 24 & 63u);
                x->k[x->nk++] = KEY_NUM;
                x->kbits |= kmask_bit(KEY_NUM);
                if (c->root_cls[0]) {
                    x->root[x->n_root++] = c->root_cls[0];
                    PREFETCH(&c->nodes[c->root_cls[0]]);
                }
            }
            x->sent = tok->sent;
            x->cls = (uint8_t)(TC_WORDISH | (num ? TC_NUM : 0) |
                               (tok->flags & TF_NEGATOR ? TC_NEGATOR : 0));
            continue;
        }
        const vocab_slot *v = vocab_get(c, h);
        int num = tok->type == TOK_NUMBER || (v && (v->flags & VK_NUM));
        ti_add(c, x, v, h);
        if (tok->type == TOK_WORD) {
            const vocab_slot *s = stem_entry(c, v, tok->stem_hash);
            if (s)
                ti_add(c, x, s, s->key);
        }
        int cl = num ? 0 : tok->type == TOK_TIME ? 1 : tok->type == TOK_DATE ? 2 : -1;
        if (cl >= 0) {
            static const uint64_t cls_key[3] = {KEY_NUM, KEY_TIME, KEY_DATE};
            x->kb[x->nk] = (uint8_t)(bloom_bit(cls_key[cl]) >> 24 & 63u);
            x->k[x->nk++] = cls_key[cl];
            x->kbits |= kmask_bit(cls_key[cl]);
            if (c->root_cls[cl]) {
                x->root[x->n_root++] = c->root_cls[cl];
                PREFETCH(&c->nodes[c->root_cls[cl]]);
            }
        }
        x->sent = tok->sent;
        x->cls = (uint8_t)((tok->type != TOK_PUNCT ? TC_WORDISH : skippable(t, j) ? TC_SKIP : 0) |
                           (num ? TC_NUM : 0) | (tok->flags & TF_NEGATOR ? TC_NEGATOR : 0));
    }
}

/* elem_ok on the turn table. */
static inline int ti_elem_ok(const heard_cues *c, const elem *e, const heard_token *t,
                             const tok_info *x)
{
    switch (e->kind) {
    case E_LIT:
        return t->hash == e->hash;
    case E_STEM:
        return t->type == TOK_WORD && t->stem_hash == e->hash;
    case E_ANY:
        return x->cls & TC_WORDISH;
    case E_NUM:
        return x->cls & TC_NUM;
    case E_TIME:
        return t->type == TOK_TIME;
    case E_DATE:
        return t->type == TOK_DATE;
    case E_SET:
        return (e->hash & set_bit(t->hash)) && set_has(c, e->set, t->hash);
    }
    return 0;
}

/* match_rest on the turn table: a loop, recursing only after a gap. */
static long ti_match_rest(const heard_cues *c, const turn *u, const elem *e, size_t n, size_t i,
                          uint16_t sent)
{
    const heard_token *tok = u->t->tok;
    const tok_info *ti = u->ti;
    size_t nt = u->n;
    for (; n; e++, n--) {
        if (e->kind == E_LIT) { /* most elements: compared by hash only */
            uint64_t h = e->hash;
            while (i < nt && (ti[i].cls & TC_SKIP) && tok[i].hash != h)
                i++;
            if (i >= nt || ti[i].sent != sent || tok[i].hash != h)
                return -1;
            i++;
            continue;
        }
        if (e->kind == E_GAP) {
            size_t j = i;
            for (int g = 0; g <= GAP_MAX; g++) {
                /* a word after the gap (most gaps): tried here before a call */
                int word_ok = 1;
                if (e[1].kind == E_LIT) {
                    size_t k = j;
                    while (k < nt && (ti[k].cls & TC_SKIP) && tok[k].hash != e[1].hash)
                        k++;
                    word_ok = k < nt && ti[k].sent == sent && tok[k].hash == e[1].hash;
                }
                long r = word_ok ? ti_match_rest(c, u, e + 1, n - 1, j, sent) : -1;
                if (r >= 0)
                    return r;
                while (j < u->n && (ti[j].cls & TC_SKIP))
                    j++;
                if (j >= u->n || ti[j].sent != sent || (ti[j].cls & (TC_WORDISH | TC_NEGATOR)) != TC_WORDISH)
                    return -1; /* a gap never swallows a negator: "I'm not angry" */
                j++;
            }
            return -1;
        }
        while (i < nt && (ti[i].cls & TC_SKIP))
            i++;
        if (i >= nt || ti[i].sent != sent || !ti_elem_ok(c, e, &tok[i], &ti[i]))
            return -1;
        i++;
    }
    return (long)i;
}

/* Keep m's longest match per cue (see try_pattern) with pattern p ending at end. */
static inline void keep_match(match_state *m, const pattern *p, size_t i, long end)
{
    heard_cue_hit *b = &m->best[p->cue];
    if (!m->have[p->cue] || (uint32_t)end > b->last ||
        ((uint32_t)end == b->last && p->strength > b->strength)) {
        if (!m->have[p->cue])
            m->touched[m->n_touched++] = p->cue;
        m->have[p->cue] = 1;
        b->cue = p->cue;
        b->strength = p->strength;
        b->first = (uint32_t)i;
        b->last = (uint32_t)end;
    }
}

/* The pattern flags a token rejects (see try_node), for the 16 values of
 * its four flag bits that matter, packed four bits each: a shift and a
 * mask instead of a dozen instructions per node. */
_Static_assert((TF_NEGATED | TF_NEGATOR | TF_SENT_START | TF_QUESTION) == 0xfu << 2,
               "the four flags the patterns test are bits 2..5");
#define REJ_OF(b)                                                                  \
    ((uint64_t)(((b) & (TF_SENT_START >> 2) ? 0u : PF_SENT_START) |               \
                ((b) & (TF_QUESTION >> 2) ? 0u : PF_QUESTION) |                   \
                (((b) & ((TF_NEGATED | TF_NEGATOR) >> 2)) == (TF_NEGATED >> 2) ? PF_NONEG : 0u)) \
     << (4 * (b)))
#define REJ_TAB                                                                        \
    (REJ_OF(0) | REJ_OF(1) | REJ_OF(2) | REJ_OF(3) | REJ_OF(4) | REJ_OF(5) | REJ_OF(6) | \
     REJ_OF(7) | REJ_OF(8) | REJ_OF(9) | REJ_OF(10) | REJ_OF(11) | REJ_OF(12) |          \
     REJ_OF(13) | REJ_OF(14) | REJ_OF(15))

/* try_pattern on the turn table for the patterns of node, whose first cd
 * elements the walk has matched at tokens i .. i + cd - 1 (see walk):
 * those are not checked again. The token's flags reject a pattern when
 * (pattern flags ^ PF_NONEG) & rej. */
static inline void try_node(const heard_cues *c, const turn *u, size_t i, uint32_t node,
                            size_t cd, match_state *m)
{
    const trie_node *nd = &c->nodes[node];
    unsigned rej = (unsigned)(REJ_TAB >> (4 * ((u->t->tok[i].flags >> 2) & 15u))) & 15u;
    const pattern *p = &c->tpats[nd->pat_off];
    /* the token after the vouched prefix, when no punctuation to step over:
     * a word set there that it is no member of fails without a call */
    size_t nx = i + cd;
    uint64_t nbit = nx < u->n && !(u->ti[nx].cls & TC_SKIP) ? set_bit(u->t->tok[nx].hash) : UINT64_MAX;
    for (uint32_t k = 0; k < nd->pat_len; k++, p++) {
        if (((unsigned)p->flags ^ PF_NONEG) & rej)
            continue;
        if (p->n_elem == cd) {
            long end = (long)nx;
            if ((p->flags & PF_END) && !ends_sentence(u->t, (size_t)end))
                continue;
            keep_match(m, p, i, end);
            continue;
        }
        const elem *e = &c->elems[p->elem_off + cd];
        if (e->kind == E_SET) {
            if (!(e->hash & nbit))
                continue;
            /* "{set} {set} word ...": with no punctuation to step over, the
             * word must be the token two on (most of these fail there) */
            size_t w2 = nx + 2;
            if (p->n_elem - cd >= 3 && e[1].kind == E_SET && e[2].kind == E_LIT && w2 < u->n &&
                nbit != UINT64_MAX && !((u->ti[nx + 1].cls | u->ti[w2].cls) & TC_SKIP) &&
                u->t->tok[w2].hash != e[2].hash)
                continue;
        }
        long end = ti_match_rest(c, u, e, p->n_elem - cd, nx, u->ti[i].sent);
        if (end < 0)
            continue;
        if ((p->flags & PF_END) && !ends_sentence(u->t, (size_t)end))
            continue;
        keep_match(m, p, i, end);
    }
}

#define WALK_MAX 64

/* One open path of the walk from token i: the node reached, the token of
 * its last element, its depth (elements matched) and how many of them
 * (cd) sit on consecutive tokens i, i + 1, ... with no punctuation
 * stepped over and no gap, exactly where match_rest would find them: its
 * elements are matched in order, each at the first token that can hold
 * it, and such a token holds the element's key (a literal compares the
 * form hash, a stem only words' stems, a word set its members' forms,
 * "#" numbers and number words). Past the first step over punctuation or
 * through a gap, match_rest may pick other tokens than the walk, so the
 * patterns are checked from element cd on. */
typedef struct walk {
    uint32_t node, pos;
    uint8_t depth, cd; /* at most MAX_DEPTH plus the gaps of a path */
} walk;

/* Child of node nd (not the root) by key, or UINT32_MAX: child_find
 * after the node's kmask has passed. */
static inline uint32_t kid_find(const heard_cues *c, const trie_node *nd, uint64_t key)
{
    if (nd->n_child <= SMALL_NODE) {
        const uint64_t *k = c->node_key + nd->child_off;
        for (uint32_t a = 0; a < nd->n_child; a++)
            if (k[a] == key)
                return nd->child_off + a;
        return UINT32_MAX;
    }
    const uint64_t *mask = (const uint64_t *)(c->kids + nd->tab_off);
    unsigned b = kid_bloom(key);
    if (!(mask[b >> 6] >> (b & 63) & 1u))
        return UINT32_MAX;
    size_t m = nd->tab_mask;
    const kid *tab = c->kids + nd->tab_off + KID_MASK_SLOTS;
    for (size_t j = kid_slot(key, m); tab[j].child; j = (j + 1) & m)
        if (tab[j].key == key)
            return tab[j].child;
    return UINT32_MAX;
}

/* Push onto st[0..n) the children of node nd (on path w) that token j
 * spells; the new number of paths, or WALK_MAX + 1 when the walk is full. */
static inline size_t push_children(const heard_cues *c, const tok_info *x, const trie_node *nd,
                                   walk w, size_t j, walk *st, size_t n)
{
    /* still consecutive: the next token, a word or class, not punctuation
     * the matcher steps over (a non-literal element would skip it) */
    uint8_t cd = (uint8_t)(w.cd + (w.cd == w.depth && j == (size_t)w.pos + 1 && !(x->cls & TC_SKIP)));
    for (size_t a = 0; a < x->nk; a++) {
        if (!(nd->kmask >> x->kb[a] & 1u))
            continue;
        uint32_t child = kid_find(c, nd, x->k[a]);
        if (child == UINT32_MAX)
            continue;
        if (n == WALK_MAX)
            return WALK_MAX + 1;
        PREFETCH(&c->nodes[child]);
        walk *s = &st[n++];
        s->node = child;
        s->pos = (uint32_t)j;
        s->depth = (uint8_t)(w.depth + 1);
        s->cd = cd;
    }
    return n;
}

/* One step of the walk from token i (see match_at): the patterns of path
 * w's node, and its children (through its gap too) that the following
 * tokens spell pushed onto st[0..*n). Returns -1 when the walk is full. */
static HOT_INLINE int visit(const heard_cues *c, const turn *u, size_t i, walk w, walk *st,
                        size_t *n, match_state *m)
{
    const tok_info *ti = u->ti;
    uint16_t sent = ti[i].sent;
    uint32_t node = w.node;
    const trie_node *nd = &c->nodes[node];
    if (nd->pat_len)
        PREFETCH(&c->tpats[nd->pat_off]);
    /* the children first: the patterns arrive meanwhile (their order
     * does not matter, see try_pattern) */
    if (nd->n_child)
        for (size_t j = (size_t)w.pos + 1; j < u->n && ti[j].sent == sent; j++) {
            if ((nd->kmask & ti[j].kbits) &&
                (*n = push_children(c, &ti[j], nd, w, j, st, *n)) > WALK_MAX)
                return -1;
            if (!(ti[j].cls & TC_SKIP))
                break;
        }
    if (nd->pat_len)
        try_node(c, u, i, node, w.cd, m);
    if (!nd->gap)
        return 0;
    /* through the gap: no longer consecutive */
    walk g = {nd->gap, w.pos, (uint8_t)(w.depth + 1), w.cd};
    if (c->nodes[nd->gap].pat_len) /* patterns the gap's element does not key */
        try_node(c, u, i, nd->gap, g.cd, m);
    if (!c->nodes[nd->gap].n_child)
        return 0;
    size_t words = 0;
    for (size_t j = (size_t)w.pos + 1; j < u->n && ti[j].sent == sent; j++) {
        if ((c->nodes[nd->gap].kmask & ti[j].kbits) &&
            (*n = push_children(c, &ti[j], &c->nodes[nd->gap], g, j, st, *n)) > WALK_MAX)
            return -1;
        if (ti[j].cls & TC_SKIP)
            continue;
        if ((ti[j].cls & (TC_WORDISH | TC_NEGATOR)) != TC_WORDISH || ++words > GAP_MAX)
            break;
    }
    return 0;
}

/* All patterns that can start at token i: walk the trie along the tokens
 * that follow, trying the patterns of every node reached. An element after
 * the first may match the punctuation the matcher steps over or the first
 * token after it; the element after a "**" any token of the gap's window
 * (see match_rest). The walk selects, and vouches for the consecutive
 * prefix of a path (see walk); ti_try checks the rest. The root's
 * children (most paths end there) are visited without the stack. */
static void match_at(const heard_cues *c, const turn *u, size_t i, match_state *m)
{
    walk st[WALK_MAX];
    size_t n = 0;
    const tok_info *x = &u->ti[i];
    for (size_t a = 0; a < x->n_root; a++)
        if (visit(c, u, i, (walk){x->root[a], (uint32_t)i, 1, 1}, st, &n, m))
            goto everything;
    while (n)
        if (visit(c, u, i, st[--n], st, &n, m))
            goto everything;
    return;
everything: /* pathological text: more open paths than the walk holds */
    for (size_t p = 0; p < c->n_pats; p++)
        try_pattern(c, c->elems, u->t, i, &c->pats[p], m);
}

/* Broad exploration hits become needs questions, or go, depending on
 * whether their sentence also asks for ticket facts; one that overlaps a
 * needs hit already there goes too. Order of the rest is kept. */
static void resolve_broad(const heard_tokens *t, heard_cue_hits *h)
{
    for (size_t a = 0; a < h->n; a++) {
        heard_cue_hit *x = &h->hit[a];
        if (x->cue != CUE_EXP_BROAD)
            continue;
        uint16_t s = t->tok[x->first].sent;
        int drop = 0;
        for (size_t b = 0; b < h->n && !drop; b++) {
            const heard_cue_hit *y = &h->hit[b];
            drop = (y->cue == CUE_EXP_PROCEDURAL && t->tok[y->first].sent == s) ||
                   (y->cue == CUE_EXP_NEEDS && y->first < x->last && x->first < y->last);
        }
        x->cue = drop ? CUE_N : CUE_EXP_NEEDS;
    }
    size_t w = 0;
    for (size_t a = 0; a < h->n; a++)
        if (h->hit[a].cue != CUE_N)
            h->hit[w++] = h->hit[a];
    h->n = w;
}

static int conditional_before(const heard_tokens *t, const heard_cue_hit *x)
{
    static const char *const cond[] = {"if", "unless", "case", "whether", NULL};
    const heard_sentence *se = &t->sent[t->tok[x->first].sent];
    for (size_t i = se->first; i < x->first; i++)
        if (heard_tok_in(t, i, cond))
            return 1;
    return 0;
}

/* A situation that is bad on its own: a phrase ("not working", "no
 * engineer", "on hold"), a word like "broken", "nothing" before a verb
 * ("Nothing works."), or "still" before a negation or "waiting". Decided
 * here, not by pattern strengths, which the models read as features. */
static int strong_situation(const heard_tokens *t, const heard_cue_hit *x)
{
    /* not "nothing" alone: "thanks! nothing else?" */
    static const char *const bad[] = {"broken", "dead", "missing", "useless", "waste", "wasted",
                                      NULL};
    static const char *const after_nothing[] = {"works", "worked", "happened", "changed",
                                                "arrived", "came", "helps", "helped",
                                                "showed", "has", "was", NULL};
    static const char *const after_still[] = {
        "no",      "not",    "nothing", "waiting", "broken", "without", "down",
        "dead",    "missing", "depends", "haven't", "hasn't", "can't",   "cannot",
        "don't",   "doesn't", "isn't",   "won't",   "charging", NULL};
    if (x->last - x->first >= 2 || heard_tok_in(t, x->first, bad))
        return 1;
    if (heard_tok_is(t, x->first, "nothing", 7))
        return heard_tok_in(t, x->last, after_nothing);
    return heard_tok_is(t, x->first, "still", 5) && heard_tok_in(t, x->last, after_still);
}

/* A "negative situation" hit that is not one after thanks: "thanks again",
 * something that works again ("it's working again", "I can breathe
 * again"), "you have no idea" ("Thank you, you've no idea how much this
 * helps"), where "no idea" intensifies the thanks, and news to the writer
 * ("Thank you! I had no idea this existed", "Thanks, never heard that
 * one"). */
static int benign_situation(const heard_tokens *t, const heard_cue_hit *x)
{
    static const char *const before_again[] = {
        "thanks", "you",     "cheers", "working", "works",  "work",  "worked",  "online",
        "breathe", "sleep",  "smile",  "relax",   "laugh",  "normal", "running", "connected",
        NULL};
    static const char *const you_have[] = {"you've", "youve", "you'd", "had", NULL};
    static const char *const learnt[] = {"heard", "knew", "known", "thought", "realised",
                                         "realized", NULL};
    if (heard_tok_is(t, x->first, "never", 5))
        return x->first + 1 < t->n && heard_tok_in(t, x->first + 1, learnt);
    if (x->first == 0)
        return 0;
    if (heard_tok_is(t, x->first, "again", 5))
        return heard_tok_in(t, x->first - 1, before_again);
    if (!heard_tok_is(t, x->first, "no", 2) || x->first + 1 >= t->n ||
        !heard_tok_is(t, x->first + 1, "idea", 4))
        return 0;
    return heard_tok_in(t, x->first - 1, you_have) ||
           (x->first >= 2 && heard_tok_is(t, x->first - 1, "have", 4) &&
            heard_tok_is(t, x->first - 2, "you", 3));
}

/* Sarcasm: a sentence-initial positive interjection with a negative
 * situation after it in the same sentence, or, when the opener stands alone
 * ("Great." / "Thanks a lot."), in the sentence before it (or, for
 * interjections of strength 2, the one after it). A situation in another
 * sentence must be bad on its own ("Brilliant. Still no engineer.", not
 * "Thanks! I'll try again tomorrow.") or take two weaker words ("so it
 * still depends on the doctor. great."), and not a condition
 * ("Great. I'll call back if it's still not working."); "thanks again",
 * "working again" and "you've no idea" go with thanks (benign_situation). */
/* "Just what I needed" stands alone as sarcasm, but not before "to":
 * "that's just what I needed to know, thanks". */
static void drop_sincere_direct(const heard_tokens *t, heard_cue_hits *h)
{
    static const char *const wanted[] = {"needed", "need", "wanted", NULL};
    size_t w = 0;
    for (size_t a = 0; a < h->n; a++) {
        const heard_cue_hit *x = &h->hit[a];
        int drop = x->cue == CUE_SARCASM && x->last > x->first && x->last < t->n &&
                   heard_tok_in(t, x->last - 1, wanted) && heard_tok_is(t, x->last, "to", 2);
        if (!drop)
            h->hit[w++] = *x;
    }
    h->n = w;
}

static int add_sarcasm(const heard_tokens *t, heard_cue_hits *h)
{
    size_t n0 = h->n;
    for (size_t a = 0; a < n0; a++) {
        const heard_cue_hit *o = &h->hit[a];
        if (o->cue != CUE_SARC_OPENER)
            continue;
        uint16_t s = t->tok[o->first].sent;
        const heard_sentence *st = &t->sent[s];
        size_t words = 0;
        for (size_t i = st->first; i < st->last; i++)
            words += t->tok[i].type != TOK_PUNCT;
        int alone = words <= (size_t)(o->last - o->first) + 1;
        int found = 0, weak = 0; /* weak: neighbouring hits not bad on their own */
        for (size_t b = 0; b < n0 && !found; b++) {
            const heard_cue_hit *x = &h->hit[b];
            if (x->cue != CUE_NEG_SITUATION || benign_situation(t, x))
                continue;
            uint16_t xs = t->tok[x->first].sent;
            if (xs == s && x->first >= o->last)
                found = 1;
            else if (alone && !conditional_before(t, x) &&
                     (xs + 1 == s || (o->strength >= 2 && xs == s + 1)))
                found = strong_situation(t, x) || ++weak >= 2;
        }
        if (found) {
            heard_cue_hit sh = *o;
            sh.cue = CUE_SARCASM;
            sh.strength = 1;
            if (hits_push(h, &sh))
                return -1;
        }
    }
    return 0;
}

/* Eye-roll emoji: 🙄 (face with rolling eyes), 🙃 (upside-down face),
 * 😒 (unamused face). */
static int is_eyeroll(const heard_tokens *t, size_t i)
{
    return t->tok[i].type == TOK_EMOJI &&
           (heard_tok_is(t, i, "\xf0\x9f\x99\x84", 4) || heard_tok_is(t, i, "\xf0\x9f\x99\x83", 4) ||
            heard_tok_is(t, i, "\xf0\x9f\x98\x92", 4));
}

/* Thanks or praise: gratitude, a sarcasm opener, or a positive emotion
 * keyword. */
#define PRAISE_EMOTIONS                                                                      \
    (1u << HEARD_EMO_ADMIRATION | 1u << HEARD_EMO_AMUSEMENT | 1u << HEARD_EMO_APPROVAL |       \
     1u << HEARD_EMO_EXCITEMENT | 1u << HEARD_EMO_GRATITUDE | 1u << HEARD_EMO_JOY |            \
     1u << HEARD_EMO_LOVE | 1u << HEARD_EMO_OPTIMISM | 1u << HEARD_EMO_PRIDE |                 \
     1u << HEARD_EMO_RELIEF)

static int praise_hit(const heard_cue_hit *x)
{
    if (x->cue == CUE_POL_GRATITUDE || x->cue == CUE_SARC_OPENER)
        return 1;
    return x->cue >= CUE_EMO_FIRST && x->cue <= CUE_EMO_LAST &&
           (PRAISE_EMOTIONS >> (x->cue - CUE_EMO_FIRST) & 1u);
}

/* Whether the turn has any praise hit (covered[cue] != 0 when it has a hit
 * of that cue): most turns do not, and skip the eye-roll scan. */
static int any_praise(const uint32_t *covered)
{
    if (covered[CUE_POL_GRATITUDE] || covered[CUE_SARC_OPENER])
        return 1;
    for (unsigned k = 0; k <= CUE_EMO_LAST - CUE_EMO_FIRST; k++)
        if ((PRAISE_EMOTIONS >> k & 1u) && covered[CUE_EMO_FIRST + k])
            return 1;
    return 0;
}

/* Sarcasm by eye-roll: thanks or praise followed in the same sentence by
 * an eye-roll emoji says the opposite ("Thanks so much for your help 🙄",
 * "Love that for me 😒"); the hit spans the praise to the emoji. A
 * sentence that is sarcastic already is left as it is. Only the rest of a
 * praise hit's sentence is scanned. */
static COLD int add_eyeroll_sarcasm(const heard_tokens *t, heard_cue_hits *h)
{
    size_t n0 = h->n;
    for (size_t a = 0; a < n0; a++) {
        const heard_cue_hit *x = &h->hit[a];
        if (!praise_hit(x))
            continue;
        uint16_t s = t->tok[x->first].sent;
        size_t i = x->last, end = t->sent[s].last < t->n ? t->sent[s].last : t->n;
        while (i < end && !is_eyeroll(t, i))
            i++;
        if (i >= end)
            continue;
        int already = 0;
        for (size_t b = 0; b < h->n && !already; b++)
            already = h->hit[b].cue == CUE_SARCASM && t->tok[h->hit[b].first].sent == s;
        if (already)
            continue;
        heard_cue_hit sh = {.cue = CUE_SARCASM, .strength = 1, .first = x->first,
                            .last = (uint32_t)i + 1, .start = t->tok[x->first].start,
                            .end = t->tok[i].end};
        if (hits_push(h, &sh))
            return -1;
    }
    return 0;
}

/* The hits found at token i (m), in cue order, into hits; a hit that ends
 * where an earlier one of its cue already reaches is dropped. */
static HOT_INLINE int flush_token(const heard_tokens *toks, match_state *m, uint32_t *covered,
                       heard_cue_hits *hits)
{
    for (size_t a = 1; a < m->n_touched; a++)
        for (size_t b = a; b > 0 && m->touched[b - 1] > m->touched[b]; b--) {
            uint16_t x = m->touched[b];
            m->touched[b] = m->touched[b - 1];
            m->touched[b - 1] = x;
        }
    for (size_t a = 0; a < m->n_touched; a++) {
        unsigned q = m->touched[a];
        m->have[q] = 0;
        if (m->best[q].last <= covered[q])
            continue;
        covered[q] = m->best[q].last;
        m->best[q].start = toks->tok[m->best[q].first].start;
        m->best[q].end = toks->tok[m->best[q].last - 1].end;
        if (hits_push(hits, &m->best[q]))
            return -1;
    }
    m->n_touched = 0;
    return 0;
}

/* Both matchers: through the trie, or (reference) every pattern at every
 * token. */
static int match_all(const heard_cues *c, const heard_tokens *toks, heard_cue_hits *hits,
                     int reference)
{
    hits->n = 0;
    if (!c || !c->n_nodes)
        return 0;
    match_state m;
    memset(m.have, 0, sizeof m.have);
    m.n_touched = 0;
    uint32_t covered[CUE_N]; /* end of the last hit kept per cue */
    memset(covered, 0, sizeof covered);
    tok_info buf[TI_STACK], *ti = buf;
    if (!reference && toks->n > TI_STACK && !(ti = malloc(toks->n * sizeof *ti)))
        return -1;
    turn u = {toks, ti, toks->n};
    if (!reference)
        turn_fill(c, toks, ti);
    int bad = 0;
    if (reference)
        for (size_t i = 0; i < toks->n && !bad; i++) {
            for (size_t p = 0; p < c->n_pats; p++)
                try_pattern(c, c->elems, toks, i, &c->pats[p], &m);
            if (m.n_touched)
                bad = flush_token(toks, &m, covered, hits);
        }
    else /* only the tokens that lead to a child of the root start a walk */
        for (size_t i = 0; i < toks->n; i++) {
            if (!ti[i].n_root)
                continue;
            match_at(c, &u, i, &m);
            if (m.n_touched && (bad = flush_token(toks, &m, covered, hits)) != 0)
                break;
        }
    if (ti != buf)
        free(ti);
    if (bad)
        return -1;
    /* covered[] says which cues have hits: most turns need neither pass */
    if (covered[CUE_EXP_BROAD])
        resolve_broad(toks, hits);
    if (covered[CUE_SARCASM])
        drop_sincere_direct(toks, hits);
    if (covered[CUE_SARC_OPENER] && add_sarcasm(toks, hits) != 0)
        return -1;
    return toks->n_emoji && any_praise(covered) ? add_eyeroll_sarcasm(toks, hits) : 0;
}

int heard_cues_match(const heard_cues *c, const heard_tokens *toks, const char *text,
                     heard_cue_hits *hits)
{
    (void)text;
    return match_all(c, toks, hits, 0);
}

int heard_cues_match_reference(const heard_cues *c, const heard_tokens *toks,
                               heard_cue_hits *hits)
{
    return match_all(c, toks, hits, 1);
}

void heard_cue_hits_free(heard_cue_hits *h)
{
    free(h->hit);
    h->hit = NULL;
    h->n = h->cap = 0;
}

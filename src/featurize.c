/* featurize.c - the sparse hashed feature vector of one turn, shared by the
 * analyser (model prediction) and the trainer, so both see the same vector.
 *
 * Every feature id is a 32-bit mix of (namespace, 64-bit hash of its parts);
 * namespaces keep e.g. the word "so" and the stem "so" apart. Groups of
 * repeated features (n-grams) are scaled by 1/sqrt(count) so long emails do
 * not swamp the linear heads; n-grams come from the first NGRAM_MAX_TOKENS
 * tokens only, which bounds the cost of a turn. (Character n-grams were
 * tried and dropped: no gain on GoEmotions dev, twice the features. Stem
 * trigrams were dropped too: 12% fewer features a turn, and the text heads
 * did as well or better without them; word bigrams followed, and a word
 * unigram equal to its stem unigram is merged into it; see MODELS.md.) The
 * buffer f->f is reused turn after turn and grows geometrically: no
 * allocation per token. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "featurize.h"
#include "lexicon.h"
#include "text.h"

/* Namespaces. Append only: their values are baked into shipped models. */
enum {
    NS_WORD = 1, NS_BIGRAM /* retired */, NS_STEM, NS_STEM2, NS_STEM3 /* retired */, NS_CHAR /* retired */,
    NS_SSTART,
    NS_FIRST, NS_LEXB, NS_LEXV, NS_CUE, NS_CUE_STR, NS_CAPS, NS_EXCL, NS_QUES,
    NS_EMOJI, NS_TIME, NS_LEN, NS_SPEAKER, NS_CHANNEL, NS_POS, NS_OVERLAP,
    NS_BIDX, NS_URGX, NS_CEMO, NS_NAMED, NS_QTYPE, NS_CTX, NS_CUE_SPK, NS_BIAS
};

#define NEG_MARK 0x4e45475fu /* "NEG_" */
#define NGRAM_MAX_TOKENS 400


static inline uint32_t mix32(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return (uint32_t)h;
}

static inline uint32_t fid(unsigned ns, uint64_t h)
{
    return mix32(heard_hash_combine((uint64_t)ns * 0x9e3779b97f4a7c15ull, h));
}

static inline uint32_t fid2(unsigned ns, uint64_t a, uint64_t b)
{
    return fid(ns, heard_hash_combine(a, b));
}

#if defined(__GNUC__) || defined(__clang__)
#define COLD __attribute__((cold, noinline))
#define HOT_INLINE inline __attribute__((always_inline))
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define COLD
#define HOT_INLINE inline
#define UNLIKELY(x) (x)
#endif

/* Out of line: taken a few times per process, while the buffer grows. */
static COLD int grow(heard_features *f)
{
    size_t ncap = f->cap ? f->cap * 2 : 512;
    heard_feature *n = realloc(f->f, ncap * sizeof *n);
    if (!n)
        return -1;
    f->f = n;
    f->cap = ncap;
    return 0;
}

static HOT_INLINE int push(heard_features *f, uint32_t id, float v, uint32_t first, uint32_t last)
{
    if (UNLIKELY(f->n == f->cap) && grow(f) != 0)
        return -1;
    heard_feature *x = &f->f[f->n++];
    x->id = id;
    x->value = v;
    x->first = first;
    x->last = last;
    return 0;
}

/* Room for at least extra more features, so that a loop with a known
 * bound can use PUSH_RESERVED (no capacity test per feature). */
static int reserve(heard_features *f, size_t extra)
{
    while (f->cap - f->n < extra)
        if (grow(f) != 0)
            return -1;
    return 0;
}

static HOT_INLINE void push_reserved(heard_features *f, uint32_t id, float v, uint32_t first,
                                     uint32_t last)
{
    heard_feature *x = &f->f[f->n++];
    x->id = id;
    x->value = v;
    x->first = first;
    x->last = last;
}

#define PUSH_RESERVED(f, id, v, a, b) push_reserved((f), (id), (v), (a), (b))

#define PUSH(f, id, v, a, b)                                                                   \
    do {                                                                                       \
        if (push((f), (id), (v), (a), (b)) != 0)                                               \
            return -1;                                                                         \
    } while (0)

static float group_scale(size_t count)
{
    return count < 2 ? 1.0f : 1.0f / sqrtf((float)count);
}

/* Scale features [from, f->n) by 1/sqrt(count); count can exceed the number
 * of features when some were merged into others. */
static void scale_group_n(heard_features *f, size_t from, size_t count)
{
    float s = group_scale(count);
    for (size_t i = from; i < f->n; i++)
        f->f[i].value *= s;
}

static void scale_group(heard_features *f, size_t from)
{
    scale_group_n(f, from, f->n - from);
}

static inline int bucket(size_t v, const size_t *edges, int n_edges)
{
    int b = 0;
    while (b < n_edges && v >= edges[b])
        b++;
    return b;
}

/* The unit a token contributes to n-grams: folded word (negation-marked),
 * or a class for numbers, URLs, e-mails, times, dates and mentions. */
static HOT_INLINE uint64_t unit_hash(const heard_token *t)
{
    switch ((heard_tok_type)t->type) {
    case TOK_WORD:
        return (t->flags & TF_NEGATED) ? heard_hash_combine(t->hash, NEG_MARK) : t->hash;
    case TOK_NUMBER: return 0x6e756d00u;
    case TOK_URL: return 0x75726c00u;
    case TOK_EMAIL: return 0x656d6c00u;
    case TOK_TIME: return 0x74696d00u;
    case TOK_DATE: return 0x64617400u;
    case TOK_MENTION: return 0x6d656e00u;
    default: return t->hash;
    }
}

/* Evidence of a negated word starts at its negator ("not angry", not
 * "angry"). */
static HOT_INLINE uint32_t neg_start(const heard_tokens *toks, size_t i)
{
    if (!(toks->tok[i].flags & TF_NEGATED))
        return (uint32_t)i;
    for (size_t j = i; j > 0 && i - j < 4; j--)
        if (toks->tok[j - 1].flags & TF_NEGATOR)
            return (uint32_t)(j - 1);
    return (uint32_t)i;
}

/* Tokens [0, n) that open a sentence (token 0 included). Token i opens one
 * where its sentence id differs from token i - 1's: those are the firsts of
 * the tokenizer's sentences, when these cover all the tokens and the ids do
 * not saturate (else the ids are counted). word_ngrams() relies on the
 * count being exact. */
static size_t sentence_starts(const heard_tokens *toks, size_t n)
{
    size_t starts = 0;
    if (toks->n_sent > 0 && toks->n_sent <= UINT16_MAX &&
        toks->sent[toks->n_sent - 1].last == toks->n && toks->sent[0].first == 0) {
        while (starts < toks->n_sent && toks->sent[starts].first < n)
            starts++;
        return starts;
    }
    for (size_t i = 0; i < n; i++)
        starts += i == 0 || toks->tok[i - 1].sent != toks->tok[i].sent;
    return starts;
}

static HOT_INLINE void put(heard_feature *x, uint32_t id, float v, uint32_t first, uint32_t last)
{
    x->id = id;
    x->value = v;
    x->first = first;
    x->last = last;
}

/* Word unigrams, stem unigrams and stem bigrams. A token whose unit equals
 * its stem unit ("the", "run", punctuation, numbers) would give a word
 * unigram that always fires with its stem unigram: the stem unigram alone
 * carries both, with the sum of the two values (each group scaled by the
 * count it would have unmerged), so "run" still shares its stem's weight
 * with "running" at one row fetch instead of two. Word bigrams are not
 * used: no gain on the text heads (MODELS.md).
 *
 * The vector lists the word unigrams, then the stem unigrams and bigrams,
 * then the sentence starts. One pass over the tokens writes the three
 * groups into separate stretches of the buffer (each as long as its
 * group can get), which are then closed up. */
static int word_ngrams(heard_features *f, const heard_tokens *toks)
{
    size_t n = toks->n < NGRAM_MAX_TOKENS ? toks->n : NGRAM_MAX_TOKENS;
    size_t starts = sentence_starts(toks, n); /* no stem bigram ends there */
    size_t ns = 2 * n - starts;
    /* The group sizes are known here, so each value is pushed already
     * scaled: v * scale is the same float as v pushed, then scaled. */
    float sw = group_scale(n), ss = group_scale(ns);
    float merged = (1.0f + sw / ss) * ss;
    float sf = group_scale(starts + (n > 0));
    /* stretches of n word unigrams, 2n stem n-grams, n + 1 sentence starts
     * (bounds that hold whatever the sentence ids) */
    if (reserve(f, 4 * n + 1) != 0)
        return -1;
    heard_feature *fw = f->f + f->n, *fs0 = fw + n, *fs = fs0, *fst = fs0 + 2 * n;
    size_t nw = 0, nst = 0;
    const heard_token *tok = toks->tok;
    bool carried = toks->annot != NULL; /* words' wi hold their unigram ids */
    uint64_t s1 = 0; /* stem unit hash of token i - 1 */
    for (size_t i = 0; i < n; i++) {
        const heard_token *t = &tok[i];
        uint64_t u, s;
        uint32_t first = neg_start(toks, i);
        bool pre = false; /* the unigram ids are the word's wi */
        if (t->type == TOK_WORD) {
            u = t->hash;
            s = t->stem_hash;
            if (t->flags & TF_NEGATED) {
                u = heard_hash_combine(u, NEG_MARK);
                s = heard_hash_combine(s, NEG_MARK);
            } else {
                pre = carried;
            }
        } else {
            u = s = unit_hash(t);
        }
        float v = ss;
        if (u != s)
            put(&fw[nw++], pre ? t->wi.fid_word : fid(NS_WORD, u), sw, first, (uint32_t)i + 1);
        else
            v = merged;
        put(fs++, pre ? t->wi.fid_stem : fid(NS_STEM, s), v, first, (uint32_t)i + 1);
        if (i > 0 && tok[i - 1].sent == t->sent) {
            put(fs++, fid2(NS_STEM2, s1, s), ss, (uint32_t)i - 1, (uint32_t)i + 1);
        } else {
            /* first word of every sentence and of the turn: politeness
             * strategies live there ("Please ...", "So ...", "Could you ...") */
            uint64_t u0 = t->type == TOK_WORD ? t->hash : u;
            put(&fst[nst++], fid(NS_SSTART, u0), sf, (uint32_t)i, (uint32_t)i + 1);
            if (i == 0)
                put(&fst[nst++], fid(NS_FIRST, u0), sf, 0, 1);
        }
        s1 = s;
    }
    size_t nstem = (size_t)(fs - fs0); /* ns */
    heard_feature *out = fw + nw;
    memmove(out, fs0, nstem * sizeof *out);
    out += nstem;
    memmove(out, fst, nst * sizeof *out);
    f->n += nw + nstem + nst;
    return 0;
}

/* Counts of the surface features, gathered in the lexicon pass over the
 * tokens (or a pass of their own without a lexicon) and pushed after the
 * cue features. */
typedef struct surface {
    size_t excl, ques, emoji, emoticon, timeref, timetok, datetok;
    uint32_t ex_first, q_first, t_first;
} surface;

static HOT_INLINE void surface_token(surface *sf, const heard_tokens *toks, size_t i)
{
    const heard_token *t = &toks->tok[i];
    /* most tokens are words, which count only as time references: test
     * that first instead of dispatching every token through the switch */
    if (t->type != TOK_WORD) {
        switch ((heard_tok_type)t->type) {
        case TOK_PUNCT: {
            if (t->emphasis) {
                sf->excl += t->emphasis;
                if (sf->ex_first == HEARD_NO_SPAN)
                    sf->ex_first = (uint32_t)i;
            }
            const char *s = toks->norm + t->norm;
            for (uint32_t j = 0; j < t->norm_len; j++)
                if (s[j] == '?') {
                    sf->ques++;
                    if (sf->q_first == HEARD_NO_SPAN)
                        sf->q_first = (uint32_t)i;
                    break;
                }
            break;
        }
        case TOK_EMOJI: sf->emoji++; break;
        case TOK_EMOTICON: sf->emoticon++; break;
        case TOK_TIME: sf->timetok++; break;
        case TOK_DATE: sf->datetok++; break;
        default: break;
        }
    }
    if (t->flags & TF_TIMEREF) {
        sf->timeref++;
        if (sf->t_first == HEARD_NO_SPAN)
            sf->t_first = (uint32_t)i;
    }
}

/* tanhf, without the call for 0 (most turns lack positive or negative
 * words): tanhf(+-0) is +-0 exactly. */
static inline float tanh0(float x)
{
    return x == 0.0f ? x : tanhf(x);
}

static int lexicon_features(heard_features *f, const heard_tokens *toks,
                            const struct heard_lexicon *lex, float c, long ef, long el,
                            const float *tok_val, surface *sf)
{
    if (!lex) {
        for (size_t i = 0; i < toks->n; i++)
            surface_token(sf, toks, i);
        return 0;
    }
    float pos = 0, neg = 0;
    int strong = 0;
    if (reserve(f, toks->n) != 0) /* at most one a token */
        return -1;
    size_t g = f->n;
    for (size_t i = 0; i < toks->n; i++) {
        const heard_token *t = &toks->tok[i];
        surface_token(sf, toks, i);
        if (t->type != TOK_WORD && t->type != TOK_EMOTICON && t->type != TOK_EMOJI)
            continue;
        float v;
        if (tok_val) {
            v = tok_val[i]; /* 0 when unknown */
        } else {
            int found = 0;
            v = heard_lexicon_valence(lex, t->hash, &found);
        }
        if (v == 0.0f)
            continue;
        if (t->flags & TF_NEGATED)
            v *= -0.74f;
        if (v > 0)
            pos += v;
        else
            neg -= v;
        if (fabsf(v) >= 2.5f)
            strong++;
        int b = (int)lrintf(v * 2.0f);
        PUSH_RESERVED(f, fid(NS_LEXB, (uint64_t)(b + 64)), 1.0f, neg_start(toks, i),
                      (uint32_t)i + 1);
    }
    scale_group(f, g);
    PUSH(f, fid(NS_LEXV, 1), tanh0(pos / 4.0f), HEARD_NO_SPAN, HEARD_NO_SPAN);
    PUSH(f, fid(NS_LEXV, 2), tanh0(neg / 4.0f), HEARD_NO_SPAN, HEARD_NO_SPAN);
    PUSH(f, fid(NS_LEXV, 3 + (uint64_t)(strong > 3 ? 3 : strong)), 1.0f, HEARD_NO_SPAN,
         HEARD_NO_SPAN);
    if (isnan(c))
        c = heard_lexicon_sentiment(lex, toks, &ef, &el);
    if (!isfinite(c))
        c = 0;
    uint32_t a = ef >= 0 ? (uint32_t)ef : HEARD_NO_SPAN;
    uint32_t b = ef >= 0 && el >= ef ? (uint32_t)el + 1 : HEARD_NO_SPAN;
    if (a == HEARD_NO_SPAN || b == HEARD_NO_SPAN)
        a = b = HEARD_NO_SPAN;
    PUSH(f, fid(NS_LEXV, 10), c, a, b);
    int cb = (int)floorf((c + 1.0f) * 4.0f); /* 8 bins over [-1, 1] */
    cb = cb < 0 ? 0 : cb > 7 ? 7 : cb;
    PUSH(f, fid(NS_LEXV, 20 + (uint64_t)cb), 1.0f, a, b);
    return 0;
}

static int cue_features(heard_features *f, const heard_cue_hits *hits)
{
    if (!hits)
        return 0;
    if (reserve(f, 2 * hits->n) != 0)
        return -1;
    for (size_t i = 0; i < hits->n; i++) {
        const heard_cue_hit *h = &hits->hit[i];
        int s = h->strength < 0 ? 0 : h->strength > 7 ? 7 : h->strength;
        PUSH_RESERVED(f, fid(NS_CUE, h->cue), 1.0f, h->first, h->last);
        PUSH_RESERVED(f, fid(NS_CUE_STR, (uint64_t)h->cue * 8 + (uint64_t)s), 1.0f, h->first,
                      h->last);
    }
    return 0;
}

static int cue_speaker_features(heard_features *f, const heard_cue_hits *hits, int speaker)
{
    if (!hits)
        return 0;
    if (reserve(f, hits->n) != 0)
        return -1;
    for (size_t i = 0; i < hits->n; i++) {
        const heard_cue_hit *h = &hits->hit[i];
        PUSH_RESERVED(f, fid(NS_CUE_SPK, (uint64_t)h->cue * 2 + (uint64_t)speaker), 1.0f,
                      h->first, h->last);
    }
    return 0;
}

static int surface_features(heard_features *f, const heard_tokens *toks, const surface *sf)
{
    static const size_t len_edges[] = {2, 3, 6, 11, 21, 41, 81, 161};
    static const size_t cnt_edges[] = {1, 2, 4};
    size_t nw = toks->n_words;
    PUSH(f, fid(NS_LEN, (uint64_t)bucket(nw, len_edges, 8)), 1.0f, HEARD_NO_SPAN, HEARD_NO_SPAN);
    int caps = 0;
    if (nw >= 2 && toks->n_allcaps) {
        float r = (float)toks->n_allcaps / (float)nw;
        caps = r < 0.3f ? 1 : r < 0.7f ? 2 : 3;
    }
    PUSH(f, fid(NS_CAPS, (uint64_t)caps), 1.0f, HEARD_NO_SPAN, HEARD_NO_SPAN);
    uint32_t ex_first = sf->ex_first, q_first = sf->q_first, t_first = sf->t_first;
    PUSH(f, fid(NS_EXCL, (uint64_t)bucket(sf->excl, cnt_edges, 3)), 1.0f, ex_first,
         ex_first == HEARD_NO_SPAN ? HEARD_NO_SPAN : ex_first + 1);
    PUSH(f, fid(NS_QUES, (uint64_t)bucket(sf->ques, cnt_edges, 3)), 1.0f, q_first,
         q_first == HEARD_NO_SPAN ? HEARD_NO_SPAN : q_first + 1);
    PUSH(f, fid(NS_EMOJI, (uint64_t)(sf->emoji ? 1 : 0) + (sf->emoticon ? 2 : 0)), 1.0f,
         HEARD_NO_SPAN, HEARD_NO_SPAN);
    PUSH(f, fid(NS_TIME, (uint64_t)(sf->timeref ? 1 : 0) + (sf->timetok ? 2 : 0) +
                             (sf->datetok ? 4 : 0)),
         1.0f, t_first, t_first == HEARD_NO_SPAN ? HEARD_NO_SPAN : t_first + 1);
    return 0;
}

/* Stopwords of the overlap features, and words of agent questions: about
 * the customer (Q_YOU), their feelings and needs (Q_FEEL), or procedural
 * (Q_PROC). Looked up by the token's hash in a small table that the
 * feature buffer builds on first use (then checked byte for byte), so an
 * agent turn costs one probe a word instead of a scan of the list. */
enum { Q_YOU = 1, Q_FEEL = 2, Q_PROC = 4, W_STOP = 8 };
typedef struct fword {
    const char *s;
    unsigned kind;
} fword;
static const fword k_fwords[] = {
    {"so", W_STOP}, {"hi", W_STOP}, {"it", W_STOP}, {"is", W_STOP}, {"be", W_STOP},
    {"to", W_STOP}, {"of", W_STOP}, {"in", W_STOP}, {"on", W_STOP}, {"at", W_STOP},
    {"by", W_STOP}, {"or", W_STOP}, {"if", W_STOP}, {"me", W_STOP}, {"my", W_STOP},
    {"we", W_STOP}, {"us", W_STOP}, {"he", W_STOP}, {"do", W_STOP}, {"am", W_STOP},
    {"an", W_STOP}, {"as", W_STOP}, {"no", W_STOP}, {"up", W_STOP}, {"ok", W_STOP},
    {"the", W_STOP}, {"and", W_STOP}, {"for", W_STOP}, {"you", W_STOP}, {"are", W_STOP},
    {"was", W_STOP}, {"has", W_STOP}, {"had", W_STOP}, {"but", W_STOP}, {"not", W_STOP},
    {"can", W_STOP}, {"who", W_STOP}, {"how", W_STOP}, {"why", W_STOP}, {"its", W_STOP},
    {"i'm", W_STOP}, {"i'd", W_STOP}, {"our", W_STOP}, {"out", W_STOP}, {"get", W_STOP},
    {"got", W_STOP}, {"let", W_STOP}, {"all", W_STOP}, {"any", W_STOP}, {"one", W_STOP},
    {"too", W_STOP}, {"now", W_STOP}, {"yes", W_STOP}, {"did", W_STOP}, {"doe", W_STOP},
    {"she", W_STOP}, {"him", W_STOP}, {"her", W_STOP}, {"his", W_STOP},
    {"your", W_STOP}, {"were", W_STOP}, {"that", W_STOP}, {"this", W_STOP},
    {"with", W_STOP}, {"have", W_STOP}, {"will", W_STOP}, {"just", W_STOP},
    {"what", W_STOP}, {"when", W_STOP}, {"it's", W_STOP}, {"i've", W_STOP},
    {"i'll", W_STOP}, {"they", W_STOP}, {"them", W_STOP}, {"here", W_STOP},
    {"from", W_STOP}, {"into", W_STOP}, {"been", W_STOP}, {"some", W_STOP},
    {"also", W_STOP}, {"than", W_STOP}, {"then", W_STOP}, {"very", W_STOP},
    {"yeah", W_STOP}, {"okay", W_STOP}, {"does", W_STOP},
    {"could", W_STOP}, {"would", W_STOP}, {"where", W_STOP}, {"which", W_STOP},
    {"we're", W_STOP}, {"we'll", W_STOP}, {"their", W_STOP}, {"there", W_STOP},
    {"about", W_STOP}, {"being", W_STOP}, {"hello", W_STOP}, {"thank", W_STOP},
    {"sorry", W_STOP}, {"don't", W_STOP}, {"can't", W_STOP}, {"won't", W_STOP},
    {"isn't", W_STOP},
    {"should", W_STOP}, {"you're", W_STOP}, {"you've", W_STOP}, {"really", W_STOP},
    {"thanks", W_STOP}, {"please", W_STOP}, {"didn't", W_STOP},
    /* question words */
    {"ok", Q_FEEL}, {"id", Q_PROC},
    {"you", Q_YOU}, {"zip", Q_PROC}, {"ref", Q_PROC}, {"pin", Q_PROC},
    {"your", Q_YOU}, {"feel", Q_FEEL}, {"okay", Q_FEEL}, {"need", Q_FEEL},
    {"cope", Q_FEEL}, {"safe", Q_FEEL}, {"work", Q_FEEL}, {"when", Q_FEEL}, {"date", Q_FEEL},
    {"name", Q_PROC}, {"code", Q_PROC}, {"card", Q_PROC},
    {"you'd", Q_YOU}, {"worry", Q_FEEL}, {"needs", Q_FEEL},
    {"doing", Q_FEEL}, {"upset", Q_FEEL}, {"going", Q_FEEL}, {"plans", Q_FEEL}, {"email", Q_PROC},
    {"order", Q_PROC}, {"birth", Q_PROC}, {"model", Q_PROC}, {"phone", Q_PROC},
    {"you're", Q_YOU}, {"you've", Q_YOU}, {"you'll", Q_YOU},
    {"stress", Q_FEEL}, {"prefer", Q_FEEL}, {"affect", Q_FEEL}, {"manage", Q_FEEL},
    {"coping", Q_FEEL}, {"matter", Q_FEEL}, {"urgent", Q_FEEL}, {"family", Q_FEEL},
    {"number", Q_PROC}, {"e-mail", Q_PROC}, {"serial", Q_PROC}, {"digits", Q_PROC},
    {"ticket", Q_PROC}, {"verify", Q_PROC}, {"policy", Q_PROC},
    {"feeling", Q_FEEL}, {"worried", Q_FEEL}, {"alright", Q_FEEL},
    {"concern", Q_FEEL}, {"holding", Q_FEEL}, {"matters", Q_FEEL}, {"without", Q_FEEL},
    {"address", Q_PROC}, {"account", Q_PROC}, {"details", Q_PROC}, {"receipt", Q_PROC},
    {"invoice", Q_PROC}, {"confirm", Q_PROC},
    {"yourself", Q_YOU}, {"feelings", Q_FEEL}, {"stressed", Q_FEEL},
    {"affected", Q_FEEL}, {"managing", Q_FEEL}, {"deadline", Q_FEEL}, {"postcode", Q_PROC},
    {"password", Q_PROC}, {"tracking", Q_PROC}, {"username", Q_PROC},
    {"affecting", Q_FEEL}, {"concerned", Q_FEEL}, {"important", Q_FEEL},
    {"reference", Q_PROC},
    /* word classes of the agent-turn rules (featurize.h) */
    {"i", HEARD_WC_FIRST}, {"me", HEARD_WC_FIRST}, {"my", HEARD_WC_FIRST},
    {"mine", HEARD_WC_FIRST}, {"myself", HEARD_WC_FIRST}, {"i'm", HEARD_WC_FIRST},
    {"i've", HEARD_WC_FIRST}, {"i'd", HEARD_WC_FIRST},
    {"you", HEARD_WC_SECOND}, {"your", HEARD_WC_SECOND}, {"u", HEARD_WC_SECOND},
    {"ur", HEARD_WC_SECOND}, {"yourself", HEARD_WC_SECOND}, {"you're", HEARD_WC_SECOND},
    {"you've", HEARD_WC_SECOND}, {"you'd", HEARD_WC_SECOND}, {"you'll", HEARD_WC_SECOND},
    {"ya", HEARD_WC_SECOND}, {"yours", HEARD_WC_SECOND}, {"y'all", HEARD_WC_SECOND},
    {"he", HEARD_WC_OTHER}, {"she", HEARD_WC_OTHER}, {"they", HEARD_WC_OTHER},
    {"we", HEARD_WC_OTHER}, {"he's", HEARD_WC_OTHER}, {"she's", HEARD_WC_OTHER},
    {"they're", HEARD_WC_OTHER}, {"we're", HEARD_WC_OTHER}, {"he'd", HEARD_WC_OTHER},
    {"she'd", HEARD_WC_OTHER}, {"they'd", HEARD_WC_OTHER}, {"we'd", HEARD_WC_OTHER},
    {"someone", HEARD_WC_OTHER},
    {"afraid", HEARD_WC_FELT}, {"alone", HEARD_WC_FELT}, {"anxiety", HEARD_WC_FELT},
    {"anxious", HEARD_WC_FELT}, {"ashamed", HEARD_WC_FELT}, {"awful", HEARD_WC_FELT},
    {"cried", HEARD_WC_FELT}, {"cry", HEARD_WC_FELT}, {"crying", HEARD_WC_FELT},
    {"depressed", HEARD_WC_FELT}, {"depression", HEARD_WC_FELT},
    {"devastated", HEARD_WC_FELT}, {"diagnosed", HEARD_WC_FELT},
    {"diagnosis", HEARD_WC_FELT}, {"dread", HEARD_WC_FELT},
    {"dreaded", HEARD_WC_FELT}, {"embarrassed", HEARD_WC_FELT}, {"exhausted", HEARD_WC_FELT},
    {"feel", HEARD_WC_FELT}, {"feeling", HEARD_WC_FELT}, {"feelings", HEARD_WC_FELT},
    {"felt", HEARD_WC_FELT}, {"grief", HEARD_WC_FELT}, {"grieving", HEARD_WC_FELT},
    {"guilt", HEARD_WC_FELT}, {"guilty", HEARD_WC_FELT}, {"hated", HEARD_WC_FELT},
    {"heartbroken", HEARD_WC_FELT}, {"hell", HEARD_WC_FELT}, {"hurt", HEARD_WC_FELT},
    {"lonely", HEARD_WC_FELT}, {"lost", HEARD_WC_FELT}, {"meds", HEARD_WC_FELT},
    {"miserable", HEARD_WC_FELT}, {"numb", HEARD_WC_FELT}, {"panic", HEARD_WC_FELT},
    {"panicked", HEARD_WC_FELT}, {"recovery", HEARD_WC_FELT}, {"relapse", HEARD_WC_FELT},
    {"relapsed", HEARD_WC_FELT}, {"scared", HEARD_WC_FELT}, {"shame", HEARD_WC_FELT},
    {"sobbed", HEARD_WC_FELT}, {"sober", HEARD_WC_FELT}, {"sobriety", HEARD_WC_FELT},
    {"spiral", HEARD_WC_FELT}, {"spiraled", HEARD_WC_FELT}, {"spiraling", HEARD_WC_FELT},
    {"spiralled", HEARD_WC_FELT}, {"spiralling", HEARD_WC_FELT},
    {"struggled", HEARD_WC_FELT}, {"struggling", HEARD_WC_FELT},
    {"terrified", HEARD_WC_FELT}, {"therapist", HEARD_WC_FELT}, {"therapy", HEARD_WC_FELT},
    {"worse", HEARD_WC_FELT}, {"worst", HEARD_WC_FELT}, {"wrecked", HEARD_WC_FELT},
    {"wrecks", HEARD_WC_FELT},
};

#define FWORDS_SIZE 1024u /* power of two, > 2x the entries */

typedef struct fword_slot {
    uint64_t hash; /* heard_hash of the word; 0: empty */
    const char *w;
    uint32_t len, kind;
    uint64_t head, tail; /* see word_ends */
} fword_slot;

/* A word of 1 to 16 bytes is its first and last 1, 2, 4 or 8 bytes (the
 * widest that fit; they may overlap), so two loads compare it instead of
 * a byte loop (0 for other lengths, compared byte by byte). */
static inline void word_ends(const char *s, uint32_t n, uint64_t *head, uint64_t *tail)
{
    *head = *tail = 0;
    if (n >= 8 && n <= 16) {
        memcpy(head, s, 8);
        memcpy(tail, s + n - 8, 8);
    } else if (n >= 4 && n < 8) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + n - 4, 4);
        *head = a;
        *tail = b;
    } else if (n >= 2 && n < 4) {
        uint16_t a, b;
        memcpy(&a, s, 2);
        memcpy(&b, s + n - 2, 2);
        *head = a;
        *tail = b;
    } else if (n == 1) {
        *head = *tail = (unsigned char)s[0];
    }
}

struct heard_featwords {
    fword_slot slot[FWORDS_SIZE];
};

struct heard_featwords *heard_featwords_new(void)
{
    struct heard_featwords *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    for (size_t k = 0; k < sizeof k_fwords / sizeof k_fwords[0]; k++) {
        size_t n = strlen(k_fwords[k].s);
        uint64_t h = heard_hash(k_fwords[k].s, n);
        size_t p = (size_t)h & (FWORDS_SIZE - 1);
        while (t->slot[p].hash && !(t->slot[p].hash == h && t->slot[p].len == n &&
                                    memcmp(t->slot[p].w, k_fwords[k].s, n) == 0))
            p = (p + 1) & (FWORDS_SIZE - 1);
        t->slot[p].hash = h;
        t->slot[p].w = k_fwords[k].s;
        t->slot[p].len = (uint32_t)n;
        t->slot[p].kind |= k_fwords[k].kind;
        word_ends(k_fwords[k].s, (uint32_t)n, &t->slot[p].head, &t->slot[p].tail);
    }
    return t;
}

/* Q_*, W_STOP and HEARD_WC_* bits of the folded word s[0..n) of hash h (0
 * when none). */
static HOT_INLINE unsigned fword_kind_of(const struct heard_featwords *wt, const char *s, uint32_t n,
                                         uint64_t h)
{
    size_t p = (size_t)h & (FWORDS_SIZE - 1);
    for (; wt->slot[p].hash; p = (p + 1) & (FWORDS_SIZE - 1))
        if (wt->slot[p].hash == h && wt->slot[p].len == n) {
            const char *w = wt->slot[p].w;
            if (n >= 1 && n <= 16) {
                uint64_t head, tail;
                word_ends(s, n, &head, &tail);
                if (head == wt->slot[p].head && tail == wt->slot[p].tail)
                    return wt->slot[p].kind;
                continue;
            }
            uint32_t j = 0;
            while (j < n && w[j] == s[j]) /* a few bytes: no call */
                j++;
            if (j == n)
                return wt->slot[p].kind;
        }
    return 0;
}

/* The same bits of word i of toks: carried by the word when the tokens are
 * annotated (heard_word_info.fkind), else looked up in wt. */
static HOT_INLINE unsigned fword_kind(const struct heard_featwords *wt, const heard_tokens *toks, size_t i)
{
    const heard_token *t = &toks->tok[i];
    if (toks->annot)
        return t->wi.fkind;
    return fword_kind_of(wt, toks->norm + t->norm, t->norm_len, t->hash);
}

unsigned heard_word_class_lookup(const struct heard_featwords *wt, const heard_tokens *toks,
                                 size_t i)
{
    if (!wt || i >= toks->n || toks->tok[i].type != TOK_WORD)
        return 0;
    const heard_token *t = &toks->tok[i];
    return fword_kind_of(wt, toks->norm + t->norm, t->norm_len, t->hash) & HEARD_WC_ALL;
}

void heard_featwords_free(struct heard_featwords *wt)
{
    free(wt);
}

void heard_features_word(const struct heard_featwords *wt, const char *w, size_t len,
                         uint64_t hash, uint64_t stem_hash, heard_word_info *wi)
{
    wi->fid_word = fid(NS_WORD, hash);
    wi->fid_stem = fid(NS_STEM, stem_hash);
    wi->fkind = wt && len <= UINT32_MAX ? fword_kind_of(wt, w, (uint32_t)len, hash) : 0;
}

/* Agent questions: about the customer's feelings and needs, or procedural. */
static int question_features(heard_features *f, const heard_tokens *toks)
{
    const struct heard_featwords *wt = f->words;
    for (size_t s = 0; s < toks->n_sent; s++) {
        const heard_sentence *se = &toks->sent[s];
        if (!se->question)
            continue;
        unsigned q = 0; /* Q_* bits of its words: the feature code */
        for (uint32_t i = se->first; i < se->last && i < toks->n; i++)
            if (toks->tok[i].type == TOK_WORD)
                q |= fword_kind(wt, toks, i) & (Q_YOU | Q_FEEL | Q_PROC);
        PUSH(f, fid(NS_QTYPE, (uint64_t)q), 1.0f, se->first, se->last);
        if (q == (Q_YOU | Q_FEEL))
            PUSH(f, fid(NS_QTYPE, 100), 1.0f, se->first, se->last);
    }
    return 0;
}

static int context_features(heard_features *f, const heard_tokens *toks,
                            const heard_cue_hits *hits, const heard_turn_ctx *ctx)
{
    static const size_t ov_edges[] = {1, 2, 3, 5, 8};
    size_t content = 0, overlap = 0, g = f->n;
    for (size_t i = 0; i < toks->n; i++) {
        const heard_token *t = &toks->tok[i];
        if (t->type != TOK_WORD || t->norm_len < 3 || (fword_kind(f->words, toks, i) & W_STOP))
            continue;
        content++;
        if (ctx->cust_stems_cap &&
            heard_stemset_has(ctx->cust_stems, ctx->cust_stems_cap, t->stem_hash)) {
            overlap++;
            PUSH(f, fid(NS_OVERLAP, 100), 1.0f, (uint32_t)i, (uint32_t)i + 1);
        }
    }
    scale_group(f, g);
    PUSH(f, fid(NS_OVERLAP, (uint64_t)bucket(overlap, ov_edges, 5)), 1.0f, HEARD_NO_SPAN,
         HEARD_NO_SPAN);
    PUSH(f, fid(NS_OVERLAP, 50), content ? (float)overlap / (float)content : 0.0f,
         HEARD_NO_SPAN, HEARD_NO_SPAN);
    int urg = ctx->cust_urgency < 0 ? 0 : ctx->cust_urgency > 2 ? 2 : ctx->cust_urgency;
    int bid = ctx->cust_bid ? 1 : 0;
    PUSH(f, fid(NS_CTX, 1 + (uint64_t)urg), 1.0f, HEARD_NO_SPAN, HEARD_NO_SPAN);
    PUSH(f, fid(NS_CTX, 10 + (uint64_t)bid), 1.0f, HEARD_NO_SPAN, HEARD_NO_SPAN);
    PUSH(f, fid(NS_CTX, 20 + (uint64_t)(ctx->cust_asked_question ? 1 : 0)), 1.0f, HEARD_NO_SPAN,
         HEARD_NO_SPAN);
    PUSH(f, fid(NS_CTX, 30 + (uint64_t)(ctx->first_agent_turn ? 1 : 0)), 1.0f, HEARD_NO_SPAN,
         HEARD_NO_SPAN);
    float cs = isfinite(ctx->cust_sentiment) ? ctx->cust_sentiment : 0.0f;
    int sb = cs < -0.5f ? 0 : cs < -0.05f ? 1 : cs <= 0.05f ? 2 : 3;
    PUSH(f, fid(NS_CTX, 40 + (uint64_t)sb), 1.0f, HEARD_NO_SPAN, HEARD_NO_SPAN);
    uint32_t emo = ctx->cust_emotions;
    for (int k = 0; k < HEARD_N_EMOTIONS - 1; k++)
        if (emo & (1u << k))
            PUSH(f, fid(NS_CEMO, (uint64_t)k), 1.0f, HEARD_NO_SPAN, HEARD_NO_SPAN);
    if (!hits)
        return 0;
    if (reserve(f, 4 * hits->n) != 0) /* at most 4 a hit */
        return -1;
    for (size_t i = 0; i < hits->n; i++) {
        const heard_cue_hit *h = &hits->hit[i];
        PUSH_RESERVED(f, fid2(NS_BIDX, (uint64_t)bid, h->cue), 1.0f, h->first, h->last);
        PUSH_RESERVED(f, fid2(NS_URGX, (uint64_t)urg, h->cue), 1.0f, h->first, h->last);
        if (h->cue >= CUE_EMO_FIRST && h->cue <= CUE_EMO_LAST) {
            int k = h->cue - CUE_EMO_FIRST;
            if (k < HEARD_N_EMOTIONS - 1 && (emo & (1u << k))) {
                PUSH_RESERVED(f, fid(NS_NAMED, (uint64_t)k), 1.0f, h->first, h->last);
                PUSH_RESERVED(f, fid(NS_NAMED, 100), 1.0f, h->first, h->last);
            }
        }
    }
    return 0;
}

static int turn_features(heard_features *f, const heard_turn_ctx *ctx)
{
    int speaker = ctx ? (int)ctx->speaker : 0;
    PUSH(f, fid(NS_BIAS, 0), 1.0f, HEARD_NO_SPAN, HEARD_NO_SPAN);
    PUSH(f, fid(NS_SPEAKER, (uint64_t)speaker), 1.0f, HEARD_NO_SPAN, HEARD_NO_SPAN);
    if (!ctx)
        return 0;
    PUSH(f, fid(NS_CHANNEL, (uint64_t)ctx->channel * 2 + (uint64_t)speaker), 1.0f,
         HEARD_NO_SPAN, HEARD_NO_SPAN);
    size_t idx = ctx->index;
    PUSH(f, fid(NS_POS, idx > 4 ? 4 : idx), 1.0f, HEARD_NO_SPAN, HEARD_NO_SPAN);
    if (ctx->n_turns > 1 && idx + 1 == ctx->n_turns)
        PUSH(f, fid(NS_POS, 10), 1.0f, HEARD_NO_SPAN, HEARD_NO_SPAN);
    return 0;
}

int heard_features_build(heard_features *f, const heard_tokens *toks,
                         const heard_cue_hits *hits, const struct heard_lexicon *lex,
                         const struct heard_turn_ctx *ctx, float compound, long lex_first,
                         long lex_last, const float *tok_val)
{
    f->n = 0;
    f->n_core = 0;
    int speaker = ctx ? (int)ctx->speaker : 0;
    surface sf = {.ex_first = HEARD_NO_SPAN, .q_first = HEARD_NO_SPAN, .t_first = HEARD_NO_SPAN};
    if (word_ngrams(f, toks) != 0 ||
        lexicon_features(f, toks, lex, compound, lex_first, lex_last, tok_val, &sf) != 0 ||
        cue_features(f, hits) != 0 || surface_features(f, toks, &sf) != 0)
        return -1;
    f->n_core = f->n;
    if (turn_features(f, ctx) != 0 || cue_speaker_features(f, hits, speaker) != 0)
        return -1;
    /* the word table, for words that do not carry their kinds */
    if (ctx && ctx->speaker == HEARD_AGENT && !toks->annot && !f->words &&
        !(f->words = heard_featwords_new()))
        return -1;
    if (ctx && ctx->speaker == HEARD_AGENT &&
        (question_features(f, toks) != 0 || context_features(f, toks, hits, ctx) != 0))
        return -1;
    return 0;
}

void heard_features_free(heard_features *f)
{
    free(f->f);
    free(f->words);
    f->words = NULL;
    f->f = NULL;
    f->n = f->cap = 0;
}

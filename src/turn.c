/* turn.c - analysis of one turn: tokens, cue hits and lexicon sentiment in,
 * every per-turn field of the output contract out (sentiment, politeness,
 * emotions, customer urgency and bid, agent empathy mechanisms, ownership,
 * dismissiveness) with the evidence for each. Rules decide; a learned model,
 * when loaded, is blended in head by head. Agent turns are judged against the
 * customer turns before them (heard_turn_ctx). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "analysis.h"
#include "text.h"

#define E_(name) (CUE_EMO_FIRST + HEARD_EMO_##name)

/* Emotions a customer discloses as a burden: what makes a bid and what an
 * agent "names" when interpreting. */
static const uint32_t NEG_EMOTIONS =
    1u << HEARD_EMO_ANGER | 1u << HEARD_EMO_ANNOYANCE | 1u << HEARD_EMO_DISAPPOINTMENT |
    1u << HEARD_EMO_DISAPPROVAL | 1u << HEARD_EMO_DISGUST | 1u << HEARD_EMO_EMBARRASSMENT |
    1u << HEARD_EMO_FEAR | 1u << HEARD_EMO_GRIEF | 1u << HEARD_EMO_NERVOUSNESS |
    1u << HEARD_EMO_SADNESS | 1u << HEARD_EMO_CONFUSION;
/* Emotions a bid needs to be about the customer personally. */
static const uint32_t BID_EMOTIONS =
    1u << HEARD_EMO_ANGER | 1u << HEARD_EMO_DISAPPOINTMENT | 1u << HEARD_EMO_FEAR |
    1u << HEARD_EMO_GRIEF | 1u << HEARD_EMO_NERVOUSNESS | 1u << HEARD_EMO_SADNESS |
    1u << HEARD_EMO_EMBARRASSMENT | 1u << HEARD_EMO_ANNOYANCE;
/* Positive emotions that sarcasm turns around. */
static const uint32_t POS_EMOTIONS =
    1u << HEARD_EMO_ADMIRATION | 1u << HEARD_EMO_APPROVAL | 1u << HEARD_EMO_GRATITUDE |
    1u << HEARD_EMO_JOY | 1u << HEARD_EMO_LOVE | 1u << HEARD_EMO_EXCITEMENT |
    1u << HEARD_EMO_OPTIMISM | 1u << HEARD_EMO_RELIEF | 1u << HEARD_EMO_CARING |
    1u << HEARD_EMO_AMUSEMENT;

/* Politeness weight of each strategy (Danescu-Niculescu-Mizil et al. 2013
 * signs; magnitudes set by hand so one clear strategy gives about +-0.4). */
static float pol_weight(unsigned cue, int strength)
{
    switch (cue) {
    case CUE_POL_GRATITUDE: return 0.5f;
    case CUE_POL_GREETING: return 0.35f;
    case CUE_POL_APOLOGY: return 0.35f;
    case CUE_POL_PLEASE: return 0.35f;
    case CUE_POL_PLEASE_START: return 0.05f; /* still a please, but a command */
    case CUE_POL_HEDGE: return 0.2f;
    case CUE_POL_INDIRECT_REQUEST: return 0.45f;
    case CUE_POL_DEFERENCE: return 0.4f;
    case CUE_POL_SUBJUNCTIVE: return 0.25f;
    case CUE_POL_FIRST_PERSON_PLURAL: return 0.08f;
    case CUE_POL_DIRECT_QUESTION: return strength >= 2 ? -0.35f : -0.12f;
    case CUE_POL_SECOND_PERSON_START: return -0.2f;
    case CUE_POL_FACTUALITY: return -0.2f;
    case CUE_POL_DIRECT_START: return -0.1f;
    case CUE_POL_IMPOLITE: return strength >= 2 ? -1.1f : -0.45f;
    case CUE_SARCASM: return -0.6f;
    case CUE_DISMISSIVE: return -0.5f;
    default: return 0.0f;
    }
}

static inline int is_pol_cue(unsigned c)
{
    return c <= CUE_POL_IMPOLITE;
}

static inline int is_emo_cue(unsigned c)
{
    return c >= CUE_EMO_FIRST && c <= CUE_EMO_LAST;
}

/* Does hit x share a word with a strong dismissive hit? The non-apology
 * ("I'm sorry you feel that way") carries no warmth. */
static int in_strong_dismissive(const heard_cue_hits *h, const heard_cue_hit *x)
{
    for (size_t j = 0; j < h->n; j++) {
        const heard_cue_hit *d = &h->hit[j];
        if (d->cue == CUE_DISMISSIVE && d->strength >= 2 && d->first < x->last &&
            x->first < d->last)
            return 1;
    }
    return 0;
}

/* Per-turn summary of the hits: strongest hit per cue. */
typedef struct cue_sum {
    int8_t max[CUE_N];
    int16_t best[CUE_N]; /* hit index of the strongest, -1 */
    uint8_t count[CUE_N];
    int16_t top[CUE_N]; /* highest raw strength; valid where count > 0 */
    /* surface of the turn, computed once: several rules ask */
    int bangs, interrobang; /* see emphasis() */
    int shout;              /* shouting() */
    int trivial;            /* trivial_turn() */
} cue_sum;

static void summarise_init(cue_sum *s)
{
    memset(s->max, 0, sizeof s->max);
    memset(s->count, 0, sizeof s->count);
    for (size_t c = 0; c < CUE_N; c++)
        s->best[c] = -1;
}

/* Hit x, at index i of the filtered hits, into the summary. */
static inline void summarise_hit(cue_sum *s, const heard_cue_hit *x, size_t i)
{
    unsigned c = x->cue;
    if (c >= CUE_N || i >= INT16_MAX)
        return;
    if (!s->count[c] || x->strength > s->top[c])
        s->top[c] = x->strength;
    if (s->count[c] < 255)
        s->count[c]++;
    int st = x->strength > 0 ? x->strength : 1;
    if (s->best[c] < 0 || st > s->max[c]) {
        s->max[c] = (int8_t)st;
        s->best[c] = (int16_t)i;
    }
}

/* Drop hits that must not count in this turn: positive cues inside a
 * sarcastic stretch, "please" already counted as a sentence-initial
 * please, remorse from an agent's formula apology. The array is compacted
 * so that features see exactly the hits the rules used; s summarises the
 * hits kept, in the same pass. */
static void filter_hits(heard_cue_hits *h, const heard_tokens *t, heard_speaker sp, cue_sum *s)
{
    summarise_init(s);
    /* sarcasm and strong dismissive hits are never dropped, so whether the
     * turn has any is known before the loop; most turns have neither and
     * skip the inner scans */
    int any_sarcasm = 0, any_strong_dis = 0;
    for (size_t i = 0; i < h->n; i++) {
        any_sarcasm |= h->hit[i].cue == CUE_SARCASM;
        any_strong_dis |= h->hit[i].cue == CUE_DISMISSIVE && h->hit[i].strength >= 2;
    }
    size_t w = 0;
    for (size_t i = 0; i < h->n; i++) {
        const heard_cue_hit *x = &h->hit[i];
        int drop = 0;
        if (any_sarcasm &&
            ((is_emo_cue(x->cue) && (POS_EMOTIONS >> (x->cue - CUE_EMO_FIRST) & 1u)) ||
             x->cue == CUE_POL_GRATITUDE || x->cue == CUE_POL_DEFERENCE)) {
            uint16_t xs = t->tok[x->first].sent;
            for (size_t j = 0; j < h->n && !drop; j++) {
                if (h->hit[j].cue != CUE_SARCASM)
                    continue;
                uint16_t ss = t->tok[h->hit[j].first].sent;
                drop = xs + 1 >= ss && xs <= ss + 1;
            }
        }
        if (x->cue == CUE_POL_PLEASE && (t->tok[x->first].flags & TF_SENT_START))
            drop = 1;
        if (sp == HEARD_AGENT && x->cue == E_(REMORSE) && x->strength < 3)
            drop = 1;
        if (any_strong_dis && sp == HEARD_AGENT &&
            (x->cue == CUE_ER_WARM || x->cue == CUE_ER_FORMULA))
            drop = in_strong_dismissive(h, x);
        if (drop)
            continue;
        summarise_hit(s, x, w);
        if (w != i)
            h->hit[w] = *x;
        w++;
    }
    h->n = w;
}

/* Is there a hit of cue with strength >= min? (filter_hits() summarised every hit
 * unless there are more than INT16_MAX.) */
static int has_hit(const heard_cue_hits *h, const cue_sum *s, unsigned cue, int min)
{
    if (h->n <= INT16_MAX)
        return s->count[cue] && s->top[cue] >= min;
    for (size_t i = 0; i < h->n; i++)
        if (h->hit[i].cue == cue && h->hit[i].strength >= min)
            return 1;
    return 0;
}

static int shouting(const heard_tokens *t)
{
    return t->n_words >= 3 && t->n_allcaps >= 3 && t->n_allcaps * 2 >= t->n_words;
}

/* Largest run of '!' and whether "?!" / "!?" appears. */
static void emphasis(const heard_tokens *t, int *bangs, int *interrobang)
{
    *bangs = 0;
    *interrobang = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->tok[i].type != TOK_PUNCT)
            continue;
        if (t->tok[i].emphasis > *bangs)
            *bangs = t->tok[i].emphasis;
        size_t l;
        const char *s = heard_tok_norm(t, i, &l);
        if (l >= 2 && !*interrobang && memchr(s, '?', l) && memchr(s, '!', l))
            *interrobang = 1;
    }
}

/* A turn too short to carry a feeling or a request on its own ("ok", "?",
 * "k", "..."): only explicit rule cues may label it. */
static int trivial_turn(const heard_tokens *t)
{
    if (t->n_words >= 2) /* most turns: no scan needed */
        return 0;
    size_t content = 0;
    for (size_t i = 0; i < t->n; i++) {
        const heard_token *k = &t->tok[i];
        if (k->type == TOK_EMOJI || k->type == TOK_EMOTICON)
            return 0;
        content += k->type == TOK_WORD && k->norm_len >= 2;
    }
    return content < 2 && t->n_words < 2;
}

/* Surface measures of the turn that several rules use. */
static void summarise_surface(const heard_tokens *t, cue_sum *s)
{
    emphasis(t, &s->bangs, &s->interrobang);
    s->shout = shouting(t);
    s->trivial = trivial_turn(t);
}

static float politeness_score(const heard_cue_hits *h, const cue_sum *s)
{
    (void)h;
    float sum = 0;
    for (unsigned c = 0; c <= CUE_POL_IMPOLITE; c++) {
        if (!s->count[c])
            continue;
        float w = pol_weight(c, s->max[c]);
        int n = s->count[c] > 3 ? 3 : s->count[c];
        sum += w * (1.0f + 0.3f * (float)(n - 1));
    }
    if (s->count[CUE_SARCASM])
        sum += pol_weight(CUE_SARCASM, 1);
    if (s->count[CUE_DISMISSIVE])
        sum += pol_weight(CUE_DISMISSIVE, 1);
    if (s->shout)
        sum -= 0.35f;
    if (s->bangs >= 3 || s->interrobang)
        sum -= 0.15f;
    return tanhf(sum);
}

static float strength_score(int strength)
{
    return strength >= 3 ? 0.75f : strength == 2 ? 0.55f : 0.35f;
}

static inline float noisy_or(float a, float b)
{
    return 1.0f - (1.0f - a) * (1.0f - b);
}

/* Rule emotion scores from keyword hits, boosted by intensifiers and
 * emphasis, plus weak hints from punctuation and sentiment. */
static void emotion_scores(const heard_cue_hits *h, const heard_tokens *t, const cue_sum *su,
                           float sentiment, heard_speaker sp, float *sc)
{
    memset(sc, 0, HEARD_N_EMOTIONS * sizeof *sc);
    uint32_t touched = 0; /* emotions given a score: the rest stay 0 */
    for (size_t i = 0; i < h->n; i++) {
        const heard_cue_hit *x = &h->hit[i];
        if (!is_emo_cue(x->cue))
            continue;
        float v = strength_score(x->strength);
        const heard_token *k = &t->tok[x->first];
        int boost = (x->first > 0 && (t->tok[x->first - 1].flags & TF_INTENSIFIER)) ||
                    (k->flags & TF_ALLCAPS) || (k->flags & TF_EXCLAIM);
        if (boost)
            v += 0.15f;
        int e = x->cue - CUE_EMO_FIRST;
        sc[e] = noisy_or(sc[e], v);
        touched |= 1u << e;
    }
    int bangs = su->bangs, ib = su->interrobang;
    size_t q = 0;
    for (size_t s = 0; s < t->n_sent; s++)
        q += t->sent[s].question ? 1 : 0;
    if (q) {
        sc[HEARD_EMO_CURIOSITY] = noisy_or(sc[HEARD_EMO_CURIOSITY], 0.15f);
        sc[HEARD_EMO_CONFUSION] = noisy_or(sc[HEARD_EMO_CONFUSION], ib ? 0.3f : 0.1f);
        touched |= 1u << HEARD_EMO_CURIOSITY | 1u << HEARD_EMO_CONFUSION;
    }
    if (sp == HEARD_CUSTOMER) {
        if (sentiment <= -0.5f) {
            sc[HEARD_EMO_ANNOYANCE] = noisy_or(sc[HEARD_EMO_ANNOYANCE], 0.25f);
            sc[HEARD_EMO_DISAPPOINTMENT] = noisy_or(sc[HEARD_EMO_DISAPPOINTMENT], 0.2f);
            touched |= 1u << HEARD_EMO_ANNOYANCE | 1u << HEARD_EMO_DISAPPOINTMENT;
        }
        if (su->shout) {
            sc[HEARD_EMO_ANGER] = noisy_or(sc[HEARD_EMO_ANGER], 0.35f);
            sc[HEARD_EMO_ANNOYANCE] = noisy_or(sc[HEARD_EMO_ANNOYANCE], 0.35f);
            touched |= 1u << HEARD_EMO_ANGER | 1u << HEARD_EMO_ANNOYANCE;
        }
        if (bangs >= 3 && sentiment < -0.2f) {
            sc[HEARD_EMO_ANGER] = noisy_or(sc[HEARD_EMO_ANGER], 0.2f);
            touched |= 1u << HEARD_EMO_ANGER;
        }
    }
    /* situations that carry a feeling even when no feeling word is said:
     * repeated contact annoys, sarcasm is annoyed and let down, a deadline
     * or money trouble makes people nervous */
    static const struct {
        unsigned cue;
        int min_strength;
        int emo;
        float v;
    } implied[] = {
        /* sarcasm first: the only entries for agent turns */
        {CUE_SARCASM, 1, HEARD_EMO_ANNOYANCE, 0.55f},
        {CUE_SARCASM, 1, HEARD_EMO_DISAPPOINTMENT, 0.5f},
        {CUE_URGENCY_REPEAT, 2, HEARD_EMO_ANNOYANCE, 0.5f},
        {CUE_BID_EFFORT, 1, HEARD_EMO_ANNOYANCE, 0.4f},
        {CUE_URGENCY_DEADLINE, 2, HEARD_EMO_NERVOUSNESS, 0.4f},
        {CUE_URGENCY_NOW, 2, HEARD_EMO_NERVOUSNESS, 0.45f},
        {CUE_URGENCY_LOSS, 2, HEARD_EMO_NERVOUSNESS, 0.45f},
        {CUE_BID_HARDSHIP, 1, HEARD_EMO_NERVOUSNESS, 0.45f},
        {CUE_POL_IMPOLITE, 2, HEARD_EMO_ANGER, 0.45f},
        {CUE_POL_IMPOLITE, 1, HEARD_EMO_ANNOYANCE, 0.4f},
    };
    /* agent turns: only sarcasm, the first two entries */
    size_t n_implied = sp == HEARD_CUSTOMER ? sizeof implied / sizeof implied[0] : 2;
    for (size_t k = 0; k < n_implied; k++) {
        if (has_hit(h, su, implied[k].cue, implied[k].min_strength)) {
            sc[implied[k].emo] = noisy_or(sc[implied[k].emo], implied[k].v);
            touched |= 1u << implied[k].emo;
        }
    }
    float mx = 0;
    touched &= (1u << HEARD_EMO_NEUTRAL) - 1u; /* a neutral keyword is no feeling */
    for (; touched; touched &= touched - 1) {
        int e = __builtin_ctz(touched);
        if (sc[e] > mx)
            mx = sc[e];
    }
    sc[HEARD_EMO_NEUTRAL] = 1.0f - mx;
}

/* Sentiment when the lexicon has nothing to say (emoji-only turns, rare
 * words): the balance of the emotions the cues found. */
static float emotion_valence(const float *sc)
{
    float pos = 0, neg = 0;
    for (int e = 0; e < HEARD_N_EMOTIONS - 1; e++) {
        if (POS_EMOTIONS >> e & 1u)
            pos += sc[e];
        else if ((NEG_EMOTIONS >> e & 1u) && e != HEARD_EMO_CONFUSION)
            neg += sc[e];
    }
    return tanhf(pos - neg);
}

/* Is word k of t a stopword of the cue tables? The word carries the answer:
 * heard_turn_analyze() binds the tokens to an->annot. */
static inline int is_stop(const heard_analyzer *an, const heard_tokens *t, const heard_token *k)
{
    if (t->annot == &an->annot)
        return (k->wi.bits & HEARD_WI_STOP) != 0;
    return heard_cues_stopword(an->cues, k->hash);
}

/* Content stems of a sentence range that the customer said before. */
static int overlap(const heard_analyzer *an, const heard_tokens *t, const heard_turn_ctx *ctx,
                   uint32_t s_from, uint32_t s_to)
{
    if (!ctx || !ctx->cust_stems_cap || s_from >= t->n_sent)
        return 0;
    if (s_to >= t->n_sent)
        s_to = (uint32_t)t->n_sent - 1;
    int n = 0;
    for (uint32_t i = t->sent[s_from].first; i < t->sent[s_to].last && i < t->n; i++) {
        const heard_token *k = &t->tok[i];
        if (k->type != TOK_WORD || k->norm_len < 3 || is_stop(an, t, k) ||
            !heard_stemset_has(ctx->cust_stems, ctx->cust_stems_cap, k->stem_hash))
            continue;
        n++;
    }
    return n;
}

/* Does sentence range name a burdensome emotion (the agent's words)? */
static int names_emotion(const heard_cue_hits *h, const heard_tokens *t, uint32_t s_from,
                         uint32_t s_to)
{
    for (size_t i = 0; i < h->n; i++) {
        unsigned c = h->hit[i].cue;
        uint16_t s = t->tok[h->hit[i].first].sent;
        if (s < s_from || s > s_to)
            continue;
        if (is_emo_cue(c) && (NEG_EMOTIONS >> (c - CUE_EMO_FIRST) & 1u) &&
            c != E_(CONFUSION))
            return 1;
    }
    return 0;
}

static int sentence_has(const heard_cue_hits *h, const heard_tokens *t, unsigned cue,
                        uint16_t sent)
{
    for (size_t i = 0; i < h->n; i++)
        if (h->hit[i].cue == cue && t->tok[h->hit[i].first].sent == sent)
            return 1;
    return 0;
}

/* A needs hit that ends inside a generic check-in of three or more words
 * ("is there anything else worrying you?", where "worrying you" also reads
 * as a question about feelings) adds nothing to it: level 1, as labelled
 * (six of six in the corpus). A needs question that goes on past a generic
 * opener ("can I ask what time the tournament starts?") keeps its 2, and
 * one- and two-word openers ("What", "Do you") never count. */
static int inside_generic(const heard_cue_hits *h, const heard_tokens *t,
                          const heard_cue_hit *x)
{
    for (size_t j = 0; j < h->n; j++) {
        const heard_cue_hit *g = &h->hit[j];
        if (g->cue != CUE_EXP_GENERIC || g->last - g->first < 3)
            continue;
        if (g->first < x->last && x->last <= g->last)
            return 1;
        /* an invitation ends in "about" ("can you tell me a bit more
         * about what looks wrong?", "do you want to talk about what's
         * keeping you up?"): its question leaves the subject to the
         * customer, level 1 in every labelled set (19 of 20 replies,
         * cs-corpus 3 of 3) */
        if (t->tok[x->first].sent == t->tok[g->first].sent &&
            heard_tok_is(t, g->last - 1, "about", 5))
            return 1;
    }
    return 0;
}

/* Evidence of the winning hit of each agent mechanism. */
typedef struct agent_ev {
    int er, ip, ex;           /* levels */
    long er_hit, ip_hit, ex_hit; /* hit index or -1 */
    uint32_t ack_start, ack_end; /* acknowledge_hurry() span when it set ip */
    uint32_t own_start, own_end; /* own_experience() span when it set ip */
} agent_ev;

/* A short acknowledgement that reads the customer's hurry back ("Understood,
 * twenty minutes.", "Lunch at 12 for six kids, got it.") is the weak
 * interpretation the guide asks for with hurried customers: a reply that
 * shows it got the urgency without a paragraph of sympathy. It needs an
 * acknowledgement word, at most eight words and one of the customer's own
 * content words in the same sentence, after an urgent customer turn. */
static int acknowledge_hurry(const heard_analyzer *an, const heard_tokens *t,
                             const heard_turn_ctx *ctx, uint32_t *start, uint32_t *end)
{
    if (!ctx || ctx->cust_urgency < 2)
        return 0;
    for (uint32_t s = 0; s < t->n_sent; s++) {
        const heard_sentence *se = &t->sent[s];
        size_t words = 0, last = SIZE_MAX;
        int ack = 0;
        for (size_t i = se->first; i < se->last && i < t->n; i++) {
            if (t->tok[i].type != TOK_WORD)
                continue;
            words++;
            if (heard_tok_is(t, i, "understood", 10) || heard_tok_is(t, i, "noted", 5) ||
                (heard_tok_is(t, i, "got", 3) && i + 1 < se->last && heard_tok_is(t, i + 1, "it", 2)))
                ack = 1;
            last = i;
        }
        if (last != SIZE_MAX && (heard_tok_is(t, last, "ok", 2) || heard_tok_is(t, last, "okay", 4)))
            ack = 1;
        /* a bare "Understood." reads back in the next sentence */
        uint32_t to = ack && words == 1 && s + 1 < t->n_sent ? s + 1 : s;
        if (ack && words <= 8 && overlap(an, t, ctx, s, to) >= 1) {
            *start = se->start;
            *end = t->sent[to].end;
            return 1;
        }
    }
    return 0;
}

/* Whether word token i is one of the NULL-terminated words w. */
static int tok_in(const heard_tokens *t, size_t i, const char *const *w)
{
    return i < t->n && t->tok[i].type == TOK_WORD && heard_tok_in(t, i, w);
}

/* Whether word token i (false past the end) is the word w. */
static int tok_is(const heard_tokens *t, size_t i, const char *w)
{
    return i < t->n && t->tok[i].type == TOK_WORD && heard_tok_eq(t, i, w);
}

/* The next word token after i within [i + 1, last), or last. */
static size_t next_word(const heard_tokens *t, size_t i, size_t last)
{
    for (i++; i < last && t->tok[i].type != TOK_WORD; i++)
        ;
    return i;
}

/* Whether the first-person word at i speaks of the responder's own life
 * rather than a formula: "I'm (so) sorry / glad", "I hope / think / know",
 * "I'm afraid", "let me / for me to", "my condolences". */
static int own_person(const heard_tokens *t, size_t i, size_t first, size_t last)
{
    static const char *const formula_after[] = {
        "sorry", "glad", "proud", "here", "happy", "hope", "think", "guess", "wish", "believe",
        "bet", "mean", "promise", "would", "recommend", "suggest", "know", "understand", "can",
        "can't", "cant", "could", "will", "afraid", "appreciate", "totally", "completely",
        "get", "see", "agree", "love", NULL};
    static const char *const adverbs[] = {"so", "really", "very", "truly", "just", "genuinely",
                                          "also", "too", "am", "was", NULL};
    static const char *const me_before[] = {"to", "for", "with", "dm", "message", "text", "tell",
                                            "let", "email", "call", "ring", "pm", "ask", NULL};
    static const char *const my_after[] = {"heart", "condolences", "thoughts", "apologies",
                                           "pleasure", "name", "dms", "dm", "inbox", NULL};
    if (heard_tok_is(t, i, "me", 2)) {
        size_t p = i;
        while (p > first && t->tok[p - 1].type != TOK_WORD)
            p--;
        return !(p > first && tok_in(t, p - 1, me_before));
    }
    size_t n = next_word(t, i, last);
    if (heard_tok_is(t, i, "my", 2))
        return !(n < last && tok_in(t, n, my_after));
    while (n < last && tok_in(t, n, adverbs))
        n = next_word(t, n, last);
    return !(n < last && tok_in(t, n, formula_after));
}

/* Whether punctuation token i holds a quotation mark ('"', U+201C, U+201D). */
static int has_quote(const heard_tokens *t, size_t i)
{
    size_t n;
    const char *w = heard_tok_norm(t, i, &n);
    for (size_t b = 0; b < n; b++)
        if (w[b] == '"' || (b + 2 < n && (unsigned char)w[b] == 0xe2 &&
                            (unsigned char)w[b + 1] == 0x80 &&
                            ((unsigned char)w[b + 2] & 0xfe) == 0x9c))
            return 1;
    return 0;
}

/* The words and numbers of one sentence outside quotation marks, by token
 * index; a sentence longer than OWN_MAX is read up to there. */
enum { OWN_MAX = 96 };
typedef struct own_words {
    const heard_tokens *t;
    uint32_t idx[OWN_MAX];
    size_t n;
} own_words;

static int ow_is(const own_words *w, size_t j, const char *word)
{
    return j < w->n && heard_tok_eq(w->t, w->idx[j], word);
}

static int ow_in(const own_words *w, size_t j, const char *const *list)
{
    return j < w->n && tok_in(w->t, w->idx[j], list);
}

/* An age: a number token of two digits from 13 to 79 that ends a phrase
 * ("at 41, after my divorce", "at 34 when"), not a quantity ("at 30 days"). */
static int ow_age(const own_words *w, size_t j)
{
    static const char *const then[] = {"after", "when", "and", "because", "but", "so", "i",
                                       "while", "before", "with", "or", "the", NULL};
    const heard_tokens *t = w->t;
    if (j >= w->n || t->tok[w->idx[j]].type != TOK_NUMBER)
        return 0;
    size_t n, i = w->idx[j];
    const char *d = heard_tok_norm(t, i, &n);
    if (n != 2 || d[0] < '1' || d[0] > '7' || d[1] < '0' || d[1] > '9' ||
        (d[0] == '1' && d[1] < '3'))
        return 0;
    return i + 1 >= t->n || t->tok[i + 1].sent != t->tok[i].sent ||
           t->tok[i + 1].type == TOK_PUNCT || tok_in(t, i + 1, then);
}

/* A word of the responder's own past life starting at word j: "3 years
 * ago", "last year", "at 41", "when i was", "my first
 * semester", "for about a year", "for years", "my (late) husband's",
 * "got me through", "took me". */
static int life_marker(const own_words *w, size_t j)
{
    static const char *const count[] = {"a", "one", "two", "three", "four", "five", "six", "few",
                                        "several", "many", NULL};
    static const char *const unit[] = {"year", "years", "month", "months", "week", "weeks",
                                       "yr", "yrs", NULL};
    static const char *const since[] = {"ago", "later", "out", "clean", "sober", "in", NULL};
    static const char *const last_what[] = {"year", "time", "summer", "winter", "spring",
                                            "fall", "autumn", "month", NULL};
    static const char *const ordinal[] = {"first", "second", "third", "senior", "junior",
                                          "freshman", "sophomore", "final", NULL};
    static const char *const stage[] = {"year", "semester", "day", "week", "time", "job",
                                        "month", NULL};
    static const char *const about[] = {"like", "about", "almost", "nearly", "over", NULL};
    static const char *const kin[] = {
        "husband", "wife", "daughter", "son", "mum", "mom", "dad", "mother", "father", "ex",
        "parents", "brother", "sister", "kids", "kid", "baby", "grandma", "grandad", "grandpa",
        "nan", "partner", "boyfriend", "girlfriend", "divorce", "brain", "therapist", "sponsor",
        "doctor", "psych", "psychiatrist", "family", "friend", "friends", "dog", "cat",
        "husband's", "wife's", "daughter's", "son's", "mum's", "mom's", "dad's", "mother's",
        "father's", "ex's", "brother's", "sister's", "kid's", "baby's", "grandma's", "partner's",
        "boyfriend's", "girlfriend's", "friend's", "dog's", "cat's", NULL};
    static const char *const get[] = {"got", "get", "gets", NULL};
    const heard_tokens *t = w->t;
    if (j >= w->n)
        return 0;
    int num = t->tok[w->idx[j]].type == TOK_NUMBER || ow_in(w, j, count);
    size_t u = ow_is(w, j, "couple") && ow_is(w, j + 1, "of") ? j + 2 : j + 1;
    if ((num || u == j + 2) && ow_in(w, u, unit) && ow_in(w, u + 1, since))
        return 1;
    if (ow_is(w, j, "last") && ow_in(w, j + 1, last_what))
        return 1;
    if (ow_is(w, j, "at") && ow_age(w, j + 1))
        return 1;
    if (ow_is(w, j, "when") && ow_is(w, j + 1, "i") && ow_is(w, j + 2, "was"))
        return 1;
    if (ow_is(w, j, "my")) {
        size_t k = j + 1 + (ow_is(w, j + 1, "whole") || ow_is(w, j + 1, "late"));
        return (ow_in(w, k, ordinal) && ow_in(w, k + 1, stage)) || ow_in(w, k, kin);
    }
    if (ow_is(w, j, "for")) {
        size_t k = j + 1 + ow_in(w, j + 1, about);
        if (ow_is(w, k, "months") || ow_is(w, k, "years"))
            return 1;
        return (ow_in(w, k, count) || (k < w->n && t->tok[w->idx[k]].type == TOK_NUMBER)) &&
               ow_in(w, k + 1, unit) && !ow_is(w, k + 1, "week") && !ow_is(w, k + 1, "weeks");
    }
    if (ow_in(w, j, get) && ow_is(w, j + 1, "me") && ow_is(w, j + 2, "through"))
        return 1;
    return ow_is(w, j, "took") && ow_is(w, j + 1, "me");
}

/* A shared experience told in the responder's own words, without a stock
 * phrase, is EPITOME's strong interpretation: a sentence about the
 * responder's own life, with a first-person word that is no formula and,
 * within eight words of it, a word of feeling, struggle or treatment ("i
 * slipped at 6 months once and felt like i'd thrown everything away", "it
 * used to send me straight into a spiral") with nobody else's subject
 * between, or a mark of their past ("I moved to Denver at 41 after my
 * divorce", "took me 87 applications last time", "i ate in the library
 * bathroom my whole first semester"). A "you" outside quotation marks
 * rules the sentence out (a sentence about the seeker reads them, not the
 * responder), and quoted words are someone else's. Agents speak of their
 * own actions on the case ("I've checked", "I've booked"), which name
 * neither: no cs-corpus agent turn has such a sentence. The word classes
 * (first and second person, other subjects, feelings) come with the
 * feature words' one lookup per word (HEARD_WC_*, src/featurize.c). */
static int own_experience(const heard_analyzer *an, const heard_tokens *t, uint32_t *start,
                          uint32_t *end)
{
    enum { OWN_FP = 1, OWN_FELT = 2, OWN_OTHER = 4, OWN_PAST = 8 };
    own_words w;
    uint8_t kind[OWN_MAX];
    w.t = t;
    for (size_t s = 0; s < t->n_sent; s++) {
        const heard_sentence *se = &t->sent[s];
        size_t first = se->first, last = se->last < t->n ? se->last : t->n;
        int ok = 1, fp = 0, quoted = 0;
        w.n = 0;
        for (size_t i = first; i < last && ok; i++) {
            const heard_token *k = &t->tok[i];
            if (k->type == TOK_PUNCT && has_quote(t, i))
                quoted = !quoted;
            if (quoted || (k->type != TOK_WORD && k->type != TOK_NUMBER))
                continue;
            unsigned c = heard_word_class(an->fwords, t, i);
            ok = !(c & HEARD_WC_SECOND);
            fp |= (c & HEARD_WC_FIRST) != 0;
            if (w.n < OWN_MAX) {
                kind[w.n] = (uint8_t)(((c & HEARD_WC_FIRST) ? OWN_FP : 0) |
                                      ((c & HEARD_WC_FELT) ? OWN_FELT : 0) |
                                      ((c & HEARD_WC_OTHER) ? OWN_OTHER : 0));
                w.idx[w.n++] = (uint32_t)i;
            }
        }
        if (!ok || !fp)
            continue;
        int own = 0;
        for (size_t k = 0; k < w.n; k++) {
            if ((kind[k] & OWN_FP) && !own_person(t, w.idx[k], first, last))
                kind[k] &= (uint8_t)~OWN_FP;
            own |= kind[k] & OWN_FP;
        }
        for (size_t k = 0; k < w.n && own; k++)
            if (life_marker(&w, k))
                kind[k] |= OWN_PAST;
        for (size_t k = 0; k < w.n && own; k++) {
            if (!(kind[k] & OWN_FP))
                continue;
            /* up to eight words either side; a feeling stops at another
             * subject, a mark of the past does not need to */
            size_t lo = k > 8 ? k - 8 : 0, hi = k + 9 < w.n ? k + 9 : w.n;
            int hit = 0;
            for (size_t j = k; j-- > lo && !(kind[j] & OWN_OTHER);)
                hit |= kind[j] & OWN_FELT;
            for (size_t j = k + 1; j < hi && !(kind[j] & OWN_OTHER); j++)
                hit |= kind[j] & OWN_FELT;
            for (size_t j = lo; j < hi; j++)
                hit |= kind[j] & OWN_PAST;
            if (hit) {
                *start = se->start;
                *end = se->end;
                return 1;
            }
        }
    }
    return 0;
}

static void agent_empathy(const heard_analyzer *an, const heard_cue_hits *h,
                          const heard_tokens *t, const heard_turn_ctx *ctx, agent_ev *a)
{
    a->er = a->ip = a->ex = 0;
    a->er_hit = a->ip_hit = a->ex_hit = -1;
    int cust_emo = ctx && ((ctx->cust_emotions & NEG_EMOTIONS) || ctx->cust_bid);
    for (size_t i = 0; i < h->n; i++) {
        const heard_cue_hit *x = &h->hit[i];
        uint16_t s = t->tok[x->first].sent;
        int lvl = 0;
        if (x->cue == CUE_ER_FORMULA) {
            lvl = 1;
            if (lvl > a->er) {
                a->er = lvl;
                a->er_hit = (long)i;
            }
        } else if (x->cue == CUE_ER_WARM) {
            /* warmth taken up with the customer's own situation is strong;
             * a formula in the same sentence keeps it weak */
            int ov = overlap(an, t, ctx, s, s + 1u);
            int named = cust_emo && names_emotion(h, t, s, s);
            int formula = sentence_has(h, t, CUE_ER_FORMULA, s);
            lvl = 1;
            if (!formula && (x->strength >= 2 || ov >= 2 || (ov >= 1 && named)))
                lvl = 2;
            if (lvl > a->er) {
                a->er = lvl;
                a->er_hit = (long)i;
            }
        } else if (x->cue == CUE_INT_GENERIC) {
            if (1 > a->ip) {
                a->ip = 1;
                a->ip_hit = (long)i;
            }
        } else if (x->cue == CUE_INT_SPECIFIC) {
            int ov = overlap(an, t, ctx, s, s);
            int named = names_emotion(h, t, s, s);
            lvl = (ov >= 1 || named || x->strength >= 2) ? 2 : 1;
            if (lvl > a->ip) {
                a->ip = lvl;
                a->ip_hit = (long)i;
            }
        } else if (x->cue == CUE_EXP_NEEDS || x->cue == CUE_EXP_GENERIC) {
            /* a needs question inside a procedural sentence stays procedural */
            if (sentence_has(h, t, CUE_EXP_PROCEDURAL, s) && x->cue == CUE_EXP_GENERIC)
                continue;
            lvl = x->cue == CUE_EXP_NEEDS && !inside_generic(h, t, x) ? 2 : 1;
            if (lvl > a->ex) {
                a->ex = lvl;
                a->ex_hit = (long)i;
            }
        }
    }
    a->ack_start = a->ack_end = 0;
    if (a->ip == 0 && acknowledge_hurry(an, t, ctx, &a->ack_start, &a->ack_end))
        a->ip = 1;
}

static int agent_ownership(const heard_cue_hits *h, const heard_tokens *t, long *hit)
{
    *hit = -1;
    for (size_t i = 0; i < h->n; i++) {
        const heard_cue_hit *x = &h->hit[i];
        if (x->cue != CUE_OWNERSHIP)
            continue;
        uint16_t s = t->tok[x->first].sent;
        if (x->strength >= 2 || sentence_has(h, t, CUE_OWNERSHIP_TIME, s)) {
            *hit = (long)i;
            return 1;
        }
    }
    return 0;
}

static int agent_dismissive(const heard_cue_hits *h, const cue_sum *s, const heard_turn_ctx *ctx,
                            const agent_ev *a, int own, long *hit)
{
    *hit = -1;
    if (s->count[CUE_DISMISSIVE]) {
        *hit = s->best[CUE_DISMISSIVE];
        if (s->max[CUE_DISMISSIVE] >= 2 || (ctx && (ctx->cust_bid || ctx->cust_urgency)))
            return 1;
    }
    /* pure deflection of a stated problem: passed on, nothing taken up */
    if (s->count[CUE_DEFLECT] && ctx && (ctx->cust_bid || ctx->cust_urgency >= 2) && !own &&
        a->er == 0 && a->ip == 0 && a->ex == 0) {
        *hit = s->best[CUE_DEFLECT];
        return 1;
    }
    (void)h;
    return 0;
}

static int first_person(const heard_tokens *t)
{
#define FP_(w) {w, sizeof w - 1}
    static const struct {
        const char *w;
        size_t n; /* lengths given, not strlen() per word and token */
    } fp[] = {FP_("i"),  FP_("i'm"),    FP_("im"), FP_("i've"),  FP_("ive"),
              FP_("i'd"), FP_("i'll"),  FP_("me"), FP_("my"),    FP_("myself"),
              FP_("we"), FP_("we're"), FP_("we've"), FP_("our"), FP_("us")};
#undef FP_
    for (size_t i = 0; i < t->n; i++) {
        if (t->tok[i].type != TOK_WORD)
            continue;
        for (size_t k = 0; k < sizeof fp / sizeof fp[0]; k++)
            if (heard_tok_is(t, i, fp[k].w, fp[k].n))
                return 1;
    }
    return 0;
}

/* A customer who was in a hurry stays in a hurry until something settles
 * it: follow-ups (an account number, "ok") keep the high urgency of the
 * previous customer turns unless this turn shows relief or thanks. */
static int carried_urgency(int u, const heard_turn_ctx *ctx, uint32_t labels)
{
    if (!ctx || ctx->cust_urgency < 2 || u >= 2)
        return u;
    if (labels & (1u << HEARD_EMO_RELIEF | 1u << HEARD_EMO_GRATITUDE | 1u << HEARD_EMO_JOY))
        return u > 1 ? u : 1;
    return 2;
}

/* "No rush", "I'm in no hurry", "not in a rush", "it's not urgent": the
 * customer says there is no time pressure. The urgency head learnt "rush"
 * and "hurry" from hurried customers and reads them as urgent after "no"
 * too, so a hurry word inside a negation scope (the tokenizer's) keeps the
 * model from adding urgency. */
static int says_no_hurry(const heard_tokens *t)
{
    static const char *const hurry[] = {"rush", "hurry", "rushing", "hurrying", "urgent",
                                        "urgency", NULL};
    for (size_t i = 0; i < t->n; i++)
        if ((t->tok[i].flags & TF_NEGATED) && tok_in(t, i, hurry))
            return 1;
    return 0;
}

static int customer_urgency(const cue_sum *s)
{
    static const unsigned hard[] = {CUE_URGENCY_DEADLINE, CUE_URGENCY_NOW, CUE_URGENCY_REPEAT,
                                    CUE_URGENCY_LOSS};
    int u = 0;
    for (size_t k = 0; k < sizeof hard / sizeof hard[0]; k++)
        if (s->count[hard[k]])
            u = s->max[hard[k]] >= 2 ? 2 : (u > 1 ? u : 1);
    if (u == 0 && s->count[CUE_URGENCY_SOME])
        u = 1;
    if (u == 1 && (s->shout || s->bangs >= 3))
        u = 2;
    return u;
}

static int customer_bid(const cue_sum *s, const heard_tokens *t, uint32_t labels,
                        const float *sc, long *hit, unsigned *cue)
{
    static const unsigned bids[] = {CUE_BID_EMOTION, CUE_BID_VULNERABILITY, CUE_BID_HARDSHIP,
                                    CUE_BID_EFFORT};
    *hit = -1;
    for (size_t k = 0; k < sizeof bids / sizeof bids[0]; k++)
        if (s->count[bids[k]]) {
            *hit = s->best[bids[k]];
            *cue = bids[k];
            return 1;
        }
    /* repeated contact is effort; losing work is hardship; a sarcastic or
     * rude outburst discloses frustration just as plainly as "I'm fed up" */
    static const struct {
        unsigned cue, as;
        int min;
    } implied[] = {{CUE_URGENCY_REPEAT, CUE_BID_EFFORT, 2},
                   {CUE_URGENCY_LOSS, CUE_BID_HARDSHIP, 2},
                   {CUE_SARCASM, CUE_BID_EMOTION, 1},
                   {CUE_POL_IMPOLITE, CUE_BID_EMOTION, 2}};
    for (size_t k = 0; k < sizeof implied / sizeof implied[0]; k++)
        if (s->count[implied[k].cue] && s->max[implied[k].cue] >= implied[k].min) {
            *hit = s->best[implied[k].cue];
            *cue = implied[k].as;
            return 1;
        }
    if ((labels & BID_EMOTIONS) && first_person(t)) {
        int best = -1;
        for (int e = 0; e < HEARD_N_EMOTIONS - 1; e++)
            if ((BID_EMOTIONS >> e & 1u) && (labels >> e & 1u) && (best < 0 || sc[e] > sc[best]))
                best = e;
        if (best >= 0) {
            *hit = s->best[CUE_EMO_FIRST + best];
            *cue = CUE_BID_EMOTION;
            return 1;
        }
    }
    return 0;
}

static int add_hit_ev(heard_workspace *ws, heard_turn_result *r, const heard_cue_hits *h, long i,
                      const char *cue)
{
    if (i < 0 || (size_t)i >= h->n)
        return 0;
    return heard_ws_evidence_add(ws, r, cue, h->hit[i].start, h->hit[i].end);
}

/* What a model decision needs besides the model's outputs: the feature
 * vector (to explain a label) and the tokens (to keep evidence on words
 * that mean something). */
typedef struct model_view {
    heard_workspace *ws; /* where the evidence goes */
    const heard_analyzer *an;
    const heard_tokens *t;
    const heard_features *f;
    const heard_model_out *mo; /* NULL: rules only */
} model_view;

/* A span says something when it holds a content word (not a stopword, at
 * least 3 letters), an emoji or an emoticon: never a lone "I" or "the". */
static int content_span(const heard_analyzer *an, const heard_tokens *t, uint32_t a, uint32_t b)
{
    for (uint32_t i = a; i < b && i < t->n; i++) {
        const heard_token *k = &t->tok[i];
        if (k->type == TOK_EMOJI || k->type == TOK_EMOTICON)
            return 1;
        if (k->type == TOK_WORD && k->norm_len >= 3 && !is_stop(an, t, k))
            return 1;
    }
    return 0;
}

/* Evidence for a label with no rule hit: the model's strongest
 * contributing span that holds a content word, else the lexicon's
 * strongest word, else the whole turn. */
static int add_model_ev(heard_turn_result *r, const model_view *v, int head, int output,
                        float dir, long lf, long ll, const char *cue)
{
    const heard_tokens *t = v->t;
    if (v->mo && v->an->model) {
        heard_model_span sp[4];
        int n = heard_model_explain(v->an->model, v->f, head, output < 0 ? 0 : output, dir, sp,
                                    4);
        for (int k = 0; k < n; k++) {
            uint32_t a = sp[k].first, b = sp[k].last;
            if (a < b && b <= t->n && content_span(v->an, t, a, b))
                return heard_ws_evidence_add(v->ws, r, cue, t->tok[a].start,
                                             t->tok[b - 1].end);
        }
    }
    if (lf >= 0 && ll >= lf && (size_t)ll < t->n)
        return heard_ws_evidence_add(v->ws, r, cue, t->tok[lf].start, t->tok[ll].end);
    if (t->n)
        return heard_ws_evidence_add(v->ws, r, cue, t->tok[0].start, t->tok[t->n - 1].end);
    return 0;
}

static inline int has(float v)
{
    return !isnan(v);
}

static inline int has3(const float *p)
{
    return has(p[0]) && has(p[1]) && has(p[2]);
}

/* Urgency the model alone raises (no urgency cue) needs an expected level
 * of 1.3, not the 1.0 at which the mean with the rule's 0 rounds to 1: the
 * customer-service corpus's first turns are often hurried, so plain
 * requests ("status of order 7322", "I don't know how to make an order")
 * sit near 1, and where exactly moves with every retraining. 400 unlabelled
 * Bitext requests (every 11th of inputs/bitext, 27 intents), share called
 * urgent: 17.8% at 1.2 with the models before the sarcasm fix, 25.8% at 1.2
 * and 18.0% at 1.3 after it; 5-fold CV on the corpus after it, 1.2 / 1.3:
 * highest urgency 0.698 / 0.699, urgency per customer turn 0.614 / 0.611
 * (first chosen at 1.2 on the same CV: 1.0 / 1.1 / 1.2 / 1.3 gave 41% / 25%
 * / 18.5% / 13% of another Bitext sample). */
#define MODEL_ONLY_URGENCY 1.3f
/* A turn of 20 words or more gives the head something to read, and there
 * the bar is lower. Short plain requests are what sit near 1 without
 * reason (every Bitext request has under 20 words), while in the corpus
 * the long first turns that tell of money or distress without a deadline
 * word are where "some urgency" goes unseen. 5-fold CV, seeds 1-3, mean
 * highest urgency with the bagged heads: 1.3 for all turns 0.698, 1.2 for
 * all 0.709, 1.15 for all 0.719 (but 24% of Bitext requests urgent, from
 * 15%), 1.15 for long turns 0.709, 1.05 for long turns 0.722; Bitext stays
 * at 14.9% with a long-turn bar, and the customer spot-check sets lose one
 * turn and gain one (1.0: three more lost; MODELS.md, "Session 15,
 * second part"). */
#define MODEL_ONLY_URGENCY_LONG 1.05f
#define LONG_TURN_WORDS 20

/* Likewise a bid the model finds with no bid cue in the turn needs its
 * probability 0.1 above the CV-tuned threshold: plain requests ("I have
 * troubles editing the shipping address") were bids for a third of 400
 * Bitext requests, 21.5% with the margin. 5-fold CV on the corpus, margin
 * 0 / 0.05 / 0.1 / 0.15 / 0.2: bid F1 0.851 / 0.853 / 0.853 / 0.842 / 0.838,
 * missed opportunity 0.745 / 0.755 / 0.762 / 0.752 / 0.746. */
#define MODEL_ONLY_BID_MARGIN 0.1f

/* Mean of a rule level and the model's expected level, rounded. */
static int blend_level(int rule, const float *p)
{
    float e = p[1] + 2.0f * p[2];
    int v = (int)floorf(((float)rule + e) / 2.0f + 0.5f);
    return v < 0 ? 0 : v > 2 ? 2 : v;
}

/* Presence (level > 0) of an empathy mechanism follows the rules unless
 * the model is very sure: the customer-service heads learnt from one small
 * domain and put interpretation on every warm reply and a weak level on
 * plain advice elsewhere (peer-support replies), while the cues carry over.
 * The model adds a level where no cue fired only when P(level > 0) >= add,
 * and removes a rule level only when P(level > 0) <= drop. When present,
 * the model decides weak vs strong (given present), averaged with the rule
 * level where blend is set. Chosen by 5-fold CV on cs-corpus under the
 * constraint that presence F1 on invented peer-support pairs stays >= 0.85
 * (CV macro-F1 / pairs presence F1 against the earlier blend: reaction
 * 0.749/0.89 -> 0.754/0.91, interpretation 0.718/0.67 -> 0.721/0.91,
 * exploration 0.691/0.99 -> 0.699/0.99; the same settings were best or
 * near best with the models before the last retraining too). */
typedef struct mech_gate {
    float add, drop;
    int blend;
    float weaken; /* a rule's level 2 becomes 1 when P(2 | present) < weaken */
} mech_gate;

static const mech_gate MECH_GATE[3] = {
    {0.98f, 0.10f, 1, 0.25f}, /* emotional_reaction */
    {0.95f, 0.02f, 0, 0.0f},  /* interpretation */
    {0.98f, -1.0f, 1, 0.0f},  /* exploration: the model never removes a cue's level */
};

/* Whether every sentence with a word in it asks something. Interpretation
 * is said, not asked: the customer-service heads put strong interpretation
 * on peer-support replies made only of questions ("What makes you think
 * that?", "What happened at school, if you don't mind me asking?"), while
 * none of the corpus's 17 such agent turns has any. */
static int only_questions(const heard_tokens *t)
{
    size_t asked = 0;
    for (size_t s = 0; s < t->n_sent; s++) {
        const heard_sentence *x = &t->sent[s];
        int words = 0;
        for (uint32_t i = x->first; i < x->last && i < t->n && !words; i++)
            words = t->tok[i].type == TOK_WORD;
        if (!words)
            continue;
        if (!x->question)
            return 0;
        asked++;
    }
    return asked > 0;
}

/* At most 12 words of three letters or more. */
static int short_reply(const heard_tokens *t)
{
    int words = 0;
    for (size_t i = 0; i < t->n && words <= 12; i++)
        words += t->tok[i].type == TOK_WORD && t->tok[i].norm_len >= 3;
    return words <= 12;
}

/* Whether every interpretation cue of the turn is generic or a claim of
 * the responder's own understanding ("I know how you feel", "I get why"),
 * none a reading of the customer's case ("no wonder you're hurting"). */
static int understanding_claims_only(const heard_cue_hits *h, const heard_tokens *t)
{
    for (size_t i = 0; i < h->n; i++)
        if (h->hit[i].cue == CUE_INT_SPECIFIC && !heard_tok_is(t, h->hit[i].first, "i", 1) &&
            !heard_tok_is(t, h->hit[i].first, "we", 2))
            return 0;
    return 1;
}

static int gated_level(int rule, const float *p, const mech_gate *g)
{
    float present = p[1] + p[2];
    if (rule > 0 ? present <= g->drop : present < g->add)
        return 0;
    int lvl = p[2] > p[1] ? 2 : 1;
    if (g->blend && rule > 0) {
        float e = 1.0f + p[2] / (present > 1e-12f ? present : 1e-12f);
        lvl = (int)floorf(((float)rule + e) / 2.0f + 0.5f);
        lvl = lvl < 1 ? 1 : lvl > 2 ? 2 : lvl;
        if (rule == 2 && e - 1.0f < g->weaken)
            lvl = 1;
    }
    return lvl;
}

static int add_customer_stems(const heard_analyzer *an, heard_workspace *ws)
{
    const heard_tokens *t = &ws->toks;
    for (size_t i = 0; i < t->n; i++) {
        const heard_token *k = &t->tok[i];
        /* stopwords are no context */
        if (k->type != TOK_WORD || k->norm_len < 3 || is_stop(an, t, k))
            continue;
        if (heard_stemset_add(ws, k->stem_hash) != 0)
            return -1;
    }
    return 0;
}

#define EV(expr)                                                                               \
    do {                                                                                       \
        if ((expr) != 0)                                                                       \
            return HEARD_ENOMEM;                                                               \
    } while (0)

/* Evidence cue names of model-only emotion labels. */
static const char *const model_emo_cue[HEARD_N_EMOTIONS] = {
    "model.emotion.admiration", "model.emotion.amusement", "model.emotion.anger",
    "model.emotion.annoyance", "model.emotion.approval", "model.emotion.caring",
    "model.emotion.confusion", "model.emotion.curiosity", "model.emotion.desire",
    "model.emotion.disappointment", "model.emotion.disapproval", "model.emotion.disgust",
    "model.emotion.embarrassment", "model.emotion.excitement", "model.emotion.fear",
    "model.emotion.gratitude", "model.emotion.grief", "model.emotion.joy", "model.emotion.love",
    "model.emotion.nervousness", "model.emotion.optimism", "model.emotion.pride",
    "model.emotion.realization", "model.emotion.relief", "model.emotion.remorse",
    "model.emotion.sadness", "model.emotion.surprise", "model.emotion.neutral"};

/* Model probability p rescaled so that its tuned threshold maps to 0.5:
 * a label is on exactly when its reported score is >= 0.5. */
static float calibrated(float p, float thr)
{
    if (!(thr > 0.0f && thr < 1.0f)) /* also NaN: no threshold */
        thr = 0.5f;
    float v = p < thr ? 0.5f * p / thr : 0.5f + 0.5f * (p - thr) / (1.0f - thr);
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

#ifdef __SSE2__
static inline __m128 select_ps(__m128 mask, __m128 a, __m128 b)
{
    return _mm_or_ps(_mm_and_ps(mask, a), _mm_andnot_ps(mask, b));
}

/* v < 0 ? 0 : v > 1 ? 1 : v, lane by lane (NaN stays NaN, as in C). */
static inline __m128 clamp01_ps(__m128 v)
{
    const __m128 zero = _mm_setzero_ps(), one = _mm_set1_ps(1.0f);
    v = select_ps(_mm_cmpgt_ps(v, one), one, v);
    return select_ps(_mm_cmplt_ps(v, zero), zero, v);
}

/* calibrated() of four labels: the same IEEE operations in the same order
 * in each lane (SSE2 division and comparisons round and treat NaN as the
 * scalar ones do), so the same bits. */
static inline __m128 calibrated_ps(__m128 p, __m128 thr)
{
    const __m128 zero = _mm_setzero_ps(), one = _mm_set1_ps(1.0f), half = _mm_set1_ps(0.5f);
    thr = select_ps(_mm_and_ps(_mm_cmpgt_ps(thr, zero), _mm_cmplt_ps(thr, one)), thr, half);
    __m128 lo = _mm_div_ps(_mm_mul_ps(half, p), thr);
    __m128 hi =
        _mm_add_ps(half, _mm_div_ps(_mm_mul_ps(half, _mm_sub_ps(p, thr)), _mm_sub_ps(one, thr)));
    return clamp01_ps(select_ps(_mm_cmplt_ps(p, thr), lo, hi));
}
#endif

/* With a model, the emotion labels are the model's alone: a strong rule
 * keyword ("furious", "thank you so much") no longer turns its label on
 * over the model. On GoEmotions dev that forcing added about 280 labels of
 * which 17% were right ("stress" as nervousness, "terrible" as fear), and
 * without it the 28-label macro-F1 rose 0.488 -> 0.498 (thresholds tuned on
 * one half, scored on the other: 0.482 -> 0.490); MODELS.md, session 16.
 * The rule keywords still give the labels' evidence and drive the rules-only
 * analysis, and they still decide over the model in turns without a word
 * ("🙏", "😡😡😡"), which the model, trained on written comments, reads
 * poorly. */
#define RULE_EMO_FORCE 0.74f

/* Ekman groups of the emotions (GoEmotions' own grouping) and the
 * noisy-or of the model's probabilities over a group's labels at which the
 * group counts as present even though no single label passed its threshold.
 * Several weak anger-like outputs (annoyance 0.3, disapproval 0.3) say
 * "anger" more surely than any of them says which. Tuned on one half of
 * GoEmotions dev and checked on the other (both ways): Ekman macro-F1
 * +0.005, sentiment groups +0.007, 28 labels -0.003 on the held-out half;
 * disgust and fear gained nothing and are left alone. */
enum { EK_ANGER, EK_DISGUST, EK_FEAR, EK_SADNESS, EK_SURPRISE, EK_JOY, EK_N };
#define EB_(name) (1u << HEARD_EMO_##name)
static const uint32_t EKMAN_MEMBERS[EK_N] = {
    [EK_ANGER] = EB_(ANGER) | EB_(ANNOYANCE) | EB_(DISAPPROVAL),
    [EK_DISGUST] = EB_(DISGUST),
    [EK_FEAR] = EB_(FEAR) | EB_(NERVOUSNESS),
    [EK_SADNESS] = EB_(DISAPPOINTMENT) | EB_(EMBARRASSMENT) | EB_(GRIEF) | EB_(REMORSE) |
                   EB_(SADNESS),
    [EK_SURPRISE] = EB_(CONFUSION) | EB_(CURIOSITY) | EB_(REALIZATION) | EB_(SURPRISE),
    [EK_JOY] = EB_(ADMIRATION) | EB_(AMUSEMENT) | EB_(APPROVAL) | EB_(CARING) | EB_(DESIRE) |
               EB_(EXCITEMENT) | EB_(GRATITUDE) | EB_(JOY) | EB_(LOVE) | EB_(OPTIMISM) |
               EB_(PRIDE) | EB_(RELIEF)};
static const float GROUP_PRESENT[EK_N] = {0.25f, 2.0f, 2.0f, 0.2f, 0.2f, 0.3f};

/* Best-scored label of a group's members (lowest index among equals). */
static int group_best(const heard_turn_result *out, uint32_t m)
{
    int best = __builtin_ctz(m);
    for (m &= m - 1; m; m &= m - 1) {
        int e = __builtin_ctz(m);
        if (out->emotions[e] > out->emotions[best])
            best = e;
    }
    return best;
}

/* Turn on the best label of each group the model finds likely as a whole
 * but whose labels all stayed under their thresholds (emotion models
 * without an Ekman head). */
static void complete_groups(heard_turn_result *out, const float *p)
{
    for (int g = 0; g < EK_N; g++) {
        uint32_t m = EKMAN_MEMBERS[g];
        if (GROUP_PRESENT[g] > 1.0f || (out->emotion_labels & m))
            continue;
        float none = 1.0f; /* in label order, as always */
        for (uint32_t r = m; r; r &= r - 1)
            none *= 1.0f - p[__builtin_ctz(r)];
        if (1.0f - none < GROUP_PRESENT[g])
            continue;
        int best = group_best(out, m);
        out->emotion_labels |= 1u << best;
        if (out->emotions[best] < 0.5f)
            out->emotions[best] = 0.5f;
    }
}

/* Group membership follows the Ekman head (one-vs-rest over the groups,
 * its own dev-tuned thresholds): a group it finds (calibrated score >= 0.5)
 * but none of whose labels is on gets its best label; a group it rejects
 * (score < 0.45) loses the labels that passed their thresholds only
 * marginally (score < 0.65).
 * Tuned on one half of GoEmotions dev and scored on the other, both ways;
 * see MODELS.md for the numbers. */
#define EK_ON 0.5f
#define EK_OFF 0.45f
#define EK_MARGINAL 0.65f
static void follow_ekman(heard_turn_result *out, const heard_model_out *mo)
{
    float cq[8]; /* calibrated group scores */
#ifdef __SSE2__
    _Static_assert((int)EK_N <= (int)HEARD_N_EKMAN && HEARD_N_EKMAN <= 8, "groups fit two vectors");
    float p8[8] = {0}, t8[8] = {0};
    memcpy(p8, mo->ekman, sizeof mo->ekman);
    memcpy(t8, mo->ekman_threshold, sizeof mo->ekman_threshold);
    _mm_storeu_ps(cq, calibrated_ps(_mm_loadu_ps(p8), _mm_loadu_ps(t8)));
    _mm_storeu_ps(cq + 4, calibrated_ps(_mm_loadu_ps(p8 + 4), _mm_loadu_ps(t8 + 4)));
#else
    for (int g = 0; g < EK_N; g++)
        cq[g] = calibrated(mo->ekman[g], mo->ekman_threshold[g]);
#endif
    for (int g = 0; g < EK_N; g++) {
        float q = cq[g];
        uint32_t m = EKMAN_MEMBERS[g];
        int on = (out->emotion_labels & m) != 0;
        if (!on && q >= EK_ON) {
            int best = group_best(out, m);
            out->emotion_labels |= 1u << best;
            if (out->emotions[best] < 0.5f)
                out->emotions[best] = 0.5f;
        } else if (on && q < EK_OFF) {
            for (uint32_t r = m & out->emotion_labels; r; r &= r - 1) {
                int e = __builtin_ctz(r);
                if (out->emotions[e] >= EK_MARGINAL)
                    continue;
                out->emotion_labels &= ~(1u << e);
                out->emotions[e] = 0.49f;
            }
        }
    }
}

#ifdef __SSE2__
/* The label loop of emotion_labels() for a turn without sarcasm, four
 * emotions at a time: the calibrated() model score, or the rule score
 * (p, thr NULL: rules only), clamped to
 * [0, 1], into sc[0..27). Each lane does the same IEEE operations in the
 * same order as the scalar code (SSE2 division and comparisons round and
 * treat NaN alike), so the scores are bit for bit the same. Lane 27
 * (neutral) is computed from in-bounds inputs and stored, but left out of
 * the labels; the caller overwrites its score. Returns the label bits. */
static uint32_t emotion_scores_x4(float *sc, const float *rule, const float *p, const float *thr)
{
    const __m128 half = _mm_set1_ps(0.5f);
    uint32_t labels = 0;
    _Static_assert(HEARD_N_EMOTIONS % 4 == 0, "emotions come in vectors of four");
    for (int k = 0; k < HEARD_N_EMOTIONS; k += 4) {
        __m128 v = p ? calibrated_ps(_mm_loadu_ps(p + k), _mm_loadu_ps(thr + k))
                     : _mm_loadu_ps(rule + k);
        v = clamp01_ps(v);
        _mm_storeu_ps(sc + k, v);
        labels |= (uint32_t)_mm_movemask_ps(_mm_cmpge_ps(v, half)) << k;
    }
    return labels & ((1u << HEARD_EMO_NEUTRAL) - 1u);
}
#endif

/* Largest score of the emotions other than neutral, at least 0 (NaN
 * ignored). */
static float max_emotion(const float *sc)
{
#ifdef __SSE2__
    /* max_ps(x, m) is x > m ? x : m, the scalar step; every lane stays +0
     * or positive, so the lanes combine in any order */
    __m128 m = _mm_setzero_ps();
    for (int k = 0; k + 4 < HEARD_N_EMOTIONS; k += 4)
        m = _mm_max_ps(_mm_loadu_ps(sc + k), m);
    const __m128 not_neutral = _mm_castsi128_ps(_mm_set_epi32(0, -1, -1, -1));
    m = _mm_max_ps(_mm_and_ps(_mm_loadu_ps(sc + HEARD_N_EMOTIONS - 4), not_neutral), m);
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_shuffle_ps(m, m, 1));
    return _mm_cvtss_f32(m);
#else
    float mx = 0;
    for (int e = 0; e < HEARD_N_EMOTIONS - 1; e++)
        if (sc[e] > mx)
            mx = sc[e];
    return mx;
#endif
}

static heard_status emotion_labels(heard_turn_result *out, const model_view *v,
                                   const heard_cue_hits *h, const cue_sum *s, const float *rule,
                                   long lf, long ll)
{
    const heard_model_out *mo = v->mo;
    int use_model = mo && has(mo->emotions[0]) && !s->trivial;
    int sarcastic = s->count[CUE_SARCASM] > 0;
    int wordless = v->ws->toks.n_words == 0;
    out->emotion_labels = 0;
#ifdef __SSE2__
    if (!sarcastic && !wordless)
        out->emotion_labels =
            emotion_scores_x4(out->emotions, rule, use_model ? mo->emotions : NULL,
                              use_model ? mo->emotion_threshold : NULL);
    else
#endif
    for (int e = 0; e < HEARD_N_EMOTIONS - 1; e++) {
        float sc = rule[e];
        if (use_model) {
            sc = calibrated(mo->emotions[e], mo->emotion_threshold[e]);
            if (wordless && rule[e] >= RULE_EMO_FORCE && sc < rule[e])
                sc = rule[e];
        }
        /* sarcasm turns praise and thanks around, and is itself annoyed */
        if (sarcastic && (POS_EMOTIONS >> e & 1u) && sc > 0.2f)
            sc = 0.2f;
        if (sarcastic && e == HEARD_EMO_ANNOYANCE && sc < rule[e])
            sc = rule[e];
        out->emotions[e] = sc < 0 ? 0 : sc > 1 ? 1 : sc;
        if (out->emotions[e] >= 0.5f)
            out->emotion_labels |= 1u << e;
    }
    /* with an Ekman head, group completion adds nothing the head does not:
     * without it, the half-and-half check gave 0.489 / 0.587 / 0.666
     * against 0.489 / 0.586 / 0.666 (MODELS.md, session 16); model
     * directories without the head still get it */
    if (use_model && !sarcastic) {
        if (has(mo->ekman[0]))
            follow_ekman(out, mo);
        else
            complete_groups(out, mo->emotions);
    }
    float mx = max_emotion(out->emotions);
    out->emotions[HEARD_EMO_NEUTRAL] = 1.0f - mx;
    /* neutral: when nothing else is on, and also when the model says so
     * next to labels none of which is sure (GoEmotions raters often add
     * neutral; a sure label, e.g. anger 0.98 on "😡😡😡", excludes it; on
     * GoEmotions dev this changes nothing) */
    if (use_model && !sarcastic) {
        float nsc = calibrated(mo->emotions[HEARD_EMO_NEUTRAL],
                               mo->emotion_threshold[HEARD_EMO_NEUTRAL]);
        if (nsc >= 0.5f && mx < 0.95f) {
            out->emotion_labels |= 1u << HEARD_EMO_NEUTRAL;
            if (nsc > out->emotions[HEARD_EMO_NEUTRAL])
                out->emotions[HEARD_EMO_NEUTRAL] = nsc;
        }
    }
    if (!out->emotion_labels)
        out->emotion_labels = 1u << HEARD_EMO_NEUTRAL;
    out->emotion_named = 0;
    for (int e = 0; e < HEARD_N_EMOTIONS - 1; e++)
        if (rule[e] >= RULE_EMO_FORCE && !(sarcastic && (POS_EMOTIONS >> e & 1u)))
            out->emotion_named |= 1u << e;
    uint32_t on = out->emotion_labels & ((1u << (HEARD_N_EMOTIONS - 1)) - 1u);
    for (; on; on &= on - 1) {
        int e = __builtin_ctz(on);
        const char *name = v->an->cue_name[CUE_EMO_FIRST + e];
        long b = s->best[CUE_EMO_FIRST + e];
        if (b >= 0)
            EV(add_hit_ev(v->ws, out, h, b, name));
        else if (e == HEARD_EMO_ANNOYANCE && sarcastic)
            EV(add_hit_ev(v->ws, out, h, s->best[CUE_SARCASM], name));
        else
            EV(add_model_ev(out, v, HEARD_HEAD_EMOTIONS, e, 1.0f, lf, ll,
                            use_model ? model_emo_cue[e] : name));
    }
    return HEARD_OK;
}

static heard_status politeness_evidence(const heard_analyzer *an, heard_workspace *ws,
                                        heard_turn_result *out, const heard_cue_hits *h)
{
    for (size_t i = 0; i < h->n; i++) {
        unsigned c = h->hit[i].cue;
        if (is_pol_cue(c) || c == CUE_SARCASM)
            EV(heard_ws_evidence_add(ws, out, an->cue_name[c], h->hit[i].start,
                                  h->hit[i].end));
    }
    return HEARD_OK;
}

/* Whether the turn asks for help with a task on something a service
 * keeps (an order, an account, an address, a fee...) in so many words:
 * "how do I", "how to", "what to do", "help", "I need to", "I want to",
 * "can I", or a problem, trouble or error named as such. Without the thing
 * asked about, "I want to" and "how do I" are as often a feeling ("I want
 * to die", "how do I stop being so jealous"). */
static int asks_how(const heard_tokens *t)
{
    static const char *const how_after[] = {"i", "to", "do", "can", "could", "should", NULL};
    static const char *const snag[] = {"problem", "problems", "trouble", "troubles", "error",
                                       "errors", "issue", "issues", NULL};
    static const char *const modal[] = {"can", "could", "where", NULL};
    static const char *const want[] = {"need", "want", "like", "wanna", NULL};
    static const char *const thing[] = {
        "order",     "orders",    "purchase",  "purchases", "account",      "address",
        "payment",   "payments",  "refund",    "refunds",   "subscription", "invoice",
        "bill",      "bills",     "fee",       "fees",      "charge",       "charges",
        "penalty",   "penalties", "delivery",  "shipping",  "password",     "card",
        "contract",  "plan",      "item",      "items",     "product",      "products",
        "parcel",    "package",   "ticket",    "booking",   "reservation",  "certificate",
        "policy",    "app",       "website",   "login",     "profile",      "newsletter",
        "voucher",   "receipt",   "statement", "reimbursement", "reimbursements", NULL};
    int has_thing = 0;
    for (size_t i = 0; i < t->n && !has_thing; i++)
        has_thing = tok_in(t, i, thing);
    if (!has_thing)
        return 0;
    for (size_t i = 0; i < t->n; i++) {
        if (tok_is(t, i, "help") || tok_in(t, i, snag))
            return 1;
        if (tok_is(t, i, "how") && tok_in(t, i + 1, how_after) &&
            !tok_is(t, i + 2, "feel"))
            return 1;
        if (tok_in(t, i, modal) && tok_is(t, i + 1, "i"))
            return 1;
        if (tok_is(t, i, "what") && tok_is(t, i + 1, "to") &&
            tok_is(t, i + 2, "do"))
            return 1;
        if (tok_in(t, i, want) && tok_is(t, i + 1, "to"))
            return 1;
    }
    return 0;
}

/* A short opening that asks for help with a task and has no cue of a
 * feeling, a hardship or a hurry ("I don't know how to cancel order
 * 00123842", "I have a problem with editing my address") is routine: the
 * models alone (the bid head, or an emotion label the emotion head put on
 * it) may not make it a bid. In cs-corpus openings are mostly bids, and
 * the models called 22% of the plain Bitext requests bids. Short as for
 * urgency (LONG_TURN_WORDS). A short opening that tells of a hardship
 * without asking ("My dog was put down this morning") is left to the
 * models. MODELS.md, session 16. */
static int plain_opening(const heard_turn_ctx *ctx, const heard_tokens *t, const cue_sum *s,
                         int rule_u)
{
    static const unsigned felt_cues[] = {CUE_SARCASM,     CUE_POL_IMPOLITE,      CUE_BID_EMOTION,
                                         CUE_BID_VULNERABILITY, CUE_BID_HARDSHIP, CUE_BID_EFFORT};
    if (!ctx || !ctx->first_customer_turn || t->n_words >= LONG_TURN_WORDS || rule_u ||
        s->shout || s->bangs >= 2)
        return 0;
    for (size_t k = 0; k < sizeof felt_cues / sizeof felt_cues[0]; k++)
        if (s->count[felt_cues[k]])
            return 0;
    /* not knowing how ("I don't know what to do to cancel") is confusion,
     * not a feeling to answer */
    uint32_t feelings = (NEG_EMOTIONS | BID_EMOTIONS | 1u << HEARD_EMO_REMORSE) &
                        ~(1u << HEARD_EMO_CONFUSION);
    for (unsigned c = CUE_EMO_FIRST; c <= CUE_EMO_LAST; c++)
        if (s->count[c] && (feelings >> (c - CUE_EMO_FIRST) & 1u))
            return 0;
    return asks_how(t);
}

static heard_status customer_fields(const heard_analyzer *an, heard_workspace *ws,
                                    const heard_turn_ctx *ctx, const cue_sum *s, const float *rule,
                                    const model_view *v, heard_turn_result *out)
{
    const heard_tokens *t = &ws->toks;
    const heard_cue_hits *h = &ws->hits;
    const heard_model_out *mo = v->mo;
    int rule_u = customer_urgency(s);
    /* the customer's rules read the emotions named outright too, as they
     * did when a strong keyword still decided the label */
    uint32_t felt = out->emotion_labels | out->emotion_named;
    int u = carried_urgency(rule_u, ctx, felt);
    long bhit;
    unsigned bcue = CUE_BID_EMOTION;
    int rule_bid = customer_bid(s, t, felt, rule, &bhit, &bcue);
    int bid = rule_bid, model_u = 0, model_bid = 0;
    int trivial = s->trivial;
    if (mo && has3(mo->urgency)) {
        model_u = 1;
        /* urgency is the one head where averaging with the rules won by
         * cross-validation (the rule cues for deadlines and repeat contact
         * are precise): the mean of the rule level and the model's expected
         * level, then carried over follow-up turns like the rule level */
        if (!trivial) {
            int b;
            if (rule_u) {
                b = blend_level(rule_u, mo->urgency);
            } else { /* the model alone: at most 1, and only over its bar */
                float bar = t->n_words >= LONG_TURN_WORDS ? MODEL_ONLY_URGENCY_LONG
                                                          : MODEL_ONLY_URGENCY;
                b = mo->urgency[1] + 2.0f * mo->urgency[2] >= bar && !says_no_hurry(t);
            }
            u = carried_urgency(b, ctx, felt);
        }
    }
    if (mo && has(mo->bid)) {
        model_bid = 1;
        float thr = has(mo->bid_threshold) ? mo->bid_threshold : 0.5f;
        bid = !trivial && mo->bid >= thr + (rule_bid ? 0.0f : MODEL_ONLY_BID_MARGIN) &&
              !plain_opening(ctx, t, s, rule_u);
    }
    out->urgency = u;
    out->bid = bid;
    if (u > 0) {
        int any = 0;
        for (size_t i = 0; i < h->n && rule_u; i++) {
            unsigned c = h->hit[i].cue;
            if (c >= CUE_URGENCY_DEADLINE && c <= CUE_URGENCY_SOME &&
                (rule_u == 1 || h->hit[i].strength >= 2 || c == CUE_URGENCY_SOME ||
                 c == CUE_URGENCY_DEADLINE)) {
                EV(heard_ws_evidence_add(ws, out, "urgency", h->hit[i].start, h->hit[i].end));
                any = 1;
            }
        }
        if (!any) /* carried over or from the model: the model's span, else the turn */
            EV(add_model_ev(out, v, HEARD_HEAD_URGENCY, u, 1.0f, -1, -1,
                            model_u ? "model.urgency" : "urgency.context"));
    }
    if (bid) {
        if (rule_bid && bhit >= 0)
            EV(add_hit_ev(ws, out, h, bhit, an->cue_name[bcue]));
        else
            EV(add_model_ev(out, v, HEARD_HEAD_BID, 0, 1.0f, -1, -1,
                            model_bid ? "model.bid" : "bid"));
    }
    if (add_customer_stems(an, ws) != 0)
        return HEARD_ENOMEM;
    return HEARD_OK;
}

/* Dismissive against what else the turn does. In the labelled corpus no
 * turn is both ownership and dismissive, and dismissive turns answer no
 * feeling in substance: a reply that takes ownership or shows warmth
 * (reaction, specific interpretation, a needs question) does not blame or
 * minimise, and a reply to customer turns without a bid has nothing stated
 * to minimise. The model's decision yields to both; a weak rule cue yields
 * to a substantive answer; an explicit strong cue ("calm down", "that's
 * policy") always stands. 5-fold CV on cs-corpus, with the new dismissive
 * cues: dismissive F1 0.587 -> 0.722 (MODELS.md). */
static int settle_dismissive(int dis, int strong_rule, int rule, const agent_ev *a, int own,
                             const heard_turn_ctx *ctx)
{
    if (!dis || strong_rule)
        return dis;
    if (a->er >= 2 || a->ip >= 2 || a->ex >= 2)
        return 0;
    if (!rule && (own || a->er >= 1 || (ctx && !ctx->cust_bid)))
        return 0;
    return dis;
}

static heard_status agent_fields(const heard_analyzer *an, heard_workspace *ws,
                                 const heard_turn_ctx *ctx, const cue_sum *s,
                                 const model_view *v, heard_turn_result *out)
{
    const heard_tokens *t = &ws->toks;
    const heard_cue_hits *h = &ws->hits;
    const heard_model_out *mo = v->mo;
    agent_ev a;
    agent_empathy(an, h, t, ctx, &a);
    long ohit, dhit;
    int own = agent_ownership(h, t, &ohit);
    int dis = agent_dismissive(h, s, ctx, &a, own, &dhit);
    int rule_er = a.er, rule_ip = a.ip, rule_ex = a.ex, rule_own = own, rule_dis = dis;
    int from_model[5] = {0};
    int trivial = s->trivial;
    if (mo && !trivial) {
        const float *p3[3] = {mo->emotional_reaction, mo->interpretation, mo->exploration};
        int *lv[3] = {&a.er, &a.ip, &a.ex};
        const int rl[3] = {rule_er, rule_ip, rule_ex};
        for (int k = 0; k < 3; k++)
            if (has3(p3[k])) {
                *lv[k] = gated_level(rl[k], p3[k], &MECH_GATE[k]);
                from_model[k] = 1;
            }
        /* clear rule cases the model may not overrule: an explicit
         * needs question is exploration; a formula apology alone is never
         * a strong reaction; a turn whose only questions are procedural
         * explores nothing */
        if (rule_ex == 2 && s->count[CUE_EXP_NEEDS] && a.ex < 2)
            a.ex = 2;
        if (a.er == 2 && !s->count[CUE_ER_WARM])
            a.er = s->count[CUE_ER_FORMULA] ? 1 : a.er;
        /* a shared experience ("I went through the same after my
         * divorce") is strong interpretation in EPITOME; agents in the
         * training corpus never tell one, so the model cannot weigh it */
        if (rule_ip == 2 && s->max[CUE_INT_SPECIFIC] >= 2) {
            a.ip = 2;
            /* the feelings in a told experience are the responder's past,
             * not a reaction: the model, which never saw one, adds none */
            if (rule_er == 0)
                a.er = 0;
        }
        if (rule_ip == 0 && a.ip > 0 && only_questions(t))
            a.ip = 0;
        /* strong interpretation names what this person feels or lives
         * through; a short reply that only claims to understand ("I know
         * how you feel.", "totally understand that") has no room for it:
         * no cs-corpus agent turn of 12 words or fewer is labelled 2 */
        if (rule_ip == 1 && a.ip == 2 && short_reply(t) && understanding_claims_only(h, t))
            a.ip = 1;
        /* nor a reply that names the responder's own feeling ("I'm really
         * worried about you", "my heart goes out to you"): EPITOME's strong
         * reaction, which such agents rarely voice */
        if (rule_er == 2 && s->max[CUE_ER_WARM] >= 2)
            a.er = 2;
        if (a.ex > 0 && rule_ex == 0 && s->count[CUE_EXP_PROCEDURAL] &&
            !s->count[CUE_EXP_GENERIC] && !s->count[CUE_EXP_NEEDS])
            a.ex = 0;
        if (has(mo->ownership)) {
            /* the model may add ownership, not take a committed action
             * away: the heads learnt cs-corpus's style, and on replies
             * written apart from it they missed plain "I'll arrange a
             * same-day delivery for you" (spot-check F1 0.769 -> 0.844) */
            own = mo->ownership >= (has(mo->ownership_threshold) ? mo->ownership_threshold : 0.5f);
            from_model[3] = own || !rule_own; /* else the rule's evidence */
            own |= rule_own;
        }
        if (has(mo->dismissive)) {
            dis = mo->dismissive >=
                  (has(mo->dismissive_threshold) ? mo->dismissive_threshold : 0.5f);
            from_model[4] = 1;
            /* "calm down", "that's policy": dismissive whatever else is said */
            if (rule_dis && s->count[CUE_DISMISSIVE] && s->max[CUE_DISMISSIVE] >= 2)
                dis = 1;
        }
    }
    /* a shared experience without a stock phrase: neither the cues nor
     * the model (which never saw one) know it */
    a.own_start = a.own_end = 0;
    if (a.ip == 0 && !trivial && own_experience(an, t, &a.own_start, &a.own_end)) {
        a.ip = 2;
        /* as with the stock phrases above: the feelings of a told
         * experience are the responder's past, not a reaction to this one */
        if (rule_er == 0)
            a.er = 0;
    }
    dis = settle_dismissive(dis, rule_dis && s->max[CUE_DISMISSIVE] >= 2, rule_dis, &a, own, ctx);
    out->emotional_reaction = a.er;
    out->interpretation = a.ip;
    out->exploration = a.ex;
    out->ownership = own;
    out->dismissive = dis;
    static const struct {
        int head;
        const char *cue, *model_cue;
    } heads[] = {{HEARD_HEAD_ER, "empathy.emotional_reaction", "model.emotional_reaction"},
                 {HEARD_HEAD_IP, "empathy.interpretation", "model.interpretation"},
                 {HEARD_HEAD_EX, "empathy.exploration", "model.exploration"},
                 {HEARD_HEAD_OWNERSHIP, "ownership", "model.ownership"},
                 {HEARD_HEAD_DISMISSIVE, "dismissive", "model.dismissive"}};
    const int on[] = {a.er, a.ip, a.ex, own, dis};
    const int ruled[] = {rule_er, rule_ip, rule_ex, rule_own, rule_dis};
    const long hits[] = {a.er_hit, a.ip_hit, a.ex_hit, ohit, dhit};
    for (int k = 0; k < 5; k++) {
        if (!on[k])
            continue;
        if (k == 1 && a.own_end > a.own_start)
            EV(heard_ws_evidence_add(ws, out, heads[k].cue, a.own_start, a.own_end));
        else if (ruled[k] && hits[k] >= 0)
            EV(add_hit_ev(ws, out, h, hits[k], heads[k].cue));
        else if (k == 1 && ruled[k] && a.ack_end > a.ack_start)
            EV(heard_ws_evidence_add(ws, out, heads[k].cue, a.ack_start, a.ack_end));
        else
            EV(add_model_ev(out, v, heads[k].head, k < 3 ? on[k] : 0, 1.0f, -1, -1,
                            from_model[k] ? heads[k].model_cue : heads[k].cue));
    }
    /* ownership's commitment time is part of its evidence */
    if (own && rule_own && ohit >= 0) {
        uint16_t os = t->tok[h->hit[ohit].first].sent;
        for (size_t i = 0; i < h->n; i++)
            if (h->hit[i].cue == CUE_OWNERSHIP_TIME && t->tok[h->hit[i].first].sent == os) {
                EV(add_hit_ev(ws, out, h, (long)i, "ownership"));
                break;
            }
    }
    return HEARD_OK;
}

/* Room for n token valences in the workspace (grown, never shrunk). */
static int tok_val_room(heard_workspace *ws, size_t n)
{
    if (n > ws->tok_val_cap) {
        size_t cap = ws->tok_val_cap ? ws->tok_val_cap : 256;
        while (cap < n)
            cap *= 2;
        float *p = realloc(ws->tok_val, cap * sizeof *p);
        if (!p)
            return -1;
        ws->tok_val = p;
        ws->tok_val_cap = cap;
    }
    return 0;
}

/* Sentiment: the lexicon scorer stays dominant on short social text (where
 * VADER-style scoring is at its best); the valence-trained model gets more
 * say on longer text (reviews, editorials) and when the lexicon found no
 * sentiment word at all. */
static float blend_sentiment(float lex, float model, const heard_tokens *t, long lf)
{
    float wm = t->n_words <= 30 ? 0.3f : 0.5f;
    if (lf < 0)
        wm = 0.6f;
    return (1.0f - wm) * lex + wm * model;
}

/* Politeness: the model (trained on both request corpora) with the rule
 * strategies as a smaller vote (weight chosen on the held-out 20%). */
#define POL_MODEL_WEIGHT 0.85f

heard_status heard_turn_analyze(const heard_analyzer *an, heard_workspace *ws,
                                const heard_turn_in *in, const heard_turn_ctx *ctx,
                                heard_turn_result *out)
{
    out->speaker = in->speaker;
    heard_tokens *t = &ws->toks;
    heard_tokens_bind(t, &an->annot); /* a no-op unless ws served another analyser */
    if (heard_tokenize(t, in->len ? in->text : "", in->len) != 0)
        return HEARD_ENOMEM;
    if (heard_cues_match(an->cues, t, in->text, &ws->hits) != 0)
        return HEARD_ENOMEM;
    cue_sum sum_buf;
    cue_sum *s = &sum_buf;
    filter_hits(&ws->hits, t, in->speaker, s);
    const heard_cue_hits *h = &ws->hits;
    summarise_surface(t, s);

    long lf = -1, ll = -1;
    float *tok_val = NULL; /* only the features need them */
    if ((an->model || ws->feature_cb) && an->lex && t->n) {
        if (tok_val_room(ws, t->n) != 0)
            return HEARD_ENOMEM;
        tok_val = ws->tok_val;
    }
    float sent = heard_lexicon_sentiment_vals(an->lex, t, &lf, &ll, tok_val);
    float lex_raw = sent;
    if (!isfinite(sent))
        sent = 0;
    int sarcastic = s->count[CUE_SARCASM] > 0;
    if (sarcastic && sent > -0.4f)
        sent = -0.4f - 0.4f * (sent > 0 ? sent : 0);

    float rule_emo[HEARD_N_EMOTIONS];
    emotion_scores(h, t, s, sent, in->speaker, rule_emo);
    if (fabsf(sent) < 0.05f) {
        /* weight 0.4, not 0.8: VADER says 0 here, and 0.4 scores closer to
         * it and to human ratings (GoEmotions, valence held-out sets) */
        float ev = emotion_valence(rule_emo);
        if (fabsf(ev) >= 0.2f)
            sent = ev * 0.4f;
    }

    heard_model_out mo_buf;
    model_view v = {ws, an, t, &ws->feats, NULL};
    if (an->model || ws->feature_cb) {
        if (heard_features_build(&ws->feats, t, h, an->lex, ctx, an->lex ? lex_raw : NAN,
                                 lf, ll, tok_val) != 0)
            return HEARD_ENOMEM;
        if (ws->feature_cb)
            ws->feature_cb(ws->feature_user, ctx ? ctx->index : 0, &ws->feats);
        if (an->model) {
            uint32_t heads =
                in->speaker == HEARD_AGENT ? HEARD_HEADS_AGENT : HEARD_HEADS_CUSTOMER;
            heard_model_predict_heads(an->model, &ws->feats, heads, 0, &mo_buf);
            v.mo = &mo_buf;
        }
    }
    const heard_model_out *mo = v.mo;

    float pol = politeness_score(h, s);
    if (mo && has(mo->politeness))
        pol = (1.0f - POL_MODEL_WEIGHT) * pol + POL_MODEL_WEIGHT * mo->politeness;
    if (sarcastic && pol > -0.2f)
        pol = -0.2f;
    if (mo && has(mo->sentiment) && !sarcastic && !s->trivial)
        sent = blend_sentiment(sent, mo->sentiment, t, lf);
    out->sentiment = sent < -1 ? -1 : sent > 1 ? 1 : sent;
    out->politeness = pol < -1 ? -1 : pol > 1 ? 1 : pol;

    heard_status st = emotion_labels(out, &v, h, s, rule_emo, lf, ll);
    if (st != HEARD_OK)
        return st;
    st = politeness_evidence(an, ws, out, h);
    if (st != HEARD_OK)
        return st;
    if (in->speaker == HEARD_CUSTOMER)
        return customer_fields(an, ws, ctx, s, rule_emo, &v, out);
    return agent_fields(an, ws, ctx, s, &v, out);
}

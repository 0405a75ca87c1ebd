/* analysis.h - internals shared by the analysis core: the analyser and
 * workspace structures, the per-turn context handed from conversation
 * analysis to turn analysis, and the entry points of turn.c and
 * conversation.c. */
#ifndef HEARD_ANALYSIS_H
#define HEARD_ANALYSIS_H

#include "heard/heard.h"
#include "cues.h"
#include "featurize.h"
#include "lexicon.h"
#include "model.h"
#include "tokenize.h"

struct heard_analyzer {
    size_t max_turn_bytes, max_turns;
    heard_lexicon *lex;  /* owned */
    heard_cues *cues;    /* owned */
    heard_model *model;  /* owned, NULL when rules only */
    const char *cue_name[CUE_N]; /* heard_cue_name() of each cue, looked up once */
    struct heard_featwords *fwords; /* owned: the feature builder's word table */
    /* fills the tokens' word infos from lex, cues and fwords: workspaces'
     * token buffers are bound to it */
    heard_annotator annot;
};

/* Training hook: when set on a workspace, turn analysis builds every turn's
 * features (even without a model) and hands them to the callback, so the
 * trainer sees exactly the vectors the analyser will see. */
typedef void (*heard_feature_cb)(void *user, size_t turn, const heard_features *f);

/* Per-thread scratch, reused turn after turn. */
struct heard_workspace {
    heard_feature_cb feature_cb; /* NULL outside training */
    void *feature_user;
    heard_tokens toks;
    heard_cue_hits hits;
    heard_features feats;
    /* customer context: stems of content words said since the last agent turn
     * and earlier (hash set, open addressing, cleared per conversation) */
    uint64_t *ctx_stems;
    size_t ctx_cap, ctx_n;
    /* lexicon valence of each token of the current turn, for the features */
    float *tok_val;
    size_t tok_val_cap;
    /* the conversation being analysed: its turn results, and the evidence
     * of its turns so far in turn order (each turn's n_evidence says how
     * many are its own); heard_analyze() packs both into the result at the
     * end. Grown, never shrunk. */
    heard_turn_result *turns;
    size_t turns_cap;
    heard_evidence *ev;
    size_t ev_n, ev_cap;
};

/* What an agent turn is judged against, and what a customer turn needs to
 * know of the conversation. Filled by conversation.c. */
typedef struct heard_turn_ctx {
    heard_channel channel;
    size_t index;           /* turn index in the conversation */
    size_t n_turns;
    heard_speaker speaker;
    /* for agent turns: the customer turns since the previous agent turn */
    const uint64_t *cust_stems; /* hash set of the customer's content stems */
    size_t cust_stems_cap;      /* table size (power of two), 0 when none */
    uint32_t cust_emotions;     /* emotion label and named bits of those turns */
    int cust_urgency;           /* max urgency */
    int cust_bid;               /* any bid */
    float cust_sentiment;       /* min sentiment */
    int cust_asked_question;    /* customer asked something */
    int first_agent_turn;       /* no agent turn before this one */
    int first_customer_turn;    /* no customer turn before this one */
} heard_turn_ctx;

/* Analyse one turn into out. Its evidence is appended to ws->ev (counted in
 * out->n_evidence; out->evidence is left alone). Returns HEARD_OK or
 * HEARD_ENOMEM. */
heard_status heard_turn_analyze(const heard_analyzer *an, heard_workspace *ws,
                                const heard_turn_in *in, const heard_turn_ctx *ctx,
                                heard_turn_result *out);

/* Most opportunities the turns can give (room for opportunities()). */
size_t heard_opportunity_room(const heard_turn_result *turns, size_t n_turns);

/* Fill opportunities, scores and flags of res from its turns (a packed
 * res already has room for heard_opportunity_room() of them). */
heard_status heard_conversation_finish(const heard_conversation_in *conv,
                                       heard_result *res);

/* Hash-set helpers for context stems: open addressing over 64-bit hashes;
 * 0 marks an empty slot, so a zero hash is stored as 1. Inline: the turn
 * rules and the features probe the set for every content word. */
int heard_stemset_grow(heard_workspace *ws); /* doubles the table; -1: no memory */

static inline int heard_stemset_add(heard_workspace *ws, uint64_t h)
{
    if (h == 0)
        h = 1;
    if ((ws->ctx_n + 1) * 2 > ws->ctx_cap && heard_stemset_grow(ws) != 0)
        return -1;
    size_t j = h & (ws->ctx_cap - 1);
    while (ws->ctx_stems[j]) {
        if (ws->ctx_stems[j] == h)
            return 0;
        j = (j + 1) & (ws->ctx_cap - 1);
    }
    ws->ctx_stems[j] = h;
    ws->ctx_n++;
    return 0;
}

static inline int heard_stemset_has(const uint64_t *set, size_t cap, uint64_t h)
{
    if (!cap)
        return 0;
    if (h == 0)
        h = 1;
    size_t j = h & (cap - 1);
    while (set[j]) {
        if (set[j] == h)
            return 1;
        j = (j + 1) & (cap - 1);
    }
    return 0;
}

/* Evidence list growth of a result built turn by turn (r->evidence its own
 * allocation); returns -1 on allocation failure. */
int heard_evidence_add(heard_turn_result *r, const char *cue, uint32_t start,
                       uint32_t end);
/* Evidence of the turn r being analysed, into ws->ev; -1 on allocation
 * failure. Inline, growth out of line: a turn adds several. */
int heard_ws_evidence_grow(heard_workspace *ws); /* doubles ws->ev; -1: no memory */

static inline int heard_ws_evidence_add(heard_workspace *ws, heard_turn_result *r,
                                        const char *cue, uint32_t start, uint32_t end)
{
    if (ws->ev_n == ws->ev_cap && heard_ws_evidence_grow(ws) != 0)
        return -1;
    ws->ev[ws->ev_n++] = (heard_evidence){cue, start, end};
    r->n_evidence++;
    return 0;
}

#endif

/* analyzer.c - life cycle of analysers and workspaces, input validation and
 * the conversation loop of heard_analyze(): each turn is analysed against the
 * context of the customer turns before it, then conversation.c derives
 * opportunities, scores and flags. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"
#include "analysis.h"
#include "text.h"

#define DEFAULT_MAX_TURN_BYTES (64u * 1024u)
#define DEFAULT_MAX_TURNS 1000u

/* A word's entries in every table the analysis looks it up in, once per
 * distinct word (the tokenizer memoises them, see heard_word_info). */
static void annotate_word(const heard_annotator *a, const char *w, size_t len, uint64_t hash,
                          uint64_t stem_hash, heard_word_info *out)
{
    memset(out, 0, sizeof *out);
    heard_lexicon_word(a->lex, hash, &out->val, &out->lex_kind);
    heard_cues_word(a->cues, hash, stem_hash, out);
    heard_features_word(a->fwords, w, len, hash, stem_hash, out);
}

heard_status heard_analyzer_new(const heard_options *opt, heard_analyzer **out,
                                heard_error *err)
{
    *out = NULL;
    heard_analyzer *an = calloc(1, sizeof *an);
    if (!an)
        return heard_fail(err, HEARD_ENOMEM, "out of memory");
    an->max_turn_bytes = opt && opt->max_turn_bytes ? opt->max_turn_bytes : DEFAULT_MAX_TURN_BYTES;
    an->max_turns = opt && opt->max_turns ? opt->max_turns : DEFAULT_MAX_TURNS;

    heard_status st;
    const char *dir = opt ? opt->model_dir : NULL;
    char path[4096];
    const char *lexpath = NULL;
    if (dir) {
        struct stat sb;
        if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            heard_analyzer_free(an);
            return heard_fail(err, HEARD_EIO, "model directory '%s' not found", dir);
        }
        snprintf(path, sizeof path, "%s/lexicon.tsv", dir);
        if (stat(path, &sb) == 0)
            lexpath = path;
    }
    st = heard_lexicon_load(lexpath, &an->lex, err);
    if (st != HEARD_OK) {
        heard_analyzer_free(an);
        return st;
    }
    an->cues = heard_cues_new();
    if (!an->cues) {
        heard_analyzer_free(an);
        return heard_fail(err, HEARD_ENOMEM, "out of memory compiling cues");
    }
    an->fwords = heard_featwords_new();
    if (!an->fwords) {
        heard_analyzer_free(an);
        return heard_fail(err, HEARD_ENOMEM, "out of memory");
    }
    an->annot = (heard_annotator){.fn = annotate_word, .lex = an->lex, .cues = an->cues,
                                  .fwords = an->fwords};
    for (unsigned c = 0; c < CUE_N; c++)
        an->cue_name[c] = heard_cue_name((heard_cue)c);
    if (dir) {
        st = heard_model_load(dir, &an->model, err);
        if (st == HEARD_EIO) {
            an->model = NULL; /* no model files: rules only */
        } else if (st != HEARD_OK) {
            heard_analyzer_free(an);
            return st;
        }
    }
    *out = an;
    return HEARD_OK;
}

void heard_analyzer_free(heard_analyzer *an)
{
    if (!an)
        return;
    heard_lexicon_free(an->lex);
    heard_cues_free(an->cues);
    heard_featwords_free(an->fwords);
    heard_model_free(an->model);
    free(an);
}

heard_status heard_workspace_new(const heard_analyzer *an, heard_workspace **out,
                                 heard_error *err)
{
    *out = NULL;
    heard_workspace *ws = calloc(1, sizeof *ws);
    if (!ws)
        return heard_fail(err, HEARD_ENOMEM, "out of memory");
    if (heard_tokens_init(&ws->toks) != 0) {
        free(ws);
        return heard_fail(err, HEARD_ENOMEM, "cannot create stemmer");
    }
    /* heard_turn_analyze() binds again if ws is used with another analyser */
    heard_tokens_bind(&ws->toks, an ? &an->annot : NULL);
    ws->ctx_cap = 256;
    ws->ctx_stems = calloc(ws->ctx_cap, sizeof *ws->ctx_stems);
    if (!ws->ctx_stems) {
        heard_workspace_free(ws);
        return heard_fail(err, HEARD_ENOMEM, "out of memory");
    }
    *out = ws;
    return HEARD_OK;
}

void heard_workspace_free(heard_workspace *ws)
{
    if (!ws)
        return;
    heard_tokens_free(&ws->toks);
    heard_cue_hits_free(&ws->hits);
    heard_features_free(&ws->feats);
    free(ws->ctx_stems);
    free(ws->tok_val);
    free(ws->turns);
    free(ws->ev);
    free(ws);
}

int heard_stemset_grow(heard_workspace *ws)
{
    size_t ncap = ws->ctx_cap * 2;
    uint64_t *n = calloc(ncap, sizeof *n);
    if (!n)
        return -1;
    for (size_t i = 0; i < ws->ctx_cap; i++) {
        uint64_t v = ws->ctx_stems[i];
        if (!v)
            continue;
        size_t j = v & (ncap - 1);
        while (n[j])
            j = (j + 1) & (ncap - 1);
        n[j] = v;
    }
    free(ws->ctx_stems);
    ws->ctx_stems = n;
    ws->ctx_cap = ncap;
    return 0;
}

int heard_evidence_add(heard_turn_result *r, const char *cue, uint32_t start, uint32_t end)
{
    /* capacity grows in powers of two from 8; n_evidence is the count */
    size_t n = r->n_evidence;
    if (n == 0 || (n >= 8 && (n & (n - 1)) == 0)) {
        size_t ncap = n == 0 ? 8 : n * 2;
        heard_evidence *e = realloc(r->evidence, ncap * sizeof *e);
        if (!e)
            return -1;
        r->evidence = e;
    }
    r->evidence[n].cue = cue;
    r->evidence[n].start = start;
    r->evidence[n].end = end;
    r->n_evidence = n + 1;
    return 0;
}

int heard_ws_evidence_grow(heard_workspace *ws)
{
    size_t ncap = ws->ev_cap ? ws->ev_cap * 2 : 64;
    heard_evidence *e = realloc(ws->ev, ncap * sizeof *e);
    if (!e)
        return -1;
    ws->ev = e;
    ws->ev_cap = ncap;
    return 0;
}

/* Room for n fresh (zeroed) turn results in the workspace. */
static int turns_room(heard_workspace *ws, size_t n)
{
    if (n > ws->turns_cap) {
        size_t cap = ws->turns_cap ? ws->turns_cap : 16;
        while (cap < n)
            cap *= 2;
        heard_turn_result *p = realloc(ws->turns, cap * sizeof *p);
        if (!p)
            return -1;
        ws->turns = p;
        ws->turns_cap = cap;
    }
    if (n)
        memset(ws->turns, 0, n * sizeof *ws->turns);
    return 0;
}

/* The result of the n turns analysed in the workspace, in one allocation:
 * the heard_result, its turns, their evidence (ws->ev) and room for the
 * opportunities, in that order (every part's size is a multiple of 8).
 * One malloc and one free per conversation instead of one per turn. */
static heard_result *pack_result(const heard_workspace *ws, size_t n)
{
    _Static_assert(sizeof(heard_result) % 8 == 0 && sizeof(heard_turn_result) % 8 == 0 &&
                       sizeof(heard_evidence) % 8 == 0,
                   "the parts of a packed result stay aligned");
    size_t n_opp = heard_opportunity_room(ws->turns, n);
    size_t bytes = sizeof(heard_result) + n * sizeof(heard_turn_result) +
                   ws->ev_n * sizeof(heard_evidence) + n_opp * sizeof(heard_opportunity);
    heard_result *res = malloc(bytes);
    if (!res)
        return NULL;
    memset(res, 0, sizeof *res);
    res->packed = true;
    res->n_turns = n;
    heard_turn_result *turns = (heard_turn_result *)(void *)(res + 1);
    heard_evidence *ev = (heard_evidence *)(void *)(turns + n);
    if (n) {
        memcpy(turns, ws->turns, n * sizeof *turns);
        res->turns = turns;
    }
    if (ws->ev_n)
        memcpy(ev, ws->ev, ws->ev_n * sizeof *ev);
    size_t off = 0;
    for (size_t i = 0; i < n; i++)
        if (turns[i].n_evidence) {
            turns[i].evidence = ev + off;
            off += turns[i].n_evidence;
        }
    if (n_opp)
        res->opportunities = (heard_opportunity *)(void *)(ev + ws->ev_n);
    return res;
}

void heard_result_free(heard_result *res)
{
    if (!res)
        return;
    if (!res->packed) {
        for (size_t i = 0; i < res->n_turns; i++)
            free(res->turns[i].evidence);
        free(res->turns);
        free(res->opportunities);
    }
    free(res);
}

static heard_status validate(const heard_analyzer *an, const heard_conversation_in *conv,
                             heard_error *err)
{
    if (!conv || (conv->n_turns && !conv->turns))
        return heard_fail(err, HEARD_EINVAL, "no conversation given");
    if ((unsigned)conv->channel >= HEARD_N_CHANNELS)
        return heard_fail(err, HEARD_EINVAL, "unknown channel %d", (int)conv->channel);
    if (conv->n_turns > an->max_turns)
        return heard_fail(err, HEARD_ELIMIT, "conversation has %zu turns, more than the limit of %zu",
                    conv->n_turns, an->max_turns);
    for (size_t i = 0; i < conv->n_turns; i++) {
        const heard_turn_in *t = &conv->turns[i];
        if (t->speaker != HEARD_CUSTOMER && t->speaker != HEARD_AGENT)
            return heard_fail(err, HEARD_EINVAL, "turn %zu: speaker must be customer or agent", i);
        if (!t->text && t->len)
            return heard_fail(err, HEARD_EINVAL, "turn %zu: missing text", i);
        if (t->len > an->max_turn_bytes)
            return heard_fail(err, HEARD_ELIMIT, "turn %zu: text of %zu bytes exceeds the limit of %zu bytes",
                        i, t->len, an->max_turn_bytes);
        size_t bad;
        if (t->len && !heard_utf8_valid(t->text, t->len, &bad))
            return heard_fail(err, HEARD_EUTF8, "turn %zu: invalid UTF-8 at byte %zu", i, bad);
    }
    return HEARD_OK;
}

heard_status heard_analyze(const heard_analyzer *an, heard_workspace *ws,
                           const heard_conversation_in *conv, heard_result **out,
                           heard_error *err)
{
    *out = NULL;
    if (!an)
        return heard_fail(err, HEARD_EINVAL, "no analyser");
    heard_status st = validate(an, conv, err);
    if (st != HEARD_OK)
        return st;

    heard_workspace *tmp = NULL;
    if (!ws) {
        st = heard_workspace_new(an, &tmp, err);
        if (st != HEARD_OK)
            return st;
        ws = tmp;
    }
    if (turns_room(ws, conv->n_turns) != 0) {
        heard_workspace_free(tmp);
        return heard_fail(err, HEARD_ENOMEM, "out of memory");
    }
    memset(ws->ctx_stems, 0, ws->ctx_cap * sizeof *ws->ctx_stems);
    ws->ctx_n = 0;
    ws->ev_n = 0;

    heard_turn_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.channel = conv->channel;
    ctx.n_turns = conv->n_turns;
    ctx.first_agent_turn = 1;
    ctx.first_customer_turn = 1;
    ctx.cust_sentiment = 0.0f;
    int pending = 0; /* customer turns since the last agent turn */
    for (size_t i = 0; i < conv->n_turns; i++) {
        const heard_turn_in *t = &conv->turns[i];
        ctx.index = i;
        ctx.speaker = t->speaker;
        ctx.cust_stems = ws->ctx_stems;
        ctx.cust_stems_cap = ws->ctx_cap;
        heard_turn_result *r = &ws->turns[i];
        st = heard_turn_analyze(an, ws, t, &ctx, r);
        if (st != HEARD_OK) {
            heard_workspace_free(tmp);
            return heard_fail(err, st, "turn %zu: out of memory", i);
        }
        if (t->speaker == HEARD_CUSTOMER) {
            if (!pending) {
                ctx.cust_emotions = 0;
                ctx.cust_urgency = 0;
                ctx.cust_bid = 0;
                ctx.cust_sentiment = 1.0f;
                ctx.cust_asked_question = 0;
            }
            pending = 1;
            ctx.first_customer_turn = 0;
            ctx.cust_emotions |= r->emotion_labels | r->emotion_named;
            if (r->urgency > ctx.cust_urgency)
                ctx.cust_urgency = r->urgency;
            ctx.cust_bid |= r->bid;
            if (r->sentiment < ctx.cust_sentiment)
                ctx.cust_sentiment = r->sentiment;
            if (memchr(t->text, '?', t->len))
                ctx.cust_asked_question = 1;
        } else {
            pending = 0;
            ctx.first_agent_turn = 0;
            if (i > 0 && t->at != HEARD_NO_TIME && conv->turns[i - 1].at != HEARD_NO_TIME &&
                conv->turns[i - 1].speaker == HEARD_CUSTOMER) {
                r->has_wait = true;
                r->wait_seconds = t->at - conv->turns[i - 1].at;
            }
        }
    }
    heard_result *res = pack_result(ws, conv->n_turns);
    st = res ? heard_conversation_finish(conv, res) : HEARD_ENOMEM;
    heard_workspace_free(tmp);
    if (st != HEARD_OK) {
        heard_result_free(res);
        return heard_fail(err, st, "out of memory");
    }
    *out = res;
    return HEARD_OK;
}

/* assist.c - POST /v1/assist: real-time cues for an agent while a
 * conversation is going on. The conversation so far (plus the agent's draft
 * reply, if any, as a last agent turn) is analysed once, and the cues are
 * read off that analysis, each with the evidence it rests on: bids nobody has
 * answered, a hurry to acknowledge, a polite draft that skips the worry, a
 * phone call to offer, dismissive phrases, and a better phrasing made of the
 * customer's own words. The answer is written straight into a buffer, and
 * the request is read by heard_doc_from_json with the draft added as one
 * more turn of the conversation view: no JSON tree on the hot path. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "sbuf.h"

#define MAX_PHRASE 160

typedef struct ctx {
    const heard_conversation_in *conv;
    const heard_result *res;
    long draft; /* turn index of the draft, -1 when none */
    long last_agent; /* last agent turn before the draft, -1 when none */
} ctx;

/* One piece of evidence: bytes [start, end) of a turn, and its cue. */
typedef struct span {
    size_t turn;
    uint32_t start, end;
    const char *cue;
} span;

/* Whether a span can be shown (inside its turn, whole UTF-8 characters). */
static bool span_ok(const ctx *c, const span *sp)
{
    const heard_turn_in *t = &c->conv->turns[sp->turn];
    return sp->end <= t->len && sp->start <= sp->end &&
           utf8_valid(t->text + sp->start, sp->end - sp->start);
}

static void put_span(sbuf *b, const ctx *c, const span *sp)
{
    const heard_turn_in *t = &c->conv->turns[sp->turn];
    sbuf_puts(b, "{\"turn\":");
    sbuf_int(b, (long long)sp->turn);
    sbuf_puts(b, t->speaker == HEARD_CUSTOMER ? ",\"speaker\":\"customer\",\"start\":"
                                              : ",\"speaker\":\"agent\",\"start\":");
    sbuf_int(b, sp->start);
    sbuf_puts(b, ",\"end\":");
    sbuf_int(b, sp->end);
    sbuf_puts(b, ",\"text\":");
    sbuf_json_str(b, t->text + sp->start, sp->end - sp->start);
    if (sp->cue) {
        sbuf_puts(b, ",\"cue\":");
        sbuf_json_str(b, sp->cue, strlen(sp->cue));
    }
    sbuf_add(b, "}", 1);
}

/* A JSON array of the spans that can be shown. */
static void put_spans(sbuf *b, const ctx *c, const span *sp, size_t n)
{
    sbuf_add(b, "[", 1);
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        if (!span_ok(c, &sp[i]))
            continue;
        if (!first)
            sbuf_add(b, ",", 1);
        first = false;
        put_span(b, c, &sp[i]);
    }
    sbuf_add(b, "]", 1);
}

static bool prefix(const char *s, const char *p) { return s && strncmp(s, p, strlen(p)) == 0; }

/* The customer's own words for what worries them in a turn: the widest
 * evidence span that is not politeness or urgency (bids, emotions,
 * hardship), else the first sentence. */
static bool worry_span(const ctx *c, size_t turn, bool urgency, uint32_t *s, uint32_t *e)
{
    const heard_turn_result *tr = &c->res->turns[turn];
    const heard_turn_in *t = &c->conv->turns[turn];
    uint32_t best = 0;
    for (size_t i = 0; i < tr->n_evidence; i++) {
        const heard_evidence *ev = &tr->evidence[i];
        if (prefix(ev->cue, "politeness") || prefix(ev->cue, "urgency") != urgency)
            continue;
        if (ev->end <= t->len && ev->end > ev->start && ev->end - ev->start > best) {
            best = ev->end - ev->start;
            *s = ev->start;
            *e = ev->end;
        }
    }
    if (best > 0 || urgency)
        return best > 0;
    /* first sentence, at most MAX_PHRASE bytes, cut at a space */
    size_t n = 0;
    while (n < t->len && !strchr(".!?\n", t->text[n]))
        n++;
    if (n > MAX_PHRASE) {
        n = MAX_PHRASE;
        while (n > 0 && t->text[n] != ' ')
            n--;
    }
    *s = 0;
    *e = (uint32_t)n;
    return n > 0;
}

/* The sentence around [s, e) of a turn, without its end punctuation; the
 * span itself when the sentence is long. */
static void sentence_of(const heard_turn_in *t, uint32_t *s, uint32_t *e)
{
    size_t a = *s, b = *e;
    while (a > 0 && !strchr(".!?\n", t->text[a - 1]))
        a--;
    while (a < b && t->text[a] == ' ')
        a++;
    while (b < t->len && !strchr(".!?\n", t->text[b]))
        b++;
    if (b - a <= MAX_PHRASE) {
        *s = (uint32_t)a;
        *e = (uint32_t)b;
    }
}

#define MAX_SENTENCES 3

typedef struct sentences {
    size_t n;
    size_t turn[MAX_SENTENCES];
    uint32_t s[MAX_SENTENCES], e[MAX_SENTENCES];
} sentences;

/* Adds the sentences of a customer turn that carry bid or urgency evidence,
 * in text order, each once. */
static void collect_sentences(const ctx *c, size_t turn, sentences *out)
{
    const heard_turn_result *tr = &c->res->turns[turn];
    const heard_turn_in *t = &c->conv->turns[turn];
    for (size_t i = 0; i < tr->n_evidence && out->n < MAX_SENTENCES; i++) {
        const heard_evidence *ev = &tr->evidence[i];
        if (prefix(ev->cue, "politeness") || ev->end > t->len || ev->end <= ev->start)
            continue;
        uint32_t s = ev->start, e = ev->end;
        sentence_of(t, &s, &e);
        bool dup = false;
        for (size_t k = 0; k < out->n; k++)
            dup = dup || (out->turn[k] == turn && s < out->e[k] && out->s[k] < e);
        if (dup)
            continue;
        size_t at = out->n;
        while (at > 0 && out->turn[at - 1] == turn && out->s[at - 1] > s)
            at--;
        for (size_t k = out->n; k > at; k--) {
            out->turn[k] = out->turn[k - 1];
            out->s[k] = out->s[k - 1];
            out->e[k] = out->e[k - 1];
        }
        out->turn[at] = turn;
        out->s[at] = s;
        out->e[at] = e;
        out->n++;
    }
    bool any = false;
    for (size_t k = 0; k < out->n; k++)
        any = any || out->turn[k] == turn;
    uint32_t s, e;
    if (!any && out->n < MAX_SENTENCES && worry_span(c, turn, false, &s, &e)) {
        out->turn[out->n] = turn;
        out->s[out->n] = s;
        out->e[out->n] = e;
        out->n++;
    }
}

/* "I've been charged twice" -> "you've been charged twice". */
static void second_person(sbuf *b, const char *p, size_t n)
{
    static const char *const map[][2] = {
        {"i", "you"}, {"i'm", "you're"}, {"i've", "you've"}, {"i'd", "you'd"},
        {"i'll", "you'll"}, {"me", "you"}, {"my", "your"}, {"mine", "yours"},
        {"myself", "yourself"}, {"am", "are"}, {"we", "you"}, {"our", "your"},
        {"us", "you"}, {"we're", "you're"}, {"we've", "you've"}, {"was", "were"}};
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && (isalpha((unsigned char)p[j]) || p[j] == '\''))
            j++;
        if (j == i) {
            if (p[i] != '!' && !(p[i] == '.' && i + 1 == n))
                sbuf_add(b, p + i, 1);
            i++;
            continue;
        }
        char w[16];
        size_t wl = j - i;
        const char *rep = NULL;
        if (wl < sizeof w) {
            for (size_t k = 0; k < wl; k++)
                w[k] = (char)tolower((unsigned char)p[i + k]);
            w[wl] = '\0';
            for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
                if (strcmp(w, map[k][0]) == 0)
                    rep = map[k][1];
        }
        /* "was" only turns into "were" after "I" (handled by the map only
         * when it follows a first-person pronoun) */
        if (rep && strcmp(w, "was") == 0) {
            bool after_i = b->len >= 4 && strncmp(b->data + b->len - 4, "you ", 4) == 0;
            if (!after_i)
                rep = NULL;
        }
        if (rep)
            sbuf_puts(b, rep);
        else
            sbuf_add(b, p + i, wl);
        i = j;
    }
}

/* {"kind": ..., "message": ..., "evidence": [...]} after the cues so far. */
static void put_cue(sbuf *b, bool *first, const ctx *c, const char *kind, const char *message,
                    const span *ev, size_t n_ev)
{
    if (!*first)
        sbuf_add(b, ",", 1);
    *first = false;
    sbuf_puts(b, "{\"kind\":");
    sbuf_json_str(b, kind, strlen(kind));
    sbuf_puts(b, ",\"message\":");
    sbuf_json_str(b, message, strlen(message));
    sbuf_puts(b, ",\"evidence\":");
    put_spans(b, c, ev, n_ev);
    sbuf_add(b, "}", 1);
}

static bool negative(const heard_turn_result *t)
{
    static const char *const names[] = {"anger", "annoyance", "disappointment", "disapproval",
                                        "disgust", "fear", "grief", "nervousness", "sadness"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int k = heard_emotion_index(names[i]);
        if (k >= 0 && (t->emotion_labels & (1u << k)))
            return true;
    }
    return t->sentiment <= -0.3f;
}

/* Writes "cues":[...],"suggestion":... into b; false when out of memory. */
static bool build_cues(const ctx *c, sbuf *b)
{
    const heard_result *res = c->res;
    const heard_turn_result *draft = c->draft >= 0 ? &res->turns[c->draft] : NULL;
    char msg[512];
    bool first = true;
    /* room for every span a cue can show */
    size_t cap = res->n_opportunities + (draft ? draft->n_evidence : 0) + 1;
    span *ev = malloc(cap * sizeof *ev);
    if (!ev)
        return false;
    sbuf_puts(b, "\"cues\":[");
    /* 1. bids and urgency nobody has answered (pending, or missed by the draft) */
    size_t n_ev = 0;
    long worry_turn = -1, hurry_turn = -1;
    int max_urgency = 0;
    bool upset = false;
    for (size_t i = 0; i < res->n_opportunities; i++) {
        const heard_opportunity *o = &res->opportunities[i];
        bool pending = o->response_turn < 0 || (long)o->response_turn == c->draft;
        if (!pending || o->met || o->turn >= res->n_turns)
            continue;
        const heard_turn_result *t = &res->turns[o->turn];
        if (o->kind == HEARD_OPP_URGENCY) {
            hurry_turn = (long)o->turn;
            if (t->urgency > max_urgency)
                max_urgency = t->urgency;
        } else {
            worry_turn = (long)o->turn;
            uint32_t s, e;
            if (worry_span(c, o->turn, false, &s, &e)) {
                span sp = {o->turn, s, e, "bid"};
                if (span_ok(c, &sp))
                    ev[n_ev++] = sp;
            }
        }
        upset = upset || negative(t);
    }
    if (n_ev > 0) {
        snprintf(msg, sizeof msg, "%zu customer bid%s not answered yet%s: acknowledge %s "
                 "before the procedure", n_ev, n_ev == 1 ? "" : "s",
                 draft ? " by the draft" : "", n_ev == 1 ? "it" : "them");
        put_cue(b, &first, c, "unanswered_bid", msg, ev, n_ev);
    }
    /* 2. hurry */
    uint32_t us = 0, ue = 0;
    bool have_u = hurry_turn >= 0 && worry_span(c, (size_t)hurry_turn, true, &us, &ue);
    span urgent = {(size_t)hurry_turn, us, ue, "urgency"};
    if (hurry_turn >= 0 && !(draft && draft->ownership))
        put_cue(b, &first, c, "hurry", "Customer is in a hurry: acknowledge it, act, give a time.",
                &urgent, have_u);
    /* the customer's own sentences about what is still unanswered */
    sentences said = {0};
    for (size_t i = 0; i < res->n_opportunities; i++) {
        const heard_opportunity *o = &res->opportunities[i];
        bool pending = o->response_turn < 0 || (long)o->response_turn == c->draft;
        if (pending && !o->met && o->turn < res->n_turns &&
            (i == 0 || res->opportunities[i - 1].turn != o->turn))
            collect_sentences(c, o->turn, &said);
    }
    /* 3. polite draft that skips the worry */
    if (draft && said.n > 0 && worry_turn >= 0 && draft->politeness > 0.0f) {
        const heard_turn_in *t = &c->conv->turns[said.turn[0]];
        snprintf(msg, sizeof msg, "Draft is polite but does not answer the worry about \"%.*s\".",
                 (int)(said.e[0] - said.s[0]), t->text + said.s[0]);
        span worry = {said.turn[0], said.s[0], said.e[0], "worry"};
        /* the message quotes the customer: cut inside a character, it is
         * left out as jansson did */
        if (utf8_valid(msg, strlen(msg)))
            put_cue(b, &first, c, "polite_not_empathetic", msg, &worry, 1);
    }
    /* 4. phone call */
    heard_channel ch = c->conv->channel;
    if ((ch == HEARD_CHAT || ch == HEARD_EMAIL) && max_urgency >= 1 && upset) {
        snprintf(msg, sizeof msg, "Offer a phone call: the customer is upset and in a hurry, "
                 "and %s is slow for that.", heard_channel_name(ch));
        put_cue(b, &first, c, "offer_call", msg, &urgent, have_u);
    }
    /* 5. dismissive phrases in the draft */
    if (draft) {
        n_ev = 0;
        for (size_t i = 0; i < draft->n_evidence; i++)
            if (draft->evidence[i].cue && strstr(draft->evidence[i].cue, "dismiss")) {
                span sp = {(size_t)c->draft, draft->evidence[i].start, draft->evidence[i].end,
                           draft->evidence[i].cue};
                if (span_ok(c, &sp))
                    ev[n_ev++] = sp;
            }
        if (draft->dismissive || n_ev > 0)
            put_cue(b, &first, c, "dismissive",
                    "The draft minimises or blames: drop these phrases.", ev, n_ev);
    }
    sbuf_puts(b, "],\"suggestion\":");
    /* 6. a better phrasing from the customer's own words */
    bool suggested = false;
    if (said.n > 0) {
        sbuf text = {0};
        span words[MAX_SENTENCES];
        sbuf_puts(&text, "I understand: ");
        for (size_t k = 0; k < said.n; k++) {
            if (k)
                sbuf_puts(&text, k + 1 == said.n ? ", and " : ", ");
            second_person(&text, c->conv->turns[said.turn[k]].text + said.s[k],
                          said.e[k] - said.s[k]);
            words[k] = (span){said.turn[k], said.s[k], said.e[k], "customer"};
        }
        sbuf_puts(&text, ". I'm sorry, that sounds really stressful. ");
        sbuf_puts(&text, hurry_turn >= 0
                             ? "I'm on it right now and will update you within the hour."
                             : "I'm on it now and will tell you exactly what happens next.");
        size_t len;
        char *t = sbuf_take(&text, &len);
        if (t && utf8_valid(t, len)) {
            sbuf_puts(b, "{\"text\":");
            sbuf_json_str(b, t, len);
            sbuf_puts(b, ",\"evidence\":");
            put_spans(b, c, words, said.n);
            sbuf_add(b, "}", 1);
            suggested = true;
        }
        free(t);
    }
    if (!suggested)
        sbuf_puts(b, "null");
    free(ev);
    return true;
}

static void put_draft(sbuf *b, const heard_turn_result *t)
{
    sbuf_puts(b, "{\"empathy\":{\"emotional_reaction\":");
    sbuf_int(b, (int)t->emotional_reaction);
    sbuf_puts(b, ",\"interpretation\":");
    sbuf_int(b, (int)t->interpretation);
    sbuf_puts(b, ",\"exploration\":");
    sbuf_int(b, (int)t->exploration);
    sbuf_puts(b, t->ownership ? "},\"ownership\":true" : "},\"ownership\":false");
    sbuf_puts(b, t->dismissive ? ",\"dismissive\":true" : ",\"dismissive\":false");
    sbuf_puts(b, ",\"politeness\":");
    sbuf_json_real(b, (double)t->politeness);
    sbuf_add(b, "}", 1);
}

/* The type of the request's "draft" when it is not a string: false after
 * answering 400 (neither string nor null). Only when the fast reader gave no
 * string draft, and the text mentions one: the rare path reads the body
 * with jansson. */
static bool contains(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (const char *p = s; (p = memchr(p, needle[0], n - (size_t)(p - s))); p++)
        if ((size_t)(s + n - p) >= k && memcmp(p, needle, k) == 0)
            return true;
    return false;
}

static bool draft_type_ok(request *r)
{
    /* a key can also be spelt with \u escapes */
    if (!contains(r->body, r->body_len, "draft") && !contains(r->body, r->body_len, "\\u"))
        return true;
    json_t *body = req_json_body(r);
    if (!body)
        return false;
    json_t *d = json_object_get(body, "draft");
    bool ok = !d || json_is_null(d) || json_is_string(d);
    json_decref(body);
    if (!ok)
        resp_error(r, 400, "invalid assist request", json_string("\"draft\" must be a string"));
    return ok;
}

/* The request as a doc; NULL after answering 400/422. */
static heard_doc *read_request(request *r)
{
    if (!req_body_precheck(r))
        return NULL;
    heard_doc *doc = NULL;
    heard_error e = {{0}};
    heard_status st = heard_doc_from_json(r->body, r->body_len, r->srv->cfg.max_turns, &doc, &e);
    if (st == HEARD_OK)
        return doc;
    if (st == HEARD_ENOMEM) {
        resp_error(r, 500, "out of memory", NULL);
        return NULL;
    }
    /* the answers of the jansson path: bad JSON 400, bad draft 400, bad
     * conversation 422 */
    if (!draft_type_ok(r))
        return NULL;
    json_t *body = req_json_body(r);
    if (!body)
        return NULL;
    json_decref(body);
    resp_error(r, 422, "invalid conversation",
               json_string(e.message[0] ? e.message : heard_status_name(st)));
    return NULL;
}

void h_assist(request *r)
{
    if (!req_auth(r, ROLE_AGENT))
        return;
    uint64_t t0 = now_us();
    heard_doc *doc = read_request(r);
    if (!doc)
        return;
    const char *draft = heard_doc_string(doc, "draft");
    if (!draft && !draft_type_ok(r)) {
        heard_doc_free(doc);
        return;
    }
    /* the conversation so far plus the draft as the next agent turn */
    const heard_conversation_in *in = heard_doc_conversation(doc);
    size_t n = in->n_turns + (draft != NULL);
    size_t max_turns = r->srv->cfg.max_turns ? r->srv->cfg.max_turns : 1000;
    if (n > max_turns) {
        heard_doc_free(doc);
        resp_errorf(r, 422, "invalid conversation",
                    "conversation has %zu turns, more than the limit of %zu", n, max_turns);
        return;
    }
    heard_turn_in *turns = malloc((n ? n : 1) * sizeof *turns);
    heard_workspace *ws = turns ? req_ws(r) : NULL;
    if (!ws) {
        free(turns);
        heard_doc_free(doc);
        if (!r->status)
            resp_error(r, 500, "out of memory", NULL);
        return;
    }
    if (in->n_turns)
        memcpy(turns, in->turns, in->n_turns * sizeof *turns);
    if (draft)
        turns[n - 1] = (heard_turn_in){HEARD_AGENT, draft, strlen(draft), HEARD_NO_TIME};
    heard_conversation_in conv = {in->channel, turns, n};
    heard_result *res = NULL;
    heard_error e = {{0}};
    heard_status st = heard_analyze(r->srv->an, ws, &conv, &res, &e);
    if (st != HEARD_OK) {
        free(turns);
        heard_doc_free(doc);
        bool internal = st == HEARD_ENOMEM || st == HEARD_EMODEL;
        resp_error(r, internal ? 500 : 422, internal ? "analysis failed" : "invalid conversation",
                   json_string(e.message[0] ? e.message : heard_status_name(st)));
        return;
    }
    atomic_fetch_add(&r->srv->m.analysed, 1);
    ctx c = {&conv, res, -1, -1};
    if (draft && res->n_turns > 0)
        c.draft = (long)res->n_turns - 1;
    for (long i = (c.draft >= 0 ? c.draft : (long)res->n_turns) - 1; i >= 0; i--)
        if (res->turns[i].speaker == HEARD_AGENT) {
            c.last_agent = i;
            break;
        }
    sbuf b = {0};
    sbuf_add(&b, "{", 1);
    bool ok = build_cues(&c, &b);
    sbuf_puts(&b, ",\"draft\":");
    if (c.draft >= 0)
        put_draft(&b, &res->turns[c.draft]);
    else
        sbuf_puts(&b, "null");
    sbuf_puts(&b, ",\"scores\":{\"empathy\":");
    sbuf_int(&b, (int)res->empathy_score);
    sbuf_puts(&b, ",\"politeness\":");
    sbuf_int(&b, (int)res->politeness_score);
    sbuf_puts(&b, ",\"felt_heard\":");
    sbuf_json_real(&b, (double)res->felt_heard);
    sbuf_puts(&b, "},\"elapsed_ms\":");
    sbuf_json_real(&b, (double)(now_us() - t0) / 1000.0);
    sbuf_add(&b, "}", 1);
    heard_result_free(res);
    free(turns);
    heard_doc_free(doc);
    size_t len;
    char *out = sbuf_take(&b, &len);
    if (!ok) {
        free(out);
        out = NULL;
    }
    resp_raw(r, 200, "application/json", out, len);
}

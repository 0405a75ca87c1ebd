/* assist.c - POST /v1/assist: real-time cues for an agent while a
 * conversation is going on. The conversation so far (plus the agent's draft
 * reply, if any, as a last agent turn) is analysed once, and the cues are
 * read off that analysis, each with the evidence it rests on: bids nobody has
 * answered, a hurry to acknowledge, a polite draft that skips the worry, a
 * phone call to offer, dismissive phrases, and a better phrasing made of the
 * customer's own words. */
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

static json_t *span_json(const ctx *c, size_t turn, uint32_t start, uint32_t end,
                         const char *cue)
{
    const heard_turn_in *t = &c->conv->turns[turn];
    if (end > t->len || start > end)
        return NULL;
    json_t *o = json_pack("{s:I,s:s,s:I,s:I,s:s%}", "turn", (json_int_t)turn, "speaker",
                          t->speaker == HEARD_CUSTOMER ? "customer" : "agent", "start",
                          (json_int_t)start, "end", (json_int_t)end, "text", t->text + start,
                          (size_t)(end - start));
    if (o && cue)
        json_object_set_new(o, "cue", json_string(cue));
    return o;
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

static void add_cue(json_t *cues, const char *kind, const char *message, json_t *evidence)
{
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(kind));
    json_object_set_new(o, "message", json_string(message));
    json_object_set_new(o, "evidence", evidence ? evidence : json_array());
    json_array_append_new(cues, o);
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

static void build_cues(const ctx *c, json_t *cues, json_t **suggestion)
{
    const heard_result *res = c->res;
    const heard_turn_result *draft = c->draft >= 0 ? &res->turns[c->draft] : NULL;
    char msg[512];
    /* 1. bids and urgency nobody has answered (pending, or missed by the draft) */
    json_t *unanswered = json_array();
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
                json_t *sp = span_json(c, o->turn, s, e, "bid");
                if (sp)
                    json_array_append_new(unanswered, sp);
            }
        }
        upset = upset || negative(t);
    }
    if (json_array_size(unanswered) > 0) {
        snprintf(msg, sizeof msg, "%zu customer bid%s not answered yet%s: acknowledge %s "
                 "before the procedure", json_array_size(unanswered),
                 json_array_size(unanswered) == 1 ? "" : "s", draft ? " by the draft" : "",
                 json_array_size(unanswered) == 1 ? "it" : "them");
        add_cue(cues, "unanswered_bid", msg, unanswered);
    } else {
        json_decref(unanswered);
    }
    /* 2. hurry */
    uint32_t us = 0, ue = 0;
    bool have_u = hurry_turn >= 0 && worry_span(c, (size_t)hurry_turn, true, &us, &ue);
    if (hurry_turn >= 0 && !(draft && draft->ownership)) {
        json_t *ev = json_array();
        if (have_u)
            json_array_append_new(ev, span_json(c, (size_t)hurry_turn, us, ue, "urgency"));
        add_cue(cues, "hurry", "Customer is in a hurry: acknowledge it, act, give a time.", ev);
    }
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
        json_t *ev = json_array();
        json_array_append_new(ev, span_json(c, said.turn[0], said.s[0], said.e[0], "worry"));
        add_cue(cues, "polite_not_empathetic", msg, ev);
    }
    /* 4. phone call */
    heard_channel ch = c->conv->channel;
    if ((ch == HEARD_CHAT || ch == HEARD_EMAIL) && max_urgency >= 1 && upset) {
        json_t *ev = json_array();
        if (have_u)
            json_array_append_new(ev, span_json(c, (size_t)hurry_turn, us, ue, "urgency"));
        snprintf(msg, sizeof msg, "Offer a phone call: the customer is upset and in a hurry, "
                 "and %s is slow for that.", heard_channel_name(ch));
        add_cue(cues, "offer_call", msg, ev);
    }
    /* 5. dismissive phrases in the draft */
    if (draft) {
        json_t *ev = json_array();
        for (size_t i = 0; i < draft->n_evidence; i++)
            if (draft->evidence[i].cue && strstr(draft->evidence[i].cue, "dismiss"))
                json_array_append_new(ev, span_json(c, (size_t)c->draft, draft->evidence[i].start,
                                                    draft->evidence[i].end,
                                                    draft->evidence[i].cue));
        if (draft->dismissive || json_array_size(ev) > 0)
            add_cue(cues, "dismissive", "The draft minimises or blames: drop these phrases.", ev);
        else
            json_decref(ev);
    }
    /* 6. a better phrasing from the customer's own words */
    if (said.n > 0) {
        sbuf b = {0};
        json_t *ev = json_array();
        sbuf_puts(&b, "I understand: ");
        for (size_t k = 0; k < said.n; k++) {
            if (k)
                sbuf_puts(&b, k + 1 == said.n ? ", and " : ", ");
            second_person(&b, c->conv->turns[said.turn[k]].text + said.s[k], said.e[k] - said.s[k]);
            json_array_append_new(ev, span_json(c, said.turn[k], said.s[k], said.e[k], "customer"));
        }
        sbuf_puts(&b, ". I'm sorry, that sounds really stressful. ");
        sbuf_puts(&b, hurry_turn >= 0
                          ? "I'm on it right now and will update you within the hour."
                          : "I'm on it now and will tell you exactly what happens next.");
        size_t len;
        char *text = sbuf_take(&b, &len);
        if (text) {
            *suggestion = json_pack("{s:s,s:o}", "text", text, "evidence", ev);
            free(text);
        } else {
            json_decref(ev);
        }
    }
}

static json_t *draft_json(const heard_turn_result *t)
{
    return json_pack("{s:{s:i,s:i,s:i},s:b,s:b,s:f}", "empathy", "emotional_reaction",
                     t->emotional_reaction, "interpretation", t->interpretation,
                     "exploration", t->exploration, "ownership", t->ownership,
                     "dismissive", t->dismissive, "politeness", (double)t->politeness);
}

void h_assist(request *r)
{
    if (!req_auth(r, ROLE_AGENT))
        return;
    uint64_t t0 = now_us();
    json_t *body = req_json_body(r);
    if (!body)
        return;
    json_t *draft = json_object_get(body, "draft");
    json_t *turns = json_object_get(body, "turns");
    bool has_draft = draft && !json_is_null(draft);
    if (has_draft && !json_is_string(draft)) {
        json_decref(body);
        resp_error(r, 400, "invalid assist request", json_string("\"draft\" must be a string"));
        return;
    }
    if (!json_is_array(turns)) {
        json_decref(body);
        resp_error(r, 422, "invalid conversation", json_string("\"turns\" must be an array"));
        return;
    }
    if (has_draft)
        json_array_append_new(turns, json_pack("{s:s,s:O}", "speaker", "agent", "text", draft));
    json_object_del(body, "draft");
    analysed a;
    char msg[512];
    ingest_status st = ingest_analyse_obj_json(r, body, false, false, &a, msg, sizeof msg);
    if (st != INGEST_OK) {
        if (!r->status)
            resp_error(r, st == INGEST_INVALID ? 422 : 500,
                       st == INGEST_INVALID ? "invalid conversation" : "analysis failed",
                       json_string(msg));
        return;
    }
    ctx c = {heard_doc_conversation(a.doc), a.res, -1, -1};
    if (has_draft && a.res->n_turns > 0)
        c.draft = (long)a.res->n_turns - 1;
    for (long i = (c.draft >= 0 ? c.draft : (long)a.res->n_turns) - 1; i >= 0; i--)
        if (a.res->turns[i].speaker == HEARD_AGENT) {
            c.last_agent = i;
            break;
        }
    json_t *cues = json_array(), *suggestion = NULL;
    build_cues(&c, cues, &suggestion);
    json_t *out = json_object();
    json_object_set_new(out, "cues", cues);
    json_object_set_new(out, "suggestion", suggestion ? suggestion : json_null());
    json_object_set_new(out, "draft", c.draft >= 0 ? draft_json(&a.res->turns[c.draft])
                                                   : json_null());
    json_object_set_new(out, "scores", json_pack("{s:i,s:i,s:f}", "empathy",
                                                 a.res->empathy_score, "politeness",
                                                 a.res->politeness_score, "felt_heard",
                                                 (double)a.res->felt_heard));
    json_object_set_new(out, "elapsed_ms", json_real((double)(now_us() - t0) / 1000.0));
    analysed_free(&a);
    resp_json(r, 200, out);
}

/* test_turn.c - turn analysis on the hard cases of customer service text:
 * negation, sarcasm, emoji, very short turns, polite formula without
 * empathy, empathy without formula, procedural versus exploring questions,
 * dismissiveness, and evidence spans that cover exactly the cue text. The
 * strict checks run on the rules alone; a second pass with the shipped
 * model (HEARD_MODELS) checks the invariants of every result. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "heard/heard.h"

typedef struct fixture {
    heard_analyzer *an;
    heard_workspace *ws;
    heard_result *res;
    int rules_only; /* no model directory */
} fixture;

static int setup_with(void **state, const char *dir)
{
    fixture *f = calloc(1, sizeof *f);
    heard_error err;
    heard_options o = {0};
    o.model_dir = dir;
    if (!f || heard_analyzer_new(&o, &f->an, &err) != HEARD_OK ||
        heard_workspace_new(f->an, &f->ws, &err) != HEARD_OK)
        return -1;
    f->rules_only = dir == NULL;
    *state = f;
    return 0;
}

static int setup_rules(void **state) { return setup_with(state, NULL); }

static int teardown(void **state)
{
    fixture *f = *state;
    heard_result_free(f->res);
    heard_workspace_free(f->ws);
    heard_analyzer_free(f->an);
    free(f);
    return 0;
}

/* Analyse alternating turns given as speaker-prefixed strings ("c:..."/"a:..."). */
static const heard_result *analyse(fixture *f, const char *const *turns, size_t n)
{
    heard_turn_in in[16];
    assert_true(n <= 16);
    for (size_t i = 0; i < n; i++) {
        in[i].speaker = turns[i][0] == 'a' ? HEARD_AGENT : HEARD_CUSTOMER;
        in[i].text = turns[i] + 2;
        in[i].len = strlen(turns[i] + 2);
        in[i].at = HEARD_NO_TIME;
    }
    heard_conversation_in c = {HEARD_CHAT, in, n};
    heard_result_free(f->res);
    f->res = NULL;
    heard_error err;
    assert_int_equal(heard_analyze(f->an, f->ws, &c, &f->res, &err), HEARD_OK);
    return f->res;
}

static const heard_turn_result *one(fixture *f, const char *text)
{
    const char *t[1];
    char buf[512];
    snprintf(buf, sizeof buf, "c:%s", text);
    t[0] = buf;
    /* buf dies here but evidence offsets are all we keep */
    return &analyse(f, t, 1)->turns[0];
}

static int label(const heard_turn_result *r, const char *name)
{
    return (r->emotion_labels >> heard_emotion_index(name)) & 1u;
}

static const heard_evidence *evidence(const heard_turn_result *r, const char *cue)
{
    for (size_t i = 0; i < r->n_evidence; i++)
        if (strcmp(r->evidence[i].cue, cue) == 0)
            return &r->evidence[i];
    return NULL;
}

static void negation(void **state)
{
    fixture *f = *state;
    const heard_turn_result *r = one(f, "I'm not angry, but this is the third time I'm calling");
    assert_false(label(r, "anger"));
    assert_true(r->urgency >= 1);
    r = one(f, "No complaints about the engineer.");
    assert_false(label(r, "disapproval"));
    assert_false(label(r, "anger"));
    assert_true(r->sentiment >= 0);
    /* no sentiment word: the cue emotions give a weak value (0.4 x their
     * balance; VADER says 0 here) */
    r = one(f, "BURST PIPE in kitchen ceiling water pouring through light fitting!!! "
               "cant find stopcock. can you turn it off from the street??");
    assert_true(r->sentiment < -0.1f);
    assert_true(r->sentiment > -0.4f);
    r = one(f, "not bad");
    assert_true(r->sentiment >= 0);
}

static void sarcasm(void **state)
{
    fixture *f = *state;
    const heard_turn_result *r = one(f, "Great, another week without internet. Thanks a lot.");
    assert_true(r->sentiment < 0);
    assert_false(label(r, "gratitude"));
    assert_true(label(r, "annoyance"));
    assert_true(r->politeness < 0);
    assert_non_null(evidence(r, "sarcasm"));
}

static void short_turns(void **state)
{
    fixture *f = *state;
    static const char *const texts[] = {"ok", "?", "", "...", "k"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const heard_turn_result *r = one(f, texts[i]);
        assert_true(label(r, "neutral"));
        assert_int_equal(r->emotion_labels, 1u << 27);
        assert_false(r->bid);
        assert_int_equal(r->urgency, 0);
        assert_int_equal(r->n_evidence, 0);
    }
}

static void emoji(void **state)
{
    fixture *f = *state;
    const heard_turn_result *r = one(f, "😡😡😡");
    assert_true(r->sentiment < 0);
    assert_true(label(r, "anger") || label(r, "annoyance"));
    const heard_evidence *e = evidence(r, "emotion.anger");
    assert_non_null(e);
    assert_int_equal(e->start, 0);
    assert_int_equal(e->end, 4);
    r = one(f, "🙏");
    assert_true(r->sentiment > 0);
    assert_true(label(r, "gratitude"));
}

static void urgency_and_bids(void **state)
{
    fixture *f = *state;
    const heard_turn_result *r = one(f, "My rent is due tomorrow and you've charged me twice!!");
    assert_int_equal(r->urgency, 2);
    assert_true(r->bid);
    const heard_evidence *e = evidence(r, "urgency");
    assert_non_null(e);
    r = one(f, "Can you tell me when my contract ends?");
    assert_int_equal(r->urgency, 0);
    assert_false(r->bid);
    r = one(f, "Thanks, that's all.");
    assert_false(r->bid);
    assert_true(label(r, "gratitude"));
    assert_true(r->politeness > 0);
    r = one(f, "My mum is in hospital and I'm so stressed about all this");
    assert_true(r->bid);
    assert_true(label(r, "nervousness"));
    r = one(f, "Account number 4471-2209.");
    assert_false(r->bid);
    assert_int_equal(r->urgency, 0);
}

static void polite_formula_no_empathy(void **state)
{
    fixture *f = *state;
    const char *const t[] = {
        "c:I've been without heating for four days with a newborn and I'm at my wits' end.",
        "a:Thank you for contacting us, we apologise for the inconvenience. Please provide your "
        "account number."};
    const heard_result *res = analyse(f, t, 2);
    const heard_turn_result *a = &res->turns[1];
    assert_true(res->turns[0].bid);
    assert_true(a->emotional_reaction <= 1);
    assert_int_equal(a->interpretation, 0);
    assert_int_equal(a->exploration, 0);
    assert_true(a->politeness > 0);
    assert_false(a->dismissive);
    assert_non_null(evidence(a, "politeness.gratitude"));
}

static void empathy_without_formula(void **state)
{
    fixture *f = *state;
    const char *const t[] = {
        "c:This is my third call about the broadband and it's still dropping out. I'm fed up.",
        "a:Three calls and still no fix \xe2\x80\x94 no wonder you're fed up. I'm booking an "
        "engineer for 8am tomorrow."};
    const heard_result *res = analyse(f, t, 2);
    const heard_turn_result *a = &res->turns[1];
    assert_int_equal(a->interpretation, 2);
    assert_true(a->ownership);
    assert_false(a->dismissive);
    const heard_evidence *e = evidence(a, "empathy.interpretation");
    assert_non_null(e);
    const char *text = t[1] + 2;
    assert_int_equal(e->start, (uint32_t)(strstr(text, "no wonder") - text));
    e = evidence(a, "ownership");
    assert_non_null(e);
    assert_int_equal(e->start, (uint32_t)(strstr(text, "I'm booking") - text));
}

static void procedural_vs_exploring(void **state)
{
    fixture *f = *state;
    const char *const t1[] = {"c:My replacement laptop still hasn't come and I'm worried.",
                              "a:What's your order number?"};
    const heard_result *res = analyse(f, t1, 2);
    assert_int_equal(res->turns[1].exploration, 0);
    const char *const t2[] = {"c:My replacement laptop still hasn't come and I'm worried.",
                              "a:Is there a date you need it by so I can prioritise?"};
    res = analyse(f, t2, 2);
    assert_int_equal(res->turns[1].exploration, 2);
    const char *const t3[] = {"c:Hi there.", "a:Hello! How can I help?"};
    res = analyse(f, t3, 2);
    assert_int_equal(res->turns[1].exploration, 0);
}

static void warm_specific_vs_generic(void **state)
{
    fixture *f = *state;
    const char *const t1[] = {"c:My husband passed away last month and the bill is in his name.",
                              "a:Oh, I'm so sorry about your husband. Losing him and then getting "
                              "a bill in his name must be awful."};
    const heard_result *res = analyse(f, t1, 2);
    assert_int_equal(res->turns[1].emotional_reaction, 2);
    const char *const t2[] = {"c:My parcel is late and I'm annoyed.",
                              "a:Sorry for the inconvenience. I'll check."};
    res = analyse(f, t2, 2);
    assert_int_equal(res->turns[1].emotional_reaction, 1);
}

static void dismissive(void **state)
{
    fixture *f = *state;
    const char *const t[] = {"c:You've cut me off for no reason and I'm furious!",
                             "a:Calm down, that's our policy."};
    const heard_result *res = analyse(f, t, 2);
    const heard_turn_result *a = &res->turns[1];
    assert_true(a->dismissive);
    assert_true(a->politeness < 0);
    const heard_evidence *e = evidence(a, "dismissive");
    assert_non_null(e);
    assert_int_equal(e->start, 0);
    assert_int_equal(e->end, 9);
}

/* "I'm sorry you feel that way" is a non-apology: dismissive, no warmth;
 * a weak dismissive cue yields to a reply that answers in substance. */
static void non_apology_and_settled_dismissive(void **state)
{
    fixture *f = *state;
    const char *const t[] = {"c:The courier left it in the rain and now it's ruined, I'm so upset.",
                             "a:I'm sorry you feel that way. You can contact the courier directly."};
    const heard_turn_result *a = &analyse(f, t, 2)->turns[1];
    assert_true(a->dismissive);
    assert_int_equal(a->emotional_reaction, 0);
    assert_non_null(evidence(a, "dismissive"));
    const char *const w[] = {
        "c:I've rung three times and nobody has called me back, I'm exhausted.",
        "a:As far as we're concerned the line is fine, but three calls with nobody ringing back "
        "would wear anyone down, and I'm really sorry."};
    a = &analyse(f, w, 2)->turns[1];
    assert_int_equal(a->emotional_reaction, 2);
    assert_false(a->dismissive);
}

/* A short acknowledgement that reads an urgent customer's words back is a
 * weak interpretation; the same words after a routine request are not. */
static void acknowledged_hurry(void **state)
{
    fixture *f = *state;
    const char *const u[] = {
        "c:URGENT my solicitor needs the money in twenty minutes or I lose the house!!",
        "a:Understood, twenty minutes. What's the account number?"};
    const heard_result *res = analyse(f, u, 2);
    const heard_turn_result *a = &res->turns[1];
    assert_int_equal(res->turns[0].urgency, 2);
    assert_int_equal(a->interpretation, 1);
    const heard_evidence *e = evidence(a, "empathy.interpretation");
    assert_non_null(e);
    assert_int_equal(e->start, 0);
    assert_int_equal(e->end, 27); /* "Understood, twenty minutes." */
    const char *const r[] = {"c:Can you check my order please?", "a:Got it, the order. One moment."};
    assert_int_equal(analyse(f, r, 2)->turns[1].interpretation, 0);
}

/* A question about what the customer needs beyond the ticket is
 * exploration 2; a well-wish is a weak reaction. */
static void needs_question_and_well_wish(void **state)
{
    fixture *f = *state;
    const char *const t[] = {
        "c:My mum is in hospital and I have to get there tonight, the machine swallowed my card.",
        "a:I've ordered a new card. Can you tell me whether you need cash for a taxi today too?",
        "c:Thank you so much, that's a weight off.",
        "a:You're welcome. Good luck with the move, and take your time."};
    const heard_result *res = analyse(f, t, 4);
    assert_int_equal(res->turns[1].exploration, 2);
    assert_non_null(evidence(&res->turns[1], "empathy.exploration"));
    assert_int_equal(res->turns[3].emotional_reaction, 1);
    assert_false(res->turns[3].dismissive);
}

/* With the model: a warm closing after thanks (no bid) is not dismissive,
 * whatever the model's dismissive head says; nor is a warm reply. */
static void dismissive_needs_something_to_dismiss(void **state)
{
    fixture *f = *state;
    const char *const k[] = {
        "c:no but I'll tell them tomorrow. this is so much less scary than I thought. thank you",
        "a:You're welcome, Mrs Brennan. Keep warm, and let Jean do the carrying."};
    assert_false(analyse(f, k, 2)->turns[1].dismissive);
    const char *const w[] = {
        "c:I've rung three times and nobody has called me back, I'm exhausted.",
        "a:As far as we're concerned the line is fine, but three calls with nobody ringing back "
        "would wear anyone down, and I'm really sorry."};
    assert_false(analyse(f, w, 2)->turns[1].dismissive);
}

/* "Is there anything else worrying you?" is the generic check-in (1); the
 * bare closing "Is there anything else?" explores nothing. */
static void check_in_is_generic(void **state)
{
    fixture *f = *state;
    const char *const t[] = {
        "c:My dad's funeral is on Friday and the letters keep coming, I can't face them.",
        "a:I've stopped the letters. Is there anything else worrying you about this?",
        "c:No, that's it.", "a:Is there anything else?"};
    const heard_result *res = analyse(f, t, 4);
    assert_int_equal(res->turns[1].exploration, 1);
    assert_int_equal(res->turns[3].exploration, 0);
}

/* A reaction the rules call strong (a reaction cue with two of the
 * customer's words) and the model is sure is weak (labelled 1 in the
 * corpus): with the model it is 1 (MECH_GATE weaken), by rules alone 2. */
static const char *const nuisance[] = {
    "c:hiya so my son now has 2 left feet apparently lol. ordered the Trekker school shoes size 2 "
    "and got two LEFT shoes in the box. school starts thurs and he's refused to wear his old ones "
    "since may, they've got holes in",
    "a:Ha, well, that's one way to make the first day memorable! Sorry though, that's a proper "
    "nuisance two days before term, and with the old ones full of holes there's no backup "
    "either. Can you send me the order number? I'll see what's in stock."};

static void strong_reaction_by_rules(void **state)
{
    assert_int_equal(analyse(*state, nuisance, 2)->turns[1].emotional_reaction, 2);
}

static void strong_reaction_weakened_by_model(void **state)
{
    assert_int_equal(analyse(*state, nuisance, 2)->turns[1].emotional_reaction, 1);
}

/* A shared experience is strong interpretation (EPITOME) with the models
 * too: agents in the training corpus never tell one, so the model's weak /
 * strong choice does not overrule the cue. "That sounds painful" names the
 * experience back. */
static void shared_experience_is_strong(void **state)
{
    static const char *const divorce[] = {
        "c:I've been feeling so alone since my divorce. Nobody calls me anymore.",
        "a:I went through the exact same thing after my divorce. It gets better, I promise."};
    static const char *const exams[] = {"c:I failed my exams again. I feel worthless.",
                                        "a:I also have anxiety about exams, I failed twice before I passed."};
    static const char *const dog[] = {"c:My dog died yesterday and I can't stop crying.",
                                      "a:That sounds really painful. I'm so sorry."};
    static const char *const order[] = {"c:Where is my order?",
                                        "a:I also have your order number here, it ships today."};
    const heard_turn_result *r = &analyse(*state, divorce, 2)->turns[1];
    assert_int_equal(r->interpretation, 2);
    assert_non_null(evidence(r, "empathy.interpretation"));
    assert_int_equal(analyse(*state, exams, 2)->turns[1].interpretation, 2);
    assert_true(analyse(*state, dog, 2)->turns[1].interpretation >= 1);
    assert_int_equal(analyse(*state, order, 2)->turns[1].interpretation, 0);
}

/* The reply of a two-turn social-media conversation (seeker post, reply),
 * as the peer-support sets are scored. */
static const heard_turn_result *social_reply(fixture *f, const char *post, const char *reply)
{
    heard_turn_in in[2] = {{HEARD_CUSTOMER, post, strlen(post), HEARD_NO_TIME},
                           {HEARD_AGENT, reply, strlen(reply), HEARD_NO_TIME}};
    heard_conversation_in c = {HEARD_SOCIAL, in, 2};
    heard_error err;
    heard_result_free(f->res);
    f->res = NULL;
    assert_int_equal(heard_analyze(f->an, f->ws, &c, &f->res, &err), HEARD_OK);
    return &f->res->turns[1];
}

/* The contracted and idiomatic ways of saying the same ("I'm going through
 * the same thing", "been in your shoes") count like the plain ones; an agent
 * going through an account does not. */
static void shared_experience_idioms(void **state)
{
    static const char *const replies[] = {
        "I'm going through the same thing right now.", "I've been in your shoes, honestly.",
        "I've felt like this before too.",
        "I got laid off two years ago and felt exactly the same."};
    for (size_t i = 0; i < sizeof replies / sizeof replies[0]; i++) {
        const heard_turn_result *r = social_reply(
            *state, "I lost my job last week and I feel like such a failure.", replies[i]);
        assert_int_equal(r->interpretation, 2);
        assert_non_null(evidence(r, "empathy.interpretation"));
    }
    static const char *const account[] = {"c:Why was I charged twice?",
                                          "a:I'm going through your account now, one moment."};
    assert_int_equal(analyse(*state, account, 2)->turns[1].interpretation, 0);
}

/* A post, a reply to it, and the reply's expected levels of the three
 * mechanisms (-1: not checked). */
typedef struct level_case {
    const char *post, *reply;
    int er, ip, ex;
} level_case;

static void assert_levels(fixture *f, const level_case *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const heard_turn_result *r = social_reply(f, t[i].post, t[i].reply);
        if ((t[i].er >= 0 && r->emotional_reaction != t[i].er) ||
            (t[i].ip >= 0 && r->interpretation != t[i].ip) ||
            (t[i].ex >= 0 && r->exploration != t[i].ex))
            fail_msg("\"%s\": reaction %d interpretation %d exploration %d, want %d %d %d",
                     t[i].reply, r->emotional_reaction, r->interpretation, r->exploration,
                     t[i].er, t[i].ip, t[i].ex);
    }
}

/* Phrasings found missing by labelled replies written apart from the rules
 * (session 11): needs questions in their everyday forms, "that sounds like
 * a lot", encouragement as weak reaction, shared experience with a hedge
 * ("almost the exact same"), a negator from an earlier phrase that does
 * not negate "must" ("without your phone must feel"), and bare check-ins
 * ("Are you ok?") as generic exploration. Exact rule levels;
 * -1 leaves a mechanism unchecked. */
static void everyday_phrasings(void **state)
{
    static const level_case t[] = {
        {"My mum is in hospital and I can't get through to anyone about her bill.",
         "That sounds like a lot to deal with while your mum is in hospital.", -1, 2, 0},
        {"My flight got cancelled and I'm meant to be at my dad's funeral tomorrow.",
         "Will you need a taxi from the airport when you land, or is someone collecting you?", -1, -1, 2},
        {"Water is coming through the ceiling onto my bed. I'm 78 and live alone.",
         "Is there a neighbour or family member nearby who could sit with you?", -1, -1, 2},
        {"I keep getting letters about a debt that isn't mine.",
         "Has this been affecting your credit file?", -1, -1, 2},
        {"The mould in my daughter's room is back and she's asthmatic.",
         "In the meantime, is there another room she can sleep in?", -1, -1, 2},
        {"My card was declined and I've got nothing for the week.",
         "Will you be able to get into work tomorrow?", -1, -1, 2},
        {"The parcel never came.", "Could you tell me a bit more about what happened?", -1, -1, 1},
        {"The parcel never came.", "Could you tell me the order number?", -1, -1, 0},
        {"My phone was stolen abroad.", "Being alone abroad without your phone must feel really vulnerable.",
         -1, 2, -1},
        {"My broadband has been down three weeks and I have exams.",
         "Three weeks of revising in a cafe sounds exhausting.", -1, 2, -1},
        {"I start a new job on Monday and I'm terrified.", "You'll be fine, it gets easier.", 1, 0, 0},
        {"My dog died this morning.", "I'm so proud of you for posting this.", 2, -1, -1},
        {"My marriage fell apart this year.",
         "I went through almost the exact same thing last spring.", -1, 2, -1},
        {"I cancel plans at the last minute and then feel awful.", "i do the exact same thing.", -1, 2, -1},
        {"The engineer didn't come and I lost a day's pay.",
         "No one should have to keep losing pay waiting for a contractor.", 2, -1, -1},
        /* bare check-ins are generic, as EPITOME's weak exploration; a
         * check-in that goes on, or a safety question beside it, is not */
        {"My cat died last night.", "Are you ok?", -1, -1, 1},
        {"My cat died last night.", "How are you holding up?", -1, -1, 1},
        {"My cat died last night.", "Do you want to talk about it?", -1, -1, 1},
        {"My card was declined and payday is Friday.", "Are you okay for money until Friday?", -1,
         -1, 2},
        {"The curry was full of peanuts and my son is allergic.",
         "Has anyone eaten any of it? Are you alright?", -1, -1, 2},
        /* "What happened?" alone is EPITOME's weak exploration; how the
         * people in the story took it is specific */
        {"My best friend stopped talking to me.", "What happened?", -1, -1, 1},
        {"My best friend stopped talking to me.", "What did she say when you asked her?", -1,
         -1, 2},
        {"I came out to my friends and it went quiet.", "How did the rest of them react?", -1,
         -1, 2},
        {"I came out to my dad.", "What happened after, did he say anything?", -1, -1, 2},
        /* an invitation to say more leaves the subject open: weak */
        {"The app shows the wrong balance.", "Can you tell me more about what looks wrong?", -1,
         -1, 1},
        {"I can't sleep, my head won't stop.", "Do you want to talk about what's keeping you up?",
         -1, -1, 1},
    };
    assert_levels(*state, t, sizeof t / sizeof t[0]);
}

/* Replies typed as people type them on phones and Reddit: the informal
 * spellings ("u", "thru", "dont") read as the words they stand for, and the
 * subjectless and peer phrasings (session 12) carry their mechanisms. */
static void informal_phrasings(void **state)
{
    static const char *const breakup = "my gf left me last week and i cant stop crying";
    static const level_case t[] = {
        {breakup, "went thru the exact same thing with my ex", -1, 2, -1},
        {breakup, "know exactly how u feel", -1, 1, -1},
        {breakup, "r u ok? do u want to talk about it", -1, -1, 1},
        {breakup, "wat happened between u two?", -1, -1, 2},
        {breakup, "Im so sorry youre going through this. It sounds like youre really hurting.", 1, 2, 0},
        {"my mum passed away last month", "u must miss her so much", -1, 2, -1},
        {"my mum passed away last month", "lost my dad 2 yrs ago, it does get easier", 1, 2, -1},
        {"i got the job after 8 months of rejections", "proud of you stranger", 2, -1, -1},
        {"i dont see the point anymore", "that last line worried me a bit", 2, -1, -1},
        {"i relapsed after 40 days", "moderation never worked for me either", -1, 2, -1},
        {"my sister got engaged and i feel left behind", "i feel this so much", -1, 1, -1},
        {"I love my dad but I'm furious he lied",
         "You can love him and still be angry. Both are true at once.", -1, 2, -1},
        {"My husband left after 25 years and the house is so quiet.",
         "That's a huge change, going from a full house to living alone at 50.", -1, 2, -1},
        {"My dad kicked me out when I came out", "Did you say anything to him?", -1, -1, 2},
        {"My flat floods every time it rains.",
         "Have you got somewhere dry to sleep tonight, or shall I look at a hotel?", -1, -1, 2},
    };
    assert_levels(*state, t, sizeof t / sizeof t[0]);
    /* the customer side: hurry said plainly, and its near misses */
    static const struct {
        const char *text;
        int urgency;
    } u[] = {
        {"im diabetic and i need to eat now, my food order hasnt come", 2},
        {"r u open tmrw? need to pick up my meds b4 i run out", 2},
        {"Our son's name is wrong on the booking. Can this be corrected today?", 2},
        {"driver cant find my door and hes about to leave, im upstairs with a broken leg", 2},
        {"they cancelled my booking and its 11pm, ive got nowhere to go", 2},
        {"I need to go now, bye", 0},
        {"whats the status of my order", 0},
    };
    for (size_t i = 0; i < sizeof u / sizeof u[0]; i++) {
        const heard_turn_result *r = one(*state, u[i].text);
        if (r->urgency != u[i].urgency)
            fail_msg("\"%s\": urgency %d, want %d", u[i].text, r->urgency, u[i].urgency);
    }
}

/* Generic understanding stays weak, with or without the model: a short
 * reply with nothing specific in it cannot be strong interpretation, and
 * normalising a feeling ("everyone feels like that") is generic
 * understanding. A "no" answering before a subject negates nothing. Both
 * with the rules and with the shipped models. */
static void generic_understanding_is_weak(void **state)
{
    static const char *const job = "i've started dreading going into work. i used to love this job";
    static const level_case t[] = {
        {job, "I know how you feel.", -1, 1, -1},
        {job, "I know exactly how you feel.", -1, 1, -1},
        {job, "everyone feels like that sometimes. keep your head up", -1, 1, -1},
        {job, "happens to almost everyone at some point", -1, 1, -1},
        {"my bf read my texts again and i got really upset",
         "no you're not overreacting", -1, 1, -1},
        /* agreeing to a request is no understanding; owning up to a
         * common slip is */
        {"I need to change my delivery address.", "Of course. What's the new address?", -1, 0,
         -1},
        {"Can you cancel my order?", "Absolutely, I can do that now.", -1, 0, -1},
        {"I booked the wrong train, can I change it?", "Oops, easily done! Yes, you can.", -1, 1,
         -1},
        {"I've been waiting 40 minutes for the bill.", "I know waiting can be frustrating.", -1, 1,
         -1},
        /* specific ones keep their level: a named feeling, a told experience */
        {job, "Dreading the admin when you used to love the teaching must be so deflating.", -1,
         2, -1},
        {job, "I went through exactly this in my third year of teaching.", -1, 2, -1},
    };
    assert_levels(*state, t, sizeof t / sizeof t[0]);
}

/* A shared experience told in the responder's own words, with no stock
 * phrase, is strong interpretation, its sentence the evidence; first-person
 * formulas, sentences about the seeker, quoted words, someone else's
 * feeling and an agent's actions on the case are not. */
static void own_experience_is_interpretation(void **state)
{
    static const char *const relapse = "relapsed after 8 months sober. i feel like such a fraud";
    static const struct {
        const char *reply, *span;
    } yes[] = {
        {"8 months still counts. i slipped at 6 months once and felt like i'd thrown "
         "everything away.",
         "i slipped at 6 months once and felt like i'd thrown everything away."},
        {"took me 5 tries and i was so ashamed every time. keep going",
         "took me 5 tries and i was so ashamed every time."},
        {"I heard that one so often in recovery and it used to send me into a spiral.",
         "I heard that one so often in recovery and it used to send me into a spiral."},
        /* marks of the responder's past, with no feeling named */
        {"I moved back in with my parents at 34 after my divorce. Starting over is a thing.",
         "I moved back in with my parents at 34 after my divorce."},
        {"Tuesdays were it for me: i ate lunch in my car my whole first semester.",
         "Tuesdays were it for me: i ate lunch in my car my whole first semester."},
        {"it took me 40 applications in 2021 before anyone called back",
         "it took me 40 applications in 2021 before anyone called back"},
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        const heard_turn_result *r = social_reply(*state, relapse, yes[i].reply);
        if (r->interpretation != 2)
            fail_msg("\"%s\": interpretation %d, want 2", yes[i].reply, r->interpretation);
        const heard_evidence *e = evidence(r, "empathy.interpretation");
        assert_non_null(e);
        assert_int_equal(e->end - e->start, strlen(yes[i].span));
        assert_memory_equal(yes[i].reply + e->start, yes[i].span, strlen(yes[i].span));
    }
    /* the feelings of a told experience are no reaction to this one (the
     * models put a strong reaction on this pair, data/spotcheck peer7-170) */
    const heard_turn_result *r = social_reply(
        *state,
        "I'm 18 and everyone's leaving for uni next week except me. I didn't get in anywhere. "
        "I'll be stuck in my hometown working at Costa while they're all having the time of "
        "their lives.",
        "I was in exactly that spot at 18. Watching everyone's freshers photos while making "
        "lattes was awful. I went the next year and honestly being a year older made it better.");
    assert_int_equal(r->interpretation, 2);
    assert_int_equal(r->emotional_reaction, 0);
    static const char *const no[] = {
        "I'm so sorry. Call your sponsor today.",
        "i feel like you should call your sponsor today.",
        "Say it plainly: \"I messed up and I feel awful.\" Then call your sponsor.",
        "I'm afraid the meeting is full tonight. Try the 9am one.",
        "I'm calling the clinic now so she can get her meds today if she'd feel safer.",
    };
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        const heard_turn_result *r = social_reply(*state, relapse, no[i]);
        if (r->interpretation == 2)
            fail_msg("\"%s\": interpretation 2, want less", no[i]);
    }
    static const char *const account[] = {
        "c:My payment failed twice and I'm really stressed.",
        "a:I checked the account and both payments were declined by the bank, nothing lost."};
    assert_int_equal(analyse(*state, account, 2)->turns[1].interpretation, 0);
    static const char *const manager[] = {
        "c:My payment failed twice and I'm really stressed.",
        "a:I spoke to my manager last week and in 2024 the bank changed its rules at 16:00."};
    assert_int_equal(analyse(*state, manager, 2)->turns[1].interpretation, 0);
}

/* Advice asked as a question ("Have you asked her straight out?", "is
 * there a school counselor you trust?") explores nothing; a question about
 * the seeker's support or feelings still does. */
static void advice_questions_explore_nothing(void **state)
{
    static const char *const post = "my best friend stopped answering my texts a month ago";
    static const level_case t[] = {
        {post, "Have you asked her straight out?", -1, -1, 0},
        {post, "Have you two talked about it with a counselor?", -1, -1, 0},
        {post, "Have you ever seen someone who specializes in anxiety?", -1, -1, 0},
        {post, "Is there a school counselor you trust?", -1, -1, 0},
        {post, "Does your college have a peer support group?", -1, -1, 0},
        {post, "Do you have someone you can talk to tonight?", -1, -1, 2},
        {post, "How are you feeling about it now?", -1, -1, 2},
    };
    assert_levels(*state, t, sizeof t / sizeof t[0]);
}

/* Bare check-ins with a word between or after ("How are you actually
 * doing?") and asking what a lost one was like are weak exploration;
 * reassurance in its everyday shapes is weak reaction. */
static void checkins_and_reassurance(void **state)
{
    static const char *const loss = "my dog died yesterday and the house is so quiet";
    static const level_case t[] = {
        {loss, "How are you actually doing?", -1, -1, 1},
        {loss, "how are u holding up tonight?", -1, -1, 1},
        {loss, "What was she like?", -1, -1, 1},
        {loss, "It's gonna be ok.", 1, -1, -1},
        {"my driving test is tomorrow and i'm shaking", "Good luck! You'll do great.", 1, -1, -1},
        {"day 12 sober today", "Keep going!", 1, -1, -1},
    };
    assert_levels(*state, t, sizeof t / sizeof t[0]);
}

/* A reply made only of questions interprets nothing, whatever the model
 * makes of it; a question next to a statement of understanding keeps it. */
static void questions_are_not_interpretation(void **state)
{
    static const char *const cheating = "I think my husband is cheating on me.";
    const heard_turn_result *r = social_reply(*state, "I hate my life. Everything I do goes wrong.",
                                              "Why do you feel like everything goes wrong?");
    assert_int_equal(r->interpretation, 0);
    assert_true(r->exploration >= 1);
    r = social_reply(*state, cheating, "What makes you think that? Has something changed between you?");
    assert_int_equal(r->interpretation, 0);
    r = social_reply(*state, cheating, "That must be so painful. What makes you think that?");
    assert_true(r->interpretation >= 1);
}

/* Peer-support replies that say what the experience does to the seeker,
 * or name the feeling behind it, are interpretation; a responder's own
 * named feeling ("I feel so bad for you", "this breaks my heart") is a
 * strong reaction, and a question about the seeker's hardest part, support
 * or hesitation strong exploration, as in EPITOME. A plain fact about a
 * process is none of them. */
static void peer_support_interpretations(void **state)
{
    static const char *const job = "I lost my job last week and I can't tell my wife.";
    static const char *const replies[] = {
        "Losing a job can really shake your sense of worth.",
        "I think you're afraid she'll see you differently.",
        "Honestly it sounds like depression talking.",
        "Job loss is one of the most stressful things a person can go through.",
        "That's a really heavy thing to carry alone.", "Anxiety lies to you.",
        "I get where you're coming from.", "Divorce is tough. Hang in there buddy.",
        "Numbness is a common symptom of depression."};
    for (size_t i = 0; i < sizeof replies / sizeof replies[0]; i++) {
        const heard_turn_result *r = social_reply(*state, job, replies[i]);
        assert_true(r->interpretation >= 1);
        assert_non_null(evidence(r, "empathy.interpretation"));
    }
    assert_int_equal(social_reply(*state, job, "I feel so bad for you.")->emotional_reaction, 2);
    assert_int_equal(
        social_reply(*state, "My dog died this morning.", "This breaks my heart.")->emotional_reaction,
        2);
    static const char *const own[] = {"I'm so happy for you!", "Reading this hurts.",
                                      "I feel terrible that you're going through this.",
                                      "I'm genuinely concerned."};
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
        assert_int_equal(
            social_reply(*state, "I finally told my family I'm gay and they took it badly.", own[i])
                ->emotional_reaction,
            2);
    static const char *const questions[] = {"What's been the hardest part for you?",
                                            "Do you have any support right now?",
                                            "What's stopping you from telling her?"};
    for (size_t i = 0; i < sizeof questions / sizeof questions[0]; i++)
        assert_int_equal(social_reply(*state, job, questions[i])->exploration, 2);
    static const char *const courier[] = {"c:Where is my parcel?",
                                          "a:Dealing with the courier can take 3 days."};
    assert_int_equal(analyse(*state, courier, 2)->turns[1].interpretation, 0);
}

/* Peer-support replies (EPITOME): a responder who names a feeling of their
 * own is a strong reaction, encouragement a reaction, a lost pet of one's
 * own a shared experience; "it will be" alone says nothing. */
static void peer_support_reactions(void **state)
{
    static const char *const worried[] = {
        "c:I just want to sleep forever.",
        "a:I'm really worried about you. Are you having thoughts of hurting yourself?"};
    static const char *const sad[] = {"c:I cut myself again last night.",
                                      "a:I'm so sad to hear that. What was going on before it happened?"};
    static const char *const failure[] = {
        "c:I'm 30 and still live with my parents, I feel like such a failure.",
        "a:You're not a failure. Lots of people live with their parents these days."};
    static const char *const cat[] = {
        "c:Lost my cat today. He was my best friend.",
        "a:Losing a pet is like losing family. I lost my dog last year and it still hurts."};
    static const char *const plain[] = {"c:Will my premium go up after the claim?",
                                        "a:It will be reviewed at renewal in March."};
    const heard_turn_result *r = &analyse(*state, worried, 2)->turns[1];
    assert_int_equal(r->emotional_reaction, 2);
    assert_int_equal(r->exploration, 2);
    assert_non_null(evidence(r, "empathy.emotional_reaction"));
    assert_int_equal(analyse(*state, sad, 2)->turns[1].emotional_reaction, 2);
    /* weak in EPITOME; by rules alone it takes up two of the customer's
     * words ("failure", "parents") and is strong */
    assert_true(analyse(*state, failure, 2)->turns[1].emotional_reaction >= 1);
    assert_int_equal(analyse(*state, cat, 2)->turns[1].interpretation, 2);
    r = &analyse(*state, plain, 2)->turns[1];
    assert_int_equal(r->emotional_reaction, 0);
    assert_null(evidence(r, "empathy.emotional_reaction"));
}

/* An open inbox, "people care about you" and "I'm listening" are offers of support, a weak
 * reaction by the rules (the customer-service model, which never saw them,
 * may still overrule them). */
static void support_offers_are_reactions(void **state)
{
    static const char *const gone = "Nobody would notice if I was gone.";
    const heard_turn_result *r = social_reply(*state, gone, "My DMs are open if you want to vent.");
    assert_int_equal(r->emotional_reaction, 1);
    assert_non_null(evidence(r, "empathy.emotional_reaction"));
    r = social_reply(*state, gone, "That's not true, people care about you.");
    assert_int_equal(r->emotional_reaction, 1);
    r = social_reply(*state, gone, "I don't know what to say, but I'm listening.");
    assert_int_equal(r->emotional_reaction, 1);
}

/* Sincere thanks next to a word like "again" or "never" is not sarcasm;
 * a standalone opener next to a situation bad on its own still is. */
static void sarcasm_needs_a_bad_situation(void **state)
{
    static const char *const sincere[] = {
        "Thanks! I'll try again tomorrow.", "Thanks so much. I never thought it would be this easy.",
        "Thank you. I was worried I'd lost it.", "Lovely, thanks. See you next week again.",
        "Great, thanks again!", "Great. I'll call back if it's still not working.",
        "thanks! nothing else?", "Thank you, it's working again",
        "thank you, honestly I can breathe again", "Thank you, honestly, you've no idea.",
        "Thank you, you have no idea how much this helps",
        "Received, thank you - exactly what I needed.",
        "Thanks, that's just what I needed to know", "Thank you! I had no idea this existed",
        "Thanks, never heard that one."};
    static const char *const sarcastic[] = {
        "Brilliant. Still no engineer.", "Thanks. Still waiting for my refund though.",
        "Great, another week without internet. Thanks a lot.", "Wonderful. Nobody turned up.",
        "so it still depends on the doctor. great. ok bye", "Thanks. Nothing works.",
        "Great, it's down again.", "Great, no idea when it will arrive then.",
        "Great, just what I needed.", "Great, it never arrived."};
    for (size_t i = 0; i < sizeof sincere / sizeof sincere[0]; i++)
        if (evidence(one(*state, sincere[i]), "sarcasm"))
            fail_msg("\"%s\": sarcasm", sincere[i]);
    assert_true(one(*state, sincere[0])->sentiment > 0.2);
    for (size_t i = 0; i < sizeof sarcastic / sizeof sarcastic[0]; i++) {
        const heard_turn_result *r = one(*state, sarcastic[i]);
        if (!evidence(r, "sarcasm") || r->sentiment >= 0)
            fail_msg("\"%s\": not sarcastic (sentiment %.3f)", sarcastic[i], r->sentiment);
    }
}

/* An intent is not effort, nor a how-to question despair: "I am trying
 * to add products" and "I don't know what to do to see the fee" carry no
 * bid cue; "I've been trying to log in for two days" and "I don't know
 * what to do anymore." do. */
static void requests_are_not_bid_cues(void **state)
{
    assert_null(evidence(one(*state, "I am trying to add several products to order 00004587345"),
                         "bid.effort"));
    assert_null(evidence(one(*state, "I don't know what to do to see the withdrawal charge"),
                         "bid.emotion"));
    const heard_turn_result *r = one(*state, "I've been trying to log in for two days.");
    assert_non_null(evidence(r, "bid.effort"));
    assert_true(r->bid);
    r = one(*state, "My husband left and I don't know what to do anymore.");
    assert_non_null(evidence(r, "bid.emotion"));
    assert_true(r->bid);
    /* "old" and "late" say vulnerability only of a person: "my old
     * address" and "my late payment fee" are things */
    assert_null(evidence(one(*state, "I moved house and my old address is still on the account"),
                         "bid.vulnerability"));
    assert_null(evidence(one(*state, "Can you take my late payment fee off this month?"),
                         "bid.vulnerability"));
    assert_non_null(evidence(one(*state, "The account was in my late husband's name and the "
                                         "letters keep coming."),
                             "bid.vulnerability"));
    assert_non_null(evidence(one(*state, "I'm calling for my elderly neighbour, she can't get "
                                         "through to you herself."),
                             "bid.vulnerability"));
}

/* "as stated" and "you can cancel" are dismissive only as the bare rule
 * ("Our position remains as stated.", "You can always take your business
 * elsewhere."), not inside help ("perform as stated", "you can cancel it any
 * day in the app"). */
static void dismissive_phrases_need_their_sense(void **state)
{
    static const char *const refunds[] = {
        "c:In which cases can I get a refund? I'm really annoyed, the kettle broke after a week.",
        "a:You can get a refund if the product is faulty or does not perform as stated. You "
        "can cancel the order any day in the app too. I'll start the refund for the kettle now."};
    static const char *const stated[] = {
        "c:This is the third time I'm writing and I'm really upset about the engineer visit.",
        "a:Our position remains as stated. You can always take your business elsewhere."};
    const heard_turn_result *r = &analyse(*state, refunds, 2)->turns[1];
    assert_false(r->dismissive);
    assert_null(evidence(r, "dismissive"));
    r = &analyse(*state, stated, 2)->turns[1];
    assert_true(r->dismissive);
    assert_non_null(evidence(r, "dismissive"));
    /* blame and stonewalling */
    static const char *const blame[] = {
        "c:The fee is unfair, I was in hospital when the payment was due and I'm so stressed.",
        "a:Late payment fees are non-negotiable. You should ensure payment is made before the "
        "due date."};
    static const char *const elsewhere[] = {
        "c:The installer cracked my wall and I'm furious, nobody will help me.",
        "a:That's something you'd need to take up with the installation company."};
    r = &analyse(*state, blame, 2)->turns[1];
    assert_true(r->dismissive);
    assert_non_null(evidence(r, "dismissive"));
    assert_true(analyse(*state, elsewhere, 2)->turns[1].dismissive);
}

/* Everyday warmth is a weak reaction, as the corpus labels it; a closing
 * formula ("Have a lovely day") is none. */
static void everyday_warmth_is_weak(void **state)
{
    static const char *const t[] = {
        "c:My boiler's been off since Sunday and my husband's just out of hospital.",
        "a:Hi, sorry to hear about the wait. I've booked an engineer for 8am tomorrow. Keep warm.",
        "c:Thank you, that's a weight off.", "a:Have a lovely day."};
    const heard_result *res = analyse(*state, t, 4);
    assert_int_equal(res->turns[1].emotional_reaction, 1);
    assert_non_null(evidence(&res->turns[1], "empathy.emotional_reaction"));
    assert_int_equal(res->turns[3].emotional_reaction, 0);
}

/* A plain request is not urgent on the model's word alone (it needs an
 * expected level of 1.3 without an urgency cue, 1.05 in a turn of 20 words
 * or more), nor a bid (0.1 above the threshold without a bid cue); cues
 * still count. A customer who says there is no hurry is not urgent on the
 * model's word either (the head read "no rush" as urgent). */
static void plain_requests_not_urgent(void **state)
{
    assert_false(one(*state, "I have troubles editing the shipping address")->bid);
    assert_false(one(*state, "status of order 732201349959")->bid);
    assert_true(one(*state, "I've called three times about this and I'm so stressed, my mum is in "
                            "hospital")->bid);
    static const char *const plain[] = {"status of order 732201349959", "Quotes and commas", "closing standard account",
                                        "send me bills from Mr. Smith"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        const heard_turn_result *r = one(*state, plain[i]);
        if (r->urgency != 0)
            fail_msg("\"%s\": urgency %d", plain[i], r->urgency);
    }
    assert_true(one(*state, "I need the replacement card today, I'm flying tomorrow")->urgency >= 1);
    static const char *const calm[] = {
        "No rush at all, I just want to know about my pension.",
        "I'm in no hurry, just curious about the pension lump sum.",
        "I've just retired and I'd like to talk to someone about what to do with my pension "
        "lump sum. No rush at all."};
    for (size_t i = 0; i < sizeof calm / sizeof calm[0]; i++) {
        const heard_turn_result *r = one(*state, calm[i]);
        if (r->urgency != 0)
            fail_msg("\"%s\": urgency %d", calm[i], r->urgency);
    }
    assert_int_equal(one(*state, "Can you hurry up please, my pension payment is late!")->urgency, 2);
}

/* Customer-service complaints carry the labellers' annoyance and
 * disappointment (the emotion heads learn from cs-corpus customer turns
 * as well as GoEmotions; with GoEmotions alone the second and third
 * had neither). Invented texts. */
static void complaints_have_their_emotion(void **state)
{
    const heard_turn_result *r = one(*state, "Hi, third time writing about the same refund. Still "
                                             "nothing. Honestly this is ridiculous.");
    assert_true(label(r, "annoyance"));
    assert_true(label(r, "disappointment"));
    r = one(*state, "I've been without broadband for nine days now and every time I ring I get "
                    "passed to someone else. I'm fed up with it.");
    assert_true(label(r, "annoyance"));
    assert_true(label(r, "disappointment"));
    assert_false(label(r, "neutral"));
}

/* A short opening request with no cue of a feeling, hardship or hurry is
 * routine: the models alone make no bid of it. A cue still does. */
static void plain_openings_are_not_bids(void **state)
{
    static const char *const plain[] = {
        "I have a problem with cancelling order 00123842",
        "I don't know what to do to cancel purchase 00004587345",
        "i need help to cancel order 3707955617", "I have problems with editing order 732201349959",
        "I don't know how to update the shipping address",
        /* the request words at the very end of the turn */
        "I need help with my order and I don't know how", "cancel my order, what to",
        "where can i change my address how"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        if (one(*state, plain[i])->bid)
            fail_msg("\"%s\": bid", plain[i]);
    assert_true(one(*state, "I can't afford this order, cancel purchase 732201349959")->bid);
    assert_true(one(*state, "I don't know how to update the damn shipping address")->bid);
    assert_true(one(*state, "I've been trying to cancel order 00123842 for two days")->bid);
}

/* A strong rule keyword labels its emotion in the rules-only analysis, but
 * with a model the model decides: "shit" in a thank-you is not anger, "my
 * bad" is not remorse (GoEmotions dev: keyword-forced labels were right 17%
 * of the time). In a turn without words the keyword still decides. */
static void rule_keywords_follow_the_model(void **state)
{
    fixture *f = *state;
    const heard_turn_result *r = one(f, "Thank you for not making a cake day shit post");
    assert_true(label(r, "gratitude"));
    assert_int_equal(label(r, "anger"), f->rules_only);
    r = one(f, "Oh my bad I starting typing before you posted it");
    assert_int_equal(label(r, "remorse"), f->rules_only);
    r = one(f, "🙏");
    assert_true(label(r, "gratitude"));
    assert_non_null(evidence(r, "emotion.gratitude"));
}

/* Every result of every case above, with the shipped model when there is
 * one: ranges, a label always present, evidence inside the text. */
static void invariants_with_model(void **state)
{
    (void)state;
    const char *dir = getenv("HEARD_MODELS");
    void *st = NULL;
    assert_int_equal(setup_with(&st, dir), 0);
    fixture *f = st;
    const char *const t[] = {
        "c:I'm not angry, but this is the third time I'm calling",
        "a:Calm down, that's our policy.",
        "c:Great, another week without internet. Thanks a lot.",
        "a:Thank you for contacting us, we apologise for the inconvenience.",
        "c:😡😡😡", "a:What's your order number?", "c:?", "a:", "c:🙏",
        "a:Is there a date you need it by so I can prioritise? I'll call you back at 3pm."};
    size_t n = sizeof t / sizeof t[0];
    const heard_result *res = analyse(f, t, n);
    for (size_t i = 0; i < n; i++) {
        const heard_turn_result *r = &res->turns[i];
        size_t len = strlen(t[i] + 2);
        assert_true(r->sentiment >= -1 && r->sentiment <= 1);
        assert_true(r->politeness >= -1 && r->politeness <= 1);
        assert_true(r->emotion_labels != 0);
        for (int e = 0; e < 28; e++)
            assert_true(r->emotions[e] >= 0 && r->emotions[e] <= 1);
        assert_true(r->urgency >= 0 && r->urgency <= 2);
        assert_true(r->emotional_reaction >= 0 && r->emotional_reaction <= 2);
        for (size_t k = 0; k < r->n_evidence; k++) {
            assert_true(r->evidence[k].start < r->evidence[k].end);
            assert_true(r->evidence[k].end <= len);
            assert_non_null(r->evidence[k].cue);
        }
    }
    assert_true(res->felt_heard >= 1 && res->felt_heard <= 5);
    teardown(&st);
}

/* The hard cases again through the rules + shipped model blend (what
 * `heard analyze` gives): the model may add labels, but the clear rule
 * cases must hold. Skipped without HEARD_MODELS. */
static int setup_model(void **state)
{
    const char *dir = getenv("HEARD_MODELS");
    if (!dir || !*dir)
        return setup_with(state, NULL); /* same checks on the rules */
    return setup_with(state, dir);
}

static void hard_cases_with_model(void **state)
{
    fixture *f = *state;
    const heard_turn_result *r;
    /* sarcasm: no thanks, annoyed, impolite and negative */
    r = one(f, "Great, another week without internet. Thanks a lot.");
    assert_true(r->sentiment < 0);
    assert_false(label(r, "gratitude"));
    assert_false(label(r, "joy"));
    assert_true(label(r, "annoyance"));
    assert_true(r->politeness < 0);
    assert_non_null(evidence(r, "sarcasm"));
    /* negation */
    r = one(f, "I'm not angry, but this is the third time I'm calling");
    assert_false(label(r, "anger"));
    r = one(f, "not bad");
    assert_true(r->sentiment >= 0);
    r = one(f, "No complaints about the engineer.");
    assert_false(label(r, "anger"));
    assert_true(r->sentiment >= 0);
    /* emoji only */
    r = one(f, "😡😡😡");
    assert_true(r->sentiment < 0);
    assert_true(label(r, "anger") || label(r, "annoyance"));
    assert_false(label(r, "neutral"));
    r = one(f, "🙏");
    assert_true(r->sentiment > 0);
    assert_true(label(r, "gratitude"));
    /* nothing to go on */
    static const char *const texts[] = {"ok", "?", "k", "..."};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        r = one(f, texts[i]);
        assert_int_equal(r->emotion_labels, 1u << 27);
        assert_false(r->bid);
        assert_int_equal(r->urgency, 0);
        assert_int_equal(r->n_evidence, 0);
    }
    /* polite formula without empathy */
    const char *const t[] = {
        "c:I've been without heating for four days with a newborn and I'm at my wits' end.",
        "a:Thank you for contacting us, we apologise for the inconvenience. Please provide your "
        "account number."};
    const heard_result *res = analyse(f, t, 2);
    assert_true(res->turns[0].bid);
    const heard_turn_result *a = &res->turns[1];
    assert_true(a->emotional_reaction <= 1);
    assert_int_equal(a->interpretation, 0);
    assert_int_equal(a->exploration, 0);
    assert_true(a->politeness > 0);
    assert_false(a->dismissive);
    /* procedural versus exploring questions */
    const char *const t1[] = {"c:My replacement laptop still hasn't come and I'm worried.",
                              "a:What's your order number?"};
    res = analyse(f, t1, 2);
    assert_int_equal(res->turns[1].exploration, 0);
    const char *const t2[] = {"c:My replacement laptop still hasn't come and I'm worried.",
                              "a:Is there a date you need it by so I can prioritise?"};
    res = analyse(f, t2, 2);
    assert_int_equal(res->turns[1].exploration, 2);
    /* dismissive */
    const char *const t3[] = {"c:You've cut me off for no reason and I'm furious!",
                              "a:Calm down, that's our policy."};
    res = analyse(f, t3, 2);
    assert_true(res->turns[1].dismissive);
    assert_true(res->turns[1].politeness < 0);
    assert_non_null(evidence(&res->turns[1], "dismissive"));
}

/* Model evidence never points at a lone function word. */
static void model_evidence_is_content(void **state)
{
    fixture *f = *state;
    static const char *const texts[] = {
        "I love this so much, you guys are the best",
        "I am so scared I will lose my flat if this is not fixed",
        "Why would I ever do that? I don't get it.",
        "Congratulations on the new job!"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const heard_turn_result *r = one(f, texts[i]);
        for (size_t k = 0; k < r->n_evidence; k++) {
            const heard_evidence *e = &r->evidence[k];
            size_t len = e->end - e->start;
            assert_true(len >= 2);
            assert_false(len <= 3 && strncmp(texts[i] + e->start, "I", 1) == 0 &&
                         (len == 1 || texts[i][e->start + 1] == ' '));
        }
    }
}

/* Emotions, sentiment and politeness of a text do not depend on who says
 * it (held-out single texts come without a speaker). */
static void text_heads_ignore_speaker(void **state)
{
    fixture *f = *state;
    static const char *const texts[] = {"I love this so much, thank you!",
                                        "This is ridiculous, I want my money back",
                                        "Could you please help me with this?",
                                        "Why is it still broken? I'm so tired of this."};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char c[256], a[256];
        snprintf(c, sizeof c, "c:%s", texts[i]);
        snprintf(a, sizeof a, "a:%s", texts[i]);
        const char *tc[1] = {c}, *ta[1] = {a};
        heard_turn_result rc = analyse(f, tc, 1)->turns[0];
        const heard_turn_result *ra = &analyse(f, ta, 1)->turns[0];
        assert_int_equal(rc.emotion_labels, ra->emotion_labels);
        assert_float_equal(rc.sentiment, ra->sentiment, 1e-6);
        assert_float_equal(rc.politeness, ra->politeness, 1e-6);
    }
}

#include "peer_pairs.inc"

/* Presence of each mechanism (level > 0) on the peer-support pairs, as
 * held-out EPITOME sets are scored, through the rules + model blend: the
 * customer-service heads (trained on one small domain) may not push any
 * mechanism's presence F1 below 0.85. Runs on the rules without
 * HEARD_MODELS. */
static void peer_pairs_presence(void **state)
{
    fixture *f = *state;
    size_t n = sizeof peer_pairs / sizeof peer_pairs[0];
    assert_true(n >= 80);
    size_t tp[3] = {0}, fp[3] = {0}, fn[3] = {0};
    for (size_t i = 0; i < n; i++) {
        const heard_turn_result *x = social_reply(f, peer_pairs[i].post, peer_pairs[i].reply);
        const int pred[3] = {x->emotional_reaction > 0, x->interpretation > 0,
                             x->exploration > 0};
        const int gold[3] = {peer_pairs[i].er, peer_pairs[i].ip, peer_pairs[i].ex};
        for (int k = 0; k < 3; k++) {
            tp[k] += pred[k] && gold[k];
            fp[k] += pred[k] && !gold[k];
            fn[k] += !pred[k] && gold[k];
        }
    }
    double f1s[3];
    for (int k = 0; k < 3; k++)
        f1s[k] = 2.0 * (double)tp[k] / (double)(2 * tp[k] + fp[k] + fn[k]);
    /* quoted in MODELS.md and the README */
    print_message("peer pairs presence F1: reaction %.3f, interpretation %.3f, "
                  "exploration %.3f\n", f1s[0], f1s[1], f1s[2]);
    for (int k = 0; k < 3; k++) {
        double f1 = f1s[k];
        if (f1 < 0.85)
            fail_msg("mechanism %d: presence F1 %.2f (tp %zu fp %zu fn %zu)", k, f1, tp[k],
                     fp[k], fn[k]);
    }
}

#include "peer_levels.inc"

/* Levels, not only presence: 3-class macro-F1 of each mechanism on the
 * second peer-support set (the held-out peer-support replies are scored
 * this way). Floors well below today's figures (quoted in MODELS.md). */
static void peer_levels_macro_f1(void **state)
{
    fixture *f = *state;
    size_t n = sizeof peer_levels / sizeof peer_levels[0];
    assert_int_equal(n, 30);
    unsigned cm[3][3][3] = {{{0}}}; /* mechanism, gold, predicted */
    for (size_t i = 0; i < n; i++) {
        const struct peer_level *pl = &peer_levels[i];
        const heard_turn_result *x = social_reply(f, pl->post, pl->reply);
        cm[0][pl->er][x->emotional_reaction]++;
        cm[1][pl->ip][x->interpretation]++;
        cm[2][pl->ex][x->exploration]++;
    }
    double m[3];
    for (int k = 0; k < 3; k++) {
        double sum = 0;
        int classes = 0;
        for (int c = 0; c < 3; c++) {
            unsigned tp = cm[k][c][c], fp = 0, fn = 0;
            for (int o = 0; o < 3; o++)
                if (o != c) {
                    fp += cm[k][o][c];
                    fn += cm[k][c][o];
                }
            if (tp + fp + fn == 0)
                continue;
            sum += 2.0 * tp / (2.0 * tp + fp + fn);
            classes++;
        }
        m[k] = sum / classes;
    }
    print_message("peer levels macro-F1: reaction %.3f, interpretation %.3f, exploration %.3f\n",
                  m[0], m[1], m[2]);
    for (int k = 0; k < 3; k++)
        if (m[k] < 0.55)
            fail_msg("mechanism %d: 3-class macro-F1 %.3f", k, m[k]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(negation),
        cmocka_unit_test(sarcasm),
        cmocka_unit_test(short_turns),
        cmocka_unit_test(emoji),
        cmocka_unit_test(urgency_and_bids),
        cmocka_unit_test(polite_formula_no_empathy),
        cmocka_unit_test(empathy_without_formula),
        cmocka_unit_test(procedural_vs_exploring),
        cmocka_unit_test(warm_specific_vs_generic),
        cmocka_unit_test(dismissive),
        cmocka_unit_test(non_apology_and_settled_dismissive),
        cmocka_unit_test(acknowledged_hurry),
        cmocka_unit_test(needs_question_and_well_wish),
        cmocka_unit_test(check_in_is_generic),
        cmocka_unit_test(strong_reaction_by_rules),
        cmocka_unit_test(invariants_with_model),
        cmocka_unit_test_setup_teardown(hard_cases_with_model, setup_model, teardown),
        cmocka_unit_test_setup_teardown(model_evidence_is_content, setup_model, teardown),
        cmocka_unit_test_setup_teardown(text_heads_ignore_speaker, setup_model, teardown),
        cmocka_unit_test_setup_teardown(peer_pairs_presence, setup_model, teardown),
        cmocka_unit_test_setup_teardown(peer_levels_macro_f1, setup_model, teardown),
        cmocka_unit_test_setup_teardown(plain_requests_not_urgent, setup_model, teardown),
        cmocka_unit_test_setup_teardown(complaints_have_their_emotion, setup_model, teardown),
        cmocka_unit_test_setup_teardown(plain_openings_are_not_bids, setup_model, teardown),
        cmocka_unit_test_setup_teardown(plain_openings_are_not_bids, setup_rules, teardown),
        cmocka_unit_test_setup_teardown(rule_keywords_follow_the_model, setup_model, teardown),
        cmocka_unit_test_setup_teardown(rule_keywords_follow_the_model, setup_rules, teardown),
        cmocka_unit_test_setup_teardown(sarcasm_needs_a_bad_situation, setup_model, teardown),
        cmocka_unit_test_setup_teardown(requests_are_not_bid_cues, setup_model, teardown),
        cmocka_unit_test_setup_teardown(requests_are_not_bid_cues, setup_rules, teardown),
        cmocka_unit_test_setup_teardown(dismissive_phrases_need_their_sense, setup_model, teardown),
        cmocka_unit_test_setup_teardown(dismissive_phrases_need_their_sense, setup_rules, teardown),
        cmocka_unit_test_setup_teardown(everyday_warmth_is_weak, setup_model, teardown),
        cmocka_unit_test_setup_teardown(everyday_warmth_is_weak, setup_rules, teardown),
        cmocka_unit_test_setup_teardown(sarcasm_needs_a_bad_situation, setup_rules, teardown),
        cmocka_unit_test_setup_teardown(shared_experience_is_strong, setup_model, teardown),
        cmocka_unit_test_setup_teardown(shared_experience_is_strong, setup_rules, teardown),
        cmocka_unit_test_setup_teardown(shared_experience_idioms, setup_model, teardown),
        cmocka_unit_test_setup_teardown(shared_experience_idioms, setup_rules, teardown),
        cmocka_unit_test_setup_teardown(support_offers_are_reactions, setup_rules, teardown),
        cmocka_unit_test_setup_teardown(generic_understanding_is_weak, setup_model, teardown),
        cmocka_unit_test_setup_teardown(generic_understanding_is_weak, setup_rules, teardown),
        cmocka_unit_test_setup_teardown(checkins_and_reassurance, setup_model, teardown),
        cmocka_unit_test_setup_teardown(checkins_and_reassurance, setup_rules, teardown),
        cmocka_unit_test_setup_teardown(advice_questions_explore_nothing, setup_model, teardown),
        cmocka_unit_test_setup_teardown(advice_questions_explore_nothing, setup_rules, teardown),
        cmocka_unit_test_setup_teardown(own_experience_is_interpretation, setup_model, teardown),
        cmocka_unit_test_setup_teardown(own_experience_is_interpretation, setup_rules, teardown),
        cmocka_unit_test_setup_teardown(questions_are_not_interpretation, setup_model, teardown),
        cmocka_unit_test_setup_teardown(questions_are_not_interpretation, setup_rules, teardown),
        cmocka_unit_test_setup_teardown(everyday_phrasings, setup_rules, teardown),
        cmocka_unit_test_setup_teardown(informal_phrasings, setup_rules, teardown),
        cmocka_unit_test_setup_teardown(peer_support_interpretations, setup_model, teardown),
        cmocka_unit_test_setup_teardown(peer_support_interpretations, setup_rules, teardown),
        cmocka_unit_test_setup_teardown(peer_support_reactions, setup_model, teardown),
        cmocka_unit_test_setup_teardown(peer_support_reactions, setup_rules, teardown),
        cmocka_unit_test_setup_teardown(dismissive_needs_something_to_dismiss, setup_model,
                                        teardown),
        cmocka_unit_test_setup_teardown(strong_reaction_weakened_by_model, setup_model,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, setup_rules, teardown);
}

/* test_conversation.c - opportunities (which reply judges a bid or an
 * urgent turn, met or missed), scores, felt-heard and flags, on small
 * conversations built for each rule. Rules only (no model directory), so
 * the expectations do not move when the shipped model is retrained. */
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
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    heard_error err;
    if (!f || heard_analyzer_new(NULL, &f->an, &err) != HEARD_OK ||
        heard_workspace_new(f->an, &f->ws, &err) != HEARD_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    heard_result_free(f->res);
    heard_workspace_free(f->ws);
    heard_analyzer_free(f->an);
    free(f);
    return 0;
}

/* turns are "c:text" / "a:text"; at[i] seconds or HEARD_NO_TIME when at is NULL */
static const heard_result *run(fixture *f, heard_channel ch, const char *const *turns, size_t n,
                               const int64_t *at)
{
    heard_turn_in in[16];
    assert_true(n <= 16);
    for (size_t i = 0; i < n; i++) {
        in[i].speaker = turns[i][0] == 'a' ? HEARD_AGENT : HEARD_CUSTOMER;
        in[i].text = turns[i] + 2;
        in[i].len = strlen(turns[i] + 2);
        in[i].at = at ? at[i] : HEARD_NO_TIME;
    }
    heard_conversation_in c = {ch, in, n};
    heard_result_free(f->res);
    f->res = NULL;
    heard_error err;
    assert_int_equal(heard_analyze(f->an, f->ws, &c, &f->res, &err), HEARD_OK);
    const heard_result *r = f->res;
    assert_true(r->empathy_score >= 0 && r->empathy_score <= 100);
    assert_true(r->politeness_score >= 0 && r->politeness_score <= 100);
    assert_true(r->felt_heard >= 1.0f && r->felt_heard <= 5.0f);
    return r;
}

static const heard_opportunity *opp(const heard_result *r, size_t turn, heard_opp_kind kind)
{
    for (size_t i = 0; i < r->n_opportunities; i++)
        if (r->opportunities[i].turn == turn && r->opportunities[i].kind == kind)
            return &r->opportunities[i];
    return NULL;
}

static void polite_not_empathetic(void **state)
{
    fixture *f = *state;
    const char *const t[] = {
        "c:I've been without heating for four days with a newborn and I'm at my wits' end.",
        "a:Thank you for contacting us, we apologise for the inconvenience. Please provide your "
        "account number.",
        "c:It's 4471-2209.",
        "a:Thank you. An engineer will be in touch."};
    const heard_result *r = run(f, HEARD_CHAT, t, 4, NULL);
    const heard_opportunity *o = opp(r, 0, HEARD_OPP_BID);
    assert_non_null(o);
    /* the formula apology is the polite answer that ignores the customer:
     * the bid is missed, and the flag says so for the conversation */
    assert_false(o->met);
    assert_int_equal(o->response_turn, 1);
    assert_int_equal(r->turns[1].emotional_reaction, 1);
    assert_true(r->flags & HEARD_FLAG_POLITE_NOT_EMPATHETIC);
    assert_true(r->felt_heard < 3.0f);
    assert_false(r->flags & HEARD_FLAG_DISMISSIVE);
    assert_true(r->politeness_score > 50);
    assert_true(r->empathy_score < 50);
}

/* Courteous means formulas (greetings, thanks, apologies), not a polite
 * tone: a brisk agent who answers a hurried customer with action and
 * civil questions is not polite_not_empathetic; the same conversation with
 * the formulas is. */
static void brisk_agent_is_not_polite_not_empathetic(void **state)
{
    fixture *f = *state;
    const char *const brisk[] = {
        "c:The card machine is down and I'm turning customers away at the till, it's a "
        "nightmare. Please be quick!",
        "a:Right, let's be quick. Could you give me the account number?",
        "c:B-4419.",
        "a:Got it, I've switched your hub to the 4G backup now, so it'll be live in two "
        "minutes. Would you mind trying a card then?"};
    const heard_result *r = run(f, HEARD_CHAT, brisk, 4, NULL);
    assert_true(r->turns[0].bid);
    assert_false(opp(r, 0, HEARD_OPP_BID)->met);
    assert_true(r->turns[1].politeness > 0.15f); /* the tone passes */
    assert_true(r->turns[3].ownership);
    assert_false(r->flags & HEARD_FLAG_POLITE_NOT_EMPATHETIC);

    const char *const formula[] = {
        brisk[0],
        "a:Thank you for contacting us, we apologise for the inconvenience. Could you give me "
        "the account number?",
        "c:B-4419.", "a:Thank you. An engineer will look into it."};
    r = run(f, HEARD_CHAT, formula, 4, NULL);
    assert_true(r->flags & HEARD_FLAG_POLITE_NOT_EMPATHETIC);
}

static void empathy_met(void **state)
{
    fixture *f = *state;
    const char *const t[] = {
        "c:This is my third call about the broadband and it's still dropping out. I'm fed up.",
        "a:Three calls and still no fix \xe2\x80\x94 no wonder you're fed up. I'm booking an "
        "engineer for 8am tomorrow.",
        "c:Oh thank god, thank you so much."};
    const heard_result *r = run(f, HEARD_CHAT, t, 3, NULL);
    const heard_opportunity *o = opp(r, 0, HEARD_OPP_BID);
    assert_non_null(o);
    assert_true(o->met);
    o = opp(r, 0, HEARD_OPP_URGENCY);
    assert_non_null(o);
    assert_true(o->met);
    assert_false(r->flags & HEARD_FLAG_POLITE_NOT_EMPATHETIC);
    assert_true(r->empathy_score >= 70);
    assert_true(r->felt_heard >= 3.5f);
    assert_true(r->flags & HEARD_FLAG_DE_ESCALATED);
}

static void hurried_brief_action_met(void **state)
{
    fixture *f = *state;
    const char *const t[] = {
        "c:Flight leaves in 3 hours and roaming is blocked. Need it on ASAP.",
        "a:Done \xe2\x80\x94 I've switched roaming on now, it'll work within 5 minutes."};
    const heard_result *r = run(f, HEARD_CHAT, t, 2, NULL);
    assert_int_equal(r->turns[0].urgency, 2);
    const heard_opportunity *o = opp(r, 0, HEARD_OPP_URGENCY);
    assert_non_null(o);
    assert_true(o->met);
    assert_true(r->turns[1].ownership);
}

static void hurried_scripted_paragraph_missed(void **state)
{
    fixture *f = *state;
    const char *const t[] = {
        "c:Flight leaves in 3 hours and roaming is blocked. Need it on ASAP.",
        "a:Thank you so much for reaching out to us today, and I am so sorry to hear about the "
        "trouble with your roaming. I understand how important it is to stay connected while "
        "travelling, and we truly value you as a customer. Your satisfaction is our top "
        "priority and we appreciate your patience while we look into this for you."};
    const heard_result *r = run(f, HEARD_CHAT, t, 2, NULL);
    const heard_opportunity *o = opp(r, 0, HEARD_OPP_URGENCY);
    assert_non_null(o);
    assert_false(o->met);
    assert_int_equal(o->response_turn, 1);
    assert_false(r->turns[1].ownership);
}

/* The customer has the last word: the bid is an opportunity nobody could
 * answer yet (written "unanswered"), not met, and not held against the
 * agent's empathy score. */
static void no_reply_unanswered(void **state)
{
    fixture *f = *state;
    const char *const t[] = {"a:Hello, how can I help?",
                             "c:My mum is in hospital and I'm so stressed, I can't pay this bill."};
    const heard_result *r = run(f, HEARD_PHONE, t, 2, NULL);
    const heard_opportunity *o = opp(r, 1, HEARD_OPP_BID);
    assert_non_null(o);
    assert_false(o->met);
    assert_int_equal(o->response_turn, -1);
    assert_false(heard_opportunity_missed(o));
    int alone = r->empathy_score;
    /* the same agent turn after an answered bid that it missed scores lower */
    const char *const t2[] = {"c:My mum is in hospital and I'm so stressed, I can't pay this bill.",
                              "a:Hello, how can I help?"};
    r = run(f, HEARD_PHONE, t2, 2, NULL);
    o = opp(r, 0, HEARD_OPP_BID);
    assert_non_null(o);
    assert_false(o->met);
    assert_int_equal(o->response_turn, 1);
    assert_true(heard_opportunity_missed(o));
    assert_true(r->empathy_score < alone);
}

static void consecutive_customer_turns_share_reply(void **state)
{
    fixture *f = *state;
    const char *const t[] = {"c:I'm really worried, my card was stolen.", "c:Hello??",
                             "a:That must be frightening. I've blocked the card now."};
    const heard_result *r = run(f, HEARD_CHAT, t, 3, NULL);
    const heard_opportunity *o = opp(r, 0, HEARD_OPP_BID);
    assert_non_null(o);
    assert_int_equal(o->response_turn, 2);
    assert_true(o->met);
}

static void dismissive_flag(void **state)
{
    fixture *f = *state;
    const char *const t[] = {"c:You've cut me off for no reason and I'm furious!",
                             "a:Calm down, that's our policy."};
    const heard_result *r = run(f, HEARD_CHAT, t, 2, NULL);
    assert_true(r->turns[1].dismissive);
    assert_true(r->flags & HEARD_FLAG_DISMISSIVE);
    assert_true(r->empathy_score <= 30);
    assert_true(r->felt_heard < 2.5f);
}

static void urgent_wait(void **state)
{
    fixture *f = *state;
    const char *const t[] = {"c:My rent is due today and you've taken the payment twice, fix it now!",
                             "a:I've refunded the duplicate payment, it'll show within the hour."};
    const int64_t slow[] = {1000, 1000 + 600};
    const heard_result *r = run(f, HEARD_CHAT, t, 2, slow);
    assert_int_equal(r->turns[0].urgency, 2);
    assert_true(r->turns[1].has_wait);
    assert_int_equal(r->turns[1].wait_seconds, 600);
    assert_true(r->flags & HEARD_FLAG_URGENT_WAIT);
    const int64_t quick[] = {1000, 1030};
    r = run(f, HEARD_CHAT, t, 2, quick);
    assert_false(r->flags & HEARD_FLAG_URGENT_WAIT);
    /* ten minutes is fine for an e-mail */
    r = run(f, HEARD_EMAIL, t, 2, slow);
    assert_false(r->flags & HEARD_FLAG_URGENT_WAIT);
    /* no times, no flag */
    r = run(f, HEARD_CHAT, t, 2, NULL);
    assert_false(r->flags & HEARD_FLAG_URGENT_WAIT);
}

static void routine_no_opportunities(void **state)
{
    fixture *f = *state;
    const char *const t[] = {"c:Hi, can I change the email address on my account please?",
                             "a:Of course. I've updated it now, you'll get a confirmation email "
                             "within 5 minutes.",
                             "c:Great, thanks!"};
    const heard_result *r = run(f, HEARD_CHAT, t, 3, NULL);
    assert_int_equal(r->n_opportunities, 0);
    assert_null(r->opportunities);
    assert_true(r->empathy_score >= 55);
    assert_int_equal(r->flags & (HEARD_FLAG_POLITE_NOT_EMPATHETIC | HEARD_FLAG_DISMISSIVE |
                                 HEARD_FLAG_URGENT_WAIT | HEARD_FLAG_ESCALATED),
                     0);
    assert_true(r->felt_heard >= 3.0f);
}

/* "ok" after an angry message is no de-escalation: a neutral last turn
 * shows no change of mood; real relief still is. */
static void neutral_ok_is_no_de_escalation(void **state)
{
    fixture *f = *state;
    const char *const t[] = {"c:my parcel is lost AGAIN \xf0\x9f\x98\xa1",
                             "a:Please send your order number.", "c:ok"};
    const heard_result *r = run(f, HEARD_CHAT, t, 3, NULL);
    assert_int_equal(r->turns[2].emotion_labels, 1u << (HEARD_N_EMOTIONS - 1));
    assert_false(r->flags & (HEARD_FLAG_DE_ESCALATED | HEARD_FLAG_ESCALATED));
    const char *const u[] = {"c:my parcel is lost AGAIN \xf0\x9f\x98\xa1",
                             "a:I've sent a replacement by express, it arrives tomorrow.",
                             "c:oh thank you so much, that's brilliant!"};
    r = run(f, HEARD_CHAT, u, 3, NULL);
    assert_true(r->flags & HEARD_FLAG_DE_ESCALATED);
}

/* A follow-up that only carries the urgency of the turn before it
 * ("urgency.context" evidence) is no urgency opportunity of its own. */
static void carried_urgency_no_own_opportunity(void **state)
{
    fixture *f = *state;
    const char *const t[] = {"c:I need the replacement card today, my rent is due tomorrow!",
                             "c:The account number is 4471.",
                             "a:I've sent the card by courier now, it will reach you by 5pm today."};
    const heard_result *r = run(f, HEARD_CHAT, t, 3, NULL);
    assert_int_equal(r->turns[0].urgency, 2);
    assert_int_equal(r->turns[1].urgency, 2);
    assert_non_null(opp(r, 0, HEARD_OPP_URGENCY));
    assert_null(opp(r, 1, HEARD_OPP_URGENCY));
    size_t own = 0;
    for (size_t i = 0; i < r->n_opportunities; i++)
        own += r->opportunities[i].turn == 1;
    assert_int_equal(own, r->turns[1].bid ? 1 : 0);
}

static void escalation(void **state)
{
    fixture *f = *state;
    const char *const t[] = {"c:Hi, quick question about my bill, thanks.",
                             "a:You should have read the terms. Nothing I can do.",
                             "c:Unbelievable. This is absolutely disgraceful, I'm furious."};
    const heard_result *r = run(f, HEARD_CHAT, t, 3, NULL);
    assert_true(r->flags & HEARD_FLAG_ESCALATED);
    assert_false(r->flags & HEARD_FLAG_DE_ESCALATED);
    assert_true(r->flags & HEARD_FLAG_DISMISSIVE);
}

static void empty_conversation(void **state)
{
    fixture *f = *state;
    const heard_result *r = run(f, HEARD_CHAT, NULL, 0, NULL);
    assert_int_equal(r->n_turns, 0);
    assert_int_equal(r->n_opportunities, 0);
    assert_int_equal(r->flags, 0);
}

#include "peer_pairs.inc"

/* F1 of "mechanism present" (level > 0) over the pairs, as held-out
 * peer-support sets are scored; the floors leave room for rule tweaks but
 * fail if a mechanism's vocabulary breaks. */
static void peer_support_mechanisms(void **state)
{
    fixture *f = *state;
    size_t n = sizeof peer_pairs / sizeof peer_pairs[0];
    assert_true(n >= 40);
    size_t tp[3] = {0}, fp[3] = {0}, fn[3] = {0};
    for (size_t i = 0; i < n; i++) {
        char c[512], a[512];
        snprintf(c, sizeof c, "c:%s", peer_pairs[i].post);
        snprintf(a, sizeof a, "a:%s", peer_pairs[i].reply);
        const char *const t[] = {c, a};
        const heard_result *r = run(f, HEARD_SOCIAL, t, 2, NULL);
        const heard_turn_result *x = &r->turns[1];
        const int pred[3] = {x->emotional_reaction > 0, x->interpretation > 0, x->exploration > 0};
        const int gold[3] = {peer_pairs[i].er, peer_pairs[i].ip, peer_pairs[i].ex};
        for (int k = 0; k < 3; k++) {
            tp[k] += pred[k] && gold[k];
            fp[k] += pred[k] && !gold[k];
            fn[k] += !pred[k] && gold[k];
        }
    }
    const double floor_f1[3] = {0.80, 0.75, 0.85};
    for (int k = 0; k < 3; k++) {
        double f1 = 2.0 * (double)tp[k] / (double)(2 * tp[k] + fp[k] + fn[k]);
        if (f1 < floor_f1[k])
            fail_msg("mechanism %d: F1 %.2f (tp %zu fp %zu fn %zu)", k, f1, tp[k], fp[k], fn[k]);
    }
}

/* Advice without warmth, understanding or questions shows no mechanism. */
static void peer_support_advice_only(void **state)
{
    fixture *f = *state;
    const char *const t[] = {"c:I just feel empty all the time.",
                             "a:Exercise helps a lot. Try going for a walk every day."};
    const heard_result *r = run(f, HEARD_SOCIAL, t, 2, NULL);
    assert_int_equal(r->turns[1].emotional_reaction, 0);
    assert_int_equal(r->turns[1].interpretation, 0);
    assert_int_equal(r->turns[1].exploration, 0);
    const heard_opportunity *o = opp(r, 0, HEARD_OPP_BID);
    assert_non_null(o);
    assert_false(o->met);
}

/* A hurried customer: acknowledging the hurry with a concrete action and
 * time meets the urgency even without "I'll"; a sympathy paragraph does not. */
static void urgency_met_by_concrete_action(void **state)
{
    fixture *f = *state;
    static const char *const replies[] = {
        "a:I know you're short on time, so quickly: the confirmation is going out now and will "
        "be with you in 10 minutes.",
        "a:An engineer is on it and will call you within 30 minutes.",
        "a:Passing this to the payments team right now, you'll have the confirmation by 2pm."};
    for (size_t i = 0; i < sizeof replies / sizeof replies[0]; i++) {
        const char *const t[] = {"c:I need the refund confirmation by 3pm today or I lose the flat!!",
                                 replies[i]};
        const heard_result *r = run(f, HEARD_CHAT, t, 2, NULL);
        const heard_opportunity *o = opp(r, 0, HEARD_OPP_URGENCY);
        assert_non_null(o);
        assert_true(o->met);
    }
    const char *const t[] = {
        "c:I need the refund confirmation by 3pm today or I lose the flat!!",
        "a:Thank you so much for reaching out to us today. I completely understand how stressful "
        "this must be, and I am so sorry to hear about the situation with your flat. We truly "
        "value you as a customer and your satisfaction is our top priority. We appreciate your "
        "patience while we look into this."};
    const heard_result *r = run(f, HEARD_CHAT, t, 2, NULL);
    const heard_opportunity *o = opp(r, 0, HEARD_OPP_URGENCY);
    assert_non_null(o);
    assert_false(o->met);
}

/* Courteous but never in substance: flagged; one substantive reply later
 * in the conversation clears the flag. */
static void polite_flag_needs_substance(void **state)
{
    fixture *f = *state;
    const char *const t[] = {
        "c:I'm so stressed, my mum is in hospital and now the bill has doubled.",
        "a:Thank you for contacting us. I understand. Please confirm your account number.",
        "c:It's 5520-1187.",
        "a:Thank you, I have updated the account. Have a lovely day."};
    const heard_result *r = run(f, HEARD_CHAT, t, 4, NULL);
    assert_true(r->turns[0].bid);
    assert_true(r->flags & HEARD_FLAG_POLITE_NOT_EMPATHETIC);
    const char *const t2[] = {
        "c:I'm so stressed, my mum is in hospital and now the bill has doubled.",
        "a:Thank you for contacting us. Please confirm your account number.",
        "c:It's 5520-1187.",
        "a:Thanks. With your mum in hospital, a doubled bill is the last thing you need, no "
        "wonder you're stressed. I've put the account on hold while we fix the bill."};
    r = run(f, HEARD_CHAT, t2, 4, NULL);
    assert_false(r->flags & HEARD_FLAG_POLITE_NOT_EMPATHETIC);
}

/* Felt heard orders the kinds of agent: substantive and owning above
 * polite formula above dismissive. */
static void felt_heard_orders_agents(void **state)
{
    fixture *f = *state;
    const char *cust = "c:This is the third time I've called, the heating is still broken and "
                       "I'm really worried about my baby.";
    const char *const good[] = {cust, "a:Three calls and a cold house with a baby, no wonder "
                                      "you're worried. I've booked an engineer for 8am tomorrow "
                                      "and I'll ring you tonight to confirm."};
    const char *const polite[] = {cust, "a:Thank you for contacting us, we apologise for the "
                                        "inconvenience. Please provide your account number."};
    const char *const rude[] = {cust, "a:Calm down, that's our policy. Nothing I can do."};
    float fh_good = run(f, HEARD_CHAT, good, 2, NULL)->felt_heard;
    float fh_polite = run(f, HEARD_CHAT, polite, 2, NULL)->felt_heard;
    float fh_rude = run(f, HEARD_CHAT, rude, 2, NULL)->felt_heard;
    assert_true(fh_good > fh_polite + 0.5f);
    assert_true(fh_polite > fh_rude);
    assert_true(fh_good >= 3.5f);
    assert_true(fh_rude < 2.5f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(polite_not_empathetic),
        cmocka_unit_test(brisk_agent_is_not_polite_not_empathetic),
        cmocka_unit_test(empathy_met),
        cmocka_unit_test(hurried_brief_action_met),
        cmocka_unit_test(hurried_scripted_paragraph_missed),
        cmocka_unit_test(no_reply_unanswered),
        cmocka_unit_test(consecutive_customer_turns_share_reply),
        cmocka_unit_test(dismissive_flag),
        cmocka_unit_test(urgent_wait),
        cmocka_unit_test(routine_no_opportunities),
        cmocka_unit_test(carried_urgency_no_own_opportunity),
        cmocka_unit_test(escalation),
        cmocka_unit_test(neutral_ok_is_no_de_escalation),
        cmocka_unit_test(empty_conversation),
        cmocka_unit_test(peer_support_mechanisms),
        cmocka_unit_test(peer_support_advice_only),
        cmocka_unit_test(urgency_met_by_concrete_action),
        cmocka_unit_test(polite_flag_needs_substance),
        cmocka_unit_test(felt_heard_orders_agents),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

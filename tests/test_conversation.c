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

static void no_reply_missed(void **state)
{
    fixture *f = *state;
    const char *const t[] = {"a:Hello, how can I help?",
                             "c:My mum is in hospital and I'm so stressed, I can't pay this bill."};
    const heard_result *r = run(f, HEARD_PHONE, t, 2, NULL);
    const heard_opportunity *o = opp(r, 1, HEARD_OPP_BID);
    assert_non_null(o);
    assert_false(o->met);
    assert_int_equal(o->response_turn, -1);
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
    assert_true(r->empathy_score >= 55);
    assert_int_equal(r->flags & (HEARD_FLAG_POLITE_NOT_EMPATHETIC | HEARD_FLAG_DISMISSIVE |
                                 HEARD_FLAG_URGENT_WAIT | HEARD_FLAG_ESCALATED),
                     0);
    assert_true(r->felt_heard >= 3.0f);
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

/* Peer-support style pairs (seeker post, reply) written for heard, with the
 * EPITOME mechanisms each reply shows (present or not): emotional reaction,
 * interpretation (including shared experience), exploration. Invented text. */
static const struct peer_pair {
    const char *post, *reply;
    int er, ip, ex;
} peer_pairs[] = {
    {"I failed my driving test for the third time today and I just feel like a complete failure.",
     "I'm so sorry, that's really disheartening. I failed mine twice too before I passed, so I know how crushing it feels.", 1, 1, 0},
    {"My dog died this morning. He was 14 and I had him since I was a kid.",
     "Oh no, I'm so sorry for your loss. Fourteen years is a lifetime of memories. Sending hugs.", 1, 0, 0},
    {"I can't sleep, my mind keeps racing about everything I have to do at work.",
     "What is it about work that's weighing on you the most right now?", 0, 0, 1},
    {"Everyone in my family forgot my birthday again.",
     "That sounds really lonely. It must hurt to feel invisible to the people closest to you.", 1, 1, 0},
    {"I've been so anxious lately I can barely leave the house.",
     "Have you been able to talk to anyone about the anxiety, like a doctor or a friend?", 0, 0, 1},
    {"My girlfriend broke up with me over text after three years.",
     "Over text after three years? That's brutal. You deserve so much better than that.", 1, 0, 0},
    {"I feel like nobody at school even notices me.",
     "I've been there. In high school I ate lunch alone most days and it felt like I was invisible.", 0, 1, 0},
    {"I lost my job today and I don't know how I'm going to pay rent.",
     "Check if you qualify for unemployment benefits and apply as soon as possible.", 0, 0, 0},
    {"I'm so tired of pretending I'm okay all the time.",
     "How long have you been feeling like you have to hide it?", 0, 0, 1},
    {"My mom is in the hospital and the doctors won't tell us anything.",
     "That must be terrifying, not knowing. I hope she pulls through and you get some answers soon.", 1, 1, 0},
    {"I relapsed after 8 months clean.",
     "Eight months is still eight months, that counts. What do you think led up to it?", 0, 0, 1},
    {"I just feel empty all the time.",
     "Exercise helps a lot. Try going for a walk every day.", 0, 0, 0},
    {"I got rejected from every college I applied to.",
     "Ugh, that really sucks. I'm sorry. Rejection like that hurts.", 1, 0, 0},
    {"My best friend stopped talking to me and I don't know why.",
     "Did something happen between you two recently, or did it come out of nowhere?", 0, 0, 1},
    {"I keep having panic attacks at work.",
     "I get panic attacks too and I know how scary they are, especially when you can't just leave.", 0, 1, 0},
    {"I feel like I'm a burden to everyone around me.",
     "You're not a burden. I'm glad you posted this, and I'm here if you want to talk.", 1, 0, 0},
    {"My parents are getting divorced and I feel like it's my fault.",
     "It sounds like you're carrying a lot of guilt for something that isn't on you.", 0, 1, 0},
    {"I haven't left my room in a week.",
     "Are you okay? What's been going on?", 0, 0, 1},
    {"I was diagnosed with depression today.",
     "Hang in there. Getting a diagnosis is the first step.", 1, 0, 0},
    {"I think my husband is cheating on me.",
     "What makes you think that? Has something changed between you?", 0, 0, 1},
    {"I miss my grandpa so much, it's been a year since he passed.",
     "I lost my grandma last year too and I still cry about her sometimes. Grief doesn't follow a schedule.", 0, 1, 0},
    {"I'm scared I'll never find someone who loves me.",
     "<3 you will. Hugs.", 1, 0, 0},
    {"My boss yelled at me in front of everyone today.",
     "That's awful and humiliating. Nobody deserves to be treated like that at work.", 1, 0, 0},
    {"I feel so alone since I moved to a new city.",
     "Moving is hard. Have you found any groups or clubs you could join to meet people?", 0, 0, 1},
    {"My anxiety is ruining my relationship.",
     "Same here, honestly. My anxiety made me push my partner away for years.", 0, 1, 0},
    {"I can't stop crying and I don't even know why.",
     "Sometimes that happens. Drink some water and get some sleep.", 0, 0, 0},
    {"I was bullied all through middle school and it still affects me.",
     "I'm really sorry you went through that. Do you want to talk about what happened?", 1, 0, 1},
    {"Nobody replied to my post last time.",
     "I'm replying now. How are you feeling today?", 0, 0, 1},
    {"I feel like I wasted my twenties.",
     "I felt exactly the same way when I turned thirty. It gets better, I promise.", 1, 1, 0},
    {"My cat has cancer and I can't afford the treatment.",
     "That's heartbreaking, I'm so sorry. I feel for you.", 1, 0, 0},
    {"I'm exhausted from taking care of my sick dad.",
     "Caring for a parent is exhausting. It seems like you've been giving everything and getting nothing back.", 0, 1, 0},
    {"Therapy isn't working for me.",
     "What kind of therapy have you tried so far, and how long have you been going?", 0, 0, 1},
    {"I hate my body.",
     "Post a picture and people will tell you you look fine.", 0, 0, 0},
    {"Today was the anniversary of my brother's death.",
     "I'm so sorry. Anniversaries are so hard. How are you holding up?", 1, 0, 1},
    {"I got fired for something that wasn't my fault.",
     "That's so unfair. You must be furious.", 1, 1, 0},
    {"I think I have an eating disorder but I'm scared to tell anyone.",
     "It takes courage to even say that here. Is there someone you trust that you could talk to?", 1, 0, 1},
    {"I'm graduating but I have no idea what to do with my life.",
     "Honestly most people don't. Just apply to a few jobs and see what sticks.", 0, 0, 0},
    {"I feel numb since the accident.",
     "I can relate. After my car accident I felt numb for months. It does fade.", 0, 1, 0},
    {"My friends always cancel plans on me.",
     "That sounds really frustrating and hurtful. Do you know why they keep cancelling?", 1, 0, 1},
    {"I had a miscarriage last week.",
     "I am so deeply sorry for your loss. There are no words. Please be gentle with yourself.", 1, 0, 0},
    {"I can't focus on anything anymore.",
     "Maybe try the pomodoro technique, it helped me.", 0, 0, 0},
    {"Everything feels pointless.",
     "I know that feeling all too well. When did it start feeling this way for you?", 0, 1, 1},
    {"I'm being evicted and have nowhere to go.",
     "That's terrifying. Have you contacted a local housing charity? They can sometimes stop an eviction.", 1, 0, 0},
    {"I yelled at my kids today and I feel like a terrible mom.",
     "You're clearly a mom who cares, or you wouldn't feel this bad. We all have days like that.", 0, 1, 0},
    {"I've been self harming again.",
     "Are you safe right now? Do you have anyone with you?", 0, 0, 1},
    {"My dad never said he was proud of me.",
     "That must leave such an ache. I'm sorry you didn't get to hear that from him.", 1, 1, 0},
    {"I feel like I'm going nowhere.",
     "What would 'somewhere' look like for you?", 0, 0, 1},
    {"Got dumped on my birthday lol.",
     "Damn, that's rough. Happy birthday anyway, you deserve a better one next year.", 1, 0, 0},
    {"I think I'm burning out at my new job.",
     "Burnout is real and it creeps up on you. What does a typical day look like for you right now?", 0, 0, 1},
    {"My sister won't speak to me after our fight.",
     "Families are complicated. I had a falling out with my brother that lasted two years, so I get how heavy that silence is.", 0, 1, 0},
    {"I got my exam results and I failed.",
     "That's gutting, I'm sorry. You worked so hard for it.", 1, 1, 0},
    {"I've been feeling really low since Christmas.",
     "Is anything in particular making it harder at the moment, or is it more of a general heaviness?", 0, 0, 1},
    {"I think my friends secretly hate me.",
     "Why do you think that? Did one of them say something?", 0, 0, 1},
    {"I keep messing everything up.",
     "Write a to-do list and stick to it.", 0, 0, 0},
    {"My dad has dementia and doesn't recognise me anymore.",
     "I'm so sorry. That is one of the cruellest things to go through. My nan didn't know who I was at the end and it broke me.", 1, 1, 0},
    {"I feel invisible at home.",
     "You matter. Sending you a big hug.", 1, 0, 0},
    {"I can't afford my medication this month.",
     "Call the pharmacy, some of them have payment plans.", 0, 0, 0},
    {"I was assaulted last year and I still can't sleep.",
     "I'm really sorry that happened to you. It makes sense that your body is still on alert. Have you been able to get any support since?", 1, 1, 1},
    {"I'm 30 and still live with my parents and I feel pathetic.",
     "Plenty of people do, it's nothing to be ashamed of. What's keeping you there right now?", 0, 0, 1},
    {"I think I need to break up with my boyfriend but I'm scared.",
     "What are you most scared of happening if you do?", 0, 0, 1},
    {"My therapist moved away and I feel abandoned.",
     "Losing a therapist you trusted is a real loss. It sounds like she was a big part of your support.", 0, 1, 0},
    {"Nobody came to my graduation.",
     "That must have felt so lonely on a day that should have been about you. I'm sorry.", 1, 1, 0},
    {"I hate how I look in photos.",
     "Just use a filter lol.", 0, 0, 0},
    {"I've been crying every day this week.",
     "That sounds exhausting. Hope tomorrow is a little kinder to you.", 1, 1, 0},
    {"I'm scared of going back to school after what happened.",
     "That's completely understandable. What happened, if you don't mind me asking?", 0, 1, 1},
    {"I miss my ex every single day.",
     "Been there. It took me almost a year before I stopped checking her instagram.", 0, 1, 0},
    {"I feel like giving up.",
     "Please don't give up. Is there someone with you right now?", 1, 0, 1},
    {"My puppy got hit by a car.",
     "Oh my god, I'm so sorry. That's horrific.", 1, 0, 0},
    {"I've been single for 5 years and I'm starting to think something is wrong with me.",
     "Nothing is wrong with you. Dating is just brutal right now. Are you putting yourself out there at all, or has it been more of a pause?", 1, 0, 1},
    {"My mom says I'm lazy because I can't get out of bed.",
     "Depression isn't laziness. It's like your body is made of lead. Does your mom know you've been struggling?", 0, 1, 1},
    {"I'm so stressed about my thesis I can't eat.",
     "Break it into small chunks and set a timer for each one.", 0, 0, 0},
    {"I just found out my dad has a second family.",
     "Wow. I can't even imagine what that's like to find out. How did you find out?", 1, 1, 1},
    {"I think I'm addicted to my phone and it's ruining my life.",
     "Delete the apps for a week and see how you feel.", 0, 0, 0},
    {"I have no friends at uni and everyone already has their groups.",
     "I was exactly like this in first year. It felt like everyone had already found their people. It does get easier once you join a society.", 0, 1, 0},
    {"My grandma passed away this morning.",
     "I'm very sorry for your loss. May she rest in peace.", 1, 0, 0},
    {"I can't stop thinking about the mistake I made at work.",
     "What was the mistake, if you don't mind sharing?", 0, 0, 1},
    {"My partner keeps saying I'm too sensitive.",
     "Being called too sensitive over and over must be really invalidating. It seems like you're starting to doubt your own feelings.", 0, 1, 0},
    {"I'm pregnant and terrified.",
     "Congratulations and also, that's a lot to process. What's scaring you the most?", 0, 1, 1},
    {"I got ghosted after the best date I've ever had.",
     "Ugh, ghosting is the worst. Sorry dude.", 1, 0, 0},
    {"I feel guilty for being happy when my friend is going through a hard time.",
     "You're allowed to be happy. Your friend would probably want that for you.", 0, 0, 0},
    {"I'm losing my hair at 22 and it's killing my confidence.",
     "Same thing happened to me at 23. I shaved it all off eventually and honestly felt better.", 0, 1, 0},
    {"My anxiety is so bad I had to leave class today.",
     "That sounds so hard. Was something specific happening in class or did it come out of nowhere?", 1, 0, 1},
    {"I don't know why I'm even posting this.",
     "I'm glad you did. What's been on your mind?", 1, 0, 1},
    {"I got into my dream school!",
     "Congrats!! You must be so proud.", 0, 1, 0},
    {"Christmas is always awful in my house.",
     "Sorry to hear that. Do you have somewhere else you could go, even for part of the day?", 1, 0, 1},
    {"I think my roommate is stealing from me.",
     "Get a lock for your door.", 0, 0, 0},
    {"I lost 20 pounds but I still hate my body.",
     "I understand that feeling. The number changes but the voice in your head doesn't.", 0, 1, 0},
    {"I'm tired of being the strong friend.",
     "Being everyone's rock is exhausting, and it's lonely when nobody checks on you. Who checks on you?", 1, 1, 1},
};

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
        cmocka_unit_test(empathy_met),
        cmocka_unit_test(hurried_brief_action_met),
        cmocka_unit_test(hurried_scripted_paragraph_missed),
        cmocka_unit_test(no_reply_missed),
        cmocka_unit_test(consecutive_customer_turns_share_reply),
        cmocka_unit_test(dismissive_flag),
        cmocka_unit_test(urgent_wait),
        cmocka_unit_test(routine_no_opportunities),
        cmocka_unit_test(escalation),
        cmocka_unit_test(empty_conversation),
        cmocka_unit_test(peer_support_mechanisms),
        cmocka_unit_test(peer_support_advice_only),
        cmocka_unit_test(urgency_met_by_concrete_action),
        cmocka_unit_test(polite_flag_needs_substance),
        cmocka_unit_test(felt_heard_orders_agents),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

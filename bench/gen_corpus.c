/* gen_corpus.c - writes a deterministic corpus of realistic customer-service
 * conversations (JSONL in the input format of INTERFACE.md) for `make bench`,
 * plus a plain text file with one turn per line for the peer scorers.
 *
 * The text comes from a template grammar with many slots (issues, products,
 * emotions, hardship, deadlines, agent formulas, empathic and dismissive
 * replies, questions) and per-channel noise (typos, emoji, ALL CAPS, phone
 * fillers, long emails), so that the engine sees the mix of lengths and cues
 * of real traffic rather than one sentence repeated. Same seed, same bytes.
 *
 *   bench_gen [--turns N] [--seed S] [--mode corpus|long|email|typical|assist]
 *             [--bytes N] [-o OUT.jsonl] [-t OUT.txt]
 *
 *   corpus   conversations (about 6 turns each) until at least N turns
 *   long     one chat conversation of exactly N turns (default 200)
 *   email    one email conversation with a single customer turn of about
 *            --bytes bytes (default 61440, kept under the 64 KiB turn limit)
 *   typical  the fixed 6-turn chat conversation used for latency and wrk
 *   assist   the same as a POST /v1/assist body: 5 turns and the draft */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(r, a) ((a)[rng_below((r), N_OF(a))])

/* ---- PRNG (splitmix64): fast, seedable, identical on every platform ---- */

typedef struct rng { uint64_t s; } rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static size_t rng_below(rng *r, size_t n) { return (size_t)(rng_next(r) % n); }
static int chance(rng *r, unsigned percent) { return rng_below(r, 100) < percent; }
static long rng_range(rng *r, long lo, long hi) { return lo + (long)rng_below(r, (size_t)(hi - lo + 1)); }

/* ---- growable byte buffer ---- */

typedef struct buf { char *p; size_t len, cap; } buf;

static void buf_reserve(buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        fprintf(stderr, "bench_gen: out of memory\n");
        exit(1);
    }
    b->p = p;
    b->cap = cap;
}

static void buf_put(buf *b, const char *s, size_t n)
{
    buf_reserve(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void buf_puts(buf *b, const char *s) { buf_put(b, s, strlen(s)); }

static void buf_printf(buf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        buf_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* ---- vocabulary ---- */

static const char *const BRANDS[] = {"Acme", "Northwind", "Globex", "Initech", "Umbra Telecom",
                                     "BrightHome", "Zenith Bank", "Parcelo"};
static const char *const CNAMES[] = {"Maria", "James", "Aisha", "Tom", "Priya", "Lukas", "Chen",
                                     "Fatima", "Olivia", "Kwame", "Sofia", "Dmitri", "Emma", "Jorge",
                                     "Hannah", "Yuki", "Liam", "Zara", "Noah", "Ines"};
static const char *const ANAMES[] = {"Sam", "Alex", "Jordan", "Taylor", "Chris", "Jamie", "Morgan",
                                     "Robin", "Casey", "Dana", "Lee", "Kim"};
static const char *const TEAMS[] = {"billing", "technical", "shipping", "accounts", "returns"};
static const char *const PRODUCTS[] = {"internet", "mobile", "streaming", "premium", "family plan",
                                       "broadband", "TV bundle", "cloud storage", "insurance",
                                       "gym membership"};
static const char *const ITEMS[] = {"headphones", "blender", "winter jacket", "phone case", "laptop",
                                    "coffee machine", "running shoes", "sofa", "printer",
                                    "baby stroller", "desk chair", "smartwatch", "vacuum cleaner",
                                    "mattress", "tablet"};
static const char *const APPS[] = {"mobile banking", "Acme", "tracking", "account", "streaming",
                                   "smart home"};
static const char *const DEVICES[] = {"router", "smart TV", "phone", "laptop", "set-top box",
                                      "thermostat", "modem"};
static const char *const ACTIONS[] = {"open my statements", "upload a photo", "pay my bill",
                                      "check out", "log in", "change my plan", "add a card",
                                      "download my invoice"};
static const char *const MONTHS[] = {"January", "February", "March", "April", "May", "June", "July",
                                     "August", "September", "October", "November", "December"};
static const char *const WEEKDAYS[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                       "Saturday", "Sunday"};
static const char *const CURRENCIES[] = {"$", "\xc2\xa3", "\xe2\x82\xac"}; /* $ £ € */
static const char *const PLANS[] = {"Basic", "Plus", "Unlimited", "Family", "Student", "Business"};

typedef enum issue { ISS_BILLING, ISS_SHIPPING, ISS_TECH, ISS_ACCOUNT, ISS_RETURNS, ISS_N } issue;

/* Customer issue statements, one table per issue kind. */
static const char *const ISSUE_BILLING[] = {
    "I was charged twice for my {product} this month",
    "my {product} bill is {amount} higher than last month and nobody told me why",
    "you took {amount} out of my account without asking",
    "I cancelled my {product} subscription in {month} but you're still charging me",
    "there's a {amount} fee on my statement that I don't recognise",
    "my direct debit failed and now there's a late fee of {amount}",
    "I was promised a discount on the {plan} plan and it never showed up",
    "the price went up again without any notice",
};
static const char *const ISSUE_SHIPPING[] = {
    "my order {order} still hasn't arrived",
    "the tracking for order {order} hasn't updated in {n} days",
    "the {item} arrived broken",
    "I got the wrong {item} in my package",
    "the courier says delivered but there's nothing here",
    "my parcel was left out in the rain and the {item} is ruined",
    "order {order} was supposed to come on {weekday} and it's still not here",
    "half of my order is missing, only the {item} came",
};
static const char *const ISSUE_TECH[] = {
    "the {app} app keeps crashing when I try to {action}",
    "I can't log in to my account since the update",
    "my {device} won't connect to the wifi anymore",
    "the internet keeps dropping every {n} minutes",
    "I get error {code} whenever I try to {action}",
    "my {device} has been showing a red light since {weekday}",
    "the speeds I'm getting are nowhere near what I pay for",
    "the {app} app logs me out every time I {action}",
};
static const char *const ISSUE_ACCOUNT[] = {
    "I'm locked out of my account",
    "someone changed my password and it wasn't me",
    "I need to update the address on my account but the website won't let me",
    "my account was closed without any warning",
    "I keep getting verification codes I never asked for",
    "my late husband's account is still active and I don't know how to close it",
    "I can't add my daughter to the {plan} plan",
};
static const char *const ISSUE_RETURNS[] = {
    "I want to return the {item} I bought on {date}",
    "I sent the {item} back {n} weeks ago and still no refund",
    "the refund of {amount} never showed up",
    "the return label you sent doesn't work",
    "you refused my return of the {item} even though it's faulty",
    "I was refunded {amount} instead of the full price",
};

static const char *const CUST_GREET[] = {"Hi", "Hello", "Hey", "Good morning", "hi there", "Hello there",
                                         "Hi team", "Good afternoon", "hey guys", "Hiya"};
static const char *const EMOTION_LINES[] = {
    "I'm really frustrated",
    "this is so stressful",
    "I'm honestly at my wits' end",
    "I'm disappointed, I've been a customer for {n} years",
    "this is ridiculous",
    "I'm so angry right now",
    "I'm scared someone has access to my bank details",
    "I'm confused about what happened",
    "I'm really upset about this",
    "it's been an absolute nightmare",
    "I feel like nobody is listening to me",
    "I'm so tired of chasing this",
    "I'm pretty annoyed to be honest",
    "I'm worried sick about it",
    "this is embarrassing, I had to explain it to my landlord",
    "I'm fed up",
    "I can't believe how badly this has been handled",
    "I'm nervous this will happen again",
};
static const char *const HARDSHIP_LINES[] = {
    "I'm a single mum and money is really tight",
    "I just lost my job so every dollar counts",
    "I'm disabled and can't easily get to a store",
    "my elderly father relies on this to call his doctor",
    "I've already called {n} times and spent hours on hold",
    "I'm recovering from surgery and can't deal with this",
    "I'm a student and that's most of my budget for the week",
    "I've taken a day off work just to sort this out",
    "my mother is in hospital and I need my phone working",
    "I've spent my whole weekend trying to fix it myself",
};
static const char *const DEADLINE_LINES[] = {
    "rent is due tomorrow",
    "I need it by {weekday} for my daughter's birthday",
    "I have a job interview in two hours and need my laptop working",
    "my flight leaves tonight",
    "this needs to be fixed TODAY",
    "asap please",
    "my card payment bounces on {weekday} if this isn't fixed",
    "I work from home and have a deadline at 5pm",
    "I need this sorted before the weekend",
    "my exam is tomorrow morning and I need the internet",
    "it's urgent",
};
static const char *const CUST_QUESTIONS[] = {
    "Can you help?", "What's going on?", "When will I get my money back?",
    "Why does this keep happening?", "Can someone please call me back?", "How do I fix this?",
    "Is there anyone who can actually help?", "What are you going to do about it?",
    "How long is this going to take?", "Can you check what happened?",
};
static const char *const CUST_INFO[] = {
    "My order number is {order}.", "It's {email}.", "The last four digits are {digits4}.",
    "I'm on the {plan} plan.", "I already tried restarting it, twice.",
    "The account is under my name, {cname}.", "I bought it on {date}.",
    "The error says {code}.", "My postcode is {postcode}.", "Yes that's right.",
};
static const char *const CUST_ANGRY[] = {
    "That's not good enough.", "You said that last time!!", "I've been waiting {n} days already.",
    "I want to speak to a manager.", "This is the worst service I've ever had.",
    "Are you even reading what I write?", "Seriously?? {n} days and nothing.",
    "I'm going to cancel everything.", "Don't tell me to be patient.",
    "Every time I contact you I get a different answer.", "I'll be posting about this.",
};
static const char *const CUST_THANKS[] = {
    "Thank you so much, that really helps.", "ok thanks", "Great, appreciate it!",
    "That's a relief, thank you.", "thx", "Perfect", "Thanks for sorting it out so fast.",
    "You've been really kind, thank you.", "ok", "Alright, fine.", "Cheers.",
    "Finally! Thank you.",
};
static const char *const CUST_FOLLOWUP_Q[] = {
    "How long will that take?", "Will I get a confirmation email?", "And what about the late fee?",
    "Can I get that in writing?", "Do I need to do anything else?", "Is that definitely going to work?",
    "What if it happens again?", "hello?", "??", "Anyone there?",
};
static const char *const EMOJI[] = {
    "\xf0\x9f\x98\xa1", /* pouting face */
    "\xf0\x9f\x99\x8f", /* folded hands */
    "\xf0\x9f\x98\x8a", /* smiling face */
    "\xf0\x9f\x91\x8d", /* thumbs up */
    "\xf0\x9f\x98\xa2", /* crying face */
    "\xf0\x9f\xa4\xac", /* face with symbols */
    "\xe2\x9d\xa4\xef\xb8\x8f", /* red heart */
    "\xf0\x9f\x98\xa4", /* face with steam */
    "\xf0\x9f\x98\xad", /* loudly crying */
    ":(", ":)", ":-/",
};
static const char *const NARRATIVE[] = {
    "On {date} I contacted you about this and was told it would be sorted within {n} days",
    "I phoned on {weekday} and waited {n} minutes before the line went dead",
    "Your colleague promised me a call back on {date} and nobody called",
    "I was transferred {n} times and had to explain everything again each time",
    "The chat bot just kept sending me the same FAQ link",
    "I went to your store on {date} and they told me to contact you online",
    "I received an email saying the case was closed, but nothing has changed",
    "Last month the same thing happened and it took {n} weeks to fix",
};
static const char *const PHONE_FILLERS[] = {"um", "uh", "you know", "like", "so", "yeah", "I mean",
                                            "okay so"};

/* Agent parts. */
static const char *const AG_OPEN[] = {
    "Hi {cname}, thanks for reaching out.", "Thank you for contacting {brand} support.",
    "Hello, my name is {aname} and I'll be helping you today.", "Thanks for your patience.",
    "Hi there!", "Thanks for getting back to me.", "Good morning {cname}.",
    "Thank you for the information.", "Hi {cname}!",
};
static const char *const AG_REACTION[] = {
    "I'm so sorry to hear that.", "That sounds really stressful.", "Oh no, I'm sorry this happened.",
    "I can only imagine how frustrating this is.", "I'm really sorry you've had to deal with this.",
    "I'm sorry, that's not the experience we want you to have.", "That must be so upsetting.",
    "I'm truly sorry for the trouble this has caused you.", "Ugh, that's awful, I'm sorry.",
};
static const char *const AG_INTERPRET[] = {
    "It sounds like you've been going back and forth on this for a while, and that's exhausting.",
    "I understand that with so little time, every hour counts.",
    "I can see why you're upset, being charged for something you cancelled isn't fair.",
    "If I were in your position I would feel the same.",
    "It makes sense that you're worried, given what's at stake for you.",
    "I get that you've already tried everything on your side.",
    "Having to chase us for this on top of everything else must be draining.",
};
static const char *const AG_EXPLORE[] = {
    "How are you holding up?", "Is there anything else about this that's worrying you?",
    "What would help you most right now?",
    "Can you tell me a bit more about how this has affected you?",
    "Is the timing the biggest concern for you?",
    "Would it help if I called you so you don't have to type all this out?",
};
static const char *const AG_PROCEDURAL_Q[] = {
    "Could you confirm your order number?", "Can you please provide the email address on the account?",
    "What's the model of the {device}?", "Could you verify your date of birth for security?",
    "Have you tried restarting the {device}?", "Can you send a photo of the damage?",
    "Which card did you use for the payment?", "Could you confirm the delivery address?",
};
static const char *const AG_OWNERSHIP[] = {
    "I'll process the refund now and it should reach you within {n} business days.",
    "I've escalated this to our shipping team and I'll update you by {weekday}.",
    "I've reset your password; you'll get an email in a few minutes.",
    "Let me take care of this for you right away.",
    "I'll personally follow up tomorrow morning.",
    "I've removed the {amount} fee from your account.",
    "I've booked a technician for {weekday} between 8am and 12pm.",
    "I'm sending a replacement {item} today by express delivery, free of charge.",
    "I've added a note to your account so you won't have to explain this again.",
};
static const char *const AG_DISMISSIVE[] = {
    "As per our policy, there's nothing I can do.", "You should have read the terms and conditions.",
    "That's not our fault, the courier is responsible.", "Calm down, it's just a small fee.",
    "Please refer to our FAQ.", "This is a known issue, just wait.",
    "I don't see any problem on our side.", "You'll have to contact your bank about that.",
    "There's no need to shout.", "Like I said before, it takes as long as it takes.",
};
static const char *const AG_INFO[] = {
    "Refunds usually take 3-5 business days to show on your statement.",
    "Our records show the parcel left the depot on {date}.",
    "The update released on {date} caused this for some users.",
    "I can see the payment of {amount} on {date}.",
    "Your account shows the {plan} plan since {month}.",
    "There is an outage in your area that our engineers are working on.",
    "The order was split into two parcels.",
};
static const char *const AG_CLOSE[] = {
    "Please let me know if there's anything else I can help with.", "Have a great day!",
    "Thank you for your patience.", "We appreciate your business.",
    "Is there anything else I can do for you today?", "Take care.",
    "Thanks again for bearing with us.", "",
};

/* ---- conversation context: slots stay the same across a conversation ---- */

typedef enum agent_style { STYLE_EMPATHETIC, STYLE_PROCEDURAL, STYLE_MIXED, STYLE_DISMISSIVE } agent_style;

typedef enum channel { CH_CHAT, CH_EMAIL, CH_PHONE, CH_IN_PERSON, CH_SOCIAL, CH_N } channel;
static const char *const CHANNEL_NAMES[] = {"chat", "email", "phone", "in_person", "social"};

typedef struct conv_ctx {
    channel ch;
    issue iss;
    agent_style style;
    const char *brand, *cname, *aname, *product, *item, *app, *device, *action, *plan;
    char order[24], amount[24], code[16], date[32], email[64], digits4[8], postcode[12];
    int angry;  /* customer temperament: 0 calm .. 2 furious */
    int agent_id;
} conv_ctx;

static void ctx_init(rng *r, conv_ctx *c, channel ch)
{
    c->ch = ch;
    c->iss = (issue)rng_below(r, ISS_N);
    unsigned s = (unsigned)rng_below(r, 100);
    c->style = s < 30 ? STYLE_EMPATHETIC : s < 75 ? STYLE_PROCEDURAL : s < 90 ? STYLE_MIXED : STYLE_DISMISSIVE;
    c->brand = PICK(r, BRANDS);
    c->cname = PICK(r, CNAMES);
    c->agent_id = (int)rng_below(r, 40);
    c->aname = ANAMES[c->agent_id % N_OF(ANAMES)];
    c->product = PICK(r, PRODUCTS);
    c->item = PICK(r, ITEMS);
    c->app = PICK(r, APPS);
    c->device = PICK(r, DEVICES);
    c->action = PICK(r, ACTIONS);
    c->plan = PICK(r, PLANS);
    if (chance(r, 50))
        snprintf(c->order, sizeof c->order, "#A%06ld", rng_range(r, 0, 999999));
    else
        snprintf(c->order, sizeof c->order, "ORD-%ld", rng_range(r, 100000, 99999999));
    snprintf(c->amount, sizeof c->amount, "%s%ld.%02ld", PICK(r, CURRENCIES), rng_range(r, 3, 1500),
             rng_range(r, 0, 99));
    snprintf(c->code, sizeof c->code, "E-%03ld", rng_range(r, 100, 999));
    snprintf(c->date, sizeof c->date, "%s %ld", PICK(r, MONTHS), rng_range(r, 1, 28));
    snprintf(c->email, sizeof c->email, "%c%s%ld@example.com", c->cname[0] + 32 * (c->cname[0] < 'a'),
             PICK(r, CNAMES) + 1, rng_range(r, 1, 99));
    snprintf(c->digits4, sizeof c->digits4, "%04ld", rng_range(r, 0, 9999));
    snprintf(c->postcode, sizeof c->postcode, "%ld", rng_range(r, 10000, 99999));
    c->angry = (int)rng_below(r, 3);
}

/* Expands {slot} placeholders of tmpl into b. */
static void expand(rng *r, const conv_ctx *c, buf *b, const char *tmpl)
{
    const char *p = tmpl;
    while (*p) {
        const char *open = strchr(p, '{');
        if (!open) {
            buf_puts(b, p);
            return;
        }
        buf_put(b, p, (size_t)(open - p));
        const char *close = strchr(open, '}');
        if (!close) {
            buf_puts(b, open);
            return;
        }
        char name[24];
        size_t n = (size_t)(close - open - 1);
        if (n >= sizeof name)
            n = sizeof name - 1;
        memcpy(name, open + 1, n);
        name[n] = '\0';
        const char *v = NULL;
        if (!strcmp(name, "product")) v = c->product;
        else if (!strcmp(name, "item")) v = c->item;
        else if (!strcmp(name, "app")) v = c->app;
        else if (!strcmp(name, "device")) v = c->device;
        else if (!strcmp(name, "action")) v = c->action;
        else if (!strcmp(name, "plan")) v = c->plan;
        else if (!strcmp(name, "brand")) v = c->brand;
        else if (!strcmp(name, "cname")) v = c->cname;
        else if (!strcmp(name, "aname")) v = c->aname;
        else if (!strcmp(name, "order")) v = c->order;
        else if (!strcmp(name, "amount")) v = c->amount;
        else if (!strcmp(name, "code")) v = c->code;
        else if (!strcmp(name, "date")) v = c->date;
        else if (!strcmp(name, "email")) v = c->email;
        else if (!strcmp(name, "digits4")) v = c->digits4;
        else if (!strcmp(name, "postcode")) v = c->postcode;
        else if (!strcmp(name, "month")) v = PICK(r, MONTHS);
        else if (!strcmp(name, "weekday")) v = PICK(r, WEEKDAYS);
        if (v)
            buf_puts(b, v);
        else if (!strcmp(name, "n"))
            buf_printf(b, "%ld", rng_range(r, 2, 14));
        else
            buf_put(b, open, (size_t)(close - open + 1));
        p = close + 1;
    }
}

/* Appends a sentence: expanded template, first letter capitalised unless the
 * channel is casual, and final punctuation when missing. */
static void sentence(rng *r, const conv_ctx *c, buf *b, const char *tmpl, const char *end)
{
    if (b->len && b->p[b->len - 1] != '\n' && b->p[b->len - 1] != ' ')
        buf_put(b, " ", 1);
    size_t start = b->len;
    expand(r, c, b, tmpl);
    int casual = (c->ch == CH_CHAT || c->ch == CH_SOCIAL) && chance(r, 35);
    if (b->len > start && b->p[start] >= 'a' && b->p[start] <= 'z' && !casual)
        b->p[start] = (char)(b->p[start] - 32);
    char last = b->len > start ? b->p[b->len - 1] : '.';
    if (end && last != '.' && last != '?' && last != '!' && last != ',')
        buf_puts(b, end);
}

static const char *const *issue_table(issue iss, size_t *n)
{
    switch (iss) {
    case ISS_BILLING: *n = N_OF(ISSUE_BILLING); return ISSUE_BILLING;
    case ISS_SHIPPING: *n = N_OF(ISSUE_SHIPPING); return ISSUE_SHIPPING;
    case ISS_TECH: *n = N_OF(ISSUE_TECH); return ISSUE_TECH;
    case ISS_ACCOUNT: *n = N_OF(ISSUE_ACCOUNT); return ISSUE_ACCOUNT;
    default: *n = N_OF(ISSUE_RETURNS); return ISSUE_RETURNS;
    }
}

static const char *pick_issue(rng *r, const conv_ctx *c)
{
    size_t n;
    const char *const *t = issue_table(c->iss, &n);
    return t[rng_below(r, n)];
}

static const char *exclaim(rng *r, const conv_ctx *c)
{
    if (c->angry == 2 && chance(r, 50))
        return chance(r, 50) ? "!!" : "!!!";
    return c->angry >= 1 && chance(r, 40) ? "!" : ".";
}

/* ---- noise: typos, caps, emoji, fillers ---- */

/* Swaps, drops or doubles one letter inside ASCII words, with probability
 * percent per word; never touches multi-byte sequences. */
static void add_typos(rng *r, buf *b, size_t from, unsigned percent)
{
    size_t i = from;
    while (i < b->len) {
        while (i < b->len && !(b->p[i] >= 'a' && b->p[i] <= 'z'))
            i++;
        size_t w = i;
        while (i < b->len && b->p[i] >= 'a' && b->p[i] <= 'z')
            i++;
        if (i - w < 4 || !chance(r, percent))
            continue;
        size_t k = w + 1 + rng_below(r, i - w - 2);
        switch (rng_below(r, 3)) {
        case 0: { char t = b->p[k]; b->p[k] = b->p[k + 1]; b->p[k + 1] = t; break; }
        case 1: memmove(b->p + k, b->p + k + 1, b->len - k); b->len--; i--; break;
        default:
            buf_reserve(b, 1);
            memmove(b->p + k + 1, b->p + k, b->len - k + 1);
            b->len++;
            i++;
            break;
        }
    }
}

static void upcase(buf *b, size_t from)
{
    for (size_t i = from; i < b->len; i++)
        if (b->p[i] >= 'a' && b->p[i] <= 'z')
            b->p[i] = (char)(b->p[i] - 32);
}

static void downcase(buf *b, size_t from)
{
    for (size_t i = from; i < b->len; i++)
        if (b->p[i] >= 'A' && b->p[i] <= 'Z')
            b->p[i] = (char)(b->p[i] + 32);
}

static void customer_noise(rng *r, const conv_ctx *c, buf *b)
{
    switch (c->ch) {
    case CH_CHAT:
    case CH_SOCIAL:
        add_typos(r, b, 0, 4);
        if (chance(r, 12))
            downcase(b, 0);
        if (c->angry == 2 && chance(r, 10))
            upcase(b, 0);
        if (chance(r, c->ch == CH_SOCIAL ? 45 : 18)) {
            buf_puts(b, " ");
            buf_puts(b, PICK(r, EMOJI));
            if (chance(r, 30))
                buf_puts(b, PICK(r, EMOJI));
        }
        break;
    case CH_EMAIL:
        add_typos(r, b, 0, 1);
        break;
    default:
        break;
    }
}

/* ---- turns ---- */

static void customer_opening(rng *r, const conv_ctx *c, buf *b)
{
    if (c->ch == CH_SOCIAL && chance(r, 70))
        buf_printf(b, "@%sHelp ", c->brand);
    else if (c->ch != CH_PHONE && c->ch != CH_EMAIL && chance(r, 65))
        buf_printf(b, "%s%s ", PICK(r, CUST_GREET), chance(r, 50) ? "," : "!");
    if (c->ch == CH_PHONE && chance(r, 60))
        buf_printf(b, "%s, ", PICK(r, PHONE_FILLERS));
    sentence(r, c, b, pick_issue(r, c), exclaim(r, c));
    if (chance(r, 55 + 15 * (unsigned)c->angry))
        sentence(r, c, b, PICK(r, EMOTION_LINES), exclaim(r, c));
    if (chance(r, 22))
        sentence(r, c, b, PICK(r, HARDSHIP_LINES), ".");
    if (chance(r, 35)) {
        size_t at = b->len;
        sentence(r, c, b, PICK(r, DEADLINE_LINES), exclaim(r, c));
        if (c->angry == 2 && chance(r, 30))
            upcase(b, at);
    }
    if (chance(r, 50))
        sentence(r, c, b, PICK(r, CUST_QUESTIONS), NULL);
}

static void customer_followup(rng *r, const conv_ctx *c, buf *b, int late)
{
    unsigned k = (unsigned)rng_below(r, 100);
    if (late && c->style != STYLE_DISMISSIVE && k < 55) {
        sentence(r, c, b, PICK(r, CUST_THANKS), NULL);
        if (chance(r, 30))
            sentence(r, c, b, PICK(r, CUST_FOLLOWUP_Q), NULL);
        return;
    }
    if (k < 35) {
        sentence(r, c, b, PICK(r, CUST_INFO), NULL);
    } else if (k < 60 || c->style == STYLE_DISMISSIVE) {
        sentence(r, c, b, PICK(r, CUST_ANGRY), NULL);
        if (chance(r, 50))
            sentence(r, c, b, PICK(r, EMOTION_LINES), exclaim(r, c));
    } else if (k < 80) {
        sentence(r, c, b, PICK(r, CUST_FOLLOWUP_Q), NULL);
    } else {
        sentence(r, c, b, PICK(r, EMOTION_LINES), exclaim(r, c));
        if (chance(r, 40))
            sentence(r, c, b, PICK(r, HARDSHIP_LINES), ".");
    }
    if (chance(r, 15))
        sentence(r, c, b, PICK(r, DEADLINE_LINES), exclaim(r, c));
}

static void phone_fillers(rng *r, buf *b)
{
    /* Spoken transcripts: lower case, fillers between sentences. */
    downcase(b, 0);
    buf out = {0};
    for (size_t i = 0; i < b->len; i++) {
        buf_put(&out, b->p + i, 1);
        if ((b->p[i] == '.' || b->p[i] == ',') && i + 1 < b->len && b->p[i + 1] == ' ' && chance(r, 40)) {
            buf_puts(&out, " ");
            buf_puts(&out, PICK(r, PHONE_FILLERS));
            buf_puts(&out, ",");
        }
    }
    free(b->p);
    *b = out;
}

static void email_wrap_customer(rng *r, const conv_ctx *c, buf *b)
{
    /* Emails: salutation, a few paragraphs, a signature. */
    buf body = *b;
    buf out = {0};
    buf_printf(&out, "%s,\n\n", chance(r, 30) ? "Dear Customer Service" : PICK(r, CUST_GREET));
    buf_put(&out, body.p, body.len);
    int paras = chance(r, 5) ? (int)rng_range(r, 6, 20) : (int)rng_range(r, 0, 3);
    for (int i = 0; i < paras; i++) {
        buf_puts(&out, "\n\n");
        sentence(r, c, &out, PICK(r, NARRATIVE), ".");
        sentence(r, c, &out, PICK(r, EMOTION_LINES), ".");
        if (chance(r, 50))
            sentence(r, c, &out, pick_issue(r, c), ".");
        if (chance(r, 50))
            sentence(r, c, &out, PICK(r, HARDSHIP_LINES), ".");
        sentence(r, c, &out, PICK(r, CUST_INFO), NULL);
    }
    buf_printf(&out, "\n\n%s,\n%s", chance(r, 50) ? "Regards" : "Thanks", c->cname);
    free(body.p);
    *b = out;
}

static void agent_turn(rng *r, const conv_ctx *c, buf *b, int first, int last)
{
    if (first || chance(r, 30))
        sentence(r, c, b, PICK(r, AG_OPEN), NULL);
    unsigned er = 0, ip = 0, ex = 0, own = 40, dis = 0;
    switch (c->style) {
    case STYLE_EMPATHETIC: er = 75; ip = 45; ex = 35; own = 70; break;
    case STYLE_PROCEDURAL: er = 10; ip = 3; ex = 2; own = 45; break;
    case STYLE_MIXED: er = 40; ip = 15; ex = 10; own = 50; dis = 10; break;
    case STYLE_DISMISSIVE: er = 5; own = 10; dis = 70; break;
    }
    if (chance(r, er))
        sentence(r, c, b, PICK(r, AG_REACTION), NULL);
    if (chance(r, ip))
        sentence(r, c, b, PICK(r, AG_INTERPRET), NULL);
    if (chance(r, dis))
        sentence(r, c, b, PICK(r, AG_DISMISSIVE), NULL);
    if (chance(r, 35))
        sentence(r, c, b, PICK(r, AG_INFO), NULL);
    if (chance(r, own))
        sentence(r, c, b, PICK(r, AG_OWNERSHIP), NULL);
    if (!last && chance(r, 55))
        sentence(r, c, b, PICK(r, AG_PROCEDURAL_Q), NULL);
    if (chance(r, ex))
        sentence(r, c, b, PICK(r, AG_EXPLORE), NULL);
    const char *close = PICK(r, AG_CLOSE);
    if ((last || chance(r, 20)) && *close)
        sentence(r, c, b, close, NULL);
    if (!b->len)
        sentence(r, c, b, PICK(r, AG_PROCEDURAL_Q), NULL);
    if (c->ch == CH_EMAIL) {
        buf out = {0};
        buf_printf(&out, "Dear %s,\n\n", c->cname);
        buf_put(&out, b->p, b->len);
        buf_printf(&out, "\n\nKind regards,\n%s\n%s Customer Care", c->aname, c->brand);
        free(b->p);
        *b = out;
    } else if (c->ch == CH_PHONE && chance(r, 40)) {
        phone_fillers(r, b);
    }
}

/* ---- JSON output ---- */

static void json_string(FILE *f, const char *s, size_t n)
{
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\') {
            fputc('\\', f);
            fputc(ch, f);
        } else if (ch == '\n') {
            fputs("\\n", f);
        } else if (ch == '\t') {
            fputs("\\t", f);
        } else if (ch < 0x20) {
            fprintf(f, "\\u%04x", ch);
        } else {
            fputc(ch, f);
        }
    }
    fputc('"', f);
}

static void plain_line(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fputc(s[i] == '\n' || s[i] == '\r' || s[i] == '\t' ? ' ' : s[i], f);
    fputc('\n', f);
}

typedef struct turn_out { int agent; buf text; int64_t at; } turn_out;

typedef struct sink {
    FILE *jsonl, *txt;
    unsigned long long conversations, turns, bytes;
} sink;

static void rfc3339(int64_t t, char *out, size_t cap)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void emit(sink *s, const char *id, const conv_ctx *c, const char *team, const turn_out *t,
                 size_t n)
{
    FILE *f = s->jsonl;
    fputs("{\"id\": ", f);
    json_string(f, id, strlen(id));
    fprintf(f, ", \"channel\": \"%s\", \"agent\": \"a-%02d\", \"team\": \"%s\", \"turns\": [",
            CHANNEL_NAMES[c->ch], c->agent_id, team);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s{\"speaker\": \"%s\", \"text\": ", i ? ", " : "",
                t[i].agent ? "agent" : "customer");
        json_string(f, t[i].text.p, t[i].text.len);
        if (t[i].at != INT64_MIN) {
            char ts[40];
            rfc3339(t[i].at, ts, sizeof ts);
            fprintf(f, ", \"at\": \"%s\"", ts);
        }
        fputc('}', f);
        if (s->txt)
            plain_line(s->txt, t[i].text.p, t[i].text.len);
        s->bytes += t[i].text.len;
    }
    fputs("]}\n", f);
    s->conversations++;
    s->turns += n;
}

/* ---- conversation generation ---- */

static const int TURN_COUNTS[] = {2, 3, 4, 4, 5, 5, 6, 6, 6, 6, 7, 7, 8, 8, 9, 10, 12};

static int64_t gap_seconds(rng *r, channel ch)
{
    switch (ch) {
    case CH_CHAT: return rng_range(r, 8, 300);
    case CH_EMAIL: return rng_range(r, 1800, 2 * 86400);
    case CH_PHONE: return rng_range(r, 3, 60);
    case CH_IN_PERSON: return rng_range(r, 3, 45);
    default: return rng_range(r, 120, 6 * 3600);
    }
}

static channel pick_channel(rng *r)
{
    unsigned k = (unsigned)rng_below(r, 100);
    return k < 40 ? CH_CHAT : k < 60 ? CH_EMAIL : k < 80 ? CH_PHONE : k < 87 ? CH_IN_PERSON : CH_SOCIAL;
}

/* Builds one conversation of n turns (n == 0: a random length) and emits it. */
static void conversation(rng *r, sink *s, unsigned long long idx, channel ch, size_t n)
{
    conv_ctx c;
    ctx_init(r, &c, ch);
    if (!n)
        n = (size_t)PICK(r, TURN_COUNTS);
    turn_out *t = calloc(n, sizeof *t);
    if (!t) {
        fprintf(stderr, "bench_gen: out of memory\n");
        exit(1);
    }
    int timed = chance(r, 90);
    int64_t at = 1767225600 + (int64_t)rng_below(r, 120 * 86400); /* 2026-01-01 + 120 days */
    int agent_seen = 0;
    for (size_t i = 0; i < n; i++) {
        /* Mostly alternating, customer first; sometimes a double message. */
        int agent = i == 0 ? 0 : !t[i - 1].agent;
        if (i > 1 && chance(r, 12))
            agent = t[i - 1].agent;
        t[i].agent = agent;
        t[i].at = timed ? at : INT64_MIN;
        at += gap_seconds(r, ch);
        buf *b = &t[i].text;
        if (agent) {
            agent_turn(r, &c, b, !agent_seen, i + 1 == n);
            agent_seen = 1;
        } else {
            if (i == 0)
                customer_opening(r, &c, b);
            else
                customer_followup(r, &c, b, i + 2 >= n);
            if (ch == CH_EMAIL && (i == 0 || chance(r, 50)))
                email_wrap_customer(r, &c, b);
            else if (ch == CH_PHONE)
                phone_fillers(r, b);
            customer_noise(r, &c, b);
        }
    }
    char id[48];
    snprintf(id, sizeof id, "c-%06llu", idx);
    emit(s, id, &c, TEAMS[c.iss < N_OF(TEAMS) ? c.iss : 0], t, n);
    for (size_t i = 0; i < n; i++)
        free(t[i].text.p);
    free(t);
}

/* One customer email of about `bytes` bytes: a long, detailed complaint. */
static void long_email(rng *r, sink *s, size_t bytes)
{
    conv_ctx c;
    ctx_init(r, &c, CH_EMAIL);
    turn_out t = {0, {0}, 1767225600};
    buf *b = &t.text;
    buf_printf(b, "Dear %s Customer Service,\n\n", c.brand);
    const char *sign = "\n\nI look forward to your answer.\n\nRegards,\n";
    size_t reserve = strlen(sign) + strlen(c.cname);
    for (;;) {
        buf para = {0};
        customer_opening(r, &c, &para);
        sentence(r, &c, &para, PICK(r, NARRATIVE), ".");
        sentence(r, &c, &para, PICK(r, CUST_ANGRY), NULL);
        sentence(r, &c, &para, PICK(r, CUST_INFO), NULL);
        add_typos(r, &para, 0, 1);
        if (b->len + para.len + 2 + reserve > bytes) {
            free(para.p);
            break;
        }
        buf_put(b, para.p, para.len);
        buf_puts(b, "\n\n");
        free(para.p);
        c.iss = (issue)rng_below(r, ISS_N); /* a long history covers several problems */
    }
    b->len -= 2;
    buf_puts(b, sign);
    buf_puts(b, c.cname);
    emit(s, "email-60k", &c, "returns", &t, 1);
    free(b->p);
}

/* The fixed conversation of latency and server benchmarks; with `draft`,
 * the body of POST /v1/assist: the first five turns, the sixth as the
 * agent's draft reply. */
static void typical(sink *s, int draft)
{
    static const char *const text[] = {
        "Hi, I was charged twice for my March invoice and now my account is overdrawn. Rent is due "
        "tomorrow and I'm really stressed about this.",
        "I'm so sorry, that sounds really stressful, especially with rent due tomorrow. Let me look "
        "into the double charge right now. Could you confirm the last four digits of the card?",
        "It's 4417. This is the second time this has happened, honestly I'm getting fed up.",
        "I understand why you're frustrated, having this happen twice isn't okay. I've found the "
        "duplicate payment of $49.99 and issued a refund; it should reach your account within 24 hours.",
        "ok thanks. will it be there before 5pm tomorrow?",
        "It should, and I'll personally check on it tomorrow morning and email you a confirmation. "
        "Is there anything else that's worrying you about your account?",
    };
    static const int64_t secs[] = {0, 95, 160, 290, 340, 410};
    turn_out t[6];
    conv_ctx c = {.ch = CH_CHAT, .aname = ANAMES[7], .agent_id = 7};
    for (size_t i = 0; i < 6; i++) {
        t[i].agent = (int)(i & 1);
        t[i].text = (buf){(char *)text[i], strlen(text[i]), 0};
        t[i].at = 1772446445 + secs[i]; /* 2026-03-02T10:14:05Z */
    }
    if (!draft) {
        emit(s, "typical-6", &c, "billing", t, 6);
        return;
    }
    FILE *f = s->jsonl;
    s->jsonl = tmpfile();
    if (!s->jsonl) {
        perror("tmpfile");
        exit(1);
    }
    emit(s, "typical-6", &c, "billing", t, 5);
    /* splice the draft in before the closing brace of the object */
    long n = ftell(s->jsonl) - 2; /* drop "}\n" */
    rewind(s->jsonl);
    for (long i = 0; i < n; i++)
        fputc(fgetc(s->jsonl), f);
    fclose(s->jsonl);
    s->jsonl = f;
    fputs(", \"draft\": ", f);
    json_string(f, text[5], strlen(text[5]));
    fputs("}\n", f);
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_gen [--turns N] [--seed S] [--mode corpus|long|email|typical|assist]\n"
                    "                 [--bytes N] [-o OUT.jsonl] [-t OUT.txt]\n");
}

int main(int argc, char **argv)
{
    unsigned long long turns = 0, seed = 42, bytes = 61440;
    const char *mode = "corpus", *out = NULL, *txt = NULL;
    for (int i = 1; i < argc; i += 2) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) { usage(); return 2; }
        if (!strcmp(a, "--turns")) turns = strtoull(v, NULL, 10);
        else if (!strcmp(a, "--seed")) seed = strtoull(v, NULL, 10);
        else if (!strcmp(a, "--bytes")) bytes = strtoull(v, NULL, 10);
        else if (!strcmp(a, "--mode")) mode = v;
        else if (!strcmp(a, "-o")) out = v;
        else if (!strcmp(a, "-t")) txt = v;
        else { usage(); return 2; }
    }
    sink s = {stdout, NULL, 0, 0, 0};
    if (out && !(s.jsonl = fopen(out, "w"))) { perror(out); return 1; }
    if (txt && !(s.txt = fopen(txt, "w"))) { perror(txt); return 1; }
    rng r = {seed};
    if (!strcmp(mode, "corpus")) {
        if (!turns)
            turns = 100000;
        for (unsigned long long i = 0; s.turns < turns; i++)
            conversation(&r, &s, i, pick_channel(&r), 0);
    } else if (!strcmp(mode, "long")) {
        conversation(&r, &s, 0, CH_CHAT, turns ? (size_t)turns : 200);
    } else if (!strcmp(mode, "email")) {
        long_email(&r, &s, bytes > 65000 ? 65000 : (size_t)bytes);
    } else if (!strcmp(mode, "typical")) {
        typical(&s, 0);
    } else if (!strcmp(mode, "assist")) {
        typical(&s, 1);
    } else {
        usage();
        return 2;
    }
    int bad = ferror(s.jsonl) || (s.txt && ferror(s.txt));
    if ((out && fclose(s.jsonl) != 0) || (txt && fclose(s.txt) != 0) || bad) {
        fprintf(stderr, "bench_gen: write error\n");
        return 1;
    }
    fprintf(stderr, "bench_gen: %llu conversations, %llu turns, %llu text bytes\n", s.conversations,
            s.turns, s.bytes);
    return 0;
}

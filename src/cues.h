/* cues.h - the rule cues: named phrase patterns (politeness strategies,
 * empathy mechanisms, urgency, bids, ownership, dismissiveness, emotion
 * keywords) compiled at build time into a trie and hash tables (linked into
 * the library as read-only data) and matched over a turn's tokens in one
 * pass. Cue hits are both rule decisions and evidence,
 * and they are features for the learned models. */
#ifndef HEARD_CUES_H
#define HEARD_CUES_H

#include <stddef.h>
#include <stdint.h>

#include "tokenize.h"

/* Every cue family. The name of each (heard_cue_name) is what appears as
 * "cue" in evidence, e.g. "politeness.gratitude". Keep in sync with
 * cue_names[] in cues.c. Append only: ids are hashed into model features. */
typedef enum heard_cue {
    /* politeness strategies (Danescu-Niculescu-Mizil et al. 2013) */
    CUE_POL_GRATITUDE = 0,
    CUE_POL_GREETING,
    CUE_POL_APOLOGY,
    CUE_POL_PLEASE,
    CUE_POL_PLEASE_START,     /* "Please do X" opening: less polite */
    CUE_POL_HEDGE,
    CUE_POL_INDIRECT_REQUEST, /* could you, would you, would it be possible */
    CUE_POL_DEFERENCE,        /* great question, I appreciate your patience */
    CUE_POL_SUBJUNCTIVE,      /* would you, could you */
    CUE_POL_FIRST_PERSON_PLURAL,
    CUE_POL_DIRECT_QUESTION,  /* what/why/how started question: impolite */
    CUE_POL_SECOND_PERSON_START, /* "You ..." start: impolite */
    CUE_POL_FACTUALITY,       /* "in fact", "actually", "the point is" */
    CUE_POL_DIRECT_START,     /* "So ...", "But ..." start */
    CUE_POL_IMPOLITE,         /* insults, swearing, commands at the listener */
    /* customer side */
    CUE_URGENCY_DEADLINE,     /* by 5pm, tomorrow, today, rent is due */
    CUE_URGENCY_NOW,          /* asap, right now, immediately, urgent */
    CUE_URGENCY_REPEAT,       /* third time, called three times, still waiting */
    CUE_URGENCY_LOSS,         /* losing money/work, can't work */
    CUE_URGENCY_SOME,         /* soon, this week, been waiting a while */
    CUE_BID_EMOTION,          /* I'm so stressed, I'm furious */
    CUE_BID_HARDSHIP,         /* can't pay rent, lost my job */
    CUE_BID_VULNERABILITY,    /* in hospital, elderly, disabled, pregnant */
    CUE_BID_EFFORT,           /* I've called three times, tried everything */
    /* agent side */
    CUE_ER_FORMULA,           /* sorry for the inconvenience (weak) */
    CUE_ER_WARM,              /* I'm so sorry, that sounds awful (strong if specific) */
    CUE_INT_GENERIC,          /* I understand, I see */
    CUE_INT_SPECIFIC,         /* that must be, no wonder you're, so you ... */
    CUE_EXP_GENERIC,          /* can you tell me more */
    CUE_EXP_NEEDS,            /* how are you feeling, is there a date you need */
    CUE_EXP_PROCEDURAL,       /* what is your order number */
    CUE_OWNERSHIP,            /* I'll refund it now, I've booked */
    CUE_OWNERSHIP_TIME,       /* within 2 days, by tomorrow (commitment time) */
    CUE_DISMISSIVE,           /* calm down, that's policy, nothing I can do */
    CUE_DEFLECT,              /* someone will look into it */
    /* emotion keywords: CUE_EMO_FIRST + GoEmotions index */
    CUE_EMO_FIRST,
    CUE_EMO_LAST = CUE_EMO_FIRST + 27,
    CUE_SARCASM,              /* "great, another week without ..." */
    /* building blocks matched for the sarcasm rule; not labels themselves */
    CUE_SARC_OPENER,          /* sentence-initial "Great," "Thanks a lot." */
    CUE_NEG_SITUATION,        /* another, again, still, without, no reply ... */
    CUE_EXP_BROAD,            /* broad question about the customer's circumstances;
                               * matching turns it into CUE_EXP_NEEDS unless its
                               * sentence asks for ticket facts (never in hits) */
    CUE_N
} heard_cue;

const char *heard_cue_name(heard_cue c);

/* GoEmotions label indices (the order of heard_emotion_name()): emotion
 * keyword cues are CUE_EMO_FIRST + these. */
enum {
    HEARD_EMO_ADMIRATION = 0, HEARD_EMO_AMUSEMENT, HEARD_EMO_ANGER, HEARD_EMO_ANNOYANCE,
    HEARD_EMO_APPROVAL, HEARD_EMO_CARING, HEARD_EMO_CONFUSION, HEARD_EMO_CURIOSITY,
    HEARD_EMO_DESIRE, HEARD_EMO_DISAPPOINTMENT, HEARD_EMO_DISAPPROVAL, HEARD_EMO_DISGUST,
    HEARD_EMO_EMBARRASSMENT, HEARD_EMO_EXCITEMENT, HEARD_EMO_FEAR, HEARD_EMO_GRATITUDE,
    HEARD_EMO_GRIEF, HEARD_EMO_JOY, HEARD_EMO_LOVE, HEARD_EMO_NERVOUSNESS, HEARD_EMO_OPTIMISM,
    HEARD_EMO_PRIDE, HEARD_EMO_REALIZATION, HEARD_EMO_RELIEF, HEARD_EMO_REMORSE,
    HEARD_EMO_SADNESS, HEARD_EMO_SURPRISE, HEARD_EMO_NEUTRAL
};

/* One match: cue family, strength (1 weak, 2 strong, or a weight for
 * emotion keywords), token span [first, last) and byte span. */
typedef struct heard_cue_hit {
    uint16_t cue;
    int16_t strength;
    uint32_t first, last;
    uint32_t start, end;
} heard_cue_hit;

typedef struct heard_cue_hits {
    heard_cue_hit *hit;
    size_t n, cap;
} heard_cue_hits;

typedef struct heard_cues heard_cues; /* compiled, immutable, shareable */

/* The built-in cue tables: the image compiled at build time when the
 * library has one for this ABI (nothing to compile, nothing copied), else
 * compiled now (heard_cues_compile). Returns NULL on allocation failure. */
heard_cues *heard_cues_new(void);
/* Compile the patterns of cue_patterns.inc now, whatever is built in. */
heard_cues *heard_cues_compile(void);
void heard_cues_free(heard_cues *c);

/* The compiled tables as one flat image (64-byte aligned, the caller frees it;
 * *len receives its size), NULL on allocation failure. The build writes it
 * (heard_cuegen) and the library links it in. */
void *heard_cues_blob(const heard_cues *c, size_t *len);
/* Tables that read such an image in place: blob (64-byte aligned) must
 * outlive the result. NULL when the image is not one this build wrote (or
 * on allocation failure). */
heard_cues *heard_cues_from_blob(const void *blob, size_t len);
/* The image linked into the library (its size in *len), or NULL when
 * there is none: defined by the generated cue_tables.c, and by heard_cuegen
 * itself, which builds that image. */
const void *heard_cue_builtin(size_t *len);

/* Match every cue over toks into hits (cleared first). Returns 0, or -1 on
 * allocation failure. text is the original turn text. */
int heard_cues_match(const heard_cues *c, const heard_tokens *toks, const char *text,
                     heard_cue_hits *hits);
void heard_cue_hits_free(heard_cue_hits *h);

/* The same hits as heard_cues_match, found the slow way (every pattern tried
 * at every token, no index): the reference the tests hold the index to. */
int heard_cues_match_reference(const heard_cues *c, const heard_tokens *toks,
                               heard_cue_hits *hits);

/* True when the folded token hash is a stopword or a word too generic in
 * customer service to show that an agent took up the customer's own words
 * ("order", "help", "sorry"). */
int heard_cues_stopword(const heard_cues *c, uint64_t hash);
/* The same set for probing inline in a loop over words: open addressing
 * over the hashes, 0 = empty slot, a zero hash stored as 1, *cap a power of
 * two (0 and NULL when there is none). */
const uint64_t *heard_cues_stopset(const heard_cues *c, size_t *cap);

/* What the matcher and the stopword test look up for a word of folded
 * hash hash and stem hash stem_hash, for the tokenizer's word infos
 * (heard_word_info.cue_form, cue_stem, HEARD_WI_STOP), which the matcher
 * then uses instead of probes when toks->annot->cues is c. */
void heard_cues_word(const heard_cues *c, uint64_t hash, uint64_t stem_hash,
                     heard_word_info *wi);

/* Check the matcher's vocabulary against the trie (every edge key in it,
 * with the root's child it leads to; number words flagged; all behind the
 * key filter): the number of vocabulary entries, or -1 when anything is off. */
long heard_cues_check(const heard_cues *c);

/* Number of compiled (expanded) patterns; *skipped receives the number of
 * table entries that compiled to nothing or overflowed (0 when the tables
 * and the tokenizer agree). */
size_t heard_cues_count(const heard_cues *c, size_t *skipped);

#endif

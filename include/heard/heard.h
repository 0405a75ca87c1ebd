/* heard.h - public API of libheard, the empathy analysis engine.
 *
 * Life cycle:
 *   heard_analyzer_new()   load rules (built in) and an optional model directory;
 *                          the analyser is immutable afterwards and may be shared
 *                          by any number of threads.
 *   heard_workspace_new()  per-thread scratch memory (token buffers, stemmer);
 *                          a workspace must not be used by two threads at once.
 *   heard_analyze()        one conversation in, one heard_result out (caller frees
 *                          it with heard_result_free()).
 *
 * Errors are reported by return code plus a message in a caller-provided
 * heard_error; nothing in the library aborts on bad input or keeps global
 * mutable state. */
#ifndef HEARD_HEARD_H
#define HEARD_HEARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HEARD_VERSION "0.1.0"
#define HEARD_SCHEMA 1

typedef enum heard_status {
    HEARD_OK = 0,
    HEARD_EINVAL,   /* invalid argument or input (missing field, bad value) */
    HEARD_EUTF8,    /* text is not valid UTF-8 */
    HEARD_ELIMIT,   /* input exceeds a configured limit */
    HEARD_ENOMEM,   /* allocation failed */
    HEARD_EMODEL,   /* model file missing, truncated or corrupt */
    HEARD_EIO       /* file could not be read */
} heard_status;

typedef struct heard_error {
    char message[256];
} heard_error;

typedef enum heard_speaker { HEARD_CUSTOMER = 0, HEARD_AGENT = 1 } heard_speaker;

typedef enum heard_channel {
    HEARD_CHAT = 0,
    HEARD_EMAIL,
    HEARD_PHONE,
    HEARD_IN_PERSON,
    HEARD_SOCIAL,
    HEARD_N_CHANNELS
} heard_channel;

#define HEARD_N_EMOTIONS 28
/* GoEmotions label names in their canonical order (index 27 is "neutral"). */
const char *heard_emotion_name(int index);
int heard_emotion_index(const char *name); /* -1 when unknown */
const char *heard_channel_name(heard_channel ch);
int heard_channel_parse(const char *name, heard_channel *out); /* 0 ok, -1 unknown */

#define HEARD_NO_TIME INT64_MIN

/* One turn of input. `text` is borrowed: it must stay valid until the result
 * is freed, because evidence spans point into it by offset. */
typedef struct heard_turn_in {
    heard_speaker speaker;
    const char *text;
    size_t len;
    int64_t at; /* Unix seconds, or HEARD_NO_TIME */
} heard_turn_in;

typedef struct heard_conversation_in {
    heard_channel channel;
    const heard_turn_in *turns;
    size_t n_turns;
} heard_conversation_in;

typedef struct heard_options {
    const char *model_dir;  /* NULL: built-in rules only */
    size_t max_turn_bytes;  /* 0: default 64 KiB */
    size_t max_turns;       /* 0: default 1000 */
} heard_options;

/* One piece of evidence: a byte span [start, end) of the turn's text and the
 * cue that fired. `cue` points to static or analyser-owned storage. */
typedef struct heard_evidence {
    const char *cue;
    uint32_t start, end;
} heard_evidence;

typedef struct heard_turn_result {
    heard_speaker speaker;
    float sentiment;   /* [-1, 1] */
    float politeness;  /* [-1, 1] */
    float emotions[HEARD_N_EMOTIONS]; /* [0, 1] each */
    uint32_t emotion_labels;          /* bit i set: label i predicted; never 0 */
    /* bit i set: the turn names emotion i outright ("furious", "so
     * stressed", "thank you so much"), whether or not the label is
     * predicted; what an agent can name back */
    uint32_t emotion_named;
    /* customer turns */
    int urgency;       /* 0, 1, 2 */
    bool bid;
    /* agent turns */
    int emotional_reaction, interpretation, exploration; /* 0, 1, 2 */
    bool ownership, dismissive;
    bool has_wait;
    int64_t wait_seconds;
    heard_evidence *evidence; /* owned by the result */
    size_t n_evidence;
} heard_turn_result;

typedef enum heard_opp_kind { HEARD_OPP_BID = 0, HEARD_OPP_URGENCY = 1 } heard_opp_kind;

typedef struct heard_opportunity {
    size_t turn;
    heard_opp_kind kind;
    bool met;
    long response_turn; /* -1 when no agent replied before the customer spoke again */
} heard_opportunity;

/* True for a missed opportunity: an agent reply was judged and did not meet
 * it. One neither met nor missed has response_turn -1, no agent turn after
 * it (written "unanswered"): the transcript ends before anyone could reply. */
bool heard_opportunity_missed(const heard_opportunity *o);

enum heard_flag {
    HEARD_FLAG_POLITE_NOT_EMPATHETIC = 1u << 0,
    HEARD_FLAG_DISMISSIVE = 1u << 1,
    HEARD_FLAG_URGENT_WAIT = 1u << 2,
    HEARD_FLAG_ESCALATED = 1u << 3,
    HEARD_FLAG_DE_ESCALATED = 1u << 4
};
#define HEARD_N_FLAGS 5
const char *heard_flag_name(unsigned bit_index);

typedef struct heard_result {
    heard_turn_result *turns; /* n_turns entries, owned */
    size_t n_turns;
    heard_opportunity *opportunities; /* owned */
    size_t n_opportunities;
    int empathy_score;    /* 0..100 */
    int politeness_score; /* 0..100 */
    float felt_heard;     /* 1..5 */
    unsigned flags;       /* enum heard_flag bits */
    /* true for results of heard_analyze(): the turns, their evidence and
     * the opportunities lie in the result's own allocation (one free; none
     * of them may be reallocated). False (results built by hand): each is
     * its own allocation, as is each turn's evidence. */
    bool packed;
} heard_result;

typedef struct heard_analyzer heard_analyzer;
typedef struct heard_workspace heard_workspace;

heard_status heard_analyzer_new(const heard_options *opt, heard_analyzer **out,
                                heard_error *err);
void heard_analyzer_free(heard_analyzer *an);

heard_status heard_workspace_new(const heard_analyzer *an, heard_workspace **out,
                                 heard_error *err);
void heard_workspace_free(heard_workspace *ws);

/* Analyse one conversation. On success *out is a new result owned by the
 * caller. `ws` may be NULL (a temporary workspace is made; slower). */
heard_status heard_analyze(const heard_analyzer *an, heard_workspace *ws,
                           const heard_conversation_in *conv, heard_result **out,
                           heard_error *err);
void heard_result_free(heard_result *res);

const char *heard_status_name(heard_status st);

#ifdef __cplusplus
}
#endif
#endif

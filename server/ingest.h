/* ingest.h - one conversation from JSON to analysis to stored row: parsing
 * (with the server's limits), analysis with the request's workspace, the
 * indexed columns derived from the result, and the idempotent upsert. */
#ifndef HEARD_SERVER_INGEST_H
#define HEARD_SERVER_INGEST_H

#include <jansson.h>

#include "heard/heard_io.h"
#include "commit.h"
#include "server.h"

typedef struct conv_row {
    const char *id, *agent, *team; /* borrowed from the doc */
    heard_channel channel;
    char started_at[32];
    long n_turns, agent_turns, opportunities, missed, unanswered;
    int empathy, politeness;
    double felt_heard;
    unsigned flags;
    bool has_wait;
    long wait_max;
    double wait_mean;
    long reactions, interpretations, explorations, ownership, dismissive;
    /* the numbers above as SQL text parameters and the time of storing,
     * formatted by the request's thread: the writer thread only binds */
    char num[16][32];
    char stored_at[21];
} conv_row;

typedef struct analysed {
    heard_doc *doc;
    heard_result *res;
    char *json; /* the analysis as INTERFACE.md output, malloc'd */
    size_t json_len;
    conv_row row;
} analysed;

typedef enum ingest_status {
    INGEST_OK = 0,
    INGEST_BAD_JSON,     /* not JSON / too deep: 400 */
    INGEST_INVALID,      /* not a valid conversation: 422 */
    INGEST_INTERNAL      /* out of memory, analysis failure: 500 */
} ingest_status;

/* Analyses one conversation given as JSON text. need_id: storing needs an id.
 * On failure msg holds the reason. */
ingest_status ingest_analyse(request *r, const char *text, size_t len, bool need_id,
                             analysed *out, char *msg, size_t msglen);
/* Same with the output JSON only when want_json (a.json stays NULL
 * otherwise); the row columns are derived only when need_id. */
ingest_status ingest_analyse_text(request *r, const char *text, size_t len, bool need_id,
                                  bool want_json, analysed *out, char *msg, size_t msglen);
/* Same from a parsed object (stolen). */
ingest_status ingest_analyse_obj(request *r, json_t *obj, bool need_id, analysed *out,
                                 char *msg, size_t msglen);
/* Same, without the output JSON when !want_json (a.json stays NULL): for
 * callers that answer with something else (/v1/assist). */
ingest_status ingest_analyse_obj_json(request *r, json_t *obj, bool need_id, bool want_json,
                                      analysed *out, char *msg, size_t msglen);
void analysed_free(analysed *a);

/* Inserts or replaces n conversations inside the caller's transaction, in
 * order (an id given twice: the later one wins), with the inserts sent
 * together (db_exec_each), and sets each item's created. */
db_status ingest_store_items(db *d, db_conn *c, commit_item *items, size_t n, char *err);

/* Unix seconds to "YYYY-MM-DDTHH:MM:SSZ". */
void format_utc(int64_t t, char out[32]);

#endif

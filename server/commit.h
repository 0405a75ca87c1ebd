/* commit.h - group commit for single-conversation ingest into SQLite
 * (one writer at a time, one fsync per transaction): requests that store
 * one conversation at the same time share one write transaction and so one
 * fsync; with PostgreSQL each request commits on its own. The first request to arrive while no group is being written
 * writes the group (every request queued so far) on its own connection; the
 * others wait until that commit is done, so a 2xx still means the row is
 * durable. A group that fails is retried one conversation per transaction,
 * so one bad row never fails another request. */
#ifndef HEARD_SERVER_COMMIT_H
#define HEARD_SERVER_COMMIT_H

#include <pthread.h>
#include <stdbool.h>

#include "db.h"

struct analysed;

typedef struct commit_job {
    const struct analysed *a;
    const char *input;
    /* results, valid once done */
    bool created, done;
    db_status st;
    char err[DB_ERRLEN];
    struct commit_job *next;
} commit_job;

typedef struct committer {
    pthread_mutex_t lock;
    pthread_cond_t cv;
    commit_job *head, *tail;
    bool busy; /* a group is being written */
} committer;

void committer_init(committer *cm);
void committer_destroy(committer *cm);
/* Stores job->a (with job->input) durably, possibly together with other
 * requests' jobs; c is the caller's connection. Returns job->st. */
db_status commit_store(committer *cm, db *d, db_conn *c, commit_job *job);

#endif

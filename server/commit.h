/* commit.h - group commit of conversation ingest. A request hands its write
 * job over and its connection is suspended (no worker thread waits), and a
 * writer thread with its own database connection takes every job queued so
 * far (single conversations and JSONL batches of several requests) and
 * stores them in one transaction with one fsync. So a group can hold as many
 * jobs as there are clients, not only as many as there are request threads.
 * Each job is reported done only after the commit, so a 2xx still means the
 * rows are durable. A group that fails is retried one job per transaction (a
 * batch job stays all or nothing), so one bad row never fails another
 * request.
 * SQLite has one writer at a time, so it gets one writer thread. PostgreSQL
 * gets COMMIT_PG_WRITERS: while one waits for its commit's WAL flush, the
 * next group is being inserted by another (PostgreSQL flushes the WAL of
 * concurrent commits together). Without writers, each request thread wrote
 * and waited for its own commit, and 4 threads bounded PostgreSQL ingest at
 * 4 commits in flight.
 * SQLite's own checkpoint (copying the WAL into the database file, with an
 * fsync of that file) would run inside the writer's commit every 1,000 WAL
 * pages and hold up every request of the next group; a second thread with
 * its own connection does it instead, concurrently with the writer. */
#ifndef HEARD_SERVER_COMMIT_H
#define HEARD_SERVER_COMMIT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "db.h"

struct analysed;

typedef struct commit_item {
    const struct analysed *a;
    const char *input; /* the conversation's JSON text, stored for re-analysis */
    bool created;      /* result: a new row (else replaced) */
} commit_item;

typedef struct commit_job {
    commit_item *items; /* borrowed, stored all or none */
    size_t n_items;
    /* called by the writer thread once st and err are set; the job may be
     * freed from then on */
    void (*notify)(struct commit_job *job);
    /* called by commit_submit, under the queue's lock, just before the job
     * is queued (NULL: none): the caller's last step before the writer may
     * see the job, e.g. suspending its HTTP connection */
    void (*on_queue)(struct commit_job *job);
    void *ctx;
    db_status st;
    char err[DB_ERRLEN];
    struct commit_job *next;
} commit_job;

#define COMMIT_PG_WRITERS 4
#define COMMIT_MAX_WRITERS 8

struct committer;

typedef struct commit_writer {
    struct committer *cm;
    pthread_t thread;
    db_conn *c; /* the writer's own connection */
} commit_writer;

typedef struct committer {
    pthread_mutex_t lock;
    pthread_cond_t cv;
    commit_job *head, *tail;
    bool running, stopping;
    db *d;
    commit_writer w[COMMIT_MAX_WRITERS];
    unsigned n_writers;         /* threads running */
    bool wal_watched;           /* the checkpointer watches w[0]'s commits
                                 * (set before the writers start) */
    unsigned long groups, jobs; /* transactions written, jobs in them (lock) */
    /* the checkpointer: woken by the writer once the WAL has grown */
    pthread_cond_t ckpt_cv;
    pthread_t ckpt_thread;
    bool ckpt_running, ckpt_wanted;
    db_conn *ckpt_c;            /* the checkpointer's own connection */
    int ckpt_mark;              /* WAL pages at the last wake-up (writer only) */
    unsigned long checkpoints;  /* done by the checkpointer (lock) */
} committer;

/* WAL pages after a commit that wake the checkpointer (SQLite's own
 * automatic checkpoint threshold), and the size at which the writer
 * checkpoints itself: the WAL starts over only once a checkpoint has copied
 * all of it, which a checkpoint running beside a busy writer never does. */
#define CKPT_WAKE_PAGES 1000
#define CKPT_SELF_PAGES 8000

void committer_init(committer *cm);
/* Starts the writer threads (one for SQLite, with the checkpointer;
 * COMMIT_PG_WRITERS for PostgreSQL), each with its own connection. */
db_status committer_start(committer *cm, db *d, char *err);
/* Writes what is queued, then ends the writer threads; later jobs are
 * refused by commit_submit. */
void committer_stop(committer *cm);
void committer_destroy(committer *cm);
/* Queues job for the writer thread: true when queued (job->notify will be
 * called from a writer thread), false when there is no writer (not started,
 * stopping): then the caller writes it with commit_write_now. */
bool commit_submit(committer *cm, commit_job *job);
/* Writes job in its own transaction on the caller's connection. */
db_status commit_write_now(db *d, db_conn *c, commit_job *job);

#endif

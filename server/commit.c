/* commit.c - group commit of single-conversation ingest (see commit.h). */
#include "commit.h"

#include <stdio.h>

#include "ingest.h"

void committer_init(committer *cm)
{
    pthread_mutex_init(&cm->lock, NULL);
    pthread_cond_init(&cm->cv, NULL);
    cm->head = cm->tail = NULL;
    cm->busy = false;
}

void committer_destroy(committer *cm)
{
    pthread_cond_destroy(&cm->cv);
    pthread_mutex_destroy(&cm->lock);
}

static db_status store_alone(db *d, db_conn *c, commit_job *j)
{
    db_status st = db_begin(d, c, j->err);
    if (st == DB_OK)
        st = ingest_store(d, c, j->a, j->input, &j->created, j->err);
    if (st == DB_OK)
        return db_commit(d, c, j->err);
    db_rollback(d, c);
    return st;
}

/* Writes a group in one transaction; on any failure, each job alone. */
static void write_group(db *d, db_conn *c, commit_job *group)
{
    if (!group->next) {
        group->st = store_alone(d, c, group);
        return;
    }
    db_status st = db_begin(d, c, group->err);
    for (commit_job *j = group; j && st == DB_OK; j = j->next)
        st = ingest_store(d, c, j->a, j->input, &j->created, j->err);
    if (st == DB_OK)
        st = db_commit(d, c, group->err); /* rolls back when it fails */
    else
        db_rollback(d, c);
    for (commit_job *j = group; j; j = j->next)
        j->st = st == DB_OK ? DB_OK : store_alone(d, c, j);
}

db_status commit_store(committer *cm, db *d, db_conn *c, commit_job *job)
{
    job->done = false;
    job->created = false;
    job->err[0] = '\0';
    job->next = NULL;
    /* PostgreSQL commits concurrent transactions in parallel and flushes
     * their WAL together already; queueing them here would only serialise
     * their inserts */
    if (db_get_kind(d) != DB_SQLITE)
        return job->st = store_alone(d, c, job);
    pthread_mutex_lock(&cm->lock);
    if (cm->tail)
        cm->tail->next = job;
    else
        cm->head = job;
    cm->tail = job;
    while (!job->done) {
        if (cm->busy) {
            pthread_cond_wait(&cm->cv, &cm->lock);
            continue;
        }
        commit_job *group = cm->head;
        cm->head = cm->tail = NULL;
        cm->busy = true;
        pthread_mutex_unlock(&cm->lock);
        write_group(d, c, group);
        pthread_mutex_lock(&cm->lock);
        for (commit_job *j = group, *next; j; j = next) {
            next = j->next;
            j->done = true;
        }
        cm->busy = false;
        pthread_cond_broadcast(&cm->cv);
    }
    pthread_mutex_unlock(&cm->lock);
    return job->st;
}

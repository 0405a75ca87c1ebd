/* commit.c - group commit of ingest into SQLite by one writer thread (see
 * commit.h). */
#include "commit.h"

#include <stdio.h>

#include "ingest.h"

void committer_init(committer *cm)
{
    pthread_mutex_init(&cm->lock, NULL);
    pthread_cond_init(&cm->cv, NULL);
    cm->head = cm->tail = NULL;
    cm->running = cm->stopping = false;
    cm->d = NULL;
    cm->c = NULL;
    cm->groups = cm->jobs = 0;
    pthread_cond_init(&cm->ckpt_cv, NULL);
    cm->ckpt_running = cm->ckpt_wanted = false;
    cm->ckpt_c = NULL;
    cm->ckpt_mark = 0;
    cm->checkpoints = 0;
}

void committer_destroy(committer *cm)
{
    committer_stop(cm);
    pthread_cond_destroy(&cm->cv);
    pthread_cond_destroy(&cm->ckpt_cv);
    pthread_mutex_destroy(&cm->lock);
}

static db_status store_items(db *d, db_conn *c, commit_job *j, char *err)
{
    db_status st = DB_OK;
    for (size_t i = 0; i < j->n_items && st == DB_OK; i++)
        st = ingest_store(d, c, j->items[i].a, j->items[i].input, &j->items[i].created, err);
    return st;
}

db_status commit_write_now(db *d, db_conn *c, commit_job *j)
{
    j->err[0] = '\0';
    db_status st = db_begin(d, c, j->err);
    if (st == DB_OK)
        st = store_items(d, c, j, j->err);
    if (st == DB_OK)
        return j->st = db_commit(d, c, j->err);
    db_rollback(d, c);
    return j->st = st;
}

/* Writes a group in one transaction; on any failure, each job alone. */
static void write_group(db *d, db_conn *c, commit_job *group)
{
    if (!group->next) {
        commit_write_now(d, c, group);
        return;
    }
    char err[DB_ERRLEN];
    db_status st = db_begin(d, c, err);
    for (commit_job *j = group; j && st == DB_OK; j = j->next)
        st = store_items(d, c, j, err);
    if (st == DB_OK)
        st = db_commit(d, c, err); /* rolls back when it fails */
    else
        db_rollback(d, c);
    for (commit_job *j = group; j; j = j->next) {
        if (st == DB_OK) {
            j->st = DB_OK;
            j->err[0] = '\0';
        } else {
            commit_write_now(d, c, j);
        }
    }
}

static void *writer_main(void *arg)
{
    committer *cm = arg;
    pthread_mutex_lock(&cm->lock);
    for (;;) {
        while (!cm->head && !cm->stopping)
            pthread_cond_wait(&cm->cv, &cm->lock);
        if (!cm->head)
            break; /* stopping, queue empty */
        commit_job *group = cm->head;
        cm->head = cm->tail = NULL;
        cm->groups++;
        for (commit_job *j = group; j; j = j->next)
            cm->jobs++;
        pthread_mutex_unlock(&cm->lock);
        write_group(cm->d, cm->c, group);
        for (commit_job *j = group, *next; j; j = next) {
            next = j->next; /* j may be gone once notified */
            j->notify(j);
        }
        pthread_mutex_lock(&cm->lock);
    }
    pthread_mutex_unlock(&cm->lock);
    return NULL;
}

/* After each commit of the writer (its thread, no lock held). */
static void on_writer_commit(void *arg, int wal_pages)
{
    committer *cm = arg;
    if (wal_pages >= CKPT_SELF_PAGES) {
        char err[DB_ERRLEN];
        if (db_checkpoint(cm->d, cm->c, err) != DB_OK)
            fprintf(stderr, "heard serve: %s\n", err);
        return;
    }
    /* the WAL keeps growing while the checkpointer runs beside the writer:
     * it is woken once per CKPT_WAKE_PAGES new pages, not on every commit */
    if (wal_pages < cm->ckpt_mark)
        cm->ckpt_mark = 0; /* the WAL started over */
    if (wal_pages - cm->ckpt_mark < CKPT_WAKE_PAGES)
        return;
    cm->ckpt_mark = wal_pages;
    pthread_mutex_lock(&cm->lock);
    if (!cm->ckpt_wanted) {
        cm->ckpt_wanted = true;
        pthread_cond_signal(&cm->ckpt_cv);
    }
    pthread_mutex_unlock(&cm->lock);
}

static void *checkpointer_main(void *arg)
{
    committer *cm = arg;
    pthread_mutex_lock(&cm->lock);
    for (;;) {
        while (!cm->ckpt_wanted && !cm->stopping)
            pthread_cond_wait(&cm->ckpt_cv, &cm->lock);
        if (cm->stopping)
            break;
        cm->ckpt_wanted = false;
        pthread_mutex_unlock(&cm->lock);
        char err[DB_ERRLEN];
        if (db_checkpoint(cm->d, cm->ckpt_c, err) != DB_OK)
            fprintf(stderr, "heard serve: %s\n", err);
        pthread_mutex_lock(&cm->lock);
        cm->checkpoints++;
    }
    pthread_mutex_unlock(&cm->lock);
    return NULL;
}

/* Without it the writer keeps SQLite's automatic checkpoint. */
static void checkpointer_start(committer *cm)
{
    char err[DB_ERRLEN];
    cm->ckpt_c = db_acquire(cm->d, err);
    if (!cm->ckpt_c)
        return;
    if (pthread_create(&cm->ckpt_thread, NULL, checkpointer_main, cm) != 0) {
        db_release(cm->d, cm->ckpt_c);
        cm->ckpt_c = NULL;
        return;
    }
    cm->ckpt_running = true;
    /* the writer thread does not exist yet: nothing else uses its
     * connection */
    db_wal_watch(cm->d, cm->c, on_writer_commit, cm);
}

db_status committer_start(committer *cm, db *d, char *err)
{
    if (db_get_kind(d) != DB_SQLITE)
        return DB_OK;
    cm->d = d;
    cm->c = db_acquire(d, err);
    if (!cm->c)
        return DB_ERROR;
    cm->stopping = false;
    checkpointer_start(cm);
    if (pthread_create(&cm->thread, NULL, writer_main, cm) != 0) {
        snprintf(err, DB_ERRLEN, "cannot start the writer thread");
        committer_stop(cm); /* the checkpointer only: no writer running */
        db_wal_watch(d, cm->c, NULL, NULL);
        db_release(d, cm->c);
        cm->c = NULL;
        return DB_ERROR;
    }
    cm->running = true;
    return DB_OK;
}

void committer_stop(committer *cm)
{
    pthread_mutex_lock(&cm->lock);
    bool running = cm->running, ckpt = cm->ckpt_running;
    cm->stopping = true;
    cm->running = cm->ckpt_running = false;
    pthread_cond_signal(&cm->cv);
    pthread_cond_signal(&cm->ckpt_cv);
    pthread_mutex_unlock(&cm->lock);
    if (ckpt) {
        pthread_join(cm->ckpt_thread, NULL);
        db_release(cm->d, cm->ckpt_c);
        cm->ckpt_c = NULL;
    }
    if (!running)
        return;
    pthread_join(cm->thread, NULL);
    /* the connection may go back to the pool of the request threads: with
     * SQLite's own checkpoint again */
    db_wal_watch(cm->d, cm->c, NULL, NULL);
    db_release(cm->d, cm->c);
    cm->c = NULL;
}

bool commit_submit(committer *cm, commit_job *job)
{
    job->next = NULL;
    job->err[0] = '\0';
    pthread_mutex_lock(&cm->lock);
    bool queued = cm->running && !cm->stopping;
    if (queued) {
        if (job->on_queue)
            job->on_queue(job);
        if (cm->tail)
            cm->tail->next = job;
        else
            cm->head = job;
        cm->tail = job;
        pthread_cond_signal(&cm->cv);
    }
    pthread_mutex_unlock(&cm->lock);
    return queued;
}

/* commit.c - group commit of ingest by writer threads (see commit.h). */
#include "commit.h"

#include <stdio.h>
#include <stdlib.h>

#include "ingest.h"

void committer_init(committer *cm)
{
    pthread_mutex_init(&cm->lock, NULL);
    pthread_cond_init(&cm->cv, NULL);
    cm->head = cm->tail = NULL;
    cm->running = cm->stopping = false;
    cm->d = NULL;
    cm->n_writers = 0;
    cm->wal_watched = false;
    for (unsigned i = 0; i < COMMIT_MAX_WRITERS; i++)
        cm->w[i] = (commit_writer){.cm = cm, .c = NULL};
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

/* Every item of the group's jobs in one call, so that PostgreSQL gets the
 * group's inserts in one round trip. */
static db_status store_group(db *d, db_conn *c, commit_job *group, char *err)
{
    size_t n = 0;
    for (commit_job *j = group; j; j = j->next)
        n += j->n_items;
    commit_item stack[64];
    commit_item *all = n <= 64 ? stack : malloc(n * sizeof *all);
    if (!all) {
        snprintf(err, DB_ERRLEN, "out of memory");
        return DB_ERROR;
    }
    size_t k = 0;
    for (commit_job *j = group; j; j = j->next)
        for (size_t i = 0; i < j->n_items; i++)
            all[k++] = j->items[i];
    db_status st = ingest_store_items(d, c, all, n, err);
    k = 0;
    for (commit_job *j = group; j && st == DB_OK; j = j->next)
        for (size_t i = 0; i < j->n_items; i++)
            j->items[i].created = all[k++].created;
    if (all != stack)
        free(all);
    return st;
}

db_status commit_write_now(db *d, db_conn *c, commit_job *j)
{
    j->err[0] = '\0';
    db_status st = db_begin(d, c, j->err);
    if (st == DB_OK)
        st = ingest_store_items(d, c, j->items, j->n_items, j->err);
    if (st == DB_OK)
        return j->st = db_commit(d, c, j->err);
    db_rollback(d, c);
    return j->st = st;
}

static void on_writer_commit(void *arg, int wal_pages);

/* The writer's connection, opened again when the last one broke (the
 * database restarted, the network dropped): a writer keeps its connection
 * for its lifetime, so without this one lost connection would fail every
 * later write. NULL when the database cannot be reached; err says why. */
static db_conn *writer_conn(commit_writer *w, char *err)
{
    committer *cm = w->cm;
    bool watched = w == &cm->w[0] && cm->wal_watched;
    if (w->c && db_broken(cm->d, w->c)) {
        if (watched)
            db_wal_watch(cm->d, w->c, NULL, NULL);
        db_release(cm->d, w->c); /* closes a broken connection */
        w->c = NULL;
    }
    if (!w->c && (w->c = db_acquire(cm->d, err)) != NULL && watched)
        db_wal_watch(cm->d, w->c, on_writer_commit, cm);
    return w->c;
}

/* One job in its own transaction, once more on a new connection if the
 * connection broke under it. A retried job may have been committed just
 * before the break: storing is idempotent by id, so it is written again. */
static void write_job(commit_writer *w, commit_job *j)
{
    char err[DB_ERRLEN];
    db_conn *c = writer_conn(w, err);
    if (c && commit_write_now(w->cm->d, c, j) != DB_OK && db_broken(w->cm->d, c) &&
        (c = writer_conn(w, err)) != NULL)
        commit_write_now(w->cm->d, c, j);
    if (!c) {
        j->st = DB_ERROR;
        snprintf(j->err, DB_ERRLEN, "%s", err);
    }
}

/* Writes a group in one transaction; on any failure, each job alone. */
static void write_group(commit_writer *w, commit_job *group)
{
    if (!group->next) {
        write_job(w, group);
        return;
    }
    char err[DB_ERRLEN];
    db_conn *c = writer_conn(w, err);
    db_status st = DB_ERROR;
    if (c) {
        st = db_begin(w->cm->d, c, err);
        if (st == DB_OK)
            st = store_group(w->cm->d, c, group, err);
        if (st == DB_OK)
            st = db_commit(w->cm->d, c, err); /* rolls back when it fails */
        else
            db_rollback(w->cm->d, c);
    }
    for (commit_job *j = group; j; j = j->next) {
        if (st == DB_OK) {
            j->st = DB_OK;
            j->err[0] = '\0';
        } else {
            write_job(w, j);
        }
    }
}

static void *writer_main(void *arg)
{
    commit_writer *w = arg;
    committer *cm = w->cm;
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
        write_group(w, group);
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
        if (db_checkpoint(cm->d, cm->w[0].c, err) != DB_OK)
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
    cm->wal_watched = true;
    db_wal_watch(cm->d, cm->w[0].c, on_writer_commit, cm);
}

/* Ends the writers started (their queue written) and the checkpointer, and
 * gives their connections back. */
static void stop_threads(committer *cm, unsigned n_writers, bool ckpt)
{
    if (ckpt) {
        pthread_join(cm->ckpt_thread, NULL);
        db_release(cm->d, cm->ckpt_c);
        cm->ckpt_c = NULL;
    }
    for (unsigned i = 0; i < n_writers; i++)
        pthread_join(cm->w[i].thread, NULL);
    for (unsigned i = 0; i < COMMIT_MAX_WRITERS; i++) {
        if (!cm->w[i].c)
            continue;
        /* the connection may go back to the pool of the request threads:
         * with SQLite's own checkpoint again */
        if (i == 0 && cm->wal_watched)
            db_wal_watch(cm->d, cm->w[i].c, NULL, NULL);
        db_release(cm->d, cm->w[i].c);
        cm->w[i].c = NULL;
    }
    cm->wal_watched = false;
}

db_status committer_start(committer *cm, db *d, char *err)
{
    bool sqlite = db_get_kind(d) == DB_SQLITE;
    unsigned want = sqlite ? 1 : COMMIT_PG_WRITERS;
    cm->d = d;
    for (unsigned i = 0; i < want; i++) {
        cm->w[i].c = db_acquire(d, err);
        if (!cm->w[i].c) {
            stop_threads(cm, 0, false);
            return DB_ERROR;
        }
    }
    cm->stopping = false;
    if (sqlite)
        checkpointer_start(cm);
    unsigned started = 0;
    while (started < want && pthread_create(&cm->w[started].thread, NULL, writer_main,
                                            &cm->w[started]) == 0)
        started++;
    if (started < want) {
        snprintf(err, DB_ERRLEN, "cannot start the writer threads");
        pthread_mutex_lock(&cm->lock);
        bool ckpt = cm->ckpt_running;
        cm->stopping = true;
        cm->ckpt_running = false;
        pthread_cond_broadcast(&cm->cv);
        pthread_cond_signal(&cm->ckpt_cv);
        pthread_mutex_unlock(&cm->lock);
        stop_threads(cm, started, ckpt);
        return DB_ERROR;
    }
    pthread_mutex_lock(&cm->lock);
    cm->n_writers = want;
    cm->running = true;
    pthread_mutex_unlock(&cm->lock);
    return DB_OK;
}

void committer_stop(committer *cm)
{
    pthread_mutex_lock(&cm->lock);
    bool running = cm->running, ckpt = cm->ckpt_running;
    unsigned n = running ? cm->n_writers : 0;
    cm->stopping = true;
    cm->running = cm->ckpt_running = false;
    cm->n_writers = 0;
    pthread_cond_broadcast(&cm->cv);
    pthread_cond_signal(&cm->ckpt_cv);
    pthread_mutex_unlock(&cm->lock);
    stop_threads(cm, n, ckpt);
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

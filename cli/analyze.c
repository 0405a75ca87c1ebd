/* analyze.c - `heard analyze`: streams conversations from JSONL or CSV files
 * through the analyser and writes one JSON line per conversation, in input
 * order, or a --report.
 *
 * With --threads N > 1 a reader thread fills batches of input, N workers
 * (each with its own workspace) parse, analyse and serialise whole batches,
 * and the main thread writes batches in sequence order. A fixed ring of
 * batch slots bounds memory whatever the input size.
 *
 * Bad input never stops the run: each unreadable line or CSV group yields an
 * error line in its place and a message on stderr; the exit status is 1 then.
 * Blank lines are skipped. Files that cannot be opened or read give exit
 * status 2 (after the other files are processed). */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "heard_config.h"

#define MAX_LINE_BYTES ((size_t)64 << 20)
#define BATCH_ITEMS 64
#define BATCH_BYTES ((size_t)1 << 20)
#define KEEP_BYTES ((size_t)1 << 20) /* larger buffers are freed after use */
#define READ_CHUNK ((size_t)256 << 10)
#define OUT_FLUSH ((size_t)256 << 10) /* output gathered before one fwrite */
/* its buffer: room for a line of 60 turns past OUT_FLUSH, which --threads 1
 * writes in place before it knows whether the line still fits */
#define OUT_CAP (OUT_FLUSH + ((size_t)64 << 10))

typedef enum input_kind { IN_AUTO, IN_JSONL, IN_CSV } input_kind;

typedef struct options {
    input_kind input;
    bool pretty, report;
    long threads;
    const char *models;
    size_t max_turn_bytes, max_turns;
    char **files;
    int n_files;
} options;

/* One conversation on its way from input to output. */
typedef struct item {
    const char *fname;  /* for messages; points into argv or a literal */
    size_t lineno;
    char *line;         /* JSONL input, NUL-terminated */
    size_t len, cap;
    heard_doc *doc;     /* CSV input, already parsed by the reader */
    bool pre_failed;    /* the reader already knows it is bad: msg says why */
    bool failed;
    char msg[256];
    heard_buf out;      /* output line(s), newline included */
    size_t out_base;    /* where they start in out (0 unless out is run.out) */
    cli_summary sum;    /* --report */
} item;

typedef enum slot_state { SLOT_EMPTY, SLOT_FILLED, SLOT_DONE } slot_state;

typedef struct batch {
    item items[BATCH_ITEMS];
    size_t n;
    slot_state state;
} batch;

/* Sequential input over all files: lines of JSONL or groups of CSV. */
typedef struct source {
    const options *opt;
    int fi;             /* index of the current file; -1 before the first */
    FILE *f;
    const char *name;
    bool csv;
    heard_csv_reader *csvr;
    char *buf;          /* JSONL read buffer */
    size_t pos, end;
    size_t lineno;
    int status;         /* 2 once a file could not be opened or read */
} source;

typedef struct run {
    const options *opt;
    heard_analyzer *an;
    source src;
    cli_report *rep;
    size_t n_failed;
    /* Output lines gathered for one large fwrite: a conversation's line
     * (about 1 KB a turn) is larger than stdio's buffer, so writing each
     * one costs a write(2). Not used when stdout is a terminal. */
    heard_buf out;
    bool gather;
    /* pipeline */
    pthread_mutex_t mu;
    pthread_cond_t cv_reader, cv_worker, cv_writer;
    batch *slots;
    size_t n_slots;
    size_t next_fill, next_work, next_write;
    bool reader_done;
} run;

/* ---- help and options ---- */

void heard_cli_analyze_help(FILE *out)
{
    fputs("usage: heard analyze [options] [FILE|-]...\n"
          "\n"
          "Analyses conversations and writes one JSON line per conversation to\n"
          "stdout, in input order. Without FILE, or with '-', reads stdin.\n"
          "\n"
          "options:\n"
          "  --input jsonl|csv      input format (default: csv for *.csv files, else jsonl)\n"
          "  --pretty               indent the JSON output\n"
          "  --report               print a summary table instead of JSON\n"
          "  --threads N            worker threads (default: number of cores; 1: none)\n"
          "  --models DIR           model directory (default: $HEARD_MODELS, the\n"
          "                         installed models, or rules only)\n"
          "  --max-turn-bytes N     longest turn text accepted (default 65536)\n"
          "  --max-turns N          most turns in a conversation (default 1000)\n"
          "  -h, --help             show this help\n"
          "\n"
          "Bad input gives {\"schema\":1,\"line\":N,\"error\":\"...\"} in its place and a\n"
          "message on stderr. Exit status: 0 ok, 1 some input failed, 2 usage or I/O error.\n",
          out);
}

static int parse_size(const char *opt, const char *arg, size_t max, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (errno || end == arg || *end || arg[0] == '-' || v < 1 || v > max) {
        fprintf(stderr, "heard: %s needs a number from 1 to %zu, not '%s'\n", opt, max, arg);
        return -1;
    }
    *out = (size_t)v;
    return 0;
}

static long default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : n;
}

/* Returns -1 to exit 0 (help shown), 0 to go on, 2 on a usage error. */
static int parse_options(int argc, char **argv, options *o)
{
    enum { O_INPUT = 256, O_PRETTY, O_REPORT, O_THREADS, O_MODELS, O_MTB, O_MT };
    static const struct option longopts[] = {
        {"input", required_argument, NULL, O_INPUT},
        {"pretty", no_argument, NULL, O_PRETTY},
        {"report", no_argument, NULL, O_REPORT},
        {"threads", required_argument, NULL, O_THREADS},
        {"models", required_argument, NULL, O_MODELS},
        {"max-turn-bytes", required_argument, NULL, O_MTB},
        {"max-turns", required_argument, NULL, O_MT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    memset(o, 0, sizeof *o);
    o->threads = default_threads();
    opterr = 0;
    optind = 1;
    int c;
    size_t v;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case O_INPUT:
            if (strcmp(optarg, "jsonl") == 0 || strcmp(optarg, "json") == 0)
                o->input = IN_JSONL;
            else if (strcmp(optarg, "csv") == 0)
                o->input = IN_CSV;
            else {
                fprintf(stderr, "heard: --input must be jsonl or csv, not '%s'\n", optarg);
                return 2;
            }
            break;
        case O_PRETTY: o->pretty = true; break;
        case O_REPORT: o->report = true; break;
        case O_THREADS:
            if (parse_size("--threads", optarg, 256, &v))
                return 2;
            o->threads = (long)v;
            break;
        case O_MODELS: o->models = optarg; break;
        case O_MTB:
            if (parse_size("--max-turn-bytes", optarg, MAX_LINE_BYTES, &o->max_turn_bytes))
                return 2;
            break;
        case O_MT:
            if (parse_size("--max-turns", optarg, 1000000, &o->max_turns))
                return 2;
            break;
        case 'h':
            heard_cli_analyze_help(stdout);
            return -1;
        case ':':
            fprintf(stderr, "heard: option '%s' needs a value\n", argv[optind - 1]);
            return 2;
        default:
            fprintf(stderr, "heard: unknown option '%s' (try 'heard help analyze')\n",
                    argv[optind - 1]);
            return 2;
        }
    }
    o->files = argv + optind;
    o->n_files = argc - optind;
    return 0;
}

int heard_cli_model_dir(const char *explicit_dir, const char **out, char *msg, size_t msglen)
{
    struct stat sb;
    *out = NULL;
    const char *dir = explicit_dir;
    const char *what = "--models";
    if (!dir && (dir = getenv("HEARD_MODELS")) && *dir)
        what = "HEARD_MODELS";
    if (dir && *dir) {
        if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            snprintf(msg, msglen, "%s: model directory '%s' not found", what, dir);
            return -1;
        }
        *out = dir;
        return 0;
    }
    if (stat(HEARD_MODELS_INSTDIR, &sb) == 0 && S_ISDIR(sb.st_mode))
        *out = HEARD_MODELS_INSTDIR;
    else if (stat(HEARD_MODELS_SRCDIR, &sb) == 0 && S_ISDIR(sb.st_mode))
        *out = HEARD_MODELS_SRCDIR;
    return 0;
}

/* ---- input ---- */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void close_file(source *s)
{
    heard_csv_close(s->csvr);
    s->csvr = NULL;
    if (s->f && s->f != stdin)
        fclose(s->f);
    s->f = NULL;
}

/* Open the next file; false when there is none left. A CSV file whose
 * header is unusable yields one failed item through *it (returns true with
 * s->f NULL). */
static bool open_next(source *s, item *it, bool *produced)
{
    const options *o = s->opt;
    *produced = false;
    for (;;) {
        s->fi++;
        int n = o->n_files ? o->n_files : 1;
        if (s->fi >= n)
            return false;
        const char *path = o->n_files ? o->files[s->fi] : "-";
        bool is_stdin = strcmp(path, "-") == 0;
        s->name = is_stdin ? "<stdin>" : path;
        s->f = is_stdin ? stdin : fopen(path, "rb");
        if (!s->f) {
            fprintf(stderr, "heard: %s: %s\n", path, strerror(errno));
            s->status = 2;
            continue;
        }
        s->csv = o->input == IN_CSV || (o->input == IN_AUTO && ends_with(path, ".csv"));
        s->lineno = 0;
        s->pos = s->end = 0;
        if (!s->csv)
            return true;
        heard_error err;
        heard_status st = heard_csv_open(s->f, o->max_turns, &s->csvr, &err);
        if (st == HEARD_OK)
            return true;
        /* a bad header: one error in place of the whole file */
        it->fname = s->name;
        it->lineno = 1;
        it->pre_failed = true;
        snprintf(it->msg, sizeof it->msg, "%s", err.message);
        close_file(s);
        *produced = true;
        return true;
    }
}

static int item_append(item *it, const char *p, size_t n)
{
    if (it->len + n + 1 > it->cap) {
        size_t ncap = it->cap ? it->cap : 4096;
        while (ncap < it->len + n + 1)
            ncap *= 2;
        char *np = realloc(it->line, ncap);
        if (!np)
            return -1;
        it->line = np;
        it->cap = ncap;
    }
    memcpy(it->line + it->len, p, n);
    it->len += n;
    it->line[it->len] = '\0';
    return 0;
}

static bool blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
            return false;
    return true;
}

/* Next non-blank JSONL line of the current file into it. Returns 1 with a
 * line (it->pre_failed when too long), 0 at end of file, -1 on read error. */
static int read_line(source *s, item *it)
{
    for (;;) {
        bool any = false, too_long = false;
        it->len = 0;
        for (;;) {
            if (s->pos == s->end) {
                s->end = fread(s->buf, 1, READ_CHUNK, s->f);
                s->pos = 0;
                if (s->end == 0) {
                    if (ferror(s->f))
                        return -1;
                    if (!any)
                        return 0;
                    break;
                }
            }
            any = true;
            char *start = s->buf + s->pos;
            char *nl = memchr(start, '\n', s->end - s->pos);
            size_t n = nl ? (size_t)(nl - start) : s->end - s->pos;
            s->pos += n + (nl ? 1 : 0);
            if (!too_long && it->len + n > MAX_LINE_BYTES) {
                too_long = true;
                it->len = 0;
            }
            if (!too_long && item_append(it, start, n)) {
                too_long = true; /* out of memory: reported like an over-long line */
                it->len = 0;
            }
            if (nl)
                break;
        }
        s->lineno++;
        if (too_long) {
            it->pre_failed = true;
            snprintf(it->msg, sizeof it->msg, "line longer than %zu bytes", MAX_LINE_BYTES);
            return 1;
        }
        if (it->len && it->line[it->len - 1] == '\r')
            it->line[--it->len] = '\0';
        if (!blank(it->line, it->len))
            return 1;
    }
}

/* Fill it with the next conversation of any file; false at the end. */
static bool source_next(source *s, item *it)
{
    it->doc = NULL;
    it->pre_failed = it->failed = false;
    it->len = 0;
    for (;;) {
        if (!s->f) {
            bool produced;
            if (!open_next(s, it, &produced))
                return false;
            if (produced)
                return true;
        }
        it->fname = s->name;
        if (s->csv) {
            heard_error err;
            size_t line = 0;
            heard_status st = heard_csv_next(s->csvr, &it->doc, &line, &err);
            it->lineno = line;
            if (st != HEARD_OK) {
                it->pre_failed = true;
                snprintf(it->msg, sizeof it->msg, "%s", err.message);
                return true;
            }
            if (it->doc)
                return true;
            if (ferror(s->f)) {
                fprintf(stderr, "heard: %s: read error: %s\n", s->name, strerror(errno));
                s->status = 2;
            }
        } else {
            int rc = read_line(s, it);
            if (rc > 0) {
                it->lineno = s->lineno;
                return true;
            }
            if (rc < 0) {
                fprintf(stderr, "heard: %s: read error: %s\n", s->name, strerror(errno));
                s->status = 2;
            }
        }
        close_file(s);
    }
}

/* ---- work ---- */

static void process(run *r, heard_workspace *ws, item *it)
{
    const options *o = r->opt;
    heard_doc *doc = it->doc;
    heard_result *res = NULL;
    heard_error err;
    heard_status st = HEARD_OK;
    it->doc = NULL;
    it->out.len = it->out_base;
    if (it->pre_failed)
        st = HEARD_EINVAL;
    else if (!doc)
        st = heard_doc_from_json(it->line, it->len, o->max_turns, &doc, &err);
    if (st == HEARD_OK)
        st = heard_analyze(r->an, ws, heard_doc_conversation(doc), &res, &err);
    if (st == HEARD_OK) {
        if (o->report)
            cli_summarize(doc, res, &it->sum);
        else
            st = heard_result_append_json(&it->out, doc, res, o->pretty, &err);
    }
    if (st != HEARD_OK) {
        it->failed = true;
        if (!it->pre_failed)
            snprintf(it->msg, sizeof it->msg, "%s", err.message);
        it->out.len = it->out_base;
        if (!o->report)
            heard_error_append_json(&it->out, it->lineno, it->msg);
    }
    if (!o->report && it->out.data) {
        /* both writers leave room for the NUL, so cap > len + 1 is needed */
        if (it->out.len + 2 > it->out.cap) {
            char *p = realloc(it->out.data, it->out.len + 2);
            if (p) {
                it->out.data = p;
                it->out.cap = it->out.len + 2;
            }
        }
        if (it->out.len + 2 <= it->out.cap) {
            it->out.data[it->out.len++] = '\n';
            it->out.data[it->out.len] = '\0';
        }
    }
    heard_result_free(res);
    heard_doc_free(doc);
    if (it->cap > KEEP_BYTES) {
        free(it->line);
        it->line = NULL;
        it->cap = 0;
    }
}

static void flush_out(run *r)
{
    if (r->out.len)
        fwrite(r->out.data, 1, r->out.len, stdout);
    r->out.len = 0;
}

static void put_out(run *r, const char *p, size_t n)
{
    if (!r->gather) {
        fwrite(p, 1, n, stdout);
        return;
    }
    if (r->out.len + n > OUT_FLUSH) {
        flush_out(r);
        if (n > OUT_FLUSH) {
            fwrite(p, 1, n, stdout);
            return;
        }
    }
    memcpy(r->out.data + r->out.len, p, n);
    r->out.len += n;
}

/* The counts, messages and report of a processed item. */
static void account(run *r, item *it)
{
    if (it->failed) {
        r->n_failed++;
        fprintf(stderr, "heard: %s:%zu: %s\n", it->fname, it->lineno, it->msg);
        if (r->rep)
            cli_report_failed(r->rep);
    } else if (r->rep && cli_report_add(r->rep, &it->sum) != 0) {
        fprintf(stderr, "heard: out of memory aggregating the report\n");
    }
}

static void emit(run *r, item *it)
{
    account(r, it);
    if (!r->rep && it->out.len)
        put_out(r, it->out.data, it->out.len);
    if (it->out.cap > KEEP_BYTES)
        heard_buf_free(&it->out);
}

static void item_free(item *it)
{
    free(it->line);
    heard_doc_free(it->doc);
    heard_buf_free(&it->out);
}

static int run_sequential(run *r)
{
    heard_workspace *ws;
    heard_error err;
    if (heard_workspace_new(r->an, &ws, &err) != HEARD_OK) {
        fprintf(stderr, "heard: %s\n", err.message);
        return -1;
    }
    item it;
    memset(&it, 0, sizeof it);
    while (source_next(&r->src, &it)) {
        if (!r->gather) {
            process(r, ws, &it);
            emit(r, &it);
            continue;
        }
        /* the line is written straight after the gathered ones: no copy */
        heard_buf own = it.out;
        size_t base = r->out.len;
        it.out = r->out;
        it.out_base = base;
        process(r, ws, &it);
        r->out = it.out;
        it.out = own;
        it.out_base = 0;
        account(r, &it);
        /* written to stdout where put_out would have, so the output and its
         * order against stderr stay the same: the lines before it once
         * OUT_FLUSH bytes are passed, a line longer than that at once */
        size_t n = r->out.len - base;
        if (r->out.len > OUT_FLUSH) {
            if (base)
                fwrite(r->out.data, 1, base, stdout);
            if (n > OUT_FLUSH) {
                fwrite(r->out.data + base, 1, n, stdout);
                n = 0;
            } else {
                memmove(r->out.data, r->out.data + base, n);
            }
            r->out.len = n;
            if (r->out.cap > KEEP_BYTES) { /* grown for one huge line: give it back */
                char *p = realloc(r->out.data, OUT_CAP);
                if (p) {
                    r->out.data = p;
                    r->out.cap = OUT_CAP;
                }
            }
        }
    }
    item_free(&it);
    heard_workspace_free(ws);
    return 0;
}

/* ---- pipeline ---- */

static void *reader_main(void *arg)
{
    run *r = arg;
    bool more = true;
    while (more) {
        pthread_mutex_lock(&r->mu);
        while (r->next_fill - r->next_write >= r->n_slots)
            pthread_cond_wait(&r->cv_reader, &r->mu);
        batch *b = &r->slots[r->next_fill % r->n_slots];
        pthread_mutex_unlock(&r->mu);

        size_t bytes = 0;
        b->n = 0;
        while (b->n < BATCH_ITEMS && bytes < BATCH_BYTES) {
            item *it = &b->items[b->n];
            if (!source_next(&r->src, it)) {
                more = false;
                break;
            }
            bytes += it->len + 256;
            b->n++;
        }
        pthread_mutex_lock(&r->mu);
        if (b->n) {
            b->state = SLOT_FILLED;
            r->next_fill++;
        }
        if (!more)
            r->reader_done = true;
        pthread_cond_broadcast(&r->cv_worker);
        pthread_cond_signal(&r->cv_writer);
        pthread_mutex_unlock(&r->mu);
    }
    return NULL;
}

static void *worker_main(void *arg)
{
    void **a = arg;
    run *r = a[0];
    heard_workspace *ws = a[1];
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (r->next_work == r->next_fill && !r->reader_done)
            pthread_cond_wait(&r->cv_worker, &r->mu);
        if (r->next_work == r->next_fill)
            break;
        batch *b = &r->slots[r->next_work++ % r->n_slots];
        pthread_mutex_unlock(&r->mu);
        for (size_t i = 0; i < b->n; i++)
            process(r, ws, &b->items[i]);
        pthread_mutex_lock(&r->mu);
        b->state = SLOT_DONE;
        pthread_cond_signal(&r->cv_writer);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

static void write_batches(run *r)
{
    pthread_mutex_lock(&r->mu);
    for (;;) {
        batch *b = &r->slots[r->next_write % r->n_slots];
        while (!(r->next_write < r->next_fill && b->state == SLOT_DONE) &&
               !(r->reader_done && r->next_write == r->next_fill))
            pthread_cond_wait(&r->cv_writer, &r->mu);
        if (r->next_write == r->next_fill)
            break;
        pthread_mutex_unlock(&r->mu);
        for (size_t i = 0; i < b->n; i++)
            emit(r, &b->items[i]);
        pthread_mutex_lock(&r->mu);
        b->state = SLOT_EMPTY;
        r->next_write++;
        pthread_cond_signal(&r->cv_reader);
    }
    pthread_mutex_unlock(&r->mu);
}

static void free_slots(run *r)
{
    if (!r->slots)
        return;
    for (size_t s = 0; s < r->n_slots; s++)
        for (size_t i = 0; i < BATCH_ITEMS; i++)
            item_free(&r->slots[s].items[i]);
    free(r->slots);
    r->slots = NULL;
}

/* Workers are started first: if none can be, the run falls back to one
 * thread before any input is consumed. */
static int run_threads(run *r)
{
    long n = r->opt->threads;
    int rc = -1;
    long started = 0;
    heard_workspace **ws = calloc((size_t)n, sizeof *ws);
    void *(*args)[2] = calloc((size_t)n, sizeof *args);
    pthread_t *tid = calloc((size_t)n, sizeof *tid);
    pthread_t reader;
    r->n_slots = (size_t)n * 2 + 2;
    r->slots = calloc(r->n_slots, sizeof *r->slots);
    if (!ws || !args || !tid || !r->slots) {
        fprintf(stderr, "heard: out of memory\n");
        goto out;
    }
    for (long i = 0; i < n; i++) {
        heard_error err;
        if (heard_workspace_new(r->an, &ws[i], &err) != HEARD_OK) {
            fprintf(stderr, "heard: %s\n", err.message);
            goto out;
        }
        args[i][0] = r;
        args[i][1] = ws[i];
    }
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv_reader, NULL);
    pthread_cond_init(&r->cv_worker, NULL);
    pthread_cond_init(&r->cv_writer, NULL);
    for (; started < n; started++)
        if (pthread_create(&tid[started], NULL, worker_main, args[started]) != 0)
            break;
    if (started > 0 && pthread_create(&reader, NULL, reader_main, r) == 0) {
        write_batches(r);
        pthread_join(reader, NULL);
        rc = 0;
    } else {
        pthread_mutex_lock(&r->mu);
        r->reader_done = true; /* nothing was read: workers just stop */
        pthread_cond_broadcast(&r->cv_worker);
        pthread_mutex_unlock(&r->mu);
    }
    for (long i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    pthread_cond_destroy(&r->cv_reader);
    pthread_cond_destroy(&r->cv_worker);
    pthread_cond_destroy(&r->cv_writer);
    pthread_mutex_destroy(&r->mu);
    if (rc != 0)
        rc = run_sequential(r);
out:
    free_slots(r);
    if (ws)
        for (long i = 0; i < n; i++)
            heard_workspace_free(ws[i]);
    free(ws);
    free(args);
    free(tid);
    return rc;
}

/* ---- command ---- */

int heard_cli_analyze(int argc, char **argv)
{
    options o;
    int rc = parse_options(argc, argv, &o);
    if (rc)
        return rc < 0 ? 0 : rc;

    const char *dir;
    char msg[512];
    if (heard_cli_model_dir(o.models, &dir, msg, sizeof msg) != 0) {
        fprintf(stderr, "heard: %s\n", msg);
        return 2;
    }
    heard_options hopt = {.model_dir = dir, .max_turn_bytes = o.max_turn_bytes,
                          .max_turns = o.max_turns};
    run r;
    memset(&r, 0, sizeof r);
    r.opt = &o;
    heard_error err;
    if (heard_analyzer_new(&hopt, &r.an, &err) != HEARD_OK) {
        fprintf(stderr, "heard: %s\n", err.message);
        return 2;
    }
    r.src.opt = &o;
    r.src.fi = -1;
    r.src.buf = malloc(READ_CHUNK);
    if (o.report)
        r.rep = cli_report_new();
    if (!o.report && !isatty(STDOUT_FILENO) && (r.out.data = malloc(OUT_CAP))) {
        r.out.cap = OUT_CAP;
        r.gather = true;
    }
    int status = 2;
    if (r.src.buf && (!o.report || r.rep)) {
        int ok = o.threads > 1 ? run_threads(&r) : run_sequential(&r);
        flush_out(&r);
        status = ok != 0 ? 2 : r.src.status ? r.src.status : r.n_failed ? 1 : 0;
        if (r.rep && ok == 0)
            cli_report_print(r.rep, stdout);
    } else {
        fprintf(stderr, "heard: out of memory\n");
    }
    close_file(&r.src);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "heard: cannot write the output: %s\n", strerror(errno));
        status = 2;
    }
    heard_buf_free(&r.out);
    free(r.src.buf);
    cli_report_free(r.rep);
    heard_analyzer_free(r.an);
    return status;
}

/* csv_io.c - a streaming RFC 4180 reader that turns consecutive rows with the
 * same conversation_id into one conversation.
 *
 * Only one group is held at a time (plus the first row of the next one), so
 * memory does not grow with the file. A group is turned into the same jansson
 * object a JSONL line would give and handed to json_io.c, so validation and
 * output are shared.
 *
 * Decisions (documented in heard(1)):
 * - header names are matched case-insensitively after trimming blanks; a
 *   UTF-8 byte order mark is skipped; a header without conversation_id,
 *   speaker or text is an error for the whole file;
 * - every row must have as many fields as the header;
 * - blank lines are skipped; "\r\n" and "\n" both end a row;
 * - a quote inside an unquoted field, or text after a closing quote, is kept
 *   literally rather than rejected;
 * - channel, agent and team come from a group's first row; other columns are
 *   echoed, when not empty, as string fields of that row's turn. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "io_internal.h"

#define MAX_RECORD_BYTES (64u << 20)
#define INBUF 65536

enum { COL_ID, COL_SPEAKER, COL_TEXT, COL_AT, COL_CHANNEL, COL_AGENT, COL_TEAM, N_KNOWN };
static const char *const known_names[N_KNOWN] = {"conversation_id", "speaker", "text", "at",
                                                 "channel", "agent", "team"};

typedef struct field {
    char *p;
    size_t len, cap;
} field;

struct heard_csv_reader {
    FILE *f;
    size_t max_turns;
    char *in;          /* read buffer */
    size_t pos, end;
    bool eof;
    size_t line;       /* physical line of the next byte, 1-based */

    size_t n_cols;
    int known[N_KNOWN];   /* column index of each known name, -1 when absent */
    char **col_names;     /* header names, for echoing extra columns */

    field *fields;        /* the current record */
    size_t n_fields, cap_fields;
    size_t rec_line;
    char rec_error[160];  /* non-empty when the current record is malformed */
    bool pending;         /* current record starts the next group */
    bool done;

    size_t *turn_lines;   /* line of each turn in the current group */
    size_t cap_turn_lines;
};

/* ---- bytes and records ---- */

static int getch(heard_csv_reader *r)
{
    if (r->pos == r->end) {
        if (r->eof)
            return EOF;
        r->end = fread(r->in, 1, INBUF, r->f);
        r->pos = 0;
        if (r->end == 0) {
            r->eof = true;
            return EOF;
        }
    }
    return (unsigned char)r->in[r->pos++];
}

static int peekch(heard_csv_reader *r)
{
    int c = getch(r);
    if (c != EOF)
        r->pos--;
    return c;
}

static int new_field(heard_csv_reader *r)
{
    if (r->n_fields == r->cap_fields) {
        size_t ncap = r->cap_fields ? r->cap_fields * 2 : 16;
        field *nf = realloc(r->fields, ncap * sizeof *nf);
        if (!nf)
            return -1;
        memset(nf + r->cap_fields, 0, (ncap - r->cap_fields) * sizeof *nf);
        r->fields = nf;
        r->cap_fields = ncap;
    }
    r->fields[r->n_fields++].len = 0;
    return 0;
}

static int append(field *f, char c)
{
    if (f->len + 1 >= f->cap) {
        size_t ncap = f->cap ? f->cap * 2 : 64;
        char *p = realloc(f->p, ncap);
        if (!p)
            return -1;
        f->p = p;
        f->cap = ncap;
    }
    f->p[f->len++] = c;
    f->p[f->len] = '\0';
    return 0;
}

/* Read one record into r->fields. Returns 1 when a record was read (possibly
 * malformed: r->rec_error says why), 0 at end of input, -1 out of memory. */
static int read_record(heard_csv_reader *r)
{
    for (;;) {
        r->n_fields = 0;
        r->rec_error[0] = '\0';
        r->rec_line = r->line;
        if (new_field(r))
            return -1;
        size_t bytes = 0;
        bool quoted = false, started = false, any = false, was_quoted = false;
        for (;;) {
            int c = getch(r);
            if (c == EOF) {
                if (quoted)
                    snprintf(r->rec_error, sizeof r->rec_error,
                             "unterminated quoted field at end of input");
                if (!any)
                    return 0;
                break;
            }
            any = true;
            field *f = &r->fields[r->n_fields - 1];
            if (quoted) {
                if (c == '"') {
                    if (peekch(r) == '"')
                        getch(r);
                    else {
                        quoted = false;
                        continue;
                    }
                }
                if (c == '\n')
                    r->line++;
            } else if (c == '"' && !started) {
                quoted = was_quoted = started = true;
                continue;
            } else if (c == ',') {
                if (new_field(r))
                    return -1;
                started = false;
                continue;
            } else if (c == '\n') {
                r->line++;
                break;
            } else if (c == '\r' && peekch(r) == '\n') {
                continue;
            }
            started = true;
            if (++bytes > MAX_RECORD_BYTES) {
                if (!r->rec_error[0])
                    snprintf(r->rec_error, sizeof r->rec_error,
                             "row longer than %u bytes", MAX_RECORD_BYTES);
                continue;
            }
            if (append(f, (char)c))
                return -1;
        }
        if (r->n_fields == 1 && r->fields[0].len == 0 && !was_quoted && !r->rec_error[0])
            continue; /* blank line */
        return 1;
    }
}

/* ---- header ---- */

static void trim(char **s, size_t *n)
{
    while (*n && isspace((unsigned char)**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && isspace((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

static heard_status read_header(heard_csv_reader *r, heard_error *err)
{
    int rc = read_record(r);
    if (rc < 0)
        return heard_fail(err, HEARD_ENOMEM, "out of memory");
    if (rc == 0) {
        r->done = true; /* empty file: no conversations */
        return HEARD_OK;
    }
    if (r->rec_error[0])
        return heard_fail(err, HEARD_EINVAL, "CSV header: %s", r->rec_error);
    r->n_cols = r->n_fields;
    r->col_names = calloc(r->n_cols, sizeof *r->col_names);
    if (!r->col_names)
        return heard_fail(err, HEARD_ENOMEM, "out of memory");
    for (int k = 0; k < N_KNOWN; k++)
        r->known[k] = -1;
    for (size_t i = 0; i < r->n_cols; i++) {
        char *s = r->fields[i].p ? r->fields[i].p : "";
        size_t n = r->fields[i].len;
        if (i == 0 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
            s += 3;
            n -= 3;
        }
        trim(&s, &n);
        if (memchr(s, '\0', n))
            return heard_fail(err, HEARD_EINVAL, "CSV header: column %zu name holds a NUL byte",
                              i + 1);
        if (!(r->col_names[i] = strndup(s, n)))
            return heard_fail(err, HEARD_ENOMEM, "out of memory");
        json_t *probe = json_stringn(s, n);
        if (!probe)
            return heard_fail(err, HEARD_EUTF8, "CSV header: column %zu name is not valid UTF-8", i + 1);
        json_decref(probe);
        for (int k = 0; k < N_KNOWN; k++) {
            if (strcasecmp(r->col_names[i], known_names[k]) != 0)
                continue;
            if (r->known[k] >= 0)
                return heard_fail(err, HEARD_EINVAL, "CSV header: column \"%s\" appears twice",
                            known_names[k]);
            r->known[k] = (int)i;
        }
    }
    char missing[80] = "";
    for (int k = COL_ID; k <= COL_TEXT; k++)
        if (r->known[k] < 0) {
            if (missing[0])
                strcat(missing, ", ");
            strcat(missing, known_names[k]);
        }
    if (missing[0])
        return heard_fail(err, HEARD_EINVAL,
                    "CSV header lacks column(s) %s (needs at least conversation_id,speaker,text)",
                    missing);
    return HEARD_OK;
}

heard_status heard_csv_open(void *file, size_t max_turns, heard_csv_reader **out,
                            heard_error *err)
{
    *out = NULL;
    heard_csv_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->in = malloc(INBUF))) {
        free(r);
        return heard_fail(err, HEARD_ENOMEM, "out of memory");
    }
    r->f = file;
    r->max_turns = max_turns ? max_turns : HEARD_DEFAULT_MAX_TURNS;
    r->line = 1;
    heard_status st = read_header(r, err);
    if (st != HEARD_OK) {
        heard_csv_close(r);
        return st;
    }
    *out = r;
    return HEARD_OK;
}

void heard_csv_close(heard_csv_reader *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->cap_fields; i++)
        free(r->fields[i].p);
    free(r->fields);
    if (r->col_names)
        for (size_t i = 0; i < r->n_cols; i++)
            free(r->col_names[i]);
    free(r->col_names);
    free(r->turn_lines);
    free(r->in);
    free(r);
}

/* ---- groups ---- */

static const field *col(const heard_csv_reader *r, int known)
{
    int i = r->known[known];
    if (i < 0 || (size_t)i >= r->n_fields)
        return NULL;
    return &r->fields[i];
}

static json_t *str_of(const field *f)
{
    return json_stringn(f->p ? f->p : "", f->len);
}

/* The state of the group being read. */
typedef struct group {
    char *id;           /* owned copy of conversation_id */
    size_t id_len;
    json_t *root, *turns;
    size_t n_turns;
    heard_status st;    /* first error of the group, HEARD_OK when none */
    heard_error err;
    size_t err_line;
} group;

static void group_fail(group *g, size_t line, heard_status st, const char *fmt, ...)
{
    if (g->st != HEARD_OK)
        return;
    g->st = st;
    g->err_line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->err.message, sizeof g->err.message, fmt, ap);
    va_end(ap);
}

/* Set key of obj from field f unless f is missing or empty. */
static int set_str(group *g, size_t line, json_t *obj, const char *key, const field *f)
{
    if (!f || f->len == 0)
        return 0;
    json_t *v = str_of(f);
    if (!v) {
        group_fail(g, line, HEARD_EUTF8, "column \"%s\" is not valid UTF-8", key);
        return -1;
    }
    if (json_object_set_new(obj, key, v)) {
        group_fail(g, line, HEARD_ENOMEM, "out of memory");
        return -1;
    }
    return 0;
}

static void add_row(heard_csv_reader *r, group *g)
{
    size_t line = r->rec_line;
    if (r->rec_error[0]) {
        group_fail(g, line, HEARD_EINVAL, "%s", r->rec_error);
        return;
    }
    if (r->n_fields != r->n_cols) {
        group_fail(g, line, HEARD_EINVAL, "row has %zu fields, the header has %zu",
                   r->n_fields, r->n_cols);
        return;
    }
    if (g->id_len == 0) {
        group_fail(g, line, HEARD_EINVAL, "empty conversation_id");
        return;
    }
    if (g->st != HEARD_OK)
        return;
    if (g->n_turns == 0) {
        if (set_str(g, line, g->root, "channel", col(r, COL_CHANNEL)) ||
            set_str(g, line, g->root, "agent", col(r, COL_AGENT)) ||
            set_str(g, line, g->root, "team", col(r, COL_TEAM)))
            return;
    }
    if (g->n_turns >= r->max_turns) {
        group_fail(g, line, HEARD_ELIMIT, "conversation has more than %zu turns",
                   r->max_turns);
        return;
    }
    json_t *t = json_object();
    if (!t || json_array_append_new(g->turns, t)) {
        group_fail(g, line, HEARD_ENOMEM, "out of memory");
        return;
    }
    const field *text = col(r, COL_TEXT);
    json_t *tv = str_of(text);
    if (!tv) {
        group_fail(g, line, HEARD_EUTF8, "text is not valid UTF-8");
        return;
    }
    json_object_set_new(t, "text", tv);
    if (set_str(g, line, t, "speaker", col(r, COL_SPEAKER)))
        return;
    if (set_str(g, line, t, "at", col(r, COL_AT)))
        return;
    for (size_t i = 0; i < r->n_cols; i++) {
        bool known = false;
        for (int k = 0; k < N_KNOWN; k++)
            known |= r->known[k] == (int)i;
        if (!known && set_str(g, line, t, r->col_names[i], &r->fields[i]))
            return;
    }
    if (g->n_turns == r->cap_turn_lines) {
        size_t ncap = r->cap_turn_lines ? r->cap_turn_lines * 2 : 64;
        size_t *nl = realloc(r->turn_lines, ncap * sizeof *nl);
        if (!nl) {
            group_fail(g, line, HEARD_ENOMEM, "out of memory");
            return;
        }
        r->turn_lines = nl;
        r->cap_turn_lines = ncap;
    }
    r->turn_lines[g->n_turns++] = line;
}

static bool same_id(const heard_csv_reader *r, const group *g)
{
    const field *f = col(r, COL_ID);
    size_t n = f ? f->len : 0;
    return n == g->id_len && (n == 0 || memcmp(f->p, g->id, n) == 0);
}

/* Messages of json_io.c start "turn N: "; in CSV the line says where. */
static const char *strip_turn(const char *msg)
{
    if (strncmp(msg, "turn ", 5) == 0) {
        const char *c = strstr(msg, ": ");
        if (c)
            return c + 2;
    }
    return msg;
}

heard_status heard_csv_next(heard_csv_reader *r, heard_doc **out, size_t *line,
                            heard_error *err)
{
    *out = NULL;
    if (r->done)
        return HEARD_OK;
    if (!r->pending) {
        int rc = read_record(r);
        if (rc < 0)
            return heard_fail(err, HEARD_ENOMEM, "out of memory");
        if (rc == 0) {
            r->done = true;
            return HEARD_OK;
        }
    }
    r->pending = false;
    if (line)
        *line = r->rec_line;

    group g = {0};
    const field *idf = col(r, COL_ID);
    g.id_len = idf ? idf->len : 0;
    /* not strndup: an id may hold a NUL byte, and json_stringn reads id_len */
    g.id = malloc(g.id_len + 1);
    if (g.id) {
        if (g.id_len)
            memcpy(g.id, idf->p, g.id_len);
        g.id[g.id_len] = '\0';
    }
    g.root = json_object();
    g.turns = json_array();
    if (!g.id || !g.root || !g.turns || json_object_set_new(g.root, "turns", g.turns)) {
        free(g.id);
        json_decref(g.root);
        return heard_fail(err, HEARD_ENOMEM, "out of memory");
    }
    json_t *idv = json_stringn(g.id, g.id_len);
    if (!idv)
        group_fail(&g, r->rec_line, HEARD_EUTF8, "conversation_id is not valid UTF-8");
    else
        json_object_set_new(g.root, "id", idv);

    for (;;) {
        add_row(r, &g);
        int rc = read_record(r);
        if (rc < 0) {
            group_fail(&g, r->rec_line, HEARD_ENOMEM, "out of memory");
            r->done = true;
            break;
        }
        if (rc == 0) {
            r->done = true;
            break;
        }
        if (!same_id(r, &g)) {
            r->pending = true;
            break;
        }
    }
    free(g.id);
    if (g.st != HEARD_OK) {
        json_decref(g.root);
        if (line)
            *line = g.err_line;
        if (err)
            *err = g.err;
        return g.st;
    }
    size_t bad = (size_t)-1;
    heard_error e;
    heard_status st = heard_doc_from_root(g.root, r->max_turns, out, &e, &bad);
    if (st != HEARD_OK) {
        if (bad < g.n_turns && line)
            *line = r->turn_lines[bad];
        heard_fail(err, st, "%s", strip_turn(e.message));
    }
    return st;
}

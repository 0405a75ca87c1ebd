/* report.c - `heard analyze --report`: a readable summary of many
 * conversations, per agent, team and channel, plus the opportunities agents
 * miss most, with the customer's words.
 *
 * Each conversation is reduced to a fixed-size cli_summary by the worker
 * that analysed it; the report keeps one accumulator per agent, team,
 * channel and missed cue, so memory does not grow with the number of
 * conversations. Summaries are added in input order, which makes the
 * quoted examples the same whatever the number of threads. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "text.h"

#define MAX_ROWS 25

typedef struct acc {
    char name[CLI_NAME_MAX];
    size_t n;
    double empathy, politeness, felt_heard;
    size_t opportunities, missed, unanswered;
    size_t polite_not_empathetic, dismissive, urgent_wait;
} acc;

/* Accumulators by name: an array plus an open-addressing index into it. */
typedef struct table {
    acc *rows;
    size_t n, cap;
    size_t *slot;      /* row index + 1; 0 empty */
    size_t n_slots;    /* power of two */
} table;

typedef struct missed_cue {
    char cue[40];
    size_t count;
    char words[CLI_WORDS_MAX]; /* first example seen */
} missed_cue;

struct cli_report {
    acc overall;
    table agents, teams;
    acc channels[HEARD_N_CHANNELS];
    size_t failed;
    missed_cue *cues;
    size_t n_cues, cap_cues;
};

/* Copy at most cap-1 bytes of s[0..n) without cutting a UTF-8 character. */
static void copy_text(char *dst, size_t cap, const char *s, size_t n)
{
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static void copy_name(char *dst, const char *s)
{
    if (!s) {
        dst[0] = '\0';
        return;
    }
    copy_text(dst, CLI_NAME_MAX, s, strlen(s));
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void describe_missed(const heard_doc *doc, const heard_result *res,
                            const heard_opportunity *o, cli_missed *m)
{
    const char *kind = o->kind == HEARD_OPP_URGENCY ? "urgency" : "bid";
    const heard_conversation_in *conv = heard_doc_conversation(doc);
    const heard_turn_in *in = &conv->turns[o->turn];
    const heard_turn_result *t = &res->turns[o->turn];
    const heard_evidence *ev = NULL;
    for (size_t k = 0; k < t->n_evidence && !ev; k++)
        if (t->evidence[k].cue && starts_with(t->evidence[k].cue, kind))
            ev = &t->evidence[k];
    if (ev && ev->start <= ev->end && ev->end <= in->len) {
        copy_text(m->cue, sizeof m->cue, ev->cue, strlen(ev->cue));
        copy_text(m->words, sizeof m->words, in->text + ev->start, ev->end - ev->start);
    } else {
        copy_text(m->cue, sizeof m->cue, kind, strlen(kind));
        copy_text(m->words, sizeof m->words, in->text, in->len);
    }
    for (char *p = m->words; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
}

void cli_summarize(const heard_doc *doc, const heard_result *res, cli_summary *out)
{
    memset(out, 0, sizeof *out);
    copy_name(out->agent, heard_doc_string(doc, "agent"));
    copy_name(out->team, heard_doc_string(doc, "team"));
    out->channel = heard_doc_conversation(doc)->channel;
    out->n_turns = res->n_turns;
    out->empathy = res->empathy_score;
    out->politeness = res->politeness_score;
    out->felt_heard = res->felt_heard;
    out->flags = res->flags;
    for (size_t i = 0; i < res->n_opportunities; i++) {
        const heard_opportunity *o = &res->opportunities[i];
        out->n_opportunities++;
        out->n_unanswered += o->response_turn < 0;
        if (!heard_opportunity_missed(o) || o->turn >= res->n_turns)
            continue;
        out->n_missed++;
        if (out->n_missed_listed < CLI_MISSED_MAX)
            describe_missed(doc, res, o, &out->missed[out->n_missed_listed++]);
    }
}

cli_report *cli_report_new(void)
{
    return calloc(1, sizeof(cli_report));
}

void cli_report_free(cli_report *rep)
{
    if (!rep)
        return;
    free(rep->agents.rows);
    free(rep->agents.slot);
    free(rep->teams.rows);
    free(rep->teams.slot);
    free(rep->cues);
    free(rep);
}

static int table_rehash(table *t, size_t n_slots)
{
    size_t *slot = calloc(n_slots, sizeof *slot);
    if (!slot)
        return -1;
    for (size_t i = 0; i < t->n; i++) {
        size_t j = heard_hash(t->rows[i].name, strlen(t->rows[i].name)) & (n_slots - 1);
        while (slot[j])
            j = (j + 1) & (n_slots - 1);
        slot[j] = i + 1;
    }
    free(t->slot);
    t->slot = slot;
    t->n_slots = n_slots;
    return 0;
}

static acc *table_get(table *t, const char *name)
{
    if ((t->n + 1) * 2 > t->n_slots && table_rehash(t, t->n_slots ? t->n_slots * 2 : 64))
        return NULL;
    size_t j = heard_hash(name, strlen(name)) & (t->n_slots - 1);
    while (t->slot[j]) {
        acc *a = &t->rows[t->slot[j] - 1];
        if (strcmp(a->name, name) == 0)
            return a;
        j = (j + 1) & (t->n_slots - 1);
    }
    if (t->n == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 32;
        acc *rows = realloc(t->rows, ncap * sizeof *rows);
        if (!rows)
            return NULL;
        t->rows = rows;
        t->cap = ncap;
    }
    acc *a = &t->rows[t->n];
    memset(a, 0, sizeof *a);
    snprintf(a->name, sizeof a->name, "%s", name);
    t->slot[j] = ++t->n;
    return a;
}

static void acc_add(acc *a, const cli_summary *s)
{
    a->n++;
    a->empathy += s->empathy;
    a->politeness += s->politeness;
    a->felt_heard += s->felt_heard;
    a->opportunities += s->n_opportunities;
    a->missed += s->n_missed;
    a->unanswered += s->n_unanswered;
    a->polite_not_empathetic += !!(s->flags & HEARD_FLAG_POLITE_NOT_EMPATHETIC);
    a->dismissive += !!(s->flags & HEARD_FLAG_DISMISSIVE);
    a->urgent_wait += !!(s->flags & HEARD_FLAG_URGENT_WAIT);
}

static int add_missed(cli_report *rep, const cli_missed *m)
{
    for (size_t i = 0; i < rep->n_cues; i++)
        if (strcmp(rep->cues[i].cue, m->cue) == 0) {
            rep->cues[i].count++;
            return 0;
        }
    if (rep->n_cues == rep->cap_cues) {
        size_t ncap = rep->cap_cues ? rep->cap_cues * 2 : 16;
        missed_cue *c = realloc(rep->cues, ncap * sizeof *c);
        if (!c)
            return -1;
        rep->cues = c;
        rep->cap_cues = ncap;
    }
    missed_cue *c = &rep->cues[rep->n_cues++];
    memcpy(c->cue, m->cue, sizeof c->cue);
    memcpy(c->words, m->words, sizeof c->words);
    c->count = 1;
    return 0;
}

int cli_report_add(cli_report *rep, const cli_summary *s)
{
    acc_add(&rep->overall, s);
    if ((unsigned)s->channel < HEARD_N_CHANNELS)
        acc_add(&rep->channels[s->channel], s);
    acc *a = table_get(&rep->agents, s->agent[0] ? s->agent : "(none)");
    acc *t = table_get(&rep->teams, s->team[0] ? s->team : "(none)");
    if (!a || !t)
        return -1;
    acc_add(a, s);
    acc_add(t, s);
    for (unsigned i = 0; i < s->n_missed_listed; i++)
        if (add_missed(rep, &s->missed[i]))
            return -1;
    return 0;
}

void cli_report_failed(cli_report *rep)
{
    rep->failed++;
}

/* ---- printing ---- */

static double pct(size_t part, size_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static void print_header(FILE *out, const char *what)
{
    fprintf(out, "  %-18s %6s %8s %7s %6s %8s %10s %11s %12s\n", what, "convs", "empathy",
            "polite", "heard", "missed%", "polite_ne%", "dismissive%", "urgent_wait%");
}

static void print_row(FILE *out, const acc *a)
{
    double n = a->n ? (double)a->n : 1.0;
    char name[19];
    copy_text(name, sizeof name, a->name, strlen(a->name));
    fprintf(out, "  %-18s %6zu %8.1f %7.1f %6.2f ", name, a->n, a->empathy / n,
            a->politeness / n, a->felt_heard / n);
    if (a->opportunities > a->unanswered)
        fprintf(out, "%8.1f", pct(a->missed, a->opportunities - a->unanswered));
    else
        fprintf(out, "%8s", "-");
    fprintf(out, " %10.1f %11.1f %12.1f\n", pct(a->polite_not_empathetic, a->n),
            pct(a->dismissive, a->n), pct(a->urgent_wait, a->n));
}

static int by_count(const void *x, const void *y)
{
    const acc *a = x, *b = y;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;
    return strcmp(a->name, b->name);
}

static void print_table(FILE *out, const char *title, const char *what, table *t)
{
    fprintf(out, "\n%s\n", title);
    print_header(out, what);
    qsort(t->rows, t->n, sizeof *t->rows, by_count);
    for (size_t i = 0; i < t->n && i < MAX_ROWS; i++)
        print_row(out, &t->rows[i]);
    if (t->n > MAX_ROWS)
        fprintf(out, "  ... and %zu more\n", t->n - MAX_ROWS);
}

static int by_misses(const void *x, const void *y)
{
    const missed_cue *a = x, *b = y;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->cue, b->cue);
}

/* Sorting reorders the rows under the hash index, so nothing may be added
 * after printing. */
void cli_report_print(cli_report *rep, FILE *out)
{
    const acc *o = &rep->overall;
    double n = o->n ? (double)o->n : 1.0;
    fprintf(out, "heard report: %zu conversation%s analysed", o->n, o->n == 1 ? "" : "s");
    if (rep->failed)
        fprintf(out, ", %zu unreadable (see stderr)", rep->failed);
    fputs("\n\nOverall\n", out);
    if (!o->n) {
        fputs("  nothing to report\n", out);
        return;
    }
    fprintf(out, "  mean empathy %.1f/100, politeness %.1f/100, felt heard %.2f/5\n",
            o->empathy / n, o->politeness / n, o->felt_heard / n);
    /* the rate is of the opportunities an agent reply was judged on */
    fprintf(out, "  empathy opportunities %zu, missed %zu (%.1f%%)", o->opportunities, o->missed,
            pct(o->missed, o->opportunities - o->unanswered));
    if (o->unanswered)
        fprintf(out, ", unanswered %zu (no agent turn after them)", o->unanswered);
    fputc('\n', out);
    fprintf(out,
            "  conversations polite but not empathetic %.1f%%, dismissive %.1f%%, "
            "urgent but kept waiting %.1f%%\n",
            pct(o->polite_not_empathetic, o->n), pct(o->dismissive, o->n),
            pct(o->urgent_wait, o->n));

    print_table(out, "By agent", "agent", &rep->agents);
    print_table(out, "By team", "team", &rep->teams);
    fputs("\nBy channel\n", out);
    print_header(out, "channel");
    for (int c = 0; c < HEARD_N_CHANNELS; c++) {
        acc a = rep->channels[c];
        if (!a.n)
            continue;
        snprintf(a.name, sizeof a.name, "%s", heard_channel_name((heard_channel)c));
        print_row(out, &a);
    }

    fputs("\nMost missed opportunities\n", out);
    if (!rep->n_cues) {
        fputs("  none missed\n", out);
    } else {
        qsort(rep->cues, rep->n_cues, sizeof *rep->cues, by_misses);
        for (size_t i = 0; i < rep->n_cues && i < 3; i++)
            fprintf(out, "  %zu. %s: missed %zu time%s, e.g. the customer said \"%s\"\n", i + 1,
                    rep->cues[i].cue, rep->cues[i].count, rep->cues[i].count == 1 ? "" : "s",
                    rep->cues[i].words);
    }
    fputs("\nColumns: means of empathy and politeness (0-100) and felt heard (1-5); missed% of\n"
          "the empathy opportunities an agent turn answered; % of conversations flagged\n"
          "polite_not_empathetic, dismissive and urgent_wait.\n",
          out);
}

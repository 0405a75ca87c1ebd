/* cli.h - declarations shared by the files of the `heard` command: the
 * sub-command entry points dispatched by main.c, model directory lookup and
 * the --report aggregation of analyze.c/report.c. */
#ifndef HEARD_CLI_H
#define HEARD_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "heard/heard.h"
#include "heard/heard_io.h"

/* Sub-commands: argv[0] is the sub-command name; return the exit status
 * (0 ok, 1 some input failed, 2 usage or I/O error). */
int heard_cli_analyze(int argc, char **argv);
int heard_cli_train(int argc, char **argv);  /* cli/train_cmd.c */
int heard_cli_eval(int argc, char **argv);   /* cli/eval_cmd.c */
/* `heard serve` and `heard keys` (argv[0] "serve" or "keys"): exec
 * heard-server (server/main.c) with these arguments after argv0 (heard's
 * own argv[0]); returns only when it cannot be run (status 2, message
 * printed). */
int heard_cli_exec_server(char *argv0, int argc, char **argv);

void heard_cli_analyze_help(FILE *out);

/* cli/train_cmd.c, for `heard eval --cv`: train the cs heads on c plus the
 * conversations of extra (NULL: none) into out_dir/cs.hm, with the other
 * model files of model_src used for features (with data: the emotion heads
 * too, on GoEmotions and c's customer turns). 0 on success. */
struct heard_corpus;
int heard_cli_train_cs_into(const struct heard_corpus *c, const char *model_src,
                            const char *out_dir, const char *data, uint64_t seed, int quiet,
                            const struct heard_corpus *extra);

/* The model directory to use: `explicit_dir` (from --models) if given, else
 * $HEARD_MODELS, else the installed models, else the source tree's. *out is
 * NULL when none exists (rules only). Returns -1 with a message in msg when
 * a directory named explicitly (option or environment) does not exist. */
int heard_cli_model_dir(const char *explicit_dir, const char **out, char *msg,
                        size_t msglen);

/* --report: what one conversation contributes to the report, computed by
 * the worker that analysed it (so the writer needs neither doc nor result). */
#define CLI_NAME_MAX 64
#define CLI_WORDS_MAX 100
#define CLI_MISSED_MAX 4
typedef struct cli_missed {
    char cue[40];               /* cue of the missed bid/urgency, or its kind */
    char words[CLI_WORDS_MAX];  /* the customer's words (evidence) */
} cli_missed;

typedef struct cli_summary {
    char agent[CLI_NAME_MAX], team[CLI_NAME_MAX]; /* "" when unknown */
    heard_channel channel;
    size_t n_turns;
    int empathy, politeness; /* 0..100 */
    float felt_heard;        /* 1..5 */
    unsigned flags;          /* enum heard_flag */
    unsigned n_opportunities, n_missed;
    unsigned n_unanswered; /* opportunities with no agent turn after them */
    cli_missed missed[CLI_MISSED_MAX];
    unsigned n_missed_listed;
} cli_summary;

void cli_summarize(const heard_doc *doc, const heard_result *res, cli_summary *out);

/* Aggregates summaries in per-agent/team/channel accumulators: memory grows
 * with the number of distinct agents and teams, not of conversations. */
typedef struct cli_report cli_report;
cli_report *cli_report_new(void);
int cli_report_add(cli_report *rep, const cli_summary *s); /* -1: out of memory */
void cli_report_failed(cli_report *rep);                   /* one unreadable input */
void cli_report_print(cli_report *rep, FILE *out); /* sorts in place: call once, last */
void cli_report_free(cli_report *rep);

#endif

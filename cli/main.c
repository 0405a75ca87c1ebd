/* main.c - the `heard` command: global options and dispatch to the
 * sub-commands (analyze here, train and eval in their own files). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
    fputs("usage: heard <command> [options] [FILE|-]...\n"
          "\n"
          "Measures empathy in customer-service conversations.\n"
          "\n"
          "commands:\n"
          "  analyze   analyse conversations (JSONL or CSV), one JSON line each\n"
          "  train     train the model heads from labelled data\n"
          "  eval      evaluate the analyser against labelled data\n"
          "  serve     run the HTTP API, surveys and dashboard\n"
          "  keys      create API keys for heard serve\n"
          "  help CMD  show the options of a command\n"
          "\n"
          "options:\n"
          "  -h, --help      show this help\n"
          "  -V, --version   show the version\n"
          "\n"
          "See heard(1) for the output format.\n",
          out);
}

static int help_for(const char *cmd)
{
    if (strcmp(cmd, "analyze") == 0) {
        heard_cli_analyze_help(stdout);
        return 0;
    }
    char help[] = "--help";
    if (strcmp(cmd, "train") == 0) {
        char name[] = "train";
        char *args[] = {name, help, NULL};
        return heard_cli_train(2, args);
    }
    if (strcmp(cmd, "eval") == 0) {
        char name[] = "eval";
        char *args[] = {name, help, NULL};
        return heard_cli_eval(2, args);
    }
    if (strcmp(cmd, "serve") == 0 || strcmp(cmd, "keys") == 0) {
        char name[8];
        snprintf(name, sizeof name, "%s", cmd);
        char *args[] = {name, help, NULL};
        return cmd[0] == 's' ? heard_cli_serve(2, args) : heard_cli_keys(2, args);
    }
    fprintf(stderr, "heard: unknown command '%s' (try 'heard --help')\n", cmd);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        printf("heard %s (output schema %d)\n", HEARD_VERSION, HEARD_SCHEMA);
        return 0;
    }
    if (strcmp(cmd, "help") == 0) {
        if (argc < 3) {
            usage(stdout);
            return 0;
        }
        return help_for(argv[2]);
    }
    if (strcmp(cmd, "analyze") == 0 || strcmp(cmd, "analyse") == 0)
        return heard_cli_analyze(argc - 1, argv + 1);
    if (strcmp(cmd, "train") == 0)
        return heard_cli_train(argc - 1, argv + 1);
    if (strcmp(cmd, "eval") == 0)
        return heard_cli_eval(argc - 1, argv + 1);
    if (strcmp(cmd, "serve") == 0)
        return heard_cli_serve(argc - 1, argv + 1);
    if (strcmp(cmd, "keys") == 0)
        return heard_cli_keys(argc - 1, argv + 1);
    if (cmd[0] == '-')
        fprintf(stderr, "heard: unknown option '%s' (try 'heard --help')\n", cmd);
    else
        fprintf(stderr, "heard: unknown command '%s' (try 'heard --help')\n", cmd);
    return 2;
}

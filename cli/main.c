/* main.c - the `heard` command: global options and dispatch to the
 * sub-commands (analyze, train and eval in their own files; serve and keys
 * in the separate heard-server program, see server/main.c). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "heard_config.h"

/* heard-server beside this executable (a build tree, or both installed in
 * one directory), else the installed one in libexec. */
static const char *server_path(char *buf, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);
    if (n > 0) {
        buf[n] = 0;
        char *slash = strrchr(buf, '/');
        static const char name[] = "heard-server";
        if (slash && (size_t)(slash + 1 - buf) + sizeof name <= size) {
            memcpy(slash + 1, name, sizeof name);
            if (access(buf, X_OK) == 0)
                return buf;
        }
    }
    return HEARD_SERVER_INSTPATH;
}

int heard_cli_exec_server(char *argv0, int argc, char **argv)
{
    char buf[PATH_MAX];
    const char *path = server_path(buf, sizeof buf);
    char **av = calloc((size_t)argc + 2, sizeof *av); /* argv0, argv..., NULL */
    if (!av) {
        fputs("heard: out of memory\n", stderr);
        return 2;
    }
    av[0] = argv0; /* ps and pkill still see "heard serve ..." */
    memcpy(av + 1, argv, (size_t)argc * sizeof *av);
    execv(path, av);
    fprintf(stderr, "heard: cannot run the server program %s: %s\n", path, strerror(errno));
    free(av);
    return 2;
}

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

static int help_for(char *argv0, const char *cmd)
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
        char *args[] = {name, help};
        return heard_cli_exec_server(argv0, 2, args);
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
        return help_for(argv[0], argv[2]);
    }
    if (strcmp(cmd, "analyze") == 0 || strcmp(cmd, "analyse") == 0)
        return heard_cli_analyze(argc - 1, argv + 1);
    if (strcmp(cmd, "train") == 0)
        return heard_cli_train(argc - 1, argv + 1);
    if (strcmp(cmd, "eval") == 0)
        return heard_cli_eval(argc - 1, argv + 1);
    if (strcmp(cmd, "serve") == 0 || strcmp(cmd, "keys") == 0)
        return heard_cli_exec_server(argv[0], argc - 1, argv + 1);
    if (cmd[0] == '-')
        fprintf(stderr, "heard: unknown option '%s' (try 'heard --help')\n", cmd);
    else
        fprintf(stderr, "heard: unknown command '%s' (try 'heard --help')\n", cmd);
    return 2;
}

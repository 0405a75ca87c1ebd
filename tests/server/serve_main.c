/* serve_main.c - a stand-alone `heard` for the server tests: only the serve
 * and keys commands, so the tests do not depend on how cli/main.c wires
 * them. */
#include <stdio.h>
#include <string.h>

int heard_cli_serve(int argc, char **argv);
int heard_cli_keys(int argc, char **argv);

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "serve") == 0)
        return heard_cli_serve(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "keys") == 0)
        return heard_cli_keys(argc - 1, argv + 1);
    fprintf(stderr, "usage: %s serve|keys ...\n", argv[0]);
    return 2;
}

/* main.c - heard-server, the program behind `heard serve` and `heard keys`.
 *
 * The HTTP, SQLite and PostgreSQL libraries (with libpq's TLS and Kerberos
 * dependencies) take about 10 ms to load and initialise in every process
 * that links them. Keeping them out of `heard` itself spares that cost to
 * every `heard analyze`, `train` and `eval`; `heard serve` and `heard keys`
 * exec this program (cli/main.c), which is installed in libexec/heard and
 * found beside `heard` in a build tree. It can also be run directly. */
#include <stdio.h>
#include <string.h>

#include "server.h"

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "serve") == 0)
        return heard_cli_serve(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "keys") == 0)
        return heard_cli_keys(argc - 1, argv + 1);
    fputs("usage: heard-server serve|keys [options] (run by `heard serve` and `heard keys`)\n",
          stderr);
    return 2;
}

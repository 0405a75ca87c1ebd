/* analyze.c - STUB */
#include "heard/heard.h"
int heard_cli_analyze(int argc, char **argv);
int heard_cli_analyze(int argc, char **argv) { (void)argc; (void)argv; return 0; }

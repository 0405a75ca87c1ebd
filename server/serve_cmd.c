/* serve_cmd.c - STUB: `heard serve` and `heard keys`. */
int heard_cli_serve(int argc, char **argv);
int heard_cli_keys(int argc, char **argv);
int heard_cli_serve(int argc, char **argv) { (void)argc; (void)argv; return 2; }
int heard_cli_keys(int argc, char **argv) { (void)argc; (void)argv; return 2; }

/* main.c - STUB */
#include <stdio.h>
#include "heard/heard.h"
int main(void) { puts("heard " HEARD_VERSION); return 0; }

/* csv_io.c - STUB */
#include "heard/heard_io.h"

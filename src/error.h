/* error.h - the one way the library reports an error: a status code plus a
 * formatted message in the caller's heard_error (which may be NULL). */
#ifndef HEARD_ERROR_H
#define HEARD_ERROR_H

#include "heard/heard.h"

/* Format the message into err (when non-NULL) and return st, so call sites
 * read `return heard_fail(err, HEARD_EINVAL, "...", ...);`. */
heard_status heard_fail(heard_error *err, heard_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif

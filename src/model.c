/* model.c - STUB */
#include <math.h>
#include <stdio.h>
#include "model.h"
heard_status heard_model_load(const char *dir, heard_model **out, heard_error *err) { *out = NULL; snprintf(err->message, sizeof err->message, "no model in %s", dir); return HEARD_EIO; }
void heard_model_free(heard_model *m) { (void)m; }
void heard_model_predict(const heard_model *m, const heard_features *f, heard_model_out *out) { (void)m; (void)f; out->n_top = 0; }

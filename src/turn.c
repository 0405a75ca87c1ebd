/* turn.c - STUB */
#include "analysis.h"
heard_status heard_turn_analyze(const heard_analyzer *an, heard_workspace *ws, const heard_turn_in *in, const heard_turn_ctx *ctx, heard_turn_result *out)
{ (void)an; (void)ws; (void)ctx; out->speaker = in->speaker; out->emotions[27] = 1; out->emotion_labels = 1u << 27; return HEARD_OK; }
